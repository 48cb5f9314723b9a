/*
 * path.c — the benefit_path type: text and binary input/output, and the
 * helpers of path.h. Every reader validates what it reads.
 *
 * Owns: the type's I/O and decoding, a path's week states under a code map
 * (docs/methods.md, *Week states (M1)*), the window counts read from the
 * stored bytes, the argument helpers of path.h, and the aggregate support
 * shared by src/paths and src/selfsufficiency (si_agg_context,
 * si_combine_begin). Must not touch: the stored layout (math/runpath.c),
 * building paths from rows (path_build.c, paths_stream.c), group states.
 */
#include "postgres.h"

#include "fmgr.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "isoweek.h"
#include "path.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_path_in);
PG_FUNCTION_INFO_V1(si_path_out);
PG_FUNCTION_INFO_V1(si_path_recv);
PG_FUNCTION_INFO_V1(si_path_send);

#define PATH_HINT "Write <start Monday YYYY-MM-DD>:<code>x<weeks>,... with codes 1..9999 or - for no benefit and positive whole numbers of weeks, e.g. 2019-01-07:130x4,-x4,997x2."

/* ISO YYYY-MM-DD whatever DateStyle says, so messages are stable */
char *
si_date_str(DateADT d)
{
	int			y,
				m,
				dd;

	if (DATE_NOT_FINITE(d))
		return pstrdup(DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
	isoweek_civil_from_days(d, &y, &m, &dd);
	return psprintf("%04d-%02d-%02d", y, m, dd);
}

void
si_path_error(RunpathError e, const char *what)
{
	ereport(ERROR,
			(errcode(e == RUNPATH_ERR_VERSION ? ERRCODE_FEATURE_NOT_SUPPORTED : ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid %s benefit_path: %s", what, runpath_error_text(e)),
			 e == RUNPATH_ERR_VERSION ?
			 errhint("This build reads benefit_path version %d; rebuild the value with the installed socialinvest.", RUNPATH_VERSION) :
			 errhint("The value is damaged; rebuild it from its source rows.")));
}

void
si_path_decode(Datum d, SiPath *p)
{
	bytea	   *v = DatumGetByteaPP(d);
	const uint8 *buf = (const uint8 *) VARDATA_ANY(v);
	size_t		len = VARSIZE_ANY_EXHDR(v);
	RunpathHeader h;
	RunpathError e;

	if ((e = runpath_decode_header(buf, len, &h)) != RUNPATH_OK)
		si_path_error(e, "stored");
	p->start = h.start;
	p->nweeks = h.nweeks;
	p->nruns = h.nruns;
	p->runs = palloc(sizeof(RunpathRun) * h.nruns);
	if ((e = runpath_decode_runs(buf, len, &h, p->runs)) != RUNPATH_OK)
		si_path_error(e, "stored");
}

Datum
si_path_make(int32 start, RunpathRun *runs, int nruns)
{
	RunpathError e;
	size_t		len;
	bytea	   *res;

	nruns = runpath_canonicalize(runs, nruns);
	if ((e = runpath_validate(start, runs, nruns)) != RUNPATH_OK)
		ereport(ERROR,
				(errcode(e == RUNPATH_ERR_DATE_RANGE ? ERRCODE_DATETIME_VALUE_OUT_OF_RANGE : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot build a benefit_path starting %s: %s", si_date_str(start),
						runpath_error_text(e))));
	len = runpath_encoded_size(start, runs, nruns);
	res = palloc(VARHDRSZ + len);
	SET_VARSIZE(res, VARHDRSZ + len);
	runpath_encode((uint8 *) VARDATA(res), start, runs, nruns);
	PG_RETURN_BYTEA_P(res);
}

int64
si_path_week_index(const SiPath *p, DateADT day)
{
	return ((int64) isoweek_monday(day) - p->start) / 7;
}

RunpathStateRun *
si_path_states(const SiPath *p, const SiCodeMap *map, int *nstates)
{
	RunpathStateRun *out;
	int			cap = p->nruns,
				n = 0,
				i;
	int32		week = p->start;

	cap = Max(cap, 4);
	out = palloc(sizeof(RunpathStateRun) * cap);
	for (i = 0; i < p->nruns; i++)
	{
		int32		code = p->runs[i].code;
		int32		len = p->runs[i].len;
		int			s;

		if (code == RUNPATH_NONE)
			s = SI_STATE_SELF;
		else if (map->fast_state[code] != 255)
			s = map->fast_state[code];
		else
			s = -1;				/* depends on the week: classify each */

		if (n + 1 >= cap)
		{
			cap *= 2;
			out = repalloc(out, sizeof(RunpathStateRun) * cap);
		}
		if (s >= 0)
		{
			if (s == SI_STATE_CENSORED)
			{
				/* absorbing: the rest of the path is censored */
				n = runpath_push_run(out, n, s, (int64) p->nweeks - ((int64) week - p->start) / 7);
				break;
			}
			n = runpath_push_run(out, n, s, len);
		}
		else
		{
			int32		j;
			bool		censored = false;

			for (j = 0; j < len; j++)
			{
				int32		w = week + j * 7;

				if ((j & 0xFFFF) == 0xFFFF)
					CHECK_FOR_INTERRUPTS();
				s = si_codemap_state(map, code, false, w);
				if (n + 1 >= cap)
				{
					cap *= 2;
					out = repalloc(out, sizeof(RunpathStateRun) * cap);
				}
				if (s == SI_STATE_CENSORED)
				{
					n = runpath_push_run(out, n, s, (int64) p->nweeks - ((int64) w - p->start) / 7);
					censored = true;
					break;
				}
				n = runpath_push_run(out, n, s, 1);
			}
			if (censored)
				break;
		}
		week += len * 7;
	}
	*nstates = n;
	return out;
}

DateADT
si_week_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	return si_finite_date_arg(fcinfo, argno, name);
}

int32
si_int_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", name)));
	return PG_GETARG_INT32(argno);
}

void
si_check_window(DateADT from, DateADT to)
{
	if (isoweek_monday(from) > isoweek_monday(to))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_week %s is after to_week %s", si_date_str(from), si_date_str(to)),
				 errhint("Windows include both ends: give from_week <= to_week.")));
}

Datum
si_path_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int			maxruns = 1,
				nruns,
				pos;
	const char *c;
	RunpathRun *runs;
	int32		start;
	RunpathError e;

	for (c = s; *c; c++)
		if (*c == ',')
			maxruns++;
	runs = palloc(sizeof(RunpathRun) * maxruns);
	e = runpath_parse(s, &start, runs, maxruns, &nruns, &pos);
	if (e != RUNPATH_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type benefit_path at character %d (%s): \"%s\"",
						pos + 1, runpath_error_text(e), s),
				 errhint(PATH_HINT)));
	return si_path_make(start, runs, nruns);
}

Datum
si_path_out(PG_FUNCTION_ARGS)
{
	SiPath		p;
	char	   *buf;

	si_path_decode(PG_GETARG_DATUM(0), &p);
	buf = palloc(runpath_text_size(p.nruns) + 1);
	runpath_format(buf, p.start, p.runs, p.nruns);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form: int8 version, int32 start (days since 2000-01-01),
 * int32 number of runs, then per run int32 code (0 = none) and int32 weeks.
 */
Datum
si_path_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int32		start,
				nruns,
				i;
	RunpathRun *runs;
	RunpathError e;

	if (version != RUNPATH_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported benefit_path binary version %d", version),
				 errhint("This build reads version %d.", RUNPATH_VERSION)));
	start = pq_getmsgint(buf, 4);
	nruns = pq_getmsgint(buf, 4);
	if (nruns < 1 || nruns > RUNPATH_MAX_WEEKS || (buf->len - buf->cursor) != (int64) nruns * 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid benefit_path binary value: %d runs in %d bytes", nruns, buf->len - buf->cursor)));
	runs = palloc(sizeof(RunpathRun) * nruns);
	for (i = 0; i < nruns; i++)
	{
		runs[i].code = pq_getmsgint(buf, 4);
		runs[i].len = pq_getmsgint(buf, 4);
	}
	if ((e = runpath_validate(start, runs, nruns)) != RUNPATH_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid benefit_path binary value: %s", runpath_error_text(e))));
	return si_path_make(start, runs, nruns);
}

Datum
si_path_send(PG_FUNCTION_ARGS)
{
	SiPath		p;
	StringInfoData buf;
	int			i;

	si_path_decode(PG_GETARG_DATUM(0), &p);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RUNPATH_VERSION);
	pq_sendint32(&buf, p.start);
	pq_sendint32(&buf, p.nruns);
	for (i = 0; i < p.nruns; i++)
	{
		pq_sendint32(&buf, p.runs[i].code);
		pq_sendint32(&buf, p.runs[i].len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Equality and hashing: the stored form is canonical (merged runs,
 * minimal varints), so equal paths have equal bytes.
 */
PG_FUNCTION_INFO_V1(si_path_eq);
PG_FUNCTION_INFO_V1(si_path_ne);
PG_FUNCTION_INFO_V1(si_path_hash);

static bool
path_bytes_equal(FunctionCallInfo fcinfo)
{
	bytea	   *a = PG_GETARG_BYTEA_PP(0);
	bytea	   *b = PG_GETARG_BYTEA_PP(1);

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

Datum
si_path_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(path_bytes_equal(fcinfo));
}

Datum
si_path_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!path_bytes_equal(fcinfo));
}

Datum
si_path_hash(PG_FUNCTION_ARGS)
{
	bytea	   *a = PG_GETARG_BYTEA_PP(0);

	return hash_any((const unsigned char *) VARDATA_ANY(a), (int) VARSIZE_ANY_EXHDR(a));
}

/*
 * Add the weeks [a0, b0] (week indexes), all in state s, to every window
 * they overlap.
 */
static pg_attribute_always_inline void
add_span(int64 (*counts)[RUNPATH_NSTATES], int nwin, const int64 *from, const int64 *to,
		 int s, int64 a0, int64 b0)
{
	int			k;

	for (k = 0; k < nwin; k++)
	{
		int64		a = Max(a0, from[k]);
		int64		b = Min(b0, to[k]);

		if (a <= b)
			counts[k][s] += b - a + 1;
	}
}

/*
 * Week-state counts over the windows of week indexes [from[k], to[k]]
 * (from[k] <= to[k]) from one read of the stored runs, stopping at the
 * last window end (the hot path of selfsufficiency_share,
 * selfsufficiency_state and selfsufficiency_states). Same rules as
 * si_path_states + runpath_state_counts; every byte read is bounds- and
 * range-checked. Counts are integers, so the counts of window k are those
 * of a read with window k alone. Inlined into both callers, so the
 * one-window case compiles to a loop without the loop over windows.
 */
static pg_attribute_always_inline void
window_counts(Datum d, const SiCodeMap *map, int nwin, const DateADT *from_day,
			  const DateADT *to_day, int64 *from, int64 *to,
			  int64 (*counts)[RUNPATH_NSTATES], SiPath *head)
{
	bytea	   *v = DatumGetByteaPP(d);
	const uint8 *buf = (const uint8 *) VARDATA_ANY(v);
	size_t		len = VARSIZE_ANY_EXHDR(v);
	size_t		p;
	RunpathHeader h;
	RunpathError e;
	int64		pos = 0,
				last_to = PG_INT64_MIN;
	int			i,
				k;

	if ((e = runpath_decode_header(buf, len, &h)) != RUNPATH_OK)
		si_path_error(e, "stored");
	for (k = 0; k < nwin; k++)
	{
		from[k] = ((int64) isoweek_monday(from_day[k]) - h.start) / 7;
		to[k] = ((int64) isoweek_monday(to_day[k]) - h.start) / 7;
		last_to = Max(last_to, to[k]);
		memset(counts[k], 0, sizeof(int64) * RUNPATH_NSTATES);
	}
	if (head)
	{
		head->start = h.start;
		head->nweeks = h.nweeks;
		head->nruns = h.nruns;
		head->runs = NULL;
	}
	p = h.runs_offset;
	for (i = 0; i < h.nruns && pos <= last_to; i++)
	{
		uint32		code,
					rlen;
		int			n,
					s;

		if ((n = runpath_get_varint(buf + p, len - p, &code)) == 0)
			si_path_error(RUNPATH_ERR_TRUNCATED, "stored");
		p += n;
		if ((n = runpath_get_varint(buf + p, len - p, &rlen)) == 0)
			si_path_error(RUNPATH_ERR_TRUNCATED, "stored");
		p += n;
		if (code > RUNPATH_MAX_CODE)
			si_path_error(RUNPATH_ERR_CODE_RANGE, "stored");
		if (rlen == 0 || pos + rlen > h.nweeks)
			si_path_error(RUNPATH_ERR_TOTAL, "stored");

		if (code == RUNPATH_NONE)
			s = SI_STATE_SELF;
		else if (map->fast_state[code] != 255)
			s = map->fast_state[code];
		else
			s = -1;

		if (s == SI_STATE_CENSORED)
		{
			/* absorbing: the rest of the path is censored */
			add_span(counts, nwin, from, to, SI_STATE_CENSORED, pos, (int64) h.nweeks - 1);
			break;
		}
		if (s >= 0)
			add_span(counts, nwin, from, to, s, pos, pos + (int64) rlen - 1);
		else
		{
			/* the state depends on the week: classify each, add spans of one state */
			int64		w,
						last = Min(pos + (int64) rlen - 1, last_to),
						seg = pos;
			int			seg_state = -1;
			bool		censored = false;

			for (w = pos; w <= last; w++)
			{
				if ((w & 0xFFFF) == 0xFFFF)
					CHECK_FOR_INTERRUPTS();
				s = si_codemap_state(map, (int32) code, false, h.start + (int32) w * 7);
				if (s != seg_state)
				{
					if (seg_state >= 0)
						add_span(counts, nwin, from, to, seg_state, seg, w - 1);
					seg = w;
					seg_state = s;
				}
				if (s == SI_STATE_CENSORED)
				{
					add_span(counts, nwin, from, to, SI_STATE_CENSORED, w, (int64) h.nweeks - 1);
					censored = true;
					break;
				}
			}
			if (censored)
				break;
			if (seg_state >= 0)
				add_span(counts, nwin, from, to, seg_state, seg, last);
		}
		pos += rlen;
	}
	for (k = 0; k < nwin; k++)
	{
		int64		covered = counts[k][RUNPATH_SELF] + counts[k][RUNPATH_BENEFIT] +
			counts[k][RUNPATH_CENSORED] + counts[k][RUNPATH_UNKNOWN];

		counts[k][RUNPATH_UNOBSERVED] = (to[k] >= from[k]) ? (to[k] - from[k] + 1) - covered : 0;
	}
}

void
si_path_window_counts(Datum d, const SiCodeMap *map, DateADT from_day, DateADT to_day,
					  int64 counts[RUNPATH_NSTATES], SiPath *head)
{
	int64		from,
				to;

	window_counts(d, map, 1, &from_day, &to_day, &from, &to,
				  (int64 (*)[RUNPATH_NSTATES]) counts, head);
}

void
si_path_windows_counts(Datum d, const SiCodeMap *map, int nwin, const DateADT *from_day,
					   const DateADT *to_day, int64 *scratch, int64 (*counts)[RUNPATH_NSTATES])
{
	window_counts(d, map, nwin, from_day, to_day, scratch, scratch + nwin, counts, NULL);
}

MemoryContext
si_agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s is an aggregate support function and cannot be called on its own", fn),
				 errhint("Use the aggregate (benefit_path, benefit_path_from_spells, benefit_paths or selfsufficiency_states).")));
	return ctx;
}

bool
si_combine_begin(FunctionCallInfo fcinfo, const char *fn, MemoryContext *ctx, void **a, void **b)
{
	*ctx = si_agg_context(fcinfo, fn);
	*a = PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0);
	*b = PG_ARGISNULL(1) ? NULL : PG_GETARG_POINTER(1);
	if (*b != NULL)
		return false;
	fcinfo->isnull = (*a == NULL);
	return true;
}
