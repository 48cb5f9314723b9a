/*
 * fuzz_rate_state.c — selfsufficiency_state, fte_state and indicator_state
 * input, output, receive and send (src/rates.c, src/monitor_state.c,
 * src/state_io.c).
 */
#include "fuzz_typeio.h"

extern Datum si_rate_in(PG_FUNCTION_ARGS);
extern Datum si_rate_out(PG_FUNCTION_ARGS);
extern Datum si_rate_recv(PG_FUNCTION_ARGS);
extern Datum si_rate_send(PG_FUNCTION_ARGS);
extern Datum si_fte_in(PG_FUNCTION_ARGS);
extern Datum si_fte_out(PG_FUNCTION_ARGS);
extern Datum si_fte_recv(PG_FUNCTION_ARGS);
extern Datum si_fte_send(PG_FUNCTION_ARGS);
extern Datum si_indicator_in(PG_FUNCTION_ARGS);
extern Datum si_indicator_out(PG_FUNCTION_ARGS);
extern Datum si_indicator_recv(PG_FUNCTION_ARGS);
extern Datum si_indicator_send(PG_FUNCTION_ARGS);

static const FuzzType types[] = {
	{"selfsufficiency_state", si_rate_in, si_rate_out, si_rate_recv, si_rate_send},
	{"fte_state", si_fte_in, si_fte_out, si_fte_recv, si_fte_send},
	{"indicator_state", si_indicator_in, si_indicator_out, si_indicator_recv, si_indicator_send},
};

int
LLVMFuzzerTestOneInput(const uint8 *data, size_t size)
{
	return fuzz_typeio(types, lengthof(types), data, size);
}
