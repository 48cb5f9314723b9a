/*
 * fuzz_cashflows.c — cashflows input, output, receive and send, the extension's own
 * functions (see fuzz_typeio.h for the properties checked).
 */
#include "fuzz_typeio.h"

extern Datum si_cashflows_in(PG_FUNCTION_ARGS);
extern Datum si_cashflows_out(PG_FUNCTION_ARGS);
extern Datum si_cashflows_recv(PG_FUNCTION_ARGS);
extern Datum si_cashflows_send(PG_FUNCTION_ARGS);

static const FuzzType types[] = {
	{"cashflows", si_cashflows_in, si_cashflows_out, si_cashflows_recv, si_cashflows_send},
};

int
LLVMFuzzerTestOneInput(const uint8 *data, size_t size)
{
	return fuzz_typeio(types, lengthof(types), data, size);
}
