/*
 * monitor_logit.c — the logistic_fit aggregate and logistic_predict
 * (glue for linalg_logit_irls in src/math/linalg.c).
 *
 * The aggregate's state keeps one entry per distinct covariate pattern
 * (its number of rows and of true outcomes), not one per row: a model on
 * factors given as dummies (municipality benchmarking) has few patterns
 * however many persons there are, and the fit on grouped rows with the
 * counts as binomial weights has the same likelihood as the fit on the
 * rows. Memory is bounded by the patterns, which are counted and limited
 * before anything is allocated for them.
 *
 * Owns the aggregate's state and its limits; the IRLS fit is linalg.c's
 * (docs/methods.md, *Arrival cohorts and benchmarking municipalities*) and
 * must not be written here.
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "linalg.h"

PG_FUNCTION_INFO_V1(si_logistic_fit_trans);
PG_FUNCTION_INFO_V1(si_logistic_fit_final);
PG_FUNCTION_INFO_V1(si_logistic_fit_aliased_final);
PG_FUNCTION_INFO_V1(si_logistic_predict);

/* at most this many covariates (X'WX is p x p) */
#define LOGIT_MAX_COVARIATES 500
/* IRLS: glm's algorithm, iterated further than glm's default 1e-8 / 25 */
#define LOGIT_MAXIT 100
#define LOGIT_EPS 1e-10
/* a fitted probability this close to 0 or 1 means separation */
#define LOGIT_SEPARATED 1e-8

typedef struct LogitState
{
	int			p;				/* covariates per row (without the intercept) */
	int64		n_rows;
	int64		n_patterns;
	int64		max_patterns;	/* the design of the patterns fits in one palloc */
	HTAB	   *patterns;		/* key: p doubles; entry: key, rows, successes */
	MemoryContext cxt;
} LogitState;

/* the entry after the key of p doubles */
typedef struct LogitCounts
{
	double		rows;
	double		successes;
} LogitCounts;

static double *
covariate_values(ArrayType *arr, int *count, const char *fname)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	double	   *v;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: covariates must be a one-dimensional array, got %d dimensions",
						fname, ARR_NDIM(arr)),
				 errhint("Give one float8[] of covariate values per row, e.g. ARRAY[age, sex_male::int].")));
	if (ARR_NDIM(arr) == 1 && ARR_DIMS(arr)[0] > LOGIT_MAX_COVARIATES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: %d covariates are more than the %d allowed",
						fname, ARR_DIMS(arr)[0], LOGIT_MAX_COVARIATES),
				 errhint("Use fewer covariates (group factor levels).")));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	v = palloc((n > 0 ? n : 1) * sizeof(double));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: covariate %d is NULL", fname, i + 1),
					 errhint("Fill or filter rows with missing covariates (WHERE ...), or code missing values as a level of their own.")));
		v[i] = DatumGetFloat8(elems[i]);
		if (!isfinite(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: covariate %d is %s", fname, i + 1,
							isnan(v[i]) ? "NaN" : "infinite"),
					 errhint("Covariates must be finite numbers.")));
		/* -0 and 0 are one pattern */
		if (v[i] == 0.0)
			v[i] = 0.0;
	}
	*count = n;
	return v;
}

Datum
si_logistic_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	LogitState *st;
	double	   *x;
	int			p;
	bool		found;
	char	   *entry;
	LogitCounts *c;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("logistic_fit_trans called in non-aggregate context")));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("logistic_fit: outcome is NULL"),
				 errhint("Leave rows without an outcome out (WHERE outcome IS NOT NULL): a model cannot use them, and they are not dropped silently.")));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("logistic_fit: covariates is NULL"),
				 errhint("Give an array per row; '{}' fits the intercept only.")));
	x = covariate_values(PG_GETARG_ARRAYTYPE_P(2), &p, "logistic_fit");

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);
		HASHCTL		ctl;

		st = palloc0(sizeof(LogitState));
		st->p = p;
		st->cxt = aggcxt;
		/* the final function puts (p + 3) doubles per pattern in one palloc */
		st->max_patterns = (int64) (MaxAllocSize / sizeof(double)) / (p + 3);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = (p > 0 ? p : 1) * sizeof(double);
		ctl.entrysize = ctl.keysize + sizeof(LogitCounts);
		ctl.hcxt = aggcxt;
		st->patterns = hash_create("logistic_fit patterns", 256, &ctl,
								   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		MemoryContextSwitchTo(old);
	}
	else
		st = (LogitState *) PG_GETARG_POINTER(0);

	if (p != st->p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("logistic_fit: a row has %d covariates, the first row had %d", p, st->p),
				 errhint("Every row's covariates array must have the same length and order.")));
	if (p == 0)
		x[0] = 0.0;				/* the one key of an intercept-only model */
	entry = hash_search(st->patterns, x, HASH_FIND, NULL);
	if (entry == NULL)
	{
		if (st->n_patterns >= st->max_patterns)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("logistic_fit: more than %lld distinct covariate patterns",
							(long long) st->max_patterns),
					 errhint("Group continuous covariates into bands, or fit on a sample.")));
		entry = hash_search(st->patterns, x, HASH_ENTER, &found);
		c = (LogitCounts *) (entry + MAXALIGN((p > 0 ? p : 1) * sizeof(double)));
		c->rows = 0.0;
		c->successes = 0.0;
		st->n_patterns++;
	}
	c = (LogitCounts *) (entry + MAXALIGN((p > 0 ? p : 1) * sizeof(double)));
	c->rows += 1.0;
	if (PG_GETARG_BOOL(1))
		c->successes += 1.0;
	st->n_rows++;
	pfree(x);
	PG_RETURN_POINTER(st);
}

/*
 * Fit the model; aliased (NULL = none) marks columns of the design to leave
 * out (0 = intercept). Returns linalg_logit_irls's code; beta receives the
 * coefficients of the kept columns in order. *separated is set when a
 * fitted probability is within LOGIT_SEPARATED of 0 or 1: the outcomes are
 * (quasi-)separated and some coefficients have no finite maximum-likelihood
 * value. (R's glm.fit warns at 10 DBL_EPSILON; with quasi-separation the
 * IRLS stops, on the deviance, at probabilities of about 1e-10 first, and
 * a finite fit on real covariates does not come within 1e-8 of 0 or 1.)
 */
static int
logit_fit(LogitState *st, const bool *aliased, double *beta, int *iterations,
		  bool *separated)
{
	int			p = st->p + 1;
	int			k = 0,
				j,
				ret;
	int64		m = st->n_patterns,
				i = 0;
	double	   *x,
			   *y,
			   *w,
			   *fitted,
			   *work;
	HASH_SEQ_STATUS seq;
	char	   *entry;
	size_t		keyoff = MAXALIGN((st->p > 0 ? st->p : 1) * sizeof(double));

	for (j = 0; j < p; j++)
		if (!aliased || !aliased[j])
			k++;
	x = palloc((size_t) m * k * sizeof(double));
	y = palloc((size_t) m * sizeof(double));
	w = palloc((size_t) m * sizeof(double));
	fitted = palloc((size_t) m * sizeof(double));
	hash_seq_init(&seq, st->patterns);
	while ((entry = hash_seq_search(&seq)) != NULL)
	{
		const double *key = (const double *) entry;
		LogitCounts *c = (LogitCounts *) (entry + keyoff);
		int			col = 0;

		CHECK_FOR_INTERRUPTS();
		for (j = 0; j < p; j++)
			if (!aliased || !aliased[j])
				x[(size_t) i * k + col++] = (j == 0) ? 1.0 : key[j - 1];
		y[i] = c->successes / c->rows;
		w[i] = c->rows;
		i++;
	}
	/* linalg_logit_irls: p*p + 2p + 2n doubles of work */
	work = palloc(((size_t) k * k + 2 * (size_t) k + 2 * (size_t) m) * sizeof(double));
	ret = linalg_logit_irls(x, (int) m, k, y, w, beta, fitted, work, LOGIT_MAXIT, LOGIT_EPS,
							iterations);
	*separated = false;
	if (ret >= 0)
		for (i = 0; i < m; i++)
			if (fitted[i] < LOGIT_SEPARATED || fitted[i] > 1.0 - LOGIT_SEPARATED)
				*separated = true;
	pfree(fitted);
	pfree(x);
	pfree(y);
	pfree(w);
	pfree(work);
	return ret;
}

static ArrayType *
coefficient_array(const double *beta, const bool *aliased, int p)
{
	Datum	   *d = palloc(p * sizeof(Datum));
	bool	   *nulls = palloc(p * sizeof(bool));
	int			dims[1] = {p};
	int			lbs[1] = {1};
	int			j,
				k = 0;

	for (j = 0; j < p; j++)
	{
		nulls[j] = aliased && aliased[j];
		d[j] = nulls[j] ? (Datum) 0 : Float8GetDatum(beta[k++]);
	}
	return construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID, 8, FLOAT8PASSBYVAL,
							  TYPALIGN_DOUBLE);
}

static void
check_patterns(LogitState *st)
{
	if (st->n_patterns > INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("logistic_fit: more than %d distinct covariate patterns", INT_MAX),
				 errhint("Group continuous covariates into bands, or fit on a sample.")));
}

static void
not_converged(int iterations)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("logistic_fit did not converge in %d iterations", iterations),
			 errhint("The covariates may separate the outcomes (a level in which every outcome is the same); "
					 "merge small levels or drop covariates.")));
}

Datum
si_logistic_fit_final(PG_FUNCTION_ARGS)
{
	LogitState *st;
	double	   *beta;
	int			iterations,
				ret;
	bool		separated;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (LogitState *) PG_GETARG_POINTER(0);
	check_patterns(st);
	beta = palloc((st->p + 1) * sizeof(double));
	ret = logit_fit(st, NULL, beta, &iterations, &separated);
	if (ret == 1)
		not_converged(iterations);
	if (ret == 0 && separated)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit: the outcomes are separated: fitted probabilities are numerically 0 or 1, "
						"so some coefficients have no finite estimate"),
				 errhint("A covariate (or a combination) predicts the outcome perfectly, e.g. a level in which every outcome is the same: "
						 "merge small levels or drop the covariate.")));
	if (ret < -1)
	{
		int			col = -ret - 2;

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 col == 0 ?
				 errmsg("logistic_fit: the design is singular: the intercept is a combination of the covariates") :
				 errmsg("logistic_fit: the design is singular: covariate %d is constant or a combination of the intercept and covariates before it", col),
				 errhint("Drop that covariate (with k levels of a factor, give k - 1 dummies), or leave out levels without rows.")));
	}
	PG_RETURN_ARRAYTYPE_P(coefficient_array(beta, NULL, st->p + 1));
}

/*
 * The same fit, with the columns the design cannot identify left out, as
 * R's glm() does: their coefficients are NULL (R: NA), and
 * logistic_predict reads a NULL coefficient as 0. Used by
 * municipality_benchmark, whose dummies may be collinear on a given
 * register. Separation is accepted here: a small level in which every
 * outcome is the same gets fitted probabilities at 0 or 1, the limit of
 * the likelihood, which is what its expected count should be.
 * Non-convergence is still an error.
 */
Datum
si_logistic_fit_aliased_final(PG_FUNCTION_ARGS)
{
	LogitState *st;
	double	   *beta;
	bool	   *aliased;
	int			iterations,
				ret,
				p;
	bool		separated;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (LogitState *) PG_GETARG_POINTER(0);
	check_patterns(st);
	p = st->p + 1;
	beta = palloc(p * sizeof(double));
	aliased = palloc0(p * sizeof(bool));
	for (;;)
	{
		int			col,
					j,
					kept = -1;

		CHECK_FOR_INTERRUPTS();
		ret = logit_fit(st, aliased, beta, &iterations, &separated);
		if (ret >= -1)
			break;
		/* the returned index counts kept columns; map it to the design's */
		col = -ret - 2;
		for (j = 0; j < p; j++)
			if (!aliased[j] && ++kept == col)
				break;
		if (j >= p || j == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("logistic_fit: the design is singular even with the intercept alone"),
					 errhint("Check the rows: the fit needs at least one row with a positive weight.")));
		aliased[j] = true;
	}
	if (ret == 1)
		not_converged(iterations);
	PG_RETURN_ARRAYTYPE_P(coefficient_array(beta, aliased, p));
}

/*
 * logistic_predict(coefficients, covariates): 1 / (1 + exp(-(b0 + sum b_j x_j))).
 * STRICT; a NULL coefficient (aliased in the fit) counts as 0.
 */
Datum
si_logistic_predict(PG_FUNCTION_ARGS)
{
	ArrayType  *ca = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *xa = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *cd;
	bool	   *cn;
	int			nc,
				nx,
				j;
	double	   *x,
				eta;

	if (ARR_NDIM(ca) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("logistic_predict: coefficients must be a one-dimensional array"),
				 errhint("coefficients is logistic_fit's result: the intercept, then one per covariate.")));
	x = covariate_values(xa, &nx, "logistic_predict");
	deconstruct_array(ca, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &cd, &cn, &nc);
	if (nc != nx + 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("logistic_predict: %d coefficients do not fit %d covariates", nc, nx),
				 errhint("coefficients is logistic_fit's result: the intercept, then one per covariate, in the same order.")));
	eta = 0.0;
	for (j = 0; j < nc; j++)
	{
		double		b;

		if (cn[j])
			continue;
		b = DatumGetFloat8(cd[j]);
		if (!isfinite(b))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("logistic_predict: coefficient %d is not finite", j + 1),
					 errhint("coefficients is logistic_fit's result, whose coefficients are finite.")));
		eta += b * ((j == 0) ? 1.0 : x[j - 1]);
	}
	if (isnan(eta))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("logistic_predict: the linear predictor overflows"),
				 errhint("Rescale the covariates: products of coefficients and covariates reach infinity.")));
	/* 1 / (1 + exp(-eta)) without overflow for large |eta| */
	if (eta >= 0.0)
		PG_RETURN_FLOAT8(1.0 / (1.0 + exp(-eta)));
	PG_RETURN_FLOAT8(exp(eta) / (1.0 + exp(eta)));
}
