/*
 * newcombe.h — the difference of two independent proportions with
 * Newcombe's hybrid score interval (no PostgreSQL dependency).
 *
 * Newcombe (1998), "Interval estimation for the difference between
 * independent proportions: comparison of eleven methods", Statistics in
 * Medicine 17:873-890, method 10: with the Wilson score intervals (l1, u1)
 * for p1 = x1/n1 and (l2, u2) for p2 = x2/n2 (si_wilson_interval, no continuity
 * correction), the difference D = p1 - p2 has the interval
 *
 *     D - sqrt((p1 - l1)^2 + (u2 - p2)^2),   D + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 *
 * No postgres.h here.
 */
#ifndef SI_NEWCOMBE_H
#define SI_NEWCOMBE_H

#include <stdint.h>

/*
 * Difference x1/n1 - x2/n2 and its hybrid score interval at conf_level.
 * Returns 0, or -1 (nothing set) when n1 or n2 is not positive, a count
 * is negative or larger than its n, or conf_level is outside (0, 1).
 */
extern int	newcombe_difference(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
								double conf_level, double *estimate,
								double *low, double *high);

#endif
