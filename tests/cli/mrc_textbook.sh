#!/bin/bash
# `vmsim mrc` on the textbook reference strings: the CSV byte for byte (LRU 12/8 and OPT 9/8
# faults with 3/4 frames on Silberschatz's string; LRU 10/8 and OPT 7/6 on Belady's), and the
# same file through --policy lru, opt and both agreeing column by column.
# Usage: bash mrc_textbook.sh /path/to/vmsim.
set -u
VMSIM=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
check() { # name, got, want
	if [ "$2" == "$3" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); printf '%s: got\n%s\nwant\n%s\n' "$1" "$2" "$3" >&2; fi
}

printf '7\n0\n1\n2\n0\n3\n0\n4\n2\n3\n0\n3\n2\n1\n2\n0\n1\n7\n0\n1\n' > "$tmp/sil.txt"
got=$("$VMSIM" mrc "$tmp/sil.txt" --policy both)
check "sil both (rc $?)" "$got" "frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio
1,20,1.000000,20,1.000000
2,17,0.850000,13,0.650000
3,12,0.600000,9,0.450000
4,8,0.400000,8,0.400000
5,7,0.350000,7,0.350000
6,6,0.300000,6,0.300000"

printf '1\n2\n3\n4\n1\n2\n5\n1\n2\n3\n4\n5\n' > "$tmp/belady.txt"
"$VMSIM" mrc "$tmp/belady.txt" --policy lru -o "$tmp/lru.csv"
check "belady lru rc" "$?" 0
"$VMSIM" mrc "$tmp/belady.txt" --policy opt -o "$tmp/opt.csv"
check "belady opt rc" "$?" 0
check "belady lru 3,4" "$(sed -n '4,5p' "$tmp/lru.csv")" "3,10,0.833333
4,8,0.666667"
check "belady opt 3,4" "$(sed -n '4,5p' "$tmp/opt.csv")" "3,7,0.583333
4,6,0.500000"

# A longer deterministic trace: --policy both equals lru and opt run separately.
awk 'BEGIN { x = 12345; for (i = 0; i < 20000; i++) { x = (x * 1103515245 + 12345) % 2147483648;
	print int(x / 65536) % 400 } }' > "$tmp/lcg.txt"
"$VMSIM" mrc "$tmp/lcg.txt" -o "$tmp/l.csv" && "$VMSIM" mrc "$tmp/lcg.txt" --policy opt -o "$tmp/o.csv" &&
	"$VMSIM" mrc "$tmp/lcg.txt" --policy both -o "$tmp/b.csv"
check "lcg rc" "$?" 0
check "lcg rows" "$(wc -l < "$tmp/b.csv")" "401"
check "lcg both = lru + opt" "$(paste -d, "$tmp/l.csv" <(cut -d, -f2,3 "$tmp/o.csv") | tail -n +2)" \
	"$(tail -n +2 "$tmp/b.csv")"
# every size: opt <= lru, and both non-increasing
check "lcg shape" "$(awk -F, 'NR > 2 && ($2 > p2 || $4 > p4) { bad++ } NR > 1 && $4 > $2 { bad++ }
	NR > 1 { p2 = $2; p4 = $4 } END { print bad + 0 }' "$tmp/b.csv")" 0

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
