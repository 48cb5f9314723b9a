/*
 * load_wide.c — DREAM wide files: PNR;[background...;]y_YYWW;...
 *
 * The header is checked completely before any data line is read
 * (wide_parse.c: person column, valid, consecutive, ascending ISO week
 * columns). Anything wrong there is fatal.
 *
 * Each data line becomes one row of the staging table, written with COPY
 * while the file is read (one line in memory at a time):
 *   good line:  line, person_id, NULL, NULL, raw prefix,
 *               codes int[] (one element per week column, NULL = no
 *               benefit), path (run-length encoded here, read by the
 *               server as benefit_path, or text without the extension),
 *               background jsonb (every non-week column except the person
 *               id)
 *   bad line:   line, person_id, column, reason, raw prefix, NULL...
 * Then, in SQL inside the same transaction, duplicates are rejected and
 * the good rows replace the persons' rows in the target tables. Reading,
 * staging and reject rows are load_stage.c's; this file must not call into
 * si_load.c (which calls it).
 */
#include "load_stage.h"
#include "wide_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "isoweek.h"

#define WIDE_DATA_COLS 3

/* What the pass over the data lines needs (shared with the workers). */
typedef struct WidePass
{
	const WideHeader *h;
	const WideOptions *opt;
} WidePass;

static void
wide_pass(SiStage *st, void *arg)
{
	const WidePass *wp = arg;
	SiLoad	   *ld = st->ld;
	WideRow		row;
	SiFields	fs = {0};
	char		why[256];

	wide_row_init(&row);
	while (stage_next(st))
	{
		const char *reason;
		const char *badcol;
		SiBuf	   *out = &st->cp.buf;

		reason = wide_parse_line(wp->h, wp->opt, st->work, st->len, &fs, &row,
								 &badcol, why, sizeof(why));
		if (reason != NULL)
		{
			stage_reject_line(st, row.person, badcol, reason);
			continue;
		}

		stage_good(st, row.person);
		buf_putc(out, '\t');
		if (ld->no_weeks)
			buf_puts(out, "\\N");	/* the path carries the weeks */
		else
			buf_putn(out, row.codes.data, row.codes.len);
		buf_putc(out, '\t');
		buf_putn(out, row.path.data, row.path.len);
		buf_putc(out, '\t');
		copy_escape(out, row.bg.data, row.bg.len);
		buf_putc(out, '\n');
		copy_flush_if_full(&st->cp);
	}
	free(fs.f);
	wide_row_free(&row);
}

void
load_wide(SiLoad *ld)
{
	WideHeader	h;
	WideOptions opt;
	WidePass	wp;
	SiStage		st;
	SiBuf		cols;
	char		why[256],
				first[16],
				last[16];
	const char *params[3];

	if (wide_parse_header(stage_header(&st, ld), &ld->sep, ld->person_column,
						  ld->utf8, &h, why, sizeof(why)) != NULL)
		si_fatal("%s: %s", ld->label, why);
	opt.sep = ld->sep;
	opt.null_marker = ld->null_marker;
	opt.utf8 = ld->utf8;
	opt.no_weeks = ld->no_weeks;
	opt.bigint_ids = ld->person_bigint;
	wp.h = &h;
	wp.opt = &opt;

	/*
	 * The path column has the benefit_path type when it exists, so the
	 * server reads each path once, while the lines are staged (by every
	 * worker in parallel with --jobs).
	 */
	buf_init(&cols);
	buf_printf(&cols, "codes integer[], path %s, background pg_catalog.jsonb",
			   ld->path_type ? ld->path_type : "pg_catalog.text");
	stage_run(&st, cols.data, WIDE_DATA_COLS, "s.codes, s.path, s.background",
			  wide_pass, &wp);
	buf_free(&cols);

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
				  "UPDATE pg_temp.si_load_stage s SET path = m.path "
				  "FROM (SELECT s2.line, @ext@.benefit_path_from_spells(r.f, r.t, r.c) AS path "
				  "      FROM pg_temp.si_load_stage s2 "
				  "      JOIN @path@ p ON p.person_id = s2.person_id "
				  "      CROSS JOIN LATERAL ("
				  "        SELECT x.from_week AS f, x.to_week AS t, x.code AS c "
				  "        FROM @ext@.path_runs(s2.path) x "
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
				  "SELECT person_id, path "
				  "FROM pg_temp.si_load_stage WHERE reason IS NULL",
				  0, NULL);
	}
	wide_header_free(&h);
}
