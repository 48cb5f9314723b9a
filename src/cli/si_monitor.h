/*
 * si_monitor.h — the nightly monitoring job si_monitor (docs/monitoring.md,
 * "The nightly job"): shared state of its steps, and the interface of the
 * report renderer (src/cli/report*.c) it links.
 *
 * libpq only; no PostgreSQL server headers.
 */
#ifndef SI_MONITOR_H
#define SI_MONITOR_H

#include "load_util.h"

/* Exit statuses of si_monitor (docs/monitoring.md). */
#define SI_MON_OK			0
#define SI_MON_REJECTED		1	/* the extract was rejected; nothing published */
#define SI_MON_CONFIG		2	/* usage, options, missing extract directory */
#define SI_MON_DATABASE		3	/* connection, SQL error, a concurrent run */

/*
 * Session-level advisory lock of a run, on (key, hashtext(quoted schema)):
 * one run per published schema at a time. si_load's transaction-level
 * keys are 7420101 and 7420102 (docs/loader.md).
 */
#define SI_LOCK_MONITOR		7420103

/* The tables of one extract, in load order (foreign keys first). */
typedef struct MonTable
{
	const char *name;			/* table (and file name without .csv) */
	bool		optional;		/* the file may be absent */
} MonTable;

extern const MonTable mon_tables[];
extern const int mon_ntables;

typedef struct Monitor
{
	/* options */
	const char *extract_root;	/* --extract */
	const char *conninfo;		/* --db, or NULL (PG* environment) */
	const char *schema;			/* --schema */
	const char *report;			/* --report, or NULL */
	const char *lang;			/* --lang: "da" or "en" */
	bool		quiet;			/* -q */
	bool		wait;			/* --wait: wait for a concurrent run */
	bool		progress;		/* not quiet and stderr is a terminal */
	const char *argv0;

	/* resolved */
	char	   *extract_dir;	/* extract_root/<date> */
	char		extract_date[11];	/* YYYY-MM-DD */
	char	   *staging;		/* "<schema>_staging" (unquoted) */
	char	   *q_schema;		/* quoted identifiers */
	char	   *q_staging;
	char	   *q_ext;			/* quoted schema of the extension */
	PGconn	   *conn;

	/* results */
	long long	rejected;		/* rows in the staging reject table */
} Monitor;

/* si_monitor.c: log line of one step (stderr, unless -q). */
extern double mon_now(void);
extern void mon_log(const Monitor *m, const char *step, double started,
					long long rows, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));
/* Usage or configuration error: message, exit status 2. */
extern void mon_config_error(const char *fmt,...)
			__attribute__((format(printf, 1, 2), noreturn));
/* Rejected extract: message, exit status 1. */
extern void mon_reject_exit(const char *fmt,...)
			__attribute__((format(printf, 1, 2), noreturn));
/* One value of a one-row query with text parameters (malloc'd; NULL if NULL). */
/* Whether a query with one text parameter answers true (not false or NULL). */
extern bool mon_query_true(Monitor *m, const char *sql, const char *param);
/* Whether the extension has the function signature, e.g. "monitor_setup(pg_catalog.text)". */
extern bool mon_has_function(Monitor *m, const char *signature);
extern char *mon_query_value(PGconn *conn, const char *sql, int nparams,
							 const char *const *params);

/* monitor_extract.c: the newest extract directory and its files. */
extern void mon_find_extract(Monitor *m);
extern char *mon_extract_file(const Monitor *m, const char *name);

/* monitor_dream.c: dream.csv into the staging schema through si_load. */
extern void mon_load_dream(Monitor *m);

/* monitor_stage.c: the staging schema and the table CSVs. */
extern void mon_stage_prepare(Monitor *m);
extern void mon_stage_tables(Monitor *m);
extern long long mon_stage_report_rejects(Monitor *m);
extern void mon_stage_drop(Monitor *m);

/* monitor_publish.c: one transaction from staging to the published tables. */
extern void mon_publish(Monitor *m);

/*
 * The report renderer (src/cli/report*.c, issue 14 "The report"): writes
 * one static HTML file out_path for the published schema, labels in lang
 * ("da" or "en"), reading the schema's views over conn (the session has an
 * empty search_path; the caller holds no open transaction). Returns an exit
 * status: SI_MON_OK, SI_MON_CONFIG (the file cannot be written) or
 * SI_MON_DATABASE, after printing its own message to stderr.
 *
 * Declared weak: a build without the renderer links, and si_monitor then
 * refuses --report and the report subcommand with exit status 2.
 */
extern int	monitor_report(PGconn *conn, const char *schema,
						   const char *out_path, const char *lang)
			__attribute__((weak));

#endif							/* SI_MONITOR_H */
