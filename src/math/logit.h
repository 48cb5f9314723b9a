/*
 * logit.h — a logistic regression as R's glm(family = binomial) reports
 * it: coefficients by the IRLS of linalg.c (no second IRLS here), their
 * covariance from the inverse Fisher information, Wald z and p-values,
 * and the diagnoses behind clear errors: aliased (collinear) columns,
 * separation (which coefficients diverge, how many fitted probabilities
 * go to 0 or 1) and non-convergence. No PostgreSQL dependency.
 * See docs/methods.md, *Comparison groups*.
 */
#ifndef SI_LOGIT_H
#define SI_LOGIT_H

#include <stddef.h>

typedef enum
{
	LOGIT_OK = 0,
	LOGIT_NOT_CONVERGED,		/* maxit steps without meeting the deviance criterion */
	LOGIT_ALIASED,				/* columns that are linear combinations of earlier ones */
	LOGIT_SEPARATED				/* the likelihood has no maximum: coefficients diverge */
} LogitStatus;

typedef struct LogitResult
{
	LogitStatus status;
	int			iterations;		/* IRLS steps of the fit */
	double		deviance;		/* residual deviance at beta */
	int			n_flagged;		/* columns flagged in flag[] */
	int			n_boundary;		/* separation: rows whose fitted probability goes to 0 or 1 */
} LogitResult;

/*
 * Fit y (0/1) on x (n x p, row-major, the intercept a column of x when
 * wanted) with prior weights w (NULL = 1; zero weights allowed), glm's
 * IRLS with at most maxit steps and deviance tolerance eps.
 *
 * Outputs (caller-allocated): beta (p), cov (p x p: the inverse Fisher
 * information X'WX of the last step, as R's vcov(); iterated to
 * convergence, the information at the estimate, as statsmodels), fitted (n probabilities, may be NULL),
 * flag (p ints: the aliased columns for LOGIT_ALIASED, the diverging ones
 * for LOGIT_SEPARATED, else zeros). work needs logit_work_size(n, p)
 * doubles. beta, cov and fitted are filled for LOGIT_OK and
 * LOGIT_NOT_CONVERGED only.
 */
extern LogitStatus logit_fit(const double *x, int n, int p, const double *y,
							 const double *w, int maxit, double eps,
							 double *beta, double *cov, double *fitted, int *flag,
							 double *work, LogitResult *res);

/* doubles of work logit_fit needs (0 when it overflows a size_t) */
extern size_t logit_work_size(int n, int p);

/* two-sided p-value of a Wald z (standard normal) */
extern double logit_p_value(double z);

#endif
