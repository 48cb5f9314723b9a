/*
 * Unit tests of src/math/pathmerge.c: the benefit_paths state (entries per
 * person run, late rows, compaction, combining, merging). Expected paths
 * are written out by hand in the text form of runpath.h, or (for shuffled
 * and compacted input) built independently from a per-person table of
 * weeks. Duplicates and DREAM's priority rule: docs/methods.md, *Benefit
 * paths and per-person measures*.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "isoweek.h"
#include "pathmerge.h"

/* ---- hooks: malloc, with a budget of allocations for failure tests ---- */

static long alloc_budget = -1;	/* -1: unlimited */
static int	checks_seen = 0;
static int	compactions_seen = 0;
static PathmergeCompaction last_compaction;

static void *
t_alloc(void *arg, size_t size)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return malloc(size);
}

static void *
t_resize(void *arg, void *p, size_t size)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return realloc(p, size);
}

static void
t_release(void *arg, void *p)
{
	free(p);
}

static void
t_check(void *arg)
{
	checks_seen++;
}

static void
t_compacted(void *arg, const PathmergeCompaction *c)
{
	compactions_seen++;
	last_compaction = *c;
}

static const PathmergeHooks hooks = {t_alloc, t_resize, t_release, t_check, t_compacted, NULL};

/* Monday 2019-01-07 plus k weeks */
static int32_t
wk(int k)
{
	return isoweek_days_from_civil(2019, 1, 7) + 7 * k;
}

/* add a row; code 0 = NULL code */
static bool
add(PathmergeState *m, int64_t person, int week, int code)
{
	return pathmerge_add(m, person, wk(week), code, code == 0);
}

/*
 * Read everything out as "person=path;..." (paths canonical, in text form);
 * on an error "error <status>".
 */
static char out_text[65536];

static const char *
read_all(PathmergeState *m)
{
	size_t		n = 0;
	int64_t		person;
	int32_t		first;
	RunpathRun *runs;
	size_t		nruns;
	int			r;

	out_text[0] = '\0';
	if (!pathmerge_begin(m))
	{
		snprintf(out_text, sizeof(out_text), "error %d", (int) m->error.status);
		return out_text;
	}
	while ((r = pathmerge_next(m, &person, &first, &runs, &nruns)) > 0)
	{
		char		path[4096];
		int			k = runpath_canonicalize(runs, (int) nruns);

		runpath_format(path, first, runs, k);
		n += (size_t) snprintf(out_text + n, sizeof(out_text) - n, "%s%lld=%s",
							   n ? ";" : "", (long long) person, path);
	}
	if (r < 0)
		snprintf(out_text, sizeof(out_text), "error %d", (int) m->error.status);
	return out_text;
}

static void
test_in_order(void)
{
	PathmergeState m;

	pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
	add(&m, 1, 0, 130);
	add(&m, 1, 1, 130);
	add(&m, 1, 3, 0);			/* week 2 has no row, week 3 a NULL code */
	add(&m, 1, 4, 130);
	pathmerge_add(&m, 2, wk(0) + 3, 997, false);	/* a Thursday: its Monday */
	add(&m, 2, 1, 997);
	CHECK(m.nent == 2 && m.nlate == 0, "rows in person order make one entry per person (%zu entries)", m.nent);
	CHECK(m.nrun == 5, "the gap week is a run of its own until the read-out (%zu runs)", m.nrun);
	read_all(&m);
	CHECK(strcmp(out_text, "1=2019-01-07:130x2,-x2,130x1;2=2019-01-07:997x2") == 0,
		  "in-order rows: %s", out_text);
	pathmerge_free(&m);
}

static void
test_interleaved_and_late(void)
{
	PathmergeState m;

	pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
	/* person 2 and 1 alternate: entries concatenated at the read-out */
	add(&m, 2, 0, 111);
	add(&m, 1, 0, 130);
	add(&m, 2, 1, 111);
	add(&m, 1, 2, 130);
	/* person 3 backwards: weeks not after the entry's last are late rows */
	add(&m, 3, 5, 211);
	add(&m, 3, 1, 211);
	add(&m, 3, 3, 212);
	CHECK(m.nent == 5 && m.nlate == 2, "5 entries and 2 late rows (%zu, %zu)", m.nent, m.nlate);
	read_all(&m);
	CHECK(strcmp(out_text,
				 "1=2019-01-07:130x1,-x1,130x1;2=2019-01-07:111x2;3=2019-01-14:211x1,-x1,212x1,-x1,211x1") == 0,
		  "interleaved persons and late rows: %s", out_text);
	pathmerge_free(&m);
}

static void
test_duplicates(void)
{
	PathmergeState m;

	/* a late duplicate: week merge names the entry's code, then the row's */
	pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
	add(&m, 7, 0, 130);
	add(&m, 7, 1, 130);
	add(&m, 7, 1, 211);
	read_all(&m);
	CHECK(strcmp(out_text, "error 2") == 0 && m.error.person == 7 && m.error.week == wk(1) &&
		  m.error.code_a == 130 && m.error.code_b == 211,
		  "a week twice is an error naming person 7, the week and codes 130, 211 (%lld, %d, %d)",
		  (long long) m.error.person, m.error.code_a, m.error.code_b);
	pathmerge_free(&m);

	/* the same rows with DREAM's priority rule */
	pathmerge_init(&m, &hooks, PATHMERGE_DUP_PRIORITY);
	add(&m, 7, 0, 130);
	add(&m, 7, 1, 130);
	add(&m, 7, 1, 211);			/* 130 < 211: 130 stays */
	add(&m, 7, 0, 998);			/* censoring wins */
	add(&m, 7, 2, 0);
	add(&m, 7, 2, 890);			/* any code beats no benefit */
	read_all(&m);
	CHECK(strcmp(out_text, "7=2019-01-07:998x1,130x1,890x1") == 0,
		  "dream_priority: censoring, then any code over none, else the lower code: %s", out_text);
	pathmerge_free(&m);
}

/* two states of one person, as two parallel workers' */
static void
test_combine_overlay(void)
{
	PathmergeState a,
				b,
				c;
	bool		ok;

	pathmerge_init(&a, &hooks, PATHMERGE_DUP_ERROR);
	pathmerge_init(&b, &hooks, PATHMERGE_DUP_ERROR);
	/* worker a reads even weeks, b odd weeks: the entries overlap */
	add(&a, 4, 0, 130);
	add(&a, 4, 2, 130);
	add(&a, 4, 4, 130);
	add(&b, 4, 1, 130);
	add(&b, 4, 3, 211);
	add(&b, 5, 9, 111);
	pathmerge_init(&c, &hooks, PATHMERGE_DUP_UNSET);
	ok = pathmerge_combine(&c, &a) && pathmerge_combine(&c, &b);
	CHECK(ok && c.on_duplicate == PATHMERGE_DUP_ERROR, "combine takes the first state's on_duplicate");
	CHECK(c.nent == 3, "combined entries are kept apart (%zu)", c.nent);
	read_all(&c);
	CHECK(strcmp(out_text, "4=2019-01-07:130x3,211x1,130x1;5=2019-03-11:111x1") == 0,
		  "overlapping entries overlaid run by run: %s", out_text);
	pathmerge_free(&c);

	/* a week on both sides */
	add(&b, 4, 4, 212);
	pathmerge_init(&c, &hooks, PATHMERGE_DUP_UNSET);
	pathmerge_combine(&c, &a);
	pathmerge_combine(&c, &b);
	read_all(&c);
	CHECK(strcmp(out_text, "error 2") == 0 && c.error.week == wk(4) && c.error.code_a == 130 && c.error.code_b == 212,
		  "overlay: a week on both sides is a duplicate naming the week and codes 130, 212 (%d, %d)",
		  c.error.code_a, c.error.code_b);
	pathmerge_free(&c);

	/* on_duplicate must agree */
	{
		PathmergeState p;

		pathmerge_init(&p, &hooks, PATHMERGE_DUP_PRIORITY);
		add(&p, 1, 0, 1);
		ok = pathmerge_combine(&a, &p);
		CHECK(!ok && a.error.status == PATHMERGE_ERR_MODE,
			  "combining states with different on_duplicate is an error");
		pathmerge_free(&p);
	}
	pathmerge_free(&a);
	pathmerge_free(&b);
}

/* ---- shuffled rows against a per-person table of weeks ---- */

#define NP 40
#define NW 30

static uint64_t lcg = 12345;

static uint32_t
rnd(uint32_t n)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t) (lcg >> 33) % n;
}

/* the expected read-out of a table code[p][w] (-1: no row, 0: NULL code) */
static void
expected_text(int code[NP][NW], char *buf, size_t size)
{
	size_t		n = 0;
	int			p;

	buf[0] = '\0';
	for (p = 0; p < NP; p++)
	{
		int			first = -1,
					last = -1,
					w;
		RunpathRun	runs[NW];
		int			k = 0;
		char		path[1024];

		for (w = 0; w < NW; w++)
			if (code[p][w] >= 0)
			{
				if (first < 0)
					first = w;
				last = w;
			}
		if (first < 0)
			continue;
		for (w = first; w <= last; w++)
		{
			runs[k].code = code[p][w] > 0 ? code[p][w] : RUNPATH_NONE;
			runs[k].len = 1;
			k++;
		}
		k = runpath_canonicalize(runs, k);
		runpath_format(path, wk(first), runs, k);
		n += (size_t) snprintf(buf + n, size - n, "%s%d=%s", n ? ";" : "", p, path);
	}
}

static void
test_shuffled_compaction(void)
{
	static int	code[NP][NW];
	static PathmergeRow rows[NP * NW];
	static char want[65536];
	size_t		nrows = 0,
				i;
	int			p,
				w,
				trial;

	for (trial = 0; trial < 3; trial++)
	{
		PathmergeState big,
					small;
		size_t		max_items = 0;

		nrows = 0;
		for (p = 0; p < NP; p++)
			for (w = 0; w < NW; w++)
			{
				code[p][w] = rnd(3) == 0 ? -1 : (int) rnd(4) * 100;	/* some weeks without a row */
				if (code[p][w] >= 0)
				{
					rows[nrows].person = p;
					rows[nrows].week = w;
					rows[nrows].code = code[p][w];
					nrows++;
				}
			}
		/* trial 0: person order, 1: week by week (a table appended weekly), 2: shuffled */
		if (trial == 1)
			for (i = 0; i < nrows; i++)
			{
				size_t		j;

				for (j = i + 1; j < nrows; j++)
					if (rows[j].week < rows[i].week ||
						(rows[j].week == rows[i].week && rows[j].person < rows[i].person))
					{
						PathmergeRow t = rows[i];

						rows[i] = rows[j];
						rows[j] = t;
					}
			}
		if (trial == 2)
			for (i = nrows - 1; i > 0; i--)
			{
				size_t		j = rnd((uint32_t) i + 1);
				PathmergeRow t = rows[i];

				rows[i] = rows[j];
				rows[j] = t;
			}
		expected_text(code, want, sizeof(want));

		pathmerge_init(&big, &hooks, PATHMERGE_DUP_ERROR);
		pathmerge_init(&small, &hooks, PATHMERGE_DUP_ERROR);
		small.compact_min = small.compact_at = 16;
		compactions_seen = 0;
		for (i = 0; i < nrows; i++)
		{
			add(&big, rows[i].person, rows[i].week, rows[i].code);
			add(&small, rows[i].person, rows[i].week, rows[i].code);
			if (small.nent + small.nlate > max_items)
				max_items = small.nent + small.nlate;
		}
		read_all(&big);
		CHECK(strcmp(out_text, want) == 0, "order %d: every person's path as the table of weeks has it", trial);
		read_all(&small);
		CHECK(strcmp(out_text, want) == 0, "order %d: the same with compaction every 16+ items", trial);
		if (trial == 0)
			CHECK(compactions_seen == 0, "order 0: in-order entries need no merging (%d)", compactions_seen);
		else
		{
			CHECK(compactions_seen > 0 && last_compaction.persons <= NP,
				  "order %d: compacted %d times, into at most %d persons (%zu)",
				  trial, compactions_seen, NP, last_compaction.persons);
			/* bounded by the persons and runs, not by the rows */
			CHECK(max_items <= 2 * (size_t) NP + 16 + NP * NW / 5 + 1 && max_items < nrows,
				  "order %d: entries + late rows stay bounded (%zu of %zu rows)", trial, max_items, nrows);
		}
		pathmerge_free(&big);
		pathmerge_free(&small);
	}
}

static void
test_errors(void)
{
	PathmergeState m;
	bool		ok;

	pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
	ok = pathmerge_add(&m, 3, wk(2) + 1, 10000, false);
	CHECK(!ok && m.error.status == PATHMERGE_ERR_CODE &&
		  m.error.person == 3 && m.error.week == wk(2) + 1 && m.error.code_a == 10000,
		  "code 10000 is an error naming the person, the day given and the code");
	ok = pathmerge_add(&m, 3, wk(2), 0, false);
	CHECK(!ok && m.error.status == PATHMERGE_ERR_CODE,
		  "code 0 (not NULL) is an error");
	CHECK(m.nent == 0, "a rejected row adds nothing");
	pathmerge_free(&m);

	/* a path over RUNPATH_MAX_WEEKS: an error at the read-out, not when collecting */
	pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
	add(&m, 1, 0, 5);
	add(&m, 1, RUNPATH_MAX_WEEKS, 5);
	read_all(&m);
	CHECK(strcmp(out_text, "error 4") == 0 && m.error.week == wk(0) && m.error.last_week == wk(RUNPATH_MAX_WEEKS),
		  "weeks spanning more than RUNPATH_MAX_WEEKS: an error naming first and last week");
	pathmerge_free(&m);
	pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
	add(&m, 1, 0, 5);
	add(&m, 1, RUNPATH_MAX_WEEKS - 1, 5);
	read_all(&m);
	CHECK(strcmp(out_text, "1=2019-01-07:5x1,-x999998,5x1") == 0, "exactly RUNPATH_MAX_WEEKS weeks is fine: %s", out_text);
	pathmerge_free(&m);

	/* an allocation failing: an error, never a crash */
	{
		long		budget;
		int			failed = 0,
					crashed = 0;

		for (budget = 0; budget < 12; budget++)
		{
			int			p;

			ok = true;
			pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
			m.compact_min = m.compact_at = 4;
			alloc_budget = budget;
			for (p = 0; p < 300 && ok; p++)
				ok = add(&m, p % 7, p / 7, 1 + p % 3);
			if (ok)
				ok = strncmp(read_all(&m), "error", 5) != 0;
			if (!ok)
			{
				failed++;
				if (m.error.status != PATHMERGE_ERR_MEMORY)
					crashed++;
			}
			alloc_budget = -1;
			pathmerge_free(&m);
		}
		CHECK(failed > 0 && crashed == 0, "a NULL from the allocation hook is PATHMERGE_ERR_MEMORY (%d runs failed)", failed);
	}
}

/* more than 64 ascending sequences: the sort's bounds leave the stack */
static void
test_many_sequences(void)
{
	PathmergeState m;
	char		want[8192];
	size_t		n = 0;
	int			p;

	pathmerge_init(&m, &hooks, PATHMERGE_DUP_ERROR);
	for (p = 200; p >= 1; p--)
		add(&m, p, p % 5, 100 + p % 3);
	for (p = 1; p <= 200; p++)
		n += (size_t) snprintf(want + n, sizeof(want) - n, "%s%d=2019-%02d-%02d:%dx1", n ? ";" : "", p,
							   p % 5 == 4 ? 2 : 1, 7 + 7 * (p % 5) - (p % 5 == 4 ? 31 : 0), 100 + p % 3);
	checks_seen = 0;
	read_all(&m);
	CHECK(strcmp(out_text, want) == 0, "200 persons in descending order come out ascending");
	CHECK(checks_seen >= 7, "the sort calls the check hook once per pass (%d passes for 200 sequences)", checks_seen);
	pathmerge_free(&m);

	/* equal keys keep their order: the error names the first worker's code first */
	{
		PathmergeState a[70],
					c;
		int			k;

		pathmerge_init(&c, &hooks, PATHMERGE_DUP_UNSET);
		for (k = 0; k < 70; k++)
		{
			pathmerge_init(&a[k], &hooks, PATHMERGE_DUP_ERROR);
			add(&a[k], 70 - k, 0, 300 + k);
			if (k == 69)
				add(&a[k], 1, 1, 1);
			pathmerge_combine(&c, &a[k]);
		}
		/* person 1 has entries (week 0, 369) and (week 0..?): add a third with week 0 again */
		{
			PathmergeState d;

			pathmerge_init(&d, &hooks, PATHMERGE_DUP_ERROR);
			add(&d, 1, 0, 5);
			pathmerge_combine(&c, &d);
			pathmerge_free(&d);
		}
		read_all(&c);
		CHECK(strcmp(out_text, "error 2") == 0 && c.error.person == 1 && c.error.code_a == 369 && c.error.code_b == 5,
			  "entries with the same person and first week keep their order (codes %d, %d)",
			  c.error.code_a, c.error.code_b);
		for (k = 0; k < 70; k++)
			pathmerge_free(&a[k]);
		pathmerge_free(&c);
	}
}

int
main(void)
{
	test_in_order();
	test_interleaved_and_late();
	test_duplicates();
	test_combine_overlay();
	test_shuffled_compaction();
	test_errors();
	test_many_sequences();
	return unit_done();
}
