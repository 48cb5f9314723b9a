/*
 * attgt_est.c — the (g,t) cells of Callaway & Sant'Anna (2021) as R did
 * 2.5.1 computes them, their influence functions (evaluated on the fly
 * from the panel arrays, never stored as an n x cells matrix), standard
 * errors, the Wald pre-test and the multiplier bootstrap.
 *
 * Influence-function scaling follows did: psi_i such that
 * se = sqrt(sum_i psi_i^2) / n, clustered se = sqrt(sum_c (sum_{i in c}
 * psi_i)^2) / n.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "attgt.h"
#include "distributions.h"
#include "linalg.h"
#include "select.h"

#define SE_ZERO (sqrt(DBL_EPSILON) * 10.0)
#define CHUNK 2048

/* role of unit i in cell c: 1 treated, -1 control, 0 not in the cell */
static inline int
cell_role(const AttgtRun *r, const AttgtCell *c, int i)
{
	int32		g = r->P->cohort[i];

	if (g == c->g)
		return 1;
	if (g == 0)
		return -1;
	if (r->opt->notyettreated && g > c->ctrl_bound)
		return -1;
	return 0;
}

int
attgt_cell_role(const AttgtRun *r, const AttgtCell *c, int i)
{
	return cell_role(r, c, i);
}

double
attgt_psi(const AttgtRun *r, const AttgtCell *c, int i)
{
	const AttgtPanel *P = r->P;
	int			role;

	if (c->is_base)
		return 0.0;
	role = cell_role(r, c, i);
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
		double	   *cs = palloc0(sizeof(double) * P->ncl);

		for (i = 0; i < P->n; i++)
			cs[P->cl[i]] += psi[i];
		for (i = 0; i < P->ncl; i++)
			s += cs[i] * cs[i];
		pfree(cs);
	}
	return sqrt(s) / P->n;
}

/* ---- cells ---- */

static void
estimate_nocov(AttgtRun *r, AttgtCell *c)
{
	const AttgtPanel *P = r->P;
	double		sy[2][2] = {{0}},
				sw[2][2] = {{0}};
	int			i,
				d,
				q;

	for (i = 0; i < P->n; i++)
	{
		int			role = cell_role(r, c, i);
		double		yt,
					yb,
					w;

		if (role == 0)
			continue;
		d = role > 0;
		yt = P->y[c->t][i];
		yb = P->y[c->b][i];
		if (isnan(yt) && isnan(yb))
			continue;
		w = P->w[i];
		if (d)
			c->n_treated++;
		else
			c->n_control++;
		if (!isnan(yt))
		{
			sy[d][1] += w * yt;
			sw[d][1] += w;
		}
		if (!isnan(yb))
		{
			sy[d][0] += w * yb;
			sw[d][0] += w;
		}
	}
	for (d = 0; d < 2; d++)
		for (q = 0; q < 2; q++)
		{
			if (!(sw[d][q] > 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cell (cohort %d, period %d) has no %s units observed in period %d",
								attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t]), d ? "treated" : "control",
								attgt_plabel(P, P->tval[q ? c->t : c->b])),
						 errhint("Every (g,t) cell needs treated and control units in its period and base period; "
								 "check the control group and the panel's coverage (see att_gt_sample).")));
			c->wsum[d][q] = sw[d][q];
			c->ybar[d][q] = sy[d][q] / sw[d][q];
		}
	c->att = (c->ybar[1][1] - c->ybar[1][0]) - (c->ybar[0][1] - c->ybar[0][0]);
}

static void
estimate_cov(AttgtRun *r, AttgtCell *c)
{
	const AttgtPanel *P = r->P;
	int			k = P->p + 1,
				n1 = 0,
				i,
				j,
				ret,
				bad;
	double	   *x,
			   *dy,
			   *d,
			   *w,
			   *work;

	for (i = 0; i < P->n; i++)
		if (cell_role(r, c, i) != 0)
			n1++;
	x = palloc(sizeof(double) * n1 * k);
	dy = palloc(sizeof(double) * n1);
	d = palloc(sizeof(double) * n1);
	w = palloc(sizeof(double) * n1);
	work = palloc(sizeof(double) * drdid_work_size(n1, k));
	n1 = 0;
	for (i = 0; i < P->n; i++)
	{
		int			role = cell_role(r, c, i);
		const double *xi;

		if (role == 0)
			continue;
		/* covariates of the earlier period of the comparison, as R did */
		xi = attgt_xrow(P, i, Min(c->t, c->b));
		x[(long) n1 * k] = 1.0;
		for (j = 0; j < P->p; j++)
			x[(long) n1 * k + 1 + j] = xi[j];
		dy[n1] = P->y[c->t][i] - P->y[c->b][i];
		d[n1] = role > 0;
		w[n1] = P->w[i];
		if (role > 0)
			c->n_treated++;
		else
			c->n_control++;
		n1++;
	}
	c->n1 = n1;
	c->fit = palloc(sizeof(DrdidFit));
	ret = drdid_panel_fit((int) r->opt->method, n1, k, x, dy, d, w, c->fit, work, &bad);
	if (ret != 0)
	{
		const char *col = (bad <= 0) ? "(intercept)" : r->opt->covariates[bad - 1];

		if (ret == 4)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cell (cohort %d, period %d) has no %s units",
							attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t]), c->n_treated ? "control" : "treated"),
					 errhint("Check the control group and the cohorts (see att_gt_sample).")));
		if (ret == 3)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("propensity score for cell (cohort %d, period %d) did not converge",
							attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t])),
					 errhint("The covariates may separate treated and control units perfectly; "
							 "use fewer covariates or est_method 'reg'.")));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariate \"%s\" is collinear in cell (cohort %d, period %d) (%s)",
						col, attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t]),
						ret == 1 ? "outcome regression on the control units" : "propensity score"),
				 errhint("The covariate does not vary (or is a combination of the others) among the units of this cell; "
						 "drop it from covariates.")));
	}
	c->att = c->fit->att;
	pfree(x);
	pfree(dy);
	pfree(d);
	pfree(w);
	pfree(work);
}

/*
 * Covariates on an unbalanced panel: as R did with allow_unbalanced_panel,
 * the cell is a repeated cross section of the rows of its period (post) and
 * base period (pre) of the treated and control units, estimated with
 * DRDID's reg_did_rc / std_ipw_did_rc / drdid_rc; attgt_psi sums the row
 * influence functions per unit and scales by n / rows.
 */
static void
estimate_cov_rc(AttgtRun *r, AttgtCell *c)
{
	const AttgtPanel *P = r->P;
	int			k = P->p + 1,
				nr = 0,
				i,
				j,
				q,
				ret,
				bad;
	double	   *x,
			   *y,
			   *post,
			   *d,
			   *w,
			   *work;
	static const char *const regname[4] = {
		"outcome regression on the control units in the base period",
		"outcome regression on the control units in the period",
		"outcome regression on the treated units in the base period",
		"outcome regression on the treated units in the period"
	};

	for (i = 0; i < P->n; i++)
		if (cell_role(r, c, i) != 0)
			for (q = 0; q < 2; q++)
				if (!isnan(P->y[q ? c->t : c->b][i]))
					nr++;
	x = palloc(sizeof(double) * Max(nr, 1) * k);
	y = palloc(sizeof(double) * Max(nr, 1));
	post = palloc(sizeof(double) * Max(nr, 1));
	d = palloc(sizeof(double) * Max(nr, 1));
	w = palloc(sizeof(double) * Max(nr, 1));
	work = palloc(sizeof(double) * drdid_rc_work_size(Max(nr, 1), k));
	nr = 0;
	for (i = 0; i < P->n; i++)
	{
		int			role = cell_role(r, c, i);
		bool		any = false;

		if (role == 0)
			continue;
		for (q = 0; q < 2; q++)
		{
			double		yv = P->y[q ? c->t : c->b][i];

			if (isnan(yv))
				continue;
			any = true;
			/* each row's own covariates, as R did */
			x[(long) nr * k] = 1.0;
			for (j = 0; j < P->p; j++)
				x[(long) nr * k + 1 + j] = attgt_xrow(P, i, q ? c->t : c->b)[j];
			y[nr] = yv;
			post[nr] = q;
			d[nr] = role > 0;
			w[nr] = P->w[i];
			nr++;
		}
		if (!any)
			continue;
		if (role > 0)
			c->n_treated++;
		else
			c->n_control++;
	}
	c->n1 = nr;
	c->rcfit = palloc(sizeof(DrdidRcFit));
	ret = drdid_rc_fit((int) r->opt->method, nr, k, x, y, post, d, w, c->rcfit, work, &bad);
	if (ret != 0)
	{
		const char *col = (bad <= 0) ? "(intercept)" : r->opt->covariates[bad - 1];
		int			br = c->rcfit->bad_reg;

		if (ret == 4)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cell (cohort %d, period %d) has no %s units observed in period %d",
							attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t]), (br >= 2) ? "treated" : "control",
							attgt_plabel(P, P->tval[(br % 2) ? c->t : c->b])),
					 errhint("Every (g,t) cell needs treated and control units in its period and base period; "
							 "check the control group and the panel's coverage (see att_gt_sample).")));
		if (ret == 5)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cell (cohort %d, period %d): every control row of a period has a propensity score >= 0.995 (trimmed)",
							attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t])),
					 errhint("Treated and control units do not overlap in the covariates; "
							 "use fewer covariates or est_method 'reg'.")));
		if (ret == 3)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("propensity score for cell (cohort %d, period %d) did not converge",
							attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t])),
					 errhint("The covariates may separate treated and control units perfectly; "
							 "use fewer covariates or est_method 'reg'.")));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariate \"%s\" is collinear in cell (cohort %d, period %d) (%s)",
						col, attgt_plabel(P, c->g), attgt_plabel(P, P->tval[c->t]),
						ret == 1 ? regname[br] : "propensity score"),
				 errhint("The covariate does not vary (or is a combination of the others) among the units of this cell; "
						 "drop it from covariates.")));
	}
	c->att = c->rcfit->att;
	pfree(x);
	pfree(y);
	pfree(post);
	pfree(d);
	pfree(w);
	pfree(work);
}

static int
cmp_i32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a,
				y = *(const int32 *) b;

	return (x > y) - (x < y);
}

int
attgt_gidx(const AttgtRun *r, int32 g)
{
	int			lo = 0,
				hi = r->ng - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (r->glist[mid] == g)
			return mid;
		if (r->glist[mid] < g)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

AttgtRun *
attgt_estimate(AttgtOptions *opt)
{
	AttgtRun   *r = palloc0(sizeof(AttgtRun));
	AttgtPanel *P = attgt_read_panel(opt);
	int			i,
				gi,
				t,
				nc = 0,
				ng = 0;
	double	   *psi;
	int32	   *gl;

	r->opt = opt;
	r->P = P;
	/* as R did warns: say what was recoded or dropped (att_gt_sample lists it) */
	if (P->units_always > 0)
		ereport(NOTICE,
				(errmsg("att_gt: dropped %d units already treated in the first period (cohort <= %d + anticipation)",
						P->units_always, attgt_plabel(P, P->tval[0])),
				 errhint("att_gt_sample() lists every unit dropped or recoded.")));
	if (P->units_last_as_control > 0)
		ereport(NOTICE,
				(errmsg("att_gt: no never-treated units; the last cohort (%d units) serves as control only; periods from its start on are dropped (%d)",
						P->units_last_as_control, P->periods_dropped)));
	if (P->units_late > 0)
		ereport(NOTICE,
				(errmsg("att_gt: %d units first treated after the last period are used as never treated",
						P->units_late)));

	/* cohorts, sorted and distinct */
	gl = palloc(sizeof(int32) * P->n);
	for (i = 0; i < P->n; i++)
		if (P->cohort[i] != 0)
			gl[ng++] = P->cohort[i];
	if (ng == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no unit is treated within the panel's periods"),
				 errhint("The cohort column gives the first treated period; 0 or NULL means never treated.")));
	qsort(gl, ng, sizeof(int32), cmp_i32);
	{
		int			m = 1;

		for (i = 1; i < ng; i++)
			if (gl[i] != gl[m - 1])
				gl[m++] = gl[i];
		ng = m;
	}
	r->glist = gl;
	r->ng = ng;
	r->pgg = palloc0(sizeof(double) * ng);
	for (i = 0; i < P->n; i++)
		if (P->cohort[i] != 0)
			r->pgg[attgt_gidx(r, P->cohort[i])] += P->w[i];
	for (gi = 0; gi < ng; gi++)
		r->pgg[gi] /= P->n;

	/* the cells, in did's order: cohort, then period */
	r->cells = palloc0(sizeof(AttgtCell) * ng * P->T);
	for (gi = 0; gi < ng; gi++)
	{
		int32		g = gl[gi];
		int			pre = -1;

		for (t = 0; t < P->T; t++)
			if (P->tval[t] + opt->anticipation < g)
				pre = t;
		if (pre < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cohort %d is never observed before its treatment starts", attgt_plabel(P, g)),
					 errhint("Every cohort needs a period before g - anticipation (%d) as its base period.",
							 opt->anticipation)));
		for (t = opt->universal ? 0 : 1; t < P->T; t++)
		{
			AttgtCell  *c = &r->cells[nc++];

			c->g = g;
			c->t = t;
			c->post = (g <= P->tval[t]);
			if (opt->universal)
				c->b = pre;
			else
				c->b = c->post ? pre : t - 1;
			c->is_base = opt->universal && t == c->b;
			c->ctrl_bound = P->tval[Max(t, c->b)] + opt->anticipation;
			c->se = NAN;
		}
	}
	r->ncells = nc;

	psi = palloc(sizeof(double) * P->n);
	for (i = 0; i < nc; i++)
	{
		AttgtCell  *c = &r->cells[i];
		int			u;

		CHECK_FOR_INTERRUPTS();
		if (c->is_base)
		{
			c->att = 0.0;
			continue;
		}
		if (P->p == 0)
			estimate_nocov(r, c);
		else if (P->balanced)
			estimate_cov(r, c);
		else
			estimate_cov_rc(r, c);
		for (u = 0; u < P->n; u++)
			psi[u] = attgt_psi(r, c, u);
		c->se = attgt_se_of(r, psi);
		if (c->se <= SE_ZERO)
			c->se = NAN;
	}
	pfree(psi);
	r->crit = si_norm_quantile(1.0 - opt->alpha / 2.0);
	attgt_unbalanced_notice(r);
	return r;
}

/* ---- linear functionals of the cell influence functions ---- */

AttgtLin *
attgt_lin_new(const AttgtRun *r)
{
	AttgtLin   *l = palloc0(sizeof(AttgtLin));

	l->cw = palloc0(sizeof(double) * r->ncells);
	l->gc = palloc0(sizeof(double) * r->ng);
	return l;
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
attgt_lin_add_wif(AttgtLin *l, const AttgtRun *r, int nk, const int32 *kg,
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

/* psi of a functional for units [i0, i1): out[(i - i0) * stride] */
static void
lin_eval(const AttgtRun *r, const AttgtLin *l, int i0, int i1, double *out, int stride)
{
	const AttgtPanel *P = r->P;
	int			i,
				j;

	for (i = i0; i < i1; i++)
	{
		int32		g = P->cohort[i];
		double		s = 0.0;

		if (g != 0)
		{
			int			gi = attgt_gidx(r, g);

			s = P->w[i] * l->gc[gi];
		}
		out[(long) (i - i0) * stride] = s;
	}
	for (j = 0; j < r->ncells; j++)
	{
		const AttgtCell *c = &r->cells[j];
		double		a = l->cw[j];

		if (a == 0.0 || c->is_base)
			continue;
		for (i = i0; i < i1; i++)
			out[(long) (i - i0) * stride] += a * attgt_psi(r, c, i);
	}
}

double
attgt_lin_se(const AttgtRun *r, const AttgtLin *l)
{
	double	   *psi = palloc(sizeof(double) * r->P->n);
	double		se;

	lin_eval(r, l, 0, r->P->n, psi, 1);
	se = attgt_se_of(r, psi);
	pfree(psi);
	return se;
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
	double	   *buf = palloc(sizeof(double) * CHUNK * m);
	double	   *cs = NULL;

	memset(V, 0, sizeof(double) * m * m);
	if (P->cl)
		cs = palloc0(sizeof(double) * P->ncl * m);
	for (i0 = 0; i0 < n; i0 += CHUNK)
	{
		int			i1 = Min(n, i0 + CHUNK);

		CHECK_FOR_INTERRUPTS();
		for (j = 0; j < m; j++)
			lin_eval(r, l[j], i0, i1, buf + j, m);
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
				for (a = 0; a < m; a++)
					for (b = 0; b <= a; b++)
						V[a * m + b] += row[a] * row[b];
		}
	}
	if (cs)
	{
		for (j = 0; j < P->ncl; j++)
		{
			double	   *row = cs + (long) j * m;

			for (a = 0; a < m; a++)
				for (b = 0; b <= a; b++)
					V[a * m + b] += row[a] * row[b];
		}
		pfree(cs);
	}
	for (a = 0; a < m; a++)
		for (b = 0; b <= a; b++)
		{
			V[a * m + b] /= (double) n * n;
			V[b * m + a] = V[a * m + b];
		}
	pfree(buf);
}

/* ---- Wald pre-test ---- */

void
attgt_pretest(AttgtRun *r)
{
	int			q = 0,
				j,
				k;
	AttgtLin  **l = palloc(sizeof(AttgtLin *) * r->ncells);
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
	if (q == 0)
		return;
	V = palloc(sizeof(double) * q * q);
	work = palloc(sizeof(double) * q * q);
	a = palloc(sizeof(double) * q);
	x = palloc(sizeof(double) * q);
	attgt_lin_vcov(r, l, q, V);
	for (k = 0; k < q; k++)
		a[k] = l[k]->att;
	/* V here is Var(att) = did's V / n, so W = a' V^-1 a */
	if (linalg_spd_solve(V, q, a, x, work, 1e-12) >= 0)
		return;
	r->W = 0.0;
	for (k = 0; k < q; k++)
		r->W += a[k] * x[k];
	r->W_p = si_chisq_upper(r->W, q);
	r->have_w = true;
}

/* ---- multiplier bootstrap (did's mboot, Rademacher weights) ---- */

static inline uint64
splitmix64(uint64 x)
{
	x += UINT64CONST(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

/*
 * Rademacher draws: draw b for unit (or cluster) j is bit b % 16 of a
 * SplitMix64 hash of (seed, b / 16, j), so one hash serves 16 draws and
 * the draws do not depend on row order or on the code path.
 */
#define BOOT_BATCH 16

static inline uint32
draw_bits(uint64 seed, int batch, int j)
{
	return (uint32) (splitmix64(seed ^ splitmix64(((uint64) batch << 32) | (uint32) j)) >> 48);
}

static inline double
rademacher(uint64 seed, int b, int j)
{
	return ((draw_bits(seed, b / BOOT_BATCH, j) >> (b % BOOT_BATCH)) & 1) ? 1.0 : -1.0;
}

/*
 * Inner kernels of the fast bootstrap: acc[p][b] += sg[b] * y[p][i] over
 * the periods, for one unit or two units of the same cohort. Compiled
 * for AVX2 as well where GCC can dispatch at run time.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define SI_CLONES __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define SI_CLONES
#endif

/* acc[p][b] += sg[b] * yrow[p] over the periods (yrow: one unit, unit-major) */
SI_CLONES static void
boot_acc1(double *restrict a, const double *restrict sg, const double *restrict yrow, int T)
{
	int			p,
				b;

	for (p = 0; p < T; p++)
	{
		double		yv = yrow[p];
		double	   *restrict ap = a + p * 16;

		for (b = 0; b < 16; b++)
			ap[b] += sg[b] * yv;
	}
}

/* the same for four units of one cohort */
SI_CLONES static void
boot_acc4(double *restrict a, const double *restrict sg4,
		  const double *restrict y1, const double *restrict y2,
		  const double *restrict y3, const double *restrict y4, int T)
{
	int			p,
				b;

	for (p = 0; p < T; p++)
	{
		double		v1 = y1[p],
					v2 = y2[p],
					v3 = y3[p],
					v4 = y4[p];
		double	   *restrict ap = a + p * 16;

		for (b = 0; b < 16; b++)
			ap[b] += sg4[b] * v1 + sg4[16 + b] * v2 + sg4[32 + b] * v3 + sg4[48 + b] * v4;
	}
}

/*
 * Fast bootstrap without covariates: a cell's psi is linear in the
 * outcomes, so sum_i m_i psi_ic needs only, per cohort bucket k and period
 * p, A = sum m_i w_i y_ip and N = sum m_i w_i 1{observed} (and M = sum
 * m_i w_i for the cohort-share term). Units are taken in chunks whose
 * outcomes are transposed into a small unit-major buffer once; every batch
 * of 16 draws then accumulates from that buffer, so the panel is read
 * once per group of batches. bres is B x m (unscaled sums). The
 * accumulators of as many batches as fit in accmem bytes (at least one)
 * are kept at a time; the sums of one batch do not depend on the group.
 */
#define BOOT_CHUNK 256
#define BOOT_MEM (64L * 1024 * 1024)

/* bytes of the fast path's accumulators (and cluster draw bits) per batch */
static double
boot_fast_batch_bytes(const AttgtRun *r)
{
	const AttgtPanel *P = r->P;
	double		nb = r->ng + 1;

	return sizeof(double) * nb * P->T * BOOT_BATCH * (P->balanced ? 1 : 2) +
		sizeof(double) * nb * BOOT_BATCH +
		(P->cl ? sizeof(uint32) * (double) P->ncl : 0.0);
}

/* bytes of the fast path that do not depend on the draws */
static double
boot_fast_fixed_bytes(const AttgtRun *r)
{
	const AttgtPanel *P = r->P;

	return sizeof(int16) * (double) P->n + sizeof(double) * BOOT_CHUNK * (double) P->T +
		sizeof(int) * (BOOT_CHUNK + r->ng + 2.0) + (sizeof(double) + sizeof(bool)) * (r->ng + 1.0) +
		sizeof(double) * (double) r->ncells + (P->cl ? sizeof(double) * (double) P->ncl : 0.0);
}

/*
 * memset of a large block a megabyte at a time: touching hundreds of
 * megabytes for the first time takes long enough to delay a cancel.
 */
static void
boot_zero(void *p, Size bytes)
{
	char	   *c = p;

	while (bytes > 0)
	{
		Size		n = Min(bytes, (Size) 1024 * 1024);

		CHECK_FOR_INTERRUPTS();
		memset(c, 0, n);
		c += n;
		bytes -= n;
	}
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
static void
boot_fast(const AttgtRun *r, AttgtLin **l, int m, double *bres, double accmem)
{
	const AttgtPanel *P = r->P;
	int			B = r->opt->bootstrap,
				n = P->n,
				T = P->T,
				nb = r->ng + 1,
				nbatch = (B + BOOT_BATCH - 1) / BOOT_BATCH,
				i,
				i0,
				j,
				b,
				p,
				k,
				bb;
	long		accsz = (long) nb * T * BOOT_BATCH;
	uint64		seed = (uint64) r->opt->seed;
	int16	   *bucket = palloc(sizeof(int16) * n);
	/* accumulators for as many batches as fit in accmem; more groups = more passes */
	int			gsize = (int) Max(1.0, Min((double) nbatch, floor(accmem / boot_fast_batch_bytes(r))));
	int			g0,
				g1;
	double	   *acc = palloc_extended(sizeof(double) * accsz * gsize, MCXT_ALLOC_HUGE);
	double	   *accn = P->balanced ? NULL : palloc_extended(sizeof(double) * accsz * gsize, MCXT_ALLOC_HUGE);
	double	   *accm = palloc(sizeof(double) * nb * BOOT_BATCH * gsize);
	double	   *buf = palloc(sizeof(double) * BOOT_CHUNK * T);
	int		   *order = palloc(sizeof(int) * BOOT_CHUNK);
	int		   *bstart = palloc(sizeof(int) * (nb + 1));
	double	   *cellv = palloc(sizeof(double) * r->ncells);
	double	   *cn = NULL;
	uint32	   *cbits = NULL;
	int		   *nnz = palloc(sizeof(int) * m);
	int		  **ci = palloc(sizeof(int *) * m);
	double	  **cwt = palloc(sizeof(double *) * m);
	bool	   *ctrl = palloc(sizeof(bool) * nb);

	for (i = 0; i < n; i++)
		bucket[i] = P->cohort[i] == 0 ? 0 : attgt_gidx(r, P->cohort[i]) + 1;
	for (j = 0; j < m; j++)
	{
		int			cnt = 0;

		for (k = 0; k < r->ncells; k++)
			if (l[j]->cw[k] != 0.0 && !r->cells[k].is_base)
				cnt++;
		ci[j] = palloc(sizeof(int) * Max(cnt, 1));
		cwt[j] = palloc(sizeof(double) * Max(cnt, 1));
		nnz[j] = 0;
		for (k = 0; k < r->ncells; k++)
			if (l[j]->cw[k] != 0.0 && !r->cells[k].is_base)
			{
				ci[j][nnz[j]] = k;
				cwt[j][nnz[j]++] = l[j]->cw[k];
			}
	}
	if (P->cl)
	{
		cn = palloc0(sizeof(double) * P->ncl);
		cbits = palloc_extended(sizeof(uint32) * P->ncl * gsize, MCXT_ALLOC_HUGE);
		for (i = 0; i < n; i++)
			cn[P->cl[i]] += 1.0;
	}
	for (g0 = 0; g0 < nbatch; g0 = g1)
	{
		g1 = Min(nbatch, g0 + gsize);
		boot_zero(acc, sizeof(double) * accsz * gsize);
		if (accn)
			boot_zero(accn, sizeof(double) * accsz * gsize);
		boot_zero(accm, sizeof(double) * nb * BOOT_BATCH * gsize);
		if (cbits)
			for (bb = g0; bb < g1; bb++)
			{
				CHECK_FOR_INTERRUPTS();
				for (j = 0; j < P->ncl; j++)
					cbits[(long) (bb - g0) * P->ncl + j] = draw_bits(seed, bb, j);
			}
		for (i0 = 0; i0 < n; i0 += BOOT_CHUNK)
		{
			int			i1 = Min(n, i0 + BOOT_CHUNK);

			CHECK_FOR_INTERRUPTS();
			for (p = 0; p < T; p++)
			{
				const double *col = P->y[p];

				for (i = i0; i < i1; i++)
					buf[(long) (i - i0) * T + p] = col[i];
			}
			/* the chunk's units ordered by cohort bucket (counting sort) */
			{
				memset(bstart, 0, sizeof(int) * (nb + 1));
				for (i = i0; i < i1; i++)
					bstart[bucket[i] + 1]++;
				for (k = 0; k < nb; k++)
					bstart[k + 1] += bstart[k];
				for (i = i0; i < i1; i++)
					order[bstart[bucket[i]]++] = i;
			}
			for (bb = g0; bb < g1; bb++)
			{
				double	   *accb = acc + accsz * (bb - g0);
				double	   *accmb = accm + (long) nb * BOOT_BATCH * (bb - g0);

				/* one batch of one chunk is short; a group of batches is not */
				CHECK_FOR_INTERRUPTS();
				for (j = 0; j < i1 - i0; j++)
				{
					int			u[4],
								nu = 1,
								q;
					double		sg[4 * BOOT_BATCH];
					double	   *a,
							   *am;

					u[0] = order[j];
					/* up to four units of the same cohort share one pass over acc */
					while (accn == NULL && nu < 4 && j + 1 < i1 - i0 &&
						   bucket[order[j + 1]] == bucket[u[0]])
						u[nu++] = order[++j];
					a = accb + (long) bucket[u[0]] * T * BOOT_BATCH;
					am = accmb + bucket[u[0]] * BOOT_BATCH;
					for (q = 0; q < nu; q++)
					{
						int			iu = u[q];
						uint32		bits = cbits ? cbits[(long) (bb - g0) * P->ncl + P->cl[iu]] : draw_bits(seed, bb, iu);
						double		sc = P->w[iu] * (cn ? 1.0 / cn[P->cl[iu]] : 1.0);

						for (b = 0; b < BOOT_BATCH; b++)
						{
							sg[q * BOOT_BATCH + b] = ((bits >> b) & 1) ? sc : -sc;
							am[b] += sg[q * BOOT_BATCH + b];
						}
					}
					if (nu == 4)
						boot_acc4(a, sg, buf + (long) (u[0] - i0) * T, buf + (long) (u[1] - i0) * T,
								  buf + (long) (u[2] - i0) * T, buf + (long) (u[3] - i0) * T, T);
					else if (accn == NULL)
					{
						for (q = 0; q < nu; q++)
							boot_acc1(a, sg + q * BOOT_BATCH, buf + (long) (u[q] - i0) * T, T);
					}
					else
					{
						double	   *an = accn + accsz * (bb - g0) + (long) bucket[u[0]] * T * BOOT_BATCH;
						const double *yrow = buf + (long) (u[0] - i0) * T;

						for (p = 0; p < T; p++)
						{
							double		yv = yrow[p];
							double	   *ap = a + p * BOOT_BATCH;
							double	   *anp = an + p * BOOT_BATCH;

							if (isnan(yv))
								continue;
							for (b = 0; b < BOOT_BATCH; b++)
							{
								ap[b] += sg[b] * yv;
								anp[b] += sg[b];
							}
						}
					}
				}
			}
		}
		for (bb = g0; bb < g1; bb++)
		{
			int			nbat = Min(BOOT_BATCH, B - bb * BOOT_BATCH);
			double	   *accb = acc + accsz * (bb - g0);
			double	   *accnb = accn ? accn + accsz * (bb - g0) : NULL;
			double	   *accmb = accm + (long) nb * BOOT_BATCH * (bb - g0);

			CHECK_FOR_INTERRUPTS();
			for (b = 0; b < nbat; b++)
			{
				double	   *br = bres + (long) (bb * BOOT_BATCH + b) * m;

				for (k = 0; k < r->ncells; k++)
				{
					const AttgtCell *c = &r->cells[k];
					int			d,
								q,
								kk;
					double		v = 0.0;

					if (c->is_base)
					{
						cellv[k] = 0.0;
						continue;
					}
					for (kk = 0; kk < nb; kk++)
						ctrl[kk] = (kk == 0) ||
							(r->opt->notyettreated && r->glist[kk - 1] > c->ctrl_bound &&
							 r->glist[kk - 1] != c->g);
					for (d = 0; d < 2; d++)
						for (q = 0; q < 2; q++)
						{
							int			per = q ? c->t : c->b;
							double		sa = 0.0,
										sn = 0.0;

							for (kk = 0; kk < nb; kk++)
							{
								bool		in = d ? (kk > 0 && r->glist[kk - 1] == c->g) : ctrl[kk];

								if (!in)
									continue;
								sa += accb[((long) kk * T + per) * BOOT_BATCH + b];
								sn += accnb ? accnb[((long) kk * T + per) * BOOT_BATCH + b]
									: accmb[kk * BOOT_BATCH + b];
							}
							/* sign: treated post +, treated base -, control post -, control base + */
							v += ((d == q) ? 1.0 : -1.0) * (sa - c->ybar[d][q] * sn) / c->wsum[d][q];
						}
					cellv[k] = (double) n * v;
				}
				for (j = 0; j < m; j++)
				{
					double		sum = 0.0;
					int			kk;

					for (k = 0; k < nnz[j]; k++)
						sum += cwt[j][k] * cellv[ci[j][k]];
					for (kk = 1; kk < nb; kk++)
						sum += l[j]->gc[kk - 1] * accmb[kk * BOOT_BATCH + b];
					br[j] = sum;
				}
			}
		}
	}							/* batch groups */
}

/* R's quantile(type = 1): the order statistic it picks, 0-based */
static int
quantile_type1_index(int nb, double p)
{
	double		np = nb * p;
	int			j = (int) floor(np + 4 * DBL_EPSILON);

	if (np > j + 4 * DBL_EPSILON)
		j = j + 1;
	if (j < 1)
		j = 1;
	if (j > nb)
		j = nb;
	return j - 1;
}

/* R's quantile(type = 1) of x[0..nb) (x is reordered) */
static double
quantile_type1(double *x, int nb, double p)
{
	return si_select_kth(x, nb, quantile_type1_index(nb, p));
}

/*
 * Memory plan of the bootstrap. The draws of a functional (B doubles) are
 * needed whole for its IQR and for the maximum t over functionals, so the
 * B x m matrix of draws is the large part. When it does not fit in
 * work_mem together with the rest, the functionals are taken in blocks of
 * `block`, and the draws are generated twice from the seed (once for the
 * standard errors, once for the maximum t): the same numbers, twice the
 * time. Sizes are estimated in double precision (no integer overflow).
 */
typedef struct BootPlan
{
	bool		fast;
	int			block;			/* functionals per block */
	double		accmem;			/* bytes for the fast path's accumulators */
	double		onepass;		/* bytes needed to draw everything in one pass */
} BootPlan;

static BootPlan
boot_plan(const AttgtRun *r, int m, bool own_lins)
{
	const AttgtPanel *P = r->P;
	double		B = r->opt->bootstrap;
	double		limit = (double) work_mem * 1024.0;
	double		fixed,
				percol,
				batch = 0.0,
				nbatch = ceil(B / BOOT_BATCH),
				avail;
	BootPlan	plan;

	plan.fast = (P->p == 0 && r->ng < 32000);
	/* sorted copy of one column, the maximum t per draw, sigma and se */
	fixed = 2.0 * sizeof(double) * B + 2.0 * sizeof(double) * m;
	/* draws of one functional, and the functional itself when built here */
	percol = sizeof(double) * B + (own_lins ? sizeof(double) * (r->ncells + r->ng + 4.0) : 0.0);
	if (plan.fast)
	{
		batch = boot_fast_batch_bytes(r);
		fixed += boot_fast_fixed_bytes(r) + batch;
		percol += (sizeof(int) + sizeof(double)) * (own_lins ? 1.0 : r->ncells) + 3.0 * sizeof(void *);
	}
	else
		percol += sizeof(double) * CHUNK + (P->cl ? sizeof(double) * (double) P->ncl : 0.0);
	if (P->cl && !plan.fast)
		fixed += sizeof(int) * (double) P->ncl;
	if (fixed + percol > limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("bootstrap of %d draws needs at least %.0f kB of memory, more than work_mem (%d kB)",
						r->opt->bootstrap, ceil((fixed + percol) / 1024.0), work_mem),
				 errhint("Use fewer draws, raise work_mem for this query (SET work_mem), or bootstrap => 0 for analytical standard errors.")));
	plan.onepass = fixed + m * percol;
	avail = limit - fixed;
	plan.block = (int) Min((double) m, floor(avail / percol));
	plan.accmem = 0.0;
	if (plan.fast)
	{
		/* what the draws leave, up to BOOT_MEM, buys more batches per pass */
		double		extra = Min(avail - plan.block * percol, (double) BOOT_MEM - batch);

		plan.accmem = batch + Max(0.0, Min(extra, batch * (nbatch - 1)));
	}
	return plan;
}

/*
 * Unscaled draws (B x cnt) of the functionals l[0..cnt): sum over units
 * (clusters) of multiplier times psi. *nn is the number of units or
 * clusters.
 */
static void
boot_draws(const AttgtRun *r, AttgtLin **l, int cnt, const BootPlan *plan,
		   double *bres, double *nn)
{
	const AttgtPanel *P = r->P;
	int			B = r->opt->bootstrap,
				n = P->n,
				i0,
				b,
				j,
				i;
	uint64		seed = (uint64) r->opt->seed;
	double	   *buf;

	if (plan->fast)
	{
		boot_fast(r, l, cnt, bres, plan->accmem);
		*nn = P->cl ? P->ncl : n;
		return;
	}
	boot_zero(bres, sizeof(double) * B * cnt);
	buf = palloc(sizeof(double) * CHUNK * cnt);
	if (P->cl)
	{
		/* cluster means of psi, then multipliers per cluster */
		double	   *cm = palloc0_array(double, (Size) P->ncl * cnt);
		int		   *cn = palloc0(sizeof(int) * P->ncl);

		for (i0 = 0; i0 < n; i0 += CHUNK)
		{
			int			i1 = Min(n, i0 + CHUNK);

			for (j = 0; j < cnt; j++)
			{
				CHECK_FOR_INTERRUPTS();
				lin_eval(r, l[j], i0, i1, buf + j, cnt);
			}
			for (i = i0; i < i1; i++)
			{
				cn[P->cl[i]]++;
				for (j = 0; j < cnt; j++)
					cm[(long) P->cl[i] * cnt + j] += buf[(long) (i - i0) * cnt + j];
			}
		}
		for (b = 0; b < B; b++)
		{
			double	   *br = bres + (long) b * cnt;

			for (i = 0; i < P->ncl; i++)
			{
				double		v;

				if ((i & 1023) == 0)
					CHECK_FOR_INTERRUPTS();
				v = rademacher(seed, b, i) / cn[i];
				for (j = 0; j < cnt; j++)
					br[j] += v * cm[(long) i * cnt + j];
			}
		}
		*nn = P->ncl;
		pfree(cm);
		pfree(cn);
	}
	else
	{
		for (i0 = 0; i0 < n; i0 += CHUNK)
		{
			int			i1 = Min(n, i0 + CHUNK);

			for (j = 0; j < cnt; j++)
			{
				CHECK_FOR_INTERRUPTS();
				lin_eval(r, l[j], i0, i1, buf + j, cnt);
			}
			for (b = 0; b < B; b++)
			{
				double	   *br = bres + (long) b * cnt;

				CHECK_FOR_INTERRUPTS();
				for (i = i0; i < i1; i++)
				{
					const double *row = buf + (long) (i - i0) * cnt;

					if (rademacher(seed, b, i) > 0)
						for (j = 0; j < cnt; j++)
							br[j] += row[j];
					else
						for (j = 0; j < cnt; j++)
							br[j] -= row[j];
				}
			}
		}
		*nn = n;
	}
	pfree(buf);
}

/*
 * Check before reading any data that one column of draws fits in
 * work_mem at all (the full plan is checked again in attgt_bootstrap).
 */
void
attgt_bootstrap_check(int B)
{
	double		need = 3.0 * sizeof(double) * B;

	if (B > 0 && need > (double) work_mem * 1024.0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("bootstrap of %d draws needs at least %.0f kB of memory, more than work_mem (%d kB)",
						B, ceil(need / 1024.0), work_mem),
				 errhint("Use fewer draws, raise work_mem for this query (SET work_mem), or bootstrap => 0 for analytical standard errors.")));
}

/*
 * Bootstrap SEs of m functionals (se[m], NaN when degenerate) and the
 * uniform critical value over them: bres_b = sqrt(n) mean_i(v_bi psi_i)
 * (clustered: sqrt(G) mean_c(v_bc mean_{i in c} psi_i)), se = IQR /
 * (q.75 - q.25 of N(0,1)) / sqrt(n or G), crit = (1 - alpha) quantile of
 * max_j |bres_bj / sigma_j|, as in did::mboot. With l NULL the m = ncells
 * functionals are the cells themselves (built here, a block at a time).
 */
void
attgt_bootstrap(const AttgtRun *r, AttgtLin **l, int m, double *se, double *crit)
{
	int			B = r->opt->bootstrap,
				b,
				j,
				j0,
				pass;
	BootPlan	plan = boot_plan(r, m, l == NULL);
	MemoryContext blockcxt,
				old;
	double	   *bres = palloc_extended(sizeof(double) * B * plan.block, MCXT_ALLOC_HUGE);
	double	   *sigma = palloc(sizeof(double) * m);
	double	   *col = palloc(sizeof(double) * B);
	double	   *bt = palloc(sizeof(double) * B);
	double		nn = 1.0;
	double		iqr_n = si_norm_quantile(0.75) - si_norm_quantile(0.25);

	if (plan.block < m)
	{
		int			nblocks = (m + plan.block - 1) / plan.block;

		ereport(NOTICE,
				(errmsg("the bootstrap needs %.0f kB to draw in one pass, more than work_mem (%d kB): computing the draws in %d blocks, about %d times as long",
						ceil(plan.onepass / 1024.0), work_mem, nblocks, 2 * nblocks),
				 errhint("SET work_mem = '%.0fMB' for this query to draw them in one pass.",
						 ceil(plan.onepass / (1024.0 * 1024.0)))));
	}
	for (b = 0; b < B; b++)
		bt[b] = -INFINITY;
	blockcxt = AllocSetContextCreate(CurrentMemoryContext, "att_gt bootstrap block",
									 ALLOCSET_DEFAULT_SIZES);
	/* pass 0: standard errors (and max t when one block holds them all); pass 1: max t */
	for (pass = 0; pass < (plan.block < m ? 2 : 1); pass++)
		for (j0 = 0; j0 < m; j0 += plan.block)
		{
			int			cnt = Min(plan.block, m - j0);
			AttgtLin  **lb;

			old = MemoryContextSwitchTo(blockcxt);
			if (l)
				lb = l + j0;
			else
			{
				lb = palloc(sizeof(AttgtLin *) * cnt);
				for (j = 0; j < cnt; j++)
				{
					lb[j] = attgt_lin_new(r);
					lb[j]->cw[j0 + j] = 1.0;
				}
			}
			boot_draws(r, lb, cnt, &plan, bres, &nn);
			MemoryContextSwitchTo(old);
			MemoryContextReset(blockcxt);
			/* bres = sqrt(nn) * mean over units (clusters) = sum / sqrt(nn) */
			for (j = 0; j < cnt; j++)
			{
				double		s = sqrt(nn);

				for (b = 0; b < B; b++)
					bres[(long) b * cnt + j] /= s;
			}
			if (pass == 0)
				for (j = 0; j < cnt; j++)
				{
					double		ss = 0.0;
					int			jj = j0 + j;

					CHECK_FOR_INTERRUPTS();
					for (b = 0; b < B; b++)
					{
						col[b] = bres[(long) b * cnt + j];
						ss += col[b] * col[b];
					}
					if (!(ss > SE_ZERO))
					{
						sigma[jj] = NAN;
						se[jj] = NAN;
						continue;
					}
					sigma[jj] = (quantile_type1(col, B, 0.75) - quantile_type1(col, B, 0.25)) / iqr_n;
					if (sigma[jj] <= SE_ZERO)
						sigma[jj] = NAN;
					se[jj] = sigma[jj] / sqrt(nn);
				}
			if (pass == 1 || plan.block >= m)
			{
				CHECK_FOR_INTERRUPTS();
				for (b = 0; b < B; b++)
				{
					double		mx = bt[b];

					for (j = 0; j < cnt; j++)
						if (!isnan(sigma[j0 + j]))
						{
							double		z = fabs(bres[(long) b * cnt + j] / sigma[j0 + j]);

							if (z > mx)
								mx = z;
						}
					bt[b] = mx;
				}
			}
		}
	MemoryContextDelete(blockcxt);
	*crit = quantile_type1(bt, B, 1.0 - r->opt->alpha);
	pfree(bres);
	pfree(sigma);
	pfree(col);
	pfree(bt);
}
