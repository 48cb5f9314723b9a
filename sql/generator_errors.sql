-- Synthetic register generator: bad input.
\i sql/include/expect_error.sql
CREATE SCHEMA ge1;
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 0, 1) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', -5, 1) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', NULL, 1) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, NULL) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register(NULL, 10, 1) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, weeks => 0) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, weeks => 100000) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, weeks => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, effect => 1.5) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, effect => -1.01) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, effect => 'NaN') $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, mentored_share => -0.1) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, mentored_share => 1.2) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, first_week => 'infinity') $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, first_week => '1800-01-06') $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, replace => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT generate_register('no_such_schema', 10, 1) $$);
-- nothing was created by the failed calls
SELECT count(*) AS tables_in_ge1 FROM pg_class WHERE relnamespace = 'ge1'::regnamespace;

-- existing tables are kept unless replace
SELECT generate_register('ge1', 10, 1, 52);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge1', 10, 1, 52) $$);
CREATE SCHEMA ge2;
CREATE TABLE ge2.person (x int);
SELECT pg_temp.expect_error($$ SELECT generate_register('ge2', 10, 1, 52) $$);
SELECT count(*) AS user_table_kept FROM ge2.person;
SELECT generate_register('ge1', 20, 1, 52, replace => true);
SELECT count(*) AS persons_after_replace FROM ge1.person;
-- a first_week that is not a Monday means its ISO week
SELECT generate_register('ge1', 5, 1, 3, first_week => '2019-01-09', replace => true);
SELECT value AS first_week FROM ge1.register_info WHERE key = 'first_week';
SELECT min(week) >= '2019-01-07' AND max(week) <= '2019-01-21' AS weeks_ok FROM ge1.benefit_week;

-- the set-returning functions check their arguments too
SELECT pg_temp.expect_error($$ SELECT * FROM synthetic_persons(1, 0, 10) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM synthetic_persons(1, 10, 5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM synthetic_benefit_weeks(NULL, 1, 10) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM synthetic_benefit_spells(1, 1, NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM synthetic_mentoring(1, 1, 10, -1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM synthetic_mentoring(1, 1, 10, 52, 0.1, '2019-01-07', NULL) $$);
SET client_min_messages = warning;	-- the generated register's tables (a list that grows)
DROP SCHEMA ge1, ge2 CASCADE;
