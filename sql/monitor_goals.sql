-- Goals against results, batches and frozen measurements (issue 14, SQL
-- items 3 and 4; docs/monitoring.md section 4, docs/methods.md "Goals").
-- A hand-built register in schema mg; every number below is worked out by
-- hand in the comments and compared with a tolerance of 1e-9.
\i sql/include/expect_error.sql
SET datestyle = ISO;
CREATE SCHEMA mg;
SELECT monitor_setup('mg');

-- Programmes. 101/mentor runs 2024-01-01 .. 2025-01-14 (379 days):
--   baseline = 2024-01-01, final = 2025-01-14,
--   midterm  = 2024-01-01 + floor(379 / 2) = 2024-01-01 + 189 days = 2024-07-08.
-- 102/mentor is still running (no end_date): its midterm and final are unknown.
-- 103/small has six courses of three persons (two each).
INSERT INTO mg.programme VALUES
	(101, 'mentor', '2024-01-01', '2025-01-14'),
	(102, 'mentor', '2024-01-01', NULL),
	(103, 'small', '2024-01-01', '2024-12-30');
-- 101/mentor: persons 1..20, one course each, started 2024-01-01 (a Monday),
-- ended 2024-03-04; persons 1 and 2 ended early, the others completed.
-- 102/mentor: persons 21..25, courses running. 103/small: persons 31..33,
-- two courses each (31..36, course 34 is person 31's second), ended
-- 2024-03-04, course 31 early.
INSERT INTO mg.person (person_id, municipality)
SELECT i, CASE WHEN i <= 20 THEN 101 WHEN i <= 25 THEN 102 ELSE 103 END
FROM generate_series(1, 33) i WHERE i <= 25 OR i >= 31;
INSERT INTO mg.course
SELECT i, i, NULL, 101, 'mentor', '2024-01-01', '2024-03-04',
	CASE WHEN i <= 2 THEN 'ended_early' ELSE 'completed' END
FROM generate_series(1, 20) i;
INSERT INTO mg.course SELECT i, i, NULL, 102, 'mentor', '2024-01-01', NULL, NULL FROM generate_series(21, 25) i;
INSERT INTO mg.course
SELECT i, 31 + (i - 31) % 3, NULL, 103, 'small', '2024-01-01', '2024-03-04',
	CASE WHEN i = 31 THEN 'ended_early' ELSE 'completed' END
FROM generate_series(31, 36) i;
-- everybody is observed 2023-01-02 .. 2025-12-29 (end of the data)
INSERT INTO mg.observation_period
SELECT person_id, '2023-01-02', '2025-12-29', 'end_of_data', NULL FROM mg.person;
-- persons 1..8 receive benefit (code 130) for 80 weeks from 2023-06-05, i.e.
-- up to the week of 2024-12-09: on benefit in the 6-month week of their
-- course (week_monday(2024-01-01) + 26*7 = 2024-07-01), self-supporting in
-- the 12-month week (2024-12-30). Persons without a path row have no benefit
-- week: self-supporting whenever observed.
INSERT INTO mg.person_path SELECT i, '2023-06-05:130x80' FROM generate_series(1, 8) i;
-- progression: persons 1..6 measured twice (2024-01-08 and 2024-06-03, two
-- items each); the change of the item mean, last - first:
--   person  1    2    3    4    5    6
--   first   4    3    5    6    2    4
--   last    5    5    5.5  7.5  3    6
--   change  1    2    0.5  1.5  1    2
-- person 7 is measured once (no change), person 40 has no course (in no cell).
INSERT INTO mg.progression_score
SELECT p, d, it, CASE WHEN d = '2024-01-08' THEN f ELSE l END + CASE it WHEN 1 THEN -0.5 ELSE 0.5 END
FROM (VALUES (1, 4, 5), (2, 3, 5), (3, 5, 5.5), (4, 6, 7.5), (5, 2, 3), (6, 4, 6), (40, 4, 9)) v(p, f, l),
	(VALUES ('2024-01-08'::date), ('2024-06-03')) dd(d), (VALUES (1::smallint), (2::smallint)) ii(it);
INSERT INTO mg.progression_score VALUES (7, '2024-01-08', 1, 5), (7, '2024-01-08', 2, 6);

-- Goals (indicator, target, measurement point) and the verdict each must get.
INSERT INTO mg.goal VALUES
	(101, 'mentor', 'ended_early', 0.30, 'baseline'),          -- nothing ended by 2024-01-01: n = 0 -> suppressed
	(101, 'mentor', 'ended_early', 0.40, '2024-06-03'),        -- 2/20, lower is better -> met
	(101, 'mentor', 'ended_early', 0.02, '2024-06-10'),        -- 2/20 -> not_met
	(101, 'mentor', 'ended_early', 0.15, '2024-06-17'),        -- 2/20 -> cannot_tell
	(101, 'mentor', 'selfsupporting_6m', 0.90, 'midterm'),     -- 12/20 -> not_met
	(101, 'mentor', 'selfsupporting_6m', 0.30, 'final'),       -- 12/20 -> met
	(101, 'mentor', 'selfsupporting_12m', 0.50, '2030-01-07'), -- after the data -> not_yet
	(101, 'mentor', 'progression_change', 0.50, 'final'),      -- mean change 4/3 -> met
	(102, 'mentor', 'selfsupporting_6m', 0.50, 'final'),       -- no end_date -> not_yet
	(103, 'small', 'ended_early', 0.50, '2024-06-03');         -- 1/6 courses, 3 persons < min_cell 5 -> suppressed

-- The measurement dates (baseline, midterm, final, literal).
SELECT measured_at, _goal_measured_on(measured_at, '2024-01-01', '2025-01-14') AS measured_on
FROM unnest(ARRAY['baseline', 'midterm', 'final', '2024-06-03']) measured_at;
SELECT _goal_measured_on('final', '2024-01-01', NULL) IS NULL AS final_of_running_programme_unknown;

-- Hand values, 95 % (z = 1.9599639845400536, the 0.975 normal quantile).
-- Wilson interval for x successes of n, p = x/n:
--   d = 1 + z^2/n, centre = (p + z^2/(2n)) / d,
--   half = (z / d) * sqrt(p(1-p)/n + z^2/(4n^2)), interval = centre -+ half.
-- n = 20: z^2/n = 0.19207294103470621, d = 1.1920729410347062.
--   x = 2  (p 0.10): centre 0.16445006322112773, half 0.1365835820073595
--                    -> (0.027866481213768224, 0.30103364522848725)
--   x = 3  (p 0.15): centre 0.20639380531848675, half 0.15402505942227016
--                    -> (0.052368745896216595, 0.3604188647407569)
--   x = 12 (p 0.60): centre 0.583887484194718,   half 0.19730598343246486
--                    -> (0.38658150076225317, 0.7811934676271829)
--   x = 11 (p 0.55): centre 0.5419437420973591,  half 0.1998583996470167
--                    -> (0.3420853424503424, 0.7418021417443758)
-- Progression change (Student t, n = 6): mean = 8/6 = 1.3333333333333333;
--   squared deviations sum to 1.8333333333333335, variance 0.36666666666666667,
--   std_error = sqrt(0.3666.../6) = 0.2472066162365221, t(0.975, 5) = 2.570581835636314
--   -> (0.6978684959866124, 1.9687981706800541)
CREATE TEMP TABLE hand (indicator text, measured_at text, estimate float8, conf_low float8,
	conf_high float8, n bigint, verdict text);
INSERT INTO hand VALUES
	('ended_early', 'baseline', NULL, NULL, NULL, NULL, 'suppressed'),
	('ended_early', '2024-06-03', 0.1, 0.027866481213768224, 0.30103364522848725, 20, 'met'),
	('ended_early', '2024-06-10', 0.1, 0.027866481213768224, 0.30103364522848725, 20, 'not_met'),
	('ended_early', '2024-06-17', 0.1, 0.027866481213768224, 0.30103364522848725, 20, 'cannot_tell'),
	('selfsupporting_6m', 'midterm', 0.6, 0.38658150076225317, 0.7811934676271829, 20, 'not_met'),
	('selfsupporting_6m', 'final', 0.6, 0.38658150076225317, 0.7811934676271829, 20, 'met'),
	('selfsupporting_12m', '2030-01-07', NULL, NULL, NULL, NULL, 'not_yet'),
	('progression_change', 'final', 1.3333333333333333, 0.6978684959866124, 1.9687981706800541, 6, 'met');
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean LANGUAGE sql AS
$$ SELECT (a IS NULL AND b IS NULL) OR abs(a - b) < 1e-9 $$;

-- (e) errors, before anything is stored
SELECT pg_temp.expect_error($$ SELECT * FROM goal_results(NULL) $$) AS null_schema;
SELECT pg_temp.expect_error($$ SELECT monitor_refresh(NULL, '2024-06-30') $$) AS null_schema;
SELECT pg_temp.expect_error($$ SELECT monitor_refresh('mg', NULL) $$) AS null_extract;
SELECT pg_temp.expect_error($$ SELECT monitor_freeze(NULL, 'baseline', '2024-06-30') $$) AS null_schema;
SELECT pg_temp.expect_error($$ SELECT * FROM frozen_vs_recomputed(NULL) $$) AS null_schema;
SELECT pg_temp.expect_error($$ SELECT * FROM monitor_indicator_states(NULL) $$) AS null_schema;
SELECT pg_temp.expect_error($$ SELECT * FROM goal_results('no_such_schema') $$) AS unknown_schema;
SELECT pg_temp.expect_error($$ SELECT monitor_freeze('mg', 'someday', '2024-06-30') $$) AS bad_measured_at;
SELECT pg_temp.expect_error($$ SELECT monitor_freeze('mg', NULL, '2024-06-30') $$) AS null_measured_at;
SELECT pg_temp.expect_error($$ SELECT * FROM goal_results('mg', conf_level => 1.5) $$) AS bad_conf_level;
SELECT pg_temp.expect_error($$ SELECT * FROM goal_results('mg', min_cell => 0) $$) AS bad_min_cell;
-- a goal with an unknown indicator is reported, never left out; nothing is written
INSERT INTO mg.goal VALUES (101, 'mentor', 'selfsupporting_24m', 0.5, 'final');
SELECT pg_temp.expect_error($$ SELECT * FROM goal_results('mg') $$) AS unknown_indicator;
SELECT pg_temp.expect_error($$ SELECT monitor_refresh('mg', '2024-06-30') $$) AS unknown_indicator;
SELECT count(*) AS batches_after_failed_refresh FROM mg.monitor_batch;
DELETE FROM mg.goal WHERE indicator = 'selfsupporting_24m';
-- a date the CHECK of the goal table lets through but the calendar does not
INSERT INTO mg.goal VALUES (101, 'mentor', 'ended_early', 0.5, '2025-02-30');
SELECT pg_temp.expect_error($$ SELECT * FROM goal_results('mg') $$) AS impossible_date;
DELETE FROM mg.goal WHERE measured_at = '2025-02-30';

-- (c), (d) verdicts, everything recomputed (nothing frozen yet); as_of NULL =
-- up to the last observed week (2025-12-29 .. 2026-01-04)
SELECT municipality, programme, indicator, measured_at, measured_on, target,
	round(estimate::numeric, 4) AS estimate, round(conf_low::numeric, 4) AS conf_low,
	round(conf_high::numeric, 4) AS conf_high, n, verdict, frozen
FROM goal_results('mg');
-- every number against the hand values (expected: no rows)
SELECT h.*, r.estimate, r.conf_low, r.conf_high, r.n, r.verdict
FROM hand h LEFT JOIN goal_results('mg') r
	ON r.municipality = 101 AND r.indicator = h.indicator AND r.measured_at = h.measured_at
WHERE NOT (pg_temp.close(r.estimate, h.estimate) AND pg_temp.close(r.conf_low, h.conf_low)
	AND pg_temp.close(r.conf_high, h.conf_high) AND r.n IS NOT DISTINCT FROM h.n
	AND r.verdict = h.verdict AND NOT r.frozen);
-- every verdict occurs
SELECT verdict, count(*) FROM goal_results('mg') GROUP BY 1 ORDER BY 1;
-- (d) the direction: the same interval (2/20: 0.0279 .. 0.3010) against 0.40
-- is met for ended_early (lower is better) and not met for a share
-- self-supporting; against 0.02 the other way round
SELECT _goal_verdict('ended_early', 0.40, 0.027866481213768224, 0.30103364522848725) AS ended_early_040,
	_goal_verdict('selfsupporting_6m', 0.40, 0.027866481213768224, 0.30103364522848725) AS selfsupporting_040,
	_goal_verdict('ended_early', 0.02, 0.027866481213768224, 0.30103364522848725) AS ended_early_002,
	_goal_verdict('selfsupporting_6m', 0.02, 0.027866481213768224, 0.30103364522848725) AS selfsupporting_002,
	_goal_verdict('ended_early', 0.30103364522848725, 0.027866481213768224, 0.30103364522848725) AS on_the_edge;
-- min_cell counts persons, not courses: 103's six courses are three persons,
-- shown from min_cell 3 (1/6: Wilson 0.0301 .. 0.5635 contains 0.5)
SELECT min_cell, indicator, measured_at, round(estimate::numeric, 4) AS estimate, n, verdict
FROM generate_series(3, 4) min_cell, goal_results('mg', min_cell => min_cell) r WHERE r.municipality = 103;
SELECT municipality, indicator, n_persons, indicator_n(state) AS n_courses
FROM monitor_indicator_states('mg', '2024-06-03') WHERE municipality = 103 AND indicator = 'ended_early';
-- The states as of a date come from one pass of course_status over all data
-- (monitor_indicator_states, goal_results, ... ask for many dates at once).
-- They must equal course_indicator_states(schema, as_of) date by date, and
-- the persons course_status_summary's: checked on a varied register (starts
-- over two years, running and ended courses, emigration, persons without
-- observation period or path, second courses) at dates around horizons,
-- course starts and ends (expected: no rows).
CREATE SCHEMA mr;
SELECT monitor_setup('mr');
INSERT INTO mr.programme VALUES (201, 'a', '2023-01-02', '2024-12-30'), (202, 'b', '2023-06-05', NULL), (203, 'empty', '2024-01-01', NULL);
INSERT INTO mr.course
SELECT i, 1 + i % 70, NULL, CASE WHEN i % 3 = 0 THEN 202 ELSE 201 END, CASE WHEN i % 3 = 0 THEN 'b' ELSE 'a' END,
	DATE '2023-01-02' + (i * 37) % 700,
	CASE WHEN i % 4 <> 0 THEN DATE '2023-01-02' + (i * 37) % 700 + 20 + (i * 13) % 300 END,
	CASE WHEN i % 4 <> 0 THEN (ARRAY['completed', 'ended_early', 'moved', 'completed', 'ended_early'])[1 + i % 5] END
FROM generate_series(1, 120) i;
INSERT INTO mr.observation_period
SELECT p, DATE '2022-01-03' + (p % 9) * 35, CASE WHEN p % 6 = 0 THEN DATE '2024-03-04' + (p % 5) * 49 ELSE DATE '2025-06-30' END,
	CASE WHEN p % 6 = 0 THEN 'emigrated' ELSE 'end_of_data' END, NULL
FROM generate_series(1, 70) p WHERE p % 11 <> 0;
INSERT INTO mr.person_path
SELECT p, ('2022-06-06:130x' || (10 + (p * 7) % 90) || ',-x' || (3 + p % 20) || ',130x' || (5 + (p * 3) % 60))::benefit_path
FROM generate_series(1, 70) p WHERE p % 4 <> 0;
CREATE TEMP TABLE mr_dates AS
SELECT unnest(ARRAY['2023-03-01', '2023-07-03', '2023-12-31', '2024-01-01', '2024-03-04', '2024-06-30',
	'2024-07-01', '2024-10-13', '2025-01-06', '2025-06-30', '2025-07-07']::date[]) AS d;
SELECT count(*) AS courses, count(DISTINCT c.person_id) AS persons,
	(SELECT count(*) FROM mr_dates) AS dates,
	(SELECT count(DISTINCT status) FROM course_status('mr')) AS statuses
FROM mr.course c;
SELECT d.d, c.municipality, c.programme, c.indicator, c.state::text AS expected, m.state::text AS got
FROM mr_dates d
CROSS JOIN LATERAL course_indicator_states('mr', d.d) c
FULL JOIN (SELECT s.as_of, s.municipality, s.programme, s.indicator, s.state
	FROM _monitor_states_at('mr', ARRAY(SELECT d FROM mr_dates)) s WHERE s.indicator <> 'progression_change') m
	ON m.as_of = d.d AND m.municipality = c.municipality AND m.programme = c.programme AND m.indicator = c.indicator
WHERE c.state::text IS DISTINCT FROM m.state::text;
SELECT m.municipality, m.programme, m.indicator, c.state::text AS expected, m.state::text AS got
FROM monitor_indicator_states('mr') m
FULL JOIN course_indicator_states('mr') c USING (municipality, programme, indicator)
WHERE coalesce(m.indicator, c.indicator) <> 'progression_change' AND c.state::text IS DISTINCT FROM m.state::text;
SELECT d.d, s.municipality, s.programme, s.horizon_months, s.n_persons AS expected, m.n_persons AS got
FROM mr_dates d
CROSS JOIN LATERAL course_status_summary('mr', d.d, min_cell => 1) s
JOIN LATERAL monitor_indicator_states('mr', d.d) m
	ON m.municipality = s.municipality AND m.programme = s.programme
	AND m.indicator = 'selfsupporting_' || s.horizon_months || 'm'
WHERE coalesce(s.n_persons, 0) <> m.n_persons;
-- and the states are not all empty
SELECT m.indicator, sum(indicator_n(m.state)) AS n_total
FROM _monitor_states_at('mr', ARRAY(SELECT d FROM mr_dates)) m GROUP BY 1 ORDER BY 1;
DROP SCHEMA mr CASCADE;

-- as_of: a goal dated after as_of is not_yet
SELECT indicator, measured_at, verdict FROM goal_results('mg', as_of => '2024-06-05') WHERE municipality = 101;

-- Explicit freeze of the baselines (before any refresh); twice is an error
SELECT monitor_freeze('mg', 'baseline', '2024-01-31') AS frozen_baselines;
SELECT pg_temp.expect_error($$ SELECT monitor_freeze('mg', 'baseline', '2024-01-31') $$) AS freeze_twice;
SELECT pg_temp.expect_error($$ SELECT monitor_freeze('mg', '2030-01-07', '2025-01-31') $$) AS not_reached;
SELECT pg_temp.expect_error($$ SELECT monitor_freeze('mg', 'final', '2024-06-30') $$) AS not_reached;
SELECT municipality, programme, indicator, measured_at, measured_on, extract_date, indicator_n(state) AS n
FROM mg.monitor_frozen ORDER BY 1, 2, 3, 4;

-- (a) monitor_refresh: one extract = one batch; a rerun replaces, never doubles.
-- Extract 2024-06-30 reaches the three dated ended_early goals (frozen now).
SELECT monitor_refresh('mg', '2024-06-30', 'first run') AS rows_written;
CREATE TEMP TABLE counts AS
SELECT (SELECT count(*) FROM mg.monitor_batch) AS batches,
	(SELECT count(*) FROM mg.monitor_state) AS states,
	(SELECT count(*) FROM mg.monitor_frozen) AS frozen,
	(SELECT string_agg(m.municipality || ' ' || m.indicator || '=' || m.state::text || ' ' || m.n_persons,
		', ' ORDER BY m.municipality, m.programme, m.indicator) FROM mg.monitor_state m) AS stored;
SELECT batches, states, frozen FROM counts;
-- the states of the extract that have observations (the others have n = 0)
SELECT municipality, programme, indicator, indicator_n(state) AS n, n_persons,
	round(indicator_estimate(state)::numeric, 4) AS estimate
FROM mg.monitor_state WHERE indicator_n(state) > 0 ORDER BY 1, 2, 3;
-- the rerun writes the same states again (no new frozen point) and replaces the note
SELECT monitor_refresh('mg', '2024-06-30', 'rerun') AS rows_written;
SELECT c.batches = (SELECT count(*) FROM mg.monitor_batch) AS same_batches,
	c.states = (SELECT count(*) FROM mg.monitor_state) AS same_states,
	c.frozen = (SELECT count(*) FROM mg.monitor_frozen) AS same_frozen,
	c.stored = (SELECT string_agg(m.municipality || ' ' || m.indicator || '=' || m.state::text || ' ' || m.n_persons,
		', ' ORDER BY m.municipality, m.programme, m.indicator) FROM mg.monitor_state m) AS same_values,
	(SELECT note FROM mg.monitor_batch) AS note, (SELECT n_persons FROM mg.monitor_batch) AS n_persons
FROM counts c;
-- the refresh holds the schema's transaction advisory lock (7420301, hashtext of
-- the quoted schema name) until commit: a concurrent refresh waits for it
BEGIN;
SELECT monitor_refresh('mg', '2024-06-30') > 0 AS refreshed;
SELECT l.classid AS key1, l.objid::integer = hashtext('mg') AS key2_is_hashtext, l.mode, l.granted
FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid();
COMMIT;
SELECT count(*) AS advisory_locks_after_commit FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid();

-- (b) frozen measurements survive a register revision.
-- Extract 2024-07-31 reaches the midterm (2024-07-08): 12/20 self-supporting frozen.
SELECT monitor_refresh('mg', '2024-07-31') AS rows_written;
CREATE TEMP TABLE frozen_before AS SELECT * FROM mg.monitor_frozen;
-- The register is revised: person 9 turns out to have received benefit in
-- the 6-month week (a new person_path row), and course 3 ended early.
INSERT INTO mg.person_path VALUES (9, '2024-06-03:130x10');
UPDATE mg.course SET end_reason = 'ended_early' WHERE course_id = 3;
-- A later extract (2025-01-20, after the final 2025-01-14) freezes the finals
-- from the revised register (11/20 self-supporting at 6 months) and leaves the
-- frozen midterm and ended_early points alone.
SELECT monitor_refresh('mg', '2025-01-20') AS rows_written;
SELECT count(*) AS frozen_rows_changed FROM frozen_before b JOIN mg.monitor_frozen f USING (municipality, programme, indicator, measured_at)
WHERE (f.state::text, f.n_persons, f.measured_on, f.extract_date, f.frozen_at)
	IS DISTINCT FROM (b.state::text, b.n_persons, b.measured_on, b.extract_date, b.frozen_at);
SELECT count(*) AS frozen_rows FROM mg.monitor_frozen;
-- frozen beside recomputed: the midterm 12/20 = 0.60 is now 11/20 = 0.55, the
-- ended_early points 2/20 = 0.10 are now 3/20 = 0.15
SELECT municipality, indicator, measured_at, measured_on, extract_date,
	round(frozen_estimate::numeric, 4) AS frozen, round(recomputed_estimate::numeric, 4) AS recomputed,
	round(difference::numeric, 4) AS difference, frozen_n, recomputed_n, changed, suppressed
FROM frozen_vs_recomputed('mg');
SELECT count(*) AS wrong_differences FROM frozen_vs_recomputed('mg') v
WHERE v.municipality = 101 AND NOT CASE
	WHEN v.indicator = 'selfsupporting_6m' AND v.measured_at = 'midterm'
		THEN pg_temp.close(v.difference, -0.05) AND pg_temp.close(v.recomputed_conf_low, 0.3420853424503424)
			AND pg_temp.close(v.frozen_conf_low, 0.38658150076225317) AND v.changed
	WHEN v.indicator = 'ended_early' AND v.measured_at <> 'baseline'
		THEN pg_temp.close(v.difference, 0.05) AND pg_temp.close(v.recomputed_conf_high, 0.3604188647407569) AND v.changed
	ELSE v.changed IS FALSE END;
-- goal_results reads the frozen points: the midterm verdict still rests on
-- 12/20; the final (frozen after the revision) on 11/20 (0.342 .. 0.742 > 0.30: met)
SELECT municipality, indicator, measured_at, measured_on, round(estimate::numeric, 4) AS estimate,
	round(conf_low::numeric, 4) AS conf_low, n, verdict, frozen
FROM goal_results('mg');
SELECT count(*) AS wrong_frozen_values FROM goal_results('mg') r
WHERE r.municipality = 101 AND NOT CASE r.indicator || ' ' || r.measured_at
	WHEN 'selfsupporting_6m midterm' THEN pg_temp.close(r.conf_low, 0.38658150076225317) AND r.frozen
	WHEN 'selfsupporting_6m final' THEN pg_temp.close(r.conf_low, 0.3420853424503424) AND r.frozen
	WHEN 'ended_early 2024-06-17' THEN pg_temp.close(r.conf_high, 0.30103364522848725) AND r.frozen
	ELSE true END;
-- the stored batches: one per extract date
SELECT extract_date, b.n_persons, note, count(s.indicator) AS states
FROM mg.monitor_batch b LEFT JOIN mg.monitor_state s USING (extract_date)
GROUP BY 1, 2, 3 ORDER BY 1;
-- deleting a batch removes its states, never a frozen point
DELETE FROM mg.monitor_batch WHERE extract_date = '2024-06-30';
SELECT (SELECT count(*) FROM mg.monitor_state WHERE extract_date = '2024-06-30') AS states_left,
	(SELECT count(*) FROM mg.monitor_frozen) AS frozen_rows;
-- unfreezing is a deliberate DELETE; the next refresh freezes the point again
DELETE FROM mg.monitor_frozen WHERE measured_at = 'midterm';
SELECT monitor_refresh('mg', '2025-01-20') - (SELECT count(*) FROM mg.monitor_state WHERE extract_date = '2025-01-20') AS newly_frozen;
SELECT round(indicator_estimate(state)::numeric, 4) AS midterm_refrozen FROM mg.monitor_frozen WHERE measured_at = 'midterm';

-- without any observation period there is no data end: an unfrozen point is
-- not_yet (never a verdict on nothing); the frozen points stay as frozen
INSERT INTO mg.goal VALUES (101, 'mentor', 'durable_12m', 0.5, '2025-06-30');
DELETE FROM mg.observation_period;
SELECT indicator, measured_at, verdict, frozen FROM goal_results('mg')
WHERE indicator IN ('durable_12m', 'selfsupporting_6m') ORDER BY municipality, indicator, measured_on;

DROP SCHEMA mg CASCADE;
