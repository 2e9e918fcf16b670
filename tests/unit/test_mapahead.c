/*
 * test_mapahead.c — workloads/mapahead: a 41 MiB file read front to back, with the helper
 * thread and without it.
 * - The bytes seen are the file's (a checksum of every 64 KiB step against the pattern
 *   written).
 * - The resident part of the mapping (Rss of its VMA in /proc/self/smaps) stays within the
 *   bound of mapahead.h, (2 + MAPAHEAD_AHEAD_WINDOWS) windows, at every step (after
 *   mapahead_wait with the helper, so nothing depends on its timing).
 * - With the helper, where the kernel can populate (MADV_POPULATE_READ), the window entered
 *   and the MAPAHEAD_AHEAD_WINDOWS after it are wholly resident at the window boundary,
 *   before the reader touches them. (Each check fails with the helper's release or its
 *   populate removed.)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/mapahead.h"

#define FILE_BYTES (((size_t)41 << 20) + 12345) /* ten windows and a bit */
#define STEP_BYTES ((size_t)64 << 10)
#define KIB 1024u

static unsigned char pattern(size_t i)
{
	uint64_t x = i * 0x9e3779b97f4a7c15ull;
	return (unsigned char)(x >> 56);
}

/* Rss in bytes of the mapping that starts at addr, from /proc/self/smaps; -1 if not found. */
static long long mapping_rss(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	char line[512];
	int in = 0;
	long long rss = -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = lo == (unsigned long)(uintptr_t)addr;
			continue;
		}
		long long kib;
		if (in && sscanf(line, "Rss: %lld kB", &kib) == 1) {
			rss = kib * KIB;
			break;
		}
	}
	fclose(f);
	return rss;
}

/* Can this kernel populate a file mapping (Linux 5.14+)? */
static int kernel_populates(int fd)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 0;
	int ok = madvise(p, 4096, 22 /* MADV_POPULATE_READ */) == 0;
	munmap(p, 4096);
	return ok;
}

static void read_through(int fd, int with_helper, int populates)
{
	struct mapahead m;
	CHECK_EQ_U64(mapahead_open(&m, fd, FILE_BYTES, with_helper), 0);
	CHECK(with_helper ? m.helper != NULL : m.helper == NULL);
	const size_t bound = (2 + MAPAHEAD_AHEAD_WINDOWS) * MAPAHEAD_WINDOW_BYTES;
	uint64_t bad_bytes = 0, over_bound = 0, exact_checked = 0, exact_wrong = 0;
	long long max_rss = 0;
	for (size_t pos = 0; pos < FILE_BYTES; pos += STEP_BYTES) {
		mapahead_advance(&m, pos);
		mapahead_wait(&m);
		if (with_helper && populates && pos % MAPAHEAD_WINDOW_BYTES == 0) {
			/* Before this window is touched: it and the ones ahead are mapped (all
			 * their pages resident; the bound below holds the ones behind). */
			size_t want = MIN(
			    pos + (1 + MAPAHEAD_AHEAD_WINDOWS) * MAPAHEAD_WINDOW_BYTES, FILE_BYTES);
			want = (want + 4095) / 4096 * 4096 - pos;
			long long rss = mapping_rss(m.data);
			exact_checked++;
			if (rss < (long long)want) {
				exact_wrong++;
				fprintf(stderr, "at %zu: rss %lld, want at least %zu\n", pos, rss,
				        want);
			}
		}
		size_t end = MIN(pos + STEP_BYTES, FILE_BYTES);
		for (size_t i = pos; i < end; i++)
			bad_bytes += m.data[i] != pattern(i);
		long long rss = mapping_rss(m.data);
		max_rss = rss > max_rss ? rss : max_rss;
		over_bound += rss < 0 || (size_t)rss > bound;
	}
	CHECK_EQ_U64(bad_bytes, 0);
	CHECK_EQ_U64(over_bound, 0);
	CHECK(max_rss >= (long long)MAPAHEAD_WINDOW_BYTES); /* the Rss was read at all */
	if (with_helper && populates) {
		CHECK_EQ_U64(exact_checked, 11);
		CHECK_EQ_U64(exact_wrong, 0);
	}
	mapahead_close(&m);
	CHECK(m.data == NULL && m.helper == NULL);
}

int main(void)
{
	const char *path = tt_path("big.bin");
	unsigned char *bytes = malloc(FILE_BYTES);
	for (size_t i = 0; i < FILE_BYTES; i++)
		bytes[i] = pattern(i);
	tt_write(path, bytes, FILE_BYTES);
	free(bytes);
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	int populates = kernel_populates(fd);
	read_through(fd, 0, populates);
	read_through(fd, 1, populates);
	/* Advancing backwards or to the same place again does nothing. */
	struct mapahead m;
	CHECK_EQ_U64(mapahead_open(&m, fd, FILE_BYTES, 1), 0);
	mapahead_advance(&m, 3 * MAPAHEAD_WINDOW_BYTES + 5);
	CHECK_EQ_U64(m.released, 3 * MAPAHEAD_WINDOW_BYTES);
	mapahead_advance(&m, MAPAHEAD_WINDOW_BYTES);
	mapahead_advance(&m, 3 * MAPAHEAD_WINDOW_BYTES + 7);
	CHECK_EQ_U64(m.released, 3 * MAPAHEAD_WINDOW_BYTES);
	mapahead_advance(&m, FILE_BYTES + 100); /* past the end: up to the last whole window */
	CHECK_EQ_U64(m.released, 10 * MAPAHEAD_WINDOW_BYTES);
	CHECK(m.data[FILE_BYTES - 1] == pattern(FILE_BYTES - 1));
	mapahead_close(&m);
	close(fd);
	tt_cleanup(); /* the 42 MB file */
	TEST_DONE();
}
