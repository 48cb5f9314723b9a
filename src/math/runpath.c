/*
 * runpath.c — run-length weekly benefit paths (see runpath.h).
 *
 * Owns: the stored form, the text form, building runs from weeks and
 * spells (DREAM's priority rule: docs/methods.md, *Benefit paths and
 * per-person measures*), path_cover on the bytes, the week-state measures.
 * Must not touch: postgres.h (unit-tested in test/unit/test_runpath*.c).
 */
#include "runpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isoweek.h"

const char *
runpath_error_text(RunpathError e)
{
	switch (e)
	{
		case RUNPATH_OK:
			return "no error";
		case RUNPATH_ERR_DATE:
			return "expected a start date YYYY-MM-DD";
		case RUNPATH_ERR_NOT_MONDAY:
			return "the start date is not a Monday";
		case RUNPATH_ERR_COLON:
			return "expected \":\" after the start date";
		case RUNPATH_ERR_CODE:
			return "expected a benefit code (1..9999) or \"-\"";
		case RUNPATH_ERR_CODE_RANGE:
			return "benefit code outside 1..9999";
		case RUNPATH_ERR_X:
			return "expected \"x\" after the code";
		case RUNPATH_ERR_LENGTH:
			return "expected a positive whole number of weeks";
		case RUNPATH_ERR_TOO_LONG:
			return "path too long (at most 1000000 weeks, ending by 9999-12-31)";
		case RUNPATH_ERR_SEPARATOR:
			return "expected \",\" or the end of the input";
		case RUNPATH_ERR_EMPTY:
			return "a path needs at least one run";
		case RUNPATH_ERR_VERSION:
			return "unknown benefit_path version";
		case RUNPATH_ERR_TRUNCATED:
			return "value ends early";
		case RUNPATH_ERR_TRAILING:
			return "bytes after the last run";
		case RUNPATH_ERR_NOT_CANONICAL:
			return "adjacent runs have the same code";
		case RUNPATH_ERR_TOTAL:
			return "total weeks do not match the runs";
		case RUNPATH_ERR_DATE_RANGE:
			return "the weeks would fall outside 0001-01-01 .. 9999-12-31 (the last week of a path starts by 9999-12-20)";
	}
	return "unknown error";
}

int
runpath_put_varint(uint8_t *buf, uint32_t v)
{
	int			n = 0;

	if (v < 0x80)
	{
		/* the usual case: codes below 128, runs shorter than 128 weeks */
		buf[0] = (uint8_t) v;
		return 1;
	}

	while (v >= 0x80)
	{
		buf[n++] = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	buf[n++] = (uint8_t) v;
	return n;
}

/* runpath_get_varint (runpath.h) past its inline one-byte case */
int
runpath_get_varint_long(const uint8_t *buf, size_t len, uint32_t *v)
{
	uint32_t	r = 0;
	int			i;

	for (i = 0; i < 5 && (size_t) i < len; i++)
	{
		uint8_t		b = buf[i];

		if (i == 4 && b > 0x0F)
			return 0;			/* more than 32 bits */
		r |= (uint32_t) (b & 0x7F) << (7 * i);
		if ((b & 0x80) == 0)
		{
			/* reject overlong forms (a zero final byte after the first) */
			if (i > 0 && b == 0)
				return 0;
			*v = r;
			return i + 1;
		}
	}
	return 0;
}

/* bytes runpath_put_varint writes for v */
static inline size_t
varint_size(uint32_t v)
{
	return v < (1u << 7) ? 1 : v < (1u << 14) ? 2 : v < (1u << 21) ? 3 : v < (1u << 28) ? 4 : 5;
}

static uint32_t
zigzag(int32_t v)
{
	return v >= 0 ? (uint32_t) v * 2u : (uint32_t) (-(int64_t) v) * 2u - 1u;
}

static int32_t
unzigzag(uint32_t v)
{
	return (v & 1) ? (int32_t) (-(int64_t) (v >> 1) - 1) : (int32_t) (v >> 1);
}

int
runpath_canonicalize(RunpathRun *runs, int nruns)
{
	int			i,
				n = 0;

	for (i = 0; i < nruns; i++)
	{
		if (runs[i].len <= 0)
			continue;
		if (n > 0 && runs[n - 1].code == runs[i].code)
			runs[n - 1].len += runs[i].len;
		else
			runs[n++] = runs[i];
	}
	return n;
}

static int64_t
total_weeks(const RunpathRun *runs, int nruns)
{
	int64_t		t = 0;
	int			i;

	for (i = 0; i < nruns; i++)
		t += runs[i].len;
	return t;
}

size_t
runpath_encoded_size(int32_t start, const RunpathRun *runs, int nruns)
{
	size_t		n = 1;
	int			i;

	n += varint_size(zigzag(start));
	n += varint_size((uint32_t) nruns);
	n += varint_size((uint32_t) total_weeks(runs, nruns));
	for (i = 0; i < nruns; i++)
		n += varint_size((uint32_t) runs[i].code) + varint_size((uint32_t) runs[i].len);
	return n;
}

size_t
runpath_encode(uint8_t *buf, int32_t start, const RunpathRun *runs, int nruns)
{
	size_t		n = 0;
	int			i;

	buf[n++] = RUNPATH_VERSION;
	n += runpath_put_varint(buf + n, zigzag(start));
	n += runpath_put_varint(buf + n, (uint32_t) nruns);
	n += runpath_put_varint(buf + n, (uint32_t) total_weeks(runs, nruns));
	for (i = 0; i < nruns; i++)
	{
		n += runpath_put_varint(buf + n, (uint32_t) runs[i].code);
		n += runpath_put_varint(buf + n, (uint32_t) runs[i].len);
	}
	return n;
}

/* RUNPATH_OK, RUNPATH_ERR_TOO_LONG (weeks) or RUNPATH_ERR_DATE_RANGE (dates) */
static RunpathError
span_error(int32_t start, int64_t nweeks)
{
	if (nweeks < 1 || nweeks > RUNPATH_MAX_WEEKS)
		return RUNPATH_ERR_TOO_LONG;
	if (start < RUNPATH_MIN_DAY || start > RUNPATH_MAX_DAY)
		return RUNPATH_ERR_DATE_RANGE;
	/* the Sunday of the last week must still be a 4-digit-year date */
	if ((int64_t) start + nweeks * 7 - 1 > RUNPATH_MAX_DAY)
		return RUNPATH_ERR_DATE_RANGE;
	return RUNPATH_OK;
}

RunpathError
runpath_decode_header(const uint8_t *buf, size_t len, RunpathHeader *h)
{
	size_t		p = 1;
	uint32_t	v;
	int			k;
	RunpathError e;

	if (len < 1)
		return RUNPATH_ERR_TRUNCATED;
	if (buf[0] != RUNPATH_VERSION)
		return RUNPATH_ERR_VERSION;
	if ((k = runpath_get_varint(buf + p, len - p, &v)) == 0)
		return RUNPATH_ERR_TRUNCATED;
	p += k;
	h->start = unzigzag(v);
	if (h->start < RUNPATH_MIN_DAY || h->start > RUNPATH_MAX_DAY)
		return RUNPATH_ERR_DATE_RANGE;
	if (isoweek_weekday(h->start) != 1)
		return RUNPATH_ERR_NOT_MONDAY;
	if ((k = runpath_get_varint(buf + p, len - p, &v)) == 0)
		return RUNPATH_ERR_TRUNCATED;
	p += k;
	if (v == 0)
		return RUNPATH_ERR_EMPTY;
	if (v > RUNPATH_MAX_WEEKS)
		return RUNPATH_ERR_TOO_LONG;
	h->nruns = (int32_t) v;
	if ((k = runpath_get_varint(buf + p, len - p, &v)) == 0)
		return RUNPATH_ERR_TRUNCATED;
	p += k;
	if ((e = span_error(h->start, v)) != RUNPATH_OK)
		return e;
	h->nweeks = (int32_t) v;
	if (h->nruns > h->nweeks)
		return RUNPATH_ERR_TOTAL;
	/* every run needs at least two bytes */
	if ((len - p) / 2 < (size_t) h->nruns)
		return RUNPATH_ERR_TRUNCATED;
	h->runs_offset = p;
	return RUNPATH_OK;
}

RunpathError
runpath_decode_runs(const uint8_t *buf, size_t len, const RunpathHeader *h, RunpathRun *out)
{
	size_t		p = h->runs_offset;
	int64_t		total = 0;
	int			i,
				k;
	uint32_t	v;

	for (i = 0; i < h->nruns; i++)
	{
		if ((k = runpath_get_varint(buf + p, len - p, &v)) == 0)
			return RUNPATH_ERR_TRUNCATED;
		p += k;
		if (v > RUNPATH_MAX_CODE)
			return RUNPATH_ERR_CODE_RANGE;
		out[i].code = (int32_t) v;
		if ((k = runpath_get_varint(buf + p, len - p, &v)) == 0)
			return RUNPATH_ERR_TRUNCATED;
		p += k;
		if (v == 0)
			return RUNPATH_ERR_LENGTH;
		if (v > RUNPATH_MAX_WEEKS)
			return RUNPATH_ERR_TOO_LONG;
		out[i].len = (int32_t) v;
		total += v;
		if (i > 0 && out[i].code == out[i - 1].code)
			return RUNPATH_ERR_NOT_CANONICAL;
	}
	if (p != len)
		return RUNPATH_ERR_TRAILING;
	if (total != h->nweeks)
		return RUNPATH_ERR_TOTAL;
	return RUNPATH_OK;
}

RunpathError
runpath_validate(int32_t start, const RunpathRun *runs, int nruns)
{
	int64_t		total = 0;
	int			i;

	if (nruns < 1)
		return RUNPATH_ERR_EMPTY;
	if (start < RUNPATH_MIN_DAY || start > RUNPATH_MAX_DAY)
		return RUNPATH_ERR_DATE_RANGE;
	if (isoweek_weekday(start) != 1)
		return RUNPATH_ERR_NOT_MONDAY;
	for (i = 0; i < nruns; i++)
	{
		if (runs[i].code < 0 || runs[i].code > RUNPATH_MAX_CODE)
			return RUNPATH_ERR_CODE_RANGE;
		if (runs[i].len < 1)
			return RUNPATH_ERR_LENGTH;
		if (i > 0 && runs[i].code == runs[i - 1].code)
			return RUNPATH_ERR_NOT_CANONICAL;
		total += runs[i].len;
		if (total > RUNPATH_MAX_WEEKS)
			return RUNPATH_ERR_TOO_LONG;
	}
	return span_error(start, total);
}

/* Parse exactly n digits at s; -1 if any is not a digit. */
static int
fixed_digits(const char *s, int n)
{
	int			v = 0,
				i;

	for (i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * Unsigned decimal without sign, leading zeros or spaces, at most 7
 * digits; returns characters consumed (0 if none or malformed).
 */
static int
whole_number(const char *s, int64_t *v)
{
	int			i = 0;
	int64_t		r = 0;

	while (s[i] >= '0' && s[i] <= '9')
	{
		if (i >= 7)
			return -1;			/* too many digits */
		r = r * 10 + (s[i] - '0');
		i++;
	}
	if (i > 1 && s[0] == '0')
		return -2;				/* leading zero */
	*v = r;
	return i;
}

RunpathError
runpath_parse(const char *s, int32_t *start, RunpathRun *runs, int max_runs,
			  int *nruns, int *pos)
{
	int			y,
				m,
				d,
				p,
				n = 0,
				k;
	int64_t		total = 0;
	RunpathError e;
	int32_t		day;
	int			y2,
				m2,
				d2;

	*pos = 0;
	/* YYYY-MM-DD */
	y = fixed_digits(s, 4);
	if (y < 0 || s[4] != '-')
		return RUNPATH_ERR_DATE;
	m = fixed_digits(s + 5, 2);
	if (m < 1 || m > 12 || s[7] != '-')
		return RUNPATH_ERR_DATE;
	d = fixed_digits(s + 8, 2);
	if (d < 1 || d > 31 || y < 1)
		return RUNPATH_ERR_DATE;
	day = isoweek_days_from_civil(y, m, d);
	isoweek_civil_from_days(day, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		return RUNPATH_ERR_DATE;	/* e.g. 2019-02-30 */
	if (isoweek_weekday(day) != 1)
		return RUNPATH_ERR_NOT_MONDAY;
	*start = day;
	p = 10;
	if (s[p] != ':')
	{
		*pos = p;
		return RUNPATH_ERR_COLON;
	}
	p++;
	for (;;)
	{
		int32_t		code;
		int64_t		v;

		*pos = p;
		if (s[p] == '\0' && n == 0)
			return RUNPATH_ERR_EMPTY;
		if (s[p] == '-')
		{
			code = RUNPATH_NONE;
			p++;
		}
		else
		{
			k = whole_number(s + p, &v);
			if (k <= 0)
				return RUNPATH_ERR_CODE;
			if (v < 1 || v > RUNPATH_MAX_CODE)
				return RUNPATH_ERR_CODE_RANGE;
			code = (int32_t) v;
			p += k;
		}
		*pos = p;
		if (s[p] != 'x')
			return RUNPATH_ERR_X;
		p++;
		*pos = p;
		k = whole_number(s + p, &v);
		if (k == -1)
			return RUNPATH_ERR_TOO_LONG;
		if (k <= 0 || v < 1)
			return RUNPATH_ERR_LENGTH;
		if (v > RUNPATH_MAX_WEEKS)
			return RUNPATH_ERR_TOO_LONG;
		total += v;
		if ((e = span_error(*start, total)) != RUNPATH_OK)
			return e;
		p += k;
		if (n > 0 && runs[n - 1].code == code)
			runs[n - 1].len += (int32_t) v;
		else
		{
			if (n >= max_runs)
				return RUNPATH_ERR_TOO_LONG;
			runs[n].code = code;
			runs[n].len = (int32_t) v;
			n++;
		}
		*pos = p;
		if (s[p] == '\0')
			break;
		if (s[p] != ',')
			return RUNPATH_ERR_SEPARATOR;
		p++;
	}
	*nruns = n;
	return RUNPATH_OK;
}

size_t
runpath_text_size(int nruns)
{
	/* date + ':' ; per run up to "9999x1000000," = 13 */
	return 11 + (size_t) nruns * 13;
}

size_t
runpath_format(char *buf, int32_t start, const RunpathRun *runs, int nruns)
{
	int			y,
				m,
				d,
				i;
	size_t		n;

	isoweek_civil_from_days(start, &y, &m, &d);
	n = (size_t) sprintf(buf, "%04d-%02d-%02d:", y, m, d);
	for (i = 0; i < nruns; i++)
	{
		if (i > 0)
			buf[n++] = ',';
		if (runs[i].code == RUNPATH_NONE)
			n += (size_t) sprintf(buf + n, "-x%d", (int) runs[i].len);
		else
			n += (size_t) sprintf(buf + n, "%dx%d", (int) runs[i].code, (int) runs[i].len);
	}
	buf[n] = '\0';
	return n;
}

/* -1, 0 or 1 as a is below, equal to or above b */
static inline int
cmp_key(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* by week, then code (equal weeks in a fixed order whatever the input's) */
static int
cmp_week(const void *a, const void *b)
{
	const RunpathWeek *x = a,
			   *y = b;
	int			c = cmp_key(x->week, y->week);

	return c ? c : cmp_key(x->code, y->code);
}

void
runpath_sort_weeks(RunpathWeek *w, size_t n)
{
	size_t		i;

	/* rows usually arrive in week order: skip the sort then */
	for (i = 1; i < n; i++)
		if (w[i].week < w[i - 1].week)
			break;
	if (i < n)
		qsort(w, n, sizeof(RunpathWeek), cmp_week);
}

long
runpath_find_duplicate(const RunpathWeek *w, size_t n)
{
	size_t		i;

	for (i = 1; i < n; i++)
		if (w[i].week == w[i - 1].week)
			return (long) i;
	return -1;
}

static int
priority_rank(int32_t code)
{
	if (code >= 997 && code <= 999)
		return 0;
	if (code != RUNPATH_NONE)
		return 1;
	return 2;
}

int32_t
runpath_priority_winner(int32_t a, int32_t b)
{
	int			ra = priority_rank(a),
				rb = priority_rank(b);

	if (ra != rb)
		return ra < rb ? a : b;
	return a < b ? a : b;
}

size_t
runpath_collapse_priority(RunpathWeek *w, size_t n)
{
	size_t		i,
				m = 0;

	for (i = 0; i < n; i++)
	{
		if (m > 0 && w[m - 1].week == w[i].week)
			w[m - 1].code = runpath_priority_winner(w[m - 1].code, w[i].code);
		else
			w[m++] = w[i];
	}
	return m;
}

int
runpath_push_run(RunpathRun *out, int n, int32_t code, int64_t len)
{
	if (len <= 0)
		return n;
	if (n > 0 && out[n - 1].code == code)
		out[n - 1].len += (int32_t) len;
	else
	{
		out[n].code = code;
		out[n].len = (int32_t) len;
		n++;
	}
	return n;
}

/* the weeks from..to (Mondays) with code after a span ending prev_to (none when first) */
static int
push_span(RunpathRun *out, int n, bool first, int32_t prev_to, int32_t from, int32_t to, int32_t code)
{
	if (!first)
		n = runpath_push_run(out, n, RUNPATH_NONE, ((int64_t) from - prev_to) / 7 - 1);
	return runpath_push_run(out, n, code, ((int64_t) to - from) / 7 + 1);
}

int
runpath_from_weeks(const RunpathWeek *w, size_t n, RunpathRun *out)
{
	size_t		i;
	int			r = 0;

	for (i = 0; i < n; i++)
		r = push_span(out, r, i == 0, i > 0 ? w[i - 1].week : 0, w[i].week, w[i].week, w[i].code);
	return r;
}

/* by first week, last week, then input order */
static int
cmp_spell(const void *a, const void *b)
{
	const RunpathSpell *x = a,
			   *y = b;
	int			c = cmp_key(x->from, y->from);

	if (c == 0)
		c = cmp_key(x->to, y->to);
	return c ? c : cmp_key(x->ord, y->ord);
}

void
runpath_sort_spells(RunpathSpell *s, size_t n)
{
	qsort(s, n, sizeof(RunpathSpell), cmp_spell);
}

long
runpath_find_overlap(const RunpathSpell *s, size_t n)
{
	size_t		i;

	for (i = 1; i < n; i++)
		if (s[i].from <= s[i - 1].to)
			return (long) i;
	return -1;
}

int
runpath_from_spells(const RunpathSpell *s, size_t n, RunpathRun *out)
{
	size_t		i;
	int			r = 0;

	for (i = 0; i < n; i++)
		r = push_span(out, r, i == 0, i > 0 ? s[i - 1].to : 0, s[i].from, s[i].to, s[i].code);
	return r;
}

void
runpath_state_counts(const RunpathStateRun *r, int n, int64_t from, int64_t to,
					 int64_t counts[RUNPATH_NSTATES])
{
	int64_t		pos = 0,
				covered = 0;
	int			i;

	memset(counts, 0, sizeof(int64_t) * RUNPATH_NSTATES);
	if (to < from)
		return;
	for (i = 0; i < n && pos <= to; i++)
	{
		int64_t		a = pos,
					b = pos + r[i].len - 1;

		if (a < from)
			a = from;
		if (b > to)
			b = to;
		if (a <= b)
		{
			counts[r[i].code] += b - a + 1;
			covered += b - a + 1;
		}
		pos += r[i].len;
	}
	counts[RUNPATH_UNOBSERVED] = (to - from + 1) - covered;
}

int64_t
runpath_longest_self(const RunpathStateRun *r, int n, int64_t from, int64_t to)
{
	int64_t		pos = 0,
				best = 0;
	int			i;

	/* state runs are canonical: self runs are maximal */
	for (i = 0; i < n && pos <= to; i++)
	{
		if (r[i].code == RUNPATH_SELF)
		{
			int64_t		a = pos,
						b = pos + r[i].len - 1;

			if (a < from)
				a = from;
			if (b > to)
				b = to;
			if (b - a + 1 > best)
				best = b - a + 1;
		}
		pos += r[i].len;
	}
	return best;
}

int64_t
runpath_first_self_run(const RunpathStateRun *r, int n, int64_t from,
					   int64_t last_start, int64_t k)
{
	int64_t		pos = 0;
	int			i;

	if (k < 1)
		k = 1;
	for (i = 0; i < n; i++)
	{
		int64_t		a = pos,
					b = pos + r[i].len - 1;

		pos += r[i].len;
		if (r[i].code != RUNPATH_SELF || b < from)
			continue;
		if (a < from)
			a = from;
		if (last_start >= from && a > last_start)
			return -1;
		if (b - a + 1 >= k)
			return a;
	}
	return -1;
}

int
runpath_state_at(const RunpathStateRun *r, int n, int64_t i)
{
	int64_t		pos = 0;
	int			j;

	if (i < 0)
		return RUNPATH_UNOBSERVED;
	for (j = 0; j < n; j++)
	{
		if (i < pos + r[j].len)
			return r[j].code;
		pos += r[j].len;
	}
	return RUNPATH_UNOBSERVED;
}

/*
 * path_cover on the stored bytes. The runs in between are copied as they
 * are (they were validated when the value was made and are validated again
 * by every decoder); only the first and the last run are decoded, to merge
 * them with the added no-benefit weeks when they are no-benefit runs.
 */
size_t
runpath_cover(const uint8_t *buf, size_t len, int32_t from, int32_t to,
			  uint8_t *out, RunpathError *err)
{
	RunpathHeader h;
	uint32_t	c0,
				l0,
				cl,
				ll;
	size_t		p,
				first_end,
				last_at,
				n = 0;
	int64_t		last_week,
				start,
				end,
				before,
				after,
				nweeks;
	int32_t		nruns;
	int			k,
				i;

	if ((*err = runpath_decode_header(buf, len, &h)) != RUNPATH_OK)
		return 0;
	last_week = (int64_t) h.start + ((int64_t) h.nweeks - 1) * 7;
	start = from < h.start ? from : h.start;
	end = to > last_week ? to : last_week;
	before = (h.start - start) / 7;
	after = (end - last_week) / 7;
	nweeks = (int64_t) h.nweeks + before + after;
	if ((*err = span_error((int32_t) start, nweeks)) != RUNPATH_OK)
		return 0;

	/* the first run, and where the last one starts */
	p = h.runs_offset;
	if ((k = runpath_get_varint(buf + p, len - p, &c0)) == 0)
		goto truncated;
	p += k;
	if ((k = runpath_get_varint(buf + p, len - p, &l0)) == 0)
		goto truncated;
	p += k;
	first_end = p;
	last_at = h.runs_offset;
	for (i = 1; i < h.nruns; i++)
	{
		last_at = p;
		if ((k = runpath_get_varint(buf + p, len - p, &cl)) == 0)
			goto truncated;
		p += k;
		if ((k = runpath_get_varint(buf + p, len - p, &ll)) == 0)
			goto truncated;
		p += k;
	}
	if (p != len)
	{
		*err = RUNPATH_ERR_TRAILING;
		return 0;
	}
	if (h.nruns == 1)
	{
		cl = c0;
		ll = l0;
	}

	nruns = h.nruns + (before > 0 && c0 != RUNPATH_NONE) + (after > 0 && cl != RUNPATH_NONE);
	out[n++] = RUNPATH_VERSION;
	n += runpath_put_varint(out + n, zigzag((int32_t) start));
	n += runpath_put_varint(out + n, (uint32_t) nruns);
	n += runpath_put_varint(out + n, (uint32_t) nweeks);
	if (before > 0 && c0 != RUNPATH_NONE)
	{
		n += runpath_put_varint(out + n, RUNPATH_NONE);
		n += runpath_put_varint(out + n, (uint32_t) before);
	}
	if (h.nruns == 1)
	{
		/* one run: both additions may merge with it */
		uint32_t	l = l0;

		if (c0 == RUNPATH_NONE)
			l += (uint32_t) (before + after);
		n += runpath_put_varint(out + n, c0);
		n += runpath_put_varint(out + n, l);
	}
	else
	{
		n += runpath_put_varint(out + n, c0);
		n += runpath_put_varint(out + n, c0 == RUNPATH_NONE ? l0 + (uint32_t) before : l0);
		memcpy(out + n, buf + first_end, last_at - first_end);
		n += last_at - first_end;
		n += runpath_put_varint(out + n, cl);
		n += runpath_put_varint(out + n, cl == RUNPATH_NONE ? ll + (uint32_t) after : ll);
	}
	if (after > 0 && cl != RUNPATH_NONE)
	{
		n += runpath_put_varint(out + n, RUNPATH_NONE);
		n += runpath_put_varint(out + n, (uint32_t) after);
	}
	*err = RUNPATH_OK;
	return n;

truncated:
	*err = RUNPATH_ERR_TRUNCATED;
	return 0;
}
