/*
 * si_monitor.c — the nightly monitoring job (docs/monitoring.md, "The
 * nightly job"): options, connection, the per-schema lock, log lines, and
 * the steps of `si_monitor run`:
 *   1. find the newest extract DIR/<YYYY-MM-DD>/ (monitor_extract.c),
 *   2. connect; take the schema's session advisory lock (or exit 3),
 *   3. rebuild the staging schema <schema>_staging (monitor_stage.c),
 *   4. dream.csv through si_load as a child process (monitor_dream.c),
 *   5. the table CSVs by COPY, every row checked; any rejected row: exit 1,
 *      the rejects stay in <schema>_staging.load_reject, nothing published,
 *   6. one transaction: the published tables' rows replaced from staging,
 *      monitor_refresh(schema, extract date) (monitor_publish.c),
 *   7. the report (monitor_report(), src/cli/report*.c), if --report.
 * Exit status: 0 ok, 1 extract rejected, 2 usage/configuration, 3 database
 * (including a concurrent run), 128 + N on signal N.
 *
 * As si_load, the session runs with an empty search_path; every function
 * is pg_catalog- or extension-schema-qualified, identifiers are quoted,
 * values go as parameters or COPY data.
 *
 * Owns options, connection, lock and log; each step is its own file
 * (monitor_*.c), and steps must not call each other.
 */
#include "si_monitor.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const MonTable mon_tables[] = {
	{"programme", false},
	{"progression_item", true},
	{"person", false},
	{"observation_period", false},
	{"course", false},
	{"progression_score", false},
	{"goal", false},
};
const int	mon_ntables = sizeof(mon_tables) / sizeof(mon_tables[0]);

static void
usage(FILE *out)
{
	fputs(
		  "si_monitor runs the nightly monitoring job (docs/monitoring.md).\n"
		  "\n"
		  "Usage:\n"
		  "  si_monitor run --extract DIR --schema NAME [--db CONNINFO] [--report OUT.html]\n"
		  "                 [--lang da|en] [--wait] [-q]\n"
		  "  si_monitor report --schema NAME --out OUT.html [--db CONNINFO] [--lang da|en]\n"
		  "\n"
		  "run: loads the newest extract DIR/<YYYY-MM-DD>/ (dream.csv through si_load,\n"
		  "person.csv, observation_period.csv, programme.csv, course.csv,\n"
		  "progression_score.csv, goal.csv, optional progression_item.csv) into the\n"
		  "staging schema NAME_staging, checks every row, then in one transaction\n"
		  "replaces the rows of the tables of schema NAME and refreshes the monitoring\n"
		  "states of the extract date (monitor_refresh); then writes the report.\n"
		  "\n"
		  "Options:\n"
		  "  --extract=DIR          directory holding one directory per extract date\n"
		  "  -d, --db=CONNINFO      database name or connection string (default: PG*\n"
		  "                         environment variables)\n"
		  "  -s, --schema=NAME      the published monitoring schema (created if missing)\n"
		  "  --report=FILE, --out=FILE  write the HTML report to FILE\n"
		  "  --lang=da|en           language of the report (default da)\n"
		  "  --wait                 wait for a concurrent run of the same schema instead\n"
		  "                         of exiting with status 3\n"
		  "  -q, --quiet            no log lines and no progress (errors only)\n"
		  "  --help                 show this help and exit\n"
		  "\n"
		  "Exit status: 0 ok; 1 the extract was rejected (bad rows, a missing file:\n"
		  "see NAME_staging.load_reject), nothing published; 2 usage or configuration\n"
		  "(bad option, missing extract directory); 3 database error, or another run\n"
		  "of the same schema holds the lock; 130/143/129 interrupted (SIGINT/SIGTERM/\n"
		  "SIGHUP). Except for 0, the published tables are as before the run.\n",
		  out);
}

double
mon_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One log line per step on stderr:
 *   2026-12-07T01:30:00Z si_monitor schema=reg step=publish seconds=0.42 rows=1234 message
 * (UTC; rows -1 is left out). Nothing with -q.
 */
void
mon_log(const Monitor *m, const char *step, double started, long long rows,
		const char *fmt,...)
{
	time_t		t = time(NULL);
	struct tm	tm;
	char		ts[32];
	va_list		ap;

	if (m->quiet)
		return;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s si_monitor schema=%s step=%s seconds=%.2f", ts,
			m->schema ? m->schema : "-", step,
			started > 0 ? mon_now() - started : 0.0);
	if (rows >= 0)
		fprintf(stderr, " rows=%lld", rows);
	if (fmt != NULL && fmt[0] != '\0')
	{
		fputc(' ', stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
	fflush(stderr);
}

/* "si_monitor: error: <message>" and a line end on stderr */
static void __attribute__((format(printf, 1, 0)))
say_error(const char *fmt, va_list ap)
{
	fputs("si_monitor: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
mon_config_error(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	say_error(fmt, ap);
	va_end(ap);
	exit(SI_MON_CONFIG);
}

void
mon_reject_exit(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	say_error(fmt, ap);
	va_end(ap);
	fputs("si_monitor: the extract was rejected; the published tables are unchanged\n", stderr);
	exit(SI_MON_REJECTED);
}

char *
mon_query_value(PGconn *conn, const char *sql, int nparams,
				const char *const *params)
{
	PGresult   *res = run_params(conn, sql, nparams, params);
	char	   *v = NULL;

	if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0))
		v = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

bool
mon_query_true(Monitor *m, const char *sql, const char *param)
{
	const char *params[1];
	char	   *v;
	bool		yes;

	params[0] = param;
	v = mon_query_value(m->conn, sql, 1, params);
	yes = v != NULL && strcmp(v, "t") == 0;
	free(v);
	return yes;
}

bool
mon_has_function(Monitor *m, const char *signature)
{
	SiBuf		b;
	bool		found;

	buf_init(&b);
	buf_printf(&b, "%s.%s", m->q_ext, signature);
	found = mon_query_true(m, "SELECT pg_catalog.to_regprocedure($1) IS NOT NULL", b.data);
	buf_free(&b);
	return found;
}

static void
notice_processor(void *arg, const char *message)
{
	(void) arg;
	fprintf(stderr, "si_monitor: %s", message);
}

/* Connect, empty search_path, find the extension; errors exit 3. */
static void
mon_connect(Monitor *m)
{
	char	   *ext;

	m->conn = si_connect(m->conninfo, "cannot connect to the database", notice_processor);
	if (PQsetClientEncoding(m->conn, "UTF8") != 0)
		si_fatal("cannot set the client encoding to UTF8: %s", PQerrorMessage(m->conn));
	si_session_setup(m->conn);
	run_cmd(m->conn, "SELECT pg_catalog.set_config('client_min_messages', 'warning', false)");
	run_cmd(m->conn, "SELECT pg_catalog.set_config('datestyle', 'ISO, YMD', false)");

	ext = mon_query_value(m->conn,
						  "SELECT n.nspname FROM pg_catalog.pg_extension e "
						  "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
						  "WHERE e.extname = 'socialinvest'", 0, NULL);
	if (ext == NULL)
		si_fatal("the extension socialinvest is not installed in this database; run CREATE EXTENSION socialinvest (version 0.3.0 or later)");
	m->q_ext = si_quote_ident(m->conn, ext);
	free(ext);
	if (!mon_has_function(m, "monitor_setup(pg_catalog.text)"))
		si_fatal("the installed socialinvest has no monitor_setup(text) (it is older than 0.3.0); run ALTER EXTENSION socialinvest UPDATE");
	m->q_schema = si_quote_ident(m->conn, m->schema);
	m->q_staging = si_quote_ident(m->conn, m->staging);
}

/*
 * One run per published schema at a time: a session-level advisory lock on
 * (7420103, hashtext(quoted schema)), held until the connection closes.
 * Without --wait a second run exits 3 at once, naming the holder.
 */
static void
mon_lock(Monitor *m)
{
	SiBuf		b;
	const char *params[1];
	char	   *got;
	PGresult   *res;

	params[0] = m->q_schema;
	buf_init(&b);
	if (m->wait)
	{
		buf_printf(&b, "SELECT pg_catalog.pg_advisory_lock(%d, pg_catalog.hashtext($1))", SI_LOCK_MONITOR);
		PQclear(run_params(m->conn, b.data, 1, params));
		buf_free(&b);
		return;
	}
	buf_printf(&b, "SELECT pg_catalog.pg_try_advisory_lock(%d, pg_catalog.hashtext($1))", SI_LOCK_MONITOR);
	got = mon_query_value(m->conn, b.data, 1, params);
	buf_reset(&b);
	if (got != NULL && strcmp(got, "t") == 0)
	{
		free(got);
		buf_free(&b);
		return;
	}
	buf_printf(&b,
			   "SELECT l.pid, COALESCE(a.application_name, ''), "
			   "COALESCE(pg_catalog.to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '?') "
			   "FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
			   "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %d::pg_catalog.oid "
			   "AND l.objid::pg_catalog.int8 = (pg_catalog.hashtext($1)::pg_catalog.int8 & 4294967295) "
			   "AND l.objsubid = 2 LIMIT 1", SI_LOCK_MONITOR);
	res = run_params(m->conn, b.data, 1, params);
	buf_reset(&b);
	if (PQntuples(res) == 1)
		buf_printf(&b, " (server process %s, application \"%s\", connected %s)",
				   PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	PQclear(res);
	si_fatal_note = "this run changed nothing";
	si_fatal("another si_monitor run of schema %s is running%s; it holds the advisory lock (%d, hashtext('%s')). Try again when it has finished, or run with --wait to wait for it",
			 m->schema, b.data, SI_LOCK_MONITOR, m->q_schema);
}

static void
check_report_target(const char *path)
{
	char	   *copy = strdup(path);
	char	   *dir = dirname(copy);

	if (path[0] == '\0')
		mon_config_error("--report/--out must not be empty");
	if (monitor_report == NULL)
		mon_config_error("this si_monitor was built without the report renderer, so it cannot write %s; run without --report",
						 path);
	if (access(dir, W_OK) != 0)
		mon_config_error("cannot write the report %s: directory %s: %s", path, dir, strerror(errno));
	free(copy);
}

static int
do_report(Monitor *m, bool published)
{
	double		t = mon_now();
	int			rc;

	rc = monitor_report(m->conn, m->schema, m->report, m->lang);
	if (rc != SI_MON_OK)
	{
		fprintf(stderr, "si_monitor: error: the report %s was not written (exit status %d)%s\n",
				m->report, rc,
				published ? "; the extract itself was published (committed)" : "");
		return rc;
	}
	mon_log(m, "report", t, -1, "file=%s lang=%s", m->report, m->lang);
	return SI_MON_OK;
}

static int
cmd_run(Monitor *m)
{
	double		t0 = mon_now();
	double		t;
	long long	rejected;

	if (m->extract_root == NULL)
		mon_config_error("run needs --extract DIR (the directory of the extract date directories)");
	if (m->report)
		check_report_target(m->report);

	t = mon_now();
	mon_find_extract(m);
	mon_log(m, "extract", t, -1, "date=%s dir=%s", m->extract_date, m->extract_dir);

	/* from here on errors are database errors (exit 3) unless said otherwise */
	si_fatal_status = SI_MON_DATABASE;
	si_fatal_note = "the published tables are unchanged";
	t = mon_now();
	mon_connect(m);
	mon_log(m, "connect", t, -1, "database=%s", PQdb(m->conn));
	t = mon_now();
	mon_lock(m);
	mon_log(m, "lock", t, -1, "key=%d", SI_LOCK_MONITOR);

	t = mon_now();
	mon_stage_prepare(m);
	mon_log(m, "staging", t, -1, "staging_schema=%s", m->staging);
	mon_load_dream(m);
	mon_stage_tables(m);
	t = mon_now();
	rejected = mon_stage_report_rejects(m);
	if (rejected > 0)
	{
		mon_log(m, "rejected", t0, rejected, "status=rejected see=%s.load_reject", m->q_staging);
		fprintf(stderr, "si_monitor: error: %lld rows of the extract %s were rejected (listed above and in %s.load_reject); the published tables are unchanged\n",
				rejected, m->extract_dir, m->q_staging);
		PQfinish(m->conn);
		return SI_MON_REJECTED;
	}

	mon_publish(m);
	mon_stage_drop(m);

	si_fatal_note = "the extract was published (committed); only the report failed";
	if (m->report)
	{
		int			rc = do_report(m, true);

		if (rc != SI_MON_OK)
		{
			PQfinish(m->conn);
			return rc;
		}
	}
	PQfinish(m->conn);
	mon_log(m, "done", t0, -1, "status=ok date=%s", m->extract_date);
	return SI_MON_OK;
}

static int
cmd_report(Monitor *m)
{
	double		t0 = mon_now();
	int			rc;

	if (m->report == NULL)
		mon_config_error("report needs --out FILE");
	if (m->extract_root != NULL)
		mon_config_error("report takes no --extract (it reads the published schema)");
	check_report_target(m->report);
	si_fatal_status = SI_MON_DATABASE;
	si_fatal_note = NULL;
	mon_connect(m);
	rc = do_report(m, false);
	PQfinish(m->conn);
	if (rc == SI_MON_OK)
		mon_log(m, "done", t0, -1, "status=ok");
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"extract", required_argument, NULL, 'x'},
		{"db", required_argument, NULL, 'd'},
		{"dbname", required_argument, NULL, 'd'},
		{"schema", required_argument, NULL, 's'},
		{"report", required_argument, NULL, 'r'},
		{"out", required_argument, NULL, 'r'},
		{"lang", required_argument, NULL, 'l'},
		{"wait", no_argument, NULL, 'w'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	Monitor		m;
	const char *cmd;
	int			c;
	SiBuf		b;

	memset(&m, 0, sizeof(m));
	si_progname = "si_monitor";
	si_fatal_status = SI_MON_CONFIG;
	si_fatal_note = NULL;
	si_signals_install();
	m.lang = "da";
	m.argv0 = argv[0];

	if (argc < 2)
	{
		usage(stderr);
		return SI_MON_CONFIG;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
	{
		usage(stdout);
		return SI_MON_OK;
	}
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "report") != 0)
	{
		fprintf(stderr, "si_monitor: error: unknown command \"%s\" (run or report)\n"
				"Try \"si_monitor --help\".\n", cmd);
		return SI_MON_CONFIG;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "d:s:qh", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'x':
				m.extract_root = optarg;
				break;
			case 'd':
				m.conninfo = optarg;
				break;
			case 's':
				m.schema = optarg;
				break;
			case 'r':
				m.report = optarg;
				break;
			case 'l':
				if (strcmp(optarg, "da") != 0 && strcmp(optarg, "en") != 0)
					mon_config_error("--lang must be da or en, not \"%s\"", optarg);
				m.lang = optarg;
				break;
			case 'w':
				m.wait = true;
				break;
			case 'q':
				m.quiet = true;
				break;
			case 'h':
				usage(stdout);
				return SI_MON_OK;
			default:
				fputs("Try \"si_monitor --help\".\n", stderr);
				return SI_MON_CONFIG;
		}
	}
	if (optind != argc)
		mon_config_error("unexpected argument \"%s\"", argv[optind]);
	if (m.schema == NULL || m.schema[0] == '\0')
		mon_config_error("give the published schema with --schema NAME");
	/* NAME_staging must fit PostgreSQL's 63-byte identifiers */
	if (strlen(m.schema) > 63 - strlen("_staging"))
		mon_config_error("--schema %s is too long: at most %d bytes, so that %s_staging fits in 63",
						 m.schema, (int) (63 - strlen("_staging")), m.schema);
	buf_init(&b);
	buf_printf(&b, "%s_staging", m.schema);
	m.staging = b.data;
	m.progress = !m.quiet && isatty(STDERR_FILENO);

	return strcmp(cmd, "run") == 0 ? cmd_run(&m) : cmd_report(&m);
}
