/*
 * fuzz_dream_wide.c — the DREAM wide-file parser of si_load (src/cli/
 * load_wide.c: header checks, field splitting, codes, run-length paths,
 * background JSON, COPY escaping), run on a file held in memory.
 *
 * load_wide() is linked as it is; the harness replaces what talks to the
 * server (COPY, statements) and si_fatal() (which would exit) with
 * functions that check and discard the staged rows. The first input byte
 * sets the options (separator, null marker, UTF-8 checks, --no-weeks);
 * the rest is the file. Properties: no crash, no read or write out of
 * bounds; every staged row has the staging table's 8 columns and no raw
 * line break; a row without a reject reason has a person id, a codes
 * array and a path that benefit_path's own parser accepts; a reject row
 * has a reason.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_stage.h"
#include "runpath.h"

static jmp_buf fatal_jmp;

static void
fail(const char *what, const char *row)
{
	fprintf(stderr, "fuzz property failed: %s in staged row: %s\n", what, row);
	abort();
}

void
si_fatal(const char *fmt,...)
{
	/* the real one prints and exits: the input was refused as a whole */
	longjmp(fatal_jmp, 1);
}

void
run_cmd(PGconn *conn, const char *sql)
{
}

long long
exec_tmpl(SiLoad *ld, const char *tmpl, int nparams, const char *const *params)
{
	return 0;
}

void
copy_begin(SiCopy *c, PGconn *conn, const char *sql)
{
	c->conn = conn;
	buf_init(&c->buf);
}

static void
check_row(char *row)
{
	char	   *f[9];
	int			n = 0;
	char	   *p = row;

	for (;;)
	{
		if (n == 9)
			fail("more than 8 columns", row);
		f[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	if (n != 8)
		fail("not 8 columns", row);
	if (strcmp(f[3], "\\N") == 0)
	{
		/* a good row: person, codes, path */
		int32_t		start;
		int			maxruns = 1,
					nruns,
					pos;
		RunpathRun *runs;
		const char *c;

		if (f[1][0] == '\0' || strcmp(f[1], "\\N") == 0)
			fail("good row without a person id", row);
		if (strcmp(f[5], "\\N") != 0 && f[5][0] != '{')
			fail("codes are not an array", row);
		for (c = f[6]; *c; c++)
			if (*c == ',')
				maxruns++;
		runs = malloc(sizeof(RunpathRun) * maxruns);
		if (runpath_parse(f[6], &start, runs, maxruns, &nruns, &pos) != RUNPATH_OK)
			fail("path is not valid benefit_path text", f[6]);
		free(runs);
		if (f[7][0] != '{')
			fail("background is not a JSON object", row);
	}
	else if (f[3][0] == '\0')
		fail("reject row without a reason", row);
}

static void
check_rows(SiBuf *b)
{
	size_t		i = 0;

	while (i < b->len)
	{
		char	   *nl = memchr(b->data + i, '\n', b->len - i);

		if (nl == NULL)
			fail("COPY data does not end with a line break", b->data + i);
		*nl = '\0';
		if (strchr(b->data + i, '\r') != NULL)
			fail("raw carriage return in COPY data", b->data + i);
		check_row(b->data + i);
		i = (size_t) (nl - b->data) + 1;
	}
	buf_reset(b);
}

void
copy_flush_if_full(SiCopy *c)
{
	check_rows(&c->buf);
}

void
copy_end(SiCopy *c)
{
	check_rows(&c->buf);
	buf_free(&c->buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[] = {'\0', ';', ',', '\t'};
	SiLoad		ld = {0};
	volatile FILE *fp;

	if (size < 1)
		return 0;
	ld.label = "fuzz.csv";
	ld.sep = seps[data[0] & 3];
	ld.null_marker = (data[0] & 4) ? "NA" : NULL;
	ld.utf8 = (data[0] & 8) != 0;
	ld.no_weeks = (data[0] & 16) != 0;
	ld.person_column = "PNR";
	fp = size > 1 ? fmemopen((void *) (data + 1), size - 1, "r") : fopen("/dev/null", "r");
	ld.fp = (FILE *) fp;
	progress_init(&ld.prog, false);
	if (setjmp(fatal_jmp) == 0)
		load_wide(&ld);
	fclose((FILE *) fp);
	return 0;
}
