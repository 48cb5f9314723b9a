/*
 * report_charts.c — the report's time charts: self-sufficiency
 * trajectories around the course start (v_trajectory), the event study of
 * mentoring (v_event_study) and the payout schedule (v_payout). Every mark
 * carries the view's values in data-* attributes.
 *
 * Draws what the views hold; must not compute statistics.
 */
#include <string.h>

#include "report.h"

/* One series (mentored or not) of the trajectory chart. */
static void
trajectory_series(Report *r, const Plot *p, const PGresult *res, bool mentored)
{
	RBuf	   *o = &r->out;
	int			n = PQntuples(res);
	const char *sfx = mentored ? "m" : "n";
	int			start = -1;

	rb_printf(o, "<g class=\"series\" data-mentored=\"%s\">\n", mentored ? "true" : "false");
	/* bands and lines over each run of rows with an estimate */
	for (int i = 0; i <= n; i++)
	{
		bool		usable = i < n && rv_bool(res, i, "mentored") == mentored &&
			!rv_isnull(res, i, "estimate") && !rv_isnull(res, i, "conf_low") &&
			!rv_isnull(res, i, "conf_high");

		if (usable && start < 0)
			start = i;
		if (!usable && start >= 0)
		{
			rb_printf(o, "<path class=\"band band-%s\" d=\"", sfx);
			for (int j = start; j < i; j++)
				rb_printf(o, "%s%.2f %.2f ", j == start ? "M" : "L",
						  plot_x(p, rv_num(res, j, "weeks_since_start")), plot_y(p, rv_num(res, j, "conf_high")));
			for (int j = i - 1; j >= start; j--)
				rb_printf(o, "L%.2f %.2f ", plot_x(p, rv_num(res, j, "weeks_since_start")), plot_y(p, rv_num(res, j, "conf_low")));
			rb_printf(o, "Z\"/>\n<polyline class=\"line line-%s\" points=\"", sfx);
			for (int j = start; j < i; j++)
				rb_printf(o, "%.2f,%.2f ", plot_x(p, rv_num(res, j, "weeks_since_start")), plot_y(p, rv_num(res, j, "estimate")));
			rb_put(o, "\"/>\n");
			start = -1;
		}
	}
	for (int i = 0; i < n; i++)
	{
		if (rv_bool(res, i, "mentored") != mentored || rv_isnull(res, i, "estimate"))
			continue;
		rb_printf(o, "<circle class=\"pt pt-%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"1.6\"", sfx,
				  plot_x(p, rv_num(res, i, "weeks_since_start")), plot_y(p, rv_num(res, i, "estimate")));
		rb_attr(o, "data-weeks-since-start", rv_text(res, i, "weeks_since_start"));
		rb_attr(o, "data-n-observed", rv_text(res, i, "n_observed"));
		rb_attr(o, "data-estimate", rv_text(res, i, "estimate"));
		rb_attr(o, "data-conf-low", rv_text(res, i, "conf_low"));
		rb_attr(o, "data-conf-high", rv_text(res, i, "conf_high"));
		rb_put(o, "/>\n");
	}
	rb_put(o, "</g>\n");
}

void
section_trajectory(Report *r)
{
	PGresult   *res;
	Plot		p;
	double		ymax = 0;
	double		xmin = 0,
				xmax = 1;
	int			n;

	res = section_rows(r, "trajectory", "sec_trajectory", "txt_trajectory", "v_trajectory",
					   "weeks_since_start, mentored, n_observed, n_self_supporting, estimate, conf_low, conf_high, suppressed",
					   "mentored, weeks_since_start");
	if (res == NULL)
		return;
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
	{
		double		x = rv_num(res, i, "weeks_since_start");
		double		h = rv_num(res, i, "conf_high");

		if (i == 0 || x < xmin)
			xmin = x;
		if (i == 0 || x > xmax)
			xmax = x;
		if (h == h && h > ymax)
			ymax = h;
	}
	plot_init(&p, xmin, xmax, 0, ymax > 0 ? ceil_to(ymax + 0.02, 0.1) : 1);
	svg_open(r, &p, "trajectory", L(r, "sec_trajectory"));
	svg_axes(r, &p, L(r, "weeks_since_start"), L(r, "share_selfsupporting"), true);
	svg_vline(r, &p, 0, "start");
	trajectory_series(r, &p, res, false);
	trajectory_series(r, &p, res, true);
	svg_legend(r, &p, 0, "legend-n", L(r, "not_mentored"));
	svg_legend(r, &p, 1, "legend-m", L(r, "mentored"));
	svg_close(r);
	section_end(r, res);
}

void
section_event_study(Report *r)
{
	RBuf	   *o = &r->out;
	PGresult   *res;
	Plot		p;
	double		ylo = 0,
				yhi = 0,
				xmin = 0,
				xmax = 0;
	int			n;

	res = section_rows(r, "event-study", "sec_event", "txt_event", "v_event_study",
					   "event_time, estimate, std_error, conf_low, conf_high, uniform_conf_low, uniform_conf_high, critical_value",
					   "event_time");
	if (res == NULL)
		return;
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
	{
		double		x = rv_num(res, i, "event_time");
		const char *lo[] = {"uniform_conf_low", "conf_low", "estimate"};
		const char *hi[] = {"uniform_conf_high", "conf_high", "estimate"};

		if (i == 0 || x < xmin)
			xmin = x;
		if (i == 0 || x > xmax)
			xmax = x;
		for (int k = 0; k < 3; k++)
		{
			double		a = rv_num(res, i, lo[k]);
			double		b = rv_num(res, i, hi[k]);

			if (a == a && a < ylo)
				ylo = a;
			if (b == b && b > yhi)
				yhi = b;
		}
	}
	{
		double		step = nice_step(ylo, yhi, 5);

		plot_init(&p, xmin - 0.5, xmax + 0.5, floor_to(ylo, step), ceil_to(yhi, step));
	}
	svg_open(r, &p, "event_study", L(r, "sec_event"));
	svg_axes(r, &p, L(r, "event_time"), L(r, "effect"), false);
	svg_hline(r, &p, 0, "zero");
	svg_vline(r, &p, -0.5, "start");
	for (int i = 0; i < n; i++)
	{
		double		x = plot_x(&p, rv_num(res, i, "event_time"));
		double		est = rv_num(res, i, "estimate");

		rb_put(o, "<g class=\"es\"");
		rb_attr(o, "data-event-time", rv_text(res, i, "event_time"));
		rb_attr(o, "data-estimate", rv_text(res, i, "estimate"));
		rb_attr(o, "data-std-error", rv_text(res, i, "std_error"));
		rb_attr(o, "data-conf-low", rv_text(res, i, "conf_low"));
		rb_attr(o, "data-conf-high", rv_text(res, i, "conf_high"));
		rb_attr(o, "data-uniform-conf-low", rv_text(res, i, "uniform_conf_low"));
		rb_attr(o, "data-uniform-conf-high", rv_text(res, i, "uniform_conf_high"));
		rb_put(o, ">");
		if (!rv_isnull(res, i, "uniform_conf_low") && !rv_isnull(res, i, "uniform_conf_high"))
			rb_printf(o, "<line class=\"uniform\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>", x, x,
					  plot_y(&p, rv_num(res, i, "uniform_conf_low")), plot_y(&p, rv_num(res, i, "uniform_conf_high")));
		if (!rv_isnull(res, i, "conf_low") && !rv_isnull(res, i, "conf_high"))
			rb_printf(o, "<line class=\"pointwise\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>", x, x,
					  plot_y(&p, rv_num(res, i, "conf_low")), plot_y(&p, rv_num(res, i, "conf_high")));
		if (est == est)
			rb_printf(o, "<circle class=\"est\" cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\"/>", x, plot_y(&p, est));
		rb_put(o, "</g>\n");
	}
	svg_legend(r, &p, 0, "legend-p", L(r, "pointwise"));
	svg_legend(r, &p, 1, "legend-u", L(r, "uniform"));
	svg_close(r);
	section_end(r, res);
}

/* One contract's schedule: rows [from, to) of res. */
static void
payout_chart(Report *r, const PGresult *res, int from, int to)
{
	RBuf	   *o = &r->out;
	Plot		p;
	double		ymax = 0;
	int			nperiods = 0;
	int			maxcomp = 1;
	const char *last = NULL;

	for (int i = from; i < to; i++)
	{
		double		c = rv_num(res, i, "cumulative_due");
		double		a = rv_num(res, i, "amount_due");
		double		k = rv_num(res, i, "component_no");

		if (c == c && c > ymax)
			ymax = c;
		if (a == a && a > ymax)
			ymax = a;
		if (k == k && k > maxcomp)
			maxcomp = (int) k;
		if (last == NULL || strcmp(last, rv_text(res, i, "period") ? rv_text(res, i, "period") : "") != 0)
		{
			nperiods++;
			last = rv_text(res, i, "period") ? rv_text(res, i, "period") : "";
		}
	}
	{
		double		step = nice_step(0, ymax, 5);

		plot_init(&p, -0.5, nperiods - 0.5, 0, ymax > 0 ? ceil_to(ymax, step) : 1);
	}
	p.left = 96;
	p.no_xticks = true;
	rb_put(o, "<h3>");
	rb_esc(o, rv_text(res, from, "contract_name"));
	rb_put(o, " \xe2\x80\x93 ");
	rb_esc(o, L(r, "municipality"));
	rb_put(o, " ");
	rb_esc(o, rv_text(res, from, "municipality"));
	rb_put(o, ", ");
	rb_esc(o, rv_text(res, from, "programme"));
	rb_put(o, " (");
	rb_esc(o, rv_text(res, from, "currency"));
	rb_put(o, ")</h3>\n");
	svg_open(r, &p, "payout", L(r, "sec_payout"));
	svg_axes(r, &p, L(r, "period"), L(r, "amount"), false);
	{
		int			slot = -1;
		double		slotw = (plot_x(&p, 1) - plot_x(&p, 0)) * 0.8;
		double		barw = slotw / maxcomp;

		last = NULL;
		rb_put(o, "<polyline class=\"cum\" points=\"");
		for (int i = from; i < to; i++)
		{
			const char *per = rv_text(res, i, "period") ? rv_text(res, i, "period") : "";

			if (last == NULL || strcmp(last, per) != 0)
			{
				slot++;
				last = per;
			}
			rb_printf(o, "%.2f,%.2f ", plot_x(&p, slot), plot_y(&p, rv_num(res, i, "cumulative_due")));
		}
		rb_put(o, "\"/>\n");
		slot = -1;
		last = NULL;
		for (int i = from; i < to; i++)
		{
			const char *per = rv_text(res, i, "period") ? rv_text(res, i, "period") : "";
			double		a = rv_num(res, i, "amount_due");
			int			k = (int) rv_num(res, i, "component_no");
			double		x;

			if (last == NULL || strcmp(last, per) != 0)
			{
				slot++;
				last = per;
			}
			if (a != a)
				a = 0;
			if (k < 1 || k > maxcomp)
				k = 1;
			x = plot_x(&p, slot) - slotw / 2 + (k - 1) * barw;
			rb_printf(o, "<rect class=\"bar%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"",
					  rv_bool(res, i, "capped") ? " capped" : "", x, plot_y(&p, a), barw,
					  plot_y(&p, 0) - plot_y(&p, a));
			rb_attr(o, "data-period", rv_text(res, i, "period"));
			rb_attr(o, "data-component", rv_text(res, i, "component"));
			rb_attr(o, "data-amount-due", rv_text(res, i, "amount_due"));
			rb_attr(o, "data-cumulative-due", rv_text(res, i, "cumulative_due"));
			rb_put(o, "><title>");
			rb_esc(o, per);
			rb_put(o, ": ");
			fmt_num(r, o, a, 2);
			rb_put(o, "</title></rect>\n");
		}
	}
	/* the periods' first days under the bars, at most about ten */
	{
		int			every = nperiods / 10 + 1;
		int			slot = -1;

		last = NULL;
		for (int i = from; i < to; i++)
		{
			const char *per = rv_text(res, i, "period") ? rv_text(res, i, "period") : "";

			if (last != NULL && strcmp(last, per) == 0)
				continue;
			last = per;
			slot++;
			if (slot % every != 0)
				continue;
			rb_printf(o, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">",
					  plot_x(&p, slot), p.bottom + 16);
			rb_esc(o, per);
			rb_put(o, "</text>");
		}
		rb_put(o, "\n");
	}
	svg_legend(r, &p, 0, "legend-bar", L(r, "amount_due"));
	svg_legend(r, &p, 1, "legend-cum", L(r, "cumulative_due"));
	svg_close(r);
}

void
section_payout(Report *r)
{
	static const TableCol cols[] = {
		{"municipality", "municipality", 't'}, {"programme", "programme", 't'},
		{"period", "period", 'd'}, {"pay_day", "pay_day", 'd'},
		{"component", "component", 't'}, {"outcomes", "outcomes", 'i'},
		{"amount_due", "amount_due", 'm'}, {"cumulative_due", "cumulative_due", 'm'},
		{"capped", "capped", 'b'}, {"note", "note", 't'}};
	PGresult   *res;
	int			n;
	int			from = 0;

	section_head(r, "payout", "sec_payout", "txt_payout");
	res = report_query(r, "v_payout",
					   "municipality, programme, contract_name, currency, period, pay_day, component_no, component, "
					   "outcomes, amount_uncapped, amount_due, cumulative_due, capped, note",
					   "municipality, programme, period, component_no");
	if (res == NULL)
		goto done;
	n = PQntuples(res);
	if (n == 0)
	{
		rb_put(&r->out, "<p class=\"empty\" data-empty=\"v_payout\">");
		rb_esc(&r->out, L(r, "no_contract"));
		rb_put(&r->out, "</p>\n");
		goto done;
	}
	for (int i = 1; i <= n; i++)
	{
		if (i == n ||
			!same_text(rv_text(res, i, "municipality"), rv_text(res, from, "municipality")) ||
			!same_text(rv_text(res, i, "programme"), rv_text(res, from, "programme")))
		{
			payout_chart(r, res, from, i);
			from = i;
		}
	}
	html_table(r, res, "v_payout", cols, (int) (sizeof(cols) / sizeof(cols[0])));
done:
	section_end(r, res);
}
