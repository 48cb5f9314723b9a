/*
 * match.h — greedy nearest-neighbour matching on a one-dimensional
 * distance (propensity score or its logit), free of PostgreSQL: no
 * postgres.h, no allocation (the caller passes one work buffer), no I/O.
 *
 * Owns the matching rules of docs/methods.md, *Nearest-neighbour matching*
 * (MatchIt's method = "nearest" with a vector distance): the processing
 * order of treated units, the left/right choice and its tie rule, the
 * caliper, exact strata, k:1 rounds, with or without replacement, and the
 * ATT weights of the matched set. The glue (src/matching/match.c) reads the
 * table, computes the distance and the caliper width and writes the rows.
 *
 * Units are identified by their index 0..n-1; that index order is the
 * "data order" that breaks every tie (the glue sorts by unit id first).
 */
#ifndef SI_MATCH_H
#define SI_MATCH_H

#include <stddef.h>
#include <stdint.h>

typedef enum SiMatchOrder
{
	SI_MATCH_LARGEST = 0,		/* treated by decreasing distance (MatchIt's default) */
	SI_MATCH_SMALLEST = 1,		/* by increasing distance */
	SI_MATCH_DATA = 2,			/* in data (index) order */
	SI_MATCH_RANDOM = 3			/* a seeded random permutation */
} SiMatchOrder;

typedef struct SiMatchProblem
{
	int64_t		n;				/* units */
	const double *distance;		/* n finite values */
	const unsigned char *treated;	/* n: 1 treated, 0 control */
	const int64_t *stratum;		/* n exact-matching strata, or NULL (one stratum) */
	int			ratio;			/* controls per treated, >= 1 */
	int			replace;		/* a control may serve several treated units */
	double		caliper;		/* max |distance difference|; < 0 = none */
	SiMatchOrder order;
	uint64_t	seed;			/* SI_MATCH_RANDOM only */
	void		(*check_interrupt) (void);	/* called now and then, or NULL */
} SiMatchProblem;

/* Bytes of the work buffer si_match_nearest needs for n units (0 if n is too large). */
extern size_t si_match_nearest_work_bytes(int64_t n);

/*
 * Match. match[n1 * ratio] receives, for the i-th treated unit in index
 * order (row i) and round r (column r), the index of its control or -1.
 * Each treated unit gets at most one control per round; round r starts
 * after every treated unit has had round r-1. Returns n1 (treated units).
 * work must hold si_match_nearest_work_bytes(n) bytes, aligned for int64.
 */
extern int64_t si_match_nearest(const SiMatchProblem *p, int64_t *match, void *work);

/*
 * ATT weights and subclasses of a matched set (docs/methods.md,
 * *Nearest-neighbour matching*): a treated unit with at least one control
 * weighs 1; a control weighs the sum, over the treated units it serves, of
 * 1 / (that unit's number of controls), rescaled so that the matched
 * controls' weights sum to their count. weight[n] gets 0 for unmatched
 * units. subclass[n] (or NULL) gets, without replacement, 1.. numbered by
 * the treated units' index order (a control takes its treated unit's), 0
 * for unmatched units and for everyone when replace is set (a control may
 * sit in several pairs). Returns the number of matched units.
 */
extern int64_t si_match_weights(int64_t n, const unsigned char *treated, int ratio,
								 int replace, const int64_t *match,
								 double *weight, int64_t *subclass);

#endif							/* SI_MATCH_H */
