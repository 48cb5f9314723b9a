/*
 * fuzz_did_state.c — did_state input, output, receive and send, the extension's own
 * functions (see fuzz_typeio.h for the properties checked).
 */
#include "fuzz_typeio.h"

extern Datum si_did_state_in(PG_FUNCTION_ARGS);
extern Datum si_did_state_out(PG_FUNCTION_ARGS);
extern Datum si_did_state_recv(PG_FUNCTION_ARGS);
extern Datum si_did_state_send(PG_FUNCTION_ARGS);

static const FuzzType types[] = {
	{"did_state", si_did_state_in, si_did_state_out, si_did_state_recv, si_did_state_send},
};

int
LLVMFuzzerTestOneInput(const uint8 *data, size_t size)
{
	return fuzz_typeio(types, lengthof(types), data, size);
}
