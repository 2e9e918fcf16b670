# disk_ncq_tasks.sh — an HDD's NCQ reorders the requests of several tasks in a run (issue 17):
# the drive dispatches as events, choosing shortest positioning time first among every task's
# requests submitted by then; completion times derived by hand.
#
# Three processes on three CPUs (dram.model fixed, so their faults reach the drive at the same
# simulated time) map one 1 MiB file f and each read one page of it: p1 page 192, p2 page 64,
# p3 page 128 (fault-around and readahead off). Every process's image (default.text at 0,
# default.data at 1 MiB) comes first on the file device, so f is track 2 of the hdd preset
# (7200 rpm: rev = 8333333333 ps; 1 MiB tracks, 2^20 of them; settle 1 ms, full stroke 15 ms;
# no command overhead). Each fault starts at 0.2 us (after the mmap's sim.syscall_ps) and its
# read reaches the drive at T = 3285750 ps, the three in the order p3, p1, p2 (the order the
# CPUs run them: the FIFO run below serves them so).
# Page p spans angles [floor(p rev / 256), floor((p + 1) rev / 256)) of a revolution. The head
# rests on track 0: seek to track 2 = 1 ms + 14 ms x isqrt(2 x 2^32 / 2^20) / 2^16 = 1 ms +
# 14 ms x 90 / 65536 = 1019226074 ps, arriving at 1022511824, before page 64's angle (2083333333).
#  NCQ (queue_depth 32, SPTF): at T page 64 is nearest (p2's, third in the queue: one
#    reorder), done at floor(65 rev / 256) = 2115885416; then, on the track, 128 before 192:
#    done 4199218749 (floor(129 rev / 256)) and 6282552083 (floor(193 rev / 256)).
#  FIFO (queue_depth 1): 128, then 192 (done as above), then 64 a revolution later:
#    8333333333 + 2115885416 = 10449218749.
# Per process, faults.time_ps = completion - 0.2 us; latency.disk = completion - T.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
wl=""
i=0
for page in 192 64 128; do
	i=$((i + 1))
	printf 'file f 0x100000\n1 mmap 0x40000000 0x100000 r file:f:0 private\n1 r 0x%x\n1 exit\n' \
		$((0x40000000 + page * 4096)) >"$TMP/p$i.vmt"
	wl="$wl${wl:+,}{\"type\": \"trace\", \"format\": \"vmt\", \"path\": \"$TMP/p$i.vmt\"}"
done
cat >"$TMP/t.json" <<JSON
{"cpus": 3, "memory": {"frames": 4096}, "dram": {"model": "fixed"},
 "vm": {"policy": "fifo", "fault_around_pages": 0, "readahead_pages": 0},
 "disk": {"devices": [{"name": "hdd0", "type": "hdd"}]},
 "workloads": [$wl]}
JSON
# fault_times DIR: each workload's faults.time_ps, in workload order
fault_times() {
	python3 -c 'import json,sys
p = json.load(open(sys.argv[1] + "/stats.json"))["processes"]
print(" ".join(str(x["faults.time_ps"]) for x in sorted(p, key=lambda x: x["workload"])))' "$1"
}
"$VMSIM" run "$TMP/t.json" --check --quiet -o "$TMP/ncq" || fail "ncq run exited $?"
check_eq "ncq fault times p1 p2 p3" "$(fault_times "$TMP/ncq")" \
	"$((6282552083 - 200000)) $((2115885416 - 200000)) $((4199218749 - 200000))"
check_eq "ncq reorders" "$(stat_of "$TMP/ncq" disk.hdd0.ncq_reorders)" 1
check_eq "ncq latency min" "$(stat_of "$TMP/ncq" latency.disk.hdd0.min_ps)" \
	$((2115885416 - 3285750))
check_eq "ncq latency max" "$(stat_of "$TMP/ncq" latency.disk.hdd0.max_ps)" \
	$((6282552083 - 3285750))
check_eq "ncq seek" "$(stat_of "$TMP/ncq" disk.hdd0.seek_ps)" 1019226074
check_eq "ncq busy" "$(stat_of "$TMP/ncq" disk.hdd0.busy_ps)" $((6282552083 - 3285750))
check_eq "ncq disk wait" "$(stat_of "$TMP/ncq" time.disk_wait_ps)" \
	$((2115885416 + 4199218749 + 6282552083 - 3 * 3285750))

"$VMSIM" run "$TMP/t.json" --check --quiet -o "$TMP/fifo" \
	--set 'disk.devices[0].queue_depth=1' || fail "fifo run exited $?"
check_eq "fifo fault times p1 p2 p3" "$(fault_times "$TMP/fifo")" \
	"$((6282552083 - 200000)) $((10449218749 - 200000)) $((4199218749 - 200000))"
check_eq "fifo latency max" "$(stat_of "$TMP/fifo" latency.disk.hdd0.max_ps)" \
	$((10449218749 - 3285750))
check_eq "fifo disk wait" "$(stat_of "$TMP/fifo" time.disk_wait_ps)" \
	$((4199218749 + 6282552083 + 10449218749 - 3 * 3285750))

# A page whose read is still queued: two processes fault page 0 of f at the same time; the
# first one's read is queued, the second finds the page in the page cache (a minor fault) and
# waits for that read, the devices driven to its completion: the head reaches track 2 at
# 1022511824, past page 0's angle, so the read ends a revolution later, at 8333333333 +
# floor(rev / 256) = 8365885416, and both faults take 8365885416 - 0.2 us.
for i in 1 2; do
	printf 'file f 0x100000\n1 mmap 0x40000000 0x100000 r file:f:0 private\n1 r 0x40000000\n1 exit\n' \
		>"$TMP/s$i.vmt"
done
cat >"$TMP/s.json" <<JSON
{"cpus": 2, "memory": {"frames": 4096}, "dram": {"model": "fixed"},
 "vm": {"policy": "fifo", "fault_around_pages": 0, "readahead_pages": 0},
 "disk": {"devices": [{"name": "hdd0", "type": "hdd"}]},
 "workloads": [{"type": "trace", "format": "vmt", "path": "$TMP/s1.vmt"},
               {"type": "trace", "format": "vmt", "path": "$TMP/s2.vmt"}]}
JSON
"$VMSIM" run "$TMP/s.json" --check --quiet -o "$TMP/shared" || fail "shared run exited $?"
check_eq "shared fault times" "$(fault_times "$TMP/shared")" \
	"$((8365885416 - 200000)) $((8365885416 - 200000))"
check_eq "shared reads" "$(stat_of "$TMP/shared" disk.hdd0.reads)" 1
check_eq "shared minor faults" "$(stat_of "$TMP/shared" faults.minor)" 1
done_tests
