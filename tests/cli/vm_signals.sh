# vm_signals.sh — a process killed by a memory access says why in stats.json, as Linux's signal
# and si_code would (issue 15): a read of an unmapped address is SIGSEGV SEGV_MAPERR, a write
# to a read-only mapping SIGSEGV SEGV_ACCERR, a read of a file mapping's page beyond the end of
# the file SIGBUS BUS_ADRERR (counted in sim.sigbus as well as sim.segfaults); a read in the
# last, partial page of the file is no signal. Each run: exit 0 (a result, not an error).
# A process that handles the signal (`sigaction segv|bus`) survives it: each signal is counted
# (signals.sigsegv_maperr / sigsegv_accerr / sigbus_adrerr, per process and in all) and the
# process goes on with its next operation; a fork child inherits the handlers; `sigaction ...
# default` restores death; a handler of SIGSEGV does not catch SIGBUS.
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
sig3() { # sig3 DIR: the first process's maperr accerr bus status
	echo "$(proc "$1" signals.sigsegv_maperr) $(proc "$1" signals.sigsegv_accerr) $(proc "$1" signals.sigbus_adrerr) $(proc "$1" status)"
}
run_case handled '1 sigaction segv\n1 sigaction bus\n1 r 0x20000\nfile short 0x3064\n1 mmap 0x10000 0x1000 r anon private\n1 w 0x10000\n1 w 0x10000\n1 mmap 0x30000 0x8000 r file:short:0x0 shared\n1 r 0x35000\n1 mmap 0x40000 0x1000 rw anon private\n1 w 0x40000\n'
check_eq "handled: maperr accerr bus status" "$(sig3 "$TMP/handled")" "1 2 1 exited"
check_eq "handled: signals.handled sim.segfaults sim.accesses" \
	"$(stat_of "$TMP/handled" signals.handled) $(stat_of "$TMP/handled" sim.segfaults) $(stat_of "$TMP/handled" sim.accesses)" "4 0 5"
check_eq "handled: faults (the last write only)" "$(proc "$TMP/handled" faults.total)" 1
run_case segv_only '1 sigaction segv\nfile short 0x3064\n1 mmap 0x30000 0x8000 r file:short:0x0 shared\n1 r 0x35000\n1 r 0x20000\n'
check_eq "segv handler, SIGBUS: maperr accerr bus status" "$(sig3 "$TMP/segv_only")" "0 0 1 segfault"
run_case default '1 sigaction segv\n1 r 0x20000\n1 sigaction segv default\n1 r 0x20000\n1 r 0x20000\n'
check_eq "default again: maperr accerr bus status" "$(sig3 "$TMP/default")" "2 0 0 segfault"
check_eq "default again: signals.sigsegv_maperr signals.handled" \
	"$(stat_of "$TMP/default" signals.sigsegv_maperr) $(stat_of "$TMP/default" signals.handled)" "2 1"
run_case inherit '1 sigaction segv\n1 fork 2\n2 r 0x20000\n2 r 0x20000\n2 exit\n1 wait 2\n1 exit\n'
check_eq "fork inherits: child's maperr, status" \
	"$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]+"/stats.json"))["processes"][1]; print(p["signals.sigsegv_maperr"], p["status"])' "$TMP/inherit")" "2 exited"
# PROT_NONE over present pages (2 written, 1 the zero page): every access raises SIGSEGV
# SEGV_ACCERR (PAGE_PROTNONE PTEs); access given back, the pages are mapped again without a fault,
# and write access too for the two exclusively owned ones (Linux: tests/linux anon.c mprotect_none)
run_case protnone '1 sigaction segv\n1 mmap 0x10000 0x4000 rw anon private\n1 w 0x10000\n1 w 0x11000\n1 r 0x12000\n1 mprotect 0x10000 0x4000 none\n1 r 0x10000\n1 w 0x11000\n1 r 0x12000\n1 mprotect 0x10000 0x4000 r\n1 r 0x10000\n1 r 0x11000\n1 r 0x12000\n1 mprotect 0x10000 0x4000 rw\n1 w 0x10000\n1 w 0x11000\n'
check_eq "PROT_NONE: maperr accerr bus status" "$(sig3 "$TMP/protnone")" "0 3 0 exited"
check_eq "PROT_NONE: faults (the first 3 touches only)" "$(proc "$TMP/protnone" faults.total)" 3
bad_sig() { # bad_sig NAME VMT-TEXT WHAT
	printf '%b' "$2" >"$TMP/$1.vmt"
	printf '{"workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' "$TMP/$1.vmt" >"$TMP/$1.json"
	msg=$("$VMSIM" run "$TMP/$1.json" -o "$TMP/$1" --quiet 2>&1)
	check_eq "$1: exit" "$?" 2
	check_eq "$1: message ($msg)" "$(echo "$msg" | grep -c "$1.vmt:1: .*$3")" 1
}
bad_sig sigill '1 sigaction ill\n' "expected segv or bus"
bad_sig sigign '1 sigaction segv ignore\n' "expected default"
done_tests
