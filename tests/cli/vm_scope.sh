# vm_scope.sh — global vs local replacement scope, exact counts derived by hand.
#  1. tests/data/vm/scope_scan.vmt, 6 frames, LRU, vm.local_frames = 3: pid 1 writes pages
#     0,1,2 (3 demand-zero), forks pid 2 and waits; pid 2 writes 100 pages of its own and exits;
#     pid 1 reads 0,1,2 again.
#     global: pid 2's 4th fault finds no free frame; the least recently used pages are pid 1's
#     three, swapped out first, then pid 2's own: 103 - 6 = 97 evictions; pid 1's reads are 3
#     swap-ins: 106 faults (pid 1: 6, of which 3 major).
#     local: pid 2 at its 3 frames replaces its own pages (97 evictions, all pid 2's); pid 1's
#     pages stay resident: its reads hit: 103 faults, 0 swap-ins (pid 1: 3).
#  2. Local replacement evicts even while frames are free: 16 frames, local_frames 3, FIFO,
#     pages 0,1,2,3,0: global 4 faults and no eviction; local 3 faults fill the allocation,
#     page 3 replaces page 0, page 0 replaces page 1: 5 faults, 2 evictions, 3 frames used.
#  3. wsclock is a local policy: rejected with global scope; with local scope and a tau longer
#     than the trace every page is in the working set and dirty, so the hand takes the page it
#     points at after clearing the accessed bits: FIFO's counts, 15 and 10 faults on
#     Silberschatz's string with 3 and 4 frames.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
C=tests/data/vm/scope.json
pid_faults() { # dir pid key
	python3 -c 'import json,sys; print([p[sys.argv[3]] for p in json.load(open(sys.argv[1]+"/stats.json"))["processes"] if p["pid"]==int(sys.argv[2])][0])' "$@"
}
for sc in global local; do
	"$VMSIM" run $C --check --quiet -o "$TMP/$sc" --set vm.scope=$sc || fail "$sc exited $?"
done
check_eq "global faults" "$(stat_of "$TMP/global" faults.total)" 106
check_eq "global swap_in" "$(stat_of "$TMP/global" faults.swap_in)" 3
check_eq "global evictions" "$(stat_of "$TMP/global" reclaim.evictions)" 97
check_eq "global pid 1 faults" "$(pid_faults "$TMP/global" 1 faults.total)" 6
check_eq "global pid 1 major" "$(pid_faults "$TMP/global" 1 faults.major)" 3
check_eq "local faults" "$(stat_of "$TMP/local" faults.total)" 103
check_eq "local swap_in" "$(stat_of "$TMP/local" faults.swap_in)" 0
check_eq "local evictions" "$(stat_of "$TMP/local" reclaim.evictions)" 97
check_eq "local pid 1 faults" "$(pid_faults "$TMP/local" 1 faults.total)" 3
check_eq "local pid 2 faults" "$(pid_faults "$TMP/local" 2 faults.total)" 100
for sc in global local; do
	"$VMSIM" run $C --check --quiet -o "$TMP/f-$sc" --set vm.scope=$sc --set memory.frames=16 \
		--set vm.policy=fifo --set workload.format=pages --set workload.path=local5.pages ||
		fail "fifo $sc exited $?"
done
check_eq "global fifo faults/evictions/used" "$(stat_of "$TMP/f-global" faults.total)/$(stat_of "$TMP/f-global" reclaim.evictions)/$(stat_of "$TMP/f-global" memory.frames_used_max)" 4/0/4
check_eq "local fifo faults/evictions/used" "$(stat_of "$TMP/f-local" faults.total)/$(stat_of "$TMP/f-local" reclaim.evictions)/$(stat_of "$TMP/f-local" memory.frames_used_max)" 5/2/3
msg=$("$VMSIM" run tests/data/textbook.json --quiet -o "$TMP/ws-g" --set vm.policy=wsclock 2>&1); rc=$?
check_eq "wsclock global exit status" "$rc" 2
case "$msg" in *vm.policy*wsclock*vm.scope*local*) ok ;; *) fail "message: $msg" ;; esac
for f in 3 4; do
	"$VMSIM" run tests/data/textbook.json --check --quiet -o "$TMP/ws-$f" --set vm.scope=local \
		--set vm.policy=wsclock --set vm.policy_params.tau_refs=1000000 \
		--set memory.frames=$f || fail "wsclock local $f exited $?"
done
check_eq "wsclock local 3 frames" "$(stat_of "$TMP/ws-3" faults.total)" 15
check_eq "wsclock local 4 frames" "$(stat_of "$TMP/ws-4" faults.total)" 10
done_tests
