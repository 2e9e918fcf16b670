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

# 7. convert onto its own input (the same name, a symlink, a hard link): refused, input intact
cp "$TMP/one.pages" "$TMP/in.pages"
ln -s in.pages "$TMP/sym.pages"
ln "$TMP/in.pages" "$TMP/hard.pages"
for out in in.pages sym.pages hard.pages; do
	msg=$("$VMSIM" trace convert "$TMP/in.pages" "$TMP/$out" 2>&1)
	check_eq "item 7: convert onto $out exit" $? 2
	expect_msg "item 7: convert onto $out" "$msg" \
		"$TMP/$out: is the same file as the input $TMP/in.pages (convert never overwrites its input)"
	cmp -s "$TMP/in.pages" "$TMP/one.pages" && ok || fail "item 7: $out: the input changed"
done
no_tmp() { # what: no temporary file of convert left in $TMP
	local left
	left=$(find "$TMP" -name '.*.tmp' | head -1)
	[ -z "$left" ] && ok || fail "$1: left $left"
}
no_tmp "item 7"

# 8. a failing convert keeps a pre-existing OUT; an OUT that is not a regular file is refused
printf '1\nbanana\n' >"$TMP/bad.pages"
echo "precious" >"$TMP/keep.vmt"
msg=$("$VMSIM" trace convert "$TMP/bad.pages" "$TMP/keep.vmt" 2>&1)
check_eq "item 8: failing convert exit" $? 2
expect_msg "item 8: failing convert" "$msg" "$TMP/bad.pages:2: expected a page number"
check_eq "item 8: OUT kept" "$(cat "$TMP/keep.vmt")" precious
msg=$("$VMSIM" trace convert "$TMP/one.pages" /dev/null --to vmt 2>&1)
check_eq "item 8: /dev/null exit" $? 2
expect_msg "item 8: /dev/null" "$msg" "/dev/null: not a regular file (convert writes a new file and renames it over OUT)"
[ -c /dev/null ] && ok || fail "item 8: /dev/null is no longer a device"
# a successful convert over an existing file replaces it and keeps its mode
chmod 640 "$TMP/keep.vmt"
"$VMSIM" trace convert "$TMP/one.pages" "$TMP/keep.vmt" && ok || fail "item 8: convert over a file"
check_eq "item 8: replaced" "$(grep -c '^1 w 0x5000$' "$TMP/keep.vmt")" 300
check_eq "item 8: mode kept" "$(stat -c %a "$TMP/keep.vmt")" 640
no_tmp "item 8"

# 6. a file size limit (ulimit -f): exit 1 with the file named, no partial OUT, no temporary
for i in $(seq 20000); do echo "$i w"; done >"$TMP/big.pages"
msg=$(ulimit -f 8; "$VMSIM" trace convert "$TMP/big.pages" "$TMP/big.vmt" 2>&1)
check_eq "item 6: ulimit -f convert exit" $? 1
expect_msg "item 6: ulimit -f convert" "$msg" "$TMP/big.vmt: write failed: File too large"
[ -e "$TMP/big.vmt" ] && fail "item 6: a partial OUT" || ok
no_tmp "item 6"

# 9. an interrupted convert (SIGINT while it reads a FIFO) leaves no partial trace and keeps OUT
mkfifo "$TMP/fifo"
echo "old" >"$TMP/cut.vmt"
"$VMSIM" trace convert "$TMP/fifo" "$TMP/cut.vmt" --from pages 2>"$TMP/cut.err" &
pid=$!
exec 3>"$TMP/fifo" # returns once vmsim has opened the FIFO (its handlers are set by then)
head -5000 "$TMP/big.pages" >&3
kill -INT $pid
# feed lines until vmsim reaches its next op and stops
for _ in $(seq 200); do
	kill -0 $pid 2>/dev/null || break
	head -2000 "$TMP/big.pages" >&3 2>/dev/null
	sleep 0.05
done
exec 3>&-
wait $pid
check_eq "item 9: interrupted convert exit" $? 1
expect_msg "item 9: interrupted convert" "$(cat "$TMP/cut.err")" "interrupted; $TMP/cut.vmt was not written"
check_eq "item 9: OUT kept" "$(cat "$TMP/cut.vmt")" old
no_tmp "item 9"

done_tests
