# tier_nodes.sh — memory.nodes (docs/models.md "Memory nodes"): one node holding every frame is
# today's machine (stats.json byte for byte, the node.* keys aside); two nodes of a stateless
# DRAM and no link are the same times as one; a static placement (first touch fills the free
# list in frame order: the first F0 pages on the fast node) gives node counts and a mean access
# time that are the analytic mix of the nodes' latencies; the default distance matrix; errors.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }
# stats.json without the node.* keys, one key per line
strip_nodes() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); [print(k, json.dumps(v)) for k,v in sorted(d.items()) if not k.startswith("node.") and k not in ("time.link_ps", "time.far_ps")]' "$1"; }

# 1. One node holding all frames, the top-level dram, no link: today's results (timed Zipf with
# reclaim on 2 CPUs; the fork server).
Z='"workload": {"type": "zipf", "pages": 6000, "alpha": 0.9, "permute": true, "accesses": 200000, "write_fraction": 0.3}'
echo "{\"seed\": 3, \"cpus\": 2, \"memory\": {\"frames\": 3000}, $Z}" > "$TMP/z.json"
echo "{\"seed\": 3, \"cpus\": 2, \"memory\": {\"frames\": 3000, \"nodes\": [{\"name\": \"dram0\", \"frames\": 3000, \"cpus\": [0, 1]}]}, $Z}" > "$TMP/z1.json"
"$VMSIM" run "$TMP/z.json" -o "$TMP/a" -q && "$VMSIM" run "$TMP/z1.json" -o "$TMP/b" -q
if [ "$(strip_nodes "$TMP/a")" = "$(strip_nodes "$TMP/b")" ]; then ok; else fail "one node: stats differ from no memory.nodes"; fi
cmp -s "$TMP/a/timeseries.csv" "$TMP/b/timeseries.csv" && ok || fail "one node: timeseries.csv differs"
check_eq "one node serves every access, holds every frame used" \
	"$(stats "$TMP/b" node.dram0.accesses node.dram0.frames_used_max)" \
	"$(stats "$TMP/a" sim.accesses memory.frames_used_max)"
F=configs/workload-fork-server.json
"$VMSIM" run $F -o "$TMP/f" -q && "$VMSIM" run $F -o "$TMP/g" -q \
	--set 'memory.nodes=[{"name": "n0", "frames": 16384}]'
if [ "$(strip_nodes "$TMP/f")" = "$(strip_nodes "$TMP/g")" ]; then ok; else fail "fork server, one node: stats differ"; fi

# 2. Two nodes of a fixed-latency DRAM without a link: the same times as one node; only dram.*
# (the first node's) differs, and the nodes' DRAM counts sum to the one DRAM's.
X='"dram": {"model": "fixed", "fixed_latency_ps": 80000}'
echo "{\"seed\": 3, \"memory\": {\"frames\": 3000}, $X, $Z}" > "$TMP/x.json"
echo "{\"seed\": 3, \"memory\": {\"frames\": 3000, \"nodes\": [{\"name\": \"fast\", \"frames\": 1000}, {\"name\": \"slow\", \"frames\": 2000}]}, $X, $Z}" > "$TMP/x2.json"
"$VMSIM" run "$TMP/x.json" -o "$TMP/x1" -q && "$VMSIM" run "$TMP/x2.json" -o "$TMP/x2" -q
if [ "$(strip_nodes "$TMP/x1" | grep -v '^dram\.')" = "$(strip_nodes "$TMP/x2" | grep -v '^dram\.')" ]; then ok; else fail "two nodes, no link: times differ from one node"; fi
for k in reads writes latency_total_ps; do
	read a b <<<"$(stats "$TMP/x2" node.fast.dram.$k node.slow.dram.$k)"
	check_eq "two nodes: dram.$k summed" "$((a + b))" "$(stats "$TMP/x1" dram.$k)"
done
read acc a b <<<"$(stats "$TMP/x2" sim.accesses node.fast.accesses node.slow.accesses)"
check_eq "two nodes: every access on exactly one" "$((a + b))" "$acc"

# 3. Static placement: 300 pages written once in order (frames 0..299: pages 0..99 on "fast",
# 100..299 on "slow", link 140 ns), then pages 0..299 read 4 times. No reclaim. Accesses: 300
# writes + 1200 reads = 1500; on slow: 200 * 5 = 1000. time.access_ps = 1500 * access_ps (1 ns)
# + 1000 * 140 ns; the mean 1 ns + 2/3 * 140 ns. Zeroing: 64 line writes per page on its node.
python3 - "$TMP/t.vmt" <<'P'
import sys
pages = ["0x%x" % (0x10000000 + i * 4096) for i in range(300)]
L = ["1 mmap 0x10000000 0x12c000 rw anon private"] + ["1 w " + p for p in pages]
L += ["1 r " + p for _ in range(4) for p in pages]
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat > "$TMP/p.json" <<J
{"seed": 1, "vm": {"zero_page": false},
 "memory": {"frames": 400, "nodes": [{"name": "fast", "frames": 100},
   {"name": "slow", "frames": 300, "link_latency_ps": 140000, "dram": {"channels": 1}}]},
 "workload": {"type": "trace", "path": "$TMP/t.vmt", "format": "vmt"}}
J
"$VMSIM" run "$TMP/p.json" -o "$TMP/p" -q --check
check_eq "static placement: accesses fast slow used_fast used_slow" \
	"$(stats "$TMP/p" sim.accesses node.fast.accesses node.slow.accesses node.fast.frames_used_max node.slow.frames_used_max)" \
	"1500 500 1000 100 200"
check_eq "static placement: access_ps link_ps" "$(stats "$TMP/p" time.access_ps time.link_ps)" \
	"$((1500 * 1000 + 1000 * 140000)) $((1000 * 140000))"
check_eq "static placement: zeroing writes on fast slow; reads on slow" \
	"$(stats "$TMP/p" node.fast.dram.writes node.slow.dram.writes node.slow.dram.reads)" "6400 12800 0"
check_eq "dram.* is the first node's" "$(stats "$TMP/p" dram.reads dram.writes)" \
	"$(stats "$TMP/p" node.fast.dram.reads node.fast.dram.writes)"

# 4. The default distance: 10 to itself; else 10 * the target's nominal latency / the source's,
# rounded, at least 11: fast 80 ns, slow 80 + 140 = 220 ns: 28 and 11.
echo "{\"memory\": {\"frames\": 300, \"nodes\": [{\"name\": \"fast\", \"frames\": 100}, {\"name\": \"slow\", \"frames\": 200, \"link_latency_ps\": 140000}]}, $X, $Z}" > "$TMP/d.json"
check_eq "default distance" "$("$VMSIM" run "$TMP/d.json" --dry-run | python3 -c 'import json,sys; print(json.load(sys.stdin)["memory"]["distance"])')" \
	"[[10, 28], [11, 10]]"

# 5. Bad input: exit 2 and the JSON path.
bad() { # bad WHAT SET... : the run fails with exit 2 and stderr holding WHAT
	local what=$1; shift
	"$VMSIM" run "$TMP/d.json" --dry-run "$@" >/dev/null 2>"$TMP/err"; local rc=$?
	if [ $rc -eq 2 ] && grep -qF "$what" "$TMP/err"; then ok; else fail "$what: rc $rc: $(cat "$TMP/err")"; fi
}
bad "memory.nodes: the nodes' frames sum to 300, expected memory.frames (400)" --set memory.frames=400
bad 'memory.nodes[1].name: "fast" names node 0 too' --set 'memory.nodes[1].name="fast"'
bad "memory.nodes[0].cpus[0]: expected a CPU number below cpus (1)" --set 'memory.nodes[0].cpus=[1]'
bad "memory.nodes[1].dram.chanels: unknown key" --set 'memory.nodes[1].dram={"chanels": 1}'
bad "memory.distance[0][1]: expected an integer from 11 to 254" --set 'memory.distance=[[10,10],[11,10]]'
bad "memory.nodes[0].name: expected 1 to 31 letters" --set 'memory.nodes[0].name="a.b"'
bad "memory.nodes: needs sim.timing true" --set sim.timing=false
done_tests
