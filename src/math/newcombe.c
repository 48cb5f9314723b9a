/*
 * newcombe.c — difference of two proportions, Newcombe's hybrid score
 * interval over the Wilson score intervals of src/math/proportion.c. See
 * newcombe.h.
 *
 * No postgres.h here; argument errors are the glue's (monitor_funnel.c).
 * docs/methods.md, *Arrival cohorts and benchmarking municipalities*.
 */
#include "newcombe.h"
#include "proportion.h"

#include <math.h>

int
newcombe_difference(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
					double conf_level, double *estimate, double *low, double *high)
{
	double		p1,
				p2,
				l1,
				u1,
				l2,
				u2;

	if (n1 <= 0 || n2 <= 0 ||
		si_wilson_interval(x1, n1, conf_level, &p1, &l1, &u1) != 0 ||
		si_wilson_interval(x2, n2, conf_level, &p2, &l2, &u2) != 0)
		return -1;
	*estimate = p1 - p2;
	*low = *estimate - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
	*high = *estimate + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
	return 0;
}
