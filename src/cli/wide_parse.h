/*
 * wide_parse.h — parsing DREAM wide files (header and data lines), apart
 * from any database work: no libpq calls, no exit on bad input, so it can
 * be called on its own (tests, fuzzing). load_wide.c streams the results.
 *
 * Must not include load_stage.h (the loader's state).
 */
#ifndef SI_WIDE_PARSE_H
#define SI_WIDE_PARSE_H

#include "load_util.h"

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

/*
 * Parse the header line (NUL-terminated, changed in place). *sep '\0'
 * means detect it (and store it). Returns NULL, or a message (without the
 * file name) in errbuf; the header then holds nothing to free.
 */
extern const char *wide_parse_header(char *line, char *sep,
									 const char *person_column, bool utf8,
									 WideHeader *h, char *errbuf,
									 size_t errlen);
extern void wide_header_free(WideHeader *h);

/* Options of the data lines. */
typedef struct WideOptions
{
	char		sep;
	const char *null_marker;	/* extra "no benefit" marker, or NULL */
	bool		utf8;			/* values must be valid UTF-8 */
	bool		no_weeks;		/* leave codes empty (the path has the weeks) */
	bool		bigint_ids;		/* person ids must be bigints as written */
} WideOptions;

/* A parsed data line; the buffers are reused from line to line. */
typedef struct WideRow
{
	const char *person;			/* trimmed id (into the split line), or NULL */
	SiBuf		codes;			/* "{130,NULL,...}" (empty with no_weeks) */
	SiBuf		path;			/* benefit_path text "YYYY-MM-DD:130x3,-x2" */
	SiBuf		bg;				/* background columns as a JSON object */
	char		extra[32];		/* "(field N)": column of a too-long line */
} WideRow;

extern void wide_row_init(WideRow *r);
extern void wide_row_free(WideRow *r);

/*
 * Parse one data line: line has n bytes plus a terminating NUL (a NUL
 * before n is an error); it is split in place into fs. Returns NULL if
 * the line is good, else the reason (a static string or why), with
 * *badcol the column at fault ("" for the whole line) and row->person the
 * id if one could be read.
 */
extern const char *wide_parse_line(const WideHeader *h, const WideOptions *o,
								   char *line, size_t n, SiFields *fs,
								   WideRow *row, const char **badcol,
								   char *why, size_t whylen);

#endif							/* SI_WIDE_PARSE_H */
