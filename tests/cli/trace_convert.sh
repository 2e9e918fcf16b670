#!/usr/bin/env bash
# trace_convert.sh VMSIM — `vmsim trace convert` / `trace info` from the command line: the
# info numbers of the shipped small.vmt, vmt -> vmb -> vmt identity, the lackey import's
# counts against an awk count of the shipped log, and exit 2 with FILE:LINE on bad input.
set -u
vmsim="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # check NAME COND...
	local name="$1"; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $name" >&2; fi
}
d=tests/data/traces

# info on the shipped trace (counted by hand: see tests/unit/test_trace_cli.c)
"$vmsim" trace info "$d/small.vmt" >"$tmp/info" 2>&1
check "info exit 0" test $? -eq 0
for want in "processes: 3" "operations: 32" "  r: 4" "  w: 5" "  x: 2" "  mmap: 5" \
	"  fork: 2" "  exit: 3" "pages_touched: 5" "footprint_bytes: 20480" "compute_ns: 1250"; do
	check "info has '$want'" grep -qxF "$want" "$tmp/info"
done

# A trace workload without "format": the path's ending names it (vmt, vmb), and the run is the
# one with "format" written (config.json and stats.json byte for byte); an ending that names
# none keeps the default, pages. Before, a .vmt path without "format" was read as pages and
# failed at line 1.
"$vmsim" trace convert "$d/small.vmt" "$tmp/g.vmb" 2>/dev/null
printf '1\n2 w\n1\n' >"$tmp/g.trace"
for t in "$PWD/$d/small.vmt=vmt" "$tmp/g.vmb=vmb" "$tmp/g.trace=pages"; do
	IFS== read -r path fmt <<<"$t"
	printf '{"memory": {"frames": 8}, "workload": {"type": "trace", "path": "%s"}}\n' "$path" >"$tmp/g.json"
	printf '{"memory": {"frames": 8}, "workload": {"type": "trace", "path": "%s", "format": "%s"}}\n' \
		"$path" "$fmt" >"$tmp/g-w.json"
	"$vmsim" run "$tmp/g.json" -q -o "$tmp/g-$fmt" 2>"$tmp/g.err"
	check "format guessed for ${path##*/}: exit 0 ($(cat "$tmp/g.err"))" test $? -eq 0
	"$vmsim" run "$tmp/g-w.json" -q -o "$tmp/g-w-$fmt" 2>/dev/null
	check "format guessed for ${path##*/}: $fmt in config.json" \
		grep -q "\"format\": \"$fmt\"" "$tmp/g-$fmt/config.json"
	for f in config.json stats.json; do
		check "format guessed for ${path##*/}: $f as with \"format\": \"$fmt\"" \
			cmp -s "$tmp/g-$fmt/$f" "$tmp/g-w-$fmt/$f"
	done
done

# text -> binary -> text identity on the normal form
"$vmsim" trace convert "$d/small.vmt" "$tmp/s.vmb" && "$vmsim" trace convert "$tmp/s.vmb" "$tmp/s.vmt"
check "convert exit 0" test $? -eq 0
check "vmt -> vmb -> vmt identity" cmp -s "$d/small.vmt" "$tmp/s.vmt"
"$vmsim" trace convert "$tmp/s.vmb" "$tmp/s2.txt" --to vmt
check "--to vmt" cmp -s "$d/small.vmt" "$tmp/s2.txt"

# lackey import: counts from the log itself
I=$(grep -c '^I ' "$d/tiny.lackey")
L=$(grep -c '^ L ' "$d/tiny.lackey")
S=$(grep -c '^ S ' "$d/tiny.lackey")
M=$(grep -c '^ M ' "$d/tiny.lackey")
# accesses that cross a 4 KiB page boundary touch two pages (by kind)
read -r XI XL XS XM < <(awk '
	function hex(s,   i, v) { v = 0; s = tolower(s)
		for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v }
	/^I |^ [LSM] / { k = ($1 == "I") ? "I" : $1; split($2, a, ",");
		lo = hex(a[1]); hi = lo + a[2] - 1;
		if (int(lo / 4096) != int(hi / 4096)) x[k]++ }
	END { printf "%d %d %d %d\n", x["I"], x["L"], x["S"], x["M"] }' "$d/tiny.lackey")
"$vmsim" trace info "$d/tiny.lackey" >"$tmp/linfo"
check "lackey x = I" grep -qxF "  x: $((I + XI))" "$tmp/linfo"
check "lackey r = L + M" grep -qxF "  r: $((L + XL + M + XM))" "$tmp/linfo"
check "lackey w = S + M" grep -qxF "  w: $((S + XS + M + XM))" "$tmp/linfo"
check "lackey known counts (9 x, 2 r, 5 w)" test "$I $((L + M)) $((S + XS + M))" = "9 2 5"

# bad input: exit 2, FILE:LINE on stderr
printf '1 mmap 0x0 0x1000 rw anon private\n1 w 0x0\n1 leap 0x0\n' >"$tmp/bad.vmt"
"$vmsim" trace info "$tmp/bad.vmt" >/dev/null 2>"$tmp/err"
check "bad vmt exit 2" test $? -eq 2
check "bad vmt message" grep -qF "$tmp/bad.vmt:3: unknown operation \"leap\"" "$tmp/err"
head -c 20 "$tmp/s.vmb" >"$tmp/cut.vmb"
"$vmsim" trace convert "$tmp/cut.vmb" "$tmp/cut.vmt" 2>"$tmp/err"
check "cut vmb exit 2" test $? -eq 2
check "cut vmb message has a byte offset" grep -qF "$tmp/cut.vmb: byte offset " "$tmp/err"
check "failed convert leaves no output" test ! -e "$tmp/cut.vmt"
"$vmsim" trace convert "$d/small.vmt" 2>/dev/null
check "usage exit 2" test $? -eq 2

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
