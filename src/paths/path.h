/*
 * path.h — the benefit_path type (see math/runpath.h for the layout) and
 * helpers shared by its builders and measures.
 *
 * Owns: the declarations shared by src/paths, src/selfsufficiency and
 * src/money. Must not touch: the stored layout (math/runpath.h).
 */
#ifndef SI_PATH_H
#define SI_PATH_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

#include "codemap.h"
#include "runpath.h"

typedef struct SiPath
{
	int32		start;			/* Monday of the first week */
	int32		nweeks;
	int			nruns;
	RunpathRun *runs;
} SiPath;

/* Error for a stored or received value that does not decode. */
extern void si_path_error(RunpathError e, const char *what) pg_attribute_noreturn();

/* Detoast, validate and decode a benefit_path datum. */
extern void si_path_decode(Datum d, SiPath *p);

/* Canonicalize, validate (errors name the problem) and encode a path. */
extern Datum si_path_make(int32 start, RunpathRun *runs, int nruns);

/* Week index of the week containing a day, relative to the path start. */
extern int64 si_path_week_index(const SiPath *p, DateADT day);

/*
 * Week states under a code map as canonical state runs (palloc'd). A
 * censoring code makes that week and every later week censored (M1 in
 * docs/methods.md); unmapped codes give RUNPATH_UNKNOWN.
 */
extern RunpathStateRun *si_path_states(const SiPath *p, const SiCodeMap *map, int *nstates);

/*
 * State counts over the weeks of [from_day, to_day] read straight from the
 * stored bytes, stopping at the window end; fills *head (runs = NULL) if
 * given.
 */
extern void si_path_window_counts(Datum d, const SiCodeMap *map, DateADT from_day, DateADT to_day,
								  int64 counts[RUNPATH_NSTATES], SiPath *head);

/*
 * The same for nwin windows [from_day[k], to_day[k]] (each from <= to) in
 * one read of the runs: counts[k] are exactly what si_path_window_counts
 * gives for window k. scratch needs room for 2 * nwin int64.
 */
extern void si_path_windows_counts(Datum d, const SiCodeMap *map, int nwin, const DateADT *from_day,
								   const DateADT *to_day, int64 *scratch,
								   int64 (*counts)[RUNPATH_NSTATES]);

/* Argument helpers: error on NULL, naming the argument. */
extern DateADT si_week_arg(FunctionCallInfo fcinfo, int argno, const char *name);
extern int32 si_int_arg(FunctionCallInfo fcinfo, int argno, const char *name);
extern void si_check_window(DateADT from, DateADT to);

/* Category names (text[]) -> flags by category id; errors on unknown names. */
#include "utils/array.h"
extern bool *si_category_set(const SiCodeMap *map, ArrayType *arr);

/* Weeks of [from, to] (week indexes) whose code is in a flagged category. */
extern int64 si_path_weeks_in_set(const SiPath *p, const SiCodeMap *map, const bool *want,
								  int64 from, int64 to);

/*
 * Aggregate support functions over internal states: the aggregate's
 * memory context (an internal error naming fn outside an aggregate); and
 * the start of a combine function, which PostgreSQL calls with either
 * state NULL: the two states, and true when b is NULL, the answer then
 * being PointerGetDatum(*a) (with the NULL flag set when a is NULL too).
 */
extern MemoryContext si_agg_context(FunctionCallInfo fcinfo, const char *fn);
extern bool si_combine_begin(FunctionCallInfo fcinfo, const char *fn, MemoryContext *ctx,
							 void **a, void **b);

/* Date as text for messages. */
extern char *si_date_str(DateADT d);

#endif
