-- The DiD aggregates follow one pattern (extension/0.2.0/30_did.sql, the
-- comment above the CREATE AGGREGATE blocks; docs/architecture.md,
-- *Difference-in-differences aggregates*). The 24 blocks are released and
-- stay as written; this test reads pg_aggregate and pg_proc and lists every
-- departure from the pattern:
--   names       did_state, did (unweighted), did_weighted_state, did_weighted;
--   arguments   (pre float8, post float8, treated boolean [, weight float8]
--               [, covariates float8[]] [, cluster bigint | text]): all six
--               forms of each name, nothing else named did*, plus did_rollup(did_state);
--   transition  did_transition / did_weighted_transition (did_state, the
--               same arguments), C symbol si_did_[w]trans[_cov][_cl_int|_cl_text],
--               not strict (NULL rows are skipped and counted, not dropped);
--   state       did_state, no initial value, no moving-aggregate form;
--   combine     did_state_combine(did_state, did_state), not strict;
--   serial      none (did_state is a real type with send/recv);
--   final       did_state_final (the *_state forms and did_rollup) or
--               did_final (the one-shot forms, returning did_result), read-only;
--   parallel    PARALLEL SAFE: the aggregate and each support function.
-- Then the same check runs over a copy of the aggregates in a scratch
-- schema, first faithful (no departure), then with planted departures, each
-- of which the check must name: it can fail.
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.did_aggregate_departures(aggs regnamespace, ext regnamespace)
RETURNS TABLE (aggregate text, problem text)
LANGUAGE sql STABLE AS $fn$
WITH names (agg, weighted, one_shot) AS (
	VALUES ('did_state', false, false), ('did', false, true),
		   ('did_weighted_state', true, false), ('did_weighted', true, true)
), forms (cov, cl, sym) AS (
	VALUES (false, NULL, ''), (false, 'bigint', '_cl_int'), (false, 'text', '_cl_text'),
		   (true, NULL, '_cov'), (true, 'bigint', '_cov_cl_int'), (true, 'text', '_cov_cl_text')
), st AS (
	SELECT t.oid AS did_state FROM pg_catalog.pg_type t
	WHERE t.typname = 'did_state' AND t.typnamespace = ext
), expected AS (
	SELECT n.agg,
		   ARRAY['float8', 'float8', 'boolean']::pg_catalog.regtype[]
		   || CASE WHEN n.weighted THEN ARRAY['float8']::pg_catalog.regtype[] ELSE '{}' END
		   || CASE WHEN f.cov THEN ARRAY['float8[]']::pg_catalog.regtype[] ELSE '{}' END
		   || CASE WHEN f.cl IS NOT NULL THEN ARRAY[f.cl]::pg_catalog.regtype[] ELSE '{}' END AS args,
		   CASE WHEN n.weighted THEN 'did_weighted_transition' ELSE 'did_transition' END AS sfunc,
		   'si_did_' || CASE WHEN n.weighted THEN 'wtrans' ELSE 'trans' END || f.sym AS ssym,
		   CASE WHEN n.one_shot THEN 'did_final' ELSE 'did_state_final' END AS ffunc,
		   CASE WHEN n.one_shot THEN 'si_did_final_result' ELSE 'si_did_state_final' END AS fsym,
		   CASE WHEN n.one_shot THEN 'did_result' ELSE 'did_state' END AS rettype
	FROM names n, forms f
	UNION ALL
	SELECT 'did_rollup', ARRAY[st.did_state]::pg_catalog.regtype[], 'did_state_combine',
		   'si_did_state_combine', 'did_state_final', 'si_did_state_final', 'did_state'
	FROM st
), actual AS (
	-- (oidvector arrays start at 0: the slice makes them start at 1, as ARRAY[...])
	SELECT p.oid, p.proname::text AS agg, (p.proargtypes::pg_catalog.regtype[])[:] AS args
	FROM pg_catalog.pg_proc p
	WHERE p.pronamespace = aggs AND p.prokind = 'a' AND p.proname LIKE 'did%'
), paired AS (
	SELECT coalesce(e.agg, a.agg) || '(' || pg_catalog.array_to_string(coalesce(e.args, a.args), ', ') || ')' AS aggregate,
		   e.agg IS NULL AS unexpected, a.oid IS NULL AS missing, e.*, a.oid
	FROM expected e FULL JOIN actual a ON a.agg = e.agg AND a.args = e.args
), support AS (
	-- one row per (aggregate, role) with the function it names
	SELECT p.aggregate, r.role, r.fn, p.args, p.sfunc, p.ssym, p.ffunc, p.fsym,
		   ag.aggtranstype, ag.agginitval, ag.aggmtransfn, ag.aggkind, ag.aggfinalmodify,
		   ag.aggfinalextra, ag.aggserialfn, ag.aggdeserialfn
	FROM paired p
	JOIN pg_catalog.pg_aggregate ag ON ag.aggfnoid = p.oid
	CROSS JOIN LATERAL (VALUES ('transition', ag.aggtransfn), ('combine', ag.aggcombinefn),
							   ('final', ag.aggfinalfn)) AS r(role, fn)
	WHERE NOT p.unexpected AND NOT p.missing
), problems AS (
	SELECT aggregate, 'missing: the pattern has this argument form' AS problem FROM paired WHERE missing
	UNION ALL
	SELECT aggregate, 'not in the pattern' FROM paired WHERE unexpected
	UNION ALL
	SELECT p.aggregate, 'aggregate is not PARALLEL SAFE'
	FROM paired p JOIN pg_catalog.pg_proc f ON f.oid = p.oid
	WHERE NOT p.unexpected AND f.proparallel <> 's'
	UNION ALL
	SELECT p.aggregate, format('returns %s, the pattern %s', f.prorettype::pg_catalog.regtype, p.rettype)
	FROM paired p JOIN pg_catalog.pg_proc f ON f.oid = p.oid
	WHERE NOT p.unexpected
		  AND (f.prorettype NOT IN (SELECT t.oid FROM pg_catalog.pg_type t
									WHERE t.typname = p.rettype AND t.typnamespace = ext))
	UNION ALL
	SELECT DISTINCT s.aggregate, problem
	FROM support s, st
	CROSS JOIN LATERAL (VALUES
		(s.aggtranstype <> st.did_state, 'state type is not did_state'),
		(s.agginitval IS NOT NULL, 'has an initial value'),
		(s.aggmtransfn <> 0, 'has a moving-aggregate form'),
		(s.aggkind <> 'n', 'is not a normal aggregate'),
		(s.aggfinalmodify <> 'r' OR s.aggfinalextra, 'final function is not read-only without extra arguments'),
		(s.aggserialfn <> 0 OR s.aggdeserialfn <> 0, 'has serial/deserial functions (did_state is sent by its own send/recv)')
	) AS c(bad, problem)
	WHERE c.bad
	UNION ALL
	SELECT s.aggregate, s.role || ' function: none, the pattern has one' FROM support s WHERE s.fn = 0
	UNION ALL
	SELECT s.aggregate, format('%s function %s departs: %s', s.role, s.fn::pg_catalog.regprocedure, c.problem)
	FROM support s
	JOIN pg_catalog.pg_proc f ON f.oid = s.fn
	CROSS JOIN st
	CROSS JOIN LATERAL (VALUES
		(f.pronamespace <> ext, 'not the extension''s'),
		(f.prolang <> (SELECT l.oid FROM pg_catalog.pg_language l WHERE l.lanname = 'c'), 'not in C'),
		(f.proname <> CASE s.role WHEN 'transition' THEN s.sfunc WHEN 'combine' THEN 'did_state_combine' ELSE s.ffunc END,
		 'the pattern names ' || CASE s.role WHEN 'transition' THEN s.sfunc WHEN 'combine' THEN 'did_state_combine' ELSE s.ffunc END),
		(f.prosrc <> CASE s.role WHEN 'transition' THEN s.ssym WHEN 'combine' THEN 'si_did_state_combine' ELSE s.fsym END,
		 'C symbol ' || f.prosrc || ', the pattern ' || CASE s.role WHEN 'transition' THEN s.ssym WHEN 'combine' THEN 'si_did_state_combine' ELSE s.fsym END),
		(f.proparallel <> 's', 'not PARALLEL SAFE'),
		(s.role <> 'final' AND f.proisstrict, 'strict (NULL rows or states would be dropped, not counted)'),
		(s.role = 'transition' AND (f.proargtypes::pg_catalog.regtype[])[:] <> ARRAY[st.did_state]::pg_catalog.regtype[] || s.args
		 AND s.sfunc <> 'did_state_combine', 'arguments are not (did_state, the aggregate''s arguments)')
	) AS c(bad, problem)
	WHERE s.fn <> 0 AND c.bad
)
SELECT aggregate, problem FROM problems ORDER BY 1, 2
$fn$;

-- the extension: no departure, and every form is there
SELECT count(*) AS did_aggregates
FROM pg_catalog.pg_proc p
WHERE p.prokind = 'a' AND p.proname LIKE 'did%'
  AND p.pronamespace = (SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = 'socialinvest');
SELECT * FROM pg_temp.did_aggregate_departures(
	(SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = 'socialinvest'),
	(SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = 'socialinvest'));

-- a faithful copy of the aggregates in a scratch schema: no departure either
CREATE SCHEMA did_catalog_probe;
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid) AS args,
			   a.aggtransfn, a.aggtranstype, a.aggcombinefn, a.aggfinalfn, p.proparallel
		FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
		WHERE p.prokind = 'a' AND p.proname LIKE 'did%'
		  AND p.pronamespace = (SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = 'socialinvest')
	LOOP
		EXECUTE format('CREATE AGGREGATE did_catalog_probe.%I(%s) (SFUNC = %s, STYPE = %s, COMBINEFUNC = %s, FINALFUNC = %s, PARALLEL = %s)',
					   r.proname, r.args,
					   (SELECT format('%I.%I', f.pronamespace::regnamespace, f.proname) FROM pg_catalog.pg_proc f WHERE f.oid = r.aggtransfn),
					   r.aggtranstype::pg_catalog.regtype,
					   (SELECT format('%I.%I', f.pronamespace::regnamespace, f.proname) FROM pg_catalog.pg_proc f WHERE f.oid = r.aggcombinefn),
					   (SELECT format('%I.%I', f.pronamespace::regnamespace, f.proname) FROM pg_catalog.pg_proc f WHERE f.oid = r.aggfinalfn),
					   CASE r.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END);
	END LOOP;
END
$$;
SELECT * FROM pg_temp.did_aggregate_departures('did_catalog_probe',
	(SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = 'socialinvest'));

-- planted departures, each named by the check (serial functions cannot be
-- planted: PostgreSQL refuses them for a state type other than internal)
DROP AGGREGATE did_catalog_probe.did(float8, float8, boolean, text);
DROP AGGREGATE did_catalog_probe.did_state(float8, float8, boolean, bigint);
CREATE AGGREGATE did_catalog_probe.did_state(pre float8, post float8, treated boolean, cluster bigint) (
	SFUNC = did_transition, STYPE = did_state, FINALFUNC = did_state_final, PARALLEL = RESTRICTED);
DROP AGGREGATE did_catalog_probe.did_weighted(float8, float8, boolean, float8);
CREATE AGGREGATE did_catalog_probe.did_weighted(pre float8, post float8, treated boolean, weight float8) (
	SFUNC = did_weighted_transition, STYPE = did_state, COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final, PARALLEL = SAFE);
CREATE FUNCTION did_catalog_probe.did_transition(s did_state, pre float8, post float8, treated boolean, covariates float8[])
RETURNS did_state LANGUAGE sql IMMUTABLE AS 'SELECT s';
DROP AGGREGATE did_catalog_probe.did_state(float8, float8, boolean, float8[]);
CREATE AGGREGATE did_catalog_probe.did_state(pre float8, post float8, treated boolean, covariates float8[]) (
	SFUNC = did_catalog_probe.did_transition, STYPE = did_state, COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final, PARALLEL = SAFE);
ALTER FUNCTION did_catalog_probe.did_transition(did_state, float8, float8, boolean, float8[]) STRICT;
CREATE AGGREGATE did_catalog_probe.did_extra(did_state) (
	SFUNC = did_state_combine, STYPE = did_state, PARALLEL = SAFE);
SELECT * FROM pg_temp.did_aggregate_departures('did_catalog_probe',
	(SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = 'socialinvest'));
DROP SCHEMA did_catalog_probe CASCADE;
