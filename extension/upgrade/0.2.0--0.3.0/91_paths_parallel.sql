-- 0.2.0 -> 0.3.0, branch s3-paths (issue 15.3): the partial states of
-- benefit_path, benefit_path_from_spells, benefit_paths and
-- selfsufficiency_states become real types (benefit_path_partial,
-- benefit_path_spells_partial, benefit_paths_partial,
-- selfsufficiency_states_partial) instead of internal, so that Citus
-- aggregates them on its workers (it refuses pseudo-type states). The
-- current definitions live in extension/0.2.0/10_path.sql and
-- 20_rates.sql; this fragment must create the same. The aggregates keep
-- their names and oids (CREATE OR REPLACE AGGREGATE changes the state
-- type); the support functions over internal are dropped (their C
-- symbols stay in the library for databases not yet updated).

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

CREATE TYPE selfsufficiency_states_partial;
CREATE FUNCTION selfsufficiency_states_partial_in(cstring) RETURNS selfsufficiency_states_partial
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_partial_in(cstring) IS
'Input of selfsufficiency_states_partial (hexadecimal of the versioned bytes), validated: windows and every state.';
CREATE FUNCTION selfsufficiency_states_partial_out(selfsufficiency_states_partial) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_partial_out(selfsufficiency_states_partial) IS
'Output of selfsufficiency_states_partial: its versioned bytes in hexadecimal.';
CREATE FUNCTION selfsufficiency_states_partial_recv(internal) RETURNS selfsufficiency_states_partial
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_partial_recv(internal) IS
'Binary input of selfsufficiency_states_partial, validated.';
CREATE FUNCTION selfsufficiency_states_partial_send(selfsufficiency_states_partial) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_partial_send(selfsufficiency_states_partial) IS
'Binary output of selfsufficiency_states_partial.';
CREATE TYPE selfsufficiency_states_partial (
	INPUT = selfsufficiency_states_partial_in, OUTPUT = selfsufficiency_states_partial_out,
	RECEIVE = selfsufficiency_states_partial_recv, SEND = selfsufficiency_states_partial_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended
);
COMMENT ON TYPE selfsufficiency_states_partial IS
'Partial state of selfsufficiency_states: the windows and one rate state per window; what Citus workers and parallel workers send to be combined (a real type, so Citus aggregates on its workers).';

CREATE FUNCTION selfsufficiency_states_trans(selfsufficiency_states_partial, benefit_path, date[], date[], text)
RETURNS selfsufficiency_states_partial
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_trans(selfsufficiency_states_partial, benefit_path, date[], date[], text) IS
'Transition function of selfsufficiency_states(path, from_weeks, to_weeks, profile).';
CREATE FUNCTION selfsufficiency_states_trans(selfsufficiency_states_partial, benefit_path, date[], date[], text, float8)
RETURNS selfsufficiency_states_partial
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_trans(selfsufficiency_states_partial, benefit_path, date[], date[], text, float8) IS
'Transition function of selfsufficiency_states(path, from_weeks, to_weeks, profile, weight).';
CREATE FUNCTION selfsufficiency_states_combine(selfsufficiency_states_partial, selfsufficiency_states_partial)
RETURNS selfsufficiency_states_partial
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_combine(selfsufficiency_states_partial, selfsufficiency_states_partial) IS
'Combine function of selfsufficiency_states: window by window, the merge of selfsufficiency_combine (the windows must agree).';
CREATE FUNCTION selfsufficiency_states_final(selfsufficiency_states_partial) RETURNS selfsufficiency_state[]
AS 'MODULE_PATHNAME', 'si_rates_windows_partial_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION selfsufficiency_states_final(selfsufficiency_states_partial) IS
'Final function of selfsufficiency_states: the window states as selfsufficiency_state[].';

-- the aggregates over the new state types

CREATE OR REPLACE AGGREGATE benefit_path(week date, code integer) (
	SFUNC = benefit_path_week_trans, STYPE = benefit_path_partial, SSPACE = 256,
	FINALFUNC = benefit_path_week_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_week_combine,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE benefit_path(week date, code integer, on_duplicate text) (
	SFUNC = benefit_path_week_trans, STYPE = benefit_path_partial, SSPACE = 256,
	FINALFUNC = benefit_path_week_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_week_combine,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE benefit_path_from_spells(from_week date, to_week date, code integer) (
	SFUNC = benefit_path_spell_trans, STYPE = benefit_path_spells_partial,
	FINALFUNC = benefit_path_spell_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_path_spell_combine,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE benefit_paths(person_id bigint, week date, code integer) (
	SFUNC = benefit_paths_trans, STYPE = benefit_paths_partial,
	FINALFUNC = benefit_paths_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_paths_combine,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE benefit_paths(person_id bigint, week date, code integer, on_duplicate text) (
	SFUNC = benefit_paths_trans, STYPE = benefit_paths_partial,
	FINALFUNC = benefit_paths_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = benefit_paths_combine,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile text) (
	SFUNC = selfsufficiency_states_trans, STYPE = selfsufficiency_states_partial, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile text, weight float8) (
	SFUNC = selfsufficiency_states_trans, STYPE = selfsufficiency_states_partial, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	PARALLEL = SAFE
);


-- the support functions of the internal states, now unused
DROP FUNCTION benefit_path_week_trans(internal, date, integer);
DROP FUNCTION benefit_path_week_trans(internal, date, integer, text);
DROP FUNCTION benefit_path_week_combine(internal, internal);
DROP FUNCTION benefit_path_week_serialize(internal);
DROP FUNCTION benefit_path_week_deserialize(bytea, internal);
DROP FUNCTION benefit_path_week_final(internal);
DROP FUNCTION benefit_path_spell_trans(internal, date, date, integer);
DROP FUNCTION benefit_path_spell_combine(internal, internal);
DROP FUNCTION benefit_path_spell_serialize(internal);
DROP FUNCTION benefit_path_spell_deserialize(bytea, internal);
DROP FUNCTION benefit_path_spell_final(internal);
DROP FUNCTION benefit_paths_trans(internal, bigint, date, integer);
DROP FUNCTION benefit_paths_trans(internal, bigint, date, integer, text);
DROP FUNCTION benefit_paths_combine(internal, internal);
DROP FUNCTION benefit_paths_serialize(internal);
DROP FUNCTION benefit_paths_deserialize(bytea, internal);
DROP FUNCTION benefit_paths_final(internal);
DROP FUNCTION selfsufficiency_states_trans(internal, benefit_path, date[], date[], text);
DROP FUNCTION selfsufficiency_states_trans(internal, benefit_path, date[], date[], text, float8);
DROP FUNCTION selfsufficiency_states_combine(internal, internal);
DROP FUNCTION selfsufficiency_states_serialize(internal);
DROP FUNCTION selfsufficiency_states_deserialize(bytea, internal);
DROP FUNCTION selfsufficiency_states_final(internal);
