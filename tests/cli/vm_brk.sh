# vm_brk.sh — brk(2) and stack growth (docs/vm.md, "brk and the stack"; docs/traces.md), counts
# derived from Linux's mm/mmap.c (brk, do_brk_flags, expand_downwards):
#  without exec: the first brk declares the heap's start (0x1000000); a grow of 16 MiB maps
#  nothing (0 faults), writing it faults 4096 times; a shrink to 8 MiB unmaps the top half; a
#  brk below start_brk fails (returns the old break); a grow into a mapping fails, and so does
#  one that would leave no free page below it (newbrk + 1 page > the mapping's start), while one
#  that ends a page below it succeeds: reading the 4095 new pages faults 4095 times (zero page,
#  the old data is gone), the kept low half 0 times; a fork child inherits the break (brk(0)).
#  7 recorded results match; an 8th, wrong, is counted (trace.result_mismatches 1).
#  After exec (tests/data/vm/exec.json; its padzero write is 1 fault): start_brk is the end of the bss (0x40f000) and the
#  break the end of the image's 4-page heap; the heap shrinks to nothing and grows by 2 pages
#  (2 zero-page reads); the stack (4 pages below 0x7ffffffff000, VM_GROWSDOWN) grows on a write
#  a page below it and one 1 MiB below (1 fault each), and an access 9 MiB below the top is
#  beyond RLIMIT_STACK (8 MiB): a segfault.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d.get(k)) for k in sys.argv[2:]))' "$@"; }

python3 - "$TMP/t.vmt" <<'P'
import sys
P4, M = 4096, 1 << 20
H = 0x1000000
L = ["1 brk 0x%x" % H, "1 brk 0x%x = 0x%x" % (H + 16 * M, H + 16 * M)]
def scan(k, base, n): L.extend("1 %s 0x%x" % (k, base + i * P4) for i in range(n))
scan("w", H, 4096)                                                   # 4096
L.append("1 brk 0x%x = 0x%x" % (H + 8 * M, H + 8 * M))               # shrink
L.append("1 brk 0x800000 = 0x%x" % (H + 8 * M))                      # below start_brk
L.append("1 mmap 0x%x 0x1000 r anon private" % (H + 24 * M))
L.append("1 brk 0x%x = 0x%x" % (H + 24 * M + P4, H + 8 * M))         # into the mapping
L.append("1 brk 0x%x = 0x%x" % (H + 24 * M - P4 + 1, H + 8 * M))     # no page left free
L.append("1 brk 0x%x = 0x%x" % (H + 24 * M - P4, H + 24 * M - P4))   # a page left: grows
scan("r", H + 8 * M, 4095)                                           # 4095
scan("r", H, 2048)                                                   # 0
L.append("1 fork 2")
L.append("2 brk 0x0 = 0x%x" % (H + 24 * M - P4))
L.append("2 exit")
L.append("1 wait 2")
L.append("1 brk 0x0 = 0x1234000")                                      # a mismatch
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat > "$TMP/c.json" <<J
{"seed": 1, "memory": {"frames": 100000}, "sim": {"timing": false}, "vm": {"policy": "lru"},
 "workload": {"type": "trace", "path": "$TMP/t.vmt", "format": "vmt"}}
J
KEYS="faults.total faults.demand_zero faults.zero_page trace.recorded_results trace.result_mismatches sim.segfaults sim.unsupported_operations"
"$VMSIM" run "$TMP/c.json" -o "$TMP/r1" -q --check || fail "run failed"
check_eq "faults dz zero results mismatches segv unsupported" \
	"$(stats "$TMP/r1" $KEYS)" "8191 4096 4095 8 1 0 0"

"$VMSIM" trace convert "$TMP/t.vmt" "$TMP/t.vmb" >/dev/null
"$VMSIM" trace convert "$TMP/t.vmb" "$TMP/t2.vmt" >/dev/null
if cmp -s "$TMP/t.vmt" "$TMP/t2.vmt"; then ok; else fail "vmt -> vmb -> vmt is not the identity"; fi
check_eq "trace info counts brk" "$("$VMSIM" trace info "$TMP/t.vmb" | grep -c '^  brk: 9$')" "1"
sed "s|t.vmt\", \"format\": \"vmt\"|t.vmb\", \"format\": \"vmb\"|" "$TMP/c.json" > "$TMP/cb.json"
"$VMSIM" run "$TMP/cb.json" -o "$TMP/r2" -q --check
check_eq "vmb: the same stats" "$(stats "$TMP/r2" $KEYS)" "$(stats "$TMP/r1" $KEYS)"

# After exec: the image's heap is brk's, the stack grows down to RLIMIT_STACK.
cat > "$TMP/e.vmt" <<'V'
1 exec prog
1 brk 0 = 0x413000
1 brk 0x40e000 = 0x413000
1 brk 0x40f000 = 0x40f000
1 brk 0x411000 = 0x411000
1 r 0x40f000
1 r 0x410000
1 w 0x7fffffffa000
1 w 0x7ffffff00000
1 r 0x7ffff76ff000
V
"$VMSIM" run tests/data/vm/exec.json --check --quiet -o "$TMP/e" --set workload.path="$TMP/e.vmt" ||
	fail "exec run exited $?"
check_eq "exec: faults dz zero results mismatches segv unsupported" \
	"$(stats "$TMP/e" $KEYS)" "5 2 2 4 0 1 0"

# Bad lines: exit 2 naming the file and line.
for line in "1 brk" "1 brk 0x1000 = EINVAL" "1 brk 0x1000 0x2000" "1 brk 0x1000 = 0x1000 x"; do
	printf '1 mmap 0x10000 0x1000 rw anon private\n%s\n' "$line" > "$TMP/bad.vmt"
	"$VMSIM" trace info "$TMP/bad.vmt" >/dev/null 2>"$TMP/err"
	check_eq "exit of \"$line\"" "$?" 2
	check_eq "message of \"$line\" names the line" "$(grep -c 'bad.vmt:2:' "$TMP/err")" 1
done
done_tests
