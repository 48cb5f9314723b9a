/*
 * partial_state.h — the partial states of the path aggregates
 * (benefit_path, benefit_path_from_spells, benefit_paths,
 * selfsufficiency_states) as real SQL types instead of internal.
 *
 * Why: Citus splits an aggregate into worker partials and a coordinator
 * combine only when its state type is a real type (not a pseudo-type such
 * as internal): it ships the workers' states as the type's text form.
 * With internal states every row went to the coordinator. A partial state
 * is an expanded object (utils/expandeddatum.h) while the aggregate runs:
 * the C state it always had, updated in place by the transition and
 * combine functions (no copy per row); stored, sent or printed it is the
 * state's versioned serialized bytes (text form: those bytes in hex), read
 * back only through the state's own validating reader.
 *
 * Owns: the expanded-object wrapper, its flat form and the type I/O shared
 * by the four types. Must not touch: the states themselves (path_build.c,
 * paths_stream.c, selfsufficiency/rates_windows.c), which give their
 * serializer and validating reader in an SiPartialKind.
 */
#ifndef SI_PARTIAL_STATE_H
#define SI_PARTIAL_STATE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

typedef struct SiPartialKind
{
	const char *typname;		/* the SQL type, for messages */
	/* the state's versioned bytes, palloc'd in CurrentMemoryContext */
	bytea	   *(*serialize) (void *state);
	/*
	 * A state read from bytes, allocated in ctx; every field validated,
	 * errors 22P02 naming typname and what is wrong (bytes may come from a
	 * user's text input).
	 */
	void	   *(*deserialize) (const char *data, int len, MemoryContext ctx);
	/*
	 * b's contents added to a (a NULL: a new state), allocating in ctx;
	 * returns the state (a, or the new one). b is never changed.
	 */
	void	   *(*merge) (void *a, const void *b, MemoryContext ctx);
} SiPartialKind;

typedef struct SiPartial
{
	ExpandedObjectHeader hdr;
	const SiPartialKind *kind;
	void	   *state;			/* allocated in hdr.eoh_context */
	bytea	   *flat;			/* cached serialized form, NULL when stale */
} SiPartial;

/* an empty partial (state NULL) in a new child context of parent */
extern SiPartial *si_partial_new(const SiPartialKind *kind, MemoryContext parent);

/*
 * Argument argno of a transition or combine function, to update: NULL
 * when the argument is NULL; the argument itself when it is a read-write
 * object of this kind (the aggregate's own state: PostgreSQL passes the
 * state it owns read-write, so no check costs a call per row); else a
 * copy read into a new object under the aggregate's context (the caller's
 * value is not changed). fn names the function in the error outside an
 * aggregate.
 */
extern SiPartial *si_partial_arg_rw(FunctionCallInfo fcinfo, int argno, const SiPartialKind *kind,
									const char *fn);

/* the methods of every partial (to recognise one without a call) */
extern const ExpandedObjectMethods si_partial_methods;

/*
 * si_partial_arg_rw's common case inline (a transition's state, once per
 * row): the argument itself when it is a read-write partial of this kind.
 */
static inline SiPartial *
si_partial_arg_rw_fast(FunctionCallInfo fcinfo, int argno, const SiPartialKind *kind, const char *fn)
{
	if (!PG_ARGISNULL(argno))
	{
		Pointer		v = DatumGetPointer(PG_GETARG_DATUM(argno));

		if (VARATT_IS_EXTERNAL_EXPANDED_RW(v))
		{
			SiPartial  *p = (SiPartial *) DatumGetEOHP(PointerGetDatum(v));

			if (p->hdr.eoh_methods == &si_partial_methods && p->kind == kind)
				return p;
		}
	}
	return si_partial_arg_rw(fcinfo, argno, kind, fn);
}

/* an empty partial under the aggregate's context (fn: as above) */
extern SiPartial *si_partial_start(FunctionCallInfo fcinfo, const SiPartialKind *kind, const char *fn);

/* argument argno's state to read (NULL for NULL): no copy when expanded */
extern void *si_partial_arg_ro(FunctionCallInfo fcinfo, int argno, const SiPartialKind *kind);

/* the read-write datum to return after changing p's state */
extern void si_partial_drop_flat(SiPartial *p);
static inline Datum
si_partial_datum(SiPartial *p)
{
	if (unlikely(p->flat != NULL))
		si_partial_drop_flat(p);
	return EOHPGetRWDatum(&p->hdr);
}

/* type I/O: text (hex of the bytes), binary (the bytes); input validated */
/*
 * The combine function of every partial type: argument 1 merged into
 * argument 0 (updated in place when it is this aggregate's expanded
 * partial) with kind->merge; fn names the function for messages.
 */
extern Datum si_partial_combine(FunctionCallInfo fcinfo, const SiPartialKind *kind, const char *fn);

extern Datum si_partial_in(const char *str, const SiPartialKind *kind);
extern char *si_partial_out(Datum d, const SiPartialKind *kind);
extern Datum si_partial_recv(StringInfo buf, const SiPartialKind *kind);
extern bytea *si_partial_send(Datum d, const SiPartialKind *kind);

/* 22P02: invalid <typname> state, why (for the kinds' readers) */
extern void si_partial_corrupt(const SiPartialKind *kind, const char *why) pg_attribute_noreturn();

#endif
