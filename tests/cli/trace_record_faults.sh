#!/usr/bin/env bash
# trace_record_faults.sh VMSIM — issue 15's end-to-end check: tests/data/record/rec_faults.c
# (brk, mmap with and without MAP_FIXED, munmap, MADV_DONTNEED, mremap, memfd, fork with COW,
# MAP_POPULATE, mlock, SysV shm, sigaction), recorded with scripts/record-trace and replayed
# with the Linux 6.18 preset, faults within 2% of what Linux counted natively on the same
# program (tests/data/record/rec_faults.linux: the golden counts and how they were measured).
# Each phase's faults hang on one recorded call (a brk shrink, munmap, madvise or mremap
# left out moves the total by 3-12%), and the trace's system calls are checked line by line.
# Skipped (exit 0) only when valgrind is not installed.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
needs_valgrind
cc -O1 -static -o "$TMP/rf" tests/data/record/rec_faults.c || fail "compile (static)"
scripts/record-trace -o "$TMP/rf.vmt" --no-ifetch --vmsim "$VMSIM" -- "$TMP/rf" >/dev/null 2>"$TMP/err"
check_eq "record exit" "$?" 0
t="$TMP/rf.vmt"
# The program's own calls, in order (from its sigaction on; addresses and ids normalised,
# munmaps apart: the importer also unmaps what it synthesised where a mapping goes).
got=$(python3 - "$t" <<'PY'
import re, sys
on, prev = False, None
for line in open(sys.argv[1]):
    f = line.split()
    on = on or f[1] == "sigaction"
    if f[1] == "brk" and not on:  # the break the program starts from
        prev = int(f[4], 16)
    if not on or f[1] in ("r", "w", "x", "munmap"):
        continue
    f = [re.sub(r"memfd\.\d+\.\d+", "memfd.P.F", re.sub(r"sysv\.\d+", "sysv.N", x)) for x in f[1:]]
    if f[0] == "brk":
        print("brk %+d = %+d" % (int(f[1], 16) - prev, int(f[3], 16) - prev))
        prev = int(f[3], 16)
        continue
    if (f[0] == "mmap" and f[1] != "0x0") or f[0] in ("mremap", "madvise", "mlock", "munlock"):
        f[1] = "A"
    if f[0] in ("fork", "wait"):
        f[1] = "C"
    if len(f) > 2 and f[-2] == "=":
        f[-1] = "A"
    print(" ".join(f))
PY
)
want="sigaction segv
brk +4194304 = +4194304
brk -2097152 = -2097152
brk +2097152 = +2097152
mmap 0x0 0x1000000 rw anon private hint = A
mmap A 0x800000 rw anon private = A
madvise A 0x400000 dontneed
mremap A 0x800000 0x1000000 maymove = A
shmem memfd.P.F 0x0
shmem memfd.P.F 0x400000
mmap A 0x400000 rw shmem:memfd.P.F:0x0 shared
fork C
wait C
exit
mmap 0x0 0x400000 rw anon private populate hint = A
mmap 0x0 0x100000 rw anon private hint = A
mlock A 0x100000
munlock A 0x100000
shmem sysv.N 0x100000
mmap A 0x100000 rw sysv:sysv.N:0x0 shared
unlink sysv.N
exit"
check_eq "the program's system calls" "$got" "$want"
# the first brk of the process declares the heap (`brk 0x0 = START`)
check_eq "first brk" "$(awk '$2 == "brk" { print $3, $4; exit }' "$t")" "0x0 ="
sv=$(awk '$2 == "mmap" && $6 ~ /^sysv:/ { print $3 }' "$t")
check_eq "munmap of the 8 MiB upper half, shmdt" \
	"$(awk -v a="$sv" '$2 == "mmap" && $3 == a { at = 1 } $2 == "munmap" && ($4 == "0x800000" || (at && $3 == a)) { print $4 }' "$t" | tr '\n' ' ')" \
	"0x800000 0x100000 "
printf '{"extends": "%s/configs/presets/linux-6.18.json", "sim": {"timing": false}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' \
	"$PWD" "$t" >"$TMP/c.json"
"$VMSIM" run "$TMP/c.json" -q -o "$TMP/r" || fail "replay"
parent=$(awk '$2 == "fork" { print $1; exit }' "$t")
child=$(awk '$2 == "fork" { print $3; exit }' "$t")
lin() { awk -v k="$1" '$1 == k { print $2 }' tests/data/record/rec_faults.linux; }
vp=$(proc_stat "$TMP/r" "$parent" faults.minor)
vc=$(proc_stat "$TMP/r" "$child" faults.minor)
within "parent's minor faults" "$vp" "$(lin self)"
within "child's minor faults" "$vc" "$(lin children)"
within "all minor faults" "$((vp + vc))" "$(($(lin self) + $(lin children)))"
echo "vmsim: parent $vp child $vc; Linux: parent $(lin self) child $(lin children)"
check_eq "no unsupported operation" "$(stat_of "$TMP/r" sim.unsupported_operations)" 0
done_tests
