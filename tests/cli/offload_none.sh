# offload_none.sh — with none of zram, zswap and cgroups configured, results are today's byte
# for byte: their keys given explicitly as off change neither stats.json nor timeseries.csv nor
# latency_cdf.csv, and a cgroup that no workload joins (no limits) changes no count, only adds
# its own keys. (scripts/same-results against the binary before the feature is the other half:
# docs/vm.md records it.)
VMSIM=$1
source "$(dirname "$0")/lib.sh"
off='--set zram.enabled=false --set zswap.enabled=false --set cgroups={} --set stats.psi=false'
for cfg in configs/workload-zipf.json configs/workload-fork-server.json configs/workload-mmap-scan.json; do
	n=$(basename "$cfg" .json)
	"$VMSIM" run "$cfg" -q -o "$TMP/a-$n" --set memory.frames=3000
	"$VMSIM" run "$cfg" -q -o "$TMP/b-$n" --set memory.frames=3000 $off
	for f in stats.json timeseries.csv latency_cdf.csv; do
		cmp -s "$TMP/a-$n/$f" "$TMP/b-$n/$f" && ok || fail "$n: $f differs with the features off"
	done
	"$VMSIM" run "$cfg" -q -o "$TMP/c-$n" --set memory.frames=3000 --set 'cgroups={"idle": {}}'
	python3 - "$TMP/a-$n/stats.json" "$TMP/c-$n/stats.json" <<'P' && ok || fail "$n: an unjoined cgroup changed a count"
import json, sys
a, c = (json.load(open(p)) for p in sys.argv[1:])
extra = {k for k in c if k.startswith(("cgroup.", "psi."))}
assert set(c) - extra == set(a), set(c) ^ set(a)
bad = [k for k in a if a[k] != c[k]]
assert not bad, bad
assert c["cgroup.idle.peak_pages"] == 0
P
done
done_tests
