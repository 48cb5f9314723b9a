/*
 * drdid.h — the panel-data 2x2 DiD estimators of Sant'Anna & Zhao (2020)
 * as implemented in R's DRDID (reg_did_panel, std_ipw_did_panel,
 * drdid_panel), with their influence functions. No PostgreSQL
 * dependency.
 *
 * Input: n units of one (g,t) cell's subsample; for each unit the outcome
 * change dy = y(t) - y(base), the treatment indicator d (0/1), a prior
 * weight w (> 0) and a covariate row x of k entries whose first entry is 1
 * (the intercept).
 *
 * No postgres.h here: callers report the return codes.
 */
#ifndef SI_DRDID_H
#define SI_DRDID_H

#define DRDID_MAXK 64

/* DRDID's cap on fitted propensity scores and its trimming of controls */
#define DRDID_PS_CAP (1.0 - 1e-6)
#define DRDID_TRIM_LEVEL 0.995

/* capped propensity score logistic(gamma'x), shared by panel and RC code */
extern double drdid_ps_capped(const double *gamma, const double *xrow, int k);

enum
{
	DRDID_REG = 0,
	DRDID_IPW = 1,
	DRDID_DR = 2
};

typedef struct DrdidFit
{
	int			method;
	int			k;				/* columns incl. intercept */
	double		att;
	double		wmean;			/* mean prior weight in the subsample */
	double		beta[DRDID_MAXK];	/* outcome regression on controls */
	double		gamma[DRDID_MAXK];	/* propensity score logit */
	double		eta_t,
				eta_c,
				mw_t,
				mw_c;
	double		a1[DRDID_MAXK]; /* XpX^-1 M1 */
	double		a3[DRDID_MAXK]; /* XpX^-1 M3 (dr) */
	double		h[DRDID_MAXK];	/* Hessian_ps M2 */
	int			ps_iterations;
} DrdidFit;

/*
 * Fit one cell. work needs drdid_work_size(n, k) doubles. Returns 0 on
 * success; otherwise a code and *bad_col (the offending column of x):
 *  1  outcome regression on the controls is rank deficient
 *  2  propensity-score logit is rank deficient
 *  3  propensity-score logit did not converge
 *  4  no treated or no control units
 */
extern int	drdid_panel_fit(int method, int n, int k, const double *x,
							const double *dy, const double *d, const double *w,
							DrdidFit *fit, double *work, int *bad_col);
extern long drdid_work_size(int n, int k);

/*
 * drdid_panel_fit in two steps, for callers that fit several outcome
 * changes dy on the same units (att_gt's cells of one cohort and control
 * group at different periods): the design depends only on x, d and w
 * (mean weight, the controls' (X'WX)^-1, the propensity-score logit and
 * its Hessian, each unit's propensity score), the fit on dy. The two
 * steps give bit for bit what drdid_panel_fit gives (it calls them).
 *
 * drdid_panel_design keeps pointers to x and d (which must outlive the
 * design) and its arrays in store (drdid_design_size(n, k) doubles); work
 * needs drdid_design_work_size(n, k). It returns drdid_panel_fit's codes
 * 1 to 4. drdid_panel_fit_design needs 4k + n doubles of work and cannot
 * fail (an estimate without defined weights is NaN, as in DRDID).
 * drdid_panel_fit_design_if also writes each unit's influence function
 * (drdid_panel_if_ps's value, bit for bit) to inf[0..n).
 */
typedef struct DrdidPanelDesign
{
	int			method;
	int			n;
	int			k;
	const double *x;			/* n x k */
	const double *d;			/* n */
	double		wmean;
	double	   *wn;				/* n: w / wmean */
	double	   *ps;				/* n: capped propensity scores (ipw, dr) */
	double	   *inv_raw;		/* k x k: (X'W X)^-1 over the controls (reg, dr) */
	double	   *inv;			/* k x k: n inv_raw, DRDID's XpX.inv */
	double	   *hess;			/* k x k: Hessian.ps (ipw, dr) */
	/*
	 * what the fit needs of the design alone, computed once: each control's
	 * propensity weight (ipw, dr), the moments M1 and M3 with the fit's
	 * loadings a1 = XpX.inv M1, a3 = XpX.inv M3 (reg: a1; dr: both) and
	 * each unit's x'a1 and x'a3
	 */
	double	   *wc;				/* n: w p / (1 - p) of a control, 0 if trimmed or treated */
	double	   *xa1;			/* n: x_i'a1 (reg, dr) */
	double	   *xa3;			/* n: x_i'a3 (dr) */
	double		gamma[DRDID_MAXK];
	int			ps_iterations;
	double		swt;			/* sum of the treated weights (ipw, dr) */
	double		swc;			/* sum of wc (ipw, dr) */
	double		a1[DRDID_MAXK];
	double		a3[DRDID_MAXK];
} DrdidPanelDesign;

extern long drdid_design_size(int n, int k);
extern long drdid_design_work_size(int n, int k);
extern int	drdid_panel_design(int method, int n, int k, const double *x,
							   const double *d, const double *w, DrdidPanelDesign *des,
							   double *store, double *work, int *bad_col);
extern void drdid_panel_fit_design(const DrdidPanelDesign *des, const double *dy,
								   DrdidFit *fit, double *work);
extern void drdid_panel_fit_design_if(const DrdidPanelDesign *des, const double *dy,
									  DrdidFit *fit, double *work, double *inf);

/*
 * The unit's influence function as DRDID returns it (att.inf.func, scaled
 * so that var(att) = mean(IF^2) / n). drdid_panel_if_ps takes the unit's
 * propensity score drdid_ps(fit, xrow) (ignored by reg) when the caller
 * has it already; the result is the same bit for bit.
 */
extern double drdid_panel_if(const DrdidFit *fit, const double *xrow,
							 double dy, int d, double w);
extern double drdid_panel_if_ps(const DrdidFit *fit, const double *xrow,
								double dy, int d, double w, double ps);

/* R's binomial fitted value clamped as DRDID does: min(p, 1 - 1e-6) */
extern double drdid_ps(const DrdidFit *fit, const double *xrow);

/*
 * Shared by the panel and the repeated-cross-section fits (drdid.c):
 * weighted least squares on the rows of one group 2 d + post (post NULL:
 * 0), returning -1 or the singular column; and the propensity-score logit
 * with DRDID's Hessian.ps = n (X' diag(w p (1 - p)) X)^-1, returning 0,
 * 2 (rank deficient, *bad_col) or 3 (no convergence).
 */
extern int	drdid_wls(const double *x, int n, int k, const double *y, const double *wn,
					  const double *d, const double *post, int group,
					  double *xtx, double *inv, double *scratch, double *vec, double *beta);
extern int	drdid_ps_fit(const double *x, int n, int k, const double *d, const double *wn,
						 double *gamma, int *iterations, double *irls, double *tmp, double *hess,
						 int *bad_col);

/*
 * Repeated cross sections (DRDID's reg_did_rc, std_ipw_did_rc and the
 * locally efficient drdid_rc of Sant'Anna & Zhao 2020). Input: n rows
 * (observations) of one cell: outcome y, post (0/1: row from the cell's
 * period rather than its base period), d (0/1), prior weight w > 0 and
 * the covariate row x (k entries, first = 1). R did uses these for an
 * unbalanced panel, summing the row influence functions per unit.
 *
 * Outcome regressions r: 0 control/pre, 1 control/post, 2 treated/pre,
 * 3 treated/post (reg fits 0 and 1, dr all four).
 */
typedef struct DrdidRcFit
{
	int			method;
	int			k;
	double		att;
	double		wmean;			/* mean prior weight over the rows */
	double		beta[4][DRDID_MAXK];	/* outcome regressions */
	double		a[4][DRDID_MAXK];	/* XpX_r^-1 times the IF loading of beta_r */
	double		gamma[DRDID_MAXK];	/* propensity score logit */
	double		h[DRDID_MAXK];	/* Hessian_ps (M2.post - M2.pre) */
	/* Hajek components: m_* = mean weight over the rows, e_* = weighted mean */
	double		m_t[2],
				e_t[2];			/* treated [pre, post] */
	double		m_c[2],
				e_c[2];			/* controls, ps-weighted [pre, post] (ipw, dr) */
	double		m_reg,
				e_reg;			/* reg: treated rows, mean of m1(x) - m0(x) */
	double		m_d,
				e_d[2],
				e_dt[2];		/* dr efficiency terms [pre, post] */
	/*
	 * dr: DRDID adds the control pre-period OLS estimation effect with the
	 * loading M1.pre - M3.pre + mom.pre (inf.treat.or and inf.cont.or sum
	 * post and pre terms); the derivative of the estimator has -M1.pre +
	 * M3.pre + mom.pre (the pre-period terms enter the ATT with a minus).
	 * The two differ by a term that vanishes when the propensity score is
	 * correctly specified. a[0] follows DRDID; a0_exact is the derivative,
	 * used by drdid_rc_if when exact is set (unit tests).
	 */
	double		a0_exact[DRDID_MAXK];
	int			exact;
	int			bad_reg;		/* on return 1: which regression (0..3) */
	int			ps_iterations;
} DrdidRcFit;

/*
 * Return codes as drdid_panel_fit (1 names the regression in bad_reg; 4
 * also when a (d, post) group is empty, bad_reg = 2 d + post), and 5 when
 * every control row of a period is trimmed (propensity score >= 0.995).
 */
extern int	drdid_rc_fit(int method, int n, int k, const double *x,
						 const double *y, const double *post, const double *d,
						 const double *w, DrdidRcFit *fit, double *work, int *bad_col);
extern long drdid_rc_work_size(int n, int k);

/* the row's influence function as DRDID returns it (var = mean(IF^2)/n) */
extern double drdid_rc_if(const DrdidRcFit *fit, const double *xrow,
						  double y, int post, int d, double w);

#endif
