/*
 * si_idmap.h — person ids that are not integers (text, varchar, char(n),
 * uuid) mapped once to dense int64 keys 0, 1, 2, ... in the order they are
 * first met, and back.
 *
 * Why: the states that group person-week rows by person (paths_stream.c)
 * key persons by int64. Hashing a text id to 64 bits could merge two
 * persons whose hashes collide; a map that stores every distinct id
 * cannot. One lookup per row, and none while consecutive rows belong to
 * the same person (the last id is compared first): register tables are
 * stored in person order. Memory: the id's bytes plus about 24 bytes per
 * distinct id.
 *
 * Must not depend on a concept folder (paths_stream.c uses it, not the
 * other way round).
 */
#ifndef SI_IDMAP_H
#define SI_IDMAP_H

#include "postgres.h"

typedef struct SiIdMap SiIdMap;

/* an empty map in ctx (which holds everything it grows) */
extern SiIdMap *si_idmap_create(MemoryContext ctx);

/* the key of an id (its bytes), adding it when new */
extern int64 si_idmap_key(SiIdMap *m, const char *bytes, Size len);

/* the bytes of a key from si_idmap_key (not NUL-terminated) */
extern const char *si_idmap_bytes(const SiIdMap *m, int64 key, Size *len);

/* number of distinct ids */
extern int64 si_idmap_count(const SiIdMap *m);

#endif
