/*
 * Unit tests for the date-period grids of att_gt. Expected grids, ordinals
 * and codes are worked out by hand from the calendar.
 */
#include "isoweek.h"
#include "periodgrid.h"
#include "unit.h"

static int32_t
D(int y, int m, int d)
{
	return isoweek_days_from_civil(y, m, d);
}

static PeriodGrid
detect(int n, const int32_t *days)
{
	PeriodGrid	g;

	periodgrid_detect(days, n, &g);
	return g;
}

static int32_t
code_of(const PeriodGrid *g, int32_t day)
{
	int32_t		ord,
				code;

	if (!periodgrid_ordinal(g, day, &ord) || !periodgrid_code(g, ord, &code))
		return -1;
	return code;
}

static int32_t
ord_of(const PeriodGrid *g, int32_t day)
{
	int32_t		ord;

	return periodgrid_ordinal(g, day, &ord) ? ord : -999999;
}

int
main(void)
{
	PeriodGrid	g;
	int32_t		ord;

	{
		/* mpdta's years as 1 January: yearly, ordinal = code = the year */
		int32_t		d[] = {D(2003, 1, 1), D(2004, 1, 1), D(2005, 1, 1), D(2006, 1, 1), D(2007, 1, 1)};

		g = detect(5, d);
		CHECK(g.kind == PERIODGRID_YEAR, "1 January of 2003..2007 is yearly (got %s)", periodgrid_name(g.kind));
		CHECK(ord_of(&g, D(2004, 1, 1)) == 2004 && code_of(&g, D(2006, 1, 1)) == 2006,
			  "yearly ordinal and code are the year");
		CHECK(!periodgrid_ordinal(&g, D(2004, 7, 1), &ord), "1 July is not on a 1-January grid");
	}
	{
		/* quarters starting February: Feb, May, Aug, Nov on day 15 */
		int32_t		d[] = {D(2020, 2, 15), D(2020, 5, 15), D(2020, 11, 15), D(2021, 2, 15)};

		g = detect(4, d);
		CHECK(g.kind == PERIODGRID_QUARTER, "Feb/May/Nov 15 is quarterly (got %s)", periodgrid_name(g.kind));
		CHECK(ord_of(&g, D(2020, 5, 15)) - ord_of(&g, D(2020, 2, 15)) == 1 &&
			  ord_of(&g, D(2021, 2, 15)) - ord_of(&g, D(2020, 2, 15)) == 4, "quarter ordinals count quarters");
		CHECK(code_of(&g, D(2020, 11, 15)) == 20204 && code_of(&g, D(2021, 2, 15)) == 20211,
			  "quarter codes yyyyq (got %d, %d)", code_of(&g, D(2020, 11, 15)), code_of(&g, D(2021, 2, 15)));
		CHECK(!periodgrid_ordinal(&g, D(2020, 3, 15), &ord), "March is not on a Feb/May/Aug/Nov grid");
	}
	{
		/* month ends, with a gap: monthly */
		int32_t		d[] = {D(2019, 1, 31), D(2019, 2, 28), D(2019, 4, 30), D(2020, 2, 29)};

		g = detect(4, d);
		CHECK(g.kind == PERIODGRID_MONTH && g.mday == 0, "month ends are monthly (got %s, day %d)",
			  periodgrid_name(g.kind), g.mday);
		CHECK(ord_of(&g, D(2019, 4, 30)) - ord_of(&g, D(2019, 1, 31)) == 3, "month ordinals count months");
		CHECK(code_of(&g, D(2020, 2, 29)) == 202002, "month code yyyymm");
		CHECK(!periodgrid_ordinal(&g, D(2019, 3, 30), &ord), "30 March is not a month end");
	}
	{
		/* Mondays, every week: weekly, ISO codes across a year end */
		int32_t		d[] = {D(2020, 12, 21), D(2020, 12, 28), D(2021, 1, 4), D(2021, 1, 11)};

		g = detect(4, d);
		CHECK(g.kind == PERIODGRID_WEEK, "Mondays are weekly (got %s)", periodgrid_name(g.kind));
		CHECK(ord_of(&g, D(2021, 1, 11)) - ord_of(&g, D(2020, 12, 21)) == 3, "week ordinals count weeks");
		CHECK(code_of(&g, D(2020, 12, 28)) == 202053 && code_of(&g, D(2021, 1, 4)) == 202101,
			  "ISO week codes (got %d, %d)", code_of(&g, D(2020, 12, 28)), code_of(&g, D(2021, 1, 4)));
		CHECK(!periodgrid_ordinal(&g, D(2021, 1, 6), &ord), "a Wednesday is not on a Monday grid");
		CHECK(ord_of(&g, D(2020, 12, 7)) == PERIODGRID_WEEK_BASE - 2 && code_of(&g, D(2020, 12, 7)) == 202050,
			  "weeks before the first date count back from the base");
	}
	{
		/* fortnightly Thursdays: still weekly, ordinals in weeks */
		int32_t		d[] = {D(2022, 3, 3), D(2022, 3, 17), D(2022, 3, 31)};

		g = detect(3, d);
		CHECK(g.kind == PERIODGRID_WEEK && ord_of(&g, D(2022, 3, 31)) - ord_of(&g, D(2022, 3, 3)) == 4,
			  "fortnightly dates are weekly, step 2");
	}
	{
		/* irregular days: daily, code yyyymmdd */
		int32_t		d[] = {D(2022, 3, 3), D(2022, 3, 5), D(2022, 4, 9)};

		g = detect(3, d);
		CHECK(g.kind == PERIODGRID_DAY && code_of(&g, D(2022, 4, 9)) == 20220409 &&
			  ord_of(&g, D(2022, 4, 9)) - ord_of(&g, D(2022, 3, 5)) == 35, "irregular days are daily");
		CHECK(ord_of(&g, D(1, 1, 1)) > 0, "day ordinals are positive from year 1");
	}
	{
		/* two January dates two years apart: yearly */
		int32_t		d[] = {D(2010, 1, 10), D(2012, 1, 10)};

		g = detect(2, d);
		CHECK(g.kind == PERIODGRID_YEAR && ord_of(&g, D(2011, 1, 10)) == 2011, "a two-year step is yearly");
		CHECK(!periodgrid_code(&g, 10000, &ord), "year 10000 has no code");
	}
	return unit_done();
}
