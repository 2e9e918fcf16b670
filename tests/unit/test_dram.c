/*
 * test_dram.c — DRAM timing: isolated accesses cost exactly the sums of the timing
 * parameters (hit tCL + tBURST, miss tRCD + tCL + tBURST, conflict tRP + tRCD + tCL + tBURST),
 * tRAS holds a row open, the data bus serialises bursts, a sequential 4 KiB copy is all row
 * hits but the first of each stream, alternating rows of one bank are all conflicts, the
 * closed-page policy, the address mapping, the presets and config errors.
 */
#include <stdlib.h>

#include "models/hw/dram.h"
#include "tests/unit/test.h"

/* DDR4-3200 */
enum { CL = 13750, CWL = 10000, RCD = 13750, RP = 13750, RAS = 32500, BURST = 2500 };
enum { CCD_L = 5000, WR = 15000, RFC = 350000, REFI = 7800000, CK = 625 };

static int config_from_json(json_t *o, struct dram_config *c, struct err *err)
{
	int rc = params_resolve(dram_params, o, "t.json", "dram", err);
	if (!rc)
		rc = dram_config_from_json(c, o, "t.json", "dram", err);
	return rc;
}

static int config_from_text(const char *text, struct dram_config *c, struct err *err)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	BUG_ON(!o, "bad test json: %s", jerr.text);
	int rc = config_from_json(o, c, err);
	json_decref(o);
	return rc;
}

static struct dram *dram_from_text(const char *text)
{
	struct dram_config c;
	struct err err;
	int rc = config_from_text(text, &c, &err);
	BUG_ON(rc, "%s", err.msg);
	return dram_create(&c);
}

/* Default mapping row:rank:bank:channel:column:offset on DDR4-3200 defaults:
 * offset [5:0], column [12:6] (128 lines of an 8 KiB row), channel [13], bank [17:14],
 * rank (1: no bits), row [33:18]. */
static uint64_t addr(uint64_t row, uint64_t bank, uint64_t ch, uint64_t col)
{
	return row << 18 | bank << 14 | ch << 13 | col << 6;
}

static void test_defaults_and_presets(void)
{
	struct dram_config def, p4, p5;
	struct err err;
	CHECK_EQ_U64(config_from_text("{}", &def, &err), 0);
	CHECK_EQ_U64(def.t_cl_ps, CL);
	CHECK_EQ_U64(def.t_rcd_ps, RCD);
	CHECK_EQ_U64(def.t_rp_ps, RP);
	CHECK_EQ_U64(def.t_ras_ps, RAS);
	CHECK_EQ_U64(def.t_burst_ps, BURST);
	/* The DDR4-3200 preset file equals the defaults. */
	json_error_t jerr;
	json_t *f = json_load_file("configs/presets/ddr4-3200.json", 0, &jerr);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_U64(config_from_json(json_object_get(f, "dram"), &p4, &err), 0);
		CHECK(memcmp(&p4, &def, sizeof(def)) == 0);
		json_decref(f);
	}
	f = json_load_file("configs/presets/ddr5-4800.json", 0, &jerr);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_U64(config_from_json(json_object_get(f, "dram"), &p5, &err), 0);
		CHECK_EQ_U64(p5.t_burst_ps, 3333); /* BL16 on a 32-bit subchannel at 4800 MT/s */
		CHECK_EQ_U64(p5.banks, 32);
		json_decref(f);
	}
	f = json_load_file("configs/presets/dram-fixed.json", 0, &jerr);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_U64(config_from_json(json_object_get(f, "dram"), &p5, &err), 0);
		CHECK_EQ_U64(p5.model, DRAM_MODEL_FIXED);
		json_decref(f);
	}
}

static void test_decode(void)
{
	struct dram *d = dram_from_text("{}");
	struct dram_coord c;
	dram_decode(d, addr(777, 9, 1, 100) + 17, &c);
	CHECK_EQ_U64(c.row, 777);
	CHECK_EQ_U64(c.bank, 9);
	CHECK_EQ_U64(c.channel, 1);
	CHECK_EQ_U64(c.column, 100);
	CHECK_EQ_U64(c.rank, 0);
	dram_destroy(d);
	/* Channel interleaving on lines: channel is bit 6. */
	d = dram_from_text("{\"mapping\": \"row:rank:bank:column:channel:offset\"}");
	dram_decode(d, 64, &c);
	CHECK_EQ_U64(c.channel, 1);
	CHECK_EQ_U64(c.column, 0);
	dram_decode(d, 128, &c);
	CHECK_EQ_U64(c.channel, 0);
	CHECK_EQ_U64(c.column, 1);
	dram_destroy(d);
}

static void test_exact_latencies(void)
{
	struct dram *d = dram_from_text("{}");
	simtime_t t = 1000000;
	CHECK_EQ_U64(dram_access(d, t, addr(5, 3, 0, 0), false) - t, RCD + CL + BURST);
	t = 2000000;
	CHECK_EQ_U64(dram_access(d, t, addr(5, 3, 0, 1), false) - t, CL + BURST);
	t = 3000000;
	CHECK_EQ_U64(dram_access(d, t, addr(6, 3, 0, 0), true) - t, RP + RCD + CWL + BURST);
	/* Back to back: the conflict right after a write waits for write recovery: PRE tWR after
	 * the write's data (later than tRAS after the ACT here). The ACT of row 6 was at
	 * 3000000 + RP; the write's data was done RCD + CWL + BURST later. */
	simtime_t act = 3000000 + RP, now = act + RCD + CWL + BURST;
	simtime_t done = dram_access(d, now, addr(5, 3, 0, 0), false);
	CHECK(now + WR > act + RAS);
	CHECK_EQ_U64(done - now, WR + RP + RCD + CL + BURST);
	/* A read conflict right after a read miss waits for tRAS since the ACT. */
	t = 4000000;
	done = dram_access(d, t, addr(8, 4, 0, 0), false);
	CHECK_EQ_U64(dram_access(d, done, addr(9, 4, 0, 0), false), t + RAS + RP + RCD + CL + BURST);
	CHECK_EQ_U64(d->row_misses, 2);
	CHECK_EQ_U64(d->row_hits, 1);
	CHECK_EQ_U64(d->row_conflicts, 3);
	CHECK_EQ_U64(d->reads, 5);
	CHECK_EQ_U64(d->writes, 1);
	dram_destroy(d);
}

/* Alternating between two rows of one bank: every access after the first is a conflict
 * (refresh off: it would close the rows every tREFI). */
static void test_alternating_rows(void)
{
	struct dram *d = dram_from_text("{\"t_refi_ps\": 0}");
	simtime_t t = 0;
	uint64_t exact = 0;
	for (int i = 0; i < 1000; i++) {
		simtime_t now = t + 100000; /* idle gap > tRAS: nothing but the conflict costs */
		t = dram_access(d, now, addr(i & 1 ? 40 : 41, 7, 1, (uint64_t)i % 128), false);
		exact += i > 0 && t - now == RP + RCD + CL + BURST;
	}
	CHECK_EQ_U64(d->row_conflicts, 999);
	CHECK_EQ_U64(d->row_misses, 1);
	CHECK_EQ_U64(d->row_hits, 0);
	CHECK_EQ_U64(exact, 999);
	dram_destroy(d);
}

/* A 4 KiB copy between two channels. The 64 source reads hit one bank, so one bank group:
 * tCCD_L apart, read i done at t + RCD + i CCD_L + CL + BURST. Write i arrives then on the
 * other channel; its bank's ACT is at the first arrival a0, write i at a0 + RCD + i CCD_L
 * (tCCD_L again), the last done CWL + BURST later: 2 RCD + CL + BURST + 63 CCD_L + CWL + BURST.
 * DRAMsim3 gives the same spacing (its command trace: WRITEs 8 cycles apart). */
static void test_copy_and_zero(void)
{
	struct dram *d = dram_from_text("{}");
	simtime_t t = 5000000;
	simtime_t done = dram_copy_page(d, t, addr(100, 2, 0, 0), addr(200, 5, 1, 64), 4096);
	CHECK_EQ_U64(done - t, 2 * RCD + CL + BURST + 63 * CCD_L + CWL + BURST);
	CHECK_EQ_U64(d->reads, 64);
	CHECK_EQ_U64(d->writes, 64);
	CHECK_EQ_U64(d->row_misses, 2);
	CHECK_EQ_U64(d->row_hits, 126);
	CHECK_EQ_U64(d->row_conflicts, 0);
	/* Zeroing 4 KiB of an idle bank: one ACT, then 64 writes tCCD_L apart. */
	t = 10000000;
	done = dram_zero_page(d, t, addr(300, 9, 0, 0), 4096);
	CHECK_EQ_U64(done - t, RCD + 63 * CCD_L + CWL + BURST);
	CHECK_EQ_U64(d->row_misses, 3);
	CHECK_EQ_U64(d->row_hits, 126 + 63);
	/* A copy within one bank, different rows: the reads open the source row, the first
	 * write conflicts, the other 63 hit. */
	t = 20000000;
	dram_copy_page(d, t, addr(400, 11, 0, 0), addr(401, 11, 0, 0), 4096);
	CHECK_EQ_U64(d->row_misses, 4);
	CHECK_EQ_U64(d->row_conflicts, 1);
	CHECK_EQ_U64(d->row_hits, 126 + 63 + 63 + 63);
	dram_destroy(d);
}

/* Two reads queued at once to two banks of one channel (other bank groups): round robin from
 * bank 0 serves bank 1 first (as DRAMsim3's per-bank queues), the other ACT one tRRD_S
 * (= BURST) later, so its burst follows the first's on the data bus. A
 * third, on the other channel, has its own buses. */
static void test_bus_contention(void)
{
	struct dram *d = dram_from_text("{}");
	dram_submit(d, 0, addr(1, 0, 0, 0), false, 0);
	dram_submit(d, 0, addr(1, 1, 0, 0), false, 1);
	dram_submit(d, 0, addr(1, 1, 1, 0), false, 2);
	simtime_t done[3] = {0};
	struct dram_done x;
	while (dram_next_ps(d) != DRAM_TIME_NONE)
		if (dram_step(d, &x))
			done[x.cookie] = x.done_ps;
	CHECK_EQ_U64(done[1], RCD + CL + BURST);
	CHECK_EQ_U64(done[0], RCD + CL + 2 * BURST);
	CHECK_EQ_U64(done[2], RCD + CL + BURST);
	dram_destroy(d);
	/* Called one after the other, the second waits for the first's commands to issue. */
	d = dram_from_text("{}");
	CHECK_EQ_U64(dram_access(d, 0, addr(1, 0, 0, 0), false), RCD + CL + BURST);
	CHECK_EQ_U64(dram_access(d, 0, addr(1, 1, 0, 0), false), RCD + CK + RCD + CL + BURST);
	dram_destroy(d);
}

static void test_closed_page(void)
{
	struct dram *d = dram_from_text("{\"page_policy\": \"closed\"}");
	CHECK_EQ_U64(dram_access(d, 0, addr(1, 0, 0, 0), false), RCD + CL + BURST);
	/* Same row, back to back: the bank auto-precharged at ACT + tRAS, ready tRP later. */
	simtime_t now = RCD + CL + BURST;
	CHECK_EQ_U64(dram_access(d, now, addr(1, 0, 0, 1), false), RAS + RP + RCD + CL + BURST);
	/* Far apart: a plain miss again. */
	CHECK_EQ_U64(dram_access(d, 1000000, addr(1, 0, 0, 2), false) - 1000000, RCD + CL + BURST);
	CHECK_EQ_U64(d->row_misses, 3);
	CHECK_EQ_U64(d->row_hits, 0);
	CHECK_EQ_U64(d->row_conflicts, 0);
	dram_destroy(d);
}

static void test_fixed_and_report(void)
{
	struct dram *d = dram_from_text("{\"model\": \"fixed\", \"fixed_latency_ps\": 70000}");
	CHECK_EQ_U64(dram_access(d, 5, 0x12345678, false), 70005);
	CHECK_EQ_U64(dram_zero_page(d, 0, 0, 4096), 70000);
	struct statsout o;
	statsout_init(&o);
	dram_report(d, 0, &o);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "dram.reads")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "dram.writes")), 64);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "dram.row_hits")), 0);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "dram.latency_mean_ps")), 70000);
	CHECK(json_object_get(o.obj, "dram.row_misses") != NULL);
	CHECK(json_object_get(o.obj, "dram.row_conflicts") != NULL);
	statsout_fini(&o);
	dram_destroy(d);
}

static void test_config_errors(void)
{
	struct dram_config c;
	struct err err;
	CHECK(config_from_text("{\"banks\": 12}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "t.json: dram.banks: expected a power of two, got 12");
	CHECK(config_from_text("{\"mapping\": \"row:bank:channel:column:offset\"}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "dram.mapping: expected each of row, rank, bank, channel");
	CHECK(config_from_text("{\"mapping\": \"row:rank:bank:channel:offset:column\"}", &c, &err) <
	      0);
	CHECK_STR_CONTAINS(err.msg, "dram.mapping: \"offset\"");
	CHECK(config_from_text("{\"mapping\": \"row:rank:bank:bank:column:offset\"}", &c, &err) <
	      0);
	CHECK_STR_CONTAINS(err.msg, "field \"bank\" appears twice");
	CHECK(config_from_text("{\"mapping\": \"row:rank:bnk:channel:column:offset\"}", &c, &err) <
	      0);
	CHECK_STR_CONTAINS(err.msg, "unknown field \"bnk\"");
	CHECK(config_from_text("{\"t_rcd_ps\": -3}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "t.json: dram.t_rcd_ps: expected an integer in [1, ");
	CHECK(config_from_text("{\"t_ras_ps\": 1000}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "dram.t_ras_ps: expected at least t_rcd_ps (13750), got 1000");
	CHECK(config_from_text("{\"t_cl_p\": 1000}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "dram.t_cl_p: unknown key (did you mean \"t_cl_ps\"?)");
}

/* Submit n requests at time 0 (the addresses from addr_of(i)) and run them; returns the last
 * completion. */
static simtime_t run_batch(struct dram *d, uint64_t n, uint64_t (*addr_of)(uint64_t))
{
	for (uint64_t i = 0; i < n; i++)
		dram_submit(d, 0, addr_of(i), false, i);
	simtime_t last = 0;
	struct dram_done x;
	while (dram_next_ps(d) != DRAM_TIME_NONE)
		if (dram_step(d, &x))
			last = MAX(last, x.done_ps);
	return last;
}

static uint64_t same_row(uint64_t i)
{
	return addr(3, 5, 0, i % 128);
}

static uint64_t two_groups(uint64_t i)
{
	return addr(3, i & 1, 0, (i / 2) % 128); /* banks 0 and 1: bank groups 0 and 1 */
}

static uint64_t banks_rows(uint64_t i)
{
	return addr(i / 16 % 1024, i % 16, 0, 0);
}

/* Streaming row hits: tCCD_L apart in one bank group, tCCD_S (= one burst) across two. */
static void test_ccd_bounds(void)
{
	struct dram *d = dram_from_text("{\"t_refi_ps\": 0}");
	CHECK_EQ_U64(run_batch(d, 4096, same_row), RCD + 4095 * CCD_L + CL + BURST);
	dram_destroy(d);
	d = dram_from_text("{\"t_refi_ps\": 0}");
	/* The second bank's ACT one tRRD_S after the first; then one burst per read. */
	CHECK_EQ_U64(run_batch(d, 4096, two_groups), RCD + 4095 * BURST + CL + BURST);
	dram_destroy(d);
}

/* Closed page, every read an ACT, spread over 16 banks: at most four ACTs per tFAW per rank
 * (tRRD_S x 4 = 10 ns < tFAW = 21.25 ns, and each bank's tRC x 16 banks is slower still only
 * per bank). 4096 reads take 1023 tFAW windows and the last read's latency, plus at most one
 * command-bus cycle per window. */
static void test_faw_bound(void)
{
	struct dram *d = dram_from_text("{\"t_refi_ps\": 0, \"page_policy\": \"closed\"}");
	simtime_t last = run_batch(d, 4096, banks_rows);
	printf("tFAW: 4096 ACTs in %llu ps (1023 tFAW = %d)\n", (unsigned long long)last, 1023 * 21250);
	simtime_t bound = 1023 * 21250;
	CHECK(last >= bound);
	/* Each window's fifth ACT may lose one command-bus cycle to a column command. */
	CHECK(last <= 1024 * (21250 + CK) + RCD + CL + BURST);
	CHECK_EQ_U64(d->row_misses, 4096);
	dram_destroy(d);
}

/* Refresh: an access arriving when a REF is due waits tRFC (the REF, then its ACT); the count
 * of REFs is one per tREFI per rank and channel; a saturating stream loses tRFC / tREFI. */
static void test_refresh(void)
{
	struct dram *d = dram_from_text("{}");
	CHECK_EQ_U64(dram_access(d, REFI, addr(1, 2, 0, 0), false) - REFI, RFC + RCD + CL + BURST);
	struct statsout o;
	statsout_init(&o);
	dram_report(d, 10 * REFI + 5, &o);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "dram.refreshes")), 2 * 10);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "dram.refresh_ps")), 2 * 10 * RFC);
	statsout_fini(&o);
	dram_destroy(d);
	/* Row hits in two bank groups stream one burst per 2.5 ns: 40000 of them span ~13 tREFI.
	 * With refresh the span grows by tRFC per REF plus re-opening the rows after each. */
	d = dram_from_text("{\"t_refi_ps\": 0}");
	double plain = (double)run_batch(d, 40000, two_groups);
	dram_destroy(d);
	d = dram_from_text("{}");
	double with = (double)run_batch(d, 40000, two_groups);
	uint64_t refs = d->refreshes;
	dram_destroy(d);
	double per_ref = (with - plain) / (double)refs;
	printf("refresh: %llu REFs, %.1f ns lost each (tRFC %d ns)\n", (unsigned long long)refs,
	       per_ref / 1000, RFC / 1000);
	CHECK_EQ_U64(refs, (uint64_t)(with / REFI));
	CHECK(per_ref >= RFC && per_ref <= RFC + RP + RCD + CL);
}

/* Zeroing and copying one row's lines one after the other (the fast path) gives what the
 * scheduler gives with all of them queued. */
static void test_serial_equals_queued(void)
{
	struct dram *a = dram_from_text("{}"), *b = dram_from_text("{}");
	simtime_t t = REFI - 100000; /* a REF falls inside */
	simtime_t za = dram_zero_page(a, t, addr(300, 9, 0, 0), 4096);
	for (uint64_t i = 0; i < 64; i++)
		dram_submit(b, t, addr(300, 9, 0, 0) + 64 * i, true, i);
	simtime_t zb = 0;
	struct dram_done x;
	while (dram_next_ps(b) != DRAM_TIME_NONE)
		if (dram_step(b, &x))
			zb = MAX(zb, x.done_ps);
	CHECK_EQ_U64(za, zb);
	CHECK_EQ_U64(a->refreshes, 1); /* channel 0's; channel 1 counts its own when used */
	CHECK_EQ_U64(a->refreshes, b->refreshes);
	CHECK_EQ_U64(a->row_hits, b->row_hits);
	CHECK_EQ_U64(a->row_misses, b->row_misses);
	dram_destroy(a);
	dram_destroy(b);
}

int main(void)
{
	test_serial_equals_queued();
	test_ccd_bounds();
	test_faw_bound();
	test_refresh();
	test_defaults_and_presets();
	test_decode();
	test_exact_latencies();
	test_alternating_rows();
	test_copy_and_zero();
	test_bus_contention();
	test_closed_page();
	test_fixed_and_report();
	test_config_errors();
	TEST_DONE();
}
