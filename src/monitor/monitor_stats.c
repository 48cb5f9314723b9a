/*
 * monitor_stats.c — SQL glue for the statistics of the monitoring
 * functions (extension/0.3.0/50_progression.sql): the heterogeneity test
 * over per-municipality estimates (math in math/heterogeneity.c) and the
 * Student t quantile behind the intervals of progression_change.
 *
 * Owns argument checks and result tuples only; the statistics are the
 * math files' (docs/methods.md, *Progression scores and effects per
 * municipality*).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "distributions.h"
#include "heterogeneity.h"

PG_FUNCTION_INFO_V1(si_heterogeneity_sql);
PG_FUNCTION_INFO_V1(si_t_quantile_sql);

/* the elements of a one-dimensional float8[] without NULLs */
static double *
float8_array_arg(FunctionCallInfo fcinfo, int argno, const char *argname, int *n)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			nel;
	int			i;
	double	   *out;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("heterogeneity: %s must not be NULL", argname),
				 errhint("Pass an array with one value per estimate (an empty array for none).")));
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("heterogeneity: %s must be a one-dimensional array, not %d-dimensional",
						argname, ARR_NDIM(arr)),
				 errhint("Give one value per estimate in a flat array.")));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &nel);
	out = palloc(sizeof(double) * (nel > 0 ? nel : 1));
	for (i = 0; i < nel; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("heterogeneity: %s[%d] is NULL", argname, i + 1),
					 errhint("Leave out the estimates without a standard error (e.g. suppressed municipalities) before the call.")));
		out[i] = DatumGetFloat8(elems[i]);
	}
	*n = nel;
	return out;
}

/*
 * heterogeneity(estimates float8[], std_errors float8[]) -> one row:
 * q, df, p_value, i_squared, tau_squared, n_estimates, fixed_estimate,
 * fixed_std_error, random_estimate, random_std_error.
 */
Datum
si_heterogeneity_sql(PG_FUNCTION_ARGS)
{
	double	   *y;
	double	   *se;
	int			ny,
				nse,
				i,
				rc;
	si_heterogeneity r;
	TupleDesc	td;
	Datum		values[10];
	bool		isnull[10];

	y = float8_array_arg(fcinfo, 0, "estimates", &ny);
	se = float8_array_arg(fcinfo, 1, "std_errors", &nse);
	if (ny != nse)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("heterogeneity: estimates has %d elements but std_errors has %d", ny, nse),
				 errhint("Give one standard error per estimate, in the same order.")));
	for (i = 0; i < ny; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!isfinite(y[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("heterogeneity: estimates[%d] is not a finite number", i + 1),
					 errhint("Every estimate must be finite.")));
		if (!isfinite(se[i]) || !(se[i] > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("heterogeneity: std_errors[%d] is %g, not a finite number above 0", i + 1, se[i]),
					 errhint("An estimate without a positive standard error cannot be weighted: leave it out.")));
	}
	rc = si_heterogeneity_compute(y, se, ny, &r);
	if (rc == -1)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("heterogeneity: the inverse-variance weights overflow"),
				 errhint("A standard error is too small (below about 1e-154) to be squared and inverted; rescale the estimates.")));

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("heterogeneity: called in a context that cannot accept a row")));
	td = BlessTupleDesc(td);
	if (td->natts != 10)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("heterogeneity: the SQL declaration has %d result columns, expected 10", td->natts),
				 errhint("Reinstall the extension: the library and the SQL script do not match.")));

	memset(isnull, 0, sizeof(isnull));
#define SET_F8(idx, x) \
	do { if (isnan(x)) isnull[idx] = true; else values[idx] = Float8GetDatum(x); } while (0)
	SET_F8(0, r.q);
	if (ny >= 2)
		values[1] = Int32GetDatum(r.df);
	else
		isnull[1] = true;
	SET_F8(2, r.p_value);
	SET_F8(3, r.i_squared);
	SET_F8(4, r.tau_squared);
	values[5] = Int64GetDatum((int64) ny);
	SET_F8(6, r.fixed_estimate);
	SET_F8(7, r.fixed_std_error);
	SET_F8(8, r.random_estimate);
	SET_F8(9, r.random_std_error);
#undef SET_F8

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, values, isnull)));
}

/* _t_quantile(p, df): Student t quantile, 0 < p < 1, df > 0 (Inf = normal) */
Datum
si_t_quantile_sql(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);
	double		df = PG_GETARG_FLOAT8(1);

	if (!(p > 0.0 && p < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_t_quantile: p must lie strictly between 0 and 1, not %g", p),
				 errhint("For a two-sided interval at conf_level give p = (1 + conf_level) / 2.")));
	if (!(df > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_t_quantile: df must be above 0, not %g", df),
				 errhint("A mean of n values has n - 1 degrees of freedom: it needs n >= 2.")));
	PG_RETURN_FLOAT8(si_t_quantile(p, df));
}
