/*
 * newcombe.c — difference of two proportions, Newcombe's hybrid score
 * interval over Wilson score intervals. See newcombe.h.
 */
#include "newcombe.h"
#include "distributions.h"

#include <math.h>

/*
 * Wilson score interval of x of n at normal quantile z: centre
 * (x + z^2/2) / (n + z^2), half-width z sqrt(x (n - x) / n + z^2 / 4) /
 * (n + z^2); exactly 0 at x = 0 and 1 at x = n.
 */
static void
wilson(double x, double n, double z, double *low, double *high)
{
	double		z2 = z * z;
	double		centre = (x + z2 / 2.0) / (n + z2);
	double		half = z * sqrt(x * (n - x) / n + z2 / 4.0) / (n + z2);

	*low = (x <= 0.0) ? 0.0 : centre - half;
	*high = (x >= n) ? 1.0 : centre + half;
}

int
newcombe_difference(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
					double conf_level, double *estimate, double *low, double *high)
{
	double		z,
				p1,
				p2,
				l1,
				u1,
				l2,
				u2;

	if (n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 ||
		!(conf_level > 0.0 && conf_level < 1.0))
		return -1;
	z = si_norm_quantile(1.0 - (1.0 - conf_level) / 2.0);
	p1 = (double) x1 / (double) n1;
	p2 = (double) x2 / (double) n2;
	wilson((double) x1, (double) n1, z, &l1, &u1);
	wilson((double) x2, (double) n2, z, &l2, &u2);
	*estimate = p1 - p2;
	*low = *estimate - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
	*high = *estimate + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
	return 0;
}
