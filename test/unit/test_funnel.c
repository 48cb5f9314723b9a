/*
 * Unit tests for src/math/funnel.c: Spiegelhalter's (2005) exact binomial
 * funnel limits with interpolation.
 *
 * Hand-worked case: n = 10, target 0.3. Binomial(10, 0.3), f = pmf, F = cdf:
 *
 *   k     f(k)          F(k)
 *   0   0.0282475249  0.0282475249
 *   5   0.1029193452  0.9526510126
 *   6   0.0367569090  0.9894079216
 *   7   0.0090016920  0.9984096136
 *   8   0.0014467005  0.9998563141
 *
 * Upper 95 % limit, p = 0.975: r_p = 6 (F(5) < 0.975 <= F(6));
 *   alpha = (0.9894079216 - 0.975) / 0.0367569090 = 0.391978...,
 *   limit = (6 - 0.391978) / 10 = 0.5608021.
 * Upper 99.8 %, p = 0.999: r_p = 8; alpha = (0.9998563141 - 0.999) /
 *   0.0014467005 = 0.591909..., limit = (8 - 0.591909) / 10 = 0.7408091.
 * Lower 95 %, p = 0.025: r_p = 0 (F(0) = 0.0282 >= 0.025); alpha = 0.11497,
 *   limit = -0.0115, reported as 0.
 *
 * The 12-digit values are those of test/monitor_reference.py (exact
 * rational binomial probabilities, written independently).
 * For large n the limits approach the normal approximation
 * target +- z sqrt(target (1 - target) / n); the distance is of order 1/n
 * (skewness and the discreteness step), checked with that tolerance.
 */
#include "funnel.h"
#include "distributions.h"
#include "newcombe.h"
#include "unit.h"

int
main(void)
{
	double		low,
				high;
	int64_t		n;
	int			ok;

	/* binomial building blocks against the table above and si_incbeta */
	CHECK_NEAR(funnel_binom_cdf(0, 10, 0.3), 0.0282475249, 1e-10, "F(0; 10, 0.3)");
	CHECK_NEAR(funnel_binom_cdf(5, 10, 0.3), 0.9526510126, 1e-10, "F(5; 10, 0.3)");
	CHECK_NEAR(funnel_binom_cdf(8, 10, 0.3), 0.9998563141, 1e-10, "F(8; 10, 0.3)");
	CHECK_NEAR(exp(funnel_binom_logpmf(6, 10, 0.3)), 0.0367569090, 1e-10, "f(6; 10, 0.3)");
	CHECK(funnel_binom_cdf(-1, 10, 0.3) == 0.0 && funnel_binom_cdf(10, 10, 0.3) == 1.0,
		  "F below 0 is 0, F at n is 1");
	ok = 1;
	for (n = 1; n <= 2000; n = n * 3 + 1)
	{
		int64_t		k;

		for (k = 0; k < n; k += (n / 7) + 1)
		{
			/* F(k) = I_{1-theta}(n - k, k + 1) */
			double		want = si_incbeta(0.7, (double) (n - k), (double) (k + 1));

			if (fabs(funnel_binom_cdf(k, n, 0.3) - want) > 1e-12)
				ok = 0;
		}
	}
	CHECK(ok, "binomial cdf by sums = regularized incomplete beta, n up to 1094");
	CHECK(funnel_binom_quantile(0.975, 10, 0.3) == 6, "r_0.975 = 6");
	CHECK(funnel_binom_quantile(0.999, 10, 0.3) == 8, "r_0.999 = 8");
	CHECK(funnel_binom_quantile(0.025, 10, 0.3) == 0, "r_0.025 = 0");
	CHECK(funnel_binom_quantile(0.95266, 10, 0.3) == 6 &&
		  funnel_binom_quantile(0.95265, 10, 0.3) == 5,
		  "quantile: smallest r with F(r) >= p");

	/* hand-worked limits */
	CHECK(funnel_limits(0.3, 10, 0.95, &low, &high) == 0, "limits n=10, 0.3, 95 %%");
	CHECK_NEAR(high, 0.560802140354, 1e-10, "upper 95 %% limit n=10 target 0.3 (hand: 0.5608021)");
	CHECK(low == 0.0, "lower 95 %% limit n=10 target 0.3 is 0 (r_p = 0, -0.0115 clamped)");
	CHECK(funnel_limits(0.3, 10, 0.998, &low, &high) == 0, "limits n=10, 0.3, 99.8 %%");
	CHECK_NEAR(high, 0.740809165408, 1e-10, "upper 99.8 %% limit n=10 target 0.3 (hand: 0.7408091)");
	CHECK(low == 0.0, "lower 99.8 %% limit n=10 target 0.3 is 0");
	/* symmetric case and a small target: reference script values */
	funnel_limits(0.5, 100, 0.95, &low, &high);
	CHECK_NEAR(low, 0.396824041726, 1e-10, "lower 95 %% n=100 target 0.5");
	CHECK_NEAR(high, 0.593175958274, 1e-10, "upper 95 %% n=100 target 0.5");
	/*
	 * The interpolation is linear between the CDF's values at the counts
	 * r - 1 and r (a limit at r_p - alpha), so for the symmetric
	 * Binomial(n, 0.5) the two limits are mirror images about
	 * (n - 1) / 2n, not 1/2: low + high = 1 - 1/n.
	 */
	CHECK_NEAR(low + high, 1.0 - 1.0 / 100.0, 1e-12, "target 0.5: low + high = 1 - 1/n");
	funnel_limits(0.5, 100, 0.998, &low, &high);
	CHECK_NEAR(low, 0.341215883723, 1e-10, "lower 99.8 %% n=100 target 0.5");
	CHECK_NEAR(high, 0.648784116277, 1e-10, "upper 99.8 %% n=100 target 0.5");
	funnel_limits(0.1, 25, 0.95, &low, &high);
	CHECK_NEAR(high, 0.214044625821, 1e-10, "upper 95 %% n=25 target 0.1");
	funnel_limits(0.1, 25, 0.998, &low, &high);
	CHECK_NEAR(high, 0.307970682988, 1e-10, "upper 99.8 %% n=25 target 0.1");

	/* large n: the normal approximation, within O(1/n) */
	{
		static const double targets[] = {0.05, 0.3, 0.5, 0.8};
		static const int64_t ns[] = {10000, 1000000, 100000000};
		static const double levels[] = {0.95, 0.998};
		int			a,
					b,
					c;

		for (a = 0; a < 4; a++)
			for (b = 0; b < 3; b++)
				for (c = 0; c < 2; c++)
				{
					double		t = targets[a],
								z = si_norm_quantile(1.0 - (1.0 - levels[c]) / 2.0),
								half = z * sqrt(t * (1.0 - t) / (double) ns[b]),
								tol = 3.0 / (double) ns[b];

					funnel_limits(t, ns[b], levels[c], &low, &high);
					CHECK(fabs(low - (t - half)) <= tol && fabs(high - (t + half)) <= tol,
						  "n=%lld target %g level %g: exact [%.9f, %.9f] vs normal [%.9f, %.9f]",
						  (long long) ns[b], t, levels[c], low, high, t - half, t + half);
				}
	}
	/* the largest n allowed runs and is near the normal approximation */
	funnel_limits(0.3, FUNNEL_MAX_N, 0.95, &low, &high);
	CHECK_NEAR(high, 0.3 + 1.959963984540054 * sqrt(0.21 / 1e9), 1e-8, "n = 1e9 upper limit");
	/* limits are monotone in n: the funnel narrows */
	{
		double		prev_low = 0.0,
					prev_high = 1.0;

		ok = 1;
		for (n = 5; n < 3000; n += 7)
		{
			funnel_limits(0.2, n, 0.95, &low, &high);
			if (high > prev_high + 1e-12 || low < prev_low - 1e-12)
				ok = 0;
			prev_low = low;
			prev_high = high;
		}
		CHECK(ok, "the interpolated limits narrow as n grows (no discreteness jumps outward)");
	}
	/* domain */
	CHECK(funnel_limits(0.0, 10, 0.95, &low, &high) == -1, "target 0 refused");
	CHECK(funnel_limits(1.0, 10, 0.95, &low, &high) == -1, "target 1 refused");
	CHECK(funnel_limits(0.3, 0, 0.95, &low, &high) == -1, "n 0 refused");
	CHECK(funnel_limits(0.3, FUNNEL_MAX_N + 1, 0.95, &low, &high) == -1, "n above the maximum refused");
	CHECK(funnel_limits(0.3, 10, 1.0, &low, &high) == -1, "conf_level 1 refused");
	CHECK(funnel_limits(NAN, 10, 0.95, &low, &high) == -1, "NaN target refused");

	return unit_done();
}
