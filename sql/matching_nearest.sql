-- match_nearest: a hand-worked case, then the matched sets of R MatchIt 4.5.1 (see the script for its abs() bug)
-- on lalonde (data/lalonde/match_reference.R: same units, same subclass
-- partition, weights to 1e-12), then bad input.
\i sql/include/expect_error.sql
SET client_min_messages = notice;

-- Scores x/16 (exact in binary, so ties are ties): controls at x = 1, 2.5, 7, 9
-- (units 10, 12, 14, 15), treated at 3, 8, 5 (units 11, 13, 16); distance 'score'.
CREATE TABLE tiny(id int, t boolean, p float8);
INSERT INTO tiny VALUES (10, false, 1/16.), (11, true, 3/16.), (12, false, 2.5/16),
	(13, true, 8/16.), (14, false, 7/16.), (15, false, 9/16.), (16, true, 5/16.);
-- largest first: 13 (8) ties 7 and 9 -> the lower, 7; 16 (5) takes 2.5; 11 (3) takes 1
SELECT unit, treated, subclass, round(weight::numeric, 6) AS weight, score
FROM match_nearest('tiny', 'id', 't', 'p', distance => 'score', caliper => NULL) ORDER BY unit;
-- 2:1: the second round gives 9 to unit 13 only; weights 1/k rescaled to sum to 4
SELECT unit, subclass, round(weight::numeric, 6) AS weight
FROM match_nearest('tiny', 'id', 't', 'p', ratio => 2, distance => 'score', caliper => NULL) ORDER BY unit;
-- with replacement 7 serves 13 and 16 (weight 2 * 2/3); subclass NULL
SELECT unit, subclass, round(weight::numeric, 6) AS weight
FROM match_nearest('tiny', 'id', 't', 'p', replace => true, distance => 'score', caliper => NULL) ORDER BY unit;
-- smallest first: 11 takes 2.5, 16 takes 7, 13 takes 9
SELECT unit, subclass FROM match_nearest('tiny', 'id', 't', 'p', m_order => 'smallest',
	distance => 'score', caliper => NULL) ORDER BY unit;
-- random order with a seed: repeatable
SELECT (SELECT array_agg(unit ORDER BY unit) FROM match_nearest('tiny', 'id', 't', 'p',
		m_order => 'random', seed => 5, caliper => NULL))
	= (SELECT array_agg(unit ORDER BY unit) FROM match_nearest('tiny', 'id', 't', 'p',
		m_order => 'random', seed => 5, caliper => NULL)) AS random_repeatable;
-- exact strata: unit 11 may only take a control of its own group
CREATE TABLE tiny_grp AS SELECT id, t, p, CASE WHEN id IN (11, 15) THEN 'a' ELSE 'b' END AS grp FROM tiny;
SELECT unit, subclass FROM match_nearest('tiny_grp', 'id', 't', 'p', exact_columns => ARRAY['grp']::name[],
	distance => 'score', caliper => NULL) ORDER BY unit;

-- lalonde
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/lalonde/lalonde.csv'
CREATE TABLE lalonde(id int, name text, treat int, age int, educ int, race text, married int,
	nodegree int, re74 float8, re75 float8, re78 float8);
COPY lalonde FROM :'f' (FORMAT csv, HEADER);
\set f :abs_srcdir '/data/lalonde/match_scores.csv'
CREATE TABLE lalonde_score(unit int, score float8);
COPY lalonde_score FROM :'f' (FORMAT csv, HEADER);
\set f :abs_srcdir '/data/lalonde/match_reference.csv'
CREATE TABLE ref(match_case text, unit int, subclass int, weight float8);
COPY ref FROM :'f' (FORMAT csv, HEADER);
-- the scores of R's glm
CREATE VIEW lal AS SELECT l.id, l.treat, l.race, s.score FROM lalonde l JOIN lalonde_score s ON s.unit = l.id;

CREATE TABLE got(match_case text, unit bigint, treated boolean, subclass bigint, weight float8);
INSERT INTO got SELECT 'nn_logit_cal', unit, treated, subclass, weight FROM match_nearest('lal', 'id', 'treat', 'score');
INSERT INTO got SELECT 'nn_logit_cal_replace', unit, treated, subclass, weight
	FROM match_nearest('lal', 'id', 'treat', 'score', replace => true);
INSERT INTO got SELECT 'nn_logit_cal_ratio2', unit, treated, subclass, weight
	FROM match_nearest('lal', 'id', 'treat', 'score', ratio => 2);
INSERT INTO got SELECT 'nn_logit_ratio3_replace', unit, treated, subclass, weight
	FROM match_nearest('lal', 'id', 'treat', 'score', ratio => 3, replace => true, caliper => NULL);
INSERT INTO got SELECT 'nn_score', unit, treated, subclass, weight
	FROM match_nearest('lal', 'id', 'treat', 'score', distance => 'score', caliper => NULL);
INSERT INTO got SELECT 'nn_logit_cal_smallest', unit, treated, subclass, weight
	FROM match_nearest('lal', 'id', 'treat', 'score', m_order => 'smallest');
INSERT INTO got SELECT 'nn_logit_cal_exact_race', unit, treated, subclass, weight
	FROM match_nearest('lal', 'id', 'treat', 'score', exact_columns => ARRAY['race']::name[]);

-- per case: units only in R / only here, the largest weight difference, and
-- units whose subclass partner (the treated unit of the subclass) differs
CREATE VIEW ref_partner AS
SELECT r.match_case, r.unit, (SELECT min(r2.unit) FROM ref r2 JOIN lalonde l2 ON l2.id = r2.unit
	WHERE r2.match_case = r.match_case AND r2.subclass = r.subclass AND l2.treat = 1) AS partner
FROM ref r;
CREATE VIEW got_partner AS
SELECT g.match_case, g.unit, (SELECT min(g2.unit) FROM got g2
	WHERE g2.match_case = g.match_case AND g2.subclass = g.subclass AND g2.treated) AS partner
FROM got g;
SELECT c.match_case,
	(SELECT count(*) FROM ref r WHERE r.match_case = c.match_case) AS n_reference,
	(SELECT count(*) FROM ref r WHERE r.match_case = c.match_case
		AND NOT EXISTS (SELECT 1 FROM got g WHERE g.match_case = r.match_case AND g.unit = r.unit)) AS only_in_r,
	(SELECT count(*) FROM got g WHERE g.match_case = c.match_case
		AND NOT EXISTS (SELECT 1 FROM ref r WHERE g.match_case = r.match_case AND g.unit = r.unit)) AS only_here,
	(SELECT max(abs(g.weight - r.weight)) FROM got g JOIN ref r USING (match_case, unit)
		WHERE g.match_case = c.match_case) <= 1e-12 AS weights_1e_12,
	(SELECT count(*) FROM ref_partner rp JOIN got_partner gp USING (match_case, unit)
		WHERE rp.match_case = c.match_case AND rp.partner IS DISTINCT FROM gp.partner) AS partner_differs
FROM (SELECT DISTINCT match_case FROM got) c ORDER BY 1;
-- with replacement there are no subclasses (as MatchIt)
SELECT match_case, count(subclass) AS with_subclass FROM got WHERE match_case LIKE '%replace%' GROUP BY 1 ORDER BY 1;
-- the treated units the caliper leaves out are announced
SELECT count(*) FROM match_nearest('lal', 'id', 'treat', 'score', caliper => 0.01);

-- NULL scores: dropped and counted
CREATE TABLE lal_null AS SELECT id, treat, CASE WHEN id IN (3, 400) THEN NULL ELSE score END AS score FROM lal;
SELECT count(*) FROM match_nearest('lal_null', 'id', 'treat', 'score');

-- bad input
CREATE TABLE bad_score AS SELECT id, t, CASE WHEN id = 12 THEN 1.0 ELSE p END AS p, 'x'::text AS txt FROM tiny;
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('bad_score', 'id', 't', 'p') $$);
UPDATE bad_score SET p = 0 WHERE id = 12;
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('bad_score', 'id', 't', 'p') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('bad_score', 'id', 't', 'txt') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('tiny', 'id', 't', 'p', ratio => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('tiny', 'id', 't', 'p', caliper => -0.1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('tiny', 'id', 't', 'p', caliper => 'NaN') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('tiny', 'id', 't', 'p', distance => 'mahalanobis') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('tiny', 'id', 't', 'p', m_order => 'closest') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('tiny', 'id', 't', 'p', m_order => 'random') $$);
CREATE TABLE no_treated AS SELECT id, false AS t, p FROM tiny;
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('no_treated', 'id', 't', 'p') $$);
CREATE TABLE no_controls AS SELECT id, true AS t, p FROM tiny;
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('no_controls', 'id', 't', 'p') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_nearest('tiny', 'id', 't', 'nosuch') $$);
-- NULL options mean their defaults (caliper: NULL = none)
SELECT count(*) FROM match_nearest('tiny', 'id', 't', 'p', ratio => NULL, replace => NULL,
	distance => NULL, m_order => NULL, exact_columns => NULL);

DROP VIEW ref_partner, got_partner, lal;
DROP TABLE tiny, tiny_grp, lalonde, lalonde_score, ref, got, lal_null, bad_score, no_treated, no_controls;
