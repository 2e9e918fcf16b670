# offload_regions.sh — per-region compressibility (workload.compression_regions, docs/vm.md,
# "Compressed swap"): counts derived by hand for one pass over a loop of 150 pages written in
# 100 frames with zram as the only swap (LRU: the oldest pages go first, so the pages stored
# are a prefix of the region), and a bad region refused with its JSON path.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { local d=$1 k out=; shift; for k; do out+="${out:+ }$(stat_of "$d" "$k")"; done; echo "$out"; }
# The loop's region starts at 0x10000000000 (docs/workloads.md); its first 50 pages
# (204800 bytes) compress 4:1 (1024 bytes), the other 100 as the workload says, 2:1 (2048).
cat > "$TMP/r.json" <<'J'
{"seed": 1, "memory": {"frames": 100}, "vm": {"policy": "lru"}, "zram": {"enabled": true},
 "workload": {"type": "loop", "pages": 150, "accesses": 150, "write_fraction": 1,
              "compression_ratio": 2.0,
              "compression_regions": [{"addr": 1099511627776, "bytes": 204800,
                                       "compression_ratio": 4.0}]}}
J
# S pages stored, R = 150 - S resident, R + pool frames = 100 at the end of the pass. S = 75:
# 50 * 1024 + 25 * 2048 = 102400 bytes = 25 frames, 75 + 25 = 100. (At 2:1 throughout it
# would be S = 100 and 50 frames.)
"$VMSIM" run "$TMP/r.json" -o "$TMP/o1" -q --check
check_eq "regions 4:1 then 2:1: stores pool_frames_max same_filled" \
	"$(stats "$TMP/o1" zram.stores zram.pool_frames_max zram.same_filled)" "75 25 0"
# The first 50 pages same-filled: they take no pool space, so R + (S - 50) / 2 = 100 gives
# S = 50, all same-filled, and an empty pool.
"$VMSIM" run "$TMP/r.json" -o "$TMP/o2" -q --check \
	--set 'workload.compression_regions=[{"addr": 1099511627776, "bytes": 204800, "same_filled_percent": 100}]'
check_eq "region same-filled: stores pool_frames_max same_filled" \
	"$(stats "$TMP/o2" zram.stores zram.pool_frames_max zram.same_filled)" "50 0 50"
# A region past the pages touched changes nothing: the 2:1 count, S = 100, 50 frames.
"$VMSIM" run "$TMP/r.json" -o "$TMP/o3" -q --check \
	--set 'workload.compression_regions=[{"addr": 0, "bytes": 4096, "compression_ratio": 8.0}]'
check_eq "region elsewhere: stores pool_frames_max" \
	"$(stats "$TMP/o3" zram.stores zram.pool_frames_max)" "100 50"
# Bad input names the file and the JSON path, exit 2.
for bad in '[{"addr": 0, "bytes": 4096, "compression_ratio": 0.5}]|workload.compression_regions[0].compression_ratio' \
	'[{"bytes": 4096}]|workload.compression_regions[0].addr: missing' \
	'[]|workload.compression_regions: expected a non-empty list' \
	'[{"addr": 0, "bytes": 1, "same_filled_percent": 60, "incompressible_percent": 50}]|workload.compression_regions[0]: same_filled_percent'; do
	v=${bad%%|*}; want=${bad#*|}
	out=$("$VMSIM" run "$TMP/r.json" -o "$TMP/bad" -q --set "workload.compression_regions=$v" 2>&1)
	rc=$?
	if [ $rc -eq 2 ] && [[ $out == *r.json*": $want"* ]]; then ok; else fail "bad region $v: rc $rc: $out"; fi
done
done_tests
