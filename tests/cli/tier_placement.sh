# tier_placement.sh — memory policies over memory.nodes (docs/vm.md "Memory policies"), counts
# derived by hand. Nodes "fast" (frames 0..299, CPU 0) and "slow" (300..599, link 140 ns); one
# process maps 300 pages, writes each once in order, reads them 4 times (1500 accesses, 5 per
# page; no reclaim unless bound). Local first touch: all on fast. Interleave (the workload's
# mempolicy, or set_mempolicy in the trace): pages alternate, 150 and 150. Preferred slow: all on
# slow. mbind of pages 0..99 to slow: 100 on slow, 200 on fast. Bind to a 100-frame node with
# 300 pages: LRU over 100 frames misses every read (1200 swap-ins), nothing on the other node.
# A set_mempolicy naming a node that does not exist: -EINVAL, counted, nothing changed.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d.get(k, "-")) for k in sys.argv[2:]))' "$@"; }

trace() { # trace FILE [FIRST LINES...]: the lines, then the mapping, the writes and the reads
	local f=$1; shift
	python3 - "$f" "$@" <<'P'
import sys
pages = ["0x%x" % (0x10000000 + i * 4096) for i in range(300)]
L = ["1 mmap 0x10000000 0x12c000 rw anon private"] + sys.argv[2:] + ["1 w " + p for p in pages]
L += ["1 r " + p for _ in range(4) for p in pages]
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
}
config() { # config NAME FAST_FRAMES SLOW_FRAMES [WORKLOAD KEYS]
	cat > "$TMP/$1.json" <<J
{"seed": 1, "vm": {"zero_page": false},
 "memory": {"frames": $(($2 + $3)), "nodes": [{"name": "fast", "frames": $2, "cpus": [0]},
   {"name": "slow", "frames": $3, "link_latency_ps": 140000}]},
 "workload": {"type": "trace", "path": "$TMP/$1.vmt", "format": "vmt"$4}}
J
}
K="node.fast.accesses node.slow.accesses node.fast.frames_used_max node.slow.frames_used_max"
run() { # run NAME WANT [KEYS]
	"$VMSIM" run "$TMP/$1.json" -o "$TMP/r-$1" -q --check || { fail "$1: run failed"; return; }
	check_eq "$1: ${3:-$K}" "$(stats "$TMP/r-$1" ${3:-$K})" "$2"
}

trace "$TMP/local.vmt"; config local 300 300
run local "1500 0 300 0"
check_eq "local: time.access_ps" "$(stats "$TMP/r-local" time.access_ps)" 1500000
trace "$TMP/il.vmt"; config il 300 300 ', "mempolicy": "interleave", "mempolicy_nodes": ["fast", "slow"]'
run il "750 750 150 150"
check_eq "interleave: time.access_ps" "$(stats "$TMP/r-il" time.access_ps)" $((1500000 + 750 * 140000))
trace "$TMP/pref.vmt"; config pref 300 300 ', "mempolicy": "preferred", "mempolicy_nodes": ["slow"]'
run pref "0 1500 0 300"
trace "$TMP/sil.vmt" "1 mempolicy interleave 0x3"; config sil 300 300
run sil "750 750 150 150 1 0" "$K mempolicy.calls mempolicy.einval"
trace "$TMP/mbind.vmt" "1 mempolicy bind 0x2 0x10000000 0x64000"; config mbind 300 300
run mbind "1000 500 200 100 1 0" "$K mempolicy.calls mempolicy.einval"
trace "$TMP/bad.vmt" "1 mempolicy bind 0x4"; config bad 300 300
run bad "1500 0 300 0 1 1" "$K mempolicy.calls mempolicy.einval"
trace "$TMP/bind.vmt"; config bind 300 100 ', "mempolicy": "bind", "mempolicy_nodes": ["slow"]'
run bind "0 1500 0 100 300 1200" "$K faults.demand_zero faults.swap_in"

# vmb carries the operation: text -> vmb -> text is the identity.
"$VMSIM" trace convert "$TMP/mbind.vmt" "$TMP/m.vmb" >/dev/null
"$VMSIM" trace convert "$TMP/m.vmb" "$TMP/m2.vmt" >/dev/null
if cmp -s "$TMP/mbind.vmt" "$TMP/m2.vmt"; then ok; else fail "vmt -> vmb -> vmt is not the identity"; fi

# Bad input.
printf '1 mempolicy often 0x1\n' > "$TMP/e1.vmt"
printf '1 mempolicy bind 0x1 0x1000\n' > "$TMP/e2.vmt"
for e in e1 e2; do
	"$VMSIM" trace info "$TMP/$e.vmt" >/dev/null 2>"$TMP/err"; rc=$?
	if [ $rc -eq 2 ] && grep -q "$e.vmt:1: .*mempolicy" "$TMP/err"; then ok; else fail "$e: rc $rc: $(cat "$TMP/err")"; fi
done
trace "$TMP/e3.vmt"; trace "$TMP/e4.vmt"
config e3 300 300 ', "mempolicy": "bind"'
"$VMSIM" run "$TMP/e3.json" -o "$TMP/r-e3" -q 2>"$TMP/err"; rc=$?
if [ $rc -eq 2 ] && grep -qF 'workload.mempolicy: "bind" needs mempolicy_nodes' "$TMP/err"; then ok; else fail "e3: rc $rc: $(cat "$TMP/err")"; fi
config e4 300 300 ', "mempolicy": "bind", "mempolicy_nodes": ["medium"]'
"$VMSIM" run "$TMP/e4.json" -o "$TMP/r-e4" -q 2>"$TMP/err"; rc=$?
if [ $rc -eq 2 ] && grep -qF 'workload.mempolicy_nodes[0]: expected a name of memory.nodes' "$TMP/err"; then ok; else fail "e4: rc $rc: $(cat "$TMP/err")"; fi
done_tests
