-- Test helper for the did_cases references: run the att_gt call that an
-- expected.csv `call` key describes and return rows in the same shape
-- (kind, key1, key2, estimate, std_error, extra). via_fit: through a
-- stored estimate (att_gt_fit, then the fit forms) instead of the table.
CREATE FUNCTION pg_temp.attgt_case(tbl regclass, call text, via_fit boolean DEFAULT false)
RETURNS TABLE(kind text, key1 text, key2 text, estimate float8, std_error float8, extra float8)
LANGUAGE plpgsql AS $$
DECLARE
	a text := split_part(split_part(call, '|', 1), 'attgt:', 2);
	g text := split_part(split_part(call, '|', 2), 'aggte:', 2);
	kv text; k text; v text;
	cg text := 'nevertreated'; bp text := 'varying'; ant int := 0; cov text[];
	est text := 'dr'; wt text; cl text;
	typ text; mine int; maxe int; bal int;
	f att_gt_fit;
BEGIN
	FOREACH kv IN ARRAY string_to_array(a, ',') LOOP
		k := split_part(kv, '=', 1); v := split_part(kv, '=', 2);
		CASE k
			WHEN 'cg' THEN cg := v;
			WHEN 'bp' THEN bp := v;
			WHEN 'ant' THEN ant := v::int;
			WHEN 'x' THEN cov := string_to_array(v, '+');
			WHEN 'est' THEN est := v;
			WHEN 'w' THEN wt := v;
			WHEN 'cl' THEN cl := split_part(v, '+', 2);
			WHEN 'unbalanced' THEN NULL;   -- unbalanced panels are detected
			ELSE RAISE EXCEPTION 'unknown key % in %', k, call;
		END CASE;
	END LOOP;
	IF via_fit THEN
		f := att_gt_fit(tbl, 'y', 'unit', 'period', 'cohort', control_group => cg, anticipation => ant,
		                base_period => bp, covariate_columns => cov, est_method => est, weight_column => wt, cluster_column => cl);
	END IF;
	IF g = '' AND via_fit THEN
		RETURN QUERY SELECT 'cell', r.cohort::text, r.period::text, r.estimate, r.std_error, NULL::float8
			FROM att_gt(f) r;
		RETURN QUERY SELECT 'pretest', 'W', p.df::text, p.w, NULL::float8, p.p_value
			FROM att_gt_pretest(f) p;
		RETURN QUERY SELECT 'pretest', 'Wpval_rounded', p.df::text, round(p.p_value::numeric, 5)::float8, NULL::float8, NULL::float8
			FROM att_gt_pretest(f) p;
	ELSIF g = '' THEN
		RETURN QUERY SELECT 'cell', r.cohort::text, r.period::text, r.estimate, r.std_error, NULL::float8
			FROM att_gt(tbl, 'y', 'unit', 'period', 'cohort', control_group => cg, anticipation => ant,
			            base_period => bp, covariate_columns => cov, est_method => est, weight_column => wt, cluster_column => cl) r;
		RETURN QUERY SELECT 'pretest', 'W', p.df::text, p.w, NULL::float8, p.p_value
			FROM att_gt_pretest(tbl, 'y', 'unit', 'period', 'cohort', control_group => cg, anticipation => ant,
			            base_period => bp, covariate_columns => cov, est_method => est, weight_column => wt, cluster_column => cl) p;
		RETURN QUERY SELECT 'pretest', 'Wpval_rounded', p.df::text, round(p.p_value::numeric, 5)::float8, NULL::float8, NULL::float8
			FROM att_gt_pretest(tbl, 'y', 'unit', 'period', 'cohort', control_group => cg, anticipation => ant,
			            base_period => bp, covariate_columns => cov, est_method => est, weight_column => wt, cluster_column => cl) p;
	ELSE
		FOREACH kv IN ARRAY string_to_array(g, ',') LOOP
			k := split_part(kv, '=', 1); v := split_part(kv, '=', 2);
			CASE k
				WHEN 'type' THEN typ := v;
				WHEN 'min_e' THEN mine := v::int;
				WHEN 'max_e' THEN maxe := v::int;
				WHEN 'balance_e' THEN bal := v::int;
				ELSE RAISE EXCEPTION 'unknown aggte key % in %', k, call;
			END CASE;
		END LOOP;
		RETURN QUERY SELECT CASE WHEN r.level = 'overall' THEN 'aggregate' ELSE 'component' END,
				coalesce(r.key::text, 'overall'),
				CASE r.level WHEN 'event_time' THEN 'e' WHEN 'cohort' THEN 'g' WHEN 'period' THEN 't' END,
				r.estimate, r.std_error, NULL::float8
			FROM att_gt_aggregate(f, type => typ, min_e => mine, max_e => maxe, balance_e => bal) r
			WHERE via_fit;
		RETURN QUERY SELECT CASE WHEN r.level = 'overall' THEN 'aggregate' ELSE 'component' END,
				coalesce(r.key::text, 'overall'),
				CASE r.level WHEN 'event_time' THEN 'e' WHEN 'cohort' THEN 'g' WHEN 'period' THEN 't' END,
				r.estimate, r.std_error, NULL::float8
			FROM att_gt_aggregate(tbl, 'y', 'unit', 'period', 'cohort', type => typ, min_e => mine, max_e => maxe,
			            balance_e => bal, control_group => cg, anticipation => ant,
			            base_period => bp, covariate_columns => cov, est_method => est, weight_column => wt, cluster_column => cl) r
			WHERE NOT via_fit;
	END IF;
END
$$;

-- Compare every reference row of a case: rows compared, rows missing on
-- either side, and the largest absolute difference of estimate, SE and
-- extra (p-value). NULL SEs must be NULL on both sides.
CREATE FUNCTION pg_temp.attgt_compare(tbl regclass, expected regclass, call_filter text DEFAULT '%',
                                       via_fit boolean DEFAULT false)
RETURNS TABLE(call text, compared bigint, missing bigint, max_abs_diff float8)
LANGUAGE plpgsql AS $$
DECLARE c text;
BEGIN
	FOR c IN EXECUTE format('SELECT DISTINCT e.call FROM %s e WHERE e.call LIKE $1 ORDER BY 1', expected) USING call_filter LOOP
		RETURN QUERY EXECUTE format($q$
			WITH got AS (SELECT * FROM pg_temp.attgt_case($1, $2, $3)),
			ex AS (SELECT * FROM %s e WHERE e.call = $2)
			SELECT $2, count(*) FILTER (WHERE g.kind IS NOT NULL AND ex.kind IS NOT NULL),
			       count(*) FILTER (WHERE g.kind IS NULL OR ex.kind IS NULL),
			       max(greatest(abs(g.estimate - ex.estimate),
			                    CASE WHEN (g.std_error IS NULL) <> (ex.std_error IS NULL) THEN 1e300
			                         ELSE coalesce(abs(g.std_error - ex.std_error), 0) END,
			                    coalesce(abs(g.extra - ex.extra), 0)))
			FROM got g FULL JOIN ex ON g.kind = ex.kind AND g.key1 = ex.key1
			     AND coalesce(g.key2, '') = coalesce(ex.key2, '')$q$, expected)
			USING tbl, c, via_fit;
	END LOOP;
END
$$;
