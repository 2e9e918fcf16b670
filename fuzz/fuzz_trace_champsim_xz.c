/*
 * fuzz_trace_champsim_xz.c — libFuzzer target of the ChampSim import's xz decoder
 * (workloads/byte_stream.c, see fuzz_trace.h): the input is a ".xz" file, decompressed and read
 * as input_instr or cloudsuite_instr records (chosen by the input's length).
 */
#include "fuzz/fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_read_opts opts = {.page_size = 4096, .champsim_cloudsuite = (int)(size & 1)};
	fuzz_trace_run_named(&trace_format_champsim, ".champsimtrace.xz", &opts, data, size);
	return 0;
}
