-- A plain role that owns nothing can use the measures: it needs SELECT on
-- its own register tables and nothing else. The configuration tables the
-- measures read (benefit_code, classification_profile, classification_rule,
-- benefit_rate, refusion_step, resultattilskud_rate) are readable by
-- PUBLIC; writing them stays with their owner. The role runs the README
-- tour and the tutorial (docs/tutorial.md) at a small scale, in temporary
-- tables and views, and its answers are compared with the superuser's.
SET datestyle = ISO;
SET max_parallel_workers_per_gather = 0;   -- the same plans, so the same float sums, for the role and the superuser
\i sql/include/expect_error.sql

CREATE SCHEMA pr;
SELECT generate_register('pr', 800, 1);    -- the tutorial's seed
CREATE ROLE regress_si_plain LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT USAGE ON SCHEMA pr TO regress_si_plain;
GRANT SELECT ON ALL TABLES IN SCHEMA pr TO regress_si_plain;

SET ROLE regress_si_plain;
-- nothing of its own, no membership, no privilege beyond the grants above
SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolbypassrls
FROM pg_roles WHERE rolname = current_user;
SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'regress_si_plain'::regrole) AS relations_owned,
       (SELECT count(*) FROM pg_namespace WHERE nspowner = 'regress_si_plain'::regrole) AS schemas_owned,
       (SELECT count(*) FROM pg_auth_members WHERE member = 'regress_si_plain'::regrole) AS memberships;

-- the configuration tables are readable, their shipped rows visible
SELECT (SELECT count(*) > 0 FROM benefit_code) AS benefit_code,
       (SELECT count(*) FROM classification_profile) AS profiles,
       (SELECT count(*) > 0 FROM classification_rule) AS rules,
       (SELECT count(*) > 0 FROM benefit_rate) AS benefit_rate,
       (SELECT count(*) > 0 FROM refusion_step) AS refusion_step,
       (SELECT count(*) > 0 FROM resultattilskud_rate) AS resultattilskud_rate;

-- README, "A 10-line tour" (tables in pg_temp: the role may create nothing else)
CREATE TEMP TABLE path AS SELECT person_id, path_cover(path, '2019-01-07', '2023-12-25') AS path
  FROM benefit_paths_scan('pr.benefit_week');
SELECT count(*) AS persons_with_a_path FROM path;
SELECT count(*) AS shares, count(*) FILTER (WHERE s BETWEEN 0 AND 1) AS in_0_1
FROM (SELECT selfsufficiency_share(path, '2021-01-04', '2021-12-27') AS s FROM path) x;
CREATE TEMP TABLE tour_rate AS
SELECT p.municipality, rate_person_weighted(selfsufficiency_state(x.path, '2022-01-03', '2022-12-26', 'strict'), 80) AS rate
FROM pr.person p JOIN path x USING (person_id) GROUP BY 1;
-- profiles other than strict read classification_profile and classification_rule
CREATE TEMP TABLE tour_profiles AS
SELECT profile, rate_person_weighted(selfsufficiency_state(x.path, '2022-01-03', '2022-12-26', profile)) AS rate
FROM path x, (VALUES ('strict'), ('with_education'), ('with_leave')) v(profile) GROUP BY 1;
SELECT benefit_state(651, '2022-01-03', 'with_education') AS su_with_education,
       benefit_category(130, '2022-01-03') AS category_130;
-- 2x2 DiD on person outcomes built from the paths
CREATE TEMP TABLE person_outcomes AS
SELECT p.person_id, p.municipality, p.mentor_start IS NOT NULL AS treated,
       selfsufficiency_share(x.path, '2019-01-07', '2019-12-30') AS pre,
       selfsufficiency_share(x.path, '2022-01-03', '2022-12-26') AS post
FROM pr.person p JOIN path x USING (person_id);
CREATE TEMP TABLE tour_did AS
SELECT (did(pre, post, treated, municipality)).* FROM person_outcomes WHERE pre IS NOT NULL AND post IS NOT NULL;
SELECT round(npv(amount, years, 0.035), 2) AS npv, round(irr(amount, years)::numeric, 4) AS irr
FROM (VALUES (-1000000, 0), (400000, 1), (400000, 2), (400000, 3)) f(amount, years);
CREATE TEMP TABLE tour_unmapped AS SELECT * FROM unmapped_codes('pr.benefit_week', 'code', 'week');
-- money: rates, the refusion staircase and the resultattilskud amounts
SELECT benefit_rate_at('kontanthjaelp', '2024-06-03') = 12326 * 12 / 52.0 AS weekly_rate,
       category_payer_rule('kontanthjaelp', '2024-06-03') AS payer_rule,
       kommune_share('refusion', 10, '2024-06-03') AS kommune_share_week_10,
       resultattilskud_amount('employment', 30, 30, 25, '2024-07-01') AS resultattilskud;
SELECT weekly_rate = 12326 * 12 / 52.0 AS same_rate, payer_rule, kommune = round(10 * (12326 * 12 / 52.0) * 0.6, 2) AS kommune_60
FROM benefit_savings(10, 'kontanthjaelp', '2024-06-03', 10);
CREATE TEMP TABLE tour_cost AS
SELECT x.person_id, c.* FROM (SELECT * FROM path ORDER BY person_id LIMIT 20) x,
LATERAL path_benefit_cost(x.path, '2023-01-02', '2023-12-25', price_date => '2024-06-03') c;

-- docs/tutorial.md at a small scale: the panel as a temporary view
CREATE TEMP VIEW quarterly AS
WITH pq AS (
	SELECT p.person_id, q,
	       coalesce(weeks_between('2019-01-07', p.mentor_start) / 13 + 1, 0) AS cohort
	FROM pr.person p, generate_series(1, 20) q
	WHERE date '2019-01-07' + 91 * (q - 1) >= p.arrival_week + 182
), wk AS (
	SELECT person_id, weeks_between('2019-01-07', week) / 13 + 1 AS q,
	       count(*) FILTER (WHERE benefit_state(code, week) = 'censored') AS censored,
	       count(*) FILTER (WHERE benefit_state(code, week) IN ('benefit', 'unknown')) AS on_benefit
	FROM pr.benefit_week GROUP BY 1, 2
)
SELECT pq.person_id, pq.q, pq.cohort,
       (13 - coalesce(wk.censored, 0) - coalesce(wk.on_benefit, 0))::float8
         / (13 - coalesce(wk.censored, 0)) AS share
FROM pq LEFT JOIN wk USING (person_id, q)
WHERE coalesce(wk.censored, 0) < 13;
SELECT value IS NOT NULL AS true_att_readable FROM pr.register_info WHERE key = 'true_att';
CREATE TEMP TABLE tut_sample AS SELECT * FROM att_gt_sample('quarterly', 'share', 'person_id', 'q', 'cohort');
-- the tutorial estimates on the persons observed in all 20 quarters
CREATE TEMP TABLE panel AS
SELECT * FROM quarterly
WHERE person_id IN (SELECT person_id FROM quarterly GROUP BY person_id HAVING count(*) = 20);
CREATE TEMP TABLE tut_att AS SELECT * FROM att_gt('panel', 'share', 'person_id', 'q', 'cohort');
CREATE TEMP TABLE tut_dynamic AS
SELECT * FROM att_gt_aggregate('panel', 'share', 'person_id', 'q', 'cohort', type => 'dynamic', min_e => -4, max_e => 6);
CREATE TEMP TABLE tut_pretest AS SELECT * FROM att_gt_pretest('panel', 'share', 'person_id', 'q', 'cohort');
SELECT (SELECT count(*) > 0 FROM tut_sample) AS sample, (SELECT count(*) > 0 FROM tut_att) AS cells,
       (SELECT count(*) > 0 FROM tut_dynamic) AS event_study,
       (SELECT count(*) FROM tut_pretest) AS pretest;

-- writing the configuration tables stays with their owner
SELECT t AS config_table,
       pg_temp.expect_error(format('INSERT INTO %I SELECT * FROM %I LIMIT 1', t, t)) AS insert,
       pg_temp.expect_error(format('UPDATE %I SET source = source', t)) AS update,
       pg_temp.expect_error(format('DELETE FROM %I', t)) AS delete,
       pg_temp.expect_error(format('TRUNCATE %I', t)) AS truncate
FROM unnest(ARRAY['benefit_code', 'classification_profile', 'classification_rule',
                  'benefit_rate', 'refusion_step', 'resultattilskud_rate']) t;
SELECT pg_temp.expect_error($$ INSERT INTO benefit_rate (category, valid_from, weekly_rate) VALUES ('dagpenge', '2030-01-01', 1) $$) AS user_row;

-- the same answers as the superuser gets (the role's temporary tables are
-- readable by the superuser in this session)
RESET ROLE;
SELECT (SELECT count(*) FROM path) = (SELECT count(*) FROM benefit_paths_scan('pr.benefit_week')) AS same_paths,
       NOT EXISTS (SELECT p.municipality, rate_person_weighted(selfsufficiency_state(x.path, '2022-01-03', '2022-12-26', 'strict'), 80)
                   FROM pr.person p JOIN path x USING (person_id) GROUP BY 1
                   EXCEPT SELECT * FROM tour_rate) AS same_rates,
       (SELECT count(DISTINCT rate) FROM tour_profiles) > 1 AS profiles_differ,
       NOT EXISTS (SELECT (did(pre, post, treated, municipality)).* FROM person_outcomes WHERE pre IS NOT NULL AND post IS NOT NULL
                   EXCEPT SELECT * FROM tour_did) AS same_did,
       NOT EXISTS (SELECT * FROM unmapped_codes('pr.benefit_week', 'code', 'week') EXCEPT SELECT * FROM tour_unmapped) AS same_unmapped,
       (SELECT count(*) FROM tour_cost) > 0 AS costed,
       NOT EXISTS (SELECT * FROM att_gt('panel', 'share', 'person_id', 'q', 'cohort') EXCEPT SELECT * FROM tut_att) AS same_att_gt,
       NOT EXISTS (SELECT * FROM att_gt_pretest('panel', 'share', 'person_id', 'q', 'cohort') EXCEPT SELECT * FROM tut_pretest) AS same_pretest;

DROP VIEW quarterly;
DROP TABLE path, tour_rate, tour_profiles, person_outcomes, tour_did, tour_unmapped, tour_cost,
	tut_sample, panel, tut_att, tut_dynamic, tut_pretest;
SET client_min_messages = warning;	-- the generated register's tables (a list that grows)
DROP SCHEMA pr CASCADE;
RESET client_min_messages;
DROP ROLE regress_si_plain;
