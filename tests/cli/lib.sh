# lib.sh — shared helpers of the CLI tests (sourced, not run by ctest: no .sh test of its own
# since ctest only picks files named *.sh in tests/cli/ — this one is skipped by its guard).
# Usage in a test: VMSIM=$1; source "$(dirname "$0")/lib.sh"
[ "${BASH_SOURCE[0]}" = "$0" ] && { echo "lib.sh: nothing to test here"; echo "0 passed, 0 failed"; exit 0; }
PASSED=0
FAILED=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }
check_eq() { # check_eq WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}
# stat_of DIR KEY: the integer value of a top-level key of DIR/stats.json
stat_of() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/stats.json"))[sys.argv[2]])' "$1" "$2"
}
# stats DIR KEY...: the values of top-level keys of DIR/stats.json, on one line (20 tests have
# their own copy of this, older than it)
stats() {
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(s[k]) for k in sys.argv[2:]))' "$@"
}
# proc_stat DIR PID KEY: the value of KEY in DIR/stats.json's "processes" entry of process PID
proc_stat() {
	python3 -c 'import json,sys
for p in json.load(open(sys.argv[1]+"/stats.json"))["processes"]:
    if p["pid"] == int(sys.argv[2]): print(p[sys.argv[3]])' "$1" "$2" "$3"
}
# run_preset NAME TRACE PRESET [--set ...]: run the vmt TRACE with configs/presets/PRESET (seed
# 1, timing off, --check=256: the invariant walk costs O(frames), and the presets have 262144)
# into $TMP/NAME (config $TMP/NAME.json)
run_preset() {
	local name=$1 tr=$2 preset=$3
	shift 3
	printf '{"seed": 1, "extends": "%s", "sim": {"timing": false}, "workload": {"type": "trace", "path": "%s", "format": "vmt"}}\n' \
		"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/configs/presets/$preset" "$tr" > "$TMP/$name.json"
	"$VMSIM" run "$TMP/$name.json" -o "$TMP/$name" -q --check=256 "$@"
}
# within WHAT GOT WANT [PERCENT]: ok when |GOT - WANT| <= PERCENT% (default 2) of WANT, the
# recorded programs' tolerance against Linux's native counts
within() {
	local pct=${4:-2} got=${2:-0}
	if [ $((got * 100)) -ge $(($3 * (100 - pct))) ] && [ $((got * 100)) -le $(($3 * (100 + pct))) ]; then
		ok
	else
		fail "$1: vmsim $got, Linux $3 (more than $pct% apart)"
	fi
}
done_tests() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
# needs_valgrind: a recording test is skipped (exit 0) where valgrind is not installed; else
# VMSIM becomes an absolute path (record-trace runs from elsewhere)
needs_valgrind() {
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "skipped: valgrind not installed"
		exit 0
	fi
	VMSIM="$(cd "$(dirname "$VMSIM")" && pwd)/$(basename "$VMSIM")"
}
