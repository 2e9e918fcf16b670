/*
 * test_dram_refresh.c — DDR5 same-bank refresh (dram.refresh = "same-bank") on the DDR5-4800
 * preset (configs/presets/ddr5-4800.json: 4 channels, 1 rank, 32 banks in 8 bank groups, so 4
 * bank sets of 8 banks; tCK 0.417 ns, tRCD 16.25 ns, CL 16.667 ns, BL16 3.333 ns; JESD79-5,
 * 16 Gb die: tREFI 3.9 us and tRFC1 295 ns all-bank, tREFI2 1.95 us and tRFCsb 130 ns, one
 * REFsb per bank set per tREFI2, so a rank's REFsb every tREFIsb = 1.95 us / 4 = 487.5 ns).
 * Against the derivations: a request to the refreshing set waits tRFCsb, one to another set
 * only the REFsb's command slot (where all-bank refresh makes it wait tRFC1); the count of
 * REFsb (one per tREFIsb per rank and channel) and the time they hold a set closed; every set
 * refreshed once per tREFI2.
 */
#include <stdlib.h>

#include "models/hw/dram.h"
#include "tests/unit/test.h"

enum { CK = 417, RP = 16250, RCD = 16250, CL = 16667, BURST = 3333, RFC = 295000, REFI = 3900000 };
enum { REFI_SB = 487500, RFC_SB = 130000 };

/* The DDR5 preset with extra keys (a JSON object's text without its braces, or ""). */
static int ddr5(const char *extra, struct dram_config *c, struct err *err)
{
	json_t *f = json_load_file("configs/presets/ddr5-4800.json", 0, NULL);
	BUG_ON(!f, "configs/presets/ddr5-4800.json (run from the repository root)");
	json_t *o = json_object_get(f, "dram");
	char *text = xasprintf("{%s}", extra);
	json_t *x = json_loads(text, 0, NULL);
	BUG_ON(!x, "bad test json %s", text);
	json_object_update(o, x);
	json_decref(x);
	free(text);
	int rc = params_resolve(dram_params, o, "ddr5.json", "dram", err);
	if (!rc)
		rc = dram_config_from_json(c, o, "ddr5.json", "dram", err);
	json_decref(f);
	return rc;
}

static struct dram *ddr5_dram(const char *extra)
{
	struct dram_config c;
	struct err err;
	BUG_ON(ddr5(extra, &c, &err), "%s", err.msg);
	return dram_create(&c);
}

/* Mapping row:rank:bank:channel:column:offset: offset [5:0], column [11:6] (64 lines of a
 * 4 KiB row), channel [13:12], bank [18:14], row above. Bank b is in group b % 8 and set
 * b / 8. */
static uint64_t addr(uint64_t row, uint64_t bank)
{
	return row << 19 | bank << 14;
}

static void test_access_during_refsb(void)
{
	struct dram *d = ddr5_dram("\"refresh\": \"same-bank\"");
	/* At tREFIsb the first REFsb (set 0: banks 0-7) issues: bank 1 waits tRFCsb. */
	CHECK_EQ_U64(dram_access(d, REFI_SB, addr(1, 1), false) - REFI_SB,
	             RFC_SB + RCD + CL + BURST);
	dram_destroy(d);
	d = ddr5_dram("\"refresh\": \"same-bank\"");
	/* Bank 8 (set 1) only waits for the command bus slot the REFsb took. */
	CHECK_EQ_U64(dram_access(d, REFI_SB, addr(1, 8), false) - REFI_SB, CK + RCD + CL + BURST);
	/* The next REFsb, at 2 tREFIsb, is set 1's: bank 8's open row precharges (tRP), then the
	 * set is closed for tRFCsb. */
	CHECK_EQ_U64(d->chan[0].rank[0].ref_set, 1);
	CHECK_EQ_U64(dram_access(d, 2 * REFI_SB, addr(1, 8), false) - 2 * REFI_SB,
	             RP + RFC_SB + RCD + CL + BURST);
	CHECK_EQ_U64(d->chan[0].rank[0].ref_set, 2);
	dram_destroy(d);
	/* All-bank refresh (the preset's default) closes bank 8 too, for tRFC1. */
	d = ddr5_dram("");
	CHECK_EQ_U64(dram_access(d, REFI, addr(1, 8), false) - REFI, RFC + RCD + CL + BURST);
	dram_destroy(d);
}

static uint64_t stat(struct dram *d, simtime_t end, const char *key)
{
	struct statsout o;
	statsout_init(&o);
	dram_report(d, end, &o);
	uint64_t v = (uint64_t)json_integer_value(json_object_get(o.obj, key));
	statsout_fini(&o);
	return v;
}

/* 40 tREFIsb (10 tREFI2): 40 REFsb per channel, 160 in all, each holding its set 130 ns; every
 * set refreshed 10 times. A bank is refreshing tRFCsb / tREFI2 = 6.67% of the time (all-bank:
 * tRFC1 / tREFI = 7.56%, 20 REFs of 295 ns over the same 19.5 us on 4 channels). An idle
 * stretch is counted as it passes, the sets still in turn. */
static void test_counts(void)
{
	simtime_t end = 40ull * REFI_SB + 5;
	struct dram *d = ddr5_dram("\"refresh\": \"same-bank\"");
	CHECK_EQ_U64(stat(d, end, "dram.refreshes"), 160);
	CHECK_EQ_U64(stat(d, end, "dram.refresh_ps"), 160ull * RFC_SB);
	/* An access at 41 tREFIsb + 1 ps: channel 0 catches up on 41 REFsb (the n-th refreshes
	 * set (n - 1) mod 4), the last, at 41 tREFIsb, of set 0: bank 0 waits the rest of its
	 * tRFCsb, 1 ps less. */
	simtime_t t = 41ull * REFI_SB + 1;
	CHECK_EQ_U64(dram_access(d, t, addr(3, 0), false) - t, RFC_SB - 1 + RCD + CL + BURST);
	CHECK_EQ_U64(d->refreshes, 41);
	CHECK_EQ_U64(d->chan[0].rank[0].ref_set, 1);
	dram_destroy(d);
	d = ddr5_dram("");
	CHECK_EQ_U64(stat(d, end, "dram.refreshes"), 20);
	CHECK_EQ_U64(stat(d, end, "dram.refresh_ps"), 20ull * RFC);
	dram_destroy(d);
}

static void test_config_errors(void)
{
	struct dram_config c;
	struct err err;
	CHECK(ddr5("\"refresh\": \"same-bank\", \"t_rfc_sb_ps\": 487500", &c, &err) != 0);
	CHECK_STR_CONTAINS(err.msg, "ddr5.json: dram.t_rfc_sb_ps: expected less than t_refi_sb_ps");
	CHECK(ddr5("\"refresh\": \"per-bank\"", &c, &err) != 0);
	CHECK_STR_CONTAINS(err.msg, "dram.refresh");
	CHECK_EQ_U64(ddr5("", &c, &err), 0);
	CHECK_EQ_U64(c.refresh, DRAM_REFRESH_ALL_BANK);
}

int main(void)
{
	test_access_during_refsb();
	test_counts();
	test_config_errors();
	TEST_DONE();
}
