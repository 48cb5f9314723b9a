/*
 * attgt_boot.h — att_gt's multiplier bootstrap (did::mboot), free of
 * PostgreSQL. The caller plans (attgt_boot_plan against its memory
 * limit), reports a plan that does not fit or that splits the draws into
 * blocks, then runs it (attgt_boot_run). See docs/methods.md, *Group-time
 * average treatment effects*, "Multiplier bootstrap (did::mboot)" and
 * "Bootstrap memory".
 */
#ifndef SI_ATTGT_BOOT_H
#define SI_ATTGT_BOOT_H

#include "attgt_core.h"

/* draws per SplitMix64 hash: draw b uses bit b % BOOT_BATCH of hash b / BOOT_BATCH */
#define BOOT_BATCH 16

/*
 * The draws of a functional (B doubles) are needed whole for its IQR and
 * for the maximum t over functionals, so the B x m matrix of draws is the
 * large part. When it does not fit in the limit together with the rest,
 * the functionals are taken in blocks of `block`, and the draws are
 * generated twice from the seed (once for the standard errors, once for
 * the maximum t): the same numbers, twice the time. Sizes are estimated
 * in double precision (no integer overflow).
 */
typedef struct AttgtBootPlan
{
	bool		fast;			/* no covariates: sums per cohort and period */
	int			block;			/* functionals per block */
	double		accmem;			/* bytes for the fast path's accumulators */
	double		onepass;		/* bytes needed to draw everything in one pass */
	double		least;			/* bytes needed for one functional */
} AttgtBootPlan;

/* 0, or -1 when even one functional needs more than limit bytes (plan->least) */
extern int	attgt_boot_plan(const AttgtRun *r, int m, bool own_lins, double limit,
							AttgtBootPlan *plan);

/*
 * Standard errors se[0..m) (NaN when degenerate) and the uniform critical
 * value of the functionals l[0..m); l NULL means the m = ncells cells.
 */
extern void attgt_boot_run(const AttgtRun *r, AttgtLin **l, int m, const AttgtBootPlan *plan,
						   double *se, double *crit);

/* the 16 draws of batch `batch` for unit (cluster) j, and draw b as +-1 */
extern uint32_t attgt_draw_bits(uint64_t seed, int batch, int j);
extern double attgt_rademacher(uint64_t seed, int b, int j);

#endif
