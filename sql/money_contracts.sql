-- Outcome contracts: M12 payout mechanics (docs/methods.md, docs/contracts.md), validation errors with JSON paths.
\i sql/include/expect_error.sql

-- M12.3 rate card (DWP Innovation Fund card B, per-participant cap 11,700)
CREATE TABLE rc_out (participant text, outcome text, day date);
INSERT INTO rc_out VALUES
  -- p1: attendance 1,400 + L2 3,300 + job13 3,500 + job26 2,000 = 10,200 (under the cap)
  ('p1', 'attendance', '2013-02-01'), ('p1', 'nqf2', '2013-05-01'), ('p1', 'job13', '2013-08-01'), ('p1', 'job26', '2013-11-01'),
  -- p2: L1 1,100 + L2 3,300 + L3 5,100 + job13 3,500 = 13,000 -> capped at 11,700
  ('p2', 'nqf1', '2013-02-01'), ('p2', 'nqf2', '2013-04-01'), ('p2', 'nqf3', '2013-06-01'), ('p2', 'job13', '2013-08-01'),
  -- p3: job26 without job13 -> 0 for job26
  ('p3', 'job26', '2013-08-01');
CREATE TABLE ct (name text PRIMARY KEY, doc jsonb);
INSERT INTO ct VALUES ('card_b', '{"name": "DWP IF card B", "currency": "GBP", "start": "2012-04-01", "period": "quarter", "components": [{"type": "rate_card", "name": "card", "per_participant_cap": 11700, "outcomes": [{"outcome": "attitude", "price": 700}, {"outcome": "attendance", "price": 1400}, {"outcome": "behaviour", "price": 1300}, {"outcome": "qcf_entry", "price": 900}, {"outcome": "basic_skills", "price": 900}, {"outcome": "nqf1", "price": 1100}, {"outcome": "nqf2", "price": 3300}, {"outcome": "nqf3", "price": 5100}, {"outcome": "nqf4_he", "price": 2000}, {"outcome": "esol", "price": 1200}, {"outcome": "job13", "price": 3500}, {"outcome": "job26", "price": 2000, "requires": ["job13"]}]}]}');
-- per participant: run each alone
CREATE FUNCTION pg_temp.card_total(p text) RETURNS numeric LANGUAGE plpgsql AS $f$
DECLARE t numeric;
BEGIN
  EXECUTE format('CREATE TEMP TABLE rc_one AS SELECT * FROM rc_out WHERE participant = %L', p);
  SELECT coalesce(sum(amount_due), 0) INTO t FROM contract_schedule((SELECT doc FROM ct WHERE name = 'card_b'), 'rc_one');
  DROP TABLE rc_one;
  RETURN t;
END $f$;
SELECT pg_temp.card_total('p1') AS p1_10200, pg_temp.card_total('p2') AS p2_capped_11700, pg_temp.card_total('p3') AS p3_job26_alone_0;
-- the whole schedule: quarters, amounts before and after the per-participant cap
SELECT period, pay_day, component, outcomes, amount_uncapped, amount_due, cumulative_due, capped, note
FROM contract_schedule((SELECT doc FROM ct WHERE name = 'card_b'), 'rc_out');
-- a programme cap of 20,000 stops payments once reached
SELECT period, amount_uncapped, amount_due, cumulative_due, capped, note
FROM contract_schedule(jsonb_set((SELECT doc FROM ct WHERE name = 'card_b'), '{programme_cap}', '20000'), 'rc_out');

-- M12.1 threshold vs comparison group (Peterborough): 142 vs 155 events per 100
--   relative reduction 1 - 142/155 = 0.083871; theta 0.10 -> no pay, theta 0.075 -> pay
--   events avoided = (155 - 142) / 100 * 1,000 = 130
CREATE TABLE pb_out (outcome text, cohort text, day date, value numeric, comparison numeric, n numeric);
INSERT INTO pb_out VALUES ('reconvictions', '1', '2012-06-30', 142, 155, 1000);
SELECT round(1 - 142 / 155.0, 6) AS rel_reduction;
SELECT component, round(outcomes, 6) AS events_avoided, round(amount_due, 2) AS amount_due, note
FROM contract_schedule('{"name": "pb", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.10, "price": 1000, "per": 100}]}', 'pb_out');
SELECT component, round(outcomes, 6) AS events_avoided, round(amount_due, 2) AS amount_due, note
FROM contract_schedule('{"name": "pb", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.075, "price": 1000, "per": 100}]}', 'pb_out');
-- with a cap of 100,000: 130 x 1,000 = 130,000 -> 100,000
SELECT round(amount_uncapped, 2) AS amount_uncapped, amount_due, capped
FROM contract_schedule('{"name": "pb", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.075, "price": 1000, "per": 100, "cap": 100000}]}', 'pb_out');

-- M12.2 share of public gain (Koto-SIB)
--   Epiqus: SIB group 10 units, control 4, share 0.5 -> 0.5 x (10 - 4) = 3
CREATE TABLE ks_epiqus (outcome text, day date, value numeric, comparison numeric, n numeric);
INSERT INTO ks_epiqus VALUES ('public_gain', '2019-12-31', 10, 4, 1);
SELECT amount_due AS epiqus_3
FROM contract_schedule('{"name": "e", "currency": "EUR", "start": "2016-01-01", "components": [{"type": "gain_share", "metric": "public_gain", "share": 0.5}]}', 'ks_epiqus');
--   Koto evaluation: gain 2,670 per person, n = 2,636, share 0.5 -> 0.5 x 2,636 x 2,670 = 3,519,060
CREATE TABLE ks_eval (outcome text, day date, value numeric, comparison numeric, n numeric);
INSERT INTO ks_eval VALUES ('public_gain', '2022-12-31', 2670, 0, 2636);
SELECT amount_due AS koto_3519060
FROM contract_schedule('{"name": "k", "currency": "EUR", "start": "2016-01-01", "components": [{"type": "gain_share", "metric": "public_gain", "share": 0.5}]}', 'ks_eval');

-- M12.6 resultattilskud (2024 amounts)
--   spell starts month 30, 30 weeks at 25 h -> 88,817; month 40 -> 59,210; 30 weeks at 15 h -> 0
SELECT resultattilskud_amount('employment', 30, 30, 25, '2024-07-01') AS month30_88817,
       resultattilskud_amount('employment', 40, 30, 25, '2024-07-01') AS month40_59210,
       resultattilskud_amount('employment', 30, 30, 15, '2024-07-01') AS hours15_0,
       resultattilskud_amount('employment', 30, 20, 25, '2024-07-01') AS weeks20_0,
       resultattilskud_amount('danish_test', 12, NULL, NULL, '2024-07-01') AS danish_test_37895,
       resultattilskud_amount('employment', 61, 30, 25, '2024-07-01') AS month61_0;
CREATE TABLE rt_out (participant text, outcome text, day date, programme_month int, value numeric, hours numeric);
INSERT INTO rt_out VALUES
  ('a', 'employment', '2024-03-04', 30, 30, 25),   -- 88,817
  ('a', 'employment', '2024-09-02', 36, 40, 30),   -- second spell of the same person: not paid again
  ('b', 'employment', '2024-05-06', 40, 30, 25),   -- 59,210
  ('c', 'employment', '2024-05-06', 30, 30, 15),   -- 15 h: 0
  ('c', 'danish_test', '2024-06-03', 20, NULL, NULL); -- 37,895
SELECT period, outcomes, amount_due, cumulative_due
FROM contract_schedule('{"name": "rt", "currency": "DKK", "start": "2022-01-01", "components": [{"type": "resultattilskud"}]}', 'rt_out');

-- M12.4/5 savings-based payment with an investor return cap (Buzinezzclub-style, 12 % a year)
--   avoided weeks per year valued at kontanthjaelp 2024 (2,844.4615/week)
CREATE TABLE sv_out (outcome text, day date, value numeric);
INSERT INTO sv_out VALUES ('avoided_weeks', '2024-03-31', 100), ('avoided_weeks', '2024-06-30', 100),
                          ('avoided_weeks', '2024-09-30', -20), ('avoided_weeks', '2024-12-31', 300);
-- uncapped: 284,446.15 then 284,446.15, then -56,889.23 (nothing paid, no claw-back),
--   in cents as changes of the rounded cumulative: 284,446.15, 568,892.31 - 284,446.15 = 284,446.16,
--   then 300 weeks = 853,338.46 less the 56,889.23 shortfall = 796,449.23
SELECT period, pay_day, outcomes, round(amount_uncapped, 2) AS uncapped, round(amount_due, 2) AS due,
       round(cumulative_due, 2) AS cumulative, capped
FROM contract_schedule('{"name": "sv", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "savings", "category": "kontanthjaelp"}]}', 'sv_out');
-- with investment 1,000,000 on 2024-01-01 and return cap 12 %: cumulative paid <= 1e6 x 1.12^(days/365)
--   at pay day 2025-01-01 (366 days): 1e6 x 1.12^(366/365) = 1,120,347.80
SELECT period, round(amount_due, 2) AS due, round(cumulative_due, 2) AS cumulative, capped, note
FROM contract_schedule('{"name": "sv", "currency": "DKK", "start": "2024-01-01", "investment": 1000000, "return_cap": {"rate": 0.12}, "components": [{"type": "savings", "category": "kontanthjaelp"}]}', 'sv_out');
SELECT round(1000000 * 1.12 ^ (366 / 365.0), 2) AS cap_at_2025_01_01;

-- gain share with a shortfall (share 1): gains +10, -6, +4, +5 a quarter; a fee of 100 is paid regardless
CREATE TABLE gs_out (outcome text, day date, value numeric, comparison numeric, n numeric);
INSERT INTO gs_out VALUES ('gain', '2020-03-01', 10, 0, 1), ('gain', '2020-06-01', 0, 6, 1), ('gain', '2020-09-01', 4, 0, 1),
                          ('gain', '2020-12-01', 5, 0, 1), ('training', '2020-09-15', 1, NULL, NULL);
-- running gain 10, 4, 8, 13 -> high-water mark 10, 10, 10, 13 -> paid 10, 0, 0 (+ fee 100), 3
SELECT period, outcomes, amount_due, cumulative_due, note
FROM contract_schedule('{"name": "g", "currency": "EUR", "start": "2020-01-01", "components": [{"type": "gain_share", "metric": "gain", "share": 1, "fees": [{"outcome": "training", "price": 100}]}]}', 'gs_out');
-- resultattilskud with a component cap of 100,000: 88,817 then 97,105 -> 11,183 paid in Q2
SELECT period, amount_uncapped, amount_due, cumulative_due, capped
FROM contract_schedule('{"name": "rt", "currency": "DKK", "start": "2022-01-01", "components": [{"type": "resultattilskud", "cap": 100000}]}', 'rt_out');
-- no resultattilskud amounts for 2019
CREATE TABLE rt_old (participant text, outcome text, day date, programme_month int, value numeric, hours numeric);
INSERT INTO rt_old VALUES ('a', 'employment', '2019-03-04', 30, 30, 25);
SELECT pg_temp.expect_error($$ SELECT * FROM contract_schedule('{"name": "rt", "currency": "DKK", "start": "2018-01-01", "components": [{"type": "resultattilskud"}]}', 'rt_old') $$);

-- validation: normalised document with defaults
SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "savings", "category": "kontanthjaelp"}]}');

-- bad contracts: errors name the JSON path
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [], "colour": "red"}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "rate_card", "outcomes": [{"outcome": "job13", "prise": 3500}]}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "rate_card", "outcomes": [{"outcome": "job13", "price": 3500}, {"outcome": "job26"}]}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "rate_card", "per_participant_cap": -1, "outcomes": [{"outcome": "job13", "price": 3500}]}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "programme_cap": -5, "components": [{"type": "resultattilskud"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "rate_card", "outcomes": [{"outcome": "job26", "price": 1, "requires": ["job13"]}]}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "threshold", "metric": "m", "cohort_threshold": 1.5, "price": 1}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "bonus"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "savings"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-13-01", "components": [{"type": "resultattilskud"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "kr", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "gain_share", "metric": "g", "share": "half"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "return_cap": {"rate": 0.12}, "components": [{"type": "resultattilskud"}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "investment": [{"day": "2024-01-01", "amount": -10}], "components": [{"type": "resultattilskud"}]}') $$);
-- bad outcome rows
CREATE TABLE bad_out (participant text, outcome text, day date);
INSERT INTO bad_out VALUES (NULL, 'job13', '2013-01-01');
SELECT pg_temp.expect_error($$ SELECT * FROM contract_schedule((SELECT doc FROM ct WHERE name = 'card_b'), 'bad_out') $$);
INSERT INTO bad_out VALUES ('p', NULL, '2013-01-01');
SELECT pg_temp.expect_error($$ SELECT * FROM contract_schedule((SELECT doc FROM ct WHERE name = 'card_b'), 'bad_out') $$);
CREATE TABLE nocols (x int);
SELECT pg_temp.expect_error($$ SELECT * FROM contract_schedule((SELECT doc FROM ct WHERE name = 'card_b'), 'nocols') $$);
-- unmatched outcome rows are reported
DELETE FROM bad_out; INSERT INTO bad_out VALUES ('p', 'job13', '2013-01-01'), ('p', 'jobb13', '2013-01-01');
SELECT amount_due FROM contract_schedule((SELECT doc FROM ct WHERE name = 'card_b'), 'bad_out');
