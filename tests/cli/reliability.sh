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

# 12. --set of a preset's selector re-applies the preset: hdd timings, as a config file gives
cat >"$TMP/d12.json" <<'JSON'
{"memory": {"frames": 3, "swap_pages": 64}, "workload": {"type": "loop", "pages": 8}}
JSON
cat >"$TMP/d12h.json" <<'JSON'
{"memory": {"frames": 3, "swap_pages": 64}, "disk": {"devices": [{"name": "nvme0", "type": "hdd"}]},
 "workload": {"type": "loop", "pages": 8}}
JSON
"$VMSIM" run "$TMP/d12.json" -q -o "$TMP/o12n" && "$VMSIM" run "$TMP/d12h.json" -q -o "$TMP/o12f" &&
	"$VMSIM" run "$TMP/d12.json" --set 'disk.devices[0].type=hdd' -q -o "$TMP/o12s"
check_eq "item 12: runs exit" $? 0
check_eq "item 12: nvme time" "$(stat_of "$TMP/o12n" sim.time_ps)" 12113965992000
check_eq "item 12: hdd (file) time" "$(stat_of "$TMP/o12f" sim.time_ps)" 6046008398395659
check_eq "item 12: hdd (--set) time" "$(stat_of "$TMP/o12s" sim.time_ps)" 6046008398395659
cmp -s "$TMP/o12f/stats.json" "$TMP/o12s/stats.json" && ok || fail "item 12: --set and file stats differ"
# a key the user wrote is kept over the new preset
"$VMSIM" run "$TMP/d12.json" --set 'disk.devices[0].read_latency_ps=5' --set 'disk.devices[0].type=hdd' \
	--dry-run >"$TMP/d12.dry"
grep -q '"read_latency_ps": 5,' "$TMP/d12.dry" && ok || fail "item 12: a --set key dropped by the preset"

# 23 (first part). --set vm.policy over a base whose policy has parameters: only the written
# parameters stay (the base's defaults do not follow)
cat >"$TMP/p23.json" <<JSON
{"memory": {"frames": 3}, "vm": {"policy": "aging"},
 "workload": {"type": "trace", "path": "$TMP/ref.pages", "format": "pages"}}
JSON
"$VMSIM" run "$TMP/p23.json" --set vm.policy=lru -q -o "$TMP/o23"
check_eq "item 23: --set vm.policy=lru exit" $? 0
check_eq "item 23: lru faults" "$(stat_of "$TMP/o23" faults.total)" 12
sed 's/"policy": "aging"}/"policy": "aging", "policy_params": {"counter_bits": 4}}/' "$TMP/p23.json" >"$TMP/p23w.json"
msg=$("$VMSIM" run "$TMP/p23w.json" --set vm.policy=lru -q -o "$TMP/o23w" 2>&1)
check_eq "item 23: a written aging parameter under lru exit" $? 2
expect_msg "item 23: written parameter" "$msg" "p23w.json (with --set): vm.policy_params.counter_bits: unknown key"

# 18. --set key paths are parsed strictly
bad_set() { # key=value message
	msg=$("$VMSIM" run "$TMP/base.json" --set "$1" -q -o "$TMP/o18" 2>&1)
	check_eq "item 18: --set '$1' exit" $? 2
	expect_msg "item 18: --set '$1'" "$msg" "$2"
	[ -e "$TMP/o18" ] && fail "item 18: --set '$1' left results" || ok
}
bad_set '.=5' '--set .: expected a key name at "."'
bad_set 'memory..frames=3' '--set memory..frames: expected a key name at ".frames"'
bad_set 'memory.=3' '--set memory.: expected a key name at the end'
bad_set 'tlb.levels[0]x.entries=4' '--set tlb.levels[0]x.entries: unexpected "x.entries" (expected '"'.', '[' or the end)"
bad_set 'tlb.levels[-1].entries=4' '--set tlb.levels[-1].entries: expected a list index (an integer >= 0) in [], got "-1"'
bad_set 'tlb.levels[0.entries=4' "--set tlb.levels[0.entries: unclosed '[' (expected [N] with N an integer >= 0)"
bad_set 'tlb.levels[7].entries=4' '--set tlb.levels[7].entries: no list element levels[7]'
bad_set 'vm={"policy": "lru", "policy": "fifo"}' "--set vm: malformed JSON value: duplicate object key near '\"policy\"'"
bad_set 'vm={"policy": "lru"' '--set vm: malformed JSON value: '

# local scope with page tables in frames (a NULL mm dereferenced at the page table's
# allocation): Silberschatz's string under LRU with 7 frames, 4 of them the page tables
# (PML4, PDPT, PD, PT) => 3 for data => LRU's 12 faults, as global scope gives
for sc in local global; do
	cat >"$TMP/pt-$sc.json" <<JSON
{"memory": {"frames": 7, "page_tables_in_frames": true}, "vm": {"scope": "$sc", "policy": "lru"},
 "workload": {"type": "trace", "path": "$TMP/ref.pages", "format": "pages"}}
JSON
	"$VMSIM" run "$TMP/pt-$sc.json" -q --check -o "$TMP/pt-$sc"
	check_eq "page tables in frames, $sc scope: exit" $? 0
	check_eq "page tables in frames, $sc scope: faults" "$(stat_of "$TMP/pt-$sc" faults.total)" 12
	check_eq "page tables in frames, $sc scope: tables" "$(stat_of "$TMP/pt-$sc" memory.page_table_pages_max)" 4
done

# 3. a swap device too small for memory.swap_pages: exit 2 naming the key, no results
cat >"$TMP/d3.json" <<'JSON'
{"memory": {"frames": 3}, "disk": {"devices": [{"name": "nvme0", "capacity_bytes": 4096}]},
 "workload": {"type": "loop", "pages": 8}}
JSON
msg=$("$VMSIM" run "$TMP/d3.json" -q -o "$TMP/o3" 2>&1)
check_eq "item 3: exit" $? 2
expect_msg "item 3" "$msg" "d3.json: disk.devices[0].capacity_bytes: the swap device \"nvme0\" must hold memory.swap_pages (1048576 pages of 4096 bytes), got 4096 bytes"
[ -e "$TMP/o3" ] && fail "item 3: left a results directory" || ok
# 3. the file device too small for the files: found when a file is declared (file) or grows
# (write past its end), before its requests reach the disk model. Files lie from 1 MiB
# boundaries after the default image's default.text and default.data (2 MiB), so a 2 MiB file
# ends at byte 4194304: 3 MiB is too small, 4 MiB holds it (2 MiB written back to its end).
printf 'file big 2097152\n1 mmap 0x10000000 0x200000 r file:big:0 private\n1 r 0x101ff000\n1 exit\n' >"$TMP/f3.vmt"
printf 'file small 4096\n1 write small 0 2097152\n1 fsync small\n1 exit\n' >"$TMP/g3.vmt"
for t in f3 g3; do
	for cap in 3145728 4194304; do
		cat >"$TMP/$t-$cap.json" <<JSON
{"disk": {"devices": [{"name": "nvme0", "capacity_bytes": $cap}]}, "memory": {"swap_pages": 0},
 "workload": {"type": "trace", "format": "vmt", "path": "$TMP/$t.vmt"}}
JSON
	done
done
for t in "f3 big" "g3 small"; do
	set -- $t
	msg=$("$VMSIM" run "$TMP/$1-3145728.json" -q -o "$TMP/o$1" 2>&1)
	check_eq "item 3, file $2: exit" $? 2
	expect_msg "item 3, file $2" "$msg" "$1-3145728.json: disk.devices[0].capacity_bytes: the file device \"nvme0\" must hold the files (file \"$2\" of 2097152 bytes ends at byte 4194304 of it: files lie one after another, each from a 1 MiB boundary), got 3145728 bytes"
	[ -e "$TMP/o$1" ] && fail "item 3, file $2: left a results directory" || ok
	"$VMSIM" run "$TMP/$1-4194304.json" -q -o "$TMP/o$1"
	check_eq "item 3, file $2 fits: exit" $? 0
done
check_eq "item 3, file small fits: bytes written" "$(stat_of "$TMP/og3" disk.nvme0.write_bytes)" 2097152

# 4. a compute op that would overflow the simulated clock: a trace error at its line
printf '1 mmap 0x0 0x1000 rw anon private\n1 compute 18446744073709551615\n1 exit\n' >"$TMP/c4.vmt"
for cmd in "trace info" run; do
	if [ "$cmd" = run ]; then
		echo '{"workload": {"type": "trace", "format": "vmt", "path": "'$TMP'/c4.vmt"}}' >"$TMP/c4.json"
		msg=$("$VMSIM" run "$TMP/c4.json" -q -o "$TMP/o4" 2>&1)
	else
		msg=$("$VMSIM" trace info "$TMP/c4.vmt" 2>&1)
	fi
	check_eq "item 4: $cmd exit" $? 2
	expect_msg "item 4: $cmd" "$msg" "$TMP/c4.vmt:2: compute of 18446744073709551615 ns is beyond the limit of 1000000000000 ns (1000 s) per operation"
done
[ -e "$TMP/o4" ] && fail "item 4: left a results directory" || ok

# 21, 24. a config or extends target that is a FIFO (it blocked) or a folder: refused first
mkfifo "$TMP/cfg.fifo"
mkdir "$TMP/cfg.dir"
for f in cfg.fifo cfg.dir; do
	msg=$("$VMSIM" run "$TMP/$f" -q -o "$TMP/o21" 2>&1)
	check_eq "item 21: config $f exit" $? 2
	expect_msg "item 21: config $f" "$msg" "$TMP/$f: cannot read config: not a regular file"
	echo '{"extends": "'$f'", "workload": {"type": "seq", "pages": 4}}' >"$TMP/ext.json"
	msg=$("$VMSIM" run "$TMP/ext.json" -q -o "$TMP/o21" 2>&1)
	check_eq "item 21: extends $f exit" $? 2
	expect_msg "item 21: extends $f" "$msg" "$TMP/$f: cannot read config: not a regular file"
done
[ -e "$TMP/o21" ] && fail "item 21: left a results directory" || ok

# 24. unclear messages: an empty extends, a real number where an integer is expected
echo '{"extends": "", "workload": {"type": "seq", "pages": 4}}' >"$TMP/e24.json"
msg=$("$VMSIM" run "$TMP/e24.json" -q -o "$TMP/o24" 2>&1)
check_eq "item 24: empty extends exit" $? 2
expect_msg "item 24: empty extends" "$msg" "e24.json: extends: expected a path to a base config, got the string \"\""
echo '{"memory": {"frames": 4.0}, "workload": {"type": "seq", "pages": 4}}' >"$TMP/r24.json"
msg=$("$VMSIM" run "$TMP/r24.json" -q -o "$TMP/o24" 2>&1)
check_eq "item 24: frames 4.0 exit" $? 2
expect_msg "item 24: frames 4.0" "$msg" "r24.json: memory.frames: expected an integer in [1, 4294967294], got the real number 4.0"

# 13. a zstd oracle trace cut to 60%: an error naming the frame, not a shorter trace
python3 -c '
import struct
with open("'"$TMP"'/big.oracleGeneral", "wb") as f:
    for i in range(200000):
        f.write(struct.pack("<IQIq", i, (i * 2654435761) % 5000, 4096, -1))'
if command -v zstd >/dev/null && "$VMSIM" trace info "$TMP/big.oracleGeneral" >/dev/null; then
	zstd -q -f "$TMP/big.oracleGeneral" -o "$TMP/big.oracleGeneral.zst"
	sz=$(stat -c %s "$TMP/big.oracleGeneral.zst")
	head -c $((sz * 6 / 10)) "$TMP/big.oracleGeneral.zst" >"$TMP/cut.oracleGeneral.zst"
	msg=$("$VMSIM" trace info "$TMP/cut.oracleGeneral.zst" 2>&1)
	check_eq "item 13: cut zst exit" $? 2
	expect_msg "item 13: cut zst" "$msg" "$TMP/cut.oracleGeneral.zst: zstd: truncated frame (the compressed file ends at byte offset $((sz * 6 / 10)), inside a frame"
	out=$("$VMSIM" trace info "$TMP/big.oracleGeneral.zst")
	expect_msg "item 13: whole zst" "$out" "accesses: 200000"
fi

# 14. NUL bytes: an error at their line (a zero block swallowed the next line)
{ echo 5; head -c 4096 /dev/zero; echo 6; } >"$TMP/nul.pages"
printf '1 mmap 0x0 0x2000 rw anon private\n1 w 0x1000\000junk\n1 exit\n' >"$TMP/nul.vmt"
for f in nul.pages nul.vmt; do
	msg=$("$VMSIM" trace info "$TMP/$f" 2>&1)
	check_eq "item 14: $f exit" $? 2
	expect_msg "item 14: $f" "$msg" "$TMP/$f:2: a NUL byte in the line (not a text trace?)"
done
msg=$("$VMSIM" mrc "$TMP/nul.pages" 2>&1)
check_eq "item 14: mrc exit" $? 2
expect_msg "item 14: mrc" "$msg" "$TMP/nul.pages:2: a NUL byte in the line (not a text trace?)"

# 16. empty or garbage oracle and lackey inputs; lackey logs no process would read
: >"$TMP/empty.oracleGeneral"
msg=$("$VMSIM" trace info "$TMP/empty.oracleGeneral" 2>&1)
check_eq "item 16: empty oracle exit" $? 2
expect_msg "item 16: empty oracle" "$msg" "$TMP/empty.oracleGeneral: empty trace (no requests)"
echo "hello, world" >"$TMP/garbage.lackey"
msg=$("$VMSIM" trace info "$TMP/garbage.lackey" 2>&1)
check_eq "item 16: garbage lackey exit" $? 2
expect_msg "item 16: garbage lackey" "$msg" "$TMP/garbage.lackey: no lackey records (not the log of valgrind --tool=lackey --trace-mem=yes?)"
lackey_log() { # FILE PID PARENT
	printf '==%s== Lackey\n==%s== Parent PID: %s\n==%s== \nI  00401000,7\n S 00403000,1\n==%s== Exit code: 0\n' \
		"$2" "$2" "$3" "$2" "$2" >"$1"
}
mkdir "$TMP/orphan" "$TMP/cycle"
lackey_log "$TMP/orphan/l.100" 100 1
lackey_log "$TMP/orphan/l.200" 200 999
msg=$("$VMSIM" trace info "$TMP/orphan" 2>&1)
check_eq "item 16: orphan log exit" $? 2
expect_msg "item 16: orphan log" "$msg" "$TMP/orphan/l.200: pid 200's parent, pid 999, has no log here (the initial process is pid 100): its log would never be read"
lackey_log "$TMP/cycle/l.100" 100 200
lackey_log "$TMP/cycle/l.200" 200 100
msg=$("$VMSIM" trace info "$TMP/cycle" 2>&1)
check_eq "item 16: parent cycle exit" $? 2
expect_msg "item 16: parent cycle" "$msg" "pid 100's parents form a cycle (pid 100 names pid 200 as its parent): no initial process"

# fuzz_trace_lackey (30-minute campaign): a valgrind thread id of 4294967295 in a SYSCALL or
# SCHED line grew the per-thread tables to 5.9 GB (libFuzzer out-of-memory); now an error
for kind in syscall sched; do
	{
		printf '==100== Lackey\n==100== Parent PID: 1\nI  00401000,7\n'
		if [ $kind = syscall ]; then
			printf 'SYSCALL[100,4294967295](12) sys_brk ( 0x0 ) --> Success(0x405000)\n'
		else
			printf -- '--100--   SCHED[4294967295]:  acquired lock (VG_(scheduler):timeslice)\n'
		fi
		printf ' S 00403000,1\n==100== Exit code: 0\n'
	} >"$TMP/vtid_$kind.lackey"
	msg=$("$VMSIM" trace info "$TMP/vtid_$kind.lackey" 2>&1)
	check_eq "lackey thread id out of range ($kind) exit" $? 2
	expect_msg "lackey thread id out of range ($kind)" "$msg" \
		"$TMP/vtid_$kind.lackey:4: valgrind thread id 4294967295 out of range (at most 65535)"
done

# 17. two logs of one pid (a.100, b.100): the same trace whatever order they were created in
mkdir "$TMP/ab" "$TMP/ba"
printf '==100== Parent PID: 1\nI  00401000,7\n' >"$TMP/ab/a.100"
printf '==100== Parent PID: 1\n S 00403000,1\n==100== Exit code: 0\n' >"$TMP/ab/b.100"
cp "$TMP/ab/b.100" "$TMP/ba/b.100"
cp "$TMP/ab/a.100" "$TMP/ba/a.100"
"$VMSIM" trace convert "$TMP/ab" "$TMP/ab.vmt" && "$VMSIM" trace convert "$TMP/ba" "$TMP/ba.vmt"
check_eq "item 17: converts exit" $? 0
cmp -s "$TMP/ab.vmt" "$TMP/ba.vmt" && ok || fail "item 17: the order of creation changed the trace"

# 21. a lackey log that is a FIFO: refused before it is opened (it blocked)
mkdir "$TMP/fifolog"
mkfifo "$TMP/fifolog/l.100"
msg=$("$VMSIM" trace info "$TMP/fifolog" 2>&1)
check_eq "item 21: FIFO lackey log exit" $? 2
expect_msg "item 21: FIFO lackey log" "$msg" "$TMP/fifolog/l.100: not a regular file"

# 15. --resume after the base config changed runs the points again (ids name only the values)
cat >"$TMP/b15.json" <<JSON
{"memory": {"frames": 3}, "vm": {"policy": "fifo"},
 "workload": {"type": "trace", "path": "$TMP/ref.pages", "format": "pages"}}
JSON
echo '{"name": "r15", "base": "b15.json", "grid": {"memory.frames": [3, 4]}}' >"$TMP/s15.json"
"$VMSIM" sweep "$TMP/s15.json" -o "$TMP/r15" -j 1 2>/dev/null
check_eq "item 15: fifo faults" "$(cut -d, -f1-2 "$TMP/r15/summary.csv" | tr '\n' ' ')" "memory.frames,faults.total 3,15 4,10 "
sed -i 's/"fifo"/"lru"/' "$TMP/b15.json"
msg=$("$VMSIM" sweep "$TMP/s15.json" -o "$TMP/r15" -j 1 --resume 2>&1)
check_eq "item 15: resume exit" $? 0
expect_msg "item 15: resume" "$msg" "sweep: 2 finished points were run with another config (the base changed since): they run again"
check_eq "item 15: lru faults after resume" "$(cut -d, -f1-2 "$TMP/r15/summary.csv" | tr '\n' ' ')" "memory.frames,faults.total 3,12 4,8 "
msg=$("$VMSIM" sweep "$TMP/s15.json" -o "$TMP/r15" -j 1 --resume 2>&1)
expect_msg "item 15: unchanged resume" "$msg" "2 points already complete, 0 to run"

# 22. --max-rss holds during setup (OPT's future reached 13.4 GB under --max-rss 2000)
cat >"$TMP/opt22.json" <<JSON
{"memory": {"frames": 3}, "vm": {"policy": "opt"},
 "workload": {"type": "trace", "path": "$TMP/big.oracleGeneral", "format": "oracle"}}
JSON
msg=$("$VMSIM" run "$TMP/opt22.json" -q -o "$TMP/o22" --max-rss 1 2>&1)
check_eq "item 22: exit" $? 1
expect_msg "item 22: message" "$msg" "$TMP/opt22.json: vm.policy: stopped while reading OPT's future (a signal, or --max-rss passed during setup)"
expect_msg "item 22: message" "$msg" "vmsim: stopped during the setup: vmsim's resident memory passed --max-rss 1 MiB; no results written"
[ -e "$TMP/o22" ] && fail "item 22: left results" || ok

# 5 (mrc). --max-frames at its documented maximum: no 32 GiB table (the curve is flat beyond
# the trace's 6 distinct pages); the rows start as for a small bound
"$VMSIM" mrc "$TMP/ref.pages" --max-frames 4294967295 2>"$TMP/mrc5.err" | head -n 6 >"$TMP/mrc5.csv"
check_eq "item 5: mrc killed only by the closed pipe" "${PIPESTATUS[0]}" 141
check_eq "item 5: mrc rows" "$(tail -n 2 "$TMP/mrc5.csv" | tr '\n' ' ')" "4,8,0.400000 5,7,0.350000 "
"$VMSIM" mrc "$TMP/ref.pages" --max-frames 7 >"$TMP/mrc7.csv"
check_eq "item 5: mrc bound 7 rows" "$(tail -n 3 "$TMP/mrc7.csv" | tr '\n' ' ')" "5,7,0.350000 6,6,0.300000 7,6,0.300000 "  # as before the change (6 distinct pages)

# 19. stats.interval_ps of 1 ps: timeseries.csv bounded (100000 rows at the interval, then it
# doubles every 2048 rows), reported on stderr and in run.json
cat >"$TMP/ts19.json" <<JSON
{"memory": {"frames": 3}, "stats": {"interval_ps": 1},
 "workload": {"type": "trace", "path": "$TMP/ref.pages", "format": "pages"}}
JSON
"$VMSIM" run "$TMP/ts19.json" -q -o "$TMP/o19" 2>"$TMP/ts19.err"
check_eq "item 19: exit" $? 0
python3 - "$TMP/o19" >"$TMP/ts19.check" <<'PY'
import csv, json, sys
d = sys.argv[1]
rows = [int(r[0]) for r in list(csv.reader(open(d + "/timeseries.csv")))[1:]]
run = json.load(open(d + "/run.json"))
# every gap between two sampled rows is the interval of its rank (the last row is the end's)
# (row k is sample k + 1; the interval doubles after sample 100000, then every 2048)
want, ok = 1, True
for k in range(1, len(rows) - 1):
    if k >= 100000 and (k - 100000) % 2048 == 0:
        want *= 2
    if rows[k] - rows[k - 1] != want:
        ok = False
n = len(rows) - 1  # samples (the last row is the end's)
doublings = (n - 100000) // 2048 + 1 if n >= 100000 else 0
print(ok, len(rows) <= 100000 + 64 * 2048 + 2, run["timeseries_doublings"] == doublings,
      run["timeseries_doublings"] > 0)
PY
check_eq "item 19: gaps, bound, doublings reported" "$(cat "$TMP/ts19.check")" "True True True True"
expect_msg "item 19: stderr" "$(cat "$TMP/ts19.err")" "timeseries.csv: more than 100000 rows: the interval doubled"

# 23 (second part). two sweeps on one folder: the second is refused while the first runs
cat >"$TMP/slow.sh" <<SH
#!/bin/sh
while [ ! -e "$TMP/go" ]; do sleep 0.05; done
exec "$VMSIM" "\$@"
SH
chmod +x "$TMP/slow.sh"
VMSIM_SWEEP_EXE="$TMP/slow.sh" "$VMSIM" sweep "$TMP/fs.json" -o "$TMP/lock" -j 1 2>/dev/null &
first=$!
for _ in $(seq 400); do [ -e "$TMP/lock/points/memory.frames=3/vmsim.log" ] && break; sleep 0.05; done
msg=$("$VMSIM" sweep "$TMP/fs.json" -o "$TMP/lock" -j 1 2>&1)
check_eq "item 23: second sweep exit" $? 2
expect_msg "item 23: second sweep" "$msg" "$TMP/lock: another sweep is running in this folder (it holds $TMP/lock/.lock); wait for it, or give another -o"
touch "$TMP/go"
wait $first
check_eq "item 23: first sweep exit" $? 0

# 23 (third part). An interrupted sweep: the points it cut are "not run" (never "failed" as
# well), exit 130, and --resume runs exactly them. Both points are held by slow.sh until the
# sweep is interrupted, so both are cut.
rm -f "$TMP/go"
VMSIM_SWEEP_EXE="$TMP/slow.sh" "$VMSIM" sweep "$TMP/fs.json" -o "$TMP/cut" -j 2 2>"$TMP/cut.err" &
sw=$!
for _ in $(seq 400); do
	[ -e "$TMP/cut/points/memory.frames=3/vmsim.log" ] &&
		[ -e "$TMP/cut/points/memory.frames=4/vmsim.log" ] && break
	sleep 0.05
done
kill -INT $sw
wait $sw
check_eq "item 23: interrupted sweep exit" $? 130
expect_msg "item 23: interrupted sweep" "$(cat "$TMP/cut.err")" "sweep: 0 ok, 0 failed, 2 not run"
grep -q "failed vmsim\|\] failed" "$TMP/cut.err" && fail "item 23: a cut point reported failed: $(cat "$TMP/cut.err")" || ok
msg=$("$VMSIM" sweep "$TMP/fs.json" -o "$TMP/cut" -j 1 --resume 2>&1)
check_eq "item 23: resume after the cut exit" $? 0
expect_msg "item 23: resume after the cut" "$msg" "sweep: 2 ok, 0 failed, 0 not run"

done_tests
