/*
 * isoweek.h — ISO-8601 week calendar, free of PostgreSQL.
 *
 * Days are counted as in PostgreSQL's DateADT: day 0 is 2000-01-01
 * (a Saturday), so values pass between the two without conversion.
 * The canonical week key of socialinvest is the Monday of the ISO week.
 *
 * No postgres.h here: the client programs (src/cli) include it too.
 */
#ifndef SI_ISOWEEK_H
#define SI_ISOWEEK_H

#include <stdbool.h>
#include <stdint.h>

/* Day 0 (2000-01-01) is a Saturday; 2000-01-03 (day 2) is a Monday. */
#define ISOWEEK_EPOCH_MONDAY 2

/* Proleptic Gregorian date <-> day number. */
extern int32_t isoweek_days_from_civil(int year, int month, int day);
extern void isoweek_civil_from_days(int32_t days, int *year, int *month, int *day);

/* ISO weekday, Monday = 1 ... Sunday = 7. */
extern int	isoweek_weekday(int32_t days);

/* Monday of the ISO week containing the day. */
extern int32_t isoweek_monday(int32_t days);

/* ISO week-year and week number (1..53) of a day. */
extern void isoweek_of_day(int32_t days, int *iso_year, int *iso_week);

/* Number of ISO weeks in an ISO year: 52 or 53. */
extern int	isoweek_weeks_in_year(int iso_year);

/* Monday of (iso_year, iso_week); false if the week does not exist. */
extern bool isoweek_monday_of(int iso_year, int iso_week, int32_t *monday);

/* Whole ISO weeks from the week of a to the week of b (negative if b < a). */
extern int32_t isoweek_weeks_between(int32_t a, int32_t b);

/* yyyyww key (iso_year * 100 + iso_week) <-> Monday; false if invalid. */
extern int32_t isoweek_to_yyyyww(int32_t days);
extern bool isoweek_from_yyyyww(int32_t yyyyww, int32_t *monday);

/*
 * DREAM wide-file column names "y_YYWW": two-digit years, YY < 90 means
 * 20YY, otherwise 19YY (the convention of DREAM tooling). Parsing accepts
 * upper or lower case "y_"; false if the name or week is invalid.
 * Formatting writes 7 characters plus NUL into buf (size >= 8); it
 * returns false for weeks outside 1990..2089, which have no DREAM name.
 */
extern bool isoweek_from_dream_column(const char *name, int32_t *monday);
extern bool isoweek_to_dream_column(int32_t days, char *buf, int buflen);

/*
 * Month of an ISO week by the Thursday rule: the week belongs to the
 * calendar month that contains its Thursday. Returns year * 100 + month.
 */
extern int32_t isoweek_month_yyyymm(int32_t days);

#endif							/* SI_ISOWEEK_H */
