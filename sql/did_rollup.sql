-- Difference-in-differences as a two-step aggregate: states stored per
-- group and rolled up equal the single pass (1e-12 relative); text and
-- binary round trips; a forced parallel plan over a partitioned table.
\getenv abs_srcdir PG_ABS_SRCDIR
SET extra_float_digits = 0;
CREATE TEMP TABLE k6 (person int, treated int, cluster int, y_pre float8, y_post float8, x1 float8, x2 float8, w float8);
\set f :abs_srcdir '/data/did_cases/k6_2x2.csv'
COPY k6 FROM :'f' (FORMAT csv, HEADER);

-- relative closeness, NULL-safe; numbers below 1e-3 in magnitude (an
-- interval bound that happens to lie near 0) are compared on the 1e-3 scale
CREATE FUNCTION pg_temp.close(a float8, b float8, tol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT (a IS NULL AND b IS NULL) OR abs(a - b) <= tol * greatest(abs(a), abs(b), 1e-3)
$$;
-- every number a state gives under each available variance estimator
CREATE FUNCTION pg_temp.summary(s did_state) RETURNS float8[]
LANGUAGE plpgsql AS $$
DECLARE
	v text;
	out float8[] := ARRAY[did_estimate(s)];
	r did_result;
BEGIN
	FOREACH v IN ARRAY ARRAY['welch', 'classical', 'HC0', 'HC1', 'HC2', 'HC3', 'CR0', 'CR1'] LOOP
		BEGIN
			r := did_result(s, v);
			out := out || ARRAY[r.std_error, r.p_value, r.conf_low, r.conf_high, r.df];
		EXCEPTION WHEN invalid_parameter_value OR data_exception THEN
			out := out || ARRAY[NULL, NULL, NULL, NULL, NULL]::float8[];
		END;
	END LOOP;
	RETURN out || ARRAY[did_n_treated(s), did_n_control(s), did_n_skipped(s), did_n_clusters(s)]::float8[];
END
$$;
CREATE FUNCTION pg_temp.same(a did_state, b did_state) RETURNS boolean
LANGUAGE sql AS $$
	SELECT bool_and(pg_temp.close(x, y)) AND count(*) = 45
	FROM unnest(pg_temp.summary(a), pg_temp.summary(b)) u(x, y)
$$;

-- single pass, one state per kind; y_pre is NULL on a few rows (skipped)
CREATE TEMP TABLE single AS
SELECT 'plain' AS kind, did_state(y_pre, y_post, treated = 1) AS s FROM k6
UNION ALL SELECT 'cluster', did_state(y_pre, y_post, treated = 1, cluster) FROM k6
UNION ALL SELECT 'cov_cluster', did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) FROM k6
UNION ALL SELECT 'w_cov_textcluster', did_weighted_state(y_pre, y_post, treated = 1, w, ARRAY[x1, x2], 'm' || cluster) FROM k6
UNION ALL SELECT 'w_cluster_nulls', did_weighted_state(CASE WHEN person % 97 = 0 THEN NULL ELSE y_pre END, y_post, treated = 1, w, cluster) FROM k6;

-- the nightly job: states per (municipality group, month) stored, rolled up later;
-- clusters span several stored states, so the rollup must merge cluster sums
CREATE TEMP TABLE nightly AS
SELECT 'plain' AS kind, person % 7 AS part, person % 3 AS month, did_state(y_pre, y_post, treated = 1) AS s FROM k6 GROUP BY 2, 3
UNION ALL SELECT 'cluster', person % 7, person % 3, did_state(y_pre, y_post, treated = 1, cluster) FROM k6 GROUP BY 2, 3
UNION ALL SELECT 'cov_cluster', person % 7, person % 3, did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) FROM k6 GROUP BY 2, 3
UNION ALL SELECT 'w_cov_textcluster', person % 7, person % 3, did_weighted_state(y_pre, y_post, treated = 1, w, ARRAY[x1, x2], 'm' || cluster) FROM k6 GROUP BY 2, 3
UNION ALL SELECT 'w_cluster_nulls', person % 7, person % 3, did_weighted_state(CASE WHEN person % 97 = 0 THEN NULL ELSE y_pre END, y_post, treated = 1, w, cluster) FROM k6 GROUP BY 2, 3;
SELECT kind, count(*) AS stored_states FROM nightly GROUP BY kind ORDER BY kind;

SELECT s.kind, pg_temp.same(s.s, r.s) AS rollup_equals_single_pass,
	did_n_skipped(r.s) AS skipped, did_n_clusters(r.s) AS clusters
FROM single s JOIN (SELECT kind, did_rollup(s) AS s FROM nightly GROUP BY kind) r USING (kind)
ORDER BY kind;

-- rollup in two stages (per month, then overall) and the scalar combine
-- folded in a different order agree as well
SELECT s.kind, pg_temp.same(s.s, r.s) AS two_stage_ok
FROM single s JOIN (SELECT kind, did_rollup(m) AS s FROM (SELECT kind, month, did_rollup(s) m FROM nightly GROUP BY 1, 2) q GROUP BY kind) r USING (kind)
ORDER BY kind;
CREATE FUNCTION pg_temp.fold(k text) RETURNS did_state LANGUAGE plpgsql AS $$
DECLARE acc did_state; x did_state;
BEGIN
	FOR x IN SELECT s FROM nightly WHERE kind = k ORDER BY part DESC, month LOOP
		acc := did_state_combine(acc, x);
	END LOOP;
	RETURN acc;
END $$;
SELECT kind, pg_temp.same(s, pg_temp.fold(kind)) AS scalar_combine_ok FROM single ORDER BY kind;
SELECT did_state_combine(NULL, NULL) IS NULL AS null_null;

-- text round trip: bit for bit, independent of extra_float_digits
SELECT kind, s::text::did_state::text = s::text AS text_roundtrip,
	did_std_error(s::text::did_state, 'CR0') IS NOT DISTINCT FROM did_std_error(s, 'CR0') AS identical_numbers
FROM single WHERE kind LIKE '%cluster%' ORDER BY kind;
SET extra_float_digits = -15;
CREATE TEMP TABLE as_text AS SELECT kind, s::text AS t FROM single;
SET extra_float_digits = 3;
SELECT kind, t::did_state::text = t AS text_independent_of_extra_float_digits FROM as_text ORDER BY kind;
SET extra_float_digits = 0;
-- a text cluster key with quotes and backslashes
SELECT did_state(pre, post, t, k)::text AS quoted_keys, did_state(pre, post, t, k)::text::did_state::text = did_state(pre, post, t, k)::text AS roundtrip
FROM (VALUES (0.0::float8, 1.0::float8, true, 'a"b'), (0, 2, false, 'c\d'), (1, 1, true, 'c\d'), (0, 0.5, false, 'a"b')) v(pre, post, t, k);

-- binary round trip through COPY (FORMAT binary): send and recv
CREATE TEMP TABLE bin_out AS SELECT kind, s FROM single;
CREATE TEMP TABLE bin_in (kind text, s did_state);
SELECT '/tmp/socialinvest_did_' || pg_backend_pid() || '.bin' AS binfile \gset
\set readback 'cat ' :binfile ' && rm -f ' :binfile
COPY bin_out TO :'binfile' (FORMAT binary);
COPY bin_in FROM PROGRAM :'readback' (FORMAT binary);
SELECT o.kind, o.s::text = i.s::text AS binary_roundtrip, did_state_send(o.s) = did_state_send(i.s) AS same_bytes
FROM bin_out o JOIN bin_in i USING (kind) ORDER BY kind;

-- a partitioned table and a forced parallel plan: same answer as serial
CREATE TABLE k6p (LIKE k6) PARTITION BY LIST ((cluster % 3));
CREATE TABLE k6p0 PARTITION OF k6p FOR VALUES IN (0);
CREATE TABLE k6p1 PARTITION OF k6p FOR VALUES IN (1);
CREATE TABLE k6p2 PARTITION OF k6p FOR VALUES IN (2);
INSERT INTO k6p SELECT * FROM k6;
ANALYZE k6p;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_partitionwise_aggregate = on;
CREATE FUNCTION pg_temp.plan_has(q text, what text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE line text; found boolean := false;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		IF line LIKE '%' || what || '%' THEN found := true; END IF;
	END LOOP;
	RETURN found;
END $$;
SELECT pg_temp.plan_has($$ SELECT did_weighted_state(y_pre, y_post, treated = 1, w, ARRAY[x1, x2], cluster) FROM k6p $$, 'Partial Aggregate') AS partial_aggregate,
	pg_temp.plan_has($$ SELECT did_weighted_state(y_pre, y_post, treated = 1, w, ARRAY[x1, x2], cluster) FROM k6p $$, 'Gather') AS gather;
EXPLAIN (COSTS OFF) SELECT did(y_pre, y_post, treated = 1, cluster) FROM k6p;
CREATE TEMP TABLE par AS
SELECT 'plain' AS kind, did_state(y_pre, y_post, treated = 1) AS s FROM k6p
UNION ALL SELECT 'cluster', did_state(y_pre, y_post, treated = 1, cluster) FROM k6p
UNION ALL SELECT 'cov_cluster', did_state(y_pre, y_post, treated = 1, ARRAY[x1, x2], cluster) FROM k6p
UNION ALL SELECT 'w_cov_textcluster', did_weighted_state(y_pre, y_post, treated = 1, w, ARRAY[x1, x2], 'm' || cluster) FROM k6p
UNION ALL SELECT 'w_cluster_nulls', did_weighted_state(CASE WHEN person % 97 = 0 THEN NULL ELSE y_pre END, y_post, treated = 1, w, cluster) FROM k6p;
SELECT s.kind, pg_temp.same(s.s, p.s) AS parallel_equals_serial FROM single s JOIN par p USING (kind) ORDER BY kind;
-- the one-shot default CR1 (small_sample stata): R lm on the stacked long
-- panel with a hand-written cluster sandwich (card_krueger_reference.md)
SELECT (r).variance, pg_temp.close((r).std_error, 0.08914574304276153, 1e-9) AS cr1_ok
FROM (SELECT did(y_pre, y_post, treated = 1, cluster) r FROM k6p) q;
RESET ALL;
DROP TABLE k6p;

-- as a window aggregate over a moving frame (the state is updated in place
-- and restarted as the frame moves) and as a spilling hash aggregate
SELECT bool_and(pg_temp.close(w.e, (SELECT (did(y_pre, y_post, treated = 1, cluster)).estimate
		FROM k6 k WHERE k.person BETWEEN w.person - 50 AND w.person + 50), 1e-12)) AS window_ok, count(*)
FROM (SELECT person, (did(y_pre, y_post, treated = 1, cluster) OVER (ORDER BY person ROWS BETWEEN 50 PRECEDING AND 50 FOLLOWING)).estimate AS e
	FROM k6) w
WHERE w.person BETWEEN 51 AND 2950;
SET work_mem = '64kB';
SET enable_sort = off;
CREATE TEMP TABLE hashed AS SELECT person % 97 AS k, did_state(y_pre, y_post, treated = 1, cluster::text) AS s FROM k6 GROUP BY 1;
RESET work_mem;
RESET enable_sort;
SET enable_hashagg = off;
CREATE TEMP TABLE sorted AS SELECT person % 97 AS k, did_state(y_pre, y_post, treated = 1, cluster::text) AS s FROM k6 GROUP BY 1;
RESET enable_hashagg;
SELECT bool_and(pg_temp.same(h.s, s.s)) AS spilled_hash_equals_sorted, count(*) FROM hashed h JOIN sorted s USING (k);
