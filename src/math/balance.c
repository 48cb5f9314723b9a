/*
 * balance.c — balance statistics of one term (see balance.h; definitions
 * in docs/methods.md, *Balance statistics*, following R MatchIt's
 * summary()). PostgreSQL-free: no postgres.h, no allocation, no errors.
 */
#include "balance.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

bool
si_balance_is_binary(int64_t n, const double *x, int stride)
{
	int64_t		i;

	for (i = 0; i < n; i++)
	{
		double		v = x[i * stride];

		if (v != 0.0 && v != 1.0)
			return false;
	}
	return true;
}

/* weighted mean of one group (NaN when its weights sum to 0) */
static double
group_mean(int64_t n, const double *x, int stride, const bool *treated,
		   bool group, const double *w)
{
	double		sw = 0.0,
				swx = 0.0;
	int64_t		i;

	for (i = 0; i < n; i++)
	{
		double		wi;

		if (treated[i] != group)
			continue;
		wi = w ? w[i] : 1.0;
		sw += wi;
		swx += wi * x[i * stride];
	}
	return sw > 0.0 ? swx / sw : NAN;
}

double
si_balance_wvar(int64_t n, const double *x, int stride, const bool *treated,
				bool group, const double *w, bool binary)
{
	double		sw = 0.0,
				m = 0.0,
				ss = 0.0,
				sw2 = 0.0;
	int64_t		i;

	for (i = 0; i < n; i++)
		if (treated[i] == group)
			sw += w ? w[i] : 1.0;
	if (!(sw > 0.0))
		return NAN;
	for (i = 0; i < n; i++)
		if (treated[i] == group)
			m += (w ? w[i] : 1.0) / sw * x[i * stride];
	if (binary)
		return m * (1.0 - m);
	for (i = 0; i < n; i++)
	{
		double		wi,
					dx;

		if (treated[i] != group)
			continue;
		wi = (w ? w[i] : 1.0) / sw;
		dx = x[i * stride] - m;
		ss += wi * dx * dx;
		sw2 += wi * wi;
	}
	return ss / (1.0 - sw2);
}

double
si_balance_smd_denominator(int64_t n, const double *x, int stride,
						   const bool *treated, SiSmdDenominator which,
						   bool binary, bool *fallback)
{
	double		vt = si_balance_wvar(n, x, stride, treated, true, NULL, binary);
	double		sd;

	*fallback = false;
	if (which == SI_SMD_TREATED)
		sd = sqrt(vt);
	else
		sd = sqrt((vt + si_balance_wvar(n, x, stride, treated, false, NULL, binary)) / 2.0);
	if (!isfinite(sd) || sd < sqrt(DBL_EPSILON))
	{
		/*
		 * MatchIt's pooled_sd with contributions proportional to group
		 * size: binary terms sum_g n_g m_g (1 - m_g) / n; others the
		 * within-group sum of squares over n - 1.
		 */
		double		mt = group_mean(n, x, stride, treated, true, NULL);
		double		mc = group_mean(n, x, stride, treated, false, NULL);
		double		v = 0.0;
		int64_t		i;

		for (i = 0; i < n; i++)
		{
			double		m = treated[i] ? mt : mc;

			if (binary)
				v += m * (1.0 - m);
			else
				v += (x[i * stride] - m) * (x[i * stride] - m);
		}
		v /= binary ? (double) n : (double) (n - 1);
		*fallback = true;
		sd = sqrt(v);
	}
	return sd;
}

static int
cmp_point(const void *a, const void *b)
{
	double		xa = ((const SiBalancePoint *) a)->x;
	double		xb = ((const SiBalancePoint *) b)->x;

	return xa < xb ? -1 : xa > xb ? 1 : 0;
}

void
si_balance_term(int64_t n, const double *x, int stride, const bool *treated,
				const double *w, bool binary, double denominator,
				SiBalancePoint *work, SiBalanceStats *out)
{
	double		diff,
				swt = 0.0,
				swc = 0.0;
	int64_t		i,
				pos_t = 0,
				pos_c = 0;
	bool		too_small;

	for (i = 0; i < n; i++)
	{
		double		wi = w ? w[i] : 1.0;

		if (treated[i])
		{
			swt += wi;
			pos_t += wi != 0.0;
		}
		else
		{
			swc += wi;
			pos_c += wi != 0.0;
		}
	}
	too_small = pos_t < 2 && pos_c < 2;

	out->mean_treated = group_mean(n, x, stride, treated, true, w);
	out->mean_control = group_mean(n, x, stride, treated, false, w);
	diff = out->mean_treated - out->mean_control;

	/* as MatchIt: a difference within sqrt(eps) of 0 stays unstandardised */
	if (fabs(diff) > sqrt(DBL_EPSILON))
		out->std_mean_diff = too_small ? NAN : diff / denominator;
	else
		out->std_mean_diff = diff;

	out->variance_ratio = NAN;
	out->ecdf_mean = NAN;
	out->ecdf_max = NAN;
	if (binary)
	{
		out->ecdf_mean = fabs(diff);
		out->ecdf_max = fabs(diff);
		return;
	}
	if (too_small)
		return;

	out->variance_ratio = si_balance_wvar(n, x, stride, treated, true, w, false) /
		si_balance_wvar(n, x, stride, treated, false, w, false);

	/*
	 * eCDFs with each group's weights summing to 1, compared at every
	 * distinct value of the term among all units (zero weights included).
	 */
	for (i = 0; i < n; i++)
	{
		double		wi = w ? w[i] : 1.0;

		work[i].x = x[i * stride];
		work[i].w = treated[i] ? wi / swt : -wi / swc;
	}
	qsort(work, n, sizeof(SiBalancePoint), cmp_point);
	{
		double		cum = 0.0,
					sum = 0.0,
					max = 0.0;
		int64_t		npoints = 0;

		for (i = 0; i < n; i++)
		{
			cum += work[i].w;
			if (i + 1 < n && work[i + 1].x == work[i].x)
				continue;
			sum += fabs(cum);
			if (fabs(cum) > max)
				max = fabs(cum);
			npoints++;
		}
		out->ecdf_mean = sum / (double) npoints;
		out->ecdf_max = max;
	}
}

void
si_balance_sizes(int64_t n, const bool *treated, const double *w,
				 int64_t *n_treated, int64_t *n_control,
				 double *ess_treated, double *ess_control)
{
	double		s[2] = {0.0, 0.0},
				s2[2] = {0.0, 0.0};
	int64_t		cnt[2] = {0, 0},
				i;

	for (i = 0; i < n; i++)
	{
		double		wi = w ? w[i] : 1.0;
		int			g = treated[i] ? 1 : 0;

		if (!(wi > 0.0))
			continue;
		cnt[g]++;
		s[g] += wi;
		s2[g] += wi * wi;
	}
	*n_treated = cnt[1];
	*n_control = cnt[0];
	*ess_treated = cnt[1] > 0 ? s[1] * s[1] / s2[1] : 0.0;
	*ess_control = cnt[0] > 0 ? s[0] * s[0] / s2[0] : 0.0;
}
