# vm_mthp_reclaim.sh — reclaim and memcg charging of anonymous mTHP folios (models/vm/mthp.c,
# vmscan.c's reclaim_anon_folio, memcontrol.c; docs/vm.md "Anonymous mTHP"): the policy holds
# a folio as one unit; reclaim swaps it out whole to an aligned run of free slots (one write of
# 64 KiB) or, with none, splits it and swaps 4 KiB pages; swap-in is 4 KiB; a cgroup charges
# the folio whole and a charge past memory.max falls back to the next order. Every count below
# is derived by hand from those rules (the comments give the derivation).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
# vmt FILE LINE...: a vmt trace; "w A N" / "r A N" expand to N page accesses from address A
vmt() {
	python3 - "$@" <<'P'
import sys
out = []
for l in sys.argv[2:]:
    f = l.split()
    if f[0] in ("w", "r") and len(f) == 3:
        out += [f"1 {f[0]} {hex(int(f[1], 0) + (i << 12))}" for i in range(int(f[2]))]
    else:
        out.append("1 " + l)
open(sys.argv[1], "w").write("\n".join(out) + "\n")
P
}
run() { # run NAME TRACE [--set ...]: the Linux 6.18 classic preset, 64 KiB mTHP always, timed
	run_preset "$1" "$2" linux-6.18-classic.json --set vm.mthp.64kB='"always"' \
		--set sim.timing=true --set memory.swap_pages=1024 "${@:3}"
}
A=0x40000000
B=0x50000000
K64='mthp.64kB.anon_fault_alloc mthp.64kB.swpout mthp.64kB.swpout_fallback mthp.64kB.split'
IO='disk.nvme0.writes disk.nvme0.write_bytes disk.nvme0.reads disk.nvme0.read_bytes'

# MADV_PAGEOUT (Linux's probe does the same): 1 MiB written (16 folios), then folio 0 and
# folio 1 paged out by two calls (each whole: one 64 KiB write), then pages 48-55 (half of
# folio 3: split, 8 pages swapped 4 KiB each to consecutive slots: one 32 KiB write); every
# page read back: 40 major faults, each a 4 KiB read.
vmt "$TMP/po.vmt" "mmap $A 0x100000 rw anon private" "w $A 256" \
	"madvise $A 0x10000 pageout" "madvise 0x40010000 0x10000 pageout" \
	"madvise 0x40030000 0x8000 pageout" "r $A 256"
run po "$TMP/po.vmt"
check_eq "pageout: alloc swpout fallback split" "$(stats "$TMP/po" $K64)" "16 2 0 1"
check_eq "pageout: total major swap_out evictions" \
	"$(stats "$TMP/po" faults.total faults.major reclaim.swap_out reclaim.evictions)" "56 40 40 40"
check_eq "pageout: writes bytes reads bytes" "$(stats "$TMP/po" $IO)" "3 163840 40 163840"

# Memory pressure: 64 frames, 8 folios written page by page. Folios 0-3 fill memory; the
# first page of each later folio finds no free 64 KiB run (anon_fault_fallback), the 4 KiB
# path reclaims the least recently used unit, folio k-4, whole (one 64 KiB write, 16 frames
# free) and folio k's 16 pages take them 4 KiB at a time (its range is no longer none): 4 + 64
# faults. Reading folios 0-3 back: 64 major faults (4 KiB swap-in), each evicting the least
# recent 4 KiB page (a 4 KiB write): writes 4 + 64, 4 * 64 KiB + 64 * 4 KiB.
vmt "$TMP/pr.vmt" "mmap $A 0x80000 rw anon private" "w $A 128" "r $A 64"
run pr "$TMP/pr.vmt" --set memory.frames=64
check_eq "pressure: alloc swpout fallback split" "$(stats "$TMP/pr" $K64)" "4 4 0 0"
check_eq "pressure: total major fault_fallback swap_out evictions" \
	"$(stats "$TMP/pr" faults.total faults.major mthp.64kB.anon_fault_fallback reclaim.swap_out reclaim.evictions)" \
	"132 64 4 128 128"
check_eq "pressure: writes bytes reads bytes" "$(stats "$TMP/pr" $IO)" "68 524288 64 262144"
# The same with kswapd (watermark reclaim: folios under writeback as one): every folio still
# goes out whole.
run prw "$TMP/pr.vmt" --set memory.frames=64 --set vm.reclaim='"watermark"'
check_eq "pressure, kswapd: swpout fallback split swap_out" \
	"$(stats "$TMP/prw" mthp.64kB.swpout mthp.64kB.swpout_fallback mthp.64kB.split reclaim.swap_out)" "4 0 0 128"

# One unit on the LRU: folios 0-3 fill 64 frames, then page 15 of folio 0 is read (folio 0 is
# the most recent unit). Page 0 of folio 4 reclaims folio 1, not folio 0: reading page 0 of
# folio 0 hits, page 0 of folio 1 is a major fault. (Pages held apart, page 0 of folio 0
# would have been the least recent page.) 4 + 1 + 1 faults.
vmt "$TMP/unit.vmt" "mmap $A 0x50000 rw anon private" "w $A 64" "r 0x4000f000 1" \
	"w 0x40040000 1" "r $A 1" "r 0x40010000 1"
run unit "$TMP/unit.vmt" --set memory.frames=64
check_eq "unit: total major swpout evictions" \
	"$(stats "$TMP/unit" faults.total faults.major mthp.64kB.swpout reclaim.evictions)" "6 1 1 16"

# A fragmented swap device: 32 4 KiB pages (MADV_NOHUGEPAGE) paged out to slots 0-31, then
# all but pages 0 and 16 dropped (MADV_DONTNEED frees their slots): slots 0 and 16 stay used.
# With 32 slots no aligned run of 16 is free: paging out a folio falls back (split), its 16
# pages take slots 1-15 and 17 (two writes: 15 pages, then 1). With 48 slots, slots 32-47 are
# a free run: the folio goes whole (one write). Reading it back: 16 major faults.
vmt "$TMP/frag.vmt" "mmap $A 0x20000 rw anon private" "madvise $A 0x20000 nohugepage" \
	"w $A 32" "madvise $A 0x20000 pageout" "madvise 0x40001000 0xf000 dontneed" \
	"madvise 0x40011000 0xf000 dontneed" "mmap $B 0x10000 rw anon private" "w $B 16" \
	"madvise $B 0x10000 pageout" "r $B 16"
run frag32 "$TMP/frag.vmt" --set memory.swap_pages=32
check_eq "fragmented 32 slots: alloc swpout fallback split" "$(stats "$TMP/frag32" $K64)" "1 0 1 1"
check_eq "fragmented 32 slots: writes bytes, major, swap_out" \
	"$(stats "$TMP/frag32" disk.nvme0.writes disk.nvme0.write_bytes faults.major reclaim.swap_out)" \
	"3 196608 16 48"
run frag48 "$TMP/frag.vmt" --set memory.swap_pages=48
check_eq "fragmented 48 slots: alloc swpout fallback split" "$(stats "$TMP/frag48" $K64)" "1 1 0 0"
check_eq "fragmented 48 slots: writes bytes, major, swap_out" \
	"$(stats "$TMP/frag48" disk.nvme0.writes disk.nvme0.write_bytes faults.major reclaim.swap_out)" \
	"2 196608 16 48"

# memcg: a cgroup with memory.max 40 pages, 16K and 64K always, 64 pages written. Page 0: a
# 64K folio (16 charged), page 16: another (32). Page 32: 64K would pass 40 (fallback_charge),
# a 16K folio (36); page 36: 16K (40). Page 40: 16K fails the charge; the 4 KiB charge
# reclaims in the group (memory.events max): folio 0 goes whole (24), then 4 KiB pages 40-43
# (28), a 16K folio at 44 (32). Pages 48-63 the same way: 64K fails, 16K at 48 and 52 (40),
# 16K fails at 56, folio 1 goes whole, 4 KiB 56-59, 16K at 60. 16 faults; peak 40; 32 swapped.
vmt "$TMP/cg.vmt" "mmap $A 0x40000 rw anon private" "w $A 64"
printf '{"seed": 1, "extends": "%s", "sim": {"timing": false}, "memory": {"swap_pages": 1024}, "cgroups": {"box": {"memory_max_pages": 40}}, "workload": {"type": "trace", "path": "%s", "format": "vmt", "cgroup": "box"}}\n' \
	"$(cd "$(dirname "$0")/../.." && pwd)/configs/presets/linux-6.18-classic.json" "$TMP/cg.vmt" >"$TMP/cg.json"
"$VMSIM" run "$TMP/cg.json" -o "$TMP/cg" -q --check=16 --set vm.mthp.64kB='"always"' --set vm.mthp.16kB='"always"'
check_eq "memcg: 64K alloc fallback fallback_charge swpout" \
	"$(stats "$TMP/cg" mthp.64kB.anon_fault_alloc mthp.64kB.anon_fault_fallback mthp.64kB.anon_fault_fallback_charge mthp.64kB.swpout)" \
	"2 2 2 2"
check_eq "memcg: 16K alloc fallback fallback_charge" \
	"$(stats "$TMP/cg" mthp.16kB.anon_fault_alloc mthp.16kB.anon_fault_fallback mthp.16kB.anon_fault_fallback_charge)" \
	"6 2 2"
check_eq "memcg: total, events.max, peak, swap peak, swap_out" \
	"$(stats "$TMP/cg" faults.total cgroup.box.events.max cgroup.box.peak_pages cgroup.box.swap_peak_pages reclaim.swap_out)" \
	"16 2 40 32 32"
done_tests
