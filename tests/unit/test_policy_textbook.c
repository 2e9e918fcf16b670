/*
 * test_policy_textbook.c — exact fault counts on reference strings: the textbook strings for
 * fifo, lru, opt, clock, and for every other policy a small trace that exercises its
 * distinctive behaviour, with the derivation in a comment. Traces are "key[w],..." strings
 * replayed by tests/unit/policy_driver.h (faulting references set the accessed bit, writes
 * the dirty bit; on-demand reclaim, one victim per fault).
 */
#include <stdlib.h>
#include <string.h>

#include "models/policy/policy.h"
#include "tests/unit/policy_driver.h"
#include "tests/unit/test.h"

static size_t parse(const char *tr, struct drv_ref *r)
{
	size_t n = 0;
	while (*tr) {
		char *e;
		r[n].key = (uint32_t)strtoul(tr, &e, 10);
		r[n].is_write = *e == 'w';
		if (*e == 'w')
			e++;
		n++;
		tr = e;
		while (*tr == ',')
			tr++;
	}
	return n;
}

static uint64_t faults_p(const struct policy_ops *ops, json_t *params, uint64_t frames,
                         const char *tr)
{
	static struct drv_ref r[4096];
	size_t n = parse(tr, r);
	struct drv_result x = drv_run_params(ops, params, frames, r, n, 1, 0);
	return x.violations ? UINT64_MAX : x.faults;
}

static uint64_t faults(const char *name, uint64_t frames, const char *tr)
{
	const struct policy_ops *ops = policy_find(name);
	CHECK(ops != NULL);
	return ops ? faults_p(ops, NULL, frames, tr) : UINT64_MAX;
}

#define SILBERSCHATZ "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"
#define BELADY "1,2,3,4,1,2,5,1,2,3,4,5"

int main(void)
{
	/* Silberschatz, Operating System Concepts, 9.4: FIFO 15, LRU 12, OPT 9 with 3 frames;
	 * with 4 frames 10, 8, 8. */
	CHECK_EQ_U64(faults("fifo", 3, SILBERSCHATZ), 15);
	CHECK_EQ_U64(faults("lru", 3, SILBERSCHATZ), 12);
	CHECK_EQ_U64(faults("opt", 3, SILBERSCHATZ), 9);
	CHECK_EQ_U64(faults("fifo", 4, SILBERSCHATZ), 10);
	CHECK_EQ_U64(faults("lru", 4, SILBERSCHATZ), 8);
	CHECK_EQ_U64(faults("opt", 4, SILBERSCHATZ), 8);
	/* Belady's anomaly (Belady, Nelson & Shedler 1969): FIFO 9 with 3 frames, 10 with 4;
	 * LRU 10 and 8; OPT 7 and 6. */
	CHECK_EQ_U64(faults("fifo", 3, BELADY), 9);
	CHECK_EQ_U64(faults("fifo", 4, BELADY), 10);
	CHECK_EQ_U64(faults("lru", 3, BELADY), 10);
	CHECK_EQ_U64(faults("lru", 4, BELADY), 8);
	CHECK_EQ_U64(faults("opt", 3, BELADY), 7);
	CHECK_EQ_U64(faults("opt", 4, BELADY), 6);

	/* CLOCK, 3 frames, Silberschatz string: 14. By hand (R set by every reference including
	 * the fault; a new page sits just behind the hand; "[a b c]" lists from the hand, * = R):
	 * 7,0,1 -> [7* 0* 1*]; 2: clears all, evicts 7 -> [0 1 2*]; 0 hit; 3: clears 0, evicts 1
	 * -> [2* 0 3*]; 0 hit; 4: clears 2,0,3, evicts 2 -> [0 3 4*]; 2: evicts 0 -> [3 4* 2*];
	 * 3 hit; 0: clears 3,4,2, evicts 3 -> [4 2 0*]; 3: evicts 4 -> [2 0* 3*]; 2 hit;
	 * 1: clears 2,0,3, evicts 2 -> [0 3 1*]; 2: evicts 0; 0: evicts 3 -> [1* 2* 0*]; 1 hit;
	 * 7: clears all, evicts 1 -> [2 0 7*]; 0 hit; 1: evicts 2. Faults: 3 + 11 = 14. */
	CHECK_EQ_U64(faults("clock", 3, SILBERSCHATZ), 14);

	/* NRU (enhanced second chance) prefers a clean victim: 1w,2,3 then 4: pass 1 finds no
	 * (0,0) (all referenced), pass 2 finds no (0,1) and clears every R; pass 1 again: 1 is
	 * (0,1), 2 is (0,0) -> evict 2, not the dirty 1; the reference to 1 hits: 4 faults.
	 * CLOCK evicts 1 (the hand's first frame after a full turn) and faults on it: 5. */
	CHECK_EQ_U64(faults("nru", 3, "1w,2,3,4,1"), 4);
	CHECK_EQ_U64(faults("clock", 3, "1w,2,3,4,1"), 5);

	/* aging (8-bit counters, one tick per eviction): 1,2,3; 4: tick -> 1,2,3 = 0x80 each,
	 * tie -> the oldest, 1, goes. 3,2,4 hit. 5: tick -> 2 = 3 = 0xC0 (referenced in two
	 * intervals), 4 = 0x80 (only this one) -> evict 4, although LRU order would evict 3.
	 * 4 then faults: aging 6 faults, LRU (which evicts 3 and hits 4) 5. */
	{
		const struct policy_ops *ops = policy_find("aging");
		json_t *p = drv_default_params(ops);
		json_object_set_new(p, "tick_frames_pct", json_integer(0));
		CHECK_EQ_U64(faults_p(ops, p, 3, "1,2,3,4,3,2,4,5,4"), 6);
		json_decref(p);
	}
	CHECK_EQ_U64(faults("lru", 3, "1,2,3,4,3,2,4,5,4"), 5);

	/* wsclock, tau = 1 reference: 1w,2,3; 4 at vtime 4: every page young -> last use 4, none
	 * older than tau; no dirty old page was seen, so the first clean page met (2) goes,
	 * sparing the dirty 1, which then hits; 2 faults: 5 faults (CLOCK: 6). */
	{
		const struct policy_ops *ops = policy_find("wsclock");
		json_t *p = drv_default_params(ops);
		json_object_set_new(p, "tau_refs", json_integer(1));
		CHECK_EQ_U64(faults_p(ops, p, 3, "1w,2,3,4,1,2"), 5);
		json_decref(p);
		CHECK_EQ_U64(faults("clock", 3, "1w,2,3,4,1,2"), 6);
	}

	/* LFU, ties to the least recently used: 1,1,2,3; 4: counts 1:2, 2:1, 3:1 -> the tie goes
	 * to 2 (used before 3); 2 faults and evicts 3 (count 1, older than 4); 3 faults. 1 stays:
	 * 6 faults. */
	CHECK_EQ_U64(faults("lfu", 3, "1,1,2,3,4,2,3"), 6);

	/* ARC adapts p on a B1 ghost hit (c = 2): 1 (T1), 1 (-> T2), 2 (T1); 3: Case IV B, |T1| =
	 * 1 > p = 0: 2 goes to B1; 3 in T1. 2: Case II, p := 1, REPLACE: |T1| = 1 is not > p, so
	 * T2's 1 goes to B2; 2 enters T2. 3 hits: 4 faults. Without the adaptation before
	 * REPLACE (plain evict: p = 0 still), 3 would have been evicted and fault: 5. LRU: 3. */
	CHECK_EQ_U64(faults("arc", 2, "1,1,2,3,2,3"), 4);
	CHECK_EQ_U64(faults("lru", 2, "1,1,2,3,2,3"), 3);
	{
		struct policy_ops lazy = *policy_find("arc");
		lazy.evict_for = NULL;
		CHECK_EQ_U64(faults_p(&lazy, NULL, 2, "1,1,2,3,2,3"), 5);
	}

	/* 2Q keeps a one-time scan out of Am (4 frames: Kin = 1, Kout = 2): 1..4 fill A1in;
	 * 5, 6 push 1, 2 to A1out; 1 and 2 come back from A1out into Am (evicting 3, 4 from
	 * A1in). The scan 10..15 only cycles through A1in (|A1in| > Kin each time), so 1, 2 hit:
	 * 6 + 2 + 6 = 14 faults. LRU loses 1, 2 to the scan: 16. */
	CHECK_EQ_U64(faults("2q", 4, "1,2,3,4,5,6,1,2,10,11,12,13,14,15,1,2"), 14);
	CHECK_EQ_U64(faults("lru", 4, "1,2,3,4,5,6,1,2,10,11,12,13,14,15,1,2"), 16);

	/* LIRS over a loop of 11 blocks with 10 frames (L_lirs = 9, L_hirs = 1), 10 passes: pass
	 * 1 makes 0..8 LIR and faults 11 times; in each later pass 0..8 hit (LIR), and 9 and 10
	 * take turns in the one HIR frame (the stack is pruned when 8 reaches the top, so they
	 * are never LIR): 11 + 9 x 2 = 29 faults. LRU faults on all 110 references. */
	{
		char tr[1024] = "";
		for (int i = 0; i < 110; i++) {
			char b[8];
			snprintf(b, sizeof(b), "%d,", i % 11);
			strcat(tr, b);
		}
		CHECK_EQ_U64(faults("lirs", 10, tr), 29);
		CHECK_EQ_U64(faults("lru", 10, tr), 110);
	}

	/* SIEVE's hand (3 frames): 1,2,3; 1 hit (visited). 4: the hand starts at the tail, 1 is
	 * visited (cleared, kept in place), 2 is evicted; the hand stays at 3. 5: 3 is evicted
	 * (the hand does not restart at the tail, where 1 now is unvisited). 1 hits, 2 faults:
	 * 6 faults. FIFO evicts 1 at 4 and faults again: 7. */
	CHECK_EQ_U64(faults("sieve", 3, "1,2,3,1,4,5,1,2"), 6);
	CHECK_EQ_U64(faults("fifo", 3, "1,2,3,1,4,5,1,2"), 7);

	/* S3-FIFO's quick demotion (10 frames: S target 1, G 9): 1..5 then 1..5 again (freq 1),
	 * 100..104 fill the cache. 105: S's tail 1..5 have freq 1 and move to M, 100 (freq 0)
	 * leaves to G. Each later scan key evicts the previous one-hit wonder from S, M is never
	 * touched, and 1..5 hit at the end: 5 + 20 = 25 faults. LRU flushes 1..5: 30. */
	{
		const char *tr = "1,2,3,4,5,1,2,3,4,5,100,101,102,103,104,105,106,107,108,109,"
		                 "110,111,112,113,114,115,116,117,118,119,1,2,3,4,5";
		CHECK_EQ_U64(faults("s3fifo", 10, tr), 25);
		CHECK_EQ_U64(faults("lru", 10, tr), 30);
	}

	/* CAR (4 frames) keeps re-referenced pages in T2 across a scan: 1,2 enter T1 with their
	 * bits cleared, 1,2 hit (bits set), 3,4 enter T1. 10: T1's head 1 and 2 have their bits
	 * set -> moved to T2; 3 is evicted to B1. Each scan key then evicts the previous T1 page
	 * (|T1| >= max(1, p) with p = 0), and 1, 2 hit: 9 faults. CLOCK clears every bit on the
	 * first turn and loses 1 and 2: 11. */
	CHECK_EQ_U64(faults("car", 4, "1,2,1,2,3,4,10,11,12,13,14,1,2"), 9);
	CHECK_EQ_U64(faults("clock", 4, "1,2,1,2,3,4,10,11,12,13,14,1,2"), 11);

	/* CLOCK-Pro (3 frames; m_c starts at cold_min_pages = 2): filling, 1 enters hot (more
	 * than 2 frames free), 2 and 3 cold in their test period (HAND_cold at 2). 1 hits.
	 * 4: HAND_cold finds 2 unreferenced -> evicted, a ghost in its test period; 4 enters cold.
	 * 2 faults on its ghost: HAND_cold evicts 3 (ghost too); HAND_hot runs for 2: it clears
	 * 1's bit and moves 1 to the head, then passes 2's ghost (a match) and, pushing HAND_test
	 * ahead of it, ends the test periods of both ghosts (removed) and of 4; no page was
	 * demoted, so 2 enters cold. 3 faults (its ghost is gone): 4, out of its test period, is
	 * the victim. 1 hits again: 6 faults (LRU: 7, losing 1 to 3). */
	CHECK_EQ_U64(faults("clock-pro", 3, "1,2,3,1,4,2,3,1"), 6);
	CHECK_EQ_U64(faults("lru", 3, "1,2,3,1,4,2,3,1"), 7);

	/* linux (4 frames, inactive_ratio 1): 1..4 inactive; 5: each is young (fault) without
	 * PG_referenced -> PG_referenced set, rotated; then 1 is not young -> evicted. 2,3 hit.
	 * 6: 2 and 3 are young with PG_referenced -> activated; 4 is not young -> evicted. The
	 * scan 7..10 then cycles through the inactive list (each new page rotated once, evicted
	 * on the next pass) and 2,3 hit in the active list: 10 faults. LRU: 12. */
	CHECK_EQ_U64(faults("linux", 4, "1,2,3,4,5,2,3,6,7,8,9,10,2,3"), 10);
	CHECK_EQ_U64(faults("lru", 4, "1,2,3,4,5,2,3,6,7,8,9,10,2,3"), 12);

	/* mglru (4 frames, 4 generations): 1..4 in generation 0. 5: aging moves the young 1..4 to
	 * generation 1, further agings add empty generations 2, 3; the oldest (1) loses its tail,
	 * 1. 2 hits. 6: 2 is young at the tail of the oldest generation -> promoted to the
	 * youngest, 3 is evicted. 2 hits, 3 faults: 7 faults. */
	CHECK_EQ_U64(faults("mglru", 4, "1,2,3,4,5,2,6,2,3"), 7);

	/* LRU-2 (3 frames, crp 0): 1, 2 fault; 1 hits at t=3 (HIST = 3, 1), 2 at t=4 (4, 2); 3
	 * faults (5, -). 4 at t=6: the backward 2-distances are t-1, t-2 and infinite (3 has one
	 * reference) -> 3 goes; 5 likewise evicts 4; 1, 2 hit: 5 faults. LRU evicts 1, then 2,
	 * which come back: 7. (The paper's point: one-time references do not displace pages
	 * referenced twice.) */
	CHECK_EQ_U64(faults("lru-k", 3, "1,2,1,2,3,4,5,1,2"), 5);
	CHECK_EQ_U64(faults("lru", 3, "1,2,1,2,3,4,5,1,2"), 7);
	/* The correlated reference period (K = 2, 2 frames): with crp 0, 1's second reference at
	 * t=2 counts, so at t=4 9 evicts 2 (one reference) and 9's repeats keep it; 1 hits at
	 * the end: 3 faults. With crp 1 the second reference is correlated (HIST(1,2) stays
	 * unknown); at t=4 only 1 is eligible (t - LAST > 1), so it goes; 9's references are
	 * each within 1 of the last, one correlated burst; at t=8 2 is the only eligible page:
	 * 4 faults. */
	{
		const struct policy_ops *ops = policy_find("lru-k");
		json_t *p = drv_default_params(ops);
		CHECK_EQ_U64(faults_p(ops, p, 2, "1,1,2,9,9,9,9,1"), 3);
		json_object_set_new(p, "crp_refs", json_integer(1));
		CHECK_EQ_U64(faults_p(ops, p, 2, "1,1,2,9,9,9,9,1"), 4);
		/* LRU-1 is LRU: the same faults on a Zipf trace at every size. */
		json_object_set_new(p, "k", json_integer(1));
		json_object_set_new(p, "crp_refs", json_integer(0));
		struct drv_ref *z = drv_trace_zipf(20000, 2000, 30, 7);
		for (uint64_t frames = 10; frames <= 1000; frames *= 10)
			CHECK_EQ_U64(drv_run_params(ops, p, frames, z, 20000, 1, 0).faults,
			             drv_run(policy_find("lru"), frames, z, 20000).faults);
		free(z);
		json_decref(p);
	}

	/* W-TinyLFU (3 frames: window 1, main 2 with protected 1): 1 faults and hits twice
	 * (frequency 3). 2 and 3 fault while memory fills: each pushes the window's page to
	 * probation (1, then 2). 4: the window's 3 (frequency 1) against probation's LRU 1
	 * (3): not admitted, 3 leaves. 1 hits: to protected. 5: the window's 4 (1) against
	 * probation's 2 (1): a tie is not enough, 4 leaves. 2 hits: protected (1 back to
	 * probation): 5 faults. LRU loses 1 to the scan: 7. */
	CHECK_EQ_U64(faults("w-tinylfu", 3, "1,1,1,2,3,4,1,5,2"), 5);
	CHECK_EQ_U64(faults("lru", 3, "1,1,1,2,3,4,1,5,2"), 7);

	/* linux's workingset refault detection (4 frames): 1..4 fill the inactive list; 5: the
	 * scan rotates each once (PG_referenced) and evicts 1 (shadow at age 0; age 1). 2 and 3
	 * hit; 6: they are activated (age 3) and 4 goes (shadow at age 3; age 4). 4 faults: 5 is
	 * evicted (age 5); 4's refault distance 5 - 3 = 2 fits in the active list (2 pages):
	 * it enters active (age 6). 1 faults (distance 7 > 2: inactive), evicting 6; 5 faults,
	 * evicting 2 (demoted from active meanwhile); 4 hits in the active list: 9 faults.
	 * Without workingset 4 re-enters inactive and is evicted before its reference: 10. */
	{
		const struct policy_ops *ops = policy_find("linux");
		json_t *p = drv_default_params(ops);
		CHECK_EQ_U64(faults_p(ops, p, 4, "1,2,3,4,5,2,3,6,4,1,5,4"), 9);
		json_object_set_new(p, "workingset", json_false());
		CHECK_EQ_U64(faults_p(ops, p, 4, "1,2,3,4,5,2,3,6,4,1,5,4"), 10);
		json_decref(p);
	}

	/* LeCaR (2 frames): on 1,2,1,3,1,4,1,5 both experts always name the same victim: the
	 * page that is not 1 (least recent, and count 1 against 1's 2, 3, 4), so the seeded coin
	 * does not matter: 5 faults, as LRU. On a loop of 5 pages with 3 frames no page is ever
	 * hit: every count is 1, LFU's ties go to the least recently counted, LRU's victim: 20
	 * faults on four rounds, as LRU. */
	CHECK_EQ_U64(faults("lecar", 2, "1,2,1,3,1,4,1,5"), 5);
	CHECK_EQ_U64(faults("lecar", 3, "1,2,3,4,5,1,2,3,4,5,1,2,3,4,5,1,2,3,4,5"), 20);

	TEST_DONE();
}
