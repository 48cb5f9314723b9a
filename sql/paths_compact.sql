-- benefit_paths and benefit_paths_scan over rows that are not in person
-- order: a table appended week by week (one row per person and week, the
-- persons of a week together) gives an entry per row, which the state
-- compacts into one entry per person whenever the new entries take about
-- as much memory as the compacted state (at least 65,536 entries), so its
-- memory follows the persons and runs, not the rows. These tables have
-- 160,000 rows (2,000 persons x 80 weeks), so every route compacts several
-- times. Reference: benefit_path(week, code) ... GROUP BY person_id.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS socialinvest;
RESET client_min_messages;
\i sql/include/expect_error.sql

CREATE SCHEMA cw;
SELECT generate_register('cw', 2000, 17, 80);
-- every person and week of the register, NULL code = no benefit, in week order
CREATE TABLE cw.by_week AS
SELECT p.person_id, w::date AS week, b.code
FROM cw.person p
CROSS JOIN generate_series('2019-01-07'::date, '2019-01-07'::date + 79 * 7, interval '7 days') w
LEFT JOIN cw.benefit_week b ON b.person_id = p.person_id AND b.week = w::date
ORDER BY w, p.person_id;
SELECT count(*) AS rows, count(DISTINCT person_id) AS persons FROM cw.by_week;
CREATE TEMP TABLE cw_group AS
SELECT person_id, benefit_path(week, code) AS path FROM cw.by_week GROUP BY 1;

-- the aggregate (serial plan)
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_aggregate,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM cw_group g
FULL JOIN benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM cw.by_week)) s USING (person_id);
-- the scan, by this backend alone
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_scan,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM cw_group g FULL JOIN benefit_paths_scan('cw.by_week') s USING (person_id);
-- the scan by parallel workers alone: each compacts its own state, the
-- leader compacts what their parts add up to
SET max_parallel_workers_per_gather = 2;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_scan_workers,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM cw_group g FULL JOIN benefit_paths_scan('cw.by_week') s USING (person_id);
RESET parallel_leader_participation;
-- the aggregate in a parallel plan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_aggregate_parallel,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM cw_group g
FULL JOIN benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM cw.by_week)) s USING (person_id);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
SET max_parallel_workers_per_gather = 0;

-- rows in random order with weeks on other weekdays: compaction meets
-- entries that overlap and rows before their entry's last week, and keeps
-- weeks without a row open for a row that comes later
CREATE TABLE cw.shuffled AS
SELECT person_id, week + (person_id % 7)::int AS week, code FROM cw.by_week
WHERE (person_id + extract(week FROM week)::int) % 3 <> 0   -- gaps: weeks without a row
ORDER BY md5(person_id::text || week::text);
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_shuffled,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different,
	count(*) FILTER (WHERE g.path::text ~ '-x') AS paths_with_no_benefit_runs
FROM (SELECT person_id, benefit_path(week, code) AS path FROM cw.shuffled GROUP BY 1) g
FULL JOIN benefit_paths_scan('cw.shuffled') s USING (person_id);

-- duplicates: a second code for one week of every 10th person, the extra
-- rows spread through the table. A compaction or the final finds them
-- (23505 naming person and week); with 'dream_priority' the winner is
-- the one benefit_path picks, however the rows were compacted.
CREATE TABLE cw.dup AS
SELECT * FROM (SELECT person_id, week, code FROM cw.by_week
               UNION ALL
               SELECT person_id, '2019-06-03'::date, 811 FROM cw.person WHERE person_id % 10 = 0) x
ORDER BY md5(person_id::text || week::text || coalesce(code, 0)::text);
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('cw.dup') $$)
	~ '^23505: benefit_paths: person \d+: the week of 2019-06-03 appears twice' AS duplicate_found_scan;
SELECT pg_temp.expect_error($$ SELECT benefit_paths(person_id, week, code) FROM cw.dup $$)
	~ '^23505: benefit_paths: person \d+: the week of 2019-06-03 appears twice' AS duplicate_found_aggregate;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_priority,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different,
	count(*) FILTER (WHERE code_at(s.path, '2019-06-03') = 811) AS persons_with_811
FROM (SELECT person_id, benefit_path(week, code, 'dream_priority') AS path FROM cw.dup GROUP BY 1) g
FULL JOIN benefit_paths_scan('cw.dup', on_duplicate => 'dream_priority') s USING (person_id);
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_priority_aggregate
FROM (SELECT person_id, benefit_path(week, code, 'dream_priority') AS path FROM cw.dup GROUP BY 1) g
JOIN benefit_paths_rows((SELECT benefit_paths(person_id, week, code, 'dream_priority') FROM cw.dup)) s USING (person_id);

-- entries that overlap without late rows (as the states of parallel
-- workers that read alternate chunks do), few per person: 6,000 persons x
-- 24 weeks, the even weeks first, then a second code for 2019-03-04 (an
-- even week) of every 10th person, then the odd weeks. The compaction in
-- the odd weeks overlays each person's new entries (a dozen at most) on the
-- compacted one run by run: the extra codes are a duplicate there (23505,
-- naming the week), or resolved by DREAM's priority rule.
CREATE SCHEMA ca;
SELECT generate_register('ca', 6000, 18, 24);
CREATE TABLE ca.alternate AS
SELECT person_id, week, code FROM (
	SELECT p.person_id, w::date AS week, b.code, ((w::date - '2019-01-07') / 7 % 2) * 2 AS phase
	FROM ca.person p
	CROSS JOIN generate_series('2019-01-07'::date, '2019-01-07'::date + 23 * 7, interval '7 days') w
	LEFT JOIN ca.benefit_week b ON b.person_id = p.person_id AND b.week = w::date
	UNION ALL
	SELECT person_id, '2019-03-04'::date, 811, 1 FROM ca.person WHERE person_id % 10 = 0) x
ORDER BY phase, week, person_id;
SELECT count(*) AS rows FROM ca.alternate;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('ca.alternate') $$)
	~ '^23505: benefit_paths: person \d+: the week of 2019-03-04 appears twice \(codes -?\d+ and 811; 0 = no benefit\)' AS duplicate_found_alternate;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_alternate_priority,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different,
	count(*) FILTER (WHERE code_at(s.path, '2019-03-04') = 811) > 0 AS some_811_won,
	count(*) FILTER (WHERE person_id % 10 = 0 AND code_at(s.path, '2019-03-04') IS DISTINCT FROM 811) > 0 AS some_811_lost
FROM (SELECT person_id, benefit_path(week, code, 'dream_priority') AS path FROM ca.alternate GROUP BY 1) g
FULL JOIN benefit_paths_scan('ca.alternate', on_duplicate => 'dream_priority') s USING (person_id);
-- without the extra codes: the overlaid paths are the GROUP BY paths
CREATE TABLE ca.alternate_clean AS
SELECT * FROM ca.alternate WHERE NOT (week = '2019-03-04' AND code = 811 AND person_id % 10 = 0)
ORDER BY (week - '2019-01-07') / 7 % 2, week, person_id;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_alternate,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM (SELECT person_id, benefit_path(week, code) AS path FROM ca.alternate_clean GROUP BY 1) g
FULL JOIN benefit_paths_scan('ca.alternate_clean') s USING (person_id);

RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
SET client_min_messages = warning;
DROP SCHEMA cw CASCADE;
DROP SCHEMA ca CASCADE;
RESET client_min_messages;
