/*
 * shmem.c — probes of shared memory (shmem objects): MAP_SHARED|MAP_ANONYMOUS across fork,
 * memfd_create, POSIX shm_open and SysV shmget/shmat shared by name between processes, and
 * MADV_REMOVE / MADV_DONTNEED on shmem. 4096 pages (16 MiB) each; shmem THP is off.
 */
#include "probe.h"

#include <sys/ipc.h>
#include <sys/shm.h>

#define N 4096UL
#define LEN (N * PAGE)

static char *r;
static int fd;

/* Shared mappings at 2 MiB-aligned addresses (see map_aligned_fd). */
static char *map_shared(int sfd)
{
	return map_aligned_fd(LEN, 2 * MiB, PROT_READ | PROT_WRITE,
	                      MAP_SHARED | (sfd < 0 ? MAP_ANONYMOUS : 0), sfd);
}
static char name[64];

static void shared_anon_child(void *arg)
{
	(void)arg;
	long ok;
	PHASE("child_read_half", ok = touch_r(r, N / 2, 1));
	rec("child_read_half", "data_ok", ok);
	PHASE("child_write_all", touch_w(r, N, 2));
}

/* Issue 15, bug 1: the parent writes the first half, forks; the child reads the first half,
 * writes all; the parent then reads and writes all. */
static void s_shared_anon_fork(void)
{
	r = map_shared(-1);
	PHASE("parent_write_half", touch_w(r, N / 2, 1));
	run_child(shared_anon_child, NULL);
	long ok;
	PHASE("parent_read_all", ok = touch_r(r, N, 2));
	rec("parent_read_all", "data_ok", ok);
	PHASE("parent_write_all", touch_w(r, N, 3));
	rec_region("parent_write_all", r, N, R_FILE);
}

/* The child's phases on its own mapping q of the object. */
static void child_read_write(char *q)
{
	long ok;
	PHASE("child_read", ok = touch_r(q, N, 1));
	rec("child_read", "data_ok", ok);
	PHASE("child_write", touch_w(q, N, 2));
}

/* The parent reads back what the child wrote. */
static void parent_read(void)
{
	long ok;
	PHASE("parent_read", ok = touch_r(r, N, 2));
	rec("parent_read", "data_ok", ok);
}

/* A second mapping of the object: fault-around maps 16 cached shmem pages per read fault. */
static void second_mapping_child(void *arg)
{
	(void)arg;
	child_read_write(map_shared(fd));
}

static void s_memfd(void)
{
	fd = (int)syscall(SYS_memfd_create, "vmsim-probe", 0);
	if (fd < 0 || ftruncate(fd, (off_t)LEN))
		die("memfd_create");
	r = map_shared(fd);
	PHASE("write", touch_w(r, N, 1));
	rec("write", "cached", cached_pages(fd, LEN, NULL));
	run_child(second_mapping_child, NULL); /* the child maps the inherited fd itself */
	parent_read();
}

static void posix_shm_child(void *arg)
{
	(void)arg;
	int cfd = shm_open(name, O_RDWR, 0);
	if (cfd < 0)
		die("shm_open in the child");
	child_read_write(map_shared(cfd));
}

static void s_posix_shm(void)
{
	snprintf(name, sizeof(name), "/vmsim-probe-%d", (int)getpid());
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)LEN))
		die("shm_open");
	r = map_shared(fd);
	PHASE("write", touch_w(r, N, 1));
	run_child(posix_shm_child, NULL); /* opens the object by name */
	parent_read();
	shm_unlink(name);
}

static key_t key;
static char *shm_at; /* a 2 MiB-aligned address for shmat */

/* SysV shm: shmat's VMA (shm_vm_ops) has no map_pages: no fault-around. */
static void sysv_child(void *arg)
{
	(void)arg;
	int id = shmget(key, LEN, 0);
	char *q = id < 0 ? (char *)-1 : shmat(id, shm_at, SHM_REMAP);
	if (q == (char *)-1)
		die("shmget/shmat in the child");
	child_read_write(q);
}

static void s_sysv_shm(void)
{
	key = (key_t)(0x766d0000 + (getpid() & 0xffff));
	int id = shmget(key, LEN, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0)
		die("shmget");
	shm_at = map_aligned(LEN, 2 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	r = shmat(id, shm_at, SHM_REMAP);
	if (r == (char *)-1)
		die("shmat");
	PHASE("write", touch_w(r, N, 1));
	run_child(sysv_child, NULL); /* attaches by key at the same address */
	shmctl(id, IPC_RMID, NULL);  /* destroyed when the last process detaches */
	parent_read();
}

/* MADV_REMOVE punches a hole in the object: its pages are freed, a read allocates new zeroed
 * pages (shmem has no zero page: one fault each, nothing cached around). */
static void s_shmem_remove(void)
{
	r = map_shared(-1);
	touch_w(r, N, 1);
	long e;
	PHASE("remove", e = p_madvise(r, LEN, MADV_REMOVE));
	rec("remove", "result", e);
	rec_region("remove", r, N, R_MAPPED);
	long z;
	PHASE("read", z = count_zero(r, N));
	rec("read", "zero_data", z);
	rec_region("read", r, N, R_FILE);
}

/* MADV_DONTNEED on shmem zaps the PTEs only: the pages stay in the object. */
static void s_shmem_dontneed(void)
{
	r = map_shared(-1);
	touch_w(r, N, 1);
	PHASE("dontneed", p_madvise(r, LEN, MADV_DONTNEED));
	rec_region("dontneed", r, N, R_MAPPED);
	long ok;
	PHASE("read", ok = touch_r(r, N, 1));
	rec("read", "data_ok", ok);
}

static const struct scenario scenarios[] = {
    {"shared_anon_fork", s_shared_anon_fork,
     "MAP_SHARED|MAP_ANONYMOUS: parent writes half, fork, child reads half, writes all"},
    {"memfd", s_memfd, "memfd_create: write, a child maps the fd and reads, writes"},
    {"posix_shm", s_posix_shm, "shm_open: write, a child opens it by name, reads, writes"},
    {"sysv_shm", s_sysv_shm, "shmget/shmat: write, a child attaches by key, reads, writes"},
    {"shmem_remove", s_shmem_remove, "MADV_REMOVE on shared anonymous memory, read"},
    {"shmem_dontneed", s_shmem_dontneed, "MADV_DONTNEED on shared anonymous memory, read"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
