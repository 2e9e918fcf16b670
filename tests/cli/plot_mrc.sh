#!/bin/bash
# plot_mrc.sh VMSIM — `vmsim plot` on the CSV of `vmsim mrc` (docs/plots.md, docs/mrc.md):
#  - LRU and OPT of the textbook string: the data file holds both ratio columns exactly as
#    the CSV (the values of docs/mrc.md's table);
#  - the SHARDS band: --shards-band 4 writes, per size, the lowest and highest faults of the
#    curves of salts 0..3, each equal to a separate run with --shards-salt S; its plot data is
#    ratio x faults_min / faults and ratio x faults_max / faults;
#  - another policy's miniatures: the points and LRU's error as the CSV has them;
#  - a malformed row is an error naming the file and line (exit 2); band options need --shards.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
T=$TMP
printf '%s\n' 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 > "$T/ref.txt"
"$VMSIM" mrc "$T/ref.txt" --policy both -o "$T/both.csv"
"$VMSIM" plot "$T/both.csv" > "$T/out" 2> "$T/err" || fail "plot of an mrc CSV: $(cat "$T/err")"
check_eq "the plots it wrote" "$(cat "$T/out")" "$T/plots/mrc-both.png
$T/plots/mrc-both.svg"
check_eq "mrc-both.dat" "$(cat "$T/plots/data/mrc-both.dat")" "1 1.000000 1.000000
2 0.850000 0.650000
3 0.600000 0.450000
4 0.400000 0.400000
5 0.350000 0.350000
6 0.300000 0.300000"
grep -q "^kind = 'both'$" "$T/plots/data/mrc-both.vars.gp" && ok || fail "kind both"

# a trace of 3000 references over 400 pages (a fixed LCG: no randomness outside the test)
awk 'BEGIN { x = 12345; for (i = 0; i < 3000; i++) { x = (x * 1103515245 + 12345) % 2147483648; r = x % 1000; print (r < 600 ? r % 40 : r % 400) } }' > "$T/t.pages"
"$VMSIM" mrc "$T/t.pages" --shards 0.25 --shards-head 0 --shards-band 4 -o "$T/band.csv" || fail "mrc --shards-band"
for s in 0 1 2 3; do
	"$VMSIM" mrc "$T/t.pages" --shards 0.25 --shards-head 0 --shards-salt $s -o "$T/salt$s.csv" || fail "mrc --shards-salt $s"
done
"$VMSIM" mrc "$T/t.pages" --shards 0.25 --shards-head 0 -o "$T/plain.csv"
cmp -s "$T/plain.csv" "$T/salt0.csv" && ok || fail "salt 0 is the plain SHARDS sample"
"$VMSIM" plot "$T/band.csv" > /dev/null 2> "$T/err" || fail "plot of a band CSV: $(cat "$T/err")"
python3 - "$T" <<'PY' > "$T/py.out" 2>&1 || fail "band: $(cat "$T/py.out")"
import sys
t = sys.argv[1]
def rows(p):
    return [l.strip().split(",") for l in open(p)][1:]
band = rows(f"{t}/band.csv")
salts = [{int(r[0]): int(r[1]) for r in rows(f"{t}/salt{s}.csv")} for s in range(4)]
assert open(f"{t}/band.csv").readline().strip() == "frames,faults,fault_ratio,faults_min,faults_max"
assert [r[:3] for r in band] == [r[:3] for r in rows(f"{t}/salt0.csv")]
wide = 0
for r in band:
    m = int(r[0])
    # a sample's curve stops at its own estimate of the distinct pages: flat beyond
    v = [c.get(m, c[max(c)]) for c in salts]
    assert (int(r[3]), int(r[4])) == (min(v), max(v)), (r, v)
    wide += int(r[4]) > int(r[3])
assert wide > 30, wide  # the samples differ: a band, not a line
dat = [l.split() for l in open(f"{t}/plots/data/mrc-band.dat")]
assert len(dat) == len(band)
for d, r in zip(dat, band):
    f, ratio, lo, hi = int(r[1]), float(r[2]), int(r[3]), int(r[4])
    assert d == [r[0], "%.6f" % ratio, "%.6f" % (ratio * lo / f), "%.6f" % (ratio * hi / f)], (d, r)
PY

# another policy by miniature simulations: points and LRU's error, as the CSV has them
"$VMSIM" mrc "$T/t.pages" --policy clock --rate 1 --points 5 -o "$T/mini.csv" 2> /dev/null || fail "mrc --policy clock"
"$VMSIM" plot "$T/mini.csv" > /dev/null 2> "$T/err" || fail "plot of a miniatures CSV: $(cat "$T/err")"
check_eq "mrc-mini.dat" "$(cat "$T/plots/data/mrc-mini.dat")" "$(tail -n +2 "$T/mini.csv" | awk -F, '{ print $1, $3, $4 }')"
grep -q "^kind = 'mini'$" "$T/plots/data/mrc-mini.vars.gp" && ok || fail "kind mini"

printf 'frames,faults,fault_ratio\n1,5,0.5\n2,x,0.4\n' > "$T/bad.csv"
"$VMSIM" plot "$T/bad.csv" 2> "$T/err"
check_eq "a malformed row exits 2" $? 2
check_eq "and names the file and line" "$(head -1 "$T/err")" "vmsim plot: $T/bad.csv:3: expected a row of frames,faults,fault_ratio, got \"2,x,0.4\""
"$VMSIM" mrc "$T/t.pages" --shards-band 4 2> "$T/err"
check_eq "--shards-band needs --shards" "$?:$(head -1 "$T/err")" "2:vmsim mrc: --shards-salt and --shards-band need --shards RATE"
"$VMSIM" mrc "$T/t.pages" --shards 0.5 --shards-band 17 2> "$T/err"
check_eq "--shards-band 17 is refused" "$?" 2
done_tests
