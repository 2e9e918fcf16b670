/*
 * mapahead.h — a large file read front to back through a read-only mapping whose pages are
 * mapped ahead of the reader and given back behind it.
 *
 * Reading a mapped file from the host's page cache costs, besides the decoding, a page fault
 * per few pages (the kernel maps 16 at a time) and, to keep the resident size from growing
 * with the file, the release of the pages already read: together about a third of the time of
 * the vmb reader at 200 M records/s. Here a helper thread does both: it maps
 * MAPAHEAD_AHEAD_WINDOWS windows ahead of the reader's position (MADV_POPULATE_READ) and
 * releases whole windows behind it (MADV_DONTNEED), so the reader finds its pages mapped and
 * only decodes. The thread never touches what the reader reads: the bytes, and so every
 * result, are the same with it or without it, and the reader never waits for it (a page it
 * has not mapped yet is faulted in as usual). Without the thread (opts, or no thread to be
 * had) the reader releases the pages itself.
 *
 * Memory: the window being read and the MAPAHEAD_AHEAD_WINDOWS after it stay mapped, plus the
 * one before it until the helper has released it: at most (2 + MAPAHEAD_AHEAD_WINDOWS) *
 * MAPAHEAD_WINDOW_BYTES of the file, whatever its length.
 * Ignores: a file truncated while mapped (reading past its new end raises SIGBUS, as with any
 * mapping); reading backwards (released pages would be faulted in again, correctly but
 * slowly).
 */
#ifndef VMSIM_WORKLOADS_MAPAHEAD_H
#define VMSIM_WORKLOADS_MAPAHEAD_H

#include <stdbool.h>
#include <stddef.h>

#define MAPAHEAD_WINDOW_BYTES ((size_t)4 << 20)
#define MAPAHEAD_AHEAD_WINDOWS 2

struct mapahead {
	const unsigned char *data; /* the file's bytes [0, bytes) */
	size_t bytes;
	size_t released; /* [0, released) given back or handed to the helper to give back */
	struct mapahead_helper *helper; /* NULL: the reader releases pages itself */
};

/* Map fd's first bytes (> 0) read-only; with_helper: start the helper thread. Returns 0, or
 * an errno value if the file cannot be mapped (nothing to close then). */
int mapahead_open(struct mapahead *m, int fd, size_t bytes, bool with_helper);

/* Stop the helper (waiting for it) and unmap. */
void mapahead_close(struct mapahead *m);

/* Wait until the helper has done all that mapahead_advance asked of it (for tests; returns at
 * once without a helper). */
void mapahead_wait(struct mapahead *m);

/* mapahead_advance's work at a window boundary. */
void mapahead_advance_window(struct mapahead *m, size_t pos);

/* The reader has reached pos: once per window, the windows behind are released and those
 * ahead are mapped. Cheap enough to call per batch of records. */
static inline void mapahead_advance(struct mapahead *m, size_t pos)
{
	if (pos - m->released >= MAPAHEAD_WINDOW_BYTES)
		mapahead_advance_window(m, pos);
}

#endif
