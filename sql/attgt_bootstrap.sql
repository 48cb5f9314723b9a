-- Multiplier bootstrap on the other code paths: covariates (generic path,
-- influence functions per unit and draw), an unbalanced panel and
-- weights with a second cluster variable (fast path by outcome sums).
-- R's draws cannot be reproduced outside R, so the checks are: bootstrap
-- SEs near the analytical ones (IQR scale of 1000 draws: +/-15%; with 20
-- unequal clusters did's cluster-mean scheme differs from the analytical
-- CR0 sum, +/-35%), one uniform critical value between the pointwise
-- 1.96 and the Bonferroni bound, and reproducibility from the seed.
\getenv abs_srcdir PG_ABS_SRCDIR
CREATE TABLE boot_k2(unit int, period int, cohort int, y float8, x1 float8, x2 float8);
\set f :abs_srcdir '/data/did_cases/k2_covariates.csv'
COPY boot_k2 FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE boot_k3(unit int, period int, cohort int, y float8);
\set f :abs_srcdir '/data/did_cases/k3_unbalanced.csv'
COPY boot_k3 FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE boot_k4(unit int, period int, cohort int, y float8, x1 float8, x2 float8, w float8, cluster int);
\set f :abs_srcdir '/data/did_cases/k4_weights_cluster.csv'
COPY boot_k4 FROM :'f' (FORMAT csv, HEADER);

CREATE FUNCTION pg_temp.boot_check(tbl regclass, cov text[], wt text, cl text, tol float8)
RETURNS TABLE(cells bigint, se_close boolean, crit_between boolean, one_crit boolean)
LANGUAGE sql AS $$
	SELECT count(*), bool_and(abs(b.std_error / a.std_error - 1) < tol),
	       min(b.critical_value) > 1.96 AND max(b.critical_value) < 3.5, count(DISTINCT b.critical_value) = 1
	FROM att_gt(tbl, 'y', 'unit', 'period', 'cohort', covariate_columns => cov, weight_column => wt, cluster_column => cl,
	            bootstrap => 1000, seed => 1) b
	JOIN att_gt(tbl, 'y', 'unit', 'period', 'cohort', covariate_columns => cov, weight_column => wt, cluster_column => cl) a
	USING (cohort, period)
$$;
SELECT 'boot_k2 covariates dr' AS path, * FROM pg_temp.boot_check('boot_k2', ARRAY['x1', 'x2'], NULL, NULL, 0.15)
UNION ALL SELECT 'boot_k3 unbalanced', * FROM pg_temp.boot_check('boot_k3', NULL, NULL, NULL, 0.15)
UNION ALL SELECT 'boot_k4 weights + clusters', * FROM pg_temp.boot_check('boot_k4', NULL, 'w', 'cluster', 0.35);

-- the same seed gives the same draws on every path
SELECT (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt('boot_k2', 'y', 'unit', 'period', 'cohort', covariate_columns => ARRAY['x1'], est_method => 'ipw', bootstrap => 50, seed => 9))
     = (SELECT array_agg(std_error ORDER BY cohort, period) FROM att_gt('boot_k2', 'y', 'unit', 'period', 'cohort', covariate_columns => ARRAY['x1'], est_method => 'ipw', bootstrap => 50, seed => 9)) AS reproducible;

-- bootstrap of an aggregation with clusters: components share one uniform critical value
SELECT count(*) FILTER (WHERE level = 'event_time') AS components,
       count(DISTINCT critical_value) FILTER (WHERE level = 'event_time') = 1 AS one_band,
       bool_and(std_error > 0) AS all_se
FROM att_gt_aggregate('boot_k4', 'y', 'unit', 'period', 'cohort', type => 'dynamic', weight_column => 'w',
                      cluster_column => 'cluster', bootstrap => 1000, seed => 2);

-- event-study covariance with clusters: diagonal = squared analytical SEs
SELECT bool_and(abs(sqrt(v.covariance) - a.std_error) < 1e-12) AS diag_is_se_squared
FROM att_gt_event_vcov('boot_k4', 'y', 'unit', 'period', 'cohort', weight_column => 'w', cluster_column => 'cluster') v
JOIN att_gt_aggregate('boot_k4', 'y', 'unit', 'period', 'cohort', type => 'dynamic', weight_column => 'w', cluster_column => 'cluster') a
  ON a.level = 'event_time' AND a.key = v.e1
WHERE v.e1 = v.e2;

DROP TABLE boot_k2, boot_k3, boot_k4;
