/*
 * Unit tests for src/math/weighting.c: inverse-probability weights worked
 * by hand, entropy balancing against closed forms (one covariate: the
 * ratio of neighbouring weights solves a quadratic; two moments of a
 * symmetric design), exact balance of the weighted moments, the error
 * statuses, and a case solved independently with scipy
 * (test/data/lalonde/weight_reference.py prints the numbers used below).
 */
#include "weighting.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static void
test_ipw(void)
{
	double		score[4] = {0.2, 0.5, 0.8, 0.6};
	bool		treated[4] = {true, false, false, true};
	double		w[4];
	bool		keep[4];
	int64_t		nt,
				nc;

	CHECK(si_estimand_parse("att") == SI_ESTIMAND_ATT, "estimand att");
	CHECK(si_estimand_parse("ATE") == SI_ESTIMAND_ATE, "estimand ATE, any case");
	CHECK(si_estimand_parse("atc") == -1, "estimand atc unknown");
	CHECK(si_estimand_parse("at") == -1 && si_estimand_parse(NULL) == -1, "estimand short/NULL unknown");

	/* ATT: treated 1, controls p / (1 - p): 0.5 -> 1, 0.8 -> 4 */
	si_ipw_weights(4, score, treated, SI_ESTIMAND_ATT, false, -1.0, w, keep, &nt, &nc);
	CHECK_NEAR(w[0], 1.0, 0, "ATT treated weight 1");
	CHECK_NEAR(w[1], 1.0, 1e-15, "ATT control 0.5/0.5");
	CHECK_NEAR(w[2], 4.0, 1e-14, "ATT control 0.8/0.2");
	CHECK_NEAR(w[3], 1.0, 0, "ATT treated weight 1 (p = 0.6)");
	CHECK(nt == 2 && nc == 2 && keep[0] && keep[1] && keep[2] && keep[3], "ATT keeps all");

	/* ATE: 1/0.2 = 5, 1/0.5 = 2, 1/0.2 = 5, 1/0.6 */
	si_ipw_weights(4, score, treated, SI_ESTIMAND_ATE, false, -1.0, w, keep, &nt, &nc);
	CHECK_NEAR(w[0], 5.0, 1e-14, "ATE treated 1/0.2");
	CHECK_NEAR(w[1], 2.0, 1e-14, "ATE control 1/0.5");
	CHECK_NEAR(w[2], 5.0, 1e-13, "ATE control 1/(1-0.8)");
	CHECK_NEAR(w[3], 1.0 / 0.6, 1e-14, "ATE treated 1/0.6");

	/* stabilised ATE: times the group's share, 1/2 each here */
	si_ipw_weights(4, score, treated, SI_ESTIMAND_ATE, true, -1.0, w, keep, &nt, &nc);
	CHECK_NEAR(w[0], 2.5, 1e-14, "stabilised ATE treated 0.5/0.2");
	CHECK_NEAR(w[2], 2.5, 1e-13, "stabilised ATE control 0.5/0.2");

	/* trimming at 0.25: scores 0.2 and 0.8 leave; shares become 1/2 -> 1 treated, 1 control */
	si_ipw_weights(4, score, treated, SI_ESTIMAND_ATE, true, 0.25, w, keep, &nt, &nc);
	CHECK(!keep[0] && keep[1] && !keep[2] && keep[3], "trim 0.25 drops 0.2 and 0.8");
	CHECK(nt == 1 && nc == 1, "trim counts one treated and one control kept");
	CHECK(w[0] == 0.0 && w[2] == 0.0, "trimmed units weigh 0");
	CHECK_NEAR(w[1], 0.5 / 0.5, 1e-14, "stabilised trimmed control 0.5 * 1/0.5");
	CHECK_NEAR(w[3], 0.5 / 0.6, 1e-14, "stabilised trimmed treated 0.5 * 1/0.6");

	/* the bounds themselves stay: trim at 0.2 keeps 0.2 and 0.8 */
	si_ipw_weights(4, score, treated, SI_ESTIMAND_ATT, false, 0.2, w, keep, &nt, &nc);
	CHECK(keep[0] && keep[2] && nt == 2 && nc == 2, "scores on the trimming bounds are kept");
}

/* weighted mean of column j of c (n x k) */
static double
wmean(const double *c, const double *w, int n, int k, int j)
{
	double		s = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		s += w[i] * c[i * k + j];
	return s;
}

static void
test_ebal_closed_forms(void)
{
	double		work[256];
	double		w[8];
	SiEbalInfo	info;

	/*
	 * One covariate, controls 0, 1, 2, target 1.5: w_i ~ r^x_i, and
	 * (r + 2 r^2) / (1 + r + r^2) = 1.5 gives r^2 - r - 3 = 0.
	 */
	{
		double		c[3] = {0, 1, 2};
		double		target[1] = {1.5};
		double		r = (1.0 + sqrt(13.0)) / 2.0;
		double		s = 1.0 + r + r * r;

		CHECK(si_ebal_work_size(3, 1) <= 256, "work size small");
		si_ebal_solve(3, 1, c, target, NULL, 200, 1e-12, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_OK, "one covariate: converged (status %d)", info.status);
		CHECK_NEAR(w[0], 1.0 / s, 1e-12, "one covariate: w0 = 1/(1+r+r^2)");
		CHECK_NEAR(w[1], r / s, 1e-12, "one covariate: w1 = r/(1+r+r^2)");
		CHECK_NEAR(w[2], r * r / s, 1e-12, "one covariate: w2 = r^2/(1+r+r^2)");
		CHECK(info.iterations >= 2 && info.iterations < 20, "Newton: few steps (%d)", info.iterations);
	}

	/*
	 * Two moments, controls 0, 1, 2, 3, target mean 1.5 and mean square
	 * 3.25: symmetric weights (a, b, b, a), 2a + 2b = 1, 5b + 9a = 3.25:
	 * a = 0.1875, b = 0.3125 (exp(l1 x + l2 x^2) with l1 = -3 l2 spans them).
	 */
	{
		double		c[8] = {0, 0, 1, 1, 2, 4, 3, 9};
		double		target[2] = {1.5, 3.25};

		si_ebal_solve(4, 2, c, target, NULL, 200, 1e-12, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_OK, "two moments: converged");
		CHECK_NEAR(w[0], 0.1875, 1e-12, "two moments: a");
		CHECK_NEAR(w[1], 0.3125, 1e-12, "two moments: b");
		CHECK_NEAR(w[2], 0.3125, 1e-12, "two moments: b");
		CHECK_NEAR(w[3], 0.1875, 1e-12, "two moments: a");
	}

	/* base weights q: w_i ~ q_i r^x_i; with q = (1, 2, 1) and target 1 the answer is q itself */
	{
		double		c[3] = {0, 1, 2};
		double		target[1] = {1.0};
		double		q[3] = {1, 2, 1};

		si_ebal_solve(3, 1, c, target, q, 200, 1e-12, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_OK && info.iterations == 0, "base weights already balanced: no step");
		CHECK_NEAR(w[1], 0.5, 1e-15, "base weights kept (normalised)");
	}

	/* target outside the hull */
	{
		double		c[3] = {0, 1, 2};
		double		target[1] = {2.5};

		si_ebal_solve(3, 1, c, target, NULL, 200, 1e-10, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_INFEASIBLE, "target 2.5 outside [0, 2]: infeasible (status %d)", info.status);
		target[0] = -0.001;
		si_ebal_solve(3, 1, c, target, NULL, 200, 1e-10, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_INFEASIBLE, "target just below the hull: infeasible (status %d)", info.status);
	}

	/* too few iterations */
	{
		double		c[3] = {0, 1, 2};
		double		target[1] = {1.9};

		si_ebal_solve(3, 1, c, target, NULL, 1, 1e-10, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_NOT_CONVERGED && info.iterations == 1, "one iteration allowed: not converged");
		CHECK(info.max_imbalance > 1e-10, "imbalance reported (%g)", info.max_imbalance);
	}

	/* collinear constraints: the second column is twice the first */
	{
		double		c[6] = {0, 0, 1, 2, 2, 4};
		double		target[2] = {1.2, 2.4};

		si_ebal_solve(3, 2, c, target, NULL, 200, 1e-10, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_COLLINEAR && info.constraint == 1, "collinear: constraint 1 named (status %d, %d)",
			  info.status, info.constraint);
		/* ... also when the base weights balance them already */
		target[0] = 1;
		target[1] = 2;
		si_ebal_solve(3, 2, c, target, NULL, 200, 1e-10, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_COLLINEAR, "collinear and balanced: still named (status %d)", info.status);
	}

	/* constant among controls: equal to the target -> ignored, different -> error */
	{
		double		c[6] = {0, 5, 1, 5, 2, 5};
		double		target[2] = {1.5, 5};

		si_ebal_solve(3, 2, c, target, NULL, 200, 1e-12, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_OK, "constant constraint equal to the target is met");
		CHECK_NEAR(wmean(c, w, 3, 2, 0), 1.5, 1e-12, "the other constraint balanced");
		target[1] = 6;
		si_ebal_solve(3, 2, c, target, NULL, 200, 1e-12, w, work, NULL, &info);
		CHECK(info.status == SI_EBAL_NO_VARIATION && info.constraint == 1, "constant constraint off target: named");
	}
}

static void
test_constraints(void)
{
	/* x: 4 rows, terms (binary, three-valued, constant two-valued -1/7) */
	double		x[12] = {0, 1, -1, 1, 2, 7, 1, 3, -1, 0, 1, 7};
	double		c[4 * 6];
	int			source[6];
	bool		squared[6];
	int			k;

	k = si_ebal_constraints(4, 3, x, 1, c, source, squared);
	CHECK(k == 3 && !squared[0] && !squared[2], "moments 1: the terms");
	k = si_ebal_constraints(4, 3, x, 2, c, source, squared);
	CHECK(k == 4, "moments 2: one square (only the term with more than two values), k = %d", k);
	CHECK(source[3] == 1 && squared[3], "the square is of term 1");
	CHECK(c[1 * 4 + 3] == 4.0 && c[2 * 4 + 3] == 9.0, "square values");
}

/*
 * Exact balance and an independent solution: 13 units, covariates x1
 * (spread) and x2 (binary); moments = 2. The target (mean 5.5, 0.5, mean
 * square 31.5) lies inside the controls' hull (0.5 at x1 = 5 / x2 = 1 and
 * 0.5 at 6 / 0 has a smaller variance). Weights from scipy
 * (weight_reference.py, section "unit case").
 */
static void
test_entropy_balance_att(void)
{
	double		x[26] = {
		/* treated: rows 0-3 */
		4, 1, 6, 0, 7, 1, 5, 0,
		/* controls */
		1, 0, 2, 1, 3, 0, 4, 1, 5, 1, 6, 0, 7, 0, 8, 1, 9, 0
	};
	bool		treated[13] = {true, true, true, true, false, false, false, false, false, false, false, false, false};
	double		weight[13];
	double	   *work;
	int			source[4];
	bool		squared[4];
	int			k,
				i;
	SiEbalInfo	info;
	double		s1 = 0,
				s2 = 0,
				s11 = 0,
				sw = 0;

	work = malloc(sizeof(double) * si_entropy_balance_work_size(13, 2));
	si_entropy_balance_att(13, 2, x, treated, NULL, 2, 200, 1e-12, weight, work,
						   source, squared, &k, NULL, &info);
	CHECK(info.status == SI_EBAL_OK, "design ATT: converged (status %d, %d iterations)", info.status, info.iterations);
	CHECK(k == 3 && squared[2] && source[2] == 0, "x1, x2 and x1^2 balanced");
	for (i = 4; i < 13; i++)
	{
		sw += weight[i];
		s1 += weight[i] * x[2 * i];
		s2 += weight[i] * x[2 * i + 1];
		s11 += weight[i] * x[2 * i] * x[2 * i];
	}
	CHECK(weight[0] == 1 && weight[1] == 1 && weight[2] == 1 && weight[3] == 1, "treated weigh 1");
	CHECK(info.iterations < 15, "interior target: quadratic convergence (%d steps)", info.iterations);
	CHECK_NEAR(sw, 4.0, 1e-12, "control weights sum to the number of treated");
	CHECK_NEAR(s1 / sw, 5.5, 1e-10, "weighted control mean of x1 = treated mean");
	CHECK_NEAR(s2 / sw, 0.5, 1e-10, "weighted control mean of x2 = treated mean");
	CHECK_NEAR(s11 / sw, 31.5, 1e-10, "weighted control mean of x1^2 = treated mean");
	for (i = 4; i < 13; i++)
		printf("# w[%d] = %.17g\n", i, weight[i]);
	free(work);
}

int
main(void)
{
	test_ipw();
	test_ebal_closed_forms();
	test_constraints();
	test_entropy_balance_att();
	return unit_done();
}
