# stress.sh — invariants under stress: every policy `vmsim policies` lists, with every workload
# generator (configs/workload-*.json made small: few pages, memory far below the footprint for
# heavy reclaim, several processes where the generator has them, fork/exit churn in
# fork-server), plus two workloads side by side, over two seeds, with --check (the VM layer's
# invariants after every operation). A violation aborts vmsim (exit >= 128) and fails the test;
# any other non-zero exit fails it too. The first seed runs twice: stats.json must be
# byte-identical (determinism). A run that hangs (over 60 s; timeout exits 124) fails too.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
policies=$("$VMSIM" policies | awk '/^$/ {exit} NR > 1 && substr($0, 1, 1) != " " {print $1}')
[ "$(wc -w <<<"$policies")" -ge 10 ] && ok || fail "vmsim policies: too few names: $policies"
declare -A small
small[seq]="--set memory.frames=24 --set workload.pages=64 --set workload.loops=3"
small[uniform]="--set memory.frames=24 --set workload.pages=64 --set workload.accesses=1500"
small[zipf]="--set memory.frames=24 --set workload.pages=128 --set workload.accesses=1500"
small[hotcold]="--set memory.frames=24 --set workload.pages=128 --set workload.accesses=1500"
small[loop]="--set memory.frames=30 --set workload.pages=33 --set workload.accesses=1500"
small[phases]="--set memory.frames=24 --set workload.repeat=1 --set workload.phases[0].pages=40 --set workload.phases[0].accesses=300 --set workload.phases[1].pages=40 --set workload.phases[1].accesses=300 --set workload.phases[1].offset_pages=20 --set workload.phases[2].pages=100 --set workload.phases[2].accesses=200 --set workload.phases[2].offset_pages=60 --set workload.phases[3].pages=60 --set workload.phases[3].accesses=300 --set workload.phases[3].offset_pages=100"
small[fork-server]="--set memory.frames=48 --set workload.heap_pages=64 --set workload.workers=3 --set workload.total_workers=6 --set workload.requests_per_worker=4 --set workload.reads_per_request=8 --set workload.private_pages_per_request=2 --set workload.request_compute_ns=1000"
small[mmap-scan]="--set memory.frames=24 --set workload.file_pages=64 --set workload.processes=3 --set workload.passes=2"
runs=0
for cfg in configs/workload-*.json; do
	gen=$(basename "$cfg" .json)
	gen=${gen#workload-}
	[ -n "${small[$gen]}" ] || { fail "no small settings for generator $gen (new config?)"; continue; }
	for pol in $policies; do
		# opt reads one process's future: forking generators are bad input (bad_input.sh)
		[ $pol = opt ] && { [ $gen = fork-server ] || [ $gen = mmap-scan ]; } && continue
		for seed in 1 2; do
			out="$TMP/$gen-$pol-$seed"
			# seed 1: on-demand reclaim, global scope; seed 2: watermark reclaim (kswapd)
			# with local scope. wsclock is a local policy: always local.
			mode="--set vm.scope=global"
			[ $seed = 2 ] && mode="--set vm.reclaim=watermark --set vm.watermark_low_pct=10 --set vm.watermark_high_pct=25 --set vm.scope=local"
			[ $pol = wsclock ] && mode="$mode --set vm.scope=local"
			# shellcheck disable=SC2086
			timeout 60 "$VMSIM" run "$cfg" -o "$out" --quiet --check --seed $seed --set vm.policy=$pol \
				--set sim.timing=false --set memory.swap_pages=512 ${small[$gen]} $mode 2>"$out.err"
			rc=$?
			runs=$((runs + 1))
			if [ $rc -ne 0 ]; then
				fail "$gen $pol seed $seed: exit $rc: $(tail -3 "$out.err")"
				continue
			fi
			ok
			[ $seed = 1 ] || continue
			# shellcheck disable=SC2086
			"$VMSIM" run "$cfg" -o "$out.again" --quiet --seed $seed --set vm.policy=$pol \
				--set sim.timing=false --set memory.swap_pages=512 ${small[$gen]} $mode 2>/dev/null
			cmp -s "$out/stats.json" "$out.again/stats.json" && ok ||
				fail "$gen $pol seed $seed: stats.json differs between two runs"
			rm -rf "$out.again"
		done
		rm -rf "$TMP/$gen-$pol-"*
	done
done
# Two workloads side by side (two initial processes competing for 24 frames) on
# two CPUs.
printf '{"memory": {"frames": 24, "swap_pages": 512}, "cpus": 2, "sim": {"timing": false},
 "workloads": [{"type": "zipf", "pages": 96, "accesses": 1000},
               {"type": "uniform", "pages": 64, "accesses": 1000, "start_ps": 5000}]}\n' > "$TMP/two.json"
for pol in $policies; do
	[ $pol = opt ] && continue
	scope=global
	[ $pol = wsclock ] && scope=local
	timeout 60 "$VMSIM" run "$TMP/two.json" -o "$TMP/two-$pol" --quiet --check --set vm.policy=$pol \
		--set vm.scope=$scope 2>"$TMP/two.err"
	rc=$?
	runs=$((runs + 1))
	[ $rc -eq 0 ] && ok || fail "two workloads $pol: exit $rc: $(tail -3 "$TMP/two.err")"
	"$VMSIM" run "$TMP/two.json" -o "$TMP/two-$pol.again" --quiet --set vm.policy=$pol \
		--set vm.scope=$scope 2>/dev/null
	cmp -s "$TMP/two-$pol/stats.json" "$TMP/two-$pol.again/stats.json" && ok ||
		fail "two workloads $pol: stats.json differs between two runs"
	[ "$(stat_of "$TMP/two-$pol" sim.processes)" = 2 ] && ok || fail "two workloads $pol: not 2 processes"
done
echo "stress: $runs checked runs"
done_tests
