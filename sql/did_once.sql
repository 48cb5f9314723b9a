-- (did(...)).* and (did_result(...)).* versus the forms that compute once
-- (issue 15.5, docs/reference.md "Computing once"). PostgreSQL expands
-- (f(...)).* into one f(...) per column of the result: a function runs once
-- per column, an aggregate too when an argument is volatile (or when a
-- distributed planner such as Citus deparses each column's aggregate on its
-- own). A subquery, or the function in FROM (LATERAL), computes once.
SET extra_float_digits = 0;
-- 200 persons; the treated (even ids) change by 1.5 +- 0.1, the controls
-- by 0.5 +- 0.1 (+0.1 and -0.1 equally often in each group): the estimate
-- is 1.0.
CREATE TABLE once_d AS
SELECT g AS id, g % 2 = 0 AS treated, (g % 7)::float8 AS pre,
	(g % 7)::float8 + CASE WHEN g % 2 = 0 THEN 1.5 ELSE 0.5 END + ((g / 2) % 2) * 0.2 - 0.1 AS post
FROM generate_series(1, 200) g;
SELECT count(*) AS result_columns FROM pg_attribute
WHERE attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'did_result'::regtype) AND attnum > 0 \gset
-- a counter of the rows an aggregate reads: a volatile wrapper around its input
CREATE SEQUENCE once_reads;
CREATE FUNCTION pg_temp.counted(x float8) RETURNS float8 LANGUAGE sql VOLATILE AS $$
	SELECT x + 0 * nextval('once_reads') $$;

-- (did(...)).*: every column's aggregate reads all 200 rows
SELECT setval('once_reads', 1, false) IS NOT NULL AS reset;
SELECT round(r.estimate::numeric, 12) AS estimate, r.n_treated, length(r::text) > 0 AS whole_row
FROM (SELECT (did(pre, pg_temp.counted(post), treated)).* FROM once_d) r;
SELECT nextval('once_reads') - 1 = 200 * :result_columns AS read_once_per_column;

-- the subquery form: one aggregate, 200 rows read
SELECT setval('once_reads', 1, false) IS NOT NULL AS reset;
SELECT round(t.estimate::numeric, 12) AS estimate, t.n_treated, length(t::text) > 0 AS whole_row
FROM (SELECT (r).* FROM (SELECT did(pre, pg_temp.counted(post), treated) AS r FROM once_d) s) t;
SELECT nextval('once_reads') - 1 AS rows_read;
-- the plan: the aggregate appears once, the columns are read from its result
EXPLAIN (VERBOSE, COSTS OFF)
SELECT (r).estimate, (r).n_treated FROM (SELECT did(pre, post, treated) AS r FROM once_d) s;

-- did_result((state)).*: the function runs once per column; in FROM
-- (LATERAL) once per row. Counted by the statistics system: calls in this
-- transaction, before and after.
CREATE TABLE once_state AS SELECT did_state(pre, post, treated) AS state FROM once_d;
SET track_functions = 'all';
BEGIN;
SELECT 0 AS calls \gset
SELECT round(r.estimate::numeric, 12) AS estimate, length(r::text) > 0 AS whole_row
FROM (SELECT (did_result(state)).* FROM once_state) r;
-- (at least once per column; the whole-row reference adds its own)
SELECT calls - :calls >= :result_columns AS called_once_per_column, calls AS calls
FROM pg_stat_xact_user_functions WHERE funcname = 'did_result' \gset
SELECT :'called_once_per_column' AS called_once_per_column;
SELECT round(r.estimate::numeric, 12) AS estimate, r.std_error > 0 AS has_std_error, length(r::text) > 0 AS whole_row
FROM once_state, LATERAL did_result(state) r;
SELECT calls - :calls AS lateral_calls FROM pg_stat_xact_user_functions WHERE funcname = 'did_result';
SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'did_result' \gset
SELECT round(r.estimate::numeric, 12) AS estimate, r.variance FROM once_state CROSS JOIN LATERAL did_result(state, variance => 'HC1') r;
SELECT calls - :calls AS lateral_calls FROM pg_stat_xact_user_functions WHERE funcname = 'did_result';
COMMIT;
RESET track_functions;
DROP TABLE once_d, once_state;
DROP SEQUENCE once_reads;
