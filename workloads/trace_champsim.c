/*
 * trace_champsim.c — import of ChampSim instruction traces (the DPC-3, CRC-2, IPC-1 and GAP
 * corpora), plain, gzip (".gz") or xz (".xz") compressed, read as a stream (byte_stream.h).
 *
 * Records are little-endian, back to back, with no header:
 *   input_instr (64 bytes): u64 ip; u8 is_branch; u8 branch_taken; u8 dst_regs[2];
 *     u8 src_regs[4]; u64 dst_mem[2] (stores, offset 16); u64 src_mem[4] (loads, offset 32)
 *   cloudsuite_instr (96 bytes): u64 ip; u8 is_branch; u8 branch_taken; u8 dst_regs[4] (10);
 *     u8 src_regs[4] (14); u64 dst_mem[4] (24); u64 src_mem[4] (56); u8 asid[2] (88); padding
 * Each record becomes, in this order: an instruction fetch (`x`) of ip (unless the
 * `instruction_fetches` option is off), a read of every non-zero src_mem in slot order, then a
 * write of every non-zero dst_mem in slot order — the memory operands ChampSim itself keeps
 * (it drops the zero slots and keeps repeats). All of them are accesses of pid 1 in one
 * anonymous private rwx region [0, PAGES_REGION_BYTES) mapped by the first op: the traces are
 * of one user-space program, whose addresses lie below 2^47; an address beyond is an error
 * naming the record's offset. Several traces run as several processes through a config's
 * `workloads` list (one address space each, as ChampSim gives each core its own).
 * Ignored: registers, branch outcomes (vmsim has no core model) and cloudsuite's asid bytes
 * (the trace is replayed as one address space, as ChampSim does). Offsets in messages are
 * those of the decompressed stream.
 */
#include <stdlib.h>
#include <string.h>

#include "workloads/byte_stream.h"
#include "workloads/trace_format.h"
#include "workloads/trace_pages.h"

#define CHAMPSIM_BUF_BYTES (1u << 20)
#define CHAMPSIM_MAX_OPS 9 /* x + 4 loads + 4 stores (cloudsuite) */

/* The layout of one variant: record size, and the offset and count of each memory array. */
struct champsim_layout {
	uint32_t rec_bytes;
	uint32_t dst_off, nr_dst;
	uint32_t src_off, nr_src;
};

static const struct champsim_layout champsim_input_instr = {64, 16, 2, 32, 4};
static const struct champsim_layout champsim_cloudsuite = {96, 24, 4, 56, 4};

struct champsim_reader {
	struct byte_stream in;
	const struct champsim_layout *lay;
	int ifetch;
	unsigned char *buf;
	size_t pos, len;                 /* unread bytes are buf[pos, len) */
	uint64_t buf_off;                /* stream offset of buf[0] */
	uint64_t rec_off;                /* offset of the record the last op came from */
	struct op ops[CHAMPSIM_MAX_OPS]; /* the ops of the current record */
	uint32_t nr_ops, next_op;
	int mapped, eof;
};

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void champsim_close(void *reader)
{
	struct champsim_reader *r = reader;
	byte_stream_close(&r->in);
	free(r->buf);
	free(r);
}

static int champsim_open(void **out, const char *path, const struct trace_read_opts *opts,
                         struct err *err)
{
	struct champsim_reader *r = xcalloc(1, sizeof(*r));
	int rc = byte_stream_open(&r->in, path, err);
	if (rc < 0) {
		free(r);
		return rc;
	}
	r->lay = opts->champsim_cloudsuite ? &champsim_cloudsuite : &champsim_input_instr;
	r->ifetch = !opts->champsim_no_ifetch;
	r->buf = xmalloc(CHAMPSIM_BUF_BYTES);
	*out = r;
	return 0;
}

static void champsim_where(void *reader, char *buf, size_t len)
{
	struct champsim_reader *r = reader;
	snprintf(buf, len, "%s: byte offset %llu%s", r->in.path, (unsigned long long)r->rec_off,
	         r->in.kind == BYTE_STREAM_PLAIN ? "" : " (decompressed)");
}

/* Make one whole record readable at buf[pos]: 1, 0 at the end, < 0 on error. */
static int champsim_fill(struct champsim_reader *r, struct err *err)
{
	uint32_t need = r->lay->rec_bytes;
	if (r->len - r->pos >= need)
		return 1;
	size_t rest = r->len - r->pos;
	memmove(r->buf, r->buf + r->pos, rest);
	r->buf_off += r->pos;
	r->pos = 0;
	r->len = rest;
	while (r->len < need && !r->eof) {
		size_t got;
		int rc = byte_stream_read(&r->in, r->buf + r->len, CHAMPSIM_BUF_BYTES - r->len,
		                          &got, err);
		if (rc < 0)
			return rc;
		r->eof = got == 0;
		r->len += got;
	}
	if (r->len == 0)
		return 0;
	if (r->len < need) {
		r->rec_off = r->buf_off;
		return err_set(err,
		               "%s: byte offset %llu: truncated record (%zu of %u bytes of %s)",
		               r->in.path, (unsigned long long)r->buf_off, r->len, need,
		               need == 64 ? "input_instr" : "cloudsuite_instr");
	}
	return 1;
}

static int champsim_push(struct champsim_reader *r, uint8_t kind, uint64_t addr, const char *what,
                         struct err *err)
{
	if (addr >= PAGES_REGION_BYTES)
		return err_set(err,
		               "%s: byte offset %llu: %s address 0x%llx is beyond the 47-bit user "
		               "address space a ChampSim trace replays in",
		               r->in.path, (unsigned long long)r->rec_off, what,
		               (unsigned long long)addr);
	r->ops[r->nr_ops++] = (struct op){.kind = kind, .pid = PAGES_PID, .addr = addr};
	return 0;
}

/* Decode the record at buf[pos] into ops[]. */
static int champsim_decode(struct champsim_reader *r, struct err *err)
{
	const struct champsim_layout *l = r->lay;
	const unsigned char *p = r->buf + r->pos;
	r->rec_off = r->buf_off + r->pos;
	r->pos += l->rec_bytes;
	r->nr_ops = r->next_op = 0;
	int rc = 0;
	if (r->ifetch)
		rc = champsim_push(r, OP_EXEC, le64(p), "instruction", err);
	for (uint32_t i = 0; i < l->nr_src && rc == 0; i++) {
		uint64_t a = le64(p + l->src_off + 8 * i);
		if (a)
			rc = champsim_push(r, OP_READ, a, "load", err);
	}
	for (uint32_t i = 0; i < l->nr_dst && rc == 0; i++) {
		uint64_t a = le64(p + l->dst_off + 8 * i);
		if (a)
			rc = champsim_push(r, OP_WRITE, a, "store", err);
	}
	return rc;
}

static int champsim_read(void *reader, struct op *op, struct err *err)
{
	struct champsim_reader *r = reader;
	if (unlikely(!r->mapped)) {
		r->mapped = 1;
		pages_region_mmap(op, PROT_R | PROT_W | PROT_X);
		return 1;
	}
	/* A record may hold no access (no fetch, no memory operand): read on. */
	while (r->next_op == r->nr_ops) {
		int rc = champsim_fill(r, err);
		if (rc <= 0)
			return rc;
		rc = champsim_decode(r, err);
		if (rc < 0)
			return rc;
	}
	*op = r->ops[r->next_op++];
	return 1;
}

const struct trace_format trace_format_champsim = {
    .name = "champsim",
    .extensions = ".champsimtrace|.champsimtrace.xz|.champsimtrace.gz|.champsim|.champsim.xz|"
                  ".champsim.gz",
    .open = champsim_open,
    .read = champsim_read,
    .where = champsim_where,
    .close = champsim_close,
};
