# linux_compare.sh — the Linux-fidelity instrument (tests/linux/, scripts/linux-compare) stays
# consistent, and docs/vm.md's "Fidelity against Linux" table stays what vmsim gives:
#   every probe compiles with -Wall -Wextra -Werror; the probes, the vmsim equivalents
#   (tests/linux/scenarios.py) and tests/linux/expected.tsv name the same 73 scenarios in the
#   same order; expected.tsv is well formed (6 columns, a count or LO..HI, no TODO, the
#   kernel in its header); and `scripts/linux-compare --no-linux --markdown` (Linux's numbers
#   from expected.tsv, vmsim run now) prints exactly the table in docs/vm.md, with all 539 of the
#   539 compared quantities matching (faults, copies, cached and dirty pages, and the regions'
#   pagemap counts against stats.footprint). Regenerate the table after changing the VM layer:
#   scripts/linux-compare --no-linux --markdown (between the table's comment lines).
# Needs no root: the probes are only compiled here (measuring needs root and this kernel).
VMSIM=$1
source "$(dirname "$0")/lib.sh"

n=0
for src in tests/linux/*.c; do
	exe="$TMP/$(basename "$src" .c)"
	if gcc -O2 -Wall -Wextra -Werror -pthread -o "$exe" "$src" -lrt 2>"$TMP/cc.err"; then
		ok
		"$exe" --list | cut -f1 >>"$TMP/probes.txt"
		n=$((n + 1))
	else
		fail "$src does not compile: $(head -3 "$TMP/cc.err")"
	fi
done
check_eq "probe programs" "$n" 10

python3 -c 'import sys; sys.path.insert(0, "tests/linux"); import scenarios
print("\n".join(f.__name__ for f in scenarios.SCENARIOS))' >"$TMP/traces.txt"
grep -v '^#' tests/linux/expected.tsv | tail -n +2 | cut -f1 | uniq >"$TMP/expected.txt"
sort "$TMP/probes.txt" >"$TMP/probes.sorted"
sort "$TMP/traces.txt" >"$TMP/traces.sorted"
check_eq "scenarios of the probes" "$(wc -l <"$TMP/probes.txt")" 73
check_eq "probes = vmsim equivalents" "$(cmp -s "$TMP/probes.sorted" "$TMP/traces.sorted" && echo same)" same
check_eq "expected.tsv in the traces' order" "$(cmp -s "$TMP/traces.txt" "$TMP/expected.txt" && echo same)" same

bad=$(grep -v '^#' tests/linux/expected.tsv | tail -n +2 |
	awk -F'\t' 'NF != 6 || $4 !~ /^-?[0-9]+(\.\.[0-9]+)?$/ || $5 == "" || $6 == "" || /TODO/' | wc -l)
check_eq "malformed rows of expected.tsv" "$bad" 0
check_eq "rows of expected.tsv" "$(grep -v '^#' tests/linux/expected.tsv | tail -n +2 | wc -l)" 615
check_eq "kernel in the header" "$(grep -c '^# kernel 6\.18' tests/linux/expected.tsv)" 1

scripts/linux-compare --no-linux --markdown --vmsim "$VMSIM" >"$TMP/table.md" 2>"$TMP/summary.txt" ||
	fail "linux-compare exited $?: $(head -3 "$TMP/summary.txt")"
check_eq "summary" "$(head -1 "$TMP/summary.txt")" \
	"rows: 539 match, 0 mismatch, 0 unsupported, 76 not compared (vmsim has no such statistic)"
sed -n '/^<!-- linux-compare table/,/^<!-- end of the linux-compare table/p' docs/vm.md |
	sed '1d;$d' >"$TMP/doc.md"
if cmp -s "$TMP/table.md" "$TMP/doc.md"; then ok; else
	fail "docs/vm.md's fidelity table is out of date: regenerate it with scripts/linux-compare --no-linux --markdown"
	diff "$TMP/doc.md" "$TMP/table.md" | head -10 >&2
fi
done_tests
