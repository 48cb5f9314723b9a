-- course_status, course_status_summary, course_indicator_states on a small
-- hand-built fixture (docs/monitoring.md section 2). Every status, share and
-- interval below is worked out by hand in the comments; floats are compared
-- with tolerance 1e-9.
\i sql/include/expect_error.sql
CREATE FUNCTION pg_temp.close(got float8, want float8, tol float8 DEFAULT 1e-9) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(got - want) <= tol $$;

CREATE SCHEMA mc;
SELECT monitor_setup('mc');
INSERT INTO mc.programme VALUES (101, 'mentor', '2020-01-01', NULL), (101, 'empty', '2020-01-01', NULL),
	(102, 'mentor', '2020-01-01', NULL);
-- Every course but 8 starts Monday 2020-01-06 (ISO week 2020-W02), so its
-- 6-month horizon week is 2020-01-06 + 26*7 = 2020-07-06 (week index 26 of
-- a path starting 2020-01-06) and its 12-month one 2020-01-06 + 52*7 =
-- 2021-01-04 (index 52). Durable = self-supporting in each of the 13 weeks
-- ending at the horizon (indexes 14..26, 40..52).
INSERT INTO mc.course VALUES
	(1, 1, 7, 101, 'mentor', '2020-01-06', '2020-06-29', 'completed'),
	(2, 2, 7, 101, 'mentor', '2020-01-06', '2020-03-02', 'ended_early'),
	(3, 3, NULL, 101, 'mentor', '2020-01-06', NULL, NULL),
	(4, 4, 7, 101, 'mentor', '2020-01-06', '2020-12-28', 'completed'),
	(5, 5, 7, 101, 'mentor', '2020-01-06', NULL, NULL),
	(6, 6, NULL, 101, 'mentor', '2020-01-06', '2020-06-01', 'ended_early'),
	(7, 7, 8, 101, 'mentor', '2020-01-06', '2020-05-04', 'completed'),
	(8, 1, 8, 101, 'mentor', '2020-07-06', NULL, NULL),  -- person 1's second course
	(11, 11, 8, 101, 'mentor', '2020-01-06', '2020-06-29', 'completed'),
	(12, 12, 8, 101, 'mentor', '2020-01-06', NULL, NULL),
	(9, 9, 9, 102, 'mentor', '2020-01-06', NULL, NULL),
	(10, 10, NULL, 102, 'mentor', '2020-01-06', NULL, NULL);
-- observation periods (person 5 has none)
INSERT INTO mc.observation_period VALUES
	(1, '2019-01-01', '2021-06-30', 'end_of_data', NULL),
	(2, '2019-01-01', '2021-06-30', 'end_of_data', NULL),
	(3, '2019-01-01', '2020-09-30', 'emigrated', NULL),  -- leaves before the 12-month horizon
	(4, '2020-08-03', '2021-06-30', 'end_of_data', NULL),  -- arrives after the 6-month horizon
	(6, '2019-01-01', '2020-12-31', 'end_of_data', NULL),  -- data end before the 12-month horizon
	(7, '2019-01-01', '2021-06-30', 'end_of_data', NULL),
	(9, '2019-01-01', '2021-06-30', 'end_of_data', NULL),
	(10, '2019-01-01', '2021-06-30', 'end_of_data', NULL),
	(11, '2019-01-01', '2021-06-30', 'end_of_data', NULL),
	(12, '2019-01-01', '2021-06-30', 'end_of_data', NULL);
-- paths (persons 3, 9, 11 have no benefit week, so no row); codes: 130
-- kontanthjaelp, 111 dagpenge, 890 sygedagpenge, 997 emigrated (censoring)
INSERT INTO mc.person_path VALUES
	(1, '2020-01-06:130x20'),             -- benefit idx 0..19, then none
	(2, '2020-01-06:130x30,111x30'),      -- idx 26: 130, idx 52: 111
	(4, '2020-08-03:130x10'),             -- benefit to 2020-10-05, none after
	(5, '2020-01-06:130x10'),
	(6, '2020-01-06:-x24,890x4'),         -- sickness benefit idx 24..27
	(7, '2020-01-06:130x26,997x30'),      -- censoring code from idx 26
	(10, '2020-01-06:130x100'),
	(12, '2020-01-06:130x100');

-- Per course, by hand:
--  c1 6m: idx 26 none -> self_supporting; window 14..26 holds benefit 14..19 -> not durable
--     12m: idx 52 none -> self; window 40..52 none -> durable
--  c2 6m: 130 -> on_benefit kontanthjaelp; 12m: 111 -> on_benefit dagpenge
--  c3 6m: no path, observed -> self, durable; 12m: after observed_to -> censored 'emigrated'
--     (end_reason); running: course_weeks to week_monday(2020-09-30) = 2020-09-28: 266/7 + 1 = 39
--  c4 6m: 2020-07-06 before the week of observed_from 2020-08-03 -> censored before_arrival
--     12m: none -> self; window 2020-10-12..2021-01-04 none -> durable
--  c5 both: no_observation_period; course_weeks NULL (running, nothing observed)
--  c6 6m: 890 -> on_benefit sygedagpenge; 12m: 2021-01-04 after week of 2020-12-31
--     (2020-12-28), end_of_data -> not_yet_observed
--  c7 both: code 997 inside the period -> censored 'emigrated' (the code's category)
--  c8 starts 2020-07-06: 6m = 2021-01-04 (person 1 idx 52) -> self, durable;
--     12m = 2021-07-05 after the week of 2021-06-30 -> not_yet_observed;
--     course_weeks (2021-06-28 - 2020-07-06)/7 + 1 = 357/7 + 1 = 52
--  c11: no path -> self and durable at both; c12: 130 at both -> on_benefit kontanthjaelp
--  c9 (102): self, durable at both; c10 (102): on_benefit at both
-- course_weeks = (week_monday(end) - 2020-01-06)/7 + 1: c1 175/7+1 = 26, c2 56/7+1 = 9,
--  c4 357/7+1 = 52, c6 147/7+1 = 22, c7 119/7+1 = 18, c11 26; running c9, c10, c12 to the
--  week of observed_to 2021-06-30 (2021-06-28): 539/7+1 = 78. ended_early: c2, c6.
SELECT course_id, person_id, municipality, mentored, course_weeks, ended_early, horizon_months, horizon_week,
	status, self_supporting, durable, benefit_group, censored_reason
FROM course_status('mc') ORDER BY course_id, horizon_months;

-- Summary, 101/mentor, by hand:
--  6m: 10 courses; censored c4, c5, c7 = 3; observed 7 (c1, c2, c3, c6, c8, c11, c12)
--      of 6 persons (1, 2, 3, 6, 11, 12); self-supporting c1, c3, c8, c11 = 4 of 7;
--      durable c3, c8, c11 = 3 of 7.
--  12m: censored c3, c5, c6, c7, c8 = 5; observed c1, c2, c4, c11, c12 = 5 courses of
--      5 persons (not suppressed at min_cell 5: 5 < 5 is false); self c1, c4, c11 = 3 of 5;
--      durable c1, c4, c11 = 3 of 5.
--  ended courses c1, c2, c4, c6, c7, c11 = 6, ended early c2, c6 = 2: share 1/3.
--  102/mentor: 2 persons < 5 -> suppressed; 101/empty: no courses -> suppressed.
-- Wilson at 95 % (z = 1.959963984540054, z^2 = 3.841458820694124),
-- centre = (p + z^2/2n) / (1 + z^2/n), half = z/(1 + z^2/n) sqrt(p(1-p)/n + z^2/4n^2):
--  4/7: 1 + z^2/7 = 1.5487798315277321, centre = (0.5714285714285714 + 0.27438991576386600)
--       / 1.5487798315277321 = 0.5461192546380937, half = 0.29566089011043656
--       -> (0.2504583645276572, 0.8417801447485302)
--  3/7: centre = (0.42857142857142855 + 0.274389915763866) / 1.5487798315277321
--       = 0.45388074536190626, half 0.2956608901104365 -> (0.15821985525146975, 0.7495416354723428)
--  3/5: 1 + z^2/5 = 1.7682917641388252, centre = (0.6 + 0.3841458820694124) / 1.7682917641388252
--       = 0.5565517535216824, half = 0.3258274722456696 -> (0.2307242812760128, 0.882379225767352)
SELECT municipality, programme, horizon_months, n_courses, n_persons, n_censored, n_observed,
	n_self_supporting, round(estimate::numeric, 4) AS estimate, n_durable, round(durable_estimate::numeric, 4) AS durable,
	n_ended_early, round(ended_early_share::numeric, 4) AS ended_early_share, suppressed
FROM course_status_summary('mc') ORDER BY 1, 2, 3;
SELECT horizon_months,
	pg_temp.close(estimate, CASE horizon_months WHEN 6 THEN 4/7. ELSE 3/5. END) AS est_ok,
	pg_temp.close(conf_low, CASE horizon_months WHEN 6 THEN 0.2504583645276572 ELSE 0.2307242812760128 END) AS low_ok,
	pg_temp.close(conf_high, CASE horizon_months WHEN 6 THEN 0.8417801447485302 ELSE 0.882379225767352 END) AS high_ok,
	pg_temp.close(durable_estimate, CASE horizon_months WHEN 6 THEN 3/7. ELSE 3/5. END) AS dur_ok,
	pg_temp.close(durable_conf_low, CASE horizon_months WHEN 6 THEN 0.15821985525146975 ELSE 0.2307242812760128 END) AS dlow_ok,
	pg_temp.close(durable_conf_high, CASE horizon_months WHEN 6 THEN 0.7495416354723428 ELSE 0.882379225767352 END) AS dhigh_ok,
	pg_temp.close(ended_early_share, 1/3.) AS ee_ok
FROM course_status_summary('mc') WHERE municipality = 101 AND programme = 'mentor' ORDER BY 1;
-- min_cell 1 shows 102: c9 self, c10 on benefit at both horizons: 1 of 2,
-- Wilson 1/2: centre 0.5, half = z/(1 + z^2/2) sqrt(1/8 + z^2/16) = 0.40546879426576926
-- -> (0.09453120573423074, 0.9054687942657693)
SELECT municipality, horizon_months, n_persons, n_observed, n_self_supporting, suppressed,
	pg_temp.close(conf_low, 0.09453120573423074) AS low_ok, pg_temp.close(conf_high, 0.9054687942657693) AS high_ok
FROM course_status_summary('mc', min_cell => 1) WHERE programme = 'mentor' AND municipality = 102 ORDER BY 2;
-- 90 %: z = 1.6448536269514722, z^2 = 2.7055434540954142; 3/5: 1 + z^2/5 = 1.5411086908190825,
-- centre = (0.6 + z^2/10) / 1.5411086908190825 = 0.5648883499234899,
-- half = z / 1.5411086908190825 * sqrt(0.048 + z^2/100) = 0.2924051780572971
-- -> (0.2724831718661928, 0.857293527980787)
SELECT horizon_months, pg_temp.close(conf_low, 0.2724831718661928) AS low_90_ok,
	pg_temp.close(conf_high, 0.857293527980787) AS high_90_ok
FROM course_status_summary('mc', conf_level => 0.90) WHERE municipality = 101 AND programme = 'mentor' AND horizon_months = 12;

-- the same numbers as stored indicator states
SELECT municipality, programme, indicator, state::text
FROM course_indicator_states('mc') ORDER BY 1, 2, 3;
-- the summary's Wilson interval is the state's
SELECT pg_temp.close(i.conf_low, 0.2504583645276572) AS low_ok, pg_temp.close(i.conf_high, 0.8417801447485302) AS high_ok
FROM course_indicator_states('mc') s, indicator_interval(s.state) i
WHERE s.municipality = 101 AND s.programme = 'mentor' AND s.indicator = 'selfsupporting_6m';

-- as_of 2020-09-01: 12-month horizons not yet observed (c5 keeps
-- no_observation_period, which is checked first); c8's 6-month horizon
-- 2021-01-04 too; c4 ends after as_of, so it is running: end_date NULL,
-- course_weeks to week_monday(2020-09-01) = 2020-08-31: 238/7 + 1 = 35
SELECT course_id, horizon_months, end_date, course_weeks, ended_early, status, censored_reason
FROM course_status('mc', '2020-09-01') WHERE course_id IN (1, 4, 5, 8) ORDER BY 1, 2;
-- courses starting after as_of do not exist yet
SELECT count(DISTINCT course_id) AS courses FROM course_status('mc', '2020-07-05');
-- durable_weeks 1: durable = self-supporting at the horizon
SELECT bool_and(durable IS NOT DISTINCT FROM self_supporting) AS durable_1_is_self
FROM course_status('mc', durable_weeks => 1);

-- a person who emigrated before the course started: both horizons censored
-- 'emigrated', and the running course has 0 weeks, not (2019-06-24 - 2020-01-06)/7 + 1 = -196/7 + 1 = -27
CREATE SCHEMA mc2;
SELECT monitor_setup('mc2');
INSERT INTO mc2.programme VALUES (1, 'p', '2020-01-01', NULL);
INSERT INTO mc2.course VALUES (1, 1, NULL, 1, 'p', '2020-01-06', NULL, NULL);
INSERT INTO mc2.observation_period VALUES (1, '2019-01-01', '2019-06-30', 'emigrated', NULL);
SELECT horizon_months, course_weeks, status, censored_reason FROM course_status('mc2') ORDER BY 1;

-- bad arguments
SELECT pg_temp.expect_error($$ SELECT * FROM course_status(NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status('no_such_schema') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status('mc', profile => 'nosuch') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status('mc', profile => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status('mc', durable_weeks => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status('mc', 'infinity') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status_summary('mc', min_cell => 0) $$);
-- NULL options mean their defaults (docs/conventions.md): the same rows as min_cell 5, conf_level 0.95
SELECT count(*) AS rows_differing FROM (
	(SELECT * FROM course_status_summary('mc', min_cell => NULL, conf_level => NULL)
	 EXCEPT ALL SELECT * FROM course_status_summary('mc', min_cell => 5, conf_level => 0.95))
	UNION ALL
	(SELECT * FROM course_status_summary('mc', min_cell => 5, conf_level => 0.95)
	 EXCEPT ALL SELECT * FROM course_status_summary('mc', min_cell => NULL, conf_level => NULL))) d;
SELECT pg_temp.expect_error($$ SELECT * FROM course_status_summary('mc', conf_level => 1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status_summary('mc', conf_level => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_status_summary(NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_indicator_states(NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM course_indicator_states('mc', profile => 'nosuch') $$);
CREATE SCHEMA mc_empty;
SELECT pg_temp.expect_error($$ SELECT * FROM course_status('mc_empty') $$);
SET client_min_messages = warning;
DROP SCHEMA mc CASCADE;
DROP SCHEMA mc_empty;
DROP SCHEMA mc2 CASCADE;
