# tier_rate_limit.sh — vm.tiering.promotion_rate_limit_mbps (docs/tiering.md): promotions never
# exceed the limit in any window, one second long or longer, with exact counts.
# 1 MB/s = 256 pages of 4 KiB in any second.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }

# A burst across a second boundary, which a fixed one-second window (Linux counts candidates
# per fixed window) would let through and a sliding one does not. One process writes 1200
# pages on the slow node (set_mempolicy preferred), computes until t ~ 0.9 s (the scanner,
# every 1 ms, hints every page on slow), reads pages 0..299 (round 1, t ~ 0.9 s), computes
# 150 ms, reads pages 300..599 (round 2, t ~ 1.05 s), computes 1 s, reads 600..899 (round 3,
# t ~ 2.05 s). Every read is a hint fault on a hot page: the scanner hinted each page once,
# at t ~ 1 ms (a hinted PTE is not hinted again, nor its scan time renewed, as Linux's
# change_pte_range skips PROT_NONE PTEs), so the hot threshold is 10 s here:
#  round 1: the first 256 are promoted, 44 rate limited;
#  round 2: the last 256 promotions were < 1 s ago: all 300 rate limited (a fixed window
#   starting at 1 s would promote 256 more here);
#  round 3: > 1 s after round 1: 256 promoted, 44 rate limited.
# promotions 512, rate limited 388, hint faults 900; fast serves the 512 promoting reads.
python3 - "$TMP/b.vmt" <<'P'
import sys
pg = ["0x%x" % (0x10000000 + i * 4096) for i in range(1200)]
L = ["1 mmap 0x10000000 0x%x rw anon private" % (1200 * 4096), "1 mempolicy preferred 0x2"]
L += ["1 w " + p for p in pg] + ["1 compute 900000000"]
L += ["1 r " + p for p in pg[0:300]] + ["1 compute 150000000"]
L += ["1 r " + p for p in pg[300:600]] + ["1 compute 1000000000"]
L += ["1 r " + p for p in pg[600:900]]
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat >"$TMP/b.json" <<J
{"seed": 1, "vm": {"zero_page": false, "reclaim": "watermark",
   "tiering": {"demotion": true, "promotion": "linux", "scan_period_ps": 1000000000,
               "hot_threshold_ps": 10000000000000, "promotion_rate_limit_mbps": 1}},
 "memory": {"frames": 4000, "nodes": [{"name": "fast", "frames": 2000, "cpus": [0]},
   {"name": "slow", "frames": 2000, "link_latency_ps": 140000}]},
 "workload": {"type": "trace", "path": "$TMP/b.vmt", "format": "vmt"}}
J
K="tiering.promotions tiering.promotion_rate_limited tiering.hint_faults tiering.promotion_failures node.fast.accesses node.slow.accesses"
"$VMSIM" run "$TMP/b.json" -o "$TMP/b" -q --check || fail "burst: run failed"
check_eq "burst across a second: $K" "$(stats "$TMP/b" $K)" "512 388 900 0 512 1588"

# Saturated demand for 3.65 s: a three-phase Zipf workload (2000 pages, the hot set moving
# 1000 pages and back) with 20 us of compute per access, fast 500 frames, sampled every 1 ms.
# For every window (t, t + k s] between samples, k = 1, 2, 3: at most k x 256 promotions, and
# the limit binds (the maximum is exactly k x 256); the whole run (4 one-second windows)
# promotes exactly 1024, for linux and for tpp alike (the oracle is not limited).
cat >"$TMP/z.json" <<J
{"seed": 1, "vm": {"reclaim": "watermark", "tiering": {"demotion": true, "promotion": "linux",
   "scan_period_ps": 1000000000, "scan_size_mb": 4, "promotion_rate_limit_mbps": 1}},
 "memory": {"frames": 3000, "nodes": [{"name": "fast", "frames": 500, "cpus": [0]},
   {"name": "slow", "frames": 2500, "link_latency_ps": 140000}]},
 "stats": {"interval_ps": 1000000000},
 "workload": {"type": "phases", "write_fraction": 0.3, "compute_ns": 20000, "phases": [
   {"pages": 2000, "accesses": 60000, "offset_pages": 0, "distribution": "zipf", "alpha": 0.99},
   {"pages": 2000, "accesses": 60000, "offset_pages": 1000, "distribution": "zipf", "alpha": 0.99},
   {"pages": 2000, "accesses": 60000, "offset_pages": 0, "distribution": "zipf", "alpha": 0.99}]}}
J
windows() { # DIR: total promotions, then the most promotions in any 1, 2, 3 s window
	python3 - "$1" <<'P'
import csv, json, sys
d = sys.argv[1]
rows = [(int(r["time_ps"]), int(r["promotions"])) for r in csv.DictReader(open(d + "/timeseries.csv"))]
out = [json.load(open(d + "/stats.json"))["tiering.promotions"]]
for k in (1, 2, 3):
    best = j = 0
    for i in range(len(rows)):
        while j + 1 < len(rows) and rows[j + 1][0] <= rows[i][0] + k * 10**12:
            j += 1
        best = max(best, rows[j][1] - rows[i][1])
    out.append(best)
print(*out)
P
}
for p in linux tpp; do
	"$VMSIM" run "$TMP/z.json" -o "$TMP/z$p" -q --set vm.tiering.promotion="\"$p\"" ||
		fail "$p: run failed"
	read -r t rl <<<"$(stats "$TMP/z$p" sim.time_ps tiering.promotion_rate_limited)"
	check_eq "$p: run length 3..4 s, rate limit binds" \
		"$([ "$t" -gt 3000000000000 ] && [ "$t" -lt 4000000000000 ] && [ "$rl" -gt 0 ] && echo yes)" yes
	check_eq "$p: promotions, max in 1/2/3 s windows" "$(windows "$TMP/z$p")" "1024 256 512 768"
done
done_tests
