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
"$VMSIM" run "$TMP/f.json" -o "$TMP/o1" -q --check --set vm.file_folio_pages=256
check_eq "cached, 1 MiB folios: minor major" "$(pfaults "$TMP/o1" 1 faults.minor faults.major)" "47 0"
# 4 KiB folios: fault-around alone, 8192 / 16 = 512 (Linux: 512).
"$VMSIM" run "$TMP/f.json" -o "$TMP/o2" -q --check --set vm.file_folio_pages=1
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
"$VMSIM" run "$TMP/w.json" -o "$TMP/w1" -q --check --set vm.file_folio_pages=256
check_eq "shared write, 1 MiB folios: faults" "$(pfaults "$TMP/w1" 0 faults.total)" "16"
"$VMSIM" run "$TMP/w.json" -o "$TMP/w2" -q --check --set vm.file_folio_pages=1
check_eq "shared write, 4 KiB folios: faults" "$(pfaults "$TMP/w2" 0 faults.total)" "4096"
out=$("$VMSIM" run "$TMP/w.json" -o "$TMP/bad" -q --set vm.file_folio_pages=96 2>&1)
rc=$?
if [ $rc -eq 2 ] && [[ $out == *w.json*"vm.file_folio_pages: expected a power of two, got 96"* ]]; then ok; else fail "bad folio size: rc $rc: $out"; fi
done_tests
