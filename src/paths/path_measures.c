/*
 * path_measures.c — accessors of benefit_path and the per-person measures
 * over a window of weeks (both ends inclusive, any day of a week accepted).
 *
 * Weeks outside the path's span are unobserved: they leave every
 * denominator and never count as self-supporting. A censoring code makes
 * its week and all later weeks censored (docs/methods.md, M1).
 *
 * Owns: the SQL accessors and per-person measures (share, durable
 * self-sufficiency, x_of_y: docs/methods.md, *Benefit paths and
 * per-person measures*, M2 and M3). Must not touch: the run arithmetic
 * (math/runpath.c), group aggregates (src/selfsufficiency).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "isoweek.h"
#include "path.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_path_start);
PG_FUNCTION_INFO_V1(si_path_end);
PG_FUNCTION_INFO_V1(si_path_weeks);
PG_FUNCTION_INFO_V1(si_path_runs);
PG_FUNCTION_INFO_V1(si_code_at);
PG_FUNCTION_INFO_V1(si_selfsufficiency_share);
PG_FUNCTION_INFO_V1(si_self_supporting_at);
PG_FUNCTION_INFO_V1(si_path_week_states);
PG_FUNCTION_INFO_V1(si_longest_self_run);
PG_FUNCTION_INFO_V1(si_durable_week);
PG_FUNCTION_INFO_V1(si_sustained);
PG_FUNCTION_INFO_V1(si_x_of_y);
PG_FUNCTION_INFO_V1(si_weeks_in_categories);
PG_FUNCTION_INFO_V1(si_path_unknown_weeks);

Datum
si_path_start(PG_FUNCTION_ARGS)
{
	SiPath		p;

	si_path_decode(PG_GETARG_DATUM(0), &p);
	PG_RETURN_DATEADT(p.start);
}

Datum
si_path_end(PG_FUNCTION_ARGS)
{
	SiPath		p;

	si_path_decode(PG_GETARG_DATUM(0), &p);
	PG_RETURN_DATEADT(p.start + (p.nweeks - 1) * 7);
}

Datum
si_path_weeks(PG_FUNCTION_ARGS)
{
	SiPath		p;

	si_path_decode(PG_GETARG_DATUM(0), &p);
	PG_RETURN_INT32(p.nweeks);
}

Datum
si_path_runs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SiPath		p;
	int			i;
	int32		week;

	InitMaterializedSRF(fcinfo, 0);
	si_path_decode(PG_GETARG_DATUM(0), &p);
	week = p.start;
	for (i = 0; i < p.nruns; i++)
	{
		Datum		v[4];
		bool		nulls[4] = {false, false, false, false};

		v[0] = DateADTGetDatum(week);
		v[1] = DateADTGetDatum(week + (p.runs[i].len - 1) * 7);
		v[2] = Int32GetDatum(p.runs[i].code);
		nulls[2] = p.runs[i].code == RUNPATH_NONE;
		v[3] = Int32GetDatum(p.runs[i].len);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		week += p.runs[i].len * 7;
	}
	return (Datum) 0;
}

/* code of week index i, or -1 outside the path */
static int32
code_of(const SiPath *p, int64 i)
{
	int64		pos = 0;
	int			j;

	if (i < 0)
		return -1;
	for (j = 0; j < p->nruns; j++)
	{
		if (i < pos + p->runs[j].len)
			return p->runs[j].code;
		pos += p->runs[j].len;
	}
	return -1;
}

Datum
si_code_at(PG_FUNCTION_ARGS)
{
	SiPath		p;
	int32		c;
	DateADT		w;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	w = si_week_arg(fcinfo, 1, "week");
	si_path_decode(PG_GETARG_DATUM(0), &p);
	c = code_of(&p, si_path_week_index(&p, w));
	if (c <= 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(c);
}

/* Decode the path and classify it; false if the path is NULL. */
typedef struct Classified
{
	SiPath		p;
	RunpathStateRun *st;
	int			nst;
} Classified;

static bool
classify(FunctionCallInfo fcinfo, int patharg, int profilearg, Classified *c)
{
	const SiCodeMap *map;
	char	   *profile = si_codemap_profile_arg(fcinfo, profilearg);

	/* resolve the profile even for a NULL path: unknown profiles always fail */
	map = si_codemap_get(fcinfo, profile);
	if (PG_ARGISNULL(patharg))
		return false;
	si_path_decode(PG_GETARG_DATUM(patharg), &c->p);
	c->st = si_path_states(&c->p, map, &c->nst);
	return true;
}

/* window [from, to] as week indexes of the path, after checks */
static void
window_arg(FunctionCallInfo fcinfo, int fromarg, int toarg, const SiPath *p,
		   int64 *from, int64 *to)
{
	DateADT		f = si_week_arg(fcinfo, fromarg, "from_week");
	DateADT		t = si_week_arg(fcinfo, toarg, "to_week");

	si_check_window(f, t);
	*from = si_path_week_index(p, f);
	*to = si_path_week_index(p, t);
}

static void
check_window_args(FunctionCallInfo fcinfo, int fromarg, int toarg)
{
	si_check_window(si_week_arg(fcinfo, fromarg, "from_week"), si_week_arg(fcinfo, toarg, "to_week"));
}

/*
 * The windowed measures' arguments: the window checked first, the profile
 * resolved, then (for a non-NULL path) its week states and the window as
 * its week indexes. False for a NULL path.
 */
static bool
classify_window(FunctionCallInfo fcinfo, int fromarg, int toarg, int profilearg,
				Classified *c, int64 *from, int64 *to)
{
	check_window_args(fcinfo, fromarg, toarg);
	if (!classify(fcinfo, 0, profilearg, c))
		return false;
	window_arg(fcinfo, fromarg, toarg, &c->p, from, to);
	return true;
}

/* selfsufficiency_share(path, from_week, to_week, profile) */
Datum
si_selfsufficiency_share(PG_FUNCTION_ARGS)
{
	const SiCodeMap *map;
	DateADT		f = si_week_arg(fcinfo, 1, "from_week");
	DateADT		t = si_week_arg(fcinfo, 2, "to_week");
	int64		n[RUNPATH_NSTATES],
				denom;

	si_check_window(f, t);
	map = si_codemap_get_arg(fcinfo, 3);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	si_path_window_counts(PG_GETARG_DATUM(0), map, f, t, n, NULL);
	denom = n[RUNPATH_SELF] + n[RUNPATH_BENEFIT] + n[RUNPATH_UNKNOWN];
	if (denom == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) n[RUNPATH_SELF] / (double) denom);
}

Datum
si_self_supporting_at(PG_FUNCTION_ARGS)
{
	Classified	c;
	int			s;
	DateADT		w = si_week_arg(fcinfo, 1, "week");

	if (!classify(fcinfo, 0, 2, &c))
		PG_RETURN_NULL();
	s = runpath_state_at(c.st, c.nst, si_path_week_index(&c.p, w));
	if (s == RUNPATH_CENSORED || s == RUNPATH_UNOBSERVED)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(s == RUNPATH_SELF);
}

/* path_week_states(path, from, to, profile) -> path_week_counts */
Datum
si_path_week_states(PG_FUNCTION_ARGS)
{
	Classified	c;
	int64		from,
				to,
				n[RUNPATH_NSTATES];
	TupleDesc	td;
	Datum		v[RUNPATH_NSTATES];
	bool		nulls[RUNPATH_NSTATES] = {false, false, false, false, false};
	int			i;

	if (!classify_window(fcinfo, 1, 2, 3, &c, &from, &to))
		PG_RETURN_NULL();
	runpath_state_counts(c.st, c.nst, from, to, n);
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "path_week_states: return type must be a row type");
	td = BlessTupleDesc(td);
	for (i = 0; i < RUNPATH_NSTATES; i++)
		v[i] = Int32GetDatum((int32) n[i]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

Datum
si_longest_self_run(PG_FUNCTION_ARGS)
{
	Classified	c;
	int64		from,
				to;

	if (!classify_window(fcinfo, 1, 2, 3, &c, &from, &to))
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) runpath_longest_self(c.st, c.nst, from, to));
}

static int32
k_arg(FunctionCallInfo fcinfo, int argno)
{
	int32		k = si_int_arg(fcinfo, argno, "k");

	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be at least 1, not %d", k),
				 errhint("k is the number of consecutive self-supporting weeks, e.g. 4 (DREAM tooling), 13 or 26 (DWP).")));
	return k;
}

/* durable_selfsufficiency_week(path, from_week, k, profile) -> date */
Datum
si_durable_week(PG_FUNCTION_ARGS)
{
	Classified	c;
	DateADT		f = si_week_arg(fcinfo, 1, "from_week");
	int32		k = k_arg(fcinfo, 2);
	int64		t;

	if (!classify(fcinfo, 0, 3, &c))
		PG_RETURN_NULL();
	t = runpath_first_self_run(c.st, c.nst, si_path_week_index(&c.p, f), -1, k);
	if (t < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(c.p.start + (int32) t * 7);
}

/* sustained_selfsufficiency(path, k, from_week, to_week, profile) -> boolean */
Datum
si_sustained(PG_FUNCTION_ARGS)
{
	Classified	c;
	int32		k = k_arg(fcinfo, 1);
	int64		from,
				to;

	if (!classify_window(fcinfo, 2, 3, 4, &c, &from, &to))
		PG_RETURN_NULL();
	PG_RETURN_BOOL(runpath_first_self_run(c.st, c.nst, from, to, k) >= 0);
}

/*
 * x_of_y(path, x, y, at_week, profile) -> boolean: at least x self-
 * supporting weeks among the y weeks ending at at_week. Censored and
 * unobserved weeks are undetermined: true as soon as x self weeks are
 * seen, false when even counting every undetermined week as self would
 * not reach x, NULL otherwise.
 */
Datum
si_x_of_y(PG_FUNCTION_ARGS)
{
	Classified	c;
	int32		x = si_int_arg(fcinfo, 1, "x");
	int32		y = si_int_arg(fcinfo, 2, "y");
	DateADT		at = si_week_arg(fcinfo, 3, "at_week");
	int64		to,
				n[RUNPATH_NSTATES],
				undetermined;

	if (y < 1 || x < 0 || x > y)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x_of_y needs 0 <= x <= y and y >= 1, not x = %d, y = %d", x, y),
				 errhint("E.g. x_of_y(path, 52, 156, week) for the refusion law's 52 of the last 156 weeks.")));
	if (!classify(fcinfo, 0, 4, &c))
		PG_RETURN_NULL();
	to = si_path_week_index(&c.p, at);
	runpath_state_counts(c.st, c.nst, to - y + 1, to, n);
	undetermined = n[RUNPATH_CENSORED] + n[RUNPATH_UNOBSERVED];
	if (n[RUNPATH_SELF] >= x)
		PG_RETURN_BOOL(true);
	if (n[RUNPATH_SELF] + undetermined < x)
		PG_RETURN_BOOL(false);
	PG_RETURN_NULL();
}

bool *
si_category_set(const SiCodeMap *map, ArrayType *arr)
{
	Datum	   *elems;
	bool	   *enulls;
	int			nel,
				i,
				j;
	bool	   *want;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &nel);
	want = palloc0(sizeof(bool) * map->ncategories);
	for (i = 0; i < nel; i++)
	{
		char	   *name;
		bool		found = false;

		if (enulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("categories must not contain NULL")));
		name = TextDatumGetCString(elems[i]);
		for (j = 0; j < map->ncategories; j++)
			if (strcmp(map->categories[j], name) == 0)
			{
				want[j] = true;
				found = true;
			}
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("benefit category \"%s\" does not exist", name),
					 errhint("Categories are those of benefit_code, plus 'none' (no benefit) and 'unknown' (unmapped codes).")));
	}
	return want;
}

int64
si_path_weeks_in_set(const SiPath *p, const SiCodeMap *map, const bool *want,
					 int64 from, int64 to)
{
	int64		pos = 0,
				count = 0;
	int			i;

	for (i = 0; i < p->nruns && pos <= to; i++)
	{
		int64		a = Max(pos, from),
					b = Min(pos + p->runs[i].len - 1, to);
		int32		code = p->runs[i].code;

		if (a <= b)
		{
			if (code == RUNPATH_NONE)
				count += want[SI_CATEGORY_NONE] ? b - a + 1 : 0;
			else if (map->first[code] < 0)
				count += want[SI_CATEGORY_UNKNOWN] ? b - a + 1 : 0;
			else if (map->count[code] == 1 && map->fast_state[code] != 255)
			{
				const SiCodeEntry *e = &map->entries[map->first[code]];

				count += want[e->category] ? b - a + 1 : 0;
			}
			else
			{
				int64		w;

				for (w = a; w <= b; w++)
				{
					const SiCodeEntry *e = si_codemap_lookup(map, code, p->start + (int32) w * 7);

					if ((w & 0xFFFF) == 0xFFFF)
						CHECK_FOR_INTERRUPTS();

					if (want[e ? e->category : SI_CATEGORY_UNKNOWN])
						count++;
				}
			}
		}
		pos += p->runs[i].len;
	}
	return count;
}

/*
 * weeks_in_categories(path, from_week, to_week, categories text[]): weeks
 * of the window whose code is in one of the categories in force that week
 * ('none' = no benefit, 'unknown' = unmapped code). Unknown category
 * names are an error.
 */
Datum
si_weeks_in_categories(PG_FUNCTION_ARGS)
{
	const SiCodeMap *map;
	bool	   *want;
	SiPath		p;
	int64		from,
				to;

	check_window_args(fcinfo, 1, 2);
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("categories must not be NULL"),
				 errhint("Give an array of benefit categories, e.g. ARRAY['kontanthjaelp', 'dagpenge'].")));
	map = si_codemap_get(fcinfo, "strict");
	want = si_category_set(map, PG_GETARG_ARRAYTYPE_P(3));
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	si_path_decode(PG_GETARG_DATUM(0), &p);
	window_arg(fcinfo, 1, 2, &p, &from, &to);
	PG_RETURN_INT32((int32) si_path_weeks_in_set(&p, map, want, from, to));
}

/* path_unknown_weeks(path, from_week, to_week): weeks with unmapped codes */
Datum
si_path_unknown_weeks(PG_FUNCTION_ARGS)
{
	const SiCodeMap *map;
	SiPath		p;
	int64		from,
				to,
				pos = 0,
				count = 0;
	int			i;

	check_window_args(fcinfo, 1, 2);
	map = si_codemap_get(fcinfo, "strict");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	si_path_decode(PG_GETARG_DATUM(0), &p);
	window_arg(fcinfo, 1, 2, &p, &from, &to);
	for (i = 0; i < p.nruns && pos <= to; i++)
	{
		int64		a = Max(pos, from),
					b = Min(pos + p.runs[i].len - 1, to),
					w;
		int32		code = p.runs[i].code;

		if (a > b || code == RUNPATH_NONE)
			;
		else if (map->first[code] < 0)
			count += b - a + 1;
		else if (map->fast_state[code] == 255)
			for (w = a; w <= b; w++)
			{
				if ((w & 0xFFFF) == 0xFFFF)
					CHECK_FOR_INTERRUPTS();
				if (si_codemap_lookup(map, code, p.start + (int32) w * 7) == NULL)
					count++;
			}
		pos += p.runs[i].len;
	}
	PG_RETURN_INT32((int32) count);
}
