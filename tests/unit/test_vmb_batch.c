/*
 * test_vmb_batch.c — the vmb reader's read_batch against its read: on the same files, with
 * max 1, 2, 3, 7, 64 and 1000, the op streams, the position where() names after each batch
 * (the batch's last op) and the errors (code, message, ops before them) are identical. The
 * files mix accesses with deltas of every varint length (1 to 10 bytes), addresses beyond 57
 * bits, marks, mmaps, file declarations, fork, a second process, exec, compute and exit, and
 * are longer than the reader's 1 MiB buffer; corrupt copies are cut inside records or carry a
 * bad tag. Also the batch rule (every op but a batch's last is an access below TRACE_VA_LIMIT
 * by the process of the op before it) and, through trace_source, that an error met inside a
 * batch (an access after an exit, an address beyond 57 bits) names that op's byte offset.
 */
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/vmb.h"

#define MAX_OPS 400000

#define CHECK_EQ_STR(got, want)                                                                    \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (strcmp(g_, w_) == 0) {                                                         \
			test_passed++;                                                             \
		} else {                                                                           \
			test_failed++;                                                             \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,    \
			        g_, w_);                                                           \
		}                                                                                  \
	} while (0)

struct stream {
	struct op *ops;
	char (*where)[96]; /* where() after each op (read) or after each batch's last op */
	uint32_t nr;
	int rc; /* the final result: 0 or the error code */
	char msg[2048];
};

/* Read with the portable varint decoder even where BMI2 pext is fast (the reader's default
 * there): main runs the reading checks with both decoders. */
static int portable;

static void stream_free(struct stream *s)
{
	free(s->ops);
	free(s->where);
}

/* The whole file by read() (max == 0) or read_batch(max). */
static void read_all(const char *path, uint32_t max, struct stream *s)
{
	struct trace_read_opts opts = {.page_size = 4096, .vmb_portable = portable};
	struct err err = {{0}};
	memset(s, 0, sizeof(*s));
	s->ops = calloc(MAX_OPS + 1000, sizeof(*s->ops));
	s->where = calloc(MAX_OPS + 1000, sizeof(*s->where));
	void *r;
	if (trace_format_vmb.open(&r, path, &opts, &err) < 0) {
		s->rc = -1;
		snprintf(s->msg, sizeof(s->msg), "%s", err.msg);
		return;
	}
	int rc;
	for (;;) {
		if (max == 0) {
			rc = trace_format_vmb.read(r, &s->ops[s->nr], &err);
			if (rc <= 0)
				break;
			trace_format_vmb.where(r, s->where[s->nr], sizeof(s->where[0]));
			s->nr++;
		} else {
			rc = trace_format_vmb.read_batch(r, &s->ops[s->nr], max, &err);
			if (rc <= 0)
				break;
			/* the batch rule */
			uint32_t broken = rc > (int)max;
			for (int i = 0; i + 1 < rc; i++) {
				const struct op *o = &s->ops[s->nr + (uint32_t)i];
				if (o->kind > OP_EXEC || o->addr >= TRACE_VA_LIMIT)
					broken++;
				if (s->nr + (uint32_t)i > 0) {
					const struct op *prev = o - 1;
					if (prev->pid != o->pid || prev->kind == OP_EXIT ||
					    prev->kind == OP_FILE)
						broken++;
				}
			}
			if (broken)
				CHECK_EQ_U64(broken, 0);
			s->nr += (uint32_t)rc;
			trace_format_vmb.where(r, s->where[s->nr - 1], sizeof(s->where[0]));
			/* names are borrowed until the next call: copy the one of the last op */
			if (s->ops[s->nr - 1].name)
				s->ops[s->nr - 1].name = strdup(s->ops[s->nr - 1].name);
		}
		if (max == 0 && s->ops[s->nr - 1].name)
			s->ops[s->nr - 1].name = strdup(s->ops[s->nr - 1].name);
		if (s->nr >= MAX_OPS)
			break;
	}
	s->rc = rc;
	if (rc < 0)
		snprintf(s->msg, sizeof(s->msg), "%s", err.msg);
	/* a held error is returned again */
	if (rc < 0 && max) {
		struct err again = {{0}};
		CHECK(trace_format_vmb.read_batch(r, s->ops + s->nr, max, &again) == rc);
		CHECK_EQ_STR(again.msg, s->msg);
	}
	trace_format_vmb.close(r);
}

/* The streams of read() and read_batch(max) are the same. */
static void check_same(const char *path, uint32_t max, const struct stream *ref)
{
	struct stream b;
	read_all(path, max, &b);
	CHECK_EQ_U64(b.nr, ref->nr);
	CHECK_EQ_U64((uint64_t)(int64_t)b.rc, (uint64_t)(int64_t)ref->rc);
	CHECK_EQ_STR(b.msg, ref->msg);
	uint32_t bad = 0;
	for (uint32_t i = 0; i < b.nr && i < ref->nr && bad < 5; i++) {
		char x[1300], y[1300];
		trace_format_vmt_line(&b.ops[i], x, sizeof(x));
		trace_format_vmt_line(&ref->ops[i], y, sizeof(y));
		if (strcmp(x, y) != 0) {
			fprintf(stderr, "max %u op %u: %s vs %s\n", max, i, x, y);
			bad++;
		}
		if (b.where[i][0] && strcmp(b.where[i], ref->where[i]) != 0) {
			fprintf(stderr, "max %u op %u: where %s vs %s\n", max, i, b.where[i],
			        ref->where[i]);
			bad++;
		}
	}
	CHECK(bad == 0);
	for (uint32_t i = 0; i < b.nr; i++)
		if (b.ops[i].name)
			free((char *)b.ops[i].name);
	stream_free(&b);
}

static void check_file(const char *path, uint32_t expect_ops, int expect_error)
{
	struct stream ref;
	read_all(path, 0, &ref);
	if (expect_ops)
		CHECK_EQ_U64(ref.nr, expect_ops);
	CHECK(expect_error ? ref.rc < 0 : ref.rc == 0);
	static const uint32_t maxes[] = {1, 2, 3, 7, 64, 1000};
	for (size_t i = 0; i < ARRAY_SIZE(maxes); i++)
		check_same(path, maxes[i], &ref);
	for (uint32_t i = 0; i < ref.nr; i++)
		if (ref.ops[i].name)
			free((char *)ref.ops[i].name);
	stream_free(&ref);
}

static void put(void *w, struct op op)
{
	struct err err;
	CHECK(trace_format_vmb.write(w, &op, &err) == 0);
}

/* The mixed trace; returns its number of ops. */
static uint32_t write_mixed(const char *path)
{
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err;
	void *w;
	CHECK(trace_format_vmb.wopen(&w, path, &opts, &err) == 0);
	uint32_t n = 0;
	put(w, (struct op){.kind = OP_FILE, .name = "data.bin", .len = 1 << 20}), n++;
	put(w, (struct op){.kind = OP_MMAP,
	                   .pid = 1,
	                   .addr = 0x10000,
	                   .len = 1ull << 40,
	                   .prot = PROT_R | PROT_W}),
	    n++;
	uint64_t x = 88172645463325252ull; /* xorshift: deltas of every length */
	uint64_t addr = 0x10000;
	for (uint32_t i = 0; i < 300000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned bits = (unsigned)(x % 58); /* delta magnitude 2^0 .. 2^57 */
		uint64_t delta = (x >> 6) & ((1ull << bits) - 1);
		addr = (x & 1) ? addr + delta : addr - delta;
		if (i % 50000 == 7)
			addr = (1ull << 57) + i; /* beyond the limit: ends a batch */
		if (i % 50000 == 8)
			addr = UINT64_MAX - i; /* a 10-byte varint delta */
		uint8_t kind = (uint8_t)((x >> 3) % 3);
		put(w, (struct op){.kind = kind, .pid = 1, .addr = addr}), n++;
		if (i % 1000 == 999)
			put(w,
			    (struct op){.kind = OP_MARK, .pid = 1, .flags = MARK_BEGIN, .arg = i}),
			    n++;
		if (i % 1000 == 500)
			put(w, (struct op){.kind = OP_COMPUTE, .pid = 1, .arg = 17}), n++;
		if (i % 20000 == 3)
			put(w, (struct op){.kind = OP_MMAP,
			                   .pid = 1,
			                   .addr = 0x200000,
			                   .len = 0x2000,
			                   .prot = PROT_R,
			                   .flags = MAPF_FILE,
			                   .name = "data.bin",
			                   .offset = 0x1000}),
			    n++;
		if (i == 100000)
			put(w, (struct op){.kind = OP_FORK, .pid = 1, .arg = 2}), n++;
		if (i > 100000 && i < 100100) /* the child, interleaved */
			put(w, (struct op){.kind = OP_WRITE, .pid = 2, .addr = 0x10000 + i}), n++;
		if (i == 100100)
			put(w, (struct op){.kind = OP_EXECVE, .pid = 2, .name = "worker"}), n++;
		if (i == 100101)
			put(w, (struct op){.kind = OP_EXIT, .pid = 2}), n++;
	}
	put(w, (struct op){.kind = OP_EXIT, .pid = 1}), n++;
	CHECK(trace_format_vmb.wclose(w, &err) == 0);
	return n;
}

/* A vmb writer on path whose first op maps 1 TiB read-write at 0x10000 for pid 1 (a 13-byte
 * record at byte offset 8: tag, pid, address 3 bytes, length 6, prot, flags). */
static void *open_mapped(const char *path)
{
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};
	void *w = NULL;
	CHECK(trace_format_vmb.wopen(&w, path, &opts, &err) == 0);
	put(w, (struct op){.kind = OP_MMAP,
	                   .pid = 1,
	                   .addr = 0x10000,
	                   .len = 0x10000000000,
	                   .prot = PROT_R | PROT_W});
	return w;
}

/* A vmb file at c: the mmap of open_mapped (13 bytes at offset 8), 40 reads (the first 4 bytes,
 * then 2 each: the last at 101), then tail (n bytes) where the end record was, at 103, and 100
 * zero bytes that are never read (the fast path wants 72 bytes ahead). */
static void write_reads_then(const char *c, const unsigned char *tail, size_t n)
{
	struct err err = {{0}};
	void *w = open_mapped(c);
	for (int i = 0; i < 40; i++)
		put(w, (struct op){.kind = OP_READ, .pid = 1, .addr = 0x10000});
	CHECK(trace_format_vmb.wclose(w, &err) == 0);
	size_t clen = 0;
	char *cb = tt_slurp(c, &clen);
	CHECK_EQ_U64(clen, 8 + 13 + 4 + 39 * 2 + 1);
	char *bad = calloc(clen + 100, 1);
	memcpy(bad, cb, clen - 1);
	memcpy(bad + clen - 1, tail, n);
	tt_write(c, bad, clen + 100);
	free(bad);
	free(cb);
}

/* The first error through trace_source (the simulator's reader) into msg; the ops before it. */
static uint32_t source_error(const char *path, char *msg, size_t len)
{
	struct trace_read_opts opts = {.page_size = 4096};
	struct trace_source s;
	struct err err = {{0}};
	msg[0] = '\0';
	if (trace_source_open(&s, path, NULL, &opts, &err) < 0)
		return 0;
	struct op op;
	int rc;
	uint32_t n = 0;
	while ((rc = trace_source_next(&s, &op, &err)) > 0)
		n++;
	if (rc < 0)
		snprintf(msg, len, "%s", err.msg);
	trace_source_close(&s);
	return n;
}

/* A trace larger than the size from which the reader maps the file (and gives pages back
 * every 4 MiB): 3,000,000 accesses of one process with deltas of 1 to 6 varint bytes. read()
 * and read_batch(64) must both give exactly the accesses written. */
static void check_mapped(void)
{
	enum { N = 3000000 };
	const char *path = tt_path("big.vmb");
	void *w;
	struct err err = {{0}};
	/* The portable decoder's run also maps the file without the helper thread (mapahead.h). */
	struct trace_read_opts opts = {
	    .page_size = 4096, .vmb_portable = portable, .vmb_map_sync = portable};
	CHECK(trace_format_vmb.wopen(&w, path, &opts, &err) == 0);
	put(w, (struct op){.kind = OP_FILE, .name = "f", .len = 4096}); /* a general record */
	uint64_t *want = malloc(N * sizeof(*want));
	uint64_t x = 88172645463325252ull, addr = 1ull << 40;
	for (uint32_t i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t span = 1ull << (7 * (1 + i % 6) - 2); /* 1..6 varint bytes */
		addr = (addr + (x % span) - span / 2) & ((1ull << 56) - 1);
		want[i] = addr;
		put(w, (struct op){.kind = (uint8_t)(i % 3 == 2 ? OP_WRITE : OP_READ),
		                   .pid = 1,
		                   .addr = addr});
	}
	put(w, (struct op){.kind = OP_EXIT, .pid = 1});
	CHECK(trace_format_vmb.wclose(w, &err) == 0);
	size_t len = 0;
	free(tt_slurp(path, &len));
	CHECK(len > (12u << 20)); /* mapped, with pages given back twice at least */
	for (int batched = 0; batched <= 1; batched++) {
		void *r;
		CHECK(trace_format_vmb.open(&r, path, &opts, &err) == 0);
		struct op ops[64];
		uint32_t got = 0, bad = 0, others = 0;
		int rc;
		for (;;) {
			rc = batched ? trace_format_vmb.read_batch(r, ops, 64, &err)
			             : trace_format_vmb.read(r, ops, &err);
			if (rc <= 0)
				break;
			for (int i = 0; i < rc; i++) {
				if (ops[i].kind != OP_READ && ops[i].kind != OP_WRITE) {
					others++;
					continue;
				}
				bad += got >= N || ops[i].addr != want[got] ||
				       ops[i].kind != (got % 3 == 2 ? OP_WRITE : OP_READ);
				got++;
			}
		}
		CHECK_EQ_U64((uint64_t)rc, 0);
		CHECK_EQ_U64(got, N);
		CHECK_EQ_U64(bad, 0);
		CHECK_EQ_U64(others, 2); /* the file declaration and the exit */
		trace_format_vmb.close(r);
	}
	free(want);
}

/* Issue 21 item 1: 300 reads of one page (2-byte records) read in batches of exactly 64 ops
 * into an array of 64 followed by a guard op. A window that filled a batch exactly made the
 * portable decoder's next (careful) window store one op past the batch. */
static void check_batch_bound(void)
{
	const char *path = tt_path("one_page.vmb");
	struct trace_read_opts opts = {.page_size = 4096, .vmb_portable = portable};
	struct err err = {{0}};
	void *w, *r;
	CHECK(trace_format_vmb.wopen(&w, path, &opts, &err) == 0);
	for (int i = 0; i < 300; i++)
		put(w, (struct op){.kind = OP_READ, .pid = 1, .addr = 0x5000});
	CHECK(trace_format_vmb.wclose(w, &err) == 0);
	CHECK(trace_format_vmb.open(&r, path, &opts, &err) == 0);
	struct op *ops = malloc(65 * sizeof(*ops));
	memset(ops, 0xab, 65 * sizeof(*ops));
	struct op guard = ops[64];
	uint64_t total = 0, bad_addr = 0;
	int rc;
	while ((rc = trace_format_vmb.read_batch(r, ops, 64, &err)) > 0) {
		for (int i = 0; i < rc; i++)
			bad_addr += ops[i].addr != 0x5000 || ops[i].kind != OP_READ;
		total += (uint64_t)rc;
	}
	CHECK_EQ_U64((uint64_t)(int64_t)rc, 0);
	CHECK_EQ_U64(total, 300);
	CHECK_EQ_U64(bad_addr, 0);
	CHECK(memcmp(&ops[64], &guard, sizeof(guard)) == 0);
	free(ops);
	trace_format_vmb.close(r);
}

int main(void)
{
	for (portable = 1; portable >= 0; portable--) {
		check_batch_bound();
		check_mapped();
		const char *mixed = tt_path("mixed.vmb");
		uint32_t n = write_mixed(mixed);
		check_file(mixed, n, 0);
	}
	const char *mixed = tt_path("mixed.vmb");
	write_mixed(mixed);
	size_t len = 0;
	char *bytes = tt_slurp(mixed, &len);
	CHECK(len > (1u << 20) + 1000); /* the reader refills its buffer */
	/* Both decoders give the same stream. */
	struct stream fast, slow;
	read_all(mixed, 0, &fast);
	portable = 1;
	read_all(mixed, 64, &slow);
	portable = 0;
	check_same(mixed, 64, &fast);
	CHECK_EQ_U64(slow.nr, fast.nr);
	uint64_t differ = 0;
	for (uint32_t i = 0; i < fast.nr && i < slow.nr; i++)
		differ += fast.ops[i].kind != slow.ops[i].kind ||
		          fast.ops[i].addr != slow.ops[i].addr ||
		          fast.ops[i].pid != slow.ops[i].pid;
	CHECK_EQ_U64(differ, 0);
	for (uint32_t i = 0; i < fast.nr; i++)
		if (fast.ops[i].name)
			free((char *)fast.ops[i].name);
	for (uint32_t i = 0; i < slow.nr; i++)
		if (slow.ops[i].name)
			free((char *)slow.ops[i].name);
	stream_free(&fast);
	stream_free(&slow);

	/* Cut inside the records at a few places, and a bad tag (reserved bits) in the middle. */
	static const size_t cuts[] = {9, 12, 100, 70001, (1u << 20) - 3, (1u << 20) + 5};
	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		const char *p = tt_path("cut.vmb");
		tt_write(p, bytes, cuts[i]);
		check_file(p, 0, 1);
	}
	const char *bad_tag = tt_path("badtag.vmb");
	/* find a tag byte: read to op 200000 and take where()'s offset */
	struct stream ref;
	read_all(mixed, 0, &ref);
	unsigned long long off = 0;
	const char *o = strstr(ref.where[200000], "byte offset ");
	CHECK(o != NULL);
	if (o)
		off = strtoull(o + 12, NULL, 10);
	for (uint32_t i = 0; i < ref.nr; i++)
		if (ref.ops[i].name)
			free((char *)ref.ops[i].name);
	stream_free(&ref);
	CHECK(off > 0 && off < len);
	bytes[off] = (char)0xe0;
	tt_write(bad_tag, bytes, len);
	check_file(bad_tag, 200000, 1);
	free(bytes);

	/* Errors inside a batch through trace_source name their own record. An access after its
	 * process exited (the same process, so the vmb record has no pid and is decoded by the
	 * fast path), at byte offset 8 + 20 = 28: mmap 13 bytes (tag 0x13, pid 1, addr 3 bytes,
	 * len 6 bytes, prot, flags), w 4 bytes (delta 0x10000), w 2 bytes, exit 1 byte. */
	const char *b = tt_path("after_exit.vmb");
	struct err err = {{0}};
	char want[2048];
	{
		void *w = open_mapped(b);
		put(w, (struct op){.kind = OP_WRITE, .pid = 1, .addr = 0x10000});
		put(w, (struct op){.kind = OP_WRITE, .pid = 1, .addr = 0x10008});
		put(w, (struct op){.kind = OP_EXIT, .pid = 1});
		for (int i = 0; i < 100; i++)
			put(w, (struct op){.kind = OP_WRITE, .pid = 1, .addr = 0x10010 + 8u * i});
		CHECK(trace_format_vmb.wclose(w, &err) == 0);
	}
	char msg[2048];
	CHECK_EQ_U64(source_error(b, msg, sizeof(msg)), 4);
	snprintf(want, sizeof(want),
	         "%s: byte offset 28: pid 1 has exited; no operation may follow its exit", b);
	CHECK_EQ_STR(msg, want);

	/* A batch that ends just before a broken record: where() names its last access, not the
	 * broken record. mmap at byte offset 8 (13 bytes), 40 reads (the first 4 bytes, then 2
	 * each: the last at 101), the broken tag at 103, then 100 bytes that are never read (so
	 * that the reads are decoded by the fast path, which wants 72 bytes ahead). */
	{
		const char *c = tt_path("before_bad.vmb");
		/* the end record becomes a tag with reserved bits */
		write_reads_then(c, (const unsigned char[]){0x6c}, 1);
		check_file(c, 41, 1);
		void *r;
		struct trace_read_opts ropts = {.page_size = 4096};
		CHECK(trace_format_vmb.open(&r, c, &ropts, &err) == 0);
		struct op ops[64];
		CHECK(trace_format_vmb.read_batch(r, ops, 64, &err) == 1);  /* mmap */
		CHECK(trace_format_vmb.read_batch(r, ops, 64, &err) == 40); /* the reads */
		char where[1200];
		trace_format_vmb.where(r, where, sizeof(where));
		snprintf(want, sizeof(want), "%s: byte offset 101", c);
		CHECK_EQ_STR(where, want);
		CHECK(trace_format_vmb.read_batch(r, ops, 64, &err) < 0);
		snprintf(want, sizeof(want),
		         "%s: byte offset 103: bad record tag (reserved bits set)", c);
		CHECK_EQ_STR(err.msg, want);
		trace_format_vmb.close(r);
	}

	/* The extended-opcode escape (VMB_TAG_EXT): read by the general path whichever decoder
	 * runs the accesses before it; opcode 31 is unknown to this reader, 0x40 stays reserved. */
	for (int k = 0; k < 4; k++) { /* k & 2: the portable decoder */
		const char *c = tt_path("before_ext.vmb");
		/* extended opcode 31 of pid 0x55, or a tag with reserved bit 6 */
		write_reads_then(c, k & 1 ? (const unsigned char[]){0x40, 0x55}
		                          : (const unsigned char[]){VMB_TAG_EXT | VMB_TAG_PID | 0x0f, 0x55},
		                 2);
		void *r;
		struct trace_read_opts ropts = {.page_size = 4096, .vmb_portable = k >> 1};
		CHECK(trace_format_vmb.open(&r, c, &ropts, &err) == 0);
		struct op ops[64];
		CHECK(trace_format_vmb.read_batch(r, ops, 64, &err) == 1);  /* mmap */
		CHECK(trace_format_vmb.read_batch(r, ops, 64, &err) == 40); /* the reads */
		CHECK(trace_format_vmb.read_batch(r, ops, 64, &err) < 0);
		snprintf(want, sizeof(want), "%s: byte offset 103: %s", c,
		         k & 1 ? "bad record tag (reserved bits set)"
		           : "unknown extended record opcode 31 (a newer writer?)");
		CHECK_EQ_STR(err.msg, want);
		trace_format_vmb.close(r);
	}

	/* An address beyond 57 bits in the middle of a run of accesses. */
	{
		void *w = open_mapped(b);
		for (int i = 0; i < 10; i++)
			put(w, (struct op){.kind = OP_READ, .pid = 1, .addr = 0x10000 + 8u * i});
		put(w, (struct op){.kind = OP_READ, .pid = 1, .addr = 1ull << 57});
		for (int i = 0; i < 100; i++)
			put(w, (struct op){.kind = OP_READ, .pid = 1, .addr = 0x10000 + 8u * i});
		CHECK(trace_format_vmb.wclose(w, &err) == 0);
	}
	struct stream s;
	read_all(b, 0, &s);
	CHECK(s.nr == 112 && s.ops[11].addr == 1ull << 57);
	CHECK_EQ_U64(source_error(b, msg, sizeof(msg)), 11);
	snprintf(want, sizeof(want),
	         "%s: address 0x200000000000000 is beyond the 57-bit virtual address space",
	         s.where[11]);
	CHECK_EQ_STR(msg, want);
	CHECK(strstr(s.where[11], ": byte offset 43") != NULL); /* 8 + 13 + 4 + 9 x 2 */
	stream_free(&s);
	tt_cleanup();
	TEST_DONE();
}
