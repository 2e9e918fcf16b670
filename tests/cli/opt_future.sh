# opt_future.sh — OPT's future: kept in memory or streamed through a temporary file, the same
# results, equal to the exact OPT curve of `vmsim mrc` at that size; a future per process for
# workloads that fork; --max-rss honoured while the future is built.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
# 300,000 references over 3,000 pages (MINSTD, squared for skew): 5 chunks of the future.
awk 'BEGIN { x = 1; for (i = 0; i < 300000; i++) { x = (x * 48271) % 2147483647;
	p = x % 3000; print int(p * p / 3000) } }' > "$TMP/skew.pages"
cat > "$TMP/skew.json" <<JSON
{"memory": {"frames": 500}, "sim": {"timing": false},
 "vm": {"policy": "opt", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "format": "pages", "path": "skew.pages"}}
JSON
for where in memory file auto; do
	"$VMSIM" run "$TMP/skew.json" -q -o "$TMP/skew-$where" --opt-future $where ||
		fail "run --opt-future $where exited $?"
done
check_eq "memory and file futures: the same stats.json" \
	"$(cmp -s "$TMP/skew-memory/stats.json" "$TMP/skew-file/stats.json" && echo same)" same
check_eq "memory and auto futures: the same stats.json" \
	"$(cmp -s "$TMP/skew-memory/stats.json" "$TMP/skew-auto/stats.json" && echo same)" same
check_eq "run.json opt_future (file)" \
	"$(grep -o '"opt_future": "[a-z]*"' "$TMP/skew-file/run.json")" '"opt_future": "file"'
check_eq "run.json opt_future (auto, small)" \
	"$(grep -o '"opt_future": "[a-z]*"' "$TMP/skew-auto/run.json")" '"opt_future": "memory"'
# The exact OPT curve (one pass, mrc.c) at 500 frames gives the same count.
want=$("$VMSIM" mrc "$TMP/skew.pages" --policy opt --max-frames 500 | awk -F, '$1 == 500 { print $2 }')
check_eq "opt faults = mrc's exact OPT at 500 frames" "$(stat_of "$TMP/skew-file" faults.total)" "$want"
# run.json's wall time includes the setup (OPT's future is built in it).
awk -F'[:,]' '/"setup_seconds"/ { s = $2 } /"wall_seconds"/ { w = $2 }
	END { exit !(s > 0 && w >= s) }' "$TMP/skew-file/run.json" &&
	ok || fail "run.json: setup_seconds > 0 and wall_seconds >= setup_seconds"

# A workload that forks: the child runs Silberschatz's string while its parent waits, then the
# parent runs Belady's. Each process's future is its own; with 3 frames OPT faults 9 + 7 times
# (LRU 12 + 10), the textbook counts.
cp tests/data/fork-textbook.vmt "$TMP/fork.vmt"
cat > "$TMP/fork.json" <<JSON
{"memory": {"frames": 3},
 "vm": {"policy": "opt", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "format": "vmt", "path": "fork.vmt"}}
JSON
for pol in opt lru; do
	"$VMSIM" run "$TMP/fork.json" --check -q -o "$TMP/fork-$pol" --set vm.policy=$pol ||
		fail "fork run $pol exited $?"
done
check_eq "fork: opt faults" "$(stat_of "$TMP/fork-opt" faults.total)" 16
check_eq "fork: lru faults" "$(stat_of "$TMP/fork-lru" faults.total)" 22
for where in memory file; do
	"$VMSIM" run "$TMP/fork.json" -q -o "$TMP/fork-$where" --opt-future $where || fail "fork $where"
done
check_eq "fork: memory and file futures agree" \
	"$(cmp -s "$TMP/fork-memory/stats.json" "$TMP/fork-file/stats.json" && echo same)" same
# --max-rss during the setup: a budget below what vmsim has resident at all stops the run
# before the first access, with exit status 1 and no results.
out=$("$VMSIM" run "$TMP/skew.json" -o "$TMP/rss" --max-rss 1 2>&1 >/dev/null)
check_eq "--max-rss 1 exit status" "$?" 1
case "$out" in *"stopped during the setup: vmsim's resident memory passed --max-rss 1 MiB"*) ok ;;
*) fail "--max-rss 1: message '$out'" ;; esac
[ -e "$TMP/rss" ] && fail "--max-rss 1: left a results directory" || ok
done_tests
