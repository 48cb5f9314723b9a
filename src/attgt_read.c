/*
 * attgt_read.c — read a panel for att_gt through SPI, as the caller, in
 * one pass into compact per-unit arrays: a unit index (hash on the unit
 * id), one outcome column per period (NaN where the unit has no row), and
 * per-unit cohort, weight, cluster and covariates (all time-invariant).
 * Then apply R did's sample rules, counting every unit dropped.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "tcop/dest.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "attgt.h"
#include "si_common.h"

typedef struct ClusterEnt
{
	char		key[NAMEDATALEN * 2];
	int32		idx;
} ClusterEnt;

/* list the table's columns for the hint of a missing-column error */
static char *
table_columns(Oid relid)
{
	StringInfoData s;
	Relation	rel = relation_open(relid, AccessShareLock);
	TupleDesc	td = RelationGetDescr(rel);
	int			i;
	bool		first = true;

	initStringInfo(&s);
	for (i = 0; i < td->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (a->attisdropped)
			continue;
		appendStringInfo(&s, "%s%s", first ? "" : ", ", quote_identifier(NameStr(a->attname)));
		first = false;
	}
	relation_close(rel, AccessShareLock);
	return s.data;
}

static void
check_column(Oid relid, const char *argname, const char *col)
{
	if (col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", argname),
				 errhint("Give the name of a column of %s.", get_rel_name(relid))));
	if (get_attnum(relid, col) == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" given as %s does not exist in table %s",
						col, argname, get_rel_name(relid)),
				 errhint("The table's columns are: %s.", table_columns(relid))));
}

static double
num_or_nan(Datum *v, bool *isnull, int k)
{
	return isnull[k] ? NAN : DatumGetFloat8(v[k]);
}

/* period values: small open-addressing map value -> column */
typedef struct PeriodMap
{
	int			cap;
	int32	   *key;
	int32	   *col;
	bool	   *used;
} PeriodMap;

static void
pmap_init(PeriodMap *m, int cap)
{
	m->cap = cap;
	m->key = palloc(sizeof(int32) * cap);
	m->col = palloc(sizeof(int32) * cap);
	m->used = palloc0(sizeof(bool) * cap);
}

static int
pmap_find(PeriodMap *m, int32 key, bool *found)
{
	uint32		h = (uint32) key * 2654435761u;
	int			pos = h & (m->cap - 1);

	while (m->used[pos])
	{
		if (m->key[pos] == key)
		{
			*found = true;
			return pos;
		}
		pos = (pos + 1) & (m->cap - 1);
	}
	*found = false;
	return pos;
}

static void
pmap_insert(PeriodMap *m, int32 key, int32 col)
{
	bool		found;
	int			pos;

	if (2 * (col + 1) > m->cap)
	{
		PeriodMap	n;
		int			i;

		pmap_init(&n, m->cap * 2);
		for (i = 0; i < m->cap; i++)
			if (m->used[i])
				pmap_insert(&n, m->key[i], m->col[i]);
		*m = n;
	}
	pos = pmap_find(m, key, &found);
	m->used[pos] = true;
	m->key[pos] = key;
	m->col[pos] = col;
}

/* unit ids: open addressing int64 -> index (faster than dynahash per row) */
typedef struct UnitMap
{
	uint64		cap;
	int64	   *key;
	int32	   *idx;				/* -1 = empty */
	uint64		used;
} UnitMap;

static void
umap_init(UnitMap *m, uint64 cap)
{
	uint64		i;

	m->cap = cap;
	m->used = 0;
	m->key = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int64) * cap);
	m->idx = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int32) * cap);
	for (i = 0; i < cap; i++)
		m->idx[i] = -1;
}

static inline uint64
umap_hash(int64 key)
{
	uint64		x = (uint64) key;

	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return x;
}

/* index of key; *found false means the slot is free for it */
static inline uint64
umap_slot(const UnitMap *m, int64 key, bool *found)
{
	uint64		pos = umap_hash(key) & (m->cap - 1);

	while (m->idx[pos] >= 0)
	{
		if (m->key[pos] == key)
		{
			*found = true;
			return pos;
		}
		pos = (pos + 1) & (m->cap - 1);
	}
	*found = false;
	return pos;
}

static void
umap_put(UnitMap *m, int64 key, int32 idx)
{
	bool		found;
	uint64		pos;

	if (2 * (m->used + 1) > m->cap)
	{
		UnitMap		n;
		uint64		i;

		umap_init(&n, m->cap * 2);
		for (i = 0; i < m->cap; i++)
			if (m->idx[i] >= 0)
				umap_put(&n, m->key[i], m->idx[i]);
		pfree(m->key);
		pfree(m->idx);
		*m = n;
	}
	pos = umap_slot(m, key, &found);
	if (!found)
		m->used++;
	m->key[pos] = key;
	m->idx[pos] = idx;
}

static int32
whole_number(double v, const char *what, const char *col)
{
	if (!(v == floor(v)) || fabs(v) > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s column \"%s\" holds the non-integer value %g", what, col, v),
				 errhint("Periods and cohorts must be whole numbers (e.g. years or week indices); "
						 "convert dates with weeks_between() or extract(year ...).")));
	return (int32) v;
}

static int
cmp_int32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a,
				y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/*
 * How a key column arrives: integer columns are read natively (no cast),
 * anything else as float8 and checked to be a whole number.
 */
typedef enum
{
	KEY_INT2,
	KEY_INT4,
	KEY_INT8,
	KEY_FLOAT8
} KeyKind;

static KeyKind
key_kind(Oid relid, const char *col)
{
	switch (get_atttype(relid, get_attnum(relid, col)))
	{
		case INT2OID:
			return KEY_INT2;
		case INT4OID:
			return KEY_INT4;
		case INT8OID:
			return KEY_INT8;
		default:
			return KEY_FLOAT8;
	}
}

/* casts name pg_catalog's types: a pg_temp domain "float8" would win */
static const char *
key_cast(KeyKind k)
{
	return k == KEY_FLOAT8 ? "::pg_catalog.float8" : "";
}

/* type of a key column in the query result (see key_cast) */
static Oid
key_type(KeyKind k)
{
	switch (k)
	{
		case KEY_INT2:
			return INT2OID;
		case KEY_INT4:
			return INT4OID;
		case KEY_INT8:
			return INT8OID;
		default:
			return FLOAT8OID;
	}
}

static double
key_value(KeyKind k, Datum d)
{
	switch (k)
	{
		case KEY_INT2:
			return DatumGetInt16(d);
		case KEY_INT4:
			return DatumGetInt32(d);
		case KEY_INT8:
			return (double) DatumGetInt64(d);
		default:
			return DatumGetFloat8(d);
	}
}

/* state of the one pass over the rows */
typedef struct ReadState
{
	DestReceiver pub;			/* must be first */
	AttgtOptions *opt;
	AttgtPanel *P;
	MemoryContext outer;
	UnitMap		units;
	HTAB	   *clusters;
	PeriodMap	pm;
	int			ncap,
				tcap,
				n,
				T,
				p;
	double	  **ycol;
	int32	   *pval;
	double	   *cohortv,
			   *wv,
			   *xv;
	int32	   *clv;
	int64	   *uid;			/* index -> unit id */
	int64		last_id;
	int32		last_idx;
	KeyKind		kunit,
				kperiod,
				kcohort;
	int			ncols;
	Oid			coltypes[6 + DRDID_MAXK];	/* what process_row reads */
} ReadState;

static int32
cluster_index(ReadState *st, Datum d, bool enter)
{
	text	   *t = (text *) pg_detoast_datum_packed((struct varlena *) DatumGetPointer(d));
	char		key[NAMEDATALEN * 2];
	int			len = (int) VARSIZE_ANY_EXHDR(t);
	ClusterEnt *ce;
	bool		found;

	/* a cut label would merge clusters that differ after the cut */
	if (len > (int) sizeof(key) - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cluster column \"%s\" holds a label of %d bytes, more than the %d att_gt compares",
						st->opt->cluster, len, (int) sizeof(key) - 1),
				 errhint("Use shorter cluster labels, e.g. a number or md5(label).")));
	memset(key, 0, sizeof(key));
	memcpy(key, VARDATA_ANY(t), len);
	ce = hash_search(st->clusters, key, enter ? HASH_ENTER : HASH_FIND, &found);
	if (ce == NULL)
		return -1;
	if (!found)
		ce->idx = st->P->ncl++;
	return ce->idx;
}

static void
process_row(ReadState *st, Datum *v, bool *nul)
{
	AttgtOptions *opt = st->opt;
	AttgtPanel *P = st->P;
	int			p = st->p,
				i,
				j;
	int64		id;
	int32		idx,
				per,
				col;
	double		yv,
				cv,
				wt;
	bool		found;

	if (nul[0])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("unit column \"%s\" has a NULL value", opt->unit),
				 errhint("Every row needs a unit id.")));
	if (nul[1])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("period column \"%s\" has a NULL value", opt->period),
				 errhint("Every row needs a period.")));
	switch (st->kunit)
	{
		case KEY_INT2:
			id = DatumGetInt16(v[0]);
			break;
		case KEY_INT4:
			id = DatumGetInt32(v[0]);
			break;
		case KEY_INT8:
			id = DatumGetInt64(v[0]);
			break;
		default:
			{
				/*
				 * read as float8: a cast to int8 would round 1.4 and 1.2
				 * into one unit 1 without a word
				 */
				double		u = DatumGetFloat8(v[0]);

				if (!(u == floor(u)) || fabs(u) >= 9007199254740992.0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("unit column \"%s\" holds the value %.15g, which is not a whole number below 2^53",
									opt->unit, u),
							 errhint("Unit ids must be whole numbers; number the units, e.g. with dense_rank() over the id.")));
				id = (int64) u;
			}
			break;
	}
	if (st->kperiod == KEY_INT4)
		per = DatumGetInt32(v[1]);
	else
		per = whole_number(key_value(st->kperiod, v[1]), "period", opt->period);
	cv = nul[2] ? 0.0 : key_value(st->kcohort, v[2]);
	if (!nul[2] && (st->kcohort == KEY_FLOAT8 || st->kcohort == KEY_INT8))
		(void) whole_number(cv, "cohort", opt->cohort);
	if (nul[3] || isnan(DatumGetFloat8(v[3])) || isinf(DatumGetFloat8(v[3])))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("outcome column \"%s\" is missing (NULL or not finite) for unit " INT64_FORMAT " in period %d",
						opt->outcome, id, per),
				 errhint("Remove the row (an unbalanced panel is allowed) or fill in the outcome; "
						 "att_gt never drops rows silently.")));
	yv = DatumGetFloat8(v[3]);
	wt = num_or_nan(v, nul, 4);
	if (opt->weights && !(wt > 0.0 && isfinite(wt)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights column \"%s\" holds %g for unit " INT64_FORMAT ", which is not a positive number",
						opt->weights, wt, id),
				 errhint("Weights must be positive and finite.")));
	if (opt->cluster && nul[5])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cluster column \"%s\" is NULL for unit " INT64_FORMAT, opt->cluster, id),
				 errhint("Every unit needs a cluster.")));
	for (j = 0; j < p; j++)
		if (nul[6 + j] || !isfinite(DatumGetFloat8(v[6 + j])))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("covariate \"%s\" is missing (NULL or not finite) for unit " INT64_FORMAT,
							opt->covariates[j], id),
					 errhint("Covariates must be present for every row.")));

	P->rows_read++;

	/* period column */
	{
		int			pos = pmap_find(&st->pm, per, &found);

		if (found)
			col = st->pm.col[pos];
		else
		{
			if (st->T == st->tcap)
			{
				st->tcap *= 2;
				st->ycol = repalloc(st->ycol, sizeof(double *) * st->tcap);
				st->pval = repalloc(st->pval, sizeof(int32) * st->tcap);
			}
			col = st->T++;
			st->pval[col] = per;
			st->ycol[col] = MemoryContextAllocHuge(st->outer, sizeof(double) * st->ncap);
			for (i = 0; i < st->ncap; i++)
				st->ycol[col][i] = NAN;
			pmap_insert(&st->pm, per, col);
		}
	}

	/*
	 * unit index; rows usually come grouped by unit (same id as the last
	 * row) or by period with units in a stable order (the next index)
	 */
	if (st->last_idx >= 0 && id == st->last_id)
		idx = st->last_idx;
	else if (st->last_idx + 1 < st->n && st->uid[st->last_idx + 1] == id)
	{
		idx = st->last_idx + 1;
		st->last_id = id;
		st->last_idx = idx;
	}
	else if (st->n > 0 && st->uid[0] == id)
	{
		idx = 0;
		st->last_id = id;
		st->last_idx = idx;
	}
	else
	{
		uint64		pos = umap_slot(&st->units, id, &found);

		if (!found)
		{
			if (st->n == st->ncap)
			{
				int			newcap = st->ncap * 2;

				for (j = 0; j < st->T; j++)
				{
					st->ycol[j] = repalloc_huge(st->ycol[j], sizeof(double) * newcap);
					for (i = st->ncap; i < newcap; i++)
						st->ycol[j][i] = NAN;
				}
				st->cohortv = repalloc_huge(st->cohortv, sizeof(double) * newcap);
				st->wv = repalloc_huge(st->wv, sizeof(double) * newcap);
				st->xv = repalloc_huge(st->xv, sizeof(double) * newcap * Max(p, 1));
				if (st->clv)
					st->clv = repalloc_huge(st->clv, sizeof(int32) * newcap);
				st->uid = repalloc_huge(st->uid, sizeof(int64) * newcap);
				st->ncap = newcap;
			}
			idx = st->n++;
			st->uid[idx] = id;
			umap_put(&st->units, id, idx);
			st->cohortv[idx] = cv;
			st->wv[idx] = opt->weights ? wt : 1.0;
			for (j = 0; j < p; j++)
				st->xv[(long) idx * p + j] = DatumGetFloat8(v[6 + j]);
			if (st->clusters)
				st->clv[idx] = cluster_index(st, v[5], true);
		}
		else
			idx = st->units.idx[pos];
		st->last_id = id;
		st->last_idx = idx;
	}
	/* time-invariant per-unit values */
	if (st->cohortv[idx] != cv)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cohort column \"%s\" varies within unit " INT64_FORMAT " (%g and %g)",
						opt->cohort, id, st->cohortv[idx], cv),
				 errhint("The cohort is the first treated period of the unit and must be the same in all its rows.")));
	if (opt->weights && st->wv[idx] != wt)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights column \"%s\" varies within unit " INT64_FORMAT, opt->weights, id),
				 errhint("Weights must be constant within a unit, as in R did.")));
	for (j = 0; j < p; j++)
		if (st->xv[(long) idx * p + j] != DatumGetFloat8(v[6 + j]))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("covariate \"%s\" varies within unit " INT64_FORMAT,
							opt->covariates[j], id),
					 errhint("Only time-invariant covariates are supported; use the value at a fixed period.")));
	if (st->clusters && cluster_index(st, v[5], false) != st->clv[idx])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cluster column \"%s\" varies within unit " INT64_FORMAT, opt->cluster, id),
				 errhint("Units must be nested in clusters, as R did requires.")));
	if (!isnan(st->ycol[col][idx]))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("unit " INT64_FORMAT " has more than one row for period %d", id, per),
				 errhint("Each (unit, period) pair must appear once; aggregate the outcome first.")));
	st->ycol[col][idx] = yv;
}

static bool
read_receive(TupleTableSlot *slot, DestReceiver *self)
{
	ReadState  *st = (ReadState *) self;
	MemoryContext old = MemoryContextSwitchTo(st->outer);

	slot_getallattrs(slot);
	process_row(st, slot->tts_values, slot->tts_isnull);
	MemoryContextSwitchTo(old);
	if ((st->P->rows_read & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	return true;
}

/* before the first row: the columns must be what process_row reads */
static void
read_startup(DestReceiver *self, int operation pg_attribute_unused(), TupleDesc typeinfo)
{
	ReadState  *st = (ReadState *) self;

	si_check_result_types(typeinfo, st->coltypes, st->ncols, "the query att_gt reads its panel with");
}

static void
read_shutdown(DestReceiver *self pg_attribute_unused())
{
}

static void
read_destroy(DestReceiver *self pg_attribute_unused())
{
}

AttgtPanel *
attgt_read_panel(AttgtOptions *opt)
{
	Oid			relid = opt->relid;
	AttgtPanel *P = palloc0(sizeof(AttgtPanel));
	StringInfoData q;
	char	   *relname;
	MemoryContext outer = CurrentMemoryContext;
	HTAB	   *clusters = NULL;
	HASHCTL		ctl;
	PeriodMap	pm;
	int			n,
				T,
				i,
				j;
	double	  **ycol;
	int32	   *pval;
	double	   *cohortv,
			   *wv,
			   *xv;
	int32	   *clv = NULL;
	int			p = opt->ncov;
	ReadState  *st = palloc0(sizeof(ReadState));
	SPIExecuteOptions eo;
	int			ret;
	const char *unit_cast = NULL;

	/*
	 * privileges, as a SELECT of the columns used would be checked (schema
	 * USAGE, then the table or every column); the query runs as the caller,
	 * so RLS applies too
	 */
	relname = get_rel_name(relid);
	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	{
		const char *cols[6 + DRDID_MAXK];
		int			nc = 0,
					c;

		cols[nc++] = opt->outcome;
		cols[nc++] = opt->unit;
		cols[nc++] = opt->period;
		cols[nc++] = opt->cohort;
		cols[nc++] = opt->weights;
		cols[nc++] = opt->cluster;
		for (c = 0; c < opt->ncov && nc < 6 + DRDID_MAXK; c++)
			cols[nc++] = opt->covariates[c];
		si_check_select_columns(relid, cols, nc, "att_gt");
	}

	check_column(relid, "outcome_column", opt->outcome);
	check_column(relid, "unit_column", opt->unit);
	check_column(relid, "period_column", opt->period);
	check_column(relid, "cohort_column", opt->cohort);
	if (opt->weights)
		check_column(relid, "weight_column", opt->weights);
	if (opt->cluster)
		check_column(relid, "cluster_column", opt->cluster);
	for (j = 0; j < p; j++)
		check_column(relid, "covariate_columns", opt->covariates[j]);

	initStringInfo(&q);
	st->kunit = key_kind(relid, opt->unit);
	{
		Oid			ut = get_atttype(relid, get_attnum(relid, opt->unit));

		/*
		 * Ids of a type that is not a number (text) are cast to int8, which
		 * refuses anything but whole numbers and keeps all 19 digits;
		 * float and numeric ids are read as float8 and checked in
		 * process_row, since a cast to int8 would round 1.4 and 1.2 together.
		 */
		if (st->kunit == KEY_FLOAT8 && ut != FLOAT4OID && ut != FLOAT8OID && ut != NUMERICOID)
		{
			st->kunit = KEY_INT8;
			unit_cast = "::pg_catalog.int8";
		}
	}
	st->kperiod = key_kind(relid, opt->period);
	st->kcohort = key_kind(relid, opt->cohort);

	/*
	 * The query runs under the caller's search_path: every type is named
	 * pg_catalog.x (a pg_temp domain "text" over bigint made the cluster
	 * column an int8 read as a text pointer), identifiers are quoted, the
	 * table is schema-qualified, and read_startup checks the result's
	 * column types before any row is read.
	 */
	if (p > DRDID_MAXK)
		elog(ERROR, "att_gt: %d covariates, at most %d", p, DRDID_MAXK);
	appendStringInfo(&q, "SELECT %s%s, %s%s, %s%s, (%s)::pg_catalog.float8, (%s)::pg_catalog.float8, (%s)::pg_catalog.text",
					 quote_identifier(opt->unit), unit_cast ? unit_cast : key_cast(st->kunit),
					 quote_identifier(opt->period), key_cast(st->kperiod),
					 quote_identifier(opt->cohort), key_cast(st->kcohort),
					 quote_identifier(opt->outcome),
					 opt->weights ? quote_identifier(opt->weights) : "1",
					 opt->cluster ? quote_identifier(opt->cluster) : "NULL");
	for (j = 0; j < p; j++)
		appendStringInfo(&q, ", (%s)::pg_catalog.float8", quote_identifier(opt->covariates[j]));
	st->coltypes[0] = key_type(st->kunit);
	st->coltypes[1] = key_type(st->kperiod);
	st->coltypes[2] = key_type(st->kcohort);
	st->coltypes[3] = FLOAT8OID;
	st->coltypes[4] = FLOAT8OID;
	st->coltypes[5] = TEXTOID;
	for (j = 0; j < p; j++)
		st->coltypes[6 + j] = FLOAT8OID;
	st->ncols = 6 + p;
	appendStringInfo(&q, " FROM %s",
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), relname));

	umap_init(&st->units, 4096);
	st->uid = palloc(sizeof(int64) * 1024);
	st->ncap = 1024;
	st->tcap = 16;
	if (opt->cluster)
	{
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(((ClusterEnt *) 0)->key);
		ctl.entrysize = sizeof(ClusterEnt);
		ctl.hcxt = outer;
		clusters = hash_create("att_gt clusters", 256, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		st->clv = palloc(sizeof(int32) * st->ncap);
	}
	pmap_init(&st->pm, 64);
	st->ycol = palloc(sizeof(double *) * st->tcap);
	st->pval = palloc(sizeof(int32) * st->tcap);
	st->cohortv = palloc(sizeof(double) * st->ncap);
	st->wv = palloc(sizeof(double) * st->ncap);
	st->xv = palloc(sizeof(double) * st->ncap * Max(p, 1));
	st->opt = opt;
	st->P = P;
	st->outer = outer;
	st->clusters = clusters;
	st->p = p;
	st->last_idx = -1;
	st->pub.receiveSlot = read_receive;
	st->pub.rStartup = read_startup;
	st->pub.rShutdown = read_shutdown;
	st->pub.rDestroy = read_destroy;
	st->pub.mydest = DestNone;

	/* one pass: rows go straight from the executor into the arrays */
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	memset(&eo, 0, sizeof(eo));
	eo.read_only = true;
	eo.dest = (DestReceiver *) st;
	ret = SPI_execute_extended(q.data, &eo);
	/* with our own receiver SPI reports SPI_OK_UTILITY for the SELECT */
	if (ret != SPI_OK_SELECT && ret != SPI_OK_UTILITY)
		elog(ERROR, "att_gt: reading %s failed: %s", relname, SPI_result_code_string(ret));
	SPI_finish();

	n = st->n;
	T = st->T;
	ycol = st->ycol;
	pval = st->pval;
	cohortv = st->cohortv;
	wv = st->wv;
	xv = st->xv;
	clv = st->clv;
	pm = st->pm;

	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("table %s has no rows", relname),
				 errhint("att_gt needs a panel of units observed over periods.")));

	/* sort the period columns */
	{
		int32	   *sorted = palloc(sizeof(int32) * T);
		double	  **ys = palloc(sizeof(double *) * T);

		memcpy(sorted, pval, sizeof(int32) * T);
		qsort(sorted, T, sizeof(int32), cmp_int32);
		for (j = 0; j < T; j++)
		{
			bool		found;
			int			pos = pmap_find(&pm, sorted[j], &found);

			ys[j] = ycol[pm.col[pos]];
		}
		P->tval = sorted;
		P->y = ys;
	}
	P->T = T;
	P->units_read = n;

	/* R did's sample rules */
	{
		int32		tmin = P->tval[0],
					tmax = P->tval[T - 1];
		int32	   *coh = palloc(sizeof(int32) * n);
		int			m = 0;
		bool		have_never = false;
		int32		gmax = 0;

		for (i = 0; i < n; i++)
		{
			int32		c = (int32) cohortv[i];

			/* cohorts after the last period behave as never treated */
			if (c != 0 && c > tmax)
			{
				c = 0;
				P->units_late++;
			}
			/* already treated in the first period (with anticipation): dropped */
			if (c != 0 && c <= tmin + opt->anticipation)
			{
				P->units_always++;
				continue;
			}
			/* compact in place */
			for (j = 0; j < T; j++)
				P->y[j][m] = P->y[j][i];
			coh[m] = c;
			wv[m] = wv[i];
			if (clv)
				clv[m] = clv[i];
			if (p > 0 && m != i)
				memmove(xv + (long) m * p, xv + (long) i * p, sizeof(double) * p);
			if (c == 0)
				have_never = true;
			if (c > gmax)
				gmax = c;
			m++;
		}
		n = m;
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("every unit is treated in the first period"),
					 errhint("att_gt needs units observed before their treatment starts.")));
		if (!have_never)
		{
			if (!opt->notyettreated)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("there are no never-treated units, which control_group 'nevertreated' needs"),
						 errhint("Use control_group => 'notyettreated' (the last cohort then serves as control only), "
								 "or mark never-treated units with cohort 0 or NULL.")));
			/* as R did: keep periods before (last cohort - anticipation), last cohort becomes control */
			{
				int			keepT = 0;

				for (j = 0; j < T; j++)
				{
					if (P->tval[j] < gmax - opt->anticipation)
						keepT = j + 1;
					else
					{
						int			r;

						for (r = 0; r < n; r++)
							if (!isnan(P->y[j][r]))
								P->rows_dropped++;
					}
				}
				P->periods_dropped = T - keepT;
				T = keepT;
				P->T = T;
				for (i = 0; i < n; i++)
					if (coh[i] == gmax)
					{
						coh[i] = 0;
						P->units_last_as_control++;
					}
			}
			if (T < 2)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("fewer than two periods remain before the last cohort is treated"),
						 errhint("With no never-treated units the periods from the last cohort's start on are dropped.")));
		}
		P->n = n;
		P->cohort = coh;
	}

	/* weights normalised to mean 1 over the units kept (as did does) */
	{
		double		s = 0.0;

		for (i = 0; i < n; i++)
			s += wv[i];
		s /= n;
		for (i = 0; i < n; i++)
			wv[i] /= s;
		P->w = wv;
	}
	P->cl = clv;
	if (clv)
	{
		/* renumber clusters that still have units */
		int32	   *map = palloc(sizeof(int32) * Max(P->ncl, 1));
		int			k = 0;

		for (i = 0; i < P->ncl; i++)
			map[i] = -1;
		for (i = 0; i < n; i++)
		{
			if (map[clv[i]] < 0)
				map[clv[i]] = k++;
			clv[i] = map[clv[i]];
		}
		P->ncl = k;
	}
	P->p = p;
	P->x = xv;

	/* balanced? */
	P->balanced = true;
	for (i = 0; i < n; i++)
	{
		for (j = 0; j < T; j++)
			if (isnan(P->y[j][i]))
				break;
		if (j < T)
		{
			P->balanced = false;
			P->units_unbalanced++;
		}
	}
	pfree(st->units.key);
	pfree(st->units.idx);
	if (clusters)
		hash_destroy(clusters);
	return P;
}
