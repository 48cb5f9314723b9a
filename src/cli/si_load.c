/*
 * si_load.c — command-line loader for DREAM wide files and spell files.
 *
 * One run loads one file inside one transaction:
 *   1. connect (libpq: conninfo from -d, else the PG* environment),
 *   2. create the target tables if missing, lock them against other loads,
 *   3. stream the file line by line into a temporary staging table with
 *      COPY FROM STDIN (load_wide.c / load_spell.c, through load_stage.c):
 *      good lines as data, bad lines as reject rows; only one line is held
 *      in memory (--jobs=N: N forked workers stage chunks of a wide file
 *      into an unlogged table over their own connections, committed, and
 *      the staging table becomes a view on it; see load_stage.c),
 *   4. in SQL: reject duplicate persons / overlapping spells, replace the
 *      rows of the persons in the file for the file's period, replace the
 *      file's reject rows,
 *   5. commit. Any error before the commit is fatal: nothing is committed.
 * Exit status: 0 all lines loaded, 1 some lines rejected (the rest
 * committed), 2 fatal (nothing committed), 128 + signal number when
 * interrupted (130 SIGINT, 143 SIGTERM; nothing committed, see
 * load_signal.c). See docs/loader.md.
 *
 * The session runs with an empty search_path (only pg_catalog and, for
 * relations, pg_temp are searched), so no object of another user can
 * capture an operator, type or function the loader's SQL uses; functions
 * are written pg_catalog-qualified anyway, tables schema-qualified and
 * quoted, values sent as parameters or COPY data.
 *
 * Owns options, the connection, the target tables and the transaction.
 * The loaders (load_wide.c, load_spell.c) are called from here and must
 * not call back: what they share is in load_stage.c.
 */
#include "load_stage.h"

#include <getopt.h>
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
		  "  --person-id=TYPE       text (keeps ids as written) or bigint (ids must be\n"
		  "                         whole numbers without leading zeros); default: the\n"
		  "                         type of existing tables, else text\n"
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
		  "  --jobs=N               wide files: stage the lines in N worker processes,\n"
		  "                         each with its own connection, over N chunks of the\n"
		  "                         file cut at line boundaries (default 1; FILE must\n"
		  "                         be a regular file); the targets still change in\n"
		  "                         one transaction\n"
		  "Other:\n"
		  "  -q, --quiet            no progress line and no summary\n"
		  "  --help                 show this help and exit\n"
		  "\n"
		  "Exit status: 0 every line loaded; 1 some lines rejected (see NAME_reject),\n"
		  "the others committed; 2 fatal error, nothing committed; 130 (SIGINT, Ctrl-C),\n"
		  "143 (SIGTERM), 129 (SIGHUP): interrupted, the running statement cancelled,\n"
		  "nothing committed.\n",
		  out);
}

static char *
qualified(PGconn *conn, const char *qschema, const char *prefix,
		  const char *suffix)
{
	SiBuf		b;
	char	   *q;

	buf_init(&b);
	buf_printf(&b, "%s_%s", prefix, suffix);
	q = si_quote_ident(conn, b.data);
	buf_reset(&b);
	buf_printf(&b, "%s.%s", qschema, q);
	free(q);
	return b.data;
}

/*
 * --person-id against the tables that exist: every person_id column of one
 * prefix has one type, so that the tables join. Without the option the
 * existing tables decide (else text).
 */
static void
resolve_person_id_type(SiLoad *ld)
{
	const char *tables[4];
	const char *found_table = NULL;
	int			found = PERSON_ID_AUTO;
	int			i;

	tables[0] = ld->t_week;
	tables[1] = ld->t_person;
	tables[2] = ld->t_path;
	tables[3] = ld->t_spell;
	for (i = 0; i < 4; i++)
	{
		const char *params[1];
		PGresult   *res;
		int			t;

		params[0] = tables[i];
		res = run_params(ld->conn,
						 "SELECT a.atttypid IN ('pg_catalog.int8'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype, "
						 "'pg_catalog.int2'::pg_catalog.regtype), pg_catalog.format_type(a.atttypid, NULL) "
						 "FROM pg_catalog.pg_attribute a WHERE a.attrelid = pg_catalog.to_regclass($1) "
						 "AND a.attname = 'person_id' AND a.attnum > 0 AND NOT a.attisdropped",
						 1, params);
		if (PQntuples(res) != 1)
		{
			PQclear(res);
			continue;
		}
		t = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? PERSON_ID_BIGINT : PERSON_ID_TEXT;
		if (ld->person_id_type != PERSON_ID_AUTO && t != ld->person_id_type)
			si_fatal("--person-id=%s, but table %s exists with person_id of type %s; load with --person-id=%s, or into another --prefix",
					 ld->person_id_type == PERSON_ID_BIGINT ? "bigint" : "text", tables[i],
					 PQgetvalue(res, 0, 1), t == PERSON_ID_BIGINT ? "bigint" : "text");
		if (found != PERSON_ID_AUTO && t != found)
			si_fatal("tables %s and %s have person_id columns of different types (bigint and text), so they cannot be loaded together; make them agree",
					 found_table, tables[i]);
		found = t;
		found_table = tables[i];
		PQclear(res);
	}
	if (ld->person_id_type == PERSON_ID_AUTO)
		ld->person_id_type = found == PERSON_ID_AUTO ? PERSON_ID_TEXT : found;
	ld->person_bigint = (ld->person_id_type == PERSON_ID_BIGINT);
}

static void
notice_processor(void *arg, const char *message)
{
	(void) arg;
	fprintf(stderr, "si_load: server: %s", message);
}

/*
 * Session settings, before the transaction (si_session_setup): returns the
 * current schema (malloc'd, or NULL), read before search_path is emptied.
 */
static char *
prepare_session(SiLoad *ld)
{
	PGresult   *res;
	char	   *schema = NULL;

	res = run_params(ld->conn, "SELECT pg_catalog.current_schema()", 0, NULL);
	if (!PQgetisnull(res, 0, 0))
		schema = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	si_session_setup(ld->conn);
	return schema;
}

/*
 * Advisory lock of the transaction on (key, hashtext(name)): concurrent
 * loads take it before creating a schema or tables, so the second waits
 * for the first to commit and then finds them (instead of failing with a
 * duplicate key in pg_namespace or pg_type). Documented in docs/loader.md.
 */
#define SI_LOCK_SCHEMA	7420101
#define SI_LOCK_TABLES	7420102

static void
advisory_lock(SiLoad *ld, int key, const char *name)
{
	SiBuf		b;
	const char *params[1];

	params[0] = name;
	buf_init(&b);
	buf_printf(&b, "SELECT pg_catalog.pg_advisory_xact_lock(%d, pg_catalog.hashtext($1))", key);
	PQclear(run_params(ld->conn, b.data, 1, params));
	buf_free(&b);
}

static bool
schema_exists(SiLoad *ld, const char *schema)
{
	const char *params[1];
	PGresult   *res;
	bool		found;

	params[0] = schema;
	res = run_params(ld->conn,
					 "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
					 1, params);
	found = PQntuples(res) > 0;
	PQclear(res);
	return found;
}

/*
 * Concurrent first loads into a new schema: the first creates it, the
 * others wait on the schema's advisory lock until it commits, then find
 * the schema. Loads into an existing schema take no schema lock.
 */
static void
ensure_schema(SiLoad *ld, const char *schema, const char *qschema)
{
	SiBuf		b;

	if (!schema_exists(ld, schema))
	{
		advisory_lock(ld, SI_LOCK_SCHEMA, qschema);
		if (!schema_exists(ld, schema))
		{
			buf_init(&b);
			buf_printf(&b, "CREATE SCHEMA %s", qschema);
			run_cmd(ld->conn, b.data);
			buf_free(&b);
		}
	}
}

/* Create the schema and tables that are missing; lock them against other loads. */
static void
prepare_targets(SiLoad *ld, const char *schema, const char *prefix,
				bool spells, bool want_path)
{
	PGresult   *res;
	char	   *qschema;
	char	   *qprefix;
	SiBuf		b;

	if (schema == NULL)
		si_fatal("no current schema (search_path is empty); give one with --schema");
	qschema = si_quote_ident(ld->conn, schema);
	qprefix = si_quote_ident(ld->conn, prefix);

	ensure_schema(ld, schema, qschema);
	/* Loads into one set of tables (schema and prefix) run one at a time. */
	buf_init(&b);
	buf_printf(&b, "%s.%s", qschema, qprefix);
	advisory_lock(ld, SI_LOCK_TABLES, b.data);
	buf_free(&b);
	free(qprefix);

	ld->t_week = qualified(ld->conn, qschema, prefix, "week");
	ld->t_person = qualified(ld->conn, qschema, prefix, "person");
	ld->t_path = qualified(ld->conn, qschema, prefix, "path");
	ld->t_spell = qualified(ld->conn, qschema, prefix, "spell");
	ld->t_reject = qualified(ld->conn, qschema, prefix, "reject");
	ld->t_stage = qualified(ld->conn, qschema, prefix, "stage");

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
			char	   *qn = si_quote_ident(ld->conn, PQgetvalue(res, 0, 0));
			char	   *qt = si_quote_ident(ld->conn, PQgetvalue(res, 0, 1));
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

	resolve_person_id_type(ld);
	if (!ld->no_weeks)
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @week@ (person_id @pid@ NOT NULL, "
				  "week pg_catalog.date NOT NULL, code integer NOT NULL, PRIMARY KEY (person_id, week))",
				  0, NULL);
	exec_tmpl(ld,
			  "CREATE TABLE IF NOT EXISTS @reject@ (file pg_catalog.text NOT NULL, line bigint NOT NULL, "
			  "\"column\" pg_catalog.text, reason pg_catalog.text NOT NULL, raw pg_catalog.text, "
			  "loaded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now())",
			  0, NULL);
	if (spells)
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @spell@ (person_id @pid@ NOT NULL, "
				  "from_date pg_catalog.date NOT NULL, to_date pg_catalog.date NOT NULL, code integer NOT NULL, "
				  "file pg_catalog.text, line bigint, CHECK (from_date <= to_date))",
				  0, NULL);
	else
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @person@ (person_id @pid@ PRIMARY KEY, "
				  "first_week pg_catalog.date NOT NULL, last_week pg_catalog.date NOT NULL, background pg_catalog.jsonb, "
				  "file pg_catalog.text, line bigint, loaded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now())",
				  0, NULL);
	if (ld->path_type != NULL)
		exec_tmpl(ld,
				  "CREATE TABLE IF NOT EXISTS @path@ (person_id @pid@ PRIMARY KEY, "
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
		{"person-id", required_argument, NULL, 'I'},
		{"null", required_argument, NULL, 'N'},
		{"encoding", required_argument, NULL, 'E'},
		{"name", required_argument, NULL, 'L'},
		{"dbname", required_argument, NULL, 'd'},
		{"schema", required_argument, NULL, 's'},
		{"prefix", required_argument, NULL, 'p'},
		{"no-path", no_argument, NULL, 'X'},
		{"no-weeks", no_argument, NULL, 'W'},
		{"jobs", required_argument, NULL, 'J'},
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
	char	   *current_schema;

	memset(&ld, 0, sizeof(ld));
	ld.jobs = 1;
	si_signals_install();
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
			case 'I':
				if (strcmp(optarg, "text") == 0)
					ld.person_id_type = PERSON_ID_TEXT;
				else if (strcmp(optarg, "bigint") == 0)
					ld.person_id_type = PERSON_ID_BIGINT;
				else
					si_fatal("--person-id must be text or bigint, not \"%s\"", optarg);
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
			case 'J':
				{
					char	   *end;
					long		j = strtol(optarg, &end, 10);

					if (*optarg == '\0' || *end != '\0' || j < 1 || j > 64)
						si_fatal("--jobs must be a whole number from 1 to 64, not \"%s\"", optarg);
					ld.jobs = (int) j;
				}
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
	if (ld.jobs > 1 && spells)
		si_fatal("--jobs is for DREAM wide files; a spell file is loaded by one process (drop --jobs)");
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

	ld.conn = si_connect(conninfo, "cannot connect", notice_processor);
	if (PQsetClientEncoding(ld.conn, encoding) != 0)
		si_fatal("--encoding: \"%s\" is not an encoding PostgreSQL knows", encoding);
	current_schema = prepare_session(&ld);
	ld.conninfo = conninfo;
	ld.encoding = encoding;

	/*
	 * The workers of --jobs stage into a table in the target schema, made
	 * by another session: a new schema is created and committed first (an
	 * empty schema is all a failed load then leaves behind).
	 */
	if (ld.jobs > 1 && (schema || current_schema))
	{
		const char *sch = schema ? schema : current_schema;
		char	   *q = si_quote_ident(ld.conn, sch);

		run_cmd(ld.conn, "BEGIN");
		ensure_schema(&ld, sch, q);
		run_cmd(ld.conn, "COMMIT");
		free(q);
	}

	run_cmd(ld.conn, "BEGIN");
	run_cmd(ld.conn, "SET LOCAL client_min_messages = warning");
	prepare_targets(&ld, schema ? schema : current_schema, prefix, spells,
					want_path);
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
			  "SELECT $1, line, col, reason, raw, pg_catalog.now() FROM pg_temp.si_load_stage "
			  "WHERE reason IS NOT NULL ORDER BY line",
			  1, params);
	res = run_params(ld.conn,
					 "SELECT pg_catalog.count(*) FILTER (WHERE reason IS NULL), "
					 "pg_catalog.count(*) FILTER (WHERE reason IS NOT NULL) FROM pg_temp.si_load_stage",
					 0, NULL);
	ld.loaded = atoll(PQgetvalue(res, 0, 0));
	ld.rejected = atoll(PQgetvalue(res, 0, 1));
	PQclear(res);
	stage_drop(&ld);

	res = si_commit(ld.conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		if (PQresultErrorField(res, PG_DIAG_SQLSTATE) == NULL)
		{
			/* no answer from the server: the outcome is unknown */
			fprintf(stderr, "si_load: error: COMMIT failed: %s"
					"si_load: the connection failed during the COMMIT, so whether the load was committed is unknown; check %s\n",
					PQerrorMessage(ld.conn), ld.t_reject);
			exit(SI_EXIT_FATAL);
		}
		si_fatal_result(ld.conn, res, "COMMIT failed: ");
	}
	PQclear(res);
	PQfinish(ld.conn);
	if (si_signal_after_commit() != 0)
		fprintf(stderr, "si_load: a signal arrived during the COMMIT and was held until it finished: the load is complete and committed\n");
	if (ld.fp != stdin)
		fclose(ld.fp);
	if (!quiet)
		printf("si_load: %s: %lld lines, %lld loaded, %lld rejected%s%s%s\n",
			   ld.label, ld.lines, ld.loaded, ld.rejected,
			   ld.rejected ? " (see " : "", ld.rejected ? ld.t_reject : "",
			   ld.rejected ? ")" : "");
	return ld.rejected > 0 ? SI_EXIT_REJECTS : SI_EXIT_OK;
}
