/*
 * Unit tests for src/math/balance.c. Every expected value is worked out
 * by hand below (small samples, fractions); the lalonde comparison with R
 * MatchIt's summary() is the regression test sql/matching_balance.sql.
 */
#include "balance.h"
#include "unit.h"

#include <float.h>

int
main(void)
{
	/* treated 1, 2, 3; controls 2, 4, 6, 8 */
	double		x[7] = {1, 2, 3, 2, 4, 6, 8};
	bool		treated[7] = {true, true, true, false, false, false, false};
	/* a matching: control with value 2 unmatched, value 8 used twice */
	double		w[7] = {1, 1, 1, 0, 1, 1, 2};
	SiBalancePoint work[7];
	SiBalanceStats s;
	double		denom;
	bool		fallback;
	int64_t		nt,
				nc;
	double		esst,
				essc;

	CHECK(!si_balance_is_binary(7, x, 1), "1..8 is not binary");

	/* variances: treated ((1)+(0)+(1))/2 = 1, controls (9+1+1+9)/3 = 20/3 */
	CHECK_NEAR(si_balance_wvar(7, x, 1, treated, true, NULL, false), 1.0, 1e-15, "treated variance 1");
	CHECK_NEAR(si_balance_wvar(7, x, 1, treated, false, NULL, false), 20.0 / 3.0, 1e-14, "control variance 20/3");

	denom = si_balance_smd_denominator(7, x, 1, treated, SI_SMD_TREATED, false, &fallback);
	CHECK_NEAR(denom, 1.0, 1e-15, "ATT denominator: treated SD 1");
	CHECK(!fallback, "no fallback");
	CHECK_NEAR(si_balance_smd_denominator(7, x, 1, treated, SI_SMD_POOLED, false, &fallback),
			   sqrt(23.0 / 6.0), 1e-14, "ATE denominator: sqrt((1 + 20/3) / 2)");

	/* unadjusted: means 2 and 5 */
	si_balance_term(7, x, 1, treated, NULL, false, denom, work, &s);
	CHECK_NEAR(s.mean_treated, 2.0, 1e-15, "mean treated 2");
	CHECK_NEAR(s.mean_control, 5.0, 1e-15, "mean control 5");
	CHECK_NEAR(s.std_mean_diff, -3.0, 1e-15, "SMD (2 - 5) / 1");
	CHECK_NEAR(s.variance_ratio, 0.15, 1e-15, "variance ratio 1 / (20/3)");

	/*
	 * eCDFs at 1, 2, 3, 4, 6, 8: treated 1/3, 2/3, 1, 1, 1, 1; controls 0,
	 * 1/4, 1/4, 1/2, 3/4, 1; differences 1/3, 5/12, 3/4, 1/2, 1/4, 0:
	 * mean 27/72, max 3/4.
	 */
	CHECK_NEAR(s.ecdf_mean, 27.0 / 72.0, 1e-15, "eCDF mean 27/72");
	CHECK_NEAR(s.ecdf_max, 0.75, 1e-15, "eCDF max 3/4");

	/*
	 * weighted: controls 4, 6, 8, 8 -> mean 6.5; normalised weights 1/4,
	 * 1/4, 1/2: sum w (x - m)^2 = 2.75, sum w^2 = 0.375, variance 2.75 /
	 * 0.625 = 4.4. eCDFs at 1, 2, 3, 4, 6, 8 (2 stays a point although its
	 * control weighs 0): controls 0, 0, 0, 1/4, 1/2, 1; differences 1/3,
	 * 2/3, 1, 3/4, 1/2, 0: mean 3.25/6, max 1.
	 */
	si_balance_term(7, x, 1, treated, w, false, denom, work, &s);
	CHECK_NEAR(s.mean_control, 6.5, 1e-15, "weighted mean control 6.5");
	CHECK_NEAR(s.std_mean_diff, -4.5, 1e-15, "weighted SMD, unadjusted denominator: -4.5");
	CHECK_NEAR(s.variance_ratio, 1.0 / 4.4, 1e-15, "weighted variance ratio 1 / 4.4");
	CHECK_NEAR(s.ecdf_mean, 3.25 / 6.0, 1e-15, "weighted eCDF mean 3.25/6");
	CHECK_NEAR(s.ecdf_max, 1.0, 1e-15, "weighted eCDF max 1");

	si_balance_sizes(7, treated, w, &nt, &nc, &esst, &essc);
	CHECK(nt == 3 && nc == 3, "units with positive weight: 3 and 3");
	CHECK_NEAR(esst, 3.0, 1e-15, "ESS treated 3");
	CHECK_NEAR(essc, 16.0 / 6.0, 1e-15, "ESS control (1+1+2)^2 / (1+1+4)");
	si_balance_sizes(7, treated, NULL, &nt, &nc, &esst, &essc);
	CHECK(nt == 3 && nc == 4 && esst == 3.0 && essc == 4.0, "unweighted sizes are the counts");

	/* binary term: treated 1, 0, 1; controls 0, 0, 1, 0 */
	{
		double		b[7] = {1, 0, 1, 0, 0, 1, 0};

		CHECK(si_balance_is_binary(7, b, 1), "0/1 term is binary");
		denom = si_balance_smd_denominator(7, b, 1, treated, SI_SMD_TREATED, true, &fallback);
		CHECK_NEAR(denom, sqrt(2.0) / 3.0, 1e-15, "binary denominator sqrt(2/3 * 1/3)");
		si_balance_term(7, b, 1, treated, NULL, true, denom, work, &s);
		CHECK_NEAR(s.std_mean_diff, 5.0 / (4.0 * sqrt(2.0)), 1e-15, "binary SMD (2/3 - 1/4) / (sqrt 2 / 3)");
		CHECK(isnan(s.variance_ratio), "no variance ratio for a binary term");
		CHECK_NEAR(s.ecdf_mean, 5.0 / 12.0, 1e-15, "binary eCDF mean = |difference|");
		CHECK_NEAR(s.ecdf_max, 5.0 / 12.0, 1e-15, "binary eCDF max = |difference|");
	}

	/* stride: the same term read from the second column of a 2-column matrix */
	{
		double		m[14];
		int			i;

		for (i = 0; i < 7; i++)
		{
			m[2 * i] = -1;
			m[2 * i + 1] = x[i];
		}
		si_balance_term(7, m + 1, 2, treated, NULL, false, 1.0, work, &s);
		CHECK_NEAR(s.ecdf_mean, 27.0 / 72.0, 1e-15, "strided column read");
	}

	/* equal means: the difference is reported unstandardised (0) */
	{
		double		e[4] = {1, 3, 3, 1};
		bool		t4[4] = {true, true, false, false};

		si_balance_term(4, e, 1, t4, NULL, false, 0.5, work, &s);
		CHECK(s.std_mean_diff == 0.0, "equal means: SMD 0");
		CHECK_NEAR(s.ecdf_max, 0.0, 1e-15, "equal distributions: eCDF max 0");
	}

	/*
	 * constant treated term (non-binary): treated SD 0, fallback to the
	 * within-group sum of squares over n - 1: treated 0, controls 2, 4,
	 * 6, 8 around 5: 20, so sqrt(20 / 6).
	 */
	{
		double		c[7] = {3, 3, 3, 2, 4, 6, 8};

		denom = si_balance_smd_denominator(7, c, 1, treated, SI_SMD_TREATED, false, &fallback);
		CHECK(fallback, "constant treated: fallback used");
		CHECK_NEAR(denom, sqrt(20.0 / 6.0), 1e-14, "fallback sqrt(20 / (7 - 1))");
	}

	/*
	 * a binary term no treated unit has (a factor level): treated variance
	 * 0, fallback sum_g n_g m_g (1 - m_g) / n: controls 1 of 4, so
	 * sqrt(4 * 1/4 * 3/4 / 7).
	 */
	{
		double		b[7] = {0, 0, 0, 0, 1, 0, 0};

		denom = si_balance_smd_denominator(7, b, 1, treated, SI_SMD_TREATED, true, &fallback);
		CHECK(fallback, "level absent among the treated: fallback used");
		CHECK_NEAR(denom, sqrt(0.75 / 7.0), 1e-15, "binary fallback sqrt(4 * 1/4 * 3/4 / 7)");
	}

	/* one unit per group: too few for a standardised difference */
	{
		double		o[2] = {1, 5};
		bool		t2[2] = {true, false};

		si_balance_term(2, o, 1, t2, NULL, false, 1.0, work, &s);
		CHECK(isnan(s.std_mean_diff) && isnan(s.variance_ratio) && isnan(s.ecdf_mean),
			  "one treated and one control: NA statistics");
		CHECK_NEAR(s.mean_control, 5.0, 0, "means still given");
	}
	return unit_done();
}
