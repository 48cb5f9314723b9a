/*
 * finance_scalar.c — discount_factor() and the argument checks every
 * finance function shares (finance_glue.h): finite numbers, rates as
 * fractions, periods, schedule and timing names, results that overflowed.
 * The discounting itself is src/math/finance.c's (docs/methods.md, *Money*);
 * no state, SPI or tables here.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"

#include "finance_glue.h"

PG_FUNCTION_INFO_V1(si_discount_factor);
PG_FUNCTION_INFO_V1(si_discount_factor_sched);

/* the word PostgreSQL prints for a non-finite float8 */
static const char *
nonfinite_text(double x)
{
	if (isnan(x))
		return "NaN";
	return x > 0 ? "Infinity" : "-Infinity";
}

void
si_check_finite(double x, const char *argname, const char *hint)
{
	if (!isfinite(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number, not %s", argname, nonfinite_text(x)),
				 errhint("%s", hint)));
}

double
si_check_result(double x, const char *fname, const char *what)
{
	if (!isfinite(x))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the %s overflows the float8 range although every input is finite", fname, what),
				 errhint("Rescale the amounts (e.g. to thousands); check the rate and the years (a rate near -1 or a time far from 0 overflows the discount factor).")));
	return x;
}

void
si_check_rate(double rate, const char *argname)
{
	si_check_finite(rate, argname, "Give the rate as a fraction: 0.035 for 3.5 %.");

	/*
	 * A discount rate is a fraction per year. At or above 1 (100 % a year)
	 * it is almost certainly a percentage (3.5 meaning 3.5 %): accepted, it
	 * would discount everything after year 0 to almost nothing. At or below
	 * -1 the discount factor is undefined.
	 */
	if (!(rate > -1.0 && rate < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be an annual rate given as a fraction between -1 and 1 (exclusive), got %g",
						argname, rate),
				 rate >= 1.0 ?
				 errhint("Give 0.035 for 3.5 %%: rates are fractions, so %g %% is %g.", rate, rate / 100.0) :
				 errhint("Give 0.035 for 3.5 %%; a rate of -1 (-100 %%) or less has no discount factor.")));
}

void
si_check_period(double period)
{
	si_check_finite(period, "period_years", "1 for yearly flows, 0.25 for quarters, 1/52 for weeks.");
	if (period <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period_years must be a positive number of years, got %g", period),
				 errhint("1 for yearly flows, 0.25 for quarters, 1/52 for weeks.")));
}

int
si_parse_schedule(const char *s, const char *argname)
{
	if (pg_strcasecmp(s, "fm2021") == 0)
		return FIN_FM2021;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown discount-rate schedule \"%s\" in %s", s, argname),
			 errhint("The named schedule is 'fm2021' (3.5 %% to year 35, 2.5 %% to 70, 1.5 %% after); give a number for a flat rate.")));
	return FIN_FLAT;
}

FinConvention
si_parse_convention(const char *s)
{
	if (pg_strcasecmp(s, "end") == 0)
		return FIN_END;
	if (pg_strcasecmp(s, "mid") == 0)
		return FIN_MID;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown timing convention \"%s\"", s),
			 errhint("Use 'end' (flows at the end of their period, the default) or 'mid' (in the middle).")));
	return FIN_END;
}

static double
years_checked(double t)
{
	si_check_finite(t, "years", "Give the time in years from the valuation date.");
	return t;
}

/* discount_factor(years float8, rate float8, convention text, period_years float8) */
Datum
si_discount_factor(PG_FUNCTION_ARGS)
{
	double		t = years_checked(PG_GETARG_FLOAT8(0));
	double		r = PG_GETARG_FLOAT8(1);
	FinConvention conv = si_parse_convention(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	double		p = PG_GETARG_FLOAT8(3);

	si_check_rate(r, "rate");
	si_check_period(p);
	PG_RETURN_FLOAT8(si_check_result(fin_discount_factor(t, FIN_FLAT, r, conv, p),
									 "discount_factor", "discount factor"));
}

/* discount_factor(years float8, schedule text, convention text, period_years float8) */
Datum
si_discount_factor_sched(PG_FUNCTION_ARGS)
{
	double		t = years_checked(PG_GETARG_FLOAT8(0));
	int			s = si_parse_schedule(text_to_cstring(PG_GETARG_TEXT_PP(1)), "schedule");
	FinConvention conv = si_parse_convention(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	double		p = PG_GETARG_FLOAT8(3);

	si_check_period(p);
	PG_RETURN_FLOAT8(si_check_result(fin_discount_factor(t, (FinSchedule) s, 0.0, conv, p),
									 "discount_factor", "discount factor"));
}
