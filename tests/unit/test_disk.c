/*
 * test_disk.c — block devices: queueing theory (a fixed-service device under Poisson arrivals
 * at utilisation 0.5 matches M/D/1's Pollaczek-Khinchine mean response; exponential sizes on a
 * bandwidth-only device match M/M/1), exact completion times for queue depth 4 and for the
 * NVMe preset, the HDD's seek and rotational delays derived by hand, presets, statistics and
 * config errors.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "models/hw/disk.h"
#include "tests/unit/test.h"

static int config_from_text(const char *text, struct disk_config *c, struct err *err)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	BUG_ON(!o, "bad test json: %s", jerr.text);
	int rc = disk_params_expand(o, "t.json", "disk", err);
	if (!rc)
		rc = params_resolve(disk_params, o, "t.json", "disk", err);
	if (!rc)
		rc = disk_config_from_json(c, o, "t.json", "disk", err);
	json_decref(o);
	return rc;
}

static void preset(struct disk *d, const char *type)
{
	struct disk_device_config c;
	BUG_ON(disk_preset(type, type, &c), "no preset %s", type);
	disk_init(d, &c);
}

/* Mean response time of n Poisson arrivals at rate 1 / mean_gap_ps; sizes fixed (size_bytes)
 * or exponential with mean size_bytes. */
static double mean_response(struct disk *d, gsl_rng *r, double mean_gap_ps, double size_bytes,
                            int exp_sizes, uint64_t n, simtime_t *last_arrival)
{
	simtime_t t = 0;
	double sum = 0;
	for (uint64_t i = 0; i < n; i++) {
		t += (simtime_t)llround(gsl_ran_exponential(r, mean_gap_ps));
		uint64_t size = exp_sizes ? (uint64_t)llround(gsl_ran_exponential(r, size_bytes))
		                          : (uint64_t)size_bytes;
		size = size ? size : 1;
		sum += (double)(disk_submit(d, t, 0, size, false) - t);
	}
	*last_arrival = t;
	return sum / (double)n;
}

/* M/D/1: S = 100 us, rho = 0.5: W = S + rho S / (2 (1 - rho)) = 1.5 S. */
static void test_md1(void)
{
	struct disk d;
	preset(&d, "fixed");
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 20240601);
	const double S = 100e6, rho = 0.5;
	simtime_t end;
	double w = mean_response(&d, r, S / rho, 4096, 0, 1000000, &end);
	double want = S + rho * S / (2 * (1 - rho));
	printf("M/D/1: mean response %.0f ps, Pollaczek-Khinchine %.0f ps\n", w, want);
	CHECK(fabs(w - want) < 0.02 * want);
	/* Utilisation and Little's law from the report: L = lambda W = 0.75. */
	struct statsout o;
	statsout_init(&o);
	disk_report(&d, end, &o);
	int64_t util = json_integer_value(json_object_get(o.obj, "disk.fixed.utilisation_milli"));
	int64_t qlen = json_integer_value(json_object_get(o.obj, "disk.fixed.queue_len_avg_milli"));
	printf("M/D/1: utilisation %lld/1000, queue length %lld/1000\n", (long long)util,
	       (long long)qlen);
	CHECK(util >= 490 && util <= 510);
	CHECK(qlen >= 735 && qlen <= 765);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "disk.fixed.requests")), 1000000);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "latency.disk.fixed.count")),
	             1000000);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "latency.disk.fixed.min_ps")),
	             100000000);
	statsout_fini(&o);
	gsl_rng_free(r);
	disk_fini(&d);
}

/* M/M/1: service = size / bandwidth with exponential sizes (mean 1 MB at 1000 MB/s: S = 1 ms),
 * rho = 0.5: W = S / (1 - rho) = 2 S. */
static void test_mm1(void)
{
	struct disk_device_config c;
	BUG_ON(disk_preset("fixed", "mm1", &c), "no fixed preset");
	c.read_latency_ps = c.write_latency_ps = 0;
	c.read_mb_per_s = c.write_mb_per_s = 1000;
	struct disk d;
	disk_init(&d, &c);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 77);
	const double S = 1e9, rho = 0.5;
	simtime_t end;
	double w = mean_response(&d, r, S / rho, 1e6, 1, 1000000, &end);
	printf("M/M/1: mean response %.0f ps, S / (1 - rho) %.0f ps\n", w, S / (1 - rho));
	CHECK(fabs(w - S / (1 - rho)) < 0.02 * S / (1 - rho));
	gsl_rng_free(r);
	disk_fini(&d);
}

/* M/G/1 (Pollaczek-Khinchine): service S = size / bandwidth with sizes 0.5 MB or 1.5 MB, each
 * half the time, at 1000 MB/s: E[S] = 1 ms, E[S^2] = 1.25 ms^2; Poisson arrivals at rho = 0.5:
 * W = E[S] + lambda E[S^2] / (2 (1 - rho)) = 1 + 0.5 x 1.25 / 1 = 1.625 ms. */
static void test_mg1(void)
{
	struct disk_device_config c;
	BUG_ON(disk_preset("fixed", "g", &c), "no fixed preset");
	c.read_latency_ps = c.write_latency_ps = 0;
	c.read_mb_per_s = c.write_mb_per_s = 1000;
	struct disk d;
	disk_init(&d, &c);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 11);
	simtime_t t = 0;
	double sum = 0;
	const uint64_t n = 1000000;
	for (uint64_t i = 0; i < n; i++) {
		t += (simtime_t)llround(gsl_ran_exponential(r, 2e9));
		uint64_t size = gsl_rng_uniform(r) < 0.5 ? 500000 : 1500000;
		sum += (double)(disk_submit(&d, t, 0, size, false) - t);
	}
	double w = sum / (double)n, want = 1.625e9;
	printf("M/G/1: mean response %.0f ps, Pollaczek-Khinchine %.0f ps\n", w, want);
	CHECK(fabs(w - want) < 0.02 * want);
	gsl_rng_free(r);
	disk_fini(&d);
}

/* P(Poisson(m) <= k). */
static double poisson_cdf(double m, int k)
{
	if (k < 0)
		return 0;
	double term = exp(-m), sum = term;
	for (int i = 1; i <= k; i++) {
		term *= m / i;
		sum += term;
	}
	return sum;
}

/*
 * The exact mean wait of M/D/c (FIFO, service D): the number present N(t) satisfies
 * N(t + D) = max(N(t) - c, 0) + A(t, t + D) for every t (those waiting at t are still there at
 * t + D, those in service have left, every arrival in between is there), so its time-stationary
 * law pi is that chain's, with A ~ Poisson(lambda D). A customer arriving at t starts by t + x
 * (x = kD + u, 0 <= u < D) iff those ahead of it still present at t + x number at most c - 1.
 * With s = t + u - D: the ones ahead still present at s + D are M = max(N(s) - c, 0) + the
 * arrivals in (s, t); each further D takes c of them, so at s + (k + 1) D = t + x there are
 * max(M - kc, 0). By PASTA, P(W <= kD + u) = sum_n pi_n P(Poisson(lambda (D - u)) <=
 * (k + 1) c - 1 - max(n - c, 0)) (Crommelin 1932; Franx 2001). E[W] = the integral of
 * P(W > x), slot by slot until it vanishes.
 */
static double mdc_mean_wait(int c, double lambda, double D, double *p_over)
{
	enum { NMAX = 400 };
	static double pi[NMAX], nx[NMAX];
	double a[NMAX];
	for (int k = 0; k < NMAX; k++)
		a[k] = exp(-lambda * D + k * log(lambda * D) - lgamma(k + 1.0));
	for (int n = 0; n < NMAX; n++)
		pi[n] = n == 0;
	for (int it = 0; it < 20000; it++) {
		for (int n = 0; n < NMAX; n++)
			nx[n] = 0;
		for (int n = 0; n < NMAX; n++) {
			int w = n > c ? n - c : 0;
			for (int k = 0; w + k < NMAX; k++)
				nx[w + k] += pi[n] * a[k];
		}
		for (int n = 0; n < NMAX; n++)
			pi[n] = nx[n];
	}
	*p_over = 0;
	for (int n = 2 * c; n < NMAX; n++)
		*p_over += pi[n];
	const int steps = 1000;
	double ew = 0;
	for (int k = 0; k < 20; k++) {
		double slot = 0;
		for (int i = 0; i < steps; i++) {
			double u = (i + 0.5) * D / steps, le = 0;
			for (int n = 0; n < NMAX; n++)
				le += pi[n] * poisson_cdf(lambda * (D - u),
				                          (k + 1) * c - 1 - (n > c ? n - c : 0));
			slot += (1 - le) * D / steps;
		}
		ew += slot;
		if (slot < 1e-9 * D)
			break;
	}
	return ew;
}

/* M/D/32: 32 slots of D = 100 us at rho = 0.9 (lambda = 0.288 per us): the mean wait against
 * the exact formula above. */
static void test_md32(void)
{
	struct disk_device_config c;
	BUG_ON(disk_preset("fixed", "md32", &c), "no fixed preset");
	c.queue_depth = 32;
	struct disk d;
	disk_init(&d, &c);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 32);
	const double D = 100e6, rho = 0.9, lambda = rho * 32 / D;
	simtime_t end;
	double w = mean_response(&d, r, 1 / lambda, 4096, 0, 2000000, &end) - D, over;
	double want = mdc_mean_wait(32, lambda, D, &over);
	printf("M/D/32: mean wait %.0f ps, exact %.0f ps (P(W > D) = P(N >= 64) = %.2g)\n", w,
	       want, over);
	CHECK(fabs(w - want) < 0.03 * want);
	gsl_rng_free(r);
	disk_fini(&d);
}

/* Queue depth 4: four requests at once are served in parallel, the fifth waits for a slot. */
static void test_queue_depth(void)
{
	struct disk_device_config c;
	BUG_ON(disk_preset("fixed", "q4", &c), "no fixed preset");
	c.queue_depth = 4;
	struct disk d;
	disk_init(&d, &c);
	const simtime_t S = 100 * PS_PER_US;
	for (int i = 0; i < 4; i++)
		CHECK_EQ_U64(disk_submit(&d, 0, 0, 4096, false), S);
	CHECK_EQ_U64(disk_submit(&d, 0, 0, 4096, false), 2 * S);
	CHECK_EQ_U64(disk_submit(&d, S / 2, 0, 4096, true), 2 * S);
	struct statsout o;
	statsout_init(&o);
	disk_report(&d, 2 * S, &o);
	/* Responses: 4 x S + 2 S + 1.5 S = 7.5 S over 2 S elapsed: 3.75 in the system. */
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "disk.q4.queue_len_avg_milli")),
	             3750);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "disk.q4.busy_ps")), 2 * S);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "disk.q4.utilisation_milli")), 1000);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "disk.q4.wait_avg_ps")),
	             (S + S / 2) / 6);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "disk.q4.writes")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "disk.q4.bytes")), 6 * 4096);
	statsout_fini(&o);
	disk_fini(&d);
}

/* A read that finds its die programming. Four 4 KiB writes at 0 fill one flash page: over the
 * host link one after the other (2.048 us each, after 15 us), the fourth in the cache at
 * 23.192 us; the page crosses channel 0 (16384 B at 800 MB/s: 20.48 us) and die 0 programs it
 * until 43.672 us + 4 ms. A read of flash page 0 (die 0) at 1 ms, ready at 1005 us: with
 * suspension it waits 20 us, reads 75 us, crosses the channel (5.12 us) and the link (1.28
 * us): 106.4 us, and the program ends 95 us later; without, it waits for the program:
 * 4043.672 + 75 + 5.12 + 1.28 - 1000 = 3125.072 us. */
static void check_suspend(simtime_t suspend_ps, simtime_t want_ps, uint64_t want_suspends)
{
	struct disk d;
	struct disk_device_config c;
	BUG_ON(disk_preset("nvme", "nvme", &c), "no preset");
	c.flash.program_suspend_ps = suspend_ps;
	disk_init(&d, &c);
	for (uint64_t i = 0; i < 4; i++)
		disk_submit(&d, 0, (1ull << 30) + i * 4096, 4096, true);
	CHECK_EQ_U64(d.ssd.programs, 1);
	CHECK_EQ_U64(d.ssd.die_prog_end[0], 43672000 + 4 * PS_PER_MS);
	CHECK_EQ_U64(disk_submit(&d, PS_PER_MS, 0, 4096, false) - PS_PER_MS, want_ps);
	CHECK_EQ_U64(d.ssd.suspends, want_suspends);
	CHECK_EQ_U64(d.ssd.die_prog_end[0],
	             43672000 + 4 * PS_PER_MS + (want_suspends ? 95 * PS_PER_US : 0));
	CHECK_EQ_U64(d.ssd.read_cache_hits, 0);
	disk_fini(&d);
}

static void test_nvme_suspend(void)
{
	check_suspend(20 * PS_PER_US, 106400000, 1);
	check_suspend(0, 3125072000, 0);
}

/* NVMe (Intel DC P4500 preset, flash model): a QD1 4 KiB read = controller 5 us + tR 75 us +
 * 4096 B over an 800 MB/s channel (5.12 us) + the host link at 3200 MB/s (1.28 us); a write =
 * 15 us + 4096 B at 2000 MB/s (2.048 us) into an empty write cache. Four reads of one flash
 * page at once wait for its die in turn (tR each); of four pages on four dies they overlap
 * and share only the host link. */
static void test_nvme(void)
{
	struct disk d;
	preset(&d, "nvme");
	CHECK_EQ_U64(disk_submit(&d, 0, 0, 4096, false), 86400000);
	simtime_t t = 1 * PS_PER_S;
	CHECK_EQ_U64(disk_submit(&d, t, 8192, 4096, true) - t, 15000000 + 2048000);
	/* Blocks 0, 1, 3 from the die in turn; block 2, written at 1 s and still in the write
	 * cache (its page not full, so not programmed), from the cache: 5 us + the link 1.28 us. */
	t = 2 * PS_PER_S;
	static const simtime_t want[4] = {86400000, 161400000, 6280000, 236400000};
	for (uint64_t i = 0; i < 4; i++)
		CHECK_EQ_U64(disk_submit(&d, t, i * 4096, 4096, false) - t, want[i]);
	t = 3 * PS_PER_S;
	for (uint64_t i = 0; i < 4; i++)
		CHECK_EQ_U64(disk_submit(&d, t, i * 16384, 4096, false) - t, 86400000 + i * 1280000);
	disk_fini(&d);
}

/*
 * HDD preset: 7200 rpm (revolution 60e12 / 7200 = 8333333333 ps), 1 MiB tracks, 1 TiB
 * (2^20 tracks), settle 1 ms, full stroke 15 ms, no command overhead.
 *  - 4 KiB at offset 0, time 0: head on track 0, platter angle 0 = the target's: no seek, no
 *    wait; transfer floor(4096 rev / 2^20) = 32552083 ps.
 *  - the next 4 KiB, issued at that completion: same track, the platter is exactly at byte
 *    4096: transfer floor(8192 rev / 2^20) - 32552083 = 32552083 ps, nothing else.
 *  - 4 KiB at 2^38 (track 2^18: a quarter of the disk away), issued at completion 65104166:
 *    seek = settle + (full - settle) sqrt(1/4) = 1e9 + 7e9 = 8e9 ps; the head arrives at
 *    8065104166, within the first revolution; the target's angle is 0: rotational wait
 *    rev - 8065104166 = 268229167; transfer 32552083.
 *  - on a fresh disk, 4 KiB at 2^19 (half a track) at time 0: no seek, wait floor(rev / 2) =
 *    4166666666, transfer floor((2^19 + 4096) rev / 2^20) - 4166666666 = 32552083.
 */
static void test_hdd(void)
{
	struct disk d;
	preset(&d, "hdd");
	CHECK_EQ_U64(d.rev_ps, 8333333333ull);
	simtime_t t = disk_submit(&d, 0, 0, 4096, false);
	CHECK_EQ_U64(t, 32552083);
	simtime_t t2 = disk_submit(&d, t, 4096, 4096, false);
	CHECK_EQ_U64(t2 - t, 32552083);
	simtime_t t3 = disk_submit(&d, t2, 1ull << 38, 4096, false);
	CHECK_EQ_U64(t2, 65104166);
	CHECK_EQ_U64(t3 - t2, 8000000000ull + 268229167ull + 32552083);
	CHECK_EQ_U64(d.seek_ps, 8000000000ull);
	CHECK_EQ_U64(d.rotation_ps, 268229167ull);
	disk_fini(&d);

	preset(&d, "hdd");
	CHECK_EQ_U64(disk_submit(&d, 0, 1u << 19, 4096, true), 4166666666ull + 32552083);
	/* A 1 MiB sequential cluster streams at one track per revolution. */
	t = disk_submit(&d, 4166666666ull + 32552083, (1u << 19) + 4096, 1u << 20, true);
	CHECK_EQ_U64(t - (4166666666ull + 32552083), 8333333333ull);
	disk_fini(&d);
}

static void test_config(void)
{
	struct disk_config c;
	struct err err;
	CHECK_EQ_U64(config_from_text("{}", &c, &err), 0);
	CHECK_EQ_U64(c.nr_devices, 1);
	struct disk_device_config nvme;
	disk_preset("nvme", "nvme0", &nvme);
	CHECK(memcmp(&c.dev[0], &nvme, sizeof(nvme)) == 0); /* the default list is the preset */
	CHECK_EQ_U64(c.swap, 0);
	CHECK_EQ_U64(c.file, 0);

	/* The HDD-swap preset file: two devices, swap on the HDD, files on NVMe. */
	json_t *f = json_load_file("configs/presets/hdd-swap.json", 0, NULL);
	CHECK(f != NULL);
	if (f) {
		json_t *o = json_object_get(f, "disk");
		int rc = disk_params_expand(o, "hdd-swap.json", "disk", &err);
		rc = rc ? rc : params_resolve(disk_params, o, "hdd-swap.json", "disk", &err);
		rc = rc ? rc : disk_config_from_json(&c, o, "hdd-swap.json", "disk", &err);
		CHECK_EQ_U64(rc, 0);
		CHECK_EQ_U64(c.nr_devices, 2);
		CHECK_EQ_U64(c.swap, 1);
		CHECK_EQ_U64(c.file, 0);
		CHECK_EQ_U64(c.dev[1].rpm, 7200);
		struct disks *ds = disks_create(&c);
		CHECK(disks_swap(ds) == &ds->dev[1]);
		CHECK(disks_find(ds, "nvme0") == disks_file(ds));
		disks_destroy(ds);
		json_decref(f);
	}
	/* A key overrides its preset; swap and file default to the first device. */
	CHECK_EQ_U64(config_from_text("{\"devices\": [{\"name\": \"s\", \"type\": \"sata-ssd\", "
	                              "\"queue_depth\": 8}, {\"name\": \"h\", \"type\": \"hdd\"}]}",
	                              &c, &err),
	             0);
	CHECK_EQ_U64(c.dev[0].queue_depth, 8);
	CHECK_EQ_U64(c.dev[0].read_mb_per_s, 550);
	CHECK_EQ_U64(c.dev[1].queue_depth, 32); /* the hdd preset: SATA NCQ's 32 slots */
	CHECK_EQ_U64(c.swap, 0);

	CHECK(config_from_text("{\"devices\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", &c, &err) <
	      0);
	CHECK_STR_CONTAINS(err.msg, "t.json: disk.devices[1].name: \"a\" already names devices[0]");
	CHECK(config_from_text("{\"devices\": [{\"name\": \"a\"}], \"swap\": \"b\"}", &c, &err) <
	      0);
	CHECK_STR_CONTAINS(err.msg, "t.json: disk.swap: no device named \"b\" (devices: a)");
	/* A rotating disk takes any queue depth (NCQ). */
	CHECK_EQ_U64(config_from_text("{\"devices\": [{\"name\": \"h\", \"type\": \"hdd\", "
	                              "\"queue_depth\": 4}]}",
	                              &c, &err),
	             0);
	CHECK_EQ_U64(c.dev[0].queue_depth, 4);
	CHECK(config_from_text("{\"devices\": [{\"name\": \"h\", \"type\": \"hdd\", "
	                       "\"read_mb_per_s\": 100}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "disk.devices[0].read_mb_per_s: a rotating disk's media rate");
	CHECK(config_from_text("{\"devices\": [{\"name\": \"x\", \"type\": \"floppy\"}]}", &c,
	                       &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "disk.devices[0].type: expected one of");
	CHECK(config_from_text("{\"devices\": [{\"name\": \"x\", \"rpms\": 5400}]}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "disk.devices[0].rpms: unknown key (did you mean \"rpm\"?)");
}

int main(void)
{
	test_mg1();
	test_md32();
	test_md1();
	test_mm1();
	test_queue_depth();
	test_nvme();
	test_nvme_suspend();
	test_hdd();
	test_config();
	TEST_DONE();
}
