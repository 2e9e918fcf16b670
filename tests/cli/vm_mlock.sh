# vm_mlock.sh — mlock, mlock2(MLOCK_ONFAULT), munlock, mlockall and munlockall (docs/vm.md,
# "mlock"), with the counts Linux 6.18 gives the same program (tests/linux/lock.c,
# expected.tsv):
#   mlock of 4096 fresh private writable pages populates them with 4096 write faults (GUP's
#   faults count in ru_minflt), all mlocked; writing them then faults 0 times; munlock puts
#   the 4096 back on the evictable lists (vmstat unevictable_pgs_mlocked / munlocked);
#   mlock after a read replaces the 4096 zero-page mappings with 4096 write faults;
#   mlock2(MLOCK_ONFAULT) faults nothing; writing half of it then faults 2048 pages, mlocked;
#   mlockall(MCL_FUTURE) makes a later mmap populate (4096 faults); MCL_FUTURE|MCL_ONFAULT
#   does not (0, then 2048 on writing half); a fork child inherits no lock.
# Under memory pressure, with every registered policy: 600 mlocked pages of 1000 frames are
# never chosen: 1000 pages written once beside them evict exactly 600 of themselves, and the
# locked pages read again fault 0 times (without mlock, FIFO evicts the locked region first:
# the same reads fault 600 times).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
run() { # run NAME [--set ...]: $TMP/NAME.vmt -> $TMP/NAME
	sed "s|anon.vmt|$1.vmt|" tests/data/vm/base.json >"$TMP/$1.json"
	local name=$1
	shift
	"$VMSIM" run "$TMP/$name.json" --check=4096 --quiet -o "$TMP/$name" "$@" ||
		fail "$name: run exited $?"
}
touch_pages() { # touch_pages PID KIND BASE N
	awk -v pid=$1 -v k=$2 -v b=$(($3)) -v n=$4 'BEGIN {
		for (i = 0; i < n; i++) printf "%d %s 0x%x\n", pid, k, b + i * 4096 }'
}
A=0x10000000
B=0x20000000

# mlock, write, munlock; a second region read, then mlocked
{
	echo "1 mmap $A 0x1000000 rw anon private"
	echo "1 mlock $A 0x1000000"
	touch_pages 1 w $A 4096
	echo "1 munlock $A 0x1000000"
	echo "1 mmap $B 0x1000000 rw anon private"
	touch_pages 1 r $B 4096
	echo "1 mlock $B 0x1000000"
	echo "1 exit"
} >"$TMP/mlock.vmt"
run mlock
check_eq "mlock: faults" "$(stat_of "$TMP/mlock" faults.total)" $((4096 + 4096 + 4096))
check_eq "mlock: demand_zero" "$(stat_of "$TMP/mlock" faults.demand_zero)" 4096
check_eq "mlock: zero page broken" "$(stat_of "$TMP/mlock" faults.cow)" 4096
check_eq "mlock: pgs_mlocked" "$(stat_of "$TMP/mlock" unevictable.pgs_mlocked)" 8192
check_eq "mlock: pgs_munlocked" "$(stat_of "$TMP/mlock" unevictable.pgs_munlocked)" 8192
check_eq "mlock: Mlocked at most" "$(stat_of "$TMP/mlock" memory.mlocked_pages_max)" 4096
check_eq "mlock: Unevictable at most" "$(stat_of "$TMP/mlock" memory.unevictable_pages_max)" 4096
check_eq "mlock: Mlocked at the end" "$(stat_of "$TMP/mlock" memory.mlocked_pages)" 0
check_eq "mlock: calls" "$(stat_of "$TMP/mlock" mlock.calls)" 3

# mlock2(MLOCK_ONFAULT); mlockall(MCL_FUTURE|MCL_ONFAULT); then MCL_FUTURE; fork: no lock
{
	echo "1 mmap $A 0x1000000 rw anon private"
	echo "1 mlock $A 0x1000000 onfault"
	touch_pages 1 w $A 2048
	echo "1 mlockall future,onfault"
	echo "1 mmap $B 0x1000000 rw anon private"
	touch_pages 1 w $B 2048
	echo "1 mlockall future"
	echo "1 mmap 0x30000000 0x1000000 rw anon private"
	echo "1 fork 2"
	echo "2 mmap 0x40000000 0x1000000 rw anon private"
	echo "2 mlock 0x50000000 0x1000"
	echo "2 exit"
	echo "1 wait 2"
	echo "1 munlockall"
	echo "1 exit"
} >"$TMP/onfault.vmt"
run onfault
check_eq "onfault: parent faults" "$(proc_stat "$TMP/onfault" 1 faults.total)" $((2048 + 2048 + 4096))
check_eq "onfault: child faults" "$(proc_stat "$TMP/onfault" 2 faults.total)" 0
check_eq "onfault: pgs_mlocked" "$(stat_of "$TMP/onfault" unevictable.pgs_mlocked)" $((2048 + 2048 + 4096))
check_eq "onfault: Mlocked at most" "$(stat_of "$TMP/onfault" memory.mlocked_pages_max)" 8192
check_eq "onfault: munlockall" "$(stat_of "$TMP/onfault" unevictable.pgs_munlocked)" 8192
check_eq "onfault: calls" "$(stat_of "$TMP/onfault" mlock.calls)" 5
check_eq "onfault: mlock of an unmapped range (ENOMEM)" "$(stat_of "$TMP/onfault" mlock.failed)" 1

# pressure: 1000 frames, 600 pages mlocked, 1000 other pages written once, the 600 read again
pressure() { # pressure NAME LOCK
	{
		echo "1 mmap $A 0x258000 rw anon private"
		[ "$2" = lock ] && echo "1 mlock $A 0x258000" || touch_pages 1 w $A 600
		echo "1 mmap $B 0x3e8000 rw anon private"
		touch_pages 1 w $B 1000
		touch_pages 1 r $A 600
		echo "1 exit"
	} >"$TMP/$1.vmt"
}
pressure unlocked nolock
run unlocked --set memory.frames=1000
check_eq "FIFO without mlock: the region read again faults" "$(stat_of "$TMP/unlocked" faults.total)" $((600 + 1000 + 600))
pressure locked lock
npol=0
for pol in $("$VMSIM" policies | awk 'NR > 1 && /^[a-z0-9-]+ +(bits|every|future) / {print $1}'); do
	set_scope=""
	[ "$pol" = wsclock ] && set_scope="--set vm.scope=local --set vm.local_frames=1000"
	run locked --set memory.frames=1000 --set vm.policy="$pol" $set_scope
	check_eq "$pol: faults" "$(stat_of "$TMP/locked" faults.total)" $((600 + 1000))
	check_eq "$pol: evictions" "$(stat_of "$TMP/locked" reclaim.evictions)" 600
	npol=$((npol + 1))
done
check_eq "policies tried (every registered one)" "$npol" 21

# the syntax: vmt -> vmb -> vmt is the identity on normal form; bad lines name file and line
cat >"$TMP/syntax.vmt" <<EOF
1 mmap 0x10000000 0x1000000 rw anon private
1 mlock 0x10000000 0x1000000
1 mlock 0x10000000 0x2000 onfault
1 munlock 0x10000000 0x1000000
1 mlockall current
1 mlockall current,future,onfault
1 mlockall future,onfault
1 munlockall
1 exit
EOF
"$VMSIM" trace convert "$TMP/syntax.vmt" "$TMP/syntax.vmb" || fail "convert to vmb exited $?"
"$VMSIM" trace convert "$TMP/syntax.vmb" "$TMP/back.vmt" || fail "convert to vmt exited $?"
check_eq "vmt -> vmb -> vmt" "$(cmp -s "$TMP/syntax.vmt" "$TMP/back.vmt" && echo same)" same
bad() { # bad NAME LINE EXPECTED-MESSAGE-PART
	printf '1 mmap 0x10000000 0x1000 rw anon private\n%s\n' "$2" >"$TMP/$1.vmt"
	sed "s|anon.vmt|$1.vmt|" tests/data/vm/base.json >"$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" --quiet -o "$TMP/$1" 2>"$TMP/$1.err"
	check_eq "$1: exit status" "$?" 2
	check_eq "$1: message" "$(grep -c "$1.vmt:2: .*$3" "$TMP/$1.err")" 1
}
bad onfault_alone "1 mlockall onfault" "onfault needs current or future"
bad twice "1 mlockall current,current" "each once"
bad mlock_flag "1 mlock 0x10000000 0x1000 locked" "expected onfault"
bad munlock_flag "1 munlock 0x10000000 0x1000 onfault" "PID munlock ADDR LEN"
done_tests
