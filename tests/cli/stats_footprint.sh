# stats_footprint.sh — stats.footprint (models/vm/task_mmu.c): each process's address space at
# its exit, counted by hand:
#   pid 1 writes pages 0-3 of a 16-page private region and reads 4-7 (the zero page), forks;
#   the child (pid 2) writes page 8 and reads page 0, exits: it had 9 PTEs (fork copies the 4
#   anonymous and the 4 zero-page PTEs, then 1 demand-zero): anon 5, zero 4, not mlocked
#   (mlock comes after the fork, and fork does not inherit it);
#   pid 1 then mlocks pages 0-1 (the VMA splits there: [0, 2) locked, [2, 16)), maps 4 MiB with
#   MADV_HUGEPAGE and writes its two 2 MiB halves (vm.thp madvise: two huge pages): mapped
#   8 + 1024, anon 4 + 1024, zero 4, thp and large_folio 1024, mlocked and locked_vm 2;
#   a second run writes 96 private pages and 10 shared anonymous ones into 64 frames: 42
#   evictions, all swap-outs of the private pages (written first, so the oldest), so the private
#   VMA holds 54 pages and 42 swap entries, the shared one 10 shmem pages (file_pages), and
#   every frame is mapped (64); cut at 50000 ps (--max-sim-time) the process still runs: its
#   footprint is taken at the end, 49 pages written by then (1000 ps an operation, the mmap's
#   first).
# Without the key, processes[] entries have no footprint.* keys (results unchanged).
VMSIM=$1
source "$(dirname "$0")/lib.sh"

# footprint DIR PID: "mapped anon file zero thp large_folio mlocked locked_vm swap"
footprint() {
	python3 -c 'import json,sys
for p in json.load(open(sys.argv[1]+"/stats.json"))["processes"]:
    if p["pid"] == int(sys.argv[2]):
        print(" ".join(str(p["footprint." + k + "_pages"]) for k in
              ("mapped", "anon", "file", "zero", "thp", "large_folio", "mlocked", "locked_vm", "swap")))' "$1" "$2"
}
# vmas DIR PID: one "START END PERMS MAPPED" per VMA
vmas() {
	python3 -c 'import json,sys
for p in json.load(open(sys.argv[1]+"/stats.json"))["processes"]:
    if p["pid"] == int(sys.argv[2]):
        print(" ".join("%s-%s:%s:%d" % (hex(v["start"]), hex(v["end"]), v["perms"], v["mapped_pages"])
                       for v in p["footprint.vmas"]))' "$1" "$2"
}

{
	echo "1 mmap 0x10000000 0x10000 rw anon private"
	for i in 0 1 2 3; do echo "1 w 0x1000${i}000"; done
	for i in 4 5 6 7; do echo "1 r 0x1000${i}000"; done
	echo "1 fork 2"
	echo "2 w 0x10008000"
	echo "2 r 0x10000000"
	echo "2 exit"
	echo "1 wait 2"
	echo "1 mlock 0x10000000 0x2000"
	echo "1 mmap 0x40000000 0x400000 rw anon private"
	echo "1 madvise 0x40000000 0x400000 hugepage"
	echo "1 w 0x40000000"
	echo "1 w 0x40200000"
} >"$TMP/a.vmt"
cat >"$TMP/a.json" <<EOF
{"memory": {"frames": 4096}, "vm": {"thp": "madvise", "zero_page": true},
 "stats": {"footprint": true}, "sim": {"timing": false},
 "workload": {"type": "trace", "path": "$TMP/a.vmt", "format": "vmt"}}
EOF
"$VMSIM" run "$TMP/a.json" --check --quiet -o "$TMP/a" || fail "run a exited $?"
check_eq "child" "$(footprint "$TMP/a" 2)" "9 5 0 4 0 0 0 0 0"
check_eq "child's VMA" "$(vmas "$TMP/a" 2)" "0x10000000-0x10010000:rw-p:9"
check_eq "parent" "$(footprint "$TMP/a" 1)" "1032 1028 0 4 1024 1024 2 2 0"
check_eq "parent's VMAs" "$(vmas "$TMP/a" 1)" \
	"0x10000000-0x10002000:rw-p:2 0x10002000-0x10010000:rw-p:6 0x40000000-0x40400000:rw-p:1024"

{
	echo "1 mmap 0x10000000 0x60000 rw anon private"
	for i in $(seq 0 95); do printf '1 w 0x%x\n' $((0x10000000 + i * 4096)); done
	echo "1 mmap 0x20000000 0xa000 rw anon shared"
	for i in $(seq 0 9); do printf '1 w 0x%x\n' $((0x20000000 + i * 4096)); done
} >"$TMP/b.vmt"
cat >"$TMP/b.json" <<EOF
{"memory": {"frames": 64, "swap_pages": 1024}, "stats": {"footprint": true},
 "sim": {"timing": false}, "workload": {"type": "trace", "path": "$TMP/b.vmt", "format": "vmt"}}
EOF
"$VMSIM" run "$TMP/b.json" --check --quiet -o "$TMP/b" || fail "run b exited $?"
check_eq "swap-outs" "$(stat_of "$TMP/b" reclaim.swap_out)" 42
check_eq "under pressure" "$(footprint "$TMP/b" 1)" "64 54 10 0 0 0 0 0 42"
check_eq "its VMAs" "$(vmas "$TMP/b" 1)" "0x10000000-0x10060000:rw-p:54 0x20000000-0x2000a000:rw-s:10"
"$VMSIM" run "$TMP/b.json" --quiet --max-sim-time 50000 -o "$TMP/c" || fail "run c exited $?"
check_eq "cut: still running" "$(proc_stat "$TMP/c" 1 status)" running
check_eq "cut: at the end" "$(footprint "$TMP/c" 1)" "49 49 0 0 0 0 0 0 0"

# Off by default: no footprint keys.
sed 's/"stats": {"footprint": true},//' "$TMP/b.json" >"$TMP/off.json"
"$VMSIM" run "$TMP/off.json" --quiet -o "$TMP/off" || fail "run off exited $?"
check_eq "off: keys" "$(grep -c footprint "$TMP/off/stats.json")" 0
done_tests
