-- The names 0.3.0 deprecates (docs/conventions.md, "Deprecated names") still
-- work for one minor version: each gives exactly what its new name gives,
-- and says so with a NOTICE of SQLSTATE 01P01 (deprecated_feature) that
-- names the replacement. The new names raise no NOTICE. Removed in 0.4.0.
\i sql/include/expect_error.sql

-- a small panel: units 1-40, periods 1-4, units 1-20 treated from period 3
CREATE TEMP TABLE dp AS
SELECT id, t, CASE WHEN id <= 20 THEN 3 ELSE 0 END AS g,
	(id % 5) * 0.1 + t * 0.2 + CASE WHEN id <= 20 AND t >= 3 THEN 0.5 ELSE 0 END + 0.05 * sin(id * t) AS y,
	1 + (id % 3) AS w, id % 8 AS cl, (id % 4) * 0.25 AS x
FROM generate_series(1, 40) id, generate_series(1, 4) t;

-- new names: no NOTICE
SELECT count(*) AS cells FROM att_gt('dp', 'y', 'id', 't', 'g');
SELECT count(*) AS cells FROM att_gt(relation => 'dp', outcome_column => 'y', unit_column => 'id',
	period_column => 't', cohort_column => 'g', conf_level => 0.9);

-- att_gt's 0.2.0 argument names in named notation: the same cells
CREATE TEMP TABLE dp_new AS
SELECT * FROM att_gt('dp', 'y', 'id', 't', 'g', covariate_columns => '{x}', weight_column => 'w',
	cluster_column => 'cl', conf_level => 0.9);
CREATE TEMP TABLE dp_old AS
SELECT * FROM att_gt(data => 'dp', outcome => 'y', unit => 'id', period => 't', cohort => 'g',
	covariates => '{x}', weights => 'w', cluster => 'cl', alpha => 0.1);
SELECT count(*) AS cells,
	bool_and(o.estimate = n.estimate AND o.std_error = n.std_error) AS same_estimates,
	bool_and(abs(o.conf_low - n.conf_low) < 1e-12 AND abs(o.conf_high - n.conf_high) < 1e-12) AS same_intervals
FROM dp_new n JOIN dp_old o USING (cohort, period);
-- ... and in the other att_gt functions
SELECT (SELECT count(*) FROM att_gt_aggregate(data => 'dp', outcome => 'y', unit => 'id', period => 't', cohort => 'g')) AS aggregate_rows,
	(SELECT df FROM att_gt_pretest(data => 'dp', outcome => 'y', unit => 'id', period => 't', cohort => 'g')) AS pretest_df,
	(SELECT n_units FROM att_gt_sample(data => 'dp', outcome => 'y', unit => 'id', period => 't', cohort => 'g') WHERE step = 1) AS sample_units,
	(SELECT count(*) FROM att_gt_event_vcov(data => 'dp', outcome => 'y', unit => 'id', period => 't', cohort => 'g')) AS vcov_rows;
-- an old and a new name for the same argument: an error, not a silent choice
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('dp', 'y', 'id', 't', 'g', unit => 'id') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('dp', 'y', 'id', 't', 'g', data => 'dp') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('dp', 'y', 'id', 't', 'g', conf_level => 0.9, alpha => 0.05) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt() $$);

-- did: did_effect, did_result(level =>), did_ci in the 0.2.0 order
CREATE TEMP TABLE ds AS
SELECT did_state(y_pre, y_post, treated) AS s
FROM (VALUES (1.0, 2.0, true), (2.0, 3.5, true), (1.5, 2.0, false), (0.5, 1.5, false), (1.0, 1.25, false)) v(y_pre, y_post, treated);
SELECT did_effect(s) = did_estimate(s) AS same_estimate FROM ds;
SELECT (did_result(s, level => 0.9)).conf_low = (did_result(s, conf_level => 0.9)).conf_low AS same_low FROM ds;
SELECT did_ci(s, 0.9) = did_ci(s, conf_level => 0.9) AS same_ci_level_first,
	did_ci(s, 0.9, 'classical', 'normal') = did_ci(s, 'classical', 0.9, 'normal') AS same_ci_all_positional
FROM ds;
-- new order and defaults: no NOTICE
SELECT did_ci(s) = did_ci(s, 'welch', 0.95, 't') AS defaults, did_ci(s, 'classical') IS NOT NULL AS variance_second FROM ds;
SELECT pg_temp.expect_error($$ SELECT did_result(s, conf_level => 0.9, level => 0.8) FROM ds $$);

-- did_event_study: a positional call in the 0.2.0 order (unit, period,
-- outcome, treated) reaches the 0.2.0 signature; named calls the new one
CREATE TEMP TABLE dev (person int, rel int, y float8, treated boolean);
INSERT INTO dev VALUES (1, -1, 1.0, true), (1, 0, 2.0, true), (2, -1, 2.0, true), (2, 0, 3.5, true),
	(3, -1, 1.5, false), (3, 0, 2.0, false), (4, -1, 0.5, false), (4, 0, 1.5, false);
SELECT relative_period, estimate, n_treated, n_control FROM did_event_study('dev', 'person', 'rel', 'y', 'treated');
SELECT relative_period, estimate, n_treated, n_control
FROM did_event_study('dev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'treated');
SELECT count(*) AS rows_level FROM did_event_study('dev', 'person', 'rel', 'y', 'treated', level => 0.9);

-- rates: rate_stderr
CREATE TEMP TABLE rs AS
SELECT selfsufficiency_state(p::benefit_path, '2019-01-07', '2019-02-25', 'strict') AS s
FROM (VALUES ('2019-01-07:130x4,-x4'), ('2019-01-07:-x2,130x6'), ('2019-01-07:130x8')) v(p);
SELECT rate_stderr(s) = rate_std_error(s) AS same_std_error FROM rs;

-- tables: benefit_paths_scan(tbl =>), unmapped_codes(data =>)
CREATE TEMP TABLE bw (person_id bigint, week date, code integer);
INSERT INTO bw VALUES (1, '2019-01-07', 130), (1, '2019-01-14', 130), (2, '2019-01-07', 9123);
SELECT count(*) AS persons FROM benefit_paths_scan(tbl => 'bw');
SELECT (SELECT array_agg(path::text ORDER BY person_id) FROM benefit_paths_scan(tbl => 'bw'))
	= (SELECT array_agg(path::text ORDER BY person_id) FROM benefit_paths_scan('bw')) AS same_paths;
SELECT * FROM unmapped_codes(data => 'bw', code_column => 'code', week_column => 'week');
SELECT * FROM unmapped_codes('bw');
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('bw', tbl => 'bw') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM unmapped_codes('bw', data => 'bw') $$);

-- contract_scenario takes rate before duration now: the 0.2.0 order fails
-- loudly (a number where a text is expected), never misread
SELECT pg_temp.expect_error($$ SELECT * FROM contract_scenario('{}', 0.1, 100, 22, 3, 'linear:2', 0.035) $$);

-- the SQLSTATE of every deprecation NOTICE is 01P01
\set VERBOSITY sqlstate
SELECT count(*) > 0 AS ok FROM att_gt(data => 'dp', outcome => 'y', unit => 'id', period => 't', cohort => 'g', alpha => 0.1);
SELECT did_effect(s) IS NOT NULL AS ok, (did_result(s, level => 0.9)).conf_level AS conf_level, did_ci(s, 0.9) IS NOT NULL AS ok FROM ds;
SELECT count(*) AS ok FROM did_event_study('dev', 'person', 'rel', 'y', 'treated');
SELECT rate_stderr(s) IS NOT NULL AS ok FROM rs;
SELECT count(*) AS ok FROM benefit_paths_scan(tbl => 'bw');
SELECT count(*) AS ok FROM unmapped_codes(data => 'bw');
\set VERBOSITY default
