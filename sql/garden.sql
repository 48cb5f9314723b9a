-- The garden test: every function, aggregate and procedure of the extension,
-- read from the catalog (so new ones are covered without editing this file),
-- called with sample values of each argument type: NULL, empty, one row,
-- NaN, +-Infinity, 1e308, -1, huge arrays, extreme dates, garbage text,
-- tables that are empty, hold one row, are a view or a sequence, and the
-- extension's own states, valid and damaged (other version, truncated,
-- negative or huge counts). One argument varies at a time around a base
-- call whose other arguments are valid; aggregates run over zero rows, one
-- row (the base, or the varied row), and base rows around a NULL or state
-- row, also as window functions.
--
-- The standard: no backend crash (a crash ends this suite; make test also
-- checks the server log), and every error carries a SQLSTATE other than
-- XX000 (an internal error, elog). XX001 (data corrupted) is fine for a
-- hand-damaged state but never for input made by ordinary SQL. Each call
-- runs in a subtransaction that is always rolled back, with a per-call
-- statement timeout (a call cancelled by it proves only that cancelling
-- works; work that grows with a huge input is no defect, so timeouts are
-- not listed).
--
-- The output lists only facts: how many calls were made, and the calls
-- that broke the standard (expected: none).
\i sql/include/garden_setup.sql

-- every routine of the extension, with its input argument names
CREATE TEMP TABLE garden_fn AS
SELECT p.oid AS fn, p.proname::text AS proname, p.prokind, p.proretset, p.prorettype,
	p.proargtypes::oid[] AS types,
	CASE WHEN p.proargmodes IS NULL THEN p.proargnames
	ELSE (SELECT array_agg(n ORDER BY o) FROM unnest(p.proargnames, p.proargmodes) WITH ORDINALITY u(n, m, o)
		WHERE m IN ('i', 'b', 'v')) END AS names,
	(SELECT array_agg(pg_get_function_arg_default(p.oid, i) ORDER BY i)
		FROM generate_series(1, coalesce(array_length(p.proallargtypes, 1), p.pronargs)) i) AS defaults
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socialinvest';
-- pg_get_function_arg_default counts every argument (OUT too); keep the
-- ones of input arguments
UPDATE garden_fn f SET defaults = (
	SELECT array_agg(d ORDER BY o) FROM unnest(f.defaults, p.proargmodes) WITH ORDINALITY u(d, m, o)
	WHERE m IN ('i', 'b', 'v'))
FROM pg_proc p WHERE p.oid = f.fn AND p.proargmodes IS NOT NULL;

-- the arguments, each with its base value
CREATE TEMP TABLE garden_arg AS
SELECT f.fn, a.i::integer AS i, a.typ::regtype AS typ, a.name,
	coalesce(
		(SELECT v.expr FROM garden_val v WHERE v.typ = a.typ AND v.argname = '#' || a.i AND v.base
			AND f.proname LIKE v.fn LIMIT 1),
		(SELECT v.expr FROM garden_val v WHERE v.typ = a.typ AND v.argname = a.name AND v.base
			AND f.proname LIKE v.fn LIMIT 1),
		(SELECT v.expr FROM garden_val v WHERE v.typ = a.typ AND v.argname = a.name AND v.base
			AND v.fn IS NULL LIMIT 1),
		f.defaults[a.i],
		(SELECT v.expr FROM garden_val v WHERE v.typ = a.typ
			AND v.argname = '=' || format_type(f.prorettype, NULL) AND v.base LIMIT 1),
		(SELECT v.expr FROM garden_val v WHERE v.typ = a.typ AND v.argname IS NULL AND v.base LIMIT 1),
		'NULL') AS base
FROM garden_fn f, unnest(f.types, f.names) WITH ORDINALITY a(typ, name, i)
WHERE a.typ IS NOT NULL;
CREATE INDEX ON garden_arg (fn, i);
ANALYZE garden_arg;

-- the values an argument takes in turn: NULL, every value of its type, the
-- values for its name, its default
CREATE TEMP TABLE garden_argval AS
SELECT DISTINCT a.fn, a.i, x.expr, x.fresh
FROM garden_arg a JOIN garden_fn f USING (fn),
LATERAL (
	SELECT 'NULL' AS expr, true AS fresh
	UNION ALL
	SELECT v.expr, v.fresh FROM garden_val v
	WHERE v.typ = a.typ AND (v.argname IS NULL
		OR (v.argname = a.name AND (v.fn IS NULL OR f.proname LIKE v.fn))
		OR (v.argname = '#' || a.i AND f.proname LIKE v.fn)
		OR v.argname = '=' || format_type(f.prorettype, NULL))
	UNION ALL
	SELECT f.defaults[a.i], true WHERE f.defaults[a.i] IS NOT NULL
) x
WHERE x.expr <> a.base;

-- a call: the function with base arguments, one argument replaced
CREATE FUNCTION pg_temp.garden_args(f oid, vary integer, val text) RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(format('(%s)::%s', CASE WHEN a.i = vary THEN val ELSE a.base END,
		format_type(a.typ, NULL)) ORDER BY a.i), '{}')
	FROM garden_arg a WHERE a.fn = f
$$;
CREATE FUNCTION pg_temp.garden_sql(f oid, args text[], agg_rows text[], win boolean DEFAULT false) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN g.prokind = 'a' AND win THEN
			-- aggregate as a window function: a growing frame (the final
			-- function sees the same state again and again) and a sliding one
			format('SELECT count(r1) + count(r2) FROM (SELECT (%1$s(%2$s) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))::text AS r1, '
				'(%1$s(%2$s) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))::text AS r2 FROM (VALUES %3$s) v(%2$s)) s',
				callee, cols, array_to_string(agg_rows, ', '))
		WHEN g.prokind = 'a' THEN
			-- aggregate: the rows given, as a VALUES list
			format('SELECT %s(%s)::text FROM (VALUES %s) v(%s) %s', callee, cols,
				CASE WHEN agg_rows = '{}' THEN '(' || array_to_string(args, ', ') || ')'
					ELSE array_to_string(agg_rows, ', ') END, cols,
				CASE WHEN agg_rows = '{}' THEN 'WHERE false' ELSE '' END)
		WHEN g.prokind = 'p' THEN format('CALL %s(%s)', callee, array_to_string(args, ', '))
		WHEN g.proretset THEN
			format('SELECT count(r) FROM (SELECT (%s(%s))::text AS r LIMIT 100000) s', callee,
				array_to_string(args, ', '))
		ELSE format('SELECT (%s(%s))::text', callee, array_to_string(args, ', '))
	END
	FROM garden_fn g,
		LATERAL (SELECT format('%I.%I', n.nspname, g.proname) AS callee
			FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = g.fn) c,
		LATERAL (SELECT coalesce(string_agg('c' || i, ', ' ORDER BY i), '') AS cols
			FROM generate_series(1, cardinality(g.types)) i) k
	WHERE g.fn = f
$$;

CREATE TEMP TABLE garden_call (id serial PRIMARY KEY, fn oid, what text, sql text, fresh boolean,
	sqlstate text, message text, ms float8);
-- plain functions and procedures: the base call, all arguments NULL, and
-- each argument through its values
INSERT INTO garden_call (fn, what, sql, fresh)
SELECT f.fn, w.what, pg_temp.garden_sql(f.fn, w.args, NULL), w.fresh
FROM garden_fn f,
LATERAL (
	SELECT 'base' AS what, pg_temp.garden_args(f.fn, 0, NULL) AS args, true AS fresh
	UNION ALL
	SELECT 'all NULL', array_agg(format('NULL::%s', format_type(t, NULL)) ORDER BY o), true
		FROM unnest(f.types) WITH ORDINALITY u(t, o) HAVING count(*) > 0
	UNION ALL
	SELECT format('arg %s = %s', v.i, left(v.expr, 60)), pg_temp.garden_args(f.fn, v.i, v.expr), v.fresh
		FROM garden_argval v WHERE v.fn = f.fn
) w
WHERE f.prokind <> 'a';
-- aggregates: over zero rows, one row (the base), the varied row alone,
-- and the base with a varied row where the value is NULL or a state (so
-- that rows are skipped and states merged), also as a window function
INSERT INTO garden_call (fn, what, sql, fresh)
SELECT f.fn, w.what, pg_temp.garden_sql(f.fn, b.args, w.agg_rows, w.win), w.fresh
FROM garden_fn f,
LATERAL (SELECT pg_temp.garden_args(f.fn, 0, NULL) AS args) b,
LATERAL (
	SELECT 'zero rows' AS what, '{}'::text[] AS agg_rows, true AS fresh, false AS win
	UNION ALL
	SELECT 'one row', ARRAY['(' || array_to_string(b.args, ', ') || ')'], true, false
	UNION ALL
	SELECT 'window, rows base', array_fill('(' || array_to_string(b.args, ', ') || ')', ARRAY[3]), true, true
	UNION ALL
	SELECT format('%s, arg %s = %s', m.what, v.i, left(v.expr, 60)),
		ARRAY['(' || array_to_string(b.args, ', ') || ')',
			'(' || array_to_string(pg_temp.garden_args(f.fn, v.i, v.expr), ', ') || ')',
			'(' || array_to_string(b.args, ', ') || ')'], v.fresh, m.win
		FROM garden_argval v, (VALUES ('rows base', false), ('window, rows base', true)) m(what, win)
		WHERE v.fn = f.fn AND (v.expr = 'NULL' OR v.expr LIKE '(SELECT v FROM garden_state%')
	UNION ALL
	SELECT format('row arg %s = %s', v.i, left(v.expr, 60)),
		ARRAY['(' || array_to_string(pg_temp.garden_args(f.fn, v.i, v.expr), ', ') || ')'], v.fresh, false
		FROM garden_argval v WHERE v.fn = f.fn
) w
WHERE f.prokind = 'a';

-- One call, always rolled back: a call that succeeds raises GA000 itself.
-- The statement timeout (one per call: each call is a statement of its
-- own) may also strike just after the call; the outer handler records it.
CREATE FUNCTION pg_temp.garden_run(call_id integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	c garden_call;
	st text;
	msg text;
	t0 timestamptz := clock_timestamp();
BEGIN
	SELECT * INTO c FROM garden_call WHERE id = call_id;
	BEGIN
		BEGIN
			EXECUTE c.sql;
			RAISE EXCEPTION 'garden: call succeeded' USING ERRCODE = 'GA000';
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		END;
		UPDATE garden_call SET sqlstate = st, message = left(msg, 200),
			ms = extract(epoch FROM clock_timestamp() - t0) * 1000 WHERE id = call_id;
	EXCEPTION WHEN query_canceled THEN
		UPDATE garden_call SET sqlstate = coalesce(st, '57014'), message = left(coalesce(msg, 'statement timeout'), 200),
			ms = extract(epoch FROM clock_timestamp() - t0) * 1000 WHERE id = call_id;
	END;
END
$$;

-- Run every call as a statement of its own, so that the timeout is per call.
-- (JIT off: compiling the plans of the plpgsql helpers would dominate the time)
SET jit = off;
SET statement_timeout = '300ms';
SET client_min_messages = error;
\set ECHO none
\o /dev/null
SELECT format('SELECT pg_temp.garden_run(%s) /* %s */', id, replace(left(sql, 120), '*/', '* /'))
FROM garden_call ORDER BY id \gexec
\o
\set ECHO all
RESET statement_timeout;
RESET jit;
RESET client_min_messages;

-- Facts: every routine was called, many times; every call finished.
SELECT (SELECT count(*) FROM garden_fn) > 200 AS routines_over_200,
	(SELECT count(*) FROM garden_fn f WHERE NOT EXISTS (SELECT FROM garden_call c WHERE c.fn = f.fn)) AS routines_never_called,
	count(*) > 5000 AS calls_over_5000,
	count(*) FILTER (WHERE sqlstate IS NULL) AS calls_unfinished,
	count(*) FILTER (WHERE sqlstate = 'GA000') > 2000 AS succeeded_over_2000,
	count(*) FILTER (WHERE sqlstate <> 'GA000') > 2000 AS failed_over_2000
FROM garden_call;
-- The defects: an internal error, or data "corrupted" that was made fresh.
-- Expected: no rows.
SELECT c.fn::regprocedure AS routine, c.sqlstate, c.what, c.message
FROM garden_call c JOIN garden_fn f USING (fn)
WHERE c.sqlstate LIKE 'XX%' AND (c.sqlstate NOT IN ('XX001', 'XX002') OR c.fresh)
ORDER BY 1::text, 2, 3;

DROP SCHEMA garden_scratch;
