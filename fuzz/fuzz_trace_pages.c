/*
 * fuzz_trace_pages.c — libFuzzer target of the pages trace reader (see fuzz_trace.h): the input is
 * a pages file, read to its end or its first error.
 */
#include "fuzz/fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_trace_run(&trace_format_pages, data, size);
	return 0;
}
