/*
 * report_bench.c — the report's comparisons between municipalities: the
 * funnel plot and caterpillar ranking (v_benchmark), the effect of
 * mentoring per municipality (v_municipality_effects) and the progression
 * per item (v_progression_change), the last two as the same dot-and-
 * interval rows as the caterpillar.
 *
 * Draws what the views hold; must not compute statistics.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/*
 * CSS class from the view's position: outside the 99.8 % limits "above" /
 * "below", outside only the 95 % ones "above95" / "below95".
 */
static const char *
position_class(const char *pos)
{
	if (pos == NULL)
		return "";
	if (strncmp(pos, "above", 5) == 0)
		return strstr(pos, "95") && !strstr(pos, "99") ? " above95" : " above";
	if (strncmp(pos, "below", 5) == 0)
		return strstr(pos, "95") && !strstr(pos, "99") ? " below95" : " below";
	return "";
}

/*
 * Rows a and b of res by a numeric column, ascending or descending; NULL
 * (suppressed) last either way, so the order is total.
 */
static int
cmp_column(const PGresult *res, int a, int b, const char *col, bool descending)
{
	double		x = rv_num(res, a, col);
	double		y = rv_num(res, b, col);

	if (x != x)
		return y != y ? 0 : 1;
	if (y != y)
		return -1;
	return descending ? (x < y) - (x > y) : (x > y) - (x < y);
}

static int
cmp_by_n(const void *a, const void *b, void *arg)
{
	return cmp_column(arg, *(const int *) a, *(const int *) b, "n_persons", false);
}

/* insertion sort of row numbers (a report has few municipalities) */
static void
sort_rows(int *rows, int n, int (*cmp) (const void *, const void *, void *), void *arg)
{
	for (int i = 1; i < n; i++)
	{
		int			v = rows[i];
		int			j = i - 1;

		while (j >= 0 && cmp(&rows[j], &v, arg) > 0)
		{
			rows[j + 1] = rows[j];
			j--;
		}
		rows[j + 1] = v;
	}
}

static void
funnel_line(Report *r, const Plot *p, const PGresult *res, const int *rows, int n,
			const char *col, const char *cls)
{
	bool		any = false;

	for (int k = 0; k < n; k++)
	{
		double		y = rv_num(res, rows[k], col);
		double		x = rv_num(res, rows[k], "n_persons");

		if (y != y || x != x)
			continue;
		if (!any)
			rb_printf(&r->out, "<polyline class=\"%s\"", cls);
		if (!any)
		{
			rb_attr(&r->out, "data-limit", col);
			rb_put(&r->out, " points=\"");
		}
		any = true;
		rb_printf(&r->out, "%.2f,%.2f ", plot_x(p, x), plot_y(p, y < p->y0 ? p->y0 : y > p->y1 ? p->y1 : y));
	}
	if (any)
		rb_put(&r->out, "\"/>\n");
}

static void
funnel_plot(Report *r, const PGresult *res)
{
	RBuf	   *o = &r->out;
	int			n = PQntuples(res);
	int		   *rows = malloc(sizeof(int) * (size_t) (n > 0 ? n : 1));
	Plot		p;
	double		xmax = 1,
				ylo = 1,
				yhi = 0,
				national = 0.0 / 0.0;

	if (rows == NULL)
	{
		o->failed = true;
		return;
	}
	for (int i = 0; i < n; i++)
	{
		const char *cols[] = {"estimate", "funnel998_low", "funnel998_high"};
		double		x = rv_num(res, i, "n_persons");

		rows[i] = i;
		if (x == x && x > xmax)
			xmax = x;
		for (int k = 0; k < 3; k++)
		{
			double		v = rv_num(res, i, cols[k]);

			if (v == v && v < ylo)
				ylo = v;
			if (v == v && v > yhi)
				yhi = v;
		}
		if (national != national)
			national = rv_num(res, i, "national");
	}
	if (ylo > yhi)
	{
		ylo = 0;
		yhi = 1;
	}
	ylo = ylo < 0 ? 0 : ylo;
	yhi = yhi > 1 ? 1 : yhi;
	sort_rows(rows, n, cmp_by_n, (void *) res);
	{
		double		ys = nice_step(ylo, yhi, 5);
		double		xs = nice_step(0, xmax, 8);

		plot_init(&p, 0, ceil_to(xmax * 1.03, xs), floor_to(ylo, ys), ceil_to(yhi, ys));
	}
	svg_open(r, &p, "funnel", L(r, "sec_funnel"));
	svg_axes(r, &p, L(r, "n_persons"), L(r, "adjusted"), true);
	if (national == national)
	{
		for (int i = 0; i < n; i++)
			if (!rv_isnull(res, i, "national"))
			{
				rb_put(o, "<g class=\"national-line\"");
				rb_attr(o, "data-national", rv_text(res, i, "national"));
				rb_put(o, ">");
				break;
			}
		svg_hline(r, &p, national, "national");
		rb_put(o, "</g>\n");
	}
	funnel_line(r, &p, res, rows, n, "funnel95_low", "f95");
	funnel_line(r, &p, res, rows, n, "funnel95_high", "f95");
	funnel_line(r, &p, res, rows, n, "funnel998_low", "f998");
	funnel_line(r, &p, res, rows, n, "funnel998_high", "f998");
	for (int i = 0; i < n; i++)
	{
		double		est = rv_num(res, i, "estimate");
		double		x = rv_num(res, i, "n_persons");

		if (est != est || x != x)
			continue;
		rb_printf(o, "<circle class=\"muni%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\"",
				  position_class(rv_text(res, i, "position")), plot_x(&p, x), plot_y(&p, est));
		rb_attr(o, "data-municipality", rv_text(res, i, "municipality"));
		rb_attr(o, "data-n-persons", rv_text(res, i, "n_persons"));
		rb_attr(o, "data-estimate", rv_text(res, i, "estimate"));
		rb_attr(o, "data-funnel95-low", rv_text(res, i, "funnel95_low"));
		rb_attr(o, "data-funnel95-high", rv_text(res, i, "funnel95_high"));
		rb_attr(o, "data-funnel998-low", rv_text(res, i, "funnel998_low"));
		rb_attr(o, "data-funnel998-high", rv_text(res, i, "funnel998_high"));
		rb_attr(o, "data-position", rv_text(res, i, "position"));
		rb_put(o, "><title>");
		rb_esc(o, rv_text(res, i, "municipality"));
		rb_put(o, ": ");
		fmt_pct(r, o, est);
		rb_put(o, "</title></circle>\n");
	}
	svg_legend(r, &p, 0, "legend-f95", L(r, "funnel95"));
	svg_legend(r, &p, 1, "legend-f998", L(r, "funnel998"));
	svg_close(r);
	free(rows);
}

/*
 * Dot-and-interval rows (caterpillar): one row per result row with an
 * estimate, in the order given; label_col names the row (NULL value:
 * null_label); ref = reference line (NaN: none).
 */
typedef struct DotSpec
{
	const char *chart;
	const char *title_key;
	const char *xlabel_key;
	const char *label_col;
	const char *null_label_key;
	const char *key_attr;		/* data-* name of the label column */
	bool		pct;
	double		ref;
	double		left;			/* pixel room for the labels */
} DotSpec;

static void
dot_rows(Report *r, const PGresult *res, const int *rows, int n, const DotSpec *s)
{
	RBuf	   *o = &r->out;
	Plot		p;
	double		lo = s->ref == s->ref ? s->ref : 0,
				hi = lo;
	int			shown = 0;

	for (int k = 0; k < n; k++)
	{
		double		a = rv_num(res, rows[k], "conf_low");
		double		b = rv_num(res, rows[k], "conf_high");
		double		e = rv_num(res, rows[k], "estimate");

		if (e != e)
			continue;
		shown++;
		if (a == a && a < lo)
			lo = a;
		if (b == b && b > hi)
			hi = b;
		if (e < lo)
			lo = e;
		if (e > hi)
			hi = e;
	}
	{
		double		step = nice_step(lo, hi, 6);

		plot_init(&p, floor_to(lo, step), ceil_to(hi, step), 0, shown > 0 ? shown : 1);
	}
	p.x_only = true;
	p.left = s->left;
	p.height = p.top + 14.0 * (shown > 0 ? shown : 1) + 44;
	p.bottom = p.height - 44;
	svg_open(r, &p, s->chart, L(r, s->title_key));
	p.x_pct = s->pct;
	svg_axes(r, &p, L(r, s->xlabel_key), NULL, false);
	if (s->ref == s->ref)
		svg_vline(r, &p, s->ref, s->ref == 0 ? "zero" : "national");
	shown = 0;
	for (int k = 0; k < n; k++)
	{
		int			i = rows[k];
		double		e = rv_num(res, i, "estimate");
		double		a = rv_num(res, i, "conf_low");
		double		b = rv_num(res, i, "conf_high");
		double		y;
		const char *label = rv_text(res, i, s->label_col);
		const char *cls = position_class(rv_text(res, i, "position"));

		if (e != e)
			continue;
		y = p.top + 14.0 * shown + 7;
		shown++;
		rb_put(o, "<g class=\"row\"");
		rb_attr(o, s->key_attr, label);
		rb_attr(o, "data-estimate", rv_text(res, i, "estimate"));
		rb_attr(o, "data-conf-low", rv_text(res, i, "conf_low"));
		rb_attr(o, "data-conf-high", rv_text(res, i, "conf_high"));
		rb_put(o, ">");
		rb_printf(o, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">", p.left - 6, y + 3);
		rb_esc(o, label ? label : L(r, s->null_label_key));
		rb_put(o, "</text>");
		if (a == a && b == b)
			rb_printf(o, "<line class=\"ci%s\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>",
					  cls, plot_x(&p, a), plot_x(&p, b), y, y);
		rb_printf(o, "<circle class=\"muni%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"%s\"><title>",
				  label ? cls : " above", plot_x(&p, e), y, label ? "3.5" : "5");
		rb_esc(o, label ? label : L(r, s->null_label_key));
		rb_put(o, ": ");
		if (s->pct)
			fmt_pct(r, o, e);
		else
			fmt_num(r, o, e, 3);
		rb_put(o, "</title></circle></g>\n");
	}
	svg_close(r);
}

static int
cmp_by_estimate_desc(const void *a, const void *b, void *arg)
{
	return cmp_column(arg, *(const int *) a, *(const int *) b, "estimate", true);
}

void
section_benchmark(Report *r)
{
	static const TableCol cols[] = {
		{"municipality", "municipality", 't'}, {"n_persons", "n_persons", 'i'},
		{"observed", "observed", 'i'}, {"expected", "expected", 'n'},
		{"raw_estimate", "raw_estimate", 'p'}, {"estimate", "adjusted", 'p'},
		{"conf_low", "conf_low", 'p'}, {"conf_high", "conf_high", 'p'},
		{"rank", "rank", 'i'}, {"position", "position", 't'}, {"good_result", "good_result", 'b'}};
	DotSpec		spec = {"caterpillar", "sec_caterpillar", "adjusted", "municipality", "national",
	"data-municipality", true, 0, 64};
	PGresult   *res;
	int		   *rows;
	int			n;

	res = section_rows(r, "funnel", "sec_funnel", "txt_funnel", "v_benchmark",
					   "municipality, n_persons, observed, expected, raw_estimate, estimate, conf_low, conf_high, "
					   "\"national\", funnel95_low, funnel95_high, funnel998_low, funnel998_high, rank, "
					   "\"position\", good_result, suppressed",
					   "municipality");
	if (res == NULL)
		return;
	n = PQntuples(res);
	funnel_plot(r, res);
	rb_put(&r->out, "</section>\n");

	section_head(r, "caterpillar", "sec_caterpillar", "txt_caterpillar");
	if ((rows = row_index(r, n)) != NULL)
	{
		sort_rows(rows, n, cmp_by_estimate_desc, res);
		spec.ref = rv_num(res, 0, "national");
		dot_rows(r, res, rows, n, &spec);
		free(rows);
	}
	html_table(r, res, "v_benchmark", cols, (int) (sizeof(cols) / sizeof(cols[0])));
	section_end(r, res);
}

/* The dot-and-interval rows of res in its order, then its table; closes the section. */
static void
dots_and_table(Report *r, PGresult *res, const DotSpec *spec, const char *view,
			   const TableCol *cols, int ncols)
{
	int			n = PQntuples(res);
	int		   *rows = row_index(r, n);

	if (rows != NULL)
	{
		dot_rows(r, res, rows, n, spec);
		free(rows);
		html_table(r, res, view, cols, ncols);
	}
	section_end(r, res);
}

void
section_effects(Report *r)
{
	static const TableCol cols[] = {
		{"municipality", "municipality", 't', "pooled"}, {"estimate", "effect", 'n'},
		{"std_error", "std_error", 'n'}, {"conf_low", "conf_low", 'n'}, {"conf_high", "conf_high", 'n'},
		{"n_treated", "n_treated", 'i'}, {"n_control", "n_control", 'i'}};
	DotSpec		spec = {"effects", "sec_effects", "effect", "municipality", "pooled",
	"data-municipality", false, 0, 64};
	PGresult   *res;

	res = section_rows(r, "effects", "sec_effects", "txt_effects", "v_municipality_effects",
					   "municipality, estimate, std_error, conf_low, conf_high, n_treated, n_control, suppressed",
					   "municipality NULLS FIRST");
	if (res != NULL)
		dots_and_table(r, res, &spec, "v_municipality_effects", cols, (int) (sizeof(cols) / sizeof(cols[0])));
}

void
section_progression(Report *r)
{
	static const TableCol cols_da[] = {
		{"item", "item", 'i'}, {"label_da", "item", 't', "overall"}, {"n_persons", "n_persons", 'i'},
		{"mean_first", "mean_first", 'n'}, {"mean_last", "mean_last", 'n'},
		{"estimate", "change", 'n'}, {"conf_low", "conf_low", 'n'}, {"conf_high", "conf_high", 'n'}};
	static const TableCol cols_en[] = {
		{"item", "item", 'i'}, {"label_en", "item", 't', "overall"}, {"n_persons", "n_persons", 'i'},
		{"mean_first", "mean_first", 'n'}, {"mean_last", "mean_last", 'n'},
		{"estimate", "change", 'n'}, {"conf_low", "conf_low", 'n'}, {"conf_high", "conf_high", 'n'}};
	DotSpec		spec = {"progression", "sec_progression", "change", NULL, "overall",
	"data-item-label", false, 0, 220};
	PGresult   *res;

	spec.label_col = r->da ? "label_da" : "label_en";
	res = section_rows(r, "progression", "sec_progression", "txt_progression", "v_progression_change",
					   "item, label_en, label_da, n_persons, mean_first, mean_last, estimate, std_error, conf_low, conf_high, suppressed",
					   "item NULLS LAST");
	if (res != NULL)
		dots_and_table(r, res, &spec, "v_progression_change", r->da ? cols_da : cols_en,
					   (int) (sizeof(cols_da) / sizeof(cols_da[0])));
}
