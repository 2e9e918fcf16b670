/*
 * trace_oracle.c — import of libCacheSim's oracleGeneral binary traces (optionally zstd
 * compressed, ".zst", when vmsim was built with libzstd: VMSIM_HAVE_ZSTD).
 *
 * A file is a sequence of 24-byte little-endian requests: uint32 timestamp, uint64 obj_id,
 * uint32 obj_size, int64 next_access_vtime. Each request becomes one access of pid 1 to the
 * page numbered obj_id in the same anonymous region as a `pages` trace ([0, 2^47), mapped by
 * the first op): a read, or a write when the `oracle_access` param is "write". Ids that do
 * not fit the region (more than PAGES_REGION_BYTES / page_size pages) are folded into it by
 * taking them modulo the number of pages: deterministic, order preserving for consecutive
 * ids, and a collision only between ids that differ by a multiple of 2^35 (4 KiB pages).
 * Ignored: timestamps (the simulator has its own clock), object sizes (every object is one
 * page) and next_access_vtime (OPT computes its own future).
 * A file whose length is not a multiple of 24 is an error naming the byte offset of the
 * partial record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef VMSIM_HAVE_ZSTD
#include <zstd.h>
#endif

#include "workloads/trace_format.h"
#include "workloads/trace_pages.h"

#define ORACLE_REC_BYTES 24
#define ORACLE_BUF_BYTES (1u << 20) /* a multiple of 24 is not needed: records may straddle */

struct oracle_reader {
	FILE *f;
	char *path;
	unsigned char *buf;
	size_t pos, len;
	uint64_t buf_off; /* (decompressed) offset of buf[0] */
	uint64_t rec_off; /* offset of the record last returned */
	uint64_t nr_pages;
	uint64_t page_size;
	int as_writes, mapped, eof;
#ifdef VMSIM_HAVE_ZSTD
	ZSTD_DStream *zs;
	unsigned char *zbuf;
	ZSTD_inBuffer zin;
	size_t zhint;          /* ZSTD_decompressStream's last answer: 0 when a frame is whole */
	uint64_t zin_off;      /* compressed bytes read */
#endif
};

static void oracle_close(void *reader)
{
	struct oracle_reader *r = reader;
	if (r->f)
		fclose(r->f);
#ifdef VMSIM_HAVE_ZSTD
	if (r->zs)
		ZSTD_freeDStream(r->zs);
	free(r->zbuf);
#endif
	free(r->buf);
	free(r->path);
	free(r);
}

static int is_zst(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcmp(path + n - 4, ".zst") == 0;
}

static int oracle_open(void **out, const char *path, const struct trace_read_opts *opts,
                       struct err *err)
{
#ifndef VMSIM_HAVE_ZSTD
	if (is_zst(path))
		return err_set(err,
		               "%s: a zstd-compressed trace, but this vmsim was built without "
		               "libzstd (install it and rebuild, or decompress with zstd -d)",
		               path);
#endif
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, "%s: cannot open trace: %s", path, strerror(errno));
	struct oracle_reader *r = xcalloc(1, sizeof(*r));
	r->f = f;
	r->path = xstrdup(path);
	r->buf = xmalloc(ORACLE_BUF_BYTES);
	r->page_size = opts->page_size;
	r->nr_pages = PAGES_REGION_BYTES / opts->page_size;
	r->as_writes = opts->oracle_as_writes;
#ifdef VMSIM_HAVE_ZSTD
	if (is_zst(path)) {
		r->zs = ZSTD_createDStream();
		r->zbuf = xmalloc(ZSTD_DStreamInSize());
		ZSTD_initDStream(r->zs);
		r->zin = (ZSTD_inBuffer){r->zbuf, 0, 0};
	}
#endif
	*out = r;
	return 0;
}

static void oracle_where(void *reader, char *buf, size_t len)
{
	struct oracle_reader *r = reader;
	snprintf(buf, len, "%s: byte offset %llu", r->path, (unsigned long long)r->rec_off);
}

/* Append up to room bytes of the (decompressed) stream at dst; 0 at the end. */
static int oracle_raw(struct oracle_reader *r, unsigned char *dst, size_t room, size_t *got,
                      struct err *err)
{
#ifdef VMSIM_HAVE_ZSTD
	if (r->zs) {
		ZSTD_outBuffer zout = {dst, room, 0};
		while (zout.pos == 0) {
			if (r->zin.pos == r->zin.size) {
				r->zin.size = fread(r->zbuf, 1, ZSTD_DStreamInSize(), r->f);
				r->zin.pos = 0;
				r->zin_off += r->zin.size;
				if (r->zin.size == 0 && ferror(r->f))
					return err_setc(err, VMSIM_EIO, "%s: read error: %s", r->path,
					                strerror(errno));
				if (r->zin.size == 0 && r->zhint)
					return err_set(err,
					               "%s: zstd: truncated frame (the compressed file "
					               "ends at byte offset %llu, inside a frame; "
					               "decompressed byte offset %llu)",
					               r->path, (unsigned long long)r->zin_off,
					               (unsigned long long)(r->buf_off + r->len));
				if (r->zin.size == 0)
					break;
			}
			size_t rc = ZSTD_decompressStream(r->zs, &zout, &r->zin);
			if (ZSTD_isError(rc))
				return err_set(err, "%s: zstd: %s (decompressed byte offset %llu)",
				               r->path, ZSTD_getErrorName(rc),
				               (unsigned long long)(r->buf_off + r->len));
			r->zhint = rc;
		}
		*got = zout.pos;
		return 0;
	}
#endif
	*got = fread(dst, 1, room, r->f);
	if (*got == 0 && ferror(r->f))
		return err_setc(err, VMSIM_EIO, "%s: read error: %s", r->path, strerror(errno));
	return 0;
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int oracle_read(void *reader, struct op *op, struct err *err)
{
	struct oracle_reader *r = reader;
	if (!r->mapped) {
		r->mapped = 1;
		pages_region_mmap(op, PROT_R | PROT_W);
		return 1;
	}
	if (r->len - r->pos < ORACLE_REC_BYTES) {
		size_t rest = r->len - r->pos;
		memmove(r->buf, r->buf + r->pos, rest);
		r->buf_off += r->pos;
		r->pos = 0;
		r->len = rest;
		while (r->len < ORACLE_REC_BYTES && !r->eof) {
			size_t got = 0;
			int rc =
			    oracle_raw(r, r->buf + r->len, ORACLE_BUF_BYTES - r->len, &got, err);
			if (rc < 0)
				return rc;
			if (got == 0)
				r->eof = 1;
			r->len += got;
		}
		if (r->len == 0 && r->buf_off == 0)
			return err_set(err, "%s: empty trace (no requests)", r->path);
		if (r->len == 0)
			return 0;
		if (r->len < ORACLE_REC_BYTES) {
			r->rec_off = r->buf_off;
			return err_set(err,
			               "%s: byte offset %llu: truncated request (%zu of 24 "
			               "bytes)",
			               r->path, (unsigned long long)r->buf_off, r->len);
		}
	}
	const unsigned char *p = r->buf + r->pos;
	r->rec_off = r->buf_off + r->pos;
	r->pos += ORACLE_REC_BYTES;
	uint64_t obj = le64(p + 4);
	op->kind = r->as_writes ? OP_WRITE : OP_READ;
	op->pid = PAGES_PID;
	op->addr = (obj % r->nr_pages) * r->page_size;
	return 1;
}

const struct trace_format trace_format_oracle = {
    .name = "oracle",
    .extensions = ".oracleGeneral|.oracleGeneral.zst|.oracleGeneral.bin|.oracleGeneral.bin.zst",
    .open = oracle_open,
    .read = oracle_read,
    .where = oracle_where,
    .close = oracle_close,
};
