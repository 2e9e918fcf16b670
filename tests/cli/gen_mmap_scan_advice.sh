#!/usr/bin/env bash
# gen_mmap_scan_advice.sh VMSIM — mmap-scan's `advice` (a madvise of the whole mapping after
# the mmap): one scanner over an uncached 8192-page file with the Linux 6.18 preset takes the
# faults Linux 6.18 took for the same reads (tests/linux/expected.tsv: file_readahead,
# file_sequential, file_random, file_willneed; vmsim's own numbers there: 419, 419, 8192 major,
# 128 + 339), and `none` gives what the generator gave before the key existed.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
for adv in none normal sequential random willneed; do
	printf '{"extends": "%s/configs/presets/linux-6.18.json", "sim": {"timing": false}, "workload": {"type": "mmap-scan", "file_pages": 8192, "processes": 1, "advice": "%s"}}\n' \
		"$PWD" "$adv" >"$TMP/$adv.json"
	"$VMSIM" run "$TMP/$adv.json" -q -o "$TMP/$adv" || fail "$adv: run exited $?"
done
f() { echo "$(stat_of "$TMP/$1" faults.minor) $(stat_of "$TMP/$1" faults.major) $(stat_of "$TMP/$1" pagecache.pages)"; }
check_eq "none: minor major cached" "$(f none)" "419 1 8192"
check_eq "normal" "$(f normal)" "419 1 8192"
check_eq "sequential" "$(f sequential)" "419 1 8192"
check_eq "random" "$(f random)" "0 8192 8192"
check_eq "willneed" "$(f willneed)" "467 1 8192"
printf '{"workload": {"type": "mmap-scan", "advice": "sideways"}}\n' >"$TMP/bad.json"
msg=$("$VMSIM" run "$TMP/bad.json" -q -o "$TMP/bad" 2>&1)
check_eq "bad advice exit" "$?" 2
case "$msg" in *"workload.advice"*) ok ;; *) fail "bad advice message: $msg" ;; esac
done_tests
