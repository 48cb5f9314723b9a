/*
 * funnel.h — control limits of a funnel plot for a proportion (no
 * PostgreSQL dependency).
 *
 * Spiegelhalter (2005, Statistics in Medicine 24:1185-1202, appendix
 * A.1.1): for a unit with n cases and an in-control proportion target,
 * the number of events R ~ Binomial(n, target). The p-quantile r_p is the
 * smallest r with F(r) = P(R <= r) >= p; since R is discrete, the limit
 * is interpolated between (r_p - 1)/n and r_p/n:
 *
 *     alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1)),   limit = (r_p - alpha) / n,
 *
 * so that the limits are smooth in n and a unit exactly on a limit has
 * tail probability p "spread" over the discrete step. Lower limits use
 * p = (1 - conf_level) / 2, upper ones 1 - (1 - conf_level) / 2. A limit
 * below 0 (possible when r_p = 0) is reported as 0.
 *
 * No postgres.h here.
 */
#ifndef SI_FUNNEL_H
#define SI_FUNNEL_H

#include <stdint.h>

/* Largest n the exact limits are computed for (the sums grow as sqrt(n)). */
#define FUNNEL_MAX_N 1000000000LL

/* log of the Binomial(n, theta) probability of k, 0 <= k <= n, 0 < theta < 1 */
extern double funnel_binom_logpmf(int64_t k, int64_t n, double theta);

/* P(R <= k) for R ~ Binomial(n, theta), 0 < theta < 1; k < 0 gives 0, k >= n gives 1. */
extern double funnel_binom_cdf(int64_t k, int64_t n, double theta);

/* Smallest r in 0..n with P(R <= r) >= p, 0 < p < 1. */
extern int64_t funnel_binom_quantile(double p, int64_t n, double theta);

/*
 * The interpolated limit of Spiegelhalter (2005) for tail probability p
 * (0 < p < 1): (r_p - alpha) / n, clamped to [0, 1].
 */
extern double funnel_limit(double p, int64_t n, double theta);

/*
 * Both limits at conf_level (0 < conf_level < 1): *low at p = (1 -
 * conf_level) / 2, *high at 1 - (1 - conf_level) / 2. Returns 0, or -1
 * when an argument is outside its domain (n < 1 or > FUNNEL_MAX_N,
 * theta not in (0, 1), conf_level not in (0, 1)); the callers check
 * arguments themselves and report errors.
 */
extern int	funnel_limits(double theta, int64_t n, double conf_level,
						  double *low, double *high);

#endif
