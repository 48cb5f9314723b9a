/*
 * report.h — the HTML report of si_monitor (docs/monitoring.md, "The
 * report and the BI views"): one static HTML file with inline SVG charts,
 * built from the BI views of one monitoring schema (monitor_create_views).
 *
 * Internal interface of src/cli/report*.c: a growable output buffer with
 * HTML escaping, number formatting per language, the labels, the SVG
 * helpers, and one function per section. libpq only; no libm.
 *
 * Must not include si_monitor.h: the report knows only its connection.
 */
#ifndef SI_REPORT_H
#define SI_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

/* The entry point si_monitor calls (declared in si_monitor.h as well). */
extern int	monitor_report(PGconn *conn, const char *schema,
						   const char *out_path, const char *lang);

/* Exit statuses, as si_monitor's SI_MON_* (si_monitor.h). */
#define REPORT_OK		0
#define REPORT_CONFIG	2
#define REPORT_DATABASE	3

/* Growable buffer; on out-of-memory it sets failed and ignores appends. */
typedef struct RBuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		failed;
} RBuf;

extern void rb_init(RBuf *b);
extern void rb_free(RBuf *b);
extern void rb_put(RBuf *b, const char *s);
extern void rb_putn(RBuf *b, const char *s, size_t n);
extern void rb_printf(RBuf *b, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
/* s HTML-escaped (& < > " '), usable in text and in quoted attributes. */
extern void rb_esc(RBuf *b, const char *s);
/* name="escaped value" with a leading space; NULL value gives "". */
extern void rb_attr(RBuf *b, const char *name, const char *value);

/* One query result of a view and the report being written. */
typedef struct Report
{
	PGconn	   *conn;
	const char *qschema;		/* quoted schema identifier */
	bool		da;				/* Danish labels and decimal comma */
	RBuf		out;
	char	   *error;			/* first error (malloc'd), NULL if none */
	bool		missing_view;	/* a view does not exist (42P01) */
} Report;

/* Runs SELECT cols FROM schema.view ORDER BY order; NULL on error. */
extern PGresult *report_query(Report *r, const char *view, const char *cols,
							  const char *order);

/* Access by column name; NULL / NaN for a NULL value. */
extern const char *rv_text(const PGresult *res, int row, const char *col);
extern double rv_num(const PGresult *res, int row, const char *col);
extern bool rv_isnull(const PGresult *res, int row, const char *col);
extern bool rv_bool(const PGresult *res, int row, const char *col);

/* Labels (report_i18n.c): the text of key in the report's language. */
extern const char *L(const Report *r, const char *key);

/*
 * Numbers for people (report_format.c): decimals fixed, thousands grouped
 * with "." and decimal comma in Danish, "," and "." in English; NaN gives
 * an en dash. Percent: 100 x v with one decimal and " %" (da) / "%" (en).
 */
extern void fmt_num(const Report *r, RBuf *b, double v, int decimals);
extern void fmt_pct(const Report *r, RBuf *b, double v);
/* A plain number for SVG coordinates ("%.2f", C locale). */
extern void fmt_coord(RBuf *b, double v);

/* SVG helpers (report_svg.c). */
typedef struct Plot
{
	double		x0, x1, y0, y1;	/* data ranges */
	double		left, right, top, bottom;	/* pixel box */
	double		width, height;	/* viewBox */
	bool		x_only;			/* axes: no y ticks (rows are labelled) */
	bool		no_xticks;		/* axes: no x ticks (the caller labels x) */
	bool		x_pct;			/* axes: x ticks as percentages */
} Plot;

extern void plot_init(Plot *p, double x0, double x1, double y0, double y1);
extern double plot_x(const Plot *p, double x);
extern double plot_y(const Plot *p, double y);
/* Opens <svg ... data-chart="name">, with a title for screen readers. */
extern void svg_open(Report *r, const Plot *p, const char *chart, const char *title);
extern void svg_close(Report *r);
/* Axes with nice ticks; y_pct labels the y ticks as percentages. */
extern void svg_axes(Report *r, const Plot *p, const char *xlabel,
					 const char *ylabel, bool y_pct);
extern void svg_hline(Report *r, const Plot *p, double y, const char *cls);
extern void svg_vline(Report *r, const Plot *p, double x, const char *cls);
extern void svg_legend(Report *r, const Plot *p, int slot, const char *cls,
					   const char *text);
/* Nice step for about n ticks over [lo, hi]. */
extern double nice_step(double lo, double hi, int n);
extern double floor_to(double v, double step);
extern double ceil_to(double v, double step);

/* <section id><h2>title</h2><p>text</p> (text_key may be NULL); close with </section>. */
extern void section_head(Report *r, const char *id, const char *title_key, const char *text_key);
/*
 * section_head, then the rows of view (report_query); NULL when the query
 * failed or the view has no rows (a note says so): the section is then
 * closed already. Otherwise the caller closes it with section_end.
 */
extern PGresult *section_rows(Report *r, const char *id, const char *title_key,
							  const char *text_key, const char *view,
							  const char *cols, const char *order);
/* PQclear(res) (res may be NULL) and </section>. */
extern void section_end(Report *r, PGresult *res);
/* 0, 1, ..., n-1, malloc'd; NULL (and r->out.failed) without memory. */
extern int *row_index(Report *r, int n);
/* Both NULL or equal strings. */
extern bool same_text(const char *a, const char *b);

/* Sections (report_charts.c, report_bench.c, report_tables.c). */
extern void section_trajectory(Report *r);
extern void section_event_study(Report *r);
extern void section_course_status(Report *r);
extern void section_arrival(Report *r);
extern void section_benchmark(Report *r);
extern void section_goals(Report *r);
extern void section_progression(Report *r);
extern void section_effects(Report *r);
extern void section_payout(Report *r);

/*
 * A table of a view's rows: every cell carries data-col and data-value
 * (the database's text of the value), so a test can compare it with the
 * view. kind: 't' text, 'i' integer, 'p' share as percent, 'n' number
 * (3 decimals), 'm' money (2 decimals), 'b' boolean, 'd' date, 'v' a goal's
 * verdict (translated).
 */
typedef struct TableCol
{
	const char *col;
	const char *label_key;
	char		kind;
	const char *null_key;		/* label shown for NULL (default an en dash) */
} TableCol;

extern void html_table(Report *r, const PGresult *res, const char *view,
					   const TableCol *cols, int ncols);
/* A note saying the view has no rows. */
extern void html_empty(Report *r, const char *view);

#endif							/* SI_REPORT_H */
