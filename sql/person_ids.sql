-- Person ids of every type in the functions that read a table of person
-- rows by id: benefit_paths_scan (integer ids, person_id bigint),
-- benefit_paths_scan_text (integer, text, varchar, char(n), uuid and
-- domains over them; person_id text) and did_event_study. Reference: the
-- results of the same rows with integer ids, and benefit_path(week, code)
-- ... GROUP BY person_id.
SET datestyle = ISO;
\i sql/include/expect_error.sql

CREATE SCHEMA ids;
SELECT generate_register('ids', 300, 7, 60);
-- reference: integer ids, grouped by the executor
CREATE TEMP TABLE ids_ref AS
SELECT person_id, benefit_path(week, code) AS path FROM ids.benefit_week GROUP BY 1;
SELECT count(*) AS persons, sum(path_weeks(path)) > 0 AS has_weeks FROM ids_ref;

-- the same rows under other id types; the text ids carry leading zeros
-- (CPR-style: they must not be read as numbers), the uuids are derived
-- from the integer id, the char(12) ids are blank-padded
CREATE DOMAIN ids.pnr AS text;
CREATE TABLE ids.w_int (person_id integer, week date, code integer);
CREATE TABLE ids.w_text (person_id text, week date, code integer);
CREATE TABLE ids.w_varchar (person_id varchar(20), week date, code integer);
CREATE TABLE ids.w_char (person_id char(12), week date, code integer);
CREATE TABLE ids.w_uuid (person_id uuid, week date, code integer);
CREATE TABLE ids.w_domain (person_id ids.pnr, week date, code integer);
CREATE FUNCTION pg_temp.pnr(i bigint) RETURNS text LANGUAGE sql IMMUTABLE RETURN lpad(i::text, 10, '0');
CREATE FUNCTION pg_temp.uid(i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE RETURN md5(i::text)::uuid;
INSERT INTO ids.w_int SELECT person_id, week, code FROM ids.benefit_week ORDER BY person_id, week;
INSERT INTO ids.w_text SELECT pg_temp.pnr(person_id), week, code FROM ids.benefit_week ORDER BY person_id, week;
INSERT INTO ids.w_varchar SELECT pg_temp.pnr(person_id), week, code FROM ids.benefit_week ORDER BY person_id, week;
INSERT INTO ids.w_char SELECT pg_temp.pnr(person_id), week, code FROM ids.benefit_week ORDER BY person_id, week;
-- uuid rows in week order (each person met again and again: late rows, compaction)
INSERT INTO ids.w_uuid SELECT pg_temp.uid(person_id), week, code FROM ids.benefit_week ORDER BY week, person_id;
INSERT INTO ids.w_domain SELECT pg_temp.pnr(person_id), week, code FROM ids.benefit_week ORDER BY random();
SET max_parallel_workers_per_gather = 0;

-- integer ids: both functions, the same paths; the text form is the decimal id
SELECT count(*) AS persons, count(*) FILTER (WHERE r.path = s.path) AS equal_paths
FROM ids_ref r FULL JOIN benefit_paths_scan('ids.w_int') s USING (person_id);
SELECT count(*) AS persons, count(*) FILTER (WHERE r.path = s.path) AS equal_paths
FROM ids_ref r FULL JOIN benefit_paths_scan_text('ids.w_int') s ON s.person_id = r.person_id::text;
SELECT pg_typeof(person_id) AS bigint_form FROM benefit_paths_scan('ids.w_int') LIMIT 1;
SELECT pg_typeof(person_id) AS text_form FROM benefit_paths_scan_text('ids.w_int') LIMIT 1;

-- every other id type: exactly the paths of the integer ids, person for
-- person, and the person_id as the table's own text of the id
SELECT t.tbl, count(*) AS persons,
	count(*) FILTER (WHERE x.rpath = x.spath) AS equal_paths,
	count(*) FILTER (WHERE x.rid IS NULL OR x.sid IS NULL) AS unmatched
FROM (VALUES ('ids.w_text'), ('ids.w_varchar'), ('ids.w_char'), ('ids.w_uuid'), ('ids.w_domain')) t(tbl)
CROSS JOIN LATERAL (
	SELECT r.person_id, r.path, s.person_id, s.path
	FROM (SELECT CASE WHEN t.tbl = 'ids.w_uuid' THEN pg_temp.uid(person_id)::text ELSE pg_temp.pnr(person_id) END AS person_id,
			path FROM ids_ref) r
	FULL JOIN benefit_paths_scan_text(t.tbl::regclass) s USING (person_id)
) x(rid, rpath, sid, spath)
GROUP BY t.tbl ORDER BY t.tbl;
-- the ids come back as the person table's text: a plain join finds them all
CREATE TABLE ids.person_text AS SELECT pg_temp.pnr(person_id) AS person_id, municipality FROM ids.person;
SELECT count(*) AS joined FROM ids.person_text p JOIN benefit_paths_scan_text('ids.w_text') x USING (person_id);
-- char(12): no trailing blanks in the result (as char(12)::text)
SELECT bool_and(person_id !~ ' ') AS no_blanks, min(length(person_id)) AS len FROM benefit_paths_scan_text('ids.w_char');
-- uuid in its canonical text form (lower-case hex with dashes), castable back
SELECT count(*) AS persons, count(*) FILTER (WHERE x.person_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
		AND x.person_id::uuid = pg_temp.uid(r.person_id)) AS canonical_and_castable
FROM ids_ref r JOIN benefit_paths_scan_text('ids.w_uuid') x ON x.person_id = pg_temp.uid(r.person_id)::text;
-- ids that differ only in case, or by a blank, are different persons; they
-- come out in the order they first appear in the table (not sorted)
CREATE TABLE ids.w_case (person_id text, week date, code integer);
INSERT INTO ids.w_case VALUES ('a', '2020-01-06', 130), ('A', '2020-01-06', 111), ('a ', '2020-01-13', 881),
	('a', '2020-01-13', 130), ('', '2020-01-06', 760);
SELECT '"' || person_id || '"' AS person_id, path FROM benefit_paths_scan_text('ids.w_case');

-- a larger table with parallel workers allowed: text ids are read by the
-- calling backend alone and still give the same paths
RESET max_parallel_workers_per_gather;
SET min_parallel_table_scan_size = 0;
SET parallel_setup_cost = 0;
SELECT count(*) AS persons, count(*) FILTER (WHERE r.path = s.path) AS equal_paths
FROM ids_ref r JOIN benefit_paths_scan_text('ids.w_text') s ON s.person_id = pg_temp.pnr(r.person_id);
RESET min_parallel_table_scan_size;
RESET parallel_setup_cost;

-- errors name the person by its id
CREATE TABLE ids.w_bad (person_id text, week date, code integer);
INSERT INTO ids.w_bad VALUES ('0042', '2020-01-06', 130), ('0042', '2020-01-08', 111);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan_text('ids.w_bad') $$);
SELECT person_id, path FROM benefit_paths_scan_text('ids.w_bad', on_duplicate => 'dream_priority');
TRUNCATE ids.w_bad;
INSERT INTO ids.w_bad VALUES ('0042', '2020-01-06', 130), ('0042', NULL, 111);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan_text('ids.w_bad') $$);
TRUNCATE ids.w_bad;
INSERT INTO ids.w_bad VALUES ('0042', '2020-01-06', 130), (NULL, '2020-01-06', 111);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan_text('ids.w_bad') $$);
TRUNCATE ids.w_bad;
INSERT INTO ids.w_bad VALUES ('0042', '2020-01-06', 10000);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan_text('ids.w_bad') $$);

-- column types that cannot work: one line, 42804, with the way out
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('ids.w_text') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('ids.w_uuid') $$);
CREATE TABLE ids.w_numeric (person_id numeric, week date, code integer);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan_text('ids.w_numeric') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('ids.w_numeric') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan_text(NULL) $$);

-- row-level security applies: the rows come through a query as the
-- caller (text ids read as text; uuids in their canonical form)
CREATE ROLE ids_reader;
GRANT USAGE ON SCHEMA ids TO ids_reader;
GRANT SELECT ON ids.w_text, ids.w_uuid TO ids_reader;
ALTER TABLE ids.w_text ENABLE ROW LEVEL SECURITY;
ALTER TABLE ids.w_uuid ENABLE ROW LEVEL SECURITY;
CREATE POLICY odd ON ids.w_text FOR SELECT TO ids_reader USING (right(person_id, 1) IN ('1', '3', '5', '7', '9'));
CREATE POLICY all_rows ON ids.w_uuid FOR SELECT TO ids_reader USING (true);
SET ROLE ids_reader;
CREATE TEMP TABLE ids_rls_text AS SELECT * FROM benefit_paths_scan_text('ids.w_text');
CREATE TEMP TABLE ids_rls_uuid AS SELECT * FROM benefit_paths_scan_text('ids.w_uuid');
RESET ROLE;
SELECT count(*) AS odd_persons, count(*) FILTER (WHERE r.path = s.path) AS equal_paths,
	(SELECT count(*) FROM ids_ref WHERE right(pg_temp.pnr(person_id), 1) IN ('1', '3', '5', '7', '9')) AS odd_expected
FROM ids_rls_text s JOIN ids_ref r ON s.person_id = pg_temp.pnr(r.person_id);
SELECT count(*) AS persons, count(*) FILTER (WHERE r.path = s.path) AS equal_paths
FROM ids_rls_uuid s JOIN ids_ref r ON s.person_id = pg_temp.uid(r.person_id)::text;

-- did_event_study reads its person column by equality only (joins and
-- DISTINCT): integer, text and uuid persons give the same event study
CREATE TABLE ids.ev_int AS
SELECT i AS person, rel, sin(i * 7 + rel * 3) + CASE WHEN i % 2 = 0 AND rel >= 0 THEN 0.5 ELSE 0 END AS y,
	i % 2 = 0 AS treated, i % 5 AS cl
FROM generate_series(1, 40) i, generate_series(-2, 1) rel;
CREATE TABLE ids.ev_text AS SELECT pg_temp.pnr(person) AS person, rel, y, treated, cl FROM ids.ev_int;
CREATE TABLE ids.ev_uuid AS SELECT pg_temp.uid(person) AS person, rel, y, treated, cl FROM ids.ev_int;
SELECT t.tbl, count(*) AS periods,
	count(*) FILTER (WHERE e.estimate = i.estimate AND e.std_error IS NOT DISTINCT FROM i.std_error
		AND e.n_treated = i.n_treated AND e.n_control = i.n_control) AS equal
FROM (VALUES ('ids.ev_text'), ('ids.ev_uuid')) t(tbl)
CROSS JOIN LATERAL did_event_study(t.tbl::regclass, outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'treated', cluster_column => 'cl') e
JOIN did_event_study('ids.ev_int', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'treated', cluster_column => 'cl') i USING (relative_period)
GROUP BY t.tbl ORDER BY t.tbl;

DROP TABLE ids_rls_text, ids_rls_uuid;
SET client_min_messages = warning;	-- the generated register's tables (a list that grows)
DROP SCHEMA ids CASCADE;
RESET client_min_messages;
DROP ROLE ids_reader;
