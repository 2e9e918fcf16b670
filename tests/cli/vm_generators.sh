# vm_generators.sh — the workload generators through the whole VM layer (issue 6):
#  1. mmap-scan: two scanners of a file twice the size of memory (512 pages, 256 frames, FIFO,
#     one pass each, sim.timing off so the second scans after the first). The counts equal
#     those of the same scans written as a vmt trace and derived by hand in vm_file.sh
#     (section 2): with readahead 15 and fault-around 16, 66 major and 126 minor faults,
#     958 pages read ahead, 768 clean pages dropped; with both off, 1024 major faults.
#  2. fork-server: COW faults in proportion to the written fraction. Each of the 16 workers
#     writes n = 100 requests x 32 reads x f heap pages drawn uniformly from H = 4096 shared
#     pages; its first write to a page copies it, so it makes H (1 - e^(-n/H)) COW faults in
#     expectation: 11620, 21190 and 35500 in all for f = 0.25, 0.5, 1. The simulated counts must
#     be within 2% (sampling noise is ~0.5%), every COW fault a copy, and f = 0 none.
#  3. a real program recorded with scripts/record-trace replays with exactly the accesses that
#     `vmsim trace info` counts in the recording.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
scan() { # out readahead fault_around
	"$VMSIM" run configs/workload-mmap-scan.json -q --check -o "$TMP/$1" --set memory.frames=256 \
		--set workload.file_pages=512 --set workload.processes=2 --set workload.passes=1 \
		--set vm.policy=fifo --set vm.readahead_pages=$2 --set vm.fault_around_pages=$3 \
		--set sim.timing=false || fail "mmap-scan run $1"
}
scan ra 15 16
check_eq "scan major" "$(stat_of "$TMP/ra" faults.major)" 66
check_eq "scan minor" "$(stat_of "$TMP/ra" faults.minor)" 126
check_eq "scan readahead" "$(stat_of "$TMP/ra" readahead.pages)" 958
check_eq "scan drops" "$(stat_of "$TMP/ra" reclaim.file_drops)" 768
scan plain 0 0
check_eq "plain scan major" "$(stat_of "$TMP/plain" faults.major)" 1024
check_eq "plain scan minor" "$(stat_of "$TMP/plain" faults.minor)" 0

for f in 0 0.25 0.5 1; do
	"$VMSIM" run configs/demo-fork-server.json -q --check=1000 -o "$TMP/fs$f" \
		--set workload.write_fraction=$f --set workload.heap_distribution=uniform \
		--set memory.frames=16384 --set sim.timing=false || fail "fork-server f=$f"
	cow=$(stat_of "$TMP/fs$f" faults.cow)
	check_eq "f=$f every COW fault copies" "$(stat_of "$TMP/fs$f" faults.cow_copies)" "$cow"
	check_eq "f=$f forks" "$(stat_of "$TMP/fs$f" sim.forks)" 16
	if [ "$f" = 0 ]; then
		check_eq "f=0 COW faults" "$cow" 0
		continue
	fi
	python3 - "$f" "$cow" <<'PY' && ok || fail "f=$f: $cow COW faults, not within 2% of the expectation"
import math, sys
f, cow = float(sys.argv[1]), int(sys.argv[2])
H, n = 4096, 100 * round(32 * f)
want = 16 * H * (1 - math.exp(-n / H))
sys.exit(0 if abs(cow - want) <= 0.02 * want else 1)
PY
done

# Without compute ops the single-process generators fill batches by a fast path: the stream
# must end exactly where the op-by-op path ends (accesses x repeat), then the process exits.
for g in seq uniform zipf hotcold phases loop; do
	"$VMSIM" run "configs/workload-$g.json" --set workload.compute_ns=0 -q -o "$TMP/nc-$g" ||
		fail "$g without compute ops"
	"$VMSIM" run "configs/workload-$g.json" -q -o "$TMP/c-$g" || fail "$g"
	check_eq "$g: accesses without compute ops" "$(stat_of "$TMP/nc-$g" sim.accesses)" \
		"$(stat_of "$TMP/c-$g" sim.accesses)"
	check_eq "$g: exits" "$(stat_of "$TMP/nc-$g" sim.exits)" 1
done
# phases: 4 phases of 200000 + 200000 + 30000 + 200000 accesses, repeated twice
check_eq "phases: accesses x repeat" "$(stat_of "$TMP/nc-phases" sim.accesses)" 1260000

if command -v valgrind >/dev/null; then
	scripts/record-trace -o "$TMP/ls.vmb" -- ls / >/dev/null 2>&1 || fail "record-trace"
	want=$("$VMSIM" trace info "$TMP/ls.vmb" | awk '$1 == "accesses:" {print $2}')
	printf '{"memory": {"frames": 64}, "vm": {"policy": "clock"}, "workload": {"type": "trace", "format": "vmb", "path": "%s"}}\n' \
		"$TMP/ls.vmb" > "$TMP/ls.json"
	"$VMSIM" run "$TMP/ls.json" -q --check=5000 -o "$TMP/ls" || fail "replay of the recording"
	check_eq "replayed accesses" "$(stat_of "$TMP/ls" sim.accesses)" "$want"
	check_eq "replay complete" "$(stat_of "$TMP/ls" sim.complete)" 1
else
	echo "skipped: valgrind not installed (record-trace part)"
fi
done_tests
