# vm_shm.sh — shmem objects by name (issue 15: memfd_create, POSIX shm_open, SysV shmget/shmat;
# docs/vm.md, docs/traces.md): counts derived by hand from Linux's mm/shmem.c and ipc/shm.c.
# A 64-page object (fault-around 16 pages): the creator writes it (64 demand-zero faults); a
# fork child maps it by name and reads it (64 / 16 = 4 faults: fault-around over its cached
# pages, mapped writable), writes it (0), attaches it as a SysV segment and reads (64: shmat's
# VMA has no map_pages); the parent maps it again after munmap (4: the named object lived on),
# unlinks it (still mapped: a read faults 0 times), unmaps it (it dies: its pages freed), then
# a new object of the same name reads as holes (64 faults, 64 more demand-zero pages); shrunk
# to 32 pages it keeps them (pagecache.pages_now 32 after the exit: named objects outlive
# their mappers). Swappable: 64 pages written in 32 frames (FIFO, on-demand): 32 swap-outs,
# then a read of all 64 swaps each in (64 major) and evicts one (64 more swap-outs: shmem keeps
# no swap cache). SIGBUS past a shrunk object's end. vmt -> vmb -> vmt is the identity. Bad
# lines: exit 2 with FILE:LINE.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d.get(k)) for k in sys.argv[2:]))' "$@"; }
procs() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join("%d:%d:%s" % (p["pid"], p["faults.total"], p["status"]) for p in d["processes"]))' "$1"; }
config() { # config NAME FRAMES [VM-KEYS] (default: fault-around 16 pages)
	printf '{"memory": {"frames": %s}, "vm": {%s}, "sim": {"timing": false}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' \
		"$2" "${3:-\"fault_around_pages\": 16}" "$TMP/$1.vmt" >"$TMP/$1.json"
}

python3 - "$TMP/share.vmt" <<'P'
import sys
P4, A, B = 4096, 0x10000000, 0x20000000
L = []
def scan(pid, k, base, n): L.extend("%d %s 0x%x" % (pid, k, base + i * P4) for i in range(n))
L += ["1 shmem obj 0x40000", "1 mmap 0x%x 0x40000 rw shmem:obj:0x0 shared" % A]
scan(1, "w", A, 64)                                   # 64
L += ["1 fork 2", "2 mmap 0x%x 0x40000 rw shmem:obj:0x0 shared" % A]
scan(2, "r", A, 64)                                   # 4
scan(2, "w", A, 64)                                   # 0
L.append("2 mmap 0x%x 0x40000 rw sysv:obj:0x0 shared" % B)
scan(2, "r", B, 64)                                   # 64
L += ["2 exit", "1 wait 2", "1 munmap 0x%x 0x40000" % A,
      "1 mmap 0x%x 0x40000 r shmem:obj:0x0 shared" % A]
scan(1, "r", A, 64)                                   # 4
L.append("1 unlink obj")
scan(1, "r", A, 64)                                   # 0
L += ["1 munmap 0x%x 0x40000" % A, "1 shmem obj 0x40000",
      "1 mmap 0x%x 0x40000 rw shmem:obj:0x0 shared" % A]
scan(1, "r", A, 64)                                   # 64
L.append("1 shmem obj 0x20000")
scan(1, "r", A, 32)                                   # 0
L.append("1 exit")
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
config share 1024
"$VMSIM" run "$TMP/share.json" -o "$TMP/share" --check --quiet
check_eq "share: exit" "$?" 0
check_eq "share: per process pid:faults:status" "$(procs "$TMP/share")" "1:132:exited 2:68:exited"
check_eq "share: demand_zero fault_around_pages pages_now" \
	"$(stats "$TMP/share" faults.demand_zero pagecache.fault_around_pages pagecache.pages_now)" "128 120 32"

# vmt -> vmb -> vmt keeps every shm line; the vmb runs with the same results.
"$VMSIM" trace convert "$TMP/share.vmt" "$TMP/share.vmb" && "$VMSIM" trace convert "$TMP/share.vmb" "$TMP/back.vmt"
check_eq "share: vmt -> vmb -> vmt" "$(cmp -s "$TMP/share.vmt" "$TMP/back.vmt" && echo same)" same
sed "s|share.vmt|share.vmb|; s|\"vmt\"|\"vmb\"|" "$TMP/share.json" >"$TMP/sharevmb.json"
"$VMSIM" run "$TMP/sharevmb.json" -o "$TMP/sharevmb" --quiet
check_eq "share: vmb stats" "$(cmp -s "$TMP/share/stats.json" "$TMP/sharevmb/stats.json" && echo same)" same

python3 - "$TMP/swap.vmt" <<'P'
import sys
P4, A = 4096, 0x10000000
L = ["1 shmem big 0x40000", "1 mmap 0x%x 0x40000 rw shmem:big:0x0 shared" % A]
L += ["1 w 0x%x" % (A + i * P4) for i in range(64)] + ["1 r 0x%x" % (A + i * P4) for i in range(64)]
open(sys.argv[1], "w").write("\n".join(L) + "\n1 exit\n")
P
config swap 32 '"fault_around_pages": 1, "reclaim": "on-demand", "policy": "fifo"'
"$VMSIM" run "$TMP/swap.json" -o "$TMP/swap" --check --quiet
check_eq "swap: minor major swap_in swap_out" \
	"$(stats "$TMP/swap" faults.minor faults.major faults.swap_in reclaim.swap_out)" "64 64 64 96"

# Shrunk below a mapped page: SIGBUS (BUS_ADRERR), the process dies as Linux kills it.
printf '1 shmem s 0x4000\n1 mmap 0x10000000 0x4000 rw shmem:s:0x0 shared\n1 w 0x10003000\n1 shmem s 0x2000\n1 r 0x10003000\n' >"$TMP/bus.vmt"
config bus 64
"$VMSIM" run "$TMP/bus.json" -o "$TMP/bus" --check --quiet
check_eq "bus: sim.sigbus sim.segfaults" "$(stats "$TMP/bus" sim.sigbus sim.segfaults)" "1 1"

bad() { # bad NAME VMT-TEXT LINE WHAT: exit 2, the message names FILE:LINE and WHAT
	printf '%b' "$2" >"$TMP/$1.vmt"
	config "$1" 64
	msg=$("$VMSIM" run "$TMP/$1.json" -o "$TMP/$1" --quiet 2>&1)
	check_eq "$1: exit" "$?" 2
	check_eq "$1: message ($msg)" "$(echo "$msg" | grep -c "$1.vmt:$3: .*$4")" 1
}
bad never '1 mmap 0x10000 0x1000 rw shmem:x:0 shared\n' 1 "shmem object x was never created"
bad sysvpriv '1 shmem x 0x1000\n1 mmap 0x10000 0x1000 rw sysv:x:0 private\n' 2 "attached shared"
bad unlinkx '1 unlink x\n' 1 "never created"
bad isfile 'file f 0x1000\n1 shmem f 0x1000\n' 2 "f is a file"
bad fileshm '1 shmem f 0x1000\nfile f 0x1000\n1 exit\n' 2 "the name of a shmem object"
bad hugeshm '1 shmem x 0x200000\n1 mmap 0x200000 0x200000 rw shmem:x:0 shared huge\n' 2 "huge only for anon"
bad shmemargs '1 shmem x\n' 1 'expected "PID shmem NAME SIZE_BYTES"'
bad colon '1 shmem a:b 0x1000\n' 1 "may not contain"
done_tests
