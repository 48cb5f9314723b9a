-- Comparison groups on the generated register (docs/matching.md runs the
-- same steps on the same register and quotes these numbers): with
-- selection => 'observables' the mentored are drawn on the person columns
-- only, so the unadjusted estimates are biased and the estimates after
-- matching or weighting on those columns recover the planted effect.
--
-- Tolerances: the realised truth is known per person (mentoring.true_share_*);
-- the matched DiD has a standard error of about 0.012 on this register
-- (2,059 mentored), the post-period difference about 0.011, so "recovers"
-- means within 0.035 (3 SE); "biased" means more than 0.05 (naive) or
-- 0.03 (unadjusted DiD) below the truth. The generator's expected biases
-- are -0.09 and -0.05 (docs/methods.md, Synthetic register).
--
-- The register's tables come straight from the synthetic_* functions:
-- the same rows generate_register writes (it calls them), without the
-- monitoring tables this test does not need.
SET extra_float_digits = 0;
CREATE SCHEMA me;
CREATE TABLE me.person AS SELECT * FROM synthetic_persons(7, 1, 10000, 156, selection => 'observables');
CREATE TABLE me.benefit_week AS SELECT * FROM synthetic_benefit_weeks(7, 1, 10000, 156, selection => 'observables');
CREATE TABLE me.observation_period AS SELECT * FROM synthetic_observation_periods(7, 1, 10000, 156, selection => 'observables');
CREATE TABLE me.mentoring AS SELECT * FROM synthetic_mentoring(7, 1, 10000, 156, selection => 'observables');
CREATE INDEX ON me.benefit_week (person_id, week);
ANALYZE me.person, me.benefit_week, me.observation_period, me.mentoring;

-- the selection: one start week (register_sim's start_lo = week 52),
-- eligible persons only, and no direct dependence on what the default
-- 'traits' reads: the same backgrounds as the default
SELECT count(*) FILTER (WHERE mentored) AS mentored,
       bool_and(mentor_start = date '2020-01-06') FILTER (WHERE mentored) AS one_start_week,
       bool_and(arrival_week <= date '2020-01-06' - 78 * 7
                AND (date '2019-01-07' - birth_date) / 365.2425 <= 58) FILTER (WHERE mentored) AS eligible
FROM me.person;
SELECT count(*) AS same_backgrounds
FROM me.person a JOIN synthetic_persons(7, 1, 10000, 156) b USING (person_id)
WHERE (a.sex, a.birth_date, a.origin, a.permit_type, a.arrival_week, a.education_level, a.municipality)
    = (b.sex, b.birth_date, b.origin, b.permit_type, b.arrival_week, b.education_level, b.municipality);
SELECT round(avg(true_share_treated - true_share_untreated)::numeric, 4) AS true_att FROM me.mentoring;

-- the person table of docs/matching.md, step 2
CREATE TABLE me.analysis AS
WITH s AS (
    SELECT date '2020-01-06' AS start, date '2019-01-07' AS first_week
), pop AS (
    SELECT p.*, o.observed_to, s.start, s.first_week,
           least(s.start + 52 * 7, o.observed_to) AS post_end
    FROM me.person p
    JOIN me.observation_period o USING (person_id)
    CROSS JOIN s
    WHERE (s.first_week - p.birth_date) / 365.2425 <= 58
      AND p.arrival_week <= s.start - 78 * 7
      AND o.observed_to >= s.start + 7
)
SELECT pop.person_id, pop.mentored,
       round((pop.first_week - pop.birth_date) / 365.2425, 2)::float8 AS age,
       pop.sex::text AS sex, pop.education_level, pop.permit_type, pop.origin,
       1 - count(b.week) FILTER (WHERE b.week < pop.start) / 52.0::float8 AS pre_share,
       1 - count(b.week) FILTER (WHERE b.week > pop.start)
           / ((pop.post_end - pop.start) / 7)::float8 AS post_share
FROM pop
LEFT JOIN me.benefit_week b
       ON b.person_id = pop.person_id
      AND b.week BETWEEN pop.start - 52 * 7 AND pop.post_end
      AND b.week <> pop.start
GROUP BY pop.person_id, pop.mentored, pop.first_week, pop.birth_date, pop.sex,
         pop.education_level, pop.permit_type, pop.origin, pop.start, pop.post_end;
ALTER TABLE me.analysis ADD PRIMARY KEY (person_id);
ALTER TABLE me.analysis ADD COLUMN change float8;
UPDATE me.analysis SET change = post_share - pre_share;
-- every mentored person with a truth is in it, with the truth's post share
SELECT count(*) FILTER (WHERE a.person_id IS NULL) AS mentored_missing,
       count(*) FILTER (WHERE abs(a.post_share - m.true_share_treated) > 1e-12) AS post_share_not_truth
FROM me.mentoring m LEFT JOIN me.analysis a USING (person_id)
WHERE m.true_share_treated IS NOT NULL;
CREATE TEMP TABLE truth AS
SELECT avg(m.true_share_treated - m.true_share_untreated) AS att
FROM me.mentoring m JOIN me.analysis a USING (person_id);

-- the propensity model recovers the generator's index (methods.md):
-- family-reunified is the first permit level, F the first sex level
CREATE TEMP TABLE pm AS
SELECT * FROM propensity_model('me.analysis', 'person_id', 'mentored',
                               ARRAY['age', 'sex', 'education_level', 'permit_type', 'origin']);
SELECT p.term, round(p.estimate::numeric, 2) AS estimate, t.truth,
       abs(p.estimate - t.truth) < 3 * p.std_error AS within_3_se
FROM pm p JOIN (VALUES ('age', -0.05), ('sex=M', -0.4), ('education_level', -0.45),
                       ('permit_type=other', -1.1), ('permit_type=refugee', 0.2),
                       ('origin=vestlig', -0.5)) t(term, truth) USING (term)
ORDER BY p.term;
SELECT n_treated, n_control, n_dropped FROM pm LIMIT 1;

CREATE TABLE me.score AS
SELECT unit AS person_id, score
FROM propensity_scores('me.analysis', 'person_id', 'mentored',
                       ARRAY['age', 'sex', 'education_level', 'permit_type', 'origin']);
CREATE VIEW me.scored AS SELECT a.*, s.score FROM me.analysis a JOIN me.score s USING (person_id);
SELECT count(*) AS scored, bool_and(score > 0 AND score < 1) AS in_0_1 FROM me.scored;

-- 1:1 nearest neighbour, caliper 0.2 SD of the logit
CREATE TABLE me.matched AS
SELECT * FROM match_nearest('me.scored', 'person_id', 'mentored', 'score');
SELECT treated, count(*) AS persons, sum(weight) AS weight
FROM me.matched GROUP BY treated ORDER BY treated;
SELECT count(*) FILTER (WHERE treated) >= 0.95 * (SELECT count(*) FROM me.analysis WHERE mentored)
       AS most_mentored_matched
FROM me.matched;

-- balance before and after: strong imbalance before; the 1:1 match
-- (one control in three, few controls at the highest scores) reduces it
-- at least threefold, the ATT weights of ipw_weights below 0.05
CREATE VIEW me.matched_persons AS
SELECT a.*, coalesce(m.weight, 0) AS match_weight
FROM me.analysis a LEFT JOIN me.matched m ON m.unit = a.person_id;
CREATE TEMP TABLE bal AS
SELECT * FROM balance_table('me.matched_persons', 'person_id', 'mentored',
                            ARRAY['age', 'sex', 'education_level', 'permit_type', 'origin', 'pre_share'],
                            weight_column => 'match_weight');
SELECT sample, count(*) AS terms, round(max(abs(std_mean_diff))::numeric, 3) AS max_abs_smd
FROM bal GROUP BY sample ORDER BY sample DESC;
SELECT max(abs(std_mean_diff)) FILTER (WHERE sample = 'unadjusted') > 0.5 AS imbalanced_before,
       max(abs(std_mean_diff)) FILTER (WHERE sample = 'adjusted')
       < max(abs(std_mean_diff)) FILTER (WHERE sample = 'unadjusted') / 3 AS matching_reduces_3x
FROM bal;

-- the effect
CREATE TABLE me.ipw AS SELECT * FROM ipw_weights('me.scored', 'person_id', 'mentored', 'score');
CREATE TABLE me.entropy AS
SELECT * FROM entropy_balance('me.analysis', 'person_id', 'mentored',
                              ARRAY['age', 'sex', 'education_level', 'permit_type', 'origin']);
CREATE VIEW me.ipw_persons AS
SELECT a.*, w.weight AS ipw_weight FROM me.analysis a JOIN me.ipw w ON w.unit = a.person_id;
SELECT max(abs(std_mean_diff)) < 0.05 AS ipw_balanced
FROM balance_table('me.ipw_persons', 'person_id', 'mentored',
                   ARRAY['age', 'sex', 'education_level', 'permit_type', 'origin', 'pre_share'],
                   weight_column => 'ipw_weight')
WHERE sample = 'adjusted';
CREATE TEMP TABLE est AS
SELECT 'naive' AS design,
       avg(post_share) FILTER (WHERE mentored) - avg(post_share) FILTER (WHERE NOT mentored) AS estimate
FROM me.analysis
UNION ALL
SELECT 'did', (did(pre_share, post_share, mentored)).estimate FROM me.analysis
UNION ALL
SELECT 'matched naive',
       sum(a.post_share * m.weight) FILTER (WHERE a.mentored) / sum(m.weight) FILTER (WHERE a.mentored)
       - sum(a.post_share * m.weight) FILTER (WHERE NOT a.mentored) / sum(m.weight) FILTER (WHERE NOT a.mentored)
FROM me.analysis a JOIN me.matched m ON m.unit = a.person_id
UNION ALL
SELECT 'matched did_weighted', (did_weighted(a.pre_share, a.post_share, a.mentored, m.weight)).estimate
FROM me.analysis a JOIN me.matched m ON m.unit = a.person_id
UNION ALL
SELECT 'ipw did_weighted', (did_weighted(a.pre_share, a.post_share, a.mentored, w.weight)).estimate
FROM me.analysis a JOIN me.ipw w ON w.unit = a.person_id
UNION ALL
SELECT 'entropy did_weighted', (did_weighted(a.pre_share, a.post_share, a.mentored, w.weight)).estimate
FROM me.analysis a JOIN me.entropy w ON w.unit = a.person_id;

CREATE VIEW me.panel AS
SELECT a.person_id, x.period, x.share, CASE WHEN a.mentored THEN 2 ELSE 0 END AS cohort,
       a.age, a.education_level,
       (a.sex = 'F')::int AS female, (a.permit_type = 'refugee')::int AS refugee,
       (a.permit_type = 'other')::int AS other_permit, (a.origin = 'vestlig')::int AS western,
       coalesce(m.weight, 0) AS match_weight
FROM me.analysis a
LEFT JOIN me.matched m ON m.unit = a.person_id
CROSS JOIN LATERAL (VALUES (1, a.pre_share), (2, a.post_share)) x(period, share);
CREATE VIEW me.matched_panel AS SELECT * FROM me.panel WHERE match_weight > 0;
INSERT INTO est
SELECT 'att_gt matched', estimate
FROM att_gt('me.matched_panel', 'share', 'person_id', 'period', 'cohort', weight_column => 'match_weight')
WHERE post
UNION ALL
SELECT 'att_gt dr covariates', estimate
FROM att_gt('me.panel', 'share', 'person_id', 'period', 'cohort',
            covariate_columns => ARRAY['age', 'education_level', 'female', 'refugee', 'other_permit', 'western'])
WHERE post
UNION ALL
SELECT 'att_gt', estimate FROM att_gt('me.panel', 'share', 'person_id', 'period', 'cohort') WHERE post;

SELECT e.design, round(e.estimate::numeric, 3) AS estimate, round(t.att::numeric, 3) AS truth,
       CASE WHEN e.design IN ('naive') THEN e.estimate < t.att - 0.05
            WHEN e.design IN ('did', 'att_gt') THEN e.estimate < t.att - 0.03
            ELSE abs(e.estimate - t.att) < 0.035 END AS as_expected
FROM est e CROSS JOIN truth t
ORDER BY e.design;
-- att_gt's cell on the matched panel is did_weighted's estimate
SELECT abs((SELECT estimate FROM est WHERE design = 'att_gt matched')
           - (SELECT estimate FROM est WHERE design = 'matched did_weighted')) < 1e-9 AS att_gt_is_did_weighted,
       abs((SELECT estimate FROM est WHERE design = 'att_gt')
           - (SELECT estimate FROM est WHERE design = 'did')) < 1e-9 AS att_gt_is_did;

-- bad selection argument
\set VERBOSITY terse
SELECT * FROM synthetic_persons(7, 1, 3, 156, selection => 'random');
SELECT * FROM synthetic_persons(7, 1, 3, 156, selection => NULL);
SELECT generate_register('me', 10, 7, selection => NULL);
\set VERBOSITY default
SET client_min_messages = warning;
DROP SCHEMA me CASCADE;
