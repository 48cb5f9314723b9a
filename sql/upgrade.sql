-- Upgrade path: the oldest version, updated step by step with ALTER
-- EXTENSION UPDATE, must equal a fresh install of the default version
-- (same member objects with the same definitions), and user rows in the
-- configuration tables must survive the update.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS si_upgrade_old;
DROP DATABASE IF EXISTS si_upgrade_new;
CREATE DATABASE si_upgrade_old;
CREATE DATABASE si_upgrade_new;

\set fingerprint 'SELECT md5(string_agg(d, E''\n'' ORDER BY d)) AS objects, count(*) AS n FROM (SELECT pg_describe_object(dep.classid, dep.objid, 0) || coalesce('' | '' || (SELECT concat_ws('' | '', pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), p.prosrc, p.provolatile, p.proparallel, p.proisstrict, p.prokind) FROM pg_proc p WHERE dep.classid = ''pg_proc''::regclass AND p.oid = dep.objid), '''') || coalesce('' | '' || (SELECT string_agg(a.attname || '' '' || format_type(a.atttypid, a.atttypmod) || '' '' || a.attnotnull, '', '' ORDER BY a.attnum) FROM pg_attribute a WHERE dep.classid = ''pg_class''::regclass AND a.attrelid = dep.objid AND a.attnum > 0 AND NOT a.attisdropped), '''') AS d FROM pg_depend dep JOIN pg_extension e ON dep.refclassid = ''pg_extension''::regclass AND dep.refobjid = e.oid WHERE e.extname = ''socialinvest'' AND dep.deptype = ''e'') s'

\c si_upgrade_old
SET client_min_messages = warning;
SELECT version AS oldest FROM pg_available_extension_versions WHERE name = 'socialinvest' ORDER BY string_to_array(version, '.')::int[] LIMIT 1 \gset
CREATE EXTENSION socialinvest VERSION :'oldest';
INSERT INTO benefit_code (code, category, self_supporting, description)
VALUES (4242, 'local_scheme', false, 'a user row that must survive the update');
ALTER EXTENSION socialinvest UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'socialinvest') AS updated_to_default
FROM pg_extension WHERE extname = 'socialinvest';
SELECT count(*) AS user_rows_kept FROM benefit_code WHERE source = 'user';
:fingerprint \gset old_
SELECT md5(string_agg(format('%s %s %s %s %s', code, category, self_supporting, censor, valid_from), ',' ORDER BY code, valid_from)) AS shipped
FROM benefit_code WHERE source = 'shipped' \gset old_

\c si_upgrade_new
SET client_min_messages = warning;
CREATE EXTENSION socialinvest;
:fingerprint \gset new_
SELECT md5(string_agg(format('%s %s %s %s %s', code, category, self_supporting, censor, valid_from), ',' ORDER BY code, valid_from)) AS shipped
FROM benefit_code WHERE source = 'shipped' \gset new_
SELECT :'old_objects' = :'new_objects' AS same_objects,
       :old_n = :new_n AS same_object_count,
       :'old_shipped' = :'new_shipped' AS same_shipped_rows;

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE si_upgrade_old;
DROP DATABASE si_upgrade_new;
