# vm_signals.sh — a process killed by a memory access says why in stats.json, as Linux's signal
# and si_code would (issue 15): a read of an unmapped address is SIGSEGV SEGV_MAPERR, a write
# to a read-only mapping SIGSEGV SEGV_ACCERR, a read of a file mapping's page beyond the end of
# the file SIGBUS BUS_ADRERR (counted in sim.sigbus as well as sim.segfaults); a read in the
# last, partial page of the file is no signal. Each run: exit 0 (a result, not an error).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
proc() { # proc DIR KEY: the first process's KEY
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/stats.json"))["processes"][0].get(sys.argv[2], "-"))' "$1" "$2"
}
run_case() { # run_case NAME VMT-TEXT
	printf '%b' "$2" >"$TMP/$1.vmt"
	printf '{"memory": {"frames": 64}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' \
		"$TMP/$1.vmt" >"$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" -o "$TMP/$1" --check --quiet
	check_eq "$1: exit status" "$?" 0
}
run_case unmapped '1 mmap 0x10000 0x1000 rw anon private\n1 r 0x20000\n'
check_eq "unmapped: signal si_code status" "$(proc "$TMP/unmapped" signal) $(proc "$TMP/unmapped" si_code) $(proc "$TMP/unmapped" status)" \
	"SIGSEGV SEGV_MAPERR segfault"
run_case prot '1 mmap 0x10000 0x1000 r anon private\n1 w 0x10000\n'
check_eq "prot: signal si_code" "$(proc "$TMP/prot" signal) $(proc "$TMP/prot" si_code)" "SIGSEGV SEGV_ACCERR"
check_eq "prot: sim.sigbus" "$(stat_of "$TMP/prot" sim.sigbus)" 0
run_case bus 'file short 0x3064\n1 mmap 0x10000 0x8000 r file:short:0x0 shared\n1 r 0x13000\n1 r 0x15000\n'
check_eq "bus: signal si_code" "$(proc "$TMP/bus" signal) $(proc "$TMP/bus" si_code)" "SIGBUS BUS_ADRERR"
check_eq "bus: sim.sigbus sim.segfaults" "$(stat_of "$TMP/bus" sim.sigbus) $(stat_of "$TMP/bus" sim.segfaults)" "1 1"
check_eq "bus: accesses (the tail page read, then the fatal one)" "$(stat_of "$TMP/bus" sim.accesses)" 2
run_case fine '1 mmap 0x10000 0x1000 rw anon private\n1 w 0x10000\n'
check_eq "no signal: status signal" "$(proc "$TMP/fine" status) $(proc "$TMP/fine" signal)" "exited -"
done_tests
