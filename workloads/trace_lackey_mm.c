/*
 * trace_lackey_mm.c — the lackey importer's memory-management system calls beyond mmap and
 * the range calls (trace_lackey_syscall.c): brk, the mlock family, shmem objects (memfd,
 * /dev/shm, SysV shm) and rt_sigaction of SIGSEGV / SIGBUS, each written as vmt has it
 * (docs/traces.md, "Recording a program"), with the kernel's result where vmt takes one.
 *
 * Simplified: a memfd is named memfd.PID.FD and unlinked at its creator's close of that fd
 * (dup and fds passed over sockets are not followed); a SysV segment is named sysv.ID by the
 * id shmget returned; rt_sigaction's new handler is not in valgrind's trace (only the
 * pointer to the struct), so every new action for SIGSEGV or SIGBUS is taken as a handler —
 * right for every program that survives a fault, since SIG_DFL would have killed it.
 */
#include "workloads/trace_lackey.h"

#include <stdio.h>
#include <string.h>

/* brk(ADDR) with its result (the new break, or the old one when it failed): `brk ADDR =
 * RESULT`. Growth first unmaps the synthesised mappings (trace_lackey_ops.c) it would run
 * into, and the page above it (Linux keeps one page between the heap and the next VMA);
 * shrinkage forgets the pages it gives back. */
void sys_brk(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0}, res = 0;
	if (sys_args(line, a, 1, -1, NULL, 0) != 1 || !sys_result(line, &res) ||
	    a[0] >= TRACE_VA_LIMIT || res >= TRACE_VA_LIMIT - r->page_size)
		return;
	uint64_t brk = page_up(r, res);
	if (!p->brk_start) {
		p->brk_start = p->brk_cur = brk;
	} else if (brk > p->brk_cur) {
		map_remove(p, p->brk_cur, brk + r->page_size, 1);
		map_insert(p, p->brk_cur, brk);
		p->brk_cur = brk;
	} else if (brk < p->brk_cur && brk >= p->brk_start) {
		map_remove(p, brk, p->brk_cur, 0);
		p->brk_cur = brk;
	}
	struct op *op = out_push(p, OP_BRK);
	op->addr = a[0];
	op->flags = OPRES_ADDR;
	op->offset = res;
}

/* [start, end) of a call on [addr, +len): whole pages, as the kernel rounds them. */
static int page_range(struct lackey_reader *r, uint64_t addr, uint64_t len, uint64_t *start,
                      uint64_t *end)
{
	*start = addr & ~(r->page_size - 1);
	if (addr >= TRACE_VA_LIMIT || len > TRACE_VA_LIMIT - addr)
		return -1;
	*end = page_up(r, addr + len);
	return *end > *start ? 0 : -1;
}

void sys_mlock(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr)
{
	uint64_t a[6] = {0}, res = 0, start, end;
	int n = sys_args(line, a, 3, -1, NULL, 0);
	if (!sys_result(line, &res))
		return;
	struct op op = {0};
	if (nr == 149 || nr == 150 || nr == 325) {
		if (n < 2 || page_range(r, a[0], a[1], &start, &end))
			return;
		map_ensure(p, start, end);
		op.arg = nr == 150 ? MLOCK_CALL_MUNLOCK : MLOCK_CALL_MLOCK;
		op.addr = start;
		op.len = end - start;
		op.flags = nr == 325 && n == 3 && (a[2] & 1) ? MLOCKF_ONFAULT : 0;
	} else if (nr == 151) {
		if (n < 1 || !(a[0] & (MCLF_CURRENT | MCLF_FUTURE)))
			return; /* (onfault alone is EINVAL: it did not succeed) */
		op.arg = MLOCK_CALL_MLOCKALL;
		op.flags = (uint8_t)(a[0] & (MCLF_CURRENT | MCLF_FUTURE | MCLF_ONFAULT));
	} else {
		op.arg = MLOCK_CALL_MUNLOCKALL;
	}
	struct op *q = out_push(p, OP_MLOCK);
	q->arg = op.arg;
	q->addr = op.addr;
	q->len = op.len;
	q->flags = op.flags;
}

struct lk_shm *shm_find(struct lackey_reader *r, const char *name)
{
	for (uint32_t i = 0; i < r->nr_shms; i++)
		if (strcmp(r->shms[i].name, name) == 0)
			return &r->shms[i];
	return NULL;
}

void shm_object(struct lackey_reader *r, struct lk_proc *p, const char *name, uint64_t size_bytes,
                int resize)
{
	struct lk_shm *s = shm_find(r, name);
	if (s && s->live && !resize)
		return;
	if (!s) {
		GROW(r->shms, r->nr_shms, r->cap_shms);
		s = &r->shms[r->nr_shms++];
		*s = (struct lk_shm){.name = xstrdup(name)};
	}
	s->live = 1;
	s->size_bytes = size_bytes;
	struct op *op = out_push(p, OP_SHM);
	op->arg = SHM_TRUNCATE;
	op->len = size_bytes;
	out_set_name(p, op, name);
}

void shm_unlink_name(struct lackey_reader *r, struct lk_proc *p, const char *name)
{
	struct lk_shm *s = shm_find(r, name);
	if (!s || !s->live)
		return;
	s->live = 0;
	struct op *op = out_push(p, OP_SHM);
	op->arg = SHM_UNLINK;
	out_set_name(p, op, name);
}

/* An OP_SHM mapping (SHM_MAP or SHM_ATTACH) of name at [at, +len). */
static void shm_push_map(struct lk_proc *p, uint64_t kind, uint64_t at, uint64_t len, unsigned prot,
                         unsigned flags, const char *name, uint64_t offset)
{
	map_remove(p, at, at + len, 1);
	struct op *op = out_push(p, OP_SHM);
	op->arg = kind;
	op->addr = at;
	op->len = len;
	op->prot = (uint8_t)(prot & 7);
	op->flags = (uint8_t)flags;
	op->offset = offset;
	out_set_name(p, op, name);
	map_insert(p, at, at + len);
}

void shm_map(struct lackey_reader *r, struct lk_proc *p, uint64_t at, uint64_t len, unsigned prot,
             unsigned mf, const char *name, uint64_t offset)
{
	(void)r;
	shm_push_map(p, SHM_MAP, at, len, prot,
	             ((mf & 0x01) ? MAPF_SHARED : 0) | ((mf & 0x8000) ? MAPF_POPULATE : 0), name,
	             offset);
}

void sys_memfd_create(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t fd;
	if (!sys_result(line, &fd) || fd > INT32_MAX)
		return;
	char name[64];
	snprintf(name, sizeof(name), "memfd.%u.%d", p->pid, (int)fd);
	struct lk_fd *f = fd_set_name(p, (int)fd, name);
	f->shm = 1;
	shm_object(r, p, name, 0, 1);
}

/* shmget(key, size, flags) -> id: the segment sysv.ID, created (`shmem`) when not live;
 * shmat(id, addr, flags) -> address: `mmap ... sysv:sysv.ID:0x0 shared` (SHM_RDONLY 0x1000:
 * r, SHM_EXEC 0x8000: x); shmdt(addr): a munmap of the segment attached there; shmctl(id,
 * IPC_RMID): `unlink`. */
void sys_sysv_shm(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr)
{
	uint64_t a[6] = {0}, res = 0;
	int n = sys_args(line, a, 3, -1, NULL, 0);
	if (!sys_result(line, &res) || n < 1)
		return;
	char name[64];
	snprintf(name, sizeof(name), "sysv.%llu",
	         (unsigned long long)(nr == 67   ? 0
	                              : nr == 29 ? res
	                                         : a[0]));
	struct lk_shm *s = shm_find(r, name);
	if (nr == 29 && n >= 2) {
		shm_object(r, p, name, page_up(r, a[1]), 0);
	} else if (nr == 30 && n == 3 && s && s->size_bytes && res < TRACE_VA_LIMIT &&
	           s->size_bytes <= TRACE_VA_LIMIT - res) {
		unsigned prot = (a[2] & 0x1000) ? PROT_R : PROT_R | PROT_W;
		shm_push_map(p, SHM_ATTACH, res, s->size_bytes,
		             prot | ((a[2] & 0x8000) ? PROT_X : 0), MAPF_SHARED, name, 0);
	} else if (nr == 67) {
		uint64_t len = map_len_at(p, a[0]);
		if (len)
			map_remove(p, a[0], a[0] + len, 1);
	} else if (nr == 31 && n >= 2 && (a[1] & 0xff) == 0 /* IPC_RMID */) {
		shm_unlink_name(r, p, name);
	}
}

void sys_sigaction(struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0}, res = 0;
	if (sys_args(line, a, 2, -1, NULL, 0) != 2 || !sys_result(line, &res) || !a[1] ||
	    (a[0] != OPSIG_SEGV && a[0] != OPSIG_BUS))
		return;
	out_push(p, OP_SIGACTION)->arg = a[0];
}
