#!/usr/bin/env bash
# gen_fork_server_release.sh VMSIM — fork-server's `buffer_release`: 2 workers x 10 requests
# x 8 private pages after the parent's 256 heap pages (256 demand-zero faults). munmap: every
# request maps and writes a fresh buffer, 256 + 2*10*8 = 416 faults; dontneed: the zapped
# pages read as zeros again, 416 as well (Linux: MADV_DONTNEED frees them); free: MADV_FREE
# leaves them mapped until reclaim, so only each worker's first request faults,
# 256 + 2*8 = 272 (MADV_FREE under memory pressure: the madv_free_pressure scenario of
# tests/linux, docs/vm.md "Fidelity against Linux").
VMSIM=$1
source "$(dirname "$0")/lib.sh"
run() { # run NAME RELEASE FRAMES
	printf '{"seed": 1, "sim": {"timing": false}, "memory": {"frames": %s}, "workload": {"type": "fork-server", "heap_pages": 256, "workers": 2, "total_workers": 2, "requests_per_worker": 10, "reads_per_request": 0, "private_pages_per_request": 8, "buffer_release": "%s"}}\n' \
		"$3" "$2" >"$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" -q -o "$TMP/$1" || fail "$1: run exited $?"
}
run munmap munmap 65536
run dontneed dontneed 65536
run free free 65536
f() { echo "$(stat_of "$TMP/$1" faults.total) $(stat_of "$TMP/$1" faults.demand_zero)"; }
check_eq "munmap: faults demand_zero" "$(f munmap)" "416 416"
check_eq "dontneed" "$(f dontneed)" "416 416"
check_eq "free" "$(f free)" "272 272"
done_tests
