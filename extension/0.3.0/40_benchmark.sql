-- Arrival cohorts and fair benchmarking of municipalities (issue 14, SQL
-- items 2 and 5; docs/monitoring.md sections 3 and 5, docs/methods.md):
-- the share self-supporting 12 months after arrival per municipality and
-- arrival year against all other municipalities (Newcombe's interval of
-- the difference), Spiegelhalter's funnel limits, a person-level logistic
-- model of the outcome on background composition, and the
-- observed-minus-expected benchmark built from them.
--
-- New in 0.3.0: this fragment is part of the install script and, as is,
-- of the upgrade script from 0.2.0 (see the Makefile).

-- Logistic regression as an aggregate (src/monitor/monitor_logit.c over
-- linalg_logit_irls): rows are kept per distinct covariate pattern, in the
-- storable state type logistic_fit_state (not internal: Citus distributes
-- no aggregate whose state type is a pseudo-type; PostgreSQL's parallel
-- workers count patterns too, the leader adds the counts).
CREATE TYPE logistic_fit_state;
CREATE FUNCTION logistic_fit_state_in(cstring) RETURNS logistic_fit_state
	AS 'MODULE_PATHNAME', 'si_logistic_fit_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_fit_state_out(logistic_fit_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'si_logistic_fit_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_fit_state_recv(internal) RETURNS logistic_fit_state
	AS 'MODULE_PATHNAME', 'si_logistic_fit_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_fit_state_send(logistic_fit_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'si_logistic_fit_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE logistic_fit_state (
	INPUT = logistic_fit_state_in, OUTPUT = logistic_fit_state_out,
	RECEIVE = logistic_fit_state_recv, SEND = logistic_fit_state_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE logistic_fit_state IS
'Partial state of logistic_fit: rows and true outcomes per distinct covariate pattern; text form ''1|p|x1,...,xp:rows:successes;...'' (version 1, patterns in key order). Combined exactly by adding the counts.';
COMMENT ON FUNCTION logistic_fit_state_in(cstring) IS 'Text input of logistic_fit_state (validated, versioned).';
COMMENT ON FUNCTION logistic_fit_state_out(logistic_fit_state) IS 'Text output of logistic_fit_state (shortest exact doubles, patterns in key order).';
COMMENT ON FUNCTION logistic_fit_state_recv(internal) IS 'Binary input of logistic_fit_state (validated).';
COMMENT ON FUNCTION logistic_fit_state_send(logistic_fit_state) IS 'Binary output of logistic_fit_state.';

CREATE FUNCTION logistic_fit_trans(logistic_fit_state, boolean, float8[]) RETURNS logistic_fit_state
	AS 'MODULE_PATHNAME', 'si_logistic_fit_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_fit_combine(logistic_fit_state, logistic_fit_state) RETURNS logistic_fit_state
	AS 'MODULE_PATHNAME', 'si_logistic_fit_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_fit_final(logistic_fit_state) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_logistic_fit_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION _logistic_fit_aliased_final(logistic_fit_state) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_logistic_fit_aliased_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_fit_trans(logistic_fit_state, boolean, float8[]) IS
'Transition function of logistic_fit: counts rows and true outcomes per distinct covariate pattern.';
COMMENT ON FUNCTION logistic_fit_combine(logistic_fit_state, logistic_fit_state) IS
'Combine function of logistic_fit: adds the pattern counts of two partial states (exact).';
COMMENT ON FUNCTION logistic_fit_final(logistic_fit_state) IS
'Final function of logistic_fit: the maximum-likelihood fit by IRLS.';
COMMENT ON FUNCTION _logistic_fit_aliased_final(logistic_fit_state) IS
'Internal: final function of _logistic_fit_aliased (collinear columns left out, their coefficients NULL).';

CREATE AGGREGATE logistic_fit(outcome boolean, covariates float8[]) (
	SFUNC = logistic_fit_trans,
	STYPE = logistic_fit_state,
	COMBINEFUNC = logistic_fit_combine,
	FINALFUNC = logistic_fit_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(boolean, float8[]) IS
'Logistic regression of outcome on covariates by maximum likelihood (IRLS as R glm, binomial logit, iterated to a relative deviance change below 1e-10): the coefficients, intercept first, then one per covariate in array order. Every row needs a non-NULL outcome and a covariates array of the same length without NULLs (else an error naming the fix: rows are never dropped silently); no rows: NULL. Errors 22023 when the design is singular (a covariate constant or a combination of others) or the fit does not converge (separation), 54000 above 500 covariates or when the distinct covariate patterns do not fit in memory.';

CREATE AGGREGATE _logistic_fit_aliased(outcome boolean, covariates float8[]) (
	SFUNC = logistic_fit_trans,
	STYPE = logistic_fit_state,
	COMBINEFUNC = logistic_fit_combine,
	FINALFUNC = _logistic_fit_aliased_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE _logistic_fit_aliased(boolean, float8[]) IS
'Internal (municipality_benchmark): logistic_fit that leaves out covariates the design cannot identify, as R glm does, with NULL coefficients for them.';

CREATE FUNCTION logistic_predict(coefficients float8[], covariates float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_logistic_predict' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logistic_predict(float8[], float8[]) IS
'Fitted probability 1 / (1 + exp(-(b0 + b1 x1 + ...))) for coefficients from logistic_fit (intercept first) and one row''s covariates in the same order. A NULL coefficient (a covariate left out of a rank-deficient fit) counts as 0. Errors: lengths that do not match (2202E), NULL or non-finite covariates (22004, 22023).';

CREATE FUNCTION funnel_limits(target float8, n bigint, conf_level float8 DEFAULT 0.95,
	OUT conf_low float8, OUT conf_high float8) RETURNS record
	AS 'MODULE_PATHNAME', 'si_funnel_limits' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION funnel_limits(float8, bigint, float8) IS
'Funnel-plot control limits for a proportion from n persons around target (Spiegelhalter 2005): exact binomial quantiles with his interpolation for discreteness, (r_p - alpha) / n at p = (1 - conf_level)/2 and 1 - (1 - conf_level)/2; a limit below 0 is 0. NULL target or n: NULL limits; NULL conf_level: 0.95. Errors 22023: target not strictly between 0 and 1, n outside 1..1e9, conf_level outside (0, 1).';

CREATE FUNCTION proportion_difference(successes_a bigint, n_a bigint, successes_b bigint, n_b bigint,
	conf_level float8 DEFAULT 0.95,
	OUT estimate float8, OUT conf_low float8, OUT conf_high float8) RETURNS record
	AS 'MODULE_PATHNAME', 'si_proportion_difference' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION proportion_difference(bigint, bigint, bigint, bigint, float8) IS
'Difference of two independent proportions successes_a/n_a - successes_b/n_b with Newcombe''s hybrid score interval (Newcombe 1998, method 10: from the two Wilson score intervals). A NULL count or n_a = 0 or n_b = 0: NULLs; NULL conf_level: 0.95. Errors 22023: negative counts, successes above n, conf_level outside (0, 1).';

-- Each person's status a number of months after arrival: the one place
-- that says who counts where, for arrival_cohort_status and
-- municipality_benchmark alike. The background factors are the
-- benchmark model's, as text ('missing' where the register has none).
CREATE FUNCTION _arrival_person_status(schema_name text, months integer, profile text)
RETURNS TABLE (person_id bigint, municipality integer, arrival_year integer, horizon_week date,
	status text, age_band text, sex text, origin text, education_level text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	weeks integer;
BEGIN
	IF months IS NULL OR profile IS NULL THEN
		RAISE EXCEPTION '% must not be NULL', CASE WHEN months IS NULL THEN 'months' ELSE 'profile' END
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'Leave the argument out for its default (months 12, profile strict).';
	END IF;
	IF months < 1 OR months > 240 THEN
		RAISE EXCEPTION 'months must be between 1 and 240, got %', months
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'The horizon after arrival in months: 12 for the share self-supporting one year after arrival.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.classification_profile c WHERE c.profile = _arrival_person_status.profile) THEN
		RAISE EXCEPTION 'unknown classification profile "%"', profile
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'See SELECT profile FROM classification_profile; (strict is the default).';
	END IF;
	-- months -> weeks: months * 52 / 12, rounded (12 months = 52 weeks)
	weeks := round(months * 52 / 12.0)::integer;
	RETURN QUERY EXECUTE format($q$
		SELECT p.person_id, p.municipality,
			pg_catalog.date_part('isoyear', p.arrival_week)::integer,
			h.week,
			CASE
				WHEN p.arrival_week IS NULL THEN 'no_arrival_week'
				WHEN o.person_id IS NULL THEN 'no_observation_period'
				WHEN h.week OPERATOR(pg_catalog.<) @extschema@.week_monday(o.observed_from) THEN 'before_arrival'
				WHEN h.week OPERATOR(pg_catalog.>) @extschema@.week_monday(o.observed_to) THEN
					CASE WHEN o.end_reason OPERATOR(pg_catalog.=) 'end_of_data' THEN 'not_yet_observed'
						ELSE o.end_reason END
				ELSE CASE @extschema@.self_supporting_at(
						@extschema@.path_observed(pp.path, o.observed_from, o.observed_to), h.week, $2)
					WHEN true THEN 'self_supporting' WHEN false THEN 'not_self_supporting'
					ELSE 'censored_in_path' END
			END,
			CASE
				WHEN p.birth_date IS NULL OR p.arrival_week IS NULL THEN 'missing'
				WHEN pg_catalog.date_part('year', pg_catalog.age(p.arrival_week::pg_catalog.timestamp,
					p.birth_date::pg_catalog.timestamp)) OPERATOR(pg_catalog.<) 30 THEN 'under_30'
				WHEN pg_catalog.date_part('year', pg_catalog.age(p.arrival_week::pg_catalog.timestamp,
					p.birth_date::pg_catalog.timestamp)) OPERATOR(pg_catalog.<) 45 THEN '30_44'
				ELSE '45_plus'
			END,
			COALESCE(p.sex::pg_catalog.text, 'missing'),
			COALESCE(p.origin, 'missing'),
			COALESCE(p.education_level::pg_catalog.text, 'missing')
		FROM %s p
		LEFT JOIN %s o ON o.person_id OPERATOR(pg_catalog.=) p.person_id
		LEFT JOIN %s pp ON pp.person_id OPERATOR(pg_catalog.=) p.person_id
		CROSS JOIN LATERAL (SELECT @extschema@.week_monday(p.arrival_week)
			OPERATOR(pg_catalog.+) (7 OPERATOR(pg_catalog.*) $1) AS week) h
		$q$,
		@extschema@._monitor_table(schema_name, 'person'),
		@extschema@._monitor_table(schema_name, 'observation_period'),
		@extschema@._monitor_table(schema_name, 'person_path'))
	USING weeks, profile;
END
$$;
COMMENT ON FUNCTION _arrival_person_status(text, integer, text) IS
'Internal: each person''s status months after arrival (self_supporting, not_self_supporting, emigrated, dead, not_yet_observed, or another censoring reason) with the background factors of the benchmark model.';

CREATE FUNCTION arrival_cohort_status(schema_name text, months integer DEFAULT 12, min_cell integer DEFAULT 5,
	conf_level float8 DEFAULT 0.95, profile text DEFAULT 'strict')
RETURNS TABLE (municipality integer, arrival_year integer, n_persons bigint, n_observed bigint,
	n_self_supporting bigint, estimate float8, conf_low float8, conf_high float8, n_emigrated bigint,
	n_dead bigint, n_other_censored bigint, n_not_yet bigint, emigrated_share float8, dead_share float8,
	others_estimate float8, others_conf_low float8, others_conf_high float8, difference float8,
	difference_conf_low float8, difference_conf_high float8, suppressed boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	SELECT o.conf_level_used, o.min_cell_used INTO conf_level, min_cell
	FROM @extschema@._monitor_options('arrival_cohort_status', conf_level, min_cell) o;
	RETURN QUERY
	WITH s AS (
		SELECT * FROM @extschema@._arrival_person_status(schema_name, months, profile)
	), c AS (
		SELECT s.municipality, s.arrival_year,
			count(*) AS n_persons,
			count(*) FILTER (WHERE s.status IN ('self_supporting', 'not_self_supporting')) AS n_observed,
			count(*) FILTER (WHERE s.status = 'self_supporting') AS n_self,
			count(*) FILTER (WHERE s.status = 'emigrated') AS n_emigrated,
			count(*) FILTER (WHERE s.status = 'dead') AS n_dead,
			count(*) FILTER (WHERE s.status = 'not_yet_observed') AS n_not_yet,
			count(*) FILTER (WHERE s.status NOT IN ('self_supporting', 'not_self_supporting', 'emigrated',
				'dead', 'not_yet_observed')) AS n_other
		FROM s GROUP BY s.municipality, s.arrival_year
	), o AS (
		-- every other municipality (persons without one included), same arrival year
		SELECT c.*,
			(SELECT sum(c2.n_observed) FROM c c2
			 WHERE c2.arrival_year IS NOT DISTINCT FROM c.arrival_year
			   AND c2.municipality IS DISTINCT FROM c.municipality)::bigint AS o_observed,
			(SELECT sum(c2.n_self) FROM c c2
			 WHERE c2.arrival_year IS NOT DISTINCT FROM c.arrival_year
			   AND c2.municipality IS DISTINCT FROM c.municipality)::bigint AS o_self,
			c.n_observed < min_cell AS supp
		FROM c
	)
	SELECT o.municipality, o.arrival_year,
		CASE WHEN o.supp THEN NULL ELSE o.n_persons END,
		CASE WHEN o.supp THEN NULL ELSE o.n_observed END,
		CASE WHEN o.supp THEN NULL ELSE o.n_self END,
		CASE WHEN o.supp THEN NULL ELSE w.estimate END,
		CASE WHEN o.supp THEN NULL ELSE w.conf_low END,
		CASE WHEN o.supp THEN NULL ELSE w.conf_high END,
		CASE WHEN o.supp THEN NULL ELSE o.n_emigrated END,
		CASE WHEN o.supp THEN NULL ELSE o.n_dead END,
		CASE WHEN o.supp THEN NULL ELSE o.n_other END,
		CASE WHEN o.supp THEN NULL ELSE o.n_not_yet END,
		CASE WHEN o.supp THEN NULL ELSE o.n_emigrated::float8 / o.n_persons END,
		CASE WHEN o.supp THEN NULL ELSE o.n_dead::float8 / o.n_persons END,
		CASE WHEN o.supp THEN NULL ELSE wo.estimate END,
		CASE WHEN o.supp THEN NULL ELSE wo.conf_low END,
		CASE WHEN o.supp THEN NULL ELSE wo.conf_high END,
		CASE WHEN o.supp THEN NULL ELSE d.estimate END,
		CASE WHEN o.supp THEN NULL ELSE d.conf_low END,
		CASE WHEN o.supp THEN NULL ELSE d.conf_high END,
		o.supp
	FROM o
	LEFT JOIN LATERAL @extschema@.wilson_interval(o.n_self, o.n_observed, conf_level) w ON true
	LEFT JOIN LATERAL @extschema@.wilson_interval(coalesce(o.o_self, 0), coalesce(o.o_observed, 0), conf_level) wo ON true
	LEFT JOIN LATERAL @extschema@.proportion_difference(o.n_self, o.n_observed,
		coalesce(o.o_self, 0), coalesce(o.o_observed, 0), conf_level) d ON true
	ORDER BY o.municipality, o.arrival_year;
END
$$;
COMMENT ON FUNCTION arrival_cohort_status(text, integer, integer, float8, text) IS
'Per municipality and arrival year (ISO year of person.arrival_week): persons and their status months after arrival (horizon week = week_monday(arrival_week) + 7 * round(months * 52 / 12)): every person counted once, in n_observed (n_self_supporting of them self-supporting), n_emigrated, n_dead, n_not_yet (observation ends with the data before the horizon) or n_other_censored (state pension, other end reasons, no observation_period row, no arrival_week, a censoring code in the path); the share self-supporting with its Wilson interval; the same share of all other municipalities in that arrival year and the difference with Newcombe''s hybrid score interval. Rows with fewer than min_cell observed persons keep their keys and suppressed = true, every other column NULL. NULL conf_level: 0.95; NULL min_cell: 5; NULL months or profile: error 22004.';

CREATE FUNCTION municipality_benchmark(schema_name text, months integer DEFAULT 12, min_cell integer DEFAULT 5,
	conf_level float8 DEFAULT 0.95, profile text DEFAULT 'strict')
RETURNS TABLE (municipality integer, n_persons bigint, observed bigint, expected float8,
	raw_estimate float8, estimate float8, conf_low float8, conf_high float8, "national" float8,
	funnel95_low float8, funnel95_high float8, funnel998_low float8, funnel998_high float8,
	rank integer, "position" text, good_result boolean, suppressed boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	beta float8[];
BEGIN
	SELECT o.conf_level_used, o.min_cell_used INTO conf_level, min_cell
	FROM @extschema@._monitor_options('municipality_benchmark', conf_level, min_cell) o;
	RETURN QUERY
	WITH st AS (
		SELECT * FROM @extschema@._arrival_person_status(schema_name, months, profile)
	), s AS (
		-- the persons observed at the horizon, with their factors
		SELECT x.municipality, x.status = 'self_supporting' AS y,
			ARRAY[x.age_band, x.sex, x.origin, x.education_level, x.arrival_year::text] AS f
		FROM st x
		WHERE x.status IN ('self_supporting', 'not_self_supporting')
	), lv AS (
		-- each factor's levels among them; the first (code-point order) is the reference
		SELECT DISTINCT i, s.f[i] AS v FROM s, generate_series(1, 5) i
	), cols AS (
		SELECT lv.i, lv.v, row_number() OVER (ORDER BY lv.i, lv.v COLLATE "C") AS j
		FROM lv
		WHERE lv.v COLLATE "C" > (SELECT min(l2.v COLLATE "C") FROM lv l2 WHERE l2.i = lv.i)
	), x AS (
		SELECT s.municipality, s.y,
			ARRAY(SELECT CASE WHEN s.f[c.i] = c.v THEN 1.0 ELSE 0.0 END::float8 FROM cols c ORDER BY c.j) AS cov
		FROM s
	), fit AS (
		SELECT @extschema@._logistic_fit_aliased(x.y, x.cov) AS beta,
			avg(x.y::integer)::float8 AS national
		FROM x
	), m AS (
		SELECT x.municipality, count(*) AS n, count(*) FILTER (WHERE x.y) AS o,
			sum(@extschema@.logistic_predict(fit.beta, x.cov)) AS e
		FROM x, fit
		GROUP BY x.municipality
	), a AS (
		-- every municipality with persons, also those with none observed at the horizon
		SELECT u.municipality, coalesce(m.n, 0) AS n, m.o, m.e, fit.national,
			coalesce(m.n, 0) < min_cell AS supp,
			fit.national + (m.o - m.e) / nullif(m.n, 0) AS adj,
			fit.national - m.e / nullif(m.n, 0) AS shift
		FROM (SELECT DISTINCT y.municipality FROM st y) u
		LEFT JOIN m ON m.municipality IS NOT DISTINCT FROM u.municipality
		CROSS JOIN fit
	), b AS (
		SELECT a.*, w.conf_low AS wl, w.conf_high AS wh,
			f1.conf_low AS l95, f1.conf_high AS h95, f2.conf_low AS l998, f2.conf_high AS h998
		FROM a
		LEFT JOIN LATERAL @extschema@.wilson_interval(a.o, a.n, conf_level) w ON true
		-- no funnel without persons, or around a national rate of 0 or 1
		LEFT JOIN LATERAL @extschema@.funnel_limits(CASE WHEN a.national > 0 AND a.national < 1 THEN a.national END,
			nullif(a.n, 0), 0.95) f1 ON true
		LEFT JOIN LATERAL @extschema@.funnel_limits(CASE WHEN a.national > 0 AND a.national < 1 THEN a.national END,
			nullif(a.n, 0), 0.998) f2 ON true
	), r AS (
		-- rank on the estimate to 10 decimals: equal estimates share a rank
		-- whatever their last bits
		SELECT b.*, CASE WHEN NOT b.supp AND b.adj IS NOT NULL
			THEN rank() OVER (PARTITION BY (NOT b.supp AND b.adj IS NOT NULL)
				ORDER BY round(b.adj::numeric, 10) DESC) END AS rk
		FROM b
	)
	SELECT r.municipality,
		CASE WHEN r.supp THEN NULL ELSE r.n END,
		CASE WHEN r.supp THEN NULL ELSE r.o END,
		CASE WHEN r.supp THEN NULL ELSE r.e END,
		CASE WHEN r.supp THEN NULL ELSE r.o::float8 / nullif(r.n, 0) END,
		CASE WHEN r.supp THEN NULL ELSE r.adj END,
		CASE WHEN r.supp THEN NULL ELSE r.wl + r.shift END,
		CASE WHEN r.supp THEN NULL ELSE r.wh + r.shift END,
		r.national,
		CASE WHEN r.supp THEN NULL ELSE r.l95 END,
		CASE WHEN r.supp THEN NULL ELSE r.h95 END,
		CASE WHEN r.supp THEN NULL ELSE r.l998 END,
		CASE WHEN r.supp THEN NULL ELSE r.h998 END,
		r.rk::integer,
		CASE WHEN r.supp OR r.adj IS NULL OR r.h95 IS NULL THEN NULL
			WHEN r.adj > r.h998 THEN 'above_99.8'
			WHEN r.adj > r.h95 THEN 'above_95'
			WHEN r.adj < r.l998 THEN 'below_99.8'
			WHEN r.adj < r.l95 THEN 'below_95'
			ELSE 'within' END,
		CASE WHEN r.supp OR r.adj IS NULL OR r.h998 IS NULL THEN NULL ELSE r.adj > r.h998 END,
		r.supp
	FROM r
	ORDER BY r.municipality;
END
$$;
COMMENT ON FUNCTION municipality_benchmark(text, integer, integer, float8, text) IS
'Benchmarks municipalities on the share self-supporting months after arrival, adjusted for the composition of their arrivals: a logistic model of the outcome over every person observed at the horizon on age band at arrival (under 30, 30-44, 45 and over), sex, origin, education_level and arrival year (each a factor in dummies; no municipality term) gives each person an expected probability; per municipality n_persons observed persons, observed (O) self-supporting, expected (E) the sum of their probabilities, raw_estimate O/n, estimate = national + (O - E)/n, its interval the Wilson interval of O/n shifted by national - E/n; Spiegelhalter funnel limits at 95 % and 99.8 % around the national share at n; rank (1 = highest estimate, equal estimates to 10 decimals share a rank); position above_99.8, above_95, within, below_95 or below_99.8; good_result = estimate above the upper 99.8 % limit. Rows below min_cell observed persons keep municipality, national and suppressed = true, the rest NULL (the persons still count in the model and the national share). NULL conf_level: 0.95; NULL min_cell: 5; NULL months or profile: 22004.';
