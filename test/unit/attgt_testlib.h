/*
 * attgt_testlib.h — shared fixtures of the att_gt unit tests: malloc
 * hooks, small panels built from a seeded generator, a run estimated from
 * a panel. PostgreSQL-free, as src/math/attgt_*.c.
 */
#ifndef SI_ATTGT_TESTLIB_H
#define SI_ATTGT_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attgt_agg.h"
#include "attgt_boot.h"
#include "attgt_core.h"
#include "rng.h"

static long test_interrupts = 0;

static void *
test_alloc(size_t bytes, bool zero)
{
	void	   *p = zero ? calloc(1, bytes ? bytes : 1) : malloc(bytes ? bytes : 1);

	if (p == NULL)
	{
		fprintf(stderr, "out of memory\n");
		abort();
	}
	return p;
}

static void
test_interrupt(void)
{
	test_interrupts++;
}

static const AttgtHooks test_hooks = {test_alloc, free, test_interrupt};

/*
 * A panel of n units and T periods 1..T: cohorts cycle through cohorts[]
 * (0 = never treated), outcomes unit effect + period effect + noise +
 * effect (1 + e) from the cohort on (e = event time), weights in
 * [0.5, 1.5], p covariates (standard normal-ish, shifting the outcome
 * trend). missing: share of rows dropped at random (unbalanced panel).
 */
static AttgtPanel *
test_panel(int n, int T, const int32_t *cohorts, int ncoh, int p, double missing, uint64_t seed)
{
	AttgtPanel *P = calloc(1, sizeof(AttgtPanel));
	SiRng		rng;
	int			i,
				t,
				j;

	si_rng_seed(&rng, seed);
	P->n = n;
	P->T = T;
	P->p = p;
	P->tval = malloc(sizeof(int32_t) * T);
	P->y = malloc(sizeof(double *) * T);
	P->cohort = malloc(sizeof(int32_t) * n);
	P->w = malloc(sizeof(double) * n);
	P->x = malloc(sizeof(double) * n * (p > 0 ? p : 1));
	P->balanced = true;
	for (t = 0; t < T; t++)
	{
		P->tval[t] = t + 1;
		P->y[t] = malloc(sizeof(double) * n);
	}
	for (i = 0; i < n; i++)
	{
		double		ui = si_rng_uniform(&rng) * 4.0,
					trend = 0.0;

		P->cohort[i] = cohorts[i % ncoh];
		P->w[i] = 0.5 + si_rng_uniform(&rng);
		for (j = 0; j < p; j++)
		{
			double		xv = si_rng_uniform(&rng) + si_rng_uniform(&rng) +
				si_rng_uniform(&rng) - 1.5 + (P->cohort[i] ? 0.3 : 0.0);

			P->x[i * p + j] = xv;
			trend += 0.5 * xv;
		}
		for (t = 0; t < T; t++)
		{
			double		y = ui + 0.3 * (t + 1) + trend * (t + 1) + si_rng_uniform(&rng) - 0.5;

			if (P->cohort[i] && t + 1 >= P->cohort[i])
				y += 1.0 + (t + 1 - P->cohort[i]);
			if (missing > 0 && si_rng_uniform(&rng) < missing)
			{
				y = NAN;
				P->balanced = false;
			}
			P->y[t][i] = y;
		}
	}
	return P;
}

static void
test_panel_free(AttgtPanel *P)
{
	int			t;

	for (t = 0; t < P->T; t++)
		free(P->y[t]);
	free(P->y);
	free(P->tval);
	free(P->cohort);
	free(P->w);
	free(P->x);
	free(P->cl);
	free(P);
}

static void
test_run_free(AttgtRun *r)
{
	int			j;

	for (j = 0; j < r->ncells; j++)
	{
		free(r->cells[j].fit);
		free(r->cells[j].rcfit);
	}
	free(r->cells);
	free(r->glist);
	free(r->pgg);
	free(r->bucket);
	free(r);
}

/* setup and every cell; NULL (and the error code in *code) on failure */
static AttgtRun *
test_run(AttgtPanel *P, const AttgtSpec *spec, int *code)
{
	AttgtRun   *r = calloc(1, sizeof(AttgtRun));
	AttgtError	err;
	int			j;

	r->spec = *spec;
	r->hooks = &test_hooks;
	r->P = P;
	*code = attgt_setup(r, &err);
	for (j = 0; *code == ATTGT_OK && j < r->ncells; j++)
		*code = attgt_cell_estimate(r, &r->cells[j], &err);
	if (*code != ATTGT_OK)
	{
		test_run_free(r);
		return NULL;
	}
	return r;
}

static AttgtSpec
test_spec(AttgtMethod method)
{
	AttgtSpec	s;

	memset(&s, 0, sizeof(s));
	s.method = method;
	s.alpha = 0.05;
	s.seed = 42;
	return s;
}

#endif
