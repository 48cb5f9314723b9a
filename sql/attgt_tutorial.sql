-- The tutorial route (docs/tutorial.md) end to end on the generator's
-- synthetic register: person-weeks -> a view with each person's quarterly
-- self-sufficiency share and cohort = the quarter mentoring started ->
-- att_gt. The register plants an effect of +0.10 on the weekly probability
-- of strict self-support from the mentor start week on; its realised
-- truth (true_att in register_info: mean over mentored persons of the
-- treated minus untreated share in the 52 weeks after the start) is what
-- the event study must recover.
CREATE SCHEMA attgt_tut;
SELECT generate_register('attgt_tut', 4000, 1);

CREATE VIEW attgt_tut.quarterly AS
WITH pq AS (            -- person x quarter 1..20 (13 weeks each), after the introduction programme
	SELECT p.person_id, q,
	       coalesce(weeks_between('2019-01-07', p.mentor_start) / 13 + 1, 0) AS cohort
	FROM attgt_tut.person p, generate_series(1, 20) q
	WHERE date '2019-01-07' + 91 * (q - 1) >= p.arrival_week + 182
), wk AS (              -- censored and benefit weeks per person-quarter
	SELECT person_id, weeks_between('2019-01-07', week) / 13 + 1 AS q,
	       count(*) FILTER (WHERE benefit_state(code, week) = 'censored') AS censored,
	       count(*) FILTER (WHERE benefit_state(code, week) IN ('benefit', 'unknown')) AS on_benefit
	FROM attgt_tut.benefit_week GROUP BY 1, 2
)
SELECT pq.person_id, pq.q, pq.cohort,
       (13 - coalesce(wk.censored, 0) - coalesce(wk.on_benefit, 0))::float8
         / (13 - coalesce(wk.censored, 0)) AS share
FROM pq LEFT JOIN wk USING (person_id, q)
WHERE coalesce(wk.censored, 0) < 13;     -- quarters entirely after emigration/death: no row

SELECT value::float8 AS true_att FROM attgt_tut.register_info WHERE key = 'true_att' \gset

-- who is in the estimate (unbalanced: people arrive, emigrate, die); read from the view
SELECT step, reason, n_units FROM att_gt_sample('attgt_tut.quarterly', 'share', 'person_id', 'q', 'cohort')
WHERE step IN (1, 6, 7, 9);
-- the same rows kept as a table, so the test does not recompute the view for every call
CREATE TABLE attgt_tut.quarterly_t AS SELECT * FROM attgt_tut.quarterly;

-- the event study: about 0 before mentoring, the planted truth from the
-- first full quarter after the start on (quarter 0 is partly treated)
SELECT level, key,
       CASE WHEN key < 0 THEN abs(estimate) < 3 * std_error
            WHEN key = 0 THEN estimate > 0.03 AND estimate < :true_att + 3 * std_error
            ELSE abs(estimate - :true_att) < 3 * std_error END AS as_planted,
       std_error < 0.03 AS precise
FROM att_gt_aggregate('attgt_tut.quarterly_t', 'share', 'person_id', 'q', 'cohort',
                      type => 'dynamic', min_e => -4, max_e => 6)
ORDER BY level DESC, key;

-- overall effect of e = 0..6 with a 95% interval that covers the truth
SELECT conf_low < :true_att AND :true_att < conf_high AS ci_covers_truth,
       round(estimate::numeric, 2) AS att_2dp
FROM att_gt_aggregate('attgt_tut.quarterly_t', 'share', 'person_id', 'q', 'cohort',
                      type => 'group')
WHERE level = 'overall';

SET client_min_messages = warning;
DROP SCHEMA attgt_tut CASCADE;
