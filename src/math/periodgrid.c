/*
 * periodgrid.c — the spacing of date periods (see periodgrid.h).
 * No postgres.h here; day numbers are plain integers (isoweek.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "isoweek.h"
#include "periodgrid.h"

static int64_t
gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0)
	{
		int64_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* floor division and non-negative remainder */
static int64_t
fdiv(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t
fmod64(int64_t a, int64_t b)
{
	return a - fdiv(a, b) * b;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (m == 2 && is_leap(y)) ? 29 : md[m - 1];
}

/* month index y * 12 + (m - 1) of a day */
static int64_t
month_index(int32_t day, int *mday, bool *month_end)
{
	int			y,
				m,
				d;

	isoweek_civil_from_days(day, &y, &m, &d);
	*mday = d;
	*month_end = (d == month_days(y, m));
	return (int64_t) y * 12 + (m - 1);
}

void
periodgrid_detect(const int32_t *days, int n, PeriodGrid *g)
{
	int			i,
				d0;
	bool		same_mday = true,
				all_end = true,
				end0;
	int64_t		m0,
				mg = 0,
				dg = 0;
	int32_t		dmin = days[0];

	m0 = month_index(days[0], &d0, &end0);
	for (i = 0; i < n; i++)
	{
		int			d;
		bool		e;
		int64_t		m = month_index(days[i], &d, &e);

		if (d != d0)
			same_mday = false;
		if (!e)
			all_end = false;
		mg = gcd64(mg, m - m0);
		dg = gcd64(dg, (int64_t) days[i] - days[0]);
		if (days[i] < dmin)
			dmin = days[i];
	}
	g->anchor = dmin;
	g->mday = 0;
	g->mres = 0;
	if (same_mday || all_end)
	{
		/* month-end dates on day 28..31 are month ends, not a common day */
		g->mday = all_end ? 0 : d0;
		if (mg % 12 == 0)
		{
			g->kind = PERIODGRID_YEAR;
			g->mres = (int) fmod64(m0, 12);
		}
		else if (mg % 3 == 0)
		{
			g->kind = PERIODGRID_QUARTER;
			g->mres = (int) fmod64(m0, 3);
		}
		else
			g->kind = PERIODGRID_MONTH;
		return;
	}
	g->kind = (dg % 7 == 0) ? PERIODGRID_WEEK : PERIODGRID_DAY;
}

bool
periodgrid_ordinal(const PeriodGrid *g, int32_t day, int32_t *ord)
{
	int			d;
	bool		e;
	int64_t		m;

	switch (g->kind)
	{
		case PERIODGRID_DAY:
			*ord = (int32_t) ((int64_t) day + PERIODGRID_DAY_BASE);
			return true;
		case PERIODGRID_WEEK:
			if (fmod64((int64_t) day - g->anchor, 7) != 0)
				return false;
			*ord = (int32_t) (fdiv((int64_t) day - g->anchor, 7) + PERIODGRID_WEEK_BASE);
			return true;
		default:
			break;
	}
	m = month_index(day, &d, &e);
	if (g->mday == 0 ? !e : d != g->mday)
		return false;
	switch (g->kind)
	{
		case PERIODGRID_MONTH:
			*ord = (int32_t) m;
			return true;
		case PERIODGRID_QUARTER:
			if (fmod64(m, 3) != g->mres)
				return false;
			*ord = (int32_t) fdiv(m, 3);
			return true;
		default:
			if (fmod64(m, 12) != g->mres)
				return false;
			*ord = (int32_t) fdiv(m, 12);
			return true;
	}
}

bool
periodgrid_code(const PeriodGrid *g, int32_t ord, int32_t *code)
{
	int			y,
				m,
				d;
	int64_t		mi;

	switch (g->kind)
	{
		case PERIODGRID_DAY:
			isoweek_civil_from_days((int32_t) ((int64_t) ord - PERIODGRID_DAY_BASE), &y, &m, &d);
			if (y < 1 || y > 9999)
				return false;
			*code = y * 10000 + m * 100 + d;
			return true;
		case PERIODGRID_WEEK:
			{
				int64_t		day = (int64_t) g->anchor + ((int64_t) ord - PERIODGRID_WEEK_BASE) * 7;

				if (day < INT32_MIN / 2 || day > INT32_MAX / 2)
					return false;
				isoweek_civil_from_days((int32_t) day, &y, &m, &d);
				if (y < 2 || y > 9998)
					return false;
				*code = isoweek_to_yyyyww((int32_t) day);
				return true;
			}
		case PERIODGRID_MONTH:
			mi = ord;
			break;
		case PERIODGRID_QUARTER:
			mi = (int64_t) ord * 3 + g->mres;
			break;
		default:
			mi = (int64_t) ord * 12 + g->mres;
			break;
	}
	y = (int) fdiv(mi, 12);
	m = (int) fmod64(mi, 12) + 1;
	if (y < 1 || y > 9999)
		return false;
	switch (g->kind)
	{
		case PERIODGRID_MONTH:
			*code = y * 100 + m;
			break;
		case PERIODGRID_QUARTER:
			*code = y * 10 + (m - 1) / 3 + 1;
			break;
		default:
			*code = y;
			break;
	}
	return true;
}

const char *
periodgrid_name(PeriodGridKind k)
{
	switch (k)
	{
		case PERIODGRID_DAY:
			return "daily";
		case PERIODGRID_WEEK:
			return "weekly";
		case PERIODGRID_MONTH:
			return "monthly";
		case PERIODGRID_QUARTER:
			return "quarterly";
		default:
			return "yearly";
	}
}

const char *
periodgrid_rule(const PeriodGrid *g, char *buf, int buflen)
{
	static const char *const mname[12] = {"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"};
	int			y,
				m,
				d;
	char		day[32];

	if (g->mday == 0)
		snprintf(day, sizeof(day), "the last day");
	else
		snprintf(day, sizeof(day), "day %d", g->mday);
	switch (g->kind)
	{
		case PERIODGRID_DAY:
			snprintf(buf, buflen, "any day");
			break;
		case PERIODGRID_WEEK:
			isoweek_civil_from_days(g->anchor, &y, &m, &d);
			snprintf(buf, buflen, "a whole number of weeks from %04d-%02d-%02d", y, m, d);
			break;
		case PERIODGRID_MONTH:
			snprintf(buf, buflen, "%s of a month", day);
			break;
		case PERIODGRID_QUARTER:
			snprintf(buf, buflen, "%s of %s, %s, %s or %s", day, mname[g->mres], mname[g->mres + 3],
					 mname[g->mres + 6], mname[g->mres + 9]);
			break;
		default:
			snprintf(buf, buflen, "%s of %s", day, mname[g->mres]);
			break;
	}
	return buf;
}
