-- The stored estimate of att_gt (issue 16, item 1): att_gt_fit(...) reads
-- the panel once, estimates the cells and returns them as a value of type
-- att_gt_fit (the panel after R did's sample rules and the options that
-- decide the cells, versioned). att_gt, att_gt_aggregate, att_gt_pretest,
-- att_gt_sample and att_gt_event_vcov take a fit instead of a table and
-- never read the table again; within a transaction the cells of a fit are
-- estimated once (src/attgt/attgt_fit.c), so the cells and every
-- aggregation cost one read and one estimation. The inference options
-- (conf_level, bootstrap, seed) do not change the cells: the fit forms take
-- them, with the table forms' defaults.
--
-- New in 0.3.0: this fragment is part of the install script and, as is,
-- of the upgrade script from 0.2.0 (see the Makefile).

CREATE TYPE att_gt_fit;

CREATE FUNCTION att_gt_fit_in(cstring) RETURNS att_gt_fit
	AS 'MODULE_PATHNAME', 'si_att_gt_fit_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_fit_in(cstring) IS 'Input function of att_gt_fit (hex text form, validated: format, version, sizes, checksum, ranges).';
CREATE FUNCTION att_gt_fit_out(att_gt_fit) RETURNS cstring
	AS 'MODULE_PATHNAME', 'si_att_gt_fit_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_fit_out(att_gt_fit) IS 'Output function of att_gt_fit (\x and the bytes in hex; round-trips exactly).';
CREATE FUNCTION att_gt_fit_recv(internal) RETURNS att_gt_fit
	AS 'MODULE_PATHNAME', 'si_att_gt_fit_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_fit_recv(internal) IS 'Binary input function of att_gt_fit (validated as the text input).';
CREATE FUNCTION att_gt_fit_send(att_gt_fit) RETURNS bytea
	AS 'MODULE_PATHNAME', 'si_att_gt_fit_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_fit_send(att_gt_fit) IS 'Binary output function of att_gt_fit.';

CREATE TYPE att_gt_fit (
	INPUT = att_gt_fit_in,
	OUTPUT = att_gt_fit_out,
	RECEIVE = att_gt_fit_recv,
	SEND = att_gt_fit_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = external
);
COMMENT ON TYPE att_gt_fit IS
'Stored estimate of att_gt (version 1): the panel as att_gt read it (outcomes per unit and period, cohorts, weights, clusters, covariates, after R did''s sample rules) with the options that decide the cells (not the inference options). Made by att_gt_fit(...); read by att_gt, att_gt_aggregate, att_gt_pretest, att_gt_sample and att_gt_event_vcov without reading the table again. Stored uncompressed (8 bytes per unit and period, plus covariates).';

CREATE FUNCTION att_gt_fit(relation regclass, outcome_column name,
    unit_column name, period_column name, cohort_column name,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariate_columns name[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weight_column name DEFAULT NULL, cluster_column name DEFAULT NULL)
RETURNS att_gt_fit
AS 'MODULE_PATHNAME', 'si_att_gt_fit'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_fit(regclass, name, name, name, name, text, integer, text, name[], text, name, name) IS
'Reads the panel once (arguments as att_gt but the inference options conf_level, bootstrap and seed, which the readers take), estimates the group-time cells and returns them as a stored estimate: att_gt(fit), att_gt_aggregate(fit, type), att_gt_pretest(fit), att_gt_sample(fit) and att_gt_event_vcov(fit) give the results of the table forms without reading the table again.';

CREATE FUNCTION att_gt(fit att_gt_fit, conf_level float8 DEFAULT 0.95,
    bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(cohort integer, period integer, base_period integer, event_time integer,
    post boolean, estimate float8, std_error float8, conf_low float8, conf_high float8,
    critical_value float8, n_treated bigint, n_control bigint)
AS 'MODULE_PATHNAME', 'si_att_gt_from_fit'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION att_gt(att_gt_fit, float8, integer, bigint) IS
'att_gt''s cells from a stored estimate (att_gt_fit), with the inference options conf_level, bootstrap and seed of att_gt (NULL: their defaults).';

CREATE FUNCTION att_gt_aggregate(fit att_gt_fit, type text DEFAULT 'dynamic',
    min_e integer DEFAULT NULL, max_e integer DEFAULT NULL, balance_e integer DEFAULT NULL,
    conf_level float8 DEFAULT 0.95, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(type text, level text, key integer, estimate float8, std_error float8,
    conf_low float8, conf_high float8, critical_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_aggregate_from_fit'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_aggregate(att_gt_fit, text, integer, integer, integer, float8, integer, bigint) IS
'att_gt_aggregate (simple, dynamic, group or calendar) from a stored estimate (att_gt_fit), with the inference options conf_level, bootstrap and seed of att_gt_aggregate (NULL: their defaults).';

CREATE FUNCTION att_gt_pretest(fit att_gt_fit)
RETURNS TABLE(w float8, df integer, p_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_pretest_from_fit'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_pretest(att_gt_fit) IS
'att_gt_pretest (Wald pre-test of parallel trends) from a stored estimate (att_gt_fit).';

CREATE FUNCTION att_gt_sample(fit att_gt_fit)
RETURNS TABLE(step integer, reason text, n_units bigint, n_rows bigint)
AS 'MODULE_PATHNAME', 'si_att_gt_sample_from_fit'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_sample(att_gt_fit) IS
'att_gt_sample (the sample flow) as recorded when the stored estimate was made.';

CREATE FUNCTION att_gt_event_vcov(fit att_gt_fit, min_e integer DEFAULT NULL,
    max_e integer DEFAULT NULL, balance_e integer DEFAULT NULL)
RETURNS TABLE(e1 integer, e2 integer, covariance float8)
AS 'MODULE_PATHNAME', 'si_att_gt_event_vcov_from_fit'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION att_gt_event_vcov(att_gt_fit, integer, integer, integer) IS
'att_gt_event_vcov (covariance of the event-study estimates) from a stored estimate (att_gt_fit).';
