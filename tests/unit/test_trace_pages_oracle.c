/*
 * test_trace_pages_oracle.c — the `pages` text format (parsing, the pages writer, pages ->
 * vmb -> pages identity on a normalised file, malformed lines) and the oracleGeneral import
 * (ids as pages, folding of large ids, reads or writes, the zstd form, a truncated request);
 * the import-only formats round-trip through vmb: X -> vmb -> vmt equals X -> vmt.
 */
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/trace_convert.h"
#include "workloads/trace_pages.h"

static void check_line(const char *text, int want_rc, uint64_t want_page, int want_write)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", text);
	uint64_t page = 0;
	int is_write = -1;
	int rc = pages_parse_line(buf, &page, &is_write);
	CHECK_EQ_U64(rc, want_rc);
	if (rc == 1) {
		CHECK_EQ_U64(page, want_page);
		CHECK_EQ_U64(is_write, want_write);
	}
}

/* X -> vmb -> vmt equals X -> vmt */
static void check_via_vmb(const char *path, const char *format)
{
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};
	const char *b = tt_path("via.vmb");
	CHECK(trace_convert(path, trace_format_find(format), b, NULL, &opts, &err) == 0);
	char *direct = tt_as_vmt(path, format, &err);
	char *via = tt_as_vmt(b, "vmb", &err);
	CHECK(direct && via && strcmp(direct, via) == 0);
	free(direct);
	free(via);
}

/* The reader's fast path (up to 8 digits and a newline, parsed a word at a time) against
 * pages_parse_line on every line: 300,000 lines (over 2 MiB, so the buffer refills and lines
 * straddle its end) of 1 to 11 digits, with leading zeros, suffixes, hex, CR LF, blank lines
 * and comments, all below the address space's end. */
static void check_reader_lines(void)
{
	size_t cap = (size_t)300000 * 24 + 1, len = 0;
	char *text = malloc(cap);
	char *want = malloc((size_t)300000 * 32 + 100);
	size_t wlen = (size_t)sprintf(want, "1 mmap 0x0 0x800000000000 rw anon private\n");
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 300000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		unsigned digits = 1 + (unsigned)(x % 11), form = (unsigned)(x >> 8) % 16;
		uint64_t page = (x >> 16) % 10000000000ull; /* < 2^35 */
		char line[64];
		int n =
		    snprintf(line, sizeof(line), "%0*llu", (int)digits, (unsigned long long)page);
		if (form == 0)
			n = snprintf(line, sizeof(line), "%llu r", (unsigned long long)page);
		else if (form == 1)
			n = snprintf(line, sizeof(line), "0x%llx", (unsigned long long)page);
		else if (form == 2)
			n = snprintf(line, sizeof(line), "%llu\r", (unsigned long long)page);
		else if (form == 3)
			n = snprintf(line, sizeof(line), "%s", (x >> 40) & 1 ? "" : "# note");
		memcpy(text + len, line, (size_t)n);
		len += (size_t)n;
		text[len++] = '\n';
		char copy[64];
		memcpy(copy, line, (size_t)n + 1);
		if (n && copy[n - 1] == '\r') /* the reader drops it, as linereader_next does */
			copy[n - 1] = '\0';
		uint64_t p = 0;
		int is_write = 0;
		if (pages_parse_line(copy, &p, &is_write) == 1)
			wlen += (size_t)sprintf(want + wlen, "1 %c 0x%llx\n", is_write ? 'w' : 'r',
			                        (unsigned long long)(p * 4096));
	}
	const char *path = tt_path("lines.pages");
	tt_write(path, text, len);
	struct err err = {{0}};
	char *got = tt_as_vmt(path, "pages", &err);
	CHECK(got != NULL);
	CHECK_EQ_U64(got ? strlen(got) : 0, wlen);
	CHECK(got && strcmp(got, want) == 0);
	free(got);
	free(text);
	free(want);
}

int main(void)
{
	check_reader_lines();
	check_line("42", 1, 42, 1);
	check_line("  0x1F r # c", 1, 31, 0);
	check_line("7 w", 1, 7, 1);
	check_line("7,r", 1, 7, 0);
	check_line("", 0, 0, 0);
	check_line("   # only a comment", 0, 0, 0);
	check_line("5 q", -1, 0, 0);
	check_line("12x", -1, 0, 0);
	check_line("0x", -1, 0, 0);
	check_line("99999999999999999999999", -1, 0, 0);

	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};

	/* pages -> vmb -> pages: the normal form, then the identity on it */
	const char *b = tt_path("p.vmb"), *p1 = tt_path("p1.pages"), *p2 = tt_path("p2.pages");
	CHECK(trace_convert("tests/data/traces/small.pages", NULL, b, NULL, &opts, &err) == 0);
	CHECK(trace_convert(b, NULL, p1, NULL, &opts, &err) == 0);
	char *t1 = tt_slurp(p1, NULL);
	CHECK(t1 && strcmp(t1, "1\n2\n3\n4\n1\n2\n5 r\n1\n2\n3\n4\n5\n16 r\n") == 0);
	CHECK(trace_convert(p1, NULL, b, NULL, &opts, &err) == 0);
	CHECK(trace_convert(b, NULL, p2, NULL, &opts, &err) == 0);
	char *t2 = tt_slurp(p2, NULL);
	CHECK(t1 && t2 && strcmp(t1, t2) == 0);
	free(t1);
	free(t2);
	check_via_vmb("tests/data/traces/small.pages", "pages");

	/* what pages cannot say */
	const char *px = tt_path("x.pages");
	CHECK(trace_convert("tests/data/traces/small.vmt", NULL, px, NULL, &opts, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "operation 1 (\"file data.bin 0x10000\") cannot be written in "
	                            "the pages format");
	CHECK(tt_slurp(px, NULL) == NULL); /* removed */

	/* malformed pages */
	const char *bad = tt_text("bad.pages", "1\n2\n# c\n3 x\n");
	char want[300];
	snprintf(want, sizeof(want),
	         "%s:4: expected a page number (decimal or 0x hex) and an "
	         "optional r or w, got \"3 x\"",
	         bad);
	CHECK_STR_CONTAINS(tt_error(bad, "pages"), want);
	bad = tt_text("far.pages", "34359738368\n"); /* 2^35 = 2^47 / 4096 */
	snprintf(want, sizeof(want), "%s:1: page number 34359738368 is beyond the address space",
	         bad);
	CHECK_STR_CONTAINS(tt_error(bad, "pages"), want);

	/* oracleGeneral: ids 7 0 1 2 0 3 0 4 2 3 2^35+5 2^64-1 as reads */
	char *o = tt_as_vmt("tests/data/traces/small.oracleGeneral", NULL, &err);
	CHECK(o && strcmp(o, "1 mmap 0x0 0x800000000000 rw anon private\n"
	                     "1 r 0x7000\n1 r 0x0\n1 r 0x1000\n1 r 0x2000\n1 r 0x0\n1 r 0x3000\n"
	                     "1 r 0x0\n1 r 0x4000\n1 r 0x2000\n1 r 0x3000\n1 r 0x5000\n"
	                     "1 r 0x7ffffffff000\n") == 0);
	check_via_vmb("tests/data/traces/small.oracleGeneral", "oracle");
#ifdef VMSIM_HAVE_ZSTD
	char *z = tt_as_vmt("tests/data/traces/small.oracleGeneral.zst", NULL, &err);
	CHECK(o && z && strcmp(o, z) == 0);
	free(z);
#else
	CHECK_STR_CONTAINS(tt_error("tests/data/traces/small.oracleGeneral.zst", NULL),
	                   "built without libzstd");
#endif
	free(o);
	size_t len;
	char *raw = tt_slurp("tests/data/traces/small.oracleGeneral", &len);
	CHECK_EQ_U64(len, 12 * 24);
	const char *cut = tt_path("cut.oracleGeneral");
	tt_write(cut, raw, 2 * 24 + 5);
	snprintf(want, sizeof(want), "%s: byte offset 48: truncated request (5 of 24 bytes)", cut);
	CHECK_STR_CONTAINS(tt_error(cut, NULL), want);
	free(raw);

	/* lackey through vmb too */
	check_via_vmb("tests/data/traces/tiny.lackey", "lackey");

	tt_cleanup();
	TEST_DONE();
}
