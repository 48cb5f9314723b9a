/*
 * Unit tests for src/math/didstats.c: the one-pass moments and merges
 * against direct two-pass computations on pseudo-random data, the exact
 * HC meat from fourth-order sums against the per-row sum, and the
 * closed-form 2x2 variances against their definitions; the regression
 * variances (classical, HC0/HC1, cluster scores) against per-row and
 * per-cluster sums; the read-out against the worked example M7 of
 * docs/methods.md (*Difference-in-differences on person-level changes*).
 */
#include "didstats.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ULL;

static double
unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double) (rng >> 11) / 9007199254740992.0;
}

#define N 500

int
main(void)
{
	double		pre[N],
				post[N],
				w[N],
				z1[N],
				z2[N];
	int			grp[N];
	si_did_group g[2],
				h[2],
				whole;
	int			i,
				j,
				a,
				b;

	for (i = 0; i < N; i++)
	{
		grp[i] = unif() < 0.4;
		pre[i] = 1000.0 + unif();	/* large offset: tests stability */
		post[i] = pre[i] + 0.3 * grp[i] + unif() * (1 + grp[i]);
		w[i] = 0.5 + 2 * unif();
		z1[i] = unif() * 3;
		z2[i] = (unif() < 0.5);
	}

	/* weighted moments: one pass vs two pass; split-and-merge vs whole */
	memset(g, 0, sizeof(g));
	memset(h, 0, sizeof(h));
	memset(&whole, 0, sizeof(whole));
	for (i = 0; i < N; i++)
	{
		si_did_group_add(&g[grp[i]], pre[i], post[i], w[i]);
		si_did_group_add(i < N / 3 ? &h[0] : &h[1], pre[i], post[i], w[i]);
		si_did_group_add(&whole, pre[i], post[i], w[i]);
	}
	for (j = 0; j < 2; j++)
	{
		double		W = 0,
					S = 0,
					m,
					M2 = 0,
					Q0 = 0,
					Q1 = 0,
					Q2 = 0;
		long		n = 0;

		for (i = 0; i < N; i++)
			if (grp[i] == j)
			{
				W += w[i];
				S += w[i] * (post[i] - pre[i]);
				n++;
			}
		m = S / W;
		for (i = 0; i < N; i++)
			if (grp[i] == j)
			{
				double		e = post[i] - pre[i] - m;

				M2 += w[i] * e * e;
				Q0 += w[i] * w[i];
				Q1 += w[i] * w[i] * e;
				Q2 += w[i] * w[i] * e * e;
			}
		CHECK(g[j].n == n, "group %d count", j);
		CHECK_NEAR(g[j].mean, m, 1e-13, "group %d weighted mean of the change", j);
		CHECK_NEAR(g[j].M2 / M2, 1.0, 1e-12, "group %d sum w e^2", j);
		CHECK_NEAR(g[j].Q0 / Q0, 1.0, 1e-13, "group %d sum w^2", j);
		CHECK_NEAR(g[j].Q1, Q1, 1e-11, "group %d sum w^2 e (centred)", j);
		CHECK_NEAR(g[j].Q2 / Q2, 1.0, 1e-12, "group %d sum w^2 e^2", j);
	}
	si_did_group_merge(&h[0], &h[1]);
	CHECK_NEAR(h[0].mean, whole.mean, 1e-13, "merged mean = single pass");
	CHECK_NEAR(h[0].M2 / whole.M2, 1.0, 1e-12, "merged M2 = single pass");
	CHECK_NEAR(h[0].Q2 / whole.Q2, 1.0, 1e-12, "merged Q2 = single pass");
	CHECK_NEAR(h[0].Q1, whole.Q1, 1e-10, "merged Q1 = single pass");
	CHECK_NEAR(h[0].mean_pre, whole.mean_pre, 1e-12, "merged pre mean");
	CHECK(h[0].n == whole.n, "merged count");

	/* 2x2 variances from their definitions (unit weights) */
	{
		si_did_group u[2];
		double		var,
					df,
					v0,
					v1,
					n0,
					n1;

		memset(u, 0, sizeof(u));
		for (i = 0; i < N; i++)
			si_did_group_add(&u[grp[i]], pre[i], post[i], 1.0);
		n0 = u[0].n;
		n1 = u[1].n;
		v0 = u[0].M2 / (n0 - 1);
		v1 = u[1].M2 / (n1 - 1);
		CHECK(si_did2x2_variance(u, false, SI_VAR_WELCH, NULL, NULL, 0, &var, &df) == 0 &&
			  fabs(var - (v0 / n0 + v1 / n1)) < 1e-15, "welch = s0^2/n0 + s1^2/n1");
		CHECK_NEAR(df, (v0 / n0 + v1 / n1) * (v0 / n0 + v1 / n1) /
				   ((v0 / n0) * (v0 / n0) / (n0 - 1) + (v1 / n1) * (v1 / n1) / (n1 - 1)), 1e-9,
				   "Welch-Satterthwaite df");
		si_did2x2_variance(u, false, SI_VAR_HC2, NULL, NULL, 0, &var, &df);
		CHECK_NEAR(var, v0 / n0 + v1 / n1, 1e-15, "HC2 = Welch with a binary regressor");
		si_did2x2_variance(u, false, SI_VAR_HC3, NULL, NULL, 0, &var, &df);
		CHECK_NEAR(var, v0 / (n0 - 1) + v1 / (n1 - 1), 1e-15, "HC3 = s^2/(n-1) per group");
		si_did2x2_variance(u, false, SI_VAR_CLASSICAL, NULL, NULL, 0, &var, &df);
		CHECK_NEAR(var, (u[0].M2 + u[1].M2) / (n0 + n1 - 2) * (1 / n0 + 1 / n1), 1e-15, "pooled");
		CHECK(df == n0 + n1 - 2, "pooled df = N - 2");
		CHECK(si_did2x2_variance(u, true, SI_VAR_HC3, NULL, NULL, 0, &var, &df) == 2,
			  "weighted HC3 refused");
		CHECK(si_did2x2_variance(u, false, SI_VAR_CR1, NULL, NULL, 0, &var, &df) == 4,
			  "CR1 without clusters refused");
	}

	/* regression: X'WX, exact HC meat from the moment sums */
	{
		int			k = 4;
		double		xtx[10] = {0},
					xty[4] = {0},
					yty = 0,
					myy[10] = {0},
					my3[20] = {0},
					m4[35] = {0};
		double		l[16],
					beta[4],
					meat[16],
					direct[16] = {0};
		int			bad;

		CHECK(si_sym2_len(4) == 10 && si_sym3_len(4) == 20 && si_sym4_len(4) == 35, "packed sizes");
		for (i = 0; i < N; i++)
		{
			double		x[4] = {1, grp[i], z1[i], z2[i]};

			si_ols_accum(k, x, post[i] - pre[i], w[i], xtx, xty, &yty, myy, my3, m4);
		}
		bad = si_cholesky_packed(k, xtx, l, 1e-10);
		CHECK(bad == -1, "X'WX positive definite");
		memcpy(beta, xty, sizeof(beta));
		si_chol_solve(k, l, beta);
		/* normal equations hold */
		for (a = 0; a < k; a++)
		{
			double		r = xty[a];

			for (b = 0; b < k; b++)
				r -= xtx[si_sym2_pos(k, a, b)] * beta[b];
			CHECK(fabs(r) < 1e-9 * fabs(xty[a]) + 1e-9, "normal equation %d", a);
		}
		si_ols_hc_meat(k, beta, myy, my3, m4, meat);
		for (i = 0; i < N; i++)
		{
			double		x[4] = {1, grp[i], z1[i], z2[i]};
			double		e = post[i] - pre[i];

			for (a = 0; a < k; a++)
				e -= x[a] * beta[a];
			for (a = 0; a < k; a++)
				for (b = 0; b < k; b++)
					direct[a * k + b] += w[i] * w[i] * e * e * x[a] * x[b];
		}
		for (a = 0; a < k; a++)
			for (b = a; b < k; b++)
				CHECK_NEAR(meat[a * k + b] / direct[a * k + b], 1.0, 1e-8,
						   "HC meat [%d,%d] from one-pass sums = per-row sum", a, b);

		/*
		 * variances of the treated coefficient: u = (X'WX)^-1 e_1 against
		 * the per-row residuals (classical: sum w e^2 / (N - k) u_1; HC0:
		 * u' (sum w^2 e^2 x x') u; HC1 = HC0 N / (N - k)) and, with 7
		 * clusters, CR0 = sum_c (u' sum_{i in c} w x e)^2 against the
		 * cluster sums of si_ols_cluster_accum
		 */
		{
			double		u[4] = {0, 1, 0, 0},
						ssr = 0,
						hc0 = 0,
						cr0 = 0,
						score[7][4] = {{0}},
						reg[7][4 + 10] = {{0}},
						sumreg[4 + 10] = {0},
						cr0_sums = 0;
			int			c;

			si_chol_solve(k, l, u);
			for (i = 0; i < N; i++)
			{
				double		x[4] = {1, grp[i], z1[i], z2[i]};
				double		e = post[i] - pre[i];

				for (a = 0; a < k; a++)
					e -= x[a] * beta[a];
				ssr += w[i] * e * e;
				for (a = 0; a < k; a++)
					score[i % 7][a] += w[i] * x[a] * e;
				si_ols_cluster_accum(k, x, post[i] - pre[i], w[i], reg[i % 7]);
			}
			for (a = 0; a < k; a++)
				for (b = 0; b < k; b++)
					hc0 += u[a] * direct[a * k + b] * u[b];
			CHECK_NEAR(si_ols_classical_variance(k, N, yty, xty, beta, u) / (ssr / (N - k) * u[1]),
					   1.0, 1e-8, "classical variance from the sums = per-row residuals");
			CHECK_NEAR(si_ols_hc_variance(k, N, false, beta, u, myy, my3, m4) / hc0, 1.0, 1e-8,
					   "HC0 variance from the sums = per-row sandwich");
			CHECK_NEAR(si_ols_hc_variance(k, N, true, beta, u, myy, my3, m4) / (hc0 * N / (N - k)),
					   1.0, 1e-8, "HC1 = HC0 N / (N - k)");
			for (c = 0; c < 7; c++)
			{
				double		t = 0;

				for (a = 0; a < k; a++)
					t += u[a] * score[c][a];
				cr0 += t * t;
				t = si_ols_cluster_score(k, reg[c], beta, u);
				cr0_sums += t * t;
				for (a = 0; a < k + 10; a++)
					sumreg[a] += reg[c][a];
			}
			CHECK_NEAR(cr0_sums / cr0, 1.0, 1e-8, "CR0 from cluster sums = per-row cluster scores");
			for (a = 0; a < k; a++)
				CHECK_NEAR(sumreg[a] / xty[a], 1.0, 1e-12, "cluster sums of w x y add up to X'Wy [%d]", a);
			for (a = 0; a < 10; a++)
				CHECK_NEAR(sumreg[k + a] / xtx[a], 1.0, 1e-12, "cluster sums of w x x' add up to X'WX [%d]", a);
		}

		/* a covariate equal to 2 z1 + 1 is collinear: column 4 (0-based 4) */
		{
			int			k5 = 5;
			double		xtx5[15] = {0},
						xty5[5] = {0},
						yty5 = 0,
						myy5[15] = {0},
						my35[35] = {0},
						m45[70] = {0},
						l5[25];

			for (i = 0; i < N; i++)
			{
				double		x[5] = {1, grp[i], z1[i], z2[i], 2 * z1[i] + 1};

				si_ols_accum(k5, x, post[i] - pre[i], 1, xtx5, xty5, &yty5, myy5, my35, m45);
			}
			CHECK(si_cholesky_packed(k5, xtx5, l5, 1e-10) == 4, "collinear column detected at its position");
		}
	}

	{
		si_did_vtype v;

		CHECK(si_did_vtype_parse("Pooled", &v) && v == SI_VAR_CLASSICAL, "pooled = classical");
		CHECK(si_did_vtype_parse("cr1", &v) && v == SI_VAR_CR1, "names are case-insensitive");
		CHECK(!si_did_vtype_parse("HC4", &v), "unknown name refused");
	}
	/*
	 * CR1 small-sample factors on Card & Krueger's balanced panel (G = 384
	 * stores = persons, k = 2): CR0 1.3342371035 times the square root of
	 * the factor gives the R lm + sandwich numbers of
	 * test/data/card_krueger_reference.md: stacked panel HC1-type
	 * (N = 768, K = 4) 1.3385982151, G/(G-1) only 1.3359777919; the
	 * person-level change regression (N = 384, K = 2) 384/382.
	 */
	{
		si_did_small_sample s;
		double		cr0 = 1.3342371035;

		CHECK_NEAR(cr0 * sqrt(si_did_cr1_factor(SI_SS_STATA, 384, 384, 2)), 1.3385982151, 1e-9,
				   "CR1 stata: G/(G-1) (2n-1)/(2n-2k) reproduces Stata/sandwich on the stacked panel");
		CHECK_NEAR(cr0 * sqrt(si_did_cr1_factor(SI_SS_G_ONLY, 384, 384, 2)), 1.3359777919, 1e-9,
				   "CR1 g_only: G/(G-1)");
		CHECK_NEAR(si_did_cr1_factor(SI_SS_PERSON, 384, 384, 2), 384.0 / 382.0, 1e-15,
				   "CR1 person: G/(G-1) (n-1)/(n-k)");
		CHECK_NEAR(si_did_cr1_factor(SI_SS_STATA, 10, 50, 4), 10.0 / 9.0 * 99.0 / 92.0, 1e-15,
				   "CR1 stata with covariates: K = 2k");
		CHECK(isnan(si_did_cr1_factor(SI_SS_PERSON, 5, 2, 2)), "person factor undefined when n <= k");
		CHECK(isnan(si_did_cr1_factor(SI_SS_STATA, 5, 2, 2)), "stata factor undefined when n <= k");
		CHECK(isnan(si_did_cr1_factor(SI_SS_G_ONLY, 1, 10, 2)), "undefined with one cluster");
		CHECK(si_did_small_sample_parse("Stata", &s) && s == SI_SS_STATA, "small_sample names are case-insensitive");
		CHECK(si_did_small_sample_parse("g_only", &s) && s == SI_SS_G_ONLY, "g_only parses");
		CHECK(!si_did_small_sample_parse("hc1", &s), "unknown small_sample name refused");
	}
	/*
	 * read-out of the worked example M7 (docs/methods.md): estimate 0.25,
	 * SE sqrt(0.0078125), 2 df. t = 2 sqrt 2; with 2 df the t cdf is
	 * 1/2 + t / (2 sqrt(2 + t^2)), so p = 1 - sqrt(0.8); qt(0.975, 2) =
	 * 4.302652729749464; normal: p = erfc(t / sqrt 2) = 0.004677734981047271,
	 * qnorm(0.975) = 1.959963984540054.
	 */
	{
		double		se = sqrt(0.0078125),
					stat,
					p,
					lo,
					hi;

		si_did_inference(0.25, se, 2.0, 0.95, false, &stat, &p, &lo, &hi);
		CHECK_NEAR(stat, 2.0 * sqrt(2.0), 1e-14, "M7: t statistic");
		CHECK_NEAR(p, 1.0 - sqrt(0.8), 1e-12, "M7: two-sided p on 2 df");
		CHECK_NEAR(lo, 0.25 - 4.302652729749464 * se, 1e-12, "M7: lower bound, t reference");
		CHECK_NEAR(hi, 0.25 + 4.302652729749464 * se, 1e-12, "M7: upper bound, t reference");
		si_did_inference(0.25, se, 2.0, 0.95, true, &stat, &p, &lo, &hi);
		CHECK_NEAR(p, 0.004677734981047271, 1e-14, "M7: two-sided p, normal reference");
		CHECK_NEAR(lo, 0.25 - 1.959963984540054 * se, 1e-13, "M7: lower bound, normal reference");
		si_did_inference(0.0, 0.0, 10.0, 0.95, false, &stat, &p, &lo, &hi);
		CHECK(isnan(stat) && isnan(p) && lo == 0.0 && hi == 0.0,
			  "SE 0 (a base period): no statistic or p-value, the interval is the estimate");
	}
	/*
	 * a cluster cell and a group take the same weighted-mean step: over the
	 * same rows their means agree to the bit, and a cell merged from two
	 * halves equals the single pass
	 */
	{
		si_did_group gm;
		si_did_cell c1,
					c2,
					call;

		memset(&gm, 0, sizeof(gm));
		memset(&c1, 0, sizeof(c1));
		memset(&c2, 0, sizeof(c2));
		memset(&call, 0, sizeof(call));
		for (i = 0; i < N; i++)
		{
			si_did_group_add(&gm, pre[i], post[i], w[i]);
			si_did_cell_add(&call, post[i] - pre[i], w[i]);
			si_did_cell_add(i < N / 3 ? &c1 : &c2, post[i] - pre[i], w[i]);
		}
		CHECK(gm.mean == call.mean && gm.W == call.W && gm.n == call.n,
			  "cell and group means of the same rows are the same double");
		si_did_cell_merge(&c1, &c2);
		CHECK(c1.n == call.n, "merged cell count");
		CHECK_NEAR(c1.mean, call.mean, 1e-13, "merged cell mean = single pass");
		CHECK_NEAR(c1.W / call.W, 1.0, 1e-14, "merged cell weight = single pass");
	}
	/*
	 * weights at the ends of the allowed range: M2 and Q2 (sums of
	 * squares) must not round below 0, or the state would not read back
	 */
	{
		si_did_group e;
		si_did_group e2;

		memset(&e, 0, sizeof(e));
		si_did_group_add(&e, 1e5, 2e5, 1e-150);
		si_did_group_add(&e, 2e-300, 3e-300, 1e150);
		CHECK(e.M2 >= 0.0 && e.Q2 >= 0.0, "extreme weight ratio: M2 and Q2 stay >= 0");
		memset(&e2, 0, sizeof(e2));
		si_did_group_add(&e2, 2e-300, 3e-300, 1e150);
		si_did_group_merge(&e2, &e);
		CHECK(e2.M2 >= 0.0 && e2.Q2 >= 0.0, "extreme weight ratio, merged: M2 and Q2 stay >= 0");
	}
	return unit_done();
}
