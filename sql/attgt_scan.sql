-- att_gt reads a plain table with a direct heap scan (attgt_scan.c) and
-- anything else through a query (attgt_read.c). Both feed the same row
-- checks; here the direct read of a table is compared with the query read
-- of the same rows through a view, for columns of every type the direct
-- read converts itself (integer, floating-point, numeric, text, varchar
-- and uuid ids, integer, numeric, floating-point and date periods and
-- cohorts, outcomes, weights and covariates, covariates that vary within
-- units, text and varchar clusters, the bootstrap): the panel is the same,
-- rows in the same order, so every estimate and standard error must be
-- equal to the last bit (float8 equality, no tolerance). DEBUG1 names the
-- reader, and the relations the direct read must not read (row-level
-- security, inheritance children, columns only SQL can cast) go
-- through a query and still give the numbers of the rows a query returns.
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/mpdta.csv'
CREATE TABLE sc_mpdta(year int, countyreal int, lpop float8, lemp float8, first_treat int, treat int);
COPY sc_mpdta FROM :'f' (FORMAT csv, HEADER);
CREATE DOMAIN money_like AS numeric(12, 6);

CREATE TABLE sc AS
SELECT countyreal AS id, countyreal::bigint AS id8, countyreal::numeric AS idn, countyreal::float8 AS idf,
       year, year::int2 AS year2, year::numeric AS yearn, year::float4 AS year4,
       first_treat, first_treat::numeric AS ftn, first_treat::float8 AS ftf,
       lemp, lemp::float4 AS lemp4, round(lemp::numeric, 6)::money_like AS lempn, lemp::text AS lempt,
       lpop, round(lpop::numeric, 4) AS lpopn, round(lpop * 10)::int AS lpopi, lpop::float4 AS lpop4,
       round(lpop * 100)::int8 AS lpop8, round(lpop)::int2 AS lpop2,
       round((1 + countyreal % 5)::numeric / 3, 6) AS wn,
       round((lpop + 0.01 * (year - 2003))::numeric, 4) AS lpop_tv,
       'c' || countyreal AS id_text, ('c' || countyreal)::varchar(12) AS id_vc, md5(countyreal::text)::uuid AS id_uuid,
       ('c' || countyreal)::char(12) AS id_char,
       make_date(year, 1, 1) AS year_date,
       CASE WHEN first_treat = 0 THEN NULL ELSE make_date(first_treat, 1, 1) END AS cohort_date,
       (countyreal % 7)::text AS cl, ('s' || countyreal / 1000)::varchar(8) AS clv,
       countyreal / 1000 AS cli
FROM sc_mpdta
ORDER BY year, lemp;	-- rows not grouped by unit
CREATE VIEW sc_v AS SELECT * FROM sc;

-- every cell's estimate and standard error from the table and from the view
CREATE FUNCTION pg_temp.both(args text, OUT cells int, OUT identical bool, OUT ses int)
LANGUAGE plpgsql AS $$
DECLARE
	a float8[];
	b float8[];
BEGIN
	EXECUTE format('SELECT array_agg(estimate ORDER BY cohort, period) || array_agg(std_error ORDER BY cohort, period) FROM att_gt(%L, %s)', 'sc', args) INTO a;
	EXECUTE format('SELECT array_agg(estimate ORDER BY cohort, period) || array_agg(std_error ORDER BY cohort, period) FROM att_gt(%L, %s)', 'sc_v', args) INTO b;
	cells := cardinality(a) / 2;
	identical := a = b;
	-- standard errors that are numbers (the comparison is not of NULLs)
	SELECT count(*) FILTER (WHERE v > 0) INTO ses FROM unnest(a[cells + 1:]) v;
END $$;

SET client_min_messages = warning;	-- the NOTICE of time-varying covariates
SELECT label, (pg_temp.both(args)).*
FROM (VALUES
	('integer',              $a$'lemp', 'id', 'year', 'first_treat'$a$),
	('numeric everywhere',   $a$'lempn', 'idn', 'yearn', 'ftn'$a$),
	('float4 and float8',    $a$'lemp4', 'idf', 'year4', 'ftf'$a$),
	('covariates, dr',       $a$'lemp', 'id8', 'year2', 'first_treat', covariate_columns => '{lpopn,lpopi}', est_method => 'dr'$a$),
	('float4 covariate',     $a$'lemp', 'id', 'year', 'first_treat', covariate_columns => '{lpop4}', est_method => 'reg'$a$),
	('int8 covariate',       $a$'lemp', 'id', 'year', 'first_treat', covariate_columns => '{lpop8}', est_method => 'dr'$a$),
	('int2 covariate',       $a$'lemp', 'id', 'year', 'first_treat', covariate_columns => '{lpop2}', est_method => 'ipw'$a$),
	('varying covariate',    $a$'lemp', 'id', 'year', 'first_treat', covariate_columns => '{lpop_tv}', est_method => 'reg'$a$),
	('weights, bootstrap',   $a$'lemp', 'id', 'year', 'first_treat', weight_column => 'wn', bootstrap => 199, seed => 3$a$),
	('not yet treated, ipw', $a$'lemp', 'id', 'year', 'first_treat', control_group => 'notyettreated', covariate_columns => '{lpopn}', est_method => 'ipw', bootstrap => 99, seed => 11$a$),
	('text ids, bootstrap',  $a$'lemp', 'id_text', 'year', 'first_treat', bootstrap => 99, seed => 13$a$),
	('varchar ids, dates',   $a$'lemp', 'id_vc', 'year_date', 'cohort_date', covariate_columns => '{lpopn}'$a$),
	('uuid ids, bootstrap',  $a$'lemp', 'id_uuid', 'year', 'first_treat', bootstrap => 99, seed => 17$a$),
	('clusters, bootstrap',  $a$'lemp', 'id', 'year', 'first_treat', cluster_column => 'cl', bootstrap => 199, seed => 5$a$),
	('varchar clusters, dr', $a$'lemp', 'id', 'year', 'first_treat', cluster_column => 'clv', covariate_columns => '{lpopn}', bootstrap => 99, seed => 7$a$)
) AS c(label, args)
ORDER BY label;
RESET client_min_messages;

-- which reader runs
SET client_min_messages = debug1;
SELECT count(*) AS cells FROM att_gt('sc', 'lemp', 'id', 'year', 'first_treat');
SELECT count(*) AS cells FROM att_gt('sc_v', 'lemp', 'id', 'year', 'first_treat');
SELECT count(*) AS cells FROM att_gt('sc', 'lemp', 'id_text', 'year', 'first_treat');
SELECT count(*) AS cells FROM att_gt('sc', 'lemp', 'id_char', 'year', 'first_treat');
SELECT count(*) AS cells FROM att_gt('sc', 'lemp', 'id', 'year', 'first_treat', cluster_column => 'cl');
SELECT count(*) AS cells FROM att_gt('sc', 'lemp', 'id', 'year', 'first_treat', cluster_column => 'cli');
RESET client_min_messages;

-- an outcome stored as text: cast by the query, same numbers as float8
SET client_min_messages = debug1;
SELECT count(*) AS cells FROM att_gt('sc', 'lempt', 'id', 'year', 'first_treat');
RESET client_min_messages;
SELECT (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc', 'lempt', 'id', 'year', 'first_treat'))
     = (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc', 'lemp', 'id', 'year', 'first_treat')) AS text_outcome_same;

-- inheritance children: a query of the parent returns the children's rows,
-- so the parent goes through a query and counts them
CREATE TABLE sc_parent (LIKE sc);
CREATE TABLE sc_child () INHERITS (sc_parent);
INSERT INTO sc_parent SELECT * FROM sc WHERE year < 2005;
INSERT INTO sc_child SELECT * FROM sc WHERE year >= 2005;
SET client_min_messages = debug1;
SELECT count(*) AS cells FROM att_gt('sc_parent', 'lemp', 'id', 'year', 'first_treat');
RESET client_min_messages;
SELECT (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc_parent', 'lemp', 'id', 'year', 'first_treat'))
     = (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc', 'lemp', 'id', 'year', 'first_treat')) AS parent_and_children_same;

-- row-level security that applies to the caller (a plain role): through a
-- query, so the policy's rows and only they are read; the table's owner
-- (not subject to the policy) reads it directly, every row
CREATE ROLE regress_si_scan;
CREATE TABLE sc_rls AS SELECT * FROM sc;
ALTER TABLE sc_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY odd_units ON sc_rls USING (id % 2 = 1);
GRANT SELECT ON sc_rls TO regress_si_scan;
CREATE VIEW sc_odd AS SELECT * FROM sc WHERE id % 2 = 1;
CREATE TEMP TABLE rls_ref AS
SELECT (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc_odd', 'lemp', 'id', 'year', 'first_treat')) AS odd,
       (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc', 'lemp', 'id', 'year', 'first_treat')) AS all_units;
GRANT SELECT ON rls_ref TO regress_si_scan;
SET client_min_messages = debug1;
SELECT count(*) AS cells FROM att_gt('sc_rls', 'lemp', 'id', 'year', 'first_treat');
SET ROLE regress_si_scan;
SELECT count(*) AS cells FROM att_gt('sc_rls', 'lemp', 'id', 'year', 'first_treat');
RESET client_min_messages;
SELECT (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc_rls', 'lemp', 'id', 'year', 'first_treat')) = odd AS policy_rows_only,
       odd <> all_units AS policy_matters
FROM rls_ref;
RESET ROLE;
SELECT (SELECT array_agg(estimate ORDER BY cohort, period) FROM att_gt('sc_rls', 'lemp', 'id', 'year', 'first_treat')) = all_units AS owner_reads_all
FROM rls_ref;
DROP TABLE rls_ref;
DROP TABLE sc_rls;
DROP ROLE regress_si_scan;

-- errors read directly are those of the query path, with the same codes
\i sql/include/expect_error.sql
CREATE TABLE sc_dup AS SELECT * FROM sc UNION ALL SELECT * FROM sc WHERE id = (SELECT min(id) FROM sc) AND year = 2004;
CREATE VIEW sc_dup_v AS SELECT * FROM sc_dup;
SELECT pg_temp.expect_error($$SELECT count(*) FROM att_gt('sc_dup', 'lemp', 'id', 'year', 'first_treat')$$);
SELECT pg_temp.expect_error($$SELECT count(*) FROM att_gt('sc_dup_v', 'lemp', 'id', 'year', 'first_treat')$$);
CREATE TABLE sc_nan AS SELECT * FROM sc;
UPDATE sc_nan SET lempn = NULL WHERE id = (SELECT max(id) FROM sc) AND year = 2006;
SELECT pg_temp.expect_error($$SELECT count(*) FROM att_gt('sc_nan', 'lempn', 'idn', 'year', 'first_treat')$$);
CREATE TABLE sc_frac AS SELECT * FROM sc;
UPDATE sc_frac SET idn = idn + 0.5 WHERE id = (SELECT max(id) FROM sc);
SELECT pg_temp.expect_error($$SELECT count(*) FROM att_gt('sc_frac', 'lemp', 'idn', 'year', 'first_treat')$$);
CREATE TABLE sc_cov AS SELECT * FROM sc;
UPDATE sc_cov SET ftn = 2006 WHERE id = (SELECT max(id) FROM sc WHERE first_treat = 2007) AND year = 2005;
SELECT pg_temp.expect_error($$SELECT count(*) FROM att_gt('sc_cov', 'lemp', 'id', 'year', 'ftn')$$);

-- the arrays grow (3,000 units, no statistics: room for 1,024 at first,
-- the rows period by period so every column moves while it fills, and a
-- covariate that varies within units) and give what a table read with room
-- for every unit from the start gives (after ANALYZE, from n_distinct)
CREATE TABLE sc_grow AS
SELECT u AS id, t AS period, CASE u % 3 WHEN 0 THEN 0 ELSE 2 + u % 3 END AS cohort,
       (u % 11) * 0.1 + t * 0.05 + CASE WHEN u % 3 <> 0 AND t >= 2 + u % 3 THEN 0.3 ELSE 0 END + sin(u * t) * 0.01 AS y,
       ((u % 7) + 0.1 * t)::numeric AS x
FROM generate_series(1, 5) t, generate_series(1, 3000) u
ORDER BY t, u;
SET client_min_messages = warning;
CREATE TEMP TABLE grow_before AS
SELECT array_agg(estimate ORDER BY cohort, period) || array_agg(std_error ORDER BY cohort, period) AS r
FROM att_gt('sc_grow', 'y', 'id', 'period', 'cohort', covariate_columns => '{x}', est_method => 'reg');
ANALYZE sc_grow;
SELECT (SELECT array_agg(estimate ORDER BY cohort, period) || array_agg(std_error ORDER BY cohort, period)
        FROM att_gt('sc_grow', 'y', 'id', 'period', 'cohort', covariate_columns => '{x}', est_method => 'reg')) = r AS grown_same,
       cardinality(r) AS numbers
FROM grow_before;
RESET client_min_messages;

DROP TABLE sc_dup, sc_nan, sc_frac, sc_cov, sc_child, sc_parent, sc_grow, sc, sc_mpdta CASCADE;
DROP DOMAIN money_like;
