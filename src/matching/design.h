/*
 * design.h — the one covariate reader of the comparison-group functions
 * (propensity scores, matching, weighting, balance): a table read once
 * through SPI, as the caller, into a unit id, a treatment flag, an
 * optional weight, a model matrix (numeric and boolean columns as they
 * are, text columns expanded into indicators) and optional raw text
 * columns. It owns the reading and the checks of the input; it does no
 * estimation (that is src/math) and builds no SQL results.
 */
#ifndef SI_DESIGN_H
#define SI_DESIGN_H

#include "postgres.h"

#include "fmgr.h"

/* at most this many terms (columns of x, factors expanded) */
#define SI_DESIGN_MAX_TERMS 1000

typedef struct SiDesign
{
	int64		n;				/* rows kept */
	int64		n_dropped;		/* rows with a NULL in a used column */
	int			p;				/* terms (columns of x), intercept NOT included */
	int64	   *unit;			/* n */
	bool	   *treated;		/* n */
	double	   *x;				/* n * p, row-major */
	double	   *weight;			/* n, or NULL when no weight column */
	char	  **term;			/* p term names ("age", "race=hispan") */
	int		   *term_column;	/* p: index into the covariate_columns argument */
	int			ncolumns;		/* length of covariate_columns */
	char	  **column;			/* ncolumns names */
	bool	   *column_is_factor;
	/* optional extra columns read as raw text for exact matching strata */
	int			nextra;
	char	  **extra_value;	/* n * nextra, NUL-terminated text of each value, or NULL */
	/* counts of the rows kept */
	int64		n_treated;
	int64		n_control;
} SiDesign;

/*
 * Read relation once through SPI as the caller.
 *
 * Checks, each an ereport naming the argument and the fix:
 * - privileges as a SELECT of the columns (schema USAGE, table or column
 *   SELECT; the query runs as the caller, so row-level security applies);
 * - the columns exist (22004 for a NULL name, 42703 listing the table's
 *   columns) and have usable types: unit smallint/integer/bigint (text and
 *   uuid: 0A000, map them to bigint first), treatment boolean or integer
 *   0/1, covariates numeric/boolean/text-like/enum, weight numeric;
 * - a row with a NULL in any used column is dropped and counted
 *   (n_dropped, and a NOTICE naming fname and the count);
 * - units distinct; treatment 0/1; covariates and weights finite; weights
 *   >= 0 (a zero weight is kept: the callers decide what it means);
 * - every covariate column non-NULL somewhere and not constant among the
 *   rows kept; at least one treated and one control row kept.
 * Text-like and enum covariates become factors: one 0/1 term per level
 * except the first in byte order (C collation), named "column=level",
 * as R's model.matrix with treatment contrasts on sorted levels.
 * Any of weight_column / extra_columns may be NULL (nextra 0). Everything
 * is allocated in the caller's memory context. fname names the SQL
 * function in messages.
 */
extern SiDesign *si_design_read(Oid relid, const char *unit_column, const char *treatment_column,
								const char *const *covariate_columns, int ncovariates,
								const char *weight_column,
								const char *const *extra_columns, int nextra,
								const char *fname);

/*
 * Argument helpers for the SQL functions. si_design_name_arg: the name at
 * argno as a C string; NULL when the argument is NULL and !required,
 * 22004 naming argname when required. si_design_names_arg: a name[]
 * argument as an array of C strings (*n entries); NULL with *n = 0 when
 * the argument is NULL and !required; a NULL element or a
 * multi-dimensional array is an error naming argname.
 */
extern const char *si_design_name_arg(FunctionCallInfo fcinfo, int argno, const char *argname,
									  bool required);
extern const char **si_design_names_arg(FunctionCallInfo fcinfo, int argno, const char *argname,
										bool required, int *n);

/* the relation argument (argno 0 by convention): 22004 when NULL */
extern Oid	si_design_relation_arg(FunctionCallInfo fcinfo, int argno, const char *fname);

#endif
