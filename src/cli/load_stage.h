/*
 * load_stage.h — what si_load's file loaders share (load_stage.c): the
 * state of one load (SiLoad), SQL templates over its target tables, and
 * the staging table every loader streams its lines into (SiStage: read a
 * line, stage it as data or as a reject row, finish).
 *
 * The loaders (load_wide.c, load_spell.c) use only this and load_util.h;
 * they never call into si_load.c, the program's main file, which calls
 * them. libpq only, no PostgreSQL server headers.
 */
#ifndef SI_LOAD_STAGE_H
#define SI_LOAD_STAGE_H

#include "load_util.h"

/* --person-id: auto = the existing tables' type, else text */
#define PERSON_ID_AUTO 0
#define PERSON_ID_TEXT 1
#define PERSON_ID_BIGINT 2

typedef struct SiLoad
{
	/* options */
	const char *input;			/* path, or "-" for stdin */
	const char *label;			/* file name recorded in the tables */
	char		sep;			/* '\0' = detect from the header */
	const char *null_marker;	/* extra "no benefit" marker, or NULL */
	const char *person_column;	/* header name of the person id */
	bool		utf8;			/* client encoding is UTF8: validate text */
	bool		no_weeks;		/* wide files: paths only, no week table rows */
	int			person_id_type; /* PERSON_ID_TEXT/BIGINT, or PERSON_ID_AUTO */
	bool		person_bigint;	/* resolved: person_id columns are bigint */
	bool		progress;
	int			jobs;			/* --jobs: worker processes staging the file */
	const char *conninfo;		/* -d (NULL: PG* environment), for workers */
	const char *encoding;		/* --encoding, for workers */

	/* connection and quoted, schema-qualified table names */
	PGconn	   *conn;
	char	   *t_week;
	char	   *t_person;
	char	   *t_path;
	char	   *t_spell;
	char	   *t_reject;
	char	   *t_stage;		/* NAME_stage: the workers' staging table */
	bool		stage_shared;	/* pg_temp.si_load_stage is a view on it */
	char	   *path_type;		/* qualified benefit_path type, or NULL */
	char	   *ext_schema;		/* quoted schema of the extension, or NULL */

	FILE	   *fp;
	SiProgress prog;

	/* results */
	long long	lines;
	long long	loaded;
	long long	rejected;
} SiLoad;

/* The loaders: stream a DREAM wide file / a spell file into the staging table. */
extern void load_wide(SiLoad *ld);
extern void load_spells(SiLoad *ld);

/*
 * Expand a SQL template: @week@ @person@ @path@ @spell@ @reject@
 * @pathtype@ @ext@ become the quoted names, @pid@ the type of person_id
 * columns. Result is malloc'd.
 */
extern char *sql_expand(const SiLoad *ld, const char *tmpl);

/* Run a template with text parameters; returns the number of rows affected. */
extern long long exec_tmpl(SiLoad *ld, const char *tmpl, int nparams,
						   const char *const *params);

/*
 * One pass over the input into pg_temp.si_load_stage, whose rows are
 * (line, person_id, col, reason, raw, <the loader's data columns>): a good
 * line has col and reason NULL, a reject row has its data columns NULL.
 */
typedef struct SiStage
{
	SiLoad	   *ld;
	SiCopy		cp;
	char	   *line;			/* the line as read (raw text of rejects) */
	size_t		cap;
	char	   *work;			/* a copy of it, to split in place */
	size_t		workcap;
	size_t		len;			/* bytes in line (may hold a NUL byte) */
	long long	lineno;			/* 1-based; 1 is the header */
	int			ndata;			/* the loader's data columns */
	off_t		end;			/* no line starting at or after this offset
								 * (-1: read to the end of the input) */
} SiStage;

/* A loader's pass over its lines: stage_next() until false, staging each. */
typedef void (*SiStagePass) (SiStage *st, void *arg);

/* Read line 1 (the header); fatal if the file is empty or it holds a NUL. */
extern char *stage_header(SiStage *st, SiLoad *ld);

/*
 * Create the staging table with the loader's data columns (SQL column
 * definitions, ndata of them) and start the COPY into it.
 */
extern void stage_begin(SiStage *st, const char *data_columns, int ndata);

/* The next line into st->line and st->work; false at the end of the input. */
extern bool stage_next(SiStage *st);

/*
 * A good line: writes "line, person, NULL, NULL, raw" to the COPY buffer;
 * the caller appends its data columns (each after a tab), the newline, and
 * calls copy_flush_if_full(&st->cp).
 */
extern void stage_good(SiStage *st, const char *person);

/* A rejected line: its reject row, counted in the progress display. */
extern void stage_reject_line(SiStage *st, const char *person,
							  const char *column, const char *reason);

/* End the COPY and the pass: ld->lines counted, the line buffers freed. */
extern void stage_end(SiStage *st);

/*
 * After stage_header: the whole pass into pg_temp.si_load_stage. With
 * ld->jobs 1 it is stage_begin, pass, stage_end in this session. With
 * more, the data lines are cut at line boundaries into ld->jobs chunks of
 * about equal bytes, each staged by a forked worker process over its own
 * connection into the unlogged table NAME_stage (committed, so this
 * session sees it), and pg_temp.si_load_stage becomes a view on it with
 * the file's line numbers; stage_drop() removes both before the commit.
 * data_names lists the data columns' names ("a, b, c").
 */
extern void stage_run(SiStage *st, const char *data_columns, int ndata,
					  const char *data_names, SiStagePass pass, void *arg);
extern void stage_drop(SiLoad *ld);

#endif							/* SI_LOAD_STAGE_H */
