# disk_batch.sh — one operation's disk reads are submitted together (issue 17): they overlap on
# an SSD and an HDD's NCQ orders them; completion times by formula.
#
# A 1 MiB file f (one 1 MiB-aligned place on the device), readahead and fault-around off.
# read(2) of pages 5-7, then of pages 1-3 (one 12 KiB request each), then of pages 0-8: the
# third finds pages 0, 4 and 8 missing, three 4 KiB requests of one operation.
# nvme preset (controller 5 us, tR 75 us, 16 KiB flash pages on dies flash page mod 48, 800 MB/s
# channels, 3200 MB/s host link): pages 0, 4, 8 are flash pages 0, 1, 2 on dies 0, 1, 2.
#   a 12 KiB read: 5 + 75 + 15.36 (channel) + 3.84 (link) = 99.2 us;
#   the three together: 5 + 75 + 5.12 = 85.12 us on three dies at once, then the shared link
#   1.28 us each: done at 86.40, 87.68, 88.96 us; the operation waits 88.96 us.
# time.disk_wait_ps = 99.2 + 99.2 + 88.96 = 287.36 us; one after the other (before batching)
# it was 99.2 + 99.2 + 3 x 86.4 = 457.6 us. Latency mean (2 x 99.2 + 86.4 + 87.68 + 88.96) / 5
# = 92.288 us.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
printf 'file f 0x100000\n1 read f 20480 12288\n1 read f 4096 12288\n1 read f 0 36864\n1 exit\n' \
	>"$TMP/b.vmt"
# config NAME READAHEAD_PAGES: $TMP/NAME.json runs $TMP/NAME.vmt (fault-around off)
config() {
	cat >"$TMP/$1.json" <<JSON
{"memory": {"frames": 4096}, "dram": {"model": "fixed"},
 "vm": {"policy": "fifo", "fault_around_pages": 0, "readahead_pages": $2},
 "workload": {"type": "trace", "format": "vmt", "path": "$TMP/$1.vmt"}}
JSON
}
config b 0
"$VMSIM" run "$TMP/b.json" --check --quiet -o "$TMP/nvme" || fail "nvme run exited $?"
check_eq "nvme reads" "$(stat_of "$TMP/nvme" disk.nvme0.reads)" 5
check_eq "nvme disk wait" "$(stat_of "$TMP/nvme" time.disk_wait_ps)" 287360000
check_eq "nvme latency max" "$(stat_of "$TMP/nvme" latency.disk.nvme0.max_ps)" 99200000
check_eq "nvme latency mean" "$(stat_of "$TMP/nvme" latency.disk.nvme0.mean_ps)" 92288000

# The hdd preset (7200 rpm, 1 MiB tracks: the file is one track; 4 KiB spans 32552083 ps of
# the 8333333333 ps revolution, 16 KiB 130208333). After the second read the head is at page
# 4's angle; the third operation arrives a few microseconds later (its CPU work), a little past it.
# FIFO (queue_depth 1) reads 0, 4, 8: wait to page 0 (1 MiB - 16 KiB of angle), then 12 KiB
# gaps: 1 MiB + 20 KiB of angle from page 4's, minus those microseconds. NCQ (the preset's 32 slots,
# SPTF) reads 8 first (16 KiB ahead), then 0, then 4: 1 MiB + 4 KiB: 16 KiB of angle sooner,
# 130208333 ps, with one reorder. Seeks and the first two reads are the same in both.
"$VMSIM" run "$TMP/b.json" --check --quiet -o "$TMP/ncq" \
	--set 'disk.devices=[{"name": "nvme0", "type": "hdd"}]' || fail "ncq run exited $?"
"$VMSIM" run "$TMP/b.json" --check --quiet -o "$TMP/fifo" \
	--set 'disk.devices=[{"name": "nvme0", "type": "hdd", "queue_depth": 1}]' ||
	fail "fifo run exited $?"
check_eq "hdd reorders" "$(stat_of "$TMP/ncq" disk.nvme0.ncq_reorders)" 1
check_eq "hdd seeks equal" "$(stat_of "$TMP/ncq" disk.nvme0.seek_ps)" \
	"$(stat_of "$TMP/fifo" disk.nvme0.seek_ps)"
check_eq "hdd FIFO - SPTF wait" \
	"$(($(stat_of "$TMP/fifo" time.disk_wait_ps) - $(stat_of "$TMP/ncq" time.disk_wait_ps)))" \
	130208333
check_eq "hdd SPTF wait (model's figure)" "$(stat_of "$TMP/ncq" time.disk_wait_ps)" 25158360415

# One page fault that needs three reads, on the nvme preset. A first mapping of f with
# MADV_RANDOM faults pages 1-3 and 5-7 in, one read each (no readahead: 6 x 86.4 us, one at a
# time). A second mapping with MADV_SEQUENTIAL faults page 0: it reads page 0 and the readahead
# window after it, pages 1-8 (vm.readahead_pages 8), of which 4 and 8 are missing: three 4 KiB
# reads of one fault, on flash pages 0, 1, 2 (dies 0, 1, 2): done at 86.40, 87.68 and 88.96 us,
# the fault waits 88.96 us (one after the other: 259.2 us). time.disk_wait_ps = 6 x 86.4 +
# 88.96 = 607.36 us. With readahead off the same fault reads page 0 alone: 7 x 86.4 us.
{
	printf 'file f 0x100000\n1 mmap 0x40000000 0x100000 r file:f:0 private\n'
	printf '1 madvise 0x40000000 0x100000 random\n'
	for p in 1 2 3 5 6 7; do printf '1 r 0x%x\n' $((0x40000000 + p * 4096)); done
	printf '1 mmap 0x50000000 0x100000 r file:f:0 private\n'
	printf '1 madvise 0x50000000 0x100000 sequential\n1 r 0x50000000\n1 exit\n'
} >"$TMP/f.vmt"
config f 8
"$VMSIM" run "$TMP/f.json" --check --quiet -o "$TMP/fault" || fail "fault run exited $?"
"$VMSIM" run "$TMP/f.json" --check --quiet -o "$TMP/fault1" --set vm.readahead_pages=0 ||
	fail "fault1 run exited $?"
check_eq "fault reads" "$(stat_of "$TMP/fault" disk.nvme0.reads)" 9
check_eq "fault readahead pages" "$(stat_of "$TMP/fault" readahead.pages)" 2
check_eq "fault disk wait" "$(stat_of "$TMP/fault" time.disk_wait_ps)" 607360000
check_eq "fault latency.disk max" "$(stat_of "$TMP/fault" latency.disk.nvme0.max_ps)" 88960000
check_eq "fault1 disk wait" "$(stat_of "$TMP/fault1" time.disk_wait_ps)" $((7 * 86400000))
done_tests
