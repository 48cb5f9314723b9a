/*
 * report_format.c — the report's output buffer, HTML escaping and number
 * formatting (Danish decimal comma). See report.h.
 *
 * No libm and no locale: numbers are formatted by hand.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void
rb_init(RBuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void
rb_free(RBuf *b)
{
	free(b->data);
	rb_init(b);
}

/* Room for n more bytes and a terminating NUL. */
static bool
rb_reserve(RBuf *b, size_t n)
{
	size_t		need;
	char	   *p;

	if (b->failed)
		return false;
	if (n > ((size_t) 1 << 30) || b->len > ((size_t) 1 << 30))
	{
		b->failed = true;		/* a report is far smaller than 1 GB */
		return false;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return true;
	{
		size_t		cap = b->cap ? b->cap : 65536;

		while (cap < need)
			cap *= 2;
		p = realloc(b->data, cap);
		if (p == NULL)
		{
			b->failed = true;
			return false;
		}
		b->data = p;
		b->cap = cap;
	}
	return true;
}

void
rb_putn(RBuf *b, const char *s, size_t n)
{
	if (!rb_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
rb_put(RBuf *b, const char *s)
{
	rb_putn(b, s, strlen(s));
}

void
rb_printf(RBuf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;
	char		small[256];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
	{
		b->failed = true;
		return;
	}
	if ((size_t) n < sizeof(small))
	{
		rb_putn(b, small, (size_t) n);
		return;
	}
	if (!rb_reserve(b, (size_t) n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

void
rb_esc(RBuf *b, const char *s)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s; s++)
	{
		const char *rep;

		switch (*s)
		{
			case '&':
				rep = "&amp;";
				break;
			case '<':
				rep = "&lt;";
				break;
			case '>':
				rep = "&gt;";
				break;
			case '"':
				rep = "&quot;";
				break;
			case '\'':
				rep = "&#39;";
				break;
			default:
				continue;
		}
		rb_putn(b, run, (size_t) (s - run));
		rb_put(b, rep);
		run = s + 1;
	}
	rb_putn(b, run, (size_t) (s - run));
}

void
rb_attr(RBuf *b, const char *name, const char *value)
{
	rb_printf(b, " %s=\"", name);
	rb_esc(b, value);
	rb_put(b, "\"");
}

/*
 * v with the given decimals, thousands grouped. snprintf runs in the C
 * locale (nothing here calls setlocale), so its output has a "." decimal
 * point, which is then rewritten for the language.
 */
void
fmt_num(const Report *r, RBuf *b, double v, int decimals)
{
	char		raw[64];
	char		out[96];
	const char *p;
	const char *dot;
	int			ndig;
	int			o = 0;

	if (v != v)
	{
		rb_put(b, "\xe2\x80\x93");	/* en dash */
		return;
	}
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (strlen(raw) > 40)
	{
		rb_put(b, raw);			/* beyond any value in a report */
		return;
	}
	p = raw;
	/* no sign on a value that rounds to zero ("-0.000") */
	if (*p == '-' && strspn(p + 1, "0.") == strlen(p + 1))
		p++;
	if (*p == '-')
	{
		/* a typographic minus */
		memcpy(out + o, "\xe2\x88\x92", 3);
		o += 3;
		p++;
	}
	dot = strchr(p, '.');
	ndig = dot ? (int) (dot - p) : (int) strlen(p);
	for (int i = 0; i < ndig; i++)
	{
		out[o++] = p[i];
		if ((ndig - 1 - i) % 3 == 0 && i < ndig - 1)
			out[o++] = r->da ? '.' : ',';
	}
	if (dot)
	{
		out[o++] = r->da ? ',' : '.';
		for (p = dot + 1; *p; p++)
			out[o++] = *p;
	}
	out[o] = '\0';
	rb_put(b, out);
}

void
fmt_pct(const Report *r, RBuf *b, double v)
{
	if (v != v)
	{
		rb_put(b, "\xe2\x80\x93");
		return;
	}
	fmt_num(r, b, 100.0 * v, 1);
	rb_put(b, r->da ? "\xc2\xa0%" : "%");
}

void
fmt_coord(RBuf *b, double v)
{
	if (v != v)
		v = 0;
	rb_printf(b, "%.2f", v);
}
