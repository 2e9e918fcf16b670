# mrc_mini.sh — `vmsim mrc --policy P` for any policy by miniature simulations: at rate 1 the
# exact per-size runs (equal to `vmsim run` at every size), at lower rates close to them; every
# trace format read (a vmb gives the pages trace's curve), per process or all together.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
runf() { # runf TRACE FORMAT POLICY FRAMES: faults.total of one `vmsim run`
	cat > "$TMP/r.json" <<JSON
{"memory": {"frames": $4}, "sim": {"timing": false},
 "vm": {"policy": "$3", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "format": "$2", "path": "$1"}}
JSON
	"$VMSIM" run "$TMP/r.json" -q -o "$TMP/r" && stat_of "$TMP/r" faults.total
}
# Silberschatz's string under FIFO at rate 1, every size: the textbook 15 (3 frames) and 10 (4).
"$VMSIM" mrc tests/data/silberschatz.pages --policy fifo --rate 1 --points 6 > "$TMP/fifo.csv" \
	2>/dev/null || fail "mrc fifo exited $?"
check_eq "fifo curve" "$(tail -n +2 "$TMP/fifo.csv" | cut -d, -f1,2 | tr '\n' ' ')" \
	"1,20 2,15 3,15 4,10 5,9 6,6 "
check_eq "fifo lru_error at rate 1" "$(tail -n +2 "$TMP/fifo.csv" | cut -d, -f4 | sort -u)" "0.000000"

# 300,000 references over 3,000 pages: at rate 1 each point is `vmsim run` at that size.
awk 'BEGIN { x = 1; for (i = 0; i < 300000; i++) { x = (x * 48271) % 2147483647;
	p = x % 3000; print int(p * p / 3000) } }' > "$TMP/skew.pages"
for pol in clock arc s3fifo; do
	"$VMSIM" mrc "$TMP/skew.pages" --policy $pol --rate 1 --points 3 > "$TMP/$pol.csv" 2>/dev/null ||
		fail "mrc $pol exited $?"
	while IFS=, read -r frames faults _; do
		check_eq "$pol at $frames frames = vmsim run" "$faults" "$(runf "$TMP/skew.pages" pages $pol $frames)"
	done < <(tail -n +2 "$TMP/$pol.csv")
done
# The same trace as vmb: the same curves (exact and miniature); it used to fail with binary bytes
# in the message.
"$VMSIM" trace convert "$TMP/skew.pages" "$TMP/skew.vmb" >/dev/null || fail "convert"
"$VMSIM" mrc "$TMP/skew.vmb" --policy clock --rate 1 --points 3 > "$TMP/clock-vmb.csv" 2>/dev/null
check_eq "vmb = pages (clock miniatures)" "$(cmp -s "$TMP/clock.csv" "$TMP/clock-vmb.csv" && echo same)" same
"$VMSIM" mrc "$TMP/skew.pages" --policy both > "$TMP/both.csv"
"$VMSIM" mrc "$TMP/skew.vmb" --policy both > "$TMP/both-vmb.csv"
check_eq "vmb = pages (exact lru and opt)" "$(cmp -s "$TMP/both.csv" "$TMP/both-vmb.csv" && echo same)" same

# Processes: a child runs Silberschatz's string, then its parent Belady's (in file order).
cp tests/data/fork-textbook.vmt "$TMP/fork.vmt"
three() { awk -F, '$1 == 3 { print $2 }'; }
check_eq "--pid 2: LRU, 3 frames" "$("$VMSIM" mrc "$TMP/fork.vmt" --pid 2 | three)" 12
check_eq "--pid 1: LRU, 3 frames" "$("$VMSIM" mrc "$TMP/fork.vmt" --pid 1 | three)" 10
check_eq "--pid 2: OPT, 3 frames" "$("$VMSIM" mrc "$TMP/fork.vmt" --pid 2 --policy opt | three)" 9
# together, each process's pages its own: 12 + 10 (the parent's pages are new to LRU)
check_eq "all processes: LRU, 3 frames" "$("$VMSIM" mrc "$TMP/fork.vmt" | three)" 22

# Rate 0.05 on 10^6 references over 10^5 pages (about 5,000 sampled): within 0.01 of the exact
# runs in fault ratio at each of 3 sizes.
awk 'BEGIN { x = 7; for (i = 0; i < 1000000; i++) { x = (x * 48271) % 2147483647;
	p = x % 100000; print int(p * p / 100000) } }' > "$TMP/big.pages"
"$VMSIM" mrc "$TMP/big.pages" --policy clock --rate 0.05 --points 3 > "$TMP/big.csv" 2>"$TMP/big.err" ||
	fail "mrc big exited $?"
while IFS=, read -r frames _ ratio _; do
	exact=$(runf "$TMP/big.pages" pages clock $frames)
	awk -v r="$ratio" -v e="$exact" 'BEGIN { d = r - e / 1000000; exit !(d <= 0.01 && d >= -0.01) }' &&
		ok || fail "clock at $frames: estimate $ratio, exact $exact faults of 10^6"
done < <(tail -n +2 "$TMP/big.csv")
grep -q "error of LRU's miniatures against the exact LRU curve at these 3 sizes: mean" "$TMP/big.err" &&
	ok || fail "the error is reported: $(cat "$TMP/big.err")"
done_tests
