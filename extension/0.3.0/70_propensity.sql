-- Propensity scores (issue 17): the logit of a treatment on the covariates
-- of a table, as R's glm(treatment ~ ..., family = binomial). The table is
-- read through SPI as the caller (src/matching/design.c); the fit is the
-- IRLS of src/math/linalg.c (src/math/logit.c).

CREATE FUNCTION propensity_model(relation regclass, unit_column name, treatment_column name,
    covariate_columns name[], weight_column name DEFAULT NULL,
    max_iterations integer DEFAULT 25, tolerance float8 DEFAULT 1e-8)
RETURNS TABLE(term text, estimate float8, std_error float8, z_value float8, p_value float8,
    n_treated bigint, n_control bigint, n_dropped bigint, iterations integer)
AS 'MODULE_PATHNAME', 'si_propensity_model'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION propensity_model(regclass, name, name, name[], name, integer, float8) IS
'Logistic regression of treatment_column (boolean or 0/1) on an intercept and covariate_columns (numbers and booleans as they are, text and enum columns as indicators of every level but the first in C sort order, term "column=level"), as R glm(family = binomial): IRLS to a relative deviance change below tolerance in at most max_iterations steps (NULL: 25 and 1e-8). One row per coefficient with the standard error from the inverse Fisher information, Wald z and p-value, and the counts of treated, control and dropped rows (a NULL in a used column drops the row, counted and reported in a NOTICE). Optional positive weight_column as glm prior weights. Errors (22023) name collinear terms and the terms of a separated fit; no treated or no control rows, a constant or all-NULL covariate, duplicate units and non-convergence are errors too. A NULL relation or column name is an error (22004).';

CREATE FUNCTION propensity_scores(relation regclass, unit_column name, treatment_column name,
    covariate_columns name[], weight_column name DEFAULT NULL,
    max_iterations integer DEFAULT 25, tolerance float8 DEFAULT 1e-8)
RETURNS TABLE(unit bigint, treated boolean, score float8, linear_predictor float8)
AS 'MODULE_PATHNAME', 'si_propensity_scores'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION propensity_scores(regclass, name, name, name[], name, integer, float8) IS
'The fitted propensity scores of the propensity_model fit with the same arguments: one row per unit kept (rows with a NULL in a used column are dropped, counted in a NOTICE), with its treatment, the fitted probability of treatment (score, as R glm''s fitted values) and the linear predictor (the logit of the score). Same arguments, NULL rules and errors as propensity_model.';
