#!/usr/bin/env bash
# trace_record_spawn.sh VMSIM — posix_spawn and vfork recorded (tests/data/record/rec_spawn.c):
# valgrind runs both as forks, the recorder writes `vfork` (vfork's syscall 58, clone's
# CLONE_VFORK flag), and the replay counts what Linux counts natively: no fault when the
# parent rewrites its 1024 pages after either child, the parent's faults within 2% of
# Linux's (the same trace with `fork` instead takes 2 x 1024 more for the write-protected
# PTEs of the buffer, and a few for the stack and data). Recorded with instruction fetches:
# the program's code pages are part of Linux's count. Skipped (exit 0) only without valgrind.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
needs_valgrind
cc -O1 -static -o "$TMP/rs" tests/data/record/rec_spawn.c || fail "compile (static)"
read -r a b linux <<<"$("$TMP/rs")"
check_eq "Linux: faults of phases A and B" "$a $b" "0 0"
scripts/record-trace -o "$TMP/rs.vmt" --vmsim "$VMSIM" -- "$TMP/rs" >/dev/null 2>"$TMP/err"
check_eq "record exit" "$?" 0
check_eq "vfork lines" "$(awk '$2 == "vfork"' "$TMP/rs.vmt" | wc -l)" 2
check_eq "fork lines" "$(awk '$2 == "fork"' "$TMP/rs.vmt" | wc -l)" 0
parent=$(awk '$2 == "vfork" { print $1; exit }' "$TMP/rs.vmt")
awk '$2 == "vfork" { $2 = "fork" } { print }' "$TMP/rs.vmt" >"$TMP/rs_fork.vmt"
run() { # run NAME: TMP/NAME.vmt with the Linux 6.18 preset, results in TMP/NAME.out
	printf '{"extends": "%s", "workload": {"type": "trace", "path": "%s"}}\n' \
		"$PWD/configs/presets/linux-6.18.json" "$TMP/$1.vmt" >"$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" -o "$TMP/$1.out" --quiet
	check_eq "$1: exit status" "$?" 0
}
run rs
run rs_fork
check_eq "vforks forks" "$(stat_of "$TMP/rs.out" sim.vforks) $(stat_of "$TMP/rs.out" sim.forks)" "2 0"
# the spawned /bin/true runs after its exec (`exec /bin/true bare`: the recording maps it)
check_eq "exec lines" "$(awk '$2 == "exec" { print $3, $4 }' "$TMP/rs.vmt")" "/bin/true bare"
check_eq "unsupported operations" "$(stat_of "$TMP/rs.out" sim.unsupported_operations)" 0
check_eq "processes exited" "$(python3 -c 'import json,sys
print(sorted(set(p["status"] for p in json.load(open(sys.argv[1]))["processes"])))' "$TMP/rs.out/stats.json")" "['exited']"
check_eq "as forks: forks" "$(stat_of "$TMP/rs_fork.out" sim.forks)" 2
v=$(proc_stat "$TMP/rs.out" "$parent" faults.total)
f=$(proc_stat "$TMP/rs_fork.out" "$parent" faults.total)
echo "parent's faults: Linux $linux, vmsim $v (as forks $f)"
within "parent's faults" "$v" "$linux"
check_eq "as forks: at least 2048 more" "$((f - v >= 2048))" 1
done_tests
