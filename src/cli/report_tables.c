/*
 * report_tables.c — the report's tables: course status at 6 and 12 months
 * (v_course_status), arrival cohorts (v_arrival_cohort), goals against
 * results (v_goal_results) and frozen against recomputed measurements
 * (v_frozen_vs_recomputed).
 *
 * Tables only (html_table); must not compute statistics.
 */
#include "report.h"

static void
table_section(Report *r, const char *view, const char *sel, const char *order,
			  const TableCol *cols, int ncols)
{
	PGresult   *res = report_query(r, view, sel, order);

	if (res != NULL)
		html_table(r, res, view, cols, ncols);
	PQclear(res);
}

/* A section holding one table and nothing else. */
static void
table_only_section(Report *r, const char *id, const char *title_key, const char *text_key,
				   const char *view, const char *sel, const char *order,
				   const TableCol *cols, int ncols)
{
	section_head(r, id, title_key, text_key);
	table_section(r, view, sel, order, cols, ncols);
	rb_put(&r->out, "</section>\n");
}

void
section_course_status(Report *r)
{
	static const TableCol cols[] = {
		{"municipality", "municipality", 't'}, {"programme", "programme", 't'},
		{"horizon_months", "horizon_months", 'i'}, {"n_courses", "n_courses", 'i'},
		{"n_observed", "n_observed", 'i'}, {"n_censored", "n_censored", 'i'},
		{"n_self_supporting", "n_self_supporting", 'i'}, {"estimate", "estimate", 'p'},
		{"conf_low", "conf_low", 'p'}, {"conf_high", "conf_high", 'p'},
		{"durable_estimate", "durable_estimate", 'p'}, {"ended_early_share", "ended_early_share", 'p'}};

	table_only_section(r, "course-status", "sec_course", "txt_course", "v_course_status",
					   "municipality, programme, horizon_months, n_courses, n_observed, n_censored, n_self_supporting, "
					   "estimate, conf_low, conf_high, durable_estimate, ended_early_share, suppressed",
					   "municipality, programme, horizon_months", cols, (int) (sizeof(cols) / sizeof(cols[0])));
}

void
section_arrival(Report *r)
{
	static const TableCol cols[] = {
		{"municipality", "municipality", 't'}, {"arrival_year", "arrival_year", 't'},
		{"n_persons", "n_persons", 'i'}, {"n_observed", "n_observed", 'i'},
		{"estimate", "estimate", 'p'}, {"conf_low", "conf_low", 'p'}, {"conf_high", "conf_high", 'p'},
		{"n_emigrated", "n_emigrated", 'i'}, {"n_dead", "n_dead", 'i'},
		{"others_estimate", "others_estimate", 'p'}, {"difference", "difference", 'p'}};

	table_only_section(r, "arrival", "sec_arrival", "txt_arrival", "v_arrival_cohort",
					   "municipality, arrival_year, n_persons, n_observed, estimate, conf_low, conf_high, "
					   "n_emigrated, n_dead, others_estimate, difference, suppressed",
					   "municipality, arrival_year", cols, (int) (sizeof(cols) / sizeof(cols[0])));
}

void
section_goals(Report *r)
{
	static const TableCol goal_cols[] = {
		{"municipality", "municipality", 't'}, {"programme", "programme", 't'},
		{"indicator", "indicator", 't'}, {"measured_at", "measured_at", 't'},
		{"measured_on", "measured_on", 'd'}, {"target", "target", 'p'},
		{"estimate", "estimate", 'p'}, {"conf_low", "conf_low", 'p'}, {"conf_high", "conf_high", 'p'},
		{"n", "n", 'i'}, {"verdict", "verdict", 'v'}, {"frozen", "frozen", 'b'}};
	static const TableCol frozen_cols[] = {
		{"municipality", "municipality", 't'}, {"programme", "programme", 't'},
		{"indicator", "indicator", 't'}, {"measured_at", "measured_at", 't'},
		{"extract_date", "extract_date", 'd'}, {"frozen_estimate", "frozen_estimate", 'n'},
		{"recomputed_estimate", "recomputed_estimate", 'n'}, {"difference", "difference", 'n'},
		{"changed", "changed", 'b'}};

	section_head(r, "goals", "sec_goals", "txt_goals");
	table_section(r, "v_goal_results",
				  "municipality, programme, indicator, measured_at, measured_on, target, estimate, conf_low, "
				  "conf_high, n, verdict, frozen, verdict = 'suppressed' AS suppressed",
				  "municipality, programme, indicator, measured_on, measured_at",
				  goal_cols, (int) (sizeof(goal_cols) / sizeof(goal_cols[0])));
	rb_put(&r->out, "<h3>");
	rb_esc(&r->out, L(r, "sec_frozen"));
	rb_put(&r->out, "</h3>\n");
	table_section(r, "v_frozen_vs_recomputed",
				  "municipality, programme, indicator, measured_at, extract_date, frozen_estimate, "
				  "recomputed_estimate, difference, changed",
				  "municipality, programme, indicator, measured_on, measured_at",
				  frozen_cols, (int) (sizeof(frozen_cols) / sizeof(frozen_cols[0])));
	rb_put(&r->out, "</section>\n");
}
