/*
 * path_observed.c — path_observed(path, observed_from, observed_to): a
 * person's benefit path cut to the weeks the person is observed (arrival
 * to emigration, death or the end of the data). Inside that period a week
 * without a benefit week is a week without benefit; outside it no week is
 * observed, so rates leave those weeks out instead of counting them as
 * self-supporting (which path_cover does for a fixed cohort).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/date.h"

#include "isoweek.h"
#include "path.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_path_observed);

#define OBSERVED_HINT "Give each person's observation period: observed_from = the arrival week (or the first week of the data), observed_to = the last week before emigration, death or the end of the data."

static DateADT
observed_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("path_observed: %s must not be NULL", name),
				 errhint(OBSERVED_HINT)));
	return si_week_arg(fcinfo, argno, name);
}

/* append a run of len weeks (len <= 0: nothing) */
static int
add_run(RunpathRun *runs, int n, int32 code, int64 len)
{
	if (len <= 0)
		return n;
	runs[n].code = code;
	runs[n].len = (int32) len;
	return n + 1;
}

Datum
si_path_observed(PG_FUNCTION_ARGS)
{
	DateADT		from_day = observed_arg(fcinfo, 1, "observed_from");
	DateADT		to_day = observed_arg(fcinfo, 2, "observed_to");
	int64		from,
				to,
				nweeks;
	RunpathRun *runs;
	int			n = 0;

	if (from_day > to_day)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_observed: observed_from %s is after observed_to %s",
						si_date_str(from_day), si_date_str(to_day)),
				 errhint("The observation period includes both ends; a person observed in no week has no period: leave the person out.")));
	from = isoweek_monday(from_day);
	to = isoweek_monday(to_day);
	nweeks = (to - from) / 7 + 1;
	if (nweeks > RUNPATH_MAX_WEEKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("path_observed: %s to %s spans more than %d weeks",
						si_date_str((DateADT) from), si_date_str((DateADT) to), RUNPATH_MAX_WEEKS)));

	if (PG_ARGISNULL(0))
	{
		/* no benefit rows: no benefit in any observed week */
		runs = palloc(sizeof(RunpathRun));
		n = add_run(runs, 0, RUNPATH_NONE, nweeks);
	}
	else
	{
		SiPath		p;
		int64		week,
					path_end;
		int			i;

		si_path_decode(PG_GETARG_DATUM(0), &p);
		path_end = (int64) p.start + ((int64) p.nweeks - 1) * 7;
		runs = palloc(sizeof(RunpathRun) * ((Size) p.nruns + 2));
		/* observed weeks before the path: no benefit */
		n = add_run(runs, n, RUNPATH_NONE, (Min(to, (int64) p.start - 7) - from) / 7 + 1);
		/* the runs, cut to the observed weeks */
		week = p.start;
		for (i = 0; i < p.nruns && week <= to; i++)
		{
			int64		run_end = week + ((int64) p.runs[i].len - 1) * 7;
			int64		a = Max(week, from),
						b = Min(run_end, to);

			if ((i & 0xFFFF) == 0xFFFF)
				CHECK_FOR_INTERRUPTS();
			if (a <= b)
				n = add_run(runs, n, p.runs[i].code, (b - a) / 7 + 1);
			week = run_end + 7;
		}
		/* observed weeks after the path: no benefit */
		n = add_run(runs, n, RUNPATH_NONE, (to - Max(from, path_end + 7)) / 7 + 1);
	}
	return si_path_make((int32) from, runs, n);
}
