/*
 * linalg.h — small dense linear algebra for the estimators (no PostgreSQL
 * dependency). Matrices are row-major arrays of double: element (i, j) of
 * an r x c matrix A is A[i * c + j].
 *
 * The symmetric routines work on positive (semi)definite matrices such as
 * X'WX. Rank deficiency is detected during the Cholesky factorisation
 * without pivoting: column j is reported collinear when its pivot falls to
 * tol times its original diagonal (so the first column that is a linear
 * combination of the earlier ones is named, as R's lm() would drop it).
 */
#ifndef SI_LINALG_H
#define SI_LINALG_H

#include <stddef.h>

/* Default relative pivot tolerance (R's lm uses 1e-7 on the QR). */
#define LINALG_TOL 1e-10

/*
 * In-place Cholesky factorisation A = L L' of an n x n symmetric matrix
 * (only the lower triangle is read; the upper triangle is zeroed).
 * Returns -1 on success, otherwise the index of the first column whose
 * pivot is <= tol * A_jj (numerically collinear with the earlier columns)
 * or that is not positive.
 */
extern int	linalg_cholesky(double *a, int n, double tol);

/* Solve L L' x = b in place (b has n entries), L from linalg_cholesky. */
extern void linalg_chol_solve(const double *l, int n, double *b);

/*
 * Solve A x = b for symmetric positive definite A (not modified); x may
 * alias b. work needs n*n doubles. Returns -1 or the collinear column.
 */
extern int	linalg_spd_solve(const double *a, int n, const double *b, double *x,
							 double *work, double tol);

/*
 * inv = A^-1 for symmetric positive definite A (n x n). work needs n*n
 * doubles (may not alias inv). Returns -1 or the collinear column.
 */
extern int	linalg_spd_inverse(const double *a, int n, double *inv, double *work,
							   double tol);

/* inv = (L L')^-1 (n x n, exactly symmetric) from a factor of linalg_cholesky. */
extern void linalg_chol_inverse(const double *l, int n, double *inv);

/*
 * The Cholesky factorisation of linalg_cholesky, but a column whose pivot
 * falls to tol times its diagonal is left out (aliased[j] = 1, its row
 * and column of the factor zero) and the factorisation goes on with the
 * next one, as R's lm/glm report such a coefficient as NA (aliased). So
 * every column that is a linear combination of the earlier kept ones is
 * flagged. Returns the number of aliased columns.
 */
extern int	linalg_cholesky_aliased(double *a, int n, double tol, int *aliased);

/* C (m x n) = A (m x k) * B (k x n). */
extern void linalg_matmul(const double *a, const double *b, double *c,
						  int m, int k, int n);

/* y (m) = A (m x n) * x (n). */
extern void linalg_matvec(const double *a, const double *x, double *y, int m, int n);

/*
 * Accumulate the weighted cross-product: xtx (p x p, full symmetric) +=
 * w * x x' for one row x (p entries). Call linalg_symmetrize at the end
 * if only the lower triangle was accumulated with linalg_syr_lower.
 */
extern void linalg_syr_lower(double *xtx, const double *x, double w, int p);
extern void linalg_symmetrize(double *a, int n);

/* x' A y for n-vectors and n x n A. */
extern double linalg_quadform(const double *a, const double *x, const double *y, int n);

/* a'b for vectors of length n */
extern double linalg_dot(const double *a, const double *b, int n);

/* inverse logit link exactly as R's binomial()$linkinv (clamped at |eta| > 30) */
extern double linalg_logit_linkinv(double eta);

/*
 * Logistic regression by iteratively reweighted least squares, following
 * R's glm.fit for family = binomial(logit) with prior weights: start at
 * mu = (w y + 0.5) / (w + 1), stop when |dev - dev_old| / (|dev| + 0.1) <
 * eps (R: epsilon = 1e-8), at most maxit iterations (R: 25). The link
 * functions clamp eta at +/-30 as R's C code does.
 *
 * x: n x p row-major design, y: 0/1 responses, w: prior weights (NULL =
 * all 1). beta (p) receives the coefficients, fitted (n, may be NULL) the
 * fitted probabilities (on a return < -1 it holds scratch: the fit keeps
 * each row's exp(eta) there between steps). work needs p*p + 2p + 2n
 * doubles.
 * Returns 0 when converged, 1 when maxit was reached without convergence,
 * or -(j + 2) when column j of the working design is collinear
 * (so that a return < -1 names column -(ret) - 2).
 * *iterations receives the number of IRLS steps taken. On return (0 or 1)
 * work[0 .. p*p) holds the Cholesky factor of the X'WX of the last
 * iteration, whose inverse is what R's vcov() reports for the fit, and
 * work[p*p + p .. p*p + 2p) the coefficients of the iteration before the
 * last (zeros after one iteration): the last step, which shows a fit that
 * diverges (separation, see src/math/logit.h). A return < -1 leaves beta
 * at the last solved iteration and that area at the one before.
 */
extern int	linalg_logit_irls(const double *x, int n, int p, const double *y,
							  const double *w, double *beta, double *fitted,
							  double *work, int maxit, double eps, int *iterations);

#endif
