-- Finance functions: M10 (NPV, discount factors) and M11 (IRR, multiples) of docs/methods.md.
\i sql/include/expect_error.sql

-- M10 discount factors
--   DF(10) = 1.035^(-10) = 0.7089188
--   DF(40), FM2021 declining = 1.035^(-35) * 1.025^(-5) = 0.2651358
--   weekly DF(26 weeks): t = 26/52 = 0.5 -> 1.035^(-0.5) = 0.9829464
SELECT abs(discount_factor(10, 0.035) - 0.7089188) < 5e-8 AS df10_ok,
       abs(discount_factor(40, 'fm2021') - 0.2651358) < 5e-8 AS df40_declining_ok,
       abs(discount_factor(26 / 52.0, 0.035) - 0.9829464) < 5e-8 AS df_26_weeks_ok,
       abs(discount_factor(10, 'fm2021') - discount_factor(10, 0.035)) < 1e-15 AS fm2021_flat_before_35,
       -- 80 years: 1.035^(-35) * 1.025^(-35) * 1.015^(-10)
       abs(discount_factor(80, 'fm2021') - 1.035^(-35) * 1.025^(-35) * 1.015^(-10)) < 1e-15 AS df80_ok,
       -- mid-period: a year-1 flow at t = 0.5; quarterly flow at t = 0.25 moves to 0.125
       abs(discount_factor(1, 0.035, 'mid') - 1.035^(-0.5)) < 1e-15 AS mid_ok,
       abs(discount_factor(0.25, 0.035, 'mid', 0.25) - 1.035^(-0.125)) < 1e-15 AS mid_quarter_ok;

-- M10 cash flows: -1,000,000 at t=0, +400,000 at t=1,2,3
CREATE TABLE m10 (t float8, amount numeric);
INSERT INTO m10 VALUES (0, -1000000), (1, 400000), (2, 400000), (3, 400000);

-- NPV = -1,000,000 + 400,000 * (1.035^(-1) + 1.035^(-2) + 1.035^(-3))
--     = -1,000,000 + 400,000 * 2.8016370 = 120,654.79
SELECT round(npv(amount, t, 0.035), 2) AS npv_m10,
       abs(npv(amount, t, 0.035) - 120654.79) < 0.005 AS npv_ok,
       npv(amount, t, 0.0) = 200000 AS npv_rate0_is_sum
FROM m10;

-- M11: IRR of the same flows = 9.7010 %
SELECT round(irr(amount, t)::numeric, 6) AS irr_m10,
       abs(irr(amount, t) - 0.097010) < 5e-7 AS irr_ok
FROM m10;
-- NPV at the IRR is zero
SELECT abs(npv(amount, t, (SELECT irr(amount, t) FROM m10))) < 1e-6 AS npv_at_irr_zero FROM m10;

-- M11 Peterborough-style lump sum: 1,000,000 out at t=0, 1,159,274.07 in at t=5
--   1.03^5 = 1.1592740743 -> IRR 3.00 %, multiple 1.1593
SELECT round(irr(amount, t)::numeric, 4) AS irr_lump,
       round(money_multiple(amount)::numeric, 4) AS multiple_lump
FROM (VALUES (0::float8, -1000000::numeric), (5, 1159274.07)) v(t, amount);

-- M11 Duo for a Job cap: 290,000 / 234,000 = 1.2393
SELECT round(money_multiple(amount)::numeric, 4) AS multiple_duo
FROM (VALUES (-234000::numeric), (290000)) v(amount);

-- payback of the M10 flows: cumulative -1e6, -6e5, -2e5, +2e5 -> 2 + 2e5/4e5 = 2.5 years
SELECT payback_period(amount, t) AS payback,
       -- discounted: 2 + (1e6 - 4e5*(1.035^(-1) + 1.035^(-2))) / (4e5 * 1.035^(-3))
       abs(payback_period(amount, t, 0.035)
           - (2 + (1e6 - 4e5 * (1.035^(-1) + 1.035^(-2))) / (4e5 * 1.035^(-3)))) < 1e-12 AS discounted_payback_ok,
       -- benefit-cost ratio: PV(in) / PV(out) = 400,000 * 2.8016370 / 1,000,000 = 1.1206548
       abs(benefit_cost_ratio(amount, t, 0.035) - 0.4 * (1.035^(-1) + 1.035^(-2) + 1.035^(-3))) < 1e-12 AS bcr_ok
FROM m10;

-- XIRR: -1000 on 2020-01-01, +1100 on 2020-12-31 (365 days later) -> exactly 10 %
SELECT abs(xirr(amount, day) - 0.10) < 1e-10 AS xirr_ok
FROM (VALUES (-1000::numeric, '2020-01-01'::date), (1100, '2020-12-31')) v(amount, day);
-- XIRR with a leap-year gap: 366 days -> (1.1)^(365/366) - 1
SELECT abs(xirr(amount, day) - (1.1 ^ (365.0 / 366) - 1)) < 1e-10 AS xirr_leap_ok
FROM (VALUES (1100::numeric, '2021-01-01'::date), (-1000, '2020-01-01')) v(amount, day);

-- two-step: stored state, rollup over groups, accessors
CREATE TABLE cf_parts AS
SELECT (t >= 2) AS late, cashflows(amount, t) AS flows FROM m10 GROUP BY 1;
SELECT abs(npv(cashflows_rollup(flows), 0.035) - 120654.79) < 0.005 AS rollup_npv_ok,
       abs(irr(cashflows_rollup(flows)) - 0.097010) < 5e-7 AS rollup_irr_ok,
       payback_period(cashflows_rollup(flows)) AS rollup_payback,
       cashflows_count(cashflows_rollup(flows)) AS n,
       cashflows_total(cashflows_rollup(flows)) AS total,
       abs(npv(cashflows_rollup(flows), 'fm2021') - 120654.79) < 0.005 AS rollup_fm2021_ok
FROM cf_parts;
SELECT abs(npv(cashflows_combine(a.flows, b.flows), 0.035) - 120654.79) < 0.005 AS combine_ok
FROM cf_parts a, cf_parts b WHERE a.late AND NOT b.late;

-- text round trip (shortest exact doubles) and binary round trip
SELECT cashflows(amount, t)::text AS m10_text FROM m10;
SELECT '1|0:-1000000;0.1:400000.5;1e-07:3'::cashflows::text AS roundtrip;
-- binary send/recv round trip through COPY (FORMAT binary)
\getenv abs_builddir PG_ABS_BUILDDIR
\set binfile :abs_builddir '/results/money_cashflows.bin'
COPY cf_parts TO :'binfile' WITH (FORMAT binary);
CREATE TABLE cf_parts2 (LIKE cf_parts);
COPY cf_parts2 FROM :'binfile' WITH (FORMAT binary);
SELECT a.flows::text = b.flows::text AS binary_roundtrip_ok FROM cf_parts a JOIN cf_parts2 b USING (late);

-- parallel aggregation gives the same answer
CREATE TABLE cf_big AS
SELECT g AS id, (g % 40)::float8 / 4 AS t,
       CASE WHEN g % 40 = 0 THEN -25000 ELSE 1000 END::numeric AS amount
FROM generate_series(1, 20000) g;
ANALYZE cf_big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE par AS SELECT npv(amount, t, 0.035) AS v, irr(amount, t) AS i FROM cf_big;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT abs(p.v - s.v) < 1e-6 AS parallel_npv_same, abs(p.i - s.i) < 1e-12 AS parallel_irr_same
FROM par p, (SELECT npv(amount, t, 0.035) AS v, irr(amount, t) AS i FROM cf_big) s;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- no sign change: NULL with a NOTICE
SELECT irr(amount, t) AS irr_all_positive FROM (VALUES (0::float8, 100::numeric), (1, 200)) v(t, amount);
SELECT irr(amount, t) AS irr_no_root FROM (VALUES (0::float8, 1::numeric), (1, -1), (2, 1)) v(t, amount);
SELECT xirr(amount, day) AS xirr_none FROM (VALUES (5::numeric, '2020-01-01'::date)) v(amount, day);
-- several IRRs: -1 + 5x - 6x^2 (x = 1/(1+i)) has roots i = 100 % and 200 %
SELECT round(irr(amount, t)::numeric, 9) AS irr_two_roots FROM (VALUES (0::float8, -1::numeric), (1, 5), (2, -6)) v(t, amount);
SELECT payback_period(amount, t) AS never FROM (VALUES (0::float8, -100::numeric), (1, 50)) v(t, amount);
SELECT money_multiple(amount) AS no_outflow FROM (VALUES (5::numeric)) v(amount);
-- empty input: NULL
SELECT npv(amount, t, 0.035) IS NULL AS empty_npv_null FROM m10 WHERE false;

-- bad input
SELECT pg_temp.expect_error($$ SELECT discount_factor(1, -1.5) $$);
SELECT pg_temp.expect_error($$ SELECT discount_factor(1, 'fm2013') $$);
SELECT pg_temp.expect_error($$ SELECT discount_factor(1, 0.03, 'start') $$);
SELECT pg_temp.expect_error($$ SELECT discount_factor('infinity', 0.03) $$);
SELECT pg_temp.expect_error($$ SELECT discount_factor(1, 0.03, 'mid', 0) $$);
SELECT pg_temp.expect_error($$ SELECT npv(amount, t, r) FROM (VALUES (0::float8, 1::numeric, 0.03::float8), (1, 2, 0.04)) v(t, amount, r) $$);
SELECT pg_temp.expect_error($$ SELECT npv(amount, t, 0.03) FROM (VALUES (0::float8, NULL::numeric)) v(t, amount) $$);
SELECT pg_temp.expect_error($$ SELECT npv(amount, t, 0.03) FROM (VALUES (NULL::float8, 1::numeric)) v(t, amount) $$);
SELECT pg_temp.expect_error($$ SELECT irr(amount, t) FROM (VALUES (0::float8, 'NaN'::numeric)) v(t, amount) $$);
SELECT pg_temp.expect_error($$ SELECT '2|0:1'::cashflows $$);
SELECT pg_temp.expect_error($$ SELECT '1|0:1;'::cashflows $$);
SELECT pg_temp.expect_error($$ SELECT '1|0:abc'::cashflows $$);
SELECT pg_temp.expect_error($$ SELECT '1|inf:1'::cashflows $$);
SELECT pg_temp.expect_error($$ SELECT npv('1|0:1'::cashflows, -2) $$);
