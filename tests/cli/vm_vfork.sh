# vm_vfork.sh — vfork / posix_spawn (`PID vfork CHILD`, issue 15): the child runs in its
# parent's address space (nothing copied or write-protected) while the parent sleeps until the
# child execs or exits. Counts as Linux 6.18 gave them (tests/linux process.c vfork_exec,
# posix_spawn): the child's writes to the parent's 16 pages do not fault, its writes to 4 new
# pages fault 4 times (the child's faults) and are the parent's pages after its exec: the
# parent's later writes and reads fault 0 times (fork + exec: 16 write faults). The vmt line
# survives vmt -> vmb -> vmt; a vfork of a pid that exists is refused (exit 2, the line).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
trace() { # trace CREATE: the scenario with fork or vfork
	echo "1 mmap 0x10000000 0x10000 rw anon private"
	echo "1 mmap 0x20000000 0x4000 rw anon private"
	for i in $(seq 0 15); do printf '1 w 0x%x\n' $((0x10000000 + i * 4096)); done
	echo "1 $1 2"
	for i in $(seq 0 15); do printf '2 w 0x%x\n' $((0x10000000 + i * 4096)); done
	for i in 0 1 2 3; do printf '2 w 0x%x\n' $((0x20000000 + i * 4096)); done
	echo "2 exec default"
	echo "2 exit"
	echo "1 wait 2"
	for i in $(seq 0 15); do printf '1 w 0x%x\n' $((0x10000000 + i * 4096)); done
	for i in 0 1 2 3; do printf '1 r 0x%x\n' $((0x20000000 + i * 4096)); done
}
run() { # run NAME: TMP/NAME.vmt with the preset of the Linux comparison
	python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))
c["workload"]={"type":"trace","path":sys.argv[2]}; print(json.dumps(c))' \
		configs/presets/linux-6.18-classic.json "$TMP/$1.$2" >"$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" -o "$TMP/$1" --check --quiet
	check_eq "$1: exit status" "$?" 0
}
trace vfork >"$TMP/vfork.vmt"
run vfork vmt
check_eq "vfork: parent faults, child faults" \
	"$(proc_stat "$TMP/vfork" 1 faults.total) $(proc_stat "$TMP/vfork" 2 faults.total)" "16 4"
check_eq "vfork: sim.vforks sim.forks faults.cow" \
	"$(stat_of "$TMP/vfork" sim.vforks) $(stat_of "$TMP/vfork" sim.forks) $(stat_of "$TMP/vfork" faults.cow)" "1 0 0"
check_eq "vfork: statuses" "$(proc_stat "$TMP/vfork" 1 status) $(proc_stat "$TMP/vfork" 2 status)" "exited exited"
trace fork >"$TMP/fork.vmt"
run fork vmt
check_eq "fork + exec: parent faults (16 + 16 COW reuses + 4 demand-zero reads), child faults" \
	"$(proc_stat "$TMP/fork" 1 faults.total) $(proc_stat "$TMP/fork" 2 faults.total)" "36 20"

# vmt -> vmb -> vmt keeps the line, and the vmb runs to the same counts
"$VMSIM" trace convert "$TMP/vfork.vmt" "$TMP/vfork.vmb" >/dev/null && "$VMSIM" trace convert "$TMP/vfork.vmb" "$TMP/back.vmt" >/dev/null
check_eq "round trip" "$(grep -v '^#' "$TMP/back.vmt" | grep -c '^1 vfork 2$')" 1
cp "$TMP/vfork.vmb" "$TMP/vfork_b.vmb"
run vfork_b vmb
check_eq "vmb: parent faults, child faults" \
	"$(proc_stat "$TMP/vfork_b" 1 faults.total) $(proc_stat "$TMP/vfork_b" 2 faults.total)" "16 4"

# a vfork child that exits without exec gives its parent back the address space
printf '1 mmap 0x10000 0x2000 rw anon private\n1 vfork 2\n2 w 0x10000\n2 exit\n1 w 0x10000\n1 w 0x11000\n' >"$TMP/exit.vmt"
run exit vmt
check_eq "vfork + exit: child faults, parent faults" \
	"$(proc_stat "$TMP/exit" 2 faults.total) $(proc_stat "$TMP/exit" 1 faults.total)" "1 1"

printf '1 mmap 0x10000 0x1000 rw anon private\n1 fork 2\n1 vfork 2\n' >"$TMP/again.vmt"
printf '{"workload": {"type": "trace", "path": "%s"}}\n' "$TMP/again.vmt" >"$TMP/again.json"
msg=$("$VMSIM" run "$TMP/again.json" -o "$TMP/again" --quiet 2>&1)
check_eq "vfork of an existing pid: exit" "$?" 2
check_eq "message ($msg)" "$(echo "$msg" | grep -c 'again.vmt:3: vfork of pid 2, which already exists')" 1
done_tests
