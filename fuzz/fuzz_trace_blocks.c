/*
 * fuzz_trace_blocks.c — libFuzzer target of the caching literature's text traces
 * (workloads/trace_blocks.c, see fuzz_trace.h): the input's first byte picks the format (lis,
 * trc, txt, csv) and the csv options (id column 1 or 2, operation column 0..3, header, ',' or
 * tab); the rest is the file.
 */
#include "fuzz/fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const struct trace_format *const fmts[] = {&trace_format_lis, &trace_format_trc,
	                                                  &trace_format_txt, &trace_format_csv};
	unsigned b = data[0];
	struct trace_read_opts opts = {.page_size = 4096,
	                               .block_as_reads = (int)((b >> 2) & 1),
	                               .csv_obj_id_col = 1 + ((b >> 3) & 1),
	                               .csv_op_col = (b >> 4) & 3,
	                               .csv_has_header = (int)((b >> 6) & 1),
	                               .csv_delimiter = (b >> 7) ? '\t' : ','};
	fuzz_trace_run_opts(fmts[b & 3], &opts, data + 1, size - 1);
	return 0;
}
