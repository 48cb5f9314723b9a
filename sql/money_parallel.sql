-- The cash-flow aggregates split between workers (issue 15, item 3): their
-- state is the storable type cashflows_state, so PostgreSQL runs them as
-- Partial + Finalize aggregates and Citus can aggregate them on its workers.
-- Every result of a parallel plan must equal the serial plan's exactly: the
-- combine concatenates flows and every final reads them in one order.
\i sql/include/expect_error.sql

-- Citus distributes an aggregate only when its state type is not a pseudo-type
-- (internal): none of the cash-flow aggregates has one, and each combines.
SELECT p.proname, pg_catalog.format_type(a.aggtranstype, NULL) AS state_type,
       a.aggcombinefn <> 0 AS combines, p.proparallel AS parallel
FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
WHERE p.proname IN ('cashflows', 'cashflows_rollup', 'npv', 'irr', 'xirr', 'payback_period',
                    'money_multiple', 'benefit_cost_ratio')
  AND p.pronamespace = (SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = 'socialinvest')
ORDER BY 1, 2;

-- 40,000 flows in 4 programmes: an investment of 4 x -250,000 at t = 0 and
-- returns at weekly times over ten years; dates for xirr. Amounts with cents.
CREATE TABLE cf_rows AS
SELECT g AS id, g % 4 AS programme,
       CASE WHEN g <= 4 THEN 0::float8 ELSE (g % 520) / 52.0 END AS years,
       CASE WHEN g <= 4 THEN -250000::numeric ELSE round((30 + (g * 7919) % 100 / 3.0)::numeric, 2) END AS amount,
       DATE '2020-01-06' + CASE WHEN g <= 4 THEN 0 ELSE (g % 520) * 7 END AS day
FROM generate_series(1, 40000) g;
ANALYZE cf_rows;

CREATE TEMP TABLE serial_results AS
SELECT npv(amount, years, 0.035) AS npv_flat, npv(amount, years, 'fm2021') AS npv_fm2021,
       irr(amount, years) AS irr, xirr(amount, day) AS xirr,
       payback_period(amount, years) AS payback, payback_period(amount, years, 0.035) AS payback_disc,
       money_multiple(amount) AS multiple, benefit_cost_ratio(amount, years, 0.035) AS bcr,
       cashflows(amount, years)::text AS flows
FROM cf_rows;

-- the same NPV by hand: sum(amount * 1.035^-years) in float8 terms, to the cent
SELECT abs(npv_flat - (SELECT sum(amount * (1.035 ^ (-years))::numeric) FROM cf_rows)) < 0.01 AS npv_by_hand,
       npv_fm2021 = npv_flat AS fm2021_is_flat_before_35_years,
       abs(multiple / (SELECT sum(amount) FILTER (WHERE amount > 0) / -sum(amount) FILTER (WHERE amount < 0) FROM cf_rows)::float8 - 1)
         < 1e-14 AS multiple_by_hand,
       payback > 0 AND payback < 10 AND payback_disc > payback AS paybacks_found
FROM serial_results;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT npv(amount, years, 0.035), irr(amount, years), xirr(amount, day) FROM cf_rows;

SELECT s.npv_flat = p.npv_flat AS npv_flat_equal, s.npv_fm2021 = p.npv_fm2021 AS npv_fm2021_equal,
       s.irr = p.irr AS irr_equal, s.xirr = p.xirr AS xirr_equal,
       s.payback IS NOT DISTINCT FROM p.payback AS payback_equal,
       s.payback_disc IS NOT DISTINCT FROM p.payback_disc AS payback_disc_equal,
       s.multiple = p.multiple AS multiple_equal, s.bcr = p.bcr AS bcr_equal,
       s.flows = p.flows AS cashflows_equal
FROM serial_results s,
     (SELECT npv(amount, years, 0.035) AS npv_flat, npv(amount, years, 'fm2021') AS npv_fm2021,
             irr(amount, years) AS irr, xirr(amount, day) AS xirr,
             payback_period(amount, years) AS payback, payback_period(amount, years, 0.035) AS payback_disc,
             money_multiple(amount) AS multiple, benefit_cost_ratio(amount, years, 0.035) AS bcr,
             cashflows(amount, years)::text AS flows
      FROM cf_rows) p;

-- grouped: Partial HashAggregate in the workers, one row per programme
EXPLAIN (COSTS OFF)
SELECT programme, npv(amount, years, 0.035) FROM cf_rows GROUP BY programme;
CREATE TEMP TABLE parallel_grouped AS
SELECT programme, npv(amount, years, 0.035) AS npv, irr(amount, years) AS irr
FROM cf_rows GROUP BY programme;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT bool_and(g.npv = s.npv) AS grouped_npv_equal, bool_and(g.irr = s.irr) AS grouped_irr_equal,
       count(*) AS programmes
FROM parallel_grouped g
JOIN (SELECT programme, npv(amount, years, 0.035) AS npv, irr(amount, years) AS irr
      FROM cf_rows GROUP BY programme) s USING (programme);

-- the rows' order does not matter either: shuffled input, same answers
SELECT s.irr = r.irr AS irr_order_free, s.multiple = r.multiple AS multiple_order_free,
       s.flows = r.flows AS cashflows_order_free
FROM serial_results s,
     (SELECT irr(amount, years) AS irr, money_multiple(amount) AS multiple, cashflows(amount, years)::text AS flows
      FROM (SELECT * FROM cf_rows ORDER BY md5(id::text)) o) r;

-- the support functions work only inside their aggregates
SELECT pg_temp.expect_error($$ SELECT cashflows_trans(NULL, 1, 0) $$);

-- one-shot npv still refuses two rates in one group, also across workers
SELECT pg_temp.expect_error($$ SELECT npv(amount, years, CASE WHEN id % 2 = 0 THEN 0.03 ELSE 0.035 END) FROM cf_rows $$);

-- text form of the state: round trip, and bad values refused with their reason
SELECT '1|1|0|0.035|0:-100;1:110'::cashflows_state::text AS state_text,
       '1|3|1|0|18262:-5;18627:6'::cashflows_state::text AS state_days_fm2021,
       '1|0|0|0|'::cashflows_state::text AS empty_state;
SELECT pg_temp.expect_error($$ SELECT '2|0|0|0|'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|4|0|0|'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|1|0|1.5|0:1'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|1|1|0.03|0:1'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|0|0|0.03|0:1'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|0|2|0|0:1'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|0|0|0|0:NaN'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|0|0|0'::cashflows_state $$);
SELECT pg_temp.expect_error($$ SELECT '1|0|0|0|0:1;'::cashflows_state $$);
-- (binary send/recv and mutated values: sql/zz_fuzz_types.sql)

DROP TABLE cf_rows;
