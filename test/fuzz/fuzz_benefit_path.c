/*
 * fuzz_benefit_path.c — benefit_path input, output, receive and send, the extension's own
 * functions (see fuzz_typeio.h for the properties checked).
 */
#include "fuzz_typeio.h"

extern Datum si_path_in(PG_FUNCTION_ARGS);
extern Datum si_path_out(PG_FUNCTION_ARGS);
extern Datum si_path_recv(PG_FUNCTION_ARGS);
extern Datum si_path_send(PG_FUNCTION_ARGS);

static const FuzzType types[] = {
	{"benefit_path", si_path_in, si_path_out, si_path_recv, si_path_send},
};

int
LLVMFuzzerTestOneInput(const uint8 *data, size_t size)
{
	return fuzz_typeio(types, lengthof(types), data, size);
}
