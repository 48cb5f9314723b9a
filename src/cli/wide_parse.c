/*
 * wide_parse.c — parsing DREAM wide files: PNR;[background...;]y_YYWW;...
 * (see wide_parse.h). No database work and no exit on bad input.
 *
 * The header must name the person column and at least one week column,
 * and the week columns must be valid ISO weeks (two-digit years, YY < 90
 * = 20YY), consecutive and ascending. A data line is good when it has the
 * header's number of fields, a non-empty person id, codes 1..9999 or
 * empty (or the null marker) in every week column and, when the file is
 * UTF-8, valid UTF-8 in the id and the background columns.
 */
#include "wide_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "isoweek.h"

/* Why a y_ column name is not a week; NULL if it is one. */
static const char *
week_column_problem(const char *name, int32_t *monday, char *msg,
					size_t msglen)
{
	int			yy,
				ww,
				year,
				i;

	if (isoweek_from_dream_column(name, monday))
		return NULL;
	for (i = 2; i < 6; i++)
		if (!isdigit((unsigned char) name[i]))
			return "not of the form y_YYWW (two-digit year, two-digit week)";
	if (name[6] != '\0')
		return "not of the form y_YYWW (two-digit year, two-digit week)";
	yy = (name[2] - '0') * 10 + (name[3] - '0');
	ww = (name[4] - '0') * 10 + (name[5] - '0');
	year = yy < 90 ? 2000 + yy : 1900 + yy;
	if (ww < 1 || ww > 53)
		snprintf(msg, msglen,
				 "week %02d does not exist (ISO weeks are 01..52 or 53)", ww);
	else
		snprintf(msg, msglen,
				 "ISO year %d has %d weeks, so week %02d does not exist",
				 year, isoweek_weeks_in_year(year), ww);
	return msg;
}

void
wide_header_free(WideHeader *h)
{
	size_t		i;

	if (h->names != NULL)
		for (i = 0; i < h->ncols; i++)
			free(h->names[i]);
	free(h->names);
	free(h->week_idx);
	free(h->is_background);
	memset(h, 0, sizeof(*h));
}

const char *
wide_parse_header(char *line, char *sep, const char *person_column,
				  bool utf8, WideHeader *h, char *errbuf, size_t errlen)
{
	SiFields	fs = {0};
	const char *err;
	size_t		i,
				j;
	bool		have_person = false;
	int32_t		prev = 0;
	char		why[160];

	memset(h, 0, sizeof(*h));
	/* a UTF-8 byte-order mark before the first name */
	if ((unsigned char) line[0] == 0xEF && (unsigned char) line[1] == 0xBB &&
		(unsigned char) line[2] == 0xBF)
		line += 3;
	if (*sep == '\0')
	{
		*sep = detect_separator(line);
		if (*sep == '\0')
		{
			snprintf(errbuf, errlen, "line 1 (header): no separator found (looked for ';', ',' and TAB); give one with --separator");
			return errbuf;
		}
	}
	if ((err = split_fields(line, *sep, &fs)) != NULL)
	{
		snprintf(errbuf, errlen, "line 1 (header): %s", err);
		goto fail;
	}

	h->ncols = fs.n;
	h->names = si_malloc(fs.n * sizeof(char *));
	memset(h->names, 0, fs.n * sizeof(char *));
	h->week_idx = si_malloc(fs.n * sizeof(size_t));
	h->is_background = si_malloc(fs.n * sizeof(bool));
	h->nweeks = 0;
	for (i = 0; i < fs.n; i++)
	{
		char	   *name = trim_blanks(fs.f[i]);

		h->names[i] = strdup(name);
		if (h->names[i] == NULL)
			si_fatal("out of memory");
		h->is_background[i] = false;
		if (name[0] == '\0')
		{
			snprintf(errbuf, errlen, "line 1 (header): column %zu has no name", i + 1);
			goto fail;
		}
		if (utf8 && !utf8_valid(name, strlen(name)))
		{
			snprintf(errbuf, errlen, "line 1 (header): column %zu name is not valid UTF-8 (use --encoding)", i + 1);
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (strcasecmp(h->names[j], name) == 0)
			{
				snprintf(errbuf, errlen, "line 1 (header): column \"%s\" appears twice (columns %zu and %zu)",
						 name, j + 1, i + 1);
				goto fail;
			}
		if (strcasecmp(name, person_column) == 0)
		{
			h->person_idx = i;
			have_person = true;
		}
		else if ((name[0] == 'y' || name[0] == 'Y') && name[1] == '_')
		{
			int32_t		monday;
			const char *bad = week_column_problem(name, &monday, why, sizeof(why));

			if (bad != NULL)
			{
				snprintf(errbuf, errlen, "line 1 (header): column %zu \"%s\" is not a valid DREAM week column: %s",
						 i + 1, name, bad);
				goto fail;
			}
			if (h->nweeks == 0)
				h->first_week = monday;
			else if (monday != prev + 7)
			{
				char		want[8];

				if (!isoweek_to_dream_column(prev + 7, want, sizeof(want)))
					strcpy(want, "?");
				snprintf(errbuf, errlen, "line 1 (header): column %zu \"%s\" follows \"%s\"; week columns must be consecutive ISO weeks in ascending order (expected \"%s\")",
						 i + 1, name, h->names[h->week_idx[h->nweeks - 1]], want);
				goto fail;
			}
			prev = monday;
			h->week_idx[h->nweeks++] = i;
		}
		else
			h->is_background[i] = true;
	}
	if (!have_person)
	{
		snprintf(errbuf, errlen, "line 1 (header): no person column \"%s\" (give its name with --person-column)",
				 person_column);
		goto fail;
	}
	if (h->nweeks == 0)
	{
		snprintf(errbuf, errlen, "line 1 (header): no week columns (y_YYWW)");
		goto fail;
	}
	free(fs.f);
	return NULL;

fail:
	free(fs.f);
	wide_header_free(h);
	return errbuf;
}

/*
 * A benefit code field: 0 = no benefit, 1..9999 = code, -1 = bad (reason
 * written to why).
 */
static int
parse_code(const char *s, const char *null_marker, char *why, size_t whylen)
{
	long		v = 0;
	const char *p;

	if (*s == '\0' || (null_marker != NULL && strcmp(s, null_marker) == 0))
		return 0;
	for (p = s; *p; p++)
	{
		if (!isdigit((unsigned char) *p))
		{
			snprintf(why, whylen,
					 "code \"%.40s\" is not a whole number (codes are 1..9999, empty = no benefit)",
					 s);
			return -1;
		}
		if (v < 100000)
			v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 9999)
	{
		snprintf(why, whylen, "code %.40s is outside 1..9999", s);
		return -1;
	}
	return (int) v;
}

/*
 * The common week fields without trimming or messages: empty (0), or one
 * to four digits making 1..9999. -2: anything else, for parse_code (which
 * gives the same answer for these, so this is only a shortcut).
 */
static inline int
quick_code(const char *f, const char *null_marker)
{
	int			v = 0,
				i;

	if (f[0] == '\0')
		return 0;
	if (null_marker != NULL)
		return -2;
	for (i = 0; i < 4 && f[i] >= '0' && f[i] <= '9'; i++)
		v = v * 10 + (f[i] - '0');
	if (i == 0 || f[i] != '\0' || v == 0)
		return -2;
	return v;
}

/* Append a non-negative number in decimal (no printf: once per run). */
static void
put_uint(SiBuf *b, unsigned long v)
{
	char		tmp[24];
	int			n = 0;

	do
	{
		tmp[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		buf_putc(b, tmp[--n]);
}

static void
path_run(SiBuf *path, int code, long n, bool *first)
{
	if (!*first)
		buf_putc(path, ',');
	*first = false;
	if (code == 0)
		buf_putc(path, '-');
	else
		put_uint(path, (unsigned long) code);
	buf_putc(path, 'x');
	put_uint(path, (unsigned long) n);
}

void
wide_row_init(WideRow *r)
{
	r->person = NULL;
	buf_init(&r->codes);
	buf_init(&r->path);
	buf_init(&r->bg);
	r->extra[0] = '\0';
}

void
wide_row_free(WideRow *r)
{
	buf_free(&r->codes);
	buf_free(&r->path);
	buf_free(&r->bg);
}

const char *
wide_parse_line(const WideHeader *h, const WideOptions *o, char *line,
				size_t n, SiFields *fs, WideRow *row, const char **badcol,
				char *why, size_t whylen)
{
	const char *err;
	char	   *person;
	size_t		k,
				i;
	int			run_code = -1;
	long		run_n = 0;
	bool		first_run = true,
				first_bg = true;
	char		first[16];

	row->person = NULL;
	*badcol = "";
	if (n != strlen(line))
		return "line contains a NUL byte";
	if (n == 0)
		return "empty line";
	if ((err = split_fields(line, o->sep, fs)) != NULL)
		return err;
	person = fs->n > h->person_idx ? trim_blanks(fs->f[h->person_idx]) : NULL;
	if (person != NULL && o->utf8 && !utf8_valid(person, strlen(person)))
		person = NULL;
	/* a reject row's id must fit the staging column (bigint or text) */
	row->person = (person != NULL && o->bigint_ids && !person_id_is_bigint(person)) ? NULL : person;
	if (fs->n != h->ncols)
	{
		if (fs->n < h->ncols)
		{
			snprintf(why, whylen,
					 "too few fields: %zu, the header has %zu (first missing column is \"%s\")",
					 fs->n, h->ncols, h->names[fs->n]);
			*badcol = h->names[fs->n];
		}
		else
		{
			snprintf(why, whylen, "too many fields: %zu, the header has %zu",
					 fs->n, h->ncols);
			snprintf(row->extra, sizeof(row->extra), "(field %zu)", h->ncols + 1);
			*badcol = row->extra;
		}
		return why;
	}
	if (person == NULL || person[0] == '\0')
	{
		row->person = NULL;
		*badcol = h->names[h->person_idx];
		return person == NULL ? "person id is not valid UTF-8 (use --encoding)"
			: "empty person id";
	}
	if (o->bigint_ids && !person_id_is_bigint(person))
	{
		row->person = NULL;
		*badcol = h->names[h->person_idx];
		return person_id_bigint_reason(person, why, whylen);
	}

	/* week columns: codes array and run-length path */
	buf_reset(&row->codes);
	buf_reset(&row->path);
	buf_putc(&row->codes, '{');
	format_date(h->first_week, first, sizeof(first));
	buf_printf(&row->path, "%s:", first);
	for (k = 0; k < h->nweeks; k++)
	{
		int			code = quick_code(fs->f[h->week_idx[k]], o->null_marker);

		if (code == -2)
			code = parse_code(trim_blanks(fs->f[h->week_idx[k]]),
							  o->null_marker, why, whylen);

		if (code < 0)
		{
			*badcol = h->names[h->week_idx[k]];
			return why;
		}
		if (!o->no_weeks)
		{
			if (k > 0)
				buf_putc(&row->codes, ',');
			if (code == 0)
				buf_puts(&row->codes, "NULL");
			else
				buf_printf(&row->codes, "%d", code);
		}
		if (code == run_code)
			run_n++;
		else
		{
			if (run_n > 0)
				path_run(&row->path, run_code, run_n, &first_run);
			run_code = code;
			run_n = 1;
		}
	}
	path_run(&row->path, run_code, run_n, &first_run);
	buf_putc(&row->codes, '}');

	/* background columns as a JSON object of strings (empty = null) */
	buf_reset(&row->bg);
	buf_putc(&row->bg, '{');
	for (i = 0; i < h->ncols; i++)
	{
		char	   *v;

		if (!h->is_background[i])
			continue;
		v = trim_blanks(fs->f[i]);
		if (o->utf8 && !utf8_valid(v, strlen(v)))
		{
			*badcol = h->names[i];
			return "value is not valid UTF-8 (use --encoding)";
		}
		if (!first_bg)
			buf_puts(&row->bg, ", ");
		first_bg = false;
		json_string(&row->bg, h->names[i]);
		buf_puts(&row->bg, ": ");
		if (v[0] == '\0')
			buf_puts(&row->bg, "null");
		else
			json_string(&row->bg, v);
	}
	buf_putc(&row->bg, '}');
	return NULL;
}
