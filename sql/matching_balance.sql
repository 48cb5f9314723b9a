-- balance_table: a hand-worked case, then every statistic on lalonde against
-- R MatchIt 4.5.1's summary() (data/lalonde/balance_reference.R wrote
-- balance_reference.csv and the matching weights balance_weights.csv), to
-- 1e-9 relative; then bad input.
\i sql/include/expect_error.sql
SET extra_float_digits = 0;

-- hand-worked (test/unit/test_balance.c): treated x = 1, 2, 3; controls
-- 2, 4, 6, 8, the control with 2 unmatched (weight 0) and 8 used twice.
-- Unadjusted: means 2 and 5, treated SD 1 -> SMD -3, variance ratio
-- 1/(20/3) = 0.15, eCDF differences 1/3, 5/12, 3/4, 1/2, 1/4, 0 at 1, 2,
-- 3, 4, 6, 8 -> mean 27/72 = 0.375, max 0.75. Adjusted: control mean 6.5,
-- SMD -4.5 (the unadjusted SD), variance 2.75/0.625 = 4.4 -> ratio
-- 0.2273, eCDF mean 3.25/6 = 0.5417, max 1, control ESS 16/6 = 2.6667.
-- g is a factor: level b, controls 1/2 vs treated 1/3; SD of a 0/1 term
-- sqrt(p (1 - p)) of the treated: (1/3 - 1/2) / sqrt(2/9) = -0.3536.
CREATE TABLE hand (id integer, tr boolean, x float8, g text, w float8);
INSERT INTO hand VALUES (1, true, 1, 'a', 1), (2, true, 2, 'b', 1), (3, true, 3, 'a', 1),
	(4, false, 2, 'b', 0), (5, false, 4, 'a', 1), (6, false, 6, 'b', 1), (7, false, 8, 'a', 2);
SELECT term, sample, round(mean_treated::numeric, 4) AS mean_t, round(mean_control::numeric, 4) AS mean_c,
	round(std_mean_diff::numeric, 4) AS smd, smd_denominator, round(variance_ratio::numeric, 4) AS var_ratio,
	round(ecdf_mean::numeric, 4) AS ecdf_mean, round(ecdf_max::numeric, 4) AS ecdf_max,
	n_treated, n_control, round(ess_treated::numeric, 4) AS ess_t, round(ess_control::numeric, 4) AS ess_c
FROM balance_table('hand', 'id', 'tr', ARRAY['x', 'g']::name[], 'w');
-- ATE: pooled SD sqrt((1 + 20/3) / 2) = 1.9579 -> SMD -3 / 1.9579 = -1.5323
SELECT term, round(std_mean_diff::numeric, 4) AS smd, smd_denominator
FROM balance_table('hand', 'id', 'tr', ARRAY['x']::name[], estimand => 'ATE');

-- lalonde (MatchIt's copy; unit = row number)
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/lalonde/lalonde.csv'
CREATE TABLE lalonde (id integer, treat integer, age integer, educ integer, race text,
	married integer, nodegree integer, re74 float8, re75 float8, re78 float8);
COPY lalonde FROM :'f' (FORMAT csv, HEADER);
\set f :abs_srcdir '/data/lalonde/balance_weights.csv'
CREATE TABLE match_weight (unit integer, match_case text, weight float8);
COPY match_weight FROM :'f' (FORMAT csv, HEADER);
\set f :abs_srcdir '/data/lalonde/weight_ipw_reference.csv'
CREATE TABLE ipw_ref (unit integer, treat integer, ps float8, w_att float8, w_ate float8,
	w_ate_stab float8, w_att_trim float8, w_ate_trim_stab float8);
COPY ipw_ref FROM :'f' (FORMAT csv, HEADER, NULL 'NA');
\set f :abs_srcdir '/data/lalonde/balance_reference.csv'
CREATE TABLE ref (match_case text, term text, sample text, mean_treated float8, mean_control float8,
	std_mean_diff float8, variance_ratio float8, ecdf_mean float8, ecdf_max float8,
	n_treated bigint, n_control bigint, ess_treated float8, ess_control float8);
COPY ref FROM :'f' (FORMAT csv, HEADER, NULL 'NA');

-- the weighted samples as the docs show: join the weights to the table
CREATE VIEW lalonde_nearest AS
	SELECT l.*, m.weight FROM lalonde l JOIN match_weight m ON m.unit = l.id AND m.match_case = 'nearest';
CREATE VIEW lalonde_replace AS
	SELECT l.*, m.weight FROM lalonde l JOIN match_weight m ON m.unit = l.id AND m.match_case = 'nearest_2_replace';
-- IPW weights from ipw_weights() on R's glm score
CREATE TABLE lalonde_ps AS SELECT l.*, r.ps FROM lalonde l JOIN ipw_ref r ON r.unit = l.id;
CREATE VIEW lalonde_ipw_att AS
	SELECT l.*, w.weight FROM lalonde l JOIN ipw_weights('lalonde_ps', 'id', 'treat', 'ps') w ON w.unit = l.id;
CREATE VIEW lalonde_ipw_ate AS
	SELECT l.*, w.weight FROM lalonde l JOIN ipw_weights('lalonde_ps', 'id', 'treat', 'ps', 'ate') w ON w.unit = l.id;

CREATE TABLE got AS
SELECT 'none_att' AS match_case, * FROM balance_table('lalonde', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[])
UNION ALL
SELECT 'none_ate', * FROM balance_table('lalonde', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[], estimand => 'ate')
UNION ALL
SELECT 'nearest', * FROM balance_table('lalonde_nearest', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[], 'weight')
UNION ALL
SELECT 'nearest_2_replace', * FROM balance_table('lalonde_replace', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[], 'weight')
UNION ALL
SELECT 'ipw_att', * FROM balance_table('lalonde_ipw_att', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[], 'weight')
UNION ALL
SELECT 'ipw_ate', * FROM balance_table('lalonde_ipw_ate', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']::name[], 'weight', 'ate');

-- |got - want| <= 1e-9 max(1, |want|), NULL exactly where MatchIt gives NA
CREATE FUNCTION pg_temp.same(got float8, want float8) RETURNS boolean LANGUAGE sql AS
$$ SELECT CASE WHEN want IS NULL THEN got IS NULL
	ELSE got IS NOT NULL AND abs(got - want) <= 1e-9 * greatest(1, abs(want)) END $$;

-- every reference row found, every statistic equal (expected: all true)
SELECT r.match_case, count(*) AS rows, count(g.term) AS found,
	bool_and(pg_temp.same(g.mean_treated, r.mean_treated) AND pg_temp.same(g.mean_control, r.mean_control)) AS means,
	bool_and(pg_temp.same(g.std_mean_diff, r.std_mean_diff)) AS smd,
	bool_and(pg_temp.same(g.variance_ratio, r.variance_ratio)) AS var_ratio,
	bool_and(pg_temp.same(g.ecdf_mean, r.ecdf_mean) AND pg_temp.same(g.ecdf_max, r.ecdf_max)) AS ecdf,
	bool_and(g.n_treated = r.n_treated AND g.n_control = r.n_control) AS n,
	bool_and(pg_temp.same(g.ess_treated, r.ess_treated) AND pg_temp.same(g.ess_control, r.ess_control)) AS ess
FROM ref r LEFT JOIN got g USING (match_case, term, sample)
GROUP BY r.match_case ORDER BY r.match_case;
-- no rows beyond the reference's
SELECT count(*) AS extra_rows FROM got g
WHERE NOT EXISTS (SELECT 1 FROM ref r WHERE (r.match_case, r.term, r.sample) = (g.match_case, g.term, g.sample));
-- the denominators named
SELECT match_case, smd_denominator, count(*) FROM got GROUP BY 1, 2 ORDER BY 1, 2;

-- what a love plot reads: after MatchIt's default matching (rounded)
SELECT term, sample, round(std_mean_diff::numeric, 4) AS smd, round(variance_ratio::numeric, 4) AS var_ratio,
	round(ecdf_max::numeric, 4) AS ecdf_max, n_treated, n_control
FROM got WHERE match_case = 'nearest' ORDER BY term, sample DESC;

-- a NULL weight drops the row (counted); a weight 0 keeps it in the unadjusted rows
CREATE VIEW hand_null AS SELECT id, tr, x, g, CASE WHEN id = 4 THEN NULL ELSE w END AS w FROM hand;
SELECT term, sample, n_treated, n_control FROM balance_table('hand_null', 'id', 'tr', ARRAY['x']::name[], 'w');
-- integer 0/1 treatment and boolean / numeric covariates
CREATE VIEW hand_int AS SELECT id, tr::integer AS tr, x::numeric AS x, (id % 2 = 0) AS even FROM hand;
SELECT term, round(std_mean_diff::numeric, 4) AS smd, variance_ratio IS NULL AS binary
FROM balance_table('hand_int', 'id', 'tr', ARRAY['x', 'even']::name[]);

-- bad input
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table(NULL, 'id', 'tr', ARRAY['x']::name[]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand', 'id', 'tr', NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand', 'id', 'tr', ARRAY[]::name[]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand', 'id', 'tr', ARRAY['nope']::name[]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand', 'id', 'tr', ARRAY['x']::name[], estimand => 'atc') $$);
-- no treated / no controls
CREATE VIEW hand_no_treated AS SELECT * FROM hand WHERE NOT tr;
CREATE VIEW hand_no_controls AS SELECT * FROM hand WHERE tr;
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand_no_treated', 'id', 'tr', ARRAY['x']::name[]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand_no_controls', 'id', 'tr', ARRAY['x']::name[]) $$);
-- all-NULL and constant covariates
CREATE VIEW hand_bad AS SELECT *, NULL::float8 AS nothing, 7.0 AS seven FROM hand;
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand_bad', 'id', 'tr', ARRAY['x', 'nothing']::name[]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand_bad', 'id', 'tr', ARRAY['x', 'seven']::name[]) $$);
-- negative weights; no control with a positive weight
CREATE VIEW hand_neg AS SELECT id, tr, x, CASE WHEN id = 5 THEN -1 ELSE w END AS w FROM hand;
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand_neg', 'id', 'tr', ARRAY['x']::name[], 'w') $$);
CREATE VIEW hand_zero AS SELECT id, tr, x, CASE WHEN tr THEN w ELSE 0 END AS w FROM hand;
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand_zero', 'id', 'tr', ARRAY['x']::name[], 'w') $$);
-- text units are not read (map them to bigint first)
CREATE VIEW hand_text AS SELECT id::text AS id, tr, x FROM hand;
SELECT pg_temp.expect_error($$ SELECT * FROM balance_table('hand_text', 'id', 'tr', ARRAY['x']::name[]) $$);
