/*
 * socialinvest.c — module entry point.
 *
 * Each SQL concept has its own C file (calendar.c, codemap.c, ...); the
 * PostgreSQL-free mathematics lives in src/math/.
 *
 * Owns PG_MODULE_MAGIC only; must not grow SQL functions.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
