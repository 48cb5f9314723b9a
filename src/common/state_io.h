/*
 * state_io.h — text and binary I/O of fixed-layout aggregate states
 * ("v=1;name=value;..."), shared by the rate, full-time-equivalent and
 * indicator states, and the argument checks their transition functions and
 * accessors share with the money aggregates (an argument whose NULL has no
 * meaning). Floats are written shortest-exact (round-trip) whatever
 * extra_float_digits says. The states' fields, validation and formulas
 * belong to their own files (src/selfsufficiency, src/monitor), never here.
 */
#ifndef SI_STATE_IO_H
#define SI_STATE_IO_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

typedef struct SiStateField
{
	const char *name;
	char		kind;			/* 'i' int64 count >= 0, 'f' float8 finite, 'n' int32 */
	size_t		offset;
} SiStateField;

extern char *si_state_out(const void *st, int version, const SiStateField *f, int n);
extern void si_state_in(const char *s, void *st, int version, const SiStateField *f, int n,
						const char *typname);
/*
 * The leading "v=<version>" of a state's text form: the version in
 * *version, the position after it returned (a syntax error when missing
 * or malformed; what a version other than the reader's means is the
 * caller's decision).
 */
extern const char *si_state_in_version(const char *s, long *version, const char *typname);
/*
 * The fields of a state's text form from p on (";name=value" each, to the
 * end of s): for a state whose text has more before its fields than
 * "v=<version>" (indicator_state's kind). s is the whole text, for messages.
 */
extern void si_state_in_fields(const char *s, const char *p, void *st, const SiStateField *f,
							   int n, const char *typname);
/* 22P02 invalid input syntax for the state type, saying why. */
extern void si_state_syntax_error(const char *typname, const char *s, const char *why) pg_attribute_noreturn();
extern void si_state_send(StringInfo buf, const void *st, int version, const SiStateField *f, int n);
extern void si_state_recv(StringInfo buf, void *st, int version, const SiStateField *f, int n,
						  const char *typname);
extern void si_append_float(StringInfo buf, double v);
extern void si_state_version_error(const char *typname, int got, int want);

/*
 * The fixed-size state in argument 0 made safe to update: the argument
 * itself inside an aggregate's transition (PostgreSQL owns it there), else
 * a palloc'd copy so that a direct call never changes its input.
 */
extern void *si_state_writable(FunctionCallInfo fcinfo, void *st, Size size);

/*
 * The combine of a state's counts: every 'i' field of the table (counts,
 * by the table's convention) of b added into a, overflow an error naming
 * typname (si_count_add, merging). The state's other fields (moments, float
 * sums, 'n' fields) are its own combine's business.
 */
extern void si_state_add_counts(void *a, const void *b, const SiStateField *f, int n,
								const char *typname);

/*
 * Argument argno must not be NULL: else error 22004 "<argname> must not be
 * NULL", with the hint when one is given.
 */
extern void si_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *argname,
							const char *hint);

/* the float8 argument argno, which must not be NULL (as si_arg_not_null) */
extern double si_float8_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *argname,
									 const char *hint);

/* Read a bytea-like varlena as a read-only StringInfo. */
extern void si_read_buffer(StringInfo buf, bytea *b);

#endif
