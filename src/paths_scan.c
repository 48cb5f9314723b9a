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
 * whole tables (and their partitions or inheritance children) only; for a
 * filtered or joined input use the aggregate.
 *
 * Safety: the caller needs SELECT on the table or on the three columns.
 * The scan sees rows under the query's snapshot, so it is as consistent as
 * a SELECT; it bypasses row-level security, so a table where RLS applies
 * to the caller is refused (the aggregate honours RLS).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/tableam.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "paths_stream.h"

PG_FUNCTION_INFO_V1(si_paths_scan);

typedef struct ScanColumns
{
	const char *name[3];		/* person, week, code */
	Oid			type[3];
} ScanColumns;

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

/* SELECT on the table, or on each of the three columns */
static void
check_privileges(Oid relid, const ScanColumns *cols)
{
	AclResult	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	int			i;

	if (acl == ACLCHECK_OK)
		return;
	for (i = 0; i < 3; i++)
	{
		AttrNumber	att = get_attnum(relid, cols->name[i]);

		if (att == InvalidAttrNumber ||
			pg_attribute_aclcheck(relid, att, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied for table %s", get_rel_name(relid)),
					 errhint("benefit_paths_scan reads columns %s, %s and %s: it needs SELECT on the table or on those columns.",
							 quote_identifier(cols->name[0]), quote_identifier(cols->name[1]),
							 quote_identifier(cols->name[2]))));
	}
}

/* the three columns exist with types the scan can read */
static void
check_columns(Oid relid, ScanColumns *cols)
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
		t = get_atttype(relid, att);
		if (i == 1)
			ok = (t == DATEOID);
		else
			ok = (t == INT2OID || t == INT4OID || (i == 0 && t == INT8OID));
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s \"%s\" has type %s", column_arg[i], cols->name[i], format_type_be(t)),
					 errhint(i == 0 ? "The person column must be bigint, integer or smallint; for other types use benefit_paths(person_id, week, code) over a query that casts it." :
							 i == 1 ? "The week column must be date; for other types use benefit_paths(person_id, week, code) over a query that converts it." :
							 "The code column must be integer or smallint; for other types use benefit_paths(person_id, week, code) over a query that casts it.")));
		cols->type[i] = t;
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
	person = key_value(p, cols->type[0]);
	if (wnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("column \"%s\" of table %s is NULL in a row of person " INT64_FORMAT,
						cols->name[1], RelationGetRelationName(rel), person),
				 errhint("Every person-week row needs its week; a NULL code means no benefit that week.")));
	week = DatumGetDateADT(w);
	if (DATE_NOT_FINITE(week))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("column \"%s\" of table %s is infinite in a row of person " INT64_FORMAT,
						cols->name[1], RelationGetRelationName(rel), person),
				 errhint("Give the week as a finite date (the Monday of the week or any day in it).")));
	paths_state_add(st, person, week, cnull ? 0 : (int32) key_value(c, cols->type[2]), cnull);
}

/*
 * Heap tables: heap_getnext hands out tuples without a slot (no buffer pin
 * per row) and heap_getattr reads fixed-width columns at cached offsets.
 */
static void
scan_heap(PathsState *st, Relation rel, const ScanColumns *cols, const AttrNumber *att)
{
	TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	TupleDesc	td = RelationGetDescr(rel);
	HeapTuple	tup;

	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		pn,
					wn,
					cn;
		Datum		p,
					w,
					c;

		CHECK_FOR_INTERRUPTS();
		p = heap_getattr(tup, att[0], td, &pn);
		w = heap_getattr(tup, att[1], td, &wn);
		c = heap_getattr(tup, att[2], td, &cn);
		add_values(st, rel, cols, p, pn, w, wn, c, cn);
	}
	table_endscan(scan);
}

/* any other table access method: through a slot */
static void
scan_slots(PathsState *st, Relation rel, const ScanColumns *cols, const AttrNumber *att)
{
	TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
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

/* the table itself, then every partition or child that has storage */
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
		if (rel->rd_rel->relam == HEAP_TABLE_AM_OID)
			scan_heap(st, rel, cols, att);
		else
			scan_slots(st, rel, cols, att);
		table_close(rel, NoLock);
	}
}

/*
 * benefit_paths_scan(tbl regclass, person_column name, week_column name,
 *					  code_column name, on_duplicate text)
 *	 RETURNS TABLE (person_id bigint, path benefit_path)
 */
Datum
si_paths_scan(PG_FUNCTION_ARGS)
{
	FuncCallContext *fctx;
	PathsState *st;
	int64		person;
	Datum		path;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		Oid			relid;
		Relation	rel;
		char		kind;
		ScanColumns cols;
		TupleDesc	td;
		text	   *dup;

		fctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fctx->multi_call_memory_ctx);
		if (PG_ARGISNULL(0))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("tbl must not be NULL"),
					 errhint("Give the person-week table, e.g. 'dream.benefit_week'.")));
		relid = PG_GETARG_OID(0);
		cols.name[0] = name_arg(fcinfo, 1, "person_column");
		cols.name[1] = name_arg(fcinfo, 2, "week_column");
		cols.name[2] = name_arg(fcinfo, 3, "code_column");
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("on_duplicate must not be NULL"),
					 errhint("Use 'error' or 'dream_priority'.")));
		dup = PG_GETARG_TEXT_PP(4);

		rel = try_relation_open(relid, AccessShareLock);
		if (rel == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("relation with OID %u does not exist", relid)));
		kind = rel->rd_rel->relkind;
		relation_close(rel, NoLock);
		if (kind != RELKIND_RELATION && kind != RELKIND_MATVIEW && kind != RELKIND_PARTITIONED_TABLE)
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("benefit_paths_scan reads tables, and \"%s\" is not one", get_rel_name(relid)),
					 errhint("Use benefit_paths(person_id, week, code) over a query of it.")));
		check_privileges(relid, &cols);
		if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("row-level security applies to table \"%s\"; benefit_paths_scan reads the table directly", get_rel_name(relid)),
					 errhint("Use benefit_paths(person_id, week, code) over a query of the table, which applies the policies.")));
		check_columns(relid, &cols);

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "benefit_paths_scan must return a row type");
		fctx->tuple_desc = BlessTupleDesc(td);

		st = paths_state_create(fctx->multi_call_memory_ctx,
								paths_on_duplicate(VARDATA_ANY(dup), VARSIZE_ANY_EXHDR(dup)));
		scan_relation_tree(st, relid, &cols);
		paths_state_begin(st);
		fctx->user_fctx = st;
		MemoryContextSwitchTo(old);
	}
	fctx = SRF_PERCALL_SETUP();
	st = (PathsState *) fctx->user_fctx;
	if (paths_state_next(st, &person, &path))
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = Int64GetDatum(person);
		values[1] = path;
		SRF_RETURN_NEXT(fctx, HeapTupleGetDatum(heap_form_tuple(fctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(fctx);
}
