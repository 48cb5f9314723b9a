/*
 * weighting.h — weights that make a comparison group resemble the treated:
 * inverse-probability weights from propensity scores and entropy balancing
 * (Hainmueller 2012). PostgreSQL-free: plain arrays in, weights and status
 * codes out; the SQL glue (src/matching/weighting.c) turns the codes into
 * errors. Formulas: docs/methods.md, *Inverse-probability weights* and
 * *Entropy balancing*.
 */
#ifndef SI_WEIGHTING_H
#define SI_WEIGHTING_H

#include <stdbool.h>
#include <stdint.h>

/* the population the weights stand for */
typedef enum SiEstimand
{
	SI_ESTIMAND_ATT = 0,		/* the treated */
	SI_ESTIMAND_ATE = 1			/* treated and controls together */
} SiEstimand;

/* "att" / "ate" (case-insensitive) -> estimand; -1 for anything else */
extern int	si_estimand_parse(const char *text);

/*
 * Inverse-probability weights of n units with scores in (0, 1) (the caller
 * checks the range). trim_at < 0: no trimming; otherwise units whose score
 * lies outside [trim_at, 1 - trim_at] are trimmed (Crump et al. 2009):
 * keep[i] = false and weight[i] = 0. stabilize (ATE only; the caller
 * rejects it for ATT) multiplies each weight by the share of its group
 * among the kept units (Robins, Hernán & Brumback 2000). The counts of kept
 * treated and controls are returned through n_treated / n_control.
 */
extern void si_ipw_weights(int64_t n, const double *score, const bool *treated,
						   SiEstimand estimand, bool stabilize, double trim_at,
						   double *weight, bool *keep,
						   int64_t *n_treated, int64_t *n_control);

/* outcome of entropy balancing */
typedef enum SiEbalStatus
{
	SI_EBAL_OK = 0,
	SI_EBAL_INFEASIBLE = 1,		/* target outside the controls' convex hull */
	SI_EBAL_NOT_CONVERGED = 2,	/* max_iterations reached or no further progress */
	SI_EBAL_COLLINEAR = 3,		/* constraint `constraint` is collinear among controls */
	SI_EBAL_NO_VARIATION = 4	/* constraint `constraint` is constant among controls
								 * but differs from the target */
} SiEbalStatus;

typedef struct SiEbalInfo
{
	SiEbalStatus status;
	int			iterations;		/* Newton steps taken */
	int			constraint;		/* offending constraint, or -1 */
	double		max_imbalance;	/* max |weighted control mean - target| / control SD */
} SiEbalInfo;

/*
 * Constraints of entropy balancing on a design x (n x p, row-major):
 * moments = 1: the p terms; moments = 2: also the square of every term with
 * more than two distinct values among the n rows (a two-valued term's
 * square is a linear function of it). Returns the number k of constraints;
 * source[j] (p entries to 2p, caller-allocated) is the term of constraint j
 * and squared[j] whether it is that term's square. c (n x k, caller
 * allocated with 2p columns) receives the constraint values when not NULL.
 */
extern int	si_ebal_constraints(int64_t n, int p, const double *x, int moments,
								double *c, int *source, bool *squared);

/*
 * Entropy balancing for the ATT: control weights w_i = q_i exp(lambda'c_i)
 * / sum, closest to the base weights q in Kullback–Leibler divergence, such
 * that the w-weighted control means of the k constraints equal the target
 * (the base-weighted treated means). Newton's method on the convex dual
 * with a backtracking line search; constraints centred at the target and
 * scaled by their control SD inside. Converged when every standardised
 * imbalance is <= tol.
 *
 * c: n_control x k (row-major), target: k, q: n_control base weights (NULL
 * = equal). w (n_control) receives weights that sum to 1. work needs
 * si_ebal_work_size(n_control, k) doubles. tick (may be NULL) is called
 * once per Newton step (the SQL glue checks for interrupts there).
 */
extern int64_t si_ebal_work_size(int64_t n_control, int k);
extern void si_ebal_solve(int64_t n_control, int k, const double *c,
						  const double *target, const double *q,
						  int max_iterations, double tol,
						  double *w, double *work, void (*tick) (void),
						  SiEbalInfo *info);

/*
 * Entropy balancing of a whole design for the ATT: constraints of
 * si_ebal_constraints (k returned, source/squared need 2p entries), target
 * the base-weighted treated means, solved by si_ebal_solve. weight (n):
 * treated units keep their base weight (1 without base), controls get the
 * balancing weights scaled to sum to the treated's base-weight total (0
 * when the status is not SI_EBAL_OK). base may be NULL. work needs
 * si_entropy_balance_work_size(n, p) doubles; tick as for si_ebal_solve. Needs at least one treated
 * and one control (the caller checks).
 */
extern int64_t si_entropy_balance_work_size(int64_t n, int p);
extern void si_entropy_balance_att(int64_t n, int p, const double *x,
								   const bool *treated, const double *base,
								   int moments, int max_iterations, double tol,
								   double *weight, double *work, int *source,
								   bool *squared, int *k, void (*tick) (void),
								   SiEbalInfo *info);

#endif
