/*
 * Unit tests for src/math/heterogeneity.c against hand calculations.
 *
 * Example A: y = (0.10, 0.30, 0.35), se = (0.05, 0.10, 0.10)
 *   w = (400, 100, 100), sum w = 600, sum w y = 40 + 30 + 35 = 105
 *   fixed mean = 105 / 600 = 0.175, its se = 1 / sqrt(600)
 *   Q = 400 * 0.075^2 + 100 * 0.125^2 + 100 * 0.175^2
 *     = 2.25 + 1.5625 + 3.0625 = 6.875,  df = 2
 *   p = P(chi2_2 > 6.875) = exp(-6.875 / 2) = 0.0321449473268761
 *   I^2 = (6.875 - 2) / 6.875 = 0.70909090...
 *   sum w^2 = 180000, c = 600 - 180000 / 600 = 300, tau^2 = 4.875 / 300 = 0.01625
 *   w* = 1 / (0.0025 + 0.01625) = 160/3, 1 / (0.01 + 0.01625) = 800/21 (twice)
 *   random mean = (16/3 + 520/21) / (2720/21) = 632 / 2720 = 0.2323529411764706
 *   its se = 1 / sqrt(2720 / 21) = 0.0878668779193509
 * Example B: y = (1, 2, 3, 4), se = 1: mean 2.5, Q = 2.25 + 0.25 + 0.25 + 2.25 = 5,
 *   df = 3, p = 2 (1 - Phi(sqrt 5)) + sqrt(10 / pi) exp(-5/2) = 0.1717971442967331,
 *   I^2 = 2/5, c = 4 - 4/4 = 3, tau^2 = 2/3, random se = sqrt((1 + 2/3) / 4).
 */
#include "heterogeneity.h"
#include "unit.h"

int
main(void)
{
	si_heterogeneity r;
	double		ya[] = {0.10, 0.30, 0.35};
	double		sa[] = {0.05, 0.10, 0.10};
	double		yb[] = {1, 2, 3, 4};
	double		sb[] = {1, 1, 1, 1};
	double		yc[] = {0.2, 0.21, 0.19};
	double		sc[] = {0.1, 0.1, 0.1};
	double		yd[] = {0.5, 0.5};
	double		sd[] = {0.2, 0.4};
	double		ybad[] = {0.1, NAN};
	double		sbad[] = {0.1, 0.0};
	double		sneg[] = {0.1, -0.1};
	double		s1[] = {0.1, 0.1};

	CHECK(si_heterogeneity_compute(ya, sa, 3, &r) == 0, "example A computes");
	CHECK(r.k == 3 && r.df == 2, "example A: k = 3, df = 2");
	CHECK_NEAR(r.fixed_estimate, 0.175, 1e-15, "example A: fixed mean 0.175");
	CHECK_NEAR(r.fixed_std_error, 1.0 / sqrt(600.0), 1e-15, "example A: fixed se 1/sqrt(600)");
	CHECK_NEAR(r.q, 6.875, 1e-12, "example A: Q = 6.875");
	CHECK_NEAR(r.p_value, 0.0321449473268761, 1e-13, "example A: p = exp(-Q/2)");
	CHECK_NEAR(r.i_squared, 4.875 / 6.875, 1e-13, "example A: I^2 = 4.875/6.875");
	CHECK_NEAR(r.tau_squared, 0.01625, 1e-14, "example A: DL tau^2 = 0.01625");
	CHECK_NEAR(r.random_estimate, 632.0 / 2720.0, 1e-13, "example A: random-effects mean 632/2720");
	CHECK_NEAR(r.random_std_error, 1.0 / sqrt(2720.0 / 21.0), 1e-13, "example A: random-effects se");

	CHECK(si_heterogeneity_compute(yb, sb, 4, &r) == 0, "example B computes");
	CHECK_NEAR(r.q, 5.0, 1e-13, "example B: Q = 5");
	CHECK(r.df == 3, "example B: df = 3");
	CHECK_NEAR(r.p_value, 0.1717971442967331, 1e-12, "example B: p from the df = 3 closed form");
	CHECK_NEAR(r.i_squared, 0.4, 1e-13, "example B: I^2 = 0.4");
	CHECK_NEAR(r.tau_squared, 2.0 / 3.0, 1e-13, "example B: tau^2 = 2/3");
	CHECK_NEAR(r.random_estimate, 2.5, 1e-13, "example B: random mean 2.5");
	CHECK_NEAR(r.random_std_error, sqrt(5.0 / 12.0), 1e-13, "example B: random se sqrt(5/12)");

	/* Q below df: I^2 and tau^2 truncated at zero, random = fixed */
	CHECK(si_heterogeneity_compute(yc, sc, 3, &r) == 0, "homogeneous example computes");
	CHECK_NEAR(r.q, 0.02, 1e-13, "homogeneous: Q = 100 * (0 + 0.0001 + 0.0001) = 0.02");
	CHECK(r.i_squared == 0.0 && r.tau_squared == 0.0, "homogeneous: Q < df gives I^2 = tau^2 = 0");
	CHECK_NEAR(r.random_estimate, r.fixed_estimate, 1e-15, "homogeneous: random = fixed");

	/* identical estimates: Q = 0, p = 1, I^2 = 0 (not 0/0) */
	CHECK(si_heterogeneity_compute(yd, sd, 2, &r) == 0, "identical estimates compute");
	CHECK(r.q == 0.0 && r.p_value == 1.0 && r.i_squared == 0.0, "identical estimates: Q = 0, p = 1, I^2 = 0");

	/* too few, bad input */
	CHECK(si_heterogeneity_compute(ya, sa, 1, &r) == -2 && isnan(r.q) && fabs(r.fixed_estimate - 0.10) < 1e-15,
		  "k = 1: no test, the estimate itself as the pooled value");
	CHECK(si_heterogeneity_compute(ya, sa, 0, &r) == -2 && isnan(r.q) && isnan(r.fixed_estimate),
		  "k = 0: nothing");
	CHECK(si_heterogeneity_compute(ybad, s1, 2, &r) == -1, "NaN estimate refused");
	CHECK(si_heterogeneity_compute(ya, sbad, 2, &r) == -1, "zero standard error refused");
	CHECK(si_heterogeneity_compute(ya, sneg, 2, &r) == -1, "negative standard error refused");

	return unit_done();
}
