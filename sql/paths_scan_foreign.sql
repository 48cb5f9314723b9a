-- Relations whose rows are not in this server's storage (issue 15 items 2
-- and 4): benefit_paths_scan must never scan them (a foreign table has no
-- storage here; a Citus distributed table leaves an empty shell on the
-- coordinator) and returns their paths through a query instead; a parent
-- with a foreign partition too. unmapped_codes reads them with a plain
-- aggregate that the foreign server runs. Reference everywhere:
-- benefit_path(week, code) ... GROUP BY person over the local rows.
-- The foreign tables are postgres_fdw tables on this very cluster
-- (loopback through the unix socket, as in did_fdw).
SET datestyle = ISO;
\i sql/include/expect_error.sql
CREATE EXTENSION postgres_fdw;
CREATE SCHEMA sf;
SELECT generate_register('sf', 300, 17, 60);
-- codes NULL (no benefit) in about one row in nine, and two codes that
-- benefit_code does not know: 9999 in 3 rows, 8888 in 1
CREATE TABLE sf.weeks AS
SELECT person_id, week,
	CASE WHEN (person_id + (week - date '2019-01-07') / 7) % 9 = 0 THEN NULL ELSE code END AS code
FROM sf.benefit_week;
UPDATE sf.weeks SET code = 9999 WHERE person_id = 5 AND week IN ('2019-01-14', '2019-01-21', '2019-02-04');
UPDATE sf.weeks SET code = 8888
WHERE (person_id, week) = (SELECT person_id, max(week) FROM sf.weeks WHERE person_id = 7 GROUP BY 1);
SELECT count(*) FILTER (WHERE code IS NULL) > count(*) / 12 AS some_codes_null,
	count(*) FILTER (WHERE code = 9999) AS rows_9999, count(*) FILTER (WHERE code = 8888) AS rows_8888
FROM sf.weeks;
CREATE TEMP TABLE sf_ref AS
SELECT person_id, benefit_path(week, code) AS path FROM sf.weeks GROUP BY 1;

SELECT split_part(current_setting('unix_socket_directories'), ',', 1) AS sockdir,
	current_setting('port') AS port, current_database() AS db \gset
CREATE SERVER sf_loopback FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'sockdir', port :'port', dbname :'db');
CREATE USER MAPPING FOR CURRENT_USER SERVER sf_loopback;

-- 1. a foreign table: all 300 paths, equal to the aggregate's
CREATE FOREIGN TABLE sf.weeks_far (person_id bigint, week date, code int)
	SERVER sf_loopback OPTIONS (schema_name 'sf', table_name 'weeks');
SELECT (SELECT count(*) FROM sf_ref) AS persons,
	count(*) FILTER (WHERE r.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE r.path IS DISTINCT FROM s.path) AS different
FROM sf_ref r FULL JOIN benefit_paths_scan('sf.weeks_far') s USING (person_id);
-- the DEBUG line says why it was read through a query
SET client_min_messages = debug1;
SELECT count(*) AS paths FROM benefit_paths_scan('sf.weeks_far');
RESET client_min_messages;
-- text person ids, through benefit_paths_scan_text
CREATE TABLE sf.weeks_text AS SELECT 'p' || person_id AS pnr, week, code FROM sf.weeks;
CREATE FOREIGN TABLE sf.weeks_text_far (pnr text, week date, code int)
	SERVER sf_loopback OPTIONS (schema_name 'sf', table_name 'weeks_text');
SELECT count(*) FILTER (WHERE r.path = s.path) AS equal_paths_text,
	count(*) FILTER (WHERE r.path IS DISTINCT FROM s.path) AS different
FROM (SELECT pnr AS person_id, benefit_path(week, code) AS path FROM sf.weeks_text GROUP BY 1) r
FULL JOIN benefit_paths_scan_text('sf.weeks_text_far', 'pnr') s USING (person_id);

-- 2. a partitioned table with a local and a foreign partition (persons
-- 1-149 here, 150 on through the loopback): read through one query of
-- the parent; without the foreign partition, scanned
CREATE TABLE sf.high AS SELECT * FROM sf.weeks WHERE person_id >= 150;
CREATE TABLE sf.parted (person_id bigint, week date, code int) PARTITION BY RANGE (person_id);
CREATE TABLE sf.parted_low PARTITION OF sf.parted FOR VALUES FROM (MINVALUE) TO (150);
INSERT INTO sf.parted_low SELECT * FROM sf.weeks WHERE person_id < 150;
CREATE FOREIGN TABLE sf.parted_high PARTITION OF sf.parted FOR VALUES FROM (150) TO (MAXVALUE)
	SERVER sf_loopback OPTIONS (schema_name 'sf', table_name 'high');
SELECT count(*) FILTER (WHERE r.path = s.path) AS equal_paths_parted,
	count(*) FILTER (WHERE r.path IS DISTINCT FROM s.path) AS different
FROM sf_ref r FULL JOIN benefit_paths_scan('sf.parted') s USING (person_id);
SET client_min_messages = debug1;
SELECT count(*) AS paths FROM benefit_paths_scan('sf.parted');
RESET client_min_messages;
-- an inheritance child that is a foreign table
CREATE TABLE sf.parent (person_id bigint, week date, code int);
INSERT INTO sf.parent SELECT * FROM sf.weeks WHERE person_id < 150;
CREATE FOREIGN TABLE sf.child () INHERITS (sf.parent)
	SERVER sf_loopback OPTIONS (schema_name 'sf', table_name 'high');
SELECT count(*) FILTER (WHERE r.path = s.path) AS equal_paths_inherited,
	count(*) FILTER (WHERE r.path IS DISTINCT FROM s.path) AS different
FROM sf_ref r FULL JOIN benefit_paths_scan('sf.parent') s USING (person_id);

-- 3. Citus: a table listed in pg_catalog.pg_dist_partition is read through
-- a query (on a Citus coordinator its own heap is an empty shell; the
-- query is what Citus runs on the workers). Without Citus here, the
-- catalog is planted (a superuser with allow_system_table_mods), so this
-- shows the detection and that the query gives the same paths; it cannot
-- show Citus's own execution (make test-scaleout does, where Citus is).
CREATE TABLE sf.lp (person_id bigint, week date, code int) PARTITION BY RANGE (person_id);
CREATE TABLE sf.lp_a PARTITION OF sf.lp FOR VALUES FROM (MINVALUE) TO (150);
CREATE TABLE sf.lp_b PARTITION OF sf.lp FOR VALUES FROM (150) TO (MAXVALUE);
INSERT INTO sf.lp SELECT * FROM sf.weeks;
SET allow_system_table_mods = on;
CREATE TABLE pg_catalog.pg_dist_partition (logicalrelid pg_catalog.regclass NOT NULL, partmethod "char");
RESET allow_system_table_mods;
INSERT INTO pg_catalog.pg_dist_partition VALUES ('sf.weeks', 'h'), ('sf.lp_b', 'h');
SET client_min_messages = debug1;
SELECT count(*) AS paths_distributed FROM benefit_paths_scan('sf.weeks');
-- a parent one of whose partitions Citus lists goes through a query
SELECT count(*) AS paths_parted FROM benefit_paths_scan('sf.lp');
-- a table Citus does not list is scanned (no DEBUG line)
SELECT count(*) AS paths_local FROM benefit_paths_scan('sf.high');
RESET client_min_messages;
SELECT count(*) FILTER (WHERE r.path = s.path) AS equal_paths_distributed,
	count(*) FILTER (WHERE r.path IS DISTINCT FROM s.path) AS different
FROM sf_ref r FULL JOIN benefit_paths_scan('sf.weeks') s USING (person_id);
DROP TABLE pg_catalog.pg_dist_partition;
-- a catalog of that name in a layout the guard does not know: every
-- relation through a query (slower, never empty)
SET allow_system_table_mods = on;
CREATE TABLE pg_catalog.pg_dist_partition (relation_name text);
RESET allow_system_table_mods;
SET client_min_messages = debug1;
SELECT count(*) AS paths_unknown_layout FROM benefit_paths_scan('sf.high');
RESET client_min_messages;
DROP TABLE pg_catalog.pg_dist_partition;

-- 4. what holds no rows is refused, naming the alternative
CREATE SEQUENCE sf.seq;
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('sf.seq') $$) AS sequence;
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan(0::regclass) $$) AS no_relation;

-- 5. unmapped_codes on the foreign table: the local table's answer (9999
-- in 3 weeks, 8888 in 1), and the query it runs is one the foreign server
-- aggregates (Remote SQL carries count(*) and GROUP BY; the query is
-- taken from the function's own source, so this checks what it runs)
SELECT * FROM unmapped_codes('sf.weeks');
SELECT (SELECT array_agg(u ORDER BY code) FROM unmapped_codes('sf.weeks_far') u) =
	(SELECT array_agg(u ORDER BY code) FROM unmapped_codes('sf.weeks') u) AS unmapped_far_equal,
	(SELECT count(*) FROM unmapped_codes('sf.weeks_far')) AS codes;
CREATE FUNCTION pg_temp.unmapped_remote_sql(rel regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	src text;
	q text;
	line text;
	remote text := '';
BEGIN
	SELECT p.prosrc INTO src FROM pg_proc p
	WHERE p.proname = 'unmapped_codes' AND p.pronamespace = (SELECT e.extnamespace FROM pg_extension e WHERE e.extname = 'socialinvest');
	q := substring(src FROM $re$RETURN QUERY EXECUTE format\(\s*'(.*)', code_column, week_column, relation\);$re$);
	IF q IS NULL THEN
		RETURN 'query not found in unmapped_codes';
	END IF;
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || format(replace(q, '''''', ''''), 'code', 'week', rel) LOOP
		IF line ~ 'Remote SQL' THEN
			remote := remote || btrim(line) || E'\n';
		END IF;
	END LOOP;
	RETURN remote;
END $$;
SELECT r ~ 'Remote SQL: SELECT .*count\(\*\).* GROUP BY 1, 2' AS aggregated_remotely
FROM pg_temp.unmapped_remote_sql('sf.weeks_far') r;

DROP FOREIGN TABLE sf.weeks_far, sf.weeks_text_far, sf.parted_high, sf.child;
DROP SERVER sf_loopback CASCADE;
DROP EXTENSION postgres_fdw;
SET client_min_messages = warning;	-- the generated register's tables (a list that grows)
DROP SCHEMA sf CASCADE;
RESET client_min_messages;
