/*
 * heterogeneity.c — Cochran's Q, I² and DerSimonian–Laird tau² over k
 * independent estimates y_i with standard errors s_i.
 *
 *   w_i = 1 / s_i²,  ybar = sum w_i y_i / sum w_i             (fixed effect)
 *   Q = sum w_i (y_i - ybar)²,  df = k - 1,  p = P(chi²_df > Q)
 *                                               (Cochran 1954)
 *   I² = max(0, (Q - df) / Q)                   (Higgins & Thompson 2002)
 *   tau² = max(0, (Q - df) / (sum w - sum w² / sum w))
 *                                               (DerSimonian & Laird 1986)
 *   w*_i = 1 / (s_i² + tau²), random-effects mean and 1 / sqrt(sum w*).
 *
 * Q is summed around the weighted mean computed first (two passes), not
 * as sum w y² - (sum w y)² / sum w, which cancels badly when the
 * estimates are large compared with their spread.
 *
 * No postgres.h here; argument errors are the glue's (monitor_stats.c).
 * docs/methods.md, *Progression scores and effects per municipality*.
 */
#include "heterogeneity.h"
#include "distributions.h"

#include <math.h>

int
si_heterogeneity_compute(const double *y, const double *se, int k,
						 si_heterogeneity *r)
{
	double		sw = 0.0,
				sw2 = 0.0,
				swy = 0.0,
				q = 0.0,
				c,
				sws = 0.0,
				swsy = 0.0;
	int			i;

	r->k = k;
	r->df = k > 0 ? k - 1 : 0;
	r->q = r->p_value = r->i_squared = r->tau_squared = NAN;
	r->fixed_estimate = r->fixed_std_error = NAN;
	r->random_estimate = r->random_std_error = NAN;

	for (i = 0; i < k; i++)
	{
		double		w;

		if (!isfinite(y[i]) || !isfinite(se[i]) || !(se[i] > 0.0))
			return -1;
		w = 1.0 / (se[i] * se[i]);
		if (!isfinite(w))
			return -1;
		sw += w;
		sw2 += w * w;
		swy += w * y[i];
	}
	if (k < 1)
		return -2;
	if (!isfinite(sw) || !isfinite(sw2) || !isfinite(swy))
		return -1;
	r->fixed_estimate = swy / sw;
	r->fixed_std_error = 1.0 / sqrt(sw);
	if (k < 2)
	{
		r->random_estimate = r->fixed_estimate;
		r->random_std_error = r->fixed_std_error;
		return -2;
	}

	for (i = 0; i < k; i++)
	{
		double		d = y[i] - r->fixed_estimate;

		q += d * d / (se[i] * se[i]);
	}
	if (!isfinite(q))
		return -1;
	r->q = q;
	r->p_value = si_chisq_upper(q, (double) r->df);
	r->i_squared = q > 0.0 ? fmax(0.0, (q - r->df) / q) : 0.0;

	/* sum w - sum w² / sum w >= 0, and > 0 unless one weight dominates */
	c = sw - sw2 / sw;
	r->tau_squared = (c > 0.0) ? fmax(0.0, (q - r->df) / c) : 0.0;

	for (i = 0; i < k; i++)
	{
		double		ws = 1.0 / (se[i] * se[i] + r->tau_squared);

		sws += ws;
		swsy += ws * y[i];
	}
	r->random_estimate = swsy / sws;
	r->random_std_error = 1.0 / sqrt(sws);
	return 0;
}
