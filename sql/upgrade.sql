-- Upgrades from the released versions. 0.1.0 and 0.2.0 are installed from
-- their frozen scripts (extension/released/, as shipped), updated with
-- ALTER EXTENSION socialinvest UPDATE to the current version, and compared
-- object by object with a fresh CREATE EXTENSION of the current version
-- (sql/include/ext_catalog.sql lists what is compared). Every difference is
-- a row naming the object and the aspect: no rows means the upgrade scripts
-- (extension/upgrade/) bring an old database to exactly what a fresh install
-- creates. User rows in configuration tables and user tables with columns of
-- the extension's types must survive the update and read the same.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS si_upgrade_fresh;
DROP DATABASE IF EXISTS si_upgrade_010;
DROP DATABASE IF EXISTS si_upgrade_020;
CREATE DATABASE si_upgrade_fresh;
CREATE DATABASE si_upgrade_010;
CREATE DATABASE si_upgrade_020;

-- The comparison, run in an updated database against the fresh install's
-- catalog (temporary table fresh). Differences only; values cut at 200
-- characters. An object missing on one side is one row (aspect member),
-- not one per aspect.
\set compare 'WITH f AS (SELECT * FROM fresh), u AS (SELECT * FROM pg_temp.si_catalog()), only_f AS (SELECT * FROM f EXCEPT ALL SELECT * FROM u), only_u AS (SELECT * FROM u EXCEPT ALL SELECT * FROM f) SELECT coalesce(a.object, b.object) AS object, coalesce(a.aspect, b.aspect) AS aspect, CASE WHEN b.object IS NULL THEN ''missing after the update'' WHEN a.object IS NULL THEN ''only after the update'' ELSE ''differs'' END AS difference, left(b.val, 200) AS after_update, left(a.val, 200) AS fresh_install FROM only_f a FULL JOIN only_u b ON a.object = b.object AND a.aspect = b.aspect WHERE coalesce(a.aspect, b.aspect) = ''member'' OR NOT EXISTS (SELECT FROM only_f x WHERE x.object = a.object AND x.aspect = ''member'') AND NOT EXISTS (SELECT FROM only_u x WHERE x.object = b.object AND x.aspect = ''member'')'

-- 1. A fresh install of the default version.
\c si_upgrade_fresh
SET client_min_messages = warning;
CREATE EXTENSION socialinvest;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'socialinvest') AS fresh_is_default
FROM pg_extension WHERE extname = 'socialinvest';
\set ECHO none
\i sql/include/ext_catalog.sql
\set ECHO all
SELECT json_agg(c) AS fresh FROM pg_temp.si_catalog() c \gset
-- The comparison sees every kind of object and aspect (so it can fail).
SELECT count(*) FILTER (WHERE aspect = 'member') > 200 AS members,
       count(*) FILTER (WHERE aspect = 'source') > 200 AS functions,
       count(*) FILTER (WHERE aspect = 'aggregate definition') >= 40 AS aggregates,
       count(*) FILTER (WHERE aspect = 'type definition') >= 6 AS types,
       count(*) FILTER (WHERE aspect = 'operator definition') >= 2 AS operators,
       count(*) FILTER (WHERE aspect = 'operator family members') >= 1 AS opfamilies,
       count(*) FILTER (WHERE aspect LIKE 'column %') > 30 AS columns,
       count(*) FILTER (WHERE aspect LIKE 'constraint %') > 10 AS constraints,
       count(*) FILTER (WHERE aspect LIKE 'trigger %') > 10 AS triggers,
       count(*) FILTER (WHERE aspect LIKE 'row %') > 100 AS config_rows,
       count(*) FILTER (WHERE aspect LIKE 'comment%' AND val <> '(none)') > 200 AS comments,
       count(*) FILTER (WHERE aspect = 'ACL' AND val <> '(default)') >= 6 AS acls,
       count(*) FILTER (WHERE aspect LIKE 'initial privileges%') >= 6 AS init_privs,
       count(*) FILTER (WHERE aspect LIKE 'config dump %') >= 6 AS config_dump
FROM pg_temp.si_catalog();

-- 2. From 0.1.0 as released.
\c si_upgrade_010
SET client_min_messages = warning;
CREATE EXTENSION socialinvest VERSION '0.1.0';
INSERT INTO benefit_code (code, category, self_supporting, description)
VALUES (4242, 'local_scheme', false, 'a user row that must survive the update');
ALTER EXTENSION socialinvest UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'socialinvest') AS updated_to_default
FROM pg_extension WHERE extname = 'socialinvest';
SELECT code, category, self_supporting, description FROM benefit_code WHERE source = 'user';
-- user rows are not part of the extension: compare without them
DELETE FROM benefit_code WHERE source = 'user';
\set ECHO none
\i sql/include/ext_catalog.sql
\set ECHO all
CREATE TEMP TABLE fresh AS SELECT * FROM json_to_recordset(:'fresh') AS x(object text, aspect text, val text);
SELECT '0.1.0' AS updated_from, d.* FROM (:compare) d ORDER BY 2, 3, 5, 6;

-- 3. From 0.2.0 as released (0.1.0 and the released 0.1.0--0.2.0 script),
-- with user data in the extension's types.
\c si_upgrade_020
SET client_min_messages = warning;
CREATE EXTENSION socialinvest VERSION '0.1.0';
ALTER EXTENSION socialinvest UPDATE TO '0.2.0';
SELECT extversion AS installed FROM pg_extension WHERE extname = 'socialinvest';
INSERT INTO benefit_code (code, category, self_supporting, description)
VALUES (4242, 'local_scheme', false, 'a user row that must survive the update');
INSERT INTO benefit_rate (category, valid_from, weekly_rate, basis)
VALUES ('local_scheme', '2024-01-01', 1234.5, 'a user row that must survive the update');
-- a user table with columns of the extension's types, filled by 0.2.0's
-- aggregates, and a path literal in 0.2.0's text form
CREATE TABLE user_paths AS
SELECT p AS person_id, benefit_path(w, CASE WHEN (p + i) % 3 = 0 THEN NULL ELSE 130 END) AS path
FROM generate_series(1, 6) p, generate_series(0, 20) i,
	LATERAL (SELECT DATE '2019-01-07' + 7 * i AS w) x
GROUP BY p;
INSERT INTO user_paths VALUES (7, '2019-01-07:130x4,-x4,997x2');
CREATE TABLE user_states AS
SELECT g,
	selfsufficiency_state(path, '2019-01-07', '2019-05-20', 'strict') AS rate_state,
	fte_state(path, '2019-01-07', '2019-05-20', ARRAY['dagpenge']) AS fte,
	km_state(path, '2019-01-07', 1, 'strict') AS km
FROM (SELECT person_id % 2 AS g, path FROM user_paths) s GROUP BY g;
CREATE TABLE user_did AS
SELECT did_state(i * 0.5, i * 0.5 + (i % 3) + CASE WHEN i % 2 = 0 THEN 1.25 ELSE 0 END, i % 2 = 0, (i % 4)::bigint) AS state,
	cashflows(-1000 + 100 * i, i) AS flows
FROM generate_series(1, 40) i;
\set read_all 'SELECT md5(string_agg(v, E''\n'' ORDER BY v)) AS digest, count(*) AS n FROM (SELECT person_id || '' '' || path::text AS v FROM user_paths UNION ALL SELECT g || '' '' || rate_state::text || '' '' || fte::text || '' '' || km::text FROM user_states UNION ALL SELECT state::text || '' '' || flows::text FROM user_did) s'
:read_all \gset before_
SELECT path::text AS literal_path FROM user_paths WHERE person_id = 7;
ALTER EXTENSION socialinvest UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'socialinvest') AS updated_to_default
FROM pg_extension WHERE extname = 'socialinvest';
:read_all \gset after_
SELECT :'before_digest' = :'after_digest' AS user_values_read_the_same, :after_n AS user_values;
SELECT path::text AS literal_path FROM user_paths WHERE person_id = 7;
SELECT 'benefit_code' AS config_table, description FROM benefit_code WHERE source = 'user'
UNION ALL SELECT 'benefit_rate', basis FROM benefit_rate WHERE source = 'user';
DELETE FROM benefit_code WHERE source = 'user';
DELETE FROM benefit_rate WHERE source = 'user';
\set ECHO none
\i sql/include/ext_catalog.sql
\set ECHO all
CREATE TEMP TABLE fresh AS SELECT * FROM json_to_recordset(:'fresh') AS x(object text, aspect text, val text);
SELECT '0.2.0' AS updated_from, d.* FROM (:compare) d ORDER BY 2, 3, 5, 6;

-- 4. The comparison fails when an upgrade script misses something: the
-- same database with one change of each kind an upgrade fragment could
-- forget (made directly, as a forgotten fragment line would leave it), on
-- objects picked by kind, not by name. Every change is reported.
DROP TABLE user_paths, user_states, user_did;
CREATE FUNCTION public.si_stray() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
ALTER EXTENSION socialinvest ADD FUNCTION public.si_stray();
DO $$
DECLARE
	ext oid := (SELECT oid FROM pg_extension WHERE extname = 'socialinvest');
	f regprocedure;
	tbl regclass;
	col name;
	con name;
	trg name;
BEGIN
	-- a C function: attributes, comment, grants
	SELECT p.oid INTO f FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	WHERE d.refobjid = ext AND d.deptype = 'e' AND p.prokind = 'f' AND p.provolatile = 'i'
		AND p.proisstrict AND p.proparallel = 's' AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
	ORDER BY p.proname, p.oid LIMIT 1;
	EXECUTE format('ALTER FUNCTION %s VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 12345 SET work_mem = ''1MB''', f);
	EXECUTE format('COMMENT ON FUNCTION %s IS %L', f, 'changed');
	EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
	-- a SQL or PL/pgSQL function's body
	UPDATE pg_proc SET prosrc = prosrc || E'\n-- changed' WHERE oid = (
		SELECT p.oid FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		WHERE d.refobjid = ext AND d.deptype = 'e' AND p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'c')
		ORDER BY p.proname, p.oid LIMIT 1);
	-- an aggregate, a type, an operator
	UPDATE pg_aggregate SET aggtransspace = aggtransspace + 1 WHERE aggfnoid = (
		SELECT a.aggfnoid FROM pg_aggregate a JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid
		WHERE d.refobjid = ext AND d.deptype = 'e' ORDER BY a.aggfnoid::regproc::text, a.aggfnoid LIMIT 1);
	UPDATE pg_type SET typdelim = ';' WHERE oid = (
		SELECT y.oid FROM pg_type y JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = y.oid
		WHERE d.refobjid = ext AND d.deptype = 'e' AND y.typtype = 'b' ORDER BY y.typname LIMIT 1);
	UPDATE pg_operator SET oprcanmerge = NOT oprcanmerge WHERE oid = (
		SELECT o.oid FROM pg_operator o JOIN pg_depend d ON d.classid = 'pg_operator'::regclass AND d.objid = o.oid
		WHERE d.refobjid = ext AND d.deptype = 'e' ORDER BY o.oid::regoperator::text LIMIT 1);
	-- a configuration table: a column's default and comment, a constraint,
	-- a trigger, a grant, a shipped row, its pg_dump condition
	SELECT c.oid INTO tbl FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
	WHERE d.refobjid = ext AND d.deptype = 'e' AND c.relkind = 'r' ORDER BY c.relname LIMIT 1;
	SELECT attname INTO col FROM pg_attribute WHERE attrelid = tbl AND attnum > 0 AND atthasdef ORDER BY attnum LIMIT 1;
	SELECT conname INTO con FROM pg_constraint WHERE conrelid = tbl AND contype = 'c' ORDER BY conname LIMIT 1;
	SELECT tgname INTO trg FROM pg_trigger WHERE tgrelid = tbl AND NOT tgisinternal ORDER BY tgname LIMIT 1;
	PERFORM set_config('socialinvest.edit_shipped', 'on', true);
	EXECUTE format('DELETE FROM %s WHERE ctid = (SELECT ctid FROM %s LIMIT 1)', tbl, tbl);
	EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', tbl, col);
	EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, con);
	EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', tbl, trg);
	EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', tbl, col, 'changed');
	EXECUTE format('GRANT INSERT ON %s TO PUBLIC', tbl);
	UPDATE pg_extension SET extcondition[1] = 'WHERE true' WHERE oid = ext;
END
$$;
SELECT CASE WHEN aspect LIKE 'attribute %' OR aspect LIKE 'row %' OR aspect LIKE 'column %'
		OR aspect LIKE 'constraint %' OR aspect LIKE 'trigger %' OR aspect LIKE 'config dump %'
		OR aspect LIKE 'comment on %'
	THEN split_part(aspect, ' ', 1) || CASE WHEN aspect LIKE 'config dump %' OR aspect LIKE 'comment on %' THEN ' ' || split_part(aspect, ' ', 2) ELSE '' END
	ELSE aspect END AS aspect_changed,
	difference, count(*) AS n
FROM (:compare) d GROUP BY 1, 2 ORDER BY 1, 2;

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE si_upgrade_fresh;
DROP DATABASE si_upgrade_010;
DROP DATABASE si_upgrade_020;
