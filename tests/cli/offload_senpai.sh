# offload_senpai.sh — the Senpai-like controller (sim/engine/senpai.c, docs/vm.md): its
# memory.high at every tick, recomputed here from the group's stall totals in timeseries.csv
# with senpai.py's rule (back-off and probe), for a target that makes it back off and one
# that makes it probe.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
cat > "$TMP/sp.json" <<'J'
{"seed": 1, "memory": {"frames": 8000}, "vm": {"policy": "lru"},
 "stats": {"interval_ps": 100000000000},
 "cgroups": {"app": {}},
 "senpai": {"enabled": true, "min_pages": 0, "tick_ps": 100000000000, "pressure_us": 1000},
 "workload": {"type": "zipf", "pages": 6000, "alpha": 0.8, "accesses": 60000,
              "write_fraction": 0.5, "compute_ns": 100000, "cgroup": "app"}}
J
cat > "$TMP/check.py" <<'P'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/timeseries.csv")))
d = json.load(open(sys.argv[1] + "/stats.json"))
TICK, INTERVAL, P = 10**11, 6, int(sys.argv[2]) * 10**6
MAXP, MAXB, CP, CB, LO, HI = 10000, 10**6, 10, 20, 0, 26214400
def adj(num, den, coeff, mx):
    a = num * num * mx // ((den * coeff) ** 2)
    return min(a, mx)
started, n = False, 0
for r in rows[1:]:
    t = int(r["time_ps"])
    if t % TICK or r["processes_live"] == "0":
        continue
    total, high = int(r["cg_app_psi_some_ps"]), int(r["cg_app_high_pages"])
    if not started:
        started, last, integral, grace = True, total, 0, INTERVAL
        limit = max(LO, min(HI, int(r["cg_app_pages"])))
    else:
        integral += total - last; last = total
        if integral > P:
            step = limit * adj(integral, P, CB, MAXB) // 10**6; limit += step
        elif grace:
            grace -= 1; assert high == limit, (t, high, limit); continue
        else:
            step = limit * adj(P, max(integral, 1), CP, MAXP) // 10**6; limit -= step
        limit = max(LO, min(HI, limit)); integral = 0; grace = INTERVAL - 1; n += 1
    assert high == limit, (t, high, limit)
assert (d["cgroup.app.senpai.adjustments"], d["cgroup.app.senpai.high_pages"]) == (n, limit), (n, limit)
print("ok", n, limit)
P
"$VMSIM" run "$TMP/sp.json" -o "$TMP/a" -q --check
python3 "$TMP/check.py" "$TMP/a" 1000 > "$TMP/out" && ok || fail "senpai (back-off) differs from senpai.py's rule: $(cat "$TMP/out")"
"$VMSIM" run "$TMP/sp.json" -o "$TMP/b" -q --check --set senpai.pressure_us=100000
python3 "$TMP/check.py" "$TMP/b" 100000 > "$TMP/out" && ok || fail "senpai (probe) differs from senpai.py's rule: $(cat "$TMP/out")"
# Probing lowers memory.high below the working set: the group swaps.
sw=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/stats.json"))["faults.swap_in"] > 0)' "$TMP/b")
check_eq "probing reclaims" "$sw" "True"
done_tests
