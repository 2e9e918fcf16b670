#!/usr/bin/env bash
# reliability.sh VMSIM — issue 21's red-team defects, one block per item: crashes, data
# destroyed, silently wrong results, hangs. Each block states the exact outcome: exit status,
# message, the files that must (or must not) exist afterwards, the numbers that must come out.
# Run by ctest once as is and (through CI) once with VMSIM_VMB_PORTABLE=1.
VMSIM=$(realpath "$1")
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

# 10. a point whose results could not all be written (here: ulimit -f, like a full file system)
# is failed, not ok; its run leaves no stats.json; --resume runs it again
printf '%s\n' 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 >"$TMP/ref.pages"
cat >"$TMP/base.json" <<JSON
{"memory": {"frames": 3}, "stats": {"interval_ps": 250000},
 "workload": {"type": "trace", "path": "$TMP/ref.pages", "format": "pages"}}
JSON
echo '{"name": "fs", "base": "base.json", "grid": {"memory.frames": [3, 4]}}' >"$TMP/fs.json"
# The limit (KiB) lies between the two points' largest result files, measured here (they
# follow the timing models): frames 3 writes a larger timeseries.csv than frames 4.
largest() { "$VMSIM" run "$1" -o "$2" -q >/dev/null && ls -l "$2" | awk 'NR > 1 && $5 > m {m = $5} END {print m}'; }
sed 's/"frames": 3/"frames": 4/' "$TMP/base.json" >"$TMP/base4.json"
big3=$(largest "$TMP/base.json" "$TMP/size3"); big4=$(largest "$TMP/base4.json" "$TMP/size4")
lim=$((big4 / 1024 + 1))
[ "$big3" -gt $((lim * 1024)) ] && ok || fail "item 10: frames 3 ($big3 B) must outgrow frames 4 ($big4 B)"
msg=$(ulimit -f $lim; "$VMSIM" sweep "$TMP/fs.json" -o "$TMP/fs" -j 1 2>&1)
check_eq "item 10: sweep exit" $? 1
expect_msg "item 10: sweep" "$msg" "failed memory.frames=3: exit 1: vmsim: $TMP/fs/points/memory.frames=3: could not write the results: File too large"
expect_msg "item 10: sweep" "$msg" "1 ok, 1 failed, 0 not run"
[ -e "$TMP/fs/points/memory.frames=3/stats.json" ] && fail "item 10: a stats.json" || ok
[ -e "$TMP/fs/points/memory.frames=3/done" ] && fail "item 10: a done marker" || ok
msg=$("$VMSIM" sweep "$TMP/fs.json" -o "$TMP/fs" -j 1 --resume 2>&1)
check_eq "item 10: resume exit" $? 0
expect_msg "item 10: resume" "$msg" "1 points already complete, 1 to run"
check_eq "item 10: faults after resume" "$(cut -d, -f1-2 "$TMP/fs/summary.csv" | tr '\n' ' ')" \
	"memory.frames,faults.total 3,12 4,8 "  # LRU on Silberschatz's string
# the same for `vmsim run`: exit 1, the reason, no stats.json, no temporary file
msg=$(ulimit -f $lim; "$VMSIM" run "$TMP/base.json" -o "$TMP/r10" -q 2>&1)
check_eq "item 10: run exit" $? 1
expect_msg "item 10: run" "$msg" "$TMP/r10: could not write the results: File too large"
[ -e "$TMP/r10/stats.json" ] && fail "item 10: run left stats.json" || ok
no_tmp "item 10"

# 11. a name that would leave results/: refused (a run and a sweep), nothing written
mkdir "$TMP/cwd11" && cd "$TMP/cwd11" || exit 1
for name in .. . a/b; do
	echo '{"name": "'$name'", "workload": {"type": "seq", "pages": 4}}' >"$TMP/n.json"
	msg=$("$VMSIM" run "$TMP/n.json" -q 2>&1)
	check_eq "item 11: run name $name exit" $? 2
	expect_msg "item 11: run name $name" "$msg" "$TMP/n.json: name: expected a folder name (no '/', not \".\" or \"..\": results/NAME must stay in results/), got \"$name\""
	echo '{"name": "'$name'", "base": "'$TMP'/base.json", "grid": {"memory.frames": [3]}}' >"$TMP/ns.json"
	msg=$("$VMSIM" sweep "$TMP/ns.json" 2>&1)
	check_eq "item 11: sweep name $name exit" $? 2
	expect_msg "item 11: sweep name $name" "$msg" "name: expected a non-empty string without '/', not \".\" or \"..\""
done
check_eq "item 11: nothing written" "$(find "$TMP/cwd11" -mindepth 1 | wc -l)" 0
cd - >/dev/null || exit 1

# 2. an empty -o: a usage error (it read past its allocation)
msg=$("$VMSIM" run "$TMP/base.json" -o '' 2>&1)
check_eq "item 2: run -o '' exit" $? 2
expect_msg "item 2: run -o ''" "$msg" "run: -o expects a directory name, got an empty string"
msg=$("$VMSIM" sweep "$TMP/fs.json" -o '' 2>&1)
check_eq "item 2: sweep -o '' exit" $? 2
expect_msg "item 2: sweep -o ''" "$msg" "sweep: -o: expected a directory name, got an empty string"

# 5. absurd parallelism: a usage error, not "host out of memory"
msg=$("$VMSIM" sweep "$TMP/fs.json" -o "$TMP/j5" -j 9223372036854775807 2>&1)
check_eq "item 5: -j 2^63-1 exit" $? 2
expect_msg "item 5: -j 2^63-1" "$msg" "sweep: -j: expected an integer in [1, 4096], got \"9223372036854775807\""

done_tests
