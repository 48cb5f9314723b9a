/*
 * paths_scan.c — benefit_paths_scan(table, person_column, week_column,
 * code_column): every person's benefit path read straight from a table.
 *
 * Why: a query over a person-week table pays, per row, for the executor
 * (scan node, expression evaluation of each argument, an aggregate
 * transition call) and those costs, not the path building, dominate: just
 * reading three columns through an aggregate costs 1.4-1.6 times a
 * count(*). This function walks the table with the table access method
 * and hands each row's three values to the same state that the
 * benefit_paths aggregate fills, so both give the same paths. It reads
 * whole relations (and their partitions or inheritance children) only; for
 * a filtered or joined input use the aggregate.
 *
 * Rows that are not in this server's storage are never scanned (a scan of
 * a foreign table, or of the empty shell Citus leaves on the coordinator
 * for a distributed table, would return no paths without an error): views,
 * foreign tables, parents with a foreign partition or child and tables
 * Citus manages are read through a query (si_relation_reading_mode decides,
 * src/common/si_common.c), which the foreign data wrapper or Citus runs.
 *
 * Safety: the caller needs USAGE on the table's schema and SELECT on the
 * table or on the three columns, as for a SELECT of them (checked here
 * because the table may be given by OID, which skips the name lookup that
 * checks the schema). The scan sees rows under the query's snapshot, so it
 * is as consistent as a SELECT. Where row-level security applies to the
 * caller, the table is not read directly either: its rows come through the
 * query run as the caller, so that the policies decide which rows are
 * counted (serially, at the cost of the executor).
 *
 * Owns: the table scan, its parallel workers and their messages, the
 * query for relations that cannot be scanned, the privilege checks. Must not touch: merging the
 * rows into paths (math/pathmerge.c) and the state's serialized form
 * (paths_stream.c).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/parallel.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/tableam.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/paths.h"
#include "storage/bufmgr.h"
#include "storage/proc.h"
#include "storage/shm_mq.h"
#include "storage/shm_toc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/uuid.h"

#include "paths_stream.h"
#include "si_common.h"
#include "si_idmap.h"

PG_FUNCTION_INFO_V1(si_paths_scan);

/*
 * Person ids: integers are the state's keys themselves; text, varchar,
 * char(n) and uuid ids are mapped to dense keys (si_idmap.h) and read by
 * this backend alone (the map is one process's).
 */
#define ID_INT		0
#define ID_TEXT		1			/* text, varchar: the bytes */
#define ID_BPCHAR	2			/* char(n): the bytes without trailing blanks, as ::text */
#define ID_UUID		3			/* the 16 bytes */

typedef struct ScanColumns
{
	const char *name[3];		/* person, week, code */
	Oid			type[3];		/* base types */
	int			idkind;			/* ID_* of the person column as read */
	SiIdMap    *map;			/* non-integer ids, else NULL */
} ScanColumns;

/* the read-out: the state, and how its keys become person ids */
typedef struct ScanOut
{
	PathsState *st;
	SiIdMap    *map;
	int			idkind;			/* what the map holds */
	bool		text_out;		/* person_id text (benefit_paths_scan_text) */
} ScanOut;

static const char *const column_arg[3] = {"person_column", "week_column", "code_column"};

static const char *
name_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", what),
				 errhint("Name the table's column, or leave the argument out for the default.")));
	return NameStr(*PG_GETARG_NAME(argno));
}

/* ID_* of a person column's base type, -1 when it cannot be a person id */
static int
id_kind(Oid t)
{
	switch (t)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return ID_INT;
		case TEXTOID:
		case VARCHAROID:
			return ID_TEXT;
		case BPCHAROID:
			return ID_BPCHAR;
		case UUIDOID:
			return ID_UUID;
		default:
			return -1;
	}
}

/*
 * The three columns exist with types the scan can read (domains count as
 * their base types). text_out: the result's person_id is text, so any id
 * type will do; else (bigint) only integers.
 */
static void
check_columns(Oid relid, ScanColumns *cols, bool text_out)
{
	int			i;

	for (i = 0; i < 3; i++)
	{
		AttrNumber	att = get_attnum(relid, cols->name[i]);
		Oid			t;
		bool		ok;

		if (att == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of relation \"%s\" does not exist", cols->name[i], get_rel_name(relid)),
					 errhint("Give the column's name as %s.", column_arg[i])));
		if (att < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s \"%s\" is a system column", column_arg[i], cols->name[i])));
		t = getBaseType(get_atttype(relid, att));
		if (i == 0 && id_kind(t) > ID_INT && !text_out)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("person_column \"%s\" has type %s, and benefit_paths_scan returns person_id as bigint",
							cols->name[i], format_type_be(t)),
					 errhint("Use benefit_paths_scan_text() with the same arguments: it reads text, varchar, char(n), uuid and integer ids and returns person_id as text.")));
		if (i == 0)
			ok = (id_kind(t) >= 0);
		else if (i == 1)
			ok = (t == DATEOID);
		else
			ok = (t == INT2OID || t == INT4OID);
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s \"%s\" has type %s", column_arg[i], cols->name[i], format_type_be(t)),
					 errhint(i == 0 ? (text_out ? "The person column must be bigint, integer, smallint, text, varchar, char(n) or uuid; cast other types in a query and use benefit_path(week, code) ... GROUP BY the person." :
									   "The person column must be bigint, integer or smallint (text, varchar, char(n) and uuid: benefit_paths_scan_text); cast other types in a query and use benefit_paths(person_id, week, code).") :
							 i == 1 ? "The week column must be date; for other types use benefit_paths(person_id, week, code) over a query that converts it." :
							 "The code column must be integer or smallint; for other types use benefit_paths(person_id, week, code) over a query that casts it.")));
		cols->type[i] = t;
		if (i == 0)
			cols->idkind = id_kind(t);
	}
}

static inline int64
key_value(Datum d, Oid type)
{
	if (type == INT8OID)
		return DatumGetInt64(d);
	if (type == INT4OID)
		return DatumGetInt32(d);
	return DatumGetInt16(d);
}

/* the key of a person id that is not an integer */
static int64
mapped_key(const ScanColumns *cols, Datum p)
{
	if (cols->idkind == ID_UUID)
		return si_idmap_key(cols->map, (const char *) DatumGetUUIDP(p)->data, UUID_LEN);
	else
	{
		struct varlena *v = (struct varlena *) DatumGetPointer(p);
		struct varlena *d = pg_detoast_datum_packed(v);
		const char *b = VARDATA_ANY(d);
		Size		len = VARSIZE_ANY_EXHDR(d);
		int64		key;

		/* char(n) compares and casts to text without its trailing blanks */
		if (cols->idkind == ID_BPCHAR)
			while (len > 0 && b[len - 1] == ' ')
				len--;
		key = si_idmap_key(cols->map, b, len);
		if (d != v)
			pfree(d);
		return key;
	}
}

/* a mapped key as the person id's text */
static char *
mapped_id_cstring(const SiIdMap *map, int idkind, int64 key)
{
	Size		len;
	const char *b = si_idmap_bytes(map, key, &len);

	if (idkind == ID_UUID)
	{
		pg_uuid_t	u;

		Assert(len == UUID_LEN);
		memcpy(u.data, b, UUID_LEN);
		return DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(&u)));
	}
	return pnstrdup(b, len);
}

/* how errors name a person of a mapped column */
static char *
mapped_label(int64 key, void *arg)
{
	const ScanOut *o = (const ScanOut *) arg;

	return psprintf("\"%s\"", mapped_id_cstring(o->map, o->idkind, key));
}

static char *
person_str(const ScanColumns *cols, int64 person)
{
	if (cols->map)
		return psprintf("\"%s\"", mapped_id_cstring(cols->map, cols->idkind, person));
	return psprintf(INT64_FORMAT, person);
}

/* one row's values into the state; NULL person or week is an error */
static inline void
add_values(PathsState *st, Relation rel, const ScanColumns *cols,
		   Datum p, bool pnull, Datum w, bool wnull, Datum c, bool cnull)
{
	int64		person;
	DateADT		week;

	if (pnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("column \"%s\" of table %s is NULL in a row", cols->name[0], RelationGetRelationName(rel)),
				 errhint("Every person-week row needs the person it belongs to.")));
	person = cols->map ? mapped_key(cols, p) : key_value(p, cols->type[0]);
	if (wnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("column \"%s\" of table %s is NULL in a row of person %s",
						cols->name[1], RelationGetRelationName(rel), person_str(cols, person)),
				 errhint("Every person-week row needs its week; a NULL code means no benefit that week.")));
	week = DatumGetDateADT(w);
	if (DATE_NOT_FINITE(week))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("column \"%s\" of table %s is infinite in a row of person %s",
						cols->name[1], RelationGetRelationName(rel), person_str(cols, person)),
				 errhint("Give the week as a finite date (the Monday of the week or any day in it).")));
	paths_state_add(st, person, week, cnull ? 0 : (int32) key_value(c, cols->type[2]), cnull);
}

/*
 * Offsets of the three columns inside a tuple's data when every column up
 * to the last of them is fixed-width and the three are passed by value:
 * then a tuple without NULLs holds them at the same places, and reading
 * them is three loads.
 */
static bool
fixed_offsets(TupleDesc td, const AttrNumber *att, int32 *off, int16 *len, AttrNumber *maxatt)
{
	int32		o = 0;
	AttrNumber	i;
	int			k;

	*maxatt = Max(att[0], Max(att[1], att[2]));
	for (i = 1; i <= *maxatt; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i - 1);

		if (a->attlen <= 0)
			return false;
		o = att_align_nominal(o, a->attalign);
		for (k = 0; k < 3; k++)
			if (att[k] == i)
			{
				/* fetch_att reads pass-by-value columns (a uuid person is not) */
				if (!a->attbyval)
					return false;
				off[k] = o;
				len[k] = a->attlen;
			}
		o += a->attlen;
	}
	return true;
}

/*
 * Can the three columns of a tuple with NULLs that holds at least maxatt
 * columns be read at their fixed offsets? Yes when no column up to maxatt
 * is NULL, or when the first NULL among them is one of the three and none
 * of the three comes after it. *pn, *wn, *cn: which of the three is NULL.
 */
static bool
fixed_with_nulls(HeapTuple tup, const AttrNumber *att, AttrNumber maxatt,
				 bool *pn, bool *wn, bool *cn)
{
	bits8	   *bits = tup->t_data->t_bits;
	AttrNumber	first;

	*pn = *wn = *cn = false;
	for (first = 1; first <= maxatt; first++)
		if (att_isnull(first - 1, bits))
			break;
	if (first > maxatt)
		return true;
	if (att[0] > first || att[1] > first || att[2] > first)
		return false;
	*pn = (att[0] == first);
	*wn = (att[1] == first);
	*cn = (att[2] == first);
	return true;
}

/*
 * Heap tables: heap_getnext hands out tuples without a slot (no buffer pin
 * per row); columns are read at fixed offsets where fixed_offsets allows,
 * else with heap_getattr. A NULL takes no room in a tuple, so the fixed
 * offset of a column holds when no column before it is NULL: a tuple
 * whose first NULL (of the columns up to the last one read) is one of the
 * three columns, after the others, is read at fixed offsets too. That is
 * the usual row with no benefit that week (person, week, NULL code);
 * other tuples with NULLs are read with heap_getattr.
 */
static void
scan_heap(PathsState *st, Relation rel, const ScanColumns *cols, const AttrNumber *att,
		  TableScanDesc scan)
{
	TupleDesc	td = RelationGetDescr(rel);
	HeapTuple	tup;
	int32		off[3];
	int16		len[3];
	AttrNumber	maxatt;
	bool		fixed = fixed_offsets(td, att, off, len, &maxatt);

	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		pn,
					wn,
					cn;
		Datum		p,
					w,
					c;

		CHECK_FOR_INTERRUPTS();
		if (fixed && !HeapTupleHasNulls(tup) && HeapTupleHeaderGetNatts(tup->t_data) >= maxatt)
		{
			const char *data = (const char *) tup->t_data + tup->t_data->t_hoff;

			p = fetch_att(data + off[0], true, len[0]);
			w = fetch_att(data + off[1], true, len[1]);
			c = fetch_att(data + off[2], true, len[2]);
			pn = wn = cn = false;
		}
		else if (fixed && HeapTupleHeaderGetNatts(tup->t_data) >= maxatt &&
				 fixed_with_nulls(tup, att, maxatt, &pn, &wn, &cn))
		{
			const char *data = (const char *) tup->t_data + tup->t_data->t_hoff;

			p = pn ? (Datum) 0 : fetch_att(data + off[0], true, len[0]);
			w = wn ? (Datum) 0 : fetch_att(data + off[1], true, len[1]);
			c = cn ? (Datum) 0 : fetch_att(data + off[2], true, len[2]);
		}
		else
		{
			p = heap_getattr(tup, att[0], td, &pn);
			w = heap_getattr(tup, att[1], td, &wn);
			c = heap_getattr(tup, att[2], td, &cn);
		}
		add_values(st, rel, cols, p, pn, w, wn, c, cn);
	}
	table_endscan(scan);
}

/* any other table access method: through a slot */
static void
scan_slots(PathsState *st, Relation rel, const ScanColumns *cols, const AttrNumber *att,
		   TableScanDesc scan)
{
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	AttrNumber	maxatt = Max(att[0], Max(att[1], att[2]));

	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, maxatt);
		add_values(st, rel, cols,
				   slot->tts_values[att[0] - 1], slot->tts_isnull[att[0] - 1],
				   slot->tts_values[att[1] - 1], slot->tts_isnull[att[1] - 1],
				   slot->tts_values[att[2] - 1], slot->tts_isnull[att[2] - 1]);
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
}

static void
scan_rows(PathsState *st, Relation rel, const ScanColumns *cols, const AttrNumber *att,
		  TableScanDesc scan)
{
	if (rel->rd_rel->relam == HEAP_TABLE_AM_OID)
		scan_heap(st, rel, cols, att, scan);
	else
		scan_slots(st, rel, cols, att, scan);
}

/*
 * A relation that cannot be scanned here (si_relation_reading_mode: a view,
 * foreign or Citus table, or row-level security applies to the caller): the
 * rows come through a query run as the caller, which the foreign data
 * wrapper or Citus executes and which applies the policies (of the relation
 * named, as a SELECT of it would; its partitions and children are read
 * through it). The columns are cast to the types the state takes and the
 * result's types are checked before its values are read; rows are fetched
 * in batches.
 */
#define SCAN_QUERY_BATCH 10000

static void
scan_query(PathsState *st, Oid relid, const ScanColumns *cols, const char *why)
{
	Oid			qtype[3] = {INT8OID, DATEOID, INT4OID};
	MemoryContext outer = CurrentMemoryContext;
	Relation	rel = relation_open(relid, NoLock);
	ScanColumns qcols = *cols;
	StringInfoData q;
	SPIPlanPtr	plan;
	Portal		portal;
	int			i;

	/* ids that are not integers are read as their text (uuid: canonical form) */
	if (cols->map)
	{
		qtype[0] = TEXTOID;
		qcols.idkind = ID_TEXT;
	}
	for (i = 0; i < 3; i++)
		qcols.type[i] = qtype[i];
	initStringInfo(&q);
	appendStringInfo(&q, "SELECT %s::pg_catalog.%s, %s::pg_catalog.date, %s::pg_catalog.int4 FROM %s",
					 quote_identifier(cols->name[0]), cols->map ? "text" : "int8", quote_identifier(cols->name[1]),
					 quote_identifier(cols->name[2]),
					 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												RelationGetRelationName(rel)));
	ereport(DEBUG1,
			(errmsg_internal("benefit_paths_scan: reading \"%s\" through a query: %s",
							 RelationGetRelationName(rel), why)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "benefit_paths_scan: SPI_connect failed");
	plan = SPI_prepare(q.data, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "benefit_paths_scan: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		TupleDesc	td;
		uint64		r;

		SPI_cursor_fetch(portal, true, SCAN_QUERY_BATCH);
		if (SPI_processed == 0)
			break;
		td = SPI_tuptable->tupdesc;
		si_check_result_types(td, qtype, 3, "the query benefit_paths_scan reads the relation with");
		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			bool		pn,
						wn,
						cn;
			Datum		p = SPI_getbinval(tup, td, 1, &pn),
						w = SPI_getbinval(tup, td, 2, &wn),
						c = SPI_getbinval(tup, td, 3, &cn);
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(outer);
			add_values(st, rel, &qcols, p, pn, w, wn, c, cn);
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();
	relation_close(rel, NoLock);
	pfree(q.data);
}

/* ---- parallel scan: workers fill their own states, the leader merges ---- */

#define SCAN_KEY_SHARED		UINT64CONST(0x5349504154480001)
#define SCAN_KEY_TABLESCAN	UINT64CONST(0x5349504154480002)
#define SCAN_KEY_QUEUES		UINT64CONST(0x5349504154480003)
#define SCAN_QUEUE_SIZE		((Size) 256 * 1024)
/*
 * A worker sends its state in parts of about this size: one message is
 * limited to 1 GB (a DREAM-scale state per worker is larger), and the
 * leader then holds one part at a time besides its own state.
 */
#define SCAN_MESSAGE_BYTES	((Size) 64 * 1024)

typedef struct ScanShared
{
	Oid			relid;
	int			on_duplicate;
	NameData	names[3];
	Oid			types[3];
	AttrNumber	att[3];
} ScanShared;

PGDLLEXPORT void si_paths_scan_worker(dsm_segment *seg, shm_toc *toc);

/*
 * Workers for one relation, chosen the way the planner sizes a parallel
 * sequential scan: none below min_parallel_table_scan_size, one more for
 * every tripling of the size, at most max_parallel_workers_per_gather (or
 * the table's parallel_workers setting). None when parallel workers could
 * not read the table (temporary tables) or a parallel operation is already
 * running in this backend.
 */
static int
scan_workers(Relation rel)
{
	BlockNumber pages;
	double		threshold = Max(min_parallel_table_scan_size, 1);
	int			workers;

	if (max_parallel_workers_per_gather <= 0 || IsInParallelMode() ||
		rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP ||
		rel->rd_rel->relam != HEAP_TABLE_AM_OID)
		return 0;
	workers = RelationGetParallelWorkers(rel, -1);
	if (workers >= 0)
		return Min(workers, max_parallel_workers_per_gather);
	pages = RelationGetNumberOfBlocks(rel);
	if (pages < threshold)
		return 0;
	workers = 1;
	while (pages >= threshold * 3 && workers < max_parallel_workers_per_gather)
	{
		workers++;
		threshold *= 3;
	}
	return Min(workers, max_parallel_workers_per_gather);
}

void
si_paths_scan_worker(dsm_segment *seg, shm_toc *toc)
{
	ScanShared *sh = shm_toc_lookup(toc, SCAN_KEY_SHARED, false);
	ParallelTableScanDesc pscan = shm_toc_lookup(toc, SCAN_KEY_TABLESCAN, false);
	char	   *queues = shm_toc_lookup(toc, SCAN_KEY_QUEUES, false);
	shm_mq	   *mq = (shm_mq *) (queues + ParallelWorkerNumber * SCAN_QUEUE_SIZE);
	shm_mq_handle *mqh;
	ScanColumns cols;
	Relation	rel;
	PathsState *st;
	bytea	   *b;
	Size		ent_pos = 0,
				late_pos = 0;
	int			i;

	shm_mq_set_sender(mq, MyProc);
	mqh = shm_mq_attach(mq, seg, NULL);
	/* workers read integer ids only (mapped ids are read by the leader) */
	cols.idkind = ID_INT;
	cols.map = NULL;
	for (i = 0; i < 3; i++)
	{
		cols.name[i] = NameStr(sh->names[i]);
		cols.type[i] = sh->types[i];
	}
	rel = table_open(sh->relid, AccessShareLock);
	st = paths_state_create(CurrentMemoryContext, sh->on_duplicate);
	scan_rows(st, rel, &cols, sh->att, table_beginscan_parallel(rel, pscan));
	table_close(rel, AccessShareLock);
	/* the state in parts, then an empty bytea that says "done" */
	for (;;)
	{
		bool		done;

		b = paths_state_serialize_part(st, &ent_pos, &late_pos, SCAN_MESSAGE_BYTES);
		done = (b == NULL);
		if (done)
		{
			b = palloc(VARHDRSZ);
			SET_VARSIZE(b, VARHDRSZ);
		}
		if (shm_mq_send(mqh, VARSIZE(b), b, false, true) != SHM_MQ_SUCCESS)
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("benefit_paths_scan: the leader stopped reading the paths of a parallel worker")));
		pfree(b);
		if (done)
			break;
		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * A scan from the first block on, never joining another scan in the middle
 * of the table (synchronize_seqscans): the rows then come in their stored
 * order, so a table stored week by week gives entries that follow each
 * other (cheap to merge) instead of wrapping around to the first weeks.
 */
static TableScanDesc
serial_scan(Relation rel, Snapshot snapshot)
{
	return table_beginscan_strat(rel, snapshot, 0, NULL, true, false);
}

/* the rows of one relation, with parallel workers when it is large enough */
static void
scan_relation(PathsState *st, Relation rel, const ScanColumns *cols, const AttrNumber *att)
{
	/* mapped ids: one map, in this backend */
	int			nworkers = cols->map ? 0 : scan_workers(rel);
	ParallelContext *pcxt;
	Snapshot	snapshot = GetActiveSnapshot();
	Size		pscan_size;
	ScanShared *sh;
	ParallelTableScanDesc pscan;
	char	   *queues;
	shm_mq_handle **mqh;
	MemoryContext tmp;
	int			nmessages = 0;
	int			i;

	if (nworkers == 0)
	{
		scan_rows(st, rel, cols, att, serial_scan(rel, snapshot));
		return;
	}

	EnterParallelMode();
	pcxt = CreateParallelContext("socialinvest", "si_paths_scan_worker", nworkers);
	pscan_size = table_parallelscan_estimate(rel, snapshot);
	shm_toc_estimate_chunk(&pcxt->estimator, sizeof(ScanShared));
	shm_toc_estimate_chunk(&pcxt->estimator, pscan_size);
	shm_toc_estimate_chunk(&pcxt->estimator, mul_size(SCAN_QUEUE_SIZE, nworkers));
	shm_toc_estimate_keys(&pcxt->estimator, 3);
	InitializeParallelDSM(pcxt);
	if (pcxt->seg == NULL)
	{
		/* no dynamic shared memory to be had: the leader scans alone */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		scan_rows(st, rel, cols, att, serial_scan(rel, snapshot));
		return;
	}

	sh = shm_toc_allocate(pcxt->toc, sizeof(ScanShared));
	sh->relid = RelationGetRelid(rel);
	sh->on_duplicate = paths_state_on_duplicate(st);
	for (i = 0; i < 3; i++)
	{
		namestrcpy(&sh->names[i], cols->name[i]);
		sh->types[i] = cols->type[i];
		sh->att[i] = att[i];
	}
	shm_toc_insert(pcxt->toc, SCAN_KEY_SHARED, sh);
	pscan = shm_toc_allocate(pcxt->toc, pscan_size);
	table_parallelscan_initialize(rel, pscan, snapshot);
	pscan->phs_syncscan = false;	/* see serial_scan */
	shm_toc_insert(pcxt->toc, SCAN_KEY_TABLESCAN, pscan);
	queues = shm_toc_allocate(pcxt->toc, mul_size(SCAN_QUEUE_SIZE, nworkers));
	for (i = 0; i < nworkers; i++)
	{
		shm_mq	   *mq = shm_mq_create(queues + i * SCAN_QUEUE_SIZE, SCAN_QUEUE_SIZE);

		shm_mq_set_receiver(mq, MyProc);
	}
	shm_toc_insert(pcxt->toc, SCAN_KEY_QUEUES, queues);

	LaunchParallelWorkers(pcxt);
	mqh = palloc0(sizeof(shm_mq_handle *) * nworkers);
	for (i = 0; i < pcxt->nworkers_launched; i++)
	{
		mqh[i] = shm_mq_attach((shm_mq *) (queues + i * SCAN_QUEUE_SIZE), pcxt->seg, NULL);
		shm_mq_set_handle(mqh[i], pcxt->worker[i].bgwhandle);
	}
	/* planned (fixed by the settings) and launched (depends on the load) */
	ereport(DEBUG1,
			(errmsg_internal("benefit_paths_scan: parallel scan of \"%s\" with %d workers planned",
							 RelationGetRelationName(rel), nworkers)));
	ereport(DEBUG2,
			(errmsg_internal("benefit_paths_scan: %d of %d parallel workers launched",
							 pcxt->nworkers_launched, nworkers)));

	/*
	 * The leader scans too (blocks not taken by workers are its own), unless
	 * parallel_leader_participation is off and a worker runs, as with Gather.
	 */
	if (parallel_leader_participation || pcxt->nworkers_launched == 0)
		scan_rows(st, rel, cols, att, table_beginscan_parallel(rel, pscan));

	/* each worker's parts, merged as they come, until its empty message */
	tmp = AllocSetContextCreate(CurrentMemoryContext, "benefit_paths_scan worker state",
								ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < pcxt->nworkers_launched; i++)
	{
		for (;;)
		{
			Size		n;
			void	   *data;
			bytea	   *copy;
			MemoryContext old;

			if (shm_mq_receive(mqh[i], &n, &data, false) != SHM_MQ_SUCCESS)
			{
				/* a worker that failed raises its own error here */
				WaitForParallelWorkersToFinish(pcxt);
				ereport(ERROR,
						(errcode(ERRCODE_INTERNAL_ERROR),
						 errmsg("benefit_paths_scan: a parallel worker stopped before it sent its paths")));
			}
			if (n == VARHDRSZ)
				break;
			old = MemoryContextSwitchTo(tmp);
			copy = palloc_extended(n, MCXT_ALLOC_HUGE);
			memcpy(copy, data, n);
			if (n < VARHDRSZ || VARSIZE(copy) != n)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("benefit_paths_scan: a parallel worker sent %zu bytes that are not a state", n)));
			paths_state_combine(st, paths_state_deserialize(copy, tmp));
			MemoryContextSwitchTo(old);
			MemoryContextReset(tmp);
			nmessages++;
			CHECK_FOR_INTERRUPTS();
		}
	}
	MemoryContextDelete(tmp);
	ereport(DEBUG2,
			(errmsg_internal("benefit_paths_scan: %d parts received from %d parallel workers",
							 nmessages, pcxt->nworkers_launched)));
	WaitForParallelWorkersToFinish(pcxt);
	DestroyParallelContext(pcxt);
	ExitParallelMode();
}

/*
 * The table itself, then every partition or child that has storage
 * (si_relation_reading_mode said every one of them can be scanned here).
 */
static void
scan_relation_tree(PathsState *st, Oid relid, const ScanColumns *cols)
{
	List	   *rels = find_all_inheritors(relid, AccessShareLock, NULL);
	ListCell   *lc;

	foreach(lc, rels)
	{
		Oid			child = lfirst_oid(lc);
		Relation	rel = table_open(child, NoLock);
		char		kind = rel->rd_rel->relkind;
		AttrNumber	att[3];
		int			i;

		if (kind == RELKIND_PARTITIONED_TABLE)
		{
			table_close(rel, NoLock);
			continue;
		}
		if (kind != RELKIND_RELATION && kind != RELKIND_MATVIEW)
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("benefit_paths_scan cannot read \"%s\", a partition or child of \"%s\" that is not a table",
							RelationGetRelationName(rel), get_rel_name(relid)),
					 errhint("Use benefit_paths(person_id, week, code) over a query of the table.")));
		if (RELATION_IS_OTHER_TEMP(rel))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot access temporary tables of other sessions")));
		if (kind == RELKIND_MATVIEW && !RelationIsPopulated(rel))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("materialized view \"%s\" has not been populated", RelationGetRelationName(rel)),
					 errhint("Use the REFRESH MATERIALIZED VIEW command.")));
		/* a child's columns may sit at other positions than the parent's */
		for (i = 0; i < 3; i++)
			att[i] = get_attnum(child, cols->name[i]);
		scan_relation(st, rel, cols, att);
		table_close(rel, NoLock);
	}
}

/*
 * benefit_paths_scan(tbl regclass, person_column name, week_column name,
 *					  code_column name, on_duplicate text)
 *	 RETURNS TABLE (person_id bigint, path benefit_path)
 * benefit_paths_scan_text(the same arguments)
 *	 RETURNS TABLE (person_id text, path benefit_path)
 * One C function: the declared type of person_id says which.
 */
Datum
si_paths_scan(PG_FUNCTION_ARGS)
{
	FuncCallContext *fctx;
	ScanOut    *out;
	int64		person;
	Datum		path;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		Oid			relid;
		ScanColumns cols;
		TupleDesc	td;
		text	   *dup;
		bool		through_query;
		const char *why = NULL;
		bool		text_out;
		int			relarg;

		fctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE || td->natts != 2)
			elog(ERROR, "benefit_paths_scan must return a row type of two columns");
		text_out = (TupleDescAttr(td, 0)->atttypid == TEXTOID);
		if (!text_out && TupleDescAttr(td, 0)->atttypid != INT8OID)
			elog(ERROR, "benefit_paths_scan: person_id must be declared bigint or text");
		fctx->tuple_desc = BlessTupleDesc(td);
		/* tbl, the last argument: the deprecated name of relation (0.3.0 only) */
		relarg = si_alias_arg(fcinfo, 0, "relation", PG_NARGS() > 5 ? PG_NARGS() - 1 : PG_NARGS(), "tbl");
		if (relarg < 0)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("relation must not be NULL"),
					 errhint("Give the person-week table, e.g. 'dream.benefit_week'.")));
		relid = PG_GETARG_OID(relarg);
		cols.name[0] = name_arg(fcinfo, 1, "person_column");
		cols.name[1] = name_arg(fcinfo, 2, "week_column");
		cols.name[2] = name_arg(fcinfo, 3, "code_column");
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("on_duplicate must not be NULL"),
					 errhint("Use 'error' or 'dream_priority'.")));
		dup = PG_GETARG_TEXT_PP(4);

		/* scanned here, or read through a query (never an empty scan) */
		through_query = (si_relation_reading_mode(relid, "benefit_paths_scan",
												  "Use benefit_paths(person_id, week, code) over a query of it.",
												  &why) == SI_READ_QUERY);
		si_check_select_columns(relid, cols.name, 3, "benefit_paths_scan");
		check_columns(relid, &cols, text_out);

		out = palloc0(sizeof(ScanOut));
		out->text_out = text_out;
		out->st = paths_state_create(fctx->multi_call_memory_ctx,
									 paths_on_duplicate(VARDATA_ANY(dup), VARSIZE_ANY_EXHDR(dup)));
		cols.map = NULL;
		if (cols.idkind != ID_INT)
		{
			cols.map = si_idmap_create(fctx->multi_call_memory_ctx);
			out->map = cols.map;
			/* the query reads the ids as text */
			out->idkind = through_query ? ID_TEXT : cols.idkind;
			paths_state_set_person_label(out->st, mapped_label, out);
		}
		if (through_query)
			scan_query(out->st, relid, &cols, why);
		else
			scan_relation_tree(out->st, relid, &cols);
		paths_state_begin(out->st);
		fctx->user_fctx = out;
		MemoryContextSwitchTo(old);
	}
	fctx = SRF_PERCALL_SETUP();
	out = (ScanOut *) fctx->user_fctx;
	if (paths_state_next(out->st, &person, &path))
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (!out->text_out)
			values[0] = Int64GetDatum(person);
		else if (out->map)
			values[0] = CStringGetTextDatum(mapped_id_cstring(out->map, out->idkind, person));
		else
			values[0] = CStringGetTextDatum(psprintf(INT64_FORMAT, person));
		values[1] = path;
		SRF_RETURN_NEXT(fctx, HeapTupleGetDatum(heap_form_tuple(fctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(fctx);
}
