/*
 * refusion.h — benefit seniority under the refusion law (LBK 221 af
 * 12/02/2021 section 6 stk. 1), free of PostgreSQL.
 *
 * Seniority is the number of the current week among the person's benefit
 * weeks since the last reset. The count restarts when the person has had
 * 52 self-supporting weeks in total within the last 3 years (156 weeks).
 * Self-supporting weeks before a reset do not count towards the next one.
 *
 * Walk the weeks in order with refusion_step(); for a benefit week it
 * returns that week's seniority (1, 2, ...); the reset, when the 52nd
 * self-supporting week in the window is reached, takes effect from the
 * next week.
 */
#ifndef SI_REFUSION_H
#define SI_REFUSION_H

#include <stdint.h>

#define REFUSION_WINDOW 156		/* 3 years of weeks */
#define REFUSION_RESET_SELF 52	/* self-supporting weeks that reset the count */

typedef enum RefusionWeek
{
	REFUSION_OTHER = 0,			/* neither: not counted (other benefits, censored, unobserved) */
	REFUSION_BENEFIT = 1,		/* a week with a benefit under the staircase */
	REFUSION_SELF = 2			/* a self-supporting week */
} RefusionWeek;

typedef struct RefusionState
{
	int32_t		seniority;		/* benefit weeks since the last reset */
	int32_t		nself;			/* self weeks in the window since the last reset */
	int32_t		pos;			/* ring position of the current week */
	uint8_t		ring[REFUSION_WINDOW];	/* 1 = counted self week */
	int32_t		resets;			/* number of resets so far */
} RefusionState;

/* Start with a known seniority (0 = no benefit weeks yet). */
extern void refusion_init(RefusionState *st, int32_t initial_seniority);

/* Advance one week; returns the seniority of a benefit week, else 0. */
extern int32_t refusion_step(RefusionState *st, RefusionWeek kind);

#endif
