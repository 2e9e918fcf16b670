/*
 * mempolicy.c — NUMA memory policies over memory.nodes (Linux's mm/mempolicy.c): which node a
 * new page's frame comes from. A process has a policy (set_mempolicy; inherited by fork, kept
 * by exec), a VMA may have its own (mbind, splitting VMAs at the range's ends); a VMA without
 * one follows the process's. Modes, as Linux's:
 *  - MPOL_DEFAULT / MPOL_LOCAL: the allocating CPU's node (first touch), then the others by
 *    distance (Linux's zonelist fallback);
 *  - MPOL_PREFERRED: the lowest node of the mask, then the others by distance from it;
 *  - MPOL_BIND: only the mask's nodes, nearest the allocating CPU first;
 *  - MPOL_INTERLEAVE: a VMA's page at offset i takes the (i mod weight)-th node of the mask
 *    (interleave_nid); a process's pages take the mask's nodes in turn (il_prev); a full node
 *    falls back to the others by distance.
 * The nodes' free lists are LIFO each, as the one list without memory.nodes.
 *
 * Not modelled: per-node reclaim without vm.tiering (migrate.c; reclaim is then global: a bound allocation that finds its nodes
 * full reclaims until a frame on one of them frees), MPOL_F_* flags, weighted interleave,
 * mbind's MPOL_MF_MOVE (pages already there stay), cpusets.
 */
#include "models/vm/internal.h"
#include "models/vm/vma.h"

void mpol_init(struct vm *vm)
{
	uint32_t n = vm->cfg.nr_nodes;
	uint64_t end = 0;
	for (uint32_t i = 0; i < n; i++) {
		vm->node_end_pfn[i] = end += vm->cfg.node_frames[i];
		vm->node_free_head[i] = PFN_NONE;
	}
	if (!n)
		return;
	/* The one list the frames were put on becomes one list per node, in the same order. */
	for (uint64_t f = vm->cfg.nr_frames; f-- > 0;) {
		uint32_t *head = free_list_of(vm, (pfn_t)f);
		vm->pages[f].next_free = *head;
		*head = (pfn_t)f;
	}
	vm->free_head = PFN_NONE;
}

/* The allocating CPU's node (the first node when none runs the allocation, as kswapd). */
static uint32_t local_node(const struct vm *vm)
{
	return vm->cur_cpu == VM_NO_CPU ? 0 : vm->cfg.cpu_node[vm->cur_cpu & 255];
}

/* The n-th (from 0) set bit of mask. */
static uint32_t nth_node(uint16_t mask, uint32_t n)
{
	for (uint32_t i = 0;; i++)
		if ((mask >> i & 1) && n-- == 0)
			return i;
}

pfn_t mpol_take_from(struct vm *vm, uint32_t node)
{
	pfn_t pfn = vm->node_free_head[node];
	if (pfn == PFN_NONE)
		return PFN_NONE;
	vm->node_free_head[node] = vm->pages[pfn].next_free;
	vm->node_nr_free[node]--;
	uint64_t used = vm->cfg.node_frames[node] - vm->node_nr_free[node];
	if (used > vm->node_used_max[node])
		vm->node_used_max[node] = used;
	return pfn;
}

pfn_t mpol_take_frame(struct vm *vm)
{
	struct mempolicy pol = {MPOL_DEFAULT, 0};
	const struct vm_area_struct *vma = vm->alloc_vma;
	if (vma && vma->vm_policy.mode != MPOL_DEFAULT)
		pol = vma->vm_policy;
	else if (vm->alloc_mm)
		pol = vm->alloc_mm->mempolicy;
	uint32_t first = local_node(vm);
	uint16_t allowed = (uint16_t)((1u << vm->cfg.nr_nodes) - 1);
	if (pol.mode == MPOL_PREFERRED) {
		first = nth_node(pol.nodes, 0);
	} else if (pol.mode == MPOL_BIND) {
		allowed = pol.nodes;
	} else if (pol.mode == MPOL_INTERLEAVE) {
		uint32_t weight = (uint32_t)__builtin_popcount(pol.nodes), turn;
		if (vma && vma->vm_policy.mode == MPOL_INTERLEAVE)
			turn = (uint32_t)(((vm->alloc_addr - vma->vm_start) >> PTE_SHIFT) +
			                  vma->vm_pgoff);
		else
			turn = vm->alloc_mm->il_next++;
		first = nth_node(pol.nodes, turn % weight);
	}
	vm->alloc_node = UINT32_MAX;
	for (uint32_t k = 0; k < vm->cfg.nr_nodes; k++) {
		uint32_t node = vm->cfg.node_order[first][k];
		if (!(allowed >> node & 1))
			continue;
		if (vm->alloc_node == UINT32_MAX)
			vm->alloc_node = node; /* direct reclaim's node (vm.tiering) */
		pfn_t pfn = mpol_take_from(vm, node);
		if (pfn != PFN_NONE)
			return pfn;
	}
	return PFN_NONE;
}

/* A policy as a system call passes it: a known mode, a mask of existing nodes (empty for
 * default and local, not empty for the others). */
static bool mpol_valid(const struct vm *vm, struct mempolicy pol)
{
	if (!vm->cfg.nr_nodes || pol.mode >= MPOL_NR_MODES ||
	    (pol.nodes >> vm->cfg.nr_nodes) != 0)
		return false;
	bool empty = pol.nodes == 0;
	return pol.mode == MPOL_DEFAULT || pol.mode == MPOL_LOCAL ? empty : !empty;
}

int vm_set_mempolicy(struct vm *vm, struct mm_struct *mm, unsigned mode, uint64_t nodes)
{
	struct mempolicy pol = {(uint8_t)mode, (uint16_t)nodes};
	if (mode >= MPOL_NR_MODES || nodes > UINT16_MAX || !mpol_valid(vm, pol))
		return -1;
	mm->mempolicy = pol;
	mm->il_next = 0;
	return 0;
}

int vm_mbind(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned mode,
             uint64_t nodes)
{
	struct mempolicy pol = {(uint8_t)mode, (uint16_t)nodes};
	if (mode >= MPOL_NR_MODES || nodes > UINT16_MAX || !mpol_valid(vm, pol) || !len ||
	    vm_check_range(vm, addr, len) || !mm_range_mapped(mm, addr, addr + len))
		return -1;
	mm_split_vma_at(mm, addr);
	mm_split_vma_at(mm, addr + len);
	for (uint32_t i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].vm_start >= addr && mm->vmas[i].vm_end <= addr + len)
			mm->vmas[i].vm_policy = pol;
	return 0;
}
