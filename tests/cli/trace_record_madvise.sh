#!/usr/bin/env bash
# trace_record_madvise.sh VMSIM — issue 15's end-to-end check, second program:
# tests/data/record/rec_madvise.c (MADV_FREE, COLD, POPULATE_READ/WRITE, REMOVE, DONTFORK,
# WIPEONFORK, HUGEPAGE, NOHUGEPAGE, SEQUENTIAL, RANDOM, WILLNEED, PAGEOUT; mlockall
# MCL_FUTURE; MAP_NORESERVE; POSIX shm; mremap MREMAP_FIXED; stack growth), recorded with
# scripts/record-trace and replayed with the Linux 6.18 preset (zero page off, as the kernel
# it was measured on: tests/data/record/rec_madvise.linux), faults within 2% of Linux's; the
# trace's system calls are checked line by line. Skipped (exit 0) only without valgrind.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
needs_valgrind
cc -O1 -static -o "$TMP/rm" tests/data/record/rec_madvise.c || fail "compile (static)"
scripts/record-trace -o "$TMP/rm.vmt" --no-ifetch --vmsim "$VMSIM" -- "$TMP/rm" "$TMP/data" >/dev/null 2>"$TMP/err"
check_eq "record exit" "$?" 0
t="$TMP/rm.vmt"
# the program's calls from its first madvise on (addresses, ids and the data file normalised)
got=$(awk -v data="$TMP/data" '
	$2 == "madvise" { on = 1 }
	!on || $2 ~ /^(r|w|x|munmap|read|write)$/ { next }
	{
		sub(/memfd\.[0-9]+\.[0-9]+/, "memfd.P.F")
		gsub(data, "DATA")
		if ($2 == "fork" || $2 == "wait") $3 = "C"
		if ($2 == "madvise" || $2 == "mremap" || ($2 == "mmap" && $3 != "0x0")) $3 = "A"
		if ($2 == "mremap") $8 = "B"
		if ($(NF - 1) == "=") $NF = "A"
		if ($1 != "file") {
			$1 = ""
			$0 = substr($0, 2)
		}
		print
	}' "$t")
want="madvise A 0x800000 free
madvise A 0x800000 cold
mmap 0x0 0x400000 rw anon private hint = A
mmap 0x0 0x400000 rw anon private hint = A
madvise A 0x400000 populate_read
madvise A 0x400000 populate_write
shmem memfd.P.F 0x0
shmem memfd.P.F 0x400000
mmap A 0x400000 rw shmem:memfd.P.F:0x0 shared
madvise A 0x400000 remove
mmap 0x0 0x400000 rw anon private hint = A
mmap 0x0 0x400000 rw anon private hint = A
madvise A 0x400000 dontfork
madvise A 0x400000 wipeonfork
fork C
wait C
exit
mmap 0x0 0xa00000 rw anon private hint = A
madvise A 0x800000 hugepage
mmap 0x0 0x400000 rw anon private hint = A
madvise A 0x400000 nohugepage
file DATA 0x0
file DATA 0x0
mmap 0x0 0x400000 r file:DATA:0x0 private hint = A
madvise A 0x100000 sequential
madvise A 0x100000 random
madvise A 0x200000 willneed
madvise A 0x400000 pageout
mlockall future
mmap 0x0 0x400000 rw anon private hint = A
munlockall
mmap 0x0 0x400000 rw anon private hint noreserve = A
shmem rec_madvise 0x0
shmem rec_madvise 0x400000
mmap A 0x400000 rw shmem:rec_madvise:0x0 shared
mmap A 0x400000 r shmem:rec_madvise:0x0 shared
unlink rec_madvise
mmap 0x0 0x400000 rw anon private hint = A
mmap 0x0 0x400000 none anon private hint = A
mremap A 0x400000 0x400000 maymove fixed B = A
exit"
check_eq "the program's system calls" "$got" "$want"
printf '{"extends": "%s/configs/presets/linux-6.18.json", "vm": {"zero_page": false}, "sim": {"timing": false}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' \
	"$PWD" "$t" >"$TMP/c.json"
"$VMSIM" run "$TMP/c.json" -q -o "$TMP/r" || fail "replay"
parent=$(awk '$2 == "fork" { print $1; exit }' "$t")
child=$(awk '$2 == "fork" { print $3; exit }' "$t")
lin() { awk -v k="$1" '$1 == k { print $2 }' tests/data/record/rec_madvise.linux; }
vp=$(proc_stat "$TMP/r" "$parent" faults.minor)
vc=$(proc_stat "$TMP/r" "$child" faults.minor)
within "parent's minor faults" "$vp" "$(lin self)"
within "child's minor faults" "$vc" "$(lin children)"
echo "vmsim: parent $vp child $vc; Linux: parent $(lin self) child $(lin children)"
check_eq "no unsupported operation" "$(stat_of "$TMP/r" sim.unsupported_operations)" 0
done_tests
