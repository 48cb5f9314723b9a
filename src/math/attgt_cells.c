/*
 * attgt_cells.c — the (g,t) cells of att_gt as R did 2.5.1 forms and
 * estimates them: the cohorts and their shares, the cells in did's order
 * with their base periods and control groups, and each cell's ATT
 * (weighted means without covariates; DRDID's panel or repeated
 * cross-section estimators of src/math/drdid.c with covariates) and
 * standard error. See docs/methods.md, *Group-time average treatment
 * effects*: "Cells", "Estimator without covariates", "Covariates
 * (balanced panels)", "Covariates (unbalanced panels)".
 *
 * No postgres.h: errors come back as AttgtError for the glue
 * (src/attgt/attgt_est.c) to word; memory through r->hooks.
 */
#include "attgt_core.h"

#include <stdlib.h>
#include <string.h>

#define Min(a, b) ((a) < (b) ? (a) : (b))
#define Max(a, b) ((a) > (b) ? (a) : (b))

static void *
alloc(const AttgtRun *r, size_t bytes)
{
	return r->hooks->alloc(bytes, false);
}

static int
cell_error(AttgtError *err, AttgtErrCode code, const AttgtCell *c)
{
	memset(err, 0, sizeof(*err));
	err->code = code;
	err->cell = c;
	return code;
}

/*
 * The units of a cell (treated and controls) in panel order, shared by the
 * consecutive cells with the same cohort and the same control cohorts
 * (every cell of a cohort with never-treated controls), so a cell's loops
 * visit its own units only, in the order a loop over the whole panel
 * would: the sums and the standard error are the same bit for bit. The
 * weighted sums of a period over the treated (the control) units are the
 * same for every cell of the set that uses the period, so each is added up
 * once, when a cell first needs it.
 */
typedef struct AttgtUnitSet
{
	int32_t		g;
	int			ctrl_first;		/* cov_ctrl_first's key */
	int			n;
	int32_t    *idx;			/* units, ascending */
	uint8_t    *d;				/* 1 treated, 0 control */
	int			nd[2];			/* units per group (0 control, 1 treated) */
	int32_t    *gidx[2];		/* units of each group, ascending */
	/* per group and period: sum of w y and of w over the observed units */
	double	   *sy[2];
	double	   *sw[2];
	bool	   *have[2];
} AttgtUnitSet;

static void
uset_release(AttgtRun *r)
{
	AttgtUnitSet *U = r->uset;
	int			d;

	if (U == NULL)
		return;
	r->hooks->release(U->idx);
	r->hooks->release(U->d);
	for (d = 0; d < 2; d++)
	{
		r->hooks->release(U->gidx[d]);
		r->hooks->release(U->sy[d]);
		r->hooks->release(U->sw[d]);
		r->hooks->release(U->have[d]);
	}
	r->hooks->release(U);
	r->uset = NULL;
}

static int	cov_ctrl_first(const AttgtRun *r, const AttgtCell *c);

/* the role of each bucket (attgt_cell_role's value for its units) */
static void
cell_bucket_roles(const AttgtRun *r, const AttgtCell *c, int8_t *role)
{
	int			k;

	for (k = 0; k <= r->ng; k++)
		role[k] = attgt_bucket_role(r, c, k);
}

static AttgtUnitSet *
uset_get(AttgtRun *r, const AttgtCell *c)
{
	const AttgtPanel *P = r->P;
	AttgtUnitSet *U = r->uset;
	int			ctrl_first = cov_ctrl_first(r, c),
				i,
				d,
				m = 0;
	int8_t	   *role;

	if (U != NULL && U->g == c->g && U->ctrl_first == ctrl_first)
		return U;
	if (U == NULL)
	{
		U = r->hooks->alloc(sizeof(AttgtUnitSet), true);
		U->idx = alloc(r, sizeof(int32_t) * Max(P->n, 1));
		U->d = alloc(r, sizeof(uint8_t) * Max(P->n, 1));
		for (d = 0; d < 2; d++)
		{
			U->gidx[d] = alloc(r, sizeof(int32_t) * Max(P->n, 1));
			U->sy[d] = alloc(r, sizeof(double) * P->T);
			U->sw[d] = alloc(r, sizeof(double) * P->T);
			U->have[d] = alloc(r, sizeof(bool) * P->T);
		}
		r->uset = U;
	}
	U->g = c->g;
	U->ctrl_first = ctrl_first;
	role = alloc(r, sizeof(int8_t) * (r->ng + 1));
	cell_bucket_roles(r, c, role);
	U->nd[0] = U->nd[1] = 0;
	for (i = 0; i < P->n; i++)
	{
		int			ro = role[r->bucket[i]];

		if (ro == 0)
			continue;
		d = ro > 0;
		U->idx[m] = i;
		U->d[m] = d;
		U->gidx[d][U->nd[d]++] = i;
		m++;
	}
	U->n = m;
	for (d = 0; d < 2; d++)
		memset(U->have[d], 0, sizeof(bool) * P->T);
	r->hooks->release(role);
	return U;
}

/* the sums of group d in period t (in panel order, as one loop over the cell) */
static void
uset_sums(const AttgtRun *r, AttgtUnitSet *U, int d, int t, double *sy, double *sw)
{
	if (!U->have[d][t])
	{
		const double *yv = r->P->y[t],
				   *wv = r->P->w;
		const int32_t *ix = U->gidx[d];
		double		a = 0.0,
					b = 0.0;
		int			u;

		for (u = 0; u < U->nd[d]; u++)
		{
			int			i = ix[u];

			if (!isnan(yv[i]))
			{
				a += wv[i] * yv[i];
				b += wv[i];
			}
		}
		U->sy[d][t] = a;
		U->sw[d][t] = b;
		U->have[d][t] = true;
	}
	*sy = U->sy[d][t];
	*sw = U->sw[d][t];
}

/*
 * Standard error of a cell from its units' influence functions, added in
 * panel order (units outside the cell have psi 0 and add nothing): what
 * attgt_se_of gives on the full vector.
 */
typedef struct SeAcc
{
	double		s;
	double	   *cs;				/* clustered: sums per cluster */
} SeAcc;

static void
se_acc_init(const AttgtRun *r, SeAcc *a)
{
	a->s = 0.0;
	a->cs = r->P->cl ? r->hooks->alloc(sizeof(double) * r->P->ncl, true) : NULL;
}

static inline void
se_acc_add(const AttgtPanel *P, SeAcc *a, int i, double psi)
{
	if (a->cs)
		a->cs[P->cl[i]] += psi;
	else
		a->s += psi * psi;
}

static double
se_acc_finish(const AttgtRun *r, SeAcc *a)
{
	const AttgtPanel *P = r->P;
	int			j;

	if (a->cs)
	{
		for (j = 0; j < P->ncl; j++)
			a->s += a->cs[j] * a->cs[j];
		r->hooks->release(a->cs);
		a->cs = NULL;
	}
	return sqrt(a->s) / P->n;
}

/*
 * Without covariates: the four weighted means over the cell's units, then
 * each unit's psi (attgt_psi's formula) into the standard error.
 */
static int
estimate_nocov(AttgtRun *r, AttgtCell *c, AttgtError *err, double *se)
{
	const AttgtPanel *P = r->P;
	AttgtUnitSet *U = uset_get(r, c);
	const double *ytc = P->y[c->t],
			   *ybc = P->y[c->b],
			   *wv = P->w;
	double		sy[2][2],
				sw[2][2],
				nn = (double) P->n;
	int			u,
				d,
				q;
	SeAcc		acc;

	/* units observed in the period or the base period */
	if (P->balanced)
	{
		c->n_treated = U->nd[1];
		c->n_control = U->nd[0];
	}
	else
		for (u = 0; u < U->n; u++)
		{
			int			i = U->idx[u];

			if (isnan(ytc[i]) && isnan(ybc[i]))
				continue;
			if (U->d[u])
				c->n_treated++;
			else
				c->n_control++;
		}
	for (d = 0; d < 2; d++)
		for (q = 0; q < 2; q++)
			uset_sums(r, U, d, q ? c->t : c->b, &sy[d][q], &sw[d][q]);
	for (d = 0; d < 2; d++)
		for (q = 0; q < 2; q++)
		{
			if (!(sw[d][q] > 0))
			{
				cell_error(err, ATTGT_ERR_EMPTY_PERIOD, c);
				err->d = d;
				err->period = q ? c->t : c->b;
				return err->code;
			}
			c->wsum[d][q] = sw[d][q];
			c->ybar[d][q] = sy[d][q] / sw[d][q];
		}
	c->att = (c->ybar[1][1] - c->ybar[1][0]) - (c->ybar[0][1] - c->ybar[0][0]);

	/* attgt_psi of each unit, into the standard error */
	{
		const int32_t *idx = U->idx;
		const uint8_t *dv = U->d;
		double		ybt[2] = {c->ybar[0][1], c->ybar[1][1]},
					ybb[2] = {c->ybar[0][0], c->ybar[1][0]},
					wst[2] = {c->wsum[0][1], c->wsum[1][1]},
					wsb[2] = {c->wsum[0][0], c->wsum[1][0]},
					ss = 0.0;

		se_acc_init(r, &acc);
		for (u = 0; u < U->n; u++)
		{
			int			i = idx[u],
						di = dv[u];
			double		yt = ytc[i],
						yb = ybc[i],
						s = 0.0,
						psi;

			if (!isnan(yt))
				s += wv[i] * (yt - ybt[di]) / wst[di];
			if (!isnan(yb))
				s -= wv[i] * (yb - ybb[di]) / wsb[di];
			psi = nn * (di ? s : -s);
			if (acc.cs)
				acc.cs[P->cl[i]] += psi;
			else
				ss += psi * psi;
		}
		acc.s = ss;
		*se = se_acc_finish(r, &acc);
	}
	return ATTGT_OK;
}

/* a DRDID return code (1, 2, 3; 4 and 5 are handled by the callers) */
static int
drdid_error(AttgtError *err, const AttgtCell *c, int ret, int bad)
{
	cell_error(err, ret == 3 ? ATTGT_ERR_PS_NOCONV : ATTGT_ERR_COLLINEAR, c);
	err->drdid_code = ret;
	err->bad_col = bad;
	return err->code;
}

/*
 * Covariates on a balanced panel. A cell's DRDID fit depends on its
 * outcome changes only through the outcome regression's right-hand side
 * and the moments; everything else (the units, their covariate rows and
 * weights, the controls' (X'WX)^-1, the propensity-score logit, its
 * Hessian and each unit's score) is the cell's design, which is the same
 * for every cell with the same cohort, the same control units and the
 * same covariate period. With never-treated controls and covariates
 * fixed within units that is every cell of a cohort; with not-yet-treated
 * controls the cells of a cohort between two cohorts' starts. did orders
 * the cells by cohort and period, so the design of the last cell is kept
 * (r->cov) and reused by the next cell while the key matches: the fits
 * are the ones drdid_panel_fit gives on the cell's rows, bit for bit.
 */
typedef struct AttgtCovDesign
{
	/* key: cohort, first control cohort (not-yet-treated), covariate period */
	int32_t		g;
	int			ctrl_first;
	int			xper;
	int			ret;			/* drdid_panel_design's code */
	int			bad;
	int			n1;
	int			n_treated;
	int			n_control;
	int32_t    *idx;			/* the cell's units, in panel order */
	double	   *x;				/* n1 x k, intercept first */
	double	   *d;
	double	   *w;
	double	   *dy;				/* the current cell's outcome changes */
	double	   *inf;			/* and its units' influence functions */
	double	   *store;
	double	   *work;
	DrdidPanelDesign des;
} AttgtCovDesign;

static void
cov_release(AttgtRun *r)
{
	AttgtCovDesign *D = r->cov;
	const AttgtHooks *h = r->hooks;

	if (D == NULL)
		return;
	h->release(D->idx);
	h->release(D->x);
	h->release(D->d);
	h->release(D->w);
	h->release(D->dy);
	h->release(D->inf);
	h->release(D->store);
	h->release(D->work);
	h->release(D);
	r->cov = NULL;
}

/* index in glist of the first cohort that controls the cell, -1 = none */
static int
cov_ctrl_first(const AttgtRun *r, const AttgtCell *c)
{
	int			gi;

	if (!r->spec.notyettreated)
		return -1;
	for (gi = 0; gi < r->ng; gi++)
		if (r->glist[gi] > c->ctrl_bound)
			return gi;
	return r->ng;
}

static AttgtCovDesign *
cov_build(AttgtRun *r, const AttgtCell *c, int ctrl_first, int xper)
{
	const AttgtPanel *P = r->P;
	AttgtCovDesign *D = r->hooks->alloc(sizeof(AttgtCovDesign), true);
	int			k = P->p + 1,
				n1 = 0,
				i,
				j;
	long		wsz;

	D->g = c->g;
	D->ctrl_first = ctrl_first;
	D->xper = xper;
	for (i = 0; i < P->n; i++)
		if (attgt_cell_role(r, c, i) != 0)
			n1++;
	wsz = Max(drdid_design_work_size(n1, k), 4L * k + n1);
	D->idx = alloc(r, sizeof(int32_t) * n1);
	D->x = alloc(r, sizeof(double) * n1 * k);
	D->d = alloc(r, sizeof(double) * n1);
	D->w = alloc(r, sizeof(double) * n1);
	D->dy = alloc(r, sizeof(double) * n1);
	D->inf = alloc(r, sizeof(double) * Max(n1, 1));
	D->store = alloc(r, sizeof(double) * drdid_design_size(n1, k));
	D->work = alloc(r, sizeof(double) * wsz);
	r->cov = D;
	n1 = 0;
	for (i = 0; i < P->n; i++)
	{
		int			role = attgt_cell_role(r, c, i);
		const double *xi;
		double	   *xr;

		if (role == 0)
			continue;
		/* covariates of the earlier period of the comparison, as R did */
		xi = attgt_xrow(P, i, Min(c->t, c->b));
		xr = D->x + (long) n1 * k;
		xr[0] = 1.0;
		for (j = 0; j < P->p; j++)
			xr[1 + j] = xi[j];
		D->idx[n1] = i;
		D->d[n1] = role > 0;
		D->w[n1] = P->w[i];
		if (role > 0)
			D->n_treated++;
		else
			D->n_control++;
		n1++;
	}
	D->n1 = n1;
	D->ret = drdid_panel_design((int) r->spec.method, n1, k, D->x, D->d, D->w,
								&D->des, D->store, D->work, &D->bad);
	return D;
}

/* the cell's fit and, from its units' influence functions, its standard error */
static int
estimate_cov(AttgtRun *r, AttgtCell *c, AttgtError *err, double *se)
{
	const AttgtPanel *P = r->P;
	AttgtCovDesign *D = r->cov;
	int			ctrl_first = cov_ctrl_first(r, c),
				xper = P->xt ? Min(c->t, c->b) : -1,
				u;
	const double *yt = P->y[c->t],
			   *yb = P->y[c->b];
	double		scale;
	SeAcc		acc;

	if (D == NULL || D->g != c->g || D->ctrl_first != ctrl_first || D->xper != xper)
	{
		cov_release(r);
		D = cov_build(r, c, ctrl_first, xper);
	}
	c->n_treated = D->n_treated;
	c->n_control = D->n_control;
	c->n1 = D->n1;
	c->fit = r->hooks->alloc(sizeof(DrdidFit), true);
	if (D->ret == 4)
	{
		cell_error(err, ATTGT_ERR_EMPTY, c);
		err->d = c->n_treated ? 0 : 1;
		return err->code;
	}
	if (D->ret != 0)
		return drdid_error(err, c, D->ret, D->bad);
	for (u = 0; u < D->n1; u++)
		D->dy[u] = yt[D->idx[u]] - yb[D->idx[u]];
	drdid_panel_fit_design_if(&D->des, D->dy, c->fit, D->work, D->inf);
	c->att = c->fit->att;
	scale = (double) P->n / c->n1;
	se_acc_init(r, &acc);
	for (u = 0; u < D->n1; u++)
		se_acc_add(P, &acc, D->idx[u], scale * D->inf[u]);
	*se = se_acc_finish(r, &acc);
	return ATTGT_OK;
}

/*
 * Covariates on an unbalanced panel: as R did with allow_unbalanced_panel,
 * the cell is a repeated cross section of the rows of its period (post) and
 * base period (pre) of the treated and control units, estimated with
 * DRDID's reg_did_rc / std_ipw_did_rc / drdid_rc; attgt_psi sums the row
 * influence functions per unit and scales by n / rows.
 */
static int
estimate_cov_rc(AttgtRun *r, AttgtCell *c, AttgtError *err)
{
	const AttgtPanel *P = r->P;
	const AttgtHooks *h = r->hooks;
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

	for (i = 0; i < P->n; i++)
		if (attgt_cell_role(r, c, i) != 0)
			for (q = 0; q < 2; q++)
				if (!isnan(P->y[q ? c->t : c->b][i]))
					nr++;
	x = alloc(r, sizeof(double) * Max(nr, 1) * k);
	y = alloc(r, sizeof(double) * Max(nr, 1));
	post = alloc(r, sizeof(double) * Max(nr, 1));
	d = alloc(r, sizeof(double) * Max(nr, 1));
	w = alloc(r, sizeof(double) * Max(nr, 1));
	work = alloc(r, sizeof(double) * drdid_rc_work_size(Max(nr, 1), k));
	nr = 0;
	for (i = 0; i < P->n; i++)
	{
		int			role = attgt_cell_role(r, c, i);
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
	c->rcfit = alloc(r, sizeof(DrdidRcFit));
	ret = drdid_rc_fit((int) r->spec.method, nr, k, x, y, post, d, w, c->rcfit, work, &bad);
	h->release(x);
	h->release(y);
	h->release(post);
	h->release(d);
	h->release(w);
	h->release(work);
	if (ret == 0)
	{
		c->att = c->rcfit->att;
		return ATTGT_OK;
	}
	if (ret == 4)
	{
		int			br = c->rcfit->bad_reg;

		cell_error(err, ATTGT_ERR_EMPTY_PERIOD, c);
		err->d = br >= 2;
		err->period = (br % 2) ? c->t : c->b;
		return err->code;
	}
	if (ret == 5)
		return cell_error(err, ATTGT_ERR_TRIMMED, c);
	drdid_error(err, c, ret, bad);
	err->rc = true;
	err->bad_reg = c->rcfit->bad_reg;
	return err->code;
}

static int
cmp_i32(const void *a, const void *b)
{
	int32_t		x = *(const int32_t *) a,
				y = *(const int32_t *) b;

	return (x > y) - (x < y);
}

int
attgt_gidx(const AttgtRun *r, int32_t g)
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

/*
 * The cohorts (sorted, distinct), their shares pg and the cells in did's
 * order (cohort, then period), before any estimation. r->spec, r->hooks
 * and r->P must be set.
 */
int
attgt_setup(AttgtRun *r, AttgtError *err)
{
	const AttgtPanel *P = r->P;
	const AttgtSpec *opt = &r->spec;
	int			i,
				gi,
				t,
				nc = 0,
				ng = 0;
	int32_t    *gl;

	memset(err, 0, sizeof(*err));
	gl = alloc(r, sizeof(int32_t) * P->n);
	r->glist = gl;
	for (i = 0; i < P->n; i++)
		if (P->cohort[i] != 0)
			gl[ng++] = P->cohort[i];
	if (ng == 0)
		return err->code = ATTGT_ERR_NO_TREATED;
	qsort(gl, ng, sizeof(int32_t), cmp_i32);
	{
		int			m = 1;

		for (i = 1; i < ng; i++)
			if (gl[i] != gl[m - 1])
				gl[m++] = gl[i];
		ng = m;
	}
	r->ng = ng;
	r->bucket = alloc(r, sizeof(int32_t) * P->n);
	for (i = 0; i < P->n; i++)
		r->bucket[i] = P->cohort[i] == 0 ? 0 : attgt_gidx(r, P->cohort[i]) + 1;
	r->pgg = r->hooks->alloc(sizeof(double) * ng, true);
	for (i = 0; i < P->n; i++)
		if (P->cohort[i] != 0)
			r->pgg[r->bucket[i] - 1] += P->w[i];
	for (gi = 0; gi < ng; gi++)
		r->pgg[gi] /= P->n;

	r->cells = r->hooks->alloc(sizeof(AttgtCell) * ng * P->T, true);
	for (gi = 0; gi < ng; gi++)
	{
		int32_t		g = gl[gi];
		int			pre = -1;

		for (t = 0; t < P->T; t++)
			if (P->tval[t] + opt->anticipation < g)
				pre = t;
		if (pre < 0)
		{
			err->g = g;
			return err->code = ATTGT_ERR_NO_PRE;
		}
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
	return ATTGT_OK;
}

/*
 * One cell's ATT and analytical standard error (NaN when it is zero, see
 * ATTGT_SE_ZERO). A universal base cell is 0 without a standard error.
 */
int
attgt_cell_estimate(AttgtRun *r, AttgtCell *c, AttgtError *err)
{
	const AttgtPanel *P = r->P;
	bool		last = (c == &r->cells[r->ncells - 1]);
	double		se = NAN;
	double	   *psi;
	int			u,
				ret;

	memset(err, 0, sizeof(*err));
	if (c->is_base)
	{
		c->att = 0.0;
		if (last)
		{
			cov_release(r);
			uset_release(r);
		}
		return ATTGT_OK;
	}
	if (P->p == 0)
	{
		ret = estimate_nocov(r, c, err, &se);
		if (ret != ATTGT_OK || last)
			uset_release(r);
	}
	else if (P->balanced)
	{
		ret = estimate_cov(r, c, err, &se);
		if (ret != ATTGT_OK || last)
			cov_release(r);
	}
	else
	{
		ret = estimate_cov_rc(r, c, err);
		if (ret == ATTGT_OK)
		{
			psi = alloc(r, sizeof(double) * P->n);
			for (u = 0; u < P->n; u++)
				psi[u] = attgt_psi(r, c, u);
			se = attgt_se_of(r, psi);
			r->hooks->release(psi);
		}
	}
	if (ret != ATTGT_OK)
		return ret;
	c->se = se;
	if (c->se <= ATTGT_SE_ZERO)
		c->se = NAN;
	return ATTGT_OK;
}
