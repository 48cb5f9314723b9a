/*
 * fuzz_km_state.c — km_state input, output, receive and send, the extension's own
 * functions (see fuzz_typeio.h for the properties checked).
 */
#include "fuzz_typeio.h"

extern Datum si_km_in(PG_FUNCTION_ARGS);
extern Datum si_km_out(PG_FUNCTION_ARGS);
extern Datum si_km_recv(PG_FUNCTION_ARGS);
extern Datum si_km_send(PG_FUNCTION_ARGS);

static const FuzzType types[] = {
	{"km_state", si_km_in, si_km_out, si_km_recv, si_km_send},
};

int
LLVMFuzzerTestOneInput(const uint8 *data, size_t size)
{
	return fuzz_typeio(types, lengthof(types), data, size);
}
