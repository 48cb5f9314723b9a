-- ipw_weights and entropy_balance: hand-worked weights, lalonde against R
-- (IPW weights computed by hand in data/lalonde/balance_reference.R from
-- glm's score) and against an independent scipy solution of entropy
-- balancing (data/lalonde/weight_reference.py), exact balance of the
-- weighted moments, then bad input.
\i sql/include/expect_error.sql
SET extra_float_digits = 0;

-- hand-worked (test/unit/test_weighting.c): scores 0.2 (treated), 0.5,
-- 0.8 (controls), 0.6 (treated). ATT: 1, 0.5/0.5 = 1, 0.8/0.2 = 4, 1.
-- ATE: 1/0.2 = 5, 1/0.5 = 2, 1/0.2 = 5, 1/0.6 = 1.6667. Stabilised ATE
-- (half of the units treated): 2.5, 1, 2.5, 0.8333. Trimmed at 0.25
-- (units 1 and 3 leave, shares stay 1/2): 1, 0.8333.
CREATE TABLE hand (id integer, tr boolean, ps float8, x float8, g text);
INSERT INTO hand VALUES (1, true, 0.2, 1, 'a'), (2, false, 0.5, 2, 'b'), (3, false, 0.8, 4, 'a'),
	(4, true, 0.6, 3, 'b');
SELECT a.unit, a.treated, round(a.weight::numeric, 4) AS att, round(b.weight::numeric, 4) AS ate,
	round(c.weight::numeric, 4) AS ate_stabilised, round(d.weight::numeric, 4) AS ate_stabilised_trimmed
FROM ipw_weights('hand', 'id', 'tr', 'ps') a
JOIN ipw_weights('hand', 'id', 'tr', 'ps', 'ate') b USING (unit)
JOIN ipw_weights('hand', 'id', 'tr', 'ps', 'ate', true) c USING (unit)
LEFT JOIN ipw_weights('hand', 'id', 'tr', 'ps', 'ate', true, 0.25) d USING (unit)
ORDER BY a.unit;
-- NULL options mean their defaults
SELECT count(*) FILTER (WHERE a.weight = b.weight) AS same_as_default
FROM ipw_weights('hand', 'id', 'tr', 'ps', NULL, NULL, NULL) a JOIN ipw_weights('hand', 'id', 'tr', 'ps') b USING (unit);

-- lalonde: R's glm score and R's weights (balance_reference.R)
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/lalonde/lalonde.csv'
CREATE TABLE lalonde (id integer, treat integer, age integer, educ integer, race text,
	married integer, nodegree integer, re74 float8, re75 float8, re78 float8);
COPY lalonde FROM :'f' (FORMAT csv, HEADER);
\set f :abs_srcdir '/data/lalonde/weight_ipw_reference.csv'
CREATE TABLE ipw_ref (unit integer, treat integer, ps float8, w_att float8, w_ate float8,
	w_ate_stab float8, w_att_trim float8, w_ate_trim_stab float8);
COPY ipw_ref FROM :'f' (FORMAT csv, HEADER, NULL 'NA');
CREATE TABLE lalonde_ps AS SELECT l.*, r.ps FROM lalonde l JOIN ipw_ref r ON r.unit = l.id;

CREATE FUNCTION pg_temp.same(got float8, want float8, tol float8) RETURNS boolean LANGUAGE sql AS
$$ SELECT CASE WHEN want IS NULL THEN got IS NULL
	ELSE got IS NOT NULL AND abs(got - want) <= tol * greatest(1, abs(want)) END $$;

-- every unit's weight equal to R's (1e-12 relative); trimmed units have no row
SELECT 'att' AS weights, count(w.unit) AS n, bool_and(pg_temp.same(w.weight, r.w_att, 1e-12)) AS equal
FROM ipw_ref r LEFT JOIN ipw_weights('lalonde_ps', 'id', 'treat', 'ps') w USING (unit)
UNION ALL
SELECT 'ate', count(w.unit), bool_and(pg_temp.same(w.weight, r.w_ate, 1e-12))
FROM ipw_ref r LEFT JOIN ipw_weights('lalonde_ps', 'id', 'treat', 'ps', 'ate') w USING (unit)
UNION ALL
SELECT 'ate stabilised', count(w.unit), bool_and(pg_temp.same(w.weight, r.w_ate_stab, 1e-12))
FROM ipw_ref r LEFT JOIN ipw_weights('lalonde_ps', 'id', 'treat', 'ps', 'ate', true) w USING (unit)
UNION ALL
SELECT 'att trimmed 0.1', count(w.unit), bool_and(pg_temp.same(w.weight, r.w_att_trim, 1e-12))
FROM ipw_ref r LEFT JOIN ipw_weights('lalonde_ps', 'id', 'treat', 'ps', trim_at => 0.1) w USING (unit)
UNION ALL
SELECT 'ate stabilised trimmed 0.1', count(w.unit), bool_and(pg_temp.same(w.weight, r.w_ate_trim_stab, 1e-12))
FROM ipw_ref r LEFT JOIN ipw_weights('lalonde_ps', 'id', 'treat', 'ps', 'ate', true, 0.1) w USING (unit);
-- the trimmed units are R's: same count per group
SELECT treat, count(*) FILTER (WHERE w_att_trim IS NULL) AS trimmed_in_r FROM ipw_ref GROUP BY treat ORDER BY treat;

-- entropy balancing: against scipy (weight_reference.py), 1e-8 relative
\set f :abs_srcdir '/data/lalonde/weight_entropy_reference.csv'
CREATE TABLE eb_ref (unit integer, treat integer, w_m1 float8, w_m2 float8);
COPY eb_ref FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE eb1 AS SELECT * FROM entropy_balance('lalonde', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[]);
CREATE TABLE eb2 AS SELECT * FROM entropy_balance('lalonde', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[], moments => 2);
SELECT count(*) AS units, bool_and(pg_temp.same(a.weight, r.w_m1, 1e-8)) AS moments_1_equal,
	bool_and(pg_temp.same(b.weight, r.w_m2, 1e-8)) AS moments_2_equal,
	bool_and(a.weight = 1) FILTER (WHERE r.treat = 1) AS treated_weigh_1,
	round(sum(a.weight) FILTER (WHERE r.treat = 0)::numeric, 9) AS control_sum
FROM eb_ref r JOIN eb1 a USING (unit) JOIN eb2 b USING (unit);

-- exact balance: weighted control means (moments 2: and variances) equal
-- the treated's, to 1e-10 of the controls' SD (the tolerance) -- the
-- numbers below are |difference| / SD, compared with 1e-9 to allow for
-- the summation here
CREATE VIEW eb_check AS
SELECT l.*, (l.race = 'hispan')::integer AS hispan, (l.race = 'white')::integer AS white,
	a.weight AS w1, b.weight AS w2
FROM lalonde l JOIN eb1 a ON a.unit = l.id JOIN eb2 b ON b.unit = l.id;
SELECT v AS term,
	abs(avg(x) FILTER (WHERE treat = 1) - sum(w1 * x) FILTER (WHERE treat = 0) / sum(w1) FILTER (WHERE treat = 0))
		/ stddev_pop(x) FILTER (WHERE treat = 0) < 1e-9 AS mean_balanced_m1,
	abs(avg(x) FILTER (WHERE treat = 1) - sum(w2 * x) FILTER (WHERE treat = 0) / sum(w2) FILTER (WHERE treat = 0))
		/ stddev_pop(x) FILTER (WHERE treat = 0) < 1e-9 AS mean_balanced_m2,
	abs(var_pop(x) FILTER (WHERE treat = 1)
		- (sum(w2 * x * x) FILTER (WHERE treat = 0) / sum(w2) FILTER (WHERE treat = 0)
		   - (sum(w2 * x) FILTER (WHERE treat = 0) / sum(w2) FILTER (WHERE treat = 0)) ^ 2))
		/ var_pop(x) FILTER (WHERE treat = 0) < 1e-8 AS variance_balanced_m2
FROM eb_check, LATERAL (VALUES ('age', age::float8), ('educ', educ), ('hispan', hispan), ('white', white),
	('married', married), ('nodegree', nodegree), ('re74', re74), ('re75', re75)) t(v, x)
GROUP BY v ORDER BY v;
-- and balance_table says so: SMD below 1e-9 after weighting
CREATE VIEW lalonde_eb AS SELECT l.*, e.weight FROM lalonde l JOIN eb1 e ON e.unit = l.id;
SELECT term, abs(std_mean_diff) < 1e-9 AS balanced, round(ess_control::numeric, 2) AS ess_control
FROM balance_table('lalonde_eb', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[], 'weight')
WHERE sample = 'adjusted' ORDER BY term;

-- base weights: controls start from them, the treated target is
-- base-weighted: (1 * 1 + 3 * 2) / 4 = 1.75. Controls x = 0, 1, 2 with
-- base 1, 2, 1: w ~ (1, 2r, r^2), mean 2r / (1 + r) = 1.75 -> r = 7,
-- w = (1, 14, 49) / 64 scaled to the treated total 4: 0.0625, 0.875,
-- 3.0625; the treated keep their base weights 1 and 3.
CREATE TABLE bw (id integer, tr boolean, x float8, b float8);
INSERT INTO bw VALUES (1, true, 1, 1), (2, true, 2, 3), (3, false, 0, 1), (4, false, 1, 2), (5, false, 2, 1);
SELECT unit, treated, round(weight::numeric, 9) AS weight
FROM entropy_balance('bw', 'id', 'tr', ARRAY['x']::name[], 'b') ORDER BY unit;

-- bad input: ipw_weights
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights(NULL, 'id', 'tr', 'ps') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', 'ps', 'atc') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', 'ps', stabilize => true) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', 'ps', trim_at => 0.5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', 'ps', trim_at => -0.1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', 'ps', trim_at => 'NaN') $$);
-- trimming that leaves no treated
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', 'ps', trim_at => 0.45) $$);
-- scores outside (0, 1), a text score
CREATE VIEW hand_one AS SELECT id, tr, CASE WHEN id = 3 THEN 1 ELSE ps END AS ps, g FROM hand;
CREATE VIEW hand_neg AS SELECT id, tr, CASE WHEN id = 2 THEN -0.5 ELSE ps END AS ps FROM hand;
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand_one', 'id', 'tr', 'ps') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand_neg', 'id', 'tr', 'ps', 'ate') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand', 'id', 'tr', 'g') $$);
-- no treated / no controls; a NULL score is dropped and counted
CREATE VIEW hand_no_treated AS SELECT * FROM hand WHERE NOT tr;
SELECT pg_temp.expect_error($$ SELECT * FROM ipw_weights('hand_no_treated', 'id', 'tr', 'ps') $$);
CREATE VIEW hand_null AS SELECT id, tr, CASE WHEN id = 3 THEN NULL ELSE ps END AS ps FROM hand;
SELECT unit, weight FROM ipw_weights('hand_null', 'id', 'tr', 'ps') ORDER BY unit;

-- bad input: entropy_balance
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('hand', 'id', 'tr', ARRAY[]::name[]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('hand', 'id', 'tr', ARRAY['x']::name[], moments => 3) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('hand', 'id', 'tr', ARRAY['x']::name[], max_iterations => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('hand', 'id', 'tr', ARRAY['x']::name[], tolerance => 0) $$);
-- treated mean of x (11) above every control's x (1 to 4): infeasible
CREATE TABLE far (id integer, tr boolean, x float8, y float8, b float8);
INSERT INTO far VALUES (1, true, 10, 1, 1), (2, true, 12, 0, 1), (3, false, 1, 1, 1),
	(4, false, 2, 0, 1), (5, false, 3, 1, 1), (6, false, 4, 0, 0);
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('far', 'id', 'tr', ARRAY['x']::name[]) $$);
-- y2 = 2 * y is collinear with y (an error although y is balanced already);
-- k is 7 for every control but not for the treated
CREATE VIEW far_collinear AS SELECT id, tr, y, 2 * y AS y2 FROM far;
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('far_collinear', 'id', 'tr', ARRAY['y', 'y2']::name[]) $$);
CREATE VIEW far_constant AS SELECT id, tr, y, CASE WHEN tr THEN id ELSE 7 END AS k FROM far;
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('far_constant', 'id', 'tr', ARRAY['y', 'k']::name[]) $$);
-- too few iterations
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('lalonde', 'id', 'treat', ARRAY['age', 're74']::name[], max_iterations => 1) $$);
-- base weights must be positive
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('far', 'id', 'tr', ARRAY['y']::name[], 'b') $$);
-- no controls
CREATE VIEW far_treated AS SELECT * FROM far WHERE tr;
SELECT pg_temp.expect_error($$ SELECT * FROM entropy_balance('far_treated', 'id', 'tr', ARRAY['x']::name[]) $$);
