/*
 * report.c — monitor_report(): the static HTML report of one monitoring
 * schema (docs/monitoring.md, "The report and the BI views").
 *
 * Reads only the schema's BI views (monitor_create_views), in one
 * read-only repeatable-read transaction so every chart shows the same
 * snapshot, with an empty search_path and the schema quoted by libpq.
 * Writes one HTML file without external assets (inline CSS and SVG, no
 * script): to a temporary file next to the target, renamed into place, so
 * a reader never sees half a report.
 *
 * Owns the report's frame (page, queries, tables, sections); the charts
 * are report_charts.c's and report_bench.c's. Reads views only: must not
 * compute a statistic the extension computes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static void
report_error(Report *r, const char *msg, const char *detail)
{
	size_t		n;

	if (r->error)
		return;
	n = strlen(msg) + (detail ? strlen(detail) : 0) + 8;
	r->error = malloc(n);
	if (r->error)
		snprintf(r->error, n, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
}

PGresult *
report_query(Report *r, const char *view, const char *cols, const char *order)
{
	RBuf		sql;
	PGresult   *res;

	if (r->error)
		return NULL;
	rb_init(&sql);
	rb_printf(&sql, "SELECT %s FROM %s.%s", cols, r->qschema, view);
	if (order)
		rb_printf(&sql, " ORDER BY %s", order);
	if (sql.failed)
	{
		report_error(r, "out of memory", NULL);
		return NULL;
	}
	res = PQexecParams(r->conn, sql.data, 0, NULL, NULL, NULL, NULL, 0);
	rb_free(&sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		char		msg[256];
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state && strcmp(state, "42P01") == 0)
			r->missing_view = true;
		snprintf(msg, sizeof(msg), "reading the view %s failed", view);
		report_error(r, msg, PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

const char *
rv_text(const PGresult *res, int row, const char *col)
{
	int			c = PQfnumber(res, col);

	if (c < 0 || PQgetisnull(res, row, c))
		return NULL;
	return PQgetvalue(res, row, c);
}

bool
rv_isnull(const PGresult *res, int row, const char *col)
{
	return rv_text(res, row, col) == NULL;
}

double
rv_num(const PGresult *res, int row, const char *col)
{
	const char *s = rv_text(res, row, col);
	char	   *end;
	double		v;

	if (s == NULL)
		return 0.0 / 0.0;
	v = strtod(s, &end);
	if (end == s || *end != '\0')
		return 0.0 / 0.0;
	return v;
}

bool
rv_bool(const PGresult *res, int row, const char *col)
{
	const char *s = rv_text(res, row, col);

	return s != NULL && s[0] == 't';
}

void
html_empty(Report *r, const char *view)
{
	rb_put(&r->out, "<p class=\"empty\"");
	rb_attr(&r->out, "data-empty", view);
	rb_put(&r->out, ">");
	rb_esc(&r->out, L(r, "no_rows"));
	rb_put(&r->out, " <code>");
	rb_esc(&r->out, view);
	rb_put(&r->out, "</code>.</p>\n");
}

void
html_table(Report *r, const PGresult *res, const char *view,
		   const TableCol *cols, int ncols)
{
	RBuf	   *o = &r->out;
	int			nrows = PQntuples(res);

	if (nrows == 0)
	{
		html_empty(r, view);
		return;
	}
	/* long tables fold away (all rows stay in the page) */
	if (nrows > 24)
	{
		int			nsupp = 0;

		for (int i = 0; i < nrows; i++)
			nsupp += rv_bool(res, i, "suppressed");
		rb_put(o, "<details><summary>");
		fmt_num(r, o, nrows, 0);
		rb_printf(o, " %s", L(r, "rows"));
		if (nsupp > 0)
		{
			rb_put(o, ", ");
			fmt_num(r, o, nsupp, 0);
			rb_printf(o, " %s", L(r, "suppressed"));
		}
		rb_put(o, "</summary>");
	}
	rb_put(o, "<div class=\"table-wrap\"><table");
	rb_attr(o, "data-view", view);
	rb_put(o, "><thead><tr>");
	for (int c = 0; c < ncols; c++)
	{
		rb_printf(o, "<th class=\"%s\">", strchr("tdvb", cols[c].kind) ? "txt" : "num");
		rb_esc(o, L(r, cols[c].label_key));
		rb_put(o, "</th>");
	}
	rb_put(o, "</tr></thead><tbody>\n");
	for (int i = 0; i < nrows; i++)
	{
		bool		supp = rv_bool(res, i, "suppressed");

		rb_printf(o, "<tr data-row=\"%d\"%s>", i, supp ? " class=\"suppressed\" data-suppressed=\"true\"" : "");
		for (int c = 0; c < ncols; c++)
		{
			const char *v = rv_text(res, i, cols[c].col);
			char		kind = cols[c].kind;

			rb_printf(o, "<td class=\"%s\"", kind == 'd' ? "txt date" : strchr("tvb", kind) ? "txt" : "num");
			rb_attr(o, "data-col", cols[c].col);
			rb_attr(o, "data-value", v);
			rb_put(o, ">");
			if (v == NULL && cols[c].null_key)
				rb_esc(o, L(r, cols[c].null_key));
			else if (v == NULL)
				rb_put(o, supp ? "<span class=\"supp\">\xc3\x97</span>" : "\xe2\x80\x93");
			else if (kind == 'p')
				fmt_pct(r, o, rv_num(res, i, cols[c].col));
			else if (kind == 'n')
				fmt_num(r, o, rv_num(res, i, cols[c].col), 3);
			else if (kind == 'm')
				fmt_num(r, o, rv_num(res, i, cols[c].col), 2);
			else if (kind == 'i')
				fmt_num(r, o, rv_num(res, i, cols[c].col), 0);
			else if (kind == 'v')
			{
				char		key[64];
				const char *lab;

				snprintf(key, sizeof(key), "verdict_%s", v);
				lab = L(r, key);
				rb_put(o, "<span class=\"verdict-");
				rb_esc(o, v);
				rb_put(o, "\">");
				rb_esc(o, lab == key ? v : lab);
				rb_put(o, "</span>");
			}
			else if (kind == 'b')
				rb_esc(o, L(r, v[0] == 't' ? "yes" : "no"));
			else
				rb_esc(o, v);
			rb_put(o, "</td>");
		}
		rb_put(o, "</tr>\n");
	}
	rb_put(o, "</tbody></table></div>");
	rb_put(o, nrows > 24 ? "</details>\n" : "\n");
}

void
section_head(Report *r, const char *id, const char *title_key, const char *text_key)
{
	rb_printf(&r->out, "<section id=\"%s\"><h2>", id);
	rb_esc(&r->out, L(r, title_key));
	rb_put(&r->out, "</h2>");
	if (text_key)
	{
		rb_put(&r->out, "<p class=\"lead\">");
		rb_esc(&r->out, L(r, text_key));
		rb_put(&r->out, "</p>\n");
	}
}

PGresult *
section_rows(Report *r, const char *id, const char *title_key, const char *text_key,
			 const char *view, const char *cols, const char *order)
{
	PGresult   *res;

	section_head(r, id, title_key, text_key);
	res = report_query(r, view, cols, order);
	if (res != NULL && PQntuples(res) == 0)
	{
		html_empty(r, view);
		PQclear(res);
		res = NULL;
	}
	if (res == NULL)
		section_end(r, NULL);
	return res;
}

void
section_end(Report *r, PGresult *res)
{
	PQclear(res);
	rb_put(&r->out, "</section>\n");
}

int *
row_index(Report *r, int n)
{
	int		   *rows = malloc(sizeof(int) * (size_t) n);

	if (rows == NULL)
	{
		r->out.failed = true;
		return NULL;
	}
	for (int i = 0; i < n; i++)
		rows[i] = i;
	return rows;
}

bool
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static const char *page_css =
"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:980px;padding:16px 24px;color:#1d2733;background:#fff}"
"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .3em;border-bottom:1px solid #d6dde5;padding-bottom:.2em}"
"p.lead{color:#44505c;margin:.2em 0 .6em}p.empty{color:#6b7785;font-style:italic}"
"dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:.5em 0}dl.facts dt{color:#6b7785}dl.facts dd{margin:0}"
"nav ol{columns:2;margin:.3em 0}"
"svg.chart{width:100%;height:auto;display:block;margin:.4em 0;font-size:11px}"
"svg .frame{fill:none;stroke:#9aa6b2}svg .grid{stroke:#e6ebf0}svg .tickmark{stroke:#9aa6b2}svg .tick{fill:#44505c}"
"svg .axis-label{fill:#1d2733;font-size:12px}svg .zero{stroke:#44505c;stroke-dasharray:3 3}"
"svg .national{stroke:#1d2733;stroke-width:1.5}svg .start{stroke:#9aa6b2;stroke-dasharray:2 4}"
"svg .band-m{fill:#e66101;fill-opacity:.18;stroke:none}svg .band-n{fill:#3b6fb6;fill-opacity:.18;stroke:none}"
"svg .line-m{fill:none;stroke:#e66101;stroke-width:2}svg .line-n{fill:none;stroke:#3b6fb6;stroke-width:2}"
"svg .pt-m{fill:#e66101}svg .pt-n{fill:#3b6fb6}svg circle.pt{r:1.6px}"
"svg .uniform{stroke:#9ec1e8;stroke-width:9}svg .pointwise{stroke:#1f4e8c;stroke-width:3}svg .est{fill:#0b2c57}"
"svg .f95{fill:none;stroke:#7b8794;stroke-dasharray:5 3}svg .f998{fill:none;stroke:#1d2733;stroke-dasharray:1 2}"
"svg .muni{fill:#3b6fb6;stroke:#fff}svg .muni.above{fill:#1a9641}svg .muni.below{fill:#d7191c}svg .muni.above95{fill:#8fcf6a}svg .muni.below95{fill:#f08a6c}svg .muni.supp{fill:#bbb}"
"svg .ci{stroke:#3b6fb6;stroke-width:2}svg .ci.above{stroke:#1a9641}svg .ci.below{stroke:#d7191c}svg .ci.above95{stroke:#8fcf6a}svg .ci.below95{stroke:#f08a6c}svg .label{fill:#44505c;font-size:9px}"
"svg .bar{fill:#3b6fb6}svg .bar.capped{fill:#d7191c}svg .cum{fill:none;stroke:#e66101;stroke-width:2}"
"svg rect.legend-m{fill:#e66101}svg rect.legend-n{fill:#3b6fb6}svg rect.legend-u{fill:#9ec1e8}svg rect.legend-p{fill:#1f4e8c}"
"svg rect.legend-f95{fill:#7b8794}svg rect.legend-f998{fill:#1d2733}svg rect.legend-cum{fill:#e66101}svg rect.legend-bar{fill:#3b6fb6}"
".table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:.85em;margin:.4em 0 1em}"
"th,td{padding:2px 8px;border-bottom:1px solid #e6ebf0}th{background:#f3f6f9;text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
"tr.suppressed td{color:#8a949e}.verdict-met{color:#1a9641;font-weight:600}.verdict-not_met{color:#d7191c;font-weight:600}"
"td.date{white-space:nowrap}summary{cursor:pointer;color:#1f4e8c;margin:.3em 0}footer{margin-top:2em;color:#6b7785;font-size:.8em}"
"@media print{nav{display:none}h2{break-after:avoid}svg.chart{break-inside:avoid}}";

static void
page_header(Report *r, const char *schema)
{
	RBuf	   *o = &r->out;
	PGresult   *res;
	char		when[64];
	time_t		now = time(NULL);
	struct tm	tmv;

	rb_printf(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
			  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
			  "<title>", r->da ? "da" : "en");
	rb_esc(o, L(r, "title"));
	rb_put(o, " \xe2\x80\x93 ");
	rb_esc(o, schema);
	rb_put(o, "</title><style>");
	rb_put(o, page_css);
	rb_put(o, "</style></head><body>\n<header><h1>");
	rb_esc(o, L(r, "title"));
	rb_put(o, "</h1><dl class=\"facts\">");

	rb_printf(o, "<dt>%s</dt><dd data-col=\"schema_name\">", L(r, "schema"));
	rb_esc(o, schema);
	rb_put(o, "</dd>");
	gmtime_r(&now, &tmv);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tmv);
	rb_printf(o, "<dt>%s</dt><dd>%s</dd>", L(r, "generated"), when);
	res = report_query(r, "v_report_info", "n_persons, n_courses, n_municipalities, data_to", NULL);
	if (res && PQntuples(res) == 1)
	{
		static const char *const keys[][2] = {
			{"n_persons", "persons"}, {"n_courses", "courses"},
			{"n_municipalities", "municipalities"}, {"data_to", "data_to"}};

		for (int k = 0; k < 4; k++)
		{
			const char *v = rv_text(res, 0, keys[k][0]);

			rb_printf(o, "<dt>%s</dt><dd", L(r, keys[k][1]));
			rb_attr(o, "data-col", keys[k][0]);
			rb_attr(o, "data-value", v);
			rb_put(o, ">");
			if (v == NULL)
				rb_put(o, "\xe2\x80\x93");
			else if (k < 3)
				fmt_num(r, o, rv_num(res, 0, keys[k][0]), 0);
			else
				rb_esc(o, v);
			rb_put(o, "</dd>");
		}
	}
	PQclear(res);
	rb_put(o, "</dl></header>\n<nav><h2>");
	rb_esc(o, L(r, "contents"));
	rb_put(o, "</h2><ol>");
	{
		static const char *const secs[][2] = {
			{"trajectory", "sec_trajectory"}, {"event-study", "sec_event"},
			{"course-status", "sec_course"}, {"arrival", "sec_arrival"},
			{"funnel", "sec_funnel"}, {"caterpillar", "sec_caterpillar"},
			{"goals", "sec_goals"}, {"progression", "sec_progression"},
			{"effects", "sec_effects"}, {"payout", "sec_payout"}};

		for (size_t s = 0; s < sizeof(secs) / sizeof(secs[0]); s++)
		{
			rb_printf(o, "<li><a href=\"#%s\">", secs[s][0]);
			rb_esc(o, L(r, secs[s][1]));
			rb_put(o, "</a></li>");
		}
	}
	rb_put(o, "</ol></nav>\n<main>\n");
}

/* Writes the buffer to path through a temporary file and rename(). */
static int
write_file(Report *r, const char *path)
{
	size_t		n = strlen(path) + 32;
	char	   *tmp = malloc(n);
	FILE	   *f;
	int			ok;

	if (tmp == NULL)
	{
		fprintf(stderr, "si_monitor: report: out of memory\n");
		return REPORT_CONFIG;
	}
	snprintf(tmp, n, "%s.tmp.%ld", path, (long) getpid());
	f = fopen(tmp, "w");
	if (f == NULL)
	{
		fprintf(stderr, "si_monitor: report: cannot write %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return REPORT_CONFIG;
	}
	ok = fwrite(r->out.data, 1, r->out.len, f) == r->out.len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0)
	{
		fprintf(stderr, "si_monitor: report: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return REPORT_CONFIG;
	}
	free(tmp);
	return REPORT_OK;
}

/* The server's notices (e.g. contract outcomes no component pays for). */
static void
report_notice(void *arg, const char *message)
{
	(void) arg;
	fprintf(stderr, "si_monitor: report: %s", message);
}

static bool
run_simple(Report *r, const char *sql)
{
	PGresult   *res = PQexec(r->conn, sql);
	bool		ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		report_error(r, "the report's session setup failed", PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

/*
 * A schema without the views (e.g. the first nightly run) gets them from
 * monitor_create_views, in its own transaction before the read-only one;
 * existing views are left alone, so a role that may only read the schema
 * can write the report.
 */
static bool
ensure_views(Report *r, const char *schema)
{
	const char *params[1] = {schema};
	PGresult   *res;
	char	   *ext = NULL;
	bool		ok;

	res = PQexecParams(r->conn,
					   "SELECT pg_catalog.to_regclass(pg_catalog.quote_ident($1) OPERATOR(pg_catalog.||) '.v_report_info') IS NULL, "
					   "(SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
					   "ON n.oid OPERATOR(pg_catalog.=) e.extnamespace WHERE e.extname OPERATOR(pg_catalog.=) 'socialinvest')",
					   1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
	{
		report_error(r, "looking up the report's views failed", PQresultErrorMessage(res));
		PQclear(res);
		return false;
	}
	if (PQgetvalue(res, 0, 0)[0] != 't')
	{
		PQclear(res);
		return true;
	}
	if (PQgetisnull(res, 0, 1))
	{
		report_error(r, "the extension socialinvest is not installed in this database", NULL);
		PQclear(res);
		return false;
	}
	ext = PQescapeIdentifier(r->conn, PQgetvalue(res, 0, 1), strlen(PQgetvalue(res, 0, 1)));
	PQclear(res);
	if (ext == NULL)
	{
		report_error(r, "quoting the extension's schema failed", PQerrorMessage(r->conn));
		return false;
	}
	{
		RBuf		sql;

		rb_init(&sql);
		rb_printf(&sql, "SELECT %s.monitor_create_views($1)", ext);
		res = PQexecParams(r->conn, sql.failed ? "" : sql.data, 1, NULL, params, NULL, NULL, 0);
		rb_free(&sql);
	}
	PQfreemem(ext);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		report_error(r, "creating the report's views (monitor_create_views) failed", PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

int
monitor_report(PGconn *conn, const char *schema, const char *out_path, const char *lang)
{
	Report		r;
	char	   *q;
	int			rc;
	PQnoticeProcessor prev;

	if (conn == NULL || schema == NULL || out_path == NULL)
	{
		fprintf(stderr, "si_monitor: report: no connection, schema or output file\n");
		return REPORT_CONFIG;
	}
	if (lang != NULL && strcmp(lang, "da") != 0 && strcmp(lang, "en") != 0)
	{
		fprintf(stderr, "si_monitor: report: --lang must be da or en, not \"%s\"\n", lang);
		return REPORT_CONFIG;
	}
	memset(&r, 0, sizeof(r));
	r.conn = conn;
	r.da = lang == NULL || strcmp(lang, "da") == 0;
	rb_init(&r.out);
	q = PQescapeIdentifier(conn, schema, strlen(schema));
	if (q == NULL)
	{
		fprintf(stderr, "si_monitor: report: %s", PQerrorMessage(conn));
		return REPORT_DATABASE;
	}
	r.qschema = q;
	prev = PQsetNoticeProcessor(conn, report_notice, NULL);
	/* the file is UTF-8: so are the strings the views give */
	if (PQsetClientEncoding(conn, "UTF8") != 0)
		report_error(&r, "cannot set the client encoding to UTF8", PQerrorMessage(conn));

	if (r.error == NULL && ensure_views(&r, schema) &&
		run_simple(&r, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") &&
		run_simple(&r, "SELECT pg_catalog.set_config('search_path', '', true)"))
	{
		page_header(&r, schema);
		section_trajectory(&r);
		section_event_study(&r);
		section_course_status(&r);
		section_arrival(&r);
		section_benchmark(&r);
		section_goals(&r);
		section_progression(&r);
		section_effects(&r);
		section_payout(&r);
		rb_put(&r.out, "</main>\n<footer>socialinvest si_monitor report \xe2\x80\x93 ");
		rb_esc(&r.out, schema);
		rb_put(&r.out, "</footer>\n</body></html>\n");
	}
	/* read-only: ending the transaction either way changes nothing */
	PQclear(PQexec(conn, "ROLLBACK"));
	PQsetNoticeProcessor(conn, prev, NULL);
	PQfreemem(q);

	if (r.error)
	{
		fprintf(stderr, "si_monitor: report: %s", r.error);
		if (r.error[strlen(r.error) - 1] != '\n')
			fputc('\n', stderr);
		if (r.missing_view)
			fprintf(stderr, "si_monitor: report: hint: recreate the views with SELECT monitor_create_views('%s'); (docs/monitoring.md)\n",
					schema);
		free(r.error);
		rb_free(&r.out);
		return REPORT_DATABASE;
	}
	if (r.out.failed)
	{
		fprintf(stderr, "si_monitor: report: out of memory\n");
		rb_free(&r.out);
		return REPORT_DATABASE;
	}
	rc = write_file(&r, out_path);
	rb_free(&r.out);
	return rc;
}
