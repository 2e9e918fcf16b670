/*
 * folio.c — probes of large folios in the page cache (issue 16): a file's folio sizes follow
 * how it was written (or read) in, and a read fault maps a whole folio (6.18: "map entire
 * folio" fault-around), a shared write fault makes a whole folio writable; read(2) of a file
 * leaves every page it read in the page cache.
 */
#include "probe.h"

#define FN 8192UL /* 32 MiB */
#define FLEN (FN * PAGE)

static int fd;
static char *m;

static void read_written_with(size_t chunk)
{
	fd = file_make("folio", FLEN, chunk);
	m = p_mmap(NULL, FLEN, PROT_READ, MAP_PRIVATE, fd, 0);
	long ok;
	PHASE("read", ok = touch_r(m, FN, 0));
	rec("read", "data_ok", ok);
	rec("read", "large_folio_pages", pm_large_folio_pages(m, FN));
}

static void s_read_1m_writes(void)
{
	read_written_with(MiB);
}

static void s_read_4k_writes(void)
{
	read_written_with(PAGE);
}

static void shared_write_written_with(size_t chunk)
{
	fd = file_make("folio", FLEN / 2, chunk);
	m = p_mmap(NULL, FLEN / 2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	PHASE("write", touch_w(m, FN / 2, 1));
	long dirty;
	rec("write", "cached", cached_pages(fd, FLEN / 2, &dirty));
	rec("write", "dirty", dirty);
}

static void s_shared_write_1m(void)
{
	shared_write_written_with(MiB);
}

static void s_shared_write_4k(void)
{
	shared_write_written_with(PAGE);
}

/* pread(2) the whole file, len bytes at a time into buf; returns the bytes read. */
static long read_whole(char *buf, size_t len)
{
	long got = 0;
	for (long n; (n = sc4(SYS_pread64, fd, buf, len, got)) > 0;)
		got += n;
	return got;
}

/* read(2) of an uncached 8,000,000-byte file, 64 KiB at a time, into a buffer faulted in
 * before: no faults; every page read stays cached (1954 pages, the last one partial). */
static void s_read_syscall(void)
{
	const size_t size = 8000000;
	fd = file_make("read", size, PAGE);
	file_uncache(fd, size);
	static char buf[64 * 1024];
	memset(buf, 0, sizeof(buf));
	long got;
	PHASE("read_all", got = read_whole(buf, sizeof(buf)));
	rec("read_all", "bytes", got);
	rec("read_all", "cached", cached_pages(fd, size, NULL));
}

/* read(2) of the first 4 KiB only of an uncached 32 MiB file: what readahead brings in. */
static void s_read_syscall_first_page(void)
{
	fd = file_make("read", FLEN, PAGE);
	file_uncache(fd, FLEN);
	static char buf[PAGE];
	memset(buf, 0, sizeof(buf));
	PHASE("read_4k", sc4(SYS_pread64, fd, buf, PAGE, 0));
	rec("read_4k", "cached", wait_uptodate(fd, FLEN));
}

static const struct scenario scenarios[] = {
    {"folio_read_1m_writes", s_read_1m_writes, "a 32 MiB file written 1 MiB at a time: read"},
    {"folio_read_4k_writes", s_read_4k_writes, "a 32 MiB file written 4 KiB at a time: read"},
    {"folio_shared_write_1m", s_shared_write_1m,
     "a 16 MiB file written 1 MiB at a time: MAP_SHARED write"},
    {"folio_shared_write_4k", s_shared_write_4k,
     "a 16 MiB file written 4 KiB at a time: MAP_SHARED write"},
    {"read_syscall_8mb", s_read_syscall, "read(2) an uncached 8,000,000-byte file"},
    {"read_syscall_first_page", s_read_syscall_first_page,
     "read(2) the first 4 KiB of an uncached 32 MiB file"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
