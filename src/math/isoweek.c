/*
 * isoweek.c — ISO-8601 week calendar (see isoweek.h).
 *
 * Civil-date conversion uses the era-based algorithm for the proleptic
 * Gregorian calendar (days from 0000-03-01 in 400-year eras), which is
 * exact for every representable year and needs no tables.
 *
 * No postgres.h here: the client programs (src/cli) link it too.
 * docs/methods.md, *ISO weeks*.
 */
#include "isoweek.h"

#include <ctype.h>
#include <stdio.h>

/* Day number of 2000-01-01 counted from 0000-03-01. */
#define DAYS_0000_03_01_TO_2000_01_01 730425

static int32_t
floor_div(int32_t a, int32_t b)
{
	int32_t		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int32_t
isoweek_days_from_civil(int year, int month, int day)
{
	int			y = year - (month <= 2 ? 1 : 0);
	int			era = (y >= 0 ? y : y - 399) / 400;
	int			yoe = y - era * 400;
	int			mp = (month + 9) % 12;	/* March = 0 */
	int			doy = (153 * mp + 2) / 5 + day - 1;
	int			doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - DAYS_0000_03_01_TO_2000_01_01);
}

void
isoweek_civil_from_days(int32_t days, int *year, int *month, int *day)
{
	int32_t		z = days + DAYS_0000_03_01_TO_2000_01_01;
	int32_t		era = floor_div(z, 146097);
	int32_t		doe = z - era * 146097;
	int32_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t		mp = (5 * doy + 2) / 153;
	int			m = mp < 10 ? mp + 3 : mp - 9;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = m;
	*year = (int) (yoe + era * 400 + (m <= 2 ? 1 : 0));
}

int
isoweek_weekday(int32_t days)
{
	/* day 0 is a Saturday (6) */
	int32_t		r = (days + 5) % 7;

	if (r < 0)
		r += 7;
	return (int) r + 1;
}

int32_t
isoweek_monday(int32_t days)
{
	return days - (isoweek_weekday(days) - 1);
}

/* Monday of ISO week 1 of an ISO year: the week containing 4 January. */
static int32_t
week1_monday(int iso_year)
{
	return isoweek_monday(isoweek_days_from_civil(iso_year, 1, 4));
}

void
isoweek_of_day(int32_t days, int *iso_year, int *iso_week)
{
	int32_t		thursday = isoweek_monday(days) + 3;
	int			y,
				m,
				d;

	/* The ISO year is the calendar year of the week's Thursday. */
	isoweek_civil_from_days(thursday, &y, &m, &d);
	*iso_year = y;
	*iso_week = (int) ((thursday - 3 - week1_monday(y)) / 7) + 1;
}

int
isoweek_weeks_in_year(int iso_year)
{
	return (int) ((week1_monday(iso_year + 1) - week1_monday(iso_year)) / 7);
}

bool
isoweek_monday_of(int iso_year, int iso_week, int32_t *monday)
{
	if (iso_week < 1 || iso_week > isoweek_weeks_in_year(iso_year))
		return false;
	*monday = week1_monday(iso_year) + (int32_t) (iso_week - 1) * 7;
	return true;
}

int32_t
isoweek_weeks_between(int32_t a, int32_t b)
{
	return (isoweek_monday(b) - isoweek_monday(a)) / 7;
}

int32_t
isoweek_to_yyyyww(int32_t days)
{
	int			y,
				w;

	isoweek_of_day(days, &y, &w);
	return (int32_t) y * 100 + w;
}

bool
isoweek_from_yyyyww(int32_t yyyyww, int32_t *monday)
{
	int32_t		year = yyyyww / 100;
	int32_t		week = yyyyww % 100;

	if (yyyyww <= 0 || year < 1 || year > 9999)
		return false;
	return isoweek_monday_of((int) year, (int) week, monday);
}

bool
isoweek_from_dream_column(const char *name, int32_t *monday)
{
	int			yy,
				ww,
				i;

	if (name == NULL || (name[0] != 'y' && name[0] != 'Y') || name[1] != '_')
		return false;
	for (i = 2; i < 6; i++)
		if (!isdigit((unsigned char) name[i]))
			return false;
	if (name[6] != '\0')
		return false;
	yy = (name[2] - '0') * 10 + (name[3] - '0');
	ww = (name[4] - '0') * 10 + (name[5] - '0');
	return isoweek_monday_of(yy < 90 ? 2000 + yy : 1900 + yy, ww, monday);
}

bool
isoweek_to_dream_column(int32_t days, char *buf, int buflen)
{
	int			y,
				w;

	isoweek_of_day(days, &y, &w);
	if (y < 1990 || y > 2089 || buflen < 8)
		return false;
	snprintf(buf, buflen, "y_%02d%02d", y % 100, w);
	return true;
}

int32_t
isoweek_month_yyyymm(int32_t days)
{
	int			y,
				m,
				d;

	isoweek_civil_from_days(isoweek_monday(days) + 3, &y, &m, &d);
	return (int32_t) y * 100 + m;
}
