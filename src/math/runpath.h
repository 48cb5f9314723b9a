/*
 * runpath.h — run-length weekly benefit paths, free of PostgreSQL.
 *
 * A path is a start Monday (a day number as PostgreSQL's DateADT: day 0 =
 * 2000-01-01) and runs (code, weeks); code 0 means "no benefit that week",
 * 1..9999 are DREAM codes. A canonical path has at least one run, positive
 * lengths and no two adjacent runs with the same code.
 *
 * Stored layout (version 1), all integers unsigned LEB128 varints
 * (7 bits per byte, high bit = more bytes follow, at most 5 bytes):
 *     byte 0      version (RUNPATH_VERSION)
 *     varint      start day number, zigzag-encoded (2n for n >= 0, -2n-1 below)
 *     varint      number of runs (>= 1)
 *     varint      total weeks (= sum of the run lengths)
 *     per run:    varint code (0 = none), varint length (>= 1)
 * A run of a code below 128 lasting under 128 weeks takes two bytes; a
 * DREAM code (up to 9999) three. Every decoder checks all of the above.
 *
 * Text form: YYYY-MM-DD:<run>,<run>,... with a run <code>x<weeks> and code
 * "-" for no benefit, e.g. 2019-01-07:130x4,-x4,997x2.
 *
 * Must not touch: postgres.h.
 */
#ifndef SI_RUNPATH_H
#define SI_RUNPATH_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define RUNPATH_VERSION 1
#define RUNPATH_NONE 0
#define RUNPATH_MAX_CODE 9999
/* a path spans at most this many weeks (about 19,000 years) */
#define RUNPATH_MAX_WEEKS 1000000
/* first and last day of the 4-digit years the text form can show */
#define RUNPATH_MIN_DAY (-730119)	/* 0001-01-01 */
#define RUNPATH_MAX_DAY 2921939		/* 9999-12-31 */

typedef struct RunpathRun
{
	int32_t		code;			/* 0 = no benefit */
	int32_t		len;			/* weeks, >= 1 */
} RunpathRun;

typedef struct RunpathHeader
{
	int32_t		start;			/* Monday, day number */
	int32_t		nruns;
	int32_t		nweeks;
	size_t		runs_offset;	/* byte offset of the first run */
} RunpathHeader;

/* Error codes of the parsers and decoders. */
typedef enum RunpathError
{
	RUNPATH_OK = 0,
	RUNPATH_ERR_DATE,			/* start is not a valid YYYY-MM-DD date */
	RUNPATH_ERR_NOT_MONDAY,		/* start is not a Monday */
	RUNPATH_ERR_COLON,			/* ':' expected after the date */
	RUNPATH_ERR_CODE,			/* code expected (1..9999 or '-') */
	RUNPATH_ERR_CODE_RANGE,		/* code outside 1..9999 */
	RUNPATH_ERR_X,				/* 'x' expected after the code */
	RUNPATH_ERR_LENGTH,			/* positive whole number of weeks expected */
	RUNPATH_ERR_TOO_LONG,		/* path longer than RUNPATH_MAX_WEEKS or past 9999-12-31 */
	RUNPATH_ERR_SEPARATOR,		/* ',' or end of input expected */
	RUNPATH_ERR_EMPTY,			/* no runs */
	RUNPATH_ERR_VERSION,		/* unknown stored version */
	RUNPATH_ERR_TRUNCATED,		/* stored value ends early */
	RUNPATH_ERR_TRAILING,		/* bytes after the last run */
	RUNPATH_ERR_NOT_CANONICAL,	/* adjacent runs with the same code */
	RUNPATH_ERR_TOTAL,			/* total weeks differ from the sum of runs */
	RUNPATH_ERR_DATE_RANGE		/* a week outside 0001-01-01 .. 9999-12-31 */
} RunpathError;

extern const char *runpath_error_text(RunpathError e);

/* Varints. put returns bytes written (buf needs 5); get returns bytes read or 0. */
extern int	runpath_put_varint(uint8_t *buf, uint32_t v);
extern int	runpath_get_varint_long(const uint8_t *buf, size_t len, uint32_t *v);

/*
 * Inline for the one-byte case (codes below 128 and runs shorter than 128
 * weeks: most of them), which the rate aggregates read for every run of
 * every path; longer forms in runpath.c.
 */
static inline int
runpath_get_varint(const uint8_t *buf, size_t len, uint32_t *v)
{
	if (len > 0 && buf[0] < 0x80)
	{
		*v = buf[0];
		return 1;
	}
	return runpath_get_varint_long(buf, len, v);
}

/*
 * Merge adjacent equal runs in place (drops zero-length runs); returns the
 * new count.
 */
extern int	runpath_canonicalize(RunpathRun *runs, int nruns);

/*
 * Append a run of len weeks (nothing when len <= 0) to out[0..n), joining
 * the last run when it has the same code; returns the new count.
 */
extern int	runpath_push_run(RunpathRun *out, int n, int32_t code, int64_t len);

/* Bytes needed to encode; then encode into buf (returns bytes written). */
extern size_t runpath_encoded_size(int32_t start, const RunpathRun *runs, int nruns);
extern size_t runpath_encode(uint8_t *buf, int32_t start, const RunpathRun *runs, int nruns);

/*
 * Decode and validate the header; then the runs into out (nruns entries).
 * Both return RUNPATH_OK or an error; runpath_decode_runs validates every
 * run, the total and that nothing trails.
 */
extern RunpathError runpath_decode_header(const uint8_t *buf, size_t len, RunpathHeader *h);
extern RunpathError runpath_decode_runs(const uint8_t *buf, size_t len,
										const RunpathHeader *h, RunpathRun *out);

/*
 * The stored path extended with no-benefit weeks so that it covers the
 * Mondays from..to (the weeks it already has are kept): the encoding of
 * path_cover, made from the stored bytes without decoding every run. out
 * needs len + RUNPATH_COVER_EXTRA bytes. Returns the bytes written, or 0
 * with *err set (a bad header, truncated runs, a span past the limits).
 */
#define RUNPATH_COVER_EXTRA 32
extern size_t runpath_cover(const uint8_t *buf, size_t len, int32_t from, int32_t to,
							uint8_t *out, RunpathError *err);

/* Check a decoded run list: codes, lengths, canonical form, limits. */
extern RunpathError runpath_validate(int32_t start, const RunpathRun *runs, int nruns);

/*
 * Parse the text form. runs must have room for max_runs (the number of
 * commas + 1 is always enough). On error, *pos is the 0-based offset of
 * the offending character. The result is canonical (equal runs merged).
 */
extern RunpathError runpath_parse(const char *s, int32_t *start, RunpathRun *runs,
								  int max_runs, int *nruns, int *pos);

/* Upper bound of the text length (without NUL). */
extern size_t runpath_text_size(int nruns);

/* Write the text form into buf (size >= runpath_text_size + 1); returns length. */
extern size_t runpath_format(char *buf, int32_t start, const RunpathRun *runs, int nruns);

/*
 * Build runs from (week index, code) pairs sorted by week index with no
 * duplicates; index 0 is the first week. Weeks missing between pairs get
 * code 0. Returns the number of runs written to out (room for 2*n).
 */
typedef struct RunpathWeek
{
	int32_t		week;			/* day number of the Monday */
	int32_t		code;			/* 0 = no benefit */
} RunpathWeek;

extern void runpath_sort_weeks(RunpathWeek *w, size_t n);

/* Index of the first duplicate week in sorted w (the second of the pair), or -1. */
extern long runpath_find_duplicate(const RunpathWeek *w, size_t n);

/*
 * DREAM priority among codes given for the same week (docs/methods.md,
 * *Benefit paths and per-person measures*):
 * censoring codes 997-999 win over any other code, any code wins over no
 * benefit (0), and otherwise the lower code wins. Returns the winner.
 */
extern int32_t runpath_priority_winner(int32_t a, int32_t b);

/* Collapse duplicates of sorted w by the priority rule; returns the new n. */
extern size_t runpath_collapse_priority(RunpathWeek *w, size_t n);

/* Runs from sorted, duplicate-free weeks; out needs room for 2*n - 1. */
extern int	runpath_from_weeks(const RunpathWeek *w, size_t n, RunpathRun *out);

typedef struct RunpathSpell
{
	int32_t		from;			/* Monday day numbers, inclusive */
	int32_t		to;
	int32_t		code;
	int64_t		ord;			/* input order, for messages */
} RunpathSpell;

extern void runpath_sort_spells(RunpathSpell *s, size_t n);

/* First overlapping pair in sorted spells: index of the later one, or -1. */
extern long runpath_find_overlap(const RunpathSpell *s, size_t n);

/* Runs from sorted non-overlapping spells; out needs room for 2*n - 1. */
extern int	runpath_from_spells(const RunpathSpell *s, size_t n, RunpathRun *out);

/* ---- week states and measures over state runs ---- */

/* Same numbering as SiWeekState in codemap.h. */
#define RUNPATH_SELF 0
#define RUNPATH_BENEFIT 1
#define RUNPATH_CENSORED 2
#define RUNPATH_UNKNOWN 3
#define RUNPATH_UNOBSERVED 4	/* outside the path's span */
#define RUNPATH_NSTATES 5

typedef RunpathRun RunpathStateRun;	/* code field holds the state */

/*
 * Counts of weeks in each state over the window of week indexes [from, to]
 * (index 0 = the path's first week; the window may reach outside the
 * path, those weeks count as RUNPATH_UNOBSERVED).
 */
extern void runpath_state_counts(const RunpathStateRun *r, int n, int64_t from, int64_t to,
								 int64_t counts[RUNPATH_NSTATES]);

/* Longest run of consecutive self weeks inside the window. */
extern int64_t runpath_longest_self(const RunpathStateRun *r, int n, int64_t from, int64_t to);

/*
 * First week index t >= from (and <= last_start when last_start >= from)
 * such that weeks t .. t+k-1 are all self; -1 if none. Weeks outside the
 * path never count as self.
 */
extern int64_t runpath_first_self_run(const RunpathStateRun *r, int n, int64_t from,
									  int64_t last_start, int64_t k);

/* State of week index i. */
extern int	runpath_state_at(const RunpathStateRun *r, int n, int64_t i);

#endif							/* SI_RUNPATH_H */
