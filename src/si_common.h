/*
 * si_common.h — small helpers shared by the PostgreSQL glue files.
 */
#ifndef SI_COMMON_H
#define SI_COMMON_H

#include "postgres.h"

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

#endif
