/*
 * load_stage.c — what si_load's loaders share (see load_stage.h): SQL
 * templates over the target tables, and one pass over the input into the
 * staging table (reading lines, good rows, reject rows, the end of the
 * COPY). The format of a file (its header, its fields) is the loaders';
 * the transaction, options and target tables are si_load.c's. Nothing
 * here calls into either.
 */
#include "load_stage.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * A worker's line numbers: chunk << SI_CHUNK_SHIFT plus the line's number
 * within its chunk (from 1), until the view adds the lines before the
 * chunk. 2^40 lines per chunk is more than any file holds.
 */
#define SI_CHUNK_SHIFT 40
#define SI_CHUNK_MASK ((1LL << SI_CHUNK_SHIFT) - 1)
#define SI_MAX_JOBS 64

/* The comment that marks NAME_stage as si_load's own, so a load may drop it. */
#define SI_STAGE_COMMENT "si_load: staging table of a parallel load (--jobs); dropped when the load commits, and by the next load into these tables if a load failed"

char *
sql_expand(const SiLoad *ld, const char *tmpl)
{
	static const char *const keys[] = {
		"@week@", "@person@", "@path@", "@spell@", "@reject@", "@pathtype@", "@ext@", "@pid@"
	};
	const char *vals[8];
	SiBuf		b;
	const char *p = tmpl;

	vals[0] = ld->t_week;
	vals[1] = ld->t_person;
	vals[2] = ld->t_path;
	vals[3] = ld->t_spell;
	vals[4] = ld->t_reject;
	vals[5] = ld->path_type;
	vals[6] = ld->ext_schema;
	vals[7] = ld->person_bigint ? "bigint" : "pg_catalog.text";
	buf_init(&b);
	while (*p)
	{
		int			k;
		bool		hit = false;

		if (*p == '@')
			for (k = 0; k < 8; k++)
			{
				size_t		l = strlen(keys[k]);

				if (strncmp(p, keys[k], l) == 0)
				{
					if (vals[k] == NULL)
						si_fatal("internal error: %s used but not set", keys[k]);
					buf_puts(&b, vals[k]);
					p += l;
					hit = true;
					break;
				}
			}
		if (!hit)
			buf_putc(&b, *p++);
	}
	return b.data;
}

long long
exec_tmpl(SiLoad *ld, const char *tmpl, int nparams, const char *const *params)
{
	char	   *sql = sql_expand(ld, tmpl);
	PGresult   *res = run_params(ld->conn, sql, nparams, params);
	long long	n = atoll(PQcmdTuples(res));

	PQclear(res);
	free(sql);
	return n;
}

char *
stage_header(SiStage *st, SiLoad *ld)
{
	ssize_t		n;

	memset(st, 0, sizeof(*st));
	st->ld = ld;
	st->lineno = 1;
	st->end = -1;
	if ((n = read_line(ld->fp, &st->line, &st->cap)) < 0)
		si_fatal("%s: the file is empty (no header line)", ld->label);
	if ((size_t) n != strlen(st->line))
		si_fatal("%s: line 1 (header) contains a NUL byte", ld->label);
	st->len = (size_t) n;
	return st->line;
}

void
stage_begin(SiStage *st, const char *data_columns, int ndata)
{
	SiBuf		b;

	buf_init(&b);
	buf_printf(&b,
			   "CREATE TEMP TABLE si_load_stage (line bigint, person_id %s, col pg_catalog.text, "
			   "reason pg_catalog.text, raw pg_catalog.text, %s) "
			   "ON COMMIT DROP",
			   st->ld->person_bigint ? "bigint" : "pg_catalog.text", data_columns);
	run_cmd(st->ld->conn, b.data);
	buf_free(&b);
	st->ndata = ndata;
	copy_begin(&st->cp, st->ld->conn, "COPY pg_temp.si_load_stage FROM STDIN");
}

bool
stage_next(SiStage *st)
{
	ssize_t		n;

	/* a worker's chunk ends where the next one's first line starts */
	if (st->end >= 0 && ftello(st->ld->fp) >= st->end)
		return false;
	n = read_line(st->ld->fp, &st->line, &st->cap);

	if (n < 0)
		return false;
	st->len = (size_t) n;
	st->lineno++;
	progress_tick(&st->ld->prog);
	if (st->len + 1 > st->workcap)
	{
		st->workcap = st->len + 1;
		st->work = si_realloc(st->work, st->workcap);
	}
	memcpy(st->work, st->line, st->len + 1);
	return true;
}

void
stage_good(SiStage *st, const char *person)
{
	SiBuf	   *out = &st->cp.buf;

	buf_printf(out, "%lld\t", st->lineno);
	copy_escape(out, person, strlen(person));
	buf_puts(out, "\t\\N\t\\N\t");
	copy_raw(out, st->line, st->len);
}

void
stage_reject_line(SiStage *st, const char *person, const char *column,
				  const char *reason)
{
	SiBuf	   *out = &st->cp.buf;
	int			i;

	buf_printf(out, "%lld\t", st->lineno);
	if (person != NULL)
		copy_escape(out, person, strlen(person));
	else
		buf_puts(out, "\\N");
	buf_putc(out, '\t');
	copy_escape(out, column, strlen(column));
	buf_putc(out, '\t');
	copy_escape(out, reason, strlen(reason));
	buf_putc(out, '\t');
	copy_raw(out, st->line, st->len);
	for (i = 0; i < st->ndata; i++)
		buf_puts(out, "\t\\N");
	buf_putc(out, '\n');
	st->ld->prog.rejects++;
	copy_flush_if_full(&st->cp);
}

void
stage_end(SiStage *st)
{
	copy_end(&st->cp);
	progress_done(&st->ld->prog);
	st->ld->lines = st->lineno - 1;
	free(st->line);
	free(st->work);
	st->line = st->work = NULL;
}

/*
 * Parallel staging (stage_run with ld->jobs > 1).
 *
 * Chunk boundaries: the first data line starts at offset b[0] (after the
 * header); b[i] is the first line start at or after b[0] + i/jobs of the
 * data bytes; a worker reads the lines that start in [b[i], b[i+1]), so
 * every line is read by exactly one worker, as the serial pass reads it.
 */
static void
chunk_bounds(SiLoad *ld, int jobs, off_t *b)
{
	struct stat sb;
	off_t		data_start = ftello(ld->fp);
	int			i;

	if (strcmp(ld->input, "-") == 0 || fstat(fileno(ld->fp), &sb) != 0 ||
		!S_ISREG(sb.st_mode) || data_start < 0)
		si_fatal("--jobs=%d: %s is not a regular file (standard input or a pipe cannot be cut into chunks); give a file, or load with --jobs=1",
				 jobs, ld->label);
	b[0] = data_start;
	b[jobs] = sb.st_size;
	for (i = 1; i < jobs; i++)
	{
		off_t		nominal = data_start + (off_t) ((double) (sb.st_size - data_start) * i / jobs);
		int			c;

		if (nominal <= b[i - 1])
		{
			b[i] = b[i - 1];
			continue;
		}
		/* the line holding byte nominal - 1 belongs to the chunk before */
		if (fseeko(ld->fp, nominal - 1, SEEK_SET) != 0)
			si_fatal("%s: cannot seek: %m", ld->label);
		while ((c = getc(ld->fp)) != EOF && c != '\n')
			;
		b[i] = c == EOF ? sb.st_size : ftello(ld->fp);
	}
}

/*
 * A load that fails or is interrupted after NAME_stage was made drops it
 * on the way out (exit handler of the main process), over a connection of
 * its own without signal handling, giving up after lock_timeout (when the
 * main session still holds the table, the next load into these tables
 * drops it).
 */
static const SiLoad *stage_owner = NULL;
static pid_t stage_owner_pid = 0;

static void
drop_stage_at_exit(void)
{
	const char *keys[3];
	const char *vals[3];
	int			k = 0;
	PGconn	   *c;
	SiBuf		b;
	PGresult   *res;

	if (stage_owner == NULL || getpid() != stage_owner_pid)
		return;
	/* end the main session first: its locks on the table go with it */
	c = si_signals_detach();
	if (c != NULL)
		PQfinish(c);
	if (stage_owner->conninfo != NULL)
	{
		keys[k] = "dbname";
		vals[k++] = stage_owner->conninfo;
	}
	keys[k] = "fallback_application_name";
	vals[k++] = "si_load";
	keys[k] = NULL;
	vals[k] = NULL;
	c = PQconnectdbParams(keys, vals, 1);
	if (c != NULL && PQstatus(c) == CONNECTION_OK)
	{
		buf_init(&b);
		buf_printf(&b, "SET lock_timeout = '5s'; SET client_min_messages = warning; DROP TABLE IF EXISTS %s",
				   stage_owner->t_stage);
		res = PQexec(c, b.data);
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			fprintf(stderr, "si_load: the staging table %s was dropped\n", stage_owner->t_stage);
		PQclear(res);
		buf_free(&b);
	}
	PQfinish(c);
}

/* Create NAME_stage over a connection of its own, committed at once. */
static void
create_shared_stage(SiStage *st, const char *data_columns)
{
	SiLoad	   *ld = st->ld;
	PGconn	   *h;
	PGresult   *res;
	const char *params[1];
	SiBuf		b;

	h = si_connect(ld->conninfo, "--jobs: cannot open the connection that creates the staging table", NULL);
	si_session_setup(h);
	run_cmd(h, "SET client_min_messages = warning");
	params[0] = ld->t_stage;
	res = run_params(h,
					 "SELECT pg_catalog.obj_description(c.oid, 'pg_class') "
					 "FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1)",
					 1, params);
	if (PQntuples(res) == 1)
	{
		if (PQgetisnull(res, 0, 0) || strcmp(PQgetvalue(res, 0, 0), SI_STAGE_COMMENT) != 0)
			si_fatal("--jobs: table %s exists and is not si_load's staging table (its comment does not say so), so it is left alone; rename or drop it, or load into another --prefix",
					 ld->t_stage);
		/* a failed parallel load's leftover: no load of ours uses it now */
		buf_init(&b);
		buf_printf(&b, "DROP TABLE %s", ld->t_stage);
		run_cmd(h, b.data);
		buf_free(&b);
	}
	PQclear(res);
	buf_init(&b);
	buf_printf(&b,
			   "CREATE UNLOGGED TABLE %s (line bigint, person_id %s, col pg_catalog.text, "
			   "reason pg_catalog.text, raw pg_catalog.text, %s)",
			   ld->t_stage, ld->person_bigint ? "bigint" : "pg_catalog.text", data_columns);
	run_cmd(h, b.data);
	buf_reset(&b);
	buf_printf(&b, "COMMENT ON TABLE %s IS '%s'", ld->t_stage, SI_STAGE_COMMENT);
	run_cmd(h, b.data);
	buf_free(&b);
	PQfinish(h);
	stage_owner = ld;
	stage_owner_pid = getpid();
	atexit(drop_stage_at_exit);
	/* signals cancel this session's statements again */
	si_signals_attach(ld->conn);
}

/*
 * A worker process: its own connection, its own file position; stages
 * the lines of chunk i, reports their number through fd, exits.
 */
static void
stage_worker(SiStage *parent, int i, off_t from, off_t to,
			 SiStagePass pass, void *arg, int fd)
{
	SiLoad	   *ld = parent->ld;
	SiStage		st;
	SiBuf		b;
	long long	lines;
	static char name[32];

	snprintf(name, sizeof(name), "si_load (worker %d)", i + 1);
	si_progname = name;
	si_signals_forget();
	ld->fp = fopen(ld->input, "r");
	if (ld->fp == NULL)
		si_fatal("cannot open \"%s\": %m", ld->input);
	if (fseeko(ld->fp, from, SEEK_SET) != 0)
		si_fatal("%s: cannot seek: %m", ld->label);
	ld->conn = si_connect(ld->conninfo, "cannot connect", NULL);
	if (PQsetClientEncoding(ld->conn, ld->encoding) != 0)
		si_fatal("--encoding: \"%s\" is not an encoding PostgreSQL knows", ld->encoding);
	si_session_setup(ld->conn);
	progress_init(&ld->prog, false);

	memset(&st, 0, sizeof(st));
	st.ld = ld;
	st.lineno = (long long) i << SI_CHUNK_SHIFT;
	st.end = to;
	st.ndata = parent->ndata;
	buf_init(&b);
	buf_printf(&b, "COPY %s FROM STDIN", ld->t_stage);
	run_cmd(ld->conn, "BEGIN");
	copy_begin(&st.cp, ld->conn, b.data);
	pass(&st, arg);
	copy_end(&st.cp);
	run_cmd(ld->conn, "COMMIT");
	buf_free(&b);
	lines = st.lineno & SI_CHUNK_MASK;
	if (write(fd, &lines, sizeof(lines)) != (ssize_t) sizeof(lines))
		si_fatal("cannot report to the parent process: %m");
	close(fd);
	PQfinish(ld->conn);
	/* _exit: the parent's input stream, shared by fork, stays untouched */
	fflush(stdout);
	fflush(stderr);
	_exit(SI_EXIT_OK);
}

static void
stop_workers(pid_t *pids, int jobs)
{
	int			i;

	for (i = 0; i < jobs; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < jobs; i++)
		if (pids[i] > 0)
		{
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
			pids[i] = 0;
		}
}

static void
stage_parallel(SiStage *st, const char *data_columns, const char *data_names,
			   SiStagePass pass, void *arg)
{
	SiLoad	   *ld = st->ld;
	int			jobs = ld->jobs;
	off_t		b[SI_MAX_JOBS + 1];
	pid_t		pids[SI_MAX_JOBS];
	int			fds[SI_MAX_JOBS];
	long long	lines[SI_MAX_JOBS];
	long long	base;
	int			i,
				running;
	sigset_t	block,
				old;
	SiBuf		sql;

	chunk_bounds(ld, jobs, b);
	create_shared_stage(st, data_columns);

	fflush(stdout);
	fflush(stderr);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	for (i = 0; i < jobs; i++)
	{
		int			p[2];

		if (pipe(p) != 0)
			si_fatal("--jobs: cannot make a pipe: %m");
		/* no signal between fork and the worker's own handling */
		sigprocmask(SIG_BLOCK, &block, &old);
		pids[i] = fork();
		if (pids[i] < 0)
		{
			sigprocmask(SIG_SETMASK, &old, NULL);
			stop_workers(pids, i);
			si_fatal("--jobs: cannot start worker %d: %m", i + 1);
		}
		if (pids[i] == 0)
		{
			int			k;

			close(p[0]);
			for (k = 0; k < i; k++)
				close(fds[k]);
			si_signals_forget();
			sigprocmask(SIG_SETMASK, &old, NULL);
			stage_worker(st, i, b[i], b[i + 1], pass, arg, p[1]);
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(p[1]);
		fds[i] = p[0];
		lines[i] = -1;
	}

	/* wait for every worker; the first failure or a signal stops the rest */
	running = jobs;
	while (running > 0)
	{
		int			status;
		pid_t		pid = waitpid(-1, &status, 0);

		if (pid < 0)
		{
			if (errno == EINTR && si_interrupted())
			{
				stop_workers(pids, jobs);
				si_check_interrupt();
			}
			if (errno == EINTR)
				continue;
			si_fatal("--jobs: waiting for the workers failed: %m");
		}
		for (i = 0; i < jobs; i++)
			if (pids[i] == pid)
				break;
		if (i == jobs)
			continue;
		pids[i] = 0;
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != SI_EXIT_OK)
		{
			stop_workers(pids, jobs);
			si_check_interrupt();
			si_fatal("--jobs: worker %d (lines starting at byte %lld) failed (%s %d; its message is above)",
					 i + 1, (long long) b[i],
					 WIFEXITED(status) ? "exit status" : "signal",
					 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		}
		if (read(fds[i], &lines[i], sizeof(lines[i])) != (ssize_t) sizeof(lines[i]))
			si_fatal("--jobs: worker %d did not report its lines", i + 1);
		close(fds[i]);
	}

	/* the file's line numbers: the header, then the chunks in order */
	buf_init(&sql);
	buf_printf(&sql, "CREATE TEMP VIEW si_load_stage AS SELECT CASE s.line >> %d", SI_CHUNK_SHIFT);
	base = 1;
	for (i = 0; i < jobs; i++)
	{
		buf_printf(&sql, " WHEN %d THEN %lld", i, base);
		base += lines[i];
	}
	buf_printf(&sql, " END + (s.line & %lld) AS line, s.person_id, s.col, s.reason, s.raw, %s FROM %s s",
			   SI_CHUNK_MASK, data_names, ld->t_stage);
	run_cmd(ld->conn, sql.data);
	buf_free(&sql);
	ld->stage_shared = true;
	ld->lines = base - 1;
	st->lineno = base;
	progress_done(&ld->prog);
	free(st->line);
	st->line = NULL;
}

void
stage_run(SiStage *st, const char *data_columns, int ndata,
		  const char *data_names, SiStagePass pass, void *arg)
{
	st->ndata = ndata;
	if (st->ld->jobs > 1)
	{
		stage_parallel(st, data_columns, data_names, pass, arg);
		return;
	}
	stage_begin(st, data_columns, ndata);
	pass(st, arg);
	stage_end(st);
}

void
stage_drop(SiLoad *ld)
{
	SiBuf		b;

	if (!ld->stage_shared)
		return;
	run_cmd(ld->conn, "DROP VIEW pg_temp.si_load_stage");
	buf_init(&b);
	buf_printf(&b, "DROP TABLE %s", ld->t_stage);
	run_cmd(ld->conn, b.data);
	buf_free(&b);
	ld->stage_shared = false;
	/* dropped in this transaction; if the commit fails, the next load drops it */
	stage_owner = NULL;
}
