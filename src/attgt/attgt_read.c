/*
 * attgt_read.c — read a panel for att_gt in one pass into compact
 * per-unit arrays: a unit index (hash on the unit id: whole numbers, or
 * text and uuid ids mapped to dense indices), one outcome column per period (NaN where the unit has no row), per-unit
 * cohort, weight and cluster (time-invariant), and covariates: per unit,
 * or per (unit, period) once one of them varies within a unit. Date
 * periods are mapped onto their detected grid (periodgrid.h). Then apply
 * R did's sample rules, counting every unit dropped.
 *
 * Owns the reading and the sample rules; must not estimate anything (the
 * numbers are in src/math/attgt_*.c). Checks privileges and column types
 * before any Datum; a plain table is scanned by attgt_scan.c, anything
 * else read through SPI as the caller; both feed attgt_read_row.
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
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/uuid.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "catalog/pg_statistic.h"

#include "attgt.h"
#include "attgt_read.h"
#include "si_common.h"
#include "si_idmap.h"

typedef struct ClusterEnt
{
	char		key[NAMEDATALEN * 2];
	int32		idx;
} ClusterEnt;

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
				 errhint("The table's columns are: %s.", si_table_columns(relid))));
}

static double
num_or_nan(Datum *v, bool *isnull, int k)
{
	return isnull[k] ? NAN : DatumGetFloat8(v[k]);
}


static void
imap_init(IndexMap *m, uint64 cap)
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
imap_hash(int64 key)
{
	uint64		x = (uint64) key;

	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return x;
}

/* index of key; *found false means the slot is free for it */
static inline uint64
imap_slot(const IndexMap *m, int64 key, bool *found)
{
	uint64		pos = imap_hash(key) & (m->cap - 1);

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
imap_put(IndexMap *m, int64 key, int32 idx)
{
	bool		found;
	uint64		pos;

	if (2 * (m->used + 1) > m->cap)
	{
		IndexMap	n;
		uint64		i;

		imap_init(&n, m->cap * 2);
		for (i = 0; i < m->cap; i++)
			if (m->idx[i] >= 0)
				imap_put(&n, m->key[i], m->idx[i]);
		pfree(m->key);
		pfree(m->idx);
		*m = n;
	}
	pos = imap_slot(m, key, &found);
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


/*
 * The kind of a unit, period or cohort column (domains by their base
 * type); a type att_gt cannot use is a one-line 42804 error.
 */
static KeyKind
key_kind(Oid relid, const char *col, const char *argname, bool want_date)
{
	Oid			typ = getBaseType(get_atttype(relid, get_attnum(relid, col)));
	bool		unit = strcmp(argname, "unit") == 0;

	if (!want_date)
	{
		switch (typ)
		{
			case INT2OID:
				return KEY_INT2;
			case INT4OID:
				return KEY_INT4;
			case INT8OID:
				return KEY_INT8;
			case FLOAT4OID:
			case FLOAT8OID:
			case NUMERICOID:
				return KEY_FLOAT8;
			case TEXTOID:
			case VARCHAROID:
			case BPCHAROID:
				if (unit)
					return KEY_TEXT;
				break;
			case UUIDOID:
				if (unit)
					return KEY_UUID;
				break;
			case DATEOID:
				if (strcmp(argname, "period") == 0)
					return KEY_DATE;
				break;
			default:
				break;
		}
	}
	else if (typ == DATEOID)
		return KEY_DATE;
	if (unit)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("unit column \"%s\" has type %s, which att_gt cannot use as a unit id",
						col, format_type_be(typ)),
				 errhint("Use integer, bigint, text, varchar or uuid ids (or whole numbers of another numeric type).")));
	if (want_date)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cohort column \"%s\" has type %s, but the period column is a date",
						col, format_type_be(typ)),
				 errhint("With date periods the cohort is the date of the first treated period; "
						 "NULL or 'infinity' marks never-treated units.")));
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("%s column \"%s\" has type %s, which att_gt cannot use as a %s",
					argname, col, format_type_be(typ), argname),
			 errhint("%s", strcmp(argname, "period") == 0 ?
					 "Use whole numbers (integer, bigint, numeric) or date; cast timestamps with ::pg_catalog.date." :
					 "Use whole numbers of the first treated period (0 or NULL for never treated), "
					 "or dates when the period column is a date.")));
	return KEY_FLOAT8;			/* not reached */
}

/* casts name pg_catalog's types: a pg_temp domain "float8" would win */
static const char *
key_cast(KeyKind k)
{
	switch (k)
	{
		case KEY_INT2:
			return "::pg_catalog.int2";
		case KEY_INT4:
			return "::pg_catalog.int4";
		case KEY_INT8:
			return "::pg_catalog.int8";
		case KEY_TEXT:
			return "::pg_catalog.text";
		case KEY_UUID:
			return "::pg_catalog.uuid";
		case KEY_DATE:
			return "::pg_catalog.date";
		default:
			return "::pg_catalog.float8";
	}
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
		case KEY_TEXT:
			return TEXTOID;
		case KEY_UUID:
			return UUIDOID;
		case KEY_DATE:
			return DATEOID;
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


static int32
cluster_index(AttgtReadState *st, Datum d, bool enter)
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

/* a unit id for messages */
static char *
unit_label(AttgtReadState *st, Datum d)
{
	switch (st->kunit)
	{
		case KEY_INT2:
			return psprintf("%d", (int) DatumGetInt16(d));
		case KEY_INT4:
			return psprintf("%d", DatumGetInt32(d));
		case KEY_INT8:
			return psprintf(INT64_FORMAT, DatumGetInt64(d));
		case KEY_FLOAT8:
			return psprintf("%.15g", DatumGetFloat8(d));
		case KEY_UUID:
			return DatumGetCString(DirectFunctionCall1(uuid_out, d));
		default:
			return psprintf("'%s'", TextDatumGetCString(d));
	}
}

/* the same, for a unit already read (by index) */
static char *
unit_label_idx(AttgtReadState *st, int32 idx)
{
	if (st->kunit == KEY_TEXT || st->kunit == KEY_UUID)
	{
		Size		len;
		const char *b = si_idmap_bytes(st->keys, idx, &len);

		if (st->kunit == KEY_TEXT)
			return psprintf("'%s'", pnstrdup(b, len));
		else
		{
			pg_uuid_t  *u = palloc(sizeof(pg_uuid_t));

			memcpy(u->data, b, UUID_LEN);
			return DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(u)));
		}
	}
	return psprintf(INT64_FORMAT, st->uid[idx]);
}

/* a date for messages, ISO whatever DateStyle says */
static char *
iso_date(DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_IS_NOBEGIN(d))
		return pstrdup("-infinity");
	if (DATE_IS_NOEND(d))
		return pstrdup("infinity");
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

/* a period (or cohort) value as read, for messages */
static char *
attgt_read_period_label(AttgtReadState *st, int32 per)
{
	if (st->kperiod == KEY_DATE)
		return iso_date(per);
	return psprintf("%d", per);
}

/* dates att_gt can place on a grid: years 1..9999 */
static int32
check_date(DateADT d, const char *what, const char *col)
{
	if (DATE_NOT_FINITE(d) || d < date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE || d > date2j(9999, 12, 31) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s column \"%s\" holds the date %s, outside the years 1 to 9999 att_gt places on a period grid",
						what, col, iso_date(d)),
				 errhint("%s", strcmp(what, "cohort") == 0 ?
						 "Never-treated units have cohort NULL or 'infinity'." :
						 "Every row needs a finite period date.")));
	return (int32) d;
}

/*
 * The unit's index, or -1 when new. Whole-number ids: rows usually come
 * grouped by unit (the same unit as the last row) or by period with units
 * in a stable order (the next index, or index 0 again), checked before
 * the hash. Text and uuid ids: the shared id map (si_idmap.h) numbers ids
 * densely in order of first appearance, which is the unit index; a key
 * equal to the number of units is a new unit.
 */
static int32
unit_find(AttgtReadState *st, int64 id, const char *kb, int klen)
{
	bool		found;
	uint64		pos;

	if (kb)
	{
		int64		key = si_idmap_key(st->keys, kb, klen);

		if (key > PG_INT32_MAX - 1)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("att_gt reads at most %d units", PG_INT32_MAX - 1)));
		return key < st->n ? (int32) key : -1;
	}
	if (st->last_idx >= 0 && st->uid[st->last_idx] == id)
		return st->last_idx;
	if (st->last_idx + 1 < st->n && st->uid[st->last_idx + 1] == id)
		return st->last_idx + 1;
	if (st->n > 0 && st->uid[0] == id)
		return 0;
	pos = imap_slot(&st->units, id, &found);
	return found ? st->units.idx[pos] : -1;
}

/*
 * Room for one column of n doubles. Columns are carved out of slabs of 16
 * columns, so a panel is a few large arrays whose pages are faulted in
 * together (si_prefault) rather than one fault per 4 kB page as the
 * columns fill; the slabs live in their own context, freed whole.
 */
static double *
column_alloc(AttgtReadState *st, Size n)
{
	Size		sz = MAXALIGN(Max(n, 1) * sizeof(double));
	double	   *col;

	if (sz > st->slab_left)
	{
		Size		slab = sz <= MaxAllocHugeSize / 16 ? sz * 16 : sz;

		st->slab = MemoryContextAllocHuge(st->colctx, slab);
		si_prefault(st->slab, slab);
		st->slab_left = slab;
	}
	col = (double *) st->slab;
	st->slab += sz;
	st->slab_left -= sz;
	return col;
}

/*
 * The column of period value per, added when new. Rows usually come by
 * unit with periods in order (the next column, or the first again) or by
 * period (the same column): checked before the hash.
 */
static int32
attgt_read_period_col(AttgtReadState *st, int32 per)
{
	int32		col;
	bool		found;
	int			i;
	uint64		pos;

	if (st->last_col >= 0 && st->pval[st->last_col] == per)
		return st->last_col;
	if (st->last_col + 1 < st->T && st->pval[st->last_col + 1] == per)
		return st->last_col + 1;
	if (st->T > 0 && st->pval[0] == per)
		return 0;
	pos = imap_slot(&st->pm, per, &found);
	if (found)
		return st->pm.idx[pos];
	if (st->T == st->tcap)
	{
		st->tcap *= 2;
		st->ycol = repalloc(st->ycol, sizeof(double *) * st->tcap);
		st->pval = repalloc(st->pval, sizeof(int32) * st->tcap);
		if (st->xcol)
			st->xcol = repalloc(st->xcol, sizeof(double *) * st->tcap);
	}
	col = st->T++;
	st->pval[col] = per;
	st->ycol[col] = column_alloc(st, st->ncap);
	for (i = 0; i < st->ncap; i++)
		st->ycol[col][i] = NAN;
	if (st->xcol)
	{
		st->xcol[col] = column_alloc(st, (Size) st->ncap * st->p);
		for (i = 0; i < st->ncap * st->p; i++)
			st->xcol[col][i] = NAN;
	}
	imap_put(&st->pm, per, col);
	return col;
}

/* room for one more unit: every per-unit array doubles when full */
static void
ensure_unit_room(AttgtReadState *st)
{
	int			p = st->p,
				i,
				j,
				newcap;
	MemoryContext old;

	if (st->n < st->ncap)
		return;
	if (st->ncap > PG_INT32_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("att_gt reads at most %d units", PG_INT32_MAX / 2)));
	newcap = st->ncap * 2;
	/* every column moves to new slabs; the old ones go at once */
	old = st->colctx;
	st->colctx = AllocSetContextCreate(st->outer, "att_gt panel columns", ALLOCSET_DEFAULT_SIZES);
	st->slab_left = 0;
	for (j = 0; j < st->T; j++)
	{
		double	   *y = column_alloc(st, newcap);

		memcpy(y, st->ycol[j], sizeof(double) * st->ncap);
		for (i = st->ncap; i < newcap; i++)
			y[i] = NAN;
		st->ycol[j] = y;
		if (st->xcol)
		{
			double	   *x = column_alloc(st, (Size) newcap * p);

			memcpy(x, st->xcol[j], sizeof(double) * st->ncap * p);
			for (i = st->ncap * p; i < newcap * p; i++)
				x[i] = NAN;
			st->xcol[j] = x;
		}
	}
	MemoryContextDelete(old);
	st->cohortv = repalloc_huge(st->cohortv, sizeof(double) * newcap);
	st->wv = repalloc_huge(st->wv, sizeof(double) * newcap);
	st->xv = repalloc_huge(st->xv, sizeof(double) * newcap * Max(p, 1));
	if (st->clv)
		st->clv = repalloc_huge(st->clv, sizeof(int32) * newcap);
	st->uid = repalloc_huge(st->uid, sizeof(int64) * newcap);
	st->ncap = newcap;
}

static int32
attgt_read_add_unit(AttgtReadState *st, int64 id)
{
	int32		idx;

	ensure_unit_room(st);
	idx = st->n++;
	st->uid[idx] = id;
	/* text and uuid ids are numbered by the id map, not hashed here */
	if (st->keys == NULL)
		imap_put(&st->units, id, idx);
	return idx;
}


/*
 * A covariate varies within a unit: from now on covariates are kept per
 * (unit, period). The rows read so far all agreed with their unit's first
 * row, so each period column starts as the unit's values where the unit
 * has a row.
 */
static void
attgt_read_start_varying(AttgtReadState *st)
{
	int			p = st->p,
				c,
				i;

	st->xcol = MemoryContextAlloc(st->outer, sizeof(double *) * st->tcap);
	for (c = 0; c < st->T; c++)
	{
		double	   *xc = column_alloc(st, (Size) st->ncap * p);

		for (i = 0; i < st->ncap; i++)
		{
			bool		have = i < st->n && !isnan(st->ycol[c][i]);

			memcpy(xc + (long) i * p, st->xv + (long) i * p, sizeof(double) * p);
			if (!have)
			{
				int			j;

				for (j = 0; j < p; j++)
					xc[(long) i * p + j] = NAN;
			}
		}
		st->xcol[c] = xc;
	}
}

void
attgt_read_row(AttgtReadState *st, Datum *v, bool *nul)
{
	AttgtOptions *opt = st->opt;
	AttgtPanel *P = st->P;
	int			p = st->p,
				j;
	int64		id = 0;
	const char *kb = NULL;
	int			klen = 0;
	int32		idx,
				per,
				col;
	double		yv,
				cv,
				wt;

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
		case KEY_TEXT:
			{
				/* the executor's values are short and untoasted as a rule */
				text	   *t = (text *) pg_detoast_datum_packed((struct varlena *) DatumGetPointer(v[0]));

				kb = VARDATA_ANY(t);
				klen = VARSIZE_ANY_EXHDR(t);
			}
			break;
		case KEY_UUID:
			kb = (const char *) DatumGetUUIDP(v[0])->data;
			klen = UUID_LEN;
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
	else if (st->kperiod == KEY_DATE)
		per = check_date(DatumGetDateADT(v[1]), "period", opt->period);
	else
		per = whole_number(key_value(st->kperiod, v[1]), "period", opt->period);
	if (st->kcohort == KEY_DATE)
	{
		/* never treated: NULL or 'infinity'; kept as +inf until the grid is known */
		if (nul[2] || DATE_IS_NOEND(DatumGetDateADT(v[2])))
			cv = INFINITY;
		else
			cv = check_date(DatumGetDateADT(v[2]), "cohort", opt->cohort);
	}
	else
	{
		cv = nul[2] ? 0.0 : key_value(st->kcohort, v[2]);
		if (!nul[2] && (st->kcohort == KEY_FLOAT8 || st->kcohort == KEY_INT8))
			(void) whole_number(cv, "cohort", opt->cohort);
	}
	if (nul[3] || isnan(DatumGetFloat8(v[3])) || isinf(DatumGetFloat8(v[3])))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("outcome column \"%s\" is missing (NULL or not finite) for unit %s in period %s",
						opt->outcome, unit_label(st, v[0]), attgt_read_period_label(st, per)),
				 errhint("Remove the row (an unbalanced panel is allowed) or fill in the outcome; "
						 "att_gt never drops rows silently.")));
	yv = DatumGetFloat8(v[3]);
	wt = num_or_nan(v, nul, 4);
	if (opt->weights && !(wt > 0.0 && isfinite(wt)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights column \"%s\" holds %g for unit %s, which is not a positive number",
						opt->weights, wt, unit_label(st, v[0])),
				 errhint("Weights must be positive and finite.")));
	if (opt->cluster && nul[5])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cluster column \"%s\" is NULL for unit %s", opt->cluster, unit_label(st, v[0])),
				 errhint("Every unit needs a cluster.")));
	for (j = 0; j < p; j++)
		if (nul[6 + j] || !isfinite(DatumGetFloat8(v[6 + j])))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("covariate \"%s\" is missing (NULL or not finite) for unit %s",
							opt->covariates[j], unit_label(st, v[0])),
					 errhint("Covariates must be present for every row.")));

	P->rows_read++;

	/* the common orders inline: the same column, or the next */
	if (st->last_col >= 0 && st->pval[st->last_col] == per)
		col = st->last_col;
	else if (st->last_col + 1 < st->T && st->pval[st->last_col + 1] == per)
		col = st->last_col + 1;
	else
		col = attgt_read_period_col(st, per);
	st->last_col = col;

	/* unit index */
	idx = unit_find(st, id, kb, klen);
	if (idx < 0)
	{
		idx = attgt_read_add_unit(st, id);
		st->cohortv[idx] = cv;
		st->wv[idx] = opt->weights ? wt : 1.0;
		for (j = 0; j < p; j++)
			st->xv[(long) idx * p + j] = DatumGetFloat8(v[6 + j]);
		if (st->clusters)
			st->clv[idx] = cluster_index(st, v[5], true);
	}
	st->last_id = id;
	st->last_idx = idx;
	/* time-invariant per-unit values */
	if (st->cohortv[idx] != cv)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cohort column \"%s\" varies within unit %s (%s and %s)",
						opt->cohort, unit_label(st, v[0]),
						st->kcohort == KEY_DATE ? (isinf(st->cohortv[idx]) ? "never treated" : attgt_read_period_label(st, (int32) st->cohortv[idx])) : psprintf("%g", st->cohortv[idx]),
						st->kcohort == KEY_DATE ? (isinf(cv) ? "never treated" : attgt_read_period_label(st, (int32) cv)) : psprintf("%g", cv)),
				 errhint("The cohort is the first treated period of the unit and must be the same in all its rows.")));
	if (opt->weights && st->wv[idx] != wt)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights column \"%s\" varies within unit %s", opt->weights, unit_label(st, v[0])),
				 errhint("Weights must be constant within a unit, as in R did.")));
	/* covariates: per unit until one varies, then per (unit, period) */
	if (st->xcol == NULL)
		for (j = 0; j < p; j++)
			if (st->xv[(long) idx * p + j] != DatumGetFloat8(v[6 + j]))
			{
				attgt_read_start_varying(st);
				break;
			}
	if (st->xcol)
		for (j = 0; j < p; j++)
		{
			double		xj = DatumGetFloat8(v[6 + j]);

			if (xj != st->xv[(long) idx * p + j])
				st->xvaries[j] = true;
			st->xcol[col][(long) idx * p + j] = xj;
		}
	if (st->clusters && cluster_index(st, v[5], false) != st->clv[idx])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cluster column \"%s\" varies within unit %s", opt->cluster, unit_label(st, v[0])),
				 errhint("Units must be nested in clusters, as R did requires.")));
	if (!isnan(st->ycol[col][idx]))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("unit %s has more than one row for period %s", unit_label(st, v[0]), attgt_read_period_label(st, per)),
				 errhint("Each (unit, period) pair must appear once; aggregate the outcome first.")));
	st->ycol[col][idx] = yv;
}

/* order of period columns by their values */
static int
cmp_col(const void *a, const void *b, void *arg)
{
	const int32 *pv = (const int32 *) arg;
	int32		x = pv[*(const int *) a],
				y = pv[*(const int *) b];

	return (x > y) - (x < y);
}

/*
 * Date periods: detect the grid from the distinct period dates and replace
 * every period and cohort date by its ordinal; a cohort date off the grid
 * is an error (its event times would not be whole periods).
 */
static void
map_dates(AttgtReadState *st)
{
	AttgtPanel *P = st->P;
	int			j,
				i;
	int32		ord;
	char		rule[160];

	periodgrid_detect(st->pval, st->T, &P->grid);
	P->dated = true;
	for (j = 0; j < st->T; j++)
	{
		if (!periodgrid_ordinal(&P->grid, st->pval[j], &ord))
			elog(ERROR, "att_gt: period date off its own grid");
		st->pval[j] = ord;
	}
	for (i = 0; i < st->n; i++)
	{
		if (isinf(st->cohortv[i]))
		{
			st->cohortv[i] = 0.0;
			continue;
		}
		if (!periodgrid_ordinal(&P->grid, (int32) st->cohortv[i], &ord))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cohort %s of unit %s is not on the %s grid of the period dates (%s)",
							attgt_read_period_label(st, (int32) st->cohortv[i]), unit_label_idx(st, i),
							periodgrid_name(P->grid.kind), periodgrid_rule(&P->grid, rule, sizeof(rule))),
					 errhint("Give the cohort as the date of the first treated period, in the same spacing as the periods.")));
		st->cohortv[i] = ord;
	}
}

int32
attgt_plabel(const AttgtPanel *P, int32 v)
{
	int32		code;

	if (!P->dated || v == 0)
		return v;
	if (!periodgrid_code(&P->grid, v, &code))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a period of att_gt's result lies outside the years 1 to 9999")));
	return code;
}

static bool
read_receive(TupleTableSlot *slot, DestReceiver *self)
{
	AttgtReadState  *st = (AttgtReadState *) self;
	MemoryContext old = MemoryContextSwitchTo(st->outer);

	slot_getallattrs(slot);
	attgt_read_row(st, slot->tts_values, slot->tts_isnull);
	MemoryContextSwitchTo(old);
	if ((st->P->rows_read & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	return true;
}

/* before the first row: the columns must be what attgt_read_row reads */
static void
read_startup(DestReceiver *self, int operation pg_attribute_unused(), TupleDesc typeinfo)
{
	AttgtReadState  *st = (AttgtReadState *) self;

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

/*
 * How many units to make room for at once: the unit column's n_distinct
 * from ANALYZE (a fraction of the rows when negative), when there is one;
 * growing by doubling from a guess touches every page twice.
 */
static int
unit_count_hint(Oid relid, const char *unitcol)
{
	AttrNumber	att = get_attnum(relid, unitcol);
	HeapTuple	tp;
	double		d = 0.0,
				rows = 0.0;

	tp = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (HeapTupleIsValid(tp))
	{
		rows = ((Form_pg_class) GETSTRUCT(tp))->reltuples;
		ReleaseSysCache(tp);
	}
	tp = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(relid), Int16GetDatum(att), BoolGetDatum(false));
	if (HeapTupleIsValid(tp))
	{
		d = ((Form_pg_statistic) GETSTRUCT(tp))->stadistinct;
		ReleaseSysCache(tp);
	}
	if (d < 0.0)
		d = -d * Max(rows, 0.0);
	/* a little slack for rows added since ANALYZE; never past the row count */
	d = d * 1.05 + 16.0;
	if (rows > 0.0)
		d = Min(d, rows + 16.0);
	if (!(d >= 1024.0))
		return 1024;
	return (int) Min(d, (double) (PG_INT32_MAX / 4));
}

/*
 * An empty state for the rows of opt's relation, its unit, period and
 * cohort kinds already set; ncap units fit before the arrays first grow.
 */
static void
attgt_read_state_init(AttgtReadState *st, AttgtOptions *opt, AttgtPanel *P,
					  MemoryContext outer, int ncap)
{
	int			p = opt->ncov;
	MemoryContext old = MemoryContextSwitchTo(outer);

	ncap = Max(ncap, 16);
	if (st->kunit == KEY_TEXT || st->kunit == KEY_UUID)
	{
		st->keyctx = AllocSetContextCreate(outer, "att_gt unit ids", ALLOCSET_DEFAULT_SIZES);
		st->keys = si_idmap_create(st->keyctx);
	}
	else
	{
		uint64		cap = 4096;

		while (cap < (uint64) ncap * 2)
			cap *= 2;
		imap_init(&st->units, cap);
	}
	st->ncap = ncap;
	st->colctx = AllocSetContextCreate(outer, "att_gt panel columns", ALLOCSET_DEFAULT_SIZES);
	st->slab_left = 0;
	st->uid = MemoryContextAllocHuge(outer, sizeof(int64) * ncap);
	st->tcap = 16;
	if (opt->cluster)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(((ClusterEnt *) 0)->key);
		ctl.entrysize = sizeof(ClusterEnt);
		ctl.hcxt = outer;
		st->clusters = hash_create("att_gt clusters", 256, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		st->clv = MemoryContextAllocHuge(outer, sizeof(int32) * ncap);
	}
	imap_init(&st->pm, 64);
	st->ycol = palloc(sizeof(double *) * st->tcap);
	st->pval = palloc(sizeof(int32) * st->tcap);
	st->cohortv = MemoryContextAllocHuge(outer, sizeof(double) * ncap);
	st->wv = MemoryContextAllocHuge(outer, sizeof(double) * ncap);
	st->xv = MemoryContextAllocHuge(outer, sizeof(double) * ncap * Max(p, 1));
	st->opt = opt;
	st->P = P;
	st->outer = outer;
	st->p = p;
	st->last_idx = -1;
	st->last_col = -1;
	MemoryContextSwitchTo(old);
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
	AttgtReadState  *st = palloc0(sizeof(AttgtReadState));
	SPIExecuteOptions eo;
	int			ret;

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

	/*
	 * Integer ids are read as they are; float and numeric ids as float8 and
	 * checked to be whole numbers in attgt_read_row (a cast to int8 would round
	 * 1.4 and 1.2 together); text and uuid ids are mapped to dense indices
	 * as they come. Date periods need date cohorts.
	 */
	st->kunit = key_kind(relid, opt->unit, "unit", false);
	st->kperiod = key_kind(relid, opt->period, "period", false);
	st->kcohort = key_kind(relid, opt->cohort, "cohort", st->kperiod == KEY_DATE);

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
					 quote_identifier(opt->unit), key_cast(st->kunit),
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

	attgt_read_state_init(st, opt, P, outer, unit_count_hint(relid, opt->unit));
	st->pub.receiveSlot = read_receive;
	st->pub.rStartup = read_startup;
	st->pub.rShutdown = read_shutdown;
	st->pub.rDestroy = read_destroy;
	st->pub.mydest = DestNone;

	/*
	 * A plain table is scanned directly, in parallel when it is large
	 * (attgt_scan.c); anything else, or columns that need a cast only SQL
	 * has, is read with one query whose rows go straight from the executor
	 * into the arrays.
	 */
	if (!attgt_scan_panel(st))
	{
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
	}
	clusters = st->clusters;

	n = st->n;
	T = st->T;
	ycol = st->ycol;
	pval = st->pval;
	cohortv = st->cohortv;
	wv = st->wv;
	xv = st->xv;
	clv = st->clv;

	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("table %s has no rows", relname),
				 errhint("att_gt needs a panel of units observed over periods.")));

	if (st->kperiod == KEY_DATE)
		map_dates(st);

	/* sort the period columns */
	{
		int32	   *sorted = palloc(sizeof(int32) * T);
		double	  **ys = palloc(sizeof(double *) * T);
		double	  **xs = st->xcol ? palloc(sizeof(double *) * T) : NULL;
		int		   *order = palloc(sizeof(int) * T);

		for (j = 0; j < T; j++)
			order[j] = j;
		qsort_arg(order, T, sizeof(int), cmp_col, pval);
		for (j = 0; j < T; j++)
		{
			sorted[j] = pval[order[j]];
			ys[j] = ycol[order[j]];
			if (xs)
				xs[j] = st->xcol[order[j]];
		}
		P->tval = sorted;
		P->y = ys;
		P->xt = xs;
	}
	P->T = T;
	P->units_read = n;
	P->column_store = st->colctx;

	/* R did's sample rules */
	{
		int32		tmin = P->tval[0],
					tmax = P->tval[T - 1];
		int32	   *coh = palloc(sizeof(int32) * n);
		int32	   *kept = palloc(sizeof(int32) * n);
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
			if (c != 0 && c <= tmin + opt->spec.anticipation)
			{
				P->units_always++;
				continue;
			}
			/* compact in place (the columns below, one pass each) */
			kept[m] = i;
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
		/* units dropped: every column keeps the same units, in order */
		if (m < n)
			for (j = 0; j < T; j++)
			{
				double	   *yc = P->y[j];
				int			u;

				for (u = 0; u < m; u++)
					yc[u] = yc[kept[u]];
				if (P->xt && p > 0)
					for (u = 0; u < m; u++)
						memmove(P->xt[j] + (long) u * p, P->xt[j] + (long) kept[u] * p, sizeof(double) * p);
				if ((j & 15) == 0)
					CHECK_FOR_INTERRUPTS();
			}
		pfree(kept);
		n = m;
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("every unit is treated in the first period"),
					 errhint("att_gt needs units observed before their treatment starts.")));
		if (!have_never)
		{
			if (!opt->spec.notyettreated)
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
					if (P->tval[j] < gmax - opt->spec.anticipation)
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

	/* balanced? (column by column: each column is one array) */
	{
		bool	   *gap = palloc0(sizeof(bool) * Max(n, 1));

		for (j = 0; j < T; j++)
		{
			const double *yc = P->y[j];

			for (i = 0; i < n; i++)
				gap[i] |= isnan(yc[i]);
		}
		P->balanced = true;
		for (i = 0; i < n; i++)
			if (gap[i])
			{
				P->balanced = false;
				P->units_unbalanced++;
			}
		pfree(gap);
	}
	if (P->xt)
	{
		StringInfoData names;

		initStringInfo(&names);
		for (j = 0; j < p; j++)
			if (st->xvaries[j])
				appendStringInfo(&names, "%s%s", names.len ? ", " : "", quote_identifier(opt->covariates[j]));
		ereport(NOTICE,
				(errmsg("att_gt: covariates that vary within units (%s) are taken from the earlier period of each 2x2 comparison (the base period, except before a universal base period), and per row on an unbalanced panel, as R did does",
						names.data)));
	}
	if (st->kunit == KEY_TEXT || st->kunit == KEY_UUID)
		MemoryContextDelete(st->keyctx);
	else
	{
		pfree(st->units.key);
		pfree(st->units.idx);
	}
	if (clusters)
		hash_destroy(clusters);
	return P;
}

void
attgt_panel_release(AttgtPanel *P)
{
	int			t;

	if (P->column_store)
		MemoryContextDelete((MemoryContext) P->column_store);
	else
		for (t = 0; t < P->T; t++)
		{
			pfree(P->y[t]);
			if (P->xt)
				pfree(P->xt[t]);
		}
	P->column_store = NULL;
	P->y = NULL;
	P->xt = NULL;
}
