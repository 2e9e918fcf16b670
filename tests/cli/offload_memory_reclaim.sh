# offload_memory_reclaim.sh — `memory.reclaim` as a trace operation (docs/traces.md, docs/vm.md
# "Memory cgroups"): counts derived by hand. One process of group "box" writes 1000 pages
# (1000 demand-zero faults), writes 400 pages' worth of bytes to box's memory.reclaim, reads
# the 1000 pages (400 swap-ins), then asks its own group for 2000 pages: 1000 are all there
# are (Linux's -EAGAIN, counted), and the last read swaps in all 1000. Also: the root (no
# cgroups), vmb's extended record (text -> vmb -> text is the identity; the same results),
# an unknown group, bad lines, a reserved extended opcode.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }

python3 - "$TMP/t.vmt" <<'P'
import sys
L = ["1 mmap 0x10000000 0x3e8000 rw anon private"]
pages = ["0x%x" % (0x10000000 + i * 4096) for i in range(1000)]
L += ["1 w " + p for p in pages]
L += ["1 memory.reclaim 0x190000 box"]          # 400 pages
L += ["1 r " + p for p in pages]
L += ["1 memory.reclaim 0x7d0fff"]              # 2000 pages and 4095 bytes: 2000 asked
L += ["1 r " + p for p in pages]
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat > "$TMP/c.json" <<J
{"seed": 1, "memory": {"frames": 2000}, "sim": {"timing": false}, "vm": {"policy": "lru"},
 "cgroups": {"box": {}},
 "workload": {"type": "trace", "path": "$TMP/t.vmt", "format": "vmt", "cgroup": "box"}}
J
KEYS="faults.total faults.swap_in memory_reclaim.writes memory_reclaim.requested_pages memory_reclaim.reclaimed_pages memory_reclaim.eagain cgroup.box.peak_pages sim.unsupported_operations"
"$VMSIM" run "$TMP/c.json" -o "$TMP/r1" -q --check
check_eq "group box: faults swap_in writes asked reclaimed eagain peak unsupported" \
	"$(stats "$TMP/r1" $KEYS)" "2400 1400 2 2400 1400 1 1000 0"

# The same through vmb: one extended record per write, read back identically.
"$VMSIM" trace convert "$TMP/t.vmt" "$TMP/t.vmb" >/dev/null
"$VMSIM" trace convert "$TMP/t.vmb" "$TMP/t2.vmt" >/dev/null
if cmp -s "$TMP/t.vmt" "$TMP/t2.vmt"; then ok; else fail "vmt -> vmb -> vmt is not the identity"; fi
check_eq "trace info counts memory.reclaim" \
	"$("$VMSIM" trace info "$TMP/t.vmb" | grep -c '^  memory.reclaim: 2$')" "1"
sed "s|t.vmt\", \"format\": \"vmt\"|t.vmb\", \"format\": \"vmb\"|" "$TMP/c.json" > "$TMP/cb.json"
"$VMSIM" run "$TMP/cb.json" -o "$TMP/r2" -q --check
check_eq "vmb: the same stats" "$(stats "$TMP/r2" $KEYS)" "$(stats "$TMP/r1" $KEYS)"
VMSIM_VMB_PORTABLE=1 "$VMSIM" run "$TMP/cb.json" -o "$TMP/r2p" -q --check
check_eq "vmb, portable decoder: the same stats" "$(stats "$TMP/r2p" $KEYS)" "$(stats "$TMP/r1" $KEYS)"
# A trace without memory.reclaim lists no such line (trace info's output is unchanged).
head -1001 "$TMP/t.vmt" > "$TMP/plain.vmt"
check_eq "trace info without the operation" \
	"$("$VMSIM" trace info "$TMP/plain.vmt" | grep -c memory.reclaim)" "0"

# The root: no cgroups, no group named; global reclaim takes the same pages.
sed 's/ box$//' "$TMP/t.vmt" > "$TMP/root.vmt"
cat > "$TMP/root.json" <<J
{"seed": 1, "memory": {"frames": 2000}, "sim": {"timing": false}, "vm": {"policy": "lru"},
 "workload": {"type": "trace", "path": "$TMP/root.vmt", "format": "vmt"}}
J
"$VMSIM" run "$TMP/root.json" -o "$TMP/r3" -q --check
check_eq "root: faults swap_in writes asked reclaimed eagain" \
	"$(stats "$TMP/r3" faults.total faults.swap_in memory_reclaim.writes memory_reclaim.requested_pages memory_reclaim.reclaimed_pages memory_reclaim.eagain)" \
	"2400 1400 2 2400 1400 1"
# With the timing model on: the same counts (the writer pays for the scan and the evictions).
"$VMSIM" run "$TMP/root.json" -o "$TMP/r4" -q --check --set sim.timing=true
check_eq "timed: same counts" "$(stats "$TMP/r4" faults.total memory_reclaim.reclaimed_pages)" "2400 1400"

# A group that is not in the config: the process ends there (sim.unsupported_operations).
sed 's/ box$/ nosuch/' "$TMP/t.vmt" > "$TMP/unknown.vmt"
sed "s|$TMP/t.vmt|$TMP/unknown.vmt|" "$TMP/c.json" > "$TMP/u.json"
"$VMSIM" run "$TMP/u.json" -o "$TMP/r5" -q 2>/dev/null
check_eq "unknown group: faults unsupported" "$(stats "$TMP/r5" faults.total sim.unsupported_operations)" "1000 1"

# Bad lines: exit 2 naming the file and line.
printf '1 mmap 0x1000 0x1000 rw anon private\n1 memory.reclaim\n' > "$TMP/bad1.vmt"
msg=$("$VMSIM" trace info "$TMP/bad1.vmt" 2>&1); rc=$?
check_eq "no length: exit" "$rc" "2"
check_eq "no length: message" "$(echo "$msg" | grep -c 'bad1.vmt:2: .*PID memory.reclaim BYTES \[CGROUP\]')" "1"
printf '1 memory.reclaim 12x\n' > "$TMP/bad2.vmt"
"$VMSIM" trace info "$TMP/bad2.vmt" >/dev/null 2>&1
check_eq "bad length: exit" "$?" "2"
# A reserved extended opcode (31 = kind 30, not defined yet) in a vmb file: exit 2, named.
printf '\x89VMB\x01\x00\x00\x00\x3f\x01\x00\x0f' > "$TMP/ext.vmb"
msg=$("$VMSIM" trace info "$TMP/ext.vmb" 2>&1); rc=$?
check_eq "reserved extended opcode: exit" "$rc" "2"
check_eq "reserved extended opcode: message" "$(echo "$msg" | grep -c 'unknown extended record opcode 31')" "1"
done_tests
