#!/bin/bash
# plot_sweep.sh VMSIM — `vmsim plot` on a small sweep and on one run directory: the fault
# curves, latency CDFs and breakdown come out as valid PNG (signature bytes) and SVG (XML with
# an <svg> element); a directory without results, or no gnuplot on PATH, exits 2.
set -u
VMSIM=$(realpath "$1")
T=$(mktemp -d /tmp/vmsim-plot.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0 pass=0
check() {
	if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}
is_png() { test -s "$1" && test "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a; }
is_svg() { test -s "$1" && head -c 200 "$1" | grep -q '<?xml' && grep -q '<svg' "$1"; }

printf '%s\n' 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 > "$T/ref.txt"
cat > "$T/base.json" <<JSON
{"memory": {"frames": 3},
 "vm": {"policy": "fifo", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "path": "$T/ref.txt", "format": "pages"}}
JSON
cat > "$T/s.json" <<'JSON'
{"base": "base.json", "grid": {"vm.policy": ["fifo", "lru", "opt"], "memory.frames": [2, 3, 4]}}
JSON
"$VMSIM" sweep "$T/s.json" -o "$T/sw" -j 2 2> /dev/null
check "sweep exits 0" test $? -eq 0

"$VMSIM" plot "$T/sw" > "$T/plot.out" 2> "$T/plot.err"
check "plot exits 0" test $? -eq 0
check "fault curves PNG" is_png "$T/sw/plots/faults.png"
check "fault curves SVG" is_svg "$T/sw/plots/faults.svg"
check "OPT is the dashed lower bound" grep -q 'opt (lower bound)' "$T/sw/plots/faults.svg"
check "one line per policy" test "$(grep -c '^$' "$T/sw/plots/data/faults.dat")" -eq 4
check "fault data: opt with 2/3/4 frames" test "$(tail -n 3 "$T/sw/plots/data/faults.dat" | cut -d" " -f1,3 | tr "\n" " ")" = "2 13 3 9 4 8 "
for f in "$T"/sw/plots/*.png; do check "$(basename "$f") is a PNG" is_png "$f"; done
for f in "$T"/sw/plots/*.svg; do check "$(basename "$f") is an SVG" is_svg "$f"; done
check "plot lists what it wrote" test "$(wc -l < "$T/plot.out")" -eq "$(ls "$T"/sw/plots/*.png "$T"/sw/plots/*.svg | wc -l)"
if [ -f "$T/sw/points/vm.policy=lru,memory.frames=3/latency_cdf.csv" ]; then
	check "access latency CDF PNG" is_png "$T/sw/plots/ccdf-access-memory.frames=3.png"
	check "access latency CDF SVG" is_svg "$T/sw/plots/ccdf-access-memory.frames=3.svg"
fi

# one run directory
run="$T/sw/points/vm.policy=lru,memory.frames=3"
"$VMSIM" plot "$run" > /dev/null 2> "$T/run.err"
rc=$?
if [ -f "$run/timeseries.csv" ] || [ -f "$run/latency_cdf.csv" ]; then
	check "plot of a run dir exits 0" test $rc -eq 0
	for f in "$run"/plots/*.png; do check "run $(basename "$f") is a PNG" is_png "$f"; done
	for f in "$run"/plots/*.svg; do check "run $(basename "$f") is an SVG" is_svg "$f"; done
fi

"$VMSIM" plot "$T" 2> "$T/none.err"
check "nothing to plot exits 2" test $? -eq 2
check "and says so" grep -q "nothing to plot" "$T/none.err"
PATH=/nonexistent "$VMSIM" plot "$T/sw" 2> "$T/nognu.err"
check "no gnuplot exits 2" test $? -eq 2
check "and names gnuplot" grep -q "gnuplot not found on PATH" "$T/nognu.err"

echo "$pass passed, $fail failed"
test $fail -eq 0
