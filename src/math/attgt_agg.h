/*
 * attgt_agg.h — did::aggte's aggregations of att_gt's cells (simple,
 * dynamic = event study, group, calendar) as linear functionals with
 * their influence functions, free of PostgreSQL. See docs/methods.md,
 * *Group-time average treatment effects*, "Aggregation (did::aggte)".
 */
#ifndef SI_ATTGT_AGG_H
#define SI_ATTGT_AGG_H

#include "attgt_core.h"

typedef enum
{
	AGG_SIMPLE,
	AGG_DYNAMIC,
	AGG_GROUP,
	AGG_CALENDAR
} AttgtAggType;

/* optional event-time limits (dynamic; max_e also simple and group) */
typedef struct AttgtAggLimits
{
	bool		has_min,
				has_max,
				has_bal;
	int			min_e,
				max_e,
				balance_e;
} AttgtAggLimits;

typedef struct AttgtAggResult
{
	int			m;				/* components */
	int32_t    *key;			/* event time, cohort or period of each */
	AttgtLin  **comp;
	AttgtLin   *overall;
} AttgtAggResult;

typedef enum
{
	ATTGT_AGG_OK = 0,
	ATTGT_AGG_NO_POST,			/* simple: no post-treatment cell */
	ATTGT_AGG_NO_EVENT,			/* dynamic: no event time >= 0 left */
	ATTGT_AGG_COHORT_NO_POST	/* group: cohort *bad_g has no post cell */
} AttgtAggCode;

extern int	attgt_aggregate(const AttgtRun *r, AttgtAggType type, const AttgtAggLimits *lim,
							AttgtAggResult *a, int32_t *bad_g);
extern void attgt_agg_free(const AttgtRun *r, AttgtAggResult *a);

#endif
