-- Results per party and decision support: contract summary, SØM-style net
-- result by payer (docs/methods.md, M13), break-even effect, sensitivity table,
-- payout distribution over effect draws.

CREATE FUNCTION _contract_savings_flows(doc jsonb, src text, savings regclass)
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

CREATE FUNCTION _contract_cashflows(contract jsonb, src text, savings regclass)
RETURNS TABLE (party text, day date, amount numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	payer text := doc ->> 'payer';
BEGIN
	RETURN QUERY
	WITH pay AS (
		SELECT s.pay_day AS day, s.amount_due AS amount FROM @extschema@._contract_schedule(doc, src) s),
	inv AS (
		SELECT (v ->> 'day')::date AS day, (v ->> 'amount')::numeric AS amount FROM jsonb_array_elements(doc -> 'investment') v),
	sav AS (
		SELECT * FROM @extschema@._contract_savings_flows(doc, src, savings))
	SELECT 'investor'::text, inv.day, -inv.amount FROM inv
	UNION ALL SELECT 'investor', pay.day, pay.amount FROM pay
	UNION ALL SELECT payer, pay.day, -pay.amount FROM pay WHERE payer <> 'other'
	UNION ALL SELECT 'kommune', sav.day, sav.kommune FROM sav
	UNION ALL SELECT 'stat', sav.day, sav.stat FROM sav;
END
$$;
COMMENT ON FUNCTION _contract_cashflows(jsonb, text, regclass) IS
'Internal: dated cash flows per party (investor drawdowns and payments received, payer''s payments, kommune/stat savings).';

CREATE FUNCTION contract_cashflows(contract jsonb, outcomes regclass, savings regclass DEFAULT NULL)
RETURNS TABLE (party text, day date, years float8, amount numeric)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT f.party, f.day, (f.day - (contract ->> 'start')::date) / 365.0, f.amount
	FROM @extschema@._contract_cashflows(contract, @extschema@._contract_source(outcomes), savings) f
	ORDER BY f.party, f.day
$$;
COMMENT ON FUNCTION contract_cashflows(jsonb, regclass, regclass) IS
'Dated cash flows per party (investor, kommune, stat) with years from the contract start (days/365): feed them to npv(), irr(), xirr(), payback_period().';

CREATE FUNCTION _contract_summary(contract jsonb, src text, rate float8, savings regclass, with_irr boolean DEFAULT true)
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

CREATE FUNCTION contract_summary(contract jsonb, outcomes regclass, rate float8 DEFAULT 0.035, savings regclass DEFAULT NULL)
RETURNS TABLE (party text, inflow numeric, outflow numeric, net numeric, npv numeric, irr float8, multiple float8)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@._contract_summary(contract, @extschema@._contract_source(outcomes), rate, savings) $$;
COMMENT ON FUNCTION contract_summary(jsonb, regclass, float8, regclass) IS
'Result per party (investor, kommune, stat): money in and out, net, NPV at rate (time from the contract start, days/365), the investor''s IRR (XIRR) and multiple. Payments are dated at the end of their period; savings come from the savings table (day, kommune, stat) or from the contract''s savings components.';

-- effect persistence over the years (M13) ---------------------------------

CREATE FUNCTION effect_persistence(duration text, year integer)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	kind text;
	d numeric;
BEGIN
	IF duration IS NULL OR year IS NULL THEN
		RAISE EXCEPTION 'effect_persistence: duration and year must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF year < 1 THEN
		RAISE EXCEPTION 'effect_persistence: year must be >= 1, got %', year USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF duration = 'constant' THEN
		RETURN 1;
	END IF;
	IF duration !~ '^(linear|stop):[0-9]+(\.[0-9]+)?$' THEN
		RAISE EXCEPTION 'effect_persistence: unknown duration "%"', duration
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = '''constant'', ''linear:D'' (full effect in year 1, falling linearly to 0 in year D + 1) or ''stop:D'' (full effect for D years, then none).';
	END IF;
	kind := split_part(duration, ':', 1);
	d := split_part(duration, ':', 2)::numeric;
	IF d <= 0 THEN
		RAISE EXCEPTION 'effect_persistence: D in "%" must be > 0', duration USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF kind = 'stop' THEN
		RETURN CASE WHEN year <= d THEN 1 ELSE 0 END;
	END IF;
	RETURN greatest(0, 1 - (year - 1) / d);
END
$$;
COMMENT ON FUNCTION effect_persistence(text, integer) IS
'Share of the effect still present in year k: constant = 1; linear:D = max(0, 1 - (k - 1)/D); stop:D = 1 for k <= D, else 0.';

-- present value of the savings of an assumed effect, before the kommune/stat
-- split, unrounded (social_net_result rounds; break_even_effect divides by it)
CREATE FUNCTION _social_savings_pv(effect float8, participants numeric, weeks_per_success numeric,
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

CREATE FUNCTION social_net_result(effect float8, participants numeric, cost numeric, weeks_per_success numeric,
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
'SØM-style budget net result by payer (docs/methods.md, M13): cost at t = 0 borne by the kommune; effect x participants successes each avoid weeks_per_success benefit weeks a year for years years (times persistence), valued at weekly_rate and split by kommune_share; end-of-year flows discounted at rate. Computed in numeric; money rounded to cents. effect, kommune_share and rate are fractions (0.12, 0.8, 0.035).';

-- contract under an assumed effect: outcome rows are avoided benefit weeks
CREATE FUNCTION _scenario_source(doc jsonb, effect float8, participants numeric, weeks_per_success numeric,
                                 years integer, duration text, metric text)
RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	start date := (doc ->> 'start')::date;
	v text[] := '{}';
	k int;
BEGIN
	FOR k IN 1 .. years LOOP
		v := v || format('(%L::text, %L::date, %s::numeric)', metric, ((start + make_interval(years => k))::date - 1),
		                 effect::numeric * participants * @extschema@.effect_persistence(duration, k) * weeks_per_success);
	END LOOP;
	RETURN format('SELECT NULL::text AS participant, o AS outcome, d AS day, v AS value, NULL::numeric AS comparison, '
	              'NULL::numeric AS n, NULL::text AS cohort, NULL::numeric AS hours, NULL::integer AS programme_month '
	              'FROM (VALUES %s) x(o, d, v)', array_to_string(v, ', '));
END
$$;
COMMENT ON FUNCTION _scenario_source(jsonb, float8, numeric, numeric, integer, text, text) IS
'Internal: outcome rows (avoided benefit weeks at the end of each contract year) for an assumed effect.';

CREATE FUNCTION contract_scenario(contract jsonb, effect float8, participants numeric, weeks_per_success numeric,
                                  years integer, rate float8 DEFAULT 0.035, duration text DEFAULT 'constant',
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
COMMENT ON FUNCTION contract_scenario(jsonb, float8, numeric, numeric, integer, float8, text, boolean) IS
'Result per party of a contract with a savings component under an assumed effect: effect x participants successes avoid weeks_per_success benefit weeks a year (times persistence), reported at the end of each contract year.';

CREATE FUNCTION break_even_effect(participants numeric, cost numeric, weeks_per_success numeric, years integer,
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
						rate => rate, duration => duration, with_irr => false) s WHERE s.party = 'kommune';
				ELSE
					SELECT s.net >= 0 AND s.outflow > 0 INTO ok FROM @extschema@.contract_scenario(contract, mid, participants,
						weeks_per_success, years, rate => rate, duration => duration, with_irr => false) s WHERE s.party = 'investor';
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

CREATE FUNCTION sensitivity_table(participants numeric, cost numeric, weeks_per_success numeric, years integer,
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

CREATE FUNCTION payout_distribution(contract jsonb, draws float8[], participants numeric, weeks_per_success numeric,
                                    years integer, duration text DEFAULT 'constant',
                                    probabilities float8[] DEFAULT ARRAY[0.05, 0.25, 0.5, 0.75, 0.95])
RETURNS TABLE (n_draws bigint, expected_payout numeric, payout_quantiles numeric[], prob_investor_loss float8,
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
		SELECT s.inflow INTO p FROM @extschema@.contract_scenario(doc, d, participants, weeks_per_success, years, rate => 0.035, duration => duration, with_irr => false) s
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
