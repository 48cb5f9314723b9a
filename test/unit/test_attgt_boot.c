/*
 * Unit tests for attgt_boot.c (did::mboot, docs/methods.md, *Group-time
 * average treatment effects*, "Multiplier bootstrap (did::mboot)" and
 * "Bootstrap memory"): the Rademacher bits are splitmix64 of (seed, batch,
 * unit) exactly as written out here; the fast path without covariates
 * gives the draws of the general path (sum_i v_bi psi_i); splitting the
 * functionals into blocks changes nothing; a bootstrap of many draws
 * agrees with the analytical standard error; the uniform critical value
 * of one functional is its pointwise one; a small hand case.
 */
#include "attgt_testlib.h"
#include "unit.h"

#include "distributions.h"

/* splitmix64 written out (Steele, Lea & Flood 2014): increment, then mix */
static uint64_t
sm64(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static void
bits(void)
{
	static const uint64_t seeds[] = {42, 0, 1, UINT64_C(0xFFFFFFFFFFFFFFFF), (uint64_t) -7};
	int			s,
				batch,
				j,
				bad = 0,
				ones = 0,
				total = 0;

	for (s = 0; s < 5; s++)
		for (batch = 0; batch < 70; batch += 3)
			for (j = 0; j < 1000; j += 7)
			{
				uint32_t	want = (uint32_t) (sm64(seeds[s] ^ sm64(((uint64_t) batch << 32) | (uint32_t) j)) >> 48);
				uint32_t	got = attgt_draw_bits(seeds[s], batch, j);
				int			b;

				if (got != want)
					bad++;
				for (b = 0; b < BOOT_BATCH; b++)
				{
					double		v = attgt_rademacher(seeds[s], batch * BOOT_BATCH + b, j);

					if (v != (((want >> b) & 1) ? 1.0 : -1.0))
						bad++;
					ones += v > 0;
					total++;
				}
			}
	CHECK(bad == 0, "draw bits = top 16 bits of splitmix64(seed ^ splitmix64(batch << 32 | unit)) (%d mismatches)", bad);
	CHECK(fabs((double) ones / total - 0.5) < 0.01, "multipliers are +1 half of the time (%.4f of %d)", (double) ones / total, total);
	/* two values pinned: the seed 42 stream att_gt's default uses */
	CHECK(attgt_draw_bits(42, 0, 0) == (uint32_t) (sm64(42 ^ sm64(0)) >> 48), "seed 42, batch 0, unit 0");
}

/* se[] and crit of the cells of P, with the plan's path forced */
static void
boot_cells(AttgtRun *r, int force_fast, double limit, double *se, double *crit)
{
	AttgtBootPlan plan;

	attgt_boot_plan(r, r->ncells, true, limit, &plan);
	if (force_fast >= 0)
		plan.fast = force_fast;
	attgt_boot_run(r, NULL, r->ncells, &plan, se, crit);
}

static double
max_rel_gap(const double *a, const double *b, int n)
{
	double		worst = 0.0;
	int			j;

	for (j = 0; j < n; j++)
	{
		double		d;

		if (isnan(a[j]) || isnan(b[j]))
		{
			if (isnan(a[j]) != isnan(b[j]))
				return INFINITY;
			continue;
		}
		d = fabs(a[j] - b[j]) / fmax(fabs(b[j]), 1e-300);
		if (d > worst)
			worst = d;
	}
	return worst;
}

static void
fast_equals_general(const char *what, AttgtPanel *P)
{
	AttgtSpec	spec = test_spec(ATTGT_DR);
	int			code;
	AttgtRun   *r;
	double	   *sf,
			   *sg,
				cf,
				cg;

	spec.bootstrap = 199;
	r = test_run(P, &spec, &code);
	sf = malloc(sizeof(double) * r->ncells);
	sg = malloc(sizeof(double) * r->ncells);
	boot_cells(r, 1, 1e12, sf, &cf);
	boot_cells(r, 0, 1e12, sg, &cg);
	CHECK(max_rel_gap(sf, sg, r->ncells) < 1e-12, "%s: fast path se = general path se (%d cells, worst relative gap %.2g)",
		  what, r->ncells, max_rel_gap(sf, sg, r->ncells));
	CHECK_NEAR(cf, cg, 1e-12 * cg, "%s: fast path critical value = general path's", what);
	free(sf);
	free(sg);
	test_run_free(r);
}

static void
blocks_change_nothing(void)
{
	static const int32_t coh[] = {3, 4, 0, 5};
	AttgtPanel *P = test_panel(40, 6, coh, 4, 0, 0.0, 21);
	AttgtSpec	spec = test_spec(ATTGT_DR);
	int			code,
				fast;
	AttgtRun   *r;

	spec.bootstrap = 100;
	r = test_run(P, &spec, &code);
	for (fast = 0; fast < 2; fast++)
	{
		AttgtBootPlan one,
					blocks;
		double	   *s1 = malloc(sizeof(double) * r->ncells),
				   *s2 = malloc(sizeof(double) * r->ncells),
					c1,
					c2;
		/* room for the fixed part and three functionals' draws */
		double		limit;

		attgt_boot_plan(r, r->ncells, true, 1e12, &one);
		one.fast = fast;
		attgt_boot_run(r, NULL, r->ncells, &one, s1, &c1);
		limit = one.least + 2.5 * (one.least - (one.onepass - r->ncells * (one.onepass - one.least) / (r->ncells - 1)));
		CHECK(attgt_boot_plan(r, r->ncells, true, one.least * 0.999, &blocks) == -1,
			  "plan: less than one functional's memory is refused");
		attgt_boot_plan(r, r->ncells, true, limit, &blocks);
		blocks.fast = fast;
		attgt_boot_run(r, NULL, r->ncells, &blocks, s2, &c2);
		CHECK(blocks.block < r->ncells && blocks.block >= 1,
			  "plan (%s path): %d cells in blocks of %d", fast ? "fast" : "general", r->ncells, blocks.block);
		CHECK(max_rel_gap(s2, s1, r->ncells) == 0.0 && c1 == c2,
			  "blocks (%s path): the same se and critical value as one pass", fast ? "fast" : "general");
		free(s1);
		free(s2);
	}
	test_run_free(r);
	test_panel_free(P);
}

static void
many_draws_match_analytic(void)
{
	static const int32_t coh[] = {3, 0};
	AttgtPanel *P = test_panel(400, 3, coh, 2, 0, 0.0, 33);
	AttgtSpec	spec = test_spec(ATTGT_DR);
	int			code;
	AttgtRun   *r;
	double		se[2],
				crit;
	AttgtLin   *l;

	spec.bootstrap = 4000;
	r = test_run(P, &spec, &code);
	boot_cells(r, -1, 1e12, se, &crit);
	/* the IQR of 4000 draws estimates sigma within a few per cent */
	CHECK(fabs(se[1] / r->cells[1].se - 1.0) < 0.06, "4000 draws: bootstrap se %.4f vs analytical %.4f (within 6%%)",
		  se[1], r->cells[1].se);
	CHECK(fabs(se[0] / r->cells[0].se - 1.0) < 0.06, "4000 draws: pre-period cell se %.4f vs analytical %.4f",
		  se[0], r->cells[0].se);
	/* one functional: the uniform band is the pointwise one, about 1.96 */
	l = attgt_lin_new(r);
	l->cw[1] = 1.0;
	{
		AttgtBootPlan plan;
		double		s1,
					c1;

		attgt_boot_plan(r, 1, false, 1e12, &plan);
		attgt_boot_run(r, &l, 1, &plan, &s1, &c1);
		CHECK(s1 == se[1], "a functional equal to a cell has the cell's bootstrap se");
		CHECK(fabs(c1 - si_norm_quantile(0.975)) < 0.1, "one functional: critical value %.3f near 1.96", c1);
		CHECK(crit >= c1 - 1e-12, "two cells: uniform critical value %.3f >= one cell's %.3f", crit, c1);
	}
	attgt_lin_free(r, l);
	test_run_free(r);
	test_panel_free(P);
}

/*
 * Hand case: 2 units per group, 2 periods, psi = (-2, +2, +2, -2) (see
 * test_attgt_if.c's 2x2). Draw b is sum_i v_bi psi_i / sqrt(4); the
 * standard error is the IQR of the draws over 1.349 / sqrt(4), R's
 * quantile type 1 being order statistics ceil(B p).
 */
static int
cmpd(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

static void
hand_case(void)
{
	static const int32_t coh[] = {2, 2, 0, 0};
	AttgtPanel *P = test_panel(4, 2, coh, 4, 0, 0.0, 1);
	AttgtSpec	spec = test_spec(ATTGT_DR);
	const double y0[] = {5, 7, 2, 4},
				y1[] = {6, 10, 2, 6},
				psi[] = {-2, 2, 2, -2};
	double		draws[32],
				se,
				crit,
				want;
	int			i,
				b,
				code;
	AttgtRun   *r;

	for (i = 0; i < 4; i++)
	{
		P->y[0][i] = y0[i];
		P->y[1][i] = y1[i];
		P->w[i] = 1.0;
	}
	spec.bootstrap = 32;
	spec.seed = 2024;
	r = test_run(P, &spec, &code);
	for (b = 0; b < 32; b++)
	{
		draws[b] = 0.0;
		for (i = 0; i < 4; i++)
			draws[b] += attgt_rademacher(2024, b, i) * psi[i];
		draws[b] /= 2.0;
	}
	qsort(draws, 32, sizeof(double), cmpd);
	/* type 1: q.25 = x(8), q.75 = x(24) of 32 (1-based) */
	want = (draws[23] - draws[7]) / (si_norm_quantile(0.75) - si_norm_quantile(0.25)) / 2.0;
	boot_cells(r, 0, 1e12, &se, &crit);
	if (want == 0.0)
		CHECK(isnan(se), "hand case: IQR 0 gives no se");
	else
		CHECK_NEAR(se, want, 1e-15, "hand case (general path): se = IQR of the 32 draws / 1.349 / 2 = %.6g", want);
	boot_cells(r, 1, 1e12, &se, &crit);
	CHECK(want == 0.0 ? isnan(se) : fabs(se - want) <= 1e-15, "hand case (fast path): the same se");
	test_run_free(r);
	test_panel_free(P);
}

int
main(void)
{
	static const int32_t coh[] = {3, 4, 0, 0, 5};
	AttgtPanel *P;

	bits();
	hand_case();
	P = test_panel(50, 6, coh, 5, 0, 0.0, 12);
	fast_equals_general("balanced", P);
	P->cl = malloc(sizeof(int32_t) * P->n);
	P->ncl = 7;
	{
		int			i;

		for (i = 0; i < P->n; i++)
			P->cl[i] = (i * 3) % 7;
	}
	fast_equals_general("balanced, 7 clusters", P);
	test_panel_free(P);
	P = test_panel(60, 6, coh, 5, 0, 0.2, 13);
	fast_equals_general("unbalanced", P);
	test_panel_free(P);
	blocks_change_nothing();
	many_draws_match_analytic();
	CHECK(test_interrupts > 0, "long loops call the interrupt hook (%ld calls)", test_interrupts);
	return unit_done();
}
