/*
 * load_signal.c — interrupts of the si_load loader (SIGINT, SIGTERM,
 * SIGHUP).
 *
 * The handler only does what is async-signal-safe: it records the signal
 * and sends a cancel request for the statement the server is running
 * (PQcancel with a PGcancel object made at connect time). The main flow
 * then sees the cancelled statement fail (or checks the flag between
 * statements and once per line read), ends a COPY in progress with
 * CopyFail, rolls the transaction back, closes the connection and exits
 * with 128 + the signal number (130 for SIGINT, 143 for SIGTERM, 129 for
 * SIGHUP). A second signal exits at once; closing the connection makes
 * the server roll back.
 *
 * The COMMIT runs with the three signals blocked: a signal arriving then
 * is taken after the commit (the load is complete and committed). So
 * "nothing was committed" is printed only when it is true.
 *
 * Client side only (libpq); shared by si_load and si_monitor. Must not
 * know about files, tables or steps.
 */
#include "load_util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t si_signo = 0;
static volatile sig_atomic_t si_past_commit = 0;
static PGcancel *volatile si_cancel = NULL;
static PGconn *si_conn = NULL;
static bool si_in_copy = false;
static bool si_tty = false;		/* stderr is a terminal: end the progress line */

static const char *
signal_name(int signo)
{
	switch (signo)
	{
		case SIGINT:
			return "SIGINT";
		case SIGTERM:
			return "SIGTERM";
		case SIGHUP:
			return "SIGHUP";
	}
	return "a signal";
}

/* write() a constant string: async-signal-safe. */
static void
say(const char *s)
{
	ssize_t		rc = write(STDERR_FILENO, s, strlen(s));

	(void) rc;
}

static void
on_signal(int signo)
{
	int			save_errno = errno;
	char		errbuf[256];

	if (si_past_commit)
	{
		if (si_signo == 0)
			si_signo = signo;
		errno = save_errno;
		return;
	}
	if (si_signo != 0)
	{
		say(si_tty ? "\n" : "");
		say(si_progname);
		say(": interrupted again: exiting at once; the server rolls the transaction back, nothing was committed\n");
		_exit(SI_EXIT_SIGNAL + signo);
	}
	si_signo = signo;
	if (si_cancel == NULL)
	{
		/* not connected (yet): nothing runs on a server */
		say(si_tty ? "\n" : "");
		say(si_progname);
		say(": interrupted by ");
		say(signal_name(signo));
		say(" before the load started; nothing was committed\n");
		_exit(SI_EXIT_SIGNAL + signo);
	}
	/* Stop the running statement; the main flow rolls back and exits. */
	(void) PQcancel(si_cancel, errbuf, sizeof(errbuf));
	errno = save_errno;
}

void
si_signals_install(void)
{
	struct sigaction sa;

	si_tty = isatty(STDERR_FILENO);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	/* no SA_RESTART: a read of the input blocked on a pipe returns EINTR */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void
si_signals_attach(PGconn *conn)
{
	PGcancel   *c = PQgetCancel(conn);

	if (c == NULL)
		si_fatal("cannot make a cancel request object: %s", PQerrorMessage(conn));
	si_conn = conn;
	si_cancel = c;
	si_check_interrupt();		/* a signal during the connect */
}

void
si_signals_forget(void)
{
	/*
	 * A worker process forked by si_load: the connection and cancel object
	 * are its parent's (the parent's signal handling stays the parent's);
	 * the worker attaches its own connection next.
	 */
	si_conn = NULL;
	si_cancel = NULL;
	si_in_copy = false;
}

PGconn *
si_signals_detach(void)
{
	PGconn	   *conn = si_conn;

	/* the caller takes the connection over (to close it at exit) */
	si_conn = NULL;
	si_cancel = NULL;
	si_in_copy = false;
	return conn;
}

void
si_copy_state(bool in_copy)
{
	si_in_copy = in_copy;
}

bool
si_interrupted(void)
{
	return si_signo != 0 && !si_past_commit;
}

void
si_check_interrupt(void)
{
	PGconn	   *conn = si_conn;
	PGcancel   *c;
	PGresult   *res;
	int			signo = si_signo;

	if (signo == 0 || si_past_commit)
		return;
	if (conn != NULL)
	{
		if (si_in_copy && PQputCopyEnd(conn, "interrupted by a signal") == 1)
			while ((res = PQgetResult(conn)) != NULL)
				PQclear(res);
		si_in_copy = false;
		res = PQexec(conn, "ROLLBACK");
		PQclear(res);
		c = si_cancel;
		si_cancel = NULL;
		PQfreeCancel(c);
		PQfinish(conn);
		si_conn = NULL;
	}
	fprintf(stderr, "%s%s: interrupted by %s: the running statement was cancelled and the transaction rolled back; %s\n",
			si_tty ? "\n" : "", si_progname, signal_name(signo),
			si_fatal_note ? si_fatal_note : "nothing was committed");
	exit(SI_EXIT_SIGNAL + signo);
}

PGresult *
si_commit(PGconn *conn)
{
	sigset_t	block,
				old;
	PGresult   *res;

	si_check_interrupt();
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	res = PQexec(conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return res;				/* the caller reports it and exits */
	si_past_commit = 1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return res;
}

int
si_signal_after_commit(void)
{
	return si_past_commit ? si_signo : 0;
}
