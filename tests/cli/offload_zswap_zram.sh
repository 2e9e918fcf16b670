# offload_zswap_zram.sh — compressed swap (docs/vm.md, "Compressed swap: zswap and zram"):
# counts derived by hand for a loop of 1200 pages written cyclically in 1000 frames (LRU: every
# access faults once the loop does not fit), the pool accounting, zram's latency against its
# definition and the no-disk-write property.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }
cat > "$TMP/zs.json" <<'J'
{"seed": 1, "memory": {"frames": 1000}, "vm": {"policy": "lru"}, "zswap": {"enabled": true},
 "workload": {"type": "loop", "pages": 1200, "accesses": 6000, "write_fraction": 1,
              "compression_ratio": 4.0}}
J
# Ratio 4: 1024 bytes a page, 4 pages a pool frame. In the steady state R resident pages and
# the 1200 - R others in the pool fill memory: R + ceil((1200 - R) / 4) = 1000 gives R = 933
# and 67 pool frames. 6000 faults, 1200 first touches: 4800 swap-ins, all from zswap (no disk
# read, no disk write); 6000 - 933 swap-outs, all stored.
"$VMSIM" run "$TMP/zs.json" -o "$TMP/z1" -q --check
check_eq "zswap: swap_in loads swap_out stores pool_frames_max disk reads, write bytes" \
	"$(stats "$TMP/z1" faults.swap_in zswap.loads reclaim.swap_out zswap.stores zswap.pool_frames_max disk.nvme0.reads disk.nvme0.write_bytes)" \
	"4800 4800 5067 5067 67 0 0"
# Incompressible pages are rejected and written: 5000 swap-outs (6000 faults - 1000 frames),
# 5000 pages written, 4800 read.
"$VMSIM" run "$TMP/zs.json" -o "$TMP/z2" -q --check --set workload.incompressible_percent=100
check_eq "zswap rejects: swap_out rejected stored write_bytes reads" \
	"$(stats "$TMP/z2" reclaim.swap_out zswap.rejected zswap.stores disk.nvme0.write_bytes disk.nvme0.reads)" \
	"5000 5000 0 20480000 4800"
# A pool of at most 2% of memory (20 frames): it never holds more, and every page written to
# the disk is a writeback of the pool's LRU or a store rejected while the pool was full.
"$VMSIM" run "$TMP/zs.json" -o "$TMP/z3" -q --check --set zswap.max_pool_percent=2
python3 - "$TMP/z3/stats.json" <<'P' && ok || fail "zswap pool limit accounting"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["zswap.pool_frames_max"] == 20, d["zswap.pool_frames_max"]
assert d["disk.nvme0.write_bytes"] == 4096 * (d["zswap.writebacks"] + d["zswap.rejected"])
assert d["zswap.rejected"] == d["zswap.pool_limit_hit"] > 0
assert d["zswap.stores"] + d["zswap.rejected"] == d["reclaim.swap_out"]
P

# zram as the only swap: the same loop with 100 frames and 150 pages, 250 accesses. Nothing
# is written to or read from a disk; 100 swap-ins, each one decompression.
cat > "$TMP/zr.json" <<'J'
{"seed": 1, "memory": {"frames": 100}, "vm": {"policy": "lru"}, "zram": {"enabled": true},
 "workload": {"type": "loop", "pages": 150, "accesses": 250, "write_fraction": 1,
              "compression_ratio": 2.0}}
J
"$VMSIM" run "$TMP/zr.json" -o "$TMP/r1" -q --check
check_eq "zram: no disk I/O, 100 swap-ins decompressed" \
	"$(stats "$TMP/r1" disk.nvme0.requests faults.swap_in zram.loads zram.decompress.count)" "0 100 100 100"
# The decompression costs against their definition (docs/vm.md): lz4's mean 1.7 us and p99
# 3.6 us make 100 values min + scale * E_k; 100 draws take each once.
python3 - "$TMP/r1/stats.json" <<'P' && ok || fail "zram decompression costs differ from their definition"
import json, math, sys
d = json.load(open(sys.argv[1]))
q = [round(-math.log(1 - (k + 0.5) / 100) * 1e6) for k in range(100)]
mean, p99 = 1700000, 3600000
ebar = sum(q) // 100
scale = (p99 - mean) * 10**6 // (q[98] - ebar)
lo = mean - scale * ebar // 10**6
v = [lo + scale * x // 10**6 for x in q]
assert d["zram.decompress_ps"] == sum(v), (d["zram.decompress_ps"], sum(v))
assert (d["zram.decompress.min_ps"], d["zram.decompress.max_ps"]) == (v[0], v[99])
assert d["zram.decompress.mean_ps"] == sum(v) // 100 == 1700000
P
# ... and the faults' kernel time is their entry cost (sim.fault_ps) plus the compressions and
# decompressions: no queue (one stream per CPU), nothing else.
python3 - "$TMP/r1/stats.json" <<'P' && ok || fail "zram fault time is not entry + compress + decompress"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["time.fault_ps"] == 700000 * d["faults.total"] + d["zram.compress_ps"] + d["zram.decompress_ps"]
P
# With the backing device, incompressible pages go to the disk (the only disk I/O).
"$VMSIM" run "$TMP/zr.json" -o "$TMP/r2" -q --check --set zram.backing_device=true \
	--set workload.incompressible_percent=30
python3 - "$TMP/r2/stats.json" <<'P' && ok || fail "zram backing device accounting"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["zram.rejected"] == d["zram.backing_writes"] > 0
assert d["disk.nvme0.write_bytes"] == 4096 * d["zram.backing_writes"]
assert d["disk.nvme0.read_bytes"] == 4096 * d["zram.backing_reads"]
P
# Without it they are stored whole (huge pages), and same-filled ones take no pool space.
"$VMSIM" run "$TMP/zr.json" -o "$TMP/r3" -q --check --set workload.incompressible_percent=100
check_eq "zram huge: no disk I/O, every store huge" \
	"$(stats "$TMP/r3" disk.nvme0.requests zram.rejected)" "0 0"
"$VMSIM" run "$TMP/zr.json" -o "$TMP/r4" -q --check --set workload.same_filled_percent=100
check_eq "zram same-filled: no pool" "$(stats "$TMP/r4" zram.pool_frames_max zram.decompress.count)" "0 0"
"$VMSIM" run "$TMP/zr.json" -q --set zswap.enabled=true 2> "$TMP/err" >/dev/null
check_eq "zram and zswap: exit status" "$?" "2"
done_tests
