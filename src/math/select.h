/*
 * select.h — the k-th smallest of an array of doubles (quickselect),
 * for order statistics of bootstrap draws without a full sort.
 * No postgres.h here.
 */
#ifndef SI_SELECT_H
#define SI_SELECT_H

#include <stddef.h>

/*
 * The k-th smallest (0-based) of x[0..n): the value x[k] would have after
 * sorting ascending. Reorders x. x must not contain NaN; 0 <= k < n.
 * Expected O(n); falls back to sorting a range that does not shrink.
 */
extern double si_select_kth(double *x, size_t n, size_t k);

#endif
