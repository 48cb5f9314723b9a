/*
 * test_proportion.c — Wilson score interval and the mean's t interval
 * against values worked out by hand (written below) and published ones.
 */
#include <stdint.h>

#include "proportion.h"
#include "unit.h"

/* z = Phi^-1(0.975) = 1.959963984540054, z^2 = 3.841458820694124 */
#define Z95 1.959963984540054
#define Z95SQ 3.841458820694124

static void
check_wilson(int64_t x, int64_t n, double want_lo, double want_hi, double tol, const char *what)
{
	double		est,
				lo,
				hi;

	CHECK(si_wilson_interval(x, n, 0.95, &est, &lo, &hi) == 0, "%s: accepted", what);
	CHECK_NEAR(est, (double) x / (double) n, 1e-15, "%s: estimate", what);
	CHECK_NEAR(lo, want_lo, tol, "%s: lower", what);
	CHECK_NEAR(hi, want_hi, tol, "%s: upper", what);
}

int
main(void)
{
	double		est,
				lo,
				hi,
				se;
	SiMeanVar	a = {0, 0, 0},
				b = {0, 0, 0},
				all = {0, 0, 0};
	const double v[8] = {2, 4, 4, 4, 5, 5, 7, 9};
	int			i;

	/*
	 * 8 of 20 at 95 %, by hand: p = 0.4, z^2/n = 0.19207294103470620,
	 * 1 + z^2/n = 1.1920729410347062;
	 * centre = (0.4 + z^2/40) / 1.1920729410347062
	 *        = 0.49603647051735310 / 1.1920729410347062 = 0.41611251580528196;
	 * p(1-p)/n = 0.012, z^2/(4 n^2) = 3.841458820694124 / 1600 = 0.0024009117629338275,
	 * sqrt(0.0144009117629338275) = 0.12000379893548418;
	 * half = 1.959963984540054 / 1.1920729410347062 * 0.12000379893548418
	 *      = 0.19730598343246488;
	 * interval = (0.21880653237281708, 0.61341849923774684).
	 */
	check_wilson(8, 20, 0.21880653237281708, 0.61341849923774684, 1e-12, "8/20");

	/*
	 * Newcombe (1998), Table II, method 3 (score), four-decimal values:
	 * 81/263 0.2553-0.3662, 15/148 0.0624-0.1605, 0/20 0-0.1611,
	 * 1/29 0.0061-0.1718.
	 */
	check_wilson(81, 263, 0.2553, 0.3662, 5e-5, "Newcombe 81/263");
	check_wilson(15, 148, 0.0624, 0.1605, 5e-5, "Newcombe 15/148");
	check_wilson(0, 20, 0.0, 0.1611, 5e-5, "Newcombe 0/20");
	check_wilson(1, 29, 0.0061, 0.1718, 5e-5, "Newcombe 1/29");

	/*
	 * n = 1: for x = 0 the interval is (0, z^2 / (1 + z^2)) and for x = 1
	 * (1 / (1 + z^2), 1): z^2 / (1 + z^2) = 3.841458820694124 /
	 * 4.841458820694124 = 0.79345068562276258.
	 */
	check_wilson(0, 1, 0.0, Z95SQ / (1.0 + Z95SQ), 1e-15, "0/1");
	check_wilson(1, 1, 1.0 / (1.0 + Z95SQ), 1.0, 1e-15, "1/1");
	/* 0/n and n/n: the bounds at 0 and 1 are exact, the others mirror */
	CHECK(si_wilson_interval(0, 7, 0.95, &est, &lo, &hi) == 0 && lo == 0.0 && est == 0.0, "0/7: lower exactly 0");
	{
		double		lo2,
					hi2;

		CHECK(si_wilson_interval(7, 7, 0.95, &est, &lo2, &hi2) == 0 && hi2 == 1.0, "7/7: upper exactly 1");
		CHECK_NEAR(lo2, 1.0 - hi, 1e-15, "7/7 lower mirrors 0/7 upper");
	}

	/*
	 * Large n: the Wilson interval tends to the normal approximation
	 * p +- z sqrt(p (1 - p) / n); the difference is O(z^2 / n).
	 */
	CHECK(si_wilson_interval(30000000, 100000000, 0.95, &est, &lo, &hi) == 0, "large n accepted");
	se = sqrt(0.3 * 0.7 / 1e8);
	CHECK_NEAR(lo, 0.3 - Z95 * se, 1e-8, "large n lower ~ normal approximation");
	CHECK_NEAR(hi, 0.3 + Z95 * se, 1e-8, "large n upper ~ normal approximation");
	CHECK_NEAR(si_proportion_std_error(30000000, 100000000), se, 1e-18, "Wald standard error");
	/* other levels: 90 % uses z = 1.6448536269514722 */
	CHECK(si_wilson_interval(0, 1, 0.90, &est, &lo, &hi) == 0, "90 %% accepted");
	CHECK_NEAR(hi, 1.6448536269514722 * 1.6448536269514722 / (1.0 + 1.6448536269514722 * 1.6448536269514722),
			   1e-14, "0/1 at 90 %%: z^2/(1+z^2)");

	/* n = 0: no estimate; invalid inputs refused */
	CHECK(si_wilson_interval(0, 0, 0.95, &est, &lo, &hi) == 0 && isnan(est) && isnan(lo) && isnan(hi), "n = 0 gives NaN");
	CHECK(si_wilson_interval(3, 2, 0.95, &est, &lo, &hi) == -1, "successes > n refused");
	CHECK(si_wilson_interval(-1, 2, 0.95, &est, &lo, &hi) == -1, "negative successes refused");
	CHECK(si_wilson_interval(0, -2, 0.95, &est, &lo, &hi) == -1, "negative n refused");
	CHECK(si_wilson_interval(1, 2, 1.0, &est, &lo, &hi) == -1, "conf_level 1 refused");
	CHECK(si_wilson_interval(1, 2, 0.0, &est, &lo, &hi) == -1, "conf_level 0 refused");
	CHECK(si_wilson_interval(1, 2, NAN, &est, &lo, &hi) == -1, "conf_level NaN refused");

	/*
	 * Mean of 2, 4, 4, 4, 5, 5, 7, 9 by hand: mean 5, squared deviations
	 * 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, std_error = sqrt(32 / 7 / 8)
	 * = sqrt(4/7) = 0.75592894601845445; t(0.975, 7) = 2.3646242515927849
	 * (tables: 2.365); interval 5 -+ 1.7874879182362104.
	 */
	for (i = 0; i < 8; i++)
	{
		si_meanvar_add(&all, v[i]);
		si_meanvar_add(i < 3 ? &a : &b, v[i]);
	}
	CHECK(all.n == 8, "n = 8");
	CHECK_NEAR(all.mean, 5.0, 1e-15, "Welford mean");
	CHECK_NEAR(all.m2, 32.0, 1e-13, "Welford m2");
	si_meanvar_merge(&a, &b);
	CHECK(a.n == 8, "merged n exactly 8");
	CHECK_NEAR(a.mean, 5.0, 1e-15, "Chan merge mean = one pass");
	CHECK_NEAR(a.m2, 32.0, 1e-13, "Chan merge m2 = one pass");
	CHECK(si_mean_interval(&all, 0.95, &se, &lo, &hi) == 0, "mean interval accepted");
	CHECK_NEAR(se, 0.75592894601845445, 1e-15, "std_error sqrt(4/7)");
	CHECK_NEAR(lo, 5.0 - 2.3646242515927849 * 0.75592894601845445, 1e-12, "t lower");
	CHECK_NEAR(hi, 5.0 + 2.3646242515927849 * 0.75592894601845445, 1e-12, "t upper");
	CHECK_NEAR(hi - lo, 2 * 1.7874879182362104, 1e-11, "t half-width by hand");
	{
		SiMeanVar	one = {0, 0, 0},
					empty = {0, 0, 0};

		si_meanvar_add(&one, 3.5);
		CHECK(si_mean_interval(&one, 0.95, &se, &lo, &hi) == 0 && isnan(se) && isnan(lo), "n = 1: no interval");
		CHECK(one.m2 == 0.0 && one.mean == 3.5, "n = 1: mean is the value, m2 = 0");
		si_meanvar_merge(&empty, &one);
		CHECK(empty.n == 1 && empty.mean == 3.5, "merge into empty copies");
		si_meanvar_merge(&one, &(SiMeanVar) {0, 0, 0});
		CHECK(one.n == 1 && one.mean == 3.5 && one.m2 == 0.0, "merge of empty changes nothing");
		CHECK(si_mean_interval(&one, 1.5, &se, &lo, &hi) == -1, "mean: conf_level outside (0,1) refused");
	}
	/* a shifted sample: Welford keeps the variance of values near 1e9 */
	{
		SiMeanVar	big = {0, 0, 0};

		for (i = 0; i < 8; i++)
			si_meanvar_add(&big, 1e9 + v[i]);
		CHECK_NEAR(big.m2, 32.0, 1e-6, "Welford m2 for values near 1e9");
	}
	return unit_done();
}
