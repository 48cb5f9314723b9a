/*
 * distributions.h — PostgreSQL-free probability distributions.
 *
 * Standard normal, Student t and chi-square, in full double precision
 * where the method allows (see distributions.c for the methods and their
 * sources). Arguments outside the domain give NaN; callers validate their
 * own inputs and report errors.
 *
 * No postgres.h here.
 */
#ifndef SI_DISTRIBUTIONS_H
#define SI_DISTRIBUTIONS_H

/* Standard normal: P(Z <= x). */
extern double si_norm_cdf(double x);

/* Standard normal quantile: x with P(Z <= x) = p, 0 < p < 1 (Wichura AS241). */
extern double si_norm_quantile(double p);

/* Student t with df > 0 degrees of freedom (df need not be an integer;
 * df = +Inf gives the normal): P(T <= t). */
extern double si_t_cdf(double t, double df);

/* Student t quantile: t with P(T <= t) = p, 0 < p < 1, df > 0. */
extern double si_t_quantile(double p, double df);

/* Chi-square with df > 0 degrees of freedom: upper tail P(X > x). */
extern double si_chisq_upper(double x, double df);

/* Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1. */
extern double si_incbeta(double x, double a, double b);

/* Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x). */
extern double si_gamma_p(double a, double x);
extern double si_gamma_q(double a, double x);

#endif
