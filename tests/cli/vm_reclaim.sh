# vm_reclaim.sh — watermark reclaim (kswapd + direct reclaim), exact counts derived by hand.
# tests/data/vm/reclaim.json: 16 frames, low = 16*13/100 = 2, high = 16*25/100 = 4 frames, LRU,
# one process writes pages 0..19 once (20 demand-zero faults).
#  - timing off (writes complete at once): fault 15 leaves 1 free (< 2): kswapd wakes, evicts
#    pages 0,1,2 (free 1 -> 4); faults 16, 17 leave 3, 2; fault 18 leaves 1: kswapd evicts 3,4,5;
#    faults 19, 20 leave 3, 2. => 2 wakeups, 6 kswapd evictions, 0 direct, 6 swap-outs.
#  - timing on (a swap write takes far longer than a fault): fault 15 wakes kswapd, which evicts
#    3 whose frames stay under writeback (free 1 + 3 in flight); fault 16 takes the last free
#    frame (free 0 < 2): kswapd wakes and evicts 1 more (0 + 4 = high); fault 17 finds no free
#    frame: direct reclaim evicts 1 and waits for its write, queued behind kswapd's four, so the
#    four frames are free when it resumes; it also wakes kswapd (0 free), which finds 0 + 4 in
#    flight = high and evicts none; faults 18-20 leave 3, 2, 1: kswapd wakes and evicts 3.
#    => 4 wakeups, 7 kswapd evictions, 1 direct eviction, 8 evictions in all.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
C=tests/data/vm/reclaim.json
stats() { # dir key...
	local d=$1; shift
	for k in "$@"; do printf '%s ' "$(stat_of "$d" "$k")"; done
}
K="faults.total reclaim.kswapd_wakeups reclaim.kswapd_evictions reclaim.direct_evictions reclaim.evictions reclaim.swap_out"
"$VMSIM" run $C --check --quiet -o "$TMP/untimed" || fail "untimed run exited $?"
check_eq "untimed: faults wakeups kswapd direct evictions swap_out" "$(stats "$TMP/untimed" $K)" "20 2 6 0 6 6 "
"$VMSIM" run $C --check --quiet -o "$TMP/timed" --set sim.timing=true || fail "timed run exited $?"
check_eq "timed: faults wakeups kswapd direct evictions swap_out" "$(stats "$TMP/timed" $K)" "20 4 7 1 8 8 "
# On-demand reclaim of the same trace: 20 - 16 = 4 evictions, all direct, kswapd never runs.
"$VMSIM" run $C --check --quiet -o "$TMP/od" --set vm.reclaim=on-demand || fail "on-demand exited $?"
check_eq "on-demand: faults wakeups kswapd direct evictions swap_out" "$(stats "$TMP/od" $K)" "20 0 0 4 4 4 "
# low > high is a config error naming both keys.
msg=$("$VMSIM" run $C --quiet -o "$TMP/bad" --set vm.watermark_low_pct=30 2>&1); rc=$?
check_eq "low > high exit status" "$rc" 2
case "$msg" in *vm.watermark_low_pct*vm.watermark_high_pct*) ok ;; *) fail "message: $msg" ;; esac
done_tests
