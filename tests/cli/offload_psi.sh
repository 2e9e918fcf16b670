# offload_psi.sh — memory pressure stall information (docs/vm.md, "Pressure stall
# information"): the averages in timeseries.csv follow Linux's calc_avgs exactly, recomputed
# here from the stall totals of each 2 s period; one task alone is stalled for all live
# tasks whenever it is stalled (full = some); a group's PSI is the machine's when it holds
# every task.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }
cat > "$TMP/psi.json" <<'J'
{"seed": 1, "memory": {"frames": 1000}, "vm": {"policy": "lru"},
 "stats": {"interval_ps": 2000000000000}, "cgroups": {"a": {}},
 "workload": {"type": "loop", "pages": 1200, "accesses": 40000, "write_fraction": 1,
              "compute_ns": 100000, "cgroup": "a"}}
J
"$VMSIM" run "$TMP/psi.json" -o "$TMP/p" -q --check
python3 - "$TMP/p/timeseries.csv" <<'P' && ok || fail "PSI averages differ from Linux's calc_avgs"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
P, F, E = 2 * 10**12, 2048, [1677, 1981, 2034]   # PSI_FREQ, FIXED_1, EXP_10s/60s/300s
def calc_load(load, exp, active):                 # include/linux/sched/loadavg.h
    n = load * exp + active * (F - exp)
    return (n + (F - 1 if active >= load else 0)) // F
fmt = lambda a: "%d.%02d" % (a >> 11, ((a & (F - 1)) * 100) >> 11)
avg = {k: [0, 0, 0] for k in ("some", "full")}
prev = {"some": 0, "full": 0}
periods = 0
for r in rows[1:]:
    if int(r["time_ps"]) % P:
        continue
    periods += 1
    for k in ("some", "full"):
        tot = int(r["psi_%s_ps" % k])
        pct = (tot - prev[k]) * 100 // P * F
        prev[k] = tot
        avg[k] = [calc_load(avg[k][i], E[i], pct) for i in range(3)]
        got = [r["psi_%s_avg%s" % (k, w)] for w in ("10", "60", "300")]
        assert got == [fmt(a) for a in avg[k]], (r["time_ps"], k, got)
assert periods >= 3 and avg["some"][0] > 0, periods
P
some=$(stats "$TMP/p" psi.memory.some_ps)
check_eq "one task: full = some" "$(stats "$TMP/p" psi.memory.full_ps)" "$some"
check_eq "the only group's PSI is the machine's" "$(stats "$TMP/p" cgroup.a.psi.memory.some_ps)" "$some"
ft=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0]["faults.time_ps"])' "$TMP/p/stats.json")
[ "$some" -gt 0 ] && [ "$some" -le "$ft" ] && ok || fail "stall time $some not within the fault time $ft"
# Two tasks alternating in two groups, only one of which stalls (its loop does not fit its
# memory.max, the other's fits): the machine is never fully stalled.
cat > "$TMP/two.json" <<'J'
{"seed": 1, "memory": {"frames": 2000}, "vm": {"policy": "lru"}, "cpus": 2,
 "cgroups": {"tight": {"memory_max_pages": 500}, "roomy": {}},
 "workloads": [
  {"type": "loop", "pages": 600, "accesses": 20000, "write_fraction": 1, "compute_ns": 1000, "cgroup": "tight"},
  {"type": "loop", "pages": 600, "accesses": 20000, "write_fraction": 1, "compute_ns": 1000, "cgroup": "roomy"}]}
J
"$VMSIM" run "$TMP/two.json" -o "$TMP/t" -q --check
check_eq "roomy never stalls" "$(stats "$TMP/t" cgroup.roomy.psi.memory.some_ps)" "0"
check_eq "tight: full = some" "$(stats "$TMP/t" cgroup.tight.psi.memory.full_ps)" "$(stats "$TMP/t" cgroup.tight.psi.memory.some_ps)"
check_eq "machine some = tight's" "$(stats "$TMP/t" psi.memory.some_ps)" "$(stats "$TMP/t" cgroup.tight.psi.memory.some_ps)"
full=$(stats "$TMP/t" psi.memory.full_ps); some=$(stats "$TMP/t" psi.memory.some_ps)
[ "$full" -lt "$some" ] && ok || fail "machine full $full not below some $some"
done_tests
