/* rec_threads.c IN OUT — the threaded program tests/cli/trace_record_threads.sh records and
 * replays (issue 16's end-to-end check): 4 worker threads each pread() their quarter of IN
 * (2 MiB of an 8 MiB file) in 64 KiB pieces through their own 1 MiB anonymous buffer, and
 * pwrite() each piece to the same offset of OUT; each also writes 4 MiB of scratch memory.
 * Linux: about 4 x (256 + 1024) faults of the workers, and IN's and OUT's 2048 pages each in
 * the page cache at the end (tests/data/record/rec_threads.linux, measured with
 * scripts/record-compare). Static, no stdio, no malloc (glibc's per-thread arenas would map
 * 64 MiB each): the memory is the program's own mmaps. Prints its minor faults (getrusage,
 * all threads). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define MIB (1L << 20)
#define PIECE (64L << 10)
#define THREADS 4

static int in_fd, out_fd;

static void *worker(void *arg)
{
	long part = (long)arg;
	char *buf = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *scratch = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	                     -1, 0);
	if (buf == MAP_FAILED || scratch == MAP_FAILED)
		_exit(1);
	for (long off = 0; off < 2 * MIB; off += PIECE) {
		char *p = buf + off % MIB;
		long at = part * 2 * MIB + off;
		if (pread(in_fd, p, PIECE, at) != PIECE)
			_exit(1);
		p[0] ^= 1;
		if (pwrite(out_fd, p, PIECE, at) != PIECE)
			_exit(1);
	}
	for (long i = 0; i < 4 * MIB; i += 4096)
		scratch[i] = (char)i;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	in_fd = open(argv[1], O_RDONLY);
	out_fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in_fd < 0 || out_fd < 0)
		return 1;
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	close(in_fd);
	close(out_fd);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	char line[64];
	int n = snprintf(line, sizeof(line), "minflt %ld\n", ru.ru_minflt);
	return write(1, line, (size_t)n) == n ? 0 : 1;
}
