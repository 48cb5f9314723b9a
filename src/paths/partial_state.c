/*
 * partial_state.c — the path aggregates' partial states as expanded
 * objects with a flat, versioned form (see partial_state.h for why).
 *
 * Memory: each object has its own small memory context, a child of the
 * aggregate's context, so that PostgreSQL's nodeAgg (and Citus's combine)
 * keep the read-write object as it is instead of copying it
 * (ExecAggTransReparent: a read-write expanded object whose context is a
 * child of the aggregate context is taken over) and free it with
 * DeleteExpandedObject. The flat form is computed once and cached until the
 * state changes (si_partial_datum clears it).
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"

#include "partial_state.h"
#include "path.h"

static Size partial_get_flat_size(ExpandedObjectHeader *eohptr);
static void partial_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

const ExpandedObjectMethods si_partial_methods = {
	partial_get_flat_size,
	partial_flatten_into
};

void
si_partial_corrupt(const SiPartialKind *kind, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s: %s", kind->typname, why),
			 errhint("A %s is written by the aggregate itself (text or binary output); give back an unchanged value from the same socialinvest version.",
					 kind->typname)));
}

SiPartial *
si_partial_new(const SiPartialKind *kind, MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "socialinvest partial state",
											  ALLOCSET_SMALL_SIZES);
	SiPartial  *p = MemoryContextAllocZero(cxt, sizeof(SiPartial));

	EOH_init_header(&p->hdr, &si_partial_methods, cxt);
	p->kind = kind;
	return p;
}

/*
 * The one context under an aggregate's context that holds all its groups'
 * partial states. Not a context per group: hash aggregation sums the
 * memory of the aggregate context with all its children each time it
 * adds a group (hash_agg_check_limits), so a context per group made
 * GROUP BY person quadratic in the persons. It is a direct child of the
 * aggregate context, so nodeAgg (and Citus) keep a state returned in it
 * as it is. Found again by name (a reset of the aggregate context deletes
 * it), never cached. An object here is never deleted on its own: the
 * functions always return the state they were given (DeleteExpandedObject
 * would delete the shared context; nodeAgg calls it only when a transition
 * returns another state).
 */
#define SHARED_NAME "socialinvest partial states"

static MemoryContext
shared_context(MemoryContext aggctx)
{
	MemoryContext c;

	for (c = aggctx->firstchild; c != NULL; c = c->nextchild)
		if (strcmp(c->name, SHARED_NAME) == 0)
			return c;
	return AllocSetContextCreate(aggctx, SHARED_NAME, ALLOCSET_DEFAULT_SIZES);
}

static SiPartial *
partial_new_shared(const SiPartialKind *kind, MemoryContext aggctx)
{
	MemoryContext cxt = shared_context(aggctx);
	SiPartial  *p = MemoryContextAllocZero(cxt, sizeof(SiPartial));

	EOH_init_header(&p->hdr, &si_partial_methods, cxt);
	p->kind = kind;
	return p;
}

/* the object behind d when it is one of ours of this kind, else NULL */
static SiPartial *
partial_expanded(Datum d, const SiPartialKind *kind)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_EXTERNAL_EXPANDED(v))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &si_partial_methods && ((SiPartial *) eoh)->kind == kind)
			return (SiPartial *) eoh;
	}
	return NULL;
}

static void
ensure_flat(SiPartial *p)
{
	if (p->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(p->hdr.eoh_context);

		p->flat = p->kind->serialize(p->state);
		MemoryContextSwitchTo(old);
	}
}

static Size
partial_get_flat_size(ExpandedObjectHeader *eohptr)
{
	SiPartial  *p = (SiPartial *) eohptr;

	ensure_flat(p);
	return VARSIZE(p->flat);
}

static void
partial_flatten_into(ExpandedObjectHeader *eohptr, void *result,
					 Size allocated_size PG_USED_FOR_ASSERTS_ONLY)
{
	SiPartial  *p = (SiPartial *) eohptr;

	ensure_flat(p);
	Assert(allocated_size == VARSIZE(p->flat));
	memcpy(result, p->flat, VARSIZE(p->flat));
}

/* a flat (possibly toasted or short-header) datum read into a new object */
static SiPartial *
partial_read(Datum d, const SiPartialKind *kind, MemoryContext aggctx)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(d));
	SiPartial  *p = aggctx ? partial_new_shared(kind, aggctx) : si_partial_new(kind, CurrentMemoryContext);

	p->state = kind->deserialize(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), p->hdr.eoh_context);
	return p;
}

SiPartial *
si_partial_arg_rw(FunctionCallInfo fcinfo, int argno, const SiPartialKind *kind, const char *fn)
{
	Datum		d;
	SiPartial  *p;
	MemoryContext aggctx;

	if (PG_ARGISNULL(argno))
		return NULL;
	d = PG_GETARG_DATUM(argno);
	p = partial_expanded(d, kind);
	/* a read-write pointer is the caller's permission to change it in place */
	if (p != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
		return p;
	aggctx = si_agg_context(fcinfo, fn);
	if (p != NULL)
	{
		/* a read-only object: copy */
		ensure_flat(p);
		return partial_read(PointerGetDatum(p->flat), kind, aggctx);
	}
	return partial_read(d, kind, aggctx);
}

SiPartial *
si_partial_start(FunctionCallInfo fcinfo, const SiPartialKind *kind, const char *fn)
{
	return partial_new_shared(kind, si_agg_context(fcinfo, fn));
}

void *
si_partial_arg_ro(FunctionCallInfo fcinfo, int argno, const SiPartialKind *kind)
{
	Datum		d;
	SiPartial  *p;

	if (PG_ARGISNULL(argno))
		return NULL;
	d = PG_GETARG_DATUM(argno);
	p = partial_expanded(d, kind);
	if (p != NULL)
		return p->state;
	p = partial_read(d, kind, NULL);
	return p->state;
}

void
si_partial_drop_flat(SiPartial *p)
{
	pfree(p->flat);
	p->flat = NULL;
}

/* ---- type I/O ---- */

static const char hexdig[] = "0123456789abcdef";

static int
hexval(const SiPartialKind *kind, char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	si_partial_corrupt(kind, "the text form is hexadecimal digits");
	return 0;
}

/* bytes checked by the kind's reader, then kept as they are */
static Datum
partial_from_bytes(const char *data, int len, const SiPartialKind *kind)
{
	MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "partial state check",
											  ALLOCSET_DEFAULT_SIZES);
	bytea	   *res;

	(void) kind->deserialize(data, len, tmp);
	MemoryContextDelete(tmp);
	res = palloc(VARHDRSZ + len);
	SET_VARSIZE(res, VARHDRSZ + len);
	memcpy(VARDATA(res), data, len);
	return PointerGetDatum(res);
}

Datum
si_partial_in(const char *str, const SiPartialKind *kind)
{
	size_t		n = strlen(str);
	char	   *bytes;
	size_t		i;

	if (n == 0 || n % 2 != 0)
		si_partial_corrupt(kind, "the text form is an even number of hexadecimal digits");
	if (n / 2 > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s text form is too long", kind->typname)));
	bytes = palloc(n / 2);
	for (i = 0; i < n / 2; i++)
		bytes[i] = (char) (hexval(kind, str[2 * i]) << 4 | hexval(kind, str[2 * i + 1]));
	return partial_from_bytes(bytes, (int) (n / 2), kind);
}

/* the flat bytes of d (no copy when d is flat and not toasted) */
static struct varlena *
partial_flat(Datum d, const SiPartialKind *kind)
{
	SiPartial  *p = partial_expanded(d, kind);

	if (p != NULL)
	{
		ensure_flat(p);
		return (struct varlena *) p->flat;
	}
	return pg_detoast_datum_packed((struct varlena *) DatumGetPointer(d));
}

char *
si_partial_out(Datum d, const SiPartialKind *kind)
{
	struct varlena *v = partial_flat(d, kind);
	const unsigned char *b = (const unsigned char *) VARDATA_ANY(v);
	Size		n = VARSIZE_ANY_EXHDR(v);
	char	   *out,
			   *o;
	Size		i;

	if (n > (MaxAllocSize - 1) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s of %zu bytes is too large for its text form (at most 512 MB)", kind->typname, n),
				 errhint("Split the aggregate into more groups, or use the binary form.")));
	out = o = palloc(2 * n + 1);
	for (i = 0; i < n; i++)
	{
		*o++ = hexdig[b[i] >> 4];
		*o++ = hexdig[b[i] & 15];
	}
	*o = '\0';
	return out;
}

Datum
si_partial_recv(StringInfo buf, const SiPartialKind *kind)
{
	int			len = buf->len - buf->cursor;
	const char *data = pq_getmsgbytes(buf, len);

	if (len == 0)
		si_partial_corrupt(kind, "no bytes");
	return partial_from_bytes(data, len, kind);
}

bytea *
si_partial_send(Datum d, const SiPartialKind *kind)
{
	struct varlena *v = partial_flat(d, kind);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	return pq_endtypsend(&buf);
}

Datum
si_partial_combine(FunctionCallInfo fcinfo, const SiPartialKind *kind, const char *fn)
{
	void	   *b = si_partial_arg_ro(fcinfo, 1, kind);
	SiPartial  *a;

	if (b == NULL)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = si_partial_arg_rw(fcinfo, 0, kind, fn);
	if (a == NULL)
		a = si_partial_start(fcinfo, kind, fn);
	a->state = kind->merge(a->state, b, a->hdr.eoh_context);
	return si_partial_datum(a);
}
