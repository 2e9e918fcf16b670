# interrupt.sh — SIGINT and SIGTERM during `vmsim run` stop it cleanly: exit 1, stats.json with
# "sim.complete": 0, run.json status "interrupted"; the budgets --max-sim-time (status
# "max-time", exit 0) and --max-rss (status "max-rss", exit 1) stop it the same way.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
runjson_status() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/run.json"))["status"])' "$1"; }
# A run far too long to finish: interrupted once it is inside the run loop (the temporary
# time series exists only after the signal handlers are installed).
for sig in INT TERM; do
	out="$TMP/out-$sig"
	"$VMSIM" run configs/workload-zipf.json -o "$out" --quiet \
		--set workload.accesses=1000000000000 2>"$TMP/err-$sig" &
	pid=$!
	for _ in $(seq 1 200); do
		[ -e "$out/.timeseries.csv.tmp" ] && break
		sleep 0.05
	done
	sleep 0.5
	kill -$sig $pid
	wait $pid
	rc=$?
	check_eq "SIG$sig exit status" "$rc" 1
	check_eq "SIG$sig sim.complete" "$(stat_of "$out" sim.complete)" 0
	check_eq "SIG$sig run.json status" "$(runjson_status "$out")" interrupted
	[ "$(stat_of "$out" sim.accesses)" -gt 0 ] && ok || fail "SIG$sig: no accesses simulated"
	grep -q "interrupted: $out/stats.json holds partial results" "$TMP/err-$sig" && ok ||
		fail "SIG$sig message: $(cat "$TMP/err-$sig")"
	[ -e "$out/.timeseries.csv.tmp" ] && fail "SIG$sig left a temporary file" || ok
done
# --max-sim-time: 1 ms of simulated time, far less than the zipf run of 10^6 accesses needs
out="$TMP/out-time"
"$VMSIM" run configs/workload-zipf.json -o "$out" --quiet --max-sim-time 1000000000
check_eq "--max-sim-time exit status" "$?" 0
check_eq "--max-sim-time run.json status" "$(runjson_status "$out")" max-time
check_eq "--max-sim-time sim.complete" "$(stat_of "$out" sim.complete)" 0
check_eq "--max-sim-time is sim.max_time_ps" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sim"]["max_time_ps"])' "$out/config.json")" 1000000000
t=$(stat_of "$out" sim.time_ps)
[ "$t" -le 1000000000 ] && [ "$t" -gt 0 ] && ok || fail "--max-sim-time: sim.time_ps $t"
# --max-rss: any vmsim is bigger than 1 MiB, so it stops before the first operation.
out="$TMP/out-rss"
"$VMSIM" run configs/workload-zipf.json -o "$out" --quiet --max-rss 1 2>"$TMP/err-rss"
check_eq "--max-rss exit status" "$?" 1
check_eq "--max-rss run.json status" "$(runjson_status "$out")" max-rss
check_eq "--max-rss sim.complete" "$(stat_of "$out" sim.complete)" 0
check_eq "--max-rss accesses" "$(stat_of "$out" sim.accesses)" 0
grep -q "resident memory passed --max-rss 1 MiB" "$TMP/err-rss" && ok || fail "--max-rss message: $(cat "$TMP/err-rss")"
# A generous budget does not stop a short run.
out="$TMP/out-rss-ok"
"$VMSIM" run tests/data/textbook.json -o "$out" --quiet --max-rss 100000
check_eq "--max-rss generous exit status" "$?" 0
check_eq "--max-rss generous status" "$(runjson_status "$out")" complete
done_tests
