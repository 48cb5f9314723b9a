/*
 * logit.c — logistic regression results and diagnoses over the IRLS of
 * linalg.c (see logit.h). No PostgreSQL dependency; no second IRLS.
 * See docs/methods.md, *Comparison groups* (propensity score model).
 */
#include "logit.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "distributions.h"
#include "linalg.h"

/* extra IRLS steps that tell a diverging fit from a slow one */
#define LOGIT_EXTRA_STEPS 25
/* a last step moving some linear predictor by more than this is suspect */
#define LOGIT_SUSPECT_STEP 1e-2
/* after the extra steps a converging fit moves by less than this */
#define LOGIT_DIVERGING_STEP 1e-3
/* a fitted probability this close to 0 or 1 has reached the boundary */
#define LOGIT_BOUNDARY 1e-8
/* diverging coefficients: scaled step at least this share of the largest */
#define LOGIT_DIVERGING_SHARE 1e-2

size_t
logit_work_size(int n, int p)
{
	size_t		sn = (size_t) n,
				sp = (size_t) p,
				irls;

	if (n < 0 || p < 1 || sp > SIZE_MAX / 8 / sp || sn > SIZE_MAX / 16)
		return 0;
	irls = sp * sp + 2 * sp + 2 * sn;
	if (irls > SIZE_MAX / 4)
		return 0;
	/* two IRLS work areas, X'WX of the alias check, the extra fit, scales */
	return 2 * irls + sp * sp + 2 * sp;
}

double
logit_p_value(double z)
{
	return 2.0 * si_norm_cdf(-fabs(z));
}

/* largest |x_i (a - b)| over the rows with a positive weight */
static double
max_step(const double *x, int n, int p, const double *w, const double *a, const double *b)
{
	double		m = 0.0;
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		double		s = 0.0;

		if (w && !(w[i] > 0.0))
			continue;
		for (j = 0; j < p; j++)
			s += x[(size_t) i * p + j] * (a[j] - b[j]);
		if (fabs(s) > m)
			m = fabs(s);
	}
	return m;
}

static double
deviance(const double *x, int n, int p, const double *y, const double *w, const double *beta)
{
	double		dev = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		double		mu = linalg_logit_linkinv(linalg_dot(x + (size_t) i * p, beta, p));
		double		wi = w ? w[i] : 1.0;

		if (y[i] != 0.0)
			dev += 2.0 * wi * y[i] * log(y[i] / mu);
		if (y[i] != 1.0)
			dev += 2.0 * wi * (1.0 - y[i]) * log((1.0 - y[i]) / (1.0 - mu));
	}
	return dev;
}

/*
 * Separation: the likelihood keeps rising along a direction, so IRLS
 * steps stop shrinking (each moves the separated rows' log-odds by about
 * one). Flag the coefficients whose step, scaled by the root mean square
 * of their column, is a sizeable share of the largest; count the rows
 * whose fitted probability has reached 0 or 1.
 */
static void
diagnose_separation(const double *x, int n, int p, const double *w,
					const double *beta, const double *prev, double *scale,
					int *flag, LogitResult *res)
{
	double		dmax = 0.0;
	int			i,
				j;

	for (j = 0; j < p; j++)
	{
		double		ss = 0.0;

		for (i = 0; i < n; i++)
			ss += x[(size_t) i * p + j] * x[(size_t) i * p + j];
		scale[j] = fabs(beta[j] - prev[j]) * sqrt(ss / (n > 0 ? n : 1));
		if (scale[j] > dmax)
			dmax = scale[j];
	}
	res->n_flagged = 0;
	for (j = 0; j < p; j++)
	{
		flag[j] = scale[j] >= LOGIT_DIVERGING_SHARE * dmax && dmax > 0.0;
		res->n_flagged += flag[j];
	}
	res->n_boundary = 0;
	for (i = 0; i < n; i++)
	{
		double		mu;

		if (w && !(w[i] > 0.0))
			continue;
		mu = linalg_logit_linkinv(linalg_dot(x + (size_t) i * p, beta, p));
		if (mu < LOGIT_BOUNDARY || mu > 1.0 - LOGIT_BOUNDARY)
			res->n_boundary++;
	}
}

LogitStatus
logit_fit(const double *x, int n, int p, const double *y, const double *w,
		  int maxit, double eps, double *beta, double *cov, double *fitted,
		  int *flag, double *work, LogitResult *res)
{
	size_t		sp = (size_t) p,
				irls = sp * sp + 2 * sp + 2 * (size_t) n;
	double	   *w1 = work;
	double	   *w2 = w1 + irls;
	double	   *xtx = w2 + irls;
	double	   *beta2 = xtx + sp * sp;
	double	   *scale = beta2 + sp;
	const double *prev1 = w1 + sp * sp + sp;
	const double *prev2 = w2 + sp * sp + sp;
	int			ret,
				ret2,
				iter2,
				i;
	double		step;

	memset(res, 0, sizeof(*res));
	memset(flag, 0, sizeof(int) * sp);

	/* aliased columns: X'WX with the prior weights, every one named */
	memset(xtx, 0, sizeof(double) * sp * sp);
	for (i = 0; i < n; i++)
	{
		double		wi = w ? w[i] : 1.0;

		if (wi > 0.0)
			linalg_syr_lower(xtx, x + (size_t) i * p, wi, p);
	}
	linalg_symmetrize(xtx, p);
	res->n_flagged = linalg_cholesky_aliased(xtx, p, LINALG_TOL, flag);
	if (res->n_flagged > 0)
		return res->status = LOGIT_ALIASED;

	ret = linalg_logit_irls(x, n, p, y, w, beta, fitted, w1, maxit, eps, &res->iterations);

	/*
	 * A fit that stopped, converged or not, with a large last step or that
	 * lost rank on the way: take more steps without a stopping rule and
	 * see whether they shrink.
	 */
	step = ret >= 0 ? max_step(x, n, p, w, beta, prev1) : INFINITY;
	if (ret != 0 || step > LOGIT_SUSPECT_STEP)
	{
		ret2 = linalg_logit_irls(x, n, p, y, w, beta2, NULL, w2,
								 (maxit > res->iterations ? maxit : res->iterations) + LOGIT_EXTRA_STEPS,
								 -1.0, &iter2);
		if (ret2 < -1 || max_step(x, n, p, w, beta2, prev2) > LOGIT_DIVERGING_STEP)
		{
			diagnose_separation(x, n, p, w, beta2, prev2, scale, flag, res);
			return res->status = LOGIT_SEPARATED;
		}
		if (ret < -1)
		{
			/* rank lost in the weights without divergence: name that column */
			flag[-ret - 2] = 1;
			res->n_flagged = 1;
			return res->status = LOGIT_ALIASED;
		}
	}
	/*
	 * The covariance as R's vcov() of a glm: the inverse of the X'WX of the
	 * last step, whose weights come from the coefficients one step before
	 * (docs/methods.md: at glm's tolerance 1e-8 about 1e-5 relative from
	 * the information at the estimate, which a fit iterated to convergence
	 * reaches).
	 */
	linalg_chol_inverse(w1, p, cov);
	res->deviance = deviance(x, n, p, y, w, beta);
	return res->status = (ret == 0 ? LOGIT_OK : LOGIT_NOT_CONVERGED);
}
