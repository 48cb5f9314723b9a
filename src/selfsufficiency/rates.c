/*
 * rates.c — two-step group aggregates over benefit paths: the
 * self-sufficiency rate state (person- and week-weighted, weights, min_n)
 * and the full-time-equivalent state (docs/methods.md, M2 and M4).
 *
 * States are fixed-size versioned varlenas; transitions update them in
 * place inside an aggregate; combines are sums and a Chan/West merge of
 * the weighted mean and sum of squares, so partial states merge exactly
 * up to floating-point rounding.
 *
 * Owns: both state types' fields, validation, transitions, combines and
 * accessors (formulas: docs/methods.md, *Group rates, full-time
 * equivalents, Kaplan–Meier*). Must not touch: the fixed-layout text and
 * binary I/O (common/state_io.c), reading paths (paths/path.c).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "path.h"
#include "rates.h"
#include "state_io.h"
#include "si_common.h"
#include "isoweek.h"

PG_FUNCTION_INFO_V1(si_rate_in);
PG_FUNCTION_INFO_V1(si_rate_out);
PG_FUNCTION_INFO_V1(si_rate_recv);
PG_FUNCTION_INFO_V1(si_rate_send);
PG_FUNCTION_INFO_V1(si_rate_trans);
PG_FUNCTION_INFO_V1(si_rate_combine);
PG_FUNCTION_INFO_V1(si_rate_person_weighted);
PG_FUNCTION_INFO_V1(si_rate_week_weighted);
PG_FUNCTION_INFO_V1(si_rate_stderr);
PG_FUNCTION_INFO_V1(si_rate_counts);
PG_FUNCTION_INFO_V1(si_rate_oneshot_final);
PG_FUNCTION_INFO_V1(si_fte_in);
PG_FUNCTION_INFO_V1(si_fte_out);
PG_FUNCTION_INFO_V1(si_fte_recv);
PG_FUNCTION_INFO_V1(si_fte_send);
PG_FUNCTION_INFO_V1(si_fte_trans);
PG_FUNCTION_INFO_V1(si_fte_combine);
PG_FUNCTION_INFO_V1(si_fte_value);
PG_FUNCTION_INFO_V1(si_fte_persons);
PG_FUNCTION_INFO_V1(si_fte_avg_weeks);
PG_FUNCTION_INFO_V1(si_fte_weeks);

#define FTE_VERSION 1

static const SiStateField rate_fields[] = {
	{"persons", 'i', offsetof(RateState, persons)},
	{"persons_unobserved", 'i', offsetof(RateState, persons_unobserved)},
	{"paths_missing", 'i', offsetof(RateState, paths_missing)},
	{"self_weeks", 'i', offsetof(RateState, self_weeks)},
	{"observed_weeks", 'i', offsetof(RateState, observed_weeks)},
	{"censored_weeks", 'i', offsetof(RateState, censored_weeks)},
	{"unknown_weeks", 'i', offsetof(RateState, unknown_weeks)},
	{"unobserved_weeks", 'i', offsetof(RateState, unobserved_weeks)},
	{"sum_w", 'f', offsetof(RateState, sum_w)},
	{"mean", 'f', offsetof(RateState, mean)},
	{"m2", 'f', offsetof(RateState, m2)},
	{"w_self", 'f', offsetof(RateState, w_self)},
	{"w_observed", 'f', offsetof(RateState, w_observed)},
};
#define RATE_NFIELDS lengthof(rate_fields)

void
si_rate_init(RateState *st)
{
	memset(st, 0, sizeof(RateState));
	SET_VARSIZE(st, sizeof(RateState));
	st->version = RATE_VERSION;
}

static RateState *
rate_new(void)
{
	RateState  *st = palloc(sizeof(RateState));

	si_rate_init(st);
	return st;
}

static void
rate_validate(const RateState *st, const char *what)
{
	const char *bad = NULL;

	if (st->persons < 0 || st->persons_unobserved < 0 || st->paths_missing < 0 ||
		st->self_weeks < 0 || st->observed_weeks < 0 || st->censored_weeks < 0 ||
		st->unknown_weeks < 0 || st->unobserved_weeks < 0)
		bad = "counts must not be negative";
	else if (st->self_weeks > st->observed_weeks || st->unknown_weeks > st->observed_weeks)
		bad = "self_weeks and unknown_weeks must not exceed observed_weeks";
	else if (!(st->sum_w >= 0) || !(st->m2 >= 0) || !(st->w_self >= 0) || !(st->w_observed >= st->w_self))
		bad = "weights and sums must be >= 0 and w_self <= w_observed";
	else if ((st->persons == 0) != (st->sum_w == 0))
		bad = "sum_w must be positive exactly when persons > 0";
	else if (st->persons > 0 && (st->observed_weeks < st->persons || !(st->w_observed > 0)))
		bad = "every person with a share has an observed week: observed_weeks >= persons and w_observed > 0";
	else if (st->mean < 0 || st->mean > 1)
		bad = "mean must lie in [0, 1]";
	if (bad)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s selfsufficiency_state: %s", what, bad)));
}

static RateState *
rate_arg(FunctionCallInfo fcinfo, int argno)
{
	RateState  *st = (RateState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE(st) != sizeof(RateState) || st->version != RATE_VERSION)
	{
		if (VARSIZE(st) >= offsetof(RateState, persons) && st->version != RATE_VERSION)
			si_state_version_error("selfsufficiency_state", st->version, RATE_VERSION);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("selfsufficiency_state has %d bytes, expected %d", (int) VARSIZE(st), (int) sizeof(RateState))));
	}
	return st;
}

/*
 * Weighted sums past the double range become Infinity, which the text
 * input rightly refuses: a state that cannot be written and read back.
 */
static void
rate_check_finite(const RateState *st)
{
	if (!isfinite(st->sum_w) || !isfinite(st->mean) || !isfinite(st->m2) ||
		!isfinite(st->w_self) || !isfinite(st->w_observed))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("selfsufficiency_state weighted sums are out of range"),
				 errhint("Weights times weeks must stay below about 1e308; rescale the weights.")));
}

Datum
si_rate_in(PG_FUNCTION_ARGS)
{
	RateState  *st = rate_new();

	si_state_in(PG_GETARG_CSTRING(0), st, RATE_VERSION, rate_fields, RATE_NFIELDS, "selfsufficiency_state");
	st->version = RATE_VERSION;
	rate_validate(st, "text");
	PG_RETURN_POINTER(st);
}

Datum
si_rate_out(PG_FUNCTION_ARGS)
{
	RateState  *st = rate_arg(fcinfo, 0);

	PG_RETURN_CSTRING(si_state_out(st, RATE_VERSION, rate_fields, RATE_NFIELDS));
}

void
si_rate_recv_fields(StringInfo buf, RateState *st, const char *what)
{
	si_rate_init(st);
	si_state_recv(buf, st, RATE_VERSION, rate_fields, RATE_NFIELDS, "selfsufficiency_state");
	st->version = RATE_VERSION;
	rate_validate(st, what);
}

void
si_rate_send_fields(StringInfo buf, const RateState *st)
{
	si_state_send(buf, st, RATE_VERSION, rate_fields, RATE_NFIELDS);
}

Datum
si_rate_recv(PG_FUNCTION_ARGS)
{
	RateState  *st = palloc(sizeof(RateState));

	si_rate_recv_fields((StringInfo) PG_GETARG_POINTER(0), st, "binary");
	PG_RETURN_POINTER(st);
}

Datum
si_rate_send(PG_FUNCTION_ARGS)
{
	RateState  *st = rate_arg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	si_rate_send_fields(&buf, st);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* the state to update: in place inside an aggregate, else a copy */
static RateState *
rate_target(FunctionCallInfo fcinfo)
{
	RateState  *st;

	if (PG_ARGISNULL(0))
		return rate_new();
	st = rate_arg(fcinfo, 0);
	return (RateState *) si_state_writable(fcinfo, st, sizeof(RateState));
}

static void
rate_add_share(RateState *st, double x, double w)
{
	double		delta;

	st->sum_w += w;
	delta = x - st->mean;
	st->mean += delta * w / st->sum_w;
	st->m2 += w * delta * (x - st->mean);
	/* shares lie in [0, 1]: keep rounding from stepping outside */
	st->mean = Min(Max(st->mean, 0.0), 1.0);
	if (st->m2 < 0)
		st->m2 = 0;
}

double
si_rate_weight_arg(FunctionCallInfo fcinfo, int argno)
{
	double		w = si_float8_arg_not_null(fcinfo, argno, "weight",
										   "Give every person a positive finite weight (1 for none).");

	if (!(w > 0) || !isfinite(w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be positive and finite, not %g", w)));
	return w;
}

/*
 * One person: the week counts of the window and the person's share. The
 * only update of a rate state by a person (both aggregates use it).
 */
void
si_rate_add_person(RateState *st, const int64 n[RUNPATH_NSTATES], double w)
{
	int64		obs = n[RUNPATH_SELF] + n[RUNPATH_BENEFIT] + n[RUNPATH_UNKNOWN];

	const char *tn = "selfsufficiency_state";

	/* a state can come from text input: its counts may be near the limit */
	st->self_weeks = si_count_add(st->self_weeks, n[RUNPATH_SELF], tn, false);
	st->observed_weeks = si_count_add(st->observed_weeks, obs, tn, false);
	st->censored_weeks = si_count_add(st->censored_weeks, n[RUNPATH_CENSORED], tn, false);
	st->unknown_weeks = si_count_add(st->unknown_weeks, n[RUNPATH_UNKNOWN], tn, false);
	st->unobserved_weeks = si_count_add(st->unobserved_weeks, n[RUNPATH_UNOBSERVED], tn, false);
	if (obs == 0)
		st->persons_unobserved = si_count_add(st->persons_unobserved, 1, tn, false);
	else
	{
		st->persons = si_count_add(st->persons, 1, tn, false);
		rate_add_share(st, (double) n[RUNPATH_SELF] / (double) obs, w);
		st->w_self += w * n[RUNPATH_SELF];
		st->w_observed += w * obs;
		rate_check_finite(st);
	}
}

/*
 * selfsufficiency_state(path, from_week, to_week, profile [, weight])
 * transition: one row per person.
 */
Datum
si_rate_trans(PG_FUNCTION_ARGS)
{
	RateState  *st = rate_target(fcinfo);
	DateADT		f = si_week_arg(fcinfo, 2, "from_week");
	DateADT		t = si_week_arg(fcinfo, 3, "to_week");
	const SiCodeMap *map = si_codemap_get_arg(fcinfo, 4);
	double		w = 1.0;
	int64		n[RUNPATH_NSTATES];

	si_check_window(f, t);
	if (PG_NARGS() > 5)
		w = si_rate_weight_arg(fcinfo, 5);
	if (PG_ARGISNULL(1))
	{
		st->paths_missing = si_count_add(st->paths_missing, 1, "selfsufficiency_state", false);
		PG_RETURN_POINTER(st);
	}
	si_path_window_counts(PG_GETARG_DATUM(1), map, f, t, n, NULL);
	si_rate_add_person(st, n, w);
	PG_RETURN_POINTER(st);
}

void
si_rate_merge(RateState *a, const RateState *b)
{
	if (b->sum_w > 0)
	{
		double		n = a->sum_w + b->sum_w;
		double		delta = b->mean - a->mean;

		a->m2 = a->m2 + b->m2 + delta * delta * a->sum_w * b->sum_w / n;
		a->mean = Min(Max(a->mean + delta * b->sum_w / n, 0.0), 1.0);
		a->sum_w = n;
	}
	si_state_add_counts(a, b, rate_fields, RATE_NFIELDS, "selfsufficiency_state");
	a->w_self += b->w_self;
	a->w_observed += b->w_observed;
	rate_check_finite(a);
}

/* selfsufficiency_combine(a, b): strict; in place on a inside aggregates */
Datum
si_rate_combine(PG_FUNCTION_ARGS)
{
	RateState  *a = rate_target(fcinfo);
	RateState  *b = rate_arg(fcinfo, 1);

	si_rate_merge(a, b);
	PG_RETURN_POINTER(a);
}

static int32
min_n_arg(FunctionCallInfo fcinfo, int argno)
{
	int32		m;

	if (PG_NARGS() <= argno)
		return 0;
	m = si_int_arg(fcinfo, argno, "min_n");
	if (m < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_n must not be negative, not %d", m)));
	return m;
}

/* rate_person_weighted(state, min_n): weighted mean of the persons' shares */
Datum
si_rate_person_weighted(PG_FUNCTION_ARGS)
{
	RateState  *st;
	int32		m = min_n_arg(fcinfo, 1);

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = rate_arg(fcinfo, 0);
	if (st->persons == 0 || st->persons < m)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(st->mean);
}

/* rate_week_weighted(state, min_n): self weeks / observed weeks (weighted) */
Datum
si_rate_week_weighted(PG_FUNCTION_ARGS)
{
	RateState  *st;
	int32		m = min_n_arg(fcinfo, 1);

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = rate_arg(fcinfo, 0);
	if (st->persons == 0 || st->persons < m)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(st->w_self / st->w_observed);
}

/*
 * rate_stderr(state, min_n): standard error of the person-weighted mean,
 * weights read as frequency weights: sqrt(m2 / (W - 1) / W).
 */
Datum
si_rate_stderr(PG_FUNCTION_ARGS)
{
	RateState  *st;
	int32		m = min_n_arg(fcinfo, 1);

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = rate_arg(fcinfo, 0);
	if (st->persons < 2 || st->persons < m || st->sum_w <= 1)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sqrt(st->m2 / (st->sum_w - 1) / st->sum_w));
}

/* rate_counts(state) -> selfsufficiency_counts */
Datum
si_rate_counts(PG_FUNCTION_ARGS)
{
	RateState  *st = rate_arg(fcinfo, 0);
	TupleDesc	td;
	Datum		v[9];
	bool		nulls[9] = {0};

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "rate_counts: return type must be a row type");
	td = BlessTupleDesc(td);
	v[0] = Int64GetDatum(st->persons);
	v[1] = Int64GetDatum(st->persons_unobserved);
	v[2] = Int64GetDatum(st->paths_missing);
	v[3] = Int64GetDatum(st->self_weeks);
	v[4] = Int64GetDatum(st->observed_weeks);
	v[5] = Int64GetDatum(st->censored_weeks);
	v[6] = Int64GetDatum(st->unknown_weeks);
	v[7] = Int64GetDatum(st->unobserved_weeks);
	v[8] = Float8GetDatum(st->sum_w);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

/* final function of the one-shot selfsufficiency_rate aggregate */
Datum
si_rate_oneshot_final(PG_FUNCTION_ARGS)
{
	RateState  *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = rate_arg(fcinfo, 0);
	if (st->persons == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(st->mean);
}

/* ---- full-time equivalents (M4) ---- */

typedef struct FteState
{
	int32		vl_len_;
	int32		version;
	int32		period_weeks;	/* |P|; 0 before the first person */
	int32		pad;
	int64		persons;		/* persons fed (NULL paths included) */
	int64		persons_in_set; /* persons with >= 1 week in the categories */
	int64		weeks;			/* sum of their weeks in the categories */
} FteState;

static const SiStateField fte_fields[] = {
	{"period_weeks", 'n', offsetof(FteState, period_weeks)},
	{"persons", 'i', offsetof(FteState, persons)},
	{"persons_in_set", 'i', offsetof(FteState, persons_in_set)},
	{"weeks", 'i', offsetof(FteState, weeks)},
};
#define FTE_NFIELDS lengthof(fte_fields)

static FteState *
fte_new(void)
{
	FteState   *st = palloc0(sizeof(FteState));

	SET_VARSIZE(st, sizeof(FteState));
	st->version = FTE_VERSION;
	return st;
}

/* weeks > period_weeks * persons, without overflowing the product */
static bool
fte_weeks_exceed(const FteState *st)
{
	int64		cap;

	if (pg_mul_s64_overflow((int64) st->period_weeks, st->persons, &cap))
		return false;			/* the product exceeds any int64 weeks */
	return st->weeks > cap;
}

static void
fte_validate(const FteState *st, const char *what)
{
	if (st->period_weeks < 0 || st->persons < 0 || st->persons_in_set < 0 || st->weeks < 0 ||
		st->persons_in_set > st->persons || st->weeks < st->persons_in_set ||
		(st->period_weeks == 0 && st->persons > 0) ||
		fte_weeks_exceed(st))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s fte_state: inconsistent counts", what),
				 errhint("Need persons_in_set <= persons, persons_in_set <= weeks <= period_weeks * persons.")));
}

static FteState *
fte_arg(FunctionCallInfo fcinfo, int argno)
{
	FteState   *st = (FteState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE(st) != sizeof(FteState) || st->version != FTE_VERSION)
	{
		if (VARSIZE(st) >= offsetof(FteState, period_weeks) && st->version != FTE_VERSION)
			si_state_version_error("fte_state", st->version, FTE_VERSION);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("fte_state has %d bytes, expected %d", (int) VARSIZE(st), (int) sizeof(FteState))));
	}
	return st;
}

Datum
si_fte_in(PG_FUNCTION_ARGS)
{
	FteState   *st = fte_new();

	si_state_in(PG_GETARG_CSTRING(0), st, FTE_VERSION, fte_fields, FTE_NFIELDS, "fte_state");
	fte_validate(st, "text");
	PG_RETURN_POINTER(st);
}

Datum
si_fte_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(si_state_out(fte_arg(fcinfo, 0), FTE_VERSION, fte_fields, FTE_NFIELDS));
}

Datum
si_fte_recv(PG_FUNCTION_ARGS)
{
	FteState   *st = fte_new();

	si_state_recv((StringInfo) PG_GETARG_POINTER(0), st, FTE_VERSION, fte_fields, FTE_NFIELDS, "fte_state");
	fte_validate(st, "binary");
	PG_RETURN_POINTER(st);
}

Datum
si_fte_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	si_state_send(&buf, fte_arg(fcinfo, 0), FTE_VERSION, fte_fields, FTE_NFIELDS);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static FteState *
fte_target(FunctionCallInfo fcinfo)
{
	FteState   *st;

	if (PG_ARGISNULL(0))
		return fte_new();
	st = fte_arg(fcinfo, 0);
	return (FteState *) si_state_writable(fcinfo, st, sizeof(FteState));
}

static void
fte_period(FteState *st, int32 weeks)
{
	if (st->period_weeks == 0)
		st->period_weeks = weeks;
	else if (st->period_weeks != weeks)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("full-time equivalents need one period length: %d weeks and %d weeks were given",
						st->period_weeks, weeks),
				 errhint("Full-time equivalents divide by the number of weeks in the period |P|; give every person a window of the same length.")));
}

/* fte_state(path, from_week, to_week, categories) transition */
Datum
si_fte_trans(PG_FUNCTION_ARGS)
{
	FteState   *st = fte_target(fcinfo);
	DateADT		f = si_week_arg(fcinfo, 2, "from_week");
	DateADT		t = si_week_arg(fcinfo, 3, "to_week");
	const SiCodeMap *map = si_codemap_get(fcinfo, "strict");
	bool	   *want;
	SiPath		p;
	int64		w;

	si_check_window(f, t);
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("categories must not be NULL"),
				 errhint("Give an array of benefit categories, e.g. ARRAY['kontanthjaelp'].")));
	want = si_category_set(map, PG_GETARG_ARRAYTYPE_P(4));
	fte_period(st, (int32) (((int64) isoweek_monday(t) - isoweek_monday(f)) / 7 + 1));
	st->persons = si_count_add(st->persons, 1, "fte_state", false);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	si_path_decode(PG_GETARG_DATUM(1), &p);
	w = si_path_weeks_in_set(&p, map, want, si_path_week_index(&p, f), si_path_week_index(&p, t));
	if (w > 0)
	{
		st->persons_in_set = si_count_add(st->persons_in_set, 1, "fte_state", false);
		st->weeks = si_count_add(st->weeks, w, "fte_state", false);
	}
	PG_RETURN_POINTER(st);
}

Datum
si_fte_combine(PG_FUNCTION_ARGS)
{
	FteState   *a = fte_target(fcinfo);
	FteState   *b = fte_arg(fcinfo, 1);

	if (b->period_weeks > 0)
		fte_period(a, b->period_weeks);
	si_state_add_counts(a, b, fte_fields, FTE_NFIELDS, "fte_state");
	PG_RETURN_POINTER(a);
}

/* fte(state): sum of weeks in the categories / |P| */
Datum
si_fte_value(PG_FUNCTION_ARGS)
{
	FteState   *st = fte_arg(fcinfo, 0);

	if (st->period_weeks == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st->weeks / (double) st->period_weeks);
}

Datum
si_fte_persons(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(fte_arg(fcinfo, 0)->persons_in_set);
}

/* fte_avg_weeks(state): ftp / persons * |P| = weeks / persons in the set */
Datum
si_fte_avg_weeks(PG_FUNCTION_ARGS)
{
	FteState   *st = fte_arg(fcinfo, 0);

	if (st->persons_in_set == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st->weeks / (double) st->persons_in_set);
}

Datum
si_fte_weeks(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(fte_arg(fcinfo, 0)->weeks);
}
