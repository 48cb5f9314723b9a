/*
 * si_common.h — small helpers shared by the PostgreSQL glue files.
 *
 * Must not include a concept folder's header (see si_common.c).
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

/*
 * a + b for the int64 counters of a state type: a sum past the int64
 * range raises 22003 naming the type instead of wrapping to a negative
 * count (merging: the message says so). Every transition and combine
 * that adds to a counter of a state a user can write by hand (text input)
 * goes through here.
 */
extern int64 si_count_add(int64 a, int64 b, const char *typname, bool merging);

/*
 * May the current user read these columns of a relation, as a SELECT of
 * them would be checked: USAGE on the relation's schema (which a name lookup
 * checks, and a relation given by OID would skip), then SELECT on the
 * relation or on every one of the columns. NULL entries of columns are
 * skipped; a column that does not exist counts as one without the privilege.
 * Errors are 42501 and name the schema or relation, the reader (the SQL
 * function) and the columns it reads.
 */
extern void si_check_select_columns(Oid relid, const char *const *columns, int ncolumns,
									const char *reader);

/* Schema of the installed socialinvest extension (for its own tables). */
extern Oid	si_extension_schema(void);

/* The table's columns, quoted and comma-separated: the hint of a
 * missing-column error. */
extern char *si_table_columns(Oid relid);

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

/*
 * Names deprecated in 0.3.0 (docs/conventions.md): a NOTICE with SQLSTATE
 * 01P01 (deprecated_feature) saying what was used and what replaces it.
 */
extern void si_deprecated(const char *old_name, const char *new_name);

/*
 * si_alias_arg: the argument at argno, or, when the deprecated alias at
 * alias_argno (an extra trailing argument DEFAULT NULL) is given, that
 * one, with the NOTICE of si_deprecated. Both given: error naming both.
 * Returns the index of the argument to read, or -1 when neither is given.
 */
extern int	si_alias_arg(FunctionCallInfo fcinfo, int argno, const char *name,
						 int alias_argno, const char *alias_name);

/*
 * How a function that reads a relation's rows itself (a table scan through
 * the table access method, bypassing the executor) may read relid:
 *
 * SI_READ_HEAP: directly. The relation is a table or materialized view, or
 *   a partitioned or inheritance parent whose every leaf is one, none of
 *   them is a Citus table, and row-level security does not apply to the
 *   caller.
 * SI_READ_QUERY: only through a query run as the caller (SELECT ... FROM
 *   the relation through SPI), because the rows are not in this server's
 *   storage or not all of them may be shown: a view, a foreign table, a
 *   parent with a foreign leaf, a relation Citus distributes (listed in
 *   pg_dist_partition: the coordinator's shell table is empty), or
 *   row-level security applies. *why (when given) says which, for a DEBUG
 *   message.
 * Anything else (an index, a sequence, a composite type) is refused here
 *   with 42809 naming the relation, the reader and the alternative
 *   (hint_alternative, e.g. "Use benefit_paths(person_id, week, code) over
 *   a query of it.").
 *
 * A direct read of a foreign or distributed table would return no rows
 * without an error; every direct reader asks here first.
 */
typedef enum SiReadingMode
{
	SI_READ_HEAP,
	SI_READ_QUERY
} SiReadingMode;

extern SiReadingMode si_relation_reading_mode(Oid relid, const char *reader,
											  const char *hint_alternative,
											  const char **why);

/* Is relid listed in Citus's pg_catalog.pg_dist_partition (distributed,
 * reference or Citus local table)? False when Citus's catalog does not
 * exist. */
extern bool si_citus_table(Oid relid);

/*
 * A large array about to be filled (at least 4 MB): ask the kernel for
 * huge pages over its 2 MB-aligned interior and to fault it in at once.
 * Each first touch of a 4 kB page is otherwise a page fault of its own
 * (about 10 us under some hypervisors: a quarter of a second for an
 * 83 MB panel). Advice only: where the kernel cannot (old kernels,
 * transparent huge pages off) nothing changes.
 */
extern void si_prefault(void *p, Size size);

#endif
