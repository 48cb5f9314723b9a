/*
 * codemap.h — the benefit-code map and a classification profile, loaded
 * once per backend (until the tables change) into a compact lookup structure.
 *
 * Usage from a C function:
 *     const SiCodeMap *map = si_codemap_get(fcinfo, profile_name);
 *     SiWeekState s = si_codemap_state(map, code, week);
 * Maps are cached per backend until the configuration tables change
 * (fn_extra keeps a pointer to the last one); other callers can build one
 * with si_codemap_load() in a memory context of their choice (read with
 * the active snapshot).
 *
 * Part of src/common: depends on PostgreSQL and nothing of the concept
 * folders.
 */
#ifndef SI_CODEMAP_H
#define SI_CODEMAP_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

typedef enum SiWeekState
{
	SI_STATE_SELF = 0,			/* no benefit, or a self-supporting category */
	SI_STATE_BENEFIT = 1,		/* public benefit */
	SI_STATE_CENSORED = 2,		/* emigration, death, state pension */
	SI_STATE_UNKNOWN = 3		/* code not in the map: never self-supporting */
} SiWeekState;

#define SI_MAX_CODE 9999
#define SI_CATEGORY_NONE 0		/* category id of "no benefit" (NULL code) */
#define SI_CATEGORY_UNKNOWN 1	/* category id of unmapped codes */

typedef struct SiCodeEntry
{
	int32		code;
	DateADT		valid_from;		/* inclusive */
	DateADT		valid_to;		/* exclusive */
	int16		category;		/* index into SiCodeMap.categories */
	uint8		state;			/* SiWeekState under the profile */
	bool		user;			/* user row: takes precedence */
	bool		supported_employment;
	char		payer_rule;		/* 'r' refusion, 'c' cofinancing, 'n' none */
} SiCodeEntry;

typedef struct SiCodeMap
{
	char		profile[NAMEDATALEN];
	int			nentries;
	SiCodeEntry *entries;		/* sorted by code, user rows first, valid_from */
	int			ncategories;
	char	  **categories;		/* [0] = "none", [1] = "unknown" */
	/* first entry of each code, or -1; count of entries per code */
	int32		first[SI_MAX_CODE + 1];
	int32		count[SI_MAX_CODE + 1];
	/* state when the code has exactly one row valid for all time, else 255 */
	uint8		fast_state[SI_MAX_CODE + 1];
} SiCodeMap;

/* Load the map for a profile (error if the profile does not exist). */
extern SiCodeMap *si_codemap_load(const char *profile, MemoryContext mcxt);

/*
 * The classification profile argument at argno (text): NULL (or absent) is
 * an error (22004) naming the built-in profiles. Every SQL function with a
 * profile argument reads it through this.
 */
extern char *si_codemap_profile_arg(FunctionCallInfo fcinfo, int argno);

/*
 * The map of a profile from the backend cache (loaded on first use, kept
 * until benefit_code or the profile tables change; see codemap.c); fn_extra
 * remembers the last one, so repeated calls cost a few compares.
 */
extern const SiCodeMap *si_codemap_get(FunctionCallInfo fcinfo, const char *profile);

/* The same for the profile argument at argno (text; NULL is an error). */
extern const SiCodeMap *si_codemap_get_arg(FunctionCallInfo fcinfo, int argno);

/* The entry in force for a code in a week, or NULL if unmapped. */
extern const SiCodeEntry *si_codemap_lookup(const SiCodeMap *map, int32 code, DateADT week);

/* State of a code in a week (a NULL code is passed as isnull = true). */
static inline SiWeekState
si_codemap_state(const SiCodeMap *map, int32 code, bool isnull, DateADT week)
{
	const SiCodeEntry *e;

	if (isnull)
		return SI_STATE_SELF;
	if (code >= 0 && code <= SI_MAX_CODE && map->fast_state[code] != 255)
		return (SiWeekState) map->fast_state[code];
	e = si_codemap_lookup(map, code, week);
	return e ? (SiWeekState) e->state : SI_STATE_UNKNOWN;
}

extern const char *si_week_state_name(SiWeekState s);

#endif
