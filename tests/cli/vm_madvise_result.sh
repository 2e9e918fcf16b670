# vm_madvise_result.sh — madvise with a recorded result (`PID madvise ADDR LEN ADVICE = RESULT`,
# issue 15): Linux's MADV_REMOVE on private anonymous memory fails with EINVAL and changes
# nothing (tests/linux anon.c madv_remove_private: the 4096 written pages read back without a
# fault); so does vmsim's, and the program goes on. Without a recorded result the failed call
# ends the process (sim.unsupported_operations), as before. The result survives vmt -> vmb ->
# vmt; a result that differs from vmsim's is counted (trace.result_mismatches).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
trace() { # trace RESULT: write 8 pages, MADV_REMOVE [= RESULT], read them
	echo "1 mmap 0x10000000 0x8000 rw anon private"
	for i in $(seq 0 7); do printf '1 w 0x%x\n' $((0x10000000 + i * 4096)); done
	echo "1 madvise 0x10000000 0x8000 remove$1"
	for i in $(seq 0 7); do printf '1 r 0x%x\n' $((0x10000000 + i * 4096)); done
}
run() { # run NAME EXT
	printf '{"workload": {"type": "trace", "path": "%s"}}\n' "$TMP/$1.$2" >"$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" -o "$TMP/$1" --check --quiet
	check_eq "$1: exit status" "$?" 0
}
trace " = EINVAL" >"$TMP/einval.vmt"
run einval vmt
check_eq "EINVAL: faults status accesses" "$(proc_stat "$TMP/einval" 1 faults.total) $(proc_stat "$TMP/einval" 1 status) $(stat_of "$TMP/einval" sim.accesses)" "8 exited 16"
check_eq "EINVAL: recorded, mismatches" "$(stat_of "$TMP/einval" trace.recorded_results) $(stat_of "$TMP/einval" trace.result_mismatches)" "1 0"
trace " = 0" >"$TMP/zero.vmt"
run zero vmt
check_eq "recorded 0: mismatches, faults" "$(stat_of "$TMP/zero" trace.result_mismatches) $(proc_stat "$TMP/zero" 1 faults.total)" "1 8"
trace "" >"$TMP/none.vmt"
run none vmt
check_eq "no result: status accesses" "$(proc_stat "$TMP/none" 1 status) $(stat_of "$TMP/none" sim.accesses)" "unsupported-operation 8"
"$VMSIM" trace convert "$TMP/einval.vmt" "$TMP/einval_b.vmb" >/dev/null && "$VMSIM" trace convert "$TMP/einval_b.vmb" "$TMP/back.vmt" >/dev/null
check_eq "round trip" "$(grep -c '^1 madvise 0x10000000 0x8000 remove = EINVAL$' "$TMP/back.vmt")" 1
run einval_b vmb
check_eq "vmb: faults mismatches" "$(proc_stat "$TMP/einval_b" 1 faults.total) $(stat_of "$TMP/einval_b" trace.result_mismatches)" "8 0"
printf '1 mmap 0x10000 0x1000 rw anon private\n1 madvise 0x10000 0x1000 free = 0x20000\n' >"$TMP/bad.vmt"
printf '{"workload": {"type": "trace", "path": "%s"}}\n' "$TMP/bad.vmt" >"$TMP/bad.json"
msg=$("$VMSIM" run "$TMP/bad.json" -o "$TMP/bad" --quiet 2>&1)
check_eq "an address as madvise's result: exit" "$?" 2
check_eq "message ($msg)" "$(echo "$msg" | grep -c 'bad.vmt:2: .*madvise returns 0 or an errno')" 1
done_tests
