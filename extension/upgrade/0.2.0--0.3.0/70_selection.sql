-- 0.2.0 -> 0.3.0, branch p4-selection (issue 17): the generator's
-- selection argument ('traits', the default and the model of 0.1.0, or
-- 'observables'). A new argument is a new signature: the functions of
-- 0.2.0 are dropped and created again as extension/0.1.0/30_generator.sql
-- defines them (this fragment must create the same). Nothing in the
-- extension depends on them; a user's view or function that calls them
-- would stop this update (DROP without CASCADE), as it should.

DROP FUNCTION synthetic_persons(bigint, bigint, bigint, integer, double precision, date, double precision);
DROP FUNCTION synthetic_benefit_weeks(bigint, bigint, bigint, integer, double precision, date, double precision);
DROP FUNCTION synthetic_benefit_spells(bigint, bigint, bigint, integer, double precision, date, double precision);
DROP FUNCTION synthetic_mentoring(bigint, bigint, bigint, integer, double precision, date, double precision);
DROP FUNCTION synthetic_observation_periods(bigint, bigint, bigint, integer, double precision, date, double precision);
DROP FUNCTION synthetic_courses(bigint, bigint, bigint, integer, double precision, date, double precision);
DROP FUNCTION synthetic_progression_scores(bigint, bigint, bigint, integer, double precision, date, double precision);
DROP FUNCTION generate_register(text, integer, bigint, integer, double precision, date, double precision, boolean);

CREATE FUNCTION synthetic_persons(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	selection text DEFAULT 'traits')
RETURNS TABLE (person_id bigint, municipality integer, sex character(1), birth_date date,
	origin text, permit_type text, arrival_week date, education_level integer,
	mentored boolean, mentor_start date)
AS 'MODULE_PATHNAME', 'si_synthetic_persons'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION synthetic_persons(bigint, bigint, bigint, integer, double precision, date, double precision, text) IS
'Synthetic register: background of persons first_person..last_person (municipality, sex, birth date, origin, permit type, arrival week, education level 0-3, mentoring). Deterministic in its arguments. selection: ''traits'' (default) draws mentoring on persistent traits including the latent employability; ''observables'' on these person columns only, every mentor starting in week 52 (week 0 in registers shorter than 105 weeks), with self-support trends by education (docs/methods.md, Synthetic register).';

CREATE FUNCTION synthetic_benefit_weeks(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	selection text DEFAULT 'traits')
RETURNS TABLE (person_id bigint, week date, code integer)
AS 'MODULE_PATHNAME', 'si_synthetic_benefit_weeks'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 100000;
COMMENT ON FUNCTION synthetic_benefit_weeks(bigint, bigint, bigint, integer, double precision, date, double precision, text) IS
'Synthetic register: DREAM-style person-week rows (one per week with a benefit code; no row = no benefit) of persons first_person..last_person, ordered by person and week.';

CREATE FUNCTION synthetic_benefit_spells(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	selection text DEFAULT 'traits')
RETURNS TABLE (person_id bigint, from_week date, to_week date, code integer)
AS 'MODULE_PATHNAME', 'si_synthetic_benefit_spells'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 10000;
COMMENT ON FUNCTION synthetic_benefit_spells(bigint, bigint, bigint, integer, double precision, date, double precision, text) IS
'Synthetic register: the same benefit codes as synthetic_benefit_weeks as maximal runs of one code (from_week, to_week inclusive Mondays).';

CREATE FUNCTION synthetic_mentoring(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	selection text DEFAULT 'traits')
RETURNS TABLE (person_id bigint, start_week date, cost numeric, true_share_treated double precision,
	true_share_untreated double precision)
AS 'MODULE_PATHNAME', 'si_synthetic_mentoring'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 200;
COMMENT ON FUNCTION synthetic_mentoring(bigint, bigint, bigint, integer, double precision, date, double precision, text) IS
'Synthetic register: mentored persons among first_person..last_person with start week, cost (DKK) and the planted truth: strict self-sufficiency share over weeks start+1..start+52 (uncensored weeks inside the register) of the treated and the untreated potential path.';

CREATE FUNCTION synthetic_observation_periods(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	selection text DEFAULT 'traits')
RETURNS TABLE (person_id bigint, observed_from date, observed_to date, end_reason text, end_code integer)
AS 'MODULE_PATHNAME', 'si_synthetic_observation_periods'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION synthetic_observation_periods(bigint, bigint, bigint, integer, double precision, date, double precision, text) IS
'Synthetic register: the weeks each of persons first_person..last_person is observed, from arrival (or first_week) to the week before the first censoring code (or the last week), with end_reason end_of_data, emigrated (997), dead (998) or folkepension (999) and that end_code; persons never observed have no row.';

CREATE FUNCTION synthetic_courses(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	selection text DEFAULT 'traits')
RETURNS TABLE (course_id bigint, person_id bigint, mentor_id bigint, municipality integer,
	programme text, start_date date, end_date date, end_reason text)
AS 'MODULE_PATHNAME', 'si_synthetic_courses'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 500;
COMMENT ON FUNCTION synthetic_courses(bigint, bigint, bigint, integer, double precision, date, double precision, text) IS
'Synthetic register: the courses (monitoring table course) of persons first_person..last_person: every mentored person''s course from the mentor start with a mentor_id shared by about 5.5 citizens of the municipality, and courses without a mentor (mentor_id NULL) of a comparison group with start weeks drawn like the mentor starts, some with a second course; course_id = person_id * 10 + course number; end_date (Monday of the last course week) and end_reason completed, ended_early, moved, or emigrated/dead/other when the observation period ends during the course; both NULL while running at the end of the data. Does not change the other synthetic_* results.';

CREATE FUNCTION synthetic_progression_scores(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	selection text DEFAULT 'traits')
RETURNS TABLE (person_id bigint, measured_on date, item smallint, score double precision)
AS 'MODULE_PATHNAME', 'si_synthetic_progression_scores'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 5000;
COMMENT ON FUNCTION synthetic_progression_scores(bigint, bigint, bigint, integer, double precision, date, double precision, text) IS
'Synthetic register: progression scores (monitoring table progression_score, items 1..13, whole scores 1..10) of persons first_person..last_person during their first course (synthetic_courses): at the course start and about every 13 weeks while the course runs and the data last, at most 5 measurements. Planted: every item''s mean rises by 0.15 per measurement, by 0.45 for mentored persons (a mentor effect of +0.30 per measurement).';

CREATE FUNCTION generate_register(schema_name text, persons integer, seed bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	replace boolean DEFAULT false, selection text DEFAULT 'traits')
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET extra_float_digits = 1	-- float8 text round-trips exactly
SET datestyle = 'ISO, YMD'
SET client_min_messages = warning	-- not monitor_setup's notices about person, observation_period
AS $$
DECLARE
	chunk constant integer := 500;
	nsp oid;
	existing text[];
	t text;
	fw date;
	gen text;
	att double precision;
	nmentored bigint;
	ncourses bigint;
	prog_did double precision;
	fk_add text[];
	fk_drop text[];
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF persons IS NULL THEN
		RAISE EXCEPTION 'persons must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF replace IS NULL THEN
		RAISE EXCEPTION 'replace must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF selection IS NULL THEN
		RAISE EXCEPTION 'selection must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass ''traits'' (the default) or ''observables''.';
	END IF;
	IF persons < 1 THEN
		RAISE EXCEPTION 'persons must be at least 1, got %', persons
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'persons is the number of persons to generate, e.g. 100000.';
	END IF;
	-- the C functions check seed, weeks, effect, first_week, mentored_share, selection
	PERFORM @extschema@.synthetic_mentoring(seed, 1, 1, weeks, effect, first_week, mentored_share, selection);

	SELECT n.oid INTO nsp FROM pg_namespace n WHERE n.nspname = schema_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'schema "%" does not exist', schema_name
			USING ERRCODE = 'invalid_schema_name',
			      HINT = format('Create it first: CREATE SCHEMA %I;', schema_name);
	END IF;
	SELECT array_agg(c.relname::text ORDER BY c.relname) INTO existing
	FROM pg_class c
	WHERE c.relnamespace = nsp
	  AND c.relname IN ('person', 'benefit_week', 'benefit_spell', 'mentoring', 'register_info',
	                    'observation_period',
	                    -- the monitoring tables (monitor_setup, docs/monitoring.md)
	                    'person_path', 'programme', 'course', 'progression_item', 'progression_score',
	                    'goal', 'monitor_batch', 'monitor_state', 'monitor_frozen');
	IF existing IS NOT NULL THEN
		IF NOT replace THEN
			RAISE EXCEPTION 'schema "%" already has register tables: %', schema_name, array_to_string(existing, ', ')
				USING ERRCODE = 'duplicate_table',
				      HINT = 'Pass replace => true to drop and regenerate them, or use another schema.';
		END IF;
		-- one statement, so foreign keys between them do not matter
		SELECT string_agg(format('%I.%I', schema_name, e), ', ') INTO t FROM unnest(existing) e;
		EXECUTE 'DROP TABLE ' || t;
	END IF;

	fw := @extschema@.week_monday(first_week);
	gen := format('generate_series(0, %s) c, LATERAL @extschema@.%%s(%s, c::bigint * %s + 1, least(c::bigint * %s + %s, %s), %s, %L::float8, %L::date, %L::float8, %L::text) s',
	              (persons - 1) / chunk, seed, chunk, chunk, chunk, persons, weeks,
	              effect::text, fw, mentored_share::text, selection);

	EXECUTE format('CREATE TABLE %I.person (person_id bigint NOT NULL, municipality integer, sex char(1), '
	               'birth_date date, origin text, permit_type text, arrival_week date, education_level integer, '
	               'mentored boolean, mentor_start date)', schema_name);
	EXECUTE format('CREATE TABLE %I.benefit_week (person_id bigint NOT NULL, week date NOT NULL, code integer NOT NULL)',
	               schema_name);
	EXECUTE format('CREATE TABLE %I.benefit_spell (person_id bigint NOT NULL, from_week date NOT NULL, '
	               'to_week date NOT NULL, code integer NOT NULL)', schema_name);
	EXECUTE format('CREATE TABLE %I.mentoring (person_id bigint NOT NULL, start_week date, cost numeric(12,2), '
	               'true_share_treated float8, true_share_untreated float8)', schema_name);
	EXECUTE format('CREATE TABLE %I.register_info (key text NOT NULL, value text)', schema_name);
	EXECUTE format('CREATE TABLE %I.observation_period (person_id bigint NOT NULL, observed_from date NOT NULL, '
	               'observed_to date NOT NULL, end_reason text NOT NULL, end_code integer, '
	               'CHECK (observed_from <= observed_to))', schema_name);

	EXECUTE format('INSERT INTO %I.person SELECT s.* FROM ' || gen, schema_name, 'synthetic_persons');
	EXECUTE format('INSERT INTO %I.benefit_week SELECT s.* FROM ' || gen, schema_name, 'synthetic_benefit_weeks');
	EXECUTE format('INSERT INTO %I.benefit_spell SELECT s.* FROM ' || gen, schema_name, 'synthetic_benefit_spells');
	EXECUTE format('INSERT INTO %I.mentoring SELECT s.* FROM ' || gen, schema_name, 'synthetic_mentoring');
	EXECUTE format('INSERT INTO %I.observation_period SELECT s.* FROM ' || gen, schema_name, 'synthetic_observation_periods');

	EXECUTE format('ALTER TABLE %I.person ADD PRIMARY KEY (person_id)', schema_name);
	EXECUTE format('ALTER TABLE %I.benefit_week ADD PRIMARY KEY (person_id, week)', schema_name);
	EXECUTE format('ALTER TABLE %I.benefit_spell ADD PRIMARY KEY (person_id, from_week)', schema_name);
	EXECUTE format('ALTER TABLE %I.mentoring ADD PRIMARY KEY (person_id)', schema_name);
	EXECUTE format('ALTER TABLE %I.observation_period ADD PRIMARY KEY (person_id)', schema_name);

	EXECUTE format('SELECT count(*), avg(true_share_treated - true_share_untreated) FROM %I.mentoring', schema_name)
		INTO nmentored, att;

	-- the monitoring tables: monitor_setup creates those that are missing
	PERFORM @extschema@.monitor_setup(schema_name);
	-- foreign keys checked once per table rather than once per row (and the
	-- scores' primary key built once): drop them while loading and add the
	-- same constraints back afterwards
	SELECT array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
	                        pg_get_constraintdef(c.oid)) ORDER BY c.contype DESC, c.conname),
	       array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname))
	INTO fk_add, fk_drop
	FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
	WHERE r.relnamespace = nsp
	  AND (r.relname IN ('course', 'progression_score', 'goal') AND c.contype = 'f'
	       OR r.relname = 'progression_score' AND c.contype = 'p');
	FOREACH t IN ARRAY coalesce(fk_drop, '{}') LOOP
		EXECUTE t;
	END LOOP;
	EXECUTE format('INSERT INTO %I.person_path (person_id, path) '
	               'SELECT person_id, @extschema@.benefit_path_from_spells(from_week, to_week, code) '
	               'FROM %I.benefit_spell GROUP BY person_id', schema_name, schema_name);
	-- a programme per municipality and programme with courses: from the
	-- quarter of its first course start; a third of them running, the
	-- others ending with the quarter of their last course start (which may
	-- lie after the data: a planned end)
	EXECUTE format('INSERT INTO %I.programme (municipality, programme, start_date, end_date) '
	               'SELECT s.municipality, s.programme, '
	               'date_trunc(''quarter'', min(s.start_date)::timestamp)::date, '
	               'CASE WHEN (s.municipality + CASE s.programme WHEN ''mentor'' THEN 0 ELSE 1 END + %s) %% 3 = 0 THEN NULL '
	               'ELSE (date_trunc(''quarter'', max(s.start_date)::timestamp) + interval ''3 months -1 day'')::date END '
	               'FROM ' || gen || ' GROUP BY s.municipality, s.programme',
	               schema_name, seed % 3 + 3, 'synthetic_courses');
	EXECUTE format('INSERT INTO %I.course SELECT s.* FROM ' || gen, schema_name, 'synthetic_courses');
	EXECUTE format('INSERT INTO %I.progression_score SELECT s.* FROM ' || gen, schema_name, 'synthetic_progression_scores');
	-- goals per programme: targets rising from baseline to final, varied
	-- by municipality (ended_early: lower is better)
	EXECUTE format('INSERT INTO %I.goal (municipality, programme, indicator, target, measured_at) '
	               'SELECT p.municipality, p.programme, g.indicator, '
	               'round((g.target + g.step * ((p.municipality * 7 + %s) %% 5 - 2))::numeric, 2)::float8, g.measured_at '
	               'FROM %I.programme p CROSS JOIN (VALUES '
	               '(''selfsupporting_6m'', ''baseline'', 0.30, 0.03), (''selfsupporting_6m'', ''midterm'', 0.35, 0.03), '
	               '(''selfsupporting_6m'', ''final'', 0.40, 0.03), '
	               '(''selfsupporting_12m'', ''baseline'', 0.32, 0.03), (''selfsupporting_12m'', ''midterm'', 0.37, 0.03), '
	               '(''selfsupporting_12m'', ''final'', 0.42, 0.03), '
	               '(''ended_early'', ''baseline'', 0.25, 0.02), (''ended_early'', ''midterm'', 0.20, 0.02), '
	               '(''ended_early'', ''final'', 0.15, 0.02), '
	               '(''progression_change'', ''baseline'', 0.6, 0.1), (''progression_change'', ''midterm'', 0.9, 0.1), '
	               '(''progression_change'', ''final'', 1.2, 0.1)) g(indicator, measured_at, target, step)',
	               schema_name, seed % 5 + 5, schema_name);
	FOREACH t IN ARRAY coalesce(fk_add, '{}') LOOP	-- primary key (..._pkey) before foreign keys
		EXECUTE t;
	END LOOP;
	-- the planted progression effect, for the persons of each group with
	-- at least two measurements: the noise-free mean change first to last
	EXECUTE format('SELECT avg(0.45 * (n - 1)) FILTER (WHERE m) - avg(0.15 * (n - 1)) FILTER (WHERE NOT m) '
	               'FROM (SELECT ps.person_id, count(DISTINCT ps.measured_on) AS n, bool_or(pe.mentored) AS m '
	               'FROM %I.progression_score ps JOIN %I.person pe USING (person_id) GROUP BY ps.person_id) z '
	               'WHERE n >= 2', schema_name, schema_name)
		INTO prog_did;
	EXECUTE format('SELECT count(*) FROM %I.course', schema_name) INTO ncourses;
	EXECUTE format('INSERT INTO %I.register_info VALUES '
	               '(''generator'', ''socialinvest register_sim 1''), (''seed'', %L), (''persons'', %L), '
	               '(''weeks'', %L), (''first_week'', %L), (''last_week'', %L), (''effect'', %L), '
	               '(''mentored_share'', %L), (''mentored_persons'', %L), (''true_att'', %L), '
	               '(''effect_definition'', %L), (''courses'', %L), (''progression_trend'', ''0.15''), '
	               '(''progression_effect'', ''0.30''), (''progression_true_did'', %L), (''progression_definition'', %L)',
	               schema_name, seed, persons, weeks, fw, fw + 7 * (weeks - 1), effect::text,
	               mentored_share::text, nmentored, att::text,
	               'effect = change in the weekly probability of strict self-support from the mentor start week on; '
	               'true_att = mean over mentored persons of true_share_treated - true_share_untreated (weeks start+1..start+52)',
	               ncourses, prog_did::text,
	               'progression scores: every item''s mean rises by progression_trend per measurement (about 13 weeks apart) '
	               'and mentored persons'' by progression_effect more; progression_true_did = noise-free mean change from first '
	               'to last measurement of mentored minus not mentored persons with at least two measurements');
	IF selection <> 'traits' THEN
		-- (a register drawn by the default selection has the rows of 0.1.0)
		EXECUTE format('INSERT INTO %I.register_info VALUES (''selection'', %L), (''mentor_start'', %L), '
		               '(''selection_definition'', %L)', schema_name, selection,
		               fw + 7 * CASE WHEN weeks >= 105 THEN 52 ELSE 0 END,	-- register_sim's start_lo
		               'mentored persons are drawn on the person columns only (permit_type, sex, age, '
		               'education_level, origin) among those aged at most 58 at first_week who arrived at least 78 '
		               'weeks before mentor_start and are observed then; all start in week mentor_start; self-support '
		               'trends differ by education_level; see docs/methods.md, Synthetic register');
	END IF;
	EXECUTE format('ALTER TABLE %I.register_info ADD PRIMARY KEY (key)', schema_name);

	EXECUTE format('ANALYZE %1$I.person, %1$I.benefit_week, %1$I.benefit_spell, %1$I.mentoring, %1$I.register_info, '
	               '%1$I.observation_period, %1$I.person_path, %1$I.programme, %1$I.course, %1$I.progression_item, '
	               '%1$I.progression_score, %1$I.goal', schema_name);
END
$$;
COMMENT ON FUNCTION generate_register(text, integer, bigint, integer, double precision, date, double precision, boolean, text) IS
'Creates and fills the synthetic register tables person, benefit_week, benefit_spell, mentoring, register_info and observation_period, and the monitoring tables of monitor_setup (person_path, programme, course, progression_item, progression_score, goal; docs/monitoring.md) in an existing schema (error if they exist unless replace, which drops them and regenerates). Deterministic for a given seed; effect = planted change in the weekly probability of strict self-support after the mentor start; progression scores rise faster for mentored persons (register_info progression_effect). selection ''observables'' draws mentoring on the person columns only (docs/matching.md); the default ''traits'' gives the registers of 0.1.0.';
