# vm_file_rw.sh — read(2), write(2), fsync, ftruncate, fallocate and O_DIRECT through the page
# cache (issue 16) with `vmsim run --check`, counts only (sim.timing off: writes complete at
# once), 1000 frames, vm.readahead_pages 32, no fault-around, defaults dirty_background_ratio
# 10 and dirty_ratio 20. With no process memory, dirtyable memory (free + page cache) stays
# 1000 frames: the flusher starts above 100 dirty pages, a writer is throttled above 200.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
P=4096
cat >cfg.json <<'JSON'
{
  "memory": {"frames": 1000},
  "vm": {"policy": "fifo", "fault_around_pages": 0, "readahead_pages": 32},
  "sim": {"timing": false},
  "workload": {"type": "trace", "format": "vmt", "path": "x.vmt"}
}
JSON
# run NAME: NAME.vmt -> NAME/flat.txt ("KEY VALUE", process 1's keys as "p.KEY")
run() {
	"$VMSIM" run cfg.json --check=1 --quiet -o "$1" --set workload.path="$1.vmt" ||
		fail "run $1 exited $?"
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]+"/stats.json"))
for k, v in d.items():
    if k != "processes": print(k, v)
for k, v in d["processes"][0].items(): print("p." + k, v)' "$1" >"$1/flat.txt"
}
st() { awk -v k="$2" '$1 == k { print $2 }' "$1/flat.txt"; }
stats() { local d=$1 out=""; shift; for k; do out="$out $(st "$d" "$k")"; done; echo "${out# }"; }

# 1. On-demand readahead: reads of pages 0..12, one page each. Page 0: a window of
#    get_init_ra_size(1) = 4 pages [0,4), mark 1; page 1 (mark): [4,12) (4 -> 8), mark 4;
#    page 4: [12,28) (8 -> 16); page 12: [28,60) (16 -> 32, the maximum) => 60 cached.
{ echo "file f 0x100000"; for i in $(seq 0 12); do printf "1 read f 0x%x 0x1000\n" $((i * P)); done; } >ra.vmt
run ra
check_eq "readahead ramp: cached, read_pages, readahead" \
	"$(stats ra pagecache.pages_now pagecache.read_pages readahead.pages)" "60 13 60"
# 2. A read at page 100 first is random: only its page; page 101 continues it: [101,105).
{ echo "file f 0x100000"; printf "1 read f 0x%x 0x1000\n1 read f 0x%x 0x1000\n" $((100 * P)) $((101 * P)); } >rand.vmt
run rand
check_eq "random then sequential: cached" "$(st rand pagecache.pages_now)" 5

# 3. write(2) of 1 MiB in 64 KiB calls to an empty file: 256 new pages, none read. From the
#    7th call (112 dirty) on, the flusher writes back to 100: 256 - 100 = 156 pages; fsync
#    writes the other 100.
{ echo "file w 0"; for i in $(seq 0 15); do printf "1 write w 0x%x 0x10000\n" $((i * 65536)); done; } >write.vmt
{ cat write.vmt; echo "1 fsync w"; } >fsync.vmt
run write
run fsync
check_eq "write: cached write_pages dirty background throttled" \
	"$(stats write pagecache.pages_now pagecache.write_pages pagecache.dirty_now pagecache.writeback_background pagecache.dirty_throttled)" \
	"256 256 100 156 0"
check_eq "fsync: dirty writeback_sync" "$(stats fsync pagecache.dirty_now pagecache.writeback_sync)" "0 100"
# 4. One write of 250 pages: 250 > 200 dirty, the writer is throttled; the flusher writes 150.
printf 'file w 0\n1 write w 0 0xfa000\n' >thr.vmt
run thr
check_eq "throttled: throttled background dirty" \
	"$(stats thr pagecache.dirty_throttled pagecache.writeback_background pagecache.dirty_now)" "1 150 100"

# 5. ftruncate of a 16-page file, mapped shared and read, to 0x8064 bytes: 9 pages stay (the
#    last partial), 7 go and are unmapped; page 8 is still mapped (no fault), page 12 is past
#    the end: SIGBUS. (The mapped read: 2 major faults, 14 minor, readahead 14.)
{
	echo "file t 0x10000"
	echo "1 mmap 0x40000000 0x10000 r file:t:0 shared"
	for i in $(seq 0 15); do printf "1 r 0x%x\n" $((0x40000000 + i * P)); done
	echo "1 ftruncate t 0x8064"
	printf "1 r 0x%x\n1 r 0x%x\n" $((0x40000000 + 8 * P)) $((0x40000000 + 12 * P))
} >trunc.vmt
run trunc
check_eq "ftruncate: cached truncated" "$(stats trunc pagecache.pages_now pagecache.truncated)" "9 7"
check_eq "ftruncate: minor major signal si_code" \
	"$(stats trunc p.faults.minor p.faults.major p.signal p.si_code)" "14 2 SIGBUS BUS_ADRERR"
# 6. A hole punched over bytes [0x2001, 0x7001) frees the whole pages 3..6 only.
printf 'file h 0x10000\n1 read h 0 0x10000\n1 fallocate h 0x2001 0x5000 punch_hole\n' >punch.vmt
run punch
check_eq "punch hole: cached truncated" "$(stats punch pagecache.pages_now pagecache.truncated)" "12 4"
# 7. O_DIRECT: 16 pages read past the page cache.
printf 'file d 0x10000\n1 read d 0 0x10000 direct\n' >direct.vmt
run direct
check_eq "O_DIRECT: cached direct_io_pages" "$(stats direct pagecache.pages_now pagecache.direct_io_pages)" "0 16"
# 8. The user's buffer: a 64 KiB read into a fresh anonymous buffer takes its 16 demand-zero
#    faults; a write from it then takes none, and grows the file by 16 new pages.
printf 'file b 0x10000\n1 mmap 0x10000000 0x10000 rw anon private\n1 read b 0 0x10000 0x10000000\n1 write b 0x10000 0x10000 0x10000000\n' >buf.vmt
run buf
check_eq "buffer: minor faults, cached, frames used" \
	"$(stats buf p.faults.minor pagecache.pages_now memory.frames_used_max)" "16 32 48"

# 9. vmt -> vmb -> vmt keeps every form; bad lines are refused with FILE:LINE.
cat >rt.vmt <<'VMT'
file f 0x10000
1 mmap 0x10000000 0x10000 rw anon private
1 read f 0x0 0x10000 0x10000000
1 write f 0x100 0x2000 0x10000000 direct
1 read f 0x1000 0x1000 direct
1 write f 0x3000 0x1000
1 fsync f
1 fdatasync f
1 sync_file_range f 0x0 0x4000
1 ftruncate f 0x8000
1 fallocate f 0x0 0x20000
1 fallocate f 0x1000 0x2000 punch_hole
1 exit
VMT
"$VMSIM" trace convert rt.vmt rt.vmb && "$VMSIM" trace convert rt.vmb rt2.vmt || fail "convert exited $?"
check_eq "vmt -> vmb -> vmt" "$(grep -v '^#' rt2.vmt | cmp -s - rt.vmt && echo same)" same
check_eq "trace info kinds" "$("$VMSIM" trace info rt.vmb | grep -E '^  (read/write|fsync)')" \
	"$(printf '  read/write: 4\n  fsync/ftruncate/fallocate: 6')"
printf 'file f 0x10\n1 read f 0 0x10 0x1000 foo\n' >bad1.vmt
printf '1 write g 0 0x10\n' >bad2.vmt
printf 'file f 0x10\n1 fallocate f 0 0x10 keep\n' >bad3.vmt
for b in bad1 bad2 bad3; do
	"$VMSIM" trace info $b.vmt >/dev/null 2>$b.err
	check_eq "$b: exit status" "$?" 2
done
check_eq "bad1 message" "$(cat bad1.err)" \
	'vmsim trace info: bad1.vmt:2: expected "PID read|write NAME OFFSET LEN [BUF] [direct]"'
check_eq "bad2 message" "$(cat bad2.err)" \
	'vmsim trace info: bad2.vmt:1: read/write of file g, which was not declared (a "file NAME SIZE" line must come first)'
check_eq "bad3 message" "$(cat bad3.err)" 'vmsim trace info: bad3.vmt:2: fallocate: expected punch_hole, got "keep"'
done_tests
