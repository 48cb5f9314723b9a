/*
 * Unit tests for attgt_cells.c, attgt_if.c and attgt_agg.c: a 2x2 cell
 * worked by hand; every cell's and every aggregation's influence function
 * against a central finite difference in one unit's weight (psi_i / n =
 * w_i d theta / d w_i, see docs/methods.md, *Group-time average treatment
 * effects*, "Standard errors"), without covariates (balanced and
 * unbalanced) and with covariates (DRDID panel estimators); the
 * covariance of functionals against their standard errors; the Wald
 * pre-test with one pre-period cell against (att / se)^2; the errors.
 */
#include "attgt_testlib.h"
#include "unit.h"

/* theta of functional `which` (-1 = cell `cell`; else aggregation component k, m = overall) */
typedef struct Target
{
	int			cell;			/* >= 0: a cell */
	AttgtAggType type;			/* else an aggregation */
	int			comp;			/* component index, -1 = overall */
} Target;

static double
theta(AttgtPanel *P, const AttgtSpec *spec, const Target *tg, int *ok)
{
	int			code;
	AttgtRun   *r = test_run(P, spec, &code);
	double		v;

	*ok = r != NULL;
	if (r == NULL)
		return NAN;
	if (tg->cell >= 0)
		v = r->cells[tg->cell].att;
	else
	{
		AttgtAggResult a;
		AttgtAggLimits lim;
		int32_t		bad;

		memset(&lim, 0, sizeof(lim));
		if (attgt_aggregate(r, tg->type, &lim, &a, &bad) != ATTGT_AGG_OK)
			*ok = 0;
		v = tg->comp < 0 ? a.overall->att : a.comp[tg->comp]->att;
		attgt_agg_free(r, &a);
	}
	test_run_free(r);
	return v;
}

/* psi of the target for every unit, from an unperturbed run */
static void
psi_of(AttgtPanel *P, const AttgtSpec *spec, const Target *tg, double *psi)
{
	int			code,
				i;
	AttgtRun   *r = test_run(P, spec, &code);

	if (tg->cell >= 0)
		for (i = 0; i < P->n; i++)
			psi[i] = attgt_psi(r, &r->cells[tg->cell], i);
	else
	{
		AttgtAggResult a;
		AttgtAggLimits lim;
		int32_t		bad;

		memset(&lim, 0, sizeof(lim));
		attgt_aggregate(r, tg->type, &lim, &a, &bad);
		attgt_lin_eval(r, tg->comp < 0 ? a.overall : a.comp[tg->comp], 0, P->n, psi, 1);
		attgt_agg_free(r, &a);
	}
	test_run_free(r);
}

/*
 * max over units of |psi_i / n - w_i (theta(w_i (1 + h)) - theta(w_i (1 -
 * h))) / (2 h w_i)|: the influence function against the derivative.
 */
static double
fd_gap(AttgtPanel *P, const AttgtSpec *spec, const Target *tg)
{
	double	   *psi = malloc(sizeof(double) * P->n);
	double		h = 1e-6,
				worst = 0.0;
	int			i,
				ok1,
				ok2;

	psi_of(P, spec, tg, psi);
	for (i = 0; i < P->n; i++)
	{
		double		w0 = P->w[i],
					tp,
					tm,
					d;

		P->w[i] = w0 * (1 + h);
		tp = theta(P, spec, tg, &ok1);
		P->w[i] = w0 * (1 - h);
		tm = theta(P, spec, tg, &ok2);
		P->w[i] = w0;
		if (!ok1 || !ok2)
			return INFINITY;
		d = fabs(psi[i] / P->n - (tp - tm) / (2 * h));
		if (d > worst)
			worst = d;
	}
	free(psi);
	return worst;
}

static void
hand_2x2(void)
{
	/* units 0, 1 treated from period 2; 2, 3 never; changes 1, 3 and 0, 2 */
	static const int32_t coh[] = {2, 2, 0, 0};
	AttgtPanel *P = test_panel(4, 2, coh, 4, 0, 0.0, 1);
	AttgtSpec	spec = test_spec(ATTGT_DR);
	AttgtRun   *r;
	int			i,
				code;
	const double y0[] = {5, 7, 2, 4},
				y1[] = {6, 10, 2, 6};

	for (i = 0; i < 4; i++)
	{
		P->y[0][i] = y0[i];
		P->y[1][i] = y1[i];
		P->w[i] = 1.0;
	}
	r = test_run(P, &spec, &code);
	CHECK(r != NULL && r->ncells == 1, "2x2: one cell");
	/* att = mean(1, 3) - mean(0, 2) = 1 */
	CHECK_NEAR(r->cells[0].att, 1.0, 1e-15, "2x2: att = 2 - 1");
	/* psi = n (dy - mean) / n_group = 4 (+-1) / 2 = +-2 (controls negated); se = sqrt(4 * 4) / 4 */
	CHECK_NEAR(attgt_psi(r, &r->cells[0], 0), -2.0, 1e-15, "2x2: psi of treated unit 0");
	CHECK_NEAR(attgt_psi(r, &r->cells[0], 3), -2.0, 1e-15, "2x2: psi of control unit 3");
	CHECK_NEAR(r->cells[0].se, 1.0, 1e-15, "2x2: se = 1");
	CHECK(r->cells[0].n_treated == 2 && r->cells[0].n_control == 2, "2x2: counts");
	/* pg: 2 of 4 units in cohort 2 */
	CHECK_NEAR(r->pgg[0], 0.5, 1e-15, "2x2: cohort share 1/2");
	test_run_free(r);
	test_panel_free(P);
}

static void
fd_cells(const char *what, AttgtPanel *P, const AttgtSpec *spec, double tol)
{
	int			code,
				j,
				ncells;
	AttgtRun   *r = test_run(P, spec, &code);
	double		worst = 0.0;

	CHECK(r != NULL, "%s: estimates (code %d)", what, code);
	if (r == NULL)
		return;
	ncells = r->ncells;
	test_run_free(r);
	for (j = 0; j < ncells; j++)
	{
		Target		tg = {j, AGG_SIMPLE, 0};
		double		g = fd_gap(P, spec, &tg);

		if (g > worst)
			worst = g;
	}
	CHECK(worst < tol, "%s: every cell's psi_i / n matches d att / d log w_i (worst gap %.2g < %.0e)",
		  what, worst, tol);
}

static void
fd_aggregations(const char *what, AttgtPanel *P, const AttgtSpec *spec, double tol)
{
	static const char *const names[] = {"simple", "dynamic", "group", "calendar"};
	int			type;

	for (type = AGG_SIMPLE; type <= AGG_CALENDAR; type++)
	{
		int			code,
					k,
					m;
		AttgtRun   *r = test_run(P, spec, &code);
		AttgtAggResult a;
		AttgtAggLimits lim;
		int32_t		bad;
		double		worst = 0.0;

		memset(&lim, 0, sizeof(lim));
		code = attgt_aggregate(r, (AttgtAggType) type, &lim, &a, &bad);
		m = a.m;
		attgt_agg_free(r, &a);
		test_run_free(r);
		CHECK(code == ATTGT_AGG_OK, "%s: %s aggregation", what, names[type]);
		for (k = -1; k < m; k++)
		{
			Target		tg = {-1, (AttgtAggType) type, k};
			double		g = fd_gap(P, spec, &tg);

			if (g > worst)
				worst = g;
		}
		CHECK(worst < tol, "%s: %s aggregation (%d components + overall): psi / n matches the derivative, wif included (worst %.2g)",
			  what, names[type], m, worst);
	}
}

/* V from attgt_lin_vcov has the squared standard errors on its diagonal */
static void
vcov_vs_se(const char *what, AttgtPanel *P, const AttgtSpec *spec)
{
	int			code,
				k;
	AttgtRun   *r = test_run(P, spec, &code);
	AttgtAggResult a;
	AttgtAggLimits lim;
	int32_t		bad;
	double	   *V,
				worst = 0.0,
				offd = 0.0;

	memset(&lim, 0, sizeof(lim));
	attgt_aggregate(r, AGG_DYNAMIC, &lim, &a, &bad);
	V = malloc(sizeof(double) * a.m * a.m);
	attgt_lin_vcov(r, a.comp, a.m, V);
	for (k = 0; k < a.m; k++)
	{
		double		se = attgt_lin_se(r, a.comp[k]);

		if (fabs(V[k * a.m + k] - se * se) > worst)
			worst = fabs(V[k * a.m + k] - se * se);
		if (k > 0 && fabs(V[k * a.m + k - 1]) > offd)
			offd = fabs(V[k * a.m + k - 1]);
	}
	CHECK(a.m > 1 && worst < 1e-14, "%s: diag(vcov) = se^2 over %d event times (worst %.2g)", what, a.m, worst);
	CHECK(offd > 0, "%s: event times are correlated (off-diagonal %.3g)", what, offd);
	free(V);
	attgt_agg_free(r, &a);
	test_run_free(r);
}

static void
pretest_one_cell(void)
{
	/* cohort 3 of periods 1..3: one pre-treatment cell (g 3, t 2) */
	static const int32_t coh[] = {3, 0, 0};
	AttgtPanel *P = test_panel(60, 3, coh, 3, 0, 0.0, 7);
	AttgtSpec	spec = test_spec(ATTGT_DR);
	int			code;
	AttgtRun   *r = test_run(P, &spec, &code);
	const AttgtCell *c = &r->cells[0];
	double		z2 = (c->att / c->se) * (c->att / c->se);

	attgt_pretest(r);
	CHECK(r->have_w && r->W_df == 1, "pre-test: one pre-period cell, df 1");
	CHECK_NEAR(r->W, z2, 1e-10 * z2, "pre-test: W = (att / se)^2 = %.6g", z2);
	/* chi-square(1) upper tail = 2 (1 - Phi(|z|)) */
	CHECK_NEAR(r->W_p, erfc(sqrt(z2) / sqrt(2.0)), 1e-10, "pre-test: p-value = P(|N(0,1)| > |z|)");
	test_run_free(r);
	test_panel_free(P);
}

static void
clusters_of_one(void)
{
	static const int32_t coh[] = {3, 4, 0};
	AttgtPanel *P = test_panel(30, 4, coh, 3, 0, 0.0, 11);
	AttgtSpec	spec = test_spec(ATTGT_DR);
	int			code,
				j,
				i;
	AttgtRun   *r = test_run(P, &spec, &code);
	double	   *se = malloc(sizeof(double) * r->ncells),
				worst = 0.0;

	for (j = 0; j < r->ncells; j++)
		se[j] = r->cells[j].se;
	test_run_free(r);
	/* every unit its own cluster: the same standard errors */
	P->cl = malloc(sizeof(int32_t) * P->n);
	P->ncl = P->n;
	for (i = 0; i < P->n; i++)
		P->cl[i] = P->n - 1 - i;
	r = test_run(P, &spec, &code);
	for (j = 0; j < r->ncells; j++)
		if (fabs(r->cells[j].se - se[j]) > worst)
			worst = fabs(r->cells[j].se - se[j]);
	CHECK(worst < 1e-14, "clusters of one unit give the unclustered se (worst %.2g)", worst);
	test_run_free(r);
	/* two units per cluster: sum psi over the pair first */
	for (i = 0; i < P->n; i++)
		P->cl[i] = i / 2;
	P->ncl = P->n / 2;
	r = test_run(P, &spec, &code);
	{
		double	   *psi = malloc(sizeof(double) * P->n),
					s = 0.0;

		for (i = 0; i < P->n; i++)
			psi[i] = attgt_psi(r, &r->cells[2], i);
		for (i = 0; i < P->n; i += 2)
			s += (psi[i] + psi[i + 1]) * (psi[i] + psi[i + 1]);
		CHECK_NEAR(r->cells[2].se, sqrt(s) / P->n, 1e-14, "pairs as clusters: se = sqrt(sum_c (sum psi)^2) / n");
		free(psi);
	}
	test_run_free(r);
	free(se);
	test_panel_free(P);
}

static void
errors(void)
{
	static const int32_t late[] = {3, 5, 0};
	static const int32_t never[] = {0};
	static const int32_t first[] = {1, 0};
	static const int32_t onlyt[] = {2};
	AttgtSpec	spec = test_spec(ATTGT_DR);
	AttgtPanel *P;
	int			code;

	P = test_panel(6, 3, never, 1, 0, 0.0, 3);
	CHECK(test_run(P, &spec, &code) == NULL && code == ATTGT_ERR_NO_TREATED, "error: nobody treated");
	test_panel_free(P);
	P = test_panel(6, 3, first, 2, 0, 0.0, 3);
	CHECK(test_run(P, &spec, &code) == NULL && code == ATTGT_ERR_NO_PRE, "error: a cohort without a base period");
	test_panel_free(P);
	P = test_panel(6, 3, onlyt, 1, 0, 0.0, 3);
	CHECK(test_run(P, &spec, &code) == NULL && code == ATTGT_ERR_EMPTY_PERIOD, "error: no control units");
	test_panel_free(P);
	P = test_panel(6, 3, onlyt, 1, 1, 0.0, 3);
	CHECK(test_run(P, &spec, &code) == NULL && code == ATTGT_ERR_EMPTY, "error: no control units (covariates)");
	test_panel_free(P);
	/* cohort 5 of periods 1..4 (the reader recodes it; here it stays) */
	P = test_panel(9, 4, late, 3, 0, 0.0, 3);
	{
		AttgtRun   *r = test_run(P, &spec, &code);
		AttgtAggResult a;
		AttgtAggLimits lim;
		int32_t		bad = 0;

		memset(&lim, 0, sizeof(lim));
		code = attgt_aggregate(r, AGG_GROUP, &lim, &a, &bad);
		CHECK(code == ATTGT_AGG_COHORT_NO_POST && bad == 5, "error: group aggregation names cohort 5 without a post cell");
		attgt_agg_free(r, &a);
		lim.has_max = true;
		lim.max_e = -1;
		code = attgt_aggregate(r, AGG_DYNAMIC, &lim, &a, &bad);
		CHECK(code == ATTGT_AGG_NO_EVENT, "error: dynamic aggregation with max_e -1 has no event time >= 0");
		attgt_agg_free(r, &a);
		test_run_free(r);
	}
	test_panel_free(P);
}

int
main(void)
{
	static const int32_t coh[] = {3, 4, 0, 0, 5};
	static const int32_t coh4[] = {3, 4, 0, 0, 2};
	AttgtSpec	spec = test_spec(ATTGT_DR);
	AttgtPanel *P;

	hand_2x2();

	P = test_panel(25, 5, coh, 5, 0, 0.0, 5);
	fd_cells("no covariates, balanced", P, &spec, 1e-8);
	fd_aggregations("no covariates, balanced", P, &spec, 1e-8);
	vcov_vs_se("no covariates", P, &spec);
	spec.notyettreated = true;
	fd_cells("no covariates, not-yet-treated controls", P, &spec, 1e-8);
	spec.universal = true;
	fd_aggregations("not-yet-treated, universal base period", P, &spec, 1e-8);
	test_panel_free(P);

	spec = test_spec(ATTGT_DR);
	P = test_panel(30, 5, coh, 5, 0, 0.15, 6);
	CHECK(!P->balanced, "the second panel is unbalanced");
	fd_cells("no covariates, unbalanced", P, &spec, 1e-8);
	fd_aggregations("no covariates, unbalanced", P, &spec, 1e-8);
	test_panel_free(P);

	P = test_panel(80, 4, coh4, 5, 2, 0.0, 8);
	spec = test_spec(ATTGT_REG);
	fd_cells("covariates, outcome regression (reg_did_panel)", P, &spec, 1e-7);
	spec = test_spec(ATTGT_IPW);
	fd_cells("covariates, standardised IPW (std_ipw_did_panel)", P, &spec, 1e-7);
	spec = test_spec(ATTGT_DR);
	fd_cells("covariates, doubly robust (drdid_panel)", P, &spec, 1e-7);
	fd_aggregations("covariates, doubly robust", P, &spec, 1e-7);
	test_panel_free(P);

	pretest_one_cell();
	clusters_of_one();
	errors();
	return unit_done();
}
