/*
 * pg_shim.c — backend services for fuzzing type I/O outside a server
 * (see pg_shim.h). Written for these harnesses only: each function does
 * what the extension's type I/O needs of it, checked the way PostgreSQL
 * checks (pq_getmsg* refuse to read past the end of the message, float8
 * input refuses out-of-range values, errors carry a SQLSTATE).
 */
#include "pg_shim.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/elog.h"
#include "utils/expandeddatum.h"
#include "utils/float.h"
#include "utils/memutils.h"

/* ---------- memory: one arena, reset after each input ---------- */

typedef struct Chunk
{
	struct Chunk *prev;
	struct Chunk *next;
	Size		size;
	MemoryContext cxt;			/* where GetMemoryChunkContext() looks */
} Chunk;

static Chunk arena = {&arena, &arena, 0, NULL};
static MemoryContextData top_cxt;
MemoryContext CurrentMemoryContext = &top_cxt;
MemoryContext TopMemoryContext = &top_cxt;

static void *
chunk_alloc(MemoryContext cxt, Size size, bool zero)
{
	Chunk	   *c;

	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("invalid memory alloc request size %zu", size)));
	c = malloc(sizeof(Chunk) + (size ? size : 1));
	if (c == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	c->size = size;
	c->cxt = cxt;
	c->next = arena.next;
	c->prev = &arena;
	arena.next->prev = c;
	arena.next = c;
	if (zero)
		memset(c + 1, 0, size);
	return c + 1;
}

void *
palloc(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, false);
}

void *
palloc0(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, true);
}

void *
palloc_extended(Size size, int flags)
{
	return chunk_alloc(CurrentMemoryContext, size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void *
MemoryContextAlloc(MemoryContext cxt, Size size)
{
	return chunk_alloc(cxt, size, false);
}

void *
MemoryContextAllocZero(MemoryContext cxt, Size size)
{
	return chunk_alloc(cxt, size, true);
}

void *
MemoryContextAllocZeroAligned(MemoryContext cxt, Size size)
{
	return chunk_alloc(cxt, size, true);
}

void *
MemoryContextAllocExtended(MemoryContext cxt, Size size, int flags)
{
	if (!(flags & MCXT_ALLOC_HUGE) && !AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("invalid memory alloc request size %zu", size)));
	if (size > (Size) 1 << 31)	/* a fuzz run need not allocate more */
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	{
		Chunk	   *c = malloc(sizeof(Chunk) + (size ? size : 1));

		if (c == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		c->size = size;
		c->cxt = cxt;
		c->next = arena.next;
		c->prev = &arena;
		arena.next->prev = c;
		arena.next = c;
		if (flags & MCXT_ALLOC_ZERO)
			memset(c + 1, 0, size);
		return c + 1;
	}
}

void
pfree(void *p)
{
	Chunk	   *c = (Chunk *) p - 1;

	c->prev->next = c->next;
	c->next->prev = c->prev;
	free(c);
}

void *
repalloc(void *p, Size size)
{
	Chunk	   *c = (Chunk *) p - 1;
	void	   *n = chunk_alloc(c->cxt, size, false);

	memcpy(n, p, Min(size, c->size));
	pfree(p);
	return n;
}

void *
repalloc_huge(void *p, Size size)
{
	return repalloc(p, size);
}

char *
pstrdup(const char *s)
{
	return pnstrdup(s, strlen(s));
}

char *
pnstrdup(const char *s, Size len)
{
	char	   *r;

	len = strnlen(s, len);
	r = palloc(len + 1);
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

MemoryContext
AllocSetContextCreateInternal(MemoryContext parent, const char *name,
							  Size minContextSize, Size initBlockSize, Size maxBlockSize)
{
	MemoryContext c = palloc0(sizeof(MemoryContextData));

	c->parent = parent;
	c->name = name;
	return c;
}

void
MemoryContextDelete(MemoryContext cxt)
{
	/* chunks are freed by fuzz_reset() */
}

void
MemoryContextReset(MemoryContext cxt)
{
}

void
MemoryContextSetParent(MemoryContext cxt, MemoryContext parent)
{
	cxt->parent = parent;
}

void
fuzz_reset(void)
{
	while (arena.next != &arena)
		pfree(arena.next + 1);
	CurrentMemoryContext = &top_cxt;
}

/* ---------- errors ---------- */

sigjmp_buf *PG_exception_stack = NULL;
ErrorContextCallback *error_context_stack = NULL;
volatile sig_atomic_t InterruptPending = false;
int			fuzz_last_sqlstate;
char		fuzz_last_message[512];
static int	cur_elevel;
static int	cur_sqlstate;

void
ProcessInterrupts(void)
{
}

bool
errstart(int elevel, const char *domain)
{
	if (elevel < ERROR)
		return false;			/* notices and warnings: nothing to check */
	cur_elevel = elevel;
	cur_sqlstate = ERRCODE_INTERNAL_ERROR;	/* elog()'s code */
	fuzz_last_message[0] = '\0';
	return true;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

int
errcode(int sqlerrcode)
{
	cur_sqlstate = sqlerrcode;
	return 0;
}

static void
format_into(char *dst, size_t len, const char *fmt, va_list ap)
{
	/* formatting the message checks its arguments too (under ASan) */
	vsnprintf(dst, len, fmt, ap);
}

#define FORMAT_TO(dst) \
	do { va_list ap; va_start(ap, fmt); format_into(dst, sizeof(dst), fmt, ap); va_end(ap); } while (0)

int
errmsg(const char *fmt,...)
{
	FORMAT_TO(fuzz_last_message);
	return 0;
}

int
errmsg_internal(const char *fmt,...)
{
	FORMAT_TO(fuzz_last_message);
	return 0;
}

int
errhint(const char *fmt,...)
{
	char		tmp[512];

	FORMAT_TO(tmp);
	return 0;
}

int
errdetail(const char *fmt,...)
{
	char		tmp[512];

	FORMAT_TO(tmp);
	return 0;
}

int
errdetail_internal(const char *fmt,...)
{
	char		tmp[512];

	FORMAT_TO(tmp);
	return 0;
}

int
errcontext_msg(const char *fmt,...)
{
	char		tmp[512];

	FORMAT_TO(tmp);
	return 0;
}

int
set_errcontext_domain(const char *domain)
{
	return 0;
}

void
pg_re_throw(void)
{
	if (PG_exception_stack == NULL)
		abort();
	siglongjmp(*PG_exception_stack, 1);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (cur_elevel >= FATAL)
	{
		fprintf(stderr, "FATAL error raised at %s:%d: %s\n", filename, lineno, fuzz_last_message);
		abort();
	}
	fuzz_last_sqlstate = cur_sqlstate;
	if (cur_sqlstate == ERRCODE_INTERNAL_ERROR)
	{
		fprintf(stderr, "internal error (XX000) at %s:%d (%s): %s\n",
				filename, lineno, funcname, fuzz_last_message);
		abort();
	}
	pg_re_throw();
}

/* ---------- function calls ---------- */

bool
fuzz_call1(PGFunction fn, Datum arg, Datum *result)
{
	LOCAL_FCINFO(fcinfo, 1);
	sigjmp_buf	jb;
	sigjmp_buf *save = PG_exception_stack;
	volatile bool ok = false;

	if (sigsetjmp(jb, 0) == 0)
	{
		PG_exception_stack = &jb;
		InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
		fcinfo->args[0].value = arg;
		fcinfo->args[0].isnull = false;
		*result = fn(fcinfo);
		if (fcinfo->isnull)
			fuzz_fail("function returned NULL", "");
		ok = true;
	}
	PG_exception_stack = save;
	return ok;
}

void
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz property failed: %s %s\n", what, detail);
	abort();
}

StringInfo
fuzz_msg(const uint8 *data, size_t len)
{
	StringInfo	s = palloc(sizeof(StringInfoData));

	s->data = palloc(len + 1);
	memcpy(s->data, data, len);
	s->data[len] = '\0';
	s->len = (int) len;
	s->maxlen = (int) len + 1;
	s->cursor = 0;
	return s;
}

char *
fuzz_cstring(const uint8 *data, size_t len)
{
	return pnstrdup((const char *) data, len);
}

void
fuzz_bytes(Datum d, const uint8 **data, size_t *len)
{
	bytea	   *b = DatumGetByteaPP(d);

	*data = (const uint8 *) VARDATA_ANY(b);
	*len = VARSIZE_ANY_EXHDR(b);
}

/* ---------- varlena ---------- */

struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	if (VARATT_IS_EXTERNAL(datum))
		fuzz_fail("external (toasted) datum in a fuzz run", "");
	if (VARATT_IS_SHORT(datum))
	{
		Size		n = VARSIZE_SHORT(datum) - VARHDRSZ_SHORT;
		struct varlena *r = palloc(n + VARHDRSZ);

		SET_VARSIZE(r, n + VARHDRSZ);
		memcpy(VARDATA(r), VARDATA_SHORT(datum), n);
		return r;
	}
	return datum;
}

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	if (VARATT_IS_EXTERNAL(datum))
		fuzz_fail("external (toasted) datum in a fuzz run", "");
	return datum;
}

struct varlena *
pg_detoast_datum_copy(struct varlena *datum)
{
	struct varlena *d = pg_detoast_datum(datum);
	struct varlena *r = palloc(VARSIZE(d));

	memcpy(r, d, VARSIZE(d));
	return r;
}

/* ---------- expanded objects (as in expandeddatum.c) ---------- */

void
EOH_init_header(ExpandedObjectHeader *eohptr, const ExpandedObjectMethods *methods,
				MemoryContext obj_context)
{
	varattrib_1b_e *p;

	eohptr->vl_len_ = EOH_HEADER_MAGIC;
	eohptr->eoh_methods = methods;
	eohptr->eoh_context = obj_context;
	p = (varattrib_1b_e *) eohptr->eoh_rw_ptr;
	SET_VARTAG_EXTERNAL(p, VARTAG_EXPANDED_RW);
	memcpy(VARDATA_EXTERNAL(p), &eohptr, sizeof(eohptr));
	p = (varattrib_1b_e *) eohptr->eoh_ro_ptr;
	SET_VARTAG_EXTERNAL(p, VARTAG_EXPANDED_RO);
	memcpy(VARDATA_EXTERNAL(p), &eohptr, sizeof(eohptr));
}

ExpandedObjectHeader *
DatumGetEOHP(Datum d)
{
	varattrib_1b_e *datum = (varattrib_1b_e *) DatumGetPointer(d);
	varatt_expanded ptr;

	memcpy(&ptr, VARDATA_EXTERNAL(datum), sizeof(ptr));
	return ptr.eohptr;
}

Size
EOH_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return eohptr->eoh_methods->get_flat_size(eohptr);
}

void
EOH_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	eohptr->eoh_methods->flatten_into(eohptr, result, allocated_size);
}

/* ---------- protocol messages (as in pqformat.c) ---------- */

static void
short_message(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("insufficient data left in message")));
}

int
pq_getmsgbyte(StringInfo msg)
{
	if (msg->cursor >= msg->len)
		short_message();
	return (unsigned char) msg->data[msg->cursor++];
}

void
pq_copymsgbytes(StringInfo msg, char *buf, int datalen)
{
	if (datalen < 0 || datalen > (msg->len - msg->cursor))
		short_message();
	memcpy(buf, &msg->data[msg->cursor], datalen);
	msg->cursor += datalen;
}

const char *
pq_getmsgbytes(StringInfo msg, int datalen)
{
	const char *r;

	if (datalen < 0 || datalen > (msg->len - msg->cursor))
		short_message();
	r = &msg->data[msg->cursor];
	msg->cursor += datalen;
	return r;
}

unsigned int
pq_getmsgint(StringInfo msg, int b)
{
	unsigned char c[4];

	if (b < 1 || b > 4 || b == 3)
		elog(ERROR, "unsupported integer size %d", b);
	pq_copymsgbytes(msg, (char *) c, b);
	if (b == 1)
		return c[0];
	if (b == 2)
		return ((unsigned) c[0] << 8) | c[1];
	return ((unsigned) c[0] << 24) | ((unsigned) c[1] << 16) | ((unsigned) c[2] << 8) | c[3];
}

int64
pq_getmsgint64(StringInfo msg)
{
	uint64		hi = pq_getmsgint(msg, 4);
	uint64		lo = pq_getmsgint(msg, 4);

	return (int64) ((hi << 32) | lo);
}

float8
pq_getmsgfloat8(StringInfo msg)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.i = pq_getmsgint64(msg);
	return swap.f;
}

float4
pq_getmsgfloat4(StringInfo msg)
{
	union
	{
		float4		f;
		uint32		i;
	}			swap;

	swap.i = pq_getmsgint(msg, 4);
	return swap.f;
}

void
pq_getmsgend(StringInfo msg)
{
	if (msg->cursor != msg->len)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("invalid message format")));
}

void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
}

bytea *
pq_endtypsend(StringInfo buf)
{
	bytea	   *result = (bytea *) buf->data;

	SET_VARSIZE(result, buf->len);
	return result;
}

void
pq_sendbytes(StringInfo buf, const char *data, int datalen)
{
	appendBinaryStringInfo(buf, data, datalen);
}

void
pq_sendfloat8(StringInfo buf, float8 f)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.f = f;
	pq_sendint64(buf, swap.i);
}

void
pq_sendfloat4(StringInfo buf, float4 f)
{
	union
	{
		float4		f;
		uint32		i;
	}			swap;

	swap.f = f;
	pq_sendint32(buf, swap.i);
}

/* ---------- float8 text input (the rules of float.c) ---------- */

double
float8in_internal(char *num, char **endptr_p, const char *type_name,
				  const char *orig_string)
{
	double		val;
	char	   *endptr;

	while (*num != '\0' && isspace((unsigned char) *num))
		num++;
	if (*num == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type_name, orig_string)));
	errno = 0;
	val = strtod(num, &endptr);
	if (endptr == num || errno != 0)
	{
		int			save_errno = errno;

		if (pg_strncasecmp(num, "NaN", 3) == 0)
		{
			val = get_float8_nan();
			endptr = num + 3;
		}
		else if (pg_strncasecmp(num, "Infinity", 8) == 0)
		{
			val = get_float8_infinity();
			endptr = num + 8;
		}
		else if (pg_strncasecmp(num, "+Infinity", 9) == 0)
		{
			val = get_float8_infinity();
			endptr = num + 9;
		}
		else if (pg_strncasecmp(num, "-Infinity", 9) == 0)
		{
			val = -get_float8_infinity();
			endptr = num + 9;
		}
		else if (pg_strncasecmp(num, "inf", 3) == 0)
		{
			val = get_float8_infinity();
			endptr = num + 3;
		}
		else if (pg_strncasecmp(num, "+inf", 4) == 0)
		{
			val = get_float8_infinity();
			endptr = num + 4;
		}
		else if (pg_strncasecmp(num, "-inf", 4) == 0)
		{
			val = -get_float8_infinity();
			endptr = num + 4;
		}
		else if (save_errno == ERANGE)
		{
			if (val == 0.0 || val >= HUGE_VAL || val <= -HUGE_VAL)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("\"%s\" is out of range for type double precision", orig_string)));
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", type_name, orig_string)));
	}
	while (*endptr != '\0' && isspace((unsigned char) *endptr))
		endptr++;
	if (endptr_p)
		*endptr_p = endptr;
	else if (*endptr != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type_name, orig_string)));
	return val;
}

/* ---------- aggregate context: type I/O is never inside an aggregate ---------- */

int
AggCheckCallContext(FunctionCallInfo fcinfo, MemoryContext *aggcontext)
{
	if (aggcontext)
		*aggcontext = NULL;
	return 0;
}

/* ---------- size arithmetic (as in shmem.c) ---------- */

Size
add_size(Size s1, Size s2)
{
	Size		result = s1 + s2;

	if (result < s1 || result < s2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("requested shared memory size overflows size_t")));
	return result;
}

Size
mul_size(Size s1, Size s2)
{
	Size		result;

	if (s1 == 0 || s2 == 0)
		return 0;
	result = s1 * s2;
	if (result / s2 != s1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("requested shared memory size overflows size_t")));
	return result;
}

/* ---------- encoding (the database encoding is UTF8 here) ---------- */

bool
pg_verifymbstr(const char *mbstr, int len, bool noError)
{
	const unsigned char *s = (const unsigned char *) mbstr;
	int			i = 0;

	while (i < len)
	{
		int			n,
					k;
		unsigned int c = s[i];

		if (c == 0)
			goto bad;
		n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (n == 0 || i + n > len)
			goto bad;
		for (k = 1; k < n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				goto bad;
		i += n;
	}
	return true;
bad:
	if (noError)
		return false;
	ereport(ERROR,
			(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
			 errmsg("invalid byte sequence for encoding \"UTF8\"")));
	return false;
}

/* ---------- overflow-checked array allocation (palloc.h) ---------- */

void *
palloc_mul(Size s1, Size s2)
{
	return palloc(mul_size(s1, s2));
}

void *
palloc0_mul(Size s1, Size s2)
{
	return palloc0(mul_size(s1, s2));
}

void *
palloc_mul_extended(Size s1, Size s2, int flags)
{
	return palloc_extended(mul_size(s1, s2), flags);
}

void *
repalloc_mul(void *p, Size s1, Size s2)
{
	return repalloc(p, mul_size(s1, s2));
}

void *
repalloc_mul_extended(void *p, Size s1, Size s2, int flags)
{
	return repalloc(p, mul_size(s1, s2));
}
