/*
 * trace_blocks.c — import of the block and object traces of the caching literature, all text,
 * one request per line, each request a block (object) number that becomes the page of that
 * number in the region of a `pages` trace ([0, PAGES_REGION_BYTES), pid 1, mapped by the
 * first op):
 *  - `lis`: the ARC traces (Megiddo & Modha): `START COUNT IGNORE SEQ`, four decimal numbers,
 *    the request for COUNT (>= 1) consecutive blocks from START, expanded into COUNT accesses;
 *  - `trc`: the LIRS traces (Jiang & Zhang): one block number per line; a line starting with
 *    `*` is a checkpoint marker and is skipped;
 *  - `txt`: libCacheSim's plain-text traces: one numeric object id per line;
 *  - `csv`: libCacheSim's csv traces: the object id in column `obj_id_col` (1-based), an
 *    optional operation column (`op_col`, 0: none), a one-character delimiter, an optional
 *    header line; other columns (time, size, ttl) are ignored.
 * Every access is a write (or a read: `block_access`), except csv rows with an operation
 * column: get/gets/read are reads, set/add/replace/cas/append/prepend/incr/decr/write/update
 * writes; any other operation (delete, ...) has no page access and is an error. Blank lines
 * are skipped; anything else that does not parse is an error naming FILE:LINE. Block numbers
 * (lis, trc) beyond the region are errors; object ids (txt, csv), often hashes, are folded
 * into it modulo its number of pages, as the oracle import does. Object sizes are ignored:
 * every object is one page. String object ids (libCacheSim's obj-id-is-num=0) are not read:
 * such a line is an error.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "workloads/linereader.h"
#include "workloads/trace_format.h"
#include "workloads/trace_pages.h"

enum blocks_kind { BLOCKS_LIS, BLOCKS_TRC, BLOCKS_TXT, BLOCKS_CSV };

struct blocks_reader {
	struct linereader lr;
	enum blocks_kind kind;
	uint64_t page_size, nr_pages;
	uint8_t access;      /* OP_READ or OP_WRITE */
	uint64_t next, left; /* lis: the blocks of the current line not returned yet */
	uint32_t id_col, op_col;
	char delim;
	int header, mapped, accessed;
};

static int blocks_open(void **out, const char *path, const struct trace_read_opts *opts,
                       enum blocks_kind kind, struct err *err)
{
	struct blocks_reader *r = xcalloc(1, sizeof(*r));
	int rc = linereader_open(&r->lr, path, err);
	if (rc) {
		free(r);
		return rc;
	}
	r->kind = kind;
	r->page_size = opts->page_size;
	r->nr_pages = PAGES_REGION_BYTES / opts->page_size;
	r->access = opts->block_as_reads ? OP_READ : OP_WRITE;
	r->id_col = opts->csv_obj_id_col ? opts->csv_obj_id_col : 1;
	r->op_col = opts->csv_op_col;
	r->delim = opts->csv_delimiter ? opts->csv_delimiter : ',';
	r->header = opts->csv_has_header;
	*out = r;
	return 0;
}

#define BLOCKS_OPEN(name, kind)                                                                    \
	static int name(void **out, const char *path, const struct trace_read_opts *opts,          \
	                struct err *err)                                                           \
	{                                                                                          \
		return blocks_open(out, path, opts, kind, err);                                    \
	}
BLOCKS_OPEN(lis_open, BLOCKS_LIS)
BLOCKS_OPEN(trc_open, BLOCKS_TRC)
BLOCKS_OPEN(txt_open, BLOCKS_TXT)
BLOCKS_OPEN(csv_open, BLOCKS_CSV)

static void blocks_where(void *reader, char *buf, size_t len)
{
	struct blocks_reader *r = reader;
	snprintf(buf, len, "%s:%llu", r->lr.path, (unsigned long long)r->lr.line_no);
}

static void blocks_close(void *reader)
{
	struct blocks_reader *r = reader;
	linereader_close(&r->lr);
	free(r);
}

/* A decimal number at *p (after blanks): 0 and *p past it, -1 if none or it overflows. */
static int blocks_number(const char **pp, uint64_t *out)
{
	const char *p = *pp;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	uint64_t v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*pp = p;
	*out = v;
	return 0;
}

static int blocks_only_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0';
}

/* One block number, then nothing: 0 with *v, or an error naming the line. */
static int blocks_one_number(struct blocks_reader *r, const char *line, const char *what,
                             uint64_t *v, struct err *err)
{
	const char *p = line;
	if (blocks_number(&p, v) < 0 || !blocks_only_blanks(p))
		return err_set(err, "%s:%llu: expected %s (a decimal number), got \"%.60s\"",
		               r->lr.path, (unsigned long long)r->lr.line_no, what, line);
	return 0;
}

static int blocks_page(struct blocks_reader *r, uint64_t block, struct err *err)
{
	if (block >= r->nr_pages)
		return err_set(err,
		               "%s:%llu: block %llu is beyond the address space (at most %llu "
		               "pages of %llu bytes)",
		               r->lr.path, (unsigned long long)r->lr.line_no,
		               (unsigned long long)block, (unsigned long long)r->nr_pages,
		               (unsigned long long)r->page_size);
	return 0;
}

static int lis_line(struct blocks_reader *r, const char *line, struct err *err)
{
	const char *p = line;
	uint64_t f[4];
	for (int i = 0; i < 4; i++)
		if (blocks_number(&p, &f[i]) < 0)
			goto bad;
	if (!blocks_only_blanks(p) || f[1] == 0)
		goto bad;
	if (f[0] >= r->nr_pages || f[1] > r->nr_pages - f[0])
		return err_set(err,
		               "%s:%llu: blocks %llu..%llu+%llu reach beyond the address space "
		               "(at most %llu pages of %llu bytes)",
		               r->lr.path, (unsigned long long)r->lr.line_no,
		               (unsigned long long)f[0], (unsigned long long)f[0],
		               (unsigned long long)f[1], (unsigned long long)r->nr_pages,
		               (unsigned long long)r->page_size);
	r->next = f[0];
	r->left = f[1];
	return 0;
bad:
	return err_set(err,
	               "%s:%llu: expected START COUNT IGNORE SEQ (four decimal numbers, COUNT >= "
	               "1), got \"%.60s\"",
	               r->lr.path, (unsigned long long)r->lr.line_no, line);
}

/* Column col (1-based) of a delimited line: its start and length, or -1 if absent. */
static int csv_field(const char *line, char delim, uint32_t col, const char **start, size_t *len)
{
	const char *p = line;
	for (uint32_t c = 1; c < col; c++) {
		p = strchr(p, delim);
		if (!p)
			return -1;
		p++;
	}
	const char *end = strchr(p, delim);
	*start = p;
	*len = end ? (size_t)(end - p) : strlen(p);
	return 0;
}

static const char *const csv_reads[] = {"get", "gets", "read"};
static const char *const csv_writes[] = {"set",     "add",  "replace", "cas",   "append",
                                         "prepend", "incr", "decr",    "write", "update"};

static int csv_op_kind(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < ARRAY_SIZE(csv_reads); i++)
		if (strlen(csv_reads[i]) == n && strncasecmp(s, csv_reads[i], n) == 0)
			return OP_READ;
	for (size_t i = 0; i < ARRAY_SIZE(csv_writes); i++)
		if (strlen(csv_writes[i]) == n && strncasecmp(s, csv_writes[i], n) == 0)
			return OP_WRITE;
	return -1;
}

static int csv_line(struct blocks_reader *r, char *line, uint64_t *id, uint8_t *kind,
                    struct err *err)
{
	const char *f;
	size_t n;
	if (csv_field(line, r->delim, r->id_col, &f, &n) < 0)
		return err_set(err, "%s:%llu: no column %u (obj_id_col) in \"%.60s\"", r->lr.path,
		               (unsigned long long)r->lr.line_no, r->id_col, line);
	char num[32];
	const char *p = num;
	if (n >= sizeof(num) || (memcpy(num, f, n), num[n] = '\0', blocks_number(&p, id) < 0) ||
	    !blocks_only_blanks(p))
		return err_set(err,
		               "%s:%llu: column %u: expected a numeric object id, got \"%.*s\" "
		               "(string ids are not supported)",
		               r->lr.path, (unsigned long long)r->lr.line_no, r->id_col,
		               (int)MIN(n, (size_t)60), f);
	*kind = r->access;
	if (r->op_col) {
		if (csv_field(line, r->delim, r->op_col, &f, &n) < 0)
			return err_set(err, "%s:%llu: no column %u (op_col) in \"%.60s\"",
			               r->lr.path, (unsigned long long)r->lr.line_no, r->op_col,
			               line);
		int k = csv_op_kind(f, n);
		if (k < 0)
			return err_set(err,
			               "%s:%llu: column %u: operation \"%.*s\" is not a read "
			               "(get, gets, read) or a write (set, add, replace, cas, "
			               "append, prepend, incr, decr, write, update)",
			               r->lr.path, (unsigned long long)r->lr.line_no, r->op_col,
			               (int)MIN(n, (size_t)40), f);
		*kind = (uint8_t)k;
	}
	return 0;
}

/* The next line that holds a request, parsed: 1 with *id, *kind; 0 at the end. */
static int blocks_next_line(struct blocks_reader *r, uint64_t *id, uint8_t *kind, struct err *err)
{
	for (;;) {
		int too_long;
		char *line = linereader_next(&r->lr, &too_long);
		if (!line) {
			if (too_long)
				return err_set(err, "%s:%llu: line too long", r->lr.path,
				               (unsigned long long)r->lr.line_no);
			if (!r->accessed)
				return err_set(err, "%s: empty trace (no requests)", r->lr.path);
			return 0;
		}
		if (r->kind == BLOCKS_CSV && r->header && r->lr.line_no == 1)
			continue;
		if (blocks_only_blanks(line))
			continue;
		*kind = r->access;
		int rc;
		switch (r->kind) {
		case BLOCKS_LIS:
			rc = lis_line(r, line, err);
			*id = 0;
			break;
		case BLOCKS_TRC:
			if (line[0] == '*')
				continue;
			rc =
			    blocks_one_number(r, line, "a block number or a * checkpoint", id, err);
			if (rc == 0)
				rc = blocks_page(r, *id, err);
			break;
		case BLOCKS_TXT:
			rc = blocks_one_number(r, line, "an object id", id, err);
			*id %= r->nr_pages;
			break;
		default:
			rc = csv_line(r, line, id, kind, err);
			*id %= r->nr_pages;
			break;
		}
		return rc < 0 ? rc : 1;
	}
}

static int blocks_read(void *reader, struct op *op, struct err *err)
{
	struct blocks_reader *r = reader;
	if (unlikely(!r->mapped)) {
		r->mapped = 1;
		pages_region_mmap(op, PROT_R | PROT_W);
		return 1;
	}
	uint64_t id = 0;
	uint8_t kind = r->access;
	if (r->left) {
		id = r->next++;
		r->left--;
	} else {
		int rc = blocks_next_line(r, &id, &kind, err);
		if (rc <= 0)
			return rc;
		if (r->kind == BLOCKS_LIS) {
			id = r->next++;
			r->left--;
		}
	}
	r->accessed = 1;
	*op = (struct op){.kind = kind, .pid = PAGES_PID, .addr = id * r->page_size};
	return 1;
}

#define BLOCKS_FORMAT(var, fname, ext, openfn)                                                     \
	const struct trace_format var = {                                                          \
	    .name = fname,                                                                         \
	    .extensions = ext,                                                                     \
	    .open = openfn,                                                                        \
	    .read = blocks_read,                                                                   \
	    .where = blocks_where,                                                                 \
	    .close = blocks_close,                                                                 \
	}
BLOCKS_FORMAT(trace_format_lis, "lis", ".lis", lis_open);
BLOCKS_FORMAT(trace_format_trc, "trc", ".trc", trc_open);
BLOCKS_FORMAT(trace_format_txt, "txt", "", txt_open); /* ".txt" is too common to guess */
BLOCKS_FORMAT(trace_format_csv, "csv", ".csv", csv_open);
