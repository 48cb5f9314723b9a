-- Group aggregates over benefit paths, two-step (stored states, exact merges):
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
CREATE AGGREGATE selfsufficiency_rollup(state selfsufficiency_state) (
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
CREATE FUNCTION rate_std_error(state selfsufficiency_state, min_n integer DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'si_rate_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rate_std_error(selfsufficiency_state, integer) IS
'Standard error of the person-weighted rate, weights read as frequency weights: sqrt(M2 / (W - 1) / W); NULL below min_n persons or for a NULL state.';
CREATE FUNCTION rate_stderr(state selfsufficiency_state, min_n integer DEFAULT 0) RETURNS float8
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE NOTICE 'rate_stderr is deprecated, use rate_std_error' USING ERRCODE = '01P01',
		HINT = 'The old name works in socialinvest 0.3.0 only; see docs/conventions.md.';
	RETURN @extschema@.rate_std_error(state, min_n);
END
$$;
COMMENT ON FUNCTION rate_stderr(selfsufficiency_state, integer) IS 'Deprecated (0.3.0 only): use rate_std_error.';
CREATE TYPE selfsufficiency_counts AS (
	persons bigint, persons_unobserved bigint, paths_missing bigint, self_weeks bigint,
	observed_weeks bigint, censored_weeks bigint, unknown_weeks bigint, unobserved_weeks bigint, sum_weights float8);
COMMENT ON TYPE selfsufficiency_counts IS 'Counts of a selfsufficiency_state (result of rate_counts).';
CREATE FUNCTION rate_counts(state selfsufficiency_state) RETURNS selfsufficiency_counts
AS 'MODULE_PATHNAME', 'si_rate_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rate_counts(selfsufficiency_state) IS
'Persons with a share, persons wholly censored/unobserved, NULL paths, and week counts (unknown_weeks = unmapped codes: the warning path).';

-- Many windows in one call: one state per window ---------------------------

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

CREATE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile text) (
	SFUNC = selfsufficiency_states_trans, STYPE = selfsufficiency_states_partial, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_states(benefit_path, date[], date[], text) IS
'Self-sufficiency rate states of many windows from one row per person: element k is selfsufficiency_state(path, from_weeks[k], to_weeks[k], profile) over the same rows (the windows must be the same on every row).';
CREATE AGGREGATE selfsufficiency_states(path benefit_path, from_weeks date[], to_weeks date[], profile text, weight float8) (
	SFUNC = selfsufficiency_states_trans, STYPE = selfsufficiency_states_partial, SSPACE = 1024,
	FINALFUNC = selfsufficiency_states_final,
	COMBINEFUNC = selfsufficiency_states_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE selfsufficiency_states(benefit_path, date[], date[], text, float8) IS
'Weighted self-sufficiency rate states of many windows (weights > 0): element k is selfsufficiency_state(path, from_weeks[k], to_weeks[k], profile, weight).';

-- Full-time equivalents (fuldtidspersoner) ----------------------------------

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
CREATE AGGREGATE fte_rollup(state fte_state) (
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
CREATE AGGREGATE km_rollup(state km_state) (
	SFUNC = km_combine, STYPE = km_state, COMBINEFUNC = km_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE km_rollup(km_state) IS 'Merge stored Kaplan-Meier states.';

CREATE FUNCTION km_curve(state km_state, conf_level float8 DEFAULT 0.95, conf_type text DEFAULT 'log-log')
RETURNS TABLE (week integer, n_at_risk bigint, n_events bigint, n_censored bigint, survival float8,
               std_error float8, conf_low float8, conf_high float8)
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
