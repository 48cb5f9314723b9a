/*
 * monitor_publish.c — the published schema takes the checked extract in
 * ONE transaction: monitor_setup(schema) (creates the tables on the first
 * run), the rows of person, observation_period, person_path, programme,
 * course, progression_score, goal (and progression_item when the extract
 * has it) replaced by those of the staging schema, then
 * monitor_refresh(schema, extract date) (the period's states, one batch per
 * extract date: a rerun replaces it), monitor_create_views(schema) (the BI
 * views the report reads; both calls only when the installed extension has
 * the function), COMMIT. Readers see the old
 * rows until the commit and the new ones after it, never a mix; a failure
 * anywhere rolls everything back (exit 3), so the previous published state
 * stays intact. Rows are replaced with DELETE, not TRUNCATE, so readers
 * (BI tools, the report) are not blocked while it runs.
 *
 * One step of si_monitor; must not call into the other steps.
 */
#include "si_monitor.h"

#include <stdlib.h>
#include <string.h>

/* delete children before parents, insert parents before children */
static const char *const publish_order[] = {
	"programme", "progression_item", "person", "observation_period",
	"person_path", "course", "progression_score", "goal"
};
#define NPUBLISH ((int) (sizeof(publish_order) / sizeof(publish_order[0])))

/* Did the extract have progression_item.csv (else the published items stay)? */
static bool
has_file(const Monitor *m, const char *table)
{
	int			i;

	if (strcmp(table, "person_path") == 0)
		return true;
	for (i = 0; i < mon_ntables; i++)
		if (strcmp(mon_tables[i].name, table) == 0)
		{
			char	   *path;
			bool		ok;
			FILE	   *fp;

			if (!mon_tables[i].optional)
				return true;
			path = mon_extract_file(m, table);
			fp = fopen(path, "r");
			ok = fp != NULL;
			if (fp)
				fclose(fp);
			free(path);
			return ok;
		}
	return false;
}

/* Quoted column list of a staging table. */
static char *
column_list(Monitor *m, const char *qtable_staging)
{
	const char *params[1];
	char	   *v;

	params[0] = qtable_staging;
	v = mon_query_value(m->conn,
						"SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum) "
						"FROM pg_catalog.pg_attribute a WHERE a.attrelid = pg_catalog.to_regclass($1) "
						"AND a.attnum > 0 AND NOT a.attisdropped", 1, params);
	if (v == NULL)
		si_fatal("table %s not found in the staging schema", qtable_staging);
	return v;
}

void
mon_publish(Monitor *m)
{
	double		t = mon_now();
	double		tr;
	SiBuf		b;
	SiBuf		s;
	const char *params[3];
	PGresult   *res;
	long long	rows = 0;
	int			i;
	bool		take[NPUBLISH];

	buf_init(&b);
	buf_init(&s);
	run_cmd(m->conn, "BEGIN");
	buf_printf(&b, "CREATE SCHEMA IF NOT EXISTS %s", m->q_schema);
	run_cmd(m->conn, b.data);
	buf_reset(&b);
	buf_printf(&b, "SELECT %s.monitor_setup($1)", m->q_ext);
	params[0] = m->schema;
	PQclear(run_params(m->conn, b.data, 1, params));

	/* other writers wait until the commit; readers go on */
	buf_reset(&b);
	buf_puts(&b, "LOCK TABLE ");
	for (i = 0; i < NPUBLISH; i++)
	{
		char	   *qt = si_quote_ident(m->conn, publish_order[i]);

		take[i] = has_file(m, publish_order[i]);
		buf_printf(&b, "%s%s.%s", i ? ", " : "", m->q_schema, qt);
		free(qt);
	}
	buf_puts(&b, " IN SHARE ROW EXCLUSIVE MODE");
	run_cmd(m->conn, b.data);

	for (i = NPUBLISH - 1; i >= 0; i--)
	{
		char	   *qt;

		if (!take[i])
			continue;
		qt = si_quote_ident(m->conn, publish_order[i]);
		buf_reset(&b);
		buf_printf(&b, "DELETE FROM %s.%s", m->q_schema, qt);
		run_cmd(m->conn, b.data);
		free(qt);
	}
	for (i = 0; i < NPUBLISH; i++)
	{
		char	   *qt;
		char	   *cols;
		long long	n;
		double		tt = mon_now();

		if (!take[i])
			continue;
		qt = si_quote_ident(m->conn, publish_order[i]);
		buf_reset(&s);
		buf_printf(&s, "%s.%s", m->q_staging, qt);
		cols = column_list(m, s.data);
		buf_reset(&b);
		buf_printf(&b, "INSERT INTO %s.%s (%s) SELECT %s FROM %s.%s",
				   m->q_schema, qt, cols, cols, m->q_staging, qt);
		res = run_params(m->conn, b.data, 0, NULL);
		n = atoll(PQcmdTuples(res));
		rows += n;
		PQclear(res);
		buf_reset(&b);
		buf_printf(&b, "ANALYZE %s.%s", m->q_schema, qt);
		run_cmd(m->conn, b.data);
		mon_log(m, "replace", tt, n, "table=%s", publish_order[i]);
		free(cols);
		free(qt);
	}

	/* the period's states: monitor_refresh (goals and batches, issue 14) */
	tr = mon_now();
	if (mon_has_function(m, "monitor_refresh(pg_catalog.text, pg_catalog.date, pg_catalog.text)"))
	{
		buf_reset(&b);
		buf_printf(&b, "SELECT %s.monitor_refresh($1, $2::pg_catalog.date, $3)", m->q_ext);
		buf_reset(&s);
		buf_printf(&s, "si_monitor: %s", m->extract_dir);
		params[0] = m->schema;
		params[1] = m->extract_date;
		params[2] = s.data;
		res = run_params(m->conn, b.data, 3, params);
		mon_log(m, "refresh", tr, PQgetisnull(res, 0, 0) ? 0 : atoll(PQgetvalue(res, 0, 0)),
				"extract_date=%s", m->extract_date);
		PQclear(res);
	}
	else
		mon_log(m, "refresh", tr, -1,
				"status=skipped reason=\"monitor_refresh(text, date, text) is not installed\"");

	/* the BI views the report reads (monitor_create_views, issue 14) */
	tr = mon_now();
	if (mon_has_function(m, "monitor_create_views(pg_catalog.text)"))
	{
		/*
		 * In a savepoint: views that cannot be made (an extension whose
		 * monitoring functions are incomplete, a user's object in the way)
		 * do not stop the data from being published; the warning says so,
		 * and the report, which needs them, then fails with its own message.
		 */
		run_cmd(m->conn, "SAVEPOINT si_views");
		buf_reset(&b);
		buf_printf(&b, "SELECT %s.monitor_create_views($1)", m->q_ext);
		params[0] = m->schema;
		si_check_interrupt();
		res = PQexecParams(m->conn, b.data, 1, NULL, params, NULL, NULL, 0);
		si_check_interrupt();
		if (PQresultStatus(res) == PGRES_TUPLES_OK)
		{
			run_cmd(m->conn, "RELEASE SAVEPOINT si_views");
			mon_log(m, "views", tr, -1, "status=ok");
		}
		else
		{
			const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			if (state == NULL)	/* no answer from the server */
				si_fatal_result(m->conn, res, "");
			fprintf(stderr, "si_monitor: warning: the BI views of %s could not be (re)created: %s (SQLSTATE %s); the extract is published without them\n",
					m->q_schema, msg ? msg : "unknown error", state);
			run_cmd(m->conn, "ROLLBACK TO SAVEPOINT si_views");
			run_cmd(m->conn, "RELEASE SAVEPOINT si_views");
			mon_log(m, "views", tr, -1, "status=failed sqlstate=%s", state);
		}
		PQclear(res);
	}
	else
		mon_log(m, "views", tr, -1,
				"status=skipped reason=\"monitor_create_views(text) is not installed\"");

	res = si_commit(m->conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		if (PQresultErrorField(res, PG_DIAG_SQLSTATE) == NULL)
		{
			fprintf(stderr, "si_monitor: error: COMMIT failed: %s"
					"si_monitor: the connection failed during the COMMIT, so whether the extract was published is unknown; check %s.monitor_batch, or run again (runs are idempotent)\n",
					PQerrorMessage(m->conn), m->q_schema);
			exit(SI_MON_DATABASE);
		}
		si_fatal_result(m->conn, res, "COMMIT failed: ");
	}
	PQclear(res);
	mon_log(m, "publish", t, rows, "extract_date=%s", m->extract_date);
	if (si_signal_after_commit() != 0)
		fprintf(stderr, "si_monitor: a signal arrived during the COMMIT and was held until it finished: the extract is published\n");
	buf_free(&b);
	buf_free(&s);
}
