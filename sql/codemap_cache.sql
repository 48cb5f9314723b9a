-- The code map's backend cache (issue 15.1): a map is read once per backend
-- and serves every call site, also one whose FmgrInfo is new for every row
-- (as in Citus's worker partial aggregation); a change to benefit_code or
-- the profile tables reaches the results at once: in the same transaction
-- at the next command, after ROLLBACK, and in other sessions at commit.
-- Week 2024-01-01; code 130 (kontanthjaelp) is a benefit under 'strict'.
\set week '''2024-01-01'''
CREATE TEMP TABLE cc_before AS SELECT * FROM _codemap_cache_stats();
CREATE FUNCTION cc_mark() RETURNS void LANGUAGE sql AS $$
	DELETE FROM cc_before; INSERT INTO cc_before SELECT * FROM _codemap_cache_stats();
$$;
CREATE FUNCTION cc_delta() RETURNS TABLE (loads bigint, hits bigint, invalidations bigint) LANGUAGE sql AS $$
	SELECT a.loads - b.loads, (a.backend_hits + a.call_hits) - (b.backend_hits + b.call_hits),
	       a.invalidations - b.invalidations
	FROM _codemap_cache_stats() a, cc_before b;
$$;

-- 1. A fresh FmgrInfo per call: EXECUTE plans the statement anew each time
-- (the counters are this backend's; the UPDATE matching no row fires the
-- statement trigger, so the cache starts empty and exactly one load follows)
UPDATE benefit_code SET description = description WHERE false;
SELECT cc_mark();
DO $$
DECLARE
	s text;
	n int := 0;
BEGIN
	FOR i IN 1..300 LOOP
		EXECUTE 'SELECT benefit_state($1, $2, $3)' INTO s USING 130, date '2024-01-01', 'strict';
		n := n + (s = 'benefit')::int;
	END LOOP;
	RAISE NOTICE '% of 300 calls classify 130 as benefit', n;
END $$;
-- 300 calls, one load (was 300 before the backend cache), 299 cache hits
SELECT loads, hits >= 299 AS hits_299_or_more FROM cc_delta();

-- the transition function of selfsufficiency_state called the same way (a
-- new FmgrInfo per person, as a Citus worker does): 200 persons, one load
-- for the profile; the state equals the aggregate's over the same paths
CREATE TEMP TABLE cc_paths AS
SELECT g AS person, benefit_path(w.week, CASE WHEN (g + k) % 3 = 0 THEN 130 ELSE NULL END) AS path
FROM generate_series(1, 200) g, generate_series(0, 9) k,
     LATERAL (SELECT date '2024-01-01' + 7 * k AS week) w
GROUP BY g;
SELECT cc_mark();
DO $$
DECLARE
	st selfsufficiency_state;
	p record;
BEGIN
	FOR p IN SELECT path FROM cc_paths ORDER BY person LOOP
		EXECUTE 'SELECT selfsufficiency_state_trans($1, $2, $3, $4, $5)' INTO st
			USING st, p.path, date '2024-01-01', date '2024-03-04', 'with_education';
	END LOOP;
	CREATE TEMP TABLE cc_row_state AS SELECT st AS state;
END $$;
SELECT loads, hits >= 199 AS hits_199_or_more FROM cc_delta();
-- equal to the aggregate; by hand: a person has 3 or 4 of the 10 weeks on
-- benefit (weeks k with (g + k) % 3 = 0), so shares 7/10 or 6/10
SELECT rate_counts(r.state) = rate_counts(a.state) AS counts_equal,
       abs(rate_person_weighted(r.state) - rate_person_weighted(a.state)) < 1e-15 AS rate_equal,
       (rate_counts(a.state)).persons AS persons, (rate_counts(a.state)).self_weeks AS self_weeks
FROM cc_row_state r,
     (SELECT selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'with_education') AS state FROM cc_paths) a;
-- hand count: sum over g of the weeks k in 0..9 with (g + k) % 3 <> 0
SELECT count(*) AS self_weeks_by_hand
FROM generate_series(1, 200) g, generate_series(0, 9) k WHERE (g + k) % 3 <> 0;

-- 2. The same transaction: a user row for code 130 valid in 2024 makes it
-- self-supporting at the next statement; ROLLBACK brings the shipped row
-- back. The per-row route and the aggregate over paths both follow: persons
-- 1, 2, 3 have 3, 3, 4 of 10 weeks on code 130, so the rate is
-- (0.7 + 0.7 + 0.6) / 3 = 0.6667 before and 1 after.
BEGIN;
SELECT benefit_state(130, :week) AS before_insert;
SELECT rate_person_weighted(selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict')) AS rate_before
FROM cc_paths WHERE person <= 3;
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to, description)
VALUES (130, 'kontanthjaelp', true, '2024-01-01', '2025-01-01', 'test: self-supporting in 2024');
SELECT benefit_state(130, :week) AS after_insert, benefit_state(130, '2025-01-06') AS in_2025;
SELECT rate_person_weighted(selfsufficiency_state(path, '2024-01-01', '2024-03-04', 'strict')) AS rate_after
FROM cc_paths WHERE person <= 3;
UPDATE benefit_code SET self_supporting = false WHERE code = 130 AND source = 'user';
SELECT benefit_state(130, :week) AS after_update;
-- inside one PL/pgSQL block: its simple expressions keep their FmgrInfo
-- across statements, the map still follows the change between them
DO $$
DECLARE
	a text;
	b text;
BEGIN
	a := benefit_state(130, date '2024-01-01');
	UPDATE benefit_code SET self_supporting = true WHERE code = 130 AND source = 'user';
	b := benefit_state(130, date '2024-01-01');
	RAISE NOTICE 'in one block: % then %', a, b;
END $$;
ROLLBACK;
SELECT benefit_state(130, :week) AS after_rollback;
-- a savepoint rolled back undoes the change too
BEGIN;
SAVEPOINT s;
INSERT INTO benefit_code (code, category, self_supporting, valid_from, description)
VALUES (130, 'kontanthjaelp', true, '2024-01-01', 'test');
SELECT benefit_state(130, :week) AS in_savepoint;
ROLLBACK TO SAVEPOINT s;
SELECT benefit_state(130, :week) AS after_savepoint_rollback;
COMMIT;

-- a profile's rules: a new profile and a rule, then the rule removed
INSERT INTO classification_profile (profile, description) VALUES ('cc_test', 'test profile');
SELECT benefit_state(130, :week, 'cc_test') AS no_rule;
INSERT INTO classification_rule (profile, category, self_supporting) VALUES ('cc_test', 'kontanthjaelp', true);
SELECT benefit_state(130, :week, 'cc_test') AS with_rule;
DELETE FROM classification_rule WHERE profile = 'cc_test';
SELECT benefit_state(130, :week, 'cc_test') AS rule_deleted;
-- deleting the profile: its name is unknown at once
DELETE FROM classification_profile WHERE profile = 'cc_test';
SELECT benefit_state(130, :week, 'cc_test');

-- 3. Another session (dblink, committing at once): the change is seen at
-- this session's next transaction; a REPEATABLE READ transaction keeps the
-- map of its snapshot until it ends
CREATE EXTENSION dblink;
SELECT format('host=%s port=%s dbname=%s', split_part(current_setting('unix_socket_directories'), ',', 1),
	current_setting('port'), current_database()) AS conn \gset
SELECT benefit_state(130, :week) AS cached;
SELECT cc_mark();
SELECT dblink_exec(:'conn', $$INSERT INTO benefit_code (code, category, self_supporting, valid_from, description)
	VALUES (130, 'kontanthjaelp', true, '2024-01-01', 'test: other session')$$);
SELECT benefit_state(130, :week) AS after_other_commit;
SELECT loads, invalidations >= 1 AS invalidated FROM cc_delta();
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT benefit_state(130, :week) AS rr_first;
SELECT dblink_exec(:'conn', $$DELETE FROM benefit_code WHERE code = 130 AND source = 'user'$$);
SELECT benefit_state(130, :week) AS rr_same_snapshot;
COMMIT;
SELECT benefit_state(130, :week) AS after_rr_commit;
-- an aborted change in the other session changes nothing
SELECT dblink_exec(:'conn', $$BEGIN; INSERT INTO benefit_code (code, category, self_supporting, valid_from, description)
	VALUES (130, 'kontanthjaelp', true, '2024-01-01', 'test'); ROLLBACK$$);
SELECT benefit_state(130, :week) AS after_other_rollback;

-- a new backend whose first map is read in REPEATABLE READ: its own change
-- counts from the next statement, ROLLBACK undoes it
\connect
\set week '''2024-01-01'''
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT benefit_state(130, :week) AS rr_before_own_insert;
INSERT INTO benefit_code (code, category, self_supporting, valid_from, description)
VALUES (130, 'kontanthjaelp', true, '2024-01-01', 'test');
SELECT benefit_state(130, :week) AS rr_after_own_insert;
ROLLBACK;
SELECT benefit_state(130, :week) AS after_rr_rollback;

-- 4. In a parallel plan (leader and workers in parallel mode may not take
-- a new snapshot: a map missing from their cache is read per call site)
-- the states are those of the serial plan
CREATE TABLE cc_weeks AS
SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE 100 + g % 900 END AS code FROM generate_series(1, 20000) g;
ANALYZE cc_weeks;
SET max_parallel_workers_per_gather = 0;
SELECT benefit_state(code, :week, 'with_leave') AS state, count(*) FROM cc_weeks GROUP BY 1 ORDER BY 1;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT benefit_state(code, :week, 'with_leave') AS state, count(*) FROM cc_weeks GROUP BY 1 ORDER BY 1;
SELECT benefit_state(code, :week, 'with_leave') AS state, count(*) FROM cc_weeks GROUP BY 1 ORDER BY 1;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE cc_weeks;

-- the counters: VOLATILE, this backend only
SELECT maps >= 1 AS has_maps FROM _codemap_cache_stats();
-- the trigger function refuses a direct call
SELECT _codemap_changed();
DROP EXTENSION dblink;
DROP FUNCTION cc_mark();
DROP FUNCTION cc_delta();
