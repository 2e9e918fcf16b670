/*
 * vma.c — the VMA list of an address space: a sorted array searched by binary search, with the
 * splitting that munmap, mmap over an existing range and mprotect need (Linux's
 * __split_vma / vma_merge, without merging: adjacent VMAs with equal flags stay apart, which
 * changes no fault count).
 */
#include "models/vm/vma.h"

#include <string.h>

struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr)
{
	if (mm->last_vma < mm->nr_vmas) {
		struct vm_area_struct *v = &mm->vmas[mm->last_vma];
		if (addr >= v->vm_start && addr < v->vm_end)
			return v;
	}
	uint32_t lo = 0, hi = mm->nr_vmas;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		struct vm_area_struct *v = &mm->vmas[mid];
		if (addr < v->vm_start)
			hi = mid;
		else if (addr >= v->vm_end)
			lo = mid + 1;
		else {
			mm->last_vma = mid;
			return v;
		}
	}
	return NULL;
}

static uint32_t first_ending_after(const struct mm_struct *mm, uint64_t addr)
{
	uint32_t lo = 0, hi = mm->nr_vmas;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (mm->vmas[mid].vm_end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vm_area_struct *find_vma_above(struct mm_struct *mm, uint64_t addr)
{
	uint32_t i = first_ending_after(mm, addr);
	return i < mm->nr_vmas ? &mm->vmas[i] : NULL;
}

static void insert_at(struct mm_struct *mm, uint32_t i, struct vm_area_struct v)
{
	if (mm->nr_vmas == mm->cap_vmas) {
		mm->cap_vmas = mm->cap_vmas ? mm->cap_vmas * 2 : 8;
		mm->vmas = xrealloc(mm->vmas, sizeof(*mm->vmas) * mm->cap_vmas);
	}
	memmove(&mm->vmas[i + 1], &mm->vmas[i], sizeof(*mm->vmas) * (mm->nr_vmas - i));
	mm->vmas[i] = v;
	mm->nr_vmas++;
	mm->last_vma = UINT32_MAX;
}

void mm_split_vma_at(struct mm_struct *mm, uint64_t addr)
{
	uint32_t i = first_ending_after(mm, addr);
	if (i >= mm->nr_vmas)
		return;
	struct vm_area_struct *v = &mm->vmas[i];
	if (addr <= v->vm_start)
		return;
	struct vm_area_struct tail = *v;
	v->vm_end = addr;
	tail.vm_start = addr;
	if (tail.vm_file)
		tail.vm_pgoff += (addr - v->vm_start) >> PTE_SHIFT;
	insert_at(mm, i + 1, tail);
}

void mm_remove_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	mm_split_vma_at(mm, start);
	mm_split_vma_at(mm, end);
	uint32_t i = first_ending_after(mm, start), j = i;
	while (j < mm->nr_vmas && mm->vmas[j].vm_start < end)
		j++;
	if (j > i) {
		memmove(&mm->vmas[i], &mm->vmas[j], sizeof(*mm->vmas) * (mm->nr_vmas - j));
		mm->nr_vmas -= j - i;
	}
	mm->last_vma = UINT32_MAX;
}

void mm_insert_vma(struct mm_struct *mm, struct vm_area_struct v)
{
	uint32_t i = first_ending_after(mm, v.vm_start);
	BUG_ON(i < mm->nr_vmas && mm->vmas[i].vm_start < v.vm_end, "overlapping VMA insert");
	insert_at(mm, i, v);
}

void mm_set_flags_range(struct mm_struct *mm, uint64_t start, uint64_t end, uint32_t mask,
                        uint32_t flags)
{
	mm_split_vma_at(mm, start);
	mm_split_vma_at(mm, end);
	for (uint32_t i = first_ending_after(mm, start);
	     i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++)
		mm->vmas[i].vm_flags = (mm->vmas[i].vm_flags & ~mask) | (flags & mask);
}

bool mm_range_mapped(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	uint64_t at = start;
	for (uint32_t i = first_ending_after(mm, start); i < mm->nr_vmas && at < end; i++) {
		if (mm->vmas[i].vm_start > at)
			return false;
		at = mm->vmas[i].vm_end;
	}
	return at >= end;
}
