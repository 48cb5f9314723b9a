-- att_gt on unit ids and periods of other types (issue 13, item 6):
-- text, uuid and bigint unit ids give the same numbers as integer ids on
-- mpdta; date periods (mpdta's years as 1 January, and as consecutive
-- weeks) give the same numbers as integer periods, reported as grid codes
-- (yyyy, ISO yyyyww); a type att_gt cannot use is a one-line 42804 error.
\getenv abs_srcdir PG_ABS_SRCDIR
\i sql/include/expect_error.sql
\set f :abs_srcdir '/data/mpdta.csv'
CREATE TABLE mpdta(year int, countyreal int, lpop float8, lemp float8, first_treat int, treat int);
COPY mpdta FROM :'f' (FORMAT csv, HEADER);

-- the same panel with ids and periods of other types
CREATE TABLE mp_types AS
SELECT countyreal, year, lemp, lpop, first_treat,
       'county-' || countyreal AS id_text,
       md5(countyreal::text)::uuid AS id_uuid,
       countyreal::bigint * 1000000007 AS id_big,
       make_date(year, 1, 1) AS year_date,
       CASE WHEN first_treat = 0 THEN NULL ELSE make_date(first_treat, 1, 1) END AS cohort_date,
       CASE WHEN first_treat = 0 THEN 'infinity'::date ELSE make_date(first_treat, 1, 1) END AS cohort_date_inf,
       date '2021-01-04' + 7 * (year - 2003) AS week,
       CASE WHEN first_treat = 0 THEN NULL ELSE date '2021-01-04' + 7 * (first_treat - 2003) END AS cohort_week
FROM mpdta
ORDER BY year, lemp;	-- rows not grouped by unit: the id map's slow path

CREATE FUNCTION pg_temp.cells(u text, pe text, co text, method text, cov text[])
RETURNS TABLE(cohort int, period int, base_period int, event_time int, att float8, std_error float8, n_treated int)
LANGUAGE sql AS $$
	SELECT cohort, period, base_period, event_time, estimate, std_error, n_treated::int
	FROM att_gt('mp_types', 'lemp', u, pe, co, est_method => method, covariate_columns => cov,
	            control_group => 'notyettreated')
$$;

-- reference: integer ids and periods
CREATE TEMP TABLE ref AS SELECT m, c.* FROM unnest(ARRAY['reg', 'dr']) m, pg_temp.cells('countyreal', 'year', 'first_treat', m, ARRAY['lpop']) c;
SELECT count(*) AS reference_cells FROM ref;

-- text, uuid and bigint ids: every cell, same ATT and SE (to 1e-12; the
-- units come in the same order, so in fact identical)
SELECT ids, mm AS m, count(*) AS cells,
       max(abs(a.att - r.att)) < 1e-12 AS att_same, max(abs(a.std_error - r.std_error)) < 1e-12 AS se_same,
       bool_and(a.n_treated = r.n_treated) AS counts_same
FROM unnest(ARRAY['id_text', 'id_uuid', 'id_big']) ids, unnest(ARRAY['reg', 'dr']) mm,
     pg_temp.cells(ids, 'year', 'first_treat', mm, ARRAY['lpop']) a, ref r
WHERE r.m = mm AND r.cohort = a.cohort AND r.period = a.period
GROUP BY 1, 2 ORDER BY 1, 2;

-- yearly dates (never treated as NULL or 'infinity'): the periods are
-- reported as years, so the rows match the integer run one for one
SELECT coh, mm AS m, count(*) AS cells,
       max(abs(a.att - r.att)) < 1e-12 AS att_same, max(abs(a.std_error - r.std_error)) < 1e-12 AS se_same,
       bool_and(a.base_period = r.base_period AND a.event_time = r.event_time) AS periods_same
FROM unnest(ARRAY['cohort_date', 'cohort_date_inf']) coh, unnest(ARRAY['reg', 'dr']) mm,
     pg_temp.cells('id_text', 'year_date', coh, mm, ARRAY['lpop']) a, ref r
WHERE r.m = mm AND r.cohort = a.cohort AND r.period = a.period
GROUP BY 1, 2 ORDER BY 1, 2;

-- weekly dates: ISO week codes 202101..202105 for 2003..2007, event times in weeks
SELECT a.cohort AS week_cohort, a.period AS week_period, a.event_time,
       abs(a.att - r.att) < 1e-12 AS att_same, abs(a.std_error - r.std_error) < 1e-12 AS se_same
FROM pg_temp.cells('id_uuid', 'week', 'cohort_week', 'dr', ARRAY['lpop']) a
JOIN ref r ON r.m = 'dr' AND r.cohort - 2003 = a.cohort - 202101 AND r.period - 2003 = a.period - 202101
ORDER BY 1, 2;

-- the bootstrap draws one multiplier per unit index: with the rows in the
-- same order, uuid ids and date periods give the same draws as integers;
-- clustering by a text column works as before
SELECT (SELECT array_agg(std_error ORDER BY cohort, period)
        FROM att_gt('mp_types', 'lemp', 'id_uuid', 'week', 'cohort_week', bootstrap => 100, seed => 5))
     = (SELECT array_agg(std_error ORDER BY cohort, period)
        FROM att_gt('mp_types', 'lemp', 'countyreal', 'year', 'first_treat', bootstrap => 100, seed => 5)) AS same_bootstrap,
       (SELECT max(abs(a.std_error - b.std_error)) < 1e-12
        FROM att_gt('mp_types', 'lemp', 'id_text', 'year', 'first_treat', cluster_column => 'id_text') a
        JOIN att_gt('mp_types', 'lemp', 'countyreal', 'year', 'first_treat') b USING (cohort, period)) AS cluster_by_unit_same;

-- the rest of the family speaks the same codes: aggregation keys, sample
SELECT type, key, round(estimate::numeric, 6) AS att
FROM att_gt_aggregate('mp_types', 'lemp', 'id_text', 'week', 'cohort_week', type => 'group')
ORDER BY key NULLS LAST;
SELECT a.key, abs(a.estimate - b.estimate) < 1e-12 AS same_as_integer
FROM att_gt_aggregate('mp_types', 'lemp', 'id_text', 'week', 'cohort_week', type => 'dynamic') a
JOIN att_gt_aggregate('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', type => 'dynamic') b
  ON a.key IS NOT DISTINCT FROM b.key AND a.level = b.level
ORDER BY a.key NULLS LAST;
SELECT step, reason, n_units FROM att_gt_sample('mp_types', 'lemp', 'id_uuid', 'week', 'cohort_week') WHERE step IN (1, 8, 9) ORDER BY step, reason;
SELECT round(w::numeric, 6) AS w, df FROM att_gt_pretest('mp_types', 'lemp', 'id_text', 'year_date', 'cohort_date', est_method => 'reg');
SELECT count(*) AS vcov_entries FROM att_gt_event_vcov('mp_types', 'lemp', 'id_uuid', 'week', 'cohort_week');

-- a monthly panel with month-end dates and a gap (no April), cohort March.
-- By hand: y = 0.5 id + 0.1 k + 1{treated, k >= 2} + 0.01 k (id odd), k the
-- month index; treated units 1-3 (two odd), controls 4-6 (one odd), so the
-- trends differ by 0.01/3 per month: ATT(Mar, Feb) = 0.01/3 (pre, base Jan),
-- ATT(Mar, Mar) = 1 + 0.01/3, ATT(Mar, May) = 1 + 3 x 0.01/3 = 1.01 (base
-- Feb, event time 2 months).
CREATE TABLE monthly AS
SELECT id::text AS id, (date '2020-01-01' + make_interval(months => k + 1))::date - 1 AS month,
       CASE WHEN id <= 3 THEN (date '2020-01-01' + make_interval(months => 3))::date - 1 END AS first_month,
       id * 0.5 + k * 0.1 + CASE WHEN id <= 3 AND k >= 2 THEN 1 ELSE 0 END + (id % 2) * 0.01 * k AS y
FROM generate_series(1, 6) id, unnest(ARRAY[0, 1, 2, 4]) k;
SELECT cohort, period, base_period, event_time, round(estimate::numeric, 10) AS att
FROM att_gt('monthly', 'y', 'id', 'month', 'first_month') ORDER BY 1, 2;

-- errors: one line, SQLSTATE 42804 (type) or 22023/22008 (value), with a hint
CREATE TABLE bad AS SELECT *, year_date::timestamp AS ts, (countyreal % 2 = 0) AS flag, first_treat::float8 AS ft
FROM mp_types;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'countyreal', 'ts', 'first_treat') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'flag', 'year', 'first_treat') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'countyreal', 'year_date', 'first_treat') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'countyreal', 'year', 'cohort_date') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt_sample('bad', 'lemp', 'countyreal', 'year', 'id_text') $$);
UPDATE bad SET cohort_date = date '2006-07-01' WHERE countyreal = 8001;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'id_text', 'year_date', 'cohort_date') $$);
UPDATE bad SET cohort_date = '-infinity' WHERE countyreal = 8001;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'id_text', 'year_date', 'cohort_date') $$);
UPDATE bad SET cohort_date = date '2007-01-01' WHERE countyreal = 8001;
UPDATE bad SET year_date = 'infinity' WHERE countyreal = 8001 AND year = 2003;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'id_text', 'year_date', 'cohort_date') $$);
-- messages name text ids and date periods as they are
INSERT INTO bad SELECT * FROM bad WHERE countyreal = 8019 AND year = 2004;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('bad', 'lemp', 'id_text', 'week', 'cohort_week') $$);
DROP TABLE bad, monthly, mp_types, mpdta;
