-- Scale-out (docs/scaleout.md, issue 15.6): a profile argument that
-- postgres_fdw can ship.
--
-- postgres_fdw sends an aggregate to the remote server only when every
-- collation its inputs use comes from a column of the foreign table; a text
-- literal ('strict') has the default collation from nowhere, so
-- selfsufficiency_state(path, ..., 'strict') is computed locally over every
-- row shipped back. profile_name is text without a collation: the same
-- bytes (text's own I/O functions), so the overloads below run the text
-- versions' transition functions unchanged (an implicit binary cast), and
-- 'strict'::profile_name is shippable. An untyped literal still resolves
-- to the text overloads (string category first), so existing calls keep
-- their meaning.
--
-- New in 0.3.0: part of the install script and, as is, of the upgrade
-- script from 0.2.0 (see the Makefile).

CREATE TYPE profile_name;
CREATE FUNCTION profile_name_in(cstring) RETURNS profile_name
AS 'textin' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION profile_name_in(cstring) IS 'Input of profile_name (text''s input function).';
CREATE FUNCTION profile_name_out(profile_name) RETURNS cstring
AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION profile_name_out(profile_name) IS 'Output of profile_name (text''s output function).';
CREATE FUNCTION profile_name_recv(internal) RETURNS profile_name
AS 'textrecv' LANGUAGE internal STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION profile_name_recv(internal) IS 'Binary input of profile_name (text''s).';
CREATE FUNCTION profile_name_send(profile_name) RETURNS bytea
AS 'textsend' LANGUAGE internal STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION profile_name_send(profile_name) IS 'Binary output of profile_name (text''s).';
CREATE TYPE profile_name (
	INPUT = profile_name_in, OUTPUT = profile_name_out,
	RECEIVE = profile_name_recv, SEND = profile_name_send,
	LIKE = pg_catalog.text
);
COMMENT ON TYPE profile_name IS
'A classification profile''s name as text without a collation: postgres_fdw ships an aggregate called with ''strict''::profile_name to the remote server (a text literal blocks it). Casts to text implicitly.';
CREATE CAST (profile_name AS pg_catalog.text) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (pg_catalog.text AS profile_name) WITHOUT FUNCTION;

CREATE AGGREGATE selfsufficiency_state(path benefit_path, from_week date, to_week date, profile profile_name) (
	SFUNC = selfsufficiency_state_trans, STYPE = selfsufficiency_state,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_state(benefit_path, date, date, profile_name) IS
'selfsufficiency_state(path, from_week, to_week, profile) with the profile as profile_name: postgres_fdw can push it down.';
CREATE AGGREGATE selfsufficiency_state(path benefit_path, from_week date, to_week date, profile profile_name, weight float8) (
	SFUNC = selfsufficiency_state_trans, STYPE = selfsufficiency_state,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_state(benefit_path, date, date, profile_name, float8) IS
'Weighted selfsufficiency_state with the profile as profile_name: postgres_fdw can push it down.';
CREATE AGGREGATE selfsufficiency_rate(path benefit_path, from_week date, to_week date, profile profile_name) (
	SFUNC = selfsufficiency_state_trans, STYPE = selfsufficiency_state,
	FINALFUNC = selfsufficiency_oneshot_final,
	COMBINEFUNC = selfsufficiency_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_rate(benefit_path, date, date, profile_name) IS
'selfsufficiency_rate with the profile as profile_name: postgres_fdw can push it down.';
CREATE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile profile_name) (
	SFUNC = selfsufficiency_states_trans, STYPE = selfsufficiency_states_partial, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_states(benefit_path, date[], date[], profile_name) IS
'selfsufficiency_states with the profile as profile_name: postgres_fdw can push it down.';
CREATE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile profile_name, weight float8) (
	SFUNC = selfsufficiency_states_trans, STYPE = selfsufficiency_states_partial, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_states(benefit_path, date[], date[], profile_name, float8) IS
'Weighted selfsufficiency_states with the profile as profile_name: postgres_fdw can push it down.';
CREATE AGGREGATE km_state(path benefit_path, anchor date, k integer, profile profile_name) (
	SFUNC = km_state_trans, STYPE = km_state, FINALFUNC = km_state_final,
	COMBINEFUNC = km_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE km_state(benefit_path, date, integer, profile_name) IS
'km_state with the profile as profile_name: postgres_fdw can push it down.';
