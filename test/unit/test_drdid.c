/*
 * Unit tests for src/math/drdid.c (the DRDID panel estimators). The SQL
 * suite checks them against R DRDID on did_cases k2/k4; here: closed forms
 * and identities that hold whatever the data.
 *  - With the intercept only, reg, ipw and dr all equal the difference of
 *    the mean outcome changes, and the influence function is
 *    D (dy - m1) / p1 - (1 - D)(dy - m0) / p0.
 *  - With covariates, each influence function sums to zero (OLS normal
 *    equations, logit score equations, Hajek normalisation).
 *  - reg with one binary covariate equals the cell-by-cell comparison.
 */
#include "drdid.h"
#include "unit.h"

#include <stdlib.h>

#define N 40

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
				x2[N * 3],
				dy[N],
				d[N],
				w[N],
				one[N];
	double	   *work = malloc(sizeof(double) * drdid_work_size(N, 3));
	DrdidFit	f;
	unsigned	s = 7;
	int			i,
				m,
				bad,
				ret;
	double		m1 = 0,
				m0 = 0,
				n1 = 0,
				n0 = 0;

	for (i = 0; i < N; i++)
	{
		double		xc = u01(&s) * 2 - 1;

		d[i] = (i % 3 == 0) || (xc > 0.6);
		dy[i] = 0.5 + 0.8 * xc + 1.5 * d[i] + (u01(&s) - 0.5);
		x1[i] = 1.0;
		x2[i * 3] = 1.0;
		x2[i * 3 + 1] = xc;
		x2[i * 3 + 2] = (i % 5 < 2);
		w[i] = 1.0;
		one[i] = 1.0;
		if (d[i])
		{
			m1 += dy[i];
			n1++;
		}
		else
		{
			m0 += dy[i];
			n0++;
		}
	}
	m1 /= n1;
	m0 /= n0;

	for (m = 0; m < 3; m++)
	{
		double		maxdiff = 0;

		ret = drdid_panel_fit(m, N, 1, x1, dy, d, w, &f, work, &bad);
		CHECK(ret == 0, "intercept-only fit succeeds (method %d)", m);
		CHECK_NEAR(f.att, m1 - m0, 1e-12, "intercept only: att = difference of mean changes (method %d)", m);
		for (i = 0; i < N; i++)
		{
			double		want = d[i] ? (dy[i] - m1) / (n1 / N) : -(dy[i] - m0) / (n0 / N);
			double		got = drdid_panel_if(&f, x1 + i, dy[i], (int) d[i], w[i]);

			if (fabs(got - want) > maxdiff)
				maxdiff = fabs(got - want);
		}
		CHECK(maxdiff < 1e-10, "intercept only: influence function has the closed form (method %d, max diff %g)", m, maxdiff);
	}

	for (m = 0; m < 3; m++)
	{
		double		sum = 0,
					sumabs = 0;

		for (i = 0; i < N; i++)
			w[i] = 0.5 + u01(&s);
		ret = drdid_panel_fit(m, N, 3, x2, dy, d, w, &f, work, &bad);
		CHECK(ret == 0, "fit with two covariates and weights succeeds (method %d)", m);
		CHECK(f.att > 0.5 && f.att < 2.5, "att near the planted 1.5 (method %d: %g)", m, f.att);
		for (i = 0; i < N; i++)
		{
			double		v = drdid_panel_if(&f, x2 + i * 3, dy[i], (int) d[i], w[i]);

			sum += v;
			sumabs += fabs(v);
		}
		CHECK(fabs(sum) < 1e-6 * sumabs, "influence function sums to zero (method %d: %g of %g)", m, sum, sumabs);
	}

	/* reg with one binary covariate: att = mean over treated of (dy - m0(x)) */
	{
		double		xb[N * 2],
					c0[2] = {0},
					k0[2] = {0},
					want = 0;

		for (i = 0; i < N; i++)
		{
			xb[i * 2] = 1.0;
			xb[i * 2 + 1] = (i % 5 < 2);
			if (!d[i])
			{
				c0[i % 5 < 2] += dy[i];
				k0[i % 5 < 2] += 1;
			}
		}
		for (i = 0; i < N; i++)
			if (d[i])
				want += dy[i] - c0[i % 5 < 2] / k0[i % 5 < 2];
		want /= n1;
		ret = drdid_panel_fit(DRDID_REG, N, 2, xb, dy, d, one, &f, work, &bad);
		CHECK(ret == 0, "reg with a binary covariate succeeds");
		CHECK_NEAR(f.att, want, 1e-12, "reg with a binary covariate = cell-by-cell comparison");
	}

	/* collinear covariate is reported with its column */
	for (i = 0; i < N; i++)
		x2[i * 3 + 2] = 2.0 * x2[i * 3 + 1];
	ret = drdid_panel_fit(DRDID_DR, N, 3, x2, dy, d, one, &f, work, &bad);
	CHECK(ret == 1 && bad == 2, "collinear covariate: outcome regression rank error names column 2 (ret %d, col %d)", ret, bad);
	ret = drdid_panel_fit(DRDID_IPW, N, 3, x2, dy, d, one, &f, work, &bad);
	CHECK(ret == 2 && bad == 2, "collinear covariate: propensity score rank error names column 2 (ret %d, col %d)", ret, bad);
	/* no controls */
	for (i = 0; i < N; i++)
		d[i] = 1;
	ret = drdid_panel_fit(DRDID_REG, N, 1, x1, dy, d, one, &f, work, &bad);
	CHECK(ret == 4, "no control units reported");
	free(work);
	return unit_done();
}
