/*
 * select.c — quickselect with three-way partitioning (Hoare 1961,
 * "Algorithm 65: Find"; Bentley & McIlroy 1993 for the equal-keys
 * partition). Used for bootstrap quantiles: the exact order statistic a
 * full sort would give, in expected linear time.
 *
 * No postgres.h here.
 */
#include "select.h"

#include <stdlib.h>

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

static double
median3(double a, double b, double c)
{
	if (a < b)
		return b < c ? b : (a < c ? c : a);
	return a < c ? a : (b < c ? c : b);
}

double
si_select_kth(double *x, size_t n, size_t k)
{
	size_t		lo = 0,
				hi = n;			/* the answer lies in x[lo..hi) */
	int			budget = 64;	/* partitions before falling back to a sort */

	while (hi - lo > 16 && budget-- > 0)
	{
		double		pivot = median3(x[lo], x[lo + (hi - lo) / 2], x[hi - 1]);
		size_t		lt = lo,
					i = lo,
					gt = hi;

		/* x[lo..lt) < pivot, x[lt..i) == pivot, x[gt..hi) > pivot */
		while (i < gt)
		{
			double		v = x[i];

			if (v < pivot)
			{
				x[i++] = x[lt];
				x[lt++] = v;
			}
			else if (v > pivot)
			{
				x[i] = x[--gt];
				x[gt] = v;
			}
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
	qsort(x + lo, hi - lo, sizeof(double), cmp_double);
	return x[k];
}
