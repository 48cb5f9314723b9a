-- The vocabulary of docs/conventions.md, checked against the catalog: every
-- function and aggregate of the extension (read from pg_proc, so new ones
-- are covered without editing this file), its argument names and types and
-- its result columns (OUT/TABLE columns and the attributes of composite
-- result types). Support functions (type I/O, aggregate transition, final,
-- combine and (de)serialisation functions, triggers, names starting with
-- an underscore) are not part of the API and are left out. The deprecated
-- 0.3.0 names are left out by name below, and nothing else: each query
-- lists violations, expected none.

-- deprecated for 0.3.0, removed in 0.4.0 (docs/conventions.md): functions
-- kept under their old name or old argument order (their COMMENT starts
-- with "Deprecated"), and old argument names kept as trailing aliases
CREATE TEMP TABLE conv_alias (fn text, arg text);
INSERT INTO conv_alias VALUES
	('att_gt', 'data'), ('att_gt', 'outcome'), ('att_gt', 'unit'), ('att_gt', 'period'),
	('att_gt', 'cohort'), ('att_gt', 'covariates'), ('att_gt', 'weights'), ('att_gt', 'cluster'),
	('att_gt', 'alpha'),
	('att_gt_aggregate', 'data'), ('att_gt_aggregate', 'outcome'), ('att_gt_aggregate', 'unit'),
	('att_gt_aggregate', 'period'), ('att_gt_aggregate', 'cohort'), ('att_gt_aggregate', 'covariates'),
	('att_gt_aggregate', 'weights'), ('att_gt_aggregate', 'cluster'), ('att_gt_aggregate', 'alpha'),
	('att_gt_pretest', 'data'), ('att_gt_pretest', 'outcome'), ('att_gt_pretest', 'unit'),
	('att_gt_pretest', 'period'), ('att_gt_pretest', 'cohort'), ('att_gt_pretest', 'covariates'),
	('att_gt_pretest', 'weights'), ('att_gt_pretest', 'cluster'), ('att_gt_pretest', 'alpha'),
	('att_gt_sample', 'data'), ('att_gt_sample', 'outcome'), ('att_gt_sample', 'unit'),
	('att_gt_sample', 'period'), ('att_gt_sample', 'cohort'), ('att_gt_sample', 'covariates'),
	('att_gt_sample', 'weights'), ('att_gt_sample', 'cluster'), ('att_gt_sample', 'alpha'),
	('att_gt_event_vcov', 'data'), ('att_gt_event_vcov', 'outcome'), ('att_gt_event_vcov', 'unit'),
	('att_gt_event_vcov', 'period'), ('att_gt_event_vcov', 'cohort'), ('att_gt_event_vcov', 'covariates'),
	('att_gt_event_vcov', 'weights'), ('att_gt_event_vcov', 'cluster'), ('att_gt_event_vcov', 'alpha'),
	('benefit_paths_scan', 'tbl'), ('unmapped_codes', 'data'), ('did_result', 'level');

-- the API: functions and aggregates of the extension
CREATE TEMP TABLE conv_fn AS
SELECT p.oid AS fn, p.oid::regprocedure::text AS sig, p.proname::text AS proname,
	coalesce(obj_description(p.oid, 'pg_proc'), '') AS comment
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socialinvest'
WHERE p.prokind IN ('f', 'a')
  AND p.proname !~ '^_'
  AND p.prorettype <> 'trigger'::regtype
  AND p.prorettype <> 'internal'::regtype
  AND NOT 'internal'::regtype = ANY (p.proargtypes::oid[])
  AND NOT 'cstring'::regtype = ANY (p.proargtypes::oid[] || p.prorettype)
  AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
		WHERE p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn))
  AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend))
  AND NOT EXISTS (SELECT 1 FROM pg_operator o WHERE o.oprcode = p.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_amproc a WHERE a.amproc = p.oid);

-- the deprecated functions are exactly those documented
SELECT proname, sig FROM conv_fn WHERE comment ~ '^Deprecated' ORDER BY 1, 2;
DELETE FROM conv_fn WHERE comment ~ '^Deprecated';

-- input arguments (position, name, type, whether it has a default)
CREATE TEMP TABLE conv_arg AS
SELECT f.fn, f.sig, f.proname, a.pos, a.name, a.typ,
	a.pos > p.pronargs - p.pronargdefaults AS has_default
FROM conv_fn f JOIN pg_proc p ON p.oid = f.fn,
LATERAL (
	SELECT row_number() OVER () AS pos, n AS name, t AS typ
	FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
		coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[p.pronargs])),
		coalesce(p.proargnames, array_fill(''::text, ARRAY[p.pronargs]))) u(t, m, n)
	WHERE m IN ('i', 'b', 'v')
) a
WHERE true;
-- an old name is an alias only where it trails every argument that follows the rules
DELETE FROM conv_arg c USING conv_alias x
WHERE x.fn = c.proname AND x.arg = c.name
  AND c.has_default
  AND c.pos > (SELECT max(o.pos) FROM conv_arg o WHERE o.fn = c.fn
		AND NOT EXISTS (SELECT 1 FROM conv_alias y WHERE y.fn = o.proname AND y.arg = o.name));

-- result columns: OUT/TABLE parameters and attributes of composite results
CREATE TEMP TABLE conv_col AS
SELECT f.sig, u.n AS name, u.t::regtype AS typ
FROM conv_fn f JOIN pg_proc p ON p.oid = f.fn,
	unnest(p.proallargtypes, p.proargmodes, p.proargnames) u(t, m, n)
WHERE u.m IN ('o', 'b', 't')
UNION ALL
SELECT f.sig, a.attname::text, a.atttypid::regtype
FROM conv_fn f JOIN pg_proc p ON p.oid = f.fn
JOIN pg_type t ON t.oid = p.prorettype AND t.typtype = 'c'
JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
WHERE p.proallargtypes IS NULL;

SELECT count(*) > 100 AS many_functions, count(*) FILTER (WHERE proname = 'att_gt' AND sig ~ 'regclass') = 1 AS one_att_gt
FROM conv_fn;

-- 1. A function that reads a caller's table takes it first, as relation regclass.
SELECT sig, pos, name, typ::regtype FROM conv_arg
WHERE typ = 'regclass'::regtype AND name IN ('data', 'tbl', 'table_name', 'relname', 'tab', 'rel', 'source')
   OR (name = 'relation' AND (pos <> 1 OR typ <> 'regclass'::regtype))
ORDER BY 1, 2;
SELECT DISTINCT sig FROM conv_arg c
WHERE c.typ IN ('name'::regtype, 'name[]'::regtype)
  AND NOT EXISTS (SELECT 1 FROM conv_arg r WHERE r.fn = c.fn AND r.pos = 1
		AND r.name = 'relation' AND r.typ = 'regclass'::regtype)
ORDER BY 1;

-- 2. Column arguments are name (name[]) and end in _column (_columns); no
--    text argument names a column.
SELECT sig, pos, name, typ::regtype FROM conv_arg
WHERE (typ = 'name'::regtype AND name !~ '_column$')
   OR (typ = 'name[]'::regtype AND name !~ '_columns$')
   OR (name ~ '_column$' AND typ <> 'name'::regtype)
   OR (name ~ '_columns$' AND typ <> 'name[]'::regtype)
ORDER BY 1, 2;
-- ... and a function with a relation has no text argument named for a column role
SELECT sig, pos, name, typ::regtype FROM conv_arg c
WHERE typ IN ('text'::regtype, 'text[]'::regtype)
  AND name IN ('outcome', 'unit', 'person', 'period', 'week', 'code', 'cohort', 'treated',
		'weight', 'weights', 'cluster', 'covariates', 'id')
  AND EXISTS (SELECT 1 FROM conv_arg r WHERE r.fn = c.fn AND r.typ = 'regclass'::regtype)
ORDER BY 1, 2;

-- 3. The confidence level is conf_level float8 DEFAULT 0.95; never alpha or level.
SELECT sig, pos, name FROM conv_arg
WHERE name IN ('alpha', 'level', 'conf', 'confidence', 'ci_level', 'confidence_level', 'significance')
ORDER BY 1, 2;
SELECT f.sig FROM conv_fn f
WHERE EXISTS (SELECT 1 FROM conv_arg a WHERE a.fn = f.fn AND a.name = 'conf_level')
  AND pg_get_function_arguments(f.fn) !~ 'conf_level double precision DEFAULT 0\.95'
ORDER BY 1;

-- 4. Inference options in the order variance, conf_level, distribution.
SELECT v.sig FROM conv_arg v JOIN conv_arg c ON c.fn = v.fn AND c.name = 'conf_level'
WHERE v.name = 'variance' AND v.pos > c.pos
UNION ALL
SELECT d.sig FROM conv_arg d JOIN conv_arg c ON c.fn = d.fn AND c.name = 'conf_level'
WHERE d.name = 'distribution' AND d.pos < c.pos
ORDER BY 1;

-- 5. Weeks: windows are from_week/to_week, observation periods observed_from/observed_to.
SELECT sig, pos, name FROM conv_arg
WHERE name IN ('start_week', 'end_week', 'week_from', 'week_to', 'from_date', 'to_date',
		'start_date', 'end_date', 'observed_start', 'observed_end', 'obs_from', 'obs_to',
		'first_observed', 'last_observed')
ORDER BY 1, 2;

-- 6. Result columns: estimate, std_error, conf_low, conf_high, conf_level;
--    counts n_* as bigint.
SELECT sig, name, typ FROM conv_col
WHERE name IN ('effect', 'att', 'est', 'coef', 'std_err', 'stderr', 'se', 'rate_stderr',
		'ci_lower', 'ci_upper', 'ci_low', 'ci_high', 'lower', 'upper', 'lo', 'hi', 'alpha')
		-- a money scenario's effect is its assumed effect (an input), not an estimate
		AND NOT (name = 'effect' AND (sig ~ '^break_even_effect\(' OR EXISTS (SELECT 1 FROM conv_arg a
			WHERE a.sig = conv_col.sig AND a.name IN ('effect', 'effects'))))
   OR (name = 'level' AND typ = 'double precision'::regtype)
   OR (name ~ '^n_' AND typ <> 'bigint'::regtype)
   OR (name IN ('at_risk', 'events', 'censored', 'units', 'rows', 'draws', 'clusters', 'treated', 'control')
		AND typ IN ('bigint'::regtype, 'integer'::regtype) AND sig !~ '^path_week')
ORDER BY 1, 2;

-- 7. Function names use the same words.
SELECT sig FROM conv_fn
WHERE proname ~ '(stderr|std_err$|_effect$|_att$|_alpha|_level$)'
  AND proname NOT IN ('break_even_effect')
ORDER BY 1;

-- 8. Every argument of the API has a name (named notation works everywhere),
--    (operator and hash support functions are not called by name).
SELECT sig, pos FROM conv_arg WHERE name = '' ORDER BY 1, 2;

-- 9. Identifiers: column arguments are column names as stored — matched
--    exactly, case included, never folded or parsed (no quoting); the
--    relation is a regclass and parsed as SQL parses a table name.
\i sql/include/expect_error.sql
CREATE TEMP TABLE "Case Panel" AS
SELECT id AS "Id", t AS "T", CASE WHEN id <= 10 THEN 3 ELSE 0 END AS "G",
	t * 0.5 + CASE WHEN id <= 10 AND t >= 3 THEN 1 ELSE 0 END + 0.01 * (id % 7) AS "Y",
	id <= 10 AS "Treated", t - 3 AS "Rel"
FROM generate_series(1, 20) id, generate_series(1, 4) t;
CREATE TEMP TABLE "Case Weeks" ("Person" bigint, "Week" date, "Code" integer);
INSERT INTO "Case Weeks" VALUES (1, '2019-01-07', 130), (2, '2019-01-07', 9123);
SELECT count(*) AS cells FROM att_gt('"Case Panel"', 'Y', 'Id', 'T', 'G');
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('"Case Panel"', 'y', 'Id', 'T', 'G') $$) AS folded;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('"Case Panel"', '"Y"', 'Id', 'T', 'G') $$) AS quoted;
SELECT pg_temp.expect_error($$ SELECT * FROM att_gt('Case Panel', 'Y', 'Id', 'T', 'G') $$) AS relation_unquoted;
SELECT count(*) AS periods FROM did_event_study('"Case Panel"', outcome_column => 'Y', unit_column => 'Id',
	period_column => 'Rel', treated_column => 'Treated');
SELECT pg_temp.expect_error($$ SELECT * FROM did_event_study('"Case Panel"', outcome_column => 'y', unit_column => 'Id',
	period_column => 'Rel', treated_column => 'Treated') $$) AS folded;
SELECT count(*) AS persons FROM benefit_paths_scan('"Case Weeks"', 'Person', 'Week', 'Code');
SELECT pg_temp.expect_error($$ SELECT * FROM benefit_paths_scan('"Case Weeks"', 'person', 'Week', 'Code') $$) AS folded;
SELECT code, weeks FROM unmapped_codes('"Case Weeks"', 'Code', 'Week');
SELECT pg_temp.expect_error($$ SELECT * FROM unmapped_codes('"Case Weeks"', 'code', 'Week') $$) AS folded;
