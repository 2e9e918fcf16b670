/*
 * bench_baseline.c — the floor of any trace simulator (issue 8): read a `pages` trace with the
 * same reader vmsim uses (workloads/linereader.h + pages_parse_line) and do one open-addressing
 * hash-table probe per access (insert the page if absent). scripts/bench divides vmsim's
 * speed by this program's speed, measured in the same run on the same file.
 *
 * Usage: bench_baseline FILE.pages
 * Prints: "accesses N distinct D seconds S rate R" (R in accesses per second, wall clock of the
 * read+probe loop only). The table (linear probing, Fibonacci hashing, power-of-two size,
 * doubled at load 1/2) stores page + 1 so that 0 means empty. It grows with the distinct pages,
 * not the trace length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/util.h"
#include "workloads/linereader.h"
#include "workloads/trace_pages.h"

struct table {
	uint64_t *slot;
	uint64_t mask;  /* size - 1 */
	unsigned shift; /* 64 - log2(size) */
	uint64_t used;
};

static inline uint64_t hash_of(uint64_t key, unsigned shift)
{
	return (key * 0x9e3779b97f4a7c15ull) >> shift;
}

static void table_init(struct table *t, unsigned log2_size)
{
	t->slot = xcalloc((size_t)1 << log2_size, sizeof(*t->slot));
	t->mask = (1ull << log2_size) - 1;
	t->shift = 64 - log2_size;
	t->used = 0;
}

/* Probe for key (page + 1); insert it if absent. Returns 1 if it was present. */
static inline int table_probe(struct table *t, uint64_t key)
{
	uint64_t i = hash_of(key, t->shift);
	for (;;) {
		uint64_t v = t->slot[i];
		if (v == key)
			return 1;
		if (!v) {
			t->slot[i] = key;
			t->used++;
			return 0;
		}
		i = (i + 1) & t->mask;
	}
}

static void table_grow(struct table *t)
{
	struct table n;
	unsigned log2_size = 64 - t->shift + 1;
	table_init(&n, log2_size);
	for (uint64_t i = 0; i <= t->mask; i++)
		if (t->slot[i])
			table_probe(&n, t->slot[i]);
	free(t->slot);
	*t = n;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.pages\n", argv[0]);
		return 2;
	}
	struct err err = {0};
	struct linereader lr;
	if (linereader_open(&lr, argv[1], &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct table t;
	table_init(&t, 16);
	uint64_t accesses = 0, hits = 0;
	double t0 = host_monotonic_s();
	char *line;
	int too_long = 0;
	while ((line = linereader_next(&lr, &too_long))) {
		uint64_t page;
		int is_write, rc = pages_parse_line(line, &page, &is_write);
		if (rc == 0)
			continue;
		if (rc < 0) {
			fprintf(stderr, "%s:%llu: not a page number\n", argv[1],
			        (unsigned long long)lr.line_no);
			return 1;
		}
		accesses++;
		hits += table_probe(&t, page + 1);
		if (unlikely(t.used * 2 > t.mask))
			table_grow(&t);
	}
	double secs = host_monotonic_s() - t0;
	if (too_long) {
		fprintf(stderr, "%s: line too long\n", argv[1]);
		return 1;
	}
	linereader_close(&lr);
	printf("accesses %llu distinct %llu seconds %.6f rate %.0f\n", (unsigned long long)accesses,
	       (unsigned long long)t.used, secs, secs > 0 ? (double)accesses / secs : 0.0);
	free(t.slot);
	return hits > accesses; /* never: keeps the probes observable */
}
