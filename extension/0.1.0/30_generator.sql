-- Seeded synthetic register generator (model: src/math/register_sim.c,
-- docs/methods.md section "generator").
--
-- The C set-returning functions simulate persons first_person ..
-- last_person; each person depends only on (seed, person_id, weeks,
-- effect, first_week, mentored_share), never on the other persons.
-- generate_register() loads them into register-style tables.

CREATE FUNCTION synthetic_persons(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20)
RETURNS TABLE (person_id bigint, municipality integer, sex character(1), birth_date date,
	origin text, permit_type text, arrival_week date, education_level integer,
	mentored boolean, mentor_start date)
AS 'MODULE_PATHNAME', 'si_synthetic_persons'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION synthetic_persons(bigint, bigint, bigint, integer, double precision, date, double precision) IS
'Synthetic register: background of persons first_person..last_person (municipality, sex, birth date, origin, permit type, arrival week, education level 0-3, mentoring). Deterministic in its arguments.';

CREATE FUNCTION synthetic_benefit_weeks(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20)
RETURNS TABLE (person_id bigint, week date, code integer)
AS 'MODULE_PATHNAME', 'si_synthetic_benefit_weeks'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 100000;
COMMENT ON FUNCTION synthetic_benefit_weeks(bigint, bigint, bigint, integer, double precision, date, double precision) IS
'Synthetic register: DREAM-style person-week rows (one per week with a benefit code; no row = no benefit) of persons first_person..last_person, ordered by person and week.';

CREATE FUNCTION synthetic_benefit_spells(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20)
RETURNS TABLE (person_id bigint, from_week date, to_week date, code integer)
AS 'MODULE_PATHNAME', 'si_synthetic_benefit_spells'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 10000;
COMMENT ON FUNCTION synthetic_benefit_spells(bigint, bigint, bigint, integer, double precision, date, double precision) IS
'Synthetic register: the same benefit codes as synthetic_benefit_weeks as maximal runs of one code (from_week, to_week inclusive Mondays).';

CREATE FUNCTION synthetic_mentoring(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20)
RETURNS TABLE (person_id bigint, start_week date, cost numeric, true_share_treated double precision,
	true_share_untreated double precision)
AS 'MODULE_PATHNAME', 'si_synthetic_mentoring'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 200;
COMMENT ON FUNCTION synthetic_mentoring(bigint, bigint, bigint, integer, double precision, date, double precision) IS
'Synthetic register: mentored persons among first_person..last_person with start week, cost (DKK) and the planted truth: strict self-sufficiency share over weeks start+1..start+52 (uncensored weeks inside the register) of the treated and the untreated potential path.';

CREATE FUNCTION synthetic_observation_periods(seed bigint, first_person bigint, last_person bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20)
RETURNS TABLE (person_id bigint, observed_from date, observed_to date, end_reason text, end_code integer)
AS 'MODULE_PATHNAME', 'si_synthetic_observation_periods'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION synthetic_observation_periods(bigint, bigint, bigint, integer, double precision, date, double precision) IS
'Synthetic register: the weeks each of persons first_person..last_person is observed, from arrival (or first_week) to the week before the first censoring code (or the last week), with end_reason end_of_data, emigrated (997), dead (998) or folkepension (999) and that end_code; persons never observed have no row.';

CREATE FUNCTION generate_register(schema_name text, persons integer, seed bigint,
	weeks integer DEFAULT 260, effect double precision DEFAULT 0.10,
	first_week date DEFAULT '2019-01-07', mentored_share double precision DEFAULT 0.20,
	replace boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET extra_float_digits = 1	-- float8 text round-trips exactly
SET datestyle = 'ISO, YMD' AS $$
DECLARE
	chunk constant integer := 500;
	nsp oid;
	existing text[];
	t text;
	fw date;
	gen text;
	att double precision;
	nmentored bigint;
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
	IF persons < 1 THEN
		RAISE EXCEPTION 'persons must be at least 1, got %', persons
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'persons is the number of persons to generate, e.g. 100000.';
	END IF;
	-- the C functions check seed, weeks, effect, first_week, mentored_share
	PERFORM @extschema@.synthetic_mentoring(seed, 1, 1, weeks, effect, first_week, mentored_share);

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
	                    'observation_period');
	IF existing IS NOT NULL THEN
		IF NOT replace THEN
			RAISE EXCEPTION 'schema "%" already has register tables: %', schema_name, array_to_string(existing, ', ')
				USING ERRCODE = 'duplicate_table',
				      HINT = 'Pass replace => true to drop and regenerate them, or use another schema.';
		END IF;
		FOREACH t IN ARRAY existing LOOP
			EXECUTE format('DROP TABLE %I.%I', schema_name, t);
		END LOOP;
	END IF;

	fw := @extschema@.week_monday(first_week);
	gen := format('generate_series(0, %s) c, LATERAL @extschema@.%%s(%s, c::bigint * %s + 1, least(c::bigint * %s + %s, %s), %s, %L::float8, %L::date, %L::float8) s',
	              (persons - 1) / chunk, seed, chunk, chunk, chunk, persons, weeks,
	              effect::text, fw, mentored_share::text);

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
	EXECUTE format('INSERT INTO %I.register_info VALUES '
	               '(''generator'', ''socialinvest register_sim 1''), (''seed'', %L), (''persons'', %L), '
	               '(''weeks'', %L), (''first_week'', %L), (''last_week'', %L), (''effect'', %L), '
	               '(''mentored_share'', %L), (''mentored_persons'', %L), (''true_att'', %L), '
	               '(''effect_definition'', %L)',
	               schema_name, seed, persons, weeks, fw, fw + 7 * (weeks - 1), effect::text,
	               mentored_share::text, nmentored, att::text,
	               'effect = change in the weekly probability of strict self-support from the mentor start week on; '
	               'true_att = mean over mentored persons of true_share_treated - true_share_untreated (weeks start+1..start+52)');
	EXECUTE format('ALTER TABLE %I.register_info ADD PRIMARY KEY (key)', schema_name);

	EXECUTE format('ANALYZE %I.person, %I.benefit_week, %I.benefit_spell, %I.mentoring, %I.register_info, '
	               '%I.observation_period',
	               schema_name, schema_name, schema_name, schema_name, schema_name, schema_name);
END
$$;
COMMENT ON FUNCTION generate_register(text, integer, bigint, integer, double precision, date, double precision, boolean) IS
'Creates and fills the synthetic register tables person, benefit_week, benefit_spell, mentoring, register_info and observation_period in an existing schema (error if they exist unless replace). Deterministic for a given seed; effect = planted change in the weekly probability of strict self-support after the mentor start.';
