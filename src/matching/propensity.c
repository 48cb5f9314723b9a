/*
 * propensity.c — propensity_model and propensity_scores: the logit of the
 * treatment on the covariates of a table (glue: arguments, the design of
 * design.c, logit_fit of src/math/logit.c, errors and result rows). The
 * maths is in src/math; the table is read only through si_design_read.
 * See docs/methods.md, *Comparison groups*.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "design.h"
#include "linalg.h"
#include "logit.h"

PG_FUNCTION_INFO_V1(si_propensity_model);
PG_FUNCTION_INFO_V1(si_propensity_scores);

#define PS_DEFAULT_MAXIT 25
#define PS_MAX_MAXIT 10000
#define PS_DEFAULT_TOL 1e-8

/* the fit both functions share */
typedef struct PsFit
{
	SiDesign   *d;
	int			k;				/* coefficients: the intercept, then the terms */
	double	   *beta;
	double	   *cov;
	double	   *eta;			/* n linear predictors */
	double	   *score;			/* n fitted probabilities */
	LogitResult res;
} PsFit;

static const char *
coef_name(const SiDesign *d, int j)
{
	return j == 0 ? "(Intercept)" : d->term[j - 1];
}

/* "a, b and c" of the flagged coefficients */
static char *
flagged_names(const SiDesign *d, const int *flag, int k)
{
	StringInfoData s;
	int			j,
				n = 0,
				seen = 0;

	for (j = 0; j < k; j++)
		n += flag[j] != 0;
	initStringInfo(&s);
	for (j = 0; j < k; j++)
	{
		if (!flag[j])
			continue;
		if (seen > 0)
			appendStringInfoString(&s, seen == n - 1 ? " and " : ", ");
		appendStringInfo(&s, "\"%s\"", coef_name(d, j));
		seen++;
	}
	return s.data;
}

static PsFit *
ps_fit(FunctionCallInfo fcinfo, const char *fname)
{
	Oid			relid = si_design_relation_arg(fcinfo, 0, fname);
	const char *unit = si_design_name_arg(fcinfo, 1, "unit_column", true);
	const char *treat = si_design_name_arg(fcinfo, 2, "treatment_column", true);
	int			ncov;
	const char **cov = si_design_names_arg(fcinfo, 3, "covariate_columns", true, &ncov);
	const char *weight = si_design_name_arg(fcinfo, 4, "weight_column", false);
	int			maxit = PG_ARGISNULL(5) ? PS_DEFAULT_MAXIT : PG_GETARG_INT32(5);
	double		tol = PG_ARGISNULL(6) ? PS_DEFAULT_TOL : PG_GETARG_FLOAT8(6);
	PsFit	   *f = palloc0(sizeof(PsFit));
	SiDesign   *d;
	double	   *x,
			   *y,
			   *work;
	int		   *flag;
	size_t		wsize;
	int64		i;
	int			j,
				k;
	LogitStatus st;

	if (maxit < 1 || maxit > PS_MAX_MAXIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: max_iterations must be between 1 and %d, got %d", fname, PS_MAX_MAXIT, maxit),
				 errhint("The default (NULL) is %d, as R's glm.", PS_DEFAULT_MAXIT)));
	if (!(tol > 0.0 && tol < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: tolerance must be above 0 and below 1, got %g", fname, tol),
				 errhint("The default (NULL) is 1e-8, as R's glm (relative change of the deviance).")));

	d = si_design_read(relid, unit, treat, cov, ncov, weight, NULL, 0, fname);
	if (d->n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " INT64_FORMAT " rows are more than the %d a fit takes", fname, d->n, PG_INT32_MAX),
				 errhint("Fit the model on a sample.")));
	if (d->weight)
		for (i = 0; i < d->n; i++)
			if (!(d->weight[i] > 0.0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: weight_column is 0 for unit " INT64_FORMAT, fname, d->unit[i]),
						 errhint("Weights must be positive; leave the unit out of the table (a view) instead.")));

	k = d->p + 1;
	wsize = logit_work_size((int) d->n, k);
	if (wsize == 0 || wsize > MaxAllocHugeSize / sizeof(double) ||
		(Size) d->n > MaxAllocHugeSize / sizeof(double) / k)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " INT64_FORMAT " rows and %d coefficients do not fit in memory", fname, d->n, k),
				 errhint("Fit the model on a sample or with fewer terms.")));

	/* the design with the intercept first */
	x = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * d->n * k);
	y = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * d->n);
	for (i = 0; i < d->n; i++)
	{
		x[i * k] = 1.0;
		for (j = 0; j < d->p; j++)
			x[i * k + 1 + j] = d->x[i * d->p + j];
		y[i] = d->treated[i] ? 1.0 : 0.0;
	}
	work = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * wsize);
	f->d = d;
	f->k = k;
	f->beta = palloc(sizeof(double) * k);
	f->cov = palloc(sizeof(double) * k * k);
	f->score = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * d->n);
	f->eta = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * d->n);
	flag = palloc(sizeof(int) * k);

	CHECK_FOR_INTERRUPTS();
	st = logit_fit(x, (int) d->n, k, y, d->weight, maxit, tol, f->beta, f->cov, f->score,
				   flag, work, &f->res);
	switch (st)
	{
		case LOGIT_ALIASED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the covariates are collinear: %s %s a linear combination of the terms before %s",
							fname, flagged_names(d, flag, k), f->res.n_flagged > 1 ? "are each" : "is",
							f->res.n_flagged > 1 ? "them" : "it"),
					 errhint("Leave %s out of covariate_columns (a factor's indicators with an intercept sum to 1; two columns may carry the same information).",
							 f->res.n_flagged > 1 ? "these terms' columns" : "that term's column")));
			break;
		case LOGIT_SEPARATED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the treatment is separated by the covariates: the coefficient%s of %s diverge%s and the fitted probabilities of %d unit%s go to 0 or 1",
							fname, f->res.n_flagged > 1 ? "s" : "", flagged_names(d, flag, k),
							f->res.n_flagged > 1 ? "" : "s", f->res.n_boundary,
							f->res.n_boundary == 1 ? "" : "s"),
					 errhint("Some covariate values occur only among treated or only among control units, "
							 "so no finite model fits (and such units have no comparison): "
							 "drop or coarsen those terms, or restrict the table to the common support.")));
			break;
		case LOGIT_NOT_CONVERGED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the fit did not converge in %d iterations", fname, maxit),
					 errhint("Raise max_iterations (default %d) or loosen tolerance; rescaling covariates with very large values may help.",
							 PS_DEFAULT_MAXIT)));
			break;
		case LOGIT_OK:
			break;
	}
	for (i = 0; i < d->n; i++)
		f->eta[i] = linalg_dot(x + i * k, f->beta, k);
	pfree(x);
	pfree(work);
	return f;
}

/*
 * propensity_model(relation, unit_column, treatment_column,
 * covariate_columns, weight_column, max_iterations, tolerance)
 * RETURNS TABLE(term, estimate, std_error, z_value, p_value, n_treated,
 * n_control, n_dropped, iterations)
 */
Datum
si_propensity_model(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PsFit	   *f;
	int			j;

	InitMaterializedSRF(fcinfo, 0);
	f = ps_fit(fcinfo, "propensity_model");
	for (j = 0; j < f->k; j++)
	{
		Datum		v[9];
		bool		nulls[9] = {false};
		double		se = sqrt(f->cov[j * f->k + j]);

		v[0] = CStringGetTextDatum(coef_name(f->d, j));
		v[1] = Float8GetDatum(f->beta[j]);
		v[2] = Float8GetDatum(se);
		v[3] = Float8GetDatum(f->beta[j] / se);
		v[4] = Float8GetDatum(logit_p_value(f->beta[j] / se));
		v[5] = Int64GetDatum(f->d->n_treated);
		v[6] = Int64GetDatum(f->d->n_control);
		v[7] = Int64GetDatum(f->d->n_dropped);
		v[8] = Int32GetDatum(f->res.iterations);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/*
 * propensity_scores(relation, unit_column, treatment_column,
 * covariate_columns, weight_column, max_iterations, tolerance)
 * RETURNS TABLE(unit, treated, score, linear_predictor)
 */
Datum
si_propensity_scores(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PsFit	   *f;
	int64		i;

	InitMaterializedSRF(fcinfo, 0);
	f = ps_fit(fcinfo, "propensity_scores");
	for (i = 0; i < f->d->n; i++)
	{
		Datum		v[4];
		bool		nulls[4] = {false};

		v[0] = Int64GetDatum(f->d->unit[i]);
		v[1] = BoolGetDatum(f->d->treated[i]);
		v[2] = Float8GetDatum(f->score[i]);
		v[3] = Float8GetDatum(f->eta[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
