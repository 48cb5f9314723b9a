-- Decision support: SØM-style net result by payer (docs/methods.md, M13), break-even
-- effect, sensitivity table, payout distribution, contract summary per party.
\i sql/include/expect_error.sql

-- M13: cost 1,000,000 (kommune, t = 0); 100 participants, extra success 12 pp -> 12 successes;
-- 22 fewer benefit weeks per success per year for 3 years at 2,844.4615 (12,326 x 12 / 52);
-- kommune share 0.8 (refusion 20 % at seniority >= 53): 2,844.4615 x 0.8 = 2,275.5692
--   yearly kommune saving 12 x 22 x 2,275.5692 = 600,750.28
--   PV at 3.5 %, end-of-year flows: 600,750.28 x 2.8016370 = 1,683,084.19 -> kommune net +683,084.19
--   state: 12 x 22 x 568.8923 = 150,187.57 a year, PV 150,187.57 x 2.8016370 = 420,771.05
SELECT payer, round(cost_pv, 2) AS cost_pv, round(savings_pv, 2) AS savings_pv, round(net, 2) AS net
FROM social_net_result(0.12, 100, 1000000, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035);
SELECT abs(net - 683084.19) < 0.005 AS m13_kommune_ok
FROM social_net_result(0.12, 100, 1000000, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035) WHERE payer = 'kommune';
SELECT abs(savings_pv - 420771.05) < 0.005 AS m13_state_ok
FROM social_net_result(0.12, 100, 1000000, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035) WHERE payer = 'stat';

-- persistence: constant, linear:2 (1, 0.5, 0), stop:1 (1, 0, 0)
SELECT k, effect_persistence('constant', k) AS c, effect_persistence('linear:2', k) AS lin2,
       effect_persistence('stop:1', k) AS stop1
FROM generate_series(1, 3) k;

-- break-even without a contract: kommune net is linear in the effect,
--   net(e) = e / 0.12 x 1,683,084.19 - 1,000,000 = 0 -> e = 0.12 x 1,000,000 / 1,683,084.19 = 0.0712977
SELECT criterion, round(effect::numeric, 7) AS effect,
       abs(effect - 0.12 * 1000000 / (12 * 22 * (12326 * 12 / 52.0) * 0.8 * (1.035 ^ (-1) + 1.035 ^ (-2) + 1.035 ^ (-3)))) < 1e-9 AS closed_form_ok
FROM break_even_effect(100, 1000000, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035);
-- not reached below max_effect: NULL with a NOTICE
SELECT criterion, effect FROM break_even_effect(100, 1e9, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035);

-- sensitivity: effect x duration x rate x price factor
--   e = 0.12, stop:1: 600,750.28 x 1.035^-1 - 1e6 = -419,564.95
--   e = 0.12, linear:2: 600,750.28 x (1.035^-1 + 0.5 x 1.035^-2) = 600,750.28 x 1.4329395 - 1e6 = -139,161.54
--   price factor 0.5 halves the savings: 0.5 x 1,683,084.19 - 1e6 = -158,457.90
SELECT effect, duration, rate, price_factor, round(kommune_net, 2) AS kommune_net, round(stat_net, 2) AS stat_net,
       round(total_net, 2) AS total_net
FROM sensitivity_table(100, 1000000, 22, 3, 12326 * 12 / 52.0, 0.8, ARRAY[0.06, 0.12],
                       ARRAY['constant', 'linear:2', 'stop:1'], ARRAY[0.035], ARRAY[0.5, 1.0]);

-- A Danish-style savings contract: investor pre-finances 1,000,000 on 2024-01-01; the kommune
-- pays 50 % of the avoided kontanthjaelp weeks at 2,844.4615 a year after each contract year.
CREATE TABLE dk (doc jsonb);
INSERT INTO dk VALUES ('{"name": "DK savings SIB", "currency": "DKK", "start": "2024-01-01", "period": "year",
  "investment": 1000000, "return_cap": {"rate": 0.12},
  "components": [{"type": "savings", "category": "kontanthjaelp", "price_per_week": 2844.461538461538461538, "share": 0.5, "seniority": 53}]}');
-- yearly payment = 0.5 x e x 100 x 22 x 2,844.4615 = e x 3,128,907.69; investor gets the capital back when
--   3 x e x 3,128,907.69 >= 1,000,000 -> e = 0.1065335; the kommune (0.8 of the savings, pays 0.5) never loses: e = 0
SELECT criterion, round(effect::numeric, 7) AS effect
FROM break_even_effect(100, 0, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035, 'constant', (SELECT doc FROM dk));
SELECT round(1000000 / (3 * 0.5 * 100 * 22 * (12326 * 12 / 52.0)), 7) AS investor_break_even_closed_form;
-- scenario at e = 0.12: payments 375,468.92 a year at 2025-01-01, 2026-01-01, 2027-01-01 (under the 12 % cap;
--   in cents 375,468.92 + 375,468.93 + 375,468.92 = 1,126,406.77); the kommune saves 0.8 x 264 x 2,844.4615
--   = 600,750.28 a year (each dated saving in cents: 600,750.28, 600,750.28, 600,750.28 -> 1,802,250.84)
SELECT party, round(inflow, 2) AS inflow, round(outflow, 2) AS outflow, round(net, 2) AS net,
       round(irr::numeric, 6) AS irr, round(multiple::numeric, 4) AS multiple
FROM contract_scenario((SELECT doc FROM dk), 0.12, 100, 22, 3);

-- payout distribution over effect draws 0.05, 0.10, 0.15, 0.20:
--   total payout = e x 9,386,723.08 -> 469,336.15, 938,672.31, 1,408,008.46, 1,877,344.62
--   (payouts in cents; without the return cap) mean = 4,693,361.54 / 4 = 1,173,340.385 -> 1,173,340.39;
--   loss when payout < 1,000,000: 2 of 4; quantiles interpolate linearly at position p x 3 between the
--   sorted payouts (steps 469,336.16, 469,336.15, 469,336.16), in cents:
--   p05: 469,336.15 + 0.15 x 469,336.16 = 539,736.57; p25: + 0.75 x = 821,338.27; p50: 1,173,340.39;
--   p75: 1,408,008.46 + 0.25 x 469,336.16 = 1,525,342.50; p95: 1,408,008.46 + 0.85 x 469,336.16 = 1,806,944.20
SELECT n_draws, round(expected_payout, 2) AS expected_payout,
       (SELECT array_agg(round(q, 2)) FROM unnest(payout_quantiles) q) AS quantiles,
       prob_investor_loss, investment
FROM payout_distribution((SELECT doc - 'return_cap' FROM dk), ARRAY[0.05, 0.10, 0.15, 0.20], 100, 22, 3);
-- with the 12 % return cap a very large effect pays at most 1e6 x 1.12^(days/365) by each pay day
SELECT round(expected_payout, 2) AS capped_payout,
       round(1000000 * 1.12 ^ ((DATE '2027-01-01' - DATE '2024-01-01') / 365.0), 2) AS cap_at_2027_01_01
FROM payout_distribution((SELECT doc FROM dk), ARRAY[1.0], 100, 22, 3);

-- bad input
SELECT pg_temp.expect_error($$ SELECT * FROM social_net_result(0.1, 100, 1, 22, 3, 100, 1.5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM social_net_result(0.1, 100, 1, 22, 0, 100, 0.8) $$);
SELECT pg_temp.expect_error($$ SELECT effect_persistence('forever', 1) $$);
SELECT pg_temp.expect_error($$ SELECT effect_persistence('linear:0', 1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM payout_distribution((SELECT doc FROM dk), ARRAY[]::float8[], 100, 22, 3) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM payout_distribution((SELECT doc FROM dk), ARRAY[0.1, NULL], 100, 22, 3) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM contract_scenario('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 0.1, 100, 22, 3) $$);
