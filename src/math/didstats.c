/*
 * didstats.c — sufficient statistics and variance formulas for
 * difference-in-differences on person-level changes: the group moments and
 * per-cluster cells (Welford updates, Chan merges), the regression sums, the
 * variance estimators and the t/normal read-out.
 *
 * PostgreSQL-free (no postgres.h): compiled into the extension and into
 * test/unit/test_didstats.c. Owns no storage, no errors and no SQL; the
 * glue in src/did/ owns those. Derivations: docs/methods.md, section
 * *Difference-in-differences on person-level changes*. Sources: Welch
 * (1947); White (1980); MacKinnon & White (1985); Cameron & Miller (2015);
 * Stata manual [R] regress, vce(cluster); Welford (1962); Chan, Golub &
 * LeVeque (1979) for the merges.
 */
#include "didstats.h"
#include "distributions.h"
#include "linalg.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Re-centre the w^2 moments (Q1, Q2 about the old mean) to a new mean:
 * sum w^2 (d - m')   = Q1 - delta Q0,
 * sum w^2 (d - m')^2 = Q2 - 2 delta Q1 + delta^2 Q0, delta = m' - m.
 */
static void
recentre(double *Q1, double *Q2, double Q0, double delta)
{
	*Q2 = *Q2 - 2.0 * delta * *Q1 + delta * delta * Q0;
	*Q1 = *Q1 - delta * Q0;
}

/*
 * The one weighted-mean step of every DiD moment: a mean over weight W - w
 * moved toward x, which carries weight w of the new total W. A row (x = the
 * change, w its weight) and a merged partial mean (x = its mean, w its
 * weight sum) take the same step, so adds and merges of groups and cells
 * share it (docs/methods.md, *Difference-in-differences on person-level
 * changes*, sufficient statistics).
 */
static inline double
wmean_step(double mean, double x, double w, double W)
{
	return mean + (x - mean) * (w / W);
}

void
si_did_group_add(si_did_group *g, double pre, double post, double w)
{
	double		d = post - pre;
	double		oldmean = g->mean;
	double		W = g->W + w;
	double		e;

	g->n++;
	g->W = W;
	g->mean = wmean_step(oldmean, d, w, W);
	g->M2 += w * (d - oldmean) * (d - g->mean);
	recentre(&g->Q1, &g->Q2, g->Q0, g->mean - oldmean);
	e = d - g->mean;
	g->Q0 += w * w;
	g->Q1 += w * w * e;
	g->Q2 += w * w * e * e;

	/*
	 * M2 and Q2 are sums of squares; with weights whose ratio is extreme
	 * (1e-150 next to 1e150) the updates can round to a tiny negative
	 * number, which the state's input would refuse: never below 0.
	 */
	if (g->M2 < 0.0)
		g->M2 = 0.0;
	if (g->Q2 < 0.0)
		g->Q2 = 0.0;
	g->mean_pre = wmean_step(g->mean_pre, pre, w, W);
	g->mean_post = wmean_step(g->mean_post, post, w, W);
}

void
si_did_group_merge(si_did_group *a, const si_did_group *b)
{
	double		W,
				delta,
				mean;
	double		aQ1,
				aQ2,
				bQ1,
				bQ2;

	if (b->n == 0)
		return;
	if (a->n == 0)
	{
		*a = *b;
		return;
	}
	W = a->W + b->W;
	delta = b->mean - a->mean;
	mean = wmean_step(a->mean, b->mean, b->W, W);
	aQ1 = a->Q1;
	aQ2 = a->Q2;
	bQ1 = b->Q1;
	bQ2 = b->Q2;
	recentre(&aQ1, &aQ2, a->Q0, mean - a->mean);
	recentre(&bQ1, &bQ2, b->Q0, mean - b->mean);
	a->M2 = a->M2 + b->M2 + delta * delta * (a->W * b->W / W);
	a->Q0 += b->Q0;
	a->Q1 = aQ1 + bQ1;
	a->Q2 = aQ2 + bQ2;
	if (a->Q2 < 0.0)			/* a sum of squares (see si_did_group_add) */
		a->Q2 = 0.0;
	a->mean_pre = wmean_step(a->mean_pre, b->mean_pre, b->W, W);
	a->mean_post = wmean_step(a->mean_post, b->mean_post, b->W, W);
	a->mean = mean;
	a->W = W;
	a->n += b->n;
}

/* a cell takes n rows of weight sum w and mean x: one row, or a whole cell */
static void
cell_absorb(si_did_cell *c, int64_t n, double w, double x)
{
	c->n += n;
	c->W += w;
	c->mean = wmean_step(c->mean, x, w, c->W);
}

void
si_did_cell_add(si_did_cell *c, double d, double w)
{
	cell_absorb(c, 1, w, d);
}

void
si_did_cell_merge(si_did_cell *a, const si_did_cell *b)
{
	if (b->n == 0)
		return;
	if (a->n == 0)
	{
		*a = *b;
		return;
	}
	cell_absorb(a, b->n, b->W, b->mean);
}

static const char *const vtype_names[SI_VAR_COUNT] = {
	"welch", "classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1"
};

const char *
si_did_vtype_name(si_did_vtype v)
{
	if ((int) v < 0 || (int) v >= SI_VAR_COUNT)
		return "unknown";
	return vtype_names[v];
}

static int
eq_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char) *a) != tolower((unsigned char) *b))
			return 0;
	return *a == '\0' && *b == '\0';
}

int
si_did_vtype_parse(const char *s, si_did_vtype *v)
{
	int			i;

	if (eq_nocase(s, "pooled"))
	{
		*v = SI_VAR_CLASSICAL;
		return 1;
	}
	for (i = 0; i < SI_VAR_COUNT; i++)
		if (eq_nocase(s, vtype_names[i]))
		{
			*v = (si_did_vtype) i;
			return 1;
		}
	return 0;
}

static const char *const small_sample_names[SI_SS_COUNT] = {
	"stata", "person", "g_only"
};

const char *
si_did_small_sample_name(si_did_small_sample s)
{
	if ((int) s < 0 || (int) s >= SI_SS_COUNT)
		return "unknown";
	return small_sample_names[s];
}

int
si_did_small_sample_parse(const char *s, si_did_small_sample *out)
{
	int			i;

	for (i = 0; i < SI_SS_COUNT; i++)
		if (eq_nocase(s, small_sample_names[i]))
		{
			*out = (si_did_small_sample) i;
			return 1;
		}
	return 0;
}

double
si_did_cr1_factor(si_did_small_sample s, int64_t G, int64_t n, int k)
{
	double		g = (double) G / (double) (G - 1);
	double		N,
				K;

	if (G < 2 || k < 1)
		return NAN;
	switch (s)
	{
		case SI_SS_G_ONLY:
			return g;
		case SI_SS_PERSON:
			N = (double) n;
			K = (double) k;
			break;
		case SI_SS_STATA:
			N = 2.0 * (double) n;
			K = 2.0 * (double) k;
			break;
		default:
			return NAN;
	}
	if (N <= K)
		return NAN;
	return g * (N - 1.0) / (N - K);
}

int
si_did2x2_variance(const si_did_group g[2], bool weighted, si_did_vtype v,
				   const si_did_cell *cells0, const si_did_cell *cells1,
				   int64_t G, double *var, double *df)
{
	double		N = (double) (g[0].n + g[1].n);
	double		n0 = (double) g[0].n,
				n1 = (double) g[1].n;
	double		v0,
				v1;
	int64_t		c;

	if (v == SI_VAR_CR0 || v == SI_VAR_CR1)
	{
		double		s = 0.0;

		if (G == 0)
			return 4;
		if (G < 2)
			return 3;
		if (g[0].n < 1 || g[1].n < 1)
			return 1;
		/*
		 * Score of cluster c for the difference of means:
		 * W_c1 (m_c1 - m_1) / W_1 - W_c0 (m_c0 - m_0) / W_0.
		 */
		for (c = 0; c < G; c++)
		{
			double		t1 = cells1[c].n ? cells1[c].W * (cells1[c].mean - g[1].mean) / g[1].W : 0.0;
			double		t0 = cells0[c].n ? cells0[c].W * (cells0[c].mean - g[0].mean) / g[0].W : 0.0;

			s += (t1 - t0) * (t1 - t0);
		}
		if (v == SI_VAR_CR1)
			s *= ((double) G / (double) (G - 1)) * ((N - 1.0) / (N - 2.0));
		*var = s;
		*df = (double) (G - 1);
		return 0;
	}

	if (g[0].n < 2 || g[1].n < 2)
		return 1;

	switch (v)
	{
		case SI_VAR_WELCH:
			/*
			 * Unweighted: s_g^2 / n_g = M2_g / (n_g (n_g - 1)). Weighted:
			 * sum w^2 e^2 / W_g^2 * n_g / (n_g - 1), which reduces to the
			 * former with unit weights.
			 */
			v0 = g[0].Q2 / (g[0].W * g[0].W) * n0 / (n0 - 1.0);
			v1 = g[1].Q2 / (g[1].W * g[1].W) * n1 / (n1 - 1.0);
			*var = v0 + v1;
			*df = (v0 + v1) * (v0 + v1) /
				(v0 * v0 / (n0 - 1.0) + v1 * v1 / (n1 - 1.0));
			return 0;
		case SI_VAR_CLASSICAL:
			/* sigma^2 (1/W_0 + 1/W_1), sigma^2 = sum w e^2 / (N - 2) */
			*var = (g[0].M2 + g[1].M2) / (N - 2.0) * (1.0 / g[0].W + 1.0 / g[1].W);
			*df = N - 2.0;
			return 0;
		case SI_VAR_HC0:
		case SI_VAR_HC1:
			*var = g[0].Q2 / (g[0].W * g[0].W) + g[1].Q2 / (g[1].W * g[1].W);
			if (v == SI_VAR_HC1)
				*var *= N / (N - 2.0);
			*df = N - 2.0;
			return 0;
		case SI_VAR_HC2:
		case SI_VAR_HC3:
			if (weighted)
				return 2;
			/* leverage 1/n_g in group g */
			if (v == SI_VAR_HC2)
				*var = g[0].M2 / (n0 * (n0 - 1.0)) + g[1].M2 / (n1 * (n1 - 1.0));
			else
				*var = g[0].M2 / ((n0 - 1.0) * (n0 - 1.0)) + g[1].M2 / ((n1 - 1.0) * (n1 - 1.0));
			*df = N - 2.0;
			return 0;
		default:
			break;
	}
	return 4;
}

size_t
si_sym2_len(int k)
{
	return (size_t) k * (k + 1) / 2;
}

size_t
si_sym3_len(int k)
{
	return (size_t) k * (k + 1) * (k + 2) / 6;
}

size_t
si_sym4_len(int k)
{
	return (size_t) k * (k + 1) * (k + 2) * (k + 3) / 24;
}

size_t
si_sym2_pos(int k, int a, int b)
{
	if (a > b)
	{
		int			t = a;

		a = b;
		b = t;
	}
	return (size_t) a * k - (size_t) a * (a - 1) / 2 + (b - a);
}

void
si_ols_accum(int k, const double *x, double y, double w,
			 double *xtx, double *xty, double *yty,
			 double *myy, double *my3, double *m4)
{
	double		w2 = w * w;
	double		w2y = w2 * y;
	double		w2yy = w2y * y;
	size_t		i2 = 0,
				i3 = 0,
				i4 = 0;
	int			a,
				b,
				c,
				d;

	*yty += w * y * y;
	for (a = 0; a < k; a++)
	{
		xty[a] += w * x[a] * y;
		for (b = a; b < k; b++)
		{
			double		xab = x[a] * x[b];

			xtx[i2] += w * xab;
			myy[i2] += w2yy * xab;
			i2++;
			for (c = b; c < k; c++)
			{
				double		xabc = xab * x[c];
				double		w2xabc = w2 * xabc;

				my3[i3++] += y * w2xabc;
				for (d = c; d < k; d++)
					m4[i4++] += w2xabc * x[d];
			}
		}
	}
}

/*
 * Cholesky of the packed symmetric matrix through the shared dense
 * routine in linalg.c (one implementation of the factorisation).
 */
int
si_cholesky_packed(int k, const double *a, double *l, double tol)
{
	int			i,
				j;

	memset(l, 0, sizeof(double) * k * k);
	for (i = 0; i < k; i++)
		for (j = 0; j <= i; j++)
			l[i * k + j] = a[si_sym2_pos(k, i, j)];
	return linalg_cholesky(l, k, tol);
}

void
si_chol_solve(int k, const double *l, double *b)
{
	linalg_chol_solve(l, k, b);
}

/* sort up to 4 small ints ascending */
static void
sort_idx(int *v, int n)
{
	int			i,
				j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--)
		{
			int			t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* position of a sorted triple / quadruple in the packed order of si_ols_accum */
static size_t
sym3_pos(int k, int a, int b, int c)
{
	/* count tuples (a', b', c') before (a, b, c) in lexicographic order */
	size_t		pos = 0;
	int			i,
				j;

	for (i = 0; i < a; i++)
		pos += si_sym2_len(k - i);
	for (j = a; j < b; j++)
		pos += (size_t) (k - j);
	return pos + (size_t) (c - b);
}

static size_t
sym4_pos(int k, int a, int b, int c, int d)
{
	size_t		pos = 0;
	int			i;

	for (i = 0; i < a; i++)
		pos += si_sym3_len(k - i);
	/* remaining (b, c, d) with b >= a: a triple over indices a..k-1 */
	return pos + sym3_pos(k - a, b - a, c - a, d - a);
}

void
si_ols_hc_meat(int k, const double *beta, const double *myy,
			   const double *my3, const double *m4, double *meat)
{
	int			a,
				b,
				c,
				d;

	for (a = 0; a < k; a++)
		for (b = a; b < k; b++)
		{
			double		s = myy[si_sym2_pos(k, a, b)];
			double		s3 = 0.0,
						s4 = 0.0;

			for (c = 0; c < k; c++)
			{
				int			t[3] = {a, b, c};

				sort_idx(t, 3);
				s3 += beta[c] * my3[sym3_pos(k, t[0], t[1], t[2])];
				for (d = 0; d < k; d++)
				{
					int			q[4] = {a, b, c, d};

					sort_idx(q, 4);
					s4 += beta[c] * beta[d] * m4[sym4_pos(k, q[0], q[1], q[2], q[3])];
				}
			}
			s = s - 2.0 * s3 + s4;
			meat[a * k + b] = s;
			meat[b * k + a] = s;
		}
}

void
si_ols_cluster_accum(int k, const double *x, double y, double w, double *reg)
{
	double	   *sxx = reg + k;
	size_t		i2 = 0;
	int			a,
				b;

	for (a = 0; a < k; a++)
	{
		reg[a] += w * x[a] * y;
		for (b = a; b < k; b++)
			sxx[i2++] += w * x[a] * x[b];
	}
}

double
si_ols_cluster_score(int k, const double *reg, const double *beta, const double *u)
{
	const double *sxy = reg;
	const double *sxx = reg + k;
	double		t = 0.0;
	int			a,
				b;

	for (a = 0; a < k; a++)
	{
		double		sc = sxy[a];

		for (b = 0; b < k; b++)
			sc -= sxx[si_sym2_pos(k, a, b)] * beta[b];
		t += u[a] * sc;
	}
	return t;
}

double
si_ols_classical_variance(int k, double N, double yty, const double *xty,
						  const double *beta, const double *u)
{
	double		ssr = yty;
	int			a;

	for (a = 0; a < k; a++)
		ssr -= beta[a] * xty[a];
	if (ssr < 0)
		ssr = 0;
	return ssr / (N - k) * u[1];
}

double
si_ols_hc_variance(int k, double N, bool hc1, const double *beta, const double *u,
				   const double *myy, const double *my3, const double *m4)
{
	double		meat[(SI_DID_MAX_COVARIATES + 2) * (SI_DID_MAX_COVARIATES + 2)];
	double		s = 0.0;
	int			a,
				b;

	si_ols_hc_meat(k, beta, myy, my3, m4, meat);
	for (a = 0; a < k; a++)
		for (b = 0; b < k; b++)
			s += u[a] * meat[a * k + b] * u[b];
	if (hc1)
		s *= N / (N - k);
	return s;
}

void
si_did_inference(double estimate, double se, double df, double conf_level, bool normal,
				 double *statistic, double *p_value, double *low, double *high)
{
	double		q;

	*statistic = estimate / se;
	if (normal)
	{
		q = si_norm_quantile(0.5 + conf_level / 2.0);
		*p_value = 2.0 * si_norm_cdf(-fabs(*statistic));
	}
	else
	{
		q = si_t_quantile(0.5 + conf_level / 2.0, df);
		*p_value = 2.0 * si_t_cdf(-fabs(*statistic), df);
	}
	*low = estimate - q * se;
	*high = estimate + q * se;
	if (se == 0.0)
	{
		/* no variation at all (e.g. the base period of an event study) */
		*statistic = NAN;
		*p_value = NAN;
		*low = *high = estimate;
	}
}
