/*
 * fuzz_trace_champsim.c — libFuzzer target of the ChampSim import, uncompressed (see
 * fuzz_trace.h): the input is a plain trace, read as input_instr or cloudsuite_instr records
 * with or without instruction fetches (chosen by the input's length).
 */
#include "fuzz/fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_read_opts opts = {.page_size = 4096,
	                               .champsim_cloudsuite = (int)(size & 1),
	                               .champsim_no_ifetch = (int)((size >> 1) & 1)};
	fuzz_trace_run_named(&trace_format_champsim, ".champsimtrace", &opts, data, size);
	return 0;
}
