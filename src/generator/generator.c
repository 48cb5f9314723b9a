/*
 * generator.c — SQL set-returning functions over the synthetic register
 * model (math/register_sim.c). Each function simulates persons
 * first_person .. last_person and writes one table shape; the plpgsql
 * generate_register() (extension/0.1.0/30_generator.sql) calls them in
 * chunks of persons and loads the tables.
 *
 * Common arguments, in order: seed bigint, first_person bigint,
 * last_person bigint, weeks integer, effect float8, first_week date,
 * mentored_share float8, selection text ('traits' or 'observables'; absent
 * in the 0.1.0 and 0.2.0 declarations, which mean 'traits'). None may be
 * NULL.
 *
 * Owns the argument checks and the row shapes; the model is register_sim's
 * (no simulation here).
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "isoweek.h"
#include "register_sim.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_synthetic_persons);
PG_FUNCTION_INFO_V1(si_synthetic_benefit_weeks);
PG_FUNCTION_INFO_V1(si_synthetic_benefit_spells);
PG_FUNCTION_INFO_V1(si_synthetic_mentoring);
PG_FUNCTION_INFO_V1(si_synthetic_observation_periods);
PG_FUNCTION_INFO_V1(si_synthetic_courses);
PG_FUNCTION_INFO_V1(si_synthetic_progression_scores);

typedef struct GenCache
{
	RegSimParams params;
	double	   *calendar;
	int8_t	   *isoweek;
	int16_t    *codes;
} GenCache;

static const char *const arg_names[] = {
	"seed", "first_person", "last_person", "weeks", "effect", "first_week", "mentored_share",
	"selection"
};
#define GEN_NARGS 8

/*
 * Validate the common arguments and return the (per call site cached)
 * model parameters; *first and *last get the person range.
 */
static GenCache *
generator_setup(FunctionCallInfo fcinfo, int64 *first, int64 *last)
{
	GenCache   *cache = (GenCache *) fcinfo->flinfo->fn_extra;
	int			i;
	int64		seed;
	int32		weeks;
	float8		effect,
				share;
	DateADT		first_week;
	RegSimSelection selection = REGSIM_SELECT_TRAITS;
	int			y,
				m,
				d,
				nargs = PG_NARGS() < GEN_NARGS ? PG_NARGS() : GEN_NARGS;

	for (i = 0; i < nargs; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", arg_names[i])));
	seed = PG_GETARG_INT64(0);
	*first = PG_GETARG_INT64(1);
	*last = PG_GETARG_INT64(2);
	weeks = PG_GETARG_INT32(3);
	effect = PG_GETARG_FLOAT8(4);
	first_week = si_finite_date_arg(fcinfo, 5, "first_week");
	share = PG_GETARG_FLOAT8(6);
	if (nargs > 7)
	{
		char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(7));

		if (!regsim_selection_parse(name, &selection))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("selection must be 'traits' or 'observables', got \"%s\"", name),
					 errhint("'traits' (the default) selects mentored persons on persistent traits including "
							 "the latent employability; 'observables' on the person columns only "
							 "(docs/methods.md, Synthetic register).")));
	}

	if (*first < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_person must be at least 1, got " INT64_FORMAT, *first),
				 errhint("Persons are numbered 1, 2, 3, ...")));
	if (*last < *first)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("last_person (" INT64_FORMAT ") must not be less than first_person (" INT64_FORMAT ")",
						*last, *first)));
	if (weeks < 1 || weeks > REGSIM_MAX_WEEKS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weeks must be between 1 and %d, got %d", REGSIM_MAX_WEEKS, weeks),
				 errhint("weeks is the length of the register in ISO weeks (260 = five years).")));
	if (!(effect >= -1.0 && effect <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("effect must be between -1 and 1, got %g", effect),
				 errhint("effect is the change in the weekly probability of strict self-support, e.g. 0.10 for +10 percentage points.")));
	if (!(share >= 0.0 && share <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mentored_share must be between 0 and 1, got %g", share),
				 errhint("mentored_share is the target share of all persons who get a mentor, e.g. 0.20.")));
	first_week = isoweek_monday(first_week);
	isoweek_civil_from_days(first_week, &y, &m, &d);
	if (y < 1900 || y > 2200)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("first_week must lie in the years 1900 to 2200, got year %d", y)));

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(GenCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	else if (cache->params.seed == (uint64_t) seed &&
			 cache->params.first_week == first_week &&
			 cache->params.weeks == weeks &&
			 cache->params.effect == effect &&
			 cache->params.mentored_share == share &&
			 cache->params.selection == selection)
		return cache;

	if (cache->calendar)
	{
		pfree(cache->calendar);
		pfree(cache->isoweek);
		pfree(cache->codes);
	}
	cache->calendar = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
										 sizeof(double) * (weeks + REGSIM_BURN_IN));
	cache->isoweek = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
										sizeof(int8_t) * (weeks + REGSIM_BURN_IN));
	cache->codes = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int16_t) * weeks);
	regsim_init_selection(&cache->params, (uint64_t) seed, first_week, weeks, effect, share,
						  selection, cache->calendar, cache->isoweek);
	return cache;
}

static inline DateADT
week_date(const RegSimParams *p, int t)
{
	return (DateADT) (p->first_week + 7 * t);
}

/* Writes the rows of one person (simulating as much of it as it needs). */
typedef void (*GenPersonRows) (const RegSimParams *p, int64 id, RegSimPerson *pr,
							   ReturnSetInfo *rsinfo);

/* Course ids are person_id * 10 + course number: keep them in bigint. */
static void
check_course_persons(int64 last)
{
	if (last > REGSIM_MAX_COURSE_PERSON)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("last_person must be at most " INT64_FORMAT " for courses, got " INT64_FORMAT,
						(int64) REGSIM_MAX_COURSE_PERSON, last),
				 errhint("Course ids are person_id * %d + the course number; generate persons with smaller ids.",
						 REGSIM_COURSE_ID_FACTOR)));
}

/*
 * The one loop of every function here: check the arguments, then the rows
 * of persons first_person .. last_person in order (last_person may be
 * PG_INT64_MAX).
 */
static Datum
generate_rows(FunctionCallInfo fcinfo, bool course_ids, GenPersonRows rows)
{
	int64		first,
				last,
				id;
	GenCache   *cache = generator_setup(fcinfo, &first, &last);
	ReturnSetInfo *rsinfo;
	RegSimPerson pr;

	if (course_ids)
		check_course_persons(last);
	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	pr.codes = cache->codes;
	for (id = first;; id++)
	{
		CHECK_FOR_INTERRUPTS();
		rows(&cache->params, id, &pr, rsinfo);
		if (id >= last)
			break;
	}
	return (Datum) 0;
}

static void
person_rows(const RegSimParams *p, int64 id, RegSimPerson *pr, ReturnSetInfo *rsinfo)
{
	Datum		values[10];
	bool		nulls[10];

	memset(nulls, 0, sizeof(nulls));
	regsim_person(p, id, pr);
	values[0] = Int64GetDatum(id);
	values[1] = Int32GetDatum(pr->municipality);
	values[2] = PointerGetDatum(cstring_to_text(pr->sex == 'M' ? "M" : "F"));
	values[3] = DateADTGetDatum(pr->birth_date);
	values[4] = PointerGetDatum(cstring_to_text(regsim_origin_name(pr->origin)));
	values[5] = PointerGetDatum(cstring_to_text(regsim_permit_name(pr->permit)));
	values[6] = DateADTGetDatum(week_date(p, pr->arrival));
	values[7] = Int32GetDatum(pr->education_level);
	values[8] = BoolGetDatum(pr->mentored);
	nulls[9] = !pr->mentored;
	values[9] = pr->mentored ? DateADTGetDatum(week_date(p, pr->start)) : (Datum) 0;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

Datum
si_synthetic_persons(PG_FUNCTION_ARGS)
{
	return generate_rows(fcinfo, false, person_rows);
}

static void
benefit_week_rows(const RegSimParams *p, int64 id, RegSimPerson *pr, ReturnSetInfo *rsinfo)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			t;

	regsim_person(p, id, pr);
	values[0] = Int64GetDatum(id);
	for (t = 0; t < p->weeks; t++)
	{
		if (pr->codes[t] == 0)
			continue;
		values[1] = DateADTGetDatum(week_date(p, t));
		values[2] = Int32GetDatum(pr->codes[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

Datum
si_synthetic_benefit_weeks(PG_FUNCTION_ARGS)
{
	return generate_rows(fcinfo, false, benefit_week_rows);
}

static void
benefit_spell_rows(const RegSimParams *p, int64 id, RegSimPerson *pr, ReturnSetInfo *rsinfo)
{
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int			t,
				from,
				weeks = p->weeks;

	regsim_person(p, id, pr);
	values[0] = Int64GetDatum(id);
	for (t = 0; t < weeks; t = from)
	{
		int16_t		code = pr->codes[t];

		for (from = t + 1; from < weeks && pr->codes[from] == code; from++)
			;
		if (code == 0)
			continue;
		values[1] = DateADTGetDatum(week_date(p, t));
		values[2] = DateADTGetDatum(week_date(p, from - 1));
		values[3] = Int32GetDatum(code);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

Datum
si_synthetic_benefit_spells(PG_FUNCTION_ARGS)
{
	return generate_rows(fcinfo, false, benefit_spell_rows);
}

static void
mentoring_rows(const RegSimParams *p, int64 id, RegSimPerson *pr, ReturnSetInfo *rsinfo)
{
	Datum		values[5];
	bool		nulls[5];

	regsim_person(p, id, pr);
	if (!pr->mentored)
		return;
	memset(nulls, 0, sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = DateADTGetDatum(week_date(p, pr->start));
	values[2] = NumericGetDatum(int64_div_fast_to_numeric(pr->cost_ore, 2));
	if (pr->truth_weeks > 0)
	{
		values[3] = Float8GetDatum((double) pr->truth_self_treated / pr->truth_weeks);
		values[4] = Float8GetDatum((double) pr->truth_self_untreated / pr->truth_weeks);
	}
	else
		nulls[3] = nulls[4] = true;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

Datum
si_synthetic_mentoring(PG_FUNCTION_ARGS)
{
	return generate_rows(fcinfo, false, mentoring_rows);
}

/*
 * The observation period of each person with at least one observed week:
 * arrival (or first_week) to the week before the first censoring code (or
 * the last week), and why it ends. Persons never observed (censored
 * before arrival or before first_week) have no row.
 */
static void
observation_rows(const RegSimParams *p, int64 id, RegSimPerson *pr, ReturnSetInfo *rsinfo)
{
	Datum		values[5];
	bool		nulls[5];
	int			from,
				to,
				end_code;
	const char *reason;

	(void) pr;					/* background and censoring only */
	if (!regsim_observation(p, id, &from, &to, &end_code))
		return;
	switch (end_code)
	{
		case 0:
			reason = "end_of_data";
			break;
		case REGSIM_CODE_EMIGRATED:
			reason = "emigrated";
			break;
		case REGSIM_CODE_DEAD:
			reason = "dead";
			break;
		case REGSIM_CODE_PENSION:
			reason = "folkepension";
			break;
		default:
			elog(ERROR, "unexpected censoring code %d", end_code);
			reason = NULL;		/* keep the compiler quiet */
	}
	memset(nulls, 0, sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = DateADTGetDatum(week_date(p, from));
	values[2] = DateADTGetDatum(week_date(p, to));
	values[3] = PointerGetDatum(cstring_to_text(reason));
	nulls[4] = end_code == 0;
	values[4] = Int32GetDatum(end_code);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

Datum
si_synthetic_observation_periods(PG_FUNCTION_ARGS)
{
	return generate_rows(fcinfo, false, observation_rows);
}

/*
 * The courses of persons first_person .. last_person (monitoring table
 * course, docs/monitoring.md): the mentored persons' courses from their
 * mentor start, and the comparison group's courses without a mentor.
 */
static void
course_rows(const RegSimParams *p, int64 id, RegSimPerson *pr, ReturnSetInfo *rsinfo)
{
	RegSimCourses cs;
	Datum		values[8];
	bool		nulls[8];
	int			i;

	regsim_status(p, id, pr);
	regsim_courses(p, pr, &cs);
	for (i = 0; i < cs.ncourses; i++)
	{
		const RegSimCourse *c = &cs.course[i];
		const char *reason = regsim_end_reason_name(c->end_reason);

		memset(nulls, 0, sizeof(nulls));
		values[0] = Int64GetDatum(c->course_id);
		values[1] = Int64GetDatum(id);
		nulls[2] = !c->with_mentor;
		values[2] = c->with_mentor ? Int64GetDatum(cs.mentor_id) : (Datum) 0;
		values[3] = Int32GetDatum(pr->municipality);
		values[4] = PointerGetDatum(cstring_to_text(c->job_ambassador ? "job_ambassador" : "mentor"));
		values[5] = DateADTGetDatum(week_date(p, c->start));
		nulls[6] = nulls[7] = reason == NULL;
		values[6] = reason ? DateADTGetDatum(week_date(p, c->last)) : (Datum) 0;
		values[7] = reason ? PointerGetDatum(cstring_to_text(reason)) : (Datum) 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

Datum
si_synthetic_courses(PG_FUNCTION_ARGS)
{
	return generate_rows(fcinfo, true, course_rows);
}

/*
 * Progression scores (monitoring table progression_score) of persons
 * first_person .. last_person: 13 items at each measurement during their
 * first course.
 */
static void
progression_rows(const RegSimParams *p, int64 id, RegSimPerson *pr, ReturnSetInfo *rsinfo)
{
	RegSimCourses cs;
	RegSimScores sc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int			k,
				j;

	regsim_status(p, id, pr);
	regsim_courses(p, pr, &cs);
	regsim_scores(p, pr, &cs, &sc);
	values[0] = Int64GetDatum(id);
	for (k = 0; k < sc.nmeasurements; k++)
	{
		values[1] = DateADTGetDatum((DateADT) sc.day[k]);
		for (j = 0; j < REGSIM_ITEMS; j++)
		{
			values[2] = Int16GetDatum((int16) (j + 1));
			values[3] = Float8GetDatum((float8) sc.score[k][j]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
}

Datum
si_synthetic_progression_scores(PG_FUNCTION_ARGS)
{
	return generate_rows(fcinfo, true, progression_rows);
}
