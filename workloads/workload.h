/*
 * workload.h — the interface between workloads and the simulator.
 *
 * A workload (a synthetic generator or a trace reader) produces, for each simulated process, a
 * stream of operations: accesses, mmap/munmap/mprotect, fork, wait, exec, exit, compute.
 * A workload starts with exactly one process (op streams of others appear through fork ops);
 * the simulator asks for the next operation of one process at a time, in whatever order its
 * scheduler runs them, so a workload must be able to answer for any live process in any
 * order. Workloads know nothing of the VM layer or the hardware models.
 *
 * Streams are deterministic: the same params and seed give the same operations. Memory must
 * not grow with the length of the stream (traces are read in a stream).
 */
#ifndef VMSIM_WORKLOADS_WORKLOAD_H
#define VMSIM_WORKLOADS_WORKLOAD_H

#include <jansson.h>
#include <stdint.h>

#include "sim/base/access.h"
#include "sim/base/params.h"

/* The operations. The three accesses come first and are their enum access_kind, so that an
 * access operation's kind is its access kind (op->kind <= OP_EXEC). */
enum op_kind {
	OP_READ = ACCESS_READ,   /* access addr for reading */
	OP_WRITE = ACCESS_WRITE, /* access addr for writing */
	OP_EXEC = ACCESS_EXEC,   /* instruction fetch at addr (an iTLB access) */
	OP_MMAP,                 /* map [addr, addr+len) with prot, flags, file/offset */
	OP_MUNMAP,               /* unmap [addr, addr+len) */
	OP_MPROTECT,             /* change protection of [addr, addr+len) to prot */
	OP_MADVISE,              /* advice on [addr, addr+len): arg is enum op_advice */
	OP_MSYNC,                /* write back dirty shared file pages of [addr, addr+len) */
	OP_FORK,                 /* fork; arg is the child's pid */
	OP_WAIT,                 /* wait for child arg to exit (0: any child) */
	OP_EXECVE,               /* replace the address space with the image named by name */
	OP_EXIT,                 /* the process exits (also implied at the end of its stream) */
	OP_COMPUTE,              /* work between accesses: arg nanoseconds */
	OP_FILE,                 /* declare file name of len bytes (mappings may then name it) */
	OP_MARK, /* a user-level event, no cost: flags is enum op_mark_flags, arg an id; the
	          * simulator records the time from a process's MARK_BEGIN to its next
	          * MARK_END with the same arg as one request's latency */

	/* Kinds from 15 on are vmb's extended records (opcode = kind + 1, one generic layout:
	 * workloads/vmb.h). Each value below is fixed once a trace may hold it; a slot not yet
	 * defined is reserved for the work named beside it (op_kind_name returns NULL for it and
	 * every reader rejects it). */

	OP_MREMAP = 15, /* mremap [addr, addr+len) to arg bytes: flags enum op_mremap_flags (and
	                   enum op_result_flags), offset the new address (fixed) or the recorded
	                   result address */

	OP_BRK = 16, /* brk(addr): move the program break; flags OPRES_ADDR with offset the
	                recorded result (the new break, or the old one when it failed) */

	OP_MLOCK = 17, /* the mlock family: arg enum op_mlock_call; mlock/munlock of [addr,
	                  +len), flags MLOCKF_ONFAULT (mlock2); mlockall: flags enum op_mcl */

	OP_SHM = 18, /* a shmem object by name (memfd, POSIX and SysV shm): arg is enum
	                op_shm_kind, name the object; SHM_TRUNCATE: len its size in bytes;
	                SHM_MAP, SHM_ATTACH: addr, len, prot, flags (enum op_map_flags:
	                MAPF_SHARED, MAPF_POPULATE) and offset as an mmap's */

	OP_VFORK = 19, /* vfork / posix_spawn (clone(CLONE_VM | CLONE_VFORK)): arg is the child's
	                  pid; the child shares the caller's address space, the caller sleeps
	                  until the child execs or exits */

	OP_MEMORY_RECLAIM = 20, /* write to memory.reclaim: reclaim len bytes from the cgroup
	                           named by name (NULL: the process's own group) */

	OP_THREAD = 21, /* clone(CLONE_VM | CLONE_THREAD): arg is the new thread's id (a pid
	                   never used before); the thread shares the caller's address space and
	                   its operations carry that id in pid */

	OP_FILE_RW = 22,   /* read(2)/write(2) of the declared file name: offset, len bytes;
	                      flags: enum op_rw_flags; addr: the user buffer (with RWF_BUF) */
	OP_FILE_SYNC = 23, /* arg: enum op_sync_kind on file name, with offset and len */

	OP_MEMPOLICY = 24, /* NUMA memory policy: prot the mode (Linux's MPOL_* numbers), arg
	                      the node mask; len 0: set_mempolicy, else mbind of [addr, +len) */

	OP_SIGACTION = 25, /* the process handles (or, SIGACTF_DEFAULT, no longer handles) signal
	                      arg: SIGSEGV (11) or SIGBUS (7), Linux's numbers */

	OP_EXEC_BARE = 26, /* execve of a recorded program (`exec PATH bare`): a new, empty address
	                      space; the trace maps what the program uses (name: PATH) */

	/* 27..30: free */

	OP_KIND_COUNT = 31 /* one past the largest kind vmb can encode (opcode 31) */
};
/* The first kind encoded as vmb's extended record. */
#define OP_KIND_FIRST_EXT 15
/* The name of kind in vmt and in `trace info` ("r", "mmap", "memory.reclaim"), or NULL when
 * kind is not a defined operation. */
const char *op_kind_name(unsigned kind);

enum op_prot { PROT_R = 1, PROT_W = 2, PROT_X = 4 };
enum op_map_flags {
	MAPF_SHARED = 1 << 0,   /* MAP_SHARED (else private) */
	MAPF_FILE = 1 << 1,     /* file-backed: name + offset (else anonymous) */
	MAPF_HUGE = 1 << 2,     /* ask for 2 MiB pages (anonymous only) */
	MAPF_POPULATE = 1 << 3, /* MAP_POPULATE: fault every page in at once */
	/* 1 << 4, 1 << 5: free; 1 << 6, 1 << 7: the recorded result (enum op_result_flags, the
	 * value in arg: an address, or an errno number) */
};
/* mmap's further flags (struct op's xflags; vmb: a byte after the flags byte) */
enum op_map_xflags {
	MAPX_HINT = 1 << 0,      /* no MAP_FIXED: addr is a hint (0: none), the kernel picks */
	MAPX_NOREPLACE = 1 << 1, /* MAP_FIXED_NOREPLACE: EEXIST over an existing mapping */
	MAPX_NORESERVE = 1 << 2, /* MAP_NORESERVE */
	MAPX_GROWSDOWN = 1 << 3, /* MAP_GROWSDOWN: a stack that grows on faults below it */
	MAPX_KNOWN = 0x0f        /* the bits defined so far */
};
/* madvise advice (the values of vmb's advice byte: new ones only at the end) */
enum op_advice {
	ADV_HUGEPAGE = 1,
	ADV_NOHUGEPAGE = 2,
	ADV_DONTNEED = 3,
	ADV_NORMAL = 4,
	ADV_RANDOM = 5,
	ADV_SEQUENTIAL = 6,
	ADV_WILLNEED = 7,
	ADV_FREE = 8,
	ADV_REMOVE = 9,
	ADV_DONTFORK = 10,
	ADV_DOFORK = 11,
	ADV_WIPEONFORK = 12,
	ADV_KEEPONFORK = 13,
	ADV_COLD = 14,
	ADV_PAGEOUT = 15,
	ADV_POPULATE_READ = 16,
	ADV_POPULATE_WRITE = 17,
	ADV_COUNT /* one past the last */
};
enum op_mark_flags { MARK_BEGIN = 1, MARK_END = 2 };
/* OP_MLOCK's arg (vmb's arg varint: new ones only at the end), and its flags: mlock2's
 * MLOCK_ONFAULT, mlockall's MCL_* (Linux's values) */
enum op_mlock_call { MLOCK_CALL_MLOCK = 1, MLOCK_CALL_MUNLOCK, MLOCK_CALL_MLOCKALL,
	             MLOCK_CALL_MUNLOCKALL, MLOCK_CALL_COUNT };
enum op_mlock_flags { MLOCKF_ONFAULT = 1 };
enum op_mcl { MCLF_CURRENT = 1, MCLF_FUTURE = 2, MCLF_ONFAULT = 4 };
/* mremap's flags byte (Linux's MREMAP_* values) */
enum op_mremap_flags { MREMAPF_MAYMOVE = 1, MREMAPF_FIXED = 2, MREMAPF_DONTUNMAP = 4 };
/* A system call's recorded result (`= RESULT` in vmt), in the flags byte of the kinds that take
 * one: an address (in offset), or an errno (in prot). Neither: not recorded. */
enum op_result_flags { OPRES_ADDR = 1 << 6, OPRES_ERRNO = 1 << 7 };
/* OP_SHM arg (vmb's arg varint: new ones only at the end) */
enum op_shm_kind {
	SHM_TRUNCATE = 1, /* `shmem NAME SIZE`: memfd_create, shm_open(O_CREAT), shmget(IPC_CREAT)
	                     create the object when it does not exist; ftruncate resizes it */
	SHM_UNLINK = 2,   /* `unlink NAME`: shm_unlink, shmctl(IPC_RMID), a memfd's last close */
	SHM_MAP = 3,      /* mmap of shmem:NAME:OFFSET (memfd, POSIX shm) */
	SHM_ATTACH = 4,   /* shmat, as mmap of sysv:NAME:OFFSET: no fault-around */
	SHM_KIND_COUNT    /* one past the last */
};
/* OP_SIGACTION flags and the signals it names (Linux's numbers) */
enum op_sigaction_flags { SIGACTF_DEFAULT = 1 }; /* SIG_DFL (or SIG_IGN: a fault's signal kills) */
enum op_signal { OPSIG_BUS = 7, OPSIG_SEGV = 11 };
/* OP_FILE_RW flags (vmb's flags byte: new ones only as new bits) */
enum op_rw_flags {
	RWF_WRITE = 1 << 0,  /* write (else read) */
	RWF_DIRECT = 1 << 1, /* O_DIRECT: around the page cache */
	RWF_BUF = 1 << 2,    /* addr is the user buffer the kernel copies to / from */
};
/* OP_FILE_SYNC arg (vmb's arg varint: new ones only at the end) */
enum op_sync_kind {
	SYNC_FSYNC = 1,      /* fsync NAME */
	SYNC_FDATASYNC = 2,  /* fdatasync NAME */
	SYNC_RANGE = 3,      /* sync_file_range NAME OFFSET LEN (SYNC_FILE_RANGE_WRITE) */
	SYNC_FTRUNCATE = 4,  /* ftruncate NAME SIZE (offset = SIZE) */
	SYNC_FALLOCATE = 5,  /* fallocate NAME OFFSET LEN (mode 0: the file grows to cover it) */
	SYNC_PUNCH_HOLE = 6, /* fallocate NAME OFFSET LEN punch_hole (PUNCH_HOLE|KEEP_SIZE) */
	SYNC_KIND_COUNT      /* one past the last */
};

struct op {
	uint8_t kind;     /* enum op_kind */
	uint8_t prot;     /* enum op_prot bits (mmap, mprotect) */
	uint8_t flags;    /* enum op_map_flags (mmap), enum op_mark_flags (mark) */
	uint8_t xflags;   /* enum op_map_xflags (mmap) */
	uint32_t pid;     /* the process this operation belongs to */
	uint64_t addr;    /* virtual address (accesses, mmap, munmap, mprotect, madvise, msync) */
	uint64_t len;     /* bytes (mmap, munmap, mprotect, madvise, msync, file) */
	uint64_t arg;     /* child pid (fork, vfork, wait), thread id (thread), nanoseconds (compute), advice (madvise),
	                     request id (mark) */
	uint64_t offset;  /* file offset in bytes (file mmap) */
	const char *name; /* file name (file mmap, file decl) or image (execve); borrowed until
	                     the next call into the workload */
};

struct workload;

/* What a workload is given when it opens; borrowed. */
struct workload_env {
	const char *config_file; /* for messages: the config that named this workload */
	const char *config_path; /* JSON path of the workload object ("workload", "workloads[1]") */
	const char *base_dir;    /* relative trace paths resolve against this folder */
	uint64_t seed;           /* this workload's random stream seed */
	uint64_t page_size;      /* bytes */
};

struct workload_ops {
	const char *name;                /* the "type" value */
	const char *description;         /* one line */
	const struct param_spec *params; /* the keys of its object, besides "type" and "start_ps" */
	/* Optional: before the object is checked, set the defaults that follow from other keys
	 * (the trace's format from its path's ending). config_file: the file it comes from. */
	void (*complete)(json_t *params, const char *config_file);

	/* Open with the resolved object (borrowed). On bad input return < 0 with err filled
	 * (naming the file and JSON path or trace line). */
	int (*open)(struct workload **out, const json_t *params, const struct workload_env *env,
	            struct err *err);
	/* The pid of the process the workload starts with. */
	uint32_t (*initial_pid)(const struct workload *w);
	/* The next operation of process pid: returns 1 with *op filled, 0 when that process's
	 * stream has ended (it exits), < 0 on malformed input with err naming line or offset. */
	int (*next)(struct workload *w, uint32_t pid, struct op *op, struct err *err);
	/* Optional (NULL: not supported): the next operations of pid, as if by up to max (>= 1)
	 * calls of next(), into ops[]: returns how many (>= 1), 0 when the stream has ended, < 0
	 * on malformed input. A batch ends after the first operation that is neither an access
	 * nor a compute (so a borrowed name stays valid: it belongs to the batch's last op), and
	 * before the stream's end or an error, which the following call then returns. Only for
	 * workloads whose streams do not depend on the order in which processes ask (the
	 * simulator reads a batch ahead of time; one indirect call per batch, not per op). */
	int (*next_batch)(struct workload *w, uint32_t pid, struct op *ops, uint32_t max,
	                  struct err *err);
	void (*close)(struct workload *w);
};

/* The registry of workload types. */
extern const struct workload_ops *const workload_table[];
extern const size_t workload_table_len;
const struct workload_ops *workload_find(const char *name);

#endif
