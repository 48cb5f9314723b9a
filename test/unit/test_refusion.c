/*
 * Unit tests for the benefit-seniority walk (src/math/refusion.c), by hand
 * from LBK 221 section 6 stk. 1: 52 self-supporting weeks within 156 reset
 * the count; self weeks before a reset do not count again.
 */
#include "refusion.h"
#include "unit.h"

static int32_t
run(RefusionState *st, RefusionWeek kind, int n)
{
	int32_t		last = 0;
	int			i;

	for (i = 0; i < n; i++)
		last = refusion_step(st, kind);
	return last;
}

int
main(void)
{
	RefusionState st;
	int32_t		s;
	int			i,
				ok;

	refusion_init(&st, 0);
	ok = 1;
	for (i = 1; i <= 60; i++)
		ok &= (refusion_step(&st, REFUSION_BENEFIT) == i);
	CHECK(ok, "60 benefit weeks have seniority 1..60");

	refusion_init(&st, 0);
	run(&st, REFUSION_BENEFIT, 10);
	run(&st, REFUSION_SELF, 51);
	s = refusion_step(&st, REFUSION_BENEFIT);
	CHECK(s == 11, "51 self weeks do not reset: next benefit week is 11 (got %d)", s);

	refusion_init(&st, 0);
	run(&st, REFUSION_BENEFIT, 10);
	run(&st, REFUSION_SELF, 52);
	s = refusion_step(&st, REFUSION_BENEFIT);
	CHECK(s == 1 && st.resets == 1, "52 self weeks reset: next benefit week is 1 (got %d)", s);

	/* self weeks spread over the window: 30 self, 100 benefit, 22 self = 52 self in 152 weeks */
	refusion_init(&st, 0);
	run(&st, REFUSION_SELF, 30);
	run(&st, REFUSION_BENEFIT, 100);
	run(&st, REFUSION_SELF, 22);
	s = refusion_step(&st, REFUSION_BENEFIT);
	CHECK(s == 1, "52 self weeks within 156 (spread) reset (got %d)", s);

	/* 30 self, 130 benefit, 22 self: at the end the window (last 156 weeks) holds 4 + 22 = 26 self weeks */
	refusion_init(&st, 0);
	run(&st, REFUSION_SELF, 30);
	run(&st, REFUSION_BENEFIT, 130);
	run(&st, REFUSION_SELF, 22);
	s = refusion_step(&st, REFUSION_BENEFIT);
	CHECK(s == 131, "self weeks older than 3 years do not count (got %d)", s);

	/* self weeks used by a reset do not count again: 52 self (reset), 10 benefit, 51 self -> 11 */
	refusion_init(&st, 0);
	run(&st, REFUSION_SELF, 52);
	run(&st, REFUSION_BENEFIT, 10);
	run(&st, REFUSION_SELF, 51);
	s = refusion_step(&st, REFUSION_BENEFIT);
	CHECK(s == 11, "self weeks before a reset are used up (got %d)", s);

	/* other weeks (e.g. SU, censored) neither count nor reset */
	refusion_init(&st, 5);
	run(&st, REFUSION_OTHER, 200);
	s = refusion_step(&st, REFUSION_BENEFIT);
	CHECK(s == 6, "initial seniority 5, 200 other weeks: next benefit week is 6 (got %d)", s);

	/* the reset takes effect the week after the 52nd self week */
	refusion_init(&st, 70);
	run(&st, REFUSION_SELF, 51);
	CHECK(st.seniority == 70, "before the 52nd self week the seniority is kept");
	run(&st, REFUSION_SELF, 1);
	CHECK(st.seniority == 0, "after the 52nd self week the seniority is 0");
	return unit_done();
}
