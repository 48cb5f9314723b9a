/*
 * paths_stream.c — benefit_paths(person_id, week, code): the benefit
 * paths of many persons from person-week rows in one aggregate, without
 * GROUP BY person_id.
 *
 * Why: grouping 10^7 person-week rows by person in the executor (hash
 * aggregate: one hash lookup per row) costs more than twice a count(*)
 * of the table. Register tables are usually stored in (person, week)
 * order, so this aggregate groups by itself: a row of the same person as
 * the previous row extends that person's runs (a comparison, no lookup);
 * a new person starts a new entry. Rows in any other order are still
 * right: a person met again later gets another entry, rows not after
 * their entry's last week are kept as rows, and the final function sorts
 * the entries by person and merges each person's entries and rows exactly
 * as benefit_path(week, code) does (duplicate weeks an error naming the
 * week, or DREAM's priority rule). Parallel partial states are simply
 * concatenated (a person cut by a scan chunk boundary has two entries).
 *
 * Memory grows with persons and runs (the output), not with rows: input
 * in another order (a table appended week by week is the common case)
 * makes an entry or a late row per row, so whenever the new ones take
 * about as much memory as the state had after the last compaction (see
 * next_compaction), compact() merges them into one entry per person, as
 * the final would.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "isoweek.h"
#include "path.h"
#include "paths_stream.h"
#include "state_io.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_paths_trans);
PG_FUNCTION_INFO_V1(si_paths_combine);
PG_FUNCTION_INFO_V1(si_paths_serialize);
PG_FUNCTION_INFO_V1(si_paths_deserialize);
PG_FUNCTION_INFO_V1(si_paths_final);

#define DUP_UNSET 0
#define DUP_ERROR PATHS_DUP_ERROR
#define DUP_PRIORITY PATHS_DUP_PRIORITY

/* a week between rows of one entry: no row (not an explicit NULL code) */
#define GAP_CODE (-1)

#define PATHS_SERIAL_VERSION 1

typedef struct PathsEntry
{
	int64		person;
	int32		first_week;
	int32		last_week;
	Size		run0;			/* first run in PathsState.runs */
	Size		nruns;
} PathsEntry;

typedef struct PathsRow
{
	int64		person;
	int32		week;
	int32		code;
} PathsRow;

struct PathsState
{
	MemoryContext ctx;			/* the context holding the state */
	int			on_duplicate;
	Size		nent,
				entcap;
	PathsEntry *ent;
	Size		nrun,
				runcap;
	RunpathRun *runs;
	/* rows that did not come after their entry's last week */
	Size		nlate,
				latecap;
	PathsRow   *late;
	/* entries + late rows at which compact() runs next */
	Size		compact_at;
	/* read-out position (paths_state_begin/next) */
	Size		next_ent,
				next_late;
	MemoryContext scratch;
	/* how errors name a person (NULL: the key itself) */
	PathsPersonLabel label;
	void	   *label_arg;
};

/* a larger array for a state (in its context, which holds everything it grows) */
static void *
grow(MemoryContext ctx, void *p, Size *cap, Size elem, Size min, const char *what)
{
	Size		ncap = *cap ? *cap * 2 : min;

	if (ncap * elem > MaxAllocHugeSize / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("benefit_paths: too many %s", what)));
	*cap = ncap;
	return p ? repalloc_huge(p, ncap * elem)
		: MemoryContextAllocHuge(ctx, ncap * elem);
}

static inline void
run_push(PathsState *st, int32 code, int64 len, bool may_merge)
{
	RunpathRun *last;

	if (len <= 0)
		return;
	last = st->nrun > 0 ? &st->runs[st->nrun - 1] : NULL;
	if (may_merge && last && last->code == code && (int64) last->len + len <= PG_INT32_MAX)
	{
		last->len += (int32) len;
		return;
	}
	if (st->nrun == st->runcap)
		st->runs = grow(st->ctx, st->runs, &st->runcap, sizeof(RunpathRun), 1024, "runs");
	st->runs[st->nrun].code = code;
	st->runs[st->nrun].len = (int32) Min(len, PG_INT32_MAX);
	st->nrun++;
	st->ent[st->nent - 1].nruns++;
}

/* entries + late rows below which compact() never runs (2 MB of entries) */
#define COMPACT_MIN_ITEMS ((Size) 1 << 16)

static void compact(PathsState *st);

static inline void
maybe_compact(PathsState *st)
{
	if (unlikely(st->nent + st->nlate >= st->compact_at))
		compact(st);
}

static void
entry_new(PathsState *st, int64 person, int32 week)
{
	PathsEntry *e;

	maybe_compact(st);
	if (st->nent == st->entcap)
		st->ent = grow(st->ctx, st->ent, &st->entcap, sizeof(PathsEntry), 256, "persons");
	e = &st->ent[st->nent++];
	e->person = person;
	e->first_week = week;
	e->last_week = week;
	e->run0 = st->nrun;
	e->nruns = 0;
}

static void
late_push(PathsState *st, int64 person, int32 week, int32 code)
{
	maybe_compact(st);
	if (st->nlate == st->latecap)
		st->late = grow(st->ctx, st->late, &st->latecap, sizeof(PathsRow), 64, "rows");
	st->late[st->nlate].person = person;
	st->late[st->nlate].week = week;
	st->late[st->nlate].code = code;
	st->nlate++;
}

int
paths_on_duplicate(const char *s, int len)
{
	if (len == 5 && memcmp(s, "error", 5) == 0)
		return DUP_ERROR;
	if (len == 14 && memcmp(s, "dream_priority", 14) == 0)
		return DUP_PRIORITY;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("on_duplicate \"%s\" is not known", pnstrdup(s, len)),
			 errhint("Use 'error' or 'dream_priority'.")));
	return DUP_ERROR;
}

/* on_duplicate without a palloc per row */
static int
paths_mode(FunctionCallInfo fcinfo)
{
	text	   *t;

	if (PG_NARGS() <= 4)
		return DUP_ERROR;
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("on_duplicate must not be NULL"),
				 errhint("Use 'error' or 'dream_priority'.")));
	t = PG_GETARG_TEXT_PP(4);
	return paths_on_duplicate(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

PathsState *
paths_state_create(MemoryContext ctx, int on_duplicate)
{
	PathsState *st = MemoryContextAllocZero(ctx, sizeof(PathsState));

	st->ctx = ctx;
	st->on_duplicate = on_duplicate;
	st->compact_at = COMPACT_MIN_ITEMS;
	return st;
}

int
paths_state_on_duplicate(const PathsState *st)
{
	return st->on_duplicate;
}

void
paths_state_set_person_label(PathsState *st, PathsPersonLabel fn, void *arg)
{
	st->label = fn;
	st->label_arg = arg;
}

static char *
person_label(const PathsState *st, int64 person)
{
	if (st->label)
		return st->label(person, st->label_arg);
	return psprintf(INT64_FORMAT, person);
}

static void pg_attribute_noreturn()
code_error(const PathsState *st, int64 person, DateADT week, int32 code)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("benefit code %d in the week of %s is outside 1..9999", code, si_date_str(isoweek_monday(week))),
			 errdetail("Person %s.", person_label(st, person)),
			 errhint("DREAM codes are 1..9999; give NULL for a week without benefit.")));
}

void
paths_state_add(PathsState *st, int64 person, DateADT week, int32 code, bool code_isnull)
{
	PathsEntry *e;

	Assert(!DATE_NOT_FINITE(week));
	if (code_isnull)
		code = RUNPATH_NONE;
	else if (unlikely(code < 1 || code > RUNPATH_MAX_CODE))
		code_error(st, person, week, code);

	e = st->nent > 0 ? &st->ent[st->nent - 1] : NULL;
	/*
	 * The hottest case: the Monday right after this person's last week with
	 * the same code as that week extends the last run (an entry's runs are
	 * the last ones in st->runs).
	 */
	if (likely(e != NULL && e->person == person && week == e->last_week + 7))
	{
		RunpathRun *last = &st->runs[st->nrun - 1];

		if (last->code == code && last->len < PG_INT32_MAX)
		{
			last->len++;
			e->last_week = week;
			return;
		}
	}
	{
		/* isoweek_monday, inlined: day 0 is a Saturday */
		int32		r = (week + 5) % 7;

		week -= (r < 0) ? r + 7 : r;
	}

	if (e && e->person == person && week > e->last_week)
	{
		/* the next week of the same person */
		run_push(st, GAP_CODE, ((int64) week - e->last_week) / 7 - 1, true);
		run_push(st, code, 1, true);
		st->ent[st->nent - 1].last_week = week;
	}
	else if (e && e->person == person)
		late_push(st, person, week, code);
	else
	{
		entry_new(st, person, week);
		run_push(st, code, 1, false);
	}
}

static void
set_mode(PathsState *st, int mode)
{
	if (st->on_duplicate == DUP_UNSET)
		st->on_duplicate = mode;
	else if (st->on_duplicate != mode)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("on_duplicate changes between rows of one benefit_paths"),
				 errhint("Give the same on_duplicate for every row.")));
}

/* benefit_paths(person_id bigint, week date, code int [, on_duplicate text]) */
Datum
si_paths_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	PathsState *st;
	DateADT		week;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("person_id must not be NULL in benefit_paths"),
				 errhint("Every person-week row needs the person it belongs to.")));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("week must not be NULL in benefit_paths"),
				 errhint("Every person-week row needs its week; a NULL code means no benefit that week.")));
	week = PG_GETARG_DATEADT(2);
	if (DATE_NOT_FINITE(week))
		(void) si_week_arg(fcinfo, 2, "week");	/* raises the error */

	if (PG_ARGISNULL(0))
	{
		/* first row of a group: the state lives in the aggregate context */
		if (!AggCheckCallContext(fcinfo, &ctx))
			elog(ERROR, "benefit_paths called in non-aggregate context");
		st = paths_state_create(ctx, paths_mode(fcinfo));
	}
	else
	{
		/* an internal state: only an aggregate can have passed it */
		st = (PathsState *) PG_GETARG_POINTER(0);
		if (PG_NARGS() > 4)
			set_mode(st, paths_mode(fcinfo));
	}
	paths_state_add(st, PG_GETARG_INT64(1), week, PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3), PG_ARGISNULL(3));
	PG_RETURN_POINTER(st);
}

void
paths_state_combine(PathsState *a, const PathsState *b)
{
	Size		i;

	set_mode(a, b->on_duplicate);
	/* entries are kept apart (never merged here): the final merges persons */
	for (i = 0; i < b->nent; i++)
	{
		PathsEntry *e = &b->ent[i];
		Size		j;

		entry_new(a, e->person, e->first_week);
		a->ent[a->nent - 1].last_week = e->last_week;
		for (j = 0; j < e->nruns; j++)
			run_push(a, b->runs[e->run0 + j].code, b->runs[e->run0 + j].len, false);
	}
	for (i = 0; i < b->nlate; i++)
		late_push(a, b->late[i].person, b->late[i].week, b->late[i].code);
}

Datum
si_paths_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	PathsState *a = PG_ARGISNULL(0) ? NULL : (PathsState *) PG_GETARG_POINTER(0);
	PathsState *b = PG_ARGISNULL(1) ? NULL : (PathsState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "benefit_paths combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = paths_state_create(ctx, DUP_UNSET);
	paths_state_combine(a, b);
	PG_RETURN_POINTER(a);
}

/* bytes per entry (person, first and last week, run count), run and row */
#define SERIAL_ENTRY_BYTES 24
#define SERIAL_RUN_BYTES 8
#define SERIAL_ROW_BYTES 16

/* entries [e0, e1) with their runs and late rows [l0, l1) as one state */
static bytea *
serialize_range(const PathsState *st, Size e0, Size e1, Size l0, Size l1)
{
	StringInfoData buf;
	Size		nrun = 0;
	Size		i;

	for (i = e0; i < e1; i++)
		nrun += st->ent[i].nruns;
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PATHS_SERIAL_VERSION);
	pq_sendbyte(&buf, st->on_duplicate);
	pq_sendint64(&buf, e1 - e0);
	for (i = e0; i < e1; i++)
	{
		pq_sendint64(&buf, st->ent[i].person);
		pq_sendint32(&buf, st->ent[i].first_week);
		pq_sendint32(&buf, st->ent[i].last_week);
		pq_sendint64(&buf, st->ent[i].nruns);
	}
	pq_sendint64(&buf, nrun);
	for (i = e0; i < e1; i++)
	{
		const RunpathRun *r = &st->runs[st->ent[i].run0];
		Size		j;

		for (j = 0; j < st->ent[i].nruns; j++)
		{
			pq_sendint32(&buf, r[j].code);
			pq_sendint32(&buf, r[j].len);
		}
	}
	pq_sendint64(&buf, l1 - l0);
	for (i = l0; i < l1; i++)
	{
		pq_sendint64(&buf, st->late[i].person);
		pq_sendint32(&buf, st->late[i].week);
		pq_sendint32(&buf, st->late[i].code);
	}
	return pq_endtypsend(&buf);
}

bytea *
paths_state_serialize(const PathsState *st)
{
	Size		nrun = 0;
	Size		i;

	for (i = 0; i < st->nent; i++)
		nrun += st->ent[i].nruns;
	/* one bytea holds at most 1 GB: say so rather than "out of memory" */
	if ((double) st->nent * SERIAL_ENTRY_BYTES + (double) nrun * SERIAL_RUN_BYTES +
		(double) st->nlate * SERIAL_ROW_BYTES + 64 > (double) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("benefit_paths: the partial state of one parallel process holds %zu persons' entries and %zu runs, more than 1 GB",
						st->nent, nrun),
				 errhint("For a whole table use benefit_paths_scan(table), which sends its states in parts; or run the aggregate without parallel workers (SET max_parallel_workers_per_gather = 0).")));
	return serialize_range(st, 0, st->nent, 0, st->nlate);
}

bytea *
paths_state_serialize_part(const PathsState *st, Size *ent_pos, Size *late_pos, Size max_bytes)
{
	Size		e0 = *ent_pos,
				e1 = e0,
				l0 = *late_pos,
				l1 = l0,
				bytes = 0;

	Assert(e0 <= st->nent && l0 <= st->nlate);
	if (e0 == st->nent && l0 == st->nlate)
		return NULL;
	/* whole entries (one person's runs never split), at least one */
	while (e1 < st->nent && (e1 == e0 || bytes < max_bytes))
	{
		bytes += SERIAL_ENTRY_BYTES + SERIAL_RUN_BYTES * st->ent[e1].nruns;
		e1++;
	}
	while (l1 < st->nlate && (bytes < max_bytes || (e1 == e0 && l1 == l0)))
	{
		bytes += SERIAL_ROW_BYTES;
		l1++;
	}
	*ent_pos = e1;
	*late_pos = l1;
	return serialize_range(st, e0, e1, l0, l1);
}

Datum
si_paths_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(paths_state_serialize((PathsState *) PG_GETARG_POINTER(0)));
}

static void
corrupt(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid serialized benefit_paths state: %s", why)));
}

PathsState *
paths_state_deserialize(bytea *b, MemoryContext ctx)
{
	MemoryContext old;
	StringInfoData buf;
	PathsState *st;
	int64		n,
				i,
				runs_expected = 0;

	old = MemoryContextSwitchTo(ctx);
	st = paths_state_create(ctx, DUP_UNSET);
	si_read_buffer(&buf, b);
	if (pq_getmsgbyte(&buf) != PATHS_SERIAL_VERSION)
		corrupt("unknown version");
	st->on_duplicate = pq_getmsgbyte(&buf);
	if (st->on_duplicate != DUP_ERROR && st->on_duplicate != DUP_PRIORITY)
		corrupt("unknown on_duplicate mode");
	n = pq_getmsgint64(&buf);
	if (n < 0 || n > (buf.len - buf.cursor) / SERIAL_ENTRY_BYTES)
		corrupt("entry count");
	if (n > 0)
	{
		st->entcap = n;
		st->ent = MemoryContextAllocHuge(ctx, n * sizeof(PathsEntry));
	}
	for (i = 0; i < n; i++)
	{
		PathsEntry *e = &st->ent[i];
		int64		k;

		e->person = pq_getmsgint64(&buf);
		e->first_week = pq_getmsgint(&buf, 4);
		e->last_week = pq_getmsgint(&buf, 4);
		k = pq_getmsgint64(&buf);
		if (k < 1 || e->last_week < e->first_week)
			corrupt("entry");
		e->run0 = runs_expected;
		e->nruns = k;
		runs_expected += k;
	}
	st->nent = n;
	n = pq_getmsgint64(&buf);
	if (n != runs_expected || n > (buf.len - buf.cursor) / SERIAL_RUN_BYTES)
		corrupt("run count");
	if (n > 0)
	{
		st->runcap = n;
		st->runs = MemoryContextAllocHuge(ctx, n * sizeof(RunpathRun));
	}
	for (i = 0; i < n; i++)
	{
		st->runs[i].code = pq_getmsgint(&buf, 4);
		st->runs[i].len = pq_getmsgint(&buf, 4);
		if (st->runs[i].len < 1 || st->runs[i].code < GAP_CODE || st->runs[i].code > RUNPATH_MAX_CODE)
			corrupt("run");
	}
	st->nrun = n;
	n = pq_getmsgint64(&buf);
	if (n < 0 || n > (buf.len - buf.cursor) / SERIAL_ROW_BYTES)
		corrupt("row count");
	for (i = 0; i < n; i++)
	{
		int64		p = pq_getmsgint64(&buf);
		int32		w = pq_getmsgint(&buf, 4);
		int32		c = pq_getmsgint(&buf, 4);

		if (c < RUNPATH_NONE || c > RUNPATH_MAX_CODE)
			corrupt("row");
		late_push(st, p, w, c);
	}
	pq_getmsgend(&buf);
	MemoryContextSwitchTo(old);
	return st;
}

Datum
si_paths_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "benefit_paths deserialize called in non-aggregate context");
	PG_RETURN_POINTER(paths_state_deserialize(PG_GETARG_BYTEA_PP(0), ctx));
}

/* ---- final: one path per person ---- */

static int
entry_cmp(const void *a, const void *b)
{
	const PathsEntry *x = a;
	const PathsEntry *y = b;

	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if (x->first_week != y->first_week)
		return x->first_week < y->first_week ? -1 : 1;
	return 0;
}

static int
row_cmp(const void *a, const void *b)
{
	const PathsRow *x = a;
	const PathsRow *y = b;

	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	return 0;
}

/* the two sorts with the comparison inlined (about twice qsort's speed) */
#define ST_SORT sort_entries
#define ST_ELEMENT_TYPE PathsEntry
#define ST_COMPARE(a, b) entry_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

#define ST_SORT sort_rows
#define ST_ELEMENT_TYPE PathsRow
#define ST_COMPARE(a, b) row_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * Entries in person order. Usual inputs are a few ascending sequences (a
 * compacted state followed by rows a week at a time, or the states of
 * parallel workers one after another): those are merged pairwise, in
 * linear passes, instead of sorted; anything more mixed is sorted.
 */
#define NATURAL_MERGE_MAX_SEQUENCES 64

static void
order_entries(PathsEntry *a, Size n)
{
	Size		bounds[NATURAL_MERGE_MAX_SEQUENCES + 1];
	Size		k = 1,
				i;
	PathsEntry *src,
			   *dst,
			   *buf;

	for (i = 1; i < n; i++)
		if (entry_cmp(&a[i - 1], &a[i]) > 0)
		{
			if (k == NATURAL_MERGE_MAX_SEQUENCES)
			{
				sort_entries(a, n);
				return;
			}
			bounds[k++] = i;
		}
	if (k == 1)
		return;
	bounds[0] = 0;
	bounds[k] = n;
	buf = palloc_extended(n * sizeof(PathsEntry), MCXT_ALLOC_HUGE);
	src = a;
	dst = buf;
	while (k > 1)
	{
		Size		m = 0,
					r;

		for (r = 0; r < k; r += 2)
		{
			Size		x = bounds[r],
						xe = bounds[r + 1],
						y = xe,
						ye = (r + 1 < k) ? bounds[r + 2] : xe,
						o = x;

			while (x < xe && y < ye)
				dst[o++] = (entry_cmp(&src[y], &src[x]) < 0) ? src[y++] : src[x++];
			if (x < xe)
				memcpy(&dst[o], &src[x], (xe - x) * sizeof(PathsEntry));
			else if (y < ye)
				memcpy(&dst[o], &src[y], (ye - y) * sizeof(PathsEntry));
			/* r >= m: the bound read here is not needed again */
			bounds[m++] = bounds[r];
		}
		bounds[m] = n;
		k = m;
		{
			PathsEntry *t = src;

			src = dst;
			dst = t;
		}
		CHECK_FOR_INTERRUPTS();
	}
	if (src != a)
		memcpy(a, src, n * sizeof(PathsEntry));
	pfree(buf);
}

static void
span_check(int32 first, int32 last)
{
	if (((int64) last - first) / 7 + 1 > RUNPATH_MAX_WEEKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("benefit_paths: weeks from %s to %s span more than %d weeks",
						si_date_str(first), si_date_str(last), RUNPATH_MAX_WEEKS)));
}

static void pg_attribute_noreturn()
duplicate_week_error(const PathsState *st, int64 person, DateADT week, int32 code_a, int32 code_b)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("benefit_paths: person %s: the week of %s appears twice (codes %d and %d; 0 = no benefit)",
					person_label(st, person), si_date_str(week), code_a, code_b),
			 errhint("Give one row per person and week, or use benefit_paths(person_id, week, code, 'dream_priority') to keep the code DREAM's priority rule prefers.")));
}

/*
 * The weeks with a row of one person (several entries and/or late rows), in
 * week order, each week once: a week given twice is an error naming it, or
 * resolved by DREAM's priority rule. Weeks without a row are not listed.
 */
static RunpathWeek *
person_weeks(const PathsState *st, int64 person, const PathsEntry *ent, Size nent,
			 const PathsRow *late, Size nlate, Size *nweeks)
{
	RunpathWeek *w;
	Size		n = 0,
				cap = nlate,
				i;
	long		dup;

	for (i = 0; i < nent; i++)
		cap += ((int64) ent[i].last_week - ent[i].first_week) / 7 + 1;
	w = palloc_extended(cap * sizeof(RunpathWeek), MCXT_ALLOC_HUGE);
	for (i = 0; i < nent; i++)
	{
		int32		week = ent[i].first_week;
		Size		r;

		for (r = 0; r < ent[i].nruns; r++)
		{
			const RunpathRun *run = &st->runs[ent[i].run0 + r];
			int32		j;

			if (run->code != GAP_CODE)
				for (j = 0; j < run->len; j++)
				{
					w[n].week = week + j * 7;
					w[n].code = run->code;
					n++;
				}
			week += run->len * 7;
		}
	}
	for (i = 0; i < nlate; i++)
	{
		w[n].week = late[i].week;
		w[n].code = late[i].code;
		n++;
	}
	runpath_sort_weeks(w, n);
	if (st->on_duplicate == DUP_PRIORITY)
		n = runpath_collapse_priority(w, n);
	else if ((dup = runpath_find_duplicate(w, n)) >= 0)
		duplicate_week_error(st, person, w[dup].week, w[dup - 1].code, w[dup].code);
	*nweeks = n;
	return w;
}

/* entries of one person sorted by first week, each after the one before */
static bool
entries_disjoint(const PathsEntry *ent, Size n)
{
	Size		k;

	for (k = 1; k < n; k++)
		if (ent[k].first_week <= ent[k - 1].last_week)
			return false;
	return true;
}

/*
 * Overlaying entries run by run (when one person's entries overlap, e.g.
 * states of parallel workers that read alternate chunks of a table stored
 * week by week): each side reads as GAP_CODE outside its weeks and in its
 * own gaps, so a week takes the code of the side that has a row; a week
 * with a row on both sides is a duplicate. Linear in the runs, where the
 * week merge is linear in the weeks and sorts them.
 */
#define OVERLAY_MAX_ENTRIES 16

typedef struct OverlaySide
{
	const RunpathRun *runs;
	Size		n;
	Size		i;				/* current run */
	int64		run_start;		/* its first week */
	int64		first,
				last;
} OverlaySide;

/* code at week w and the weeks it holds from w on */
static inline void
overlay_at(OverlaySide *s, int64 w, int32 *code, int64 *len)
{
	if (w < s->first)
	{
		*code = GAP_CODE;
		*len = (s->first - w) / 7;
		return;
	}
	if (w > s->last)
	{
		*code = GAP_CODE;
		*len = PG_INT64_MAX / 8;
		return;
	}
	while (s->run_start + (int64) s->runs[s->i].len * 7 <= w)
	{
		s->run_start += (int64) s->runs[s->i].len * 7;
		if (++s->i >= s->n)
			elog(ERROR, "benefit_paths: an entry's runs end before its last week");
	}
	*code = s->runs[s->i].code;
	*len = (s->run_start + (int64) s->runs[s->i].len * 7 - w) / 7;
}

/* a scratch state for one person's runs (never compacted) */
static PathsState *
person_scratch(MemoryContext ctx, int on_duplicate)
{
	PathsState *t = paths_state_create(ctx, on_duplicate);

	t->compact_at = SIZE_MAX;
	return t;
}

/* overlay b on a (each runs from its first to its last week) as out's only entry */
static void
overlay_runs(const PathsState *st, int64 person,
			 const RunpathRun *a, Size na, int32 a0, int32 a1,
			 const RunpathRun *b, Size nb, int32 b0, int32 b1, PathsState *out)
{
	OverlaySide sa = {a, na, 0, a0, a0, a1};
	OverlaySide sb = {b, nb, 0, b0, b0, b1};
	int64		lo = Min(a0, b0),
				hi = Max(a1, b1),
				w;

	out->nent = out->nrun = 0;
	entry_new(out, person, (int32) lo);
	out->ent[0].last_week = (int32) hi;
	for (w = lo; w <= hi;)
	{
		int32		ca,
					cb,
					code;
		int64		la,
					lb,
					len;

		overlay_at(&sa, w, &ca, &la);
		overlay_at(&sb, w, &cb, &lb);
		len = Min(Min(la, lb), (hi - w) / 7 + 1);
		if (ca != GAP_CODE && cb != GAP_CODE)
		{
			if (st->on_duplicate != DUP_PRIORITY)
				duplicate_week_error(st, person, (DateADT) w, ca, cb);
			code = runpath_priority_winner(ca, cb);
		}
		else
			code = (ca != GAP_CODE) ? ca : cb;
		run_push(out, code, len, w > lo);
		w += len * 7;
	}
}

#define MERGE_CONCATENATED 0
#define MERGE_OVERLAID 1
#define MERGE_WEEKWISE 2

/*
 * Append one person's entries (sorted by first week) and late rows to dst
 * as one entry, GAP_CODE for weeks without a row: entries that follow each
 * other are concatenated, a few overlapping ones overlaid run by run,
 * anything else merged week by week. Duplicates are an error or resolved by
 * DREAM's priority rule. Temporaries go into scratch (the caller resets
 * it). Returns the MERGE_* way it took.
 */
static int
person_merge(const PathsState *st, int64 person, const PathsEntry *ent, Size nent,
			 const PathsRow *late, Size nlate, PathsState *dst, MemoryContext scratch)
{
	Size		k,
				r;

	if (nlate == 0 && entries_disjoint(ent, nent))
	{
		entry_new(dst, person, ent[0].first_week);
		for (k = 0; k < nent; k++)
		{
			if (k > 0)
				run_push(dst, GAP_CODE, ((int64) ent[k].first_week - ent[k - 1].last_week) / 7 - 1, true);
			for (r = 0; r < ent[k].nruns; r++)
				run_push(dst, st->runs[ent[k].run0 + r].code, st->runs[ent[k].run0 + r].len, k > 0 || r > 0);
		}
		dst->ent[dst->nent - 1].last_week = ent[nent - 1].last_week;
		return MERGE_CONCATENATED;
	}
	if (nlate == 0 && nent <= OVERLAY_MAX_ENTRIES)
	{
		PathsState *acc = person_scratch(scratch, st->on_duplicate),
				   *next = person_scratch(scratch, st->on_duplicate);
		const RunpathRun *a = &st->runs[ent[0].run0];
		Size		na = ent[0].nruns;
		int32		first = ent[0].first_week,
					last = ent[0].last_week;

		for (k = 1; k < nent; k++)
		{
			PathsState *t;

			overlay_runs(st, person, a, na, first, last,
						 &st->runs[ent[k].run0], ent[k].nruns, ent[k].first_week, ent[k].last_week, next);
			t = acc;
			acc = next;
			next = t;
			a = acc->runs;
			na = acc->nrun;
			first = acc->ent[0].first_week;
			last = acc->ent[0].last_week;
		}
		entry_new(dst, person, first);
		for (r = 0; r < na; r++)
			run_push(dst, a[r].code, a[r].len, r > 0);
		dst->ent[dst->nent - 1].last_week = last;
		return MERGE_OVERLAID;
	}
	{
		MemoryContext old = MemoryContextSwitchTo(scratch);
		RunpathWeek *w;
		Size		n;

		w = person_weeks(st, person, ent, nent, late, nlate, &n);
		MemoryContextSwitchTo(old);
		entry_new(dst, person, w[0].week);
		run_push(dst, w[0].code, 1, false);
		for (k = 1; k < n; k++)
		{
			run_push(dst, GAP_CODE, ((int64) w[k].week - w[k - 1].week) / 7 - 1, true);
			run_push(dst, w[k].code, 1, true);
		}
		dst->ent[dst->nent - 1].last_week = w[n - 1].week;
		return MERGE_WEEKWISE;
	}
}

/*
 * After a compaction: run the next one when the new entries and rows take
 * about as much memory as the compacted state (an entry with its run is
 * 40 bytes, a run 8), so the state stays within about twice its compacted
 * size and each row's share of the compactions is constant.
 */
static Size
next_compaction(const PathsState *st)
{
	return st->nent + st->nlate + Max(Max(st->nent, COMPACT_MIN_ITEMS), st->nrun / 5);
}

/*
 * Merge every person's entries and late rows into one entry per person (in
 * person order; weeks without a row stay GAP_CODE, so a row for such a week
 * may still come), as the final would merge them. Bounds the state by the
 * persons and their runs whatever the row order.
 */
static void
compact(PathsState *st)
{
	PathsState *dst;
	MemoryContext scratch;
	Size		i,
				l = 0,
				nway[3] = {0, 0, 0};
	int			way;
	bool		simple = (st->nlate == 0);

	/* entries already one per person in order: nothing to merge */
	for (i = 1; i < st->nent && simple; i++)
		if (st->ent[i - 1].person >= st->ent[i].person)
			simple = false;
	if (simple)
	{
		st->compact_at = next_compaction(st);
		return;
	}
	Assert(st->on_duplicate != DUP_UNSET);

	order_entries(st->ent, st->nent);
	if (st->nlate > 1)
		sort_rows(st->late, st->nlate);
	dst = person_scratch(st->ctx, st->on_duplicate);
	scratch = AllocSetContextCreate(st->ctx, "benefit_paths compaction", ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < st->nent;)
	{
		int64		person = st->ent[i].person;
		Size		j = i + 1,
					l0;

		while (j < st->nent && st->ent[j].person == person)
			j++;
		if (l < st->nlate && st->late[l].person < person)
			elog(ERROR, "benefit_paths: a row of person " INT64_FORMAT " without an entry", st->late[l].person);
		l0 = l;
		while (l < st->nlate && st->late[l].person == person)
			l++;
		way = person_merge(st, person, &st->ent[i], j - i, &st->late[l0], l - l0, dst, scratch);
		nway[way]++;
		if (way != MERGE_CONCATENATED)
			MemoryContextReset(scratch);
		if ((dst->nent & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		i = j;
	}
	/* every late row belongs to a person with an entry */
	if (l != st->nlate)
		elog(ERROR, "benefit_paths: a row of person " INT64_FORMAT " without an entry", st->late[l].person);
	MemoryContextDelete(scratch);
	ereport(DEBUG2,
			(errmsg_internal("benefit_paths: compacted %zu entries and %zu rows into %zu persons (%zu concatenated, %zu overlaid, %zu merged week by week)",
							 st->nent, st->nlate, dst->nent,
							 nway[MERGE_CONCATENATED], nway[MERGE_OVERLAID], nway[MERGE_WEEKWISE])));

	if (st->ent)
		pfree(st->ent);
	if (st->runs)
		pfree(st->runs);
	if (st->late)
		pfree(st->late);
	st->ent = dst->ent;
	st->nent = dst->nent;
	st->entcap = dst->entcap;
	st->runs = dst->runs;
	st->nrun = dst->nrun;
	st->runcap = dst->runcap;
	st->late = NULL;
	st->nlate = st->latecap = 0;
	st->compact_at = next_compaction(st);
	pfree(dst);
}

/* a single in-order entry -> path (gap weeks = no benefit) */
static Datum
person_from_entry(const PathsState *st, const PathsEntry *e)
{
	RunpathRun *runs = palloc(sizeof(RunpathRun) * e->nruns);
	Size		i;

	span_check(e->first_week, e->last_week);
	for (i = 0; i < e->nruns; i++)
	{
		runs[i] = st->runs[e->run0 + i];
		if (runs[i].code == GAP_CODE)
			runs[i].code = RUNPATH_NONE;
	}
	return si_path_make(e->first_week, runs, (int) e->nruns);
}

/* rows of one person (several entries and/or late rows) -> path */
static Datum
person_from_rows(const PathsState *st, int64 person, const PathsEntry *ent, Size nent,
				 const PathsRow *late, Size nlate)
{
	PathsState *merged = person_scratch(CurrentMemoryContext, st->on_duplicate);

	(void) person_merge(st, person, ent, nent, late, nlate, merged, CurrentMemoryContext);
	return person_from_entry(merged, &merged->ent[0]);
}

void
paths_state_begin(PathsState *st)
{
	/* entries in person order (the usual case is already) */
	order_entries(st->ent, st->nent);
	if (st->nlate > 1)
		sort_rows(st->late, st->nlate);
	st->next_ent = 0;
	st->next_late = 0;
	if (st->scratch == NULL)
		st->scratch = AllocSetContextCreate(st->ctx, "benefit_paths person", ALLOCSET_DEFAULT_SIZES);
}

bool
paths_state_next(PathsState *st, int64 *person_out, Datum *path)
{
	Size		i = st->next_ent,
				j,
				l0;
	int64		person;

	if (i >= st->nent)
		return false;
	CHECK_FOR_INTERRUPTS();
	person = st->ent[i].person;
	j = i + 1;
	while (j < st->nent && st->ent[j].person == person)
		j++;
	while (st->next_late < st->nlate && st->late[st->next_late].person < person)
		st->next_late++;		/* cannot happen: every late row has an entry */
	l0 = st->next_late;
	while (st->next_late < st->nlate && st->late[st->next_late].person == person)
		st->next_late++;
	if (j == i + 1 && st->next_late == l0)
		*path = person_from_entry(st, &st->ent[i]);
	else
	{
		/* build in a scratch context, keep only the result */
		MemoryContext old = MemoryContextSwitchTo(st->scratch);
		bytea	   *v;

		v = DatumGetByteaPP(person_from_rows(st, person, &st->ent[i], j - i,
											 &st->late[l0], st->next_late - l0));
		MemoryContextSwitchTo(old);
		*path = PointerGetDatum(PG_DETOAST_DATUM_COPY(PointerGetDatum(v)));
		MemoryContextReset(st->scratch);
	}
	*person_out = person;
	st->next_ent = j;
	return true;
}

Datum
si_paths_final(PG_FUNCTION_ARGS)
{
	PathsState *st;
	TupleDesc	td;
	Oid			path_type;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *persons,
				values[2];
	Datum	   *pathv;
	bool		nulls[2] = {false, false};
	Size		np = 0;
	int64		person;
	Datum		d;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (PathsState *) PG_GETARG_POINTER(0);
	if (st->nent == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE || td->natts != 2)
		elog(ERROR, "benefit_paths: return type must be a row type of two arrays");
	path_type = get_element_type(TupleDescAttr(td, 1)->atttypid);
	if (!OidIsValid(path_type))
		elog(ERROR, "benefit_paths: second result column must be an array");
	get_typlenbyvalalign(path_type, &typlen, &typbyval, &typalign);

	persons = palloc_extended(sizeof(Datum) * st->nent, MCXT_ALLOC_HUGE);
	pathv = palloc_extended(sizeof(Datum) * st->nent, MCXT_ALLOC_HUGE);
	paths_state_begin(st);
	while (paths_state_next(st, &person, &d))
	{
		persons[np] = Int64GetDatum(person);
		pathv[np] = d;
		np++;
	}
	values[0] = PointerGetDatum(construct_array(persons, (int) np, INT8OID, sizeof(int64),
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[1] = PointerGetDatum(construct_array(pathv, (int) np, path_type, typlen, typbyval, typalign));
	td = BlessTupleDesc(td);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, values, nulls)));
}
