-- socialinvest--0.1.0--0.2.0: generated from the fragments below.
-- Do not edit: edit the fragments in extension/<version>/ instead.

\echo Use "CREATE EXTENSION socialinvest" to load this file. \quit

-- ==== 10_path.sql ====
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

CREATE FUNCTION benefit_path_week_trans(internal, date, integer) RETURNS internal
AS 'MODULE_PATHNAME', 'si_path_week_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_trans(internal, date, integer) IS
'Transition function of benefit_path(week, code).';
CREATE FUNCTION benefit_path_week_trans(internal, date, integer, text) RETURNS internal
AS 'MODULE_PATHNAME', 'si_path_week_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_trans(internal, date, integer, text) IS
'Transition function of benefit_path(week, code, on_duplicate).';
CREATE FUNCTION benefit_path_week_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_path_week_combine' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_combine(internal, internal) IS
'Combine function of benefit_path(week, code): concatenates the rows of two partial states.';
CREATE FUNCTION benefit_path_week_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_path_week_serialize' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_serialize(internal) IS
'Serialize function of benefit_path(week, code) (parallel aggregation).';
CREATE FUNCTION benefit_path_week_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_path_week_deserialize' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_deserialize(bytea, internal) IS
'Deserialize function of benefit_path(week, code) (parallel aggregation).';
CREATE FUNCTION benefit_path_week_final(internal) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_week_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_week_final(internal) IS
'Final function of benefit_path(week, code): sorts, checks duplicates, builds runs.';

CREATE AGGREGATE benefit_path(week date, code integer) (
	SFUNC = benefit_path_week_trans, STYPE = internal, SSPACE = 256,
	FINALFUNC = benefit_path_week_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_week_combine,
	SERIALFUNC = benefit_path_week_serialize, DESERIALFUNC = benefit_path_week_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_path(date, integer) IS
'Benefit path from person-week rows in any order: NULL code or a missing week between the first and last row = no benefit; a week given twice is an error naming the week.';

CREATE AGGREGATE benefit_path(week date, code integer, on_duplicate text) (
	SFUNC = benefit_path_week_trans, STYPE = internal, SSPACE = 256,
	FINALFUNC = benefit_path_week_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_week_combine,
	SERIALFUNC = benefit_path_week_serialize, DESERIALFUNC = benefit_path_week_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_path(date, integer, text) IS
'Benefit path from person-week rows; on_duplicate = ''error'' (as the two-argument form) or ''dream_priority'' (censoring codes beat other codes, any code beats no benefit, else the lower code).';

CREATE FUNCTION benefit_path_spell_trans(internal, date, date, integer) RETURNS internal
AS 'MODULE_PATHNAME', 'si_path_spell_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_trans(internal, date, date, integer) IS
'Transition function of benefit_path_from_spells.';
CREATE FUNCTION benefit_path_spell_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_path_spell_combine' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_combine(internal, internal) IS
'Combine function of benefit_path_from_spells.';
CREATE FUNCTION benefit_path_spell_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_path_spell_serialize' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_serialize(internal) IS
'Serialize function of benefit_path_from_spells.';
CREATE FUNCTION benefit_path_spell_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_path_spell_deserialize' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_deserialize(bytea, internal) IS
'Deserialize function of benefit_path_from_spells.';
CREATE FUNCTION benefit_path_spell_final(internal) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_spell_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_path_spell_final(internal) IS
'Final function of benefit_path_from_spells: sorts, rejects overlaps, merges adjacent equal runs.';

CREATE AGGREGATE benefit_path_from_spells(from_week date, to_week date, code integer) (
	SFUNC = benefit_path_spell_trans, STYPE = internal,
	FINALFUNC = benefit_path_spell_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_spell_combine,
	SERIALFUNC = benefit_path_spell_serialize, DESERIALFUNC = benefit_path_spell_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_path_from_spells(date, date, integer) IS
'Benefit path from spells (inclusive weeks, any order): gaps = no benefit, adjacent equal codes merge; overlapping spells or to_week < from_week are errors naming the spells.';

CREATE FUNCTION path_cover(path benefit_path, from_week date, to_week date) RETURNS benefit_path
AS 'MODULE_PATHNAME', 'si_path_cover' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION path_cover(benefit_path, date, date) IS
'The path extended with no-benefit weeks to cover [from_week, to_week] (a NULL path gives all no benefit): states the period a person-week table covers, where no row means no benefit.';

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
'Share of self-supporting weeks in [from_week, to_week] (DOMAIN M2): censored weeks and weeks outside the path leave the denominator; NULL when no week is observed; unmapped codes count as not self-supporting.';

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
'Longest run of consecutive self-supporting weeks inside [from_week, to_week] (DOMAIN M3).';

CREATE FUNCTION durable_selfsufficiency_week(path benefit_path, from_week date, k integer,
                                             profile text DEFAULT 'strict') RETURNS date
AS 'MODULE_PATHNAME', 'si_durable_week' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION durable_selfsufficiency_week(benefit_path, date, integer, text) IS
'First week on or after from_week that starts k consecutive self-supporting weeks; NULL if none before censoring or the end of the path.';

CREATE FUNCTION sustained_selfsufficiency(path benefit_path, k integer, from_week date, to_week date,
                                          profile text DEFAULT 'strict') RETURNS boolean
AS 'MODULE_PATHNAME', 'si_sustained' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION sustained_selfsufficiency(benefit_path, integer, date, date, text) IS
'DOMAIN M3: whether a run of at least k self-supporting weeks starts in [from_week, to_week] (the run may continue after to_week, within the observed path).';

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
'Named presets of durable self-sufficiency (DOMAIN.md 2.3): k for durable_selfsufficiency_week / sustained_selfsufficiency / km_state, x and y for x_of_y.';

CREATE FUNCTION weeks_in_categories(path benefit_path, from_week date, to_week date, categories text[]) RETURNS integer
AS 'MODULE_PATHNAME', 'si_weeks_in_categories' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION weeks_in_categories(benefit_path, date, date, text[]) IS
'Weeks of [from_week, to_week] whose code belongs to one of the categories (''none'' = no benefit, ''unknown'' = unmapped); for full-time equivalents (DOMAIN M4). Unknown category names are an error.';

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

CREATE FUNCTION benefit_paths_trans(internal, bigint, date, integer) RETURNS internal
AS 'MODULE_PATHNAME', 'si_paths_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_trans(internal, bigint, date, integer) IS
'Transition function of benefit_paths(person_id, week, code).';
CREATE FUNCTION benefit_paths_trans(internal, bigint, date, integer, text) RETURNS internal
AS 'MODULE_PATHNAME', 'si_paths_trans' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_trans(internal, bigint, date, integer, text) IS
'Transition function of benefit_paths(person_id, week, code, on_duplicate).';
CREATE FUNCTION benefit_paths_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_paths_combine' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_combine(internal, internal) IS
'Combine function of benefit_paths: concatenates the persons of two partial states (the final function merges a person met in both).';
CREATE FUNCTION benefit_paths_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_paths_serialize' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_serialize(internal) IS
'Serialize function of benefit_paths (parallel aggregation).';
CREATE FUNCTION benefit_paths_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_paths_deserialize' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_deserialize(bytea, internal) IS
'Deserialize function of benefit_paths (parallel aggregation), validated.';
CREATE FUNCTION benefit_paths_final(internal) RETURNS benefit_path_set
AS 'MODULE_PATHNAME', 'si_paths_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION benefit_paths_final(internal) IS
'Final function of benefit_paths: one path per person, built as benefit_path(week, code) builds it.';

CREATE AGGREGATE benefit_paths(person_id bigint, week date, code integer) (
	SFUNC = benefit_paths_trans, STYPE = internal,
	FINALFUNC = benefit_paths_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_paths_combine,
	SERIALFUNC = benefit_paths_serialize, DESERIALFUNC = benefit_paths_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE benefit_paths(bigint, date, integer) IS
'Every person''s benefit path from person-week rows, without GROUP BY person_id: fast when rows come in (person, week) order, right in any order; the same paths as benefit_path(week, code) ... GROUP BY person_id. Unnest with benefit_paths_rows.';

CREATE AGGREGATE benefit_paths(person_id bigint, week date, code integer, on_duplicate text) (
	SFUNC = benefit_paths_trans, STYPE = internal,
	FINALFUNC = benefit_paths_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_paths_combine,
	SERIALFUNC = benefit_paths_serialize, DESERIALFUNC = benefit_paths_deserialize,
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
CREATE FUNCTION benefit_paths_scan(tbl regclass, person_column name DEFAULT 'person_id',
	week_column name DEFAULT 'week', code_column name DEFAULT 'code', on_duplicate text DEFAULT 'error')
RETURNS TABLE (person_id bigint, path benefit_path)
AS 'MODULE_PATHNAME', 'si_paths_scan' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 100000;
COMMENT ON FUNCTION benefit_paths_scan(regclass, name, name, name, text) IS
'Every person''s benefit path read straight from a person-week table (bigint/integer person, date week, integer code; NULL code = no benefit), persons in ascending order: the same paths as benefit_paths, several times faster. Needs USAGE on the schema and SELECT on the table or the three columns; where row-level security applies to the caller, reads the rows through a query so only the rows the policies allow are counted.';

-- ==== 20_rates.sql ====
-- Group aggregates over benefit paths, two-step (DESIGN.md section 4):
-- x_state(...) -> storable versioned state -> x_rollup / x_combine -> accessors.

-- Self-sufficiency rate ---------------------------------------------------

CREATE TYPE selfsufficiency_state;
CREATE FUNCTION selfsufficiency_state_in(cstring) RETURNS selfsufficiency_state
AS 'MODULE_PATHNAME', 'si_rate_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_state_in(cstring) IS 'Input of selfsufficiency_state (v=1;name=value;...), validated.';
CREATE FUNCTION selfsufficiency_state_out(selfsufficiency_state) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_rate_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_state_out(selfsufficiency_state) IS 'Output of selfsufficiency_state; floats shortest-exact.';
CREATE FUNCTION selfsufficiency_state_recv(internal) RETURNS selfsufficiency_state
AS 'MODULE_PATHNAME', 'si_rate_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_state_recv(internal) IS 'Binary input of selfsufficiency_state, validated.';
CREATE FUNCTION selfsufficiency_state_send(selfsufficiency_state) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_rate_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_state_send(selfsufficiency_state) IS 'Binary output of selfsufficiency_state.';
CREATE TYPE selfsufficiency_state (
	INPUT = selfsufficiency_state_in, OUTPUT = selfsufficiency_state_out,
	RECEIVE = selfsufficiency_state_recv, SEND = selfsufficiency_state_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = main
);
COMMENT ON TYPE selfsufficiency_state IS
'Mergeable state of a self-sufficiency rate: persons, week counts by state, weighted mean and sum of squares of the persons'' shares.';

CREATE FUNCTION selfsufficiency_state_trans(selfsufficiency_state, benefit_path, date, date, text)
RETURNS selfsufficiency_state
AS 'MODULE_PATHNAME', 'si_rate_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_state_trans(selfsufficiency_state, benefit_path, date, date, text) IS
'Transition function of selfsufficiency_state(path, from_week, to_week, profile).';
CREATE FUNCTION selfsufficiency_state_trans(selfsufficiency_state, benefit_path, date, date, text, float8)
RETURNS selfsufficiency_state
AS 'MODULE_PATHNAME', 'si_rate_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_state_trans(selfsufficiency_state, benefit_path, date, date, text, float8) IS
'Transition function of selfsufficiency_state(path, from_week, to_week, profile, weight).';
CREATE FUNCTION selfsufficiency_combine(a selfsufficiency_state, b selfsufficiency_state) RETURNS selfsufficiency_state
AS 'MODULE_PATHNAME', 'si_rate_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_combine(selfsufficiency_state, selfsufficiency_state) IS
'Merge two self-sufficiency states (sums; Chan/West merge of the weighted mean): for partitions, batches, shards.';
CREATE FUNCTION selfsufficiency_oneshot_final(selfsufficiency_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_rate_oneshot_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_oneshot_final(selfsufficiency_state) IS
'Final function of selfsufficiency_rate: the person-weighted rate.';

CREATE AGGREGATE selfsufficiency_state(path benefit_path, from_week date, to_week date, profile text) (
	SFUNC = selfsufficiency_state_trans, STYPE = selfsufficiency_state,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_state(benefit_path, date, date, text) IS
'Self-sufficiency rate state over persons (one row per person, each with its own window).';
CREATE AGGREGATE selfsufficiency_state(path benefit_path, from_week date, to_week date, profile text, weight float8) (
	SFUNC = selfsufficiency_state_trans, STYPE = selfsufficiency_state,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_state(benefit_path, date, date, text, float8) IS
'Weighted self-sufficiency rate state over persons (weights > 0).';
CREATE AGGREGATE selfsufficiency_rollup(selfsufficiency_state) (
	SFUNC = selfsufficiency_combine, STYPE = selfsufficiency_state,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_rollup(selfsufficiency_state) IS
'Merge stored self-sufficiency states (e.g. municipality -> region, month -> year).';
CREATE AGGREGATE selfsufficiency_rate(path benefit_path, from_week date, to_week date, profile text) (
	SFUNC = selfsufficiency_state_trans, STYPE = selfsufficiency_state,
	FINALFUNC = selfsufficiency_oneshot_final,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_rate(benefit_path, date, date, text) IS
'One-shot person-weighted self-sufficiency rate (mean of the persons'' shares).';

CREATE FUNCTION rate_person_weighted(state selfsufficiency_state, min_n integer DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'si_rate_person_weighted' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rate_person_weighted(selfsufficiency_state, integer) IS
'Weighted mean of the persons'' self-sufficiency shares; NULL below min_n persons with an observed week.';
CREATE FUNCTION rate_week_weighted(state selfsufficiency_state, min_n integer DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'si_rate_week_weighted' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rate_week_weighted(selfsufficiency_state, integer) IS
'Self-supporting weeks / observed weeks over all persons (weighted); NULL below min_n persons.';
CREATE FUNCTION rate_stderr(state selfsufficiency_state, min_n integer DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'si_rate_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rate_stderr(selfsufficiency_state, integer) IS
'Standard error of the person-weighted rate, weights read as frequency weights: sqrt(M2 / (W - 1) / W).';
CREATE TYPE selfsufficiency_counts AS (
	persons bigint, persons_unobserved bigint, paths_missing bigint, self_weeks bigint,
	observed_weeks bigint, censored_weeks bigint, unknown_weeks bigint, unobserved_weeks bigint, sum_weights float8);
COMMENT ON TYPE selfsufficiency_counts IS 'Counts of a selfsufficiency_state (result of rate_counts).';
CREATE FUNCTION rate_counts(state selfsufficiency_state) RETURNS selfsufficiency_counts
AS 'MODULE_PATHNAME', 'si_rate_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rate_counts(selfsufficiency_state) IS
'Persons with a share, persons wholly censored/unobserved, NULL paths, and week counts (unknown_weeks = unmapped codes: the warning path).';

-- Many windows in one call: one state per window ---------------------------

CREATE FUNCTION selfsufficiency_states_trans(internal, benefit_path, date[], date[], text)
RETURNS internal
AS 'MODULE_PATHNAME', 'si_rates_windows_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_trans(internal, benefit_path, date[], date[], text) IS
'Transition function of selfsufficiency_states(path, from_weeks, to_weeks, profile).';
CREATE FUNCTION selfsufficiency_states_trans(internal, benefit_path, date[], date[], text, float8)
RETURNS internal
AS 'MODULE_PATHNAME', 'si_rates_windows_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_trans(internal, benefit_path, date[], date[], text, float8) IS
'Transition function of selfsufficiency_states(path, from_weeks, to_weeks, profile, weight).';
CREATE FUNCTION selfsufficiency_states_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_rates_windows_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_combine(internal, internal) IS
'Combine function of selfsufficiency_states: window by window, the merge of selfsufficiency_combine (the windows must agree).';
CREATE FUNCTION selfsufficiency_states_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_rates_windows_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_serialize(internal) IS
'Serialize function of selfsufficiency_states (parallel aggregation; versioned).';
CREATE FUNCTION selfsufficiency_states_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_rates_windows_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_deserialize(bytea, internal) IS
'Deserialize function of selfsufficiency_states (parallel aggregation; version, windows and every state validated).';
CREATE FUNCTION selfsufficiency_states_final(internal) RETURNS selfsufficiency_state[]
AS 'MODULE_PATHNAME', 'si_rates_windows_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_final(internal) IS
'Final function of selfsufficiency_states: the window states as selfsufficiency_state[].';

CREATE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile text) (
	SFUNC = selfsufficiency_states_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	SERIALFUNC = selfsufficiency_states_serialize, DESERIALFUNC = selfsufficiency_states_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_states(benefit_path, date[], date[], text) IS
'Self-sufficiency rate states of many windows from one row per person: element k is selfsufficiency_state(path, from_weeks[k], to_weeks[k], profile) over the same rows (the windows must be the same on every row).';
CREATE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile text, weight float8) (
	SFUNC = selfsufficiency_states_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	SERIALFUNC = selfsufficiency_states_serialize, DESERIALFUNC = selfsufficiency_states_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_states(benefit_path, date[], date[], text, float8) IS
'Weighted self-sufficiency rate states of many windows (weights > 0): element k is selfsufficiency_state(path, from_weeks[k], to_weeks[k], profile, weight).';

-- Full-time equivalents (DOMAIN M4) -----------------------------------------

CREATE TYPE fte_state;
CREATE FUNCTION fte_state_in(cstring) RETURNS fte_state
AS 'MODULE_PATHNAME', 'si_fte_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_state_in(cstring) IS 'Input of fte_state, validated.';
CREATE FUNCTION fte_state_out(fte_state) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_fte_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_state_out(fte_state) IS 'Output of fte_state.';
CREATE FUNCTION fte_state_recv(internal) RETURNS fte_state
AS 'MODULE_PATHNAME', 'si_fte_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_state_recv(internal) IS 'Binary input of fte_state, validated.';
CREATE FUNCTION fte_state_send(fte_state) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_fte_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_state_send(fte_state) IS 'Binary output of fte_state.';
CREATE TYPE fte_state (
	INPUT = fte_state_in, OUTPUT = fte_state_out, RECEIVE = fte_state_recv, SEND = fte_state_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = main
);
COMMENT ON TYPE fte_state IS 'Mergeable state of full-time equivalents: period length, persons, persons with weeks in the set, weeks.';

CREATE FUNCTION fte_state_trans(fte_state, benefit_path, date, date, text[]) RETURNS fte_state
AS 'MODULE_PATHNAME', 'si_fte_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION fte_state_trans(fte_state, benefit_path, date, date, text[]) IS 'Transition function of fte_state.';
CREATE FUNCTION fte_combine(a fte_state, b fte_state) RETURNS fte_state
AS 'MODULE_PATHNAME', 'si_fte_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_combine(fte_state, fte_state) IS 'Merge two full-time-equivalent states (same period length).';
CREATE AGGREGATE fte_state(path benefit_path, from_week date, to_week date, categories text[]) (
	SFUNC = fte_state_trans, STYPE = fte_state, COMBINEFUNC = fte_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE fte_state(benefit_path, date, date, text[]) IS
'Full-time-equivalent state over persons: weeks of [from_week, to_week] in the categories (every window the same length).';
CREATE AGGREGATE fte_rollup(fte_state) (
	SFUNC = fte_combine, STYPE = fte_state, COMBINEFUNC = fte_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE fte_rollup(fte_state) IS 'Merge stored full-time-equivalent states.';
CREATE FUNCTION fte(state fte_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_fte_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte(fte_state) IS 'Full-time equivalents (fuldtidspersoner): weeks in the categories / weeks in the period.';
CREATE FUNCTION fte_persons(state fte_state) RETURNS bigint
AS 'MODULE_PATHNAME', 'si_fte_persons' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_persons(fte_state) IS 'Persons with at least one week in the categories.';
CREATE FUNCTION fte_avg_weeks(state fte_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_fte_avg_weeks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_avg_weeks(fte_state) IS 'Average weeks in the categories per person with any: fte / persons * |P|.';
CREATE FUNCTION fte_weeks(state fte_state) RETURNS bigint
AS 'MODULE_PATHNAME', 'si_fte_weeks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fte_weeks(fte_state) IS 'Total weeks in the categories.';

-- Kaplan-Meier time to self-sufficiency -------------------------------------

CREATE TYPE km_state;
CREATE FUNCTION km_state_in(cstring) RETURNS km_state
AS 'MODULE_PATHNAME', 'si_km_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_state_in(cstring) IS 'Input of km_state (v=1;k=..;excluded=..;points=week:events/censored,...), validated.';
CREATE FUNCTION km_state_out(km_state) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_km_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_state_out(km_state) IS 'Output of km_state.';
CREATE FUNCTION km_state_recv(internal) RETURNS km_state
AS 'MODULE_PATHNAME', 'si_km_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_state_recv(internal) IS 'Binary input of km_state, validated.';
CREATE FUNCTION km_state_send(km_state) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_km_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_state_send(km_state) IS 'Binary output of km_state.';
CREATE TYPE km_state (
	INPUT = km_state_in, OUTPUT = km_state_out, RECEIVE = km_state_recv, SEND = km_state_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE km_state IS 'Mergeable Kaplan-Meier state: events and right-censorings per week since the anchor, k, excluded persons.';

CREATE FUNCTION km_state_trans(km_state, benefit_path, date, integer, text) RETURNS km_state
AS 'MODULE_PATHNAME', 'si_km_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION km_state_trans(km_state, benefit_path, date, integer, text) IS 'Transition function of km_state.';
CREATE FUNCTION km_state_final(km_state) RETURNS km_state
AS 'MODULE_PATHNAME', 'si_km_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION km_state_final(km_state) IS 'Final function of km_state: a compact copy.';
CREATE FUNCTION km_combine(a km_state, b km_state) RETURNS km_state
AS 'MODULE_PATHNAME', 'si_km_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_combine(km_state, km_state) IS 'Merge two Kaplan-Meier states (same k): per-week counts add up.';
CREATE AGGREGATE km_state(path benefit_path, anchor date, k integer, profile text) (
	SFUNC = km_state_trans, STYPE = km_state, FINALFUNC = km_state_final,
	COMBINEFUNC = km_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE km_state(benefit_path, date, integer, text) IS
'Kaplan-Meier state of the time from the anchor week to the first week starting k consecutive self-supporting weeks; right-censored at censoring codes and the end of the path.';
CREATE AGGREGATE km_rollup(km_state) (
	SFUNC = km_combine, STYPE = km_state, COMBINEFUNC = km_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE km_rollup(km_state) IS 'Merge stored Kaplan-Meier states.';

CREATE FUNCTION km_curve(state km_state, conf_level float8 DEFAULT 0.95, conf_type text DEFAULT 'log-log')
RETURNS TABLE (week integer, at_risk bigint, events bigint, censored bigint, survival float8,
               std_err float8, ci_lower float8, ci_upper float8)
AS 'MODULE_PATHNAME', 'si_km_curve' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 50;
COMMENT ON FUNCTION km_curve(km_state, float8, text) IS
'Kaplan-Meier curve: per week since the anchor with an event or censoring, at risk, events, censored, survival, Greenwood standard error, confidence band (log-log, log or plain).';
CREATE FUNCTION km_median(state km_state) RETURNS integer
AS 'MODULE_PATHNAME', 'si_km_median' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_median(km_state) IS 'Median weeks to self-sufficiency: the first week with survival <= 0.5; NULL if not reached.';
CREATE FUNCTION km_share_by(state km_state, week integer) RETURNS float8
AS 'MODULE_PATHNAME', 'si_km_share_by' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_share_by(km_state, integer) IS 'Share self-sufficient by week k after the anchor: 1 - S(k); NULL beyond the follow-up.';
CREATE FUNCTION km_persons(state km_state) RETURNS bigint
AS 'MODULE_PATHNAME', 'si_km_persons' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_persons(km_state) IS 'Persons in the curve (events + censored).';
CREATE FUNCTION km_excluded(state km_state) RETURNS bigint
AS 'MODULE_PATHNAME', 'si_km_excluded' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION km_excluded(km_state) IS 'Persons left out: NULL path, or no observed week from which k weeks could be seen.';

-- ==== 30_did.sql ====
-- Difference-in-differences on person-level changes (issue 4).
--
-- Two-step form (DESIGN.md section 4): did_state(...) / did_weighted_state(...)
-- build a storable, versioned did_state; did_rollup(did_state) and
-- did_state_combine(a, b) merge states exactly; accessors read effect,
-- standard error, interval and p-value under a variance estimator chosen at
-- read-out. did(...) / did_weighted(...) are the one-shot forms returning
-- did_result. Formulas and sources: docs/methods.md, section did.

CREATE TYPE did_state;

CREATE FUNCTION did_state_in(cstring) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_in(cstring) IS 'Input function of did_state (validated text form).';
CREATE FUNCTION did_state_out(did_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'si_did_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_out(did_state) IS 'Output function of did_state (shortest exact floats, round-trips bit for bit).';
CREATE FUNCTION did_state_recv(internal) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_recv(internal) IS 'Binary input function of did_state (validated).';
CREATE FUNCTION did_state_send(did_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'si_did_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_state_send(did_state) IS 'Binary output function of did_state.';

CREATE TYPE did_state (
	INPUT = did_state_in,
	OUTPUT = did_state_out,
	RECEIVE = did_state_recv,
	SEND = did_state_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
COMMENT ON TYPE did_state IS
'Sufficient statistics of a difference-in-differences (version 1): per-group weighted moments of the change, OLS cross-products with covariates, per-cluster sums. Combine exactly with did_state_combine / did_rollup.';

CREATE TYPE did_result AS (
	effect float8,
	std_error float8,
	ci_lower float8,
	ci_upper float8,
	p_value float8,
	statistic float8,
	df float8,
	variance text,
	distribution text,
	level float8,
	n_treated bigint,
	n_control bigint,
	n_skipped bigint,
	n_clusters bigint,
	mean_pre_treated float8,
	mean_post_treated float8,
	mean_change_treated float8,
	mean_pre_control float8,
	mean_post_control float8,
	mean_change_control float8
);
COMMENT ON TYPE did_result IS
'Result of a difference-in-differences: effect, standard error under the named variance estimator, confidence interval, two-sided p-value, t (or z) statistic, reference degrees of freedom, counts and group means.';

CREATE FUNCTION did_state_combine(a did_state, b did_state) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_state_combine(did_state, did_state) IS
'Exact merge of two did_state values (NULL counts as empty); also the combine function of every did aggregate.';

CREATE FUNCTION did_state_final(did_state) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_state_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_state_final(did_state) IS 'Final function of did_state aggregates: the canonical stored form.';

CREATE FUNCTION did_final(did_state) RETURNS did_result
	AS 'MODULE_PATHNAME', 'si_did_final_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_final(did_state) IS 'Final function of the one-shot did aggregates: did_result with the default variance, 95% level, t reference.';

CREATE FUNCTION did_transition(did_state, float8, float8, boolean) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean) IS 'Transition function of did_state(float8, float8, boolean).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, bigint) IS 'Transition function of did_state(float8, float8, boolean, bigint).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, text) IS 'Transition function of did_state(float8, float8, boolean, text).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, float8[]) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cov' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, float8[]) IS 'Transition function of did_state(float8, float8, boolean, float8[]).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, float8[], bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cov_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, float8[], bigint) IS 'Transition function of did_state(float8, float8, boolean, float8[], bigint).';
CREATE FUNCTION did_transition(did_state, float8, float8, boolean, float8[], text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_trans_cov_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_transition(did_state, float8, float8, boolean, float8[], text) IS 'Transition function of did_state(float8, float8, boolean, float8[], text).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, bigint) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, bigint).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, text) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, text).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[]) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cov' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[]) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, float8[]).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], bigint) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cov_cl_int' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], bigint) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, float8[], bigint).';
CREATE FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], text) RETURNS did_state
	AS 'MODULE_PATHNAME', 'si_did_wtrans_cov_cl_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_weighted_transition(did_state, float8, float8, boolean, float8, float8[], text) IS 'Transition function of did_weighted_state(float8, float8, boolean, float8, float8[], text).';

CREATE AGGREGATE did_state(pre float8, post float8, treated boolean) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean) IS 'Person-level difference-in-differences of post - pre between treated and control: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean) IS 'Person-level difference-in-differences of post - pre between treated and control: one-shot result with the default variance (welch), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, text) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, text) IS 'Person-level difference-in-differences of post - pre between treated and control, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, covariates float8[]) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, float8[]) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, covariates float8[]) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, float8[]) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates: one-shot result with the default variance (HC1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, covariates float8[], cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, float8[], bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, covariates float8[], cluster bigint) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, float8[], bigint) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_state(pre float8, post float8, treated boolean, covariates float8[], cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_state(float8, float8, boolean, float8[], text) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did(pre float8, post float8, treated boolean, covariates float8[], cluster text) (
	SFUNC = did_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did(float8, float8, boolean, float8[], text) IS 'Person-level difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8) IS 'Weighted difference-in-differences of post - pre between treated and control: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8) IS 'Weighted difference-in-differences of post - pre between treated and control: one-shot result with the default variance (welch), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, text) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, text) IS 'Weighted difference-in-differences of post - pre between treated and control, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, covariates float8[]) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, float8[]) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, covariates float8[]) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, float8[]) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates: one-shot result with the default variance (HC1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, float8[], bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster bigint) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, float8[], bigint) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a bigint key: one-shot result with the default variance (CR1), 95% interval, t reference.';
CREATE AGGREGATE did_weighted_state(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted_state(float8, float8, boolean, float8, float8[], text) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: the storable state (read it with did_result and the other accessors).';
CREATE AGGREGATE did_weighted(pre float8, post float8, treated boolean, weight float8, covariates float8[], cluster text) (
	SFUNC = did_weighted_transition,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_weighted(float8, float8, boolean, float8, float8[], text) IS 'Weighted difference-in-differences of post - pre between treated and control, OLS with covariates, clustered by a text key: one-shot result with the default variance (CR1), 95% interval, t reference.';

CREATE AGGREGATE did_rollup(did_state) (
	SFUNC = did_state_combine,
	STYPE = did_state,
	COMBINEFUNC = did_state_combine,
	FINALFUNC = did_state_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE did_rollup(did_state) IS
'Rolls stored did_state values up into one (exact: equals the single-pass state up to floating-point rounding).';

-- accessors
CREATE FUNCTION did_result(state did_state, variance text DEFAULT NULL, level float8 DEFAULT 0.95,
						   distribution text DEFAULT 't') RETURNS did_result
	AS 'MODULE_PATHNAME', 'si_did_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_result(did_state, text, float8, text) IS
'Everything about a did_state: effect, standard error under variance (welch, classical/pooled, HC0-HC3, CR0, CR1; NULL = default), interval at level, p-value (t or normal reference), counts and means.';

CREATE FUNCTION did_effect(state did_state) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_effect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_effect(did_state) IS 'Difference-in-differences estimate (difference of mean changes, or the treated coefficient with covariates).';

CREATE FUNCTION did_std_error(state did_state, variance text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_std_error' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_std_error(did_state, text) IS 'Standard error of the effect under the named variance estimator (NULL = default: CR1 with a cluster, HC1 with covariates, welch otherwise).';

CREATE FUNCTION did_df(state did_state, variance text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_df' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_df(did_state, text) IS 'Degrees of freedom of the t reference for that variance estimator (Welch-Satterthwaite, N - K, or G - 1).';

CREATE FUNCTION did_p_value(state did_state, variance text DEFAULT NULL, distribution text DEFAULT 't') RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_p_value' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_p_value(did_state, text, text) IS 'Two-sided p-value of effect = 0 (t or normal reference).';

CREATE FUNCTION did_ci(state did_state, level float8 DEFAULT 0.95, variance text DEFAULT NULL,
					   distribution text DEFAULT 't') RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_did_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_ci(did_state, float8, text, text) IS 'Confidence interval {lower, upper} of the effect at level.';

CREATE FUNCTION did_count(state did_state, what text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'si_did_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_count(did_state, text) IS 'Row counts of a did_state: treated, control, skipped (a NULL input) or clusters.';

CREATE FUNCTION did_n_treated(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'treated');
COMMENT ON FUNCTION did_n_treated(did_state) IS 'Number of treated rows used.';
CREATE FUNCTION did_n_control(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'control');
COMMENT ON FUNCTION did_n_control(did_state) IS 'Number of control rows used.';
CREATE FUNCTION did_n_skipped(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'skipped');
COMMENT ON FUNCTION did_n_skipped(did_state) IS 'Number of rows skipped because an input was NULL.';
CREATE FUNCTION did_n_clusters(state did_state) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN @extschema@.did_count(state, 'clusters');
COMMENT ON FUNCTION did_n_clusters(did_state) IS 'Number of distinct clusters (NULL for a state without a cluster key).';

CREATE FUNCTION did_mean(state did_state, treated boolean, period text DEFAULT 'change') RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_mean(did_state, boolean, text) IS 'Weighted group mean of the pre outcome, the post outcome or the change (period = pre, post or change).';

CREATE FUNCTION did_coefficients(state did_state) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_did_coefficients' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION did_coefficients(did_state) IS 'OLS coefficients {intercept, treated, covariate 1, ...} of the change on treatment (and covariates).';


-- Event study for plots: per relative period e, the treated-minus-control
-- difference in the change of the outcome from the base period
-- (person-level y_e - y_base), with its standard error and interval; one
-- row per period, ready for a BI tool.
CREATE FUNCTION did_event_study(
	relation regclass,
	person_column text,
	period_column text,
	outcome_column text,
	treated_column text,
	base_period integer DEFAULT -1,
	cluster_column text DEFAULT NULL,
	variance text DEFAULT NULL,
	level float8 DEFAULT 0.95)
RETURNS TABLE (
	relative_period integer,
	effect float8,
	std_error float8,
	ci_lower float8,
	ci_upper float8,
	p_value float8,
	df float8,
	variance_used text,
	n_treated bigint,
	n_control bigint,
	n_skipped bigint,
	mean_treated float8,
	mean_control float8,
	difference float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	arg text;
	col text;
	dup boolean;
	rec record;
	r @extschema@.did_result;
	q text;
BEGIN
	IF relation IS NULL OR person_column IS NULL OR period_column IS NULL OR outcome_column IS NULL
		OR treated_column IS NULL OR base_period IS NULL THEN
		RAISE EXCEPTION 'did_event_study: relation, column names and base_period must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- a regclass given as a number (0::regclass, a dropped table's OID)
	-- names no relation: say so, not "not a column of -"
	IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = relation) THEN
		RAISE EXCEPTION 'did_event_study: relation with OID % does not exist', relation::oid
			USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
	END IF;
	IF NOT has_table_privilege(relation, 'SELECT') THEN
		RAISE EXCEPTION 'did_event_study: permission denied for table %', relation
			USING ERRCODE = 'insufficient_privilege',
				HINT = 'The caller needs SELECT on the relation.';
	END IF;
	FOREACH arg IN ARRAY ARRAY['person_column', 'period_column', 'outcome_column', 'treated_column', 'cluster_column'] LOOP
		col := CASE arg WHEN 'person_column' THEN person_column WHEN 'period_column' THEN period_column
			WHEN 'outcome_column' THEN outcome_column WHEN 'treated_column' THEN treated_column
			ELSE cluster_column END;
		CONTINUE WHEN col IS NULL;
		IF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = relation AND a.attname = col
				AND a.attnum > 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'did_event_study: % "%" is not a column of %', arg, col, relation
				USING ERRCODE = 'undefined_column';
		END IF;
	END LOOP;

	-- one base-period row per person, and at least one
	EXECUTE format('SELECT count(*) = 0 FROM %2$s WHERE %3$I = $1',
		person_column, relation, period_column)
		INTO dup USING base_period;
	IF dup THEN
		RAISE EXCEPTION 'did_event_study: no rows in base period % of %', base_period, relation
			USING ERRCODE = 'no_data_found',
				HINT = 'Give base_period as a relative period that occurs in the data (e.g. -1, the period before the start).';
	END IF;
	EXECUTE format('SELECT count(*) <> count(DISTINCT %1$I) FROM %2$s WHERE %3$I = $1',
		person_column, relation, period_column)
		INTO dup USING base_period;
	IF dup THEN
		RAISE EXCEPTION 'did_event_study: some persons have more than one row in base period %', base_period
			USING ERRCODE = 'cardinality_violation',
				HINT = 'Give one row per person and relative period.';
	END IF;

	q := format($q$
		SELECT r.period AS rel,
			@extschema@.did_state(b.y0, r.y, r.treated%6$s) AS s,
			bool_or(r.treated IS DISTINCT FROM b.treated) AS mixed,
			count(*) - count(DISTINCT r.person) AS dups
		FROM (SELECT %1$I AS person, (%2$I)::integer AS period, (%3$I)::float8 AS y,
				(%4$I)::boolean AS treated%7$s
			FROM %5$s) r
		JOIN (SELECT %1$I AS person, (%3$I)::float8 AS y0, (%4$I)::boolean AS treated
			FROM %5$s WHERE %2$I = $1) b USING (person)
		WHERE r.period IS NOT NULL
		GROUP BY r.period
		ORDER BY r.period$q$,
		person_column, period_column, outcome_column, treated_column, relation,
		CASE WHEN cluster_column IS NULL THEN '' ELSE ', r.cl' END,
		CASE WHEN cluster_column IS NULL THEN '' ELSE format(', (%I)::text AS cl', cluster_column) END);

	FOR rec IN EXECUTE q USING base_period LOOP
		IF rec.mixed THEN
			RAISE EXCEPTION 'did_event_study: the treated flag of some persons differs between period % and the base period', rec.rel
				USING ERRCODE = 'data_exception',
					HINT = 'Treatment status must be constant per person.';
		END IF;
		IF rec.dups > 0 THEN
			RAISE EXCEPTION 'did_event_study: some persons have more than one row in period %', rec.rel
				USING ERRCODE = 'cardinality_violation',
					HINT = 'Give one row per person and relative period.';
		END IF;
		r := @extschema@.did_result(rec.s, variance, level);
		relative_period := rec.rel;
		effect := r.effect;
		std_error := r.std_error;
		ci_lower := r.ci_lower;
		ci_upper := r.ci_upper;
		p_value := r.p_value;
		df := r.df;
		variance_used := r.variance;
		n_treated := r.n_treated;
		n_control := r.n_control;
		n_skipped := r.n_skipped;
		mean_treated := r.mean_post_treated;
		mean_control := r.mean_post_control;
		difference := r.mean_post_treated - r.mean_post_control;
		RETURN NEXT;
	END LOOP;
END
$fn$;
COMMENT ON FUNCTION did_event_study(regclass, text, text, text, text, integer, text, text, float8) IS
'Event study: for each relative period, the treated-minus-control difference of the person-level change from base_period (DiD), with standard error, interval and p-value, plus the raw group means and their difference. Rows with relation(person, period, outcome, treated [, cluster]).';

-- ==== 40_attgt.sql ====
-- Staggered adoption: group-time average treatment effects (Callaway &
-- Sant'Anna 2021) as R did 2.5.1 computes them. All functions read the
-- panel from a table or view with the caller's privileges (row-level
-- security applies) and return rows.

CREATE FUNCTION att_gt(data regclass, outcome text, unit text, period text, cohort text,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(cohort integer, period integer, base_period integer, event_time integer,
    post boolean, att float8, std_error float8, ci_lower float8, ci_upper float8,
    critical_value float8, n_treated integer, n_control integer)
AS 'MODULE_PATHNAME', 'si_att_gt'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt(regclass, text, text, text, text, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Group-time average treatment effects ATT(g,t) of Callaway & Sant''Anna (2021), reproducing R did 2.5.1: one row per (cohort, period) with influence-function (or multiplier-bootstrap) standard errors.';

CREATE FUNCTION att_gt_aggregate(data regclass, outcome text, unit text, period text, cohort text,
    type text DEFAULT 'dynamic', min_e integer DEFAULT NULL, max_e integer DEFAULT NULL,
    balance_e integer DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(type text, level text, key integer, att float8, std_error float8,
    ci_lower float8, ci_upper float8, critical_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_aggregate'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_aggregate(regclass, text, text, text, text, text, integer, integer, integer, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Aggregated effects of att_gt as R did''s aggte: type simple, dynamic (event study), group or calendar; the components and an overall row, standard errors from the aggregated influence function including the estimated cohort shares.';

CREATE FUNCTION att_gt_pretest(data regclass, outcome text, unit text, period text, cohort text,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(w float8, df integer, p_value float8)
AS 'MODULE_PATHNAME', 'si_att_gt_pretest'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_pretest(regclass, text, text, text, text, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Wald pre-test of parallel trends as R did reports it (W, df = number of pre-treatment cells, unrounded chi-square p-value).';

CREATE FUNCTION att_gt_sample(data regclass, outcome text, unit text, period text, cohort text,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(step integer, reason text, units bigint, "rows" bigint)
AS 'MODULE_PATHNAME', 'si_att_gt_sample'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_sample(regclass, text, text, text, text, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Sample flow of att_gt: units read, recoded and dropped (and why), and units used per cohort.';

CREATE FUNCTION att_gt_event_vcov(data regclass, outcome text, unit text, period text, cohort text,
    min_e integer DEFAULT NULL, max_e integer DEFAULT NULL, balance_e integer DEFAULT NULL,
    control_group text DEFAULT 'nevertreated', anticipation integer DEFAULT 0,
    base_period text DEFAULT 'varying', covariates text[] DEFAULT NULL,
    est_method text DEFAULT 'dr', weights text DEFAULT NULL, cluster text DEFAULT NULL,
    alpha float8 DEFAULT 0.05, bootstrap integer DEFAULT 0, seed bigint DEFAULT 42)
RETURNS TABLE(e1 integer, e2 integer, covariance float8)
AS 'MODULE_PATHNAME', 'si_att_gt_event_vcov'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION att_gt_event_vcov(regclass, text, text, text, text, integer, integer, integer, text, integer, text, text[], text, text, text, float8, integer, bigint) IS
'Covariance matrix of the event-study (dynamic) estimates as rows (e1, e2, covariance), e.g. for HonestDiD-style sensitivity analysis.';

-- ==== 50_rates_money.sql ====
-- Money reference data: weekly benefit rates, the refusion staircase and the
-- resultattilskud amounts, as configuration tables (pattern of benefit_code:
-- shipped rows are recreated by CREATE EXTENSION and not dumped; rows users
-- add have source = 'user', are kept by pg_dump and take precedence).

CREATE TABLE benefit_rate (
	category text NOT NULL CHECK (category ~ '^[a-z][a-z0-9_]*$'),
	variant text NOT NULL DEFAULT 'standard' CHECK (variant ~ '^[a-z][a-z0-9_]*$'),
	valid_from date NOT NULL,
	valid_to date NOT NULL DEFAULT 'infinity',
	monthly_rate numeric,
	weekly_rate numeric NOT NULL,
	currency text NOT NULL DEFAULT 'DKK' CHECK (currency ~ '^[A-Z]{3}$'),
	basis text,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (category, variant, source, valid_from),
	CONSTRAINT benefit_rate_period CHECK (valid_from < valid_to)
);
COMMENT ON TABLE benefit_rate IS
'Weekly unit price of a benefit week per category (and variant) with validity [valid_from, valid_to). '
'weekly_rate may be left NULL on insert when monthly_rate is given: it is set to monthly_rate * 12 / 52 (unrounded). '
'Shipped rows are the 2024 figures of DOMAIN.md 2.4 (basis says so); add source = ''user'' rows for other years.';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON benefit_rate TO PUBLIC;

CREATE TABLE refusion_step (
	payer_rule text NOT NULL CHECK (payer_rule IN ('refusion', 'cofinancing')),
	first_week integer NOT NULL CHECK (first_week >= 1),
	last_week integer CHECK (last_week IS NULL OR last_week >= first_week),
	law_rate numeric NOT NULL,
	kommune_share numeric NOT NULL,
	valid_from date NOT NULL,
	valid_to date NOT NULL DEFAULT 'infinity',
	basis text,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (payer_rule, source, valid_from, first_week),
	CONSTRAINT refusion_step_period CHECK (valid_from < valid_to)
);
COMMENT ON TABLE refusion_step IS
'Refusion staircase (LBK 221 of 12/02/2021 section 5): law_rate is the state refusion rate (payer_rule refusion, municipally paid benefits) '
'or the municipal co-financing rate (payer_rule cofinancing, a-kasse/Udbetaling Danmark benefits) for benefit-seniority weeks first_week..last_week (NULL = open). '
'kommune_share is the share of a benefit week the municipality bears: 1 - law_rate for refusion, law_rate for co-financing (set on insert when NULL).';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON refusion_step TO PUBLIC;

CREATE TABLE resultattilskud_rate (
	kind text NOT NULL CHECK (kind IN ('employment', 'education', 'danish_test')),
	first_month integer NOT NULL CHECK (first_month >= 1),
	last_month integer NOT NULL CHECK (last_month >= first_month),
	amount numeric NOT NULL,
	valid_from date NOT NULL,
	valid_to date NOT NULL DEFAULT 'infinity',
	basis text,
	source text NOT NULL DEFAULT 'user' CHECK (source IN ('shipped', 'user')),
	PRIMARY KEY (kind, source, valid_from, first_month),
	CONSTRAINT resultattilskud_rate_period CHECK (valid_from < valid_to)
);
COMMENT ON TABLE resultattilskud_rate IS
'Integration result grant (integrationsloven section 45) per kind and programme months first_month..last_month in which the qualifying spell starts.';
-- The measures read it as the caller: readable by all, changed by its owner only.
GRANT SELECT ON resultattilskud_rate TO PUBLIC;

-- One check for every money argument and field: NaN and +-Infinity are
-- not amounts, counts, shares or rates (numeric NaN sorts above every
-- number, so a NaN would pass any lower bound). Callers give the name the
-- user knows the value by; float8 arguments are cast to numeric (NaN and
-- +-Infinity survive the cast).
CREATE FUNCTION _money_finite(x numeric, what text)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF x IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN
		RAISE EXCEPTION '% must be a finite number, not %', what, x
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'NaN and infinite values are not amounts, counts, shares or rates: fix or filter the value.';
	END IF;
	RETURN x;
END
$$;
COMMENT ON FUNCTION _money_finite(numeric, text) IS
'Internal: x unchanged (NULL too), or error 22023 naming what when x is NaN, Infinity or -Infinity.';

-- One trigger function checks the three tables: no negative money, no
-- overlapping validity periods (shipped rows are guarded by
-- config_shipped_guard, shared with the code map).
CREATE FUNCTION money_config_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	clash record;
BEGIN
	IF TG_TABLE_NAME = 'benefit_rate' THEN
		IF NEW.weekly_rate IS NULL AND NEW.monthly_rate IS NOT NULL THEN
			NEW.weekly_rate := NEW.monthly_rate * 12 / 52;
		END IF;
		PERFORM @extschema@._money_finite(NEW.monthly_rate, 'benefit_rate.monthly_rate');
		PERFORM @extschema@._money_finite(NEW.weekly_rate, 'benefit_rate.weekly_rate');
		IF NEW.weekly_rate IS NULL THEN
			RAISE EXCEPTION 'benefit_rate: weekly_rate of % (%) must not be NULL', NEW.category, NEW.variant
				USING ERRCODE = 'not_null_violation', HINT = 'Give weekly_rate, or monthly_rate (weekly = monthly * 12 / 52).';
		END IF;
		IF NEW.weekly_rate < 0 OR NEW.monthly_rate < 0 THEN
			RAISE EXCEPTION 'benefit_rate: rate of % (%) from % is negative (weekly %, monthly %)',
				NEW.category, NEW.variant, NEW.valid_from, NEW.weekly_rate, NEW.monthly_rate
				USING ERRCODE = 'check_violation', HINT = 'Rates are amounts paid per week or month and must be >= 0.';
		END IF;
		SELECT r.valid_from, r.valid_to INTO clash FROM @extschema@.benefit_rate r
		WHERE r.category = NEW.category AND r.variant = NEW.variant AND r.source = NEW.source
		  AND r.valid_from <> NEW.valid_from
		  AND r.valid_from < NEW.valid_to AND NEW.valid_from < r.valid_to
		  AND (TG_OP = 'INSERT' OR r.valid_from <> OLD.valid_from)
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'benefit_rate: validity [%, %) of % (%) overlaps the % row valid [%, %)',
				NEW.valid_from, NEW.valid_to, NEW.category, NEW.variant, NEW.source, clash.valid_from, clash.valid_to
				USING ERRCODE = 'exclusion_violation', HINT = 'End the earlier period (valid_to) where the new one begins.';
		END IF;
	ELSIF TG_TABLE_NAME = 'refusion_step' THEN
		PERFORM @extschema@._money_finite(NEW.law_rate, 'refusion_step.law_rate');
		PERFORM @extschema@._money_finite(NEW.kommune_share, 'refusion_step.kommune_share');
		IF NEW.law_rate < 0 OR NEW.law_rate > 1 THEN
			RAISE EXCEPTION 'refusion_step: law_rate % of % weeks % is outside [0, 1]', NEW.law_rate, NEW.payer_rule, NEW.first_week
				USING ERRCODE = 'check_violation', HINT = 'Give the rate as a fraction: 0.80 for 80 %.';
		END IF;
		IF NEW.kommune_share IS NULL THEN
			NEW.kommune_share := CASE NEW.payer_rule WHEN 'refusion' THEN 1 - NEW.law_rate ELSE NEW.law_rate END;
		END IF;
		IF NEW.kommune_share < 0 OR NEW.kommune_share > 1 THEN
			RAISE EXCEPTION 'refusion_step: kommune_share % is outside [0, 1]', NEW.kommune_share
				USING ERRCODE = 'check_violation', HINT = 'Leave kommune_share NULL to derive it from law_rate.';
		END IF;
		SELECT r.valid_from, r.valid_to, r.first_week, r.last_week INTO clash FROM @extschema@.refusion_step r
		WHERE r.payer_rule = NEW.payer_rule AND r.source = NEW.source
		  AND (TG_OP = 'INSERT' OR (r.valid_from, r.first_week) <> (OLD.valid_from, OLD.first_week))
		  AND r.valid_from < NEW.valid_to AND NEW.valid_from < r.valid_to
		  AND ((r.valid_from, r.valid_to) <> (NEW.valid_from, NEW.valid_to)
		       OR (r.first_week <= coalesce(NEW.last_week, 2147483647)
		           AND NEW.first_week <= coalesce(r.last_week, 2147483647)))
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'refusion_step: % weeks %-% valid [%, %) overlaps the % row for weeks %-% valid [%, %)',
				NEW.payer_rule, NEW.first_week, coalesce(NEW.last_week::text, ''), NEW.valid_from, NEW.valid_to,
				NEW.source, clash.first_week, coalesce(clash.last_week::text, ''), clash.valid_from, clash.valid_to
				USING ERRCODE = 'exclusion_violation',
				      HINT = 'A staircase version is a set of steps with the same validity period and disjoint week ranges; end the earlier version where the new one begins.';
		END IF;
	ELSIF TG_TABLE_NAME = 'resultattilskud_rate' THEN
		PERFORM @extschema@._money_finite(NEW.amount, 'resultattilskud_rate.amount');
		IF NEW.amount < 0 THEN
			RAISE EXCEPTION 'resultattilskud_rate: amount % for % is negative', NEW.amount, NEW.kind
				USING ERRCODE = 'check_violation', HINT = 'Amounts must be >= 0.';
		END IF;
		SELECT r.valid_from, r.valid_to, r.first_month, r.last_month INTO clash FROM @extschema@.resultattilskud_rate r
		WHERE r.kind = NEW.kind AND r.source = NEW.source
		  AND (TG_OP = 'INSERT' OR (r.valid_from, r.first_month) <> (OLD.valid_from, OLD.first_month))
		  AND r.valid_from < NEW.valid_to AND NEW.valid_from < r.valid_to
		  AND ((r.valid_from, r.valid_to) <> (NEW.valid_from, NEW.valid_to)
		       OR (r.first_month <= NEW.last_month AND NEW.first_month <= r.last_month))
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'resultattilskud_rate: % months %-% valid [%, %) overlaps the % row for months %-% valid [%, %)',
				NEW.kind, NEW.first_month, NEW.last_month, NEW.valid_from, NEW.valid_to,
				NEW.source, clash.first_month, clash.last_month, clash.valid_from, clash.valid_to
				USING ERRCODE = 'exclusion_violation', HINT = 'End the earlier period (valid_to) where the new one begins.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION money_config_check() IS
'Trigger on benefit_rate, refusion_step, resultattilskud_rate: rejects NaN, infinite and negative amounts, overlapping validity periods and edits of shipped rows.';

CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON benefit_rate
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER benefit_rate_check BEFORE INSERT OR UPDATE ON benefit_rate
FOR EACH ROW EXECUTE FUNCTION money_config_check();
CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON refusion_step
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER refusion_step_check BEFORE INSERT OR UPDATE ON refusion_step
FOR EACH ROW EXECUTE FUNCTION money_config_check();
CREATE TRIGGER a_shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON resultattilskud_rate
FOR EACH ROW EXECUTE FUNCTION config_shipped_guard();
CREATE TRIGGER resultattilskud_rate_check BEFORE INSERT OR UPDATE ON resultattilskud_rate
FOR EACH ROW EXECUTE FUNCTION money_config_check();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON benefit_rate
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON refusion_step
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();
CREATE TRIGGER a_shipped_truncate_guard BEFORE TRUNCATE ON resultattilskud_rate
FOR EACH STATEMENT EXECUTE FUNCTION config_truncate_guard();

SET LOCAL socialinvest.edit_shipped = on;

-- DOMAIN.md 2.4: 2024 rates, weekly = monthly * 12 / 52 (unrounded).
INSERT INTO benefit_rate (category, variant, valid_from, valid_to, monthly_rate, weekly_rate, basis, source) VALUES
	('kontanthjaelp', 'standard', '2024-01-01', '2025-01-01', 12326, NULL, '2024 figure (DOMAIN.md 2.4): kontanthjaelp >= 30 years, not a provider (ikke-forsoerger); detfagligehus.dk / bm.dk', 'shipped'),
	('kontanthjaelp', 'ikke_forsoerger_30', '2024-01-01', '2025-01-01', 12326, NULL, '2024 figure (DOMAIN.md 2.4): kontanthjaelp >= 30 years, ikke-forsoerger', 'shipped'),
	('kontanthjaelp', 'forsoerger_30', '2024-01-01', '2025-01-01', 16382, NULL, '2024 figure (DOMAIN.md 2.4): kontanthjaelp >= 30 years, forsoerger', 'shipped'),
	('kontanthjaelp', 'under30_udeboende', '2024-01-01', '2025-01-01', 7945, NULL, '2024 figure (DOMAIN.md 2.4): uddannelses-/kontanthjaelp < 30, living away from parents', 'shipped'),
	('dagpenge', 'standard', '2024-01-01', '2025-01-01', 20359, NULL, '2024 figure (DOMAIN.md 2.4): dagpenge maximum, full-time insured; aka.dk', 'shipped'),
	('foertidspension', 'standard', '2024-01-01', '2025-01-01', 20370, NULL, '2024 figure (DOMAIN.md 2.4): foertidspension, single; serviceforbundet.dk', 'shipped');
INSERT INTO benefit_rate (category, variant, valid_from, valid_to, weekly_rate, basis, source) VALUES
	('sygedagpenge', 'standard', '2024-01-01', '2025-01-01', 4695, '2024 figure (DOMAIN.md 2.4): sygedagpenge maximum per week; serviceforbundet.dk', 'shipped');

-- LBK 221 af 12/02/2021 section 5 stk. 2 (refusion) and stk. 3 (co-financing), in force since the 2016 reform.
INSERT INTO refusion_step (payer_rule, first_week, last_week, law_rate, kommune_share, valid_from, basis, source) VALUES
	('refusion', 1, 4, 0.80, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 80 %', 'shipped'),
	('refusion', 5, 26, 0.40, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 40 %', 'shipped'),
	('refusion', 27, 52, 0.30, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 30 %', 'shipped'),
	('refusion', 53, NULL, 0.20, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 2: state refusion 20 %', 'shipped'),
	('cofinancing', 1, 4, 0.20, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 20 %', 'shipped'),
	('cofinancing', 5, 26, 0.60, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 60 %', 'shipped'),
	('cofinancing', 27, 52, 0.70, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 70 %', 'shipped'),
	('cofinancing', 53, NULL, 0.80, NULL, '2016-01-04', 'LBK 221 12/02/2021 section 5 stk. 3: municipal co-financing 80 %', 'shipped');

-- DOMAIN.md 4.6: 2024 amounts (uim.dk satser).
INSERT INTO resultattilskud_rate (kind, first_month, last_month, amount, valid_from, valid_to, basis, source) VALUES
	('employment', 1, 36, 88817, '2024-01-01', '2025-01-01', '2024 figure (DOMAIN.md 4.6): ordinary employment starting in programme years 1-3', 'shipped'),
	('employment', 37, 60, 59210, '2024-01-01', '2025-01-01', '2024 figure (DOMAIN.md 4.6): ordinary employment starting in programme years 4-5', 'shipped'),
	('education', 1, 36, 88817, '2024-01-01', '2025-01-01', '2024 figure (DOMAIN.md 4.6): qualifying education starting in programme years 1-3', 'shipped'),
	('education', 37, 60, 59210, '2024-01-01', '2025-01-01', '2024 figure (DOMAIN.md 4.6): qualifying education starting in programme years 4-5', 'shipped'),
	('danish_test', 1, 60, 37895, '2024-01-01', '2025-01-01', '2024 figure (DOMAIN.md 4.6): passed Danish test', 'shipped');

RESET socialinvest.edit_shipped;

SELECT pg_catalog.pg_extension_config_dump('benefit_rate', $$WHERE source = 'user'$$);
SELECT pg_catalog.pg_extension_config_dump('refusion_step', $$WHERE source = 'user'$$);
SELECT pg_catalog.pg_extension_config_dump('resultattilskud_rate', $$WHERE source = 'user'$$);

-- Lookups ----------------------------------------------------------------

CREATE FUNCTION benefit_rate_at(category text, day date, variant text DEFAULT 'standard')
RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r numeric;
	known text;
BEGIN
	IF category IS NULL OR day IS NULL OR variant IS NULL THEN
		RAISE EXCEPTION 'benefit_rate_at: category, day and variant must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT b.weekly_rate INTO r FROM @extschema@.benefit_rate b
	WHERE b.category = benefit_rate_at.category AND b.variant = benefit_rate_at.variant
	  AND day >= b.valid_from AND day < b.valid_to
	ORDER BY b.source = 'user' DESC LIMIT 1;
	IF NOT FOUND THEN
		SELECT string_agg(format('%s/%s [%s, %s)', b.category, b.variant, b.valid_from, b.valid_to), ', '
		                  ORDER BY b.category, b.variant, b.valid_from)
		INTO known FROM @extschema@.benefit_rate b WHERE b.category = benefit_rate_at.category;
		RAISE EXCEPTION 'no weekly rate for category "%" variant "%" in force on %', category, variant, day
			USING ERRCODE = 'no_data_found',
			      HINT = coalesce('Rates for this category: ' || known || '. ', 'No rates at all for this category. ')
			             || 'Add a row to benefit_rate with source = ''user''.';
	END IF;
	RETURN r;
END
$$;
COMMENT ON FUNCTION benefit_rate_at(text, date, text) IS
'Weekly rate of a benefit category (variant) in force on a day; user rows before shipped ones; error naming the known periods if none.';

CREATE FUNCTION category_payer_rule(category text, day date)
RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rules text[];
BEGIN
	-- user rows of a code replace its shipped rows
	SELECT array_agg(DISTINCT b.payer_rule) INTO rules
	FROM @extschema@.benefit_code b
	WHERE b.category = category_payer_rule.category AND day >= b.valid_from AND day < b.valid_to
	  AND (b.source = 'user' OR NOT EXISTS (
	        SELECT 1 FROM @extschema@.benefit_code u
	        WHERE u.code = b.code AND u.source = 'user' AND day >= u.valid_from AND day < u.valid_to));
	IF rules IS NULL THEN
		RAISE EXCEPTION 'category "%" has no benefit codes in force on %', category, day
			USING ERRCODE = 'no_data_found', HINT = 'See SELECT DISTINCT category FROM benefit_code.';
	END IF;
	IF cardinality(rules) > 1 THEN
		RAISE EXCEPTION 'category "%" mixes payer rules % on %', category, rules, day
			USING ERRCODE = 'data_exception', HINT = 'Give all codes of a category the same payer_rule in benefit_code.';
	END IF;
	RETURN rules[1];
END
$$;
COMMENT ON FUNCTION category_payer_rule(text, date) IS
'payer_rule (refusion, cofinancing, none) of a benefit category on a day, from benefit_code.';

CREATE FUNCTION kommune_share(payer_rule text, seniority integer, day date)
RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s numeric;
BEGIN
	IF payer_rule IS NULL OR seniority IS NULL OR day IS NULL THEN
		RAISE EXCEPTION 'kommune_share: payer_rule, seniority and day must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF payer_rule NOT IN ('refusion', 'cofinancing') THEN
		RAISE EXCEPTION 'kommune_share: payer_rule must be refusion or cofinancing, not "%"', payer_rule
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Benefits with payer_rule none are outside the refusion staircase; their split is not known.';
	END IF;
	IF seniority < 1 THEN
		RAISE EXCEPTION 'kommune_share: seniority must be >= 1 (the week''s number among the person''s benefit weeks), got %', seniority
			USING ERRCODE = 'invalid_parameter_value', HINT = 'The first benefit week after a reset has seniority 1.';
	END IF;
	SELECT r.kommune_share INTO s FROM @extschema@.refusion_step r
	WHERE r.payer_rule = kommune_share.payer_rule AND day >= r.valid_from AND day < r.valid_to
	  AND seniority >= r.first_week AND (r.last_week IS NULL OR seniority <= r.last_week)
	ORDER BY r.source = 'user' DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no % step for benefit week % in force on %', payer_rule, seniority, day
			USING ERRCODE = 'no_data_found',
			      HINT = 'The shipped staircase applies from 2016-01-04 (LBK 221 section 5); add refusion_step rows with source = ''user'' for other periods.';
	END IF;
	RETURN s;
END
$$;
COMMENT ON FUNCTION kommune_share(text, integer, date) IS
'Share of a benefit week borne by the municipality for a benefit-seniority week under the staircase in force (the state bears the rest).';

CREATE FUNCTION benefit_savings(weeks numeric, category text, day date, seniority integer,
                                variant text DEFAULT 'standard',
                                OUT weekly_rate numeric, OUT gross numeric, OUT kommune numeric,
                                OUT stat numeric, OUT payer_rule text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	share numeric;
BEGIN
	IF weeks IS NULL THEN
		RAISE EXCEPTION 'benefit_savings: weeks must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(weeks, 'benefit_savings: weeks');
	weekly_rate := @extschema@.benefit_rate_at(category, day, variant);
	gross := weeks * weekly_rate;
	payer_rule := @extschema@.category_payer_rule(category, day);
	IF payer_rule = 'none' THEN
		RAISE NOTICE 'benefit_savings: category "%" has payer_rule none: kommune and stat are NULL (the split is not known)', category;
		RETURN;
	END IF;
	share := @extschema@.kommune_share(payer_rule, seniority, day);
	kommune := gross * share;
	stat := gross - kommune;
END
$$;
COMMENT ON FUNCTION benefit_savings(numeric, text, date, integer, text) IS
'Gross value of avoided benefit weeks at the rate in force on day, split kommune/stat with every week at the stated (assumed) benefit seniority.';

-- ==== 51_finance.sql ====
-- Finance: discount factors, NPV, IRR/XIRR, payback, multiples
-- (C in src/finance_*.c, mathematics in src/math/finance.c).
--
-- Money goes in as numeric; NPV comes back as numeric. Rates, IRRs,
-- multiples and payback periods are ratios or durations (float8).

CREATE FUNCTION discount_factor(years float8, rate float8, convention text DEFAULT 'end', period_years float8 DEFAULT 1)
RETURNS float8 AS 'MODULE_PATHNAME', 'si_discount_factor'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION discount_factor(float8, float8, text, float8) IS
'(1 + rate)^-years; convention ''mid'' moves a flow half a period (period_years) earlier (never before 0).';

CREATE FUNCTION discount_factor(years float8, schedule text, convention text DEFAULT 'end', period_years float8 DEFAULT 1)
RETURNS float8 AS 'MODULE_PATHNAME', 'si_discount_factor_sched'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION discount_factor(float8, text, text, float8) IS
'Discount factor under a named schedule: ''fm2021'' = Finance Ministry 2021 declining rate, 3.5 % for years 0-35, 2.5 % for 35-70, 1.5 % after 70.';

-- The storable cash-flow state: a list of (years, amount) pairs.
CREATE TYPE cashflows;
CREATE FUNCTION cashflows_in(cstring) RETURNS cashflows
AS 'MODULE_PATHNAME', 'si_cashflows_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_out(cashflows) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_cashflows_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_recv(internal) RETURNS cashflows
AS 'MODULE_PATHNAME', 'si_cashflows_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_send(cashflows) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_cashflows_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cashflows (
	INPUT = cashflows_in, OUTPUT = cashflows_out,
	RECEIVE = cashflows_recv, SEND = cashflows_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE cashflows IS
'Cash flows as (years, amount) pairs; text form ''1|t:amount;t:amount;...'' (version 1). Built by the cashflows() aggregate, merged by cashflows_rollup().';
COMMENT ON FUNCTION cashflows_in(cstring) IS 'Text input of cashflows (validated, versioned).';
COMMENT ON FUNCTION cashflows_out(cashflows) IS 'Text output of cashflows (shortest exact doubles).';
COMMENT ON FUNCTION cashflows_recv(internal) IS 'Binary input of cashflows.';
COMMENT ON FUNCTION cashflows_send(cashflows) IS 'Binary output of cashflows.';

-- transition machinery (internal state, serialisable for parallel query)
CREATE FUNCTION cashflows_trans(internal, numeric, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_trans' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_rate(internal, numeric, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_trans_rate' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_schedule(internal, numeric, float8, text) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_trans_sched' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_day(internal, numeric, date) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_trans_day' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_amount(internal, numeric) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_trans_amount' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_state(internal, cashflows) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_trans_cf' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_state_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_state_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_cf_serialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_state_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'si_cf_deserialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_final(internal) RETURNS cashflows
AS 'MODULE_PATHNAME', 'si_cf_final_cashflows' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_npv(internal) RETURNS numeric
AS 'MODULE_PATHNAME', 'si_cf_final_npv' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_irr(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_irr' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_xirr(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_xirr' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_payback(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_payback' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_multiple(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_multiple' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_bcr(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_bcr' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION cashflows_trans(internal, numeric, float8) IS 'Aggregate support: append a (years, amount) flow.';
COMMENT ON FUNCTION cashflows_trans_rate(internal, numeric, float8, float8) IS 'Aggregate support: append a flow, remember the (constant) rate.';
COMMENT ON FUNCTION cashflows_trans_schedule(internal, numeric, float8, text) IS 'Aggregate support: append a flow, remember the (constant) schedule.';
COMMENT ON FUNCTION cashflows_trans_day(internal, numeric, date) IS 'Aggregate support: append a dated flow (xirr).';
COMMENT ON FUNCTION cashflows_trans_amount(internal, numeric) IS 'Aggregate support: append an undated amount (money_multiple).';
COMMENT ON FUNCTION cashflows_trans_state(internal, cashflows) IS 'Aggregate support: append all flows of a cashflows value.';
COMMENT ON FUNCTION cashflows_state_combine(internal, internal) IS 'Aggregate support: concatenate two partial states.';
COMMENT ON FUNCTION cashflows_state_serialize(internal) IS 'Aggregate support: serialise a partial state (versioned).';
COMMENT ON FUNCTION cashflows_state_deserialize(bytea, internal) IS 'Aggregate support: deserialise a partial state.';
COMMENT ON FUNCTION cashflows_final(internal) IS 'Aggregate support: the state as a cashflows value.';
COMMENT ON FUNCTION cashflows_final_npv(internal) IS 'Aggregate support: NPV of the state.';
COMMENT ON FUNCTION cashflows_final_irr(internal) IS 'Aggregate support: IRR of the state.';
COMMENT ON FUNCTION cashflows_final_xirr(internal) IS 'Aggregate support: XIRR of the dated state.';
COMMENT ON FUNCTION cashflows_final_payback(internal) IS 'Aggregate support: payback period of the state.';
COMMENT ON FUNCTION cashflows_final_multiple(internal) IS 'Aggregate support: money multiple of the state.';
COMMENT ON FUNCTION cashflows_final_bcr(internal) IS 'Aggregate support: benefit-cost ratio of the state.';

CREATE AGGREGATE cashflows(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = internal, FINALFUNC = cashflows_final,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE cashflows(numeric, float8) IS
'Storable cash-flow state of the rows (years from the valuation date, amount); read with npv/irr/payback_period/money_multiple/benefit_cost_ratio(cashflows, ...).';

CREATE AGGREGATE cashflows_rollup(cashflows) (
	SFUNC = cashflows_trans_state, STYPE = internal, FINALFUNC = cashflows_final,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE cashflows_rollup(cashflows) IS
'Merge stored cashflows states (concatenation: exact and order-free).';

CREATE AGGREGATE npv(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = internal, FINALFUNC = cashflows_final_npv,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE npv(numeric, float8, float8) IS
'Net present value sum(amount * (1 + rate)^-years), end-of-period timing; rate must be the same in every row.';

CREATE AGGREGATE npv(amount numeric, years float8, schedule text) (
	SFUNC = cashflows_trans_schedule, STYPE = internal, FINALFUNC = cashflows_final_npv,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE npv(numeric, float8, text) IS
'Net present value under a named schedule (''fm2021'': 3.5 % to year 35, 2.5 % to 70, 1.5 % after).';

CREATE AGGREGATE irr(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = internal, FINALFUNC = cashflows_final_irr,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE irr(numeric, float8) IS
'Internal rate of return (annual, fraction) searched on [-0.99, 10]; NULL with a NOTICE when the flows or the NPV never change sign.';

CREATE AGGREGATE xirr(amount numeric, day date) (
	SFUNC = cashflows_trans_day, STYPE = internal, FINALFUNC = cashflows_final_xirr,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE xirr(numeric, date) IS
'IRR of dated flows, time = days since the first flow / 365; NULL with a NOTICE when there is none.';

CREATE AGGREGATE payback_period(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = internal, FINALFUNC = cashflows_final_payback,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE payback_period(numeric, float8) IS
'Years until the cumulative cash flow turns non-negative for good (linear inside the crossing interval); NULL with a NOTICE if never.';

CREATE AGGREGATE payback_period(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = internal, FINALFUNC = cashflows_final_payback,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE payback_period(numeric, float8, float8) IS
'Discounted payback period at a flat rate.';

CREATE AGGREGATE money_multiple(amount numeric) (
	SFUNC = cashflows_trans_amount, STYPE = internal, FINALFUNC = cashflows_final_multiple,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE money_multiple(numeric) IS
'Money multiple (MOIC): sum of inflows / sum of outflows; NULL with a NOTICE without outflows.';

CREATE AGGREGATE benefit_cost_ratio(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = internal, FINALFUNC = cashflows_final_bcr,
	COMBINEFUNC = cashflows_state_combine, SERIALFUNC = cashflows_state_serialize,
	DESERIALFUNC = cashflows_state_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE benefit_cost_ratio(numeric, float8, float8) IS
'Present value of the inflows (benefits) / present value of the outflows (costs) at a flat rate.';

-- accessors over stored states
CREATE FUNCTION cashflows_combine(a cashflows, b cashflows) RETURNS cashflows
AS 'MODULE_PATHNAME', 'si_cashflows_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cashflows_combine(cashflows, cashflows) IS 'Concatenate two cashflows states (incremental updates).';

CREATE FUNCTION npv(flows cashflows, rate float8, convention text DEFAULT 'end', period_years float8 DEFAULT 1) RETURNS numeric
AS 'MODULE_PATHNAME', 'si_cashflows_npv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION npv(cashflows, float8, text, float8) IS 'NPV of stored flows at a flat rate, end- or mid-period timing.';

CREATE FUNCTION npv(flows cashflows, schedule text, convention text DEFAULT 'end', period_years float8 DEFAULT 1) RETURNS numeric
AS 'MODULE_PATHNAME', 'si_cashflows_npv_sched' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION npv(cashflows, text, text, float8) IS 'NPV of stored flows under a named schedule (''fm2021'').';

CREATE FUNCTION irr(flows cashflows) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cashflows_irr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION irr(cashflows) IS 'IRR of stored flows; NULL with a NOTICE when there is none.';

CREATE FUNCTION payback_period(flows cashflows, rate float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cashflows_payback' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION payback_period(cashflows, float8) IS 'Payback period of stored flows (discounted when rate <> 0).';

CREATE FUNCTION money_multiple(flows cashflows) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cashflows_multiple' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION money_multiple(cashflows) IS 'Inflows / outflows of stored flows.';

CREATE FUNCTION benefit_cost_ratio(flows cashflows, rate float8) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cashflows_bcr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION benefit_cost_ratio(cashflows, float8) IS 'PV(inflows) / PV(outflows) of stored flows.';

CREATE FUNCTION cashflows_count(flows cashflows) RETURNS integer
AS 'MODULE_PATHNAME', 'si_cashflows_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cashflows_count(cashflows) IS 'Number of flows in a state.';

CREATE FUNCTION cashflows_total(flows cashflows) RETURNS numeric
AS 'MODULE_PATHNAME', 'si_cashflows_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cashflows_total(cashflows) IS 'Undiscounted sum of the flows in a state.';

-- ==== 52_contracts.sql ====
-- Outcome contracts: a contract is a jsonb document validated against the
-- schema in docs/contracts.md; errors give the JSON path of the bad field.
-- Outcome rows come from a table (regclass) with the columns documented
-- there; contract_schedule() gives the payment schedule per period and
-- contract_summary() the result per party.

-- field checks (internal helpers of contract_validate) ---------------------

CREATE FUNCTION _contract_fields(obj jsonb, path text, allowed text[], required text[])
RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	IF obj IS NULL OR jsonb_typeof(obj) <> 'object' THEN
		RAISE EXCEPTION 'contract: % must be a JSON object, not %', path, coalesce(jsonb_typeof(obj), 'missing')
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = format('Fields allowed at %s: %s (see docs/contracts.md).', path, array_to_string(allowed, ', '));
	END IF;
	FOR k IN SELECT jsonb_object_keys(obj) LOOP
		IF NOT k = ANY (allowed) THEN
			RAISE EXCEPTION 'contract: unknown field %.%', path, k
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = format('Fields allowed at %s: %s (see docs/contracts.md).', path, array_to_string(allowed, ', '));
		END IF;
	END LOOP;
	FOREACH k IN ARRAY required LOOP
		IF NOT obj ? k OR obj -> k = 'null'::jsonb THEN
			RAISE EXCEPTION 'contract: missing required field %.%', path, k
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = format('Required at %s: %s (see docs/contracts.md).', path, array_to_string(required, ', '));
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION _contract_fields(jsonb, text, text[], text[]) IS
'Internal (contract validation): object with only allowed fields and all required ones; errors name the JSON path.';

CREATE FUNCTION _contract_number(obj jsonb, key text, path text, minimum numeric, maximum numeric, dflt numeric)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb := obj -> key;
	x numeric;
BEGIN
	IF v IS NULL OR v = 'null'::jsonb THEN
		RETURN dflt;
	END IF;
	IF jsonb_typeof(v) <> 'number' THEN
		RAISE EXCEPTION 'contract: %.% must be a number, not %', path, key, jsonb_typeof(v)
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Write amounts and rates as JSON numbers, e.g. 3500 or 0.5.';
	END IF;
	x := v::text::numeric;
	-- Every contract number is 0 or between 1e-9 and 1e15 in magnitude:
	-- money is in currency units (1e15 DKK is far beyond any contract, and
	-- 1e-9 far below an øre), fractions need no finer step. Outside that
	-- range a number is a typo, and ratios such as the money multiple
	-- would overflow float8.
	IF abs(x) > 1e15 THEN
		RAISE EXCEPTION 'contract: %.% is larger in magnitude than 1e15, the maximum for any contract number', path, key
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Give amounts in currency units (at most 1e15); shares, rates and thresholds are fractions.';
	END IF;
	IF x <> 0 AND abs(x) < 1e-9 THEN
		RAISE EXCEPTION 'contract: %.% is smaller in magnitude than 1e-9, the minimum for a non-zero contract number', path, key
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Give 0, or amounts in currency units and fractions of at least 1e-9.';
	END IF;
	IF minimum IS NOT NULL AND x < minimum THEN
		RAISE EXCEPTION 'contract: %.% is %, below the minimum %', path, key, x, minimum
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = CASE WHEN minimum = 0 THEN 'Prices, caps and amounts must be >= 0; nothing is clipped silently.'
			                  ELSE format('Give a value >= %s.', minimum) END;
	END IF;
	IF maximum IS NOT NULL AND x > maximum THEN
		RAISE EXCEPTION 'contract: %.% is %, above the maximum %', path, key, x, maximum
			USING ERRCODE = 'invalid_parameter_value', HINT = format('Give a value <= %s (shares and thresholds are fractions).', maximum);
	END IF;
	RETURN x;
END
$$;
COMMENT ON FUNCTION _contract_number(jsonb, text, text, numeric, numeric, numeric) IS
'Internal (contract validation): a numeric field within bounds (0 or 1e-9 to 1e15 in magnitude), or the default when absent.';

CREATE FUNCTION _contract_text(obj jsonb, key text, path text, allowed text[], dflt text)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb := obj -> key;
BEGIN
	IF v IS NULL OR v = 'null'::jsonb THEN
		RETURN dflt;
	END IF;
	IF jsonb_typeof(v) <> 'string' THEN
		RAISE EXCEPTION 'contract: %.% must be a string, not %', path, key, jsonb_typeof(v)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF allowed IS NOT NULL AND NOT (v #>> '{}') = ANY (allowed) THEN
		RAISE EXCEPTION 'contract: %.% is "%", not one of %', path, key, v #>> '{}', array_to_string(allowed, ', ')
			USING ERRCODE = 'invalid_parameter_value', HINT = format('Allowed values: %s.', array_to_string(allowed, ', '));
	END IF;
	RETURN v #>> '{}';
END
$$;
COMMENT ON FUNCTION _contract_text(jsonb, text, text, text[], text) IS
'Internal (contract validation): a string field (optionally from a list), or the default when absent.';

CREATE FUNCTION _contract_date(obj jsonb, key text, path text)
RETURNS date LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text := @extschema@._contract_text(obj, key, path, NULL, NULL);
BEGIN
	IF s IS NULL THEN
		RETURN NULL;
	END IF;
	IF s !~ '^\d{4}-\d{2}-\d{2}$' THEN
		RAISE EXCEPTION 'contract: %.% is "%", not a date YYYY-MM-DD', path, key, s
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN s::date;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
	RAISE EXCEPTION 'contract: %.% is "%", not a valid date', path, key, s
		USING ERRCODE = 'invalid_parameter_value';
END
$$;
COMMENT ON FUNCTION _contract_date(jsonb, text, text) IS
'Internal (contract validation): an ISO date field YYYY-MM-DD.';

-- validation ---------------------------------------------------------------

CREATE FUNCTION contract_validate(contract jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb;
	comps jsonb[] := '{}';		-- appended in place (linear), one jsonb array at the end
	c jsonb;
	o jsonb;
	nc jsonb;
	p text;
	op text;
	i int := 0;
	j int;
	t text;
	names text[] := '{}';
	outs text[];
	r text;
	inv jsonb := '[]';
	start date;
BEGIN
	IF contract IS NULL THEN
		RAISE EXCEPTION 'contract must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._contract_fields(contract, '$',
		ARRAY['name', 'description', 'source', 'currency', 'start', 'period', 'payer', 'investment',
		      'programme_cap', 'return_cap', 'components'],
		ARRAY['name', 'currency', 'start', 'components']);
	start := @extschema@._contract_date(contract, 'start', '$');
	doc := jsonb_build_object(
		'name', @extschema@._contract_text(contract, 'name', '$', NULL, NULL),
		'currency', @extschema@._contract_text(contract, 'currency', '$', NULL, NULL),
		'start', start,
		'period', @extschema@._contract_text(contract, 'period', '$', ARRAY['week', 'month', 'quarter', 'year'], 'quarter'),
		'payer', @extschema@._contract_text(contract, 'payer', '$', ARRAY['kommune', 'stat', 'other'], 'kommune'),
		'programme_cap', @extschema@._contract_number(contract, 'programme_cap', '$', 0, NULL, NULL));
	IF (doc ->> 'currency') !~ '^[A-Z]{3}$' THEN
		RAISE EXCEPTION 'contract: $.currency is "%", not an ISO 4217 code', doc ->> 'currency'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'E.g. DKK, GBP, EUR.';
	END IF;
	IF contract ? 'description' THEN
		doc := doc || jsonb_build_object('description', @extschema@._contract_text(contract, 'description', '$', NULL, NULL));
	END IF;
	IF contract ? 'source' THEN
		doc := doc || jsonb_build_object('source', @extschema@._contract_text(contract, 'source', '$', NULL, NULL));
	END IF;

	-- investment: a number (drawn at start) or a list of {day, amount}
	IF contract ? 'investment' THEN
		IF jsonb_typeof(contract -> 'investment') = 'number' THEN
			inv := jsonb_build_array(jsonb_build_object('day', start,
				'amount', @extschema@._contract_number(contract, 'investment', '$', 0, NULL, NULL)));
		ELSIF jsonb_typeof(contract -> 'investment') = 'array' THEN
			j := 0;
			FOR o IN SELECT * FROM jsonb_array_elements(contract -> 'investment') LOOP
				p := format('$.investment[%s]', j);
				PERFORM @extschema@._contract_fields(o, p, ARRAY['day', 'amount'], ARRAY['day', 'amount']);
				inv := inv || jsonb_build_array(jsonb_build_object('day', @extschema@._contract_date(o, 'day', p),
					'amount', @extschema@._contract_number(o, 'amount', p, 0, NULL, NULL)));
				j := j + 1;
			END LOOP;
		ELSE
			RAISE EXCEPTION 'contract: $.investment must be a number or an array of {day, amount}'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	doc := doc || jsonb_build_object('investment', inv);

	IF contract ? 'return_cap' THEN
		PERFORM @extschema@._contract_fields(contract -> 'return_cap', '$.return_cap', ARRAY['rate'], ARRAY['rate']);
		doc := doc || jsonb_build_object('return_cap', jsonb_build_object('rate',
			@extschema@._contract_number(contract -> 'return_cap', 'rate', '$.return_cap', 0, NULL, NULL)));
		IF jsonb_array_length(inv) = 0 THEN
			RAISE EXCEPTION 'contract: $.return_cap needs $.investment'
				USING ERRCODE = 'invalid_parameter_value', HINT = 'The cap is principal x (1 + rate)^years: give the investment.';
		END IF;
	END IF;

	IF jsonb_typeof(contract -> 'components') <> 'array' OR jsonb_array_length(contract -> 'components') = 0 THEN
		RAISE EXCEPTION 'contract: $.components must be a non-empty array'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Component types: rate_card, threshold, gain_share, savings, resultattilskud.';
	END IF;
	FOR c IN SELECT * FROM jsonb_array_elements(contract -> 'components') LOOP
		p := format('$.components[%s]', i);
		IF jsonb_typeof(c) <> 'object' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type'], ARRAY['type']);
		END IF;
		t := @extschema@._contract_text(c, 'type', p,
			ARRAY['rate_card', 'threshold', 'gain_share', 'savings', 'resultattilskud'], NULL);
		IF t IS NULL THEN
			RAISE EXCEPTION 'contract: missing required field %.type', p
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = 'Component types: rate_card, threshold, gain_share, savings, resultattilskud.';
		END IF;
		nc := jsonb_build_object('type', t,
			'name', @extschema@._contract_text(c, 'name', p, NULL, t || '_' || (i + 1)),
			'cap', @extschema@._contract_number(c, 'cap', p, 0, NULL, NULL));
		names := names || (nc ->> 'name');
		IF t = 'rate_card' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'per_participant_cap', 'outcomes'], ARRAY['type', 'outcomes']);
			nc := nc || jsonb_build_object('per_participant_cap', @extschema@._contract_number(c, 'per_participant_cap', p, 0, NULL, NULL));
			IF jsonb_typeof(c -> 'outcomes') <> 'array' OR jsonb_array_length(c -> 'outcomes') = 0 THEN
				RAISE EXCEPTION 'contract: %.outcomes must be a non-empty array of {outcome, price, requires}', p
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
			outs := '{}';
			j := 0;
			FOR o IN SELECT * FROM jsonb_array_elements(c -> 'outcomes') LOOP
				op := format('%s.outcomes[%s]', p, j);
				PERFORM @extschema@._contract_fields(o, op, ARRAY['outcome', 'price', 'requires', 'description'], ARRAY['outcome', 'price']);
				IF @extschema@._contract_text(o, 'outcome', op, NULL, NULL) = ANY (outs) THEN
					RAISE EXCEPTION 'contract: %.outcome "%" is priced twice in this rate card', op, o ->> 'outcome'
						USING ERRCODE = 'invalid_parameter_value';
				END IF;
				outs := outs || (o ->> 'outcome');
				PERFORM @extschema@._contract_number(o, 'price', op, 0, NULL, NULL);
				IF o ? 'requires' AND jsonb_typeof(o -> 'requires') <> 'array' THEN
					RAISE EXCEPTION 'contract: %.requires must be an array of outcome names', op
						USING ERRCODE = 'invalid_parameter_value';
				END IF;
				j := j + 1;
			END LOOP;
			-- prerequisites must be outcomes of the same card
			j := 0;
			FOR o IN SELECT * FROM jsonb_array_elements(c -> 'outcomes') LOOP
				FOR r IN SELECT * FROM jsonb_array_elements_text(coalesce(o -> 'requires', '[]')) LOOP
					IF NOT r = ANY (outs) THEN
						RAISE EXCEPTION 'contract: %.outcomes[%].requires names "%", which is not an outcome of this rate card', p, j, r
							USING ERRCODE = 'invalid_parameter_value', HINT = format('Outcomes of the card: %s.', array_to_string(outs, ', '));
					END IF;
				END LOOP;
				j := j + 1;
			END LOOP;
			nc := nc || jsonb_build_object('outcomes', (
				SELECT jsonb_agg(jsonb_build_object('outcome', x ->> 'outcome', 'price', (x ->> 'price')::numeric,
				                                    'requires', coalesce(x -> 'requires', '[]')) ORDER BY n)
				FROM jsonb_array_elements(c -> 'outcomes') WITH ORDINALITY e(x, n)));
		ELSIF t = 'threshold' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'metric', 'direction', 'cohort_threshold',
				'overall_threshold', 'price', 'per'], ARRAY['type', 'metric', 'cohort_threshold', 'price']);
			nc := nc || jsonb_build_object(
				'metric', @extschema@._contract_text(c, 'metric', p, NULL, NULL),
				'direction', @extschema@._contract_text(c, 'direction', p, ARRAY['lower_is_better', 'higher_is_better'], 'lower_is_better'),
				'cohort_threshold', @extschema@._contract_number(c, 'cohort_threshold', p, 0, 1, NULL),
				'overall_threshold', @extschema@._contract_number(c, 'overall_threshold', p, 0, 1, NULL),
				'price', @extschema@._contract_number(c, 'price', p, 0, NULL, NULL),
				'per', @extschema@._contract_number(c, 'per', p, 1e-9, NULL, 1));
		ELSIF t = 'gain_share' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'metric', 'share', 'fees'], ARRAY['type', 'metric', 'share']);
			nc := nc || jsonb_build_object(
				'metric', @extschema@._contract_text(c, 'metric', p, NULL, NULL),
				'share', @extschema@._contract_number(c, 'share', p, 0, 1, NULL));
			IF c ? 'fees' THEN
				IF jsonb_typeof(c -> 'fees') <> 'array' THEN
					RAISE EXCEPTION 'contract: %.fees must be an array of {outcome, price}', p USING ERRCODE = 'invalid_parameter_value';
				END IF;
				j := 0;
				FOR o IN SELECT * FROM jsonb_array_elements(c -> 'fees') LOOP
					op := format('%s.fees[%s]', p, j);
					PERFORM @extschema@._contract_fields(o, op, ARRAY['outcome', 'price', 'description'], ARRAY['outcome', 'price']);
					PERFORM @extschema@._contract_text(o, 'outcome', op, NULL, NULL);
					PERFORM @extschema@._contract_number(o, 'price', op, 0, NULL, NULL);
					j := j + 1;
				END LOOP;
				nc := nc || jsonb_build_object('fees', (SELECT jsonb_agg(jsonb_build_object('outcome', x ->> 'outcome', 'price', (x ->> 'price')::numeric))
				                                       FROM jsonb_array_elements(c -> 'fees') x));
			ELSE
				nc := nc || '{"fees": []}';
			END IF;
		ELSIF t = 'savings' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'metric', 'category', 'variant',
				'price_per_week', 'share', 'seniority'], ARRAY['type']);
			nc := nc || jsonb_build_object(
				'metric', @extschema@._contract_text(c, 'metric', p, NULL, 'avoided_weeks'),
				'category', @extschema@._contract_text(c, 'category', p, NULL, NULL),
				'variant', @extschema@._contract_text(c, 'variant', p, NULL, 'standard'),
				'price_per_week', @extschema@._contract_number(c, 'price_per_week', p, 0, NULL, NULL),
				'share', @extschema@._contract_number(c, 'share', p, 0, 1, 1),
				'seniority', @extschema@._contract_number(c, 'seniority', p, 1, NULL, 53));
			IF nc ->> 'category' IS NULL AND nc ->> 'price_per_week' IS NULL THEN
				RAISE EXCEPTION 'contract: missing price at %: give category (valued at benefit_rate) or price_per_week', p
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
		ELSIF t = 'resultattilskud' THEN
			PERFORM @extschema@._contract_fields(c, p, ARRAY['type', 'name', 'cap', 'min_weeks', 'min_hours'], ARRAY['type']);
			nc := nc || jsonb_build_object(
				'min_weeks', @extschema@._contract_number(c, 'min_weeks', p, 0, NULL, 26),
				'min_hours', @extschema@._contract_number(c, 'min_hours', p, 0, NULL, 20));
		END IF;
		comps := comps || jsonb_strip_nulls(nc);
		i := i + 1;
	END LOOP;
	-- unique names, checked once for all components (a search per
	-- component would make validation quadratic in their number)
	SELECT d.n - 1, d.x INTO j, t
	FROM (SELECT u.n, u.x, count(*) OVER (PARTITION BY u.x ORDER BY u.n) AS k
	      FROM unnest(names) WITH ORDINALITY u(x, n)) d
	WHERE d.k > 1 ORDER BY d.n LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'contract: $.components[%].name "%" is used by an earlier component', j, t
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Component names must be unique.';
	END IF;
	RETURN jsonb_strip_nulls(doc) || jsonb_build_object('components', to_jsonb(comps));
END
$$;
COMMENT ON FUNCTION contract_validate(jsonb) IS
'Validate an outcome contract against the schema of docs/contracts.md and return it normalised (defaults filled in); errors name the JSON path of the bad field.';

-- outcome rows ---------------------------------------------------------------

CREATE FUNCTION _contract_source(outcomes regclass)
RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cols text[];
	spec text[][] := ARRAY[['participant', 'text'], ['outcome', 'text'], ['day', 'date'], ['value', 'numeric'],
	                       ['comparison', 'numeric'], ['n', 'numeric'], ['cohort', 'text'], ['hours', 'numeric'],
	                       ['programme_month', 'integer']];
	sel text[] := '{}';
	i int;
BEGIN
	IF outcomes IS NULL THEN
		RAISE EXCEPTION 'outcomes must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = outcomes) THEN
		RAISE EXCEPTION 'outcomes table with OID % does not exist', outcomes::oid
			USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
	END IF;
	IF NOT has_table_privilege(outcomes, 'SELECT') THEN
		RAISE EXCEPTION 'permission denied for table %', outcomes USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT array_agg(attname::text) INTO cols FROM pg_attribute
	WHERE attrelid = outcomes AND attnum > 0 AND NOT attisdropped;
	IF NOT 'outcome' = ANY (cols) OR NOT 'day' = ANY (cols) THEN
		RAISE EXCEPTION 'outcomes table % needs at least the columns outcome and day', outcomes
			USING ERRCODE = 'undefined_column',
			      HINT = 'Columns read: participant, outcome, day, value, comparison, n, cohort, hours, programme_month (see docs/contracts.md).';
	END IF;
	FOR i IN 1 .. array_length(spec, 1) LOOP
		IF spec[i][1] = ANY (cols) THEN
			sel := sel || format('%I::%s AS %I', spec[i][1], spec[i][2], spec[i][1]);
		ELSE
			sel := sel || format('NULL::%s AS %I', spec[i][2], spec[i][1]);
		END IF;
	END LOOP;
	RETURN format('SELECT %s FROM %s', array_to_string(sel, ', '), outcomes);
END
$$;
COMMENT ON FUNCTION _contract_source(regclass) IS
'Internal: the SELECT that reads an outcomes table in the standard column layout (missing columns as NULL).';

CREATE TYPE contract_payment AS (
	period date,
	pay_day date,
	component_no integer,
	component text,
	outcomes numeric,
	amount_uncapped numeric,
	amount_due numeric,
	cumulative_due numeric,
	capped boolean,
	note text
);
COMMENT ON TYPE contract_payment IS
'One row of a payment schedule: period (start), pay_day (end of period), component, outcomes counted, amount before caps, amount due, cumulative due, whether a cap bit, and a note.';

-- resultattilskud for one spell (DOMAIN.md 4.6, M12.6)
CREATE FUNCTION resultattilskud_amount(kind text, programme_month integer, weeks numeric, avg_hours numeric, day date,
                                       min_weeks numeric DEFAULT 26, min_hours numeric DEFAULT 20)
RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a numeric;
BEGIN
	IF kind IS NULL OR programme_month IS NULL OR day IS NULL OR min_weeks IS NULL OR min_hours IS NULL THEN
		RAISE EXCEPTION 'resultattilskud_amount: kind, programme_month, day, min_weeks and min_hours must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF kind NOT IN ('employment', 'education', 'danish_test') THEN
		RAISE EXCEPTION 'resultattilskud_amount: kind must be employment, education or danish_test, not "%"', kind
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM @extschema@._money_finite(weeks, 'resultattilskud_amount: weeks');
	PERFORM @extschema@._money_finite(avg_hours, 'resultattilskud_amount: avg_hours');
	PERFORM @extschema@._money_finite(min_weeks, 'resultattilskud_amount: min_weeks');
	PERFORM @extschema@._money_finite(min_hours, 'resultattilskud_amount: min_hours');
	IF programme_month < 1 THEN
		RAISE EXCEPTION 'resultattilskud_amount: programme_month must be >= 1 (month 1 = first month of the programme), got %', programme_month
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.resultattilskud_rate r
	               WHERE r.kind = resultattilskud_amount.kind AND day >= r.valid_from AND day < r.valid_to) THEN
		RAISE EXCEPTION 'no resultattilskud amounts for % in force on %', kind, day
			USING ERRCODE = 'no_data_found', HINT = 'Shipped amounts are the 2024 figures; add resultattilskud_rate rows with source = ''user''.';
	END IF;
	IF kind = 'employment' AND (weeks IS NULL OR avg_hours IS NULL) THEN
		RAISE EXCEPTION 'resultattilskud_amount: employment needs weeks (continuous spell length) and avg_hours'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF kind = 'employment' AND (weeks < min_weeks OR avg_hours < min_hours) THEN
		RETURN 0;
	END IF;
	IF kind = 'education' AND weeks IS NOT NULL AND weeks < min_weeks THEN
		RETURN 0;
	END IF;
	SELECT r.amount INTO a FROM @extschema@.resultattilskud_rate r
	WHERE r.kind = resultattilskud_amount.kind AND day >= r.valid_from AND day < r.valid_to
	  AND resultattilskud_amount.programme_month BETWEEN r.first_month AND r.last_month
	ORDER BY r.source = 'user' DESC LIMIT 1;
	RETURN coalesce(a, 0);
END
$$;
COMMENT ON FUNCTION resultattilskud_amount(text, integer, numeric, numeric, date, numeric, numeric) IS
'Integration result grant for one spell: employment needs >= min_weeks continuous weeks at >= min_hours hours/week on average; amount by the programme month the spell starts in (0 outside the rate periods).';

-- component payments before programme and return caps
-- (takes the period, not the whole document: reading a large document once
-- per component would make a schedule quadratic in the number of components)
CREATE FUNCTION _contract_component_items(per text, comp jsonb, comp_no integer, src text)
RETURNS SETOF contract_payment LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t text := comp ->> 'type';
	nm text := comp ->> 'name';
	cap numeric := (comp ->> 'cap')::numeric;
	r record;
	rel numeric;
	units numeric;
	amt numeric;
	paid_cohorts numeric := 0;
	due numeric;
	cum numeric := 0;
	capped_cum numeric := 0;
	item @extschema@.contract_payment;
	bad bigint;
	norate date;
BEGIN
	IF t = 'rate_card' THEN
		EXECUTE format('SELECT count(*) FROM (%s) s WHERE s.outcome IN (SELECT x ->> ''outcome'' FROM jsonb_array_elements($1) x) AND s.participant IS NULL', src)
			INTO bad USING comp -> 'outcomes';
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % rate-card outcome row(s) without a participant', nm, bad
				USING ERRCODE = 'null_value_not_allowed', HINT = 'Rate cards pay per participant: fill the participant column.';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH card AS (
				SELECT x ->> 'outcome' AS outcome, (x ->> 'price')::numeric AS price, x -> 'requires' AS requires
				FROM jsonb_array_elements($1) x),
			ach AS (
				SELECT s.participant, s.outcome, min(s.day) AS day
				FROM (%s) s WHERE s.outcome IN (SELECT outcome FROM card) GROUP BY 1, 2),
			req AS (
				SELECT a.participant, a.outcome, a.day, q.req
				FROM ach a JOIN card c USING (outcome), jsonb_array_elements_text(c.requires) q(req)),
			missing AS (
				SELECT r.participant, r.outcome
				FROM req r LEFT JOIN ach b ON b.participant = r.participant AND b.outcome = r.req AND b.day <= r.day
				WHERE b.participant IS NULL GROUP BY 1, 2),
			elig AS (
				SELECT a.participant, a.outcome, a.day, c.price, m.participant IS NULL AS ok
				FROM ach a JOIN card c USING (outcome) LEFT JOIN missing m USING (participant, outcome)),
			pp AS (
				SELECT e.*, CASE WHEN ok THEN price ELSE 0 END AS due0,
				       sum(CASE WHEN ok THEN price ELSE 0 END) OVER (PARTITION BY participant ORDER BY day, outcome
				                                                    ROWS UNBOUNDED PRECEDING) AS cum
				FROM elig e),
			pc AS (
				SELECT pp.*, CASE WHEN $2::numeric IS NULL THEN due0 ELSE least(cum, $2) - least(cum - due0, $2) END AS due1
				FROM pp),
			cc AS (
				SELECT pc.*, sum(due1) OVER (ORDER BY day, participant, outcome ROWS UNBOUNDED PRECEDING) AS cum2 FROM pc),
			fin AS (
				SELECT cc.*, CASE WHEN $3::numeric IS NULL THEN due1 ELSE least(cum2, $3) - least(cum2 - due1, $3) END AS due2
				FROM cc)
			SELECT date_trunc($4, day::timestamp)::date, NULL::date, $5, $6,
			       count(*) FILTER (WHERE ok)::numeric, sum(due0), sum(due2), NULL::numeric, bool_or(due2 < due0),
			       CASE WHEN count(*) FILTER (WHERE NOT ok) > 0
			            THEN format('%%s outcome(s) achieved without their prerequisite: not paid', count(*) FILTER (WHERE NOT ok)) END
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING comp -> 'outcomes', (comp ->> 'per_participant_cap')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;

	IF t = 'resultattilskud' THEN
		EXECUTE format($q$SELECT count(*) FROM (%s) s WHERE s.outcome IN ('employment', 'education', 'danish_test')
		                  AND (s.participant IS NULL OR s.programme_month IS NULL OR s.programme_month < 1
		                       OR (s.outcome = 'employment' AND (s.value IS NULL OR s.hours IS NULL)))$q$, src) INTO bad;
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % resultattilskud row(s) lack participant, programme_month >= 1, or (employment) value = weeks / hours', nm, bad
				USING ERRCODE = 'null_value_not_allowed';
		END IF;
		EXECUTE format($q$SELECT min(s.day) FROM (%s) s WHERE s.outcome IN ('employment', 'education', 'danish_test')
		                  AND NOT EXISTS (SELECT 1 FROM @extschema@.resultattilskud_rate r
		                                  WHERE r.kind = s.outcome AND s.day >= r.valid_from AND s.day < r.valid_to)$q$, src)
			INTO norate;
		IF norate IS NOT NULL THEN
			RAISE EXCEPTION 'contract component "%": no resultattilskud amounts in force on %', nm, norate
				USING ERRCODE = 'no_data_found',
				      HINT = 'Shipped amounts are the 2024 figures; add resultattilskud_rate rows with source = ''user''.';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH q AS (
				SELECT s.participant, s.outcome, s.day,
				       CASE s.outcome WHEN 'danish_test' THEN 'danish_test' ELSE 'job_or_education' END AS grp,
				       (SELECT r.amount FROM @extschema@.resultattilskud_rate r
				         WHERE r.kind = s.outcome AND s.day >= r.valid_from AND s.day < r.valid_to
				           AND s.programme_month BETWEEN r.first_month AND r.last_month
				         ORDER BY r.source = 'user' DESC LIMIT 1) AS amount
				FROM (%s) s
				WHERE s.outcome = 'danish_test'
				   OR (s.outcome = 'employment' AND s.value >= $1 AND s.hours >= $2)
				   OR (s.outcome = 'education' AND (s.value IS NULL OR s.value >= $1))),
			f AS (
				SELECT DISTINCT ON (participant, grp) day, amount
				FROM q WHERE amount > 0 ORDER BY participant, grp, day),
			cc AS (
				SELECT day, amount, sum(amount) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS cum FROM f),
			fin AS (
				SELECT day, amount, CASE WHEN $3::numeric IS NULL THEN amount
				                         ELSE least(cum, $3) - least(cum - amount, $3) END AS due FROM cc)
			SELECT date_trunc($4, day::timestamp)::date, NULL::date, $5, $6, count(*)::numeric, sum(amount), sum(due),
			       NULL::numeric, bool_or(due < amount), NULL::text
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING (comp ->> 'min_weeks')::numeric, (comp ->> 'min_hours')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;

	IF t = 'threshold' THEN
		FOR r IN EXECUTE format($q$SELECT * FROM (%s) s WHERE s.outcome = $1
		                           ORDER BY (s.cohort IS NULL OR s.cohort = 'overall'), s.day, s.cohort$q$, src)
			USING comp ->> 'metric'
		LOOP
			IF r.value IS NULL OR r.comparison IS NULL OR r.n IS NULL OR r.comparison <= 0 OR r.n < 0 OR r.value < 0 THEN
				RAISE EXCEPTION 'contract component "%": threshold row for cohort % on % needs value >= 0, comparison > 0 and n >= 0', nm, coalesce(r.cohort, 'overall'), r.day
					USING ERRCODE = 'invalid_parameter_value',
					      HINT = 'value = outcome of the treated cohort, comparison = outcome of its comparison group, n = treated persons.';
			END IF;
			IF comp ->> 'direction' = 'lower_is_better' THEN
				rel := 1 - r.value / r.comparison;
				units := (r.comparison - r.value) / (comp ->> 'per')::numeric * r.n;
			ELSE
				rel := r.value / r.comparison - 1;
				units := (r.value - r.comparison) / (comp ->> 'per')::numeric * r.n;
			END IF;
			amt := 0;
			IF r.cohort IS NOT NULL AND r.cohort <> 'overall' THEN
				IF rel >= (comp ->> 'cohort_threshold')::numeric THEN
					amt := (comp ->> 'price')::numeric * units;
					paid_cohorts := paid_cohorts + amt;
				END IF;
				item := ROW(date_trunc(per, r.day::timestamp)::date, NULL, comp_no, nm, greatest(units, 0), amt, amt, NULL, false,
					format('cohort %s: improvement %s %% %s threshold %s %%', r.cohort, round(rel * 100, 4),
					       CASE WHEN amt > 0 OR rel >= (comp ->> 'cohort_threshold')::numeric THEN 'reaches' ELSE 'below' END,
					       round((comp ->> 'cohort_threshold')::numeric * 100, 4)));
			ELSE
				IF comp ? 'overall_threshold' AND rel >= (comp ->> 'overall_threshold')::numeric THEN
					amt := greatest((comp ->> 'price')::numeric * units - paid_cohorts, 0);
				END IF;
				-- the overall measurement re-counts the cohorts' events: no new outcomes
				item := ROW(date_trunc(per, r.day::timestamp)::date, NULL, comp_no, nm, 0, amt, amt, NULL, false,
					format('overall: improvement %s %% %s', round(rel * 100, 4),
					       CASE WHEN NOT comp ? 'overall_threshold' THEN '(no overall threshold in the contract)'
					            WHEN rel >= (comp ->> 'overall_threshold')::numeric
					            THEN format('reaches threshold %s %%; cohort payments %s deducted', round((comp ->> 'overall_threshold')::numeric * 100, 4), paid_cohorts)
					            ELSE format('below threshold %s %%', round((comp ->> 'overall_threshold')::numeric * 100, 4)) END));
			END IF;
			-- component cap, cumulative
			cum := cum + item.amount_due;
			due := CASE WHEN cap IS NULL THEN item.amount_due ELSE least(cum, cap) - capped_cum END;
			capped_cum := capped_cum + due;
			item.capped := due < item.amount_due;
			item.amount_due := due;
			RETURN NEXT item;
		END LOOP;
		RETURN;
	END IF;

	-- gain_share and savings: signed entitlements, netted per day; payments
	-- follow the high-water mark of the running entitlement (no claw-back)
	IF t = 'gain_share' THEN
		EXECUTE format($q$SELECT count(*) FROM (%s) s WHERE s.outcome = $1
		                  AND (s.value IS NULL OR s.comparison IS NULL OR s.n IS NULL OR s.n < 0)$q$, src)
			INTO bad USING comp ->> 'metric';
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % gain row(s) without value, comparison and n >= 0', nm, bad
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = 'value = public gain per treated person, comparison = the same for the control group, n = treated persons.';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH fee AS (
				SELECT x ->> 'outcome' AS outcome, (x ->> 'price')::numeric AS price FROM jsonb_array_elements($2) x),
			rows AS (
				SELECT s.day,
				       CASE WHEN s.outcome = $1 THEN $3 * s.n * (s.value - s.comparison) ELSE 0 END AS gain,
				       CASE WHEN s.outcome = $1 THEN 0 ELSE f.price * coalesce(s.value, 1) END AS fee,
				       CASE WHEN s.outcome = $1 THEN s.n ELSE coalesce(s.value, 1) END AS units,
				       CASE WHEN s.outcome = $1 THEN NULL ELSE 'fee: ' || s.outcome END AS note
				FROM (%s) s LEFT JOIN fee f ON f.outcome = s.outcome
				WHERE s.outcome = $1 OR f.price IS NOT NULL),
			d AS (
				SELECT day, sum(gain) AS gain, sum(fee) AS fee, sum(units) AS units,
				       string_agg(DISTINCT note, '; ') AS note
				FROM rows GROUP BY day),
			hw AS (
				SELECT d.*, greatest(0, max(run) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING)) AS paid_hw
				FROM (SELECT d.*, sum(gain) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS run FROM d) d),
			due AS (
				SELECT day, units, note, paid_hw - coalesce(lag(paid_hw) OVER (ORDER BY day), 0) + fee AS due0 FROM hw),
			cc AS (
				SELECT due.*, sum(due0) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS cum FROM due),
			fin AS (
				SELECT cc.*, CASE WHEN $4::numeric IS NULL THEN due0 ELSE least(cum, $4) - least(cum - due0, $4) END AS due1
				FROM cc)
			SELECT date_trunc($5, day::timestamp)::date, NULL::date, $6, $7, sum(units), sum(due0), sum(due1),
			       NULL::numeric, bool_or(due1 < due0), string_agg(note, '; ')
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING comp ->> 'metric', comp -> 'fees', (comp ->> 'share')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;

	IF t = 'savings' THEN
		EXECUTE format($q$SELECT count(*) FROM (%s) s WHERE s.outcome = $1 AND s.value IS NULL$q$, src)
			INTO bad USING comp ->> 'metric';
		IF bad > 0 THEN
			RAISE EXCEPTION 'contract component "%": % savings row(s) without value = avoided benefit weeks', nm, bad
				USING ERRCODE = 'null_value_not_allowed';
		END IF;
		RETURN QUERY EXECUTE format($q$
			WITH d AS (
				SELECT s.day, sum(s.value) AS weeks FROM (%s) s WHERE s.outcome = $1 GROUP BY s.day),
			priced AS (
				SELECT d.*, $4 * d.weeks * coalesce($5, @extschema@.benefit_rate_at($2, d.day, $3)) AS amt FROM d),
			hw AS (
				SELECT p.*, greatest(0, max(run) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING)) AS paid_hw
				FROM (SELECT priced.*, sum(amt) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS run FROM priced) p),
			due AS (
				SELECT day, weeks, paid_hw - coalesce(lag(paid_hw) OVER (ORDER BY day), 0) AS due0 FROM hw),
			cc AS (
				SELECT due.*, sum(due0) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS cum FROM due),
			fin AS (
				SELECT cc.*, CASE WHEN $6::numeric IS NULL THEN due0 ELSE least(cum, $6) - least(cum - due0, $6) END AS due1
				FROM cc)
			SELECT date_trunc($7, day::timestamp)::date, NULL::date, $8, $9, sum(weeks), sum(due0), sum(due1),
			       NULL::numeric, bool_or(due1 < due0), NULL::text
			FROM fin GROUP BY 1 ORDER BY 1 $q$, src)
		USING comp ->> 'metric', comp ->> 'category', comp ->> 'variant', (comp ->> 'share')::numeric,
		      (comp ->> 'price_per_week')::numeric, cap, per, comp_no, nm;
		RETURN;
	END IF;
END
$$;
COMMENT ON FUNCTION _contract_component_items(text, jsonb, integer, text) IS
'Internal: payments of one contract component (component-level caps applied), before programme and return caps.';

CREATE FUNCTION _contract_schedule(contract jsonb, src text)
RETURNS SETOF contract_payment LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	per text := doc ->> 'period';
	step interval := CASE doc ->> 'period' WHEN 'quarter' THEN interval '3 months' ELSE ('1 ' || (doc ->> 'period'))::interval END;
	pcap numeric := (doc ->> 'programme_cap')::numeric;
	rrate numeric := (doc #>> '{return_cap,rate}')::numeric;
	it @extschema@.contract_payment;
	u numeric := 0;			-- cumulative after component caps
	paid numeric := 0;		-- cumulative paid
	lim numeric;
	due numeric;
	bad bigint;
	nonfinite record;
	t text;
	known text[];
BEGIN
	-- one scan for both: rows without outcome or day, and NaN or +-Infinity in
	-- a number column (numeric NaN sorts above every number and would pass
	-- every threshold)
	EXECUTE format($q$SELECT count(*) FILTER (WHERE s.outcome IS NULL OR s.day IS NULL),
	                         min(CASE WHEN s.value IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'value'
	                                  WHEN s.comparison IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'comparison'
	                                  WHEN s.n IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'n'
	                                  WHEN s.hours IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN 'hours' END)
	                  FROM (%s) s$q$, src) INTO bad, t;
	IF t IS NOT NULL THEN
		EXECUTE format($q$SELECT s.participant, s.outcome, s.day, s.%I AS v FROM (%s) s
		                  WHERE s.%I IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) LIMIT 1$q$, t, src, t)
			INTO nonfinite;
		PERFORM @extschema@._money_finite(nonfinite.v, format('outcomes: column %s (outcome %s, participant %s, day %s)',
		                                  t, nonfinite.outcome, coalesce(nonfinite.participant, '-'), nonfinite.day));
	END IF;
	IF bad > 0 THEN
		RAISE EXCEPTION 'outcomes: % row(s) with NULL outcome or day', bad
			USING ERRCODE = 'null_value_not_allowed', HINT = 'Every outcome row needs the outcome name and the day it was achieved or measured.';
	END IF;
	-- rows no component reads are reported, not silently dropped
	SELECT array_agg(DISTINCT x) INTO known FROM (
		SELECT o ->> 'outcome' FROM jsonb_array_elements(doc -> 'components') cc,
		       jsonb_array_elements(coalesce(cc -> 'outcomes', '[]') || coalesce(cc -> 'fees', '[]')) o
		UNION ALL SELECT cc ->> 'metric' FROM jsonb_array_elements(doc -> 'components') cc WHERE cc ? 'metric'
		UNION ALL SELECT unnest(ARRAY['employment', 'education', 'danish_test'])
		FROM jsonb_array_elements(doc -> 'components') cc WHERE cc ->> 'type' = 'resultattilskud') k(x);
	EXECUTE format('SELECT count(*) FROM (%s) s WHERE NOT s.outcome = ANY ($1)', src) INTO bad USING known;
	IF bad > 0 THEN
		RAISE NOTICE 'contract_schedule: % outcome row(s) match no component of the contract and are not paid', bad
			USING HINT = format('Outcomes the contract pays for: %s.', array_to_string(known, ', '));
	END IF;

	-- the components' items in one query (linear in the number of components)
	FOR it IN
		SELECT x.period, (x.period + step)::date, x.component_no, x.component, sum(x.outcomes), sum(x.amount_uncapped),
		       sum(x.amount_due), NULL::numeric, bool_or(x.capped), string_agg(x.note, '; ')
		FROM jsonb_array_elements(doc -> 'components') WITH ORDINALITY c(comp, i),
		     LATERAL @extschema@._contract_component_items(per, c.comp, c.i::integer, src) x
		GROUP BY x.period, x.component_no, x.component ORDER BY x.period, x.component_no
	LOOP
		u := u + it.amount_due;
		lim := u;
		IF pcap IS NOT NULL THEN
			lim := least(lim, pcap);
		END IF;
		IF rrate IS NOT NULL THEN
			lim := least(lim, (SELECT coalesce(sum((v ->> 'amount')::numeric
			                     * power(1 + rrate, ((it.pay_day - (v ->> 'day')::date) / 365.0)::numeric)), 0)
			                   FROM jsonb_array_elements(doc -> 'investment') v WHERE (v ->> 'day')::date <= it.pay_day));
		END IF;
		due := greatest(lim - paid, 0);
		IF due < it.amount_due THEN
			it.capped := true;
			it.note := concat_ws('; ', it.note,
				CASE WHEN pcap IS NOT NULL AND u > pcap THEN 'programme cap' ELSE 'investor return cap' END);
		END IF;
		paid := paid + due;
		it.amount_due := due;
		it.cumulative_due := paid;
		RETURN NEXT it;
	END LOOP;
END
$$;
COMMENT ON FUNCTION _contract_schedule(jsonb, text) IS
'Internal: payment schedule of a contract over the outcome rows of a query (contract_schedule and the scenario functions use it).';

CREATE FUNCTION contract_schedule(contract jsonb, outcomes regclass)
RETURNS TABLE (period date, pay_day date, component_no integer, component text, outcomes numeric,
               amount_uncapped numeric, amount_due numeric, cumulative_due numeric, capped boolean, note text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@._contract_schedule(contract, @extschema@._contract_source(outcomes)) $$;
COMMENT ON FUNCTION contract_schedule(jsonb, regclass) IS
'Payment schedule per period and component: outcomes achieved, amount before caps, amount due after component, programme and investor-return caps, cumulative due, capped or not.';

-- ==== 53_money_decision.sql ====
-- Results per party and decision support: contract summary, SØM-style net
-- result by payer (DOMAIN.md M13), break-even effect, sensitivity table,
-- payout distribution over effect draws.

CREATE FUNCTION _contract_savings_flows(doc jsonb, src text, savings regclass)
RETURNS TABLE (day date, kommune numeric, stat numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	c jsonb;
	cols text[];
	bad record;
BEGIN
	IF savings IS NOT NULL THEN
		IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = savings) THEN
			RAISE EXCEPTION 'savings table with OID % does not exist', savings::oid
				USING ERRCODE = 'undefined_table', HINT = 'Pass the table as ''schema.table'' (a regclass).';
		END IF;
		IF NOT has_table_privilege(savings, 'SELECT') THEN
			RAISE EXCEPTION 'permission denied for table %', savings USING ERRCODE = 'insufficient_privilege';
		END IF;
		SELECT array_agg(attname::text) INTO cols FROM pg_attribute
		WHERE attrelid = savings AND attnum > 0 AND NOT attisdropped;
		IF NOT cols @> ARRAY['day', 'kommune', 'stat'] THEN
			RAISE EXCEPTION 'savings table % needs the columns day, kommune and stat', savings
				USING ERRCODE = 'undefined_column', HINT = 'One row per dated saving: day date, kommune numeric, stat numeric.';
		END IF;
		EXECUTE format($f$SELECT x.col, x.v, s.day FROM (SELECT day::date, kommune::numeric, stat::numeric FROM %s) s,
		                  LATERAL (VALUES ('kommune', s.kommune), ('stat', s.stat)) x(col, v)
		                  WHERE x.v IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) LIMIT 1$f$, savings) INTO bad;
		IF bad.col IS NOT NULL THEN
			PERFORM @extschema@._money_finite(bad.v, format('savings table %s: column %s (day %s)', savings, bad.col, bad.day));
		END IF;
		RETURN QUERY EXECUTE format('SELECT day::date, kommune::numeric, stat::numeric FROM %s', savings);
		RETURN;
	END IF;
	-- otherwise: the avoided benefit weeks the savings components pay for,
	-- valued at the component's price_per_week or the rate in force, and split
	-- by the staircase at the component's assumed seniority
	FOR c IN SELECT * FROM jsonb_array_elements(doc -> 'components') x WHERE x ->> 'type' = 'savings' LOOP
		IF c ->> 'category' IS NULL THEN
			RAISE NOTICE 'contract_summary: savings component "%" has no category, so its savings cannot be split kommune/stat and are left out', c ->> 'name'
				USING HINT = 'Give the component a category, or pass a savings table (day, kommune, stat).';
			CONTINUE;
		END IF;
		RETURN QUERY EXECUTE format($q$
			SELECT s.day, s.value * x.price * x.ks, s.value * x.price * (1 - x.ks)
			FROM (%s) s,
			     LATERAL (SELECT coalesce($5, @extschema@.benefit_rate_at($2, s.day, $4)) AS price,
			                     @extschema@.kommune_share(@extschema@.category_payer_rule($2, s.day), $3, s.day) AS ks) x
			WHERE s.outcome = $1 $q$, src)
			USING c ->> 'metric', c ->> 'category', (c ->> 'seniority')::integer, c ->> 'variant',
			      (c ->> 'price_per_week')::numeric;
	END LOOP;
END
$$;
COMMENT ON FUNCTION _contract_savings_flows(jsonb, text, regclass) IS
'Internal: dated kommune/stat savings for contract_summary (from a savings table, or valued from the savings components).';

CREATE FUNCTION _contract_cashflows(contract jsonb, src text, savings regclass)
RETURNS TABLE (party text, day date, amount numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	payer text := doc ->> 'payer';
BEGIN
	RETURN QUERY
	WITH pay AS (
		SELECT s.pay_day AS day, s.amount_due AS amount FROM @extschema@._contract_schedule(doc, src) s),
	inv AS (
		SELECT (v ->> 'day')::date AS day, (v ->> 'amount')::numeric AS amount FROM jsonb_array_elements(doc -> 'investment') v),
	sav AS (
		SELECT * FROM @extschema@._contract_savings_flows(doc, src, savings))
	SELECT 'investor'::text, inv.day, -inv.amount FROM inv
	UNION ALL SELECT 'investor', pay.day, pay.amount FROM pay
	UNION ALL SELECT payer, pay.day, -pay.amount FROM pay WHERE payer <> 'other'
	UNION ALL SELECT 'kommune', sav.day, sav.kommune FROM sav
	UNION ALL SELECT 'stat', sav.day, sav.stat FROM sav;
END
$$;
COMMENT ON FUNCTION _contract_cashflows(jsonb, text, regclass) IS
'Internal: dated cash flows per party (investor drawdowns and payments received, payer''s payments, kommune/stat savings).';

CREATE FUNCTION contract_cashflows(contract jsonb, outcomes regclass, savings regclass DEFAULT NULL)
RETURNS TABLE (party text, day date, years float8, amount numeric)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT f.party, f.day, (f.day - (contract ->> 'start')::date) / 365.0, f.amount
	FROM @extschema@._contract_cashflows(contract, @extschema@._contract_source(outcomes), savings) f
	ORDER BY f.party, f.day
$$;
COMMENT ON FUNCTION contract_cashflows(jsonb, regclass, regclass) IS
'Dated cash flows per party (investor, kommune, stat) with years from the contract start (days/365): feed them to npv(), irr(), xirr(), payback_period().';

CREATE FUNCTION _contract_summary(contract jsonb, src text, rate float8, savings regclass, with_irr boolean DEFAULT true)
RETURNS TABLE (party text, inflow numeric, outflow numeric, net numeric, npv numeric, irr float8, multiple float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	start date := (doc ->> 'start')::date;
BEGIN
	IF rate IS NULL THEN
		RAISE EXCEPTION 'rate must not be NULL' USING ERRCODE = 'null_value_not_allowed', HINT = 'E.g. 0.035.';
	END IF;
	PERFORM @extschema@._money_finite(rate::numeric, 'contract_summary: rate');
	RETURN QUERY
	WITH flows AS (SELECT * FROM @extschema@._contract_cashflows(doc, src, savings)),
	parties (party, ord) AS (VALUES ('investor', 1), ('kommune', 2), ('stat', 3))
	SELECT p.party,
	       coalesce(sum(f.amount) FILTER (WHERE f.amount > 0), 0),
	       coalesce(-sum(f.amount) FILTER (WHERE f.amount < 0), 0),
	       coalesce(sum(f.amount), 0),
	       coalesce(@extschema@.npv(f.amount, (f.day - start) / 365.0, rate) FILTER (WHERE f.amount IS NOT NULL), 0),
	       @extschema@.xirr(f.amount, f.day) FILTER (WHERE with_irr AND p.party = 'investor' AND f.amount IS NOT NULL),
	       CASE WHEN sum(f.amount) FILTER (WHERE f.amount < 0) < 0
	            THEN (sum(f.amount) FILTER (WHERE f.amount > 0) / -sum(f.amount) FILTER (WHERE f.amount < 0))::float8 END
	FROM parties p LEFT JOIN flows f USING (party)
	GROUP BY p.party, p.ord ORDER BY p.ord;
END
$$;
COMMENT ON FUNCTION _contract_summary(jsonb, text, float8, regclass, boolean) IS
'Internal: result per party for contract_summary and the scenario functions.';

CREATE FUNCTION contract_summary(contract jsonb, outcomes regclass, rate float8 DEFAULT 0.035, savings regclass DEFAULT NULL)
RETURNS TABLE (party text, inflow numeric, outflow numeric, net numeric, npv numeric, irr float8, multiple float8)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@._contract_summary(contract, @extschema@._contract_source(outcomes), rate, savings) $$;
COMMENT ON FUNCTION contract_summary(jsonb, regclass, float8, regclass) IS
'Result per party (investor, kommune, stat): money in and out, net, NPV at rate (time from the contract start, days/365), the investor''s IRR (XIRR) and multiple. Payments are dated at the end of their period; savings come from the savings table (day, kommune, stat) or from the contract''s savings components.';

-- effect persistence over the years (M13) ---------------------------------

CREATE FUNCTION effect_persistence(duration text, year integer)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	kind text;
	d numeric;
BEGIN
	IF duration IS NULL OR year IS NULL THEN
		RAISE EXCEPTION 'effect_persistence: duration and year must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF year < 1 THEN
		RAISE EXCEPTION 'effect_persistence: year must be >= 1, got %', year USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF duration = 'constant' THEN
		RETURN 1;
	END IF;
	IF duration !~ '^(linear|stop):[0-9]+(\.[0-9]+)?$' THEN
		RAISE EXCEPTION 'effect_persistence: unknown duration "%"', duration
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = '''constant'', ''linear:D'' (full effect in year 1, falling linearly to 0 in year D + 1) or ''stop:D'' (full effect for D years, then none).';
	END IF;
	kind := split_part(duration, ':', 1);
	d := split_part(duration, ':', 2)::numeric;
	IF d <= 0 THEN
		RAISE EXCEPTION 'effect_persistence: D in "%" must be > 0', duration USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF kind = 'stop' THEN
		RETURN CASE WHEN year <= d THEN 1 ELSE 0 END;
	END IF;
	RETURN greatest(0, 1 - (year - 1) / d);
END
$$;
COMMENT ON FUNCTION effect_persistence(text, integer) IS
'Share of the effect still present in year k: constant = 1; linear:D = max(0, 1 - (k - 1)/D); stop:D = 1 for k <= D, else 0.';

CREATE FUNCTION social_net_result(effect float8, participants numeric, cost numeric, weeks_per_success numeric,
                                  years integer, weekly_rate numeric, kommune_share numeric,
                                  rate float8 DEFAULT 0.035, duration text DEFAULT 'constant')
RETURNS TABLE (payer text, cost_pv numeric, savings_pv numeric, net numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k int;
	yearly numeric;
	pv_k numeric := 0;
	pv_s numeric := 0;
BEGIN
	IF effect IS NULL OR participants IS NULL OR cost IS NULL OR weeks_per_success IS NULL OR years IS NULL
	   OR weekly_rate IS NULL OR kommune_share IS NULL OR rate IS NULL OR duration IS NULL THEN
		RAISE EXCEPTION 'social_net_result: no argument may be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(effect::numeric, 'social_net_result: effect');
	PERFORM @extschema@._money_finite(participants, 'social_net_result: participants');
	PERFORM @extschema@._money_finite(cost, 'social_net_result: cost');
	PERFORM @extschema@._money_finite(weeks_per_success, 'social_net_result: weeks_per_success');
	PERFORM @extschema@._money_finite(weekly_rate, 'social_net_result: weekly_rate');
	PERFORM @extschema@._money_finite(kommune_share, 'social_net_result: kommune_share');
	PERFORM @extschema@._money_finite(rate::numeric, 'social_net_result: rate');
	IF participants < 0 OR cost < 0 OR weekly_rate < 0 THEN
		RAISE EXCEPTION 'social_net_result: participants, cost and weekly_rate must be >= 0'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF kommune_share < 0 OR kommune_share > 1 THEN
		RAISE EXCEPTION 'social_net_result: kommune_share must be in [0, 1], got %', kommune_share
			USING ERRCODE = 'invalid_parameter_value', HINT = 'E.g. 0.8 for kontanthjaelp weeks at seniority >= 53 (refusion 20 %).';
	END IF;
	IF years < 1 OR years > 100 THEN
		RAISE EXCEPTION 'social_net_result: years must be in 1..100, got %', years USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- end-of-year flows: successes x persistence x weeks x rate, discounted
	FOR k IN 1 .. years LOOP
		yearly := effect::numeric * participants * @extschema@.effect_persistence(duration, k) * weeks_per_success * weekly_rate;
		pv_k := pv_k + yearly * kommune_share * @extschema@.discount_factor(k, rate)::numeric;
		pv_s := pv_s + yearly * (1 - kommune_share) * @extschema@.discount_factor(k, rate)::numeric;
	END LOOP;
	RETURN QUERY VALUES ('kommune', cost, pv_k, pv_k - cost), ('stat', 0::numeric, pv_s, pv_s),
	                    ('total', cost, pv_k + pv_s, pv_k + pv_s - cost);
END
$$;
COMMENT ON FUNCTION social_net_result(float8, numeric, numeric, numeric, integer, numeric, numeric, float8, text) IS
'SØM-style budget net result by payer (DOMAIN.md M13): cost at t = 0 borne by the kommune; effect x participants successes each avoid weeks_per_success benefit weeks a year for years years (times persistence), valued at weekly_rate and split by kommune_share; end-of-year flows discounted at rate.';

-- contract under an assumed effect: outcome rows are avoided benefit weeks
CREATE FUNCTION _scenario_source(doc jsonb, effect float8, participants numeric, weeks_per_success numeric,
                                 years integer, duration text, metric text)
RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	start date := (doc ->> 'start')::date;
	v text[] := '{}';
	k int;
BEGIN
	FOR k IN 1 .. years LOOP
		v := v || format('(%L::text, %L::date, %s::numeric)', metric, ((start + make_interval(years => k))::date - 1),
		                 effect::numeric * participants * @extschema@.effect_persistence(duration, k) * weeks_per_success);
	END LOOP;
	RETURN format('SELECT NULL::text AS participant, o AS outcome, d AS day, v AS value, NULL::numeric AS comparison, '
	              'NULL::numeric AS n, NULL::text AS cohort, NULL::numeric AS hours, NULL::integer AS programme_month '
	              'FROM (VALUES %s) x(o, d, v)', array_to_string(v, ', '));
END
$$;
COMMENT ON FUNCTION _scenario_source(jsonb, float8, numeric, numeric, integer, text, text) IS
'Internal: outcome rows (avoided benefit weeks at the end of each contract year) for an assumed effect.';

CREATE FUNCTION contract_scenario(contract jsonb, effect float8, participants numeric, weeks_per_success numeric,
                                  years integer, duration text DEFAULT 'constant', rate float8 DEFAULT 0.035,
                                  with_irr boolean DEFAULT true)
RETURNS TABLE (party text, inflow numeric, outflow numeric, net numeric, npv numeric, irr float8, multiple float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	metric text;
BEGIN
	SELECT c ->> 'metric' INTO metric FROM jsonb_array_elements(doc -> 'components') c WHERE c ->> 'type' = 'savings' LIMIT 1;
	IF metric IS NULL THEN
		RAISE EXCEPTION 'contract_scenario: the contract has no savings component, so an effect cannot be turned into outcomes'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Scenarios model avoided benefit weeks; for other contracts build outcome rows and use contract_summary.';
	END IF;
	IF effect IS NULL OR participants IS NULL OR weeks_per_success IS NULL OR years IS NULL OR duration IS NULL THEN
		RAISE EXCEPTION 'contract_scenario: effect, participants, weeks_per_success, years and duration must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(effect::numeric, 'contract_scenario: effect');
	PERFORM @extschema@._money_finite(participants, 'contract_scenario: participants');
	PERFORM @extschema@._money_finite(weeks_per_success, 'contract_scenario: weeks_per_success');
	PERFORM @extschema@._money_finite(rate::numeric, 'contract_scenario: rate');
	IF years < 1 OR years > 100 THEN
		RAISE EXCEPTION 'contract_scenario: years must be in 1..100, got %', years USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY SELECT * FROM @extschema@._contract_summary(doc,
		@extschema@._scenario_source(doc, effect, participants, weeks_per_success, years, duration, metric), rate, NULL, with_irr);
END
$$;
COMMENT ON FUNCTION contract_scenario(jsonb, float8, numeric, numeric, integer, text, float8, boolean) IS
'Result per party of a contract with a savings component under an assumed effect: effect x participants successes avoid weeks_per_success benefit weeks a year (times persistence), reported at the end of each contract year.';

CREATE FUNCTION break_even_effect(participants numeric, cost numeric, weeks_per_success numeric, years integer,
                                  weekly_rate numeric, kommune_share numeric, rate float8 DEFAULT 0.035,
                                  duration text DEFAULT 'constant', contract jsonb DEFAULT NULL,
                                  max_effect float8 DEFAULT 1)
RETURNS TABLE (criterion text, effect float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	lo float8;
	hi float8;
	mid float8;
	i int;
	crit text;
	ok boolean;
	f_hi boolean;
BEGIN
	IF max_effect IS NULL OR max_effect <= 0 THEN
		RAISE EXCEPTION 'break_even_effect: max_effect must be > 0' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM @extschema@._money_finite(max_effect::numeric, 'break_even_effect: max_effect');
	FOREACH crit IN ARRAY CASE WHEN contract IS NULL THEN ARRAY['kommune_net'] ELSE ARRAY['kommune_net', 'investor_capital_back'] END LOOP
		lo := 0;
		hi := max_effect;
		-- condition(e): kommune net (NPV) >= 0, or investor's undiscounted net >= 0
		FOR i IN 0 .. 60 LOOP
			mid := CASE WHEN i = 0 THEN hi ELSE (lo + hi) / 2 END;
			IF contract IS NULL THEN
				SELECT s.net >= 0 INTO ok FROM @extschema@.social_net_result(mid, participants, cost, weeks_per_success, years,
					weekly_rate, kommune_share, rate, duration) s WHERE s.payer = 'kommune';
			ELSIF crit = 'kommune_net' THEN
				SELECT s.npv >= 0 INTO ok FROM @extschema@.contract_scenario(contract, mid, participants, weeks_per_success, years,
					duration, rate, false) s WHERE s.party = 'kommune';
			ELSE
				SELECT s.net >= 0 AND s.outflow > 0 INTO ok FROM @extschema@.contract_scenario(contract, mid, participants,
					weeks_per_success, years, duration, rate, false) s WHERE s.party = 'investor';
			END IF;
			IF i = 0 THEN
				f_hi := ok;
				EXIT WHEN NOT ok;
			ELSIF ok THEN
				hi := mid;
			ELSE
				lo := mid;
			END IF;
			EXIT WHEN hi - lo < 1e-12;
		END LOOP;
		IF NOT f_hi THEN
			RAISE NOTICE 'break_even_effect: % is not reached for any effect up to %', crit, max_effect;
			criterion := crit;
			effect := NULL;
		ELSE
			criterion := crit;
			effect := hi;
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION break_even_effect(numeric, numeric, numeric, integer, numeric, numeric, float8, text, jsonb, float8) IS
'Smallest effect (share of participants who succeed) at which the kommune''s net is >= 0 (bisection on [0, max_effect]; without a contract the kommune bears the cost, with one it pays the outcome payments) and, with a contract, at which the investor gets the capital back. NULL with a NOTICE when not reached.';

CREATE FUNCTION sensitivity_table(participants numeric, cost numeric, weeks_per_success numeric, years integer,
                                  weekly_rate numeric, kommune_share numeric,
                                  effects float8[], durations text[] DEFAULT ARRAY['constant'],
                                  rates float8[] DEFAULT ARRAY[0.035], price_factors float8[] DEFAULT ARRAY[1.0])
RETURNS TABLE (effect float8, duration text, rate float8, price_factor float8,
               kommune_net numeric, stat_net numeric, total_net numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	-- name the array element (social_net_result would name its own argument)
	PERFORM @extschema@._money_finite(x::numeric, format('sensitivity_table: effects[%s]', k)) FROM unnest(effects) WITH ORDINALITY u(x, k);
	PERFORM @extschema@._money_finite(x::numeric, format('sensitivity_table: rates[%s]', k)) FROM unnest(rates) WITH ORDINALITY u(x, k);
	PERFORM @extschema@._money_finite(x::numeric, format('sensitivity_table: price_factors[%s]', k)) FROM unnest(price_factors) WITH ORDINALITY u(x, k);
	RETURN QUERY
	SELECT e, d, r, pf,
	       max(s.net) FILTER (WHERE s.payer = 'kommune'),
	       max(s.net) FILTER (WHERE s.payer = 'stat'),
	       max(s.net) FILTER (WHERE s.payer = 'total')
	FROM unnest(effects) e, unnest(durations) d, unnest(rates) r, unnest(price_factors) pf,
	     @extschema@.social_net_result(e, participants, cost, weeks_per_success, years,
	                                   weekly_rate * pf::numeric, kommune_share, r, d) s
	GROUP BY e, d, r, pf
	ORDER BY e, d, r, pf;
END
$$;
COMMENT ON FUNCTION sensitivity_table(numeric, numeric, numeric, integer, numeric, numeric, float8[], text[], float8[], float8[]) IS
'Net result by payer (social_net_result) over every combination of effect, duration (constant, linear:D, stop:D), discount rate and price factor.';

CREATE FUNCTION payout_distribution(contract jsonb, draws float8[], participants numeric, weeks_per_success numeric,
                                    years integer, duration text DEFAULT 'constant',
                                    probabilities float8[] DEFAULT ARRAY[0.05, 0.25, 0.5, 0.75, 0.95])
RETURNS TABLE (n_draws integer, expected_payout numeric, payout_quantiles numeric[], prob_investor_loss float8,
               investment numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := @extschema@.contract_validate(contract);
	pays numeric[] := '{}';
	d float8;
	p numeric;
BEGIN
	IF draws IS NULL OR cardinality(draws) = 0 THEN
		RAISE EXCEPTION 'payout_distribution: draws must be a non-empty array of effects'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'E.g. bootstrap draws of the DiD effect: array_agg(effect) FROM draws.';
	END IF;
	IF array_position(draws, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'payout_distribution: draws contains NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM @extschema@._money_finite(x::numeric, format('payout_distribution: draws[%s]', k))
	FROM unnest(draws) WITH ORDINALITY u(x, k);
	IF EXISTS (SELECT 1 FROM unnest(probabilities) q WHERE q IS NULL OR q < 0 OR q > 1) THEN
		RAISE EXCEPTION 'payout_distribution: probabilities must be in [0, 1]' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	investment := (SELECT coalesce(sum((v ->> 'amount')::numeric), 0) FROM jsonb_array_elements(doc -> 'investment') v);
	FOREACH d IN ARRAY draws LOOP
		SELECT s.inflow INTO p FROM @extschema@.contract_scenario(doc, d, participants, weeks_per_success, years, duration, 0.035, false) s
		WHERE s.party = 'investor';
		pays := pays || p;
	END LOOP;
	n_draws := cardinality(pays);
	SELECT avg(x), (SELECT array_agg((SELECT percentile_cont(pp.pr) WITHIN GROUP (ORDER BY y::float8)
	                                  FROM unnest(pays) y)::numeric ORDER BY pp.o)
	                FROM unnest(probabilities) WITH ORDINALITY pp(pr, o)),
	       avg(CASE WHEN x < investment THEN 1.0 ELSE 0.0 END)::float8
	INTO expected_payout, payout_quantiles, prob_investor_loss
	FROM unnest(pays) x;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION payout_distribution(jsonb, float8[], numeric, numeric, integer, text, float8[]) IS
'Distribution of the total outcome payment over a set of effect draws (e.g. bootstrap draws of the DiD effect): mean, quantiles (linear interpolation), and the share of draws in which the investor gets back less than the investment.';

-- ==== 54_money_path.sql ====
-- Public cost of benefit paths split kommune/stat week by week with exact
-- seniority (C in src/money_path.c, walk in src/math/refusion.c), and
-- savings as the difference between a counterfactual and an actual path.

CREATE FUNCTION path_benefit_cost(path benefit_path, from_week date, to_week date, grain text DEFAULT 'total',
                                  initial_seniority integer DEFAULT 0, price_date date DEFAULT NULL,
                                  profile text DEFAULT 'strict', variant text DEFAULT 'standard')
RETURNS TABLE (period date, benefit_weeks integer, priced_weeks integer, gross numeric, kommune numeric, stat numeric)
AS 'MODULE_PATHNAME', 'si_path_benefit_cost'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION path_benefit_cost(benefit_path, date, date, text, integer, date, text, text) IS
'Cost of the benefit weeks of a path in [from_week, to_week] per period (week, month, quarter, year by the Thursday rule, or total): each week priced at benefit_rate of its code''s category (in force that week, or on price_date) and split kommune/stat by the refusion staircase at the week''s exact seniority (walked from the path start; 52 self-supporting weeks within 156 reset it). priced_weeks < benefit_weeks means weeks without a rate or outside the staircase (payer_rule none).';

CREATE FUNCTION path_savings(actual benefit_path, counterfactual benefit_path, from_week date, to_week date,
                             grain text DEFAULT 'total', initial_seniority integer DEFAULT 0, price_date date DEFAULT NULL,
                             profile text DEFAULT 'strict', variant text DEFAULT 'standard')
RETURNS TABLE (period date, avoided_weeks integer, unpriced_weeks integer, gross numeric, kommune numeric, stat numeric)
AS 'MODULE_PATHNAME', 'si_path_savings'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION path_savings(benefit_path, benefit_path, date, date, text, integer, date, text, text) IS
'Savings of the public sector when a person follows the actual path instead of the counterfactual one: counterfactual cost minus actual cost per period, each walked with its own exact seniority.';

CREATE FUNCTION path_weeks_value(path benefit_path, weeks date[], grain text DEFAULT 'total',
                                 initial_seniority integer DEFAULT 0, price_date date DEFAULT NULL,
                                 profile text DEFAULT 'strict', variant text DEFAULT 'standard')
RETURNS TABLE (period date, benefit_weeks integer, priced_weeks integer, gross numeric, kommune numeric, stat numeric)
AS 'MODULE_PATHNAME', 'si_path_weeks_value'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION path_weeks_value(benefit_path, date[], text, integer, date, text, text) IS
'Cost of a given set of weeks of a path (e.g. the benefit weeks an intervention avoided, with the path as the baseline), each week priced and split at its exact seniority in the path; listed weeks that are not benefit weeks of the path are not counted (compare benefit_weeks with the number listed). With grain total the period is the first listed week.';
