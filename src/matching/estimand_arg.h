/*
 * estimand_arg.h — the estimand argument ('att' / 'ate') of the weighting
 * and balance SQL functions, read the same way by both (defined in
 * src/matching/weighting.c). PostgreSQL glue only.
 */
#ifndef SI_ESTIMAND_ARG_H
#define SI_ESTIMAND_ARG_H

#include "postgres.h"

#include "fmgr.h"

#include "weighting.h"

/* argument argno as an estimand: NULL = 'att'; 22023 naming fname otherwise */
extern SiEstimand si_estimand_arg(FunctionCallInfo fcinfo, int argno, const char *fname);

#endif
