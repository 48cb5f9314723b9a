/*
 * attgt_boot.c — att_gt's multiplier bootstrap (did::mboot with
 * Rademacher multipliers): the draws of linear functionals of the cells,
 * their IQR-based standard errors and the uniform critical value, and
 * the memory plan that splits the draws into blocks when they do not fit
 * the caller's limit. See docs/methods.md, *Group-time average treatment
 * effects*: "Multiplier bootstrap (did::mboot)", "Bootstrap memory".
 *
 * No postgres.h: memory and interrupt checks through r->hooks; the glue
 * (src/attgt/attgt_est.c) turns a plan that does not fit into an error
 * and a plan in blocks into a NOTICE. Random bits come from the splitmix64
 * of src/math/rng.c.
 */
#include "attgt_boot.h"

#include <string.h>

#include "distributions.h"
#include "rng.h"
#include "select.h"

#define Min(a, b) ((a) < (b) ? (a) : (b))
#define Max(a, b) ((a) > (b) ? (a) : (b))
#define ALLOC(n) h->alloc((n), false)
#define ALLOC0(n) h->alloc((n), true)

/*
 * Rademacher draws: draw b for unit (or cluster) j is bit b % 16 of a
 * SplitMix64 hash of (seed, b / 16, j), so one hash serves 16 draws and
 * the draws do not depend on row order or on the code path. (static
 * inline for the hot loops; the exported names are for the unit tests)
 */
static inline uint32_t
draw_bits(uint64_t seed, int batch, int j)
{
	return (uint32_t) (si_splitmix64_mix(seed ^ si_splitmix64_mix(((uint64_t) batch << 32) | (uint32_t) j)) >> 48);
}

static inline double
rademacher(uint64_t seed, int b, int j)
{
	return ((draw_bits(seed, b / BOOT_BATCH, j) >> (b % BOOT_BATCH)) & 1) ? 1.0 : -1.0;
}

uint32_t
attgt_draw_bits(uint64_t seed, int batch, int j)
{
	return draw_bits(seed, batch, j);
}

double
attgt_rademacher(uint64_t seed, int b, int j)
{
	return rademacher(seed, b, j);
}

/*
 * Inner kernels of the fast bootstrap: acc[p][b] += sg[b] * y[p][i] over
 * the periods, for one unit or two units of the same cohort. Compiled
 * for AVX2 as well where GCC can dispatch at run time.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define SI_CLONES __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define SI_CLONES
#endif

/*
 * acc[p][b] += sg[q][b] * y_q[p] for q = 0 .. nu - 1 in that order (one to
 * three units, each term added to the accumulator separately, as nu
 * separate passes would: the same sums bit for bit), over the periods.
 * The accumulators of a period stay in registers across the units; GCC's
 * vector extension (4 doubles: elementwise multiply and add, no
 * contraction) keeps the loop over the draws the vectorised one.
 */
typedef double boot_v4 __attribute__((vector_size(32), aligned(8)));

static inline __attribute__((always_inline)) void
boot_acc_seq(double *restrict a, const double *restrict sg, const double *restrict y0,
			 const double *restrict y1, const double *restrict y2, int nu, int T)
{
	boot_v4		s0[4],
				s1[4],
				s2[4];
	long		p;
	int			c;

	for (c = 0; c < 4; c++)
	{
		s0[c] = *(const boot_v4 *) (sg + 4 * c);
		if (nu > 1)
			s1[c] = *(const boot_v4 *) (sg + 16 + 4 * c);
		if (nu > 2)
			s2[c] = *(const boot_v4 *) (sg + 32 + 4 * c);
	}
	for (p = 0; p < T; p++)
	{
		double	   *ap = a + p * 16;
		double		v0 = y0[p],
					v1 = nu > 1 ? y1[p] : 0.0,
					v2 = nu > 2 ? y2[p] : 0.0;

		for (c = 0; c < 4; c++)
		{
			boot_v4		t = *(boot_v4 *) (ap + 4 * c);

			t = t + s0[c] * v0;
			if (nu > 1)
				t = t + s1[c] * v1;
			if (nu > 2)
				t = t + s2[c] * v2;
			*(boot_v4 *) (ap + 4 * c) = t;
		}
	}
}

/* boot_sign[m][e] = bit e of m ? 1 : -1 */
static const double boot_sign[16][4] = {
	{-1, -1, -1, -1}, {1, -1, -1, -1}, {-1, 1, -1, -1}, {1, 1, -1, -1},
	{-1, -1, 1, -1}, {1, -1, 1, -1}, {-1, 1, 1, -1}, {1, 1, 1, -1},
	{-1, -1, -1, 1}, {1, -1, -1, 1}, {-1, 1, -1, 1}, {1, 1, -1, 1},
	{-1, -1, 1, 1}, {1, -1, 1, 1}, {-1, 1, 1, 1}, {1, 1, 1, 1}
};

SI_CLONES static void
boot_acc1(double *restrict a, const double *restrict sg, const double *restrict y0, int T)
{
	boot_acc_seq(a, sg, y0, NULL, NULL, 1, T);
}

SI_CLONES static void
boot_acc2(double *restrict a, const double *restrict sg, const double *restrict y0,
		  const double *restrict y1, int T)
{
	boot_acc_seq(a, sg, y0, y1, NULL, 2, T);
}

SI_CLONES static void
boot_acc3(double *restrict a, const double *restrict sg, const double *restrict y0,
		  const double *restrict y1, const double *restrict y2, int T)
{
	boot_acc_seq(a, sg, y0, y1, y2, 3, T);
}

/* br[j] += v row[j] (v = +-1: exact) over the functionals of one draw */
SI_CLONES static void
boot_axpy(double *restrict br, double v, const double *restrict row, int cnt)
{
	int			j;

	for (j = 0; j < cnt; j++)
		br[j] += v * row[j];
}

/* the same for four units of one cohort */
SI_CLONES static void
boot_acc4(double *restrict a, const double *restrict sg4,
		  const double *restrict y1, const double *restrict y2,
		  const double *restrict y3, const double *restrict y4, int T)
{
	int			p,
				b;

	for (p = 0; p < T; p++)
	{
		double		v1 = y1[p],
					v2 = y2[p],
					v3 = y3[p],
					v4 = y4[p];
		double	   *restrict ap = a + p * 16;

		for (b = 0; b < 16; b++)
			ap[b] += sg4[b] * v1 + sg4[16 + b] * v2 + sg4[32 + b] * v3 + sg4[48 + b] * v4;
	}
}

/*
 * Fast bootstrap without covariates: a cell's psi is linear in the
 * outcomes, so sum_i m_i psi_ic needs only, per cohort bucket k and period
 * p, A = sum m_i w_i y_ip and N = sum m_i w_i 1{observed} (and M = sum
 * m_i w_i for the cohort-share term). Units are taken in chunks whose
 * outcomes are transposed into a small unit-major buffer once; every batch
 * of 16 draws then accumulates from that buffer, so the panel is read
 * once per group of batches. bres is B x m (unscaled sums). The
 * accumulators of as many batches as fit in accmem bytes (at least one)
 * are kept at a time; the sums of one batch do not depend on the group.
 */
#define BOOT_CHUNK 256
#define BOOT_MEM (64L * 1024 * 1024)

/* bytes of the fast path's accumulators (and cluster draw bits) per batch */
static double
boot_fast_batch_bytes(const AttgtRun *r)
{
	const AttgtPanel *P = r->P;
	double		nb = r->ng + 1;

	return sizeof(double) * nb * P->T * BOOT_BATCH * (P->balanced ? 1 : 2) +
		sizeof(double) * nb * BOOT_BATCH +
		(P->cl ? sizeof(uint32_t) * (double) P->ncl : 0.0);
}

/* bytes of the fast path that do not depend on the draws */
static double
boot_fast_fixed_bytes(const AttgtRun *r)
{
	const AttgtPanel *P = r->P;

	return sizeof(int16_t) * (double) P->n + sizeof(double) * BOOT_CHUNK * (double) P->T +
		sizeof(int) * (BOOT_CHUNK + r->ng + 2.0) + (sizeof(double) + sizeof(bool)) * (r->ng + 1.0) +
		sizeof(double) * (double) r->ncells + (P->cl ? sizeof(double) * (double) P->ncl : 0.0);
}

/*
 * memset of a large block a megabyte at a time: touching hundreds of
 * megabytes for the first time takes long enough to delay a cancel.
 */
static void
boot_zero(const AttgtHooks *h, void *p, size_t bytes)
{
	char	   *c = p;

	while (bytes > 0)
	{
		size_t		n = Min(bytes, (size_t) 1024 * 1024);

		h->interrupt();
		memset(c, 0, n);
		c += n;
		bytes -= n;
	}
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
static void
boot_fast(const AttgtRun *r, AttgtLin **l, int m, double *bres, double accmem)
{
	const AttgtPanel *P = r->P;
	const AttgtHooks *h = r->hooks;
	int			B = r->spec.bootstrap,
				n = P->n,
				T = P->T,
				nb = r->ng + 1,
				nbatch = (B + BOOT_BATCH - 1) / BOOT_BATCH,
				i,
				i0,
				j,
				b,
				p,
				k,
				bb;
	long		accsz = (long) nb * T * BOOT_BATCH;
	uint64_t	seed = (uint64_t) r->spec.seed;
	int16_t	   *bucket = ALLOC(sizeof(int16_t) * n);
	/* accumulators for as many batches as fit in accmem; more groups = more passes */
	int			gsize = (int) Max(1.0, Min((double) nbatch, floor(accmem / boot_fast_batch_bytes(r))));
	int			g0,
				g1;
	double	   *acc = h->alloc(sizeof(double) * accsz * gsize, false);
	double	   *accn = P->balanced ? NULL : h->alloc(sizeof(double) * accsz * gsize, false);
	double	   *accm = ALLOC(sizeof(double) * nb * BOOT_BATCH * gsize);
	double	   *buf = ALLOC(sizeof(double) * BOOT_CHUNK * T);
	int		   *order = ALLOC(sizeof(int) * BOOT_CHUNK);
	int		   *bstart = ALLOC(sizeof(int) * (nb + 1));
	double	   *cellv = ALLOC(sizeof(double) * r->ncells);
	double	   *cn = NULL;
	uint32_t   *cbits = NULL;
	int		   *nnz = ALLOC(sizeof(int) * m);
	int		  **ci = ALLOC(sizeof(int *) * m);
	double	  **cwt = ALLOC(sizeof(double *) * m);
	bool	   *ctrl = ALLOC(sizeof(bool) * nb);

	for (i = 0; i < n; i++)
		bucket[i] = P->cohort[i] == 0 ? 0 : attgt_gidx(r, P->cohort[i]) + 1;
	for (j = 0; j < m; j++)
	{
		int			cnt = 0;

		for (k = 0; k < r->ncells; k++)
			if (l[j]->cw[k] != 0.0 && !r->cells[k].is_base)
				cnt++;
		ci[j] = ALLOC(sizeof(int) * Max(cnt, 1));
		cwt[j] = ALLOC(sizeof(double) * Max(cnt, 1));
		nnz[j] = 0;
		for (k = 0; k < r->ncells; k++)
			if (l[j]->cw[k] != 0.0 && !r->cells[k].is_base)
			{
				ci[j][nnz[j]] = k;
				cwt[j][nnz[j]++] = l[j]->cw[k];
			}
	}
	if (P->cl)
	{
		cn = ALLOC0(sizeof(double) * P->ncl);
		cbits = h->alloc(sizeof(uint32_t) * P->ncl * gsize, false);
		for (i = 0; i < n; i++)
			cn[P->cl[i]] += 1.0;
	}
	for (g0 = 0; g0 < nbatch; g0 = g1)
	{
		g1 = Min(nbatch, g0 + gsize);
		boot_zero(h, acc, sizeof(double) * accsz * gsize);
		if (accn)
			boot_zero(h, accn, sizeof(double) * accsz * gsize);
		boot_zero(h, accm, sizeof(double) * nb * BOOT_BATCH * gsize);
		if (cbits)
			for (bb = g0; bb < g1; bb++)
			{
				h->interrupt();
				for (j = 0; j < P->ncl; j++)
					cbits[(long) (bb - g0) * P->ncl + j] = draw_bits(seed, bb, j);
			}
		for (i0 = 0; i0 < n; i0 += BOOT_CHUNK)
		{
			int			i1 = Min(n, i0 + BOOT_CHUNK);

			h->interrupt();
			for (p = 0; p < T; p++)
			{
				const double *col = P->y[p];

				for (i = i0; i < i1; i++)
					buf[(long) (i - i0) * T + p] = col[i];
			}
			/* the chunk's units ordered by cohort bucket (counting sort) */
			{
				memset(bstart, 0, sizeof(int) * (nb + 1));
				for (i = i0; i < i1; i++)
					bstart[bucket[i] + 1]++;
				for (k = 0; k < nb; k++)
					bstart[k + 1] += bstart[k];
				for (i = i0; i < i1; i++)
					order[bstart[bucket[i]]++] = i;
			}
			for (bb = g0; bb < g1; bb++)
			{
				double	   *accb = acc + accsz * (bb - g0);
				double	   *accmb = accm + (long) nb * BOOT_BATCH * (bb - g0);

				/* one batch of one chunk is short; a group of batches is not */
				h->interrupt();
				for (j = 0; j < i1 - i0; j++)
				{
					int			u[4],
								nu = 1,
								q;
					double		sg[4 * BOOT_BATCH];
					double	   *a,
							   *am;

					u[0] = order[j];
					/* up to four units of the same cohort share one pass over acc */
					while (accn == NULL && nu < 4 && j + 1 < i1 - i0 &&
						   bucket[order[j + 1]] == bucket[u[0]])
						u[nu++] = order[++j];
					a = accb + (long) bucket[u[0]] * T * BOOT_BATCH;
					am = accmb + bucket[u[0]] * BOOT_BATCH;
					for (q = 0; q < nu; q++)
					{
						int			iu = u[q];
						uint32_t		bits = cbits ? cbits[(long) (bb - g0) * P->ncl + P->cl[iu]] : draw_bits(seed, bb, iu);
						double		sc = P->w[iu] * (cn ? 1.0 / cn[P->cl[iu]] : 1.0);

						/* sg[b] = bit b ? sc : -sc (times +-1 is exact), four at a time */
						for (b = 0; b < BOOT_BATCH; b += 4)
						{
							boot_v4		sv = *(const boot_v4 *) boot_sign[(bits >> b) & 15] * sc;

							*(boot_v4 *) (sg + q * BOOT_BATCH + b) = sv;
							*(boot_v4 *) (am + b) = *(boot_v4 *) (am + b) + sv;
						}
					}
					if (nu == 4)
						boot_acc4(a, sg, buf + (long) (u[0] - i0) * T, buf + (long) (u[1] - i0) * T,
								  buf + (long) (u[2] - i0) * T, buf + (long) (u[3] - i0) * T, T);
					else if (accn == NULL)
					{
						/* as nu passes of one unit each */
						const double *y0 = buf + (long) (u[0] - i0) * T;

						if (nu == 1)
							boot_acc1(a, sg, y0, T);
						else if (nu == 2)
							boot_acc2(a, sg, y0, buf + (long) (u[1] - i0) * T, T);
						else
							boot_acc3(a, sg, y0, buf + (long) (u[1] - i0) * T,
									  buf + (long) (u[2] - i0) * T, T);
					}
					else
					{
						double	   *an = accn + accsz * (bb - g0) + (long) bucket[u[0]] * T * BOOT_BATCH;
						const double *yrow = buf + (long) (u[0] - i0) * T;

						for (p = 0; p < T; p++)
						{
							double		yv = yrow[p];
							double	   *ap = a + p * BOOT_BATCH;
							double	   *anp = an + p * BOOT_BATCH;

							if (isnan(yv))
								continue;
							for (b = 0; b < BOOT_BATCH; b++)
							{
								ap[b] += sg[b] * yv;
								anp[b] += sg[b];
							}
						}
					}
				}
			}
		}
		for (bb = g0; bb < g1; bb++)
		{
			int			nbat = Min(BOOT_BATCH, B - bb * BOOT_BATCH);
			double	   *accb = acc + accsz * (bb - g0);
			double	   *accnb = accn ? accn + accsz * (bb - g0) : NULL;
			double	   *accmb = accm + (long) nb * BOOT_BATCH * (bb - g0);

			h->interrupt();
			for (b = 0; b < nbat; b++)
			{
				double	   *br = bres + (long) (bb * BOOT_BATCH + b) * m;

				int			gi = 0;
				bool		have_ctrl = false;
				int32_t		ctrl_g = 0,
							ctrl_bound = 0;

				for (k = 0; k < r->ncells; k++)
				{
					const AttgtCell *c = &r->cells[k];
					int			d,
								q,
								kk,
								tb;
					double		v = 0.0;

					if (c->is_base)
					{
						cellv[k] = 0.0;
						continue;
					}
					/* the cells come by cohort: the treated bucket */
					while (r->glist[gi] != c->g)
						gi++;
					tb = gi + 1;
					/* the control buckets, when they change */
					if (!have_ctrl || (r->spec.notyettreated &&
									   (c->g != ctrl_g || c->ctrl_bound != ctrl_bound)))
					{
						for (kk = 0; kk < nb; kk++)
							ctrl[kk] = (kk == 0) ||
								(r->spec.notyettreated && r->glist[kk - 1] > c->ctrl_bound &&
								 r->glist[kk - 1] != c->g);
						have_ctrl = true;
						ctrl_g = c->g;
						ctrl_bound = c->ctrl_bound;
					}
					for (d = 0; d < 2; d++)
						for (q = 0; q < 2; q++)
						{
							int			per = q ? c->t : c->b;
							double		sa = 0.0,
										sn = 0.0;

							for (kk = d ? tb : 0; kk < (d ? tb + 1 : nb); kk++)
							{
								if (!d && !ctrl[kk])
									continue;
								sa += accb[((long) kk * T + per) * BOOT_BATCH + b];
								sn += accnb ? accnb[((long) kk * T + per) * BOOT_BATCH + b]
									: accmb[kk * BOOT_BATCH + b];
							}
							/* sign: treated post +, treated base -, control post -, control base + */
							v += ((d == q) ? 1.0 : -1.0) * (sa - c->ybar[d][q] * sn) / c->wsum[d][q];
						}
					cellv[k] = (double) n * v;
				}
				for (j = 0; j < m; j++)
				{
					double		sum = 0.0;
					int			kk;

					for (k = 0; k < nnz[j]; k++)
						sum += cwt[j][k] * cellv[ci[j][k]];
					for (kk = 1; kk < nb; kk++)
						sum += l[j]->gc[kk - 1] * accmb[kk * BOOT_BATCH + b];
					br[j] = sum;
				}
			}
		}
	}							/* batch groups */
	for (j = 0; j < m; j++)
	{
		h->release(ci[j]);
		h->release(cwt[j]);
	}
	if (cbits)
	{
		h->release(cn);
		h->release(cbits);
	}
	h->release(bucket);
	h->release(acc);
	if (accn)
		h->release(accn);
	h->release(accm);
	h->release(buf);
	h->release(order);
	h->release(bstart);
	h->release(cellv);
	h->release(nnz);
	h->release(ci);
	h->release(cwt);
	h->release(ctrl);
}

/* R's quantile(type = 1): the order statistic it picks, 0-based */
static int
quantile_type1_index(int nb, double p)
{
	double		np = nb * p;
	int			j = (int) floor(np + 4 * DBL_EPSILON);

	if (np > j + 4 * DBL_EPSILON)
		j = j + 1;
	if (j < 1)
		j = 1;
	if (j > nb)
		j = nb;
	return j - 1;
}

/* R's quantile(type = 1) of x[0..nb) (x is reordered) */
static double
quantile_type1(double *x, int nb, double p)
{
	return si_select_kth(x, nb, quantile_type1_index(nb, p));
}

int
attgt_boot_plan(const AttgtRun *r, int m, bool own_lins, double limit, AttgtBootPlan *out)
{
	const AttgtPanel *P = r->P;
	double		B = r->spec.bootstrap;
	double		fixed,
				percol,
				batch = 0.0,
				nbatch = ceil(B / BOOT_BATCH),
				avail;
	AttgtBootPlan plan;

	plan.fast = (P->p == 0 && r->ng < 32000);
	/* sorted copy of one column, the maximum t per draw, sigma and se */
	fixed = 2.0 * sizeof(double) * B + 2.0 * sizeof(double) * m;
	/* draws of one functional, and the functional itself when built here */
	percol = sizeof(double) * B + (own_lins ? sizeof(double) * (r->ncells + r->ng + 4.0) : 0.0);
	if (plan.fast)
	{
		batch = boot_fast_batch_bytes(r);
		fixed += boot_fast_fixed_bytes(r) + batch;
		percol += (sizeof(int) + sizeof(double)) * (own_lins ? 1.0 : r->ncells) + 3.0 * sizeof(void *);
	}
	else
		percol += sizeof(double) * ATTGT_CHUNK + (P->cl ? sizeof(double) * (double) P->ncl : 0.0);
	if (P->cl && !plan.fast)
		fixed += sizeof(int) * (double) P->ncl;
	plan.least = fixed + percol;
	if (fixed + percol > limit)
	{
		*out = plan;
		return -1;
	}
	plan.onepass = fixed + m * percol;
	avail = limit - fixed;
	plan.block = (int) Min((double) m, floor(avail / percol));
	plan.accmem = 0.0;
	if (plan.fast)
	{
		/* what the draws leave, up to BOOT_MEM, buys more batches per pass */
		double		extra = Min(avail - plan.block * percol, (double) BOOT_MEM - batch);

		plan.accmem = batch + Max(0.0, Min(extra, batch * (nbatch - 1)));
	}
	*out = plan;
	return 0;
}

/*
 * Unscaled draws (B x cnt) of the functionals l[0..cnt): sum over units
 * (clusters) of multiplier times psi. *nn is the number of units or
 * clusters.
 */
static void
boot_draws(const AttgtRun *r, AttgtLin **l, int cnt, const AttgtBootPlan *plan,
		   double *bres, double *nn)
{
	const AttgtPanel *P = r->P;
	const AttgtHooks *h = r->hooks;
	int			B = r->spec.bootstrap,
				n = P->n,
				i0,
				b,
				j,
				i;
	uint64_t	seed = (uint64_t) r->spec.seed;
	double	   *buf;

	if (plan->fast)
	{
		boot_fast(r, l, cnt, bres, plan->accmem);
		*nn = P->cl ? P->ncl : n;
		return;
	}
	boot_zero(h, bres, sizeof(double) * B * cnt);
	buf = ALLOC(sizeof(double) * ATTGT_CHUNK * cnt);
	if (P->cl)
	{
		/* cluster means of psi, then multipliers per cluster */
		double	   *cm = h->alloc(sizeof(double) * (size_t) P->ncl * cnt, true);
		int		   *cn = ALLOC0(sizeof(int) * P->ncl);

		for (i0 = 0; i0 < n; i0 += ATTGT_CHUNK)
		{
			int			i1 = Min(n, i0 + ATTGT_CHUNK);

			attgt_lin_eval_set(r, l, cnt, i0, i1, buf);
			for (i = i0; i < i1; i++)
			{
				cn[P->cl[i]]++;
				for (j = 0; j < cnt; j++)
					cm[(long) P->cl[i] * cnt + j] += buf[(long) (i - i0) * cnt + j];
			}
		}
		for (b = 0; b < B; b++)
		{
			double	   *br = bres + (long) b * cnt;

			for (i = 0; i < P->ncl; i++)
			{
				double		v;

				if ((i & 1023) == 0)
					h->interrupt();
				v = rademacher(seed, b, i) / cn[i];
				for (j = 0; j < cnt; j++)
					br[j] += v * cm[(long) i * cnt + j];
			}
		}
		*nn = P->ncl;
		h->release(cm);
		h->release(cn);
	}
	else
	{
		for (i0 = 0; i0 < n; i0 += ATTGT_CHUNK)
		{
			int			i1 = Min(n, i0 + ATTGT_CHUNK);

			attgt_lin_eval_set(r, l, cnt, i0, i1, buf);
			/*
			 * a batch of draws at a time: one hash per unit serves the
			 * batch, and its rows of bres stay in cache; each row still
			 * sums the units in order (adding v * psi with v = +-1 is
			 * adding or subtracting psi exactly)
			 */
			for (b = 0; b < B; b += BOOT_BATCH)
			{
				int			nb = Min(BOOT_BATCH, B - b);

				h->interrupt();
				for (i = i0; i < i1; i++)
				{
					const double *row = buf + (long) (i - i0) * cnt;
					uint32_t	bits = draw_bits(seed, b / BOOT_BATCH, i);

					for (j = 0; j < nb; j++)
						boot_axpy(bres + (long) (b + j) * cnt, ((bits >> j) & 1) ? 1.0 : -1.0,
								  row, cnt);
				}
			}
		}
		*nn = n;
	}
	h->release(buf);
}

/*
 * Bootstrap SEs of m functionals (se[m], NaN when degenerate) and the
 * uniform critical value over them: bres_b = sqrt(n) mean_i(v_bi psi_i)
 * (clustered: sqrt(G) mean_c(v_bc mean_{i in c} psi_i)), se = IQR /
 * (q.75 - q.25 of N(0,1)) / sqrt(n or G), crit = (1 - alpha) quantile of
 * max_j |bres_bj / sigma_j|, as in did::mboot. With l NULL the m = ncells
 * functionals are the cells themselves (built here, a block at a time).
 * plan comes from attgt_boot_plan with the same m and l == NULL.
 */
void
attgt_boot_run(const AttgtRun *r, AttgtLin **l, int m, const AttgtBootPlan *planp,
			   double *se, double *crit)
{
	const AttgtHooks *h = r->hooks;
	AttgtBootPlan plan = *planp;
	int			B = r->spec.bootstrap,
				b,
				j,
				j0,
				pass;
	double	   *bres = h->alloc(sizeof(double) * B * plan.block, false);
	double	   *sigma = ALLOC(sizeof(double) * m);
	double	   *col = ALLOC(sizeof(double) * B);
	double	   *bt = ALLOC(sizeof(double) * B);
	double		nn = 1.0;
	double		iqr_n = si_norm_quantile(0.75) - si_norm_quantile(0.25);

	for (b = 0; b < B; b++)
		bt[b] = -INFINITY;
	/* pass 0: standard errors (and max t when one block holds them all); pass 1: max t */
	for (pass = 0; pass < (plan.block < m ? 2 : 1); pass++)
		for (j0 = 0; j0 < m; j0 += plan.block)
		{
			int			cnt = Min(plan.block, m - j0);
			AttgtLin  **lb;

			if (l)
				lb = l + j0;
			else
			{
				lb = ALLOC(sizeof(AttgtLin *) * cnt);
				for (j = 0; j < cnt; j++)
				{
					lb[j] = attgt_lin_new(r);
					lb[j]->cw[j0 + j] = 1.0;
				}
			}
			boot_draws(r, lb, cnt, &plan, bres, &nn);
			if (l == NULL)
			{
				for (j = 0; j < cnt; j++)
					attgt_lin_free(r, lb[j]);
				h->release(lb);
			}
			/* bres = sqrt(nn) * mean over units (clusters) = sum / sqrt(nn) */
			for (j = 0; j < cnt; j++)
			{
				double		s = sqrt(nn);

				for (b = 0; b < B; b++)
					bres[(long) b * cnt + j] /= s;
			}
			if (pass == 0)
				for (j = 0; j < cnt; j++)
				{
					double		ss = 0.0;
					int			jj = j0 + j;

					h->interrupt();
					for (b = 0; b < B; b++)
					{
						col[b] = bres[(long) b * cnt + j];
						ss += col[b] * col[b];
					}
					if (!(ss > ATTGT_SE_ZERO))
					{
						sigma[jj] = NAN;
						se[jj] = NAN;
						continue;
					}
					sigma[jj] = (quantile_type1(col, B, 0.75) - quantile_type1(col, B, 0.25)) / iqr_n;
					if (sigma[jj] <= ATTGT_SE_ZERO)
						sigma[jj] = NAN;
					se[jj] = sigma[jj] / sqrt(nn);
				}
			if (pass == 1 || plan.block >= m)
			{
				h->interrupt();
				for (b = 0; b < B; b++)
				{
					double		mx = bt[b];

					for (j = 0; j < cnt; j++)
						if (!isnan(sigma[j0 + j]))
						{
							double		z = fabs(bres[(long) b * cnt + j] / sigma[j0 + j]);

							if (z > mx)
								mx = z;
						}
					bt[b] = mx;
				}
			}
		}
	*crit = quantile_type1(bt, B, 1.0 - r->spec.alpha);
	h->release(bres);
	h->release(sigma);
	h->release(col);
	h->release(bt);
}
