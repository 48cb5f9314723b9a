-- att_gt: bad input gives clear errors with SQLSTATEs; names are quoted
-- safely; the caller's privileges and row-level security apply.
\i sql/include/expect_error.sql
-- a tiny panel: units 1-2 cohort 3, units 3-4 never treated, periods 1-4
CREATE TABLE p(id int, t float8, g int, y float8, x float8, x_const float8, w float8);
INSERT INTO p SELECT id, t, CASE WHEN id <= 2 THEN 3 ELSE 0 END, id * 0.5 + t * t * 0.1 + (id % 2) * 0.3 + CASE WHEN id <= 2 AND t >= 3 THEN 1 ELSE 0 END,
       id * 1.5 + (id % 3), 1.0, 1.0
FROM generate_series(1, 4) id, generate_series(1, 4) t;
SELECT cohort, period, round(estimate::numeric, 10) AS att FROM att_gt('p', 'y', 'id', 't', 'g', base_period => 'universal') ORDER BY 1, 2;

-- a column that does not exist: the hint lists the table's columns
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'income', 'id', 't', 'g') $$);
-- quoting: a hostile column name is a name, not SQL
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y" FROM pg_authid --', 'id', 't', 'g') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', NULL) $$);
-- non-integer periods
UPDATE p SET t = 2.5 WHERE id = 1 AND t = 2;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g') $$);
UPDATE p SET t = 2 WHERE id = 1 AND t = 2.5;
-- missing outcome
UPDATE p SET y = NULL WHERE id = 3 AND t = 2;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g') $$);
UPDATE p SET y = 1 WHERE id = 3 AND t = 2;
-- duplicated (unit, period)
INSERT INTO p VALUES (4, 4, 0, 1, 1, 1, 1);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g') $$);
DELETE FROM p WHERE ctid = (SELECT max(ctid) FROM p WHERE id = 4 AND t = 4);
-- cohort varying within a unit
UPDATE p SET g = 4 WHERE id = 1 AND t = 4;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g') $$);
UPDATE p SET g = 3 WHERE id = 1;
-- a covariate that does not vary: the cell and the covariate are named
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x_const'], est_method => 'reg') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', covariate_columns => ARRAY['nope']) $$);
-- no never-treated units with control_group 'nevertreated'
CREATE TABLE q AS SELECT * FROM p WHERE g <> 0;
INSERT INTO q SELECT id + 10, t, 4, y, x, x_const, w FROM p WHERE g = 0;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('q', 'y', 'id', 't', 'g') $$);
-- ... while notyettreated uses the last cohort as control (as R did)
SELECT cohort, period FROM att_gt('q', 'y', 'id', 't', 'g', control_group => 'notyettreated') ORDER BY 1, 2;
-- a cohort never observed before treatment (all treated in period 1) is dropped, and reported
CREATE TABLE r1 AS SELECT * FROM p;
UPDATE r1 SET g = 1 WHERE id = 1;
SELECT reason, n_units FROM att_gt_sample('r1', 'y', 'id', 't', 'g') WHERE step IN (3, 9);
UPDATE r1 SET g = 1 WHERE g = 3;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('r1', 'y', 'id', 't', 'g') $$);
-- options
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', control_group => 'never') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', base_period => 'fixed') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', est_method => 'ols') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', anticipation => -1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', conf_level => 1.5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', bootstrap => 5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt_aggregate('p', 'y', 'id', 't', 'g', type => 'event') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt_aggregate('p', 'y', 'id', 't', 'g', type => 'dynamic', max_e => -1) $$);
UPDATE p SET w = -1 WHERE id = 2;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', weight_column => 'w') $$);

-- privileges and row-level security
CREATE ROLE attgt_reader;
SET ROLE attgt_reader;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g') $$);
RESET ROLE;
-- column privileges on the columns used are enough; one missing column privilege is not
GRANT SELECT (id, t, g, y) ON p TO attgt_reader;
SET ROLE attgt_reader;
SELECT count(*) AS cells FROM att_gt('p', 'y', 'id', 't', 'g');
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('p', 'y', 'id', 't', 'g', covariate_columns => ARRAY['x']) $$);
RESET ROLE;
REVOKE SELECT (id, t, g, y) ON p FROM attgt_reader;
UPDATE p SET w = 1;
GRANT SELECT ON p TO attgt_reader;
ALTER TABLE p ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_three ON p FOR SELECT TO attgt_reader USING (id <> 4);
SET ROLE attgt_reader;
SELECT reason, n_units FROM att_gt_sample('p', 'y', 'id', 't', 'g') WHERE step = 9;
RESET ROLE;
SELECT reason, n_units FROM att_gt_sample('p', 'y', 'id', 't', 'g') WHERE step = 9;
DROP TABLE p;
DROP ROLE attgt_reader;
DROP TABLE q, r1;
