/*
 * attgt.c — SQL functions for staggered-adoption DiD (Callaway &
 * Sant'Anna 2021, as R did 2.5.1): att_gt, att_gt_aggregate,
 * att_gt_pretest, att_gt_sample and att_gt_event_vcov. Each reads the
 * panel once (attgt_read.c), estimates the cells (attgt_est.c) and
 * returns rows.
 *
 * Glue only: argument checks, errors and result rows. Estimation,
 * influence functions, bootstrap and aggregation weights belong in
 * src/math/attgt_*.c (docs/methods.md, *Group-time average treatment
 * effects*); the only arithmetic here is the interval att -+ crit * se.
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
PG_FUNCTION_INFO_V1(si_att_gt_fit);
PG_FUNCTION_INFO_V1(si_att_gt_from_fit);
PG_FUNCTION_INFO_V1(si_att_gt_aggregate_from_fit);
PG_FUNCTION_INFO_V1(si_att_gt_pretest_from_fit);
PG_FUNCTION_INFO_V1(si_att_gt_sample_from_fit);
PG_FUNCTION_INFO_V1(si_att_gt_event_vcov_from_fit);

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
#define ALIAS(j) (abase + (j))

/*
 * A column argument (type name) at k, or its deprecated alias (type text)
 * at ALIAS(j); NULL when neither is given.
 */
static char *
column_arg(FunctionCallInfo fcinfo, int abase, int k, const char *name, int j, const char *alias)
{
	int			a = si_alias_arg(fcinfo, k, name, ALIAS(j), alias);

	if (a < 0)
		return NULL;
	if (a == k)
		return pstrdup(NameStr(*PG_GETARG_NAME(k)));
	return text_to_cstring(PG_GETARG_TEXT_PP(a));
}

static char *
required_column(FunctionCallInfo fcinfo, int abase, int k, const char *name, int j, const char *alias)
{
	char	   *s = column_arg(fcinfo, abase, k, name, j, alias);

	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", name),
				 errhint("Give the name of a column of the table.")));
	return s;
}

/*
 * A text option at k naming one of choices (a NULL-terminated list); a
 * NULL argument means choices[0], the default. Returns the index.
 */
static int
choice_arg(FunctionCallInfo fcinfo, int k, const char *name, const char *const *choices,
		   const char *hint)
{
	char	   *s = text_arg(fcinfo, k);
	int			j;

	if (s == NULL)
		return 0;
	for (j = 0; choices[j] != NULL; j++)
		if (strcmp(s, choices[j]) == 0)
			return j;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s \"%s\" is not known", name, s),
			 errhint("%s", hint)));
	return 0;
}

/* alpha = 1 - conf_level, exactly 0.05 at 0.95 as in R did */
static double
conf_level_alpha(double conf_level)
{
	if (!(conf_level > 0.0 && conf_level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conf_level must lie strictly between 0 and 1 (got %g)", conf_level),
				 errhint("conf_level is the coverage of the intervals, e.g. 0.95 for 95%% intervals.")));
	return conf_level == 0.95 ? 0.05 : 1.0 - conf_level;
}

/* the number of bootstrap draws, checked (also against work_mem) */
static int
bootstrap_draws(int B)
{
	if (B < 0 || (B > 0 && B < 10) || B > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bootstrap must be 0 (analytical standard errors) or between 10 and 1000000 draws (got %d)", B),
				 errhint("R did uses 1000 draws by default.")));
	attgt_bootstrap_check(B);
	return B;
}

/*
 * bootstrap at k and seed at k + 1 (NULL: 0 draws, seed 42): with
 * conf_level the inference options, which do not change the cells (so a
 * stored fit leaves them to its readers).
 */
static void
inference_args(FunctionCallInfo fcinfo, int k, AttgtSpec *spec)
{
	spec->bootstrap = bootstrap_draws(PG_ARGISNULL(k) ? 0 : PG_GETARG_INT32(k));
	spec->seed = PG_ARGISNULL(k + 1) ? 42 : PG_GETARG_INT64(k + 1);
}

/*
 * The relation and column arguments (0..4) and the options starting at o;
 * aliases: the function ends with the ATTGT_NALIAS deprecated names (the
 * functions of 0.2.0; att_gt_fit has none).
 */
static AttgtOptions *
parse_options(FunctionCallInfo fcinfo, int o, bool aliases)
{
	int			abase = aliases ? PG_NARGS() - ATTGT_NALIAS : PG_NARGS();
	static const char *const control_groups[] = {"nevertreated", "notyettreated", NULL};
	static const char *const base_periods[] = {"varying", "universal", NULL};
	static const char *const method_names[] = {"dr", "reg", "ipw", NULL};
	static const AttgtMethod methods[] = {ATTGT_DR, ATTGT_REG, ATTGT_IPW};
	AttgtOptions *opt = palloc0(sizeof(AttgtOptions));
	int			a;

	a = si_alias_arg(fcinfo, 0, "relation", ALIAS(0), "data");
	if (a < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("relation must not be NULL"),
				 errhint("Pass a table or view, e.g. 'my_panel'::regclass.")));
	opt->relid = PG_GETARG_OID(a);
	opt->outcome = required_column(fcinfo, abase, 1, "outcome_column", 1, "outcome");
	opt->unit = required_column(fcinfo, abase, 2, "unit_column", 2, "unit");
	opt->period = required_column(fcinfo, abase, 3, "period_column", 3, "period");
	opt->cohort = required_column(fcinfo, abase, 4, "cohort_column", 4, "cohort");

	opt->spec.notyettreated =
		choice_arg(fcinfo, o + 0, "control_group", control_groups,
				   "Use 'nevertreated' or 'notyettreated'.") == 1;
	opt->spec.anticipation = PG_ARGISNULL(o + 1) ? 0 : PG_GETARG_INT32(o + 1);
	/* the upper bound keeps period arithmetic (cohort - anticipation) in range */
	if (opt->spec.anticipation < 0 || opt->spec.anticipation > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("anticipation must be between 0 and 1000000 (got %d)", opt->spec.anticipation),
				 errhint("anticipation is the number of periods before g in which units may react.")));
	opt->spec.universal =
		choice_arg(fcinfo, o + 2, "base_period", base_periods,
				   "Use 'varying' or 'universal'.") == 1;
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
	opt->spec.method =
		methods[choice_arg(fcinfo, o + 4, "est_method", method_names,
						   "Use 'dr' (doubly robust, the default), 'reg' (outcome regression) or 'ipw'.")];
	opt->weights = column_arg(fcinfo, abase, o + 5, "weight_column", 6, "weights");
	opt->cluster = column_arg(fcinfo, abase, o + 6, "cluster_column", 7, "cluster");
	if (opt->cluster && strcmp(opt->cluster, opt->unit) == 0)
		opt->cluster = NULL;	/* clustering at the unit is the default */
	/* conf_level, or its deprecated form alpha */
	if (aliases && !PG_ARGISNULL(ALIAS(8)))
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
		opt->spec.alpha = alpha;
	}
	else if (PG_NARGS() > o + 7)
		opt->spec.alpha = conf_level_alpha(PG_ARGISNULL(o + 7) ? 0.95 : PG_GETARG_FLOAT8(o + 7));
	else
		opt->spec.alpha = 0.05;	/* att_gt_fit: the readers take the inference options */
	if (PG_NARGS() > o + 9)
		inference_args(fcinfo, o + 8, &opt->spec);
	return opt;
}

static double
nan_to_null(double x, bool *isnull)
{
	*isnull = isnan(x);
	return x;
}

/* ---- the rows of each function, from an estimate (of a table or a fit) ---- */

static void
emit_cells(ReturnSetInfo *rsinfo, const AttgtRun *r)
{
	double		crit = r->crit;
	double	   *bse = NULL;
	int			j;

	if (r->spec.bootstrap > 0)
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
}

Datum
si_att_gt(PG_FUNCTION_ARGS)
{
	AttgtOptions *opt = parse_options(fcinfo, 5, true);

	InitMaterializedSRF(fcinfo, 0);
	emit_cells((ReturnSetInfo *) fcinfo->resultinfo, attgt_estimate(opt));
	return (Datum) 0;
}

/* ---- aggregation (did::aggte) ---- */

/* the aggregation type at k: required, one of AttgtAggType's names in order */
static AttgtAggType
parse_type(FunctionCallInfo fcinfo, int k)
{
	static const char *const types[] = {"simple", "dynamic", "group", "calendar", NULL};

	if (PG_ARGISNULL(k))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("type must not be NULL"),
				 errhint("Use 'simple', 'dynamic', 'group' or 'calendar'.")));
	return (AttgtAggType) choice_arg(fcinfo, k, "type", types,
									 "Use 'simple', 'dynamic' (event study), 'group' or 'calendar'.");
}

/*
 * did::aggte's aggregation of the cells, with the limits min_e, max_e and
 * balance_e at k, k + 1, k + 2; its errors as the user reads them
 */
static AttgtAggResult *
aggregate(const AttgtRun *r, AttgtAggType type, FunctionCallInfo fcinfo, int k)
{
	AttgtAggResult *a = palloc0(sizeof(AttgtAggResult));
	AttgtAggLimits lim;
	int32		bad_g = 0;

	lim.has_min = !PG_ARGISNULL(k);
	lim.min_e = lim.has_min ? PG_GETARG_INT32(k) : 0;
	lim.has_max = !PG_ARGISNULL(k + 1);
	lim.max_e = lim.has_max ? PG_GETARG_INT32(k + 1) : 0;
	lim.has_bal = !PG_ARGISNULL(k + 2);
	lim.balance_e = lim.has_bal ? PG_GETARG_INT32(k + 2) : 0;
	switch (attgt_aggregate(r, type, &lim, a, &bad_g))
	{
		case ATTGT_AGG_NO_POST:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("there are no post-treatment cells to aggregate")));
			break;
		case ATTGT_AGG_NO_EVENT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("no post-treatment event time is left after min_e, max_e and balance_e"),
					 errhint("Widen the event window; the overall effect averages event times e >= 0.")));
			break;
		case ATTGT_AGG_COHORT_NO_POST:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cohort %d has no post-treatment cell", bad_g),
					 errhint("The group aggregation needs every cohort treated within the panel.")));
			break;
	}
	return a;
}

static const char *
type_name(AttgtAggType t)
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
level_name(AttgtAggType t)
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

/* before estimating: the calendar aggregation has no event-time limits (k..k+2) */
static void
calendar_limits_notice(FunctionCallInfo fcinfo, AttgtAggType type, int k)
{
	if (type == AGG_CALENDAR && !(PG_ARGISNULL(k) && PG_ARGISNULL(k + 1) && PG_ARGISNULL(k + 2)))
		ereport(NOTICE,
				(errmsg("min_e, max_e and balance_e are ignored by the calendar aggregation (as in R did)")));
}

/* the rows of att_gt_aggregate; the limits at k..k+2 */
static void
emit_aggregate(FunctionCallInfo fcinfo, const AttgtRun *r, AttgtAggType type, int k)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttgtAggResult *a = aggregate(r, type, fcinfo, k);
	double	   *se;
	double		crit,
				zcrit;
	int			j;

	zcrit = r->crit;
	crit = zcrit;
	se = palloc(sizeof(double) * (a->m + 1));
	if (r->spec.bootstrap > 0)
	{
		AttgtLin  **all = palloc(sizeof(AttgtLin *) * (a->m + 1));
		double		c1;

		for (j = 0; j < a->m; j++)
			all[j] = a->comp[j];
		if (a->m > 0)
			attgt_bootstrap(r, all, a->m, se, &crit);
		all[0] = a->overall;
		attgt_bootstrap(r, all, 1, se + a->m, &c1);
	}
	else
	{
		for (j = 0; j < a->m; j++)
			se[j] = attgt_lin_se(r, a->comp[j]);
		se[a->m] = attgt_lin_se(r, a->overall);
	}
	for (j = 0; j <= a->m; j++)
	{
		Datum		v[8];
		bool		nul[8] = {0};
		bool		isov = (j == a->m);
		AttgtLin   *l = isov ? a->overall : a->comp[j];
		double		s = se[j];
		double		cv = isov ? zcrit : crit;

		if (s <= ATTGT_SE_ZERO)
			s = NAN;
		v[0] = CStringGetTextDatum(type_name(type));
		v[1] = CStringGetTextDatum(isov ? "overall" : level_name(type));
		if (isov)
			nul[2] = true;
		else if (type == AGG_GROUP || type == AGG_CALENDAR)
			v[2] = Int32GetDatum(attgt_plabel(r->P, a->key[j]));
		else
			v[2] = Int32GetDatum(a->key[j]);
		v[3] = Float8GetDatum(l->att);
		v[4] = Float8GetDatum(nan_to_null(s, &nul[4]));
		v[5] = Float8GetDatum(nan_to_null(l->att - cv * s, &nul[5]));
		v[6] = Float8GetDatum(nan_to_null(l->att + cv * s, &nul[6]));
		v[7] = Float8GetDatum(cv);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	}
}

Datum
si_att_gt_aggregate(PG_FUNCTION_ARGS)
{
	AttgtAggType type = parse_type(fcinfo, 5);
	AttgtOptions *opt = parse_options(fcinfo, 9, true);

	InitMaterializedSRF(fcinfo, 0);
	calendar_limits_notice(fcinfo, type, 6);
	emit_aggregate(fcinfo, attgt_estimate(opt), type, 6);
	return (Datum) 0;
}

static void
emit_pretest(ReturnSetInfo *rsinfo, AttgtRun *r)
{
	Datum		v[3];
	bool		nul[3] = {0};

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
}

Datum
si_att_gt_pretest(PG_FUNCTION_ARGS)
{
	AttgtOptions *opt = parse_options(fcinfo, 5, true);

	InitMaterializedSRF(fcinfo, 0);
	emit_pretest((ReturnSetInfo *) fcinfo->resultinfo, attgt_estimate(opt));
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

static void
emit_sample(ReturnSetInfo *rsinfo, const AttgtPanel *P, int anticipation)
{
	int			i,
				never = 0;
	char		buf[160];

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
			for (t = 0; t < P->T && P->tval[t] + anticipation < P->cohort[i]; t++)
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
}

Datum
si_att_gt_sample(PG_FUNCTION_ARGS)
{
	AttgtOptions *opt = parse_options(fcinfo, 5, true);

	InitMaterializedSRF(fcinfo, 0);
	emit_sample((ReturnSetInfo *) fcinfo->resultinfo, attgt_read_panel(opt), opt->spec.anticipation);
	return (Datum) 0;
}

/* the rows of att_gt_event_vcov; the limits at k..k+2 */
static void
emit_event_vcov(FunctionCallInfo fcinfo, const AttgtRun *r, int k)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttgtAggResult *a = aggregate(r, AGG_DYNAMIC, fcinfo, k);
	double	   *V;
	int			j,
				l;

	V = palloc(sizeof(double) * a->m * a->m);
	attgt_lin_vcov(r, a->comp, a->m, V);
	for (j = 0; j < a->m; j++)
		for (l = 0; l < a->m; l++)
		{
			Datum		v[3];
			bool		nul[3] = {0};

			v[0] = Int32GetDatum(a->key[j]);
			v[1] = Int32GetDatum(a->key[l]);
			v[2] = Float8GetDatum(V[j * a->m + l]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
		}
}

Datum
si_att_gt_event_vcov(PG_FUNCTION_ARGS)
{
	AttgtOptions *opt = parse_options(fcinfo, 8, true);

	InitMaterializedSRF(fcinfo, 0);
	emit_event_vcov(fcinfo, attgt_estimate(opt), 5);
	return (Datum) 0;
}

/* ---- the stored estimate: att_gt_fit and the fit forms ---- */

/*
 * att_gt_fit(relation, ... as att_gt): reads the panel once, estimates the
 * cells (errors and NOTICEs now, not at every use) and returns the panel
 * with the options as an att_gt_fit; the cells stay cached for the
 * transaction (attgt_fit.c).
 */
Datum
si_att_gt_fit(PG_FUNCTION_ARGS)
{
	AttgtOptions *opt = parse_options(fcinfo, 5, false);
	AttgtPanel *P = attgt_read_panel(opt);
	struct varlena *fit;

	attgt_sample_notices(P);
	fit = attgt_fit_encode(P, opt);
	attgt_panel_release(P);
	(void) attgt_fit_run(fit, opt, true);
	PG_RETURN_POINTER(fit);
}

/* the cells of the fit in argument 0, with conf_level, bootstrap and seed at k..k+2 (k < 0: none) */
static AttgtRun *
fit_run(FunctionCallInfo fcinfo, int k)
{
	struct varlena *fit = attgt_fit_arg(fcinfo, 0);
	AttgtOptions *opt = attgt_fit_options(fit);

	if (k >= 0)
	{
		opt->spec.alpha = conf_level_alpha(PG_ARGISNULL(k) ? 0.95 : PG_GETARG_FLOAT8(k));
		inference_args(fcinfo, k + 1, &opt->spec);
	}
	return attgt_fit_run(fit, opt, false);
}

/* att_gt(fit, conf_level, bootstrap, seed) */
Datum
si_att_gt_from_fit(PG_FUNCTION_ARGS)
{
	AttgtRun   *r = fit_run(fcinfo, 1);

	InitMaterializedSRF(fcinfo, 0);
	emit_cells((ReturnSetInfo *) fcinfo->resultinfo, r);
	return (Datum) 0;
}

/* att_gt_aggregate(fit, type, min_e, max_e, balance_e, conf_level, bootstrap, seed) */
Datum
si_att_gt_aggregate_from_fit(PG_FUNCTION_ARGS)
{
	AttgtAggType type = parse_type(fcinfo, 1);
	AttgtRun   *r = fit_run(fcinfo, 5);

	InitMaterializedSRF(fcinfo, 0);
	calendar_limits_notice(fcinfo, type, 2);
	emit_aggregate(fcinfo, r, type, 2);
	return (Datum) 0;
}

/* att_gt_pretest(fit) */
Datum
si_att_gt_pretest_from_fit(PG_FUNCTION_ARGS)
{
	AttgtRun   *r = fit_run(fcinfo, -1);

	InitMaterializedSRF(fcinfo, 0);
	emit_pretest((ReturnSetInfo *) fcinfo->resultinfo, r);
	return (Datum) 0;
}

/* att_gt_sample(fit): the sample flow recorded when the fit was made */
Datum
si_att_gt_sample_from_fit(PG_FUNCTION_ARGS)
{
	struct varlena *fit = attgt_fit_arg(fcinfo, 0);
	AttgtOptions *opt = attgt_fit_options(fit);

	InitMaterializedSRF(fcinfo, 0);
	emit_sample((ReturnSetInfo *) fcinfo->resultinfo, attgt_fit_panel(fit), opt->spec.anticipation);
	return (Datum) 0;
}

/* att_gt_event_vcov(fit, min_e, max_e, balance_e) */
Datum
si_att_gt_event_vcov_from_fit(PG_FUNCTION_ARGS)
{
	AttgtRun   *r = fit_run(fcinfo, -1);

	InitMaterializedSRF(fcinfo, 0);
	emit_event_vcov(fcinfo, r, 1);
	return (Datum) 0;
}
