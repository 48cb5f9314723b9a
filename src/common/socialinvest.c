/*
 * socialinvest.c — module entry point.
 *
 * Each SQL concept has its own C file (calendar.c, codemap.c, ...); the
 * PostgreSQL-free mathematics lives in src/math/.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
