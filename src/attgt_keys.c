/*
 * attgt_keys.c — unit ids that are not numbers (text, uuid) mapped once
 * to dense indices: the key bytes back to back in one growing buffer, an
 * open-addressing table of indices, the hash kept per key so growing the
 * table never rereads the bytes. Memory is the ids' bytes plus about 28
 * bytes per unit.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/memutils.h"

#include "attgt_keys.h"

void
attgt_keys_init(AttgtKeyMap *m)
{
	uint64		i;

	m->cap = 4096;
	m->slot = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int32) * m->cap);
	for (i = 0; i < m->cap; i++)
		m->slot[i] = -1;
	m->ncap = 1024;
	m->n = 0;
	m->hash = palloc(sizeof(uint32) * m->ncap);
	m->off = palloc(sizeof(uint64) * m->ncap);
	m->len = palloc(sizeof(int32) * m->ncap);
	m->size = 16384;
	m->used = 0;
	m->bytes = MemoryContextAllocHuge(CurrentMemoryContext, m->size);
}

bool
attgt_keys_equal(const AttgtKeyMap *m, int32 idx, const char *key, int len)
{
	return m->len[idx] == len && memcmp(m->bytes + m->off[idx], key, len) == 0;
}

static uint64
find_slot(const AttgtKeyMap *m, uint32 h, const char *key, int len)
{
	uint64		pos = h & (m->cap - 1);

	while (m->slot[pos] >= 0)
	{
		int32		k = m->slot[pos];

		if (m->hash[k] == h && attgt_keys_equal(m, k, key, len))
			return pos;
		pos = (pos + 1) & (m->cap - 1);
	}
	return pos;
}

int32
attgt_keys_find(const AttgtKeyMap *m, const char *key, int len)
{
	uint32		h = hash_bytes((const unsigned char *) key, len);

	return m->slot[find_slot(m, h, key, len)];
}

int32
attgt_keys_add(AttgtKeyMap *m, const char *key, int len)
{
	uint32		h = hash_bytes((const unsigned char *) key, len);
	int32		idx = m->n;

	if (m->n == PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("att_gt reads at most %d units", PG_INT32_MAX - 1)));
	if (2 * ((uint64) m->n + 1) > m->cap)
	{
		uint64		ncap = m->cap * 2,
					i;
		int32	   *ns = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int32) * ncap);

		for (i = 0; i < ncap; i++)
			ns[i] = -1;
		for (i = 0; i < (uint64) m->n; i++)
		{
			uint64		pos = m->hash[i] & (ncap - 1);

			while (ns[pos] >= 0)
				pos = (pos + 1) & (ncap - 1);
			ns[pos] = (int32) i;
		}
		pfree(m->slot);
		m->slot = ns;
		m->cap = ncap;
	}
	if (m->n == m->ncap)
	{
		m->ncap = (m->ncap > PG_INT32_MAX / 2) ? PG_INT32_MAX : m->ncap * 2;
		m->hash = repalloc_huge(m->hash, sizeof(uint32) * m->ncap);
		m->off = repalloc_huge(m->off, sizeof(uint64) * m->ncap);
		m->len = repalloc_huge(m->len, sizeof(int32) * m->ncap);
	}
	while (m->used + len > m->size)
	{
		m->size *= 2;
		m->bytes = repalloc_huge(m->bytes, m->size);
	}
	memcpy(m->bytes + m->used, key, len);
	m->off[idx] = m->used;
	m->len[idx] = len;
	m->hash[idx] = h;
	m->used += len;
	m->slot[find_slot(m, h, key, len)] = idx;
	m->n++;
	return idx;
}

void
attgt_keys_free(AttgtKeyMap *m)
{
	pfree(m->slot);
	pfree(m->hash);
	pfree(m->off);
	pfree(m->len);
	pfree(m->bytes);
}
