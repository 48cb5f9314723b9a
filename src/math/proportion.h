/*
 * proportion.h — intervals of one indicator, free of PostgreSQL: the
 * Wilson score interval of a proportion, and the mean with its running
 * sum of squared deviations (Welford updates, Chan et al. merge) and its
 * Student t interval (docs/methods.md, "Indicator intervals").
 *
 * No postgres.h here.
 */
#ifndef SI_PROPORTION_H
#define SI_PROPORTION_H

#include <stdint.h>

/*
 * Wilson score interval of successes out of n at conf_level (0 < conf_level
 * < 1). Returns 0 and sets *estimate = successes / n, *low, *high; n == 0
 * gives NaN for all three. Returns -1 (nothing set) for an invalid input:
 * n < 0, successes < 0, successes > n, conf_level outside (0, 1).
 * successes == 0 gives low = 0 exactly, successes == n high = 1 exactly.
 */
extern int	si_wilson_interval(int64_t successes, int64_t n, double conf_level,
							   double *estimate, double *low, double *high);

/* Wald standard error sqrt(p (1 - p) / n) of the proportion; NaN for n == 0. */
extern double si_proportion_std_error(int64_t successes, int64_t n);

/*
 * Running mean: n values, their mean, and m2 = sum of squared deviations
 * from the mean.
 */
typedef struct SiMeanVar
{
	int64_t		n;
	double		mean;
	double		m2;
} SiMeanVar;

/* Add one value x (Welford 1962). */
extern void si_meanvar_add(SiMeanVar *a, double x);

/*
 * Merge b into a (Chan, Golub & LeVeque 1979, as PostgreSQL's
 * float8_combine): n = na + nb, mean = ma + d nb / n,
 * m2 = m2a + m2b + d^2 na nb / n with d = mb - ma.
 */
extern void si_meanvar_merge(SiMeanVar *a, const SiMeanVar *b);

/*
 * Student t interval of the mean: std_error = sqrt(m2 / (n - 1) / n),
 * mean +- t(1 - (1 - conf_level) / 2, n - 1) * std_error. n < 2 gives NaN
 * for std_error, low and high. Returns -1 for conf_level outside (0, 1).
 */
extern int	si_mean_interval(const SiMeanVar *a, double conf_level,
							 double *std_error, double *low, double *high);

#endif
