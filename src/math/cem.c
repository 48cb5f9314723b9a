/*
 * cem.c — coarsened exact matching (see cem.h and docs/methods.md,
 * *Coarsened exact matching*). No postgres.h here; memory comes from the
 * caller. Strata are found by one sort of the coded rows, O(n log n).
 */
#include "cem.h"

#include <math.h>
#include <stdlib.h>

typedef struct CemItem
{
	const int64_t *row;
	int64_t		ncols;
	int64_t		i;
} CemItem;

typedef struct CemGroup
{
	int64_t		first_control;
	int64_t		start;
	int64_t		end;
} CemGroup;

int
si_cem_sturges_bins(int64_t n)
{
	return (int) ceil(log2((double) n) + 1.0);
}

void
si_cem_equal_breaks(double lo, double hi, int nbins, double *breaks)
{
	double		by = (hi - lo) / nbins;

	for (int i = 1; i < nbins; i++)
		breaks[i - 1] = lo + i * by;
}

int64_t
si_cem_bin(double x, const double *breaks, int nbreaks)
{
	int			a = 0,
				b = nbreaks;

	/* first break > x */
	while (a < b)
	{
		int			mid = a + (b - a) / 2;

		if (breaks[mid] <= x)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

size_t
si_cem_work_bytes(int64_t n)
{
	if (n < 0 || n > (int64_t) (SIZE_MAX / 64))
		return 0;
	return (size_t) n * (sizeof(CemItem) + sizeof(CemGroup));
}

static int
cmp_rows(const void *a, const void *b)
{
	const CemItem *x = a;
	const CemItem *y = b;

	for (int64_t c = 0; c < x->ncols; c++)
		if (x->row[c] != y->row[c])
			return x->row[c] < y->row[c] ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static int
cmp_groups(const void *a, const void *b)
{
	const CemGroup *x = a;
	const CemGroup *y = b;

	return (x->first_control > y->first_control) - (x->first_control < y->first_control);
}

static int
same_row(const CemItem *x, const CemItem *y)
{
	for (int64_t c = 0; c < x->ncols; c++)
		if (x->row[c] != y->row[c])
			return 0;
	return 1;
}

int64_t
si_cem_subclass(int64_t n, int ncols, const int64_t *codes,
				const unsigned char *treated, int64_t *subclass, void *work)
{
	CemItem    *items = work;
	CemGroup   *groups = (CemGroup *) (items + n);
	int64_t		ngroups = 0;

	for (int64_t i = 0; i < n; i++)
	{
		items[i].row = codes + i * ncols;
		items[i].ncols = ncols;
		items[i].i = i;
		subclass[i] = 0;
	}
	qsort(items, (size_t) n, sizeof(CemItem), cmp_rows);

	for (int64_t start = 0; start < n;)
	{
		int64_t		end = start + 1;
		int64_t		first_control = -1;
		int			has_treated = 0;

		while (end < n && same_row(&items[start], &items[end]))
			end++;
		/* within a stratum the sort left units in index order */
		for (int64_t k = start; k < end; k++)
		{
			if (treated[items[k].i])
				has_treated = 1;
			else if (first_control < 0)
				first_control = items[k].i;
		}
		if (has_treated && first_control >= 0)
		{
			groups[ngroups].first_control = first_control;
			groups[ngroups].start = start;
			groups[ngroups].end = end;
			ngroups++;
		}
		start = end;
	}
	qsort(groups, (size_t) ngroups, sizeof(CemGroup), cmp_groups);
	for (int64_t g = 0; g < ngroups; g++)
		for (int64_t k = groups[g].start; k < groups[g].end; k++)
			subclass[items[k].i] = g + 1;
	return ngroups;
}

int64_t
si_cem_weights(int64_t n, const unsigned char *treated, const int64_t *subclass,
			   int64_t nsub, int64_t *counts, double *weight)
{
	int64_t    *n1 = counts;
	int64_t    *n0 = counts + nsub + 1;
	int64_t		matched = 0,
				ncontrols = 0;
	double		sumc = 0.0;

	for (int64_t s = 0; s <= nsub; s++)
		n1[s] = n0[s] = 0;
	for (int64_t i = 0; i < n; i++)
		if (subclass[i] > 0)
		{
			if (treated[i])
				n1[subclass[i]]++;
			else
				n0[subclass[i]]++;
		}
	for (int64_t i = 0; i < n; i++)
	{
		int64_t		s = subclass[i];

		if (s <= 0)
		{
			weight[i] = 0.0;
			continue;
		}
		matched++;
		if (treated[i])
			weight[i] = 1.0;
		else
		{
			weight[i] = (double) n1[s] / (double) n0[s];
			ncontrols++;
			sumc += weight[i];
		}
	}
	if (ncontrols > 0)
		for (int64_t i = 0; i < n; i++)
			if (subclass[i] > 0 && !treated[i])
				weight[i] *= (double) ncontrols / sumc;
	return matched;
}
