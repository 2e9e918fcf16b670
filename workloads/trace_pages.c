/*
 * trace_pages.c — the `pages` trace format: one page number per line (decimal or 0x hex), '#'
 * comments and blank lines ignored, an optional 'r' or 'w' after the number (default 'w').
 * This is also libCacheSim's plain-text format, so the same file runs in both.
 *
 * One process (pid 1) owns one anonymous private region [0, PAGES_REGION_BYTES) mapped when
 * the run starts (the reader's first op); page N is the page at address N * page_size. Page
 * numbers must fit the region (a 47-bit user address space, as x86-64 with 4-level tables).
 *
 * The writer prints the accesses of pid 1 as page numbers ("N" for a write, "N r" for a read)
 * and skips the mmap of the region; anything else (another process, an instruction fetch, any
 * other operation) cannot be said in this format and is an error naming the operation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/linereader.h"
#include "workloads/trace_format.h"
#include "workloads/trace_pages.h"

struct pages_reader {
	struct linereader lr;
	uint64_t page_size;
	uint64_t max_page; /* page numbers must be < max_page */
	int mapped;        /* the initial mmap was returned */
	int accessed;      /* a page number was returned */
};

static const signed char hexval[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
}; /* digit value + 1; 0 for a non-digit */

int pages_parse_line(char *line, uint64_t *page, int *is_write)
{
	const unsigned char *p = (const unsigned char *)line;
	uint64_t v = 0;
	if (likely(*p >= '0' && *p <= '9') && p[1] != 'x' && p[1] != 'X') {
		/* the hot case: a decimal number at the start of the line */
		do {
			unsigned d = *p - '0';
			if (unlikely(v > (UINT64_MAX - d) / 10))
				return -1;
			v = v * 10 + d;
			p++;
		} while (*p >= '0' && *p <= '9');
		if (likely(*p == '\0')) {
			*page = v;
			*is_write = 1;
			return 1;
		}
	} else {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return 0;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			p += 2;
			if (!hexval[*p])
				return -1;
			for (; hexval[*p]; p++) {
				if (v >> 60)
					return -1;
				v = (v << 4) | (uint64_t)(hexval[*p] - 1);
			}
		} else {
			if (*p < '0' || *p > '9')
				return -1;
			for (; *p >= '0' && *p <= '9'; p++) {
				unsigned d = *p - '0';
				if (v > (UINT64_MAX - d) / 10)
					return -1;
				v = v * 10 + d;
			}
		}
	}
	*is_write = 1;
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (*p == 'r' || *p == 'R') {
		*is_write = 0;
		p++;
	} else if (*p == 'w' || *p == 'W') {
		p++;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' && *p != '#')
		return -1;
	*page = v;
	return 1;
}

static int pages_open(void **out, const char *path, const struct trace_read_opts *opts,
                      struct err *err)
{
	struct pages_reader *r = xcalloc(1, sizeof(*r));
	int rc = linereader_open(&r->lr, path, err);
	if (rc) {
		free(r);
		return rc;
	}
	r->page_size = opts->page_size;
	r->max_page = PAGES_REGION_BYTES / opts->page_size;
	*out = r;
	return 0;
}

static void pages_where(void *reader, char *buf, size_t len)
{
	struct pages_reader *r = reader;
	snprintf(buf, len, "%s:%llu", r->lr.path, (unsigned long long)r->lr.line_no);
}

/*
 * The decimal number at p (9 bytes readable): the count n of its leading digits among the first
 * 8, and their value in *v (if p[8] is a digit too, the number is longer: the caller's test of
 * the byte after the digits, p[n], fails). No branch on the digits: the first
 * non-digit byte is found by a carry trick on all 8 bytes at once, the digits are moved to the
 * top of the word and combined pairwise by three multiplications (2 digits in each 16 bits,
 * 4 in each 32, then 8).
 */
static inline unsigned pages_digits8(const char *p, uint64_t *v)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	uint64_t x = w - 0x3030303030303030ull; /* each digit byte becomes 0..9 */
	/* Top bit of a byte set if it is not a digit (x >= 10; the borrow or carry out of a
	 * non-digit byte only disturbs the bytes above the first one, which do not count). */
	uint64_t nd = ((x + 0x7676767676767676ull) | x) & 0x8080808080808080ull;
	unsigned n = nd ? (unsigned)__builtin_ctzll(nd) >> 3 : 8;
	if (!n)
		return 0;
	x <<= 8 * (8 - n); /* the digits at the top, zeros (leading zeros) below */
	x = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffull;   /* pairs, most significant first */
	x = (x * 100 + (x >> 16)) & 0x0000ffff0000ffffull; /* 4 digits */
	*v = (x * 10000 + (x >> 32)) & 0xffffffffull;      /* 8 digits */
	return n;
}

static int pages_read(void *reader, struct op *op, struct err *err)
{
	struct pages_reader *r = reader;
	if (unlikely(!r->mapped)) {
		r->mapped = 1;
		pages_region_mmap(op, PROT_R | PROT_W);
		return 1;
	}
	/* The hot case, straight from the buffer: a decimal number and a newline. */
	char *start = r->lr.buf + r->lr.pos, *q = start;
	uint64_t v = 0;
	if (likely(r->lr.len - r->lr.pos >= 8)) {
		/* Up to 8 digits and the newline without a branch per digit. */
		unsigned n = pages_digits8(start, &v);
		q = start + n;
	} else {
		while ((unsigned char)(*q - '0') < 10 && q - start < 19)
			v = v * 10 + (uint64_t)(*q++ - '0');
	}
	if (likely(*q == '\n' && q != start && v < r->max_page)) {
		r->lr.pos = (size_t)(q + 1 - r->lr.buf);
		r->lr.line_no++;
		op->kind = OP_WRITE;
		op->pid = PAGES_PID;
		op->addr = v * r->page_size;
		r->accessed = 1;
		return 1;
	}
	for (;;) {
		int too_long;
		char *line = linereader_next(&r->lr, &too_long);
		if (unlikely(!line)) {
			if (too_long)
				return err_set(err, "%s:%llu: %s", r->lr.path,
				               (unsigned long long)r->lr.line_no,
				               linereader_what(too_long));
			if (!r->accessed)
				return err_set(err, "%s: empty trace (no page numbers)",
				               r->lr.path);
			return 0;
		}
		uint64_t page;
		int is_write;
		int rc = pages_parse_line(line, &page, &is_write);
		if (unlikely(rc <= 0)) {
			if (rc == 0)
				continue;
			return err_set(err,
			               "%s:%llu: expected a page number (decimal or 0x hex) "
			               "and an optional r or w, got \"%.60s\"",
			               r->lr.path, (unsigned long long)r->lr.line_no, line);
		}
		if (unlikely(page >= r->max_page))
			return err_set(err,
			               "%s:%llu: page number %llu is beyond the address space "
			               "(at most %llu pages of %llu bytes)",
			               r->lr.path, (unsigned long long)r->lr.line_no,
			               (unsigned long long)page, (unsigned long long)r->max_page,
			               (unsigned long long)r->page_size);
		op->kind = is_write ? OP_WRITE : OP_READ;
		op->pid = PAGES_PID;
		op->addr = page * r->page_size;
		r->accessed = 1;
		return 1;
	}
}

static void pages_close(void *reader)
{
	struct pages_reader *r = reader;
	linereader_close(&r->lr);
	free(r);
}

struct pages_writer {
	struct linewriter out;
	uint64_t page_size;
	uint64_t nr_ops; /* ops seen, for messages */
};

static int pages_wopen(void **out, const char *path, const struct trace_read_opts *opts,
                       struct err *err)
{
	struct pages_writer *w = xcalloc(1, sizeof(*w));
	int rc = linewriter_open(&w->out, path, err);
	if (rc) {
		free(w);
		return rc;
	}
	w->page_size = opts->page_size;
	*out = w;
	return 0;
}

static int pages_write(void *writer, const struct op *op, struct err *err)
{
	struct pages_writer *w = writer;
	w->nr_ops++;
	if (op->kind == OP_MMAP && op->pid == PAGES_PID && op->addr == 0 &&
	    op->len == PAGES_REGION_BYTES && !(op->flags & (MAPF_FILE | MAPF_SHARED)))
		return 0;
	if ((op->kind != OP_READ && op->kind != OP_WRITE) || op->pid != PAGES_PID) {
		char line[1200];
		trace_format_vmt_line(op, line, sizeof(line));
		return err_set(err,
		               "%s: operation %llu (\"%s\") cannot be written in the pages "
		               "format (it holds reads and writes of pid 1 only)",
		               w->out.path, (unsigned long long)w->nr_ops, line);
	}
	if (fprintf(w->out.f, op->kind == OP_READ ? "%llu r\n" : "%llu\n",
	            (unsigned long long)(op->addr / w->page_size)) < 0)
		return err_setc(err, VMSIM_EIO, "%s: write failed: %s", w->out.path,
		                strerror(errno));
	return 0;
}

static int pages_wclose(void *writer, struct err *err)
{
	struct pages_writer *w = writer;
	int rc = linewriter_close(&w->out, err);
	free(w);
	return rc;
}

const struct trace_format trace_format_pages = {
    .name = "pages",
    .extensions = ".pages",
    .open = pages_open,
    .read = pages_read,
    .where = pages_where,
    .close = pages_close,
    .wopen = pages_wopen,
    .write = pages_write,
    .wclose = pages_wclose,
};
