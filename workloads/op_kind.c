/*
 * op_kind.c — the names of the operation kinds (enum op_kind), as vmt spells them and as
 * `vmsim trace info` lists them. A kind without a name is not (yet) an operation: the trace
 * readers reject it. One entry per line, blank lines between the reserved slots, so that work
 * on different kinds never edits the same lines.
 */
#include "workloads/workload.h"

static const char *const names[OP_KIND_COUNT] = {
    [OP_READ] = "r",
    [OP_WRITE] = "w",
    [OP_EXEC] = "x",
    [OP_MMAP] = "mmap",
    [OP_MUNMAP] = "munmap",
    [OP_MPROTECT] = "mprotect",
    [OP_MADVISE] = "madvise",
    [OP_MSYNC] = "msync",
    [OP_FORK] = "fork",
    [OP_WAIT] = "wait",
    [OP_EXECVE] = "exec",
    [OP_EXIT] = "exit",
    [OP_COMPUTE] = "compute",
    [OP_FILE] = "file",
    [OP_MARK] = "mark",

    [OP_MREMAP] = "mremap",

    [OP_BRK] = "brk",
    [OP_MLOCK] = "mlock/munlock/mlockall/munlockall",

    [OP_VFORK] = "vfork",

    [OP_MEMORY_RECLAIM] = "memory.reclaim",

    [OP_THREAD] = "thread",

    [OP_FILE_RW] = "read/write",
    [OP_FILE_SYNC] = "fsync/ftruncate/fallocate",

    [OP_MEMPOLICY] = "mempolicy",

    [OP_SHM] = "shm",

    [OP_SIGACTION] = "sigaction",

    [OP_EXEC_BARE] = "exec-bare",
};

const char *op_kind_name(unsigned kind)
{
	return kind < OP_KIND_COUNT ? names[kind] : NULL;
}
