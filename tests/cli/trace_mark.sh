# trace_mark.sh — request marks (`PID mark begin|end ID`) survive vmt -> vmb -> vmt, and
# `vmsim run` times each request from its begin to its end mark: with sim.timing off every
# operation costs sim.untimed_access_ps (1000 ps) and compute its nanoseconds, so request 7
# (a write, compute 5000 ns) takes 1000 + 5 000 000 ps and request 8 (a read) 1000 ps.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
"$VMSIM" trace convert tests/data/traces/mark.vmt "$TMP/m.vmb" || fail "convert to vmb"
"$VMSIM" trace convert "$TMP/m.vmb" "$TMP/m.vmt" || fail "convert back"
if cmp -s tests/data/traces/mark.vmt "$TMP/m.vmt"; then ok; else fail "vmt -> vmb -> vmt differs"; fi
check_eq "info counts marks" "$("$VMSIM" trace info "$TMP/m.vmb" | awk '$1 == "mark:" {print $2}')" 4
printf '{"sim": {"timing": false}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' \
	"$PWD/tests/data/traces/mark.vmt" > "$TMP/c.json"
"$VMSIM" run "$TMP/c.json" -q -o "$TMP/r" || fail "run"
check_eq "requests" "$(stat_of "$TMP/r" latency.request.count)" 2
check_eq "slowest request" "$(stat_of "$TMP/r" latency.request.max_ps)" 5001000
check_eq "fastest request" "$(stat_of "$TMP/r" latency.request.min_ps)" 1000
printf '1 mark middle 3\n' > "$TMP/bad.vmt"
out=$("$VMSIM" trace info "$TMP/bad.vmt" 2>&1); check_eq "bad mark exit" "$?" 2
case "$out" in *"bad.vmt:1"*"expected begin or end"*) ok ;; *) fail "bad mark message: $out" ;; esac
done_tests
