/*
 * test_runpath_cover.c — runpath_cover (path_cover on the stored bytes)
 * against two references, over many random paths and windows drawn with
 * a fixed seed:
 *  - week by week: every week of the covered range has the path's code
 *    where the path has a week and no benefit elsewhere (an expansion
 *    into one code per week, independent of the run and varint code);
 *  - byte for byte: decode every run, add no-benefit runs, merge, encode
 *    (the canonical encoding, so the fast result is canonical too).
 * The draws reach every varint width the format allows: codes >= 128
 * (2 bytes), run lengths >= 128, >= 16384 (3 bytes), starts near
 * 0001-01-01 and 9999-12-31 (zigzagged starts of 3 and 4 bytes), windows
 * before, after, inside and around the path, and the week right after
 * its end. Also: every size stays within len + RUNPATH_COVER_EXTRA, and
 * ranges past the limits are refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isoweek.h"
#include "runpath.h"
#include "unit.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint32_t
rnd(void)
{
	/* xorshift64* with a fixed seed: the same draws on every run */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t) ((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* uniform in [lo, hi] */
static int64_t
between(int64_t lo, int64_t hi)
{
	uint64_t	r = ((uint64_t) rnd() << 32) | rnd();

	return lo + (int64_t) (r % (uint64_t) (hi - lo + 1));
}

#define MAXRUNS 40

/* a random run length: mostly short, sometimes of 2 or 3 varint bytes */
static int32_t
draw_len(int64_t room)
{
	int64_t		l;

	switch (rnd() % 8)
	{
		case 0:
			l = between(128, 300);
			break;
		case 1:
			l = between(16380, 16390);
			break;
		case 2:
			l = rnd() % 4 == 0 ? between(100000, 400000) : between(1, 3);
			break;
		default:
			l = between(1, 5);
	}
	if (l > room)
		l = room;
	return (int32_t) l;
}

static int32_t
draw_code(void)
{
	switch (rnd() % 5)
	{
		case 0:
		case 1:
			return RUNPATH_NONE;
		case 2:
			return (int32_t) between(1, 127);
		case 3:
			return (int32_t) between(128, 9999);
		default:
			return 130;
	}
}

/*
 * The reference week by week: the code of week i (0 = the Monday s) of the
 * covered range [s, e] is the path's where the path has that week, else 0.
 * Decodes the fast result and compares each week; 1 when all agree.
 */
static int
weeks_agree(const uint8_t *out, size_t n, int32_t start, const RunpathRun *runs, int nruns,
			int64_t s, int64_t e, int32_t *codes)
{
	RunpathHeader h;
	RunpathRun *got;
	int64_t		nweeks = (e - s) / 7 + 1,
				i,
				pos;
	int			j;
	int			ok = 1;

	if (runpath_decode_header(out, n, &h) != RUNPATH_OK || h.start != s || h.nweeks != nweeks)
		return 0;
	got = malloc(sizeof(RunpathRun) * (h.nruns > 0 ? h.nruns : 1));
	if (runpath_decode_runs(out, n, &h, got) != RUNPATH_OK)
	{
		free(got);
		return 0;
	}
	for (i = 0; i < nweeks; i++)
		codes[i] = RUNPATH_NONE;
	pos = (start - s) / 7;
	for (j = 0; j < nruns; j++)
		for (i = 0; i < runs[j].len; i++)
			codes[pos++] = runs[j].code;
	pos = 0;
	for (j = 0; j < h.nruns && ok; j++)
		for (i = 0; i < got[j].len && ok; i++)
			ok = codes[pos++] == got[j].code;
	free(got);
	return ok && pos == nweeks;
}

int
main(void)
{
	static int32_t codes[RUNPATH_MAX_WEEKS];
	static uint8_t bin[MAXRUNS * 8 + 32],
				fast[MAXRUNS * 8 + 32 + RUNPATH_COVER_EXTRA],
				slow[MAXRUNS * 8 + 64];
	RunpathRun	runs[MAXRUNS],
				all[MAXRUNS + 2];
	int			t,
				week_ok = 0,
				byte_ok = 0,
				size_ok = 0,
				refused_ok = 0,
				refused = 0,
				cases = 0,
				wide_len = 0,
				wide_code = 0,
				wide_start = 0;
	const int	trials = 20000;

	for (t = 0; t < trials; t++)
	{
		int			nruns = 1 + (int) (rnd() % (t % 3 == 0 ? 2 : MAXRUNS)),
					m = 0,
					j;
		int64_t		total = 0,
					room,
					last,
					s,
					e,
					from,
					to,
					span;
		int32_t		start;
		size_t		len,
					nfast,
					nslow;
		RunpathError err;

		/* the runs: canonical (no two adjacent equal codes) */
		for (j = 0; j < nruns; j++)
		{
			room = RUNPATH_MAX_WEEKS / 2 - total - (nruns - j);
			if (room < 1)
				break;
			do
				runs[j].code = draw_code();
			while (j > 0 && runs[j].code == runs[j - 1].code);
			runs[j].len = draw_len(room);
			total += runs[j].len;
		}
		nruns = j;
		/* the start: anywhere, or near either end of the calendar */
		switch (rnd() % 4)
		{
			case 0:
				start = RUNPATH_MIN_DAY + 7 * (int32_t) between(0, 300);
				break;
			case 1:
				start = RUNPATH_MAX_DAY - 6 - (int32_t) (total * 7) - 7 * (int32_t) between(0, 300);
				break;
			default:
				start = isoweek_days_from_civil(2019, 1, 7) + 7 * (int32_t) between(-300000, 300000);
		}
		start = isoweek_monday(start);
		if (start < RUNPATH_MIN_DAY)
			start += 7;
		while ((int64_t) start + total * 7 - 1 > RUNPATH_MAX_DAY)
			start -= 7;
		if (runpath_validate(start, runs, nruns) != RUNPATH_OK)
			continue;
		len = runpath_encode(bin, start, runs, nruns);
		last = start + (total - 1) * 7;

		/* the window: before, after, inside, around, or the week after */
		switch (rnd() % 6)
		{
			case 0:
				from = start - 7 * between(1, 2000);
				to = from + 7 * between(0, 500);
				break;
			case 1:
				from = last + 7 * between(1, 2000);
				to = from + 7 * between(0, 500);
				break;
			case 2:
				from = start + 7 * between(0, total - 1);
				to = from + 7 * between(0, last - from < 0 ? 0 : (last - from) / 7);
				break;
			case 3:
				from = start - 7 * between(0, 3000);
				to = last + 7 * between(0, 3000);
				break;
			case 4:
				from = to = last + 7;
				break;
			default:
				from = start - 7 * between(0, 400000);
				to = last + 7 * between(0, 400000);
		}
		if (from > to)
		{
			int64_t		x = from;

			from = to;
			to = x;
		}
		s = from < start ? from : start;
		e = to > last ? to : last;
		span = (e - s) / 7 + 1;
		if (from < RUNPATH_MIN_DAY || to > RUNPATH_MAX_DAY || s < RUNPATH_MIN_DAY ||
			span > RUNPATH_MAX_WEEKS || e + 6 > RUNPATH_MAX_DAY)
		{
			/* past the limits: refused, never written past the end */
			if (from >= INT32_MIN && to <= INT32_MAX)
			{
				refused++;
				nfast = runpath_cover(bin, len, (int32_t) from, (int32_t) to, fast, &err);
				refused_ok += (nfast == 0 && (err == RUNPATH_ERR_TOO_LONG || err == RUNPATH_ERR_DATE_RANGE));
			}
			continue;
		}
		cases++;
		for (j = 0; j < nruns; j++)
		{
			wide_len += runs[j].len >= 16384;
			wide_code += runs[j].code >= 128;
		}
		wide_start += (s < -(1 << 20) || s > (1 << 20));

		nfast = runpath_cover(bin, len, (int32_t) from, (int32_t) to, fast, &err);
		if (err == RUNPATH_OK && nfast > 0 && weeks_agree(fast, nfast, start, runs, nruns, s, e, codes))
			week_ok++;
		else if (cases - week_ok <= 5)
			printf("# week mismatch: start %d, %d runs, from %lld, to %lld\n", start, nruns,
				   (long long) from, (long long) to);
		/* the reference encoding: decode, add, merge, encode */
		if (s < start)
		{
			all[m].code = RUNPATH_NONE;
			all[m++].len = (int32_t) ((start - s) / 7);
		}
		for (j = 0; j < nruns; j++)
			all[m++] = runs[j];
		if (e > last)
		{
			all[m].code = RUNPATH_NONE;
			all[m++].len = (int32_t) ((e - last) / 7);
		}
		m = runpath_canonicalize(all, m);
		nslow = runpath_encode(slow, (int32_t) s, all, m);
		byte_ok += (nfast == nslow && memcmp(fast, slow, nslow) == 0);
		size_ok += (nfast <= len + RUNPATH_COVER_EXTRA);
	}
	CHECK(cases > trials / 2, "random cover: %d of %d draws inside the limits", cases, trials);
	CHECK(week_ok == cases, "random cover: every week of the covered range has the right code (%d of %d)",
		  week_ok, cases);
	CHECK(byte_ok == cases, "random cover: the bytes equal decode-add-merge-encode (%d of %d)", byte_ok, cases);
	CHECK(size_ok == cases, "random cover: at most len + RUNPATH_COVER_EXTRA bytes (%d of %d)", size_ok, cases);
	CHECK(refused > 100 && refused_ok == refused, "random cover: ranges past the limits refused (%d of %d)",
		  refused_ok, refused);
	CHECK(wide_len > 100 && wide_code > 1000 && wide_start > 100,
		  "random cover: drew 3-byte lengths (%d), 2-byte codes (%d), far starts (%d)",
		  wide_len, wide_code, wide_start);
	return unit_done();
}
