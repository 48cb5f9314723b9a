/*
 * km.c — Kaplan-Meier product-limit estimate (see km.h).
 *
 * S(t) = prod_{t_i <= t} (1 - d_i / n_i); Greenwood (1926):
 * Var S(t) = S(t)^2 sum_{t_i <= t} d_i / (n_i (n_i - d_i)).
 *
 * Formulas and bands: docs/methods.md, *Group rates, full-time
 * equivalents, Kaplan–Meier*. Must not touch: postgres.h (unit-tested in
 * test/unit/test_runpath.c).
 */
#include "km.h"

#include <math.h>

double
km_normal_quantile(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	double		q,
				r,
				x,
				e,
				u;

	if (!(p > 0.0 && p < 1.0))
		return NAN;
	if (p < 0.02425)
	{
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	else if (p > 1 - 0.02425)
	{
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	else
	{
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* Halley refinement with the exact cdf */
	e = 0.5 * erfc(-x / sqrt(2.0)) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	x = x - u / (1 + x * u / 2);
	return x;
}

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
