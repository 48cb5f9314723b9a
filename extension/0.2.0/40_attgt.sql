-- Staggered adoption: group-time average treatment effects (Callaway &
-- Sant'Anna 2021) as R did 2.5.1 computes them. All functions read the
-- panel from a table or view with the caller's privileges (row-level
-- security applies) and return rows.

CREATE FUNCTION att_gt(data regclass, outcome text, unit text, period text, cohort text,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(cohort integer, period integer, base_period integer, event_time integer,
    post boolean, att float8, std_error float8, ci_lower float8, ci_upper float8,
    critical_value float8, n_treated integer, n_control integer)
AS 'MODULE_PATHNAME', 'si_att_gt'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt(regclass, text, text, text, text, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Group-time average treatment effects ATT(g,t) of Callaway & Sant''Anna (2021), reproducing R did 2.5.1: one row per (cohort, period) with influence-function (or multiplier-bootstrap) standard errors.';

CREATE FUNCTION att_gt_aggregate(data regclass, outcome text, unit text, period text, cohort text,
    type text DEFAULT 'dynamic', min_e integer DEFAULT NULL, max_e integer DEFAULT NULL,
    balance_e integer DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(type text, level text, key integer, att float8, std_error float8,
    ci_lower float8, ci_upper float8, critical_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_aggregate'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_aggregate(regclass, text, text, text, text, text, integer, integer, integer, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Aggregated effects of att_gt as R did''s aggte: type simple, dynamic (event study), group or calendar; the components and an overall row, standard errors from the aggregated influence function including the estimated cohort shares.';

CREATE FUNCTION att_gt_pretest(data regclass, outcome text, unit text, period text, cohort text,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(w float8, df integer, p_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_pretest'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_pretest(regclass, text, text, text, text, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Wald pre-test of parallel trends as R did reports it (W, df = number of pre-treatment cells, unrounded chi-square p-value).';

CREATE FUNCTION att_gt_sample(data regclass, outcome text, unit text, period text, cohort text,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(step integer, reason text, units bigint, "rows" bigint)
AS 'MODULE_PATHNAME', 'si_att_gt_sample'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_sample(regclass, text, text, text, text, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Sample flow of att_gt: units read, recoded and dropped (and why), and units used per cohort.';

CREATE FUNCTION att_gt_event_vcov(data regclass, outcome text, unit text, period text, cohort text,
    min_e integer DEFAULT NULL, max_e integer DEFAULT NULL, balance_e integer DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(e1 integer, e2 integer, covariance float8)
AS 'MODULE_PATHNAME', 'si_att_gt_event_vcov'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_event_vcov(regclass, text, text, text, text, integer, integer, integer, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Covariance matrix of the event-study (dynamic) estimates as rows (e1, e2, covariance), e.g. for HonestDiD-style sensitivity analysis.';
