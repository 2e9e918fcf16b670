/*
 * test_eventq.c — the event queue: ordering by (time, priority class, insertion sequence),
 * cancel, and the queueing validation of issue 2: one FIFO server fed by Poisson arrivals with
 * deterministic (M/D/1) and exponential (M/M/1) service at utilisation 0.5 and 0.9, 10^6
 * customers each, simulated purely with events; the mean response time must be within 2% of
 *   M/M/1: W = 1 / (mu - lambda)
 *   M/D/1: W = S + rho * S / (2 (1 - rho))     (Pollaczek-Khinchine with zero service variance)
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "sim/base/eventq.h"
#include "sim/base/rng.h"
#include "tests/unit/test.h"

/* ---- ordering ---------------------------------------------------------------------------- */

struct rec {
	int log[16];
	int n;
};

struct tagged {
	struct event ev;
	struct rec *r;
	int tag;
};

static void record(struct event *ev, void *ctx)
{
	struct tagged *t = ctx;
	t->r->log[t->r->n++] = t->tag;
}

static void test_ordering(void)
{
	struct eventq q;
	eventq_init(&q);
	struct rec r = {.n = 0};
	struct tagged e[6];
	/* (time, prio) pairs; insertion order is the array order. */
	const simtime_t times[6] = {50, 10, 10, 10, 30, 10};
	const enum event_prio prios[6] = {EVPRIO_CPU, EVPRIO_CPU, EVPRIO_IO,
	                                  EVPRIO_CPU, EVPRIO_IO,  EVPRIO_SAMPLE};
	for (int i = 0; i < 6; i++) {
		e[i].r = &r;
		e[i].tag = i;
		event_init(&e[i].ev, record, &e[i], prios[i]);
		eventq_schedule(&q, &e[i].ev, times[i]);
	}
	eventq_cancel(&q, &e[4].ev);
	CHECK(!event_scheduled(&e[4].ev));
	eventq_run(&q, SIMTIME_MAX);
	/* time 10: IO(2) before CPU(1, then 3 by sequence) before SAMPLE(5); then 50: 0. */
	const int want[5] = {2, 1, 3, 5, 0};
	CHECK_EQ_U64(r.n, 5);
	for (int i = 0; i < 5; i++)
		CHECK_EQ_U64(r.log[i], want[i]);
	CHECK_EQ_U64(q.now_ps, 50);
	eventq_fini(&q);
}

static void test_heap_random(void)
{
	/* 10^5 events at random times with random cancels come out in non-decreasing order. */
	struct eventq q;
	eventq_init(&q);
	enum { N = 100000 };
	struct tagged *e = xcalloc(N, sizeof(*e));
	struct rec dummy;
	gsl_rng *rng = rng_create(7, RNG_STREAM_TEST);
	for (int i = 0; i < N; i++) {
		e[i].r = &dummy;
		event_init(&e[i].ev, NULL, &e[i], EVPRIO_CPU);
		eventq_schedule(&q, &e[i].ev, gsl_rng_uniform_int(rng, 1000000));
	}
	int cancelled = 0;
	for (int i = 0; i < N; i += 3) {
		eventq_cancel(&q, &e[i].ev);
		cancelled++;
	}
	simtime_t last = 0;
	int popped = 0, bad = 0;
	while (q.len) {
		const struct event *head = eventq_peek(&q);
		if (head->time_ps < last)
			bad++;
		last = head->time_ps;
		eventq_cancel(&q, (struct event *)head);
		popped++;
	}
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(popped, N - cancelled);
	gsl_rng_free(rng);
	free(e);
	eventq_fini(&q);
}

/* ---- a single-server queue driven by events ---------------------------------------------- */

struct queue_sim {
	struct eventq q;
	struct event arrival, departure;
	gsl_rng *rng;
	double lambda_per_ps, service_mean_ps;
	bool exponential_service;
	simtime_t *arrivals; /* FIFO of arrival times of waiting/served customers */
	uint64_t head, tail, arrived, served, target;
	double sum_response_ps;
};

static simtime_t draw_exp(gsl_rng *r, double mean_ps)
{
	return (simtime_t)llround(gsl_ran_exponential(r, mean_ps));
}

static void start_service(struct queue_sim *s)
{
	simtime_t service = s->exponential_service ? draw_exp(s->rng, s->service_mean_ps)
	                                           : (simtime_t)s->service_mean_ps;
	eventq_schedule(&s->q, &s->departure, s->q.now_ps + service);
}

static void on_arrival(struct event *ev, void *ctx)
{
	struct queue_sim *s = ctx;
	s->arrivals[s->tail++] = s->q.now_ps;
	if (s->tail - s->head == 1)
		start_service(s);
	if (++s->arrived < s->target)
		eventq_schedule(&s->q, &s->arrival,
		                s->q.now_ps + draw_exp(s->rng, 1.0 / s->lambda_per_ps));
}

static void on_departure(struct event *ev, void *ctx)
{
	struct queue_sim *s = ctx;
	s->sum_response_ps += (double)(s->q.now_ps - s->arrivals[s->head++]);
	s->served++;
	if (s->tail > s->head)
		start_service(s);
}

static double run_queue(double rho, bool exponential, uint64_t customers, uint64_t seed)
{
	struct queue_sim s = {0};
	eventq_init(&s.q);
	s.rng = rng_create(seed, RNG_STREAM_TEST);
	s.service_mean_ps = 1e6; /* 1 us */
	s.lambda_per_ps = rho / s.service_mean_ps;
	s.exponential_service = exponential;
	s.target = customers;
	s.arrivals = xmalloc(customers * sizeof(*s.arrivals));
	event_init(&s.arrival, on_arrival, &s, EVPRIO_WAKE);
	event_init(&s.departure, on_departure, &s, EVPRIO_IO);
	eventq_schedule(&s.q, &s.arrival, 0);
	eventq_run(&s.q, SIMTIME_MAX);
	double mean = s.sum_response_ps / (double)s.served;
	CHECK_EQ_U64(s.served, customers);
	free(s.arrivals);
	gsl_rng_free(s.rng);
	eventq_fini(&s.q);
	return mean;
}

static void test_queueing(void)
{
	const double S = 1e6;
	const double rhos[2] = {0.5, 0.9};
	for (int i = 0; i < 2; i++) {
		double rho = rhos[i];
		double mm1 = S / (1.0 - rho); /* 1/(mu - lambda) */
		double md1 = S + rho * S / (2.0 * (1.0 - rho));
		double got_mm1 = run_queue(rho, true, 1000000, 11);
		double got_md1 = run_queue(rho, false, 1000000, 12);
		printf("rho=%.1f  M/M/1 mean response %.1f ns (formula %.1f, %+.2f%%)\n", rho,
		       got_mm1 / 1e3, mm1 / 1e3, 100 * (got_mm1 - mm1) / mm1);
		printf("rho=%.1f  M/D/1 mean response %.1f ns (formula %.1f, %+.2f%%)\n", rho,
		       got_md1 / 1e3, md1 / 1e3, 100 * (got_md1 - md1) / md1);
		CHECK(fabs(got_mm1 - mm1) / mm1 < 0.02);
		CHECK(fabs(got_md1 - md1) / md1 < 0.02);
	}
}

int main(void)
{
	test_ordering();
	test_heap_random();
	test_queueing();
	TEST_DONE();
}
