-- ISO-week calendar functions (the arithmetic itself is unit-tested in
-- test/unit/test_isoweek.c; here: the SQL surface and its errors).
SELECT week_monday('2026-11-29') = '2026-11-23' AS sunday_to_monday,
       week_yyyyww('2021-01-03') = 202053 AS w53_2020,
       week_from_yyyyww(202653) = '2026-12-28' AS w53_2026,
       week_from_yyyyww(201553) = '2015-12-28' AS w53_2015,
       weeks_between('2020-12-28', '2021-01-04') = 1 AS across_w53,
       weeks_between('2021-01-04', '2019-01-01') = -105 AS signed,
       week_add('2020-12-30', 1) = '2021-01-04' AS add_across_w53,
       week_add('2021-01-04', -53) = '2019-12-30' AS add_back,
       weeks_in_iso_year(2020) = 53 AND weeks_in_iso_year(2021) = 52 AS year_lengths,
       week_month('2018-12-31') = '2019-01-01' AS thursday_rule_jan,
       week_month('2020-12-28') = '2020-12-01' AS thursday_rule_w53,
       week_from_dream_column('y_1701') = '2017-01-02' AS dream_1701,
       week_from_dream_column('y_9253') = '1992-12-28' AS dream_9253,
       week_dream_column('2026-12-31') = 'y_2653' AS dream_out;

-- every day of 2015-2027 maps to a Monday within 6 days before it, and
-- yyyyww round-trips
SELECT count(*) AS days,
       bool_and(week_monday(d::date) BETWEEN d::date - 6 AND d::date) AS monday_ok,
       bool_and(extract(isodow FROM week_monday(d::date)) = 1) AS is_monday,
       bool_and(week_from_yyyyww(week_yyyyww(d::date)) = week_monday(d::date)) AS roundtrip,
       bool_and(week_yyyyww(d::date) = extract(isoyear FROM d)::int * 100 + extract(week FROM d)::int) AS agrees_with_postgres
FROM generate_series('2015-01-01'::date, '2027-12-31', '1 day') d;

-- bad input: every error names the argument and what is allowed
\i sql/include/expect_error.sql
SELECT pg_temp.expect_error($$SELECT week_from_yyyyww(201953)$$) AS e
UNION ALL SELECT pg_temp.expect_error($$SELECT week_from_dream_column('y_1954')$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT week_monday('infinity')$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT weeks_in_iso_year(10000)$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT week_add('5874897-12-01', 10)$$);
-- the same errors as psql shows them
SELECT week_from_yyyyww(201953);
SELECT week_from_yyyyww(202054);
SELECT week_from_dream_column('y_0053');
SELECT week_from_dream_column('x_1701');
SELECT week_dream_column('2095-01-10');
SELECT week_monday('infinity');
SELECT weeks_between('2020-01-01', '-infinity');
SELECT weeks_in_iso_year(0);
SELECT week_add('5874897-12-01', 10);
-- NULL in, NULL out (STRICT)
SELECT week_monday(NULL) IS NULL AS null_monday;
