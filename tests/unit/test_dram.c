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

enum { CL = 13750, RCD = 13750, RP = 13750, RAS = 32000, BURST = 2500 }; /* DDR4-3200 */

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
	CHECK_EQ_U64(dram_access(d, t, addr(6, 3, 0, 0), true) - t, RP + RCD + CL + BURST);
	/* Back to back: the conflict right after a miss waits for tRAS since the ACT. The ACT
	 * of row 6 was at 3000000 + RP; its data done at 3000000 + RP + RCD + CL + BURST. */
	simtime_t act = 3000000 + RP, now = act + RCD + CL + BURST;
	simtime_t done = dram_access(d, now, addr(5, 3, 0, 0), false);
	CHECK_EQ_U64(done, act + RAS + RP + RCD + CL + BURST);
	CHECK_EQ_U64(done - now, (RAS - RCD - CL - BURST) + RP + RCD + CL + BURST);
	CHECK_EQ_U64(d->row_misses, 1);
	CHECK_EQ_U64(d->row_hits, 1);
	CHECK_EQ_U64(d->row_conflicts, 2);
	CHECK_EQ_U64(d->reads, 3);
	CHECK_EQ_U64(d->writes, 1);
	dram_destroy(d);
}

/* Alternating between two rows of one bank: every access after the first is a conflict. */
static void test_alternating_rows(void)
{
	struct dram *d = dram_from_text("{}");
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

/* A 4 KiB copy between two channels: reads pipeline at one burst per line on the source's
 * bus, each write issues when its line arrived. Source reads: ACT at t, first data at
 * t + RCD + CL + BURST, the last at t + RCD + CL + 64 BURST. Write i issues at read i's
 * completion, which is RCD + CL + (i + 1) BURST after t; the destination bank's ACT is at the
 * first one, its column commands follow one BURST apart, so the last write completes at
 * t + 2 (RCD + CL) + 65 BURST. */
static void test_copy_and_zero(void)
{
	struct dram *d = dram_from_text("{}");
	simtime_t t = 5000000;
	simtime_t done = dram_copy_page(d, t, addr(100, 2, 0, 0), addr(200, 5, 1, 64), 4096);
	CHECK_EQ_U64(done - t, 2 * (RCD + CL) + 65 * BURST);
	CHECK_EQ_U64(d->reads, 64);
	CHECK_EQ_U64(d->writes, 64);
	CHECK_EQ_U64(d->row_misses, 2);
	CHECK_EQ_U64(d->row_hits, 126);
	CHECK_EQ_U64(d->row_conflicts, 0);
	/* Zeroing 4 KiB of an idle bank: one ACT, then 64 bursts back to back. */
	t = 10000000;
	done = dram_zero_page(d, t, addr(300, 9, 0, 0), 4096);
	CHECK_EQ_U64(done - t, RCD + CL + 64 * BURST);
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

/* Two reads issued at once to two banks of one channel: the second burst waits for the bus. */
static void test_bus_contention(void)
{
	struct dram *d = dram_from_text("{}");
	CHECK_EQ_U64(dram_access(d, 0, addr(1, 0, 0, 0), false), RCD + CL + BURST);
	CHECK_EQ_U64(dram_access(d, 0, addr(1, 1, 0, 0), false), RCD + CL + 2 * BURST);
	/* Another channel has its own bus. */
	CHECK_EQ_U64(dram_access(d, 0, addr(1, 1, 1, 0), false), RCD + CL + BURST);
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
	dram_report(d, &o);
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

int main(void)
{
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
