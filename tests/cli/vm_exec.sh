# vm_exec.sh — exec of a program image (tests/data/vm/exec.json, exec.vmt) with --check:
#   exec's padzero writes the data section's last file page (2 pages + 100 bytes): one fault
#   that reads the page from prog.data and copies it (major, cow, cow_copies);
#   the 8 bss pages beyond the file part read as zeros: 8 zero-page faults, no file read;
#   the rest of the padzero page reads without a fault;
#   a text fetch and a libc text fetch: 2 major file faults; a stack write: demand-zero;
#   a heap read: zero page.
# And a recorded program's exec (`exec PATH bare`): an empty address space that the trace maps
# itself; the old mapping's page is gone (a write faults again), nothing is unsupported.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
"$VMSIM" run tests/data/vm/exec.json --check --quiet -o "$TMP/r" || fail "run exited $?"
check_eq "zero_page" "$(stat_of "$TMP/r" faults.zero_page)" 9
check_eq "file_major" "$(stat_of "$TMP/r" faults.file_major)" 3
check_eq "faults.major" "$(stat_of "$TMP/r" faults.major)" 3
check_eq "cow" "$(stat_of "$TMP/r" faults.cow)" 1
check_eq "cow_copies" "$(stat_of "$TMP/r" faults.cow_copies)" 1
check_eq "demand_zero" "$(stat_of "$TMP/r" faults.demand_zero)" 1
check_eq "faults.total" "$(stat_of "$TMP/r" faults.total)" 13
check_eq "pagecache.pages" "$(stat_of "$TMP/r" pagecache.pages)" 3
check_eq "unsupported" "$(stat_of "$TMP/r" sim.unsupported_operations)" 0
check_eq "segfaults" "$(stat_of "$TMP/r" sim.segfaults)" 0
# An image the config does not define is an unsupported operation.
sed 's/exec prog/exec nosuch/' tests/data/vm/exec.vmt >"$TMP/bad.vmt"
"$VMSIM" run tests/data/vm/exec.json --check --quiet -o "$TMP/b" --set workload.path="$TMP/bad.vmt" ||
	fail "bad run exited $?"
check_eq "unknown image" "$(stat_of "$TMP/b" sim.unsupported_operations)" 1
printf '1 mmap 0x0 0x100000 rw anon private\n1 w 0x1000\n1 exec /bin/x bare\n1 w 0x1000\n' >"$TMP/gone.vmt"
"$VMSIM" run tests/data/vm/exec.json --quiet -o "$TMP/g" --set workload.path="$TMP/gone.vmt"
check_eq "bare: nothing mapped after it" "$(stat_of "$TMP/g" sim.segfaults) $(stat_of "$TMP/g" faults.total)" "1 1"
printf '1 mmap 0x0 0x100000 rw anon private\n1 w 0x1000\n1 exec /bin/x bare\n1 mmap 0x0 0x100000 rw anon private\n1 w 0x1000\n1 r 0x2000\n1 exit\n' >"$TMP/bare.vmt"
"$VMSIM" run tests/data/vm/exec.json --check --quiet -o "$TMP/e" --set workload.path="$TMP/bare.vmt" ||
	fail "bare run exited $?"
check_eq "bare: faults demand_zero zero_page" \
	"$(stat_of "$TMP/e" faults.total) $(stat_of "$TMP/e" faults.demand_zero) $(stat_of "$TMP/e" faults.zero_page)" "3 2 1"
check_eq "bare: unsupported segfaults" \
	"$(stat_of "$TMP/e" sim.unsupported_operations) $(stat_of "$TMP/e" sim.segfaults)" "0 0"
done_tests
