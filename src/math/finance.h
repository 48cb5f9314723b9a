/*
 * finance.h — discounting, NPV, IRR/XIRR, payback and multiples, free of
 * PostgreSQL (compiled into the extension and into the unit tests).
 *
 * Cash flows are (t, amount) pairs with t in years from the valuation
 * date (t = 0); amounts are double here, the SQL layer takes and returns
 * numeric money.
 */
#ifndef SI_FINANCE_H
#define SI_FINANCE_H

#include <stdbool.h>
#include <stddef.h>

/* Discount-rate schedules */
typedef enum FinSchedule
{
	FIN_FLAT = 0,				/* (1 + r)^-t */
	FIN_FM2021 = 1				/* Finance Ministry 2021: 3.5 % to 35, 2.5 % to 70, 1.5 % after */
} FinSchedule;

/* Timing convention: flows at the end of their period or in its middle */
typedef enum FinConvention
{
	FIN_END = 0,
	FIN_MID = 1
} FinConvention;

/*
 * Discount factor at t years. For FIN_MID the flow is moved half a period
 * (period_years) earlier, but never before t - period/2 < 0 is clipped:
 * a flow at t = 0 stays undiscounted. Negative t (flows before the
 * valuation date) compound forward. rate must be > -1 for FIN_FLAT.
 */
extern double fin_discount_factor(double t, FinSchedule sched, double rate,
								  FinConvention conv, double period_years);

/*
 * NPV = sum amount_k * DF(t_k), with compensated (Neumaier) summation.
 * From finite input the result is NaN or +-Infinity exactly when a term
 * or a partial sum overflowed the double range (an overflowed sum never
 * becomes finite again); callers must check isfinite() and report it.
 * The same holds for fin_discount_factor() and fin_sums().
 */
extern double fin_npv(const double *t, const double *amount, size_t n,
					  FinSchedule sched, double rate, FinConvention conv,
					  double period_years);

/* Result of a root search */
typedef enum FinRootStatus
{
	FIN_ROOT_OK = 0,
	FIN_ROOT_NO_SIGN_CHANGE_FLOWS = 1,	/* all flows >= 0 or all <= 0 */
	FIN_ROOT_NO_BRACKET = 2,	/* flows change sign but NPV(i) does not on the bracket */
	FIN_ROOT_EMPTY = 3			/* no flows, or all zero */
} FinRootStatus;

/*
 * Internal rate of return: the i in [lo, hi] (default bracket
 * [-0.99, 10]) with sum amount_k (1+i)^-t_k = 0. The bracket is scanned on
 * a grid in log(1+i); the sign change closest to i = 0 is refined by a
 * safeguarded Brent iteration (bisection fallback) to |step| < 1e-12.
 * *nroots receives the number of sign changes seen on the grid (more
 * than one: several IRRs exist; the one closest to 0 is returned).
 */
extern FinRootStatus fin_irr(const double *t, const double *amount, size_t n,
							 double lo, double hi, double *irr, int *nroots);

/*
 * Generic safeguarded root finder (Brent 1973): f(a) and f(b) must have
 * opposite signs (or one be zero). Returns false if they do not.
 */
typedef double (*fin_fn) (double x, void *arg);
extern bool fin_brent(fin_fn f, void *arg, double a, double b, double xtol,
					  int maxiter, double *root);

/* Result of fin_payback */
typedef enum FinPaybackStatus
{
	FIN_PAYBACK_OK = 0,
	FIN_PAYBACK_NEVER = 1,		/* never pays back, or nothing to pay back */
	FIN_PAYBACK_OVERFLOW = 2	/* a (discounted) cumulative sum left the double range */
} FinPaybackStatus;

/*
 * Payback period: the first t at which the cumulative (discounted when
 * rate != 0) cash flow, in time order, turns from negative to >= 0,
 * interpolated linearly inside the interval of the flow that crosses.
 * Flows must be sorted by t. Returns FIN_PAYBACK_NEVER if it never pays
 * back, or if the cumulative flow is never negative (nothing to pay back),
 * and FIN_PAYBACK_OVERFLOW if a discounted flow or the running sum is not
 * finite (*years is then not set).
 */
extern FinPaybackStatus fin_payback(const double *t, const double *amount, size_t n,
						FinSchedule sched, double rate, double *years);

/*
 * Sort flows by t, then by amount: the same flows in any order give the same
 * sequence (merge sort; insertion sort if memory runs out).
 */
extern void fin_sort_flows(double *t, double *amount, size_t n);

/* Exact-ish sums of positive and of negative flows (Neumaier). */
extern void fin_sums(const double *amount, size_t n, double *inflow, double *outflow);

/*
 * Present values amount_k * DF(t_k) at the end-of-period convention (yearly
 * periods), as the benefit-cost ratio weighs its flows; pv may be amount.
 * A value that overflowed is not finite: callers check.
 */
extern void fin_present_values(const double *t, const double *amount, size_t n,
							   FinSchedule sched, double rate, double *pv);

/*
 * XIRR's times: years since the earliest of the days, (day - first) / 365
 * (the spreadsheet convention; docs/methods.md, *Money*, IRR (M11)).
 * years may be days.
 */
extern void fin_days_to_years(const double *days, size_t n, double *years);

#endif
