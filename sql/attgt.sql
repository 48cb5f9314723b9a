-- att_gt on mpdta against every number of data/mpdta_reference.md
-- (R did 2.5.1, never-treated controls, no covariates, analytical SEs).
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/mpdta.csv'
CREATE TABLE mpdta(year int, countyreal int, lpop float8, lemp float8, first_treat int, treat int);
COPY mpdta FROM :'f' (FORMAT csv, HEADER);

CREATE TEMP TABLE ref_cell(g int, t int, att float8, se float8);
INSERT INTO ref_cell VALUES
(2004, 2004, -0.010503246220963533, 0.023251036368166198),
(2004, 2005, -0.070423158103149086, 0.030984766757276384),
(2004, 2006, -0.13725873888940443, 0.036435664287686131),
(2004, 2007, -0.10081136308540525, 0.034359225834673032),
(2006, 2004, 0.0065201124242328934, 0.023326805141804838),
(2006, 2005, -0.0027508187505186823, 0.019558561035881519),
(2006, 2006, -0.0045946069528627134, 0.017755196659276398),
(2006, 2007, -0.041224471546217924, 0.020229180704107057),
(2007, 2004, 0.030506655583292103, 0.015033560280130054),
(2007, 2005, -0.0027258928861159538, 0.01639583289553443),
(2007, 2006, -0.031087119389688129, 0.017877511313343499),
(2007, 2007, -0.026054410719197233, 0.016655435349252179);

CREATE TEMP TABLE ref_agg(type text, key int, att float8, se float8);
INSERT INTO ref_agg VALUES
('simple', NULL, -0.039951275155177005, 0.012034012770185417),
('dynamic', NULL, -0.077239821457316116, 0.019964989061849233),
('group', NULL, -0.031018282228749014, 0.012446059320997918),
('calendar', NULL, -0.041700432131283299, 0.015971851884559841),
('dynamic', -3, 0.030506655583292103, 0.015033560280130051),
('dynamic', -2, -0.00056308462638522965, 0.013291644736550009),
('dynamic', -1, -0.024458744971168959, 0.01423640221051929),
('dynamic', 0, -0.019931816789259774, 0.011826364058058189),
('dynamic', 1, -0.050957367065194985, 0.016893476268678074),
('dynamic', 2, -0.13725873888940443, 0.036435664287686138),
('dynamic', 3, -0.10081136308540525, 0.034359225834673046),
('group', 2004, -0.079749126574730572, 0.026367799435027015),
('group', 2006, -0.022909539249540319, 0.016703330255162144),
('group', 2007, -0.026054410719197233, 0.016655435349252175),
('calendar', 2004, -0.010503246220963533, 0.023251036368166191),
('calendar', 2005, -0.070423158103149086, 0.030984766757276381),
('calendar', 2006, -0.048815984265043293, 0.02012586126050029),
('calendar', 2007, -0.037059339935977272, 0.013747079141118553);

-- the 12 ATT(g,t) and SEs, with est_method reg and dr (equal without covariates)
SELECT m.est_method, count(*) AS cells,
       max(abs(a.estimate - r.att)) < 1e-12 AS att_ok,
       max(abs(a.std_error - r.se)) < 1e-12 AS se_ok,
       bool_and(a.n_control = 309) AS controls_ok,
       bool_and(abs(a.conf_high - a.estimate - 1.959963984540054 * a.std_error) < 1e-12) AS ci_ok
FROM (VALUES ('reg'), ('dr'), ('ipw')) m(est_method),
     att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => m.est_method) a
JOIN ref_cell r ON r.g = a.cohort AND r.t = a.period
GROUP BY 1 ORDER BY 1;

-- Wald pre-test: W = 7.7912366271999982, p = 0.16812 (rounded by did)
SELECT abs(w - 7.7912366271999982) < 1e-9 AS w_ok, df, round(p_value::numeric, 5) AS p_rounded
FROM att_gt_pretest('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', est_method => 'reg');

-- the four aggregations: overall rows and every component
SELECT r.type, count(*) AS rows_compared,
       max(abs(a.estimate - r.att)) < 1e-12 AS att_ok,
       max(abs(a.std_error - r.se)) < 1e-12 AS se_ok
FROM (VALUES ('simple'), ('dynamic'), ('group'), ('calendar')) ty(type),
     att_gt_aggregate('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', type => ty.type, est_method => 'reg') a
FULL JOIN ref_agg r ON r.type = a.type AND r.key IS NOT DISTINCT FROM a.key
GROUP BY 1 ORDER BY 1;

-- sample flow
SELECT step, reason, n_units, n_rows FROM att_gt_sample('mpdta', 'lemp', 'countyreal', 'year', 'first_treat');

-- event-study covariance: diagonal = squared SEs of the dynamic components
SELECT count(*) AS entries,
       max(abs(sqrt(v.covariance) - r.se)) FILTER (WHERE v.e1 = v.e2) < 1e-12 AS diag_ok,
       bool_and(abs(v.covariance - v2.covariance) < 1e-18) AS symmetric
FROM att_gt_event_vcov('mpdta', 'lemp', 'countyreal', 'year', 'first_treat') v
JOIN att_gt_event_vcov('mpdta', 'lemp', 'countyreal', 'year', 'first_treat') v2 ON v2.e1 = v.e2 AND v2.e2 = v.e1
LEFT JOIN ref_agg r ON r.type = 'dynamic' AND r.key = v.e1;

-- multiplier bootstrap: reproducible with a seed, SEs within Monte-Carlo
-- error (+/-15%: the IQR-based scale of 1000 draws has a relative sd of about 4%, and the cells share the draws) of the analytical ones, uniform critical value above the
-- pointwise 1.96 and below the Bonferroni value for 12 cells (3.04)
SELECT count(*) AS cells,
       bool_and(abs(b.std_error / r.se - 1) < 0.15) AS se_close,
       min(b.critical_value) > 1.96 AND max(b.critical_value) < 3.04 AS crit_between,
       count(DISTINCT b.critical_value) = 1 AS one_crit
FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', bootstrap => 1000, seed => 7) b
JOIN ref_cell r ON r.g = b.cohort AND r.t = b.period;
SELECT (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', bootstrap => 200, seed => 7))
     = (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', bootstrap => 200, seed => 7)) AS same_seed_same_draws,
       (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', bootstrap => 200, seed => 7))
    <> (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', bootstrap => 200, seed => 8)) AS other_seed_other_draws;
-- bootstrap of the dynamic aggregation: overall SE near the analytical 0.0200
SELECT abs(std_error / 0.019964989061849233 - 1) < 0.10 AS overall_se_close
FROM att_gt_aggregate('mpdta', 'lemp', 'countyreal', 'year', 'first_treat', type => 'dynamic', bootstrap => 1000)
WHERE level = 'overall';

-- a view works as input, and row-level security of the caller applies
CREATE VIEW mpdta_view AS SELECT countyreal AS id, year, lemp, first_treat FROM mpdta;
SELECT count(*) AS cells FROM att_gt('mpdta_view', 'lemp', 'id', 'year', 'first_treat');

DROP VIEW mpdta_view;
DROP TABLE mpdta;
