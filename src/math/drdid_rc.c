/*
 * drdid_rc.c — repeated-cross-section 2x2 DiD estimators with covariates
 * and their influence functions (Sant'Anna & Zhao 2020, section 3.2 and
 * the locally efficient DR estimator of their eq. 3.4), written after
 * the formulas DRDID documents for reg_did_rc, std_ipw_did_rc and
 * drdid_rc: outcome regressions by weighted OLS separately by group and
 * period, the propensity score by a logit on all rows of the cell,
 * Hajek-normalised weights (so lambda, the share of post-period rows, and
 * the treated share enter through the means of the weights), propensity
 * scores capped at 1 - 1e-6 and control rows with a score >= 0.995
 * trimmed (given weight 0 in the propensity-weighted terms), as the panel
 * estimators of drdid.c and DRDID's current std_ipw_did_rc / drdid_rc.
 * See drdid.h.
 *
 * No postgres.h here; the least squares and the propensity-score fit come
 * from drdid.c. See docs/methods.md, *Group-time average treatment
 * effects*, "Covariates (unbalanced panels)".
 */
#include "drdid.h"
#include "linalg.h"

#include <float.h>
#include <math.h>
#include <string.h>


long
drdid_rc_work_size(int n, int k)
{
	return 8L * k * k + 8L * k + 6L * n;
}

static double
rc_ps(const DrdidRcFit *f, const double *xrow)
{
	return drdid_ps_capped(f->gamma, xrow, f->k);
}

/* regression index of a row: 2 * d + post */
#define REG_OF(d, post) (2 * (d) + (post))

/* control weight w ps / (1 - ps) (0 for treated rows and trimmed controls) */
static double
rc_wc(const DrdidRcFit *f, const double *xrow, int d, double wn, double *ps_out)
{
	double		ps = rc_ps(f, xrow);

	*ps_out = ps;
	if (d || !(ps < DRDID_TRIM_LEVEL))
		return 0.0;
	return wn * ps / (1.0 - ps);
}

int
drdid_rc_fit(int method, int n, int k, const double *x,
			 const double *y, const double *post, const double *d,
			 const double *w, DrdidRcFit *fit, double *work, int *bad_col)
{
	double	   *xpxinv = work;	/* 4 * k*k: n (X_r'W X_r)^-1 */
	double	   *tmp = xpxinv + 4 * k * k;	/* k*k */
	double	   *hess = tmp + k * k;	/* k*k */
	double	   *vec = hess + k * k;	/* k */
	double	   *cf = vec + k;	/* 4 * k: loadings */
	double	   *m2 = cf + 4 * k;	/* 2 * k */
	double	   *wn = m2 + 2 * k;	/* n */
	double	   *irls = wn + n;	/* k*k + 2k + 2n */
	double		cnt[4] = {0},
				wsum = 0.0;
	int			i,
				j,
				r,
				q,
				ret;

	memset(fit, 0, sizeof(*fit));
	fit->method = method;
	fit->k = k;
	fit->bad_reg = -1;
	*bad_col = -1;
	for (i = 0; i < n; i++)
	{
		wsum += w[i];
		cnt[REG_OF(d[i] != 0.0, post[i] != 0.0)] += 1;
	}
	for (r = 0; r < 4; r++)
		if (cnt[r] == 0)
		{
			fit->bad_reg = r;
			return 4;
		}
	fit->wmean = wsum / n;
	for (i = 0; i < n; i++)
		wn[i] = w[i] / fit->wmean;

	/* outcome regressions: controls pre/post (reg, dr), treated pre/post (dr) */
	for (r = 0; r < 4; r++)
	{
		double	   *inv = xpxinv + r * k * k;

		if (method == DRDID_IPW || (method == DRDID_REG && r >= 2))
			continue;
		ret = drdid_wls(x, n, k, y, wn, d, post, r, tmp, inv, hess, vec, fit->beta[r]);
		if (ret >= 0)
		{
			*bad_col = ret;
			fit->bad_reg = r;
			return 1;
		}
	}

	/* propensity score on all rows of the cell (ipw, dr) */
	if (method != DRDID_REG)
	{
		ret = drdid_ps_fit(x, n, k, d, wn, fit->gamma, &fit->ps_iterations, irls, tmp, hess, bad_col);
		if (ret != 0)
			return ret;
	}

	memset(cf, 0, sizeof(double) * 4 * k);
	if (method == DRDID_REG)
	{
		double		st[2] = {0},
					swt[2] = {0},
					sreg = 0.0,
					swd = 0.0;

		for (i = 0; i < n; i++)
		{
			const double *xi = x + (long) i * k;
			int			p = post[i] != 0.0;

			if (d[i] == 0.0)
				continue;
			st[p] += wn[i] * y[i];
			swt[p] += wn[i];
			sreg += wn[i] * (linalg_dot(fit->beta[1], xi, k) - linalg_dot(fit->beta[0], xi, k));
			swd += wn[i];
			for (j = 0; j < k; j++)
				cf[j] += wn[i] * xi[j];
		}
		for (q = 0; q < 2; q++)
		{
			fit->e_t[q] = st[q] / swt[q];
			fit->m_t[q] = swt[q] / n;
		}
		fit->e_reg = sreg / swd;
		fit->m_reg = swd / n;
		/* M1 = colMeans(w.cont * X), loading +M1 on beta_post, -M1 on beta_pre */
		for (j = 0; j < k; j++)
			cf[j] /= n;
		linalg_matvec(xpxinv + k * k, cf, fit->a[1], k, k);
		for (j = 0; j < k; j++)
			vec[j] = -cf[j];
		linalg_matvec(xpxinv, vec, fit->a[0], k, k);
		/* the IF divides the control part by m_reg: fold it into a[] */
		for (j = 0; j < k; j++)
		{
			fit->a[0][j] /= fit->m_reg;
			fit->a[1][j] /= fit->m_reg;
		}
		fit->att = (fit->e_t[1] - fit->e_t[0]) - fit->e_reg;
		return 0;
	}
	else
	{
		/* ipw (no outcome model) and dr: residual res = y - m_{0,post}(x) */
		double		st[2] = {0},
					swt[2] = {0},
					sc[2] = {0},
					swc[2] = {0},
					sd[2] = {0},
					sdt[2] = {0},
					swd = 0.0;
		double		mt[2][DRDID_MAXK],
					mc[2][DRDID_MAXK],
					md[DRDID_MAXK];

		memset(mt, 0, sizeof(mt));
		memset(mc, 0, sizeof(mc));
		memset(md, 0, sizeof(md));
		for (i = 0; i < n; i++)
		{
			const double *xi = x + (long) i * k;
			int			p = post[i] != 0.0;
			int			di = d[i] != 0.0;
			double		ps,
						wc = rc_wc(fit, xi, di, wn[i], &ps),
						res = y[i] - (method == DRDID_DR ? linalg_dot(fit->beta[p], xi, k) : 0.0);

			if (di)
			{
				st[p] += wn[i] * res;
				swt[p] += wn[i];
				swd += wn[i];
				for (j = 0; j < k; j++)
				{
					mt[p][j] += wn[i] * xi[j];
					md[j] += wn[i] * xi[j];
				}
				if (method == DRDID_DR)
				{
					for (q = 0; q < 2; q++)
					{
						double		delta = linalg_dot(fit->beta[2 + q], xi, k) - linalg_dot(fit->beta[q], xi, k);

						sd[q] += wn[i] * delta;
						if (q == p)
							sdt[q] += wn[i] * delta;
					}
				}
			}
			else
			{
				sc[p] += wc * res;
				swc[p] += wc;
				for (j = 0; j < k; j++)
					mc[p][j] += wc * xi[j];
			}
		}
		for (q = 0; q < 2; q++)
		{
			if (!(swc[q] > 0))
				return 5;		/* every control row of a period trimmed */
			fit->e_t[q] = st[q] / swt[q];
			fit->m_t[q] = swt[q] / n;
			fit->e_c[q] = sc[q] / swc[q];
			fit->m_c[q] = swc[q] / n;
			fit->e_d[q] = sd[q] / swd;
			fit->e_dt[q] = sdt[q] / swt[q];
		}
		fit->m_d = swd / n;
		fit->att = (fit->e_t[1] - fit->e_t[0]) - (fit->e_c[1] - fit->e_c[0]);
		if (method == DRDID_DR)
			fit->att += (fit->e_d[1] - fit->e_dt[1]) - (fit->e_d[0] - fit->e_dt[0]);

		/* M2.q = colMeans(w.cont.q (res - e_c[q]) x) / m_c[q] */
		memset(m2, 0, sizeof(double) * 2 * k);
		for (i = 0; i < n; i++)
		{
			const double *xi = x + (long) i * k;
			int			p = post[i] != 0.0;
			double		ps,
						wc;
			double		res;

			if (d[i] != 0.0)
				continue;
			wc = rc_wc(fit, xi, 0, wn[i], &ps);
			if (wc == 0.0)
				continue;
			res = y[i] - (method == DRDID_DR ? linalg_dot(fit->beta[p], xi, k) : 0.0);
			for (j = 0; j < k; j++)
				m2[p * k + j] += wc * (res - fit->e_c[p]) * xi[j];
		}
		for (j = 0; j < k; j++)
			vec[j] = m2[k + j] / n / fit->m_c[1] - m2[j] / n / fit->m_c[0];
		linalg_matvec(hess, vec, fit->h, k, k);

		if (method == DRDID_DR)
		{
			/*
			 * Loadings of the four OLS linear representations, collected from
			 * inf.treat.or - inf.cont.or + inf.or of drdid_rc:
			 *   control post: M1.post - M3.post - mom.post
			 *   control pre:  M1.pre - M3.pre + mom.pre
			 *   treated post: mom.post;  treated pre: -mom.pre
			 * with M1.q = -colMeans(w.treat.q x)/m_t[q], M3.q =
			 * -colMeans(w.cont.q x)/m_c[q], mom.q = colMeans((w.d/m_d -
			 * w.dt.q/m_t[q]) x).
			 */
			for (q = 0; q < 2; q++)
			{
				double		sgn = q ? -1.0 : 1.0;	/* mom.post enters control post with -, pre with + */
				double		cctl[DRDID_MAXK],
							ctr[DRDID_MAXK];

				for (j = 0; j < k; j++)
				{
					double		M1 = -mt[q][j] / n / fit->m_t[q];
					double		M3 = -mc[q][j] / n / fit->m_c[q];
					double		mom = md[j] / n / fit->m_d - mt[q][j] / n / fit->m_t[q];

					cctl[j] = M1 - M3 + sgn * mom;
					ctr[j] = -sgn * mom;
				}
				linalg_matvec(xpxinv + q * k * k, cctl, fit->a[q], k, k);
				if (q == 0)
				{
					for (j = 0; j < k; j++)
					{
						double		M1 = -mt[0][j] / n / fit->m_t[0];
						double		M3 = -mc[0][j] / n / fit->m_c[0];
						double		mom = md[j] / n / fit->m_d - mt[0][j] / n / fit->m_t[0];

						cctl[j] = -M1 + M3 + mom;
					}
					linalg_matvec(xpxinv, cctl, fit->a0_exact, k, k);
				}
				linalg_matvec(xpxinv + (2 + q) * k * k, ctr, fit->a[2 + q], k, k);
			}
		}
	}
	return 0;
}

double
drdid_rc_if(const DrdidRcFit *f, const double *xi, double y, int post, int d, double w)
{
	int			k = f->k;
	double		wn = w / f->wmean;
	int			p = post ? 1 : 0;
	int			r = REG_OF(d ? 1 : 0, p);
	double		out;

	if (f->method == DRDID_REG)
	{
		double		inf_treat = 0.0,
					inf_cont = 0.0;

		if (d)
		{
			inf_treat = (p ? 1.0 : -1.0) * wn * (y - f->e_t[p]) / f->m_t[p];
			inf_cont = wn * (linalg_dot(f->beta[1], xi, k) - linalg_dot(f->beta[0], xi, k) - f->e_reg) / f->m_reg;
		}
		else
			inf_cont = wn * (y - linalg_dot(f->beta[p], xi, k)) * linalg_dot(xi, f->a[p], k);
		return inf_treat - inf_cont;
	}
	else
	{
		double		ps,
					wc = rc_wc(f, xi, d, wn, &ps),
					res = y - (f->method == DRDID_DR ? linalg_dot(f->beta[p], xi, k) : 0.0),
					sgn = p ? 1.0 : -1.0;

		out = 0.0;
		if (d)
			out += sgn * wn * (res - f->e_t[p]) / f->m_t[p];
		else
			out -= sgn * wc * (res - f->e_c[p]) / f->m_c[p];
		/* propensity-score estimation effect (part of inf.cont) */
		out -= wn * ((d ? 1.0 : 0.0) - ps) * linalg_dot(xi, f->h, k);
		if (f->method == DRDID_DR)
		{
			/* efficiency terms: treated rows only */
			if (d)
			{
				int			q;

				for (q = 0; q < 2; q++)
				{
					double		delta = linalg_dot(f->beta[2 + q], xi, k) - linalg_dot(f->beta[q], xi, k),
								s = q ? 1.0 : -1.0;

					out += s * wn * (delta - f->e_d[q]) / f->m_d;
					if (q == p)
						out -= s * wn * (delta - f->e_dt[q]) / f->m_t[q];
				}
			}
			/* outcome-regression estimation effect of the row's own regression */
			out += wn * (y - linalg_dot(f->beta[r], xi, k)) *
				linalg_dot(xi, (r == 0 && f->exact) ? f->a0_exact : f->a[r], k);
		}
		return out;
	}
}
