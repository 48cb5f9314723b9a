/*
 * km.h — Kaplan-Meier product-limit estimate with Greenwood variance,
 * free of PostgreSQL.
 *
 * Input: distinct times in increasing order with the number of events and
 * of right-censored observations at each (censored at t = still at risk
 * at t). Output: one row per input time.
 */
#ifndef SI_KM_H
#define SI_KM_H

#include <stdint.h>

typedef struct KmPoint
{
	int32_t		time;
	int32_t		pad;
	int64_t		events;
	int64_t		censored;
} KmPoint;

typedef enum KmConfType
{
	KM_CI_LOGLOG = 0,			/* S^exp(+-z se/|log S|): Kalbfleisch & Prentice */
	KM_CI_PLAIN = 1,			/* S +- z * Greenwood se, clipped to [0, 1] */
	KM_CI_LOG = 2				/* S * exp(+-z se/S), clipped to [0, 1] */
} KmConfType;

typedef struct KmRow
{
	int32_t		time;
	int64_t		at_risk;
	int64_t		events;
	int64_t		censored;
	double		survival;
	double		std_err;		/* Greenwood standard error of S */
	double		lower;			/* NaN when undefined */
	double		upper;
} KmRow;

/* Fill rows[0..n-1]; z = normal quantile of (1 + level)/2 (si_norm_quantile). */
extern void km_curve(const KmPoint *pts, int n, double z, KmConfType ct, KmRow *rows);

/*
 * Smallest time with S(t) <= q (q = 0.5 for the median); -1 if the
 * curve never gets there.
 */
extern int32_t km_quantile_time(const KmRow *rows, int n, double q);

/*
 * S(k): survival just after time k; returns 0 and sets *s, or -1 when k
 * is beyond the last time and the curve has not reached 0 (unknown).
 */
extern int	km_survival_at(const KmRow *rows, int n, int32_t k, double *s);

#endif
