/*
 * attgt_keys.h — unit ids that are not numbers (text, uuid) mapped once
 * to dense indices 0, 1, 2, ... in order of first appearance.
 */
#ifndef SI_ATTGT_KEYS_H
#define SI_ATTGT_KEYS_H

#include "postgres.h"

typedef struct AttgtKeyMap
{
	uint64		cap;			/* hash slots, a power of two */
	int32	   *slot;			/* key index, -1 = empty */
	uint32	   *hash;			/* per key */
	uint64	   *off;			/* per key: offset into bytes */
	int32	   *len;			/* per key */
	int32		n,
				ncap;
	char	   *bytes;			/* the keys, back to back */
	uint64		used,
				size;
} AttgtKeyMap;

extern void attgt_keys_init(AttgtKeyMap *m);
/* index of the key, or -1 */
extern int32 attgt_keys_find(const AttgtKeyMap *m, const char *key, int len);
/* add a key not in the map; returns its index (the number of keys before) */
extern int32 attgt_keys_add(AttgtKeyMap *m, const char *key, int len);
/* is key index idx equal to key? */
extern bool attgt_keys_equal(const AttgtKeyMap *m, int32 idx, const char *key, int len);
extern void attgt_keys_free(AttgtKeyMap *m);

#endif
