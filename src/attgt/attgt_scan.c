/*
 * attgt_scan.c — att_gt's direct read of a plain table: a heap scan
 * without the executor, each row's columns converted here as the query's
 * casts would convert them and fed to attgt_read_row, so the checks and
 * messages are those of the query path. A numeric value is converted once
 * and then found in a small cache by its bytes (cohorts, weights and most
 * covariates take few distinct values, and numeric_float8 goes through
 * text).
 *
 * Used only where a query would return exactly the heap's rows: a table
 * (not a view, foreign or partitioned table, no inheritance children, not
 * distributed), no row-level security for the caller, key and value
 * columns of integer, floating-point or numeric types (or date periods
 * and cohorts, text, varchar or uuid unit ids) and a text or varchar
 * cluster column. Anything else returns
 * false and is read through SPI (attgt_read.c).
 */
#include "postgres.h"

#include <math.h>

#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "attgt_read.h"
#include "si_common.h"

#define SCAN_NCOLS			(6 + DRDID_MAXK)

/* how a column's stored Datum becomes what attgt_read_row reads */
typedef enum
{
	DEC_ABSENT,					/* no such column (weights, cluster) */
	DEC_ASIS,					/* integer and date keys, float8 values */
	DEC_FLOAT4,
	DEC_INT2,
	DEC_INT4,
	DEC_INT8,
	DEC_NUMERIC
} DecodeKind;

#define NUMCACHE_SLOTS	64
#define NUMCACHE_BYTES	24

/*
 * A numeric value converted before: its bytes (without header, zero-padded
 * to three words) and its double.
 */
typedef struct NumCacheEntry
{
	int32		len;			/* -1 = empty */
	uint64		w[NUMCACHE_BYTES / 8];
	double		value;
} NumCacheEntry;

typedef struct ColumnDecoder
{
	AttrNumber	attnum;
	DecodeKind	kind;

	/*
	 * numeric: values converted before, by a hash of their bytes. Cohorts,
	 * weights and most covariates take few distinct values, and
	 * numeric_float8 goes through text.
	 */
	NumCacheEntry *cache;
	uint32		evict;			/* which of a full probe's slots to replace */
} ColumnDecoder;

/*
 * The decoder of a column, as the query's cast would convert it (a key as
 * its kind, a value to float8); false when only SQL can convert it.
 */
static bool
column_decoder(Oid relid, const char *col, bool key, bool label, KeyKind kind, ColumnDecoder *dec)
{
	Oid			typ;

	memset(dec, 0, sizeof(*dec));
	if (col == NULL)
	{
		dec->kind = DEC_ABSENT;
		return true;
	}
	dec->attnum = get_attnum(relid, col);
	if (dec->attnum <= 0)
		return false;
	typ = getBaseType(get_atttype(relid, dec->attnum));
	/* cluster labels: text as it is (varchar is binary-compatible) */
	if (label)
	{
		dec->kind = DEC_ASIS;
		return typ == TEXTOID || typ == VARCHAROID;
	}
	if (key && (kind == KEY_INT2 || kind == KEY_INT4 || kind == KEY_INT8 || kind == KEY_DATE))
	{
		dec->kind = DEC_ASIS;
		return true;
	}
	/* text ids as they are (varchar is binary-compatible; char(n) needs the cast's trim) */
	if (key && kind == KEY_TEXT)
	{
		dec->kind = DEC_ASIS;
		return typ == TEXTOID || typ == VARCHAROID;
	}
	if (key && kind == KEY_UUID)
	{
		dec->kind = DEC_ASIS;
		return typ == UUIDOID;
	}
	if (key && kind != KEY_FLOAT8)
		return false;
	switch (typ)
	{
		case FLOAT8OID:
			dec->kind = DEC_ASIS;
			return true;
		case FLOAT4OID:
			dec->kind = DEC_FLOAT4;
			return true;
		case INT2OID:
			dec->kind = DEC_INT2;
			return true;
		case INT4OID:
			dec->kind = DEC_INT4;
			return true;
		case INT8OID:
			dec->kind = DEC_INT8;
			return true;
		case NUMERICOID:
			{
				int			i;

				dec->kind = DEC_NUMERIC;
				dec->cache = palloc(sizeof(NumCacheEntry) * NUMCACHE_SLOTS);
				for (i = 0; i < NUMCACHE_SLOTS; i++)
					dec->cache[i].len = -1;
				return true;
			}
		default:
			return false;
	}
}

static Datum
decode(ColumnDecoder *dec, Datum d)
{
	switch (dec->kind)
	{
		case DEC_FLOAT4:
			return Float8GetDatum((float8) DatumGetFloat4(d));
		case DEC_INT2:
			return Float8GetDatum((float8) DatumGetInt16(d));
		case DEC_INT4:
			return Float8GetDatum((float8) DatumGetInt32(d));
		case DEC_INT8:
			return Float8GetDatum((float8) DatumGetInt64(d));
		case DEC_NUMERIC:
			{
				struct varlena *v = (struct varlena *) DatumGetPointer(d);
				NumCacheEntry *e = NULL;
				double		r;
				int			len,
							k;
				uint32		h;
				uint64		w[NUMCACHE_BYTES / 8];

				/* compressed or out of line: convert without the cache */
				if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
					return DirectFunctionCall1(numeric_float8, d);
				len = VARSIZE_ANY_EXHDR(v);
				if (len > NUMCACHE_BYTES)
					return DirectFunctionCall1(numeric_float8, d);
				/*
				 * three words and a multiplicative hash: cheaper than
				 * hash_bytes, and the values are few
				 */
				memset(w, 0, sizeof(w));
				memcpy(w, VARDATA_ANY(v), len);
				h = (uint32) (((w[0] * UINT64CONST(0x9E3779B97F4A7C15)) ^
							   (w[1] * UINT64CONST(0xC2B2AE3D27D4EB4F)) ^
							   (w[2] * UINT64CONST(0x165667B19E3779F9)) ^ (uint64) len) >> 40);
				/* open addressing: up to 4 slots from the hash's */
				for (k = 0; k < 4; k++)
				{
					e = &dec->cache[(h + k) & (NUMCACHE_SLOTS - 1)];
					if (e->len < 0)
						break;
					if (e->len == len && e->w[0] == w[0] && e->w[1] == w[1] && e->w[2] == w[2])
						return Float8GetDatum(e->value);
				}
				/* a free slot of the 4, else one of them in turn */
				if (k == 4)
					e = &dec->cache[(h + (dec->evict++ & 3)) & (NUMCACHE_SLOTS - 1)];
				r = DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
				memcpy(e->w, w, sizeof(w));
				e->len = len;
				e->value = r;
				return Float8GetDatum(r);
			}
		default:
			return d;
	}
}

/* every row the scan returns, into st */
static void
scan_rows(AttgtReadState *st, TableScanDesc scan, ColumnDecoder *dec, int ncols)
{
	TupleTableSlot *slot = table_slot_create(scan->rs_rd, NULL);
	MemoryContext rowctx = AllocSetContextCreate(CurrentMemoryContext, "att_gt row conversion",
												 ALLOCSET_SMALL_SIZES);
	Datum		v[SCAN_NCOLS];
	bool		nul[SCAN_NCOLS];
	AttrNumber	maxatt = 0;
	uint64		nrows = 0;
	int			c;

	for (c = 0; c < ncols; c++)
		maxatt = Max(maxatt, dec[c].attnum);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		MemoryContext old;

		slot_getsomeattrs(slot, maxatt);
		old = MemoryContextSwitchTo(rowctx);
		for (c = 0; c < ncols; c++)
		{
			if (dec[c].kind == DEC_ABSENT)
			{
				/* as the query: weight 1, cluster NULL */
				nul[c] = (c != 4);
				v[c] = Float8GetDatum(1.0);
				continue;
			}
			nul[c] = slot->tts_isnull[dec[c].attnum - 1];
			v[c] = nul[c] ? (Datum) 0 : decode(&dec[c], slot->tts_values[dec[c].attnum - 1]);
		}
		MemoryContextSwitchTo(st->outer);
		attgt_read_row(st, v, nul);
		MemoryContextSwitchTo(old);
		/* conversions allocate (numeric_out): keep that to a few blocks */
		if ((++nrows & 0x3FF) == 0)
		{
			MemoryContextReset(rowctx);
			if ((nrows & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextDelete(rowctx);
}

bool
attgt_scan_panel(AttgtReadState *st)
{
	AttgtOptions *opt = st->opt;
	Oid			relid = opt->relid;
	ColumnDecoder dec[SCAN_NCOLS];
	int			ncols = 6 + opt->ncov,
				j;
	const char *why = NULL;
	Relation	rel;
	TableScanDesc scan;

	/* only where a query would return exactly the heap's rows */
	char		kind = get_rel_relkind(relid);

	if (kind == RELKIND_VIEW)
		why = "it is a view";
	else if (kind == RELKIND_FOREIGN_TABLE)
		why = "it is a foreign table";
	else if (kind == RELKIND_PARTITIONED_TABLE)
		why = "it is a partitioned table";
	else if (kind != RELKIND_RELATION)
		why = "it is not a plain table";
	else if (has_subclass(relid))
		why = "it has inheritance children";
	else if (si_relation_reading_mode(relid, "att_gt", "", &why) != SI_READ_HEAP)
		 /* why says */ ;
	else if (!ActiveSnapshotSet())
		why = "no snapshot is active";
	else
	{
		const char *cols[SCAN_NCOLS];

		cols[0] = opt->unit;
		cols[1] = opt->period;
		cols[2] = opt->cohort;
		cols[3] = opt->outcome;
		cols[4] = opt->weights;
		cols[5] = opt->cluster;
		for (j = 0; j < opt->ncov; j++)
			cols[6 + j] = opt->covariates[j];
		for (j = 0; j < ncols && why == NULL; j++)
		{
			KeyKind		kind = j == 0 ? st->kunit : j == 1 ? st->kperiod : j == 2 ? st->kcohort : KEY_FLOAT8;

			if (!column_decoder(relid, cols[j], j < 3, j == 5, kind, &dec[j]))
				why = psprintf("column \"%s\" has type %s", cols[j],
							   format_type_be(get_atttype(relid, get_attnum(relid, cols[j]))));
		}
	}
	if (why != NULL)
	{
		ereport(DEBUG1,
				(errmsg_internal("att_gt reads \"%s\" through a query: %s", get_rel_name(relid), why)));
		return false;
	}
	ereport(DEBUG1,
			(errmsg_internal("att_gt reads \"%s\" with a direct heap scan", get_rel_name(relid))));

	rel = table_open(relid, AccessShareLock);
	/*
	 * from the first block, never joining another scan midway
	 * (synchronize_seqscans): units are numbered in order of first
	 * appearance and the bootstrap draws by that number
	 */
	scan = table_beginscan_strat(rel, GetActiveSnapshot(), 0, NULL, true, false);
	scan_rows(st, scan, dec, ncols);
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	return true;
}
