# vm_huge.sh — transparent huge pages, exact counts derived by hand.
#  1. TLB reach (default Skylake-like TLB: l1d 64 x 4 KiB + 32 x 2 MiB entries, 4-way; stlb 1536
#     entries, 12-way, 4 KiB and 2 MiB). A 64 MiB region (16384 pages, 32 huge pages) is
#     written once and read twice, one access per 4 KiB page.
#     4 KiB pages: 16384 demand-zero faults; 16384 pages cycle through 64 + 1536 entries in
#     order, so every access misses both levels: 3 x 16384 = 49152 stlb misses (16384 a pass).
#     2 MiB pages (mmap ... huge): one fault per 2 MiB: 32 faults.thp, 32 fills; the 32 entries
#     fit l1d's 2 MiB array (8 sets x 4 ways, consecutive pages spread over the sets), so the
#     only misses are the 32 first touches: 32 stlb misses, 49152 - 32 = 49120 l1d hits.
#     A walk of a huge leaf reads 3 entries (it stops at the PMD).
#  2. tests/data/vm/thp_ops.vmt with 1536 frames (3 huge pages' worth): w and r fault two huge
#     pages (frames 0-1023); after fork the child's write to the first splits it and copies one
#     page (cow 1, copies 1); the child's munmap of one page of the second splits it; its
#     mprotect and read need nothing; after it exits pid 1's write to the second is a COW reuse
#     (cow 2). madvise(hugepage) on a new 2 MiB VMA: a write faults huge page 3 (frames
#     1024-1535, freed by the child's exit). 256 writes to a plain VMA then evict the oldest
#     pages, subpages 0..255 of the first huge page (256 evictions, all swapped out); the last
#     write to page 0 is a swap-in that evicts one more: 262 faults, 257 evictions, 2 splits.
#  3. Reclaim splits: 1024 frames; one huge page then 600 small pages: small page 513 finds
#     memory full, the LRU victim is the huge page: split, its head evicted, 511 subpages stay;
#     then small pages 0..86 go: 88 evictions, 1 split, 600 demand-zero + 1 thp faults.
#  4. vm.thp (one write pass over the 64 MiB): "never" ignores the huge flag (16384 4 KiB
#     faults); "always" gives huge pages even without the flag (32 faults); no aligned free
#     run: fallback to 4 KiB, counted.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
python3 - "$TMP" <<'PY'
import sys
tmp = sys.argv[1]
base = 0x40000000
for huge in (0, 1):
    with open(f"{tmp}/reach{huge}.vmt", "w") as f:
        f.write(f"1 mmap {hex(base)} 0x4000000 rw anon private{' huge' if huge else ''}\n")
        for p in range(3):
            op = "w" if p == 0 else "r"
            f.writelines(f"1 {op} {hex(base + i * 4096)}\n" for i in range(16384))
        f.write("1 exit\n")
for huge in (0, 1):
    with open(f"{tmp}/once{huge}.vmt", "w") as f:
        f.write(f"1 mmap {hex(base)} 0x4000000 rw anon private{' huge' if huge else ''}\n")
        f.writelines(f"1 w {hex(base + i * 4096)}\n" for i in range(16384))
        f.write("1 exit\n")
with open(f"{tmp}/split.vmt", "w") as f:
    f.write("1 mmap 0x200000 0x200000 rw anon private huge\n1 w 0x200000\n")
    f.write("1 mmap 0x10000000 0x258000 rw anon private\n")
    f.writelines(f"1 w {hex(0x10000000 + i * 4096)}\n" for i in range(600))
    f.write("1 exit\n")
PY
C=tests/data/vm/huge.json
K() { for k in "${@:2}"; do printf '%s ' "$(stat_of "$1" "$k")"; done; }
"$VMSIM" run $C --check=1000 --quiet -o "$TMP/r0" --set workload.path="$TMP/reach0.vmt" || fail "reach 4k exited $?"
"$VMSIM" run $C --check=1000 --quiet -o "$TMP/r1" --set workload.path="$TMP/reach1.vmt" || fail "reach 2m exited $?"
check_eq "4k: faults thp stlb.misses" "$(K "$TMP/r0" faults.total faults.thp tlb.stlb.misses)" "16384 0 49152 "
check_eq "2m: faults thp stlb.misses l1d.hits fills" \
	"$(K "$TMP/r1" faults.total faults.thp tlb.stlb.misses tlb.l1d.hits tlb.fills)" "32 32 32 49120 32 "
check_eq "2m: thp_pages_max" "$(stat_of "$TMP/r1" memory.thp_pages_max)" 32
# 64 walks (32 faults x 2); each reads 3 entries, the upper two mostly from the page-walk caches.
check_eq "2m: walks" "$(stat_of "$TMP/r1" walk.count)" 64
"$VMSIM" run $C --check --quiet -o "$TMP/ops" --set memory.frames=1536 --set memory.swap_pages=4096 ||
	fail "ops exited $?"
check_eq "ops: total thp cow copies dz swap_in evictions swap_out splits used_max" \
	"$(K "$TMP/ops" faults.total faults.thp faults.cow faults.cow_copies faults.demand_zero faults.swap_in reclaim.evictions reclaim.swap_out memory.thp_splits memory.frames_used_max)" \
	"262 3 2 1 256 1 257 257 2 1536 "
for r in on-demand watermark; do for sc in local; do
	"$VMSIM" run $C --check --quiet -o "$TMP/ops-$r-$sc" --set memory.frames=1536 \
		--set vm.reclaim=$r --set vm.scope=$sc --set vm.local_frames=1536 ||
		fail "ops $r $sc exited $?"
done; done
check_eq "ops local = global (one allocation of all frames)" \
	"$(K "$TMP/ops-on-demand-local" faults.total reclaim.evictions)" "262 257 "
"$VMSIM" run $C --check --quiet -o "$TMP/split" --set memory.frames=1024 \
	--set workload.path="$TMP/split.vmt" || fail "split exited $?"
check_eq "split: total thp dz evictions splits thp_pages" \
	"$(K "$TMP/split" faults.total faults.thp faults.demand_zero reclaim.evictions memory.thp_splits memory.thp_pages)" \
	"601 1 600 88 1 0 "
"$VMSIM" run $C --check=1000 --quiet -o "$TMP/never" --set vm.thp=never --set workload.path="$TMP/once1.vmt" ||
	fail "never exited $?"
check_eq "thp=never: faults thp" "$(K "$TMP/never" faults.total faults.thp)" "16384 0 "
"$VMSIM" run $C --check=1000 --quiet -o "$TMP/always" --set vm.thp=always --set workload.path="$TMP/once0.vmt" ||
	fail "always exited $?"
check_eq "thp=always: faults thp" "$(K "$TMP/always" faults.total faults.thp)" "32 32 "
# 1000 frames: one aligned run of 512 (frames 0-511); the second 2 MiB range finds none
# (frames 512-999 are 488) and its first fault falls back to a 4 KiB page (counted once); the
# next fault in that range finds the PTE table and is an ordinary 4 KiB fault: 3 faults, 1 thp,
# 1 fallback, 2 demand-zero.
printf '1 mmap 0x200000 0x400000 rw anon private huge\n1 w 0x200000\n1 w 0x400000\n1 w 0x401000\n1 exit\n' >"$TMP/fb.vmt"
"$VMSIM" run $C --check --quiet -o "$TMP/fb" --set memory.frames=1000 --set workload.path="$TMP/fb.vmt" ||
	fail "fallback exited $?"
check_eq "fallback: faults thp fallback dz" \
	"$(K "$TMP/fb" faults.total faults.thp faults.thp_fallback faults.demand_zero)" "3 1 1 2 "
done_tests
