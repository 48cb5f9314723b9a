/*
 * bench_attgt_cov.c — a driver for measuring att_gt's covariate cells
 * (not a unit test: tools/unit.sh runs test_*.c only). It estimates every
 * cell of a seeded random balanced panel with covariates, their standard
 * errors and the event-study aggregation's, and prints them with 17
 * digits so two builds can be compared. Measure with
 *
 *   cc -O2 -g -std=gnu99 -Isrc/math -Itest/unit test/unit/bench_attgt_cov.c \
 *      src/math/[a-z]*.c -lm -o /tmp/bench_attgt_cov
 *   valgrind --tool=callgrind /tmp/bench_attgt_cov 20000 10 2 dr never
 *
 * Arguments: units, periods, covariates, reg|ipw|dr, never|notyet and
 * bootstrap draws (default 0: none; else the cells' bootstrap SEs too).
 */
#include "attgt_testlib.h"

int
main(int argc, char **argv)
{
	int			n = argc > 1 ? atoi(argv[1]) : 20000;
	int			T = argc > 2 ? atoi(argv[2]) : 10;
	int			p = argc > 3 ? atoi(argv[3]) : 2;
	const char *m = argc > 4 ? argv[4] : "dr";
	const char *ctl = argc > 5 ? argv[5] : "never";
	int			B = argc > 6 ? atoi(argv[6]) : 0;
	int32_t		coh[8];
	int			ncoh = 0,
				code,
				j;
	AttgtSpec	spec;
	AttgtPanel *P;
	AttgtRun   *r;
	AttgtAggResult a;
	int32_t		bad_g;
	AttgtAggLimits lim;

	/* never treated twice as often as each of up to five cohorts */
	coh[ncoh++] = 0;
	coh[ncoh++] = 0;
	for (j = 3; j < T && ncoh < 7; j += 2)
		coh[ncoh++] = j;
	spec = test_spec(strcmp(m, "reg") == 0 ? ATTGT_REG :
					 strcmp(m, "ipw") == 0 ? ATTGT_IPW : ATTGT_DR);
	spec.notyettreated = strcmp(ctl, "notyet") == 0;
	P = test_panel(n, T, coh, ncoh, p, 0.0, 7);
	r = test_run(P, &spec, &code);
	if (r == NULL)
	{
		printf("estimation failed: code %d\n", code);
		return 1;
	}
	for (j = 0; j < r->ncells; j++)
		printf("cell %d %d %.17g %.17g\n", r->cells[j].g, r->cells[j].t,
			   r->cells[j].att, r->cells[j].se);
	memset(&lim, 0, sizeof(lim));
	if (attgt_aggregate(r, AGG_DYNAMIC, &lim, &a, &bad_g) != ATTGT_AGG_OK)
	{
		printf("aggregation failed\n");
		return 1;
	}
	for (j = 0; j < a.m; j++)
		printf("event %d %.17g %.17g\n", a.key[j], a.comp[j]->att,
			   attgt_lin_se(r, a.comp[j]));
	printf("overall %.17g %.17g\n", a.overall->att, attgt_lin_se(r, a.overall));
	attgt_agg_free(r, &a);
	if (B > 0)
	{
		AttgtBootPlan plan;
		double	   *se = malloc(sizeof(double) * r->ncells),
					crit;

		r->spec.bootstrap = B;
		if (attgt_boot_plan(r, r->ncells, true, 1e9, &plan) != 0)
		{
			printf("bootstrap plan failed\n");
			return 1;
		}
		attgt_boot_run(r, NULL, r->ncells, &plan, se, &crit);
		for (j = 0; j < r->ncells; j++)
			printf("boot %d %.17g\n", j, se[j]);
		printf("crit %.17g\n", crit);
		free(se);
	}
	test_run_free(r);
	test_panel_free(P);
	return 0;
}
