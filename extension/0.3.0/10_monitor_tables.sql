-- Monitoring data model (docs/monitoring.md): the tables an analyst (or the
-- nightly job, or generate_register) fills in one schema per register, and
-- the lookup every monitoring function uses to reach them.
--
-- New in 0.3.0: this fragment is part of the install script and, as is,
-- of the upgrade script from 0.2.0 (see the Makefile).

CREATE FUNCTION monitor_setup(schema_name text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text;
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = schema_name) THEN
		RAISE EXCEPTION 'schema "%" does not exist', schema_name
			USING ERRCODE = 'invalid_schema_name',
			      HINT = format('Create it first: CREATE SCHEMA %I;', schema_name);
	END IF;
	s := quote_ident(schema_name);

	-- background register: one row per person
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.person ('
		'person_id bigint PRIMARY KEY, municipality integer, sex pg_catalog.bpchar(1), '
		'birth_date date, origin text, permit_type text, arrival_week date, '
		'education_level integer, mentored boolean, mentor_start date)';
	-- the weeks each person is observed, and why observation ended
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.observation_period ('
		'person_id bigint PRIMARY KEY, observed_from date NOT NULL, observed_to date NOT NULL, '
		'end_reason text NOT NULL, end_code integer, CHECK (observed_from <= observed_to))';
	-- one benefit path per person (persons without any benefit week may be absent)
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.person_path ('
		'person_id bigint PRIMARY KEY, path ' || quote_ident('@extschema@') || '.benefit_path NOT NULL)';
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.programme ('
		'municipality integer NOT NULL, programme text NOT NULL, start_date date NOT NULL, '
		'end_date date, PRIMARY KEY (municipality, programme), '
		'CHECK (end_date IS NULL OR start_date <= end_date))';
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.course ('
		'course_id bigint PRIMARY KEY, person_id bigint NOT NULL, mentor_id bigint, '
		'municipality integer NOT NULL, programme text NOT NULL, start_date date NOT NULL, '
		'end_date date, end_reason text, '
		'FOREIGN KEY (municipality, programme) REFERENCES ' || s || '.programme, '
		'CHECK (end_date IS NULL OR start_date <= end_date), '
		'CHECK ((end_date IS NULL) = (end_reason IS NULL)), '
		'CHECK (end_reason IN (''completed'', ''ended_early'', ''moved'', ''emigrated'', ''dead'', ''other'')))';
	EXECUTE 'CREATE INDEX IF NOT EXISTS course_person_idx ON ' || s || '.course (person_id)';
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.progression_item ('
		'item smallint PRIMARY KEY CHECK (item BETWEEN 1 AND 13), '
		'label_da text NOT NULL, label_en text NOT NULL)';
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.progression_score ('
		'person_id bigint NOT NULL, measured_on date NOT NULL, '
		'item smallint NOT NULL REFERENCES ' || s || '.progression_item, '
		'score double precision NOT NULL CHECK (score BETWEEN 1 AND 10), '
		'PRIMARY KEY (person_id, measured_on, item))';
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.goal ('
		'municipality integer NOT NULL, programme text NOT NULL, indicator text NOT NULL, '
		'target double precision NOT NULL, measured_at text NOT NULL, '
		'PRIMARY KEY (municipality, programme, indicator, measured_at), '
		'FOREIGN KEY (municipality, programme) REFERENCES ' || s || '.programme, '
		'CHECK (measured_at IN (''baseline'', ''midterm'', ''final'') '
		'OR measured_at ~ ''^[0-9]{4}-[0-9]{2}-[0-9]{2}$''))';

	-- the 13 items of the progression measurement, unless the user has their own
	EXECUTE 'INSERT INTO ' || s || '.progression_item (item, label_da, label_en) '
		'SELECT * FROM (VALUES '
		'(1::smallint, ''Danskkundskaber'', ''Danish language''), '
		'(2, ''Helbred'', ''Health''), '
		'(3, ''Motivation'', ''Motivation''), '
		'(4, ''Netværk'', ''Social network''), '
		'(5, ''Kendskab til arbejdsmarkedet'', ''Knowledge of the labour market''), '
		'(6, ''Jobsøgning'', ''Job search''), '
		'(7, ''Faglige kompetencer'', ''Vocational skills''), '
		'(8, ''Uddannelse'', ''Education''), '
		'(9, ''Mødestabilitet'', ''Attendance''), '
		'(10, ''Samarbejde'', ''Cooperation''), '
		'(11, ''Selvtillid'', ''Self-confidence''), '
		'(12, ''Hverdagsmestring'', ''Coping with daily life''), '
		'(13, ''Foreningsliv og fritid'', ''Civic and leisure life'')) v '
		'WHERE NOT EXISTS (SELECT 1 FROM ' || s || '.progression_item)';

	-- monitor-owned tables (batches, states, frozen measurements) below
	-- (filled by monitor_refresh and monitor_freeze, 30_goals.sql; the
	-- type is resolved when monitor_setup runs, after the whole script)
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.monitor_batch ('
		'extract_date date PRIMARY KEY, loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(), '
		'n_persons bigint, note text)';
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.monitor_state ('
		'extract_date date NOT NULL REFERENCES ' || s || '.monitor_batch ON DELETE CASCADE, '
		'municipality integer NOT NULL, programme text NOT NULL, indicator text NOT NULL, '
		'state ' || quote_ident('@extschema@') || '.indicator_state, n_persons bigint, '
		'PRIMARY KEY (extract_date, municipality, programme, indicator))';
	EXECUTE 'CREATE TABLE IF NOT EXISTS ' || s || '.monitor_frozen ('
		'municipality integer NOT NULL, programme text NOT NULL, indicator text NOT NULL, '
		'measured_at text NOT NULL, measured_on date NOT NULL, extract_date date NOT NULL, '
		'frozen_at timestamptz NOT NULL DEFAULT pg_catalog.now(), '
		'state ' || quote_ident('@extschema@') || '.indicator_state, n_persons bigint, '
		'PRIMARY KEY (municipality, programme, indicator, measured_at))';
END
$$;
COMMENT ON FUNCTION monitor_setup(text) IS
'Creates the monitoring tables that do not exist yet in an existing schema: person, observation_period, person_path, programme, course, progression_item (filled with the 13 default items when empty), progression_score and goal, and the monitor-owned monitor_batch, monitor_state and monitor_frozen (docs/monitoring.md). Existing tables are left as they are.';

-- The qualified, quoted name of one monitoring table, after checking that
-- the schema exists and the caller may use it; every monitoring function
-- reaches its tables through this, so a missing table names the fix.
CREATE FUNCTION _monitor_table(schema_name text, table_name text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF schema_name IS NULL THEN
		RAISE EXCEPTION 'schema_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = schema_name) THEN
		RAISE EXCEPTION 'schema "%" does not exist', schema_name
			USING ERRCODE = 'invalid_schema_name',
			      HINT = 'Pass the schema that holds the monitoring tables (docs/monitoring.md).';
	END IF;
	IF NOT has_schema_privilege(schema_name, 'USAGE') THEN
		RAISE EXCEPTION 'permission denied for schema %', schema_name
			USING ERRCODE = 'insufficient_privilege',
			      HINT = format('The schema owner can GRANT USAGE ON SCHEMA %I TO %I;', schema_name, current_user);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	               WHERE n.nspname = schema_name AND c.relname = table_name
	                 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) THEN
		RAISE EXCEPTION 'table %.% does not exist', quote_ident(schema_name), quote_ident(table_name)
			USING ERRCODE = 'undefined_table',
			      HINT = format('Create the monitoring tables with SELECT monitor_setup(%L); and fill %s (docs/monitoring.md).',
			                    schema_name, table_name);
	END IF;
	RETURN quote_ident(schema_name) || '.' || quote_ident(table_name);
END
$$;
COMMENT ON FUNCTION _monitor_table(text, text) IS
'Internal: the quoted schema-qualified name of a monitoring table, with a clear error when the schema or table is missing or the schema may not be used.';
