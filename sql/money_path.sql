-- Path-based savings: exact seniority per week (LBK 221 section 6 stk. 1) and
-- the kommune/stat split (section 5). R = 12,326 x 12 / 52 = 2,844.4615 (kontanthjaelp 2024).
\i sql/include/expect_error.sql

-- 60 kontanthjaelp weeks from 2024-01-01 priced at 2024 rates:
--   kommune shares: weeks 1-4 0.2, 5-26 0.6 (22 weeks), 27-52 0.7 (26), 53-60 0.8 (8)
--   kommune = R x (4 x 0.2 + 22 x 0.6 + 26 x 0.7 + 8 x 0.8) = R x 38.6 = 109,796.22
--   gross = 60 R = 170,667.69; stat = gross - kommune = 60,871.47 (money in cents; R x 21.4 = 60,871.477
--   unrounded: the parts add up to the gross rather than each being rounded on its own)
SELECT period, benefit_weeks, priced_weeks, round(gross, 2) AS gross, round(kommune, 2) AS kommune, round(stat, 2) AS stat
FROM path_benefit_cost('2024-01-01:130x60', '2024-01-01', '2025-02-17', price_date => '2024-06-01');
-- without price_date the 2025 weeks (by their Thursday) have no rate in force: priced_weeks 52 of 60
SELECT benefit_weeks, priced_weeks FROM path_benefit_cost('2024-01-01:130x60', '2024-01-01', '2025-02-17');

-- M9 from a path: the 60th week (2025-02-17) has seniority 60 -> kommune 2,275.57, stat 568.89
SELECT round(kommune, 2) AS kommune, round(stat, 2) AS stat
FROM path_benefit_cost('2024-01-01:130x60', '2025-02-17', '2025-02-17', price_date => '2024-06-01');

-- by quarter (Thursday rule): Q1 2024 has 13 weeks (1-4 at 0.2, 5-13 at 0.6): kommune = R x (0.8 + 5.4) = 17,635.66
SELECT period, benefit_weeks, round(kommune, 2) AS kommune
FROM path_benefit_cost('2024-01-01:130x60', '2024-01-01', '2025-02-17', 'quarter', price_date => '2024-06-01');

-- reset after 52 self-supporting weeks: the last 5 weeks (weeks 63-67 of the path, 2025-03-10 to 2025-04-07)
-- restart at seniority 1..5: kommune = R x (4 x 0.2 + 1 x 0.6) = R x 1.4 = 3,982.25
SELECT benefit_weeks, round(kommune, 2) AS after_reset
FROM path_benefit_cost('2024-01-01:130x10,-x52,130x5', '2025-03-10', '2025-04-07', price_date => '2024-06-01');
-- 51 self-supporting weeks do not reset: the last 5 weeks (2025-03-03 to 2025-03-31) have seniority 11..15
-- at 0.6 -> R x 3.0 = 8,533.38
SELECT benefit_weeks, round(kommune, 2) AS no_reset
FROM path_benefit_cost('2024-01-01:130x10,-x51,130x5', '2025-03-03', '2025-03-31', price_date => '2024-06-01');
-- a known seniority before the path starts: initial 52 -> every week at 0.8 -> 5 R x 0.8 = 11,377.85
SELECT round(kommune, 2) AS initial_52
FROM path_benefit_cost('2024-01-01:130x5', '2024-01-01', '2024-01-29', initial_seniority => 52);

-- co-financed dagpenge (20,359 x 12 / 52 = 4,698.2308): 30 weeks,
--   kommune = 4,698.2308 x (4 x 0.2 + 22 x 0.6 + 4 x 0.7) = 4,698.2308 x 16.8 = 78,930.28;
--   gross = 30 x 4,698.2308 = 140,946.92, stat = gross - kommune = 62,016.64
SELECT round(gross, 2) AS gross, round(kommune, 2) AS kommune, round(stat, 2) AS stat
FROM path_benefit_cost('2024-01-01:111x30', '2024-01-01', '2024-07-22');

-- SU (payer_rule none) is a benefit week without a split: not priced
SELECT benefit_weeks, priced_weeks, gross FROM path_benefit_cost('2024-01-01:651x4', '2024-01-01', '2024-01-22');
-- censoring ends the path: weeks after emigration are not benefit weeks
SELECT benefit_weeks FROM path_benefit_cost('2024-01-01:130x2,997x1,130x5', '2024-01-01', '2024-02-19');

-- savings: counterfactual 52 weeks of kontanthjaelp in 2024, actual 10 weeks then self-supporting:
--   42 avoided weeks at seniority 11..52: 16 at 0.6 + 26 at 0.7 -> kommune R x 27.8 = 79,076.03,
--   stat R x 14.2 = 40,391.35, gross 42 R = 119,467.38
SELECT period, avoided_weeks, unpriced_weeks, round(gross, 2) AS gross, round(kommune, 2) AS kommune, round(stat, 2) AS stat
FROM path_savings('2024-01-01:130x10,-x42', '2024-01-01:130x52', '2024-01-01', '2024-12-23');
SELECT period, avoided_weeks, round(kommune, 2) AS kommune
FROM path_savings('2024-01-01:130x10,-x42', '2024-01-01:130x52', '2024-01-01', '2024-12-23', 'quarter');

-- from person-week rows through the benefit_path aggregate
CREATE TABLE pw (person_id int, week date, code int);
INSERT INTO pw SELECT 1, '2024-01-01'::date + 7 * g, 130 FROM generate_series(0, 59) g;
INSERT INTO pw SELECT 2, '2024-01-01'::date + 7 * g, 130 FROM generate_series(0, 9) g;
SELECT person_id, round(c.kommune, 2) AS kommune_2024
FROM (SELECT person_id, benefit_path(week, code) AS path FROM pw GROUP BY 1) p,
     path_benefit_cost(p.path, '2024-01-01', '2024-12-23') c ORDER BY 1;

-- bad input
SELECT pg_temp.expect_error($$ SELECT * FROM path_benefit_cost('2024-01-01:130x5', '2024-01-01', '2024-02-01', 'decade') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM path_benefit_cost('2024-01-01:130x5', '2024-01-01', '2024-02-01', initial_seniority => -1) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM path_benefit_cost('2024-01-01:130x5', '2024-03-01', '2024-02-01') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM path_benefit_cost(NULL, '2024-01-01', '2024-02-01') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM path_benefit_cost('2024-01-01:130x5', '2024-01-01', '2024-02-01', profile => 'lenient') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM path_benefit_cost('2024-01-01:130x5', '2024-01-01', 'infinity') $$);

-- independent reference: the seniority rule written out in PL/pgSQL (array of the self-supporting
-- weeks since the last reset, kept to the last 156 weeks; 52 of them reset the count), priced with
-- the SQL functions benefit_rate_at() and kommune_share(); compared week by week with the C walk
CREATE FUNCTION pg_temp.ref_walk(runs text[], lens int[], start date)
RETURNS TABLE (week date, seniority int, kommune numeric) LANGUAGE plpgsql AS $f$
DECLARE
	s int := 0; selfs int[] := '{}'; i int := 0; r int; j int;
BEGIN
	FOR r IN 1 .. cardinality(runs) LOOP
		FOR j IN 1 .. lens[r] LOOP
			week := start + 7 * i;
			IF runs[r] = '130' THEN
				s := s + 1;
				seniority := s;
				kommune := benefit_rate_at('kontanthjaelp', '2024-06-01') * kommune_share('refusion', s, week);
				RETURN NEXT;
			ELSE
				selfs := selfs || i;
			END IF;
			selfs := ARRAY(SELECT x FROM unnest(selfs) x WHERE x > i - 156);
			IF cardinality(selfs) >= 52 THEN
				s := 0; selfs := '{}';
			END IF;
			i := i + 1;
		END LOOP;
	END LOOP;
END $f$;
-- 400 weeks: 130x20,-x30,130x40,-x25,130x10,-x52,130x60,-x10,130x30,-x40,130x83
SELECT count(*) AS weeks_compared,
       count(*) FILTER (WHERE c.kommune IS DISTINCT FROM round(r.kommune, 2)) AS mismatches,   -- weekly rows in cents
       max(r.seniority) AS max_seniority, round(sum(c.kommune), 2) AS kommune_total
FROM pg_temp.ref_walk(ARRAY['130', '-', '130', '-', '130', '-', '130', '-', '130', '-', '130'],
                      ARRAY[20, 30, 40, 25, 10, 52, 60, 10, 30, 40, 83], '2019-01-07') r
FULL JOIN path_benefit_cost('2019-01-07:130x20,-x30,130x40,-x25,130x10,-x52,130x60,-x10,130x30,-x40,130x83',
                            '2019-01-07', '2026-08-31', 'week', price_date => '2024-06-01') c
  ON c.period = r.week;

-- a given set of avoided weeks valued at their seniority in the baseline path:
-- 60 kontanthjaelp weeks; weeks 3, 10, 30 and 60 (seniority 3, 10, 30, 60) were avoided:
--   kommune = R x (0.2 + 0.6 + 0.7 + 0.8) = R x 2.3 = 6,542.26; gross = 4 R = 11,377.85, stat = 4,835.59
--   (weeks of the path: 2024-01-15, 2024-03-04, 2024-07-22, 2025-02-17; a listed self week and a duplicate are not counted)
SELECT benefit_weeks, priced_weeks, round(kommune, 2) AS kommune, round(stat, 2) AS stat
FROM path_weeks_value('2024-01-01:130x60,-x5',
                      ARRAY['2024-01-15', '2024-03-06', '2024-07-22', '2025-02-17', '2025-02-24', '2024-01-15']::date[],
                      price_date => '2024-06-01');
SELECT pg_temp.expect_error($$ SELECT * FROM path_weeks_value('2024-01-01:130x5', ARRAY['2024-01-01', NULL]::date[]) $$);
