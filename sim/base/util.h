/*
 * util.h — the few things every module needs: simulated time, allocation that aborts on host
 * out-of-memory, always-on invariant checks, and the error buffer that carries bad-input
 * messages up to main.
 *
 * Two classes of failure (../shared/STYLE.md):
 *  - bad input (config, trace, command line): a function fills a struct err with a message that
 *    names the file and the JSON path or line, and returns a negative code; only main prints it
 *    and exits with status 2.
 *  - a broken invariant is a bug: BUG_ON prints the simulated time of the running simulation and
 *    aborts. It is always on, in every build type.
 */
#ifndef VMSIM_SIM_BASE_UTIL_H
#define VMSIM_SIM_BASE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Simulated time: an integer count of picoseconds. No floating point in timing decisions. */
typedef uint64_t simtime_t;
#define SIMTIME_MAX UINT64_MAX
#define PS_PER_NS 1000ull
#define PS_PER_US 1000000ull
#define PS_PER_MS 1000000000ull
#define PS_PER_S 1000000000000ull

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* Each argument may be evaluated twice: never pass a call that does something (a model's
 * access or submit ran twice behind two such MAXes: numa_copy_page, the kswapd writes). */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#else
#define likely(x) (x)
#define unlikely(x) (x)
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

/* Error codes returned (negated) by functions that can fail on bad input. */
enum {
	VMSIM_OK = 0,
	VMSIM_EINVAL = 1, /* bad input: the message says where and what */
	VMSIM_EIO = 2,    /* a host file could not be read or written */
};

/* A bad-input message, filled by the function that found the problem. */
struct err {
	char msg[2048];
};

/* Fill err with a formatted message and return -VMSIM_EINVAL. err may be NULL. */
int err_set(struct err *err, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Same, returning -code. */
int err_setc(struct err *err, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Allocation that aborts on host out-of-memory; never returns NULL. */
void *xmalloc(size_t size_bytes);
void *xcalloc(size_t nmemb, size_t size_bytes);
void *xrealloc(void *p, size_t size_bytes);
/* Zeroed memory for a large array looked up at random (frames, swap slots, hash tables): from
 * 2 MiB up it is mapped apart, 2 MiB-aligned, and on Linux marked MADV_HUGEPAGE, so that the
 * host's TLB covers it with one entry per 2 MiB instead of 512 (a hint: results do not depend
 * on it). Zero pages are faulted in lazily, so untouched parts cost no memory. Smaller arrays
 * come from xcalloc. Free with xfree_big and the same sizes. */
/* Host wall-clock seconds from an arbitrary start (CLOCK_MONOTONIC): for timing the host's
 * work (run.json, progress, benchmarks), never the simulation's. */
double host_monotonic_s(void);
void *xcalloc_big(size_t nmemb, size_t size_bytes);
void xfree_big(void *p, size_t nmemb, size_t size_bytes);
char *xstrdup(const char *s);
/* asprintf that aborts on host out-of-memory; the result is new (free it). */
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * The simulated clock that BUG_ON reports. A simulation registers its clock while it runs
 * (thread-local, so two simulations in two threads report their own); diagnostics only.
 */
void bug_set_clock(const simtime_t *now_ps);
NORETURN void bug_fail(const char *file, int line, const char *cond, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

#define BUG_ON(cond, ...)                                                                          \
	do {                                                                                       \
		if (unlikely(cond))                                                                \
			bug_fail(__FILE__, __LINE__, #cond, "" __VA_ARGS__);                       \
	} while (0)

/* mkdir -p: path and every missing parent; 0, or -1 with errno (an empty path: ENOENT). */
int mkdir_p(const char *path);

/* Parse an unsigned integer in decimal or 0x hex; the whole string must be consumed. */
int parse_u64(const char *s, uint64_t *out);

/* The folder of a file's path (dirname, "." for none), and REL joined to DIR (REL itself
 * when absolute or DIR is empty or "."); both malloc'ed. */
char *path_dir(const char *path);
char *path_join(const char *dir, const char *rel);

/* Reads the JSON text file PATH whole into *text (NUL-terminated, *len_bytes its length; the
 * caller frees it). A NUL byte in it is an error at its FILE:LINE:COL (json_loads would stop
 * there and ignore the rest), as is an unreadable file ("cannot read WHAT"). 0, or -code. */
int json_text_read(const char *path, const char *what, char **text, size_t *len_bytes,
                   struct err *err);

/* 64-bit mixing (splitmix64 finaliser): a fixed, portable hash for seeds and keys. */
static inline uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

#endif
