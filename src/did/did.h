/*
 * did.h — the did_state type shared by did_state.c (storage, I/O) and
 * did.c (aggregates, accessors); backend-only (the PostgreSQL-free parts
 * are src/math/didstats.h).
 *
 * In memory a did_state is an expanded object (utils/expandeddatum.h):
 * group moments, regression sums and a hash table of clusters, updated in
 * place by the transition functions. Stored, sent and printed it is a
 * canonical flat form: version byte, kind, moments, and the clusters
 * sorted by key (see did_state.c for the layout).
 */
#ifndef SI_DID_H
#define SI_DID_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

#include "didstats.h"

#define DID_STATE_VERSION 1

/* cluster key kinds */
#define DID_CLUSTER_NONE	0
#define DID_CLUSTER_BIGINT	1
#define DID_CLUSTER_TEXT	2

typedef struct DidCluster
{
	bool		used;
	uint64		hash;
	int64		ikey;			/* DID_CLUSTER_BIGINT */
	char	   *skey;			/* DID_CLUSTER_TEXT (not NUL-terminated) */
	int32		slen;
	si_did_cell cell[2];		/* change by group within the cluster */
	double	   *reg;			/* regression: sum w x y (k), then sum w x x' (packed) */
} DidCluster;

typedef struct DidState
{
	ExpandedObjectHeader hdr;
	uint8		weighted;
	uint8		cluster_kind;
	uint8		regression;
	int32		p;				/* covariates; -1 = not known yet (no row) */
	int64		n_skipped;
	si_did_group g[2];			/* 0 = control, 1 = treated */
	/* regression sums, allocated once p is known (k = p + 2) */
	int			k;
	double	   *xtx;
	double	   *xty;
	double		yty;
	double	   *myy;
	double	   *my3;
	double	   *m4;
	/* clusters: open addressing, linear probing */
	int64		nclusters;
	int64		capacity;
	DidCluster *slots;
	/* cached flat form (valid until the next change) */
	char	   *flat;
	Size		flat_size;
} DidState;

extern DidState *did_state_new(MemoryContext parent, int weighted, int cluster_kind, int regression);
extern void did_state_set_p(DidState *s, int p);
extern DidCluster *did_state_cluster(DidState *s, int64 ikey, const char *skey, int32 slen);
extern void did_state_merge(DidState *a, const DidState *b);
extern void did_group_check_finite(const si_did_group *g);
extern void did_state_check_sums(const DidState *a);
extern void did_state_changed(DidState *s);
extern DidCluster **did_state_sorted_clusters(const DidState *st);

/* a did_state datum as an expanded object (expanding flat input into cxt) */
extern DidState *did_state_get(Datum d, MemoryContext cxt);
/* flat canonical copy in the current memory context */
extern Datum did_state_flat_datum(DidState *s);

#endif
