-- NaN and +-Infinity are not money (issue 12 item 2). numeric NaN sorts
-- above every number, so a NaN passed every lower bound ("weeks >= 26")
-- and qualified for grants; infinite amounts gave NaN splits. Every money
-- function, configuration row, outcome row and contract field now refuses
-- them with 22023 and a message naming the argument, column or field.
\i sql/include/expect_error.sql

-- finite input still works (the checks change nothing else)
SELECT resultattilskud_amount('employment', 1, 30, 25, '2024-06-01') AS qualifies_88817,
       resultattilskud_amount('employment', 1, 20, 25, '2024-06-01') AS too_short_0;

-- resultattilskud_amount: every numeric argument
SELECT pg_temp.expect_error(format($$ SELECT resultattilskud_amount('employment', 1, %s, %s, '2024-06-01', %s, %s) $$, w, h, mw, mh))
FROM (VALUES ('''NaN''', '''NaN''', '26', '20'), ('30', '''NaN''', '26', '20'), ('''Infinity''', '25', '26', '20'),
             ('''-Infinity''', '25', '26', '20'), ('30', '25', '''NaN''', '20'), ('30', '25', '26', '''-Infinity''')) v(w, h, mw, mh);
SELECT pg_temp.expect_error($$ SELECT resultattilskud_amount('education', 1, 'NaN', NULL, '2024-06-01') $$);
-- a NULL bound compared as unknown and paid the grant as well
SELECT pg_temp.expect_error($$ SELECT resultattilskud_amount('employment', 1, 1, 1, '2024-06-01', NULL, NULL) $$);

-- benefit_savings
SELECT pg_temp.expect_error(format($$ SELECT * FROM benefit_savings(%L, 'kontanthjaelp', '2024-06-01', 53) $$, w))
FROM (VALUES ('Infinity'), ('-Infinity'), ('NaN')) v(w);

-- configuration rows: rates, shares and amounts
SELECT pg_temp.expect_error($$ INSERT INTO benefit_rate (category, valid_from, weekly_rate) VALUES ('kontanthjaelp', '2030-01-01', 'NaN') $$);
SELECT pg_temp.expect_error($$ INSERT INTO benefit_rate (category, valid_from, monthly_rate) VALUES ('kontanthjaelp', '2030-01-01', 'Infinity') $$);
SELECT pg_temp.expect_error($$ INSERT INTO refusion_step (payer_rule, first_week, law_rate, kommune_share, valid_from) VALUES ('refusion', 1, 'NaN', NULL, '2030-01-01') $$);
SELECT pg_temp.expect_error($$ INSERT INTO refusion_step (payer_rule, first_week, law_rate, kommune_share, valid_from) VALUES ('refusion', 1, 0.5, '-Infinity', '2030-01-01') $$);
SELECT pg_temp.expect_error($$ INSERT INTO resultattilskud_rate (kind, first_month, last_month, amount, valid_from) VALUES ('employment', 1, 36, 'NaN', '2030-01-01') $$);
SELECT count(*) AS no_user_rows_added
FROM (SELECT source FROM benefit_rate UNION ALL SELECT source FROM refusion_step UNION ALL SELECT source FROM resultattilskud_rate) s
WHERE source = 'user';

-- outcome rows of contracts: value, comparison, n, hours
CREATE TABLE nf_thr (outcome text, day date, cohort text, value numeric, comparison numeric, n numeric);
INSERT INTO nf_thr VALUES ('reconvictions', '2012-06-01', 'c1', 142, 155, 1000);
SELECT round(sum(amount_due), 2) AS finite_threshold_paid
FROM contract_schedule('{"name": "t", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1000, "per": 100}]}', 'nf_thr');
UPDATE nf_thr SET value = 'NaN';
SELECT pg_temp.expect_error($$ SELECT * FROM contract_schedule('{"name": "t", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1000, "per": 100}]}', 'nf_thr') $$);
UPDATE nf_thr SET value = 142, comparison = 'Infinity';
SELECT pg_temp.expect_error($$ SELECT * FROM contract_summary('{"name": "t", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1000, "per": 100}]}', 'nf_thr') $$);
UPDATE nf_thr SET comparison = 155, n = '-Infinity';
SELECT pg_temp.expect_error($$ SELECT * FROM contract_cashflows('{"name": "t", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1000, "per": 100}]}', 'nf_thr') $$);

CREATE TABLE nf_rt (participant text, outcome text, day date, value numeric, hours numeric, programme_month integer);
INSERT INTO nf_rt VALUES ('p1', 'employment', '2024-03-01', 30, 'NaN', 1);
SELECT pg_temp.expect_error($$ SELECT * FROM contract_schedule('{"name": "r", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 'nf_rt') $$);
UPDATE nf_rt SET hours = 25;
SELECT sum(amount_due) AS finite_grant_88817
FROM contract_schedule('{"name": "r", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 'nf_rt');

-- savings table of contract_summary: kommune, stat
CREATE TABLE nf_sav (day date, kommune numeric, stat numeric);
INSERT INTO nf_sav VALUES ('2024-12-31', 'NaN', 0);
SELECT pg_temp.expect_error($$ SELECT * FROM contract_summary('{"name": "r", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 'nf_rt', 0.035, 'nf_sav') $$);

-- contract fields: jsonb cannot hold NaN, and a string where a number belongs is refused
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "rate_card", "outcomes": [{"outcome": "job13", "price": "NaN"}]}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "threshold", "metric": "m", "cohort_threshold": "Infinity", "price": 1}]}') $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "programme_cap": NaN, "components": [{"type": "resultattilskud"}]}') $$);

-- decision support: every numeric and float8 argument
SELECT pg_temp.expect_error($$ SELECT * FROM contract_summary('{"name": "r", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 'nf_rt', 'NaN') $$);
SELECT pg_temp.expect_error(format($$ SELECT * FROM social_net_result(%s, %s, %s, %s, 5, %s, %s, %s) $$, e, p, c, w, r, k, d))
FROM (VALUES ('''NaN''', '100', '1000', '10', '2844', '0.8', '0.035'),
             ('0.1', '''Infinity''', '1000', '10', '2844', '0.8', '0.035'),
             ('0.1', '100', '''-Infinity''', '10', '2844', '0.8', '0.035'),
             ('0.1', '100', '1000', '''NaN''', '2844', '0.8', '0.035'),
             ('0.1', '100', '1000', '10', '''Infinity''', '0.8', '0.035'),
             ('0.1', '100', '1000', '10', '2844', '''NaN''', '0.035'),
             ('0.1', '100', '1000', '10', '2844', '0.8', '''NaN''')) v(e, p, c, w, r, k, d);
SELECT pg_temp.expect_error($$ SELECT * FROM break_even_effect(100, 1000, 10, 5, 2844, 0.8, max_effect => 'NaN') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM sensitivity_table(100, 1000, 10, 5, 2844, 0.8, '{0.1,NaN}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM sensitivity_table(100, 1000, 10, 5, 2844, 0.8, '{0.1}', rates => '{0.035,Infinity}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM sensitivity_table(100, 1000, 10, 5, 2844, 0.8, '{0.1}', price_factors => '{-Infinity}') $$);
CREATE TABLE nf_sc (c jsonb);
INSERT INTO nf_sc VALUES ('{"name": "s", "currency": "DKK", "start": "2024-01-01", "investment": 100000, "components": [{"type": "savings", "category": "kontanthjaelp", "share": 0.5}]}');
SELECT pg_temp.expect_error(format($$ SELECT * FROM contract_scenario((SELECT c FROM nf_sc), %s, %s, %s, 3, rate => %s) $$, e, p, w, r))
FROM (VALUES ('''NaN''', '100', '10', '0.035'), ('0.2', '''Infinity''', '10', '0.035'),
             ('0.2', '100', '''NaN''', '0.035'), ('0.2', '100', '10', '''-Infinity''')) v(e, p, w, r);
SELECT pg_temp.expect_error($$ SELECT * FROM payout_distribution((SELECT c FROM nf_sc), '{0.1,0.2,NaN}', 100, 10, 3) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM payout_distribution((SELECT c FROM nf_sc), '{0.1}', 100, 10, 3, probabilities => '{0.5,NaN}') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM break_even_effect('NaN', 1000, 10, 5, 2844, 0.8) $$);

-- finance (C): one check, the same message
SELECT pg_temp.expect_error(q) FROM (VALUES
	($$ SELECT discount_factor('NaN', 0.035) $$),
	($$ SELECT discount_factor(1, 'Infinity'::float8) $$),
	($$ SELECT discount_factor(1, 0.035, 'end', 'NaN') $$),
	($$ SELECT discount_factor(1, 'fm2021', 'end', '-Infinity') $$),
	($$ SELECT npv(a, 1, 0.035) FROM (VALUES ('Infinity'::numeric)) v(a) $$),
	($$ SELECT npv(a, 1, 0.035) FROM (VALUES ('NaN'::numeric)) v(a) $$),
	($$ SELECT npv(a, t, 'fm2021') FROM (VALUES (-1::numeric, '-Infinity'::float8)) v(a, t) $$),
	($$ SELECT npv(a, 1, r) FROM (VALUES (-1::numeric, 'NaN'::float8)) v(a, r) $$),
	($$ SELECT irr(a, t) FROM (VALUES ('-Infinity'::numeric, 0::float8)) v(a, t) $$),
	($$ SELECT xirr(a, d) FROM (VALUES ('NaN'::numeric, '2024-01-01'::date)) v(a, d) $$),
	($$ SELECT money_multiple(a) FROM (VALUES ('Infinity'::numeric)) v(a) $$),
	($$ SELECT payback_period(a, t) FROM (VALUES (-1::numeric, 'Infinity'::float8)) v(a, t) $$),
	($$ SELECT benefit_cost_ratio(a, 1, r) FROM (VALUES (-1::numeric, 'Infinity'::float8)) v(a, r) $$),
	($$ SELECT cashflows(a, 1) FROM (VALUES ('NaN'::numeric)) v(a) $$),
	($$ SELECT npv('1|0:-100;1:110'::cashflows, 'NaN'::float8) $$),
	($$ SELECT npv('1|0:-100;1:110'::cashflows, 0.035, 'end', 'Infinity') $$),
	($$ SELECT payback_period('1|0:-100;1:110'::cashflows, 'Infinity') $$),
	($$ SELECT benefit_cost_ratio('1|0:-100;1:110'::cashflows, '-Infinity') $$),
	($$ SELECT '1|0:-100;NaN:110'::cashflows $$),
	($$ SELECT '1|0:-100;1:inf'::cashflows $$)) v(q);

-- finite input whose sums or result overflow float8: 22003 naming the
-- function, never NaN, Infinity or a payback of -1 (issue 12 item 2, output side)
SELECT pg_temp.expect_error(q) FROM (VALUES
	($$ SELECT benefit_cost_ratio(a, t, 0.0::float8) FROM (VALUES (-1e308::numeric, 0::float8), (-1e308, 1), (1e308, 2)) v(a, t) $$),
	($$ SELECT money_multiple(a) FROM (VALUES (-1e308::numeric), (-1e308), (1e308)) v(a) $$),
	($$ SELECT payback_period(a, t) FROM (VALUES (-1e308::numeric, 0::float8), (-1e308, 1), (1e308, 2), (1e308, 3), (1e308, 4)) v(a, t) $$),
	($$ SELECT npv('1|0:-1;400:2'::cashflows, -0.99) $$),
	($$ SELECT benefit_cost_ratio('1|0:-1;400:2'::cashflows, -0.99) $$),
	($$ SELECT payback_period('1|0:-1;400:2'::cashflows, -0.99) $$),
	($$ SELECT money_multiple('1|0:-1e-300;1:1e300'::cashflows) $$),
	($$ SELECT discount_factor(400, -0.99) $$),
	($$ SELECT discount_factor(-1e300, 0.03) $$),
	($$ SELECT discount_factor(-1e300, 'fm2021') $$)) v(q);
-- npv and cashflows_total sum in numeric: sums beyond the float8 range are exact, not 22003
SELECT npv(a, t, 0.0::float8) = -2e308 AS npv_beyond_float8_exact
FROM (VALUES (-1e308::numeric, 0::float8), (-1e308, 1)) v(a, t);
SELECT cashflows_total('1|0:1e308;1:1e308'::cashflows) = 2e308 AS total_beyond_float8_exact;
-- large but representable: still a number
SELECT npv(a, t, 0.0::float8) = -2e300 AS large_npv_ok
FROM (VALUES (-1e300::numeric, 0::float8), (-1e300, 1)) v(a, t);

-- contract numbers are 0 or 1e-9..1e15 in magnitude: 1e400 gave a 400-digit
-- amount_due, price 1e300 with investment 1e-300 a raw float8 cast error
UPDATE nf_thr SET n = 1000;
SELECT pg_temp.expect_error(q) FROM (VALUES
	($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "rate_card", "outcomes": [{"outcome": "job13", "price": 1e400}]}]}') $$),
	($$ SELECT * FROM contract_schedule('{"name": "t", "currency": "GBP", "start": "2010-09-01", "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1e400, "per": 100}]}', 'nf_thr') $$),
	($$ SELECT * FROM contract_summary('{"name": "t", "currency": "GBP", "start": "2010-09-01", "investment": 1e-300, "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1e300, "per": 100}]}', 'nf_thr') $$),
	($$ SELECT * FROM contract_summary('{"name": "t", "currency": "GBP", "start": "2010-09-01", "investment": 1e-300, "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1e15, "per": 100}]}', 'nf_thr') $$),
	($$ SELECT contract_validate('{"name": "x", "currency": "DKK", "start": "2024-01-01", "programme_cap": 1.000000000000001e15, "components": [{"type": "resultattilskud"}]}') $$)) v(q);
-- the bounds themselves are accepted
SELECT round(sum(amount_due) / 1e15, 6) AS paid_at_price_1e15
FROM contract_schedule('{"name": "t", "currency": "GBP", "start": "2010-09-01", "investment": 1e-9, "programme_cap": 1e15, "components": [{"type": "threshold", "metric": "reconvictions", "cohort_threshold": 0.05, "price": 1e15, "per": 100}]}', 'nf_thr');
