-- Resource limits and counters of states (issue 12, items 5 and 6).
\i sql/include/expect_error.sql

-- ---- att_gt bootstrap memory ----
-- 11 cohorts x 14 periods = 154 cells, 3 units per cohort, outcomes from a
-- fixed formula (no random numbers).
CREATE TABLE lim_panel AS
SELECT u AS unit, t AS period, CASE WHEN u % 12 = 0 THEN 0 ELSE 3 + u % 12 END AS cohort,
	(u % 7) + 0.1 * t + ((u * 7919 + t * 104729) % 1000) / 1000.0 +
	CASE WHEN u % 12 <> 0 AND t >= 3 + u % 12 THEN 1 ELSE 0 END AS y,
	((u * 31) % 17) / 10.0 AS x, 1 + (u % 9) AS cl
FROM generate_series(1, 36) u, generate_series(1, 15) t;
-- the draws (B x cells doubles) must fit in work_mem: checked before any
-- data is read (before: a 1.1 GB allocation failed with XX000, or ran)
SET work_mem = '1MB';
SELECT pg_temp.expect_error($$ SELECT count(*) FROM att_gt('lim_panel', 'y', 'unit', 'period', 'cohort', bootstrap => 1000000) $$);
SELECT pg_temp.expect_error($$ SELECT count(*) FROM att_gt_aggregate('lim_panel', 'y', 'unit', 'period', 'cohort', type => 'dynamic', bootstrap => 1000000) $$);
-- with little work_mem the draws are computed in blocks of cells: the same
-- numbers as in one pass (fast path, clusters, covariates; per cell and
-- aggregated)
CREATE FUNCTION pg_temp.boot_blocks_equal(cl text, cov text[]) RETURNS TABLE(cells_with_se bigint, same boolean)
LANGUAGE plpgsql AS $$
BEGIN
	SET LOCAL work_mem = '64MB';
	CREATE TEMP TABLE lim_one ON COMMIT DROP AS
	SELECT * FROM att_gt('lim_panel', 'y', 'unit', 'period', 'cohort', cluster_column => cl, covariate_columns => cov, bootstrap => 1000, seed => 5);
	SET LOCAL work_mem = '256kB';
	CREATE TEMP TABLE lim_blocks ON COMMIT DROP AS
	SELECT * FROM att_gt('lim_panel', 'y', 'unit', 'period', 'cohort', cluster_column => cl, covariate_columns => cov, bootstrap => 1000, seed => 5);
	RETURN QUERY SELECT count(a.std_error),
		bool_and(a.std_error IS NOT DISTINCT FROM b.std_error AND a.critical_value = b.critical_value)
	FROM lim_one a JOIN lim_blocks b USING (cohort, period);
	DROP TABLE lim_one, lim_blocks;
END $$;
SET client_min_messages = warning;  -- the NOTICE about blocks is checked below
SELECT 'fast path' AS path, * FROM pg_temp.boot_blocks_equal(NULL, NULL)
UNION ALL SELECT 'clusters', * FROM pg_temp.boot_blocks_equal('cl', NULL)
UNION ALL SELECT 'covariates', * FROM pg_temp.boot_blocks_equal(NULL, ARRAY['x']);
RESET client_min_messages;
SET work_mem = '256kB';
SELECT count(*) AS cells FROM att_gt('lim_panel', 'y', 'unit', 'period', 'cohort', bootstrap => 1000, seed => 5);
SET work_mem = '64MB';
CREATE TEMP TABLE lim_agg1 AS SELECT * FROM att_gt_aggregate('lim_panel', 'y', 'unit', 'period', 'cohort', type => 'dynamic', bootstrap => 1000, seed => 5);
SET work_mem = '256kB';
SET client_min_messages = warning;
CREATE TEMP TABLE lim_agg2 AS SELECT * FROM att_gt_aggregate('lim_panel', 'y', 'unit', 'period', 'cohort', type => 'dynamic', bootstrap => 1000, seed => 5);
RESET client_min_messages;
SELECT count(*) AS rows, bool_and(a.std_error = b.std_error AND a.critical_value = b.critical_value) AS same
FROM lim_agg1 a JOIN lim_agg2 b ON a.level = b.level AND a.key IS NOT DISTINCT FROM b.key;
RESET work_mem;
DROP TABLE lim_panel, lim_agg1, lim_agg2;

-- ---- counters of hand-made states in transition functions ----
-- the combine functions checked them, the transitions wrapped to negative counts
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state_trans(
	'v=1;persons=9223372036854775807;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=9223372036854775807;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=0;m2=0;w_self=0;w_observed=1',
	'2019-01-07:-x4', '2019-01-07', '2019-01-28', 'strict') $$);
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state_trans(
	'v=1;persons=0;persons_unobserved=0;paths_missing=9223372036854775807;self_weeks=0;observed_weeks=0;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=0;mean=0;m2=0;w_self=0;w_observed=0',
	NULL, '2019-01-07', '2019-01-28', 'strict') $$);
SELECT pg_temp.expect_error($$ SELECT selfsufficiency_state_trans(
	'v=1;persons=1;persons_unobserved=0;paths_missing=0;self_weeks=9223372036854775807;observed_weeks=9223372036854775807;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=1;m2=0;w_self=1;w_observed=1',
	'2019-01-07:-x4', '2019-01-07', '2019-01-28', 'strict', 2) $$);
SELECT pg_temp.expect_error($$ SELECT fte_state_trans('v=1;period_weeks=4;persons=9223372036854775807;persons_in_set=1;weeks=1',
	'2019-01-07:130x4', '2019-01-07', '2019-01-28', ARRAY['kontanthjaelp']) $$);
SELECT pg_temp.expect_error($$ SELECT fte_state_trans('v=1;period_weeks=4;persons=9223372036854775806;persons_in_set=9223372036854775806;weeks=9223372036854775806',
	'2019-01-07:130x4', '2019-01-07', '2019-01-28', ARRAY['kontanthjaelp']) $$);
-- below the limits the transitions still count
SELECT selfsufficiency_state_trans(
	'v=1;persons=9223372036854775800;persons_unobserved=0;paths_missing=0;self_weeks=0;observed_weeks=9223372036854775803;censored_weeks=0;unknown_weeks=0;unobserved_weeks=0;sum_w=1;mean=0;m2=0;w_self=0;w_observed=1',
	'2019-01-07:-x4', '2019-01-07', '2019-01-28', 'strict')::text AS ss_at_limit;
SELECT fte_state_trans('v=1;period_weeks=4;persons=9223372036854775806;persons_in_set=1;weeks=1',
	'2019-01-07:130x4', '2019-01-07', '2019-01-28', ARRAY['kontanthjaelp'])::text AS fte_at_limit;
-- did_state reaches its transition through an aggregate's initial state
CREATE AGGREGATE lim_did(float8, float8, boolean) (SFUNC = did_transition, STYPE = did_state,
	INITCOND = 'did_state v1 weighted 0 cluster 0 regression 0 covariates 0 skipped 9223372036854775807 control 0 0 0 0 0 0 0 0 0 treated 9223372036854775807 9223372036854775807 1 0 9223372036854775807 0 0 1 2 clusters 0');
SELECT pg_temp.expect_error($$ SELECT lim_did(1, 2, true) $$);
SELECT pg_temp.expect_error($$ SELECT lim_did(NULL, 2, true) $$);
SELECT lim_did(1, 2, false)::text AS did_below_limit;
DROP AGGREGATE lim_did(float8, float8, boolean);

-- ---- did_weighted_state: weights within range, every state reads back ----
-- w^2 underflowed to 0 (1e-300) or w was denormal (1e-320): the state was
-- written and then refused as "invalid stored did_state" (XX001)
SELECT pg_temp.expect_error($$ SELECT did_weighted_state(1, 2, true, 1e-300)::text $$);
SELECT pg_temp.expect_error($$ SELECT did_weighted_state(1, 2, true, 1e-320)::text $$);
SELECT pg_temp.expect_error($$ SELECT did_weighted_state(1, 2, true, 1e300)::text $$);
SELECT pg_temp.expect_error($$ SELECT did_weighted(pre, post, t, 1e-300) FROM (VALUES (1.0::float8, 2.0::float8, true), (1, 3, true), (1, 2, false), (1, 1, false)) v(pre, post, t) $$);
-- sums past the double range with weights in range: a clear range error
SELECT pg_temp.expect_error($$ SELECT did_weighted_state(0, g * 1e100, true, 1e150) FROM generate_series(1, 2) g $$);
-- covariates so large that their moments (up to x^4) overflow: a clear range
-- error when the state is written, not a state refused as corrupted (XX001)
SELECT pg_temp.expect_error($$ SELECT did_state(0.5, 0.5, true, '{1e308,-1e308}'::float8[])::text $$);
SELECT pg_temp.expect_error($$ SELECT did_weighted_state(0.5, 0.5, true, 1, '{1e100}'::float8[])::text $$);
SELECT did_state(0.5, 0.5, true, '{1e50}'::float8[])::text::did_state IS NOT NULL AS moderate_covariate_reads_back;
-- every state written from weights across the whole range (one scale per
-- state, and states mixing the extremes) reads back unchanged, and the
-- estimates of the scaled states equal those with unscaled weights
CREATE TEMP TABLE lim_rows AS
SELECT k, i, (i % 3)::float8 AS pre, (i % 3) + 1 + ((i * 37) % 11) / 10.0 AS post, i % 2 = 0 AS t,
	CASE WHEN i % 4 = 0 THEN 1 ELSE 1.5 END AS w0
FROM generate_series(-150, 145, 5) k, generate_series(1, 12) i;
CREATE TEMP TABLE lim_states AS
SELECT k, did_weighted_state(pre, post, t, w0 * power(10::float8, k)) AS s FROM lim_rows GROUP BY k
UNION ALL
SELECT 999, did_weighted_state(pre, post, t, CASE WHEN i % 2 = 0 THEN 1e-150 ELSE 1e150 END) FROM lim_rows WHERE k = 0
UNION ALL
SELECT 998, did_weighted_state(pre, post, t, CASE WHEN i % 3 = 0 THEN 1e-150 ELSE 1 END) FROM lim_rows WHERE k = 0;
SELECT count(*) AS states,
	count(*) FILTER (WHERE s::text::did_state::text = s::text) AS text_round_trips
FROM lim_states;
SELECT count(*) AS scaled_states,
	count(*) FILTER (WHERE abs((did_final(x.s)).estimate - (did_final(r.s)).estimate) < 1e-12
		AND abs((did_final(x.s)).std_error / (did_final(r.s)).std_error - 1) < 1e-9) AS same_estimates
FROM lim_states x, (SELECT s FROM lim_states WHERE k = 0) r
WHERE k BETWEEN -150 AND 145;
DROP TABLE lim_rows, lim_states;
