/*
 * attgt_agg.c — did::aggte's aggregations of the (g,t) cells: which cells
 * each component averages, their weights pg / sum(pg) and the wif term
 * for the estimated cohort shares, as linear functionals (AttgtLin) whose
 * influence functions attgt_if.c evaluates. See docs/methods.md,
 * *Group-time average treatment effects*, "Aggregation (did::aggte)".
 *
 * No postgres.h: errors come back as codes for the glue (src/attgt/attgt.c).
 */
#include "attgt_agg.h"

#include <stdint.h>
#include <string.h>

#define Min(a, b) ((a) < (b) ? (a) : (b))
#define Max(a, b) ((a) > (b) ? (a) : (b))
#define ALLOC(n) h->alloc((n), false)

/* l's cell weights pg / sp over the chosen cells, its estimate, and wif */
static void
add_weights(const AttgtRun *r, const bool *sel, double sp, bool with_wif, int nk,
			const int32_t *kg, const double *kpg, const double *katt, AttgtLin *l)
{
	int			j;

	l->att = 0.0;
	for (j = 0; j < r->ncells; j++)
		if (sel[j])
		{
			double		wt = r->pgg[attgt_gidx(r, r->cells[j].g)] / sp;

			l->cw[j] = wt;
			l->att += wt * r->cells[j].att;
		}
	if (with_wif)
		attgt_lin_add_wif(l, r, nk, kg, kpg, katt);
}

/* a component over the chosen cells with weights pg / sum(pg), plus wif */
static AttgtLin *
weighted_component(const AttgtRun *r, const bool *sel, bool with_wif)
{
	const AttgtHooks *h = r->hooks;
	AttgtLin   *l = attgt_lin_new(r);
	int			j,
				nk = 0;
	double		sp = 0.0;
	int32_t	   *kg = ALLOC(sizeof(int32_t) * r->ncells);
	double	   *kpg = ALLOC(sizeof(double) * r->ncells);
	double	   *katt = ALLOC(sizeof(double) * r->ncells);

	for (j = 0; j < r->ncells; j++)
		if (sel[j])
		{
			const AttgtCell *c = &r->cells[j];

			kg[nk] = c->g;
			kpg[nk] = r->pgg[attgt_gidx(r, c->g)];
			katt[nk] = c->att;
			sp += kpg[nk];
			nk++;
		}
	if (nk == 0)
	{
		attgt_lin_free(r, l);
		l = NULL;
	}
	else
		add_weights(r, sel, sp, with_wif, nk, kg, kpg, katt, l);
	h->release(kg);
	h->release(kpg);
	h->release(katt);
	return l;
}

int
attgt_aggregate(const AttgtRun *r, AttgtAggType type, const AttgtAggLimits *lim,
				AttgtAggResult *a, int32_t *bad_g)
{
	const AttgtHooks *h = r->hooks;
	bool		has_min = lim->has_min,
				has_max = lim->has_max,
				has_bal = lim->has_bal;
	int			min_e = lim->min_e,
				max_e = lim->max_e,
				balance_e = lim->balance_e,
				ret = ATTGT_AGG_OK;
	const AttgtPanel *P = r->P;
	int			nc = r->ncells,
				j,
				k;
	bool	   *sel = ALLOC(sizeof(bool) * nc);
	double		maxe = has_max ? max_e : 1e300;

	memset(a, 0, sizeof(*a));
	a->key = ALLOC(sizeof(int32_t) * (nc + r->ng + P->T));
	a->comp = ALLOC(sizeof(AttgtLin *) * (nc + r->ng + P->T));
	if (type == AGG_SIMPLE)
	{
		for (j = 0; j < nc; j++)
		{
			const AttgtCell *c = &r->cells[j];

			sel[j] = c->g <= P->tval[c->t] && P->tval[c->t] <= c->g + maxe;
		}
		a->overall = weighted_component(r, sel, true);
		if (a->overall == NULL)
			ret = ATTGT_AGG_NO_POST;
	}
	else if (type == AGG_DYNAMIC)
	{
		int32_t		tmax = P->tval[P->T - 1];
		int32_t		tfirst = Min(P->tval[0], r->glist[0]);
		int32_t		emin = INT32_MAX,
					emax = INT32_MIN,
					e;
		int			npos = 0;

		for (j = 0; j < nc; j++)
		{
			const AttgtCell *c = &r->cells[j];
			int32_t		ce = P->tval[c->t] - c->g;

			if (has_bal && tmax - c->g < balance_e)
				continue;
			emin = Min(emin, ce);
			emax = Max(emax, ce);
		}
		a->overall = attgt_lin_new(r);
		for (e = emin; e <= emax && emin <= emax; e++)
		{
			AttgtLin   *l;

			if (has_bal && !(e <= balance_e && e >= balance_e - tmax + tfirst))
				continue;
			if (has_min && e < min_e)
				continue;
			if (has_max && e > max_e)
				continue;
			for (j = 0; j < nc; j++)
			{
				const AttgtCell *c = &r->cells[j];

				sel[j] = (P->tval[c->t] - c->g == e) &&
					!(has_bal && tmax - c->g < balance_e);
			}
			l = weighted_component(r, sel, true);
			if (l == NULL)
				continue;
			a->key[a->m] = e;
			a->comp[a->m++] = l;
		}
		for (k = 0; k < a->m; k++)
			if (a->key[k] >= 0)
				npos++;
		if (npos == 0)
			ret = ATTGT_AGG_NO_EVENT;
		for (k = 0; k < a->m && npos > 0; k++)
			if (a->key[k] >= 0)
				attgt_lin_add(a->overall, a->comp[k], 1.0 / npos, r);
	}
	else if (type == AGG_GROUP)
	{
		int32_t	   *kg = ALLOC(sizeof(int32_t) * r->ng);
		double	   *katt = ALLOC(sizeof(double) * r->ng);
		double		sp = 0.0;
		int			gi;

		a->overall = attgt_lin_new(r);
		for (gi = 0; gi < r->ng; gi++)
			sp += r->pgg[gi];
		for (gi = 0; gi < r->ng; gi++)
		{
			AttgtLin   *l;

			for (j = 0; j < nc; j++)
			{
				const AttgtCell *c = &r->cells[j];

				sel[j] = c->g == r->glist[gi] && c->g <= P->tval[c->t] &&
					P->tval[c->t] <= c->g + maxe;
			}
			l = weighted_component(r, sel, false);
			if (l == NULL)
			{
				*bad_g = r->glist[gi];
				ret = ATTGT_AGG_COHORT_NO_POST;
				break;
			}
			a->key[a->m] = r->glist[gi];
			a->comp[a->m++] = l;
			kg[gi] = r->glist[gi];
			katt[gi] = l->att;
			attgt_lin_add(a->overall, l, r->pgg[gi] / sp, r);
		}
		if (ret == ATTGT_AGG_OK)
			attgt_lin_add_wif(a->overall, r, r->ng, kg, r->pgg, katt);
		h->release(kg);
		h->release(katt);
	}
	else
	{
		int			t,
					ncal = 0;

		a->overall = attgt_lin_new(r);
		for (t = 0; t < P->T; t++)
		{
			AttgtLin   *l;

			if (P->tval[t] < r->glist[0])
				continue;
			for (j = 0; j < nc; j++)
			{
				const AttgtCell *c = &r->cells[j];

				sel[j] = c->t == t && c->g <= P->tval[t];
			}
			l = weighted_component(r, sel, true);
			if (l == NULL)
				continue;
			a->key[a->m] = P->tval[t];
			a->comp[a->m++] = l;
			ncal++;
		}
		for (k = 0; k < a->m; k++)
			attgt_lin_add(a->overall, a->comp[k], 1.0 / ncal, r);
	}
	h->release(sel);
	return ret;
}

void
attgt_agg_free(const AttgtRun *r, AttgtAggResult *a)
{
	int			k;

	for (k = 0; k < a->m; k++)
		attgt_lin_free(r, a->comp[k]);
	if (a->overall)
		attgt_lin_free(r, a->overall);
	r->hooks->release(a->key);
	r->hooks->release(a->comp);
	memset(a, 0, sizeof(*a));
}
