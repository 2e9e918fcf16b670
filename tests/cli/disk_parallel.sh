# disk_parallel.sh — several tasks' disk reads overlap on one device (issue 17): queue depth
# > 1 in a run and the NVMe preset's internal parallelism, with completion times by formula.
#
# Four processes on four CPUs (dram.model fixed, so their faults reach the disk at the same
# simulated time) each read page 0 of their own 1 MiB file, fault-around and readahead off:
# four 4 KiB reads submitted together to the nvme preset (queue_depth 128; 12 channels x 4 dies,
# tR 75 us, channels 800 MB/s, controller 5 us, host link 3200 MB/s). Files start on 1 MiB
# boundaries: file k's page 0 is flash page k x 64 (16 KiB pages), on die 64k mod 48 = 16k mod
# 48: dies 0, 16, 32 and 0 again (channels 0, 4, 8, 0).
#   reads 1-3: 5 + 75 (tR) + 5.12 (4 KiB on the channel) = 85.12 us, then the shared host link
#              1.28 us each, one after the other: done at 86.40, 87.68 and 88.96 us;
#   read 4:    waits for die 0: 5 + 75 + 75 + 5.12 = 160.12 us, link 161.40 us.
# Latency: min 86.40 us, max 161.40, mean (86.40 + 87.68 + 88.96 + 161.40) / 4 = 106.11 us;
# busy 161.40 us (one request in service from the first submission to the last completion).
# Served one at a time (queue_depth 1) the four would take 4 x 86.4 = 345.6 us.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
wl=""
for i in 1 2 3 4; do
	printf 'file f%d 0x100000\n1 mmap 0x40000000 0x100000 r file:f%d:0 private\n1 r 0x40000000\n1 exit\n' \
		"$i" "$i" >"$TMP/p$i.vmt"
	wl="$wl${wl:+,}{\"type\": \"trace\", \"format\": \"vmt\", \"path\": \"$TMP/p$i.vmt\"}"
done
cat >"$TMP/par.json" <<JSON
{"cpus": 4, "memory": {"frames": 4096}, "dram": {"model": "fixed"},
 "vm": {"policy": "fifo", "fault_around_pages": 0, "readahead_pages": 0},
 "workloads": [$wl]}
JSON
"$VMSIM" run "$TMP/par.json" --check --quiet -o "$TMP/par" || fail "par run exited $?"
check_eq "reads" "$(stat_of "$TMP/par" disk.nvme0.reads)" 4
check_eq "latency min" "$(stat_of "$TMP/par" latency.disk.nvme0.min_ps)" 86400000
check_eq "latency max" "$(stat_of "$TMP/par" latency.disk.nvme0.max_ps)" 161400000
check_eq "latency mean" "$(stat_of "$TMP/par" latency.disk.nvme0.mean_ps)" 106110000
check_eq "busy" "$(stat_of "$TMP/par" disk.nvme0.busy_ps)" 161400000

# The same four with queue_depth 1: FIFO, one after another, 86.4 us each (the link is free
# by then): done at 86.4, 172.8, 259.2, 345.6 us after the common submission.
"$VMSIM" run "$TMP/par.json" --check --quiet -o "$TMP/qd1" \
	--set 'disk.devices=[{"name": "nvme0", "type": "nvme", "queue_depth": 1}]' ||
	fail "qd1 run exited $?"
check_eq "qd1 latency max" "$(stat_of "$TMP/qd1" latency.disk.nvme0.max_ps)" 345600000
check_eq "qd1 latency mean" "$(stat_of "$TMP/qd1" latency.disk.nvme0.mean_ps)" 216000000
check_eq "qd1 busy" "$(stat_of "$TMP/qd1" disk.nvme0.busy_ps)" 345600000
done_tests
