/*
 * Unit tests for src/math/drdid_rc.c (repeated-cross-section DiD with
 * covariates). No R reference exists here, so the checks are exact
 * identities and an independent numerical derivative:
 *  - intercept only: reg, ipw and dr equal the 2x2 DiD of the four cell
 *    means, and the row influence function has the closed form
 *    sum over cells +-1{cell} (y - ybar_cell) / share_cell;
 *  - reg with one binary covariate equals the cell-by-cell imputation
 *    (treated change minus the mean over treated rows of
 *    m_post(x) - m_pre(x), m = control cell means);
 *  - with covariates and weights the influence function sums to zero and
 *    equals n w_i d att / d w_i, computed by central differences on the
 *    prior weights (the estimator is a system of weighted estimating
 *    equations, so its influence function is exactly that derivative);
 *  - rank deficiency names the regression and column; empty cells fail.
 */
#include "drdid.h"
#include "unit.h"

#include <stdlib.h>

#define N 80
#define K 3

static double
u01(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return ((*s >> 8) & 0xFFFF) / 65536.0;
}

int
main(void)
{
	double		x1[N],
				x[N * K],
				y[N],
				post[N],
				d[N],
				w[N],
				one[N];
	double	   *work = malloc(sizeof(double) * drdid_rc_work_size(N, K));
	DrdidRcFit	f;
	unsigned	s = 11;
	int			i,
				m,
				bad,
				ret,
				c;
	double		ybar[4] = {0},
				cnt[4] = {0};

	for (i = 0; i < N; i++)
	{
		double		xc = u01(&s) * 2 - 1;

		post[i] = (i % 2);
		d[i] = (i % 3 == 0) || (xc > 0.5);
		y[i] = 0.5 + 0.8 * xc + 0.3 * post[i] + 0.4 * d[i] + 1.5 * d[i] * post[i] + (u01(&s) - 0.5);
		x1[i] = 1.0;
		x[i * K] = 1.0;
		x[i * K + 1] = xc;
		x[i * K + 2] = (i % 5 < 2);
		w[i] = 1.0;
		one[i] = 1.0;
		c = 2 * (int) d[i] + (int) post[i];
		ybar[c] += y[i];
		cnt[c] += 1;
	}
	for (c = 0; c < 4; c++)
		ybar[c] /= cnt[c];

	for (m = 0; m < 3; m++)
	{
		double		maxdiff = 0,
					want = (ybar[3] - ybar[2]) - (ybar[1] - ybar[0]);

		ret = drdid_rc_fit(m, N, 1, x1, y, post, d, w, &f, work, &bad);
		CHECK(ret == 0, "rc intercept-only fit succeeds (method %d)", m);
		CHECK_NEAR(f.att, want, 1e-12, "rc intercept only: att = DiD of the four cell means (method %d)", m);
		for (i = 0; i < N; i++)
		{
			int			cc = 2 * (int) d[i] + (int) post[i];
			double		sg = (cc == 3 || cc == 0) ? 1.0 : -1.0;
			double		wantif = sg * (y[i] - ybar[cc]) / (cnt[cc] / N);
			double		got = drdid_rc_if(&f, x1 + i, y[i], (int) post[i], (int) d[i], w[i]);

			if (fabs(got - wantif) > maxdiff)
				maxdiff = fabs(got - wantif);
		}
		CHECK(maxdiff < 1e-10, "rc intercept only: influence function has the closed form (method %d, max diff %g)", m, maxdiff);
	}

	/* reg with one binary covariate: imputation from control cell means */
	{
		double		xb[N * 2],
					cm[2][2] = {{0}},
					ck[2][2] = {{0}},
					imp = 0,
					nt = 0,
					want;

		for (i = 0; i < N; i++)
		{
			int			b = (i % 5 < 2);

			xb[i * 2] = 1.0;
			xb[i * 2 + 1] = b;
			if (!d[i])
			{
				cm[(int) post[i]][b] += y[i];
				ck[(int) post[i]][b] += 1;
			}
		}
		for (i = 0; i < N; i++)
		{
			int			b = (i % 5 < 2);

			if (d[i])
			{
				imp += cm[1][b] / ck[1][b] - cm[0][b] / ck[0][b];
				nt += 1;
			}
		}
		want = (ybar[3] - ybar[2]) - imp / nt;
		ret = drdid_rc_fit(DRDID_REG, N, 2, xb, y, post, d, one, &f, work, &bad);
		CHECK(ret == 0, "rc reg with a binary covariate succeeds");
		CHECK_NEAR(f.att, want, 1e-12, "rc reg with a binary covariate = imputation from control cell means");
	}

	/* covariates and weights: IF sums to zero and is the weight derivative */
	for (i = 0; i < N; i++)
		w[i] = 0.5 + u01(&s);
	for (m = 0; m < 3; m++)
	{
		double		sum = 0,
					sumabs = 0,
					maxrel = 0,
					att0;
		DrdidRcFit	fp,
					fm;

		double		maxdrdid = 0;

		ret = drdid_rc_fit(m, N, K, x, y, post, d, w, &f, work, &bad);
		CHECK(ret == 0, "rc fit with two covariates and weights succeeds (method %d)", m);
		f.exact = 1;
		CHECK(f.att > 0.8 && f.att < 2.2, "rc att near the planted 1.5 (method %d: %g)", m, f.att);
		att0 = f.att;
		for (i = 0; i < N; i++)
		{
			double		v = drdid_rc_if(&f, x + i * K, y[i], (int) post[i], (int) d[i], w[i]);
			double		vd,
						h = 1e-5,
						wi = w[i],
						num;

			f.exact = 0;
			vd = drdid_rc_if(&f, x + i * K, y[i], (int) post[i], (int) d[i], w[i]);
			f.exact = 1;
			/* DRDID's convention differs from the derivative on control pre rows only */
			if ((d[i] || post[i]) && fabs(vd - v) > maxdrdid)
				maxdrdid = fabs(vd - v);
			sum += vd;
			sumabs += fabs(vd);
			w[i] = wi * (1 + h);
			drdid_rc_fit(m, N, K, x, y, post, d, w, &fp, work, &bad);
			w[i] = wi * (1 - h);
			drdid_rc_fit(m, N, K, x, y, post, d, w, &fm, work, &bad);
			w[i] = wi;
			/* n w_i d att / d w_i */
			num = N * (fp.att - fm.att) / (2 * h);
			if (fabs(num - v) / (1.0 + fabs(v)) > maxrel)
				maxrel = fabs(num - v) / (1.0 + fabs(v));
		}
		CHECK(fabs(sum) < 1e-9 * sumabs, "rc influence function sums to zero (method %d: %g of %g)", m, sum, sumabs);
		CHECK(maxrel < 1e-6, "rc influence function = n w_i d att/d w_i by central differences (method %d, max rel diff %g)", m, maxrel);
		(void) att0;
		CHECK(maxdrdid == 0.0, "rc: DRDID's influence function equals the derivative except on control pre-period rows (method %d)", m);
	}

	/*
	 * strong selection on a covariate: control rows with a propensity score
	 * >= 0.995 are trimmed; the influence function is still the derivative
	 */
	{
		enum
		{
		NT = 400
		};
		static double xt[NT * 2],
					yt[NT],
					pt[NT],
					dt[NT],
					wt[NT];
		double	   *wk = malloc(sizeof(double) * drdid_rc_work_size(NT, 2));
		int			mm;

		for (i = 0; i < NT; i++)
		{
			double		xc = u01(&s) * 8 - 4;

			xt[i * 2] = 1.0;
			xt[i * 2 + 1] = xc;
			pt[i] = i % 2;
			dt[i] = u01(&s) < 1.0 / (1.0 + exp(-3.0 * xc));
			if (i % 100 == 0)
			{
				/* a few controls deep in the treated region */
				xc = 4.0;
				xt[i * 2 + 1] = xc;
				dt[i] = 0;
			}
			yt[i] = 0.5 * xc + 0.2 * pt[i] + 1.0 * dt[i] * pt[i] + (u01(&s) - 0.5);
			wt[i] = 0.5 + u01(&s);
		}
		for (mm = DRDID_IPW; mm <= DRDID_DR; mm++)
		{
			int			ntrim = 0;
			double		maxrel = 0,
						sum = 0,
						sumabs = 0;
			DrdidRcFit	fp,
						fm;

			ret = drdid_rc_fit(mm, NT, 2, xt, yt, pt, dt, wt, &f, wk, &bad);
			CHECK(ret == 0, "rc fit with strong selection succeeds (method %d)", mm);
			f.exact = 1;
			for (i = 0; i < NT; i++)
			{
				double		eta = f.gamma[0] + f.gamma[1] * xt[i * 2 + 1];
				double		ps = 1.0 / (1.0 + exp(-eta));
				double		v = drdid_rc_if(&f, xt + i * 2, yt[i], (int) pt[i], (int) dt[i], wt[i]);
				double		h = 1e-5,
							wi = wt[i],
							num;

				if (!dt[i] && ps >= 0.995)
					ntrim++;
				sum += v;
				sumabs += fabs(v);
				wt[i] = wi * (1 + h);
				drdid_rc_fit(mm, NT, 2, xt, yt, pt, dt, wt, &fp, wk, &bad);
				wt[i] = wi * (1 - h);
				drdid_rc_fit(mm, NT, 2, xt, yt, pt, dt, wt, &fm, wk, &bad);
				wt[i] = wi;
				num = NT * (fp.att - fm.att) / (2 * h);
				if (fabs(num - v) / (1.0 + fabs(v)) > maxrel)
					maxrel = fabs(num - v) / (1.0 + fabs(v));
			}
			CHECK(ntrim > 0, "rc: some control rows are trimmed (method %d: %d)", mm, ntrim);
			CHECK(fabs(sum) < 1e-9 * sumabs, "rc trimmed: influence function sums to zero (method %d)", mm);
			CHECK(maxrel < 1e-5, "rc trimmed: influence function = derivative (method %d, max rel diff %g)", mm, maxrel);
		}
		free(wk);
	}

	/* a covariate collinear among the treated pre-period rows only (dr) */
	{
		double		xc[N * K];

		for (i = 0; i < N * K; i++)
			xc[i] = x[i];
		for (i = 0; i < N; i++)
			if (d[i] && !post[i])
				xc[i * K + 2] = 2.0 * xc[i * K + 1];
		ret = drdid_rc_fit(DRDID_DR, N, K, xc, y, post, d, one, &f, work, &bad);
		CHECK(ret == 1 && bad == 2 && f.bad_reg == 2,
			  "rc dr: collinear covariate in the treated pre-period regression named (ret %d, col %d, reg %d)",
			  ret, bad, f.bad_reg);
		ret = drdid_rc_fit(DRDID_REG, N, K, xc, y, post, d, one, &f, work, &bad);
		CHECK(ret == 0, "rc reg does not fit treated regressions, so the same data succeed");
	}

	/* no treated rows in the pre period */
	{
		double		d2[N];

		for (i = 0; i < N; i++)
			d2[i] = d[i] && post[i];
		ret = drdid_rc_fit(DRDID_IPW, N, K, x, y, post, d2, one, &f, work, &bad);
		CHECK(ret == 4 && f.bad_reg == 2, "rc: empty treated pre-period cell is reported (ret %d, reg %d)", ret, f.bad_reg);
	}

	free(work);
	return unit_failed ? 1 : 0;
}
