/*
 * fuzz_trace_vmb.c — libFuzzer target of the vmb trace reader (see fuzz_trace.h): the input is
 * a vmb file, read to its end or its first error through trace_source; then, differentially,
 * the format's read() and read_batch() (the one-record decoder and the window decoder) must give
 * the same ops, positions and error, with the portable decoder and with the pext one (the
 * portable one twice where the host lacks pext, or under VMSIM_VMB_PORTABLE=1).
 */
#include "fuzz/fuzz_trace.h"

#include <string.h>

#define FUZZ_VMB_BATCH 64

/* One op of a stream, compared field by field (names compared as strings). */
static int fuzz_op_differs(const struct op *a, const struct op *b)
{
	if (a->kind != b->kind || a->pid != b->pid || a->addr != b->addr || a->len != b->len ||
	    a->arg != b->arg || a->offset != b->offset || a->prot != b->prot ||
	    a->flags != b->flags)
		return 1;
	if (!a->name || !b->name)
		return a->name != b->name;
	return strcmp(a->name, b->name) != 0;
}

static void fuzz_vmb_differential(const char *path, int portable)
{
	struct trace_read_opts opts = {.page_size = 4096, .vmb_portable = portable};
	struct err e1 = {{0}}, e2 = {{0}};
	void *r1, *r2;
	int o1 = trace_format_vmb.open(&r1, path, &opts, &e1);
	int o2 = trace_format_vmb.open(&r2, path, &opts, &e2);
	if (o1 != o2)
		abort();
	if (o1 < 0)
		return;
	struct op batch[FUZZ_VMB_BATCH], one;
	int rc1 = 0, rc2 = 0;
	unsigned n = 0;
	while (n < FUZZ_TRACE_MAX_OPS) {
		memset(batch, 0, sizeof(batch));
		rc2 = trace_format_vmb.read_batch(r2, batch, FUZZ_VMB_BATCH, &e2);
		if (rc2 <= 0)
			break;
		char w1[1200], w2[1200];
		trace_format_vmb.where(r2, w2, sizeof(w2));
		for (int i = 0; i < rc2; i++, n++) {
			memset(&one, 0, sizeof(one));
			rc1 = trace_format_vmb.read(r1, &one, &e1);
			if (rc1 != 1 || fuzz_op_differs(&one, &batch[i]))
				abort();
		}
		trace_format_vmb.where(r1, w1, sizeof(w1));
		if (strcmp(w1, w2) != 0)
			abort();
	}
	if (n < FUZZ_TRACE_MAX_OPS) {
		rc1 = trace_format_vmb.read(r1, &one, &e1);
		if (rc1 != rc2 || (rc1 < 0 && strcmp(e1.msg, e2.msg) != 0))
			abort();
	}
	trace_format_vmb.close(r1);
	trace_format_vmb.close(r2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_trace_run(&trace_format_vmb, data, size);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fuzz_trace_fd);
	fuzz_vmb_differential(path, 1);
	fuzz_vmb_differential(path, 0);
	return 0;
}
