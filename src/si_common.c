/*
 * si_common.c — small helpers shared by the PostgreSQL glue files.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "common/int.h"
#include "commands/extension.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

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
