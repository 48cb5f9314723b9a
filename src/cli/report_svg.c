/*
 * report_svg.c — inline SVG helpers of the report: a linear plot box,
 * axes with nice ticks, reference lines and legend entries. Coordinates
 * are written with two decimals in the C locale; labels in the report's
 * language.
 *
 * Shapes only; must not query the database.
 */
#include <stdio.h>

#include "report.h"

void
plot_init(Plot *p, double x0, double x1, double y0, double y1)
{
	if (!(x1 > x0))
		x1 = x0 + 1;
	if (!(y1 > y0))
		y1 = y0 + 1;
	p->x0 = x0;
	p->x1 = x1;
	p->y0 = y0;
	p->y1 = y1;
	p->width = 720;
	p->height = 320;
	p->left = 64;
	p->right = p->width - 16;
	p->top = 28;
	p->bottom = p->height - 44;
	p->x_only = false;
	p->no_xticks = false;
	p->x_pct = false;
}

double
plot_x(const Plot *p, double x)
{
	return p->left + (x - p->x0) / (p->x1 - p->x0) * (p->right - p->left);
}

double
plot_y(const Plot *p, double y)
{
	return p->bottom - (y - p->y0) / (p->y1 - p->y0) * (p->bottom - p->top);
}

/* Powers of ten without libm. */
static double
pow10i(int k)
{
	double		v = 1;

	for (; k > 0; k--)
		v *= 10;
	for (; k < 0; k++)
		v /= 10;
	return v;
}

double
nice_step(double lo, double hi, int n)
{
	double		raw = (hi - lo) / (n > 0 ? n : 1);
	double		mag;
	int			k = 0;

	if (!(raw > 0) || raw > 1e300)
		return 1;
	while (pow10i(k + 1) <= raw && k < 300)
		k++;
	while (pow10i(k) > raw && k > -300)
		k--;
	mag = pow10i(k);
	if (raw <= mag)
		return mag;
	if (raw <= 2 * mag)
		return 2 * mag;
	if (raw <= 2.5 * mag)
		return 2.5 * mag;
	if (raw <= 5 * mag)
		return 5 * mag;
	return 10 * mag;
}

/*
 * v rounded down (up = false) or up to a multiple of step, without libm;
 * v itself when |v/step| is too large for a long long
 */
static double
to_multiple(double v, double step, bool up)
{
	double		q = v / step;
	long long	i;

	if (!(q > -4e18 && q < 4e18))
		return v;
	i = (long long) q;			/* truncated toward zero */
	if (up && (double) i < q)
		i++;
	else if (!up && (double) i > q)
		i--;
	return (double) i * step;
}

double
floor_to(double v, double step)
{
	return to_multiple(v, step, false);
}

double
ceil_to(double v, double step)
{
	return to_multiple(v, step, true);
}

void
svg_open(Report *r, const Plot *p, const char *chart, const char *title)
{
	rb_printf(&r->out, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\"", p->width, p->height);
	rb_attr(&r->out, "data-chart", chart);
	rb_attr(&r->out, "aria-label", title);
	rb_put(&r->out, "><title>");
	rb_esc(&r->out, title);
	rb_put(&r->out, "</title>\n");
}

void
svg_close(Report *r)
{
	rb_put(&r->out, "</svg>\n");
}

static int
decimals_for(double step)
{
	int			d = 0;

	while (d < 6 && floor_to(step * pow10i(d) + 1e-9, 1) < step * pow10i(d) - 1e-6)
		d++;
	return d;
}

void
svg_axes(Report *r, const Plot *p, const char *xlabel, const char *ylabel, bool y_pct)
{
	RBuf	   *o = &r->out;
	double		xs = nice_step(p->x0, p->x1, 8);
	double		ys = nice_step(p->y0, p->y1, 5);
	int			xd = decimals_for(p->x_pct ? xs * 100 : xs);
	int			yd = decimals_for(y_pct ? ys * 100 : ys);

	rb_put(o, "<g class=\"axes\">");
	rb_printf(o, "<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>",
			  p->left, p->top, p->right - p->left, p->bottom - p->top);
	for (double y = ceil_to(p->y0, ys); !p->x_only && y <= p->y1 + ys * 1e-9; y += ys)
	{
		double		py = plot_y(p, y);

		rb_printf(o, "<line class=\"grid\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>",
				  p->left, p->right, py, py);
		rb_printf(o, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">", p->left - 6, py + 4);
		if (y_pct)
		{
			fmt_num(r, o, (y > -ys * 1e-9 && y < ys * 1e-9) ? 0 : 100 * y, yd);
			rb_put(o, r->da ? "\xc2\xa0%" : "%");
		}
		else
			fmt_num(r, o, (y > -ys * 1e-9 && y < ys * 1e-9) ? 0 : y, yd);
		rb_put(o, "</text>");
	}
	for (double x = ceil_to(p->x0, xs); !p->no_xticks && x <= p->x1 + xs * 1e-9; x += xs)
	{
		double		px = plot_x(p, x);

		rb_printf(o, "<line class=\"tickmark\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>",
				  px, px, p->bottom, p->bottom + 4);
		rb_printf(o, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", px, p->bottom + 16);
		fmt_num(r, o, (x > -xs * 1e-9 && x < xs * 1e-9) ? 0 : (p->x_pct ? 100 * x : x), xd);
		if (p->x_pct)
			rb_put(o, r->da ? "\xc2\xa0%" : "%");
		rb_put(o, "</text>");
	}
	rb_printf(o, "<text class=\"axis-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">",
			  (p->left + p->right) / 2, p->height - 6);
	rb_esc(o, xlabel);
	rb_put(o, "</text>");
	if (ylabel)
	{
		rb_printf(o, "<text class=\"axis-label\" x=\"12\" y=\"%.2f\" text-anchor=\"middle\" transform=\"rotate(-90 12 %.2f)\">",
				  (p->top + p->bottom) / 2, (p->top + p->bottom) / 2);
		rb_esc(o, ylabel);
		rb_put(o, "</text>");
	}
	rb_put(o, "</g>\n");
}

void
svg_hline(Report *r, const Plot *p, double y, const char *cls)
{
	if (y != y || y < p->y0 || y > p->y1)
		return;
	rb_printf(&r->out, "<line class=\"%s\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>\n",
			  cls, p->left, p->right, plot_y(p, y), plot_y(p, y));
}

void
svg_vline(Report *r, const Plot *p, double x, const char *cls)
{
	if (x != x || x < p->x0 || x > p->x1)
		return;
	rb_printf(&r->out, "<line class=\"%s\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>\n",
			  cls, plot_x(p, x), plot_x(p, x), p->top, p->bottom);
}

void
svg_legend(Report *r, const Plot *p, int slot, const char *cls, const char *text)
{
	double		x = p->left + 8 + slot * 170;
	double		y = 14;

	rb_printf(&r->out, "<g class=\"legend\"><rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"10\"/>",
			  cls, x, y - 9);
	rb_printf(&r->out, "<text x=\"%.2f\" y=\"%.2f\">", x + 20, y);
	rb_esc(&r->out, text);
	rb_put(&r->out, "</text></g>\n");
}
