-- 0.2.0 -> 0.3.0, issue 13 item 9: one vocabulary (docs/conventions.md).
-- GENERATED from the current fragments of extension/0.1.0 and 0.2.0 (the
-- statements below are copies of theirs); regenerate after changing them.
--
-- Result columns renamed outright: did_result's attributes keep their
-- values (ALTER TYPE ... RENAME ATTRIBUTE, so stored did_result values stay
-- valid). Functions whose names, argument names, order or types, or result
-- columns change are dropped in every overload that exists at this point
-- and created as the fragments define them (with the deprecated wrappers
-- and alias arguments of 0.3.0). A user view or function that depends on
-- one of them makes the update fail; drop it first and re-create it after.

ALTER TYPE @extschema@.did_result RENAME ATTRIBUTE effect TO estimate;
ALTER TYPE @extschema@.did_result RENAME ATTRIBUTE ci_lower TO conf_low;
ALTER TYPE @extschema@.did_result RENAME ATTRIBUTE ci_upper TO conf_high;
ALTER TYPE @extschema@.did_result RENAME ATTRIBUTE level TO conf_level;

DO $drop$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p
		WHERE p.pronamespace = '@extschema@'::regnamespace AND p.prokind = 'f'
		  AND p.proname = ANY (ARRAY['att_gt', 'att_gt_aggregate', 'att_gt_pretest', 'att_gt_sample', 'att_gt_event_vcov', 'did_event_study', 'did_result', 'did_ci', 'did_effect', 'did_estimate', 'rate_stderr', 'rate_std_error', 'km_curve', 'unmapped_codes', 'benefit_paths_scan', 'contract_scenario', 'payout_distribution'])
		ORDER BY p.oid
	LOOP
		EXECUTE pg_catalog.format('DROP FUNCTION %s', f);
	END LOOP;
END
$drop$;


CREATE FUNCTION unmapped_codes(relation regclass DEFAULT NULL, code_column name DEFAULT 'code',
	week_column name DEFAULT 'week', data regclass DEFAULT NULL)
RETURNS TABLE (code integer, weeks bigint, first_week date, last_week date)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cols text[];
BEGIN
	-- data: the deprecated name of relation (0.3.0 only)
	IF data IS NOT NULL THEN
		IF relation IS NOT NULL THEN
			RAISE EXCEPTION 'unmapped_codes: relation and data are the same argument; give only relation'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		RAISE NOTICE 'argument data is deprecated, use relation' USING ERRCODE = '01P01',
			HINT = 'The old name works in socialinvest 0.3.0 only; see docs/conventions.md.';
		relation := data;
	END IF;
	IF relation IS NULL OR code_column IS NULL OR week_column IS NULL THEN
		RAISE EXCEPTION 'unmapped_codes: relation, code_column and week_column must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- A regclass given as a number (0::regclass, a dropped table's OID) names
	-- no relation: say so, rather than splice the number into the query.
	IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = relation) THEN
		RAISE EXCEPTION 'unmapped_codes: relation: table with OID % does not exist', relation::oid
			USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
	END IF;
	SELECT array_agg(attname::text ORDER BY attnum) INTO cols
	FROM pg_attribute WHERE attrelid = relation AND attnum > 0 AND NOT attisdropped;
	IF NOT code_column = ANY (cols) THEN
		RAISE EXCEPTION 'unmapped_codes: column "%" does not exist in %', code_column, relation
			USING ERRCODE = 'undefined_column', HINT = format('Columns: %s.', array_to_string(cols, ', '));
	END IF;
	IF NOT week_column = ANY (cols) THEN
		RAISE EXCEPTION 'unmapped_codes: column "%" does not exist in %', week_column, relation
			USING ERRCODE = 'undefined_column', HINT = format('Columns: %s.', array_to_string(cols, ', '));
	END IF;
	-- The query runs with the caller's privileges (no SECURITY DEFINER):
	-- table privileges and row-level security apply as usual.
	RETURN QUERY EXECUTE format(
		'SELECT t.%1$I::integer, count(*), min(t.%2$I)::date, max(t.%2$I)::date
		   FROM %3$s t
		  WHERE t.%1$I IS NOT NULL
		    AND NOT EXISTS (SELECT 1 FROM @extschema@.benefit_code b
		                     WHERE b.code = t.%1$I
		                       AND t.%2$I >= b.valid_from AND t.%2$I < b.valid_to)
		  GROUP BY 1 ORDER BY 1', code_column, week_column, relation);
END
$$;

COMMENT ON FUNCTION unmapped_codes(regclass, name, name, regclass) IS
'Codes in a person-week table that benefit_code does not map in the week they occur, with counts: the place to look before trusting any rate. Column arguments are column names as stored; data is the deprecated name of relation (0.3.0 only).';

CREATE FUNCTION benefit_paths_scan(relation regclass DEFAULT NULL, person_column name DEFAULT 'person_id',
	week_column name DEFAULT 'week', code_column name DEFAULT 'code', on_duplicate text DEFAULT 'error',
	tbl regclass DEFAULT NULL)
RETURNS TABLE (person_id bigint, path benefit_path)
AS 'MODULE_PATHNAME', 'si_paths_scan' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 100000;

COMMENT ON FUNCTION benefit_paths_scan(regclass, name, name, name, text, regclass) IS
'Every person''s benefit path read straight from a person-week table (bigint/integer person, date week, integer code; NULL code = no benefit), persons in ascending order: the same paths as benefit_paths, several times faster. Needs USAGE on the schema and SELECT on the table or the three columns; where row-level security applies to the caller, reads the rows through a query so only the rows the policies allow are counted. tbl is the deprecated name of relation (0.3.0 only, NOTICE 01P01).';

CREATE OR REPLACE AGGREGATE selfsufficiency_rollup(state selfsufficiency_state) (
	SFUNC = selfsufficiency_combine, STYPE = selfsufficiency_state,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);

COMMENT ON AGGREGATE selfsufficiency_rollup(selfsufficiency_state) IS
'Merge stored self-sufficiency states (e.g. municipality -> region, month -> year).';

CREATE FUNCTION rate_std_error(state selfsufficiency_state, min_n integer DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'si_rate_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION rate_std_error(selfsufficiency_state, integer) IS
'Standard error of the person-weighted rate, weights read as frequency weights: sqrt(M2 / (W - 1) / W); NULL below min_n persons or for a NULL state.';

CREATE FUNCTION rate_stderr(state selfsufficiency_state, min_n integer DEFAULT 0) RETURNS float8
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE NOTICE 'rate_stderr is deprecated, use rate_std_error' USING ERRCODE = '01P01',
		HINT = 'The old name works in socialinvest 0.3.0 only; see docs/conventions.md.';
	RETURN @extschema@.rate_std_error(state, min_n);
END
$$;

COMMENT ON FUNCTION rate_stderr(selfsufficiency_state, integer) IS 'Deprecated (0.3.0 only): use rate_std_error.';

CREATE OR REPLACE AGGREGATE fte_rollup(state fte_state) (
	SFUNC = fte_combine, STYPE = fte_state, COMBINEFUNC = fte_combine, PARALLEL = SAFE
);

COMMENT ON AGGREGATE fte_rollup(fte_state) IS 'Merge stored full-time-equivalent states.';

CREATE OR REPLACE AGGREGATE km_rollup(state km_state) (
	SFUNC = km_combine, STYPE = km_state, COMBINEFUNC = km_combine, PARALLEL = SAFE
);

COMMENT ON AGGREGATE km_rollup(km_state) IS 'Merge stored Kaplan-Meier states.';

CREATE FUNCTION km_curve(state km_state, conf_level float8 DEFAULT 0.95, conf_type text DEFAULT 'log-log')
RETURNS TABLE (week integer, n_at_risk bigint, n_events bigint, n_censored bigint, survival float8,
               std_error float8, conf_low float8, conf_high float8)
AS 'MODULE_PATHNAME', 'si_km_curve' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 50;

COMMENT ON FUNCTION km_curve(km_state, float8, text) IS
'Kaplan-Meier curve: per week since the anchor with an event or censoring, at risk, events, censored, survival, Greenwood standard error, confidence band (log-log, log or plain).';

COMMENT ON TYPE did_result IS
'Result of a difference-in-differences: estimate, standard error under the named variance estimator, confidence interval, two-sided p-value, t (or z) statistic, reference degrees of freedom, counts and group means.';

CREATE OR REPLACE AGGREGATE did_rollup(state did_state) (
	SFUNC = did_state_combine,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE did_rollup(did_state) IS
'Rolls stored did_state values up into one (exact: equals the single-pass state up to floating-point rounding).';

CREATE FUNCTION did_result(state did_state, variance text DEFAULT NULL, conf_level float8 DEFAULT 0.95,
						   distribution text DEFAULT 't', level float8 DEFAULT NULL) RETURNS did_result
	AS 'MODULE_PATHNAME', 'si_did_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION did_result(did_state, text, float8, text, float8) IS
'Everything about a did_state: estimate, standard error under variance (welch, classical/pooled, HC0-HC3, CR0, CR1; NULL = default), interval at conf_level, p-value (t or normal reference), counts and means. NULL state: NULL. level is the deprecated name of conf_level (0.3.0 only, NOTICE 01P01).';

CREATE FUNCTION did_estimate(state did_state) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_effect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION did_estimate(did_state) IS 'Difference-in-differences estimate (difference of mean changes, or the treated coefficient with covariates).';

CREATE FUNCTION did_effect(state did_state) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE NOTICE 'did_effect is deprecated, use did_estimate' USING ERRCODE = '01P01',
		HINT = 'The old name works in socialinvest 0.3.0 only; see docs/conventions.md.';
	RETURN @extschema@.did_estimate(state);
END
$$;

COMMENT ON FUNCTION did_effect(did_state) IS 'Deprecated (0.3.0 only): use did_estimate.';

CREATE FUNCTION did_ci(state did_state, variance text DEFAULT NULL, conf_level float8 DEFAULT 0.95,
					   distribution text DEFAULT 't') RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_did_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION did_ci(did_state, text, float8, text) IS 'Confidence interval {conf_low, conf_high} of the estimate at conf_level; NULL state or no standard error: NULL.';

CREATE FUNCTION did_ci(state did_state, level float8, variance text DEFAULT NULL,
					   distribution text DEFAULT 't') RETURNS float8[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE NOTICE 'did_ci(state, level, variance, distribution) is deprecated, use did_ci(state, variance, conf_level, distribution)'
		USING ERRCODE = '01P01',
		HINT = 'The old argument order works in socialinvest 0.3.0 only; see docs/conventions.md.';
	RETURN @extschema@.did_ci(state, variance, coalesce(level, 0.95), distribution);
END
$$;

COMMENT ON FUNCTION did_ci(did_state, float8, text, text) IS 'Deprecated (0.3.0 only): the 0.2.0 argument order; use did_ci(state, variance, conf_level, distribution).';

CREATE FUNCTION did_event_study(
	relation regclass,
	outcome_column name,
	unit_column name,
	period_column name,
	treated_column name,
	base_period integer DEFAULT -1,
	cluster_column name DEFAULT NULL,
	variance text DEFAULT NULL,
	conf_level float8 DEFAULT 0.95)
RETURNS TABLE (
	relative_period integer,
	estimate float8,
	std_error float8,
	conf_low float8,
	conf_high float8,
	p_value float8,
	df float8,
	variance_used text,
	n_treated bigint,
	n_control bigint,
	n_skipped bigint,
	mean_treated float8,
	mean_control float8,
	difference float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	arg text;
	col text;
	dup boolean;
	rec record;
	r @extschema@.did_result;
	q text;
BEGIN
	IF relation IS NULL OR unit_column IS NULL OR period_column IS NULL OR outcome_column IS NULL
		OR treated_column IS NULL OR base_period IS NULL THEN
		RAISE EXCEPTION 'did_event_study: relation, column names and base_period must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- a regclass given as a number (0::regclass, a dropped table's OID)
	-- names no relation: say so, not "not a column of -"
	IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = relation) THEN
		RAISE EXCEPTION 'did_event_study: relation with OID % does not exist', relation::oid
			USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
	END IF;
	IF NOT has_table_privilege(relation, 'SELECT') THEN
		RAISE EXCEPTION 'did_event_study: permission denied for table %', relation
			USING ERRCODE = 'insufficient_privilege',
				HINT = 'The caller needs SELECT on the relation.';
	END IF;
	FOREACH arg IN ARRAY ARRAY['outcome_column', 'unit_column', 'period_column', 'treated_column', 'cluster_column'] LOOP
		col := CASE arg WHEN 'unit_column' THEN unit_column WHEN 'period_column' THEN period_column
			WHEN 'outcome_column' THEN outcome_column WHEN 'treated_column' THEN treated_column
			ELSE cluster_column END;
		CONTINUE WHEN col IS NULL;
		IF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = relation AND a.attname = col
				AND a.attnum > 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'did_event_study: % "%" is not a column of %', arg, col, relation
				USING ERRCODE = 'undefined_column';
		END IF;
	END LOOP;

	-- one base-period row per person, and at least one
	EXECUTE format('SELECT count(*) = 0 FROM %2$s WHERE %3$I = $1',
		unit_column, relation, period_column)
		INTO dup USING base_period;
	IF dup THEN
		RAISE EXCEPTION 'did_event_study: no rows in base period % of %', base_period, relation
			USING ERRCODE = 'no_data_found',
				HINT = 'Give base_period as a relative period that occurs in the data (e.g. -1, the period before the start).';
	END IF;
	EXECUTE format('SELECT count(*) <> count(DISTINCT %1$I) FROM %2$s WHERE %3$I = $1',
		unit_column, relation, period_column)
		INTO dup USING base_period;
	IF dup THEN
		RAISE EXCEPTION 'did_event_study: some persons have more than one row in base period %', base_period
			USING ERRCODE = 'cardinality_violation',
				HINT = 'Give one row per person and relative period.';
	END IF;

	q := format($q$
		SELECT r.period AS rel,
			@extschema@.did_state(b.y0, r.y, r.treated%6$s) AS s,
			bool_or(r.treated IS DISTINCT FROM b.treated) AS mixed,
			count(*) - count(DISTINCT r.person) AS dups
		FROM (SELECT %1$I AS person, (%2$I)::integer AS period, (%3$I)::float8 AS y,
				(%4$I)::boolean AS treated%7$s
			FROM %5$s) r
		JOIN (SELECT %1$I AS person, (%3$I)::float8 AS y0, (%4$I)::boolean AS treated
			FROM %5$s WHERE %2$I = $1) b USING (person)
		WHERE r.period IS NOT NULL
		GROUP BY r.period
		ORDER BY r.period$q$,
		unit_column, period_column, outcome_column, treated_column, relation,
		CASE WHEN cluster_column IS NULL THEN '' ELSE ', r.cl' END,
		CASE WHEN cluster_column IS NULL THEN '' ELSE format(', (%I)::text AS cl', cluster_column) END);

	FOR rec IN EXECUTE q USING base_period LOOP
		IF rec.mixed THEN
			RAISE EXCEPTION 'did_event_study: the treated flag of some persons differs between period % and the base period', rec.rel
				USING ERRCODE = 'data_exception',
					HINT = 'Treatment status must be constant per person.';
		END IF;
		IF rec.dups > 0 THEN
			RAISE EXCEPTION 'did_event_study: some persons have more than one row in period %', rec.rel
				USING ERRCODE = 'cardinality_violation',
					HINT = 'Give one row per person and relative period.';
		END IF;
		r := @extschema@.did_result(rec.s, variance, conf_level);
		relative_period := rec.rel;
		estimate := r.estimate;
		std_error := r.std_error;
		conf_low := r.conf_low;
		conf_high := r.conf_high;
		p_value := r.p_value;
		df := r.df;
		variance_used := r.variance;
		n_treated := r.n_treated;
		n_control := r.n_control;
		n_skipped := r.n_skipped;
		mean_treated := r.mean_post_treated;
		mean_control := r.mean_post_control;
		difference := r.mean_post_treated - r.mean_post_control;
		RETURN NEXT;
	END LOOP;
END
$fn$;

COMMENT ON FUNCTION did_event_study(regclass, name, name, name, name, integer, name, text, float8) IS
'Event study: for each relative period, the treated-minus-control difference of the unit-level change from base_period (DiD), with standard error, interval and p-value, plus the raw group means and their difference. Rows with relation(unit, period, outcome, treated [, cluster]); column arguments are column names as stored (case-sensitive).';

CREATE FUNCTION did_event_study(
	relation regclass,
	person_column text,
	period_column text,
	outcome_column text,
	treated_column text,
	base_period integer DEFAULT -1,
	cluster_column text DEFAULT NULL,
	variance text DEFAULT NULL,
	level float8 DEFAULT 0.95)
RETURNS TABLE (
	relative_period integer,
	estimate float8,
	std_error float8,
	conf_low float8,
	conf_high float8,
	p_value float8,
	df float8,
	variance_used text,
	n_treated bigint,
	n_control bigint,
	n_skipped bigint,
	mean_treated float8,
	mean_control float8,
	difference float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	RAISE NOTICE 'did_event_study(relation, person_column, period_column, outcome_column, treated_column, ...) is deprecated, use did_event_study(relation, outcome_column => ..., unit_column => ..., period_column => ..., treated_column => ...)'
		USING ERRCODE = '01P01',
		HINT = format('This call was read in the 0.2.0 order: person_column = %L, period_column = %L, outcome_column = %L, treated_column = %L. Named arguments work in 0.3.0 and later; see docs/conventions.md.',
			person_column, period_column, outcome_column, treated_column);
	RETURN QUERY SELECT * FROM @extschema@.did_event_study(relation,
		outcome_column => outcome_column::name, unit_column => person_column::name,
		period_column => period_column::name, treated_column => treated_column::name,
		base_period => base_period, cluster_column => cluster_column::name,
		variance => variance, conf_level => level);
END
$fn$;

COMMENT ON FUNCTION did_event_study(regclass, text, text, text, text, integer, text, text, float8) IS
'Deprecated (0.3.0 only): the 0.2.0 argument order; use did_event_study(relation, outcome_column, unit_column, period_column, treated_column, ...) in named notation.';

CREATE FUNCTION att_gt(relation regclass DEFAULT NULL, outcome_column name DEFAULT NULL,
    unit_column name DEFAULT NULL, period_column name DEFAULT NULL, cohort_column name DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariate_columns name[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weight_column name DEFAULT NULL, cluster_column name DEFAULT NULL,
    conf_level float8 DEFAULT 0.95, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42,
    -- deprecated names (0.3.0 only): NOTICE 01P01 when given
    data regclass DEFAULT NULL, outcome text DEFAULT NULL, unit text DEFAULT NULL,
    period text DEFAULT NULL, cohort text DEFAULT NULL, covariates text[] DEFAULT NULL,
    weights text DEFAULT NULL, cluster text DEFAULT NULL, alpha float8 DEFAULT NULL)
RETURNS TABLE(cohort integer, period integer, base_period integer, event_time integer,
    post boolean, estimate float8, std_error float8, conf_low float8, conf_high float8,
    critical_value float8, n_treated bigint, n_control bigint)
AS 'MODULE_PATHNAME', 'si_att_gt'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION att_gt(regclass, name, name, name, name, text, integer, text, name[], text, name, name, float8, integer, bigint, regclass, text, text, text, text, text[], text, text, float8) IS
'Group-time average treatment effects ATT(g,t) of Callaway & Sant''Anna (2021), reproducing R did 2.5.1: one row per (cohort, period) with influence-function (or multiplier-bootstrap) standard errors. The trailing arguments data, outcome, unit, period, cohort, covariates, weights, cluster and alpha are the deprecated 0.2.0 names (0.3.0 only, NOTICE 01P01).';

CREATE FUNCTION att_gt_aggregate(relation regclass DEFAULT NULL, outcome_column name DEFAULT NULL,
    unit_column name DEFAULT NULL, period_column name DEFAULT NULL, cohort_column name DEFAULT NULL,
    type text DEFAULT 'dynamic', min_e integer DEFAULT NULL, max_e integer DEFAULT NULL,
    balance_e integer DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariate_columns name[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weight_column name DEFAULT NULL, cluster_column name DEFAULT NULL,
    conf_level float8 DEFAULT 0.95, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42,
    -- deprecated names (0.3.0 only): NOTICE 01P01 when given
    data regclass DEFAULT NULL, outcome text DEFAULT NULL, unit text DEFAULT NULL,
    period text DEFAULT NULL, cohort text DEFAULT NULL, covariates text[] DEFAULT NULL,
    weights text DEFAULT NULL, cluster text DEFAULT NULL, alpha float8 DEFAULT NULL)
RETURNS TABLE(type text, level text, key integer, estimate float8, std_error float8,
    conf_low float8, conf_high float8, critical_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_aggregate'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION att_gt_aggregate(regclass, name, name, name, name, text, integer, integer, integer, text, integer, text, name[], text, name, name, float8, integer, bigint, regclass, text, text, text, text, text[], text, text, float8) IS
'Aggregated effects of att_gt as R did''s aggte: type simple, dynamic (event study), group or calendar; the components and an overall row, standard errors from the aggregated influence function including the estimated cohort shares. The trailing arguments data, outcome, unit, period, cohort, covariates, weights, cluster and alpha are the deprecated 0.2.0 names (0.3.0 only, NOTICE 01P01).';

CREATE FUNCTION att_gt_pretest(relation regclass DEFAULT NULL, outcome_column name DEFAULT NULL,
    unit_column name DEFAULT NULL, period_column name DEFAULT NULL, cohort_column name DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariate_columns name[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weight_column name DEFAULT NULL, cluster_column name DEFAULT NULL,
    conf_level float8 DEFAULT 0.95, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42,
    -- deprecated names (0.3.0 only): NOTICE 01P01 when given
    data regclass DEFAULT NULL, outcome text DEFAULT NULL, unit text DEFAULT NULL,
    period text DEFAULT NULL, cohort text DEFAULT NULL, covariates text[] DEFAULT NULL,
    weights text DEFAULT NULL, cluster text DEFAULT NULL, alpha float8 DEFAULT NULL)
RETURNS TABLE(w float8, df integer, p_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_pretest'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION att_gt_pretest(regclass, name, name, name, name, text, integer, text, name[], text, name, name, float8, integer, bigint, regclass, text, text, text, text, text[], text, text, float8) IS
'Wald pre-test of parallel trends as R did reports it (W, df = number of pre-treatment cells, unrounded chi-square p-value). The trailing arguments data, outcome, unit, period, cohort, covariates, weights, cluster and alpha are the deprecated 0.2.0 names (0.3.0 only, NOTICE 01P01).';

CREATE FUNCTION att_gt_sample(relation regclass DEFAULT NULL, outcome_column name DEFAULT NULL,
    unit_column name DEFAULT NULL, period_column name DEFAULT NULL, cohort_column name DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariate_columns name[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weight_column name DEFAULT NULL, cluster_column name DEFAULT NULL,
    conf_level float8 DEFAULT 0.95, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42,
    -- deprecated names (0.3.0 only): NOTICE 01P01 when given
    data regclass DEFAULT NULL, outcome text DEFAULT NULL, unit text DEFAULT NULL,
    period text DEFAULT NULL, cohort text DEFAULT NULL, covariates text[] DEFAULT NULL,
    weights text DEFAULT NULL, cluster text DEFAULT NULL, alpha float8 DEFAULT NULL)
RETURNS TABLE(step integer, reason text, n_units bigint, n_rows bigint)
AS 'MODULE_PATHNAME', 'si_att_gt_sample'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION att_gt_sample(regclass, name, name, name, name, text, integer, text, name[], text, name, name, float8, integer, bigint, regclass, text, text, text, text, text[], text, text, float8) IS
'Sample flow of att_gt: units read, recoded and dropped (and why), and units used per cohort. The trailing arguments data, outcome, unit, period, cohort, covariates, weights, cluster and alpha are the deprecated 0.2.0 names (0.3.0 only, NOTICE 01P01).';

CREATE FUNCTION att_gt_event_vcov(relation regclass DEFAULT NULL, outcome_column name DEFAULT NULL,
    unit_column name DEFAULT NULL, period_column name DEFAULT NULL, cohort_column name DEFAULT NULL,
    min_e integer DEFAULT NULL, max_e integer DEFAULT NULL, balance_e integer DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariate_columns name[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weight_column name DEFAULT NULL, cluster_column name DEFAULT NULL,
    conf_level float8 DEFAULT 0.95, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42,
    -- deprecated names (0.3.0 only): NOTICE 01P01 when given
    data regclass DEFAULT NULL, outcome text DEFAULT NULL, unit text DEFAULT NULL,
    period text DEFAULT NULL, cohort text DEFAULT NULL, covariates text[] DEFAULT NULL,
    weights text DEFAULT NULL, cluster text DEFAULT NULL, alpha float8 DEFAULT NULL)
RETURNS TABLE(e1 integer, e2 integer, covariance float8)
AS 'MODULE_PATHNAME', 'si_att_gt_event_vcov'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION att_gt_event_vcov(regclass, name, name, name, name, integer, integer, integer, text, integer, text, name[], text, name, name, float8, integer, bigint, regclass, text, text, text, text, text[], text, text, float8) IS
'Covariance matrix of the event-study (dynamic) estimates as rows (e1, e2, covariance), e.g. for HonestDiD-style sensitivity analysis. The trailing arguments data, outcome, unit, period, cohort, covariates, weights, cluster and alpha are the deprecated 0.2.0 names (0.3.0 only, NOTICE 01P01).';

CREATE OR REPLACE AGGREGATE cashflows_rollup(flows cashflows) (
	SFUNC = cashflows_trans_state, STYPE = internal, FINALFUNC = cashflows_final,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);

COMMENT ON AGGREGATE cashflows_rollup(cashflows) IS
'Merge stored cashflows states (concatenation: exact and order-free).';

CREATE FUNCTION contract_scenario(contract jsonb, effect float8, participants numeric, weeks_per_success numeric,
                                  years integer, rate float8 DEFAULT 0.035, duration text DEFAULT 'constant',
                                  with_irr boolean DEFAULT true)
RETURNS TABLE (party text, inflow numeric, outflow numeric, net numeric, npv numeric, irr float8, multiple float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	metric text;
BEGIN
	SELECT c ->> 'metric' INTO metric FROM jsonb_array_elements(doc -> 'components') c WHERE c ->> 'type' = 'savings' LIMIT 1;
	IF metric IS NULL THEN
		RAISE EXCEPTION 'contract_scenario: the contract has no savings component, so an effect cannot be turned into outcomes'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Scenarios model avoided benefit weeks; for other contracts build outcome rows and use contract_summary.';
	END IF;
	IF effect IS NULL OR participants IS NULL OR weeks_per_success IS NULL OR years IS NULL OR duration IS NULL THEN
		RAISE EXCEPTION 'contract_scenario: effect, participants, weeks_per_success, years and duration must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(effect::numeric, 'contract_scenario: effect');
	PERFORM @extschema@._money_finite(participants, 'contract_scenario: participants');
	PERFORM @extschema@._money_finite(weeks_per_success, 'contract_scenario: weeks_per_success');
	PERFORM @extschema@._money_finite(rate::numeric, 'contract_scenario: rate');
	IF years < 1 OR years > 100 THEN
		RAISE EXCEPTION 'contract_scenario: years must be in 1..100, got %', years USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY SELECT * FROM @extschema@._contract_summary(doc,
		@extschema@._scenario_source(doc, effect, participants, weeks_per_success, years, duration, metric), rate, NULL, with_irr);
END
$$;

COMMENT ON FUNCTION contract_scenario(jsonb, float8, numeric, numeric, integer, float8, text, boolean) IS
'Result per party of a contract with a savings component under an assumed effect: effect x participants successes avoid weeks_per_success benefit weeks a year (times persistence), reported at the end of each contract year.';

CREATE FUNCTION payout_distribution(contract jsonb, draws float8[], participants numeric, weeks_per_success numeric,
                                    years integer, duration text DEFAULT 'constant',
                                    probabilities float8[] DEFAULT ARRAY[0.05, 0.25, 0.5, 0.75, 0.95])
RETURNS TABLE (n_draws bigint, expected_payout numeric, payout_quantiles numeric[], prob_investor_loss float8,
               investment numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	pays numeric[] := '{}';
	d float8;
	p numeric;
BEGIN
	IF draws IS NULL OR cardinality(draws) = 0 THEN
		RAISE EXCEPTION 'payout_distribution: draws must be a non-empty array of effects'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'E.g. bootstrap draws of the DiD effect: array_agg(effect) FROM draws.';
	END IF;
	IF array_position(draws, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'payout_distribution: draws contains NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(x::numeric, format('payout_distribution: draws[%s]', k))
	FROM unnest(draws) WITH ORDINALITY u(x, k);
	IF EXISTS (SELECT 1 FROM unnest(probabilities) q WHERE q IS NULL OR q < 0 OR q > 1) THEN
		RAISE EXCEPTION 'payout_distribution: probabilities must be in [0, 1]' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	investment := (SELECT coalesce(sum((v ->> 'amount')::numeric), 0) FROM jsonb_array_elements(doc -> 'investment') v);
	FOREACH d IN ARRAY draws LOOP
		SELECT s.inflow INTO p FROM @extschema@.contract_scenario(doc, d, participants, weeks_per_success, years, rate => 0.035, duration => duration, with_irr => false) s
		WHERE s.party = 'investor';
		pays := pays || p;
	END LOOP;
	n_draws := cardinality(pays);
	SELECT avg(x), (SELECT array_agg((SELECT percentile_cont(pp.pr) WITHIN GROUP (ORDER BY y::float8)
	                                  FROM unnest(pays) y)::numeric ORDER BY pp.o)
	                FROM unnest(probabilities) WITH ORDINALITY pp(pr, o)),
	       avg(CASE WHEN x < investment THEN 1.0 ELSE 0.0 END)::float8
	INTO expected_payout, payout_quantiles, prob_investor_loss
	FROM unnest(pays) x;
	RETURN NEXT;
END
$$;

COMMENT ON FUNCTION payout_distribution(jsonb, float8[], numeric, numeric, integer, text, float8[]) IS
'Distribution of the total outcome payment over a set of effect draws (e.g. bootstrap draws of the DiD effect): mean, quantiles (linear interpolation), and the share of draws in which the investor gets back less than the investment.';
