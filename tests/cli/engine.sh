# engine.sh — the multi-process, multi-CPU engine:
#  - a page whose disk read is in flight is read once; a second process that faults on it waits
#    for that read (lock_page) instead of using it at once: with an NVMe read of ~80 us, its
#    fault takes > 50 us (it would take ~1 us if it did not wait), with 1 and with 2 CPUs;
#  - several CPUs at the same simulated instant make progress (two CPUs once yielded to each
#    other forever), with timing on and off;
#  - multi-CPU runs of the fork-heavy server and the file scanners finish with --check on and
#    are deterministic.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
for cpus in 1 2; do
	for timing in true false; do
		d="$TMP/inflight-$cpus-$timing"
		timeout 60 "$VMSIM" run tests/data/engine/inflight.json -q --check -o "$d" \
			--set cpus=$cpus --set sim.timing=$timing || { fail "inflight cpus=$cpus timing=$timing exit $?"; continue; }
		check_eq "inflight $cpus $timing file reads" "$(stat_of "$d" faults.file_major)" 1
		check_eq "inflight $cpus $timing P2 minor file faults" "$(proc_stat "$d" 2 faults.file)" 1
		check_eq "inflight $cpus $timing P2 reads" "$(proc_stat "$d" 2 faults.file_major)" 0
		if [ "$timing" = true ]; then
			t=$(proc_stat "$d" 2 faults.time_ps)
			if [ "$t" -gt 50000000 ]; then ok; else fail "P2 did not wait for the read in flight: $t ps"; fi
		fi
	done
done
multi() { # CONFIG EXTRA-SET...
	local cfg=$1
	shift
	for cpus in 2 4; do
		for timing in true false; do
			for run in a b; do
				timeout 120 "$VMSIM" run "$cfg" -q --check=997 -o "$TMP/$run" --set cpus=$cpus \
					--set sim.timing=$timing "$@" || fail "$cfg cpus=$cpus timing=$timing exit $?"
			done
			check_eq "$cfg cpus=$cpus complete" "$(stat_of "$TMP/a" sim.complete)" 1
			if cmp -s "$TMP/a/stats.json" "$TMP/b/stats.json"; then ok; else fail "$cfg cpus=$cpus timing=$timing not deterministic"; fi
			rm -rf "$TMP/a" "$TMP/b"
		done
	done
}
multi configs/demo-fork-server.json
multi configs/workload-mmap-scan.json --set workload.processes=4
done_tests
