# vm_anon.sh — anonymous memory, fork and COW with the counts Linux reports for the same
# program (issue 4), through `vmsim run --check` on a vmt trace written here:
#   16384 pages written once: 16384 demand-zero faults; read again: 0 faults;
#   fork; the child reads every page (0 faults: PTEs copied) and writes every second page
#   (8192 COW faults, 8192 copies); after it exits the parent writes every page: 16384 COW
#   faults that reuse their frames (0 copies);
#   a second region read then written: 16384 zero-page faults, then 16384 COW faults that
#   break the zero page (no copies).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
N=16384
awk -v n=$N 'BEGIN {
	a = 268435456; b = 536870912; ps = 4096
	print "1 mmap 0x10000000 0x4000000 rw anon private"
	for (i = 0; i < n; i++) printf "1 w 0x%x\n", a + i * ps
	for (i = 0; i < n; i++) printf "1 r 0x%x\n", a + i * ps
	print "1 fork 2"
	for (i = 0; i < n; i++) printf "2 r 0x%x\n", a + i * ps
	for (i = 0; i < n; i += 2) printf "2 w 0x%x\n", a + i * ps
	print "2 exit"
	print "1 wait 2"
	for (i = 0; i < n; i++) printf "1 w 0x%x\n", a + i * ps
	print "1 mmap 0x20000000 0x4000000 rw anon private"
	for (i = 0; i < n; i++) printf "1 r 0x%x\n", b + i * ps
	for (i = 0; i < n; i++) printf "1 w 0x%x\n", b + i * ps
	print "1 exit"
}' >"$TMP/anon.vmt"
cp tests/data/vm/base.json "$TMP/anon.json"
"$VMSIM" run "$TMP/anon.json" --check=16384 --quiet -o "$TMP/r" || fail "run exited $?"
check_eq "demand_zero" "$(stat_of "$TMP/r" faults.demand_zero)" 16384
check_eq "zero_page" "$(stat_of "$TMP/r" faults.zero_page)" 16384
check_eq "cow" "$(stat_of "$TMP/r" faults.cow)" $((8192 + 16384 + 16384))
check_eq "cow_copies" "$(stat_of "$TMP/r" faults.cow_copies)" 8192
check_eq "faults.total" "$(stat_of "$TMP/r" faults.total)" $((16384 + 8192 + 16384 + 16384 + 16384))
check_eq "faults.major" "$(stat_of "$TMP/r" faults.major)" 0
check_eq "child faults" "$(proc_stat "$TMP/r" 2 faults.total)" 8192
check_eq "child cow" "$(proc_stat "$TMP/r" 2 faults.cow)" 8192
check_eq "child cow_copies" "$(proc_stat "$TMP/r" 2 faults.cow_copies)" 8192
check_eq "parent faults" "$(proc_stat "$TMP/r" 1 faults.total)" $((16384 * 4))
check_eq "parent cow_copies" "$(proc_stat "$TMP/r" 1 faults.cow_copies)" 0
check_eq "parent zero_page" "$(proc_stat "$TMP/r" 1 faults.zero_page)" 16384
check_eq "parent demand_zero" "$(proc_stat "$TMP/r" 1 faults.demand_zero)" 16384
# No frames were evicted; the child's 8192 copies were freed at its exit, so the peak is the
# two regions of the parent.
check_eq "evictions" "$(stat_of "$TMP/r" reclaim.evictions)" 0
check_eq "frames_used_max" "$(stat_of "$TMP/r" memory.frames_used_max)" $((16384 + 16384))
done_tests
