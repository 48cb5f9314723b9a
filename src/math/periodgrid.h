/*
 * periodgrid.h — the spacing of date periods, free of PostgreSQL.
 *
 * att_gt works on whole-number periods. Date periods are mapped onto one
 * of five grids, detected from the distinct period dates: yearly,
 * quarterly, monthly (every date on the same day of its month, or every
 * date the last day of its month; the step is the greatest common
 * divisor of the month differences), otherwise weekly (day differences
 * all multiples of 7) or daily. A date's ordinal counts periods of the
 * grid, so differences of ordinals are event times in periods; its code
 * is a readable whole number (yyyy, yyyyq, yyyymm, ISO yyyyww of the
 * date, yyyymmdd). Days are PostgreSQL DateADT day numbers (day 0 is
 * 2000-01-01). Ordinals are positive for dates of years 1..9999 (never 0,
 * which att_gt uses for "never treated"): the year, months and quarters
 * since year 0, weeks from the first date plus PERIODGRID_WEEK_BASE, day
 * numbers plus PERIODGRID_DAY_BASE.
 *
 * No postgres.h here: the glue (src/attgt/attgt_read.c) converts dates.
 */
#ifndef SI_PERIODGRID_H
#define SI_PERIODGRID_H

#include <stdbool.h>
#include <stdint.h>

#define PERIODGRID_WEEK_BASE 1000000
#define PERIODGRID_DAY_BASE 10000000

typedef enum
{
	PERIODGRID_DAY = 0,
	PERIODGRID_WEEK,
	PERIODGRID_MONTH,
	PERIODGRID_QUARTER,
	PERIODGRID_YEAR
} PeriodGridKind;

typedef struct PeriodGrid
{
	PeriodGridKind kind;
	int32_t		anchor;			/* week, day: the first date */
	int			mday;			/* month grids: common day of month, 0 = month end */
	int			mres;			/* quarter: month index mod 3; year: month (0..11) */
} PeriodGrid;

/* the grid of n >= 1 distinct day numbers (any order) */
extern void periodgrid_detect(const int32_t *days, int n, PeriodGrid *g);

/* ordinal of a day on the grid; false when the day is not on the grid */
extern bool periodgrid_ordinal(const PeriodGrid *g, int32_t day, int32_t *ord);

/* readable code of an ordinal; false outside years 1..9999 */
extern bool periodgrid_code(const PeriodGrid *g, int32_t ord, int32_t *code);

/* "daily", "weekly", "monthly", "quarterly", "yearly" */
extern const char *periodgrid_name(PeriodGridKind k);

/* how the grid's dates look, for messages ("the 1st of the month", ...) */
extern const char *periodgrid_rule(const PeriodGrid *g, char *buf, int buflen);

#endif							/* SI_PERIODGRID_H */
