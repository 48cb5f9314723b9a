/*
 * funnel.c — Spiegelhalter's (2005) exact binomial funnel limits with
 * interpolation. See funnel.h.
 *
 * Binomial probabilities are summed term by term from the distribution's
 * mode outwards (recurrence f(k+1) = f(k) (n-k)/(k+1) theta/(1-theta)),
 * always over the smaller tail, so a CDF near 1 is 1 minus a small sum
 * and nothing cancels. A tail sum stops when its terms no longer change
 * the sum in double precision; the number of terms grows as the standard
 * deviation sqrt(n theta (1 - theta)), hence FUNNEL_MAX_N.
 *
 * No postgres.h here; argument errors are the glue's (monitor_funnel.c).
 * docs/methods.md, *Arrival cohorts and benchmarking municipalities*.
 */
#include "funnel.h"
#include "distributions.h"

#include <float.h>
#include <math.h>

double
funnel_binom_logpmf(int64_t k, int64_t n, double theta)
{
	double		dk = (double) k,
				dn = (double) n;

	return lgamma(dn + 1.0) - lgamma(dk + 1.0) - lgamma(dn - dk + 1.0) +
		dk * log(theta) + (dn - dk) * log1p(-theta);
}

/* mode of Binomial(n, theta): floor((n + 1) theta), at most n */
static int64_t
binom_mode(int64_t n, double theta)
{
	double		m = floor(((double) n + 1.0) * theta);

	if (m < 0.0)
		return 0;
	if (m > (double) n)
		return n;
	return (int64_t) m;
}

/* sum of f(j) for j = from, from - 1, ..., 0 (downwards), f(from) given */
static double
sum_down(int64_t from, int64_t n, double theta, double f)
{
	double		ratio = (1.0 - theta) / theta;
	double		s = 0.0;
	int64_t		j;

	for (j = from; j >= 0; j--)
	{
		s += f;
		if (f <= s * DBL_EPSILON * 0.125 || j == 0)
			break;
		f *= (double) j / (double) (n - j + 1) * ratio;
	}
	return s;
}

/* sum of f(j) for j = from, from + 1, ..., n (upwards), f(from) given */
static double
sum_up(int64_t from, int64_t n, double theta, double f)
{
	double		ratio = theta / (1.0 - theta);
	double		s = 0.0;
	int64_t		j;

	for (j = from; j <= n; j++)
	{
		s += f;
		if (f <= s * DBL_EPSILON * 0.125 || j == n)
			break;
		f *= (double) (n - j) / (double) (j + 1) * ratio;
	}
	return s;
}

double
funnel_binom_cdf(int64_t k, int64_t n, double theta)
{
	if (k < 0)
		return 0.0;
	if (k >= n)
		return 1.0;
	if (k < binom_mode(n, theta))
		return sum_down(k, n, theta, exp(funnel_binom_logpmf(k, n, theta)));
	/* at or above the mode: 1 - P(R > k), the upper tail being the small one */
	return 1.0 - sum_up(k + 1, n, theta, exp(funnel_binom_logpmf(k + 1, n, theta)));
}

int64_t
funnel_binom_quantile(double p, int64_t n, double theta)
{
	double		sd = sqrt((double) n * theta * (1.0 - theta));
	double		guess = (double) n * theta + si_norm_quantile(p) * sd;
	int64_t		lo,
				hi,
				r,
				step;

	/*
	 * Bracket the answer, lo < answer <= hi with F(lo) < p <= F(hi) (F(-1)
	 * = 0, F(n) = 1), galloping out from the normal approximation, which
	 * is a few steps off at most; then bisect.
	 */
	if (!(guess > 0.0))
		r = 0;
	else if (guess >= (double) n)
		r = n;
	else
		r = (int64_t) floor(guess);
	if (funnel_binom_cdf(r, n, theta) >= p)
	{
		hi = r;
		lo = r - 1;
		for (step = 1; lo >= 0 && funnel_binom_cdf(lo, n, theta) >= p; step *= 2)
		{
			hi = lo;
			lo = (r - 2 * step < 0) ? -1 : r - 2 * step;
		}
		if (lo < -1)
			lo = -1;
	}
	else
	{
		lo = r;
		hi = r + 1;
		for (step = 1; hi < n && funnel_binom_cdf(hi, n, theta) < p; step *= 2)
		{
			lo = hi;
			hi = (r + 2 * step > n) ? n : r + 2 * step;
		}
		if (hi > n)
			hi = n;
	}
	while (hi - lo > 1)
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if (funnel_binom_cdf(mid, n, theta) >= p)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

double
funnel_limit(double p, int64_t n, double theta)
{
	int64_t		r = funnel_binom_quantile(p, n, theta);
	double		fr = funnel_binom_cdf(r, n, theta);
	double		f = exp(funnel_binom_logpmf(r, n, theta));
	double		alpha = (fr - p) / f;
	double		limit;

	/* alpha lies in [0, 1) by the choice of r; guard against rounding */
	if (alpha < 0.0)
		alpha = 0.0;
	if (alpha > 1.0)
		alpha = 1.0;
	limit = ((double) r - alpha) / (double) n;
	if (limit < 0.0)
		limit = 0.0;
	if (limit > 1.0)
		limit = 1.0;
	return limit;
}

int
funnel_limits(double theta, int64_t n, double conf_level, double *low, double *high)
{
	double		tail;

	if (n < 1 || n > FUNNEL_MAX_N || !(theta > 0.0 && theta < 1.0) ||
		!(conf_level > 0.0 && conf_level < 1.0))
		return -1;
	tail = (1.0 - conf_level) / 2.0;
	*low = funnel_limit(tail, n, theta);
	*high = funnel_limit(1.0 - tail, n, theta);
	return 0;
}
