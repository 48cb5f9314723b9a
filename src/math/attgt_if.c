/*
 * attgt_if.c — influence functions of att_gt's cells and of linear
 * functionals of them (the aggregations), evaluated on the fly from the
 * panel arrays (never stored as an n x cells matrix); standard errors,
 * the covariance matrix of several functionals and the Wald pre-test.
 * See docs/methods.md, *Group-time average treatment effects*: "Standard
 * errors", "Aggregation (did::aggte)", "Wald pre-test".
 *
 * No postgres.h: memory and interrupt checks through r->hooks.
 */
#include "attgt_core.h"

#include <string.h>

#include "distributions.h"
#include "linalg.h"

#define Min(a, b) ((a) < (b) ? (a) : (b))

/*
 * Unit i's influence function for cell c. Without covariates the cell is a
 * difference of four weighted means, each contributing w_i (y_i - ybar) /
 * wsum; with covariates it is DRDID's influence function scaled from the
 * cell's n1 units (rows) to the panel's n.
 */
double
attgt_psi(const AttgtRun *r, const AttgtCell *c, int i)
{
	const AttgtPanel *P = r->P;
	int			role;

	if (c->is_base)
		return 0.0;
	role = attgt_cell_role(r, c, i);
	if (role == 0)
		return 0.0;
	if (c->rcfit != NULL)
	{
		/* rows of the period and the base period, summed per unit */
		double		xrow[DRDID_MAXK],
					s = 0.0;
		int			j,
					q;

		xrow[0] = 1.0;
		for (q = 0; q < 2; q++)
		{
			int			tq = q ? c->t : c->b;
			double		yv = P->y[tq][i];

			if (!isnan(yv))
			{
				const double *xi = attgt_xrow(P, i, tq);

				for (j = 0; j < P->p; j++)
					xrow[j + 1] = xi[j];
				s += drdid_rc_if(c->rcfit, xrow, yv, q, role > 0, P->w[i]);
			}
		}
		return ((double) P->n / c->n1) * s;
	}
	if (c->fit == NULL)
	{
		int			d = role > 0 ? 1 : 0;
		double		yt = P->y[c->t][i],
					yb = P->y[c->b][i],
					s = 0.0;

		if (!isnan(yt))
			s += P->w[i] * (yt - c->ybar[d][1]) / c->wsum[d][1];
		if (!isnan(yb))
			s -= P->w[i] * (yb - c->ybar[d][0]) / c->wsum[d][0];
		return (double) P->n * (role > 0 ? s : -s);
	}
	else
	{
		double		xrow[DRDID_MAXK];
		const double *xi = attgt_xrow(P, i, Min(c->t, c->b));
		int			j;

		xrow[0] = 1.0;
		for (j = 0; j < P->p; j++)
			xrow[j + 1] = xi[j];
		return ((double) P->n / c->n1) *
			drdid_panel_if(c->fit, xrow, P->y[c->t][i] - P->y[c->b][i], role > 0, P->w[i]);
	}
}

double
attgt_se_of(const AttgtRun *r, const double *psi)
{
	const AttgtPanel *P = r->P;
	double		s = 0.0;
	int			i;

	if (P->cl == NULL)
	{
		for (i = 0; i < P->n; i++)
			s += psi[i] * psi[i];
	}
	else
	{
		double	   *cs = r->hooks->alloc(sizeof(double) * P->ncl, true);

		for (i = 0; i < P->n; i++)
			cs[P->cl[i]] += psi[i];
		for (i = 0; i < P->ncl; i++)
			s += cs[i] * cs[i];
		r->hooks->release(cs);
	}
	return sqrt(s) / P->n;
}

AttgtLin *
attgt_lin_new(const AttgtRun *r)
{
	AttgtLin   *l = r->hooks->alloc(sizeof(AttgtLin), true);

	l->cw = r->hooks->alloc(sizeof(double) * r->ncells, true);
	l->gc = r->hooks->alloc(sizeof(double) * r->ng, true);
	return l;
}

void
attgt_lin_free(const AttgtRun *r, AttgtLin *l)
{
	r->hooks->release(l->cw);
	r->hooks->release(l->gc);
	r->hooks->release(l);
}

void
attgt_lin_add(AttgtLin *dst, const AttgtLin *src, double a, const AttgtRun *r)
{
	int			j;

	for (j = 0; j < r->ncells; j++)
		dst->cw[j] += a * src->cw[j];
	for (j = 0; j < r->ng; j++)
		dst->gc[j] += a * src->gc[j];
	dst->att += a * src->att;
}

/*
 * did's wif(): the effect of estimating the cohort shares pg in weights
 * pg_k / sum(pg). For keepers k with cohort g_k, share pg_k and estimate
 * att_k, unit i contributes w_i [A(G_i) / SP - C(G_i) Q / SP^2] with
 * A(g) = sum of att_k over keepers of cohort g, C(g) = their number,
 * SP = sum pg_k, Q = sum pg_k att_k.
 */
void
attgt_lin_add_wif(AttgtLin *l, const AttgtRun *r, int nk, const int32_t *kg,
				  const double *kpg, const double *katt)
{
	double		sp = 0.0,
				qq = 0.0;
	int			k;

	for (k = 0; k < nk; k++)
	{
		sp += kpg[k];
		qq += kpg[k] * katt[k];
	}
	for (k = 0; k < nk; k++)
	{
		int			gi = attgt_gidx(r, kg[k]);

		l->gc[gi] += katt[k] / sp - qq / (sp * sp);
	}
}

/*
 * The units [i0, i1) grouped by cohort bucket (AttgtRun.bucket), ascending
 * within a bucket, so a cell's loop visits its own units only. Each unit's
 * value of a functional is a sum over the cells in their order, whatever
 * order the units are visited in, so the values are those of a loop over
 * every unit.
 */
typedef struct UnitOrder
{
	int			i0;
	int			i1;
	int		   *start;			/* ng + 2: bucket k's units are unit[start[k] .. start[k + 1]) */
	int32_t    *unit;
} UnitOrder;

static void
uorder_init(const AttgtRun *r, UnitOrder *uo, int i0, int i1)
{
	int			nb = r->ng + 1,
				i,
				k;
	int		   *pos;

	uo->i0 = i0;
	uo->i1 = i1;
	uo->start = r->hooks->alloc(sizeof(int) * (nb + 1), true);
	uo->unit = r->hooks->alloc(sizeof(int32_t) * (i1 > i0 ? i1 - i0 : 1), false);
	for (i = i0; i < i1; i++)
		uo->start[r->bucket[i] + 1]++;
	for (k = 0; k < nb; k++)
		uo->start[k + 1] += uo->start[k];
	pos = r->hooks->alloc(sizeof(int) * nb, false);
	memcpy(pos, uo->start, sizeof(int) * nb);
	for (i = i0; i < i1; i++)
		uo->unit[pos[r->bucket[i]]++] = i;
	r->hooks->release(pos);
}

static void
uorder_free(const AttgtRun *r, UnitOrder *uo)
{
	r->hooks->release(uo->start);
	r->hooks->release(uo->unit);
}

/*
 * out[(i - i0) * stride] += a psi_i for a cell without covariates:
 * attgt_psi's value bit for bit
 */
static void
nocov_cell_add(const AttgtRun *r, const AttgtCell *c, double a, const UnitOrder *uo,
			   double *out, int stride)
{
	const AttgtPanel *P = r->P;
	const double *yt = P->y[c->t],
			   *yb = P->y[c->b],
			   *wv = P->w;
	double		nn = (double) P->n;
	int			k,
				u;

	for (k = 0; k <= r->ng; k++)
	{
		int			role = attgt_bucket_role(r, c, k),
					d;
		double		b1,
					b0,
					s1,
					s0;

		if (role == 0 || uo->start[k] == uo->start[k + 1])
			continue;
		d = role > 0;
		b1 = c->ybar[d][1];
		b0 = c->ybar[d][0];
		s1 = c->wsum[d][1];
		s0 = c->wsum[d][0];
		for (u = uo->start[k]; u < uo->start[k + 1]; u++)
		{
			int			i = uo->unit[u];
			double		s = 0.0;

			if (!isnan(yt[i]))
				s += wv[i] * (yt[i] - b1) / s1;
			if (!isnan(yb[i]))
				s -= wv[i] * (yb[i] - b0) / s0;
			out[(long) (i - uo->i0) * stride] += a * (nn * (d ? s : -s));
		}
	}
}

/*
 * The propensity scores of units [i0, i1) under one logit (gamma, the
 * period of the covariates): the cells that share a design (attgt_cells.c)
 * share their scores, so a functional over a cohort's cells computes each
 * unit's score once, not once per cell. NaN = not computed yet.
 */
typedef struct PsCache
{
	double	   *ps;
	int			i0;
	int			i1;
	bool		valid;
	int			xper;
	double		gamma[DRDID_MAXK];
} PsCache;

static void
ps_cache_init(const AttgtRun *r, PsCache *pc, int i0, int i1)
{
	memset(pc, 0, sizeof(*pc));
	pc->i0 = i0;
	pc->i1 = i1;
	if (r->P->p > 0 && r->spec.method != ATTGT_REG && i1 > i0)
		pc->ps = r->hooks->alloc(sizeof(double) * (i1 - i0), false);
}

static void
ps_cache_free(const AttgtRun *r, PsCache *pc)
{
	if (pc->ps)
		r->hooks->release(pc->ps);
}

/*
 * out[(i - i0) * stride] += a psi_i for a covariate cell of a balanced
 * panel: attgt_psi's value bit for bit, without a score per call.
 */
static void
cov_cell_add(const AttgtRun *r, const AttgtCell *c, double a, const UnitOrder *uo,
			 double *out, int stride, PsCache *pc)
{
	const AttgtPanel *P = r->P;
	const DrdidFit *f = c->fit;
	int			k = P->p + 1,
				xper = Min(c->t, c->b),
				i0 = uo->i0,
				i1 = uo->i1,
				i,
				j,
				kb,
				u;
	const double *yt = P->y[c->t],
			   *yb = P->y[c->b];
	double		scale = (double) P->n / c->n1,
				xrow[DRDID_MAXK];
	bool		useps = pc->ps != NULL && f->method != DRDID_REG;

	if (useps && (!pc->valid || (P->xt && pc->xper != xper) ||
				  memcmp(pc->gamma, f->gamma, sizeof(double) * k) != 0))
	{
		for (i = i0; i < i1; i++)
			pc->ps[i - pc->i0] = NAN;
		memcpy(pc->gamma, f->gamma, sizeof(double) * k);
		pc->xper = xper;
		pc->valid = true;
	}
	xrow[0] = 1.0;
	for (kb = 0; kb <= r->ng; kb++)
	{
		int			role = attgt_bucket_role(r, c, kb);

		if (role == 0)
			continue;
		for (u = uo->start[kb]; u < uo->start[kb + 1]; u++)
		{
			const double *xi;
			double		ps = 0.0;

			i = uo->unit[u];
			xi = attgt_xrow(P, i, xper);
			for (j = 0; j < P->p; j++)
				xrow[j + 1] = xi[j];
			if (useps)
			{
				ps = pc->ps[i - pc->i0];
				if (isnan(ps))
					ps = pc->ps[i - pc->i0] = drdid_ps(f, xrow);
			}
			else if (f->method != DRDID_REG)
				ps = drdid_ps(f, xrow);
			out[(long) (i - i0) * stride] +=
				a * (scale * drdid_panel_if_ps(f, xrow, yt[i] - yb[i], role > 0, P->w[i], ps));
		}
	}
}

/* attgt_lin_eval with the caller's score cache and unit order (units uo->i0 .. uo->i1) */
static void
lin_eval_cached(const AttgtRun *r, const AttgtLin *l, const UnitOrder *uo, double *out,
				int stride, PsCache *pc)
{
	const AttgtPanel *P = r->P;
	int			i0 = uo->i0,
				i1 = uo->i1,
				i,
				j,
				k,
				u;

	for (i = i0; i < i1; i++)
	{
		int32_t		b = r->bucket[i];
		double		s = 0.0;

		if (b != 0)
			s = P->w[i] * l->gc[b - 1];
		out[(long) (i - i0) * stride] = s;
	}
	for (j = 0; j < r->ncells; j++)
	{
		const AttgtCell *c = &r->cells[j];
		double		a = l->cw[j];

		if (a == 0.0 || c->is_base)
			continue;
		if (c->fit != NULL && c->rcfit == NULL)
		{
			cov_cell_add(r, c, a, uo, out, stride, pc);
			continue;
		}
		if (c->rcfit == NULL)
		{
			nocov_cell_add(r, c, a, uo, out, stride);
			continue;
		}
		/* units outside the cell have psi 0 */
		for (k = 0; k <= r->ng; k++)
		{
			if (attgt_bucket_role(r, c, k) == 0)
				continue;
			for (u = uo->start[k]; u < uo->start[k + 1]; u++)
			{
				i = uo->unit[u];
				out[(long) (i - i0) * stride] += a * attgt_psi(r, c, i);
			}
		}
	}
}

/* psi of a functional for units [i0, i1): out[(i - i0) * stride] */
void
attgt_lin_eval(const AttgtRun *r, const AttgtLin *l, int i0, int i1, double *out, int stride)
{
	PsCache		pc;
	UnitOrder	uo;

	ps_cache_init(r, &pc, i0, i1);
	uorder_init(r, &uo, i0, i1);
	lin_eval_cached(r, l, &uo, out, stride, &pc);
	uorder_free(r, &uo);
	ps_cache_free(r, &pc);
}

/*
 * psi of m functionals for units [i0, i1): out[(i - i0) * m + j], each
 * unit's propensity score computed once per design for all of them (the
 * interrupt hook is called before each functional)
 */
void
attgt_lin_eval_set(const AttgtRun *r, AttgtLin *const *l, int m, int i0, int i1, double *out)
{
	PsCache		pc;
	UnitOrder	uo;
	int			j;

	ps_cache_init(r, &pc, i0, i1);
	uorder_init(r, &uo, i0, i1);
	for (j = 0; j < m; j++)
	{
		r->hooks->interrupt();
		lin_eval_cached(r, l[j], &uo, out + j, m, &pc);
	}
	uorder_free(r, &uo);
	ps_cache_free(r, &pc);
}

double
attgt_lin_se(const AttgtRun *r, const AttgtLin *l)
{
	double	   *psi = r->hooks->alloc(sizeof(double) * r->P->n, false);
	double		se;

	attgt_lin_eval(r, l, 0, r->P->n, psi, 1);
	se = attgt_se_of(r, psi);
	r->hooks->release(psi);
	return se;
}

/*
 * V[a][b] += row[a] row[b] for b <= a. A unit's functionals are mostly 0
 * (a cell's units are a fraction of the panel): when every value is
 * finite, a product with a 0 factor is +-0 and adding it leaves V as it
 * is (V starts at +0 and a sum is -0 only when both terms are), so only
 * the nonzero values are multiplied, in the same order: the same V bit
 * for bit. nz (m indexes) and xs (m values) are work space.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define SI_VCOV_CLONES __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define SI_VCOV_CLONES
#endif

/* (vectorised: each V[a][b] is its own sum, so the lanes change no number) */
SI_VCOV_CLONES static void
vcov_add(double *V, const double *row, int m, int *nz, double *xs)
{
	int			a,
				b,
				q = 0;

	for (a = 0; a < m; a++)
	{
		if (!isfinite(row[a]))
			break;
		if (row[a] != 0.0)
		{
			xs[q] = row[a];
			nz[q++] = a;
		}
	}
	/* not all finite, or mostly nonzero: every product */
	if (a < m || q > m - m / 4)
	{
		for (a = 0; a < m; a++)
		{
			double	   *vr = V + (long) a * m;
			double		ra = row[a];

			for (b = 0; b <= a; b++)
				vr[b] += ra * row[b];
		}
		return;
	}
	for (a = 0; a < q; a++)
	{
		double	   *vr = V + (long) nz[a] * m;
		double		ra = xs[a];

		for (b = 0; b <= a; b++)
			vr[nz[b]] += ra * xs[b];
	}
}

/*
 * Covariance matrix (m x m) of the estimates of m functionals:
 * V = sum_i psi_i psi_i' / n^2 (clustered: sums per cluster).
 */
void
attgt_lin_vcov(const AttgtRun *r, AttgtLin **l, int m, double *V)
{
	const AttgtPanel *P = r->P;
	int			n = P->n,
				i0,
				a,
				b,
				j;
	double	   *buf = r->hooks->alloc(sizeof(double) * ATTGT_CHUNK * m, false);
	double	   *cs = NULL;
	int		   *nz = r->hooks->alloc(sizeof(int) * (m > 0 ? m : 1), false);
	double	   *xs = r->hooks->alloc(sizeof(double) * (m > 0 ? m : 1), false);

	memset(V, 0, sizeof(double) * m * m);
	if (P->cl)
		cs = r->hooks->alloc(sizeof(double) * P->ncl * m, true);
	for (i0 = 0; i0 < n; i0 += ATTGT_CHUNK)
	{
		int			i1 = Min(n, i0 + ATTGT_CHUNK);

		attgt_lin_eval_set(r, l, m, i0, i1, buf);
		for (j = 0; j < i1 - i0; j++)
		{
			double	   *row = buf + (long) j * m;

			if (cs)
			{
				double	   *crow = cs + (long) P->cl[i0 + j] * m;

				for (a = 0; a < m; a++)
					crow[a] += row[a];
			}
			else
				vcov_add(V, row, m, nz, xs);
		}
	}
	if (cs)
	{
		for (j = 0; j < P->ncl; j++)
			vcov_add(V, cs + (long) j * m, m, nz, xs);
		r->hooks->release(cs);
	}
	for (a = 0; a < m; a++)
		for (b = 0; b <= a; b++)
		{
			V[a * m + b] /= (double) n * n;
			V[b * m + a] = V[a * m + b];
		}
	r->hooks->release(buf);
	r->hooks->release(nz);
	r->hooks->release(xs);
}

/*
 * Wald pre-test over the pre-treatment cells with a standard error:
 * W = a' V^-1 a with V = Var(att) (did's V / n), chi-square with as many
 * degrees of freedom as cells. have_w stays false when V is singular.
 */
void
attgt_pretest(AttgtRun *r)
{
	const AttgtHooks *h = r->hooks;
	int			q = 0,
				j,
				k;
	AttgtLin  **l = h->alloc(sizeof(AttgtLin *) * (r->ncells > 0 ? r->ncells : 1), false);
	double	   *V,
			   *a,
			   *x,
			   *work;

	for (j = 0; j < r->ncells; j++)
	{
		AttgtCell  *c = &r->cells[j];

		if (c->g > r->P->tval[c->t] && !isnan(c->se))
		{
			l[q] = attgt_lin_new(r);
			l[q]->cw[j] = 1.0;
			l[q]->att = c->att;
			q++;
		}
	}
	r->W_df = q;
	r->have_w = false;
	if (q > 0)
	{
		V = h->alloc(sizeof(double) * q * q, false);
		work = h->alloc(sizeof(double) * q * q, false);
		a = h->alloc(sizeof(double) * q, false);
		x = h->alloc(sizeof(double) * q, false);
		attgt_lin_vcov(r, l, q, V);
		for (k = 0; k < q; k++)
			a[k] = l[k]->att;
		if (linalg_spd_solve(V, q, a, x, work, 1e-12) < 0)
		{
			r->W = 0.0;
			for (k = 0; k < q; k++)
				r->W += a[k] * x[k];
			r->W_p = si_chisq_upper(r->W, q);
			r->have_w = true;
		}
		h->release(V);
		h->release(work);
		h->release(a);
		h->release(x);
	}
	for (k = 0; k < q; k++)
		attgt_lin_free(r, l[k]);
	h->release(l);
}
