# tier_promotion.sh — vm.tiering.promotion (docs/tiering.md): NUMA hint faults counted, pages
# promoted, the rate limit honoured, for each policy, with counts derived by hand; and two
# properties on a phase-changing Zipf run: the rate limit is never exceeded, the oracle's fast
# tier share is at least every other policy's.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }

# One process maps 400 pages with set_mempolicy preferred = slow, so its 400 writes (demand-zero
# faults) all land on slow; 5 ms of compute; reads of pages 0..399 (round 1); 5 ms of compute;
# reads of pages 0..199 (round 2). The scanner (every 1 ms, 256 MiB a scan) hints every page on
# slow during each compute (top-tier pages are not hinted); 1000 accesses in all.
# Watermarks over 1200 frames: low 2% = 24, high 4% = 48; per node by its frames (600 of
# 1200): low 12, high 24. A promotion needs more free frames on fast than 24 (linux: its high
# watermark) or 12 (tpp, oracle: its low one); fast has 600 free, so room never runs out.
#  linux: round 1: 400 hint faults, all within the hot threshold (1 s): 400 promotions; round 2
#   reads fast pages: no hint fault. fast serves the 400 promoting reads + 200 = 600.
#  linux, rate limit 1 MB/s = 256 pages in any second: round 1 promotes pages 0..255, the other
#   144 are rate limited; round 2 reads pages 0..199, all on fast. fast 256 + 200 = 456.
#  tpp: round 1: 400 first hint faults (no promotion); the second scan hints them again;
#   round 2: 200 second hint faults, 200 promotions. fast 200.
#  oracle: round 1: 400 hint faults; pages 0..199 are read again, 200..399 are not but fast has
#   room: 400 promotions; fast 600.
#  none: the scanner does not run: no hint fault, fast 0.
# faults.minor = 400 demand-zero + the hint faults.
python3 - "$TMP/p.vmt" <<'P'
import sys
pages = ["0x%x" % (0x10000000 + i * 4096) for i in range(400)]
L = ["1 mmap 0x10000000 0x%x rw anon private" % (400 * 4096), "1 mempolicy preferred 0x2"]
L += ["1 w " + p for p in pages] + ["1 compute 5000000"]
L += ["1 r " + p for p in pages] + ["1 compute 5000000"]
L += ["1 r " + p for p in pages[:200]]
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat > "$TMP/p.json" <<J
{"seed": 1, "vm": {"zero_page": false, "reclaim": "watermark",
   "tiering": {"demotion": true, "promotion": "linux", "scan_period_ps": 1000000000}},
 "memory": {"frames": 1200, "nodes": [{"name": "fast", "frames": 600, "cpus": [0]},
   {"name": "slow", "frames": 600, "link_latency_ps": 140000}]},
 "workload": {"type": "trace", "path": "$TMP/p.vmt", "format": "vmt"}}
J
K="tiering.hint_faults tiering.promotions tiering.promotion_rate_limited tiering.promotion_failures node.fast.accesses node.slow.accesses faults.minor tiering.migrated_bytes"
run() { # run NAME WANT [--set ...]
	local name=$1 want=$2; shift 2
	"$VMSIM" run "$TMP/p.json" -o "$TMP/$name" -q --check "$@" || { fail "$name: run failed"; return; }
	check_eq "$name: $K" "$(stats "$TMP/$name" $K)" "$want"
}
run linux "400 400 0 0 600 400 800 $((400 * 4096))"
run limited "400 256 144 0 456 544 800 $((256 * 4096))" --set vm.tiering.promotion_rate_limit_mbps=1
run tpp "600 200 0 0 200 800 1000 $((200 * 4096))" --set vm.tiering.promotion='"tpp"'
run oracle "400 400 0 0 600 400 800 $((400 * 4096))" --set vm.tiering.promotion='"oracle"'
run none "0 0 0 0 0 1000 400 0" --set vm.tiering.promotion='"none"'

# The oracle's future: fast 300 frames of 900 (low 6, high 12, + TPP's headroom 2% = 6: 18).
# Round 1 promotes pages 0..199 (read again) and, while fast has more than 6 free frames,
# pages 200..293 (not read again, but there is room): 294; pages 294..399 are not read again
# and there is no room: left on slow, kswapd not woken. fast 294 + 200 = 494.
# linux on the same run promotes whatever is hot and wakes kswapd when there is no room:
# 466 promotions, 30 failures, 180 demotions, fast 486 (this run's numbers): the oracle's
# share is the higher.
small="--set memory.frames=900 --set memory.nodes[0].frames=300"
run oracle-full "400 294 0 0 494 506 800 $((294 * 4096))" $small --set vm.tiering.promotion='"oracle"'
run linux-full "496 466 0 30 486 514 896 $(((466 + 180) * 4096))" $small

# Properties on a phase-changing Zipf workload (2 phases of 100000 accesses over 2000 pages, the
# second's hot set 1000 pages further), fast tier 25/50/75% of the 2000 pages.
cat > "$TMP/z.json" <<J
{"seed": 1, "vm": {"reclaim": "watermark", "tiering": {"demotion": true, "promotion": "linux",
   "scan_period_ps": 1000000000, "scan_size_mb": 4, "hot_threshold_ps": 1000000000}},
 "memory": {"frames": 3000, "nodes": [{"name": "fast", "frames": 500, "cpus": [0]},
   {"name": "slow", "frames": 2500, "link_latency_ps": 140000}]},
 "workload": {"type": "phases", "write_fraction": 0.3, "compute_ns": 100, "phases": [
   {"pages": 2000, "accesses": 100000, "offset_pages": 0, "distribution": "zipf", "alpha": 0.99},
   {"pages": 2000, "accesses": 100000, "offset_pages": 1000, "distribution": "zipf", "alpha": 0.99}]}}
J
for f in 500 1000 1500; do
	best=0 oracle=0
	for p in none linux tpp oracle; do
		"$VMSIM" run "$TMP/z.json" -o "$TMP/z$f$p" -q --set memory.nodes[0].frames=$f \
			--set memory.nodes[1].frames=$((3000 - f)) --set vm.tiering.promotion="\"$p\""
		hits=$(stats "$TMP/z$f$p" node.fast.accesses)
		if [ $p = oracle ]; then oracle=$hits; elif [ "$hits" -gt $best ]; then best=$hits; fi
	done
	if [ "$oracle" -ge "$best" ] && [ "$best" -gt 0 ]; then ok; else fail "fast $f: oracle $oracle < $best"; fi
done
# The whole run lasts < 1 s, so a limit of 1 MB/s (256 pages) holds it to 256 promotions in all,
# and it binds (pages were rate limited).
"$VMSIM" run "$TMP/z.json" -o "$TMP/zl" -q --set vm.tiering.promotion_rate_limit_mbps=1
read pr rl t <<<"$(stats "$TMP/zl" tiering.promotions tiering.promotion_rate_limited sim.time_ps)"
check_eq "rate limit: promotions, run < 1 s" "$pr $([ "$rl" -gt 0 ] && [ "$t" -lt 1000000000000 ] && echo yes)" "256 yes"

done_tests
