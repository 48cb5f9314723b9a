/*
 * rates.h — the self-sufficiency rate state (selfsufficiency_state) and
 * its per-person update and merge, shared by the one-window aggregate
 * selfsufficiency_state (rates.c) and the many-window aggregate
 * selfsufficiency_states (rates_windows.c), so that both give the same
 * state bit for bit.
 *
 * Must not touch: anything but the rate state (the fte state is rates.c's
 * own).
 */
#ifndef SI_RATES_H
#define SI_RATES_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "runpath.h"

#define RATE_VERSION 1

typedef struct RateState
{
	int32		vl_len_;
	int32		version;
	int64		persons;		/* persons with at least one observed week */
	int64		persons_unobserved; /* every window week censored or outside the path */
	int64		paths_missing;	/* NULL paths fed */
	int64		self_weeks;
	int64		observed_weeks; /* self + benefit + unknown */
	int64		censored_weeks;
	int64		unknown_weeks;
	int64		unobserved_weeks;
	double		sum_w;			/* weights of persons with a share */
	double		mean;			/* weighted mean of the shares */
	double		m2;				/* weighted sum of squared deviations */
	double		w_self;			/* weighted self weeks */
	double		w_observed;		/* weighted observed weeks */
} RateState;

/* An empty state in place (varlena header and version set). */
extern void si_rate_init(RateState *st);

/* The weight argument: NULL, <= 0 or not finite is an error. */
extern double si_rate_weight_arg(FunctionCallInfo fcinfo, int argno);

/* One person with these week counts in the window and weight w. */
extern void si_rate_add_person(RateState *st, const int64 n[RUNPATH_NSTATES], double w);

/* a += b (sums; Chan/West merge of the weighted mean). */
extern void si_rate_merge(RateState *a, const RateState *b);

/* Binary form (as selfsufficiency_state_send / _recv; recv validates). */
extern void si_rate_send_fields(StringInfo buf, const RateState *st);
extern void si_rate_recv_fields(StringInfo buf, RateState *st, const char *what);

#endif
