/*
 * Unit tests for src/math/linalg.c. Expected values are worked out by
 * hand (small matrices with integer factors) or from closed forms
 * (a saturated logit reproduces the cell log-odds).
 */
#include "linalg.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

int
main(void)
{
	/* A = L L' with L = [[2,0,0],[1,3,0],[-1,2,4]] */
	double		a[9] = {4, 2, -2, 2, 10, 5, -2, 5, 21};
	double		l[9],
				inv[9],
				work[9],
				prod[9],
				b[3] = {2, 12, 20},
				x[3];
	int			ret,
				i,
				j,
				ok;

	memcpy(l, a, sizeof(a));
	ret = linalg_cholesky(l, 3, LINALG_TOL);
	CHECK(ret == -1, "cholesky of an SPD 3x3 succeeds");
	CHECK_NEAR(l[0], 2, 1e-15, "L11 = 2");
	CHECK_NEAR(l[3], 1, 1e-15, "L21 = 1");
	CHECK_NEAR(l[4], 3, 1e-15, "L22 = 3");
	CHECK_NEAR(l[6], -1, 1e-15, "L31 = -1");
	CHECK_NEAR(l[7], 2, 1e-15, "L32 = 2");
	CHECK_NEAR(l[8], 4, 1e-15, "L33 = 4");
	CHECK(l[1] == 0 && l[2] == 0 && l[5] == 0, "upper triangle zeroed");

	/* A x = b with x = (1, 1, 1): b = row sums = (4, 16, 23); use (1,2,0.5) */
	b[0] = 4 * 1 + 2 * 2 - 2 * 0.5;
	b[1] = 2 * 1 + 10 * 2 + 5 * 0.5;
	b[2] = -2 * 1 + 5 * 2 + 21 * 0.5;
	ret = linalg_spd_solve(a, 3, b, x, work, LINALG_TOL);
	CHECK(ret == -1, "spd solve succeeds");
	CHECK_NEAR(x[0], 1, 1e-14, "x1 = 1");
	CHECK_NEAR(x[1], 2, 1e-14, "x2 = 2");
	CHECK_NEAR(x[2], 0.5, 1e-14, "x3 = 0.5");
	/* aliasing x == b */
	ret = linalg_spd_solve(a, 3, b, b, work, LINALG_TOL);
	CHECK(ret == -1 && fabs(b[1] - 2) < 1e-14, "spd solve in place");

	ret = linalg_spd_inverse(a, 3, inv, work, LINALG_TOL);
	CHECK(ret == -1, "spd inverse succeeds");
	linalg_matmul(a, inv, prod, 3, 3, 3);
	ok = 1;
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			if (fabs(prod[i * 3 + j] - (i == j)) > 1e-14)
				ok = 0;
	CHECK(ok, "A * A^-1 = I");
	CHECK(inv[1] == inv[3] && inv[2] == inv[6] && inv[5] == inv[7], "inverse is exactly symmetric");
	/* (A^-1)_33 = 1/16 (bottom-right of inverse = 1/L33^2) */
	CHECK_NEAR(inv[8], 1.0 / 16, 1e-15, "(A^-1)_33 = 1/16");

	/* collinear: column 2 = column 0 + column 1 of X; X'X is singular */
	{
		double		xs[4 * 3] = {1, 0, 1, 1, 1, 2, 1, 2, 3, 1, 3, 4};
		double		xtx[9] = {0};
		double		y4[4];

		for (i = 0; i < 4; i++)
			linalg_syr_lower(xtx, xs + i * 3, 1.0, 3);
		linalg_symmetrize(xtx, 3);
		CHECK(xtx[1] == xtx[3] && xtx[1] == 6, "cross-product X'X[0,1] = 6");
		memcpy(l, xtx, sizeof(xtx));
		ret = linalg_cholesky(l, 3, LINALG_TOL);
		CHECK(ret == 2, "collinear third column detected (got %d)", ret);
		ret = linalg_spd_inverse(xtx, 3, inv, work, LINALG_TOL);
		CHECK(ret == 2, "inverse reports the collinear column");
		/* constant column after intercept */
		{
			double		z[4] = {1, 2, 2, 4};	/* col1 = 2*col0 */

			ret = linalg_cholesky(z, 2, LINALG_TOL);
			CHECK(ret == 1, "2x2 rank 1 detected at column 1");
		}
		linalg_matvec(xs, b, y4, 4, 3);
		CHECK_NEAR(y4[1], 1 * b[0] + 1 * b[1] + 2 * b[2], 1e-14, "matvec row 2");
		CHECK_NEAR(linalg_quadform(a, b, b, 3), b[0] * (4 * b[0] + 2 * b[1] - 2 * b[2]) + b[1] * (2 * b[0] + 10 * b[1] + 5 * b[2]) + b[2] * (-2 * b[0] + 5 * b[1] + 21 * b[2]), 1e-12, "quadratic form");
	}

	/*
	 * Saturated logit: intercept + binary d. Cell d=0: 3 of 10 ones;
	 * cell d=1: 6 of 8 ones. beta0 = log(0.3/0.7), beta1 = log(3) -
	 * log(3/7). Weighted: weight 2 on the ones in d=0 gives p0 = 6/13.
	 */
	{
		int			n = 18,
					iters;
		double	   *xx = calloc(n * 2, sizeof(double));
		double	   *yy = calloc(n, sizeof(double));
		double	   *ww = calloc(n, sizeof(double));
		double	   *wk = calloc(4 + 4 + 2 * n, sizeof(double));
		double	   *fit = calloc(n, sizeof(double));
		double		beta[2];

		for (i = 0; i < n; i++)
		{
			xx[i * 2] = 1;
			xx[i * 2 + 1] = (i >= 10);
			yy[i] = (i < 3) || (i >= 10 && i < 16);
			ww[i] = (i < 3) ? 2.0 : 1.0;
		}
		ret = linalg_logit_irls(xx, n, 2, yy, NULL, beta, fit, wk, 25, 1e-8, &iters);
		CHECK(ret == 0, "logit converges (%d iterations)", iters);
		CHECK_NEAR(beta[0], log(0.3 / 0.7), 1e-7, "logit intercept = log-odds of cell 0");
		CHECK_NEAR(beta[1], log(3.0) - log(0.3 / 0.7), 1e-7, "logit slope = log odds ratio");
		CHECK_NEAR(fit[12], 0.75, 1e-8, "fitted probability of cell 1");
		ret = linalg_logit_irls(xx, n, 2, yy, ww, beta, fit, wk, 25, 1e-8, &iters);
		CHECK(ret == 0, "weighted logit converges");
		CHECK_NEAR(beta[0], log(6.0 / 7.0), 1e-7, "weighted intercept");
		/* perfectly collinear design */
		for (i = 0; i < n; i++)
			xx[i * 2 + 1] = 3.0;
		ret = linalg_logit_irls(xx, n, 2, yy, NULL, beta, fit, wk, 25, 1e-8, &iters);
		CHECK(ret == -3, "logit reports collinear column 1 (ret %d)", ret);
		/* one iteration only: not converged */
		for (i = 0; i < n; i++)
			xx[i * 2 + 1] = (i >= 10);
		ret = linalg_logit_irls(xx, n, 2, yy, NULL, beta, fit, wk, 1, 1e-8, &iters);
		CHECK(ret == 1 && iters == 1, "maxit reached is reported");
		free(xx);
		free(yy);
		free(ww);
		free(wk);
		free(fit);
	}
	return unit_done();
}
