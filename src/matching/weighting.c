/*
 * weighting.c — SQL glue of ipw_weights and entropy_balance: arguments
 * checked, the table read by si_design_read (design.c), the weights
 * computed by src/math/weighting.c, its status codes turned into errors
 * that name the argument or term, and one row per unit returned. No
 * arithmetic of the weights here (src/math/weighting.c owns it).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "design.h"
#include "estimand_arg.h"
#include "weighting.h"

PG_FUNCTION_INFO_V1(si_ipw_weights_sql);
PG_FUNCTION_INFO_V1(si_entropy_balance_sql);

SiEstimand
si_estimand_arg(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	char	   *given;
	int			e;

	if (PG_ARGISNULL(argno))
		return SI_ESTIMAND_ATT;
	given = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	e = si_estimand_parse(given);
	if (e < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: estimand \"%s\" is not known", fname, given),
				 errhint("Give 'att' (effect on the treated) or 'ate' (effect in the whole population).")));
	return (SiEstimand) e;
}

/* one row (unit, treated, weight) into the materialised result */
static void
put_row(ReturnSetInfo *rsinfo, int64 unit, bool treated, double weight)
{
	Datum		v[3];
	bool		nul[3] = {false, false, false};

	v[0] = Int64GetDatum(unit);
	v[1] = BoolGetDatum(treated);
	v[2] = Float8GetDatum(weight);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
}

/*
 * ipw_weights(relation, unit_column, treatment_column, score_column,
 * estimand, stabilize, trim_at)
 */
Datum
si_ipw_weights_sql(PG_FUNCTION_ARGS)
{
	const char *fname = "ipw_weights";
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid = si_design_relation_arg(fcinfo, 0, fname);
	const char *unit_column = si_design_name_arg(fcinfo, 1, "unit_column", true);
	const char *treatment_column = si_design_name_arg(fcinfo, 2, "treatment_column", true);
	const char *score_column = si_design_name_arg(fcinfo, 3, "score_column", true);
	SiEstimand	estimand = si_estimand_arg(fcinfo, 4, fname);
	bool		stabilize = PG_ARGISNULL(5) ? false : PG_GETARG_BOOL(5);
	double		trim_at = PG_ARGISNULL(6) ? -1.0 : PG_GETARG_FLOAT8(6);
	SiDesign   *d;
	double	   *weight;
	bool	   *keep;
	int64		i,
				nt,
				nc;

	if (!PG_ARGISNULL(6) && !(trim_at >= 0.0 && trim_at < 0.5))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: trim_at must be at least 0 and below 0.5 (got %g)", fname, trim_at),
				 errhint("Units with a score below trim_at or above 1 - trim_at are trimmed; 0.1 is a common choice (Crump et al. 2009), NULL trims nothing.")));
	if (stabilize && estimand == SI_ESTIMAND_ATT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: stabilize applies to estimand 'ate' only", fname),
				 errhint("ATT weights keep the treated at 1 and already sum to about the number of treated among the controls; leave stabilize false.")));

	InitMaterializedSRF(fcinfo, 0);
	d = si_design_read(relid, unit_column, treatment_column, &score_column, 1,
					   NULL, NULL, 0, fname);
	if (d->column_is_factor[0])
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: score column \"%s\" is not a number", fname, score_column),
				 errhint("Give propensity scores as a float8 column, e.g. the score of propensity_scores().")));
	for (i = 0; i < d->n; i++)
	{
		double		p = d->x[i];

		if (!(p > 0.0 && p < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: score column \"%s\" holds %g for unit " INT64_FORMAT ", not a probability strictly between 0 and 1",
							fname, score_column, p, d->unit[i]),
					 errhint("A score of 0 or 1 gives an infinite weight: check the propensity model for separation, or trim with trim_at.")));
	}

	weight = palloc(sizeof(double) * d->n);
	keep = palloc(sizeof(bool) * d->n);
	si_ipw_weights(d->n, d->x, d->treated, estimand, stabilize, trim_at,
				   weight, keep, &nt, &nc);
	if (nt + nc < d->n)
		ereport(NOTICE,
				(errmsg("%s: " INT64_FORMAT " units with a score outside [%g, %g] trimmed (" INT64_FORMAT " treated, " INT64_FORMAT " controls); they have no row in the result",
						fname, d->n - nt - nc, trim_at, 1.0 - trim_at,
						d->n_treated - nt, d->n_control - nc)));
	if (nt == 0 || nc == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: no %s units are left after trimming at %g", fname,
						nt == 0 ? "treated" : "control", trim_at),
				 errhint("The groups do not overlap within [trim_at, 1 - trim_at]; lower trim_at or revisit the propensity model.")));
	for (i = 0; i < d->n; i++)
	{
		if (keep[i])
			put_row(rsinfo, d->unit[i], d->treated[i], weight[i]);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/* called by the Newton loop once per step */
static void
interrupt_tick(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* the name of constraint j: a term, or its square */
static char *
constraint_name(const SiDesign *d, const int *source, const bool *squared, int j)
{
	return squared[j] ? psprintf("%s^2", d->term[source[j]]) : pstrdup(d->term[source[j]]);
}

/*
 * entropy_balance(relation, unit_column, treatment_column,
 * covariate_columns, base_weight_column, moments, max_iterations,
 * tolerance)
 */
Datum
si_entropy_balance_sql(PG_FUNCTION_ARGS)
{
	const char *fname = "entropy_balance";
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid = si_design_relation_arg(fcinfo, 0, fname);
	const char *unit_column = si_design_name_arg(fcinfo, 1, "unit_column", true);
	const char *treatment_column = si_design_name_arg(fcinfo, 2, "treatment_column", true);
	int			ncov;
	const char **covariates = si_design_names_arg(fcinfo, 3, "covariate_columns", true, &ncov);
	const char *base_column = si_design_name_arg(fcinfo, 4, "base_weight_column", false);
	int			moments = PG_ARGISNULL(5) ? 1 : PG_GETARG_INT32(5);
	int			max_iterations = PG_ARGISNULL(6) ? 200 : PG_GETARG_INT32(6);
	double		tolerance = PG_ARGISNULL(7) ? 1e-10 : PG_GETARG_FLOAT8(7);
	SiDesign   *d;
	double	   *weight,
			   *work;
	int		   *source;
	bool	   *squared;
	int			k;
	int64		i;
	int64		nwork;
	SiEbalInfo	info;

	if (ncov == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: covariate_columns is empty", fname),
				 errhint("Name the covariates whose means are to be balanced, e.g. ARRAY['age', 'educ']::name[].")));
	if (moments != 1 && moments != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: moments must be 1 (means) or 2 (means and variances), not %d", fname, moments),
				 errhint("Give moments => 1 or moments => 2.")));
	if (max_iterations < 1 || max_iterations > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: max_iterations must be between 1 and 100000 (got %d)", fname, max_iterations),
				 errhint("Newton's method needs few steps; the default is 200.")));
	if (!(tolerance > 0.0 && tolerance < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: tolerance must be above 0 and below 1 (got %g)", fname, tolerance),
				 errhint("The tolerance bounds every weighted mean difference in control standard deviations; the default is 1e-10.")));

	InitMaterializedSRF(fcinfo, 0);
	d = si_design_read(relid, unit_column, treatment_column, covariates, ncov,
					   base_column, NULL, 0, fname);
	if (d->weight)
	{
		for (i = 0; i < d->n; i++)
			if (!(d->weight[i] > 0.0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: base weight column \"%s\" holds %g for unit " INT64_FORMAT ", not a positive number",
								fname, base_column, d->weight[i], d->unit[i]),
						 errhint("Base (survey) weights must be positive; leave units out with a WHERE clause in a view instead.")));
	}

	nwork = si_entropy_balance_work_size(d->n, d->p);
	if ((Size) nwork > MaxAllocHugeSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " INT64_FORMAT " units with %d terms do not fit in memory", fname, d->n, d->p),
				 errhint("Use fewer covariates or balance a sample.")));
	work = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * nwork);
	weight = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * d->n);
	source = palloc(sizeof(int) * 2 * d->p);
	squared = palloc(sizeof(bool) * 2 * d->p);
	si_entropy_balance_att(d->n, d->p, d->x, d->treated, d->weight, moments,
						   max_iterations, tolerance, weight, work, source,
						   squared, &k, interrupt_tick, &info);

	switch (info.status)
	{
		case SI_EBAL_OK:
			break;
		case SI_EBAL_NO_VARIATION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s is the same for every control unit but its treated mean differs, so no weighting of the controls can balance it",
							fname, constraint_name(d, source, squared, info.constraint)),
					 errhint("Leave the covariate out, or balance a subgroup in which the controls vary.")));
			break;
		case SI_EBAL_COLLINEAR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s is a linear combination of the earlier terms among the control units",
							fname, constraint_name(d, source, squared, info.constraint)),
					 errhint("Leave out a covariate (or a level) that another determines%s.",
							 moments == 2 ? ", or use moments => 1" : "")));
			break;
		case SI_EBAL_INFEASIBLE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the treated means lie outside what any weighting of the controls can reach (outside the convex hull of the control units' values)",
							fname),
					 errdetail("The largest remaining difference is %g control standard deviations after %d Newton steps.",
							   info.max_imbalance, info.iterations),
					 errhint("Balance fewer terms (moments => 1, fewer covariates), or restrict the treated to the region the controls cover.")));
			break;
		case SI_EBAL_NOT_CONVERGED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: no balance within tolerance %g after %d Newton steps (largest remaining difference %g control standard deviations)",
							fname, tolerance, info.iterations, info.max_imbalance),
					 errhint("Raise max_iterations; if the difference does not shrink, the treated means are at the edge of the controls' range: balance fewer terms.")));
			break;
	}

	for (i = 0; i < d->n; i++)
	{
		put_row(rsinfo, d->unit[i], d->treated[i], weight[i]);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
