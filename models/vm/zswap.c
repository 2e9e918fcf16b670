/*
 * zswap.c — a compressed cache in front of the swap device (Linux's mm/zswap.c): a dirty
 * anonymous page going out to its swap slot is compressed into the pool (zsmalloc.c) instead
 * of being written, unless it compresses to a page or more (rejected, written to the device)
 * or the pool is full. The pool is full from the store that finds it at max_pool_percent of
 * memory.frames (zswap.pool_limit_hit) until it is back below accept_threshold_percent of
 * that maximum (zswap_check_limits); a full pool rejects stores and writes back its oldest
 * entries (the LRU) to the device until it is below the accept threshold (the shrink
 * worker). A swap-in from zswap decompresses the page, frees the entry (exclusive loads) and
 * leaves the page dirty in the swap cache. Same-filled pages are kept without pool space (as
 * zswap did up to Linux 6.12).
 *
 * Not modelled: the memcg-aware shrinker that writes entries back under memory pressure before
 * the pool fills, the second chance of referenced entries, per-memcg zswap.max; the shrink
 * worker's writes are made by the reclaimer that hit the limit (Linux runs them on a
 * workqueue), its decompressions cost no task.
 */
#include "models/vm/internal.h"

#include <stdlib.h>

/* The entry of slot goes: its pool bytes, its place on the LRU (lazily). */
static void zswap_entry_free(struct vm *vm, uint32_t slot)
{
	struct zcomp_state *zc = vm->zc;
	if (zc->kind[slot] == ZC_POOL)
		zc->pool.bytes -= zc->bytes[slot];
	zc->kind[slot] = ZC_NONE;
	zc->bytes[slot] = 0;
	zc->lru_seq[slot] = 0;
	zc->stored_pages--;
}

static void zswap_lru_add(struct zcomp_state *zc, uint32_t slot)
{
	if (zc->lru_tail - zc->lru_head == zc->lru_cap) {
		uint64_t cap = zc->lru_cap ? 2 * zc->lru_cap : 1024;
		uint64_t *ring = xcalloc(cap, sizeof(*ring));
		for (uint64_t i = zc->lru_head; i < zc->lru_tail; i++)
			ring[i - zc->lru_head] = zc->lru[i % zc->lru_cap];
		free(zc->lru);
		zc->lru = ring;
		zc->lru_tail -= zc->lru_head;
		zc->lru_head = 0;
		zc->lru_cap = cap;
	}
	uint32_t seq = (uint32_t)++zc->next_seq;
	zc->lru_seq[slot] = seq;
	zc->lru[zc->lru_tail++ % zc->lru_cap] = ((uint64_t)seq << 32) | slot;
}

/* The oldest live entry of the LRU goes to the swap device; false when there is none. */
static bool zswap_writeback_one(struct vm *vm, struct fault_work *w)
{
	struct zcomp_state *zc = vm->zc;
	while (zc->lru_head < zc->lru_tail) {
		uint64_t e = zc->lru[zc->lru_head++ % zc->lru_cap];
		uint32_t slot = (uint32_t)e, seq = (uint32_t)(e >> 32);
		if (zc->lru_seq[slot] != seq || zc->kind[slot] == ZC_NONE)
			continue;
		zcomp_decompress_cost(vm, NULL);
		vm_add_io(w, IO_DEV_SWAP, true, (uint64_t)slot * vm->cfg.page_size,
		          vm->cfg.page_size);
		zswap_entry_free(vm, slot);
		zc->writebacks++;
		return true;
	}
	return false;
}

/* zswap_check_limits: may the pool take a store? */
static bool zswap_check_limits(struct vm *vm, struct fault_work *w)
{
	struct zcomp_state *zc = vm->zc;
	uint64_t max = vm->cfg.nr_frames * vm->cfg.zswap.max_pool_percent / 100;
	uint64_t accept = max * vm->cfg.zswap.accept_threshold_percent / 100;
	uint64_t cur = (zc->pool.bytes + vm->cfg.page_size - 1) / vm->cfg.page_size;
	if (cur >= max) {
		zc->pool_limit_hit++;
		zc->pool_full = true;
		/* the shrink worker: back below the accept threshold */
		while ((zc->pool.bytes + vm->cfg.page_size - 1) / vm->cfg.page_size > accept &&
		       zswap_writeback_one(vm, w))
			;
		zpool_balance(vm);
	} else if (zc->pool_full && cur <= accept) {
		zc->pool_full = false;
	}
	return !zc->pool_full;
}

bool zswap_store(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	struct zcomp_state *zc = vm->zc;
	if (!zswap_check_limits(vm, w)) {
		zc->rejected++;
		return false;
	}
	const struct page *pg = &vm->pages[pfn];
	uint32_t bytes = 0;
	zcomp_compress_cost(vm, w);
	enum zcomp_kind k = zcomp_page(vm, pg->key, pg->zclass, (uint32_t)vm->cfg.page_size, &bytes);
	if (k == ZC_HUGE) {
		zc->rejected++; /* reject_compress_poor */
		return false;
	}
	zc->kind[slot] = (uint8_t)k;
	zc->stores++;
	zc->stored_pages++;
	if (k == ZC_SAME) {
		zc->same_filled++;
		return true;
	}
	zc->bytes[slot] = (uint16_t)bytes;
	zc->pool.bytes += bytes;
	zswap_lru_add(zc, slot);
	return true;
}

bool zswap_load(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	struct zcomp_state *zc = vm->zc;
	if (zc->kind[slot] == ZC_NONE)
		return false;
	if (zc->kind[slot] == ZC_POOL)
		zcomp_decompress_cost(vm, w);
	zswap_entry_free(vm, slot);
	zc->loads++;
	vm->pages[pfn].flags |= PG_DIRTY; /* the only copy is this page now */
	zpool_balance(vm);
	return true;
}

void zswap_invalidate(struct vm *vm, uint32_t slot)
{
	if (vm->zc->kind[slot] == ZC_NONE)
		return;
	zswap_entry_free(vm, slot);
	zpool_balance(vm);
}
