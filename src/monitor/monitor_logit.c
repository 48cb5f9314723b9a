/*
 * monitor_logit.c — the logistic_fit aggregate and logistic_predict
 * (glue for linalg_logit_irls in src/math/linalg.c).
 *
 * The aggregate's state keeps one entry per distinct covariate pattern
 * (its number of rows and of true outcomes), not one per row: a model on
 * factors given as dummies (municipality benchmarking) has few patterns
 * however many persons there are, and the fit on grouped rows with the
 * counts as binomial weights has the same likelihood as the fit on the
 * rows. Memory is bounded by the patterns, which are counted and limited
 * before anything is allocated for them. The state is a storable type, so
 * the counting runs on parallel workers and Citus workers (see below).
 *
 * Owns the aggregate's state and its limits; the IRLS fit is linalg.c's
 * (docs/methods.md, *Arrival cohorts and benchmarking municipalities*) and
 * must not be written here.
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "linalg.h"

PG_FUNCTION_INFO_V1(si_logistic_fit_trans);
PG_FUNCTION_INFO_V1(si_logistic_fit_combine);
PG_FUNCTION_INFO_V1(si_logistic_fit_state_in);
PG_FUNCTION_INFO_V1(si_logistic_fit_state_out);
PG_FUNCTION_INFO_V1(si_logistic_fit_state_recv);
PG_FUNCTION_INFO_V1(si_logistic_fit_state_send);
PG_FUNCTION_INFO_V1(si_logistic_fit_final);
PG_FUNCTION_INFO_V1(si_logistic_fit_aliased_final);
PG_FUNCTION_INFO_V1(si_logistic_predict);

/* at most this many covariates (X'WX is p x p) */
#define LOGIT_MAX_COVARIATES 500
/* IRLS: glm's algorithm, iterated further than glm's default 1e-8 / 25 */
#define LOGIT_MAXIT 100
#define LOGIT_EPS 1e-10
/* a fitted probability this close to 0 or 1 means separation */
#define LOGIT_SEPARATED 1e-8

/*
 * The aggregate's state is the storable type logistic_fit_state, not
 * `internal`: PostgreSQL's parallel workers and Citus's workers (which
 * distribute no aggregate whose state type is a pseudo-type) count patterns
 * partially and the leader or coordinator adds the counts. The patterns live
 * in an open-addressing hash table inside the varlena: cap slots (a power of
 * two, at most half full) of p key values, rows and successes; rows = 0 marks
 * a free slot. A transition updates the state in place and only a doubling
 * copies (the executor copies a new pointer into the aggregate's context).
 */
#define LOGIT_STATE_VERSION 1
#define LOGIT_MIN_SLOTS 16

typedef struct LogitStateData
{
	int32		vl_len_;
	uint8		version;
	uint8		pad[3];
	int32		p;				/* covariates per row (without the intercept) */
	int32		cap;			/* slots, a power of two */
	int32		pad2;
	int64		n_rows;
	int64		n_patterns;
	double		slots[FLEXIBLE_ARRAY_MEMBER];
} LogitStateData;

#define LS_STRIDE(p) ((Size) (p) + 2)
#define LS_SIZE(p, cap) (offsetof(LogitStateData, slots) + sizeof(double) * LS_STRIDE(p) * (Size) (cap))
#define LS_SLOT(st, j) ((st)->slots + LS_STRIDE((st)->p) * (Size) (j))
/* a slot: key[0..p-1], rows = key[p], successes = key[p + 1] */

static double *
covariate_values(ArrayType *arr, int *count, const char *fname)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	double	   *v;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: covariates must be a one-dimensional array, got %d dimensions",
						fname, ARR_NDIM(arr)),
				 errhint("Give one float8[] of covariate values per row, e.g. ARRAY[age, sex_male::int].")));
	if (ARR_NDIM(arr) == 1 && ARR_DIMS(arr)[0] > LOGIT_MAX_COVARIATES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: %d covariates are more than the %d allowed",
						fname, ARR_DIMS(arr)[0], LOGIT_MAX_COVARIATES),
				 errhint("Use fewer covariates (group factor levels).")));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	v = palloc((n > 0 ? n : 1) * sizeof(double));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: covariate %d is NULL", fname, i + 1),
					 errhint("Fill or filter rows with missing covariates (WHERE ...), or code missing values as a level of their own.")));
		v[i] = DatumGetFloat8(elems[i]);
		if (!isfinite(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: covariate %d is %s", fname, i + 1,
							isnan(v[i]) ? "NaN" : "infinite"),
					 errhint("Covariates must be finite numbers.")));
		/* -0 and 0 are one pattern */
		if (v[i] == 0.0)
			v[i] = 0.0;
	}
	*count = n;
	return v;
}

/* ---------- the state ---------- */

static void
state_corrupt(const LogitStateData *st)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("logistic_fit_state value is corrupt: size %u, %d covariates, %d slots, " INT64_FORMAT " patterns",
					(unsigned) VARSIZE(st), st->p, st->cap, st->n_patterns)));
}

/* the state in argument argno, detoasted and its header checked */
static LogitStateData *
state_arg(FunctionCallInfo fcinfo, int argno)
{
	LogitStateData *st = (LogitStateData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE(st) < offsetof(LogitStateData, slots))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("logistic_fit_state value is corrupt: %u bytes", (unsigned) VARSIZE(st))));
	if (st->version != LOGIT_STATE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("logistic_fit_state value has version %d, this library reads version %d",
						st->version, LOGIT_STATE_VERSION),
				 errhint("Recompute the state with the installed socialinvest version.")));
	if (st->p < 0 || st->p > LOGIT_MAX_COVARIATES || st->cap < LOGIT_MIN_SLOTS ||
		(st->cap & (st->cap - 1)) != 0 || VARSIZE(st) != LS_SIZE(st->p, st->cap) ||
		st->n_patterns < 0 || st->n_patterns > st->cap / 2 || st->n_rows < st->n_patterns)
		state_corrupt(st);
	return st;
}

/* the most patterns a state of p covariates can hold (its slots, half full, in one palloc) */
static int64
max_patterns(int p)
{
	return (int64) ((MaxAllocSize - offsetof(LogitStateData, slots)) / (sizeof(double) * LS_STRIDE(p))) / 2;
}

static LogitStateData *
state_new(int p, int32 cap)
{
	LogitStateData *st = palloc0(LS_SIZE(p, cap));

	SET_VARSIZE(st, LS_SIZE(p, cap));
	st->version = LOGIT_STATE_VERSION;
	st->p = p;
	st->cap = cap;
	return st;
}

static uint32
key_hash(const double *key, int p)
{
	return p > 0 ? hash_bytes((const unsigned char *) key, p * sizeof(double)) : 0;
}

/*
 * The slot of key: the one holding it, or the free slot where it belongs
 * (the table is at most half full, so there is one).
 */
static double *
state_slot(LogitStateData *st, const double *key)
{
	uint32		mask = (uint32) st->cap - 1;
	uint32		j = key_hash(key, st->p) & mask;

	for (;;)
	{
		double	   *slot = LS_SLOT(st, j);

		if (slot[st->p] == 0.0 || memcmp(slot, key, st->p * sizeof(double)) == 0)
			return slot;
		j = (j + 1) & mask;
	}
}

/* add rows and successes to key's pattern; the state must have room for one more */
static void
state_add(LogitStateData *st, const double *key, double rows, double successes)
{
	double	   *slot = state_slot(st, key);

	if (slot[st->p] == 0.0)
	{
		memcpy(slot, key, st->p * sizeof(double));
		st->n_patterns++;
	}
	slot[st->p] += rows;
	slot[st->p + 1] += successes;
}

static void
too_many_patterns(int p)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("logistic_fit: more than %lld distinct covariate patterns",
					(long long) max_patterns(p)),
			 errhint("Group continuous covariates into bands, or fit on a sample.")));
}

/* a copy of st (NULL: a new one of p covariates) with room for `more` new patterns */
static LogitStateData *
state_grown(const LogitStateData *st, int p, int64 more)
{
	int64		need = (st ? st->n_patterns : 0) + more;
	int64		cap = st ? st->cap : LOGIT_MIN_SLOTS;
	LogitStateData *g;
	int32		j;

	if (need > max_patterns(p))
		too_many_patterns(p);
	while (need * 2 > cap)
		cap *= 2;
	g = state_new(p, (int32) cap);
	if (st)
	{
		g->n_rows = st->n_rows;
		for (j = 0; j < st->cap; j++)
		{
			const double *slot = LS_SLOT(st, j);

			if (slot[p] != 0.0)
				state_add(g, slot, slot[p], slot[p + 1]);
		}
	}
	return g;
}

/*
 * The state in argument 0 with room for `more` new patterns: argument 0
 * itself when it has the room and is a plain value (a transition may change
 * its state in place), otherwise a grown copy in the current context.
 */
static LogitStateData *
state_writable(FunctionCallInfo fcinfo, int p, int64 more)
{
	LogitStateData *st;

	if (PG_ARGISNULL(0))
		return state_grown(NULL, p, more);
	st = state_arg(fcinfo, 0);
	if (st->p != p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("logistic_fit: a row has %d covariates, the first row had %d", p, st->p),
				 errhint("Every row's covariates array must have the same length and order.")));
	if ((void *) st == (void *) PG_GETARG_POINTER(0) && (st->n_patterns + more) * 2 <= st->cap)
		return st;
	return state_grown(st, p, more);
}

static void
aggregate_only(FunctionCallInfo fcinfo, const char *fname)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s is an aggregate support function and cannot be called on its own", fname),
				 errhint("Use the aggregate logistic_fit(outcome, covariates).")));
}

Datum
si_logistic_fit_trans(PG_FUNCTION_ARGS)
{
	LogitStateData *st;
	double	   *x;
	int			p;

	aggregate_only(fcinfo, "logistic_fit_trans");
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("logistic_fit: outcome is NULL"),
				 errhint("Leave rows without an outcome out (WHERE outcome IS NOT NULL): a model cannot use them, and they are not dropped silently.")));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("logistic_fit: covariates is NULL"),
				 errhint("Give an array per row; '{}' fits the intercept only.")));
	x = covariate_values(PG_GETARG_ARRAYTYPE_P(2), &p, "logistic_fit");
	st = state_writable(fcinfo, p, 1);
	state_add(st, x, 1.0, PG_GETARG_BOOL(1) ? 1.0 : 0.0);
	st->n_rows++;
	pfree(x);
	PG_RETURN_POINTER(st);
}

/* combine: the pattern counts of the second state added to the first */
Datum
si_logistic_fit_combine(PG_FUNCTION_ARGS)
{
	LogitStateData *s1,
			   *s2;
	int32		j;

	aggregate_only(fcinfo, "logistic_fit_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	s2 = state_arg(fcinfo, 1);
	s1 = state_writable(fcinfo, s2->p, s2->n_patterns);
	for (j = 0; j < s2->cap; j++)
	{
		const double *slot = LS_SLOT(s2, j);

		if (slot[s2->p] != 0.0)
			state_add(s1, slot, slot[s2->p], slot[s2->p + 1]);
	}
	s1->n_rows += s2->n_rows;
	PG_RETURN_POINTER(s1);
}

/*
 * The occupied slots in the canonical order of their keys (lexicographic):
 * the fit's sums then run in one order however the rows were split, and the
 * text form of a state is unique.
 */
static int
key_cmp(const void *a, const void *b, void *arg)
{
	int			p = *(const int *) arg;
	const double *x = *(const double *const *) a;
	const double *y = *(const double *const *) b;
	int			j;

	for (j = 0; j < p; j++)
		if (x[j] != y[j])
			return x[j] < y[j] ? -1 : 1;
	return 0;
}

static const double **
sorted_slots(const LogitStateData *st)
{
	const double **v = palloc(sizeof(double *) * Max(st->n_patterns, 1));
	int64		k = 0;
	int32		j;
	int			p = st->p;

	for (j = 0; j < st->cap; j++)
		if (LS_SLOT(st, j)[p] != 0.0)
			v[k++] = LS_SLOT(st, j);
	if (k != st->n_patterns)
		state_corrupt(st);
	qsort_arg(v, k, sizeof(double *), key_cmp, &p);
	return v;
}

/* a value read back: every count a whole number, successes <= rows, keys distinct and finite */
static LogitStateData *
state_from_patterns(int p, int64 n, const double *keys, const double *rows, const double *succ)
{
	LogitStateData *st;
	int64		i;
	int			j;

	if (p < 0 || p > LOGIT_MAX_COVARIATES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid logistic_fit_state value: %d covariates (0 to %d)", p, LOGIT_MAX_COVARIATES)));
	if (n > max_patterns(p))
		too_many_patterns(p);
	st = state_grown(NULL, p, n);
	for (i = 0; i < n; i++)
	{
		const double *key = keys + (Size) i * p;

		for (j = 0; j < p; j++)
			if (!isfinite(key[j]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid logistic_fit_state value: covariate %d of pattern " INT64_FORMAT " is not finite", j + 1, i + 1)));
		if (!(rows[i] >= 1.0 && rows[i] <= 9007199254740992.0 && rows[i] == floor(rows[i]) &&
			  succ[i] >= 0.0 && succ[i] <= rows[i] && succ[i] == floor(succ[i])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid logistic_fit_state value: pattern " INT64_FORMAT " has %g rows and %g successes", i + 1, rows[i], succ[i]),
					 errhint("Rows are whole numbers >= 1, successes whole numbers between 0 and the rows.")));
		if (state_slot(st, key)[p] != 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid logistic_fit_state value: pattern " INT64_FORMAT " repeats an earlier one", i + 1)));
		state_add(st, key, rows[i], succ[i]);
		st->n_rows += (int64) rows[i];
	}
	return st;
}

/* text form "1|p|x1,x2,...:rows:successes;..." (patterns in key order, shortest exact doubles) */
Datum
si_logistic_fit_state_out(PG_FUNCTION_ARGS)
{
	LogitStateData *st = state_arg(fcinfo, 0);
	const double **v = sorted_slots(st);
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN + 1];
	int64		i;
	int			j,
				p = st->p;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d|%d|", LOGIT_STATE_VERSION, p);
	for (i = 0; i < st->n_patterns; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ';');
		for (j = 0; j < p; j++)
		{
			if (j > 0)
				appendStringInfoChar(&buf, ',');
			double_to_shortest_decimal_buf(v[i][j], num);
			appendStringInfoString(&buf, num);
		}
		appendStringInfo(&buf, ":%.0f:%.0f", v[i][p], v[i][p + 1]);
	}
	PG_RETURN_CSTRING(buf.data);
}

Datum
si_logistic_fit_state_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	char	   *q = s,
			   *end;
	long		ver,
				p;
	int64		n = 0,
				cap = 16;
	double	   *keys,
			   *rows,
			   *succ;

	errno = 0;
	ver = strtol(q, &end, 10);
	if (end == q || *end != '|')
		goto bad;
	if (ver != LOGIT_STATE_VERSION || errno == ERANGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("logistic_fit_state value has version %.*s, this library reads version %d",
						(int) Min(end - q, 40), q, LOGIT_STATE_VERSION),
				 errhint("Recompute the state with the installed socialinvest version.")));
	q = end + 1;
	errno = 0;
	p = strtol(q, &end, 10);
	if (end == q || *end != '|' || errno == ERANGE || p < 0 || p > LOGIT_MAX_COVARIATES)
		goto bad;
	q = end + 1;
	keys = palloc(sizeof(double) * cap * Max(p, 1));
	rows = palloc(sizeof(double) * cap);
	succ = palloc(sizeof(double) * cap);
	while (*q)
	{
		int			j;

		if (n == cap)
		{
			if (n >= max_patterns((int) p))
				too_many_patterns((int) p);
			cap *= 2;
			keys = repalloc_huge(keys, sizeof(double) * cap * Max(p, 1));
			rows = repalloc(rows, sizeof(double) * cap);
			succ = repalloc(succ, sizeof(double) * cap);
		}
		for (j = 0; j < p; j++)
		{
			errno = 0;
			keys[n * p + j] = strtod(q, &end);
			if (end == q || *end != (j + 1 < p ? ',' : ':') || errno != 0)
				goto bad;
			if (keys[n * p + j] == 0.0)
				keys[n * p + j] = 0.0;	/* -0 and 0 are one pattern */
			q = end + 1;
		}
		if (p == 0)
		{
			if (*q != ':')
				goto bad;
			q++;
		}
		errno = 0;
		rows[n] = strtod(q, &end);
		if (end == q || *end != ':' || errno != 0)
			goto bad;
		q = end + 1;
		errno = 0;
		succ[n] = strtod(q, &end);
		if (end == q || (*end != ';' && *end != '\0') || errno != 0)
			goto bad;
		n++;
		q = end;
		if (*q == ';')
		{
			q++;
			if (*q == '\0')
				goto bad;
		}
	}
	PG_RETURN_POINTER(state_from_patterns((int) p, n, keys, rows, succ));
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type logistic_fit_state: \"%s\"", s),
			 errhint("Expected \"1|p|x1,...,xp:rows:successes;...\" (version 1, p covariates per pattern).")));
	PG_RETURN_NULL();
}

Datum
si_logistic_fit_state_send(PG_FUNCTION_ARGS)
{
	LogitStateData *st = state_arg(fcinfo, 0);
	const double **v = sorted_slots(st);
	StringInfoData buf;
	int64		i;
	int			j;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LOGIT_STATE_VERSION);
	pq_sendint32(&buf, st->p);
	pq_sendint64(&buf, st->n_patterns);
	for (i = 0; i < st->n_patterns; i++)
		for (j = 0; j < st->p + 2; j++)
			pq_sendfloat8(&buf, v[i][j]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
si_logistic_fit_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			ver = pq_getmsgbyte(buf);
	int32		p;
	int64		n,
				i;
	int			j;
	double	   *keys,
			   *rows,
			   *succ;

	if (ver != LOGIT_STATE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("logistic_fit_state value has version %d, this library reads version %d", ver, LOGIT_STATE_VERSION),
				 errhint("Recompute the state with the installed socialinvest version.")));
	p = pq_getmsgint(buf, 4);
	n = pq_getmsgint64(buf);
	if (p < 0 || p > LOGIT_MAX_COVARIATES || n < 0 ||
		(uint64) n > (uint64) (buf->len - buf->cursor) / (sizeof(double) * (p + 2)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid logistic_fit_state value: %d covariates, " INT64_FORMAT " patterns in %d bytes",
						p, n, buf->len - buf->cursor)));
	keys = palloc_extended(sizeof(double) * Max(n * p, 1), MCXT_ALLOC_HUGE);
	rows = palloc_extended(sizeof(double) * Max(n, 1), MCXT_ALLOC_HUGE);
	succ = palloc_extended(sizeof(double) * Max(n, 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
	{
		for (j = 0; j < p; j++)
		{
			keys[i * p + j] = pq_getmsgfloat8(buf);
			if (keys[i * p + j] == 0.0)
				keys[i * p + j] = 0.0;
		}
		rows[i] = pq_getmsgfloat8(buf);
		succ[i] = pq_getmsgfloat8(buf);
	}
	PG_RETURN_POINTER(state_from_patterns(p, n, keys, rows, succ));
}

/*
 * Fit the model; aliased (NULL = none) marks columns of the design to leave
 * out (0 = intercept). Returns linalg_logit_irls's code; beta receives the
 * coefficients of the kept columns in order. *separated is set when a
 * fitted probability is within LOGIT_SEPARATED of 0 or 1: the outcomes are
 * (quasi-)separated and some coefficients have no finite maximum-likelihood
 * value. (R's glm.fit warns at 10 DBL_EPSILON; with quasi-separation the
 * IRLS stops, on the deviance, at probabilities of about 1e-10 first, and
 * a finite fit on real covariates does not come within 1e-8 of 0 or 1.)
 */
static int
logit_fit(const LogitStateData *st, const bool *aliased, double *beta, int *iterations,
		  bool *separated)
{
	int			p = st->p + 1;
	int			k = 0,
				j,
				ret;
	int64		m = st->n_patterns,
				i;
	double	   *x,
			   *y,
			   *w,
			   *fitted,
			   *work;
	const double **v = sorted_slots(st);

	for (j = 0; j < p; j++)
		if (!aliased || !aliased[j])
			k++;
	x = palloc((size_t) m * k * sizeof(double));
	y = palloc((size_t) m * sizeof(double));
	w = palloc((size_t) m * sizeof(double));
	fitted = palloc((size_t) m * sizeof(double));
	for (i = 0; i < m; i++)
	{
		const double *key = v[i];
		int			col = 0;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		for (j = 0; j < p; j++)
			if (!aliased || !aliased[j])
				x[(size_t) i * k + col++] = (j == 0) ? 1.0 : key[j - 1];
		y[i] = key[st->p + 1] / key[st->p];
		w[i] = key[st->p];
	}
	/* linalg_logit_irls: p*p + 2p + 2n doubles of work */
	work = palloc(((size_t) k * k + 2 * (size_t) k + 2 * (size_t) m) * sizeof(double));
	ret = linalg_logit_irls(x, (int) m, k, y, w, beta, fitted, work, LOGIT_MAXIT, LOGIT_EPS,
							iterations);
	*separated = false;
	if (ret >= 0)
		for (i = 0; i < m; i++)
			if (fitted[i] < LOGIT_SEPARATED || fitted[i] > 1.0 - LOGIT_SEPARATED)
				*separated = true;
	pfree(fitted);
	pfree(x);
	pfree(y);
	pfree(w);
	pfree(work);
	pfree(v);
	return ret;
}

static ArrayType *
coefficient_array(const double *beta, const bool *aliased, int p)
{
	Datum	   *d = palloc(p * sizeof(Datum));
	bool	   *nulls = palloc(p * sizeof(bool));
	int			dims[1] = {p};
	int			lbs[1] = {1};
	int			j,
				k = 0;

	for (j = 0; j < p; j++)
	{
		nulls[j] = aliased && aliased[j];
		d[j] = nulls[j] ? (Datum) 0 : Float8GetDatum(beta[k++]);
	}
	return construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID, 8, FLOAT8PASSBYVAL,
							  TYPALIGN_DOUBLE);
}

static void
check_patterns(const LogitStateData *st)
{
	if (st->n_patterns > INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("logistic_fit: more than %d distinct covariate patterns", INT_MAX),
				 errhint("Group continuous covariates into bands, or fit on a sample.")));
}

static void
not_converged(int iterations)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("logistic_fit did not converge in %d iterations", iterations),
			 errhint("The covariates may separate the outcomes (a level in which every outcome is the same); "
					 "merge small levels or drop covariates.")));
}

Datum
si_logistic_fit_final(PG_FUNCTION_ARGS)
{
	LogitStateData *st;
	double	   *beta;
	int			iterations,
				ret;
	bool		separated;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = state_arg(fcinfo, 0);
	check_patterns(st);
	beta = palloc((st->p + 1) * sizeof(double));
	ret = logit_fit(st, NULL, beta, &iterations, &separated);
	if (ret == 1)
		not_converged(iterations);
	if (ret == 0 && separated)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit: the outcomes are separated: fitted probabilities are numerically 0 or 1, "
						"so some coefficients have no finite estimate"),
				 errhint("A covariate (or a combination) predicts the outcome perfectly, e.g. a level in which every outcome is the same: "
						 "merge small levels or drop the covariate.")));
	if (ret < -1)
	{
		int			col = -ret - 2;

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 col == 0 ?
				 errmsg("logistic_fit: the design is singular: the intercept is a combination of the covariates") :
				 errmsg("logistic_fit: the design is singular: covariate %d is constant or a combination of the intercept and covariates before it", col),
				 errhint("Drop that covariate (with k levels of a factor, give k - 1 dummies), or leave out levels without rows.")));
	}
	PG_RETURN_ARRAYTYPE_P(coefficient_array(beta, NULL, st->p + 1));
}

/*
 * The same fit, with the columns the design cannot identify left out, as
 * R's glm() does: their coefficients are NULL (R: NA), and
 * logistic_predict reads a NULL coefficient as 0. Used by
 * municipality_benchmark, whose dummies may be collinear on a given
 * register. Separation is accepted here: a small level in which every
 * outcome is the same gets fitted probabilities at 0 or 1, the limit of
 * the likelihood, which is what its expected count should be.
 * Non-convergence is still an error.
 */
Datum
si_logistic_fit_aliased_final(PG_FUNCTION_ARGS)
{
	LogitStateData *st;
	double	   *beta;
	bool	   *aliased;
	int			iterations,
				ret,
				p;
	bool		separated;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = state_arg(fcinfo, 0);
	check_patterns(st);
	p = st->p + 1;
	beta = palloc(p * sizeof(double));
	aliased = palloc0(p * sizeof(bool));
	for (;;)
	{
		int			col,
					j,
					kept = -1;

		CHECK_FOR_INTERRUPTS();
		ret = logit_fit(st, aliased, beta, &iterations, &separated);
		if (ret >= -1)
			break;
		/* the returned index counts kept columns; map it to the design's */
		col = -ret - 2;
		for (j = 0; j < p; j++)
			if (!aliased[j] && ++kept == col)
				break;
		if (j >= p || j == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("logistic_fit: the design is singular even with the intercept alone"),
					 errhint("Check the rows: the fit needs at least one row with a positive weight.")));
		aliased[j] = true;
	}
	if (ret == 1)
		not_converged(iterations);
	PG_RETURN_ARRAYTYPE_P(coefficient_array(beta, aliased, p));
}

/*
 * logistic_predict(coefficients, covariates): 1 / (1 + exp(-(b0 + sum b_j x_j))).
 * STRICT; a NULL coefficient (aliased in the fit) counts as 0.
 */
Datum
si_logistic_predict(PG_FUNCTION_ARGS)
{
	ArrayType  *ca = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *xa = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *cd;
	bool	   *cn;
	int			nc,
				nx,
				j;
	double	   *x,
				eta;

	if (ARR_NDIM(ca) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("logistic_predict: coefficients must be a one-dimensional array"),
				 errhint("coefficients is logistic_fit's result: the intercept, then one per covariate.")));
	x = covariate_values(xa, &nx, "logistic_predict");
	deconstruct_array(ca, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &cd, &cn, &nc);
	if (nc != nx + 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("logistic_predict: %d coefficients do not fit %d covariates", nc, nx),
				 errhint("coefficients is logistic_fit's result: the intercept, then one per covariate, in the same order.")));
	eta = 0.0;
	for (j = 0; j < nc; j++)
	{
		double		b;

		if (cn[j])
			continue;
		b = DatumGetFloat8(cd[j]);
		if (!isfinite(b))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("logistic_predict: coefficient %d is not finite", j + 1),
					 errhint("coefficients is logistic_fit's result, whose coefficients are finite.")));
		eta += b * ((j == 0) ? 1.0 : x[j - 1]);
	}
	if (isnan(eta))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("logistic_predict: the linear predictor overflows"),
				 errhint("Rescale the covariates: products of coefficients and covariates reach infinity.")));
	/* 1 / (1 + exp(-eta)) without overflow for large |eta| */
	if (eta >= 0.0)
		PG_RETURN_FLOAT8(1.0 / (1.0 + exp(-eta)));
	PG_RETURN_FLOAT8(exp(eta) / (1.0 + exp(eta)));
}
