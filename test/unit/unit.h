/*
 * unit.h — a minimal TAP-style checker for the PostgreSQL-free code.
 * Each CHECK prints "ok N - what" or "not ok N - what"; unit_done()
 * returns the exit status (non-zero if anything failed).
 */
#ifndef SI_UNIT_H
#define SI_UNIT_H

#include <math.h>
#include <stdio.h>

static int	unit_n = 0;
static int	unit_failed = 0;

#define CHECK(cond, ...) \
	do { \
		unit_n++; \
		if (cond) \
			printf("ok %d - ", unit_n); \
		else \
		{ \
			unit_failed++; \
			printf("not ok %d - ", unit_n); \
		} \
		printf(__VA_ARGS__); \
		printf("%s\n", (cond) ? "" : "   <-- FAILED (" #cond ")"); \
	} while (0)

/* |got - want| <= tol, printed on failure */
#define CHECK_NEAR(got, want, tol, ...) \
	do { \
		double unit_g = (got), unit_w = (want); \
		int unit_ok = fabs(unit_g - unit_w) <= (tol); \
		unit_n++; \
		if (!unit_ok) unit_failed++; \
		printf("%s %d - ", unit_ok ? "ok" : "not ok", unit_n); \
		printf(__VA_ARGS__); \
		if (!unit_ok) printf("   <-- got %.17g, want %.17g", unit_g, unit_w); \
		printf("\n"); \
	} while (0)

static inline int
unit_done(void)
{
	return unit_failed ? 1 : 0;
}

#endif
