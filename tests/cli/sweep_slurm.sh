#!/bin/bash
# sweep_slurm.sh VMSIM — scripts/slurm-sweep.sh run as the tasks of a 3-task job array would
# run it (the SLURM_* variables Slurm sets), then --collect: the summary equals `-j 2`'s.
set -u
VMSIM=$(realpath "$1")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/vmsim-sweep-slurm.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0 pass=0
check() {
	if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}
printf '%s\n' 1 2 3 4 1 2 5 1 2 3 4 5 > "$T/belady.txt"
cat > "$T/s.json" <<JSON
{"name": "belady", "base": {"memory": {"frames": 3},
  "vm": {"policy": "fifo", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
  "workload": {"type": "trace", "path": "$T/belady.txt", "format": "pages"}},
 "grid": {"vm.policy": ["fifo", "lru"], "memory.frames": [3, 4]}}
JSON
"$VMSIM" sweep "$T/s.json" -o "$T/whole" -j 2 2> /dev/null
check "whole sweep exits 0" test $? -eq 0
# Belady's anomaly: FIFO faults 9 times with 3 frames and 10 times with 4; LRU 10 and 8
check "Belady's anomaly in the summary" test "$(cut -d, -f1-3 "$T/whole/summary.csv" | tr '\n' ' ')" = "vm.policy,memory.frames,faults.total fifo,3,9 fifo,4,10 lru,3,10 lru,4,8 "
for i in 0 1 2; do
	SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=0 SLURM_CPUS_PER_TASK=1 \
		VMSIM=$VMSIM bash "$SRC/scripts/slurm-sweep.sh" "$T/s.json" "$T/arr" 2> /dev/null
	check "array task $i exits 0" test $? -eq 0
done
"$VMSIM" sweep --collect "$T/arr" 2> /dev/null
check "collect exits 0" test $? -eq 0
check "job array + collect equals the whole sweep" cmp -s "$T/whole/summary.csv" "$T/arr/summary.csv"
check "inline base written beside the results" test -f "$T/arr/base.json"
bash "$SRC/scripts/slurm-sweep.sh" "$T/s.json" "$T/x" 2> /dev/null
check "outside a job array the script refuses" test $? -ne 0
echo "$pass passed, $fail failed"
test $fail -eq 0
