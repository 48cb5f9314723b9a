/*
 * pg_shim.h — the few PostgreSQL backend services the extension's type
 * input/output functions use, provided outside a server so that libFuzzer
 * can call those functions (the real ones, from src/) in-process.
 *
 * What the shim does: palloc and friends allocate from one arena that
 * fuzz_reset() frees after each input (a memory context reset);
 * ereport(ERROR) jumps back to the harness (PG_exception_stack), which
 * records the SQLSTATE; StringInfo, snprintf and shortest-float output
 * come from PostgreSQL's own libpgcommon/libpgport. Anything else the
 * linked files reference is left unresolved: calling it crashes, which
 * the harness would report as a finding (type I/O must not need it).
 */
#ifndef SI_PG_SHIM_H
#define SI_PG_SHIM_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

/* Call an SQL-callable function with one argument. Returns true and sets
 * *result when it returns, false when it raised an error (then
 * fuzz_last_sqlstate holds the code). Aborts on an internal error
 * (XX000), which user input must never cause. */
extern bool fuzz_call1(PGFunction fn, Datum arg, Datum *result);

/* Free everything palloc'd since the last reset. */
extern void fuzz_reset(void);

/* A StringInfo over a copy of data (NUL-terminated, as PostgreSQL gives). */
extern StringInfo fuzz_msg(const uint8 *data, size_t len);

/* A NUL-terminated palloc'd copy of data. */
extern char *fuzz_cstring(const uint8 *data, size_t len);

/* The bytes of a bytea result (send functions). */
extern void fuzz_bytes(Datum d, const uint8 **data, size_t *len);

/* Abort with a message (a property the harness checks did not hold). */
extern void fuzz_fail(const char *what, const char *detail) pg_attribute_noreturn();

extern int	fuzz_last_sqlstate;
extern char fuzz_last_message[512];

#endif
