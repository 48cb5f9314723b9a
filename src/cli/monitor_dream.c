/*
 * monitor_dream.c — the extract's dream.csv (a DREAM wide file, person id
 * column PNR, whole-number ids) goes into the staging schema through
 * si_load, run as a child process: `si_load --no-weeks --person-id=bigint
 * --schema <schema>_staging --name dream.csv FILE` fills dream_person,
 * dream_path and dream_reject there (docs/loader.md). si_load is looked for
 * next to si_monitor first (both are installed into PostgreSQL's bindir),
 * then in PATH. The child connects with this session's connection
 * parameters, passed in its environment (PGHOST, PGDATABASE, ...), so a
 * password never appears on a command line.
 *
 * si_load's exit status: 0 and 1 (rejected lines, listed in dream_reject and
 * counted by the checks) go on; 2 (a bad header, an unreadable file, or an
 * error of its own) rejects the extract; a signal ends si_monitor too.
 *
 * One step of si_monitor; must not call into the other steps.
 */
#include "si_monitor.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The si_load next to this program, or NULL (then PATH is searched). */
static char *
sibling_si_load(const char *argv0)
{
	char		self[PATH_MAX];
	ssize_t		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	SiBuf		b;

	buf_init(&b);
	if (n > 0)
	{
		self[n] = '\0';
		buf_printf(&b, "%s/si_load", dirname(self));
		if (access(b.data, X_OK) == 0)
			return b.data;
	}
	if (strchr(argv0, '/') != NULL)
	{
		char	   *copy = strdup(argv0);

		buf_reset(&b);
		buf_printf(&b, "%s/si_load", dirname(copy));
		free(copy);
		if (access(b.data, X_OK) == 0)
			return b.data;
	}
	buf_free(&b);
	return NULL;
}

/* In the child: the parent's connection parameters as PG* variables. */
static void
export_connection(PGconn *conn)
{
	PQconninfoOption *opts = PQconninfo(conn);
	PQconninfoOption *o;

	if (opts == NULL)
		return;
	for (o = opts; o->keyword != NULL; o++)
		if (o->envvar != NULL && o->val != NULL && o->val[0] != '\0')
			setenv(o->envvar, o->val, 1);
	PQconninfoFree(opts);
}

void
mon_load_dream(Monitor *m)
{
	double		t = mon_now();
	char	   *file = mon_extract_file(m, "dream");
	char	   *si_load = sibling_si_load(m->argv0);
	const char *args[16];
	int			k = 0;
	pid_t		pid;
	int			status;
	bool		forwarded = false;
	char	   *v;
	SiBuf		b;

	args[k++] = "si_load";
	if (!m->progress)
		args[k++] = "--quiet";
	args[k++] = "--no-weeks";
	args[k++] = "--person-id=bigint";
	args[k++] = "--person-column=PNR";
	args[k++] = "--prefix=dream";
	args[k++] = "--name=dream.csv";
	args[k++] = "--schema";
	args[k++] = m->staging;
	args[k++] = "--";
	args[k++] = file;
	args[k] = NULL;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		si_fatal("cannot start si_load: fork: %s", strerror(errno));
	if (pid == 0)
	{
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		export_connection(m->conn);
		setenv("PGAPPNAME", "si_monitor/si_load", 1);
		if (si_load != NULL)
			execv(si_load, (char *const *) args);
		else
			execvp("si_load", (char *const *) args);
		fprintf(stderr, "si_monitor: error: cannot run si_load (%s): %s; install it next to si_monitor (make install) or put it in PATH\n",
				si_load ? si_load : "not next to si_monitor, searched PATH", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
	{
		if (errno != EINTR)
			si_fatal("waiting for si_load: %s", strerror(errno));
		/* a signal for us (e.g. SIGTERM from a scheduler) stops the child too */
		if (si_interrupted() && !forwarded)
		{
			kill(pid, SIGTERM);
			forwarded = true;
		}
	}
	si_check_interrupt();
	if (WIFSIGNALED(status))
		si_fatal("si_load was killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) == 127)
	{
		/* not installed where expected: configuration (message above) */
		si_fatal_status = SI_MON_CONFIG;
		si_fatal("si_load could not be started");
	}
	if (WEXITSTATUS(status) >= 128)
		exit(WEXITSTATUS(status));
	if (WEXITSTATUS(status) == SI_EXIT_FATAL)
		mon_reject_exit("si_load could not load %s (its message is above)", file);

	buf_init(&b);
	buf_printf(&b, "SELECT pg_catalog.count(*) FROM %s.dream_person", m->q_staging);
	v = mon_query_value(m->conn, b.data, 0, NULL);
	buf_free(&b);
	mon_log(m, "dream", t, v ? atoll(v) : 0, "file=%s si_load_status=%d",
			file, WEXITSTATUS(status));
	free(v);
	free(file);
	free(si_load);
}
