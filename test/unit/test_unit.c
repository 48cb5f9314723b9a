/*
 * Unit tests of unit.h itself: every macro evaluates each argument exactly
 * once, whether the check passes or fails, and a failing check is counted
 * and printed with its detail. The failing checks write to a scratch file
 * (unit_out), which is read back, so this program's own output has no
 * "not ok" line; the counters are restored afterwards.
 */
#include <string.h>

#include "unit.h"

static int	evaluations;

/* returns v and counts that it was evaluated */
static double
counted(double v)
{
	evaluations++;
	return v;
}

/* the text written to f so far, NUL-terminated */
static void
read_back(FILE *f, char *buf, size_t len)
{
	size_t		got;

	rewind(f);
	got = fread(buf, 1, len - 1, f);
	buf[got] = '\0';
}

int
main(void)
{
	int			calls;
	int			saved_n,
				saved_failed;
	int			ret;
	FILE	   *scratch;
	char		text[1024];

	/* passing checks: each argument evaluated once */
	calls = 0;
	CHECK(++calls == 1, "CHECK's condition ran once (passing)");
	CHECK(calls == 1, "... and calls is %d", calls);

	evaluations = 0;
	CHECK_NEAR(counted(1.0), counted(1.0 + 1e-12), counted(1e-9), "CHECK_NEAR (passing)");
	CHECK(evaluations == 3, "CHECK_NEAR evaluated its 3 numbers %d times", evaluations);

	evaluations = 0;
	CHECK_REL(counted(-1000.0), counted(-1000.0 * (1 + 1e-13)), counted(1e-12), "CHECK_REL (passing)");
	CHECK(evaluations == 3, "CHECK_REL evaluated its 3 numbers %d times", evaluations);

	evaluations = 0;
	CHECK(1, "message arguments %d", (int) counted(7));
	CHECK(evaluations == 1, "a message argument evaluated %d times", evaluations);

	/* failing checks, printed to a scratch file */
	scratch = tmpfile();
	CHECK(scratch != NULL, "scratch file for the failing checks");
	if (scratch == NULL)
		return unit_done();
	saved_n = unit_n;
	saved_failed = unit_failed;
	unit_out = scratch;

	calls = 0;
	ret = CHECK(++calls == 2 && calls % 2 == 1, "deliberate failure %s", "one");
	evaluations = 0;
	CHECK_NEAR(counted(1.0), counted(2.0), counted(0.5), "deliberate failure two");
	CHECK_REL(counted(100.0), counted(101.0), counted(1e-3), "deliberate failure three");
	CHECK_NEAR(counted(NAN), counted(0.0), counted(INFINITY), "NaN is never near");

	unit_out = NULL;
	read_back(scratch, text, sizeof(text));
	fclose(scratch);
	{
		int			failed_here = unit_failed - saved_failed;
		int			counted_here = unit_n - saved_n;

		unit_n = saved_n;
		unit_failed = saved_failed;
		CHECK(ret == 0, "CHECK returns 0 when it fails");
		CHECK(calls == 1, "CHECK's condition ran once (failing): %d", calls);
		CHECK(evaluations == 9, "CHECK_NEAR/CHECK_REL evaluated 3 x 3 numbers %d times (failing)", evaluations);
		CHECK(counted_here == 4 && failed_here == 4, "4 failing checks counted (%d) and failed (%d)", counted_here, failed_here);
	}
	CHECK(strstr(text, "deliberate failure one   <-- FAILED (++calls == 2 && calls % 2 == 1)\n") != NULL,
		  "a failing CHECK prints its expression, %% signs and all");
	CHECK(strstr(text, "deliberate failure two   <-- got 1, want 2\n") != NULL,
		  "a failing CHECK_NEAR prints both numbers");
	CHECK(strstr(text, "deliberate failure three   <-- got 100, want 101\n") != NULL,
		  "a failing CHECK_REL prints both numbers");
	CHECK(strncmp(text, "not ok ", 7) == 0, "failing lines begin with the TAP failure marker");
	return unit_done();
}
