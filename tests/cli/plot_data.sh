#!/bin/bash
# plot_data.sh VMSIM — the data files `vmsim plot` draws, asserted exactly (docs/plots.md):
#  - fault curves of the textbook string (Silberschatz 7,0,1,2,0,3,...) under FIFO, LRU and OPT
#    at 2, 3, 4 frames: the textbook counts, bytes = frames x 4096, faults / OPT's;
#  - a sweep with three seeds: mean and 95% CI = t(0.975, 2) s / sqrt(3), t = 4.302652729749464
#    (the Student t table), recomputed here from each point's stats.json;
#  - ten policies: small multiples of at most eight series, OPT in each panel in style 8, the
#    styles of a panel distinct, and style.gp's eight linetypes distinct in colour, dash and
#    marker;
#  - the breakdown has a column for every time.*_ps key of stats.json (access, switch and
#    shootdown included) with the value scaled exactly; the percentage form is drawn;
#  - the CCDF is 1 - the CDF of latency_cdf.csv; the time series names its interval;
#  - the redraw command in a vars file works from another directory.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
T=$TMP
printf '%s\n' 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 > "$T/ref.txt"
cat > "$T/base.json" <<JSON
{"memory": {"frames": 3},
 "vm": {"policy": "fifo", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "path": "$T/ref.txt", "format": "pages"}}
JSON
echo '{"name": "textbook", "base": "base.json", "grid": {"vm.policy": ["fifo", "lru", "opt"], "memory.frames": [2, 3, 4]}}' > "$T/s.json"
"$VMSIM" sweep "$T/s.json" -o "$T/sw" -j 2 > /dev/null 2>&1
"$VMSIM" plot "$T/sw" > /dev/null 2> "$T/err" || fail "plot of the textbook sweep: $(cat "$T/err")"
want='# frames bytes faults_mean faults_ci95 seeds faults_per_opt
# fifo
2 8192 15 0 1 1.153846
3 12288 15 0 1 1.666667
4 16384 10 0 1 1.250000


# lru
2 8192 17 0 1 1.307692
3 12288 12 0 1 1.333333
4 16384 8 0 1 1.000000


# opt
2 8192 13 0 1 1.000000
3 12288 9 0 1 1.000000
4 16384 8 0 1 1.000000'
check_eq "faults.dat of the textbook sweep" "$(cat "$T/sw/plots/data/faults.dat")" "$want"
for f in faults faults-log faults-vs-opt breakdown breakdown-pct; do
	[ -s "$T/sw/plots/$f.png" ] && ok || fail "$f.png not drawn"
done
check_eq "the title names the sweep and the workload" \
	"$(grep '^plottitle' "$T/sw/plots/data/faults.vars.gp")" \
	"plottitle = 'Page faults vs memory size: textbook (trace ref.txt)'"
check_eq "OPT in style 8" "$(grep '^panel1_' "$T/sw/plots/data/faults.vars.gp" | tr '\n' ' ')" \
	"panel1_blocks = '1 2 3' panel1_styles = '1 2 8' "

# several seeds: mean and Student t 95% CI, recomputed from the points
cat > "$T/zb.json" <<'JSON'
{"memory": {"frames": 8}, "vm": {"policy": "fifo"},
 "workload": {"type": "zipf", "pages": 64, "alpha": 0.8, "accesses": 2000}}
JSON
echo '{"base": "zb.json", "grid": {"vm.policy": ["fifo", "lru"], "memory.frames": [8, 16], "seed": [1, 2, 3]}}' > "$T/z.json"
"$VMSIM" sweep "$T/z.json" -o "$T/zw" -j 2 > /dev/null 2>&1
"$VMSIM" plot "$T/zw" > /dev/null 2> "$T/err" || fail "plot of the seeds sweep: $(cat "$T/err")"
python3 - "$T/zw" <<'PY' > "$T/ci.out" 2>&1 || fail "seeds CI: $(cat "$T/ci.out")"
import json, math, sys
d = sys.argv[1]
T975_DF2 = 4.302652729749464  # Student t, 0.975 quantile, 2 degrees of freedom
want = {}
for pol in ("fifo", "lru"):
    for fr in (8, 16):
        v = [json.load(open(f"{d}/points/vm.policy={pol},memory.frames={fr},seed={s}/stats.json"))["faults.total"] for s in (1, 2, 3)]
        m = sum(v) / 3
        sd = math.sqrt(sum((x - m) ** 2 for x in v) / 2)
        want[(pol, fr)] = (m, T975_DF2 * sd / math.sqrt(3))
blocks = open(f"{d}/plots/data/faults.dat").read().split("\n\n\n")
assert len(blocks) == 2, blocks
for pol, blk in zip(("fifo", "lru"), blocks):
    rows = [l.split() for l in blk.splitlines() if l and not l.startswith("#")]
    assert [int(r[0]) for r in rows] == [8, 16], rows
    for r in rows:
        m, ci = want[(pol, int(r[0]))]
        assert int(r[1]) == int(r[0]) * 4096, r
        assert abs(float(r[2]) - m) <= 1e-9 * m, (r, m)
        assert abs(float(r[3]) - ci) <= 1e-8 * ci and ci > 0, (r, ci)
        assert r[4] == "3", r
vars_ = open(f"{d}/plots/data/faults.vars.gp").read()
assert "subtitle = 'mean of 3 seeds, band: 95% CI (Student t)'" in vars_, vars_
assert "band = 1" in vars_ and "refname = 'lru'" in open(f"{d}/plots/data/faults-vs-lru.vars.gp").read()
PY
[ -s "$T/zw/plots/faults-vs-lru.png" ] && ok || fail "faults-vs-lru.png not drawn"
check_eq "one CCDF figure per size, not per seed" \
	"$(cd "$T/zw/plots" && ls ccdf-fault-*.png | tr '\n' ' ')" \
	"ccdf-fault-memory.frames=16.png ccdf-fault-memory.frames=8.png "

# ten policies: small multiples, at most eight series a panel, styles distinct in a panel
echo '{"base": "base.json", "grid": {"vm.policy": ["fifo", "lru", "clock", "random", "lfu", "nru", "aging", "2q", "sieve", "opt"], "memory.frames": [3, 4]}}' > "$T/p.json"
"$VMSIM" sweep "$T/p.json" -o "$T/pw" -j 2 > /dev/null 2>&1
"$VMSIM" plot "$T/pw" > /dev/null 2> "$T/err" || fail "plot of ten policies: $(cat "$T/err")"
check_eq "two panels of nine policies and OPT" \
	"$(grep -E '^(npanels|panel)' "$T/pw/plots/data/faults.vars.gp" | tr '\n' ' ')" \
	"panel1_blocks = '1 2 3 4 5 10' panel1_styles = '1 2 3 4 5 8' panel2_blocks = '6 7 8 9 10' panel2_styles = '1 2 3 4 8' npanels = 2 "
python3 - "$(dirname "$0")/../../scripts/plot/style.gp" <<'PY' > "$T/st.out" 2>&1 || fail "style.gp: $(cat "$T/st.out")"
import re, sys
lt = {}
for l in open(sys.argv[1]):
    m = re.match(r"set linetype (\d+) lc rgb '(#\w+)' lw \S+ dt (\S+) pt (\d+)", l)
    if m:
        lt[int(m.group(1))] = m.groups()[1:]
assert sorted(lt) == list(range(1, 9)), lt
for i in range(3):
    vals = [v[i] for v in lt.values()]
    assert len(set(vals)) == 8, ("linetypes share a", ["colour", "dash", "marker"][i], vals)
PY

# breakdown: every time.*_ps key, values exact (ms: the unit for about 1 s in total)
run="$T/sw/points/vm.policy=lru,memory.frames=3"
python3 - "$run" "$T/sw/plots/data/breakdown.dat" "$T/sw/plots/data/breakdown.vars.gp" <<'PY' > "$T/bd.out" 2>&1 || fail "breakdown: $(cat "$T/bd.out")"
import json, sys
st = json.load(open(sys.argv[1] + "/stats.json"))
keys = sorted(k for k in st if k.startswith("time.") and k.endswith("_ps"))
for k in ("time.access_ps", "time.switch_ps", "time.shootdown_ps"):
    assert k in keys, k
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert rows[0] == ["x", "group", "bar", "total"] + [k[5:-3].replace("_", " ") for k in keys], rows[0]
unit = dict(l.split(" = ", 1) for l in open(sys.argv[3]) if " = " in l)["unit"].strip("'\n")
scale = {"s": 1e12, "ms": 1e9, "\u00b5s": 1e6, "ns": 1e3, "ps": 1}[unit]
row = [r for r in rows[1:] if r[1] == "3" and r[2] == "lru"]
assert len(row) == 1, rows
assert row[0][0] == "5", row  # groups 2 (x 0..2), gap at 3, group 3 from 4: fifo 4, lru 5
for k, v in zip(keys, row[0][4:]):
    assert float(v) == float("%.6g" % (st[k] / scale)), (k, v, st[k])
assert float(row[0][3]) == float("%.6g" % (sum(st[k] for k in keys) / scale)), row
PY
check_eq "breakdown groups on the top axis" \
	"$(grep '^group_tics' "$T/sw/plots/data/breakdown.vars.gp")" \
	"group_tics = '\"2\" 1.0, \"3\" 5.0, \"4\" 9.0'"

# CCDF = 1 - CDF, exactly (nine decimals)
python3 - "$run/latency_cdf.csv" "$T/sw/plots/data/ccdf-fault-memory.frames=3.dat" <<'PY' > "$T/cc.out" 2>&1 || fail "ccdf: $(cat "$T/cc.out")"
import sys
from decimal import Decimal
cdf = [l.strip().split(",") for l in open(sys.argv[1]) if l.startswith("fault,")]
want = [(Decimal(v) / 1000, 1 - Decimal(f)) for _, v, f in cdf if Decimal(f) < 1]
blocks = open(sys.argv[2]).read().split("\n\n\n")
lru = [tuple(Decimal(x) for x in l.split()) for l in blocks[1].splitlines() if l]
assert lru == want, (lru, want)
PY

# time series: the interval in the axis label
"$VMSIM" plot "$run" > /dev/null 2> "$T/err" || fail "plot of a run: $(cat "$T/err")"
grep -q '^interval = .1 ms.$' "$run/plots/data/timeseries.vars.gp" && ok || fail "interval not 1 ms"
grep -q 'faults per 1 ms' "$run/plots/timeseries.svg" && ok || fail "no 'faults per 1 ms' label"

# the redraw command of a vars file, from another directory
cmd=$(sed -n '1s/^# written by vmsim plot; run: //p' "$T/sw/plots/data/faults-log.vars.gp")
rm "$T/sw/plots/faults-log.png"
mkdir "$T/elsewhere"
(cd "$T/elsewhere" && eval "$cmd" 2> "$T/redraw.err") || fail "redraw: $(cat "$T/redraw.err")"
[ -s "$T/sw/plots/faults-log.png" ] && ok || fail "redraw from another directory drew nothing"
done_tests
