/*
 * trace_lackey.h — what the files of the lackey importer share (trace_lackey.c: the reader, its
 * log segments and processes, the access lines; trace_lackey_ops.c: each process's queue of
 * operations and its set of known mappings; trace_lackey_syscall.c: the syscall lines). Not for
 * other modules: the importer is trace_format_lackey (trace_format.h).
 */
#ifndef VMSIM_WORKLOADS_TRACE_LACKEY_H
#define VMSIM_WORKLOADS_TRACE_LACKEY_H

#include <stdint.h>

#include "workloads/linereader.h"
#include "workloads/trace_format.h"

#define LACKEY_AREA_BYTES (1ull << 30)
#define LACKEY_CHUNK 4096
#define LACKEY_NAME_MAX 1000
/* Valgrind numbers its threads 1 .. --max-threads (500 by default); a larger id is an error. */
#define LACKEY_MAX_VTID 65535u

struct lk_range {
	uint64_t start, end;
};

struct lk_fd {
	int fd;
	char *name;
	uint64_t pos; /* the file position (read/write/lseek follow it) */
	int rw;       /* a regular file: its read/write/fsync calls are recorded */
	int shm;      /* a shmem object (memfd, /dev/shm): name is the object's vmt name */
};

/* A shmem object the recording created (memfd, /dev/shm, SysV: `shmem NAME SIZE`). */
struct lk_shm {
	char *name;
	uint64_t size_bytes;
	int live; /* not unlinked (shm_unlink, IPC_RMID, a memfd's close) since */
};

/* A call of a thread in progress (valgrind's async calls finish on a later line). */
struct lk_pending_rw {
	char *line; /* its first line (owned), NULL: none */
};

struct lk_seg {
	char *path;
	uint32_t pid, parent_pid;
	unsigned seq;   /* the %n of the file name */
	int has_footer; /* "Exit code" seen: the last part of its process */
	int used;
};

struct lk_proc {
	uint32_t pid;
	struct lk_seg **segs; /* this process's logs in order */
	uint32_t nr_segs, seg_i;
	struct linereader lr;
	int lr_open;
	struct lk_range *maps; /* sorted, disjoint */
	uint32_t nr_maps, cap_maps, last_map;
	struct lk_fd *fds;
	uint32_t nr_fds, cap_fds;
	uint32_t *children;
	uint32_t nr_children, cap_children;
	uint64_t brk_start, brk_cur; /* 0: unknown */
	char *pending_open;          /* an async open/openat waiting for its fd */
	uint64_t pending_open_flags; /* its O_* flags */
	char *pending_exec;          /* execve seen; the exec happens when this log ends */
	int exited;                  /* exit emitted for every task: the process is done */
	int leader_exited;           /* the thread-group leader (pid) has exited */
	int roi_off;                 /* outside the region of interest: accesses are dropped */
	uint32_t cur_task;           /* the task running now (SCHED lines), 0: the leader */
	uint32_t *vtid_task;         /* valgrind's thread id -> task id (0: unknown, the leader) */
	struct lk_pending_rw *vtid_rw; /* per valgrind thread id: its read/write in progress */
	uint32_t nr_vtids;
	uint32_t *threads; /* live threads besides the leader, by task id */
	uint32_t nr_threads, cap_threads;
	uint32_t *clones; /* threads created whose first SCHED line has not come yet */
	uint32_t nr_clones, cap_clones;
	struct op *out; /* ops made from the current line */
	uint32_t out_head, out_len, out_cap;
	char **out_names; /* names owned by queued ops (freed as they go) */
	char *name_last;  /* the name of the op last returned (kept until the next read) */
};

struct lk_size {
	char *name;
	uint64_t size_bytes;
	uint32_t *tasks; /* the tasks a `file` line was queued for (read/write declare it once
	                    per task) */
	uint32_t nr_tasks, cap_tasks;
};

struct lackey_reader {
	char *path;
	uint64_t page_size;
	struct lk_seg *segs;
	uint32_t nr_segs;
	struct lk_proc **active; /* processes with operations still to give */
	uint32_t nr_active, cap_active, cur, chunk_left;
	struct lk_proc *where_proc; /* of the op last returned */
	uint64_t where_line;
	char *where_path;
	struct lk_size *sizes; /* file sizes, first declaration wins */
	uint32_t nr_sizes, cap_sizes;
	struct lk_shm *shms; /* shmem objects by name */
	uint32_t nr_shms, cap_shms;
	struct lk_proc **dead; /* finished processes, freed at close */
	uint32_t nr_dead, cap_dead;
	uint64_t nr_accesses;  /* accesses returned: none at the end is an error */
	uint64_t max_accesses; /* stop after this many accesses (0: no limit) */
	int no_ifetch;         /* instruction fetches are left out */
};

#define GROW(arr, nr, cap)                                                                         \
	do {                                                                                       \
		if ((nr) == (cap)) {                                                               \
			(cap) = (cap) ? (cap)*2 : 8;                                               \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                           \
		}                                                                                  \
	} while (0)

/* ---- trace_lackey_ops.c ---- */
/* A new operation of kind for p, at the back of its queue (valid until the next push). */
struct op *out_push(struct lk_proc *p, uint8_t kind);
/* op (queued for p) names name (a copy, owned by the queue). */
void out_set_name(struct lk_proc *p, struct op *op, const char *name);
/* Add [start, end) to p's mappings (it must overlap none). */
void map_insert(struct lk_proc *p, uint64_t start, uint64_t end);
/* Remove [start, end) from the set, emitting a munmap per removed piece if emit. Returns
 * whether anything overlapped. */
int map_remove(struct lk_proc *p, uint64_t start, uint64_t end, int emit);
/* Make sure [start, end) is mapped, synthesising anonymous rwx mappings for the gaps. */
void map_ensure(struct lk_proc *p, uint64_t start, uint64_t end);

/* p's fd names path (a copy), replacing what it named; returns its entry (position 0). */
struct lk_fd *fd_set_name(struct lk_proc *p, int fd, const char *name);
/* The path p's fd names, NULL when none (not opened, or closed). */
const char *fd_name(struct lk_proc *p, int fd);
/* p's entry of fd, NULL when none. */
struct lk_fd *fd_find(struct lk_proc *p, int fd);
void fd_close(struct lk_proc *p, int fd);

/* ---- threads (trace_lackey_ops.c) ---- */
/* The task that valgrind's thread vtid of p is (p's pid when not known). */
uint32_t lk_task_of(const struct lk_proc *p, uint32_t vtid);
/* A "SCHED[V]: acquired lock" line: thread V runs from here on (a new thread's first line:
 * the thread foreseen for V at its clone, else the one created first among those waiting). */
void lk_sched_acquired(struct lk_proc *p, uint32_t vtid, int new_thread);
/* A clone of thread tid in p (queued as `thread TID` by the current task); its valgrind
 * thread id is foreseen as valgrind picks it (the lowest free one). */
void lk_thread_created(struct lk_proc *p, uint32_t tid);
/* The exit of task (a thread or the leader): queued, and the process ends with its last. */
void lk_task_exit(struct lk_proc *p, uint32_t task);
/* exit_group, or the end of the logs: every live task of p exits. */
void lk_proc_exit_all(struct lk_proc *p);
/* p's async call in progress on valgrind thread vtid (grown as needed). */
struct lk_pending_rw *lk_pending_rw(struct lk_proc *p, uint32_t vtid);

/* Whether z was declared for task; if not, it is from now on. */
int lk_size_declared(struct lk_size *z, uint32_t task);
/* The length of p's known mapping that starts at addr, 0 when none does. */
uint64_t map_len_at(struct lk_proc *p, uint64_t addr);

/* ---- trace_lackey_syscall.c ---- */
/* One syscall line of p (valgrind --trace-syscalls=yes): the operations it makes, queued;
 * -1 with err for a thread id beyond LACKEY_MAX_VTID. */
int parse_syscall(struct lackey_reader *r, struct lk_proc *p, const char *line, struct err *err);
/* -1 with err naming p's line when vtid (a valgrind thread id) is beyond LACKEY_MAX_VTID. */
int lk_check_vtid(const struct lk_proc *p, unsigned long vtid, struct err *err);
/* The arguments of a syscall line "... NAME ( a, b, c ) ...": up to max numbers (how many
 * were read), and the path inside "0xADDR(PATH)" of argument path_arg (if >= 0). */
int sys_args(const char *s, uint64_t *args, int max, int path_arg, char *path, size_t path_len);
/* 1 with *res when the line's call succeeded, else 0; the errno of a failed one, else 0. */
int sys_result(const char *s, uint64_t *res);
unsigned sys_errno(const char *s);
/* v rounded up to r's page size. */
uint64_t page_up(struct lackey_reader *r, uint64_t v);

/* ---- trace_lackey_mm.c: brk, the mlock family, shmem objects, sigaction ---- */
void sys_brk(struct lackey_reader *r, struct lk_proc *p, const char *line);
/* mlock (149), munlock (150), mlockall (151), munlockall (152), mlock2 (325). */
void sys_mlock(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr);
/* memfd_create (319): fd names the shmem object memfd.PID.FD. */
void sys_memfd_create(struct lackey_reader *r, struct lk_proc *p, const char *line);
/* shmget (29), shmat (30), shmdt (67), shmctl (31). */
void sys_sysv_shm(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr);
/* rt_sigaction (13) of SIGSEGV or SIGBUS with a new action. */
void sys_sigaction(struct lk_proc *p, const char *line);
/* The shmem object called name: `shmem NAME SIZE` queued for p when it is not live, or
 * when size_bytes (> 0) resizes it. */
void shm_object(struct lackey_reader *r, struct lk_proc *p, const char *name, uint64_t size_bytes,
                int resize);
/* `unlink NAME` of a live shmem object. */
void shm_unlink_name(struct lackey_reader *r, struct lk_proc *p, const char *name);
/* An mmap of shmem object name's fd, put at [at, +len) with Linux's prot and mmap flags mf
 * (an OP_SHM SHM_MAP). */
void shm_map(struct lackey_reader *r, struct lk_proc *p, uint64_t at, uint64_t len, unsigned prot,
             unsigned mf, const char *name, uint64_t offset);
/* The shmem object called name, NULL when the recording never created it. */
struct lk_shm *shm_find(struct lackey_reader *r, const char *name);

/* A hex number without 0x at *pp (advanced past it): 0, or -1 when there is none or it
 * overflows 64 bits. */
static inline int hex_u64(const char **pp, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	const char *start = p;
	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (unsigned)((*p | 0x20) - 'a' + 10);
		else
			break;
		if (v >> 60)
			return -1;
		v = (v << 4) | d;
	}
	if (p == start)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

#endif
