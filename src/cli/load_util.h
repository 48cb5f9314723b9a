/*
 * load_util.h — helpers of the si_load command-line loader: growable
 * buffers, field splitting, COPY text escaping, buffered COPY output,
 * progress display. No PostgreSQL server headers; libpq only.
 *
 * Both programs link it; it must not include a program's header.
 */
#ifndef SI_LOAD_UTIL_H
#define SI_LOAD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <libpq-fe.h>

/* Longest prefix of a rejected line kept in the reject table (bytes). */
#define SI_RAW_MAX 200

/* Exit statuses. */
#define SI_EXIT_OK			0
#define SI_EXIT_REJECTS		1
#define SI_EXIT_FATAL		2
#define SI_EXIT_SIGNAL		128 /* + signal number: 130 SIGINT, 143 SIGTERM */

/*
 * Interrupts (load_signal.c). si_signals_install() at start;
 * si_signals_attach() once connected. si_check_interrupt() exits with
 * 128 + the signal number, after cancelling, ending a COPY and rolling
 * back, if a signal arrived. si_commit() runs COMMIT with the signals
 * held; on failure they stay held (the caller exits).
 */
extern void si_signals_install(void);
extern void si_signals_attach(PGconn *conn);
extern void si_signals_forget(void);	/* in a forked worker, before its connect */
extern PGconn *si_signals_detach(void);	/* the attached connection, or NULL */
extern void si_check_interrupt(void);
extern bool si_interrupted(void);
extern void si_copy_state(bool in_copy);
extern PGresult *si_commit(PGconn *conn);
extern int	si_signal_after_commit(void);

/* statement_timeout of the loader's session, for error hints (or NULL) */
extern const char *si_statement_timeout;

/*
 * The program these helpers serve (si_load or si_monitor): the name in
 * messages, the line si_fatal() adds after the error (NULL: none) and its
 * exit status. si_load keeps the defaults ("si_load", "nothing was
 * committed", SI_EXIT_FATAL).
 */
extern const char *si_progname;
extern const char *si_fatal_note;
extern int	si_fatal_status;

typedef struct SiBuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} SiBuf;

extern void buf_init(SiBuf *b);
extern void buf_free(SiBuf *b);
extern void buf_reset(SiBuf *b);
extern void buf_putc(SiBuf *b, char c);
extern void buf_putn(SiBuf *b, const char *s, size_t n);
extern void buf_puts(SiBuf *b, const char *s);
extern void buf_printf(SiBuf *b, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

/* Fatal error: message to stderr, exit status 2 (the server rolls back). */
extern void si_fatal(const char *fmt,...)
			__attribute__((format(printf, 1, 2), noreturn));
extern void *si_malloc(size_t n);
extern void *si_realloc(void *p, size_t n);

/*
 * Fields of one line, split in place. Fields are NUL-terminated pointers
 * into the line; double-quoted fields are unquoted ("" -> ").
 */
typedef struct SiFields
{
	char	  **f;
	size_t		n;
	size_t		cap;
} SiFields;

/*
 * Split line (NUL-terminated, without line end) at sep. Returns NULL on
 * success, or a static message (e.g. an unterminated quote).
 */
extern const char *split_fields(char *line, char sep, SiFields *out);

/* Remove leading and trailing blanks (space, tab) in place. */
extern char *trim_blanks(char *s);

/* Read one line with getline(); strips \n and \r\n. -1 at end of file. */
extern ssize_t read_line(FILE *fp, char **line, size_t *cap);

/* Separator of a header line: the most frequent of ; , TAB outside quotes. */
extern char detect_separator(const char *header);

/* Valid UTF-8? */
extern bool utf8_valid(const char *s, size_t n);

/*
 * A person id that bigint holds exactly as written: an optional '-', then
 * digits without leading zeros ("0" itself is fine), within the int64
 * range. Ids like "0042" are not (bigint would make them 42).
 */
extern bool person_id_is_bigint(const char *s);

/* The reject reason for an id that is not (why has whylen bytes). */
extern const char *person_id_bigint_reason(const char *s, char *why, size_t whylen);

/* Append s to b escaped for COPY text format (\\, \t, \n, \r). */
extern void copy_escape(SiBuf *b, const char *s, size_t n);

/*
 * Append at most SI_RAW_MAX bytes of a raw line, COPY-escaped; cut on a
 * UTF-8 character boundary, invalid bytes replaced by '?', "..." marks a
 * cut.
 */
extern void copy_raw(SiBuf *b, const char *s, size_t n);

/* Append s to b as a JSON string literal (with quotes). */
extern void json_string(SiBuf *b, const char *s);

/* ISO date text YYYY-MM-DD of a DateADT day number. */
extern void format_date(int32_t days, char *buf, size_t buflen);

/* Buffered COPY FROM STDIN output. */
typedef struct SiCopy
{
	PGconn	   *conn;
	const char *sql;			/* the COPY statement (to start it again) */
	SiBuf		buf;
	double		seg_start;		/* when the current COPY statement began */
	double		seg_len;		/* seconds before it is ended and restarted */
} SiCopy;

extern void copy_begin(SiCopy *c, PGconn *conn, const char *sql);
extern void copy_flush_if_full(SiCopy *c);
extern void copy_end(SiCopy *c);

/* Progress line on a terminal. */
typedef struct SiProgress
{
	bool		enabled;
	double		start;
	double		last;
	int64_t		lines;
	int64_t		rejects;
} SiProgress;

extern void progress_init(SiProgress *p, bool enabled);
extern void progress_tick(SiProgress *p);	/* call once per line */
extern void progress_done(SiProgress *p);

/*
 * Fatal error of a statement: the server's message with its SQLSTATE,
 * detail and hint (or libpq's message when the server sent none).
 */
extern void si_fatal_result(PGconn *conn, const PGresult *res, const char *what)
			__attribute__((noreturn));

/* Run a statement with text parameters; fatal unless status is ok. */
extern PGresult *run_params(PGconn *conn, const char *sql, int nparams,
							const char *const *params);
extern void run_cmd(PGconn *conn, const char *sql);

/*
 * The session both programs open: connect (conninfo NULL: the PG*
 * environment) with fallback_application_name si_progname, attach the
 * signal handlers and the notice processor; exit with "<fail_what>: <libpq
 * message>" when that fails.
 */
extern PGconn *si_connect(const char *conninfo, const char *fail_what,
						  PQnoticeProcessor notices);

/*
 * Before the first transaction: remember statement_timeout (for the hint
 * when a statement is cancelled), let the server end the statements of a
 * vanished client within a second (client_connection_check_interval,
 * unless the user set it) and empty search_path, so no other user's
 * object can capture a name the programs' SQL uses.
 */
extern void si_session_setup(PGconn *conn);

/* Quoted identifier, malloc'd. */
extern char *si_quote_ident(PGconn *conn, const char *name);

#endif							/* SI_LOAD_UTIL_H */
