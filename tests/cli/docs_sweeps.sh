#!/usr/bin/env bash
# docs_sweeps.sh VMSIM — docs/sweeps.md's examples run as written: its sweep file is
# configs/sweeps/textbook-zip.json (the same text), the sweep runs (42 points), and the GNU
# parallel recipe (`--list | parallel -j 2`, then `--collect`) gives a summary.csv equal to
# `-j 1`'s byte for byte. (The Slurm recipe runs on a real cluster in tests/slurm/.)
VMSIM=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
block() { # block N: the N-th fenced block (json or sh) of docs/sweeps.md
	awk -v n="$1" '/^```(json|sh)/ {k++; if (k == n) {f = 1; next}} f && /^```/ {exit} f' docs/sweeps.md
}
if [ "$(block 1)" = "$(cat configs/sweeps/textbook-zip.json)" ]; then ok; else fail "the doc's sweep file differs from configs/sweeps/textbook-zip.json"; fi
export PATH="$(dirname "$VMSIM"):$PATH"
"$VMSIM" sweep configs/sweeps/textbook-zip.json -o "$TMP/one" -j 1 >/dev/null 2>&1
check_eq "sweep -j 1 exit" $? 0
check_eq "points" "$(($(wc -l <"$TMP/one/summary.csv") - 1))" 42
recipe=$(block 2)
if grep -q -- "--list | parallel -j 2" <<<"$recipe"; then ok; else fail "block 2 is not the parallel recipe: $recipe"; fi
(eval "$(sed "s|^OUT=.*|OUT=$TMP/par|" <<<"$recipe")") >/dev/null 2>&1
check_eq "parallel recipe exit" $? 0
if cmp -s "$TMP/one/summary.csv" "$TMP/par/summary.csv"; then ok; else fail "parallel recipe's summary differs from -j 1's"; fi
done_tests
