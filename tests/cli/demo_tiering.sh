# demo_tiering.sh — scripts/demo-tiering --reduced (the fast node at 50% of the working set,
# the four promotion policies, on the phase-changing Zipf workload and the fork server) prints
# exactly tests/data/demo-tiering.golden: the share of accesses served by the fast node, the
# promotions, demotions, hint faults and simulated time of every point. A change to tiering,
# to either workload or to the demo's configs shows here; if it is intended, regenerate the
# golden file (`VMSIM=build/vmsim scripts/demo-tiering /tmp/d --reduced >
# tests/data/demo-tiering.golden`) and say which numbers moved and why in the commit.
# Also checks the demo's ordering on these points: oracle >= tpp, linux > none (fast share).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
if VMSIM=$VMSIM bash scripts/demo-tiering "$TMP/out" --reduced >"$TMP/got" 2>"$TMP/err"; then
	ok
else
	fail "scripts/demo-tiering --reduced failed: $(cat "$TMP/err")"
fi
if diff -u tests/data/demo-tiering.golden "$TMP/got" >"$TMP/diff"; then ok; else
	fail "summary differs from tests/data/demo-tiering.golden:"
	cat "$TMP/diff" >&2
fi
# the pivot rows: WORKLOAD: 50% none linux tpp oracle
for w in zipf fork; do
	read -r none linux tpp oracle <<<"$(awk -v w="$w:" '$1 == w && $2 == "50%" && NF == 6 {print $3, $4, $5, $6}' "$TMP/got")"
	check_eq "$w: oracle >= tpp, tpp >= none, linux > none" \
		"$(python3 -c "print($oracle >= $tpp >= $none and $linux > $none)")" True
done
# vmsim plot on one point: the time series' share panel holds each node's share of every
# interval's accesses, 100 x its increase / the increase of accesses, to two decimals (NaN in
# an interval without accesses), in data columns named after the nodes.
pt=$(ls -d "$TMP"/out/zipf/points/vm.tiering.promotion=tpp,*)
"$VMSIM" plot "$pt" >/dev/null 2>&1 || fail "vmsim plot $pt failed"
check_eq "share_cols of the time series" \
	"$(sed -n "s/^share_cols = '\(.*\)'$/\1/p" "$pt/plots/data/timeseries.vars.gp")" "9 11"
python3 - "$pt/timeseries.csv" >"$TMP/want" <<'P'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
print("fast slow")
for a, b in zip([None] + r, r):
    n = int(b["accesses"]) - (int(a["accesses"]) if a else 0)
    cells = []
    for node in ("fast", "slow"):
        k = "node_%s_accesses" % node
        d = int(b[k]) - (int(a[k]) if a else 0)
        cells.append("%.2f" % (100.0 * d / n) if n else "NaN")
    print(" ".join(cells))
P
awk -F'\t' '{print $9, $11}' "$pt/plots/data/timeseries.dat" >"$TMP/got_share"
if cmp -s "$TMP/want" "$TMP/got_share" && [ "$(wc -l <"$TMP/want")" -gt 10 ]; then ok; else
	fail "share columns differ: $(diff "$TMP/want" "$TMP/got_share" | head -5)"
fi
done_tests
