-- Progression scores (issue 14 item 6): progression_trajectory,
-- progression_change and progression_did on a small fixture whose every
-- number is worked out by hand below, a planted-effect simulation, and the
-- errors. Floating-point results are compared with the hand values within
-- stated tolerances (1e-12 for exact arithmetic, 1e-6 where a hand value
-- is rounded) and printed rounded.
\i sql/include/expect_error.sql
SET client_min_messages = warning;
CREATE SCHEMA pt;
SELECT monitor_setup('pt');
RESET client_min_messages;
INSERT INTO pt.programme VALUES (101, 'mentor', '2023-01-02', NULL), (102, 'mentor', '2023-01-02', NULL);
-- courses: person 1 has two (the mentored one started latest before the
-- first measurement); persons 6 and 7 start only after it (the earliest
-- counts); person 11 mentored with one measurement; person 12 no course
INSERT INTO pt.course (course_id, person_id, mentor_id, municipality, programme, start_date) VALUES
	(1, 1, NULL, 101, 'mentor', '2023-06-01'), (2, 1, 900, 101, 'mentor', '2023-12-01'),
	(3, 2, 900, 101, 'mentor', '2023-11-06'), (4, 3, 901, 102, 'mentor', '2023-10-02'),
	(5, 4, 901, 102, 'mentor', '2024-01-08'), (6, 5, 902, 102, 'mentor', '2023-09-04'),
	(7, 6, NULL, 101, 'mentor', '2024-02-01'),
	(8, 7, 903, 101, 'mentor', '2024-03-01'), (9, 7, NULL, 102, 'mentor', '2024-02-01'),
	(10, 8, NULL, 101, 'mentor', '2023-12-04'), (11, 9, NULL, 102, 'mentor', '2023-12-04'),
	(12, 10, NULL, 102, 'mentor', '2023-12-04'), (13, 11, 900, 101, 'mentor', '2023-12-04');
-- scores (person, first i1 i2, last i1 i2, last date)
INSERT INTO pt.progression_score (person_id, measured_on, item, score)
SELECT p, d, i, s FROM (VALUES
	(1, 4, 6, 7, 7, date '2024-04-01'), (2, 3, 5, 5, 7, '2024-04-01'), (3, 5, 5, 8, 8, '2024-04-01'),
	(4, 6, 6, 6, 8, '2024-04-01'), (5, 2, 4, 5, 5, '2024-04-01'),
	(6, 4, 4, 5, 4, '2024-04-01'), (7, 5, 5, 5, 6, '2024-04-01'), (8, 3, 5, 5, 5, '2024-04-01'),
	(9, 6, 6, 6, 6, '2024-04-01'), (10, 4, 6, 5, 7, '2024-06-24')) v(p, f1, f2, l1, l2, ld),
	LATERAL (VALUES (date '2024-01-08', 1::smallint, f1::float8), ('2024-01-08', 2, f2), (ld, 1, l1), (ld, 2, l2)) x(d, i, s);
-- person 3 also measured in between (ignored by the change), person 11
-- once, person 12 (no course) on item 13 twice
INSERT INTO pt.progression_score VALUES (3, '2024-02-05', 1, 9), (3, '2024-02-05', 2, 9),
	(11, '2024-01-08', 1, 5), (11, '2024-01-08', 2, 5),
	(12, '2024-01-08', 13, 5), (12, '2024-03-04', 13, 5);

-- The fixture by hand. Items 1 and 2, first measurement 2024-01-08, last
-- 2024-04-01 (person 10: 2024-06-24):
--   person  mentored  item 1 first->last  item 2 first->last  mean first->last  change
--     1       yes        4 -> 7 (+3)        6 -> 7 (+1)          5 -> 7          +2
--     2       yes        3 -> 5 (+2)        5 -> 7 (+2)          4 -> 6          +2
--     3       yes        5 -> 8 (+3)        5 -> 8 (+3)          5 -> 8          +3
--     4       yes        6 -> 6 ( 0)        6 -> 8 (+2)          6 -> 7          +1
--     5       yes        2 -> 5 (+3)        4 -> 5 (+1)          3 -> 5          +2
--     6       no         4 -> 5 (+1)        4 -> 4 ( 0)          4 -> 4.5        +0.5
--     7       no         5 -> 5 ( 0)        5 -> 6 (+1)          5 -> 5.5        +0.5
--     8       no         3 -> 5 (+2)        5 -> 5 ( 0)          4 -> 5          +1
--     9       no         6 -> 6 ( 0)        6 -> 6 ( 0)          6 -> 6           0
--    10       no         4 -> 5 (+1)        6 -> 7 (+1)          5 -> 6          +1
--    11       yes        one measurement only
--    12   (no course)    item 13: 5 -> 5                          5 -> 5           0
-- Person 3's middle measurement (2024-02-05, scores 9) is neither first nor last.
--
-- Courses: person 1 has courses from 2023-06-01 (no mentor) and 2023-12-01
-- (mentor): the latest on or before the first measurement counts, so
-- mentored. Person 6's only course starts after the first measurement:
-- it counts. Person 7's courses both start after it: the earliest
-- (2024-02-01, no mentor, municipality 102) counts, not the mentored one
-- of 2024-03-01 (101).
SELECT person_id, mentored, municipality, item, measured_on, measurement_no, weeks_since_first, score
FROM progression_trajectory('pt') WHERE person_id IN (1, 3, 6, 7, 11, 12)
ORDER BY person_id, measured_on, item;
-- every score appears once: 10 persons x 4 + 2 (person 3) + 2 + 2
SELECT count(*) AS rows, count(*) = (SELECT count(*) FROM pt.progression_score) AS all_scores
FROM progression_trajectory('pt');

-- progression_change by hand (t quantiles from the table: qt(0.975, 9) =
-- 2.262157163, qt(0.975, 10) = 2.228138852):
-- item 1: changes 3,2,3,0,3,1,0,2,0,1: n = 10, sum 15, mean 1.5;
--   sum of squares 37, SS = 37 - 10 * 1.5^2 = 14.5, s^2 = 14.5/9,
--   se = sqrt(14.5/90) = 0.4013865; mean first 42/10 = 4.2, last 57/10 = 5.7;
--   interval 1.5 -/+ 2.262157163 * 0.4013865 = [0.5920007, 2.4079993]
-- item 2: changes 1,2,3,2,1,0,1,0,0,1: n = 10, mean 1.1, sum of squares 21,
--   SS = 21 - 12.1 = 8.9, se = sqrt(8.9/90) = 0.3144660; first 5.2, last 6.3;
--   interval 1.1 -/+ 2.262157163 * 0.3144660 = [0.3886284, 1.8113716]
-- item 13: person 12 only (n = 1): suppressed below min_cell; with min_cell
--   1 shown with estimate 0 and no standard error (one person)
-- items 3..12: nobody, suppressed
-- overall: the 11 persons with two or more measurement dates (1..10, 12),
--   changes 2,2,3,1,2,0.5,0.5,1,0,1,0: sum 13, mean 13/11 = 1.1818182,
--   sum of squares 24.5, SS = 24.5 - 169/11 = 100.5/11, s^2 = 100.5/110,
--   se = sqrt(100.5/1210) = 0.2881976; first 52/11 = 4.7272727, last 65/11;
--   interval 13/11 -/+ 2.228138852 * 0.2881976 = [0.5396739, 1.8239624]
CREATE TEMP TABLE pc AS SELECT * FROM progression_change('pt', min_cell => 3);
SELECT item, label_en, n_persons, round(mean_first::numeric, 4) AS mean_first,
	round(mean_last::numeric, 4) AS mean_last, round(estimate::numeric, 4) AS estimate,
	round(std_error::numeric, 4) AS std_error, round(conf_low::numeric, 4) AS conf_low,
	round(conf_high::numeric, 4) AS conf_high, suppressed
FROM pc WHERE item IN (1, 2, 3, 13) OR item IS NULL;
SELECT count(*) AS rows, count(*) FILTER (WHERE suppressed) AS suppressed_rows FROM pc;
SELECT
	abs(estimate - 1.5) < 1e-12 AND abs(std_error - sqrt(14.5 / 90)) < 1e-12
		AND abs(mean_first - 4.2) < 1e-12 AND abs(mean_last - 5.7) < 1e-12
		AND abs(conf_low - 0.5920007) < 1e-6 AND abs(conf_high - 2.4079993) < 1e-6 AS item1_ok
FROM pc WHERE item = 1;
SELECT
	abs(estimate - 1.1) < 1e-12 AND abs(std_error - sqrt(8.9 / 90)) < 1e-12
		AND abs(conf_low - 0.3886284) < 1e-6 AND abs(conf_high - 1.8113716) < 1e-6 AS item2_ok
FROM pc WHERE item = 2;
SELECT n_persons = 11 AND abs(estimate - 13.0 / 11) < 1e-12 AND abs(std_error - sqrt(100.5 / 1210)) < 1e-12
		AND abs(mean_first - 52.0 / 11) < 1e-12 AND abs(mean_last - 65.0 / 11) < 1e-12
		AND abs(conf_low - 0.5396739) < 1e-6 AND abs(conf_high - 1.8239624) < 1e-6 AS overall_ok
FROM pc WHERE item IS NULL;
-- min_cell: the default 5 keeps items 1, 2 and overall; 11 suppresses
-- item 1, 2 (10 persons) but not the overall row (11); 1 shows item 13
SELECT item, n_persons, suppressed FROM progression_change('pt') WHERE item IN (1, 13) OR item IS NULL;
SELECT item, n_persons, suppressed, estimate IS NULL AS no_estimate
FROM progression_change('pt', min_cell => 11) WHERE item IN (1, 2) OR item IS NULL;
SELECT item, n_persons, estimate, std_error, conf_low, suppressed
FROM progression_change('pt', min_cell => 1) WHERE item = 13;
-- conf_level: the 90% interval uses qt(0.95, 9) = 1.833112933
SELECT abs(conf_high - (1.5 + 1.833112933 * sqrt(14.5 / 90))) < 1e-6 AS item1_90_ok
FROM progression_change('pt', 0.90) WHERE item = 1;

-- progression_did by hand: treated changes 2,2,3,1,2 (mean 2, SS 2,
-- s^2 = 0.5), control 0.5,0.5,1,0,1 (mean 0.6, SS 0.7, s^2 = 0.175);
-- DiD = 2 - 0.6 = 1.4; Welch: v_T = 0.5/5 = 0.1, v_C = 0.175/5 = 0.035,
-- se = sqrt(0.135) = 0.3674235, df = 0.135^2 / (0.1^2/4 + 0.035^2/4)
-- = 0.018225 / 0.00280625 = 6.4944321. Skipped: person 11 (one
-- measurement) and person 12 (no course, so not known to be mentored or not).
SELECT round(estimate::numeric, 4) AS estimate, round(std_error::numeric, 4) AS std_error,
	round(df::numeric, 4) AS df, variance, n_treated, n_control, n_skipped,
	mean_change_treated, mean_change_control, suppressed
FROM progression_did('pt', min_cell => 3);
SELECT abs(estimate - 1.4) < 1e-12 AND abs(std_error - sqrt(0.135)) < 1e-12
	AND abs(df - 0.018225 / 0.00280625) < 1e-9
	AND abs((conf_high - conf_low) / 2 - _t_quantile(0.975, df) * std_error) < 1e-12
	AND conf_low < 1.4 AND conf_high > 1.4 AS did_ok
FROM progression_did('pt', min_cell => 3);
-- the same through did() directly on the hand-listed person changes
SELECT abs((SELECT estimate FROM progression_did('pt', min_cell => 3))
	- (did(0, c, t)).estimate) < 1e-12 AS same_as_did
FROM (VALUES (2.0, true), (2, true), (3, true), (1, true), (2, true),
	(0.5, false), (0.5, false), (1, false), (0, false), (1, false)) v(c, t);
-- 5 persons per group: suppressed at min_cell 6, everything NULL
SELECT estimate, n_treated, n_control, n_skipped, suppressed FROM progression_did('pt', min_cell => 6);

-- Planted effect: 400 persons, every other one mentored, all 13 items
-- scored at two dates; first score uniform on [4, 6], change = 0.5 +
-- 1.0 * mentored + uniform noise on [-1, 1] per item (scores stay in
-- 1..10, so nothing is clipped). The DiD of the person mean must recover
-- the planted 1.0 (within 4 standard errors; the noise of a person mean
-- has sd 0.16, so se is about 0.02) with an interval excluding 0, and the
-- mean change overall must recover 0.5 + 0.5 * 1.0 = 1.0.
SET client_min_messages = warning;
CREATE SCHEMA ps;
SELECT monitor_setup('ps');
RESET client_min_messages;
INSERT INTO ps.programme VALUES (1, 'p', '2023-01-02', NULL);
INSERT INTO ps.course (course_id, person_id, mentor_id, municipality, programme, start_date)
SELECT p, p, CASE WHEN p % 2 = 0 THEN 7 END, 1, 'p', '2023-06-05' FROM generate_series(1, 400) p;
SELECT setseed(0.14);
CREATE TEMP TABLE sim AS
SELECT p, i::smallint AS item, 4 + 2 * random() AS first,
	0.5 + CASE WHEN p % 2 = 0 THEN 1.0 ELSE 0 END + 2 * (random() - 0.5) AS change
FROM generate_series(1, 400) p, generate_series(1, 13) i ORDER BY p, i;
INSERT INTO ps.progression_score
SELECT p, date '2024-01-08', item, first FROM sim UNION ALL SELECT p, date '2024-07-01', item, first + change FROM sim;
SELECT n_treated, n_control, abs(estimate - 1.0) < 4 * std_error AS recovers_planted,
	conf_low > 0 AS excludes_zero, std_error < 0.05 AS precise
FROM progression_did('ps');
SELECT n_persons, abs(estimate - 1.0) < 4 * std_error AS overall_recovers
FROM progression_change('ps') WHERE item IS NULL;
-- and both equal the same computation done directly on the simulated values
SELECT abs((SELECT estimate FROM progression_did('ps')) - (
	SELECT avg(c) FILTER (WHERE p % 2 = 0) - avg(c) FILTER (WHERE p % 2 = 1)
	FROM (SELECT p, avg(change) AS c FROM sim GROUP BY p) x)) < 1e-9 AS did_matches_direct;

-- Errors: SQLSTATE, message and hint
SELECT pg_temp.expect_error($$ SELECT * FROM progression_trajectory(NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM progression_trajectory('no_such_schema') $$);
CREATE SCHEMA pt_empty;
SELECT pg_temp.expect_error($$ SELECT * FROM progression_trajectory('pt_empty') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM progression_change('pt', 1.5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM progression_change('pt', 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM progression_change('pt', 'NaN') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM progression_change('pt', min_cell => -1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM progression_did('pt', 1) $$);
SELECT pg_temp.expect_error($$ SELECT _t_quantile(0, 5) $$);
SELECT pg_temp.expect_error($$ SELECT _t_quantile(0.5, 0) $$);
-- NULL options mean their defaults
SELECT (SELECT array_agg(estimate ORDER BY item) FROM progression_change('pt', NULL, NULL))
	IS NOT DISTINCT FROM (SELECT array_agg(estimate ORDER BY item) FROM progression_change('pt')) AS null_means_default;

SET client_min_messages = warning;
DROP SCHEMA pt, ps, pt_empty CASCADE;
