-- Money units (issue 13 item 7): rates and shares are fractions, checked
-- against their ranges (22023 naming the argument, with the fraction a
-- percentage would have meant); money is computed in numeric and returned
-- in cents, so results print as the exact values worked out by hand here.
\i sql/include/expect_error.sql

-- 1. Percentages where fractions belong are refused, one line per argument.
CREATE TABLE mu_flows (amount numeric, years float8);
INSERT INTO mu_flows VALUES (-1000000, 0), (400000, 1), (400000, 2), (400000, 3);
CREATE TABLE mu_contract (doc jsonb);
INSERT INTO mu_contract VALUES ('{"name": "DK savings SIB", "currency": "DKK", "start": "2024-01-01", "period": "year",
  "investment": 1000000, "return_cap": {"rate": 0.12},
  "components": [{"type": "savings", "category": "kontanthjaelp", "price_per_week": 2844.461538461538461538, "share": 0.5, "seniority": 53}]}');
CREATE TABLE mu_outcomes (outcome text, day date, value numeric);
INSERT INTO mu_outcomes VALUES ('avoided_weeks', '2024-12-31', 264), ('avoided_weeks', '2025-12-31', 264);

SELECT pg_temp.expect_error(q) FROM (VALUES
	($$ SELECT discount_factor(1, 3.5) $$),
	($$ SELECT discount_factor(1, 1) $$),
	($$ SELECT discount_factor(1, -1) $$),
	($$ SELECT npv(amount, years, 10) FROM mu_flows $$),
	($$ SELECT payback_period(amount, years, 3.5) FROM mu_flows $$),
	($$ SELECT benefit_cost_ratio(amount, years, 3.5) FROM mu_flows $$),
	($$ SELECT npv(cashflows(amount, years), 3.5) FROM mu_flows $$),
	($$ SELECT payback_period(cashflows(amount, years), 3.5) FROM mu_flows $$),
	($$ SELECT benefit_cost_ratio(cashflows(amount, years), 3.5) FROM mu_flows $$),
	($$ SELECT * FROM contract_summary((SELECT doc FROM mu_contract), 'mu_outcomes', 3.5) $$),
	($$ SELECT * FROM contract_scenario((SELECT doc FROM mu_contract), 0.12, 100, 22, 3, rate => 3.5) $$),
	($$ SELECT * FROM contract_scenario((SELECT doc FROM mu_contract), 12, 100, 22, 3) $$),
	($$ SELECT * FROM social_net_result(12, 100, 1000000, 22, 3, 2844.46, 0.8) $$),
	($$ SELECT * FROM social_net_result(0.12, 100, 1000000, 22, 3, 2844.46, 80) $$),
	($$ SELECT * FROM social_net_result(0.12, 100, 1000000, 22, 3, 2844.46, 0.8, 3.5) $$),
	($$ SELECT * FROM social_net_result(0.12, 100, 1000000, 22, 3, 2844.46, 0.8, -1) $$),
	($$ SELECT * FROM break_even_effect(100, 1000000, 22, 3, 2844.46, 0.8, 3.5) $$),
	($$ SELECT * FROM break_even_effect(100, 1000000, 22, 3, 2844.46, 0.8, 0.035, max_effect => 50) $$),
	($$ SELECT * FROM sensitivity_table(100, 1000000, 22, 3, 2844.46, 0.8, ARRAY[0.06, 12]) $$),
	($$ SELECT * FROM sensitivity_table(100, 1000000, 22, 3, 2844.46, 0.8, ARRAY[0.06], rates => ARRAY[0.035, 3.5]) $$),
	($$ SELECT * FROM payout_distribution((SELECT doc FROM mu_contract), ARRAY[0.05, 0.1, 15], 100, 22, 3) $$),
	($$ SELECT * FROM payout_distribution((SELECT doc FROM mu_contract), ARRAY[0.05], 100, 22, 3, probabilities => ARRAY[0.05, 95]::float8[]) $$),
	($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "investment": 1, "return_cap": {"rate": 12}, "components": [{"type": "resultattilskud"}]}') $$),
	($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "savings", "price_per_week": 100, "share": 50}]}') $$)) v(q);
-- the edges of the ranges are accepted
SELECT round(discount_factor(1, 0.999)::numeric, 6) AS df_rate_0999, round(discount_factor(1, -0.5)::numeric, 6) AS df_rate_minus_half;
SELECT count(*) AS rows_at_effect_minus_1 FROM social_net_result(-1, 100, 0, 22, 3, 2844.46, 1, 0);

-- 2. Exact money.
-- 2,496 avoided kontanthjaelp weeks at 12,326 x 12 / 52 a week (2,496 = 48 x 52):
--   gross = 48 x 12 x 12,326 = 7,099,776.00 (was 7,099,775.99999...: the weekly rate has no finite decimal);
--   seniority 60 -> refusion 20 %, kommune 0.8 x 7,099,776 = 5,679,820.80, stat = gross - kommune = 1,419,955.20
SELECT gross, kommune, stat, gross = 7099776.00 AND kommune = 5679820.80 AND stat = 1419955.20 AS exact
FROM benefit_savings(2496, 'kontanthjaelp', '2024-06-03', 60);

-- cash flows in cents sum exactly: -1,000,000.10 + 400,000.20 + 400,000.30 + 400,000.00 = 200,000.40,
-- and 0.1 + 0.2 - 0.3 = 0.00 (float8 gave 2.8e-17)
SELECT npv(a, t, 0.0::float8) AS npv_at_0, cashflows_total(cashflows(a, t)) AS total
FROM (VALUES (-1000000.10, 0::float8), (400000.20, 1), (400000.30, 2), (400000.00, 3)) f(a, t);
SELECT npv(a, t, 0.0::float8) AS npv_tenths, cashflows_total(cashflows(a, t)) AS total_tenths
FROM (VALUES (0.1, 0::float8), (0.2, 1), (-0.3, 2)) f(a, t);
-- M10: -1,000,000 + 400,000 x (1.035^-1 + 1.035^-2 + 1.035^-3) = -1,000,000 + 400,000 x 2.80163698 = 120,654.79 (cents)
SELECT npv(amount, years, 0.035) AS npv_m10, npv(amount, years, 0.035) = 120654.79 AS exact,
       npv(cashflows(amount, years), 0.035) = 120654.79 AS accessor_exact
FROM mu_flows;

-- path costs in cents: 624 kontanthjaelp weeks (12 years) priced at 2024 rates:
--   gross = 624 x 12,326 x 12 / 52 = 12 x 12 x 12,326 = 1,774,944.00 (M8);
--   kommune shares: 4 x 0.2 + 22 x 0.6 + 26 x 0.7 + 572 x 0.8 = 489.8 weeks' worth
--   -> 489.8 x 2,844.461538... = 1,393,217.2615 -> 1,393,217.26; stat = 1,774,944.00 - 1,393,217.26 = 381,726.74
SELECT gross, kommune, stat, gross = 1774944.00 AND kommune = 1393217.26 AND stat = 381726.74 AS exact
FROM path_benefit_cost('2024-01-01:130x624', '2024-01-01', '2035-12-31', price_date => '2024-06-01');

-- SØM net result (M13): 12 successes x 22 weeks x 2,844.461538... a year for 3 years at 3.5 %:
--   PV = 264 x 2,844.461538... x 2.80163698... = 2,103,855.24; kommune 0.8 -> 1,683,084.19, stat 420,771.05;
--   total = kommune + stat exactly
SELECT payer, cost_pv, savings_pv, net FROM social_net_result(0.12, 100, 1000000, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035);
SELECT bool_and(savings_pv = CASE payer WHEN 'kommune' THEN 1683084.19 WHEN 'stat' THEN 420771.05 ELSE 2103855.24 END) AS exact
FROM social_net_result(0.12, 100, 1000000, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035);

-- break-even: a cost of 0 breaks even at effect 0 exactly (was 9.09e-13); with the contract the kommune
-- (saves 0.8, pays 0.5 of every avoided week) never loses, so 0 as well
SELECT criterion, effect, effect = 0 AS exactly_zero FROM break_even_effect(100, 0, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035);
SELECT criterion, effect FROM break_even_effect(100, 0, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035, 'constant', (SELECT doc FROM mu_contract));
-- the investor's break-even with the contract: 3 x e x 0.5 x 100 x 22 x 2,844.461538... = 1,000,000
--   -> e = 1,000,000 / 9,386,723.08 = 0.1065334507; payments are in cents, so the capital is back once
--   the payments round to 1,000,000.00, up to half a cent earlier: 0.005 / 9,386,723.08 = 5.3e-10 below;
--   the bisection result (width 1e-12) is rounded up to 10 decimals: at most 1e-10 above
SELECT effect, effect - 1000000 / (3 * 0.5 * 100 * 22 * (12326 * 12 / 52.0)) BETWEEN -5.4e-10 AND 1.01e-10 AS within_bounds
FROM break_even_effect(100, 0, 22, 3, 12326 * 12 / 52.0, 0.8, 0.035, 'constant', (SELECT doc FROM mu_contract))
WHERE criterion = 'investor_capital_back';

-- contract schedule in cents: yearly payment 0.5 x 264 x 2,844.461538461538461538 = 375,468.923076...
--   cumulative 375,468.92, 750,937.85, 1,126,406.77 -> rows 375,468.92, 375,468.93, 375,468.92 (add up exactly)
SELECT period, amount_uncapped, amount_due, cumulative_due
FROM contract_schedule((SELECT doc - 'return_cap' FROM mu_contract),
                       (SELECT 'mu_outcomes'::regclass)) ORDER BY period;
INSERT INTO mu_outcomes VALUES ('avoided_weeks', '2026-12-31', 264);
SELECT sum(amount_due) AS total_due, sum(amount_due) = 1126406.77 AS adds_up
FROM contract_schedule((SELECT doc - 'return_cap' FROM mu_contract), 'mu_outcomes');

-- payout distribution over draws 0.05, 0.10, 0.15, 0.20 (no return cap): total payout per draw in cents
--   e = 0.05: yearly 156,445.3846 -> cumulative 156,445.38, 312,890.77, 469,336.15 -> 469,336.15
--   likewise 938,672.31, 1,408,008.46, 1,877,344.62
--   mean = 4,693,361.54 / 4 = 1,173,340.385 -> 1,173,340.39
--   p = 0.05: position 0.15 -> 469,336.15 + 0.15 x 469,336.16 = 539,736.574 -> 539,736.57
--   p = 0.25: position 0.75 -> 469,336.15 + 0.75 x 469,336.16 = 821,338.27
--   p = 0.50: position 1.5  -> 938,672.31 + 0.5 x 469,336.15 = 1,173,340.385 -> 1,173,340.39
--   p = 0.75: position 2.25 -> 1,408,008.46 + 0.25 x 469,336.16 = 1,525,342.50
--   p = 0.95: position 2.85 -> 1,408,008.46 + 0.85 x 469,336.16 = 1,806,944.196 -> 1,806,944.20
SELECT n_draws, expected_payout, payout_quantiles, prob_investor_loss,
       expected_payout = 1173340.39 AND payout_quantiles = ARRAY[539736.57, 821338.27, 1173340.39, 1525342.50, 1806944.20]::numeric[] AS exact
FROM payout_distribution((SELECT doc - 'return_cap' FROM mu_contract), ARRAY[0.05, 0.10, 0.15, 0.20], 100, 22, 3);

DROP TABLE mu_flows, mu_contract, mu_outcomes;
