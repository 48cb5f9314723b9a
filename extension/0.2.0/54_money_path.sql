-- Public cost of benefit paths split kommune/stat week by week with exact
-- seniority (C in src/money_path.c, walk in src/math/refusion.c), and
-- savings as the difference between a counterfactual and an actual path.

CREATE FUNCTION path_benefit_cost(path benefit_path, from_week date, to_week date, grain text DEFAULT 'total',
                                  initial_seniority integer DEFAULT 0, price_date date DEFAULT NULL,
                                  profile text DEFAULT 'strict', variant text DEFAULT 'standard')
RETURNS TABLE (period date, benefit_weeks integer, priced_weeks integer, gross numeric, kommune numeric, stat numeric)
AS 'MODULE_PATHNAME', 'si_path_benefit_cost'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION path_benefit_cost(benefit_path, date, date, text, integer, date, text, text) IS
'Cost of the benefit weeks of a path in [from_week, to_week] per period (week, month, quarter, year by the Thursday rule, or total): each week priced at benefit_rate of its code''s category (in force that week, or on price_date) and split kommune/stat by the refusion staircase at the week''s exact seniority (walked from the path start; 52 self-supporting weeks within 156 reset it). priced_weeks < benefit_weeks means weeks without a rate or outside the staircase (payer_rule none).';

CREATE FUNCTION path_savings(actual benefit_path, counterfactual benefit_path, from_week date, to_week date,
                             grain text DEFAULT 'total', initial_seniority integer DEFAULT 0, price_date date DEFAULT NULL,
                             profile text DEFAULT 'strict', variant text DEFAULT 'standard')
RETURNS TABLE (period date, avoided_weeks integer, unpriced_weeks integer, gross numeric, kommune numeric, stat numeric)
AS 'MODULE_PATHNAME', 'si_path_savings'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION path_savings(benefit_path, benefit_path, date, date, text, integer, date, text, text) IS
'Savings of the public sector when a person follows the actual path instead of the counterfactual one: counterfactual cost minus actual cost per period, each walked with its own exact seniority.';

CREATE FUNCTION path_weeks_value(path benefit_path, weeks date[], grain text DEFAULT 'total',
                                 initial_seniority integer DEFAULT 0, price_date date DEFAULT NULL,
                                 profile text DEFAULT 'strict', variant text DEFAULT 'standard')
RETURNS TABLE (period date, benefit_weeks integer, priced_weeks integer, gross numeric, kommune numeric, stat numeric)
AS 'MODULE_PATHNAME', 'si_path_weeks_value'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION path_weeks_value(benefit_path, date[], text, integer, date, text, text) IS
'Cost of a given set of weeks of a path (e.g. the benefit weeks an intervention avoided, with the path as the baseline), each week priced and split at its exact seniority in the path; listed weeks that are not benefit weeks of the path are not counted (compare benefit_weeks with the number listed). With grain total the period is the first listed week.';
