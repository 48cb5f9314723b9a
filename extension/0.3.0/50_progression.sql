-- Progression scores and effects per municipality (issue 14, items 6 and 7;
-- docs/monitoring.md sections 6 and 7, formulas in docs/methods.md).
--
-- progression_trajectory: every score with the person's course, measurement
-- number and weeks since the first measurement; progression_change: mean
-- change from the first to the last measurement per item and overall, with
-- a t interval; progression_did: the DiD of the person's mean score,
-- mentored vs not, through did_state/did_result; municipality_effects: DiD
-- of the self-sufficiency share around the course start per municipality
-- and pooled, through did_state/did_result clustered by person (CR1);
-- effect_heterogeneity: Cochran's Q, I² and DerSimonian-Laird tau² over the
-- per-municipality estimates (heterogeneity(), C in src/monitor_stats.c over
-- src/math/heterogeneity.c).
--
-- New in 0.3.0: part of the install script and, as is, of the upgrade
-- script from 0.2.0 (see the Makefile).

CREATE FUNCTION heterogeneity(estimates float8[], std_errors float8[])
RETURNS TABLE (q float8, df integer, p_value float8, i_squared float8, tau_squared float8,
	n_estimates bigint, fixed_estimate float8, fixed_std_error float8,
	random_estimate float8, random_std_error float8)
AS 'MODULE_PATHNAME', 'si_heterogeneity_sql'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION heterogeneity(float8[], float8[]) IS
'Meta-analysis of independent estimates with their standard errors (one row): Cochran''s Q with inverse-variance weights, df = k - 1, p-value from the chi-square distribution, I² = max(0, (Q - df)/Q), DerSimonian-Laird tau², and the fixed-effect (inverse-variance) and random-effects (DerSimonian-Laird) pooled estimates with standard errors. Fewer than 2 estimates: the test columns are NULL. NULL arrays or elements, arrays of different length, non-finite estimates and standard errors not above 0 are errors.';

CREATE FUNCTION _t_quantile(p float8, df float8) RETURNS float8
AS 'MODULE_PATHNAME', 'si_t_quantile_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _t_quantile(float8, float8) IS
'Internal: the Student t quantile with df degrees of freedom at probability p (0 < p < 1, df > 0; df = Infinity gives the normal quantile).';

-- One rule decides which course a person's progression scores belong to;
-- progression_trajectory (and through it the progression functions) and
-- the progression_change indicator of monitor_indicator_states use it.
CREATE FUNCTION _progression_course(schema_name text)
RETURNS TABLE (person_id bigint, first_on date, course_id bigint, mentor_id bigint,
	municipality integer, programme text)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	-- the course with the latest start on or before the first measurement,
	-- else (every course starts later) the earliest; ties by course_id; a
	-- person without any course gets NULL course columns
	RETURN QUERY EXECUTE format($q$
		SELECT DISTINCT ON (f.person_id) f.person_id, f.first_on, c.course_id, c.mentor_id,
			c.municipality, c.programme::text
		FROM (SELECT s.person_id, min(s.measured_on) AS first_on FROM %1$s s GROUP BY s.person_id) f
		LEFT JOIN %2$s c ON c.person_id = f.person_id
		ORDER BY f.person_id, (c.start_date <= f.first_on) DESC NULLS LAST,
			CASE WHEN c.start_date <= f.first_on THEN c.start_date END DESC NULLS LAST,
			c.start_date, c.course_id$q$,
		@extschema@._monitor_table(schema_name, 'progression_score'),
		@extschema@._monitor_table(schema_name, 'course'));
END
$$;
COMMENT ON FUNCTION _progression_course(text) IS
'Internal: each scored person''s first measurement date and course (the latest start on or before the first measurement, else the earliest; ties by course_id; NULL course columns without a course).';

CREATE FUNCTION progression_trajectory(schema_name text)
RETURNS TABLE (person_id bigint, mentored boolean, municipality integer, programme text,
	item smallint, label_da text, label_en text, measured_on date, measurement_no integer,
	weeks_since_first integer, score float8)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t_score text := @extschema@._monitor_table(schema_name, 'progression_score');
	t_item text := @extschema@._monitor_table(schema_name, 'progression_item');
	t_course text := @extschema@._monitor_table(schema_name, 'course');	-- checked before any work
BEGIN
	-- A person's course: _progression_course's rule. A person without any
	-- course keeps the rows, with NULL mentored, municipality and programme.
	RETURN QUERY EXECUTE format($q$
		WITH d AS (
			SELECT x.person_id, x.measured_on,
				row_number() OVER (PARTITION BY x.person_id ORDER BY x.measured_on) AS no
			FROM (SELECT DISTINCT s.person_id, s.measured_on FROM %1$s s) x),
		pc AS (
			SELECT * FROM @extschema@._progression_course($1))
		SELECT s.person_id,
			CASE WHEN pc.course_id IS NULL THEN NULL ELSE pc.mentor_id IS NOT NULL END,
			pc.municipality, pc.programme::text, s.item, i.label_da::text, i.label_en::text,
			s.measured_on, d.no::integer,
			@extschema@.weeks_between(pc.first_on, s.measured_on), s.score::float8
		FROM %1$s s
		JOIN d ON d.person_id = s.person_id AND d.measured_on = s.measured_on
		JOIN pc ON pc.person_id = s.person_id
		LEFT JOIN %2$s i ON i.item = s.item
		ORDER BY s.person_id, s.measured_on, s.item$q$,
		t_score, t_item) USING schema_name;
END
$$;
COMMENT ON FUNCTION progression_trajectory(text) IS
'Every progression score of the schema''s register with the person''s course (the course with the latest start_date on or before the first measurement, else the earliest; mentored = that course has a mentor_id; NULL course columns for a person without a course), the item labels, the measurement number (1 = the first date the person was scored) and whole ISO weeks since the first measurement.';

CREATE FUNCTION progression_change(schema_name text, conf_level float8 DEFAULT 0.95,
	min_cell integer DEFAULT 5)
RETURNS TABLE (item smallint, label_en text, n_persons bigint, mean_first float8,
	mean_last float8, estimate float8, std_error float8, conf_low float8, conf_high float8,
	suppressed boolean)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cl float8;
	mc integer;
	t_item text;
BEGIN
	SELECT o.conf_level_used, o.min_cell_used INTO cl, mc
	FROM @extschema@._monitor_options('progression_change', conf_level, min_cell) o;
	t_item := @extschema@._monitor_table(schema_name, 'progression_item');
	-- per item: each person's first and last score of that item (persons
	-- scored on the item on at least two dates); overall (item NULL): each
	-- person's mean over the items scored at the first and at the last
	-- measurement (persons with at least two measurement dates)
	RETURN QUERY EXECUTE format($q$
		WITH t AS (
			SELECT t.person_id, t.item, t.measured_on, t.measurement_no, t.score,
				max(t.measurement_no) OVER (PARTITION BY t.person_id) AS last_no
			FROM @extschema@.progression_trajectory($1) t),
		per_item AS (
			SELECT t.item, t.person_id,
				(array_agg(t.score ORDER BY t.measured_on))[1] AS first_score,
				(array_agg(t.score ORDER BY t.measured_on DESC))[1] AS last_score
			FROM t GROUP BY t.item, t.person_id
			HAVING count(*) >= 2),
		per_person AS (
			SELECT NULL::smallint AS item, t.person_id,
				avg(t.score) FILTER (WHERE t.measurement_no = 1) AS first_score,
				avg(t.score) FILTER (WHERE t.measurement_no = t.last_no) AS last_score
			FROM t WHERE t.last_no >= 2 GROUP BY t.person_id),
		stats AS (
			SELECT d.item, count(*) AS n, avg(d.first_score) AS mf, avg(d.last_score) AS ml,
				avg(d.last_score - d.first_score) AS est,
				stddev_samp(d.last_score - d.first_score) / sqrt(count(*)::float8) AS se
			FROM (SELECT * FROM per_item UNION ALL SELECT * FROM per_person) d
			GROUP BY d.item),
		item_rows AS (
			SELECT i.item, i.label_en::text AS label_en, 0 AS ord FROM %1$s i
			UNION ALL SELECT NULL::smallint, 'Mean of the items', 1)
		SELECT r.item, r.label_en,
			CASE WHEN s.sup THEN NULL ELSE coalesce(s.n, 0) END,
			CASE WHEN s.sup THEN NULL ELSE s.mf END,
			CASE WHEN s.sup THEN NULL ELSE s.ml END,
			CASE WHEN s.sup THEN NULL ELSE s.est END,
			CASE WHEN s.sup THEN NULL ELSE s.se END,
			CASE WHEN s.sup OR s.se IS NULL THEN NULL
				ELSE s.est - @extschema@._t_quantile((1 + $2) / 2, s.n - 1) * s.se END,
			CASE WHEN s.sup OR s.se IS NULL THEN NULL
				ELSE s.est + @extschema@._t_quantile((1 + $2) / 2, s.n - 1) * s.se END,
			s.sup
		FROM item_rows r
		CROSS JOIN LATERAL (
			SELECT st.n, st.mf, st.ml, st.est, st.se, coalesce(st.n, 0) < $3 AS sup
			FROM (SELECT 1) one LEFT JOIN stats st ON st.item IS NOT DISTINCT FROM r.item) s
		ORDER BY r.ord, r.item$q$, t_item)
	USING schema_name, cl, mc;
END
$$;
COMMENT ON FUNCTION progression_change(text, float8, integer) IS
'Mean change of the progression score from the first to the last measurement, per item (persons scored on that item on at least two dates: last minus first score of the item) and overall (item NULL: persons with at least two measurement dates, the mean over the items scored at the last minus that at the first measurement), with the mean first and last scores, the standard error of the mean change and a Student t interval at conf_level (n - 1 df). One row per item of progression_item plus the overall row; rows with fewer than min_cell persons are suppressed (counts, means and interval NULL, suppressed true). NULL conf_level means 0.95, NULL min_cell 5.';

CREATE FUNCTION progression_did(schema_name text, conf_level float8 DEFAULT 0.95,
	min_cell integer DEFAULT 5)
RETURNS TABLE (estimate float8, std_error float8, conf_low float8, conf_high float8,
	p_value float8, df float8, variance text, n_treated bigint, n_control bigint,
	n_skipped bigint, mean_change_treated float8, mean_change_control float8,
	suppressed boolean)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cl float8;
	mc integer;
	st @extschema@.did_state;
	r @extschema@.did_result;
	nt bigint;
	nc bigint;
BEGIN
	SELECT o.conf_level_used, o.min_cell_used INTO cl, mc
	FROM @extschema@._monitor_options('progression_did', conf_level, min_cell) o;
	-- one row per scored person: pre = mean score over the items at the
	-- first measurement, post = at the last (NULL with one measurement,
	-- so did counts the person as skipped), treated = mentored (NULL
	-- without a course: skipped as well)
	SELECT @extschema@.did_state(p.pre, p.post, p.treated),
		count(*) FILTER (WHERE p.treated AND p.post IS NOT NULL),
		count(*) FILTER (WHERE NOT p.treated AND p.post IS NOT NULL)
	INTO st, nt, nc
	FROM (SELECT t.person_id,
			bool_and(t.mentored) AS treated,
			avg(t.score) FILTER (WHERE t.measurement_no = 1) AS pre,
			CASE WHEN max(t.measurement_no) >= 2 THEN
				avg(t.score) FILTER (WHERE t.measurement_no = t.last_no) END AS post
		FROM (SELECT t.*, max(t.measurement_no) OVER (PARTITION BY t.person_id) AS last_no
			FROM @extschema@.progression_trajectory(schema_name) t) t
		GROUP BY t.person_id) p;

	suppressed := nt < mc OR nc < mc;
	IF suppressed THEN
		RETURN NEXT;
		RETURN;
	END IF;
	IF nt > 0 AND nc > 0 THEN
		r := @extschema@.did_result(st, NULL, cl);
		estimate := r.estimate;
		std_error := r.std_error;
		conf_low := r.conf_low;
		conf_high := r.conf_high;
		p_value := r.p_value;
		df := r.df;
		variance := r.variance;
		mean_change_treated := r.mean_change_treated;
		mean_change_control := r.mean_change_control;
	END IF;
	n_treated := nt;
	n_control := nc;
	n_skipped := coalesce(@extschema@.did_n_skipped(st), 0);
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION progression_did(text, float8, integer) IS
'Difference-in-differences of the progression score, mentored vs not, through did_state and did_result (Welch variance, one row per person): pre = the person''s mean score over the items at the first measurement, post = at the last, treated = mentored (progression_trajectory''s course). Persons with one measurement or without a course are counted in n_skipped. Suppressed (everything NULL) when either group has fewer than min_cell persons; an empty group with min_cell 0 gives NULL estimates. NULL conf_level means 0.95, NULL min_cell 5.';

CREATE FUNCTION municipality_effects(schema_name text, conf_level float8 DEFAULT 0.95,
	min_cell integer DEFAULT 5, profile text DEFAULT 'strict')
RETURNS TABLE (municipality integer, estimate float8, std_error float8, conf_low float8,
	conf_high float8, n_treated bigint, n_control bigint, suppressed boolean,
	n_skipped bigint)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cl float8;
	mc integer;
	t_course text;
	t_obs text;
	t_path text;
	rec record;
	r @extschema@.did_result;
BEGIN
	SELECT o.conf_level_used, o.min_cell_used INTO cl, mc
	FROM @extschema@._monitor_options('municipality_effects', conf_level, min_cell) o;
	t_course := @extschema@._monitor_table(schema_name, 'course');
	t_obs := @extschema@._monitor_table(schema_name, 'observation_period');
	t_path := @extschema@._monitor_table(schema_name, 'person_path');
	IF profile IS NULL THEN
		RAISE EXCEPTION 'municipality_effects: profile must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'Name a classification profile, e.g. ''strict'' (the default).';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.classification_profile p WHERE p.profile = municipality_effects.profile) THEN
		RAISE EXCEPTION 'municipality_effects: classification profile "%" does not exist', profile
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Known profiles are the rows of classification_profile.';
	END IF;
	-- one row per course: the course's start week w; pre = share of the
	-- 52 weeks w-52 .. w-1 self-supporting, post = of w+1 .. w+52, on the
	-- path cut to the person's observation period (NULL without a period
	-- or when no week of the window is observed: counted in n_skipped)
	FOR rec IN EXECUTE format($q$
		WITH c AS (
			SELECT c.course_id, c.person_id, c.municipality, c.mentor_id IS NOT NULL AS treated,
				@extschema@.week_monday(c.start_date) AS w
			FROM %1$s c),
		o AS (
			SELECT c.*, op.person_id IS NOT NULL AS observed,
				CASE WHEN op.person_id IS NOT NULL THEN
					@extschema@.path_observed(pp.path, op.observed_from, op.observed_to) END AS path
			FROM c
			LEFT JOIN %2$s op ON op.person_id = c.person_id
			LEFT JOIN %3$s pp ON pp.person_id = c.person_id),
		y AS (
			SELECT o.municipality, o.person_id, o.treated,
				CASE WHEN o.observed THEN
					@extschema@.selfsufficiency_share(o.path, o.w - 52 * 7, o.w - 7, $1) END AS pre,
				CASE WHEN o.observed THEN
					@extschema@.selfsufficiency_share(o.path, o.w + 7, o.w + 52 * 7, $1) END AS post
			FROM o)
		SELECT y.municipality, grouping(y.municipality) = 1 AS pooled,
			@extschema@.did_state(y.pre, y.post, y.treated, y.person_id) AS s,
			count(DISTINCT y.person_id) FILTER (WHERE y.treated AND y.pre IS NOT NULL AND y.post IS NOT NULL) AS p_t,
			count(DISTINCT y.person_id) FILTER (WHERE NOT y.treated AND y.pre IS NOT NULL AND y.post IS NOT NULL) AS p_c
		FROM y
		GROUP BY GROUPING SETS ((y.municipality), ())
		ORDER BY grouping(y.municipality), y.municipality$q$,
		t_course, t_obs, t_path)
	USING profile
	LOOP
		municipality := rec.municipality;
		estimate := NULL;
		std_error := NULL;
		conf_low := NULL;
		conf_high := NULL;
		suppressed := rec.p_t < mc OR rec.p_c < mc;
		IF suppressed THEN
			n_treated := NULL;
			n_control := NULL;
			n_skipped := NULL;
		ELSE
			IF rec.p_t > 0 AND rec.p_c > 0 THEN
				r := @extschema@.did_result(rec.s, 'CR1', cl);
				estimate := r.estimate;
				std_error := r.std_error;
				conf_low := r.conf_low;
				conf_high := r.conf_high;
			END IF;
			n_treated := @extschema@.did_n_treated(rec.s);
			n_control := @extschema@.did_n_control(rec.s);
			n_skipped := @extschema@.did_n_skipped(rec.s);
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION municipality_effects(text, float8, integer, text) IS
'Difference-in-differences of the self-sufficiency share around the course start, courses with a mentor vs without, per municipality and pooled over all (municipality NULL, the last row), through did_state and did_result: one row per course, pre = selfsufficiency_share over the 52 weeks before the course start week, post = over weeks start+1 .. start+52, on the path cut to the person''s observation period; standard errors CR1 clustered by person (a person''s several courses are not independent), t reference with G - 1 df. Courses with a window not observed at all (or a person without observation_period row) are counted in n_skipped. Suppressed (counts and estimates NULL) when the mentored or the non-mentored courses with both windows observed have fewer than min_cell persons. NULL conf_level means 0.95, NULL min_cell 5; NULL or unknown profile is an error.';

CREATE FUNCTION effect_heterogeneity(schema_name text, min_cell integer DEFAULT 5,
	profile text DEFAULT 'strict')
RETURNS TABLE (q float8, df integer, p_value float8, i_squared float8, tau_squared float8,
	n_municipalities bigint)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	y float8[];
	se float8[];
BEGIN
	SELECT coalesce(array_agg(e.estimate ORDER BY e.municipality), '{}'),
		coalesce(array_agg(e.std_error ORDER BY e.municipality), '{}')
	INTO y, se
	FROM @extschema@.municipality_effects(schema_name, 0.95, min_cell, profile) e
	WHERE e.municipality IS NOT NULL AND NOT e.suppressed AND e.std_error > 0;
	RETURN QUERY
		SELECT h.q, h.df, h.p_value, h.i_squared, h.tau_squared, h.n_estimates
		FROM @extschema@.heterogeneity(y, se) h;
END
$$;
COMMENT ON FUNCTION effect_heterogeneity(text, integer, text) IS
'Test of heterogeneity of the per-municipality effects of municipality_effects (the municipalities that are not suppressed and have a standard error): Cochran''s Q with inverse-variance weights, df = k - 1, chi-square p-value, I² and the DerSimonian-Laird tau² (heterogeneity()). Fewer than 2 municipalities: NULL q, df, p_value, i_squared and tau_squared.';
