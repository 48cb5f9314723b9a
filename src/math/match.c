/*
 * match.c — greedy nearest-neighbour matching on a sorted distance (see
 * match.h and docs/methods.md, *Nearest-neighbour matching*). No
 * postgres.h here; memory comes from the caller's work buffer.
 *
 * Speed: one sort of all units by (stratum, distance, index), O(n log n);
 * the controls are kept in that order in an array, and the controls still
 * available are found by two "next available" forests over it (one
 * looking right, one looking left) with path halving, so removing a used
 * control is O(1) and each lookup is amortised almost O(1). A treated
 * unit's place among the controls is fixed by the sort, so no search is
 * needed per lookup. Total O(n log n + n1 * ratio^2) (the ratio^2 only
 * with replacement, skipping a unit's own earlier controls).
 */
#include "match.h"

#include <math.h>
#include <stdlib.h>

#include "rng.h"

typedef struct MatchItem
{
	double		d;
	int64_t		s;
	int64_t		i;
} MatchItem;

static int
cmp_item(const void *a, const void *b)
{
	const MatchItem *x = a;
	const MatchItem *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* treated processing order: key d (already negated for 'largest'), then row */
static int
cmp_row(const void *a, const void *b)
{
	const MatchItem *x = a;
	const MatchItem *y = b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

size_t
si_match_nearest_work_bytes(int64_t n)
{
	/* items (3 words) + ctrl, tunit, tpos, tlo, thi, order (6) + two forests */
	if (n < 0 || n > (int64_t) (SIZE_MAX / 8 / 12) - 2)
		return 0;
	return (size_t) (9 * n + 2 * (n + 1)) * sizeof(int64_t);
}

/* smallest available control position >= j (m when none) */
static int64_t
find_right(int64_t *nr, int64_t j)
{
	while (nr[j] != j)
	{
		nr[j] = nr[nr[j]];
		j = nr[j];
	}
	return j;
}

/* largest available control position <= j (-1 when none); nl is offset by 1 */
static int64_t
find_left(int64_t *nl, int64_t j)
{
	int64_t		k = j + 1;

	while (nl[k] != k)
	{
		nl[k] = nl[nl[k]];
		k = nl[k];
	}
	return k - 1;
}

static int
in_row(const int64_t *row, int r, int64_t c)
{
	for (int q = 0; q < r; q++)
		if (row[q] == c)
			return 1;
	return 0;
}

int64_t
si_match_nearest(const SiMatchProblem *p, int64_t *match, void *work)
{
	int64_t		n = p->n;
	MatchItem  *items = work;
	int64_t    *ctrl = (int64_t *) (items + n);	/* control unit at position */
	int64_t    *tunit = ctrl + n;	/* row -> treated unit index */
	int64_t    *tpos = tunit + n;	/* row -> controls before it in the sort */
	int64_t    *tlo = tpos + n;	/* row -> its stratum's control range */
	int64_t    *thi = tlo + n;
	int64_t    *order = thi + n;	/* processing order of rows */
	int64_t    *nr;
	int64_t    *nl;
	int64_t		n1 = 0,
				m = 0;

	for (int64_t i = 0; i < n; i++)
	{
		items[i].d = p->distance[i];
		items[i].s = p->stratum ? p->stratum[i] : 0;
		items[i].i = i;
		if (p->treated[i])
			tunit[n1++] = i;
	}
	qsort(items, (size_t) n, sizeof(MatchItem), cmp_item);

	/*
	 * One pass over the sorted units: controls into ctrl[], each treated
	 * unit's place among them and its stratum's range. tpos is indexed by
	 * unit for now (tlo/thi too) and moved to rows below.
	 */
	{
		int64_t		start = 0;

		while (start < n)
		{
			int64_t		end = start;
			int64_t		lo = m;

			while (end < n && items[end].s == items[start].s)
			{
				int64_t		u = items[end].i;

				if (p->treated[u])
					tpos[u] = m;
				else
					ctrl[m++] = u;
				end++;
			}
			for (int64_t k = start; k < end; k++)
			{
				int64_t		u = items[k].i;

				if (p->treated[u])
				{
					tlo[u] = lo;
					thi[u] = m;
				}
			}
			start = end;
		}
	}
	for (int64_t r = 0; r < n1; r++)
	{
		int64_t		u = tunit[r];

		/* rows are in index order and r <= u, so reading u before writing r is safe */
		tpos[r] = tpos[u];
		tlo[r] = tlo[u];
		thi[r] = thi[u];
	}

	/* processing order (items is free again) */
	if (p->order == SI_MATCH_LARGEST || p->order == SI_MATCH_SMALLEST)
	{
		for (int64_t r = 0; r < n1; r++)
		{
			double		d = p->distance[tunit[r]];

			items[r].d = p->order == SI_MATCH_LARGEST ? -d : d;
			items[r].s = 0;
			items[r].i = r;
		}
		qsort(items, (size_t) n1, sizeof(MatchItem), cmp_row);
		for (int64_t r = 0; r < n1; r++)
			order[r] = items[r].i;
	}
	else
	{
		for (int64_t r = 0; r < n1; r++)
			order[r] = r;
		if (p->order == SI_MATCH_RANDOM && n1 > 1)
		{
			SiRng		rng;

			si_rng_seed(&rng, p->seed);
			for (int64_t r = n1 - 1; r > 0; r--)
			{
				int64_t		j = (int64_t) si_rng_below(&rng, (uint64_t) r + 1);
				int64_t		t = order[r];

				order[r] = order[j];
				order[j] = t;
			}
		}
	}

	/* the forests: every control available */
	nr = order + n;
	nl = nr + (n + 1);
	for (int64_t j = 0; j <= m; j++)
	{
		nr[j] = j;
		nl[j] = j;
	}

	for (int64_t k = 0; k < n1 * p->ratio; k++)
		match[k] = -1;

	for (int r = 0; r < p->ratio; r++)
	{
		for (int64_t q = 0; q < n1; q++)
		{
			int64_t		row = order[q];
			int64_t    *mrow = match + row * p->ratio;
			double		dt = p->distance[tunit[row]];
			int64_t		left,
						right,
						pick;

			if (p->check_interrupt && (q & 0xffff) == 0)
				p->check_interrupt();

			left = find_left(nl, tpos[row] - 1);
			while (left >= tlo[row] && in_row(mrow, r, ctrl[left]))
				left = find_left(nl, left - 1);
			if (left < tlo[row])
				left = -1;
			else if (p->caliper >= 0 && fabs(dt - p->distance[ctrl[left]]) > p->caliper)
				left = -1;

			right = find_right(nr, tpos[row]);
			while (right < thi[row] && in_row(mrow, r, ctrl[right]))
				right = find_right(nr, right + 1);
			if (right >= thi[row])
				right = -1;
			else if (p->caliper >= 0 && fabs(dt - p->distance[ctrl[right]]) > p->caliper)
				right = -1;

			if (left >= 0 && right >= 0)
				pick = fabs(p->distance[ctrl[left]] - dt) <= fabs(p->distance[ctrl[right]] - dt)
					? left : right;
			else if (left >= 0)
				pick = left;
			else if (right >= 0)
				pick = right;
			else
				continue;

			mrow[r] = ctrl[pick];
			if (!p->replace)
			{
				nr[pick] = pick + 1;
				nl[pick + 1] = pick;
			}
		}
	}
	return n1;
}

int64_t
si_match_weights(int64_t n, const unsigned char *treated, int ratio, int replace,
				 const int64_t *match, double *weight, int64_t *subclass)
{
	int64_t		row = 0;
	int64_t		nsub = 0;
	int64_t		nmatched = 0;
	int64_t		ncontrols = 0;
	double		sumc = 0.0;

	for (int64_t i = 0; i < n; i++)
	{
		weight[i] = 0.0;
		if (subclass)
			subclass[i] = 0;
	}
	for (int64_t i = 0; i < n; i++)
	{
		const int64_t *mrow;
		int			k = 0;

		if (!treated[i])
			continue;
		mrow = match + row * ratio;
		row++;
		for (int r = 0; r < ratio; r++)
			if (mrow[r] >= 0)
				k++;
		if (k == 0)
			continue;
		weight[i] = 1.0;
		nsub++;
		if (subclass && !replace)
			subclass[i] = nsub;
		for (int r = 0; r < ratio; r++)
			if (mrow[r] >= 0)
			{
				weight[mrow[r]] += 1.0 / k;
				if (subclass && !replace)
					subclass[mrow[r]] = nsub;
			}
	}
	for (int64_t i = 0; i < n; i++)
	{
		if (weight[i] > 0)
			nmatched++;
		if (!treated[i] && weight[i] > 0)
		{
			ncontrols++;
			sumc += weight[i];
		}
	}
	if (ncontrols > 0)
		for (int64_t i = 0; i < n; i++)
			if (!treated[i] && weight[i] > 0)
				weight[i] *= (double) ncontrols / sumc;
	return nmatched;
}
