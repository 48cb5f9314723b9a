-- A session that hijacks type, function and operator names must not change
-- what the extension computes, nor crash the server (issue 12).
-- Route 1: pg_temp is searched first for type names, so a temporary domain
-- named text, float8, ... shadows the built-in type in any SQL that names
-- it unqualified. Route 2: a schema put before pg_catalog in search_path
-- shadows functions, operators and types alike.
-- Every call is made three times (clean, temp, evil) and the results are
-- compared exactly: the same computation on the same rows must give the
-- same bits. Only counts and booleans are printed.
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/mpdta.csv'
SET datestyle = ISO;
CREATE SCHEMA hsp;

-- what the extension trusts from the caller: every SQL/PL function pins
-- search_path with pg_catalog first and pg_temp last; none is SECURITY DEFINER
SELECT count(*) FILTER (WHERE l.lanname <> 'c'
	AND (p.proconfig IS NULL OR NOT 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig))) AS unpinned_functions,
	count(*) FILTER (WHERE p.prosecdef) AS security_definer,
	count(*) > 100 AS functions_seen
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socialinvest'
WHERE l.lanname IN ('sql', 'plpgsql', 'c');

-- inputs
CREATE TABLE hsp.mpdta (year int, countyreal int, lpop float8, lemp float8, first_treat int, treat int);
COPY hsp.mpdta FROM :'f' (FORMAT csv, HEADER);
-- clusters are digit strings (so a cast to a domain over bigint succeeds)
CREATE TABLE hsp.panel AS
SELECT year, countyreal, lpop, lemp, first_treat, 1 + countyreal % 3 AS w, (countyreal / 1000 + countyreal % 7)::text AS grp
FROM hsp.mpdta;
-- keys that are not integers go through the float8 / int8 casts
CREATE TABLE hsp.panel_num AS
SELECT year::numeric AS year, countyreal::numeric AS countyreal, lpop, lemp::numeric AS lemp,
	first_treat::float8 AS first_treat, w::real AS w, grp
FROM hsp.panel;
CREATE TABLE hsp.ev AS
SELECT countyreal AS person, year - 2005 AS rel, lemp AS y, first_treat = 2006 AS treated, grp
FROM hsp.panel WHERE first_treat IN (0, 2006);
CREATE SCHEMA hsp_gen_clean;
SELECT generate_register('hsp_gen_clean', 40, 5, 80);
CREATE TABLE hsp.genpaths AS SELECT * FROM benefit_paths_scan('hsp_gen_clean.benefit_week');
CREATE TABLE hsp.weeks AS SELECT week, code FROM hsp_gen_clean.benefit_week
UNION ALL VALUES ('2020-01-06'::date, 4242), ('2020-01-13', 4242), ('2020-02-03', 9001);
CREATE TABLE hsp.profiles AS SELECT unnest(ARRAY['strict', 'with_education', 'with_leave']) AS profile;
CREATE TABLE hsp.codes AS
SELECT DISTINCT b.code, p.profile FROM benefit_code b CROSS JOIN hsp.profiles p
UNION SELECT 4242, 'strict';
CREATE TABLE hsp.rc_out (participant text, outcome text, day date);
INSERT INTO hsp.rc_out VALUES ('p1', 'attendance', '2013-02-01'), ('p1', 'nqf2', '2013-05-01'),
	('p1', 'job13', '2013-08-01'), ('p2', 'nqf2', '2013-04-01'), ('p2', 'job13', '2013-08-01');

-- result tables, one row set per run
CREATE TABLE hsp.attgt (run text, call text, cohort int, period int, att float8, se float8, nt int, nc int);
CREATE TABLE hsp.attgt_agg (run text, type text, level text, key int, att float8, se float8);
CREATE TABLE hsp.did (run text, rel int, effect float8, se float8, nt bigint, nc bigint);
CREATE TABLE hsp.paths (run text, person_id bigint, path benefit_path);
CREATE TABLE hsp.unmapped (run text, code int, weeks bigint, first_week date, last_week date);
CREATE TABLE hsp.states (run text, code int, profile text, state text, category text);
CREATE TABLE hsp.rates (run text, profile text, state selfsufficiency_state);
CREATE TABLE hsp.shares (run text, person_id bigint, profile text, share float8);
CREATE TABLE hsp.money (run text, person_id bigint, period date, weeks int, priced int,
	gross numeric, kommune numeric, stat numeric);
CREATE TABLE hsp.scalars (run text, name text, value numeric);
CREATE TABLE hsp.contract (run text, kind text, day date, amount numeric);

-- run 1: clean
\set run clean
\set gen hsp_gen_c2
CREATE SCHEMA hsp_gen_c2;
CREATE SCHEMA hsp_gen_temp;
CREATE SCHEMA hsp_gen_evil;
\i sql/include/hostile_calls.sql

-- route 2 needs a schema of lies. Functions and operators with the exact
-- signatures of the built-ins, so they win whenever evil comes first.
CREATE SCHEMA evil;
DO $$
DECLARE
	t text;
	op record;
BEGIN
	FOR t IN SELECT unnest(ARRAY['text', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'date',
			'bool', 'timestamp', 'timestamptz', 'interval', 'jsonb', 'bpchar', 'name', 'oid']) LOOP
		-- comparisons answer the opposite
		FOR op IN SELECT * FROM (VALUES ('=', '<>'), ('<>', '='), ('<', '>='), ('<=', '>'), ('>', '<='), ('>=', '<')) v(o, neg) LOOP
			IF EXISTS (SELECT 1 FROM pg_operator WHERE oprname = op.o AND oprleft = t::regtype AND oprright = t::regtype
					AND oprnamespace = 'pg_catalog'::regnamespace) THEN
				EXECUTE format('CREATE FUNCTION evil.%s(pg_catalog.%s, pg_catalog.%s) RETURNS pg_catalog.bool '
					'LANGUAGE sql IMMUTABLE AS %L', 'lie_' || t || '_' || md5(op.o), t, t,
					format('SELECT $1 OPERATOR(pg_catalog.%s) $2', op.neg));
				EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = pg_catalog.%s, RIGHTARG = pg_catalog.%s, FUNCTION = evil.%s)',
					op.o, t, t, 'lie_' || t || '_' || md5(op.o));
			END IF;
		END LOOP;
	END LOOP;
	-- arithmetic that is off by one
	FOR t IN SELECT unnest(ARRAY['int4', 'int8', 'float8', 'numeric']) LOOP
		FOR op IN SELECT * FROM (VALUES ('+'), ('-'), ('*'), ('/')) v(o) LOOP
			EXECUTE format('CREATE FUNCTION evil.%s(pg_catalog.%s, pg_catalog.%s) RETURNS pg_catalog.%s '
				'LANGUAGE sql IMMUTABLE AS %L', 'off_' || t || '_' || md5(op.o), t, t, t,
				format('SELECT ($1 OPERATOR(pg_catalog.%s) $2) OPERATOR(pg_catalog.+) 1::pg_catalog.%s', op.o, t));
			EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = pg_catalog.%s, RIGHTARG = pg_catalog.%s, FUNCTION = evil.%s)',
				op.o, t, t, 'off_' || t || '_' || md5(op.o));
		END LOOP;
	END LOOP;
END
$$;
CREATE FUNCTION evil.cat_backwards(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql IMMUTABLE AS 'SELECT pg_catalog.textcat($2, $1)';
CREATE OPERATOR evil.|| (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = evil.cat_backwards);
CREATE OPERATOR evil.~ (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = pg_catalog.textregexne);
-- functions and aggregates that lie
CREATE FUNCTION evil.lower(pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql IMMUTABLE AS 'SELECT pg_catalog.upper($1)';
CREATE FUNCTION evil.upper(pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql IMMUTABLE AS 'SELECT pg_catalog.lower($1)';
CREATE FUNCTION evil.abs(pg_catalog.float8) RETURNS pg_catalog.float8 LANGUAGE sql IMMUTABLE AS 'SELECT -1::pg_catalog.float8';
CREATE FUNCTION evil.abs(pg_catalog.numeric) RETURNS pg_catalog.numeric LANGUAGE sql IMMUTABLE AS 'SELECT -1::pg_catalog.numeric';
CREATE FUNCTION evil.round(pg_catalog.numeric, pg_catalog.int4) RETURNS pg_catalog.numeric LANGUAGE sql IMMUTABLE AS 'SELECT 0::pg_catalog.numeric';
CREATE FUNCTION evil.round(pg_catalog.numeric) RETURNS pg_catalog.numeric LANGUAGE sql IMMUTABLE AS 'SELECT 0::pg_catalog.numeric';
CREATE FUNCTION evil.floor(pg_catalog.float8) RETURNS pg_catalog.float8 LANGUAGE sql IMMUTABLE AS 'SELECT 7::pg_catalog.float8';
CREATE FUNCTION evil.sqrt(pg_catalog.float8) RETURNS pg_catalog.float8 LANGUAGE sql IMMUTABLE AS 'SELECT 7::pg_catalog.float8';
CREATE FUNCTION evil.power(pg_catalog.numeric, pg_catalog.numeric) RETURNS pg_catalog.numeric LANGUAGE sql IMMUTABLE AS 'SELECT 7::pg_catalog.numeric';
CREATE FUNCTION evil.length(pg_catalog.text) RETURNS pg_catalog.int4 LANGUAGE sql IMMUTABLE AS 'SELECT 7';
CREATE FUNCTION evil.array_to_string(pg_catalog.anyarray, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql IMMUTABLE AS 'SELECT ''x''::pg_catalog.text';
CREATE FUNCTION evil.generate_series(pg_catalog.int4, pg_catalog.int4) RETURNS SETOF pg_catalog.int4 LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE FUNCTION evil.jsonb_array_elements(pg_catalog.jsonb) RETURNS SETOF pg_catalog.jsonb LANGUAGE sql IMMUTABLE AS 'SELECT ''{}''::pg_catalog.jsonb';
CREATE FUNCTION evil.jsonb_typeof(pg_catalog.jsonb) RETURNS pg_catalog.text LANGUAGE sql IMMUTABLE AS 'SELECT ''null''::pg_catalog.text';
CREATE FUNCTION evil.has_table_privilege(pg_catalog.oid, pg_catalog.text) RETURNS pg_catalog.bool LANGUAGE sql AS 'SELECT false';
CREATE FUNCTION evil.current_setting(pg_catalog.text, pg_catalog.bool) RETURNS pg_catalog.text LANGUAGE sql AS 'SELECT ''on''::pg_catalog.text';
CREATE FUNCTION evil.make_date(pg_catalog.int4, pg_catalog.int4, pg_catalog.int4) RETURNS pg_catalog.date LANGUAGE sql IMMUTABLE AS 'SELECT ''2000-01-01''::pg_catalog.date';
CREATE FUNCTION evil.date_trunc(pg_catalog.text, pg_catalog.timestamptz) RETURNS pg_catalog.timestamptz LANGUAGE sql IMMUTABLE AS 'SELECT $2';
CREATE FUNCTION evil.lie_sfunc(pg_catalog.text, pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql IMMUTABLE AS 'SELECT ''lie''::pg_catalog.text';
CREATE AGGREGATE evil.string_agg(pg_catalog.text, pg_catalog.text) (SFUNC = evil.lie_sfunc, STYPE = pg_catalog.text);
CREATE FUNCTION evil.sum_sfunc(pg_catalog.numeric, pg_catalog.numeric) RETURNS pg_catalog.numeric LANGUAGE sql IMMUTABLE AS 'SELECT 42::pg_catalog.numeric';
CREATE AGGREGATE evil.sum(pg_catalog.numeric) (SFUNC = evil.sum_sfunc, STYPE = pg_catalog.numeric);
CREATE AGGREGATE evil.min(pg_catalog.date) (SFUNC = pg_catalog.date_larger, STYPE = pg_catalog.date);
CREATE AGGREGATE evil.max(pg_catalog.date) (SFUNC = pg_catalog.date_smaller, STYPE = pg_catalog.date);
CREATE AGGREGATE evil.count(*) (SFUNC = pg_catalog.int8inc, STYPE = pg_catalog.int8, INITCOND = '1000');
CREATE AGGREGATE evil.count(pg_catalog."any") (SFUNC = pg_catalog.int8inc_any, STYPE = pg_catalog.int8, INITCOND = '1000');

-- Route 1 and route 2 types: domains named like the built-in types, over
-- other types (text over bigint crashed att_gt with cluster =>; float8
-- over numeric made every att 0). Made last: from here on every name in
-- this file is qualified.
DO $$
DECLARE
	d record;
BEGIN
	FOR d IN SELECT * FROM (VALUES ('text', 'int8'), ('float8', 'numeric'), ('float4', 'numeric'),
			('int8', 'numeric'), ('int4', 'int8'), ('int2', 'int4'), ('numeric', 'float8'),
			('date', 'timestamptz'), ('bool', 'int4'), ('jsonb', 'text'), ('json', 'text'),
			('varchar', 'int8'), ('name', 'int8'), ('bpchar', 'int8'), ('timestamp', 'date'),
			('timestamptz', 'date'), ('interval', 'int8'), ('regclass', 'int8'), ('oid', 'int8')) v(name, base) LOOP
		EXECUTE pg_catalog.format('CREATE DOMAIN pg_temp.%I AS pg_catalog.%I', d.name, d.base);
		EXECUTE pg_catalog.format('CREATE DOMAIN evil.%I AS pg_catalog.%I', d.name, d.base);
	END LOOP;
END
$$;

-- run 2: route 1 (pg_temp domains; the search_path is the default one)
\set run temp
\set gen hsp_gen_temp
\i sql/include/hostile_calls.sql

-- run 3: route 2 (a schema before pg_catalog; pg_temp's domains still win
-- where they exist, so evil's own domains are reached only without them)
DISCARD TEMP;
SET search_path = evil, pg_catalog, public;
\set run evil
\set gen hsp_gen_evil
\i sql/include/hostile_calls.sql
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA evil CASCADE;
RESET client_min_messages;

-- every run gave the clean run's rows, exactly (same computation, same
-- bits), and the clean run has rows
CREATE FUNCTION pg_temp.differing(tbl text, other text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM ('
		'(SELECT to_jsonb(t) - ''run'' FROM hsp.%1$I t WHERE run = %2$L EXCEPT ALL '
		' SELECT to_jsonb(t) - ''run'' FROM hsp.%1$I t WHERE run = ''clean'') UNION ALL '
		'(SELECT to_jsonb(t) - ''run'' FROM hsp.%1$I t WHERE run = ''clean'' EXCEPT ALL '
		' SELECT to_jsonb(t) - ''run'' FROM hsp.%1$I t WHERE run = %2$L)) z', tbl, other) INTO n;
	RETURN n;
END
$$;
CREATE FUNCTION pg_temp.clean_rows(tbl text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM hsp.%I WHERE run = ''clean''', tbl) INTO n;
	RETURN n;
END
$$;
SELECT tbl, pg_temp.clean_rows(tbl) > 0 AS has_rows,
	pg_temp.differing(tbl, 'temp') AS differ_temp, pg_temp.differing(tbl, 'evil') AS differ_evil
FROM unnest(ARRAY['attgt', 'attgt_agg', 'did', 'paths', 'unmapped', 'states', 'rates', 'shares',
	'money', 'scalars', 'contract']) tbl;
-- att_gt gave real numbers (not the zeros a float8-over-numeric domain gave)
SELECT call, count(*) AS cells, count(*) FILTER (WHERE att <> 0 AND se > 0) AS nonzero
FROM hsp.attgt WHERE run = 'clean' GROUP BY call ORDER BY call;
-- the generated registers are the same
CREATE FUNCTION pg_temp.gen_differing(other text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	t text;
	n bigint;
	total bigint := 0;
BEGIN
	FOREACH t IN ARRAY ARRAY['person', 'benefit_week', 'benefit_spell', 'mentoring', 'register_info'] LOOP
		EXECUTE format('SELECT count(*) FROM ((TABLE hsp_gen_c2.%1$I EXCEPT ALL TABLE %2$I.%1$I) UNION ALL '
			'(TABLE %2$I.%1$I EXCEPT ALL TABLE hsp_gen_c2.%1$I)) z', t, other) INTO n;
		total := total + n;
	END LOOP;
	RETURN total;
END
$$;
SELECT (SELECT count(*) FROM hsp_gen_c2.benefit_week) > 0 AS register_has_rows,
	pg_temp.gen_differing('hsp_gen_temp') AS register_differ_temp,
	pg_temp.gen_differing('hsp_gen_evil') AS register_differ_evil;

-- the second line of defence: result types are checked before values are
-- read, so a configuration table whose column type was altered gives an
-- error naming the column, not a misread value (or a crash, for numeric)
\i sql/include/expect_error.sql
BEGIN;
ALTER TABLE benefit_rate ALTER COLUMN weekly_rate TYPE float8;
SELECT pg_temp.expect_error($$SELECT * FROM path_benefit_cost('2024-01-01:130x4', '2024-01-01', '2024-01-22',
	price_date => '2024-06-01')$$);
ROLLBACK;
BEGIN;
ALTER TABLE benefit_code ALTER COLUMN valid_from TYPE timestamp;
SELECT pg_temp.expect_error($$SELECT benefit_state(130, '2024-01-01')$$);
ROLLBACK;

SET client_min_messages = warning;
DROP SCHEMA hsp, hsp_gen_clean, hsp_gen_c2, hsp_gen_temp, hsp_gen_evil CASCADE;
RESET client_min_messages;
