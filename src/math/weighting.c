/*
 * weighting.c — inverse-probability weights and entropy balancing (see
 * weighting.h; formulas in docs/methods.md, *Inverse-probability weights*
 * and *Entropy balancing*). PostgreSQL-free: no postgres.h, no allocation
 * (callers pass work space), no error reporting beyond status codes.
 */
#include "weighting.h"
#include "linalg.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <string.h>

/* Armijo constant and the most step halvings of the line search */
#define EBAL_ARMIJO 1e-4
#define EBAL_HALVINGS 60

int
si_estimand_parse(const char *text)
{
	char		buf[4];
	int			i;

	if (text == NULL || strlen(text) != 3)
		return -1;
	for (i = 0; i < 3; i++)
		buf[i] = (char) tolower((unsigned char) text[i]);
	buf[3] = '\0';
	if (strcmp(buf, "att") == 0)
		return SI_ESTIMAND_ATT;
	if (strcmp(buf, "ate") == 0)
		return SI_ESTIMAND_ATE;
	return -1;
}

void
si_ipw_weights(int64_t n, const double *score, const bool *treated,
			   SiEstimand estimand, bool stabilize, double trim_at,
			   double *weight, bool *keep,
			   int64_t *n_treated, int64_t *n_control)
{
	int64_t		i,
				nt = 0,
				nc = 0;

	for (i = 0; i < n; i++)
	{
		double		p = score[i];

		keep[i] = !(trim_at >= 0.0 && (p < trim_at || p > 1.0 - trim_at));
		if (!keep[i])
		{
			weight[i] = 0.0;
			continue;
		}
		if (treated[i])
		{
			nt++;
			weight[i] = estimand == SI_ESTIMAND_ATT ? 1.0 : 1.0 / p;
		}
		else
		{
			nc++;
			weight[i] = estimand == SI_ESTIMAND_ATT ? p / (1.0 - p) : 1.0 / (1.0 - p);
		}
	}
	if (stabilize && nt + nc > 0)
	{
		double		share_t = (double) nt / (double) (nt + nc);
		double		share_c = (double) nc / (double) (nt + nc);

		for (i = 0; i < n; i++)
			if (keep[i])
				weight[i] *= treated[i] ? share_t : share_c;
	}
	*n_treated = nt;
	*n_control = nc;
}

int
si_ebal_constraints(int64_t n, int p, const double *x, int moments,
					double *c, int *source, bool *squared)
{
	int			k = 0,
				j;
	int64_t		i;

	for (j = 0; j < p; j++)
	{
		source[k] = j;
		squared[k] = false;
		k++;
	}
	if (moments >= 2)
	{
		for (j = 0; j < p; j++)
		{
			double		v1 = 0.0,
						v2 = 0.0;
			int			nvalues = 0;

			for (i = 0; i < n && nvalues <= 2; i++)
			{
				double		v = x[i * p + j];

				if (nvalues >= 1 && v == v1)
					continue;
				if (nvalues >= 2 && v == v2)
					continue;
				if (nvalues == 0)
					v1 = v;
				else if (nvalues == 1)
					v2 = v;
				nvalues++;
			}
			if (nvalues > 2)
			{
				source[k] = j;
				squared[k] = true;
				k++;
			}
		}
	}
	if (c != NULL)
	{
		for (i = 0; i < n; i++)
			for (j = 0; j < k; j++)
			{
				double		v = x[i * p + source[j]];

				c[i * k + j] = squared[j] ? v * v : v;
			}
	}
	return k;
}

int64_t
si_ebal_work_size(int64_t n_control, int k)
{
	/* d (n x k), qn (n), lam, lam_try, g, g_try, delta, scale, active (7k), h, factor (2k^2) */
	return n_control * (int64_t) k + n_control + 7 * (int64_t) k + 2 * (int64_t) k * k;
}

/*
 * The dual objective at lam: log sum_i qn_i exp(lam'd_i), with qn the base
 * weights normalised to sum 1 (the largest exponent factored out). w
 * receives the normalised weights, g (ka) the w-weighted mean of d.
 */
static double
ebal_objective(int64_t n, int ka, const double *d, const double *qn,
			   const double *lam, double *w, double *g)
{
	double		shift = -DBL_MAX,
				sum = 0.0;
	int64_t		i;
	int			j;

	for (i = 0; i < n; i++)
	{
		w[i] = linalg_dot(lam, d + i * ka, ka);
		if (w[i] > shift)
			shift = w[i];
	}
	for (i = 0; i < n; i++)
	{
		w[i] = qn[i] * exp(w[i] - shift);
		sum += w[i];
	}
	for (j = 0; j < ka; j++)
		g[j] = 0.0;
	for (i = 0; i < n; i++)
	{
		w[i] /= sum;
		for (j = 0; j < ka; j++)
			g[j] += w[i] * d[i * ka + j];
	}
	return log(sum) + shift;
}

static double
max_abs(const double *v, int k)
{
	double		m = 0.0;
	int			j;

	for (j = 0; j < k; j++)
	{
		if (isnan(v[j]))
			return INFINITY;
		if (fabs(v[j]) > m)
			m = fabs(v[j]);
	}
	return m;
}

/*
 * Newton direction for the Hessian h (ka x ka) and gradient g: solves
 * h delta = -g by Cholesky, adding a growing ridge when h is numerically
 * singular (weights concentrating on a face of the hull), and falls back
 * to steepest descent. Returns the directional derivative g'delta.
 */
static double
ebal_direction(int ka, const double *h, const double *g, double *factor,
			   double *delta)
{
	int			bad,
				l,
				r;
	double		slope;

	memcpy(factor, h, sizeof(double) * ka * ka);
	bad = linalg_cholesky(factor, ka, LINALG_TOL);
	for (r = 0; bad >= 0 && r < 30; r++)
	{
		double		ridge = 1e-12 * pow(10.0, r);

		memcpy(factor, h, sizeof(double) * ka * ka);
		for (l = 0; l < ka; l++)
			factor[l * ka + l] += ridge;
		bad = linalg_cholesky(factor, ka, 0.0);
	}
	for (l = 0; l < ka; l++)
		delta[l] = -g[l];
	if (bad < 0)
		linalg_chol_solve(factor, ka, delta);
	slope = linalg_dot(g, delta, ka);
	if (!(slope < 0.0))
	{
		for (l = 0; l < ka; l++)
			delta[l] = -g[l];
		slope = linalg_dot(g, delta, ka);
	}
	return slope;
}

void
si_ebal_solve(int64_t n, int k, const double *c, const double *target,
			  const double *q, int max_iterations, double tol,
			  double *w, double *work, void (*tick) (void), SiEbalInfo *info)
{
	double	   *d = work;
	double	   *qn = d + n * (int64_t) k;
	double	   *lam = qn + n;
	double	   *lam_try = lam + k;
	double	   *g = lam_try + k;
	double	   *g_try = g + k;
	double	   *delta = g_try + k;
	double	   *scale = delta + k;
	double	   *active = scale + k;
	double	   *h = active + k;
	double	   *factor = h + k * k;
	double		qsum = 0.0,
				qmin = DBL_MAX,
				floor_l,
				obj;
	int64_t		i;
	int			j,
				l,
				ka = 0,
				iter = 0;

	info->status = SI_EBAL_OK;
	info->iterations = 0;
	info->constraint = -1;
	info->max_imbalance = 0.0;

	for (i = 0; i < n; i++)
	{
		qn[i] = q ? q[i] : 1.0;
		qsum += qn[i];
	}
	for (i = 0; i < n; i++)
	{
		qn[i] /= qsum;
		if (qn[i] < qmin)
			qmin = qn[i];
	}

	/*
	 * Scale of each constraint: its SD among the controls. A constraint
	 * constant among the controls is met by every weighting if it equals
	 * the target (it is left out) and by none otherwise.
	 */
	for (j = 0; j < k; j++)
	{
		double		mean = 0.0,
					ss = 0.0;

		for (i = 0; i < n; i++)
			mean += c[i * k + j];
		mean /= (double) n;
		for (i = 0; i < n; i++)
			ss += (c[i * k + j] - mean) * (c[i * k + j] - mean);
		scale[j] = sqrt(ss / (double) n);
		if (!(scale[j] > 1e-14 * fmax(1.0, fabs(mean))))
		{
			if (fabs(target[j] - c[j]) > 1e-12 * fmax(1.0, fabs(c[j])))
			{
				info->status = SI_EBAL_NO_VARIATION;
				info->constraint = j;
				info->max_imbalance = INFINITY;
				return;
			}
			continue;
		}
		active[ka++] = (double) j;
	}
	for (i = 0; i < n; i++)
		for (l = 0; l < ka; l++)
		{
			j = (int) active[l];
			d[i * ka + l] = (c[i * k + j] - target[j]) / scale[j];
		}

	/*
	 * The dual minimum is minus the smallest KL divergence from qn, which
	 * is at most -log(min qn): an objective below log(min qn) proves the
	 * target unreachable (outside the controls' convex hull).
	 */
	floor_l = log(qmin);

	for (l = 0; l < ka; l++)
		lam[l] = 0.0;
	obj = ebal_objective(n, ka, d, qn, lam, w, g);

	for (;;)
	{
		double		slope,
					t;
		int			halving;

		/* Hessian: covariance of d under the current weights */
		memset(h, 0, sizeof(double) * ka * ka);
		for (i = 0; i < n; i++)
			linalg_syr_lower(h, d + i * ka, w[i], ka);
		linalg_symmetrize(h, ka);
		for (l = 0; l < ka; l++)
			for (j = 0; j < ka; j++)
				h[l * ka + j] -= g[l] * g[j];

		/*
		 * At the base weights (all positive) a singular Hessian means
		 * constraints collinear among the controls: an error even when
		 * they happen to be balanced already.
		 */
		if (iter == 0)
		{
			int			bad;

			memcpy(factor, h, sizeof(double) * ka * ka);
			bad = linalg_cholesky(factor, ka, LINALG_TOL);
			if (bad >= 0)
			{
				info->status = SI_EBAL_COLLINEAR;
				info->constraint = (int) active[bad];
				return;
			}
		}

		info->max_imbalance = max_abs(g, ka);
		if (info->max_imbalance <= tol)
			break;
		if (iter >= max_iterations)
		{
			info->status = SI_EBAL_NOT_CONVERGED;
			break;
		}
		if (tick)
			tick();

		slope = ebal_direction(ka, h, g, factor, delta);

		/* backtracking line search on the dual objective (Armijo) */
		t = 1.0;
		for (halving = 0; halving < EBAL_HALVINGS; halving++)
		{
			double		obj_try;

			for (l = 0; l < ka; l++)
				lam_try[l] = lam[l] + t * delta[l];
			obj_try = ebal_objective(n, ka, d, qn, lam_try, w, g_try);
			if (isfinite(obj_try) && obj_try <= obj + EBAL_ARMIJO * t * slope)
			{
				obj = obj_try;
				break;
			}
			t *= 0.5;
		}
		iter++;
		info->iterations = iter;
		if (halving == EBAL_HALVINGS)
		{
			/* no further decrease in double precision: report where we are */
			obj = ebal_objective(n, ka, d, qn, lam, w, g);
			info->max_imbalance = max_abs(g, ka);
			if (info->max_imbalance > tol)
				info->status = obj < floor_l ? SI_EBAL_INFEASIBLE : SI_EBAL_NOT_CONVERGED;
			break;
		}
		memcpy(lam, lam_try, sizeof(double) * ka);
		memcpy(g, g_try, sizeof(double) * ka);
		if (obj < floor_l - 1e-9)
		{
			info->max_imbalance = max_abs(g, ka);
			info->status = SI_EBAL_INFEASIBLE;
			return;
		}
	}
}

int64_t
si_entropy_balance_work_size(int64_t n, int p)
{
	int64_t		k = 2 * (int64_t) p;

	return n * k + k + 2 * n + si_ebal_work_size(n, (int) k);
}

void
si_entropy_balance_att(int64_t n, int p, const double *x, const bool *treated,
					   const double *base, int moments, int max_iterations,
					   double tol, double *weight, double *work,
					   int *source, bool *squared, int *k, void (*tick) (void),
					   SiEbalInfo *info)
{
	double	   *c = work;
	double	   *target = c + n * 2 * (int64_t) p;
	double	   *qc = target + 2 * p;
	double	   *wc = qc + n;
	double	   *solve_work = wc + n;
	double		treated_total = 0.0;
	int64_t		i,
				nc = 0;
	int			j,
				kk;

	kk = si_ebal_constraints(n, p, x, moments, c, source, squared);
	*k = kk;

	/* target: base-weighted treated means of the constraints */
	for (j = 0; j < kk; j++)
		target[j] = 0.0;
	for (i = 0; i < n; i++)
	{
		double		b = base ? base[i] : 1.0;

		if (!treated[i])
			continue;
		treated_total += b;
		for (j = 0; j < kk; j++)
			target[j] += b * c[i * kk + j];
	}
	for (j = 0; j < kk; j++)
		target[j] /= treated_total;

	/* controls' rows moved to the front, in order */
	for (i = 0; i < n; i++)
	{
		if (treated[i])
			continue;
		if (nc != i)
			memmove(c + nc * kk, c + i * kk, sizeof(double) * kk);
		qc[nc] = base ? base[i] : 1.0;
		nc++;
	}

	si_ebal_solve(nc, kk, c, target, qc, max_iterations, tol, wc, solve_work, tick, info);

	nc = 0;
	for (i = 0; i < n; i++)
	{
		if (treated[i])
			weight[i] = base ? base[i] : 1.0;
		else
			weight[i] = info->status == SI_EBAL_OK ? wc[nc++] * treated_total : 0.0;
	}
}
