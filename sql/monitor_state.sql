-- indicator_state and wilson_interval (docs/monitoring.md; methods in
-- docs/methods.md "Indicator intervals"). Reference values are worked out
-- by hand below (and in test/unit/test_proportion.c); comparisons with
-- stated tolerances.
\i sql/include/expect_error.sql
CREATE FUNCTION pg_temp.close(got float8, want float8, tol float8) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(got - want) <= tol $$;

-- Wilson 8 of 20 at 95 %, by hand (z = 1.959963984540054, z^2 = 3.841458820694124):
-- centre = (0.4 + z^2/40) / (1 + z^2/20) = 0.4960364705173531 / 1.1920729410347062
--        = 0.41611251580528196
-- half   = z / 1.1920729410347062 * sqrt(0.4*0.6/20 + z^2/1600)
--        = 1.6441702011612296 * 0.12000379893548418 = 0.19730598343246488
-- interval (0.21880653237281708, 0.61341849923774684)
SELECT pg_temp.close(estimate, 0.4, 1e-15) AS est_ok,
	pg_temp.close(conf_low, 0.21880653237281708, 1e-12) AS low_ok,
	pg_temp.close(conf_high, 0.61341849923774684, 1e-12) AS high_ok
FROM wilson_interval(8, 20);
-- Newcombe (1998) Table II, score method, to 4 decimals
SELECT s, n, round(conf_low::numeric, 4) AS conf_low, round(conf_high::numeric, 4) AS conf_high
FROM (VALUES (81, 263), (15, 148), (0, 20), (1, 29)) v(s, n), wilson_interval(s, n);
-- n = 1: (0, z^2/(1+z^2)) and (1/(1+z^2), 1); 90 %: z = 1.6448536269514722
SELECT pg_temp.close(conf_high, 3.841458820694124 / 4.841458820694124, 1e-15) AS zero_of_one,
	conf_low = 0 AS low_exactly_0 FROM wilson_interval(0, 1);
SELECT pg_temp.close(conf_low, 1 / 4.841458820694124, 1e-15) AS one_of_one,
	conf_high = 1 AS high_exactly_1 FROM wilson_interval(1, 1);
SELECT pg_temp.close(conf_high, 1.6448536269514722^2 / (1 + 1.6448536269514722^2), 1e-14) AS level_90
FROM wilson_interval(0, 1, 0.90);
-- n = 0 and NULL counts: one row of NULLs (nothing disappears)
SELECT * FROM wilson_interval(0, 0);
SELECT * FROM wilson_interval(NULL, 10);
SELECT pg_temp.expect_error($$ SELECT * FROM wilson_interval(3, 2) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM wilson_interval(-1, 2) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM wilson_interval(0, -2) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM wilson_interval(1, 2, 1.0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM wilson_interval(1, 2, 'NaN') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM wilson_interval(1, 2, NULL) $$);

-- proportion state: NULL outcomes are not counted
SELECT indicator_state(x)::text AS proportion
FROM (VALUES (true), (false), (NULL), (true), (true), (false)) v(x);
SELECT indicator_state(x)::text AS no_rows FROM (VALUES (true)) v(x) WHERE false;
-- mean state of 2, 4, 4, 4, 5, 5, 7, 9 (+ NULL): mean 5, m2 = 9+1+1+1+0+0+4+16 = 32
SELECT indicator_state(x)::text AS mean
FROM (VALUES (2.0::float8), (4), (NULL), (4), (4), (5), (5), (7), (9)) v(x);
SELECT indicator_state(x)::text AS no_rows FROM (VALUES (1.0::float8)) v(x) WHERE false;

-- accessors. Mean: std_error = sqrt(32/7/8) = sqrt(4/7) = 0.7559289460184544,
-- t(0.975, 7) = 2.3646242515927849, half-width 1.7874879182362104
SELECT indicator_kind(s), indicator_n(s), indicator_estimate(s),
	pg_temp.close(i.std_error, 0.7559289460184544, 1e-15) AS se_ok,
	pg_temp.close(i.conf_low, 5 - 1.7874879182362104, 1e-12) AS low_ok,
	pg_temp.close(i.conf_high, 5 + 1.7874879182362104, 1e-12) AS high_ok, i.n
FROM (SELECT 'v=1;kind=mean;n=8;mean=5;m2=32'::indicator_state s) q, indicator_interval(s) i;
-- proportion 8/20: the Wilson interval above; Wald std_error sqrt(0.24/20) = 0.10954451150103323
SELECT indicator_kind(s), indicator_n(s), indicator_estimate(s),
	pg_temp.close(i.std_error, 0.10954451150103323, 1e-15) AS se_ok,
	pg_temp.close(i.conf_low, 0.21880653237281708, 1e-12) AS low_ok,
	pg_temp.close(i.conf_high, 0.61341849923774684, 1e-12) AS high_ok, i.n
FROM (SELECT 'v=1;kind=proportion;n=20;successes=8'::indicator_state s) q, indicator_interval(s) i;
-- empty, one value, NULL state
SELECT * FROM indicator_interval('v=1;kind=proportion;n=0;successes=0');
SELECT * FROM indicator_interval('v=1;kind=mean;n=1;mean=3.5;m2=0');
SELECT * FROM indicator_interval(NULL);
SELECT indicator_estimate('v=1;kind=mean;n=0;mean=0;m2=0') IS NULL AS empty_mean_null;
SELECT pg_temp.expect_error($$ SELECT * FROM indicator_interval('v=1;kind=mean;n=1;mean=3.5;m2=0', 1.5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM indicator_interval('v=1;kind=mean;n=1;mean=3.5;m2=0', NULL) $$);

-- rollup of split states = one pass: exactly for the counts, means to 1e-9
CREATE TEMP TABLE obs AS
SELECT i, i % 7 AS part, CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 13 < 5 END AS ok,
	CASE WHEN i % 13 = 0 THEN NULL ELSE 1e6 + sin(i) * 100 END AS score
FROM generate_series(1, 2000) i;
CREATE TEMP TABLE parts AS
SELECT part, indicator_state(ok) AS p, indicator_state(score) AS m FROM obs GROUP BY part;
SELECT (SELECT indicator_rollup(p) FROM parts)::text = (SELECT indicator_state(ok) FROM obs)::text AS proportion_exact,
	(SELECT indicator_rollup(p) FROM parts)::text AS rolled,
	(SELECT count(*) FILTER (WHERE ok) || '/' || count(ok) FROM obs) AS direct;
SELECT indicator_n(r) = indicator_n(o) AS n_exact,
	pg_temp.close(indicator_estimate(r), indicator_estimate(o), 1e-9) AS mean_ok,
	pg_temp.close((SELECT std_error FROM indicator_interval(r)), (SELECT std_error FROM indicator_interval(o)), 1e-12) AS se_ok,
	-- an independent reference: PostgreSQL's own avg and stddev_samp
	-- (avg sums about 1.8e9 in float8: agreement to 1e-6)
	pg_temp.close(indicator_estimate(o), (SELECT avg(score) FROM obs), 1e-6) AS mean_vs_avg,
	pg_temp.close((SELECT std_error FROM indicator_interval(o)),
		(SELECT stddev_samp(score) / sqrt(count(score)) FROM obs), 1e-12) AS se_vs_stddev
FROM (SELECT indicator_rollup(m) r FROM parts) a, (SELECT indicator_state(score) o FROM obs) b;
-- the rollup skips NULL states; mixing kinds is an error
SELECT indicator_rollup(s)::text FROM (VALUES ('v=1;kind=proportion;n=3;successes=1'::indicator_state), (NULL),
	('v=1;kind=proportion;n=2;successes=2')) v(s);
SELECT pg_temp.expect_error($$ SELECT indicator_rollup(s) FROM (VALUES ('v=1;kind=proportion;n=3;successes=1'::indicator_state),
	('v=1;kind=mean;n=2;mean=1;m2=0.5')) v(s) $$);
SELECT pg_temp.expect_error($$ SELECT indicator_state_trans('v=1;kind=mean;n=0;mean=0;m2=0', true) $$);
SELECT pg_temp.expect_error($$ SELECT indicator_state(x) FROM (VALUES (1.0::float8), ('Infinity')) v(x) $$);
SELECT pg_temp.expect_error($$ SELECT indicator_state(x) FROM (VALUES (1.0::float8), ('NaN')) v(x) $$);
SELECT pg_temp.expect_error($$ SELECT indicator_state(x) FROM (VALUES (1e200::float8), (-1e200)) v(x) $$);
-- a direct call does not change its argument
SELECT indicator_combine(a, a)::text AS doubled, a::text AS unchanged
FROM (SELECT 'v=1;kind=proportion;n=3;successes=1'::indicator_state a) q;
-- counts past the int64 range: an error, not a wrap
SELECT pg_temp.expect_error($$ SELECT indicator_combine('v=1;kind=proportion;n=9223372036854775807;successes=0', 'v=1;kind=proportion;n=1;successes=0') $$);

-- text round trip (shortest-exact floats) of stored states
SELECT count(*) AS states, bool_and(p::text::indicator_state::text = p::text AND m::text::indicator_state::text = m::text) AS text_roundtrip,
	bool_and(indicator_estimate(m::text::indicator_state) = indicator_estimate(m)) AS float_exact
FROM parts;
-- binary round trip through COPY (FORMAT binary)
CREATE TEMP TABLE bin_out AS SELECT part, p, m FROM parts;
CREATE TEMP TABLE bin_in (part integer, p indicator_state, m indicator_state);
SELECT '/tmp/socialinvest_ind_' || pg_backend_pid() || '.bin' AS binfile \gset
\set readback 'cat ' :binfile ' && rm -f ' :binfile
COPY bin_out TO :'binfile' (FORMAT binary);
COPY bin_in FROM PROGRAM :'readback' (FORMAT binary);
SELECT count(*) AS rows, bool_and(o.p::text = i.p::text AND o.m::text = i.m::text) AS binary_roundtrip,
	bool_and(indicator_state_send(o.m) = indicator_state_send(i.m)) AS same_bytes
FROM bin_out o JOIN bin_in i USING (part);

-- bad text input: 22P02 with the reason
SELECT s, pg_temp.expect_error(format('SELECT %L::indicator_state', s)) AS error
FROM (VALUES ('garbage'), (''), ('v=2;kind=proportion;n=1;successes=0'), ('v=x;kind=proportion'),
	('v=1;kind=median;n=1'), ('v=1;kind=proportion;n=-1;successes=0'), ('v=1;kind=proportion;n=2;successes=-1'),
	('v=1;kind=proportion;n=2;successes=3'), ('v=1;kind=proportion;n=2'), ('v=1;kind=proportion;n=2;successes=1;x=1'),
	('v=1;kind=proportion;n=99999999999999999999;successes=1'),
	('v=1;kind=mean;n=2;mean=1;m2=-1'), ('v=1;kind=mean;n=2;mean=NaN;m2=1'), ('v=1;kind=mean;n=2;mean=1;m2=Infinity'),
	('v=1;kind=mean;n=0;mean=1;m2=0'), ('v=1;kind=mean;n=1;mean=1;m2=2'), ('v=1;kind=mean;n=2;mean=1'),
	('v=1;kind=proportionx;n=1;successes=0')) v(s);

-- a forced parallel plan gives the same states as the serial one (a plain
-- table: temporary tables are never scanned in parallel)
CREATE TABLE monitor_state_big AS SELECT * FROM obs, generate_series(1, 20) k;
ANALYZE monitor_state_big;
CREATE TEMP TABLE serial AS SELECT indicator_state(ok) p, indicator_state(score) m FROM monitor_state_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_has(q text, what text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE line text; found boolean := false;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		IF line LIKE '%' || what || '%' THEN found := true; END IF;
	END LOOP;
	RETURN found;
END $$;
SELECT pg_temp.plan_has($$ SELECT indicator_state(ok), indicator_state(score) FROM monitor_state_big $$, 'Partial Aggregate') AS partial_aggregate;
CREATE TEMP TABLE par AS SELECT indicator_state(ok) p, indicator_state(score) m FROM monitor_state_big;
RESET ALL;
SELECT s.p::text = p.p::text AS proportion_exact, indicator_n(s.m) = indicator_n(p.m) AS n_exact,
	pg_temp.close(indicator_estimate(s.m), indicator_estimate(p.m), 1e-9) AS mean_ok,
	pg_temp.close((SELECT std_error FROM indicator_interval(s.m)), (SELECT std_error FROM indicator_interval(p.m)), 1e-12) AS se_ok
FROM serial s, par p;
DROP TABLE monitor_state_big;
