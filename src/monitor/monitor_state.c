/*
 * monitor_state.c — indicator_state: the storable, mergeable state of one
 * monitoring indicator (docs/monitoring.md, docs/methods.md "Indicator
 * intervals"), and wilson_interval.
 *
 * Two kinds: a proportion (n outcomes counted, successes among them) and a
 * mean (n values, their mean and sum of squared deviations m2, Welford
 * updates and the Chan merge of src/math/proportion.c). The state is a
 * fixed-size varlena with a version byte; the text form is
 * "v=1;kind=proportion;n=..;successes=.." or "v=1;kind=mean;n=..;mean=..;m2=..",
 * floats shortest-exact, read and written by the helpers of state_io.c.
 * Counts merge exactly; means up to floating-point rounding.
 *
 * Owns the type's I/O, transitions and SQL accessors; the interval
 * formulas are proportion.c's (docs/methods.md, *Indicator intervals*) and
 * must not be written here.
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "proportion.h"
#include "state_io.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_indicator_in);
PG_FUNCTION_INFO_V1(si_indicator_out);
PG_FUNCTION_INFO_V1(si_indicator_recv);
PG_FUNCTION_INFO_V1(si_indicator_send);
PG_FUNCTION_INFO_V1(si_indicator_bool_trans);
PG_FUNCTION_INFO_V1(si_indicator_float_trans);
PG_FUNCTION_INFO_V1(si_indicator_combine);
PG_FUNCTION_INFO_V1(si_indicator_n);
PG_FUNCTION_INFO_V1(si_indicator_estimate);
PG_FUNCTION_INFO_V1(si_indicator_kind);
PG_FUNCTION_INFO_V1(si_indicator_interval);
PG_FUNCTION_INFO_V1(si_wilson_interval_sql);

#define INDICATOR_VERSION 1
#define TYPNAME "indicator_state"

typedef enum IndicatorKind
{
	IND_PROPORTION = 0,
	IND_MEAN = 1
} IndicatorKind;

static const char *const kind_names[] = {"proportion", "mean"};

typedef struct IndicatorState
{
	int32		vl_len_;
	uint8		version;
	uint8		pad[3];
	int32		kind;			/* IndicatorKind */
	int32		pad2;
	int64		n;				/* outcomes counted (non-NULL) */
	int64		successes;		/* proportion: true outcomes; mean: 0 */
	double		mean;			/* mean: running mean; proportion: 0 */
	double		m2;				/* mean: sum of squared deviations; proportion: 0 */
} IndicatorState;

/* text fields after "v=1;kind=..." */
static const SiStateField prop_fields[] = {
	{"n", 'i', offsetof(IndicatorState, n)},
	{"successes", 'i', offsetof(IndicatorState, successes)},
};
static const SiStateField mean_fields[] = {
	{"n", 'i', offsetof(IndicatorState, n)},
	{"mean", 'f', offsetof(IndicatorState, mean)},
	{"m2", 'f', offsetof(IndicatorState, m2)},
};

/* binary: every field, kind first */
static const SiStateField bin_fields[] = {
	{"kind", 'n', offsetof(IndicatorState, kind)},
	{"n", 'i', offsetof(IndicatorState, n)},
	{"successes", 'i', offsetof(IndicatorState, successes)},
	{"mean", 'f', offsetof(IndicatorState, mean)},
	{"m2", 'f', offsetof(IndicatorState, m2)},
};

static IndicatorState *
indicator_new(IndicatorKind kind)
{
	IndicatorState *st = palloc0(sizeof(IndicatorState));

	SET_VARSIZE(st, sizeof(IndicatorState));
	st->version = INDICATOR_VERSION;
	st->kind = kind;
	return st;
}

/* why a state read from text or binary input is inconsistent, or NULL */
static const char *
indicator_invalid(const IndicatorState *st)
{
	if (st->kind != IND_PROPORTION && st->kind != IND_MEAN)
		return "kind must be proportion or mean";
	if (st->n < 0 || st->successes < 0)
		return "counts must not be negative";
	if (!isfinite(st->mean) || !isfinite(st->m2))
		return "mean and m2 must be finite";
	if (st->kind == IND_PROPORTION)
	{
		if (st->successes > st->n)
			return "successes must not exceed n";
		if (st->mean != 0 || st->m2 != 0)
			return "a proportion has no mean or m2";
	}
	else
	{
		if (st->successes != 0)
			return "a mean has no successes";
		if (st->m2 < 0)
			return "m2 must not be negative";
		if (st->n == 0 && (st->mean != 0 || st->m2 != 0))
			return "an empty mean has mean = 0 and m2 = 0";
		if (st->n == 1 && st->m2 != 0)
			return "a mean of one value has m2 = 0";
	}
	return NULL;
}

static IndicatorState *
indicator_arg(FunctionCallInfo fcinfo, int argno)
{
	IndicatorState *st = (IndicatorState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE(st) >= offsetof(IndicatorState, pad) && st->version != INDICATOR_VERSION)
		si_state_version_error(TYPNAME, st->version, INDICATOR_VERSION);
	if (VARSIZE(st) != sizeof(IndicatorState))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s has %d bytes, expected %d", TYPNAME, (int) VARSIZE(st), (int) sizeof(IndicatorState))));
	if (st->kind != IND_PROPORTION && st->kind != IND_MEAN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s has an unknown kind %d", TYPNAME, st->kind)));
	return st;
}

Datum
si_indicator_in(PG_FUNCTION_ARGS)
{
	const char *s = PG_GETARG_CSTRING(0);
	const char *p = s;
	char	   *end;
	long		v;
	IndicatorState *st;
	const char *why;

	if (strncmp(p, "v=", 2) != 0)
		si_state_syntax_error(TYPNAME, s, "expected v=<version> first");
	p += 2;
	errno = 0;
	v = strtol(p, &end, 10);
	if (end == p || errno != 0)
		si_state_syntax_error(TYPNAME, s, "bad version");
	if (v != INDICATOR_VERSION)
		si_state_syntax_error(TYPNAME, s,
							  psprintf("version %ld is not supported; this build reads version %d",
									   v, INDICATOR_VERSION));
	p = end;
	if (strncmp(p, ";kind=proportion", 16) == 0 && (p[16] == ';' || p[16] == '\0'))
	{
		st = indicator_new(IND_PROPORTION);
		si_state_in_fields(s, p + 16, st, prop_fields, lengthof(prop_fields), TYPNAME);
	}
	else if (strncmp(p, ";kind=mean", 10) == 0 && (p[10] == ';' || p[10] == '\0'))
	{
		st = indicator_new(IND_MEAN);
		si_state_in_fields(s, p + 10, st, mean_fields, lengthof(mean_fields), TYPNAME);
	}
	else
		si_state_syntax_error(TYPNAME, s, "expected ;kind=proportion or ;kind=mean after the version");
	why = indicator_invalid(st);
	if (why)
		si_state_syntax_error(TYPNAME, s, why);
	PG_RETURN_POINTER(st);
}

Datum
si_indicator_out(PG_FUNCTION_ARGS)
{
	IndicatorState *st = indicator_arg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v=%d;kind=%s;n=" INT64_FORMAT, INDICATOR_VERSION,
					 kind_names[st->kind], st->n);
	if (st->kind == IND_PROPORTION)
		appendStringInfo(&buf, ";successes=" INT64_FORMAT, st->successes);
	else
	{
		appendStringInfoString(&buf, ";mean=");
		si_append_float(&buf, st->mean);
		appendStringInfoString(&buf, ";m2=");
		si_append_float(&buf, st->m2);
	}
	PG_RETURN_CSTRING(buf.data);
}

Datum
si_indicator_recv(PG_FUNCTION_ARGS)
{
	IndicatorState *st = indicator_new(IND_PROPORTION);
	const char *why;

	si_state_recv((StringInfo) PG_GETARG_POINTER(0), st, INDICATOR_VERSION, bin_fields,
				  lengthof(bin_fields), TYPNAME);
	why = indicator_invalid(st);
	if (why)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s binary value: %s", TYPNAME, why)));
	PG_RETURN_POINTER(st);
}

Datum
si_indicator_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	si_state_send(&buf, indicator_arg(fcinfo, 0), INDICATOR_VERSION, bin_fields, lengthof(bin_fields));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* the state in argument 0 to update: in place inside an aggregate, else a copy */
static IndicatorState *
indicator_target(FunctionCallInfo fcinfo, IndicatorKind kind)
{
	IndicatorState *st;

	if (PG_ARGISNULL(0))
		return indicator_new(kind);
	st = indicator_arg(fcinfo, 0);
	return (IndicatorState *) si_state_writable(fcinfo, st, sizeof(IndicatorState));
}

static void
check_kind(const IndicatorState *st, IndicatorKind want, const char *fed)
{
	if (st->kind != (int32) want)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an indicator_state of kind %s cannot take %s", kind_names[st->kind], fed),
				 errhint("Boolean outcomes make kind proportion, float8 outcomes kind mean; feed a state only outcomes of its kind.")));
}

/* indicator_state(outcome boolean) transition; NULL outcomes are not counted */
Datum
si_indicator_bool_trans(PG_FUNCTION_ARGS)
{
	IndicatorState *st = indicator_target(fcinfo, IND_PROPORTION);

	check_kind(st, IND_PROPORTION, "boolean outcomes");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	st->n = si_count_add(st->n, 1, TYPNAME, false);
	if (PG_GETARG_BOOL(1))
		st->successes++;
	PG_RETURN_POINTER(st);
}

/* The mean state's (n, mean, m2) as the maths of proportion.h reads them. */
static SiMeanVar
state_meanvar(const IndicatorState *st)
{
	SiMeanVar	mv = {st->n, st->mean, st->m2};

	return mv;
}

/* Store (n, mean, m2) back into the state; an overflow is an error. */
static void
set_meanvar(IndicatorState *st, const SiMeanVar *mv)
{
	st->n = mv->n;
	st->mean = mv->mean;
	st->m2 = mv->m2;
	if (!isfinite(st->mean) || !isfinite(st->m2))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the sum of squared deviations is out of range", TYPNAME),
				 errhint("Values whose squared spread exceeds about 1e308 cannot be summarised; rescale the outcome.")));
}

/* indicator_state(outcome float8) transition: Welford; NULL is not counted */
Datum
si_indicator_float_trans(PG_FUNCTION_ARGS)
{
	IndicatorState *st = indicator_target(fcinfo, IND_MEAN);
	SiMeanVar	mv;
	double		x;

	check_kind(st, IND_MEAN, "float8 outcomes");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	x = PG_GETARG_FLOAT8(1);
	if (!isfinite(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("indicator_state outcome must be finite, not %g", x),
				 errhint("Leave a missing outcome NULL (it is not counted); NaN and infinity have no mean.")));
	mv = state_meanvar(st);
	(void) si_count_add(mv.n, 1, TYPNAME, false);
	si_meanvar_add(&mv, x);
	set_meanvar(st, &mv);
	PG_RETURN_POINTER(st);
}

/* indicator_combine(a, b): exact for counts; Chan merge for means */
Datum
si_indicator_combine(PG_FUNCTION_ARGS)
{
	IndicatorState *a = indicator_target(fcinfo, IND_PROPORTION);
	IndicatorState *b = indicator_arg(fcinfo, 1);

	if (a->kind != b->kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge an indicator_state of kind %s with one of kind %s",
						kind_names[a->kind], kind_names[b->kind]),
				 errhint("Roll up states of one indicator at a time (group by the indicator).")));
	if (a->kind == IND_PROPORTION)
	{
		a->n = si_count_add(a->n, b->n, TYPNAME, true);
		a->successes = si_count_add(a->successes, b->successes, TYPNAME, true);
	}
	else
	{
		SiMeanVar	x = state_meanvar(a);
		SiMeanVar	y = state_meanvar(b);

		(void) si_count_add(a->n, b->n, TYPNAME, true);
		si_meanvar_merge(&x, &y);
		set_meanvar(a, &x);
	}
	PG_RETURN_POINTER(a);
}

Datum
si_indicator_n(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(indicator_arg(fcinfo, 0)->n);
}

Datum
si_indicator_kind(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(kind_names[indicator_arg(fcinfo, 0)->kind]));
}

/* share (proportion) or mean; NULL when nothing was counted */
Datum
si_indicator_estimate(PG_FUNCTION_ARGS)
{
	IndicatorState *st = indicator_arg(fcinfo, 0);

	if (st->n == 0)
		PG_RETURN_NULL();
	if (st->kind == IND_PROPORTION)
		PG_RETURN_FLOAT8((double) st->successes / (double) st->n);
	PG_RETURN_FLOAT8(st->mean);
}

static double
conf_level_arg(FunctionCallInfo fcinfo, int argno)
{
	double		c = si_float8_arg_not_null(fcinfo, argno, "conf_level",
										   "Give the coverage of the interval, e.g. 0.95 for 95% intervals.");

	if (!(c > 0.0 && c < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conf_level must lie strictly between 0 and 1 (got %g)", c),
				 errhint("conf_level is the coverage of the interval, e.g. 0.95 for 95%% intervals.")));
	return c;
}

/* a float8 Datum, NULL for NaN (no value) */
static void
put_float(Datum *v, bool *nulls, int i, double x)
{
	if (isnan(x))
		nulls[i] = true;
	else
		v[i] = Float8GetDatum(x);
}

/*
 * indicator_interval(state, conf_level) -> one row (estimate, std_error,
 * conf_low, conf_high, n): Wilson for a proportion, Student t for a mean.
 * A NULL state gives one row of NULLs (the row is never dropped).
 */
Datum
si_indicator_interval(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double		conf = conf_level_arg(fcinfo, 1);
	Datum		v[5] = {0};
	bool		nulls[5] = {true, true, true, true, true};

	InitMaterializedSRF(fcinfo, 0);
	if (!PG_ARGISNULL(0))
	{
		IndicatorState *st = indicator_arg(fcinfo, 0);
		double		est,
					se,
					lo,
					hi;

		if (st->kind == IND_PROPORTION)
		{
			(void) si_wilson_interval(st->successes, st->n, conf, &est, &lo, &hi);
			se = si_proportion_std_error(st->successes, st->n);
		}
		else
		{
			SiMeanVar	mv = state_meanvar(st);

			est = st->n > 0 ? st->mean : NAN;
			(void) si_mean_interval(&mv, conf, &se, &lo, &hi);
		}
		memset(nulls, 0, sizeof(nulls));
		put_float(v, nulls, 0, est);
		put_float(v, nulls, 1, se);
		put_float(v, nulls, 2, lo);
		put_float(v, nulls, 3, hi);
		v[4] = Int64GetDatum(st->n);
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	return (Datum) 0;
}

static int64
count_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	int64		x = PG_GETARG_INT64(argno);

	if (x < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative, not " INT64_FORMAT, name, x),
				 errhint("successes and n are counts: 0 <= successes <= n.")));
	return x;
}

/*
 * wilson_interval(successes, n, conf_level) -> one row (estimate,
 * conf_low, conf_high). n = 0 or a NULL count: a row of NULLs.
 */
Datum
si_wilson_interval_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double		conf = conf_level_arg(fcinfo, 2);
	Datum		v[3] = {0};
	bool		nulls[3] = {true, true, true};

	InitMaterializedSRF(fcinfo, 0);
	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
	{
		int64		x = count_arg(fcinfo, 0, "successes");
		int64		n = count_arg(fcinfo, 1, "n");
		double		est,
					lo,
					hi;

		if (x > n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("successes (" INT64_FORMAT ") must not exceed n (" INT64_FORMAT ")", x, n),
					 errhint("successes counts the outcomes that are true among the n counted.")));
		(void) si_wilson_interval(x, n, conf, &est, &lo, &hi);
		memset(nulls, 0, sizeof(nulls));
		put_float(v, nulls, 0, est);
		put_float(v, nulls, 1, lo);
		put_float(v, nulls, 2, hi);
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	return (Datum) 0;
}
