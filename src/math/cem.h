/*
 * cem.h — coarsened exact matching, free of PostgreSQL: no postgres.h, no
 * allocation (the caller passes the work buffer), no I/O.
 *
 * Owns the coarsening (Sturges bins, user cut points, the bin of a value),
 * the strata (units equal on every coarsened column), the numbering of the
 * strata that hold both groups and the ATT weights, as docs/methods.md,
 * *Coarsened exact matching*, states them (MatchIt's method = "cem").
 * The glue (src/matching/match.c) reads the table, turns factor levels
 * into integer codes and writes the rows.
 */
#ifndef SI_CEM_H
#define SI_CEM_H

#include <stddef.h>
#include <stdint.h>

/* Sturges' number of bins for n values: ceil(log2(n) + 1) (n >= 1). */
extern int	si_cem_sturges_bins(int64_t n);

/*
 * The interior breaks of nbins equal-width bins over [lo, hi]:
 * breaks[i-1] = lo + i * ((hi - lo) / nbins), i = 1 .. nbins-1 (the outer
 * ones are -inf and +inf). Writes nbins - 1 values.
 */
extern void si_cem_equal_breaks(double lo, double hi, int nbins, double *breaks);

/*
 * Bin of x among sorted, distinct breaks: the number of breaks <= x
 * (a value on a break goes to the upper bin). 0 .. nbreaks.
 */
extern int64_t si_cem_bin(double x, const double *breaks, int nbreaks);

/* Bytes of the work buffer of si_cem_subclass for n units (0 if too large). */
extern size_t si_cem_work_bytes(int64_t n);

/*
 * Strata and subclasses. codes is n rows of ncols int64 (row-major): the
 * coarsened value of each column. A stratum is a set of units with equal
 * rows; strata with at least one treated and one control unit become
 * subclasses 1..K, numbered in the order of their first control unit in
 * index order. subclass[n] gets the unit's subclass or 0 (not matched).
 * Returns K. work: si_cem_work_bytes(n) bytes, aligned for int64.
 */
extern int64_t si_cem_subclass(int64_t n, int ncols, const int64_t *codes,
							   const unsigned char *treated, int64_t *subclass,
							   void *work);

/*
 * ATT weights of subclasses 1..K (0 = unmatched): treated units 1,
 * controls n1_s / n0_s of their subclass, rescaled so that the matched
 * controls' weights sum to their count; 0 for unmatched units. counts
 * needs 2 * (K + 1) int64. Returns the number of matched units.
 */
extern int64_t si_cem_weights(int64_t n, const unsigned char *treated,
							  const int64_t *subclass, int64_t nsub,
							  int64_t *counts, double *weight);

#endif							/* SI_CEM_H */
