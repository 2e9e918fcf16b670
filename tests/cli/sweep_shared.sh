# sweep_shared.sh — a sweep decodes a shared trace once (DIR/shared/*.vmb, read by every point
# with --trace-from) and each point's stats.json is byte-identical to a `vmsim run` of the point
# reading the trace itself: vmt (processes, files, fork), oracleGeneral, pages; a grid over
# what the decoding depends on (oracle_access) decodes once per value.
VMSIM=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
same_as_runs() { # same_as_runs NAME BASE_CONFIG SWEEP_DIR: every point = its own vmsim run
	local d id args
	for d in "$3"/points/*/; do
		id=$(basename "$d")
		args=()
		IFS=, read -ra kv <<< "$id"
		for x in "${kv[@]}"; do args+=(--set "$x"); done
		"$VMSIM" run "$2" "${args[@]}" -q -o "$TMP/own-$1-$id" >/dev/null 2>&1 || fail "$1 $id: own run"
		check_eq "$1 $id: stats.json = own run" \
			"$(cmp -s "$d/stats.json" "$TMP/own-$1-$id/stats.json" && echo same)" same
		grep -q -- "--trace-from" "$d/vmsim.log" 2>/dev/null && fail "$1: log mentions the option"
	done
}
cp configs/trace-vmt.json configs/trace-oracle.json "$TMP/"
sed -i "s|\.\./tests|$PWD/tests|" "$TMP/trace-vmt.json" "$TMP/trace-oracle.json"
for c in trace-vmt trace-oracle; do
	cat > "$TMP/$c-sweep.json" <<JSON
{"base": "$c.json", "grid": {"vm.policy": ["lru", "clock"], "memory.frames": [2, 8]}}
JSON
	"$VMSIM" sweep "$TMP/$c-sweep.json" -o "$TMP/$c" -j 2 2> "$TMP/$c.err" || fail "$c sweep exit $?"
	check_eq "$c: decoded once" "$(grep -c 'decoded once to' "$TMP/$c.err")" 1
	check_eq "$c: one shared file" "$(ls "$TMP/$c/shared" | wc -l)" 1
	same_as_runs $c "$TMP/$c.json" "$TMP/$c"
done
# The point's config.json names the trace the config names, not the decoded copy.
check_eq "config.json path" "$(grep -c '/shared/' "$TMP"/trace-vmt/points/*/config.json | grep -vc ':0$')" 0
# oracle_access in the grid: requests read as reads or as writes, two decodings.
cat > "$TMP/o-sweep.json" <<JSON
{"base": "trace-oracle.json", "grid": {"workload.oracle_access": ["read", "write"], "vm.policy": ["fifo", "lru"]}}
JSON
"$VMSIM" sweep "$TMP/o-sweep.json" -o "$TMP/o" -j 1 2> "$TMP/o.err" || fail "oracle_access sweep exit $?"
check_eq "oracle_access: decoded once per value" "$(grep -c 'decoded once to' "$TMP/o.err")" 2
same_as_runs oracle_access "$TMP/trace-oracle.json" "$TMP/o"
# A pages trace, its relative path resolved against the config's folder.
printf '%s\n' 1 2 3 1 2 4 1 5 > "$TMP/t.pages"
cat > "$TMP/p.json" <<JSON
{"memory": {"frames": 3}, "vm": {"policy": "fifo"},
 "workload": {"type": "trace", "path": "t.pages", "format": "pages"}}
JSON
cat > "$TMP/p-sweep.json" <<JSON
{"base": "p.json", "grid": {"memory.frames": [2, 3], "vm.policy": ["fifo", "lru"]}}
JSON
"$VMSIM" sweep "$TMP/p-sweep.json" -o "$TMP/p" -j 1 2> "$TMP/p.err" || fail "pages sweep exit $?"
check_eq "pages: decoded once" "$(grep -c 'decoded once to' "$TMP/p.err")" 1
same_as_runs pages "$TMP/p.json" "$TMP/p"
# --resume reuses the decoded file (it is newer than the trace): no second decoding.
rm -r "$TMP/p/points/memory.frames=2,vm.policy=fifo"
"$VMSIM" sweep "$TMP/p-sweep.json" -o "$TMP/p" -j 1 --resume 2> "$TMP/p2.err" || fail "resume exit $?"
check_eq "resume: no new decoding" "$(grep -c "decoded once to" "$TMP/p2.err")" 0
check_eq "resume: the point ran again" "$(cat "$TMP/p/points/memory.frames=2,vm.policy=fifo/done")" "{\"id\": \"memory.frames=2,vm.policy=fifo\", \"status\": \"ok\"}"
done_tests
