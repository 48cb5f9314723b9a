/*
 * paths_stream.c — benefit_paths(person_id, week, code): the benefit
 * paths of many persons from person-week rows in one aggregate, without
 * GROUP BY person_id; and the same state for benefit_paths_scan.
 *
 * Owns: the glue of the state in src/math/pathmerge.c (memory contexts as
 * its hooks, CHECK_FOR_INTERRUPTS, errors with the person named), the
 * aggregate's transition, combine and final functions, and the serialized
 * form (whole, or in parts for benefit_paths_scan's workers). Must not
 * touch: the merge itself (pathmerge.c: one entry per person run, late
 * rows, compaction, merging a person's entries), table scans (paths_scan.c).
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
 * week, or DREAM's priority rule: docs/methods.md, *Benefit paths and
 * per-person measures*). Partial states (parallel workers, Citus workers:
 * the SQL type benefit_paths_partial, partial_state.c) are simply
 * concatenated (a person cut by a scan chunk boundary or split over
 * shards has two entries). Memory grows
 * with persons and runs, not rows: the core compacts (see pathmerge.h).
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
#include "pathmerge.h"
#include "partial_state.h"
#include "paths_stream.h"
#include "state_io.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_paths_trans);
PG_FUNCTION_INFO_V1(si_paths_combine);
PG_FUNCTION_INFO_V1(si_paths_serialize);
PG_FUNCTION_INFO_V1(si_paths_deserialize);
PG_FUNCTION_INFO_V1(si_paths_final);

#define DUP_UNSET PATHMERGE_DUP_UNSET
#define DUP_ERROR PATHMERGE_DUP_ERROR
#define DUP_PRIORITY PATHMERGE_DUP_PRIORITY

#define PATHS_SERIAL_VERSION 1

static PathsState *paths_state_read(const char *data, int len, MemoryContext ctx);
static Datum paths_final_result(FunctionCallInfo fcinfo, PathsState *st);

struct PathsState
{
	PathmergeState m;			/* entries, runs, late rows (pathmerge.h) */
	MemoryContext ctx;			/* the context holding the state */
	/* how errors name a person (NULL: the key itself) */
	PathsPersonLabel label;
	void	   *label_arg;
};

/* ---- the core's hooks: the state's memory context, interrupts ---- */

static void *
hook_alloc(void *arg, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) arg, size);
}

static void *
hook_resize(void *arg pg_attribute_unused(), void *p, size_t size)
{
	return repalloc_huge(p, size);
}

static void
hook_release(void *arg pg_attribute_unused(), void *p)
{
	pfree(p);
}

static void
hook_check(void *arg pg_attribute_unused())
{
	CHECK_FOR_INTERRUPTS();
}

static void
hook_compacted(void *arg pg_attribute_unused(), const PathmergeCompaction *c)
{
	ereport(DEBUG2,
			(errmsg_internal("benefit_paths: compacted %zu entries and %zu rows into %zu persons (%zu concatenated, %zu overlaid, %zu merged week by week)",
							 c->entries, c->rows, c->persons,
							 c->concatenated, c->overlaid, c->weekwise)));
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
int
paths_on_duplicate_arg(FunctionCallInfo fcinfo, int argno)
{
	text	   *t;

	if (PG_NARGS() <= argno)
		return DUP_ERROR;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("on_duplicate must not be NULL"),
				 errhint("Use 'error' or 'dream_priority'.")));
	t = PG_GETARG_TEXT_PP(argno);
	return paths_on_duplicate(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

PathsState *
paths_state_create(MemoryContext ctx, int on_duplicate)
{
	PathsState *st = MemoryContextAllocZero(ctx, sizeof(PathsState));
	PathmergeHooks hooks = {hook_alloc, hook_resize, hook_release, hook_check,
	hook_compacted, ctx};

	st->ctx = ctx;
	pathmerge_init(&st->m, &hooks, on_duplicate);
	return st;
}

int
paths_state_on_duplicate(const PathsState *st)
{
	return st->m.on_duplicate;
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

/* the error the core left in st->m.error */
static void pg_attribute_noreturn()
paths_error(const PathsState *st)
{
	const PathmergeError *e = &st->m.error;

	switch (e->status)
	{
		case PATHMERGE_ERR_CODE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("benefit code %d in the week of %s is outside 1..9999", e->code_a, si_date_str(isoweek_monday(e->week))),
					 errdetail("Person %s.", person_label(st, e->person)),
					 errhint("DREAM codes are 1..9999; give NULL for a week without benefit.")));
			break;
		case PATHMERGE_ERR_DUPLICATE:
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("benefit_paths: person %s: the week of %s appears twice (codes %d and %d; 0 = no benefit)",
							person_label(st, e->person), si_date_str(e->week), e->code_a, e->code_b),
					 errhint("Give one row per person and week, or use benefit_paths(person_id, week, code, 'dream_priority') to keep the code DREAM's priority rule prefers.")));
			break;
		case PATHMERGE_ERR_MODE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("on_duplicate changes between rows of one benefit_paths"),
					 errhint("Give the same on_duplicate for every row.")));
			break;
		case PATHMERGE_ERR_SPAN:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("benefit_paths: weeks from %s to %s span more than %d weeks",
							si_date_str(e->week), si_date_str(e->last_week), RUNPATH_MAX_WEEKS)));
			break;
		case PATHMERGE_ERR_TOO_MANY:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("benefit_paths: too many %s", e->what)));
			break;
		case PATHMERGE_ERR_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			break;
		default:
			elog(ERROR, "benefit_paths: %s (person " INT64_FORMAT ")", e->what ? e->what : "?", e->person);
	}
	pg_unreachable();
}

void
paths_state_add(PathsState *st, int64 person, DateADT week, int32 code, bool code_isnull)
{
	Assert(!DATE_NOT_FINITE(week));
	if (unlikely(!pathmerge_add(&st->m, person, week, code, code_isnull)))
		paths_error(st);
}

static void
set_mode(PathsState *st, int mode)
{
	if (!pathmerge_set_mode(&st->m, mode))
		paths_error(st);
}

/*
 * A row's week, after the checks every benefit_paths transition makes:
 * a person and a finite week (a NULL code means no benefit that week).
 */
static DateADT
row_week(FunctionCallInfo fcinfo)
{
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
	return week;
}

/* benefit_paths(person_id bigint, week date, code int [, on_duplicate text]) */
Datum
si_paths_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	PathsState *st;
	DateADT		week;

	week = row_week(fcinfo);

	if (PG_ARGISNULL(0))
	{
		/* first row of a group: the state lives in the aggregate context */
		ctx = si_agg_context(fcinfo, "benefit_paths");
		st = paths_state_create(ctx, paths_on_duplicate_arg(fcinfo, 4));
	}
	else
	{
		/* an internal state: only an aggregate can have passed it */
		st = (PathsState *) PG_GETARG_POINTER(0);
		if (PG_NARGS() > 4)
			set_mode(st, paths_on_duplicate_arg(fcinfo, 4));
	}
	paths_state_add(st, PG_GETARG_INT64(1), week, PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3), PG_ARGISNULL(3));
	PG_RETURN_POINTER(st);
}

void
paths_state_combine(PathsState *a, const PathsState *b)
{
	if (!pathmerge_combine(&a->m, &b->m))
		paths_error(a);
}

Datum
si_paths_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	PathsState *a,
			   *b;

	if (si_combine_begin(fcinfo, "benefit_paths combine", &ctx, (void **) &a, (void **) &b))
		return PointerGetDatum(a);
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
		nrun += st->m.ent[i].nruns;
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PATHS_SERIAL_VERSION);
	pq_sendbyte(&buf, st->m.on_duplicate);
	pq_sendint64(&buf, e1 - e0);
	for (i = e0; i < e1; i++)
	{
		pq_sendint64(&buf, st->m.ent[i].person);
		pq_sendint32(&buf, st->m.ent[i].first_week);
		pq_sendint32(&buf, st->m.ent[i].last_week);
		pq_sendint64(&buf, st->m.ent[i].nruns);
	}
	pq_sendint64(&buf, nrun);
	for (i = e0; i < e1; i++)
	{
		const RunpathRun *r = &st->m.runs[st->m.ent[i].run0];
		Size		j;

		for (j = 0; j < st->m.ent[i].nruns; j++)
		{
			pq_sendint32(&buf, r[j].code);
			pq_sendint32(&buf, r[j].len);
		}
	}
	pq_sendint64(&buf, l1 - l0);
	for (i = l0; i < l1; i++)
	{
		pq_sendint64(&buf, st->m.late[i].person);
		pq_sendint32(&buf, st->m.late[i].week);
		pq_sendint32(&buf, st->m.late[i].code);
	}
	return pq_endtypsend(&buf);
}

bytea *
paths_state_serialize(const PathsState *st)
{
	Size		nrun = 0;
	Size		i;

	for (i = 0; i < st->m.nent; i++)
		nrun += st->m.ent[i].nruns;
	/* one bytea holds at most 1 GB: say so rather than "out of memory" */
	if ((double) st->m.nent * SERIAL_ENTRY_BYTES + (double) nrun * SERIAL_RUN_BYTES +
		(double) st->m.nlate * SERIAL_ROW_BYTES + 64 > (double) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("benefit_paths: the partial state of one parallel process holds %zu persons' entries and %zu runs, more than 1 GB",
						st->m.nent, nrun),
				 errhint("For a whole table use benefit_paths_scan(table), which sends its states in parts; or run the aggregate without parallel workers (SET max_parallel_workers_per_gather = 0).")));
	return serialize_range(st, 0, st->m.nent, 0, st->m.nlate);
}

bytea *
paths_state_serialize_part(const PathsState *st, Size *ent_pos, Size *late_pos, Size max_bytes)
{
	Size		e0 = *ent_pos,
				e1 = e0,
				l0 = *late_pos,
				l1 = l0,
				bytes = 0;

	Assert(e0 <= st->m.nent && l0 <= st->m.nlate);
	if (e0 == st->m.nent && l0 == st->m.nlate)
		return NULL;
	/* whole entries (one person's runs never split), at least one */
	while (e1 < st->m.nent && (e1 == e0 || bytes < max_bytes))
	{
		bytes += SERIAL_ENTRY_BYTES + SERIAL_RUN_BYTES * st->m.ent[e1].nruns;
		e1++;
	}
	while (l1 < st->m.nlate && (bytes < max_bytes || (e1 == e0 && l1 == l0)))
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

/* the stored or sent form is also a type's input (its partial state type): bad bytes are bad input, 22P03 */
static void
corrupt(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized benefit_paths state: %s", why)));
}

PathsState *
paths_state_deserialize(bytea *b, MemoryContext ctx)
{
	return paths_state_read(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), ctx);
}

static PathsState *
paths_state_read(const char *data, int len, MemoryContext ctx)
{
	MemoryContext old;
	StringInfoData buf;
	PathsState *st;
	PathmergeState *m;
	int64		n,
				i,
				runs_expected = 0;
	int64		nent;

	old = MemoryContextSwitchTo(ctx);
	st = paths_state_create(ctx, DUP_UNSET);
	m = &st->m;
	buf.data = unconstify(char *, data);
	buf.len = buf.maxlen = len;
	buf.cursor = 0;
	if (pq_getmsgbyte(&buf) != PATHS_SERIAL_VERSION)
		corrupt("unknown version");
	m->on_duplicate = pq_getmsgbyte(&buf);
	if (m->on_duplicate != DUP_ERROR && m->on_duplicate != DUP_PRIORITY)
		corrupt("unknown on_duplicate mode");
	nent = pq_getmsgint64(&buf);
	if (nent < 0 || nent > (buf.len - buf.cursor) / SERIAL_ENTRY_BYTES)
		corrupt("entry count");
	if (!pathmerge_reserve(m, nent, 0))
		paths_error(st);
	for (i = 0; i < nent; i++)
	{
		PathmergeEntry *e = &m->ent[i];
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
	m->nent = nent;
	n = pq_getmsgint64(&buf);
	if (n != runs_expected || n > (buf.len - buf.cursor) / SERIAL_RUN_BYTES)
		corrupt("run count");
	if (!pathmerge_reserve(m, 0, n))
		paths_error(st);
	for (i = 0; i < n; i++)
	{
		m->runs[i].code = pq_getmsgint(&buf, 4);
		m->runs[i].len = pq_getmsgint(&buf, 4);
		if (m->runs[i].len < 1 || m->runs[i].code < PATHMERGE_GAP || m->runs[i].code > RUNPATH_MAX_CODE)
			corrupt("run");
	}
	m->nrun = n;
	/* each entry: a Monday, and runs that cover its weeks exactly */
	for (i = 0; i < nent; i++)
	{
		const PathmergeEntry *e = &m->ent[i];
		int64		weeks = 0;
		Size		j;

		if (DATE_NOT_FINITE(e->first_week) || isoweek_monday(e->first_week) != e->first_week ||
			((int64) e->last_week - e->first_week) % 7 != 0 ||
			((int64) e->last_week - e->first_week) / 7 + 1 > RUNPATH_MAX_WEEKS)
			corrupt("entry weeks");
		for (j = 0; j < e->nruns; j++)
			weeks += m->runs[e->run0 + j].len;
		if (weeks != ((int64) e->last_week - e->first_week) / 7 + 1)
			corrupt("an entry's runs do not cover its weeks");
	}
	n = pq_getmsgint64(&buf);
	if (n < 0 || n > (buf.len - buf.cursor) / SERIAL_ROW_BYTES)
		corrupt("row count");
	for (i = 0; i < n; i++)
	{
		int64		p = pq_getmsgint64(&buf);
		int32		w = pq_getmsgint(&buf, 4);
		int32		c = pq_getmsgint(&buf, 4);

		if (c < RUNPATH_NONE || c > RUNPATH_MAX_CODE || DATE_NOT_FINITE(w) ||
			isoweek_monday(w) != w)
			corrupt("row");
		if (!pathmerge_add_row(m, p, w, c))
			paths_error(st);
	}
	pq_getmsgend(&buf);
	MemoryContextSwitchTo(old);
	return st;
}

Datum
si_paths_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = si_agg_context(fcinfo, "benefit_paths deserialize");

	PG_RETURN_POINTER(paths_state_deserialize(PG_GETARG_BYTEA_PP(0), ctx));
}

/* ---- final: one path per person ---- */

void
paths_state_begin(PathsState *st)
{
	if (!pathmerge_begin(&st->m))
		paths_error(st);
}

bool
paths_state_next(PathsState *st, int64 *person_out, Datum *path)
{
	int64_t		person;
	int32_t		first;
	RunpathRun *runs;
	size_t		nruns;
	int			r;

	if (st->m.next_ent >= st->m.nent)
		return false;
	CHECK_FOR_INTERRUPTS();
	r = pathmerge_next(&st->m, &person, &first, &runs, &nruns);
	if (r < 0)
		paths_error(st);
	Assert(r > 0);
	*path = si_path_make(first, runs, (int) nruns);
	*person_out = person;
	return true;
}

Datum
si_paths_final(PG_FUNCTION_ARGS)
{
	PathsState *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (PathsState *) PG_GETARG_POINTER(0);
	return paths_final_result(fcinfo, st);
}

/* the benefit_path_set of a state (changes the state: read-out order) */
static Datum
paths_final_result(FunctionCallInfo fcinfo, PathsState *st)
{
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

	if (st->m.nent == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE || td->natts != 2)
		elog(ERROR, "benefit_paths: return type must be a row type of two arrays");
	path_type = get_element_type(TupleDescAttr(td, 1)->atttypid);
	if (!OidIsValid(path_type))
		elog(ERROR, "benefit_paths: second result column must be an array");
	get_typlenbyvalalign(path_type, &typlen, &typbyval, &typalign);

	persons = palloc_extended(sizeof(Datum) * st->m.nent, MCXT_ALLOC_HUGE);
	pathv = palloc_extended(sizeof(Datum) * st->m.nent, MCXT_ALLOC_HUGE);
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

/* ---- benefit_paths_partial: the state as a real type (partial_state.h) ---- */

PG_FUNCTION_INFO_V1(si_paths_partial_trans);
PG_FUNCTION_INFO_V1(si_paths_partial_combine);
PG_FUNCTION_INFO_V1(si_paths_partial_final);
PG_FUNCTION_INFO_V1(si_paths_partial_in);
PG_FUNCTION_INFO_V1(si_paths_partial_out);
PG_FUNCTION_INFO_V1(si_paths_partial_recv);
PG_FUNCTION_INFO_V1(si_paths_partial_send);

static bytea *
paths_kind_serialize(void *state)
{
	return paths_state_serialize((const PathsState *) state);
}

static void *
paths_kind_deserialize(const char *data, int len, MemoryContext ctx)
{
	return paths_state_read(data, len, ctx);
}

/* a NULL: a new state whose on_duplicate mode the first merged state sets */
static void *
paths_kind_merge(void *a, const void *b, MemoryContext ctx)
{
	if (a == NULL)
		a = paths_state_create(ctx, DUP_UNSET);
	paths_state_combine((PathsState *) a, (const PathsState *) b);
	return a;
}

static const SiPartialKind paths_kind = {
	"benefit_paths_partial", paths_kind_serialize, paths_kind_deserialize, paths_kind_merge
};

/* benefit_paths(person_id, week, code [, on_duplicate]) over benefit_paths_partial */
Datum
si_paths_partial_trans(PG_FUNCTION_ARGS)
{
	SiPartial  *p;
	DateADT		week;

	week = row_week(fcinfo);

	p = si_partial_arg_rw_fast(fcinfo, 0, &paths_kind, "benefit_paths");
	if (p == NULL)
	{
		p = si_partial_start(fcinfo, &paths_kind, "benefit_paths");
		p->state = paths_state_create(p->hdr.eoh_context, paths_on_duplicate_arg(fcinfo, 4));
	}
	else if (PG_NARGS() > 4)
		set_mode((PathsState *) p->state, paths_on_duplicate_arg(fcinfo, 4));
	paths_state_add((PathsState *) p->state, PG_GETARG_INT64(1), week,
					PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3), PG_ARGISNULL(3));
	return si_partial_datum(p);
}

Datum
si_paths_partial_combine(PG_FUNCTION_ARGS)
{
	return si_partial_combine(fcinfo, &paths_kind, "benefit_paths combine");
}

Datum
si_paths_partial_final(PG_FUNCTION_ARGS)
{
	PathsState *st = (PathsState *) si_partial_arg_ro(fcinfo, 0, &paths_kind);

	if (st == NULL)
		PG_RETURN_NULL();
	return paths_final_result(fcinfo, st);
}

Datum
si_paths_partial_in(PG_FUNCTION_ARGS)
{
	return si_partial_in(PG_GETARG_CSTRING(0), &paths_kind);
}

Datum
si_paths_partial_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(si_partial_out(PG_GETARG_DATUM(0), &paths_kind));
}

Datum
si_paths_partial_recv(PG_FUNCTION_ARGS)
{
	return si_partial_recv((StringInfo) PG_GETARG_POINTER(0), &paths_kind);
}

Datum
si_paths_partial_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(si_partial_send(PG_GETARG_DATUM(0), &paths_kind));
}
