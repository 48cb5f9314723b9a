-- 0.2.0 -> 0.3.0, branch h8-docs: the documentation stands on its own (issue 13,
-- item 4). COMMENTs and the shipped rows' basis no longer cite DOMAIN.md, a file
-- outside the repository; they state the definition or the source instead.
-- Each COMMENT is the current one of extension/0.1.0/20_codemap.sql,
-- extension/0.2.0/10_path.sql, 50_rates_money.sql and 53_money_decision.sql.
-- (A branch that later changes one of these objects' signatures re-creates
-- its COMMENT in its own fragment, after this one.)

COMMENT ON TABLE benefit_code IS
'DREAM benefit code -> category, self-supporting (strict profile), censoring, validity [valid_from, valid_to). '
'PROVISIONAL: the shipped rows are a working map after published DREAM groupings (e.g. BMC Public Health 2023;23:224, Table 2), to be validated against STAR''s official code list. '
'Add rows with source = ''user'' to override shipped rows; they are kept by pg_dump.';

COMMENT ON FUNCTION selfsufficiency_share(benefit_path, date, date, text) IS
'Share of self-supporting weeks in [from_week, to_week] = self / (self + benefit + unknown weeks): censored weeks and weeks outside the path leave the denominator; NULL when no week is observed; unmapped codes count as not self-supporting.';

COMMENT ON FUNCTION longest_selfsupporting_run(benefit_path, date, date, text) IS
'Longest run of consecutive self-supporting weeks inside [from_week, to_week].';

COMMENT ON FUNCTION sustained_selfsufficiency(benefit_path, integer, date, date, text) IS
'Sustained self-sufficiency: whether a run of at least k self-supporting weeks starts in [from_week, to_week] (the run may continue after to_week, within the observed path).';

COMMENT ON FUNCTION selfsufficiency_presets() IS
'Named presets of durable self-sufficiency (no statutory definition exists; these are the ones in use, source column): k for durable_selfsufficiency_week / sustained_selfsufficiency / km_state, x and y for x_of_y.';

COMMENT ON FUNCTION weeks_in_categories(benefit_path, date, date, text[]) IS
'Weeks of [from_week, to_week] whose code belongs to one of the categories (''none'' = no benefit, ''unknown'' = unmapped); for full-time equivalents (weeks in the categories / weeks in the period). Unknown category names are an error.';

COMMENT ON TABLE benefit_rate IS
'Weekly unit price of a benefit week per category (and variant) with validity [valid_from, valid_to). '
'weekly_rate may be left NULL on insert when monthly_rate is given: it is set to monthly_rate * 12 / 52 (unrounded). '
'Shipped rows are 2024 figures (basis names each source); add source = ''user'' rows for other years.';

COMMENT ON FUNCTION social_net_result(float8, numeric, numeric, numeric, integer, numeric, numeric, float8, text) IS
'SØM-style budget net result by payer (docs/methods.md, M13): cost at t = 0 borne by the kommune; effect x participants successes each avoid weeks_per_success benefit weeks a year for years years (times persistence), valued at weekly_rate and split by kommune_share; end-of-year flows discounted at rate. Computed in numeric; money rounded to cents. effect, kommune_share and rate are fractions (0.12, 0.8, 0.035).';

-- The shipped rates' basis: '2024 figure (DOMAIN.md 2.4): ...' -> '2024 figure: ...'
SET LOCAL socialinvest.edit_shipped = on;
UPDATE benefit_rate SET basis = replace(basis, '2024 figure (DOMAIN.md 2.4): ', '2024 figure: ')
WHERE source = 'shipped' AND basis LIKE '2024 figure (DOMAIN.md 2.4): %';
UPDATE resultattilskud_rate SET basis = replace(basis, '2024 figure (DOMAIN.md 4.6): ', '2024 figure: ')
WHERE source = 'shipped' AND basis LIKE '2024 figure (DOMAIN.md 4.6): %';
RESET socialinvest.edit_shipped;
