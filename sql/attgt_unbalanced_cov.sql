-- att_gt with covariates on an UNBALANCED panel: each cell is a repeated
-- cross section (rows of its period and base period) estimated with the
-- DRDID RC estimators reg_did_rc / std_ipw_did_rc / drdid_rc, the row
-- influence functions summed per unit (as R did with
-- allow_unbalanced_panel = TRUE). No R reference numbers exist for this
-- case, so the checks are exact hand computations and identities:
--  1. a 12-row panel: reg's ATT from OLS by period in plain SQL
--     (regr_intercept/regr_slope) and its standard error from the
--     influence function written out in SQL, to 1e-10;
--  2. "paired" units (x2 = 0 and 1 with identical rows): x2 is balanced and
--     irrelevant in every (group, period), so all three estimators and
--     their influence functions reduce exactly to the no-covariate
--     estimator (which matches R on did_cases k3): ATT and SE to 1e-10,
--     also with weights and not-yet-treated controls, and the aggregations;
--  3. randomised cohorts, outcome independent of the covariates: close to
--     the no-covariate estimates (within 0.25 SE);
--  4. a simulation with selection on a covariate that drives the trends and
--     a planted effect of 2 on a panel with 15% of the rows dropped: the
--     covariate estimators recover it, the unconditional one does not.
-- (Intercept-only identities and the influence function as a derivative
-- are checked in test/unit/test_drdid_rc.c.)

-- 1. twelve rows, one covariate
CREATE TABLE tiny(unit int, period int, cohort int, y float8, x float8);
INSERT INTO tiny VALUES
 (1,1,0, 1.0, 0.5),(1,2,0, 1.9, 0.5),
 (2,1,0, 2.2, 1.5),(2,2,0, 3.4, 1.5),
 (3,1,0, 0.3,-0.7),
 (4,2,0, 4.1, 2.4),
 (5,1,2, 1.7, 0.2),(5,2,2, 4.0, 0.2),
 (6,1,2, 2.9, 1.1),(6,2,2, 5.2, 1.1),
 (7,1,2, 0.8,-0.4),
 (8,2,2, 6.3, 2.0);
-- reg_did_rc: treated change minus the mean over treated rows of
-- m_post(x) - m_pre(x), m_q = OLS of y on x among the controls of period q;
-- influence function (rows, n = 12, weights 1):
--   treated: +-(y - mean_t,q) / share_t,q - (m_1(x) - m_0(x) - e_reg) / share_t
--   control in period q: -+(y - m_q(x)) * x' n (X_q'X_q)^-1 colMeans(D x) / share_t
-- unit psi = (units / rows) * sum of its rows, se = sqrt(sum psi^2) / units
CREATE TEMP TABLE tiny_hand AS
WITH r AS (SELECT *, (cohort = 2)::int AS d, (period = 2)::int AS post FROM tiny),
ctl AS (SELECT post, regr_intercept(y, x) AS a, regr_slope(y, x) AS b,
               count(*)::float8 AS n, sum(x) AS sx, sum(x * x) AS sxx
        FROM r WHERE d = 0 GROUP BY post),
tot AS (SELECT count(*)::float8 AS nn, count(DISTINCT unit)::float8 AS nu,
               sum(d)::float8 / count(*) AS m_reg, sum(d * x) / count(*) AS m1x FROM r),
tq AS (SELECT post, count(*)::float8 / (SELECT nn FROM tot) AS m_t, avg(y) AS e_t FROM r WHERE d = 1 GROUP BY post),
imp AS (SELECT r.*, (c1.a + c1.b * r.x) - (c0.a + c0.b * r.x) AS dlt
        FROM r, ctl c1, ctl c0 WHERE c1.post = 1 AND c0.post = 0),
ereg AS (SELECT avg(dlt) AS e_reg FROM imp WHERE d = 1),
av AS (SELECT c.post, c.a, c.b,
              (CASE WHEN c.post = 1 THEN 1 ELSE -1 END) * t.nn / (c.n * c.sxx - c.sx * c.sx)
                * (c.sxx * t.m_reg - c.sx * t.m1x) / t.m_reg AS a0,
              (CASE WHEN c.post = 1 THEN 1 ELSE -1 END) * t.nn / (c.n * c.sxx - c.sx * c.sx)
                * (-c.sx * t.m_reg + c.n * t.m1x) / t.m_reg AS a1
       FROM ctl c, tot t),
inf AS (SELECT i.unit,
          CASE WHEN i.d = 1 THEN
                 (CASE WHEN i.post = 1 THEN 1 ELSE -1 END) * (i.y - tq.e_t) / tq.m_t
                 - (i.dlt - (SELECT e_reg FROM ereg)) / (SELECT m_reg FROM tot)
               ELSE -(i.y - (av.a + av.b * i.x)) * (av.a0 + av.a1 * i.x) END AS v
        FROM imp i JOIN av ON av.post = i.post LEFT JOIN tq ON tq.post = i.post AND i.d = 1),
psi AS (SELECT unit, (SELECT nu / nn FROM tot) * sum(v) AS p FROM inf GROUP BY unit)
SELECT (SELECT (avg(y) FILTER (WHERE post = 1) - avg(y) FILTER (WHERE post = 0))
               - (SELECT e_reg FROM ereg) FROM r WHERE d = 1) AS att,
       (SELECT sqrt(sum(p * p)) / (SELECT nu FROM tot) FROM psi) AS se;
SELECT g.cohort, g.period, g.n_treated, g.n_control,
       abs(g.estimate - h.att) < 1e-10 AS att_matches_sql,
       abs(g.std_error - h.se) < 1e-10 AS se_matches_sql,
       abs(g.estimate - 2.5204) < 1e-4 AS att_is_2_5204
FROM att_gt('tiny', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x}', est_method => 'reg') g, tiny_hand h;
-- ipw and dr run on the same rows; the unconditional estimate for contrast
SELECT m, round(estimate::numeric, 4) AS att FROM unnest(ARRAY['ipw', 'dr']) m,
       att_gt('tiny', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x}', est_method => m);
SELECT round(estimate::numeric, 4) AS att_no_covariates FROM att_gt('tiny', 'y', 'unit', 'period', 'cohort');
-- dr fits an outcome regression on the treated of each period too: a
-- covariate constant among them (units 5-7 are the treated rows of the
-- base period) is named with the regression; reg does not fit it
\i sql/include/expect_error.sql
UPDATE tiny SET x = 1.0 WHERE unit IN (5, 6, 7);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('tiny', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x}', est_method => 'dr') $$);
SELECT count(*) AS reg_still_fits FROM att_gt('tiny', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x}', est_method => 'reg');

-- 2. paired units: exact reduction to the no-covariate estimator
CREATE TABLE pairs AS
SELECT 2 * p + x2 AS unit, t AS period,
       CASE p % 3 WHEN 0 THEN 0 WHEN 1 THEN 3 ELSE 4 END AS cohort,
       round((0.1 * p + 0.3 * t + sin(p * 7 + t * 3)
        + CASE WHEN p % 3 = 1 AND t >= 3 THEN 1.0 WHEN p % 3 = 2 AND t >= 4 THEN 1.5 ELSE 0 END)::numeric, 4)::float8 AS y,
       x2::float8 AS x2, 1 + (p % 4) * 0.25 AS w
FROM generate_series(1, 60) p, generate_series(1, 5) t, generate_series(0, 1) x2
WHERE (p * 7 + t * 5) % 9 <> 0;
SELECT count(*) AS rows, count(DISTINCT unit) AS units, count(DISTINCT unit) * 5 AS balanced_rows FROM pairs;
WITH a AS (SELECT cohort, period, estimate AS att, std_error FROM att_gt('pairs', 'y', 'unit', 'period', 'cohort')),
     b AS (SELECT m, cohort, period, estimate AS att, std_error FROM unnest(ARRAY['reg', 'ipw', 'dr']) m,
             att_gt('pairs', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x2}', est_method => m))
SELECT m, count(*) AS cells, max(abs(a.att - b.att)) < 1e-10 AS att_equal,
       max(abs(a.std_error - b.std_error)) < 1e-10 AS se_equal
FROM a JOIN b USING (cohort, period) GROUP BY m ORDER BY m;
WITH a AS (SELECT cohort, period, estimate AS att, std_error FROM att_gt('pairs', 'y', 'unit', 'period', 'cohort',
             weight_column => 'w', control_group => 'notyettreated')),
     b AS (SELECT m, cohort, period, estimate AS att, std_error FROM unnest(ARRAY['reg', 'ipw', 'dr']) m,
             att_gt('pairs', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x2}', est_method => m,
                    weight_column => 'w', control_group => 'notyettreated'))
SELECT m, count(*) AS cells, max(abs(a.att - b.att)) < 1e-10 AS att_equal,
       max(abs(a.std_error - b.std_error)) < 1e-10 AS se_equal
FROM a JOIN b USING (cohort, period) GROUP BY m ORDER BY m;
WITH a AS (SELECT type, level, key, estimate AS att, std_error FROM unnest(ARRAY['simple', 'dynamic', 'group', 'calendar']) ty,
             att_gt_aggregate('pairs', 'y', 'unit', 'period', 'cohort', type => ty)),
     b AS (SELECT m, type, level, key, estimate AS att, std_error FROM unnest(ARRAY['reg', 'ipw', 'dr']) m,
             unnest(ARRAY['simple', 'dynamic', 'group', 'calendar']) ty,
             att_gt_aggregate('pairs', 'y', 'unit', 'period', 'cohort', type => ty, covariate_columns => '{x2}', est_method => m))
SELECT m, count(*) AS aggregate_rows, max(abs(a.att - b.att)) < 1e-10 AS att_equal,
       max(abs(a.std_error - b.std_error)) < 1e-10 AS se_equal
FROM a JOIN b USING (type, level, key) GROUP BY m ORDER BY m;

-- 3. randomised cohorts, outcome independent of x1, x2
SELECT setseed(0.25);
CREATE TABLE rnd_unit AS
SELECT u AS unit, (ARRAY[0, 3, 5])[1 + floor(random() * 3)::int] AS cohort,
       random() * 2 - 1 AS x1, (random() < 0.4)::int::float8 AS x2, random() AS a
FROM generate_series(1, 800) u;
CREATE TABLE rnd AS
SELECT unit, t AS period, cohort, a + 0.2 * t + CASE WHEN cohort > 0 AND t >= cohort THEN 1.0 ELSE 0 END + (random() - 0.5) AS y, x1, x2
FROM rnd_unit, generate_series(1, 6) t WHERE random() > 0.15;
SELECT count(*) < 6 * 800 AS unbalanced FROM rnd;
WITH a AS (SELECT cohort, period, estimate AS att, std_error FROM att_gt('rnd', 'y', 'unit', 'period', 'cohort')),
     b AS (SELECT m, cohort, period, estimate AS att, std_error FROM unnest(ARRAY['reg', 'ipw', 'dr']) m,
             att_gt('rnd', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x1,x2}', est_method => m))
SELECT m, count(*) AS cells, max(abs(a.att - b.att) / a.std_error) < 0.25 AS att_within_quarter_se,
       min(b.std_error / a.std_error) > 0.9 AND max(b.std_error / a.std_error) < 1.1 AS se_within_10pct
FROM a JOIN b USING (cohort, period) GROUP BY m ORDER BY m;

-- 4. planted effect 2, selection on x1, trends depending on x1 and x2
SELECT setseed(0.75);
CREATE TABLE sim_unit AS
SELECT u AS unit, x1, x2, a,
       CASE WHEN r < 0.7 / (1 + exp(-1.5 * x1)) THEN (CASE WHEN random() < 0.5 THEN 3 ELSE 5 END) ELSE 0 END AS cohort
FROM (SELECT u, random() * 2 - 1 AS x1, (random() < 0.5)::int::float8 AS x2, random() AS a, random() AS r
      FROM generate_series(1, 1000) u) s;
CREATE TABLE sim AS
SELECT unit, t AS period, cohort,
       a + t * (0.3 + 0.8 * x1 + 0.3 * x2) + CASE WHEN cohort > 0 AND t >= cohort THEN 2.0 ELSE 0 END + (random() - 0.5) AS y, x1, x2
FROM sim_unit, generate_series(1, 6) t WHERE random() > 0.15;
SELECT count(*) < 6 * 1000 AS unbalanced FROM sim;
SELECT m, abs(estimate - 2) < 0.15 AS near_2, conf_low <= 2 AND 2 <= conf_high AS ci_covers_2
FROM unnest(ARRAY['reg', 'ipw', 'dr']) m,
     att_gt_aggregate('sim', 'y', 'unit', 'period', 'cohort', type => 'simple', covariate_columns => '{x1,x2}', est_method => m)
ORDER BY m;
-- without covariates the different trends of the treated bias the estimate
SELECT conf_low > 2 AS unconditional_biased
FROM att_gt_aggregate('sim', 'y', 'unit', 'period', 'cohort', type => 'simple');
-- every post-treatment cell within 3 SE of 2 (most 95% CIs cover it),
-- every pre-treatment cell within 3 SE of 0
SELECT m, count(*) FILTER (WHERE post) AS post_cells,
       count(*) FILTER (WHERE post AND conf_low <= 2 AND 2 <= conf_high) AS post_ci_cover_2,
       bool_and(abs(estimate - 2) < 3 * std_error) FILTER (WHERE post) AS post_within_3se,
       count(*) FILTER (WHERE NOT post) AS pre_cells,
       bool_and(abs(estimate) < 3 * std_error) FILTER (WHERE NOT post) AS pre_within_3se
FROM unnest(ARRAY['reg', 'ipw', 'dr']) m,
     att_gt('sim', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x1,x2}', est_method => m)
GROUP BY m ORDER BY m;
-- the multiplier bootstrap runs on the same influence functions
SELECT count(*) AS cells, bool_and(std_error > 0) AS se_positive, bool_and(critical_value > 1.5) AS uniform_band
FROM att_gt('sim', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x1,x2}', est_method => 'dr', bootstrap => 199, seed => 7);
-- the sample flow reports the unbalanced units
SELECT step, reason, n_units FROM att_gt_sample('sim', 'y', 'unit', 'period', 'cohort', covariate_columns => '{x1,x2}')
WHERE reason LIKE 'unbalanced%';

DROP TABLE tiny, pairs, rnd_unit, rnd, sim_unit, sim;
