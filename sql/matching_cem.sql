-- match_cem: a hand-worked case, then R MatchIt 4.5.1's method = "cem" on
-- lalonde (data/lalonde/match_reference.R: same units, same subclasses,
-- weights to 1e-12), then bad input.
\i sql/include/expect_error.sql

-- cut points 1.5 and 2.5: x = 1 -> bin 0, 2 -> bin 1, 3 -> bin 2.
-- Strata: x=1 {1 T, 3, 6}, x=2 {2, 5 T}, x=3 {4 T alone: dropped}; numbered by
-- their first control: x=2 (unit 2) is 1, x=1 (unit 3) is 2. Weights: controls
-- n1/n0 = 1 (unit 2), 1/2 (units 3, 6), rescaled by 3/2 to sum to 3.
CREATE TABLE cem_tiny(id int, t int, x float8, g text);
INSERT INTO cem_tiny VALUES (1, 1, 1, 'a'), (2, 0, 2, 'a'), (3, 0, 1, 'a'), (4, 1, 3, 'a'),
	(5, 1, 2, 'a'), (6, 0, 1, 'b');
SELECT unit, treated, subclass, weight
FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": [2.5, 1.5, 2.5]}') ORDER BY unit;
-- the category g is matched exactly: unit 6 (g = b) leaves stratum x=1, unit 3 weighs 1
SELECT unit, subclass, weight
FROM match_cem('cem_tiny', 'id', 't', ARRAY['x', 'g']::name[], '{"x": [1.5, 2.5]}') ORDER BY unit;
-- a number of bins: 2 equal bins over [1, 3] (break 2; a value on it goes up): {1}, {2, 3}
SELECT unit, subclass FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": 2}') ORDER BY unit;
-- 0 bins = the exact values; Sturges (6 rows: 4 bins over [1, 3], breaks 1.5, 2, 2.5)
SELECT (SELECT array_agg(subclass ORDER BY unit) FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": 0}'))
	= (SELECT array_agg(subclass ORDER BY unit) FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[])) AS exact_equals_sturges_here;

-- lalonde
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/lalonde/lalonde.csv'
CREATE TABLE cem_lalonde(id int, name text, treat int, age int, educ int, race text, married int,
	nodegree int, re74 float8, re75 float8, re78 float8);
COPY cem_lalonde FROM :'f' (FORMAT csv, HEADER);
\set f :abs_srcdir '/data/lalonde/match_reference.csv'
CREATE TABLE cem_ref(match_case text, unit int, subclass int, weight float8);
COPY cem_ref FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE cem_got(match_case text, unit bigint, treated boolean, subclass bigint, weight float8);
INSERT INTO cem_got SELECT 'cem_default', m.* FROM match_cem('cem_lalonde', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74']::name[]) m;
INSERT INTO cem_got SELECT 'cem_cutpoints', m.* FROM match_cem('cem_lalonde', 'id', 'treat',
	ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74']::name[],
	'{"age": [20, 25, 30, 40], "educ": [9, 12], "re74": [1, 5000, 15000]}') m;
SELECT c.match_case,
	(SELECT count(*) FROM cem_ref r WHERE r.match_case = c.match_case) AS n_reference,
	(SELECT count(*) FROM cem_ref r WHERE r.match_case = c.match_case
		AND NOT EXISTS (SELECT 1 FROM cem_got g WHERE g.match_case = r.match_case AND g.unit = r.unit)) AS only_in_r,
	(SELECT count(*) FROM cem_got g WHERE g.match_case = c.match_case
		AND NOT EXISTS (SELECT 1 FROM cem_ref r WHERE g.match_case = r.match_case AND g.unit = r.unit)) AS only_here,
	(SELECT count(*) FROM cem_got g JOIN cem_ref r USING (match_case, unit)
		WHERE g.match_case = c.match_case AND g.subclass <> r.subclass) AS subclass_differs,
	(SELECT max(abs(g.weight - r.weight)) FROM cem_got g JOIN cem_ref r USING (match_case, unit)
		WHERE g.match_case = c.match_case) <= 1e-12 AS weights_1e_12
FROM (SELECT DISTINCT match_case FROM cem_got) c ORDER BY 1;

-- bad input
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"y": [1]}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x', 'g']::name[], '{"g": [1]}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": []}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": ["a"]}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": 2.5}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": "scott"}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '[1, 2]') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY['x']::name[], '{"x": {"x": 1}}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', ARRAY[]::name[]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_tiny', 'id', 't', NULL) $$);
-- no stratum with both groups
CREATE TABLE cem_apart AS SELECT id, t, 10.0 * t AS x FROM cem_tiny;
SELECT pg_temp.expect_error($$ SELECT * FROM match_cem('cem_apart', 'id', 't', ARRAY['x']::name[], '{"x": 0}') $$);
-- NULL covariates: dropped and counted
CREATE TABLE cem_tiny_null AS SELECT id, t, CASE WHEN id = 4 THEN NULL ELSE x END AS x FROM cem_tiny;
SELECT count(*) FROM match_cem('cem_tiny_null', 'id', 't', ARRAY['x']::name[], '{"x": [1.5, 2.5]}');

DROP TABLE cem_tiny, cem_tiny_null, cem_apart, cem_lalonde, cem_ref, cem_got;
