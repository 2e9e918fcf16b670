/* prefork_server.c DIR [REQUESTS] — a small pre-forking server for the recorded workload set
 * (scripts/record-workloads): the parent writes 8 files of 256 KiB into DIR, forks 2 worker
 * processes and sends each REQUESTS (default 64) requests over a pipe; every worker runs 2
 * threads that take requests from its pipe, read() the requested file into a per-thread
 * buffer, checksum it and answer over a second pipe; the parent waits for every answer, then
 * for the workers. What it exercises: fork of a process with a warm heap, threads sharing an
 * mm, read() through the page cache, anonymous buffers reused across requests. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FILES 8
#define FILE_BYTES (256 << 10)
#define WORKERS 2
#define THREADS 2

static const char *dir;
static int req_fd, ans_fd;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *serve(void *arg)
{
	(void)arg;
	char *buf = malloc(FILE_BYTES);
	char path[4096];
	for (;;) {
		int req;
		pthread_mutex_lock(&lock);
		ssize_t n = read(req_fd, &req, sizeof(req));
		pthread_mutex_unlock(&lock);
		if (n != sizeof(req) || req < 0)
			break;
		snprintf(path, sizeof(path), "%s/f%d", dir, req % FILES);
		int fd = open(path, O_RDONLY);
		long sum = 0;
		for (ssize_t got; fd >= 0 && (got = read(fd, buf, FILE_BYTES)) > 0;)
			for (ssize_t i = 0; i < got; i += 512)
				sum += buf[i];
		if (fd >= 0)
			close(fd);
		if (write(ans_fd, &sum, sizeof(sum)) != sizeof(sum))
			break;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	dir = argv[1];
	int requests = argc > 2 ? atoi(argv[2]) : 64;
	char *data = malloc(FILE_BYTES), path[4096];
	for (int f = 0; f < FILES; f++) {
		memset(data, 'a' + f, FILE_BYTES);
		snprintf(path, sizeof(path), "%s/f%d", dir, f);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, data, FILE_BYTES) != FILE_BYTES)
			return 1;
		close(fd);
	}
	int req[WORKERS][2], ans[2];
	if (pipe(ans) != 0)
		return 1;
	for (int w = 0; w < WORKERS; w++) {
		if (pipe(req[w]) != 0)
			return 1;
		if (fork() == 0) {
			req_fd = req[w][0];
			ans_fd = ans[1];
			pthread_t t[THREADS];
			for (int i = 0; i < THREADS; i++)
				pthread_create(&t[i], NULL, serve, NULL);
			for (int i = 0; i < THREADS; i++)
				pthread_join(t[i], NULL);
			_exit(0);
		}
		close(req[w][0]);
	}
	for (int r = 0; r < requests; r++)
		for (int w = 0; w < WORKERS; w++)
			if (write(req[w][1], &r, sizeof(r)) != sizeof(r))
				return 1;
	long total = 0;
	for (int r = 0; r < requests * WORKERS; r++) {
		long sum;
		if (read(ans[0], &sum, sizeof(sum)) != sizeof(sum))
			return 1;
		total += sum;
	}
	int stop = -1;
	for (int w = 0; w < WORKERS; w++)
		for (int i = 0; i < THREADS; i++)
			if (write(req[w][1], &stop, sizeof(stop)) != sizeof(stop))
				return 1;
	while (wait(NULL) > 0)
		;
	printf("%ld\n", total);
	return 0;
}
