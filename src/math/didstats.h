/*
 * didstats.h — PostgreSQL-free sufficient statistics and variance formulas
 * for difference-in-differences on person-level changes (see
 * docs/methods.md, *Difference-in-differences on person-level changes*, for
 * the derivations). No postgres.h here: src/did/ is the only caller in the
 * extension, test/unit/test_didstats.c the other.
 *
 * Two-by-two form: per group (0 = control, 1 = treated) the weighted count,
 * mean and centred second moments of the change D = post - pre, updated
 * with Welford's method and merged with Chan's formulas. Regression form
 * (change on 1, treated and p covariates): cross-product sums X'WX, X'Wy,
 * y'Wy plus the fourth-order moment sums that make the HC0/HC1 meat exact
 * in one pass.
 */
#ifndef SI_DIDSTATS_H
#define SI_DIDSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* weighted moments of the change in one group */
typedef struct si_did_group
{
	int64_t		n;				/* rows */
	double		W;				/* sum of weights */
	double		mean;			/* weighted mean of the change */
	double		M2;				/* sum w (d - mean)^2 */
	double		Q0;				/* sum w^2 */
	double		Q1;				/* sum w^2 (d - mean) (0 without weights) */
	double		Q2;				/* sum w^2 (d - mean)^2 */
	double		mean_pre;		/* weighted mean of the pre outcome */
	double		mean_post;		/* weighted mean of the post outcome */
} si_did_group;

/* weighted mean of the change in one (cluster, group) cell */
typedef struct si_did_cell
{
	int64_t		n;
	double		W;
	double		mean;
} si_did_cell;

extern void si_did_group_add(si_did_group *g, double pre, double post, double w);
extern void si_did_group_merge(si_did_group *a, const si_did_group *b);
extern void si_did_cell_add(si_did_cell *c, double d, double w);
extern void si_did_cell_merge(si_did_cell *a, const si_did_cell *b);

/* variance estimators, by name at read-out */
typedef enum si_did_vtype
{
	SI_VAR_WELCH = 0,
	SI_VAR_CLASSICAL,
	SI_VAR_HC0,
	SI_VAR_HC1,
	SI_VAR_HC2,
	SI_VAR_HC3,
	SI_VAR_CR0,
	SI_VAR_CR1
} si_did_vtype;

#define SI_VAR_COUNT 8

/* canonical lower-case name; parse is case-insensitive ("pooled" = classical) */
extern const char *si_did_vtype_name(si_did_vtype v);
extern int	si_did_vtype_parse(const char *s, si_did_vtype *v);

/*
 * Small-sample factor of CR1, by name at read-out (docs/methods.md):
 *   stata   G/(G-1) (2n-1)/(2n-2k): Stata's regress, vce(cluster) and R
 *           sandwich::vcovCL(type = "HC1") on the equivalent stacked panel
 *           (two rows per person, N = 2n observations, K = 2k coefficients:
 *           1, treated, covariates and their interactions with post)
 *   person  G/(G-1) (n-1)/(n-k): the same factor on the person-level change
 *           regression (N = n rows, K = k coefficients)
 *   g_only  G/(G-1)
 * n rows (persons), k coefficients of the change regression (2 without
 * covariates), G clusters.
 */
typedef enum si_did_small_sample
{
	SI_SS_STATA = 0,
	SI_SS_PERSON,
	SI_SS_G_ONLY
} si_did_small_sample;

#define SI_SS_COUNT 3
#define SI_SS_DEFAULT SI_SS_STATA

extern const char *si_did_small_sample_name(si_did_small_sample s);
extern int	si_did_small_sample_parse(const char *s, si_did_small_sample *out);

/* the CR1 factor; NaN when undefined (G < 2, or n <= k for stata/person) */
extern double si_did_cr1_factor(si_did_small_sample s, int64_t G, int64_t n, int k);

/*
 * Variance of the difference of group means for the 2x2 form (no
 * covariates). cells0/cells1: per-cluster cells of control and treated
 * (G clusters), only for CR0/CR1 (CR1 with the person factor; apply
 * si_did_cr1_factor to CR0 for the others). Returns 0 and sets *var and *df
 * (degrees of freedom of the t reference: Welch-Satterthwaite for welch,
 * N - 2 for classical and HC, G - 1 for CR), or a non-zero code:
 *   1  a group has fewer than 2 rows (the variance is undefined)
 *   2  HC2/HC3 are not defined for weighted data in this form
 *   3  fewer than 2 clusters
 *   4  a cluster variance asked for without clusters
 */
extern int	si_did2x2_variance(const si_did_group g[2], bool weighted, si_did_vtype v,
							   const si_did_cell *cells0, const si_did_cell *cells1,
							   int64_t G, double *var, double *df);

/* ---- regression form ---- */

#define SI_DID_MAX_COVARIATES 20

/*
 * Weights of did_weighted(_state): within this range every square w^2 is
 * a normal positive double, so the group sums W and Q0 = sum w^2 stay
 * positive (a state always reads back); sums that still overflow with
 * many rows are reported as out of range.
 */
#define SI_DID_WEIGHT_MIN 1e-150
#define SI_DID_WEIGHT_MAX 1e150

/* number of distinct entries of a symmetric k x k, k^3, k^4 array */
extern size_t si_sym2_len(int k);
extern size_t si_sym3_len(int k);
extern size_t si_sym4_len(int k);

/* position of a sorted index tuple (a <= b [<= c [<= d]]) in the packed order */
extern size_t si_sym2_pos(int k, int a, int b);

/*
 * Add one row (regressors x[0..k-1], outcome y, weight w) to the sums:
 * xtx = sum w x x' (packed), xty = sum w x y, *yty += w y^2, and, for the
 * exact HC0/HC1 meat, myy = sum w^2 y^2 x x', my3 = sum w^2 y x x x,
 * m4 = sum w^2 x x x x (all packed symmetric).
 */
extern void si_ols_accum(int k, const double *x, double y, double w,
						 double *xtx, double *xty, double *yty,
						 double *myy, double *my3, double *m4);

/*
 * Cholesky factor of the packed symmetric matrix a (k x k) into full
 * lower-triangular l (k*k, row-major). Returns -1 when positive definite,
 * else the first column j whose pivot falls below tol times its diagonal
 * (collinear with the columns before it, or constant).
 */
extern int	si_cholesky_packed(int k, const double *a, double *l, double tol);

/* solve (L L') x = b in place (b has k entries) */
extern void si_chol_solve(int k, const double *l, double *b);

/*
 * Heteroskedasticity-robust meat sum w^2 e^2 x x' (full k*k) for
 * coefficients beta, from the one-pass moment sums.
 */
extern void si_ols_hc_meat(int k, const double *beta, const double *myy,
						   const double *my3, const double *m4, double *meat);

/*
 * One row into a cluster's regression sums reg: sum w x y (k entries), then
 * sum w x x' (packed, si_sym2_len(k)).
 */
extern void si_ols_cluster_accum(int k, const double *x, double y, double w, double *reg);

/*
 * u' s_c for the cluster score s_c = sum_c w x y - (sum_c w x x') beta of
 * cluster sums reg (as si_ols_cluster_accum); u = (X'WX)^-1 e_treated.
 * CR0 = the sum over clusters of its square.
 */
extern double si_ols_cluster_score(int k, const double *reg, const double *beta, const double *u);

/*
 * Variance of the treated coefficient (index 1), N rows, k coefficients,
 * u = (X'WX)^-1 e_treated:
 *   classical  (y'Wy - beta'X'Wy) / (N - k) u[1] (a negative residual sum
 *              from rounding counts as 0);
 *   HC0/HC1    u' meat u, meat from si_ols_hc_meat; HC1 times N / (N - k).
 * Callers make sure N > k.
 */
extern double si_ols_classical_variance(int k, double N, double yty, const double *xty,
										const double *beta, const double *u);
extern double si_ols_hc_variance(int k, double N, bool hc1, const double *beta, const double *u,
								 const double *myy, const double *my3, const double *m4);

/*
 * Read-out of an estimate with standard error se: statistic estimate/se,
 * two-sided p-value and the interval estimate -+ q se at conf_level, q from
 * Student t with df degrees of freedom or (normal) the standard normal.
 * se = 0 (no variation, e.g. the base period of an event study): statistic
 * and p-value NaN, the interval the estimate itself.
 */
extern void si_did_inference(double estimate, double se, double df, double conf_level, bool normal,
							 double *statistic, double *p_value, double *low, double *high);

#endif
