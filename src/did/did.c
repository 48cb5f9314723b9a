/*
 * did.c — difference-in-differences aggregates over person-level rows
 * (pre, post, treated [, weight] [, covariates] [, cluster]), the rollup,
 * and the accessors that read effect, standard error, interval and
 * p-value out of a did_state.
 *
 * Glue only: argument checks, errors and NOTICEs, the read-out options, the
 * result row. Every formula is in src/math/didstats.c (docs/methods.md,
 * *Difference-in-differences on person-level changes*); the state's storage
 * and I/O are did_state.c's. The 24 aggregates of extension/0.2.0/30_did.sql
 * all call did_trans() through the twelve si_did_[w]trans* symbols below
 * (sql/did_catalog.sql checks the pattern).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"

#include "did.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_did_trans);
PG_FUNCTION_INFO_V1(si_did_trans_cl_int);
PG_FUNCTION_INFO_V1(si_did_trans_cl_text);
PG_FUNCTION_INFO_V1(si_did_trans_cov);
PG_FUNCTION_INFO_V1(si_did_trans_cov_cl_int);
PG_FUNCTION_INFO_V1(si_did_trans_cov_cl_text);
PG_FUNCTION_INFO_V1(si_did_wtrans);
PG_FUNCTION_INFO_V1(si_did_wtrans_cl_int);
PG_FUNCTION_INFO_V1(si_did_wtrans_cl_text);
PG_FUNCTION_INFO_V1(si_did_wtrans_cov);
PG_FUNCTION_INFO_V1(si_did_wtrans_cov_cl_int);
PG_FUNCTION_INFO_V1(si_did_wtrans_cov_cl_text);
PG_FUNCTION_INFO_V1(si_did_state_combine);
PG_FUNCTION_INFO_V1(si_did_state_final);
PG_FUNCTION_INFO_V1(si_did_final_result);
PG_FUNCTION_INFO_V1(si_did_result);
PG_FUNCTION_INFO_V1(si_did_effect);
PG_FUNCTION_INFO_V1(si_did_std_error);
PG_FUNCTION_INFO_V1(si_did_df);
PG_FUNCTION_INFO_V1(si_did_p_value);
PG_FUNCTION_INFO_V1(si_did_ci);
PG_FUNCTION_INFO_V1(si_did_count);
PG_FUNCTION_INFO_V1(si_did_mean);
PG_FUNCTION_INFO_V1(si_did_coefficients);

/* ---------- transition ---------- */

static double
finite_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	double		v = PG_GETARG_FLOAT8(argno);

	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("did: %s must be a finite number, not %s", name,
						isnan(v) ? "NaN" : "infinity"),
				 errhint("Use NULL for a missing outcome (the row is skipped and counted).")));
	return v;
}

/* the state argument as a writable object owned by the aggregate */
static DidState *
trans_state(FunctionCallInfo fcinfo, MemoryContext aggcxt, int weighted, int kind, int regression)
{
	DidState   *st;
	Datum		d;

	if (PG_ARGISNULL(0))
		return did_state_new(aggcxt, weighted, kind, regression);
	d = PG_GETARG_DATUM(0);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
		st = did_state_get(d, aggcxt);
	else
	{
		DidState   *src = did_state_get(d, CurrentMemoryContext);

		st = did_state_new(aggcxt, src->weighted, src->cluster_kind, src->regression);
		did_state_merge(st, src);
	}
	return st;
}

static Datum
did_trans(FunctionCallInfo fcinfo, bool weighted, bool regression, int kind)
{
	MemoryContext aggcxt;
	DidState   *st;
	int			pos = 4,
				wpos = -1,
				xpos = -1,
				cpos = -1;
	double		pre,
				post,
				w = 1.0;
	bool		treated;
	ArrayType  *cov = NULL;
	int			ncov = 0;
	const double *xv = NULL;
	int64		ikey = 0;
	const char *skey = NULL;
	int32		slen = 0;

	if (weighted)
		wpos = pos++;
	if (regression)
		xpos = pos++;
	if (kind != DID_CLUSTER_NONE)
		cpos = pos++;

	/* the state is updated in place: only an aggregate may own it */
	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as the transition function of an aggregate",
						weighted ? "did_weighted_transition" : "did_transition"),
				 errhint("Use the aggregates %s or %s.",
						 weighted ? "did_weighted_state" : "did_state",
						 weighted ? "did_weighted" : "did")));

	st = trans_state(fcinfo, aggcxt, weighted, kind, regression);
	did_state_changed(st);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		(wpos > 0 && PG_ARGISNULL(wpos)) || (xpos > 0 && PG_ARGISNULL(xpos)) ||
		(cpos > 0 && PG_ARGISNULL(cpos)))
	{
		st->n_skipped = si_count_add(st->n_skipped, 1, "did_state", false);
		PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
	}

	pre = finite_arg(fcinfo, 1, "pre");
	post = finite_arg(fcinfo, 2, "post");
	treated = PG_GETARG_BOOL(3);
	if (weighted)
	{
		w = PG_GETARG_FLOAT8(wpos);
		if (!isfinite(w) || !(w > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("did: weight must be a positive finite number, not %g", w),
					 errhint("Leave out rows with zero weight; use NULL to skip a row.")));
		if (w < SI_DID_WEIGHT_MIN || w > SI_DID_WEIGHT_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("did: weight must lie between %g and %g, not %g",
							SI_DID_WEIGHT_MIN, SI_DID_WEIGHT_MAX, w),
					 errhint("Only the ratios of the weights matter: rescale them, e.g. divide by their mean.")));
	}
	if (regression)
	{
		int			i;

		cov = PG_GETARG_ARRAYTYPE_P(xpos);
		if (ARR_NDIM(cov) > 1 || ARR_ELEMTYPE(cov) != FLOAT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("did: covariates must be a one-dimensional float8 array")));
		ncov = ArrayGetNItems(ARR_NDIM(cov), ARR_DIMS(cov));
		if (array_contains_nulls(cov))
		{
			st->n_skipped = si_count_add(st->n_skipped, 1, "did_state", false);
			PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
		}
		if (ncov < 1 || ncov > SI_DID_MAX_COVARIATES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("did: covariates must have between 1 and %d elements, not %d",
							SI_DID_MAX_COVARIATES, ncov),
					 errhint("Use the form without covariates for the plain two-by-two estimate.")));
		if (st->p >= 0 && st->p != ncov)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("did: covariate arrays have different lengths (%d and %d)", st->p, ncov),
					 errhint("Every row must give the same covariates in the same order.")));
		xv = (const double *) ARR_DATA_PTR(cov);
		for (i = 0; i < ncov; i++)
			if (!isfinite(xv[i]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("did: covariate %d must be a finite number, not %s", i + 1,
								isnan(xv[i]) ? "NaN" : "infinity"),
						 errhint("Use NULL for a missing value (the row is skipped and counted).")));
		if (st->p < 0)
			did_state_set_p(st, ncov);
	}
	if (kind == DID_CLUSTER_BIGINT)
		ikey = PG_GETARG_INT64(cpos);
	else if (kind == DID_CLUSTER_TEXT)
	{
		text	   *t = PG_GETARG_TEXT_PP(cpos);

		skey = VARDATA_ANY(t);
		slen = VARSIZE_ANY_EXHDR(t);
	}

	/* a state from text input may hold counts near the limit (cluster counts sum to these) */
	(void) si_count_add(st->g[treated ? 1 : 0].n, 1, "did_state", false);
	si_did_group_add(&st->g[treated ? 1 : 0], pre, post, w);
	did_group_check_finite(&st->g[treated ? 1 : 0]);
	if (regression)
	{
		double		x[SI_DID_MAX_COVARIATES + 2];
		int			k = ncov + 2;

		x[0] = 1.0;
		x[1] = treated ? 1.0 : 0.0;
		memcpy(x + 2, xv, sizeof(double) * ncov);
		si_ols_accum(k, x, post - pre, w, st->xtx, st->xty, &st->yty,
					 st->myy, st->my3, st->m4);
		if (kind != DID_CLUSTER_NONE)
		{
			DidCluster *c = did_state_cluster(st, ikey, skey, slen);

			si_did_cell_add(&c->cell[treated ? 1 : 0], post - pre, w);
			si_ols_cluster_accum(k, x, post - pre, w, c->reg);
		}
	}
	else if (kind != DID_CLUSTER_NONE)
	{
		DidCluster *c = did_state_cluster(st, ikey, skey, slen);

		si_did_cell_add(&c->cell[treated ? 1 : 0], post - pre, w);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

Datum
si_did_trans(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, false, false, DID_CLUSTER_NONE);
}

Datum
si_did_trans_cl_int(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, false, false, DID_CLUSTER_BIGINT);
}

Datum
si_did_trans_cl_text(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, false, false, DID_CLUSTER_TEXT);
}

Datum
si_did_trans_cov(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, false, true, DID_CLUSTER_NONE);
}

Datum
si_did_trans_cov_cl_int(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, false, true, DID_CLUSTER_BIGINT);
}

Datum
si_did_trans_cov_cl_text(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, false, true, DID_CLUSTER_TEXT);
}

Datum
si_did_wtrans(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, true, false, DID_CLUSTER_NONE);
}

Datum
si_did_wtrans_cl_int(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, true, false, DID_CLUSTER_BIGINT);
}

Datum
si_did_wtrans_cl_text(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, true, false, DID_CLUSTER_TEXT);
}

Datum
si_did_wtrans_cov(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, true, true, DID_CLUSTER_NONE);
}

Datum
si_did_wtrans_cov_cl_int(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, true, true, DID_CLUSTER_BIGINT);
}

Datum
si_did_wtrans_cov_cl_text(PG_FUNCTION_ARGS)
{
	return did_trans(fcinfo, true, true, DID_CLUSTER_TEXT);
}

/*
 * Combine: aggregate combine function, rollup transition function and the
 * scalar did_state_combine(a, b). NULL counts as an empty state.
 */
Datum
si_did_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	DidState   *a,
			   *b,
			   *r;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();

	if (AggCheckCallContext(fcinfo, &aggcxt))
	{
		if (PG_ARGISNULL(1))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		b = did_state_get(PG_GETARG_DATUM(1), CurrentMemoryContext);
		if (PG_ARGISNULL(0))
		{
			r = did_state_new(aggcxt, b->weighted, b->cluster_kind, b->regression);
			did_state_merge(r, b);
		}
		else
		{
			r = trans_state(fcinfo, aggcxt, b->weighted, b->cluster_kind, b->regression);
			did_state_merge(r, b);
		}
		PG_RETURN_DATUM(EOHPGetRWDatum(&r->hdr));
	}

	/* plain function call: a new flat value, inputs untouched */
	if (PG_ARGISNULL(0))
		PG_RETURN_DATUM(did_state_flat_datum(did_state_get(PG_GETARG_DATUM(1), CurrentMemoryContext)));
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(did_state_flat_datum(did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext)));
	a = did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);
	b = did_state_get(PG_GETARG_DATUM(1), CurrentMemoryContext);
	r = did_state_new(CurrentMemoryContext, a->weighted, a->cluster_kind, a->regression);
	did_state_merge(r, a);
	did_state_merge(r, b);
	PG_RETURN_DATUM(did_state_flat_datum(r));
}

/* final function of did_state(...): the canonical flat value */
Datum
si_did_state_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(did_state_flat_datum(did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext)));
}

/* ---------- read-out ---------- */

typedef struct DidOut
{
	double		effect;
	bool		have_se;
	double		se;
	double		df;
	double		stat;
	double		p;
	double		lo;
	double		hi;
	si_did_vtype vtype;
	si_did_small_sample small_sample;
	bool		normal;
	double		level;
} DidOut;

static void
check_groups(const DidState *st)
{
	if (st->g[1].n == 0 || st->g[0].n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("did: %s", st->g[1].n == 0 && st->g[0].n == 0 ? "no rows with complete data" :
						st->g[1].n == 0 ? "no treated rows (every row is a control)" :
						"no control rows (every row is treated)"),
				 errhint("A difference-in-differences needs both treated and control persons.")));
}

/* OLS coefficients of the regression form; errors name a collinear column */
static double *
ols_solve(const DidState *st, double **lfactor)
{
	int			k = st->k;
	double	   *l = palloc(sizeof(double) * k * k);
	double	   *beta = palloc(sizeof(double) * k);
	int			bad;

	bad = si_cholesky_packed(k, st->xtx, l, 1e-10);
	if (bad >= 0)
	{
		if (bad <= 1)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("did: treatment does not vary in the regression")));
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 bad == 2 ?
				 errmsg("did: covariate 1 is constant or collinear with the intercept and the treatment") :
				 errmsg("did: covariate %d is constant or collinear with the intercept, the treatment and covariates 1 to %d",
						bad - 1, bad - 2),
				 errhint("Drop covariate %d (position in the covariates array) or fix its values.", bad - 1)));
	}
	memcpy(beta, st->xty, sizeof(double) * k);
	si_chol_solve(k, l, beta);
	*lfactor = l;
	return beta;
}

static si_did_vtype
parse_vtype(const DidState *st, const char *name)
{
	si_did_vtype v;

	if (name == NULL)
		return st->cluster_kind != DID_CLUSTER_NONE ? SI_VAR_CR1 :
			st->regression ? SI_VAR_HC1 : SI_VAR_WELCH;
	if (!si_did_vtype_parse(name, &v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("did: unknown variance estimator \"%s\"", name),
				 errhint("Use welch, classical (or pooled), HC0, HC1, HC2, HC3, CR0 or CR1.")));
	return v;
}

static void
variance_unavailable(const char *name, const char *why, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("did: variance estimator %s is not available %s", name, why),
			 errhint("%s", hint)));
}

static si_did_small_sample
parse_small_sample(const char *name, si_did_vtype v)
{
	si_did_small_sample s;

	if (name == NULL)
		return SI_SS_DEFAULT;
	if (!si_did_small_sample_parse(name, &s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("did: unknown small_sample \"%s\"", name),
				 errhint("Use stata (the default: Stata and R sandwich on the stacked panel), person (the person-level change regression) or g_only (G/(G-1) alone).")));
	if (v != SI_VAR_CR1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("did: small_sample applies to the CR1 variance only, and the variance is %s",
						si_did_vtype_name(v)),
				 errhint("Leave small_sample NULL, or ask for variance => 'CR1' (with a cluster key).")));
	return s;
}

/*
 * CR1 = CR0 times the small-sample factor of the named convention; false
 * (with a NOTICE) when the factor is undefined (too few rows)
 */
static bool
cr1_scale(const DidState *st, si_did_small_sample ss, int k, double *var)
{
	int64		n = st->g[0].n + st->g[1].n;
	double		f = si_did_cr1_factor(ss, st->nclusters, n, k);

	if (isnan(f))
	{
		ereport(NOTICE,
				(errmsg("did: %lld rows for %d coefficients: the CR1 small-sample factor (%s) is undefined; the standard error is NULL",
						(long long) n, k, si_did_small_sample_name(ss)),
				 errhint("Use small_sample => 'g_only' or the variance CR0.")));
		return false;
	}
	*var *= f;
	return true;
}

/* variance of the effect; false (with a NOTICE) when undefined */
static bool
did_variance(DidState *st, si_did_vtype v, si_did_small_sample ss, double *var, double *df)
{
	const char *vname = si_did_vtype_name(v);
	bool		cr = (v == SI_VAR_CR0 || v == SI_VAR_CR1);
	int64		G = st->nclusters;

	if (cr && st->cluster_kind == DID_CLUSTER_NONE)
		variance_unavailable(vname, "without a cluster argument",
							 "Give a cluster (bigint or text) to did_state(), or use welch, classical or HC0-HC3.");
	if (cr && G < 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("did: cluster-robust variance %s needs at least 2 clusters, the data have %lld",
						vname, (long long) G),
				 errhint("Cluster by a coarser or different key, or use welch or HC1.")));

	if (!st->regression)
	{
		si_did_cell *c0 = NULL,
				   *c1 = NULL;
		int			rc;

		if ((v == SI_VAR_HC2 || v == SI_VAR_HC3) && st->weighted)
			variance_unavailable(vname, "with weights",
								 "The leverages w_i/W_g are per row; use HC0, HC1, welch or CR1 with weights.");
		if (cr)
		{
			DidCluster **cl = did_state_sorted_clusters(st);
			int64		i;

			c0 = palloc(sizeof(si_did_cell) * G);
			c1 = palloc(sizeof(si_did_cell) * G);
			for (i = 0; i < G; i++)
			{
				if ((i & 4095) == 0)
					CHECK_FOR_INTERRUPTS();
				c0[i] = cl[i]->cell[0];
				c1[i] = cl[i]->cell[1];
			}
		}
		/* CR1: CR0 here, its factor below */
		rc = si_did2x2_variance(st->g, st->weighted, v == SI_VAR_CR1 ? SI_VAR_CR0 : v,
								c0, c1, cr ? G : 0, var, df);
		if (rc == 1)
		{
			ereport(NOTICE,
					(errmsg("did: the %s group has fewer than 2 rows; the standard error is NULL",
							st->g[1].n < 2 ? "treated" : "control")));
			return false;
		}
		if (rc != 0)
			elog(ERROR, "did: unexpected variance failure %d", rc);
		if (v == SI_VAR_CR1)
			return cr1_scale(st, ss, 2, var);
		return true;
	}
	else
	{
		int			k = st->k;
		double		N = (double) (st->g[0].n + st->g[1].n);
		double	   *l,
				   *beta = ols_solve(st, &l);
		double	   *u = palloc0(sizeof(double) * k);

		if (v == SI_VAR_WELCH || v == SI_VAR_HC2 || v == SI_VAR_HC3)
			variance_unavailable(vname, "with covariates",
								 "HC2 and HC3 need per-row leverages, which one-pass sums cannot give; welch is the two-group formula. Use HC0, HC1, classical, CR0 or CR1.");
		if (N <= k)
		{
			ereport(NOTICE,
					(errmsg("did: %d rows for %d coefficients; the standard error is NULL", (int) N, k)));
			return false;
		}
		/* u = (X'WX)^-1 e_treated */
		u[1] = 1.0;
		si_chol_solve(k, l, u);
		if (v == SI_VAR_CLASSICAL)
		{
			*var = si_ols_classical_variance(k, N, st->yty, st->xty, beta, u);
			*df = N - k;
		}
		else if (v == SI_VAR_HC0 || v == SI_VAR_HC1)
		{
			*var = si_ols_hc_variance(k, N, v == SI_VAR_HC1, beta, u,
									  st->myy, st->my3, st->m4);
			*df = N - k;
		}
		else
		{
			DidCluster **cl = did_state_sorted_clusters(st);
			double		s = 0.0;
			int64		i;

			for (i = 0; i < G; i++)
			{
				double		t;

				if ((i & 4095) == 0)
					CHECK_FOR_INTERRUPTS();
				t = si_ols_cluster_score(k, cl[i]->reg, beta, u);
				s += t * t;
			}
			*var = s;
			*df = (double) (G - 1);
			if (v == SI_VAR_CR1)
				return cr1_scale(st, ss, k, var);
		}
		return true;
	}
}

static double
did_effect_of(DidState *st)
{
	check_groups(st);
	if (st->regression)
	{
		double	   *l;
		double	   *beta = ols_solve(st, &l);

		return beta[1];
	}
	return st->g[1].mean - st->g[0].mean;
}

static bool
parse_normal(const char *dist)
{
	if (dist == NULL || pg_strcasecmp(dist, "t") == 0)
		return false;
	if (pg_strcasecmp(dist, "normal") == 0)
		return true;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("did: unknown reference distribution \"%s\"", dist),
			 errhint("Use 't' (the default) or 'normal'.")));
	return false;
}

static void
did_compute(DidState *st, const char *variance, double level, const char *dist,
			const char *small_sample, DidOut *o)
{
	double		var,
				df;

	memset(o, 0, sizeof(*o));
	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("did: conf_level must be between 0 and 1 (exclusive), not %g", level),
				 errhint("For a 95%% interval use 0.95.")));
	o->level = level;
	o->normal = parse_normal(dist);
	o->vtype = parse_vtype(st, variance);
	o->small_sample = parse_small_sample(small_sample, o->vtype);
	o->effect = did_effect_of(st);
	if (!isfinite(o->effect))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("did: the effect is not a finite number: the outcomes or weights are too large for double precision"),
				 errhint("Rescale the outcome (e.g. thousands instead of units) or the weights.")));
	if (!did_variance(st, o->vtype, o->small_sample, &var, &df))
		return;
	/* (zero variance leaves the Welch df undefined; handled below) */
	if (!isfinite(var) || (var > 0.0 && isnan(df)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("did: the %s variance is not a finite number: the outcomes or weights are too large for double precision",
						si_did_vtype_name(o->vtype)),
				 errhint("Rescale the outcome (e.g. thousands instead of units) or the weights.")));
	o->have_se = true;
	o->se = sqrt(var);
	o->df = df;
	si_did_inference(o->effect, o->se, df, level, o->normal,
					 &o->stat, &o->p, &o->lo, &o->hi);
}

static Datum
result_tuple(FunctionCallInfo fcinfo, DidState *st, const DidOut *o)
{
	TupleDesc	tupdesc;
	Datum		v[20];
	bool		nulls[20];
	int			i = 0;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "did: return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	memset(nulls, 0, sizeof(nulls));

	v[i++] = Float8GetDatum(o->effect);
	v[i] = Float8GetDatum(o->se);
	nulls[i++] = !o->have_se;
	v[i] = Float8GetDatum(o->lo);
	nulls[i++] = !o->have_se;
	v[i] = Float8GetDatum(o->hi);
	nulls[i++] = !o->have_se;
	v[i] = Float8GetDatum(o->p);
	nulls[i++] = !o->have_se || isnan(o->p);
	v[i] = Float8GetDatum(o->stat);
	nulls[i++] = !o->have_se || isnan(o->stat);
	v[i] = Float8GetDatum(o->df);
	nulls[i++] = !o->have_se || o->normal || isnan(o->df);
	v[i++] = CStringGetTextDatum(si_did_vtype_name(o->vtype));
	v[i++] = CStringGetTextDatum(o->normal ? "normal" : "t");
	v[i++] = Float8GetDatum(o->level);
	v[i++] = Int64GetDatum(st->g[1].n);
	v[i++] = Int64GetDatum(st->g[0].n);
	v[i++] = Int64GetDatum(st->n_skipped);
	v[i] = Int64GetDatum(st->nclusters);
	nulls[i++] = st->cluster_kind == DID_CLUSTER_NONE;
	v[i++] = Float8GetDatum(st->g[1].mean_pre);
	v[i++] = Float8GetDatum(st->g[1].mean_post);
	v[i++] = Float8GetDatum(st->g[1].mean);
	v[i++] = Float8GetDatum(st->g[0].mean_pre);
	v[i++] = Float8GetDatum(st->g[0].mean_post);
	v[i++] = Float8GetDatum(st->g[0].mean);
	Assert(i == 20);
	if (tupdesc->natts != 20)
		elog(ERROR, "did: did_result has %d columns, expected 20", tupdesc->natts);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, v, nulls)));
}

/*
 * The read-out options of an accessor, by argument position (-1: the
 * function has no such argument, so the default): variance, conf_level,
 * distribution, small_sample. A NULL option is its default.
 */
typedef struct DidOptionArgs
{
	int			variance;
	int			conf_level;
	int			distribution;
	int			small_sample;
} DidOptionArgs;

static const DidOptionArgs did_defaults_only = {-1, -1, -1, -1};

/* the state argument; NULL (the accessor returns NULL) for a NULL state */
static DidState *
state_arg_or_null(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return NULL;
	return did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);
}

static char *
text_arg_or_null(FunctionCallInfo fcinfo, int argno)
{
	if (argno < 0 || PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

static double
conf_level_arg(FunctionCallInfo fcinfo, int argno)
{
	if (argno < 0 || PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return 0.95;
	return PG_GETARG_FLOAT8(argno);
}

/* did_compute with the options read from the accessor's arguments */
static void
did_compute_args(FunctionCallInfo fcinfo, DidState *st, const DidOptionArgs *pos,
				 double conf_level, DidOut *o)
{
	did_compute(st, text_arg_or_null(fcinfo, pos->variance), conf_level,
				text_arg_or_null(fcinfo, pos->distribution),
				text_arg_or_null(fcinfo, pos->small_sample), o);
}

/* final function of the one-shot did(...) aggregates: defaults */
Datum
si_did_final_result(PG_FUNCTION_ARGS)
{
	DidState   *st = state_arg_or_null(fcinfo);
	DidOut		o;

	if (st == NULL)
		PG_RETURN_NULL();
	did_compute_args(fcinfo, st, &did_defaults_only, 0.95, &o);
	return result_tuple(fcinfo, st, &o);
}

/*
 * did_result(state, variance, conf_level, distribution, small_sample, level):
 * level, the last argument, is the deprecated name of conf_level (0.3.0
 * only).
 */
Datum
si_did_result(PG_FUNCTION_ARGS)
{
	static const DidOptionArgs pos = {1, 2, 3, 4};
	DidState   *st = state_arg_or_null(fcinfo);
	DidOut		o;
	double		conf_level;

	if (st == NULL)
		PG_RETURN_NULL();
	if (PG_NARGS() > 5 && !PG_ARGISNULL(PG_NARGS() - 1))
	{
		si_deprecated("argument level of did_result", "conf_level");
		conf_level = PG_GETARG_FLOAT8(PG_NARGS() - 1);
		if (!PG_ARGISNULL(2) && PG_GETARG_FLOAT8(2) != 0.95 && PG_GETARG_FLOAT8(2) != conf_level)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("did_result: level and conf_level are the same argument; give only conf_level")));
	}
	else
		conf_level = conf_level_arg(fcinfo, pos.conf_level);
	did_compute_args(fcinfo, st, &pos, conf_level, &o);
	return result_tuple(fcinfo, st, &o);
}

Datum
si_did_effect(PG_FUNCTION_ARGS)
{
	DidState   *st = did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);

	PG_RETURN_FLOAT8(did_effect_of(st));
}

/* did_std_error(state, variance, small_sample) */
Datum
si_did_std_error(PG_FUNCTION_ARGS)
{
	static const DidOptionArgs pos = {1, -1, -1, 2};
	DidState   *st = state_arg_or_null(fcinfo);
	DidOut		o;

	if (st == NULL)
		PG_RETURN_NULL();
	did_compute_args(fcinfo, st, &pos, 0.95, &o);
	if (!o.have_se)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(o.se);
}

/* did_df(state, variance) */
Datum
si_did_df(PG_FUNCTION_ARGS)
{
	static const DidOptionArgs pos = {1, -1, -1, -1};
	DidState   *st = state_arg_or_null(fcinfo);
	DidOut		o;

	if (st == NULL)
		PG_RETURN_NULL();
	did_compute_args(fcinfo, st, &pos, 0.95, &o);
	if (!o.have_se || isnan(o.df))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(o.df);
}

/* did_p_value(state, variance, distribution, small_sample) */
Datum
si_did_p_value(PG_FUNCTION_ARGS)
{
	static const DidOptionArgs pos = {1, -1, 2, 3};
	DidState   *st = state_arg_or_null(fcinfo);
	DidOut		o;

	if (st == NULL)
		PG_RETURN_NULL();
	did_compute_args(fcinfo, st, &pos, 0.95, &o);
	if (!o.have_se || isnan(o.p))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(o.p);
}

/* did_ci(state, variance, conf_level, distribution, small_sample) */
Datum
si_did_ci(PG_FUNCTION_ARGS)
{
	static const DidOptionArgs pos = {1, 2, 3, 4};
	DidState   *st = state_arg_or_null(fcinfo);
	DidOut		o;
	Datum		e[2];

	if (st == NULL)
		PG_RETURN_NULL();
	did_compute_args(fcinfo, st, &pos, conf_level_arg(fcinfo, pos.conf_level), &o);
	if (!o.have_se)
		PG_RETURN_NULL();
	e[0] = Float8GetDatum(o.lo);
	e[1] = Float8GetDatum(o.hi);
	PG_RETURN_ARRAYTYPE_P(construct_array(e, 2, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* did_count(state, what): treated, control, skipped, clusters */
Datum
si_did_count(PG_FUNCTION_ARGS)
{
	DidState   *st = did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);
	char	   *what = text_to_cstring(PG_GETARG_TEXT_PP(1));

	if (strcmp(what, "treated") == 0)
		PG_RETURN_INT64(st->g[1].n);
	if (strcmp(what, "control") == 0)
		PG_RETURN_INT64(st->g[0].n);
	if (strcmp(what, "skipped") == 0)
		PG_RETURN_INT64(st->n_skipped);
	if (strcmp(what, "clusters") == 0)
	{
		if (st->cluster_kind == DID_CLUSTER_NONE)
			PG_RETURN_NULL();
		PG_RETURN_INT64(st->nclusters);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("did: unknown count \"%s\"", what),
			 errhint("Use treated, control, skipped or clusters.")));
	PG_RETURN_NULL();
}

/* did_mean(state, treated boolean, period text): pre, post or change */
Datum
si_did_mean(PG_FUNCTION_ARGS)
{
	DidState   *st = did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);
	const si_did_group *g = &st->g[PG_GETARG_BOOL(1) ? 1 : 0];
	char	   *what = text_to_cstring(PG_GETARG_TEXT_PP(2));

	if (g->n == 0)
		PG_RETURN_NULL();
	if (strcmp(what, "pre") == 0)
		PG_RETURN_FLOAT8(g->mean_pre);
	if (strcmp(what, "post") == 0)
		PG_RETURN_FLOAT8(g->mean_post);
	if (strcmp(what, "change") == 0)
		PG_RETURN_FLOAT8(g->mean);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("did: unknown period \"%s\"", what),
			 errhint("Use pre, post or change.")));
	PG_RETURN_NULL();
}

/* OLS coefficients {intercept, treated, covariates...} of the regression form */
Datum
si_did_coefficients(PG_FUNCTION_ARGS)
{
	DidState   *st = did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);
	Datum	   *e;
	double	   *l,
			   *beta;
	int			i,
				k;

	check_groups(st);
	if (!st->regression)
	{
		e = palloc(sizeof(Datum) * 2);
		e[0] = Float8GetDatum(st->g[0].mean);
		e[1] = Float8GetDatum(st->g[1].mean - st->g[0].mean);
		k = 2;
	}
	else
	{
		beta = ols_solve(st, &l);
		k = st->k;
		e = palloc(sizeof(Datum) * k);
		for (i = 0; i < k; i++)
			e[i] = Float8GetDatum(beta[i]);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(e, k, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
