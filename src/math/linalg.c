/*
 * linalg.c — dense Cholesky (plain, and one that marks aliased columns),
 * SPD solve/inverse, small products and the project's one logistic IRLS,
 * compatible with R's glm.fit (see linalg.h). Its users: the DRDID
 * propensity scores (drdid.c, drdid_rc.c), propensity_model (logit.c) and
 * the monitoring logistic_fit aggregate. Plain C: no postgres.h, no
 * allocation (callers pass work space), no error reporting beyond return
 * codes.
 */
#include "linalg.h"

#include <float.h>
#include <math.h>
#include <string.h>

/*
 * The column-by-column Cholesky factorisation behind both entry points.
 * A pivot that is not clearly positive (relative to tol) marks column j
 * as a combination of the columns before it. Without aliased[], the
 * factorisation stops there and returns j; with it, the column is marked,
 * zeroed (so it drops out of every later column) and the count of marked
 * columns is returned.
 */
static int
cholesky_core(double *a, int n, double tol, int *aliased)
{
	int			i,
				j,
				k,
				count = 0;

	for (j = 0; j < n; j++)
	{
		double		orig = a[j * n + j];
		double		d = orig;

		if (aliased)
			aliased[j] = 0;
		for (k = 0; k < j; k++)
			d -= a[j * n + k] * a[j * n + k];
		if (!(d > tol * fabs(orig)) || !(orig > 0.0) || !isfinite(d))
		{
			if (!aliased)
				return j;
			aliased[j] = 1;
			count++;
			for (i = 0; i < n; i++)
				a[j * n + i] = a[i * n + j] = 0.0;
			continue;
		}
		d = sqrt(d);
		a[j * n + j] = d;
		for (i = j + 1; i < n; i++)
		{
			double		s = a[i * n + j];

			for (k = 0; k < j; k++)
				s -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = s / d;
		}
		for (i = 0; i < j; i++)
			a[i * n + j] = 0.0;
	}
	return aliased ? count : -1;
}

int
linalg_cholesky(double *a, int n, double tol)
{
	return cholesky_core(a, n, tol, NULL);
}

void
linalg_chol_solve(const double *l, int n, double *b)
{
	int			i,
				k;

	/* forward: L z = b */
	for (i = 0; i < n; i++)
	{
		double		s = b[i];

		for (k = 0; k < i; k++)
			s -= l[i * n + k] * b[k];
		b[i] = s / l[i * n + i];
	}
	/* backward: L' x = z */
	for (i = n - 1; i >= 0; i--)
	{
		double		s = b[i];

		for (k = i + 1; k < n; k++)
			s -= l[k * n + i] * b[k];
		b[i] = s / l[i * n + i];
	}
}

int
linalg_spd_solve(const double *a, int n, const double *b, double *x,
				 double *work, double tol)
{
	int			bad;

	memcpy(work, a, sizeof(double) * n * n);
	bad = linalg_cholesky(work, n, tol);
	if (bad >= 0)
		return bad;
	if (x != b)
		memcpy(x, b, sizeof(double) * n);
	linalg_chol_solve(work, n, x);
	return -1;
}

int
linalg_spd_inverse(const double *a, int n, double *inv, double *work, double tol)
{
	int			bad;

	memcpy(work, a, sizeof(double) * n * n);
	bad = linalg_cholesky(work, n, tol);
	if (bad >= 0)
		return bad;
	linalg_chol_inverse(work, n, inv);
	return -1;
}

void
linalg_chol_inverse(const double *l, int n, double *inv)
{
	int			i,
				j;

	for (j = 0; j < n; j++)
	{
		double	   *col = inv + j * n;	/* row j of inv = column j (symmetric) */

		for (i = 0; i < n; i++)
			col[i] = (i == j) ? 1.0 : 0.0;
		linalg_chol_solve(l, n, col);
	}
	/* make exactly symmetric */
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
		{
			double		m = 0.5 * (inv[i * n + j] + inv[j * n + i]);

			inv[i * n + j] = inv[j * n + i] = m;
		}
}

int
linalg_cholesky_aliased(double *a, int n, double tol, int *aliased)
{
	return cholesky_core(a, n, tol, aliased);
}

void
linalg_matmul(const double *a, const double *b, double *c, int m, int k, int n)
{
	int			i,
				j,
				l;

	for (i = 0; i < m; i++)
		for (j = 0; j < n; j++)
		{
			double		s = 0.0;

			for (l = 0; l < k; l++)
				s += a[i * k + l] * b[l * n + j];
			c[i * n + j] = s;
		}
}

void
linalg_matvec(const double *a, const double *x, double *y, int m, int n)
{
	int			i,
				j;

	for (i = 0; i < m; i++)
	{
		double		s = 0.0;

		for (j = 0; j < n; j++)
			s += a[i * n + j] * x[j];
		y[i] = s;
	}
}

/* the body of linalg_syr_lower, inlined into the IRLS loop */
static inline void
syr_lower(double *xtx, const double *x, double w, int p)
{
	int			i,
				j;

	for (i = 0; i < p; i++)
	{
		double		wi = w * x[i];

		for (j = 0; j <= i; j++)
			xtx[i * p + j] += wi * x[j];
	}
}

void
linalg_syr_lower(double *xtx, const double *x, double w, int p)
{
	syr_lower(xtx, x, w, p);
}

void
linalg_symmetrize(double *a, int n)
{
	int			i,
				j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			a[i * n + j] = a[j * n + i];
}

double
linalg_quadform(const double *a, const double *x, const double *y, int n)
{
	double		s = 0.0;
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		double		r = 0.0;

		for (j = 0; j < n; j++)
			r += a[i * n + j] * y[j];
		s += x[i] * r;
	}
	return s;
}

double
linalg_dot(const double *a, const double *b, int n)
{
	double		s = 0.0;
	int			j;

	for (j = 0; j < n; j++)
		s += a[j] * b[j];
	return s;
}

/* R's binomial()$linkinv / mu.eta (src/library/stats/src/family.c) */
#define LOGIT_THRESH 30.0
#define LOGIT_MTHRESH -30.0

/* linkinv; *e = exp(eta) where it was computed (|eta| <= 30), else unchanged */
static inline double
logit_linkinv_exp(double eta, double *e)
{
	double		t;

	if (eta < LOGIT_MTHRESH)
		t = DBL_EPSILON;
	else if (eta > LOGIT_THRESH)
		t = 1.0 / DBL_EPSILON;
	else
		t = *e = exp(eta);
	return t / (1.0 + t);
}

double
linalg_logit_linkinv(double eta)
{
	double		e;

	return logit_linkinv_exp(eta, &e);
}

/*
 * mu.eta from e = exp(eta) (R's C code computes exp(eta) twice; here it
 * is the one linkinv computed for the same eta)
 */
static inline double
logit_mu_eta_exp(double eta, double e)
{
	double		opexp;

	if (eta > LOGIT_THRESH || eta < LOGIT_MTHRESH)
		return DBL_EPSILON;
	opexp = 1.0 + e;
	return e / (opexp * opexp);
}

static double
ylogy(double y, double mu)
{
	return (y != 0.0) ? y * log(y / mu) : 0.0;
}

static double
binomial_deviance(const double *y, const double *mu, const double *w, int n)
{
	double		dev = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		double		wi = w ? w[i] : 1.0;

		dev += 2.0 * wi * (ylogy(y[i], mu[i]) + ylogy(1.0 - y[i], 1.0 - mu[i]));
	}
	return dev;
}

int
linalg_logit_irls(const double *x, int n, int p, const double *y,
				  const double *w, double *beta, double *fitted,
				  double *work, int maxit, double eps, int *iterations)
{
	double	   *xtx = work;
	double	   *xtz = xtx + p * p;
	double	   *prev = xtz + p;
	double	   *eta = prev + p;
	double	   *mu = eta + n;
	double		devold,
				dev;
	int			i,
				j,
				iter;

	/*
	 * exp(eta) of each row, computed once per step by linkinv and used
	 * again by mu.eta: kept in the caller's fitted (n) until it receives
	 * the fitted values, else recomputed
	 */
	double	   *ex = fitted;
	double		e1;

	*iterations = 0;
	/* binomial()$initialize: mustart = (w y + 0.5) / (w + 1) */
	for (i = 0; i < n; i++)
	{
		double		wi = w ? w[i] : 1.0;
		double		m = (wi * y[i] + 0.5) / (wi + 1.0);

		eta[i] = log(m / (1.0 - m));
		mu[i] = logit_linkinv_exp(eta[i], ex ? &ex[i] : &e1);
	}
	devold = binomial_deviance(y, mu, w, n);

	for (iter = 1; iter <= maxit; iter++)
	{
		int			bad;

		memset(xtx, 0, sizeof(double) * p * p);
		memset(xtz, 0, sizeof(double) * p);
		for (i = 0; i < n; i++)
		{
			double		wi = w ? w[i] : 1.0;
			double		me = logit_mu_eta_exp(eta[i], ex ? ex[i] : exp(eta[i]));
			double		var = mu[i] * (1.0 - mu[i]);
			double		z,
						ww;

			if (!(wi > 0.0) || me == 0.0)
				continue;
			z = eta[i] + (y[i] - mu[i]) / me;
			ww = wi * me * me / var;	/* squared working weight */
			syr_lower(xtx, x + (size_t) i * p, ww, p);
			for (j = 0; j < p; j++)
				xtz[j] += ww * z * x[(size_t) i * p + j];
		}
		bad = linalg_cholesky(xtx, p, LINALG_TOL);
		if (bad >= 0)
			return -(bad + 2);
		if (iter == 1)
			memset(prev, 0, sizeof(double) * p);
		else
			memcpy(prev, beta, sizeof(double) * p);
		memcpy(beta, xtz, sizeof(double) * p);
		linalg_chol_solve(xtx, p, beta);

		for (i = 0; i < n; i++)
		{
			double		s = 0.0;

			for (j = 0; j < p; j++)
				s += x[(size_t) i * p + j] * beta[j];
			eta[i] = s;
			mu[i] = logit_linkinv_exp(s, ex ? &ex[i] : &e1);
		}
		dev = binomial_deviance(y, mu, w, n);
		*iterations = iter;
		if (fabs(dev - devold) / (fabs(dev) + 0.1) < eps)
		{
			if (fitted)
				memcpy(fitted, mu, sizeof(double) * n);
			return 0;
		}
		devold = dev;
	}
	if (fitted)
		memcpy(fitted, mu, sizeof(double) * n);
	return 1;
}
