-- generate_register fills the monitoring tables (docs/monitoring.md,
-- section 1): person_path, programme, course, progression_item,
-- progression_score, goal. Checks the invariants, determinism, replace,
-- and that the planted progression effect is visible in plain SQL.
\i sql/include/expect_error.sql
CREATE SCHEMA mg;
SELECT generate_register('mg', 1500, 7);

-- every monitoring table is there and filled
SELECT (SELECT count(*) FROM mg.person_path) > 1000 AS paths,
       (SELECT count(*) FROM mg.programme) > 20 AS programmes,
       (SELECT count(*) FROM mg.course) > 300 AS courses,
       (SELECT count(*) FROM mg.progression_item) AS items,
       (SELECT count(DISTINCT person_id) FROM mg.progression_score) > 300 AS scored_persons,
       (SELECT count(*) FROM mg.goal) = 12 * (SELECT count(*) FROM mg.programme) AS twelve_goals_per_programme;
SELECT key FROM mg.register_info WHERE key LIKE 'progression%' OR key = 'courses' ORDER BY key;

-- person_path: exactly the persons with benefit weeks, and their paths
-- (built from benefit_spell) are the ones benefit_path(week, code) builds
-- from benefit_week
SELECT (SELECT count(DISTINCT person_id) FROM mg.benefit_week) = (SELECT count(*) FROM mg.person_path) AS one_path_per_person,
       (SELECT count(*) FROM mg.person_path p
        FULL JOIN (SELECT person_id, benefit_path(week, code) AS path FROM mg.benefit_week GROUP BY person_id) w
          USING (person_id)
        WHERE p.path IS DISTINCT FROM w.path) AS paths_differing,
       (SELECT count(*) FROM mg.benefit_week w JOIN mg.person_path p USING (person_id)
        WHERE code_at(p.path, w.week) IS DISTINCT FROM w.code) AS weeks_differing;

-- courses and the observation periods: starts observed, ends inside the
-- period; emigrated/dead/other end in the last observed week with the
-- period's reason; running courses only for persons observed to the end
SELECT count(*) FILTER (WHERE op.person_id IS NULL) AS course_without_period,
       count(*) FILTER (WHERE c.start_date NOT BETWEEN op.observed_from AND op.observed_to) AS start_unobserved,
       count(*) FILTER (WHERE c.end_date > op.observed_to) AS ends_after_period,
       count(*) FILTER (WHERE c.end_reason IN ('emigrated', 'dead', 'other')
                          AND (c.end_date <> op.observed_to
                               OR op.end_reason <> CASE c.end_reason WHEN 'other' THEN 'folkepension' ELSE c.end_reason END))
           AS censoring_end_mismatch,
       count(*) FILTER (WHERE c.end_reason IS NULL AND op.end_reason <> 'end_of_data') AS running_but_censored,
       count(*) FILTER (WHERE c.end_reason IS NULL     -- courses last at most 78 weeks
                          AND c.start_date + 7 * 77 < (SELECT value::date FROM mg.register_info WHERE key = 'last_week'))
           AS running_too_long,
       count(*) FILTER (WHERE extract(isodow FROM c.start_date) <> 1 OR extract(isodow FROM c.end_date) <> 1) AS not_mondays,
       count(*) FILTER (WHERE c.municipality <> p.municipality) AS other_municipality
FROM mg.course c JOIN mg.person p USING (person_id)
LEFT JOIN mg.observation_period op USING (person_id);
-- a person who emigrates (dies) during the course: the course ends then
SELECT count(*) FILTER (WHERE c.end_reason IS DISTINCT FROM CASE op.end_reason WHEN 'folkepension' THEN 'other' ELSE op.end_reason END)
           AS censored_during_course_other_reason
FROM mg.course c JOIN mg.observation_period op USING (person_id)
WHERE op.end_reason <> 'end_of_data' AND op.observed_to < coalesce(c.end_date, 'infinity')
  AND op.observed_to >= c.start_date;
SELECT end_reason IS NULL AS running, count(*) > 0 AS present
FROM mg.course GROUP BY 1 ORDER BY 1;
SELECT array_agg(DISTINCT end_reason ORDER BY end_reason) AS end_reasons FROM mg.course;

-- every mentored person: exactly one course with a mentor, from the
-- mentor start; nobody else has a mentor
SELECT count(*) FILTER (WHERE p.mentored AND n_mentored <> 1) AS mentored_not_one,
       count(*) FILTER (WHERE p.mentored AND mentored_start IS DISTINCT FROM p.mentor_start) AS start_not_mentor_start,
       count(*) FILTER (WHERE NOT p.mentored AND n_mentored > 0) AS unmentored_with_mentor,
       count(*) FILTER (WHERE p.mentored AND n_courses > 1) AS mentored_second_course,
       count(*) FILTER (WHERE NOT p.mentored AND n_courses > 0) > 100 AS comparison_group,
       count(*) FILTER (WHERE n_courses = 2) > 10 AS some_second_courses
FROM mg.person p
LEFT JOIN (SELECT person_id, count(mentor_id) AS n_mentored, count(*) AS n_courses,
                  min(start_date) FILTER (WHERE mentor_id IS NOT NULL) AS mentored_start
           FROM mg.course GROUP BY person_id) c USING (person_id);
-- course ids: person_id * 10 + course number, the second after the first
SELECT count(*) FILTER (WHERE course_id / 10 <> person_id OR course_id % 10 NOT IN (1, 2)) AS bad_ids,
       count(*) FILTER (WHERE course_id % 10 = 2 AND start_date <= (SELECT c1.end_date FROM mg.course c1
                                                                     WHERE c1.course_id = c.course_id - 1)) AS second_overlaps
FROM mg.course c;
-- comparison courses start in the mentor start window
SELECT min(start_date) FILTER (WHERE mentor_id IS NULL AND course_id % 10 = 1) >= min(start_date) FILTER (WHERE mentor_id IS NOT NULL) AS same_first_start,
       max(start_date) FILTER (WHERE mentor_id IS NULL AND course_id % 10 = 1) <= max(start_date) FILTER (WHERE mentor_id IS NOT NULL) + 7 * 13 AS same_last_start
FROM mg.course;
-- mentors: one municipality each, about 3 to 8 citizens each on average
SELECT count(*) FILTER (WHERE n_municipalities > 1) AS mentors_in_two_municipalities,
       avg(citizens) BETWEEN 3 AND 8 AS mean_caseload_3_to_8,
       max(citizens) > 1 AS shared
FROM (SELECT mentor_id, count(DISTINCT municipality) AS n_municipalities, count(*) AS citizens
      FROM mg.course WHERE mentor_id IS NOT NULL GROUP BY mentor_id) m;

-- programmes: span their courses' starts; both programmes, some running
SELECT count(*) FILTER (WHERE pr.start_date > c.first_start) AS starts_after_a_course,
       count(*) FILTER (WHERE pr.end_date < c.last_start) AS ends_before_a_course_start,
       count(*) FILTER (WHERE pr.end_date IS NULL) > 0 AS some_running,
       count(*) FILTER (WHERE pr.end_date IS NOT NULL) > 0 AS some_ended,
       count(DISTINCT pr.programme) AS programme_names,
       count(*) FILTER (WHERE c.first_start IS NULL) AS without_courses
FROM mg.programme pr
LEFT JOIN (SELECT municipality, programme, min(start_date) AS first_start, max(start_date) AS last_start
           FROM mg.course GROUP BY 1, 2) c USING (municipality, programme);
-- goals: every programme, four indicators at three points, shares in (0, 1)
SELECT indicator, measured_at, count(*) AS programmes,
       min(target) > 0 AND max(target) < CASE WHEN indicator = 'progression_change' THEN 3 ELSE 1 END AS plausible
FROM mg.goal GROUP BY 1, 2 ORDER BY 1, array_position(ARRAY['baseline', 'midterm', 'final'], measured_at);

-- progression scores: 13 whole scores in 1..10 per measurement, 1..5
-- measurements during the first course, the first at the course start
SELECT count(*) FILTER (WHERE score <> round(score) OR score NOT BETWEEN 1 AND 10) AS bad_scores,
       count(DISTINCT item) AS items
FROM mg.progression_score;
WITH m AS (
	SELECT person_id, measured_on, count(*) AS n_items
	FROM mg.progression_score GROUP BY 1, 2),
pm AS (
	SELECT person_id, count(*) AS n, min(measured_on) AS first_on, max(measured_on) AS last_on,
	       bool_and(n_items = 13) AS all_items
	FROM m GROUP BY 1)
SELECT count(*) FILTER (WHERE NOT all_items) AS incomplete,
       min(n) AS min_measurements, max(n) AS max_measurements,
       count(*) FILTER (WHERE n >= 2) * 10 > count(*) * 8 AS mostly_two_or_more,
       count(*) FILTER (WHERE first_on <> c.start_date) AS first_not_at_start,
       count(*) FILTER (WHERE last_on > coalesce(c.end_date + 6, 'infinity')) AS after_course,
       count(*) FILTER (WHERE c.course_id IS NULL) AS without_course
FROM pm LEFT JOIN mg.course c ON c.person_id = pm.person_id AND c.course_id % 10 = 1;
-- ... about 13 weeks apart
SELECT min(gap) AS min_gap_days, max(gap) AS max_gap_days
FROM (SELECT measured_on - lag(measured_on) OVER (PARTITION BY person_id ORDER BY measured_on) AS gap
      FROM (SELECT DISTINCT person_id, measured_on FROM mg.progression_score) d) g;

-- the planted effect, in plain SQL: per person the mean over the 13 items
-- at each measurement; change per measurement = (last - first) / (n - 1).
-- Planted: +0.15 per measurement for all, +0.30 more for the mentored
-- (rounding to whole scores and clamping to 1..10 bias this a little).
-- With about 300 mentored and 200 comparison persons the difference has a
-- standard error of about 0.015; the tolerance is 0.06 (4 standard errors).
WITH pm AS (
	SELECT person_id, measured_on, avg(score) AS mean_score,
	       row_number() OVER (PARTITION BY person_id ORDER BY measured_on) AS k,
	       count(*) OVER (PARTITION BY person_id) AS n
	FROM mg.progression_score GROUP BY person_id, measured_on),
slope AS (
	SELECT person_id, p.mentored, n,
	       (max(mean_score) FILTER (WHERE k = n) - max(mean_score) FILTER (WHERE k = 1)) AS change
	FROM pm JOIN mg.person p USING (person_id) WHERE n >= 2 GROUP BY person_id, p.mentored, n),
est AS (
	SELECT avg(change / (n - 1)) FILTER (WHERE mentored) AS slope_mentored,
	       avg(change / (n - 1)) FILTER (WHERE NOT mentored) AS slope_comparison,
	       avg(change) FILTER (WHERE mentored) - avg(change) FILTER (WHERE NOT mentored) AS did,
	       count(*) FILTER (WHERE mentored) AS n_mentored, count(*) FILTER (WHERE NOT mentored) AS n_comparison
	FROM slope)
SELECT n_mentored > 200 AND n_comparison > 150 AS enough,
       abs(slope_comparison - 0.15) < 0.06 AS comparison_slope_ok,
       abs(slope_mentored - slope_comparison - 0.30) < 0.06 AS planted_effect_recovered,
       abs(did - (SELECT value::float8 FROM mg.register_info WHERE key = 'progression_true_did')) < 0.15 AS did_near_truth
FROM est;

-- deterministic: a second register from the same seed has the same rows
CREATE SCHEMA mg2;
SELECT generate_register('mg2', 1500, 7);
CREATE FUNCTION pg_temp.differing(a text, b text) RETURNS TABLE (tbl text, n bigint) LANGUAGE plpgsql AS $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['person', 'observation_period', 'person_path', 'programme', 'course',
	                         'progression_item', 'progression_score', 'goal', 'register_info'] LOOP
		tbl := t;
		EXECUTE format('SELECT count(*) FROM ((TABLE %1$I.%3$I EXCEPT ALL TABLE %2$I.%3$I) UNION ALL '
		               '(TABLE %2$I.%3$I EXCEPT ALL TABLE %1$I.%3$I)) z', a, b, t) INTO n;
		RETURN NEXT;
	END LOOP;
END
$$;
SELECT * FROM pg_temp.differing('mg', 'mg2');
-- ... and another seed does not
SELECT generate_register('mg2', 1500, 8, replace => true);
SELECT tbl, n > 0 AS differs FROM pg_temp.differing('mg', 'mg2') WHERE tbl IN ('course', 'progression_score', 'person_path');

-- the existing tables are not changed by the new data: the synthetic
-- functions give the same rows as the tables generate_register made
SELECT (SELECT count(*) FROM ((TABLE mg.person EXCEPT ALL SELECT * FROM synthetic_persons(7, 1, 1500)) UNION ALL
                              (SELECT * FROM synthetic_persons(7, 1, 1500) EXCEPT ALL TABLE mg.person)) z) AS persons_differing,
       (SELECT count(*) FROM ((TABLE mg.course EXCEPT ALL SELECT * FROM synthetic_courses(7, 1, 1500)) UNION ALL
                              (SELECT * FROM synthetic_courses(7, 1, 1500) EXCEPT ALL TABLE mg.course)) z) AS courses_differing;
-- a person's courses and scores do not depend on the range asked for
SELECT (SELECT count(*) FROM ((SELECT * FROM synthetic_courses(7, 700, 800) EXCEPT ALL
                               SELECT * FROM mg.course WHERE person_id BETWEEN 700 AND 800)) z) AS courses_by_range,
       (SELECT count(*) FROM ((SELECT * FROM synthetic_progression_scores(7, 700, 800) EXCEPT ALL
                               SELECT * FROM mg.progression_score WHERE person_id BETWEEN 700 AND 800)) z) AS scores_by_range;

-- replace: without it an error lists the tables; with it they are
-- dropped and made again (the rows added to course are gone)
SELECT split_part(e, ':', 1) AS sqlstate, e LIKE '%already has register tables: %' AS message,
       (SELECT bool_and(strpos(e, t) > 0) FROM unnest(ARRAY['person', 'benefit_week', 'benefit_spell', 'mentoring',
            'register_info', 'observation_period', 'person_path', 'programme', 'course', 'progression_item',
            'progression_score', 'goal']) t) AS lists_every_table,
       e LIKE '%HINT: Pass replace => true%' AS hint
FROM pg_temp.expect_error($$SELECT generate_register('mg2', 1500, 7)$$) e;
INSERT INTO mg2.course SELECT course_id + 1000000, person_id, NULL, municipality, programme, start_date, NULL, NULL
FROM mg2.course LIMIT 5;
SELECT generate_register('mg2', 1500, 7, replace => true);
SELECT * FROM pg_temp.differing('mg', 'mg2') WHERE n <> 0;

-- bad arguments of the new functions
SELECT pg_temp.expect_error($$SELECT * FROM synthetic_courses(7, 1, 9223372036854775800)$$);
SELECT pg_temp.expect_error($$SELECT * FROM synthetic_progression_scores(7, 5, 4)$$);
SELECT pg_temp.expect_error($$SELECT * FROM synthetic_courses(NULL, 1, 4)$$);
SET client_min_messages = warning;
DROP SCHEMA mg, mg2 CASCADE;
