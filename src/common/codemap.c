/*
 * codemap.c — load benefit_code + a classification profile through SPI
 * into a lookup structure (see codemap.h), and the SQL functions that
 * classify single codes.
 *
 * Owns the code map's loading, cache and the profile argument
 * (si_codemap_profile_arg); the week-state rules are docs/methods.md,
 * *Week states (M1)*. Must not depend on src/paths or any other concept
 * folder: every concept that classifies codes depends on this file.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "codemap.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_benefit_state);
PG_FUNCTION_INFO_V1(si_benefit_category);

const char *
si_week_state_name(SiWeekState s)
{
	switch (s)
	{
		case SI_STATE_SELF:
			return "self";
		case SI_STATE_BENEFIT:
			return "benefit";
		case SI_STATE_CENSORED:
			return "censored";
		case SI_STATE_UNKNOWN:
			return "unknown";
	}
	return "unknown";
}

static int16
category_id(SiCodeMap *map, const char *name, int *capacity, MemoryContext mcxt)
{
	int			i;

	for (i = 0; i < map->ncategories; i++)
		if (strcmp(map->categories[i], name) == 0)
			return (int16) i;
	if (map->ncategories == *capacity)
	{
		*capacity *= 2;
		map->categories = repalloc(map->categories, sizeof(char *) * *capacity);
	}
	map->categories[map->ncategories] = MemoryContextStrdup(mcxt, name);
	return (int16) map->ncategories++;
}

SiCodeMap *
si_codemap_load(const char *profile, MemoryContext mcxt)
{
	Oid			nsp = si_extension_schema();
	const char *schema = quote_identifier(get_namespace_name(nsp));
	SiCodeMap  *map;
	StringInfoData q;
	Oid			argtypes[1] = {TEXTOID};
	static const Oid known_types[1] = {TEXTOID};
	static const Oid map_types[8] = {INT4OID, DATEOID, DATEOID, TEXTOID, INT4OID, BOOLOID, BOOLOID, TEXTOID};
	Datum		args[1];
	int			ret,
				i,
				capacity = 16;
	MemoryContext old;

	if (profile == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("profile must not be NULL"),
				 errhint("Use 'strict', 'with_education', 'with_leave' or a profile of your own.")));

	map = MemoryContextAllocZero(mcxt, sizeof(SiCodeMap));
	strlcpy(map->profile, profile, NAMEDATALEN);
	map->categories = MemoryContextAlloc(mcxt, sizeof(char *) * capacity);
	old = MemoryContextSwitchTo(mcxt);
	category_id(map, "none", &capacity, mcxt);
	category_id(map, "unknown", &capacity, mcxt);
	MemoryContextSwitchTo(old);

	args[0] = CStringGetTextDatum(profile);
	if ((ret = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(ret));

	/*
	 * These queries run under the caller's search_path: operators and
	 * functions are pg_catalog's by name, the tables the extension
	 * schema's, and result types are checked before Datums are read (see
	 * si_check_result_types).
	 */
	initStringInfo(&q);
	appendStringInfo(&q, "SELECT 1 FROM %s.classification_profile WHERE profile OPERATOR(pg_catalog.=) $1", schema);
	ret = SPI_execute_with_args(q.data, 1, argtypes, args, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "socialinvest: reading classification_profile failed");
	if (SPI_processed == 0)
	{
		char	   *known;

		resetStringInfo(&q);
		appendStringInfo(&q, "SELECT pg_catalog.string_agg(profile, ', '::pg_catalog.text ORDER BY profile) "
						 "FROM %s.classification_profile", schema);
		if (SPI_execute(q.data, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "socialinvest: listing classification profiles failed");
		si_check_result_types(SPI_tuptable->tupdesc, known_types, 1, "the list of classification profiles");
		known = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("classification profile \"%s\" does not exist", profile),
				 errhint("Known profiles: %s.", known ? known : "(none)")));
	}

	resetStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT b.code, b.valid_from, b.valid_to, b.category,"
					 " CASE WHEN b.censor THEN 2"
					 "      WHEN COALESCE(r.self_supporting, b.self_supporting) THEN 0 ELSE 1 END,"
					 " b.source OPERATOR(pg_catalog.=) 'user'::pg_catalog.text, b.supported_employment, b.payer_rule"
					 " FROM %s.benefit_code b"
					 " LEFT JOIN %s.classification_rule r"
					 "   ON r.profile OPERATOR(pg_catalog.=) $1 AND r.category OPERATOR(pg_catalog.=) b.category"
					 " ORDER BY b.code, b.source OPERATOR(pg_catalog.=) 'user'::pg_catalog.text DESC, b.valid_from",
					 schema, schema);
	ret = SPI_execute_with_args(q.data, 1, argtypes, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "socialinvest: reading benefit_code failed");
	si_check_result_types(SPI_tuptable->tupdesc, map_types, lengthof(map_types), "the benefit_code query");

	map->nentries = (int) SPI_processed;
	map->entries = MemoryContextAllocZero(mcxt, sizeof(SiCodeEntry) * Max(map->nentries, 1));
	for (i = 0; i <= SI_MAX_CODE; i++)
	{
		map->first[i] = -1;
		map->fast_state[i] = 255;
	}
	for (i = 0; i < map->nentries; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		bool		isnull;
		SiCodeEntry *e = &map->entries[i];
		char	   *cat;
		char	   *payer;

		e->code = DatumGetInt32(SPI_getbinval(tup, td, 1, &isnull));
		e->valid_from = DatumGetDateADT(SPI_getbinval(tup, td, 2, &isnull));
		e->valid_to = DatumGetDateADT(SPI_getbinval(tup, td, 3, &isnull));
		cat = SPI_getvalue(tup, td, 4);
		e->state = (uint8) DatumGetInt32(SPI_getbinval(tup, td, 5, &isnull));
		e->user = DatumGetBool(SPI_getbinval(tup, td, 6, &isnull));
		e->supported_employment = DatumGetBool(SPI_getbinval(tup, td, 7, &isnull));
		payer = SPI_getvalue(tup, td, 8);
		e->payer_rule = payer[0];
		e->category = category_id(map, cat, &capacity, mcxt);

		if (e->code >= 0 && e->code <= SI_MAX_CODE)
		{
			if (map->first[e->code] < 0)
				map->first[e->code] = i;
			/* every row counts: a cap here made later periods invisible */
			map->count[e->code]++;
		}
	}
	/* codes with a single all-time row need no date comparison */
	for (i = 0; i <= SI_MAX_CODE; i++)
	{
		if (map->count[i] == 1)
		{
			SiCodeEntry *e = &map->entries[map->first[i]];

			if (DATE_IS_NOBEGIN(e->valid_from) && DATE_IS_NOEND(e->valid_to))
				map->fast_state[i] = e->state;
		}
	}
	SPI_finish();
	return map;
}

const SiCodeEntry *
si_codemap_lookup(const SiCodeMap *map, int32 code, DateADT week)
{
	int			i,
				n,
				first;

	if (code < 0 || code > SI_MAX_CODE || map->first[code] < 0)
		return NULL;
	first = map->first[code];
	n = map->count[code];
	/* user rows come first, so they win over shipped rows */
	for (i = first; i < first + n; i++)
	{
		const SiCodeEntry *e = &map->entries[i];

		if (week >= e->valid_from && week < e->valid_to)
			return e;
	}
	return NULL;
}

/*
 * Maps cached per call site, one memory context each. A query whose rows
 * alternate between profiles used to load a new map (about 90 kB) at every
 * change and never free the old one: 200 MB per 2,000 rows. Now the last
 * few profiles stay loaded and the least recently used one is freed.
 */
#define SI_CODEMAP_CACHE 4

typedef struct SiCodeMapCache
{
	int			n;
	uint64		clock;
	SiCodeMap  *map[SI_CODEMAP_CACHE];
	MemoryContext cxt[SI_CODEMAP_CACHE];
	uint64		used[SI_CODEMAP_CACHE];
} SiCodeMapCache;

/* load a profile into a cache slot; on error, drop the slot and rethrow */
static void
cache_load(SiCodeMapCache *c, int slot, const char *profile, MemoryContext parent)
{
	c->map[slot] = NULL;
	c->cxt[slot] = AllocSetContextCreate(parent, "socialinvest code map", ALLOCSET_DEFAULT_SIZES);
	PG_TRY();
	{
		c->map[slot] = si_codemap_load(profile, c->cxt[slot]);
	}
	PG_CATCH();
	{
		MemoryContextDelete(c->cxt[slot]);
		c->n--;
		if (slot != c->n)
		{
			c->map[slot] = c->map[c->n];
			c->cxt[slot] = c->cxt[c->n];
			c->used[slot] = c->used[c->n];
		}
		PG_RE_THROW();
	}
	PG_END_TRY();
}

const SiCodeMap *
si_codemap_get(FunctionCallInfo fcinfo, const char *profile)
{
	SiCodeMapCache *c = (SiCodeMapCache *) fcinfo->flinfo->fn_extra;
	int			i,
				slot;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SiCodeMapCache));
		fcinfo->flinfo->fn_extra = c;
	}
	c->clock++;
	for (i = 0; i < c->n; i++)
	{
		if (strcmp(c->map[i]->profile, profile) == 0)
		{
			c->used[i] = c->clock;
			return c->map[i];
		}
	}
	if (c->n < SI_CODEMAP_CACHE)
		slot = c->n++;
	else
	{
		slot = 0;
		for (i = 1; i < c->n; i++)
			if (c->used[i] < c->used[slot])
				slot = i;
		MemoryContextDelete(c->cxt[slot]);
	}
	cache_load(c, slot, profile, fcinfo->flinfo->fn_mcxt);
	c->used[slot] = c->clock;
	return c->map[slot];
}

char *
si_codemap_profile_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("profile must not be NULL"),
				 errhint("Use 'strict', 'with_education', 'with_leave' or a profile of your own.")));
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

Datum
si_benefit_state(PG_FUNCTION_ARGS)
{
	DateADT		week = si_finite_date_arg(fcinfo, 1, "week");
	char	   *profile = si_codemap_profile_arg(fcinfo, 2);
	const SiCodeMap *map = si_codemap_get(fcinfo, profile);
	SiWeekState s;

	s = si_codemap_state(map, PG_ARGISNULL(0) ? 0 : PG_GETARG_INT32(0), PG_ARGISNULL(0), week);
	PG_RETURN_TEXT_P(cstring_to_text(si_week_state_name(s)));
}

Datum
si_benefit_category(PG_FUNCTION_ARGS)
{
	DateADT		week = si_finite_date_arg(fcinfo, 1, "week");
	const SiCodeMap *map;
	const SiCodeEntry *e;

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("none"));
	map = si_codemap_get(fcinfo, "strict");
	e = si_codemap_lookup(map, PG_GETARG_INT32(0), week);
	PG_RETURN_TEXT_P(cstring_to_text(e ? map->categories[e->category] : "unknown"));
}
