/*
 * Unit tests for att_gt's covariate cells on balanced panels
 * (attgt_cells.c, attgt_if.c): the cells share one DRDID design (units,
 * covariate rows, the controls' (X'WX)^-1, the propensity-score logit)
 * while consecutive cells have the same units and covariates, and the
 * influence functions of a functional reuse each unit's score across the
 * cells of one design. The reference is the algorithm before that
 * sharing: every cell fitted on its own rows with drdid_panel_fit, every
 * unit's influence function from drdid_panel_if (which recomputes the
 * score). Cells, their standard errors, the event-study components and
 * the covariance of the pre-test cells must agree to 1e-12 (relative) on
 * random panels, for reg, ipw and dr, never- and not-yet-treated
 * controls, covariates fixed or varying within units, a universal base
 * period with anticipation; errors come back as before.
 */
#include "attgt_testlib.h"
#include "unit.h"

#define TOL 1e-12

/* the reference: one cell fitted alone; psi (n) of every unit */
static int
ref_cell(const AttgtRun *r, const AttgtCell *c, double *att, double *psi)
{
	const AttgtPanel *P = r->P;
	int			k = P->p + 1,
				n1 = 0,
				i,
				j,
				ret,
				bad;
	double	   *x = malloc(sizeof(double) * P->n * k),
			   *dy = malloc(sizeof(double) * P->n),
			   *d = malloc(sizeof(double) * P->n),
			   *w = malloc(sizeof(double) * P->n),
			   *work = malloc(sizeof(double) * drdid_work_size(P->n, k));
	DrdidFit	f;

	for (i = 0; i < P->n; i++)
	{
		int			role = attgt_cell_role(r, c, i);
		const double *xi = attgt_xrow(P, i, c->t < c->b ? c->t : c->b);

		psi[i] = 0.0;
		if (role == 0)
			continue;
		x[n1 * k] = 1.0;
		for (j = 0; j < P->p; j++)
			x[n1 * k + 1 + j] = xi[j];
		dy[n1] = P->y[c->t][i] - P->y[c->b][i];
		d[n1] = role > 0;
		w[n1] = P->w[i];
		n1++;
	}
	ret = drdid_panel_fit((int) r->spec.method, n1, k, x, dy, d, w, &f, work, &bad);
	if (ret == 0)
	{
		*att = f.att;
		n1 = 0;
		for (i = 0; i < P->n; i++)
			if (attgt_cell_role(r, c, i) != 0)
			{
				psi[i] = ((double) P->n / c->n1) *
					drdid_panel_if(&f, x + n1 * k, dy[n1], d[n1] != 0.0, w[n1]);
				n1++;
			}
	}
	free(x);
	free(dy);
	free(d);
	free(w);
	free(work);
	return ret;
}

static int
rel_ok(double got, double want)
{
	if (isnan(got) || isnan(want))
		return isnan(got) && isnan(want);
	return fabs(got - want) <= TOL * fmax(1.0, fabs(want));
}

/* every cell, the event study and the pre-test covariance against the reference */
static void
check_run(AttgtPanel *P, const AttgtSpec *spec, const char *what)
{
	int			code,
				j,
				i,
				k,
				bad_cells = 0,
				bad_se = 0,
				bitequal = 0,
				bad_comp = 0;
	AttgtRun   *r = test_run(P, spec, &code);
	double	  **ref;
	double	   *psi,
				att;
	AttgtAggResult a;
	AttgtAggLimits lim;
	int32_t		bad_g;

	if (!CHECK(r != NULL, "%s: estimated (code %d)", what, code))
		return;
	CHECK(r->cov == NULL, "%s: the shared design is released after the last cell", what);
	ref = malloc(sizeof(double *) * r->ncells);
	psi = malloc(sizeof(double) * P->n);
	for (j = 0; j < r->ncells; j++)
	{
		AttgtCell  *c = &r->cells[j];
		double		se;

		ref[j] = calloc(P->n, sizeof(double));
		if (c->is_base)
			continue;
		if (ref_cell(r, c, &att, ref[j]) != 0)
		{
			bad_cells++;
			continue;
		}
		se = attgt_se_of(r, ref[j]);
		if (se <= ATTGT_SE_ZERO)
			se = NAN;
		if (!rel_ok(c->att, att))
			bad_cells++;
		if (!rel_ok(c->se, se))
			bad_se++;
		if (c->att == att && (c->se == se || (isnan(c->se) && isnan(se))))
			bitequal++;
	}
	CHECK(bad_cells == 0, "%s: %d cells' ATT equal one fit per cell to 1e-12 (%d differ; %d bit for bit)",
		  what, r->ncells, bad_cells, bitequal);
	CHECK(bad_se == 0, "%s: the cells' standard errors equal the reference's to 1e-12 (%d differ)",
		  what, bad_se);

	/* event study: psi = w gc[cohort] + sum_c cw[c] psi_c */
	memset(&lim, 0, sizeof(lim));
	if (CHECK(attgt_aggregate(r, AGG_DYNAMIC, &lim, &a, &bad_g) == ATTGT_AGG_OK,
			  "%s: event study aggregates", what))
	{
		for (k = 0; k <= a.m; k++)
		{
			AttgtLin   *l = k < a.m ? a.comp[k] : a.overall;

			for (i = 0; i < P->n; i++)
			{
				double		s = P->cohort[i] ? P->w[i] * l->gc[attgt_gidx(r, P->cohort[i])] : 0.0;

				for (j = 0; j < r->ncells; j++)
					if (l->cw[j] != 0.0)
						s += l->cw[j] * ref[j][i];
				psi[i] = s;
			}
			if (!rel_ok(attgt_lin_se(r, l), attgt_se_of(r, psi)))
				bad_comp++;
		}
		CHECK(bad_comp == 0, "%s: %d event-study standard errors (and the overall one) equal the reference's (%d differ)",
			  what, a.m, bad_comp);
		attgt_agg_free(r, &a);
	}

	/* covariance of single cells (lin_vcov's chunked evaluation) vs se^2 */
	{
		int			m = 0,
					badv = 0;
		AttgtLin  **l = malloc(sizeof(AttgtLin *) * r->ncells);
		double	   *V;

		for (j = 0; j < r->ncells; j++)
			if (!r->cells[j].is_base && !isnan(r->cells[j].se))
			{
				l[m] = attgt_lin_new(r);
				l[m]->cw[j] = 1.0;
				m++;
			}
		V = malloc(sizeof(double) * m * m);
		attgt_lin_vcov(r, l, m, V);
		for (k = 0, j = 0; j < r->ncells; j++)
			if (!r->cells[j].is_base && !isnan(r->cells[j].se))
			{
				if (!rel_ok(sqrt(V[k * m + k]), r->cells[j].se))
					badv++;
				k++;
			}
		CHECK(m > 0 && badv == 0, "%s: covariance diagonal of %d cells = their se^2 (%d differ)",
			  what, m, badv);
		for (k = 0; k < m; k++)
			attgt_lin_free(r, l[k]);
		free(l);
		free(V);
	}
	for (j = 0; j < r->ncells; j++)
		free(ref[j]);
	free(ref);
	free(psi);
	test_run_free(r);
}

/* covariates varying within units: x plus a drift by period */
static void
add_xt(AttgtPanel *P)
{
	int			t,
				i,
				j;

	P->xt = malloc(sizeof(double *) * P->T);
	for (t = 0; t < P->T; t++)
	{
		P->xt[t] = malloc(sizeof(double) * P->n * P->p);
		for (i = 0; i < P->n; i++)
			for (j = 0; j < P->p; j++)
				P->xt[t][i * P->p + j] = P->x[i * P->p + j] + 0.05 * t * (1 + j) +
					0.01 * ((i * 7 + t * 3 + j) % 5);
	}
}

static void
free_xt(AttgtPanel *P)
{
	int			t;

	for (t = 0; t < P->T; t++)
		free(P->xt[t]);
	free(P->xt);
	P->xt = NULL;
}

int
main(void)
{
	static const int32_t coh[] = {0, 0, 3, 4, 6, 0, 5};
	static const char *const mname[] = {"reg", "ipw", "dr"};
	char		what[128];
	int			m,
				nt,
				code;

	for (m = 0; m < 3; m++)
		for (nt = 0; nt < 2; nt++)
		{
			AttgtPanel *P = test_panel(900, 7, coh, 7, 2, 0.0, 100 + m * 2 + nt);
			AttgtSpec	s = test_spec((AttgtMethod) m);

			s.notyettreated = nt;
			snprintf(what, sizeof(what), "%s, %s", mname[m], nt ? "not yet treated" : "never treated");
			check_run(P, &s, what);
			add_xt(P);
			snprintf(what, sizeof(what), "%s, %s, covariates varying in units",
					 mname[m], nt ? "not yet treated" : "never treated");
			check_run(P, &s, what);
			free_xt(P);
			test_panel_free(P);
		}

	/* universal base period and anticipation: base cells in between */
	{
		AttgtPanel *P = test_panel(700, 8, coh, 7, 3, 0.0, 77);
		AttgtSpec	s = test_spec(ATTGT_DR);

		s.universal = true;
		s.anticipation = 1;
		s.notyettreated = true;
		check_run(P, &s, "dr, not yet treated, universal base, anticipation 1");
		s.method = ATTGT_IPW;
		s.notyettreated = false;
		check_run(P, &s, "ipw, never treated, universal base, anticipation 1");
		test_panel_free(P);
	}

	/* a collinear covariate: the same error as one fit per cell */
	{
		AttgtPanel *P = test_panel(300, 5, coh, 7, 2, 0.0, 5);
		AttgtSpec	s = test_spec(ATTGT_REG);
		AttgtRun   *r;
		AttgtError	err;
		int			i;

		for (i = 0; i < P->n; i++)
			P->x[i * 2 + 1] = 2.0 * P->x[i * 2];
		r = calloc(1, sizeof(AttgtRun));
		r->spec = s;
		r->hooks = &test_hooks;
		r->P = P;
		code = attgt_setup(r, &err);
		if (code == ATTGT_OK)
			code = attgt_cell_estimate(r, &r->cells[0], &err);
		CHECK(code == ATTGT_ERR_COLLINEAR && err.drdid_code == 1 && err.bad_col == 2,
			  "collinear covariate: outcome regression, column 2 (code %d, drdid %d, column %d)",
			  code, err.drdid_code, err.bad_col);
		CHECK(r->cov == NULL, "the shared design is released after an error");
		test_run_free(r);
		test_panel_free(P);
	}
	return unit_done();
}
