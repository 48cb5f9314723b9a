/*
 * calendar.c — SQL functions over ISO weeks (glue for math/isoweek.c).
 *
 * The canonical week key is the Monday of the ISO week as a date; every
 * function accepting a week accepts any day in it.
 *
 * Owns the SQL face of the week calendar only; the arithmetic is
 * isoweek.c's (docs/methods.md, *ISO weeks*) and must not be written here.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "datatype/timestamp.h"
#include "utils/date.h"

#include "isoweek.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_week_monday);
PG_FUNCTION_INFO_V1(si_week_yyyyww);
PG_FUNCTION_INFO_V1(si_week_from_yyyyww);
PG_FUNCTION_INFO_V1(si_weeks_between);
PG_FUNCTION_INFO_V1(si_week_add);
PG_FUNCTION_INFO_V1(si_weeks_in_iso_year);
PG_FUNCTION_INFO_V1(si_week_month);
PG_FUNCTION_INFO_V1(si_week_from_dream_column);
PG_FUNCTION_INFO_V1(si_week_dream_column);

/* ISO 8601 text of a day, independent of DateStyle (for messages). */
static char *
iso_date_text(DateADT d)
{
	int			y,
				m,
				dd;

	isoweek_civil_from_days(d, &y, &m, &dd);
	return psprintf("%04d-%02d-%02d", y, m, dd);
}

Datum
si_week_monday(PG_FUNCTION_ARGS)
{
	DateADT		d = si_finite_date_arg(fcinfo, 0, "day");

	PG_RETURN_DATEADT(isoweek_monday(d));
}

Datum
si_week_yyyyww(PG_FUNCTION_ARGS)
{
	DateADT		d = si_finite_date_arg(fcinfo, 0, "week");
	int			y,
				w;

	/*
	 * year * 100 + week only identifies a week for positive years, and
	 * week_from_yyyyww reads years 1..9999: refuse the rest rather than
	 * return a key that means another week (year 0 week 52 would be 52,
	 * year -1 week 52 would be -48) or none at all.
	 */
	isoweek_of_day(d, &y, &w);
	if (y < 1 || y > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the week of %s lies in ISO year %d, which has no yyyyww key", iso_date_text(d), y),
				 errhint("yyyyww keys cover ISO years 1 to 9999.")));
	PG_RETURN_INT32(isoweek_to_yyyyww(d));
}

Datum
si_week_from_yyyyww(PG_FUNCTION_ARGS)
{
	int32		key = PG_GETARG_INT32(0);
	int32_t		monday;

	if (!isoweek_from_yyyyww(key, &monday))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("yyyyww %d is not an ISO week", key),
				 errhint("Give year * 100 + week with week 1..52, or 53 in years that have 53 ISO weeks (e.g. 2015, 2020, 2026).")));
	PG_RETURN_DATEADT(monday);
}

Datum
si_weeks_between(PG_FUNCTION_ARGS)
{
	DateADT		a = si_finite_date_arg(fcinfo, 0, "from_week");
	DateADT		b = si_finite_date_arg(fcinfo, 1, "to_week");

	PG_RETURN_INT32(isoweek_weeks_between(a, b));
}

Datum
si_week_add(PG_FUNCTION_ARGS)
{
	DateADT		d = si_finite_date_arg(fcinfo, 0, "week");
	int32		n = PG_GETARG_INT32(1);
	int64		r = (int64) isoweek_monday(d) + (int64) n * 7;

	if (!IS_VALID_DATE(r))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("week_add: %d weeks from %s is outside the range of dates", n, iso_date_text(d))));
	PG_RETURN_DATEADT((DateADT) r);
}

Datum
si_weeks_in_iso_year(PG_FUNCTION_ARGS)
{
	int32		y = PG_GETARG_INT32(0);

	if (y < 1 || y > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("iso_year %d is out of range", y),
				 errhint("Give a year between 1 and 9999.")));
	PG_RETURN_INT32(isoweek_weeks_in_year(y));
}

Datum
si_week_month(PG_FUNCTION_ARGS)
{
	DateADT		d = si_finite_date_arg(fcinfo, 0, "week");
	int			y,
				m,
				dd;
	int64		first;

	/*
	 * The month of the week's Thursday. Taken from the civil date directly:
	 * the yyyymm key of isoweek_month_yyyymm cannot be split with / and %
	 * for years <= 0 (C division truncates towards zero), which gave a
	 * wrong day for every week before year 1.
	 */
	isoweek_civil_from_days(isoweek_monday(d) + 3, &y, &m, &dd);
	first = isoweek_days_from_civil(y, m, 1);
	/* the first and last weeks of the date range: month start out of range */
	if (!IS_VALID_DATE(first))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the month of the week of %s is outside the range of dates", iso_date_text(d))));
	PG_RETURN_DATEADT((DateADT) first);
}

Datum
si_week_from_dream_column(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *name = text_to_cstring(t);
	int32_t		monday;

	if (!isoweek_from_dream_column(name, &monday))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a DREAM week column", name),
				 errhint("DREAM week columns are named y_YYWW (YY < 90 means 20YY, otherwise 19YY) with WW a week that exists in that ISO year, e.g. y_1701 or y_2053.")));
	PG_RETURN_DATEADT(monday);
}

Datum
si_week_dream_column(PG_FUNCTION_ARGS)
{
	DateADT		d = si_finite_date_arg(fcinfo, 0, "week");
	char		buf[16];

	if (!isoweek_to_dream_column(d, buf, sizeof(buf)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the week of %s has no DREAM column name", iso_date_text(d)),
				 errhint("DREAM's two-digit years cover ISO years 1990 to 2089.")));
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}
