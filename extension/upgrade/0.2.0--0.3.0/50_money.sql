-- Upgrade 0.2.0 -> 0.3.0, money units (issue 13 item 7; branch h5-money).
-- Generated from the current definitions in extension/0.2.0/50_rates_money.sql,
-- 52_contracts.sql and 53_money_decision.sql: every function whose body or
-- COMMENT changed is replaced (no signature or result type changed, so no
-- DROP is needed); _money_rate, _money_fraction and _social_savings_pv are new.
-- The C functions (discount_factor, npv, payback_period, benefit_cost_ratio,
-- cashflows_total, path_benefit_cost, path_savings, path_weeks_value) keep
-- their SQL definitions; their new behaviour is in the library.

CREATE OR REPLACE FUNCTION _money_rate(x float8, what text)
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

CREATE OR REPLACE FUNCTION _money_fraction(x numeric, what text, lo numeric, hi numeric, example text)
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

CREATE OR REPLACE FUNCTION benefit_savings(weeks numeric, category text, day date, seniority integer,
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

CREATE OR REPLACE FUNCTION _contract_number(obj jsonb, key text, path text, minimum numeric, maximum numeric, dflt numeric)
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

CREATE OR REPLACE FUNCTION contract_validate(contract jsonb)
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

CREATE OR REPLACE FUNCTION _contract_schedule(contract jsonb, src text)
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

CREATE OR REPLACE FUNCTION contract_schedule(contract jsonb, outcomes regclass)
RETURNS TABLE (period date, pay_day date, component_no integer, component text, outcomes numeric,
               amount_uncapped numeric, amount_due numeric, cumulative_due numeric, capped boolean, note text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@._contract_schedule(contract, @extschema@._contract_source(outcomes)) $$;
COMMENT ON FUNCTION contract_schedule(jsonb, regclass) IS
'Payment schedule per period and component: outcomes achieved, amount before caps, amount due after component, programme and investor-return caps, cumulative due, capped or not. Amounts are computed in numeric and given in cents: each row is the change of the cumulative amount rounded to cents (rows add up to the rounded total), caps are rounded down to cents.';

CREATE OR REPLACE FUNCTION _contract_savings_flows(doc jsonb, src text, savings regclass)
RETURNS TABLE (day date, kommune numeric, stat numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	c jsonb;
	cols text[];
	bad record;
BEGIN
	IF savings IS NOT NULL THEN
		IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = savings) THEN
			RAISE EXCEPTION 'savings table with OID % does not exist', savings::oid
				USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
		END IF;
		IF NOT has_table_privilege(savings, 'SELECT') THEN
			RAISE EXCEPTION 'permission denied for table %', savings USING ERRCODE = 'insufficient_privilege';
		END IF;
		SELECT array_agg(attname::text) INTO cols FROM pg_attribute
		WHERE attrelid = savings AND attnum > 0 AND NOT attisdropped;
		IF NOT cols @> ARRAY['day', 'kommune', 'stat'] THEN
			RAISE EXCEPTION 'savings table % needs the columns day, kommune and stat', savings
				USING ERRCODE = 'undefined_column', HINT = 'One row per dated saving: day date, kommune numeric, stat numeric.';
		END IF;
		EXECUTE format($f$SELECT x.col, x.v, s.day FROM (SELECT day::date, kommune::numeric, stat::numeric FROM %s) s,
		                  LATERAL (VALUES ('kommune', s.kommune), ('stat', s.stat)) x(col, v)
		                  WHERE x.v IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) LIMIT 1$f$, savings) INTO bad;
		IF bad.col IS NOT NULL THEN
			PERFORM @extschema@._money_finite(bad.v, format('savings table %s: column %s (day %s)', savings, bad.col, bad.day));
		END IF;
		RETURN QUERY EXECUTE format('SELECT day::date, kommune::numeric, stat::numeric FROM %s', savings);
		RETURN;
	END IF;
	-- otherwise: the avoided benefit weeks the savings components pay for,
	-- valued at the component's price_per_week or the rate in force, and split
	-- by the staircase at the component's assumed seniority
	FOR c IN SELECT * FROM jsonb_array_elements(doc -> 'components') x WHERE x ->> 'type' = 'savings' LOOP
		IF c ->> 'category' IS NULL THEN
			RAISE NOTICE 'contract_summary: savings component "%" has no category, so its savings cannot be split kommune/stat and are left out', c ->> 'name'
				USING HINT = 'Give the component a category, or pass a savings table (day, kommune, stat).';
			CONTINUE;
		END IF;
		RETURN QUERY EXECUTE format($q$
			SELECT s.day, round(s.value * x.price * x.ks, 2), round(s.value * x.price, 2) - round(s.value * x.price * x.ks, 2)
			FROM (%s) s,
			     LATERAL (SELECT coalesce($5, @extschema@.benefit_rate_at($2, s.day, $4)) AS price,
			                     @extschema@.kommune_share(@extschema@.category_payer_rule($2, s.day), $3, s.day) AS ks) x
			WHERE s.outcome = $1 $q$, src)
			USING c ->> 'metric', c ->> 'category', (c ->> 'seniority')::integer, c ->> 'variant',
			      (c ->> 'price_per_week')::numeric;
	END LOOP;
END
$$;
COMMENT ON FUNCTION _contract_savings_flows(jsonb, text, regclass) IS
'Internal: dated kommune/stat savings for contract_summary (from a savings table as given, or valued from the savings components: value in cents, kommune rounded to cents, stat = value - kommune).';

CREATE OR REPLACE FUNCTION _contract_summary(contract jsonb, src text, rate float8, savings regclass, with_irr boolean DEFAULT true)
RETURNS TABLE (party text, inflow numeric, outflow numeric, net numeric, npv numeric, irr float8, multiple float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	start date := (doc ->> 'start')::date;
BEGIN
	IF rate IS NULL THEN
		RAISE EXCEPTION 'rate must not be NULL' USING ERRCODE = 'null_value_not_allowed', HINT = 'E.g. 0.035.';
	END IF;
	PERFORM @extschema@._money_rate(rate, 'contract_summary: rate');
	RETURN QUERY
	WITH flows AS (SELECT * FROM @extschema@._contract_cashflows(doc, src, savings)),
	parties (party, ord) AS (VALUES ('investor', 1), ('kommune', 2), ('stat', 3))
	SELECT p.party,
	       coalesce(sum(f.amount) FILTER (WHERE f.amount > 0), 0),
	       coalesce(-sum(f.amount) FILTER (WHERE f.amount < 0), 0),
	       coalesce(sum(f.amount), 0),
	       coalesce(@extschema@.npv(f.amount, (f.day - start) / 365.0, rate) FILTER (WHERE f.amount IS NOT NULL), 0),
	       @extschema@.xirr(f.amount, f.day) FILTER (WHERE with_irr AND p.party = 'investor' AND f.amount IS NOT NULL),
	       CASE WHEN sum(f.amount) FILTER (WHERE f.amount < 0) < 0
	            THEN (sum(f.amount) FILTER (WHERE f.amount > 0) / -sum(f.amount) FILTER (WHERE f.amount < 0))::float8 END
	FROM parties p LEFT JOIN flows f USING (party)
	GROUP BY p.party, p.ord ORDER BY p.ord;
END
$$;
COMMENT ON FUNCTION _contract_summary(jsonb, text, float8, regclass, boolean) IS
'Internal: result per party for contract_summary and the scenario functions.';

CREATE OR REPLACE FUNCTION _social_savings_pv(effect float8, participants numeric, weeks_per_success numeric,
                                   years integer, weekly_rate numeric, rate float8, duration text)
RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k int;
	pv numeric := 0;
BEGIN
	-- end-of-year flows: successes x persistence x weeks x rate, discounted
	-- with (1 + rate)^-k in numeric (integer powers of a rate given with at
	-- most 15 significant digits)
	FOR k IN 1 .. years LOOP
		pv := pv + effect::numeric * participants * @extschema@.effect_persistence(duration, k) * weeks_per_success
		           * weekly_rate / power(1 + rate::numeric, k);
	END LOOP;
	RETURN pv;
END
$$;
COMMENT ON FUNCTION _social_savings_pv(float8, numeric, numeric, integer, numeric, float8, text) IS
'Internal: present value (numeric, unrounded) of the avoided benefit weeks of an assumed effect, end-of-year flows, before the kommune/stat split.';

CREATE OR REPLACE FUNCTION social_net_result(effect float8, participants numeric, cost numeric, weeks_per_success numeric,
                                  years integer, weekly_rate numeric, kommune_share numeric,
                                  rate float8 DEFAULT 0.035, duration text DEFAULT 'constant')
RETURNS TABLE (payer text, cost_pv numeric, savings_pv numeric, net numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	pv numeric;
	pv_k numeric;
	pv_s numeric;
	c numeric;
BEGIN
	IF effect IS NULL OR participants IS NULL OR cost IS NULL OR weeks_per_success IS NULL OR years IS NULL
	   OR weekly_rate IS NULL OR kommune_share IS NULL OR rate IS NULL OR duration IS NULL THEN
		RAISE EXCEPTION 'social_net_result: no argument may be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_fraction(effect::numeric, 'social_net_result: effect', -1, 1,
	                                    '0.12 for an effect of 12 percentage points');
	PERFORM @extschema@._money_finite(participants, 'social_net_result: participants');
	PERFORM @extschema@._money_finite(cost, 'social_net_result: cost');
	PERFORM @extschema@._money_finite(weeks_per_success, 'social_net_result: weeks_per_success');
	PERFORM @extschema@._money_finite(weekly_rate, 'social_net_result: weekly_rate');
	PERFORM @extschema@._money_fraction(kommune_share, 'social_net_result: kommune_share', 0, 1,
	                                    '0.8 for 80 % (kontanthjaelp weeks at seniority >= 53, refusion 20 %)');
	PERFORM @extschema@._money_rate(rate, 'social_net_result: rate');
	IF participants < 0 OR cost < 0 OR weekly_rate < 0 THEN
		RAISE EXCEPTION 'social_net_result: participants, cost and weekly_rate must be >= 0'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF years < 1 OR years > 100 THEN
		RAISE EXCEPTION 'social_net_result: years must be in 1..100, got %', years USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- computed in numeric, money out rounded to cents; total = kommune + stat
	pv := @extschema@._social_savings_pv(effect, participants, weeks_per_success, years, weekly_rate, rate, duration);
	pv_k := round(pv * kommune_share, 2);
	pv_s := round(pv * (1 - kommune_share), 2);
	c := round(cost, 2);
	RETURN QUERY VALUES ('kommune', c, pv_k, pv_k - c), ('stat', 0.00, pv_s, pv_s),
	                    ('total', c, pv_k + pv_s, pv_k + pv_s - c);
END
$$;
COMMENT ON FUNCTION social_net_result(float8, numeric, numeric, numeric, integer, numeric, numeric, float8, text) IS
'SØM-style budget net result by payer: cost at t = 0 borne by the kommune; effect x participants successes each avoid weeks_per_success benefit weeks a year for years years (times persistence), valued at weekly_rate and split by kommune_share; end-of-year flows discounted at rate. Computed in numeric; money rounded to cents. effect, kommune_share and rate are fractions (0.12, 0.8, 0.035).';

CREATE OR REPLACE FUNCTION contract_scenario(contract jsonb, effect float8, participants numeric, weeks_per_success numeric,
                                  years integer, duration text DEFAULT 'constant', rate float8 DEFAULT 0.035,
                                  with_irr boolean DEFAULT true)
RETURNS TABLE (party text, inflow numeric, outflow numeric, net numeric, npv numeric, irr float8, multiple float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	metric text;
BEGIN
	SELECT c ->> 'metric' INTO metric FROM jsonb_array_elements(doc -> 'components') c WHERE c ->> 'type' = 'savings' LIMIT 1;
	IF metric IS NULL THEN
		RAISE EXCEPTION 'contract_scenario: the contract has no savings component, so an effect cannot be turned into outcomes'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Scenarios model avoided benefit weeks; for other contracts build outcome rows and use contract_summary.';
	END IF;
	IF effect IS NULL OR participants IS NULL OR weeks_per_success IS NULL OR years IS NULL OR duration IS NULL THEN
		RAISE EXCEPTION 'contract_scenario: effect, participants, weeks_per_success, years and duration must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_fraction(effect::numeric, 'contract_scenario: effect', -1, 1,
	                                    '0.12 for an effect of 12 percentage points');
	PERFORM @extschema@._money_finite(participants, 'contract_scenario: participants');
	PERFORM @extschema@._money_finite(weeks_per_success, 'contract_scenario: weeks_per_success');
	PERFORM @extschema@._money_rate(rate, 'contract_scenario: rate');
	IF years < 1 OR years > 100 THEN
		RAISE EXCEPTION 'contract_scenario: years must be in 1..100, got %', years USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY SELECT * FROM @extschema@._contract_summary(doc,
		@extschema@._scenario_source(doc, effect, participants, weeks_per_success, years, duration, metric), rate, NULL, with_irr);
END
$$;
COMMENT ON FUNCTION contract_scenario(jsonb, float8, numeric, numeric, integer, text, float8, boolean) IS
'Result per party of a contract with a savings component under an assumed effect: effect x participants successes avoid weeks_per_success benefit weeks a year (times persistence), reported at the end of each contract year.';

CREATE OR REPLACE FUNCTION break_even_effect(participants numeric, cost numeric, weeks_per_success numeric, years integer,
                                  weekly_rate numeric, kommune_share numeric, rate float8 DEFAULT 0.035,
                                  duration text DEFAULT 'constant', contract jsonb DEFAULT NULL,
                                  max_effect float8 DEFAULT 1)
RETURNS TABLE (criterion text, effect float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	lo float8;
	hi float8;
	mid float8;
	i int;
	crit text;
	ok boolean;
	per_effect numeric;
	e numeric;
	reached boolean;
BEGIN
	IF max_effect IS NULL OR max_effect <= 0 THEN
		RAISE EXCEPTION 'break_even_effect: max_effect must be > 0' USING ERRCODE = 'invalid_parameter_value',
			HINT = 'The largest effect to consider, a fraction of the participants: 1 (the default) for all of them.';
	END IF;
	PERFORM @extschema@._money_fraction(max_effect::numeric, 'break_even_effect: max_effect', 0, 1,
	                                    '1 (the default) to search all effects up to 100 % of the participants');
	PERFORM @extschema@._money_rate(rate, 'break_even_effect: rate');
	FOREACH crit IN ARRAY CASE WHEN contract IS NULL THEN ARRAY['kommune_net'] ELSE ARRAY['kommune_net', 'investor_capital_back'] END LOOP
		criterion := crit;
		effect := NULL;
		IF contract IS NULL THEN
			-- exact: the kommune's net is linear in the effect,
			-- net(e) = e x PV(kommune savings at effect 1) - cost
			PERFORM s.net FROM @extschema@.social_net_result(max_effect, participants, cost, weeks_per_success, years,
				weekly_rate, kommune_share, rate, duration) s;		-- argument checks
			per_effect := @extschema@._social_savings_pv(1, participants, weeks_per_success, years, weekly_rate, rate, duration)
			              * kommune_share;
			IF cost <= 0 THEN
				e := 0;
			ELSIF per_effect > 0 AND cost / per_effect <= max_effect::numeric THEN
				e := cost / per_effect;
			END IF;
			effect := e::float8;
		ELSE
			-- condition(e): kommune NPV >= 0, or investor's undiscounted net >= 0
			-- (piecewise linear through caps and payment rules): 0 when it holds
			-- at effect 0, else bisection on (0, max_effect] to a width of 1e-12,
			-- reported rounded up to 10 decimals (where the condition still holds)
			lo := 0;
			hi := max_effect;
			reached := false;
			FOR i IN 0 .. 60 LOOP
				mid := CASE i WHEN 0 THEN 0 WHEN 1 THEN hi ELSE (lo + hi) / 2 END;
				IF crit = 'kommune_net' THEN
					SELECT s.npv >= 0 INTO ok FROM @extschema@.contract_scenario(contract, mid, participants, weeks_per_success, years,
						duration, rate, false) s WHERE s.party = 'kommune';
				ELSE
					SELECT s.net >= 0 AND s.outflow > 0 INTO ok FROM @extschema@.contract_scenario(contract, mid, participants,
						weeks_per_success, years, duration, rate, false) s WHERE s.party = 'investor';
				END IF;
				IF i = 0 THEN
					IF ok THEN
						effect := 0;
						EXIT;
					END IF;
				ELSIF i = 1 THEN
					EXIT WHEN NOT ok;
					reached := true;
				ELSIF ok THEN
					hi := mid;
				ELSE
					lo := mid;
				END IF;
				EXIT WHEN hi - lo < 1e-12;
			END LOOP;
			IF reached THEN
				effect := least(ceil(hi::numeric * 1e10) / 1e10, max_effect::numeric)::float8;
			END IF;
		END IF;
		IF effect IS NULL THEN
			RAISE NOTICE 'break_even_effect: % is not reached for any effect up to %', crit, max_effect;
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION break_even_effect(numeric, numeric, numeric, integer, numeric, numeric, float8, text, jsonb, float8) IS
'Smallest effect (share of participants who succeed) at which the kommune''s net is >= 0 and, with a contract, at which the investor gets the capital back. Without a contract the kommune bears the cost and the answer is exact: cost / PV of the kommune savings at effect 1 (0 when cost is 0). With a contract (the kommune pays the outcome payments): 0 when the condition holds at effect 0, else bisection on (0, max_effect] to 1e-12, rounded up to 10 decimals. NULL with a NOTICE when not reached.';

CREATE OR REPLACE FUNCTION sensitivity_table(participants numeric, cost numeric, weeks_per_success numeric, years integer,
                                  weekly_rate numeric, kommune_share numeric,
                                  effects float8[], durations text[] DEFAULT ARRAY['constant'],
                                  rates float8[] DEFAULT ARRAY[0.035], price_factors float8[] DEFAULT ARRAY[1.0])
RETURNS TABLE (effect float8, duration text, rate float8, price_factor float8,
               kommune_net numeric, stat_net numeric, total_net numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	-- name the array element (social_net_result would name its own argument)
	PERFORM @extschema@._money_fraction(x::numeric, format('sensitivity_table: effects[%s]', k), -1, 1,
	                                    '0.12 for an effect of 12 percentage points')
	FROM unnest(effects) WITH ORDINALITY u(x, k);
	PERFORM @extschema@._money_rate(x, format('sensitivity_table: rates[%s]', k)) FROM unnest(rates) WITH ORDINALITY u(x, k);
	PERFORM @extschema@._money_finite(x::numeric, format('sensitivity_table: price_factors[%s]', k)) FROM unnest(price_factors) WITH ORDINALITY u(x, k);
	RETURN QUERY
	SELECT e, d, r, pf,
	       max(s.net) FILTER (WHERE s.payer = 'kommune'),
	       max(s.net) FILTER (WHERE s.payer = 'stat'),
	       max(s.net) FILTER (WHERE s.payer = 'total')
	FROM unnest(effects) e, unnest(durations) d, unnest(rates) r, unnest(price_factors) pf,
	     @extschema@.social_net_result(e, participants, cost, weeks_per_success, years,
	                                   weekly_rate * pf::numeric, kommune_share, r, d) s
	GROUP BY e, d, r, pf
	ORDER BY e, d, r, pf;
END
$$;
COMMENT ON FUNCTION sensitivity_table(numeric, numeric, numeric, integer, numeric, numeric, float8[], text[], float8[], float8[]) IS
'Net result by payer (social_net_result, money in cents) over every combination of effect, duration (constant, linear:D, stop:D), discount rate and price factor; effects and rates are fractions.';

CREATE OR REPLACE FUNCTION payout_distribution(contract jsonb, draws float8[], participants numeric, weeks_per_success numeric,
                                    years integer, duration text DEFAULT 'constant',
                                    probabilities float8[] DEFAULT ARRAY[0.05, 0.25, 0.5, 0.75, 0.95])
RETURNS TABLE (n_draws integer, expected_payout numeric, payout_quantiles numeric[], prob_investor_loss float8,
               investment numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	pays numeric[] := '{}';
	d float8;
	p numeric;
BEGIN
	IF draws IS NULL OR cardinality(draws) = 0 THEN
		RAISE EXCEPTION 'payout_distribution: draws must be a non-empty array of effects'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'E.g. bootstrap draws of the DiD effect: array_agg(effect) FROM draws.';
	END IF;
	IF array_position(draws, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'payout_distribution: draws contains NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_fraction(x::numeric, format('payout_distribution: draws[%s]', k), -1, 1,
	                                    '0.12 for an effect of 12 percentage points')
	FROM unnest(draws) WITH ORDINALITY u(x, k);
	IF probabilities IS NULL OR array_position(probabilities, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'payout_distribution: probabilities must not be or contain NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_fraction(q::numeric, format('payout_distribution: probabilities[%s]', k), 0, 1,
	                                    '0.95 for the 95 % quantile')
	FROM unnest(probabilities) WITH ORDINALITY u(q, k);
	investment := (SELECT coalesce(sum((v ->> 'amount')::numeric), 0) FROM jsonb_array_elements(doc -> 'investment') v);
	FOREACH d IN ARRAY draws LOOP
		SELECT s.inflow INTO p FROM @extschema@.contract_scenario(doc, d, participants, weeks_per_success, years, duration, 0.035, false) s
		WHERE s.party = 'investor';
		pays := pays || p;
	END LOOP;
	n_draws := cardinality(pays);
	-- in numeric, money rounded to cents: quantiles interpolate linearly
	-- between the sorted payouts at position p x (n - 1), as percentile_cont
	SELECT array_agg(y ORDER BY y) INTO pays FROM unnest(pays) y;
	SELECT round(avg(x), 2), (SELECT array_agg(round(pays[1 + floor(h)::int]
	                                                 + (h - floor(h)) * (pays[1 + ceil(h)::int] - pays[1 + floor(h)::int]), 2)
	                                           ORDER BY pp.o)
	                          FROM unnest(probabilities) WITH ORDINALITY pp(pr, o),
	                               LATERAL (SELECT pp.pr::numeric * (n_draws - 1) AS h) hh),
	       avg(CASE WHEN x < investment THEN 1.0 ELSE 0.0 END)::float8
	INTO expected_payout, payout_quantiles, prob_investor_loss
	FROM unnest(pays) x;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION payout_distribution(jsonb, float8[], numeric, numeric, integer, text, float8[]) IS
'Distribution of the total outcome payment over a set of effect draws (e.g. bootstrap draws of the DiD effect, fractions): mean and quantiles (linear interpolation, as percentile_cont) in numeric rounded to cents, and the share of draws in which the investor gets back less than the investment.';

-- new COMMENTs of C functions and aggregates (51_finance.sql)
COMMENT ON FUNCTION discount_factor(float8, float8, text, float8) IS
'(1 + rate)^-years, rate a fraction in (-1, 1) (0.035 for 3.5 %); convention ''mid'' moves a flow half a period (period_years) earlier (never before 0).';
COMMENT ON AGGREGATE npv(numeric, float8, float8) IS
'Net present value sum(amount * (1 + rate)^-years), end-of-period timing, summed in numeric and rounded to cents; rate (a fraction in (-1, 1)) must be the same in every row.';
COMMENT ON AGGREGATE npv(numeric, float8, text) IS
'Net present value under a named schedule (''fm2021'': 3.5 % to year 35, 2.5 % to 70, 1.5 % after), summed in numeric and rounded to cents.';
COMMENT ON FUNCTION npv(cashflows, float8, text, float8) IS 'NPV of stored flows at a flat rate (a fraction in (-1, 1)), end- or mid-period timing, summed in numeric and rounded to cents.';
COMMENT ON FUNCTION npv(cashflows, text, text, float8) IS 'NPV of stored flows under a named schedule (''fm2021''), summed in numeric and rounded to cents.';
COMMENT ON FUNCTION cashflows_total(cashflows) IS 'Undiscounted sum of the flows in a state, in numeric, rounded to cents.';
