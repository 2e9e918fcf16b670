# mremap.sh — mremap as a trace operation (docs/traces.md, docs/vm.md): counts derived by hand
# from Linux's mm/mremap.c. 4096 pages written (4096 faults); a grow blocked by a page above
# without maymove (= ENOMEM, nothing changes); the same with maymove to the recorded address
# (the PTEs move: reading the 4096 pages faults 0 times; the new half: 4096 faults); a shrink to
# 2048 pages (the tail freed); MREMAP_FIXED (0 faults after); MREMAP_DONTUNMAP (0 faults at the
# new place, 2048 zero-page faults at the old); a move without a recorded address goes
# top-down below mmap_base (0x7ffff7fff000 - its length); EFAULT, EINVAL and a wrong recorded
# result (counted). 2 MiB pages: a congruent move keeps the PMDs, an incongruent one splits
# them, no fault either way. Also vmb's extended record (text -> vmb -> text is the identity;
# same results) and bad lines.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d.get(k)) for k in sys.argv[2:]))' "$@"; }

python3 - "$TMP/t.vmt" <<'P'
import sys
P4, M = 4096, 1 << 20
A, B, C, D = 0x10000000, 0x20000000, 0x30000000, 0x40000000
L = []
def scan(k, base, n): L.extend("1 %s 0x%x" % (k, base + i * P4) for i in range(n))
L.append("1 mmap 0x%x 0x%x rw anon private" % (A, 16 * M))
scan("w", A, 4096)                                   # 4096
L.append("1 mmap 0x%x 0x1000 r anon private" % (A + 16 * M))
L.append("1 mremap 0x%x 0x%x 0x%x = ENOMEM" % (A, 16 * M, 32 * M))
L.append("1 mremap 0x%x 0x%x 0x%x maymove = 0x%x" % (A, 16 * M, 32 * M, B))
scan("r", B, 4096)                                   # 0
scan("w", B + 16 * M, 4096)                          # 4096
L.append("1 mremap 0x%x 0x%x 0x%x = 0x%x" % (B, 32 * M, 8 * M, B))
scan("r", B, 2048)                                   # 0
L.append("1 mremap 0x%x 0x%x 0x%x maymove fixed 0x%x = 0x%x" % (B, 8 * M, 8 * M, C, C))
scan("r", C, 2048)                                   # 0
L.append("1 mremap 0x%x 0x%x 0x%x maymove dontunmap = 0x%x" % (C, 8 * M, 8 * M, D))
scan("r", D, 2048)                                   # 0
scan("r", C, 2048)                                   # 2048 (zero page)
L.append("1 mmap 0x%x 0x1000 r anon private" % (D + 8 * M))
L.append("1 mremap 0x%x 0x%x 0x%x maymove" % (D, 8 * M, 16 * M))
T = 0x7ffff7fff000 - 16 * M
scan("r", T, 2048)                                   # 0
L.append("1 mremap 0x50000000 0x1000 0x2000 = EFAULT")
L.append("1 mremap 0x%x 0x1000 0x2000 = EINVAL" % (T + 1))
L.append("1 mremap 0x%x 0x1000 0x1000 fixed 0x60000000 = EINVAL" % T)
L.append("1 mremap 0x%x 0x1000 0x1000 = 0x1234000" % T)   # Linux gives T: a mismatch
# 2 MiB pages: 8 MiB written (4 huge faults), moved congruently, then by 4 KiB off.
H = 0x80000000
L.append("1 mmap 0x%x 0x%x rw anon private huge" % (H, 8 * M))
scan("w", H, 2048)                                   # 4
L.append("1 mremap 0x%x 0x%x 0x%x maymove fixed 0x%x = 0x%x" % (H, 8 * M, 8 * M, H + 64 * M, H + 64 * M))
scan("r", H + 64 * M, 2048)                          # 0
L.append("1 mremap 0x%x 0x%x 0x%x maymove fixed 0x%x" % (H + 64 * M, 8 * M, 8 * M, H + 128 * M + P4))
scan("w", H + 128 * M + P4, 2048)                    # 0
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat > "$TMP/c.json" <<J
{"seed": 1, "memory": {"frames": 100000}, "sim": {"timing": false}, "vm": {"policy": "lru", "thp": "madvise"},
 "workload": {"type": "trace", "path": "$TMP/t.vmt", "format": "vmt"}}
J
KEYS="faults.total trace.recorded_results trace.result_mismatches memory.thp_split_pmds sim.segfaults sim.unsupported_operations"
"$VMSIM" run "$TMP/c.json" -o "$TMP/r1" -q --check || fail "run failed"
check_eq "faults results mismatches split_pmds segv unsupported" \
	"$(stats "$TMP/r1" $KEYS)" "10244 10 1 4 0 0"

"$VMSIM" trace convert "$TMP/t.vmt" "$TMP/t.vmb" >/dev/null
"$VMSIM" trace convert "$TMP/t.vmb" "$TMP/t2.vmt" >/dev/null
if cmp -s "$TMP/t.vmt" "$TMP/t2.vmt"; then ok; else fail "vmt -> vmb -> vmt is not the identity"; fi
check_eq "trace info counts mremap" \
	"$("$VMSIM" trace info "$TMP/t.vmb" | grep -c '^  mremap: 12$')" "1"
sed "s|t.vmt\", \"format\": \"vmt\"|t.vmb\", \"format\": \"vmb\"|" "$TMP/c.json" > "$TMP/cb.json"
"$VMSIM" run "$TMP/cb.json" -o "$TMP/r2" -q --check
check_eq "vmb: the same stats" "$(stats "$TMP/r2" $KEYS)" "$(stats "$TMP/r1" $KEYS)"

# The old address after a move is unmapped: a read there is a segfault.
printf '1 mmap 0x10000000 0x2000 rw anon private\n1 w 0x10000000\n1 mremap 0x10000000 0x2000 0x2000 maymove fixed 0x20000000\n1 r 0x20000000\n1 r 0x10000000\n' > "$TMP/segv.vmt"
sed "s|$TMP/t.vmt|$TMP/segv.vmt|" "$TMP/c.json" > "$TMP/s.json"
"$VMSIM" run "$TMP/s.json" -o "$TMP/r3" -q --check 2>/dev/null
check_eq "old address: faults segfaults" "$(stats "$TMP/r3" faults.total sim.segfaults)" "1 1"

# Bad lines: exit 2 naming the file and line.
for line in "1 mremap 0x1000 0x1000" "1 mremap 0x1000 0x1000 0x2000 fixed" \
	"1 mremap 0x1000 0x1000 0x2000 = ENOSUCH" "1 mremap 0x1000 0x1000 0x2000 sideways" \
	"1 mremap 0x1000 0x1000 0x2000 maymove fixed 0x5000 = 0x6000"; do
	printf '1 mmap 0x1000 0x1000 rw anon private\n%s\n' "$line" > "$TMP/bad.vmt"
	msg=$("$VMSIM" trace info "$TMP/bad.vmt" 2>&1); rc=$?
	check_eq "\"$line\": exit" "$rc" "2"
	check_eq "\"$line\": message names the line" "$(echo "$msg" | grep -c 'bad.vmt:2: ')" "1"
done
done_tests
