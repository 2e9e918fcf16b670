#!/bin/bash
# `vmsim mrc` on bad usage and bad input: exit status 2 and a message naming the file and line.
# Usage: bash mrc_errors.sh /path/to/vmsim.
set -u
VMSIM=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
expect() { # want_rc, want_stderr_substring, args...
	local want_rc=$1 want=$2
	shift 2
	"$VMSIM" mrc "$@" > "$tmp/out" 2> "$tmp/err"
	local rc=$?
	if [ "$rc" -eq "$want_rc" ] && { [ -z "$want" ] || grep -qF -- "$want" "$tmp/err"; }; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "mrc $*: rc $rc (want $want_rc), stderr: $(cat "$tmp/err")" >&2; fi
}
printf '1\n2\n0x3 r\n# ok so far\n4 q\n' > "$tmp/bad.txt"
expect 2 "$tmp/bad.txt:5: expected a page number" "$tmp/bad.txt"
expect 2 "$tmp/bad.txt:5: expected a page number" "$tmp/bad.txt" --policy opt
expect 2 "$tmp/nope.txt: cannot open trace" "$tmp/nope.txt"
expect 2 "--shards estimates the LRU curve only" "$tmp/bad.txt" --shards 0.01 --policy both
expect 2 "--shards: expected a rate in (0, 1]" "$tmp/bad.txt" --shards 0
expect 2 "missing the TRACE argument"
expect 0 "" --help
check_help=$("$VMSIM" mrc --help | head -1)
if [ "${check_help#usage: vmsim mrc}" != "$check_help" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "--help: $check_help" >&2; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
