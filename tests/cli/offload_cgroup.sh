# offload_cgroup.sh — the cgroup v2 memory controller (docs/vm.md, "Memory cgroups"): counts
# derived by hand for a loop of P pages written cyclically by one group (LRU, every access
# faults once the loop does not fit), and the two-group memory.low test under global pressure.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }

# One group, memory.max 300, a loop of 400 pages written 4000 times, 1000 frames: the group
# never holds more than 300 pages, so every access faults (4000), 400 of them first touches
# (3600 swap-ins); the first 300 charges fit, the 3700 others each hit memory.max once.
cat > "$TMP/max.json" <<'J'
{"seed": 1, "memory": {"frames": 1000}, "sim": {"timing": false}, "vm": {"policy": "lru"},
 "cgroups": {"box": {"memory_max_pages": 300}},
 "workload": {"type": "loop", "pages": 400, "accesses": 4000, "write_fraction": 1, "cgroup": "box"}}
J
"$VMSIM" run "$TMP/max.json" -o "$TMP/m1" -q --check
check_eq "memory.max: faults swap_in peak events.max oom" \
	"$(stats "$TMP/m1" faults.total faults.swap_in cgroup.box.peak_pages cgroup.box.events.max cgroup.box.events.oom)" \
	"4000 3600 300 3700 0"
# memory.swap.max 0: the 301st page finds nothing to reclaim (anonymous pages cannot be
# swapped): one max event, an OOM in the group that kills the process after 300 faults.
"$VMSIM" run "$TMP/max.json" -o "$TMP/m2" -q --check --set cgroups.box.swap_max_pages=0
check_eq "swap.max 0: faults peak max oom oom_kill sim.oom_kills" \
	"$(stats "$TMP/m2" faults.total cgroup.box.peak_pages cgroup.box.events.max cgroup.box.events.oom cgroup.box.events.oom_kill sim.oom_kills)" \
	"300 300 1 1 1 1"
# memory.high 300 instead: each charge over it (3700) reclaims one page back to 300 (peak 301);
# reclaim keeps up, so the overage is 0 and nobody is throttled.
"$VMSIM" run "$TMP/max.json" -o "$TMP/m3" -q --check --set cgroups.box.memory_max_pages=-1 \
	--set cgroups.box.memory_high_pages=300
check_eq "memory.high: faults swap_in peak events.high throttle" \
	"$(stats "$TMP/m3" faults.total faults.swap_in cgroup.box.peak_pages cgroup.box.events.high cgroup.box.throttle_ps)" \
	"4000 3600 301 3700 0"
# memory.high 300 with swap.max 0: reclaim cannot keep up; the charge of page k (k = 301..400)
# sleeps calculate_high_delay(k) jiffies (mm/memcontrol.c, HZ 1000), 0 when <= 10.
"$VMSIM" run "$TMP/max.json" -o "$TMP/m4" -q --check --set cgroups.box.memory_max_pages=-1 \
	--set cgroups.box.memory_high_pages=300 --set cgroups.box.swap_max_pages=0 \
	--set workload.accesses=400
want=$(python3 -c '
t = 0
for k in range(301, 401):
    ov = ((k - 300) << 20) // 300
    j = (ov * ov * 1000) >> 34
    j = j * 1 // 64
    t += 0 if j <= 10 else min(j, 2000)
print(t * 10**9)')
check_eq "memory.high throttle (ps)" "$(stats "$TMP/m4" cgroup.box.throttle_ps cgroup.box.events.high)" "$want 100"

# Two groups under global pressure (1000 frames): "prot" loops over 600 pages with
# memory.low 600, "bulk" over 1000 pages; they alternate every 100 operations. Linux's
# documentation: a group within its memory.low is not reclaimed while unprotected groups have
# reclaimable memory. So prot faults only on its 600 first touches and never swaps in, and
# no low event is counted.
cat > "$TMP/low.json" <<'J'
{"seed": 1, "memory": {"frames": 1000}, "sim": {"timing": false, "quantum_ps": 100000},
 "vm": {"policy": "lru"},
 "cgroups": {"prot": {"memory_low_pages": 600}, "bulk": {}},
 "workloads": [
  {"type": "loop", "pages": 600, "accesses": 60000, "write_fraction": 1, "cgroup": "prot"},
  {"type": "loop", "pages": 1000, "accesses": 100000, "write_fraction": 1, "cgroup": "bulk"}]}
J
"$VMSIM" run "$TMP/low.json" -o "$TMP/l1" -q --check
prot=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["processes"][0]; print(p["faults.total"], p["faults.swap_in"])' "$TMP/l1/stats.json")
check_eq "memory.low protects: prot's faults, swap-ins" "$prot" "600 0"
check_eq "memory.low: no low events" "$(stats "$TMP/l1" cgroup.prot.events.low cgroup.bulk.events.low)" "0 0"
# Without the protection prot's pages are reclaimed like bulk's.
"$VMSIM" run "$TMP/low.json" -o "$TMP/l2" -q --set cgroups.prot.memory_low_pages=0
unprot=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["processes"][0]; print(p["faults.swap_in"] > 0)' "$TMP/l2/stats.json")
check_eq "without memory.low prot swaps" "$unprot" "True"
# Both groups within memory.low (600 + 1000 > 1000 frames): low gives way, and every victim
# is a low event of the group it came from.
"$VMSIM" run "$TMP/low.json" -o "$TMP/l3" -q --check --set cgroups.bulk.memory_low_pages=1000
check_eq "all protected: low events = evictions" \
	"$(stats "$TMP/l3" reclaim.evictions)" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(d["cgroup.prot.events.low"] + d["cgroup.bulk.events.low"])' "$TMP/l3")"
# memory.min is never breached: bulk with memory.min 1000 cannot give way; prot at its
# protection gives way (low events) and bulk is never reclaimed.
"$VMSIM" run "$TMP/low.json" -o "$TMP/l4" -q --check --set cgroups.bulk.memory_min_pages=1000
check_eq "memory.min: bulk never gives a victim" "$(stats "$TMP/l4" cgroup.bulk.events.low)" "0"

# Bad input names the path.
"$VMSIM" run "$TMP/max.json" -q --set workload.cgroup=nope 2> "$TMP/err" >/dev/null
check_eq "unknown group: exit status" "$?" "2"
grep -q 'workload.cgroup: no group "nope" in cgroups' "$TMP/err" && ok || fail "unknown group message: $(cat "$TMP/err")"
done_tests
