# vm_mthp.sh — anonymous multi-size THP (vm.mthp.<N>kB, models/vm/mthp.c, docs/vm.md
# "Anonymous mTHP"): one fault maps a whole folio; the largest allowed order whose aligned
# range lies in the VMA with every PTE none; fallbacks to smaller orders when no aligned run of
# free frames is left; COW copies 4 KiB pages and reuses a folio's page only when the folio is
# mapped by the writer alone; MADV_DONTNEED leaves 4 KiB holes. Every count is derived from
# those rules (the 64 MiB and fork cases are Linux 6.18's: tests/linux/expected.tsv, mthp_*).
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { # stats DIR KEY...: the values of top-level keys of DIR/stats.json
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(s[k]) for k in sys.argv[2:]))' "$@"
}
pstats() { # pstats DIR PID KEY...: the values of process PID's keys
	python3 -c 'import json,sys
p=[p for p in json.load(open(sys.argv[1]+"/stats.json"))["processes"] if p["pid"]==int(sys.argv[2])][0]
print(" ".join(str(p[k]) for k in sys.argv[3:]))' "$@"
}
# trace FILE START LEN OPS...: process 1 maps [START, +LEN) anonymous private; each op in turn:
# "w" / "r": every page; "wS:F[:E]" / "rS:F[:E]": every S-th page from page F (to page E
# excluded; pid 1 unless "P:" is
# written before: "2:w16:0"); "madvise:ADVICE"; "dontneed_half16": the second half of each
# 16 pages; any other word is a raw vmt line with "_" for spaces ("1_fork_2").
trace() {
	python3 - "$@" <<'P'
import sys
f, start, length, ops = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0), sys.argv[4:]
pages = length >> 12
out = [f"1 mmap {hex(start)} {hex(length)} rw anon private"]
for op in ops:
    pid = "1"
    if op[:2] in ("1:", "2:"):
        pid, op = op[0], op[2:]
    if op.startswith("madvise:"):
        out.append(f"1 madvise {hex(start)} {hex(length)} {op[8:]}")
    elif op == "dontneed_half16":
        out += [f"1 madvise {hex(start + ((i + 8) << 12))} 0x8000 dontneed" for i in range(0, pages, 16)]
    elif op[0] in "rw" and (len(op) == 1 or op[1].isdigit()):
        step, first, end = ([int(x) for x in op[1:].split(":")] + [pages])[:3] if len(op) > 1 else (1, 0, pages)
        out += [f"{pid} {op[0]} {hex(start + (i << 12))}" for i in range(first, end, step)]
    else:
        out.append(op.replace("_", " "))
open(f, "w").write("\n".join(out) + "\n")
P
}
run() { # run NAME TRACE [--set ...]: with the Linux 6.18 classic preset
	run_preset "$1" "$2" linux-6.18-classic.json "${@:3}"
}
A64='--set vm.mthp.64kB="always"'
SMALL='--set memory.frames=20000' # 64 MiB runs: --check's walks stay short
MIB=0x100000

# 64 MiB written with 64 KiB folios: one fault per folio (Linux: 1024).
trace "$TMP/w64.vmt" 0x40000000 0x4000000 w
run w64 "$TMP/w64.vmt" $A64 $SMALL
check_eq "64 MiB, 64K: total demand_zero alloc fallback frames_used_max" \
	"$(stats "$TMP/w64" faults.total faults.demand_zero mthp.64kB.anon_fault_alloc mthp.64kB.anon_fault_fallback memory.frames_used_max)" \
	"1024 1024 1024 0 16384"
# The default (every size never): 4 KiB faults, and no mthp.* keys in stats.json.
run w4 "$TMP/w64.vmt" $SMALL
check_eq "64 MiB, mTHP never: total, mthp keys" \
	"$(stats "$TMP/w4" faults.total) $(grep -c '"mthp\.' "$TMP/w4/stats.json")" "16384 0"

# Orders by alignment: 16K, 64K and 1M always; [0x40010000, 0x40225000) (533 pages): the
# first MiB is not whole in the VMA: 15 64K folios to 0x40100000; then one 1M folio; 2 64K
# folios to 0x40220000; a 16K folio; the last page alone (4 KiB): 20 faults.
trace "$TMP/mix.vmt" 0x40010000 0x215000 w
run mix "$TMP/mix.vmt" --set vm.mthp.16kB='"always"' $A64 --set vm.mthp.1024kB='"always"'
check_eq "orders by alignment: total alloc16 alloc64 alloc1024 frames_used_max" \
	"$(stats "$TMP/mix" faults.total mthp.16kB.anon_fault_alloc mthp.64kB.anon_fault_alloc mthp.1024kB.anon_fault_alloc memory.frames_used_max)" \
	"20 1 17 1 533"

# Fallback: 1030 frames hold 64 aligned 64K runs (frames 0-1023) and 6 frames more. Writing
# pages 0-1029 of a 1040-page region: 64 folios; page 1024: the 64K allocation fails (fallback), a 16K folio
# (frames 1024-1027); page 1028: its 64K range is not none, the 16K run 1028-1031 is past the
# end (fallback), a 4 KiB page; page 1029: 4 KiB. 67 faults, no reclaim.
trace "$TMP/fb.vmt" 0x40000000 0x410000 w1:0:1030
run fb "$TMP/fb.vmt" --set memory.frames=1030 --set vm.mthp.16kB='"always"' $A64
check_eq "fallback: total alloc64 fallback64 alloc16 fallback16 evictions frames_used_max" \
	"$(stats "$TMP/fb" faults.total mthp.64kB.anon_fault_alloc mthp.64kB.anon_fault_fallback mthp.16kB.anon_fault_alloc mthp.16kB.anon_fault_fallback reclaim.evictions memory.frames_used_max)" \
	"67 64 1 1 1 0 1030"

# Read faults map the zero page (4 KiB, no folio), their writes copy it 4 KiB at a time:
# 1 MiB read then written: 256 + 256 faults. With vm.zero_page off a read allocates the
# folio: 16 faults, and the writes hit.
trace "$TMP/rw.vmt" 0x40000000 $MIB r w
run rw "$TMP/rw.vmt" $A64
check_eq "read then write: total zero_page cow alloc64" \
	"$(stats "$TMP/rw" faults.total faults.zero_page faults.cow mthp.64kB.anon_fault_alloc)" "512 256 256 0"
run rwnz "$TMP/rw.vmt" $A64 --set vm.zero_page=false
check_eq "zero page off: total zero_page alloc64" \
	"$(stats "$TMP/rwnz" faults.total faults.zero_page mthp.64kB.anon_fault_alloc)" "16 0 16"

# Modes on a 1 MiB region (2 MiB pages cannot fit): madvise needs MADV_HUGEPAGE; inherit
# follows vm.thp; MADV_NOHUGEPAGE turns "always" off.
trace "$TMP/plain.vmt" 0x40000000 $MIB w
trace "$TMP/hp.vmt" 0x40000000 $MIB madvise:hugepage w
trace "$TMP/nohp.vmt" 0x40000000 $MIB madvise:nohugepage w
run m1 "$TMP/plain.vmt" --set vm.mthp.64kB='"madvise"'
run m2 "$TMP/hp.vmt" --set vm.mthp.64kB='"madvise"'
run m3 "$TMP/plain.vmt" --set vm.mthp.64kB='"inherit"'
run m4 "$TMP/plain.vmt" --set vm.mthp.64kB='"inherit"' --set vm.thp='"always"'
run m5 "$TMP/nohp.vmt" $A64
check_eq "modes: madvise plain/hugepage, inherit madvise/always, always+nohugepage" \
	"$(stats "$TMP/m1" faults.total) $(stats "$TMP/m2" faults.total) $(stats "$TMP/m3" faults.total) $(stats "$TMP/m4" faults.total) $(stats "$TMP/m5" faults.total)" \
	"256 16 256 16 256"

# MADV_DONTNEED of the second half of each folio, then every page written: the freed halves
# come back 4 KiB at a time (the first halves keep each 64K range from being none): 16 + 128
# faults (Linux, 64 MiB: 1024 + 8192).
trace "$TMP/dn.vmt" 0x40000000 $MIB w dontneed_half16 w
run dn "$TMP/dn.vmt" $A64
check_eq "dontneed half: total demand_zero alloc64 frames_used_max" \
	"$(stats "$TMP/dn" faults.total faults.demand_zero mthp.64kB.anon_fault_alloc memory.frames_used_max)" \
	"144 144 16 256"

# fork: both processes write the first page of each of the 16 folios, in whatever order the
# scheduler runs them: the first writer copies (the page is shared), the second copies too
# (its page is mapped once, but the folio is still mapped by the other process:
# wp_can_reuse_anon_folio says no): 16 copies each. After the child exits the parent's writes
# to the second page of each folio reuse (the folio is the parent's alone): 16 COW faults, no
# copy. (Pages reused one at a time would make it 16 copies in all, not 32.)
trace "$TMP/fork.vmt" 0x40000000 $MIB w "1_fork_2" "1:w16:0" "2:w16:0" "2_exit" "1_wait_2" "1:w16:1"
run fork "$TMP/fork.vmt" $A64
check_eq "fork: parent total cow cow_copies; child total cow cow_copies" \
	"$(pstats "$TMP/fork" 1 faults.total faults.cow faults.cow_copies); $(pstats "$TMP/fork" 2 faults.total faults.cow faults.cow_copies)" \
	"48 32 16; 16 16 16"
# Linux's mthp_fork (64 MiB): the child writes pages 0 and 1 of each folio (1024 copies
# each), then after it exits the parent's writes to page 0 reuse: 1024 faults, no copy.
trace "$TMP/lfork.vmt" 0x40000000 0x4000000 w "1_fork_2" "1_wait_2" "2:w16:0" "2:w16:1" "2_exit" "1:w16:0"
run lfork "$TMP/lfork.vmt" $A64 $SMALL
check_eq "Linux mthp_fork: parent total cow_copies; child total cow_copies" \
	"$(pstats "$TMP/lfork" 1 faults.total faults.cow_copies); $(pstats "$TMP/lfork" 2 faults.total faults.cow_copies)" \
	"2048 0; 2048 2048"

# Bad values name the key (exit 2).
"$VMSIM" run "$TMP/w64.json" -o "$TMP/bad" -q --set vm.mthp.64kB='"sometimes"' 2>"$TMP/err1"
check_eq "bad mode: exit status" "$?" "2"
grep -q 'vm.mthp.64kB' "$TMP/err1" && ok || fail "bad mode: message names vm.mthp.64kB: $(cat "$TMP/err1")"
"$VMSIM" run "$TMP/w64.json" -o "$TMP/bad" -q --set vm.mthp.8kB='"always"' 2>"$TMP/err2"
check_eq "unknown size: exit status" "$?" "2"
grep -q 'vm.mthp.8kB' "$TMP/err2" && ok || fail "unknown size: message names vm.mthp.8kB: $(cat "$TMP/err2")"
done_tests
