/*
 * balance.h — covariate balance between treated and controls, before and
 * after matching or weighting, with the definitions of R MatchIt's
 * summary() (standardised mean difference, variance ratio, eCDF mean and
 * max) and Kish's effective sample size. PostgreSQL-free; the SQL glue is
 * src/matching/balance.c. Formulas: docs/methods.md, *Balance statistics*.
 */
#ifndef SI_BALANCE_H
#define SI_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

/* which spread standardises a mean difference (MatchIt/cobalt's s.d.denom) */
typedef enum SiSmdDenominator
{
	SI_SMD_TREATED = 0,			/* SD of the treated (ATT) */
	SI_SMD_POOLED = 1			/* sqrt of the mean of the two group variances (ATE) */
} SiSmdDenominator;

/* statistics of one term in one sample (NaN where MatchIt gives NA) */
typedef struct SiBalanceStats
{
	double		mean_treated;
	double		mean_control;
	double		std_mean_diff;	/* raw difference when |difference| <= sqrt(DBL_EPSILON) */
	double		variance_ratio; /* NaN for a binary term */
	double		ecdf_mean;
	double		ecdf_max;
} SiBalanceStats;

/* one value of the eCDF work array */
typedef struct SiBalancePoint
{
	double		x;
	double		w;				/* signed normalised weight: + treated, - control */
} SiBalancePoint;

/* every value of x (n values, stride apart) is 0 or 1 */
extern bool si_balance_is_binary(int64_t n, const double *x, int stride);

/*
 * Weighted variance of the units of one group (treated[i] == group), w NULL
 * = all 1: for a binary term m(1 - m) with m the weighted mean, otherwise
 * sum w (x - m)^2 / (1 - sum w^2) with w normalised to sum 1 (reliability
 * weights, as R's cov.wt). NaN when the group has no positive weight.
 */
extern double si_balance_wvar(int64_t n, const double *x, int stride,
							  const bool *treated, bool group, const double *w,
							  bool binary);

/*
 * The standardising spread of a term, from the unweighted sample (the
 * same for the unadjusted and the adjusted rows): treated -> SD of the
 * treated; pooled -> sqrt((var_t + var_c) / 2). When that is not a finite
 * number >= sqrt(DBL_EPSILON), MatchIt's fallback (its pooled_sd with
 * contributions proportional to group size), *fallback = true: the
 * within-group sum of squares over n - 1, for a binary term
 * sum_g n_g m_g (1 - m_g) / n.
 */
extern double si_balance_smd_denominator(int64_t n, const double *x, int stride,
										 const bool *treated, SiSmdDenominator which,
										 bool binary, bool *fallback);

/*
 * All statistics of one term for the weights w (NULL = unadjusted, all 1;
 * a weight of 0 leaves the unit out of the means and variances, but its
 * value still is a point at which the eCDFs are compared, as in MatchIt).
 * denominator from si_balance_smd_denominator. work: n points.
 */
extern void si_balance_term(int64_t n, const double *x, int stride,
							const bool *treated, const double *w, bool binary,
							double denominator, SiBalancePoint *work,
							SiBalanceStats *out);

/*
 * Sample sizes of a weighting: units with a positive weight per group and
 * Kish's effective sample size (sum w)^2 / sum w^2 (w NULL = all 1).
 */
extern void si_balance_sizes(int64_t n, const bool *treated, const double *w,
							 int64_t *n_treated, int64_t *n_control,
							 double *ess_treated, double *ess_control);

#endif
