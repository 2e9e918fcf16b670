/*
 * byte_stream.c — see byte_stream.h. gzip through zlib's inflate (gzip wrapper only, members
 * concatenated as gzip(1) and pigz write them), xz through liblzma's stream decoder with
 * LZMA_CONCATENATED (as xz(1) writes multi-stream files). Both read the file in 256 KiB
 * pieces.
 */
#include "workloads/byte_stream.h"

#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define BYTE_STREAM_IN_BYTES (256u << 10)

struct byte_stream_impl {
	FILE *f;
	unsigned char *in; /* compressed bytes read from f */
	int in_eof;        /* f is exhausted */
	int done;          /* the decoder reached the end of the data */
	z_stream z;
	int z_live;
	lzma_stream x;
	int x_live;
};

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n > m && strcmp(s + n - m, end) == 0;
}

enum byte_stream_kind byte_stream_kind_of(const char *path)
{
	if (ends_with(path, ".xz"))
		return BYTE_STREAM_XZ;
	if (ends_with(path, ".gz"))
		return BYTE_STREAM_GZIP;
	return BYTE_STREAM_PLAIN;
}

int byte_stream_open(struct byte_stream *s, const char *path, struct err *err)
{
	memset(s, 0, sizeof(*s));
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, "%s: cannot open trace: %s", path, strerror(errno));
	struct byte_stream_impl *im = xcalloc(1, sizeof(*im));
	im->f = f;
	s->impl = im;
	s->path = xstrdup(path);
	s->kind = byte_stream_kind_of(path);
	if (s->kind == BYTE_STREAM_PLAIN)
		return 0;
	im->in = xmalloc(BYTE_STREAM_IN_BYTES);
	if (s->kind == BYTE_STREAM_GZIP) {
		/* 15 + 16: a 32 KiB window, gzip wrapper only (no zlib or raw deflate). */
		if (inflateInit2(&im->z, 15 + 16) != Z_OK)
			BUG_ON(1, "inflateInit2 failed (host out of memory)");
		im->z_live = 1;
	} else {
		im->x = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_stream_decoder(&im->x, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
			BUG_ON(1, "lzma_stream_decoder failed (host out of memory)");
		im->x_live = 1;
	}
	return 0;
}

/* Refill the compressed input when it is used up; sets in_eof at the end of the file. */
static int fill_input(struct byte_stream *s, const unsigned char **next, size_t *avail,
                      struct err *err)
{
	struct byte_stream_impl *im = s->impl;
	if (*avail || im->in_eof)
		return 0;
	size_t n = fread(im->in, 1, BYTE_STREAM_IN_BYTES, im->f);
	if (n == 0 && ferror(im->f))
		return err_setc(err, VMSIM_EIO, "%s: read error: %s", s->path, strerror(errno));
	if (n == 0)
		im->in_eof = 1;
	*next = im->in;
	*avail = n;
	return 0;
}

static int gzip_read(struct byte_stream *s, unsigned char *dst, size_t room, size_t *got,
                     struct err *err)
{
	struct byte_stream_impl *im = s->impl;
	z_stream *z = &im->z;
	z->next_out = dst;
	z->avail_out = (uInt)MIN(room, (size_t)1 << 30);
	while (z->next_out == dst && !im->done) {
		const unsigned char *next = z->next_in;
		size_t avail = z->avail_in;
		int rc = fill_input(s, &next, &avail, err);
		if (rc < 0)
			return rc;
		z->next_in = (unsigned char *)next;
		z->avail_in = (uInt)avail;
		if (!avail && im->in_eof) {
			/* The end of the file inside a member (or before any member). */
			if (z->total_in || s->offset == 0)
				return err_set(err,
				               "%s: truncated gzip data (the file ends inside a "
				               "compressed member, decompressed byte offset %llu)",
				               s->path, (unsigned long long)s->offset);
			im->done = 1;
			break;
		}
		int zr = inflate(z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			/* Another member may follow (gzip -c a b > c.gz). */
			inflateReset(z);
			if (!z->avail_in) {
				next = z->next_in;
				avail = 0;
				int r2 = fill_input(s, &next, &avail, err);
				if (r2 < 0)
					return r2;
				z->next_in = (unsigned char *)next;
				z->avail_in = (uInt)avail;
			}
			if (!z->avail_in && im->in_eof)
				im->done = 1;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return err_set(
			    err,
			    "%s: not valid gzip data: %s (decompressed byte offset "
			    "%llu)",
			    s->path, z->msg ? z->msg : zError(zr),
			    (unsigned long long)(s->offset + (size_t)(z->next_out - dst)));
		}
	}
	*got = (size_t)(z->next_out - dst);
	return 0;
}

static const char *lzma_what(lzma_ret r)
{
	switch (r) {
	case LZMA_FORMAT_ERROR:
		return "not xz data";
	case LZMA_OPTIONS_ERROR:
		return "unsupported xz options";
	case LZMA_DATA_ERROR:
		return "corrupt xz data";
	case LZMA_BUF_ERROR:
		return "truncated xz data";
	case LZMA_MEM_ERROR:
		return "host out of memory";
	default:
		return "xz decoder error";
	}
}

static int xz_read(struct byte_stream *s, unsigned char *dst, size_t room, size_t *got,
                   struct err *err)
{
	struct byte_stream_impl *im = s->impl;
	lzma_stream *x = &im->x;
	x->next_out = dst;
	x->avail_out = room;
	while (x->next_out == dst && !im->done) {
		const unsigned char *next = x->next_in;
		size_t avail = x->avail_in;
		int rc = fill_input(s, &next, &avail, err);
		if (rc < 0)
			return rc;
		x->next_in = next;
		x->avail_in = avail;
		lzma_ret r = lzma_code(x, im->in_eof ? LZMA_FINISH : LZMA_RUN);
		if (r == LZMA_STREAM_END) {
			im->done = 1;
		} else if (r != LZMA_OK) {
			return err_set(
			    err, "%s: %s (decompressed byte offset %llu)", s->path, lzma_what(r),
			    (unsigned long long)(s->offset + (size_t)(x->next_out - dst)));
		}
	}
	*got = (size_t)(x->next_out - dst);
	return 0;
}

int byte_stream_read(struct byte_stream *s, void *dst, size_t room, size_t *got, struct err *err)
{
	struct byte_stream_impl *im = s->impl;
	int rc = 0;
	*got = 0;
	if (s->kind == BYTE_STREAM_PLAIN) {
		*got = fread(dst, 1, room, im->f);
		if (*got == 0 && ferror(im->f))
			rc = err_setc(err, VMSIM_EIO, "%s: read error: %s", s->path,
			              strerror(errno));
	} else if (s->kind == BYTE_STREAM_GZIP) {
		rc = gzip_read(s, dst, room, got, err);
	} else {
		rc = xz_read(s, dst, room, got, err);
	}
	s->offset += *got;
	return rc;
}

void byte_stream_close(struct byte_stream *s)
{
	struct byte_stream_impl *im = s->impl;
	if (im) {
		if (im->z_live)
			inflateEnd(&im->z);
		if (im->x_live)
			lzma_end(&im->x);
		fclose(im->f);
		free(im->in);
		free(im);
	}
	free(s->path);
	memset(s, 0, sizeof(*s));
}
