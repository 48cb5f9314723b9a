/*
 * Unit tests for src/math/logit.c (and the pieces of src/math/linalg.c it
 * adds: linalg_cholesky_aliased, linalg_chol_inverse, the previous step
 * of linalg_logit_irls). Expected values from closed forms: a logit on
 * one binary covariate reproduces the two groups' log-odds, and its
 * covariance is the inverse Fisher information 1 / (n p (1 - p)) per
 * group; frequency weights equal repeated rows.
 */
#include "linalg.h"
#include "logit.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define MAXN 64

static double work[8 * MAXN * MAXN];

int
main(void)
{
	/* group 0: 10 rows, 3 treated; group 1: 8 rows, 6 treated */
	double		x[MAXN * 4],
				y[MAXN],
				w[MAXN],
				beta[4],
				cov[16],
				fitted[MAXN],
				xw[8],
				yw[4],
				ww[4],
				betaw[2],
				covw[4];
	int			flag[4];
	LogitResult res;
	LogitStatus st;
	int			i,
				n = 0;
	double		a = log(3.0 / 7.0),
				b = log(6.0 / 2.0) - log(3.0 / 7.0),
				vb = 1.0 / (8 * 0.75 * 0.25) + 1.0 / (10 * 0.3 * 0.7),
				va = 1.0 / (10 * 0.3 * 0.7);

	for (i = 0; i < 10; i++, n++)
	{
		x[n * 2] = 1;
		x[n * 2 + 1] = 0;
		y[n] = i < 3;
	}
	for (i = 0; i < 8; i++, n++)
	{
		x[n * 2] = 1;
		x[n * 2 + 1] = 1;
		y[n] = i < 6;
	}
	CHECK(logit_work_size(n, 2) <= sizeof(work) / sizeof(double), "work size fits the test's buffer");
	/* iterated to convergence, so the information is that at the estimate */
	st = logit_fit(x, n, 2, y, NULL, 25, 1e-15, beta, cov, fitted, flag, work, &res);
	CHECK(st == LOGIT_OK, "two groups: converged (status %d)", (int) st);
	CHECK_NEAR(beta[0], a, 1e-10, "intercept = log-odds of group 0");
	CHECK_NEAR(beta[1], b, 1e-10, "slope = log odds ratio");
	CHECK_NEAR(cov[0], va, 1e-11, "var(intercept) = 1 / (n0 p0 (1 - p0))");
	CHECK_NEAR(cov[3], vb, 1e-11, "var(slope) = sum of the groups' 1 / (n p (1 - p))");
	CHECK_NEAR(cov[1], -va, 1e-11, "cov(intercept, slope) = -var(intercept)");
	CHECK(cov[1] == cov[2], "covariance symmetric");
	CHECK_NEAR(fitted[0], 0.3, 1e-10, "fitted = group share (0)");
	CHECK_NEAR(fitted[n - 1], 0.75, 1e-10, "fitted = group share (1)");
	CHECK_NEAR(res.deviance,
			   -2 * (3 * log(0.3) + 7 * log(0.7) + 6 * log(0.75) + 2 * log(0.25)), 1e-9,
			   "deviance = -2 log-likelihood of a saturated binary fit");
	CHECK_NEAR(logit_p_value(1.959963984540054), 0.05, 1e-12, "p-value of z = 1.96 is 0.05");

	/* the same data as four rows with frequency weights */
	xw[0] = 1; xw[1] = 0; yw[0] = 1; ww[0] = 3;
	xw[2] = 1; xw[3] = 0; yw[1] = 0; ww[1] = 7;
	xw[4] = 1; xw[5] = 1; yw[2] = 1; ww[2] = 6;
	xw[6] = 1; xw[7] = 1; yw[3] = 0; ww[3] = 2;
	st = logit_fit(xw, 4, 2, yw, ww, 25, 1e-15, betaw, covw, NULL, flag, work, &res);
	CHECK(st == LOGIT_OK, "weighted: converged");
	CHECK_NEAR(betaw[1], beta[1], 1e-9, "weights = repeated rows (slope)");
	CHECK_NEAR(covw[3], cov[3], 1e-9, "weights = repeated rows (variance)");

	/*
	 * at glm's tolerance the covariance is R's vcov(): X'WX of the last
	 * step, weights one step behind, near the closed form but not on it
	 */
	st = logit_fit(x, n, 2, y, NULL, 25, 1e-8, beta, cov, fitted, flag, work, &res);
	CHECK(st == LOGIT_OK && fabs(cov[3] - vb) < 1e-4 * vb && fabs(cov[3] - vb) > 1e-12,
		  "default tolerance: var(slope) one step behind (%.3g relative)", fabs(cov[3] - vb) / vb);

	/* not converged: one step */
	st = logit_fit(x, n, 2, y, NULL, 1, 1e-8, beta, cov, fitted, flag, work, &res);
	CHECK(st == LOGIT_NOT_CONVERGED && res.iterations == 1, "one step: not converged, 1 iteration");

	/* aliased: third column = first + second, fourth = second */
	for (i = 0; i < n; i++)
	{
		double		c0 = 1,
					c1 = (i % 3 == 0) ? 2.5 : i * 0.1;

		x[i * 4] = c0;
		x[i * 4 + 1] = c1;
		x[i * 4 + 2] = c0 + c1;
		x[i * 4 + 3] = c1;
	}
	st = logit_fit(x, n, 4, y, NULL, 25, 1e-8, beta, cov, fitted, flag, work, &res);
	CHECK(st == LOGIT_ALIASED, "collinear columns: aliased");
	CHECK(res.n_flagged == 2 && !flag[0] && !flag[1] && flag[2] && flag[3],
		  "the two later columns are named (flags %d %d %d %d)", flag[0], flag[1], flag[2], flag[3]);

	/* complete separation: y = 1 exactly when x > 3.5 */
	for (i = 0; i < 6; i++)
	{
		x[i * 2] = 1;
		x[i * 2 + 1] = i + 1;
		y[i] = i >= 3;
	}
	st = logit_fit(x, 6, 2, y, NULL, 25, 1e-8, beta, cov, fitted, flag, work, &res);
	CHECK(st == LOGIT_SEPARATED, "complete separation detected (status %d)", (int) st);
	CHECK(flag[1], "the slope diverges");
	CHECK(res.n_boundary == 6, "all six fitted probabilities go to 0 or 1 (%d)", res.n_boundary);

	/*
	 * quasi-complete separation: d = 1 only among treated; the other
	 * rows mixed along z
	 */
	n = 0;
	for (i = 0; i < 12; i++, n++)
	{
		x[n * 3] = 1;
		x[n * 3 + 1] = 0;
		x[n * 3 + 2] = (i * 7) % 12;
		y[n] = (i % 3 == 0) || i == 5;
	}
	for (i = 0; i < 3; i++, n++)
	{
		x[n * 3] = 1;
		x[n * 3 + 1] = 1;
		x[n * 3 + 2] = i * 4;
		y[n] = 1;
	}
	st = logit_fit(x, n, 3, y, NULL, 25, 1e-8, beta, cov, fitted, flag, work, &res);
	CHECK(st == LOGIT_SEPARATED, "quasi-complete separation detected (status %d)", (int) st);
	CHECK(flag[1] && !flag[2] && !flag[0], "only the indicator's coefficient diverges (flags %d %d %d)",
		  flag[0], flag[1], flag[2]);
	CHECK(res.n_boundary == 3, "its three rows reach fitted probability 1 (%d)", res.n_boundary);

	/* the same rows without the indicator are an ordinary fit */
	for (i = 0; i < n; i++)
		w[i] = 1.0;
	{
		double		x2[MAXN * 2];

		for (i = 0; i < n; i++)
		{
			x2[i * 2] = 1;
			x2[i * 2 + 1] = x[i * 3 + 2];
		}
		st = logit_fit(x2, n, 2, y, w, 25, 1e-8, beta, cov, fitted, flag, work, &res);
		CHECK(st == LOGIT_OK, "without the indicator: converged");
	}

	/* linalg_cholesky_aliased on a 3x3 Gram matrix of (1, t, 1 + 2t) */
	{
		double		g[9] = {3, 3, 9, 3, 5, 13, 9, 13, 35};
		int			al[3];
		int			count = linalg_cholesky_aliased(g, 3, LINALG_TOL, al);

		CHECK(count == 1 && al[2] && !al[0] && !al[1],
			  "Gram of (1, t, 1 + 2t): the third column aliased");
	}
	return unit_done();
}
