-- Privileges of the functions that read a table the caller names, checked
-- as PostgreSQL checks a SELECT of it: USAGE on the table's schema (a table
-- given by OID skips the name lookup that checks it, so the functions check
-- it themselves), SELECT on the table or on every column read, and
-- row-level security (benefit_paths_scan counts only the rows the policies
-- let the caller see; owners and superusers keep the direct scan).
SET datestyle = ISO;
SET max_parallel_workers_per_gather = 0;
\i sql/include/expect_error.sql

CREATE SCHEMA priv_src;
SELECT generate_register('priv_src', 120, 5, 60);
CREATE ROLE regress_si_priv;

-- 1. a schema without USAGE: the table is granted, its schema is not
CREATE SCHEMA priv_hidden;
CREATE TABLE priv_hidden.bw AS SELECT person_id, week, code FROM priv_src.benefit_week;
CREATE TABLE priv_hidden.panel (id bigint, t integer, g integer, y float8);
INSERT INTO priv_hidden.panel
SELECT id, t, CASE WHEN id <= 10 THEN 3 WHEN id <= 20 THEN 4 ELSE 0 END,
       (id * 7 % 5 + t)::float8 + CASE WHEN id <= 10 AND t >= 3 OR id BETWEEN 11 AND 20 AND t >= 4 THEN 1 ELSE 0 END
FROM generate_series(1, 40) id, generate_series(1, 4) t;
CREATE TABLE priv_hidden.outcomes (outcome text, cohort text, day date, value numeric, comparison numeric, n numeric);
INSERT INTO priv_hidden.outcomes VALUES ('reconvictions', '1', '2012-06-30', 142, 155, 1000);
CREATE TABLE priv_hidden.ev (person bigint, rel integer, y float8, mentored boolean);
INSERT INTO priv_hidden.ev SELECT p, r, p % 3 + r * 0.1, p <= 10 FROM generate_series(1, 20) p, generate_series(-1, 1) r;
GRANT SELECT ON ALL TABLES IN SCHEMA priv_hidden TO regress_si_priv;
SELECT 'priv_hidden.bw'::regclass::oid AS hidden_bw, 'priv_hidden.panel'::regclass::oid AS hidden_panel,
       'priv_hidden.outcomes'::regclass::oid AS hidden_outcomes, 'priv_hidden.ev'::regclass::oid AS hidden_ev \gset
SET ROLE regress_si_priv;
-- PostgreSQL itself: the name lookup needs USAGE
SELECT pg_temp.expect_error($$ SELECT count(*) FROM priv_hidden.bw $$) AS select_by_name;
SELECT pg_temp.expect_error($$ SELECT 'priv_hidden.bw'::regclass $$) AS regclass_by_name;
-- by OID: each function refuses as a SELECT would
SELECT pg_temp.expect_error(format('SELECT count(*) FROM benefit_paths_scan(%s)', :hidden_bw)) AS paths_scan;
SELECT pg_temp.expect_error(format($$ SELECT count(*) FROM att_gt(%s, 'y', 'id', 't', 'g') $$, :hidden_panel)) AS att_gt;
SELECT pg_temp.expect_error(format($$ SELECT count(*) FROM att_gt_sample(%s, 'y', 'id', 't', 'g') $$, :hidden_panel)) AS att_gt_sample;
SELECT pg_temp.expect_error(format($$ SELECT count(*) FROM unmapped_codes(%s, 'code', 'week') $$, :hidden_bw)) AS unmapped_codes;
SELECT pg_temp.expect_error(format($$ SELECT count(*) FROM did_event_study(%s, outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored') $$, :hidden_ev)) AS did_event_study;
SELECT pg_temp.expect_error(format($$ SELECT count(*) FROM contract_schedule('{"name": "pb", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.10, "price": 1000, "per": 100}]}', %s) $$, :hidden_outcomes)) AS contract_schedule;
RESET ROLE;
-- with USAGE the same calls run
GRANT USAGE ON SCHEMA priv_hidden TO regress_si_priv;
SET ROLE regress_si_priv;
SELECT (SELECT count(*) FROM benefit_paths_scan(:hidden_bw)) AS paths,
       (SELECT count(*) > 0 FROM att_gt(:hidden_panel, 'y', 'id', 't', 'g')) AS att_gt,
       (SELECT count(*) >= 0 FROM unmapped_codes(:hidden_bw, 'code', 'week')) AS unmapped_codes,
       (SELECT count(*) > 0 FROM did_event_study(:hidden_ev, outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored')) AS did_event_study,
       (SELECT count(*) > 0 FROM contract_schedule('{"name": "pb", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.10, "price": 1000, "per": 100}]}', :hidden_outcomes)) AS contract_schedule;
RESET ROLE;
REVOKE ALL ON ALL TABLES IN SCHEMA priv_hidden FROM regress_si_priv;
REVOKE USAGE ON SCHEMA priv_hidden FROM regress_si_priv;
DROP SCHEMA priv_hidden CASCADE;

-- 2. column privileges: SELECT on the three columns read is enough, one
-- missing column is not (the salary column is never granted)
CREATE SCHEMA priv_open;
GRANT USAGE ON SCHEMA priv_open TO regress_si_priv;
CREATE TABLE priv_open.bw (person_id bigint, week date, code integer, salary integer);
INSERT INTO priv_open.bw SELECT person_id, week, code, 1000 FROM priv_src.benefit_week;
CREATE TEMP TABLE priv_all AS
SELECT person_id, benefit_path(week, code) AS path FROM priv_src.benefit_week GROUP BY 1;
GRANT SELECT (person_id, week) ON priv_open.bw TO regress_si_priv;
SET ROLE regress_si_priv;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('priv_open.bw') $$) AS without_code_column;
RESET ROLE;
GRANT SELECT (code) ON priv_open.bw TO regress_si_priv;
SET ROLE regress_si_priv;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM priv_open.bw WHERE salary > 0 $$) AS salary_not_readable;
CREATE TEMP TABLE priv_cols AS SELECT * FROM benefit_paths_scan('priv_open.bw');
RESET ROLE;
SELECT (SELECT count(*) FROM priv_all) AS persons,
       count(*) FILTER (WHERE a.path = c.path) AS equal_paths
FROM priv_all a FULL JOIN priv_cols c USING (person_id);

-- 3. row-level security: a policy shows the role every third person; the
-- scan counts exactly those persons' rows, as the aggregate over a SELECT
-- of the same table does. Quoted names and narrower column types on the
-- way through the query.
CREATE TABLE priv_open."RLS weeks" ("Person id" integer, "Week" date, code smallint, salary integer);
INSERT INTO priv_open."RLS weeks" SELECT person_id, week, code, 1000 FROM priv_src.benefit_week;
INSERT INTO priv_open."RLS weeks" SELECT person_id, week_add(max(week), 1), NULL, 0 FROM priv_src.benefit_week GROUP BY 1;
ALTER TABLE priv_open."RLS weeks" ENABLE ROW LEVEL SECURITY;
CREATE POLICY every_third ON priv_open."RLS weeks" FOR SELECT TO regress_si_priv USING ("Person id" % 3 = 0);
GRANT SELECT ("Person id", "Week", code) ON priv_open."RLS weeks" TO regress_si_priv;
SET ROLE regress_si_priv;
CREATE TEMP TABLE priv_rls_scan AS SELECT * FROM benefit_paths_scan('priv_open."RLS weeks"', 'Person id', 'Week', 'code');
-- read through a query (the DEBUG line says so)
SET client_min_messages = debug1;
SELECT count(*) AS paths FROM benefit_paths_scan('priv_open."RLS weeks"', 'Person id', 'Week', 'code');
RESET client_min_messages;
CREATE TEMP TABLE priv_rls_agg AS
SELECT * FROM benefit_paths_rows((SELECT benefit_paths("Person id", "Week", code) FROM priv_open."RLS weeks"));
RESET ROLE;
SELECT (SELECT count(*) FROM priv_rls_agg) AS visible_persons,
       (SELECT count(*) FROM priv_rls_scan) AS scanned_persons,
       (SELECT count(*) FROM priv_rls_scan WHERE person_id % 3 <> 0) AS scanned_outside_policy,
       count(*) FILTER (WHERE a.path = s.path) AS equal_to_aggregate,
       (SELECT count(DISTINCT person_id) FILTER (WHERE person_id % 3 = 0) FROM priv_src.benefit_week) AS persons_the_policy_allows
FROM priv_rls_agg a FULL JOIN priv_rls_scan s USING (person_id);
-- the owner (here the superuser) is not subject to the policy: every
-- person, read directly (no DEBUG line about a query)
CREATE TEMP TABLE priv_owner_scan AS SELECT * FROM benefit_paths_scan('priv_open."RLS weeks"', 'Person id', 'Week', 'code');
SET client_min_messages = debug1;
SELECT count(*) AS paths FROM benefit_paths_scan('priv_open."RLS weeks"', 'Person id', 'Week', 'code');
RESET client_min_messages;
SELECT (SELECT count(*) FROM priv_all) AS persons, count(*) AS owner_persons,
       count(*) FILTER (WHERE o.path = a.path) AS owner_equal_to_aggregate
FROM priv_owner_scan o FULL JOIN
     benefit_paths_rows((SELECT benefit_paths("Person id", "Week", code) FROM priv_open."RLS weeks")) a USING (person_id);
-- a policy that hides every row: no paths; row_security = off: an error, as for a SELECT
ALTER POLICY every_third ON priv_open."RLS weeks" USING (false);
SET ROLE regress_si_priv;
SELECT count(*) AS paths_none_visible FROM benefit_paths_scan('priv_open."RLS weeks"', 'Person id', 'Week', 'code');
SET row_security = off;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('priv_open."RLS weeks"', 'Person id', 'Week', 'code') $$) AS row_security_off;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM priv_open."RLS weeks" $$) AS select_row_security_off;
RESET row_security;
RESET ROLE;
-- a visible row with a NULL week: the same error through the query
ALTER POLICY every_third ON priv_open."RLS weeks" USING ("Person id" % 3 = 0);
INSERT INTO priv_open."RLS weeks" VALUES (3, NULL, 130, 0);
SET ROLE regress_si_priv;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('priv_open."RLS weeks"', 'Person id', 'Week', 'code') $$) AS null_week;
RESET ROLE;

-- 4. foreign tables are never scanned (they have no storage here): they
-- are read through a query, also as a partition, which the wrapper runs
-- as the caller; this wrapper has no handler, so the query fails (never
-- an empty answer; paths_scan_foreign reads real foreign tables)
CREATE FOREIGN DATA WRAPPER priv_nowhere;
CREATE SERVER priv_nowhere FOREIGN DATA WRAPPER priv_nowhere;
CREATE FOREIGN TABLE priv_open.far (person_id bigint, week date, code integer) SERVER priv_nowhere;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('priv_open.far') $$) AS foreign_table;
-- (a partitioned table under a policy: its partitions through the query)
CREATE TABLE priv_open.parted (person_id bigint, week date, code integer) PARTITION BY RANGE (person_id);
CREATE TABLE priv_open.parted_low PARTITION OF priv_open.parted FOR VALUES FROM (MINVALUE) TO (60);
CREATE TABLE priv_open.parted_high PARTITION OF priv_open.parted FOR VALUES FROM (60) TO (1000);
INSERT INTO priv_open.parted SELECT person_id, week, code FROM priv_src.benefit_week;
ALTER TABLE priv_open.parted ENABLE ROW LEVEL SECURITY;
CREATE POLICY odd ON priv_open.parted FOR SELECT TO regress_si_priv USING (person_id % 2 = 1);
GRANT SELECT ON priv_open.parted TO regress_si_priv;
SET ROLE regress_si_priv;
SELECT count(*) AS partitioned_under_policy, (SELECT count(DISTINCT person_id) FROM priv_open.parted) AS select_sees
FROM benefit_paths_scan('priv_open.parted');
RESET ROLE;
ALTER TABLE priv_open.parted ATTACH PARTITION priv_open.far FOR VALUES FROM (1000) TO (MAXVALUE);
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('priv_open.parted') $$) AS foreign_partition;
SET ROLE regress_si_priv;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('priv_open.parted') $$) AS foreign_partition_under_policy;
RESET ROLE;

DROP TABLE priv_all, priv_cols, priv_rls_scan, priv_rls_agg, priv_owner_scan;
DROP SCHEMA priv_open CASCADE;
DROP SERVER priv_nowhere;
DROP FOREIGN DATA WRAPPER priv_nowhere;
SET client_min_messages = warning;	-- the generated register's tables (a list that grows)
DROP SCHEMA priv_src CASCADE;
RESET client_min_messages;
DROP ROLE regress_si_priv;
