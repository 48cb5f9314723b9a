/*
 * si_load.c — command-line loader for DREAM wide files and spell files.
 *
 * One run loads one file inside one transaction:
 *   1. connect (libpq: conninfo from -d, else the PG* environment),
 *   2. create the target tables if missing, lock them against other loads,
 *   3. stream the file line by line into a temporary staging table with
 *      COPY FROM STDIN (load_wide.c / load_spell.c): good lines as data,
 *      bad lines as reject rows; only one line is held in memory,
 *   4. in SQL: reject duplicate persons / overlapping spells, replace the
 *      rows of the persons in the file for the file's period, replace the
 *      file's reject rows,
 *   5. commit. Any error before the commit is fatal: nothing is committed.
 * Exit status: 0 all lines loaded, 1 some lines rejected (the rest
 * committed), 2 fatal (nothing committed). See docs/loader.md.
 */
#include "si_load.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void
usage(FILE *out)
{
	fputs(
		  "si_load loads a DREAM wide file or a spell file into tables (docs/loader.md).\n"
		  "\n"
		  "Usage: si_load [OPTION]... FILE        (FILE \"-\" reads standard input)\n"
		  "\n"
		  "Input:\n"
		  "  --spells               FILE is a spell file (person, from, to, code),\n"
		  "                         not a DREAM wide file\n"
		  "  --separator=C          field separator ';' ',' or 'tab' (default: detected\n"
		  "                         from the header)\n"
		  "  --person-column=NAME   header name of the person id (default PNR)\n"
		  "  --null=TEXT            also read TEXT (e.g. NA or .) as \"no benefit\";\n"
		  "                         an empty field always is\n"
		  "  --encoding=ENC         encoding of the file (default UTF8)\n"
		  "  --name=LABEL           file name recorded in the tables (default: FILE as\n"
		  "                         given); a re-run with the same name replaces the\n"
		  "                         file's reject rows\n"
		  "Target:\n"
		  "  -d, --dbname=CONNINFO  database name or connection string (default: PG*\n"
		  "                         environment variables)\n"
		  "  -s, --schema=NAME      schema of the tables (default: current schema;\n"
		  "                         created if missing)\n"
		  "  --prefix=NAME          table name prefix (default dream): NAME_week,\n"
		  "                         NAME_person, NAME_path, NAME_spell, NAME_reject\n"
		  "  --no-path              do not fill NAME_path even if the benefit_path type\n"
		  "                         exists\n"
		  "  --no-weeks             wide files: fill NAME_person and NAME_path only, not\n"
		  "                         NAME_week (one row per person instead of one per\n"
		  "                         benefit week: many times faster; needs the\n"
		  "                         benefit_path type)\n"
		  "Other:\n"
		  "  -q, --quiet            no progress line and no summary\n"
		  "  --help                 show this help and exit\n"
		  "\n"
		  "Exit status: 0 every line loaded; 1 some lines rejected (see NAME_reject),\n"
		  "the others committed; 2 fatal error, nothing committed.\n",
		  out);
}

/* Quoted identifier, malloc'd. */
static char *
quote_ident(PGconn *conn, const char *name)
{
	char	   *q = PQescapeIdentifier(conn, name, strlen(name));
	char	   *r;

	if (q == NULL)
		si_fatal("cannot quote identifier \"%s\": %s", name, PQerrorMessage(conn));
	r = strdup(q);
	PQfreemem(q);
	return r;
}

static char *
qualified(PGconn *conn, const char *qschema, const char *prefix,
		  const char *suffix)
{
	SiBuf		b;
	char	   *q;

	buf_init(&b);
	buf_printf(&b, "%s_%s", prefix, suffix);
	q = quote_ident(conn, b.data);
	buf_reset(&b);
	buf_printf(&b, "%s.%s", qschema, q);
	free(q);
	return b.data;
}

char *
sql_expand(const SiLoad *ld, const char *tmpl)
{
	static const char *const keys[] = {
		"@week@", "@person@", "@path@", "@spell@", "@reject@", "@pathtype@", "@ext@"
	};
	const char *vals[7];
	SiBuf		b;
	const char *p = tmpl;

	vals[0] = ld->t_week;
	vals[1] = ld->t_person;
	vals[2] = ld->t_path;
	vals[3] = ld->t_spell;
	vals[4] = ld->t_reject;
	vals[5] = ld->path_type;
	vals[6] = ld->ext_schema;
	buf_init(&b);
	while (*p)
	{
		int			k;
		bool		hit = false;

		if (*p == '@')
			for (k = 0; k < 7; k++)
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

/*
 * Interrupted: leave at once with status 2. Closing the connection makes
 * the server roll the transaction back, so nothing is committed.
 */
static void
on_signal(int signo)
{
	static const char msg[] = "\nsi_load: interrupted; nothing was committed\n";
	ssize_t		rc;

	(void) signo;
	rc = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void) rc;
	_exit(SI_EXIT_FATAL);
}

static void
notice_processor(void *arg, const char *message)
{
	(void) arg;
	fprintf(stderr, "si_load: server: %s", message);
}

/* Create the schema and tables that are missing; lock them against other loads. */
static void
prepare_targets(SiLoad *ld, const char *schema, const char *prefix,
				bool spells, bool want_path)
{
	PGresult   *res;
	char	   *qschema;
	const char *params[1];

	if (schema == NULL)
	{
		res = run_params(ld->conn, "SELECT current_schema()", 0, NULL);
		if (PQgetisnull(res, 0, 0))
			si_fatal("no current schema (search_path is empty); give one with --schema");
		schema = strdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	qschema = quote_ident(ld->conn, schema);
	params[0] = schema;
	res = run_params(ld->conn,
					 "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
					 1, params);
	if (PQntuples(res) == 0)
	{
		SiBuf		b;

		buf_init(&b);
		buf_printf(&b, "CREATE SCHEMA %s", qschema);
		run_cmd(ld->conn, b.data);
		buf_free(&b);
	}
	PQclear(res);

	ld->t_week = qualified(ld->conn, qschema, prefix, "week");
	ld->t_person = qualified(ld->conn, qschema, prefix, "person");
	ld->t_path = qualified(ld->conn, qschema, prefix, "path");
	ld->t_spell = qualified(ld->conn, qschema, prefix, "spell");
	ld->t_reject = qualified(ld->conn, qschema, prefix, "reject");

	/* The benefit_path type of the socialinvest extension, if installed. */
	ld->path_type = NULL;
	if (want_path && !spells)
	{
		res = run_params(ld->conn,
						 "SELECT n.nspname, t.typname FROM pg_catalog.pg_extension e "
						 "JOIN pg_catalog.pg_type t ON t.typnamespace = e.extnamespace "
						 "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
						 "WHERE e.extname = 'socialinvest' AND t.typname = 'benefit_path'",
						 0, NULL);
		if (PQntuples(res) == 1)
		{
			char	   *qn = quote_ident(ld->conn, PQgetvalue(res, 0, 0));
			char	   *qt = quote_ident(ld->conn, PQgetvalue(res, 0, 1));
			SiBuf		b;

			buf_init(&b);
			buf_printf(&b, "%s.%s", qn, qt);
			ld->path_type = b.data;
			ld->ext_schema = qn;
			free(qt);
		}
		else if (ld->no_weeks)
			si_fatal("--no-weeks: type benefit_path not found (extension socialinvest 0.2.0 or later is not installed in this database), so the paths cannot hold the weeks; install it or load without --no-weeks");
		else
			fprintf(stderr,
					"si_load: notice: type benefit_path not found (extension socialinvest 0.2.0 or later is not installed in this database); paths are not loaded\n");
		PQclear(res);
	}

	/*
	 * One prefix, one mode: the week table and the path table hold the same
	 * weeks only while every wide load fills both, or every load fills the
	 * paths alone. A --no-weeks load would leave the week table with the
	 * old weeks of the file's period; a load with weeks after --no-weeks
	 * loads would start a week table without the earlier files' weeks.
	 */
	if (ld->path_type != NULL)
	{
		const char *rels[2];
		bool		has_week,
					has_path;

		rels[0] = ld->t_week;
		rels[1] = ld->t_path;
		res = run_params(ld->conn,
						 "SELECT pg_catalog.to_regclass($1) IS NOT NULL, pg_catalog.to_regclass($2) IS NOT NULL",
						 2, rels);
		has_week = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		has_path = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		PQclear(res);
		if (ld->no_weeks && has_week)
			si_fatal("--no-weeks: table %s exists (filled by loads without --no-weeks), and this load would replace the file's weeks in the paths but not in that table, so the two would disagree; load without --no-weeks, or drop %s first (the paths keep every week)",
					 ld->t_week, ld->t_week);
		if (!ld->no_weeks && has_path && !has_week)
			si_fatal("table %s exists without %s (earlier loads used --no-weeks), and a load with weeks would start a week table without their weeks; load with --no-weeks, or first rebuild %s from the paths (path_runs)",
					 ld->t_path, ld->t_week, ld->t_week);
	}

	if (!ld->no_weeks)
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @week@ (person_id text NOT NULL, "
				  "week date NOT NULL, code integer NOT NULL, PRIMARY KEY (person_id, week))",
				  0, NULL);
	exec_tmpl(ld,
			  "CREATE TABLE IF NOT EXISTS @reject@ (file text NOT NULL, line bigint NOT NULL, "
			  "\"column\" text, reason text NOT NULL, raw text, "
			  "loaded_at timestamptz NOT NULL DEFAULT now())",
			  0, NULL);
	if (spells)
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @spell@ (person_id text NOT NULL, "
				  "from_date date NOT NULL, to_date date NOT NULL, code integer NOT NULL, "
				  "file text, line bigint, CHECK (from_date <= to_date))",
				  0, NULL);
	else
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @person@ (person_id text PRIMARY KEY, "
				  "first_week date NOT NULL, last_week date NOT NULL, background jsonb, "
				  "file text, line bigint, loaded_at timestamptz NOT NULL DEFAULT now())",
				  0, NULL);
	if (ld->path_type != NULL)
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @path@ (person_id text PRIMARY KEY, "
				  "path @pathtype@ NOT NULL)",
				  0, NULL);

	/* Self-conflicting lock: loads into these tables run one at a time; reads go on. */
	exec_tmpl(ld, spells ?
			  "LOCK TABLE @week@, @spell@, @reject@ IN SHARE ROW EXCLUSIVE MODE" :
			  ld->no_weeks ?
			  "LOCK TABLE @person@, @path@, @reject@ IN SHARE ROW EXCLUSIVE MODE" :
			  ld->path_type ?
			  "LOCK TABLE @week@, @person@, @path@, @reject@ IN SHARE ROW EXCLUSIVE MODE" :
			  "LOCK TABLE @week@, @person@, @reject@ IN SHARE ROW EXCLUSIVE MODE",
			  0, NULL);
	free(qschema);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"spells", no_argument, NULL, 'S'},
		{"separator", required_argument, NULL, 'F'},
		{"person-column", required_argument, NULL, 'P'},
		{"null", required_argument, NULL, 'N'},
		{"encoding", required_argument, NULL, 'E'},
		{"name", required_argument, NULL, 'L'},
		{"dbname", required_argument, NULL, 'd'},
		{"schema", required_argument, NULL, 's'},
		{"prefix", required_argument, NULL, 'p'},
		{"no-path", no_argument, NULL, 'X'},
		{"no-weeks", no_argument, NULL, 'W'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	SiLoad		ld;
	const char *conninfo = NULL;
	const char *schema = NULL;
	const char *prefix = "dream";
	const char *encoding = "UTF8";
	bool		spells = false,
				want_path = true,
				quiet = false;
	int			c;
	PGresult   *res;
	const char *params[1];

	memset(&ld, 0, sizeof(ld));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	ld.person_column = "PNR";
	while ((c = getopt_long(argc, argv, "d:s:qh", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'S':
				spells = true;
				break;
			case 'F':
				if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
					ld.sep = '\t';
				else if (strcmp(optarg, ";") == 0 || strcmp(optarg, ",") == 0 ||
						 strcmp(optarg, "|") == 0)
					ld.sep = optarg[0];
				else
					si_fatal("--separator must be ';', ',', '|' or 'tab', not \"%s\"", optarg);
				break;
			case 'P':
				ld.person_column = optarg;
				break;
			case 'N':
				ld.null_marker = optarg;
				break;
			case 'E':
				encoding = optarg;
				break;
			case 'L':
				ld.label = optarg;
				break;
			case 'd':
				conninfo = optarg;
				break;
			case 's':
				schema = optarg;
				break;
			case 'p':
				prefix = optarg;
				break;
			case 'X':
				want_path = false;
				break;
			case 'W':
				ld.no_weeks = true;
				break;
			case 'q':
				quiet = true;
				break;
			case 'h':
				usage(stdout);
				return SI_EXIT_OK;
			default:
				fputs("Try \"si_load --help\".\n", stderr);
				return SI_EXIT_FATAL;
		}
	}
	if (optind != argc - 1)
	{
		fputs("si_load: error: give exactly one input FILE (\"-\" for standard input)\n"
			  "Try \"si_load --help\".\n", stderr);
		return SI_EXIT_FATAL;
	}
	if (ld.no_weeks && spells)
		si_fatal("--no-weeks is for DREAM wide files; a spell file fills NAME_week and NAME_spell");
	if (ld.no_weeks && !want_path)
		si_fatal("--no-weeks and --no-path together would load no weeks at all; drop one of them");
	if (prefix[0] == '\0' || strlen(prefix) > 50)
		si_fatal("--prefix must have 1 to 50 characters");
	ld.input = argv[optind];
	if (ld.label == NULL)
		ld.label = strcmp(ld.input, "-") == 0 ? "stdin" : ld.input;
	if (ld.label[0] == '\0')
		si_fatal("--name must not be empty");
	ld.utf8 = strcasecmp(encoding, "UTF8") == 0 || strcasecmp(encoding, "UTF-8") == 0;
	ld.progress = !quiet && isatty(STDERR_FILENO);

	if (strcmp(ld.input, "-") == 0)
		ld.fp = stdin;
	else if ((ld.fp = fopen(ld.input, "r")) == NULL)
		si_fatal("cannot open \"%s\": %m", ld.input);

	if (conninfo != NULL)
	{
		const char *keys[] = {"dbname", "fallback_application_name", NULL};
		const char *vals[] = {conninfo, "si_load", NULL};

		ld.conn = PQconnectdbParams(keys, vals, 1);
	}
	else
	{
		const char *keys[] = {"fallback_application_name", NULL};
		const char *vals[] = {"si_load", NULL};

		ld.conn = PQconnectdbParams(keys, vals, 1);
	}
	if (ld.conn == NULL || PQstatus(ld.conn) != CONNECTION_OK)
		si_fatal("cannot connect: %s", ld.conn ? PQerrorMessage(ld.conn) : "out of memory");
	PQsetNoticeProcessor(ld.conn, notice_processor, NULL);
	if (PQsetClientEncoding(ld.conn, encoding) != 0)
		si_fatal("--encoding: \"%s\" is not an encoding PostgreSQL knows", encoding);

	run_cmd(ld.conn, "BEGIN");
	run_cmd(ld.conn, "SET LOCAL client_min_messages = warning");
	prepare_targets(&ld, schema, prefix, spells, want_path);
	progress_init(&ld.prog, ld.progress);

	if (spells)
		load_spells(&ld);
	else
		load_wide(&ld);

	/* The file's reject rows replace those of any earlier run of it. */
	params[0] = ld.label;
	exec_tmpl(&ld, "DELETE FROM @reject@ WHERE file = $1", 1, params);
	exec_tmpl(&ld,
			  "INSERT INTO @reject@ (file, line, \"column\", reason, raw, loaded_at) "
			  "SELECT $1, line, col, reason, raw, now() FROM pg_temp.si_load_stage "
			  "WHERE reason IS NOT NULL ORDER BY line",
			  1, params);
	res = run_params(ld.conn,
					 "SELECT count(*) FILTER (WHERE reason IS NULL), "
					 "count(*) FILTER (WHERE reason IS NOT NULL) FROM pg_temp.si_load_stage",
					 0, NULL);
	ld.loaded = atoll(PQgetvalue(res, 0, 0));
	ld.rejected = atoll(PQgetvalue(res, 0, 1));
	PQclear(res);

	run_cmd(ld.conn, "COMMIT");
	PQfinish(ld.conn);
	if (ld.fp != stdin)
		fclose(ld.fp);
	if (!quiet)
		printf("si_load: %s: %lld lines, %lld loaded, %lld rejected%s%s%s\n",
			   ld.label, ld.lines, ld.loaded, ld.rejected,
			   ld.rejected ? " (see " : "", ld.rejected ? ld.t_reject : "",
			   ld.rejected ? ")" : "");
	return ld.rejected > 0 ? SI_EXIT_REJECTS : SI_EXIT_OK;
}
