"""scenarios.py -- the vmsim equivalent of every Linux probe scenario (tests/linux/*.c), as a
vmt trace (docs/traces.md). scripts/linux-compare writes them (--write-traces) and runs them.

Each trace does what the probe does, at fixed addresses, and marks where each measured phase
starts with a comment line `# phase NAME PID`: the phase's counts are those of process PID
between its marker and the next one (linux-compare runs each prefix of the trace and takes
differences). The lines before the first marker are setup (caching a file, writing a region).

Operations vmsim cannot run yet are written in the syntax proposed in docs/traces.md
("Proposed: Linux system calls (not implemented yet)"); vmsim refuses such a trace (exit 2) and
linux-compare reports its rows as unsupported.
"""

PAGE = 4096
MIB = 1 << 20

A = 0x10000000        # anonymous regions (2 MiB aligned)
B = 0x20000000        # a second region
H = 0x40000000        # THP regions (64 MiB)
F = 0x80000000        # file mappings
S = 0xC0000000        # shared memory
FN = 8192             # pages of the 32 MiB files
N = 4096              # pages of the 16 MiB regions
HN = 16384            # pages of the 64 MiB THP regions


class Trace:
    def __init__(self, name, what):
        self.name = name
        self.lines = [f"# {name}: {what}",
                      "# written by scripts/linux-compare --write-traces from tests/linux/scenarios.py",
                      "# (the Linux probe: tests/linux/*.c; its counts: tests/linux/expected.tsv)"]

    def note(self, text):
        self.lines.append(f"# {text}")

    def phase(self, name, pid, region=None):
        """A phase of process pid; region (ADDR, PAGES): the probe's pagemap counts (mapped,
        anon, file, zero, thp, mlocked) are of that range only, not of the whole process."""
        where = f" region {hex(region[0])} {hex(region[1] * PAGE)}" if region else ""
        self.lines.append(f"# phase {name} {pid}{where}")

    def op(self, pid, *args):
        self.lines.append(" ".join([str(pid)] + [hex(a) if isinstance(a, int) else a
                                                 for a in args]))

    def raw(self, line):
        self.lines.append(line)

    def setting(self, key, value):
        """A kernel setting the probe makes for the scenario (a sysfs file), as vmsim's config
        override `--set key=value` (linux-compare passes it to every run of the trace)."""
        self.lines.append(f"# vmsim --set {key}={value}")

    def scan(self, phase, pid, kind, base, npages, first=0, stride=1):
        """A phase of process pid that accesses npages pages from base."""
        self.phase(phase, pid)
        self.touch(pid, kind, base, npages, first, stride)

    def fork_child(self, phase):
        """Process 1 forks process 2, whose first phase starts here."""
        self.phase(phase, 2)
        self.raw("1 fork 2")

    def child_exit(self):
        """Process 2 exits; process 1 waits for it."""
        self.raw("2 exit")
        self.raw("1 wait 2")

    def touch(self, pid, kind, base, npages, first=0, stride=1):
        for i in range(first, npages, stride):
            self.lines.append(f"{pid} {kind} {hex(base + i * PAGE)}")

    def text(self):
        return "\n".join(self.lines) + "\n"


def scenario(what):
    """Decorator: def NAME(t) fills the Trace t of scenario NAME (the function's name)."""
    def wrap(fill):
        def build():
            t = Trace(fill.__name__, what)
            fill(t)
            return t
        build.__name__ = fill.__name__
        return build
    return wrap


@scenario("empty phases in a process and a fork child")
def null(t):
    t.op(1, "mmap", A, PAGE, "rw", "anon", "private")
    t.phase("nothing", 1)
    t.fork_child("child_nothing")
    t.child_exit()
    t.phase("parent_nothing", 1)
    t.raw("1 exit")


def anon_region(t, base=A, pages=N, extra=""):
    t.op(1, "mmap", base, pages * PAGE, "rw", "anon", "private", *extra.split())


@scenario("write 4096 fresh pages, read them again")
def anon_demand_zero(t):
    anon_region(t)
    t.scan("write", 1, "w", A, N)
    t.scan("reread", 1, "r", A, N)


@scenario("read 4096 fresh pages (zero page), then write them")
def anon_zero_page(t):
    anon_region(t)
    t.scan("read", 1, "r", A, N)
    t.scan("write", 1, "w", A, N)


@scenario("fork; the child reads all, writes half; the parent writes all")
def fork_cow(t):
    anon_region(t)
    t.scan("parent_write", 1, "w", A, N)
    t.fork_child("child_read")
    t.touch(2, "r", A, N)
    t.scan("child_write_half", 2, "w", A, N, 0, 2)
    t.child_exit()
    t.scan("parent_write_after_exit", 1, "w", A, N)


@scenario("write, mprotect(PROT_READ), read, mprotect(RW), write")
def mprotect_rw(t):
    anon_region(t)
    t.scan("write", 1, "w", A, N)
    t.phase("mprotect_r", 1)
    t.op(1, "mprotect", A, N * PAGE, "r")
    t.scan("read", 1, "r", A, N)
    t.phase("mprotect_rw", 1)
    t.op(1, "mprotect", A, N * PAGE, "rw")
    t.scan("write_again", 1, "w", A, N)


@scenario("write, mprotect(PROT_NONE), read one page (SIGSEGV), mprotect(R), read, (RW), write")
def mprotect_none(t):
    anon_region(t)
    t.op(1, "sigaction", "segv")
    t.scan("write", 1, "w", A, N)
    t.phase("mprotect_none", 1)
    t.op(1, "mprotect", A, N * PAGE, "none")
    t.phase("read_none", 1)
    t.raw(f"1 r {hex(A + 5 * PAGE)}")
    t.phase("mprotect_r", 1)
    t.op(1, "mprotect", A, N * PAGE, "r")
    t.scan("read", 1, "r", A, N)
    t.phase("mprotect_rw", 1)
    t.op(1, "mprotect", A, N * PAGE, "rw")
    t.scan("write_again", 1, "w", A, N)


@scenario("write, DONTNEED, read, write, DONTNEED + write")
def madv_dontneed(t):
    anon_region(t)
    t.scan("write", 1, "w", A, N)
    t.phase("dontneed", 1)
    t.op(1, "madvise", A, N * PAGE, "dontneed")
    t.scan("read", 1, "r", A, N)
    t.scan("rewrite", 1, "w", A, N)
    t.phase("dontneed_write", 1)
    t.op(1, "madvise", A, N * PAGE, "dontneed")
    t.touch(1, "w", A, N)


@scenario("write, FREE, read, write half (no memory pressure)")
def madv_free(t):
    anon_region(t)
    t.scan("write", 1, "w", A, N)
    t.phase("free", 1)
    t.op(1, "madvise", A, N * PAGE, "free")
    t.scan("read", 1, "r", A, N)
    t.scan("write_half", 1, "w", A, N, 0, 2)


@scenario("write, FREE, write half, PAGEOUT, read")
def madv_free_pageout(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.phase("free", 1)
    t.op(1, "madvise", A, N * PAGE, "free")
    t.scan("write_half", 1, "w", A, N, 0, 2)
    t.phase("pageout", 1)
    t.op(1, "madvise", A, N * PAGE, "pageout")
    t.scan("read", 1, "r", A, N)


@scenario("write, FREE, write half, reclaim everything reclaimable, read")
def madv_free_pressure(t):
    t.note("Linux: a memory cgroup's limit lowered below what reclaim can reach (EBUSY);")
    t.note("here: a write to memory.reclaim of more pages than are reclaimable (EAGAIN)")
    anon_region(t)
    t.touch(1, "w", A, N)
    t.phase("free", 1)
    t.op(1, "madvise", A, N * PAGE, "free")
    t.scan("write_half", 1, "w", A, N, 0, 2)
    t.phase("limit", 1)
    t.op(1, "memory.reclaim", (N // 2 + 1024) * PAGE)
    t.scan("read", 1, "r", A, N)


def madv_simple(name, what, advice, after="r"):
    def build():
        t = Trace(name, what)
        anon_region(t)
        t.touch(1, "w", A, N)
        t.phase(advice, 1)
        t.op(1, "madvise", A, N * PAGE, advice)
        t.scan("read", 1, after, A, N)
        return t
    build.__name__ = name
    return build


madv_cold = madv_simple("madv_cold", "write, COLD (deactivate), read", "cold")
madv_pageout_anon = madv_simple("madv_pageout_anon", "write, PAGEOUT, read", "pageout")


def madv_populate(name, advice):
    def build():
        t = Trace(name, f"{advice.upper()}, then write")
        anon_region(t)
        t.phase(advice, 1)
        t.op(1, "madvise", A, N * PAGE, advice)
        t.scan("write", 1, "w", A, N)
        return t
    build.__name__ = name
    return build


madv_populate_read = madv_populate("madv_populate_read", "populate_read")
madv_populate_write = madv_populate("madv_populate_write", "populate_write")


@scenario("REMOVE on private anonymous memory (EINVAL)")
def madv_remove_private(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.phase("remove", 1)
    t.op(1, "madvise", A, N * PAGE, "remove", "=", "EINVAL")
    t.scan("read", 1, "r", A, N)


@scenario("DONTFORK, fork: the child has no mapping")
def madv_dontfork(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.op(1, "madvise", A, N * PAGE, "dontfork")
    t.fork_child("child_read")
    t.raw("2 sigaction segv")
    t.raw(f"2 r {hex(A)}")
    t.child_exit()
    t.scan("parent_write", 1, "w", A, N)


@scenario("WIPEONFORK, fork: the child sees zeros")
def madv_wipeonfork(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.op(1, "madvise", A, N * PAGE, "wipeonfork")
    t.fork_child("child_read")
    t.touch(2, "r", A, N)
    t.scan("child_write", 2, "w", A, N)
    t.child_exit()
    t.scan("parent_write", 1, "w", A, N)
    t.scan("parent_read", 1, "r", A, N)


# ---- files ----

def cached_file(t, name="data", pages=FN, pid=1):
    """Declare the file and read it into the page cache through a mapping (the probe writes it
    with 4 KiB write() calls and keeps it cached: 4 KiB folios, which MADV_RANDOM gives here,
    each page read by its own fault without readahead)."""
    t.raw(f"file {name} {hex(pages * PAGE)}")
    t.note("setup: bring the whole file into the page cache (4 KiB folios)")
    t.op(pid, "mmap", F, pages * PAGE, "r", f"file:{name}:0", "shared")
    t.op(pid, "madvise", F, pages * PAGE, "random")
    t.touch(pid, "r", F, pages)
    t.op(pid, "munmap", F, pages * PAGE)


def file_map(t, prot, share, name="data", pages=FN):
    t.op(1, "mmap", F, pages * PAGE, prot, f"file:{name}:0", share)


@scenario("MAP_PRIVATE read of a cached 32 MiB file")
def file_private_read(t):
    cached_file(t)
    file_map(t, "r", "private")
    t.scan("read", 1, "r", F, FN)
    t.scan("reread", 1, "r", F, FN)


@scenario("MAP_SHARED read of a cached 32 MiB file")
def file_shared_read(t):
    cached_file(t)
    file_map(t, "r", "shared")
    t.scan("read", 1, "r", F, FN)


@scenario("MAP_PRIVATE: write 1 page in 16, then read all")
def file_private_write_stride(t):
    cached_file(t)
    file_map(t, "rw", "private")
    t.scan("write_1_in_16", 1, "w", F, FN, 0, 16)
    t.scan("read_all", 1, "r", F, FN)


@scenario("MAP_PRIVATE: read all, then write all")
def file_private_read_write(t):
    cached_file(t)
    file_map(t, "rw", "private")
    t.scan("read", 1, "r", F, FN)
    t.scan("write", 1, "w", F, FN)


@scenario("MAP_SHARED: write all, msync, write all again")
def file_shared_write(t):
    cached_file(t)
    file_map(t, "rw", "shared")
    t.scan("write", 1, "w", F, FN)
    t.phase("msync", 1)
    t.op(1, "msync", F, FN * PAGE)
    t.scan("write_again", 1, "w", F, FN)


@scenario("MAP_SHARED: read all, then write all")
def file_shared_read_write(t):
    cached_file(t)
    file_map(t, "rw", "shared")
    t.scan("read", 1, "r", F, FN)
    t.scan("write", 1, "w", F, FN)
    t.scan("reread", 1, "r", F, FN)


@scenario("MAP_SHARED read, fork, the child reads all")
def file_shared_fork(t):
    cached_file(t)
    file_map(t, "r", "shared")
    t.scan("parent_read", 1, "r", F, FN)
    t.fork_child("child_read")
    t.touch(2, "r", F, FN)
    t.child_exit()


@scenario("read an uncached file through a mapping")
def file_readahead(t):
    t.raw(f"file data {hex(FN * PAGE)}")
    file_map(t, "r", "private")
    t.scan("first_fault", 1, "r", F, 1)
    t.scan("read", 1, "r", F, FN)


@scenario("MADV_WILLNEED on an uncached file, then read")
def file_willneed(t):
    t.raw(f"file data {hex(FN * PAGE)}")
    file_map(t, "r", "private")
    t.phase("willneed", 1)
    t.op(1, "madvise", F, FN * PAGE, "willneed")
    t.scan("read_willneed_part", 1, "r", F, 2048)
    t.scan("fault_past", 1, "r", F + 2048 * PAGE, 1)
    t.scan("read_all", 1, "r", F, FN)


def file_advice_read(name, what, advice):
    def build():
        t = Trace(name, what)
        t.raw(f"file data {hex(FN * PAGE)}")
        file_map(t, "r", "private")
        t.op(1, "madvise", F, FN * PAGE, advice)
        if advice == "sequential":
            t.scan("first_fault", 1, "r", F, 1)
        t.scan("read", 1, "r", F, FN)
        return t
    build.__name__ = name
    return build


file_random = file_advice_read("file_random", "MADV_RANDOM, read an uncached file", "random")
file_sequential = file_advice_read("file_sequential", "MADV_SEQUENTIAL, read an uncached file",
                                   "sequential")


@scenario("MADV_PAGEOUT of a read file mapping")
def file_pageout(t):
    cached_file(t)
    file_map(t, "r", "private")
    t.touch(1, "r", F, FN)
    t.phase("pageout", 1)
    t.op(1, "madvise", F, FN * PAGE, "pageout")


@scenario("MADV_DONTNEED of a read file mapping, read again")
def file_dontneed(t):
    cached_file(t)
    file_map(t, "r", "private")
    t.touch(1, "r", F, FN)
    t.phase("dontneed", 1)
    t.op(1, "madvise", F, FN * PAGE, "dontneed")
    t.scan("read", 1, "r", F, FN)


@scenario("MAP_POPULATE of a cached file")
def file_populate(t):
    cached_file(t)
    t.phase("mmap_populate", 1)
    t.op(1, "mmap", F, FN * PAGE, "r", "file:data:0", "private", "populate")
    t.scan("read", 1, "r", F, FN)


@scenario("SIGBUS past the end of a file, SIGSEGV unmapped / protection")
def signals(t):
    size = 3 * PAGE + 100
    t.raw(f"file short {hex(size)}")
    t.note("setup: the probe writes the file (pwrite): its pages are in the page cache")
    t.op(1, "write", "short", 0, size)
    t.op(1, "sigaction", "segv")
    t.op(1, "sigaction", "bus")
    t.note("the probe maps and reads its read-only page between phases: here before them")
    t.op(1, "mmap", A, PAGE, "r", "anon", "private")
    t.raw(f"1 r {hex(A)}")
    t.op(1, "mmap", F, 8 * PAGE, "r", "file:short:0", "shared")
    t.scan("read_in_file", 1, "r", F, 3)
    t.phase("read_eof_page_tail", 1)
    t.raw(f"1 r {hex(F + 3 * PAGE + 200)}")
    t.phase("read_past_eof", 1)
    t.raw(f"1 r {hex(F + 5 * PAGE)}")
    t.phase("unmapped", 1)
    t.raw(f"1 r {hex(B)}")
    t.phase("write_read_only", 1)
    t.raw(f"1 w {hex(A)}")
    t.op(1, "mprotect", A, PAGE, "none")
    t.phase("read_prot_none", 1)
    t.raw(f"1 r {hex(A)}")


# ---- shared memory ----

@scenario("MAP_SHARED|MAP_ANONYMOUS: parent writes half, fork, child reads half, writes all")
def shared_anon_fork(t):
    t.op(1, "mmap", S, N * PAGE, "rw", "anon", "shared")
    t.scan("parent_write_half", 1, "w", S, N // 2)
    t.fork_child("child_read_half")
    t.touch(2, "r", S, N // 2)
    t.scan("child_write_all", 2, "w", S, N)
    t.child_exit()
    t.scan("parent_read_all", 1, "r", S, N)
    t.scan("parent_write_all", 1, "w", S, N)


def shmem_object(name, what, kind, obj, unlink_before_read=False):
    """memfd / POSIX shm: the child maps the object itself (inherited fd / by name);
    SysV: the child attaches by key (kind sysv: no fault-around). The name goes as the
    probe removes it: shm_unlink at the end, IPC_RMID before the parent's read (the segment
    lives on while attached); a memfd's name with its last close (the process's exit)."""
    def build():
        t = Trace(name, what)
        t.op(1, "shmem", obj, N * PAGE)
        t.op(1, "mmap", S, N * PAGE, "rw", f"{kind}:{obj}:0", "shared")
        t.scan("write", 1, "w", S, N)
        t.fork_child("child_read")
        t.op(2, "mmap", S, N * PAGE, "rw", f"{kind}:{obj}:0", "shared")
        t.touch(2, "r", S, N)
        t.scan("child_write", 2, "w", S, N)
        t.child_exit()
        if unlink_before_read:
            t.op(1, "unlink", obj)
        t.scan("parent_read", 1, "r", S, N)
        if not unlink_before_read:
            t.op(1, "unlink", obj)
        return t
    build.__name__ = name
    return build


memfd = shmem_object("memfd", "memfd_create: write, a child maps the fd and reads, writes",
                     "shmem", "memfd.1")
posix_shm = shmem_object("posix_shm", "shm_open: write, a child opens it by name, reads, writes",
                         "shmem", "vmsim-probe")
sysv_shm = shmem_object("sysv_shm", "shmget/shmat: write, a child attaches by key, reads, writes",
                        "sysv", "sysv.0x766d0001", unlink_before_read=True)


@scenario("MADV_REMOVE on shared anonymous memory, read")
def shmem_remove(t):
    t.op(1, "mmap", S, N * PAGE, "rw", "anon", "shared")
    t.touch(1, "w", S, N)
    t.phase("remove", 1)
    t.op(1, "madvise", S, N * PAGE, "remove")
    t.scan("read", 1, "r", S, N)


@scenario("MADV_DONTNEED on shared anonymous memory, read")
def shmem_dontneed(t):
    t.op(1, "mmap", S, N * PAGE, "rw", "anon", "shared")
    t.touch(1, "w", S, N)
    t.phase("dontneed", 1)
    t.op(1, "madvise", S, N * PAGE, "dontneed")
    t.scan("read", 1, "r", S, N)


# ---- THP ----

def thp_region(t, advice):
    t.op(1, "mmap", H, HN * PAGE, "rw", "anon", "private")
    t.op(1, "madvise", H, HN * PAGE, advice)


def thp_write(name, what, advice):
    def build():
        t = Trace(name, what)
        thp_region(t, advice)
        t.scan("write", 1, "w", H, HN)
        return t
    build.__name__ = name
    return build


thp_hugepage_write = thp_write("thp_hugepage_write", "MADV_HUGEPAGE 64 MiB, write all",
                               "hugepage")
thp_nohugepage_write = thp_write("thp_nohugepage_write", "MADV_NOHUGEPAGE 64 MiB, write all",
                                 "nohugepage")


@scenario("MADV_HUGEPAGE 64 MiB: read all, then write")
def thp_huge_zero_page(t):
    thp_region(t, "hugepage")
    t.scan("read", 1, "r", H, HN)
    t.scan("write", 1, "w", H, HN)


@scenario("MADV_HUGEPAGE 64 MiB written; fork, child writes 4 MiB; parent")
def thp_fork(t):
    thp_region(t, "hugepage")
    t.scan("parent_write", 1, "w", H, HN)
    t.fork_child("child_read")
    t.touch(2, "r", H, HN)
    t.scan("child_write_4m", 2, "w", H, 1024)
    t.child_exit()
    t.scan("parent_write_first_per_pmd", 1, "w", H, HN, 0, 512)
    t.scan("parent_write_all", 1, "w", H, HN)


@scenario("munmap 1 MiB of a huge page")
def thp_partial_munmap(t):
    thp_region(t, "hugepage")
    t.touch(1, "w", H, HN)
    t.phase("munmap_half_pmd", 1)
    t.op(1, "munmap", H, MIB)
    t.scan("read_rest", 1, "r", H + MIB, HN - 256)


# ---- anonymous mTHP (tests/linux/mthp.c: hugepages-64kB/enabled = always) ----

MF = 16               # pages of a 64 KiB folio


def mthp_region(t):
    t.setting("vm.mthp.64kB", '"always"')
    t.op(1, "mmap", H, HN * PAGE, "rw", "anon", "private")


@scenario("64K mTHP always, 64 MiB: write all")
def mthp_write(t):
    mthp_region(t)
    t.scan("write", 1, "w", H, HN)


@scenario("64K mTHP: MADV_DONTNEED half of each folio, write all")
def mthp_dontneed_half(t):
    mthp_region(t)
    t.touch(1, "w", H, HN)
    t.phase("dontneed", 1)
    for f in range(0, HN, MF):
        t.op(1, "madvise", H + (f + MF // 2) * PAGE, MF // 2 * PAGE, "dontneed")
    t.scan("write_all", 1, "w", H, HN)


@scenario("64K mTHP: written; fork, child writes 2 pages per folio; parent")
def mthp_fork(t):
    mthp_region(t)
    t.scan("parent_write", 1, "w", H, HN)
    # the parent's wait comes first: every prefix linux-compare runs keeps the parent (and its
    # mappings) alive while the child writes, as the probe's parent waits in run_child
    t.fork_child("child_write_first")
    t.raw("1 wait 2")
    t.touch(2, "w", H, HN, 0, MF)
    t.scan("child_write_second", 2, "w", H, HN, 1, MF)
    t.raw("2 exit")
    t.scan("parent_write_first", 1, "w", H, HN, 0, MF)


# ---- layout ----

MMAP_BASE = 0x7ffff7fff000  # Linux's mmap_base without randomization, 8 MiB stack limit


@scenario("mmap without an address: where the kernel puts it")
def mmap_topdown(t):
    t.note(f"top-down below mmap_base {hex(MMAP_BASE)}; `hint` = no fixed address, the result")
    t.note("after `=` is where Linux put it (the probe measures the gaps between them)")
    rw = ("rw", "anon", "private")
    a0 = 0x7ffff7c00000                    # 2 MiB: aligned to 2 MiB
    t.op(1, "mmap", 0, 2 * MIB, *rw, "hint", "=", hex(a0))
    t.note("the probe fills the holes above its first mapping; so does this trace")
    t.op(1, "mmap", a0 + 2 * MIB, MMAP_BASE - a0 - 2 * MIB, "none", "anon", "private")
    a1 = a0 - MIB
    t.phase("a1_1m", 1)
    t.op(1, "mmap", 0, MIB, *rw, "hint", "=", hex(a1))
    a2 = a1 - PAGE
    t.phase("a2_4k", 1)
    t.op(1, "mmap", 0, PAGE, *rw, "hint", "=", hex(a2))
    a3 = (a2 - 2 * MIB) & ~(2 * MIB - 1)
    t.phase("a3_2m", 1)
    t.op(1, "mmap", 0, 2 * MIB, *rw, "hint", "=", hex(a3))
    a4 = a3 - 3 * MIB
    t.phase("a4_3m", 1)
    t.op(1, "mmap", 0, 3 * MIB, *rw, "hint", "=", hex(a4))
    t.op(1, "munmap", a1, MIB)
    a5 = a0 - MIB // 2
    t.phase("a5_512k_in_hole", 1)
    t.op(1, "mmap", 0, MIB // 2, *rw, "hint", "=", hex(a5))
    t.phase("a6_hint_free", 1)
    t.op(1, "mmap", a1, PAGE, *rw, "hint", "=", hex(a1))
    t.phase("a7_hint_taken", 1)
    t.op(1, "mmap", a0, PAGE, *rw, "hint", "=", hex(a5 - PAGE))


@scenario("MAP_FIXED_NOREPLACE (EEXIST), MAP_FIXED")
def map_fixed_noreplace(t):
    anon_region(t, A, 16)
    t.touch(1, "w", A, 16)
    t.phase("noreplace_taken", 1)
    t.op(1, "mmap", A + 4 * PAGE, 4 * PAGE, "rw", "anon", "private", "noreplace", "=", "EEXIST")
    t.op(1, "munmap", A + 8 * PAGE, 4 * PAGE)
    t.phase("noreplace_free", 1)
    t.op(1, "mmap", A + 8 * PAGE, 4 * PAGE, "rw", "anon", "private", "noreplace", "=",
         hex(A + 8 * PAGE))
    t.phase("fixed_over", 1)
    t.op(1, "mmap", A, 4 * PAGE, "rw", "anon", "private")
    t.scan("read_replaced", 1, "r", A, 4)


@scenario("MAP_POPULATE of 4096 pages, then write")
def map_populate(t):
    t.phase("mmap_populate", 1)
    anon_region(t, extra="populate")
    t.scan("write", 1, "w", A, N)


@scenario("mmap of twice RAM without and with MAP_NORESERVE")
def map_noreserve(t):
    t.note("RAM is memory.frames (1 GiB in the preset); Linux's heuristic overcommit refuses")
    t.note("one mapping larger than RAM + swap")
    two_ram = 2 * 262144 * PAGE
    t.phase("mmap_2x_ram", 1)
    t.op(1, "mmap", 0, two_ram, "rw", "anon", "private", "hint", "=", "ENOMEM")
    t.phase("mmap_2x_ram_noreserve", 1)
    t.op(1, "mmap", 0, two_ram, "rw", "anon", "private", "hint", "noreserve", "=", hex(A))
    t.scan("write", 1, "w", A, N)


@scenario("MAP_GROWSDOWN growth and the stack guard gap")
def growsdown(t):
    top = 0x12000000
    r = top - 16 * PAGE
    t.op(1, "sigaction", "segv")
    t.op(1, "mmap", r, 16 * PAGE, "rw", "anon", "private", "growsdown")
    t.phase("touch_1_below", 1)
    t.raw(f"1 w {hex(r - PAGE)}")
    t.phase("touch_64_below", 1)
    t.raw(f"1 w {hex(r - 64 * PAGE)}")
    low = r - 64 * PAGE
    t.op(1, "mmap", low - 300 * PAGE, PAGE, "r", "anon", "private")
    t.phase("touch_into_guard_gap", 1)
    t.raw(f"1 w {hex(low - 60 * PAGE)}")
    t.phase("touch_above_guard_gap", 1)
    t.raw(f"1 w {hex(low - 40 * PAGE)}")


@scenario("the main stack grows by 1 MiB")
def stack_growth(t):
    t.note("the stack of `exec default`: 8 pages below images.default.stack_top; the probe")
    t.note("touches 256 pages from 80 KiB below what it used: here from 20 pages below the top")
    t.raw("1 exec default")
    top = 0x7ffffffff000
    t.phase("grow_1m", 1)
    for i in range(1, 257):
        t.raw(f"1 w {hex(top - (20 + i) * PAGE)}")


@scenario("brk: grow 16 MiB, write, shrink 8 MiB, grow, read")
def brk(t):
    cur = 0x1000000
    t.op(1, "brk", cur)
    t.phase("grow_16m", 1)
    t.op(1, "brk", cur + N * PAGE)
    t.scan("write", 1, "w", cur, N)
    t.phase("shrink_8m", 1)
    t.op(1, "brk", cur + N * PAGE // 2)
    t.phase("regrow_read", 1)
    t.op(1, "brk", cur + N * PAGE)
    t.touch(1, "r", cur + N * PAGE // 2, N // 2)
    t.scan("read_low_half", 1, "r", cur, N // 2)


@scenario("mremap 16 -> 8 MiB")
def mremap_shrink(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.phase("shrink", 1)
    t.op(1, "mremap", A, N * PAGE, N * PAGE // 2, "=", hex(A))
    t.scan("read", 1, "r", A, N // 2)


@scenario("mremap 16 -> 32 MiB in place")
def mremap_grow_in_place(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.phase("grow", 1)
    t.op(1, "mremap", A, N * PAGE, 2 * N * PAGE, "=", hex(A))
    t.scan("read_old", 1, "r", A, N)
    t.scan("write_new", 1, "w", A + N * PAGE, N)


@scenario("mremap 16 -> 32 MiB, MREMAP_MAYMOVE, blocked above")
def mremap_maymove(t):
    anon_region(t)
    t.op(1, "mmap", A + N * PAGE, PAGE, "r", "anon", "private")
    t.op(1, "sigaction", "segv")
    t.touch(1, "w", A, N)
    t.phase("grow_maymove", 1)
    t.op(1, "mremap", A, N * PAGE, 2 * N * PAGE, "maymove", "=", hex(B))
    t.scan("read_moved", 1, "r", B, N)
    t.phase("read_old_address", 1)
    t.raw(f"1 r {hex(A)}")


@scenario("mremap MREMAP_MAYMOVE|MREMAP_FIXED to a new address")
def mremap_fixed(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.phase("move_fixed", 1)
    t.op(1, "mremap", A, N * PAGE, N * PAGE, "maymove", "fixed", hex(A + N * PAGE), "=",
         hex(A + N * PAGE))
    t.scan("read_moved", 1, "r", A + N * PAGE, N)


# ---- mlock ----

@scenario("mlock 4096 fresh pages, write, munlock")
def mlock(t):
    anon_region(t)
    t.phase("mlock", 1)
    t.op(1, "mlock", A, N * PAGE)
    t.scan("write", 1, "w", A, N)
    t.phase("munlock", 1)
    t.op(1, "munlock", A, N * PAGE)


@scenario("read 4096 fresh pages, then mlock them")
def mlock_after_read(t):
    anon_region(t)
    t.touch(1, "r", A, N)
    t.phase("mlock", 1)
    t.op(1, "mlock", A, N * PAGE)


@scenario("mlock2(MLOCK_ONFAULT), write half")
def mlock_onfault(t):
    anon_region(t)
    t.phase("mlock2_onfault", 1)
    t.op(1, "mlock", A, N * PAGE, "onfault")
    t.scan("write_half", 1, "w", A, N // 2)


@scenario("mlockall(MCL_CURRENT), then a new mapping")
def mlockall_current(t):
    anon_region(t)
    t.phase("mlockall_current", 1)
    t.op(1, "mlockall", "current")
    t.phase("mmap_after", 1, region=(B, N))
    anon_region(t, B)
    t.scan("write_region", 1, "w", A, N)


@scenario("mlockall(MCL_FUTURE), then a new mapping")
def mlockall_future(t):
    t.op(1, "mlockall", "future")
    t.phase("mmap", 1)
    anon_region(t)
    t.scan("write", 1, "w", A, N)
    t.phase("munlockall", 1)
    t.op(1, "munlockall")


@scenario("mlockall(MCL_FUTURE|MCL_ONFAULT), a new mapping, write half")
def mlockall_onfault(t):
    t.op(1, "mlockall", "future,onfault")
    t.phase("mmap", 1)
    anon_region(t)
    t.scan("write_half", 1, "w", A, N // 2)


# ---- process creation ----

def spawn(name, what, create):
    def build():
        t = Trace(name, what)
        anon_region(t)
        t.touch(1, "w", A, N)
        t.raw(f"1 {create} 2")
        t.raw("2 exec default")
        t.child_exit()
        t.scan("parent_write", 1, "w", A, N)
        return t
    build.__name__ = name
    return build


@scenario("write 4096 pages, vfork; the child writes them and 1024 new pages, execs; write again")
def vfork_exec(t):
    anon_region(t)
    anon_region(t, B, N // 4)
    t.touch(1, "w", A, N)
    t.phase("child_write", 2)
    t.raw("1 vfork 2")
    t.note("the child runs in its parent's address space: its writes are the parent's pages")
    t.touch(2, "w", A, N)
    t.touch(2, "w", B, N // 4)
    t.raw("2 exec default")
    t.child_exit()
    t.scan("parent_write", 1, "w", A, N)
    t.scan("parent_read_child", 1, "r", B, N // 4)


@scenario("write 4096 pages, posix_spawn /bin/true and wait, write them again")
def posix_spawn(t):
    anon_region(t)
    t.touch(1, "w", A, N)
    t.note("glibc's posix_spawn: clone(CLONE_VM | CLONE_VFORK), then exec in the child")
    t.phase("spawn", 1)
    t.raw("1 vfork 2")
    t.raw("2 exec default")
    t.child_exit()
    t.scan("parent_write", 1, "w", A, N)


fork_exec = spawn("fork_exec", "write 4096 pages, fork + exec /bin/true, write them again",
                  "fork")


# ---- large folios, read(2), threads (issue 16) ----

def folio_read(name, what, chunk):
    def build():
        t = Trace(name, what)
        t.raw(f"file folio {hex(FN * PAGE)}")
        t.note(f"the probe writes the file with {chunk // 1024} KiB write() calls, then fsync")
        for off in range(0, FN * PAGE, chunk):
            t.op(1, "write", "folio", off, chunk)
        t.op(1, "fsync", "folio")
        file_map(t, "r", "private", "folio")
        t.scan("read", 1, "r", F, FN)
        return t
    build.__name__ = name
    return build


folio_read_1m_writes = folio_read("folio_read_1m_writes",
                                  "a 32 MiB file written 1 MiB at a time: read", MIB)
folio_read_4k_writes = folio_read("folio_read_4k_writes",
                                  "a 32 MiB file written 4 KiB at a time: read", PAGE)


def folio_shared_write(name, what, chunk):
    def build():
        t = Trace(name, what)
        pages = FN // 2
        t.raw(f"file folio {hex(pages * PAGE)}")
        for off in range(0, pages * PAGE, chunk):
            t.op(1, "write", "folio", off, chunk)
        t.op(1, "fsync", "folio")
        file_map(t, "rw", "shared", "folio", pages)
        t.scan("write", 1, "w", F, pages)
        return t
    build.__name__ = name
    return build


folio_shared_write_1m = folio_shared_write("folio_shared_write_1m",
                                           "a 16 MiB file written 1 MiB at a time: MAP_SHARED write",
                                           MIB)
folio_shared_write_4k = folio_shared_write("folio_shared_write_4k",
                                           "a 16 MiB file written 4 KiB at a time: MAP_SHARED write",
                                           PAGE)


@scenario("read(2) an uncached 8,000,000-byte file")
def read_syscall_8mb(t):
    size = 8000000
    buf = B
    t.raw(f"file read {hex(size)}")
    t.op(1, "mmap", buf, 64 * 1024, "rw", "anon", "private")
    t.touch(1, "w", buf, 16)
    t.phase("read_all", 1)
    for off in range(0, size, 64 * 1024):
        t.op(1, "read", "read", off, min(64 * 1024, size - off), hex(buf))


@scenario("read(2) the first 4 KiB of an uncached 32 MiB file")
def read_syscall_first_page(t):
    t.raw(f"file read {hex(FN * PAGE)}")
    t.op(1, "mmap", B, PAGE, "rw", "anon", "private")
    t.touch(1, "w", B, 1)
    t.phase("read_4k", 1)
    t.op(1, "read", "read", 0, PAGE, hex(B))


@scenario("4 threads each write 1024 pages of a 16 MiB region")
def threads_write(t):
    anon_region(t)
    for tid in range(2, 6):
        t.op(1, "thread", str(tid))
    for k, tid in enumerate(range(2, 6)):
        t.phase(f"thread{k}_write", tid)
        t.touch(tid, "w", A + k * (N // 4) * PAGE, N // 4)
    t.raw("# phase process_all_writes 1 from thread0_write")
    for tid in range(2, 6):
        t.raw(f"{tid} exit")


SCENARIOS = [
    null, anon_demand_zero, anon_zero_page, fork_cow, mprotect_rw, mprotect_none, madv_dontneed, madv_free,
    madv_free_pageout, madv_free_pressure, madv_cold, madv_pageout_anon, madv_populate_read,
    madv_populate_write, madv_remove_private, madv_dontfork, madv_wipeonfork,
    file_private_read, file_shared_read, file_private_write_stride, file_private_read_write,
    file_shared_write, file_shared_read_write, file_shared_fork, file_readahead, file_willneed,
    file_random, file_sequential, file_pageout, file_dontneed, file_populate, signals,
    shared_anon_fork, memfd, posix_shm, sysv_shm, shmem_remove, shmem_dontneed,
    thp_hugepage_write, thp_nohugepage_write, thp_huge_zero_page, thp_fork, thp_partial_munmap,
    mthp_write, mthp_dontneed_half, mthp_fork,
    mmap_topdown, map_fixed_noreplace, map_populate, map_noreserve, growsdown, stack_growth, brk,
    mremap_shrink, mremap_grow_in_place, mremap_maymove, mremap_fixed,
    mlock, mlock_after_read, mlock_onfault, mlockall_current, mlockall_future, mlockall_onfault,
    fork_exec, vfork_exec, posix_spawn,
    folio_read_1m_writes, folio_read_4k_writes, folio_shared_write_1m, folio_shared_write_4k,
    read_syscall_8mb, read_syscall_first_page, threads_write,
]


def traces():
    """name -> vmt text, in table order."""
    return {f.__name__: f().text() for f in SCENARIOS}
