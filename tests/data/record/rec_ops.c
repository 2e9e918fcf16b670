/* rec_ops.c — the program tests/cli/trace_record_ops.sh records: 2 worker threads that each
 * write 3 pages of their own buffer; the main thread writes a file with write() (2 x 8 KiB),
 * reads it back with pread() (4 KiB at 4 KiB) and read() (8 KiB at 0 after an lseek), fsyncs
 * and ftruncates it, grows a 2-page mapping to 4 pages with mremap(MREMAP_MAYMOVE) and
 * DONTNEEDs it, between request marks 1 and 2 (scripts/vmsim_roi.h); the region of interest
 * ends after mark 2 (and, with record-trace --roi, begins just before it). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmsim_roi.h"

static void *worker(void *arg)
{
	char *buf = arg;
	for (int i = 0; i < 3; i++)
		buf[i * 4096] = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	static char bufs[2][3 * 4096] __attribute__((aligned(4096)));
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, bufs[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	vmsim_mark_begin(1);
	static char io[8192] __attribute__((aligned(4096)));
	memset(io, 'a', sizeof(io));
	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (write(fd, io, sizeof(io)) != sizeof(io) || write(fd, io, sizeof(io)) != sizeof(io))
		return 1;
	if (pread(fd, io, 4096, 4096) != 4096 || lseek(fd, 0, SEEK_SET) != 0 ||
	    read(fd, io, sizeof(io)) != sizeof(io))
		return 1;
	fsync(fd);
	if (ftruncate(fd, 4096) != 0)
		return 1;
	close(fd);
	vmsim_mark_end(1);
	vmsim_roi_start(); /* (recording is on already, unless record-trace --roi) */
	vmsim_mark_begin(2);
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	p = mremap(p, 2 * 4096, 4 * 4096, MREMAP_MAYMOVE);
	p[3 * 4096] = 2;
	madvise(p, 4 * 4096, MADV_DONTNEED);
	munmap(p, 4 * 4096);
	vmsim_mark_end(2);
	vmsim_roi_stop(); /* the accesses of the exit path are left out */
	unlink(argv[1]);
	return 0;
}
