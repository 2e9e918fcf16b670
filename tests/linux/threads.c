/*
 * threads.c — probes of threads sharing one mm (issue 16): 4 threads each write their own
 * quarter of a 16 MiB region; every fault is counted to the thread that took it
 * (RUSAGE_THREAD) and to the process (RUSAGE_SELF). Build with -pthread.
 */
#include "probe.h"

#include <pthread.h>

#define N 4096UL
#define LEN (N * PAGE)
#define THREADS 4

static char *r;
static pthread_barrier_t ready, start, done, leave;
static struct fc thread_faults[THREADS][2];

static void *worker(void *arg)
{
	long t = (long)arg;
	stack_prefault_thread();
	(void)fc_now(RUSAGE_THREAD);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&start);
	thread_faults[t][0] = fc_now(RUSAGE_THREAD);
	touch_w(r + (size_t)t * (LEN / THREADS), N / THREADS, (uint32_t)t + 1);
	thread_faults[t][1] = fc_now(RUSAGE_THREAD);
	pthread_barrier_wait(&done);
	pthread_barrier_wait(&leave); /* exiting faults (glibc frees the thread's data): later */
	return NULL;
}

static const char *const phase_name[THREADS] = {"thread0_write", "thread1_write", "thread2_write",
                                                "thread3_write"};

static void s_threads(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	pthread_t th[THREADS];
	memset(thread_faults, 0, sizeof(thread_faults));
	pthread_barrier_init(&ready, NULL, THREADS + 1);
	pthread_barrier_init(&start, NULL, THREADS + 1);
	pthread_barrier_init(&leave, NULL, THREADS + 1);
	pthread_barrier_init(&done, NULL, THREADS + 1);
	for (long t = 0; t < THREADS; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)t))
			die("pthread_create");
	/* the process's faults from the start to the end of the workers' writes */
	pthread_barrier_wait(&ready);
	struct fc a = fc_now(RUSAGE_SELF);
	pthread_barrier_wait(&start);
	pthread_barrier_wait(&done);
	struct fc b = fc_now(RUSAGE_SELF);
	pthread_barrier_wait(&leave);
	for (long t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < THREADS; t++)
		rec_faults(phase_name[t], thread_faults[t][0], thread_faults[t][1]);
	rec_faults("process_all_writes", a, b);
	rec_region("process_all_writes", r, N, R_ANON);
}

static const struct scenario scenarios[] = {
    {"threads_write", s_threads, "4 threads each write 1024 pages of a 16 MiB region"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
