-- The DREAM benefit-code map and classification profiles, as data.
--
-- Codes and their meaning change between DREAM releases, so the map is a
-- table with validity periods, never constants in C. Rows shipped with the
-- extension have source = 'shipped' and are not dumped (CREATE EXTENSION
-- recreates them); rows users add have source = 'user', are kept by
-- pg_dump, and take precedence over shipped rows for the weeks they cover.

CREATE TABLE benefit_code (
	code integer NOT NULL CHECK (code BETWEEN 1 AND 9999),
	category text NOT NULL CONSTRAINT benefit_code_category_name CHECK (category ~ '^[a-z][a-z0-9_]*$' AND category NOT IN ('none', 'unknown')),
	self_supporting boolean NOT NULL,
	censor boolean NOT NULL DEFAULT false,
	supported_employment boolean NOT NULL DEFAULT false,
	payer_rule text NOT NULL DEFAULT 'none'
		CHECK (payer_rule IN ('refusion', 'cofinancing', 'none')),
	valid_from date NOT NULL DEFAULT '-infinity',
	valid_to date NOT NULL DEFAULT 'infinity',
	description text,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (code, source, valid_from),
	CONSTRAINT benefit_code_period CHECK (valid_from < valid_to),
	CONSTRAINT benefit_code_censor_not_self CHECK (NOT (censor AND self_supporting))
);
COMMENT ON TABLE benefit_code IS
'DREAM benefit code -> category, self-supporting (strict profile), censoring, validity [valid_from, valid_to). '
'PROVISIONAL: the shipped rows are a working map after published DREAM groupings (e.g. BMC Public Health 2023;23:224, Table 2), to be validated against STAR''s official code list. '
'Add rows with source = ''user'' to override shipped rows; they are kept by pg_dump.';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON benefit_code TO PUBLIC;

CREATE TABLE classification_profile (
	profile text PRIMARY KEY CHECK (profile ~ '^[a-z][a-z0-9_]*$'),
	description text NOT NULL,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user'))
);
COMMENT ON TABLE classification_profile IS
'Named classification profiles: which benefit categories count as self-supporting. A category without a rule keeps benefit_code.self_supporting (the strict reading).';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON classification_profile TO PUBLIC;

CREATE TABLE classification_rule (
	profile text NOT NULL REFERENCES classification_profile (profile) ON UPDATE CASCADE ON DELETE CASCADE,
	category text NOT NULL,
	self_supporting boolean NOT NULL,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (profile, category)
);
COMMENT ON TABLE classification_rule IS
'Per-profile override of whether a benefit category counts as self-supporting.';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON classification_rule TO PUBLIC;

-- Rows shipped with the extension change only in extension scripts
-- (SET LOCAL socialinvest.edit_shipped = on); users add rows with source
-- = 'user', which take precedence. One guard serves every configuration
-- table that has a source column.
CREATE FUNCTION config_shipped_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF coalesce(current_setting('socialinvest.edit_shipped', true), '') = 'on' THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.source = 'shipped' THEN
		RAISE EXCEPTION '% row is shipped with the extension and cannot be changed', TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege',
			      HINT = CASE WHEN TG_TABLE_NAME LIKE 'classification%'
			                  THEN 'Create a profile of your own (source = ''user'') with the rules you need.'
			                  ELSE 'Insert a row with source = ''user'' for the same key and period: user rows take precedence over shipped rows.' END;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.source = 'shipped' THEN
		RAISE EXCEPTION 'rows of % with source = ''shipped'' come only with the extension', TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'Insert the row with source = ''user''.';
	END IF;
	RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION config_shipped_guard() IS
'Trigger: rows of a configuration table with source = ''shipped'' cannot be inserted, changed or deleted outside extension scripts.';

-- TRUNCATE fires no row triggers: a statement trigger refuses it while the
-- table holds shipped rows (TRUNCATE ... CASCADE fires it on every table).
CREATE FUNCTION config_truncate_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	shipped boolean;
BEGIN
	IF coalesce(current_setting('socialinvest.edit_shipped', true), '') = 'on' THEN
		RETURN NULL;
	END IF;
	EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I WHERE source = ''shipped'')', TG_TABLE_SCHEMA, TG_TABLE_NAME)
		INTO shipped;
	IF shipped THEN
		RAISE EXCEPTION 'cannot truncate %: it holds rows shipped with the extension', TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege',
			      HINT = format('Remove your own rows with DELETE FROM %I.%I WHERE source = ''user''.', TG_TABLE_SCHEMA, TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION config_truncate_guard() IS
'Trigger (BEFORE TRUNCATE): a configuration table that holds rows with source = ''shipped'' cannot be truncated outside extension scripts; DELETE the user rows instead.';

-- Overlapping validity periods of one code (within one source) would make
-- the classification of a week ambiguous.
CREATE FUNCTION benefit_code_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	clash record;
BEGIN
	SELECT b.code, b.valid_from, b.valid_to INTO clash
	FROM @extschema@.benefit_code b
	WHERE b.code = NEW.code AND b.source = NEW.source
	  AND (b.code, b.source, b.valid_from) IS DISTINCT FROM (NEW.code, NEW.source, NEW.valid_from)
	  AND (TG_OP = 'INSERT' OR (b.code, b.source, b.valid_from) IS DISTINCT FROM (OLD.code, OLD.source, OLD.valid_from))
	  AND b.valid_from < NEW.valid_to AND NEW.valid_from < b.valid_to
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'validity period [%, %) of benefit code % overlaps its % row valid [%, %)',
			NEW.valid_from, NEW.valid_to, NEW.code, NEW.source, clash.valid_from, clash.valid_to
			USING ERRCODE = 'exclusion_violation',
			      HINT = 'End the earlier period (valid_to) where the new one begins.';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION benefit_code_check() IS
'Trigger: rejects overlapping validity periods of one code and source.';

-- BEFORE triggers fire in name order: the guard first.
CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON benefit_code
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER benefit_code_check BEFORE INSERT OR UPDATE ON benefit_code
FOR EACH ROW EXECUTE FUNCTION benefit_code_check();
CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON classification_profile
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON classification_rule
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON benefit_code
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON classification_profile
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON classification_rule
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();

SET LOCAL socialinvest.edit_shipped = on;

-- Working code map after published DREAM groupings (PROVISIONAL).
INSERT INTO benefit_code (code, category, self_supporting, censor, supported_employment, payer_rule, description, source)
SELECT c, cat, false, false, sup, payer, descr, 'shipped'
FROM (VALUES
	(111, 115, 'dagpenge', false, 'cofinancing', 'Unemployment insurance benefit (a-dagpenge)'),
	(121, 124, 'feriedagpenge', false, 'none', 'Holiday-type benefits'),
	(130, 139, 'kontanthjaelp', false, 'refusion', 'Social assistance incl. education assistance and integration-type benefits'),
	(211, 299, 'aktivering', true, 'none', 'Activation (wage subsidy, company internship, guidance and upskilling)'),
	(411, 414, 'orlov', false, 'none', 'Leave schemes'),
	(500, 650, 'fleks_efterloen', false, 'none', 'Unemployment allowance for flex jobs, flex jobs, early retirement, rehabilitation'),
	(651, 652, 'su', false, 'none', 'State education grant (SU)'),
	(653, 660, 'fleks_efterloen', false, 'none', 'Unemployment allowance for flex jobs, flex jobs, early retirement, rehabilitation'),
	(661, 661, 'voksenuddannelsesstotte', false, 'none', 'Adult education support (SVU/VUS)'),
	(662, 699, 'fleks_efterloen', false, 'none', 'Unemployment allowance for flex jobs, flex jobs, early retirement, rehabilitation'),
	(750, 780, 'helbred', false, 'refusion', 'Health and disability related benefits (resource and job clarification courses, flex job, rehabilitation)'),
	(781, 781, 'foertidspension', false, 'cofinancing', 'Disability pension'),
	(782, 782, 'helbred', false, 'refusion', 'Health and disability related benefits'),
	(783, 783, 'foertidspension', false, 'cofinancing', 'Disability pension'),
	(784, 784, 'helbred', false, 'refusion', 'Health and disability related benefits'),
	(785, 785, 'foertidspension', false, 'cofinancing', 'Disability pension'),
	(810, 818, 'helbred', false, 'refusion', 'Health related benefits'),
	(881, 881, 'barselsdagpenge', false, 'none', 'Maternity/parental benefit'),
	(890, 890, 'sygedagpenge', false, 'refusion', 'Sickness benefit'),
	(893, 893, 'sygedagpenge', false, 'refusion', 'Sickness benefit')
) AS blocks(lo, hi, cat, sup, payer, descr),
LATERAL generate_series(lo, hi) AS c;

INSERT INTO benefit_code (code, category, self_supporting, censor, description, source) VALUES
	(997, 'emigrated', false, true, 'Emigrated (censoring)', 'shipped'),
	(998, 'dead', false, true, 'Dead (censoring)', 'shipped'),
	(999, 'folkepension', false, true, 'State pension (censoring)', 'shipped');

INSERT INTO classification_profile (profile, description, source) VALUES
	('strict', 'Refusion-law reading: only weeks without any public benefit count as self-supporting; supported employment does not.', 'shipped'),
	('with_education', 'strict, plus education grants (SU 651/652) and adult education support (661) count as self-supporting.', 'shipped'),
	('with_leave', 'with_education, plus maternity benefit (881) and holiday-type benefits (121-124) count as self-supporting.', 'shipped');

INSERT INTO classification_rule (profile, category, self_supporting, source) VALUES
	('with_education', 'su', true, 'shipped'),
	('with_education', 'voksenuddannelsesstotte', true, 'shipped'),
	('with_leave', 'su', true, 'shipped'),
	('with_leave', 'voksenuddannelsesstotte', true, 'shipped'),
	('with_leave', 'barselsdagpenge', true, 'shipped'),
	('with_leave', 'feriedagpenge', true, 'shipped');

RESET socialinvest.edit_shipped;

SELECT pg_catalog.pg_extension_config_dump('benefit_code', $$WHERE source = 'user'$$);
SELECT pg_catalog.pg_extension_config_dump('classification_profile', $$WHERE source = 'user'$$);
SELECT pg_catalog.pg_extension_config_dump('classification_rule', $$WHERE source = 'user'$$);

-- Classification of single codes (C; reads the tables above once per query).
CREATE FUNCTION benefit_state(code integer, week date, profile text DEFAULT 'strict') RETURNS text
AS 'MODULE_PATHNAME', 'si_benefit_state'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION benefit_state(integer, date, text) IS
'State of a person-week under a classification profile: self (no benefit or a self-supporting category), benefit, censored (emigration, death, state pension) or unknown (code not in benefit_code: never counted as self-supporting).';

CREATE FUNCTION benefit_category(code integer, week date) RETURNS text
AS 'MODULE_PATHNAME', 'si_benefit_category'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION benefit_category(integer, date) IS
'Category of a DREAM code in force in the week: none for a NULL code (no benefit), unknown for codes missing from benefit_code.';

CREATE FUNCTION unmapped_codes(relation regclass DEFAULT NULL, code_column name DEFAULT 'code',
	week_column name DEFAULT 'week', data regclass DEFAULT NULL)
RETURNS TABLE (code integer, weeks bigint, first_week date, last_week date)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cols text[];
	arg text;
	col text;
	typ oid;
BEGIN
	-- data: the deprecated name of relation (0.3.0 only)
	IF data IS NOT NULL THEN
		IF relation IS NOT NULL THEN
			RAISE EXCEPTION 'unmapped_codes: relation and data are the same argument; give only relation'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		RAISE NOTICE 'argument data is deprecated, use relation' USING ERRCODE = '01P01',
			HINT = 'The old name works in socialinvest 0.3.0 only; see docs/conventions.md.';
		relation := data;
	END IF;
	IF relation IS NULL OR code_column IS NULL OR week_column IS NULL THEN
		RAISE EXCEPTION 'unmapped_codes: relation, code_column and week_column must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- A regclass given as a number (0::regclass, a dropped table's OID) names
	-- no relation: say so, rather than splice the number into the query.
	IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = relation) THEN
		RAISE EXCEPTION 'unmapped_codes: relation: table with OID % does not exist', relation::oid
			USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
	END IF;
	SELECT array_agg(attname::text ORDER BY attnum) INTO cols
	FROM pg_attribute WHERE attrelid = relation AND attnum > 0 AND NOT attisdropped;
	IF NOT code_column = ANY (cols) THEN
		RAISE EXCEPTION 'unmapped_codes: column "%" does not exist in %', code_column, relation
			USING ERRCODE = 'undefined_column', HINT = format('Columns: %s.', array_to_string(cols, ', '));
	END IF;
	IF NOT week_column = ANY (cols) THEN
		RAISE EXCEPTION 'unmapped_codes: column "%" does not exist in %', week_column, relation
			USING ERRCODE = 'undefined_column', HINT = format('Columns: %s.', array_to_string(cols, ', '));
	END IF;
	-- The codes are compared with benefit_code.code (integer) and the weeks
	-- with its validity dates: other column types would fail inside the
	-- query with an operator error that does not say which argument is wrong.
	FOREACH arg IN ARRAY ARRAY['code_column', 'week_column'] LOOP
		col := CASE arg WHEN 'code_column' THEN code_column ELSE week_column END;
		SELECT a.atttypid INTO typ FROM pg_attribute a
		WHERE a.attrelid = relation AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
		WHILE (SELECT t.typtype = 'd' FROM pg_type t WHERE t.oid = typ) LOOP
			SELECT t.typbasetype INTO typ FROM pg_type t WHERE t.oid = typ;
		END LOOP;
		IF arg = 'code_column' AND typ NOT IN ('pg_catalog.int2'::regtype, 'pg_catalog.int4'::regtype,
				'pg_catalog.int8'::regtype) THEN
			RAISE EXCEPTION 'unmapped_codes: code_column "%" is of type %, not an integer type', col, typ::regtype
				USING ERRCODE = 'datatype_mismatch',
					HINT = 'Benefit codes are integers: give an integer column, or a view that casts it (code::integer).';
		ELSIF arg = 'week_column' AND typ NOT IN ('pg_catalog.date'::regtype, 'pg_catalog.timestamp'::regtype,
				'pg_catalog.timestamptz'::regtype) THEN
			RAISE EXCEPTION 'unmapped_codes: week_column "%" is of type %, not a date', col, typ::regtype
				USING ERRCODE = 'datatype_mismatch',
					HINT = 'Give the week as a date column (the Monday of the ISO week), or a view that casts it (week::date).';
		END IF;
	END LOOP;
	-- The query runs with the caller's privileges (no SECURITY DEFINER):
	-- table privileges and row-level security apply as usual. The relation
	-- is read by a plain aggregate of its own (rows per code and week), which
	-- postgres_fdw sends to the remote server and Citus runs on the workers;
	-- only those counts meet benefit_code here. (A subquery that joined the
	-- rows with benefit_code could not be distributed.)
	RETURN QUERY EXECUTE format(
		'WITH seen AS MATERIALIZED (
		     SELECT t.%1$I::pg_catalog.int4 AS code, t.%2$I AS week, pg_catalog.count(*) AS n
		       FROM %3$s t
		      WHERE t.%1$I IS NOT NULL
		      GROUP BY 1, 2)
		 SELECT s.code, pg_catalog.sum(s.n)::pg_catalog.int8, pg_catalog.min(s.week)::pg_catalog.date,
		        pg_catalog.max(s.week)::pg_catalog.date
		   FROM seen s
		  WHERE NOT EXISTS (SELECT 1 FROM @extschema@.benefit_code b
		                     WHERE b.code OPERATOR(pg_catalog.=) s.code
		                       AND s.week OPERATOR(pg_catalog.>=) b.valid_from
		                       AND s.week OPERATOR(pg_catalog.<) b.valid_to)
		  GROUP BY 1 ORDER BY 1', code_column, week_column, relation);
END
$$;
COMMENT ON FUNCTION unmapped_codes(regclass, name, name, regclass) IS
'Codes in a person-week table that benefit_code does not map in the week they occur, with counts: the place to look before trusting any rate. Column arguments are column names as stored; data is the deprecated name of relation (0.3.0 only).';
