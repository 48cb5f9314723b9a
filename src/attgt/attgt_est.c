/*
 * attgt_est.c — the backend side of att_gt's estimation: the panel read
 * (attgt_read.c) handed to the PostgreSQL-free numbers of
 * src/math/attgt_cells.c, attgt_if.c and attgt_boot.c with memory from
 * the current memory context and CHECK_FOR_INTERRUPTS between cells and
 * inside the long loops (through attgt_backend_hooks); the sample NOTICEs;
 * and the errors those numbers return, worded for the user. The bootstrap's
 * memory plan is checked against work_mem here.
 *
 * Owns no formula: estimators, influence functions and the bootstrap
 * belong in src/math (docs/methods.md, *Group-time average treatment
 * effects*).
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "attgt.h"
#include "distributions.h"

static void *
backend_alloc(size_t bytes, bool zero)
{
	return palloc_extended(bytes, MCXT_ALLOC_HUGE | (zero ? MCXT_ALLOC_ZERO : 0));
}

static void
backend_interrupt(void)
{
	CHECK_FOR_INTERRUPTS();
}

const AttgtHooks attgt_backend_hooks = {backend_alloc, pfree, backend_interrupt};

/* the error a cell's estimation returned, as the user reads it */
static void
cell_error(const AttgtOptions *opt, const AttgtPanel *P, const AttgtError *e)
{
	static const char *const regname[4] = {
		"outcome regression on the control units in the base period",
		"outcome regression on the control units in the period",
		"outcome regression on the treated units in the base period",
		"outcome regression on the treated units in the period"
	};
	const AttgtCell *c = e->cell;
	int32		g = attgt_plabel(P, c->g),
				t = attgt_plabel(P, P->tval[c->t]);

	switch (e->code)
	{
		case ATTGT_ERR_EMPTY_PERIOD:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cell (cohort %d, period %d) has no %s units observed in period %d",
							g, t, e->d ? "treated" : "control", attgt_plabel(P, P->tval[e->period])),
					 errhint("Every (g,t) cell needs treated and control units in its period and base period; "
							 "check the control group and the panel's coverage (see att_gt_sample).")));
			break;
		case ATTGT_ERR_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cell (cohort %d, period %d) has no %s units",
							g, t, e->d ? "treated" : "control"),
					 errhint("Check the control group and the cohorts (see att_gt_sample).")));
			break;
		case ATTGT_ERR_TRIMMED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cell (cohort %d, period %d): every control row of a period has a propensity score >= 0.995 (trimmed)",
							g, t),
					 errhint("Treated and control units do not overlap in the covariates; "
							 "use fewer covariates or est_method 'reg'.")));
			break;
		case ATTGT_ERR_PS_NOCONV:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("propensity score for cell (cohort %d, period %d) did not converge", g, t),
					 errhint("The covariates may separate treated and control units perfectly; "
							 "use fewer covariates or est_method 'reg'.")));
			break;
		default:
			{
				const char *col = (e->bad_col <= 0) ? "(intercept)" : opt->covariates[e->bad_col - 1];
				const char *what = e->drdid_code != 1 ? "propensity score" :
					e->rc ? regname[e->bad_reg] : "outcome regression on the control units";

				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("covariate \"%s\" is collinear in cell (cohort %d, period %d) (%s)",
								col, g, t, what),
						 errhint("The covariate does not vary (or is a combination of the others) among the units of this cell; "
								 "drop it from covariates.")));
			}
	}
}

AttgtRun *
attgt_estimate(AttgtOptions *opt)
{
	AttgtPanel *P = attgt_read_panel(opt);

	attgt_sample_notices(P);
	return attgt_estimate_panel(opt, P, true);
}

/* as R did warns: say what was recoded or dropped (att_gt_sample lists it) */
void
attgt_sample_notices(const AttgtPanel *P)
{
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
}

/*
 * The cells of a panel already read (by attgt_read_panel, or out of an
 * att_gt_fit): setup, every cell, the critical value, and (notices) the
 * unbalanced-panel NOTICE, which a stored fit gave when it was made.
 */
AttgtRun *
attgt_estimate_panel(AttgtOptions *opt, AttgtPanel *P, bool notices)
{
	AttgtRun   *r = palloc0(sizeof(AttgtRun));
	AttgtError	err;
	int			i;

	r->spec = opt->spec;
	r->hooks = &attgt_backend_hooks;
	r->P = P;
	if (attgt_setup(r, &err) == ATTGT_ERR_NO_TREATED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no unit is treated within the panel's periods"),
				 errhint("The cohort column gives the first treated period; 0 or NULL means never treated.")));
	else if (err.code == ATTGT_ERR_NO_PRE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cohort %d is never observed before its treatment starts", attgt_plabel(P, err.g)),
				 errhint("Every cohort needs a period before g - anticipation (%d) as its base period.",
						 opt->spec.anticipation)));

	for (i = 0; i < r->ncells; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (attgt_cell_estimate(r, &r->cells[i], &err) != ATTGT_OK)
			cell_error(opt, P, &err);
	}
	r->crit = si_norm_quantile(1.0 - opt->spec.alpha / 2.0);
	if (notices)
		attgt_unbalanced_notice(r);
	return r;
}

static void
bootstrap_memory_error(int B, double need)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("bootstrap of %d draws needs at least %.0f kB of memory, more than work_mem (%d kB)",
					B, ceil(need / 1024.0), work_mem),
			 errhint("Use fewer draws, raise work_mem for this query (SET work_mem), or bootstrap => 0 for analytical standard errors.")));
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
		bootstrap_memory_error(B, need);
}

/*
 * Bootstrap standard errors se[0..m) and the uniform critical value of
 * the functionals l (l NULL: the cells), within work_mem.
 */
void
attgt_bootstrap(const AttgtRun *r, AttgtLin **l, int m, double *se, double *crit)
{
	AttgtBootPlan plan;

	if (attgt_boot_plan(r, m, l == NULL, (double) work_mem * 1024.0, &plan) != 0)
		bootstrap_memory_error(r->spec.bootstrap, plan.least);
	if (plan.block < m)
	{
		int			nblocks = (m + plan.block - 1) / plan.block;

		ereport(NOTICE,
				(errmsg("the bootstrap needs %.0f kB to draw in one pass, more than work_mem (%d kB): computing the draws in %d blocks, about %d times as long",
						ceil(plan.onepass / 1024.0), work_mem, nblocks, 2 * nblocks),
				 errhint("SET work_mem = '%.0fMB' for this query to draw them in one pass.",
						 ceil(plan.onepass / (1024.0 * 1024.0)))));
	}
	attgt_boot_run(r, l, m, &plan, se, crit);
}
