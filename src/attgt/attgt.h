/*
 * attgt.h — group-time average treatment effects (Callaway & Sant'Anna
 * 2021) as in R's did 2.5.1: the panel read once into per-unit arrays,
 * the (g,t) cells with their influence functions, and the aggregations.
 */
#ifndef SI_ATTGT_H
#define SI_ATTGT_H

#include "postgres.h"

#include "fmgr.h"

#include "drdid.h"
#include "periodgrid.h"

typedef enum
{
	ATTGT_REG = 0,
	ATTGT_IPW = 1,
	ATTGT_DR = 2
} AttgtMethod;

typedef struct AttgtOptions
{
	Oid			relid;
	char	   *outcome;
	char	   *unit;
	char	   *period;
	char	   *cohort;
	bool		notyettreated;
	int			anticipation;
	bool		universal;
	int			ncov;
	char	  **covariates;
	AttgtMethod method;
	char	   *weights;		/* NULL = unweighted */
	char	   *cluster;		/* NULL = unit only */
	double		alpha;
	int			bootstrap;		/* 0 = analytical */
	int64		seed;
} AttgtOptions;

/* The panel: one entry per unit, one column per period. */
typedef struct AttgtPanel
{
	int			n;				/* units */
	int			T;				/* periods */
	int32	   *tval;			/* sorted period values */
	double	  **y;				/* y[t][i], NaN when unit i has no row in t */
	int32	   *cohort;			/* first treated period, 0 = never treated */
	double	   *w;				/* weights, normalised to mean 1 */
	int32	   *cl;				/* cluster index per unit, NULL = none */
	int			ncl;
	int			p;				/* covariates */
	double	   *x;				/* n x p: each unit's first row */
	double	  **xt;				/* xt[t][i * p + j] when a covariate varies
								 * within units (NaN where no row), else NULL */
	bool		dated;			/* date periods: tval and cohort are grid ordinals */
	PeriodGrid	grid;
	bool		balanced;
	/* sample flow */
	int64		rows_read;
	int			units_read;
	int			units_late;		/* cohort after the last period: never treated */
	int			units_always;	/* treated at or before first period + anticipation */
	int			units_last_as_control;	/* no never-treated: last cohort */
	int			periods_dropped;
	int64		rows_dropped;
	int			units_unbalanced;	/* units missing some period */
} AttgtPanel;

typedef struct AttgtCell
{
	int32		g;				/* cohort */
	int			t;				/* index of the period */
	int			b;				/* index of the base period */
	bool		post;			/* g <= period */
	bool		is_base;		/* universal base cell: ATT 0, no SE */
	int32		ctrl_bound;		/* not-yet-treated: cohorts > this are controls */
	double		att;
	double		se;				/* NaN = NA */
	int			n_treated;
	int			n_control;
	/* unconditional DiD: weighted means and weight sums [treated][post] */
	double		ybar[2][2];
	double		wsum[2][2];
	/* covariates: the DRDID fit for the cell */
	DrdidFit   *fit;
	int			n1;				/* units (panel) or rows (rc) in the cell's subsample */
	/* covariates on an unbalanced panel: repeated cross sections (rows) */
	DrdidRcFit *rcfit;
} AttgtCell;

typedef struct AttgtRun
{
	AttgtOptions *opt;
	AttgtPanel *P;
	int			ncells;
	AttgtCell  *cells;
	int			ng;
	int32	   *glist;
	double	   *pgg;			/* per cohort: mean(w * 1{G = g}) */
	double		crit;			/* pointwise or uniform critical value */
	/* pre-test */
	bool		have_w;
	double		W;
	int			W_df;
	double		W_p;
} AttgtRun;

/*
 * A linear functional of the cell estimates: psi_i = sum_c cw[c] psi_ic
 * + w_i gc[cohort of i] (the second part carries did's wif term for
 * estimated cohort shares); att is the functional's estimate.
 */
typedef struct AttgtLin
{
	double	   *cw;
	double	   *gc;
	double		att;
} AttgtLin;

/*
 * Covariates of unit i as of period index t: R did's panel estimator takes
 * them from the earlier period of each 2x2 comparison, its repeated
 * cross-section estimator (unbalanced panels) from each row.
 */
static inline const double *
attgt_xrow(const AttgtPanel *P, int i, int t)
{
	return P->xt ? P->xt[t] + (long) i * P->p : P->x + (long) i * P->p;
}

/* attgt_read.c */
extern AttgtPanel *attgt_read_panel(AttgtOptions *opt);
/* a period or cohort as reported: itself, or the date grid's code */
extern int32 attgt_plabel(const AttgtPanel *P, int32 v);

/* attgt_est.c */
extern AttgtRun *attgt_estimate(AttgtOptions *opt);
extern double attgt_psi(const AttgtRun *r, const AttgtCell *c, int i);
extern double attgt_se_of(const AttgtRun *r, const double *psi);
extern int	attgt_gidx(const AttgtRun *r, int32 g);
extern AttgtLin *attgt_lin_new(const AttgtRun *r);
extern void attgt_lin_add(AttgtLin *dst, const AttgtLin *src, double a, const AttgtRun *r);
extern void attgt_lin_add_wif(AttgtLin *l, const AttgtRun *r, int nk, const int32 *kg,
							  const double *kpg, const double *katt);
extern double attgt_lin_se(const AttgtRun *r, const AttgtLin *l);
extern void attgt_lin_vcov(const AttgtRun *r, AttgtLin **l, int m, double *V);
extern void attgt_bootstrap_check(int B);
extern void attgt_bootstrap(const AttgtRun *r, AttgtLin **l, int m, double *se, double *crit);
extern void attgt_pretest(AttgtRun *r);
extern int	attgt_cell_role(const AttgtRun *r, const AttgtCell *c, int i);

/* attgt_balance.c */
extern void attgt_unbalanced_notice(const AttgtRun *r);
extern void attgt_pretest_hint(const AttgtRun *r);

#endif
