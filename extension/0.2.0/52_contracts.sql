-- Outcome contracts: a contract is a jsonb document validated against the
-- schema in docs/contracts.md; errors give the JSON path of the bad field.
-- Outcome rows come from a table (regclass) with the columns documented
-- there; contract_schedule() gives the payment schedule per period and
-- contract_summary() the result per party.

-- field checks (internal helpers of contract_validate) ---------------------

CREATE FUNCTION _contract_fields(obj jsonb, path text, allowed text[], required text[])
RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	IF obj IS NULL OR jsonb_typeof(obj) <> 'object' THEN
		RAISE EXCEPTION 'contract: % must be a JSON object, not %', path, coalesce(jsonb_typeof(obj), 'missing')
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = format('Fields allowed at %s: %s (see docs/contracts.md).', path, array_to_string(allowed, ', '));
	END IF;
	FOR k IN SELECT jsonb_object_keys(obj) LOOP
		IF NOT k = ANY (allowed) THEN
			RAISE EXCEPTION 'contract: unknown field %.%', path, k
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = format('Fields allowed at %s: %s (see docs/contracts.md).', path, array_to_string(allowed, ', '));
		END IF;
	END LOOP;
	FOREACH k IN ARRAY required LOOP
		IF NOT obj ? k OR obj -> k = 'null'::jsonb THEN
			RAISE EXCEPTION 'contract: missing required field %.%', path, k
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = format('Required at %s: %s (see docs/contracts.md).', path, array_to_string(required, ', '));
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION _contract_fields(jsonb, text, text[], text[]) IS
'Internal (contract validation): object with only allowed fields and all required ones; errors name the JSON path.';

CREATE FUNCTION _contract_number(obj jsonb, key text, path text, minimum numeric, maximum numeric, dflt numeric)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb := obj -> key;
	x numeric;
BEGIN
	IF v IS NULL OR v = 'null'::jsonb THEN
		RETURN dflt;
	END IF;
	IF jsonb_typeof(v) <> 'number' THEN
		RAISE EXCEPTION 'contract: %.% must be a number, not %', path, key, jsonb_typeof(v)
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Write amounts and rates as JSON numbers, e.g. 3500 or 0.5.';
	END IF;
	x := v::text::numeric;
	-- Every contract number is 0 or between 1e-9 and 1e15 in magnitude:
	-- money is in currency units (1e15 DKK is far beyond any contract, and
	-- 1e-9 far below an øre), fractions need no finer step. Outside that
	-- range a number is a typo, and ratios such as the money multiple
	-- would overflow float8.
	IF abs(x) > 1e15 THEN
		RAISE EXCEPTION 'contract: %.% is larger in magnitude than 1e15, the maximum for any contract number', path, key
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Give amounts in currency units (at most 1e15); shares, rates and thresholds are fractions.';
	END IF;
	IF x <> 0 AND abs(x) < 1e-9 THEN
		RAISE EXCEPTION 'contract: %.% is smaller in magnitude than 1e-9, the minimum for a non-zero contract number', path, key
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Give 0, or amounts in currency units and fractions of at least 1e-9.';
	END IF;
	IF minimum IS NOT NULL AND x < minimum THEN
		RAISE EXCEPTION 'contract: %.% is %, below the minimum %', path, key, x, minimum
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = CASE WHEN minimum = 0 THEN 'Prices, caps and amounts must be >= 0; nothing is clipped silently.'
			                  ELSE format('Give a value >= %s.', minimum) END;
	END IF;
	IF maximum IS NOT NULL AND x > maximum THEN
		RAISE EXCEPTION 'contract: %.% is %, above the maximum %', path, key, x, maximum
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = CASE WHEN maximum = 1 AND x <= 100
			                  THEN format('Give a value <= 1: shares, rates and thresholds are fractions (0.035 for 3.5 %%), so %s %% is %s.', x, trim_scale(x / 100))
			                  ELSE format('Give a value <= %s (shares, rates and thresholds are fractions: 0.035 for 3.5 %%).', maximum) END;
	END IF;
	RETURN x;
END
$$;
COMMENT ON FUNCTION _contract_number(jsonb, text, text, numeric, numeric, numeric) IS
'Internal (contract validation): a numeric field within bounds (0 or 1e-9 to 1e15 in magnitude), or the default when absent.';

CREATE FUNCTION _contract_text(obj jsonb, key text, path text, allowed text[], dflt text)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb := obj -> key;
BEGIN
	IF v IS NULL OR v = 'null'::jsonb THEN
		RETURN dflt;
	END IF;
	IF jsonb_typeof(v) <> 'string' THEN
		RAISE EXCEPTION 'contract: %.% must be a string, not %', path, key, jsonb_typeof(v)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF allowed IS NOT NULL AND NOT (v #>> '{}') = ANY (allowed) THEN
		RAISE EXCEPTION 'contract: %.% is "%", not one of %', path, key, v #>> '{}', array_to_string(allowed, ', ')
			USING ERRCODE = 'invalid_parameter_value', HINT = format('Allowed values: %s.', array_to_string(allowed, ', '));
	END IF;
	RETURN v #>> '{}';
END
$$;
COMMENT ON FUNCTION _contract_text(jsonb, text, text, text[], text) IS
'Internal (contract validation): a string field (optionally from a list), or the default when absent.';

CREATE FUNCTION _contract_date(obj jsonb, key text, path text)
RETURNS date LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text := @extschema@._contract_text(obj, key, path, NULL, NULL);
BEGIN
	IF s IS NULL THEN
		RETURN NULL;
	END IF;
	IF s !~ '^\d{4}-\d{2}-\d{2}$' THEN
		RAISE EXCEPTION 'contract: %.% is "%", not a date YYYY-MM-DD', path, key, s
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN s::date;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
	RAISE EXCEPTION 'contract: %.% is "%", not a valid date', path, key, s
		USING ERRCODE = 'invalid_parameter_value';
END
$$;
COMMENT ON FUNCTION _contract_date(jsonb, text, text) IS
'Internal (contract validation): an ISO date field YYYY-MM-DD.';

-- validation ---------------------------------------------------------------

CREATE FUNCTION contract_validate(contract jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb;
	comps jsonb[] := '{}';		-- appended in place (linear), one jsonb array at the end
	c jsonb;
	o jsonb;
	nc jsonb;
	p text;
	op text;
	i int := 0;
	j int;
	t text;
	names text[] := '{}';
	outs text[];
	r text;
	inv jsonb := '[]';
	start date;
BEGIN
	IF contract IS NULL THEN
		RAISE EXCEPTION 'contract must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._contract_fields(contract, '$',
		ARRAY['name', 'description', 'source', 'currency', 'start', 'period', 'payer', 'investment',
		      'programme_cap', 'return_cap', 'components'],
		ARRAY['name', 'currency', 'start', 'components']);
	start := @extschema@._contract_date(contract, 'start', '$');
	doc := jsonb_build_object(
		'name', @extschema@._contract_text(contract, 'name', '$', NULL, NULL),
		'currency', @extschema@._contract_text(contract, 'currency', '$', NULL, NULL),
		'start', start,
		'period', @extschema@._contract_text(contract, 'period', '$', ARRAY['week', 'month', 'quarter', 'year'], 'quarter'),
		'payer', @extschema@._contract_text(contract, 'payer', '$', ARRAY['kommune', 'stat', 'other'], 'kommune'),
		'programme_cap', @extschema@._contract_number(contract, 'programme_cap', '$', 0, NULL, NULL));
	IF (doc ->> 'currency') !~ '^[A-Z]{3}$' THEN
		RAISE EXCEPTION 'contract: $.currency is "%", not an ISO 4217 code', doc ->> 'currency'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'E.g. DKK, GBP, EUR.';
	END IF;
	IF contract ? 'description' THEN
		doc := doc || jsonb_build_object('description', @extschema@._contract_text(contract, 'description', '$', NULL, NULL));
	END IF;
	IF contract ? 'source' THEN
		doc := doc || jsonb_build_object('source', @extschema@._contract_text(contract, 'source', '$', NULL, NULL));
	END IF;

	-- investment: a number (drawn at start) or a list of {day, amount}
	IF contract ? 'investment' THEN
		IF jsonb_typeof(contract -> 'investment') = 'number' THEN
			inv := jsonb_build_array(jsonb_build_object('day', start,
				'amount', @extschema@._contract_number(contract, 'investment', '$', 0, NULL, NULL)));
		ELSIF jsonb_typeof(contract -> 'investment') = 'array' THEN
			j := 0;
			FOR o IN SELECT * FROM jsonb_array_elements(contract -> 'investment') LOOP
				p := format('$.investment[%s]', j);
				PERFORM @extschema@._contract_fields(o, p, ARRAY['day', 'amount'], ARRAY['day', 'amount']);
				inv := inv || jsonb_build_array(jsonb_build_object('day', @extschema@._contract_date(o, 'day', p),
					'amount', @extschema@._contract_number(o, 'amount', p, 0, NULL, NULL)));
				j := j + 1;
			END LOOP;
		ELSE
			RAISE EXCEPTION 'contract: $.investment must be a number or an array of {day, amount}'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	doc := doc || jsonb_build_object('investment', inv);

	IF contract ? 'return_cap' THEN
		PERFORM @extschema@._contract_fields(contract -> 'return_cap', '$.return_cap', ARRAY['rate'], ARRAY['rate']);
		doc := doc || jsonb_build_object('return_cap', jsonb_build_object('rate',
			@extschema@._contract_number(contract -> 'return_cap', 'rate', '$.return_cap', 0, 1, NULL)));
		IF jsonb_array_length(inv) = 0 THEN
			RAISE EXCEPTION 'contract: $.return_cap needs $.investment'
				USING ERRCODE = 'invalid_parameter_value', HINT = 'The cap is principal x (1 + rate)^years: give the investment.';
		END IF;
	END IF;

	IF jsonb_typeof(contract -> 'components') <> 'array' OR jsonb_array_length(contract -> 'components') = 0 THEN
		RAISE EXCEPTION 'contract: $.components must be a non-empty array'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Component types: rate_card, threshold, gain_share, savings, resultattilskud.';
	END IF;
	FOR c IN SELECT * FROM jsonb_array_elements(contract -> 'components') LOOP
		p := format('$.components[%s]', i);
		IF jsonb_typeof(c) <> 'object' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type'], ARRAY['type']);
		END IF;
		t := @extschema@._contract_text(c, 'type', p,
			ARRAY['rate_card', 'threshold', 'gain_share', 'savings', 'resultattilskud'], NULL);
		IF t IS NULL THEN
			RAISE EXCEPTION 'contract: missing required field %.type', p
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = 'Component types: rate_card, threshold, gain_share, savings, resultattilskud.';
		END IF;
		nc := jsonb_build_object('type', t,
			'name', @extschema@._contract_text(c, 'name', p, NULL, t || '_' || (i + 1)),
			'cap', @extschema@._contract_number(c, 'cap', p, 0, NULL, NULL));
		names := names || (nc ->> 'name');
		IF t = 'rate_card' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'per_participant_cap', 'outcomes'], ARRAY['type', 'outcomes']);
			nc := nc || jsonb_build_object('per_participant_cap', @extschema@._contract_number(c, 'per_participant_cap', p, 0, NULL, NULL));
			IF jsonb_typeof(c -> 'outcomes') <> 'array' OR jsonb_array_length(c -> 'outcomes') = 0 THEN
				RAISE EXCEPTION 'contract: %.outcomes must be a non-empty array of {outcome, price, requires}', p
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
			outs := '{}';
			j := 0;
			FOR o IN SELECT * FROM jsonb_array_elements(c -> 'outcomes') LOOP
				op := format('%s.outcomes[%s]', p, j);
				PERFORM @extschema@._contract_fields(o, op, ARRAY['outcome', 'price', 'requires', 'description'], ARRAY['outcome', 'price']);
				IF @extschema@._contract_text(o, 'outcome', op, NULL, NULL) = ANY (outs) THEN
					RAISE EXCEPTION 'contract: %.outcome "%" is priced twice in this rate card', op, o ->> 'outcome'
						USING ERRCODE = 'invalid_parameter_value';
				END IF;
				outs := outs || (o ->> 'outcome');
				PERFORM @extschema@._contract_number(o, 'price', op, 0, NULL, NULL);
				IF o ? 'requires' AND jsonb_typeof(o -> 'requires') <> 'array' THEN
					RAISE EXCEPTION 'contract: %.requires must be an array of outcome names', op
						USING ERRCODE = 'invalid_parameter_value';
				END IF;
				j := j + 1;
			END LOOP;
			-- prerequisites must be outcomes of the same card
			j := 0;
			FOR o IN SELECT * FROM jsonb_array_elements(c -> 'outcomes') LOOP
				FOR r IN SELECT * FROM jsonb_array_elements_text(coalesce(o -> 'requires', '[]')) LOOP
					IF NOT r = ANY (outs) THEN
						RAISE EXCEPTION 'contract: %.outcomes[%].requires names "%", which is not an outcome of this rate card', p, j, r
							USING ERRCODE = 'invalid_parameter_value', HINT = format('Outcomes of the card: %s.', array_to_string(outs, ', '));
					END IF;
				END LOOP;
				j := j + 1;
			END LOOP;
			nc := nc || jsonb_build_object('outcomes', (
				SELECT jsonb_agg(jsonb_build_object('outcome', x ->> 'outcome', 'price', (x ->> 'price')::numeric,
				                                    'requires', coalesce(x -> 'requires', '[]')) ORDER BY n)
				FROM jsonb_array_elements(c -> 'outcomes') WITH ORDINALITY e(x, n)));
		ELSIF t = 'threshold' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'metric', 'direction', 'cohort_threshold',
				'overall_threshold', 'price', 'per'], ARRAY['type', 'metric', 'cohort_threshold', 'price']);
			nc := nc || jsonb_build_object(
				'metric', @extschema@._contract_text(c, 'metric', p, NULL, NULL),
				'direction', @extschema@._contract_text(c, 'direction', p, ARRAY['lower_is_better', 'higher_is_better'], 'lower_is_better'),
				'cohort_threshold', @extschema@._contract_number(c, 'cohort_threshold', p, 0, 1, NULL),
				'overall_threshold', @extschema@._contract_number(c, 'overall_threshold', p, 0, 1, NULL),
				'price', @extschema@._contract_number(c, 'price', p, 0, NULL, NULL),
				'per', @extschema@._contract_number(c, 'per', p, 1e-9, NULL, 1));
		ELSIF t = 'gain_share' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'metric', 'share', 'fees'], ARRAY['type', 'metric', 'share']);
			nc := nc || jsonb_build_object(
				'metric', @extschema@._contract_text(c, 'metric', p, NULL, NULL),
				'share', @extschema@._contract_number(c, 'share', p, 0, 1, NULL));
			IF c ? 'fees' THEN
				IF jsonb_typeof(c -> 'fees') <> 'array' THEN
					RAISE EXCEPTION 'contract: %.fees must be an array of {outcome, price}', p USING ERRCODE = 'invalid_parameter_value';
				END IF;
				j := 0;
				FOR o IN SELECT * FROM jsonb_array_elements(c -> 'fees') LOOP
					op := format('%s.fees[%s]', p, j);
					PERFORM @extschema@._contract_fields(o, op, ARRAY['outcome', 'price', 'description'], ARRAY['outcome', 'price']);
					PERFORM @extschema@._contract_text(o, 'outcome', op, NULL, NULL);
					PERFORM @extschema@._contract_number(o, 'price', op, 0, NULL, NULL);
					j := j + 1;
				END LOOP;
				nc := nc || jsonb_build_object('fees', (SELECT jsonb_agg(jsonb_build_object('outcome', x ->> 'outcome', 'price', (x ->> 'price')::numeric))
				                                       FROM jsonb_array_elements(c -> 'fees') x));
			ELSE
				nc := nc || '{"fees": []}';
			END IF;
		ELSIF t = 'savings' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'metric', 'category', 'variant',
				'price_per_week', 'share', 'seniority'], ARRAY['type']);
			nc := nc || jsonb_build_object(
				'metric', @extschema@._contract_text(c, 'metric', p, NULL, 'avoided_weeks'),
				'category', @extschema@._contract_text(c, 'category', p, NULL, NULL),
				'variant', @extschema@._contract_text(c, 'variant', p, NULL, 'standard'),
				'price_per_week', @extschema@._contract_number(c, 'price_per_week', p, 0, NULL, NULL),
				'share', @extschema@._contract_number(c, 'share', p, 0, 1, 1),
				'seniority', @extschema@._contract_number(c, 'seniority', p, 1, NULL, 53));
			IF nc ->> 'category' IS NULL AND nc ->> 'price_per_week' IS NULL THEN
				RAISE EXCEPTION 'contract: missing price at %: give category (valued at benefit_rate) or price_per_week', p
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
		ELSIF t = 'resultattilskud' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'min_weeks', 'min_hours'], ARRAY['type']);
			nc := nc || jsonb_build_object(
				'min_weeks', @extschema@._contract_number(c, 'min_weeks', p, 0, NULL, 26),
				'min_hours', @extschema@._contract_number(c, 'min_hours', p, 0, NULL, 20));
		END IF;
		comps := comps || jsonb_strip_nulls(nc);
		i := i + 1;
	END LOOP;
	-- unique names, checked once for all components (a search per
	-- component would make validation quadratic in their number)
	SELECT d.n - 1, d.x INTO j, t
	FROM (SELECT u.n, u.x, count(*) OVER (PARTITION BY u.x ORDER BY u.n) AS k
	      FROM unnest(names) WITH ORDINALITY u(x, n)) d
	WHERE d.k > 1 ORDER BY d.n LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'contract: $.components[%].name "%" is used by an earlier component', j, t
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Component names must be unique.';
	END IF;
	RETURN jsonb_strip_nulls(doc) || jsonb_build_object('components', to_jsonb(comps));
END
$$;
COMMENT ON FUNCTION contract_validate(jsonb) IS
'Validate an outcome contract against the schema of docs/contracts.md and return it normalised (defaults filled in); errors name the JSON path of the bad field.';

-- outcome rows ---------------------------------------------------------------

CREATE FUNCTION _contract_source(outcomes regclass)
RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cols text[];
	spec text[][] := ARRAY[['participant', 'text'], ['outcome', 'text'], ['day', 'date'], ['value', 'numeric'],
	                       ['comparison', 'numeric'], ['n', 'numeric'], ['cohort', 'text'], ['hours', 'numeric'],
	                       ['programme_month', 'integer']];
	sel text[] := '{}';
	i int;
BEGIN
	IF outcomes IS NULL THEN
		RAISE EXCEPTION 'outcomes must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = outcomes) THEN
		RAISE EXCEPTION 'outcomes table with OID % does not exist', outcomes::oid
			USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
	END IF;
	IF NOT has_table_privilege(outcomes, 'SELECT') THEN
		RAISE EXCEPTION 'permission denied for table %', outcomes USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT array_agg(attname::text) INTO cols FROM pg_attribute
	WHERE attrelid = outcomes AND attnum > 0 AND NOT attisdropped;
	IF NOT 'outcome' = ANY (cols) OR NOT 'day' = ANY (cols) THEN
		RAISE EXCEPTION 'outcomes table % needs at least the columns outcome and day', outcomes
			USING ERRCODE = 'undefined_column',
			      HINT = 'Columns read: participant, outcome, day, value, comparison, n, cohort, hours, programme_month (see docs/contracts.md).';
	END IF;
	FOR i IN 1 .. array_length(spec, 1) LOOP
		IF spec[i][1] = ANY (cols) THEN
			sel := sel || format('%I::%s AS %I', spec[i][1], spec[i][2], spec[i][1]);
		ELSE
			sel := sel || format('NULL::%s AS %I', spec[i][2], spec[i][1]);
		END IF;
	END LOOP;
	RETURN format('SELECT %s FROM %s', array_to_string(sel, ', '), outcomes);
END
$$;
COMMENT ON FUNCTION _contract_source(regclass) IS
'Internal: the SELECT that reads an outcomes table in the standard column layout (missing columns as NULL).';

CREATE TYPE contract_payment AS (
	period date,
	pay_day date,
	component_no integer,
	component text,
	outcomes numeric,
	amount_uncapped numeric,
	amount_due numeric,
	cumulative_due numeric,
	capped boolean,
	note text
);
COMMENT ON TYPE contract_payment IS
'One row of a payment schedule: period (start), pay_day (end of period), component, outcomes counted, amount before caps, amount due, cumulative due, whether a cap bit, and a note.';

-- resultattilskud for one spell (integration law section 45; docs/methods.md, M12.6)
CREATE FUNCTION resultattilskud_amount(kind text, programme_month integer, weeks numeric, avg_hours numeric, day date,
                                       min_weeks numeric DEFAULT 26, min_hours numeric DEFAULT 20)
RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a numeric;
BEGIN
	IF kind IS NULL OR programme_month IS NULL OR day IS NULL OR min_weeks IS NULL OR min_hours IS NULL THEN
		RAISE EXCEPTION 'resultattilskud_amount: kind, programme_month, day, min_weeks and min_hours must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF kind NOT IN ('employment', 'education', 'danish_test') THEN
		RAISE EXCEPTION 'resultattilskud_amount: kind must be employment, education or danish_test, not "%"', kind
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM @extschema@._money_finite(weeks, 'resultattilskud_amount: weeks');
	PERFORM @extschema@._money_finite(avg_hours, 'resultattilskud_amount: avg_hours');
	PERFORM @extschema@._money_finite(min_weeks, 'resultattilskud_amount: min_weeks');
	PERFORM @extschema@._money_finite(min_hours, 'resultattilskud_amount: min_hours');
	IF programme_month < 1 THEN
		RAISE EXCEPTION 'resultattilskud_amount: programme_month must be >= 1 (month 1 = first month of the programme), got %', programme_month
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.resultattilskud_rate r
	               WHERE r.kind = resultattilskud_amount.kind AND day >= r.valid_from AND day < r.valid_to) THEN
		RAISE EXCEPTION 'no resultattilskud amounts for % in force on %', kind, day
			USING ERRCODE = 'no_data_found', HINT = 'Shipped amounts are the 2024 figures; add resultattilskud_rate rows with source = ''user''.';
	END IF;
	IF kind = 'employment' AND (weeks IS NULL OR avg_hours IS NULL) THEN
		RAISE EXCEPTION 'resultattilskud_amount: employment needs weeks (continuous spell length) and avg_hours'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF kind = 'employment' AND (weeks < min_weeks OR avg_hours < min_hours) THEN
		RETURN 0;
	END IF;
	IF kind = 'education' AND weeks IS NOT NULL AND weeks < min_weeks THEN
		RETURN 0;
	END IF;
	SELECT r.amount INTO a FROM @extschema@.resultattilskud_rate r
	WHERE r.kind = resultattilskud_amount.kind AND day >= r.valid_from AND day < r.valid_to
	  AND resultattilskud_amount.programme_month BETWEEN r.first_month AND r.last_month
	ORDER BY r.source = 'user' DESC LIMIT 1;
	RETURN coalesce(a, 0);
END
$$;
COMMENT ON FUNCTION resultattilskud_amount(text, integer, numeric, numeric, date, numeric, numeric) IS
'Integration result grant for one spell: employment needs >= min_weeks continuous weeks at >= min_hours hours/week on average; amount by the programme month the spell starts in (0 outside the rate periods).';

-- component payments before programme and return caps
-- (takes the period, not the whole document: reading a large document once
-- per component would make a schedule quadratic in the number of components)
CREATE FUNCTION _contract_component_items(per text, comp jsonb, comp_no integer, src text)
RETURNS SETOF contract_payment LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t text := comp ->> 'type';
	nm text := comp ->> 'name';
	cap numeric := (comp ->> 'cap')::numeric;
	r record;
	rel numeric;
	units numeric;
	amt numeric;
	paid_cohorts numeric := 0;
	due numeric;
	cum numeric := 0;
	capped_cum numeric := 0;
	item @extschema@.contract_payment;
	bad bigint;
	norate date;
BEGIN
	IF t = 'rate_card' THEN
		EXECUTE format('SELECT count(*) FROM (%s) s WHERE s.outcome IN (SELECT x ->> ''outcome'' FROM jsonb_array_elements($1) x) AND s.participant IS NULL', src)
			INTO bad USING comp -> 'outcomes';
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % rate-card outcome row(s) without a participant', nm, bad
				USING ERRCODE = 'null_value_not_allowed', HINT = 'Rate cards pay per participant: fill the participant column.';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH card AS (
				SELECT x ->> 'outcome' AS outcome, (x ->> 'price')::numeric AS price, x -> 'requires' AS requires
				FROM jsonb_array_elements($1) x),
			ach AS (
				SELECT s.participant, s.outcome, min(s.day) AS day
				FROM (%s) s WHERE s.outcome IN (SELECT outcome FROM card) GROUP BY 1, 2),
			req AS (
				SELECT a.participant, a.outcome, a.day, q.req
				FROM ach a JOIN card c USING (outcome), jsonb_array_elements_text(c.requires) q(req)),
			missing AS (
				SELECT r.participant, r.outcome
				FROM req r LEFT JOIN ach b ON b.participant = r.participant AND b.outcome = r.req AND b.day <= r.day
				WHERE b.participant IS NULL GROUP BY 1, 2),
			elig AS (
				SELECT a.participant, a.outcome, a.day, c.price, m.participant IS NULL AS ok
				FROM ach a JOIN card c USING (outcome) LEFT JOIN missing m USING (participant, outcome)),
			pp AS (
				SELECT e.*, CASE WHEN ok THEN price ELSE 0 END AS due0,
				       sum(CASE WHEN ok THEN price ELSE 0 END) OVER (PARTITION BY participant ORDER BY day, outcome
				                                                    ROWS UNBOUNDED PRECEDING) AS cum
				FROM elig e),
			pc AS (
				SELECT pp.*, CASE WHEN $2::numeric IS NULL THEN due0 ELSE least(cum, $2) - least(cum - due0, $2) END AS due1
				FROM pp),
			cc AS (
				SELECT pc.*, sum(due1) OVER (ORDER BY day, participant, outcome ROWS UNBOUNDED PRECEDING) AS cum2 FROM pc),
			fin AS (
				SELECT cc.*, CASE WHEN $3::numeric IS NULL THEN due1 ELSE least(cum2, $3) - least(cum2 - due1, $3) END AS due2
				FROM cc)
			SELECT date_trunc($4, day::timestamp)::date, NULL::date, $5, $6,
			       count(*) FILTER (WHERE ok)::numeric, sum(due0), sum(due2), NULL::numeric, bool_or(due2 < due0),
			       CASE WHEN count(*) FILTER (WHERE NOT ok) > 0
			            THEN format('%%s outcome(s) achieved without their prerequisite: not paid', count(*) FILTER (WHERE NOT ok)) END
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING comp -> 'outcomes', (comp ->> 'per_participant_cap')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;

	IF t = 'resultattilskud' THEN
		EXECUTE format($q$SELECT count(*) FROM (%s) s WHERE s.outcome IN ('employment', 'education', 'danish_test')
		                  AND (s.participant IS NULL OR s.programme_month IS NULL OR s.programme_month < 1
		                       OR (s.outcome = 'employment' AND (s.value IS NULL OR s.hours IS NULL)))$q$, src) INTO bad;
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % resultattilskud row(s) lack participant, programme_month >= 1, or (employment) value = weeks / hours', nm, bad
				USING ERRCODE = 'null_value_not_allowed';
		END IF;
		EXECUTE format($q$SELECT min(s.day) FROM (%s) s WHERE s.outcome IN ('employment', 'education', 'danish_test')
		                  AND NOT EXISTS (SELECT 1 FROM @extschema@.resultattilskud_rate r
		                                  WHERE r.kind = s.outcome AND s.day >= r.valid_from AND s.day < r.valid_to)$q$, src)
			INTO norate;
		IF norate IS NOT NULL THEN
			RAISE EXCEPTION 'contract component "%": no resultattilskud amounts in force on %', nm, norate
				USING ERRCODE = 'no_data_found',
				      HINT = 'Shipped amounts are the 2024 figures; add resultattilskud_rate rows with source = ''user''.';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH q AS (
				SELECT s.participant, s.outcome, s.day,
				       CASE s.outcome WHEN 'danish_test' THEN 'danish_test' ELSE 'job_or_education' END AS grp,
				       (SELECT r.amount FROM @extschema@.resultattilskud_rate r
				         WHERE r.kind = s.outcome AND s.day >= r.valid_from AND s.day < r.valid_to
				           AND s.programme_month BETWEEN r.first_month AND r.last_month
				         ORDER BY r.source = 'user' DESC LIMIT 1) AS amount
				FROM (%s) s
				WHERE s.outcome = 'danish_test'
				   OR (s.outcome = 'employment' AND s.value >= $1 AND s.hours >= $2)
				   OR (s.outcome = 'education' AND (s.value IS NULL OR s.value >= $1))),
			f AS (
				SELECT DISTINCT ON (participant, grp) day, amount
				FROM q WHERE amount > 0 ORDER BY participant, grp, day),
			cc AS (
				SELECT day, amount, sum(amount) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS cum FROM f),
			fin AS (
				SELECT day, amount, CASE WHEN $3::numeric IS NULL THEN amount
				                         ELSE least(cum, $3) - least(cum - amount, $3) END AS due FROM cc)
			SELECT date_trunc($4, day::timestamp)::date, NULL::date, $5, $6, count(*)::numeric, sum(amount), sum(due),
			       NULL::numeric, bool_or(due < amount), NULL::text
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING (comp ->> 'min_weeks')::numeric, (comp ->> 'min_hours')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;

	IF t = 'threshold' THEN
		FOR r IN EXECUTE format($q$SELECT * FROM (%s) s WHERE s.outcome = $1
		                           ORDER BY (s.cohort IS NULL OR s.cohort = 'overall'), s.day, s.cohort$q$, src)
			USING comp ->> 'metric'
		LOOP
			IF r.value IS NULL OR r.comparison IS NULL OR r.n IS NULL OR r.comparison <= 0 OR r.n < 0 OR r.value < 0 THEN
				RAISE EXCEPTION 'contract component "%": threshold row for cohort % on % needs value >= 0, comparison > 0 and n >= 0', nm, coalesce(r.cohort, 'overall'), r.day
					USING ERRCODE = 'invalid_parameter_value',
					      HINT = 'value = outcome of the treated cohort, comparison = outcome of its comparison group, n = treated persons.';
			END IF;
			IF comp ->> 'direction' = 'lower_is_better' THEN
				rel := 1 - r.value / r.comparison;
				units := (r.comparison - r.value) / (comp ->> 'per')::numeric * r.n;
			ELSE
				rel := r.value / r.comparison - 1;
				units := (r.value - r.comparison) / (comp ->> 'per')::numeric * r.n;
			END IF;
			amt := 0;
			IF r.cohort IS NOT NULL AND r.cohort <> 'overall' THEN
				IF rel >= (comp ->> 'cohort_threshold')::numeric THEN
					amt := (comp ->> 'price')::numeric * units;
					paid_cohorts := paid_cohorts + amt;
				END IF;
				item := ROW(date_trunc(per, r.day::timestamp)::date, NULL, comp_no, nm, greatest(units, 0), amt, amt, NULL, false,
					format('cohort %s: improvement %s %% %s threshold %s %%', r.cohort, round(rel * 100, 4),
					       CASE WHEN amt > 0 OR rel >= (comp ->> 'cohort_threshold')::numeric THEN 'reaches' ELSE 'below' END,
					       round((comp ->> 'cohort_threshold')::numeric * 100, 4)));
			ELSE
				IF comp ? 'overall_threshold' AND rel >= (comp ->> 'overall_threshold')::numeric THEN
					amt := greatest((comp ->> 'price')::numeric * units - paid_cohorts, 0);
				END IF;
				-- the overall measurement re-counts the cohorts' events: no new outcomes
				item := ROW(date_trunc(per, r.day::timestamp)::date, NULL, comp_no, nm, 0, amt, amt, NULL, false,
					format('overall: improvement %s %% %s', round(rel * 100, 4),
					       CASE WHEN NOT comp ? 'overall_threshold' THEN '(no overall threshold in the contract)'
					            WHEN rel >= (comp ->> 'overall_threshold')::numeric
					            THEN format('reaches threshold %s %%; cohort payments %s deducted', round((comp ->> 'overall_threshold')::numeric * 100, 4), paid_cohorts)
					            ELSE format('below threshold %s %%', round((comp ->> 'overall_threshold')::numeric * 100, 4)) END));
			END IF;
			-- component cap, cumulative
			cum := cum + item.amount_due;
			due := CASE WHEN cap IS NULL THEN item.amount_due ELSE least(cum, cap) - capped_cum END;
			capped_cum := capped_cum + due;
			item.capped := due < item.amount_due;
			item.amount_due := due;
			RETURN NEXT item;
		END LOOP;
		RETURN;
	END IF;

	-- gain_share and savings: signed entitlements, netted per day; payments
	-- follow the high-water mark of the running entitlement (no claw-back)
	IF t = 'gain_share' THEN
		EXECUTE format($q$SELECT count(*) FROM (%s) s WHERE s.outcome = $1
		                  AND (s.value IS NULL OR s.comparison IS NULL OR s.n IS NULL OR s.n < 0)$q$, src)
			INTO bad USING comp ->> 'metric';
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % gain row(s) without value, comparison and n >= 0', nm, bad
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = 'value = public gain per treated person, comparison = the same for the control group, n = treated persons.';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH fee AS (
				SELECT x ->> 'outcome' AS outcome, (x ->> 'price')::numeric AS price FROM jsonb_array_elements($2) x),
			rows AS (
				SELECT s.day,
				       CASE WHEN s.outcome = $1 THEN $3 * s.n * (s.value - s.comparison) ELSE 0 END AS gain,
				       CASE WHEN s.outcome = $1 THEN 0 ELSE f.price * coalesce(s.value, 1) END AS fee,
				       CASE WHEN s.outcome = $1 THEN s.n ELSE coalesce(s.value, 1) END AS units,
				       CASE WHEN s.outcome = $1 THEN NULL ELSE 'fee: ' || s.outcome END AS note
				FROM (%s) s LEFT JOIN fee f ON f.outcome = s.outcome
				WHERE s.outcome = $1 OR f.price IS NOT NULL),
			d AS (
				SELECT day, sum(gain) AS gain, sum(fee) AS fee, sum(units) AS units,
				       string_agg(DISTINCT note, '; ') AS note
				FROM rows GROUP BY day),
			hw AS (
				SELECT d.*, greatest(0, max(run) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING)) AS paid_hw
				FROM (SELECT d.*, sum(gain) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS run FROM d) d),
			due AS (
				SELECT day, units, note, paid_hw - coalesce(lag(paid_hw) OVER (ORDER BY day), 0) + fee AS due0 FROM hw),
			cc AS (
				SELECT due.*, sum(due0) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS cum FROM due),
			fin AS (
				SELECT cc.*, CASE WHEN $4::numeric IS NULL THEN due0 ELSE least(cum, $4) - least(cum - due0, $4) END AS due1
				FROM cc)
			SELECT date_trunc($5, day::timestamp)::date, NULL::date, $6, $7, sum(units), sum(due0), sum(due1),
			       NULL::numeric, bool_or(due1 < due0), string_agg(note, '; ')
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING comp ->> 'metric', comp -> 'fees', (comp ->> 'share')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;

	IF t = 'savings' THEN
		EXECUTE format($q$SELECT count(*) FROM (%s) s WHERE s.outcome = $1 AND s.value IS NULL$q$, src)
			INTO bad USING comp ->> 'metric';
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % savings row(s) without value = avoided benefit weeks', nm, bad
				USING ERRCODE = 'null_value_not_allowed';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH d AS (
				SELECT s.day, sum(s.value) AS weeks FROM (%s) s WHERE s.outcome = $1 GROUP BY s.day),
			priced AS (
				SELECT d.*, $4 * d.weeks * coalesce($5, @extschema@.benefit_rate_at($2, d.day, $3)) AS amt FROM d),
			hw AS (
				SELECT p.*, greatest(0, max(run) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING)) AS paid_hw
				FROM (SELECT priced.*, sum(amt) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS run FROM priced) p),
			due AS (
				SELECT day, weeks, paid_hw - coalesce(lag(paid_hw) OVER (ORDER BY day), 0) AS due0 FROM hw),
			cc AS (
				SELECT due.*, sum(due0) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS cum FROM due),
			fin AS (
				SELECT cc.*, CASE WHEN $6::numeric IS NULL THEN due0 ELSE least(cum, $6) - least(cum - due0, $6) END AS due1
				FROM cc)
			SELECT date_trunc($7, day::timestamp)::date, NULL::date, $8, $9, sum(weeks), sum(due0), sum(due1),
			       NULL::numeric, bool_or(due1 < due0), NULL::text
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING comp ->> 'metric', comp ->> 'category', comp ->> 'variant', (comp ->> 'share')::numeric,
		      (comp ->> 'price_per_week')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;
END
$$;
COMMENT ON FUNCTION _contract_component_items(text, jsonb, integer, text) IS
'Internal: payments of one contract component (component-level caps applied), before programme and return caps.';

CREATE FUNCTION _contract_schedule(contract jsonb, src text)
RETURNS SETOF contract_payment LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	per text := doc ->> 'period';
	step interval := CASE doc ->> 'period' WHEN 'quarter' THEN interval '3 months' ELSE ('1 ' || (doc ->> 'period'))::interval END;
	pcap numeric := (doc ->> 'programme_cap')::numeric;
	rrate numeric := (doc #>> '{return_cap,rate}')::numeric;
	it @extschema@.contract_payment;
	u numeric := 0;			-- cumulative after component caps (unrounded)
	u_cents numeric := 0;	-- the same rounded to cents
	uu numeric := 0;		-- cumulative before caps (unrounded)
	uu_cents numeric := 0;
	item_cents numeric;
	paid numeric := 0;		-- cumulative paid (cents)
	lim numeric;
	due numeric;
	bad bigint;
	nonfinite record;
	t text;
	known text[];
BEGIN
	-- one scan for both: rows without outcome or day, and NaN or +-Infinity in
	-- a number column (numeric NaN sorts above every number and would pass
	-- every threshold)
	EXECUTE format($q$SELECT count(*) FILTER (WHERE s.outcome IS NULL OR s.day IS NULL),
	                         min(CASE WHEN s.value IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'value'
	                                  WHEN s.comparison IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'comparison'
	                                  WHEN s.n IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'n'
	                                  WHEN s.hours IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'hours' END)
	                  FROM (%s) s$q$, src) INTO bad, t;
	IF t IS NOT NULL THEN
		EXECUTE format($q$SELECT s.participant, s.outcome, s.day, s.%I AS v FROM (%s) s
		                  WHERE s.%I IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) LIMIT 1$q$, t, src, t)
			INTO nonfinite;
		PERFORM @extschema@._money_finite(nonfinite.v, format('outcomes: column %s (outcome %s, participant %s, day %s)',
		                                  t, nonfinite.outcome, coalesce(nonfinite.participant, '-'), nonfinite.day));
	END IF;
	IF bad > 0 THEN
		RAISE EXCEPTION 'outcomes: % row(s) with NULL outcome or day', bad
			USING ERRCODE = 'null_value_not_allowed', HINT = 'Every outcome row needs the outcome name and the day it was achieved or measured.';
	END IF;
	-- rows no component reads are reported, not silently dropped
	SELECT array_agg(DISTINCT x) INTO known FROM (
		SELECT o ->> 'outcome' FROM jsonb_array_elements(doc -> 'components') cc,
		       jsonb_array_elements(coalesce(cc -> 'outcomes', '[]') || coalesce(cc -> 'fees', '[]')) o
		UNION ALL SELECT cc ->> 'metric' FROM jsonb_array_elements(doc -> 'components') cc WHERE cc ? 'metric'
		UNION ALL SELECT unnest(ARRAY['employment', 'education', 'danish_test'])
		FROM jsonb_array_elements(doc -> 'components') cc WHERE cc ->> 'type' = 'resultattilskud') k(x);
	EXECUTE format('SELECT count(*) FROM (%s) s WHERE NOT s.outcome = ANY ($1)', src) INTO bad USING known;
	IF bad > 0 THEN
		RAISE NOTICE 'contract_schedule: % outcome row(s) match no component of the contract and are not paid', bad
			USING HINT = format('Outcomes the contract pays for: %s.', array_to_string(known, ', '));
	END IF;

	-- the components' items in one query (linear in the number of components)
	FOR it IN
		SELECT x.period, (x.period + step)::date, x.component_no, x.component, sum(x.outcomes), sum(x.amount_uncapped),
		       sum(x.amount_due), NULL::numeric, bool_or(x.capped), string_agg(x.note, '; ')
		FROM jsonb_array_elements(doc -> 'components') WITH ORDINALITY c(comp, i),
		     LATERAL @extschema@._contract_component_items(per, c.comp, c.i::integer, src) x
		GROUP BY x.period, x.component_no, x.component ORDER BY x.period, x.component_no
	LOOP
		-- money in cents: each row is the change of the rounded cumulative
		-- amount, so rows add up exactly to the rounded total; caps are
		-- rounded down to cents, so a cap is never exceeded
		uu := uu + it.amount_uncapped;
		it.amount_uncapped := round(uu, 2) - uu_cents;
		uu_cents := round(uu, 2);
		u := u + it.amount_due;
		item_cents := round(u, 2) - u_cents;
		u_cents := round(u, 2);
		lim := u_cents;
		IF pcap IS NOT NULL THEN
			lim := least(lim, trunc(pcap, 2));
		END IF;
		IF rrate IS NOT NULL THEN
			lim := least(lim, trunc((SELECT coalesce(sum((v ->> 'amount')::numeric
			                     * power(1 + rrate, ((it.pay_day - (v ->> 'day')::date) / 365.0)::numeric)), 0)
			                   FROM jsonb_array_elements(doc -> 'investment') v WHERE (v ->> 'day')::date <= it.pay_day), 2));
		END IF;
		due := greatest(lim - paid, 0);
		IF due < item_cents THEN
			it.capped := true;
			it.note := concat_ws('; ', it.note,
				CASE WHEN pcap IS NOT NULL AND u > pcap THEN 'programme cap' ELSE 'investor return cap' END);
		END IF;
		paid := paid + due;
		it.amount_due := due;
		it.cumulative_due := paid;
		RETURN NEXT it;
	END LOOP;
END
$$;
COMMENT ON FUNCTION _contract_schedule(jsonb, text) IS
'Internal: payment schedule of a contract over the outcome rows of a query (contract_schedule and the scenario functions use it).';

CREATE FUNCTION contract_schedule(contract jsonb, outcomes regclass)
RETURNS TABLE (period date, pay_day date, component_no integer, component text, outcomes numeric,
               amount_uncapped numeric, amount_due numeric, cumulative_due numeric, capped boolean, note text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@._contract_schedule(contract, @extschema@._contract_source(outcomes)) $$;
COMMENT ON FUNCTION contract_schedule(jsonb, regclass) IS
'Payment schedule per period and component: outcomes achieved, amount before caps, amount due after component, programme and investor-return caps, cumulative due, capped or not. Amounts are computed in numeric and given in cents: each row is the change of the cumulative amount rounded to cents (rows add up to the rounded total), caps are rounded down to cents.';
