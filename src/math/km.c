/*
 * km.c — Kaplan-Meier product-limit estimate (see km.h).
 *
 * S(t) = prod_{t_i <= t} (1 - d_i / n_i); Greenwood (1926):
 * Var S(t) = S(t)^2 sum_{t_i <= t} d_i / (n_i (n_i - d_i)).
 */
#include "km.h"

#include <math.h>

void
km_curve(const KmPoint *pts, int n, double z, KmConfType ct, KmRow *rows)
{
	int64_t		at_risk = 0;
	double		s = 1.0,
				gw = 0.0;		/* Greenwood sum */
	int			i;

	for (i = 0; i < n; i++)
		at_risk += pts[i].events + pts[i].censored;
	for (i = 0; i < n; i++)
	{
		int64_t		d = pts[i].events;
		KmRow	   *r = &rows[i];

		r->time = pts[i].time;
		r->at_risk = at_risk;
		r->events = d;
		r->censored = pts[i].censored;
		if (d > 0)
		{
			s *= 1.0 - (double) d / (double) at_risk;
			if (d < at_risk)
				gw += (double) d / ((double) at_risk * (double) (at_risk - d));
			else
				gw = INFINITY;
		}
		r->survival = s;
		r->std_err = (s > 0.0) ? s * sqrt(gw) : 0.0;
		if (s <= 0.0)
		{
			r->std_err = NAN;
			r->lower = r->upper = NAN;
		}
		else if (gw == 0.0)
		{
			r->lower = r->upper = s;
		}
		else if (ct == KM_CI_PLAIN)
		{
			r->lower = fmax(0.0, s - z * r->std_err);
			r->upper = fmin(1.0, s + z * r->std_err);
		}
		else if (ct == KM_CI_LOG)
		{
			double		h = z * sqrt(gw);

			r->lower = s * exp(-h);
			r->upper = fmin(1.0, s * exp(h));
		}
		else
		{
			/* log(-log S) with se sqrt(gw) / |log S|; undefined at S = 1 */
			double		ls = log(s);

			if (ls == 0.0)
				r->lower = r->upper = s;
			else
			{
				double		h = z * sqrt(gw) / fabs(ls);

				r->lower = pow(s, exp(h));
				r->upper = pow(s, exp(-h));
			}
		}
		at_risk -= pts[i].events + pts[i].censored;
	}
}

int32_t
km_quantile_time(const KmRow *rows, int n, double q)
{
	int			i;

	for (i = 0; i < n; i++)
		if (rows[i].events > 0 && rows[i].survival <= q)
			return rows[i].time;
	return -1;
}

int
km_survival_at(const KmRow *rows, int n, int32_t k, double *s)
{
	double		v = 1.0;
	int			i;

	if (n == 0)
		return -1;
	for (i = 0; i < n && rows[i].time <= k; i++)
		v = rows[i].survival;
	if (n > 0 && k > rows[n - 1].time && v > 0.0)
		return -1;
	*s = v;
	return 0;
}
