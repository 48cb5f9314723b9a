/*
 * fuzz_typeio.h — one libFuzzer harness body for a type's four I/O
 * functions. The first input byte chooses the form (even: text input,
 * odd: binary receive); the rest is the value. Whatever the input, the
 * functions must return or raise an error with a SQLSTATE other than
 * XX000, and a value they accept must round-trip: out(in(out(v))) ==
 * out(v), send(recv(send(v))) == send(v), and the text and binary forms
 * of a value must describe the same value.
 */
#ifndef SI_FUZZ_TYPEIO_H
#define SI_FUZZ_TYPEIO_H

#include "pg_shim.h"

typedef struct FuzzType
{
	const char *name;
	PGFunction	in,
				out,
				recv,
				send;
} FuzzType;

static void
fuzz_require(bool ok, const FuzzType *t, const char *what)
{
	if (!ok)
		fuzz_fail(t->name, what);
}

static void
fuzz_check_value(const FuzzType *t, Datum v)
{
	Datum		r,
				v2,
				v3;
	char	   *t1,
			   *t2;
	const uint8 *b1,
			   *b2;
	size_t		n1,
				n2;

	fuzz_require(fuzz_call1(t->out, v, &r), t, "output of an accepted value failed");
	t1 = DatumGetCString(r);
	fuzz_require(fuzz_call1(t->in, CStringGetDatum(t1), &v2), t, "its own text output is rejected");
	fuzz_require(fuzz_call1(t->out, v2, &r), t, "output failed after round trip");
	t2 = DatumGetCString(r);
	fuzz_require(strcmp(t1, t2) == 0, t, "text round trip changed the value");

	fuzz_require(fuzz_call1(t->send, v, &r), t, "send of an accepted value failed");
	fuzz_bytes(r, &b1, &n1);
	fuzz_require(fuzz_call1(t->recv, PointerGetDatum(fuzz_msg(b1, n1)), &v3), t,
				 "its own binary output is rejected");
	fuzz_require(fuzz_call1(t->send, v3, &r), t, "send failed after round trip");
	fuzz_bytes(r, &b2, &n2);
	fuzz_require(n1 == n2 && memcmp(b1, b2, n1) == 0, t, "binary round trip changed the value");
	fuzz_require(fuzz_call1(t->out, v3, &r), t, "output of a received value failed");
	fuzz_require(strcmp(DatumGetCString(r), t1) == 0, t, "text and binary forms disagree");
}

static int
fuzz_typeio(const FuzzType *types, int ntypes, const uint8 *data, size_t size)
{
	const FuzzType *t;
	Datum		v;
	bool		ok;

	if (size < 1)
		return 0;
	t = &types[(data[0] >> 1) % ntypes];
	if ((data[0] & 1) == 0)
		ok = fuzz_call1(t->in, CStringGetDatum(fuzz_cstring(data + 1, size - 1)), &v);
	else
		ok = fuzz_call1(t->recv, PointerGetDatum(fuzz_msg(data + 1, size - 1)), &v);
	if (ok)
		fuzz_check_value(t, v);
	fuzz_reset();
	return 0;
}

#endif
