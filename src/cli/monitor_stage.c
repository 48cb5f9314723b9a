/*
 * monitor_stage.c — the staging schema <schema>_staging of si_monitor and
 * the extract's table CSVs.
 *
 * The staging schema is rebuilt by every run (dropped and created, then
 * monitor_setup): it is only ever dropped when its comment says si_monitor
 * made it, so a schema of the user's that happens to be called so is never
 * touched. Each CSV (header with column names, separator ; , or TAB, an
 * empty field is NULL, one record per line) is checked and loaded in one
 * transaction:
 *   - the header: every name a column of the table, no name twice, every
 *     NOT NULL column present — else the file is rejected as a whole;
 *   - each line (streamed with COPY FROM STDIN into a temporary table of
 *     text columns; a line with a NUL byte, invalid UTF-8, an unterminated
 *     quote or the wrong number of fields is rejected);
 *   - into the staging table, where the table's own types and constraints
 *     (primary and foreign keys, CHECKs) judge every row: first all rows in
 *     one INSERT; if that fails, halves of the line range in savepoints
 *     down to single lines, so each bad line is found with the server's
 *     message (k bad lines of n cost about k log2 n statements);
 *   - person_id of observation_period, course and progression_score must
 *     be a person of person.csv.
 * dream.csv's rejects (si_load's dream_reject) join the same list. Every
 * rejected line is one row of <schema>_staging.load_reject (file, line,
 * reason, the start of the raw line); the run lists them and exits 1.
 *
 * One step of si_monitor; must not call into the other steps.
 */
#include "si_monitor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define STAGING_MARK "si_monitor staging schema"
/* rejected lines printed on stderr; all of them are in load_reject */
#define REJECTS_SHOWN 50

typedef struct Column
{
	char	   *name;
	char	   *type;			/* format_type(), qualified where needed */
	bool		notnull;
} Column;

void
mon_stage_prepare(Monitor *m)
{
	const char *params[1];
	PGresult   *res;
	SiBuf		b;
	char	   *lit;

	run_cmd(m->conn, "BEGIN");
	params[0] = m->staging;
	res = run_params(m->conn,
					 "SELECT COALESCE(pg_catalog.obj_description(n.oid, 'pg_namespace'), '') "
					 "FROM pg_catalog.pg_namespace n WHERE n.nspname = $1", 1, params);
	if (PQntuples(res) == 1 &&
		strncmp(PQgetvalue(res, 0, 0), STAGING_MARK, strlen(STAGING_MARK)) != 0)
	{
		si_fatal_status = SI_MON_CONFIG;
		si_fatal("schema %s exists and was not made by si_monitor (its comment does not start with \"%s\"), so si_monitor will not drop it to rebuild its staging schema; rename that schema, or publish into another --schema",
				 m->q_staging, STAGING_MARK);
	}
	PQclear(res);

	buf_init(&b);
	buf_printf(&b, "DROP SCHEMA IF EXISTS %s CASCADE", m->q_staging);
	run_cmd(m->conn, b.data);
	buf_reset(&b);
	buf_printf(&b, "CREATE SCHEMA %s", m->q_staging);
	run_cmd(m->conn, b.data);
	buf_reset(&b);
	buf_printf(&b, "%s of %s: rebuilt by every run, dropped after a successful one; after a rejected extract, load_reject lists the rejected lines",
			   STAGING_MARK, m->schema);
	lit = PQescapeLiteral(m->conn, b.data, b.len);
	if (lit == NULL)
		si_fatal("cannot quote a literal: %s", PQerrorMessage(m->conn));
	buf_reset(&b);
	buf_printf(&b, "COMMENT ON SCHEMA %s IS %s", m->q_staging, lit);
	PQfreemem(lit);
	run_cmd(m->conn, b.data);
	buf_reset(&b);
	buf_printf(&b, "SELECT %s.monitor_setup($1)", m->q_ext);
	PQclear(run_params(m->conn, b.data, 1, params));
	buf_reset(&b);
	buf_printf(&b, "CREATE TABLE %s.load_reject (file pg_catalog.text NOT NULL, line bigint, "
			   "reason pg_catalog.text NOT NULL, raw pg_catalog.text)", m->q_staging);
	run_cmd(m->conn, b.data);
	buf_free(&b);
	run_cmd(m->conn, "COMMIT");
}

/* One reject row (COPY text format) for load_reject. */
static void
add_reject(SiBuf *out, const char *file, long long line, const char *reason,
		   const char *raw, size_t rawlen)
{
	copy_escape(out, file, strlen(file));
	buf_putc(out, '\t');
	if (line > 0)
		buf_printf(out, "%lld", line);
	else
		buf_puts(out, "\\N");
	buf_putc(out, '\t');
	copy_escape(out, reason, strlen(reason));
	buf_putc(out, '\t');
	if (raw != NULL)
		copy_raw(out, raw, rawlen);
	else
		buf_puts(out, "\\N");
	buf_putc(out, '\n');
}

static void
flush_rejects(Monitor *m, SiBuf *rejects)
{
	SiBuf		b;
	SiCopy		c;

	if (rejects->len == 0)
		return;
	buf_init(&b);
	buf_printf(&b, "COPY %s.load_reject (file, line, reason, raw) FROM STDIN", m->q_staging);
	copy_begin(&c, m->conn, b.data);
	buf_putn(&c.buf, rejects->data, rejects->len);
	copy_end(&c);
	buf_free(&b);
	buf_reset(rejects);
}

/* The columns of a staging table, in order. */
static Column *
table_columns(Monitor *m, const char *table, int *ncols)
{
	SiBuf		b;
	const char *params[1];
	PGresult   *res;
	Column	   *cols;
	char	   *qt = si_quote_ident(m->conn, table);
	int			i;

	buf_init(&b);
	buf_printf(&b, "%s.%s", m->q_staging, qt);
	params[0] = b.data;
	res = run_params(m->conn,
					 "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull "
					 "FROM pg_catalog.pg_attribute a WHERE a.attrelid = pg_catalog.to_regclass($1) "
					 "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
					 1, params);
	*ncols = PQntuples(res);
	if (*ncols == 0)
		si_fatal("table %s has no columns (monitor_setup did not create it?)", b.data);
	cols = si_malloc(sizeof(Column) * *ncols);
	for (i = 0; i < *ncols; i++)
	{
		cols[i].name = strdup(PQgetvalue(res, i, 0));
		cols[i].type = strdup(PQgetvalue(res, i, 1));
		cols[i].notnull = strcmp(PQgetvalue(res, i, 2), "t") == 0;
	}
	PQclear(res);
	buf_free(&b);
	free(qt);
	return cols;
}

/* The file's header against the table; NULL if fine, else the reason. */
static char *
check_header(const char *table, Column *cols, int ncols, SiFields *hdr,
			 int *map)
{
	SiBuf		b;
	size_t		i,
				j;
	int			k;

	buf_init(&b);
	for (i = 0; i < hdr->n; i++)
	{
		char	   *name = trim_blanks(hdr->f[i]);

		hdr->f[i] = name;
		map[i] = -1;
		for (k = 0; k < ncols; k++)
			if (strcmp(cols[k].name, name) == 0)
				map[i] = k;
		for (j = 0; j < i; j++)
			if (strcmp(hdr->f[j], name) == 0)
			{
				buf_printf(&b, "column \"%s\" appears twice in the header", name);
				return b.data;
			}
		if (map[i] < 0)
		{
			buf_printf(&b, "unknown column \"%s\" in the header; the columns of %s are ", name, table);
			for (k = 0; k < ncols; k++)
				buf_printf(&b, "%s%s", k ? ", " : "", cols[k].name);
			return b.data;
		}
	}
	for (k = 0; k < ncols; k++)
	{
		if (!cols[k].notnull)
			continue;
		for (i = 0; i < hdr->n; i++)
			if (map[i] == k)
				break;
		if (i == hdr->n)
		{
			buf_printf(&b, "the header has no column \"%s\", which %s requires (NOT NULL)",
					   cols[k].name, table);
			return b.data;
		}
	}
	buf_free(&b);
	return NULL;
}

/* INSERT of the raw lines lo..hi into the staging table (SQL text). */
static char *
insert_sql(Monitor *m, const char *qtable, const char *qraw, Column *cols,
		   SiFields *hdr, int *map, long long lo, long long hi)
{
	SiBuf		b;
	size_t		i;

	buf_init(&b);
	buf_printf(&b, "INSERT INTO %s.%s (", m->q_staging, qtable);
	for (i = 0; i < hdr->n; i++)
	{
		char	   *q = si_quote_ident(m->conn, hdr->f[i]);

		buf_printf(&b, "%s%s", i ? ", " : "", q);
		free(q);
	}
	buf_puts(&b, ") SELECT ");
	for (i = 0; i < hdr->n; i++)
	{
		char	   *q = si_quote_ident(m->conn, hdr->f[i]);

		buf_printf(&b, "%sCAST(%s AS %s)", i ? ", " : "", q, cols[map[i]].type);
		free(q);
	}
	buf_printf(&b, " FROM %s", qraw);
	if (lo > 0)
		buf_printf(&b, " WHERE si_line BETWEEN %lld AND %lld", lo, hi);
	buf_puts(&b, " ORDER BY si_line");
	return b.data;
}

typedef struct Bisect
{
	Monitor    *m;
	const char *file;
	const char *qtable;
	const char *qraw;
	Column	   *cols;
	SiFields   *hdr;
	int		   *map;
	SiBuf	   *rejects;
	long long	rows;
} Bisect;

/*
 * Insert the lines lo..hi (those that exist) in a savepoint; on failure
 * split the range, down to single lines, each failing one a reject.
 */
static void
insert_range(Bisect *bs, long long lo, long long hi)
{
	Monitor    *m = bs->m;
	char	   *sql;
	PGresult   *res;
	SiBuf		b;

	si_check_interrupt();
	sql = insert_sql(m, bs->qtable, bs->qraw, bs->cols, bs->hdr, bs->map, lo, hi);
	run_cmd(m->conn, "SAVEPOINT si_rows");
	res = PQexec(m->conn, sql);
	free(sql);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
	{
		bs->rows += atoll(PQcmdTuples(res));
		PQclear(res);
		run_cmd(m->conn, "RELEASE SAVEPOINT si_rows");
		return;
	}
	si_check_interrupt();
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		/*
		 * Data errors (class 22) and constraint violations (class 23) are
		 * the rows' fault; anything else (a lost connection, a timeout,
		 * out of memory) is the database's.
		 */
		if (state == NULL || (strncmp(state, "22", 2) != 0 && strncmp(state, "23", 2) != 0))
			si_fatal_result(m->conn, res, "");
	}
	if (lo == hi)
	{
		const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		const char *params[1];
		char		num[32];
		PGresult   *raw;

		buf_init(&b);
		buf_puts(&b, primary ? primary : "rejected by the table's constraints");
		if (detail != NULL)
			buf_printf(&b, " (%s)", detail);
		PQclear(res);
		run_cmd(m->conn, "ROLLBACK TO SAVEPOINT si_rows");
		run_cmd(m->conn, "RELEASE SAVEPOINT si_rows");
		snprintf(num, sizeof(num), "%lld", lo);
		params[0] = num;
		sql = NULL;
		{
			SiBuf		q;

			buf_init(&q);
			buf_printf(&q, "SELECT si_raw FROM %s WHERE si_line = $1", bs->qraw);
			raw = run_params(m->conn, q.data, 1, params);
			buf_free(&q);
		}
		if (PQntuples(raw) == 1)
			add_reject(bs->rejects, bs->file, lo, b.data, PQgetvalue(raw, 0, 0),
					   strlen(PQgetvalue(raw, 0, 0)));
		PQclear(raw);
		buf_free(&b);
		return;
	}
	PQclear(res);
	run_cmd(m->conn, "ROLLBACK TO SAVEPOINT si_rows");
	run_cmd(m->conn, "RELEASE SAVEPOINT si_rows");
	{
		/* split at the median existing line, so each half holds rows */
		SiBuf		q;
		char		a[32],
					z[32];
		const char *params[2];
		char	   *mid;
		long long	split;

		snprintf(a, sizeof(a), "%lld", lo);
		snprintf(z, sizeof(z), "%lld", hi);
		params[0] = a;
		params[1] = z;
		buf_init(&q);
		buf_printf(&q, "SELECT pg_catalog.percentile_disc(0.5) WITHIN GROUP (ORDER BY si_line), "
				   "pg_catalog.count(*) FROM %s WHERE si_line BETWEEN $1 AND $2", bs->qraw);
		res = run_params(m->conn, q.data, 2, params);
		buf_free(&q);
		if (PQgetisnull(res, 0, 0))
		{
			PQclear(res);
			return;
		}
		mid = PQgetvalue(res, 0, 0);
		split = atoll(mid);
		if (atoll(PQgetvalue(res, 0, 1)) == 1)
		{
			/* a single row in the range: judge it alone */
			PQclear(res);
			insert_range(bs, split, split);
			return;
		}
		PQclear(res);
		if (split >= hi)
			split = hi - 1;
		insert_range(bs, lo, split);
		insert_range(bs, split + 1, hi);
	}
}

static long long
count_rows(const SiBuf *rejects)
{
	long long	n = 0;
	size_t		i;

	for (i = 0; i < rejects->len; i++)
		if (rejects->data[i] == '\n')
			n++;
	return n;
}

/*
 * Load one CSV into its staging table: returns the rows inserted (-1: an
 * optional file that is absent); *nrejected = its rejected lines, which
 * are written to load_reject.
 */
static long long
stage_file(Monitor *m, const MonTable *t, long long *nrejected)
{
	char	   *path = mon_extract_file(m, t->name);
	char		file[128];
	FILE	   *fp;
	char	   *line = NULL;
	size_t		cap = 0;
	ssize_t		len;
	char	   *hdrline;
	SiFields	hdr = {0},
				fld = {0};
	Column	   *cols = NULL;
	int			ncols = 0;
	int		   *map = NULL;
	char	   *why = NULL;
	char		sep;
	char	   *qtable = si_quote_ident(m->conn, t->name);
	SiBuf		rejects;
	SiBuf		b;
	SiBuf		qraw;
	SiCopy		c;
	SiProgress	prog;
	long long	lineno = 1;
	long long	rows = 0;
	size_t		i;
	Bisect		bs;

	snprintf(file, sizeof(file), "%s.csv", t->name);
	if ((fp = fopen(path, "r")) == NULL)
	{
		if (errno == ENOENT && t->optional)
		{
			free(path);
			free(qtable);
			*nrejected = 0;
			return -1;
		}
		mon_reject_exit("cannot open %s: %s", path, strerror(errno));
	}
	buf_init(&rejects);
	buf_init(&b);
	buf_init(&qraw);
	if ((len = read_line(fp, &line, &cap)) < 0)
	{
		add_reject(&rejects, file, 1, "empty file: no header line", NULL, 0);
		goto done;
	}
	/* a UTF-8 byte order mark before the header is no part of a name */
	if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
		memmove(line, line + 3, (size_t) len - 2);
	hdrline = strdup(line);
	sep = detect_separator(line);
	if (sep == '\0')
		sep = ',';
	cols = table_columns(m, t->name, &ncols);
	if (split_fields(hdrline, sep, &hdr) != NULL)
		why = strdup("the header line has an unterminated quoted field");
	map = si_malloc(sizeof(int) * (hdr.n + 1));
	if (why == NULL)
		why = check_header(t->name, cols, ncols, &hdr, map);
	if (why != NULL)
	{
		add_reject(&rejects, file, 1, why, line, strlen(line));
		free(why);
		goto done;
	}

	/* a temporary table of text columns named as in the header */
	{
		char	   *qr;

		buf_printf(&qraw, "si_raw_%s", t->name);
		qr = si_quote_ident(m->conn, qraw.data);
		buf_reset(&qraw);
		buf_printf(&qraw, "pg_temp.%s", qr);
		free(qr);
	}
	buf_printf(&b, "CREATE TEMPORARY TABLE %s (si_line bigint NOT NULL, si_raw pg_catalog.text", qraw.data);
	for (i = 0; i < hdr.n; i++)
	{
		char	   *q = si_quote_ident(m->conn, hdr.f[i]);

		buf_printf(&b, ", %s pg_catalog.text", q);
		free(q);
	}
	buf_puts(&b, ")");
	run_cmd(m->conn, b.data);
	buf_reset(&b);
	buf_printf(&b, "COPY %s FROM STDIN", qraw.data);

	progress_init(&prog, m->progress);
	copy_begin(&c, m->conn, b.data);
	while ((len = read_line(fp, &line, &cap)) >= 0)
	{
		const char *err;
		char	   *work;
		char		msg[96];

		lineno++;
		progress_tick(&prog);
		if ((size_t) len != strlen(line))
			err = "line contains a NUL byte";
		else if (len == 0)
			err = "empty line";
		else if (!utf8_valid(line, (size_t) len))
			err = "line is not valid UTF-8";
		else
			err = NULL;
		work = err ? NULL : strdup(line);
		if (err == NULL && (err = split_fields(work, sep, &fld)) == NULL &&
			fld.n != hdr.n)
		{
			snprintf(msg, sizeof(msg), "%zu fields, the header has %zu", fld.n, hdr.n);
			err = msg;
		}
		if (err != NULL)
		{
			add_reject(&rejects, file, lineno, err, line, (size_t) len);
			prog.rejects++;
			free(work);
			continue;
		}
		buf_printf(&c.buf, "%lld\t", lineno);
		copy_raw(&c.buf, line, (size_t) len);
		for (i = 0; i < fld.n; i++)
		{
			buf_putc(&c.buf, '\t');
			if (fld.f[i][0] == '\0')
				buf_puts(&c.buf, "\\N");
			else
				copy_escape(&c.buf, fld.f[i], strlen(fld.f[i]));
		}
		buf_putc(&c.buf, '\n');
		free(work);
		copy_flush_if_full(&c);
	}
	copy_end(&c);
	progress_done(&prog);

	/* the file's items replace monitor_setup's default ones */
	if (strcmp(t->name, "progression_item") == 0)
	{
		buf_reset(&b);
		buf_printf(&b, "DELETE FROM %s.%s", m->q_staging, qtable);
		run_cmd(m->conn, b.data);
	}

	/* into the staging table: all at once, or bisected to the bad lines */
	buf_reset(&b);
	buf_printf(&b, "CREATE INDEX ON %s (si_line)", qraw.data);
	run_cmd(m->conn, b.data);
	bs.m = m;
	bs.file = file;
	bs.qtable = qtable;
	bs.qraw = qraw.data;
	bs.cols = cols;
	bs.hdr = &hdr;
	bs.map = map;
	bs.rejects = &rejects;
	bs.rows = 0;
	insert_range(&bs, 1, lineno);
	rows = bs.rows;
	free(hdrline);

done:
	fclose(fp);
	*nrejected = count_rows(&rejects);
	flush_rejects(m, &rejects);
	buf_free(&rejects);
	buf_free(&b);
	buf_free(&qraw);
	free(line);
	free(map);
	free(hdr.f);
	free(fld.f);
	for (i = 0; i < (size_t) ncols; i++)
	{
		free(cols[i].name);
		free(cols[i].type);
	}
	free(cols);
	free(qtable);
	free(path);
	return rows;
}

/* Run a statement; the number of rows it inserted, updated or deleted. */
static long long
rows_affected(Monitor *m, const char *sql)
{
	PGresult   *res = run_params(m->conn, sql, 0, NULL);
	long long	n = atoll(PQcmdTuples(res));

	PQclear(res);
	return n;
}

/* Does the temporary raw table of this file exist (its header was good)? */
static bool
raw_exists(Monitor *m, const char *table)
{
	SiBuf		b;
	bool		r;

	buf_init(&b);
	buf_printf(&b, "pg_temp.si_raw_%s", table);
	r = mon_query_true(m, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", b.data);
	buf_free(&b);
	return r;
}

/*
 * Checks across files, in SQL: person_id of observation_period, course
 * and progression_score is a person of person.csv, goal's indicator one
 * the extension knows (lines already rejected are not judged again);
 * dream.csv's rejects; person_path from the paths.
 */
static void
stage_checks(Monitor *m, long long *nrejected)
{
	static const char *const child[] = {"observation_period", "course", "progression_score"};
	SiBuf		b;
	char	   *v;
	int			i;
	double		t = mon_now();
	long long	n = 0;
	long long	outside;

	buf_init(&b);
	for (i = 0; i < 3; i++)
	{
		if (!raw_exists(m, child[i]))
			continue;
		buf_reset(&b);
		buf_printf(&b,
				   "INSERT INTO %s.load_reject (file, line, reason, raw) "
				   "SELECT '%s.csv', r.si_line, 'person_id ' || r.person_id || ' is not a person of person.csv', r.si_raw "
				   "FROM pg_temp.si_raw_%s r "
				   "WHERE NOT EXISTS (SELECT 1 FROM %s.load_reject j WHERE j.file = '%s.csv' AND j.line = r.si_line) "
				   "AND NOT EXISTS (SELECT 1 FROM %s.person p WHERE p.person_id = "
				   "CASE WHEN r.person_id OPERATOR(pg_catalog.~) '^\\s*[+-]?[0-9]{1,18}\\s*$' THEN CAST(r.person_id AS bigint) END) "
				   "ORDER BY r.si_line",
				   m->q_staging, child[i], child[i], m->q_staging, child[i], m->q_staging);
		n += rows_affected(m, b.data);
	}

	/*
	 * goal.csv: an indicator monitor_refresh does not know would stop the
	 * publishing transaction (exit 3); judged here, line by line, against
	 * the extension's list (_monitor_indicators(), when it has one).
	 */
	if (raw_exists(m, "goal"))
	{
		if (mon_has_function(m, "_monitor_indicators()"))
		{
			buf_reset(&b);
			buf_printf(&b,
					   "INSERT INTO %s.load_reject (file, line, reason, raw) "
					   "SELECT 'goal.csv', r.si_line, 'unknown indicator ' || pg_catalog.quote_literal(r.indicator) || "
					   "'; the indicators are ' || (SELECT pg_catalog.string_agg(i.indicator, ', ' ORDER BY i.indicator) "
					   "FROM %s._monitor_indicators() i), r.si_raw "
					   "FROM pg_temp.si_raw_goal r "
					   "WHERE NOT EXISTS (SELECT 1 FROM %s.load_reject j WHERE j.file = 'goal.csv' AND j.line = r.si_line) "
					   "AND NOT EXISTS (SELECT 1 FROM %s._monitor_indicators() i WHERE i.indicator = r.indicator) "
					   "ORDER BY r.si_line",
					   m->q_staging, m->q_ext, m->q_staging, m->q_ext);
			n += rows_affected(m, b.data);
		}
	}

	/* dream.csv: si_load's rejected lines */
	buf_reset(&b);
	buf_printf(&b,
			   "INSERT INTO %s.load_reject (file, line, reason, raw) "
			   "SELECT 'dream.csv', line, pg_catalog.concat_ws(': ', \"column\", reason), raw "
			   "FROM %s.dream_reject ORDER BY line", m->q_staging, m->q_staging);
	n += rows_affected(m, b.data);

	/* the paths of the persons of person.csv */
	buf_reset(&b);
	buf_printf(&b,
			   "INSERT INTO %s.person_path (person_id, path) SELECT d.person_id, d.path "
			   "FROM %s.dream_path d WHERE EXISTS (SELECT 1 FROM %s.person p WHERE p.person_id = d.person_id)",
			   m->q_staging, m->q_staging, m->q_staging);
	mon_log(m, "stage", t, rows_affected(m, b.data), "table=person_path");
	buf_reset(&b);
	buf_printf(&b,
			   "SELECT pg_catalog.count(*) FROM %s.dream_path d "
			   "WHERE NOT EXISTS (SELECT 1 FROM %s.person p WHERE p.person_id = d.person_id)",
			   m->q_staging, m->q_staging);
	v = mon_query_value(m->conn, b.data, 0, NULL);
	outside = v ? atoll(v) : 0;
	free(v);
	if (outside > 0)
		fprintf(stderr, "si_monitor: notice: %lld persons of dream.csv are not in person.csv; their paths are not published\n",
				outside);
	mon_log(m, "check", t, n, "dream_persons_not_in_person=%lld", outside);
	*nrejected += n;
	buf_free(&b);
}

void
mon_stage_tables(Monitor *m)
{
	int			i;

	run_cmd(m->conn, "BEGIN");
	for (i = 0; i < mon_ntables; i++)
	{
		double		t = mon_now();
		long long	rej = 0;
		long long	rows = stage_file(m, &mon_tables[i], &rej);

		m->rejected += rej;
		if (rows < 0)
			mon_log(m, "stage", t, -1, "table=%s file=absent kept=published",
					mon_tables[i].name);
		else
			mon_log(m, "stage", t, rows, "table=%s rejected=%lld", mon_tables[i].name, rej);
	}
	stage_checks(m, &m->rejected);
}

/*
 * Commit the staging transaction (the rejects stay for inspection), list
 * the rejected lines; returns their number.
 */
long long
mon_stage_report_rejects(Monitor *m)
{
	SiBuf		b;
	PGresult   *res;
	long long	n;
	int			i;

	/* a plain COMMIT: si_commit() would hold signals for the rest of the run */
	run_cmd(m->conn, "COMMIT");
	buf_init(&b);
	buf_printf(&b, "SELECT file, COALESCE(line::pg_catalog.text, '-'), reason, "
			   "pg_catalog.count(*) OVER () FROM %s.load_reject "
			   "ORDER BY file, line NULLS FIRST LIMIT %d", m->q_staging, REJECTS_SHOWN);
	res = run_params(m->conn, b.data, 0, NULL);
	n = PQntuples(res) > 0 ? atoll(PQgetvalue(res, 0, 3)) : 0;
	for (i = 0; i < PQntuples(res); i++)
		fprintf(stderr, "si_monitor: rejected: %s/%s line %s: %s\n", m->extract_dir,
				PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	if (n > REJECTS_SHOWN)
		fprintf(stderr, "si_monitor: rejected: ... and %lld more lines (all %lld are in %s.load_reject)\n",
				n - REJECTS_SHOWN, n, m->q_staging);
	PQclear(res);
	buf_free(&b);
	return n;
}

/* After a successful run the staging schema goes (a failure here only warns). */
void
mon_stage_drop(Monitor *m)
{
	SiBuf		b;
	PGresult   *res;

	buf_init(&b);
	buf_printf(&b, "DROP SCHEMA %s CASCADE", m->q_staging);
	res = PQexec(m->conn, b.data);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "si_monitor: warning: could not drop the staging schema %s: %s",
				m->q_staging, PQerrorMessage(m->conn));
	PQclear(res);
	buf_free(&b);
}
