/*
 * attgt_balance.c — diagnostics att_gt reports as NOTICEs: an unbalanced
 * panel whose units enter or leave differently by cohort (which can bias
 * the per-period estimator of an unbalanced panel), and what a rejecting
 * Wald pre-test means. See docs/methods.md, section att_gt ("Unbalanced
 * panels" and "Pre-test").
 *
 * Diagnostics only: reads a finished AttgtRun, changes no estimate.
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "miscadmin.h"

#include "attgt.h"

/*
 * The NOTICE fires when the share of units seen in only one of the two
 * periods of a post-treatment cell differs between treated and control
 * units by at least this much (averaged with the simple aggregation's
 * weights): then the two groups' rows change composition differently.
 */
#define TURNOVER_GAP 0.05

/* pre-test: the chi-square approximation wants many units per cell */
#define PRETEST_UNITS_PER_CELL 5

void
attgt_unbalanced_notice(const AttgtRun *r)
{
	const AttgtPanel *P = r->P;
	int			i,
				j,
				t;
	int			n[2] = {0, 0},
				late[2] = {0, 0},
				early[2] = {0, 0};
	double		wsum = 0.0,
				turn[2] = {0.0, 0.0},
				att_rows = 0.0,
				att_both = 0.0;
	bool		both_ok = (P->p == 0);

	if (P->balanced || P->n == 0)
		return;

	/* entering after the first / leaving before the last period, per group */
	for (i = 0; i < P->n; i++)
	{
		int			d = P->cohort[i] != 0;
		int			first = -1,
					last = -1;

		for (t = 0; t < P->T; t++)
			if (!isnan(P->y[t][i]))
			{
				if (first < 0)
					first = t;
				last = t;
			}
		n[d]++;
		if (first > 0)
			late[d]++;
		if (last >= 0 && last < P->T - 1)
			early[d]++;
	}

	/*
	 * Post-treatment cells: the share of a group's units seen in only one of
	 * the cell's two periods, and (without covariates) the cell estimated on
	 * the units seen in both, weighted as the simple aggregation weights
	 * cells (cohort share pg).
	 */
	for (j = 0; j < r->ncells; j++)
	{
		const AttgtCell *c = &r->cells[j];
		int			cnt[2] = {0, 0},
					cboth[2] = {0, 0},
					d;
		double		sdy[2] = {0.0, 0.0},
					sw[2] = {0.0, 0.0},
					pg;

		if (c->is_base || !c->post)
			continue;
		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < P->n; i++)
		{
			int			role = attgt_cell_role(r, c, i);
			bool		ot,
						ob;

			if (role == 0)
				continue;
			ot = !isnan(P->y[c->t][i]);
			ob = !isnan(P->y[c->b][i]);
			if (!ot && !ob)
				continue;
			d = role > 0;
			cnt[d]++;
			if (ot && ob)
			{
				cboth[d]++;
				sdy[d] += P->w[i] * (P->y[c->t][i] - P->y[c->b][i]);
				sw[d] += P->w[i];
			}
		}
		if (cnt[0] == 0 || cnt[1] == 0)
			continue;
		pg = r->pgg[attgt_gidx(r, c->g)];
		wsum += pg;
		for (d = 0; d < 2; d++)
			turn[d] += pg * (1.0 - (double) cboth[d] / cnt[d]);
		att_rows += pg * c->att;
		if (sw[0] > 0.0 && sw[1] > 0.0)
			att_both += pg * (sdy[1] / sw[1] - sdy[0] / sw[0]);
		else
			both_ok = false;
	}
	if (!(wsum > 0.0))
		return;
	for (i = 0; i < 2; i++)
		turn[i] /= wsum;
	if (fabs(turn[1] - turn[0]) < TURNOVER_GAP)
		return;

	ereport(NOTICE,
			(errmsg("att_gt: unbalanced panel: %d of %d units (%.1f%%) miss some period, and units enter or leave differently by cohort",
					P->units_unbalanced, P->n, 100.0 * P->units_unbalanced / P->n),
			 both_ok ?
			 errdetail("Entered after the first period: never treated %.1f%%, treated %.1f%%; left before the last period: never treated %.1f%%, treated %.1f%%. "
					   "Units seen in only one of the two periods of a post-treatment cell: controls %.1f%%, treated %.1f%%. "
					   "Post-treatment cells averaged with the simple aggregation's weights: %.4f from all rows, %.4f from the units seen in both periods of each cell.",
					   n[0] ? 100.0 * late[0] / n[0] : 0.0, n[1] ? 100.0 * late[1] / n[1] : 0.0,
					   n[0] ? 100.0 * early[0] / n[0] : 0.0, n[1] ? 100.0 * early[1] / n[1] : 0.0,
					   100.0 * turn[0], 100.0 * turn[1], att_rows / wsum, att_both / wsum) :
			 errdetail("Entered after the first period: never treated %.1f%%, treated %.1f%%; left before the last period: never treated %.1f%%, treated %.1f%%. "
					   "Units seen in only one of the two periods of a post-treatment cell: controls %.1f%%, treated %.1f%%.",
					   n[0] ? 100.0 * late[0] / n[0] : 0.0, n[1] ? 100.0 * late[1] / n[1] : 0.0,
					   n[0] ? 100.0 * early[0] / n[0] : 0.0, n[1] ? 100.0 * early[1] / n[1] : 0.0,
					   100.0 * turn[0], 100.0 * turn[1]),
			 errhint("On an unbalanced panel each (g,t) cell compares the rows of two periods (repeated cross sections, as R did with allow_unbalanced_panel = TRUE): "
					 "units entering or leaving change the comparison, and bias it when who enters or leaves relates to the outcome. "
					 "Estimate on the units observed in every period (a balanced panel, R did's default) or explain why entry and exit are unrelated to the outcome; see docs/methods.md, att_gt.")));
}

/*
 * After a rejecting pre-test: say what it means, and whether cohorts with
 * few units per pre-treatment cell make the Wald statistic unreliable
 * (the covariance of a cohort's k pre-treatment cells is estimated from
 * its n treated units; the chi-square reference needs n much larger than
 * k, as Hotelling's T^2 = (n - 1) k / (n - k) F shows).
 */
void
attgt_pretest_hint(const AttgtRun *r)
{
	int			gi,
				j,
				nsmall = 0,
				worst_g = 0,
				worst_n = 0,
				worst_k = 0;
	double		worst = INFINITY;

	if (!r->have_w || !(r->W_p < 0.05))
		return;
	for (gi = 0; gi < r->ng; gi++)
	{
		int			k = 0,
					nmin = INT_MAX;

		for (j = 0; j < r->ncells; j++)
		{
			const AttgtCell *c = &r->cells[j];

			if (c->g != r->glist[gi] || !(c->g > r->P->tval[c->t]) || isnan(c->se))
				continue;
			k++;
			nmin = Min(nmin, c->n_treated);
		}
		if (k == 0)
			continue;
		if (nmin < PRETEST_UNITS_PER_CELL * k)
			nsmall++;
		if ((double) nmin / k < worst)
		{
			worst = (double) nmin / k;
			worst_g = r->glist[gi];
			worst_n = nmin;
			worst_k = k;
		}
	}
	ereport(NOTICE,
			(errmsg("att_gt_pretest: parallel trends before treatment rejected (W = %.1f, df = %d, p = %.2g)",
					r->W, r->W_df, r->W_p),
			 nsmall > 0 ?
			 errdetail("%d of %d cohorts have fewer than %d treated units per pre-treatment cell (cohort %d: %d units, %d cells): "
					   "with so few units the covariance matrix of the pre-treatment estimates is nearly singular and W over-rejects; "
					   "test the cohorts with enough units, and read the pre-treatment event times.",
					   nsmall, r->ng, PRETEST_UNITS_PER_CELL, attgt_plabel(r->P, worst_g), worst_n, worst_k) :
			 errdetail("Every cohort has at least %d treated units per pre-treatment cell (fewest: cohort %d, %d units for %d cells).",
					   PRETEST_UNITS_PER_CELL, attgt_plabel(r->P, worst_g), worst_n, worst_k),
			 errhint("A rejection says the pre-treatment ATT(g,t) are not all zero: before treatment the cohorts trended differently from their controls, so parallel trends after treatment are in doubt. "
					 "Look at the pre-treatment event times (att_gt_aggregate type => 'dynamic'); if trends differ, assume parallel trends conditional on covariates (covariates => ...), "
					 "or try control_group => 'notyettreated', base_period => 'universal' or anticipation; on an unbalanced panel compare with the balanced one; see docs/methods.md, att_gt.")));
}
