# file_folios.sh — large page-cache folios (vm.file_folio_pages, docs/vm.md, "Large file
# folios"): Linux 6.18's counts on ext4 (tests/linux/expected.tsv, folio_*) for a 32 MiB file
# read through a mapping once it is cached, and for a 16 MiB shared write; hand-derived counts
# for a file that is not cached; a bad size refused with its JSON path.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
pfaults() { # pfaults DIR INDEX KEY...: keys of processes[INDEX]
	python3 -c 'import json,sys; p=json.load(open(sys.argv[1]+"/stats.json"))["processes"][int(sys.argv[2])]; print(" ".join(str(p[k]) for k in sys.argv[3:]))' "$@"
}
# The first process reads the 8192-page file into the page cache; the second, started later,
# maps it and reads it whole: its faults are those of the cached file.
cat > "$TMP/f.json" <<'J'
{"seed": 1, "memory": {"frames": 20000},
 "workloads": [{"type": "mmap-scan", "file": "data", "file_pages": 8192, "write_fraction": 0},
               {"type": "mmap-scan", "file": "data", "file_pages": 8192, "write_fraction": 0,
                "start_ps": 1000000000000}]}
J
# 1 MiB folios (written with 1 MiB writes): 31 folios mapped whole by one fault each, and the
# folio holding the last page by fault-around, 16 pages a fault: 31 + 16 = 47 (Linux 6.18: 47).
"$VMSIM" run "$TMP/f.json" -o "$TMP/o1" -q --check=256 --set vm.file_folio_pages=256
check_eq "cached, 1 MiB folios: minor major" "$(pfaults "$TMP/o1" 1 faults.minor faults.major)" "47 0"
# 4 KiB folios: fault-around alone, 8192 / 16 = 512 (Linux: 512).
"$VMSIM" run "$TMP/f.json" -o "$TMP/o2" -q --check=256 --set vm.file_folio_pages=1
check_eq "cached, 4 KiB folios: minor major" "$(pfaults "$TMP/o2" 1 faults.minor faults.major)" "512 0"
# The first reader found nothing cached: each folio's first fault reads the folio (32 major
# faults, one per folio); the 31 whole ones are mapped by it, the last gets its faulting page
# and then fault-around windows: 15 more faults for the rest of its first 16 pages' window
# (the faulting page is mapped alone: its neighbours were not cached when fault-around ran)
# and 15 for the next 15 windows: 32 major + 16 minor.
check_eq "uncached, 1 MiB folios: minor major" "$(pfaults "$TMP/o1" 0 faults.minor faults.major)" "16 32"
# A shared write of a 16 MiB file (4096 pages) in 1 MiB folios: a write fault maps the whole
# folio writable and dirty, the last one too: 16 faults (Linux: 16).
cat > "$TMP/w.json" <<'J'
{"seed": 1, "memory": {"frames": 20000},
 "workload": {"type": "mmap-scan", "file": "data", "file_pages": 4096, "shared": true,
              "write_fraction": 1}}
J
"$VMSIM" run "$TMP/w.json" -o "$TMP/w1" -q --check=256 --set vm.file_folio_pages=256
check_eq "shared write, 1 MiB folios: faults" "$(pfaults "$TMP/w1" 0 faults.total)" "16"
"$VMSIM" run "$TMP/w.json" -o "$TMP/w2" -q --check=256 --set vm.file_folio_pages=1
check_eq "shared write, 4 KiB folios: faults" "$(pfaults "$TMP/w2" 0 faults.total)" "4096"
out=$("$VMSIM" run "$TMP/w.json" -o "$TMP/bad" -q --set vm.file_folio_pages=96 2>&1)
rc=$?
if [ $rc -eq 2 ] && [[ $out == *w.json*"vm.file_folio_pages: expected a power of two, got 96"* ]]; then ok; else fail "bad folio size: rc $rc: $out"; fi
# Folios sized by write(2) (vm.file_folio_max_pages, docs/vm.md): each write_begin takes
# ilog2 of the bytes left (up to the largest folio, to its boundary), lowered to the page's
# alignment and until no page of the range is cached; a MAP_SHARED write fault then maps a
# whole folio, so the faults count the folios.
PRESET="$(cd "$(dirname "$0")/../.." && pwd)/configs/presets/linux-6.18.json"
wtrace() { # wtrace FILE SIZE "OFF LEN"...: declare, write each range, map shared, write all
	python3 - "$@" <<'P'
import sys
f, size, writes = sys.argv[1], int(sys.argv[2], 0), sys.argv[3:]
out = [f"file d {hex(size)}"]
out += [f"1 write d {w.split()[0]} {w.split()[1]}" for w in writes]
out.append(f"1 mmap 0x80000000 {hex(size)} rw file:d:0 shared")
out += [f"1 w {hex(0x80000000 + (i << 12))}" for i in range(size >> 12)]
open(f, "w").write("\n".join(out) + "\n")
P
}
wrun() { # wrun NAME TRACE MAX_PAGES: the faults of the shared write phase (all of them)
	printf '{"seed": 1, "extends": "%s", "sim": {"timing": false}, "workload": {"type": "trace", "path": "%s", "format": "vmt"}}\n' \
		"$PRESET" "$2" > "$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" -o "$TMP/$1" -q --check=256 --set vm.file_folio_max_pages="$3"
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/stats.json"))["faults.total"])' "$TMP/$1"
}
# One write of 3 MiB + 4 KiB at 0: folios of 512, 256 and 1 pages (3 faults); with 1 MiB the
# largest, 256 + 256 + 256 + 1 (4); 4 KiB folios: 769.
wtrace "$TMP/a.vmt" 0x301000 "0x0 0x301000"
check_eq "write 3 MiB + 4 KiB, max 2 MiB" "$(wrun a1 "$TMP/a.vmt" 512)" 3
check_eq "write 3 MiB + 4 KiB, max 1 MiB" "$(wrun a2 "$TMP/a.vmt" 256)" 4
check_eq "write 3 MiB + 4 KiB, 4 KiB folios" "$(wrun a3 "$TMP/a.vmt" 1)" 769
# 4 KiB at 0, then 3 MiB at 4 KiB: page 0, then folios lowered to the alignment of 1, 2, 4,
# .., 128 (8 folios up to page 255), 256..511, 512..767 and the last page: 12.
wtrace "$TMP/b.vmt" 0x301000 "0x0 0x1000" "0x1000 0x300000"
check_eq "unaligned write" "$(wrun b "$TMP/b.vmt" 512)" 12
# Page 5 written first, then 1 MiB at 0: [0,4) [4] [5] [6,8) [8,16) .. [128,256): 9 folios.
wtrace "$TMP/c.vmt" 0x100000 "0x5000 0x1000" "0x0 0x100000"
check_eq "write around a cached page" "$(wrun c "$TMP/c.vmt" 512)" 9
# vm.mmap_readahead "linux" (docs/vm.md, "Readahead"): reading an uncached 32 MiB file through
# a mapping, readahead_pages 2048. The first fault reads around page 0 (pages 0..2047, 4 KiB
# folios, PG_readahead on 1536); reaching each mark reads the next 2048 pages, folio order
# 2, 4, 6 (marks on 2048, 4096; none in the window that reaches the end). Faults: page 0
# (major), page 1 (fault-around 0..15), 127 more windows of 16 up to 2047; 128 windows of
# 4-page folios, 128 of 16-page folios; 31 folios of 64 pages mapped whole and the last one
# (it holds the file's last page) by 4 windows: 1 + 1 + 127 + 128 + 128 + 31 + 4 = 420, 1
# major, 8191 pages read ahead. In 4 KiB folios (the classic preset): 1 + 512 windows = 513.
python3 -c 'print("file d 0x2000000\n1 mmap 0x80000000 0x2000000 r file:d:0 private")
for i in range(8192): print("1 r", hex(0x80000000 + (i << 12)))' >"$TMP/ra.vmt"
rarun() { # rarun NAME PRESET [--set ...]: faults.total faults.major readahead.pages
	printf '{"seed": 1, "extends": "%s", "sim": {"timing": false}, "workload": {"type": "trace", "path": "%s", "format": "vmt"}}\n' \
		"$2" "$TMP/ra.vmt" >"$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" -o "$TMP/$1" -q --check=256 "${@:3}"
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]+"/stats.json"))
print(s["faults.total"], s["faults.major"], s["readahead.pages"], s["pagecache.pages_now"])' "$TMP/$1"
}
check_eq "mmap readahead, large folios" "$(rarun ra1 "$PRESET")" "420 1 8191 8192"
check_eq "mmap readahead, 4 KiB folios" "$(rarun ra2 "${PRESET%.json}-classic.json")" "513 1 8191 8192"
# vm.mmap_readahead "sequential" (the default): a miss that continues the last one reads
# readahead_pages after it; the first miss reads none.
check_eq "sequential readahead" "$(rarun ra3 "$PRESET" --set vm.mmap_readahead='"sequential"')" \
	"520 5 8187 8192"
out=$("$VMSIM" run "$TMP/w.json" -o "$TMP/bad2" -q --set vm.file_folio_max_pages=3 2>&1)
rc=$?
if [ $rc -eq 2 ] && [[ $out == *w.json*"vm.file_folio_max_pages: expected a power of two, got 3"* ]]; then ok; else fail "bad max folio size: rc $rc: $out"; fi
done_tests
