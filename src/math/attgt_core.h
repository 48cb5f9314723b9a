/*
 * attgt_core.h — the numbers of att_gt (Callaway & Sant'Anna 2021 as R
 * did 2.5.1), free of PostgreSQL: the panel as per-unit arrays, the (g,t)
 * cells with their influence functions, standard errors, linear
 * functionals of the cells (aggregations) with their covariance, and the
 * Wald pre-test. The multiplier bootstrap is in attgt_boot.h, the
 * aggregation weights in attgt_agg.h.
 *
 * Owns the data types every attgt file shares. Must not include
 * postgres.h or report errors itself: functions return codes (and fill an
 * AttgtError) that the glue in src/attgt turns into messages; memory and
 * interrupt checks go through the caller's AttgtHooks, so a backend
 * allocates in its memory context and can cancel long loops.
 *
 * Influence-function scaling follows did (docs/methods.md, *Group-time
 * average treatment effects*, "Standard errors"): psi_i such that se =
 * sqrt(sum_i psi_i^2) / n, clustered se = sqrt(sum_c (sum_{i in c}
 * psi_i)^2) / n.
 */
#ifndef SI_ATTGT_CORE_H
#define SI_ATTGT_CORE_H

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drdid.h"
#include "periodgrid.h"

/* a standard error at or below this is zero (reported as NULL), as did */
#define ATTGT_SE_ZERO (sqrt(DBL_EPSILON) * 10.0)

/* units per block of influence-function evaluation */
#define ATTGT_CHUNK 2048

/*
 * The caller's services. alloc never returns NULL (it raises or aborts);
 * zero asks for zeroed memory. interrupt may not return (a cancel).
 */
typedef struct AttgtHooks
{
	void	   *(*alloc) (size_t bytes, bool zero);
	void		(*release) (void *p);
	void		(*interrupt) (void);
} AttgtHooks;

typedef enum
{
	ATTGT_REG = DRDID_REG,
	ATTGT_IPW = DRDID_IPW,
	ATTGT_DR = DRDID_DR
} AttgtMethod;

/* what the estimation needs of the options */
typedef struct AttgtSpec
{
	bool		notyettreated;
	int			anticipation;
	bool		universal;
	AttgtMethod method;
	double		alpha;
	int			bootstrap;		/* draws, 0 = analytical */
	uint64_t	seed;
} AttgtSpec;

/* The panel: one entry per unit, one column per period. */
typedef struct AttgtPanel
{
	int			n;				/* units */
	int			T;				/* periods */
	int32_t    *tval;			/* sorted period values */
	double	  **y;				/* y[t][i], NaN when unit i has no row in t */
	int32_t    *cohort;			/* first treated period, 0 = never treated */
	double	   *w;				/* weights, normalised to mean 1 */
	int32_t    *cl;				/* cluster index per unit, NULL = none */
	int			ncl;
	int			p;				/* covariates */
	double	   *x;				/* n x p: each unit's first row */
	double	  **xt;				/* xt[t][i * p + j] when a covariate varies
								 * within units (NaN where no row), else NULL */
	void	   *column_store;	/* the reader's storage of y and xt, freed whole
								 * (NULL: each column its own allocation) */
	bool		dated;			/* date periods: tval and cohort are grid ordinals */
	PeriodGrid	grid;
	bool		balanced;
	/* sample flow */
	int64_t		rows_read;
	int			units_read;
	int			units_late;		/* cohort after the last period: never treated */
	int			units_always;	/* treated at or before first period + anticipation */
	int			units_last_as_control;	/* no never-treated: last cohort */
	int			periods_dropped;
	int64_t		rows_dropped;
	int			units_unbalanced;	/* units missing some period */
} AttgtPanel;

typedef struct AttgtCell
{
	int32_t		g;				/* cohort */
	int			t;				/* index of the period */
	int			b;				/* index of the base period */
	bool		post;			/* g <= period */
	bool		is_base;		/* universal base cell: ATT 0, no SE */
	int32_t		ctrl_bound;		/* not-yet-treated: cohorts > this are controls */
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
	AttgtSpec	spec;
	const AttgtHooks *hooks;
	AttgtPanel *P;
	int			ncells;
	AttgtCell  *cells;
	int			ng;
	int32_t    *glist;
	double	   *pgg;			/* per cohort: mean(w * 1{G = g}) */
	double		crit;			/* pointwise or uniform critical value */
	/* pre-test */
	bool		have_w;
	double		W;
	int			W_df;
	double		W_p;
	/*
	 * attgt_cells.c's covariate design (balanced panels) shared by the
	 * consecutive cells with the same units and covariates; released after
	 * the last cell (or an error). NULL outside attgt_cell_estimate.
	 */
	struct AttgtCovDesign *cov;
	/*
	 * attgt_cells.c's units of the current cells without covariates (in
	 * panel order), shared like cov; NULL outside attgt_cell_estimate.
	 */
	struct AttgtUnitSet *uset;
	int32_t    *bucket;			/* per unit: 0 never treated, else 1 + index in glist */
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

/* Why an estimation stopped; the glue words the message. */
typedef enum
{
	ATTGT_OK = 0,
	ATTGT_ERR_NO_TREATED,		/* no unit treated within the periods */
	ATTGT_ERR_NO_PRE,			/* cohort g has no period before g - anticipation */
	ATTGT_ERR_EMPTY_PERIOD,		/* no treated (d = 1) / control units observed in period */
	ATTGT_ERR_EMPTY,			/* no treated (d = 1) / control units in the cell */
	ATTGT_ERR_COLLINEAR,		/* covariate bad_col collinear (drdid code 1 or 2) */
	ATTGT_ERR_PS_NOCONV,		/* propensity score did not converge */
	ATTGT_ERR_TRIMMED			/* every control row of a period trimmed */
} AttgtErrCode;

typedef struct AttgtError
{
	AttgtErrCode code;
	const AttgtCell *cell;		/* the cell, where there is one */
	int32_t		g;				/* ATTGT_ERR_NO_PRE */
	int			d;				/* 1 treated, 0 control (EMPTY*) */
	int			period;			/* period index (EMPTY_PERIOD) */
	int			bad_col;		/* COLLINEAR: 0 intercept, j covariate j - 1 */
	int			drdid_code;		/* COLLINEAR: 1 outcome regression, 2 propensity score */
	int			bad_reg;		/* COLLINEAR, rc: which outcome regression (0..3) */
	bool		rc;				/* the cell used the repeated cross-section estimators */
} AttgtError;

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

/* role of unit i in cell c: 1 treated, -1 control, 0 not in the cell */
static inline int
attgt_cell_role(const AttgtRun *r, const AttgtCell *c, int i)
{
	int32_t		g = r->P->cohort[i];

	if (g == c->g)
		return 1;
	if (g == 0)
		return -1;
	if (r->spec.notyettreated && g > c->ctrl_bound)
		return -1;
	return 0;
}

/* role of the units of bucket k (see AttgtRun.bucket) in cell c */
static inline int
attgt_bucket_role(const AttgtRun *r, const AttgtCell *c, int k)
{
	int32_t		g;

	if (k == 0)
		return -1;
	g = r->glist[k - 1];
	if (g == c->g)
		return 1;
	if (r->spec.notyettreated && g > c->ctrl_bound)
		return -1;
	return 0;
}

/* attgt_cells.c */
extern int	attgt_setup(AttgtRun *r, AttgtError *err);
extern int	attgt_cell_estimate(AttgtRun *r, AttgtCell *c, AttgtError *err);
extern int	attgt_gidx(const AttgtRun *r, int32_t g);

/* attgt_if.c */
extern double attgt_psi(const AttgtRun *r, const AttgtCell *c, int i);
extern double attgt_se_of(const AttgtRun *r, const double *psi);
extern AttgtLin *attgt_lin_new(const AttgtRun *r);
extern void attgt_lin_free(const AttgtRun *r, AttgtLin *l);
extern void attgt_lin_add(AttgtLin *dst, const AttgtLin *src, double a, const AttgtRun *r);
extern void attgt_lin_add_wif(AttgtLin *l, const AttgtRun *r, int nk, const int32_t *kg,
							  const double *kpg, const double *katt);
extern void attgt_lin_eval(const AttgtRun *r, const AttgtLin *l, int i0, int i1,
						   double *out, int stride);
extern void attgt_lin_eval_set(const AttgtRun *r, AttgtLin *const *l, int m, int i0, int i1,
							   double *out);
extern double attgt_lin_se(const AttgtRun *r, const AttgtLin *l);
extern void attgt_lin_vcov(const AttgtRun *r, AttgtLin **l, int m, double *V);
extern void attgt_pretest(AttgtRun *r);

#endif
