-- BI views of one register's monitoring schema (docs/monitoring.md, section
-- "The report and the BI views"): monitor_create_views(schema) (re)creates
-- plain views in the schema that BI tools and the si_monitor report read.
-- Most wrap the monitoring functions with their default arguments; three
-- are computed here: the self-sufficiency trajectory around course starts,
-- the event study of mentoring on a quarterly panel, and the payout
-- schedule of the municipalities' outcome contracts (table `contract`).
--
-- New in 0.3.0: part of the install script and of the upgrade script.

-- Outcomes a municipality's contract can pay for, one row per course and
-- outcome achieved: self-supporting (strict) in the week 26 and 52 weeks
-- after the course's start week, and durably so (each of the 13 weeks up
-- to it), on the person's path cut to the observation period.
CREATE FUNCTION monitor_contract_outcomes(schema_name text, for_municipality integer DEFAULT NULL,
                                          for_programme text DEFAULT NULL)
RETURNS TABLE (municipality integer, programme text, participant text, outcome text, day date, value numeric)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- the paths are materialised once per course: path_observed inside the
	-- lateral list would be evaluated once per reference
	RETURN QUERY EXECUTE format($q$
		WITH c AS MATERIALIZED (
			SELECT c.course_id, c.municipality, c.programme, @extschema@.week_monday(c.start_date) AS w0,
			       @extschema@.path_observed(pp.path, op.observed_from, op.observed_to) AS path
			FROM %s c
			JOIN %s op ON op.person_id = c.person_id
			LEFT JOIN %s pp ON pp.person_id = c.person_id
			WHERE ($1 IS NULL OR c.municipality = $1) AND ($2 IS NULL OR c.programme = $2)
		), h AS MATERIALIZED (
			SELECT c.course_id, c.municipality, c.programme, v.months, c.w0 + 7 * v.weeks AS wk,
			       @extschema@.self_supporting_at(c.path, c.w0 + 7 * v.weeks, 'strict') AS ss,
			       @extschema@.x_of_y(c.path, 13, 13, c.w0 + 7 * v.weeks, 'strict') AS durable
			FROM c CROSS JOIN (VALUES (6, 26), (12, 52)) v(months, weeks)
		)
		SELECT h.municipality, h.programme, h.course_id::text, o.outcome, h.wk, 1::numeric
		FROM h
		CROSS JOIN LATERAL (VALUES ('selfsupporting_' || h.months || 'm', h.ss),
		                           ('durable_' || h.months || 'm', h.durable)) o(outcome, achieved)
		WHERE o.achieved
		ORDER BY 1, 2, 5, 3, 4$q$,
		@extschema@._monitor_table(schema_name, 'course'),
		@extschema@._monitor_table(schema_name, 'observation_period'),
		@extschema@._monitor_table(schema_name, 'person_path'))
	USING for_municipality, for_programme;
END
$$;
COMMENT ON FUNCTION monitor_contract_outcomes(text, integer, text) IS
'Outcome rows (docs/contracts.md layout) a municipality''s contract can pay for, one per course and outcome achieved: selfsupporting_6m / selfsupporting_12m (strict self-support in the week 26 / 52 weeks after the course''s start week) and durable_6m / durable_12m (self-supporting in each of the 13 weeks up to it), on the path cut to the observation period; participant = course_id, day = that week, value = 1. for_municipality and for_programme, when not NULL, keep only that municipality''s and programme''s courses.';

-- The payout schedule of every contract stored in the schema's table
-- contract (municipality, programme, contract jsonb), computed by
-- contract_schedule's rules over the outcomes of that municipality's and
-- programme's courses.
CREATE FUNCTION monitor_payout(schema_name text)
RETURNS TABLE (municipality integer, programme text, contract_name text, currency text, period date,
               pay_day date, component_no integer, component text, outcomes numeric,
               amount_uncapped numeric, amount_due numeric, cumulative_due numeric, capped boolean, note text)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k record;
	src text;
BEGIN
	FOR k IN EXECUTE format('SELECT municipality, programme, contract FROM %s ORDER BY municipality, programme',
	                        @extschema@._monitor_table(schema_name, 'contract')) LOOP
		-- contract_schedule reads its outcomes through a SELECT; this one
		-- keeps the contract's municipality and programme (an integer and
		-- a literal quoted by format's %L)
		src := format('SELECT o.participant, o.outcome, o.day, o.value, NULL::numeric AS comparison, '
		              'NULL::numeric AS n, NULL::text AS cohort, NULL::numeric AS hours, NULL::integer AS programme_month '
		              'FROM @extschema@.monitor_contract_outcomes(%L, %s, %L) o',
		              schema_name, k.municipality, k.programme);
		RETURN QUERY
			SELECT k.municipality, k.programme, k.contract ->> 'name', k.contract ->> 'currency',
			       s.period, s.pay_day, s.component_no, s.component, s.outcomes,
			       s.amount_uncapped, s.amount_due, s.cumulative_due, s.capped, s.note
			FROM @extschema@._contract_schedule(k.contract, src) s
			ORDER BY s.period, s.component_no;
	END LOOP;
END
$$;
COMMENT ON FUNCTION monitor_payout(text) IS
'Payment schedule (contract_schedule''s columns) of every contract stored in the schema''s table contract (municipality, programme, contract jsonb), over the outcome rows of monitor_contract_outcomes for that municipality and programme; no rows when no contract is stored.';

-- The event study of v_event_study: att_gt (never-treated controls) on the
-- schema's quarterly panel v_event_panel, aggregated by event time -4..8
-- quarters, multiplier bootstrap (999 draws, seed 42); pointwise 95 %
-- band = estimate +- 1.96 std_error, uniform band = estimate +-
-- critical_value x std_error. No rows when the panel has no mentored or
-- no never-mentored person (nothing to compare).
CREATE FUNCTION monitor_event_study(schema_name text)
RETURNS TABLE (event_time integer, estimate float8, std_error float8, conf_low float8, conf_high float8,
               uniform_conf_low float8, uniform_conf_high float8, critical_value float8)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	panel text := @extschema@._monitor_table(schema_name, 'v_event_panel');
	n_treated bigint;
	n_control bigint;
BEGIN
	-- cohorts treated in the first quarter have no pre-period: att_gt leaves them out
	EXECUTE format('SELECT count(DISTINCT person_id) FILTER (WHERE cohort > 1), '
	               'count(DISTINCT person_id) FILTER (WHERE cohort = 0) FROM %s', panel)
		INTO n_treated, n_control;
	IF n_treated = 0 OR n_control = 0 THEN
		RETURN;
	END IF;
	RETURN QUERY
		SELECT a.key, a.estimate, a.std_error,
		       a.estimate - 1.959963984540054 * a.std_error,
		       a.estimate + 1.959963984540054 * a.std_error,
		       a.estimate - a.critical_value * a.std_error,
		       a.estimate + a.critical_value * a.std_error,
		       a.critical_value
		FROM @extschema@.att_gt_aggregate(panel::regclass, 'share', 'person_id', 'q', 'cohort',
		                                  type => 'dynamic', min_e => -4, max_e => 8,
		                                  bootstrap => 999, seed => 42) a
		WHERE a.level = 'event_time'
		ORDER BY a.key;
END
$$;
COMMENT ON FUNCTION monitor_event_study(text) IS
'Event study of mentoring on the schema''s quarterly panel v_event_panel (monitor_create_views): att_gt with never-mentored controls, dynamic aggregation over event times -4..8 quarters, multiplier bootstrap (999 draws, seed 42); conf_low/conf_high = pointwise 95 % band (estimate +- 1.96 std_error), uniform_conf_low/uniform_conf_high = uniform 95 % band (estimate +- critical_value x std_error). No rows when the panel has no mentored or no never-mentored person.';

CREATE FUNCTION monitor_create_views(schema_name text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text;
	lit text := quote_literal(schema_name);
	course text;
	obs text;
	ppath text;
BEGIN
	-- checks the schema (3F000 / 42501) and the tables the views read
	course := @extschema@._monitor_table(schema_name, 'course');
	obs := @extschema@._monitor_table(schema_name, 'observation_period');
	ppath := @extschema@._monitor_table(schema_name, 'person_path');
	s := quote_ident(schema_name);

	-- where a municipality's outcome contract is kept (docs/contracts.md)
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.contract ('
		'municipality integer NOT NULL, programme text NOT NULL, contract jsonb NOT NULL, '
		'PRIMARY KEY (municipality, programme))';

	-- wrappers of the monitoring functions, default arguments
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_course_status AS SELECT * FROM @extschema@.course_status_summary(' || lit || ')';
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_arrival_cohort AS SELECT * FROM @extschema@.arrival_cohort_status(' || lit || ')';
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_benchmark AS SELECT * FROM @extschema@.municipality_benchmark(' || lit || ')';
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_goal_results AS SELECT * FROM @extschema@.goal_results(' || lit || ')';
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_frozen_vs_recomputed AS SELECT * FROM @extschema@.frozen_vs_recomputed(' || lit || ')';
	-- with the item's Danish label for the Danish report
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_progression_change AS SELECT p.*, i.label_da '
		'FROM @extschema@.progression_change(' || lit || ') p '
		'LEFT JOIN ' || @extschema@._monitor_table(schema_name, 'progression_item') || ' i ON i.item = p.item';
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_municipality_effects AS SELECT * FROM @extschema@.municipality_effects(' || lit || ')';
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_payout AS SELECT * FROM @extschema@.monitor_payout(' || lit || ')';

	-- Self-sufficiency around the course start: per week -26..52 relative
	-- to the course's start week, courses with and without a mentor, the
	-- share (strict) self-supporting among the courses whose person is
	-- observed that week, with a Wilson interval at 95 %; cells of fewer
	-- than 5 courses are suppressed (row kept, numbers NULL).
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_trajectory AS '
		'WITH c AS MATERIALIZED ('
		'  SELECT c.mentor_id IS NOT NULL AS mentored, @extschema@.week_monday(c.start_date) AS w0,'
		'         @extschema@.path_observed(pp.path, op.observed_from, op.observed_to) AS path'
		'  FROM ' || course || ' c JOIN ' || obs || ' op ON op.person_id = c.person_id'
		'  LEFT JOIN ' || ppath || ' pp ON pp.person_id = c.person_id'
		'), w AS ('
		'  SELECT k.k AS weeks_since_start, c.mentored, @extschema@.self_supporting_at(c.path, c.w0 + 7 * k.k, ''strict'') AS ss'
		'  FROM c CROSS JOIN pg_catalog.generate_series(-26, 52) k(k)'
		'), n AS ('
		'  SELECT weeks_since_start, mentored, pg_catalog.count(ss) AS n_observed,'
		'         pg_catalog.count(*) FILTER (WHERE ss) AS n_self_supporting'
		'  FROM w GROUP BY 1, 2'
		'), z AS (SELECT n.*, n.n_self_supporting::float8 / NULLIF(n.n_observed, 0) AS p,'
		'         n.n_observed::float8 AS m, 1.959963984540054::float8 AS z FROM n)'
		'SELECT weeks_since_start::integer AS weeks_since_start, mentored,'
		'       CASE WHEN n_observed >= 5 THEN n_observed END AS n_observed,'
		'       CASE WHEN n_observed >= 5 THEN n_self_supporting END AS n_self_supporting,'
		'       CASE WHEN n_observed >= 5 THEN p END AS estimate,'
		'       CASE WHEN n_observed >= 5 THEN (p + z * z / (2 * m) - z * pg_catalog.sqrt(p * (1 - p) / m + z * z / (4 * m * m))) / (1 + z * z / m) END AS conf_low,'
		'       CASE WHEN n_observed >= 5 THEN (p + z * z / (2 * m) + z * pg_catalog.sqrt(p * (1 - p) / m + z * z / (4 * m * m))) / (1 + z * z / m) END AS conf_high,'
		'       n_observed < 5 AS suppressed '
		'FROM z';

	-- Event study of mentoring: a quarterly panel (13-week quarters from the
	-- first observed week; quarters wholly inside the data) of each person's
	-- strict self-sufficiency share on the observed path; cohort = quarter
	-- of the person's first course with a mentor (0 = never mentored or
	-- mentored after the last quarter; persons mentored before the first
	-- quarter are left out); balanced: only persons observed in every
	-- quarter (a censoring code inside the period leaves the person out).
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_event_panel AS '
		'WITH span AS ('
		'  SELECT @extschema@.week_monday(pg_catalog.min(observed_from)) AS q0,'
		'         ((@extschema@.week_monday(pg_catalog.max(observed_to)) - @extschema@.week_monday(pg_catalog.min(observed_from))) / 7 + 1) / 13 AS nq'
		'  FROM ' || obs ||
		'), m AS ('
		'  SELECT person_id, pg_catalog.min(start_date) AS mentor_start FROM ' || course ||
		'  WHERE mentor_id IS NOT NULL GROUP BY person_id'
		'), p AS MATERIALIZED ('
		'  SELECT op.person_id, @extschema@.path_observed(pp.path, op.observed_from, op.observed_to) AS path,'
		'         pg_catalog.floor(((@extschema@.week_monday(m.mentor_start) - span.q0) / 7)::float8 / 13)::integer + 1 AS cohort,'
		'         span.q0, span.nq'
		'  FROM ' || obs || ' op CROSS JOIN span'
		'  LEFT JOIN ' || ppath || ' pp ON pp.person_id = op.person_id'
		'  LEFT JOIN m ON m.person_id = op.person_id'
		'  WHERE op.observed_from <= span.q0 AND op.observed_to >= span.q0 + 91 * span.nq - 7'
		')'
		', r AS ('
		'  SELECT p.person_id, q.q::integer AS q,'
		'         CASE WHEN p.cohort IS NULL OR p.cohort > p.nq THEN 0 ELSE p.cohort END AS cohort,'
		'         @extschema@.selfsufficiency_share(p.path, p.q0 + 91 * (q.q - 1), p.q0 + 91 * (q.q - 1) + 84, ''strict'') AS share'
		'  FROM p CROSS JOIN LATERAL pg_catalog.generate_series(1, p.nq) q(q)'
		'  WHERE p.cohort IS NULL OR p.cohort >= 1'
		')'
		'SELECT person_id, q, cohort, share FROM ('
		'  SELECT r.*, pg_catalog.bool_and(r.share IS NOT NULL) OVER (PARTITION BY r.person_id) AS complete FROM r'
		') x WHERE complete';

	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_event_study AS SELECT * FROM @extschema@.monitor_event_study(' || lit || ')';

	-- a few facts for the report's header
	EXECUTE 'CREATE OR REPLACE VIEW ' || s || '.v_report_info AS '
		'SELECT ' || lit || '::text AS schema_name,'
		'  (SELECT pg_catalog.count(*) FROM ' || @extschema@._monitor_table(schema_name, 'person') || ') AS n_persons,'
		'  (SELECT pg_catalog.count(*) FROM ' || course || ') AS n_courses,'
		'  (SELECT pg_catalog.count(DISTINCT municipality) FROM ' || course || ') AS n_municipalities,'
		'  (SELECT pg_catalog.max(observed_to) FROM ' || obs || ') AS data_to';
END
$$;
COMMENT ON FUNCTION monitor_create_views(text) IS
'(Re)creates the BI views of a monitoring schema (docs/monitoring.md): v_course_status, v_arrival_cohort, v_benchmark, v_goal_results, v_frozen_vs_recomputed, v_progression_change, v_municipality_effects (the monitoring functions with default arguments), v_trajectory (self-sufficiency by week since course start, mentored vs not, Wilson band), v_event_panel and v_event_study (att_gt event study of mentoring with pointwise and uniform bands), v_payout (schedule of the contracts in the table contract, created here if missing) and v_report_info. The report of si_monitor reads only these views.';
