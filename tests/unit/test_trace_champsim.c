/*
 * test_trace_champsim.c — the ChampSim import: records built here byte by byte in the
 * input_instr (64-byte) and cloudsuite_instr (96-byte) layouts, read plain, gzip and xz (one
 * and several members/streams), with and without instruction fetches; exact op sequences and
 * counts; a 60,000-record trace (larger than every buffer) equal in all three forms; errors:
 * a truncated record, truncated xz, data that is not gzip, an address beyond 47 bits.
 */
#include <lzma.h>
#include <zlib.h>

#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/trace_convert.h"

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* One input_instr record; the branch and register bytes hold noise the reader must ignore. */
static void rec64(unsigned char *p, uint64_t ip, const uint64_t dst[2], const uint64_t src[4])
{
	memset(p, 0, 64);
	put64(p, ip);
	p[8] = 1, p[9] = 1, p[10] = 0x11, p[11] = 0x22;
	for (int i = 0; i < 4; i++)
		p[12 + i] = (unsigned char)(0x30 + i);
	for (int i = 0; i < 2; i++)
		put64(p + 16 + 8 * i, dst[i]);
	for (int i = 0; i < 4; i++)
		put64(p + 32 + 8 * i, src[i]);
}

static void rec96(unsigned char *p, uint64_t ip, const uint64_t dst[4], const uint64_t src[4])
{
	memset(p, 0, 96);
	put64(p, ip);
	p[8] = 1, p[9] = 0;
	for (int i = 0; i < 8; i++)
		p[10 + i] = (unsigned char)(0x40 + i); /* dst_regs[4], src_regs[4] */
	for (int i = 0; i < 4; i++)
		put64(p + 24 + 8 * i, dst[i]);
	for (int i = 0; i < 4; i++)
		put64(p + 56 + 8 * i, src[i]);
	p[88] = 3, p[89] = 4; /* asid */
}

static void write_gz(const char *path, const unsigned char *data, size_t len, int members)
{
	gzFile g = gzopen(path, "wb");
	CHECK(g != NULL);
	size_t half = members > 1 ? len / 2 : len;
	CHECK(gzwrite(g, data, (unsigned)half) == (int)half);
	gzclose(g);
	if (members > 1) {
		g = gzopen(path, "ab"); /* a second member appended, as gzip -c a b does */
		CHECK(gzwrite(g, data + half, (unsigned)(len - half)) == (int)(len - half));
		gzclose(g);
	}
}

static void write_xz(const char *path, const unsigned char *data, size_t len, int streams)
{
	size_t cap = len + len / 2 + 4096, n = 0;
	unsigned char *out = malloc(cap);
	size_t half = streams > 1 ? len / 2 : len;
	CHECK(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, data, half, out, &n, cap) ==
	      LZMA_OK);
	if (streams > 1)
		CHECK(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, data + half, len - half,
		                              out, &n, cap) == LZMA_OK);
	tt_write(path, out, n);
	free(out);
}

static const char want_a[] = "1 mmap 0x0 0x800000000000 rwx anon private\n"
                             "1 x 0x401000\n"
                             "1 x 0x401004\n1 r 0x7ffd1000\n1 r 0x600010\n1 w 0x600020\n"
                             "1 x 0x401008\n1 w 0x600028\n"
                             "1 x 0x402000\n1 r 0x600010\n1 r 0x600010\n";
static const char want_a_noifetch[] = "1 mmap 0x0 0x800000000000 rwx anon private\n"
                                      "1 r 0x7ffd1000\n1 r 0x600010\n1 w 0x600020\n"
                                      "1 w 0x600028\n"
                                      "1 r 0x600010\n1 r 0x600010\n";

/* Trace A: four input_instr records (one without memory operands, repeats kept). */
static size_t build_a(unsigned char *buf)
{
	const uint64_t none[4] = {0, 0, 0, 0};
	rec64(buf, 0x401000, none, none);
	rec64(buf + 64, 0x401004, (const uint64_t[2]){0x600020, 0},
	      (const uint64_t[4]){0x7ffd1000, 0, 0x600010, 0});
	rec64(buf + 128, 0x401008, (const uint64_t[2]){0, 0x600028}, none);
	rec64(buf + 192, 0x402000, none, (const uint64_t[4]){0x600010, 0x600010, 0, 0});
	return 256;
}

static void check_small(void)
{
	unsigned char a[256];
	size_t len = build_a(a);
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};
	const char *plain = tt_path("a.champsimtrace"), *gz = tt_path("a.champsimtrace.gz"),
	           *xz = tt_path("a.champsimtrace.xz");
	tt_write(plain, a, len);
	write_gz(gz, a, len, 1);
	write_xz(xz, a, len, 1);
	const char *paths[] = {plain, gz, xz};
	for (int i = 0; i < 3; i++) {
		char *t = tt_as_vmt_opts(paths[i], NULL, &opts, &err); /* guessed: champsim */
		CHECK(t && strcmp(t, want_a) == 0);
		if (t && strcmp(t, want_a))
			fprintf(stderr, "%s:\n%s", paths[i], t);
		free(t);
	}
	opts.champsim_no_ifetch = 1;
	char *t = tt_as_vmt_opts(xz, "champsim", &opts, &err);
	CHECK(t && strcmp(t, want_a_noifetch) == 0);
	free(t);

	/* trace info: the counts by kind and the pages */
	opts.champsim_no_ifetch = 0;
	struct trace_info info;
	CHECK(trace_info_compute(gz, NULL, &opts, &info, &err) == 0);
	CHECK_EQ_U64(info.ops_by_kind[OP_EXEC], 4);
	CHECK_EQ_U64(info.ops_by_kind[OP_READ], 4);
	CHECK_EQ_U64(info.ops_by_kind[OP_WRITE], 2);
	CHECK_EQ_U64(info.nr_processes, 1);
	CHECK_EQ_U64(info.pages_touched, 4); /* 0x401, 0x402, 0x600, 0x7ffd1 */

	/* convert to vmb and back: the same ops */
	const char *vmb = tt_path("a.vmb");
	CHECK(trace_convert(xz, NULL, vmb, NULL, &opts, &err) == 0);
	t = tt_as_vmt(vmb, NULL, &err);
	CHECK(t && strcmp(t, want_a) == 0);
	free(t);
}

static void check_cloudsuite(void)
{
	unsigned char c[192];
	rec96(c, 0x500000, (const uint64_t[4]){0, 0, 0, 0x900008},
	      (const uint64_t[4]){0x800000, 0, 0, 0x800040});
	rec96(c + 96, 0x500004, (const uint64_t[4]){0x900010, 0, 0x900018, 0},
	      (const uint64_t[4]){0, 0, 0, 0});
	const char *p = tt_path("c.trace.xz");
	write_xz(p, c, sizeof(c), 1);
	struct trace_read_opts opts = {.page_size = 4096, .champsim_cloudsuite = 1};
	struct err err = {{0}};
	char *t = tt_as_vmt_opts(p, "champsim", &opts, &err);
	CHECK(t && strcmp(t, "1 mmap 0x0 0x800000000000 rwx anon private\n"
	                     "1 x 0x500000\n1 r 0x800000\n1 r 0x800040\n1 w 0x900008\n"
	                     "1 x 0x500004\n1 w 0x900010\n1 w 0x900018\n") == 0);
	free(t);
	/* Read as input_instr, 192 bytes are three 64-byte records: the second one's second
	 * load slot (bytes 104-111) holds the next cloudsuite record's branch and register
	 * bytes, an address beyond 47 bits. */
	opts.champsim_cloudsuite = 0;
	struct trace_info info;
	CHECK(trace_info_compute(p, trace_format_find("champsim"), &opts, &info, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "byte offset 64: load address 0x4544434241400001 is beyond");
}

/* 60,000 records from a xorshift generator: 3.84 MB, beyond the 1 MiB record buffer and the
 * 256 KiB compressed input buffer. Every record has ip, 0-4 loads and 0-2 stores. */
static void check_large(void)
{
	const size_t n = 60000;
	unsigned char *buf = malloc(n * 64);
	uint64_t x = 0x9e3779b97f4a7c15ull, loads = 0, stores = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t src[4] = {0}, dst[2] = {0};
		for (int k = 0; k < 6; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			uint64_t addr = 0x10000000 + (x >> 40) * 8;
			int present = (int)((x >> 3) & 1);
			if (k < 4) {
				src[k] = present ? addr : 0;
				loads += (uint64_t)present;
			} else {
				dst[k - 4] = present ? addr : 0;
				stores += (uint64_t)present;
			}
		}
		rec64(buf + 64 * i, 0x400000 + 4 * (i % 5000), dst, src);
	}
	const char *plain = tt_path("big.champsimtrace"), *gz = tt_path("big.champsimtrace.gz"),
	           *xz = tt_path("big.champsimtrace.xz");
	tt_write(plain, buf, n * 64);
	write_gz(gz, buf, n * 64, 2);
	write_xz(xz, buf, n * 64, 2);
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};
	struct trace_info info;
	CHECK(trace_info_compute(plain, NULL, &opts, &info, &err) == 0);
	CHECK_EQ_U64(info.ops_by_kind[OP_EXEC], n);
	CHECK_EQ_U64(info.ops_by_kind[OP_READ], loads);
	CHECK_EQ_U64(info.ops_by_kind[OP_WRITE], stores);
	char *tp = tt_as_vmt_opts(plain, NULL, &opts, &err);
	char *tg = tt_as_vmt_opts(gz, NULL, &opts, &err);
	char *tx = tt_as_vmt_opts(xz, NULL, &opts, &err);
	CHECK(tp && tg && tx && strcmp(tp, tg) == 0 && strcmp(tp, tx) == 0);
	free(tp);
	free(tg);
	free(tx);
	free(buf);
}

static void check_errors(void)
{
	unsigned char a[256];
	build_a(a);
	char want[512];
	const char *cut = tt_path("cut.champsimtrace");
	tt_write(cut, a, 64 + 10);
	snprintf(want, sizeof(want),
	         "%s: byte offset 64: truncated record (10 of 64 bytes of input_instr)", cut);
	CHECK_STR_CONTAINS(tt_error(cut, NULL), want);

	const char *xz = tt_path("cut.champsimtrace.xz");
	write_xz(xz, a, sizeof(a), 1);
	size_t len;
	char *raw = tt_slurp(xz, &len);
	tt_write(xz, raw, len - 20);
	free(raw);
	snprintf(want, sizeof(want), "%s: truncated xz data", xz);
	CHECK_STR_CONTAINS(tt_error(xz, NULL), want);

	const char *gz = tt_text("bad.champsimtrace.gz", "this is not gzip data at all\n");
	snprintf(want, sizeof(want), "%s: not valid gzip data", gz);
	CHECK_STR_CONTAINS(tt_error(gz, NULL), want);
	const char *gzcut = tt_path("cut.champsimtrace.gz");
	write_gz(gzcut, a, sizeof(a), 1);
	raw = tt_slurp(gzcut, &len);
	tt_write(gzcut, raw, len - 12);
	free(raw);
	snprintf(want, sizeof(want), "%s: truncated gzip data", gzcut);
	CHECK_STR_CONTAINS(tt_error(gzcut, NULL), want);

	put64(a + 64 + 32, 1ull << 47); /* record 2's first load */
	const char *far = tt_path("far.champsimtrace");
	tt_write(far, a, sizeof(a));
	snprintf(want, sizeof(want),
	         "%s: byte offset 64: load address 0x800000000000 is beyond the 47-bit user "
	         "address space",
	         far);
	CHECK_STR_CONTAINS(tt_error(far, NULL), want);
}

int main(void)
{
	check_small();
	check_cloudsuite();
	check_large();
	check_errors();
	tt_cleanup();
	TEST_DONE();
}
