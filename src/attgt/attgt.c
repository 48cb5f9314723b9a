/*
 * attgt.c — SQL functions for staggered-adoption DiD (Callaway &
 * Sant'Anna 2021, as R did 2.5.1): att_gt, att_gt_aggregate,
 * att_gt_pretest, att_gt_sample and att_gt_event_vcov. Each reads the
 * panel once (attgt_read.c), estimates the cells (attgt_est.c) and
 * returns rows.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "attgt.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_att_gt);
PG_FUNCTION_INFO_V1(si_att_gt_aggregate);
PG_FUNCTION_INFO_V1(si_att_gt_pretest);
PG_FUNCTION_INFO_V1(si_att_gt_sample);
PG_FUNCTION_INFO_V1(si_att_gt_event_vcov);

#define SE_ZERO (sqrt(DBL_EPSILON) * 10.0)

static char *
text_arg(FunctionCallInfo fcinfo, int k)
{
	return PG_ARGISNULL(k) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(k));
}

/*
 * The deprecated names of 0.3.0 (docs/conventions.md) are the last
 * ATTGT_NALIAS arguments of every att_gt function, DEFAULT NULL, in this
 * order: data, outcome, unit, period, cohort, covariates, weights,
 * cluster, alpha.
 */
#define ATTGT_NALIAS 9
#define ALIAS(j) (PG_NARGS() - ATTGT_NALIAS + (j))

/*
 * A column argument (type name) at k, or its deprecated alias (type text)
 * at ALIAS(j); NULL when neither is given.
 */
static char *
column_arg(FunctionCallInfo fcinfo, int k, const char *name, int j, const char *alias)
{
	int			a = si_alias_arg(fcinfo, k, name, ALIAS(j), alias);

	if (a < 0)
		return NULL;
	if (a == k)
		return pstrdup(NameStr(*PG_GETARG_NAME(k)));
	return text_to_cstring(PG_GETARG_TEXT_PP(a));
}

static char *
required_column(FunctionCallInfo fcinfo, int k, const char *name, int j, const char *alias)
{
	char	   *s = column_arg(fcinfo, k, name, j, alias);

	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", name),
				 errhint("Give the name of a column of the table.")));
	return s;
}

/* the relation and column arguments (0..4) and the options starting at o */
static AttgtOptions *
parse_options(FunctionCallInfo fcinfo, int o)
{
	AttgtOptions *opt = palloc0(sizeof(AttgtOptions));
	char	   *s;
	int			a;

	a = si_alias_arg(fcinfo, 0, "relation", ALIAS(0), "data");
	if (a < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("relation must not be NULL"),
				 errhint("Pass a table or view, e.g. 'my_panel'::regclass.")));
	opt->relid = PG_GETARG_OID(a);
	opt->outcome = required_column(fcinfo, 1, "outcome_column", 1, "outcome");
	opt->unit = required_column(fcinfo, 2, "unit_column", 2, "unit");
	opt->period = required_column(fcinfo, 3, "period_column", 3, "period");
	opt->cohort = required_column(fcinfo, 4, "cohort_column", 4, "cohort");

	s = text_arg(fcinfo, o + 0);
	if (s == NULL || strcmp(s, "nevertreated") == 0)
		opt->notyettreated = false;
	else if (strcmp(s, "notyettreated") == 0)
		opt->notyettreated = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("control_group \"%s\" is not known", s),
				 errhint("Use 'nevertreated' or 'notyettreated'.")));
	opt->anticipation = PG_ARGISNULL(o + 1) ? 0 : PG_GETARG_INT32(o + 1);
	/* the upper bound keeps period arithmetic (cohort - anticipation) in range */
	if (opt->anticipation < 0 || opt->anticipation > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("anticipation must be between 0 and 1000000 (got %d)", opt->anticipation),
				 errhint("anticipation is the number of periods before g in which units may react.")));
	s = text_arg(fcinfo, o + 2);
	if (s == NULL || strcmp(s, "varying") == 0)
		opt->universal = false;
	else if (strcmp(s, "universal") == 0)
		opt->universal = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("base_period \"%s\" is not known", s),
				 errhint("Use 'varying' or 'universal'.")));
	a = si_alias_arg(fcinfo, o + 3, "covariate_columns", ALIAS(5), "covariates");
	if (a >= 0)
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(a);
		bool		is_name = (a == o + 3);
		Datum	   *el;
		bool	   *nul;
		int			ne,
					j;

		if (is_name)
			deconstruct_array(arr, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR, &el, &nul, &ne);
		else
			deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &el, &nul, &ne);
		if (ne >= DRDID_MAXK)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many covariates (%d)", ne),
					 errhint("At most %d covariates are supported.", DRDID_MAXK - 1)));
		opt->ncov = ne;
		opt->covariates = palloc(sizeof(char *) * Max(ne, 1));
		for (j = 0; j < ne; j++)
		{
			if (nul[j])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("covariate_columns must not contain NULL"),
						 errhint("List column names of the table.")));
			opt->covariates[j] = is_name ? pstrdup(NameStr(*DatumGetName(el[j])))
				: TextDatumGetCString(el[j]);
		}
	}
	s = text_arg(fcinfo, o + 4);
	if (s == NULL || strcmp(s, "dr") == 0)
		opt->method = ATTGT_DR;
	else if (strcmp(s, "reg") == 0)
		opt->method = ATTGT_REG;
	else if (strcmp(s, "ipw") == 0)
		opt->method = ATTGT_IPW;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("est_method \"%s\" is not known", s),
				 errhint("Use 'dr' (doubly robust, the default), 'reg' (outcome regression) or 'ipw'.")));
	opt->weights = column_arg(fcinfo, o + 5, "weight_column", 6, "weights");
	opt->cluster = column_arg(fcinfo, o + 6, "cluster_column", 7, "cluster");
	if (opt->cluster && strcmp(opt->cluster, opt->unit) == 0)
		opt->cluster = NULL;	/* clustering at the unit is the default */
	/* conf_level; internally alpha = 1 - conf_level, exactly 0.05 at 0.95 as in R did */
	if (!PG_ARGISNULL(ALIAS(8)))
	{
		double		alpha = PG_GETARG_FLOAT8(ALIAS(8));

		si_deprecated("argument alpha", "conf_level (conf_level = 1 - alpha)");
		if (!PG_ARGISNULL(o + 7) && PG_GETARG_FLOAT8(o + 7) != 0.95 &&
			fabs(PG_GETARG_FLOAT8(o + 7) - (1.0 - alpha)) > 1e-12)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("alpha = %g and conf_level = %g disagree; give only conf_level",
							alpha, PG_GETARG_FLOAT8(o + 7)),
					 errhint("alpha is the deprecated form of conf_level = 1 - alpha.")));
		if (!(alpha > 0.0 && alpha < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("alpha must lie strictly between 0 and 1 (got %g)", alpha),
					 errhint("Give conf_level instead, e.g. 0.95 for 95%% intervals.")));
		opt->alpha = alpha;
	}
	else
	{
		double		conf_level = PG_ARGISNULL(o + 7) ? 0.95 : PG_GETARG_FLOAT8(o + 7);

		if (!(conf_level > 0.0 && conf_level < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("conf_level must lie strictly between 0 and 1 (got %g)", conf_level),
					 errhint("conf_level is the coverage of the intervals, e.g. 0.95 for 95%% intervals.")));
		opt->alpha = conf_level == 0.95 ? 0.05 : 1.0 - conf_level;
	}
	opt->bootstrap = PG_ARGISNULL(o + 8) ? 0 : PG_GETARG_INT32(o + 8);
	if (opt->bootstrap < 0 || (opt->bootstrap > 0 && opt->bootstrap < 10) || opt->bootstrap > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bootstrap must be 0 (analytical standard errors) or between 10 and 1000000 draws (got %d)",
						opt->bootstrap),
				 errhint("R did uses 1000 draws by default.")));
	attgt_bootstrap_check(opt->bootstrap);
	opt->seed = PG_ARGISNULL(o + 9) ? 42 : PG_GETARG_INT64(o + 9);
	return opt;
}

static double
nan_to_null(double x, bool *isnull)
{
	*isnull = isnan(x);
	return x;
}

Datum
si_att_gt(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttgtOptions *opt = parse_options(fcinfo, 5);
	AttgtRun   *r;
	double		crit;
	double	   *bse = NULL;
	int			j;

	InitMaterializedSRF(fcinfo, 0);
	r = attgt_estimate(opt);
	crit = r->crit;
	if (opt->bootstrap > 0)
	{
		/* the cells' functionals are built a block at a time inside */
		bse = palloc(sizeof(double) * r->ncells);
		attgt_bootstrap(r, NULL, r->ncells, bse, &crit);
	}
	for (j = 0; j < r->ncells; j++)
	{
		AttgtCell  *c = &r->cells[j];
		Datum		v[12];
		bool		nul[12] = {0};
		double		se = bse ? bse[j] : c->se;

		if (c->is_base)
			se = NAN;
		/* date periods: codes of the grid; event time in periods */
		v[0] = Int32GetDatum(attgt_plabel(r->P, c->g));
		v[1] = Int32GetDatum(attgt_plabel(r->P, r->P->tval[c->t]));
		v[2] = Int32GetDatum(attgt_plabel(r->P, r->P->tval[c->b]));
		v[3] = Int32GetDatum(r->P->tval[c->t] - c->g);
		v[4] = BoolGetDatum(c->post);
		v[5] = Float8GetDatum(c->att);
		v[6] = Float8GetDatum(nan_to_null(se, &nul[6]));
		v[7] = Float8GetDatum(nan_to_null(c->att - crit * se, &nul[7]));
		v[8] = Float8GetDatum(nan_to_null(c->att + crit * se, &nul[8]));
		v[9] = Float8GetDatum(crit);
		v[10] = Int64GetDatum((int64) c->n_treated);
		v[11] = Int64GetDatum((int64) c->n_control);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	}
	return (Datum) 0;
}

/* ---- aggregation (did::aggte) ---- */

typedef enum
{
	AGG_SIMPLE,
	AGG_DYNAMIC,
	AGG_GROUP,
	AGG_CALENDAR
} AggType;

typedef struct AggResult
{
	int			m;				/* components */
	int32	   *key;
	AttgtLin  **comp;
	AttgtLin   *overall;
} AggResult;

static AggType
parse_type(const char *s)
{
	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("type must not be NULL"),
				 errhint("Use 'simple', 'dynamic', 'group' or 'calendar'.")));
	if (strcmp(s, "simple") == 0)
		return AGG_SIMPLE;
	if (strcmp(s, "dynamic") == 0)
		return AGG_DYNAMIC;
	if (strcmp(s, "group") == 0)
		return AGG_GROUP;
	if (strcmp(s, "calendar") == 0)
		return AGG_CALENDAR;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("type \"%s\" is not known", s),
			 errhint("Use 'simple', 'dynamic' (event study), 'group' or 'calendar'.")));
	return AGG_SIMPLE;
}

/* a component over the chosen cells with weights pg / sum(pg), plus wif */
static AttgtLin *
weighted_component(AttgtRun *r, const bool *sel, bool with_wif)
{
	AttgtLin   *l = attgt_lin_new(r);
	int			j,
				nk = 0;
	double		sp = 0.0;
	int32	   *kg = palloc(sizeof(int32) * r->ncells);
	double	   *kpg = palloc(sizeof(double) * r->ncells);
	double	   *katt = palloc(sizeof(double) * r->ncells);

	for (j = 0; j < r->ncells; j++)
		if (sel[j])
		{
			AttgtCell  *c = &r->cells[j];

			kg[nk] = c->g;
			kpg[nk] = r->pgg[attgt_gidx(r, c->g)];
			katt[nk] = c->att;
			sp += kpg[nk];
			nk++;
		}
	if (nk == 0)
		return NULL;
	l->att = 0.0;
	for (j = 0; j < r->ncells; j++)
		if (sel[j])
		{
			double		wt = r->pgg[attgt_gidx(r, r->cells[j].g)] / sp;

			l->cw[j] = wt;
			l->att += wt * r->cells[j].att;
		}
	if (with_wif)
		attgt_lin_add_wif(l, r, nk, kg, kpg, katt);
	return l;
}

static AggResult *
aggregate(AttgtRun *r, AggType type, bool has_min, int min_e, bool has_max, int max_e,
		  bool has_bal, int balance_e)
{
	AggResult  *a = palloc0(sizeof(AggResult));
	AttgtPanel *P = r->P;
	int			nc = r->ncells,
				j,
				k;
	bool	   *sel = palloc(sizeof(bool) * nc);
	double		maxe = has_max ? max_e : 1e300;

	a->key = palloc(sizeof(int32) * (nc + r->ng + P->T));
	a->comp = palloc(sizeof(AttgtLin *) * (nc + r->ng + P->T));
	if (type == AGG_SIMPLE)
	{
		for (j = 0; j < nc; j++)
		{
			AttgtCell  *c = &r->cells[j];

			sel[j] = c->g <= P->tval[c->t] && P->tval[c->t] <= c->g + maxe;
		}
		a->overall = weighted_component(r, sel, true);
		if (a->overall == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("there are no post-treatment cells to aggregate")));
	}
	else if (type == AGG_DYNAMIC)
	{
		int32		tmax = P->tval[P->T - 1];
		int32		tfirst = Min(P->tval[0], r->glist[0]);
		int32		emin = INT32_MAX,
					emax = INT32_MIN,
					e;
		int			npos = 0;

		for (j = 0; j < nc; j++)
		{
			AttgtCell  *c = &r->cells[j];
			int32		ce = P->tval[c->t] - c->g;

			if (has_bal && tmax - c->g < balance_e)
				continue;
			emin = Min(emin, ce);
			emax = Max(emax, ce);
		}
		a->overall = attgt_lin_new(r);
		for (e = emin; e <= emax && emin <= emax; e++)
		{
			AttgtLin   *l;

			if (has_bal && !(e <= balance_e && e >= balance_e - tmax + tfirst))
				continue;
			if (has_min && e < min_e)
				continue;
			if (has_max && e > max_e)
				continue;
			for (j = 0; j < nc; j++)
			{
				AttgtCell  *c = &r->cells[j];

				sel[j] = (P->tval[c->t] - c->g == e) &&
					!(has_bal && tmax - c->g < balance_e);
			}
			l = weighted_component(r, sel, true);
			if (l == NULL)
				continue;
			a->key[a->m] = e;
			a->comp[a->m++] = l;
		}
		for (k = 0; k < a->m; k++)
			if (a->key[k] >= 0)
				npos++;
		if (npos == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("no post-treatment event time is left after min_e, max_e and balance_e"),
					 errhint("Widen the event window; the overall effect averages event times e >= 0.")));
		for (k = 0; k < a->m; k++)
			if (a->key[k] >= 0)
				attgt_lin_add(a->overall, a->comp[k], 1.0 / npos, r);
	}
	else if (type == AGG_GROUP)
	{
		int32	   *kg = palloc(sizeof(int32) * r->ng);
		double	   *katt = palloc(sizeof(double) * r->ng);
		double		sp = 0.0;
		int			gi;

		a->overall = attgt_lin_new(r);
		for (gi = 0; gi < r->ng; gi++)
			sp += r->pgg[gi];
		for (gi = 0; gi < r->ng; gi++)
		{
			AttgtLin   *l;

			for (j = 0; j < nc; j++)
			{
				AttgtCell  *c = &r->cells[j];

				sel[j] = c->g == r->glist[gi] && c->g <= P->tval[c->t] &&
					P->tval[c->t] <= c->g + maxe;
			}
			l = weighted_component(r, sel, false);
			if (l == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cohort %d has no post-treatment cell", r->glist[gi]),
						 errhint("The group aggregation needs every cohort treated within the panel.")));
			a->key[a->m] = r->glist[gi];
			a->comp[a->m++] = l;
			kg[gi] = r->glist[gi];
			katt[gi] = l->att;
			attgt_lin_add(a->overall, l, r->pgg[gi] / sp, r);
		}
		attgt_lin_add_wif(a->overall, r, r->ng, kg, r->pgg, katt);
	}
	else
	{
		int			t,
					ncal = 0;

		a->overall = attgt_lin_new(r);
		for (t = 0; t < P->T; t++)
		{
			AttgtLin   *l;

			if (P->tval[t] < r->glist[0])
				continue;
			for (j = 0; j < nc; j++)
			{
				AttgtCell  *c = &r->cells[j];

				sel[j] = c->t == t && c->g <= P->tval[t];
			}
			l = weighted_component(r, sel, true);
			if (l == NULL)
				continue;
			a->key[a->m] = P->tval[t];
			a->comp[a->m++] = l;
			ncal++;
		}
		for (k = 0; k < a->m; k++)
			attgt_lin_add(a->overall, a->comp[k], 1.0 / ncal, r);
	}
	return a;
}

static const char *
type_name(AggType t)
{
	switch (t)
	{
		case AGG_SIMPLE:
			return "simple";
		case AGG_DYNAMIC:
			return "dynamic";
		case AGG_GROUP:
			return "group";
		case AGG_CALENDAR:
			return "calendar";
	}
	return "?";
}

static const char *
level_name(AggType t)
{
	switch (t)
	{
		case AGG_SIMPLE:
			return "overall";
		case AGG_DYNAMIC:
			return "event_time";
		case AGG_GROUP:
			return "cohort";
		case AGG_CALENDAR:
			return "period";
	}
	return "?";
}

Datum
si_att_gt_aggregate(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AggType		type = parse_type(text_arg(fcinfo, 5));
	AttgtOptions *opt = parse_options(fcinfo, 9);
	AttgtRun   *r;
	AggResult  *a;
	double	   *se;
	double		crit,
				zcrit;
	int			k;

	InitMaterializedSRF(fcinfo, 0);
	if (type == AGG_CALENDAR && !(PG_ARGISNULL(6) && PG_ARGISNULL(7) && PG_ARGISNULL(8)))
		ereport(NOTICE,
				(errmsg("min_e, max_e and balance_e are ignored by the calendar aggregation (as in R did)")));
	r = attgt_estimate(opt);
	a = aggregate(r, type, !PG_ARGISNULL(6), PG_ARGISNULL(6) ? 0 : PG_GETARG_INT32(6),
				  !PG_ARGISNULL(7), PG_ARGISNULL(7) ? 0 : PG_GETARG_INT32(7),
				  !PG_ARGISNULL(8), PG_ARGISNULL(8) ? 0 : PG_GETARG_INT32(8));
	zcrit = r->crit;
	crit = zcrit;
	se = palloc(sizeof(double) * (a->m + 1));
	if (opt->bootstrap > 0)
	{
		AttgtLin  **all = palloc(sizeof(AttgtLin *) * (a->m + 1));
		double		c1;

		for (k = 0; k < a->m; k++)
			all[k] = a->comp[k];
		if (a->m > 0)
			attgt_bootstrap(r, all, a->m, se, &crit);
		all[0] = a->overall;
		attgt_bootstrap(r, all, 1, se + a->m, &c1);
	}
	else
	{
		for (k = 0; k < a->m; k++)
			se[k] = attgt_lin_se(r, a->comp[k]);
		se[a->m] = attgt_lin_se(r, a->overall);
	}
	for (k = 0; k <= a->m; k++)
	{
		Datum		v[8];
		bool		nul[8] = {0};
		bool		isov = (k == a->m);
		AttgtLin   *l = isov ? a->overall : a->comp[k];
		double		s = se[k];
		double		cv = isov ? zcrit : crit;

		if (s <= SE_ZERO)
			s = NAN;
		v[0] = CStringGetTextDatum(type_name(type));
		v[1] = CStringGetTextDatum(isov ? "overall" : level_name(type));
		if (isov)
			nul[2] = true;
		else if (type == AGG_GROUP || type == AGG_CALENDAR)
			v[2] = Int32GetDatum(attgt_plabel(r->P, a->key[k]));
		else
			v[2] = Int32GetDatum(a->key[k]);
		v[3] = Float8GetDatum(l->att);
		v[4] = Float8GetDatum(nan_to_null(s, &nul[4]));
		v[5] = Float8GetDatum(nan_to_null(l->att - cv * s, &nul[5]));
		v[6] = Float8GetDatum(nan_to_null(l->att + cv * s, &nul[6]));
		v[7] = Float8GetDatum(cv);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	}
	return (Datum) 0;
}

Datum
si_att_gt_pretest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttgtOptions *opt = parse_options(fcinfo, 5);
	AttgtRun   *r;
	Datum		v[3];
	bool		nul[3] = {0};

	InitMaterializedSRF(fcinfo, 0);
	r = attgt_estimate(opt);
	attgt_pretest(r);
	if (r->W_df > 0 && !r->have_w)
		ereport(NOTICE,
				(errmsg("the covariance matrix of the pre-treatment estimates is singular; no Wald statistic")));
	attgt_pretest_hint(r);
	v[0] = Float8GetDatum(r->W);
	nul[0] = !r->have_w;
	v[1] = Int32GetDatum(r->W_df);
	v[2] = Float8GetDatum(r->W_p);
	nul[2] = !r->have_w;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	return (Datum) 0;
}

static void
put_sample(ReturnSetInfo *rsinfo, int step, const char *reason, int64 units, int64 rows, bool rows_null)
{
	Datum		v[4];
	bool		nul[4] = {0};

	v[0] = Int32GetDatum(step);
	v[1] = CStringGetTextDatum(reason);
	v[2] = Int64GetDatum(units);
	v[3] = Int64GetDatum(rows);
	nul[3] = rows_null;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
}

Datum
si_att_gt_sample(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttgtOptions *opt = parse_options(fcinfo, 5);
	AttgtPanel *P;
	int			i,
				never = 0;
	char		buf[160];

	InitMaterializedSRF(fcinfo, 0);
	P = attgt_read_panel(opt);
	put_sample(rsinfo, 1, "read", P->units_read, P->rows_read, false);
	put_sample(rsinfo, 2, "cohort after the last period: used as never treated", P->units_late, 0, true);
	put_sample(rsinfo, 3, "dropped: treated in or before the first period (+ anticipation)", P->units_always, 0, true);
	put_sample(rsinfo, 4, "no never-treated units: last cohort used as control only", P->units_last_as_control, 0, true);
	put_sample(rsinfo, 5, "dropped periods from the last cohort's start (no never-treated units)", 0, P->rows_dropped, false);
	put_sample(rsinfo, 6, "unbalanced: units missing some period (kept; per-period estimator)", P->units_unbalanced, 0, true);
	{
		int			nopre = 0,
					t;

		for (i = 0; i < P->n; i++)
		{
			bool		pre = false;

			if (P->cohort[i] == 0)
				continue;
			for (t = 0; t < P->T && P->tval[t] + opt->anticipation < P->cohort[i]; t++)
				if (!isnan(P->y[t][i]))
				{
					pre = true;
					break;
				}
			if (!pre)
				nopre++;
		}
		put_sample(rsinfo, 6, "unbalanced: treated units with no row before treatment (kept; post-period means only)", nopre, 0, true);
	}
	for (i = 0; i < P->n; i++)
		if (P->cohort[i] == 0)
			never++;
	put_sample(rsinfo, 7, "used: never treated", never, 0, true);
	{
		int32	   *c = palloc(sizeof(int32) * P->n);
		int			m = 0,
					j;

		for (i = 0; i < P->n; i++)
			if (P->cohort[i] != 0)
			{
				/* insertion into a small sorted list of distinct cohorts */
				for (j = 0; j < m && c[j] < P->cohort[i]; j++);
				if (j < m && c[j] == P->cohort[i])
					continue;
				memmove(c + j + 1, c + j, sizeof(int32) * (m - j));
				c[j] = P->cohort[i];
				m++;
			}
		for (j = 0; j < m; j++)
		{
			int			cnt = 0;

			for (i = 0; i < P->n; i++)
				if (P->cohort[i] == c[j])
					cnt++;
			snprintf(buf, sizeof(buf), "used: cohort %d", attgt_plabel(P, c[j]));
			put_sample(rsinfo, 8, buf, cnt, 0, true);
		}
	}
	put_sample(rsinfo, 9, "used: total", P->n, 0, true);
	return (Datum) 0;
}

Datum
si_att_gt_event_vcov(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttgtOptions *opt = parse_options(fcinfo, 8);
	AttgtRun   *r;
	AggResult  *a;
	double	   *V;
	int			j,
				k;

	InitMaterializedSRF(fcinfo, 0);
	r = attgt_estimate(opt);
	a = aggregate(r, AGG_DYNAMIC, !PG_ARGISNULL(5), PG_ARGISNULL(5) ? 0 : PG_GETARG_INT32(5),
				  !PG_ARGISNULL(6), PG_ARGISNULL(6) ? 0 : PG_GETARG_INT32(6),
				  !PG_ARGISNULL(7), PG_ARGISNULL(7) ? 0 : PG_GETARG_INT32(7));
	V = palloc(sizeof(double) * a->m * a->m);
	attgt_lin_vcov(r, a->comp, a->m, V);
	for (j = 0; j < a->m; j++)
		for (k = 0; k < a->m; k++)
		{
			Datum		v[3];
			bool		nul[3] = {0};

			v[0] = Int32GetDatum(a->key[j]);
			v[1] = Int32GetDatum(a->key[k]);
			v[2] = Float8GetDatum(V[j * a->m + k]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
		}
	return (Datum) 0;
}
