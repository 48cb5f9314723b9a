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
			SELECT s.day, s.value * x.price * x.ks, s.value * x.price * (1 - x.ks)
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
'Internal: dated kommune/stat savings for contract_summary (from a savings table, or valued from the savings components).';

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
	PERFORM @extschema@._money_finite(rate::numeric, 'contract_summary: rate');
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

CREATE FUNCTION social_net_result(effect float8, participants numeric, cost numeric, weeks_per_success numeric,
                                  years integer, weekly_rate numeric, kommune_share numeric,
                                  rate float8 DEFAULT 0.035, duration text DEFAULT 'constant')
RETURNS TABLE (payer text, cost_pv numeric, savings_pv numeric, net numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k int;
	yearly numeric;
	pv_k numeric := 0;
	pv_s numeric := 0;
BEGIN
	IF effect IS NULL OR participants IS NULL OR cost IS NULL OR weeks_per_success IS NULL OR years IS NULL
	   OR weekly_rate IS NULL OR kommune_share IS NULL OR rate IS NULL OR duration IS NULL THEN
		RAISE EXCEPTION 'social_net_result: no argument may be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(effect::numeric, 'social_net_result: effect');
	PERFORM @extschema@._money_finite(participants, 'social_net_result: participants');
	PERFORM @extschema@._money_finite(cost, 'social_net_result: cost');
	PERFORM @extschema@._money_finite(weeks_per_success, 'social_net_result: weeks_per_success');
	PERFORM @extschema@._money_finite(weekly_rate, 'social_net_result: weekly_rate');
	PERFORM @extschema@._money_finite(kommune_share, 'social_net_result: kommune_share');
	PERFORM @extschema@._money_finite(rate::numeric, 'social_net_result: rate');
	IF participants < 0 OR cost < 0 OR weekly_rate < 0 THEN
		RAISE EXCEPTION 'social_net_result: participants, cost and weekly_rate must be >= 0'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF kommune_share < 0 OR kommune_share > 1 THEN
		RAISE EXCEPTION 'social_net_result: kommune_share must be in [0, 1], got %', kommune_share
			USING ERRCODE = 'invalid_parameter_value', HINT = 'E.g. 0.8 for kontanthjaelp weeks at seniority >= 53 (refusion 20 %).';
	END IF;
	IF years < 1 OR years > 100 THEN
		RAISE EXCEPTION 'social_net_result: years must be in 1..100, got %', years USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- end-of-year flows: successes x persistence x weeks x rate, discounted
	FOR k IN 1 .. years LOOP
		yearly := effect::numeric * participants * @extschema@.effect_persistence(duration, k) * weeks_per_success * weekly_rate;
		pv_k := pv_k + yearly * kommune_share * @extschema@.discount_factor(k, rate)::numeric;
		pv_s := pv_s + yearly * (1 - kommune_share) * @extschema@.discount_factor(k, rate)::numeric;
	END LOOP;
	RETURN QUERY VALUES ('kommune', cost, pv_k, pv_k - cost), ('stat', 0::numeric, pv_s, pv_s),
	                    ('total', cost, pv_k + pv_s, pv_k + pv_s - cost);
END
$$;
COMMENT ON FUNCTION social_net_result(float8, numeric, numeric, numeric, integer, numeric, numeric, float8, text) IS
'SØM-style budget net result by payer (docs/methods.md, M13): cost at t = 0 borne by the kommune; effect x participants successes each avoid weeks_per_success benefit weeks a year for years years (times persistence), valued at weekly_rate and split by kommune_share; end-of-year flows discounted at rate.';

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
	PERFORM @extschema@._money_finite(effect::numeric, 'contract_scenario: effect');
	PERFORM @extschema@._money_finite(participants, 'contract_scenario: participants');
	PERFORM @extschema@._money_finite(weeks_per_success, 'contract_scenario: weeks_per_success');
	PERFORM @extschema@._money_finite(rate::numeric, 'contract_scenario: rate');
	IF years < 1 OR years > 100 THEN
		RAISE EXCEPTION 'contract_scenario: years must be in 1..100, got %', years USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY SELECT * FROM @extschema@._contract_summary(doc,
		@extschema@._scenario_source(doc, effect, participants, weeks_per_success, years, duration, metric), rate, NULL, with_irr);
END
$$;
COMMENT ON FUNCTION contract_scenario(jsonb, float8, numeric, numeric, integer, text, float8, boolean) IS
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
	f_hi boolean;
BEGIN
	IF max_effect IS NULL OR max_effect <= 0 THEN
		RAISE EXCEPTION 'break_even_effect: max_effect must be > 0' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM @extschema@._money_finite(max_effect::numeric, 'break_even_effect: max_effect');
	FOREACH crit IN ARRAY CASE WHEN contract IS NULL THEN ARRAY['kommune_net'] ELSE ARRAY['kommune_net', 'investor_capital_back'] END LOOP
		lo := 0;
		hi := max_effect;
		-- condition(e): kommune net (NPV) >= 0, or investor's undiscounted net >= 0
		FOR i IN 0 .. 60 LOOP
			mid := CASE WHEN i = 0 THEN hi ELSE (lo + hi) / 2 END;
			IF contract IS NULL THEN
				SELECT s.net >= 0 INTO ok FROM @extschema@.social_net_result(mid, participants, cost, weeks_per_success, years,
					weekly_rate, kommune_share, rate, duration) s WHERE s.payer = 'kommune';
			ELSIF crit = 'kommune_net' THEN
				SELECT s.npv >= 0 INTO ok FROM @extschema@.contract_scenario(contract, mid, participants, weeks_per_success, years,
					duration, rate, false) s WHERE s.party = 'kommune';
			ELSE
				SELECT s.net >= 0 AND s.outflow > 0 INTO ok FROM @extschema@.contract_scenario(contract, mid, participants,
					weeks_per_success, years, duration, rate, false) s WHERE s.party = 'investor';
			END IF;
			IF i = 0 THEN
				f_hi := ok;
				EXIT WHEN NOT ok;
			ELSIF ok THEN
				hi := mid;
			ELSE
				lo := mid;
			END IF;
			EXIT WHEN hi - lo < 1e-12;
		END LOOP;
		IF NOT f_hi THEN
			RAISE NOTICE 'break_even_effect: % is not reached for any effect up to %', crit, max_effect;
			criterion := crit;
			effect := NULL;
		ELSE
			criterion := crit;
			effect := hi;
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION break_even_effect(numeric, numeric, numeric, integer, numeric, numeric, float8, text, jsonb, float8) IS
'Smallest effect (share of participants who succeed) at which the kommune''s net is >= 0 (bisection on [0, max_effect]; without a contract the kommune bears the cost, with one it pays the outcome payments) and, with a contract, at which the investor gets the capital back. NULL with a NOTICE when not reached.';

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
	PERFORM @extschema@._money_finite(x::numeric, format('sensitivity_table: effects[%s]', k)) FROM unnest(effects) WITH ORDINALITY u(x, k);
	PERFORM @extschema@._money_finite(x::numeric, format('sensitivity_table: rates[%s]', k)) FROM unnest(rates) WITH ORDINALITY u(x, k);
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
'Net result by payer (social_net_result) over every combination of effect, duration (constant, linear:D, stop:D), discount rate and price factor.';

CREATE FUNCTION payout_distribution(contract jsonb, draws float8[], participants numeric, weeks_per_success numeric,
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
	PERFORM @extschema@._money_finite(x::numeric, format('payout_distribution: draws[%s]', k))
	FROM unnest(draws) WITH ORDINALITY u(x, k);
	IF EXISTS (SELECT 1 FROM unnest(probabilities) q WHERE q IS NULL OR q < 0 OR q > 1) THEN
		RAISE EXCEPTION 'payout_distribution: probabilities must be in [0, 1]' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	investment := (SELECT coalesce(sum((v ->> 'amount')::numeric), 0) FROM jsonb_array_elements(doc -> 'investment') v);
	FOREACH d IN ARRAY draws LOOP
		SELECT s.inflow INTO p FROM @extschema@.contract_scenario(doc, d, participants, weeks_per_success, years, duration, 0.035, false) s
		WHERE s.party = 'investor';
		pays := pays || p;
	END LOOP;
	n_draws := cardinality(pays);
	SELECT avg(x), (SELECT array_agg((SELECT percentile_cont(pp.pr) WITHIN GROUP (ORDER BY y::float8)
	                                  FROM unnest(pays) y)::numeric ORDER BY pp.o)
	                FROM unnest(probabilities) WITH ORDINALITY pp(pr, o)),
	       avg(CASE WHEN x < investment THEN 1.0 ELSE 0.0 END)::float8
	INTO expected_payout, payout_quantiles, prob_investor_loss
	FROM unnest(pays) x;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION payout_distribution(jsonb, float8[], numeric, numeric, integer, text, float8[]) IS
'Distribution of the total outcome payment over a set of effect draws (e.g. bootstrap draws of the DiD effect): mean, quantiles (linear interpolation), and the share of draws in which the investor gets back less than the investment.';
