/*
 * finance_glue.h — argument checks shared by the finance glue files
 * (finance_scalar.c defines them, finance_cashflows.c uses them). Backend
 * code: errors are ereport()s; the formulas stay in src/math/finance.h.
 */
#ifndef SI_FINANCE_GLUE_H
#define SI_FINANCE_GLUE_H

#include "finance.h"

/*
 * x must not be NaN or +-Infinity: error 22023 "<argname> must be a finite
 * number, not NaN" with the hint; every float8 money argument goes through it.
 */
extern void si_check_finite(double x, const char *argname, const char *hint);

/*
 * A result (or an intermediate sum) computed from finite input must be
 * finite: otherwise error 22003 "<fname>: <what> is out of range" with a
 * hint to rescale the amounts or check the rate and years.
 */
extern double si_check_result(double x, const char *fname, const char *what);

/* rate must be a finite fraction in (-1, 1) (22023 naming the argument, hint for percentages) */
extern void si_check_rate(double rate, const char *argname);

/* period_years must be finite and > 0 */
extern void si_check_period(double period);

/* 'fm2021' -> FIN_FM2021; anything else is an error naming argname */
extern int	si_parse_schedule(const char *s, const char *argname);

/* 'end' | 'mid' */
extern FinConvention si_parse_convention(const char *s);

#endif
