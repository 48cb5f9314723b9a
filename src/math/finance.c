/*
 * finance.c — discounting, NPV, IRR, payback (see finance.h). PostgreSQL-
 * free (no postgres.h): money as double here; numeric, errors and NOTICEs
 * are the glue's (src/money/).
 *
 * Sources: discount factors (1+r)^-t and the Finance Ministry's declining
 * schedule of 7 January 2021 (3.5 % for years 0-35, 2.5 % for 35-70,
 * 1.5 % after 70; docs/methods.md, *Money*, Discounting (M10)); IRR
 * bracketing on [-0.99, 10] followed by a safeguarded root iteration
 * (*Money*, IRR (M11)); Brent's
 * method after R. P. Brent, "Algorithms for Minimization without
 * Derivatives" (1973), ch. 4 (zeroin).
 */
#include "finance.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Neumaier compensated summation */
typedef struct
{
	double		sum;
	double		c;
} KSum;

static inline void
ksum_add(KSum *k, double x)
{
	double		t = k->sum + x;

	if (fabs(k->sum) >= fabs(x))
		k->c += (k->sum - t) + x;
	else
		k->c += (x - t) + k->sum;
	k->sum = t;
}

static inline double
ksum_value(const KSum *k)
{
	return k->sum + k->c;
}

/* log of the FM2021 discount factor at t >= 0 */
static double
fm2021_log_df(double t)
{
	const double l1 = log1p(0.035),
				l2 = log1p(0.025),
				l3 = log1p(0.015);

	if (t <= 35.0)
		return -t * l1;
	if (t <= 70.0)
		return -35.0 * l1 - (t - 35.0) * l2;
	return -35.0 * l1 - 35.0 * l2 - (t - 70.0) * l3;
}

double
fin_discount_factor(double t, FinSchedule sched, double rate,
					FinConvention conv, double period_years)
{
	if (conv == FIN_MID && t > 0.0)
	{
		t -= period_years / 2.0;
		if (t < 0.0)
			t = 0.0;
	}
	if (sched == FIN_FM2021)
	{
		if (t >= 0.0)
			return exp(fm2021_log_df(t));
		/* before the valuation date: compound forward at the first step */
		return exp(-t * log1p(0.035));
	}
	return exp(-t * log1p(rate));
}

double
fin_npv(const double *t, const double *amount, size_t n,
		FinSchedule sched, double rate, FinConvention conv, double period_years)
{
	KSum		k = {0.0, 0.0};
	size_t		i;

	for (i = 0; i < n; i++)
		ksum_add(&k, amount[i] * fin_discount_factor(t[i], sched, rate, conv, period_years));
	return ksum_value(&k);
}

void
fin_sums(const double *amount, size_t n, double *inflow, double *outflow)
{
	KSum		in = {0.0, 0.0},
				out = {0.0, 0.0};
	size_t		i;

	for (i = 0; i < n; i++)
	{
		if (amount[i] > 0.0)
			ksum_add(&in, amount[i]);
		else if (amount[i] < 0.0)
			ksum_add(&out, -amount[i]);
	}
	*inflow = ksum_value(&in);
	*outflow = ksum_value(&out);
}

void
fin_present_values(const double *t, const double *amount, size_t n,
				   FinSchedule sched, double rate, double *pv)
{
	size_t		i;

	for (i = 0; i < n; i++)
		pv[i] = amount[i] * fin_discount_factor(t[i], sched, rate, FIN_END, 1.0);
}

void
fin_days_to_years(const double *days, size_t n, double *years)
{
	double		d0 = INFINITY;
	size_t		i;

	for (i = 0; i < n; i++)
		d0 = d0 < days[i] ? d0 : days[i];
	for (i = 0; i < n; i++)
		years[i] = (days[i] - d0) / 365.0;
}

/*
 * Brent's zeroin. Keeps a bracket [b, c] with f(b) f(c) <= 0 and takes
 * inverse quadratic interpolation or secant steps when they stay well
 * inside it, bisection otherwise.
 */
bool
fin_brent(fin_fn f, void *arg, double a, double b, double xtol, int maxiter,
		  double *root)
{
	double		fa = f(a, arg),
				fb = f(b, arg),
				c,
				fc,
				d,
				e;
	int			iter;

	if (isnan(fa) || isnan(fb))
		return false;
	if (fa == 0.0)
	{
		*root = a;
		return true;
	}
	if (fb == 0.0)
	{
		*root = b;
		return true;
	}
	if ((fa > 0.0) == (fb > 0.0))
		return false;

	c = a;
	fc = fa;
	d = e = b - a;
	for (iter = 0; iter < maxiter; iter++)
	{
		double		tol,
					m,
					p,
					q,
					r,
					s;

		if ((fb > 0.0) == (fc > 0.0))
		{
			c = a;
			fc = fa;
			d = e = b - a;
		}
		if (fabs(fc) < fabs(fb))
		{
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		tol = 2.0 * DBL_EPSILON * fabs(b) + 0.5 * xtol;
		m = 0.5 * (c - b);
		if (fabs(m) <= tol || fb == 0.0)
		{
			*root = b;
			return true;
		}
		if (fabs(e) < tol || fabs(fa) <= fabs(fb))
		{
			d = e = m;			/* bisection */
		}
		else
		{
			s = fb / fa;
			if (a == c)
			{
				p = 2.0 * m * s;	/* secant */
				q = 1.0 - s;
			}
			else
			{
				q = fa / fc;	/* inverse quadratic interpolation */
				r = fb / fc;
				p = s * (2.0 * m * q * (q - r) - (b - a) * (r - 1.0));
				q = (q - 1.0) * (r - 1.0) * (s - 1.0);
			}
			if (p > 0.0)
				q = -q;
			else
				p = -p;
			if (2.0 * p < fmin(3.0 * m * q - fabs(tol * q), fabs(e * q)))
			{
				e = d;
				d = p / q;
			}
			else
			{
				d = e = m;
			}
		}
		a = b;
		fa = fb;
		b += (fabs(d) > tol) ? d : (m > 0.0 ? tol : -tol);
		fb = f(b, arg);
		if (isnan(fb))
			return false;
	}
	*root = b;
	return true;
}

/* NPV at rate i, scaled by the positive factor (1+i)^tref */
typedef struct
{
	const double *t;
	const double *amount;
	size_t		n;
	double		tref;
} IrrArg;

static double
irr_fn(double x, void *argp)
{
	IrrArg	   *arg = (IrrArg *) argp;
	double		L = log1p(x);
	KSum		k = {0.0, 0.0};
	size_t		i;

	for (i = 0; i < arg->n; i++)
		ksum_add(&k, arg->amount[i] * exp(-(arg->t[i] - arg->tref) * L));
	return ksum_value(&k);
}

#define IRR_GRID 800

FinRootStatus
fin_irr(const double *t, const double *amount, size_t n, double lo, double hi,
		double *irr, int *nroots)
{
	IrrArg		arg;
	double		tmin = INFINITY,
				tmax = -INFINITY,
				Llo,
				Lhi,
				best = NAN,
				bestdist = INFINITY,
				prevx = 0.0,
				prevf = 0.0;
	bool		pos = false,
				neg = false,
				haveprev = false;
	size_t		i;
	int			j,
				roots = 0;
	double		blo = 0.0,
				bhi = 0.0;

	*nroots = 0;
	for (i = 0; i < n; i++)
	{
		if (amount[i] > 0.0)
			pos = true;
		else if (amount[i] < 0.0)
			neg = true;
		if (t[i] < tmin)
			tmin = t[i];
		if (t[i] > tmax)
			tmax = t[i];
	}
	if (!pos && !neg)
		return FIN_ROOT_EMPTY;
	if (!(pos && neg))
		return FIN_ROOT_NO_SIGN_CHANGE_FLOWS;

	arg.t = t;
	arg.amount = amount;
	arg.n = n;
	Llo = log1p(lo);
	Lhi = log1p(hi);
	for (j = 0; j <= IRR_GRID; j++)
	{
		double		L = Llo + (Lhi - Llo) * j / IRR_GRID;
		double		x = expm1(L),
					fx;

		if (j == IRR_GRID)
			x = hi;
		/* scale so that no term can overflow on this side of 0 */
		arg.tref = (L < 0.0) ? tmax : tmin;
		fx = irr_fn(x, &arg);
		if (isnan(fx) || isinf(fx))
		{
			haveprev = false;
			continue;
		}
		if (fx == 0.0)
		{
			roots++;
			if (fabs(x) < bestdist)
			{
				bestdist = fabs(x);
				best = x;
				blo = bhi = x;
			}
		}
		else if (haveprev && prevf != 0.0 && ((fx > 0.0) != (prevf > 0.0)))
		{
			double		mid = 0.5 * (x + prevx);

			roots++;
			if (fabs(mid) < bestdist)
			{
				bestdist = fabs(mid);
				best = mid;
				blo = prevx;
				bhi = x;
			}
		}
		prevx = x;
		prevf = fx;
		haveprev = true;
	}
	*nroots = roots;
	if (roots == 0)
		return FIN_ROOT_NO_BRACKET;
	if (blo == bhi)
	{
		*irr = best;
		return FIN_ROOT_OK;
	}
	/* one scaling for the whole bracket keeps f continuous for Brent */
	if (log1p(bhi) <= 0.0)
		arg.tref = tmax;
	else if (log1p(blo) >= 0.0)
		arg.tref = tmin;
	else
		arg.tref = 0.0;
	if (!fin_brent(irr_fn, &arg, blo, bhi, 1e-13, 200, irr))
		return FIN_ROOT_NO_BRACKET;
	return FIN_ROOT_OK;
}

/*
 * The order of flows: by t, then by amount. A total order on finite pairs, so
 * any arrangement of the same flows sorts into the same sequence, and the
 * sums over it (IRR, payback, ratios) do not depend on how the rows were
 * split between parallel workers or shards.
 */
static inline bool
flow_before(double t1, double a1, double t2, double a2)
{
	return t1 < t2 || (t1 == t2 && a1 < a2);
}

/* merge sort of (t, amount) pairs in flow_before order */
static void
merge_sort(double *t, double *a, double *tt, double *ta, size_t n)
{
	size_t		h,
				i,
				j,
				k;

	if (n < 2)
		return;
	h = n / 2;
	merge_sort(t, a, tt, ta, h);
	merge_sort(t + h, a + h, tt, ta, n - h);
	i = 0;
	j = h;
	k = 0;
	while (i < h && j < n)
	{
		if (flow_before(t[j], a[j], t[i], a[i]))
		{
			tt[k] = t[j];
			ta[k++] = a[j++];
		}
		else
		{
			tt[k] = t[i];
			ta[k++] = a[i++];
		}
	}
	while (i < h)
	{
		tt[k] = t[i];
		ta[k++] = a[i++];
	}
	while (j < n)
	{
		tt[k] = t[j];
		ta[k++] = a[j++];
	}
	memcpy(t, tt, n * sizeof(double));
	memcpy(a, ta, n * sizeof(double));
}

void
fin_sort_flows(double *t, double *amount, size_t n)
{
	size_t		i;
	double	   *tt,
			   *ta;

	for (i = 1; i < n; i++)
		if (flow_before(t[i], amount[i], t[i - 1], amount[i - 1]))
			break;
	if (i >= n)
		return;					/* already sorted */
	tt = malloc(n * sizeof(double));
	ta = malloc(n * sizeof(double));
	if (tt == NULL || ta == NULL)
	{
		/* fall back to insertion sort without extra memory */
		free(tt);
		free(ta);
		for (i = 1; i < n; i++)
		{
			double		kt = t[i],
						ka = amount[i];
			size_t		j = i;

			while (j > 0 && flow_before(kt, ka, t[j - 1], amount[j - 1]))
			{
				t[j] = t[j - 1];
				amount[j] = amount[j - 1];
				j--;
			}
			t[j] = kt;
			amount[j] = ka;
		}
		return;
	}
	merge_sort(t, amount, tt, ta, n);
	free(tt);
	free(ta);
}

FinPaybackStatus
fin_payback(const double *t, const double *amount, size_t n,
			FinSchedule sched, double rate, double *years)
{
	KSum		cum = {0.0, 0.0};
	bool		found = false,
				wasneg = false;
	double		when = 0.0;
	size_t		i = 0;

	while (i < n)
	{
		/* flows at the same t are one step */
		double		ti = t[i],
					prev = ksum_value(&cum),
					tprev = (i > 0) ? t[i - 1] : ti,
					step,
					now;
		KSum		s = {0.0, 0.0};

		while (i < n && t[i] == ti)
		{
			double		df = (rate == 0.0 && sched == FIN_FLAT) ? 1.0 :
				fin_discount_factor(t[i], sched, rate, FIN_END, 1.0);

			ksum_add(&s, amount[i] * df);
			i++;
		}
		step = ksum_value(&s);
		ksum_add(&cum, step);
		now = ksum_value(&cum);
		if (!isfinite(step) || !isfinite(now))
			return FIN_PAYBACK_OVERFLOW;
		if (now < 0.0)
		{
			wasneg = true;
			found = false;
		}
		else if (prev < 0.0 && !found)
		{
			/* crossing inside (tprev, ti]: the flow is spread evenly over it */
			when = tprev + (ti - tprev) * (-prev / step);
			found = true;
		}
	}
	if (!wasneg || !found)
		return FIN_PAYBACK_NEVER;
	if (!isfinite(when))
		return FIN_PAYBACK_OVERFLOW;
	*years = when;
	return FIN_PAYBACK_OK;
}
