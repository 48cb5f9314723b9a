-- The tutorial route (docs/tutorial.md) end to end on the generator's
-- synthetic register: person-weeks -> a view with each person's quarterly
-- self-sufficiency share and cohort = the quarter mentoring started ->
-- att_gt, and the numbers the tutorial quotes.
--
-- The truth: the generator makes each person a function of the seed, so
-- the same register with effect => 0 holds the same persons, cohorts and
-- censoring without the planted effect (checked below); the difference of
-- the two registers' shares is each person-quarter's true effect, and its
-- group aggregation with att_gt's weights is the truth for exactly the
-- estimate shown.
CREATE SCHEMA attgt_tut;
CREATE SCHEMA attgt_tut0;
SELECT generate_register('attgt_tut', 4000, 1);
SELECT generate_register('attgt_tut0', 4000, 1, effect => 0);

-- the tutorial's view, over either register
CREATE FUNCTION pg_temp.quarterly_sql(s text) RETURNS text LANGUAGE sql AS $f$
SELECT format($q$
WITH pq AS (            -- person x quarter 1..20 (13 weeks each), after the introduction programme
	SELECT p.person_id, q,
	       coalesce(weeks_between('2019-01-07', p.mentor_start) / 13 + 1, 0) AS cohort
	FROM %1$I.person p, generate_series(1, 20) q
	WHERE date '2019-01-07' + 91 * (q - 1) >= p.arrival_week + 182
), wk AS (              -- censored and benefit weeks per person-quarter
	SELECT person_id, weeks_between('2019-01-07', week) / 13 + 1 AS q,
	       count(*) FILTER (WHERE benefit_state(code, week) = 'censored') AS censored,
	       count(*) FILTER (WHERE benefit_state(code, week) IN ('benefit', 'unknown')) AS on_benefit
	FROM %1$I.benefit_week GROUP BY 1, 2
)
SELECT pq.person_id, pq.q, pq.cohort,
       (13 - coalesce(wk.censored, 0) - coalesce(wk.on_benefit, 0))::float8
         / (13 - coalesce(wk.censored, 0)) AS share
FROM pq LEFT JOIN wk USING (person_id, q)
WHERE coalesce(wk.censored, 0) < 13$q$, s)
$f$;
DO $$
BEGIN
	EXECUTE 'CREATE VIEW attgt_tut.quarterly AS ' || pg_temp.quarterly_sql('attgt_tut');
	-- tables, so the test does not recompute the view for every call
	EXECUTE 'CREATE TABLE attgt_tut.quarterly_t AS ' || pg_temp.quarterly_sql('attgt_tut');
	EXECUTE 'CREATE TABLE attgt_tut0.quarterly_t AS ' || pg_temp.quarterly_sql('attgt_tut0');
END
$$;

-- step 1: the register's own truth (52 weeks after each start) is 0.0920
SELECT round(value::numeric, 4) AS true_att FROM attgt_tut.register_info WHERE key = 'true_att';

-- the twin is the same persons: same rows, cohorts and censoring; shares
-- differ only in mentored person-quarters from the start on
SELECT count(*) AS rows, count(*) FILTER (WHERE a.cohort <> b.cohort) AS cohort_differs,
       count(*) FILTER (WHERE a.share <> b.share AND (a.cohort = 0 OR a.q < a.cohort)) AS untreated_differs,
       count(*) FILTER (WHERE a.share <> b.share) > 0 AS treated_differs
FROM attgt_tut.quarterly_t a FULL JOIN attgt_tut0.quarterly_t b USING (person_id, q);

-- step 3: who is in the estimate, read from the view
SELECT step, reason, n_units FROM att_gt_sample('attgt_tut.quarterly', 'share', 'person_id', 'q', 'cohort')
WHERE step IN (1, 6, 7, 9);

-- step 4: the unbalanced panel. The NOTICE reports the differential entry
-- (late arrivals cannot be mentored) and the post-treatment cells
-- estimated on the rows against those on the units seen in both periods.
SELECT round(estimate::numeric, 4) AS estimate, round(conf_low::numeric, 4) AS conf_low,
       round(conf_high::numeric, 4) AS conf_high
FROM att_gt_aggregate('attgt_tut.quarterly_t', 'share', 'person_id', 'q', 'cohort', type => 'group')
WHERE level = 'overall';

-- the NOTICE's numbers recomputed in SQL: entry and exit shares by group,
-- turnover and both averages over post-treatment cells (never-treated
-- controls, base period g - 1, cohort shares as weights)
CREATE TEMP TABLE span AS
SELECT person_id, min(q) AS q_first, max(q) AS q_last, count(*) AS n, min(cohort) AS cohort
FROM attgt_tut.quarterly_t GROUP BY 1;
SELECT cohort > 0 AS treated, round(100.0 * avg((q_first > 1)::int), 1) AS entered_late,
       round(100.0 * avg((q_last < 20)::int), 1) AS left_early
FROM span GROUP BY 1 ORDER BY 1;
WITH cells AS (
	SELECT g, t FROM (SELECT DISTINCT cohort AS g FROM span WHERE cohort > 0) c, generate_series(1, 20) t
	WHERE t >= g
), obs AS (             -- each treated or control unit seen in t or in g - 1
	SELECT c.g, c.t, s.person_id, s.cohort > 0 AS treated, a.share AS y_t, b.share AS y_b
	FROM cells c JOIN span s ON s.cohort IN (0, c.g)
	LEFT JOIN attgt_tut.quarterly_t a ON a.person_id = s.person_id AND a.q = c.t
	LEFT JOIN attgt_tut.quarterly_t b ON b.person_id = s.person_id AND b.q = c.g - 1
	WHERE a.share IS NOT NULL OR b.share IS NOT NULL
), cell AS (
	SELECT g, t,
	       avg((y_t IS NULL OR y_b IS NULL)::int) FILTER (WHERE NOT treated) AS turn_c,
	       avg((y_t IS NULL OR y_b IS NULL)::int) FILTER (WHERE treated) AS turn_t,
	       avg(y_t) FILTER (WHERE treated) - avg(y_b) FILTER (WHERE treated)
	         - avg(y_t) FILTER (WHERE NOT treated) + avg(y_b) FILTER (WHERE NOT treated) AS att_rows,
	       avg(y_t - y_b) FILTER (WHERE treated) - avg(y_t - y_b) FILTER (WHERE NOT treated) AS att_both
	FROM obs GROUP BY 1, 2
), pg AS (
	SELECT cohort AS g, count(*) AS n FROM span WHERE cohort > 0 GROUP BY 1
)
SELECT round(100 * sum(n * turn_c) / sum(n), 1) AS turnover_controls,
       round(100 * sum(n * turn_t) / sum(n), 1) AS turnover_treated,
       round((sum(n * att_rows) / sum(n))::numeric, 4) AS att_rows,
       round((sum(n * att_both) / sum(n))::numeric, 4) AS att_both
FROM cell JOIN pg USING (g);

-- step 5: the balanced panel (persons seen in all 20 quarters): no NOTICE
CREATE TABLE attgt_tut.panel AS
SELECT * FROM attgt_tut.quarterly_t
WHERE person_id IN (SELECT person_id FROM attgt_tut.quarterly_t GROUP BY person_id HAVING count(*) = 20);
SELECT count(DISTINCT person_id) AS persons,
       count(DISTINCT person_id) FILTER (WHERE cohort > 0) AS mentored
FROM attgt_tut.panel;

-- step 6: the truth for the group aggregation on exactly this panel
CREATE TABLE attgt_tut.effect AS        -- each treated person-quarter's true effect
SELECT a.person_id, a.q, a.cohort, a.share - b.share AS effect
FROM attgt_tut.panel a JOIN attgt_tut0.quarterly_t b USING (person_id, q)
WHERE a.cohort > 0 AND a.q >= a.cohort;
SELECT (sum(att * n) / sum(n)) AS true_group, (sum(att1 * n) / sum(n)) AS true_group_full_quarters
FROM (SELECT cohort, avg(att) AS att, avg(att) FILTER (WHERE q > cohort) AS att1
      FROM (SELECT cohort, q, avg(effect) AS att FROM attgt_tut.effect GROUP BY 1, 2) cell
      GROUP BY 1) g
JOIN (SELECT cohort, count(DISTINCT person_id) AS n FROM attgt_tut.panel WHERE cohort > 0 GROUP BY 1) s
USING (cohort) \gset
SELECT round(:true_group::numeric, 4) AS true_group;

-- the group aggregation recovers it: 0.0976 (0.0593 to 0.1359)
SELECT round(estimate::numeric, 4) AS estimate, round(conf_low::numeric, 4) AS conf_low,
       round(conf_high::numeric, 4) AS conf_high,
       conf_low < :true_group AND :true_group < conf_high AS ci_covers_truth
FROM att_gt_aggregate('attgt_tut.panel', 'share', 'person_id', 'q', 'cohort', type => 'group')
WHERE level = 'overall';

-- the event study: about 0 before mentoring, the truth of each event
-- time after it (the start quarter is partly treated, so smaller)
WITH truth AS (
	SELECT q - cohort AS e, sum(att * n) / sum(n) AS att
	FROM (SELECT cohort, q, avg(effect) AS att FROM attgt_tut.effect GROUP BY 1, 2) cell
	JOIN (SELECT cohort, count(DISTINCT person_id) AS n FROM attgt_tut.panel GROUP BY 1) s USING (cohort)
	GROUP BY 1
)
SELECT key AS event_time, round(a.estimate::numeric, 3) AS estimate, round(a.std_error::numeric, 3) AS std_error,
       abs(a.estimate - coalesce(t.att, 0)) < 3 * a.std_error AS as_planted,
       round(t.att::numeric, 3) AS truth
FROM att_gt_aggregate('attgt_tut.panel', 'share', 'person_id', 'q', 'cohort',
                      type => 'dynamic', min_e => -4, max_e => 6) a
LEFT JOIN truth t ON t.e = a.key
WHERE a.level = 'event_time'
ORDER BY key;
-- the start quarter's truth is below the full quarters'
SELECT :true_group < :true_group_full_quarters AS start_quarter_partly_treated;

-- step 7: the pre-test rejects, and its NOTICE names the small cohorts ...
SELECT w > 1000 AS w_large, df, p_value < 1e-6 AS rejects
FROM att_gt_pretest('attgt_tut.panel', 'share', 'person_id', 'q', 'cohort');
-- ... which the NOTICE counts: fewer than 5 treated units per pre-treatment cell
SELECT cohort, count(DISTINCT person_id) AS units, cohort - 2 AS pre_cells,
       count(DISTINCT person_id) < 5 * (cohort - 2) AS too_few
FROM attgt_tut.panel WHERE cohort > 0 GROUP BY 1 ORDER BY 1;
-- ... on the cohorts with at least 50 persons it does not reject
CREATE VIEW attgt_tut.panel_large_cohorts AS
SELECT * FROM attgt_tut.panel
WHERE cohort IN (SELECT cohort FROM attgt_tut.panel GROUP BY cohort HAVING count(DISTINCT person_id) >= 50);
SELECT round(w::numeric, 1) AS w, df, round(p_value::numeric, 2) AS p_value
FROM att_gt_pretest('attgt_tut.panel_large_cohorts', 'share', 'person_id', 'q', 'cohort');

-- a real pre-trend with large cohorts: the hint says every cohort has
-- enough units (cohort 4: 150 units, 2 pre-treatment cells; y trends by
-- 0.05 a period more for the treated before treatment)
CREATE TABLE attgt_tut.trend AS
SELECT u AS unit, t AS period, CASE WHEN u <= 150 THEN 4 ELSE 0 END AS cohort,
       (u % 7) * 0.1 + ((u * 37 + t * 11) % 13) * 0.01
       + CASE WHEN u <= 150 THEN 0.05 * least(t, 3) ELSE 0 END AS y
FROM generate_series(1, 400) u, generate_series(1, 5) t;
SELECT round(w::numeric, 1) AS w, df, p_value < 0.001 AS rejects
FROM att_gt_pretest('attgt_tut.trend', 'y', 'unit', 'period', 'cohort');

-- the unbalanced NOTICE does not fire when rows are missing alike in
-- both groups (every fifth unit misses period 2)
CREATE TABLE attgt_tut.holes AS
SELECT * FROM attgt_tut.trend WHERE NOT (unit % 5 = 0 AND period = 2);
SELECT count(*) AS cells FROM att_gt('attgt_tut.holes', 'y', 'unit', 'period', 'cohort');

SET client_min_messages = warning;
DROP SCHEMA attgt_tut CASCADE;
DROP SCHEMA attgt_tut0 CASCADE;
