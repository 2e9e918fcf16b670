/*
 * file.c — probes of file mappings through the page cache: read faults with fault-around,
 * MAP_PRIVATE COW, MAP_SHARED writes with dirty tracking and msync, readahead on an uncached
 * file (and MADV_WILLNEED, SEQUENTIAL, RANDOM, PAGEOUT, DONTNEED, MAP_POPULATE on files), and
 * the signals of bad accesses (SIGBUS past the end of a file, SIGSEGV unmapped / protection).
 *
 * The files are 32 MiB (8192 pages) on the ext4 directory of -d, written with 4 KiB write()
 * calls so that the page cache holds them in 4 KiB folios (the "classic" kernel; folio.c has
 * the large-folio scenarios), fsync'ed (clean), and either kept cached or dropped with
 * POSIX_FADV_DONTNEED, as each scenario says.
 */
#include "probe.h"

#define FN 8192UL
#define FLEN (FN * PAGE)

static int fd;
static char *m;

/* A cached 32 MiB file in 4 KiB folios. */
static void cached_file(void)
{
	fd = file_make("file", FLEN, PAGE);
}

static void uncached_file(void)
{
	fd = file_make("file", FLEN, PAGE);
	file_uncache(fd, FLEN);
}

static char *map_file(int prot, int flags)
{
	char *p = p_mmap(NULL, FLEN, prot, flags, fd, 0);
	if (mmap_failed(p)) {
		errno = (int)-(long)p;
		die("mmap file");
	}
	return p;
}

/* The file's pages hold their index + 1 in their first word (file_make): TAG(0, i). */
static void rec_cache(const char *phase)
{
	long dirty;
	rec(phase, "cached", cached_pages(fd, FLEN, &dirty));
	rec(phase, "dirty", dirty);
}

static void s_private_read(void)
{
	cached_file();
	m = map_file(PROT_READ, MAP_PRIVATE);
	long ok;
	PHASE("read", ok = touch_r(m, FN, 0));
	rec("read", "data_ok", ok);
	rec_region("read", m, FN, R_FILE);
	PHASE("reread", (void)touch_r(m, FN, 0));
}

static void s_shared_read(void)
{
	cached_file();
	m = map_file(PROT_READ, MAP_SHARED);
	PHASE("read", (void)touch_r(m, FN, 0));
	rec_region("read", m, FN, R_FILE);
}

/* Issue 15, bug 3: do_cow_fault maps no neighbours. */
static void s_private_write_stride(void)
{
	cached_file();
	m = map_file(PROT_READ | PROT_WRITE, MAP_PRIVATE);
	PHASE("write_1_in_16", touch_w_stride(m, FN, 0, 16, 1));
	rec_region("write_1_in_16", m, FN, R_ANON | R_FILE);
	PHASE("read_all", (void)touch_r(m, FN, 0));
	rec_region("read_all", m, FN, R_ANON | R_FILE);
	rec_cache("read_all");
}

/* MAP_PRIVATE read then write: the read maps the page-cache page read-only, the write copies. */
static void s_private_read_write(void)
{
	cached_file();
	m = map_file(PROT_READ | PROT_WRITE, MAP_PRIVATE);
	PHASE("read", (void)touch_r(m, FN, 0));
	PHASE("write", touch_w(m, FN, 1));
	rec_region("write", m, FN, R_ANON | R_FILE);
	rec_cache("write");
}

/* MAP_SHARED on ext4: write faults map one page (no fault-around for writes); a read maps
 * read-only (write-notify for dirty tracking) so a later write faults again; msync cleans the
 * pages and write-protects their PTEs again. */
static void s_shared_write(void)
{
	cached_file();
	m = map_file(PROT_READ | PROT_WRITE, MAP_SHARED);
	PHASE("write", touch_w(m, FN, 1));
	rec_cache("write");
	PHASE("msync", sc3(SYS_msync, m, FLEN, MS_SYNC));
	rec_cache("msync");
	PHASE("write_again", touch_w(m, FN, 2));
	rec_cache("write_again");
}

static void s_shared_read_write(void)
{
	cached_file();
	m = map_file(PROT_READ | PROT_WRITE, MAP_SHARED);
	PHASE("read", (void)touch_r(m, FN, 0));
	PHASE("write", touch_w(m, FN, 1));
	rec_cache("write");
	PHASE("reread", (void)touch_r(m, FN, 1));
}

/* A child of a process that mapped the file: fork copies no PTEs of a file VMA without
 * anonymous pages; the child faults them in from the page cache, with fault-around. */
static void fork_file_child(void *arg)
{
	(void)arg;
	long ok;
	PHASE("child_read", ok = touch_r(m, FN, 0));
	rec("child_read", "data_ok", ok);
}

static void s_shared_fork(void)
{
	cached_file();
	m = map_file(PROT_READ, MAP_SHARED);
	PHASE("parent_read", (void)touch_r(m, FN, 0));
	run_child(fork_file_child, NULL);
}

/* Uncached: the first read fault reads around it (ra_pages of the device), later faults
 * find pages read by asynchronous readahead. When those reads complete decides which
 * pages fault-around can map: the minor faults after the first vary from run to run. */
static void s_readahead(void)
{
	uncached_file();
	m = map_file(PROT_READ, MAP_PRIVATE);
	long ok;
	PHASE("first_fault", (void)touch_r(m, 1, 0));
	rec("first_fault", "cached", wait_uptodate(fd, FLEN));
	PHASE("read", ok = touch_r(m, FN, 0));
	rec("read", "data_ok", ok);
	rec_cache("read");
	rec("read", "large_folio_pages", pm_large_folio_pages(m, FN));
}

/* MADV_WILLNEED reads (asynchronously) at most ra_pages of the range, in 4 KiB folios; the
 * first fault beyond them is major and starts readahead as on an uncached file. */
static void s_willneed(void)
{
	uncached_file();
	m = map_file(PROT_READ, MAP_PRIVATE);
	long e;
	PHASE("willneed", e = p_madvise(m, FLEN, MADV_WILLNEED));
	rec("willneed", "result", e);
	long ra = wait_uptodate(fd, FLEN);
	rec("willneed", "cached", ra);
	PHASE("read_willneed_part", (void)touch_r(m, (size_t)ra, 0));
	PHASE("fault_past", (void)touch_r(m + ra * PAGE, 1, 0));
	rec("fault_past", "cached", wait_uptodate(fd, FLEN));
	PHASE("read_all", (void)touch_r(m, FN, 0));
	rec_cache("read_all");
	rec("read_all", "large_folio_pages", pm_large_folio_pages(m, FN));
}

static void s_random(void)
{
	uncached_file();
	m = map_file(PROT_READ, MAP_PRIVATE);
	p_madvise(m, FLEN, MADV_RANDOM);
	PHASE("read", (void)touch_r(m, FN, 0));
	rec_cache("read");
}

static void s_sequential(void)
{
	uncached_file();
	m = map_file(PROT_READ, MAP_PRIVATE);
	p_madvise(m, FLEN, MADV_SEQUENTIAL);
	PHASE("first_fault", (void)touch_r(m, 1, 0));
	rec("first_fault", "cached", wait_uptodate(fd, FLEN));
	PHASE("read", (void)touch_r(m, FN, 0));
	rec_cache("read");
	rec("read", "large_folio_pages", pm_large_folio_pages(m, FN));
}

/* MADV_PAGEOUT of a file mapping: the clean page-cache pages only this process maps are
 * reclaimed; reading again reads the file again. */
static void s_pageout(void)
{
	cached_file();
	m = map_file(PROT_READ, MAP_PRIVATE);
	touch_r(m, FN, 0);
	PHASE("pageout", p_madvise(m, FLEN, MADV_PAGEOUT));
	rec_region("pageout", m, FN, R_FILE);
	rec_cache("pageout");
}

/* MADV_DONTNEED of a file mapping zaps the PTEs; the page cache keeps the pages. */
static void s_dontneed(void)
{
	cached_file();
	m = map_file(PROT_READ, MAP_PRIVATE);
	touch_r(m, FN, 0);
	PHASE("dontneed", p_madvise(m, FLEN, MADV_DONTNEED));
	rec_region("dontneed", m, FN, R_FILE);
	rec_cache("dontneed");
	PHASE("read", (void)touch_r(m, FN, 0));
}

static void s_populate(void)
{
	cached_file();
	PHASE("mmap_populate",
	      m = p_mmap(NULL, FLEN, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0));
	rec_region("mmap_populate", m, FN, R_FILE);
	PHASE("read", (void)touch_r(m, FN, 0));
}

/* A file of 3 pages and 100 bytes mapped over 8 pages: the tail of page 3 reads zeros; page 5
 * is past the end of the file (SIGBUS). An unmapped address and a write to a read-only
 * mapping raise SIGSEGV with different si_codes. Faults that raise a signal are not counted
 * in ru_minflt. */
static void s_signals(void)
{
	fd = file_make("short", 3 * PAGE + 100, PAGE);
	m = p_mmap(NULL, 8 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	int sig = 0, code = 0;
	PHASE("read_in_file", (void)touch_r(m, 3, 0));
	PHASE("read_eof_page_tail", sig = try_access(m + 3 * PAGE + 200, 0, &code));
	rec("read_eof_page_tail", "signal", sig);
	PHASE("read_past_eof", sig = try_access(m + 5 * PAGE, 0, &code));
	rec("read_past_eof", "signal", sig);
	rec("read_past_eof", "si_code", code);
	char *hole = p_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p_munmap(hole, PAGE);
	PHASE("unmapped", sig = try_access(hole, 0, &code));
	rec("unmapped", "signal", sig);
	rec("unmapped", "si_code", code);
	char *ro = p_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	(void)touch_r(ro, 1, 0);
	PHASE("write_read_only", sig = try_access(ro, 1, &code));
	rec("write_read_only", "signal", sig);
	rec("write_read_only", "si_code", code);
	p_mprotect(ro, PAGE, PROT_NONE);
	PHASE("read_prot_none", sig = try_access(ro, 0, &code));
	rec("read_prot_none", "signal", sig);
	rec("read_prot_none", "si_code", code);
}

static const struct scenario scenarios[] = {
    {"file_private_read", s_private_read, "MAP_PRIVATE read of a cached 32 MiB file"},
    {"file_shared_read", s_shared_read, "MAP_SHARED read of a cached 32 MiB file"},
    {"file_private_write_stride", s_private_write_stride,
     "MAP_PRIVATE: write 1 page in 16, then read all"},
    {"file_private_read_write", s_private_read_write, "MAP_PRIVATE: read all, then write all"},
    {"file_shared_write", s_shared_write, "MAP_SHARED: write all, msync, write all again"},
    {"file_shared_read_write", s_shared_read_write, "MAP_SHARED: read all, then write all"},
    {"file_shared_fork", s_shared_fork, "MAP_SHARED read, fork, the child reads all"},
    {"file_readahead", s_readahead, "read an uncached file through a mapping"},
    {"file_willneed", s_willneed, "MADV_WILLNEED on an uncached file, then read"},
    {"file_random", s_random, "MADV_RANDOM, read an uncached file"},
    {"file_sequential", s_sequential, "MADV_SEQUENTIAL, read an uncached file"},
    {"file_pageout", s_pageout, "MADV_PAGEOUT of a read file mapping"},
    {"file_dontneed", s_dontneed, "MADV_DONTNEED of a read file mapping, read again"},
    {"file_populate", s_populate, "MAP_POPULATE of a cached file"},
    {"signals", s_signals, "SIGBUS past the end of a file, SIGSEGV unmapped / protection"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
