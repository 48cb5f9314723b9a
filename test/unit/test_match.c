/*
 * test_match.c — nearest-neighbour matching (src/math/match.c): small
 * cases worked by hand (order, tie rule, caliper, rounds, replacement,
 * strata, weights) and a check against a direct O(n^2) reading of the
 * rules (docs/methods.md, *Nearest-neighbour matching*) on random data.
 */
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "rng.h"
#include "unit.h"

static int64_t work_buf[1 << 20];

static void
run(int64_t n, const double *d, const unsigned char *t, const int64_t *s, int ratio,
	int replace, double caliper, SiMatchOrder order, int64_t *match)
{
	SiMatchProblem p = {n, d, t, s, ratio, replace, caliper, order, 7, NULL};

	si_match_nearest(&p, match, work_buf);
}

/*
 * The rules read literally: treated units in processing order, for each
 * round; all units sorted by (stratum, distance, index); look left and
 * right for the nearest usable control by walking the sorted list.
 */
static void
naive(int64_t n, const double *d, const unsigned char *t, const int64_t *s, int ratio,
	  int replace, double caliper, SiMatchOrder order, int64_t *match)
{
	int64_t    *sorted = malloc(n * sizeof(int64_t));
	int64_t    *pos = malloc(n * sizeof(int64_t));
	int64_t    *rows = malloc(n * sizeof(int64_t));
	int64_t    *ord = malloc(n * sizeof(int64_t));
	unsigned char *used = calloc(n, 1);
	int64_t		n1 = 0;

	for (int64_t i = 0; i < n; i++)
		sorted[i] = i;
	/* insertion sort by (stratum, d, index) */
	for (int64_t i = 1; i < n; i++)
		for (int64_t j = i; j > 0; j--)
		{
			int64_t		a = sorted[j - 1],
						b = sorted[j];
			int64_t		sa = s ? s[a] : 0,
						sb = s ? s[b] : 0;
			int			gt = sa != sb ? sa > sb : (d[a] != d[b] ? d[a] > d[b] : a > b);

			if (!gt)
				break;
			sorted[j - 1] = b;
			sorted[j] = a;
		}
	for (int64_t i = 0; i < n; i++)
		pos[sorted[i]] = i;
	for (int64_t i = 0; i < n; i++)
		if (t[i])
			rows[n1++] = i;
	for (int64_t r = 0; r < n1; r++)
		ord[r] = r;
	if (order == SI_MATCH_LARGEST || order == SI_MATCH_SMALLEST)
		for (int64_t i = 1; i < n1; i++)
			for (int64_t j = i; j > 0; j--)
			{
				double		a = d[rows[ord[j - 1]]],
							b = d[rows[ord[j]]];
				int			gt = order == SI_MATCH_LARGEST ? a < b : a > b;
				int64_t		tmp;

				if (!gt)
					break;
				tmp = ord[j - 1];
				ord[j - 1] = ord[j];
				ord[j] = tmp;
			}
	for (int64_t k = 0; k < n1 * ratio; k++)
		match[k] = -1;
	for (int r = 0; r < ratio; r++)
		for (int64_t q = 0; q < n1; q++)
		{
			int64_t		row = ord[q],
						u = rows[row];
			int64_t		found[2] = {-1, -1};

			for (int dir = 0; dir < 2; dir++)
			{
				int64_t		k = pos[u];

				for (;;)
				{
					int64_t		c;
					int			mine = 0;

					k += dir == 0 ? -1 : 1;
					if (k < 0 || k >= n)
						break;
					c = sorted[k];
					if (s && s[c] != s[u])
						break;
					if (t[c] || used[c])
						continue;
					for (int qq = 0; qq < r; qq++)
						if (match[row * ratio + qq] == c)
							mine = 1;
					if (mine)
						continue;
					if (caliper >= 0 && fabs(d[c] - d[u]) > caliper)
						break;
					found[dir] = c;
					break;
				}
			}
			if (found[0] >= 0 && found[1] >= 0)
				match[row * ratio + r] = fabs(d[found[0]] - d[u]) <= fabs(d[found[1]] - d[u])
					? found[0] : found[1];
			else
				match[row * ratio + r] = found[0] >= 0 ? found[0] : found[1];
			if (match[row * ratio + r] >= 0 && !replace)
				used[match[row * ratio + r]] = 1;
		}
	free(sorted);
	free(pos);
	free(rows);
	free(ord);
	free(used);
}

int
main(void)
{
	/* units 0..6; controls at 1, 2.5, 7, 9; treated at 3, 8, 5 */
	double		d[] = {1, 3, 2.5, 8, 7, 9, 5};
	unsigned char t[] = {0, 1, 0, 1, 0, 0, 1};
	int64_t		m[32];
	double		w[7];
	int64_t		sub[7];

	/* largest first: unit 3 (8) ties 7 and 9 and takes the lower (7); 6 (5) takes 2.5; 1 (3) takes 1 */
	run(7, d, t, NULL, 1, 0, -1, SI_MATCH_LARGEST, m);
	CHECK(m[0] == 0 && m[1] == 4 && m[2] == 2, "1:1 largest first: rows (1,3,6) -> (0,4,2), tie to the lower distance");

	/* smallest first: 1 takes 2.5; 6 takes 7 (2 < 4); 3 takes 9 */
	run(7, d, t, NULL, 1, 0, -1, SI_MATCH_SMALLEST, m);
	CHECK(m[0] == 2 && m[1] == 5 && m[2] == 4, "1:1 smallest first: (1,3,6) -> (2,5,4)");

	/* data order: 1 takes 2.5; 3 ties 7/9 -> 7; 6 (5): left 1 (4) vs right 9 (4): tie -> 1 */
	run(7, d, t, NULL, 1, 0, -1, SI_MATCH_DATA, m);
	CHECK(m[0] == 2 && m[1] == 4 && m[2] == 0, "1:1 data order: (1,3,6) -> (2,4,0)");

	/* caliper 1.5: 3 -> 7 (diff 1); 6: nearest left 2.5 (2.5) and right 9 (4) both outside; 1 -> 2.5 */
	run(7, d, t, NULL, 1, 0, 1.5, SI_MATCH_LARGEST, m);
	CHECK(m[0] == 2 && m[1] == 4 && m[2] == -1, "caliper 1.5: unit 6 unmatched, (1,3) -> (2,4)");

	/* caliper 0: only equal distances */
	run(7, d, t, NULL, 1, 0, 0, SI_MATCH_LARGEST, m);
	CHECK(m[0] == -1 && m[1] == -1 && m[2] == -1, "caliper 0 without equal distances: nobody matched");

	/* 2:1 without replacement: round 1 as 1:1; round 2 only 9 is left: unit 3 takes it */
	run(7, d, t, NULL, 2, 0, -1, SI_MATCH_LARGEST, m);
	CHECK(m[0] == 0 && m[1] == -1 && m[2] == 4 && m[3] == 5 && m[4] == 2 && m[5] == -1,
		  "2:1 without replacement: round 2 gives 9 to unit 3 only");
	CHECK(si_match_weights(7, t, 2, 0, m, w, sub) == 7, "2:1: all 7 units matched");
	/* controls: 0 and 2 weigh 1, 4 and 5 weigh 1/2; sum 3 over 4 controls -> times 4/3 */
	CHECK_NEAR(w[0], 4.0 / 3, 1e-15, "2:1 weight of a sole control: 4/3");
	CHECK_NEAR(w[4], 2.0 / 3, 1e-15, "2:1 weight of one of two controls: 2/3");
	CHECK_NEAR(w[5], 2.0 / 3, 1e-15, "2:1 weight of the second: 2/3");
	CHECK_NEAR(w[3], 1.0, 0, "treated weight 1");
	CHECK(sub[1] == 1 && sub[0] == 1 && sub[3] == 2 && sub[4] == 2 && sub[5] == 2 && sub[6] == 3 && sub[2] == 3,
		  "subclasses numbered by the treated units' index order");

	/* with replacement: 3 -> 7; 6 (5): 2.5 (2.5) vs 7 (2) -> 7 again; 1 -> 2.5 */
	run(7, d, t, NULL, 1, 1, -1, SI_MATCH_LARGEST, m);
	CHECK(m[0] == 2 && m[1] == 4 && m[2] == 4, "1:1 with replacement: 7 serves units 3 and 6");
	CHECK(si_match_weights(7, t, 1, 1, m, w, sub) == 5, "with replacement: 3 treated + 2 controls");
	/* control 4 weighs 2, control 2 weighs 1; sum 3 over 2 controls -> times 2/3 */
	CHECK_NEAR(w[4], 4.0 / 3, 1e-15, "with replacement: a control used twice weighs 4/3");
	CHECK_NEAR(w[2], 2.0 / 3, 1e-15, "with replacement: a control used once weighs 2/3");
	CHECK(w[0] == 0 && w[5] == 0 && sub[4] == 0 && sub[1] == 0, "unused controls weigh 0; no subclasses with replacement");

	/* 2:1 with replacement: round 2 skips each unit's own first control */
	run(7, d, t, NULL, 2, 1, -1, SI_MATCH_LARGEST, m);
	CHECK(m[0] == 2 && m[1] == 0 && m[2] == 4 && m[3] == 5 && m[4] == 4 && m[5] == 2,
		  "2:1 with replacement: (1: 2.5, 1) (3: 7, 9) (6: 7, 2.5)");

	/* ties with equal distances go by index: a control before the treated unit is on its left */
	{
		double		e[] = {5, 5, 5};
		unsigned char t1[] = {0, 1, 0};
		unsigned char t2[] = {1, 0, 0};

		run(3, e, t1, NULL, 1, 0, -1, SI_MATCH_LARGEST, m);
		CHECK(m[0] == 0, "equal distances: the control with the lower index (left) wins");
		run(3, e, t2, NULL, 1, 0, 0, SI_MATCH_LARGEST, m);
		CHECK(m[0] == 1, "equal distances, treated first: nearest on the right by index; caliper 0 admits it");
	}

	/* exact strata: the nearer control in another stratum is not used */
	{
		double		e[] = {1.0, 1.1, 3.0, 5.0};
		unsigned char tt[] = {1, 0, 0, 1};
		int64_t		s[] = {1, 2, 1, 2};

		run(4, e, tt, s, 1, 0, -1, SI_MATCH_LARGEST, m);
		CHECK(m[0] == 2 && m[1] == 1, "exact strata: unit 0 takes 3.0 of its stratum, not 1.1");
		run(4, e, tt, s, 1, 0, 1.0, SI_MATCH_LARGEST, m);
		CHECK(m[0] == -1 && m[1] == -1, "exact strata with caliper 1: nobody within reach");
	}

	/* random order: a permutation; reproducible for a seed */
	{
		int64_t		m2[3];

		run(7, d, t, NULL, 1, 0, -1, SI_MATCH_RANDOM, m);
		run(7, d, t, NULL, 1, 0, -1, SI_MATCH_RANDOM, m2);
		CHECK(memcmp(m, m2, sizeof(m2)) == 0 && m[0] >= 0 && m[1] >= 0 && m[2] >= 0,
			  "random order: same seed, same matches; everyone matched");
	}

	/* against the literal reading of the rules, random data with ties */
	{
		enum
		{
		N = 1500};
		static double rd[N];
		static unsigned char rt[N];
		static int64_t rs[N];
		static int64_t ma[N * 3],
					mb[N * 3];
		SiRng		g;
		int			bad = 0,
					cases = 0;

		si_rng_seed(&g, 2026);
		for (int rep = 0; rep < 4; rep++)
		{
			int64_t		n1 = 0;

			for (int i = 0; i < N; i++)
			{
				/* coarse values so that many distances tie */
				rd[i] = (double) si_rng_below(&g, 400) / 16.0;
				rt[i] = si_rng_uniform(&g) < (rep == 3 ? 0.6 : 0.3);
				rs[i] = (int64_t) si_rng_below(&g, 3);
				n1 += rt[i];
			}
			for (int ratio = 1; ratio <= 3; ratio++)
				for (int replace = 0; replace <= 1; replace++)
					for (int o = 0; o <= 2; o++)
						for (int withs = 0; withs <= 1; withs++)
						{
							double		cal = (ratio + o) % 2 ? 0.4 : -1;

							run(N, rd, rt, withs ? rs : NULL, ratio, replace, cal, o, ma);
							naive(N, rd, rt, withs ? rs : NULL, ratio, replace, cal, o, mb);
							cases++;
							if (memcmp(ma, mb, n1 * ratio * sizeof(int64_t)) != 0)
								bad++;
						}
		}
		CHECK(bad == 0, "sorted/forest matching equals the literal O(n^2) rules in %d random cases", cases);
	}

	CHECK(si_match_nearest_work_bytes(-1) == 0, "work size of a negative n is 0 (refused)");
	return unit_done();
}
