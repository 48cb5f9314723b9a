/* Unit tests of src/math/runpath.c and src/math/km.c. */
#include <string.h>

#include "unit.h"
#include "isoweek.h"
#include "runpath.h"
#include "km.h"
#include "distributions.h"

static int
roundtrip(const char *in, const char *want)
{
	RunpathRun	runs[64],
				back[64];
	int32_t		start;
	int			n,
				pos;
	char		buf[1024];
	uint8_t		bin[1024];
	size_t		len;
	RunpathHeader h;

	if (runpath_parse(in, &start, runs, 64, &n, &pos) != RUNPATH_OK)
		return 0;
	runpath_format(buf, start, runs, n);
	if (strcmp(buf, want) != 0)
		return 0;
	len = runpath_encode(bin, start, runs, n);
	if (len != runpath_encoded_size(start, runs, n))
		return 0;
	if (runpath_decode_header(bin, len, &h) != RUNPATH_OK || h.start != start || h.nruns != n)
		return 0;
	if (runpath_decode_runs(bin, len, &h, back) != RUNPATH_OK)
		return 0;
	return memcmp(runs, back, sizeof(RunpathRun) * n) == 0;
}

/*
 * path_cover the slow way (decode every run, add no-benefit runs, merge,
 * encode) against runpath_cover on the stored bytes; 1 when they agree.
 */
static int
cover_agrees(const char *in, int32_t from, int32_t to, const char *want)
{
	RunpathRun	runs[70];
	int32_t		start;
	int			n,
				pos,
				m = 0,
				i;
	uint8_t		bin[1024],
				fast[1024 + RUNPATH_COVER_EXTRA],
				slow[1024];
	RunpathRun	all[72];
	size_t		len,
				nfast,
				nslow;
	int64_t		last,
				s,
				e;
	RunpathError err;
	char		txt[1024];

	if (runpath_parse(in, &start, runs, 64, &n, &pos) != RUNPATH_OK)
		return 0;
	len = runpath_encode(bin, start, runs, n);
	last = start;
	for (i = 0; i < n; i++)
		last += (int64_t) runs[i].len * 7;
	last -= 7;
	s = from < start ? from : start;
	e = to > last ? to : last;
	if (start > s)
	{
		all[m].code = RUNPATH_NONE;
		all[m++].len = (int32_t) ((start - s) / 7);
	}
	for (i = 0; i < n; i++)
		all[m++] = runs[i];
	if (e > last)
	{
		all[m].code = RUNPATH_NONE;
		all[m++].len = (int32_t) ((e - last) / 7);
	}
	m = runpath_canonicalize(all, m);
	nslow = runpath_encode(slow, (int32_t) s, all, m);
	nfast = runpath_cover(bin, len, from, to, fast, &err);
	if (err != RUNPATH_OK || nfast != nslow || memcmp(fast, slow, nslow) != 0)
		return 0;
	if (nfast > len + RUNPATH_COVER_EXTRA)
		return 0;
	runpath_format(txt, (int32_t) s, all, m);
	return want == NULL || strcmp(txt, want) == 0;
}

static RunpathError
parse_err(const char *in, int *pos)
{
	RunpathRun	runs[64];
	int32_t		start;
	int			n;

	return runpath_parse(in, &start, runs, 64, &n, pos);
}

int
main(void)
{
	int			pos;
	uint8_t		b[8];
	uint32_t	v;
	RunpathRun	out[16];
	RunpathWeek w[8];
	RunpathSpell sp[4];
	RunpathStateRun st[8];
	int64_t		c[RUNPATH_NSTATES];
	int			n;

	CHECK(isoweek_days_from_civil(1, 1, 1) == RUNPATH_MIN_DAY, "RUNPATH_MIN_DAY is 0001-01-01");
	CHECK(isoweek_days_from_civil(9999, 12, 31) == RUNPATH_MAX_DAY, "RUNPATH_MAX_DAY is 9999-12-31");

	/* varints */
	CHECK(runpath_put_varint(b, 127) == 1 && runpath_get_varint(b, 1, &v) == 1 && v == 127, "varint 127");
	CHECK(runpath_put_varint(b, 9999) == 2 && runpath_get_varint(b, 2, &v) == 2 && v == 9999, "varint 9999");
	CHECK(runpath_put_varint(b, 0xFFFFFFFFu) == 5 && runpath_get_varint(b, 5, &v) == 5 && v == 0xFFFFFFFFu, "varint max");
	CHECK(runpath_get_varint(b, 3, &v) == 0, "truncated varint rejected");
	b[0] = 0x81; b[1] = 0x00;
	CHECK(runpath_get_varint(b, 2, &v) == 0, "overlong varint rejected");

	/* text round trips, canonical merge */
	CHECK(roundtrip("2019-01-07:130x4,-x4,997x2", "2019-01-07:130x4,-x4,997x2"), "SCHEMA example round-trips");
	CHECK(roundtrip("2019-01-07:130x2,130x2,-x1,-x3", "2019-01-07:130x4,-x4"), "adjacent equal runs merge");
	CHECK(roundtrip("1999-12-27:-x1", "1999-12-27:-x1"), "negative day number start");
	CHECK(roundtrip("2020-12-28:9999x1000", "2020-12-28:9999x1000"), "code 9999");

	/* bad text: error kind and position */
	CHECK(parse_err("2019-01-08:130x4", &pos) == RUNPATH_ERR_NOT_MONDAY, "Tuesday start rejected");
	CHECK(parse_err("2019-02-30:130x4", &pos) == RUNPATH_ERR_DATE, "Feb 30 rejected");
	CHECK(parse_err("2019-01-07", &pos) == RUNPATH_ERR_COLON && pos == 10, "missing colon at 10");
	CHECK(parse_err("2019-01-07:", &pos) == RUNPATH_ERR_EMPTY, "no runs");
	CHECK(parse_err("2019-01-07:130x0", &pos) == RUNPATH_ERR_LENGTH && pos == 15, "zero length at 15");
	CHECK(parse_err("2019-01-07:130x-1", &pos) == RUNPATH_ERR_LENGTH, "negative length");
	CHECK(parse_err("2019-01-07:0x1", &pos) == RUNPATH_ERR_CODE_RANGE && pos == 11, "code 0");
	CHECK(parse_err("2019-01-07:10000x1", &pos) == RUNPATH_ERR_CODE_RANGE, "code 10000");
	CHECK(parse_err("2019-01-07:130x4,", &pos) == RUNPATH_ERR_CODE && pos == 17, "trailing comma");
	CHECK(parse_err("2019-01-07:130x4 ", &pos) == RUNPATH_ERR_SEPARATOR && pos == 16, "trailing space");
	CHECK(parse_err("2019-01-07:130y4", &pos) == RUNPATH_ERR_X && pos == 14, "y instead of x");
	CHECK(parse_err("2019-01-07:1x0", &pos) == RUNPATH_ERR_LENGTH, "1x0 is a zero-length run");
	CHECK(parse_err("2019-01-07:0130x1", &pos) == RUNPATH_ERR_CODE, "leading zero code");
	CHECK(parse_err("9999-12-27:-x2", &pos) == RUNPATH_ERR_DATE_RANGE, "past 9999-12-31: a date error, not a length one");
	CHECK(parse_err("9999-12-20:-x1", &pos) == RUNPATH_OK, "the last week of the calendar");
	CHECK(parse_err("9999-12-20:-x1,130x1", &pos) == RUNPATH_ERR_DATE_RANGE, "one week past the calendar");

	/* stored-form validation */
	{
		RunpathRun	r[2] = {{130, 2}, {130, 3}};
		uint8_t		bin[64];
		size_t		len;
		RunpathHeader h;
		RunpathRun	back[2];

		len = runpath_encode(bin, isoweek_days_from_civil(2019, 1, 7), r, 2);
		CHECK(runpath_decode_header(bin, len, &h) == RUNPATH_OK &&
			  runpath_decode_runs(bin, len, &h, back) == RUNPATH_ERR_NOT_CANONICAL, "stored non-canonical rejected");
		r[1].code = 131;
		len = runpath_encode(bin, isoweek_days_from_civil(2019, 1, 7), r, 2);
		CHECK(runpath_decode_header(bin, len + 1, &h) == RUNPATH_OK &&
			  runpath_decode_runs(bin, len + 1, &h, back) == RUNPATH_ERR_TRAILING, "trailing byte rejected");
		bin[0] = 2;
		CHECK(runpath_decode_header(bin, len, &h) == RUNPATH_ERR_VERSION, "version 2 rejected");
		bin[0] = 1;
		CHECK(runpath_decode_header(bin, len - 1, &h) != RUNPATH_OK ||
			  runpath_decode_runs(bin, len - 1, &h, back) == RUNPATH_ERR_TRUNCATED, "truncated rejected");
	}

	/* builder from weeks: gaps are no benefit, order does not matter */
	{
		int32_t		m = isoweek_days_from_civil(2019, 1, 7);

		w[0] = (RunpathWeek) {m + 21, 997};
		w[1] = (RunpathWeek) {m, 130};
		w[2] = (RunpathWeek) {m + 7, 130};
		w[3] = (RunpathWeek) {m + 28, 997};
		runpath_sort_weeks(w, 4);
		CHECK(runpath_find_duplicate(w, 4) == -1, "no duplicates");
		n = runpath_from_weeks(w, 4, out);
		CHECK(n == 3 && out[0].code == 130 && out[0].len == 2 && out[1].code == 0 &&
			  out[1].len == 1 && out[2].code == 997 && out[2].len == 2, "weeks -> 130x2,-x1,997x2");
		w[4] = (RunpathWeek) {m + 7, 0};
		runpath_sort_weeks(w, 5);
		CHECK(runpath_find_duplicate(w, 5) == 2 && w[2].week == m + 7, "duplicate week found");
		CHECK(runpath_collapse_priority(w, 5) == 4 && w[1].code == 130, "priority: code beats none");
		CHECK(runpath_priority_winner(130, 998) == 998, "priority: censoring wins");
		CHECK(runpath_priority_winner(130, 111) == 111, "priority: lower code wins");

		sp[0] = (RunpathSpell) {m + 14, m + 21, 130, 1};
		sp[1] = (RunpathSpell) {m, m, 130, 2};
		sp[2] = (RunpathSpell) {m + 28, m + 35, 130, 3};
		runpath_sort_spells(sp, 3);
		CHECK(runpath_find_overlap(sp, 3) == -1, "no overlap");
		n = runpath_from_spells(sp, 3, out);
		CHECK(n == 3 && out[0].len == 1 && out[1].code == 0 && out[1].len == 1 &&
			  out[2].code == 130 && out[2].len == 4, "spells merge adjacent equal runs");
		sp[2].from = m + 21;
		CHECK(runpath_find_overlap(sp, 3) == 2, "overlap found");
	}

	/* measures on state runs: M2 and M3 (docs/methods.md) */
	st[0] = (RunpathStateRun) {RUNPATH_BENEFIT, 4};
	st[1] = (RunpathStateRun) {RUNPATH_SELF, 4};
	runpath_state_counts(st, 2, 0, 7, c);
	CHECK(c[RUNPATH_SELF] == 4 && c[RUNPATH_BENEFIT] == 4 && c[RUNPATH_UNOBSERVED] == 0, "M2 counts 4/8");
	runpath_state_counts(st, 2, -2, 9, c);
	CHECK(c[RUNPATH_UNOBSERVED] == 4, "weeks outside the path are unobserved");
	st[0] = (RunpathStateRun) {RUNPATH_BENEFIT, 1};
	st[1] = (RunpathStateRun) {RUNPATH_SELF, 7};
	CHECK(runpath_longest_self(st, 2, 0, 7) == 7, "M3 longest run 7");
	CHECK(runpath_first_self_run(st, 2, 0, -1, 4) == 1, "M3 K=4 run starts at 1");
	CHECK(runpath_first_self_run(st, 2, 0, -1, 8) == -1, "M3 K=8 none");
	CHECK(runpath_first_self_run(st, 2, 3, -1, 4) == 3, "run straddling from counts from from");
	CHECK(runpath_first_self_run(st, 2, 0, 0, 4) == -1, "last_start bounds the start");
	CHECK(runpath_state_at(st, 2, 0) == RUNPATH_BENEFIT && runpath_state_at(st, 2, 8) == RUNPATH_UNOBSERVED,
		  "state_at");

	/* path_cover on the stored bytes, by hand: 2019-01-07 is day 6946 */
	{
		int32_t		d0 = isoweek_days_from_civil(2019, 1, 7);
		const char *shapes[] = {"2019-01-14:130x2", "2019-01-14:-x2", "2019-01-14:130x2,-x3",
			"2019-01-14:-x2,130x1", "2019-01-14:-x1,130x2,-x1", "2019-01-14:130x1,997x300,-x2,811x1",
		"2019-01-14:-x200,130x1,-x200"};
		int			k,
					a,
					b;
		RunpathError err;
		uint8_t		bad[3] = {RUNPATH_VERSION, 0, 0},
					out[64];

		CHECK(cover_agrees("2019-01-14:130x2", d0, d0 + 4 * 7, "2019-01-07:-x1,130x2,-x2"), "cover both sides");
		CHECK(cover_agrees("2019-01-14:-x1,130x2", d0, d0 + 2 * 7, "2019-01-07:-x2,130x2"), "leading none merged");
		CHECK(cover_agrees("2019-01-14:-x3", d0, d0 + 6 * 7, "2019-01-07:-x7"), "single none run merged twice");
		CHECK(cover_agrees("2019-01-14:130x2", d0 + 7, d0 + 7, "2019-01-14:130x2"), "already covered");
		CHECK(cover_agrees("2019-01-14:130x1,-x1", d0 + 7, d0 + 9 * 7, "2019-01-14:130x1,-x8"), "trailing none merged");
		/* every shape against every window of 0..400 weeks around it */
		for (k = 0; k < (int) (sizeof(shapes) / sizeof(shapes[0])); k++)
			for (a = 0; a < 3; a++)
				for (b = 0; b < 4; b++)
					CHECK(cover_agrees(shapes[k], d0 + 7 * (a == 0 ? 0 : a == 1 ? 1 : 2),
									   d0 + 7 * (b == 0 ? 1 : b == 1 ? 3 : b == 2 ? 150 : 700), NULL),
						  "cover agrees with decode-and-encode");
		CHECK(runpath_cover(bad, 3, d0, d0, out, &err) == 0 && err != RUNPATH_OK, "bad header refused");
	}

	/* Kaplan-Meier: times 1(d),2(c),3(d),3(d),4(c),5(d) */
	{
		KmPoint		p[5] = {{1, 0, 1, 0}, {2, 0, 0, 1}, {3, 0, 2, 0}, {4, 0, 0, 1}, {5, 0, 1, 0}};
		KmRow		r[5];
		double		z = si_norm_quantile(0.975),
					s,
					gw,
					h;

		CHECK_NEAR(z, 1.959963984540054, 1e-14, "normal quantile 0.975");
		CHECK_NEAR(si_norm_quantile(0.001), -3.090232306167813, 1e-13, "normal quantile 0.001");
		km_curve(p, 5, z, KM_CI_LOGLOG, r);
		CHECK(r[0].at_risk == 6 && r[2].at_risk == 4 && r[4].at_risk == 1, "at risk 6, 4, 1");
		CHECK_NEAR(r[0].survival, 5.0 / 6, 1e-15, "S(1) = 5/6");
		CHECK_NEAR(r[2].survival, 5.0 / 12, 1e-15, "S(3) = 5/12");
		CHECK_NEAR(r[4].survival, 0.0, 0, "S(5) = 0");
		gw = 1.0 / 30 + 2.0 / 8;
		CHECK_NEAR(r[2].std_err, 5.0 / 12 * sqrt(gw), 1e-15, "Greenwood se at 3");
		h = z * sqrt(gw) / fabs(log(5.0 / 12));
		CHECK_NEAR(r[2].lower, pow(5.0 / 12, exp(h)), 1e-15, "log-log lower at 3");
		CHECK_NEAR(r[2].upper, pow(5.0 / 12, exp(-h)), 1e-15, "log-log upper at 3");
		CHECK(km_quantile_time(r, 5, 0.5) == 3, "median 3");
		CHECK(km_survival_at(r, 5, 4, &s) == 0 && fabs(s - 5.0 / 12) < 1e-15, "S(4) = 5/12");
		CHECK(km_survival_at(r, 5, 0, &s) == 0 && s == 1.0, "S(0) = 1");
		km_curve(p, 5, z, KM_CI_PLAIN, r);
		CHECK_NEAR(r[2].upper, 5.0 / 12 + z * 5.0 / 12 * sqrt(gw), 1e-15, "plain upper at 3");
		CHECK(r[2].lower == 0.0, "plain lower clipped at 0");
	}
	return unit_done();
}
