/*
 * state_io.c — I/O of fixed-layout aggregate states and the shared
 * not-NULL argument checks (state_io.h). Knows field layouts only through
 * the SiStateField tables its callers pass; no state's rules live here.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "si_common.h"
#include "state_io.h"

void
si_append_float(StringInfo buf, double v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, tmp);
	appendStringInfoString(buf, tmp);
}

void
si_read_buffer(StringInfo buf, bytea *b)
{
	buf->data = VARDATA_ANY(b);
	buf->len = VARSIZE_ANY_EXHDR(b);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

void
si_state_version_error(const char *typname, int got, int want)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s version %d is not supported", typname, got),
			 errhint("This build reads %s version %d; recompute the state with the installed socialinvest.", typname, want)));
}

char *
si_state_out(const void *st, int version, const SiStateField *f, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v=%d", version);
	for (i = 0; i < n; i++)
	{
		const char *p = (const char *) st + f[i].offset;

		appendStringInfo(&buf, ";%s=", f[i].name);
		if (f[i].kind == 'i')
			appendStringInfo(&buf, INT64_FORMAT, *(const int64 *) p);
		else if (f[i].kind == 'n')
			appendStringInfo(&buf, "%d", *(const int32 *) p);
		else
			si_append_float(&buf, *(const double *) p);
	}
	return buf.data;
}

void
si_state_syntax_error(const char *typname, const char *s, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s (%s): \"%s\"", typname, why, s),
			 errhint("States are written by the extension's aggregates; give their output unchanged.")));
}

const char *
si_state_in_version(const char *s, long *version, const char *typname)
{
	const char *p = s;
	char	   *end;

	if (strncmp(p, "v=", 2) != 0)
		si_state_syntax_error(typname, s, "expected v=<version> first");
	p += 2;
	errno = 0;
	*version = strtol(p, &end, 10);
	if (end == p || errno != 0)
		si_state_syntax_error(typname, s, "bad version");
	return end;
}

void
si_state_in(const char *s, void *st, int version, const SiStateField *f, int n,
			const char *typname)
{
	long		v;
	const char *p = si_state_in_version(s, &v, typname);

	if (v != version)
		si_state_version_error(typname, (int) v, version);
	si_state_in_fields(s, p, st, f, n, typname);
}

void
si_state_in_fields(const char *s, const char *p, void *st, const SiStateField *f, int n,
				   const char *typname)
{
	char	   *end;
	int			i;

	for (i = 0; i < n; i++)
	{
		char	   *q = (char *) st + f[i].offset;
		size_t		len = strlen(f[i].name);

		if (*p != ';' || strncmp(p + 1, f[i].name, len) != 0 || p[1 + len] != '=')
			si_state_syntax_error(typname, s, psprintf("expected ;%s=", f[i].name));
		p += len + 2;
		if (f[i].kind == 'i' || f[i].kind == 'n')
		{
			long long	x;

			if (*p < '0' || *p > '9')
				si_state_syntax_error(typname, s, psprintf("%s must be a whole number >= 0", f[i].name));
			errno = 0;
			x = strtoll(p, &end, 10);
			if (errno != 0 || (f[i].kind == 'n' && x > PG_INT32_MAX))
				si_state_syntax_error(typname, s, psprintf("%s is out of range", f[i].name));
			if (f[i].kind == 'i')
				*(int64 *) q = (int64) x;
			else
				*(int32 *) q = (int32) x;
		}
		else
		{
			double		x;
			char	   *tmp;
			const char *e = p;

			while (*e && *e != ';')
				e++;
			tmp = pnstrdup(p, e - p);
			x = float8in_internal(tmp, &end, "double precision", tmp);
			if (*end != '\0' || !isfinite(x))
				si_state_syntax_error(typname, s, psprintf("%s must be a finite number", f[i].name));
			*(double *) q = x;
			end = (char *) e;
		}
		p = end;
	}
	if (*p != '\0')
		si_state_syntax_error(typname, s, "unexpected characters after the last field");
}

void
si_state_send(StringInfo buf, const void *st, int version, const SiStateField *f, int n)
{
	int			i;

	pq_sendbyte(buf, version);
	for (i = 0; i < n; i++)
	{
		const char *p = (const char *) st + f[i].offset;

		if (f[i].kind == 'i')
			pq_sendint64(buf, *(const int64 *) p);
		else if (f[i].kind == 'n')
			pq_sendint32(buf, *(const int32 *) p);
		else
			pq_sendfloat8(buf, *(const double *) p);
	}
}

void
si_state_recv(StringInfo buf, void *st, int version, const SiStateField *f, int n,
			  const char *typname)
{
	int			v = pq_getmsgbyte(buf);
	int			i;

	if (v != version)
		si_state_version_error(typname, v, version);
	for (i = 0; i < n; i++)
	{
		char	   *p = (char *) st + f[i].offset;

		if (f[i].kind == 'i')
			*(int64 *) p = pq_getmsgint64(buf);
		else if (f[i].kind == 'n')
			*(int32 *) p = pq_getmsgint(buf, 4);
		else
		{
			*(double *) p = pq_getmsgfloat8(buf);
			if (!isfinite(*(double *) p))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid %s binary value: %s is not finite", typname, f[i].name)));
		}
	}
	pq_getmsgend(buf);
}

void *
si_state_writable(FunctionCallInfo fcinfo, void *st, Size size)
{
	if (!AggCheckCallContext(fcinfo, NULL) || (Pointer) st != DatumGetPointer(PG_GETARG_DATUM(0)))
	{
		void	   *c = palloc(size);

		memcpy(c, st, size);
		return c;
	}
	return st;
}

void
si_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *argname, const char *hint)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", argname),
				 hint ? errhint("%s", hint) : 0));
}

double
si_float8_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *argname, const char *hint)
{
	si_arg_not_null(fcinfo, argno, argname, hint);
	return PG_GETARG_FLOAT8(argno);
}

void
si_state_add_counts(void *a, const void *b, const SiStateField *f, int n, const char *typname)
{
	int			i;

	for (i = 0; i < n; i++)
		if (f[i].kind == 'i')
		{
			int64	   *x = (int64 *) ((char *) a + f[i].offset);

			*x = si_count_add(*x, *(const int64 *) ((const char *) b + f[i].offset), typname, true);
		}
}
