# determinism.sh — the same config and seed give byte-identical stats.json, config.json and
# timeseries.csv, whatever the output directory; a different seed is allowed to differ.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
for cfg in tests/data/textbook.json configs/*.json; do
	[ -f "$cfg" ] || continue
	grep -q '"trace"' "$cfg" 2>/dev/null && ! [ -f "$(dirname "$cfg")/$(python3 -c 'import json,sys;d=json.load(open(sys.argv[1]));w=d.get("workload",{});print(w.get("path",""))' "$cfg")" ] && continue
	"$VMSIM" run "$cfg" -q -o "$TMP/a" --set stats.interval_ps=100000000 || { fail "$cfg run a"; continue; }
	"$VMSIM" run "$cfg" -q -o "$TMP/b" --set stats.interval_ps=100000000 || { fail "$cfg run b"; continue; }
	for f in stats.json config.json timeseries.csv; do
		if cmp -s "$TMP/a/$f" "$TMP/b/$f"; then ok; else fail "$cfg: $f differs between two runs"; fi
	done
	rm -rf "$TMP/a" "$TMP/b"
done
done_tests
