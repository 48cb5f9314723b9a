/*
 * load_util.c — helpers of the si_load loader (see load_util.h).
 *
 * Shared by both programs (si_load, si_monitor): buffers, fields, COPY,
 * progress, connection and session settings. libpq only; must not know a
 * file format, a table or a program's steps.
 */
#define _GNU_SOURCE
#include "load_util.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "isoweek.h"

/* Flush COPY data to the server in chunks of this size. */
#define SI_COPY_CHUNK (256 * 1024)

/*
 * A COPY statement is ended and a new one started after this many seconds
 * (or ten times the time a restart takes, if more): see copy_send().
 */
#define SI_COPY_SEGMENT 0.5

const char *si_statement_timeout = NULL;
const char *si_progname = "si_load";
const char *si_fatal_note = "nothing was committed";
int			si_fatal_status = SI_EXIT_FATAL;

static double now_seconds(void);

void
si_fatal(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "%s: error: ", si_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (si_fatal_note != NULL)
		fprintf(stderr, "%s: %s\n", si_progname, si_fatal_note);
	exit(si_fatal_status);
}

void *
si_malloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		si_fatal("out of memory");
	return p;
}

void *
si_realloc(void *p, size_t n)
{
	void	   *q = realloc(p, n ? n : 1);

	if (q == NULL)
		si_fatal("out of memory");
	return q;
}

void
buf_init(SiBuf *b)
{
	b->cap = 1024;
	b->len = 0;
	b->data = si_malloc(b->cap);
	b->data[0] = '\0';
}

void
buf_free(SiBuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(SiBuf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

static void
buf_reserve(SiBuf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
	{
		size_t		cap = b->cap * 2;

		while (b->len + extra + 1 > cap)
			cap *= 2;
		b->data = si_realloc(b->data, cap);
		b->cap = cap;
	}
}

void
buf_putc(SiBuf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
buf_putn(SiBuf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(SiBuf *b, const char *s)
{
	buf_putn(b, s, strlen(s));
}

void
buf_printf(SiBuf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		si_fatal("formatting failed");
	buf_reserve(b, (size_t) n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

const char *
split_fields(char *line, char sep, SiFields *out)
{
	char	   *p = line;

	out->n = 0;
	for (;;)
	{
		char	   *start;

		if (out->n == out->cap)
		{
			out->cap = out->cap ? out->cap * 2 : 64;
			out->f = si_realloc(out->f, out->cap * sizeof(char *));
		}
		/* A field is quoted when its first non-blank character is '"'. */
		start = p;
		while (*start == ' ')
			start++;
		if (*start == '"')
		{
			char	   *r = start + 1;
			char	   *w = start;

			for (;;)
			{
				if (*r == '\0')
					return "unterminated quoted field";
				if (*r == '"')
				{
					if (r[1] == '"')
					{
						*w++ = '"';
						r += 2;
						continue;
					}
					r++;
					break;
				}
				*w++ = *r++;
			}
			while (*r == ' ')
				r++;
			if (*r != sep && *r != '\0')
				return "text after the closing quote of a quoted field";
			out->f[out->n++] = start;
			if (*r == '\0')
			{
				*w = '\0';
				return NULL;
			}
			*w = '\0';
			p = r + 1;
			continue;
		}
		out->f[out->n++] = p;
		while (*p != sep && *p != '\0')
			p++;
		if (*p == '\0')
			return NULL;
		*p++ = '\0';
	}
}

char *
trim_blanks(char *s)
{
	char	   *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	return s;
}

ssize_t
read_line(FILE *fp, char **line, size_t *cap)
{
	ssize_t		n;

	si_check_interrupt();
	errno = 0;
	n = getline(line, cap, fp);
	if (n < 0)
	{
		/* a signal interrupts a read blocked on a pipe (EINTR) */
		si_check_interrupt();
		if (ferror(fp))
			si_fatal("cannot read input: %m");
		return -1;
	}
	if (n > 0 && (*line)[n - 1] == '\n')
		(*line)[--n] = '\0';
	if (n > 0 && (*line)[n - 1] == '\r')
		(*line)[--n] = '\0';
	return n;
}

char
detect_separator(const char *header)
{
	size_t		semi = 0,
				comma = 0,
				tab = 0;
	bool		quoted = false;
	const char *p;

	for (p = header; *p; p++)
	{
		if (*p == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == ';')
			semi++;
		else if (*p == ',')
			comma++;
		else if (*p == '\t')
			tab++;
	}
	if (semi == 0 && comma == 0 && tab == 0)
		return '\0';
	if (semi >= comma && semi >= tab)
		return ';';
	if (comma >= tab)
		return ',';
	return '\t';
}

/* Length of the valid UTF-8 sequence at s (n bytes available), or 0. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t		len,
				i;
	uint32_t	cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
	{
		len = 2;
		cp = s[0] & 0x1F;
	}
	else if ((s[0] & 0xF0) == 0xE0)
	{
		len = 3;
		cp = s[0] & 0x0F;
	}
	else if ((s[0] & 0xF8) == 0xF0)
	{
		len = 4;
		cp = s[0] & 0x07;
	}
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		(len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
		(cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;

	while (i < n)
	{
		size_t		l = utf8_seq_len(p + i, n - i);

		if (l == 0 || p[i] == 0)
			return false;
		i += l;
	}
	return true;
}

void
copy_escape(SiBuf *b, const char *s, size_t n)
{
	size_t		i,
				from = 0;

	for (i = 0; i < n; i++)
	{
		const char *esc = NULL;

		switch (s[i])
		{
			case '\\':
				esc = "\\\\";
				break;
			case '\t':
				esc = "\\t";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			default:
				continue;
		}
		buf_putn(b, s + from, i - from);
		buf_puts(b, esc);
		from = i + 1;
	}
	buf_putn(b, s + from, n - from);
}

void
copy_raw(SiBuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;

	while (i < n)
	{
		size_t		l = utf8_seq_len(p + i, n - i);

		if (i + (l ? l : 1) > SI_RAW_MAX)
		{
			buf_puts(b, "...");
			return;
		}
		if (l == 0 || p[i] == 0)
		{
			buf_putc(b, '?');
			i++;
		}
		else
		{
			copy_escape(b, s + i, l);
			i += l;
		}
	}
}

void
json_string(SiBuf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
		{
			buf_putc(b, '\\');
			buf_putc(b, (char) c);
		}
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, (char) c);
	}
	buf_putc(b, '"');
}

void
format_date(int32_t days, char *buf, size_t buflen)
{
	int			y,
				m,
				d;

	isoweek_civil_from_days(days, &y, &m, &d);
	snprintf(buf, buflen, "%04d-%02d-%02d", y, m, d);
}

static void
copy_start(SiCopy *c)
{
	PGresult   *res;

	si_check_interrupt();
	res = PQexec(c->conn, c->sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
	{
		si_check_interrupt();
		si_fatal_result(c->conn, res, "");
	}
	PQclear(res);
	si_copy_state(true);
}

/* End the COPY; fatal if the server reports an error. */
static void
copy_finish(SiCopy *c)
{
	PGresult   *res;

	if (PQputCopyEnd(c->conn, NULL) != 1)
	{
		si_check_interrupt();
		si_fatal("ending COPY failed: %s", PQerrorMessage(c->conn));
	}
	si_copy_state(false);
	while ((res = PQgetResult(c->conn)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
		{
			si_check_interrupt();
			si_fatal_result(c->conn, res, "COPY failed: ");
		}
		PQclear(res);
	}
}

void
copy_begin(SiCopy *c, PGconn *conn, const char *sql)
{
	c->conn = conn;
	c->sql = sql;
	copy_start(c);
	c->seg_start = now_seconds();
	c->seg_len = SI_COPY_SEGMENT;
	buf_init(&c->buf);
}

/* Has the server sent something (it says nothing during a good COPY)? */
static bool
server_has_spoken(PGconn *conn)
{
	struct pollfd p;

	p.fd = PQsocket(conn);
	p.events = POLLIN;
	p.revents = 0;
	return p.fd >= 0 && poll(&p, 1, 0) > 0 && p.revents != 0;
}

static void
copy_send(SiCopy *c)
{
	if (c->buf.len > 0 &&
		PQputCopyData(c->conn, c->buf.data, (int) c->buf.len) != 1)
	{
		si_check_interrupt();
		si_fatal("sending COPY data failed: %s", PQerrorMessage(c->conn));
	}
	buf_reset(&c->buf);

	/*
	 * During COPY FROM STDIN the server sends nothing unless it has failed
	 * the COPY (statement_timeout, a cancel request, a terminated backend)
	 * or has a notice; libpq keeps such an error unread until the COPY
	 * ends, and the server would discard the rest of the file. So the COPY
	 * is ended when the server has sent something, and in any case after
	 * half a second (libpq may already have read the error into its buffer
	 * while it waited to send): an error then stops the load; otherwise the
	 * rows sent so far are in, and the next ones go to a new COPY of the
	 * same statement (each chunk holds whole rows). So statement_timeout
	 * applies to each COPY statement, not to the whole stream.
	 */
	if (server_has_spoken(c->conn) || now_seconds() - c->seg_start >= c->seg_len)
	{
		double		t = now_seconds();

		copy_finish(c);
		copy_start(c);
		c->seg_start = now_seconds();
		if (10 * (c->seg_start - t) > c->seg_len)
			c->seg_len = 10 * (c->seg_start - t);
	}
}

void
copy_flush_if_full(SiCopy *c)
{
	si_check_interrupt();
	if (c->buf.len >= SI_COPY_CHUNK)
		copy_send(c);
}

void
copy_end(SiCopy *c)
{
	copy_send(c);
	copy_finish(c);
	buf_free(&c->buf);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void
progress_init(SiProgress *p, bool enabled)
{
	p->enabled = enabled;
	p->start = p->last = now_seconds();
	p->lines = 0;
	p->rejects = 0;
}

static void
progress_print(SiProgress *p, double t, bool final)
{
	double		el = t - p->start;

	fprintf(stderr, "\r%s: %lld lines, %lld rejected, %.0f lines/s%s",
			si_progname, (long long) p->lines, (long long) p->rejects,
			el > 0 ? p->lines / el : 0.0, final ? "\n" : "   ");
	fflush(stderr);
}

void
progress_tick(SiProgress *p)
{
	double		t;

	p->lines++;
	if (!p->enabled || (p->lines & 255) != 0)
		return;
	t = now_seconds();
	if (t - p->last >= 0.25)
	{
		p->last = t;
		progress_print(p, t, false);
	}
}

void
progress_done(SiProgress *p)
{
	if (p->enabled)
		progress_print(p, now_seconds(), true);
}

void
si_fatal_result(PGconn *conn, const PGresult *res, const char *what)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
	SiBuf		b;

	buf_init(&b);
	buf_puts(&b, what);
	if (primary == NULL)
	{
		const char *m = PQerrorMessage(conn);
		size_t		n = strlen(m);

		while (n > 0 && m[n - 1] == '\n')
			n--;
		buf_putn(&b, m, n);
		si_fatal("%s", b.data);
	}
	buf_printf(&b, "%s (SQLSTATE %s)", primary, state ? state : "none");
	if (detail != NULL)
		buf_printf(&b, "\nDETAIL: %s", detail);
	if (hint != NULL)
		buf_printf(&b, "\nHINT: %s", hint);
	if (state != NULL && strcmp(state, "57014") == 0)
		buf_printf(&b, "\nHINT: the server cancelled the load's statement: statement_timeout (%s in this session) or a cancel request from another session; for a long load give the loader more time, e.g. PGOPTIONS='-c statement_timeout=0'",
				   si_statement_timeout ? si_statement_timeout : "unknown");
	si_fatal("%s", b.data);
}

PGresult *
run_params(PGconn *conn, const char *sql, int nparams,
		   const char *const *params)
{
	PGresult   *res;
	ExecStatusType st;

	si_check_interrupt();
	res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
	{
		si_check_interrupt();	/* cancelled by our signal handler */
		si_fatal_result(conn, res, "");
	}
	return res;
}

void
run_cmd(PGconn *conn, const char *sql)
{
	PQclear(run_params(conn, sql, 0, NULL));
}

PGconn *
si_connect(const char *conninfo, const char *fail_what, PQnoticeProcessor notices)
{
	const char *keys[3];
	const char *vals[3];
	int			k = 0;
	PGconn	   *conn;

	if (conninfo != NULL)
	{
		keys[k] = "dbname";
		vals[k++] = conninfo;
	}
	keys[k] = "fallback_application_name";
	vals[k++] = si_progname;
	keys[k] = NULL;
	vals[k] = NULL;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
		si_fatal("%s: %s", fail_what, conn ? PQerrorMessage(conn) : "out of memory");
	si_signals_attach(conn);
	PQsetNoticeProcessor(conn, notices, NULL);
	return conn;
}

void
si_session_setup(PGconn *conn)
{
	PGresult   *res;

	res = run_params(conn,
					 "SELECT pg_catalog.current_setting('statement_timeout'), "
					 "pg_catalog.current_setting('client_connection_check_interval', true)",
					 0, NULL);
	si_statement_timeout = strdup(PQgetvalue(res, 0, 0));

	/*
	 * A killed client (kill -9, a lost network) leaves its statement
	 * running until the server next talks to it; with this setting
	 * (PostgreSQL 14+) the server checks the connection every second while
	 * a statement runs and ends it. A value set by the user is kept.
	 */
	if (!PQgetisnull(res, 0, 1) && strcmp(PQgetvalue(res, 0, 1), "0") == 0)
		run_cmd(conn,
				"SELECT pg_catalog.set_config('client_connection_check_interval', '1s', false)");
	PQclear(res);
	run_cmd(conn, "SELECT pg_catalog.set_config('search_path', '', false)");
}

char *
si_quote_ident(PGconn *conn, const char *name)
{
	char	   *q = PQescapeIdentifier(conn, name, strlen(name));
	char	   *r;

	if (q == NULL)
		si_fatal("cannot quote identifier \"%s\": %s", name, PQerrorMessage(conn));
	r = strdup(q);
	PQfreemem(q);
	return r;
}

bool
person_id_is_bigint(const char *s)
{
	const char *d = s;
	size_t		n,
				i;

	if (*d == '-')
		d++;
	n = strlen(d);
	if (n == 0 || n > 19)
		return false;
	if (d[0] == '0' && (n > 1 || d != s))
		return false;			/* leading zero, or "-0" */
	for (i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	if (n == 19)
		return strcmp(d, d == s ? "9223372036854775807" : "9223372036854775808") <= 0;
	return true;
}

const char *
person_id_bigint_reason(const char *s, char *why, size_t whylen)
{
	snprintf(why, whylen,
			 "person id \"%.40s\" is not a bigint as written (digits without leading zeros; --person-id=bigint): load with --person-id=text to keep it",
			 s);
	return why;
}
