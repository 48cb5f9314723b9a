/*
 * pathmerge.c — the benefit_paths state without PostgreSQL (see
 * pathmerge.h): entries per person run, late rows, compaction, combining,
 * and merging each person's entries and rows into one path.
 *
 * Must not touch: postgres.h, error reporting (errors are returned in
 * state->error), memory other than through the hooks.
 */
#include "pathmerge.h"

#include <string.h>

/* ---- growing ---- */

static bool
fail(PathmergeState *m, PathmergeStatus status, int64_t person, const char *what)
{
	memset(&m->error, 0, sizeof(m->error));
	m->error.status = status;
	m->error.person = person;
	m->error.what = what;
	return false;
}

static void *
mem_alloc(PathmergeState *m, size_t size)
{
	void	   *p = m->hooks.alloc(m->hooks.arg, size);

	if (p == NULL)
		fail(m, PATHMERGE_ERR_MEMORY, 0, "memory");
	return p;
}

/* *p doubled (or min elements); false with the error set when it cannot */
static bool
grow(PathmergeState *m, void **p, size_t *cap, size_t elem, size_t min, const char *what)
{
	size_t		ncap = *cap ? *cap * 2 : min;
	void	   *np;

	if (ncap > PATHMERGE_MAX_BYTES / elem)
		return fail(m, PATHMERGE_ERR_TOO_MANY, 0, what);
	np = *p ? m->hooks.resize(m->hooks.arg, *p, ncap * elem)
		: m->hooks.alloc(m->hooks.arg, ncap * elem);
	if (np == NULL)
		return fail(m, PATHMERGE_ERR_MEMORY, 0, what);
	*p = np;
	*cap = ncap;
	return true;
}

static inline void
check(PathmergeState *m)
{
	if (m->hooks.check)
		m->hooks.check(m->hooks.arg);
}

void
pathmerge_init(PathmergeState *m, const PathmergeHooks *hooks, int on_duplicate)
{
	memset(m, 0, sizeof(*m));
	m->hooks = *hooks;
	m->on_duplicate = on_duplicate;
	m->compact_min = PATHMERGE_COMPACT_MIN;
	m->compact_at = PATHMERGE_COMPACT_MIN;
}

static void
release(PathmergeState *m, void *p)
{
	if (p)
		m->hooks.release(m->hooks.arg, p);
}

void
pathmerge_free(PathmergeState *m)
{
	release(m, m->ent);
	release(m, m->runs);
	release(m, m->late);
	release(m, m->out);
	m->ent = NULL;
	m->runs = NULL;
	m->late = NULL;
	m->out = NULL;
	m->nent = m->entcap = m->nrun = m->runcap = m->nlate = m->latecap = m->outcap = 0;
}

/* a state for one person's runs (never compacted) */
static void
scratch_init(PathmergeState *t, const PathmergeState *m)
{
	pathmerge_init(t, &m->hooks, m->on_duplicate);
	t->compact_at = SIZE_MAX;
}

bool
pathmerge_set_mode(PathmergeState *m, int on_duplicate)
{
	if (m->on_duplicate == PATHMERGE_DUP_UNSET)
		m->on_duplicate = on_duplicate;
	else if (m->on_duplicate != on_duplicate)
		return fail(m, PATHMERGE_ERR_MODE, 0, "on_duplicate");
	return true;
}

bool
pathmerge_reserve(PathmergeState *m, size_t nent, size_t nrun)
{
	if (nent > PATHMERGE_MAX_BYTES / sizeof(PathmergeEntry))
		return fail(m, PATHMERGE_ERR_TOO_MANY, 0, "persons");
	if (nrun > PATHMERGE_MAX_BYTES / sizeof(RunpathRun))
		return fail(m, PATHMERGE_ERR_TOO_MANY, 0, "runs");
	if (nent > 0)
	{
		if ((m->ent = mem_alloc(m, nent * sizeof(PathmergeEntry))) == NULL)
			return false;
		m->entcap = nent;
	}
	if (nrun > 0)
	{
		if ((m->runs = mem_alloc(m, nrun * sizeof(RunpathRun))) == NULL)
			return false;
		m->runcap = nrun;
	}
	return true;
}

/* ---- collecting ---- */

/* a run of len weeks on the last entry, joining the last run when allowed */
static inline bool
run_push(PathmergeState *m, int32_t code, int64_t len, bool may_merge)
{
	RunpathRun *last;

	if (len <= 0)
		return true;
	last = m->nrun > 0 ? &m->runs[m->nrun - 1] : NULL;
	if (may_merge && last && last->code == code && (int64_t) last->len + len <= INT32_MAX)
	{
		last->len += (int32_t) len;
		return true;
	}
	if (m->nrun == m->runcap &&
		!grow(m, (void **) &m->runs, &m->runcap, sizeof(RunpathRun), 1024, "runs"))
		return false;
	m->runs[m->nrun].code = code;
	m->runs[m->nrun].len = (int32_t) (len < INT32_MAX ? len : INT32_MAX);
	m->nrun++;
	m->ent[m->nent - 1].nruns++;
	return true;
}

static inline bool
maybe_compact(PathmergeState *m)
{
	if (m->nent + m->nlate >= m->compact_at)
		return pathmerge_compact(m);
	return true;
}

static bool
entry_new(PathmergeState *m, int64_t person, int32_t week)
{
	PathmergeEntry *e;

	if (!maybe_compact(m))
		return false;
	if (m->nent == m->entcap &&
		!grow(m, (void **) &m->ent, &m->entcap, sizeof(PathmergeEntry), 256, "persons"))
		return false;
	e = &m->ent[m->nent++];
	e->person = person;
	e->first_week = week;
	e->last_week = week;
	e->run0 = m->nrun;
	e->nruns = 0;
	return true;
}

bool
pathmerge_add_row(PathmergeState *m, int64_t person, int32_t week, int32_t code)
{
	if (!maybe_compact(m))
		return false;
	if (m->nlate == m->latecap &&
		!grow(m, (void **) &m->late, &m->latecap, sizeof(PathmergeRow), 64, "rows"))
		return false;
	m->late[m->nlate].person = person;
	m->late[m->nlate].week = week;
	m->late[m->nlate].code = code;
	m->nlate++;
	return true;
}

bool
pathmerge_fail_code(PathmergeState *m, int64_t person, int32_t week, int32_t code)
{
	fail(m, PATHMERGE_ERR_CODE, person, "code");
	m->error.week = week;
	m->error.code_a = code;
	return false;
}

/* pathmerge_add past its inline case; code already checked */
bool
pathmerge_add_slow(PathmergeState *m, int64_t person, int32_t week, int32_t code)
{
	PathmergeEntry *e = m->nent > 0 ? &m->ent[m->nent - 1] : NULL;

	{
		/* the Monday of the week (isoweek_monday, inlined): day 0 is a Saturday */
		int32_t		r = (week + 5) % 7;

		week -= (r < 0) ? r + 7 : r;
	}
	if (e && e->person == person && week > e->last_week)
	{
		/* the next week of the same person */
		if (!run_push(m, PATHMERGE_GAP, ((int64_t) week - e->last_week) / 7 - 1, true) ||
			!run_push(m, code, 1, true))
			return false;
		m->ent[m->nent - 1].last_week = week;
		return true;
	}
	if (e && e->person == person)
		return pathmerge_add_row(m, person, week, code);
	return entry_new(m, person, week) && run_push(m, code, 1, false);
}

bool
pathmerge_combine(PathmergeState *a, const PathmergeState *b)
{
	size_t		i;

	if (!pathmerge_set_mode(a, b->on_duplicate))
		return false;
	/* entries are kept apart (never merged here): the read-out merges persons */
	for (i = 0; i < b->nent; i++)
	{
		const PathmergeEntry *e = &b->ent[i];
		size_t		j;

		if (!entry_new(a, e->person, e->first_week))
			return false;
		a->ent[a->nent - 1].last_week = e->last_week;
		for (j = 0; j < e->nruns; j++)
			if (!run_push(a, b->runs[e->run0 + j].code, b->runs[e->run0 + j].len, false))
				return false;
	}
	for (i = 0; i < b->nlate; i++)
		if (!pathmerge_add_row(a, b->late[i].person, b->late[i].week, b->late[i].code))
			return false;
	return true;
}

/* ---- ordering ---- */

static inline int
entry_cmp(const PathmergeEntry *x, const PathmergeEntry *y)
{
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if (x->first_week != y->first_week)
		return x->first_week < y->first_week ? -1 : 1;
	return 0;
}

static inline int
row_cmp(const PathmergeRow *x, const PathmergeRow *y)
{
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	return 0;
}

/*
 * A stable natural merge sort: the ascending sequences already in a are
 * merged pairwise in linear passes. Usual inputs are a few such sequences
 * (a compacted state followed by rows a week at a time, or the states of
 * parallel workers one after another), which cost a pass or two; a
 * shuffled input costs log2(n) passes like any merge sort. Equal keys keep
 * their order (entries and rows are appended in input order).
 */
#define NATURAL_SORT_STACK 64

#define DEFINE_NATURAL_SORT(NAME, TYPE, CMP) \
static bool \
NAME(PathmergeState *m, TYPE *a, size_t n) \
{ \
	size_t		stack_bounds[NATURAL_SORT_STACK + 1]; \
	size_t	   *bounds = stack_bounds; \
	size_t		k = 1, \
				i; \
	TYPE	   *src, \
			   *dst, \
			   *buf; \
\
	for (i = 1; i < n; i++) \
		if (CMP(&a[i - 1], &a[i]) > 0) \
			k++; \
	if (k == 1) \
		return true; \
	if (k > NATURAL_SORT_STACK && \
		(bounds = mem_alloc(m, (k + 1) * sizeof(size_t))) == NULL) \
		return false; \
	if ((buf = mem_alloc(m, n * sizeof(TYPE))) == NULL) \
	{ \
		if (bounds != stack_bounds) \
			release(m, bounds); \
		return false; \
	} \
	k = 1; \
	for (i = 1; i < n; i++) \
		if (CMP(&a[i - 1], &a[i]) > 0) \
			bounds[k++] = i; \
	bounds[0] = 0; \
	bounds[k] = n; \
	src = a; \
	dst = buf; \
	while (k > 1) \
	{ \
		size_t		nk = 0, \
					r; \
\
		for (r = 0; r < k; r += 2) \
		{ \
			size_t		x = bounds[r], \
						xe = bounds[r + 1], \
						y = xe, \
						ye = (r + 1 < k) ? bounds[r + 2] : xe, \
						o = x; \
\
			while (x < xe && y < ye) \
				dst[o++] = (CMP(&src[y], &src[x]) < 0) ? src[y++] : src[x++]; \
			if (x < xe) \
				memcpy(&dst[o], &src[x], (xe - x) * sizeof(TYPE)); \
			else if (y < ye) \
				memcpy(&dst[o], &src[y], (ye - y) * sizeof(TYPE)); \
			/* r >= nk: the bound read here is not needed again */ \
			bounds[nk++] = bounds[r]; \
		} \
		bounds[nk] = n; \
		k = nk; \
		{ \
			TYPE	   *t = src; \
\
			src = dst; \
			dst = t; \
		} \
		check(m); \
	} \
	if (src != a) \
		memcpy(a, src, n * sizeof(TYPE)); \
	release(m, buf); \
	if (bounds != stack_bounds) \
		release(m, bounds); \
	return true; \
}

DEFINE_NATURAL_SORT(order_entries, PathmergeEntry, entry_cmp)
DEFINE_NATURAL_SORT(order_rows, PathmergeRow, row_cmp)

/* ---- one person's merge ---- */

static bool
duplicate(PathmergeState *m, int64_t person, int32_t week, int32_t code_a, int32_t code_b)
{
	fail(m, PATHMERGE_ERR_DUPLICATE, person, "week");
	m->error.week = week;
	m->error.code_a = code_a;
	m->error.code_b = code_b;
	return false;
}

/*
 * The weeks with a row of one person (several entries and/or late rows), in
 * week order, each week once: a week given twice is an error naming it, or
 * resolved by DREAM's priority rule. Weeks without a row are not listed.
 * The caller releases *out.
 */
static bool
person_weeks(PathmergeState *st, const PathmergeState *src, int64_t person,
			 const PathmergeEntry *ent, size_t nent, const PathmergeRow *late, size_t nlate,
			 RunpathWeek **out, size_t *nweeks)
{
	RunpathWeek *w;
	size_t		n = 0,
				cap = nlate,
				i;
	long		dup;

	for (i = 0; i < nent; i++)
		cap += ((int64_t) ent[i].last_week - ent[i].first_week) / 7 + 1;
	if (cap > PATHMERGE_MAX_BYTES / sizeof(RunpathWeek))
		return fail(st, PATHMERGE_ERR_TOO_MANY, person, "weeks");
	if ((w = mem_alloc(st, cap * sizeof(RunpathWeek))) == NULL)
		return false;
	for (i = 0; i < nent; i++)
	{
		int32_t		week = ent[i].first_week;
		size_t		r;

		for (r = 0; r < ent[i].nruns; r++)
		{
			const RunpathRun *run = &src->runs[ent[i].run0 + r];
			int32_t		j;

			if (run->code != PATHMERGE_GAP)
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
	if (src->on_duplicate == PATHMERGE_DUP_PRIORITY)
		n = runpath_collapse_priority(w, n);
	else if ((dup = runpath_find_duplicate(w, n)) >= 0)
	{
		duplicate(st, person, w[dup].week, w[dup - 1].code, w[dup].code);
		release(st, w);
		return false;
	}
	*out = w;
	*nweeks = n;
	return true;
}

/* entries of one person sorted by first week, each after the one before */
static bool
entries_disjoint(const PathmergeEntry *ent, size_t n)
{
	size_t		k;

	for (k = 1; k < n; k++)
		if (ent[k].first_week <= ent[k - 1].last_week)
			return false;
	return true;
}

/*
 * Overlaying entries run by run (when one person's entries overlap, e.g.
 * states of parallel workers that read alternate chunks of a table stored
 * week by week): each side reads as PATHMERGE_GAP outside its weeks and in
 * its own gaps, so a week takes the code of the side that has a row; a
 * week with a row on both sides is a duplicate. Linear in the runs, where
 * the week merge is linear in the weeks and sorts them.
 */
#define OVERLAY_MAX_ENTRIES 16

typedef struct OverlaySide
{
	const RunpathRun *runs;
	size_t		n;
	size_t		i;				/* current run */
	int64_t		run_start;		/* its first week */
	int64_t		first,
				last;
} OverlaySide;

/* code at week w and the weeks it holds from w on; false past the last run */
static inline bool
overlay_at(OverlaySide *s, int64_t w, int32_t *code, int64_t *len)
{
	if (w < s->first)
	{
		*code = PATHMERGE_GAP;
		*len = (s->first - w) / 7;
		return true;
	}
	if (w > s->last)
	{
		*code = PATHMERGE_GAP;
		*len = INT64_MAX / 8;
		return true;
	}
	while (s->run_start + (int64_t) s->runs[s->i].len * 7 <= w)
	{
		s->run_start += (int64_t) s->runs[s->i].len * 7;
		if (++s->i >= s->n)
			return false;
	}
	*code = s->runs[s->i].code;
	*len = (s->run_start + (int64_t) s->runs[s->i].len * 7 - w) / 7;
	return true;
}

/* overlay b on a (each runs from its first to its last week) as out's only entry */
static bool
overlay_runs(PathmergeState *st, int on_duplicate, int64_t person,
			 const RunpathRun *a, size_t na, int32_t a0, int32_t a1,
			 const RunpathRun *b, size_t nb, int32_t b0, int32_t b1, PathmergeState *out)
{
	OverlaySide sa = {a, na, 0, a0, a0, a1};
	OverlaySide sb = {b, nb, 0, b0, b0, b1};
	int64_t		lo = a0 < b0 ? a0 : b0,
				hi = a1 > b1 ? a1 : b1,
				w;

	out->nent = out->nrun = 0;
	if (!entry_new(out, person, (int32_t) lo))
		return fail(st, out->error.status, person, out->error.what);
	out->ent[0].last_week = (int32_t) hi;
	for (w = lo; w <= hi;)
	{
		int32_t		ca,
					cb,
					code;
		int64_t		la,
					lb,
					len;

		if (!overlay_at(&sa, w, &ca, &la) || !overlay_at(&sb, w, &cb, &lb))
			return fail(st, PATHMERGE_ERR_INTERNAL, person, "an entry's runs end before its last week");
		len = la < lb ? la : lb;
		if ((hi - w) / 7 + 1 < len)
			len = (hi - w) / 7 + 1;
		if (ca != PATHMERGE_GAP && cb != PATHMERGE_GAP)
		{
			if (on_duplicate != PATHMERGE_DUP_PRIORITY)
				return duplicate(st, person, (int32_t) w, ca, cb);
			code = runpath_priority_winner(ca, cb);
		}
		else
			code = (ca != PATHMERGE_GAP) ? ca : cb;
		if (!run_push(out, code, len, w > lo))
			return fail(st, out->error.status, person, out->error.what);
		w += len * 7;
	}
	return true;
}

#define MERGE_CONCATENATED 0
#define MERGE_OVERLAID 1
#define MERGE_WEEKWISE 2

/*
 * Append one person's entries (sorted by first week, runs in src) and late
 * rows to dst as one entry, PATHMERGE_GAP for weeks without a row: entries
 * that follow each other are concatenated, a few overlapping ones overlaid
 * run by run, anything else merged week by week. Duplicates are an error or
 * resolved by DREAM's priority rule. Errors go to st (dst's too). Returns
 * the MERGE_* way it took, or -1.
 */
static int
person_merge(PathmergeState *st, const PathmergeState *src, int64_t person,
			 const PathmergeEntry *ent, size_t nent, const PathmergeRow *late, size_t nlate,
			 PathmergeState *dst)
{
	size_t		k,
				r;

#define DST_OR_FAIL(x) \
	do { if (!(x)) { fail(st, dst->error.status, person, dst->error.what); return -1; } } while (0)

	if (nlate == 0 && entries_disjoint(ent, nent))
	{
		DST_OR_FAIL(entry_new(dst, person, ent[0].first_week));
		for (k = 0; k < nent; k++)
		{
			if (k > 0)
				DST_OR_FAIL(run_push(dst, PATHMERGE_GAP, ((int64_t) ent[k].first_week - ent[k - 1].last_week) / 7 - 1, true));
			for (r = 0; r < ent[k].nruns; r++)
				DST_OR_FAIL(run_push(dst, src->runs[ent[k].run0 + r].code, src->runs[ent[k].run0 + r].len, k > 0 || r > 0));
		}
		dst->ent[dst->nent - 1].last_week = ent[nent - 1].last_week;
		return MERGE_CONCATENATED;
	}
	if (nlate == 0 && nent <= OVERLAY_MAX_ENTRIES)
	{
		PathmergeState s1,
					s2;
		PathmergeState *acc = &s1,
				   *next = &s2;
		const RunpathRun *a = &src->runs[ent[0].run0];
		size_t		na = ent[0].nruns;
		int32_t		first = ent[0].first_week,
					last = ent[0].last_week;
		bool		ok = true;

		scratch_init(&s1, src);
		scratch_init(&s2, src);
		for (k = 1; k < nent; k++)
		{
			PathmergeState *t;

			ok = overlay_runs(st, src->on_duplicate, person, a, na, first, last,
							  &src->runs[ent[k].run0], ent[k].nruns, ent[k].first_week, ent[k].last_week, next);
			if (!ok)
				break;
			t = acc;
			acc = next;
			next = t;
			a = acc->runs;
			na = acc->nrun;
			first = acc->ent[0].first_week;
			last = acc->ent[0].last_week;
		}
		if (ok)
		{
			ok = entry_new(dst, person, first);
			for (r = 0; r < na && ok; r++)
				ok = run_push(dst, a[r].code, a[r].len, r > 0);
			if (ok)
				dst->ent[dst->nent - 1].last_week = last;
			else
				fail(st, dst->error.status, person, dst->error.what);
		}
		pathmerge_free(&s1);
		pathmerge_free(&s2);
		return ok ? MERGE_OVERLAID : -1;
	}
	{
		RunpathWeek *w;
		size_t		n;
		bool		ok;

		if (!person_weeks(st, src, person, ent, nent, late, nlate, &w, &n))
			return -1;
		ok = entry_new(dst, person, w[0].week) && run_push(dst, w[0].code, 1, false);
		for (k = 1; k < n && ok; k++)
			ok = run_push(dst, PATHMERGE_GAP, ((int64_t) w[k].week - w[k - 1].week) / 7 - 1, true) &&
				run_push(dst, w[k].code, 1, true);
		if (ok)
			dst->ent[dst->nent - 1].last_week = w[n - 1].week;
		else
			fail(st, dst->error.status, person, dst->error.what);
		release(st, w);
		return ok ? MERGE_WEEKWISE : -1;
	}
#undef DST_OR_FAIL
}

/* ---- compaction ---- */

/*
 * After a compaction: run the next one when the new entries and rows take
 * about as much memory as the compacted state (an entry with its run is
 * 40 bytes, a run 8), so the state stays within about twice its compacted
 * size and each row's share of the compactions is constant.
 */
static size_t
next_compaction(const PathmergeState *m)
{
	size_t		more = m->nent > m->compact_min ? m->nent : m->compact_min;

	if (m->nrun / 5 > more)
		more = m->nrun / 5;
	return m->nent + m->nlate + more;
}

/*
 * Merge every person's entries and late rows into one entry per person (in
 * person order; weeks without a row stay PATHMERGE_GAP, so a row for such
 * a week may still come), as the read-out would merge them. Bounds the
 * state by the persons and their runs whatever the row order.
 */
bool
pathmerge_compact(PathmergeState *st)
{
	PathmergeState dst;
	PathmergeCompaction c = {0};
	size_t		i,
				l = 0;
	int			way;
	bool		simple = (st->nlate == 0);

	/* entries already one per person in order: nothing to merge */
	for (i = 1; i < st->nent && simple; i++)
		if (st->ent[i - 1].person >= st->ent[i].person)
			simple = false;
	if (simple)
	{
		st->compact_at = next_compaction(st);
		return true;
	}

	if (!order_entries(st, st->ent, st->nent) ||
		(st->nlate > 1 && !order_rows(st, st->late, st->nlate)))
		return false;
	scratch_init(&dst, st);
	for (i = 0; i < st->nent;)
	{
		int64_t		person = st->ent[i].person;
		size_t		j = i + 1,
					l0;

		while (j < st->nent && st->ent[j].person == person)
			j++;
		if (l < st->nlate && st->late[l].person < person)
			break;
		l0 = l;
		while (l < st->nlate && st->late[l].person == person)
			l++;
		way = person_merge(st, st, person, &st->ent[i], j - i, &st->late[l0], l - l0, &dst);
		if (way < 0)
		{
			pathmerge_free(&dst);
			return false;
		}
		if (way == MERGE_CONCATENATED)
			c.concatenated++;
		else if (way == MERGE_OVERLAID)
			c.overlaid++;
		else
			c.weekwise++;
		if ((dst.nent & 1023) == 0)
			check(st);
		i = j;
	}
	/* every late row belongs to a person with an entry */
	if (l != st->nlate)
	{
		pathmerge_free(&dst);
		return fail(st, PATHMERGE_ERR_INTERNAL, st->late[l].person, "a row without an entry");
	}
	c.entries = st->nent;
	c.rows = st->nlate;
	c.persons = dst.nent;

	release(st, st->ent);
	release(st, st->runs);
	release(st, st->late);
	st->ent = dst.ent;
	st->nent = dst.nent;
	st->entcap = dst.entcap;
	st->runs = dst.runs;
	st->nrun = dst.nrun;
	st->runcap = dst.runcap;
	st->late = NULL;
	st->nlate = st->latecap = 0;
	st->compact_at = next_compaction(st);
	if (st->hooks.compacted)
		st->hooks.compacted(st->hooks.arg, &c);
	return true;
}

/* ---- read-out ---- */

bool
pathmerge_begin(PathmergeState *m)
{
	/* entries in person order (the usual case is already) */
	if (!order_entries(m, m->ent, m->nent) ||
		(m->nlate > 1 && !order_rows(m, m->late, m->nlate)))
		return false;
	m->next_ent = 0;
	m->next_late = 0;
	return true;
}

/* e's runs into m->out, PATHMERGE_GAP as no benefit */
static bool
runs_out(PathmergeState *m, const PathmergeState *src, const PathmergeEntry *e)
{
	size_t		i;

	if (((int64_t) e->last_week - e->first_week) / 7 + 1 > RUNPATH_MAX_WEEKS)
	{
		fail(m, PATHMERGE_ERR_SPAN, e->person, "span");
		m->error.week = e->first_week;
		m->error.last_week = e->last_week;
		return false;
	}
	if (e->nruns > m->outcap)
	{
		release(m, m->out);
		m->out = NULL;
		m->outcap = 0;
		if (e->nruns > PATHMERGE_MAX_BYTES / sizeof(RunpathRun))
			return fail(m, PATHMERGE_ERR_TOO_MANY, e->person, "runs");
		if ((m->out = mem_alloc(m, e->nruns * sizeof(RunpathRun))) == NULL)
			return false;
		m->outcap = e->nruns;
	}
	for (i = 0; i < e->nruns; i++)
	{
		m->out[i] = src->runs[e->run0 + i];
		if (m->out[i].code == PATHMERGE_GAP)
			m->out[i].code = RUNPATH_NONE;
	}
	return true;
}

int
pathmerge_next(PathmergeState *m, int64_t *person_out, int32_t *first_week,
			   RunpathRun **runs, size_t *nruns)
{
	size_t		i = m->next_ent,
				j,
				l0;
	int64_t		person;
	bool		ok;

	if (i >= m->nent)
		return 0;
	person = m->ent[i].person;
	j = i + 1;
	while (j < m->nent && m->ent[j].person == person)
		j++;
	while (m->next_late < m->nlate && m->late[m->next_late].person < person)
		m->next_late++;			/* cannot happen: every late row has an entry */
	l0 = m->next_late;
	while (m->next_late < m->nlate && m->late[m->next_late].person == person)
		m->next_late++;
	if (j == i + 1 && m->next_late == l0)
	{
		ok = runs_out(m, m, &m->ent[i]);
		*first_week = m->ent[i].first_week;
		*nruns = m->ent[i].nruns;
	}
	else
	{
		PathmergeState merged;

		scratch_init(&merged, m);
		ok = person_merge(m, m, person, &m->ent[i], j - i, &m->late[l0], m->next_late - l0, &merged) >= 0 &&
			runs_out(m, &merged, &merged.ent[0]);
		if (ok)
		{
			*first_week = merged.ent[0].first_week;
			*nruns = merged.ent[0].nruns;
		}
		pathmerge_free(&merged);
	}
	if (!ok)
		return -1;
	*runs = m->out;
	*person_out = person;
	m->next_ent = j;
	return 1;
}
