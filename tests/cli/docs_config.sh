# docs_config.sh — docs/config.md is generated from the key tables in the code
# (`vmsim help config`) and must be kept in step: regenerate it with
#   ./build/vmsim help config > docs/config.md
VMSIM=$1
source "$(dirname "$0")/lib.sh"
"$VMSIM" help config > "$TMP/config.md"
if cmp -s "$TMP/config.md" docs/config.md; then ok; else
	fail "docs/config.md is out of date: regenerate with 'vmsim help config > docs/config.md'"
	diff "$TMP/config.md" docs/config.md | head -20 >&2
fi
# Every default in the docs is what a dry run resolves.
frames=$("$VMSIM" run tests/data/textbook.json --dry-run --set memory.frames=65536 | python3 -c 'import json,sys; print(json.load(sys.stdin)["memory"]["frames"])')
check_eq "dry-run shows overrides" "$frames" 65536
policy=$(printf '{"workload": {"type": "trace", "path": "x"}}' > "$TMP/min.json"; "$VMSIM" run "$TMP/min.json" --dry-run | python3 -c 'import json,sys; print(json.load(sys.stdin)["vm"]["policy"])')
check_eq "default policy" "$policy" lru
done_tests
