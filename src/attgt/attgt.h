/*
 * attgt.h — the glue of att_gt (Callaway & Sant'Anna 2021 as R's did
 * 2.5.1): the options of the SQL functions, reading the panel, and the
 * backend wrappers around the PostgreSQL-free numbers of
 * src/math/attgt_core.h (cells, influence functions), attgt_boot.h
 * (multiplier bootstrap) and attgt_agg.h (aggregations).
 */
#ifndef SI_ATTGT_H
#define SI_ATTGT_H

#include "postgres.h"

#include "fmgr.h"

#include "attgt_agg.h"
#include "attgt_boot.h"
#include "attgt_core.h"

typedef struct AttgtOptions
{
	Oid			relid;
	char	   *outcome;
	char	   *unit;
	char	   *period;
	char	   *cohort;
	int			ncov;
	char	  **covariates;
	char	   *weights;		/* NULL = unweighted */
	char	   *cluster;		/* NULL = unit only */
	AttgtSpec	spec;			/* control group, base period, method, inference */
} AttgtOptions;

/* attgt_read.c */
extern AttgtPanel *attgt_read_panel(AttgtOptions *opt);
/* frees the outcome and per-period covariate columns (the bulk of a panel) */
extern void attgt_panel_release(AttgtPanel *P);
/* a period or cohort as reported: itself, or the date grid's code */
extern int32 attgt_plabel(const AttgtPanel *P, int32 v);

/* attgt_est.c */
extern const AttgtHooks attgt_backend_hooks;
extern AttgtRun *attgt_estimate(AttgtOptions *opt);
extern AttgtRun *attgt_estimate_panel(AttgtOptions *opt, AttgtPanel *P, bool notices);
extern void attgt_sample_notices(const AttgtPanel *P);
extern void attgt_bootstrap_check(int B);
extern void attgt_bootstrap(const AttgtRun *r, AttgtLin **l, int m, double *se, double *crit);

/* attgt_fit.c: the stored estimate (type att_gt_fit) */
extern struct varlena *attgt_fit_encode(const AttgtPanel *P, const AttgtOptions *opt);
extern struct varlena *attgt_fit_arg(FunctionCallInfo fcinfo, int k);
extern AttgtOptions *attgt_fit_options(struct varlena *fit);
extern AttgtPanel *attgt_fit_panel(struct varlena *fit);
extern AttgtRun *attgt_fit_run(struct varlena *fit, AttgtOptions *opt, bool notices);

/* attgt_balance.c */
extern void attgt_unbalanced_notice(const AttgtRun *r);
extern void attgt_pretest_hint(const AttgtRun *r);

#endif
