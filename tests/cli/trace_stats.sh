#!/usr/bin/env bash
# trace_stats.sh VMSIM — `vmsim trace stats` from the command line on Belady's string
# (1 2 3 4 1 2 5 1 2 3 4 5; the numbers are derived in tests/unit/test_trace_stats.c): the
# printed summary, the files of -o (summary.json, the CSVs) and the four PNG plots, and exit 2
# with FILE:LINE on a bad trace, exit 2 on bad usage.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
out=$("$VMSIM" trace stats tests/data/belady.pages --window 4 -o "$TMP/st")
check_eq "exit" $? 0
for want in "accesses: 12" "pages: 5" "  cold (first access): 5" "  2-3: 4" "  4-4: 3" \
	"working set: peak 4 pages in a window of 4 accesses (3 windows)" \
	"pid 1: reads 0, writes 12, fetches 0, pages 5"; do
	if grep -qxF "$want" <<<"$out"; then ok; else fail "summary lacks '$want'"; fi
done
check_eq "popularity.csv" "$(tr '\n' ' ' <"$TMP/st/popularity.csv")" "rank,accesses 1,3 2,3 3,2 4,2 5,2 "
check_eq "mix.csv" "$(tr '\n' ' ' <"$TMP/st/mix.csv")" "pid,reads,writes,fetches,pages 1,0,12,0,5 "
check_eq "summary reuse.cold" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reuse.cold"])' "$TMP/st/summary.json")" 5
for p in reuse popularity wss mix; do
	if [ "$(head -c 4 "$TMP/st/plots/$p.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ]; then ok; else fail "$p.png is not a PNG"; fi
done
check_eq "no temporary file left" "$(ls "$TMP/st" | grep -c '\.tmp$')" 0
# an output that cannot be written (wss.csv.tmp is a directory): exit 1 naming it, and the
# results of the earlier run stay whole (nothing renamed, no temporary file left)
mkdir "$TMP/st/wss.csv.tmp"
"$VMSIM" trace stats tests/data/silberschatz.pages -o "$TMP/st" 2>"$TMP/err" >/dev/null
check_eq "unwritable output exit" $? 1
if grep -qF "$TMP/st/wss.csv.tmp: cannot write" "$TMP/err"; then ok; else fail "message: $(cat "$TMP/err")"; fi
check_eq "earlier popularity.csv kept" "$(tr '\n' ' ' <"$TMP/st/popularity.csv")" "rank,accesses 1,3 2,3 3,2 4,2 5,2 "
check_eq "no other temporary file" "$(ls "$TMP/st" | grep -c '\.tmp$')" 1
printf '1\n2\nx\n' >"$TMP/bad.pages"
"$VMSIM" trace stats "$TMP/bad.pages" 2>"$TMP/err" >/dev/null
check_eq "bad trace exit" $? 2
if grep -qF "$TMP/bad.pages:3:" "$TMP/err"; then ok; else fail "message: $(cat "$TMP/err")"; fi
"$VMSIM" trace stats tests/data/belady.pages --window 0 2>/dev/null >/dev/null
check_eq "bad window exit" $? 2
done_tests
