/*
 * finance_cashflows.c — the storable cash-flow state type `cashflows`
 * and the aggregates over cash-flow rows: cashflows(), cashflows_rollup(),
 * npv(), irr(), xirr(), payback_period(), money_multiple(),
 * benefit_cost_ratio(), with their accessors. Glue only: every formula is in
 * src/math/finance.c (docs/methods.md, *Money*); argument checks shared with
 * discount_factor are finance_scalar.c's; no SPI and no tables here.
 *
 * IRR needs every flow, so the state is the list of (t, amount) pairs;
 * combining two states concatenates them (exact, order-free). Inside one
 * node the aggregates keep an `internal` state (serialisable for parallel
 * query); the two-step form cashflows() -> cashflows_rollup() -> accessor
 * goes through the real type, which distributes.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
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

/* In-memory aggregate state */
typedef struct CfState
{
	int32		n;
	int32		cap;
	double	   *t;
	double	   *a;
	bool		disc_set;		/* one-shot npv/bcr: the discount spec of the rows */
	int8		sched;
	double		rate;
	bool		days;			/* xirr: t holds day numbers */
} CfState;

/* v is what the value says, whatever its width (text input can say anything) */
static void
check_version(int64 v)
{
	if (v != CASHFLOWS_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("cashflows value has version " INT64_FORMAT ", this library reads version %d", v, CASHFLOWS_VERSION),
				 errhint("Recompute the state with the installed socialinvest version.")));
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

/* text form: "1|t:amount;t:amount;..." (version 1, shortest exact doubles) */
Datum
si_cashflows_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	char	   *p = s,
			   *end;
	long long	ver;
	int32		n = 0,
				cap = 8;
	double	   *t = palloc(sizeof(double) * cap),
			   *a = palloc(sizeof(double) * cap);

	errno = 0;
	ver = strtoll(p, &end, 10);
	if (end == p || *end != '|')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type cashflows: \"%s\"", s),
				 errhint("Expected \"1|t:amount;t:amount;...\" (version 1).")));
	if (errno == ERANGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("cashflows value has version %.*s, this library reads version %d",
						(int) Min(end - p, 40), p, CASHFLOWS_VERSION)));
	check_version((int64) ver);
	p = end + 1;
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
	PG_RETURN_POINTER(cf_make(n, t, a));
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type cashflows: \"%s\"", s),
			 errhint("Expected \"1|t:amount;t:amount;...\" with finite numbers.")));
	PG_RETURN_NULL();
}

Datum
si_cashflows_out(PG_FUNCTION_ARGS)
{
	CashflowsData *cf = cf_arg(fcinfo, 0);
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN + 1];
	int32		i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d|", cf->version);
	for (i = 0; i < cf->n; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ';');
		double_to_shortest_decimal_buf(cf->data[2 * i], num);
		appendStringInfoString(&buf, num);
		appendStringInfoChar(&buf, ':');
		double_to_shortest_decimal_buf(cf->data[2 * i + 1], num);
		appendStringInfoString(&buf, num);
	}
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

static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", fname);
	return ctx;
}

/* a transition's state: argument 0, or a new empty one in the aggregate's context */
static CfState *
trans_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext ctx = agg_context(fcinfo, fname);
	CfState    *st;

	if (!PG_ARGISNULL(0))
		return (CfState *) PG_GETARG_POINTER(0);
	st = MemoryContextAllocZero(ctx, sizeof(CfState));
	st->cap = 16;
	st->t = MemoryContextAlloc(ctx, sizeof(double) * st->cap);
	st->a = MemoryContextAlloc(ctx, sizeof(double) * st->cap);
	return st;
}

static void
state_add(CfState *st, double t, double a)
{
	if (st->n == st->cap)
	{
		if (st->cap >= CF_MAX_FLOWS / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many cash flows in one group (%d)", st->n),
					 errhint("Sum flows that fall on the same time before aggregating.")));
		st->cap *= 2;
		st->t = repalloc(st->t, sizeof(double) * st->cap);
		st->a = repalloc(st->a, sizeof(double) * st->cap);
	}
	st->t[st->n] = t;
	st->a[st->n] = a;
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
	CfState    *st = trans_state(fcinfo, "si_cf_trans");
	double		a = amount_arg(fcinfo, 1);
	double		t = years_arg(fcinfo, 2);

	state_add(st, t, a);
	PG_RETURN_POINTER(st);
}

/* money_multiple(amount numeric) */
Datum
si_cf_trans_amount(PG_FUNCTION_ARGS)
{
	CfState    *st = trans_state(fcinfo, "si_cf_trans_amount");

	state_add(st, 0.0, amount_arg(fcinfo, 1));
	PG_RETURN_POINTER(st);
}

static void
state_set_disc(CfState *st, int sched, double rate)
{
	if (!st->disc_set)
	{
		st->disc_set = true;
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
	CfState    *st = trans_state(fcinfo, "si_cf_trans_rate");
	double		a = amount_arg(fcinfo, 1);
	double		t = years_arg(fcinfo, 2);
	double		r = si_float8_arg_not_null(fcinfo, 3, "rate",
										   "Give the annual discount rate as a fraction, e.g. 0.035, or the schedule 'fm2021'.");

	si_check_rate(r, "rate");
	state_set_disc(st, FIN_FLAT, r);
	state_add(st, t, a);
	PG_RETURN_POINTER(st);
}

Datum
si_cf_trans_sched(PG_FUNCTION_ARGS)
{
	CfState    *st = trans_state(fcinfo, "si_cf_trans_sched");
	double		a = amount_arg(fcinfo, 1);
	double		t = years_arg(fcinfo, 2);

	si_arg_not_null(fcinfo, 3, "schedule",
					"The only named schedule is 'fm2021'; give a number for a flat rate.");
	state_set_disc(st, si_parse_schedule(text_to_cstring(PG_GETARG_TEXT_PP(3)), "schedule"), 0.0);
	state_add(st, t, a);
	PG_RETURN_POINTER(st);
}

/* xirr(amount numeric, day date): t holds the day number until the final */
Datum
si_cf_trans_day(PG_FUNCTION_ARGS)
{
	CfState    *st = trans_state(fcinfo, "si_cf_trans_day");
	double		a = amount_arg(fcinfo, 1);
	DateADT		d;

	si_arg_not_null(fcinfo, 2, "day", "Give the date of each flow.");
	d = PG_GETARG_DATEADT(2);
	si_check_finite_date(d, "day");
	st->days = true;
	state_add(st, (double) d, a);
	PG_RETURN_POINTER(st);
}

/* cashflows_rollup(cashflows) */
Datum
si_cf_trans_cf(PG_FUNCTION_ARGS)
{
	CfState    *st = trans_state(fcinfo, "si_cf_trans_cf");
	CashflowsData *cf;
	int32		i;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);	/* a NULL state is an empty group */
	cf = cf_arg(fcinfo, 1);
	for (i = 0; i < cf->n; i++)
		state_add(st, cf->data[2 * i], cf->data[2 * i + 1]);
	PG_RETURN_POINTER(st);
}

Datum
si_cf_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "si_cf_combine");
	CfState    *s1,
			   *s2;
	int32		i;

	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0));
	s2 = (CfState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(ctx);

		s1 = palloc0(sizeof(CfState));
		*s1 = *s2;
		s1->cap = Max(s2->n, 16);
		s1->t = palloc(sizeof(double) * s1->cap);
		s1->a = palloc(sizeof(double) * s1->cap);
		memcpy(s1->t, s2->t, sizeof(double) * s2->n);
		memcpy(s1->a, s2->a, sizeof(double) * s2->n);
		MemoryContextSwitchTo(old);
		PG_RETURN_POINTER(s1);
	}
	s1 = (CfState *) PG_GETARG_POINTER(0);
	if (s2->disc_set)
		state_set_disc(s1, s2->sched, s2->rate);
	s1->days = s1->days || s2->days;
	for (i = 0; i < s2->n; i++)
		state_add(s1, s2->t[i], s2->a[i]);
	PG_RETURN_POINTER(s1);
}

Datum
si_cf_serialize(PG_FUNCTION_ARGS)
{
	CfState    *st = (CfState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CASHFLOWS_VERSION);
	pq_sendbyte(&buf, (st->disc_set ? 1 : 0) | (st->days ? 2 : 0));
	pq_sendbyte(&buf, (uint8) st->sched);
	pq_sendfloat8(&buf, st->rate);
	pq_sendint32(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendfloat8(&buf, st->t[i]);
		pq_sendfloat8(&buf, st->a[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
si_cf_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	CfState    *st;
	uint8		flags;
	int32		n,
				i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "si_cf_deserialize called in non-aggregate context");
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	check_version((uint8) pq_getmsgbyte(&buf));
	st = palloc0(sizeof(CfState));
	flags = (uint8) pq_getmsgbyte(&buf);
	st->disc_set = (flags & 1) != 0;
	st->days = (flags & 2) != 0;
	st->sched = (int8) pq_getmsgbyte(&buf);
	st->rate = pq_getmsgfloat8(&buf);
	n = pq_getmsgint(&buf, 4);
	st->cap = Max(n, 16);
	st->t = palloc(sizeof(double) * st->cap);
	st->a = palloc(sizeof(double) * st->cap);
	for (i = 0; i < n; i++)
	{
		st->t[i] = pq_getmsgfloat8(&buf);
		st->a[i] = pq_getmsgfloat8(&buf);
	}
	st->n = n;
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* ---------- finals ---------- */

/* a final function's state; NULL (the final returns NULL) for an empty group */
static CfState *
final_state(FunctionCallInfo fcinfo)
{
	return PG_ARGISNULL(0) ? NULL : (CfState *) PG_GETARG_POINTER(0);
}

Datum
si_cf_final_cashflows(PG_FUNCTION_ARGS)
{
	CfState    *st;

	if ((st = final_state(fcinfo)) == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(cf_make(st->n, st->t, st->a));
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
	CfState    *st;

	if ((st = final_state(fcinfo)) == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(npv_numeric(st->t, st->a, st->n, (FinSchedule) st->sched,
								st->rate, FIN_END, 1.0, "npv"));
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
	CfState    *st;
	double		irr;

	if ((st = final_state(fcinfo)) == NULL)
		PG_RETURN_NULL();
	if (!irr_or_notice(st->t, st->a, st->n, "irr", &irr))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(irr);
}

Datum
si_cf_final_xirr(PG_FUNCTION_ARGS)
{
	CfState    *st;
	double		irr;
	double	   *t;

	if ((st = final_state(fcinfo)) == NULL)
		PG_RETURN_NULL();
	t = palloc(sizeof(double) * Max(st->n, 1));
	fin_days_to_years(st->t, st->n, t);
	if (!irr_or_notice(t, st->a, st->n, "xirr", &irr))
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
	CfState    *st;
	double	   *t,
			   *a;

	if ((st = final_state(fcinfo)) == NULL)
		PG_RETURN_NULL();
	/* sort a copy: the state may be shared with other finals */
	t = palloc(sizeof(double) * Max(st->n, 1));
	a = palloc(sizeof(double) * Max(st->n, 1));
	memcpy(t, st->t, sizeof(double) * st->n);
	memcpy(a, st->a, sizeof(double) * st->n);
	return payback_datum(fcinfo, t, a, st->n, st->disc_set ? st->sched : FIN_FLAT,
						 st->disc_set ? st->rate : 0.0);
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
	CfState    *st;

	if ((st = final_state(fcinfo)) == NULL)
		PG_RETURN_NULL();
	return multiple_datum(fcinfo, st->a, st->n);
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
	CfState    *st;

	if ((st = final_state(fcinfo)) == NULL)
		PG_RETURN_NULL();
	return bcr_datum(fcinfo, st->t, st->a, st->n, st->sched, st->rate);
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
