/*
 * fuzz_runpath.c — the PostgreSQL-free benefit_path core (src/math/
 * runpath.c): the text parser and the stored-form decoder, which the
 * type's input, receive and every function reading a stored path use.
 *
 * First byte even: the rest is text for runpath_parse; odd: stored bytes
 * for runpath_decode_header/runs and runpath_cover. Properties: no
 * crash; an accepted text validates, encodes, decodes back to the same
 * runs and formats to text that parses to the same path; accepted stored
 * bytes re-encode to the same bytes; a cover result decodes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runpath.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz property failed: %s\n", what);
	abort();
}

/* encode, decode, compare; returns the encoding (malloc'd) */
static uint8_t *
check_encoding(int32_t start, const RunpathRun *runs, int nruns, size_t *len)
{
	size_t		sz = runpath_encoded_size(start, runs, nruns);
	uint8_t    *buf = malloc(sz);
	RunpathHeader h;
	RunpathRun *back;

	if (runpath_encode(buf, start, runs, nruns) != sz)
		fail("encoded size differs from runpath_encoded_size");
	if (runpath_decode_header(buf, sz, &h) != RUNPATH_OK || h.start != start || h.nruns != nruns)
		fail("own encoding: bad header");
	back = malloc(sizeof(RunpathRun) * nruns);
	if (runpath_decode_runs(buf, sz, &h, back) != RUNPATH_OK)
		fail("own encoding: runs do not decode");
	if (memcmp(back, runs, sizeof(RunpathRun) * nruns) != 0)
		fail("own encoding decodes to other runs");
	free(back);
	*len = sz;
	return buf;
}

static void
check_text(int32_t start, const RunpathRun *runs, int nruns)
{
	char	   *txt = malloc(runpath_text_size(nruns) + 1);
	RunpathRun *again = malloc(sizeof(RunpathRun) * nruns);
	int32_t		start2;
	int			n2,
				pos;
	size_t		tl = runpath_format(txt, start, runs, nruns);

	if (tl > runpath_text_size(nruns) || strlen(txt) != tl)
		fail("formatted text longer than runpath_text_size");
	if (runpath_parse(txt, &start2, again, nruns, &n2, &pos) != RUNPATH_OK)
		fail("own text output does not parse");
	if (start2 != start || n2 != nruns || memcmp(again, runs, sizeof(RunpathRun) * nruns) != 0)
		fail("text round trip changed the path");
	free(txt);
	free(again);
}

static void
fuzz_text(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	int			maxruns = 1,
				nruns,
				pos;
	int32_t		start;
	RunpathRun *runs;
	size_t		i,
				len;

	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < size && s[i]; i++)
		if (s[i] == ',')
			maxruns++;
	runs = malloc(sizeof(RunpathRun) * maxruns);
	if (runpath_parse(s, &start, runs, maxruns, &nruns, &pos) == RUNPATH_OK)
	{
		if (nruns < 1 || nruns > maxruns)
			fail("parse returned a bad run count");
		if (runpath_validate(start, runs, nruns) != RUNPATH_OK)
			fail("parsed path does not validate");
		free(check_encoding(start, runs, nruns, &len));
		check_text(start, runs, nruns);
	}
	else if (pos < 0 || (size_t) pos > strlen(s))
		fail("error position outside the input");
	free(runs);
	free(s);
}

static void
fuzz_stored(const uint8_t *data, size_t size)
{
	RunpathHeader h;
	RunpathRun *runs;
	uint8_t    *out;
	RunpathError err;
	size_t		n;
	int32_t		from,
				to;

	if (runpath_decode_header(data, size, &h) == RUNPATH_OK)
	{
		if (h.nruns < 1 || h.runs_offset > size || (size_t) h.nruns > size)
			fail("header accepted with impossible counts");
		runs = malloc(sizeof(RunpathRun) * h.nruns);
		if (runpath_decode_runs(data, size, &h, runs) == RUNPATH_OK)
		{
			uint8_t    *again;
			size_t		len;

			if (runpath_validate(h.start, runs, h.nruns) != RUNPATH_OK)
				fail("decoded path does not validate");
			again = check_encoding(h.start, runs, h.nruns, &len);
			if (len != size || memcmp(again, data, size) != 0)
				fail("decoded path re-encodes to other bytes (not canonical)");
			free(again);
			check_text(h.start, runs, h.nruns);
		}
		free(runs);
	}
	/*
	 * cover: the window (two Mondays) comes from the last 8 bytes, the path
	 * from the rest. It reads only the header and the first and last run,
	 * so on a damaged stored value it must stay in bounds; on a valid one
	 * its result must be a valid path.
	 */
	if (size >= 8)
	{
		bool		valid = false;

		memcpy(&from, data + size - 8, 4);
		memcpy(&to, data + size - 4, 4);
		/* Mondays (day 2 is 2000-01-03), as the SQL functions pass */
		from = (int32_t) ((from / 8) * 7 + 2);
		to = (int32_t) ((to / 8) * 7 + 2);
		if (runpath_decode_header(data, size - 8, &h) == RUNPATH_OK)
		{
			runs = malloc(sizeof(RunpathRun) * h.nruns);
			valid = runpath_decode_runs(data, size - 8, &h, runs) == RUNPATH_OK;
			free(runs);
		}
		out = malloc(size - 8 + RUNPATH_COVER_EXTRA);
		n = runpath_cover(data, size - 8, from, to, out, &err);
		if (n > size - 8 + RUNPATH_COVER_EXTRA)
			fail("cover wrote past its documented bound");
		if (n > 0 && valid)
		{
			if (runpath_decode_header(out, n, &h) != RUNPATH_OK)
				fail("cover result has a bad header");
			runs = malloc(sizeof(RunpathRun) * h.nruns);
			if (runpath_decode_runs(out, n, &h, runs) != RUNPATH_OK)
				fail("cover result does not decode");
			free(runs);
		}
		free(out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if ((data[0] & 1) == 0)
		fuzz_text(data + 1, size - 1);
	else
		fuzz_stored(data + 1, size - 1);
	return 0;
}
