/*
 * refusion.c — benefit seniority with the 52-of-156-weeks reset (see
 * refusion.h; LBK 221 af 12/02/2021 section 6 stk. 1; docs/methods.md,
 * *Money*, Seniority). PostgreSQL-free; pricing and the kommune/stat split
 * are src/money/money_path.c's.
 */
#include "refusion.h"

#include <string.h>

void
refusion_init(RefusionState *st, int32_t initial_seniority)
{
	memset(st, 0, sizeof(*st));
	st->seniority = initial_seniority > 0 ? initial_seniority : 0;
}

int32_t
refusion_step(RefusionState *st, RefusionWeek kind)
{
	int32_t		result = 0;

	/* the week leaving the 156-week window no longer counts */
	st->nself -= st->ring[st->pos];
	st->ring[st->pos] = 0;

	if (kind == REFUSION_BENEFIT)
		result = ++st->seniority;
	else if (kind == REFUSION_SELF)
	{
		st->ring[st->pos] = 1;
		st->nself++;
	}
	st->pos = (st->pos + 1) % REFUSION_WINDOW;

	if (st->nself >= REFUSION_RESET_SELF)
	{
		/* reset from the next week; these self weeks are used up */
		st->seniority = 0;
		st->nself = 0;
		memset(st->ring, 0, sizeof(st->ring));
		st->resets++;
	}
	return result;
}
