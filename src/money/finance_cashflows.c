/*
 * finance_cashflows.c — the storable cash-flow state type `cashflows`
 * and the aggregates over cash-flow rows: cashflows(), cashflows_rollup(),
 * npv(), irr(), xirr(), payback_period(), money_multiple(),
 * benefit_cost_ratio(), with their accessors. Glue only: every formula is in
 * src/math/finance.c (docs/methods.md, *Money*); argument checks shared with
 * discount_factor are finance_scalar.c's; no SPI and no tables here.
 *
 * IRR needs every flow, so the state is the list of (t, amount) pairs;
 * combining two states concatenates them (exact), and every final reads the
 * flows in one canonical order, so a result does not depend on how rows were
 * split. The aggregates' state is the storable type cashflows_state (not
 * `internal`): PostgreSQL's parallel workers and Citus's workers then
 * aggregate partially and the coordinator combines.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#include "finance.h"
#include "finance_glue.h"
#include "si_common.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(si_cashflows_in);
PG_FUNCTION_INFO_V1(si_cashflows_out);
PG_FUNCTION_INFO_V1(si_cashflows_recv);
PG_FUNCTION_INFO_V1(si_cashflows_send);
PG_FUNCTION_INFO_V1(si_cf_trans);
PG_FUNCTION_INFO_V1(si_cf_trans_rate);
PG_FUNCTION_INFO_V1(si_cf_trans_sched);
PG_FUNCTION_INFO_V1(si_cf_trans_day);
PG_FUNCTION_INFO_V1(si_cf_trans_amount);
PG_FUNCTION_INFO_V1(si_cf_trans_cf);
PG_FUNCTION_INFO_V1(si_cf_combine);
PG_FUNCTION_INFO_V1(si_cf_serialize);
PG_FUNCTION_INFO_V1(si_cf_deserialize);
PG_FUNCTION_INFO_V1(si_cashflows_state_in);
PG_FUNCTION_INFO_V1(si_cashflows_state_out);
PG_FUNCTION_INFO_V1(si_cashflows_state_recv);
PG_FUNCTION_INFO_V1(si_cashflows_state_send);
PG_FUNCTION_INFO_V1(si_cf_final_cashflows);
PG_FUNCTION_INFO_V1(si_cf_final_npv);
PG_FUNCTION_INFO_V1(si_cf_final_irr);
PG_FUNCTION_INFO_V1(si_cf_final_xirr);
PG_FUNCTION_INFO_V1(si_cf_final_payback);
PG_FUNCTION_INFO_V1(si_cf_final_multiple);
PG_FUNCTION_INFO_V1(si_cf_final_bcr);
PG_FUNCTION_INFO_V1(si_cashflows_combine);
PG_FUNCTION_INFO_V1(si_cashflows_npv);
PG_FUNCTION_INFO_V1(si_cashflows_npv_sched);
PG_FUNCTION_INFO_V1(si_cashflows_irr);
PG_FUNCTION_INFO_V1(si_cashflows_payback);
PG_FUNCTION_INFO_V1(si_cashflows_multiple);
PG_FUNCTION_INFO_V1(si_cashflows_bcr);
PG_FUNCTION_INFO_V1(si_cashflows_count);
PG_FUNCTION_INFO_V1(si_cashflows_total);

#define CASHFLOWS_VERSION 1

/* On-disk / on-wire value: header, version, count, then t0, a0, t1, a1, ... */
typedef struct CashflowsData
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		pad;
	int32		n;
	double		data[FLEXIBLE_ARRAY_MEMBER];
} CashflowsData;

#define CF_SIZE(n) (offsetof(CashflowsData, data) + sizeof(double) * 2 * (Size) (n))
#define CF_MAX_FLOWS ((int32) ((MaxAllocSize - offsetof(CashflowsData, data)) / (2 * sizeof(double))))

/*
 * The aggregates' state: the storable type cashflows_state. Citus distributes
 * an aggregate only when its state type is a real type (not `internal`), and
 * PostgreSQL moves such a state between parallel workers as it is, so the
 * state is a varlena: the discount spec of one-shot npv/bcr, whether t holds
 * day numbers (xirr), and the flows. VARSIZE may exceed what the n flows use:
 * the room beyond is capacity, so appending a flow writes in place and only a
 * doubling copies (a transition that returns a new pointer has its value
 * copied into the aggregate's context by the executor).
 */
#define CFS_VERSION 1
#define CFS_DISC 0x01			/* rate / sched set by the rows */
#define CFS_DAYS 0x02			/* t holds day numbers (xirr) */

typedef struct CashflowsStateData
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	int8		sched;
	uint8		pad;
	int32		n;
	double		rate;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* t0, a0, t1, a1, ...; then room */
} CashflowsStateData;

#define CFS_SIZE(cap) (offsetof(CashflowsStateData, data) + sizeof(double) * 2 * (Size) (cap))
#define CFS_CAPACITY(st) ((int32) ((VARSIZE(st) - offsetof(CashflowsStateData, data)) / (2 * sizeof(double))))
#define CFS_T(st, i) ((st)->data[2 * (i)])
#define CFS_A(st, i) ((st)->data[2 * (i) + 1])

/* v is what the value says, whatever its width (text input can say anything) */
static void
check_version_of(int64 v, const char *typname, int want)
{
	if (v != want)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("%s value has version " INT64_FORMAT ", this library reads version %d", typname, v, want),
				 errhint("Recompute the state with the installed socialinvest version.")));
}

static void
check_version(int64 v)
{
	check_version_of(v, "cashflows", CASHFLOWS_VERSION);
}

static void
check_flow_count(int64 n)
{
	if (n > CF_MAX_FLOWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many cash flows in one group (" INT64_FORMAT ", at most %d)", n, CF_MAX_FLOWS),
				 errhint("Sum flows that fall on the same time before aggregating.")));
}

static CashflowsData *
cf_make(int32 n, const double *t, const double *a)
{
	CashflowsData *cf;
	int32		i;

	if (n > CF_MAX_FLOWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cashflows value would hold %d flows, more than the %d that fit", n, CF_MAX_FLOWS)));
	cf = palloc0(CF_SIZE(n));
	SET_VARSIZE(cf, CF_SIZE(n));
	cf->version = CASHFLOWS_VERSION;
	cf->n = n;
	for (i = 0; i < n; i++)
	{
		cf->data[2 * i] = t[i];
		cf->data[2 * i + 1] = a[i];
	}
	return cf;
}

static CashflowsData *
cf_arg(FunctionCallInfo fcinfo, int argno)
{
	CashflowsData *cf = (CashflowsData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	check_version(cf->version);
	if (VARSIZE(cf) != CF_SIZE(cf->n))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cashflows value is corrupt: size %u for %d flows", (unsigned) VARSIZE(cf), cf->n)));
	return cf;
}

/* unpack into fresh arrays */
static void
cf_unpack(const CashflowsData *cf, double **t, double **a)
{
	int32		i;

	*t = palloc(sizeof(double) * Max(cf->n, 1));
	*a = palloc(sizeof(double) * Max(cf->n, 1));
	for (i = 0; i < cf->n; i++)
	{
		(*t)[i] = cf->data[2 * i];
		(*a)[i] = cf->data[2 * i + 1];
	}
}

/* the flows of the cashflows argument argno, unpacked; returns their number */
static int32
cf_arg_flows(FunctionCallInfo fcinfo, int argno, double **t, double **a)
{
	CashflowsData *cf = cf_arg(fcinfo, argno);

	cf_unpack(cf, t, a);
	return cf->n;
}


static void
check_flow(double t, double a, const char *tname)
{
	si_check_finite(t, tname, "Give the time of each flow in years from the valuation date.");
	si_check_finite(a, "amount", "NaN and infinite amounts are not cash flows; fix or filter the row.");
}

/* ---------- text and binary I/O ---------- */

/*
 * The flows part of a text form, "t:amount;t:amount;..." from p to the end of
 * the string (whole and the expected form, for the message): finite numbers,
 * the count returned.
 */
static int32
parse_flows(const char *p, const char *whole, const char *typname, const char *form,
			double **tp, double **ap)
{
	char	   *end;
	int32		n = 0,
				cap = 8;
	double	   *t = palloc(sizeof(double) * cap),
			   *a = palloc(sizeof(double) * cap);

	while (*p)
	{
		double		tv,
					av;

		errno = 0;
		tv = strtod(p, &end);
		/* ERANGE on underflow still yields the exact subnormal: accept it */
		if (end == p || *end != ':' || (errno != 0 && !(errno == ERANGE && isfinite(tv))))
			goto bad;
		p = end + 1;
		errno = 0;
		av = strtod(p, &end);
		if (end == p || (*end != ';' && *end != '\0') ||
			(errno != 0 && !(errno == ERANGE && isfinite(av))))
			goto bad;
		check_flow(tv, av, "time of a flow");
		if (n == cap)
		{
			check_flow_count((int64) cap * 2);
			cap *= 2;
			t = repalloc(t, sizeof(double) * cap);
			a = repalloc(a, sizeof(double) * cap);
		}
		t[n] = tv;
		a[n] = av;
		n++;
		p = end;
		if (*p == ';')
		{
			p++;
			if (*p == '\0')
				goto bad;
		}
	}
	*tp = t;
	*ap = a;
	return n;
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", typname, whole),
			 errhint("Expected \"%s\" with finite numbers.", form)));
	return 0;
}

/* "t:amount;t:amount;..." of n interleaved pairs, shortest exact doubles */
static void
append_flows(StringInfo buf, const double *pairs, int32 n)
{
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN + 1];
	int32		i;

	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, ';');
		double_to_shortest_decimal_buf(pairs[2 * i], num);
		appendStringInfoString(buf, num);
		appendStringInfoChar(buf, ':');
		double_to_shortest_decimal_buf(pairs[2 * i + 1], num);
		appendStringInfoString(buf, num);
	}
}

/* text form: "1|t:amount;t:amount;..." (version 1, shortest exact doubles) */
Datum
si_cashflows_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	char	   *end;
	long long	ver;
	int32		n;
	double	   *t,
			   *a;

	errno = 0;
	ver = strtoll(s, &end, 10);
	if (end == s || *end != '|')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type cashflows: \"%s\"", s),
				 errhint("Expected \"1|t:amount;t:amount;...\" (version 1).")));
	if (errno == ERANGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("cashflows value has version %.*s, this library reads version %d",
						(int) Min(end - s, 40), s, CASHFLOWS_VERSION)));
	check_version((int64) ver);
	n = parse_flows(end + 1, s, "cashflows", "1|t:amount;t:amount;...", &t, &a);
	PG_RETURN_POINTER(cf_make(n, t, a));
}

Datum
si_cashflows_out(PG_FUNCTION_ARGS)
{
	CashflowsData *cf = cf_arg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d|", cf->version);
	append_flows(&buf, cf->data, cf->n);
	PG_RETURN_CSTRING(buf.data);
}

Datum
si_cashflows_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	uint8		ver = (uint8) pq_getmsgbyte(buf);
	int32		n,
				i;
	double	   *t,
			   *a;

	check_version(ver);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > CF_MAX_FLOWS || (Size) n * 16 > (Size) (buf->len - buf->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid flow count %d in binary cashflows value", n)));
	t = palloc(sizeof(double) * Max(n, 1));
	a = palloc(sizeof(double) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		t[i] = pq_getmsgfloat8(buf);
		a[i] = pq_getmsgfloat8(buf);
		check_flow(t[i], a[i], "time of a flow");
	}
	PG_RETURN_POINTER(cf_make(n, t, a));
}

Datum
si_cashflows_send(PG_FUNCTION_ARGS)
{
	CashflowsData *cf = cf_arg(fcinfo, 0);
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, cf->version);
	pq_sendint32(&buf, cf->n);
	for (i = 0; i < cf->n; i++)
	{
		pq_sendfloat8(&buf, cf->data[2 * i]);
		pq_sendfloat8(&buf, cf->data[2 * i + 1]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- aggregate state ---------- */

static void
check_state_header(const CashflowsStateData *st)
{
	check_version_of(st->version, "cashflows_state", CFS_VERSION);
	if (st->n < 0 || (st->flags & ~(CFS_DISC | CFS_DAYS)) != 0 ||
		(st->sched != FIN_FLAT && st->sched != FIN_FM2021) ||
		VARSIZE(st) < CFS_SIZE(st->n))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cashflows_state value is corrupt: size %u, %d flows, flags %d, schedule %d",
						(unsigned) VARSIZE(st), st->n, st->flags, st->sched)));
}

/* the state in argument argno, detoasted (a copy when it was short or toasted) */
static CashflowsStateData *
state_arg(FunctionCallInfo fcinfo, int argno)
{
	CashflowsStateData *st = (CashflowsStateData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	check_state_header(st);
	return st;
}

/* a new state with room for cap flows, in the current memory context */
static CashflowsStateData *
state_new(int32 cap)
{
	CashflowsStateData *st = palloc0(CFS_SIZE(cap));

	SET_VARSIZE(st, CFS_SIZE(cap));
	st->version = CFS_VERSION;
	return st;
}

/*
 * Memory for a state the transition returns as a new pointer. With the real
 * type the executor copies a new value into the aggregate's context, so it
 * is made in the short-lived current context. Under the 0.2.0 definitions
 * (state type internal, kept working until ALTER EXTENSION UPDATE) nothing is
 * copied, so it must live in the aggregate's context.
 */
static MemoryContext
state_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggctx;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s is an aggregate support function and cannot be called on its own", fname),
				 errhint("Use the aggregate (npv, irr, xirr, payback_period, money_multiple, benefit_cost_ratio, cashflows or cashflows_rollup).")));
	if (get_fn_expr_argtype(fcinfo->flinfo, 0) == INTERNALOID)
		return aggctx;
	return CurrentMemoryContext;
}

/*
 * The state in argument 0 with room for `more` flows: argument 0 itself when
 * it has the room and is a plain 4-byte-header value (a transition may change
 * its state in place), otherwise a copy with doubled capacity.
 */
static CashflowsStateData *
state_writable(FunctionCallInfo fcinfo, const char *fname, int32 more)
{
	MemoryContext ctx = state_context(fcinfo, fname);
	CashflowsStateData *st,
			   *grown;
	struct varlena *raw;
	int64		need;
	int32		cap;
	MemoryContext old;

	if (PG_ARGISNULL(0))
	{
		old = MemoryContextSwitchTo(ctx);
		st = state_new(Max(16, more));
		MemoryContextSwitchTo(old);
		return st;
	}
	raw = (struct varlena *) PG_GETARG_POINTER(0);
	st = (CashflowsStateData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	check_state_header(st);
	need = (int64) st->n + more;
	if ((void *) st == (void *) raw && need <= CFS_CAPACITY(st))
		return st;
	check_flow_count(need);
	cap = (int32) Min(Max(need, Max((int64) CFS_CAPACITY(st) * 2, 16)), (int64) CF_MAX_FLOWS);
	old = MemoryContextSwitchTo(ctx);
	grown = palloc(CFS_SIZE(cap));
	MemoryContextSwitchTo(old);
	memcpy(grown, st, CFS_SIZE(st->n));
	SET_VARSIZE(grown, CFS_SIZE(cap));
	return grown;
}

/* append a flow to a state that has the room (state_writable) */
static inline void
state_add(CashflowsStateData *st, double t, double a)
{
	CFS_T(st, st->n) = t;
	CFS_A(st, st->n) = a;
	st->n++;
}

static double
amount_arg(FunctionCallInfo fcinfo, int argno)
{
	double		a;

	si_arg_not_null(fcinfo, argno, "amount",
					"Use 0 for a period without a flow, or filter the row out explicitly.");
	a = DatumGetFloat8(DirectFunctionCall1(numeric_float8, PG_GETARG_DATUM(argno)));
	si_check_finite(a, "amount", "NaN and infinite amounts are not cash flows; fix or filter the row.");
	return a;
}

static double
years_arg(FunctionCallInfo fcinfo, int argno)
{
	const char *hint = "Give the time of each flow in years from the valuation date (0 = now).";
	double		t = si_float8_arg_not_null(fcinfo, argno, "years", hint);

	si_check_finite(t, "years", hint);
	return t;
}

/* cashflows(amount numeric, years float8) and irr(amount, years), payback_period(amount, years) */
Datum
si_cf_trans(PG_FUNCTION_ARGS)
{
	double		a = amount_arg(fcinfo, 1);
	double		t = years_arg(fcinfo, 2);
	CashflowsStateData *st = state_writable(fcinfo, "cashflows_trans", 1);

	state_add(st, t, a);
	PG_RETURN_POINTER(st);
}

/* money_multiple(amount numeric) */
Datum
si_cf_trans_amount(PG_FUNCTION_ARGS)
{
	double		a = amount_arg(fcinfo, 1);
	CashflowsStateData *st = state_writable(fcinfo, "cashflows_trans_amount", 1);

	state_add(st, 0.0, a);
	PG_RETURN_POINTER(st);
}

/* the discount spec of the rows: the first row's, and every other row's the same */
static void
state_set_disc(CashflowsStateData *st, int sched, double rate)
{
	if (!(st->flags & CFS_DISC))
	{
		st->flags |= CFS_DISC;
		st->sched = (int8) sched;
		st->rate = rate;
	}
	else if (st->sched != sched || st->rate != rate)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the discount rate must be the same in every row of one group"),
				 errhint("Compute one npv() per rate (GROUP BY the rate), or use cashflows() and the accessor npv(cashflows, rate).")));
}

Datum
si_cf_trans_rate(PG_FUNCTION_ARGS)
{
	double		a = amount_arg(fcinfo, 1);
	double		t = years_arg(fcinfo, 2);
	double		r = si_float8_arg_not_null(fcinfo, 3, "rate",
										   "Give the annual discount rate as a fraction, e.g. 0.035, or the schedule 'fm2021'.");
	CashflowsStateData *st;

	si_check_rate(r, "rate");
	st = state_writable(fcinfo, "cashflows_trans_rate", 1);
	state_set_disc(st, FIN_FLAT, r);
	state_add(st, t, a);
	PG_RETURN_POINTER(st);
}

Datum
si_cf_trans_sched(PG_FUNCTION_ARGS)
{
	double		a = amount_arg(fcinfo, 1);
	double		t = years_arg(fcinfo, 2);
	int			sched;
	CashflowsStateData *st;

	si_arg_not_null(fcinfo, 3, "schedule",
					"The only named schedule is 'fm2021'; give a number for a flat rate.");
	sched = si_parse_schedule(text_to_cstring(PG_GETARG_TEXT_PP(3)), "schedule");
	st = state_writable(fcinfo, "cashflows_trans_schedule", 1);
	state_set_disc(st, sched, 0.0);
	state_add(st, t, a);
	PG_RETURN_POINTER(st);
}

/* xirr(amount numeric, day date): t holds the day number until the final */
Datum
si_cf_trans_day(PG_FUNCTION_ARGS)
{
	double		a = amount_arg(fcinfo, 1);
	DateADT		d;
	CashflowsStateData *st;

	si_arg_not_null(fcinfo, 2, "day", "Give the date of each flow.");
	d = PG_GETARG_DATEADT(2);
	si_check_finite_date(d, "day");
	st = state_writable(fcinfo, "cashflows_trans_day", 1);
	st->flags |= CFS_DAYS;
	state_add(st, (double) d, a);
	PG_RETURN_POINTER(st);
}

/* cashflows_rollup(cashflows) */
Datum
si_cf_trans_cf(PG_FUNCTION_ARGS)
{
	CashflowsData *cf;
	CashflowsStateData *st;
	int32		i;

	if (PG_ARGISNULL(1))
	{
		/* a NULL state is an empty group */
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(state_writable(fcinfo, "cashflows_trans_state", 0));
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	cf = cf_arg(fcinfo, 1);
	st = state_writable(fcinfo, "cashflows_trans_state", cf->n);
	for (i = 0; i < cf->n; i++)
		state_add(st, cf->data[2 * i], cf->data[2 * i + 1]);
	PG_RETURN_POINTER(st);
}

/*
 * Combine: the flows of the second state appended to the first. Exact and,
 * as every final reads the flows in one canonical order (fin_sort_flows) or
 * sums them in numeric, the result does not depend on how rows were split.
 */
Datum
si_cf_combine(PG_FUNCTION_ARGS)
{
	CashflowsStateData *s2,
			   *s1;
	int32		i;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	s2 = state_arg(fcinfo, 1);
	s1 = state_writable(fcinfo, "cashflows_state_combine", s2->n);
	if (s2->flags & CFS_DISC)
		state_set_disc(s1, s2->sched, s2->rate);
	s1->flags |= (s2->flags & CFS_DAYS);
	for (i = 0; i < s2->n; i++)
		state_add(s1, CFS_T(s2, i), CFS_A(s2, i));
	PG_RETURN_POINTER(s1);
}

/* binary form of a state: version, flags, schedule, rate, n, then (t, amount) pairs */
static bytea *
state_send(const CashflowsStateData *st)
{
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CFS_VERSION);
	pq_sendbyte(&buf, st->flags);
	pq_sendbyte(&buf, (uint8) st->sched);
	pq_sendfloat8(&buf, st->rate);
	pq_sendint32(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendfloat8(&buf, CFS_T(st, i));
		pq_sendfloat8(&buf, CFS_A(st, i));
	}
	return pq_endtypsend(&buf);
}

/* a state's disc spec and flags, checked as text or binary input gives them */
static void
check_state_spec(int flags, int sched, double rate)
{
	if ((flags & ~(CFS_DISC | CFS_DAYS)) != 0 || (sched != FIN_FLAT && sched != FIN_FM2021))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid cashflows_state value: flags %d, schedule %d", flags, sched),
				 errhint("flags is 0..3 (1 = discount spec set, 2 = day numbers), schedule 0 (flat) or 1 (fm2021).")));
	if (flags & CFS_DISC)
	{
		if (sched == FIN_FLAT)
			si_check_rate(rate, "rate of a cashflows_state");
		else if (rate != 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid cashflows_state value: a named schedule with rate %g", rate),
					 errhint("A state under the fm2021 schedule has rate 0.")));
	}
	else if (sched != FIN_FLAT || rate != 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid cashflows_state value: a discount spec without its flag"),
				 errhint("Without flag 1 the schedule and the rate are 0.")));
}

static CashflowsStateData *
state_make(int flags, int sched, double rate, int32 n, const double *t, const double *a)
{
	CashflowsStateData *st;
	int32		i;

	check_state_spec(flags, sched, rate);
	check_flow_count(n);
	st = state_new(n);
	st->flags = (uint8) flags;
	st->sched = (int8) sched;
	st->rate = rate;
	for (i = 0; i < n; i++)
	{
		check_flow(t[i], a[i], "time of a flow");
		state_add(st, t[i], a[i]);
	}
	return st;
}

static CashflowsStateData *
state_recv(StringInfo buf)
{
	int			flags,
				sched;
	double		rate;
	int32		n,
				i;
	double	   *t,
			   *a;

	check_version_of((uint8) pq_getmsgbyte(buf), "cashflows_state", CFS_VERSION);
	flags = pq_getmsgbyte(buf);
	sched = (int8) pq_getmsgbyte(buf);
	rate = pq_getmsgfloat8(buf);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > CF_MAX_FLOWS || (Size) n * 16 > (Size) (buf->len - buf->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid flow count %d in binary cashflows_state value", n)));
	t = palloc(sizeof(double) * Max(n, 1));
	a = palloc(sizeof(double) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		t[i] = pq_getmsgfloat8(buf);
		a[i] = pq_getmsgfloat8(buf);
	}
	return state_make(flags, sched, rate, n, t, a);
}

/* 0.2.0's serial function (state type internal): the binary form */
Datum
si_cf_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(state_send((CashflowsStateData *) PG_GETARG_POINTER(0)));
}

/* 0.2.0's deserial function (state type internal) */
Datum
si_cf_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	CashflowsStateData *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "si_cf_deserialize called in non-aggregate context");
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	st = state_recv(&buf);
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* text form "1|flags|schedule|rate|t:amount;t:amount;..." (shortest exact doubles) */
Datum
si_cashflows_state_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	char	   *p = s,
			   *end;
	long long	v;
	long		flags,
				sched;
	double		rate;
	int32		n;
	double	   *t,
			   *a;

	errno = 0;
	v = strtoll(p, &end, 10);
	if (end == p || *end != '|')
		goto bad;
	if (errno == ERANGE)
		v = -1;
	check_version_of((int64) v, "cashflows_state", CFS_VERSION);
	p = end + 1;
	flags = strtol(p, &end, 10);
	if (end == p || *end != '|')
		goto bad;
	p = end + 1;
	sched = strtol(p, &end, 10);
	if (end == p || *end != '|')
		goto bad;
	p = end + 1;
	errno = 0;
	rate = strtod(p, &end);
	if (end == p || *end != '|' || errno != 0 || !isfinite(rate))
		goto bad;
	if (flags < 0 || flags > 255 || sched < -128 || sched > 127)
		check_state_spec(-1, -1, rate);
	n = parse_flows(end + 1, s, "cashflows_state", "1|flags|schedule|rate|t:amount;...", &t, &a);
	PG_RETURN_POINTER(state_make((int) flags, (int) sched, rate, n, t, a));
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type cashflows_state: \"%s\"", s),
			 errhint("Expected \"1|flags|schedule|rate|t:amount;...\" (version 1).")));
	PG_RETURN_NULL();
}

Datum
si_cashflows_state_out(PG_FUNCTION_ARGS)
{
	CashflowsStateData *st = state_arg(fcinfo, 0);
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN + 1];

	initStringInfo(&buf);
	double_to_shortest_decimal_buf(st->rate, num);
	appendStringInfo(&buf, "%d|%d|%d|%s|", CFS_VERSION, st->flags, st->sched, num);
	append_flows(&buf, st->data, st->n);
	PG_RETURN_CSTRING(buf.data);
}

Datum
si_cashflows_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(state_recv((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
si_cashflows_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(state_send(state_arg(fcinfo, 0)));
}

/* ---------- finals ---------- */

/*
 * A final function's flows: a copy of the state's (finals must not change
 * the state), in the canonical order of fin_sort_flows, so that what a final
 * computes does not depend on how the rows were split between workers or
 * shards. False (the final returns NULL) for an empty group.
 */
typedef struct FinalFlows
{
	int32		n;
	double	   *t;
	double	   *a;
	bool		disc_set;
	bool		days;
	int			sched;
	double		rate;
} FinalFlows;

static bool
final_flows(FunctionCallInfo fcinfo, FinalFlows *f)
{
	CashflowsStateData *st;
	int32		i;

	if (PG_ARGISNULL(0))
		return false;
	st = state_arg(fcinfo, 0);
	f->n = st->n;
	f->t = palloc(sizeof(double) * Max(st->n, 1));
	f->a = palloc(sizeof(double) * Max(st->n, 1));
	for (i = 0; i < st->n; i++)
	{
		f->t[i] = CFS_T(st, i);
		f->a[i] = CFS_A(st, i);
	}
	fin_sort_flows(f->t, f->a, f->n);
	f->disc_set = (st->flags & CFS_DISC) != 0;
	f->days = (st->flags & CFS_DAYS) != 0;
	f->sched = st->sched;
	f->rate = st->rate;
	return true;
}

Datum
si_cf_final_cashflows(PG_FUNCTION_ARGS)
{
	FinalFlows	f;

	if (!final_flows(fcinfo, &f))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(cf_make(f.n, f.t, f.a));
}

/*
 * The numeric with the shortest decimal that reads back as x: an amount that
 * came in as a numeric of up to 15 significant digits comes back exactly
 * (two such decimals never share a double), and a discount factor keeps all
 * of its 17 digits (float8_numeric would keep 15).
 */
static Datum
numeric_exact(double x)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN + 1];

	double_to_shortest_decimal_buf(x, buf);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/*
 * NPV (rate 0 and the flat schedule: the plain sum) in numeric, rounded to
 * cents: each amount is read back exactly (numeric_exact), multiplied by its
 * float8 discount factor (a power, correct to one unit in the last place;
 * no discount factor when the rate is 0), and the terms are summed in
 * numeric, so the sum itself adds no rounding and cannot overflow. Only a
 * discount factor that overflows float8 is an error (22003).
 */
static Datum
npv_numeric(const double *t, const double *a, int32 n, FinSchedule sched,
			double rate, FinConvention conv, double period, const char *fname)
{
	MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "npv terms",
											  ALLOCSET_SMALL_SIZES);
	MemoryContext old;
	Datum		sum = DirectFunctionCall1(int8_numeric, Int64GetDatum(0));
	int32		i;

	for (i = 0; i < n; i++)
	{
		Datum		term,
					next;

		if (a[i] == 0.0)
			continue;
		old = MemoryContextSwitchTo(tmp);
		if (sched == FIN_FLAT && rate == 0.0)
			term = numeric_exact(a[i]);
		else
		{
			double		df = si_check_result(fin_discount_factor(t[i], sched, rate, conv, period),
											 fname, "discount factor");

			term = DirectFunctionCall2(numeric_mul, numeric_exact(a[i]), numeric_exact(df));
		}
		next = DirectFunctionCall2(numeric_add, sum, term);
		MemoryContextSwitchTo(old);
		sum = datumCopy(next, false, -1);
		MemoryContextReset(tmp);
		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	MemoryContextDelete(tmp);
	return DirectFunctionCall2(numeric_round, sum, Int32GetDatum(2));
}

Datum
si_cf_final_npv(PG_FUNCTION_ARGS)
{
	FinalFlows	f;

	if (!final_flows(fcinfo, &f))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(npv_numeric(f.t, f.a, f.n, (FinSchedule) f.sched,
								f.rate, FIN_END, 1.0, "npv"));
}

/* IRR with the NULL-and-NOTICE policy; returns false if there is none */
static bool
irr_or_notice(const double *t, const double *a, int32 n, const char *what, double *irr)
{
	int			nroots = 0;
	FinRootStatus s = fin_irr(t, a, n, -0.99, 10.0, irr, &nroots);

	switch (s)
	{
		case FIN_ROOT_OK:
			if (nroots > 1)
				ereport(NOTICE,
						(errmsg("%s: the cash flows have %d internal rates of return in [-99 %%, 1000 %%]; returning the one closest to 0", what, nroots),
						 errhint("Flows that change sign more than once have several IRRs; report the NPV at a stated rate instead.")));
			return true;
		case FIN_ROOT_EMPTY:
			ereport(NOTICE,
					(errmsg("%s: no non-zero cash flows, the IRR is undefined (NULL)", what)));
			return false;
		case FIN_ROOT_NO_SIGN_CHANGE_FLOWS:
			ereport(NOTICE,
					(errmsg("%s: the cash flows do not change sign, so there is no internal rate of return (NULL)", what),
					 errhint("An IRR needs at least one outflow (negative amount) and one inflow (positive amount).")));
			return false;
		case FIN_ROOT_NO_BRACKET:
			ereport(NOTICE,
					(errmsg("%s: the NPV does not change sign for rates between -99 %% and 1000 %%, so there is no internal rate of return (NULL)", what),
					 errhint("Check the signs and timing of the flows; report the NPV at a stated rate instead.")));
			return false;
	}
	return false;
}

Datum
si_cf_final_irr(PG_FUNCTION_ARGS)
{
	FinalFlows	f;
	double		irr;

	if (!final_flows(fcinfo, &f))
		PG_RETURN_NULL();
	if (!irr_or_notice(f.t, f.a, f.n, "irr", &irr))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(irr);
}

Datum
si_cf_final_xirr(PG_FUNCTION_ARGS)
{
	FinalFlows	f;
	double		irr;
	double	   *t;

	if (!final_flows(fcinfo, &f))
		PG_RETURN_NULL();
	t = palloc(sizeof(double) * Max(f.n, 1));
	fin_days_to_years(f.t, f.n, t);
	if (!irr_or_notice(t, f.a, f.n, "xirr", &irr))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(irr);
}

static Datum
payback_datum(FunctionCallInfo fcinfo, double *t, double *a, int32 n, int sched, double rate)
{
	double		y;
	FinPaybackStatus s;

	fin_sort_flows(t, a, n);
	s = fin_payback(t, a, n, (FinSchedule) sched, rate, &y);
	if (s == FIN_PAYBACK_OVERFLOW)
		si_check_result(INFINITY, "payback_period", "cumulative (discounted) cash flow");
	if (s != FIN_PAYBACK_OK)
	{
		ereport(NOTICE,
				(errmsg("payback_period: the cumulative cash flow never turns from negative to non-negative for good (NULL)")));
		PG_RETURN_NULL();
	}
	PG_RETURN_FLOAT8(y);
}

Datum
si_cf_final_payback(PG_FUNCTION_ARGS)
{
	FinalFlows	f;

	if (!final_flows(fcinfo, &f))
		PG_RETURN_NULL();
	return payback_datum(fcinfo, f.t, f.a, f.n, f.disc_set ? f.sched : FIN_FLAT,
						 f.disc_set ? f.rate : 0.0);
}

/*
 * The ratio of the positive to the negative values of v (fin_sums), as
 * money_multiple and benefit_cost_ratio read it: the sums and the ratio
 * checked finite under their names, NULL with a NOTICE when nothing is
 * negative.
 */
typedef struct RatioNames
{
	const char *fname;
	const char *in_sum;
	const char *out_sum;
	const char *ratio;
	const char *no_outflow;		/* NOTICE text */
} RatioNames;

static Datum
inflow_outflow_ratio(FunctionCallInfo fcinfo, const double *v, int32 n, const RatioNames *names)
{
	double		in,
				out;

	fin_sums(v, n, &in, &out);
	si_check_result(in, names->fname, names->in_sum);
	si_check_result(out, names->fname, names->out_sum);
	if (out == 0.0)
	{
		ereport(NOTICE, (errmsg("%s", names->no_outflow)));
		PG_RETURN_NULL();
	}
	PG_RETURN_FLOAT8(si_check_result(in / out, names->fname, names->ratio));
}

static Datum
multiple_datum(FunctionCallInfo fcinfo, const double *a, int32 n)
{
	static const RatioNames names = {
		"money_multiple", "sum of the inflows", "sum of the outflows",
		"ratio of inflows to outflows",
		"money_multiple: there are no outflows (negative amounts), the multiple is undefined (NULL)"
	};

	return inflow_outflow_ratio(fcinfo, a, n, &names);
}

Datum
si_cf_final_multiple(PG_FUNCTION_ARGS)
{
	FinalFlows	f;

	if (!final_flows(fcinfo, &f))
		PG_RETURN_NULL();
	return multiple_datum(fcinfo, f.a, f.n);
}

static Datum
bcr_datum(FunctionCallInfo fcinfo, const double *t, const double *a, int32 n,
		  int sched, double rate)
{
	static const RatioNames names = {
		"benefit_cost_ratio", "present value of the benefits", "present value of the costs",
		"ratio of benefits to costs",
		"benefit_cost_ratio: there are no costs (negative amounts), the ratio is undefined (NULL)"
	};
	double	   *pv = palloc(sizeof(double) * Max(n, 1));
	int32		i;

	fin_present_values(t, a, n, (FinSchedule) sched, rate, pv);
	for (i = 0; i < n; i++)
		si_check_result(pv[i], "benefit_cost_ratio", "discounted value of a flow");
	return inflow_outflow_ratio(fcinfo, pv, n, &names);
}

Datum
si_cf_final_bcr(PG_FUNCTION_ARGS)
{
	FinalFlows	f;

	if (!final_flows(fcinfo, &f))
		PG_RETURN_NULL();
	return bcr_datum(fcinfo, f.t, f.a, f.n, f.sched, f.rate);
}

/* ---------- scalar functions over the cashflows type ---------- */

Datum
si_cashflows_combine(PG_FUNCTION_ARGS)
{
	CashflowsData *x = cf_arg(fcinfo, 0),
			   *y = cf_arg(fcinfo, 1),
			   *r;
	int64		n = (int64) x->n + y->n;

	if (n > CF_MAX_FLOWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("combined cashflows value would hold " INT64_FORMAT " flows, more than %d", n, CF_MAX_FLOWS)));
	r = palloc0(CF_SIZE(n));
	SET_VARSIZE(r, CF_SIZE(n));
	r->version = CASHFLOWS_VERSION;
	r->n = (int32) n;
	memcpy(r->data, x->data, sizeof(double) * 2 * x->n);
	memcpy(r->data + 2 * x->n, y->data, sizeof(double) * 2 * y->n);
	PG_RETURN_POINTER(r);
}

Datum
si_cashflows_npv(PG_FUNCTION_ARGS)
{
	double	   *t,
			   *a;
	int32		n = cf_arg_flows(fcinfo, 0, &t, &a);
	double		rate = PG_GETARG_FLOAT8(1);
	FinConvention conv = si_parse_convention(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	double		period = PG_GETARG_FLOAT8(3);

	si_check_rate(rate, "rate");
	si_check_period(period);
	PG_RETURN_DATUM(npv_numeric(t, a, n, FIN_FLAT, rate, conv, period, "npv"));
}

Datum
si_cashflows_npv_sched(PG_FUNCTION_ARGS)
{
	double	   *t,
			   *a;
	int32		n = cf_arg_flows(fcinfo, 0, &t, &a);
	int			sched = si_parse_schedule(text_to_cstring(PG_GETARG_TEXT_PP(1)), "schedule");
	FinConvention conv = si_parse_convention(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	double		period = PG_GETARG_FLOAT8(3);

	si_check_period(period);
	PG_RETURN_DATUM(npv_numeric(t, a, n, (FinSchedule) sched, 0.0, conv, period, "npv"));
}

Datum
si_cashflows_irr(PG_FUNCTION_ARGS)
{
	double	   *t,
			   *a,
				irr;
	int32		n = cf_arg_flows(fcinfo, 0, &t, &a);

	if (!irr_or_notice(t, a, n, "irr", &irr))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(irr);
}

Datum
si_cashflows_payback(PG_FUNCTION_ARGS)
{
	double	   *t,
			   *a;
	int32		n = cf_arg_flows(fcinfo, 0, &t, &a);
	double		rate = PG_GETARG_FLOAT8(1);

	si_check_rate(rate, "rate");
	return payback_datum(fcinfo, t, a, n, FIN_FLAT, rate);
}

Datum
si_cashflows_multiple(PG_FUNCTION_ARGS)
{
	double	   *t,
			   *a;
	int32		n = cf_arg_flows(fcinfo, 0, &t, &a);

	return multiple_datum(fcinfo, a, n);
}

Datum
si_cashflows_bcr(PG_FUNCTION_ARGS)
{
	double	   *t,
			   *a;
	int32		n = cf_arg_flows(fcinfo, 0, &t, &a);
	double		rate = PG_GETARG_FLOAT8(1);

	si_check_rate(rate, "rate");
	return bcr_datum(fcinfo, t, a, n, FIN_FLAT, rate);
}

Datum
si_cashflows_count(PG_FUNCTION_ARGS)
{
	CashflowsData *cf = cf_arg(fcinfo, 0);

	PG_RETURN_INT32(cf->n);
}

Datum
si_cashflows_total(PG_FUNCTION_ARGS)
{
	double	   *t,
			   *a;
	int32		n = cf_arg_flows(fcinfo, 0, &t, &a);

	PG_RETURN_DATUM(npv_numeric(t, a, n, FIN_FLAT, 0.0, FIN_END, 1.0, "cashflows_total"));
}
