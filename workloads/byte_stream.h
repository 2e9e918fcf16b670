/*
 * byte_stream.h — a file read as a stream of bytes, decompressed on the fly when its name ends
 * in ".xz" (liblzma, concatenated streams allowed) or ".gz" (zlib, concatenated members
 * allowed); any other name is read as it is. Memory is two fixed buffers whatever the file's
 * length: a compressed trace is never held whole. Offsets are those of the decompressed bytes.
 * What it does not do: guess compression from the contents (the ending decides, so a ".gz"
 * file that is not gzip data is an error rather than read as plain bytes).
 */
#ifndef VMSIM_WORKLOADS_BYTE_STREAM_H
#define VMSIM_WORKLOADS_BYTE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "sim/base/util.h"

enum byte_stream_kind { BYTE_STREAM_PLAIN, BYTE_STREAM_GZIP, BYTE_STREAM_XZ };

struct byte_stream_impl;

struct byte_stream {
	enum byte_stream_kind kind;
	char *path;                    /* for messages */
	uint64_t offset;               /* decompressed bytes returned so far */
	struct byte_stream_impl *impl; /* the decoder's state (owned) */
};

/* The compression path's ending asks for. */
enum byte_stream_kind byte_stream_kind_of(const char *path);
/* Open path; < 0 with err naming the file on failure. */
int byte_stream_open(struct byte_stream *s, const char *path, struct err *err);
/* Up to room bytes into dst: *got = 0 only at the end of the stream. < 0 with err naming the
 * file and the decompressed offset on a read error, corrupt or truncated compressed data. */
int byte_stream_read(struct byte_stream *s, void *dst, size_t room, size_t *got, struct err *err);
void byte_stream_close(struct byte_stream *s);

#endif
