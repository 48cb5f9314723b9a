-- Goals against results, batches of nightly extracts, and frozen
-- measurements (docs/monitoring.md section 4, docs/methods.md "Goals").
--
-- A batch is one extract date: monitor_refresh stores the indicator states
-- of the extract in monitor_state (a rerun replaces the batch) and freezes
-- every goal measurement point the extract has reached into monitor_frozen,
-- which is never updated afterwards: a later register revision cannot change
-- a published baseline silently; frozen_vs_recomputed shows the revision.
--
-- New in 0.3.0: part of the install script and of the upgrade script.

-- The indicators a goal may name: the course indicators of
-- course_indicator_states and the progression change; which direction is
-- good decides a verdict.
CREATE FUNCTION _monitor_indicators()
RETURNS TABLE (indicator text, kind text, lower_is_better boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	VALUES ('selfsupporting_6m'::text, 'proportion'::text, false),
	       ('selfsupporting_12m', 'proportion', false),
	       ('durable_6m', 'proportion', false),
	       ('durable_12m', 'proportion', false),
	       ('ended_early', 'proportion', true),
	       ('progression_change', 'mean', false)
$$;
COMMENT ON FUNCTION _monitor_indicators() IS
'Internal: the indicators a goal may name, their state kind, and whether a lower value is better (ended_early).';

-- The date of a measurement point: baseline = the programme's start_date,
-- final = its end_date, midterm = the midpoint start + (end - start) / 2
-- (whole days, rounded down), otherwise the literal date YYYY-MM-DD. NULL
-- when the programme has no end_date yet (midterm, final).
CREATE FUNCTION _goal_measured_on(measured_at text, start_date date, end_date date)
RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d date;
BEGIN
	IF measured_at IS NULL THEN
		RAISE EXCEPTION 'measured_at must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Use baseline, midterm, final or a date YYYY-MM-DD.';
	END IF;
	CASE measured_at
	WHEN 'baseline' THEN RETURN start_date;
	WHEN 'final' THEN RETURN end_date;
	WHEN 'midterm' THEN RETURN start_date + (end_date - start_date) / 2;
	ELSE
		IF measured_at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
			RAISE EXCEPTION 'measured_at ''%'' is neither baseline, midterm, final nor a date YYYY-MM-DD', measured_at
				USING ERRCODE = 'invalid_datetime_format',
				      HINT = 'Use baseline (programme start), midterm (its midpoint), final (programme end) or a date such as 2025-06-30.';
		END IF;
		BEGIN
			d := to_date(measured_at, 'YYYY-MM-DD');
			-- to_date accepts 2025-02-30 as 2025-03-02: insist on the same text
			IF to_char(d, 'YYYY-MM-DD') <> measured_at THEN
				RAISE EXCEPTION USING ERRCODE = 'datetime_field_overflow';
			END IF;
		EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
			RAISE EXCEPTION 'measured_at ''%'' is not a valid date', measured_at
				USING ERRCODE = 'datetime_field_overflow',
				      HINT = 'Correct the date (YYYY-MM-DD) in the goal table.';
		END;
		RETURN d;
	END CASE;
END
$$;
COMMENT ON FUNCTION _goal_measured_on(text, date, date) IS
'Internal: the date of a measurement point: baseline = programme start, final = programme end, midterm = start + (end - start) / 2 days (rounded down), or the literal date YYYY-MM-DD; NULL when the programme has no end yet. Other text: 22007; impossible date: 22008.';

-- The verdict of one goal from the interval of its measured value.
CREATE FUNCTION _goal_verdict(indicator text, target float8, conf_low float8, conf_high float8)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN conf_low IS NULL OR conf_high IS NULL OR target IS NULL THEN 'cannot_tell'
		WHEN indicator = 'ended_early' THEN
			CASE WHEN conf_high < target THEN 'met' WHEN conf_low > target THEN 'not_met' ELSE 'cannot_tell' END
		ELSE
			CASE WHEN conf_low > target THEN 'met' WHEN conf_high < target THEN 'not_met' ELSE 'cannot_tell' END
	END
$$;
COMMENT ON FUNCTION _goal_verdict(text, float8, float8, float8) IS
'Internal: met when the interval lies wholly on the good side of the target (above it; below it for ended_early), not_met when wholly on the other side, cannot_tell when it contains the target or is unknown.';

-- Whether two values differ beyond rounding.
CREATE FUNCTION _monitor_differs(a float8, b float8)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS DISTINCT FROM b
	            ELSE abs(a - b) > 1e-12 * greatest(1.0, abs(a), abs(b)) END
$$;
COMMENT ON FUNCTION _monitor_differs(float8, float8) IS
'Internal: whether two values differ by more than 1e-12 relative (NULL differs from a number).';

-- The goals of a schema with their measurement dates, after checking every
-- row: an unknown indicator, a bad measured_at or a goal without its
-- programme is an error naming the row, never a goal left out.
CREATE FUNCTION _goal_points(schema_name text)
RETURNS TABLE (municipality integer, programme text, indicator text, target float8,
               measured_at text, measured_on date)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	g text := @extschema@._monitor_table(schema_name, 'goal');
	p text := @extschema@._monitor_table(schema_name, 'programme');
	allowed text[] := ARRAY(SELECT i.indicator FROM @extschema@._monitor_indicators() i);
	bad record;
BEGIN
	EXECUTE format('SELECT g.municipality, g.programme, g.indicator, count(*) OVER () AS n_bad '
		'FROM %s g WHERE g.indicator IS NULL OR g.indicator <> ALL ($1) '
		'ORDER BY g.municipality, g.programme, g.indicator LIMIT 1', g)
		INTO bad USING allowed;
	IF bad.n_bad IS NOT NULL THEN
		RAISE EXCEPTION '%', format('goal of municipality %s programme %s names unknown indicator %s%s',
			bad.municipality, quote_literal(bad.programme), coalesce(quote_literal(bad.indicator), 'NULL'),
			CASE WHEN bad.n_bad > 1 THEN format(' (and %s more goal rows with unknown indicators)', bad.n_bad - 1) ELSE '' END)
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = format('Allowed indicators: %s. Correct or delete the goal rows in %s.',
			                    array_to_string(allowed, ', '), g);
	END IF;
	EXECUTE format('SELECT g.municipality, g.programme, g.indicator FROM %s g '
		'WHERE NOT EXISTS (SELECT 1 FROM %s p WHERE p.municipality = g.municipality AND p.programme = g.programme) '
		'ORDER BY 1, 2, 3 LIMIT 1', g, p) INTO bad;
	IF bad.municipality IS NOT NULL OR bad.programme IS NOT NULL THEN
		RAISE EXCEPTION 'goal of municipality % programme % (indicator %) has no row in %',
			bad.municipality, quote_literal(bad.programme), quote_literal(bad.indicator), p
			USING ERRCODE = 'foreign_key_violation',
			      HINT = 'Add the programme with its start_date and end_date, or delete the goal.';
	END IF;
	RETURN QUERY EXECUTE format('SELECT g.municipality, g.programme, g.indicator, g.target::float8, g.measured_at, '
		'@extschema@._goal_measured_on(g.measured_at, p.start_date, p.end_date) '
		'FROM %s g JOIN %s p ON p.municipality = g.municipality AND p.programme = g.programme '
		'ORDER BY 1, 2, 3, 5', g, p);
END
$$;
COMMENT ON FUNCTION _goal_points(text) IS
'Internal: the goals of the schema with the date of each measurement point; an unknown indicator (22023, listing the allowed ones), a bad measured_at (22007/22008) or a goal without its programme (23503) is an error.';

-- The indicator states as of several dates at once (a NULL date = all data),
-- from one pass of course_status over all data: a course's status at its
-- horizon week does not depend on as_of once that week is reached, so as of
-- a date d a course counts when it started by d, its horizon week is not after
-- the week of d, and it ended (for ended_early) on or before d -- exactly what
-- course_status(schema_name, d) and course_indicator_states show (the test
-- monitor_goals compares them), without one pass per date.
CREATE FUNCTION _monitor_states_at(schema_name text, dates date[])
RETURNS TABLE (as_of date, municipality integer, programme text, indicator text,
               state @extschema@.indicator_state, n_persons bigint)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the schema that holds the monitoring tables (docs/monitoring.md).';
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(dates) u(d) WHERE NOT isfinite(u.d)) THEN
		RAISE EXCEPTION 'as_of must be a finite date or NULL'
			USING ERRCODE = 'datetime_field_overflow', HINT = 'NULL means all data.';
	END IF;
	-- the course indicators, each with the distinct persons behind the
	-- courses it counts (min_cell is about persons; a person may have
	-- several courses)
	RETURN QUERY EXECUTE format($q$
		WITH d AS (SELECT u.d, row_number() OVER () AS k FROM (SELECT DISTINCT v.d FROM unnest($2::date[]) v(d)) u),
		s AS MATERIALIZED (SELECT * FROM @extschema@.course_status($1)),
		x AS (
			SELECT d.k, s.municipality, s.programme, s.person_id, s.horizon_months,
				CASE WHEN d.d IS NULL OR s.horizon_week <= @extschema@.week_monday(d.d) THEN s.self_supporting END AS ss,
				CASE WHEN d.d IS NULL OR s.horizon_week <= @extschema@.week_monday(d.d) THEN s.durable END AS du,
				s.horizon_months = 6 AND s.end_date IS NOT NULL AND (d.d IS NULL OR s.end_date <= d.d) AS ended,
				s.ended_early
			FROM d JOIN s ON d.d IS NULL OR s.start_date <= d.d),
		a AS (
			SELECT x.k, x.municipality, x.programme,
				@extschema@.indicator_state(x.ss) FILTER (WHERE x.horizon_months = 6) AS ss6,
				count(DISTINCT x.person_id) FILTER (WHERE x.horizon_months = 6 AND x.ss IS NOT NULL) AS pss6,
				@extschema@.indicator_state(x.ss) FILTER (WHERE x.horizon_months = 12) AS ss12,
				count(DISTINCT x.person_id) FILTER (WHERE x.horizon_months = 12 AND x.ss IS NOT NULL) AS pss12,
				@extschema@.indicator_state(x.du) FILTER (WHERE x.horizon_months = 6) AS du6,
				count(DISTINCT x.person_id) FILTER (WHERE x.horizon_months = 6 AND x.du IS NOT NULL) AS pdu6,
				@extschema@.indicator_state(x.du) FILTER (WHERE x.horizon_months = 12) AS du12,
				count(DISTINCT x.person_id) FILTER (WHERE x.horizon_months = 12 AND x.du IS NOT NULL) AS pdu12,
				@extschema@.indicator_state(x.ended_early) FILTER (WHERE x.ended) AS ee,
				count(DISTINCT x.person_id) FILTER (WHERE x.ended) AS pee
			FROM x GROUP BY x.k, x.municipality, x.programme),
		-- every programme has its five states, n = 0 without courses
		e AS (SELECT @extschema@.indicator_state(NULL::boolean) AS empty),
		g AS (
			SELECT d.d, p.municipality, p.programme,
				coalesce(a.ss6, e.empty) AS ss6, coalesce(a.pss6, 0) AS pss6,
				coalesce(a.ss12, e.empty) AS ss12, coalesce(a.pss12, 0) AS pss12,
				coalesce(a.du6, e.empty) AS du6, coalesce(a.pdu6, 0) AS pdu6,
				coalesce(a.du12, e.empty) AS du12, coalesce(a.pdu12, 0) AS pdu12,
				coalesce(a.ee, e.empty) AS ee, coalesce(a.pee, 0) AS pee
			FROM d CROSS JOIN %1$s p CROSS JOIN e
			LEFT JOIN a ON a.k = d.k AND a.municipality = p.municipality AND a.programme = p.programme)
		SELECT g.d, g.municipality, g.programme, v.indicator, v.state, v.n_persons
		FROM g CROSS JOIN LATERAL (VALUES
			('selfsupporting_6m'::text, g.ss6, g.pss6), ('selfsupporting_12m', g.ss12, g.pss12),
			('durable_6m', g.du6, g.pdu6), ('durable_12m', g.du12, g.pdu12),
			('ended_early', g.ee, g.pee)) v(indicator, state, n_persons) $q$,
		@extschema@._monitor_table(schema_name, 'programme'))
		USING schema_name, dates;
	-- progression_change: per person, the mean score over the items of the
	-- last measurement on or before the date minus that of the first
	-- (persons with at least two by then), in the person's course by
	-- _progression_course's rule (as progression_trajectory)
	RETURN QUERY EXECUTE format($q$
		WITH d AS (SELECT DISTINCT u.d FROM unnest($1::date[]) u(d)),
		m AS (
			SELECT s.person_id, s.measured_on, avg(s.score)::float8 AS mean_score
			FROM %1$s s GROUP BY s.person_id, s.measured_on),
		r AS (
			SELECT m.person_id, m.measured_on, m.mean_score,
				row_number() OVER w AS k, lead(m.measured_on) OVER w AS next_on,
				first_value(m.mean_score) OVER w AS first_mean, first_value(m.measured_on) OVER w AS first_on
			FROM m WINDOW w AS (PARTITION BY m.person_id ORDER BY m.measured_on)),
		pc AS (
			SELECT c.person_id, c.municipality, c.programme
			FROM @extschema@._progression_course($2) c
			WHERE c.course_id IS NOT NULL),
		ch AS (
			SELECT d.d, r.person_id, r.mean_score - r.first_mean AS change
			FROM d JOIN r ON CASE WHEN d.d IS NULL THEN r.next_on IS NULL
				ELSE r.measured_on <= d.d AND (r.next_on IS NULL OR r.next_on > d.d) END
			WHERE r.k >= 2)
		SELECT ch.d, pc.municipality, pc.programme, 'progression_change'::text,
			@extschema@.indicator_state(ch.change), count(*)
		FROM ch JOIN pc ON pc.person_id = ch.person_id
		GROUP BY ch.d, pc.municipality, pc.programme $q$,
		@extschema@._monitor_table(schema_name, 'progression_score')) USING dates, schema_name;
END
$$;
COMMENT ON FUNCTION _monitor_states_at(text, date[]) IS
'Internal: monitor_indicator_states as of each of several dates (NULL = all data) from one pass of course_status: as_of, municipality, programme, indicator, state, n_persons.';

CREATE FUNCTION monitor_indicator_states(schema_name text, as_of date DEFAULT NULL)
RETURNS TABLE (municipality integer, programme text, indicator text, state @extschema@.indicator_state,
               n_persons bigint)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
	SELECT s.municipality, s.programme, s.indicator, s.state, s.n_persons
	FROM @extschema@._monitor_states_at(schema_name, ARRAY[as_of]) s
	ORDER BY 1, 2, 3
$$;
COMMENT ON FUNCTION monitor_indicator_states(text, date) IS
'The indicator states per municipality and programme as of a date (NULL = all data), with the distinct persons behind each (n_persons, the cell size): the course indicators of course_indicator_states (selfsupporting_6m, selfsupporting_12m, durable_6m, durable_12m, ended_early; n = 0 for a programme without such courses) and progression_change (kind mean: per person the mean item score of the last measurement up to as_of minus the first, persons with at least two, placed in the course with the latest start on or before the first measurement, else the earliest). What monitor_refresh stores. NULL schema_name: 22004; infinite as_of: 22008.';

-- Freezes goal measurement points reached by extract_date that are not
-- frozen yet (only those of one measured_at when given); the states are
-- computed as of each point's date from the tables as they are now.
-- explicit: the call of monitor_freeze, where a point frozen already is an
-- error. The caller holds the schema's advisory lock.
CREATE FUNCTION _goal_freeze(schema_name text, only_measured_at text, extract_date date, explicit boolean)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	fr text := @extschema@._monitor_table(schema_name, 'monitor_frozen');
	-- the goal points (of one measured_at), each marked when frozen already
	points text := format('SELECT g.*, EXISTS (SELECT 1 FROM %s f WHERE f.municipality = g.municipality '
		'AND f.programme = g.programme AND f.indicator = g.indicator AND f.measured_at = g.measured_at) AS already '
		'FROM @extschema@._goal_points($1) g WHERE $2::text IS NULL OR g.measured_at = $2::text', fr);
	chk record;
	n_frozen bigint;
BEGIN
	IF explicit THEN
		EXECUTE format('SELECT p.municipality, p.programme, p.indicator, count(*) OVER () AS n '
			'FROM (%s) p WHERE p.already ORDER BY 1, 2, 3 LIMIT 1', points)
			INTO chk USING schema_name, only_measured_at;
		IF chk.n IS NOT NULL THEN
			RAISE EXCEPTION 'measured_at % is frozen already for % goal(s), first municipality % programme % indicator %',
				quote_literal(only_measured_at), chk.n, chk.municipality, quote_literal(chk.programme),
				quote_literal(chk.indicator)
				USING ERRCODE = 'unique_violation',
				      HINT = format('A frozen measurement is never overwritten. To freeze it again, delete it deliberately first: DELETE FROM %s WHERE measured_at = %L;',
				                    fr, only_measured_at);
		END IF;
		EXECUTE format('SELECT count(*) AS n_goals, '
			'count(*) FILTER (WHERE p.measured_on IS NULL OR p.measured_on > $3) AS n_later FROM (%s) p', points)
			INTO chk USING schema_name, only_measured_at, extract_date;
		IF chk.n_goals = chk.n_later THEN
			RAISE EXCEPTION 'no goal with measured_at % has its measurement date on or before extract_date %',
				quote_literal(only_measured_at), extract_date
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = 'A point is frozen once its date is reached (midterm and final need the programme''s end_date); check the goal table, the programme dates and extract_date.';
		ELSIF chk.n_later > 0 THEN
			RAISE NOTICE '% goal(s) with measured_at % not frozen: their date is after % or not known yet',
				chk.n_later, quote_literal(only_measured_at), extract_date;
		END IF;
	END IF;
	EXECUTE format($q$
		WITH g AS (
			SELECT p.* FROM (%s) p
			WHERE NOT p.already AND p.measured_on IS NOT NULL AND p.measured_on <= $3),
		s AS (
			SELECT s.as_of AS measured_on, s.municipality, s.programme, s.indicator, s.state, s.n_persons
			FROM @extschema@._monitor_states_at($1, ARRAY(SELECT DISTINCT g.measured_on FROM g)) s)
		INSERT INTO %s (municipality, programme, indicator, measured_at, measured_on, extract_date, frozen_at,
			state, n_persons)
		SELECT g.municipality, g.programme, g.indicator, g.measured_at, g.measured_on, $3, now(),
			s.state, coalesce(s.n_persons, 0)
		FROM g LEFT JOIN s ON s.measured_on = g.measured_on AND s.municipality = g.municipality
			AND s.programme = g.programme AND s.indicator = g.indicator $q$, points, fr)
		USING schema_name, only_measured_at, extract_date;
	GET DIAGNOSTICS n_frozen = ROW_COUNT;
	RETURN n_frozen;
END
$$;
COMMENT ON FUNCTION _goal_freeze(text, text, date, boolean) IS
'Internal: freezes the goal measurement points reached by extract_date and not frozen yet (states as of each point''s date); with explicit = true a point frozen already is an error (23505).';

CREATE FUNCTION monitor_refresh(schema_name text, extract_date date, note text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	b text;
	st text;
	n_state bigint;
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the schema that holds the monitoring tables (docs/monitoring.md).';
	END IF;
	IF extract_date IS NULL THEN
		RAISE EXCEPTION 'extract_date must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the date of the extract whose data the tables hold, e.g. ''2025-03-31''.';
	END IF;
	b := @extschema@._monitor_table(schema_name, 'monitor_batch');
	st := @extschema@._monitor_table(schema_name, 'monitor_state');
	-- one refresh or freeze of a schema at a time (docs/loader.md, locks);
	-- a second call waits here and then replaces what the first wrote
	PERFORM pg_advisory_xact_lock(7420301, hashtext(quote_ident(schema_name)));
	-- an unknown indicator stops the refresh before anything is written
	PERFORM FROM @extschema@._goal_points(schema_name);
	EXECUTE format('DELETE FROM %s WHERE extract_date = $1', b) USING extract_date;
	EXECUTE format('INSERT INTO %s (extract_date, loaded_at, n_persons, note) SELECT $1, now(), count(*), $2 FROM %s',
		b, @extschema@._monitor_table(schema_name, 'person')) USING extract_date, note;
	EXECUTE format('INSERT INTO %s (extract_date, municipality, programme, indicator, state, n_persons) '
		'SELECT $1, s.municipality, s.programme, s.indicator, s.state, s.n_persons '
		'FROM @extschema@.monitor_indicator_states($2, $1) s', st)
		USING extract_date, schema_name;
	GET DIAGNOSTICS n_state = ROW_COUNT;
	RETURN n_state + @extschema@._goal_freeze(schema_name, NULL, extract_date, false);
END
$$;
COMMENT ON FUNCTION monitor_refresh(text, date, text) IS
'Stores one extract as a batch: replaces the monitor_batch row of extract_date and its monitor_state rows (the indicator states as of extract_date; a rerun replaces, never doubles) and freezes into monitor_frozen every goal measurement point whose date is on or before extract_date and is not frozen yet (states as of the point''s date; frozen rows are never overwritten). Returns the rows written (states + newly frozen points). Serialised per schema by pg_advisory_xact_lock(7420301, hashtext(quote_ident(schema_name))). NULL arguments: 22004 (note may be NULL).';

CREATE FUNCTION monitor_freeze(schema_name text, measured_at text, extract_date date)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the schema that holds the monitoring tables (docs/monitoring.md).';
	END IF;
	IF extract_date IS NULL THEN
		RAISE EXCEPTION 'extract_date must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the date of the extract the tables hold now; points dated after it are not frozen.';
	END IF;
	-- the form of measured_at (the dates do not matter here)
	PERFORM @extschema@._goal_measured_on(measured_at, NULL, NULL);
	PERFORM @extschema@._monitor_table(schema_name, 'monitor_frozen');
	PERFORM pg_advisory_xact_lock(7420301, hashtext(quote_ident(schema_name)));
	RETURN @extschema@._goal_freeze(schema_name, measured_at, extract_date, true);
END
$$;
COMMENT ON FUNCTION monitor_freeze(text, text, date) IS
'Freezes now the goal measurement points named by measured_at (baseline, midterm, final or a date) whose date is on or before extract_date: their states as of the point''s date, from the tables as they are, into monitor_frozen. A point frozen already is an error (23505; the hint shows the deliberate DELETE that unfreezes it); no point reached: 22023; points not reached yet are left for later with a NOTICE. Returns the rows frozen. Same advisory lock as monitor_refresh.';

CREATE FUNCTION goal_results(schema_name text, as_of date DEFAULT NULL, conf_level float8 DEFAULT 0.95,
                             min_cell integer DEFAULT 5)
RETURNS TABLE (municipality integer, programme text, indicator text, measured_at text, measured_on date,
               target float8, estimate float8, conf_low float8, conf_high float8, n bigint,
               verdict text, frozen boolean)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cl float8;
	mc integer;
	data_end date := as_of;
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the schema that holds the monitoring tables (docs/monitoring.md).';
	END IF;
	SELECT o.conf_level_used, o.min_cell_used INTO cl, mc
	FROM @extschema@._monitor_options('goal_results', conf_level, min_cell) o;
	IF as_of IS NULL THEN
		-- all data: up to the end of the last observed week
		EXECUTE format('SELECT @extschema@.week_monday(max(o.observed_to)) + 6 FROM %s o',
			@extschema@._monitor_table(schema_name, 'observation_period')) INTO data_end;
	END IF;
	RETURN QUERY EXECUTE format($q$
		WITH g AS (
			SELECT g.*, f.measured_at IS NOT NULL AS is_frozen, f.state AS frozen_state,
				f.n_persons AS frozen_persons, coalesce(f.measured_on, g.measured_on) AS point_on
			FROM @extschema@._goal_points($1) g
			LEFT JOIN %s f ON f.municipality = g.municipality AND f.programme = g.programme
				AND f.indicator = g.indicator AND f.measured_at = g.measured_at),
		r AS (
			SELECT g.*, g.point_on IS NOT NULL
				AND (coalesce(g.point_on <= $2, false) OR ($3::date IS NULL AND g.is_frozen)) AS reached
			FROM g),
		s AS (
			SELECT s.as_of AS point_on, s.municipality, s.programme, s.indicator, s.state, s.n_persons
			FROM @extschema@._monitor_states_at($1,
				ARRAY(SELECT DISTINCT r.point_on FROM r WHERE r.reached AND NOT r.is_frozen)) s),
		v AS (
			SELECT r.*, i.estimate, i.conf_low, i.conf_high, coalesce(i.n, 0) AS n,
				coalesce(CASE WHEN r.is_frozen THEN r.frozen_persons ELSE s.n_persons END, 0) AS persons
			FROM r
			LEFT JOIN s ON NOT r.is_frozen AND s.point_on = r.point_on AND s.municipality = r.municipality
				AND s.programme = r.programme AND s.indicator = r.indicator
			LEFT JOIN LATERAL @extschema@.indicator_interval(
				CASE WHEN r.is_frozen THEN r.frozen_state ELSE s.state END, $4) i ON r.reached)
		SELECT v.municipality, v.programme, v.indicator, v.measured_at, v.point_on, v.target,
			CASE WHEN v.reached AND v.persons >= $5 THEN v.estimate END,
			CASE WHEN v.reached AND v.persons >= $5 THEN v.conf_low END,
			CASE WHEN v.reached AND v.persons >= $5 THEN v.conf_high END,
			CASE WHEN v.reached AND v.persons >= $5 THEN v.n END,
			CASE WHEN NOT v.reached THEN 'not_yet'
			     WHEN v.persons < $5 THEN 'suppressed'
			     ELSE @extschema@._goal_verdict(v.indicator, v.target, v.conf_low, v.conf_high) END,
			v.is_frozen
		FROM v
		ORDER BY 1, 2, 3, 5 NULLS LAST, 4 $q$,
		@extschema@._monitor_table(schema_name, 'monitor_frozen'))
		USING schema_name, data_end, as_of, cl, mc;
END
$$;
COMMENT ON FUNCTION goal_results(text, date, float8, integer) IS
'Each goal with the measured value at its measurement point, its interval (Wilson for shares, Student t for progression_change), n and a verdict: met (interval wholly on the good side of the target: above it, below it for ended_early), not_met (wholly on the other side), cannot_tell (contains the target), not_yet (date after as_of, or not known yet), suppressed (fewer than min_cell persons behind the value: values NULL; n counts courses). Frozen points are read from monitor_frozen (frozen = true), others computed as of their date. as_of NULL = up to the last observed week; conf_level NULL = 0.95, min_cell NULL = 5.';

CREATE FUNCTION frozen_vs_recomputed(schema_name text, conf_level float8 DEFAULT 0.95, min_cell integer DEFAULT 5)
RETURNS TABLE (municipality integer, programme text, indicator text, measured_at text, measured_on date,
               extract_date date, frozen_estimate float8, recomputed_estimate float8, difference float8,
               frozen_n bigint, recomputed_n bigint, changed boolean,
               frozen_conf_low float8, frozen_conf_high float8,
               recomputed_conf_low float8, recomputed_conf_high float8, suppressed boolean)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cl float8;
	mc integer;
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass the schema that holds the monitoring tables (docs/monitoring.md).';
	END IF;
	SELECT o.conf_level_used, o.min_cell_used INTO cl, mc
	FROM @extschema@._monitor_options('frozen_vs_recomputed', conf_level, min_cell) o;
	RETURN QUERY EXECUTE format($q$
		WITH f AS (SELECT f.* FROM %s f),
		s AS (
			SELECT s.as_of AS measured_on, s.municipality, s.programme, s.indicator, s.state, s.n_persons
			FROM @extschema@._monitor_states_at($1, ARRAY(SELECT DISTINCT f.measured_on FROM f)) s),
		v AS (
			SELECT f.municipality, f.programme, f.indicator, f.measured_at, f.measured_on, f.extract_date,
				coalesce(f.n_persons, 0) AS fp, coalesce(s.n_persons, 0) AS rp,
				fi.estimate AS fe, ri.estimate AS re, coalesce(fi.n, 0) AS fn, coalesce(ri.n, 0) AS rn,
				fi.std_error AS fs, ri.std_error AS rs,
				fi.conf_low AS fl, fi.conf_high AS fh, ri.conf_low AS rl, ri.conf_high AS rh
			FROM f
			LEFT JOIN s ON s.measured_on = f.measured_on AND s.municipality = f.municipality
				AND s.programme = f.programme AND s.indicator = f.indicator
			LEFT JOIN LATERAL @extschema@.indicator_interval(f.state, $2) fi ON true
			LEFT JOIN LATERAL @extschema@.indicator_interval(s.state, $2) ri ON true),
		w AS (
			SELECT v.*, least(v.fp, v.rp) < $3 AS supp,
				v.fn <> v.rn
				OR @extschema@._monitor_differs(v.fe, v.re)
				OR @extschema@._monitor_differs(v.fs, v.rs) AS chg
			FROM v)
		SELECT w.municipality, w.programme, w.indicator, w.measured_at, w.measured_on, w.extract_date,
			CASE WHEN NOT w.supp THEN w.fe END, CASE WHEN NOT w.supp THEN w.re END,
			CASE WHEN NOT w.supp THEN w.re - w.fe END,
			CASE WHEN NOT w.supp THEN w.fn END, CASE WHEN NOT w.supp THEN w.rn END,
			w.chg,
			CASE WHEN NOT w.supp THEN w.fl END, CASE WHEN NOT w.supp THEN w.fh END,
			CASE WHEN NOT w.supp THEN w.rl END, CASE WHEN NOT w.supp THEN w.rh END,
			w.supp
		FROM w
		ORDER BY 1, 2, 3, 5, 4 $q$,
		@extschema@._monitor_table(schema_name, 'monitor_frozen'))
		USING schema_name, cl, mc;
END
$$;
COMMENT ON FUNCTION frozen_vs_recomputed(text, float8, integer) IS
'Every frozen measurement beside the same measurement recomputed as of its date from the tables as they are now: estimates, difference (recomputed - frozen), n, intervals, and changed = true when n, the estimate or its standard error differ (beyond 1e-12 relative, the rounding of a different summation order). suppressed (fewer than min_cell persons, frozen or now) blanks the numbers, not the row or changed. conf_level NULL = 0.95, min_cell NULL = 5.';
