# configs.sh — `vmsim run` succeeds (exit 0, complete results) on every config in configs/ and
# on every preset extended by a minimal config; every sweep in configs/sweeps expands.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
for cfg in configs/*.json; do
	if "$VMSIM" run "$cfg" -q -o "$TMP/run" >"$TMP/log" 2>&1; then ok; else
		fail "$cfg: exit $?: $(tail -2 "$TMP/log")"
		continue
	fi
	check_eq "$cfg complete" "$(stat_of "$TMP/run" sim.complete)" 1
	rm -rf "$TMP/run"
done
for preset in configs/presets/*.json; do
	printf '{"extends": "%s", "workload": {"type": "seq", "pages": 64, "loops": 2}}\n' \
		"$PWD/$preset" > "$TMP/p.json"
	if "$VMSIM" run "$TMP/p.json" -q -o "$TMP/prun" >"$TMP/log" 2>&1; then ok; else
		fail "$preset: exit $?: $(tail -2 "$TMP/log")"
	fi
	rm -rf "$TMP/prun"
done
for sw in configs/sweeps/*.json; do
	n=$("$VMSIM" sweep "$sw" --list 2>"$TMP/log" | wc -l)
	if [ "$n" -gt 0 ]; then ok; else fail "$sw: --list printed nothing: $(cat "$TMP/log")"; fi
done
done_tests
