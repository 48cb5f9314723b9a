/*
 * drdid.c — panel 2x2 DiD estimators with covariates (outcome regression,
 * standardised IPW, doubly robust) and their influence functions,
 * following Sant'Anna & Zhao (2020) and R DRDID's reg_did_panel,
 * std_ipw_did_panel and drdid_panel (trimming of control propensity
 * scores at 0.995, scores capped at 1 - 1e-6). See drdid.h.
 *
 * Also the two pieces both DRDID files use: weighted least squares on one
 * (treatment, period) group and the propensity-score fit with its Hessian.
 * No postgres.h here; see docs/methods.md, *Group-time average treatment
 * effects*, "Covariates (balanced panels)".
 */
#include "drdid.h"
#include "linalg.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>


/* drdid_panel_fit: the design's store, then its work (at least the fit's 4k + n) and 4k */
long
drdid_work_size(int n, int k)
{
	return drdid_design_size(n, k) + drdid_design_work_size(n, k) + 4L * k;
}

/* wn, ps; inv_raw, inv, hess; wc, xa1, xa3 */
long
drdid_design_size(int n, int k)
{
	return 3L * k * k + 5L * n;
}

/* the controls' X'WX and its factor, or the logit's IRLS and Hessian */
long
drdid_design_work_size(int n, int k)
{
	return 2L * k * k + 2L * k + 2L * n;
}

/* linalg_dot, inlined for the per-unit loops (same order, same result) */
static inline double
dotk(const double *a, const double *b, int k)
{
	double		s = 0.0;
	int			j;

	for (j = 0; j < k; j++)
		s += a[j] * b[j];
	return s;
}

double
drdid_ps_capped(const double *gamma, const double *xrow, int k)
{
	double		p = linalg_logit_linkinv(linalg_dot(gamma, xrow, k));

	return p < DRDID_PS_CAP ? p : DRDID_PS_CAP;
}

double
drdid_ps(const DrdidFit *fit, const double *xrow)
{
	return drdid_ps_capped(fit->gamma, xrow, fit->k);
}

/*
 * Weighted least squares of y on x over the rows of one (treatment, period)
 * group: rows with 2 d + post == group (post NULL: every row is period 0).
 * beta = (X'WX)^-1 X'Wy; inv = n (X'WX)^-1, DRDID's XpX.inv = solve(X'WX
 * / n). Returns -1, or the column at which X'WX is singular. xtx, scratch
 * (k*k each) and vec (k) are work space.
 */
static inline bool
wls_in_group(const double *d, const double *post, int group, int i)
{
	return 2 * (d[i] != 0.0) + (post != NULL && post[i] != 0.0) == group;
}

/* X'WX of one group and its inverse (not yet scaled by n); -1 or the column */
static int
wls_inverse(const double *x, int n, int k, const double *wn, const double *d,
			const double *post, int group, double *xtx, double *inv, double *scratch)
{
	int			i;

	memset(xtx, 0, sizeof(double) * k * k);
	for (i = 0; i < n; i++)
		if (wls_in_group(d, post, group, i))
			linalg_syr_lower(xtx, x + (long) i * k, wn[i], k);
	linalg_symmetrize(xtx, k);
	return linalg_spd_inverse(xtx, k, inv, scratch, LINALG_TOL);
}

/* vec = X'W y over one group */
static inline void
wls_xty(const double *x, int n, int k, const double *y, const double *wn,
		const double *d, const double *post, int group, double *vec)
{
	int			i,
				j;

	memset(vec, 0, sizeof(double) * k);
	for (i = 0; i < n; i++)
	{
		const double *xi = x + (long) i * k;
		double		wy;

		if (!wls_in_group(d, post, group, i))
			continue;
		wy = wn[i] * y[i];
		for (j = 0; j < k; j++)
			vec[j] += wy * xi[j];
	}
}

int
drdid_wls(const double *x, int n, int k, const double *y, const double *wn,
		  const double *d, const double *post, int group,
		  double *xtx, double *inv, double *scratch, double *vec, double *beta)
{
	int			j,
				ret;

	ret = wls_inverse(x, n, k, wn, d, post, group, xtx, inv, scratch);
	if (ret >= 0)
		return ret;
	wls_xty(x, n, k, y, wn, d, post, group, vec);
	linalg_matvec(inv, vec, beta, k, k);
	for (j = 0; j < k * k; j++)
		inv[j] *= n;
	return -1;
}

/*
 * The propensity score: logit IRLS of d on x (25 iterations, tolerance
 * 1e-8, as glm), then Hessian.ps = vcov(ps.fit) * n as DRDID computes it:
 * n times the inverse of X' diag(w p (1 - p)) X at the final fitted values
 * (verified against DRDID 1.2.3 to 1e-15 on did_cases k2 and k4). Returns
 * 0; 2 with *bad_col when the design is rank deficient; 3 when IRLS did
 * not converge. irls needs k*k + 2k + 2n doubles, tmp k*k.
 */
/*
 * drdid_ps_fit; with fitted (n), the fitted probabilities of the last
 * IRLS step, which are logistic(gamma'x) (the same dot product and link)
 * and serve the Hessian here and the caller's scores, so no unit's score
 * is computed twice.
 */
static int
ps_fit(const double *x, int n, int k, const double *d, const double *wn,
	   double *gamma, int *iterations, double *irls, double *tmp, double *hess,
	   int *bad_col, double *fitted)
{
	int			i,
				j,
				ret;

	ret = linalg_logit_irls(x, n, k, d, wn, gamma, fitted, irls, 25, 1e-8, iterations);
	if (ret < -1)
	{
		*bad_col = -ret - 2;
		return 2;
	}
	if (ret == 1)
		return 3;
	memset(tmp, 0, sizeof(double) * k * k);
	for (i = 0; i < n; i++)
	{
		double		pr = fitted ? fitted[i] :
		linalg_logit_linkinv(linalg_dot(gamma, x + (long) i * k, k));

		linalg_syr_lower(tmp, x + (long) i * k, wn[i] * pr * (1.0 - pr), k);
	}
	if (linalg_cholesky(tmp, k, LINALG_TOL) >= 0)
	{
		*bad_col = 0;
		return 2;
	}
	for (j = 0; j < k; j++)
	{
		int			l;

		for (l = 0; l < k; l++)
			hess[j * k + l] = (j == l) ? 1.0 : 0.0;
		linalg_chol_solve(tmp, k, hess + j * k);
	}
	for (j = 0; j < k * k; j++)
		hess[j] *= n;
	return 0;
}

int
drdid_ps_fit(const double *x, int n, int k, const double *d, const double *wn,
			 double *gamma, int *iterations, double *irls, double *tmp, double *hess,
			 int *bad_col)
{
	return ps_fit(x, n, k, d, wn, gamma, iterations, irls, tmp, hess, bad_col, NULL);
}

/*
 * A control unit's standardised-IPW weight w p / (1 - p) (0 for treated
 * units and for controls trimmed at p >= 0.995), the treated weight, and
 * the residual the weights apply to (dy, minus the outcome regression in
 * dr).
 */
static inline double
panel_ipw_parts(const DrdidFit *fit, int method, const double *xi, double dy, double d,
				double wn, double ps, double *wt, double *wc)
{
	double		r = dy - (method == DRDID_DR ? dotk(fit->beta, xi, fit->k) : 0.0);

	if (d != 0.0)
	{
		*wt = wn;
		*wc = 0.0;
	}
	else
	{
		*wt = 0.0;
		*wc = (ps < DRDID_TRIM_LEVEL) ? wn * ps / (1.0 - ps) : 0.0;
	}
	return r;
}

/*
 * The parts of drdid_panel_fit_design's moments and influence functions
 * that do not depend on the outcome, with the same operations in the same
 * order as the fit would do them per outcome.
 */
static void
design_moments(DrdidPanelDesign *des)
{
	int			method = des->method,
				n = des->n,
				k = des->k,
				i,
				j;
	const double *x = des->x,
			   *d = des->d,
			   *wn = des->wn,
			   *ps = des->ps;
	double		m1[DRDID_MAXK],
				m3[DRDID_MAXK];

	memset(m1, 0, sizeof(double) * k);
	memset(m3, 0, sizeof(double) * k);
	if (method == DRDID_REG)
	{
		for (i = 0; i < n; i++)
		{
			const double *xi = x + (long) i * k;

			if (d[i] == 0.0)
				continue;
			for (j = 0; j < k; j++)
				m1[j] += wn[i] * xi[j];
		}
		for (j = 0; j < k; j++)
			m1[j] /= n;
		linalg_matvec(des->inv, m1, des->a1, k, k);
		for (i = 0; i < n; i++)
			des->xa1[i] = dotk(x + (long) i * k, des->a1, k);
		return;
	}
	des->swt = 0.0;
	des->swc = 0.0;
	for (i = 0; i < n; i++)
	{
		const double *xi = x + (long) i * k;
		double		wt,
					wc;

		/* panel_ipw_parts' weights */
		if (d[i] != 0.0)
		{
			wt = wn[i];
			wc = 0.0;
		}
		else
		{
			wt = 0.0;
			wc = (ps[i] < DRDID_TRIM_LEVEL) ? wn[i] * ps[i] / (1.0 - ps[i]) : 0.0;
		}
		des->wc[i] = wc;
		des->swt += wt;
		des->swc += wc;
		for (j = 0; j < k; j++)
		{
			m1[j] += wt * xi[j];
			m3[j] += wc * xi[j];
		}
	}
	if (method != DRDID_DR)
		return;
	for (j = 0; j < k; j++)
	{
		m1[j] /= n;
		m3[j] /= n;
	}
	linalg_matvec(des->inv, m1, des->a1, k, k);
	linalg_matvec(des->inv, m3, des->a3, k, k);
	for (i = 0; i < n; i++)
	{
		des->xa1[i] = dotk(x + (long) i * k, des->a1, k);
		des->xa3[i] = dotk(x + (long) i * k, des->a3, k);
	}
}

int
drdid_panel_design(int method, int n, int k, const double *x,
				   const double *d, const double *w, DrdidPanelDesign *des,
				   double *store, double *work, int *bad_col)
{
	double		wsum = 0.0,
				nt = 0.0,
				nc = 0.0;
	int			i,
				j,
				ret;

	memset(des, 0, offsetof(DrdidPanelDesign, gamma));
	memset(des->gamma, 0, sizeof(double) * k);
	des->method = method;
	des->n = n;
	des->k = k;
	des->x = x;
	des->d = d;
	des->wn = store;
	des->ps = des->wn + n;
	des->inv_raw = des->ps + n;
	des->inv = des->inv_raw + k * k;
	des->hess = des->inv + k * k;
	des->wc = des->hess + k * k;
	des->xa1 = des->wc + n;
	des->xa3 = des->xa1 + n;
	memset(des->a1, 0, sizeof(double) * k);
	memset(des->a3, 0, sizeof(double) * k);
	*bad_col = -1;
	for (i = 0; i < n; i++)
	{
		wsum += w[i];
		if (d[i] != 0.0)
			nt += 1;
		else
			nc += 1;
	}
	if (nt == 0 || nc == 0)
		return 4;
	des->wmean = wsum / n;
	for (i = 0; i < n; i++)
		des->wn[i] = w[i] / des->wmean;

	/* the outcome regression among the controls (reg, dr): its inverse */
	if (method != DRDID_IPW)
	{
		ret = wls_inverse(x, n, k, des->wn, d, NULL, 0, work, des->inv_raw, work + k * k);
		if (ret >= 0)
		{
			*bad_col = ret;
			return 1;
		}
		for (j = 0; j < k * k; j++)
			des->inv[j] = des->inv_raw[j] * n;
	}

	/* propensity score (ipw, dr) */
	if (method != DRDID_REG)
	{
		ret = ps_fit(x, n, k, d, des->wn, des->gamma, &des->ps_iterations,
					 work + k * k, work, des->hess, bad_col, des->ps);
		if (ret != 0)
			return ret;
		/* drdid_ps_capped of the fitted probabilities */
		for (i = 0; i < n; i++)
			if (!(des->ps[i] < DRDID_PS_CAP))
				des->ps[i] = DRDID_PS_CAP;
	}
	design_moments(des);
	return 0;
}

void
drdid_panel_fit_design(const DrdidPanelDesign *des, const double *dy,
					   DrdidFit *fit, double *work)
{
	drdid_panel_fit_design_if(des, dy, fit, work, NULL);
}

/* drdid_panel_if_ps's value for reg, wn = w / fit->wmean */
static inline double
panel_if_reg(const DrdidFit *f, const double *xi, double dy, int d, double wn)
{
	int			k = f->k;
	double		out = dotk(f->beta, xi, k);
	double		inf_treat = d ? (wn * dy - wn * f->eta_t) / f->mw_t : 0.0;
	double		inf_cont;

	if (d)
		inf_cont = wn * out - wn * f->eta_c;
	else
		inf_cont = wn * (dy - out) * dotk(xi, f->a1, k);
	return inf_treat - inf_cont / f->mw_c;
}

/* drdid_panel_if_ps's value for ipw and dr with the residual r already known */
static inline double
panel_if_r(const DrdidFit *f, const double *xi, double r, int d, double wn, double ps)
{
	int			k = f->k;
	double		wt = d ? wn : 0.0;
	double		wc = (!d && ps < DRDID_TRIM_LEVEL) ? wn * ps / (1.0 - ps) : 0.0;
	double		inf_treat = (wt * r - wt * f->eta_t);
	double		inf_cont = (wc * r - wc * f->eta_c) + wn * ((d ? 1.0 : 0.0) - ps) * dotk(xi, f->h, k);

	if (f->method == DRDID_DR && !d)
	{
		inf_treat -= wn * r * dotk(xi, f->a1, k);
		inf_cont -= wn * r * dotk(xi, f->a3, k);
	}
	return inf_treat / f->mw_t - inf_cont / f->mw_c;
}

#if defined(__GNUC__)
#define DRDID_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define DRDID_ALWAYS_INLINE inline
#endif

/*
 * drdid_panel_fit_design_if for k columns; inlined with k a constant for
 * the usual few covariates, so the loops over the columns unroll (the
 * same operations in the same order)
 */
static DRDID_ALWAYS_INLINE void
fit_design_k(const DrdidPanelDesign *des, const double *dy, DrdidFit *fit, double *work,
			 double *inf, int k)
{
	int			method = des->method,
				n = des->n;
	const double *x = des->x,
			   *d = des->d,
			   *wn = des->wn,
			   *ps = des->ps,
			   *wcv = des->wc;
	double	   *m2 = work;		/* k */
	double	   *vec = m2 + k;	/* k */
	double	   *res = vec + k;	/* n: each unit's residual (ipw, dr) */
	int			i,
				j;

	memset(fit, 0, sizeof(*fit));
	fit->method = method;
	fit->k = k;
	fit->wmean = des->wmean;
	memcpy(fit->gamma, des->gamma, sizeof(double) * k);
	fit->ps_iterations = des->ps_iterations;

	/* the outcome regression of dy among the controls (reg, dr) */
	if (method != DRDID_IPW)
	{
		wls_xty(x, n, k, dy, wn, d, NULL, 0, vec);
		linalg_matvec(des->inv_raw, vec, fit->beta, k, k);
	}

	if (method == DRDID_REG)
	{
		double		st = 0,
					so = 0,
					swt = 0;

		for (i = 0; i < n; i++)
		{
			const double *xi = x + (long) i * k;

			if (d[i] == 0.0)
				continue;
			st += wn[i] * dy[i];
			so += wn[i] * dotk(fit->beta, xi, k);
			swt += wn[i];
		}
		fit->eta_t = st / swt;
		fit->eta_c = so / swt;
		fit->mw_t = fit->mw_c = swt / n;
		memcpy(fit->a1, des->a1, sizeof(double) * k);
		if (inf)
			for (i = 0; i < n; i++)
			{
				const double *xi = x + (long) i * k;

				/* panel_if_reg with x'a1 from the design */
				double		out = dotk(fit->beta, xi, k);
				double		inf_treat = d[i] != 0.0 ? (wn[i] * dy[i] - wn[i] * fit->eta_t) / fit->mw_t : 0.0;
				double		inf_cont;

				if (d[i] != 0.0)
					inf_cont = wn[i] * out - wn[i] * fit->eta_c;
				else
					inf_cont = wn[i] * (dy[i] - out) * des->xa1[i];
				inf[i] = inf_treat - inf_cont / fit->mw_c;
			}
	}
	else
	{
		double		st = 0,
					sc = 0;

		for (i = 0; i < n; i++)
		{
			/* panel_ipw_parts with the design's weights */
			double		r = dy[i] - (method == DRDID_DR ? dotk(fit->beta, x + (long) i * k, k) : 0.0),
						wt = d[i] != 0.0 ? wn[i] : 0.0;

			res[i] = r;
			st += wt * r;
			sc += wcv[i] * r;
		}
		fit->eta_t = st / des->swt;
		fit->eta_c = sc / des->swc;
		fit->mw_t = des->swt / n;
		fit->mw_c = des->swc / n;
		memset(m2, 0, sizeof(double) * k);
		for (i = 0; i < n; i++)
		{
			const double *xi = x + (long) i * k;
			double		wcr = wcv[i] * (res[i] - fit->eta_c);

			for (j = 0; j < k; j++)
				m2[j] += wcr * xi[j];
		}
		for (j = 0; j < k; j++)
			m2[j] /= n;
		linalg_matvec(des->hess, m2, fit->h, k, k);
		if (method == DRDID_DR)
		{
			memcpy(fit->a1, des->a1, sizeof(double) * k);
			memcpy(fit->a3, des->a3, sizeof(double) * k);
		}
		if (inf)
			for (i = 0; i < n; i++)
			{
				/* panel_if_r with the design's weight, x'a1 and x'a3 */
				int			di = d[i] != 0.0;
				double		r = res[i],
							wt = di ? wn[i] : 0.0,
							wc = wcv[i],
							inf_treat = (wt * r - wt * fit->eta_t),
							inf_cont = (wc * r - wc * fit->eta_c) +
							wn[i] * ((di ? 1.0 : 0.0) - ps[i]) * dotk(x + (long) i * k, fit->h, k);

				if (method == DRDID_DR && !di)
				{
					inf_treat -= wn[i] * r * des->xa1[i];
					inf_cont -= wn[i] * r * des->xa3[i];
				}
				inf[i] = inf_treat / fit->mw_t - inf_cont / fit->mw_c;
			}
	}
	fit->att = fit->eta_t - fit->eta_c;
}

void
drdid_panel_fit_design_if(const DrdidPanelDesign *des, const double *dy,
						  DrdidFit *fit, double *work, double *inf)
{
	switch (des->k)
	{
		case 2:
			fit_design_k(des, dy, fit, work, inf, 2);
			break;
		case 3:
			fit_design_k(des, dy, fit, work, inf, 3);
			break;
		case 4:
			fit_design_k(des, dy, fit, work, inf, 4);
			break;
		default:
			fit_design_k(des, dy, fit, work, inf, des->k);
	}
}

int
drdid_panel_fit(int method, int n, int k, const double *x,
				const double *dy, const double *d, const double *w,
				DrdidFit *fit, double *work, int *bad_col)
{
	DrdidPanelDesign des;
	double	   *store = work;
	double	   *scratch = store + drdid_design_size(n, k);
	int			ret;

	memset(fit, 0, sizeof(*fit));
	fit->method = method;
	fit->k = k;
	ret = drdid_panel_design(method, n, k, x, d, w, &des, store, scratch, bad_col);
	if (ret != 0)
		return ret;
	drdid_panel_fit_design(&des, dy, fit, scratch);
	return 0;
}

double
drdid_panel_if_ps(const DrdidFit *f, const double *xi, double dy, int d, double w,
				  double ps)
{
	double		wn = w / f->wmean;

	if (f->method == DRDID_REG)
		return panel_if_reg(f, xi, dy, d, wn);
	return panel_if_r(f, xi, dy - (f->method == DRDID_DR ? dotk(f->beta, xi, f->k) : 0.0),
					  d, wn, ps);
}

double
drdid_panel_if(const DrdidFit *f, const double *xi, double dy, int d, double w)
{
	return drdid_panel_if_ps(f, xi, dy, d, w,
							 f->method == DRDID_REG ? 0.0 : drdid_ps(f, xi));
}
