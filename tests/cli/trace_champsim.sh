#!/usr/bin/env bash
# trace_champsim.sh VMSIM — ChampSim traces end to end: two input_instr traces written here
# (one xz, one gzip), run as two processes on two CPUs through a `workloads` list. Trace A:
# 100 records that each store to a new page, then 100 that load from those pages, all with
# ips in one code page; B the same with 50. Counts: accesses = 2 x records (one fetch each)
# + one memory operand each: A 400, B 200; faults with frames to spare: one demand-zero per
# stored page, one zero-page fault for the code page (its first fetch reads it): A 101,
# B 51. Two CPUs finish sooner than one. `trace info` and `--no-instruction-fetches` agree.
set -u
VMSIM=$1
source "$(dirname "$0")/lib.sh"
python3 - "$TMP" <<'PY'
import gzip, lzma, struct, sys
def rec(ip, dst=(0, 0), src=(0, 0, 0, 0)):
    return struct.pack('<QBB2B4B2Q4Q', ip, 0, 0, 0, 0, 0, 0, 0, 0, *dst, *src)
def trace(base, n):
    out = b''.join(rec(0x400000 + 4 * i, dst=(base + 4096 * i, 0)) for i in range(n))
    return out + b''.join(rec(0x400000 + 4 * (n + i), src=(base + 4096 * i + 8, 0, 0, 0))
                          for i in range(n))
open(sys.argv[1] + '/a.champsimtrace.xz', 'wb').write(lzma.compress(trace(0x10000000, 100)))
open(sys.argv[1] + '/b.champsimtrace.gz', 'wb').write(gzip.compress(trace(0x20000000, 50)))
PY
cat >"$TMP/two.json" <<'JSON'
{"cpus": 2, "memory": {"frames": 1024},
 "vm": {"policy": "lru", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
 "workloads": [{"type": "trace", "format": "champsim", "path": "a.champsimtrace.xz"},
               {"type": "trace", "format": "champsim", "path": "b.champsimtrace.gz"}]}
JSON
"$VMSIM" run "$TMP/two.json" -o "$TMP/r2" --quiet
check_eq "run exit" $? 0
check_eq "sim.accesses" "$(stat_of "$TMP/r2" sim.accesses)" 600
check_eq "faults.total" "$(stat_of "$TMP/r2" faults.total)" 152
check_eq "faults.demand_zero" "$(stat_of "$TMP/r2" faults.demand_zero)" 150
check_eq "faults.zero_page" "$(stat_of "$TMP/r2" faults.zero_page)" 2
per=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))
print(" ".join("%d/%d" % (p["sim.accesses"], p["faults.total"]) for p in s["processes"]))' "$TMP/r2/stats.json")
check_eq "per process accesses/faults" "$per" "400/101 200/51"
"$VMSIM" run "$TMP/two.json" -o "$TMP/r1" --quiet --set cpus=1
t1=$(stat_of "$TMP/r1" sim.time_ps) t2=$(stat_of "$TMP/r2" sim.time_ps)
if [ "$t2" -lt "$t1" ]; then ok; else fail "2 CPUs ($t2 ps) not faster than 1 ($t1 ps)"; fi
"$VMSIM" run "$TMP/two.json" -o "$TMP/nx" --quiet \
	--set 'workloads[0].instruction_fetches=false' --set 'workloads[1].instruction_fetches=false'
check_eq "no fetches: accesses" "$(stat_of "$TMP/nx" sim.accesses)" 300
check_eq "no fetches: faults" "$(stat_of "$TMP/nx" faults.total)" 150

info=$("$VMSIM" trace info "$TMP/a.champsimtrace.xz")
for want in "  r: 100" "  w: 100" "  x: 200" "pages_touched: 101"; do
	if grep -qxF "$want" <<<"$info"; then ok; else fail "info lacks '$want'"; fi
done
info=$("$VMSIM" trace info "$TMP/b.champsimtrace.gz" --no-instruction-fetches)
for want in "  r: 50" "  w: 50" "  x: 0" "pages_touched: 50"; do
	if grep -qxF "$want" <<<"$info"; then ok; else fail "info --no-instruction-fetches lacks '$want'"; fi
done
"$VMSIM" trace convert "$TMP/b.champsimtrace.gz" "$TMP/b.vmb" &&
	"$VMSIM" trace info "$TMP/b.vmb" | grep -qxF "  x: 100"
check_eq "convert to vmb" $? 0
head -c 100 "$TMP/a.champsimtrace.xz" >"$TMP/cut.champsimtrace.xz"
"$VMSIM" trace info "$TMP/cut.champsimtrace.xz" 2>"$TMP/err"
check_eq "truncated xz exit" $? 2
if grep -qF "$TMP/cut.champsimtrace.xz: truncated xz data" "$TMP/err"; then ok; else fail "message: $(cat "$TMP/err")"; fi
done_tests
