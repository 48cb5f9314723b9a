/*
 * load_wide.c — DREAM wide files: PNR;[background...;]y_YYWW;...
 *
 * The header is checked completely before any data line is read: it must
 * name the person column and at least one week column, and the week
 * columns must be valid ISO weeks (two-digit years, YY < 90 = 20YY),
 * consecutive and ascending. Anything wrong there is fatal.
 *
 * Each data line becomes one row of the staging table, written with COPY
 * while the file is read (one line in memory at a time):
 *   good line:  line, person_id, NULL, NULL, raw prefix,
 *               codes int[] (one element per week column, NULL = no
 *               benefit), path text (run-length encoded here), background
 *               jsonb (every non-week column except the person id)
 *   bad line:   line, person_id, column, reason, raw prefix, NULL...
 * Duplicates and the final move into the target tables are done in SQL
 * by si_load.c, inside the same transaction.
 */
#include "si_load.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "isoweek.h"

#define WIDE_DATA_COLS 3

typedef struct WideHeader
{
	size_t		ncols;			/* fields in the header */
	char	  **names;			/* column names */
	size_t		person_idx;
	size_t	   *week_idx;		/* column index of the k-th week */
	size_t		nweeks;
	int32_t		first_week;		/* Monday (DateADT day number) */
	bool	   *is_background;	/* per column */
} WideHeader;

/* Why a y_ column name is not a week; NULL if it is one. */
static const char *
week_column_problem(const char *name, int32_t *monday)
{
	static char msg[160];
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
		snprintf(msg, sizeof(msg),
				 "week %02d does not exist (ISO weeks are 01..52 or 53)", ww);
	else
		snprintf(msg, sizeof(msg),
				 "ISO year %d has %d weeks, so week %02d does not exist",
				 year, isoweek_weeks_in_year(year), ww);
	return msg;
}

static void
parse_header(SiLoad *ld, char *line, WideHeader *h)
{
	SiFields	fs = {0};
	const char *err;
	size_t		i,
				j;
	bool		have_person = false;
	int32_t		prev = 0;

	/* a UTF-8 byte-order mark before the first name */
	if ((unsigned char) line[0] == 0xEF && (unsigned char) line[1] == 0xBB &&
		(unsigned char) line[2] == 0xBF)
		line += 3;
	if (ld->sep == '\0')
	{
		ld->sep = detect_separator(line);
		if (ld->sep == '\0')
			si_fatal("%s: line 1 (header): no separator found (looked for ';', ',' and TAB); give one with --separator",
					 ld->label);
	}
	if ((err = split_fields(line, ld->sep, &fs)) != NULL)
		si_fatal("%s: line 1 (header): %s", ld->label, err);

	h->ncols = fs.n;
	h->names = si_malloc(fs.n * sizeof(char *));
	h->week_idx = si_malloc(fs.n * sizeof(size_t));
	h->is_background = si_malloc(fs.n * sizeof(bool));
	h->nweeks = 0;
	for (i = 0; i < fs.n; i++)
	{
		char	   *name = trim_blanks(fs.f[i]);

		h->names[i] = strdup(name);
		h->is_background[i] = false;
		if (name[0] == '\0')
			si_fatal("%s: line 1 (header): column %zu has no name",
					 ld->label, i + 1);
		if (ld->utf8 && !utf8_valid(name, strlen(name)))
			si_fatal("%s: line 1 (header): column %zu name is not valid UTF-8 (use --encoding)",
					 ld->label, i + 1);
		for (j = 0; j < i; j++)
			if (strcasecmp(h->names[j], name) == 0)
				si_fatal("%s: line 1 (header): column \"%s\" appears twice (columns %zu and %zu)",
						 ld->label, name, j + 1, i + 1);
		if (strcasecmp(name, ld->person_column) == 0)
		{
			h->person_idx = i;
			have_person = true;
		}
		else if ((name[0] == 'y' || name[0] == 'Y') && name[1] == '_')
		{
			int32_t		monday;
			const char *why = week_column_problem(name, &monday);

			if (why != NULL)
				si_fatal("%s: line 1 (header): column %zu \"%s\" is not a valid DREAM week column: %s",
						 ld->label, i + 1, name, why);
			if (h->nweeks == 0)
				h->first_week = monday;
			else if (monday != prev + 7)
			{
				char		want[8];

				if (!isoweek_to_dream_column(prev + 7, want, sizeof(want)))
					strcpy(want, "?");
				si_fatal("%s: line 1 (header): column %zu \"%s\" follows \"%s\"; week columns must be consecutive ISO weeks in ascending order (expected \"%s\")",
						 ld->label, i + 1, name,
						 h->names[h->week_idx[h->nweeks - 1]], want);
			}
			prev = monday;
			h->week_idx[h->nweeks++] = i;
		}
		else
			h->is_background[i] = true;
	}
	if (!have_person)
		si_fatal("%s: line 1 (header): no person column \"%s\" (give its name with --person-column)",
				 ld->label, ld->person_column);
	if (h->nweeks == 0)
		si_fatal("%s: line 1 (header): no week columns (y_YYWW)", ld->label);
	free(fs.f);
}

void
stage_reject(SiBuf *out, long long line, const char *person,
			 const char *column, const char *reason,
			 const char *raw, size_t rawlen, int ncols)
{
	int			i;

	buf_printf(out, "%lld\t", line);
	if (person != NULL)
		copy_escape(out, person, strlen(person));
	else
		buf_puts(out, "\\N");
	buf_putc(out, '\t');
	copy_escape(out, column, strlen(column));
	buf_putc(out, '\t');
	copy_escape(out, reason, strlen(reason));
	buf_putc(out, '\t');
	copy_raw(out, raw, rawlen);
	for (i = 0; i < ncols; i++)
		buf_puts(out, "\t\\N");
	buf_putc(out, '\n');
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

static void
path_run(SiBuf *path, int code, long n, bool *first)
{
	if (!*first)
		buf_putc(path, ',');
	*first = false;
	if (code == 0)
		buf_printf(path, "-x%ld", n);
	else
		buf_printf(path, "%dx%ld", code, n);
}

void
load_wide(SiLoad *ld)
{
	WideHeader	h = {0};
	SiFields	fs = {0};
	SiCopy		cp;
	SiBuf		codes,
				path,
				bg;
	char	   *line = NULL,
			   *copyline = NULL;
	size_t		cap = 0,
				copycap = 0;
	ssize_t		n;
	long long	lineno = 1;
	char		why[256],
				extra[32],
				first[16],
				last[16];
	const char *params[3];

	if ((n = read_line(ld->fp, &line, &cap)) < 0)
		si_fatal("%s: the file is empty (no header line)", ld->label);
	if ((size_t) n != strlen(line))
		si_fatal("%s: line 1 (header) contains a NUL byte", ld->label);
	parse_header(ld, line, &h);

	run_cmd(ld->conn,
			"CREATE TEMP TABLE si_load_stage (line bigint, person_id pg_catalog.text, col pg_catalog.text, "
			"reason pg_catalog.text, raw pg_catalog.text, codes integer[], path pg_catalog.text, background pg_catalog.jsonb) "
			"ON COMMIT DROP");
	copy_begin(&cp, ld->conn, "COPY pg_temp.si_load_stage FROM STDIN");
	buf_init(&codes);
	buf_init(&path);
	buf_init(&bg);

	while ((n = read_line(ld->fp, &line, &cap)) >= 0)
	{
		const char *err;
		const char *badcol = NULL;
		char	   *person;
		size_t		k,
					i;
		int			run_code = -1;
		long		run_n = 0;
		bool		first_run = true,
					first_bg = true;

		lineno++;
		progress_tick(&ld->prog);
		/* keep the raw line for the reject table; split a copy */
		if ((size_t) n + 1 > copycap)
		{
			copycap = (size_t) n + 1;
			copyline = si_realloc(copyline, copycap);
		}
		memcpy(copyline, line, (size_t) n + 1);

		if ((size_t) n != strlen(line))
		{
			stage_reject(&cp.buf, lineno, NULL, "", "line contains a NUL byte",
						 line, (size_t) n, WIDE_DATA_COLS);
			goto rejected;
		}
		if (n == 0)
		{
			stage_reject(&cp.buf, lineno, NULL, "", "empty line",
						 line, 0, WIDE_DATA_COLS);
			goto rejected;
		}
		if ((err = split_fields(copyline, ld->sep, &fs)) != NULL)
		{
			stage_reject(&cp.buf, lineno, NULL, "", err, line, (size_t) n,
						 WIDE_DATA_COLS);
			goto rejected;
		}
		person = fs.n > h.person_idx ? trim_blanks(fs.f[h.person_idx]) : NULL;
		if (person != NULL && ld->utf8 && !utf8_valid(person, strlen(person)))
			person = NULL;
		if (fs.n != h.ncols)
		{
			if (fs.n < h.ncols)
			{
				snprintf(why, sizeof(why),
						 "too few fields: %zu, the header has %zu (first missing column is \"%s\")",
						 fs.n, h.ncols, h.names[fs.n]);
				badcol = h.names[fs.n];
			}
			else
			{
				snprintf(why, sizeof(why),
						 "too many fields: %zu, the header has %zu",
						 fs.n, h.ncols);
				snprintf(extra, sizeof(extra), "(field %zu)", h.ncols + 1);
				badcol = extra;
			}
			stage_reject(&cp.buf, lineno, person, badcol, why, line,
						 (size_t) n, WIDE_DATA_COLS);
			goto rejected;
		}
		if (person == NULL || person[0] == '\0')
		{
			stage_reject(&cp.buf, lineno, NULL, h.names[h.person_idx],
						 person == NULL ? "person id is not valid UTF-8 (use --encoding)"
						 : "empty person id",
						 line, (size_t) n, WIDE_DATA_COLS);
			goto rejected;
		}

		/* week columns: codes array and run-length path */
		buf_reset(&codes);
		buf_reset(&path);
		buf_putc(&codes, '{');
		format_date(h.first_week, first, sizeof(first));
		buf_printf(&path, "%s:", first);
		for (k = 0; k < h.nweeks; k++)
		{
			char	   *f = trim_blanks(fs.f[h.week_idx[k]]);
			int			code = parse_code(f, ld->null_marker, why, sizeof(why));

			if (code < 0)
			{
				badcol = h.names[h.week_idx[k]];
				break;
			}
			if (!ld->no_weeks)
			{
				if (k > 0)
					buf_putc(&codes, ',');
				if (code == 0)
					buf_puts(&codes, "NULL");
				else
					buf_printf(&codes, "%d", code);
			}
			if (code == run_code)
				run_n++;
			else
			{
				if (run_n > 0)
					path_run(&path, run_code, run_n, &first_run);
				run_code = code;
				run_n = 1;
			}
		}
		if (badcol != NULL)
		{
			stage_reject(&cp.buf, lineno, person, badcol, why, line,
						 (size_t) n, WIDE_DATA_COLS);
			goto rejected;
		}
		path_run(&path, run_code, run_n, &first_run);
		buf_putc(&codes, '}');

		/* background columns as a jsonb object of strings (empty = null) */
		buf_reset(&bg);
		buf_putc(&bg, '{');
		for (i = 0; i < h.ncols; i++)
		{
			char	   *v;

			if (!h.is_background[i])
				continue;
			v = trim_blanks(fs.f[i]);
			if (ld->utf8 && !utf8_valid(v, strlen(v)))
			{
				badcol = h.names[i];
				break;
			}
			if (!first_bg)
				buf_puts(&bg, ", ");
			first_bg = false;
			json_string(&bg, h.names[i]);
			buf_puts(&bg, ": ");
			if (v[0] == '\0')
				buf_puts(&bg, "null");
			else
				json_string(&bg, v);
		}
		if (badcol != NULL)
		{
			stage_reject(&cp.buf, lineno, person, badcol,
						 "value is not valid UTF-8 (use --encoding)", line,
						 (size_t) n, WIDE_DATA_COLS);
			goto rejected;
		}
		buf_putc(&bg, '}');

		buf_printf(&cp.buf, "%lld\t", lineno);
		copy_escape(&cp.buf, person, strlen(person));
		buf_puts(&cp.buf, "\t\\N\t\\N\t");
		copy_raw(&cp.buf, line, (size_t) n);
		buf_putc(&cp.buf, '\t');
		if (ld->no_weeks)
			buf_puts(&cp.buf, "\\N");	/* the path carries the weeks */
		else
			buf_putn(&cp.buf, codes.data, codes.len);
		buf_putc(&cp.buf, '\t');
		buf_putn(&cp.buf, path.data, path.len);
		buf_putc(&cp.buf, '\t');
		copy_escape(&cp.buf, bg.data, bg.len);
		buf_putc(&cp.buf, '\n');
		copy_flush_if_full(&cp);
		continue;

rejected:
		ld->prog.rejects++;
		copy_flush_if_full(&cp);
	}
	copy_end(&cp);
	progress_done(&ld->prog);
	ld->lines = lineno - 1;
	free(line);
	free(copyline);
	free(fs.f);
	buf_free(&codes);
	buf_free(&path);
	buf_free(&bg);

	/* From here on everything happens in SQL, in the same transaction. */
	format_date(h.first_week, first, sizeof(first));
	format_date(h.first_week + 7 * (int32_t) (h.nweeks - 1), last, sizeof(last));
	params[0] = ld->label;
	params[1] = first;
	params[2] = last;

	/* A person's second (third, ...) good line is rejected. */
	{
		const char *dup_params[1];

		dup_params[0] = h.names[h.person_idx];
		exec_tmpl(ld,
				  "UPDATE pg_temp.si_load_stage s SET col = $1, "
				  "reason = 'duplicate person id: the first line of this person is line ' || d.first_line, "
				  "codes = NULL, path = NULL, background = NULL "
				  "FROM (SELECT person_id, pg_catalog.min(line) AS first_line FROM pg_temp.si_load_stage "
				  "      WHERE reason IS NULL GROUP BY person_id HAVING pg_catalog.count(*) > 1) d "
				  "WHERE s.person_id = d.person_id AND s.reason IS NULL AND s.line > d.first_line",
				  1, dup_params);
	}

	/* Replace the weeks of the file's period for the persons in it. */
	if (!ld->no_weeks)
	{
		exec_tmpl(ld,
				  "DELETE FROM @week@ w WHERE w.week BETWEEN $1::pg_catalog.date AND $2::pg_catalog.date "
				  "AND w.person_id IN (SELECT person_id FROM pg_temp.si_load_stage WHERE reason IS NULL)",
				  2, params + 1);
		exec_tmpl(ld,
				  "INSERT INTO @week@ (person_id, week, code) "
				  "SELECT s.person_id, $1::pg_catalog.date + 7 * (u.i::integer - 1), u.c "
				  "FROM pg_temp.si_load_stage s CROSS JOIN LATERAL pg_catalog.unnest(s.codes) WITH ORDINALITY AS u(c, i) "
				  "WHERE s.reason IS NULL AND u.c IS NOT NULL",
				  1, params + 1);
	}
	/*
	 * The observed period is the span of every file loaded for the person
	 * (yearly files add up, as the path does); background, file and line
	 * are the latest file's.
	 */
	exec_tmpl(ld,
			  "INSERT INTO @person@ AS p (person_id, first_week, last_week, background, file, line, loaded_at) "
			  "SELECT person_id, $2::pg_catalog.date, $3::pg_catalog.date, background, $1::pg_catalog.text, line, pg_catalog.now() "
			  "FROM pg_temp.si_load_stage WHERE reason IS NULL "
			  "ON CONFLICT (person_id) DO UPDATE SET "
			  "first_week = least(p.first_week, excluded.first_week), "
			  "last_week = greatest(p.last_week, excluded.last_week), "
			  "background = excluded.background, file = excluded.file, "
			  "line = excluded.line, loaded_at = excluded.loaded_at",
			  3, params);
	if (ld->path_type != NULL)
	{
		/*
		 * A person's stored path keeps its weeks outside this file's period
		 * (another year's file); the file's weeks replace the rest. Weeks
		 * between the two periods that no file covers are no benefit, as in
		 * the week table (no row = no benefit).
		 */
		exec_tmpl(ld,
				  "UPDATE pg_temp.si_load_stage s SET path = m.path::pg_catalog.text "
				  "FROM (SELECT s2.line, @ext@.benefit_path_from_spells(r.f, r.t, r.c) AS path "
				  "      FROM pg_temp.si_load_stage s2 "
				  "      JOIN @path@ p ON p.person_id = s2.person_id "
				  "      CROSS JOIN LATERAL ("
				  "        SELECT x.from_week AS f, x.to_week AS t, x.code AS c "
				  "        FROM @ext@.path_runs(s2.path::@pathtype@) x "
				  "        UNION ALL "
				  "        SELECT x.from_week, least(x.to_week, $1::pg_catalog.date - 7), x.code "
				  "        FROM @ext@.path_runs(p.path) x WHERE x.from_week < $1::pg_catalog.date "
				  "        UNION ALL "
				  "        SELECT greatest(x.from_week, $2::pg_catalog.date + 7), x.to_week, x.code "
				  "        FROM @ext@.path_runs(p.path) x WHERE x.to_week > $2::pg_catalog.date) r "
				  "      WHERE s2.reason IS NULL "
				  "        AND (@ext@.path_start(p.path) < $1::pg_catalog.date OR @ext@.path_end(p.path) > $2::pg_catalog.date) "
				  "      GROUP BY s2.line) m "
				  "WHERE s.line = m.line",
				  2, params + 1);
		exec_tmpl(ld,
				  "DELETE FROM @path@ p WHERE p.person_id IN "
				  "(SELECT person_id FROM pg_temp.si_load_stage WHERE reason IS NULL)",
				  0, NULL);
		exec_tmpl(ld,
				  "INSERT INTO @path@ (person_id, path) "
				  "SELECT person_id, path::@pathtype@ "
				  "FROM pg_temp.si_load_stage WHERE reason IS NULL",
				  0, NULL);
	}
	for (size_t i = 0; i < h.ncols; i++)
		free(h.names[i]);
	free(h.names);
	free(h.week_idx);
	free(h.is_background);
}
