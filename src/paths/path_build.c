/*
 * path_build.c — building benefit paths: the aggregate over person-week
 * rows (any order; duplicates are an error or resolved by DREAM's
 * priority rule), the aggregate over spells, and path_cover.
 *
 * The person-week aggregate keeps rows that arrive in week order as runs
 * and the others as rows (8 bytes each), sorted in the final function;
 * the spell aggregate keeps its spells. Their partial states are the SQL
 * types benefit_path_partial and benefit_path_spells_partial (versioned,
 * validated bytes; partial_state.c), with combine functions, which makes
 * them parallel safe and lets Citus aggregate them on its workers (the
 * functions over internal stay for databases still on 0.2.0's SQL).
 * path_observed cuts a path to a person's observation period (arrival to
 * exit), so that rates leave out the weeks before
 * arrival and after exit instead of counting them as self-supporting (which
 * path_cover does: right for a fixed cohort observed the whole window).
 *
 * Owns: the one-person aggregates benefit_path and benefit_path_from_spells
 * (duplicates and DREAM's priority rule: docs/methods.md, *Benefit paths
 * and per-person measures*), path_cover and path_observed. Must not touch:
 * the many-persons state of benefit_paths (paths_stream.c over
 * math/pathmerge.c), the stored layout (math/runpath.c).
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "isoweek.h"
#include "partial_state.h"
#include "path.h"
#include "paths_stream.h"
#include "state_io.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_path_week_trans);
PG_FUNCTION_INFO_V1(si_path_week_combine);
PG_FUNCTION_INFO_V1(si_path_week_serialize);
PG_FUNCTION_INFO_V1(si_path_week_deserialize);
PG_FUNCTION_INFO_V1(si_path_week_final);
PG_FUNCTION_INFO_V1(si_path_spell_trans);
PG_FUNCTION_INFO_V1(si_path_spell_combine);
PG_FUNCTION_INFO_V1(si_path_spell_serialize);
PG_FUNCTION_INFO_V1(si_path_spell_deserialize);
PG_FUNCTION_INFO_V1(si_path_spell_final);
PG_FUNCTION_INFO_V1(si_path_cover);
PG_FUNCTION_INFO_V1(si_path_observed);

#define DUP_UNSET PATHMERGE_DUP_UNSET
#define DUP_PRIORITY PATHS_DUP_PRIORITY

typedef struct WeekState
{
	int			on_duplicate;
	/* rows that arrived in week order, as runs from first_week */
	int32		first_week;
	int32		last_week;
	Size		nruns;
	Size		runcap;
	RunpathRun *runs;
	/* rows that arrived out of order */
	Size		n;
	Size		cap;
	RunpathWeek *w;
} WeekState;

typedef struct SpellState
{
	Size		n;
	Size		cap;
	int64		seen;			/* rows fed, for the input order in messages */
	RunpathSpell *s;
} SpellState;

static void
check_code(int32 code, DateADT week)
{
	if (code < 1 || code > RUNPATH_MAX_CODE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("benefit code %d in the week of %s is outside 1..9999", code, si_date_str(week)),
				 errhint("DREAM codes are 1..9999; give NULL for a week without benefit.")));
}

static void
set_mode(WeekState *st, int mode)
{
	if (st->on_duplicate == DUP_UNSET)
		st->on_duplicate = mode;
	else if (st->on_duplicate != mode)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("on_duplicate changes between rows of one benefit_path"),
				 errhint("Give the same on_duplicate for every row of a group.")));
}

static void
week_push(WeekState *st, int32 week, int32 code)
{
	if (st->n == st->cap)
	{
		st->cap = st->cap ? st->cap * 2 : 64;
		if (st->cap * sizeof(RunpathWeek) > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many person-week rows for one benefit_path")));
		st->w = st->w ? repalloc(st->w, st->cap * sizeof(RunpathWeek))
			: palloc(st->cap * sizeof(RunpathWeek));
	}
	st->w[st->n].week = week;
	st->w[st->n].code = code;
	st->n++;
}

/*
 * Rows arriving in week order (the usual case: tables clustered by person
 * and week) are kept as runs, so the state grows with the code changes,
 * not with the rows; rows arriving out of order are kept as rows and
 * merged in the final function. Gaps between in-order rows are runs of
 * code GAP_CODE, so that a late row for a gap week is not mistaken for a
 * duplicate.
 */
#define GAP_CODE (-1)

static Datum week_result(FunctionCallInfo fcinfo, const WeekState *st);
static Datum spell_result(FunctionCallInfo fcinfo, SpellState *st);

static void
runs_push(WeekState *st, int32 code, int64 len)
{
	if (len <= 0)
		return;
	if (st->nruns > 0 && st->runs[st->nruns - 1].code == code &&
		(int64) st->runs[st->nruns - 1].len + len <= PG_INT32_MAX)
	{
		st->runs[st->nruns - 1].len += (int32) len;
		return;
	}
	if (st->nruns == st->runcap)
	{
		st->runcap = st->runcap ? st->runcap * 2 : 8;
		if (st->runcap * sizeof(RunpathRun) > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many runs for one benefit_path")));
		st->runs = st->runs ? repalloc(st->runs, st->runcap * sizeof(RunpathRun))
			: palloc(st->runcap * sizeof(RunpathRun));
	}
	st->runs[st->nruns].code = code;
	st->runs[st->nruns].len = (int32) Min(len, PG_INT32_MAX);
	st->nruns++;
}

/* add a row: to the runs if it comes after them, else to the rows */
static void
week_state_add(WeekState *st, int32 week, int32 code)
{
	if (st->nruns == 0)
	{
		st->first_week = week;
		st->last_week = week;
		runs_push(st, code, 1);
	}
	else if (week > st->last_week)
	{
		runs_push(st, GAP_CODE, ((int64) week - st->last_week) / 7 - 1);
		runs_push(st, code, 1);
		st->last_week = week;
	}
	else
		week_push(st, week, code);
}

/* the weeks of the runs (gaps left out) as rows */
static void
runs_to_rows(WeekState *dst, const WeekState *src)
{
	Size		i;
	int32		week = src->first_week;

	for (i = 0; i < src->nruns; i++)
	{
		int32		j;

		if (src->runs[i].code != GAP_CODE)
			for (j = 0; j < src->runs[i].len; j++)
				week_push(dst, week + j * 7, src->runs[i].code);
		week += src->runs[i].len * 7;
	}
}

/* one row into st (NULL: a new state), allocating in ctx */
static WeekState *
week_add_row(FunctionCallInfo fcinfo, WeekState *st, MemoryContext ctx)
{
	MemoryContext old;
	DateADT		week;
	int32		code;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("week must not be NULL in benefit_path"),
				 errhint("Every person-week row needs its week; a NULL code means no benefit that week.")));
	week = si_week_arg(fcinfo, 1, "week");
	week = isoweek_monday(week);
	code = PG_ARGISNULL(2) ? RUNPATH_NONE : PG_GETARG_INT32(2);
	if (!PG_ARGISNULL(2))
		check_code(code, week);

	old = MemoryContextSwitchTo(ctx);
	if (st == NULL)
		st = palloc0(sizeof(WeekState));
	set_mode(st, paths_on_duplicate_arg(fcinfo, 3));
	week_state_add(st, week, code);
	MemoryContextSwitchTo(old);
	return st;
}

/* benefit_path(week date, code int [, on_duplicate text]) transition */
Datum
si_path_week_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = si_agg_context(fcinfo, "benefit_path");

	PG_RETURN_POINTER(week_add_row(fcinfo, PG_ARGISNULL(0) ? NULL : (WeekState *) PG_GETARG_POINTER(0),
								   ctx));
}

/* b's rows added to a (a NULL: a new state), allocating in ctx */
static WeekState *
week_merge(WeekState *a, const WeekState *b, MemoryContext ctx)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	Size		i;

	if (a == NULL)
		a = palloc0(sizeof(WeekState));
	set_mode(a, b->on_duplicate);
	if (b->nruns > 0)
	{
		if (a->nruns == 0 || b->first_week > a->last_week)
		{
			/* b's runs continue a's */
			if (a->nruns == 0)
			{
				a->first_week = b->first_week;
				a->last_week = b->first_week;
				runs_push(a, b->runs[0].code, b->runs[0].len);
			}
			else
			{
				runs_push(a, GAP_CODE, ((int64) b->first_week - a->last_week) / 7 - 1);
				runs_push(a, b->runs[0].code, b->runs[0].len);
			}
			for (i = 1; i < b->nruns; i++)
				runs_push(a, b->runs[i].code, b->runs[i].len);
			a->last_week = b->last_week;
		}
		else
			runs_to_rows(a, b);
	}
	for (i = 0; i < b->n; i++)
		week_push(a, b->w[i].week, b->w[i].code);
	MemoryContextSwitchTo(old);
	return a;
}

Datum
si_path_week_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	WeekState  *a,
			   *b;

	if (si_combine_begin(fcinfo, "benefit_path combine", &ctx, (void **) &a, (void **) &b))
		return PointerGetDatum(a);
	PG_RETURN_POINTER(week_merge(a, b, ctx));
}

Datum
si_path_week_serialize(PG_FUNCTION_ARGS)
{
	WeekState  *st = (WeekState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	Size		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, st->on_duplicate);
	pq_sendint32(&buf, st->first_week);
	pq_sendint32(&buf, st->last_week);
	pq_sendint64(&buf, st->nruns);
	for (i = 0; i < st->nruns; i++)
	{
		pq_sendint32(&buf, st->runs[i].code);
		pq_sendint32(&buf, st->runs[i].len);
	}
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(&buf, st->w[i].week);
		pq_sendint32(&buf, st->w[i].code);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
si_path_week_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = si_agg_context(fcinfo, "benefit_path deserialize");
	MemoryContext old = MemoryContextSwitchTo(ctx);
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	WeekState  *st = palloc0(sizeof(WeekState));
	int64		n,
				i;

	si_read_buffer(&buf, b);
	st->on_duplicate = pq_getmsgbyte(&buf);
	st->first_week = pq_getmsgint(&buf, 4);
	st->last_week = pq_getmsgint(&buf, 4);
	n = pq_getmsgint64(&buf);
	for (i = 0; i < n; i++)
	{
		int32		c = pq_getmsgint(&buf, 4);
		int32		l = pq_getmsgint(&buf, 4);

		/* runs_push would merge equal neighbours; keep the runs as sent */
		if (st->nruns == st->runcap)
		{
			st->runcap = st->runcap ? st->runcap * 2 : 8;
			st->runs = st->runs ? repalloc(st->runs, st->runcap * sizeof(RunpathRun))
				: palloc(st->runcap * sizeof(RunpathRun));
		}
		st->runs[st->nruns].code = c;
		st->runs[st->nruns].len = l;
		st->nruns++;
	}
	n = pq_getmsgint64(&buf);
	for (i = 0; i < n; i++)
	{
		int32		w = pq_getmsgint(&buf, 4);
		int32		c = pq_getmsgint(&buf, 4);

		week_push(st, w, c);
	}
	pq_getmsgend(&buf);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

Datum
si_path_week_final(PG_FUNCTION_ARGS)
{
	WeekState  *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (WeekState *) PG_GETARG_POINTER(0);
	return week_result(fcinfo, st);
}

/* the path of a state (NULL when it has no row); st is not changed */
static Datum
week_result(FunctionCallInfo fcinfo, const WeekState *st)
{
	WeekState	all;
	RunpathRun *runs;
	long		dup;
	int			nruns;
	Size		i;

	if (st->nruns == 0 && st->n == 0)
		PG_RETURN_NULL();
	if (st->n == 0)
	{
		/* every row came in week order: the runs are the path */
		if (((int64) st->last_week - st->first_week) / 7 + 1 > RUNPATH_MAX_WEEKS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("benefit_path: weeks from %s to %s span more than %d weeks",
							si_date_str(st->first_week), si_date_str(st->last_week), RUNPATH_MAX_WEEKS)));
		runs = palloc(sizeof(RunpathRun) * st->nruns);
		for (i = 0; i < st->nruns; i++)
		{
			runs[i] = st->runs[i];
			if (runs[i].code == GAP_CODE)
				runs[i].code = RUNPATH_NONE;
		}
		return si_path_make(st->first_week, runs, (int) st->nruns);
	}

	/* some rows came out of order: sort all rows */
	memset(&all, 0, sizeof(all));
	runs_to_rows(&all, st);
	for (i = 0; i < st->n; i++)
		week_push(&all, st->w[i].week, st->w[i].code);
	runpath_sort_weeks(all.w, all.n);
	if (st->on_duplicate == DUP_PRIORITY)
		all.n = runpath_collapse_priority(all.w, all.n);
	else if ((dup = runpath_find_duplicate(all.w, all.n)) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("benefit_path: the week of %s appears twice (codes %d and %d; 0 = no benefit)",
						si_date_str(all.w[dup].week), all.w[dup - 1].code, all.w[dup].code),
				 errhint("Give one row per person and week, or use benefit_path(week, code, 'dream_priority') to keep the code DREAM's priority rule prefers.")));
	if (((int64) all.w[all.n - 1].week - all.w[0].week) / 7 + 1 > RUNPATH_MAX_WEEKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("benefit_path: weeks from %s to %s span more than %d weeks",
						si_date_str(all.w[0].week), si_date_str(all.w[all.n - 1].week), RUNPATH_MAX_WEEKS)));
	runs = palloc(sizeof(RunpathRun) * (2 * all.n));
	nruns = runpath_from_weeks(all.w, all.n, runs);
	return si_path_make(all.w[0].week, runs, nruns);
}

/* ---- spells ---- */

static void
spell_push(SpellState *st, const RunpathSpell *sp)
{
	if (st->n == st->cap)
	{
		st->cap = st->cap ? st->cap * 2 : 16;
		if (st->cap * sizeof(RunpathSpell) > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many spells for one benefit_path")));
		st->s = st->s ? repalloc(st->s, st->cap * sizeof(RunpathSpell))
			: palloc(st->cap * sizeof(RunpathSpell));
	}
	st->s[st->n++] = *sp;
}

static char *
spell_str(const RunpathSpell *s)
{
	if (s->code == RUNPATH_NONE)
		return psprintf("%s..%s (no benefit)", si_date_str(s->from), si_date_str(s->to));
	return psprintf("%s..%s (code %d)", si_date_str(s->from), si_date_str(s->to), s->code);
}

/* one spell into st (NULL: a new state), allocating in ctx */
static SpellState *
spell_add_row(FunctionCallInfo fcinfo, SpellState *st, MemoryContext ctx)
{
	MemoryContext old;
	RunpathSpell sp;
	DateADT		from = si_week_arg(fcinfo, 1, "from_week");
	DateADT		to = si_week_arg(fcinfo, 2, "to_week");

	sp.from = isoweek_monday(from);
	sp.to = isoweek_monday(to);
	sp.code = PG_ARGISNULL(3) ? RUNPATH_NONE : PG_GETARG_INT32(3);
	if (!PG_ARGISNULL(3))
		check_code(sp.code, from);
	if (sp.to < sp.from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("spell from %s to %s ends before it starts", si_date_str(from), si_date_str(to)),
				 errhint("Spells include both ends: give from_week <= to_week.")));

	old = MemoryContextSwitchTo(ctx);
	if (st == NULL)
		st = palloc0(sizeof(SpellState));
	sp.ord = ++st->seen;
	spell_push(st, &sp);
	MemoryContextSwitchTo(old);
	return st;
}

/* benefit_path_from_spells(from_week date, to_week date, code int) transition */
Datum
si_path_spell_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = si_agg_context(fcinfo, "benefit_path_from_spells");

	PG_RETURN_POINTER(spell_add_row(fcinfo, PG_ARGISNULL(0) ? NULL : (SpellState *) PG_GETARG_POINTER(0),
									ctx));
}

/* b's spells after a's (a NULL: a new state), allocating in ctx */
static SpellState *
spell_merge(SpellState *a, const SpellState *b, MemoryContext ctx)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	Size		i;

	if (a == NULL)
		a = palloc0(sizeof(SpellState));
	for (i = 0; i < b->n; i++)
	{
		RunpathSpell sp = b->s[i];

		sp.ord += a->seen;
		spell_push(a, &sp);
	}
	a->seen += b->seen;
	MemoryContextSwitchTo(old);
	return a;
}

Datum
si_path_spell_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	SpellState *a,
			   *b;

	if (si_combine_begin(fcinfo, "benefit_path_from_spells combine", &ctx, (void **) &a, (void **) &b))
		return PointerGetDatum(a);
	PG_RETURN_POINTER(spell_merge(a, b, ctx));
}

Datum
si_path_spell_serialize(PG_FUNCTION_ARGS)
{
	SpellState *st = (SpellState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	Size		i;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, st->seen);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(&buf, st->s[i].from);
		pq_sendint32(&buf, st->s[i].to);
		pq_sendint32(&buf, st->s[i].code);
		pq_sendint64(&buf, st->s[i].ord);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
si_path_spell_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = si_agg_context(fcinfo, "benefit_path_from_spells deserialize");
	MemoryContext old = MemoryContextSwitchTo(ctx);
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	SpellState *st = palloc0(sizeof(SpellState));
	int64		n,
				i;

	si_read_buffer(&buf, b);
	st->seen = pq_getmsgint64(&buf);
	n = pq_getmsgint64(&buf);
	for (i = 0; i < n; i++)
	{
		RunpathSpell sp;

		sp.from = pq_getmsgint(&buf, 4);
		sp.to = pq_getmsgint(&buf, 4);
		sp.code = pq_getmsgint(&buf, 4);
		sp.ord = pq_getmsgint64(&buf);
		spell_push(st, &sp);
	}
	pq_getmsgend(&buf);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

Datum
si_path_spell_final(PG_FUNCTION_ARGS)
{
	SpellState *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (SpellState *) PG_GETARG_POINTER(0);
	return spell_result(fcinfo, st);
}

/* the path of a state (NULL when it has no spell); sorts st's spells */
static Datum
spell_result(FunctionCallInfo fcinfo, SpellState *st)
{
	RunpathRun *runs;
	long		ov;
	int			nruns;

	if (st->n == 0)
		PG_RETURN_NULL();
	runpath_sort_spells(st->s, st->n);
	if ((ov = runpath_find_overlap(st->s, st->n)) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("benefit_path_from_spells: spell %s overlaps spell %s",
						spell_str(&st->s[ov - 1]), spell_str(&st->s[ov])),
				 errhint("Spells of one person must not share a week; end one spell the week before the next begins.")));
	if (((int64) st->s[st->n - 1].to - st->s[0].from) / 7 + 1 > RUNPATH_MAX_WEEKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("benefit_path_from_spells: spells span more than %d weeks", RUNPATH_MAX_WEEKS)));
	runs = palloc(sizeof(RunpathRun) * (2 * st->n));
	nruns = runpath_from_spells(st->s, st->n, runs);
	return si_path_make(st->s[0].from, runs, nruns);
}

/* ---- the partial states as real types (partial_state.h) ---- */

PG_FUNCTION_INFO_V1(si_path_week_partial_trans);
PG_FUNCTION_INFO_V1(si_path_week_partial_combine);
PG_FUNCTION_INFO_V1(si_path_week_partial_final);
PG_FUNCTION_INFO_V1(si_path_week_partial_in);
PG_FUNCTION_INFO_V1(si_path_week_partial_out);
PG_FUNCTION_INFO_V1(si_path_week_partial_recv);
PG_FUNCTION_INFO_V1(si_path_week_partial_send);
PG_FUNCTION_INFO_V1(si_path_spell_partial_trans);
PG_FUNCTION_INFO_V1(si_path_spell_partial_combine);
PG_FUNCTION_INFO_V1(si_path_spell_partial_final);
PG_FUNCTION_INFO_V1(si_path_spell_partial_in);
PG_FUNCTION_INFO_V1(si_path_spell_partial_out);
PG_FUNCTION_INFO_V1(si_path_spell_partial_recv);
PG_FUNCTION_INFO_V1(si_path_spell_partial_send);

#define WEEK_PARTIAL_VERSION 1
#define SPELL_PARTIAL_VERSION 1

static void *week_kind_deserialize(const char *data, int len, MemoryContext ctx);
static void *spell_kind_deserialize(const char *data, int len, MemoryContext ctx);

/*
 * benefit_path_partial: byte version, byte on_duplicate (0 not yet set,
 * 1 error, 2 dream_priority), int32 first and last Monday of the in-order
 * runs, int64 run count, runs (int32 code: -1 gap, 0 no benefit, 1..9999;
 * int32 weeks), int64 row count, rows (int32 Monday, int32 code 0..9999).
 */
static bytea *
week_kind_serialize(void *state)
{
	const WeekState *st = (const WeekState *) state;
	StringInfoData buf;
	Size		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, WEEK_PARTIAL_VERSION);
	pq_sendbyte(&buf, st->on_duplicate);
	pq_sendint32(&buf, st->first_week);
	pq_sendint32(&buf, st->last_week);
	pq_sendint64(&buf, st->nruns);
	for (i = 0; i < st->nruns; i++)
	{
		pq_sendint32(&buf, st->runs[i].code);
		pq_sendint32(&buf, st->runs[i].len);
	}
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(&buf, st->w[i].week);
		pq_sendint32(&buf, st->w[i].code);
	}
	return pq_endtypsend(&buf);
}

static void *
week_kind_merge(void *a, const void *b, MemoryContext ctx)
{
	return week_merge((WeekState *) a, (const WeekState *) b, ctx);
}

static const SiPartialKind week_kind = {
	"benefit_path_partial", week_kind_serialize, week_kind_deserialize, week_kind_merge
};

static bool
is_monday(int32 d)
{
	return !DATE_NOT_FINITE(d) && isoweek_monday(d) == d;
}

/* the bytes as a StringInfo, with the version byte checked */
static void
partial_buffer(StringInfo buf, const char *data, int len, int version, const SiPartialKind *kind)
{
	buf->data = unconstify(char *, data);
	buf->len = buf->maxlen = len;
	buf->cursor = 0;
	if (len < 1)
		si_partial_corrupt(kind, "no bytes");
	if (pq_getmsgbyte(buf) != version)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s version %d is not supported", kind->typname, (unsigned char) data[0]),
				 errhint("This build reads version %d; the workers and the coordinator must run the same socialinvest version.",
						 version)));
}

/* int64 count of items of size bytes that the rest of buf can hold */
static int64
partial_count(StringInfo buf, int size, const SiPartialKind *kind)
{
	int64		n;

	if (buf->len - buf->cursor < 8)
		si_partial_corrupt(kind, "truncated");
	n = pq_getmsgint64(buf);
	if (n < 0 || n > (buf->len - buf->cursor) / size)
		si_partial_corrupt(kind, "a count does not match the bytes");
	return n;
}

static void *
week_kind_deserialize(const char *data, int len, MemoryContext ctx)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	StringInfoData buf;
	WeekState  *st = palloc0(sizeof(WeekState));
	int64		n,
				i,
				weeks = 0;

	partial_buffer(&buf, data, len, WEEK_PARTIAL_VERSION, &week_kind);
	if (buf.len - buf.cursor < 9)
		si_partial_corrupt(&week_kind, "truncated");
	st->on_duplicate = pq_getmsgbyte(&buf);
	if (st->on_duplicate != DUP_UNSET && st->on_duplicate != PATHS_DUP_ERROR &&
		st->on_duplicate != DUP_PRIORITY)
		si_partial_corrupt(&week_kind, "unknown on_duplicate mode");
	st->first_week = pq_getmsgint(&buf, 4);
	st->last_week = pq_getmsgint(&buf, 4);
	n = partial_count(&buf, 8, &week_kind);
	if (n > 0)
	{
		if (!is_monday(st->first_week) || !is_monday(st->last_week) ||
			st->last_week < st->first_week ||
			((int64) st->last_week - st->first_week) / 7 + 1 > RUNPATH_MAX_WEEKS)
			si_partial_corrupt(&week_kind, "the runs' first and last weeks are not Mondays in order within the longest path");
		st->runcap = st->nruns = n;
		st->runs = palloc(sizeof(RunpathRun) * n);
	}
	for (i = 0; i < n; i++)
	{
		st->runs[i].code = pq_getmsgint(&buf, 4);
		st->runs[i].len = pq_getmsgint(&buf, 4);
		if (st->runs[i].len < 1 || st->runs[i].code < GAP_CODE || st->runs[i].code > RUNPATH_MAX_CODE ||
			((i == 0 || i == n - 1) && st->runs[i].code == GAP_CODE))
			si_partial_corrupt(&week_kind, "a run has no weeks, an unknown code, or is a gap at an end");
		weeks += st->runs[i].len;
	}
	if (n > 0 && weeks != ((int64) st->last_week - st->first_week) / 7 + 1)
		si_partial_corrupt(&week_kind, "the runs do not cover their first to last week");
	n = partial_count(&buf, 8, &week_kind);
	for (i = 0; i < n; i++)
	{
		int32		w = pq_getmsgint(&buf, 4);
		int32		c = pq_getmsgint(&buf, 4);

		if (!is_monday(w) || c < RUNPATH_NONE || c > RUNPATH_MAX_CODE)
			si_partial_corrupt(&week_kind, "a row is not a Monday with a code 0..9999");
		week_push(st, w, c);
	}
	if (buf.cursor != buf.len)
		si_partial_corrupt(&week_kind, "trailing bytes");
	MemoryContextSwitchTo(old);
	return st;
}

Datum
si_path_week_partial_trans(PG_FUNCTION_ARGS)
{
	SiPartial  *p = si_partial_arg_rw_fast(fcinfo, 0, &week_kind, "benefit_path");

	if (p == NULL)
		p = si_partial_start(fcinfo, &week_kind, "benefit_path");
	p->state = week_add_row(fcinfo, (WeekState *) p->state, p->hdr.eoh_context);
	return si_partial_datum(p);
}

Datum
si_path_week_partial_combine(PG_FUNCTION_ARGS)
{
	return si_partial_combine(fcinfo, &week_kind, "benefit_path combine");
}

Datum
si_path_week_partial_final(PG_FUNCTION_ARGS)
{
	WeekState  *st = (WeekState *) si_partial_arg_ro(fcinfo, 0, &week_kind);

	if (st == NULL)
		PG_RETURN_NULL();
	return week_result(fcinfo, st);
}

Datum
si_path_week_partial_in(PG_FUNCTION_ARGS)
{
	return si_partial_in(PG_GETARG_CSTRING(0), &week_kind);
}

Datum
si_path_week_partial_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(si_partial_out(PG_GETARG_DATUM(0), &week_kind));
}

Datum
si_path_week_partial_recv(PG_FUNCTION_ARGS)
{
	return si_partial_recv((StringInfo) PG_GETARG_POINTER(0), &week_kind);
}

Datum
si_path_week_partial_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(si_partial_send(PG_GETARG_DATUM(0), &week_kind));
}

/*
 * benefit_path_spells_partial: byte version, int64 spells fed, int64
 * spell count, spells (int32 first and last Monday, int32 code 0..9999,
 * int64 input position 1..fed).
 */
static bytea *
spell_kind_serialize(void *state)
{
	const SpellState *st = (const SpellState *) state;
	StringInfoData buf;
	Size		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SPELL_PARTIAL_VERSION);
	pq_sendint64(&buf, st->seen);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(&buf, st->s[i].from);
		pq_sendint32(&buf, st->s[i].to);
		pq_sendint32(&buf, st->s[i].code);
		pq_sendint64(&buf, st->s[i].ord);
	}
	return pq_endtypsend(&buf);
}

static void *
spell_kind_merge(void *a, const void *b, MemoryContext ctx)
{
	return spell_merge((SpellState *) a, (const SpellState *) b, ctx);
}

static const SiPartialKind spell_kind = {
	"benefit_path_spells_partial", spell_kind_serialize, spell_kind_deserialize, spell_kind_merge
};

static void *
spell_kind_deserialize(const char *data, int len, MemoryContext ctx)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	StringInfoData buf;
	SpellState *st = palloc0(sizeof(SpellState));
	int64		n,
				i;

	partial_buffer(&buf, data, len, SPELL_PARTIAL_VERSION, &spell_kind);
	if (buf.len - buf.cursor < 8)
		si_partial_corrupt(&spell_kind, "truncated");
	st->seen = pq_getmsgint64(&buf);
	n = partial_count(&buf, 20, &spell_kind);
	if (st->seen < n)
		si_partial_corrupt(&spell_kind, "more spells than spells fed");
	for (i = 0; i < n; i++)
	{
		RunpathSpell sp;

		sp.from = pq_getmsgint(&buf, 4);
		sp.to = pq_getmsgint(&buf, 4);
		sp.code = pq_getmsgint(&buf, 4);
		sp.ord = pq_getmsgint64(&buf);
		if (!is_monday(sp.from) || !is_monday(sp.to) || sp.to < sp.from ||
			sp.code < RUNPATH_NONE || sp.code > RUNPATH_MAX_CODE || sp.ord < 1 || sp.ord > st->seen)
			si_partial_corrupt(&spell_kind, "a spell is not two Mondays in order with a code 0..9999 and its input position");
		spell_push(st, &sp);
	}
	if (buf.cursor != buf.len)
		si_partial_corrupt(&spell_kind, "trailing bytes");
	MemoryContextSwitchTo(old);
	return st;
}

Datum
si_path_spell_partial_trans(PG_FUNCTION_ARGS)
{
	SiPartial  *p = si_partial_arg_rw_fast(fcinfo, 0, &spell_kind, "benefit_path_from_spells");

	if (p == NULL)
		p = si_partial_start(fcinfo, &spell_kind, "benefit_path_from_spells");
	p->state = spell_add_row(fcinfo, (SpellState *) p->state, p->hdr.eoh_context);
	return si_partial_datum(p);
}

Datum
si_path_spell_partial_combine(PG_FUNCTION_ARGS)
{
	return si_partial_combine(fcinfo, &spell_kind, "benefit_path_from_spells combine");
}

Datum
si_path_spell_partial_final(PG_FUNCTION_ARGS)
{
	SpellState *st = (SpellState *) si_partial_arg_ro(fcinfo, 0, &spell_kind);

	if (st == NULL)
		PG_RETURN_NULL();
	return spell_result(fcinfo, st);
}

Datum
si_path_spell_partial_in(PG_FUNCTION_ARGS)
{
	return si_partial_in(PG_GETARG_CSTRING(0), &spell_kind);
}

Datum
si_path_spell_partial_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(si_partial_out(PG_GETARG_DATUM(0), &spell_kind));
}

Datum
si_path_spell_partial_recv(PG_FUNCTION_ARGS)
{
	return si_partial_recv((StringInfo) PG_GETARG_POINTER(0), &spell_kind);
}

Datum
si_path_spell_partial_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(si_partial_send(PG_GETARG_DATUM(0), &spell_kind));
}

/*
 * path_cover(path, from_week, to_week): the path extended with no-benefit
 * weeks so that it covers [from_week, to_week]; a NULL path gives a path
 * of no benefit over the range. For person-week tables where "no row"
 * means "no benefit", this states the period the table covers.
 */
Datum
si_path_cover(PG_FUNCTION_ARGS)
{
	DateADT		from = si_week_arg(fcinfo, 1, "from_week");
	DateADT		to = si_week_arg(fcinfo, 2, "to_week");
	int64		start,
				end;

	si_check_window(from, to);
	from = isoweek_monday(from);
	to = isoweek_monday(to);
	if (PG_ARGISNULL(0))
	{
		RunpathRun	r;

		if (((int64) to - from) / 7 + 1 > RUNPATH_MAX_WEEKS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("path_cover: %s to %s spans more than %d weeks",
							si_date_str(from), si_date_str(to), RUNPATH_MAX_WEEKS)));
		r.code = RUNPATH_NONE;
		r.len = (int32) (((int64) to - from) / 7 + 1);
		return si_path_make(from, &r, 1);
	}
	{
		bytea	   *v = DatumGetByteaPP(PG_GETARG_DATUM(0));
		const uint8 *buf = (const uint8 *) VARDATA_ANY(v);
		size_t		len = VARSIZE_ANY_EXHDR(v);
		RunpathHeader h;
		RunpathError e;
		bytea	   *res;
		size_t		n;

		if ((e = runpath_decode_header(buf, len, &h)) != RUNPATH_OK)
			si_path_error(e, "stored");
		start = Min((int64) h.start, (int64) from);
		end = Max((int64) h.start + ((int64) h.nweeks - 1) * 7, (int64) to);
		if ((end - start) / 7 + 1 > RUNPATH_MAX_WEEKS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("path_cover: the covered range spans more than %d weeks", RUNPATH_MAX_WEEKS)));
		/* from the stored bytes: runs between the first and last are copied */
		res = palloc(VARHDRSZ + len + RUNPATH_COVER_EXTRA);
		n = runpath_cover(buf, len, from, to, (uint8 *) VARDATA(res), &e);
		if (n == 0)
		{
			if (e == RUNPATH_ERR_TOO_LONG || e == RUNPATH_ERR_DATE_RANGE)
				ereport(ERROR,
						(errcode(e == RUNPATH_ERR_DATE_RANGE ? ERRCODE_DATETIME_VALUE_OUT_OF_RANGE : ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cannot build a benefit_path starting %s: %s", si_date_str((DateADT) start),
								runpath_error_text(e))));
			si_path_error(e, "stored");
		}
		SET_VARSIZE(res, VARHDRSZ + n);
		PG_RETURN_BYTEA_P(res);
	}
}

/*
 * path_observed(path, observed_from, observed_to): the path cut to the
 * weeks of a person's observation period. Inside the period a week without
 * a benefit week is a week without benefit; outside it no week is observed.
 */
#define OBSERVED_HINT "Give each person's observation period: observed_from = the arrival week (or the first week of the data), observed_to = the last week before emigration, death or the end of the data."

static DateADT
observed_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("path_observed: %s must not be NULL", name),
				 errhint(OBSERVED_HINT)));
	return si_week_arg(fcinfo, argno, name);
}

/* append a run of len weeks (len <= 0: nothing) */
static int
add_run(RunpathRun *runs, int n, int32 code, int64 len)
{
	if (len <= 0)
		return n;
	runs[n].code = code;
	runs[n].len = (int32) len;
	return n + 1;
}

Datum
si_path_observed(PG_FUNCTION_ARGS)
{
	DateADT		from_day = observed_arg(fcinfo, 1, "observed_from");
	DateADT		to_day = observed_arg(fcinfo, 2, "observed_to");
	int64		from,
				to,
				nweeks;
	RunpathRun *runs;
	int			n = 0;

	if (from_day > to_day)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_observed: observed_from %s is after observed_to %s",
						si_date_str(from_day), si_date_str(to_day)),
				 errhint("The observation period includes both ends; a person observed in no week has no period: leave the person out.")));
	from = isoweek_monday(from_day);
	to = isoweek_monday(to_day);
	nweeks = (to - from) / 7 + 1;
	if (nweeks > RUNPATH_MAX_WEEKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("path_observed: %s to %s spans more than %d weeks",
						si_date_str((DateADT) from), si_date_str((DateADT) to), RUNPATH_MAX_WEEKS)));

	if (PG_ARGISNULL(0))
	{
		/* no benefit rows: no benefit in any observed week */
		runs = palloc(sizeof(RunpathRun));
		n = add_run(runs, 0, RUNPATH_NONE, nweeks);
	}
	else
	{
		SiPath		p;
		int64		week,
					path_end;
		int			i;

		si_path_decode(PG_GETARG_DATUM(0), &p);
		path_end = (int64) p.start + ((int64) p.nweeks - 1) * 7;
		runs = palloc(sizeof(RunpathRun) * ((Size) p.nruns + 2));
		/* observed weeks before the path: no benefit */
		n = add_run(runs, n, RUNPATH_NONE, (Min(to, (int64) p.start - 7) - from) / 7 + 1);
		/* the runs, cut to the observed weeks */
		week = p.start;
		for (i = 0; i < p.nruns && week <= to; i++)
		{
			int64		run_end = week + ((int64) p.runs[i].len - 1) * 7;
			int64		a = Max(week, from),
						b = Min(run_end, to);

			if ((i & 0xFFFF) == 0xFFFF)
				CHECK_FOR_INTERRUPTS();
			if (a <= b)
				n = add_run(runs, n, p.runs[i].code, (b - a) / 7 + 1);
			week = run_end + 7;
		}
		/* observed weeks after the path: no benefit */
		n = add_run(runs, n, RUNPATH_NONE, (to - Max(from, path_end + 7)) / 7 + 1);
	}
	return si_path_make((int32) from, runs, n);
}
