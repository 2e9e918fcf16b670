#!/bin/bash
# sweep_basic.sh VMSIM — a textbook sweep through `vmsim sweep`: exact fault counts in
# summary.csv (Silberschatz's reference string: FIFO 15/10, LRU 12/8, OPT 9/8 faults with 3/4
# frames), byte-identical summaries for -j1, -j2, shards + --collect and GNU parallel running
# the --list commands + --collect; a failing point is a row with its error (exit 1); bad sweep
# files exit 2 naming the file and the JSON path.
set -u
VMSIM=$(realpath "$1")
T=$(mktemp -d /tmp/vmsim-sweep-basic.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0 pass=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}

printf '%s\n' 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 > "$T/ref.txt"
cat > "$T/base.json" <<JSON
{"memory": {"frames": 3},
 "vm": {"policy": "fifo", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "path": "$T/ref.txt", "format": "pages"}}
JSON
cat > "$T/s.json" <<'JSON'
{"name": "textbook", "base": "base.json",
 "grid": {"vm.policy": ["fifo", "lru", "opt"], "memory.frames": [3, 4]}}
JSON

"$VMSIM" sweep "$T/s.json" -o "$T/j1" -j 1 2> "$T/j1.err"
check "-j1 exits 0" test $? -eq 0
"$VMSIM" sweep "$T/s.json" -o "$T/j2" -j 2 2> "$T/j2.err"
check "-j2 exits 0" test $? -eq 0
check "-j1 and -j2 summaries are byte-identical" cmp -s "$T/j1/summary.csv" "$T/j2/summary.csv"

# the swept parameters, then faults.total, in point order (policy slowest)
got=$(cut -d, -f1-3 "$T/j1/summary.csv")
want='vm.policy,memory.frames,faults.total
fifo,3,15
fifo,4,10
lru,3,12
lru,4,8
opt,3,9
opt,4,8'
check "textbook fault counts in summary.csv" test "$got" = "$want"
check "every point ok" test "$(grep -c ',ok,,' "$T/j1/summary.csv")" -eq 6
check "point directories named by parameters" test -f "$T/j1/points/vm.policy=lru,memory.frames=4/stats.json"
check "done markers" test "$(ls "$T"/j1/points/*/done | wc -l)" -eq 6

# shards, then collect
"$VMSIM" sweep "$T/s.json" -o "$T/sh" -j 1 --shard 0/2 2> /dev/null
check "shard 0/2 exits 0" test $? -eq 0
check "shard 0/2 writes no summary" test ! -e "$T/sh/summary.csv"
check "shard 0/2 ran every other point" test "$(ls -d "$T"/sh/points/*/done 2>/dev/null | wc -l)" -eq 3
"$VMSIM" sweep "$T/s.json" -o "$T/sh" -j 1 --shard 1/2 2> /dev/null
"$VMSIM" sweep --collect "$T/sh" 2> /dev/null
check "collect after all shards exits 0" test $? -eq 0
check "shards + collect equal the whole run" cmp -s "$T/j1/summary.csv" "$T/sh/summary.csv"

# --list gives self-contained commands; GNU parallel runs them, collect builds the summary
"$VMSIM" sweep "$T/s.json" -o "$T/gp" --list > "$T/cmds.txt"
check "--list prints one command per point" test "$(wc -l < "$T/cmds.txt")" -eq 6
check "--list commands are vmsim run with --set" grep -q "^$VMSIM run $T/base.json --set vm.policy=fifo --set memory.frames=3 -o $T/gp/points/vm.policy=fifo,memory.frames=3 --quiet\$" "$T/cmds.txt"
if command -v parallel > /dev/null; then
	(cd / && parallel --will-cite -j 2 < "$T/cmds.txt")
	check "GNU parallel ran the points" test $? -eq 0
	"$VMSIM" sweep --collect "$T/gp" 2> /dev/null
	check "GNU parallel + collect equals -j" cmp -s "$T/j1/summary.csv" "$T/gp/summary.csv"
else
	echo "FAIL: GNU parallel (Debian package parallel) is not installed" >&2
	fail=$((fail + 1))
fi
# collect before anything ran: rows marked missing, exit 1
"$VMSIM" sweep "$T/s.json" -o "$T/empty" --list > /dev/null
"$VMSIM" sweep --collect "$T/empty" 2> /dev/null
check "collect with nothing run exits 1" test $? -eq 1
check "unrun points are rows marked missing" test "$(grep -c ',missing,,' "$T/empty/summary.csv")" -eq 6

# a failing point is a row with its error; the others still finish
cat > "$T/f.json" <<'JSON'
{"base": "base.json", "grid": {"vm.policy": ["lru", "no-such-policy"]}}
JSON
"$VMSIM" sweep "$T/f.json" -o "$T/f" -j 2 2> "$T/f.err"
check "a failed point makes the sweep exit 1" test $? -eq 1
check "the good point is ok" grep -q '^lru,12,.*,ok,,vm.policy=lru$' "$T/f/summary.csv"
check "the failed point is a row with its message" grep -q '^no-such-policy,,.*,failed,.*no-such-policy.*,vm.policy=no-such-policy$' "$T/f/summary.csv"

# bad sweep files: exit 2, file and JSON path on stderr
bad() { # bad NAME JSON EXPECTED-MESSAGE
	printf '%s\n' "$2" > "$T/$1.json"
	"$VMSIM" sweep "$T/$1.json" -o "$T/bad" 2> "$T/$1.err"
	local rc=$?
	check "$1: exit 2" test $rc -eq 2
	check "$1: message names file and path" grep -qF "$T/$1.json$3" "$T/$1.err"
}
bad zip '{"base": "base.json", "zip": {"a": [1, 2], "b": [3]}}' ': zip["b"]: expected 2 values'
bad grid '{"base": "base.json", "grid": {"memory.frames": 4}}' ': grid["memory.frames"]: expected a non-empty list'
bad nobase '{"base": "nope.json", "grid": {"memory.frames": [4]}}' ': base: cannot open "nope.json"'
bad typo '{"base": "base.json", "grids": {"memory.frames": [4]}}' ': grids: unknown key (did you mean "grid"?)'
bad syntax '{"base": "base.json", "grid": {' ':2:0: '
"$VMSIM" sweep --shard 3/2 "$T/s.json" 2> /dev/null
check "bad --shard exits 2" test $? -eq 2

echo "$pass passed, $fail failed"
test $fail -eq 0
