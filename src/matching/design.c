/*
 * design.c — si_design_read: the comparison-group functions' one reader of
 * a caller's table (see design.h). One SPI query as the caller, rows
 * streamed by a DestReceiver into growing arrays, then the factor levels
 * sorted and the model matrix built. No estimation here (src/math), no
 * SQL results (the glue files of src/matching).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "tcop/dest.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "access/relation.h"

#include "design.h"
#include "si_common.h"
#include "si_idmap.h"

/* how a covariate column is read */
typedef enum
{
	COV_NUMBER,					/* cast to float8 */
	COV_BOOL,					/* boolean, as 0/1 */
	COV_FACTOR					/* text-like or enum, cast to text */
} CovKind;

typedef struct DesignRead
{
	DestReceiver pub;			/* must be first */
	MemoryContext outer;
	const char *fname;
	const char *treatment_column;
	const char *const *covariates;
	const char *const *extras;
	int			ncov;
	int			nextra;
	bool		has_weight;
	bool		treat_bool;
	CovKind    *kind;
	SiIdMap   **levels;			/* per covariate: NULL unless a factor */
	int			ncols;
	Oid		   *coltypes;
	/* rows kept so far */
	int64		n;
	int64		cap;
	int64		rows_read;
	int64		n_dropped;
	int64	   *nonnull;		/* per covariate: rows where it is not NULL */
	int64	   *unit;
	bool	   *treated;
	double	   *weight;
	double	   *raw;			/* n * ncov: values, or factor level keys */
	char	  **extra;			/* n * nextra */
} DesignRead;

/* the column's base type, after checking it exists */
static Oid
column_type(Oid relid, const char *argname, const char *col, const char *fname)
{
	AttrNumber	att;

	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", fname, argname),
				 errhint("Give the name of a column of %s.", get_rel_name(relid))));
	att = get_attnum(relid, col);
	if (att == InvalidAttrNumber || att < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s: column \"%s\" given as %s does not exist in %s",
						fname, col, argname, get_rel_name(relid)),
				 errhint("The columns of %s are: %s.", get_rel_name(relid), si_table_columns(relid))));
	return getBaseType(get_atttype(relid, att));
}

static bool
is_integer_type(Oid t)
{
	return t == INT2OID || t == INT4OID || t == INT8OID;
}

static bool
is_number_type(Oid t)
{
	return is_integer_type(t) || t == FLOAT4OID || t == FLOAT8OID || t == NUMERICOID;
}

static bool
is_text_type(Oid t)
{
	return t == TEXTOID || t == VARCHAROID || t == BPCHAROID || type_is_enum(t);
}

/* grow the row arrays to hold one more row */
static void
grow(DesignRead *st)
{
	int64		newcap;
	Size		need;

	if (st->n < st->cap)
		return;
	newcap = st->cap * 2;
	/* the largest array is raw (ncov doubles) or extra (nextra pointers) */
	need = (Size) newcap * sizeof(double) * Max(Max(st->ncov, st->nextra), 1);
	if (newcap > PG_INT32_MAX || need / sizeof(double) / Max(Max(st->ncov, st->nextra), 1) != (Size) newcap ||
		need > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: more than " INT64_FORMAT " rows with %d covariate columns do not fit in memory",
						st->fname, st->n, st->ncov),
				 errhint("Read fewer rows or fewer covariates (e.g. from a view over a sample).")));
	st->unit = repalloc_huge(st->unit, sizeof(int64) * newcap);
	st->treated = repalloc_huge(st->treated, sizeof(bool) * newcap);
	if (st->has_weight)
		st->weight = repalloc_huge(st->weight, sizeof(double) * newcap);
	if (st->ncov > 0)
		st->raw = repalloc_huge(st->raw, sizeof(double) * newcap * st->ncov);
	if (st->nextra > 0)
		st->extra = repalloc_huge(st->extra, sizeof(char *) * newcap * st->nextra);
	st->cap = newcap;
}

/*
 * One row: columns are unit (int8), treatment (bool or int8), weight
 * (float8, when given), the covariates (float8, bool or text), the extra
 * columns (text).
 */
static void
process_row(DesignRead *st, Datum *v, bool *nul)
{
	int			c,
				k;
	int			wcol = 2,
				ccol = st->has_weight ? 3 : 2,
				ecol = ccol + st->ncov;
	bool		drop = false;
	int64		unit;
	int64		i;

	st->rows_read++;
	for (c = 0; c < st->ncov; c++)
		if (!nul[ccol + c])
			st->nonnull[c]++;
	for (k = 0; k < st->ncols; k++)
		if (nul[k])
			drop = true;
	if (drop)
	{
		st->n_dropped++;
		return;
	}
	unit = DatumGetInt64(v[0]);
	grow(st);
	i = st->n;
	st->unit[i] = unit;
	if (st->treat_bool)
		st->treated[i] = DatumGetBool(v[1]);
	else
	{
		int64		t = DatumGetInt64(v[1]);

		if (t != 0 && t != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: treatment column \"%s\" holds " INT64_FORMAT " for unit " INT64_FORMAT ", not 0 or 1",
							st->fname, st->treatment_column, t, unit),
					 errhint("Code the treatment as 1 (treated) and 0 (control), or as a boolean.")));
		st->treated[i] = (t == 1);
	}
	if (st->has_weight)
	{
		double		w = DatumGetFloat8(v[wcol]);

		if (!(w >= 0.0) || isinf(w))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: weight_column holds %g for unit " INT64_FORMAT ", not a finite number >= 0",
							st->fname, w, unit),
					 errhint("Weights must be finite and not negative; filter out or fix the row.")));
		st->weight[i] = w;
	}
	for (c = 0; c < st->ncov; c++)
	{
		double		x;

		switch (st->kind[c])
		{
			case COV_BOOL:
				x = DatumGetBool(v[ccol + c]) ? 1.0 : 0.0;
				break;
			case COV_FACTOR:
				{
					text	   *t = DatumGetTextPP(v[ccol + c]);

					x = (double) si_idmap_key(st->levels[c], VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				}
				break;
			default:
				x = DatumGetFloat8(v[ccol + c]);
				if (!isfinite(x))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: covariate column \"%s\" holds %g for unit " INT64_FORMAT,
									st->fname, st->covariates[c], x, unit),
							 errhint("Covariates must be finite numbers; set a missing value to NULL (the row is then dropped and counted).")));
				break;
		}
		st->raw[i * st->ncov + c] = x;
	}
	for (k = 0; k < st->nextra; k++)
		st->extra[i * st->nextra + k] = TextDatumGetCString(v[ecol + k]);
	st->n++;
}

static bool
design_receive(TupleTableSlot *slot, DestReceiver *self)
{
	DesignRead *st = (DesignRead *) self;
	MemoryContext old = MemoryContextSwitchTo(st->outer);

	slot_getallattrs(slot);
	process_row(st, slot->tts_values, slot->tts_isnull);
	MemoryContextSwitchTo(old);
	if ((st->rows_read & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	return true;
}

static void
design_startup(DestReceiver *self, int operation pg_attribute_unused(), TupleDesc typeinfo)
{
	DesignRead *st = (DesignRead *) self;

	si_check_result_types(typeinfo, st->coltypes, st->ncols,
						  psprintf("the query %s reads its table with", st->fname));
}

static void
design_shutdown(DestReceiver *self pg_attribute_unused())
{
}

static void
design_destroy(DestReceiver *self pg_attribute_unused())
{
}

/* level order: bytes compared as C's strcmp, a prefix first */
typedef struct Level
{
	const char *bytes;
	Size		len;
	int64		key;
} Level;

static int
cmp_level(const void *a, const void *b)
{
	const Level *x = a,
			   *y = b;
	int			r = memcmp(x->bytes, y->bytes, Min(x->len, y->len));

	if (r != 0)
		return r;
	return (x->len > y->len) - (x->len < y->len);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return (x > y) - (x < y);
}

SiDesign *
si_design_read(Oid relid, const char *unit_column, const char *treatment_column,
			   const char *const *covariate_columns, int ncovariates,
			   const char *weight_column,
			   const char *const *extra_columns, int nextra,
			   const char *fname)
{
	SiDesign   *d = palloc0(sizeof(SiDesign));
	DesignRead *st = palloc0(sizeof(DesignRead));
	char	   *relname = get_rel_name(relid);
	const char **cols;
	int			ncolsall = 0;
	Oid			tunit,
				ttreat;
	StringInfoData q;
	MemoryContext levelctx;
	SPIExecuteOptions eo;
	int			ret,
				c,
				k,
				j,
				p;
	int64		i;
	Level	  **sorted;
	int64	  **rank;			/* per factor column: level key -> rank */

	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("%s: relation with OID %u does not exist", fname, relid)));
	if (ncovariates < 0 || nextra < 0 || ncovariates > SI_DESIGN_MAX_TERMS || nextra > SI_DESIGN_MAX_TERMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: %d covariate columns and %d other columns are more than the %d allowed",
						fname, ncovariates, nextra, SI_DESIGN_MAX_TERMS),
				 errhint("Use fewer columns.")));

	/* privileges first: a column's existence is not told to who may not read it */
	cols = palloc(sizeof(char *) * (3 + ncovariates + nextra));
	cols[ncolsall++] = unit_column;
	cols[ncolsall++] = treatment_column;
	cols[ncolsall++] = weight_column;
	for (c = 0; c < ncovariates; c++)
		cols[ncolsall++] = covariate_columns[c];
	for (k = 0; k < nextra; k++)
		cols[ncolsall++] = extra_columns[k];
	si_check_select_columns(relid, cols, ncolsall, fname);

	tunit = column_type(relid, "unit_column", unit_column, fname);
	if (tunit == TEXTOID || tunit == VARCHAROID || tunit == BPCHAROID || tunit == UUIDOID)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: unit column \"%s\" has type %s; %s needs whole-number unit ids",
						fname, unit_column, format_type_be(tunit), fname),
				 errhint("Map the ids to bigint first, e.g. dense_rank() OVER (ORDER BY id) in a view, and join the results back.")));
	if (!is_integer_type(tunit))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: unit column \"%s\" has type %s, not smallint, integer or bigint",
						fname, unit_column, format_type_be(tunit)),
				 errhint("Give whole-number unit ids.")));
	ttreat = column_type(relid, "treatment_column", treatment_column, fname);
	if (ttreat != BOOLOID && !is_integer_type(ttreat))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: treatment column \"%s\" has type %s, not boolean or integer",
						fname, treatment_column, format_type_be(ttreat)),
				 errhint("Code the treatment as a boolean, or as an integer 1 (treated) / 0 (control).")));
	if (weight_column != NULL)
	{
		Oid			tw = column_type(relid, "weight_column", weight_column, fname);

		if (!is_number_type(tw))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: weight column \"%s\" has type %s, not a number",
							fname, weight_column, format_type_be(tw)),
					 errhint("Give the weights as a numeric column (float8, numeric, integer).")));
	}

	st->kind = palloc0(sizeof(CovKind) * Max(ncovariates, 1));
	st->levels = palloc0(sizeof(SiIdMap *) * Max(ncovariates, 1));
	levelctx = AllocSetContextCreate(CurrentMemoryContext, "si_design levels", ALLOCSET_DEFAULT_SIZES);
	for (c = 0; c < ncovariates; c++)
	{
		Oid			t;

		if (covariate_columns[c] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: covariate_columns must not contain NULL", fname),
					 errhint("Give the names of columns of %s.", relname)));
		for (j = 0; j < c; j++)
			if (strcmp(covariate_columns[j], covariate_columns[c]) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: covariate column \"%s\" is given twice in covariate_columns",
								fname, covariate_columns[c]),
						 errhint("Name each covariate once.")));
		t = column_type(relid, "covariate_columns", covariate_columns[c], fname);
		if (is_number_type(t))
			st->kind[c] = COV_NUMBER;
		else if (t == BOOLOID)
			st->kind[c] = COV_BOOL;
		else if (is_text_type(t))
		{
			st->kind[c] = COV_FACTOR;
			st->levels[c] = si_idmap_create(levelctx);
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: covariate column \"%s\" has type %s, which is neither a number, a boolean nor a category",
							fname, covariate_columns[c], format_type_be(t)),
					 errhint("Use numeric, boolean, text or enum columns; derive a number from dates (e.g. extract(year ...)).")));
	}
	for (k = 0; k < nextra; k++)
	{
		if (extra_columns[k] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: the list of exact-match columns must not contain NULL", fname),
					 errhint("Give the names of columns of %s.", relname)));
		(void) column_type(relid, "exact_columns", extra_columns[k], fname);
	}

	/*
	 * Under the caller's search_path: types as pg_catalog.x, identifiers
	 * quoted, the table schema-qualified; design_startup checks the result
	 * types before a Datum is read.
	 */
	st->ncols = 2 + (weight_column ? 1 : 0) + ncovariates + nextra;
	st->coltypes = palloc(sizeof(Oid) * st->ncols);
	initStringInfo(&q);
	appendStringInfo(&q, "SELECT (%s)::pg_catalog.int8, (%s)::pg_catalog.%s",
					 quote_identifier(unit_column), quote_identifier(treatment_column),
					 ttreat == BOOLOID ? "bool" : "int8");
	j = 0;
	st->coltypes[j++] = INT8OID;
	st->coltypes[j++] = ttreat == BOOLOID ? BOOLOID : INT8OID;
	if (weight_column)
	{
		appendStringInfo(&q, ", (%s)::pg_catalog.float8", quote_identifier(weight_column));
		st->coltypes[j++] = FLOAT8OID;
	}
	for (c = 0; c < ncovariates; c++)
	{
		const char *cast = st->kind[c] == COV_NUMBER ? "float8" :
			st->kind[c] == COV_BOOL ? "bool" : "text";

		appendStringInfo(&q, ", (%s)::pg_catalog.%s", quote_identifier(covariate_columns[c]), cast);
		st->coltypes[j++] = st->kind[c] == COV_NUMBER ? FLOAT8OID :
			st->kind[c] == COV_BOOL ? BOOLOID : TEXTOID;
	}
	for (k = 0; k < nextra; k++)
	{
		appendStringInfo(&q, ", (%s)::pg_catalog.text", quote_identifier(extra_columns[k]));
		st->coltypes[j++] = TEXTOID;
	}
	appendStringInfo(&q, " FROM %s",
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), relname));

	st->outer = CurrentMemoryContext;
	st->fname = fname;
	st->treatment_column = treatment_column;
	st->covariates = covariate_columns;
	st->extras = extra_columns;
	st->ncov = ncovariates;
	st->nextra = nextra;
	st->has_weight = weight_column != NULL;
	st->treat_bool = ttreat == BOOLOID;
	st->cap = 1024;
	st->nonnull = palloc0(sizeof(int64) * Max(ncovariates, 1));
	st->unit = MemoryContextAllocHuge(st->outer, sizeof(int64) * st->cap);
	st->treated = MemoryContextAllocHuge(st->outer, sizeof(bool) * st->cap);
	if (st->has_weight)
		st->weight = MemoryContextAllocHuge(st->outer, sizeof(double) * st->cap);
	if (ncovariates > 0)
		st->raw = MemoryContextAllocHuge(st->outer, sizeof(double) * st->cap * ncovariates);
	if (nextra > 0)
		st->extra = MemoryContextAllocHuge(st->outer, sizeof(char *) * st->cap * nextra);
	st->pub.receiveSlot = design_receive;
	st->pub.rStartup = design_startup;
	st->pub.rShutdown = design_shutdown;
	st->pub.rDestroy = design_destroy;
	st->pub.mydest = DestNone;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "%s: SPI_connect failed", fname);
	memset(&eo, 0, sizeof(eo));
	eo.read_only = true;
	eo.dest = (DestReceiver *) st;
	ret = SPI_execute_extended(q.data, &eo);
	if (ret != SPI_OK_SELECT && ret != SPI_OK_UTILITY)
		elog(ERROR, "%s: reading %s failed: %s", fname, relname, SPI_result_code_string(ret));
	SPI_finish();

	/* what was read */
	for (c = 0; c < ncovariates; c++)
		if (st->rows_read > 0 && st->nonnull[c] == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: covariate column \"%s\" is NULL in every row of %s",
							fname, covariate_columns[c], relname),
					 errhint("Leave the column out of covariate_columns.")));
	if (st->n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s has no rows without a NULL in the columns used (" INT64_FORMAT " rows read, all dropped)",
						fname, relname, st->rows_read),
				 errhint("Every row needs a unit, a treatment and each covariate%s.",
						 weight_column ? " and weight" : "")));
	if (st->n_dropped > 0)
		ereport(NOTICE,
				(errmsg("%s: " INT64_FORMAT " of " INT64_FORMAT " rows of %s dropped for a NULL in a column used",
						fname, st->n_dropped, st->rows_read, relname)));

	d->n = st->n;
	d->n_dropped = st->n_dropped;
	d->unit = st->unit;
	d->treated = st->treated;
	d->weight = st->weight;
	for (i = 0; i < d->n; i++)
	{
		if (d->treated[i])
			d->n_treated++;
		else
			d->n_control++;
	}
	if (d->n_treated == 0 || d->n_control == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s has no %s rows (" INT64_FORMAT " rows used)",
						fname, relname, d->n_treated == 0 ? "treated" : "control", d->n),
				 errhint("The comparison needs treated and control units; check treatment column \"%s\"%s.",
						 treatment_column, d->n_dropped ? " and the rows dropped for NULLs" : "")));

	/* units distinct */
	{
		int64	   *u = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int64) * d->n);

		memcpy(u, d->unit, sizeof(int64) * d->n);
		qsort(u, d->n, sizeof(int64), cmp_int64);
		for (i = 1; i < d->n; i++)
			if (u[i] == u[i - 1])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: unit " INT64_FORMAT " has more than one row in %s", fname, u[i], relname),
						 errhint("Give one row per unit (unit column \"%s\").", unit_column)));
		pfree(u);
	}

	/* factor levels in byte order; the count of terms */
	sorted = palloc0(sizeof(Level *) * Max(ncovariates, 1));
	rank = palloc0(sizeof(int64 *) * Max(ncovariates, 1));
	p = 0;
	for (c = 0; c < ncovariates; c++)
	{
		if (st->kind[c] == COV_FACTOR)
		{
			int64		L = si_idmap_count(st->levels[c]);

			if (L < 2)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: covariate column \"%s\" has only one value in the rows used",
								fname, covariate_columns[c]),
						 errhint("A constant covariate cannot be estimated; leave it out of covariate_columns.")));
			if (L - 1 > SI_DESIGN_MAX_TERMS - p)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("%s: covariate column \"%s\" has " INT64_FORMAT " distinct values, more terms than the %d allowed",
								fname, covariate_columns[c], L, SI_DESIGN_MAX_TERMS),
						 errhint("Group the categories first, or give a numeric column.")));
			sorted[c] = palloc(sizeof(Level) * L);
			rank[c] = palloc(sizeof(int64) * L);
			for (k = 0; k < L; k++)
			{
				sorted[c][k].bytes = si_idmap_bytes(st->levels[c], k, &sorted[c][k].len);
				sorted[c][k].key = k;
			}
			qsort(sorted[c], L, sizeof(Level), cmp_level);
			for (k = 0; k < L; k++)
				rank[c][sorted[c][k].key] = k;
			p += (int) (L - 1);
		}
		else
		{
			double		lo = st->raw[c],
						hi = st->raw[c];

			for (i = 1; i < d->n; i++)
			{
				double		x = st->raw[i * ncovariates + c];

				if (x < lo)
					lo = x;
				if (x > hi)
					hi = x;
			}
			if (lo == hi)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: covariate column \"%s\" is constant (%g) in the rows used",
								fname, covariate_columns[c], lo),
						 errhint("A constant covariate cannot be estimated; leave it out of covariate_columns.")));
			if (p >= SI_DESIGN_MAX_TERMS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("%s: more than %d terms", fname, SI_DESIGN_MAX_TERMS),
						 errhint("Use fewer covariates.")));
			p++;
		}
	}

	/* terms and the model matrix */
	d->p = p;
	d->ncolumns = ncovariates;
	d->column = palloc(sizeof(char *) * Max(ncovariates, 1));
	d->column_is_factor = palloc(sizeof(bool) * Max(ncovariates, 1));
	d->term = palloc(sizeof(char *) * Max(p, 1));
	d->term_column = palloc(sizeof(int) * Max(p, 1));
	j = 0;
	for (c = 0; c < ncovariates; c++)
	{
		d->column[c] = pstrdup(covariate_columns[c]);
		d->column_is_factor[c] = st->kind[c] == COV_FACTOR;
		if (st->kind[c] == COV_FACTOR)
		{
			int64		L = si_idmap_count(st->levels[c]);

			for (k = 1; k < L; k++)
			{
				d->term[j] = psprintf("%s=%s", covariate_columns[c],
									  pnstrdup(sorted[c][k].bytes, sorted[c][k].len));
				d->term_column[j++] = c;
			}
		}
		else
		{
			d->term[j] = pstrdup(covariate_columns[c]);
			d->term_column[j++] = c;
		}
	}
	if (p > 0 && (Size) d->n > MaxAllocHugeSize / sizeof(double) / p)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: " INT64_FORMAT " rows times %d terms do not fit in memory", fname, d->n, p),
				 errhint("Read fewer rows or use fewer covariates.")));
	d->x = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * d->n * Max(p, 1));
	for (i = 0; i < d->n; i++)
	{
		double	   *row = d->x + i * p;

		j = 0;
		for (c = 0; c < ncovariates; c++)
		{
			double		v = st->raw[i * ncovariates + c];

			if (st->kind[c] == COV_FACTOR)
			{
				int64		L = si_idmap_count(st->levels[c]);
				int64		r = rank[c][(int64) v];

				for (k = 1; k < L; k++)
					row[j++] = (r == k) ? 1.0 : 0.0;
			}
			else
				row[j++] = v;
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	d->nextra = nextra;
	d->extra_value = st->extra;
	if (st->raw)
		pfree(st->raw);
	MemoryContextDelete(levelctx);
	return d;
}

const char *
si_design_name_arg(FunctionCallInfo fcinfo, int argno, const char *argname, bool required)
{
	if (PG_ARGISNULL(argno))
	{
		if (required)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", argname),
					 errhint("Give the name of a column.")));
		return NULL;
	}
	return pstrdup(NameStr(*PG_GETARG_NAME(argno)));
}

const char **
si_design_names_arg(FunctionCallInfo fcinfo, int argno, const char *argname, bool required, int *n)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			count,
				i;
	const char **out;

	*n = 0;
	if (PG_ARGISNULL(argno))
	{
		if (required)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", argname),
					 errhint("Give an array of column names, e.g. ARRAY['age', 'educ']::name[].")));
		return NULL;
	}
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array, not %d-dimensional", argname, ARR_NDIM(arr)),
				 errhint("Give a list of column names, e.g. ARRAY['age', 'educ']::name[].")));
	if (ARR_NDIM(arr) == 1 && ARR_DIMS(arr)[0] > SI_DESIGN_MAX_TERMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s lists %d columns, more than the %d allowed", argname, ARR_DIMS(arr)[0],
						SI_DESIGN_MAX_TERMS),
				 errhint("Use fewer columns.")));
	deconstruct_array(arr, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR, &elems, &nulls, &count);
	out = palloc(sizeof(char *) * Max(count, 1));
	for (i = 0; i < count; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL (element %d)", argname, i + 1),
					 errhint("Give the names of columns.")));
		out[i] = pstrdup(NameStr(*DatumGetName(elems[i])));
	}
	*n = count;
	return out;
}

Oid
si_design_relation_arg(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: relation must not be NULL", fname),
				 errhint("Give the table (or view) to read, e.g. 'lalonde'::regclass.")));
	return PG_GETARG_OID(argno);
}
