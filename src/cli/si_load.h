/*
 * si_load.h — shared state of the si_load command-line loader.
 */
#ifndef SI_LOAD_H
#define SI_LOAD_H

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

	/* connection and quoted, schema-qualified table names */
	PGconn	   *conn;
	char	   *t_week;
	char	   *t_person;
	char	   *t_path;
	char	   *t_spell;
	char	   *t_reject;
	char	   *path_type;		/* qualified benefit_path type, or NULL */
	char	   *ext_schema;		/* quoted schema of the extension, or NULL */

	FILE	   *fp;
	SiProgress prog;

	/* results */
	long long	lines;
	long long	loaded;
	long long	rejected;
} SiLoad;

/* Stream a DREAM wide file / a spell file into the staging table. */
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

/* Append one reject row to the staging COPY stream. */
extern void stage_reject(SiBuf *out, long long line, const char *person,
						 const char *column, const char *reason,
						 const char *raw, size_t rawlen, int ncols);

#endif							/* SI_LOAD_H */
