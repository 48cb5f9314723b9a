-- benefit_path: one person's weekly benefit history as runs of equal codes
-- from a start Monday. Text form: 2019-01-07:130x4,-x4,997x2 ("-" = no
-- benefit). Layout and rules: docs/reference.md (section path).

CREATE TYPE benefit_path;

CREATE FUNCTION benefit_path_in(cstring) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_in(cstring) IS
'Input of benefit_path: <start Monday>:<code>x<weeks>,... validated strictly; errors name the character position.';

CREATE FUNCTION benefit_path_out(benefit_path) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_path_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_out(benefit_path) IS
'Output of benefit_path in canonical text form (adjacent equal runs merged).';

CREATE FUNCTION benefit_path_recv(internal) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_recv(internal) IS
'Binary input of benefit_path (version byte, start, runs), validated like the text input.';

CREATE FUNCTION benefit_path_send(benefit_path) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_path_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_send(benefit_path) IS
'Binary output of benefit_path.';

CREATE TYPE benefit_path (
	INPUT = benefit_path_in,
	OUTPUT = benefit_path_out,
	RECEIVE = benefit_path_recv,
	SEND = benefit_path_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE benefit_path IS
'One person''s weekly benefit history: a start Monday and runs (code or none, weeks), stored as versioned varints.';

CREATE FUNCTION benefit_path_eq(benefit_path, benefit_path) RETURNS boolean
AS 'MODULE_PATHNAME', 'si_path_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION benefit_path_eq(benefit_path, benefit_path) IS 'Whether two paths are equal (same start and runs).';
CREATE FUNCTION benefit_path_ne(benefit_path, benefit_path) RETURNS boolean
AS 'MODULE_PATHNAME', 'si_path_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION benefit_path_ne(benefit_path, benefit_path) IS 'Whether two paths differ.';
CREATE FUNCTION benefit_path_hash(benefit_path) RETURNS integer
AS 'MODULE_PATHNAME', 'si_path_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_hash(benefit_path) IS 'Hash of a path (hash operator class: DISTINCT, GROUP BY, hash joins).';
CREATE OPERATOR = (
	LEFTARG = benefit_path, RIGHTARG = benefit_path, PROCEDURE = benefit_path_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = benefit_path, RIGHTARG = benefit_path, PROCEDURE = benefit_path_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR CLASS benefit_path_hash_ops DEFAULT FOR TYPE benefit_path USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 benefit_path_hash(benefit_path);

-- Builders --------------------------------------------------------------
-- The aggregates' partial states are real types (not internal), so that
-- Citus runs the aggregates partially on its workers and PostgreSQL in
-- parallel workers: an expanded object while the aggregate runs, stored or
-- sent as versioned bytes (text form: hexadecimal), validated on input
-- (src/paths/partial_state.c).

CREATE TYPE benefit_path_partial;
CREATE FUNCTION benefit_path_partial_in(cstring) RETURNS benefit_path_partial
AS 'MODULE_PATHNAME', 'si_path_week_partial_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_partial_in(cstring) IS
'Input of benefit_path_partial (hexadecimal of the versioned bytes), validated.';
CREATE FUNCTION benefit_path_partial_out(benefit_path_partial) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_path_week_partial_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_partial_out(benefit_path_partial) IS
'Output of benefit_path_partial: its versioned bytes in hexadecimal.';
CREATE FUNCTION benefit_path_partial_recv(internal) RETURNS benefit_path_partial
AS 'MODULE_PATHNAME', 'si_path_week_partial_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_partial_recv(internal) IS
'Binary input of benefit_path_partial, validated.';
CREATE FUNCTION benefit_path_partial_send(benefit_path_partial) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_path_week_partial_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_partial_send(benefit_path_partial) IS
'Binary output of benefit_path_partial.';
CREATE TYPE benefit_path_partial (
	INPUT = benefit_path_partial_in, OUTPUT = benefit_path_partial_out,
	RECEIVE = benefit_path_partial_recv, SEND = benefit_path_partial_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended
);
COMMENT ON TYPE benefit_path_partial IS
'Partial state of benefit_path(week, code [, on_duplicate]): the rows of one group so far (in-order rows as runs, others as rows); what Citus workers and parallel workers send to be combined.';

CREATE FUNCTION benefit_path_week_trans(benefit_path_partial, date, integer) RETURNS benefit_path_partial
AS 'MODULE_PATHNAME', 'si_path_week_partial_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_trans(benefit_path_partial, date, integer) IS
'Transition function of benefit_path(week, code).';
CREATE FUNCTION benefit_path_week_trans(benefit_path_partial, date, integer, text) RETURNS benefit_path_partial
AS 'MODULE_PATHNAME', 'si_path_week_partial_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_trans(benefit_path_partial, date, integer, text) IS
'Transition function of benefit_path(week, code, on_duplicate).';
CREATE FUNCTION benefit_path_week_combine(benefit_path_partial, benefit_path_partial) RETURNS benefit_path_partial
AS 'MODULE_PATHNAME', 'si_path_week_partial_combine' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_combine(benefit_path_partial, benefit_path_partial) IS
'Combine function of benefit_path(week, code): the rows of two partial states together (the final function finds duplicates whatever the split).';
CREATE FUNCTION benefit_path_week_final(benefit_path_partial) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_week_partial_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_final(benefit_path_partial) IS
'Final function of benefit_path(week, code): sorts, checks duplicates, builds runs.';

CREATE AGGREGATE benefit_path(week date, code integer) (
	SFUNC = benefit_path_week_trans, STYPE = benefit_path_partial, SSPACE = 256,
	FINALFUNC = benefit_path_week_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_week_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_path(date, integer) IS
'Benefit path from person-week rows in any order: NULL code or a missing week between the first and last row = no benefit; a week given twice is an error naming the week.';

CREATE AGGREGATE benefit_path(week date, code integer, on_duplicate text) (
	SFUNC = benefit_path_week_trans, STYPE = benefit_path_partial, SSPACE = 256,
	FINALFUNC = benefit_path_week_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_week_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_path(date, integer, text) IS
'Benefit path from person-week rows; on_duplicate = ''error'' (as the two-argument form) or ''dream_priority'' (censoring codes beat other codes, any code beats no benefit, else the lower code).';

CREATE TYPE benefit_path_spells_partial;
CREATE FUNCTION benefit_path_spells_partial_in(cstring) RETURNS benefit_path_spells_partial
AS 'MODULE_PATHNAME', 'si_path_spell_partial_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spells_partial_in(cstring) IS
'Input of benefit_path_spells_partial (hexadecimal of the versioned bytes), validated.';
CREATE FUNCTION benefit_path_spells_partial_out(benefit_path_spells_partial) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_path_spell_partial_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spells_partial_out(benefit_path_spells_partial) IS
'Output of benefit_path_spells_partial: its versioned bytes in hexadecimal.';
CREATE FUNCTION benefit_path_spells_partial_recv(internal) RETURNS benefit_path_spells_partial
AS 'MODULE_PATHNAME', 'si_path_spell_partial_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spells_partial_recv(internal) IS
'Binary input of benefit_path_spells_partial, validated.';
CREATE FUNCTION benefit_path_spells_partial_send(benefit_path_spells_partial) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_path_spell_partial_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spells_partial_send(benefit_path_spells_partial) IS
'Binary output of benefit_path_spells_partial.';
CREATE TYPE benefit_path_spells_partial (
	INPUT = benefit_path_spells_partial_in, OUTPUT = benefit_path_spells_partial_out,
	RECEIVE = benefit_path_spells_partial_recv, SEND = benefit_path_spells_partial_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended
);
COMMENT ON TYPE benefit_path_spells_partial IS
'Partial state of benefit_path_from_spells: the spells of one group so far with their input positions; what Citus workers and parallel workers send to be combined.';

CREATE FUNCTION benefit_path_spell_trans(benefit_path_spells_partial, date, date, integer) RETURNS benefit_path_spells_partial
AS 'MODULE_PATHNAME', 'si_path_spell_partial_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_trans(benefit_path_spells_partial, date, date, integer) IS
'Transition function of benefit_path_from_spells.';
CREATE FUNCTION benefit_path_spell_combine(benefit_path_spells_partial, benefit_path_spells_partial) RETURNS benefit_path_spells_partial
AS 'MODULE_PATHNAME', 'si_path_spell_partial_combine' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_combine(benefit_path_spells_partial, benefit_path_spells_partial) IS
'Combine function of benefit_path_from_spells.';
CREATE FUNCTION benefit_path_spell_final(benefit_path_spells_partial) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_spell_partial_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_final(benefit_path_spells_partial) IS
'Final function of benefit_path_from_spells: sorts, rejects overlaps, merges adjacent equal runs.';

CREATE AGGREGATE benefit_path_from_spells(from_week date, to_week date, code integer) (
	SFUNC = benefit_path_spell_trans, STYPE = benefit_path_spells_partial,
	FINALFUNC = benefit_path_spell_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_spell_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_path_from_spells(date, date, integer) IS
'Benefit path from spells (inclusive weeks, any order): gaps = no benefit, adjacent equal codes merge; overlapping spells or to_week < from_week are errors naming the spells.';

CREATE FUNCTION path_cover(path benefit_path, from_week date, to_week date) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_cover' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION path_cover(benefit_path, date, date) IS
'The path extended with no-benefit weeks to cover [from_week, to_week] (a NULL path gives all no benefit): states the period a person-week table covers, where no row means no benefit.';

CREATE FUNCTION path_observed(path benefit_path, observed_from date, observed_to date) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_observed' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION path_observed(benefit_path, date, date) IS
'The path cut to the weeks of [observed_from, observed_to] (a person''s arrival to emigration, death or the end of the data): observed weeks without a benefit week are no benefit, weeks outside the period are unobserved, so rates leave them out. A NULL path (no benefit rows, e.g. from a LEFT JOIN) gives no benefit over the whole period; NULL observed_from or observed_to is an error.';

-- Accessors -------------------------------------------------------------

CREATE FUNCTION path_start(path benefit_path) RETURNS date
AS 'MODULE_PATHNAME', 'si_path_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION path_start(benefit_path) IS 'Monday of the first week of the path.';

CREATE FUNCTION path_end(path benefit_path) RETURNS date
AS 'MODULE_PATHNAME', 'si_path_end' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION path_end(benefit_path) IS 'Monday of the last week of the path.';

CREATE FUNCTION path_weeks(path benefit_path) RETURNS integer
AS 'MODULE_PATHNAME', 'si_path_weeks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION path_weeks(benefit_path) IS 'Number of weeks the path spans.';

CREATE FUNCTION path_runs(path benefit_path)
RETURNS TABLE (from_week date, to_week date, code integer, weeks integer)
AS 'MODULE_PATHNAME', 'si_path_runs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION path_runs(benefit_path) IS
'The runs of a path as rows (Mondays, both inclusive); code NULL = no benefit.';

CREATE FUNCTION code_at(path benefit_path, week date) RETURNS integer
AS 'MODULE_PATHNAME', 'si_code_at' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION code_at(benefit_path, date) IS
'Benefit code of the week (any day in it); NULL for no benefit or a week outside the path (compare path_start/path_end).';

-- Measures --------------------------------------------------------------

CREATE FUNCTION selfsufficiency_share(path benefit_path, from_week date, to_week date,
                                      profile text DEFAULT 'strict') RETURNS float8
AS 'MODULE_PATHNAME', 'si_selfsufficiency_share' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_share(benefit_path, date, date, text) IS
'Share of self-supporting weeks in [from_week, to_week] = self / (self + benefit + unknown weeks): censored weeks and weeks outside the path leave the denominator; NULL when no week is observed; unmapped codes count as not self-supporting.';

CREATE FUNCTION self_supporting_at(path benefit_path, week date, profile text DEFAULT 'strict') RETURNS boolean
AS 'MODULE_PATHNAME', 'si_self_supporting_at' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION self_supporting_at(benefit_path, date, text) IS
'Whether the person was self-supporting in the week; NULL when censored or outside the path.';

CREATE TYPE path_week_counts AS (self integer, benefit integer, censored integer, unknown integer, unobserved integer);
COMMENT ON TYPE path_week_counts IS 'Weeks of a window by state (result of path_week_states).';

CREATE FUNCTION path_week_states(path benefit_path, from_week date, to_week date,
                                 profile text DEFAULT 'strict') RETURNS path_week_counts
AS 'MODULE_PATHNAME', 'si_path_week_states' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION path_week_states(benefit_path, date, date, text) IS
'Weeks of [from_week, to_week] that are self-supporting, on benefit, censored, unmapped (unknown) and outside the path (unobserved).';

CREATE FUNCTION longest_selfsupporting_run(path benefit_path, from_week date, to_week date,
                                           profile text DEFAULT 'strict') RETURNS integer
AS 'MODULE_PATHNAME', 'si_longest_self_run' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION longest_selfsupporting_run(benefit_path, date, date, text) IS
'Longest run of consecutive self-supporting weeks inside [from_week, to_week].';

CREATE FUNCTION durable_selfsufficiency_week(path benefit_path, from_week date, k integer,
                                             profile text DEFAULT 'strict') RETURNS date
AS 'MODULE_PATHNAME', 'si_durable_week' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION durable_selfsufficiency_week(benefit_path, date, integer, text) IS
'First week on or after from_week that starts k consecutive self-supporting weeks; NULL if none before censoring or the end of the path.';

CREATE FUNCTION sustained_selfsufficiency(path benefit_path, k integer, from_week date, to_week date,
                                          profile text DEFAULT 'strict') RETURNS boolean
AS 'MODULE_PATHNAME', 'si_sustained' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION sustained_selfsufficiency(benefit_path, integer, date, date, text) IS
'Sustained self-sufficiency: whether a run of at least k self-supporting weeks starts in [from_week, to_week] (the run may continue after to_week, within the observed path).';

CREATE FUNCTION x_of_y(path benefit_path, x integer, y integer, at_week date,
                       profile text DEFAULT 'strict') RETURNS boolean
AS 'MODULE_PATHNAME', 'si_x_of_y' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION x_of_y(benefit_path, integer, integer, date, text) IS
'At least x self-supporting weeks among the y weeks ending at at_week; NULL when censored or unobserved weeks leave it undecided.';

CREATE FUNCTION selfsufficiency_presets()
RETURNS TABLE (preset text, kind text, k integer, x integer, y integer, source text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	VALUES ('dream_4', 'run', 4, NULL::integer, NULL::integer, 'DREAM tooling (DREAMtoolsR u.spells): 4 consecutive weeks without benefit'),
	       ('dwp_13', 'run', 13, NULL, NULL, 'UK DWP Innovation Fund: 13 weeks in work and off benefit'),
	       ('dwp_26', 'run', 26, NULL, NULL, 'UK DWP Innovation Fund / resultattilskud: 26 weeks (6 months)'),
	       ('refusion_reset', 'x_of_y', NULL, 52, 156, 'LBK 221 af 12/02/2021 section 6(1): 52 weeks of self-support within 3 years')
$$;
COMMENT ON FUNCTION selfsufficiency_presets() IS
'Named presets of durable self-sufficiency (no statutory definition exists; these are the ones in use, source column): k for durable_selfsufficiency_week / sustained_selfsufficiency / km_state, x and y for x_of_y.';

CREATE FUNCTION weeks_in_categories(path benefit_path, from_week date, to_week date, categories text[]) RETURNS integer
AS 'MODULE_PATHNAME', 'si_weeks_in_categories' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION weeks_in_categories(benefit_path, date, date, text[]) IS
'Weeks of [from_week, to_week] whose code belongs to one of the categories (''none'' = no benefit, ''unknown'' = unmapped); for full-time equivalents (weeks in the categories / weeks in the period). Unknown category names are an error.';

CREATE FUNCTION path_unknown_weeks(path benefit_path, from_week date, to_week date) RETURNS integer
AS 'MODULE_PATHNAME', 'si_path_unknown_weeks' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION path_unknown_weeks(benefit_path, date, date) IS
'Weeks of [from_week, to_week] with a code that benefit_code does not map in that week (never counted as self-supporting): the warning path.';

-- Many persons at once ----------------------------------------------------
-- benefit_paths(person_id, week, code): every person's path from
-- person-week rows without GROUP BY person_id (src/paths_stream.c).

CREATE TYPE benefit_path_set AS (person_id bigint[], path benefit_path[]);
COMMENT ON TYPE benefit_path_set IS
'Result of benefit_paths: persons in ascending order and their benefit paths (same positions).';

CREATE TYPE benefit_paths_partial;
CREATE FUNCTION benefit_paths_partial_in(cstring) RETURNS benefit_paths_partial
AS 'MODULE_PATHNAME', 'si_paths_partial_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_partial_in(cstring) IS
'Input of benefit_paths_partial (hexadecimal of the versioned bytes), validated.';
CREATE FUNCTION benefit_paths_partial_out(benefit_paths_partial) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_paths_partial_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_partial_out(benefit_paths_partial) IS
'Output of benefit_paths_partial: its versioned bytes in hexadecimal.';
CREATE FUNCTION benefit_paths_partial_recv(internal) RETURNS benefit_paths_partial
AS 'MODULE_PATHNAME', 'si_paths_partial_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_partial_recv(internal) IS
'Binary input of benefit_paths_partial, validated.';
CREATE FUNCTION benefit_paths_partial_send(benefit_paths_partial) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_paths_partial_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_partial_send(benefit_paths_partial) IS
'Binary output of benefit_paths_partial.';
CREATE TYPE benefit_paths_partial (
	INPUT = benefit_paths_partial_in, OUTPUT = benefit_paths_partial_out,
	RECEIVE = benefit_paths_partial_recv, SEND = benefit_paths_partial_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended
);
COMMENT ON TYPE benefit_paths_partial IS
'Partial state of benefit_paths: the persons'' entries (runs) and late rows so far; what Citus workers and parallel workers send to be combined (a person met in two partial states is merged by the final function).';

CREATE FUNCTION benefit_paths_trans(benefit_paths_partial, bigint, date, integer) RETURNS benefit_paths_partial
AS 'MODULE_PATHNAME', 'si_paths_partial_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_trans(benefit_paths_partial, bigint, date, integer) IS
'Transition function of benefit_paths(person_id, week, code).';
CREATE FUNCTION benefit_paths_trans(benefit_paths_partial, bigint, date, integer, text) RETURNS benefit_paths_partial
AS 'MODULE_PATHNAME', 'si_paths_partial_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_trans(benefit_paths_partial, bigint, date, integer, text) IS
'Transition function of benefit_paths(person_id, week, code, on_duplicate).';
CREATE FUNCTION benefit_paths_combine(benefit_paths_partial, benefit_paths_partial) RETURNS benefit_paths_partial
AS 'MODULE_PATHNAME', 'si_paths_partial_combine' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_combine(benefit_paths_partial, benefit_paths_partial) IS
'Combine function of benefit_paths: concatenates the persons of two partial states (the final function merges a person met in both).';
CREATE FUNCTION benefit_paths_final(benefit_paths_partial) RETURNS benefit_path_set
AS 'MODULE_PATHNAME', 'si_paths_partial_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_final(benefit_paths_partial) IS
'Final function of benefit_paths: one path per person, built as benefit_path(week, code) builds it.';

CREATE AGGREGATE benefit_paths(person_id bigint, week date, code integer) (
	SFUNC = benefit_paths_trans, STYPE = benefit_paths_partial,
	FINALFUNC = benefit_paths_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_paths_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_paths(bigint, date, integer) IS
'Every person''s benefit path from person-week rows, without GROUP BY person_id: fast when rows come in (person, week) order, right in any order; the same paths as benefit_path(week, code) ... GROUP BY person_id. Unnest with benefit_paths_rows.';

CREATE AGGREGATE benefit_paths(person_id bigint, week date, code integer, on_duplicate text) (
	SFUNC = benefit_paths_trans, STYPE = benefit_paths_partial,
	FINALFUNC = benefit_paths_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_paths_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_paths(bigint, date, integer, text) IS
'Every person''s benefit path from person-week rows; on_duplicate = ''error'' or ''dream_priority'' as in benefit_path(week, code, on_duplicate).';

CREATE FUNCTION benefit_paths_rows(paths benefit_path_set)
RETURNS TABLE (person_id bigint, path benefit_path)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT u.person_id, u.path FROM unnest(($1).person_id, ($1).path) AS u(person_id, path) $$;
COMMENT ON FUNCTION benefit_paths_rows(benefit_path_set) IS
'One row per person (person_id, path) from a benefit_paths result; no rows for NULL.';

-- benefit_paths_scan(tbl): the paths of benefit_paths, read straight from
-- a whole table (and its partitions) without the executor's per-row costs.
-- PARALLEL RESTRICTED: it opens the table itself, and a parallel worker
-- cannot read the leader's temporary tables.
CREATE FUNCTION benefit_paths_scan(relation regclass DEFAULT NULL, person_column name DEFAULT 'person_id',
	week_column name DEFAULT 'week', code_column name DEFAULT 'code', on_duplicate text DEFAULT 'error',
	tbl regclass DEFAULT NULL)
RETURNS TABLE (person_id bigint, path benefit_path)
AS 'MODULE_PATHNAME', 'si_paths_scan' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 100000;
COMMENT ON FUNCTION benefit_paths_scan(regclass, name, name, name, text, regclass) IS
'Every person''s benefit path read straight from a person-week table (bigint, integer or smallint person (text or uuid ids: benefit_paths_scan_text), date week, integer code; NULL code = no benefit), persons in ascending order: the same paths as benefit_paths, several times faster. Needs USAGE on the schema and SELECT on the table or the three columns; where row-level security applies to the caller, reads the rows through a query so only the rows the policies allow are counted; views, foreign tables, parents with a foreign partition and Citus tables are read through that query too (never scanned: their rows are not in this server''s storage). tbl is the deprecated name of relation (0.3.0 only, NOTICE 01P01).';

-- benefit_paths_scan_text(relation): the same, for person ids that are
-- not integers (text, varchar, char(n), uuid; integers too), returned as
-- text so that they join back to the person table they came from.
CREATE FUNCTION benefit_paths_scan_text(relation regclass, person_column name DEFAULT 'person_id',
	week_column name DEFAULT 'week', code_column name DEFAULT 'code', on_duplicate text DEFAULT 'error')
RETURNS TABLE (person_id text, path benefit_path)
AS 'MODULE_PATHNAME', 'si_paths_scan' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 100000;
COMMENT ON FUNCTION benefit_paths_scan_text(regclass, name, name, name, text) IS
'benefit_paths_scan for any person id type: text, varchar, char(n) (without trailing blanks, as ::text), uuid (canonical text) or integer (decimal); person_id comes back as text, persons in the order they first appear in the table (integers: ascending). Text and uuid ids are mapped once to internal keys (no hashing, so no two persons can merge) and read by the calling backend alone. Same paths, rules, errors and privileges as benefit_paths_scan.';
