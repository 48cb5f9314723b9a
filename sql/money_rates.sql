-- Money reference data: rates, refusion staircase, resultattilskud; savings
-- and the kommune/stat split (docs/methods.md: 2024 rates, M8, M9).
\i sql/include/expect_error.sql

-- shipped 2024 rates (monthly * 12 / 52, unrounded) are marked as such
SELECT category, variant, valid_from, valid_to, monthly_rate, round(weekly_rate, 2) AS weekly_2dp,
       basis LIKE '2024 figure%' AS marked_2024
FROM benefit_rate WHERE source = 'shipped' ORDER BY category, variant;
-- kontanthjaelp >= 30 not a provider: 12,326 * 12 / 52 = 2,844.4615...
SELECT abs(benefit_rate_at('kontanthjaelp', '2024-06-03') - 12326 * 12 / 52.0) < 1e-12 AS rate_exact;

-- the staircase (LBK 221 section 5)
SELECT payer_rule, first_week, last_week, law_rate, kommune_share
FROM refusion_step WHERE source = 'shipped' ORDER BY payer_rule, first_week;
SELECT s, kommune_share('refusion', s, '2024-06-03') AS refusion_kommune,
       kommune_share('cofinancing', s, '2024-06-03') AS cofinancing_kommune
FROM unnest(ARRAY[1, 4, 5, 26, 27, 52, 53, 500]) s;

-- M8: DiD 0.25 x 8 post weeks x 2 treated = 4 avoided weeks;
--     4 x 2,844.4615 (12,326 x 12 / 52) = 11,377.846 -> 11,377.85
SELECT round(gross, 2) AS m8_savings FROM benefit_savings(0.25 * 8 * 2, 'kontanthjaelp', '2024-06-03', 60);
-- M8 scaled: 0.12 x 52 = 6.24 weeks/person -> 6.24 x 2,844.4615 = 17,749.44 per person;
--     100 persons: 624 x 12,326 x 12 / 52 = 624 x 2,844.4615 = 1,774,944 exactly
SELECT round(gross / 100, 2) AS per_person, round(gross, 2) AS m8_scaled
FROM benefit_savings(0.12 * 52 * 100, 'kontanthjaelp', '2024-06-03', 60);

-- M9: one avoided kontanthjaelp week at seniority 60 (>= 53: refusion 20 %):
--     2,844.46 x 0.80 = 2,275.57 (kommune), 2,844.46 x 0.20 = 568.89 (stat)
SELECT round(weekly_rate, 2) AS rate, round(kommune, 2) AS kommune, round(stat, 2) AS stat, payer_rule,
       kommune + stat = gross AS split_adds_up
FROM benefit_savings(1, 'kontanthjaelp', '2024-06-03', 60);
-- week 3 of a spell: refusion 80 % -> kommune 20 %: 2,844.4615 x 0.2 = 568.89
SELECT round(kommune, 2) AS kommune_s3, round(stat, 2) AS stat_s3 FROM benefit_savings(1, 'kontanthjaelp', '2024-06-03', 3);
-- dagpenge (co-financing) week 10: kommune 60 % of 20,359 x 12 / 52 = 4,698.23 -> 2,818.94
SELECT round(weekly_rate, 2) AS rate, round(kommune, 2) AS kommune, round(stat, 2) AS stat, payer_rule
FROM benefit_savings(1, 'dagpenge', '2024-06-03', 10);
-- payer_rule none: the split is unknown -> NULL with a NOTICE
INSERT INTO benefit_rate (category, valid_from, valid_to, weekly_rate, basis) VALUES ('su', '2024-01-01', '2025-01-01', 1500, 'test value');
SELECT gross, kommune IS NULL AND stat IS NULL AS split_unknown FROM benefit_savings(1, 'su', '2024-06-03', 10);
DELETE FROM benefit_rate WHERE source = 'user';

-- a user rate for 2025 takes over after the shipped period; user rows win inside it
INSERT INTO benefit_rate (category, valid_from, valid_to, monthly_rate, basis)
VALUES ('kontanthjaelp', '2025-01-01', '2026-01-01', 12609, 'test value');
SELECT round(benefit_rate_at('kontanthjaelp', '2025-03-03'), 4) AS rate_2025;
INSERT INTO benefit_rate (category, valid_from, valid_to, weekly_rate, basis)
VALUES ('kontanthjaelp', '2024-01-01', '2025-01-01', 3000, 'user override 2024');
SELECT benefit_rate_at('kontanthjaelp', '2024-03-04') AS overridden_2024;
DELETE FROM benefit_rate WHERE source = 'user';

-- resultattilskud amounts are shipped
SELECT kind, first_month, last_month, amount FROM resultattilskud_rate WHERE source = 'shipped' ORDER BY kind, first_month;

-- bad input
-- negative rate
SELECT pg_temp.expect_error($$ INSERT INTO benefit_rate (category, valid_from, weekly_rate) VALUES ('kontanthjaelp', '2026-01-01', -1) $$);
SELECT pg_temp.expect_error($$ INSERT INTO benefit_rate (category, valid_from, monthly_rate) VALUES ('kontanthjaelp', '2026-01-01', -100) $$);
SELECT pg_temp.expect_error($$ INSERT INTO benefit_rate (category, valid_from) VALUES ('kontanthjaelp', '2026-01-01') $$);
-- overlapping validity periods
INSERT INTO benefit_rate (category, valid_from, valid_to, weekly_rate) VALUES ('dagpenge', '2025-01-01', '2026-01-01', 4800);
SELECT pg_temp.expect_error($$ INSERT INTO benefit_rate (category, valid_from, valid_to, weekly_rate) VALUES ('dagpenge', '2025-07-01', '2027-01-01', 4900) $$);
INSERT INTO benefit_rate (category, valid_from, valid_to, weekly_rate) VALUES ('dagpenge', '2026-01-01', '2027-01-01', 4900);
SELECT pg_temp.expect_error($$ UPDATE benefit_rate SET valid_from = '2025-06-01' WHERE source = 'user' AND valid_from = '2026-01-01' $$);
DELETE FROM benefit_rate WHERE source = 'user';
SELECT pg_temp.expect_error($$ INSERT INTO refusion_step (payer_rule, first_week, last_week, law_rate, valid_from) VALUES ('refusion', 1, 10, 0.5, '2030-01-01'), ('refusion', 8, NULL, 0.2, '2030-01-01') $$);
SELECT pg_temp.expect_error($$ INSERT INTO refusion_step (payer_rule, first_week, last_week, law_rate, valid_from, valid_to) VALUES ('refusion', 1, NULL, 0.5, '2030-01-01', '2031-01-01'), ('refusion', 1, NULL, 0.4, '2030-06-01', '2032-01-01') $$);
SELECT pg_temp.expect_error($$ INSERT INTO refusion_step (payer_rule, first_week, law_rate, valid_from) VALUES ('refusion', 1, -0.2, '2030-01-01') $$);
SELECT pg_temp.expect_error($$ INSERT INTO resultattilskud_rate (kind, first_month, last_month, amount, valid_from) VALUES ('employment', 1, 36, -5, '2030-01-01') $$);
-- shipped rows are protected
SELECT pg_temp.expect_error($$ UPDATE benefit_rate SET weekly_rate = 1 WHERE source = 'shipped' $$);
SELECT pg_temp.expect_error($$ DELETE FROM refusion_step $$);
-- no rate in force / unknown category / staircase outside its validity / bad seniority
SELECT pg_temp.expect_error($$ SELECT benefit_rate_at('kontanthjaelp', '2019-01-07') $$);
SELECT pg_temp.expect_error($$ SELECT benefit_savings(1, 'kontanthjalp', '2024-06-03', 60) $$);
SELECT pg_temp.expect_error($$ SELECT kommune_share('refusion', 10, '2015-06-01') $$);
SELECT pg_temp.expect_error($$ SELECT kommune_share('refusion', 0, '2024-06-03') $$);
SELECT pg_temp.expect_error($$ SELECT kommune_share('none', 5, '2024-06-03') $$);
