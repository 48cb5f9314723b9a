-- propensity_model and propensity_scores on MatchIt's lalonde against the
-- committed references of test/data/lalonde (make_reference.R: R glm;
-- make_reference.py: statsmodels Logit), and their errors.
-- At the default tolerance the fit is glm's at its defaults (MatchIt's);
-- with tolerance 1e-15 it is the maximum likelihood estimate (glm iterated
-- to convergence, statsmodels). Tolerances: coefficients, standard errors,
-- z and p 1e-9 relative; fitted scores and linear predictors 1e-9 absolute
-- (max over the 614 units).
\getenv abs_srcdir PG_ABS_SRCDIR
\i sql/include/expect_error.sql
\set d :abs_srcdir '/data/lalonde/'
CREATE TABLE lalonde(unit integer, name text, treat integer, age integer, educ integer, race text,
    married integer, nodegree integer, re74 float8, re75 float8, re78 float8);
\set f :d 'lalonde.csv'
COPY lalonde FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE ref_glm(term text, estimate float8, std_error float8, z_value float8, p_value float8,
    estimate_converged float8, std_error_converged float8, z_value_converged float8, p_value_converged float8);
\set f :d 'propensity_glm.csv'
COPY ref_glm FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE ref_glm_scores(unit bigint, score float8, linear_predictor float8,
    score_converged float8, linear_predictor_converged float8);
\set f :d 'propensity_glm_scores.csv'
COPY ref_glm_scores FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE ref_sm(term text, estimate float8, std_error float8, z_value float8, p_value float8);
\set f :d 'propensity_statsmodels.csv'
COPY ref_sm FROM :'f' (FORMAT csv, HEADER);
CREATE TABLE ref_sm_scores(unit bigint, score float8, linear_predictor float8);
\set f :d 'propensity_statsmodels_scores.csv'
COPY ref_sm_scores FROM :'f' (FORMAT csv, HEADER);
SELECT count(*) AS units, sum(treat) AS treated FROM lalonde;

-- MatchIt's standard model: treat ~ age + educ + race + married + nodegree + re74 + re75
CREATE TABLE pm AS SELECT * FROM propensity_model('lalonde', 'unit', 'treat',
    ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']);
SELECT term, round(estimate::numeric, 6) AS estimate, round(std_error::numeric, 6) AS std_error,
    round(z_value::numeric, 3) AS z_value, round(p_value::numeric, 4) AS p_value,
    n_treated, n_control, n_dropped, iterations
FROM pm;
-- at the defaults, against R glm at its defaults (MatchIt's fit): every number
SELECT count(*) AS terms,
    max(abs(p.estimate - r.estimate) / abs(r.estimate)) < 1e-9 AS estimate_ok,
    max(abs(p.std_error - r.std_error) / r.std_error) < 1e-9 AS std_error_ok,
    max(abs(p.z_value - r.z_value) / abs(r.z_value)) < 1e-9 AS z_ok,
    max(abs(p.p_value - r.p_value) / r.p_value) < 1e-9 AS p_ok,
    -- glm's tolerance leaves it 1e-9..1e-7 from the maximum (statsmodels): shown, so a
    -- test against the converged numbers below cannot pass by accident
    max(abs(p.estimate - r.estimate_converged) / abs(r.estimate_converged)) BETWEEN 1e-9 AND 1e-7 AS default_not_converged
FROM pm p JOIN ref_glm r USING (term);
-- iterated to convergence, against glm (epsilon 1e-15) and statsmodels Logit
CREATE TABLE pm_conv AS SELECT * FROM propensity_model('lalonde', 'unit', 'treat',
    ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'], tolerance => 1e-15);
SELECT count(*) AS terms, max(iterations) AS iterations,
    max(abs(p.estimate - r.estimate_converged) / abs(r.estimate_converged)) < 1e-9 AS glm_estimate_ok,
    max(abs(p.std_error - r.std_error_converged) / r.std_error_converged) < 1e-9 AS glm_std_error_ok,
    max(abs(p.z_value - r.z_value_converged) / abs(r.z_value_converged)) < 1e-9 AS glm_z_ok,
    max(abs(p.p_value - r.p_value_converged) / r.p_value_converged) < 1e-9 AS glm_p_ok,
    max(abs(p.estimate - m.estimate) / abs(m.estimate)) < 1e-9 AS statsmodels_estimate_ok,
    max(abs(p.std_error - m.std_error) / m.std_error) < 1e-9 AS statsmodels_std_error_ok,
    max(abs(p.z_value - m.z_value) / abs(m.z_value)) < 1e-9 AS statsmodels_z_ok,
    max(abs(p.p_value - m.p_value) / m.p_value) < 1e-9 AS statsmodels_p_ok
FROM pm_conv p JOIN ref_glm r USING (term) JOIN ref_sm m USING (term);

-- every fitted score and linear predictor (max abs difference over the 614 units)
CREATE TABLE ps AS SELECT * FROM propensity_scores('lalonde', 'unit', 'treat',
    ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75']);
CREATE TABLE ps_conv AS SELECT * FROM propensity_scores('lalonde', 'unit', 'treat',
    ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'], NULL, NULL, 1e-15);
SELECT count(*) AS units, count(*) FILTER (WHERE s.treated) AS treated,
    max(abs(s.score - g.score)) < 1e-9 AS glm_score_ok,
    max(abs(s.linear_predictor - g.linear_predictor)) < 1e-9 AS glm_lp_ok,
    max(abs(c.score - g.score_converged)) < 1e-9 AS glm_converged_score_ok,
    max(abs(c.linear_predictor - g.linear_predictor_converged)) < 1e-9 AS glm_converged_lp_ok,
    max(abs(c.score - m.score)) < 1e-9 AS statsmodels_score_ok,
    max(abs(c.linear_predictor - m.linear_predictor)) < 1e-9 AS statsmodels_lp_ok,
    bool_and(s.treated = (l.treat = 1) AND c.treated = s.treated) AS treated_ok
FROM ps s JOIN ps_conv c USING (unit) JOIN ref_glm_scores g USING (unit)
    JOIN ref_sm_scores m USING (unit) JOIN lalonde l USING (unit);
SELECT unit, treated, round(score::numeric, 6) AS score, round(linear_predictor::numeric, 6) AS linear_predictor
FROM ps WHERE unit IN (1, 2, 185, 186, 614) ORDER BY unit;

-- the same fit from other column types: boolean treatment and covariates,
-- an enum factor, bigint units; NULL options mean the defaults
CREATE TYPE race_t AS ENUM ('white', 'hispan', 'black');   -- declared order differs from C order
CREATE TABLE lalonde2 AS SELECT unit::bigint AS unit, treat = 1 AS treat, age::float8 AS age, educ::numeric AS educ,
    race::race_t AS race, married = 1 AS married, nodegree::smallint AS nodegree, re74, re75, 2.0 AS w
FROM lalonde;
SELECT count(*) AS terms, max(abs(a.estimate - b.estimate)) < 1e-12 AS same_estimates
FROM pm a JOIN propensity_model('lalonde2', 'unit', 'treat',
    ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'], NULL, NULL, NULL) b USING (term);
-- weights: a constant weight of 2 keeps the maximum likelihood estimate and
-- divides the standard errors by sqrt(2) (converged fits: glm's start
-- depends on the weights, so its path to the maximum does too)
SELECT max(abs(a.estimate - b.estimate) / abs(a.estimate)) < 1e-9 AS same_estimates,
    max(abs(a.std_error / b.std_error - sqrt(2))) < 1e-9 AS se_over_sqrt2
FROM pm_conv a JOIN propensity_model('lalonde2', 'unit', 'treat',
    ARRAY['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'], weight_column => 'w',
    tolerance => 1e-15) b USING (term);

-- NULL rows are dropped and counted, and the fit is the fit without them
CREATE TABLE lalonde_na AS SELECT * FROM lalonde;
UPDATE lalonde_na SET re74 = NULL WHERE unit IN (3, 300);
UPDATE lalonde_na SET race = NULL WHERE unit = 500;
SELECT DISTINCT n_treated, n_control, n_dropped FROM propensity_model('lalonde_na', 'unit', 'treat',
    ARRAY['age', 'educ', 'race', 're74']);
CREATE VIEW lalonde_na_kept AS SELECT * FROM lalonde_na WHERE re74 IS NOT NULL AND race IS NOT NULL;
SELECT max(abs(a.estimate - b.estimate)) < 1e-12 AS same_as_without_those_rows, count(*) AS terms
FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', 'educ', 'race', 're74']) a
JOIN propensity_model('lalonde_na_kept', 'unit', 'treat', ARRAY['age', 'educ', 'race', 're74']) b USING (term);
SELECT count(*) AS scored FROM propensity_scores('lalonde_na', 'unit', 'treat', ARRAY['age', 'educ', 'race', 're74']);

-- errors
CREATE VIEW only_controls AS SELECT * FROM lalonde WHERE treat = 0;
CREATE VIEW only_treated AS SELECT * FROM lalonde WHERE treat = 1;
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('only_controls', 'unit', 'treat', ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_scores('only_treated', 'unit', 'treat', ARRAY['age']) $$);
ALTER TABLE lalonde_na ADD COLUMN nothing float8, ADD COLUMN one integer DEFAULT 1, ADD COLUMN onelevel text DEFAULT 'x',
    ADD COLUMN re_sum float8, ADD COLUMN black integer, ADD COLUMN sep float8, ADD COLUMN early integer,
    ADD COLUMN uid uuid, ADD COLUMN t3 integer, ADD COLUMN nan float8, ADD COLUMN w float8 DEFAULT 1;
UPDATE lalonde_na SET re_sum = re74 + re75, black = (race = 'black')::integer,
    sep = CASE WHEN treat = 1 THEN age + 100 ELSE age END, early = (unit <= 5)::integer,
    uid = md5(unit::text)::uuid, t3 = CASE WHEN unit = 7 THEN 2 ELSE treat END,
    nan = CASE WHEN unit = 9 THEN 'NaN'::float8 ELSE age END, w = CASE WHEN unit = 11 THEN 0 ELSE 1 END;
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', 'nothing']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', 'one']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', 'onelevel']) $$);
-- collinear terms are named: re_sum = re74 + re75; black = 1 - hispan - white
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['re74', 're75', 're_sum', 'age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['race', 'age', 'black', 're_sum', 're74', 're75']) $$);
-- complete separation (sep > 100 exactly for the treated) and quasi-complete
-- (early = 1 only for five treated units)
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['sep']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_scores('lalonde_na', 'unit', 'treat', ARRAY['age', 'educ', 'early']) $$);
-- not converged in two steps
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age', 'educ', 're74'], max_iterations => 2) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age'], max_iterations => 0) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age'], tolerance => 'NaN') $$);
-- unit columns: text and uuid are not supported (map them to bigint), units must be distinct
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'name', 'treat', ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'uid', 'treat', ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'one', 'treat', ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 're74', 'treat', ARRAY['age']) $$);
-- treatment values, covariate values, weights, column names, types
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 't3', ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'race', ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['nan']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age'], 'w') $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', 'nosuch']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', 'uid']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', 'age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY['age', NULL]) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', NULL) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model(NULL, 'unit', 'treat', ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', NULL, ARRAY['age']) $$);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde_na', 'unit', 'treat', ARRAY[['age'], ['educ']]::name[]) $$);
-- no covariates: the intercept alone is the logit of the treated share
SELECT term, abs(estimate - ln(185.0 / 429)) < 1e-12 AS logit_of_share,
    abs(std_error - sqrt(1.0 / 185 + 1.0 / 429)) < 1e-12 AS std_error_ok
FROM propensity_model('lalonde', 'unit', 'treat', '{}', tolerance => 1e-15);
-- duplicate units
CREATE TABLE dup AS SELECT * FROM lalonde UNION ALL SELECT * FROM lalonde WHERE unit = 42;
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('dup', 'unit', 'treat', ARRAY['age']) $$);

-- privileges and row-level security: the reader runs as the caller
CREATE ROLE regress_si_ps;
SET ROLE regress_si_ps;
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age']) $$);
RESET ROLE;
GRANT SELECT (unit, treat, age) ON lalonde TO regress_si_ps;
SET ROLE regress_si_ps;
SELECT count(*) AS terms FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age']);
SELECT pg_temp.expect_error($$ SELECT * FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age', 'educ']) $$);
RESET ROLE;
ALTER TABLE lalonde ENABLE ROW LEVEL SECURITY;
CREATE POLICY some_controls ON lalonde FOR SELECT TO regress_si_ps USING (treat = 1 OR unit % 2 = 0);
SET ROLE regress_si_ps;
SELECT DISTINCT n_treated, n_control FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age']);
RESET ROLE;
SELECT DISTINCT n_treated, n_control FROM propensity_model('lalonde', 'unit', 'treat', ARRAY['age']);
DROP POLICY some_controls ON lalonde;
ALTER TABLE lalonde DISABLE ROW LEVEL SECURITY;
REVOKE SELECT (unit, treat, age) ON lalonde FROM regress_si_ps;
DROP ROLE regress_si_ps;
