/*
 * Unit tests for select.c: the k-th smallest equals the k-th element of
 * the sorted array, for every k of small arrays and sampled k of large
 * ones, with distinct values, many ties, sorted, reversed and constant
 * input, and signed infinities.
 */
#include "rng.h"
#include "select.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* does si_select_kth agree with sorting, for the given k's? */
static int
agrees(const double *x, size_t n, const size_t *ks, int nk)
{
	double	   *s = malloc(sizeof(double) * n),
			   *w = malloc(sizeof(double) * n);
	int			ok = 1,
				i;

	memcpy(s, x, sizeof(double) * n);
	qsort(s, n, sizeof(double), cmp);
	for (i = 0; i < nk; i++)
	{
		memcpy(w, x, sizeof(double) * n);
		if (si_select_kth(w, n, ks[i]) != s[ks[i]])
			ok = 0;
	}
	free(s);
	free(w);
	return ok;
}

int
main(void)
{
	SiRng		r;
	size_t		n,
				i,
				ks[64];
	double	   *x = malloc(sizeof(double) * 200000);
	int			kind,
				all = 1;

	si_rng_seed(&r, 7);
	for (n = 1; n <= 40; n++)
		for (kind = 0; kind < 5; kind++)
		{
			for (i = 0; i < n; i++)
				x[i] = kind == 0 ? si_rng_uniform(&r) :
					kind == 1 ? (double) (si_rng_next(&r) % 3) :
					kind == 2 ? (double) i :
					kind == 3 ? (double) (n - i) : 5.0;
			for (i = 0; i < n; i++)
				ks[i] = i;
			if (!agrees(x, n, ks, (int) n))
				all = 0;
		}
	CHECK(all, "every k of arrays of 1..40 elements (random, ties, sorted, reversed, constant)");

	for (kind = 0; kind < 4; kind++)
	{
		n = 200000;
		for (i = 0; i < n; i++)
			x[i] = kind == 0 ? si_rng_uniform(&r) - 0.5 :
				kind == 1 ? (double) (si_rng_next(&r) % 2) :
				kind == 2 ? (double) i : (double) (n - i);
		x[17] = -INFINITY;
		x[n - 3] = INFINITY;
		for (i = 0; i < 62; i++)
			ks[i] = (size_t) (si_rng_next(&r) % n);
		ks[62] = 0;
		ks[63] = n - 1;
		CHECK(agrees(x, n, ks, 64), "sampled k of 200000 elements, kind %d (random, two values, sorted, reversed)", kind);
	}
	free(x);
	return unit_done();
}
