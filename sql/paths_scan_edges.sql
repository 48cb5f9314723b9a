-- benefit_paths_scan(table) on edge cases of the table and the calling
-- transaction. Reference everywhere: benefit_path(week, code) ... GROUP BY
-- person_id over the same rows, through the executor (which sees exactly
-- the rows a SELECT sees). Parallel workers are allowed for every table
-- (min_parallel_table_scan_size = 0); results do not depend on how many
-- of them start.
SET datestyle = ISO;
SET max_parallel_workers_per_gather = 2;
SET min_parallel_table_scan_size = 0;
\i sql/include/expect_error.sql

-- equal/different paths of the scan against the aggregate over the table
CREATE FUNCTION pg_temp.scan_vs_group(tbl regclass, dup text DEFAULT 'error') RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	EXECUTE format($q$
		SELECT count(*) FILTER (WHERE g.path = s.path) || ' equal, ' ||
		       count(*) FILTER (WHERE g.path IS DISTINCT FROM s.path) || ' different'
		FROM (SELECT person_id::bigint AS person_id, benefit_path(week, code::int, %L) AS path FROM %s GROUP BY 1) g
		FULL JOIN benefit_paths_scan(%L, on_duplicate => %L) s USING (person_id) $q$, dup, tbl, tbl, dup) INTO r;
	RETURN r;
END $$;

-- 120 persons x 150 weeks, codes changing often, some weeks without a row,
-- some NULL codes; rows in random order (md5 of the key: reproducible)
CREATE TABLE se_base AS
SELECT p AS person_id, date '2015-01-05' + 7 * w AS week,
	CASE WHEN (p * 7 + w * 13) % 11 = 0 THEN NULL ELSE 100 + ((p + w / 3) % 4) END AS code
FROM generate_series(1, 120) p, generate_series(0, 149) w
WHERE (p + w) % 17 <> 0
ORDER BY md5(p || ' ' || w);

-- columns added after rows were written: old tuples have fewer attributes;
-- the code column is added with a DEFAULT (its value for old rows is the
-- catalog's missing value), then rows that carry it
CREATE TABLE se_added (person_id int, week date);
INSERT INTO se_added SELECT person_id, week FROM se_base WHERE person_id <= 60;
ALTER TABLE se_added ADD COLUMN code smallint DEFAULT 130;
INSERT INTO se_added SELECT person_id, week, code FROM se_base WHERE person_id > 60;
ALTER TABLE se_added ADD COLUMN later text DEFAULT 'x';
INSERT INTO se_added SELECT person_id + 1000, week, code, NULL FROM se_base WHERE person_id <= 10;
SELECT pg_temp.scan_vs_group('se_added') AS added_columns,
	(SELECT count(*) FROM benefit_paths_scan('se_added') WHERE path::text ~ '^2015-01-05:130x') > 0 AS missing_value_read;

-- fixed-width columns passed by reference (name: 64 bytes, alignment 1;
-- uuid: 16, 1; interval: 16, 8), a smallint person, dropped columns before
-- and between the read columns, and NULLs in other columns (null bitmap)
CREATE TABLE se_layout (c1 smallint, n name, d1 int, person_id smallint, u uuid, week date,
	i interval, d2 bigint, code int, t text);
INSERT INTO se_layout SELECT 1, 'n' || person_id, 2, person_id, md5(person_id::text)::uuid, week,
	'1 day', 3, code, 'tail' FROM se_base WHERE person_id <= 60;
SELECT pg_temp.scan_vs_group('se_layout') AS by_reference_columns;
ALTER TABLE se_layout DROP COLUMN d1;
ALTER TABLE se_layout DROP COLUMN d2;
INSERT INTO se_layout (c1, n, person_id, u, week, i, code)
SELECT NULL, 'm', person_id, NULL, week, '2 days', code FROM se_base WHERE person_id > 60;
UPDATE se_layout SET n = NULL WHERE person_id % 3 = 0;
SELECT pg_temp.scan_vs_group('se_layout') AS dropped_columns_and_nulls;

-- persons at the bigint extremes, weeks at the ends of the calendar, days
-- that are not Mondays, person 0
CREATE TABLE se_extreme (person_id bigint, week date, code int);
INSERT INTO se_extreme VALUES (-9223372036854775808, '0001-01-03', 5), (-9223372036854775808, '0001-01-08', 5),
	(9223372036854775807, '9999-12-20', 7), (9223372036854775807, '9999-12-08', 7), (0, '2020-02-29', 1),
	(0, '2020-03-04', NULL), (0, '2020-03-15', 9999);
INSERT INTO se_extreme SELECT * FROM se_base;
SELECT pg_temp.scan_vs_group('se_extreme') AS extremes;
SELECT person_id, path FROM benefit_paths_scan('se_extreme') WHERE person_id NOT BETWEEN 1 AND 1000;

-- duplicate weeks spread over the table: an error, or DREAM's priority
-- rule whichever process meets which row
CREATE TABLE se_dup AS SELECT * FROM se_base;
INSERT INTO se_dup SELECT person_id, week + 2, 811 FROM se_base WHERE (person_id + extract(week FROM week)::int) % 5 = 0;
SELECT pg_temp.scan_vs_group('se_dup', 'dream_priority') AS dream_priority;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('se_dup') $$) ~ '^23505: ' AS duplicates_refused;

-- a table whose rows are all deleted (dead tuples only), and one emptied
-- then refilled
CREATE TABLE se_dead AS SELECT * FROM se_base;
DELETE FROM se_dead;
SELECT count(*) AS paths_of_deleted_rows FROM benefit_paths_scan('se_dead');
INSERT INTO se_dead SELECT * FROM se_base WHERE person_id % 2 = 0;
SELECT pg_temp.scan_vs_group('se_dead') AS refilled;

-- rows written earlier in the same transaction: inserted rows are seen,
-- updated rows only in their new version, deleted rows not at all (the
-- workers see the leader's transaction and snapshot)
CREATE TABLE se_tx (person_id bigint, week date, code int);
BEGIN;
INSERT INTO se_tx SELECT * FROM se_base;
SELECT pg_temp.scan_vs_group('se_tx') AS inserted_in_transaction;
UPDATE se_tx SET code = 999 WHERE person_id % 2 = 0 AND week > '2016-01-01';
UPDATE se_tx SET week = week + 7 * 200 WHERE person_id = 3;
SELECT pg_temp.scan_vs_group('se_tx') AS updated_in_transaction,
	(SELECT count(*) FROM benefit_paths_scan('se_tx') WHERE person_id % 2 = 0 AND path::text ~ '999x') AS persons_with_999;
DELETE FROM se_tx WHERE person_id % 5 = 0;
SELECT pg_temp.scan_vs_group('se_tx') AS deleted_in_transaction,
	(SELECT count(*) FROM benefit_paths_scan('se_tx')) AS persons;
ROLLBACK;
SELECT count(*) AS after_rollback FROM benefit_paths_scan('se_tx');

-- a failing scan inside an EXCEPTION block (also with a worker meeting the
-- bad row), then more scans in the same transaction: the parallel state
-- was cleaned up
CREATE TABLE se_bad AS SELECT * FROM se_base;
INSERT INTO se_bad VALUES (NULL, '2015-01-05', 130);
BEGIN;
DO $$
DECLARE
	i int;
BEGIN
	FOR i IN 1..3 LOOP
		BEGIN
			PERFORM count(*) FROM benefit_paths_scan('se_bad');
			RAISE NOTICE 'not caught';
		EXCEPTION WHEN null_value_not_allowed THEN
			RAISE NOTICE 'caught: %', SQLERRM;
		END;
	END LOOP;
END $$;
SELECT pg_temp.scan_vs_group('se_base') AS after_caught_errors;
COMMIT;

-- a cursor: the scan runs at the first FETCH under the cursor's snapshot
-- (rows inserted after DECLARE are not seen)
BEGIN;
DECLARE se_c CURSOR FOR SELECT person_id, path_weeks(path) FROM benefit_paths_scan('se_base') ORDER BY person_id;
INSERT INTO se_base VALUES (0, '2015-01-05', 130);
FETCH 2 FROM se_c;
MOVE FORWARD ALL IN se_c;
FETCH BACKWARD 1 FROM se_c;
SELECT count(*) AS persons_now FROM benefit_paths_scan('se_base');
ROLLBACK;

-- statement_timeout during a scan cancels it; the next scans work
CREATE TABLE se_big AS SELECT p.person_id + 1000 * k AS person_id, p.week, p.code FROM se_base p, generate_series(0, 19) k;
-- (1 ms: the timer starts with the DO statement; two scans of 340,000 rows
-- take far longer, with or without workers)
SET statement_timeout = 1;
DO $$
BEGIN
	PERFORM count(*) FROM benefit_paths_scan('se_big') a, benefit_paths_scan('se_big') b;
	RAISE NOTICE 'timeout: finished';
EXCEPTION WHEN query_canceled THEN
	RAISE NOTICE 'timeout: cancelled';
END $$;
RESET statement_timeout;
SELECT pg_temp.scan_vs_group('se_big') AS after_timeout;

-- privileges: the table named is checked (as a SELECT of it); partitions
-- read through their parent need no grant of their own, a partition read
-- directly does
CREATE ROLE regress_si_edges;
CREATE TABLE se_parted (person_id bigint, week date, code int) PARTITION BY RANGE (person_id);
CREATE TABLE se_parted_a (code int, junk text, week date, person_id bigint);
ALTER TABLE se_parted_a DROP COLUMN junk;
ALTER TABLE se_parted ATTACH PARTITION se_parted_a FOR VALUES FROM (MINVALUE) TO (60);
CREATE TABLE se_parted_b PARTITION OF se_parted FOR VALUES FROM (60) TO (MAXVALUE);
INSERT INTO se_parted SELECT * FROM se_base;
SELECT pg_temp.scan_vs_group('se_parted') AS partitions_in_other_column_order;
GRANT SELECT ON se_parted_a TO regress_si_edges;
SET ROLE regress_si_edges;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('se_parted') $$) AS parent_without_grant;
SELECT count(*) AS partition_a_paths FROM benefit_paths_scan('se_parted_a');
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('se_parted_b') $$) AS partition_b_without_grant;
RESET ROLE;
GRANT SELECT ON se_parted TO regress_si_edges;
SET ROLE regress_si_edges;
SELECT count(*) AS parent_paths FROM benefit_paths_scan('se_parted');
RESET ROLE;

-- row-level security: the owner is not subject to it unless forced; forced,
-- the policy applies to the owner too; a policy on a partition does not
-- apply to a read through the parent (as for a SELECT)
CREATE TABLE se_rls AS SELECT * FROM se_base;
ALTER TABLE se_rls OWNER TO regress_si_edges;
ALTER TABLE se_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY se_few ON se_rls USING (person_id < 10);
SET ROLE regress_si_edges;
SELECT count(*) AS owner_not_subject FROM benefit_paths_scan('se_rls');
RESET ROLE;
ALTER TABLE se_rls FORCE ROW LEVEL SECURITY;
SET ROLE regress_si_edges;
SELECT count(*) AS owner_forced, (SELECT count(DISTINCT person_id) FROM se_rls) AS select_sees
FROM benefit_paths_scan('se_rls');
SET row_security = off;
SELECT pg_temp.expect_error($$ SELECT count(*) FROM benefit_paths_scan('se_rls') $$) AS owner_forced_row_security_off;
RESET row_security;
RESET ROLE;
ALTER TABLE se_parted_a ENABLE ROW LEVEL SECURITY;
SET ROLE regress_si_edges;
SELECT count(*) AS through_parent, (SELECT count(DISTINCT person_id) FROM se_parted) AS select_sees
FROM benefit_paths_scan('se_parted');
SELECT count(*) AS partition_with_rls_no_policy FROM benefit_paths_scan('se_parted_a');
RESET ROLE;
DROP TABLE se_rls, se_parted;
DROP ROLE regress_si_edges;

RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
DROP TABLE se_base, se_added, se_layout, se_extreme, se_dup, se_dead, se_tx, se_bad, se_big;
