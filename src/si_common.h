/*
 * si_common.h — small helpers shared by the PostgreSQL glue files.
 */
#ifndef SI_COMMON_H
#define SI_COMMON_H

#include "postgres.h"

#include "access/tupdesc.h"
#include "fmgr.h"
#include "utils/date.h"

/*
 * A date argument that must be finite (not NULL, not +/-infinity); the
 * error names the argument. Functions are STRICT, so NULL never arrives
 * here unless the function is declared otherwise.
 */
extern DateADT si_finite_date_arg(FunctionCallInfo fcinfo, int argno, const char *argname);

/* Check a finite date value; the error names the argument. */
extern void si_check_finite_date(DateADT d, const char *argname);

/* Schema of the installed socialinvest extension (for its own tables). */
extern Oid	si_extension_schema(void);

/*
 * SQL the extension runs through SPI executes under the caller's
 * search_path, which the caller controls: pg_temp is searched first for
 * type names, and any schema listed before pg_catalog shadows functions,
 * operators and types. So every such query names built-ins as
 * pg_catalog.x / OPERATOR(pg_catalog.=), its own tables through the
 * extension schema, identifiers quoted, values as parameters; and before
 * any Datum of a result is read, the result's column types are checked
 * against what the reader expects (a misread Datum crashes the server).
 *
 * si_check_result_types: error (DATATYPE_MISMATCH) unless td has exactly
 * ncols columns of exactly the types in expected[]; "what" names the
 * query in the message.
 */
extern void si_check_result_types(TupleDesc td, const Oid *expected, int ncols,
								  const char *what);

#endif
