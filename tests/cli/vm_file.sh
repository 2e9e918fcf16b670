# vm_file.sh — file mappings and the page cache (issue 4) through `vmsim run --check`, with
# exact counts. Traces are written here (vmt); page size 4096, policy FIFO.
#
# Fault-around of 16 pages and readahead of 15 (a miss that continues the previous miss read
# of its VMA reads 1 + 15 pages) make a cold sequential scan of N = 16*B pages:
#   page 0: major (first miss: no readahead); page 1: major, reads 1..16;
#   page 2: minor, fault-around maps 2..15 (13 neighbours);
#   block k >= 1: page 16k minor (cached by the previous readahead: the window maps it alone),
#   16k+1 major (reads 16k+1..16k+16, clipped at the end of the file), 16k+2 minor (maps
#   16k+2..16k+15: 13 neighbours); every other page is already mapped.
#   => major B+1, minor 2B-1, readahead 15B-1 pages, fault-around 13B pages.
# A warm scan (every page cached) is one minor fault per 16 pages, mapping 15 neighbours each.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
# Each run's stats.json is flattened once (python starts slowly): "KEY VALUE" and
# "pPID.KEY VALUE" lines in DIR/flat.txt.
flatten() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]+"/stats.json"))
for k, v in d.items():
    if k != "processes": print(k, v)
for p in d["processes"]:
    for k, v in p.items(): print("p%d.%s" % (p["pid"], k), v)' "$1" >"$1/flat.txt"
}
stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/flat.txt"; }
proc_stat() { stat_of "$1" "p$2.$3"; }
run() { # run NAME TRACE FRAMES FAULT_AROUND READAHEAD
	cp tests/data/vm/base.json "$TMP/$1.json"
	"$VMSIM" run "$TMP/$1.json" --check=64 --quiet -o "$TMP/$1" --set workload.path="$2" \
		--set memory.frames="$3" --set vm.fault_around_pages="$4" \
		--set vm.readahead_pages="$5" || fail "run $1 exited $?"
	flatten "$TMP/$1"
}
# scan N CHILD_TOUCH: process 1 maps file "data" (N pages) shared read-only at 1 GiB and reads
# every page; forks 2 and waits; 2 optionally reads page 0 of the inherited mapping, maps the
# file again at 2 GiB and reads every page.
scan() {
	awk -v n="$1" -v touch="$2" 'BEGIN {
		a = 1073741824; b = 2147483648; ps = 4096
		printf "file data 0x%x\n", n * ps
		printf "1 mmap 0x%x 0x%x r file:data:0 shared\n", a, n * ps
		for (i = 0; i < n; i++) printf "1 r 0x%x\n", a + i * ps
		print "1 fork 2"
		if (touch) printf "2 r 0x%x\n", a
		printf "2 mmap 0x%x 0x%x r file:data:0 shared\n", b, n * ps
		for (i = 0; i < n; i++) printf "2 r 0x%x\n", b + i * ps
		print "2 exit"
		print "1 wait 2"
		print "1 exit"
	}'
}

# 1. Two processes share the page cache of one file that fits in memory (1024 pages: B = 64).
scan 1024 1 >"$TMP/share.vmt"
run share "$TMP/share.vmt" 2048 16 15
check_eq "share: p1 major" "$(proc_stat "$TMP/share" 1 faults.major)" 65
check_eq "share: p1 file_major" "$(proc_stat "$TMP/share" 1 faults.file_major)" 65
check_eq "share: p1 minor" "$(proc_stat "$TMP/share" 1 faults.minor)" 127
check_eq "share: p1 faults.file" "$(proc_stat "$TMP/share" 1 faults.file)" 127
check_eq "share: p1 readahead" "$(proc_stat "$TMP/share" 1 readahead.pages)" 959
check_eq "share: p1 fault-around" "$(proc_stat "$TMP/share" 1 pagecache.fault_around_pages)" 832
# The child finds no PTE of the inherited file mapping (fork does not copy them): 1 minor
# fault for page 0 (mapping 0..15), then 64 for its own scan. No reads.
check_eq "share: p2 major" "$(proc_stat "$TMP/share" 2 faults.major)" 0
check_eq "share: p2 faults.file" "$(proc_stat "$TMP/share" 2 faults.file)" 65
check_eq "share: p2 fault-around" "$(proc_stat "$TMP/share" 2 pagecache.fault_around_pages)" 975
check_eq "share: pagecache.pages" "$(stat_of "$TMP/share" pagecache.pages)" 1024
check_eq "share: faults.total" "$(stat_of "$TMP/share" faults.total)" $((65 + 127 + 65))
check_eq "share: evictions" "$(stat_of "$TMP/share" reclaim.evictions)" 0
# Fault-around and readahead off: every page of the first scan is a major fault, every page of
# the second a minor one.
run share0 "$TMP/share.vmt" 2048 0 0
check_eq "share0: p1 major" "$(proc_stat "$TMP/share0" 1 faults.major)" 1024
check_eq "share0: p2 minor" "$(proc_stat "$TMP/share0" 2 faults.file)" 1025
check_eq "share0: p2 major" "$(proc_stat "$TMP/share0" 2 faults.major)" 0
check_eq "share0: readahead" "$(stat_of "$TMP/share0" readahead.pages)" 0
# Readahead only: majors at pages 0, 1, 17, ..., 1009 (65), every other page minor.
run share1 "$TMP/share.vmt" 2048 0 15
check_eq "share1: p1 major" "$(proc_stat "$TMP/share1" 1 faults.major)" 65
check_eq "share1: p1 minor" "$(proc_stat "$TMP/share1" 1 faults.file)" 959
check_eq "share1: readahead" "$(stat_of "$TMP/share1" readahead.pages)" 959

# 2. Two scanners, one after the other, of a file twice the size of memory (256 frames, 512
# pages: B = 32). FIFO keeps the last 256 pages of the first scan, which the second scan
# evicts before it reaches them: both scans are cold. Pages read: 2 x 512; evictions: 1024 -
# 256, all clean drops.
scan 512 0 >"$TMP/big.vmt"
run big "$TMP/big.vmt" 256 16 15
check_eq "big: major" "$(stat_of "$TMP/big" faults.major)" $((2 * 33))
check_eq "big: faults.file" "$(stat_of "$TMP/big" faults.file)" $((2 * 63))
check_eq "big: p2 major" "$(proc_stat "$TMP/big" 2 faults.major)" 33
check_eq "big: readahead" "$(stat_of "$TMP/big" readahead.pages)" $((2 * 479))
check_eq "big: fault-around" "$(stat_of "$TMP/big" pagecache.fault_around_pages)" $((2 * 416))
check_eq "big: evictions" "$(stat_of "$TMP/big" reclaim.evictions)" 768
check_eq "big: file_drops" "$(stat_of "$TMP/big" reclaim.file_drops)" 768
check_eq "big: writeback" "$(stat_of "$TMP/big" reclaim.writeback)" 0
check_eq "big: pagecache.pages" "$(stat_of "$TMP/big" pagecache.pages)" 256
run big0 "$TMP/big.vmt" 256 0 0
check_eq "big0: major" "$(stat_of "$TMP/big0" faults.major)" 1024
check_eq "big0: minor" "$(stat_of "$TMP/big0" faults.minor)" 0
check_eq "big0: evictions" "$(stat_of "$TMP/big0" reclaim.file_drops)" 768

# 3. A MAP_SHARED write is seen by another process (it maps the same page-cache frame: no
# read, one copy of each page) and written back when reclaim evicts it. 16 frames: 8 dirty
# file pages + 16 anonymous pages evict the 8 file pages (FIFO), each written back.
cat >"$TMP/shw.vmt" <<'T'
file shm 0x10000
1 mmap 0x40000000 0x10000 rw file:shm:0 shared
1 w 0x40000000
1 w 0x40001000
1 w 0x40002000
1 w 0x40003000
1 w 0x40004000
1 w 0x40005000
1 w 0x40006000
1 w 0x40007000
1 fork 2
2 mmap 0x80000000 0x10000 r file:shm:0 shared
2 r 0x80000000
2 r 0x80001000
2 r 0x80002000
2 r 0x80003000
2 r 0x80004000
2 r 0x80005000
2 r 0x80006000
2 r 0x80007000
2 exit
1 wait 2
1 mmap 0x10000000 0x10000 rw anon private
T
for i in $(seq 0 15); do printf '1 w 0x%x\n' $((0x10000000 + i * 4096)); done >>"$TMP/shw.vmt"
echo "1 exit" >>"$TMP/shw.vmt"
run shw "$TMP/shw.vmt" 16 0 0
check_eq "shw: p1 file_major" "$(proc_stat "$TMP/shw" 1 faults.file_major)" 8
check_eq "shw: p2 faults.file" "$(proc_stat "$TMP/shw" 2 faults.file)" 8
check_eq "shw: p2 major" "$(proc_stat "$TMP/shw" 2 faults.major)" 0
check_eq "shw: pagecache.pages" "$(stat_of "$TMP/shw" pagecache.pages)" 8
check_eq "shw: writeback" "$(stat_of "$TMP/shw" reclaim.writeback)" 8
check_eq "shw: file_drops" "$(stat_of "$TMP/shw" reclaim.file_drops)" 0
check_eq "shw: swap_out" "$(stat_of "$TMP/shw" reclaim.swap_out)" 0
check_eq "shw: evictions" "$(stat_of "$TMP/shw" reclaim.evictions)" 8

# 4. msync writes back the dirty pages once: 4, then 0, then the one written again. msync
# write-protects the pages it cleans (page_mkclean): the write after it faults again
# (wp_page_shared): 4 + 1 faults.
cat >"$TMP/msync.vmt" <<'T'
file m 0x4000
1 mmap 0x40000000 0x4000 rw file:m:0 shared
1 w 0x40000000
1 w 0x40001000
1 w 0x40002000
1 w 0x40003000
1 msync 0x40000000 0x4000
1 msync 0x40000000 0x4000
1 w 0x40001000
1 msync 0x40000000 0x4000
1 exit
T
run msync "$TMP/msync.vmt" 64 0 0
check_eq "msync: writes" "$(stat_of "$TMP/msync" pagecache.msync_writeback)" 5
check_eq "msync: faults" "$(stat_of "$TMP/msync" faults.total)" 5
check_eq "msync: reclaim writeback" "$(stat_of "$TMP/msync" reclaim.writeback)" 0

# 5. MAP_PRIVATE: a read maps the page-cache page read-only; a write copies it into an
# anonymous page (after a read, and on a first write: read + copy in one fault). fork copies
# the anonymous PTEs (no faults on reads) but not the file ones; a read past EOF is SIGBUS
# (counted as a segfault).
cat >"$TMP/priv.vmt" <<'T'
file p 0x3000
1 mmap 0x40000000 0x4000 rw file:p:0 private
1 r 0x40000000
1 w 0x40000000
1 w 0x40001000
1 fork 2
2 r 0x40000000
2 r 0x40001000
2 r 0x40002000
2 w 0x40000000
2 exit
1 wait 2
1 r 0x40003000
T
run priv "$TMP/priv.vmt" 64 0 0
check_eq "priv: p1 faults" "$(proc_stat "$TMP/priv" 1 faults.total)" 3
check_eq "priv: p1 major" "$(proc_stat "$TMP/priv" 1 faults.major)" 2
check_eq "priv: p1 cow" "$(proc_stat "$TMP/priv" 1 faults.cow)" 2
check_eq "priv: p1 cow_copies" "$(proc_stat "$TMP/priv" 1 faults.cow_copies)" 2
check_eq "priv: p2 faults" "$(proc_stat "$TMP/priv" 2 faults.total)" 2
check_eq "priv: p2 file_major" "$(proc_stat "$TMP/priv" 2 faults.file_major)" 1
check_eq "priv: p2 cow_copies" "$(proc_stat "$TMP/priv" 2 faults.cow_copies)" 1
check_eq "priv: segfaults" "$(stat_of "$TMP/priv" sim.segfaults)" 1
check_eq "priv: p1 status" "$(proc_stat "$TMP/priv" 1 status)" segfault
check_eq "priv: pagecache.pages" "$(stat_of "$TMP/priv" pagecache.pages)" 3
done_tests
