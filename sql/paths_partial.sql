-- The partial states of benefit_path, benefit_path_from_spells,
-- benefit_paths and selfsufficiency_states as real types (issue 15.3):
-- what Citus needs to aggregate them on its workers, and what it does
-- with them, step by step. Citus is not installed here, so its two steps
-- are written out: on each worker worker_partial_agg runs the aggregate
-- without its final function and ships the state as the state type's
-- text output; on the coordinator coord_combine_agg reads each text with
-- the type's input function, folds the states with the combine function
-- and runs the final function. Reference: the single-node aggregate over
-- the same rows (paths equal exactly, counts exactly, rates to 1e-12).
SET datestyle = ISO;
\i sql/include/expect_error.sql

-- Citus's rule (AggregateEnabledCustom in its multi_logical_optimizer.c):
-- a custom aggregate is split into worker partials only with a combine
-- function and a state type that is not a pseudo-type.
SELECT p.proname, pg_catalog.format_type(a.aggtranstype, NULL) AS state_type,
	t.typtype <> 'p' AS real_type, a.aggcombinefn <> 0 AS has_combine,
	a.aggserialfn = 0 AND a.aggdeserialfn = 0 AS no_serial_functions, p.proparallel
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_type t ON t.oid = a.aggtranstype
WHERE p.proname IN ('benefit_path', 'benefit_path_from_spells', 'benefit_paths', 'selfsufficiency_states')
ORDER BY p.proname, p.pronargs;
-- every new function and type has a comment
SELECT count(*) AS objects, count(*) FILTER (WHERE obj_description(oid, 'pg_proc') IS NULL) AS without_comment
FROM pg_proc WHERE proname ~ '_partial_(in|out|recv|send)$';
SELECT count(*) AS types, count(*) FILTER (WHERE obj_description(oid, 'pg_type') IS NULL) AS without_comment
FROM pg_type WHERE typname ~ '^(benefit_path|benefit_path_spells|benefit_paths|selfsufficiency_states)_partial$';

-- Citus's two steps as aggregates of their own: the state without the
-- final function (worker), and combine + final over states (coordinator)
CREATE SCHEMA pp;
CREATE AGGREGATE pp.path_partial(date, integer) (SFUNC = benefit_path_week_trans, STYPE = benefit_path_partial);
CREATE AGGREGATE pp.path_partial(date, integer, text) (SFUNC = benefit_path_week_trans, STYPE = benefit_path_partial);
CREATE AGGREGATE pp.path_combined(benefit_path_partial) (SFUNC = benefit_path_week_combine,
	STYPE = benefit_path_partial, FINALFUNC = benefit_path_week_final, FINALFUNC_MODIFY = READ_WRITE);
CREATE AGGREGATE pp.spells_partial(date, date, integer) (SFUNC = benefit_path_spell_trans, STYPE = benefit_path_spells_partial);
CREATE AGGREGATE pp.spells_combined(benefit_path_spells_partial) (SFUNC = benefit_path_spell_combine,
	STYPE = benefit_path_spells_partial, FINALFUNC = benefit_path_spell_final, FINALFUNC_MODIFY = READ_WRITE);
CREATE AGGREGATE pp.paths_partial(bigint, date, integer) (SFUNC = benefit_paths_trans, STYPE = benefit_paths_partial);
CREATE AGGREGATE pp.paths_combined(benefit_paths_partial) (SFUNC = benefit_paths_combine,
	STYPE = benefit_paths_partial, FINALFUNC = benefit_paths_final, FINALFUNC_MODIFY = READ_WRITE);
CREATE AGGREGATE pp.states_partial(benefit_path, date[], date[], text) (SFUNC = selfsufficiency_states_trans,
	STYPE = selfsufficiency_states_partial);
CREATE AGGREGATE pp.states_combined(selfsufficiency_states_partial) (SFUNC = selfsufficiency_states_combine,
	STYPE = selfsufficiency_states_partial, FINALFUNC = selfsufficiency_states_final);

-- hand example: person 1's rows 130 (2019-01-07), 130 (01-14), none
-- (01-21), 997 (02-04) split over two workers; the path is 130x2,-x2,997x1
-- whatever the split
CREATE TEMP TABLE hand (shard int, person_id bigint, week date, code int);
INSERT INTO hand VALUES (1, 1, '2019-01-07', 130), (2, 1, '2019-01-14', 130), (2, 1, '2019-01-21', NULL),
	(1, 1, '2019-02-04', 997), (2, 2, '2019-01-16', 111);
CREATE TEMP TABLE hand_shipped AS
SELECT shard, person_id, pp.path_partial(week, code ORDER BY week)::text AS state FROM hand GROUP BY 1, 2;
SELECT person_id, pp.path_combined(state::benefit_path_partial ORDER BY shard) AS path_citus,
	(SELECT benefit_path(week, code) FROM hand h WHERE h.person_id = s.person_id) AS path_single
FROM hand_shipped s GROUP BY 1 ORDER BY 1;
-- the other order of the workers gives the same path
SELECT person_id, pp.path_combined(state::benefit_path_partial ORDER BY shard DESC) AS path_citus
FROM hand_shipped s GROUP BY 1 ORDER BY 1;
-- the text form is the versioned bytes in hexadecimal (version 1, mode
-- 1 = error, first and last Monday, 1 run of 130 x 1 week, no late row),
-- and binary output is the same bytes
SELECT state FROM hand_shipped WHERE shard = 2 AND person_id = 2;
SELECT bool_and(benefit_path_partial_send(state::benefit_path_partial) = decode(state, 'hex')) AS send_is_the_bytes,
	bool_and(state::benefit_path_partial::text = state) AS text_round_trip
FROM hand_shipped;
-- the final function reads a shipped state directly
SELECT benefit_path_week_final(state::benefit_path_partial) FROM hand_shipped WHERE shard = 1 AND person_id = 1;

-- a week given on two workers is the same error as in one pass, naming the week
SELECT pg_temp.expect_error($$SELECT benefit_path(week, code) FROM (VALUES ('2019-01-07'::date, 130), ('2019-01-09', 111)) v(week, code)$$) AS single;
SELECT pg_temp.expect_error($$SELECT pp.path_combined(s::benefit_path_partial) FROM
	(SELECT pp.path_partial(week, code)::text AS s FROM (VALUES (1, '2019-01-07'::date, 130), (2, '2019-01-09', 111)) v(shard, week, code) GROUP BY shard) x$$) AS citus;
-- DREAM's priority rule resolves it identically across workers (997 beats 130)
SELECT pp.path_combined(s::benefit_path_partial) AS dream_priority_citus,
	(SELECT benefit_path(week, code, 'dream_priority') FROM (VALUES ('2019-01-07'::date, 997), ('2019-01-09', 130)) v(week, code)) AS dream_priority_single
FROM (SELECT pp.path_partial(week, code, 'dream_priority')::text AS s
      FROM (VALUES (1, '2019-01-07'::date, 997), (2, '2019-01-09', 130)) v(shard, week, code) GROUP BY shard) x;
-- mixed on_duplicate modes across workers are an error, as within one pass
SELECT pg_temp.expect_error($$SELECT pp.path_combined(s::benefit_path_partial) FROM
	(SELECT pp.path_partial(week, code, CASE shard WHEN 1 THEN 'error' ELSE 'dream_priority' END)::text AS s
	 FROM (VALUES (1, '2019-01-07'::date, 997), (2, '2019-01-14', 130)) v(shard, week, code) GROUP BY shard) x$$) AS mixed_modes;

-- spells on two workers: 130 for 2019-01-07..01-20 and 997 from 02-04
SELECT pp.spells_combined(s::benefit_path_spells_partial) AS spells_citus,
	(SELECT benefit_path_from_spells(f, t, c) FROM (VALUES ('2019-01-07'::date, '2019-01-14'::date, 130), ('2019-02-04', '2019-02-04', 997)) v(f, t, c)) AS spells_single
FROM (SELECT pp.spells_partial(f, t, c)::text AS s
      FROM (VALUES (1, '2019-01-07'::date, '2019-01-14'::date, 130), (2, '2019-02-04', '2019-02-04', 997)) v(shard, f, t, c) GROUP BY shard) x;
-- overlapping spells on two workers: the single-pass error
SELECT pg_temp.expect_error($$SELECT pp.spells_combined(s::benefit_path_spells_partial) FROM
	(SELECT pp.spells_partial(f, t, c)::text AS s
	 FROM (VALUES (1, '2019-01-07'::date, '2019-01-21'::date, 130), (2, '2019-01-14', '2019-02-04', 997)) v(shard, f, t, c) GROUP BY shard) x$$) AS overlap_citus;
SELECT pg_temp.expect_error($$SELECT benefit_path_from_spells(f, t, c)
	FROM (VALUES ('2019-01-07'::date, '2019-01-21'::date, 130), ('2019-01-14', '2019-02-04', 997)) v(f, t, c)$$) AS overlap_single;

-- generated register, rows spread over three workers by a hash of
-- (person, week): every person's rows are split, in no order
SET client_min_messages = warning;
SELECT generate_register('pp', 300, 21, 104);
RESET client_min_messages;
CREATE TEMP TABLE single AS
SELECT person_id, benefit_path(week, code) AS path FROM pp.benefit_week GROUP BY 1;
CREATE TABLE pp.rows3 AS
SELECT (abs(hashtext(person_id::text || '/' || week::text)) % 3) AS shard, person_id, week, code
FROM pp.benefit_week ORDER BY md5(person_id::text || week::text);
SELECT count(DISTINCT shard) AS workers, count(*) AS person_rows,
	(SELECT count(*) FROM (SELECT person_id FROM pp.rows3 GROUP BY 1 HAVING count(DISTINCT shard) > 1) s) AS persons_split
FROM pp.rows3;
-- benefit_path grouped by person (Citus: partial per worker and person, combined by person)
SELECT count(*) FILTER (WHERE s.path = c.path) AS equal_paths,
	count(*) FILTER (WHERE s.path IS DISTINCT FROM c.path) AS different
FROM single s FULL JOIN (
	SELECT person_id, pp.path_combined(state::benefit_path_partial) AS path
	FROM (SELECT shard, person_id, pp.path_partial(week, code)::text AS state FROM pp.rows3 GROUP BY 1, 2) w
	GROUP BY 1) c USING (person_id);
-- benefit_paths over the whole table: one partial per worker
SELECT count(*) FILTER (WHERE s.path = c.path) AS equal_paths,
	count(*) FILTER (WHERE s.path IS DISTINCT FROM c.path) AS different
FROM single s FULL JOIN benefit_paths_rows((
	SELECT pp.paths_combined(state::benefit_paths_partial)
	FROM (SELECT shard, pp.paths_partial(person_id, week, code)::text AS state FROM pp.rows3 GROUP BY 1) w)) c
	USING (person_id);

-- selfsufficiency_states per municipality, persons spread over three
-- workers: counts equal exactly, rates to 1e-12 (floating-point sums
-- merged in another grouping)
\set first '(SELECT value::date FROM pp.register_info WHERE key = ''first_week'')'
\set last '(SELECT value::date FROM pp.register_info WHERE key = ''last_week'')'
CREATE TEMP TABLE person_path AS
SELECT p.person_id, p.municipality, path_cover(s.path, :first, :last) AS path
FROM pp.person p LEFT JOIN single s USING (person_id);
CREATE TEMP TABLE win AS
SELECT array_agg(w::date ORDER BY w) AS f, array_agg((w + interval '25 weeks')::date ORDER BY w) AS t
FROM generate_series(:first, :last - 25 * 7, interval '26 weeks') w;
CREATE FUNCTION pg_temp.int_counts(s selfsufficiency_state) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[c.persons, c.persons_unobserved, c.paths_missing, c.self_weeks, c.observed_weeks,
	             c.censored_weeks, c.unknown_weeks, c.unobserved_weeks]
	FROM rate_counts(s) c $$;
CREATE TEMP TABLE states_single AS
SELECT municipality, k, st FROM (
	SELECT municipality, selfsufficiency_states(path, (SELECT f FROM win), (SELECT t FROM win), 'strict') AS sts
	FROM person_path GROUP BY 1) g, unnest(g.sts) WITH ORDINALITY u(st, k);
CREATE TEMP TABLE states_citus AS
SELECT municipality, k, st FROM (
	SELECT municipality, pp.states_combined(state::selfsufficiency_states_partial) AS sts
	FROM (SELECT person_id % 3 AS shard, municipality,
	             pp.states_partial(path, (SELECT f FROM win), (SELECT t FROM win), 'strict')::text AS state
	      FROM person_path GROUP BY 1, 2) w
	GROUP BY 1) g, unnest(g.sts) WITH ORDINALITY u(st, k);
SELECT count(*) AS cells, (SELECT count(DISTINCT k) FROM states_single) AS windows,
	count(*) FILTER (WHERE pg_temp.int_counts(a.st) = pg_temp.int_counts(b.st)) AS counts_equal,
	count(*) FILTER (WHERE abs(rate_person_weighted(a.st) - rate_person_weighted(b.st)) < 1e-12
	                    OR (rate_person_weighted(a.st) IS NULL AND rate_person_weighted(b.st) IS NULL)) AS rates_agree,
	count(*) FILTER (WHERE abs(coalesce(rate_std_error(a.st), 0) - coalesce(rate_std_error(b.st), 0)) < 1e-12) AS stderr_agree
FROM states_single a FULL JOIN states_citus b USING (municipality, k);
-- windows that differ between workers are an error naming them
SELECT pg_temp.expect_error($$SELECT pp.states_combined(s::selfsufficiency_states_partial) FROM
	(SELECT pp.states_partial(NULL, ARRAY[CASE shard WHEN 1 THEN '2019-01-07'::date ELSE '2019-01-14' END], ARRAY['2019-03-04'::date], 'strict')::text AS s
	 FROM (VALUES (1), (2)) v(shard) GROUP BY shard) x$$) AS windows_differ;

-- PostgreSQL's own parallel aggregation over the real state types:
-- Partial and Finalize Aggregate in the plan, the same answer
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET cpu_operator_cost = 0.05;
CREATE FUNCTION pg_temp.plan_has(q text, pattern text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		IF l ~ pattern THEN RETURN true; END IF;
	END LOOP;
	RETURN false;
END $$;
\set q_path 'SELECT person_id, benefit_path(week, code) AS path FROM pp.rows3 GROUP BY 1'
\set q_spells 'SELECT person_id, benefit_path_from_spells(week, week, code) AS path FROM pp.rows3 GROUP BY 1'
ANALYZE pp.rows3;
SELECT pg_temp.plan_has(:'q_path', 'Partial .*Aggregate') AND pg_temp.plan_has(:'q_path', 'Finalize .*Aggregate') AS path_parallel_plan;
CREATE TABLE pp.par_path AS :q_path;
SELECT count(*) FILTER (WHERE s.path = c.path) AS equal_paths,
	count(*) FILTER (WHERE s.path IS DISTINCT FROM c.path) AS different
FROM single s FULL JOIN pp.par_path c USING (person_id);
-- spells (each week a one-week spell): the same paths
SELECT pg_temp.plan_has(:'q_spells', 'Partial .*Aggregate') AND pg_temp.plan_has(:'q_spells', 'Finalize .*Aggregate') AS spells_parallel_plan;
CREATE TABLE pp.par_spells AS :q_spells;
SELECT count(*) FILTER (WHERE s.path = c.path) AS equal_paths,
	count(*) FILTER (WHERE s.path IS DISTINCT FROM c.path) AS different
FROM single s FULL JOIN pp.par_spells c USING (person_id);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET cpu_operator_cost;

-- sorted groups (GroupAggregate: the aggregate context is reset between
-- groups) and two of these aggregates in one query (their states share
-- one memory context): the same paths
SET enable_hashagg = off;
SELECT count(*) FILTER (WHERE s.path = c.path AND s.path = c.spells) AS equal_paths,
	count(*) FILTER (WHERE s.path IS DISTINCT FROM c.path OR s.path IS DISTINCT FROM c.spells) AS different
FROM single s FULL JOIN (SELECT person_id, benefit_path(week, code) AS path,
	benefit_path_from_spells(week, week, code) AS spells FROM pp.rows3 GROUP BY 1) c USING (person_id);
RESET enable_hashagg;

-- damaged or foreign text is refused with a clear error, never read
SELECT pg_temp.expect_error($$SELECT 'zz'::benefit_path_partial$$) AS not_hex;
SELECT pg_temp.expect_error($$SELECT ''::benefit_paths_partial$$) AS empty;
SELECT pg_temp.expect_error($$SELECT '02'::benefit_path_partial$$) AS other_version;
SELECT pg_temp.expect_error($$SELECT '01'::benefit_path_spells_partial$$) AS truncated;
-- person 2's state with its run lengthened from 1 to 2 weeks (the runs no
-- longer cover the first to last week), and with a code of 10000
SELECT pg_temp.expect_error(format('SELECT %L::benefit_path_partial', overlay(state PLACING '00000002' FROM 45 FOR 8))) AS run_not_covering,
	pg_temp.expect_error(format('SELECT %L::benefit_path_partial', overlay(state PLACING '00002710' FROM 37 FOR 8))) AS code_out_of_range,
	pg_temp.expect_error(format('SELECT %L::benefit_path_partial', state || '00')) AS trailing_byte
FROM hand_shipped WHERE shard = 2 AND person_id = 2;
-- a state of one type is not read as another
SELECT pg_temp.expect_error(format('SELECT %L::benefit_paths_partial', state)) AS wrong_type
FROM hand_shipped WHERE shard = 2 AND person_id = 2;
-- a selfsufficiency_states state whose window is not a pair of Mondays
SELECT pg_temp.expect_error(format('SELECT %L::selfsufficiency_states_partial',
	overlay(s PLACING '00000001' FROM 11 FOR 8))) AS window_not_monday
FROM (SELECT pp.states_partial(NULL, ARRAY['2019-01-07'::date], ARRAY['2019-03-04'::date], 'strict')::text AS s) x;
