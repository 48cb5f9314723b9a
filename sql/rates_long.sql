-- Long person-week table vs path routes, against plain SQL, and the
-- parallel plan (Partial Aggregate) against the serial one.
SET datestyle = ISO;
-- generated register: 2000 persons, weeks 2019-01-07 + 0..103, long form
-- with rows only for weeks with a benefit code (no row = no benefit);
-- censoring (997/998/999) is absorbing; 4242 is an unmapped code
CREATE TABLE rl_person AS
SELECT p AS person_id, 100 + p % 7 AS municipality, week_add('2019-01-07', (p * 7) % 30) AS anchor
FROM generate_series(1, 2000) p;
CREATE TABLE rl_week AS
SELECT person_id, week, code FROM (
	SELECT p.person_id, week_add('2019-01-07', w) AS week,
	       CASE WHEN p.person_id % 11 = 0 AND w >= 40 + p.person_id % 50 THEN 997 + p.person_id % 3
	            WHEN (p.person_id * 7 + w / (2 + p.person_id % 9)) % 5 IN (0, 1) THEN NULL
	            WHEN (p.person_id + w) % 97 = 0 THEN 4242
	            ELSE (ARRAY[130, 111, 211, 651, 890])[1 + (p.person_id + w / 13) % 5] END AS code
	FROM rl_person p, generate_series(0, 103) w) g
WHERE code IS NOT NULL;
SELECT count(*) AS long_rows, count(DISTINCT person_id) AS persons_with_rows FROM rl_week;

-- a user override makes code 211 self-supporting for one quarter: codes with
-- several validity periods are classified week by week
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to)
VALUES (211, 'aktivering_test', true, '2019-07-01', '2019-10-01');

-- route 1: paths built per person from the long table (covering the table's period)
CREATE TABLE rl_path AS
SELECT p.person_id, p.municipality, p.anchor,
       path_cover(benefit_path(w.week, w.code) FILTER (WHERE w.week IS NOT NULL),
                  '2019-01-07', week_add('2019-01-07', 103)) AS path
FROM rl_person p LEFT JOIN rl_week w USING (person_id)
GROUP BY 1, 2, 3;
ANALYZE rl_person; ANALYZE rl_week; ANALYZE rl_path;

-- reference: plain SQL over the long table and the code map
CREATE TEMP TABLE rl_ref AS
SELECT p.person_id, p.municipality,
       count(*) FILTER (WHERE s.st = 'self') AS self_weeks,
       count(*) FILTER (WHERE s.st IN ('self', 'benefit', 'unknown')) AS observed_weeks
FROM rl_person p CROSS JOIN generate_series(1, 52) k
LEFT JOIN rl_week b ON b.person_id = p.person_id AND b.week = week_add(p.anchor, k)
CROSS JOIN LATERAL (SELECT benefit_state(b.code, week_add(p.anchor, k)) AS st) s
GROUP BY 1, 2;
CREATE TEMP TABLE rl_ref_m AS
SELECT municipality, avg(self_weeks::float8 / observed_weeks) FILTER (WHERE observed_weeks > 0) AS person_weighted,
       sum(self_weeks)::float8 / sum(observed_weeks) AS week_weighted,
       count(*) FILTER (WHERE observed_weeks > 0) AS persons
FROM rl_ref GROUP BY 1;

-- route 2: the rate state fed per person straight from the long table (GROUP BY person subquery)
CREATE TEMP TABLE rl_long AS
SELECT municipality, selfsufficiency_state(path, week_add(anchor, 1), week_add(anchor, 52), 'strict') AS s
FROM (SELECT p.person_id, p.municipality, p.anchor,
             path_cover(benefit_path(w.week, w.code) FILTER (WHERE w.week IS NOT NULL),
                        '2019-01-07', week_add('2019-01-07', 103)) AS path
      FROM rl_person p LEFT JOIN rl_week w USING (person_id) GROUP BY 1, 2, 3) per_person
GROUP BY 1;
-- route 3: from the stored path table
CREATE TEMP TABLE rl_paths AS
SELECT municipality, selfsufficiency_state(path, week_add(anchor, 1), week_add(anchor, 52), 'strict') AS s
FROM rl_path GROUP BY 1;

SELECT count(*) AS municipalities,
       count(*) FILTER (WHERE abs(rate_person_weighted(l.s) - r.person_weighted) < 1e-12) AS person_weighted_agree_sql,
       count(*) FILTER (WHERE rate_week_weighted(l.s) = r.week_weighted) AS week_weighted_equal_sql,
       count(*) FILTER (WHERE (rate_counts(l.s)).persons = r.persons) AS persons_equal_sql,
       count(*) FILTER (WHERE rate_counts(l.s) = rate_counts(p.s)
                          AND abs(rate_person_weighted(l.s) - rate_person_weighted(p.s)) < 1e-15) AS long_and_path_routes_agree,
       sum((rate_counts(l.s)).censored_weeks) AS censored_weeks, sum((rate_counts(l.s)).unknown_weeks) AS unknown_weeks
FROM rl_long l JOIN rl_paths p USING (municipality) JOIN rl_ref_m r USING (municipality);
-- per person: the share equals the plain-SQL share
SELECT count(*) AS persons,
       count(*) FILTER (WHERE (r.observed_weeks = 0 AND s.share IS NULL)
                           OR s.share = r.self_weeks::float8 / r.observed_weeks) AS shares_equal
FROM rl_ref r JOIN rl_path p USING (person_id),
     LATERAL (SELECT selfsufficiency_share(p.path, week_add(p.anchor, 1), week_add(p.anchor, 52)) AS share) s;

-- the streaming window reader (selfsufficiency_share, selfsufficiency_state)
-- agrees with the full decoder (path_week_states) on many windows
SELECT count(*) AS windows,
       count(*) FILTER (WHERE (s.c).self + (s.c).benefit + (s.c).unknown = 0 AND s.share IS NULL
                           OR s.share = (s.c).self::float8 / ((s.c).self + (s.c).benefit + (s.c).unknown)) AS agree
FROM rl_path p, generate_series(-10, 110, 15) a, (VALUES (0), (5), (40), (130)) l(len),
     LATERAL (SELECT selfsufficiency_share(p.path, week_add('2019-01-07', a), week_add('2019-01-07', a + l.len)) AS share,
                     path_week_states(p.path, week_add('2019-01-07', a), week_add('2019-01-07', a + l.len)) AS c) s;

-- parallel plan: Partial Aggregate under Gather, same answer as serial
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
SELECT selfsufficiency_state(path, week_add(anchor, 1), week_add(anchor, 52), 'strict'),
       fte_state(path, week_add(anchor, 1), week_add(anchor, 52), ARRAY['kontanthjaelp']),
       km_state(path, anchor, 4, 'strict')
FROM rl_path;
CREATE TEMP TABLE par AS
SELECT selfsufficiency_state(path, week_add(anchor, 1), week_add(anchor, 52), 'strict') AS s,
       fte_state(path, week_add(anchor, 1), week_add(anchor, 52), ARRAY['kontanthjaelp']) AS f,
       km_state(path, anchor, 4, 'strict') AS k
FROM rl_path;
EXPLAIN (COSTS OFF)
SELECT p.person_id, benefit_path(w.week, w.code) FROM rl_person p JOIN rl_week w USING (person_id) GROUP BY 1;
CREATE TEMP TABLE par_paths AS
SELECT person_id, benefit_path(week, code) AS path FROM rl_week GROUP BY 1;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS
SELECT selfsufficiency_state(path, week_add(anchor, 1), week_add(anchor, 52), 'strict') AS s,
       fte_state(path, week_add(anchor, 1), week_add(anchor, 52), ARRAY['kontanthjaelp']) AS f,
       km_state(path, anchor, 4, 'strict') AS k
FROM rl_path;
SELECT rate_counts(par.s) = rate_counts(ser.s) AS rate_counts_equal,
       abs(rate_person_weighted(par.s) - rate_person_weighted(ser.s)) < 1e-12 AS person_rate_equal,
       rate_week_weighted(par.s) = rate_week_weighted(ser.s) AS week_rate_equal,
       par.f::text = ser.f::text AS fte_equal, par.k::text = ser.k::text AS km_equal,
       km_median(ser.k) AS km_median, km_persons(ser.k) + km_excluded(ser.k) AS km_all_persons
FROM par, ser;
SELECT count(*) AS persons, count(*) FILTER (WHERE a.path::text = b.path::text) AS paths_equal
FROM par_paths a JOIN (SELECT person_id, benefit_path(week, code) AS path FROM rl_week GROUP BY 1) b USING (person_id);
RESET max_parallel_workers_per_gather;
DROP TABLE rl_person, rl_week, rl_path;
DELETE FROM benefit_code WHERE code = 211 AND source = 'user';
