/*
 * attgt_read.h — the state of att_gt's one pass over the panel's rows,
 * shared by the two readers: attgt_read.c (through SPI, as the caller) and
 * attgt_scan.c (a direct heap scan of a plain table). Both feed rows to
 * attgt_read_row, so every check and every message is the same whichever
 * reads.
 */
#ifndef ATTGT_READ_H
#define ATTGT_READ_H

#include "postgres.h"

#include "utils/hsearch.h"

#include "attgt.h"
#include "si_idmap.h"

/*
 * Unit ids -> unit index and period values -> column: open addressing
 * int64 -> int32 (faster than dynahash per row).
 */
typedef struct IndexMap
{
	uint64		cap;
	int64	   *key;
	int32	   *idx;				/* -1 = empty */
	uint64		used;
} IndexMap;

/*
 * How a key column arrives: integer columns as themselves, other numbers
 * as float8 (checked to be whole numbers), text-like unit ids as text,
 * uuid ids as uuid, date periods and cohorts as date.
 */
typedef enum
{
	KEY_INT2,
	KEY_INT4,
	KEY_INT8,
	KEY_FLOAT8,
	KEY_TEXT,
	KEY_UUID,
	KEY_DATE
} KeyKind;

/* state of the one pass over the rows */
typedef struct AttgtReadState
{
	DestReceiver pub;			/* must be first */
	AttgtOptions *opt;
	AttgtPanel *P;
	MemoryContext outer;
	IndexMap	units;
	SiIdMap    *keys;			/* text and uuid ids (in keyctx) */
	MemoryContext keyctx;
	MemoryContext colctx;		/* the outcome and covariate columns' slabs */
	char	   *slab;			/* free space in the current slab */
	Size		slab_left;
	HTAB	   *clusters;
	IndexMap	pm;
	int			ncap,
				tcap,
				n,
				T,
				p;
	double	  **ycol;
	double	  **xcol;			/* per period column, n x p; NULL until a covariate varies */
	bool		xvaries[DRDID_MAXK];
	int32	   *pval;
	double	   *cohortv,
			   *wv,
			   *xv;
	int32	   *clv;
	int64	   *uid;			/* index -> unit id */
	int64		last_id;
	int32		last_idx;
	int32		last_col;		/* period column of the last row, -1 before */
	KeyKind		kunit,
				kperiod,
				kcohort;
	int			ncols;
	Oid			coltypes[6 + DRDID_MAXK];	/* what attgt_read_row reads */
} AttgtReadState;

extern void attgt_read_row(AttgtReadState *st, Datum *v, bool *nul);
/* attgt_scan.c: false when the relation or its columns need the SPI path */
extern bool attgt_scan_panel(AttgtReadState *st);

#endif
