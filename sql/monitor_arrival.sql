-- arrival_cohort_status: the share self-supporting 12 months after arrival
-- per municipality and arrival year, every person counted once, against
-- the other municipalities with Newcombe's interval of the difference.
--
-- Fixture: sql/include/monitor_fixture.sql (46 persons, 4 municipalities,
-- arrivals 2020 and 2021). Reference: test/monitor_reference.py, pure
-- Python written independently of the SQL and C code, computes every
-- number below from the same rows; its output (`--expected`) is pasted
-- between the "reference" markers and compared here with tolerance 1e-9
-- (test/integration/monitor_reference.sh re-runs the script and checks
-- that the markers hold exactly its output).
\i sql/include/monitor_fixture.sql
\i sql/include/expect_error.sql
CREATE FUNCTION pg_temp.near(a float8, b float8, tol float8) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT (a IS NULL AND b IS NULL) OR abs(a - b) <= tol $$;

CREATE TEMP TABLE ref_arrival (municipality integer, arrival_year integer, n_persons bigint,
	n_observed bigint, n_self_supporting bigint, estimate float8, conf_low float8, conf_high float8,
	n_emigrated bigint, n_dead bigint, n_other_censored bigint, n_not_yet bigint,
	emigrated_share float8, dead_share float8, others_estimate float8, others_conf_low float8,
	others_conf_high float8, difference float8, difference_conf_low float8,
	difference_conf_high float8, suppressed boolean);
INSERT INTO ref_arrival VALUES
-- reference: arrival (municipality, arrival_year, n_persons, n_observed, n_self_supporting, estimate, conf_low, conf_high, n_emigrated, n_dead, n_other_censored, n_not_yet, emigrated_share, dead_share, others_estimate, others_conf_low, others_conf_high, difference, difference_conf_low, difference_conf_high, suppressed)
	(101, 2020, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true),
	(101, 2021, 9, 8, 7, 0.875, 0.5291118177871466, 0.9775825085499432, 1, 0, 0, 0, 0.1111111111111111, 0.0, 0.625, 0.3057423946026274, 0.8631557141764026, 0.25, -0.16994854302567175, 0.5853335498641071, false),
	(102, 2020, 7, 7, 6, 0.8571428571428571, 0.48687217072568123, 0.9743203756552564, 0, 0, 0, 0, 0.0, 0.0, 0.5714285714285714, 0.3259064457965076, 0.7861920109552588, 0.2857142857142857, -0.1423321091743755, 0.5577651725343999, false),
	(102, 2021, 8, 6, 3, 0.5, 0.18761630648265054, 0.8123836935173494, 0, 0, 1, 1, 0.0, 0.0, 0.9, 0.5958499732047615, 0.9821237869049271, -0.4, -0.7229982791767584, 0.035994049013384544, false),
	(103, 2020, 11, 8, 4, 0.5, 0.21521606221387762, 0.7847839377861223, 1, 0, 1, 1, 0.09090909090909091, 0.0, 0.7692307692307693, 0.49743624053272506, 0.9182047128150144, -0.2692307692307693, -0.5906263620568251, 0.12443680252382922, false),
	(103, 2021, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true),
	(104, 2020, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true),
	(104, 2021, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true)
-- reference: end
;

-- 1. Every number against the reference (expected: no rows)
SELECT coalesce(a.municipality, r.municipality) AS municipality,
	coalesce(a.arrival_year, r.arrival_year) AS arrival_year
FROM arrival_cohort_status('mb') a
FULL JOIN ref_arrival r ON r.municipality = a.municipality AND r.arrival_year = a.arrival_year
WHERE NOT (a.n_persons IS NOT DISTINCT FROM r.n_persons AND a.n_observed IS NOT DISTINCT FROM r.n_observed
	AND a.n_self_supporting IS NOT DISTINCT FROM r.n_self_supporting
	AND a.n_emigrated IS NOT DISTINCT FROM r.n_emigrated AND a.n_dead IS NOT DISTINCT FROM r.n_dead
	AND a.n_other_censored IS NOT DISTINCT FROM r.n_other_censored
	AND a.n_not_yet IS NOT DISTINCT FROM r.n_not_yet AND a.suppressed = r.suppressed
	AND pg_temp.near(a.estimate, r.estimate, 1e-9) AND pg_temp.near(a.conf_low, r.conf_low, 1e-9)
	AND pg_temp.near(a.conf_high, r.conf_high, 1e-9)
	AND pg_temp.near(a.emigrated_share, r.emigrated_share, 1e-9)
	AND pg_temp.near(a.dead_share, r.dead_share, 1e-9)
	AND pg_temp.near(a.others_estimate, r.others_estimate, 1e-9)
	AND pg_temp.near(a.others_conf_low, r.others_conf_low, 1e-9)
	AND pg_temp.near(a.others_conf_high, r.others_conf_high, 1e-9)
	AND pg_temp.near(a.difference, r.difference, 1e-9)
	AND pg_temp.near(a.difference_conf_low, r.difference_conf_low, 1e-9)
	AND pg_temp.near(a.difference_conf_high, r.difference_conf_high, 1e-9))
ORDER BY 1, 2;

-- the same rows, rounded, for reading
SELECT municipality AS mun, arrival_year AS yr, n_persons AS n, n_observed AS obs, n_self_supporting AS self,
	round(estimate::numeric, 3) AS est, round(conf_low::numeric, 3) AS lo, round(conf_high::numeric, 3) AS hi,
	n_emigrated AS emi, n_dead AS dead, n_other_censored AS oth, n_not_yet AS nyet,
	round(others_estimate::numeric, 3) AS others, round(difference::numeric, 3) AS diff,
	round(difference_conf_low::numeric, 3) AS diff_lo, round(difference_conf_high::numeric, 3) AS diff_hi, suppressed
FROM arrival_cohort_status('mb');

-- 2. Every person in exactly one count column: with suppression off,
--    observed + emigrated + dead + other censored + not yet = persons,
--    and the persons add up to the 46 of the fixture.
SELECT municipality, arrival_year, n_persons,
	n_observed + n_emigrated + n_dead + n_other_censored + n_not_yet = n_persons AS adds_up
FROM arrival_cohort_status('mb', min_cell => 0);
SELECT sum(n_persons) AS persons FROM arrival_cohort_status('mb', min_cell => 0);
-- each person's status (hand reading of the fixture): 2 data end after 41
-- weeks (not yet observed), 5 state pension (other), 12 dead, 15 emigrated,
-- 46 has no observation period, 10 on benefit for 76 weeks, 14 for 1 week
SELECT person_id, horizon_week, status FROM _arrival_person_status('mb', 12, 'strict')
WHERE person_id IN (2, 5, 10, 12, 14, 15, 46) ORDER BY 1;

-- 3. Suppression: rows below min_cell observed persons keep their keys,
--    everything else NULL; with min_cell 8 the cells of 7 (102/2020) and 6
--    (102/2021) observed persons are suppressed too, with 0 none
SELECT municipality, arrival_year, n_persons, estimate IS NULL AS estimate_null, suppressed
FROM arrival_cohort_status('mb', min_cell => 8) ORDER BY 1, 2;
SELECT count(*) FILTER (WHERE suppressed) AS suppressed, count(*) AS rows
FROM arrival_cohort_status('mb', min_cell => 0);

-- 4. Others are all other municipalities of the same arrival year: for
--    101/2021 (7 of 8) the others are 102 (3 of 6), 103 (1 of 1) and 104
--    (1 of 1): 5 of 8 = 0.625
SELECT others_estimate FROM arrival_cohort_status('mb') WHERE municipality = 101 AND arrival_year = 2021;
-- Newcombe's interval through proportion_difference: 7/8 - 5/8
SELECT round(estimate::numeric, 4) AS estimate, round(conf_low::numeric, 4) AS conf_low,
	round(conf_high::numeric, 4) AS conf_high FROM proportion_difference(7, 8, 5, 8);
-- Newcombe (1998), Table II, method 10, example (a): 56/70 - 48/80 = 0.0524 to 0.3339
SELECT round(conf_low::numeric, 4) AS conf_low, round(conf_high::numeric, 4) AS conf_high
FROM proportion_difference(56, 70, 48, 80);
SELECT * FROM proportion_difference(0, 0, 1, 2);   -- n_a = 0: NULLs
SELECT * FROM proportion_difference(NULL, 2, 1, 2);

-- 5. The horizon: months * 52 / 12 weeks, rounded (12 -> 52, 6 -> 26, 1 -> 4)
SELECT m, horizon_week - DATE '2020-08-24' AS days
FROM generate_series(1, 24, 5) m, LATERAL _arrival_person_status('mb', m, 'strict') s WHERE s.person_id = 1;
-- 6 months (26 weeks): person 2 (41 weeks of data, on benefit) is observed now;
-- 12 (dead after 17 weeks) is still dead
SELECT person_id, status FROM _arrival_person_status('mb', 6, 'strict') WHERE person_id IN (2, 12) ORDER BY 1;
-- conf_level: NULL means 0.95; 0.99 widens
SELECT a.conf_low = b.conf_low AS null_is_095, c.conf_low < a.conf_low AND c.conf_high > a.conf_high AS wider_at_099
FROM arrival_cohort_status('mb') a, arrival_cohort_status('mb', conf_level => NULL) b, arrival_cohort_status('mb', conf_level => 0.99) c
WHERE a.municipality = 102 AND a.arrival_year = 2020 AND b.municipality = 102 AND b.arrival_year = 2020
	AND c.municipality = 102 AND c.arrival_year = 2020;

-- 6. Bad arguments
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status('mb', months => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status('mb', months => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status('mb', min_cell => -1) $$);
-- a NULL min_cell means its default, 5 (docs/conventions.md)
SELECT count(*) AS rows_differing FROM (
	(SELECT * FROM arrival_cohort_status('mb', min_cell => NULL) EXCEPT ALL SELECT * FROM arrival_cohort_status('mb', min_cell => 5))
	UNION ALL
	(SELECT * FROM arrival_cohort_status('mb', min_cell => 5) EXCEPT ALL SELECT * FROM arrival_cohort_status('mb', min_cell => NULL))) d;
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status('mb', conf_level => 1.5) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status('mb', profile => 'no_such_profile') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status('no_such_schema') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status(NULL) $$);
CREATE SCHEMA mb_empty;
SELECT pg_temp.expect_error($$ SELECT * FROM arrival_cohort_status('mb_empty') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM proportion_difference(3, 2, 1, 2) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM proportion_difference(-1, 2, 1, 2) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM proportion_difference(1, 2, 1, 2, 0) $$);
SET client_min_messages = warning;
DROP SCHEMA mb, mb_empty CASCADE;
