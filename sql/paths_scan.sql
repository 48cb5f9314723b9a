-- benefit_paths_scan(table): every person's path read straight from a
-- table. Reference: the paths written out by hand below, and
-- benefit_path(week, code) ... GROUP BY person_id over the same rows
-- (serial scan, parallel scan with workers, shuffled rows, partitions,
-- inheritance children with other column positions, a nullable code
-- column, a variable-width column before the read columns).
SET datestyle = ISO;
\i sql/include/expect_error.sql

-- hand example (as in paths_stream): person 1 has 130 in the weeks of
-- 2019-01-07 and -14, no row for 01-21 (no benefit), an explicit NULL code
-- for 01-28 (no benefit) and 997 for 02-04: 130x2,-x2,997x1. Person 2 has
-- one row on a Wednesday (2019-01-16), whose Monday is 2019-01-14.
CREATE TABLE scan_hand (person_id bigint, week date, code int);
INSERT INTO scan_hand VALUES (1, '2019-01-07', 130), (1, '2019-01-14', 130), (1, '2019-01-28', NULL),
	(1, '2019-02-04', 997), (2, '2019-01-16', 111);
SELECT * FROM benefit_paths_scan('scan_hand');
-- no rows: no paths
SELECT count(*) AS paths_of_empty FROM benefit_paths_scan('scan_hand') WHERE false;
CREATE TABLE scan_empty (LIKE scan_hand);
SELECT count(*) AS paths_of_empty_table FROM benefit_paths_scan('scan_empty');

-- generated register, stored in (person, week) order
CREATE SCHEMA sc;
SELECT generate_register('sc', 400, 11, 80);
CREATE TEMP TABLE sc_group AS
SELECT person_id, benefit_path(week, code) AS path FROM sc.benefit_week GROUP BY 1;
-- serial scan
SET max_parallel_workers_per_gather = 0;
SELECT (SELECT count(*) FROM sc_group) AS persons,
	count(*) FILTER (WHERE g.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.benefit_week') s USING (person_id);
-- persons come out in ascending order
SELECT bool_and(a < b) AS ascending
FROM (SELECT person_id AS a, lead(person_id) OVER (ORDER BY ord) AS b
      FROM benefit_paths_scan('sc.benefit_week') WITH ORDINALITY u(person_id, path, ord)) x WHERE b IS NOT NULL;

-- parallel scan: workers fill their own states, the leader merges them
-- (persons cut by block boundaries between processes are merged too)
SET max_parallel_workers_per_gather = 2;
SET min_parallel_table_scan_size = 0;
SET client_min_messages = debug1;
SELECT count(*) AS persons FROM benefit_paths_scan('sc.benefit_week');
RESET client_min_messages;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.benefit_week') s USING (person_id);

-- called while a parallel query runs in this backend (the leader of a
-- Gather): the scan does not start workers of its own, and no DEBUG line
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM sc.benefit_week w JOIN benefit_paths_scan('sc.benefit_week') s USING (person_id);
SET client_min_messages = debug1;
SELECT count(*) = (SELECT count(*) FROM sc.benefit_week) AS every_row_joined
FROM sc.benefit_week w JOIN benefit_paths_scan('sc.benefit_week') s USING (person_id);
RESET client_min_messages;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;

-- shuffled rows with weeks on other weekdays (late rows in every process)
CREATE TABLE sc.shuffled AS
SELECT person_id, week + (person_id % 5)::int AS week, code
FROM sc.benefit_week ORDER BY md5(person_id::text || week::text);
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.shuffled') s USING (person_id);
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_serial,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.shuffled') s USING (person_id);
SET max_parallel_workers_per_gather = 2;
-- the workers alone (parallel_leader_participation off, honoured as Gather
-- does): every row passes through a worker's state, which reaches the
-- leader in parts of 64 kB (the shuffled table makes several per worker)
SET parallel_leader_participation = off;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_workers_only,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.benefit_week') s USING (person_id);
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_shuffled_workers_only,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.shuffled') s USING (person_id);
RESET parallel_leader_participation;

-- a duplicate week far from its twin (in another process's blocks): the
-- merge finds it; with 'dream_priority' the path is benefit_path's
INSERT INTO sc.shuffled SELECT person_id, week, 811 FROM sc.benefit_week
	WHERE person_id = (SELECT min(person_id) FROM sc.benefit_week) ORDER BY week LIMIT 1;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('sc.shuffled') $$) ~ '^23505: benefit_paths: person \d+: the week of \d{4}-\d\d-\d\d appears twice' AS duplicate_found;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_priority,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM (SELECT person_id, benefit_path(week, code, 'dream_priority') AS path FROM sc.shuffled GROUP BY 1) g
FULL JOIN benefit_paths_scan('sc.shuffled', on_duplicate => 'dream_priority') s USING (person_id);

-- other layouts: integer person, smallint code, a text column first (no
-- fixed offsets), a dropped column, other column names
CREATE TABLE sc.layout (note text, pnr int, dropme int, uge date, ydelse smallint);
INSERT INTO sc.layout SELECT 'x' || person_id, person_id::int, 0, week, code::smallint FROM sc.benefit_week;
ALTER TABLE sc.layout DROP COLUMN dropme;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_layout,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.layout', 'pnr', 'uge', 'ydelse') s USING (person_id);
-- fixed-width columns only, some codes NULL (the code is the last column:
-- tuples with a NULL code are read at fixed offsets too)
CREATE TABLE sc.nullable (person_id bigint, week date, code int);
INSERT INTO sc.nullable SELECT person_id, week, CASE WHEN code IN (SELECT code FROM benefit_code WHERE self_supporting) THEN NULL ELSE code END
FROM sc.benefit_week;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_nullable,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different,
	count(*) FILTER (WHERE g.path::text ~ '-x') AS paths_with_no_benefit_runs
FROM (SELECT person_id, benefit_path(week, code) AS path FROM sc.nullable GROUP BY 1) g
FULL JOIN benefit_paths_scan('sc.nullable') s USING (person_id);
-- fixed-width columns around the read ones, NULL in any of them: a tuple
-- whose first NULL is the code (after person and week) is still read at
-- fixed offsets; one with a NULL before a read column is read the slow
-- way; both give the aggregate's paths
CREATE TABLE sc.nullmix (a int, person_id bigint, b smallint, week date, code int, c int);
INSERT INTO sc.nullmix
SELECT CASE WHEN person_id % 5 = 0 THEN NULL ELSE 1 END, person_id,
	CASE WHEN person_id % 7 = 0 THEN NULL ELSE 2 END, week,
	CASE WHEN (person_id + (week - date '2019-01-07') / 7) % 4 = 0 THEN NULL ELSE code END,
	CASE WHEN person_id % 3 = 0 THEN NULL ELSE 3 END
FROM sc.benefit_week;
SELECT count(*) FILTER (WHERE a IS NULL AND code IS NULL) > 0 AND count(*) FILTER (WHERE b IS NULL) > 0
	AND count(*) FILTER (WHERE a IS NOT NULL AND b IS NOT NULL AND code IS NULL AND c IS NULL) > 0
	AND count(*) FILTER (WHERE a IS NOT NULL AND b IS NOT NULL AND code IS NULL AND c IS NOT NULL) > 0 AS every_kind_of_row
FROM sc.nullmix;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_nullmix,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM (SELECT person_id, benefit_path(week, code) AS path FROM sc.nullmix GROUP BY 1) g
FULL JOIN benefit_paths_scan('sc.nullmix') s USING (person_id);

-- a partitioned table (rows of one person in two partitions) and an
-- inheritance child whose columns sit in another order
CREATE TABLE sc.parted (person_id bigint, week date, code int) PARTITION BY RANGE (week);
CREATE TABLE sc.parted_a PARTITION OF sc.parted FOR VALUES FROM (MINVALUE) TO ('2019-10-01');
CREATE TABLE sc.parted_b PARTITION OF sc.parted FOR VALUES FROM ('2019-10-01') TO (MAXVALUE);
INSERT INTO sc.parted SELECT * FROM sc.benefit_week;
SELECT (SELECT count(*) FROM sc.parted_a) > 0 AND (SELECT count(*) FROM sc.parted_b) > 0 AS both_partitions_used,
	count(*) FILTER (WHERE g.path = s.path) AS equal_paths_parted,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.parted') s USING (person_id);
CREATE TABLE sc.parent (person_id bigint, week date, code int);
CREATE TABLE sc.child (extra text, code int, week date, person_id bigint);
ALTER TABLE sc.child INHERIT sc.parent;
INSERT INTO sc.parent SELECT * FROM sc.benefit_week WHERE week < '2019-10-01';
INSERT INTO sc.child SELECT 'e', code, week, person_id FROM sc.benefit_week WHERE week >= '2019-10-01';
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_inherited,
	count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) AS different
FROM sc_group g FULL JOIN benefit_paths_scan('sc.parent') s USING (person_id);

-- a materialized view, and a temporary table (read by this backend alone,
-- even with parallel settings)
CREATE MATERIALIZED VIEW sc.mv AS SELECT * FROM sc.benefit_week;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_matview
FROM sc_group g JOIN benefit_paths_scan('sc.mv') s USING (person_id);
CREATE TEMP TABLE sc_temp AS SELECT * FROM sc.benefit_week;
SELECT count(*) FILTER (WHERE g.path = s.path) AS equal_paths_temp
FROM sc_group g JOIN benefit_paths_scan('sc_temp') s USING (person_id);

-- the rate from scanned paths equals the rate from the aggregate's paths
SELECT a.s::text = b.s::text AS same_rate_state
FROM (SELECT selfsufficiency_state(path_cover(path, '2019-01-07', week_add('2019-01-07', 79)),
		'2019-01-07', week_add('2019-01-07', 51), 'strict' ORDER BY person_id) AS s FROM sc_group) a,
     (SELECT selfsufficiency_state(path_cover(path, '2019-01-07', week_add('2019-01-07', 79)),
		'2019-01-07', week_add('2019-01-07', 51), 'strict' ORDER BY person_id) AS s
      FROM benefit_paths_scan('sc.benefit_week')) b;

-- bad rows: each error names the column, the table and the person; the
-- same error whether the leader or a worker meets the row
CREATE TABLE sc.bad (person_id bigint, week date, code int);
INSERT INTO sc.bad SELECT * FROM sc.benefit_week;
INSERT INTO sc.bad VALUES (7, NULL, 130);
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('sc.bad') $$);
UPDATE sc.bad SET week = 'infinity' WHERE week IS NULL;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('sc.bad') $$);
UPDATE sc.bad SET week = '2019-01-07', code = 10000 WHERE week = 'infinity';
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('sc.bad') $$);
UPDATE sc.bad SET code = 0 WHERE code = 10000;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('sc.bad') $$);
UPDATE sc.bad SET person_id = NULL, code = 130 WHERE code = 0;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('sc.bad') $$);

-- bad arguments
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan(NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('scan_hand', NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('scan_hand', week_column => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('scan_hand', code_column => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('scan_hand', on_duplicate => NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('scan_hand', on_duplicate => 'first') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('scan_hand', 'pnr') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('scan_hand', code_column => 'ctid') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('sc.layout', 'note', 'uge', 'ydelse') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('sc.layout', 'pnr', 'pnr', 'ydelse') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('sc.layout', 'pnr', 'uge', 'note') $$);
-- a view is read through a query of it (paths_scan_foreign: foreign and
-- Citus tables); an index is no relation of rows
CREATE VIEW sc.v AS SELECT * FROM scan_hand;
SELECT * FROM benefit_paths_scan('sc.v');
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('pg_class_oid_index') $$);
CREATE MATERIALIZED VIEW sc.mv_empty AS SELECT * FROM scan_hand WITH NO DATA;
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('sc.mv_empty') $$);

-- privileges: SELECT on the three columns is enough; without it, an
-- error; under row-level security only the rows the policy shows count
CREATE ROLE regress_si_scan;
GRANT USAGE ON SCHEMA sc TO regress_si_scan;
CREATE TABLE sc.secret (person_id bigint, week date, code int, salary int);
INSERT INTO sc.secret VALUES (1, '2019-01-07', 130, 100), (2, '2019-01-07', NULL, 200);
SET ROLE regress_si_scan;
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('sc.secret') $$);
RESET ROLE;
GRANT SELECT (person_id, week, code) ON sc.secret TO regress_si_scan;
SET ROLE regress_si_scan;
SELECT * FROM benefit_paths_scan('sc.secret');
RESET ROLE;
ALTER TABLE sc.secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON sc.secret TO regress_si_scan USING (person_id = 1);
SET ROLE regress_si_scan;
SELECT * FROM benefit_paths_scan('sc.secret');
-- as the aggregate does
SELECT * FROM benefit_paths_rows((SELECT benefit_paths(person_id, week, code) FROM sc.secret));
RESET ROLE;
-- the owner is not subject to the policy
SELECT count(*) AS owner_paths FROM benefit_paths_scan('sc.secret');
DROP TABLE sc.secret;
REVOKE USAGE ON SCHEMA sc FROM regress_si_scan;
DROP ROLE regress_si_scan;

RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
SET client_min_messages = warning;	-- the generated register's tables (a list that grows)
DROP SCHEMA sc CASCADE;
RESET client_min_messages;
DROP TABLE scan_hand, scan_empty;
