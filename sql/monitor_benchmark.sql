-- municipality_benchmark, logistic_fit/logistic_predict and funnel_limits.
--
-- Fixture: sql/include/monitor_fixture.sql (46 persons, 4 municipalities).
-- Reference: test/monitor_reference.py (pure Python, written independently:
-- Newton-Raphson/IRLS to full convergence, exact rational binomial
-- probabilities for the funnel limits); its `--expected` output is pasted
-- between the "reference" markers (test/integration/monitor_reference.sh
-- checks that they hold exactly its output). Tolerances: 1e-6 for numbers
-- from the fitted model (the fit stops at a relative deviance change of
-- 1e-10), 1e-9 for the others.
\i sql/include/monitor_fixture.sql
\i sql/include/expect_error.sql
CREATE FUNCTION pg_temp.near(a float8, b float8, tol float8) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT (a IS NULL AND b IS NULL) OR abs(a - b) <= tol $$;

CREATE TEMP TABLE ref_coef (coefficients float8[]);
INSERT INTO ref_coef VALUES
-- reference: coefficients
	('{-2.0969210714723348,0.4067615160533976,0.09545577312189736,1.4162706018172724,1.3607458928248697,1.8223862966342779,1.3322149875652427,0.9948981795370474,2.334019458861322,0.1849847328560652}')
;
CREATE TEMP TABLE ref_benchmark (municipality integer, n_persons bigint, observed bigint, expected float8,
	raw_estimate float8, estimate float8, conf_low float8, conf_high float8, national float8,
	funnel95_low float8, funnel95_high float8, funnel998_low float8, funnel998_high float8,
	rank integer, "position" text, good_result boolean, suppressed boolean);
INSERT INTO ref_benchmark VALUES
-- reference: benchmark (municipality, n_persons, observed, expected, raw_estimate, estimate, conf_low, conf_high, national, funnel95_low, funnel95_high, funnel998_low, funnel998_high, rank, position, good_result, suppressed)
	(101, 12, 9, 8.985886103342681, 0.75, 0.7038788607574793, 0.4215735258239136, 0.8649371923634245, 0.7027027027027027, 0.3813760987828135, 0.9047734921134338, 0.21541503021374558, 0.9942514373727793, 2, 'within', false, false),
	(102, 13, 9, 8.459047330263276, 0.6923076923076923, 0.7443144465286046, 0.47570018602640274, 0.9251997176638072, 0.7027027027027027, 0.39872233207952096, 0.9027385448293981, 0.2404590563631343, 0.9924486337086215, 1, 'within', false, false),
	(103, 9, 5, 6.595529300194548, 0.5555555555555556, 0.5254216693477529, 0.23651740728769044, 0.7810875926945328, 0.7027027027027027, 0.334612791182588, 0.9335105280134578, 0.12925566231793342, 0.9973404211205383, 3, 'within', false, false),
	(104, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.7027027027027027, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true)
-- reference: end
;

-- 1. logistic_fit on the benchmark's design, written out here as the
--    reference script writes it: persons observed 12 months after arrival,
--    dummies for age band 45_plus, under_30 (reference 30_44), sex M,
--    origin Syria, Ukraine (reference Eritrea), education 1, 2, 3
--    (reference 0), arrival year 2021.
CREATE TEMP TABLE design AS
SELECT s.person_id, s.municipality, s.status = 'self_supporting' AS y,
	ARRAY[(s.age_band = '45_plus')::int, (s.age_band = 'under_30')::int, (s.sex = 'M')::int,
		(s.origin = 'Syria')::int, (s.origin = 'Ukraine')::int, (s.education_level = '1')::int,
		(s.education_level = '2')::int, (s.education_level = '3')::int, (s.arrival_year = 2021)::int]::float8[] AS x
FROM _arrival_person_status('mb', 12, 'strict') s
WHERE s.status IN ('self_supporting', 'not_self_supporting');
SELECT count(*) AS persons, count(*) FILTER (WHERE y) AS self_supporting FROM design;
SELECT i, round(f.b[i]::numeric, 4) AS coefficient, abs(f.b[i] - r.coefficients[i]) <= 1e-6 AS matches_reference
FROM (SELECT logistic_fit(y, x) AS b FROM design) f, ref_coef r, generate_series(1, 10) i ORDER BY i;
-- the fit reproduces the observed total (a property of the logistic MLE with intercept)
SELECT abs(sum(logistic_predict(f.b, d.x)) - count(*) FILTER (WHERE d.y)) < 1e-8 AS sum_fitted_is_observed
FROM design d, (SELECT logistic_fit(y, x) AS b FROM design) f;
-- the same fit, rows in another order and duplicated patterns merged, is the same
SELECT max(abs(a.b[i] - b.b[i])) < 1e-9 AS order_free
FROM (SELECT logistic_fit(y, x ORDER BY person_id DESC) AS b FROM design) a,
	(SELECT logistic_fit(y, x ORDER BY person_id) AS b FROM design) b, generate_series(1, 10) i;
-- a saturated model reproduces the cell shares: 2 of 5 and 3 of 4
SELECT round(logistic_predict(b, '{0}')::numeric, 12) AS p0, round(logistic_predict(b, '{1}')::numeric, 12) AS p1
FROM (SELECT logistic_fit(y, ARRAY[g]::float8[]) AS b FROM (VALUES (true, 0), (true, 0), (false, 0), (false, 0),
	(false, 0), (true, 1), (true, 1), (true, 1), (false, 1)) v(y, g)) f;
SELECT logistic_fit(y, '{}') FROM (VALUES (true), (false), (false), (false)) v(y);   -- intercept only: log(1/3)
SELECT logistic_fit(y, x) FROM design WHERE false;   -- no rows: NULL
SELECT logistic_predict('{0.5, NULL, 1}', '{7, 0}') = logistic_predict('{0.5, 0, 1}', '{7, 0}') AS null_coefficient_is_0;
-- split between parallel workers (the state is the storable logistic_fit_state,
-- combined by adding pattern counts): the plan has partial aggregates, and the
-- fit equals the serial one exactly (patterns are read in key order)
-- (a plain table: temporary tables are not scanned in parallel)
CREATE TABLE design_big AS SELECT d.* FROM design d, generate_series(1, 40) k;
ANALYZE design_big;
CREATE TEMP TABLE fit_serial AS SELECT logistic_fit(y, x) AS b FROM design_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT logistic_fit(y, x) FROM design_big;
SELECT s.b = p.b AS parallel_equals_serial,
	(SELECT max(abs(s.b[i] - r.coefficients[i])) FROM ref_coef r, generate_series(1, 10) i) <= 1e-6 AS still_the_reference
FROM fit_serial s, (SELECT logistic_fit(y, x) AS b FROM design_big) p;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
DROP TABLE design_big;
-- the state's text form: patterns in key order, counts; read back it is the same state
SELECT '1|2|1,0:3:1;0,1:2:2;0,0:5:0'::logistic_fit_state::text AS state_text,
	'1|0|:4:1'::logistic_fit_state::text AS intercept_only_state,
	'1|1|'::logistic_fit_state::text AS empty_state;
SELECT pg_temp.expect_error($$ SELECT '2|1|0:1:0'::logistic_fit_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|2|0:1:0'::logistic_fit_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|1|0:1:2'::logistic_fit_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|1|0:1.5:0'::logistic_fit_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|1|0:1:0;0:2:1'::logistic_fit_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|1|Infinity:1:0'::logistic_fit_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|501|'::logistic_fit_state $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit_trans(NULL, true, '{1}') $$);
SELECT round(logistic_predict('{-800}', '{}')::numeric, 6) AS far_below, logistic_predict('{800}', '{}') AS far_above;

-- 2. municipality_benchmark against the reference (expected: no rows)
SELECT coalesce(b.municipality, r.municipality) AS municipality
FROM municipality_benchmark('mb') b
FULL JOIN ref_benchmark r ON r.municipality = b.municipality
WHERE NOT (b.n_persons IS NOT DISTINCT FROM r.n_persons AND b.observed IS NOT DISTINCT FROM r.observed
	AND pg_temp.near(b.expected, r.expected, 1e-6) AND pg_temp.near(b.raw_estimate, r.raw_estimate, 1e-9)
	AND pg_temp.near(b.estimate, r.estimate, 1e-6) AND pg_temp.near(b.conf_low, r.conf_low, 1e-6)
	AND pg_temp.near(b.conf_high, r.conf_high, 1e-6) AND pg_temp.near(b.national, r.national, 1e-9)
	AND pg_temp.near(b.funnel95_low, r.funnel95_low, 1e-9) AND pg_temp.near(b.funnel95_high, r.funnel95_high, 1e-9)
	AND pg_temp.near(b.funnel998_low, r.funnel998_low, 1e-9)
	AND pg_temp.near(b.funnel998_high, r.funnel998_high, 1e-9)
	AND b.rank IS NOT DISTINCT FROM r.rank AND b.position IS NOT DISTINCT FROM r.position
	AND b.good_result IS NOT DISTINCT FROM r.good_result AND b.suppressed = r.suppressed)
ORDER BY 1;
-- rounded, for reading (104 has 3 observed persons: suppressed, row kept)
SELECT municipality AS mun, n_persons AS n, observed AS o, round(expected::numeric, 3) AS e,
	round(raw_estimate::numeric, 3) AS raw, round(estimate::numeric, 3) AS adjusted,
	round(conf_low::numeric, 3) AS lo, round(conf_high::numeric, 3) AS hi, round(national::numeric, 3) AS national,
	round(funnel95_low::numeric, 3) AS f95_lo, round(funnel95_high::numeric, 3) AS f95_hi,
	round(funnel998_low::numeric, 3) AS f998_lo, round(funnel998_high::numeric, 3) AS f998_hi,
	rank, position, good_result, suppressed
FROM municipality_benchmark('mb');
-- the model's expected counts add up to the observed ones (suppression off)
SELECT abs(sum(expected) - sum(observed)) < 1e-8 AS sum_e_is_sum_o FROM municipality_benchmark('mb', min_cell => 0);

-- 3. A planted effect: 1,000 persons alike but for sex; men are
--    self-supporting far more often than women. Municipality 301 does
--    better with both (95 of 100 men, 60 of 100 women); 302 has mostly
--    women and looks bad before adjustment (raw 0.40), but does as well as
--    303 and 304 for each sex; 303 and 304 are the same at sizes 200 and 400.
--    Reference values (test/monitor_reference.py's functions on these
--    counts): national 0.565; adjusted 301 0.7462, 302 0.5153, 303 and
--    304 0.5212; 99.8 % upper limit at n = 200: 0.6696; 95 % lower 0.4934.
CREATE SCHEMA mp;
SET client_min_messages = warning;
SELECT monitor_setup('mp');
RESET client_min_messages;
INSERT INTO mp.person (person_id, municipality, sex, birth_date, origin, arrival_week, education_level)
SELECT m * 1000 + i, m, CASE WHEN i <= nm THEN 'M' ELSE 'F' END, '1990-01-01', 'Syria', '2020-01-06', 1
FROM (VALUES (301, 100, 200), (302, 40, 200), (303, 100, 200), (304, 200, 400)) g(m, nm, n),
	generate_series(1, n) i;
INSERT INTO mp.observation_period SELECT person_id, arrival_week, '2022-12-26', 'end_of_data' FROM mp.person;
-- the persons not self-supporting are on kontanthjaelp (130) for 60 weeks
INSERT INTO mp.person_path
SELECT m * 1000 + i, '2020-01-06:130x60'
FROM (VALUES (301, 100, 95, 60), (302, 40, 32, 48), (303, 100, 80, 30), (304, 200, 160, 60)) g(m, nm, sm, sf),
	generate_series(1, 400) i
WHERE (i <= nm AND i > sm) OR (i > nm AND i - nm > sf AND i <= CASE m WHEN 304 THEN 400 ELSE 200 END);
SELECT municipality AS mun, n_persons AS n, round(raw_estimate::numeric, 3) AS raw, round(estimate::numeric, 4) AS adjusted,
	round(national::numeric, 3) AS national, round(funnel95_low::numeric, 4) AS f95_lo,
	round(funnel998_high::numeric, 4) AS f998_hi, rank, position, good_result
FROM municipality_benchmark('mp');
SET client_min_messages = warning;
DROP SCHEMA mp CASCADE;
RESET client_min_messages;

-- 4. funnel_limits: hand-worked n = 10, target 0.3 (test/unit/test_funnel.c
--    writes out the binomial table): upper 95 % = (6 - 0.391978) / 10,
--    upper 99.8 % = (8 - 0.591909) / 10, lower limits 0 (r_p = 0)
SELECT round(conf_low::numeric, 6) AS conf_low, round(conf_high::numeric, 6) AS conf_high FROM funnel_limits(0.3, 10);
SELECT round(conf_low::numeric, 6) AS conf_low, round(conf_high::numeric, 6) AS conf_high FROM funnel_limits(0.3, 10, 0.998);
-- large n: the normal approximation target +- z sqrt(target (1 - target) / n), within 3/n
SELECT abs(f.conf_low - (0.2 - 1.959963984540054 * sqrt(0.16 / 1e6))) < 3e-6 AS low_near_normal,
	abs(f.conf_high - (0.2 + 1.959963984540054 * sqrt(0.16 / 1e6))) < 3e-6 AS high_near_normal
FROM funnel_limits(0.2, 1000000, 0.95) f;
SELECT * FROM funnel_limits(NULL, 10);   -- NULL target: NULL limits
SELECT conf_high = (SELECT conf_high FROM funnel_limits(0.3, 10)) AS null_conf_level_is_095 FROM funnel_limits(0.3, 10, NULL);

-- 5. Bad arguments
SELECT pg_temp.expect_error($$ SELECT * FROM funnel_limits(0, 10) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM funnel_limits(1.5, 10) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM funnel_limits('NaN', 10) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM funnel_limits(0.3, 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM funnel_limits(0.3, 10000000000) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM funnel_limits(0.3, 10, 1) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, x) FROM (VALUES (NULL::boolean, '{1}'::float8[])) v(y, x) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, x) FROM (VALUES (true, NULL::float8[])) v(y, x) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, x) FROM (VALUES (true, '{1,NULL}'::float8[])) v(y, x) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, x) FROM (VALUES (true, '{1,NaN}'::float8[])) v(y, x) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, x) FROM (VALUES (true, '{1}'::float8[]), (false, '{1,2}')) v(y, x) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, x) FROM (VALUES (true, '{{1},{2}}'::float8[])) v(y, x) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_fit(true, array_fill(1::float8, ARRAY[501])) $$);
-- singular: the second covariate is twice the first
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, ARRAY[g, 2 * g]::float8[])
	FROM (VALUES (true, 0), (false, 0), (true, 1), (false, 1), (false, 1)) v(y, g) $$);
-- complete separation: no maximum-likelihood estimate exists (R's glm
-- warns "fitted probabilities numerically 0 or 1 occurred"; here an error)
SELECT pg_temp.expect_error($$ SELECT logistic_fit(g > 2, ARRAY[g]::float8[]) FROM generate_series(1, 5) g $$);
-- ... and quasi-separation: every outcome of level 1 is false
SELECT pg_temp.expect_error($$ SELECT logistic_fit(y, ARRAY[g]::float8[])
	FROM (VALUES (true, 0), (false, 0), (false, 1), (false, 1)) v(y, g) $$);
SELECT pg_temp.expect_error($$ SELECT logistic_predict('{1, 2}', '{1, 2}') $$);
SELECT pg_temp.expect_error($$ SELECT logistic_predict('{1, 2}', '{NULL}') $$);
SELECT pg_temp.expect_error($$ SELECT logistic_predict('{1, Infinity}', '{1}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_benchmark('mb', months => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_benchmark('mb', min_cell => -1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_benchmark('mb', conf_level => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_benchmark('mb', profile => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_benchmark('no_such_schema') $$);

-- 6. Safe on a shared server: the same results when the caller's
--    search_path hijacks names (as sql/hostile_search_path.sql does for the
--    older functions): route 1, pg_temp domains named like built-in types;
--    route 2, a schema before pg_catalog with lying functions, operators and
--    aggregates.
CREATE SCHEMA mbh;
CREATE TABLE mbh.a AS SELECT 'clean'::text AS run, * FROM arrival_cohort_status('mb', min_cell => 0);
CREATE TABLE mbh.b AS SELECT 'clean'::text AS run, * FROM municipality_benchmark('mb', min_cell => 0);
CREATE SCHEMA evil;
CREATE FUNCTION evil.texteq_lie(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.bool
	LANGUAGE sql IMMUTABLE AS 'SELECT pg_catalog.textne($1, $2)';
CREATE OPERATOR evil.= (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = evil.texteq_lie);
CREATE FUNCTION evil.int4lt_lie(pg_catalog.int4, pg_catalog.int4) RETURNS pg_catalog.bool
	LANGUAGE sql IMMUTABLE AS 'SELECT pg_catalog.int4gt($1, $2)';
CREATE OPERATOR evil.< (LEFTARG = pg_catalog.int4, RIGHTARG = pg_catalog.int4, FUNCTION = evil.int4lt_lie);
CREATE FUNCTION evil.round(pg_catalog.numeric) RETURNS pg_catalog.numeric LANGUAGE sql IMMUTABLE AS 'SELECT 0::pg_catalog.numeric';
CREATE FUNCTION evil.round(pg_catalog.numeric, pg_catalog.int4) RETURNS pg_catalog.numeric LANGUAGE sql IMMUTABLE AS 'SELECT 0::pg_catalog.numeric';
CREATE FUNCTION evil.age(pg_catalog.timestamp, pg_catalog.timestamp) RETURNS pg_catalog.interval LANGUAGE sql IMMUTABLE AS 'SELECT ''1 day''::pg_catalog.interval';
CREATE FUNCTION evil.generate_series(pg_catalog.int4, pg_catalog.int4) RETURNS SETOF pg_catalog.int4 LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE FUNCTION evil.sum_lie(pg_catalog.float8, pg_catalog.float8) RETURNS pg_catalog.float8 LANGUAGE sql IMMUTABLE AS 'SELECT 42::pg_catalog.float8';
CREATE AGGREGATE evil.sum(pg_catalog.float8) (SFUNC = evil.sum_lie, STYPE = pg_catalog.float8);
CREATE FUNCTION evil.avg_lie(pg_catalog.float8, pg_catalog.int4) RETURNS pg_catalog.float8 LANGUAGE sql IMMUTABLE AS 'SELECT 42::pg_catalog.float8';
CREATE AGGREGATE evil.avg(pg_catalog.int4) (SFUNC = evil.avg_lie, STYPE = pg_catalog.float8);
CREATE AGGREGATE evil.count(*) (SFUNC = pg_catalog.int8inc, STYPE = pg_catalog.int8, INITCOND = '1000');
DO $$
DECLARE
	d record;
BEGIN
	FOR d IN SELECT * FROM (VALUES ('text', 'int8'), ('float8', 'numeric'), ('int8', 'numeric'),
			('int4', 'int8'), ('numeric', 'float8'), ('date', 'timestamptz'), ('bool', 'int4'),
			('timestamp', 'date'), ('bpchar', 'int8')) v(name, base) LOOP
		EXECUTE pg_catalog.format('CREATE DOMAIN pg_temp.%I AS pg_catalog.%I', d.name, d.base);
	END LOOP;
END
$$;
INSERT INTO mbh.a SELECT 'temp', * FROM public.arrival_cohort_status('mb', min_cell => 0);
INSERT INTO mbh.b SELECT 'temp', * FROM public.municipality_benchmark('mb', min_cell => 0);
DISCARD TEMP;
SET search_path = evil, pg_catalog, public;
INSERT INTO mbh.a SELECT 'evil', * FROM public.arrival_cohort_status('mb', min_cell => 0);
INSERT INTO mbh.b SELECT 'evil', * FROM public.municipality_benchmark('mb', min_cell => 0);
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA evil CASCADE;
RESET client_min_messages;
-- every run gave the clean run's rows, bit for bit (expected: 0 and 0)
SELECT r.run, (SELECT count(*) FROM ((SELECT to_jsonb(t) - 'run' FROM mbh.a t WHERE t.run = r.run
		EXCEPT ALL SELECT to_jsonb(t) - 'run' FROM mbh.a t WHERE t.run = 'clean')
	UNION ALL (SELECT to_jsonb(t) - 'run' FROM mbh.a t WHERE t.run = 'clean'
		EXCEPT ALL SELECT to_jsonb(t) - 'run' FROM mbh.a t WHERE t.run = r.run)) z) AS arrival_differ,
	(SELECT count(*) FROM ((SELECT to_jsonb(t) - 'run' FROM mbh.b t WHERE t.run = r.run
		EXCEPT ALL SELECT to_jsonb(t) - 'run' FROM mbh.b t WHERE t.run = 'clean')
	UNION ALL (SELECT to_jsonb(t) - 'run' FROM mbh.b t WHERE t.run = 'clean'
		EXCEPT ALL SELECT to_jsonb(t) - 'run' FROM mbh.b t WHERE t.run = r.run)) z) AS benchmark_differ,
	(SELECT count(*) FROM mbh.a t WHERE t.run = r.run) AS arrival_rows
FROM (VALUES ('temp'), ('evil')) r(run);
SET client_min_messages = warning;
DROP SCHEMA mbh CASCADE;
RESET client_min_messages;
SET client_min_messages = warning;
DROP SCHEMA mb CASCADE;
