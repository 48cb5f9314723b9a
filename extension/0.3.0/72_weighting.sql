-- Weights that make the controls resemble the treated (issue 17, item 3;
-- docs/methods.md, *Inverse-probability weights* and *Entropy balancing*):
-- inverse-probability weights from a propensity score column, and entropy
-- balancing (Hainmueller 2012) solved by Newton's method in C
-- (src/matching/weighting.c over src/math/weighting.c). Both read the
-- caller's table through SPI, hence PARALLEL RESTRICTED.
--
-- New in 0.3.0: this fragment is part of the install script and, as is,
-- of the upgrade script from 0.2.0 (see the Makefile).

CREATE FUNCTION ipw_weights(relation regclass, unit_column name, treatment_column name,
    score_column name, estimand text DEFAULT 'att', stabilize boolean DEFAULT false,
    trim_at float8 DEFAULT NULL)
RETURNS TABLE(unit bigint, treated boolean, weight float8)
AS 'MODULE_PATHNAME', 'si_ipw_weights_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION ipw_weights(regclass, name, name, name, text, boolean, float8) IS
'Inverse-probability weights from the propensity scores in score_column (strictly between 0 and 1): estimand att gives treated 1 and controls p/(1-p), ate gives 1/p and 1/(1-p); stabilize (ate only) multiplies by the share of the unit''s group; trim_at drops units whose score lies outside [trim_at, 1 - trim_at] (counted in a NOTICE, no row). One row per unit kept; rows with a NULL are dropped and counted. A NULL option means its default (estimand att, no stabilisation, no trimming).';

CREATE FUNCTION entropy_balance(relation regclass, unit_column name, treatment_column name,
    covariate_columns name[], base_weight_column name DEFAULT NULL, moments integer DEFAULT 1,
    max_iterations integer DEFAULT 200, tolerance float8 DEFAULT 1e-10)
RETURNS TABLE(unit bigint, treated boolean, weight float8)
AS 'MODULE_PATHNAME', 'si_entropy_balance_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION entropy_balance(regclass, name, name, name[], name, integer, integer, float8) IS
'Entropy balancing for the ATT (Hainmueller 2012): control weights closest to the base weights (Kullback-Leibler) whose weighted means of the covariate terms (moments 2: also of their squares, so the variances match) equal the treated''s; treated keep their base weight, control weights sum to the treated''s total. Newton''s method on the dual; converged when every difference is within tolerance control standard deviations. Errors when the treated means are out of the controls'' reach, on collinear terms and without convergence. A NULL option means its default.';
