-- Staggered adoption: group-time average treatment effects (Callaway &
-- Sant'Anna 2021) as R did 2.5.1 computes them. All functions read the
-- panel from a table or view with the caller's privileges (row-level
-- security applies) and return rows.

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
