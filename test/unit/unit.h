/*
 * unit.h — a minimal TAP-style checker for the PostgreSQL-free code
 * (src/math); no postgres.h here, and nothing but the C library.
 *
 * Each check prints "ok N - what" or "not ok N - what" (with the failing
 * expression or the two numbers); unit_done() returns the exit status
 * (non-zero if anything failed). Every macro is a call of a function, so
 * each argument is evaluated exactly once, also when the check fails
 * (test_unit.c proves it with arguments that count their evaluations).
 */
#ifndef SI_UNIT_H
#define SI_UNIT_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int	unit_n = 0;
static int	unit_failed = 0;

/* where the lines go; test_unit.c points it elsewhere to test failures */
static FILE *unit_out = NULL;

#define UNIT_PRINTF(f, a) __attribute__((format(printf, f, a)))

static inline FILE *
unit_stream(void)
{
	return unit_out ? unit_out : stdout;
}

/* counts the check and prints "ok N - what" or "not ok N - what" */
static inline void UNIT_PRINTF(2, 0)
unit_begin(int ok, const char *fmt, va_list ap)
{
	unit_n++;
	if (!ok)
		unit_failed++;
	fprintf(unit_stream(), "%s %d - ", ok ? "ok" : "not ok", unit_n);
	vfprintf(unit_stream(), fmt, ap);
}

/* CHECK(cond, "what", ...): cond true (non-zero) */
static inline int UNIT_PRINTF(3, 4)
unit_check(int ok, const char *expr, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	unit_begin(ok, fmt, ap);
	va_end(ap);
	if (!ok)
		fprintf(unit_stream(), "   <-- FAILED (%s)", expr);
	fputc('\n', unit_stream());
	return ok;
}

static inline int
unit_end_near(int ok, double got, double want)
{
	if (!ok)
		fprintf(unit_stream(), "   <-- got %.17g, want %.17g", got, want);
	fputc('\n', unit_stream());
	return ok;
}

/* CHECK_NEAR(got, want, tol, "what", ...): |got - want| <= tol */
static inline int UNIT_PRINTF(4, 5)
unit_check_near(double got, double want, double tol, const char *fmt,...)
{
	va_list		ap;
	int			ok = fabs(got - want) <= tol;

	va_start(ap, fmt);
	unit_begin(ok, fmt, ap);
	va_end(ap);
	return unit_end_near(ok, got, want);
}

/*
 * CHECK_REL(got, want, tol, "what", ...): relative closeness, absolute
 * near zero: |got - want| <= tol * max(1, |want|)
 */
static inline int UNIT_PRINTF(4, 5)
unit_check_rel(double got, double want, double tol, const char *fmt,...)
{
	va_list		ap;
	int			ok = fabs(got - want) <= tol * fmax(1.0, fabs(want));

	va_start(ap, fmt);
	unit_begin(ok, fmt, ap);
	va_end(ap);
	return unit_end_near(ok, got, want);
}

#define CHECK(cond, ...) unit_check((cond) ? 1 : 0, #cond, __VA_ARGS__)
#define CHECK_NEAR(got, want, tol, ...) \
	unit_check_near((got), (want), (tol), __VA_ARGS__)
#define CHECK_REL(got, want, tol, ...) \
	unit_check_rel((got), (want), (tol), __VA_ARGS__)

static inline int
unit_done(void)
{
	return unit_failed ? 1 : 0;
}

#endif
