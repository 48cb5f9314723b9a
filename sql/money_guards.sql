-- Issue 12 items 7 and 9: TRUNCATE keeps the shipped configuration rows;
-- errors that were cosmetic failures (a syntax error for a missing table, a
-- "too long" for a date overflow, a version message naming the wrong
-- version); a contract with 1,600 components is paid in full (the schedule
-- is linear in the number of components; timing in bench/money.sh).
\i sql/include/expect_error.sql

-- item 7: TRUNCATE of every configuration table with shipped rows is refused
-- (classification_profile alone is refused by its foreign key; CASCADE below)
INSERT INTO benefit_rate (category, valid_from, weekly_rate) VALUES ('local_scheme', '2024-01-01', 100);
SELECT pg_temp.expect_error(format('TRUNCATE %I', t))
FROM unnest(ARRAY['benefit_code', 'classification_profile', 'classification_rule',
                  'benefit_rate', 'refusion_step', 'resultattilskud_rate']) t;
-- the cascade from the profiles to their rules is refused too
SELECT pg_temp.expect_error('TRUNCATE classification_profile CASCADE');
SELECT (SELECT count(*) FROM benefit_code WHERE source = 'shipped') > 0 AS codes_kept,
       (SELECT count(*) FROM classification_rule WHERE source = 'shipped') AS rules_kept,
       (SELECT count(*) FROM benefit_rate WHERE source = 'shipped') AS rates_kept,
       (SELECT count(*) FROM benefit_rate WHERE source = 'user') AS user_rate_kept,
       (SELECT count(*) FROM refusion_step WHERE source = 'shipped') AS steps_kept,
       (SELECT count(*) FROM resultattilskud_rate WHERE source = 'shipped') AS grants_kept;
-- the way the hint gives: DELETE the user rows
DELETE FROM benefit_rate WHERE source = 'user';
SELECT count(*) AS user_rates_after_delete FROM benefit_rate WHERE source = 'user';
-- other tables truncate as always
CREATE TABLE g_plain (x int);
INSERT INTO g_plain VALUES (1);
TRUNCATE g_plain;
SELECT count(*) AS plain_truncated FROM g_plain;

-- item 9: a table OID that does not exist is a clear 42P01, not a syntax error
SELECT pg_temp.expect_error($$ SELECT * FROM contract_schedule('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 0::regclass) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM contract_cashflows('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 0::regclass) $$);
CREATE TABLE g_out (participant text, outcome text, day date);
SELECT pg_temp.expect_error($$ SELECT * FROM contract_summary('{"name": "x", "currency": "DKK", "start": "2024-01-01", "components": [{"type": "resultattilskud"}]}', 'g_out', 0.035, 0::regclass) $$);

-- item 9: a path past 9999-12-31 is a date overflow (22008), not "too long"
SELECT benefit_path(w, 130)::text AS last_week_of_the_calendar FROM (VALUES ('9999-12-20'::date)) v(w);
SELECT pg_temp.expect_error($$ SELECT benefit_path(w, 130) FROM (VALUES ('9999-12-27'::date)) v(w) $$);
SELECT pg_temp.expect_error($$ SELECT '9999-12-20:130x2'::benefit_path $$);
-- a path longer than the limit is still "too long"
SELECT pg_temp.expect_error($$ SELECT '2019-01-07:130x1000001'::benefit_path $$);

-- item 9: the version message names the version the value has
SELECT pg_temp.expect_error(format('SELECT %L::cashflows', v))
FROM (VALUES ('2|0:1'), ('1000|0:1'), ('-3|0:1'), ('99999999999999999999999|0:1')) x(v);

-- item 9: 1,600 components, component k pays k for outcome ok to the
-- participants who reach it (every third outcome, k participants each
-- for k <= 30, one otherwise): every payment arrives, in order
CREATE TABLE g_many_out (participant text, outcome text, day date);
INSERT INTO g_many_out
SELECT 'p' || p, 'o' || k, '2024-01-01'::date + k % 360
FROM generate_series(1, 1600) k, generate_series(1, CASE WHEN k <= 30 THEN k ELSE 1 END) p
WHERE k % 3 = 0;
CREATE TABLE g_many (c jsonb);
INSERT INTO g_many
SELECT jsonb_build_object('name', 'many', 'currency', 'DKK', 'start', '2024-01-01', 'investment', 1000,
                          'components', jsonb_agg(jsonb_build_object('type', 'rate_card', 'name', 'card_' || k,
                                                  'outcomes', jsonb_build_array(jsonb_build_object('outcome', 'o' || k, 'price', k)))
                                                  ORDER BY k))
FROM generate_series(1, 1600) k;
CREATE TABLE g_many_flows AS SELECT f.* FROM g_many, contract_cashflows(g_many.c, 'g_many_out') f;
SELECT (SELECT sum(CASE WHEN k <= 30 THEN k * k ELSE k END) FROM generate_series(3, 1600, 3) k) AS expected_paid,
       sum(amount) FILTER (WHERE party = 'investor' AND amount > 0) AS investor_received,
       -sum(amount) FILTER (WHERE party = 'kommune') AS kommune_paid,
       -sum(amount) FILTER (WHERE party = 'investor' AND amount < 0) AS invested
FROM g_many_flows;
-- per quarter as well (the payments are dated at the end of their quarter)
SELECT day, coalesce(f.amount = e.due, false) AS quarter_ok
FROM (SELECT day, sum(amount) AS amount FROM g_many_flows WHERE party = 'investor' AND amount > 0 GROUP BY day) f
FULL JOIN (SELECT (date_trunc('quarter', o.day) + interval '3 months')::date AS day, sum(substr(o.outcome, 2)::numeric) AS due
           FROM g_many_out o GROUP BY 1) e USING (day)
ORDER BY 1;
-- a duplicate name late in a large contract is reported at its index
SELECT pg_temp.expect_error($$ SELECT contract_validate(jsonb_set(c, '{components,1550,name}', '"card_3"')) FROM g_many $$);
SELECT pg_temp.expect_error($$ SELECT contract_validate(jsonb_set(c, '{components,1,name}', '"card_1"')) FROM g_many $$);
