/*
 * monitor_funnel.c — funnel_limits() and proportion_difference(): the SQL
 * faces of src/math/funnel.c (Spiegelhalter's exact binomial funnel
 * limits) and src/math/newcombe.c (Newcombe's hybrid score interval).
 *
 * Owns argument checks and result tuples; the formulas are the math
 * files' (docs/methods.md, *Arrival cohorts and benchmarking
 * municipalities*) and must not be written here.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "funnel.h"
#include "newcombe.h"

PG_FUNCTION_INFO_V1(si_funnel_limits);
PG_FUNCTION_INFO_V1(si_proportion_difference);

/* conf_level argument: NULL means the default 0.95; otherwise in (0, 1) */
static double
conf_level_arg(FunctionCallInfo fcinfo, int argno)
{
	double		c;

	if (PG_ARGISNULL(argno))
		return 0.95;
	c = PG_GETARG_FLOAT8(argno);
	if (!(c > 0.0 && c < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conf_level must be between 0 and 1 (exclusive), got %g", c),
				 errhint("Give the coverage as a fraction: 0.95 for 95 %%.")));
	return c;
}

static Datum
result_tuple(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	td;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	td = BlessTupleDesc(td);
	return HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
}

/*
 * funnel_limits(target float8, n bigint, conf_level float8 DEFAULT 0.95,
 *               OUT conf_low float8, OUT conf_high float8)
 * NULL target or n: NULL limits.
 */
Datum
si_funnel_limits(PG_FUNCTION_ARGS)
{
	Datum		values[2];
	bool		nulls[2] = {true, true};
	double		conf = conf_level_arg(fcinfo, 2);

	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
	{
		double		target = PG_GETARG_FLOAT8(0);
		int64		n = PG_GETARG_INT64(1);
		double		low,
					high;

		if (!(target > 0.0 && target < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_limits: target must be a proportion strictly between 0 and 1, got %g", target),
					 errhint("At a target of 0 or 1 every unit in control has exactly that proportion: there is no funnel.")));
		if (n < 1 || n > FUNNEL_MAX_N)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_limits: n must be between 1 and %lld, got %lld",
							(long long) FUNNEL_MAX_N, (long long) n),
					 errhint("n is the number of persons behind the proportion.")));
		if (funnel_limits(target, n, conf, &low, &high) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_limits: invalid arguments")));
		values[0] = Float8GetDatum(low);
		values[1] = Float8GetDatum(high);
		nulls[0] = nulls[1] = false;
	}
	PG_RETURN_DATUM(result_tuple(fcinfo, values, nulls));
}

static int64
count_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	int64		v = PG_GETARG_INT64(argno);

	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("proportion_difference: %s must not be negative, got %lld", name, (long long) v),
				 errhint("Give counts of persons: successes and the number of persons of each group.")));
	return v;
}

/*
 * proportion_difference(successes_a bigint, n_a bigint, successes_b bigint,
 *   n_b bigint, conf_level float8 DEFAULT 0.95,
 *   OUT estimate float8, OUT conf_low float8, OUT conf_high float8)
 * A NULL count or n_a = 0 or n_b = 0: NULL result columns.
 */
Datum
si_proportion_difference(PG_FUNCTION_ARGS)
{
	Datum		values[3];
	bool		nulls[3] = {true, true, true};
	double		conf = conf_level_arg(fcinfo, 4);
	int			i;

	for (i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_DATUM(result_tuple(fcinfo, values, nulls));
	{
		int64		xa = count_arg(fcinfo, 0, "successes_a");
		int64		na = count_arg(fcinfo, 1, "n_a");
		int64		xb = count_arg(fcinfo, 2, "successes_b");
		int64		nb = count_arg(fcinfo, 3, "n_b");
		double		est,
					low,
					high;

		if (xa > na || xb > nb)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("proportion_difference: successes (%lld, %lld) must not exceed n (%lld, %lld)",
							(long long) xa, (long long) xb, (long long) na, (long long) nb),
					 errhint("The arguments are successes_a, n_a, successes_b, n_b: each group's successes, then its size.")));
		if (na > 0 && nb > 0 &&
			newcombe_difference(xa, na, xb, nb, conf, &est, &low, &high) == 0)
		{
			values[0] = Float8GetDatum(est);
			values[1] = Float8GetDatum(low);
			values[2] = Float8GetDatum(high);
			nulls[0] = nulls[1] = nulls[2] = false;
		}
	}
	PG_RETURN_DATUM(result_tuple(fcinfo, values, nulls));
}
