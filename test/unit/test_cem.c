/*
 * test_cem.c — coarsened exact matching (src/math/cem.c): Sturges bins,
 * equal-width breaks, the bin of a value on a break, strata numbering and
 * ATT weights, worked by hand (docs/methods.md, *Coarsened exact matching*).
 */
#include "cem.h"
#include "unit.h"

static int64_t work_buf[4096];

int
main(void)
{
	double		br[16];

	CHECK(si_cem_sturges_bins(614) == 11, "Sturges: 614 values -> ceil(log2 614 + 1) = 11 bins");
	CHECK(si_cem_sturges_bins(8) == 4, "Sturges: 8 values -> 4 bins (log2 exact)");
	CHECK(si_cem_sturges_bins(9) == 5, "Sturges: 9 values -> 5 bins");
	CHECK(si_cem_sturges_bins(1) == 1, "Sturges: 1 value -> 1 bin");

	si_cem_equal_breaks(0, 10, 4, br);
	CHECK(br[0] == 2.5 && br[1] == 5 && br[2] == 7.5, "4 equal bins over [0, 10]: breaks 2.5, 5, 7.5");
	/* 17 + 3 * (38 / 11): computed as lo + i * by, not (lo * (n - i) + hi * i) / n */
	si_cem_equal_breaks(17, 55, 11, br);
	CHECK(br[2] == 17 + 3 * (38.0 / 11), "breaks are lo + i * ((hi - lo) / bins)");

	{
		double		b[] = {2.5, 5, 7.5};

		CHECK(si_cem_bin(-1, b, 3) == 0, "below the first break: bin 0");
		CHECK(si_cem_bin(2.5, b, 3) == 1, "on a break: the upper bin");
		CHECK(si_cem_bin(4.99, b, 3) == 1, "between breaks 2.5 and 5: bin 1");
		CHECK(si_cem_bin(5, b, 3) == 2, "on break 5: bin 2");
		CHECK(si_cem_bin(100, b, 3) == 3, "above the last break: bin 3");
		CHECK(si_cem_bin(1, b, 0) == 0, "no breaks: one bin");
	}

	{
		/* one column; stratum 1 = units 0(T) 2 5, stratum 2 = 1 4(T), stratum 3 = 3(T) alone */
		int64_t		codes[] = {1, 2, 1, 3, 2, 1};
		unsigned char t[] = {1, 0, 0, 1, 1, 0};
		int64_t		sub[6],
					counts[8];
		double		w[6];
		int64_t		k = si_cem_subclass(6, 1, codes, t, sub, work_buf);

		CHECK(k == 2, "two strata hold both groups");
		/* numbered by first control: stratum 2 (unit 1) first, then stratum 1 (unit 2) */
		CHECK(sub[0] == 2 && sub[1] == 1 && sub[2] == 2 && sub[3] == 0 && sub[4] == 1 && sub[5] == 2,
			  "subclasses numbered by their first control in index order; lone treated unit 0");
		CHECK(si_cem_weights(6, t, sub, k, counts, w) == 5, "five units matched");
		/* raw: unit 1 -> 1/1, units 2, 5 -> 1/2; sum 2 over 3 controls -> times 3/2 */
		CHECK_NEAR(w[1], 1.5, 1e-15, "control alone with one treated: 1.5");
		CHECK_NEAR(w[2], 0.75, 1e-15, "one of two controls with one treated: 0.75");
		CHECK_NEAR(w[5], 0.75, 1e-15, "the other: 0.75");
		CHECK(w[0] == 1 && w[4] == 1 && w[3] == 0, "treated matched 1, unmatched 0");
	}

	{
		/* two columns: rows equal on the first differ on the second */
		int64_t		codes[] = {0, 1, 0, 2, 0, 1, 0, 2};
		unsigned char t[] = {0, 1, 1, 0};
		int64_t		sub[4];

		CHECK(si_cem_subclass(4, 2, codes, t, sub, work_buf) == 2, "two columns: two strata");
		CHECK(sub[0] == 1 && sub[2] == 1 && sub[1] == 2 && sub[3] == 2, "two columns: (0,1) and (0,2)");
	}
	CHECK(si_cem_work_bytes(-1) == 0, "work size of a negative n is 0 (refused)");
	return unit_done();
}
