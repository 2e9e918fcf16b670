/*
 * test_util_big.c — xcalloc_big / xfree_big (sim/base/util.h): small arrays come from xcalloc;
 * from 2 MiB up the memory is 2 MiB-aligned, zeroed, writable to its last byte, and several
 * such arrays do not overlap.
 */
#include <stdint.h>
#include <string.h>

#include "sim/base/util.h"
#include "test.h"

#define MIB ((size_t)1 << 20)

static uint64_t nonzero(const unsigned char *p, size_t n)
{
	uint64_t c = 0;
	for (size_t i = 0; i < n; i += 4096)
		c += p[i] != 0;
	return c + (p[n - 1] != 0);
}

int main(void)
{
	/* below 2 MiB: ordinary memory, zeroed */
	unsigned char *s = xcalloc_big(1000, 7);
	CHECK_EQ_U64(nonzero(s, 7000), 0);
	memset(s, 0xab, 7000);
	xfree_big(s, 1000, 7);

	/* sizes around and above 2 MiB, not multiples of it */
	static const size_t sizes[] = {2 * MIB, 2 * MIB + 1, 5 * MIB + 12345, 16 * MIB};
	unsigned char *p[4];
	for (size_t i = 0; i < 4; i++) {
		p[i] = xcalloc_big(sizes[i], 1);
		CHECK_EQ_U64((uintptr_t)p[i] % (2 * MIB), 0);
		CHECK_EQ_U64(nonzero(p[i], sizes[i]), 0);
		memset(p[i], (int)(i + 1), sizes[i]);
	}
	/* no overlap: each still holds its own byte at both ends */
	for (size_t i = 0; i < 4; i++) {
		CHECK_EQ_U64(p[i][0], i + 1);
		CHECK_EQ_U64(p[i][sizes[i] - 1], i + 1);
		xfree_big(p[i], sizes[i], 1);
	}
	/* nmemb x size as for an array of structs */
	uint64_t *q = xcalloc_big(3 * MIB / 8, 8);
	CHECK_EQ_U64(q[3 * MIB / 8 - 1], 0);
	xfree_big(q, 3 * MIB / 8, 8);
	TEST_DONE();
}
