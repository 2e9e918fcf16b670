# tier_demotion.sh — vm.tiering.demotion (docs/tiering.md): reclaim on the fast node moves its
# LRU victim to the slow node instead of swapping it; only the lowest tier swaps; migration
# costs a copy through both nodes' DRAM; per-node kswapd; bad input.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }

# 350 pages written once in order, then pages 0..49 read. fast: 100 frames (CPU 0's node),
# slow: 200 frames, link 140 ns, a fixed 80 ns DRAM. Pages 0..99 land on fast, 100..299 on slow
# (fallback by distance). Pages 300..349 find no free frame: direct reclaim on fast (the node
# the allocation wants) takes fast's LRU page (0, 1, ..., 49) and demotes it; slow has no free
# frame, so slow first reclaims its own LRU page (100, ..., 149: swapped out, the lowest tier).
# 50 demotions, 50 swap-outs, no failure, no swap-in (pages 0..49 are read on slow).
# Node accesses: fast = 100 + 50 writes, slow = 200 writes + 50 reads.
# A copy fast -> slow: every line read on fast (80 ns), written on slow once it arrived
# (80 ns), plus slow's link (140 ns): 300 ns; 50 copies in the faults: time.migrate_ps 15 us.
python3 - "$TMP/d.vmt" <<'P'
import sys
pages = ["0x%x" % (0x10000000 + i * 4096) for i in range(350)]
L = ["1 mmap 0x10000000 0x%x rw anon private" % (350 * 4096)] + ["1 w " + p for p in pages]
L += ["1 r " + p for p in pages[:50]]
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat > "$TMP/d.json" <<J
{"seed": 1, "vm": {"zero_page": false, "tiering": {"demotion": true}},
 "dram": {"model": "fixed", "fixed_latency_ps": 80000},
 "memory": {"frames": 300, "nodes": [{"name": "fast", "frames": 100},
   {"name": "slow", "frames": 200, "link_latency_ps": 140000}]},
 "workload": {"type": "trace", "path": "$TMP/d.vmt", "format": "vmt"}}
J
"$VMSIM" run "$TMP/d.json" -o "$TMP/d" -q --check
check_eq "demotion: demotions failures migrated_bytes swap_out swap_in" \
	"$(stats "$TMP/d" tiering.demotions tiering.migration_failures tiering.migrated_bytes reclaim.swap_out faults.swap_in)" \
	"50 0 $((50 * 4096)) 50 0"
check_eq "demotion: accesses fast slow (sum = sim.accesses 400)" \
	"$(stats "$TMP/d" node.fast.accesses node.slow.accesses sim.accesses)" "150 250 400"
check_eq "demotion: time.migrate_ps = 50 copies of 300 ns" "$(stats "$TMP/d" time.migrate_ps)" "15000000"
check_eq "demotion: the copies' reads on fast (64 lines each) are in its DRAM count" \
	"$(stats "$TMP/d" node.slow.dram.reads)" "0"
# far time: every slow access costs access_ps (1 ns) + the link (140 ns)
check_eq "demotion: time.far_ps" "$(stats "$TMP/d" time.far_ps)" "$((250 * 141000))"

# timeseries.csv: per-node columns; the last row holds the final counts.
check_eq "timeseries: tier columns" "$(head -1 "$TMP/d/timeseries.csv" | cut -d, -f12-)" \
	"node_fast_accesses,node_fast_frames_used,node_slow_accesses,node_slow_frames_used,demotions,promotions,hint_faults"
check_eq "timeseries: last row" "$(tail -1 "$TMP/d/timeseries.csv" | cut -d, -f12-)" "150,0,250,0,50,0,0"

# Without demotion the same run swaps: global LRU evicts pages 0..49 (50 swap-outs), the reads
# of 0..49 swap them in (50), each evicting one more (100 swap-outs in all).
"$VMSIM" run "$TMP/d.json" -o "$TMP/n" -q --check --set vm.tiering.demotion=false
check_eq "no demotion: swap_out swap_in" "$(stats "$TMP/n" reclaim.swap_out faults.swap_in)" "100 50"

# One node (no lower tier): demotion changes nothing (the lowest tier swaps).
Z='"workload": {"type": "zipf", "pages": 6000, "alpha": 0.9, "permute": true, "accesses": 100000, "write_fraction": 0.3}'
echo "{\"seed\": 3, \"cpus\": 2, \"memory\": {\"frames\": 3000, \"nodes\": [{\"name\": \"n0\", \"frames\": 3000, \"cpus\": [0, 1]}]}, $Z}" > "$TMP/z1.json"
strip() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); [print(k, json.dumps(v)) for k,v in sorted(d.items()) if not k.startswith("tiering.") and k != "time.migrate_ps"]' "$1"; }
"$VMSIM" run "$TMP/z1.json" -o "$TMP/z1" -q && "$VMSIM" run "$TMP/z1.json" -o "$TMP/z2" -q --check --set vm.tiering.demotion=true
if [ "$(strip "$TMP/z1")" = "$(strip "$TMP/z2")" ]; then ok; else fail "one node: demotion changed the results"; fi

# kswapd per node (vm.reclaim watermark, low 10% high 20%: fast 10/20 frames, slow 20/40):
# the fast node's kswapd demotes, the slow node's swaps. Counts from this run (deterministic),
# with the identities that must hold: every demotion copied one page; accesses sum up.
# (294 demotions until kswapd stopped submitting each swap write twice, issue 17: its writes
# finish sooner and it runs at other times.)
"$VMSIM" run "$TMP/d.json" -o "$TMP/w" -q --check --set vm.reclaim='"watermark"' \
	--set vm.watermark_low_pct=10 --set vm.watermark_high_pct=20
read dem mb fa sa acc <<<"$(stats "$TMP/w" tiering.demotions tiering.migrated_bytes node.fast.accesses node.slow.accesses sim.accesses)"
check_eq "kswapd: migrated_bytes = demotions pages" "$mb" "$((dem * 4096))"
check_eq "kswapd: accesses sum" "$((fa + sa))" "$acc"
check_eq "kswapd: demotions failures swap_out kswapd_wakeups" \
	"$(stats "$TMP/w" tiering.demotions tiering.migration_failures reclaim.swap_out reclaim.kswapd_wakeups)" \
	"293 21 155 85"

# Bad input: exit 2 with the key.
bad() {
	local what=$1; shift
	"$VMSIM" run "$TMP/d.json" --dry-run "$@" >/dev/null 2>"$TMP/err"; local rc=$?
	if [ $rc -eq 2 ] && grep -qF "$what" "$TMP/err"; then ok; else fail "$what: rc $rc: $(cat "$TMP/err")"; fi
}
"$VMSIM" run "$TMP/d.json" -q -o "$TMP/e" --set vm.scope='"local"' 2>"$TMP/err"
check_eq "local scope refused" "$? $(cat "$TMP/err")" "2 vmsim: $TMP/d.json: vm.tiering.demotion: needs vm.scope \"global\" (per-node LRUs)"
echo '{"memory": {"frames": 100}, "vm": {"tiering": {"demotion": true}}, "workload": {"type": "zipf", "pages": 10, "accesses": 10}}' > "$TMP/b.json"
"$VMSIM" run "$TMP/b.json" -q -o "$TMP/e" 2>"$TMP/err"
check_eq "no memory.nodes refused" "$? $(cat "$TMP/err")" "2 vmsim: $TMP/b.json: vm.tiering.demotion: needs memory.nodes"
bad "vm.tiering.demotion: expected true or false" --set 'vm.tiering.demotion=1'
bad "vm.tiering.demotoin: unknown key" --set 'vm.tiering.demotoin=true'
done_tests
