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

/*
 * a + b for the int64 counters of a state type: a sum past the int64
 * range raises 22003 naming the type instead of wrapping to a negative
 * count (merging: the message says so). Every transition and combine that adds to a counter of a state
 * a user can write by hand (text input) goes through here.
 */
extern int64 si_count_add(int64 a, int64 b, const char *typname, bool merging);

/* Schema of the installed socialinvest extension (for its own tables). */
extern Oid	si_extension_schema(void);

#endif
