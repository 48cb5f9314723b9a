-- Effects per municipality (issue 14 item 7): municipality_effects (DiD of
-- the self-sufficiency share around the course start, per municipality
-- and pooled, through did_state/did_result with CR1 clustered by person),
-- effect_heterogeneity and heterogeneity (Cochran's Q, I², DerSimonian-
-- Laird tau²) on a fixture worked out by hand below, a planted-effect
-- simulation, and the errors. Tolerances: 1e-12 where the hand value is
-- exact arithmetic, 1e-6 where it is rounded.
\i sql/include/expect_error.sql
SET client_min_messages = warning;
CREATE SCHEMA me;
SELECT monitor_setup('me');
RESET client_min_messages;
INSERT INTO me.programme VALUES (101, 'mentor', '2023-01-02', NULL), (102, 'mentor', '2023-01-02', NULL),
	(103, 'mentor', '2023-01-02', NULL), (104, 'mentor', '2023-01-02', NULL);
-- every course starts on Wednesday 2024-01-03, in ISO week 2024-W01 (Monday W = 2024-01-01)
-- persons: (person, municipality, mentored, self weeks before, self weeks after)
CREATE TEMP TABLE fx (person_id bigint, municipality integer, mentored boolean, k_pre integer, k_post integer);
INSERT INTO fx VALUES
	(1, 101, true, 13, 39), (2, 101, true, 13, 26), (3, 101, true, 0, 39),
	(4, 101, false, 26, 26), (5, 101, false, 13, 26), (6, 101, false, 26, 13),
	(7, 102, true, 13, 26), (8, 102, true, 26, 39), (9, 102, true, 0, 26),
	(10, 102, false, 13, 26), (11, 102, false, 26, 26), (12, 102, false, 0, 13),
	(13, 103, true, 0, 39), (14, 103, true, 0, 52), (15, 103, true, 13, 52),
	(16, 103, false, 26, 26), (17, 103, false, 39, 39), (18, 103, false, 0, 13),
	-- skipped: 19 has no observation period, 20 arrives after both windows
	(19, 101, true, 13, 26), (20, 101, false, 13, 26),
	-- municipality 104: both persons without observation period
	(21, 104, true, 13, 26), (22, 104, false, 13, 26);
INSERT INTO me.course (course_id, person_id, mentor_id, municipality, programme, start_date)
SELECT person_id, person_id, CASE WHEN mentored THEN 500 + municipality END, municipality, 'mentor', '2024-01-03'
FROM fx;
INSERT INTO me.observation_period
SELECT person_id, CASE WHEN person_id = 20 THEN date '2025-03-03' ELSE '2022-01-03' END, '2025-12-29', 'end_of_data'
FROM fx WHERE person_id NOT IN (19, 21, 22);
-- on benefit (code 130) in every observed week except: the start week W
-- itself, the weeks W-53 and W+53 just outside the windows, the last
-- k_pre weeks before W (W-k_pre .. W-1) and the first k_post weeks after
-- it (W+1 .. W+k_post)
INSERT INTO me.person_path
SELECT f.person_id, benefit_path(w.week::date, 130)
FROM fx f,
	LATERAL (SELECT generate_series(date '2022-01-03', '2025-12-29', '7 days') AS week) w,
	LATERAL (SELECT (w.week::date - date '2024-01-01') / 7 AS rel) r
WHERE NOT (r.rel IN (0, -53, 53) OR r.rel BETWEEN -f.k_pre AND -1 OR r.rel BETWEEN 1 AND f.k_post)
GROUP BY f.person_id;

-- The fixture by hand. Every course starts in week W = 2024-01-01; pre =
-- share self-supporting in W-52 .. W-1, post = in W+1 .. W+52 (52 weeks
-- each, all observed), so pre = k_pre/52, post = k_post/52 and the change
-- is (k_post - k_pre)/52. Weeks W, W-53 and W+53 are self-supporting for
-- everybody: a window one week too wide or shifted would change the shares.
--   municipality 101: mentored changes 26/52, 13/52, 39/52 = 0.5, 0.25, 0.75
--                     others          0, 13/52, -13/52     = 0, 0.25, -0.25
--   municipality 102: mentored 0.25, 0.25, 0.5; others 0.25, 0, 0.25
--   municipality 103: mentored 0.75, 1, 0.75;   others 0, 0, 0.25
--   persons 19 (no observation period) and 20 (observed from 2025-03-03,
--   after both windows) in 101 and both persons of 104 (no observation
--   period): NULL shares, counted in n_skipped.
-- DiD per municipality = difference of the mean changes:
--   101: 0.5 - 0 = 0.5;  102: 1/3 - 1/6 = 1/6;  103: 5/6 - 1/12 = 0.75.
-- CR1 clustered by person (one course per person, so G = n = 6, k = 2):
--   CR0 = sum over groups of sum (d - mean)^2 / n_g^2;
--   101: treated (0^2 + 0.25^2 + 0.25^2) / 9 = 0.125/9, control the same:
--        CR0 = 0.25/9 = 1/36; 102 and 103: each group 1/24 / 9 = 1/216,
--        CR0 = 1/108.
--   the factor (small_sample stata) G/(G-1) (2n-1)/(2n-2k) = 6/5 * 11/8 = 1.65
--   se(101) = sqrt(1.65/36) = 0.2140872, se(102) = se(103) = sqrt(1.65/108)
--   = 0.1236033; df = G - 1 = 5, qt(0.975, 5) = 2.570581836:
--   101: 0.5 -/+ 2.570581836 * 0.2140872 = [-0.0503287, 1.0503287]
-- Pooled over the 18 observed courses: mentored mean 5/9, others 0.75/9 =
-- 1/12, DiD = 5/9 - 1/12 = 17/36 = 0.4722222; sums of squares about the
-- means: mentored 3.375 - 9 (5/9)^2 = 3.375 - 25/9 = 0.5972222, others
-- 0.3125 - 9/144 = 0.25; CR0 = (0.5972222 + 0.25) / 81; factor 18/17 *
-- 35/32; se = sqrt(0.8472222/81 * 18/17 * 35/32) = 0.1100594, df 17.
-- 104 has one mentored and one other person, both unobserved: suppressed.
CREATE TEMP TABLE eff AS SELECT * FROM municipality_effects('me', min_cell => 3);
SELECT municipality, round(estimate::numeric, 4) AS estimate, round(std_error::numeric, 4) AS std_error,
	round(conf_low::numeric, 4) AS conf_low, round(conf_high::numeric, 4) AS conf_high,
	n_treated, n_control, suppressed, n_skipped
FROM eff;
SELECT bool_and(CASE municipality
		WHEN 101 THEN abs(estimate - 0.5) < 1e-12 AND abs(std_error - sqrt(1.65 / 36)) < 1e-12
			AND abs(conf_low + 0.0503287) < 1e-6 AND abs(conf_high - 1.0503287) < 1e-6
		WHEN 102 THEN abs(estimate - 1.0 / 6) < 1e-12 AND abs(std_error - sqrt(1.65 / 108)) < 1e-12
		WHEN 103 THEN abs(estimate - 0.75) < 1e-12 AND abs(std_error - sqrt(1.65 / 108)) < 1e-12
		WHEN 104 THEN suppressed AND estimate IS NULL AND n_treated IS NULL
		END) AS per_municipality_ok,
	bool_and(abs(estimate - 17.0 / 36) < 1e-12
		AND abs(std_error - sqrt((3.375 - 25.0 / 9 + 0.25) / 81 * 18 / 17 * 35 / 32)) < 1e-12
		AND n_treated = 9 AND n_control = 9 AND n_skipped = 4) FILTER (WHERE municipality IS NULL) AS pooled_ok
FROM eff;
-- the same as did() with CR1 clustered by person on the hand-listed changes of 101
SELECT abs((SELECT std_error FROM eff WHERE municipality = 101)
	- (did_result(did_state(0, c, t, p), 'CR1')).std_error) < 1e-12 AS same_as_did_101
FROM (VALUES (1, 0.5, true), (2, 0.25, true), (3, 0.75, true),
	(4, 0, false), (5, 0.25, false), (6, -0.25, false)) v(p, c, t);
-- default min_cell 5: every municipality has 3 + 3 persons, all suppressed;
-- the pooled row (9 + 9) is shown
SELECT municipality, estimate IS NOT NULL AS shown, suppressed FROM municipality_effects('me');

-- Heterogeneity by hand over 101, 102, 103 (104 is suppressed, left out):
-- w = 1/se^2: w101 = 36/1.65, w102 = w103 = 108/1.65 = 720/11 = w, w101 = w/3.
-- fixed mean = (w/3 * 0.5 + w/6 + w * 0.75) / (7w/3) = (13/12)/(7/3) = 13/28;
-- deviations 1/28, -25/84, 24/84 (= 3/84, -25/84, 24/84):
-- Q = w (1/3 * 9 + 625 + 576) / 7056 = (720/11) * 1204/7056 = 11.1688312;
-- df = 2, p = exp(-Q/2) = 0.0037559; I^2 = (Q - 2)/Q = 0.8209302;
-- sum w = 7w/3, sum w^2 = 19w^2/9, c = 7w/3 - 19w/21 = 10w/7 = 7200/77,
-- tau^2 = (Q - 2)/c = 0.0980556.
SELECT round(q::numeric, 4) AS q, df, round(p_value::numeric, 6) AS p_value,
	round(i_squared::numeric, 4) AS i_squared, round(tau_squared::numeric, 6) AS tau_squared, n_municipalities
FROM effect_heterogeneity('me', min_cell => 3);
SELECT abs(q - (720.0 / 11) * 1204 / 7056) < 1e-9 AND df = 2
	AND abs(p_value - exp(-q / 2)) < 1e-12 AND abs(p_value - 0.0037559) < 1e-6
	AND abs(i_squared - (q - 2) / q) < 1e-12 AND abs(tau_squared - (q - 2) / (7200.0 / 77)) < 1e-12
	AS heterogeneity_ok
FROM effect_heterogeneity('me', min_cell => 3);
-- with the default min_cell nothing is left to compare
SELECT q, df, p_value, i_squared, tau_squared, n_municipalities FROM effect_heterogeneity('me');

-- heterogeneity() on its own. Three estimates 0.10, 0.30, 0.35 with
-- standard errors 0.05, 0.10, 0.10: w = 400, 100, 100, fixed mean
-- 105/600 = 0.175, Q = 400 * 0.075^2 + 100 * 0.125^2 + 100 * 0.175^2 =
-- 2.25 + 1.5625 + 3.0625 = 6.875, p = exp(-3.4375) = 0.0321449,
-- I^2 = 4.875/6.875 = 0.7090909, c = 600 - 180000/600 = 300,
-- tau^2 = 4.875/300 = 0.01625; random-effects weights 160/3, 800/21,
-- 800/21: mean 632/2720 = 0.2323529, se 1/sqrt(2720/21) = 0.0878669.
SELECT round(q::numeric, 4) AS q, df, round(p_value::numeric, 6) AS p_value,
	round(i_squared::numeric, 6) AS i_squared, round(tau_squared::numeric, 6) AS tau_squared, n_estimates,
	round(fixed_estimate::numeric, 6) AS fixed_estimate, round(random_estimate::numeric, 6) AS random_estimate,
	round(random_std_error::numeric, 6) AS random_std_error
FROM heterogeneity('{0.10, 0.30, 0.35}', '{0.05, 0.10, 0.10}');
SELECT abs(q - 6.875) < 1e-12 AND abs(p_value - exp(-3.4375)) < 1e-14 AND abs(i_squared - 4.875 / 6.875) < 1e-12
	AND abs(tau_squared - 0.01625) < 1e-14 AND abs(fixed_estimate - 0.175) < 1e-14
	AND abs(fixed_std_error - 1 / sqrt(600)) < 1e-14 AND abs(random_estimate - 632.0 / 2720) < 1e-12
	AND abs(random_std_error - 1 / sqrt(2720.0 / 21)) < 1e-12 AS three_estimates_ok
FROM heterogeneity('{0.10, 0.30, 0.35}', '{0.05, 0.10, 0.10}');
-- Q below df: I^2 and tau^2 are 0; one estimate: no test; none: nothing
SELECT round(q::numeric, 4) AS q, i_squared, tau_squared FROM heterogeneity('{0.2, 0.21, 0.19}', '{0.1, 0.1, 0.1}');
SELECT q, df, p_value, n_estimates, fixed_estimate FROM heterogeneity('{0.3}', '{0.1}');
SELECT q, df, n_estimates, fixed_estimate FROM heterogeneity('{}', '{}');

-- Planted effects: municipalities 1, 2, 3 with 60 persons each (every
-- other one mentored); each week self-supporting with probability 0.3,
-- after the course start week 0.4 plus the municipality's planted effect
-- (0, 0.15, 0.30) for the mentored. Each municipality's DiD must recover
-- its own effect within 4 standard errors, the pooled DiD the average
-- 0.15, and the heterogeneity test must see the difference (p < 0.01,
-- I^2 above 0.5).
SET client_min_messages = warning;
CREATE SCHEMA mx;
SELECT monitor_setup('mx');
RESET client_min_messages;
INSERT INTO mx.programme SELECT m, 'p', '2023-01-02', NULL FROM generate_series(1, 3) m;
INSERT INTO mx.course (course_id, person_id, mentor_id, municipality, programme, start_date)
SELECT p, p, CASE WHEN p % 2 = 0 THEN 1 END, 1 + (p - 1) / 60, 'p', '2024-01-03' FROM generate_series(1, 180) p;
INSERT INTO mx.observation_period SELECT p, '2022-01-03', '2025-12-29', 'end_of_data' FROM generate_series(1, 180) p;
SELECT setseed(0.7);
INSERT INTO mx.person_path
SELECT p, benefit_path(week, 130)
FROM (SELECT p, w::date AS week, (w::date - date '2024-01-01') / 7 AS rel, random() AS u
	FROM generate_series(1, 180) p, generate_series(date '2022-01-03', '2025-12-29', '7 days') w
	ORDER BY p, w) x
WHERE u >= CASE WHEN rel BETWEEN 1 AND 52
	THEN 0.4 + CASE WHEN p % 2 = 0 THEN 0.15 * ((p - 1) / 60) ELSE 0 END ELSE 0.3 END
GROUP BY p;
SELECT municipality, n_treated, n_control,
	abs(estimate - coalesce(0.15 * (municipality - 1), 0.15)) < 4 * std_error AS recovers_planted
FROM municipality_effects('mx');
SELECT n_municipalities, p_value < 0.01 AS heterogeneous, i_squared > 0.5 AS large_i_squared
FROM effect_heterogeneity('mx');

-- The generated register (generate_register, 2000 persons, seed 7) plants
-- a mentoring effect on self-sufficiency (register_info true_att, the
-- realised effect) and on the progression scores (progression_true_did,
-- the noise-free mean change first to last measurement, mentored minus
-- the others). Recovered within 4 standard errors: the pooled DiD of the
-- courses, and progression_did; the planted effect is the same in every
-- municipality, so the heterogeneity test must not cry wolf (p > 0.01).
SET client_min_messages = warning;
CREATE SCHEMA mg;
SELECT generate_register('mg', 2000, 7);
RESET client_min_messages;
SELECT n_treated > 300 AND n_control > 300 AS enough_courses,
	abs(estimate - (SELECT value::float8 FROM mg.register_info WHERE key = 'true_att')) < 4 * std_error AS recovers_true_att,
	conf_low > 0 AS effect_seen
FROM municipality_effects('mg') WHERE municipality IS NULL;
SELECT n_municipalities >= 10 AS enough_municipalities, p_value > 0.01 AS no_false_alarm
FROM effect_heterogeneity('mg');
SELECT n_treated > 300 AND n_control > 300 AS enough_persons,
	abs(estimate - (SELECT value::float8 FROM mg.register_info WHERE key = 'progression_true_did')) < 4 * std_error
		AS recovers_progression_did
FROM progression_did('mg');

-- Errors: SQLSTATE, message and hint
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_effects(NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_effects('no_such_schema') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_effects('me', 95) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_effects('me', min_cell => -5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_effects('me', profile => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM municipality_effects('me', profile => 'no_such_profile') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM effect_heterogeneity('me', profile => 'no_such_profile') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM heterogeneity(NULL, '{0.1}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM heterogeneity('{0.1, 0.2}', '{0.1}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM heterogeneity('{0.1, NULL}', '{0.1, 0.1}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM heterogeneity('{0.1, 0.2}', '{0.1, 0}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM heterogeneity('{0.1, NaN}', '{0.1, 0.1}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM heterogeneity('{{0.1, 0.2}}', '{{0.1, 0.1}}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM heterogeneity('{0.1, 0.2}', '{1e-200, 0.1}') $$);

SET client_min_messages = warning;
DROP SCHEMA me, mx, mg CASCADE;
