/*
 * Unit tests: the shortcuts of att_gt's estimation give the numbers of
 * the plain formulas to the last bit. attgt_cells.c estimates a cell from
 * its own units (sums shared across cells, the standard error added up
 * from the cell's units, the influence functions of a covariate design in
 * one pass); attgt_if.c evaluates functionals over the cells' units grouped
 * by cohort. The references here are the plain ones: each unit's
 * attgt_psi over the whole panel into attgt_se_of, and a functional as
 * w_i gc + sum over the cells in order of cw * attgt_psi, and a covariance
 * as the sum of every product (attgt_lin_vcov skips the zero ones).
 * Compared with ==
 * (NaN only where both are NaN), on balanced and unbalanced panels, with
 * weights and clusters, never-treated and not-yet-treated controls, and
 * reg, ipw and dr with covariates.
 */
#include "attgt_testlib.h"
#include "unit.h"

static bool
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* every cell's SE against attgt_se_of of attgt_psi over all units */
static void
check_cells(const AttgtRun *r, const char *what)
{
	const AttgtPanel *P = r->P;
	double	   *psi = malloc(sizeof(double) * P->n);
	int			j,
				i,
				bad = 0,
				nse = 0;

	for (j = 0; j < r->ncells; j++)
	{
		const AttgtCell *c = &r->cells[j];
		double		se;

		if (c->is_base)
			continue;
		for (i = 0; i < P->n; i++)
			psi[i] = attgt_psi(r, c, i);
		se = attgt_se_of(r, psi);
		if (se <= ATTGT_SE_ZERO)
			se = NAN;
		if (!same(se, c->se))
		{
			if (bad == 0)
				printf("# %s: cell %d se %.17g, reference %.17g\n", what, j, c->se, se);
			bad++;
		}
		if (!isnan(se))
			nse++;
	}
	CHECK(bad == 0 && nse > 0, "%s: %d cell SEs equal the plain formula's bit for bit", what, nse);
	free(psi);
}

/* a functional over every cell and cohort: attgt_lin_eval against the plain sum */
static void
check_functional(const AttgtRun *r, uint64_t seed, const char *what)
{
	const AttgtPanel *P = r->P;
	AttgtLin   *l = attgt_lin_new(r);
	SiRng		rng;
	double	   *out = malloc(sizeof(double) * P->n),
			   *set = malloc(sizeof(double) * 2 * 700);
	int			i,
				j,
				bad = 0,
				nz = 0;

	si_rng_seed(&rng, seed);
	for (j = 0; j < r->ncells; j++)
		l->cw[j] = (j % 3 == 1) ? 0.0 : si_rng_uniform(&rng) - 0.3;
	for (j = 0; j < r->ng; j++)
		l->gc[j] = si_rng_uniform(&rng) - 0.5;
	attgt_lin_eval(r, l, 0, P->n, out, 1);
	for (i = 0; i < P->n; i++)
	{
		double		s = 0.0;

		if (P->cohort[i] != 0)
			s = P->w[i] * l->gc[attgt_gidx(r, P->cohort[i])];
		for (j = 0; j < r->ncells; j++)
			if (l->cw[j] != 0.0 && !r->cells[j].is_base)
				s += l->cw[j] * attgt_psi(r, &r->cells[j], i);
		if (!same(s, out[i]))
		{
			if (bad == 0)
				printf("# %s: unit %d psi %.17g, reference %.17g\n", what, i, out[i], s);
			bad++;
		}
		if (s != 0.0)
			nz++;
	}
	CHECK(bad == 0 && nz > P->n / 2, "%s: a functional's psi equals the plain sum bit for bit (%d units)",
		  what, P->n);

	/* the same functional and a cell through attgt_lin_eval_set on a chunk */
	if (P->n >= 700)
	{
		AttgtLin   *two[2];
		AttgtLin   *one = attgt_lin_new(r);

		for (j = 0; j < r->ncells && r->cells[j].is_base; j++)
			;
		one->cw[j] = 1.0;
		two[0] = l;
		two[1] = one;
		attgt_lin_eval_set(r, two, 2, 100, 800 < P->n ? 800 : P->n, set);
		bad = 0;
		for (i = 100; i < (800 < P->n ? 800 : P->n); i++)
			if (!same(set[(i - 100) * 2], out[i]) ||
				!same(set[(i - 100) * 2 + 1], attgt_psi(r, &r->cells[j], i)))
				bad++;
		CHECK(bad == 0, "%s: attgt_lin_eval_set on a chunk gives the same values", what);
		attgt_lin_free(r, one);
	}
	attgt_lin_free(r, l);
	free(out);
	free(set);
}

/*
 * attgt_lin_vcov of single-cell functionals (sparse rows) and one dense
 * functional against the plain accumulation of every product
 */
static void
check_vcov(const AttgtRun *r, const char *what)
{
	const AttgtPanel *P = r->P;
	int			m = 0,
				j,
				a,
				b,
				i,
				bad = 0;
	AttgtLin  **l = malloc(sizeof(AttgtLin *) * (r->ncells + 1));
	double	   *V,
			   *ref,
			   *row,
			   *cs = NULL;

	for (j = 0; j < r->ncells; j++)
		if (!r->cells[j].is_base && j % 2 == 0)
		{
			l[m] = attgt_lin_new(r);
			l[m++]->cw[j] = 1.0;
		}
	l[m] = attgt_lin_new(r);
	for (j = 0; j < r->ncells; j++)
		l[m]->cw[j] = 1.0 / r->ncells;
	l[m++]->gc[0] = 0.25;
	V = calloc((size_t) m * m, sizeof(double));
	ref = calloc((size_t) m * m, sizeof(double));
	row = malloc(sizeof(double) * P->n * m);
	attgt_lin_vcov(r, l, m, V);
	attgt_lin_eval_set(r, l, m, 0, P->n, row);
	if (P->cl)
	{
		cs = calloc((size_t) P->ncl * m, sizeof(double));
		for (i = 0; i < P->n; i++)
			for (a = 0; a < m; a++)
				cs[(long) P->cl[i] * m + a] += row[(long) i * m + a];
	}
	for (i = 0; i < (cs ? P->ncl : P->n); i++)
	{
		const double *x = cs ? cs + (long) i * m : row + (long) i * m;

		for (a = 0; a < m; a++)
			for (b = 0; b <= a; b++)
				ref[a * m + b] += x[a] * x[b];
	}
	for (a = 0; a < m; a++)
		for (b = 0; b <= a; b++)
		{
			ref[a * m + b] /= (double) P->n * P->n;
			if (!same(ref[a * m + b], V[a * m + b]) || !same(ref[a * m + b], V[b * m + a]))
				bad++;
		}
	CHECK(bad == 0, "%s: covariance of %d functionals equals the dense sum bit for bit", what, m);
	for (j = 0; j < m; j++)
		attgt_lin_free(r, l[j]);
	free(l);
	free(V);
	free(ref);
	free(row);
	free(cs);
}

static void
run_case(AttgtPanel *P, AttgtMethod method, bool notyet, const char *what)
{
	AttgtSpec	spec = test_spec(method);
	AttgtRun   *r;
	int			code;

	spec.notyettreated = notyet;
	r = test_run(P, &spec, &code);
	CHECK(r != NULL, "%s: estimated", what);
	if (r == NULL)
		return;
	check_cells(r, what);
	check_functional(r, 11 + (uint64_t) method, what);
	check_vcov(r, what);
	test_run_free(r);
}

static void
add_clusters(AttgtPanel *P, int ncl)
{
	int			i;

	P->cl = malloc(sizeof(int32_t) * P->n);
	P->ncl = ncl;
	for (i = 0; i < P->n; i++)
		P->cl[i] = (i * 7) % ncl;
}

int
main(void)
{
	static const int32_t coh[] = {0, 4, 6, 0, 8, 6};
	AttgtPanel *P;

	/* without covariates: balanced, then unbalanced, each also clustered */
	P = test_panel(1500, 10, coh, 6, 0, 0.0, 101);
	run_case(P, ATTGT_DR, false, "balanced, never treated");
	run_case(P, ATTGT_DR, true, "balanced, not yet treated");
	add_clusters(P, 37);
	run_case(P, ATTGT_DR, false, "balanced, clustered");
	test_panel_free(P);

	P = test_panel(1500, 10, coh, 6, 0, 0.08, 102);
	CHECK(!P->balanced, "unbalanced panel");
	run_case(P, ATTGT_DR, false, "unbalanced, never treated");
	run_case(P, ATTGT_DR, true, "unbalanced, not yet treated");
	add_clusters(P, 23);
	run_case(P, ATTGT_DR, true, "unbalanced, clustered");
	test_panel_free(P);

	/* covariates on a balanced panel: each method, both control groups */
	P = test_panel(1200, 8, coh, 6, 2, 0.0, 103);
	run_case(P, ATTGT_REG, false, "reg, never treated");
	run_case(P, ATTGT_IPW, false, "ipw, never treated");
	run_case(P, ATTGT_DR, false, "dr, never treated");
	run_case(P, ATTGT_REG, true, "reg, not yet treated");
	run_case(P, ATTGT_IPW, true, "ipw, not yet treated");
	run_case(P, ATTGT_DR, true, "dr, not yet treated");
	add_clusters(P, 41);
	run_case(P, ATTGT_DR, true, "dr, clustered");
	test_panel_free(P);
	return unit_done();
}
