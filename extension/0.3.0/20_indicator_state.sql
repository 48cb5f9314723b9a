-- Indicator states (docs/monitoring.md, docs/methods.md "Indicator
-- intervals"): one storable, mergeable state per monitoring indicator, a
-- proportion (Wilson interval) or a mean (Student t interval), and the
-- Wilson score interval on its own.
--
-- New in 0.3.0: part of the install script and, as is, of the upgrade
-- script from 0.2.0 (see the Makefile).

CREATE FUNCTION wilson_interval(successes bigint, n bigint, conf_level float8 DEFAULT 0.95)
RETURNS TABLE (estimate float8, conf_low float8, conf_high float8)
AS 'MODULE_PATHNAME', 'si_wilson_interval_sql' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION wilson_interval(bigint, bigint, float8) IS
'Wilson score interval of successes out of n at conf_level: one row (estimate = successes/n, conf_low, conf_high). n = 0 or a NULL count: a row of NULLs; negative counts, successes > n or conf_level outside (0, 1): error 22023.';

CREATE TYPE indicator_state;
CREATE FUNCTION indicator_state_in(cstring) RETURNS indicator_state
AS 'MODULE_PATHNAME', 'si_indicator_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_state_in(cstring) IS
'Input of indicator_state (v=1;kind=proportion;n=..;successes=.. or v=1;kind=mean;n=..;mean=..;m2=..), validated (22P02).';
CREATE FUNCTION indicator_state_out(indicator_state) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_indicator_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_state_out(indicator_state) IS 'Output of indicator_state; floats shortest-exact.';
CREATE FUNCTION indicator_state_recv(internal) RETURNS indicator_state
AS 'MODULE_PATHNAME', 'si_indicator_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_state_recv(internal) IS 'Binary input of indicator_state, validated.';
CREATE FUNCTION indicator_state_send(indicator_state) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_indicator_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_state_send(indicator_state) IS 'Binary output of indicator_state.';
CREATE TYPE indicator_state (
	INPUT = indicator_state_in, OUTPUT = indicator_state_out,
	RECEIVE = indicator_state_recv, SEND = indicator_state_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = main
);
COMMENT ON TYPE indicator_state IS
'Mergeable state of one monitoring indicator: a proportion (n, successes) or a mean (n, mean, sum of squared deviations m2).';

CREATE FUNCTION indicator_state_trans(indicator_state, boolean) RETURNS indicator_state
AS 'MODULE_PATHNAME', 'si_indicator_bool_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION indicator_state_trans(indicator_state, boolean) IS
'Transition function of indicator_state(boolean): counts a non-NULL outcome (NULL is not counted).';
CREATE FUNCTION indicator_state_trans(indicator_state, float8) RETURNS indicator_state
AS 'MODULE_PATHNAME', 'si_indicator_float_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION indicator_state_trans(indicator_state, float8) IS
'Transition function of indicator_state(float8): Welford update of mean and m2 by a non-NULL finite outcome (NULL is not counted).';
CREATE FUNCTION indicator_combine(a indicator_state, b indicator_state) RETURNS indicator_state
AS 'MODULE_PATHNAME', 'si_indicator_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_combine(indicator_state, indicator_state) IS
'Merge two indicator states of the same kind: counts add exactly, means by the Chan et al. merge; different kinds: error 22023.';

CREATE AGGREGATE indicator_state(outcome boolean) (
	SFUNC = indicator_state_trans, STYPE = indicator_state,
	INITCOND = 'v=1;kind=proportion;n=0;successes=0',
	COMBINEFUNC = indicator_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE indicator_state(boolean) IS
'Proportion state: n = non-NULL outcomes, successes = true ones (NULL outcomes are not counted; no rows: n = 0).';
CREATE AGGREGATE indicator_state(outcome float8) (
	SFUNC = indicator_state_trans, STYPE = indicator_state,
	INITCOND = 'v=1;kind=mean;n=0;mean=0;m2=0',
	COMBINEFUNC = indicator_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE indicator_state(float8) IS
'Mean state: n = non-NULL outcomes, their mean and sum of squared deviations (NULL outcomes are not counted; NaN/infinity: error 22023; no rows: n = 0).';
CREATE AGGREGATE indicator_rollup(state indicator_state) (
	SFUNC = indicator_combine, STYPE = indicator_state,
	COMBINEFUNC = indicator_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE indicator_rollup(indicator_state) IS
'Merge stored indicator states of one kind (e.g. municipality -> region, batch -> year); NULL states are skipped.';

CREATE FUNCTION indicator_n(state indicator_state) RETURNS bigint
AS 'MODULE_PATHNAME', 'si_indicator_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_n(indicator_state) IS 'Outcomes counted in the state.';
CREATE FUNCTION indicator_estimate(state indicator_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_indicator_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_estimate(indicator_state) IS 'Share (proportion) or mean; NULL when n = 0.';
CREATE FUNCTION indicator_kind(state indicator_state) RETURNS text
AS 'MODULE_PATHNAME', 'si_indicator_kind' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION indicator_kind(indicator_state) IS 'proportion or mean.';
CREATE FUNCTION indicator_interval(state indicator_state, conf_level float8 DEFAULT 0.95)
RETURNS TABLE (estimate float8, std_error float8, conf_low float8, conf_high float8, n bigint)
AS 'MODULE_PATHNAME', 'si_indicator_interval' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION indicator_interval(indicator_state, float8) IS
'One row: estimate, standard error, interval at conf_level (Wilson score for a proportion, with the Wald standard error sqrt(p(1-p)/n); Student t with n-1 df for a mean) and n. n = 0: NULL estimate; a mean with n < 2: NULL std_error and interval; NULL state: a row of NULLs; NULL conf_level: error 22004.';
