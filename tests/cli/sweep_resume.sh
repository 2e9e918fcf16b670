#!/bin/bash
# sweep_resume.sh VMSIM — kill a sweep midway (the whole process group with SIGKILL, like a
# power cut), then --resume: no point is lost and no finished point runs twice (every point
# run is counted by a wrapper given as VMSIM_SWEEP_EXE), and the summary equals an
# uninterrupted sweep's byte for byte. Then Ctrl-C (SIGINT) mid-sweep: exit 130, resume again.
set -u
VMSIM=$(realpath "$1")
T=$(mktemp -d /tmp/vmsim-sweep-resume.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0 pass=0
check() {
	if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}

printf '%s\n' 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 > "$T/ref.txt"
cat > "$T/base.json" <<JSON
{"memory": {"frames": 3},
 "vm": {"policy": "fifo", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "path": "$T/ref.txt", "format": "pages"}}
JSON
cat > "$T/s.json" <<'JSON'
{"base": "base.json", "grid": {"vm.policy": ["fifo", "lru"], "memory.frames": [1, 2, 3, 4, 5]}}
JSON
# the wrapper logs each point it starts (by its -o directory), pauses so that the sweep can
# be caught midway, then runs the point
cat > "$T/wrap.sh" <<EOF2
#!/bin/bash
for a in "\$@"; do last=\$prev; prev=\$a; [ "\$last" = -o ] && echo "\$a" >> "$T/runs.log"; done
sleep 0.3
exec "$VMSIM" "\$@"
EOF2
chmod +x "$T/wrap.sh"
export VMSIM_SWEEP_EXE=$T/wrap.sh

"$VMSIM" sweep "$T/s.json" -o "$T/ref" -j 2 2> /dev/null
check "reference sweep exits 0" test $? -eq 0
: > "$T/runs.log"

# start in its own process group; kill everything once some points are done
setsid "$VMSIM" sweep "$T/s.json" -o "$T/k" -j 2 2> /dev/null &
pid=$!
for _ in $(seq 1 1200); do
	n=$(ls "$T"/k/points/*/done 2> /dev/null | wc -l)
	[ "$n" -ge 3 ] && break
	sleep 0.05
done
kill -KILL -- -"$pid" 2> /dev/null
wait "$pid" 2> /dev/null
# Finished points: those with the sweep's marker, and those whose run completed (a complete
# stats.json) just before the kill, before the sweep could write the marker.
done_before=$(cd "$T/k/points" && for p in */; do
	p=${p%/}
	if [ -e "$p/done" ] || grep -qs '"sim.complete": 1' "$p/stats.json"; then echo "$p"; fi
done | sort)
nb=$(printf '%s\n' "$done_before" | grep -c .)
check "killed midway (some but not all points done: $nb)" test "$nb" -ge 1 -a "$nb" -lt 10
check "no summary from a killed sweep" test ! -e "$T/k/summary.csv"

"$VMSIM" sweep "$T/s.json" -o "$T/k" -j 2 --resume 2> "$T/resume.err"
check "resume exits 0" test $? -eq 0
check "resume reports the skipped points" grep -q "sweep: $nb points already complete" "$T/resume.err"
check "resumed summary equals the uninterrupted one" cmp -s "$T/ref/summary.csv" "$T/k/summary.csv"
check "every point done after resume" test "$(ls "$T"/k/points/*/done | wc -l)" -eq 10
# points finished before the kill ran exactly once; every point ran at least once
for p in $done_before; do
	c=$(grep -c "/points/$p\$" "$T/runs.log")
	check "finished point $p ran once (ran $c)" test "$c" -eq 1
done
for d in "$T"/k/points/*/; do
	p=$(basename "$d")
	check "point $p ran" grep -q "/points/$p\$" "$T/runs.log"
done
# a second resume runs nothing
: > "$T/runs.log"
"$VMSIM" sweep "$T/s.json" -o "$T/k" -j 2 --resume 2> /dev/null
check "a complete sweep resumes without running anything" test ! -s "$T/runs.log"
check "and the same summary" cmp -s "$T/ref/summary.csv" "$T/k/summary.csv"

# Ctrl-C: SIGINT to the sweep stops it with 130, keeps finished points, resume completes
"$VMSIM" sweep "$T/s.json" -o "$T/c" -j 1 2> /dev/null &
pid=$!
for _ in $(seq 1 1200); do
	[ "$(ls "$T"/c/points/*/done 2> /dev/null | wc -l)" -ge 1 ] && break
	sleep 0.05
done
kill -INT "$pid"
wait "$pid"
check "SIGINT exits 130" test $? -eq 130
"$VMSIM" sweep "$T/s.json" -o "$T/c" -j 2 --resume 2> /dev/null
check "resume after SIGINT equals the reference" cmp -s "$T/ref/summary.csv" "$T/c/summary.csv"

echo "$pass passed, $fail failed"
test $fail -eq 0
