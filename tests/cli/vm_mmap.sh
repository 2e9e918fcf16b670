# vm_mmap.sh — mmap without MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_GROWSDOWN
# (docs/vm.md, "mmap: where the kernel puts a mapping"), results derived from Linux's
# mm/mmap.c (do_mmap, get_unmapped_area, thp_get_unmapped_area, expand_downwards):
#  2 MiB without a hint: top-down below mmap_base 0x7ffff7fff000, aligned to 2 MiB
#  (0x7ffff7c00000; the 2 MiB - 4 KiB above it is then filled, as linux-compare's
#  mmap_topdown does); 1 MiB: right below (0x7ffff7b00000, written: 1 fault); 2 MiB again: the
#  search for 4 MiB ends at 0x7ffff7700000, rounded up to 0x7ffff7800000 (a 1 MiB hole above
#  it); MAP_FIXED_NOREPLACE over the first mapping: EEXIST, its page written before keeps its
#  data (1 fault, then 0); over free space: at the address; a free hint is honoured, a taken one
#  ignored (top-down into the 1 MiB hole: 0x7ffff7aff000); 16 KiB with populate: below it
#  (0x7ffff7afb000, 4 faults); a recorded ENOMEM (8 TiB: overcommit, which vmsim does not
#  model) changes nothing and is a mismatch; growsdown on a shared mapping: EINVAL. A
#  MAP_GROWSDOWN region of 16 pages grows on a write a page below it and one 64 pages below (1
#  fault each), and after a mapping is made 300 pages below, on a write 40 pages further down
#  (259 pages above that mapping: 1 fault); a write 60 pages down (239 < stack_guard_gap 256)
#  is a segfault. 9 faults in all, 9 recorded results, 1 mismatch.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d.get(k)) for k in sys.argv[2:]))' "$@"; }

P=4096
R=0x30010000
LOW=$((R - 64 * P))
cat > "$TMP/t.vmt" <<V
1 mmap 0x0 0x200000 rw anon private hint = 0x7ffff7c00000
1 mmap 0x7ffff7e00000 0x1ff000 none anon private
1 mmap 0x0 0x100000 rw anon private hint
1 w 0x7ffff7b00000
1 mmap 0x0 0x200000 rw anon private hint = 0x7ffff7800000
1 w 0x7ffff7c00000
1 mmap 0x7ffff7c00000 0x1000 rw anon private noreplace = EEXIST
1 w 0x7ffff7c00000
1 mmap 0x10000000 0x1000 rw anon private noreplace = 0x10000000
1 mmap 0x20000000 0x1000 rw anon private hint = 0x20000000
1 mmap 0x20000000 0x1000 rw anon private hint = 0x7ffff7aff000
1 mmap 0x0 0x4000 rw anon private populate hint = 0x7ffff7afb000
1 mmap 0x0 0x80000000000 rw anon private hint noreserve = ENOMEM
1 mmap 0x40000000 0x1000 rw anon shared growsdown = EINVAL
1 mmap $(printf 0x%x $R) 0x10000 rw anon private growsdown
1 w $(printf 0x%x $((R - P)))
1 w $(printf 0x%x $LOW)
1 mmap $(printf 0x%x $((LOW - 300 * P))) 0x1000 r anon private
1 w $(printf 0x%x $((LOW - 40 * P)))
1 w $(printf 0x%x $((LOW - 60 * P)))
V
cat > "$TMP/c.json" <<J
{"seed": 1, "memory": {"frames": 100000}, "sim": {"timing": false}, "vm": {"policy": "lru"},
 "workload": {"type": "trace", "path": "$TMP/t.vmt", "format": "vmt"}}
J
KEYS="faults.total faults.demand_zero trace.recorded_results trace.result_mismatches sim.segfaults sim.unsupported_operations"
"$VMSIM" run "$TMP/c.json" -o "$TMP/r1" -q --check 2>/dev/null || fail "run failed"
check_eq "faults dz results mismatches segv unsupported" "$(stats "$TMP/r1" $KEYS)" "9 9 9 1 1 0"

"$VMSIM" trace convert "$TMP/t.vmt" "$TMP/t.vmb" >/dev/null
"$VMSIM" trace convert "$TMP/t.vmb" "$TMP/t2.vmt" >/dev/null
if cmp -s "$TMP/t.vmt" "$TMP/t2.vmt"; then ok; else fail "vmt -> vmb -> vmt is not the identity"; diff "$TMP/t.vmt" "$TMP/t2.vmt" | head -5 >&2; fi
sed "s|t.vmt\", \"format\": \"vmt\"|t.vmb\", \"format\": \"vmb\"|" "$TMP/c.json" > "$TMP/cb.json"
"$VMSIM" run "$TMP/cb.json" -o "$TMP/r2" -q --check 2>/dev/null
check_eq "vmb: the same stats" "$(stats "$TMP/r2" $KEYS)" "$(stats "$TMP/r1" $KEYS)"

# Bad lines: exit 2 naming the file and line.
for line in "1 mmap 0x0 0x1000 rw anon private hint noreplace" \
	"1 mmap 0x0 0x1000 rw anon private hint hint" "1 mmap 0x0 0x1000 rw anon private = ENOSUCH" \
	"1 mmap 0x0 0x1000 rw anon private sideways" "1 mmap 0x0 0x1000 rw anon private = 0x1000 x"; do
	printf '1 mmap 0x10000 0x1000 rw anon private\n%s\n' "$line" > "$TMP/bad.vmt"
	"$VMSIM" trace info "$TMP/bad.vmt" >/dev/null 2>"$TMP/err"
	check_eq "exit of \"$line\"" "$?" 2
	check_eq "message of \"$line\" names the line" "$(grep -c 'bad.vmt:2:' "$TMP/err")" 1
done
done_tests
