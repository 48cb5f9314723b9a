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

#include "access/parallel.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "funcapi.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/inval.h"

#include "codemap.h"
#include "si_common.h"

PG_FUNCTION_INFO_V1(si_benefit_state);
PG_FUNCTION_INFO_V1(si_benefit_category);
PG_FUNCTION_INFO_V1(si_codemap_changed);
PG_FUNCTION_INFO_V1(si_codemap_cache_stats);

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
 * The backend cache (issue 15.1). Loaded maps live in TopMemoryContext,
 * keyed by profile and role, and serve every call site of every query of
 * the backend until the configuration tables change. fn_extra keeps only
 * a pointer to the map it last got (SiCodeMapCall), so a call whose
 * FmgrInfo survives costs a few compares, and one whose FmgrInfo is new
 * for every row (Citus's worker partial aggregation calls fmgr_info per
 * row) costs a search of the few backend entries, not a load.
 *
 * Invalidation. benefit_code, classification_profile and
 * classification_rule carry statement triggers (_codemap_changed,
 * extension/0.3.0/83_codemap.sql) that register a relcache invalidation of
 * the table: PostgreSQL applies it in this backend at the end of the
 * modifying command (and again on rollback) and in every other backend
 * once the transaction commits. ALTER, DROP and TRUNCATE of the tables
 * send one themselves. The relcache callback below drops every entry on
 * such an event (or on a cache reset), bumping codemap_generation.
 *
 * Snapshots. In READ COMMITTED the map is read with a snapshot taken after
 * the tables are locked (and so after pending invalidations were applied):
 * any commit it cannot see sends its invalidation later, so an entry never
 * outlives the data it was read from (the pattern of the catalog caches).
 * A change committed while the load ran drops the new map at once (the
 * generation moved). In REPEATABLE READ and SERIALIZABLE the map is read
 * with the transaction's snapshot, as before, and its entry is dropped
 * when the transaction ends. In parallel mode (the leader of a parallel
 * plan and its workers) no new snapshot may be taken: a map missing from
 * the backend cache is loaded per call site with the query's snapshot, as
 * before the cache existed.
 *
 * Dropped maps are not freed at once: a running query may still hold a
 * pointer. They move under codemap_retired and are freed when the
 * transaction ends (an FmgrInfo does not outlive its transaction).
 */
#define SI_CODEMAP_BACKEND 16
#define SI_CODEMAP_CACHE 4

typedef struct SiCodeMapSlot
{
	Oid			userid;
	bool		xact_only;		/* read with the transaction's snapshot */
	uint64		used;
	MemoryContext cxt;
	SiCodeMap  *map;			/* NULL: slot free */
} SiCodeMapSlot;

static SiCodeMapSlot codemap_slots[SI_CODEMAP_BACKEND];
static uint64 codemap_clock = 0;
static uint64 codemap_generation = 1;
static bool codemap_callbacks = false;
static bool codemap_have_xact_only = false;
static MemoryContext codemap_root = NULL;	/* parent of the live maps */
static MemoryContext codemap_retired = NULL;	/* dropped maps until xact end */
static Oid	codemap_rels[3] = {InvalidOid, InvalidOid, InvalidOid};

static struct
{
	int64		loads;			/* maps read from the tables */
	int64		backend_hits;	/* found in the backend cache */
	int64		call_hits;		/* found through fn_extra */
	int64		invalidations;	/* times the backend cache was emptied */
} codemap_stats;

/* Private maps of one call site (parallel mode), as before the cache. */
typedef struct SiCodeMapPrivate
{
	int			n;
	uint64		clock;
	SiCodeMap  *map[SI_CODEMAP_CACHE];
	MemoryContext cxt[SI_CODEMAP_CACHE];
	uint64		used[SI_CODEMAP_CACHE];
} SiCodeMapPrivate;

/* What fn_extra holds. */
typedef struct SiCodeMapCall
{
	const SiCodeMap *map;		/* last map returned, NULL at first */
	uint64		generation;		/* codemap_generation when it was got */
	LocalTransactionId lxid;	/* command it was got in */
	CommandId	cid;
	Oid			userid;
	int			len;			/* strlen(profile) */
	char		profile[NAMEDATALEN];
	SiCodeMapPrivate *priv;
} SiCodeMapCall;

static void
slot_drop(SiCodeMapSlot *s)
{
	MemoryContextSetParent(s->cxt, codemap_retired);
	s->map = NULL;
	s->cxt = NULL;
}

static void
codemap_invalidate_all(void)
{
	int			i;

	for (i = 0; i < SI_CODEMAP_BACKEND; i++)
		if (codemap_slots[i].map)
			slot_drop(&codemap_slots[i]);
	codemap_have_xact_only = false;
	codemap_generation++;
	codemap_stats.invalidations++;
}

static void
codemap_relcache_callback(Datum arg pg_attribute_unused(), Oid relid)
{
	if (!OidIsValid(relid) || relid == codemap_rels[0] || relid == codemap_rels[1] ||
		relid == codemap_rels[2])
		codemap_invalidate_all();
}

static void
codemap_xact_callback(XactEvent event, void *arg pg_attribute_unused())
{
	int			i;

	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			if (codemap_have_xact_only)
			{
				for (i = 0; i < SI_CODEMAP_BACKEND; i++)
					if (codemap_slots[i].map && codemap_slots[i].xact_only)
						slot_drop(&codemap_slots[i]);
				codemap_have_xact_only = false;
				codemap_generation++;
			}
			MemoryContextReset(codemap_retired);
			break;
		default:
			break;
	}
}

static void
codemap_init_backend(void)
{
	if (codemap_callbacks)
		return;
	codemap_root = AllocSetContextCreate(TopMemoryContext, "socialinvest code maps",
										 ALLOCSET_SMALL_SIZES);
	codemap_retired = AllocSetContextCreate(TopMemoryContext, "socialinvest retired code maps",
											ALLOCSET_SMALL_SIZES);
	CacheRegisterRelcacheCallback(codemap_relcache_callback, (Datum) 0);
	RegisterXactCallback(codemap_xact_callback, NULL);
	codemap_callbacks = true;
}

/* load a map into a new context under parent; on error delete it */
static SiCodeMap *
load_in_context(const char *profile, MemoryContext parent, MemoryContext *cxt, bool latest)
{
	SiCodeMap  *map = NULL;

	*cxt = AllocSetContextCreate(parent, "socialinvest code map", ALLOCSET_DEFAULT_SIZES);
	PG_TRY();
	{
		Oid			nsp = si_extension_schema();
		static const char *const names[3] = {"benefit_code", "classification_profile", "classification_rule"};
		int			i;

		/*
		 * The tables whose invalidations empty the cache, whatever the
		 * snapshot. Locking them first applies pending invalidations: a
		 * snapshot taken after that sees every commit whose invalidation
		 * has been applied, and any later commit invalidates what is read
		 * here.
		 */
		for (i = 0; i < 3; i++)
		{
			Oid			rel = get_relname_relid(names[i], nsp);

			if (!OidIsValid(rel))
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_TABLE),
						 errmsg("socialinvest: table %s is missing from the extension schema", names[i]),
						 errhint("Reinstall the extension (DROP EXTENSION socialinvest; CREATE EXTENSION socialinvest).")));
			LockRelationOid(rel, AccessShareLock);
			codemap_rels[i] = rel;
		}
		if (latest)
		{
			PushActiveSnapshot(GetLatestSnapshot());
			map = si_codemap_load(profile, *cxt);
			PopActiveSnapshot();
		}
		else
			map = si_codemap_load(profile, *cxt);
	}
	PG_CATCH();
	{
		MemoryContextDelete(*cxt);
		*cxt = NULL;
		PG_RE_THROW();
	}
	PG_END_TRY();
	codemap_stats.loads++;
	return map;
}

/* the per-call-site private cache (parallel mode) */
static const SiCodeMap *
private_get(SiCodeMapCall *call, const char *profile, MemoryContext fn_mcxt)
{
	SiCodeMapPrivate *c = call->priv;
	MemoryContext cxt;
	SiCodeMap  *map;
	int			i,
				slot;

	if (c == NULL)
		c = call->priv = MemoryContextAllocZero(fn_mcxt, sizeof(SiCodeMapPrivate));
	c->clock++;
	for (i = 0; i < c->n; i++)
	{
		if (strcmp(c->map[i]->profile, profile) == 0)
		{
			c->used[i] = c->clock;
			return c->map[i];
		}
	}
	/*
	 * Load before taking a slot: an error leaves the cache as it was. A
	 * query whose rows alternate between profiles keeps the last few
	 * loaded and frees the least recently used one.
	 */
	map = load_in_context(profile, fn_mcxt, &cxt, false);
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
	c->map[slot] = map;
	c->cxt[slot] = cxt;
	c->used[slot] = c->clock;
	return map;
}

/* the backend cache: find or load (profile shorter than NAMEDATALEN) */
static const SiCodeMap *
backend_get(SiCodeMapCall *call, const char *profile, Oid userid, MemoryContext fn_mcxt,
			bool *lasting)
{
	SiCodeMapSlot *s;
	MemoryContext cxt;
	SiCodeMap  *map;
	uint64		generation;
	bool		xact_only;
	int			i,
				free_slot = -1,
				lru = 0;

	codemap_init_backend();
	*lasting = true;
	for (i = 0; i < SI_CODEMAP_BACKEND; i++)
	{
		s = &codemap_slots[i];
		if (s->map == NULL)
		{
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (s->userid == userid && strcmp(s->map->profile, profile) == 0)
		{
			s->used = ++codemap_clock;
			codemap_stats.backend_hits++;
			return s->map;
		}
		if (s->used < codemap_slots[lru].used || codemap_slots[lru].map == NULL)
			lru = i;
	}
	if (IsInParallelMode())
		return private_get(call, profile, fn_mcxt);

	xact_only = IsolationUsesXactSnapshot();
	generation = codemap_generation;
	map = load_in_context(profile, codemap_root, &cxt, !xact_only);
	if (codemap_generation != generation)
	{
		/*
		 * The tables changed while the map was read: it serves this
		 * command only (freed at transaction end); the next reads again.
		 */
		MemoryContextSetParent(cxt, codemap_retired);
		*lasting = false;
		return map;
	}
	if (free_slot < 0)
	{
		/* every slot taken (16 profiles x roles): drop the least recent */
		slot_drop(&codemap_slots[lru]);
		codemap_generation++;
		free_slot = lru;
	}
	s = &codemap_slots[free_slot];
	s->userid = userid;
	s->xact_only = xact_only;
	s->used = ++codemap_clock;
	s->cxt = cxt;
	s->map = map;
	if (xact_only)
		codemap_have_xact_only = true;
	return map;
}

/* the map of a profile given as len bytes (not NUL-terminated) */
static const SiCodeMap *
codemap_get(FunctionCallInfo fcinfo, const char *name, int len)
{
	SiCodeMapCall *call = (SiCodeMapCall *) fcinfo->flinfo->fn_extra;
	Oid			userid = GetUserId();
	const SiCodeMap *map;
	char	   *profile;
	bool		lasting;

	if (call != NULL && call->map != NULL && call->len == len && call->userid == userid &&
		memcmp(call->profile, name, len) == 0)
	{
		/*
		 * Unchanged tables, or the same command (a command that has not
		 * ended cannot see its own changes: keep one map for it).
		 */
		if (call->generation == codemap_generation ||
			(call->lxid == MyProc->lxid && call->cid == GetCurrentCommandId(false)))
		{
			codemap_stats.call_hits++;
			return call->map;
		}
	}
	if (call == NULL)
	{
		call = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SiCodeMapCall));
		fcinfo->flinfo->fn_extra = call;
	}
	profile = pnstrdup(name, len);
	if (len >= NAMEDATALEN)
	{
		/* longer than any key: never cached, loaded per call site */
		call->map = NULL;
		return private_get(call, profile, fcinfo->flinfo->fn_mcxt);
	}
	map = backend_get(call, profile, userid, fcinfo->flinfo->fn_mcxt, &lasting);
	call->map = map;
	call->generation = lasting ? codemap_generation : 0;
	call->lxid = MyProc->lxid;
	call->cid = GetCurrentCommandId(false);
	call->userid = userid;
	call->len = len;
	memcpy(call->profile, name, len);
	call->profile[len] = '\0';
	pfree(profile);
	return map;
}

const SiCodeMap *
si_codemap_get(FunctionCallInfo fcinfo, const char *profile)
{
	return codemap_get(fcinfo, profile, (int) strlen(profile));
}

const SiCodeMap *
si_codemap_get_arg(FunctionCallInfo fcinfo, int argno)
{
	text	   *t;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("profile must not be NULL"),
				 errhint("Use 'strict', 'with_education', 'with_leave' or a profile of your own.")));
	t = PG_GETARG_TEXT_PP(argno);
	return codemap_get(fcinfo, VARDATA_ANY(t), (int) VARSIZE_ANY_EXHDR(t));
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
	const SiCodeMap *map = si_codemap_get_arg(fcinfo, 2);
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

/*
 * _codemap_changed(): AFTER ... FOR EACH STATEMENT trigger on the
 * configuration tables. Data changes send no invalidation of their own:
 * this registers a relcache invalidation of the table, which PostgreSQL
 * applies here at the end of the command (and on rollback) and in every
 * other backend at commit, emptying the code-map caches.
 */
Datum
si_codemap_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("_codemap_changed() must be called as a trigger"),
				 errhint("It is the statement trigger of benefit_code, classification_profile and classification_rule.")));
	CacheInvalidateRelcache(td->tg_relation);
	PG_RETURN_POINTER(NULL);
}

/* _codemap_cache_stats(): this backend's code-map cache counters (tests) */
Datum
si_codemap_cache_stats(PG_FUNCTION_ARGS)
{
	TupleDesc	td;
	Datum		v[5];
	bool		nulls[5] = {0};
	int			i,
				n = 0;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "_codemap_cache_stats: return type must be a row type");
	td = BlessTupleDesc(td);
	for (i = 0; i < SI_CODEMAP_BACKEND; i++)
		if (codemap_slots[i].map)
			n++;
	v[0] = Int64GetDatum(codemap_stats.loads);
	v[1] = Int64GetDatum(codemap_stats.backend_hits);
	v[2] = Int64GetDatum(codemap_stats.call_hits);
	v[3] = Int64GetDatum(codemap_stats.invalidations);
	v[4] = Int32GetDatum(n);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}
