/*
 * Unit tests for src/math/newcombe.c: the difference of two proportions
 * with Newcombe's hybrid score interval.
 *
 * Published values: Newcombe (1998), Statistics in Medicine 17:873-890,
 * Table II, method 10 (4 decimals, so tolerance 5e-5), for his eight
 * examples (a)-(h). 10-decimal values: test/monitor_reference.py
 * (independent Python).
 */
#include "newcombe.h"
#include "unit.h"

int
main(void)
{
	static const struct
	{
		int			x1,
					n1,
					x2,
					n2;
		double		low,
					high;
	}			t[] = {
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
		{10, 10, 0, 10, 0.6075, 1.0000},
	};
	double		est,
				low,
				high;
	int			i;

	for (i = 0; i < 8; i++)
	{
		CHECK(newcombe_difference(t[i].x1, t[i].n1, t[i].x2, t[i].n2, 0.95, &est, &low, &high) == 0,
			  "%d/%d - %d/%d computed", t[i].x1, t[i].n1, t[i].x2, t[i].n2);
		CHECK_NEAR(est, (double) t[i].x1 / t[i].n1 - (double) t[i].x2 / t[i].n2, 1e-15,
				   "%d/%d - %d/%d estimate", t[i].x1, t[i].n1, t[i].x2, t[i].n2);
		CHECK_NEAR(low, t[i].low, 5e-5, "%d/%d - %d/%d lower (Newcombe 1998, Table II)",
				   t[i].x1, t[i].n1, t[i].x2, t[i].n2);
		CHECK_NEAR(high, t[i].high, 5e-5, "%d/%d - %d/%d upper (Newcombe 1998, Table II)",
				   t[i].x1, t[i].n1, t[i].x2, t[i].n2);
	}
	newcombe_difference(56, 70, 48, 80, 0.95, &est, &low, &high);
	CHECK_NEAR(low, 0.0524314724, 1e-9, "56/70 - 48/80 lower, 10 decimals (reference script)");
	CHECK_NEAR(high, 0.3338726540, 1e-9, "56/70 - 48/80 upper, 10 decimals (reference script)");
	newcombe_difference(5, 56, 0, 29, 0.95, &est, &low, &high);
	CHECK_NEAR(low, -0.0381371479, 1e-9, "5/56 - 0/29 lower, 10 decimals");
	CHECK_NEAR(high, 0.1925600139, 1e-9, "5/56 - 0/29 upper, 10 decimals");
	/* swapping the groups mirrors the interval */
	{
		double		e2,
					l2,
					h2;

		newcombe_difference(48, 80, 56, 70, 0.95, &e2, &l2, &h2);
		CHECK(fabs(e2 + 0.2) < 1e-15 && fabs(l2 + 0.3338726540) < 1e-9 &&
			  fabs(h2 + 0.0524314724) < 1e-9, "b - a is the mirror image of a - b");
	}
	/* a wider level gives a wider interval */
	newcombe_difference(9, 10, 3, 10, 0.99, &est, &low, &high);
	CHECK(low < 0.1705 && high > 0.8090, "99 %% wider than 95 %%");
	/* domain */
	CHECK(newcombe_difference(1, 0, 1, 2, 0.95, &est, &low, &high) == -1, "n1 = 0 refused");
	CHECK(newcombe_difference(3, 2, 1, 2, 0.95, &est, &low, &high) == -1, "x1 > n1 refused");
	CHECK(newcombe_difference(-1, 2, 1, 2, 0.95, &est, &low, &high) == -1, "negative count refused");
	CHECK(newcombe_difference(1, 2, 1, 2, 1.0, &est, &low, &high) == -1, "conf_level 1 refused");
	return unit_done();
}
