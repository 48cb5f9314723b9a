/*
 * attgt_fit.c — att_gt_fit, the stored estimate of att_gt: the panel as
 * att_gt read it (after R did's sample rules), the options that decide
 * the cells, and the covariate names, in one versioned varlena. The
 * att_gt family's fit forms (attgt.c) read it instead of the table and
 * take the inference options (conf_level, bootstrap, seed) themselves; the
 * cells estimated from a fit are kept for the rest of the transaction
 * (keyed by the fit's content hash), so att_gt(fit) and every
 * att_gt_aggregate(fit, ...) after att_gt_fit() share one estimation.
 *
 * Layout (version 1; native byte order, refused elsewhere): FitHeader,
 * the covariate names (NUL-terminated), then, each starting on a MAXALIGN
 * boundary of the varlena: period values int32[T], cohorts int32[n],
 * cluster indices int32[n] (FIT_CLUSTER), weights float8[n], covariates
 * float8[n * p], outcomes float8[T][n] (NaN = no row), and per-period
 * covariates float8[T][n * p] (FIT_VARYING). The hash covers every byte
 * after the hash field. The text form is the bytes after the length word
 * as hex (\x...), the binary form those bytes.
 *
 * Owns the format, its validation and the transaction's cache; the
 * numbers stay in src/math/attgt_*.c, the rows in attgt.c.
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "attgt.h"
#include "distributions.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_att_gt_fit_in);
PG_FUNCTION_INFO_V1(si_att_gt_fit_out);
PG_FUNCTION_INFO_V1(si_att_gt_fit_recv);
PG_FUNCTION_INFO_V1(si_att_gt_fit_send);

#define FIT_MAGIC		0x46544741	/* "AGTF" */
#define FIT_VERSION		1
#define FIT_ENDIAN		0x0102
#define FIT_HASH_SEED	UINT64CONST(0x6174745f67745f66)

#define FIT_DATED		0x01
#define FIT_BALANCED	0x02
#define FIT_CLUSTER		0x04
#define FIT_VARYING		0x08
#define FIT_NOTYET		0x10
#define FIT_UNIVERSAL	0x20
#define FIT_FLAGS		0x3F

typedef struct FitHeader
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint32		magic;
	uint64		hash;			/* of every byte after this field */
	uint16		version;
	uint16		endian;
	uint32		flags;
	/* the options that decide the cells */
	int32		method;
	int32		anticipation;
	/* the panel */
	int32		n;
	int32		T;
	int32		p;
	int32		ncl;
	int32		grid_kind;
	int32		grid_anchor;
	int32		grid_mday;
	int32		grid_mres;
	/* sample flow (att_gt_sample) */
	int32		units_read;
	int32		units_late;
	int32		units_always;
	int32		units_last_as_control;
	int32		periods_dropped;
	int32		units_unbalanced;
	int32		names_len;		/* bytes of the covariate names */
	int64		rows_read;
	int64		rows_dropped;
} FitHeader;

#define FIT_HASHED_FROM offsetof(FitHeader, version)

/* byte offsets of the parts from the start of the varlena */
typedef struct FitLayout
{
	Size		names,
				tval,
				cohort,
				cl,
				w,
				x,
				y,
				xt,
				total;
} FitLayout;

static void
fit_invalid(int code, const char *why)
{
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid att_gt_fit: %s", why),
			 errhint("An att_gt_fit is made by att_gt_fit(); its text form is the hex its output writes.")));
}

/* false when the sizes do not make a fit of at most MaxAllocSize bytes */
static bool
fit_layout(int n, int T, int p, bool cl, bool xt, int names_len, FitLayout *L)
{
	double		est = sizeof(FitHeader) + (double) names_len + 64.0 +
		4.0 * T + 8.0 * n + (cl ? 4.0 * n : 0.0) + 8.0 * n * (1.0 + p) +
		8.0 * n * T * (1.0 + (xt ? p : 0));
	Size		o;

	if (n < 1 || T < 1 || p < 0 || names_len < 0 || est > (double) MaxAllocSize)
		return false;
	o = MAXALIGN(sizeof(FitHeader));
	L->names = o;
	o = MAXALIGN(o + names_len);
	L->tval = o;
	o = MAXALIGN(o + sizeof(int32) * T);
	L->cohort = o;
	o = MAXALIGN(o + sizeof(int32) * n);
	L->cl = o;
	if (cl)
		o = MAXALIGN(o + sizeof(int32) * n);
	L->w = o;
	o += sizeof(double) * n;
	L->x = o;
	o += sizeof(double) * n * p;
	L->y = o;
	o += sizeof(double) * n * T;
	L->xt = o;
	if (xt)
		o += sizeof(double) * n * T * p;
	L->total = o;
	return true;
}

static uint64
fit_hash(const char *fit, Size total)
{
	return hash_bytes_extended((const unsigned char *) fit + FIT_HASHED_FROM,
							   (int) (total - FIT_HASHED_FROM), FIT_HASH_SEED);
}

struct varlena *
attgt_fit_encode(const AttgtPanel *P, const AttgtOptions *opt)
{
	FitLayout	L;
	FitHeader  *h;
	char	   *buf;
	int			names_len = 0,
				j,
				t;
	Size		o;

	for (j = 0; j < opt->ncov; j++)
		names_len += strlen(opt->covariates[j]) + 1;
	if (!fit_layout(P->n, P->T, P->p, P->cl != NULL, P->xt != NULL, names_len, &L))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("an att_gt_fit of %d units x %d periods%s would exceed %d MB",
						P->n, P->T, P->xt ? " with per-period covariates" : "",
						(int) (MaxAllocSize / (1024 * 1024))),
				 errhint("Call att_gt and att_gt_aggregate on the table directly; they need no stored fit.")));
	buf = MemoryContextAllocHuge(CurrentMemoryContext, L.total);
	si_prefault(buf, L.total);	/* every byte is written below */
	/* header, names and the int32 arrays with their padding: zeroed */
	memset(buf, 0, L.w);
	h = (FitHeader *) buf;
	SET_VARSIZE(h, L.total);
	h->magic = FIT_MAGIC;
	h->version = FIT_VERSION;
	h->endian = FIT_ENDIAN;
	h->flags = (P->dated ? FIT_DATED : 0) | (P->balanced ? FIT_BALANCED : 0) |
		(P->cl ? FIT_CLUSTER : 0) | (P->xt ? FIT_VARYING : 0) |
		(opt->spec.notyettreated ? FIT_NOTYET : 0) | (opt->spec.universal ? FIT_UNIVERSAL : 0);
	h->method = (int32) opt->spec.method;
	h->anticipation = opt->spec.anticipation;
	h->n = P->n;
	h->T = P->T;
	h->p = P->p;
	h->ncl = P->cl ? P->ncl : 0;
	h->grid_kind = (int32) P->grid.kind;
	h->grid_anchor = P->grid.anchor;
	h->grid_mday = P->grid.mday;
	h->grid_mres = P->grid.mres;
	h->units_read = P->units_read;
	h->units_late = P->units_late;
	h->units_always = P->units_always;
	h->units_last_as_control = P->units_last_as_control;
	h->periods_dropped = P->periods_dropped;
	h->units_unbalanced = P->units_unbalanced;
	h->names_len = names_len;
	h->rows_read = P->rows_read;
	h->rows_dropped = P->rows_dropped;
	o = L.names;
	for (j = 0; j < opt->ncov; j++)
	{
		Size		len = strlen(opt->covariates[j]) + 1;

		memcpy(buf + o, opt->covariates[j], len);
		o += len;
	}
	memcpy(buf + L.tval, P->tval, sizeof(int32) * P->T);
	memcpy(buf + L.cohort, P->cohort, sizeof(int32) * P->n);
	if (P->cl)
		memcpy(buf + L.cl, P->cl, sizeof(int32) * P->n);
	memcpy(buf + L.w, P->w, sizeof(double) * P->n);
	if (P->p > 0)
		memcpy(buf + L.x, P->x, sizeof(double) * P->n * P->p);
	for (t = 0; t < P->T; t++)
	{
		CHECK_FOR_INTERRUPTS();
		memcpy(buf + L.y + sizeof(double) * P->n * t, P->y[t], sizeof(double) * P->n);
		if (P->xt)
			memcpy(buf + L.xt + sizeof(double) * P->n * P->p * t, P->xt[t],
				   sizeof(double) * P->n * P->p);
	}
	h->hash = fit_hash(buf, L.total);
	return (struct varlena *) buf;
}

/*
 * The header of a fit, checked: what every reader needs (format, version,
 * byte order, sizes) and, full, what a fit from outside (text or binary
 * input) must also satisfy for the estimators to read it safely.
 */
static const FitHeader *
fit_check(const struct varlena *fit, FitLayout *L, bool full, int code)
{
	const FitHeader *h = (const FitHeader *) fit;
	const char *buf = (const char *) fit;
	Size		size = VARSIZE(fit);

	if (size < sizeof(FitHeader) || h->magic != FIT_MAGIC)
		fit_invalid(code, "not an att_gt_fit");
	if (h->version != FIT_VERSION)
		ereport(ERROR,
				(errcode(code),
				 errmsg("att_gt_fit version %d cannot be read by this socialinvest (version %d)",
						(int) h->version, FIT_VERSION),
				 errhint("Make the fit again with att_gt_fit().")));
	if (h->endian != FIT_ENDIAN)
		ereport(ERROR,
				(errcode(code),
				 errmsg("att_gt_fit was written on a machine of another byte order"),
				 errhint("Make the fit again with att_gt_fit() on this machine.")));
	if (h->p < 0 || h->p >= DRDID_MAXK || h->ncl < 0 || h->ncl > h->n ||
		!fit_layout(h->n, h->T, h->p, (h->flags & FIT_CLUSTER) != 0,
					(h->flags & FIT_VARYING) != 0, h->names_len, L) ||
		L->total != size)
		fit_invalid(code, "its sizes do not match its length");
	if (!full)
		return h;
	if ((h->flags & ~FIT_FLAGS) != 0 ||
		(h->method != ATTGT_REG && h->method != ATTGT_IPW && h->method != ATTGT_DR) ||
		h->anticipation < 0 || h->anticipation > 1000000 ||
		((h->flags & FIT_DATED) && (h->grid_kind < PERIODGRID_DAY || h->grid_kind > PERIODGRID_YEAR)))
		fit_invalid(code, "its options are out of range");
	if (fit_hash(buf, size) != h->hash)
		fit_invalid(code, "its contents do not match its checksum");
	{
		const char *nm = buf + L->names;
		int			j,
					left = h->names_len;

		for (j = 0; j < h->p; j++)
		{
			int			len = strnlen(nm, left);

			if (len == left || len == 0 || len >= NAMEDATALEN)
				fit_invalid(code, "its covariate names are malformed");
			nm += len + 1;
			left -= len + 1;
		}
		if (left != 0)
			fit_invalid(code, "its covariate names are malformed");
	}
	{
		const int32 *tv = (const int32 *) (buf + L->tval);
		const int32 *coh = (const int32 *) (buf + L->cohort);
		const int32 *cl = (const int32 *) (buf + L->cl);
		const double *w = (const double *) (buf + L->w);
		const double *x = (const double *) (buf + L->x);
		const double *y = (const double *) (buf + L->y);
		const double *xt = (const double *) (buf + L->xt);
		long		i,
					n = h->n,
					k;

		for (k = 1; k < h->T; k++)
			if (tv[k] <= tv[k - 1])
				fit_invalid(code, "its periods are not increasing");
		for (i = 0; i < n; i++)
			if (coh[i] < 0 || !(w[i] > 0.0 && isfinite(w[i])) ||
				((h->flags & FIT_CLUSTER) && (cl[i] < 0 || cl[i] >= h->ncl)))
				fit_invalid(code, "a unit's cohort, weight or cluster is out of range");
		for (k = 0; k < n * h->p; k++)
			if (!isfinite(x[k]))
				fit_invalid(code, "a covariate is not finite");
		for (k = 0; k < n * h->T; k++)
			if (isinf(y[k]))
				fit_invalid(code, "an outcome is not finite");
		if (h->flags & FIT_VARYING)
			for (k = 0; k < n * h->T * h->p; k++)
				if (isinf(xt[k]))
					fit_invalid(code, "a covariate is not finite");
	}
	return h;
}

/*
 * The fit in argument k, whole and MAXALIGNed (the panel's arrays are read
 * in place), its header checked.
 */
struct varlena *
attgt_fit_arg(FunctionCallInfo fcinfo, int k)
{
	struct varlena *fit;
	FitLayout	L;

	if (PG_ARGISNULL(k))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("fit must not be NULL"),
				 errhint("Pass the result of att_gt_fit(...).")));
	fit = PG_DETOAST_DATUM(PG_GETARG_DATUM(k));
	if ((uintptr_t) fit % MAXIMUM_ALIGNOF != 0)
	{
		struct varlena *copy = MemoryContextAllocHuge(CurrentMemoryContext, VARSIZE(fit));

		si_prefault(copy, VARSIZE(fit));
		memcpy(copy, fit, VARSIZE(fit));
		fit = copy;
	}
	(void) fit_check(fit, &L, false, ERRCODE_DATA_CORRUPTED);
	return fit;
}

AttgtOptions *
attgt_fit_options(struct varlena *fit)
{
	FitLayout	L;
	const FitHeader *h = fit_check(fit, &L, false, ERRCODE_DATA_CORRUPTED);
	AttgtOptions *opt = palloc0(sizeof(AttgtOptions));
	const char *nm = (const char *) fit + L.names;
	int			j;

	opt->relid = InvalidOid;
	opt->ncov = h->p;
	opt->covariates = palloc(sizeof(char *) * Max(h->p, 1));
	for (j = 0; j < h->p; j++)
	{
		opt->covariates[j] = pstrdup(nm);
		nm += strlen(nm) + 1;
	}
	opt->spec.notyettreated = (h->flags & FIT_NOTYET) != 0;
	opt->spec.universal = (h->flags & FIT_UNIVERSAL) != 0;
	opt->spec.anticipation = h->anticipation;
	opt->spec.method = (AttgtMethod) h->method;
	/* inference: the defaults, until the caller's arguments replace them */
	opt->spec.alpha = 0.05;
	opt->spec.bootstrap = 0;
	opt->spec.seed = 42;
	return opt;
}

/* the panel of a fit, its arrays in place (fit must stay alive) */
AttgtPanel *
attgt_fit_panel(struct varlena *fit)
{
	FitLayout	L;
	const FitHeader *h = fit_check(fit, &L, false, ERRCODE_DATA_CORRUPTED);
	char	   *buf = (char *) fit;
	AttgtPanel *P = palloc0(sizeof(AttgtPanel));
	int			t;

	P->n = h->n;
	P->T = h->T;
	P->p = h->p;
	P->tval = (int32 *) (buf + L.tval);
	P->cohort = (int32 *) (buf + L.cohort);
	P->w = (double *) (buf + L.w);
	P->cl = (h->flags & FIT_CLUSTER) ? (int32 *) (buf + L.cl) : NULL;
	P->ncl = h->ncl;
	P->x = (double *) (buf + L.x);
	P->y = palloc(sizeof(double *) * h->T);
	for (t = 0; t < h->T; t++)
		P->y[t] = (double *) (buf + L.y) + (Size) h->n * t;
	if (h->flags & FIT_VARYING)
	{
		P->xt = palloc(sizeof(double *) * h->T);
		for (t = 0; t < h->T; t++)
			P->xt[t] = (double *) (buf + L.xt) + (Size) h->n * h->p * t;
	}
	P->dated = (h->flags & FIT_DATED) != 0;
	P->grid.kind = (PeriodGridKind) h->grid_kind;
	P->grid.anchor = h->grid_anchor;
	P->grid.mday = h->grid_mday;
	P->grid.mres = h->grid_mres;
	P->balanced = (h->flags & FIT_BALANCED) != 0;
	P->rows_read = h->rows_read;
	P->units_read = h->units_read;
	P->units_late = h->units_late;
	P->units_always = h->units_always;
	P->units_last_as_control = h->units_last_as_control;
	P->periods_dropped = h->periods_dropped;
	P->rows_dropped = h->rows_dropped;
	P->units_unbalanced = h->units_unbalanced;
	return P;
}

/*
 * The transaction's estimate: the cells of the last fit estimated, with
 * a copy of that fit (the panel they point into), in a context under
 * TopTransactionContext whose reset clears the pointer.
 */
typedef struct FitCache
{
	uint64		hash;
	Size		size;
	MemoryContext cxt;
	AttgtRun   *run;
} FitCache;

static FitCache *fit_cache = NULL;

static void
fit_cache_forget(void *arg pg_attribute_unused())
{
	fit_cache = NULL;
}

/*
 * The cells of fit, estimated once per transaction; the run returned has
 * opt's inference options (conf_level, bootstrap, seed), which are not
 * part of a fit: they do not change the cells. notices: the unbalanced-panel NOTICE (when making
 * the fit).
 */
AttgtRun *
attgt_fit_run(struct varlena *fit, AttgtOptions *opt, bool notices)
{
	const FitHeader *h = (const FitHeader *) fit;
	AttgtRun   *r;

	if (fit_cache == NULL || fit_cache->hash != h->hash || fit_cache->size != VARSIZE(fit))
	{
		MemoryContext cxt,
					old;
		FitCache   *c;
		MemoryContextCallback *cb;

		if (fit_cache)
			MemoryContextDelete(fit_cache->cxt);	/* clears fit_cache */
		cxt = AllocSetContextCreate(TopTransactionContext, "att_gt fit",
									ALLOCSET_DEFAULT_SIZES);
		old = MemoryContextSwitchTo(cxt);
		PG_TRY();
		{
			struct varlena *copy = MemoryContextAllocHuge(cxt, VARSIZE(fit));
			AttgtOptions *fo;

			si_prefault(copy, VARSIZE(fit));
			memcpy(copy, fit, VARSIZE(fit));
			fo = attgt_fit_options(copy);
			c = palloc(sizeof(FitCache));
			c->hash = h->hash;
			c->size = VARSIZE(fit);
			c->cxt = cxt;
			c->run = attgt_estimate_panel(fo, attgt_fit_panel(copy), notices);
			cb = palloc(sizeof(MemoryContextCallback));
			cb->func = fit_cache_forget;
			cb->arg = NULL;
			MemoryContextRegisterResetCallback(cxt, cb);
		}
		PG_CATCH();
		{
			MemoryContextSwitchTo(old);
			MemoryContextDelete(cxt);
			PG_RE_THROW();
		}
		PG_END_TRY();
		MemoryContextSwitchTo(old);
		fit_cache = c;
	}
	r = palloc(sizeof(AttgtRun));
	*r = *fit_cache->run;
	r->spec.alpha = opt->spec.alpha;
	r->spec.bootstrap = opt->spec.bootstrap;
	r->spec.seed = opt->spec.seed;
	r->crit = si_norm_quantile(1.0 - opt->spec.alpha / 2.0);
	return r;
}

/* ---- type I/O ---- */

/* the external bytes (after the length word) as a checked fit */
static struct varlena *
fit_from_bytes(const char *b, Size len, int code)
{
	struct varlena *fit;
	FitLayout	L;

	if (len > MaxAllocSize - VARHDRSZ)
		fit_invalid(code, "too long");
	fit = MemoryContextAllocHuge(CurrentMemoryContext, len + VARHDRSZ);
	SET_VARSIZE(fit, len + VARHDRSZ);
	memcpy(VARDATA(fit), b, len);
	(void) fit_check(fit, &L, true, code);
	return fit;
}

Datum
si_att_gt_fit_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	bytea	   *b;

	if (strncmp(s, "\\x", 2) != 0)
		fit_invalid(ERRCODE_INVALID_TEXT_REPRESENTATION, "its text form must start with \\x");
	b = DatumGetByteaPP(DirectFunctionCall1(byteain, CStringGetDatum(s)));
	PG_RETURN_POINTER(fit_from_bytes(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b),
									 ERRCODE_INVALID_TEXT_REPRESENTATION));
}

Datum
si_att_gt_fit_out(PG_FUNCTION_ARGS)
{
	struct varlena *fit = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	Size		len = VARSIZE(fit) - VARHDRSZ;
	char	   *s;
	uint64		w;

	if ((double) len * 2.0 + 3.0 > (double) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("att_gt_fit of %zu bytes is too long for its text form", len),
				 errhint("Copy it in binary (COPY ... FORMAT binary), or keep it in a table.")));
	s = palloc(len * 2 + 3);
	s[0] = '\\';
	s[1] = 'x';
	w = hex_encode(VARDATA(fit), len, s + 2);
	s[2 + w] = '\0';
	PG_RETURN_CSTRING(s);
}

Datum
si_att_gt_fit_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Size		len = buf->len - buf->cursor;
	struct varlena *fit = fit_from_bytes(buf->data + buf->cursor, len,
										 ERRCODE_INVALID_BINARY_REPRESENTATION);

	buf->cursor = buf->len;
	PG_RETURN_POINTER(fit);
}

Datum
si_att_gt_fit_send(PG_FUNCTION_ARGS)
{
	struct varlena *fit = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	bytea	   *b = palloc(VARSIZE(fit));

	memcpy(b, fit, VARSIZE(fit));
	PG_RETURN_BYTEA_P(b);
}
