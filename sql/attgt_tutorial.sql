-- The tutorial route (docs/tutorial.md) end to end on a small register-style
-- data set built here: DREAM-style person-weeks (no row = no benefit,
-- 997 = emigrated, absorbing), a view giving each person's quarterly
-- self-sufficiency share with cohort = the quarter mentoring started, and
-- att_gt on that view. The planted effect is +0.10 on the weekly
-- probability of being off benefits from the mentoring quarter on, so the
-- quarterly share rises by 0.10 in every post-treatment quarter.
CREATE TABLE person AS
SELECT id AS person_id,
       CASE WHEN id % 4 = 0 THEN NULL ELSE date '2019-01-07' + 7 * 13 * (2 * (id % 4)) END AS mentor_start,
       CASE WHEN id % 17 = 0 THEN date '2019-01-07' + 7 * (30 + id % 50) END AS emigrated
FROM generate_series(1, 3000) id;
-- uniform pseudo-random numbers from a hash, so the data are the same everywhere
CREATE FUNCTION pg_temp.u(a bigint, b bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(a || '/' || b), 1, 8))::bit(32)::bigint / 4294967296.0 $$;
CREATE TABLE benefit_week AS
SELECT p.person_id, w.week,
       CASE WHEN p.emigrated IS NOT NULL AND w.week >= p.emigrated THEN 997 ELSE 130 END AS code
FROM person p
CROSS JOIN LATERAL (SELECT date '2019-01-07' + 7 * k AS week FROM generate_series(0, 103) k) w
WHERE (p.emigrated IS NOT NULL AND w.week >= p.emigrated)
   OR pg_temp.u(p.person_id, w.week - date '2019-01-07')
      < 0.75 - 0.002 * ((w.week - date '2019-01-07') / 7) - 0.1 * (p.person_id % 7 = 0)::int
        - CASE WHEN w.week >= p.mentor_start THEN 0.10 ELSE 0 END;

-- the view: quarter q = 1..8 (13 weeks each); share of non-censored weeks
-- that are self-supporting under the strict profile; quarters entirely
-- after emigration have no row (an unbalanced panel, as registers are)
CREATE VIEW quarterly AS
WITH pq AS (
	SELECT p.person_id, q,
	       coalesce((weeks_between('2019-01-07', p.mentor_start) / 13) + 1, 0) AS cohort
	FROM person p, generate_series(1, 8) q
), wk AS (
	SELECT person_id, weeks_between('2019-01-07', week) / 13 + 1 AS q,
	       count(*) FILTER (WHERE benefit_state(code, week) = 'censored') AS censored,
	       count(*) FILTER (WHERE benefit_state(code, week) IN ('benefit', 'unknown')) AS on_benefit
	FROM benefit_week GROUP BY 1, 2
)
SELECT pq.person_id, pq.q, pq.cohort,
       (13 - coalesce(wk.censored, 0) - coalesce(wk.on_benefit, 0))::float8 / (13 - coalesce(wk.censored, 0)) AS share
FROM pq LEFT JOIN wk USING (person_id, q)
WHERE coalesce(wk.censored, 0) < 13;

SELECT step, reason, units, "rows" FROM att_gt_sample('quarterly', 'share', 'person_id', 'q', 'cohort');
-- the event study recovers the planted +0.10 after mentoring and ~0 before
SELECT level, key, round(att::numeric, 2) AS att_2dp,
       CASE WHEN key < 0 THEN abs(att) < 4 * std_error
            ELSE abs(att - 0.10) < 4 * std_error END AS as_planted,
       std_error < 0.03 AS precise
FROM att_gt_aggregate('quarterly', 'share', 'person_id', 'q', 'cohort', type => 'dynamic',
                      control_group => 'notyettreated')
ORDER BY level DESC, key;
SELECT round(w::numeric, 1) AS w, df, p_value > 0.01 AS parallel_trends_not_rejected
FROM att_gt_pretest('quarterly', 'share', 'person_id', 'q', 'cohort', control_group => 'notyettreated');
