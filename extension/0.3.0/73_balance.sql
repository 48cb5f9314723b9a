-- Covariate balance before and after matching or weighting (issue 17, item
-- 4; docs/methods.md, *Balance statistics*): per term the means, the
-- standardised mean difference with its denominator named, the variance
-- ratio, the eCDF mean and max differences and the effective sample sizes,
-- as R MatchIt's summary() defines them (src/matching/balance.c over
-- src/math/balance.c). Reads the caller's table: PARALLEL RESTRICTED.
--
-- New in 0.3.0: this fragment is part of the install script and, as is,
-- of the upgrade script from 0.2.0 (see the Makefile).

CREATE FUNCTION balance_table(relation regclass, unit_column name, treatment_column name,
    covariate_columns name[], weight_column name DEFAULT NULL, estimand text DEFAULT 'att')
RETURNS TABLE(term text, sample text, mean_treated float8, mean_control float8,
    std_mean_diff float8, smd_denominator text, variance_ratio float8, ecdf_mean float8,
    ecdf_max float8, n_treated bigint, n_control bigint, ess_treated float8, ess_control float8)
AS 'MODULE_PATHNAME', 'si_balance_table_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION balance_table(regclass, name, name, name[], name, text) IS
'Covariate balance between treated and controls as R MatchIt''s summary(): per term (text columns expanded into indicators) a row for the unadjusted sample and, with weight_column, one for the weighted sample (weight 0 = not in it, e.g. an unmatched unit). std_mean_diff divides by the unadjusted SD named in smd_denominator (treated for estimand att, pooled for ate); variance_ratio is NULL for 0/1 terms; eCDF mean and max differences; units with positive weight and Kish effective sample sizes per group. Rows with a NULL are dropped and counted; a NULL estimand means att.';
