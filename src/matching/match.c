/*
 * match.c — the SQL functions match_nearest and match_cem: argument
 * checks, the table read through src/matching/design.c, the distance and
 * caliper width, the exact strata and coarsening codes, and the result
 * rows. The matching itself is src/math/match.c and src/math/cem.c (no
 * SQL there); this file does no matching arithmetic of its own.
 *
 * Units are put in increasing unit order before matching: that order is
 * the "data order" which breaks ties (docs/methods.md, *Nearest-neighbour
 * matching*).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "cem.h"
#include "design.h"
#include "match.h"

PG_FUNCTION_INFO_V1(si_match_nearest_sql);
PG_FUNCTION_INFO_V1(si_match_cem_sql);

#define MATCH_MAX_RATIO 1000
#define MATCH_MAX_BREAKS 10000

typedef struct RowKey
{
	int64		a;
	int64		b;
	int64		i;
} RowKey;

static int
cmp_rowkey(const void *x, const void *y)
{
	const RowKey *p = x;
	const RowKey *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

static void *
alloc_huge(Size nmemb, Size size, const char *fname)
{
	if (nmemb > 0 && size > MaxAllocHugeSize / nmemb)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " UINT64_FORMAT " units do not fit in memory", fname, (uint64) nmemb)));
	return MemoryContextAllocHuge(CurrentMemoryContext, Max(nmemb * size, 1));
}

static void
interrupt_check(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* rows of the design in increasing unit order: perm[k] = design row */
static int64 *
unit_order(const SiDesign *d, const char *fname)
{
	RowKey	   *keys = alloc_huge(d->n, sizeof(RowKey), fname);
	int64	   *perm = alloc_huge(d->n, sizeof(int64), fname);

	for (int64 i = 0; i < d->n; i++)
	{
		keys[i].a = d->unit[i];
		keys[i].b = 0;
		keys[i].i = i;
	}
	qsort(keys, d->n, sizeof(RowKey), cmp_rowkey);
	for (int64 i = 0; i < d->n; i++)
		perm[i] = keys[i].i;
	pfree(keys);
	return perm;
}

/*
 * Order of (design row a, extra column b) by the text value (strcmp),
 * then by i. qsort has no context argument: the values and their stride
 * are set just before the sort (a backend runs one query at a time).
 */
static int	cmp_str_ctx_stride;
static char **cmp_str_ctx_values;

static int
cmp_str_rows(const void *x, const void *y)
{
	const RowKey *p = x;
	const RowKey *q = y;
	int			c = strcmp(cmp_str_ctx_values[p->a * cmp_str_ctx_stride + p->b],
						   cmp_str_ctx_values[q->a * cmp_str_ctx_stride + q->b]);

	if (c != 0)
		return c;
	return (p->i > q->i) - (p->i < q->i);
}

/*
 * Exact strata of match_nearest: rows equal on every extra column share a
 * stratum id. Built one column at a time: the id is the rank of
 * (previous id, this column's code).
 */
static int64 *
exact_strata(const SiDesign *d, const int64 *perm, const char *fname)
{
	int64		n = d->n;
	int64	   *stratum = alloc_huge(n, sizeof(int64), fname);
	int64	   *code = alloc_huge(n, sizeof(int64), fname);
	RowKey	   *keys = alloc_huge(n, sizeof(RowKey), fname);

	for (int64 k = 0; k < n; k++)
		stratum[k] = 0;
	for (int c = 0; c < d->nextra; c++)
	{
		int64		id = -1;

		/* this column's codes */
		for (int64 k = 0; k < n; k++)
		{
			keys[k].a = perm[k];
			keys[k].b = c;
			keys[k].i = k;
		}
		cmp_str_ctx_values = d->extra_value;
		cmp_str_ctx_stride = d->nextra;
		qsort(keys, n, sizeof(RowKey), cmp_str_rows);
		for (int64 k = 0; k < n; k++)
		{
			const char *v = d->extra_value[keys[k].a * d->nextra + c];

			if (k == 0 || strcmp(v, d->extra_value[keys[k - 1].a * d->nextra + c]) != 0)
				id++;
			code[keys[k].i] = id;
		}
		/* combine with the strata so far */
		for (int64 k = 0; k < n; k++)
		{
			keys[k].a = stratum[k];
			keys[k].b = code[k];
			keys[k].i = k;
		}
		qsort(keys, n, sizeof(RowKey), cmp_rowkey);
		id = -1;
		for (int64 k = 0; k < n; k++)
		{
			if (k == 0 || keys[k].a != keys[k - 1].a || keys[k].b != keys[k - 1].b)
				id++;
			stratum[keys[k].i] = id;
		}
		CHECK_FOR_INTERRUPTS();
	}
	pfree(code);
	pfree(keys);
	return stratum;
}

/* sample standard deviation (n - 1) of x[0..n), two passes */
static double
sample_sd(const double *x, int64 n)
{
	double		mean = 0.0,
				ss = 0.0;

	for (int64 i = 0; i < n; i++)
		mean += x[i];
	mean /= n;
	for (int64 i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return sqrt(ss / (n - 1));
}

static text *
option_text(FunctionCallInfo fcinfo, int argno, const char *dflt)
{
	return PG_ARGISNULL(argno) ? cstring_to_text(dflt) : PG_GETARG_TEXT_PP(argno);
}

Datum
si_match_nearest_sql(PG_FUNCTION_ARGS)
{
	const char *fname = "match_nearest";
	Oid			relid = si_design_relation_arg(fcinfo, 0, fname);
	const char *unit_column = si_design_name_arg(fcinfo, 1, "unit_column", true);
	const char *treatment_column = si_design_name_arg(fcinfo, 2, "treatment_column", true);
	const char *score_column = si_design_name_arg(fcinfo, 3, "score_column", true);
	int			ratio = PG_ARGISNULL(4) ? 1 : PG_GETARG_INT32(4);
	bool		replace = PG_ARGISNULL(5) ? false : PG_GETARG_BOOL(5);
	bool		use_caliper = !PG_ARGISNULL(6);
	double		caliper = use_caliper ? PG_GETARG_FLOAT8(6) : -1;
	char	   *distance = text_to_cstring(option_text(fcinfo, 7, "logit"));
	char	   *m_order = text_to_cstring(option_text(fcinfo, 8, "largest"));
	int			nexact = 0;
	const char **exact_columns = si_design_names_arg(fcinfo, 9, "exact_columns", false, &nexact);
	bool		use_logit;
	SiMatchOrder order;
	SiDesign   *d;
	int64	   *perm;
	int64		n,
				n1;
	double	   *dist;
	double	   *score;
	unsigned char *treated;
	int64	   *stratum = NULL;
	int64	   *match;
	double	   *weight;
	int64	   *subclass;
	int64		unmatched = 0;
	size_t		wbytes;
	void	   *work;
	SiMatchProblem prob;
	ReturnSetInfo *rsinfo;

	if (ratio < 1 || ratio > MATCH_MAX_RATIO)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: ratio must be between 1 and %d, not %d", fname, MATCH_MAX_RATIO, ratio),
				 errhint("ratio is the number of controls per treated unit: 1 for pairs.")));
	if (use_caliper && (!isfinite(caliper) || caliper < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: caliper must be a finite number >= 0, not %g", fname, caliper),
				 errhint("The caliper is in standard deviations of the distance (default 0.2); NULL matches without one.")));
	if (strcmp(distance, "logit") == 0)
		use_logit = true;
	else if (strcmp(distance, "score") == 0)
		use_logit = false;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: unknown distance \"%s\"", fname, distance),
				 errhint("Use 'logit' (the logit of the score, the default) or 'score'.")));
	if (strcmp(m_order, "largest") == 0)
		order = SI_MATCH_LARGEST;
	else if (strcmp(m_order, "smallest") == 0)
		order = SI_MATCH_SMALLEST;
	else if (strcmp(m_order, "data") == 0)
		order = SI_MATCH_DATA;
	else if (strcmp(m_order, "random") == 0)
		order = SI_MATCH_RANDOM;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: unknown m_order \"%s\"", fname, m_order),
				 errhint("Use 'largest' (the default), 'smallest', 'data' or 'random' (with seed).")));
	if (order == SI_MATCH_RANDOM && PG_ARGISNULL(10))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: m_order 'random' needs a seed", fname),
				 errhint("Give seed => some bigint, so that the matching can be repeated.")));

	d = si_design_read(relid, unit_column, treatment_column, &score_column, 1, NULL,
					   exact_columns, nexact, fname);
	if (d->column_is_factor[0])
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: score column \"%s\" is not a number", fname, score_column),
				 errhint("Give a column of propensity scores in (0, 1), e.g. from propensity_scores().")));

	n = d->n;
	perm = unit_order(d, fname);
	dist = alloc_huge(n, sizeof(double), fname);
	score = alloc_huge(n, sizeof(double), fname);
	treated = alloc_huge(n, sizeof(unsigned char), fname);
	for (int64 k = 0; k < n; k++)
	{
		int64		i = perm[k];
		double		p = d->x[i];

		if (!(p > 0.0 && p < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: score column \"%s\" holds %g for unit " INT64_FORMAT ", not a probability in (0, 1)",
							fname, score_column, p, d->unit[i]),
					 errhint("Give propensity scores strictly between 0 and 1; a score of 0 or 1 means the unit cannot be compared.")));
		score[k] = p;
		/* R's qlogis: log(p / (1 - p)) */
		dist[k] = use_logit ? log(p / (1.0 - p)) : p;
		treated[k] = d->treated[i] ? 1 : 0;
	}
	if (nexact > 0)
		stratum = exact_strata(d, perm, fname);

	prob.n = n;
	prob.distance = dist;
	prob.treated = treated;
	prob.stratum = stratum;
	prob.ratio = ratio;
	prob.replace = replace;
	/* see docs/methods.md, *Nearest-neighbour matching*: caliper in SDs of the distance */
	prob.caliper = use_caliper ? caliper * sample_sd(dist, n) : -1;
	prob.order = order;
	prob.seed = PG_ARGISNULL(10) ? 0 : (uint64) PG_GETARG_INT64(10);
	prob.check_interrupt = interrupt_check;

	n1 = d->n_treated;
	wbytes = si_match_nearest_work_bytes(n);
	if (wbytes == 0 || wbytes > MaxAllocHugeSize || (Size) n1 > MaxAllocHugeSize / sizeof(int64) / ratio)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " INT64_FORMAT " units do not fit in memory", fname, n)));
	work = MemoryContextAllocHuge(CurrentMemoryContext, wbytes);
	match = alloc_huge((Size) n1 * ratio, sizeof(int64), fname);
	si_match_nearest(&prob, match, work);
	pfree(work);

	weight = alloc_huge(n, sizeof(double), fname);
	subclass = alloc_huge(n, sizeof(int64), fname);
	si_match_weights(n, treated, ratio, replace, match, weight, subclass);
	for (int64 k = 0; k < n; k++)
		if (treated[k] && weight[k] == 0)
			unmatched++;
	if (unmatched > 0)
		ereport(NOTICE,
				(errmsg("%s: " INT64_FORMAT " of " INT64_FORMAT " treated units found no control%s and are left out",
						fname, unmatched, n1, use_caliper ? " within the caliper" : ""),
				 errhint("The matched sample then describes the treated units that have comparable controls.")));

	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	for (int64 k = 0; k < n; k++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		if (weight[k] == 0)
			continue;
		if ((k & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int64GetDatum(d->unit[perm[k]]);
		values[1] = BoolGetDatum(treated[k]);
		if (replace)
			nulls[2] = true;
		values[2] = Int64GetDatum(subclass[k]);
		values[3] = Float8GetDatum(weight[k]);
		values[4] = Float8GetDatum(score[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* how match_cem coarsens one numeric column */
typedef struct CemCut
{
	int			nbins;			/* > 0: equal-width bins; 0: exact values; -1: break list */
	int			nbreaks;
	double	   *breaks;
} CemCut;

static int
cmp_double(const void *x, const void *y)
{
	double		a = *(const double *) x;
	double		b = *(const double *) y;

	return (a > b) - (a < b);
}

static double
jsonb_number(JsonbValue *v)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

/*
 * cutpoints: {"column": [c1, c2, ...]} (cut points), {"column": k} (k
 * equal-width bins; 0 = exact values) or {"column": "sturges"}.
 */
static void
parse_cutpoints(Jsonb *jb, const SiDesign *d, CemCut *cuts, const char *fname)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			col = -1;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: cutpoints must be a JSON object", fname),
				 errhint("E.g. '{\"age\": [20, 30, 40], \"educ\": 4}': cut points per column, or a number of bins.")));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			char	   *key = pnstrdup(v.val.string.val, v.val.string.len);

			col = -1;
			for (int c = 0; c < d->ncolumns; c++)
				if (strcmp(d->column[c], key) == 0)
					col = c;
			if (col < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: cutpoints names \"%s\", which is not in covariate_columns", fname, key),
						 errhint("Give cut points only for columns listed in covariate_columns.")));
			if (d->column_is_factor[col])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: cutpoints names \"%s\", a category column", fname, key),
						 errhint("Category columns are matched exactly; cut points apply to numeric columns.")));
			cuts[col].nbins = si_cem_sturges_bins(d->n);
			cuts[col].nbreaks = 0;
		}
		else if (tok == WJB_VALUE)
		{
			if (v.type == jbvNumeric)
			{
				double		k = jsonb_number(&v);

				if (!(k >= 0 && k <= MATCH_MAX_BREAKS && k == floor(k)))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: cutpoints for \"%s\" gives %g bins", fname, d->column[col], k),
							 errhint("A number of bins is a whole number between 1 and %d (0: match the exact values).",
									 MATCH_MAX_BREAKS)));
				cuts[col].nbins = (int) k;
			}
			else if (v.type == jbvString && v.val.string.len == 7 &&
					 strncmp(v.val.string.val, "sturges", 7) == 0)
				cuts[col].nbins = si_cem_sturges_bins(d->n);
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: cutpoints for \"%s\" must be an array of numbers, a number of bins or \"sturges\"",
								fname, d->column[col]),
						 errhint("E.g. {\"%s\": [20, 30, 40]}.", d->column[col])));
		}
		else if (tok == WJB_BEGIN_OBJECT && col >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: cutpoints for \"%s\" must be an array of numbers, a number of bins or \"sturges\"",
							fname, d->column[col]),
					 errhint("E.g. {\"%s\": [20, 30, 40]}.", d->column[col])));
		else if (tok == WJB_BEGIN_ARRAY)
		{
			int			nb = 0;
			double	   *b = palloc(sizeof(double) * MATCH_MAX_BREAKS);

			while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_ELEM)
			{
				if (v.type != jbvNumeric)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: cutpoints for \"%s\" must hold numbers only", fname, d->column[col]),
							 errhint("E.g. {\"%s\": [20, 30, 40]}.", d->column[col])));
				if (nb >= MATCH_MAX_BREAKS)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("%s: more than %d cut points for \"%s\"", fname, MATCH_MAX_BREAKS, d->column[col])));
				b[nb] = jsonb_number(&v);
				if (!isfinite(b[nb]))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: cutpoints for \"%s\" must be finite", fname, d->column[col])));
				nb++;
			}
			if (nb == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: cutpoints for \"%s\" is an empty array", fname, d->column[col]),
						 errhint("Give at least one cut point, or leave the column out for Sturges bins.")));
			/* sorted, duplicates removed */
			qsort(b, nb, sizeof(double), cmp_double);
			{
				int			u = 1;

				for (int k = 1; k < nb; k++)
					if (b[k] != b[u - 1])
						b[u++] = b[k];
				nb = u;
			}
			cuts[col].nbins = -1;
			cuts[col].nbreaks = nb;
			cuts[col].breaks = b;
		}
	}
}

Datum
si_match_cem_sql(PG_FUNCTION_ARGS)
{
	const char *fname = "match_cem";
	Oid			relid = si_design_relation_arg(fcinfo, 0, fname);
	const char *unit_column = si_design_name_arg(fcinfo, 1, "unit_column", true);
	const char *treatment_column = si_design_name_arg(fcinfo, 2, "treatment_column", true);
	int			ncov = 0;
	const char **covariate_columns = si_design_names_arg(fcinfo, 3, "covariate_columns", true, &ncov);
	SiDesign   *d;
	int64	   *perm;
	int64		n,
				nsub;
	CemCut	   *cuts;
	int64	   *codes;
	unsigned char *treated;
	int64	   *subclass;
	int64	   *counts;
	double	   *weight;
	size_t		wbytes;
	void	   *work;
	ReturnSetInfo *rsinfo;

	if (ncov == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: covariate_columns is empty", fname),
				 errhint("Name the columns the strata are built on.")));
	d = si_design_read(relid, unit_column, treatment_column, covariate_columns, ncov, NULL,
					   NULL, 0, fname);
	n = d->n;
	perm = unit_order(d, fname);

	cuts = palloc0(sizeof(CemCut) * d->ncolumns);
	for (int c = 0; c < d->ncolumns; c++)
		cuts[c].nbins = si_cem_sturges_bins(n);
	if (!PG_ARGISNULL(4))
		parse_cutpoints(PG_GETARG_JSONB_P(4), d, cuts, fname);

	/* equal-width breaks over each numeric column's range in the rows used */
	for (int t = 0; t < d->p; t++)
	{
		int			c = d->term_column[t];

		if (!d->column_is_factor[c] && cuts[c].nbins > 1)
		{
			double		lo = d->x[t],
						hi = d->x[t];

			for (int64 i = 1; i < n; i++)
			{
				lo = Min(lo, d->x[i * d->p + t]);
				hi = Max(hi, d->x[i * d->p + t]);
			}
			cuts[c].nbreaks = cuts[c].nbins - 1;
			cuts[c].breaks = palloc(sizeof(double) * cuts[c].nbreaks);
			si_cem_equal_breaks(lo, hi, cuts[c].nbins, cuts[c].breaks);
		}
	}

	/* one code per covariate column and unit, units in unit order */
	codes = alloc_huge((Size) n, sizeof(int64) * d->ncolumns, fname);
	treated = alloc_huge(n, sizeof(unsigned char), fname);
	for (int64 k = 0; k < n; k++)
	{
		const double *x = d->x + perm[k] * d->p;
		int64	   *row = codes + k * d->ncolumns;

		for (int c = 0; c < d->ncolumns; c++)
			row[c] = 0;
		for (int t = 0; t < d->p; t++)
		{
			int			c = d->term_column[t];

			if (d->column_is_factor[c])
			{
				/* level index: the indicator that is 1 (first level: none) */
				if (x[t] != 0)
					row[c] = t + 1;
			}
			else if (cuts[c].nbins == 0)
			{
				/* exact values: the bits of the double (-0 as +0) */
				double		v = x[t] + 0.0;

				memcpy(&row[c], &v, sizeof(int64));
			}
			else if (cuts[c].nbins == 1)
				row[c] = 0;
			else
				row[c] = si_cem_bin(x[t], cuts[c].breaks, cuts[c].nbreaks);
		}
		treated[k] = d->treated[perm[k]] ? 1 : 0;
	}

	wbytes = si_cem_work_bytes(n);
	if (wbytes == 0 || wbytes > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " INT64_FORMAT " units do not fit in memory", fname, n)));
	work = MemoryContextAllocHuge(CurrentMemoryContext, wbytes);
	subclass = alloc_huge(n, sizeof(int64), fname);
	nsub = si_cem_subclass(n, d->ncolumns, codes, treated, subclass, work);
	pfree(work);
	if (nsub == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: no stratum holds both treated and control units", fname),
				 errhint("Coarsen more (fewer cut points or bins) or match on fewer columns.")));
	counts = alloc_huge(2 * (nsub + 1), sizeof(int64), fname);
	weight = alloc_huge(n, sizeof(double), fname);
	si_cem_weights(n, treated, subclass, nsub, counts, weight);

	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	for (int64 k = 0; k < n; k++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		if (subclass[k] == 0)
			continue;
		if ((k & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int64GetDatum(d->unit[perm[k]]);
		values[1] = BoolGetDatum(treated[k]);
		values[2] = Int64GetDatum(subclass[k]);
		values[3] = Float8GetDatum(weight[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
