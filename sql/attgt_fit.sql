-- att_gt_fit, the stored estimate: every fit form equals its table form
-- (mpdta; difference 0 up to 1e-12) and R did's numbers (cell 2004/2004,
-- data/mpdta_reference.md); bootstrap draws reproduce with the seed; the
-- value round-trips (text, binary, a table column) and corrupt values are
-- refused; two fits in one transaction keep their own cells.
\getenv abs_srcdir PG_ABS_SRCDIR
\i sql/include/expect_error.sql
\set f :abs_srcdir '/data/mpdta.csv'
CREATE TABLE mpdta(year int, countyreal int, lpop float8, lemp float8, first_treat int, treat int);
COPY mpdta FROM :'f' (FORMAT csv, HEADER);

CREATE TEMP TABLE fits AS
SELECT 'reg' AS name, att_gt_fit('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg') AS fit
UNION ALL
SELECT 'dr_lpop', att_gt_fit('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', covariate_columns => '{lpop}')
UNION ALL
SELECT 'reg_universal', att_gt_fit('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg',
                                   base_period => 'universal')
UNION ALL
SELECT 'nyt', att_gt_fit('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', control_group => 'notyettreated');

-- the cells: table form and fit form, row for row
SELECT 'reg' AS fit, count(*) AS cells,
       count(*) FILTER (WHERE f.cohort IS NULL OR t.cohort IS NULL) AS missing,
       max(greatest(abs(f.estimate - t.estimate), abs(f.std_error - t.std_error), abs(f.conf_low - t.conf_low),
                    abs(f.critical_value - t.critical_value))) <= 1e-12 AS same,
       bool_and(f.n_treated = t.n_treated AND f.n_control = t.n_control AND f.base_period = t.base_period
                AND f.event_time = t.event_time AND f.post = t.post) AS same_keys,
       max(abs(f.estimate - -0.010503246220963533)) FILTER (WHERE f.cohort = 2004 AND f.period = 2004) < 1e-12 AS r_did_2004
FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg') t
FULL JOIN att_gt((SELECT fit FROM fits WHERE name = 'reg')) f USING (cohort, period);
SELECT 'dr_lpop' AS fit, count(*) AS cells,
       count(*) FILTER (WHERE f.cohort IS NULL OR t.cohort IS NULL) AS missing,
       max(greatest(abs(f.estimate - t.estimate), abs(f.std_error - t.std_error))) <= 1e-12 AS same
FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', covariate_columns => '{lpop}') t
FULL JOIN att_gt((SELECT fit FROM fits WHERE name = 'dr_lpop')) f USING (cohort, period);

-- the aggregations, each type, with and without event-time limits
CREATE FUNCTION pg_temp.agg_diff(ty text, OUT rows_compared bigint, OUT missing bigint, OUT same boolean)
LANGUAGE sql AS $$
SELECT count(*), count(*) FILTER (WHERE f.level IS NULL OR t.level IS NULL),
       max(greatest(abs(f.estimate - t.estimate), abs(f.std_error - t.std_error),
                    abs(f.conf_high - t.conf_high))) <= 1e-12
FROM att_gt_aggregate('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', type => ty, covariate_columns => '{lpop}') t
FULL JOIN att_gt_aggregate((SELECT fit FROM fits WHERE name = 'dr_lpop'), ty) f
  ON f.level = t.level AND f.key IS NOT DISTINCT FROM t.key
$$;
SELECT ty.type, d.* FROM (VALUES ('simple'), ('dynamic'), ('group'), ('calendar')) ty(type),
     pg_temp.agg_diff(ty.type) d ORDER BY 1;
SELECT count(*) AS rows_compared,
       max(abs(f.estimate - t.estimate) + abs(f.std_error - t.std_error)) <= 1e-12 AS same
FROM att_gt_aggregate('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', type => 'dynamic',
                      min_e => -2, max_e => 2, balance_e => 1, est_method => 'reg') t
FULL JOIN att_gt_aggregate((SELECT fit FROM fits WHERE name = 'reg'), 'dynamic', min_e => -2, max_e => 2, balance_e => 1) f
  USING (level, key);

-- pre-test, sample flow, event-study covariance
SELECT abs(f.w - t.w) <= 1e-12 AS same_w, f.df = t.df AS same_df, abs(f.p_value - t.p_value) <= 1e-12 AS same_p,
       abs(f.w - 7.7912366271999982) < 1e-9 AS r_did_w
FROM att_gt_pretest('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg') t,
     att_gt_pretest((SELECT fit FROM fits WHERE name = 'reg')) f;
SELECT (SELECT array_agg(s ORDER BY s) FROM att_gt_sample('mpdta', 'lemp', 'countyreal', 'year', 'first_treat') s)
     = (SELECT array_agg(s ORDER BY s) FROM att_gt_sample((SELECT fit FROM fits WHERE name = 'reg')) s) AS same_sample;
SELECT count(*) AS entries, max(abs(f.covariance - t.covariance)) <= 1e-15 AS same
FROM att_gt_event_vcov('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg') t
FULL JOIN att_gt_event_vcov((SELECT fit FROM fits WHERE name = 'reg')) f USING (e1, e2);

-- bootstrap: the draws of a fit form equal the table form's with the same
-- bootstrap, seed and conf_level; another seed gives other draws
SELECT count(*) AS cells,
       max(abs(f.std_error - t.std_error)) <= 1e-12 AS same_se,
       max(abs(f.critical_value - t.critical_value)) <= 1e-12 AS same_crit
FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', control_group => 'notyettreated', bootstrap => 200, seed => 7) t
JOIN att_gt((SELECT fit FROM fits WHERE name = 'nyt'), bootstrap => 200, seed => 7) f USING (cohort, period);
SELECT count(*) AS rows_compared,
       max(abs(f.std_error - t.std_error) + abs(f.conf_low - t.conf_low)) <= 1e-12 AS same
FROM att_gt_aggregate('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', type => 'group', control_group => 'notyettreated',
                      bootstrap => 300, seed => 11, conf_level => 0.9) t
JOIN att_gt_aggregate((SELECT fit FROM fits WHERE name = 'nyt'), 'group', bootstrap => 300, seed => 11, conf_level => 0.9) f
  USING (level, key);
SELECT (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt((SELECT fit FROM fits WHERE name = 'nyt'), bootstrap => 200, seed => 7))
    <> (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt((SELECT fit FROM fits WHERE name = 'nyt'), bootstrap => 200, seed => 8))
       AS other_seed_other_draws,
       (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt((SELECT fit FROM fits WHERE name = 'nyt')))
     = (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat',
                                                                       control_group => 'notyettreated')) AS analytical_default;

-- two fits in one statement, alternating: each keeps its own cells (the
-- transaction's cache is keyed by the fit's checksum)
SELECT count(*) AS pairs,
       bool_and(a.estimate <> b.estimate) AS differ,
       max(abs(a.estimate - t.estimate)) <= 1e-12 AS reg_right,
       max(abs(b.estimate - d.estimate)) <= 1e-12 AS dr_right
FROM att_gt((SELECT fit FROM fits WHERE name = 'reg')) a
JOIN att_gt((SELECT fit FROM fits WHERE name = 'dr_lpop')) b USING (cohort, period)
JOIN att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg') t USING (cohort, period)
JOIN att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', covariate_columns => '{lpop}') d USING (cohort, period);

-- two fits of one panel that differ only in an option (base_period)
SELECT count(*) AS cells, count(*) FILTER (WHERE a.estimate IS DISTINCT FROM b.estimate) > 0 AS differ,
       max(abs(b.estimate - u.estimate)) <= 1e-12 AND max(abs(a.estimate - t.estimate)) <= 1e-12 AS both_right
FROM att_gt((SELECT fit FROM fits WHERE name = 'reg')) a
JOIN att_gt((SELECT fit FROM fits WHERE name = 'reg_universal')) b USING (cohort, period)
JOIN att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg', base_period => 'universal') u USING (cohort, period)
JOIN att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg') t USING (cohort, period);

-- date periods: the grid is stored with the fit (codes as the table form)
CREATE TABLE mpdta_dates AS
SELECT countyreal, make_date(year, 1, 1) AS year, lemp,
       CASE WHEN first_treat = 0 THEN NULL ELSE make_date(first_treat, 1, 1) END AS first_treat
FROM mpdta;
SELECT count(*) AS cells, max(abs(f.estimate - t.estimate) + abs(f.std_error - t.std_error)) <= 1e-12 AS same,
       min(f.cohort) AS first_cohort_code
FROM att_gt('mpdta_dates', 'lemp', 'countyreal', 'year', 'first_treat') t
JOIN att_gt(att_gt_fit('mpdta_dates', 'lemp', 'countyreal', 'year', 'first_treat')) f USING (cohort, period);

-- round trips: text, binary (COPY), and a fit read back from a table column
SELECT fit::text::att_gt_fit::text = fit::text AS text_round_trip, left(fit::text, 10) AS starts
FROM fits WHERE name = 'reg';
SELECT '/tmp/socialinvest_attgt_fit_' || pg_backend_pid() || '.bin' AS fitfile \gset
COPY (SELECT name, fit FROM fits) TO :'fitfile' (FORMAT binary);
CREATE TEMP TABLE fits_back (name text, fit att_gt_fit);
COPY fits_back FROM :'fitfile' (FORMAT binary);
\set cleanup 'rm -f ' :fitfile
COPY (SELECT 1) TO PROGRAM :'cleanup';
SELECT name, b.fit::text = f.fit::text AS binary_round_trip FROM fits f JOIN fits_back b USING (name) ORDER BY name;
SELECT count(*) AS cells, max(abs(b.estimate - f.estimate)) <= 1e-12 AS same
FROM att_gt((SELECT fit FROM fits_back WHERE name = 'dr_lpop')) b
JOIN att_gt((SELECT fit FROM fits WHERE name = 'dr_lpop')) f USING (cohort, period);

-- corrupt and foreign values are refused
SELECT pg_temp.expect_error($$SELECT 'abc'::att_gt_fit$$);
SELECT pg_temp.expect_error($$SELECT '\x00'::att_gt_fit$$);
-- one byte of the outcomes changed: the checksum no longer matches
SELECT pg_temp.expect_error(format('SELECT %L::att_gt_fit',
       overlay(fit::text placing (CASE WHEN substr(fit::text, length(fit::text) - 3, 1) = 'a' THEN 'b' ELSE 'a' END)
               from length(fit::text) - 3 for 1)))
FROM fits WHERE name = 'reg';
-- the version field (bytes 17-18 of the varlena, 13-14 of the text form) set to 2
SELECT pg_temp.expect_error(format('SELECT %L::att_gt_fit', overlay(fit::text placing '0200' from 27 for 4)))
FROM fits WHERE name = 'reg';
-- cut short
SELECT pg_temp.expect_error(format('SELECT %L::att_gt_fit', left(fit::text, 300)))
FROM fits WHERE name = 'reg';
SELECT pg_temp.expect_error($$SELECT * FROM att_gt(NULL::att_gt_fit)$$);
SELECT pg_temp.expect_error($$SELECT * FROM att_gt_aggregate((SELECT fit FROM fits WHERE name = 'reg'), 'weekly')$$);
SELECT pg_temp.expect_error($$SELECT * FROM att_gt((SELECT fit FROM fits WHERE name = 'reg'), conf_level => 1.5)$$);
SELECT pg_temp.expect_error($$SELECT * FROM att_gt((SELECT fit FROM fits WHERE name = 'reg'), bootstrap => 5)$$);
-- estimation errors come when the fit is made, not at every use
SELECT pg_temp.expect_error($$SELECT att_gt_fit('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', covariate_columns => '{treat}')$$);

DROP TABLE mpdta, mpdta_dates;
