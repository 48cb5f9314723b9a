/*
 * si_common.c — small helpers shared by the PostgreSQL glue files.
 *
 * Owns argument checks, counter overflow, privilege and result-type
 * checks, the relation guard of direct table readers (and its look into
 * Citus's catalog) and the deprecation notice every concept uses. Must not hold a
 * concept of its own (no SQL function, no state type) nor include a
 * concept folder's header.
 */
#include "postgres.h"

#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "si_common.h"

int64
si_count_add(int64 a, int64 b, const char *typname, bool merging)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s counts are out of range%s", typname, merging ? " after merging" : ""),
				 errhint("A count would exceed %lld; check the states fed to the %s.",
						 (long long) PG_INT64_MAX, merging ? "rollup" : "transition function")));
	return r;
}

void
si_check_finite_date(DateADT d, const char *argname)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date, not infinity", argname)));
}

DateADT
si_finite_date_arg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	DateADT		d;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", argname)));
	d = PG_GETARG_DATEADT(argno);
	si_check_finite_date(d, argname);
	return d;
}

/* the word PostgreSQL's own "permission denied for ..." uses for a relkind */
static const char *
relkind_word(char relkind)
{
	switch (relkind)
	{
		case RELKIND_VIEW:
			return "view";
		case RELKIND_MATVIEW:
			return "materialized view";
		case RELKIND_FOREIGN_TABLE:
			return "foreign table";
		case RELKIND_SEQUENCE:
			return "sequence";
		default:
			return "table";
	}
}

/* "a, b and c" of the quoted non-NULL column names */
static char *
column_list(const char *const *columns, int ncolumns)
{
	StringInfoData s;
	int			i,
				n = 0,
				seen = 0;

	for (i = 0; i < ncolumns; i++)
		if (columns[i] != NULL)
			n++;
	initStringInfo(&s);
	for (i = 0; i < ncolumns; i++)
	{
		if (columns[i] == NULL)
			continue;
		if (seen > 0)
			appendStringInfoString(&s, seen == n - 1 ? " and " : ", ");
		appendStringInfoString(&s, quote_identifier(columns[i]));
		seen++;
	}
	return s.data;
}

void
si_check_select_columns(Oid relid, const char *const *columns, int ncolumns, const char *reader)
{
	Oid			user = GetUserId();
	Oid			nsp = get_rel_namespace(relid);
	char	   *relname = get_rel_name(relid);
	int			i,
				checked = 0;

	if (relname == NULL || !OidIsValid(nsp))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	if (pg_namespace_aclcheck(nsp, user, ACL_USAGE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for schema %s", get_namespace_name(nsp)),
				 errhint("%s reads %s %s: it needs USAGE on its schema, as a SELECT of it would.",
						 reader, relkind_word(get_rel_relkind(relid)), relname)));
	if (pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK)
		return;
	for (i = 0; i < ncolumns; i++)
	{
		AttrNumber	att;

		if (columns[i] == NULL)
			continue;
		att = get_attnum(relid, columns[i]);
		if (att != InvalidAttrNumber &&
			pg_attribute_aclcheck(relid, att, user, ACL_SELECT) == ACLCHECK_OK)
			checked++;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied for %s %s", relkind_word(get_rel_relkind(relid)), relname),
					 errhint("%s reads columns %s: it needs SELECT on the %s or on those columns.",
							 reader, column_list(columns, ncolumns), relkind_word(get_rel_relkind(relid)))));
	}
	/* no column named: column privileges cannot stand in for the table's */
	if (checked == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for %s %s", relkind_word(get_rel_relkind(relid)), relname)));
}

/* pg_extension.extnamespace of an extension (not exported before PG 16). */
static Oid
extension_namespace(Oid ext)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(ext));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return nsp;
}

Oid
si_extension_schema(void)
{
	Oid			ext = get_extension_oid("socialinvest", true);
	Oid			nsp;

	if (!OidIsValid(ext))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("extension \"socialinvest\" is not installed in this database")));
	nsp = extension_namespace(ext);
	if (!OidIsValid(nsp))
		elog(ERROR, "socialinvest: extension schema not found");
	return nsp;
}

void
si_check_result_types(TupleDesc td, const Oid *expected, int ncols, const char *what)
{
	int			i;

	if (td == NULL || td->natts != ncols)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("socialinvest: %s returned %d columns, expected %d",
						what, td ? td->natts : 0, ncols),
				 errhint("This is a bug in socialinvest; please report it.")));
	for (i = 0; i < ncols; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (a->atttypid != expected[i])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("socialinvest: column %d of %s has type %s, expected %s",
							i + 1, what,
							format_type_extended(a->atttypid, -1, FORMAT_TYPE_FORCE_QUALIFY),
							format_type_extended(expected[i], -1, FORMAT_TYPE_FORCE_QUALIFY)),
					 errhint("Check that no column of the table read was altered: socialinvest names every "
							 "type, function and operator through pg_catalog, so search_path cannot cause this.")));
	}
}

void
si_deprecated(const char *old_name, const char *new_name)
{
	ereport(NOTICE,
			(errcode(ERRCODE_WARNING_DEPRECATED_FEATURE),
			 errmsg("%s is deprecated, use %s", old_name, new_name),
			 errhint("The old name works in socialinvest 0.3.0 only; see docs/conventions.md.")));
}

int
si_alias_arg(FunctionCallInfo fcinfo, int argno, const char *name,
			 int alias_argno, const char *alias_name)
{
	bool		has_alias = alias_argno < PG_NARGS() && !PG_ARGISNULL(alias_argno);

	if (!has_alias)
		return PG_ARGISNULL(argno) ? -1 : argno;
	if (!PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s and %s are the same argument; give only %s", name, alias_name, name),
				 errhint("%s is the deprecated name of %s.", alias_name, name)));
	si_deprecated(psprintf("argument %s", alias_name), psprintf("%s", name));
	return alias_argno;
}

char *
si_table_columns(Oid relid)
{
	StringInfoData s;
	Relation	rel = relation_open(relid, AccessShareLock);
	TupleDesc	td = RelationGetDescr(rel);
	int			i;

	initStringInfo(&s);
	for (i = 0; i < td->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (a->attisdropped)
			continue;
		appendStringInfo(&s, "%s%s", s.len ? ", " : "", quote_identifier(NameStr(a->attname)));
	}
	relation_close(rel, AccessShareLock);
	return s.data;
}

/*
 * Citus keeps the tables it manages in pg_catalog.pg_dist_partition, one
 * row per table, its first column logicalrelid (regclass). The catalog is
 * read directly (no SPI, no privilege needed: it is metadata, as
 * pg_class is) under the query's snapshot. The table exists only where
 * Citus is (or was) installed: creating a table in pg_catalog takes a
 * superuser with allow_system_table_mods. A table of that name whose
 * first column is not an oid or regclass is taken to list every relation,
 * so that an unknown Citus catalog layout sends readers through a query
 * (always right) rather than to the empty shell tables.
 */
static bool
citus_lists_any(List *relids)
{
	Oid			catalog = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
	Relation	rel;
	TupleDesc	td;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		found = false;

	if (!OidIsValid(catalog) || relids == NIL)
		return false;
	rel = table_open(catalog, AccessShareLock);
	td = RelationGetDescr(rel);
	if (td->natts < 1 || TupleDescAttr(td, 0)->attisdropped ||
		strcmp(NameStr(TupleDescAttr(td, 0)->attname), "logicalrelid") != 0 ||
		(TupleDescAttr(td, 0)->atttypid != REGCLASSOID && TupleDescAttr(td, 0)->atttypid != OIDOID))
	{
		table_close(rel, AccessShareLock);
		return true;
	}
	scan = systable_beginscan(rel, InvalidOid, false,
							  ActiveSnapshotSet() ? GetActiveSnapshot() : NULL, 0, NULL);
	while (!found && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, 1, td, &isnull);

		if (!isnull && list_member_oid(relids, DatumGetObjectId(d)))
			found = true;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

bool
si_citus_table(Oid relid)
{
	return citus_lists_any(list_make1_oid(relid));
}

SiReadingMode
si_relation_reading_mode(Oid relid, const char *reader, const char *hint_alternative,
						 const char **why)
{
	Relation	rel = try_relation_open(relid, AccessShareLock);
	char		kind;
	char	   *name;
	List	   *tree;
	ListCell   *lc;
	const char *reason = NULL;

	if (rel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid),
				 errhint("Pass the table as 'schema.table' (a regclass).")));
	kind = rel->rd_rel->relkind;
	name = pstrdup(RelationGetRelationName(rel));
	relation_close(rel, NoLock);

	if (kind == RELKIND_VIEW)
		reason = "it is a view";
	else if (kind == RELKIND_FOREIGN_TABLE)
		reason = "it is a foreign table";
	else if (kind != RELKIND_RELATION && kind != RELKIND_MATVIEW &&
			 kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s reads tables, views and foreign tables, and \"%s\" is none of them", reader, name),
				 errhint("%s", hint_alternative)));

	if (reason == NULL)
	{
		/* the relation and its partitions or inheritance children */
		tree = find_all_inheritors(relid, AccessShareLock, NULL);
		foreach(lc, tree)
		{
			if (get_rel_relkind(lfirst_oid(lc)) == RELKIND_FOREIGN_TABLE)
			{
				reason = psprintf("its partition or child \"%s\" is a foreign table",
								  get_rel_name(lfirst_oid(lc)));
				break;
			}
		}
		if (reason == NULL && citus_lists_any(tree))
			reason = "Citus manages it or one of its partitions (pg_catalog.pg_dist_partition lists it): the rows are on the workers";
		list_free(tree);
	}
	/* with row_security = off, an error where policies would apply */
	if (reason == NULL && check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		reason = "row-level security applies to the caller";
	if (why)
		*why = reason;
	return reason ? SI_READ_QUERY : SI_READ_HEAP;
}

void
si_prefault(void *p, Size size)
{
#ifdef __linux__
	const uintptr_t huge = (uintptr_t) 2 * 1024 * 1024;
	uintptr_t	page = (uintptr_t) getpagesize();
	uintptr_t	start = (uintptr_t) p,
				end = start + size;

	if (p == NULL || size < 2 * huge)
		return;
#ifdef MADV_HUGEPAGE
	{
		uintptr_t	h0 = (start + huge - 1) & ~(huge - 1),
					h1 = end & ~(huge - 1);

		if (h1 > h0)
			(void) madvise((void *) h0, h1 - h0, MADV_HUGEPAGE);
	}
#endif
#ifdef MADV_POPULATE_WRITE
	{
		uintptr_t	p0 = (start + page - 1) & ~(page - 1),
					p1 = end & ~(page - 1);

		if (p1 > p0)
			(void) madvise((void *) p0, p1 - p0, MADV_POPULATE_WRITE);
	}
#endif
#endif
}
