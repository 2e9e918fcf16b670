/*
 * test_disk_presets.c — the disk presets against the published figures they are calibrated on
 * (docs/models.md, "Disks"), each within 10%, and the flash model's bounds:
 *  - nvme (Intel DC P4500 4 TB): QD1 4 KiB random read 85 us (datasheet, typical); 490k
 *    4 KiB random read IOPS: by Little's law at most QD / 85 us, so 376k at QD32: matched at
 *    QD128 (the datasheet's 645k is its maximum, at a deeper queue); steady-state 4 KiB random
 *    write ~48k IOPS (datasheet) once the write cache is full, and the cache absorbing writes
 *    at the host link's rate until then.
 *  - sata-ssd (Samsung 850 EVO 500 GB): QD1 4 KiB random read ~100 us, QD32 ~70k IOPS.
 *  - hdd (7200 rpm, Seagate Barracuda 7200.14 datasheet: average seek < 8.5 ms): the mean
 *    seek of uniformly random requests.
 * And the parallelism bound: no more than dies / tR reads per second, whatever the queue.
 */
#include <stdlib.h>

#include "models/hw/disk.h"
#include "tests/unit/test.h"

static void preset(struct disk *d, const char *type)
{
	struct disk_device_config c;
	BUG_ON(disk_preset(type, type, &c), "no preset %s", type);
	disk_init(d, &c);
}

static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return *x >> 16;
}

struct run {
	double iops, mean_us;
};

/* Closed loop: qd requests outstanding, each a random 4 KiB-aligned request over the first
 * 64 GiB, a new one submitted when the earliest completes; n requests after a warm-up of n. */
static struct run closed_loop(struct disk *d, unsigned qd, uint64_t n, bool write)
{
	simtime_t *out = xcalloc(qd, sizeof(*out));
	uint64_t x = 7;
	simtime_t start = 0, t = 0;
	double lat = 0;
	for (uint64_t i = 0; i < 2 * n; i++) {
		unsigned m = 0;
		for (unsigned k = 1; k < qd; k++)
			if (out[k] < out[m])
				m = k;
		t = out[m];
		if (i == n)
			start = t;
		simtime_t done = disk_submit(d, t, (lcg(&x) % (1ull << 24)) * 4096, 4096, write);
		if (i >= n)
			lat += (double)(done - t);
		out[m] = done;
	}
	simtime_t end = 0;
	for (unsigned k = 0; k < qd; k++)
		end = MAX(end, out[k]);
	free(out);
	return (struct run){(double)n / ((double)(end - start) / 1e12), lat / (double)n / 1e6};
}

static int within(const char *what, double got, double want, double tol)
{
	double err = (got - want) / want;
	printf("  %-40s %12.1f  cited %12.1f  %+6.1f%%\n", what, got, want, 100 * err);
	return err <= tol && err >= -tol;
}

static void test_nvme(void)
{
	struct disk d;
	printf("nvme (Intel DC P4500)\n");
	preset(&d, "nvme");
	/* QD1: 5 + 75 + 5.12 + 1.28 us exactly on an idle device. */
	CHECK_EQ_U64(disk_submit(&d, 0, 1 << 20, 4096, false), 86400000);
	CHECK(within("QD1 4 KiB read us", closed_loop(&d, 1, 20000, false).mean_us, 85, 0.10));
	disk_fini(&d);
	preset(&d, "nvme");
	struct run r32 = closed_loop(&d, 32, 100000, false);
	printf("  QD32 4 KiB read: %.0f IOPS (Little: at most 32 / 85 us = 376k)\n", r32.iops);
	CHECK(r32.iops < 32 / 85e-6);
	disk_fini(&d);
	preset(&d, "nvme");
	CHECK(within("QD128 4 KiB read IOPS", closed_loop(&d, 128, 200000, false).iops, 490000,
	              0.10));
	disk_fini(&d);
	/* Writes: the first 64 MiB (16384 x 4 KiB) at the host link's rate, then the program
	 * rate: 48 dies x 16 KiB / 4 ms = 49152 x 4 KiB/s. */
	preset(&d, "nvme");
	struct run burst = closed_loop(&d, 32, 8000, true);
	printf("  QD32 4 KiB write, cache filling: %.0f IOPS\n", burst.iops);
	CHECK(burst.iops > 400000);
	struct run steady = closed_loop(&d, 32, 100000, true);
	CHECK(within("QD32 4 KiB write IOPS, steady state", steady.iops, 48000, 0.10));
	CHECK(d.ssd.cache_full_waits > 0);
	disk_fini(&d);
}

static void test_sata(void)
{
	struct disk d;
	printf("sata-ssd (Samsung 850 EVO)\n");
	preset(&d, "sata-ssd");
	CHECK(within("QD1 4 KiB read us", closed_loop(&d, 1, 20000, false).mean_us, 100, 0.10));
	disk_fini(&d);
	preset(&d, "sata-ssd");
	CHECK(within("QD32 4 KiB read IOPS", closed_loop(&d, 32, 100000, false).iops, 70000, 0.10));
	disk_fini(&d);
}

/* The dies bound: a flash device with 4 dies of tR = 100 us, a 1 us controller and fast buses
 * serves at most 4 / 100 us = 40k reads/s; a deep queue of random reads gets close. */
static void test_parallelism_bound(void)
{
	struct disk_device_config c;
	BUG_ON(disk_preset("nvme", "b", &c), "no nvme preset");
	c.flash.channels = 2;
	c.flash.dies_per_channel = 2;
	c.flash.die_read_ps = 100 * PS_PER_US;
	c.flash.channel_mb_per_s = 1000000;
	c.read_latency_ps = PS_PER_US;
	c.read_mb_per_s = 0;
	struct disk d;
	disk_init(&d, &c);
	struct run r = closed_loop(&d, 128, 100000, false);
	printf("dies bound: %.0f IOPS, at most 40000\n", r.iops);
	CHECK(r.iops <= 40000 * 1.0001);
	CHECK(r.iops >= 40000 * 0.97);
	disk_fini(&d);
}

/* HDD: the mean seek of uniformly random 4 KiB requests over the disk: settle + (full -
 * settle) E[sqrt(|x - y|)] = 1 + 14 x 8/15 = 8.47 ms for x, y uniform. */
static void test_hdd_seek(void)
{
	struct disk d;
	printf("hdd (7200 rpm)\n");
	preset(&d, "hdd");
	uint64_t x = 3, n = 20000;
	simtime_t t = 0;
	for (uint64_t i = 0; i < n; i++)
		t = disk_submit(&d, t, (lcg(&x) % (d.cfg.capacity_bytes / 4096)) * 4096, 4096, false);
	CHECK(within("average random seek ms", (double)d.seek_ps / (double)n / 1e9, 8.5, 0.10));
	/* A random 4 KiB read also waits half a revolution on average: ~12.6 ms, ~80 IOPS. */
	double iops = (double)n / ((double)t / 1e12);
	printf("  QD1 random 4 KiB reads: %.1f IOPS\n", iops);
	disk_fini(&d);
}

int main(void)
{
	test_nvme();
	test_sata();
	test_parallelism_bound();
	test_hdd_seek();
	TEST_DONE();
}
