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
 */
#ifndef SI_DRDID_H
#define SI_DRDID_H

#define DRDID_MAXK 64

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
 * The unit's influence function as DRDID returns it (att.inf.func, scaled
 * so that var(att) = mean(IF^2) / n).
 */
extern double drdid_panel_if(const DrdidFit *fit, const double *xrow,
							 double dy, int d, double w);

/* R's binomial fitted value clamped as DRDID does: min(p, 1 - 1e-6) */
extern double drdid_ps(const DrdidFit *fit, const double *xrow);

#endif
