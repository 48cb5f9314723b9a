-- Money reference data: weekly benefit rates, the refusion staircase and the
-- resultattilskud amounts, as configuration tables (pattern of benefit_code:
-- shipped rows are recreated by CREATE EXTENSION and not dumped; rows users
-- add have source = 'user', are kept by pg_dump and take precedence).

CREATE TABLE benefit_rate (
	category text NOT NULL CHECK (category ~ '^[a-z][a-z0-9_]*$'),
	variant text NOT NULL DEFAULT 'standard' CHECK (variant ~ '^[a-z][a-z0-9_]*$'),
	valid_from date NOT NULL,
	valid_to date NOT NULL DEFAULT 'infinity',
	monthly_rate numeric,
	weekly_rate numeric NOT NULL,
	currency text NOT NULL DEFAULT 'DKK' CHECK (currency ~ '^[A-Z]{3}$'),
	basis text,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (category, variant, source, valid_from),
	CONSTRAINT benefit_rate_period CHECK (valid_from < valid_to)
);
COMMENT ON TABLE benefit_rate IS
'Weekly unit price of a benefit week per category (and variant) with validity [valid_from, valid_to). '
'weekly_rate may be left NULL on insert when monthly_rate is given: it is set to monthly_rate * 12 / 52 (unrounded). '
'Shipped rows are 2024 figures (basis names each source); add source = ''user'' rows for other years.';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON benefit_rate TO PUBLIC;

CREATE TABLE refusion_step (
	payer_rule text NOT NULL CHECK (payer_rule IN ('refusion', 'cofinancing')),
	first_week integer NOT NULL CHECK (first_week >= 1),
	last_week integer CHECK (last_week IS NULL OR last_week >= first_week),
	law_rate numeric NOT NULL,
	kommune_share numeric NOT NULL,
	valid_from date NOT NULL,
	valid_to date NOT NULL DEFAULT 'infinity',
	basis text,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (payer_rule, source, valid_from, first_week),
	CONSTRAINT refusion_step_period CHECK (valid_from < valid_to)
);
COMMENT ON TABLE refusion_step IS
'Refusion staircase (LBK 221 of 12/02/2021 section 5): law_rate is the state refusion rate (payer_rule refusion, municipally paid benefits) '
'or the municipal co-financing rate (payer_rule cofinancing, a-kasse/Udbetaling Danmark benefits) for benefit-seniority weeks first_week..last_week (NULL = open). '
'kommune_share is the share of a benefit week the municipality bears: 1 - law_rate for refusion, law_rate for co-financing (set on insert when NULL).';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON refusion_step TO PUBLIC;

CREATE TABLE resultattilskud_rate (
	kind text NOT NULL CHECK (kind IN ('employment', 'education', 'danish_test')),
	first_month integer NOT NULL CHECK (first_month >= 1),
	last_month integer NOT NULL CHECK (last_month >= first_month),
	amount numeric NOT NULL,
	valid_from date NOT NULL,
	valid_to date NOT NULL DEFAULT 'infinity',
	basis text,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (kind, source, valid_from, first_month),
	CONSTRAINT resultattilskud_rate_period CHECK (valid_from < valid_to)
);
COMMENT ON TABLE resultattilskud_rate IS
'Integration result grant (integrationsloven section 45) per kind and programme months first_month..last_month in which the qualifying spell starts.';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON resultattilskud_rate TO PUBLIC;

-- One check for every money argument and field: NaN and +-Infinity are
-- not amounts, counts, shares or rates (numeric NaN sorts above every
-- number, so a NaN would pass any lower bound). Callers give the name the
-- user knows the value by; float8 arguments are cast to numeric (NaN and
-- +-Infinity survive the cast).
CREATE FUNCTION _money_finite(x numeric, what text)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF x IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN
		RAISE EXCEPTION '% must be a finite number, not %', what, x
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'NaN and infinite values are not amounts, counts, shares or rates: fix or filter the value.';
	END IF;
	RETURN x;
END
$$;
COMMENT ON FUNCTION _money_finite(numeric, text) IS
'Internal: x unchanged (NULL too), or error 22023 naming what when x is NaN, Infinity or -Infinity.';

-- Rates and shares are fractions. A percentage given where a fraction
-- belongs (10 meaning 10 %) is accepted by the arithmetic and gives absurd
-- results (a 10 "%" effect on 100 participants is 1,000 successes; a
-- discount rate of 3.5 makes every later flow nearly worthless), so every
-- such argument is checked against its range, and the hint says what the
-- fraction would have been.
CREATE FUNCTION _money_rate(x float8, what text)
RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM @extschema@._money_finite(x::numeric, what);
	IF x <= -1 OR x >= 1 THEN
		RAISE EXCEPTION '% must be an annual rate given as a fraction between -1 and 1 (exclusive), got %', what, x
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = CASE WHEN x >= 1 THEN format('Give 0.035 for 3.5 %%: rates are fractions, so %s %% is %s.', x, trim_scale(x::numeric / 100))
			                  ELSE 'Give 0.035 for 3.5 %; a rate of -1 (-100 %) or less has no discount factor.' END;
	END IF;
	RETURN x;
END
$$;
COMMENT ON FUNCTION _money_rate(float8, text) IS
'Internal: x unchanged (NULL too), or error 22023 naming what when x is not a finite annual rate in (-1, 1) (a percentage such as 3.5 given for 3.5 %).';

CREATE FUNCTION _money_fraction(x numeric, what text, lo numeric, hi numeric, example text)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM @extschema@._money_finite(x, what);
	IF x < lo OR x > hi THEN
		RAISE EXCEPTION '% must be a fraction between % and %, got %', what, lo, hi, x
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = CASE WHEN abs(x) > 1 AND abs(x) <= 100
			                  THEN format('Give %s: shares and probabilities are fractions, so %s %% is %s.', example, x, trim_scale(x::numeric / 100))
			                  ELSE format('Give %s.', example) END;
	END IF;
	RETURN x;
END
$$;
COMMENT ON FUNCTION _money_fraction(numeric, text, numeric, numeric, text) IS
'Internal: x unchanged (NULL too), or error 22023 naming what when x is not a finite fraction in [lo, hi]; the hint shows example and, for a percentage, the fraction meant.';

-- One trigger function checks the three tables: no negative money, no
-- overlapping validity periods (shipped rows are guarded by
-- config_shipped_guard, shared with the code map).
CREATE FUNCTION money_config_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	clash record;
BEGIN
	IF TG_TABLE_NAME = 'benefit_rate' THEN
		IF NEW.weekly_rate IS NULL AND NEW.monthly_rate IS NOT NULL THEN
			NEW.weekly_rate := NEW.monthly_rate * 12 / 52;
		END IF;
		PERFORM @extschema@._money_finite(NEW.monthly_rate, 'benefit_rate.monthly_rate');
		PERFORM @extschema@._money_finite(NEW.weekly_rate, 'benefit_rate.weekly_rate');
		IF NEW.weekly_rate IS NULL THEN
			RAISE EXCEPTION 'benefit_rate: weekly_rate of % (%) must not be NULL', NEW.category, NEW.variant
				USING ERRCODE = 'not_null_violation', HINT = 'Give weekly_rate, or monthly_rate (weekly = monthly * 12 / 52).';
		END IF;
		IF NEW.weekly_rate < 0 OR NEW.monthly_rate < 0 THEN
			RAISE EXCEPTION 'benefit_rate: rate of % (%) from % is negative (weekly %, monthly %)',
				NEW.category, NEW.variant, NEW.valid_from, NEW.weekly_rate, NEW.monthly_rate
				USING ERRCODE = 'check_violation', HINT = 'Rates are amounts paid per week or month and must be >= 0.';
		END IF;
		SELECT r.valid_from, r.valid_to INTO clash FROM @extschema@.benefit_rate r
		WHERE r.category = NEW.category AND r.variant = NEW.variant AND r.source = NEW.source
		  AND r.valid_from <> NEW.valid_from
		  AND r.valid_from < NEW.valid_to AND NEW.valid_from < r.valid_to
		  AND (TG_OP = 'INSERT' OR r.valid_from <> OLD.valid_from)
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'benefit_rate: validity [%, %) of % (%) overlaps the % row valid [%, %)',
				NEW.valid_from, NEW.valid_to, NEW.category, NEW.variant, NEW.source, clash.valid_from, clash.valid_to
				USING ERRCODE = 'exclusion_violation', HINT = 'End the earlier period (valid_to) where the new one begins.';
		END IF;
	ELSIF TG_TABLE_NAME = 'refusion_step' THEN
		PERFORM @extschema@._money_finite(NEW.law_rate, 'refusion_step.law_rate');
		PERFORM @extschema@._money_finite(NEW.kommune_share, 'refusion_step.kommune_share');
		IF NEW.law_rate < 0 OR NEW.law_rate > 1 THEN
			RAISE EXCEPTION 'refusion_step: law_rate % of % weeks % is outside [0, 1]', NEW.law_rate, NEW.payer_rule, NEW.first_week
				USING ERRCODE = 'check_violation', HINT = 'Give the rate as a fraction: 0.80 for 80 %.';
		END IF;
		IF NEW.kommune_share IS NULL THEN
			NEW.kommune_share := CASE NEW.payer_rule WHEN 'refusion' THEN 1 - NEW.law_rate ELSE NEW.law_rate END;
		END IF;
		IF NEW.kommune_share < 0 OR NEW.kommune_share > 1 THEN
			RAISE EXCEPTION 'refusion_step: kommune_share % is outside [0, 1]', NEW.kommune_share
				USING ERRCODE = 'check_violation', HINT = 'Leave kommune_share NULL to derive it from law_rate.';
		END IF;
		SELECT r.valid_from, r.valid_to, r.first_week, r.last_week INTO clash FROM @extschema@.refusion_step r
		WHERE r.payer_rule = NEW.payer_rule AND r.source = NEW.source
		  AND (TG_OP = 'INSERT' OR (r.valid_from, r.first_week) <> (OLD.valid_from, OLD.first_week))
		  AND r.valid_from < NEW.valid_to AND NEW.valid_from < r.valid_to
		  AND ((r.valid_from, r.valid_to) <> (NEW.valid_from, NEW.valid_to)
		       OR (r.first_week <= coalesce(NEW.last_week, 2147483647)
		           AND NEW.first_week <= coalesce(r.last_week, 2147483647)))
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'refusion_step: % weeks %-% valid [%, %) overlaps the % row for weeks %-% valid [%, %)',
				NEW.payer_rule, NEW.first_week, coalesce(NEW.last_week::text, ''), NEW.valid_from, NEW.valid_to,
				NEW.source, clash.first_week, coalesce(clash.last_week::text, ''), clash.valid_from, clash.valid_to
				USING ERRCODE = 'exclusion_violation',
				      HINT = 'A staircase version is a set of steps with the same validity period and disjoint week ranges; end the earlier version where the new one begins.';
		END IF;
	ELSIF TG_TABLE_NAME = 'resultattilskud_rate' THEN
		PERFORM @extschema@._money_finite(NEW.amount, 'resultattilskud_rate.amount');
		IF NEW.amount < 0 THEN
			RAISE EXCEPTION 'resultattilskud_rate: amount % for % is negative', NEW.amount, NEW.kind
				USING ERRCODE = 'check_violation', HINT = 'Amounts must be >= 0.';
		END IF;
		SELECT r.valid_from, r.valid_to, r.first_month, r.last_month INTO clash FROM @extschema@.resultattilskud_rate r
		WHERE r.kind = NEW.kind AND r.source = NEW.source
		  AND (TG_OP = 'INSERT' OR (r.valid_from, r.first_month) <> (OLD.valid_from, OLD.first_month))
		  AND r.valid_from < NEW.valid_to AND NEW.valid_from < r.valid_to
		  AND ((r.valid_from, r.valid_to) <> (NEW.valid_from, NEW.valid_to)
		       OR (r.first_month <= NEW.last_month AND NEW.first_month <= r.last_month))
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'resultattilskud_rate: % months %-% valid [%, %) overlaps the % row for months %-% valid [%, %)',
				NEW.kind, NEW.first_month, NEW.last_month, NEW.valid_from, NEW.valid_to,
				NEW.source, clash.first_month, clash.last_month, clash.valid_from, clash.valid_to
				USING ERRCODE = 'exclusion_violation', HINT = 'End the earlier period (valid_to) where the new one begins.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION money_config_check() IS
'Trigger on benefit_rate, refusion_step, resultattilskud_rate: rejects NaN, infinite and negative amounts, overlapping validity periods and edits of shipped rows.';

CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON benefit_rate
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER benefit_rate_check BEFORE INSERT OR UPDATE ON benefit_rate
FOR EACH ROW EXECUTE FUNCTION money_config_check();
CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON refusion_step
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER refusion_step_check BEFORE INSERT OR UPDATE ON refusion_step
FOR EACH ROW EXECUTE FUNCTION money_config_check();
CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON resultattilskud_rate
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER resultattilskud_rate_check BEFORE INSERT OR UPDATE ON resultattilskud_rate
FOR EACH ROW EXECUTE FUNCTION money_config_check();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON benefit_rate
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON refusion_step
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON resultattilskud_rate
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();

SET LOCAL socialinvest.edit_shipped = on;

-- 2024 rates, weekly = monthly * 12 / 52 (unrounded); basis names each source.
INSERT INTO benefit_rate (category, variant, valid_from, valid_to, monthly_rate, weekly_rate, basis, source) VALUES
	('kontanthjaelp', 'standard', '2024-01-01', '2025-01-01', 12326, NULL, '2024 figure: kontanthjaelp >= 30 years, not a provider (ikke-forsoerger); detfagligehus.dk / bm.dk', 'shipped'),
	('kontanthjaelp', 'ikke_forsoerger_30', '2024-01-01', '2025-01-01', 12326, NULL, '2024 figure: kontanthjaelp >= 30 years, ikke-forsoerger', 'shipped'),
	('kontanthjaelp', 'forsoerger_30', '2024-01-01', '2025-01-01', 16382, NULL, '2024 figure: kontanthjaelp >= 30 years, forsoerger', 'shipped'),
	('kontanthjaelp', 'under30_udeboende', '2024-01-01', '2025-01-01', 7945, NULL, '2024 figure: uddannelses-/kontanthjaelp < 30, living away from parents', 'shipped'),
	('dagpenge', 'standard', '2024-01-01', '2025-01-01', 20359, NULL, '2024 figure: dagpenge maximum, full-time insured; aka.dk', 'shipped'),
	('foertidspension', 'standard', '2024-01-01', '2025-01-01', 20370, NULL, '2024 figure: foertidspension, single; serviceforbundet.dk', 'shipped');
INSERT INTO benefit_rate (category, variant, valid_from, valid_to, weekly_rate, basis, source) VALUES
	('sygedagpenge', 'standard', '2024-01-01', '2025-01-01', 4695, '2024 figure: sygedagpenge maximum per week; serviceforbundet.dk', 'shipped');

-- LBK 221 af 12/02/2021 section 5 stk. 2 (refusion) and stk. 3 (co-financing), in force since the 2016 reform.
INSERT INTO refusion_step (payer_rule, first_week, last_week, law_rate, kommune_share, valid_from, basis, source) VALUES
	('refusion', 1, 4, 0.80, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 80 %', 'shipped'),
	('refusion', 5, 26, 0.40, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 40 %', 'shipped'),
	('refusion', 27, 52, 0.30, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 30 %', 'shipped'),
	('refusion', 53, NULL, 0.20, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 20 %', 'shipped'),
	('cofinancing', 1, 4, 0.20, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 20 %', 'shipped'),
	('cofinancing', 5, 26, 0.60, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 60 %', 'shipped'),
	('cofinancing', 27, 52, 0.70, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 70 %', 'shipped'),
	('cofinancing', 53, NULL, 0.80, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 80 %', 'shipped');

-- resultattilskud (integration law section 45): 2024 amounts (uim.dk satser).
INSERT INTO resultattilskud_rate (kind, first_month, last_month, amount, valid_from, valid_to, basis, source) VALUES
	('employment', 1, 36, 88817, '2024-01-01', '2025-01-01', '2024 figure: ordinary employment starting in programme years 1-3', 'shipped'),
	('employment', 37, 60, 59210, '2024-01-01', '2025-01-01', '2024 figure: ordinary employment starting in programme years 4-5', 'shipped'),
	('education', 1, 36, 88817, '2024-01-01', '2025-01-01', '2024 figure: qualifying education starting in programme years 1-3', 'shipped'),
	('education', 37, 60, 59210, '2024-01-01', '2025-01-01', '2024 figure: qualifying education starting in programme years 4-5', 'shipped'),
	('danish_test', 1, 60, 37895, '2024-01-01', '2025-01-01', '2024 figure: passed Danish test', 'shipped');

RESET socialinvest.edit_shipped;

SELECT pg_catalog.pg_extension_config_dump('benefit_rate', $$WHERE source = 'user'$$);
SELECT pg_catalog.pg_extension_config_dump('refusion_step', $$WHERE source = 'user'$$);
SELECT pg_catalog.pg_extension_config_dump('resultattilskud_rate', $$WHERE source = 'user'$$);

-- Lookups ----------------------------------------------------------------

CREATE FUNCTION benefit_rate_at(category text, day date, variant text DEFAULT 'standard')
RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r numeric;
	known text;
BEGIN
	IF category IS NULL OR day IS NULL OR variant IS NULL THEN
		RAISE EXCEPTION 'benefit_rate_at: category, day and variant must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT b.weekly_rate INTO r FROM @extschema@.benefit_rate b
	WHERE b.category = benefit_rate_at.category AND b.variant = benefit_rate_at.variant
	  AND day >= b.valid_from AND day < b.valid_to
	ORDER BY b.source = 'user' DESC LIMIT 1;
	IF NOT FOUND THEN
		SELECT string_agg(format('%s/%s [%s, %s)', b.category, b.variant, b.valid_from, b.valid_to), ', '
		                  ORDER BY b.category, b.variant, b.valid_from)
		INTO known FROM @extschema@.benefit_rate b WHERE b.category = benefit_rate_at.category;
		RAISE EXCEPTION 'no weekly rate for category "%" variant "%" in force on %', category, variant, day
			USING ERRCODE = 'no_data_found',
			      HINT = coalesce('Rates for this category: ' || known || '. ', 'No rates at all for this category. ')
			             || 'Add a row to benefit_rate with source = ''user''.';
	END IF;
	RETURN r;
END
$$;
COMMENT ON FUNCTION benefit_rate_at(text, date, text) IS
'Weekly rate of a benefit category (variant) in force on a day; user rows before shipped ones; error naming the known periods if none.';

CREATE FUNCTION category_payer_rule(category text, day date)
RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rules text[];
BEGIN
	-- user rows of a code replace its shipped rows
	SELECT array_agg(DISTINCT b.payer_rule) INTO rules
	FROM @extschema@.benefit_code b
	WHERE b.category = category_payer_rule.category AND day >= b.valid_from AND day < b.valid_to
	  AND (b.source = 'user' OR NOT EXISTS (
	        SELECT 1 FROM @extschema@.benefit_code u
	        WHERE u.code = b.code AND u.source = 'user' AND day >= u.valid_from AND day < u.valid_to));
	IF rules IS NULL THEN
		RAISE EXCEPTION 'category "%" has no benefit codes in force on %', category, day
			USING ERRCODE = 'no_data_found', HINT = 'See SELECT DISTINCT category FROM benefit_code.';
	END IF;
	IF cardinality(rules) > 1 THEN
		RAISE EXCEPTION 'category "%" mixes payer rules % on %', category, rules, day
			USING ERRCODE = 'data_exception', HINT = 'Give all codes of a category the same payer_rule in benefit_code.';
	END IF;
	RETURN rules[1];
END
$$;
COMMENT ON FUNCTION category_payer_rule(text, date) IS
'payer_rule (refusion, cofinancing, none) of a benefit category on a day, from benefit_code.';

CREATE FUNCTION kommune_share(payer_rule text, seniority integer, day date)
RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s numeric;
BEGIN
	IF payer_rule IS NULL OR seniority IS NULL OR day IS NULL THEN
		RAISE EXCEPTION 'kommune_share: payer_rule, seniority and day must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF payer_rule NOT IN ('refusion', 'cofinancing') THEN
		RAISE EXCEPTION 'kommune_share: payer_rule must be refusion or cofinancing, not "%"', payer_rule
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Benefits with payer_rule none are outside the refusion staircase; their split is not known.';
	END IF;
	IF seniority < 1 THEN
		RAISE EXCEPTION 'kommune_share: seniority must be >= 1 (the week''s number among the person''s benefit weeks), got %', seniority
			USING ERRCODE = 'invalid_parameter_value', HINT = 'The first benefit week after a reset has seniority 1.';
	END IF;
	SELECT r.kommune_share INTO s FROM @extschema@.refusion_step r
	WHERE r.payer_rule = kommune_share.payer_rule AND day >= r.valid_from AND day < r.valid_to
	  AND seniority >= r.first_week AND (r.last_week IS NULL OR seniority <= r.last_week)
	ORDER BY r.source = 'user' DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no % step for benefit week % in force on %', payer_rule, seniority, day
			USING ERRCODE = 'no_data_found',
			      HINT = 'The shipped staircase applies from 2016-01-04 (LBK 221 section 5); add refusion_step rows with source = ''user'' for other periods.';
	END IF;
	RETURN s;
END
$$;
COMMENT ON FUNCTION kommune_share(text, integer, date) IS
'Share of a benefit week borne by the municipality for a benefit-seniority week under the staircase in force (the state bears the rest).';

CREATE FUNCTION benefit_savings(weeks numeric, category text, day date, seniority integer,
                                variant text DEFAULT 'standard',
                                OUT weekly_rate numeric, OUT gross numeric, OUT kommune numeric,
                                OUT stat numeric, OUT payer_rule text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	share numeric;
BEGIN
	IF weeks IS NULL THEN
		RAISE EXCEPTION 'benefit_savings: weeks must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(weeks, 'benefit_savings: weeks');
	weekly_rate := @extschema@.benefit_rate_at(category, day, variant);
	-- money out in cents: a weekly rate derived as monthly x 12 / 52 has no
	-- finite decimal; stat = gross - kommune, so the parts add up exactly
	gross := round(weeks * weekly_rate, 2);
	payer_rule := @extschema@.category_payer_rule(category, day);
	IF payer_rule = 'none' THEN
		RAISE NOTICE 'benefit_savings: category "%" has payer_rule none: kommune and stat are NULL (the split is not known)', category;
		RETURN;
	END IF;
	share := @extschema@.kommune_share(payer_rule, seniority, day);
	kommune := round(weeks * weekly_rate * share, 2);
	stat := gross - kommune;
END
$$;
COMMENT ON FUNCTION benefit_savings(numeric, text, date, integer, text) IS
'Gross value of avoided benefit weeks at the rate in force on day, split kommune/stat with every week at the stated (assumed) benefit seniority; gross and kommune rounded to cents, stat = gross - kommune.';
