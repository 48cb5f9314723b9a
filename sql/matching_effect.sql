-- Comparison groups on the generated register (docs/matching.md runs the
-- same steps on the same register and quotes these numbers): with
-- selection => 'observables' the mentored are drawn on the person columns
-- only, so the unadjusted estimates are biased and the estimates after
-- weighting on those columns recover the planted effect.
--
-- Tolerances: the realised truth is known per person (mentoring.true_share_*);
-- the weighted DiD has a standard error of about 0.012 on this register
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

-- entropy balancing: exact balance of the covariates' means
CREATE TABLE me.entropy AS
SELECT * FROM entropy_balance('me.analysis', 'person_id', 'mentored',
                              ARRAY['age', 'sex', 'education_level', 'permit_type', 'origin']);
CREATE VIEW me.weighted_persons AS
SELECT a.*, w.weight AS eb_weight FROM me.analysis a JOIN me.entropy w ON w.unit = a.person_id;
SELECT count(*) = (SELECT count(*) FROM me.analysis) AS every_person_weighted,
       bool_and(weight = 1) FILTER (WHERE treated) AS treated_weight_1
FROM me.entropy;

-- balance before and after: strong imbalance before, none after on the
-- balanced terms, and the pre-period share (not balanced on) much closer
CREATE TEMP TABLE bal AS
SELECT * FROM balance_table('me.weighted_persons', 'person_id', 'mentored',
                            ARRAY['age', 'sex', 'education_level', 'permit_type', 'origin', 'pre_share'],
                            weight_column => 'eb_weight');
SELECT sample, count(*) AS terms, round(max(abs(std_mean_diff))::numeric, 3) AS max_abs_smd
FROM bal WHERE term <> 'pre_share' GROUP BY sample ORDER BY sample DESC;
SELECT max(abs(std_mean_diff)) FILTER (WHERE sample = 'unadjusted') > 0.5 AS imbalanced_before,
       max(abs(std_mean_diff)) FILTER (WHERE sample = 'adjusted' AND term <> 'pre_share') < 0.001 AS balanced_after,
       max(abs(std_mean_diff)) FILTER (WHERE sample = 'adjusted' AND term = 'pre_share') < 0.05 AS pre_share_balanced
FROM bal;

-- the effect
CREATE TEMP TABLE est AS
SELECT 'naive' AS design,
       avg(post_share) FILTER (WHERE mentored) - avg(post_share) FILTER (WHERE NOT mentored) AS estimate
FROM me.analysis
UNION ALL
SELECT 'did', (did(pre_share, post_share, mentored)).estimate FROM me.analysis
UNION ALL
SELECT 'entropy naive',
       sum(post_share * eb_weight) FILTER (WHERE mentored) / sum(eb_weight) FILTER (WHERE mentored)
       - sum(post_share * eb_weight) FILTER (WHERE NOT mentored) / sum(eb_weight) FILTER (WHERE NOT mentored)
FROM me.weighted_persons
UNION ALL
SELECT 'entropy did_weighted', (did_weighted(pre_share, post_share, mentored, eb_weight)).estimate
FROM me.weighted_persons;

CREATE VIEW me.panel AS
SELECT a.person_id, x.period, x.share, CASE WHEN a.mentored THEN 2 ELSE 0 END AS cohort,
       a.age, a.education_level,
       (a.sex = 'F')::int AS female, (a.permit_type = 'refugee')::int AS refugee,
       (a.permit_type = 'other')::int AS other_permit, (a.origin = 'vestlig')::int AS western,
       a.eb_weight
FROM me.weighted_persons a
CROSS JOIN LATERAL (VALUES (1, a.pre_share), (2, a.post_share)) x(period, share);
INSERT INTO est
SELECT 'att_gt entropy', estimate
FROM att_gt('me.panel', 'share', 'person_id', 'period', 'cohort', weight_column => 'eb_weight')
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
-- att_gt's cell is the DiD of the same rows (weighted or not)
SELECT abs((SELECT estimate FROM est WHERE design = 'att_gt entropy')
           - (SELECT estimate FROM est WHERE design = 'entropy did_weighted')) < 1e-9 AS att_gt_is_did_weighted,
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
