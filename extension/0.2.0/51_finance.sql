-- Finance: discount factors, NPV, IRR/XIRR, payback, multiples
-- (C in src/finance_*.c, mathematics in src/math/finance.c).
--
-- Money goes in as numeric; NPV comes back as numeric, summed in numeric
-- and rounded to cents. Rates, IRRs, multiples and payback periods are
-- ratios or durations (float8); rates are fractions in (-1, 1).

CREATE FUNCTION discount_factor(years float8, rate float8, convention text DEFAULT 'end', period_years float8 DEFAULT 1)
RETURNS float8 AS 'MODULE_PATHNAME', 'si_discount_factor'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION discount_factor(float8, float8, text, float8) IS
'(1 + rate)^-years, rate a fraction in (-1, 1) (0.035 for 3.5 %); convention ''mid'' moves a flow half a period (period_years) earlier (never before 0).';

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

-- The aggregates' state: a storable type (not internal), so that PostgreSQL's
-- parallel workers and Citus's workers aggregate partially and the leader or
-- coordinator combines (Citus distributes no aggregate whose state type is a
-- pseudo-type).
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

CREATE AGGREGATE cashflows(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = cashflows_state, FINALFUNC = cashflows_final,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE cashflows(numeric, float8) IS
'Storable cash-flow state of the rows (years from the valuation date, amount); read with npv/irr/payback_period/money_multiple/benefit_cost_ratio(cashflows, ...).';

CREATE AGGREGATE cashflows_rollup(flows cashflows) (
	SFUNC = cashflows_trans_state, STYPE = cashflows_state, FINALFUNC = cashflows_final,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE cashflows_rollup(cashflows) IS
'Merge stored cashflows states (concatenation: exact and order-free).';

CREATE AGGREGATE npv(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = cashflows_state, FINALFUNC = cashflows_final_npv,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE npv(numeric, float8, float8) IS
'Net present value sum(amount * (1 + rate)^-years), end-of-period timing, summed in numeric and rounded to cents; rate (a fraction in (-1, 1)) must be the same in every row.';

CREATE AGGREGATE npv(amount numeric, years float8, schedule text) (
	SFUNC = cashflows_trans_schedule, STYPE = cashflows_state, FINALFUNC = cashflows_final_npv,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE npv(numeric, float8, text) IS
'Net present value under a named schedule (''fm2021'': 3.5 % to year 35, 2.5 % to 70, 1.5 % after), summed in numeric and rounded to cents.';

CREATE AGGREGATE irr(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = cashflows_state, FINALFUNC = cashflows_final_irr,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE irr(numeric, float8) IS
'Internal rate of return (annual, fraction) searched on [-0.99, 10]; NULL with a NOTICE when the flows or the NPV never change sign.';

CREATE AGGREGATE xirr(amount numeric, day date) (
	SFUNC = cashflows_trans_day, STYPE = cashflows_state, FINALFUNC = cashflows_final_xirr,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE xirr(numeric, date) IS
'IRR of dated flows, time = days since the first flow / 365; NULL with a NOTICE when there is none.';

CREATE AGGREGATE payback_period(amount numeric, years float8) (
	SFUNC = cashflows_trans, STYPE = cashflows_state, FINALFUNC = cashflows_final_payback,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE payback_period(numeric, float8) IS
'Years until the cumulative cash flow turns non-negative for good (linear inside the crossing interval); NULL with a NOTICE if never.';

CREATE AGGREGATE payback_period(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = cashflows_state, FINALFUNC = cashflows_final_payback,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE payback_period(numeric, float8, float8) IS
'Discounted payback period at a flat rate.';

CREATE AGGREGATE money_multiple(amount numeric) (
	SFUNC = cashflows_trans_amount, STYPE = cashflows_state, FINALFUNC = cashflows_final_multiple,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE money_multiple(numeric) IS
'Money multiple (MOIC): sum of inflows / sum of outflows; NULL with a NOTICE without outflows.';

CREATE AGGREGATE benefit_cost_ratio(amount numeric, years float8, rate float8) (
	SFUNC = cashflows_trans_rate, STYPE = cashflows_state, FINALFUNC = cashflows_final_bcr,
	COMBINEFUNC = cashflows_state_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE benefit_cost_ratio(numeric, float8, float8) IS
'Present value of the inflows (benefits) / present value of the outflows (costs) at a flat rate.';

-- accessors over stored states
CREATE FUNCTION cashflows_combine(a cashflows, b cashflows) RETURNS cashflows
AS 'MODULE_PATHNAME', 'si_cashflows_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cashflows_combine(cashflows, cashflows) IS 'Concatenate two cashflows states (incremental updates).';

CREATE FUNCTION npv(flows cashflows, rate float8, convention text DEFAULT 'end', period_years float8 DEFAULT 1) RETURNS numeric
AS 'MODULE_PATHNAME', 'si_cashflows_npv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION npv(cashflows, float8, text, float8) IS 'NPV of stored flows at a flat rate (a fraction in (-1, 1)), end- or mid-period timing, summed in numeric and rounded to cents.';

CREATE FUNCTION npv(flows cashflows, schedule text, convention text DEFAULT 'end', period_years float8 DEFAULT 1) RETURNS numeric
AS 'MODULE_PATHNAME', 'si_cashflows_npv_sched' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION npv(cashflows, text, text, float8) IS 'NPV of stored flows under a named schedule (''fm2021''), summed in numeric and rounded to cents.';

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
COMMENT ON FUNCTION cashflows_total(cashflows) IS 'Undiscounted sum of the flows in a state, in numeric, rounded to cents.';
