#!/usr/bin/env bash
# reliability.sh VMSIM — issue 21's red-team defects, one block per item: crashes, data
# destroyed, silently wrong results, hangs. Each block states the exact outcome: exit status,
# message, the files that must (or must not) exist afterwards, the numbers that must come out.
# Run by ctest once as is and (through CI) once with VMSIM_VMB_PORTABLE=1.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
expect_msg() { # what message want
	case "$2" in *"$3"*) ok ;; *) fail "$1: message '$2' lacks '$3'" ;; esac
}

# 1. 300 reads of one page as vmb, read by both decoders (the portable one wrote past its batch)
for i in $(seq 300); do echo 5; done >"$TMP/one.pages"
"$VMSIM" trace convert "$TMP/one.pages" "$TMP/one.vmb"
check_eq "item 1: convert exit" $? 0
for portable in 0 1; do
	out=$(VMSIM_VMB_PORTABLE=$portable "$VMSIM" trace info "$TMP/one.vmb")
	check_eq "item 1: info exit (portable=$portable)" $? 0
	expect_msg "item 1: accesses (portable=$portable)" "$out" "accesses: 300"
done

done_tests
