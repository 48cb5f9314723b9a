/*
 * si_idmap.c — dense int64 keys for person ids given as bytes (see
 * si_idmap.h). Open addressing over a power-of-two slot array holding
 * key + 1 (0 = empty); the ids' bytes are appended to one arena.
 *
 * Owns the map only; which state uses it, and how, is the caller's. No
 * SQL function here.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "si_idmap.h"

typedef struct IdEntry
{
	Size		off;			/* into the arena */
	uint32		len;
	uint32		hash;
} IdEntry;

struct SiIdMap
{
	MemoryContext ctx;
	IdEntry    *ent;
	Size		nent,
				entcap;
	int64	   *slot;			/* key + 1, 0 = empty */
	Size		nslot;			/* power of two */
	char	   *arena;
	Size		used,
				arenacap;
	int64		last;			/* key of the last lookup, -1 = none */
};

static void *
alloc_or_error(MemoryContext ctx, void *old, Size bytes, const char *what)
{
	if (bytes > MaxAllocHugeSize / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct person ids to map (%s would need %zu bytes)", what, bytes),
				 errhint("Store the person ids as bigint, or read the table in parts.")));
	if (old == NULL)
		return MemoryContextAllocHuge(ctx, bytes);
	return repalloc_huge(old, bytes);
}

SiIdMap *
si_idmap_create(MemoryContext ctx)
{
	SiIdMap    *m = MemoryContextAllocZero(ctx, sizeof(SiIdMap));

	m->ctx = ctx;
	m->nslot = 1024;
	m->slot = MemoryContextAllocZero(ctx, sizeof(int64) * m->nslot);
	m->arenacap = 16384;
	m->arena = MemoryContextAlloc(ctx, m->arenacap);
	m->last = -1;
	return m;
}

static void
rehash(SiIdMap *m)
{
	Size		n = m->nslot * 2;
	int64	   *s = alloc_or_error(m->ctx, NULL, sizeof(int64) * n, "the id table");
	Size		i;

	memset(s, 0, sizeof(int64) * n);
	for (i = 0; i < m->nent; i++)
	{
		Size		p = m->ent[i].hash & (n - 1);

		while (s[p] != 0)
			p = (p + 1) & (n - 1);
		s[p] = (int64) i + 1;
	}
	pfree(m->slot);
	m->slot = s;
	m->nslot = n;
}

int64
si_idmap_key(SiIdMap *m, const char *bytes, Size len)
{
	uint32		h;
	Size		p;
	IdEntry    *e;

	if (len > PG_UINT32_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a person id of %zu bytes is too long", len)));
	/* rows of one person follow each other: no lookup */
	if (m->last >= 0)
	{
		e = &m->ent[m->last];
		if (e->len == len && memcmp(m->arena + e->off, bytes, len) == 0)
			return m->last;
	}
	h = hash_bytes((const unsigned char *) bytes, (int) len);
	p = h & (m->nslot - 1);
	while (m->slot[p] != 0)
	{
		e = &m->ent[m->slot[p] - 1];
		if (e->hash == h && e->len == len && memcmp(m->arena + e->off, bytes, len) == 0)
			return m->last = m->slot[p] - 1;
		p = (p + 1) & (m->nslot - 1);
	}
	/* new id */
	if (m->nent == m->entcap)
	{
		m->entcap = m->entcap ? m->entcap * 2 : 1024;
		m->ent = alloc_or_error(m->ctx, m->ent, sizeof(IdEntry) * m->entcap, "the id list");
	}
	if (m->used + len > m->arenacap)
	{
		Size		cap = m->arenacap;

		while (cap < m->used + len)
			cap *= 2;
		m->arena = alloc_or_error(m->ctx, m->arena, cap, "the ids' bytes");
		m->arenacap = cap;
	}
	memcpy(m->arena + m->used, bytes, len);
	e = &m->ent[m->nent];
	e->off = m->used;
	e->len = (uint32) len;
	e->hash = h;
	m->used += len;
	m->slot[p] = (int64) m->nent + 1;
	m->last = (int64) m->nent;
	m->nent++;
	/* at most half full */
	if (m->nent * 2 > m->nslot)
		rehash(m);
	return m->last;
}

const char *
si_idmap_bytes(const SiIdMap *m, int64 key, Size *len)
{
	if (key < 0 || (Size) key >= m->nent)
		elog(ERROR, "person id key " INT64_FORMAT " is not in the map of %zu ids", key, m->nent);
	*len = m->ent[key].len;
	return m->arena + m->ent[key].off;
}

int64
si_idmap_count(const SiIdMap *m)
{
	return (int64) m->nent;
}
