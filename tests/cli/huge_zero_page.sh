# huge_zero_page.sh — the huge zero page (vm.thp_zero_page, docs/vm.md "Transparent huge
# pages"): a read fault in a THP region maps it by one PMD (nothing allocated), a write fault
# replaces it by a huge page (do_huge_zero_wp_pmd) or, with no 2 MiB run free, splits it into
# zero-page PTEs and copies one 4 KiB page; a partial munmap splits it. Counts derived from
# those rules; the 64 MiB case is Linux 6.18's (tests/linux/expected.tsv, thp_huge_zero_page).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { # stats DIR KEY...: the values of top-level keys of DIR/stats.json
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(s[k]) for k in sys.argv[2:]))' "$@"
}
# trace FILE MIB STEP_PAGES OPS...: a MADV_HUGEPAGE region of MIB MiB at 1 GiB; each op
# ("r", "w": every STEP_PAGES-th page; "munmap_1m": its first MiB) in turn.
trace() {
	python3 - "$@" <<'P'
import sys
f, mib, step, ops = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
base, pages = 0x40000000, int(sys.argv[2]) * 256
out = [f"1 mmap {hex(base)} {hex(mib << 20)} rw anon private",
       f"1 madvise {hex(base)} {hex(mib << 20)} hugepage"]
for op in ops:
    if op == "munmap_1m":
        out.append(f"1 munmap {hex(base)} 0x100000")
        base += 1 << 20
        pages -= 256
    else:
        out += [f"1 {op} {hex(base + (i << 12))}" for i in range(0, pages, step)]
open(f, "w").write("\n".join(out) + "\n")
P
}
run() { # run NAME TRACE [--set ...]: with the Linux 6.18 classic preset
	run_preset "$1" "$2" linux-6.18-classic.json "${@:3}"
}
# 64 MiB read, then written: 32 read faults map the huge zero page (no frame: rss 0), 32
# write faults replace each by a huge page: 64 faults (Linux: 32 + 32).
trace "$TMP/rw.vmt" 64 1 r w
run rw "$TMP/rw.vmt"
check_eq "read+write 64 MiB: total zero_page huge_zero_page thp cow thp_pages_max" \
	"$(stats "$TMP/rw" faults.total faults.zero_page faults.huge_zero_page faults.thp faults.cow memory.thp_pages_max)" \
	"64 32 32 32 32 32"
trace "$TMP/r.vmt" 64 1 r
run r "$TMP/r.vmt"
check_eq "read 64 MiB: total huge_zero_page thp frames_used_max" \
	"$(stats "$TMP/r" faults.total faults.huge_zero_page faults.thp memory.frames_used_max)" "32 32 0 0"
# use_zero_page = 0: a read fault allocates the huge page; the writes then hit.
run off "$TMP/rw.vmt" --set vm.thp_zero_page=false
check_eq "thp_zero_page off: total zero_page thp" \
	"$(stats "$TMP/off" faults.total faults.zero_page faults.thp)" "32 0 32"
# 12 MiB (6 PMDs) in 2559 frames: four 512-frame runs, then 511 frames. Read all: 6 faults.
# Write the first page of each PMD: 4 huge pages, then two fallbacks that split the huge zero
# PMD (thp_split_pmds) and copy one 4 KiB page each: 6 faults, 6 COW (4 huge + 2 small),
# rss 4 * 512 + 2 = 2050 frames.
trace "$TMP/fb.vmt" 12 512 r w
trace "$TMP/fb_all.vmt" 12 1 r
run fb "$TMP/fb.vmt" --set memory.frames=2559
check_eq "fallback: total huge_zero_page thp thp_fallback thp_split_pmds cow frames_used_max" \
	"$(stats "$TMP/fb" faults.total faults.huge_zero_page faults.thp faults.thp_fallback memory.thp_split_pmds faults.cow memory.frames_used_max)" \
	"12 6 4 2 2 6 2050"
# munmap of the first MiB splits the first huge zero PMD: its other 256 pages stay mapped to
# the zero page (no fault reading them again), and a write there is a 4 KiB zero-page COW.
trace "$TMP/mu.vmt" 4 1 r munmap_1m r
run mu "$TMP/mu.vmt"
check_eq "partial munmap: total huge_zero_page thp_split_pmds" \
	"$(stats "$TMP/mu" faults.total faults.huge_zero_page memory.thp_split_pmds)" "2 2 1"
trace "$TMP/muw.vmt" 4 1 r munmap_1m w
run muw "$TMP/muw.vmt"
# the 256 pages left of the split PMD: 256 4 KiB COW faults; the second PMD: one huge page
check_eq "partial munmap, then write: total thp cow demand_zero" \
	"$(stats "$TMP/muw" faults.total faults.thp faults.cow faults.demand_zero)" "259 1 257 0"
done_tests
