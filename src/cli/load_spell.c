/*
 * load_spell.c — spell files (DST "Offentligt forsørgede" style): one
 * spell per line with a person id, a from date, a to date (inclusive) and
 * a code, found by header name:
 *   person: the --person-column name (default PNR) or PERSON_ID
 *   from:   PTI_VFRA, FROM_DATE, FROM, VFRA
 *   to:     PTI_VTIL, TO_DATE, TO, VTIL
 *   code:   PTI_TILSTAND_KODE, CODE, KODE
 * Other columns are ignored. Dates: YYYY-MM-DD, YYYYMMDD or DDMONYYYY
 * (SAS DATE9., e.g. 03JAN2019).
 *
 * Each line becomes one staging row (line, person_id, col, reason, raw,
 * from_date, to_date, code); overlaps, and the expansion into ISO weeks,
 * are done in SQL below, in the same transaction. Reading, staging and
 * reject rows are load_stage.c's; this file must not call into si_load.c
 * (which calls it).
 */
#include "load_stage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "isoweek.h"

#define SPELL_DATA_COLS 3

static const char *const from_names[] = {"pti_vfra", "from_date", "from", "vfra", NULL};
static const char *const to_names[] = {"pti_vtil", "to_date", "to", "vtil", NULL};
static const char *const code_names[] = {"pti_tilstand_kode", "code", "kode", NULL};

static bool
name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcasecmp(name, *list) == 0)
			return true;
	return false;
}

static const char *const months[] = {
	"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
	"JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
};

/* Parse a date; false if it is not one of the accepted forms or invalid. */
static bool
parse_date(const char *s, int32_t *days)
{
	int			y,
				m = 0,
				d,
				yy,
				mm,
				dd,
				i;
	size_t		n = strlen(s);

	for (i = 0; i < (int) n; i++)
		if (!isalnum((unsigned char) s[i]) && s[i] != '-')
			return false;
	if (n == 10 && s[4] == '-' && s[7] == '-')
	{
		if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
			return false;
		for (i = 0; i < 10; i++)
			if (i != 4 && i != 7 && !isdigit((unsigned char) s[i]))
				return false;
	}
	else if (n == 8 && strspn(s, "0123456789") == 8)
	{
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
	}
	else if (n == 9 && isdigit((unsigned char) s[0]) && isdigit((unsigned char) s[1]) &&
			 strspn(s + 5, "0123456789") == 4)
	{
		d = (s[0] - '0') * 10 + (s[1] - '0');
		for (i = 0; i < 12; i++)
			if (strncasecmp(s + 2, months[i], 3) == 0)
				m = i + 1;
		y = atoi(s + 5);
	}
	else
		return false;
	if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*days = isoweek_days_from_civil(y, m, d);
	isoweek_civil_from_days(*days, &yy, &mm, &dd);
	return yy == y && mm == m && dd == d;
}

static size_t
find_column(SiLoad *ld, SiFields *fs, const char *const *names,
			const char *what, const char *person_column)
{
	size_t		i,
				found = (size_t) -1;

	for (i = 0; i < fs->n; i++)
	{
		const char *name = fs->f[i];

		if (person_column != NULL ?
			(strcasecmp(name, person_column) == 0 || strcasecmp(name, "person_id") == 0) :
			name_in(name, names))
		{
			if (found != (size_t) -1)
				si_fatal("%s: line 1 (header): two %s columns (\"%s\" and \"%s\")",
						 ld->label, what, fs->f[found], name);
			found = i;
		}
	}
	if (found == (size_t) -1)
		si_fatal("%s: line 1 (header): no %s column", ld->label, what);
	return found;
}

void
load_spells(SiLoad *ld)
{
	SiFields	fs = {0};
	SiStage		st;
	char	  **names;
	size_t		ncols,
				i,
				c_person,
				c_from,
				c_to,
				c_code;
	const char *err;
	PGresult   *res;
	char		why[256],
				extra[32];
	char		fromtxt[16],
				totxt[16];
	const char *params[3];

	{
		char	   *hdr = stage_header(&st, ld);

		if ((unsigned char) hdr[0] == 0xEF && (unsigned char) hdr[1] == 0xBB &&
			(unsigned char) hdr[2] == 0xBF)
			hdr += 3;
		if (ld->sep == '\0' && (ld->sep = detect_separator(hdr)) == '\0')
			si_fatal("%s: line 1 (header): no separator found (looked for ';', ',' and TAB); give one with --separator",
					 ld->label);
		if ((err = split_fields(hdr, ld->sep, &fs)) != NULL)
			si_fatal("%s: line 1 (header): %s", ld->label, err);
	}
	for (i = 0; i < fs.n; i++)
		fs.f[i] = trim_blanks(fs.f[i]);
	c_person = find_column(ld, &fs, NULL, "person id", ld->person_column);
	c_from = find_column(ld, &fs, from_names, "from date (PTI_VFRA, FROM_DATE, FROM)", NULL);
	c_to = find_column(ld, &fs, to_names, "to date (PTI_VTIL, TO_DATE, TO)", NULL);
	c_code = find_column(ld, &fs, code_names, "code (PTI_TILSTAND_KODE, CODE, KODE)", NULL);
	ncols = fs.n;
	names = si_malloc(ncols * sizeof(char *));
	for (i = 0; i < ncols; i++)
		names[i] = strdup(fs.f[i]);

	stage_begin(&st, "from_date pg_catalog.date, to_date pg_catalog.date, code integer",
				SPELL_DATA_COLS);

	while (stage_next(&st))
	{
		char	   *person,
				   *f;
		const char *badcol = NULL;
		int32_t		from,
					to;
		long		code = 0;

		person = NULL;
		if (st.len != strlen(st.line))
		{
			snprintf(why, sizeof(why), "line contains a NUL byte");
			badcol = "";
			goto rejected;
		}
		if (st.len == 0)
		{
			snprintf(why, sizeof(why), "empty line");
			badcol = "";
			goto rejected;
		}
		if ((err = split_fields(st.work, ld->sep, &fs)) != NULL)
		{
			snprintf(why, sizeof(why), "%s", err);
			badcol = "";
			goto rejected;
		}
		if (fs.n > c_person)
		{
			person = trim_blanks(fs.f[c_person]);
			if (ld->utf8 && !utf8_valid(person, strlen(person)))
				person = NULL;
			/* a reject row's id must fit the staging column (bigint or text) */
			if (person != NULL && person[0] != '\0' && ld->person_bigint && !person_id_is_bigint(person))
			{
				person_id_bigint_reason(person, why, sizeof(why));
				badcol = names[c_person];
				person = NULL;
				goto rejected;
			}
		}
		if (fs.n != ncols)
		{
			if (fs.n < ncols)
			{
				snprintf(why, sizeof(why),
						 "too few fields: %zu, the header has %zu (first missing column is \"%s\")",
						 fs.n, ncols, names[fs.n]);
				badcol = names[fs.n];
			}
			else
			{
				snprintf(why, sizeof(why), "too many fields: %zu, the header has %zu",
						 fs.n, ncols);
				snprintf(extra, sizeof(extra), "(field %zu)", ncols + 1);
				badcol = extra;
			}
			goto rejected;
		}
		if (person == NULL || person[0] == '\0')
		{
			snprintf(why, sizeof(why), "%s", person == NULL ?
					 "person id is not valid UTF-8 (use --encoding)" : "empty person id");
			badcol = names[c_person];
			person = NULL;
			goto rejected;
		}
		f = trim_blanks(fs.f[c_from]);
		if (!parse_date(f, &from))
		{
			snprintf(why, sizeof(why),
					 "from date \"%.40s\" is not a date (YYYY-MM-DD, YYYYMMDD or DDMONYYYY, years 1900..2099)", f);
			badcol = names[c_from];
			goto rejected;
		}
		f = trim_blanks(fs.f[c_to]);
		if (!parse_date(f, &to))
		{
			snprintf(why, sizeof(why),
					 "to date \"%.40s\" is not a date (YYYY-MM-DD, YYYYMMDD or DDMONYYYY, years 1900..2099)", f);
			badcol = names[c_to];
			goto rejected;
		}
		format_date(from, fromtxt, sizeof(fromtxt));
		format_date(to, totxt, sizeof(totxt));
		if (to < from)
		{
			snprintf(why, sizeof(why), "to date %s is before from date %s",
					 totxt, fromtxt);
			badcol = names[c_to];
			goto rejected;
		}
		f = trim_blanks(fs.f[c_code]);
		if (*f == '\0' || strspn(f, "0123456789") != strlen(f))
		{
			snprintf(why, sizeof(why),
					 "code \"%.40s\" is not a whole number (codes are 1..9999)", f);
			badcol = names[c_code];
			goto rejected;
		}
		for (; *f; f++)
			if (code < 100000)
				code = code * 10 + (*f - '0');
		if (code < 1 || code > 9999)
		{
			snprintf(why, sizeof(why), "code %s is outside 1..9999",
					 trim_blanks(fs.f[c_code]));
			badcol = names[c_code];
			goto rejected;
		}
		stage_good(&st, person);
		buf_printf(&st.cp.buf, "\t%s\t%s\t%ld\n", fromtxt, totxt, code);
		copy_flush_if_full(&st.cp);
		continue;

rejected:
		stage_reject_line(&st, person, badcol, why);
	}
	stage_end(&st);
	free(fs.f);

	/*
	 * A spell overlapping (in days) a spell of the same person on an earlier
	 * line is rejected. The rule is applied to the spells as read, so a
	 * spell can be rejected for overlapping a spell that is itself rejected.
	 */
	params[0] = names[c_from];
	exec_tmpl(ld,
			  "UPDATE pg_temp.si_load_stage s SET col = $1, "
			  "reason = 'spell ' || s.from_date || '..' || s.to_date || ' overlaps the spell on line ' "
			  "|| o.other || ' of the same person', from_date = NULL, to_date = NULL, code = NULL "
			  "FROM (SELECT a.line, pg_catalog.min(b.line) AS other "
			  "      FROM pg_temp.si_load_stage a JOIN pg_temp.si_load_stage b "
			  "        ON b.person_id = a.person_id AND b.line < a.line "
			  "       AND b.from_date <= a.to_date AND a.from_date <= b.to_date "
			  "      WHERE a.reason IS NULL AND b.reason IS NULL GROUP BY a.line) o "
			  "WHERE s.line = o.line",
			  1, params);

	/* The file's period: from its first day to its last day of spells. */
	res = run_params(ld->conn,
					 "SELECT pg_catalog.min(from_date), pg_catalog.max(to_date) FROM pg_temp.si_load_stage "
					 "WHERE reason IS NULL", 0, NULL);
	if (!PQgetisnull(res, 0, 0))
	{
		params[0] = ld->label;
		params[1] = PQgetvalue(res, 0, 0);
		params[2] = PQgetvalue(res, 0, 1);
		exec_tmpl(ld,
				  "DELETE FROM @spell@ t WHERE t.from_date <= $2::pg_catalog.date AND t.to_date >= $1::pg_catalog.date "
				  "AND t.person_id IN (SELECT person_id FROM pg_temp.si_load_stage WHERE reason IS NULL)",
				  2, params + 1);
		exec_tmpl(ld,
				  "INSERT INTO @spell@ (person_id, from_date, to_date, code, file, line) "
				  "SELECT person_id, from_date, to_date, code, $1::pg_catalog.text, line "
				  "FROM pg_temp.si_load_stage WHERE reason IS NULL",
				  1, params);
		exec_tmpl(ld,
				  "DELETE FROM @week@ w "
				  "WHERE w.week BETWEEN pg_catalog.date_trunc('week', $1::pg_catalog.date)::pg_catalog.date AND pg_catalog.date_trunc('week', $2::pg_catalog.date)::pg_catalog.date "
				  "AND w.person_id IN (SELECT person_id FROM pg_temp.si_load_stage WHERE reason IS NULL)",
				  2, params + 1);

		/*
		 * A week touched by several spells of a person takes the code of the
		 * spell covering most of its days; on a tie, the later spell.
		 */
		exec_tmpl(ld,
				  "INSERT INTO @week@ (person_id, week, code) "
				  "SELECT DISTINCT ON (s.person_id, g.week) s.person_id, g.week, s.code "
				  "FROM pg_temp.si_load_stage s CROSS JOIN LATERAL "
				  "  (SELECT d::pg_catalog.date AS week FROM pg_catalog.generate_series(pg_catalog.date_trunc('week', s.from_date), "
				  "          pg_catalog.date_trunc('week', s.to_date), interval '7 days') AS d) g "
				  "WHERE s.reason IS NULL "
				  "ORDER BY s.person_id, g.week, "
				  "  least(s.to_date, g.week + 6) - greatest(s.from_date, g.week) DESC, "
				  "  s.from_date DESC, s.line DESC",
				  0, NULL);
	}
	PQclear(res);
	for (i = 0; i < ncols; i++)
		free(names[i]);
	free(names);
}
