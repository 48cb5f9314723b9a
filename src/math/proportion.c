/*
 * proportion.c — Wilson score interval and the mean's t interval
 * (proportion.h; docs/methods.md).
 *
 * No postgres.h here; argument errors are the glue's (monitor_state.c).
 */
#include <math.h>

#include "distributions.h"
#include "proportion.h"

int
si_wilson_interval(int64_t successes, int64_t n, double conf_level,
				   double *estimate, double *low, double *high)
{
	double		z,
				z2,
				p,
				nd,
				denom,
				centre,
				half;

	if (n < 0 || successes < 0 || successes > n ||
		!(conf_level > 0.0 && conf_level < 1.0))
		return -1;
	if (n == 0)
	{
		*estimate = *low = *high = NAN;
		return 0;
	}
	z = si_norm_quantile(1.0 - (1.0 - conf_level) / 2.0);
	z2 = z * z;
	nd = (double) n;
	p = (double) successes / nd;
	/*
	 * The roots in pi of (p - pi)^2 = z^2 pi (1 - pi) / n (Wilson 1927):
	 * centre (p + z^2/2n) / (1 + z^2/n), half-width
	 * z / (1 + z^2/n) * sqrt(p (1 - p) / n + z^2 / 4n^2).
	 */
	denom = 1.0 + z2 / nd;
	centre = (p + z2 / (2.0 * nd)) / denom;
	half = z / denom * sqrt(p * (1.0 - p) / nd + z2 / (4.0 * nd * nd));
	*estimate = p;
	/* at 0 and n the bound is exactly 0 or 1; rounding must not move it */
	*low = successes == 0 ? 0.0 : fmax(0.0, centre - half);
	*high = successes == n ? 1.0 : fmin(1.0, centre + half);
	return 0;
}

double
si_proportion_std_error(int64_t successes, int64_t n)
{
	double		p;

	if (n <= 0)
		return NAN;
	p = (double) successes / (double) n;
	return sqrt(p * (1.0 - p) / (double) n);
}

void
si_meanvar_add(SiMeanVar *a, double x)
{
	double		delta = x - a->mean;

	a->n++;
	a->mean += delta / (double) a->n;
	a->m2 += delta * (x - a->mean);
	if (a->m2 < 0.0)
		a->m2 = 0.0;
}

void
si_meanvar_merge(SiMeanVar *a, const SiMeanVar *b)
{
	double		n,
				d;

	if (b->n == 0)
		return;
	if (a->n == 0)
	{
		*a = *b;
		return;
	}
	n = (double) a->n + (double) b->n;
	d = b->mean - a->mean;
	a->m2 = a->m2 + b->m2 + d * d * (double) a->n * (double) b->n / n;
	a->mean += d * (double) b->n / n;
	a->n += b->n;
}

int
si_mean_interval(const SiMeanVar *a, double conf_level,
				 double *std_error, double *low, double *high)
{
	double		t;

	if (!(conf_level > 0.0 && conf_level < 1.0))
		return -1;
	if (a->n < 2)
	{
		*std_error = *low = *high = NAN;
		return 0;
	}
	*std_error = sqrt(a->m2 / (double) (a->n - 1) / (double) a->n);
	t = si_t_quantile(1.0 - (1.0 - conf_level) / 2.0, (double) (a->n - 1));
	*low = a->mean - t * *std_error;
	*high = a->mean + t * *std_error;
	return 0;
}
