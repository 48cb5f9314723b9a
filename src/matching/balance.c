/*
 * balance.c — SQL glue of balance_table: arguments checked, the table
 * read by si_design_read (design.c), the statistics of every term computed
 * by src/math/balance.c for the unadjusted sample and, with a weight
 * column, for the weighted one, two rows per term returned. No statistics
 * are computed here (src/math/balance.c owns the definitions).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "balance.h"
#include "design.h"
#include "estimand_arg.h"

PG_FUNCTION_INFO_V1(si_balance_table_sql);

#define BALANCE_NCOLS 13

/* a float8 Datum, NULL for NaN (MatchIt's NA) */
static Datum
float_or_null(double x, bool *isnull)
{
	*isnull = isnan(x);
	return Float8GetDatum(x);
}

static void
put_row(ReturnSetInfo *rsinfo, const char *term, const char *sample,
		const SiBalanceStats *s, const char *denominator,
		int64 nt, int64 nc, double esst, double essc)
{
	Datum		v[BALANCE_NCOLS];
	bool		nul[BALANCE_NCOLS] = {0};

	v[0] = CStringGetTextDatum(term);
	v[1] = CStringGetTextDatum(sample);
	v[2] = float_or_null(s->mean_treated, &nul[2]);
	v[3] = float_or_null(s->mean_control, &nul[3]);
	v[4] = float_or_null(s->std_mean_diff, &nul[4]);
	v[5] = CStringGetTextDatum(denominator);
	v[6] = float_or_null(s->variance_ratio, &nul[6]);
	v[7] = float_or_null(s->ecdf_mean, &nul[7]);
	v[8] = float_or_null(s->ecdf_max, &nul[8]);
	v[9] = Int64GetDatum(nt);
	v[10] = Int64GetDatum(nc);
	v[11] = Float8GetDatum(esst);
	v[12] = Float8GetDatum(essc);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
}

/*
 * balance_table(relation, unit_column, treatment_column, covariate_columns,
 * weight_column, estimand)
 */
Datum
si_balance_table_sql(PG_FUNCTION_ARGS)
{
	const char *fname = "balance_table";
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid = si_design_relation_arg(fcinfo, 0, fname);
	const char *unit_column = si_design_name_arg(fcinfo, 1, "unit_column", true);
	const char *treatment_column = si_design_name_arg(fcinfo, 2, "treatment_column", true);
	int			ncov;
	const char **covariates = si_design_names_arg(fcinfo, 3, "covariate_columns", true, &ncov);
	const char *weight_column = si_design_name_arg(fcinfo, 4, "weight_column", false);
	SiEstimand	estimand = si_estimand_arg(fcinfo, 5, fname);
	SiSmdDenominator which = estimand == SI_ESTIMAND_ATT ? SI_SMD_TREATED : SI_SMD_POOLED;
	SiDesign   *d;
	SiBalancePoint *work;
	int64		nt_u,
				nc_u,
				nt_a = 0,
				nc_a = 0;
	double		esst_u,
				essc_u,
				esst_a = 0,
				essc_a = 0;
	int			j;

	if (ncov == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: covariate_columns is empty", fname),
				 errhint("Name the covariates to compare, e.g. ARRAY['age', 'educ']::name[].")));

	InitMaterializedSRF(fcinfo, 0);
	d = si_design_read(relid, unit_column, treatment_column, covariates, ncov,
					   weight_column, NULL, 0, fname);

	si_balance_sizes(d->n, d->treated, NULL, &nt_u, &nc_u, &esst_u, &essc_u);
	if (d->weight)
	{
		si_balance_sizes(d->n, d->treated, d->weight, &nt_a, &nc_a, &esst_a, &essc_a);
		if (nt_a == 0 || nc_a == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: no %s unit has a positive weight in weight column \"%s\"",
							fname, nt_a == 0 ? "treated" : "control", weight_column),
					 errhint("A weight of 0 leaves a unit out of the adjusted sample; the adjusted sample needs treated and controls.")));
	}

	if ((Size) d->n > MaxAllocHugeSize / sizeof(SiBalancePoint))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " INT64_FORMAT " rows do not fit in memory", fname, d->n),
				 errhint("Compare balance on a sample of the rows.")));
	work = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(SiBalancePoint) * d->n);

	for (j = 0; j < d->p; j++)
	{
		const double *x = d->x + j;
		bool		binary = si_balance_is_binary(d->n, x, d->p);
		bool		fallback;
		double		denominator;
		const char *denominator_name;
		SiBalanceStats s;

		CHECK_FOR_INTERRUPTS();
		denominator = si_balance_smd_denominator(d->n, x, d->p, d->treated, which,
												 binary, &fallback);
		if (fallback)
			denominator_name = "pooled (sizes)";
		else
			denominator_name = which == SI_SMD_TREATED ? "treated" : "pooled";

		si_balance_term(d->n, x, d->p, d->treated, NULL, binary, denominator, work, &s);
		put_row(rsinfo, d->term[j], "unadjusted", &s, denominator_name,
				nt_u, nc_u, esst_u, essc_u);
		if (d->weight)
		{
			si_balance_term(d->n, x, d->p, d->treated, d->weight, binary, denominator, work, &s);
			put_row(rsinfo, d->term[j], "adjusted", &s, denominator_name,
					nt_a, nc_a, esst_a, essc_a);
		}
	}
	return (Datum) 0;
}
