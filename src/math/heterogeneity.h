/*
 * heterogeneity.h — PostgreSQL-free meta-analysis of k independent
 * estimates with known standard errors: inverse-variance pooling,
 * Cochran's Q test of homogeneity, I² and the DerSimonian–Laird
 * between-estimate variance tau² (docs/methods.md, section
 * "Effects per municipality").
 *
 * No postgres.h here.
 */
#ifndef SI_HETEROGENEITY_H
#define SI_HETEROGENEITY_H

typedef struct si_heterogeneity
{
	int			k;				/* estimates used */
	int			df;				/* k - 1 */
	double		q;				/* Cochran's Q */
	double		p_value;		/* P(chi2_df > Q) */
	double		i_squared;		/* max(0, (Q - df) / Q), 0 when Q = 0 */
	double		tau_squared;	/* DerSimonian-Laird, truncated at 0 */
	double		fixed_estimate; /* inverse-variance weighted mean */
	double		fixed_std_error;	/* 1 / sqrt(sum w) */
	double		random_estimate;	/* weights 1 / (se^2 + tau^2) */
	double		random_std_error;
} si_heterogeneity;

/*
 * Fills *r from estimates y[0..k-1] with standard errors se[0..k-1].
 * Returns 0 on success, -1 when an input is not finite, a standard error
 * is not > 0, or the weights overflow; -2 when k < 2 (then only the fixed
 * and random estimates of k = 1 are set, the test statistics are NaN).
 */
extern int	si_heterogeneity_compute(const double *y, const double *se, int k,
									 si_heterogeneity *r);

#endif
