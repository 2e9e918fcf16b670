/*
 * mapahead.c — the mapping and the helper thread of mapahead.h.
 *
 * The reader publishes two targets under the helper's mutex at each window boundary: release
 * up to the window it has just left, map up to MAPAHEAD_AHEAD_WINDOWS windows past the one it
 * has entered. The helper sleeps on a condition variable until a target moves, then releases
 * first (so the mapped size stays bounded) and maps one window at a time. What the helper has
 * done is its own (no lock); only the targets and the stop flag are shared. If the kernel
 * cannot populate (MADV_POPULATE_READ is Linux 5.14+) the helper goes on releasing and the
 * reader's page faults map the pages.
 */
#include "workloads/mapahead.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "sim/base/util.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif

struct mapahead_helper {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cv;       /* a target moved, or stop */
	pthread_cond_t idle_cv;  /* the helper has done what was asked (mapahead_wait) */
	size_t map_to;           /* lock: map [0, map_to) */
	size_t release_to;       /* lock: release [0, release_to) */
	bool stop;               /* lock */
	size_t mapped, released; /* lock (written by the helper): done so far */
	bool can_populate;       /* lock (written by the helper) */
	unsigned char *data;
	size_t bytes;
};

/* Has the helper done all it was asked? (lock held) */
static bool mapahead_helper_idle(const struct mapahead_helper *h)
{
	return h->release_to <= h->released &&
	       (!h->can_populate || MIN(h->map_to, h->bytes) <= h->mapped);
}

static void *mapahead_helper_main(void *arg)
{
	struct mapahead_helper *h = arg;
	for (;;) {
		pthread_mutex_lock(&h->lock);
		while (!h->stop && mapahead_helper_idle(h)) {
			pthread_cond_broadcast(&h->idle_cv);
			pthread_cond_wait(&h->cv, &h->lock);
		}
		bool stop = h->stop, populate = h->can_populate;
		size_t map_to = MIN(h->map_to, h->bytes), release_to = h->release_to;
		size_t released = h->released, mapped = MAX(h->mapped, release_to);
		pthread_mutex_unlock(&h->lock);
		if (stop)
			break;
		if (release_to > released)
			madvise(h->data + released, release_to - released, MADV_DONTNEED);
		/* One window mapped per round, so that a new release is not kept waiting. */
		if (populate && mapped < map_to) {
			size_t n = MIN(MAPAHEAD_WINDOW_BYTES, map_to - mapped);
			if (madvise(h->data + mapped, n, MADV_POPULATE_READ) != 0)
				populate = false;
			mapped += n;
		}
		pthread_mutex_lock(&h->lock);
		h->released = MAX(h->released, release_to);
		h->mapped = mapped;
		h->can_populate = populate;
		pthread_mutex_unlock(&h->lock);
	}
	return NULL;
}

static struct mapahead_helper *mapahead_helper_start(unsigned char *data, size_t bytes)
{
	struct mapahead_helper *h = xcalloc(1, sizeof(*h));
	h->data = data;
	h->bytes = bytes;
	h->can_populate = true;
	h->map_to = (1 + MAPAHEAD_AHEAD_WINDOWS) * MAPAHEAD_WINDOW_BYTES;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cv, NULL);
	pthread_cond_init(&h->idle_cv, NULL);
	/* The helper takes no signals: the program's handlers run where they always did. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&h->thread, NULL, mapahead_helper_main, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		return h;
	pthread_cond_destroy(&h->idle_cv);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return NULL;
}

int mapahead_open(struct mapahead *m, int fd, size_t bytes, bool with_helper)
{
	void *data = mmap(NULL, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
	if (data == MAP_FAILED)
		return errno;
	madvise(data, bytes, MADV_SEQUENTIAL);
	*m = (struct mapahead){.data = data, .bytes = bytes};
	if (with_helper)
		m->helper = mapahead_helper_start(data, bytes);
	return 0;
}

void mapahead_close(struct mapahead *m)
{
	struct mapahead_helper *h = m->helper;
	if (h) {
		pthread_mutex_lock(&h->lock);
		h->stop = true;
		pthread_cond_signal(&h->cv);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->thread, NULL);
		pthread_cond_destroy(&h->idle_cv);
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->lock);
		free(h);
	}
	munmap((void *)m->data, m->bytes);
	*m = (struct mapahead){0};
}

void mapahead_advance_window(struct mapahead *m, size_t pos)
{
	size_t upto = MIN(pos, m->bytes) & ~(MAPAHEAD_WINDOW_BYTES - 1);
	if (upto <= m->released)
		return;
	struct mapahead_helper *h = m->helper;
	if (h) {
		pthread_mutex_lock(&h->lock);
		h->release_to = upto;
		h->map_to = upto + (1 + MAPAHEAD_AHEAD_WINDOWS) * MAPAHEAD_WINDOW_BYTES;
		pthread_cond_signal(&h->cv);
		pthread_mutex_unlock(&h->lock);
	} else {
		madvise((void *)(m->data + m->released), upto - m->released, MADV_DONTNEED);
	}
	m->released = upto;
}

void mapahead_wait(struct mapahead *m)
{
	struct mapahead_helper *h = m->helper;
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	while (!mapahead_helper_idle(h))
		pthread_cond_wait(&h->idle_cv, &h->lock);
	pthread_mutex_unlock(&h->lock);
}
