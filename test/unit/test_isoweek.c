/*
 * Unit tests for the ISO-week calendar. Expected values were worked out
 * by hand from the ISO-8601 rules (week 1 contains 4 January; a year has
 * 53 weeks when it starts on a Thursday, or on a Wednesday in a leap
 * year) and cross-checked with an independent calendar implementation.
 */
#include "isoweek.h"
#include "unit.h"

#include <string.h>

static int32_t
D(int y, int m, int d)
{
	return isoweek_days_from_civil(y, m, d);
}

static void
check_week(int y, int m, int d, int want_year, int want_week)
{
	int			iy,
				iw;

	isoweek_of_day(D(y, m, d), &iy, &iw);
	CHECK(iy == want_year && iw == want_week,
		  "%04d-%02d-%02d is %d-W%02d (got %d-W%02d)", y, m, d, want_year, want_week, iy, iw);
}

int
main(void)
{
	int			y,
				m,
				d,
				i;
	int32_t		mon;
	char		buf[16];
	int			roundtrip_ok = 1;

	/* day numbers agree with PostgreSQL's DateADT */
	CHECK(D(2000, 1, 1) == 0, "2000-01-01 is day 0");
	CHECK(D(1900, 1, 1) == -36524, "1900-01-01 is day -36524");
	CHECK(D(2024, 2, 29) - D(2024, 2, 28) == 1, "leap day exists in 2024");
	CHECK(D(2100, 3, 1) - D(2100, 2, 28) == 1, "no leap day in 2100");
	for (i = -100000; i <= 100000; i += 7)
	{
		isoweek_civil_from_days(i, &y, &m, &d);
		if (D(y, m, d) != i)
			roundtrip_ok = 0;
	}
	CHECK(roundtrip_ok, "civil date round trip over 548 years");

	/* weekdays */
	CHECK(isoweek_weekday(0) == 6, "2000-01-01 is a Saturday");
	CHECK(isoweek_weekday(D(2026, 11, 25)) == 3, "2026-11-25 is a Wednesday");
	CHECK(isoweek_monday(D(2026, 11, 29)) == D(2026, 11, 23), "Monday of a Sunday");
	CHECK(isoweek_monday(D(1999, 12, 31)) == D(1999, 12, 27), "Monday before 2000");

	/* weeks of days at year boundaries */
	check_week(2020, 12, 31, 2020, 53);
	check_week(2021, 1, 3, 2020, 53);
	check_week(2021, 1, 4, 2021, 1);
	check_week(2018, 12, 31, 2019, 1);
	check_week(2016, 1, 3, 2015, 53);
	check_week(2026, 12, 31, 2026, 53);
	check_week(2027, 1, 3, 2026, 53);
	check_week(2027, 1, 4, 2027, 1);
	check_week(2008, 12, 29, 2009, 1);
	check_week(2010, 1, 3, 2009, 53);

	/* 53-week years */
	CHECK(isoweek_weeks_in_year(2015) == 53, "2015 has 53 weeks");
	CHECK(isoweek_weeks_in_year(2020) == 53, "2020 has 53 weeks");
	CHECK(isoweek_weeks_in_year(2026) == 53, "2026 has 53 weeks");
	CHECK(isoweek_weeks_in_year(1992) == 53, "1992 (leap, starts Wednesday) has 53 weeks");
	CHECK(isoweek_weeks_in_year(2019) == 52, "2019 has 52 weeks");
	CHECK(isoweek_weeks_in_year(2000) == 52, "2000 has 52 weeks");
	CHECK(isoweek_weeks_in_year(2027) == 52, "2027 has 52 weeks");

	/* Monday of a week */
	CHECK(isoweek_monday_of(2026, 53, &mon) && mon == D(2026, 12, 28), "2026-W53 starts 2026-12-28");
	CHECK(isoweek_monday_of(2017, 1, &mon) && mon == D(2017, 1, 2), "2017-W01 starts 2017-01-02");
	CHECK(isoweek_monday_of(2019, 1, &mon) && mon == D(2018, 12, 31), "2019-W01 starts 2018-12-31");
	CHECK(!isoweek_monday_of(2019, 53, &mon), "2019-W53 does not exist");
	CHECK(!isoweek_monday_of(2020, 54, &mon), "week 54 never exists");
	CHECK(!isoweek_monday_of(2020, 0, &mon), "week 0 never exists");

	/* weeks between */
	CHECK(isoweek_weeks_between(D(2020, 12, 28), D(2021, 1, 4)) == 1, "2020-W53 to 2021-W01 is 1 week");
	CHECK(isoweek_weeks_between(D(2020, 1, 1), D(2021, 1, 1)) == 52, "2020-01-01 (W01) to 2021-01-01 (2020-W53) is 52 weeks");
	CHECK(isoweek_weeks_between(D(2019, 1, 1), D(2021, 1, 4)) == 105, "2019-W01 to 2021-W01 spans 52 + 53 weeks");
	CHECK(isoweek_weeks_between(D(2021, 1, 4), D(2019, 1, 1)) == -105, "weeks between is signed");
	CHECK(isoweek_weeks_between(D(2026, 11, 23), D(2026, 11, 29)) == 0, "same week is 0");

	/* yyyyww */
	CHECK(isoweek_to_yyyyww(D(2021, 1, 2)) == 202053, "2021-01-02 is 202053");
	CHECK(isoweek_from_yyyyww(202053, &mon) && mon == D(2020, 12, 28), "202053 is Monday 2020-12-28");
	CHECK(!isoweek_from_yyyyww(201953, &mon), "201953 is rejected");
	CHECK(!isoweek_from_yyyyww(202000, &mon), "202000 is rejected");
	CHECK(!isoweek_from_yyyyww(-202001, &mon), "negative yyyyww is rejected");

	/* DREAM column names */
	CHECK(isoweek_from_dream_column("y_1701", &mon) && mon == D(2017, 1, 2), "y_1701 is 2017-W01");
	CHECK(isoweek_from_dream_column("Y_9127", &mon) && mon == isoweek_monday(D(1991, 7, 1)), "Y_9127 is 1991-W27");
	CHECK(isoweek_from_dream_column("y_2053", &mon) && mon == D(2020, 12, 28), "y_2053 is 2020-W53");
	CHECK(isoweek_from_dream_column("y_9253", &mon) && mon == D(1992, 12, 28), "y_9253 is 1992-W53");
	CHECK(isoweek_from_dream_column("y_0453", &mon) && mon == D(2004, 12, 27), "y_0453 is 2004-W53");
	CHECK(!isoweek_from_dream_column("y_0053", &mon), "y_0053 rejected: 2000 has 52 weeks");
	CHECK(!isoweek_from_dream_column("y_1954", &mon), "y_1954 rejected");
	CHECK(!isoweek_from_dream_column("y_19011", &mon), "too long a name rejected");
	CHECK(!isoweek_from_dream_column("x_1901", &mon), "wrong prefix rejected");
	CHECK(!isoweek_from_dream_column("y_19a1", &mon), "non-digit rejected");
	CHECK(isoweek_to_dream_column(D(2026, 12, 31), buf, sizeof(buf)) && strcmp(buf, "y_2653") == 0, "2026-12-31 is y_2653");
	CHECK(isoweek_to_dream_column(D(1991, 7, 3), buf, sizeof(buf)) && strcmp(buf, "y_9127") == 0, "1991-07-03 is y_9127");
	CHECK(!isoweek_to_dream_column(D(2095, 1, 10), buf, sizeof(buf)), "2095 has no DREAM name");

	/* Thursday rule for months */
	CHECK(isoweek_month_yyyymm(D(2018, 12, 31)) == 201901, "week of 2018-12-31 belongs to January 2019");
	CHECK(isoweek_month_yyyymm(D(2020, 12, 28)) == 202012, "2020-W53 belongs to December 2020");
	CHECK(isoweek_month_yyyymm(D(2026, 12, 28)) == 202612, "2026-W53 belongs to December 2026");
	CHECK(isoweek_month_yyyymm(D(2024, 1, 29)) == 202402, "week of 2024-01-29 (Thursday 1 Feb) belongs to February");
	CHECK(isoweek_month_yyyymm(D(2024, 2, 26)) == 202402, "week of 2024-02-26 (Thursday 29 Feb) belongs to February");
	CHECK(isoweek_month_yyyymm(D(2017, 1, 2)) == 201701, "y_1701 maps to grad_2017_01");

	return unit_done();
}
