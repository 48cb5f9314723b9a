/*
 * Unit tests for src/math/finance.c. Expected values are the worked
 * examples M10/M11 of docs/methods.md and hand calculations written out below.
 */
#include "finance.h"
#include "unit.h"

#include <math.h>

static double
cosx(double x, void *arg)
{
	return cos(x) - x;
}

int
main(void)
{
	/* M10 flows: -1,000,000 at t=0, +400,000 at t=1,2,3 */
	double		t1[] = {0, 1, 2, 3};
	double		a1[] = {-1000000, 400000, 400000, 400000};
	double		irr,
				y,
				in,
				out;
	int			nroots;
	FinRootStatus st;

	/* 1.035^-10 = 0.70891881... */
	CHECK_NEAR(fin_discount_factor(10, FIN_FLAT, 0.035, FIN_END, 1), 0.7089188, 5e-8,
			   "DF(10) at 3.5 %% = 0.7089188 (M10)");
	/* declining: 1.035^-35 * 1.025^-5 */
	CHECK_NEAR(fin_discount_factor(40, FIN_FM2021, 0, FIN_END, 1), 0.2651358, 5e-8,
			   "DF(40) FM2021 = 1.035^-35 * 1.025^-5 = 0.2651358 (M10)");
	CHECK_NEAR(fin_discount_factor(35, FIN_FM2021, 0, FIN_END, 1), pow(1.035, -35), 1e-15,
			   "DF(35) FM2021 = 1.035^-35 (step boundary belongs to the first step)");
	CHECK_NEAR(fin_discount_factor(80, FIN_FM2021, 0, FIN_END, 1),
			   pow(1.035, -35) * pow(1.025, -35) * pow(1.015, -10), 1e-15,
			   "DF(80) FM2021 = 1.035^-35 * 1.025^-35 * 1.015^-10");
	/* weekly flow at 26 weeks: t = 26/52 = 0.5, 1.035^-0.5 */
	CHECK_NEAR(fin_discount_factor(26.0 / 52.0, FIN_FLAT, 0.035, FIN_END, 1), 0.9829464, 5e-8,
			   "weekly DF(26 weeks) = 0.9829464 (M10)");
	CHECK_NEAR(fin_discount_factor(1, FIN_FLAT, 0.035, FIN_MID, 1), pow(1.035, -0.5), 1e-15,
			   "mid-period: year-1 flow discounted at t = 0.5");
	CHECK_NEAR(fin_discount_factor(0, FIN_FLAT, 0.035, FIN_MID, 1), 1.0, 0,
			   "mid-period: a flow at t = 0 stays undiscounted");
	CHECK_NEAR(fin_discount_factor(-1, FIN_FLAT, 0.05, FIN_END, 1), 1.05, 1e-15,
			   "negative t compounds forward");
	CHECK_NEAR(fin_discount_factor(3, FIN_FLAT, 0.0, FIN_END, 1), 1.0, 0,
			   "rate 0: DF = 1");

	/* NPV = -1e6 + 4e5 * (1.035^-1 + 1.035^-2 + 1.035^-3) = -1e6 + 4e5 * 2.8016370 */
	CHECK_NEAR(fin_npv(t1, a1, 4, FIN_FLAT, 0.035, FIN_END, 1), 120654.79, 0.005,
			   "NPV of the M10 flows at 3.5 %% = 120,654.79");
	CHECK_NEAR(fin_npv(t1, a1, 4, FIN_FLAT, 0.0, FIN_END, 1), 200000, 1e-9,
			   "NPV at 0 %% = plain sum 200,000");

	st = fin_irr(t1, a1, 4, -0.99, 10, &irr, &nroots);
	CHECK(st == FIN_ROOT_OK && nroots == 1, "IRR of the M10 flows found, one root");
	CHECK_NEAR(irr, 0.097010, 5e-7, "IRR of the M10 flows = 9.7010 %% (M11)");
	CHECK_NEAR(fin_npv(t1, a1, 4, FIN_FLAT, irr, FIN_END, 1), 0, 1e-6,
			   "NPV at the IRR is 0");

	{
		/* Peterborough-style lump sum: 1,000,000 out, 1,159,274.07 in at t=5: 1.03^5 = 1.1592740743 */
		double		t[] = {0, 5};
		double		a[] = {-1000000, 1159274.07};

		st = fin_irr(t, a, 2, -0.99, 10, &irr, &nroots);
		CHECK(st == FIN_ROOT_OK, "lump-sum IRR found");
		CHECK_NEAR(irr, 0.03, 5e-5, "lump-sum IRR = 3.00 %% (M11)");
		fin_sums(a, 2, &in, &out);
		CHECK_NEAR(in / out, 1.1593, 5e-5, "multiple 1.1593 (M11)");
	}
	{
		/* Duo for a Job cap: 290,000 / 234,000 = 1.2393 */
		double		a[] = {-234000, 290000};

		fin_sums(a, 2, &in, &out);
		CHECK_NEAR(in / out, 1.2393, 5e-5, "Duo for a Job multiple 1.2393 (M11)");
	}
	{
		/* -1 + 5x - 6x^2 with x = 1/(1+i): roots x = 1/2, 1/3 -> i = 1, 2 */
		double		t[] = {0, 1, 2};
		double		a[] = {-1, 5, -6};

		st = fin_irr(t, a, 3, -0.99, 10, &irr, &nroots);
		CHECK(st == FIN_ROOT_OK && nroots == 2, "two IRRs detected (nroots = %d)", nroots);
		CHECK_NEAR(irr, 1.0, 1e-10, "the IRR closest to 0 is returned (100 %%)");
	}
	{
		/* 1 - x + x^2 > 0 for all x: flows change sign but there is no IRR */
		double		t[] = {0, 1, 2};
		double		a[] = {1, -1, 1};

		st = fin_irr(t, a, 3, -0.99, 10, &irr, &nroots);
		CHECK(st == FIN_ROOT_NO_BRACKET, "sign change in flows but no root: no bracket");
	}
	{
		double		t[] = {0, 1};
		double		a[] = {100, 200};
		double		z[] = {0, 0};

		CHECK(fin_irr(t, a, 2, -0.99, 10, &irr, &nroots) == FIN_ROOT_NO_SIGN_CHANGE_FLOWS,
			  "all flows positive: no sign change");
		CHECK(fin_irr(t, z, 2, -0.99, 10, &irr, &nroots) == FIN_ROOT_EMPTY,
			  "all flows zero: empty");
	}
	{
		/* negative IRR: -100 at 0, +50 at 1: 50/(1+i) = 100 -> i = -0.5 */
		double		t[] = {0, 1};
		double		a[] = {-100, 50};

		st = fin_irr(t, a, 2, -0.99, 10, &irr, &nroots);
		CHECK_NEAR(irr, -0.5, 1e-10, "IRR -50 %%");
	}
	{
		/* long horizon: -1 at 0, +1.05^200 at 200 -> 5 %, no overflow at i = -0.99 */
		double		t[] = {0, 200};
		double		a[] = {-1, pow(1.05, 200)};

		st = fin_irr(t, a, 2, -0.99, 10, &irr, &nroots);
		CHECK(st == FIN_ROOT_OK, "200-year flows: root found");
		CHECK_NEAR(irr, 0.05, 1e-10, "200-year flows: IRR 5 %%");
	}

	{
		double		r;

		CHECK(fin_brent(cosx, NULL, 0, 1, 1e-14, 100, &r), "Brent on cos(x) - x");
		CHECK_NEAR(r, 0.7390851332151607, 1e-13, "Brent: Dottie number");
		CHECK(!fin_brent(cosx, NULL, 2, 3, 1e-14, 100, &r), "Brent: no sign change refused");
	}

	/* payback of the M10 flows: cumulative -1e6, -6e5, -2e5, +2e5: 2 + 2e5/4e5 = 2.5 years */
	CHECK(fin_payback(t1, a1, 4, FIN_FLAT, 0, &y) == FIN_PAYBACK_OK, "M10 flows pay back");
	CHECK_NEAR(y, 2.5, 1e-12, "payback 2.5 years");
	/* discounted at 3.5 %: cumulative after 2 years -1e6 + 4e5*(0.966184 + 0.933511) = -240,122.29,
	 * year 3 adds 4e5 * 0.901943 = 360,777.08 -> 2 + 240,122.29/360,777.08 = 2.66556 */
	CHECK(fin_payback(t1, a1, 4, FIN_FLAT, 0.035, &y) == FIN_PAYBACK_OK, "discounted payback exists");
	CHECK_NEAR(y, 2 + (1e6 - 4e5 * (pow(1.035, -1) + pow(1.035, -2))) / (4e5 * pow(1.035, -3)),
			   1e-12, "discounted payback 2.6656 years");
	{
		double		t[] = {0, 1, 2};
		double		a[] = {-100, 50, 40};

		CHECK(fin_payback(t, a, 3, FIN_FLAT, 0, &y) == FIN_PAYBACK_NEVER, "never pays back");
	}
	{
		/* pays back at 1, falls below 0 at 2, pays back again at 3 (+50 of 100 needed... ) */
		double		t[] = {0, 1, 2, 3};
		double		a[] = {-100, 150, -100, 100};

		/* cumulative -100, 50, -50, 50: last crossing at 2 + 50/100 = 2.5 */
		CHECK(fin_payback(t, a, 4, FIN_FLAT, 0, &y) == FIN_PAYBACK_OK, "pays back twice");
		CHECK_NEAR(y, 2.5, 1e-12, "payback is the crossing after which it stays >= 0");
	}
	{
		/* -1e308 twice overflows the running sum: an error, never a payback of -1 */
		double		t[] = {0, 1, 2, 3, 4};
		double		a[] = {-1e308, -1e308, 1e308, 1e308, 1e308};

		CHECK(fin_payback(t, a, 5, FIN_FLAT, 0, &y) == FIN_PAYBACK_OVERFLOW, "payback: overflow reported");
		CHECK(!isfinite(fin_npv(t, a, 2, FIN_FLAT, 0, FIN_END, 1)), "npv: overflow is not finite");
	}
	{
		double		t[] = {3, 1, 2, 0, 1};
		double		a[] = {30, 10, 20, 0, 11};

		fin_sort_flows(t, a, 5);
		CHECK(t[0] == 0 && t[1] == 1 && t[2] == 1 && t[3] == 2 && t[4] == 3 &&
			  a[1] == 10 && a[2] == 11 && a[4] == 30, "sort of flows by t");
	}
	{
		/* every rotation of the same flows sorts into one sequence (ties in t by amount) */
		double		t0[] = {2, 1, 2, 1, 0, 2};
		double		a0[] = {5, -3, -7, 4, -9, 5};
		double		want_t[] = {0, 1, 1, 2, 2, 2};
		double		want_a[] = {-9, -3, 4, -7, 5, 5};
		int			r,
					i,
					ok = 1;

		for (r = 0; r < 6; r++)
		{
			double		t[6],
						a[6];

			for (i = 0; i < 6; i++)
			{
				t[i] = t0[(i + r) % 6];
				a[i] = a0[(i + r) % 6];
			}
			fin_sort_flows(t, a, 6);
			for (i = 0; i < 6; i++)
				ok = ok && t[i] == want_t[i] && a[i] == want_a[i];
		}
		CHECK(ok, "sort of flows: any order of the same flows gives one sequence (ties by amount)");
	}
	/*
	 * present values: M10 flows at 3.5 %: -1,000,000, 400,000 / 1.035,
	 * 400,000 / 1.035^2, 400,000 / 1.035^3; they add up to the NPV
	 */
	{
		double		pv[4],
					sum = 0;
		int			k;

		fin_present_values(t1, a1, 4, FIN_FLAT, 0.035, pv);
		CHECK(pv[0] == -1000000, "present value at t = 0 is the amount");
		CHECK_NEAR(pv[1], 400000 / 1.035, 1e-9, "present value at t = 1: 400,000 / 1.035");
		CHECK_NEAR(pv[3], 400000 / (1.035 * 1.035 * 1.035), 1e-9, "present value at t = 3: 400,000 / 1.035^3");
		for (k = 0; k < 4; k++)
			sum += pv[k];
		CHECK_NEAR(sum, fin_npv(t1, a1, 4, FIN_FLAT, 0.035, FIN_END, 1), 1e-8,
				   "present values add up to the NPV");
	}
	/* XIRR times: days after the earliest day / 365, in any order of the flows */
	{
		double		days[3] = {465, 100, 830},
					years[3];

		fin_days_to_years(days, 3, years);
		CHECK(years[0] == 1 && years[1] == 0 && years[2] == 2,
			  "days 465, 100, 830 are 1, 0 and 2 years after the first");
		fin_days_to_years(days, 3, days);
		CHECK(days[0] == 1 && days[1] == 0 && days[2] == 2, "in place");
	}
	return unit_done();
}
