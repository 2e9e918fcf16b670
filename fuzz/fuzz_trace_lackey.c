/*
 * fuzz_trace_lackey.c — libFuzzer target of the lackey trace reader (see fuzz_trace.h): the input
 * is a lackey file, read to its end or its first error.
 */
#include "fuzz/fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_trace_run(&trace_format_lackey, data, size);
	return 0;
}
