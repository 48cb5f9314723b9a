/*
 * paths_stream.h — the state behind benefit_paths(person_id, week, code)
 * and benefit_paths_scan(table): many persons' benefit paths collected
 * from person-week rows in any order, grouped by person without a hash
 * lookup per row (see paths_stream.c; the merging is math/pathmerge.c's).
 *
 * Owns: the interface benefit_paths_scan (paths_scan.c) uses. Must not
 * touch: the state's layout (private to paths_stream.c and pathmerge.h).
 */
#ifndef SI_PATHS_STREAM_H
#define SI_PATHS_STREAM_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

typedef struct PathsState PathsState;

#include "pathmerge.h"

#define PATHS_DUP_ERROR PATHMERGE_DUP_ERROR
#define PATHS_DUP_PRIORITY PATHMERGE_DUP_PRIORITY

/* 'error' or 'dream_priority' -> PATHS_DUP_*; anything else an error */
extern int	paths_on_duplicate(const char *s, int len);

/*
 * The on_duplicate argument argno (of benefit_path and benefit_paths):
 * PATHS_DUP_ERROR when not given, an error when NULL or not known.
 */
extern int	paths_on_duplicate_arg(FunctionCallInfo fcinfo, int argno);

/* an empty state allocated in ctx, which also holds everything it grows */
extern PathsState *paths_state_create(MemoryContext ctx, int on_duplicate);

/*
 * Add one person-week row: week is any finite day of the week, code 1..9999
 * or code_isnull for a week without benefit. Errors name the person and week.
 */
extern void paths_state_add(PathsState *st, int64 person, DateADT week, int32 code, bool code_isnull);

/*
 * How errors name a person: by default the int64 key; a caller whose keys
 * stand for other ids (si_idmap.h) gives a function returning the id as a
 * palloc'd string.
 */
typedef char *(*PathsPersonLabel) (int64 person, void *arg);
extern void paths_state_set_person_label(PathsState *st, PathsPersonLabel fn, void *arg);

/* the on_duplicate mode it was created with */
extern int	paths_state_on_duplicate(const PathsState *st);

/* append b's persons to a (the read-out merges a person met in both) */
extern void paths_state_combine(PathsState *a, const PathsState *b);

/* versioned bytes of a state, and back (validated; errors on corruption) */
extern bytea *paths_state_serialize(const PathsState *st);
extern PathsState *paths_state_deserialize(bytea *b, MemoryContext ctx);

/*
 * The same bytes in parts of about max_bytes, each a state of its own (a
 * person's entry is never split): start with both positions 0 and call
 * until it returns NULL. A state larger than one allocation (1 GB) can so
 * still be sent, and the receiver holds one part at a time.
 */
extern bytea *paths_state_serialize_part(const PathsState *st, Size *ent_pos, Size *late_pos,
										 Size max_bytes);

/*
 * Read out one path per person in ascending person order: begin once, then
 * next until it returns false. Paths are built in CurrentMemoryContext;
 * duplicate weeks are an error (or resolved by DREAM's priority rule).
 */
extern void paths_state_begin(PathsState *st);
extern bool paths_state_next(PathsState *st, int64 *person, Datum *path);

#endif
