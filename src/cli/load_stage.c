/*
 * load_stage.c — what si_load's loaders share (see load_stage.h): SQL
 * templates over the target tables, and one pass over the input into the
 * staging table (reading lines, good rows, reject rows, the end of the
 * COPY). The format of a file (its header, its fields) is the loaders';
 * the transaction, options and target tables are si_load.c's. Nothing
 * here calls into either.
 */
#include "load_stage.h"

#include <stdlib.h>
#include <string.h>

char *
sql_expand(const SiLoad *ld, const char *tmpl)
{
	static const char *const keys[] = {
		"@week@", "@person@", "@path@", "@spell@", "@reject@", "@pathtype@", "@ext@", "@pid@"
	};
	const char *vals[8];
	SiBuf		b;
	const char *p = tmpl;

	vals[0] = ld->t_week;
	vals[1] = ld->t_person;
	vals[2] = ld->t_path;
	vals[3] = ld->t_spell;
	vals[4] = ld->t_reject;
	vals[5] = ld->path_type;
	vals[6] = ld->ext_schema;
	vals[7] = ld->person_bigint ? "bigint" : "pg_catalog.text";
	buf_init(&b);
	while (*p)
	{
		int			k;
		bool		hit = false;

		if (*p == '@')
			for (k = 0; k < 8; k++)
			{
				size_t		l = strlen(keys[k]);

				if (strncmp(p, keys[k], l) == 0)
				{
					if (vals[k] == NULL)
						si_fatal("internal error: %s used but not set", keys[k]);
					buf_puts(&b, vals[k]);
					p += l;
					hit = true;
					break;
				}
			}
		if (!hit)
			buf_putc(&b, *p++);
	}
	return b.data;
}

long long
exec_tmpl(SiLoad *ld, const char *tmpl, int nparams, const char *const *params)
{
	char	   *sql = sql_expand(ld, tmpl);
	PGresult   *res = run_params(ld->conn, sql, nparams, params);
	long long	n = atoll(PQcmdTuples(res));

	PQclear(res);
	free(sql);
	return n;
}

char *
stage_header(SiStage *st, SiLoad *ld)
{
	ssize_t		n;

	memset(st, 0, sizeof(*st));
	st->ld = ld;
	st->lineno = 1;
	if ((n = read_line(ld->fp, &st->line, &st->cap)) < 0)
		si_fatal("%s: the file is empty (no header line)", ld->label);
	if ((size_t) n != strlen(st->line))
		si_fatal("%s: line 1 (header) contains a NUL byte", ld->label);
	st->len = (size_t) n;
	return st->line;
}

void
stage_begin(SiStage *st, const char *data_columns, int ndata)
{
	SiBuf		b;

	buf_init(&b);
	buf_printf(&b,
			   "CREATE TEMP TABLE si_load_stage (line bigint, person_id %s, col pg_catalog.text, "
			   "reason pg_catalog.text, raw pg_catalog.text, %s) "
			   "ON COMMIT DROP",
			   st->ld->person_bigint ? "bigint" : "pg_catalog.text", data_columns);
	run_cmd(st->ld->conn, b.data);
	buf_free(&b);
	st->ndata = ndata;
	copy_begin(&st->cp, st->ld->conn, "COPY pg_temp.si_load_stage FROM STDIN");
}

bool
stage_next(SiStage *st)
{
	ssize_t		n = read_line(st->ld->fp, &st->line, &st->cap);

	if (n < 0)
		return false;
	st->len = (size_t) n;
	st->lineno++;
	progress_tick(&st->ld->prog);
	if (st->len + 1 > st->workcap)
	{
		st->workcap = st->len + 1;
		st->work = si_realloc(st->work, st->workcap);
	}
	memcpy(st->work, st->line, st->len + 1);
	return true;
}

void
stage_good(SiStage *st, const char *person)
{
	SiBuf	   *out = &st->cp.buf;

	buf_printf(out, "%lld\t", st->lineno);
	copy_escape(out, person, strlen(person));
	buf_puts(out, "\t\\N\t\\N\t");
	copy_raw(out, st->line, st->len);
}

void
stage_reject_line(SiStage *st, const char *person, const char *column,
				  const char *reason)
{
	SiBuf	   *out = &st->cp.buf;
	int			i;

	buf_printf(out, "%lld\t", st->lineno);
	if (person != NULL)
		copy_escape(out, person, strlen(person));
	else
		buf_puts(out, "\\N");
	buf_putc(out, '\t');
	copy_escape(out, column, strlen(column));
	buf_putc(out, '\t');
	copy_escape(out, reason, strlen(reason));
	buf_putc(out, '\t');
	copy_raw(out, st->line, st->len);
	for (i = 0; i < st->ndata; i++)
		buf_puts(out, "\t\\N");
	buf_putc(out, '\n');
	st->ld->prog.rejects++;
	copy_flush_if_full(&st->cp);
}

void
stage_end(SiStage *st)
{
	copy_end(&st->cp);
	progress_done(&st->ld->prog);
	st->ld->lines = st->lineno - 1;
	free(st->line);
	free(st->work);
	st->line = st->work = NULL;
}
