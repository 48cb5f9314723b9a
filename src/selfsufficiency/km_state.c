/*
 * km_state.c — Kaplan-Meier time to self-sufficiency as a two-step
 * aggregate: km_state(path, anchor, k, profile) collects per-time counts
 * of events and right-censorings (exactly mergeable), km_rollup/km_combine
 * merge states, and the accessors compute the curve (math/km.c).
 *
 * Time = weeks from the anchor week to the first week on or after it that
 * starts k consecutive self-supporting weeks (the event). Without an
 * event the person is censored at the last start week whose outcome is
 * known: the last observed (uncensored, inside the path) week minus k-1.
 * A person with no such week is excluded and counted.
 *
 * Owns: the km_state type (I/O, validation), its aggregates and the SQL
 * accessors. Must not touch: the estimator (math/km.c; formulas in
 * docs/methods.md, *Group rates, full-time equivalents, Kaplan–Meier*),
 * the week states of a path (paths/path.c).
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "distributions.h"
#include "km.h"
#include "path.h"
#include "state_io.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_km_in);
PG_FUNCTION_INFO_V1(si_km_out);
PG_FUNCTION_INFO_V1(si_km_recv);
PG_FUNCTION_INFO_V1(si_km_send);
PG_FUNCTION_INFO_V1(si_km_trans);
PG_FUNCTION_INFO_V1(si_km_final);
PG_FUNCTION_INFO_V1(si_km_combine);
PG_FUNCTION_INFO_V1(si_km_curve);
PG_FUNCTION_INFO_V1(si_km_median);
PG_FUNCTION_INFO_V1(si_km_share_by);
PG_FUNCTION_INFO_V1(si_km_persons);
PG_FUNCTION_INFO_V1(si_km_excluded);

#define KM_VERSION 1

typedef struct KmState
{
	int32		vl_len_;
	int32		version;
	int32		k;				/* 0 until the first person */
	int32		npoints;
	int32		capacity;
	int32		pad;
	int64		excluded;
	KmPoint		points[FLEXIBLE_ARRAY_MEMBER];	/* by time, ascending */
} KmState;

#define KM_SIZE(cap) (offsetof(KmState, points) + sizeof(KmPoint) * (cap))

static KmState *
km_alloc(int32 cap)
{
	KmState    *st = palloc0(KM_SIZE(cap));

	SET_VARSIZE(st, KM_SIZE(cap));
	st->version = KM_VERSION;
	st->capacity = cap;
	return st;
}

static void
km_bad(const char *what, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s km_state: %s", what, why),
			 errhint("States are written by km_state(); give their output unchanged.")));
}

/*
 * The curve sums counts (persons at risk = all later events and
 * censorings): keep every such sum, and the persons including the
 * excluded ones, inside int64, so no count can wrap to a negative number
 * and no survival can leave [0, 1].
 */
static void
km_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("km_state counts are out of range"),
			 errhint("The persons of a state (events, censorings and excluded) must add up to at most %lld.",
					 (long long) PG_INT64_MAX)));
}

static void
km_check_total(const KmState *st)
{
	int64		total = st->excluded;
	int			i;

	for (i = 0; i < st->npoints; i++)
	{
		if (pg_add_s64_overflow(total, st->points[i].events, &total) ||
			pg_add_s64_overflow(total, st->points[i].censored, &total))
			km_overflow();
	}
}

static void
km_validate(const KmState *st, const char *what)
{
	int			i;

	if (st->k < 0 || st->excluded < 0 || st->npoints < 0 || st->npoints > st->capacity)
		km_bad(what, "bad header");
	if (st->npoints > 0 && st->k == 0)
		km_bad(what, "k must be set when there are points");
	for (i = 0; i < st->npoints; i++)
	{
		const KmPoint *p = &st->points[i];

		if (p->time < 0 || p->events < 0 || p->censored < 0 ||
			(p->events == 0 && p->censored == 0))
			km_bad(what, "times must be >= 0 and counts >= 0 with at least one person");
		if (i > 0 && p->time <= st->points[i - 1].time)
			km_bad(what, "times must increase");
	}
	km_check_total(st);
}

static KmState *
km_arg(FunctionCallInfo fcinfo, int argno)
{
	KmState    *st = (KmState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE(st) < offsetof(KmState, points))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("km_state is too short")));
	if (st->version != KM_VERSION)
		si_state_version_error("km_state", st->version, KM_VERSION);
	if (st->capacity < 0 || VARSIZE(st) != KM_SIZE(st->capacity) || st->npoints > st->capacity)
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("km_state is damaged")));
	return st;
}

/* add counts at a time: in place if there is room, else a larger copy */
static KmState *
km_add(KmState *st, int32 time, int64 events, int64 censored)
{
	int			lo = 0,
				hi = st->npoints;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (st->points[mid].time < time)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->npoints && st->points[lo].time == time)
	{
		if (pg_add_s64_overflow(st->points[lo].events, events, &st->points[lo].events) ||
			pg_add_s64_overflow(st->points[lo].censored, censored, &st->points[lo].censored))
			km_overflow();
		return st;
	}
	if (st->npoints == st->capacity)
	{
		KmState    *n = km_alloc(Max(16, st->capacity * 2));

		memcpy(n, st, KM_SIZE(st->npoints));
		SET_VARSIZE(n, KM_SIZE(Max(16, st->capacity * 2)));
		n->capacity = Max(16, st->capacity * 2);
		st = n;
	}
	memmove(&st->points[lo + 1], &st->points[lo], sizeof(KmPoint) * (st->npoints - lo));
	st->points[lo].time = time;
	st->points[lo].pad = 0;
	st->points[lo].events = events;
	st->points[lo].censored = censored;
	st->npoints++;
	return st;
}

static KmState *
km_compact(const KmState *st)
{
	KmState    *c = km_alloc(st->npoints);

	memcpy(c, st, KM_SIZE(st->npoints));
	SET_VARSIZE(c, KM_SIZE(st->npoints));
	c->capacity = st->npoints;
	return c;
}

Datum
si_km_out(PG_FUNCTION_ARGS)
{
	KmState    *st = km_arg(fcinfo, 0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v=%d;k=%d;excluded=" INT64_FORMAT ";points=", KM_VERSION, st->k, st->excluded);
	for (i = 0; i < st->npoints; i++)
		appendStringInfo(&buf, "%s%d:" INT64_FORMAT "/" INT64_FORMAT, i ? "," : "",
						 st->points[i].time, st->points[i].events, st->points[i].censored);
	PG_RETURN_CSTRING(buf.data);
}

static bool
read_int64(const char **p, int64 *v)
{
	char	   *end;

	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*v = strtoll(*p, &end, 10);
	if (errno != 0)
		return false;
	*p = end;
	return true;
}

Datum
si_km_in(PG_FUNCTION_ARGS)
{
	const char *s = PG_GETARG_CSTRING(0);
	const char *p = s;
	int64		v,
				k,
				excl;
	KmState    *st;
	int			n = 0;

	if (strncmp(p, "v=", 2) != 0)
		km_bad("text", "expected v=<version> first");
	p += 2;
	if (!read_int64(&p, &v))
		km_bad("text", "bad version");
	if (v != KM_VERSION)
		si_state_version_error("km_state", (int) v, KM_VERSION);
	if (strncmp(p, ";k=", 3) != 0)
		km_bad("text", "expected ;k=");
	p += 3;
	if (!read_int64(&p, &k) || k > PG_INT32_MAX)
		km_bad("text", "bad k");
	if (strncmp(p, ";excluded=", 10) != 0)
		km_bad("text", "expected ;excluded=");
	p += 10;
	if (!read_int64(&p, &excl))
		km_bad("text", "bad excluded");
	if (strncmp(p, ";points=", 8) != 0)
		km_bad("text", "expected ;points=");
	p += 8;
	{
		const char *c;

		for (c = p; *c; c++)
			if (*c == ',')
				n++;
	}
	st = km_alloc(n + 1);
	st->k = (int32) k;
	st->excluded = excl;
	while (*p)
	{
		int64		t,
					e,
					c;

		if (!read_int64(&p, &t) || t > PG_INT32_MAX || *p++ != ':' ||
			!read_int64(&p, &e) || *p++ != '/' || !read_int64(&p, &c))
			km_bad("text", "points are <week>:<events>/<censored>,...");
		if (st->npoints >= st->capacity)
			km_bad("text", "too many points");
		st->points[st->npoints].time = (int32) t;
		st->points[st->npoints].events = e;
		st->points[st->npoints].censored = c;
		st->npoints++;
		if (*p == ',')
		{
			p++;
			if (*p == '\0')
				km_bad("text", "trailing comma");
		}
		else if (*p != '\0')
			km_bad("text", "unexpected characters");
	}
	km_validate(st, "text");
	PG_RETURN_POINTER(km_compact(st));
}

Datum
si_km_send(PG_FUNCTION_ARGS)
{
	KmState    *st = km_arg(fcinfo, 0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KM_VERSION);
	pq_sendint32(&buf, st->k);
	pq_sendint64(&buf, st->excluded);
	pq_sendint32(&buf, st->npoints);
	for (i = 0; i < st->npoints; i++)
	{
		pq_sendint32(&buf, st->points[i].time);
		pq_sendint64(&buf, st->points[i].events);
		pq_sendint64(&buf, st->points[i].censored);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
si_km_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			v = pq_getmsgbyte(buf);
	int32		k,
				n,
				i;
	int64		excl;
	KmState    *st;

	if (v != KM_VERSION)
		si_state_version_error("km_state", v, KM_VERSION);
	k = pq_getmsgint(buf, 4);
	excl = pq_getmsgint64(buf);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || (int64) n * 20 != buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid km_state binary value: %d points in %d bytes", n, buf->len - buf->cursor)));
	st = km_alloc(n);
	st->k = k;
	st->excluded = excl;
	for (i = 0; i < n; i++)
	{
		st->points[i].time = pq_getmsgint(buf, 4);
		st->points[i].events = pq_getmsgint64(buf);
		st->points[i].censored = pq_getmsgint64(buf);
	}
	st->npoints = n;
	pq_getmsgend(buf);
	km_validate(st, "binary");
	PG_RETURN_POINTER(st);
}

static void
km_check_k(KmState *st, int32 k)
{
	if (st->k == 0)
		st->k = k;
	else if (st->k != k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Kaplan-Meier states with different k (%d and %d) cannot be combined", st->k, k),
				 errhint("The event is the start of k consecutive self-supporting weeks; use one k per curve.")));
}

/* km_state(path, anchor, k, profile) transition */
Datum
si_km_trans(PG_FUNCTION_ARGS)
{
	KmState    *st;
	DateADT		anchor = si_week_arg(fcinfo, 2, "anchor");
	int32		k = si_int_arg(fcinfo, 3, "k");
	const SiCodeMap *map = si_codemap_get_arg(fcinfo, 4);
	SiPath		p;
	RunpathStateRun *sr;
	int			nsr,
				i;
	int64		from,
				t,
				last = -1,
				pos = 0;

	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be at least 1, not %d", k)));
	if (PG_ARGISNULL(0))
		st = km_alloc(16);
	else
	{
		st = km_arg(fcinfo, 0);
		if (!AggCheckCallContext(fcinfo, NULL))
			st = km_compact(st);
	}
	km_check_k(st, k);
	if (PG_ARGISNULL(1))
	{
		if (pg_add_s64_overflow(st->excluded, 1, &st->excluded))
			km_overflow();
		PG_RETURN_POINTER(st);
	}
	si_path_decode(PG_GETARG_DATUM(1), &p);
	sr = si_path_states(&p, map, &nsr);
	from = si_path_week_index(&p, anchor);
	t = runpath_first_self_run(sr, nsr, from, -1, k);
	if (t >= 0)
		PG_RETURN_POINTER(km_add(st, (int32) (t - from), 1, 0));
	/* last observed week: end of the last non-censored state run */
	for (i = 0; i < nsr; i++)
	{
		if (sr[i].code != RUNPATH_CENSORED)
			last = pos + sr[i].len - 1;
		pos += sr[i].len;
	}
	t = last - (k - 1) - from;
	if (last < 0 || t < 0)
	{
		if (pg_add_s64_overflow(st->excluded, 1, &st->excluded))
			km_overflow();
		PG_RETURN_POINTER(st);
	}
	PG_RETURN_POINTER(km_add(st, (int32) t, 0, 1));
}

/* final function of km_state: a compact copy */
Datum
si_km_final(PG_FUNCTION_ARGS)
{
	KmState    *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = km_arg(fcinfo, 0);
	km_check_total(st);
	PG_RETURN_POINTER(km_compact(st));
}

/* km_combine(a, b): strict; a merged copy */
Datum
si_km_combine(PG_FUNCTION_ARGS)
{
	KmState    *a = km_arg(fcinfo, 0);
	KmState    *b = km_arg(fcinfo, 1);
	KmState    *r = km_alloc(a->npoints + b->npoints);
	int			i = 0,
				j = 0;

	r->k = a->k;
	if (b->k != 0)
		km_check_k(r, b->k);
	if (pg_add_s64_overflow(a->excluded, b->excluded, &r->excluded))
		km_overflow();
	while (i < a->npoints || j < b->npoints)
	{
		KmPoint    *o = &r->points[r->npoints++];

		if (j >= b->npoints || (i < a->npoints && a->points[i].time < b->points[j].time))
			*o = a->points[i++];
		else if (i >= a->npoints || b->points[j].time < a->points[i].time)
			*o = b->points[j++];
		else
		{
			*o = a->points[i++];
			if (pg_add_s64_overflow(o->events, b->points[j].events, &o->events) ||
				pg_add_s64_overflow(o->censored, b->points[j].censored, &o->censored))
				km_overflow();
			j++;
		}
	}
	km_check_total(r);
	PG_RETURN_POINTER(km_compact(r));
}

static KmRow *
km_rows(KmState *st, double level, const char *ctype)
{
	KmRow	   *rows = palloc(sizeof(KmRow) * Max(1, st->npoints));
	KmConfType ct;

	km_check_total(st);			/* the at-risk sums below must not wrap */

	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conf_level must lie strictly between 0 and 1, not %g", level)));
	if (strcmp(ctype, "log-log") == 0)
		ct = KM_CI_LOGLOG;
	else if (strcmp(ctype, "plain") == 0)
		ct = KM_CI_PLAIN;
	else if (strcmp(ctype, "log") == 0)
		ct = KM_CI_LOG;
	else
	{
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conf_type \"%s\" is not known", ctype),
				 errhint("Use 'log-log' (default), 'log' or 'plain'.")));
		ct = KM_CI_LOGLOG;
	}
	km_curve(st->points, st->npoints, si_norm_quantile((1 + level) / 2), ct, rows);
	return rows;
}

/* km_curve(state, conf_level, conf_type) -> rows */
Datum
si_km_curve(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	KmState    *st;
	KmRow	   *rows;
	int			i;
	double		level;
	char	   *ctype;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("conf_level and conf_type must not be NULL")));
	level = PG_GETARG_FLOAT8(1);
	ctype = text_to_cstring(PG_GETARG_TEXT_PP(2));
	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	st = km_arg(fcinfo, 0);
	rows = km_rows(st, level, ctype);
	for (i = 0; i < st->npoints; i++)
	{
		Datum		v[8];
		bool		nulls[8] = {0};

		v[0] = Int32GetDatum(rows[i].time);
		v[1] = Int64GetDatum(rows[i].at_risk);
		v[2] = Int64GetDatum(rows[i].events);
		v[3] = Int64GetDatum(rows[i].censored);
		v[4] = Float8GetDatum(rows[i].survival);
		v[5] = Float8GetDatum(rows[i].std_err);
		v[6] = Float8GetDatum(rows[i].lower);
		v[7] = Float8GetDatum(rows[i].upper);
		nulls[5] = isnan(rows[i].std_err);
		nulls[6] = isnan(rows[i].lower);
		nulls[7] = isnan(rows[i].upper);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/* km_median(state): smallest week with S <= 0.5, NULL if not reached */
Datum
si_km_median(PG_FUNCTION_ARGS)
{
	KmState    *st = km_arg(fcinfo, 0);
	KmRow	   *rows = km_rows(st, 0.95, "plain");
	int32		t = km_quantile_time(rows, st->npoints, 0.5);

	if (t < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(t);
}

/* km_share_by(state, week): 1 - S(week), NULL beyond the follow-up */
Datum
si_km_share_by(PG_FUNCTION_ARGS)
{
	KmState    *st = km_arg(fcinfo, 0);
	int32		k = si_int_arg(fcinfo, 1, "week");
	KmRow	   *rows = km_rows(st, 0.95, "plain");
	double		s;

	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("week must be >= 0 (weeks after the anchor), not %d", k)));
	if (km_survival_at(rows, st->npoints, k, &s) < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(1.0 - s);
}

Datum
si_km_persons(PG_FUNCTION_ARGS)
{
	KmState    *st = km_arg(fcinfo, 0);
	int64		n = 0;
	int			i;

	km_check_total(st);
	for (i = 0; i < st->npoints; i++)
		n += st->points[i].events + st->points[i].censored;
	PG_RETURN_INT64(n);
}

Datum
si_km_excluded(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(km_arg(fcinfo, 0)->excluded);
}
