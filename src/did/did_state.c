/*
 * did_state.c — the did_state type: in-memory expanded object, canonical
 * flat form, text and binary I/O, the exact merge of two states. Storage
 * only: the moments are updated and merged by src/math/didstats.c, read out
 * by did.c; no estimator or read-out option lives here.
 *
 * Flat form (version 1). The bytes after the varlena header are exactly
 * the binary send format (network byte order), so send/recv and storage
 * share one validated reader:
 *   u8 version, u8 weighted, u8 cluster kind (0 none, 1 bigint, 2 text),
 *   u8 regression, i32 covariates (-1 = not known yet), i64 skipped rows,
 *   2 x group (control, treated): i64 n, f8 W, mean, M2, Q0, Q1, Q2,
 *       mean_pre, mean_post,
 *   regression with covariates known (k = covariates + 2): f8 X'WX (packed,
 *       k(k+1)/2), X'Wy (k), y'Wy, sum w^2 y^2 xx' (packed), sum w^2 y xxx
 *       (packed), sum w^2 xxxx (packed),
 *   i64 cluster count, then per cluster in ascending key order: key (i64,
 *       or i32 length + bytes), 2 x cell: i64 n, f8 W, mean; regression:
 *       f8 sum w x y (k), sum w x x' (packed).
 * The text form lists the same fields, labelled, floats in shortest exact
 * notation (independent of extra_float_digits), so text round-trips bit
 * for bit. Both readers validate every field.
 */
#include "postgres.h"

#include "common/int.h"

#include <math.h>

#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "did.h"

PG_FUNCTION_INFO_V1(si_did_state_in);
PG_FUNCTION_INFO_V1(si_did_state_out);
PG_FUNCTION_INFO_V1(si_did_state_send);
PG_FUNCTION_INFO_V1(si_did_state_recv);

static Size did_get_flat_size(ExpandedObjectHeader *eohptr);
static void did_flatten_into(ExpandedObjectHeader *eohptr, void *result,
				 Size allocated_size PG_USED_FOR_ASSERTS_ONLY);

static const ExpandedObjectMethods did_eom = {
	did_get_flat_size,
	did_flatten_into
};

/* ---------- the in-memory object ---------- */

DidState *
did_state_new(MemoryContext parent, int weighted, int cluster_kind, int regression)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "did_state",
											  ALLOCSET_SMALL_SIZES);
	DidState   *s = MemoryContextAllocZero(cxt, sizeof(DidState));

	EOH_init_header(&s->hdr, &did_eom, cxt);
	s->weighted = weighted;
	s->cluster_kind = cluster_kind;
	s->regression = regression;
	s->p = regression ? -1 : 0;
	return s;
}

void
did_state_changed(DidState *s)
{
	if (s->flat)
	{
		pfree(s->flat);
		s->flat = NULL;
	}
}

void
did_state_set_p(DidState *s, int p)
{
	MemoryContext cxt = s->hdr.eoh_context;
	int			k = p + 2;

	Assert(s->regression && s->p < 0);
	s->p = p;
	s->k = k;
	s->xtx = MemoryContextAllocZero(cxt, sizeof(double) * si_sym2_len(k));
	s->xty = MemoryContextAllocZero(cxt, sizeof(double) * k);
	s->myy = MemoryContextAllocZero(cxt, sizeof(double) * si_sym2_len(k));
	s->my3 = MemoryContextAllocZero(cxt, sizeof(double) * si_sym3_len(k));
	s->m4 = MemoryContextAllocZero(cxt, sizeof(double) * si_sym4_len(k));
}

static uint64
hash_int64_key(int64 v)
{
	uint64		x = (uint64) v;

	/* splitmix64 finalizer */
	x ^= x >> 30;
	x *= UINT64CONST(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64CONST(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

static size_t
cluster_reg_len(const DidState *s)
{
	return s->regression ? (size_t) s->k + si_sym2_len(s->k) : 0;
}

static void
clusters_grow(DidState *s)
{
	int64		newcap = s->capacity ? s->capacity * 2 : 64;
	DidCluster *old = s->slots;
	int64		oldcap = s->capacity,
				i;

	if ((Size) newcap * sizeof(DidCluster) > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("did_state has too many clusters")));
	s->slots = MemoryContextAllocExtended(s->hdr.eoh_context,
										  sizeof(DidCluster) * newcap,
										  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	s->capacity = newcap;
	for (i = 0; i < oldcap; i++)
	{
		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (old[i].used)
		{
			int64		j = (int64) (old[i].hash & (uint64) (newcap - 1));

			while (s->slots[j].used)
				j = (j + 1) & (newcap - 1);
			s->slots[j] = old[i];
		}
	}
	if (old)
		pfree(old);
}

/* find or create the cluster with this key */
DidCluster *
did_state_cluster(DidState *s, int64 ikey, const char *skey, int32 slen)
{
	uint64		h;
	int64		j;

	if (s->cluster_kind == DID_CLUSTER_TEXT)
		h = hash_bytes_extended((const unsigned char *) skey, slen, 0);
	else
		h = hash_int64_key(ikey);

	if ((s->nclusters + 1) * 2 > s->capacity)
		clusters_grow(s);

	j = (int64) (h & (uint64) (s->capacity - 1));
	for (;;)
	{
		DidCluster *c = &s->slots[j];

		if (!c->used)
		{
			c->used = true;
			c->hash = h;
			if (s->cluster_kind == DID_CLUSTER_TEXT)
			{
				c->skey = MemoryContextAlloc(s->hdr.eoh_context, slen > 0 ? slen : 1);
				memcpy(c->skey, skey, slen);
				c->slen = slen;
			}
			else
				c->ikey = ikey;
			if (s->regression)
				c->reg = MemoryContextAllocZero(s->hdr.eoh_context,
												sizeof(double) * cluster_reg_len(s));
			s->nclusters++;
			return c;
		}
		if (c->hash == h &&
			(s->cluster_kind == DID_CLUSTER_TEXT ?
			 (c->slen == slen && memcmp(c->skey, skey, slen) == 0) :
			 c->ikey == ikey))
			return c;
		j = (j + 1) & (s->capacity - 1);
	}
}

static void
add_vec(double *a, const double *b, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		a[i] += b[i];
}

/*
 * Moments that overflowed double precision cannot be stored (the state's
 * input rejects non-finite numbers): say so when it happens, as a range
 * error, instead of producing a state that reads back as corrupted.
 */
void
did_group_check_finite(const si_did_group *g)
{
	if (!isfinite(g->W) || !isfinite(g->mean) || !isfinite(g->M2) ||
		!isfinite(g->Q0) || !isfinite(g->Q1) || !isfinite(g->Q2) ||
		!isfinite(g->mean_pre) || !isfinite(g->mean_post))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("did: the sums of outcomes or weights exceed the range of double precision"),
				 errhint("Rescale the outcome (e.g. thousands instead of units) or the weights.")));
}

static void
check_vec_finite(const double *v, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("did: the sums of outcomes, weights or covariates exceed the range of double precision"),
					 errhint("Rescale the outcome, the weights or the covariates.")));
}

/*
 * The state's sums must be finite to be stored (its input rejects anything
 * else). Checked after every merge and before a state is written, so that
 * large covariates (x^4 moments overflow from |x| ~ 1e77) are a range error
 * naming the fix, never a state that reads back as corrupted. Cluster sums
 * are checked where they are merged.
 */
void
did_state_check_sums(const DidState *a)
{
	if (a->regression && a->p >= 0)
	{
		int			k = a->k;

		check_vec_finite(a->xtx, si_sym2_len(k));
		check_vec_finite(a->xty, k);
		check_vec_finite(&a->yty, 1);
		check_vec_finite(a->myy, si_sym2_len(k));
		check_vec_finite(a->my3, si_sym3_len(k));
		check_vec_finite(a->m4, si_sym4_len(k));
	}
	did_group_check_finite(&a->g[0]);
	did_group_check_finite(&a->g[1]);
}

/* a += b (exact merge of sufficient statistics) */
void
did_state_merge(DidState *a, const DidState *b)
{
	int64		i;

	if (a->weighted != b->weighted || a->cluster_kind != b->cluster_kind ||
		a->regression != b->regression ||
		(a->p >= 0 && b->p >= 0 && a->p != b->p))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("cannot combine did_state values of different kinds"),
				 errdetail("One is %s, %s cluster, %d covariates; the other %s, %s cluster, %d covariates.",
						   a->weighted ? "weighted" : "unweighted",
						   a->cluster_kind == DID_CLUSTER_BIGINT ? "bigint" : a->cluster_kind == DID_CLUSTER_TEXT ? "text" : "no",
						   a->regression ? a->p : 0,
						   b->weighted ? "weighted" : "unweighted",
						   b->cluster_kind == DID_CLUSTER_BIGINT ? "bigint" : b->cluster_kind == DID_CLUSTER_TEXT ? "text" : "no",
						   b->regression ? b->p : 0),
				 errhint("Combine only states built by the same did_state/did_weighted_state signature with the same number of covariates.")));

	if (pg_add_s64_overflow(a->n_skipped, b->n_skipped, &i) ||
		pg_add_s64_overflow(a->g[0].n, b->g[0].n, &i) ||
		pg_add_s64_overflow(a->g[1].n, b->g[1].n, &i))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot combine did_state values: a row count would exceed the bigint range")));

	did_state_changed(a);
	a->n_skipped += b->n_skipped;
	si_did_group_merge(&a->g[0], &b->g[0]);
	si_did_group_merge(&a->g[1], &b->g[1]);
	if (a->regression && b->p >= 0)
	{
		int			k;

		if (a->p < 0)
			did_state_set_p(a, b->p);
		k = a->k;
		add_vec(a->xtx, b->xtx, si_sym2_len(k));
		add_vec(a->xty, b->xty, k);
		a->yty += b->yty;
		add_vec(a->myy, b->myy, si_sym2_len(k));
		add_vec(a->my3, b->my3, si_sym3_len(k));
		add_vec(a->m4, b->m4, si_sym4_len(k));
	}
	did_state_check_sums(a);
	for (i = 0; i < b->capacity; i++)
	{
		const DidCluster *bc = &b->slots[i];
		DidCluster *ac;

		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!bc->used)
			continue;
		ac = did_state_cluster(a, bc->ikey, bc->skey, bc->slen);
		si_did_cell_merge(&ac->cell[0], &bc->cell[0]);
		si_did_cell_merge(&ac->cell[1], &bc->cell[1]);
		check_vec_finite(&ac->cell[0].W, 2);
		check_vec_finite(&ac->cell[1].W, 2);
		if (a->regression)
		{
			add_vec(ac->reg, bc->reg, cluster_reg_len(a));
			check_vec_finite(ac->reg, cluster_reg_len(a));
		}
	}
}

/* ---------- serialisation (binary and text share one traversal) ---------- */

typedef struct Ser
{
	bool		reading;
	bool		text;
	int			errcode;		/* for malformed input */
	const char *what;			/* "binary did_state", "did_state text", ... */
	StringInfo	out;
	const char *buf;
	Size		len;
	Size		pos;
} Ser;

static void pg_attribute_noreturn()
ser_fail(Ser *s, const char *detail)
{
	ereport(ERROR,
			(errcode(s->errcode),
			 errmsg("invalid %s: %s", s->what, detail),
			 errhint("Use a value produced by did_state(), did_weighted_state() or did_rollup() of this extension version.")));
}

/* text: next whitespace-separated token */
static void
ser_token(Ser *s, const char **tok, Size *toklen)
{
	while (s->pos < s->len && isspace((unsigned char) s->buf[s->pos]))
		s->pos++;
	if (s->pos >= s->len)
		ser_fail(s, "unexpected end of input");
	*tok = s->buf + s->pos;
	if (s->buf[s->pos] == '"')
	{
		/* quoted string: up to the closing unescaped quote */
		s->pos++;
		while (s->pos < s->len && s->buf[s->pos] != '"')
		{
			if (s->buf[s->pos] == '\\')
				s->pos++;
			s->pos++;
		}
		if (s->pos >= s->len)
			ser_fail(s, "unterminated quoted cluster key");
		s->pos++;
	}
	else
		while (s->pos < s->len && !isspace((unsigned char) s->buf[s->pos]))
			s->pos++;
	*toklen = s->buf + s->pos - *tok;
}

static void
ser_text_put(Ser *s, const char *str)
{
	if (s->out->len > 0)
		appendStringInfoChar(s->out, ' ');
	appendStringInfoString(s->out, str);
}

/* a label: written and checked in text form only */
static void
ser_label(Ser *s, const char *label)
{
	const char *tok;
	Size		toklen;

	if (!s->text)
		return;
	if (!s->reading)
	{
		ser_text_put(s, label);
		return;
	}
	ser_token(s, &tok, &toklen);
	if (toklen != strlen(label) || memcmp(tok, label, toklen) != 0)
	{
		char	   *detail = psprintf("expected \"%s\" at \"%.*s\"", label,
									  (int) Min(toklen, 40), tok);

		ser_fail(s, detail);
	}
}

static void
ser_bytes_read(Ser *s, void *dst, Size n)
{
	if (s->len - s->pos < n)
		ser_fail(s, "input ends too early");
	memcpy(dst, s->buf + s->pos, n);
	s->pos += n;
}

/*
 * Binary form: an n-byte (1, 4 or 8) unsigned integer in network byte
 * order, written from v or read and returned.
 */
static uint64
ser_bin_uint(Ser *s, uint64 v, int n)
{
	uint8		b[8];
	int			i;

	if (s->reading)
	{
		ser_bytes_read(s, b, n);
		v = 0;
		for (i = 0; i < n; i++)
			v = (v << 8) | b[i];
		return v;
	}
	for (i = n - 1; i >= 0; i--)
	{
		b[i] = (uint8) (v & 0xff);
		v >>= 8;
	}
	appendBinaryStringInfo(s->out, (char *) b, n);
	return 0;
}

/* text form: a decimal integer token */
static void
ser_text_i64(Ser *s, int64 *v)
{
	if (s->reading)
	{
		const char *tok;
		Size		toklen;
		char		buf[32];
		char	   *end;
		long long	val;

		ser_token(s, &tok, &toklen);
		if (toklen == 0 || toklen >= sizeof(buf))
			ser_fail(s, "bad integer");
		memcpy(buf, tok, toklen);
		buf[toklen] = '\0';
		errno = 0;
		val = strtoll(buf, &end, 10);
		if (errno != 0 || *end != '\0')
			ser_fail(s, psprintf("bad integer \"%s\"", buf));
		*v = (int64) val;
	}
	else
	{
		char		buf[32];

		snprintf(buf, sizeof(buf), INT64_FORMAT, *v);
		ser_text_put(s, buf);
	}
}

/*
 * An integer field of nbytes (1, 4 or 8) whose values lie in [lo, hi]:
 * big-endian in the binary form, a decimal token in the text form (read
 * back range-checked; the binary form cannot leave the range of its width).
 */
static int64
ser_int(Ser *s, int64 v, int nbytes, int64 lo, int64 hi, const char *range_error)
{
	if (!s->text)
	{
		uint64		u = ser_bin_uint(s, (uint64) v, nbytes);

		if (!s->reading)
			return v;
		if (nbytes == 8)
			return (int64) u;
		if (nbytes == 4)
			return (int64) (int32) (uint32) u;
		return (int64) u;
	}
	ser_text_i64(s, &v);
	if (s->reading && (v < lo || v > hi))
		ser_fail(s, range_error);
	return v;
}

static void
ser_i64(Ser *s, int64 *v)
{
	int64		t = ser_int(s, s->reading ? 0 : *v, 8, PG_INT64_MIN, PG_INT64_MAX, NULL);

	*v = t;						/* when writing, ser_int returns *v */
}

static void
ser_i32(Ser *s, int32 *v)
{
	int64		t = ser_int(s, s->reading ? 0 : *v, 4, PG_INT32_MIN, PG_INT32_MAX, "integer out of range");

	*v = (int32) t;
}

static void
ser_u8(Ser *s, uint8 *v)
{
	int64		t = ser_int(s, s->reading ? 0 : *v, 1, 0, 255, "small integer out of range");

	*v = (uint8) t;
}

static void
ser_f8(Ser *s, double *v)
{
	if (!s->text)
	{
		uint64		bits = 0;

		if (!s->reading)
			memcpy(&bits, v, 8);
		bits = ser_bin_uint(s, bits, 8);
		if (s->reading)
		{
			memcpy(v, &bits, 8);
			if (!isfinite(*v))
				ser_fail(s, "a non-finite number");
		}
		return;
	}
	if (s->reading)
	{
		const char *tok;
		Size		toklen;
		char		buf[64];
		char	   *end;

		ser_token(s, &tok, &toklen);
		if (toklen == 0 || toklen >= sizeof(buf))
			ser_fail(s, "bad number");
		memcpy(buf, tok, toklen);
		buf[toklen] = '\0';
		errno = 0;
		*v = strtod(buf, &end);
		if (*end != '\0' || !isfinite(*v) ||
			!(isdigit((unsigned char) buf[0]) || buf[0] == '-' || buf[0] == '.'))
			ser_fail(s, psprintf("bad number \"%s\"", buf));
	}
	else
	{
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

		double_to_shortest_decimal_buf(*v, buf);
		ser_text_put(s, buf);
	}
}

static void
ser_f8v(Ser *s, double *v, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		ser_f8(s, &v[i]);
}

/* cluster key: bigint, or text (quoted in text form) */
static void
ser_key(Ser *s, int kind, DidCluster *c, MemoryContext cxt)
{
	if (kind == DID_CLUSTER_BIGINT)
	{
		ser_i64(s, &c->ikey);
		return;
	}
	if (!s->text)
	{
		ser_i32(s, &c->slen);
		if (s->reading)
		{
			if (c->slen < 0 || (Size) c->slen > s->len - s->pos)
				ser_fail(s, "bad cluster key length");
			c->skey = MemoryContextAlloc(cxt, c->slen + 1);
			ser_bytes_read(s, c->skey, c->slen);
		}
		else
			appendBinaryStringInfo(s->out, c->skey, c->slen);
	}
	else if (s->reading)
	{
		const char *tok;
		Size		toklen,
					i;
		StringInfoData b;

		ser_token(s, &tok, &toklen);
		if (toklen < 2 || tok[0] != '"' || tok[toklen - 1] != '"')
			ser_fail(s, "a text cluster key must be double-quoted");
		initStringInfo(&b);
		for (i = 1; i < toklen - 1; i++)
		{
			if (tok[i] == '\\')
				i++;
			appendStringInfoChar(&b, tok[i]);
		}
		c->slen = b.len;
		c->skey = MemoryContextAlloc(cxt, b.len + 1);
		memcpy(c->skey, b.data, b.len);
		pfree(b.data);
	}
	else
	{
		int32		i;

		if (s->out->len > 0)
			appendStringInfoChar(s->out, ' ');
		appendStringInfoChar(s->out, '"');
		for (i = 0; i < c->slen; i++)
		{
			if (c->skey[i] == '"' || c->skey[i] == '\\')
				appendStringInfoChar(s->out, '\\');
			appendStringInfoChar(s->out, c->skey[i]);
		}
		appendStringInfoChar(s->out, '"');
	}
	if (s->reading)
		pg_verifymbstr(c->skey, c->slen, false);
}

static void
ser_group(Ser *s, si_did_group *g)
{
	ser_i64(s, &g->n);
	ser_f8(s, &g->W);
	ser_f8(s, &g->mean);
	ser_f8(s, &g->M2);
	ser_f8(s, &g->Q0);
	ser_f8(s, &g->Q1);
	ser_f8(s, &g->Q2);
	ser_f8(s, &g->mean_pre);
	ser_f8(s, &g->mean_post);
}

static void
ser_cell(Ser *s, si_did_cell *c)
{
	ser_i64(s, &c->n);
	ser_f8(s, &c->W);
	ser_f8(s, &c->mean);
}

/* the regression sums of a state whose covariates are known (k = p + 2) */
static void
ser_ols(Ser *s, DidState *st)
{
	int			k = st->k;

	ser_label(s, "ols");
	ser_f8v(s, st->xtx, si_sym2_len(k));
	ser_f8v(s, st->xty, k);
	ser_f8(s, &st->yty);
	ser_f8v(s, st->myy, si_sym2_len(k));
	ser_f8v(s, st->my3, si_sym3_len(k));
	ser_f8v(s, st->m4, si_sym4_len(k));
}

/* a cluster's sums after its key: the two cells, then the regression sums */
static void
ser_cluster_sums(Ser *s, const DidState *st, DidCluster *c)
{
	ser_cell(s, &c->cell[0]);
	ser_cell(s, &c->cell[1]);
	if (st->regression)
		ser_f8v(s, c->reg, cluster_reg_len(st));
}

static int
key_cmp(int kind, const DidCluster *a, const DidCluster *b)
{
	if (kind == DID_CLUSTER_TEXT)
	{
		int			r = memcmp(a->skey, b->skey, Min(a->slen, b->slen));

		if (r != 0)
			return r;
		return (a->slen > b->slen) - (a->slen < b->slen);
	}
	return (a->ikey > b->ikey) - (a->ikey < b->ikey);
}

static int
cluster_cmp(const void *pa, const void *pb, void *arg)
{
	/* sorting millions of clusters takes seconds: stay cancellable */
	CHECK_FOR_INTERRUPTS();
	return key_cmp(*(int *) arg, *(DidCluster *const *) pa, *(DidCluster *const *) pb);
}

/* clusters in canonical (ascending key) order */
DidCluster **
did_state_sorted_clusters(const DidState *st)
{
	DidCluster **v = palloc(sizeof(DidCluster *) * Max(st->nclusters, 1));
	int64		i,
				n = 0;
	int			kind = st->cluster_kind;

	for (i = 0; i < st->capacity; i++)
		if (st->slots[i].used)
			v[n++] = &st->slots[i];
	qsort_arg(v, n, sizeof(DidCluster *), cluster_cmp, &kind);
	return v;
}

static void
serialize(Ser *s, DidState *st)
{
	uint8		version = DID_STATE_VERSION;
	int64		ncl = st->nclusters,
				i;
	DidCluster **cl;

	/* every written form (flat, text, binary) must read back */
	did_state_check_sums(st);
	ser_label(s, "did_state");
	if (s->text)
	{
		char		buf[16];

		snprintf(buf, sizeof(buf), "v%d", DID_STATE_VERSION);
		ser_text_put(s, buf);
	}
	else
		ser_u8(s, &version);
	ser_label(s, "weighted");
	ser_u8(s, &st->weighted);
	ser_label(s, "cluster");
	ser_u8(s, &st->cluster_kind);
	ser_label(s, "regression");
	ser_u8(s, &st->regression);
	ser_label(s, "covariates");
	ser_i32(s, &st->p);
	ser_label(s, "skipped");
	ser_i64(s, &st->n_skipped);
	ser_label(s, "control");
	ser_group(s, &st->g[0]);
	ser_label(s, "treated");
	ser_group(s, &st->g[1]);
	if (st->regression && st->p >= 0)
		ser_ols(s, st);
	ser_label(s, "clusters");
	ser_i64(s, &ncl);
	cl = did_state_sorted_clusters(st);
	for (i = 0; i < ncl; i++)
	{
		ser_key(s, st->cluster_kind, cl[i], NULL);
		ser_cluster_sums(s, st, cl[i]);
	}
	pfree(cl);
}

static void
check_group(Ser *s, const si_did_group *g, bool weighted, const char *name)
{
	if (g->n < 0)
		ser_fail(s, psprintf("%s count is negative", name));
	if (g->n == 0)
	{
		if (g->W != 0 || g->mean != 0 || g->M2 != 0 || g->Q0 != 0 ||
			g->Q1 != 0 || g->Q2 != 0 || g->mean_pre != 0 || g->mean_post != 0)
			ser_fail(s, psprintf("%s group is empty but has non-zero moments", name));
		return;
	}
	if (!(g->W > 0) || g->M2 < 0 || !(g->Q0 > 0) || g->Q2 < 0)
		ser_fail(s, psprintf("%s group moments are out of range", name));
	if (!weighted && (g->W != (double) g->n || g->Q0 != (double) g->n))
		ser_fail(s, psprintf("%s group of an unweighted state has weights other than 1", name));
}

/* parse and validate a serialised state into a new object */
static DidState *
deserialize(Ser *s, MemoryContext parent)
{
	uint8		version,
				weighted,
				kind,
				regression;
	int32		p;
	int64		ncl,
				i,
				sum_n[2] = {0, 0};
	DidState   *st;
	DidCluster	tmp;
	DidCluster	prev;
	MemoryContext old;

	ser_label(s, "did_state");
	if (s->text)
	{
		const char *tok;
		Size		toklen;
		char		buf[16];
		char	   *end;
		long		v;

		ser_token(s, &tok, &toklen);
		if (toklen < 2 || toklen >= sizeof(buf) || tok[0] != 'v')
			ser_fail(s, "missing version (\"v1\")");
		memcpy(buf, tok + 1, toklen - 1);
		buf[toklen - 1] = '\0';
		v = strtol(buf, &end, 10);
		if (*end != '\0' || v < 0 || v > 255)
			ser_fail(s, "bad version");
		version = (uint8) v;
	}
	else
		ser_u8(s, &version);
	if (version != DID_STATE_VERSION)
		ereport(ERROR,
				(errcode(s->errcode),
				 errmsg("did_state version %d is not supported", version),
				 errdetail("This build of socialinvest reads did_state version %d.", DID_STATE_VERSION),
				 errhint("Rebuild the state with did_state() of this version, or upgrade the extension.")));
	ser_label(s, "weighted");
	ser_u8(s, &weighted);
	ser_label(s, "cluster");
	ser_u8(s, &kind);
	ser_label(s, "regression");
	ser_u8(s, &regression);
	if (weighted > 1 || kind > 2 || regression > 1)
		ser_fail(s, "bad kind flags");
	ser_label(s, "covariates");
	ser_i32(s, &p);
	if (regression ? (p == 0 || p < -1 || p > SI_DID_MAX_COVARIATES) : p != 0)
		ser_fail(s, "bad number of covariates");

	st = did_state_new(parent, weighted, kind, regression);
	old = MemoryContextSwitchTo(st->hdr.eoh_context);
	if (regression && p > 0)
		did_state_set_p(st, p);
	ser_label(s, "skipped");
	ser_i64(s, &st->n_skipped);
	if (st->n_skipped < 0)
		ser_fail(s, "negative count of skipped rows");
	ser_label(s, "control");
	ser_group(s, &st->g[0]);
	check_group(s, &st->g[0], weighted, "control");
	ser_label(s, "treated");
	ser_group(s, &st->g[1]);
	check_group(s, &st->g[1], weighted, "treated");
	if (regression && p < 0 && (st->g[0].n > 0 || st->g[1].n > 0))
		ser_fail(s, "rows without a known number of covariates");
	if (st->regression && st->p >= 0)
	{
		ser_ols(s, st);
		if (st->xtx[0] != st->g[0].W + st->g[1].W &&
			fabs(st->xtx[0] - (st->g[0].W + st->g[1].W)) > 1e-9 * st->xtx[0])
			ser_fail(s, "regression sums do not match the group counts");
	}
	ser_label(s, "clusters");
	ser_i64(s, &ncl);
	if (ncl < 0 || (kind == DID_CLUSTER_NONE && ncl != 0))
		ser_fail(s, "bad cluster count");
	if (ncl > (int64) (s->len - s->pos))
		ser_fail(s, "cluster count exceeds the input");
	for (i = 0; i < ncl; i++)
	{
		DidCluster *c;

		CHECK_FOR_INTERRUPTS();
		memset(&tmp, 0, sizeof(tmp));
		ser_key(s, kind, &tmp, st->hdr.eoh_context);
		if (i > 0 && key_cmp(kind, &prev, &tmp) >= 0)
			ser_fail(s, "cluster keys are not in strictly ascending order");
		prev = tmp;
		c = did_state_cluster(st, tmp.ikey, tmp.skey, tmp.slen);
		ser_cluster_sums(s, st, c);
		if (c->cell[0].n < 0 || c->cell[1].n < 0 || (c->cell[0].n == 0 && c->cell[1].n == 0) ||
			(c->cell[0].n == 0 && (c->cell[0].W != 0 || c->cell[0].mean != 0)) ||
			(c->cell[1].n == 0 && (c->cell[1].W != 0 || c->cell[1].mean != 0)) ||
			(c->cell[0].n > 0 && !(c->cell[0].W > 0)) ||
			(c->cell[1].n > 0 && !(c->cell[1].W > 0)))
			ser_fail(s, "bad cluster cell");
		if (pg_add_s64_overflow(sum_n[0], c->cell[0].n, &sum_n[0]) ||
			pg_add_s64_overflow(sum_n[1], c->cell[1].n, &sum_n[1]))
			ser_fail(s, "cluster counts add up to more than the bigint range");
	}
	if (kind != DID_CLUSTER_NONE &&
		(sum_n[0] != st->g[0].n || sum_n[1] != st->g[1].n))
		ser_fail(s, "cluster counts do not add up to the group counts");
	if (s->text)
		while (s->pos < s->len && isspace((unsigned char) s->buf[s->pos]))
			s->pos++;
	if (s->pos != s->len)
		ser_fail(s, "trailing data");
	MemoryContextSwitchTo(old);
	return st;
}

/* ---------- expanded-object methods ---------- */

static void
ensure_flat(DidState *st)
{
	if (st->flat == NULL)
	{
		Ser			s = {0};
		StringInfoData buf;
		MemoryContext old = MemoryContextSwitchTo(st->hdr.eoh_context);

		initStringInfo(&buf);
		s.out = &buf;
		serialize(&s, st);
		st->flat = buf.data;
		st->flat_size = buf.len;
		MemoryContextSwitchTo(old);
	}
}

static Size
did_get_flat_size(ExpandedObjectHeader *eohptr)
{
	DidState   *st = (DidState *) eohptr;

	ensure_flat(st);
	return VARHDRSZ + st->flat_size;
}

static void
did_flatten_into(ExpandedObjectHeader *eohptr, void *result,
				 Size allocated_size PG_USED_FOR_ASSERTS_ONLY)
{
	DidState   *st = (DidState *) eohptr;

	ensure_flat(st);
	Assert(allocated_size == VARHDRSZ + st->flat_size);
	SET_VARSIZE(result, VARHDRSZ + st->flat_size);
	memcpy(VARDATA(result), st->flat, st->flat_size);
}

DidState *
did_state_get(Datum d, MemoryContext cxt)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	Ser			s = {0};

	if (VARATT_IS_EXTERNAL_EXPANDED(v))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &did_eom)
			return (DidState *) eoh;
	}
	v = pg_detoast_datum_packed(v);
	s.reading = true;
	s.errcode = ERRCODE_DATA_CORRUPTED;
	s.what = "stored did_state";
	s.buf = VARDATA_ANY(v);
	s.len = VARSIZE_ANY_EXHDR(v);
	return deserialize(&s, cxt);
}

Datum
did_state_flat_datum(DidState *st)
{
	Size		sz = did_get_flat_size(&st->hdr);
	void	   *res = palloc(sz);

	did_flatten_into(&st->hdr, res, sz);
	return PointerGetDatum(res);
}

/* ---------- type I/O ---------- */

Datum
si_did_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Ser			s = {0};
	DidState   *st;

	s.reading = true;
	s.text = true;
	s.errcode = ERRCODE_INVALID_TEXT_REPRESENTATION;
	s.what = "input syntax for type did_state";
	s.buf = str;
	s.len = strlen(str);
	st = deserialize(&s, CurrentMemoryContext);
	PG_RETURN_DATUM(did_state_flat_datum(st));
}

Datum
si_did_state_out(PG_FUNCTION_ARGS)
{
	DidState   *st = did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);
	Ser			s = {0};
	StringInfoData buf;

	initStringInfo(&buf);
	s.text = true;
	s.out = &buf;
	serialize(&s, st);
	PG_RETURN_CSTRING(buf.data);
}

Datum
si_did_state_send(PG_FUNCTION_ARGS)
{
	DidState   *st = did_state_get(PG_GETARG_DATUM(0), CurrentMemoryContext);
	StringInfoData buf;

	ensure_flat(st);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, st->flat, st->flat_size);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
si_did_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	Ser			s = {0};
	DidState   *st;

	s.reading = true;
	s.errcode = ERRCODE_INVALID_BINARY_REPRESENTATION;
	s.what = "external binary data for type did_state";
	s.buf = msg->data + msg->cursor;
	s.len = msg->len - msg->cursor;
	st = deserialize(&s, CurrentMemoryContext);
	msg->cursor = msg->len;
	PG_RETURN_DATUM(did_state_flat_datum(st));
}
