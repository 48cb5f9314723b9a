-- Course status 6 and 12 months after the start (docs/monitoring.md
-- section 2): per course, per municipality and programme with Wilson
-- intervals and cell suppression, and as indicator states to store.
--
-- New in 0.3.0: part of the install script and, as is, of the upgrade
-- script from 0.2.0 (see the Makefile).
--
-- PARALLEL RESTRICTED: they read tables named at run time (which may be
-- temporary) through EXECUTE.

-- Internal: the checks every course-status function makes of its arguments.
CREATE FUNCTION _course_status_check(schema_name text, profile text, durable_weeks integer)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the schema that holds the monitoring tables (docs/monitoring.md).';
	END IF;
	IF profile IS NULL THEN
		RAISE EXCEPTION 'profile must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Give a classification profile, e.g. ''strict'' (the default).';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.classification_profile c WHERE c.profile = _course_status_check.profile) THEN
		RAISE EXCEPTION 'classification profile "%" does not exist', profile
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Known profiles: ' || (SELECT string_agg(c.profile, ', ' ORDER BY c.profile)
			                                   FROM @extschema@.classification_profile c) || '.';
	END IF;
	IF durable_weeks IS NULL OR durable_weeks < 1 OR durable_weeks > 520 THEN
		RAISE EXCEPTION 'durable_weeks must lie between 1 and 520, not %', coalesce(durable_weeks::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'durable_weeks is the number of weeks up to the horizon that must all be self-supporting (default 13).';
	END IF;
END
$$;
COMMENT ON FUNCTION _course_status_check(text, text, integer) IS
'Internal: argument checks of course_status and friends (NULL schema_name or profile 22004, unknown profile or durable_weeks outside 1..520 22023).';

CREATE FUNCTION course_status(schema_name text, as_of date DEFAULT NULL, profile text DEFAULT 'strict',
	durable_weeks integer DEFAULT 13)
RETURNS TABLE (course_id bigint, person_id bigint, municipality integer, programme text,
	mentored boolean, start_date date, end_date date, course_weeks integer, ended_early boolean,
	horizon_months integer, horizon_week date, status text, self_supporting boolean, durable boolean,
	benefit_group text, censored_reason text)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM @extschema@._course_status_check(schema_name, profile, durable_weeks);
	IF as_of IS NOT NULL AND NOT isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite date or NULL, not %', as_of
			USING ERRCODE = 'datetime_field_overflow', HINT = 'NULL means all data.';
	END IF;
	RETURN QUERY EXECUTE format($q$
		WITH c AS (
			SELECT c.course_id, c.person_id, c.municipality, c.programme, c.mentor_id IS NOT NULL AS mentored,
				c.start_date,
				-- as seen on as_of: a course that ends after as_of is still running
				CASE WHEN $1 IS NULL OR c.end_date <= $1 THEN c.end_date END AS end_date,
				CASE WHEN $1 IS NULL OR c.end_date <= $1 THEN c.end_reason END AS end_reason,
				op.observed_from, op.observed_to, op.end_reason AS obs_end_reason,
				op.person_id IS NOT NULL AS has_period,
				CASE WHEN op.person_id IS NOT NULL
					THEN @extschema@.path_observed(pp.path, op.observed_from, op.observed_to) END AS path
			FROM %1$s c
			LEFT JOIN %2$s op ON op.person_id = c.person_id
			LEFT JOIN %3$s pp ON pp.person_id = c.person_id
			WHERE $1 IS NULL OR c.start_date <= $1
		), ce AS (
			SELECT c.*, coalesce(c.end_date,
				CASE WHEN c.has_period THEN LEAST(c.observed_to, $1) ELSE $1 END) AS course_end
			FROM c
		), h AS (
			SELECT c.*, hm.m AS horizon_months,
				@extschema@.week_monday(c.start_date) + hm.m / 6 * 26 * 7 AS horizon_week
			FROM ce c CROSS JOIN (VALUES (6), (12)) hm(m)
		), r AS (
			SELECT h.*,
				CASE
					WHEN NOT h.has_period THEN 'no_observation_period'
					WHEN $1 IS NOT NULL AND h.horizon_week > @extschema@.week_monday($1) THEN 'not_yet_observed'
					WHEN h.horizon_week < @extschema@.week_monday(h.observed_from) THEN 'before_arrival'
					WHEN h.horizon_week > @extschema@.week_monday(h.observed_to) THEN
						CASE WHEN h.obs_end_reason = 'end_of_data' THEN 'not_yet_observed' ELSE h.obs_end_reason END
				END AS outside,
				@extschema@.self_supporting_at(h.path, h.horizon_week, $2) AS ss
			FROM h
		)
		SELECT r.course_id, r.person_id, r.municipality, r.programme, r.mentored, r.start_date, r.end_date,
			-- weeks from the start week to the end week, both included (while
			-- running: to as_of or the last observed day; a course cannot be
			-- shorter than 0 weeks, e.g. when the person left before the start)
			CASE WHEN r.course_end IS NOT NULL THEN
				GREATEST((@extschema@.week_monday(r.course_end) - @extschema@.week_monday(r.start_date)) / 7 + 1, 0)
			END::integer AS course_weeks,
			coalesce(r.end_reason = 'ended_early', false) AS ended_early,
			r.horizon_months, r.horizon_week,
			CASE WHEN r.outside IS NOT NULL OR r.ss IS NULL THEN 'censored'
				WHEN r.ss THEN 'self_supporting' ELSE 'on_benefit' END AS status,
			CASE WHEN r.outside IS NULL THEN r.ss END AS self_supporting,
			CASE WHEN r.outside IS NULL AND r.ss IS NOT NULL
				THEN @extschema@.x_of_y(r.path, $3, $3, r.horizon_week, $2) END AS durable,
			CASE WHEN r.outside IS NULL AND NOT r.ss
				THEN @extschema@.benefit_category(@extschema@.code_at(r.path, r.horizon_week), r.horizon_week) END AS benefit_group,
			CASE WHEN r.outside IS NOT NULL THEN r.outside
				WHEN r.ss IS NULL THEN
					-- a censoring code inside the observation period (emigrated, dead, folkepension)
					coalesce(@extschema@.benefit_category(@extschema@.code_at(r.path, r.horizon_week), r.horizon_week), 'censored')
			END AS censored_reason
		FROM r
		ORDER BY r.course_id, r.horizon_months
	$q$, @extschema@._monitor_table(schema_name, 'course'),
		@extschema@._monitor_table(schema_name, 'observation_period'),
		@extschema@._monitor_table(schema_name, 'person_path'))
	USING as_of, profile, durable_weeks;
END
$$;
COMMENT ON FUNCTION course_status(text, date, text, integer) IS
'Two rows per course (horizon_months 6 and 12; horizon_week = week_monday(start_date) + 26 or 52 weeks): status self_supporting, on_benefit or censored (censored_reason: no_observation_period, before_arrival, not_yet_observed, the observation period''s end_reason, or the category of a censoring code), durable = self-supporting in each of the durable_weeks weeks up to the horizon, benefit_group when on benefit, course_weeks and ended_early as seen on as_of (NULL = all data; courses starting after as_of are left out, weeks after it are not_yet_observed). NULL schema_name or profile: 22004.';

CREATE FUNCTION course_status_summary(schema_name text, as_of date DEFAULT NULL, min_cell integer DEFAULT 5,
	conf_level float8 DEFAULT 0.95, profile text DEFAULT 'strict', durable_weeks integer DEFAULT 13)
RETURNS TABLE (municipality integer, programme text, horizon_months integer, n_courses bigint,
	n_persons bigint, n_censored bigint, n_observed bigint, n_self_supporting bigint, estimate float8,
	conf_low float8, conf_high float8, n_durable bigint, durable_estimate float8, durable_conf_low float8,
	durable_conf_high float8, n_ended_early bigint, ended_early_share float8, suppressed boolean)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM @extschema@._course_status_check(schema_name, profile, durable_weeks);
	SELECT o.conf_level_used, o.min_cell_used INTO conf_level, min_cell
	FROM @extschema@._monitor_options('course_status_summary', conf_level, min_cell) o;
	RETURN QUERY EXECUTE format($q$
		WITH s AS (
			SELECT * FROM @extschema@.course_status($1, $2, $3, $4)
		), cells AS (
			SELECT p.municipality, p.programme, hm.m AS horizon_months,
				count(s.course_id) AS n_courses,
				count(DISTINCT s.person_id) FILTER (WHERE s.status <> 'censored') AS n_persons,
				count(*) FILTER (WHERE s.status = 'censored') AS n_censored,
				count(*) FILTER (WHERE s.status <> 'censored') AS n_observed,
				count(*) FILTER (WHERE s.self_supporting) AS n_self_supporting,
				count(s.durable) AS n_durable_known,
				count(*) FILTER (WHERE s.durable) AS n_durable,
				count(s.end_date) AS n_ended,
				count(*) FILTER (WHERE s.ended_early) AS n_ended_early
			FROM %1$s p
			CROSS JOIN (VALUES (6), (12)) hm(m)
			LEFT JOIN s ON s.municipality = p.municipality AND s.programme = p.programme
				AND s.horizon_months = hm.m
			GROUP BY p.municipality, p.programme, hm.m
		)
		SELECT c.municipality, c.programme, c.horizon_months,
			CASE WHEN NOT sup THEN c.n_courses END, CASE WHEN NOT sup THEN c.n_persons END,
			CASE WHEN NOT sup THEN c.n_censored END, CASE WHEN NOT sup THEN c.n_observed END,
			CASE WHEN NOT sup THEN c.n_self_supporting END,
			CASE WHEN NOT sup THEN w.estimate END, CASE WHEN NOT sup THEN w.conf_low END,
			CASE WHEN NOT sup THEN w.conf_high END,
			CASE WHEN NOT sup THEN c.n_durable END,
			CASE WHEN NOT sup THEN d.estimate END, CASE WHEN NOT sup THEN d.conf_low END,
			CASE WHEN NOT sup THEN d.conf_high END,
			CASE WHEN NOT sup THEN c.n_ended_early END,
			CASE WHEN NOT sup AND c.n_ended > 0 THEN c.n_ended_early::float8 / c.n_ended END,
			sup
		FROM cells c
		CROSS JOIN LATERAL (SELECT c.n_persons < $5 AS sup) x
		CROSS JOIN LATERAL @extschema@.wilson_interval(c.n_self_supporting, c.n_observed, $6) w
		CROSS JOIN LATERAL @extschema@.wilson_interval(c.n_durable, c.n_durable_known, $6) d
		ORDER BY c.municipality, c.programme, c.horizon_months
	$q$, @extschema@._monitor_table(schema_name, 'programme'))
	USING schema_name, as_of, profile, durable_weeks, min_cell, conf_level;
END
$$;
COMMENT ON FUNCTION course_status_summary(text, date, integer, float8, text, integer) IS
'One row per programme (municipality, programme) and horizon (6, 12 months): courses, persons with a course observed at the horizon (n_persons), censored and observed courses, the share self-supporting among observed courses and the share durably self-supporting among those whose durable_weeks window is decided, each with its Wilson interval at conf_level, and courses ended early among ended courses. Cells with n_persons < min_cell: counts, shares and intervals NULL, suppressed = true (the row stays). NULL min_cell or conf_level: the default; min_cell < 1 or conf_level outside (0, 1): 22023.';

CREATE FUNCTION course_indicator_states(schema_name text, as_of date DEFAULT NULL, profile text DEFAULT 'strict',
	durable_weeks integer DEFAULT 13)
RETURNS TABLE (municipality integer, programme text, indicator text, state @extschema@.indicator_state)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM @extschema@._course_status_check(schema_name, profile, durable_weeks);
	RETURN QUERY EXECUTE format($q$
		WITH s AS (
			SELECT * FROM @extschema@.course_status($1, $2, $3, $4)
		), g AS (
			SELECT p.municipality, p.programme,
				@extschema@.indicator_state(s.self_supporting) FILTER (WHERE s.horizon_months = 6) AS ss6,
				@extschema@.indicator_state(s.self_supporting) FILTER (WHERE s.horizon_months = 12) AS ss12,
				@extschema@.indicator_state(s.durable) FILTER (WHERE s.horizon_months = 6) AS d6,
				@extschema@.indicator_state(s.durable) FILTER (WHERE s.horizon_months = 12) AS d12,
				@extschema@.indicator_state(s.ended_early)
					FILTER (WHERE s.horizon_months = 6 AND s.end_date IS NOT NULL) AS ee
			FROM %1$s p
			LEFT JOIN s ON s.municipality = p.municipality AND s.programme = p.programme
			GROUP BY p.municipality, p.programme
		)
		SELECT g.municipality, g.programme, v.indicator, v.state
		FROM g CROSS JOIN LATERAL (VALUES ('selfsupporting_6m', g.ss6), ('selfsupporting_12m', g.ss12),
			('durable_6m', g.d6), ('durable_12m', g.d12), ('ended_early', g.ee)) v(indicator, state)
		ORDER BY g.municipality, g.programme, v.indicator
	$q$, @extschema@._monitor_table(schema_name, 'programme'))
	USING schema_name, as_of, profile, durable_weeks;
END
$$;
COMMENT ON FUNCTION course_indicator_states(text, date, text, integer) IS
'Per programme (municipality, programme) five proportion states: selfsupporting_6m, selfsupporting_12m (courses observed at the horizon), durable_6m, durable_12m (courses whose durable window is decided) and ended_early (ended courses); a programme without courses gets states with n = 0. Arguments as course_status.';
