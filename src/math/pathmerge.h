/*
 * pathmerge.h — many persons' benefit paths collected from person-week rows
 * in any order, free of PostgreSQL: the core of benefit_paths and
 * benefit_paths_scan (src/paths/paths_stream.c is its glue).
 *
 * Owns: entries per person run, late rows, compaction, combining states,
 * merging one person's entries and rows (concatenated, overlaid run by run
 * or week by week; duplicates an error or DREAM's priority rule, see
 * docs/methods.md, *Benefit paths and per-person measures*), the read-out
 * order. Must not touch: postgres.h, error reporting, the serialized form
 * (the glue's), memory other than through the hooks.
 *
 * A row of the same person as the previous row extends that person's last
 * entry when it comes after the entry's last week (weeks between are
 * PATHMERGE_GAP: no row); a row of another person starts a new entry; a row
 * not after its entry's last week is kept as a late row. Whenever entries
 * and late rows reach compact_at, every person's entries and rows are merged
 * into one entry per person, so memory follows persons and runs, not rows.
 *
 * Errors: a function returning false (or pathmerge_next returning -1) has
 * filled state->error; the state may then only be freed.
 */
#ifndef SI_PATHMERGE_H
#define SI_PATHMERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runpath.h"

#define PATHMERGE_DUP_UNSET 0	/* combine target before its first state */
#define PATHMERGE_DUP_ERROR 1
#define PATHMERGE_DUP_PRIORITY 2

/* a week between rows of one entry: no row (not an explicit NULL code) */
#define PATHMERGE_GAP (-1)

/* entries + late rows below which compaction never runs (2 MB of entries) */
#define PATHMERGE_COMPACT_MIN ((size_t) 1 << 16)

/* one person's weeks first_week..last_week (Mondays) as runs[run0 .. run0+nruns) */
typedef struct PathmergeEntry
{
	int64_t		person;
	int32_t		first_week;
	int32_t		last_week;
	size_t		run0;
	size_t		nruns;
} PathmergeEntry;

/* a row that did not come after its entry's last week */
typedef struct PathmergeRow
{
	int64_t		person;
	int32_t		week;			/* Monday */
	int32_t		code;			/* 0 = no benefit */
} PathmergeRow;

typedef enum PathmergeStatus
{
	PATHMERGE_OK = 0,
	PATHMERGE_ERR_CODE,			/* code outside 1..9999: person, week (as given), code_a */
	PATHMERGE_ERR_DUPLICATE,	/* a week twice: person, week, code_a, code_b */
	PATHMERGE_ERR_MODE,			/* combined states with different on_duplicate */
	PATHMERGE_ERR_SPAN,			/* a path over RUNPATH_MAX_WEEKS: week .. last_week */
	PATHMERGE_ERR_TOO_MANY,		/* an array past PATHMERGE_MAX_BYTES: what */
	PATHMERGE_ERR_MEMORY,		/* an allocation hook returned NULL */
	PATHMERGE_ERR_INTERNAL		/* an inconsistent state: what, person */
} PathmergeStatus;

typedef struct PathmergeError
{
	PathmergeStatus status;
	int64_t		person;
	int32_t		week;
	int32_t		last_week;
	int32_t		code_a;
	int32_t		code_b;
	const char *what;
} PathmergeError;

/* no array of a state grows past this many bytes */
#define PATHMERGE_MAX_BYTES (SIZE_MAX / 4)

typedef struct PathmergeCompaction
{
	size_t		entries;		/* before */
	size_t		rows;
	size_t		persons;		/* after */
	size_t		concatenated;	/* persons merged each way */
	size_t		overlaid;
	size_t		weekwise;
} PathmergeCompaction;

/*
 * Memory and long loops. alloc/resize return NULL on failure (or do not
 * return); check is called now and then in long loops (it may not return:
 * a cancel); compacted, when set, after each compaction.
 */
typedef struct PathmergeHooks
{
	void	   *(*alloc) (void *arg, size_t size);
	void	   *(*resize) (void *arg, void *p, size_t size);
	void		(*release) (void *arg, void *p);
	void		(*check) (void *arg);
	void		(*compacted) (void *arg, const PathmergeCompaction *c);
	void	   *arg;
} PathmergeHooks;

typedef struct PathmergeState
{
	PathmergeHooks hooks;
	int			on_duplicate;	/* PATHMERGE_DUP_* */
	size_t		nent,
				entcap;
	PathmergeEntry *ent;
	size_t		nrun,
				runcap;
	RunpathRun *runs;
	size_t		nlate,
				latecap;
	PathmergeRow *late;
	size_t		compact_at;		/* entries + late rows at which compaction runs */
	size_t		compact_min;	/* PATHMERGE_COMPACT_MIN unless a test sets less */
	/* read-out */
	size_t		next_ent,
				next_late;
	RunpathRun *out;
	size_t		outcap;
	PathmergeError error;
} PathmergeState;

extern void pathmerge_init(PathmergeState *m, const PathmergeHooks *hooks, int on_duplicate);
extern void pathmerge_free(PathmergeState *m);

/* on_duplicate of a state that combines others (UNSET takes the first one's) */
extern bool pathmerge_set_mode(PathmergeState *m, int on_duplicate);

/* capacity for nent entries and nrun runs (empty state), for loading a serialized one */
extern bool pathmerge_reserve(PathmergeState *m, size_t nent, size_t nrun);

/* a late row as it is (a serialized state's), compacting when due */
extern bool pathmerge_add_row(PathmergeState *m, int64_t person, int32_t week, int32_t code);

extern bool pathmerge_add_slow(PathmergeState *m, int64_t person, int32_t week, int32_t code);
extern bool pathmerge_fail_code(PathmergeState *m, int64_t person, int32_t week, int32_t code);

/*
 * One person-week row: week any day of its week (day numbers as
 * runpath.h), code 1..9999 or code_isnull. The common case (the Monday
 * after the same person's last week, same code) is inline.
 */
static inline bool
pathmerge_add(PathmergeState *m, int64_t person, int32_t week, int32_t code, bool code_isnull)
{
	PathmergeEntry *e;

	if (code_isnull)
		code = RUNPATH_NONE;
	else if (code < 1 || code > RUNPATH_MAX_CODE)
		return pathmerge_fail_code(m, person, week, code);
	e = m->nent > 0 ? &m->ent[m->nent - 1] : NULL;
	if (e != NULL && e->person == person && week == e->last_week + 7)
	{
		RunpathRun *last = &m->runs[m->nrun - 1];

		if (last->code == code && last->len < INT32_MAX)
		{
			last->len++;
			e->last_week = week;
			return true;
		}
	}
	return pathmerge_add_slow(m, person, week, code);
}

/* append b's entries and rows to a, kept apart (the read-out merges persons) */
extern bool pathmerge_combine(PathmergeState *a, const PathmergeState *b);

/* merge every person's entries and rows into one entry per person now */
extern bool pathmerge_compact(PathmergeState *m);

/*
 * Read-out in ascending person order: begin once, then next until it
 * returns 0 (1: a person; -1: an error). *runs (GAP weeks as no benefit)
 * stays valid until the next call and may be changed by the caller.
 */
extern bool pathmerge_begin(PathmergeState *m);
extern int	pathmerge_next(PathmergeState *m, int64_t *person, int32_t *first_week,
						   RunpathRun **runs, size_t *nruns);

#endif							/* SI_PATHMERGE_H */
