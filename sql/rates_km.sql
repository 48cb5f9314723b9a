-- Kaplan-Meier time to self-sufficiency (k = 2 consecutive self-supporting
-- weeks), checked against the product-limit and Greenwood formulas by hand.
\i sql/include/expect_error.sql
SET datestyle = ISO;
-- anchor 2019-01-07 = week 0. Times: 1 event, 2 censored, 3 events x2, 4 censored, 5 event
CREATE TEMP TABLE km (person int, grp int, path benefit_path);
INSERT INTO km VALUES
	(1, 1, '2019-01-07:130x1,-x2'),             -- event at 1
	(2, 1, '2019-01-07:130x4'),                 -- no event; last observed week 3 -> censored at 3 - (2 - 1) = 2
	(3, 2, '2019-01-07:130x3,-x2'),             -- event at 3
	(4, 2, '2019-01-07:130x3,-x5,130x1'),       -- event at 3
	(5, 2, '2019-01-07:130x5,-x1,997x3'),       -- one self week, then emigrates: censored at 4
	(6, 1, '2019-01-07:130x5,-x2'),             -- event at 5
	(7, 1, '2019-01-07:997x3'),                 -- censored from the anchor: excluded
	(8, 2, NULL);                               -- no path: excluded
CREATE TEMP TABLE kms AS SELECT km_state(path, '2019-01-07', 2, 'strict') AS s FROM km;
SELECT s AS state, km_persons(s) AS persons, km_excluded(s) AS excluded, km_median(s) AS median,
       km_share_by(s, 0) AS by_0, abs(km_share_by(s, 3) - 7.0 / 12) < 1e-15 AS by_3_is_7_12,
       km_share_by(s, 10) AS by_10
FROM kms;
SELECT week, n_at_risk, n_events, n_censored, round(survival::numeric, 6) AS survival
FROM kms, km_curve(s) ORDER BY week;
-- Greenwood: Var S(3) = S^2 (1/(6*5) + 2/(4*2)); log-log band S^exp(+-z se/|log S|)
SELECT abs(c.std_error - 5.0 / 12 * sqrt(1.0 / 30 + 2.0 / 8)) < 1e-15 AS greenwood_ok,
       abs(c.conf_low - (5.0 / 12) ^ exp(1.959963984540054 * sqrt(1.0 / 30 + 2.0 / 8) / abs(ln(5.0 / 12)))) < 1e-12 AS loglog_lower_ok,
       abs(c.conf_high - (5.0 / 12) ^ exp(-1.959963984540054 * sqrt(1.0 / 30 + 2.0 / 8) / abs(ln(5.0 / 12)))) < 1e-12 AS loglog_upper_ok,
       abs(p.conf_high - least(1, 5.0 / 12 + 1.959963984540054 * 5.0 / 12 * sqrt(1.0 / 30 + 2.0 / 8))) < 1e-12 AS plain_upper_ok,
       abs(n.conf_low - (5.0 / 12) ^ exp(1.6448536269514722 * sqrt(1.0 / 30 + 2.0 / 8) / abs(ln(5.0 / 12)))) < 1e-12 AS level_90_ok
FROM kms, km_curve(s) c, km_curve(s, 0.95, 'plain') p, km_curve(s, 0.90) n
WHERE c.week = 3 AND p.week = 3 AND n.week = 3;
-- the last event empties the risk set: survival 0, band undefined
SELECT week, survival, std_error, conf_low, conf_high FROM kms, km_curve(s) WHERE week = 5;

-- two-step: per-group states roll up to the one-pass state, text/binary round trip
SELECT km_rollup(s)::text = (SELECT s::text FROM kms) AS rollup_equal
FROM (SELECT grp, km_state(path, '2019-01-07', 2, 'strict') AS s FROM km GROUP BY grp) g;
SELECT km_combine(a, b)::text = (SELECT s::text FROM kms) AS combine_equal
FROM (SELECT km_state(path, '2019-01-07', 2, 'strict') FILTER (WHERE grp = 1) AS a,
             km_state(path, '2019-01-07', 2, 'strict') FILTER (WHERE grp = 2) AS b FROM km) x;
SELECT s::text::km_state::text = s::text AS text_round_trip FROM kms;
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/results/rates_km.bin'
COPY kms TO :'f' (FORMAT binary);
CREATE TEMP TABLE kms2 (LIKE kms);
COPY kms2 FROM :'f' (FORMAT binary);
SELECT kms2.s::text = kms.s::text AS binary_round_trip FROM kms, kms2;

-- bad input
SELECT pg_temp.expect_error($$ SELECT 'v=1;k=2;excluded=0;points=3:1/0,1:1/0'::km_state $$) AS times_not_increasing;
SELECT pg_temp.expect_error($$ SELECT 'v=1;k=2;excluded=0;points=1:0/0'::km_state $$) AS empty_point;
SELECT pg_temp.expect_error($$ SELECT 'v=1;k=2;excluded=0;points=1:1/0,'::km_state $$) AS trailing_comma;
SELECT pg_temp.expect_error($$ SELECT 'v=9;k=2;excluded=0;points='::km_state $$) AS wrong_version;
SELECT pg_temp.expect_error($$ SELECT km_combine('v=1;k=2;excluded=0;points=1:1/0', 'v=1;k=4;excluded=0;points=1:1/0') $$) AS k_differs;
SELECT pg_temp.expect_error($$ SELECT km_state(path, '2019-01-07', 0, 'strict') FROM km $$) AS k_zero;
SELECT pg_temp.expect_error($$ SELECT * FROM km_curve('v=1;k=2;excluded=0;points=1:1/0', 1.5) $$) AS bad_level;
SELECT pg_temp.expect_error($$ SELECT * FROM km_curve('v=1;k=2;excluded=0;points=1:1/0', 0.95, 'logit') $$) AS bad_conf_type;
