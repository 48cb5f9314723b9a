-- 0.2.0 -> 0.3.0, issue 15 item 3: the cash-flow aggregates (cashflows,
-- cashflows_rollup, npv, irr, xirr, payback_period, money_multiple,
-- benefit_cost_ratio) keep their state in the storable type cashflows_state
-- instead of internal, so that Citus aggregates them partially on the
-- workers (it distributes no aggregate whose state type is a pseudo-type).
-- The type and its support functions as extension/0.2.0/51_finance.sql
-- defines them, the aggregates replaced in place (their signatures, results
-- and comments stay), then the internal-state support functions of 0.2.0
-- dropped. Runs before 90_vocabulary.sql, which replaces cashflows_rollup
-- again from the current fragment.

CREATE TYPE cashflows_state;
CREATE FUNCTION cashflows_state_in(cstring) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cashflows_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_state_out(cashflows_state) RETURNS cstring
AS 'MODULE_PATHNAME', 'si_cashflows_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_state_recv(internal) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cashflows_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cashflows_state_send(cashflows_state) RETURNS bytea
AS 'MODULE_PATHNAME', 'si_cashflows_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cashflows_state (
	INPUT = cashflows_state_in, OUTPUT = cashflows_state_out,
	RECEIVE = cashflows_state_recv, SEND = cashflows_state_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE cashflows_state IS
'Partial state of the cash-flow aggregates (npv, irr, xirr, payback_period, money_multiple, benefit_cost_ratio, cashflows): the flows and the discount spec of the rows; text form ''1|flags|schedule|rate|t:amount;...'' (version 1; flags 1 = discount spec set, 2 = t in day numbers; schedule 0 flat, 1 fm2021). Combined exactly by concatenation.';
COMMENT ON FUNCTION cashflows_state_in(cstring) IS 'Text input of cashflows_state (validated, versioned).';
COMMENT ON FUNCTION cashflows_state_out(cashflows_state) IS 'Text output of cashflows_state (shortest exact doubles).';
COMMENT ON FUNCTION cashflows_state_recv(internal) IS 'Binary input of cashflows_state (validated).';
COMMENT ON FUNCTION cashflows_state_send(cashflows_state) IS 'Binary output of cashflows_state.';

-- transition machinery
CREATE FUNCTION cashflows_trans(cashflows_state, numeric, float8) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cf_trans' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_rate(cashflows_state, numeric, float8, float8) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cf_trans_rate' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_schedule(cashflows_state, numeric, float8, text) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cf_trans_sched' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_day(cashflows_state, numeric, date) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cf_trans_day' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_amount(cashflows_state, numeric) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cf_trans_amount' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_trans_state(cashflows_state, cashflows) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cf_trans_cf' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_state_combine(cashflows_state, cashflows_state) RETURNS cashflows_state
AS 'MODULE_PATHNAME', 'si_cf_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final(cashflows_state) RETURNS cashflows
AS 'MODULE_PATHNAME', 'si_cf_final_cashflows' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_npv(cashflows_state) RETURNS numeric
AS 'MODULE_PATHNAME', 'si_cf_final_npv' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_irr(cashflows_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_irr' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_xirr(cashflows_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_xirr' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_payback(cashflows_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_payback' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_multiple(cashflows_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_multiple' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cashflows_final_bcr(cashflows_state) RETURNS float8
AS 'MODULE_PATHNAME', 'si_cf_final_bcr' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION cashflows_trans(cashflows_state, numeric, float8) IS 'Aggregate support: append a (years, amount) flow.';
COMMENT ON FUNCTION cashflows_trans_rate(cashflows_state, numeric, float8, float8) IS 'Aggregate support: append a flow, remember the (constant) rate.';
COMMENT ON FUNCTION cashflows_trans_schedule(cashflows_state, numeric, float8, text) IS 'Aggregate support: append a flow, remember the (constant) schedule.';
COMMENT ON FUNCTION cashflows_trans_day(cashflows_state, numeric, date) IS 'Aggregate support: append a dated flow (xirr).';
COMMENT ON FUNCTION cashflows_trans_amount(cashflows_state, numeric) IS 'Aggregate support: append an undated amount (money_multiple).';
COMMENT ON FUNCTION cashflows_trans_state(cashflows_state, cashflows) IS 'Aggregate support: append all flows of a cashflows value.';
COMMENT ON FUNCTION cashflows_state_combine(cashflows_state, cashflows_state) IS 'Aggregate support: concatenate two partial states (exact; the discount specs must agree).';
COMMENT ON FUNCTION cashflows_final(cashflows_state) IS 'Aggregate support: the state as a cashflows value (flows in time order).';
COMMENT ON FUNCTION cashflows_final_npv(cashflows_state) IS 'Aggregate support: NPV of the state.';
COMMENT ON FUNCTION cashflows_final_irr(cashflows_state) IS 'Aggregate support: IRR of the state.';
COMMENT ON FUNCTION cashflows_final_xirr(cashflows_state) IS 'Aggregate support: XIRR of the dated state.';
COMMENT ON FUNCTION cashflows_final_payback(cashflows_state) IS 'Aggregate support: payback period of the state.';
COMMENT ON FUNCTION cashflows_final_multiple(cashflows_state) IS 'Aggregate support: money multiple of the state.';
COMMENT ON FUNCTION cashflows_final_bcr(cashflows_state) IS 'Aggregate support: benefit-cost ratio of the state.';

CREATE OR REPLACE AGGREGATE cashflows(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = cashflows_state, FINALFUNC = cashflows_final,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE cashflows_rollup(flows cashflows) (
	SFUNC = cashflows_trans_state, STYPE = cashflows_state, FINALFUNC = cashflows_final,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE npv(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = cashflows_state, FINALFUNC = cashflows_final_npv,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE npv(amount numeric, years float8, schedule text) (
	SFUNC = cashflows_trans_schedule, STYPE = cashflows_state, FINALFUNC = cashflows_final_npv,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE irr(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = cashflows_state, FINALFUNC = cashflows_final_irr,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE xirr(amount numeric, day date) (
	SFUNC = cashflows_trans_day, STYPE = cashflows_state, FINALFUNC = cashflows_final_xirr,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE payback_period(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = cashflows_state, FINALFUNC = cashflows_final_payback,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE payback_period(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = cashflows_state, FINALFUNC = cashflows_final_payback,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE money_multiple(amount numeric) (
	SFUNC = cashflows_trans_amount, STYPE = cashflows_state, FINALFUNC = cashflows_final_multiple,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE benefit_cost_ratio(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = cashflows_state, FINALFUNC = cashflows_final_bcr,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);

DROP FUNCTION cashflows_trans(internal, numeric, float8);
DROP FUNCTION cashflows_trans_rate(internal, numeric, float8, float8);
DROP FUNCTION cashflows_trans_schedule(internal, numeric, float8, text);
DROP FUNCTION cashflows_trans_day(internal, numeric, date);
DROP FUNCTION cashflows_trans_amount(internal, numeric);
DROP FUNCTION cashflows_trans_state(internal, cashflows);
DROP FUNCTION cashflows_state_combine(internal, internal);
DROP FUNCTION cashflows_state_serialize(internal);
DROP FUNCTION cashflows_state_deserialize(bytea, internal);
DROP FUNCTION cashflows_final(internal);
DROP FUNCTION cashflows_final_npv(internal);
DROP FUNCTION cashflows_final_irr(internal);
DROP FUNCTION cashflows_final_xirr(internal);
DROP FUNCTION cashflows_final_payback(internal);
DROP FUNCTION cashflows_final_multiple(internal);
DROP FUNCTION cashflows_final_bcr(internal);
