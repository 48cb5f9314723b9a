/*
 * money_path.c — the public cost of a benefit path, split kommune/stat week
 * by week: path_benefit_cost(path, from_week, to_week, ...).
 *
 * The path is walked from its first week so that every benefit week gets
 * its exact seniority (math/refusion.c: 52 self-supporting weeks within
 * 156 reset the count, LBK 221 section 6 stk. 1). Each benefit week in the
 * window is priced with benefit_rate (category of its code, in force in
 * that week or on price_date) and split with the refusion_step row in
 * force for its payer rule and seniority. Weeks are counted per (period,
 * rate row, step row) and multiplied out in numeric at the end, so money
 * never passes through float; gross and kommune of each period row are
 * rounded to cents (weekly rates derived as monthly x 12 / 52 have no
 * finite decimal) and stat = gross - kommune, so the parts add up
 * (docs/methods.md, *Money*).
 *
 * Glue: reads benefit_rate and refusion_step through SPI (as the caller,
 * result types checked), walks paths with src/math/refusion.c and
 * src/paths' decoder; it does not write tables and owns no path format.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "codemap.h"
#include "isoweek.h"
#include "path.h"
#include "refusion.h"
#include "si_common.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(si_path_benefit_cost);
PG_FUNCTION_INFO_V1(si_path_savings);
PG_FUNCTION_INFO_V1(si_path_weeks_value);

typedef struct RateRow
{
	int16		category;		/* category id in the code map, -1 if not in it */
	DateADT		from;
	DateADT		to;
	bool		user;
	Datum		rate;			/* numeric */
} RateRow;

typedef struct StepRow
{
	char		rule;			/* 'r' or 'c' */
	int32		first;
	int32		last;			/* INT32_MAX = open */
	DateADT		from;
	DateADT		to;
	bool		user;
	Datum		kshare;			/* numeric */
} StepRow;

typedef struct MoneyCache
{
	MemoryContext cxt;			/* holds this cache and everything it loaded */
	char		profile[NAMEDATALEN];
	char		variant[NAMEDATALEN];
	SiCodeMap  *map;
	int			nrates;
	RateRow    *rates;
	int			nsteps;
	StepRow    *steps;
} MoneyCache;

typedef enum Grain
{
	GRAIN_WEEK,
	GRAIN_MONTH,
	GRAIN_QUARTER,
	GRAIN_YEAR,
	GRAIN_TOTAL
} Grain;

static Grain
parse_grain(const char *s)
{
	if (strcmp(s, "week") == 0)
		return GRAIN_WEEK;
	if (strcmp(s, "month") == 0)
		return GRAIN_MONTH;
	if (strcmp(s, "quarter") == 0)
		return GRAIN_QUARTER;
	if (strcmp(s, "year") == 0)
		return GRAIN_YEAR;
	if (strcmp(s, "total") == 0)
		return GRAIN_TOTAL;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("grain must be week, month, quarter, year or total, not \"%s\"", s),
			 errhint("Months, quarters and years take the week's Thursday (ISO rule).")));
	return GRAIN_TOTAL;
}

/* period key of the week starting on Monday w */
static DateADT
period_of(Grain g, DateADT w, DateADT total_key)
{
	int			y,
				m,
				d;

	if (g == GRAIN_WEEK)
		return w;
	if (g == GRAIN_TOTAL)
		return total_key;
	isoweek_civil_from_days(w + 3, &y, &m, &d);
	if (g == GRAIN_MONTH)
		return isoweek_days_from_civil(y, m, 1);
	if (g == GRAIN_QUARTER)
		return isoweek_days_from_civil(y, ((m - 1) / 3) * 3 + 1, 1);
	return isoweek_days_from_civil(y, 1, 1);
}

/*
 * Run a read-only query (with text parameters) into SPI_tuptable and check
 * its result column types before any Datum is read; what names the query
 * in errors.
 */
static void
spi_select(const char *sql, int nargs, Oid *argtypes, Datum *args,
		   const Oid *result_types, int ncols, const char *what)
{
	if (SPI_execute_with_args(sql, nargs, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading %s failed", what);
	si_check_result_types(SPI_tuptable->tupdesc, result_types, ncols,
						  psprintf("the %s query", what));
}

static void
load_tables(MoneyCache *c, MemoryContext mcxt)
{
	const char *schema = quote_identifier(get_namespace_name(si_extension_schema()));
	StringInfoData q;
	Oid			argtypes[1] = {TEXTOID};
	static const Oid rate_types[5] = {TEXTOID, DATEOID, DATEOID, BOOLOID, NUMERICOID};
	static const Oid step_types[7] = {TEXTOID, INT4OID, INT4OID, DATEOID, DATEOID, BOOLOID, NUMERICOID};
	Datum		args[1];
	uint64		i;
	MemoryContext old;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/*
	 * Run under the caller's search_path: operators are pg_catalog's by
	 * name, tables the extension schema's, and the result types are checked
	 * before any Datum is read.
	 */
	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT category, valid_from, valid_to, source OPERATOR(pg_catalog.=) 'user'::pg_catalog.text, "
					 "weekly_rate FROM %s.benefit_rate WHERE variant OPERATOR(pg_catalog.=) $1 "
					 "ORDER BY category, source OPERATOR(pg_catalog.=) 'user'::pg_catalog.text DESC, valid_from",
					 schema);
	args[0] = CStringGetTextDatum(c->variant);
	spi_select(q.data, 1, argtypes, args, rate_types, lengthof(rate_types), "benefit_rate");
	old = MemoryContextSwitchTo(mcxt);
	c->nrates = (int) SPI_processed;
	c->rates = palloc0(sizeof(RateRow) * Max(c->nrates, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *cat = TextDatumGetCString(SPI_getbinval(tup, td, 1, &isnull));
		int			k;

		c->rates[i].category = -1;
		for (k = 0; k < c->map->ncategories; k++)
			if (strcmp(c->map->categories[k], cat) == 0)
				c->rates[i].category = (int16) k;
		c->rates[i].from = DatumGetDateADT(SPI_getbinval(tup, td, 2, &isnull));
		c->rates[i].to = DatumGetDateADT(SPI_getbinval(tup, td, 3, &isnull));
		c->rates[i].user = DatumGetBool(SPI_getbinval(tup, td, 4, &isnull));
		c->rates[i].rate = datumCopy(SPI_getbinval(tup, td, 5, &isnull), false, -1);
	}
	MemoryContextSwitchTo(old);

	resetStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT payer_rule, first_week, COALESCE(last_week, 2147483647), valid_from, valid_to, "
					 "source OPERATOR(pg_catalog.=) 'user'::pg_catalog.text, kommune_share FROM %s.refusion_step "
					 "ORDER BY source OPERATOR(pg_catalog.=) 'user'::pg_catalog.text DESC, payer_rule, valid_from, first_week",
					 schema);
	spi_select(q.data, 0, NULL, NULL, step_types, lengthof(step_types), "refusion_step");
	old = MemoryContextSwitchTo(mcxt);
	c->nsteps = (int) SPI_processed;
	c->steps = palloc0(sizeof(StepRow) * Max(c->nsteps, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *rule = TextDatumGetCString(SPI_getbinval(tup, td, 1, &isnull));

		c->steps[i].rule = (strcmp(rule, "refusion") == 0) ? 'r' : 'c';
		c->steps[i].first = DatumGetInt32(SPI_getbinval(tup, td, 2, &isnull));
		c->steps[i].last = DatumGetInt32(SPI_getbinval(tup, td, 3, &isnull));
		c->steps[i].from = DatumGetDateADT(SPI_getbinval(tup, td, 4, &isnull));
		c->steps[i].to = DatumGetDateADT(SPI_getbinval(tup, td, 5, &isnull));
		c->steps[i].user = DatumGetBool(SPI_getbinval(tup, td, 6, &isnull));
		c->steps[i].kshare = datumCopy(SPI_getbinval(tup, td, 7, &isnull), false, -1);
	}
	MemoryContextSwitchTo(old);
	SPI_finish();
}

static MoneyCache *
get_cache(FunctionCallInfo fcinfo, const char *profile, const char *variant)
{
	MoneyCache *c = (MoneyCache *) fcinfo->flinfo->fn_extra;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;

	MemoryContext cxt;

	if (c != NULL && strcmp(c->profile, profile) == 0 && strcmp(c->variant, variant) == 0)
		return c;

	/*
	 * A new profile or variant replaces the cache; the old one is freed
	 * whole, so rows alternating between profiles do not pile up maps
	 * (callers use the cache within one call only).
	 */
	if (c != NULL)
	{
		fcinfo->flinfo->fn_extra = NULL;
		MemoryContextDelete(c->cxt);
	}
	cxt = AllocSetContextCreate(mcxt, "socialinvest money cache", ALLOCSET_SMALL_SIZES);
	c = MemoryContextAllocZero(cxt, sizeof(MoneyCache));
	c->cxt = cxt;
	strlcpy(c->profile, profile, NAMEDATALEN);
	strlcpy(c->variant, variant, NAMEDATALEN);
	c->map = si_codemap_load(profile, cxt);
	load_tables(c, cxt);
	fcinfo->flinfo->fn_extra = c;
	return c;
}

/* rate row in force for a category on a day (user rows first), or -1 */
static int
find_rate(const MoneyCache *c, int16 category, DateADT day)
{
	int			i,
				shipped = -1;

	for (i = 0; i < c->nrates; i++)
	{
		const RateRow *r = &c->rates[i];

		if (r->category != category || day < r->from || day >= r->to)
			continue;
		if (r->user)
			return i;
		if (shipped < 0)
			shipped = i;
	}
	return shipped;
}

/* staircase step for a payer rule, seniority and day (user rows sort first), or -1 */
static int
find_step(const MoneyCache *c, char rule, int32 s, DateADT day)
{
	int			i;

	for (i = 0; i < c->nsteps; i++)
	{
		const StepRow *r = &c->steps[i];

		if (r->rule == rule && s >= r->first && s <= r->last && day >= r->from && day < r->to)
			return i;
	}
	return -1;
}

typedef struct PeriodAcc
{
	DateADT		period;
	int32		benefit_weeks;
	int32		priced_weeks;
	int32	   *cnt;			/* nrates * nsteps */
} PeriodAcc;

static Datum
num_mul(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_mul, a, b);
}

static Datum
num_add(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_add, a, b);
}

static Datum
num_int(int64 v)
{
	return DirectFunctionCall1(int8_numeric, Int64GetDatum(v));
}

/* the options every pricing function takes after its paths and window */
typedef struct PriceArgs
{
	Grain		grain;
	int32		initial;
	bool		have_price_date;
	DateADT		price_date;
	char	   *profile;
	char	   *variant;
	MoneyCache *cache;			/* loaded for profile and variant */
} PriceArgs;

/*
 * Walk one path; append per-period week counts of the weeks from..to (only
 * the listed weeks when only != NULL) to *acc.
 */
static void
accumulate(const PriceArgs *pa, Datum pathd, DateADT from, DateADT to,
		   const DateADT *only, int nonly,
		   PeriodAcc **accp, int *naccp)
{
	const MoneyCache *c = pa->cache;
	Grain		grain = pa->grain;
	bool		have_price_date = pa->have_price_date;
	DateADT		price_date = pa->price_date;
	int			oi = 0;
	SiPath		p;
	PeriodAcc  *acc = NULL;
	int			nacc = 0,
				capacc = 0,
				ncell = Max(c->nrates, 1) * Max(c->nsteps, 1);
	RefusionState rs;
	int			r;
	int32		week;
	bool		censored = false;

	si_path_decode(pathd, &p);
	refusion_init(&rs, pa->initial);
	week = p.start;
	for (r = 0; r < p.nruns && !censored && week <= to; r++)
	{
		int32		code = p.runs[r].code;
		int32		j;

		for (j = 0; j < p.runs[r].len && week <= to; j++, week += 7)
		{
			const SiCodeEntry *e = NULL;
			RefusionWeek kind;
			int32		s;
			int			state;
			DateADT		key;
			PeriodAcc  *a;

			if (code == RUNPATH_NONE)
				state = SI_STATE_SELF;
			else
			{
				e = si_codemap_lookup(c->map, code, week);
				state = e ? e->state : SI_STATE_UNKNOWN;
			}
			if (state == SI_STATE_CENSORED)
			{
				censored = true;
				break;
			}
			if (state == SI_STATE_BENEFIT && e != NULL && e->payer_rule != 'n')
				kind = REFUSION_BENEFIT;
			else if (state == SI_STATE_SELF)
				kind = REFUSION_SELF;
			else
				kind = REFUSION_OTHER;
			s = refusion_step(&rs, kind);

			if (week < from || state != SI_STATE_BENEFIT)
				continue;
			if (only != NULL)
			{
				/* only the listed weeks (sorted Mondays) */
				while (oi < nonly && only[oi] < week)
					oi++;
				if (oi >= nonly || only[oi] != week)
					continue;
			}
			key = period_of(grain, week, from);
			if (nacc == 0 || acc[nacc - 1].period != key)
			{
				if (nacc == capacc)
				{
					capacc = capacc ? capacc * 2 : 16;
					acc = acc ? repalloc(acc, sizeof(PeriodAcc) * capacc)
						: palloc(sizeof(PeriodAcc) * capacc);
				}
				acc[nacc].period = key;
				acc[nacc].benefit_weeks = 0;
				acc[nacc].priced_weeks = 0;
				acc[nacc].cnt = palloc0(sizeof(int32) * ncell);
				nacc++;
			}
			a = &acc[nacc - 1];
			a->benefit_weeks++;
			if (kind == REFUSION_BENEFIT)
			{
				DateADT		day = have_price_date ? price_date : week + 3;	/* Thursday */
				int			ri = find_rate(c, e->category, day);
				int			si = find_step(c, e->payer_rule, s, week);

				if (ri >= 0 && si >= 0)
				{
					a->cnt[ri * Max(c->nsteps, 1) + si]++;
					a->priced_weeks++;
				}
			}
		}
		CHECK_FOR_INTERRUPTS();
	}
	*accp = acc;
	*naccp = nacc;
}

/* gross and kommune amounts of one period's counts */
static void
acc_money(const MoneyCache *c, const PeriodAcc *a, Datum *gross, Datum *kommune)
{
	int			ri,
				si;

	*gross = num_int(0);
	*kommune = num_int(0);
	if (a == NULL)
		return;
	for (ri = 0; ri < c->nrates; ri++)
		for (si = 0; si < c->nsteps; si++)
		{
			int32		n = a->cnt[ri * c->nsteps + si];
			Datum		amount;

			if (n == 0)
				continue;
			amount = num_mul(num_int(n), c->rates[ri].rate);
			*gross = num_add(*gross, amount);
			*kommune = num_add(*kommune, num_mul(amount, c->steps[si].kshare));
		}
	/* money out in cents (the caller derives stat = gross - kommune) */
	*gross = DirectFunctionCall2(numeric_round, *gross, Int32GetDatum(2));
	*kommune = DirectFunctionCall2(numeric_round, *kommune, Int32GetDatum(2));
}


/*
 * grain, initial_seniority, price_date, profile, variant from argument first
 * on (the caller loads the cache once its own arguments are checked)
 */
static void
price_args(FunctionCallInfo fcinfo, int first, PriceArgs *a)
{
	si_arg_not_null(fcinfo, first, "grain", "week, month, quarter, year or total.");
	a->grain = parse_grain(text_to_cstring(PG_GETARG_TEXT_PP(first)));
	a->initial = si_int_arg(fcinfo, first + 1, "initial_seniority");
	if (a->initial < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("initial_seniority must be >= 0, got %d", a->initial),
				 errhint("The number of benefit weeks since the last reset before the path starts (0 if none or unknown).")));
	a->have_price_date = !PG_ARGISNULL(first + 2);
	a->price_date = a->have_price_date ? PG_GETARG_DATEADT(first + 2) : 0;
	if (a->have_price_date)
		si_check_finite_date(a->price_date, "price_date");
	a->profile = si_codemap_profile_arg(fcinfo, first + 3);
	si_arg_not_null(fcinfo, first + 4, "variant", "Rate variant in benefit_rate, usually 'standard'.");
	a->variant = text_to_cstring(PG_GETARG_TEXT_PP(first + 4));
}

typedef struct CostArgs
{
	DateADT		from;
	DateADT		to;
	PriceArgs	price;
} CostArgs;

/* arguments after the path(s): from_week, to_week, then the pricing options */
static void
cost_args(FunctionCallInfo fcinfo, int first, CostArgs *a)
{
	a->from = si_week_arg(fcinfo, first, "from_week");
	a->to = si_week_arg(fcinfo, first + 1, "to_week");
	price_args(fcinfo, first + 2, &a->price);
	a->from = isoweek_monday(a->from);
	a->to = isoweek_monday(a->to);
	si_check_window(a->from, a->to);
	a->price.cache = get_cache(fcinfo, a->price.profile, a->price.variant);
}

/* one result row: period, weeks, other weeks (priced or not priced), money */
static void
put_period_row(ReturnSetInfo *rsinfo, DateADT period, int32 weeks, int32 other_weeks,
			   Datum gross, Datum kommune)
{
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	values[0] = DateADTGetDatum(period);
	values[1] = Int32GetDatum(weeks);
	values[2] = Int32GetDatum(other_weeks);
	values[3] = gross;
	values[4] = kommune;
	values[5] = DirectFunctionCall2(numeric_sub, gross, kommune);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* the period rows of one path's counts, priced */
static void
put_priced_rows(ReturnSetInfo *rsinfo, const MoneyCache *c, const PeriodAcc *acc, int nacc)
{
	int			r;

	for (r = 0; r < nacc; r++)
	{
		Datum		gross,
					kommune;

		acc_money(c, &acc[r], &gross, &kommune);
		put_period_row(rsinfo, acc[r].period, acc[r].benefit_weeks, acc[r].priced_weeks,
					   gross, kommune);
	}
}

Datum
si_path_benefit_cost(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CostArgs	a;
	PeriodAcc  *acc;
	int			nacc;

	si_arg_not_null(fcinfo, 0, "path", NULL);
	cost_args(fcinfo, 1, &a);
	InitMaterializedSRF(fcinfo, 0);
	accumulate(&a.price, PG_GETARG_DATUM(0), a.from, a.to, NULL, 0, &acc, &nacc);
	put_priced_rows(rsinfo, a.price.cache, acc, nacc);
	return (Datum) 0;
}

/* path_savings(actual, counterfactual, ...): counterfactual cost minus actual cost per period */
Datum
si_path_savings(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CostArgs	a;
	PeriodAcc  *act,
			   *cf;
	int			nact,
				ncf,
				i = 0,
				j = 0;

	si_arg_not_null(fcinfo, 0, "actual", NULL);
	si_arg_not_null(fcinfo, 1, "counterfactual", NULL);
	cost_args(fcinfo, 2, &a);
	InitMaterializedSRF(fcinfo, 0);
	accumulate(&a.price, PG_GETARG_DATUM(0), a.from, a.to, NULL, 0, &act, &nact);
	accumulate(&a.price, PG_GETARG_DATUM(1), a.from, a.to, NULL, 0, &cf, &ncf);
	/* both lists are in period order: merge */
	while (i < nact || j < ncf)
	{
		PeriodAcc  *x = NULL,
				   *y = NULL;
		Datum		g1,
					k1,
					g2,
					k2;

		if (j >= ncf || (i < nact && act[i].period < cf[j].period))
			x = &act[i++];
		else if (i >= nact || cf[j].period < act[i].period)
			y = &cf[j++];
		else
		{
			x = &act[i++];
			y = &cf[j++];
		}
		acc_money(a.price.cache, y, &g1, &k1);
		acc_money(a.price.cache, x, &g2, &k2);
		put_period_row(rsinfo, x ? x->period : y->period,
					   (y ? y->benefit_weeks : 0) - (x ? x->benefit_weeks : 0),
					   (y ? y->benefit_weeks - y->priced_weeks : 0) +
					   (x ? x->benefit_weeks - x->priced_weeks : 0),
					   DirectFunctionCall2(numeric_sub, g1, g2),
					   DirectFunctionCall2(numeric_sub, k1, k2));
	}
	return (Datum) 0;
}

static int
money_date_cmp(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a,
				y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

/*
 * path_weeks_value(path, weeks date[], grain, initial_seniority, price_date, profile, variant):
 * the cost of the listed weeks of a path (e.g. the weeks an intervention avoided), each at
 * its seniority in the path. Listed weeks that are not benefit weeks of the path are not counted.
 */
Datum
si_path_weeks_value(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				k,
				nacc;
	DateADT    *weeks;
	PeriodAcc  *acc;
	PriceArgs	pa;

	si_arg_not_null(fcinfo, 0, "path", NULL);
	si_arg_not_null(fcinfo, 1, "weeks", NULL);
	arr = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("weeks must be a one-dimensional array of dates")));
	deconstruct_array(arr, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &elems, &nulls, &n);
	weeks = palloc(sizeof(DateADT) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("weeks must not contain NULL (element %d)", i + 1)));
		weeks[i] = DatumGetDateADT(elems[i]);
		si_check_finite_date(weeks[i], "weeks element");
		weeks[i] = isoweek_monday(weeks[i]);
	}
	qsort(weeks, n, sizeof(DateADT), money_date_cmp);
	for (i = 0, k = 0; i < n; i++)		/* a week listed twice counts once */
		if (k == 0 || weeks[k - 1] != weeks[i])
			weeks[k++] = weeks[i];
	n = k;
	price_args(fcinfo, 2, &pa);
	pa.cache = get_cache(fcinfo, pa.profile, pa.variant);
	InitMaterializedSRF(fcinfo, 0);
	if (n == 0)
		return (Datum) 0;
	accumulate(&pa, PG_GETARG_DATUM(0), weeks[0], weeks[n - 1], weeks, n, &acc, &nacc);
	put_priced_rows(rsinfo, pa.cache, acc, nacc);
	return (Datum) 0;
}
