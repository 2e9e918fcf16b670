/*
 * test_trace_vmb.c — the vmb binary format: varints, the exact bytes of a small trace, the
 * size per access of sequential streams, text -> binary -> text identity on the shipped
 * normal-form trace, and messages with byte offsets for truncated files (every cut), wrong
 * magic, wrong version, unknown opcodes, data after the end record and process-rule errors.
 */
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/trace_convert.h"
#include "workloads/vmb.h"

static void check_varint(uint64_t v, size_t want_len)
{
	unsigned char buf[16];
	unsigned char *end = vmb_put_varint(buf, v);
	CHECK_EQ_U64(end - buf, want_len);
	const unsigned char *p = buf;
	uint64_t got = 0;
	CHECK(vmb_get_varint(&p, end, &got) == 0);
	CHECK_EQ_U64(got, v);
	CHECK(p == end);
	p = buf; /* one byte short: truncated */
	CHECK(vmb_get_varint(&p, end - 1, &got) < 0);
}

/* n writes of pid 1 from 0x100000 with the given stride; returns the vmb's size in bytes. */
static size_t write_stream(const char *path, uint64_t n, uint64_t stride)
{
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err;
	void *w;
	if (trace_format_vmb.wopen(&w, path, &opts, &err) < 0)
		return 0;
	struct op op = {.kind = OP_MMAP,
	                .pid = 1,
	                .addr = 0x100000,
	                .len = 1ull << 40,
	                .prot = PROT_R | PROT_W};
	trace_format_vmb.write(w, &op, &err);
	for (uint64_t i = 0; i < n; i++) {
		op = (struct op){.kind = OP_WRITE, .pid = 1, .addr = 0x100000 + i * stride};
		trace_format_vmb.write(w, &op, &err);
	}
	trace_format_vmb.wclose(w, &err);
	size_t len = 0;
	free(tt_slurp(path, &len));
	return len;
}

int main(void)
{
	check_varint(0, 1);
	check_varint(127, 1);
	check_varint(128, 2);
	check_varint(16383, 2);
	check_varint(16384, 3);
	check_varint(1ull << 63, 10);
	check_varint(UINT64_MAX, 10);
	CHECK_EQ_U64(vmb_zigzag(-1), 1);
	CHECK_EQ_U64(vmb_zigzag(1), 2);
	CHECK_EQ_U64(vmb_unzigzag(vmb_zigzag(INT64_MIN)), (uint64_t)INT64_MIN);

	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};

	/* The exact encoding of a small trace (see vmb.h). */
	const char *t = tt_text("bytes.vmt", "1 mmap 0x1000 0x2000 rw anon private\n"
	                                     "1 w 0x1000\n1 w 0x1008\n1 r 0x1000\n");
	const char *b = tt_path("bytes.vmb");
	CHECK(trace_convert(t, NULL, b, NULL, &opts, &err) == 0);
	static const unsigned char want[] = {
	    0x89, 'V',  'M',  'B',  1,    0,    0,    0,    0x13, 0x01,
	    0x80, 0x20, 0x80, 0x40, 0x03, 0x00, 0x01, 0x80, 0x40, /* w +0x1000 (zigzag 0x2000) */
	    0x01, 0x10,                                           /* w +8 */
	    0x00, 0x0f,                                           /* r: data register, -8 */
	    0x0f};                                                /* end */
	size_t len = 0;
	unsigned char *got = (unsigned char *)tt_slurp(b, &len);
	CHECK_EQ_U64(len, sizeof(want));
	CHECK(got && len == sizeof(want) && memcmp(got, want, len) == 0);
	free(got);

	/* Size per access: stride 8 -> tag + 1 byte; stride 4096 -> tag + 2 bytes. Header 8,
	 * mmap record 1+1+3+6+1+1 = 13, the first access (delta 0x100000 from 0: zigzag needs
	 * 22 bits, 4 varint bytes) 5, end 1. */
	CHECK_EQ_U64(write_stream(tt_path("seq8.vmb"), 100000, 8), 8 + 13 + 5 + 2 * 99999 + 1);
	CHECK_EQ_U64(write_stream(tt_path("seq4k.vmb"), 100000, 4096), 8 + 13 + 5 + 3 * 99999 + 1);

	/* text -> binary -> text is the identity on the normal-form shipped trace */
	const char *small = "tests/data/traces/small.vmt";
	const char *sb = tt_path("small.vmb"), *st = tt_path("small.vmt");
	CHECK(trace_convert(small, NULL, sb, NULL, &opts, &err) == 0);
	CHECK(trace_convert(sb, NULL, st, NULL, &opts, &err) == 0);
	char *a = tt_slurp(small, NULL), *c = tt_slurp(st, NULL);
	CHECK(a && c && strcmp(a, c) == 0);
	free(a);
	free(c);

	/* ... and on the trace of the Linux system calls (every madvise advice, issue 15). */
	const char *lx = "tests/data/traces/linux.vmt";
	const char *lb = tt_path("linux.vmb"), *lt = tt_path("linux.vmt");
	CHECK(trace_convert(lx, NULL, lb, NULL, &opts, &err) == 0);
	CHECK(trace_convert(lb, NULL, lt, NULL, &opts, &err) == 0);
	a = tt_slurp(lx, NULL);
	c = tt_slurp(lt, NULL);
	CHECK(a && c && strcmp(a, c) == 0);
	free(a);
	free(c);

	/* Every cut of the binary is caught with a byte offset. */
	size_t full_len = 0;
	char *full = tt_slurp(sb, &full_len);
	const char *cut = tt_path("cut.vmb");
	int cuts_ok = 0;
	for (size_t n = 0; n < full_len; n++) {
		tt_write(cut, full, n);
		const char *msg = tt_error(cut, "vmb");
		char off[64];
		snprintf(off, sizeof(off), "%s: byte offset ", cut);
		int ok = strstr(msg, off) != NULL &&
		         (strstr(msg, "truncated") || (n < 4 && strstr(msg, "bad magic")));
		if (!ok)
			fprintf(stderr, "cut at %zu: \"%s\"\n", n, msg);
		cuts_ok += ok;
	}
	CHECK_EQ_U64(cuts_ok, full_len);
	/* the last cut loses only the end record: its offset is the file's length - 1 */
	tt_write(cut, full, full_len - 1);
	char want_msg[200];
	snprintf(want_msg, sizeof(want_msg),
	         "byte offset %zu: truncated trace: the file ends "
	         "without an end record",
	         full_len - 1);
	CHECK_STR_CONTAINS(tt_error(cut, "vmb"), want_msg);

	/* wrong magic, version, flags; data after the end */
	const char *bad = tt_path("bad.vmb");
	full[1] = 'X';
	tt_write(bad, full, full_len);
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"), "byte offset 0: not a vmb trace (bad magic");
	full[1] = 'V';
	full[4] = 2;
	tt_write(bad, full, full_len);
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"),
	                   "byte offset 4: unsupported vmb version 2 (this vmsim reads 1)");
	full[4] = 1;
	full[6] = 1;
	tt_write(bad, full, full_len);
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"), "byte offset 6: unknown header flags");
	full[6] = 0;
	full = realloc(full, full_len + 1);
	full[full_len] = 0x01;
	tt_write(bad, full, full_len + 1);
	snprintf(want_msg, sizeof(want_msg), "byte offset %zu: data after the end record",
	         full_len);
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"), want_msg);
	free(full);

	/* record-level errors at their record's offset */
	static const unsigned char rec_bad_op[] = {0x89, 'V',  'M',  'B',  1,    0,   0,
	                                           0,    0x11, 0x01, 0x00, 0x0e, 0x0f};
	tt_write(bad, rec_bad_op, sizeof(rec_bad_op));
	/* opcode 0x0e is a mark record; its kind byte 0x0f is neither begin nor end */
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"), "byte offset 11: bad mark kind byte");
	static const unsigned char rec_bad_pid[] = {0x89, 'V',  'M',  'B',  1,    0,    0,   0,
	                                            0x11, 0x01, 0x00, 0x11, 0x02, 0x00, 0x0f};
	tt_write(bad, rec_bad_pid, sizeof(rec_bad_pid));
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"),
	                   "byte offset 11: pid 2 does not exist (it was never forked)");
	static const unsigned char rec_far[] = {
	    0x89, 'V',  'M',  'B',  1,    0,    0,    0,    0x11, 0x01,
	    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x04, 0x0f}; /* zigzag 2^58: +2^57 */
	tt_write(bad, rec_far, sizeof(rec_far));
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"), "byte offset 8: address 0x200000000000000 is "
	                                         "beyond the 57-bit virtual address space");
	static unsigned char rec_reserved[] = {0x89, 'V', 'M',  'B',  1,    0,
	                                       0,    0,   0x51, 0x01, 0x00, 0x0f};
	tt_write(bad, rec_reserved, sizeof(rec_reserved));
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"), "byte offset 8: bad record tag");
	rec_reserved[8] = 0x3f; /* bit 5: the extended-opcode escape, opcode 16 + 15 (kind 30:
	                         * not defined) */
	tt_write(bad, rec_reserved, sizeof(rec_reserved));
	CHECK_STR_CONTAINS(tt_error(bad, "vmb"),
	                   "byte offset 8: unknown extended record opcode 31 (a newer writer?)");

	tt_cleanup();
	TEST_DONE();
}
