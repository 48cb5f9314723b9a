-- Matching (issue 17): nearest-neighbour matching on a propensity score and
-- coarsened exact matching, as R MatchIt's method = "nearest" and "cem"
-- (docs/methods.md, *Nearest-neighbour matching*, *Coarsened exact matching*).
-- C: src/matching/match.c over src/math/match.c and src/math/cem.c.

CREATE FUNCTION match_nearest(relation regclass, unit_column name, treatment_column name,
    score_column name, ratio integer DEFAULT 1, replace boolean DEFAULT false,
    caliper float8 DEFAULT 0.2, distance text DEFAULT 'logit', m_order text DEFAULT 'largest',
    exact_columns name[] DEFAULT NULL, seed bigint DEFAULT NULL)
RETURNS TABLE(unit bigint, treated boolean, subclass bigint, weight float8, score float8)
AS 'MODULE_PATHNAME', 'si_match_nearest_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION match_nearest(regclass, name, name, name, integer, boolean, float8, text, text, name[], bigint) IS
'Greedy nearest-neighbour matching on a propensity score in (0, 1) as R MatchIt''s method = "nearest": ratio controls per treated unit (in rounds), with or without replacement, caliper in standard deviations of the distance (NULL: none), distance ''logit'' (log(p/(1-p))) or ''score'', treated units taken in m_order ''largest'' (default), ''smallest'', ''data'' (unit order) or ''random'' (needs seed), exact matching within exact_columns. Ties: the lower distance, then unit order. One row per matched unit with its subclass (NULL with replacement) and ATT weight. Rows with a NULL in a used column are dropped and counted (NOTICE); other NULL options mean their default.';

CREATE FUNCTION match_cem(relation regclass, unit_column name, treatment_column name,
    covariate_columns name[], cutpoints jsonb DEFAULT NULL)
RETURNS TABLE(unit bigint, treated boolean, subclass bigint, weight float8)
AS 'MODULE_PATHNAME', 'si_match_cem_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION match_cem(regclass, name, name, name[], jsonb) IS
'Coarsened exact matching as R MatchIt''s method = "cem": numeric columns cut into Sturges equal-width bins, or by cutpoints ({"age": [20, 30, 40]} cut points, {"educ": 4} bins, 0 = exact values), category columns exact; strata holding both groups become subclasses (numbered by their first control in unit order) with ATT weights. One row per matched unit. Rows with a NULL in a used column are dropped and counted (NOTICE); NULL cutpoints means Sturges bins for every numeric column.';
