-- Difference-in-differences on person-level changes (issue 4).
--
-- Two-step form (stored states, exact merges): did_state(...) / did_weighted_state(...)
-- build a storable, versioned did_state; did_rollup(did_state) and
-- did_state_combine(a, b) merge states exactly; accessors read effect,
-- standard error, interval and p-value under a variance estimator chosen at
-- read-out. did(...) / did_weighted(...) are the one-shot forms returning
-- did_result. Formulas and sources: docs/methods.md, section did.

CREATE TYPE did_state;

CREATE FUNCTION did_state_in(cstring) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_in(cstring) IS 'Input function of did_state (validated text form).';
CREATE FUNCTION did_state_out(did_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'si_did_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_out(did_state) IS 'Output function of did_state (shortest exact floats, round-trips bit for bit).';
CREATE FUNCTION did_state_recv(internal) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_recv(internal) IS 'Binary input function of did_state (validated).';
CREATE FUNCTION did_state_send(did_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'si_did_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_send(did_state) IS 'Binary output function of did_state.';

CREATE TYPE did_state (
	INPUT = did_state_in,
	OUTPUT = did_state_out,
	RECEIVE = did_state_recv,
	SEND = did_state_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
COMMENT ON TYPE did_state IS
'Sufficient statistics of a difference-in-differences (version 1): per-group weighted moments of the change, OLS cross-products with covariates, per-cluster sums. Combine exactly with did_state_combine / did_rollup.';

CREATE TYPE did_result AS (
	estimate float8,
	std_error float8,
	conf_low float8,
	conf_high float8,
	p_value float8,
	statistic float8,
	df float8,
	variance text,
	distribution text,
	conf_level float8,
	n_treated bigint,
	n_control bigint,
	n_skipped bigint,
	n_clusters bigint,
	mean_pre_treated float8,
	mean_post_treated float8,
	mean_change_treated float8,
	mean_pre_control float8,
	mean_post_control float8,
	mean_change_control float8
);
COMMENT ON TYPE did_result IS
'Result of a difference-in-differences: estimate, standard error under the named variance estimator, confidence interval, two-sided p-value, t (or z) statistic, reference degrees of freedom, counts and group means.';

CREATE FUNCTION did_state_combine(a did_state, b did_state) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_state_combine(did_state, did_state) IS
'Exact merge of two did_state values (NULL counts as empty); also the combine function of every did aggregate.';

CREATE FUNCTION did_state_final(did_state) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_state_final(did_state) IS 'Final function of did_state aggregates: the canonical stored form.';

CREATE FUNCTION did_final(did_state) RETURNS did_result
	AS 'MODULE_PATHNAME', 'si_did_final_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_final(did_state) IS 'Final function of the one-shot did aggregates: did_result with the default variance, 95% level, t reference.';

CREATE FUNCTION did_transition(did_state, float8, float8, boolean) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean) IS 'Transition function of did_state(float8, float8, boolean).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, bigint) IS 'Transition function of did_state(float8, float8, boolean, bigint).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, text) IS 'Transition function of did_state(float8, float8, boolean, text).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, float8[]) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cov' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, float8[]) IS 'Transition function of did_state(float8, float8, boolean, float8[]).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, float8[], bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cov_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, float8[], bigint) IS 'Transition function of did_state(float8, float8, boolean, float8[], bigint).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, float8[], text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cov_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, float8[], text) IS 'Transition function of did_state(float8, float8, boolean, float8[], text).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, bigint) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, bigint).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, text) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, text).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[]) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cov' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[]) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, float8[]).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cov_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], bigint) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, float8[], bigint).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cov_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], text) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, float8[], text).';

-- The 24 aggregates below are one pattern, written out (released in 0.2.0:
-- they stay as they are). For each name
--   did_state, did                   (pre float8, post float8, treated boolean ...)
--   did_weighted_state, did_weighted (pre float8, post float8, treated boolean, weight float8 ...)
-- there are six argument forms: nothing more, [covariates float8[]], and
-- either of them with [cluster bigint] or [cluster text]. Every block reads
--   SFUNC = did_transition (did_weighted_transition for the weighted names),
--           the overload of the same arguments; its C symbol is
--           si_did_[w]trans[_cov][_cl_int|_cl_text] (did.c: one did_trans()),
--   STYPE = did_state, COMBINEFUNC = did_state_combine (no SERIALFUNC: did_state
--           is a real type with its own send/recv),
--   FINALFUNC = did_state_final for *_state (the storable state),
--               did_final for did / did_weighted (did_result with defaults),
--   PARALLEL = SAFE,
-- followed by a COMMENT ON AGGREGATE. did_rollup(did_state) closes the list:
-- SFUNC and COMBINEFUNC did_state_combine, FINALFUNC did_state_final.
-- sql/did_catalog.sql reads pg_aggregate and fails on any departure.
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean) IS 'Person-level difference-in-differences of post - pre between treated and control: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean) IS 'Person-level difference-in-differences of post - pre between treated and control: one-shot result with the default variance (welch), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, text) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, text) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, covariates float8[]) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, float8[]) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, covariates float8[]) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, float8[]) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates: one-shot result with the default variance (HC1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, covariates float8[], cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, float8[], bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, covariates float8[], cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, float8[], bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, covariates float8[], cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, float8[], text) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, covariates float8[], cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, float8[], text) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8) IS 'Weighted difference-in-differences of post - pre between treated and control: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8) IS 'Weighted difference-in-differences of post - pre between treated and control: one-shot result with the default variance (welch), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, text) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, text) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, covariates float8[]) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, float8[]) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, covariates float8[]) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, float8[]) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates: one-shot result with the default variance (HC1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, float8[], bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, float8[], bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, float8[], text) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, float8[], text) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';

CREATE AGGREGATE did_rollup(state did_state) (
	SFUNC = did_state_combine,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_rollup(did_state) IS
'Rolls stored did_state values up into one (exact: equals the single-pass state up to floating-point rounding).';

-- accessors
CREATE FUNCTION did_result(state did_state, variance text DEFAULT NULL, conf_level float8 DEFAULT 0.95,
						   distribution text DEFAULT 't', small_sample text DEFAULT NULL,
						   level float8 DEFAULT NULL) RETURNS did_result
	AS 'MODULE_PATHNAME', 'si_did_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_result(did_state, text, float8, text, text, float8) IS
'Everything about a did_state: estimate, standard error under variance (welch, classical/pooled, HC0-HC3, CR0, CR1; NULL = default), interval at conf_level, p-value (t or normal reference), counts and means. NULL state: NULL. small_sample names the CR1 factor: stata (NULL = default; Stata/sandwich on the stacked two-rows-per-person panel), person (the person-level change regression) or g_only. level is the deprecated name of conf_level (0.3.0 only, NOTICE 01P01).';

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

CREATE FUNCTION did_std_error(state did_state, variance text DEFAULT NULL, small_sample text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_std_error' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_std_error(did_state, text, text) IS 'Standard error of the effect under the named variance estimator (NULL = default: CR1 with a cluster, HC1 with covariates, welch otherwise); small_sample names the CR1 factor (stata, the default; person; g_only).';

CREATE FUNCTION did_df(state did_state, variance text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_df' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_df(did_state, text) IS 'Degrees of freedom of the t reference for that variance estimator (Welch-Satterthwaite, N - K, or G - 1).';

CREATE FUNCTION did_p_value(state did_state, variance text DEFAULT NULL, distribution text DEFAULT 't',
							small_sample text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_p_value' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_p_value(did_state, text, text, text) IS 'Two-sided p-value of effect = 0 (t or normal reference); small_sample names the CR1 factor (stata, the default; person; g_only).';

CREATE FUNCTION did_ci(state did_state, variance text DEFAULT NULL, conf_level float8 DEFAULT 0.95,
					   distribution text DEFAULT 't', small_sample text DEFAULT NULL) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_did_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_ci(did_state, text, float8, text, text) IS 'Confidence interval {conf_low, conf_high} of the estimate at conf_level; NULL state or no standard error: NULL; small_sample names the CR1 factor (stata, the default; person; g_only).';

-- the 0.2.0 argument order (level first), kept for 0.3.0 only: the level
-- has no default here, so did_ci(state) and did_ci(state, 'CR1') reach the
-- function above and did_ci(state, 0.9 [, ...]) this one
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

CREATE FUNCTION did_count(state did_state, what text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'si_did_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_count(did_state, text) IS 'Row counts of a did_state: treated, control, skipped (a NULL input) or clusters.';

CREATE FUNCTION did_n_treated(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'treated');
COMMENT ON FUNCTION did_n_treated(did_state) IS 'Number of treated rows used.';
CREATE FUNCTION did_n_control(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'control');
COMMENT ON FUNCTION did_n_control(did_state) IS 'Number of control rows used.';
CREATE FUNCTION did_n_skipped(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'skipped');
COMMENT ON FUNCTION did_n_skipped(did_state) IS 'Number of rows skipped because an input was NULL.';
CREATE FUNCTION did_n_clusters(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'clusters');
COMMENT ON FUNCTION did_n_clusters(did_state) IS 'Number of distinct clusters (NULL for a state without a cluster key).';

CREATE FUNCTION did_mean(state did_state, treated boolean, period text DEFAULT 'change') RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_mean(did_state, boolean, text) IS 'Weighted group mean of the pre outcome, the post outcome or the change (period = pre, post or change).';

CREATE FUNCTION did_coefficients(state did_state) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_did_coefficients' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_coefficients(did_state) IS 'OLS coefficients {intercept, treated, covariate 1, ...} of the change on treatment (and covariates).';


-- Event study for plots: per relative period e, the treated-minus-control
-- difference in the change of the outcome from the base period
-- (person-level y_e - y_base), with its standard error and interval; one
-- row per period, ready for a BI tool.
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
	typ oid;
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
		SELECT a.atttypid INTO typ FROM pg_attribute a WHERE a.attrelid = relation AND a.attname = col
			AND a.attnum > 0 AND NOT a.attisdropped;
		IF typ IS NULL THEN
			RAISE EXCEPTION 'did_event_study: % "%" is not a column of %', arg, col, relation
				USING ERRCODE = 'undefined_column';
		END IF;
		-- The period is compared with base_period (an integer), the outcome
		-- read as float8 and the flag as boolean: say which argument cannot
		-- work instead of failing inside the query with an operator error.
		WHILE (SELECT t.typtype = 'd' FROM pg_type t WHERE t.oid = typ) LOOP
			SELECT t.typbasetype INTO typ FROM pg_type t WHERE t.oid = typ;
		END LOOP;
		IF arg = 'period_column' AND typ NOT IN ('pg_catalog.int2'::regtype, 'pg_catalog.int4'::regtype,
				'pg_catalog.int8'::regtype) THEN
			RAISE EXCEPTION 'did_event_study: period_column "%" is of type %, not an integer type', col, typ::regtype
				USING ERRCODE = 'datatype_mismatch',
					HINT = 'Give the period relative to the start as an integer (-2, -1, 0, 1, ...), e.g. weeks_between(start_week, week).';
		ELSIF arg = 'outcome_column' AND typ NOT IN ('pg_catalog.int2'::regtype, 'pg_catalog.int4'::regtype,
				'pg_catalog.int8'::regtype, 'pg_catalog.float4'::regtype, 'pg_catalog.float8'::regtype,
				'pg_catalog.numeric'::regtype) THEN
			RAISE EXCEPTION 'did_event_study: outcome_column "%" is of type %, not a number', col, typ::regtype
				USING ERRCODE = 'datatype_mismatch',
					HINT = 'Give a numeric outcome column (integer, numeric or float8).';
		ELSIF arg = 'treated_column' AND typ NOT IN ('pg_catalog.bool'::regtype, 'pg_catalog.int4'::regtype) THEN
			RAISE EXCEPTION 'did_event_study: treated_column "%" is of type %, not boolean', col, typ::regtype
				USING ERRCODE = 'datatype_mismatch',
					HINT = 'Give the treatment flag as a boolean (or integer 0/1) column.';
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

-- the 0.2.0 argument order (person, period, outcome, treated as text),
-- kept for 0.3.0 only. Positional calls with text literals reach this
-- one (text is preferred over name); named calls with the new names
-- reach the function above.
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
