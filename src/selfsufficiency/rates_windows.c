/*
 * rates_windows.c — selfsufficiency_states(path, from_weeks, to_weeks,
 * profile [, weight]): one self-sufficiency rate state per window from
 * one row per person.
 *
 * Why: "the rate per municipality and ISO year" written with the
 * one-window aggregate needs persons x years rows (a CROSS JOIN with the
 * years) through the executor and one transition call per person-year.
 * Here each person's row comes once with all windows; the path is read
 * once for all windows (si_path_windows_counts) and each window's state
 * gets the same update as selfsufficiency_state (si_rate_add_person), so
 * element k is bit for bit the state selfsufficiency_state(path,
 * from_weeks[k], to_weeks[k], profile [, weight]) gives over the same
 * rows in the same order; partial states (the SQL type
 * selfsufficiency_states_partial, src/paths/partial_state.c, so that Citus
 * aggregates on its workers) merge window by window with
 * selfsufficiency_combine's merge (si_rate_merge).
 *
 * The windows are read and checked on the first row and kept in the
 * state; later rows must give the same windows. A constant or query
 * parameter (a scalar subquery) cannot change, so the same pointer is
 * enough; any other argument is compared bytewise with the first row's
 * array (cheap), and only when the bytes differ are the windows read
 * again and compared week by week (equal windows pass, changed windows
 * are an error).
 *
 * Owns: the many-window state, its windows check, serialization and
 * accessors. Must not touch: the per-person update and the merge
 * (rates.c: si_rate_add_person, si_rate_merge), which it only calls.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "isoweek.h"
#include "partial_state.h"
#include "path.h"
#include "rates.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(si_rates_windows_trans);
PG_FUNCTION_INFO_V1(si_rates_windows_combine);
PG_FUNCTION_INFO_V1(si_rates_windows_serialize);
PG_FUNCTION_INFO_V1(si_rates_windows_deserialize);
PG_FUNCTION_INFO_V1(si_rates_windows_final);

/* at most this many windows per call (10,000 weeks is 190 years) */
#define MAX_WINDOWS 10000
#define WINDOWS_SERIAL_VERSION 1

#define WINDOWS_HINT "selfsufficiency_states needs the same windows on every row: give them as constants or scalar subqueries, e.g. (SELECT array_agg(from_week ORDER BY yr) FROM years). For a window per person use selfsufficiency_state."

typedef struct RateWindows
{
	int			nwin;
	DateADT    *from;			/* Mondays of the windows' first weeks */
	DateADT    *to;				/* Mondays of the windows' last weeks */
	RateState  *st;				/* one state per window */
	/* transition only (NULL / false in combined and deserialized states) */
	bool		args_stable;	/* both arrays are constants or parameters */
	Pointer		from_ptr;		/* the array datums of the first row */
	Pointer		to_ptr;
	char	   *from_bytes;		/* ... and their bytes */
	Size		from_len;
	char	   *to_bytes;
	Size		to_len;
	int64	   *scratch;		/* 2 * nwin week indexes */
	int64		(*counts)[RUNPATH_NSTATES]; /* per window, of the current row */
} RateWindows;

static RateWindows *windows_read(const char *data, int len, MemoryContext aggctx);
static bytea *windows_serialize(const RateWindows *rw);
static Datum windows_result(FunctionCallInfo fcinfo, const RateWindows *rw);

/* ---- the window arrays ---- */

/* One array argument as dates (in the current context); errors name it. */
static int
window_array(FunctionCallInfo fcinfo, int argno, const char *name, DateADT **out)
{
	ArrayType  *a;
	Datum	   *el;
	bool	   *nulls;
	int			n,
				i;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", name),
				 errhint("Give one date per window, e.g. ARRAY['2019-01-07', '2020-01-06']::date[].")));
	a = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(a) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", name),
				 errhint("Give at least one window: one date in from_weeks and one in to_weeks.")));
	if (ARR_NDIM(a) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array, not %d-dimensional", name, ARR_NDIM(a)),
				 errhint("Give one date per window in a plain list, e.g. ARRAY['2019-01-07', '2020-01-06']::date[].")));
	n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	if (n > MAX_WINDOWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s has %d windows, more than the %d allowed", name, n, MAX_WINDOWS),
				 errhint("Split the windows over several calls of selfsufficiency_states.")));
	deconstruct_array(a, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &el, &nulls, &n);
	*out = palloc(sizeof(DateADT) * n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s element %d must not be NULL", name, i + 1),
					 errhint("Give a date for every window.")));
		(*out)[i] = DatumGetDateADT(el[i]);
		if (DATE_NOT_FINITE((*out)[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("%s element %d must be a finite date, not %s", name, i + 1,
							si_date_str((*out)[i])),
					 errhint("Give a finite date for every window.")));
	}
	return n;
}

/* Both arrays of this row, checked, as the Mondays of the windows. */
static int
windows_parse(FunctionCallInfo fcinfo, DateADT **from, DateADT **to)
{
	int			nf = window_array(fcinfo, 2, "from_weeks", from);
	int			nt = window_array(fcinfo, 3, "to_weeks", to);
	int			k;

	if (nf != nt)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_weeks has %d elements but to_weeks has %d", nf, nt),
				 errhint("Give one from_week and one to_week per window, in the same order.")));
	for (k = 0; k < nf; k++)
	{
		DateADT		f = isoweek_monday((*from)[k]);
		DateADT		t = isoweek_monday((*to)[k]);

		if (f > t)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("window %d: from_weeks element %d (%s) is after to_weeks element %d (%s)",
							k + 1, k + 1, si_date_str((*from)[k]), k + 1, si_date_str((*to)[k])),
					 errhint("Windows include both ends: give from_weeks[k] <= to_weeks[k] for every window k.")));
		(*from)[k] = f;
		(*to)[k] = t;
	}
	return nf;
}

/* the bytes of an array argument as stored (no copy unless toasted) */
static void
array_bytes(Datum d, char **bytes, Size *len)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(d));

	*bytes = VARDATA_ANY(v);
	*len = VARSIZE_ANY_EXHDR(v);
}

static bool
same_bytes(Datum d, const char *bytes, Size len)
{
	char	   *b;
	Size		n;

	array_bytes(d, &b, &n);
	return n == len && memcmp(b, bytes, len) == 0;
}

/* argument i (0-based) of the aggregate call is a constant or a parameter */
static bool
aggregate_arg_stable(FunctionCallInfo fcinfo, int i)
{
	Aggref	   *ag = AggGetAggref(fcinfo);
	TargetEntry *te;

	if (ag == NULL || list_length(ag->args) <= i)
		return false;
	te = (TargetEntry *) list_nth(ag->args, i);
	return IsA(te->expr, Const) || IsA(te->expr, Param);
}

static RateWindows *
windows_alloc(MemoryContext ctx, int nwin, bool transition)
{
	RateWindows *rw = MemoryContextAllocZero(ctx, sizeof(RateWindows));
	int			k;

	rw->nwin = nwin;
	rw->from = MemoryContextAlloc(ctx, sizeof(DateADT) * nwin);
	rw->to = MemoryContextAlloc(ctx, sizeof(DateADT) * nwin);
	rw->st = MemoryContextAlloc(ctx, sizeof(RateState) * nwin);
	for (k = 0; k < nwin; k++)
		si_rate_init(&rw->st[k]);
	if (transition)
	{
		rw->scratch = MemoryContextAlloc(ctx, sizeof(int64) * 2 * nwin);
		rw->counts = MemoryContextAlloc(ctx, sizeof(int64) * RUNPATH_NSTATES * nwin);
	}
	return rw;
}

/* the state of the first row: windows read, checked and kept */
static RateWindows *
windows_create(FunctionCallInfo fcinfo, MemoryContext ctx)
{
	DateADT    *from,
			   *to;
	int			nwin = windows_parse(fcinfo, &from, &to);
	RateWindows *rw = windows_alloc(ctx, nwin, true);
	char	   *b;

	memcpy(rw->from, from, sizeof(DateADT) * nwin);
	memcpy(rw->to, to, sizeof(DateADT) * nwin);
	rw->args_stable = aggregate_arg_stable(fcinfo, 1) && aggregate_arg_stable(fcinfo, 2);
	rw->from_ptr = DatumGetPointer(PG_GETARG_DATUM(2));
	rw->to_ptr = DatumGetPointer(PG_GETARG_DATUM(3));
	array_bytes(PG_GETARG_DATUM(2), &b, &rw->from_len);
	rw->from_bytes = MemoryContextAlloc(ctx, rw->from_len);
	memcpy(rw->from_bytes, b, rw->from_len);
	array_bytes(PG_GETARG_DATUM(3), &b, &rw->to_len);
	rw->to_bytes = MemoryContextAlloc(ctx, rw->to_len);
	memcpy(rw->to_bytes, b, rw->to_len);
	return rw;
}

/* windows given twice (rows, partial states) must be the same weeks */
static void
windows_compare(const RateWindows *rw, int nwin, const DateADT *from, const DateADT *to)
{
	int			k;

	if (nwin != rw->nwin)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_weeks and to_weeks changed between rows: %d windows, then %d", rw->nwin, nwin),
				 errhint(WINDOWS_HINT)));
	for (k = 0; k < nwin; k++)
		if (from[k] != rw->from[k] || to[k] != rw->to[k])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("from_weeks and to_weeks changed between rows: window %d was the weeks of %s .. %s, then %s .. %s",
							k + 1, si_date_str(rw->from[k]), si_date_str(rw->to[k]),
							si_date_str(from[k]), si_date_str(to[k])),
					 errhint(WINDOWS_HINT)));
}

/* a later row: its windows must be those of the first row */
static void
windows_check_same(FunctionCallInfo fcinfo, RateWindows *rw)
{
	Datum		f,
				t;
	DateADT    *from,
			   *to;
	int			nwin;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		(void) windows_parse(fcinfo, &from, &to);	/* the NULL error */
	f = PG_GETARG_DATUM(2);
	t = PG_GETARG_DATUM(3);
	if (rw->args_stable && DatumGetPointer(f) == rw->from_ptr && DatumGetPointer(t) == rw->to_ptr)
		return;
	if (rw->from_bytes && same_bytes(f, rw->from_bytes, rw->from_len) &&
		same_bytes(t, rw->to_bytes, rw->to_len))
		return;
	/* other bytes: other days of the same weeks pass, other weeks are an error */
	nwin = windows_parse(fcinfo, &from, &to);
	windows_compare(rw, nwin, from, to);
}

/* ---- aggregate support functions ---- */

/*
 * selfsufficiency_states(path, from_weeks, to_weeks, profile [, weight])
 * transition: one row per person. Checks in the order of
 * selfsufficiency_state's: windows, profile, weight, then a NULL path
 * counts as paths_missing in every window.
 */
static RateWindows *
windows_add_row(FunctionCallInfo fcinfo, RateWindows *rw, MemoryContext ctx)
{
	const SiCodeMap *map;
	double		w = 1.0;
	int			k;

	if (rw == NULL)
		rw = windows_create(fcinfo, ctx);
	else
	{
		windows_check_same(fcinfo, rw);
		if (rw->scratch == NULL)
		{
			/* a state read back from its stored form takes rows too */
			rw->scratch = MemoryContextAlloc(ctx, sizeof(int64) * 2 * rw->nwin);
			rw->counts = MemoryContextAlloc(ctx, sizeof(int64) * RUNPATH_NSTATES * rw->nwin);
		}
	}
	map = si_codemap_get_arg(fcinfo, 4);
	if (PG_NARGS() > 5)
		w = si_rate_weight_arg(fcinfo, 5);
	if (PG_ARGISNULL(1))
	{
		for (k = 0; k < rw->nwin; k++)
			rw->st[k].paths_missing++;
		return rw;
	}
	si_path_windows_counts(PG_GETARG_DATUM(1), map, rw->nwin, rw->from, rw->to, rw->scratch,
						   rw->counts);
	for (k = 0; k < rw->nwin; k++)
		si_rate_add_person(&rw->st[k], rw->counts[k], w);
	return rw;
}

Datum
si_rates_windows_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;

	aggctx = si_agg_context(fcinfo, "selfsufficiency_states transition");
	PG_RETURN_POINTER(windows_add_row(fcinfo,
									  PG_ARGISNULL(0) ? NULL : (RateWindows *) PG_GETARG_POINTER(0),
									  aggctx));
}

/* b merged into a (a NULL: a copy of b in ctx, as b may live elsewhere) */
static RateWindows *
windows_merge(RateWindows *a, const RateWindows *b, MemoryContext ctx)
{
	int			k;

	if (a == NULL)
	{
		a = windows_alloc(ctx, b->nwin, false);
		memcpy(a->from, b->from, sizeof(DateADT) * b->nwin);
		memcpy(a->to, b->to, sizeof(DateADT) * b->nwin);
		memcpy(a->st, b->st, sizeof(RateState) * b->nwin);
		return a;
	}
	windows_compare(a, b->nwin, b->from, b->to);
	for (k = 0; k < a->nwin; k++)
		si_rate_merge(&a->st[k], &b->st[k]);
	return a;
}

/* window by window, selfsufficiency_combine's merge */
Datum
si_rates_windows_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	RateWindows *a,
			   *b;

	if (si_combine_begin(fcinfo, "selfsufficiency_states combine", &aggctx, (void **) &a, (void **) &b))
		return PointerGetDatum(a);
	PG_RETURN_POINTER(windows_merge(a, b, aggctx));
}

/*
 * Serialized form: byte version, int32 number of windows, per window
 * int32 first and last Monday, then per window int32 length and the
 * window's state in selfsufficiency_state's binary form.
 */
Datum
si_rates_windows_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(windows_serialize((RateWindows *) PG_GETARG_POINTER(0)));
}

static bytea *
windows_serialize(const RateWindows *rw)
{
	StringInfoData buf,
				one;
	int			k;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, WINDOWS_SERIAL_VERSION);
	pq_sendint32(&buf, rw->nwin);
	for (k = 0; k < rw->nwin; k++)
	{
		pq_sendint32(&buf, rw->from[k]);
		pq_sendint32(&buf, rw->to[k]);
	}
	initStringInfo(&one);
	for (k = 0; k < rw->nwin; k++)
	{
		resetStringInfo(&one);
		si_rate_send_fields(&one, &rw->st[k]);
		pq_sendint32(&buf, one.len);
		pq_sendbytes(&buf, one.data, one.len);
	}
	return pq_endtypsend(&buf);
}

/* the stored or sent form is also a type's input (its partial state type): bad bytes are bad input, 22P03 */
static void
serial_corrupt(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized selfsufficiency_states state: %s", why)));
}

Datum
si_rates_windows_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	aggctx = si_agg_context(fcinfo, "selfsufficiency_states deserialize");
	PG_RETURN_POINTER(windows_read(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), aggctx));
}

/* a serialized state read into ctx, every field validated */
static RateWindows *
windows_read(const char *data, int len, MemoryContext aggctx)
{
	StringInfoData buf;
	RateWindows *rw;
	int			v,
				nwin,
				k;

	buf.data = unconstify(char *, data);
	buf.len = buf.maxlen = len;
	buf.cursor = 0;
	if ((v = pq_getmsgbyte(&buf)) != WINDOWS_SERIAL_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("serialized selfsufficiency_states state version %d is not supported", v),
				 errhint("This build reads version %d; parallel workers must run the same socialinvest build.",
						 WINDOWS_SERIAL_VERSION)));
	nwin = pq_getmsgint(&buf, 4);
	if (nwin < 1 || nwin > MAX_WINDOWS || (int64) nwin * 8 > buf.len - buf.cursor)
		serial_corrupt("window count");
	rw = windows_alloc(aggctx, nwin, false);
	for (k = 0; k < nwin; k++)
	{
		rw->from[k] = pq_getmsgint(&buf, 4);
		rw->to[k] = pq_getmsgint(&buf, 4);
		if (DATE_NOT_FINITE(rw->from[k]) || DATE_NOT_FINITE(rw->to[k]) ||
			isoweek_monday(rw->from[k]) != rw->from[k] || isoweek_monday(rw->to[k]) != rw->to[k] ||
			rw->from[k] > rw->to[k])
			serial_corrupt("a window is not a pair of Mondays in order");
	}
	for (k = 0; k < nwin; k++)
	{
		StringInfoData one;
		int			len = pq_getmsgint(&buf, 4);

		if (len < 0 || len > buf.len - buf.cursor)
			serial_corrupt("state length");
		one.data = unconstify(char *, pq_getmsgbytes(&buf, len));
		one.len = one.maxlen = len;
		one.cursor = 0;
		si_rate_recv_fields(&one, &rw->st[k], "serialized");
	}
	pq_getmsgend(&buf);
	return rw;
}

/* the states as selfsufficiency_state[] (the state is not changed) */
Datum
si_rates_windows_final(PG_FUNCTION_ARGS)
{
	RateWindows *rw;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	rw = (RateWindows *) PG_GETARG_POINTER(0);
	return windows_result(fcinfo, rw);
}

static Datum
windows_result(FunctionCallInfo fcinfo, const RateWindows *rw)
{
	Oid			arrtype,
				elemtype;
	Datum	   *el;
	int			k;

	arrtype = get_fn_expr_rettype(fcinfo->flinfo);
	elemtype = OidIsValid(arrtype) ? get_element_type(arrtype) : InvalidOid;
	if (!OidIsValid(elemtype))
		elog(ERROR, "selfsufficiency_states: cannot determine the result element type");
	el = palloc(sizeof(Datum) * rw->nwin);
	for (k = 0; k < rw->nwin; k++)
		el[k] = PointerGetDatum(&rw->st[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(el, rw->nwin, elemtype, -1, false, TYPALIGN_DOUBLE));
}

/* ---- selfsufficiency_states_partial: the state as a real type (partial_state.h) ---- */

PG_FUNCTION_INFO_V1(si_rates_windows_partial_trans);
PG_FUNCTION_INFO_V1(si_rates_windows_partial_combine);
PG_FUNCTION_INFO_V1(si_rates_windows_partial_final);
PG_FUNCTION_INFO_V1(si_rates_windows_partial_in);
PG_FUNCTION_INFO_V1(si_rates_windows_partial_out);
PG_FUNCTION_INFO_V1(si_rates_windows_partial_recv);
PG_FUNCTION_INFO_V1(si_rates_windows_partial_send);

static bytea *
windows_kind_serialize(void *state)
{
	return windows_serialize((const RateWindows *) state);
}

static void *
windows_kind_deserialize(const char *data, int len, MemoryContext ctx)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	RateWindows *rw = windows_read(data, len, ctx);

	MemoryContextSwitchTo(old);
	return rw;
}

static void *
windows_kind_merge(void *a, const void *b, MemoryContext ctx)
{
	return windows_merge((RateWindows *) a, (const RateWindows *) b, ctx);
}

static const SiPartialKind windows_kind = {
	"selfsufficiency_states_partial", windows_kind_serialize, windows_kind_deserialize, windows_kind_merge
};

Datum
si_rates_windows_partial_trans(PG_FUNCTION_ARGS)
{
	SiPartial  *p = si_partial_arg_rw_fast(fcinfo, 0, &windows_kind, "selfsufficiency_states transition");

	if (p == NULL)
		p = si_partial_start(fcinfo, &windows_kind, "selfsufficiency_states transition");
	p->state = windows_add_row(fcinfo, (RateWindows *) p->state, p->hdr.eoh_context);
	return si_partial_datum(p);
}

Datum
si_rates_windows_partial_combine(PG_FUNCTION_ARGS)
{
	return si_partial_combine(fcinfo, &windows_kind, "selfsufficiency_states combine");
}

Datum
si_rates_windows_partial_final(PG_FUNCTION_ARGS)
{
	RateWindows *rw = (RateWindows *) si_partial_arg_ro(fcinfo, 0, &windows_kind);

	if (rw == NULL)
		PG_RETURN_NULL();
	return windows_result(fcinfo, rw);
}

Datum
si_rates_windows_partial_in(PG_FUNCTION_ARGS)
{
	return si_partial_in(PG_GETARG_CSTRING(0), &windows_kind);
}

Datum
si_rates_windows_partial_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(si_partial_out(PG_GETARG_DATUM(0), &windows_kind));
}

Datum
si_rates_windows_partial_recv(PG_FUNCTION_ARGS)
{
	return si_partial_recv((StringInfo) PG_GETARG_POINTER(0), &windows_kind);
}

Datum
si_rates_windows_partial_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(si_partial_send(PG_GETARG_DATUM(0), &windows_kind));
}
