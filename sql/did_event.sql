-- Event-study helper: per relative period, the treated-minus-control
-- difference of the change from the base period, with its interval.
\i sql/include/expect_error.sql
SET extra_float_digits = 0;
CREATE TEMP TABLE ev (person text, rel integer, y float8, mentored boolean, municipality integer);
INSERT INTO ev VALUES
	('P1', -2, 0.1, true, 1), ('P1', -1, 0.2, true, 1), ('P1', 0, 0.5, true, 1), ('P1', 1, 0.6, true, 1),
	('P2', -2, 0.3, true, 2), ('P2', -1, 0.2, true, 2), ('P2', 0, 0.6, true, 2), ('P2', 1, 0.9, true, 2),
	('P3', -2, 0.2, false, 1), ('P3', -1, 0.3, false, 1), ('P3', 0, 0.3, false, 1), ('P3', 1, 0.5, false, 1),
	('P4', -2, 0.1, false, 2), ('P4', -1, 0.1, false, 2), ('P4', 0, 0.2, false, 2), ('P4', 1, 0.2, false, 2);
-- By hand, changes from period -1:
--  e = -2: T {-0.1, 0.1} mean 0, s^2 = 0.02; C {-0.1, 0} mean -0.05, s^2 = 0.005
--          effect 0.05, SE sqrt(0.02/2 + 0.005/2) = sqrt(0.0125),
--          Welch df 0.0125^2 / (0.01^2 + 0.0025^2) = 1.470588235
--  e = 0:  T {0.3, 0.4} mean 0.35, s^2 = 0.005; C {0, 0.1} mean 0.05, s^2 = 0.005
--          effect 0.30, SE sqrt(0.005), df 2, CI effect -+ 4.302652729749464 SE
--  e = 1:  T {0.4, 0.7} mean 0.55, s^2 = 0.045; C {0.2, 0.1} mean 0.15, s^2 = 0.005
--          effect 0.40, SE sqrt(0.025), df 0.025^2 / (0.0225^2 + 0.0025^2) = 1.219512195;
--          raw means 0.75 vs 0.35, difference 0.40
--  e = -1: all changes 0: effect 0, SE 0, no p-value.
SELECT relative_period,
	round(estimate::numeric, 12) AS estimate,
	round(std_error::numeric, 12) AS std_error,
	abs(std_error - CASE relative_period WHEN -2 THEN sqrt(0.0125) WHEN -1 THEN 0
		WHEN 0 THEN sqrt(0.005) ELSE sqrt(0.025) END) < 1e-12 AS se_ok,
	round(df::numeric, 9) AS df,
	relative_period <> 0 OR abs(conf_high - estimate - 4.302652729749464 * std_error) < 1e-12 AS ci_ok,
	p_value IS NULL AS p_null, variance_used, n_treated, n_control,
	round(mean_treated::numeric, 12) AS mean_treated, round(mean_control::numeric, 12) AS mean_control,
	round(difference::numeric, 12) AS difference
FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored');
-- base period 0 and a cluster: CR1 by default
SELECT relative_period, round(estimate::numeric, 12) AS estimate, variance_used, std_error IS NOT NULL AS has_se
FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored', base_period => 0, cluster_column => 'municipality');
-- a person missing the base period drops out of every period
DELETE FROM ev WHERE person = 'P4' AND rel = -1;
SELECT relative_period, n_treated, n_control FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored');
-- errors
-- column types that cannot work: one line naming the argument (was a raw 42883 operator error)
CREATE TABLE ev_types AS SELECT person, rel::text AS rel_text, y::text AS y_text, rel, y, mentored, mentored::text AS m_text FROM ev;
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev_types', outcome_column => 'y', unit_column => 'person', period_column => 'rel_text', treated_column => 'mentored') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev_types', outcome_column => 'y_text', unit_column => 'person', period_column => 'rel', treated_column => 'mentored') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev_types', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'm_text') $$);
DROP TABLE ev_types;
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev', outcome_column => 'nope', unit_column => 'person', period_column => 'rel', treated_column => 'mentored') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored', base_period => NULL) $$);
-- a base period without rows (it used to return no rows, silently)
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored', base_period => -7) $$);
INSERT INTO ev VALUES ('P1', 1, 0.7, true, 1);
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored') $$);
INSERT INTO ev VALUES ('P1', -1, 0.7, true, 1);
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored') $$);
DELETE FROM ev WHERE person = 'P1' AND y = 0.7;
UPDATE ev SET mentored = false WHERE person = 'P2' AND rel = 1;
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'mentored') $$);
