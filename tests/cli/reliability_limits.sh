#!/usr/bin/env bash
# reliability_limits.sh VMSIM — issue 21's last items: the simulated clock's limit (item 4),
# NUL bytes in sweep files (14), an overlong vmb varint (24), a file device too small for what
# is configured (3), plot files written whole (temporary name, rename), a sweep cut by a signal
# (23). Each block states the exact outcome: exit status, message, the files that must (or
# must not) exist afterwards.
VMSIM=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
expect_msg() { # what message want
	case "$2" in *"$3"*) ok ;; *) fail "$1: message '$2' lacks '$3'" ;; esac
}
run_refused() { # what config out want-message: exit 2, the message, no results folder
	local msg
	msg=$("$VMSIM" run "$2" -q -o "$3" 2>&1)
	check_eq "$1: exit" $? 2
	expect_msg "$1" "$msg" "$4"
	[ -e "$3" ] && fail "$1: left $3" || ok
}

# 4. Compute that would take the simulated clock (2^63 - 1 ps) past its limit.
# A trace: 1001 compute ops of 10^12 ns (each within the per-op limit) pass the trace's limit
# of 10^15 ns at the 1001st, line 1002; trace info and run refuse it at that line.
{
	echo '1 mmap 0x0 0x1000 rw anon private'
	for i in $(seq 1001); do echo '1 compute 1000000000000'; done
	echo '1 exit'
} >"$TMP/sum.vmt"
want="$TMP/sum.vmt:1002: compute of 1000000000000 ns brings the trace's compute to 1001000000000000 ns, beyond the limit of 1000000000000000 ns (11.6 days) per trace"
msg=$("$VMSIM" trace info "$TMP/sum.vmt" 2>&1)
check_eq "item 4: trace info exit" $? 2
expect_msg "item 4: trace info" "$msg" "$want"
echo '{"workload": {"type": "trace", "format": "vmt", "path": "'"$TMP"'/sum.vmt"}}' >"$TMP/sum.json"
run_refused "item 4: run of the trace" "$TMP/sum.json" "$TMP/o-sum" "$want"
# the same trace without its last compute op is within the limit: 10^15 ns = 10^18 ps
sed -i '1002d' "$TMP/sum.vmt"
out=$("$VMSIM" trace info "$TMP/sum.vmt")
check_eq "item 4: 1000 ops: trace info exit" $? 0
expect_msg "item 4: 1000 ops: compute" "$out" "compute_ns: 1000000000000000"
"$VMSIM" run "$TMP/sum.json" -q -o "$TMP/o-sum1000" 2>/dev/null
check_eq "item 4: 1000 ops: run exit" $? 0
check_eq "item 4: 1000 ops: time.compute_ps" "$(stat_of "$TMP/o-sum1000" time.compute_ps)" 1000000000000000000
# A generator: 10^6 compute ops of 10^12 ns (duration_ns 10^18) wrapped the clock around to
# 3875820020943130486 ps, exit 0. The op that would pass 2^63 - 1 ps is the 9224th: the
# clock then holds 9223 x 10^15 ps of compute and 20247750 ps of accesses and faults.
cat >"$TMP/gen.json" <<'JSON'
{"workload": {"type": "loop", "pages": 4, "compute_ns": 1000000000000,
              "duration_ns": 1000000000000000000}}
JSON
run_refused "item 4: generator" "$TMP/gen.json" "$TMP/o-gen" \
	"pid 1: compute of 1000000000000 ns at simulated time 9223000000020247750 ps would take the clock past the simulated clock's limit of 9223372036854775807 ps (2^63 - 1 ps, 106 days)"
# Two processes on two CPUs: each clock stays below the limit, their compute together
# (time.compute_ps) would pass it; 4 x 10^15 ns each is fine (8 x 10^18 ps in all).
for each in 5000000000000000 4000000000000000; do
	cat >"$TMP/two-$each.json" <<JSON
{"cpus": 2, "workloads": [
  {"type": "loop", "pages": 4, "compute_ns": 1000000000000, "duration_ns": $each},
  {"type": "loop", "pages": 4, "compute_ns": 1000000000000, "duration_ns": $each}]}
JSON
done
run_refused "item 4: two CPUs" "$TMP/two-5000000000000000.json" "$TMP/o-two" \
	"pid 1: compute of 1000000000000 ns would take time.compute_ps (all processes' compute, 9223000000000000000 ps so far) past the simulated clock's limit of 9223372036854775807 ps"
"$VMSIM" run "$TMP/two-4000000000000000.json" -q -o "$TMP/o-two4" 2>/dev/null
check_eq "item 4: two CPUs within: exit" $? 0
check_eq "item 4: two CPUs within: time.compute_ps" "$(stat_of "$TMP/o-two4" time.compute_ps)" 8000000000000000000
# Disk waits: a late start (its maximum, 9.2 x 10^18 ps) and reads of 10^15 ps each
cat >"$TMP/dsk.json" <<'JSON'
{"memory": {"frames": 3},
 "disk": {"devices": [{"name": "nvme0", "read_latency_ps": 1000000000000000,
                       "write_latency_ps": 1000000000000000}]},
 "workload": {"type": "loop", "pages": 8, "accesses": 100000, "start_ps": 9200000000000000000}}
JSON
run_refused "item 4: disk waits" "$TMP/dsk.json" "$TMP/o-dsk" \
	"cpu 0's clock reached 9225000000464998750 ps (running pid 1), past the simulated clock's limit of 9223372036854775807 ps"

# 24. An overlong vmb varint had the message of a truncated record. The first 20 bytes of a
# converted pages trace (header, mmap) then an access record (tag 0x01, byte offset 20) whose
# varint (from byte 21) has 11 bytes, or 10 whose last is above 1, or ends with the file.
printf '5\n6\n' >"$TMP/two.pages"
"$VMSIM" trace convert "$TMP/two.pages" "$TMP/two.vmb" || fail "item 24: convert"
head -c 20 "$TMP/two.vmb" >"$TMP/head.vmb"
{ cat "$TMP/head.vmb"; printf '\001\377\377\377\377\377\377\377\377\377\377\001\017'; } >"$TMP/long.vmb"
{ cat "$TMP/head.vmb"; printf '\001\377\377\377\377\377\377\377\377\377\177\017'; } >"$TMP/big.vmb"
{ cat "$TMP/head.vmb"; printf '\001\377\377\377\377\377'; } >"$TMP/trunc.vmb"
{ cat "$TMP/head.vmb"; printf '\001\200\200\200\200\200\200\200\200\200\000\017'; } >"$TMP/ten.vmb"
for portable in 0 1; do
	for c in "long:overlong varint at byte offset 21 (more than 10 bytes; a 64-bit value takes at most 10)" \
		"big:varint at byte offset 21 is beyond 64 bits (its 10th byte is above 1)" \
		"trunc:truncated record (the file ends at byte offset 26)"; do
		f=${c%%:*}
		msg=$(VMSIM_VMB_PORTABLE=$portable "$VMSIM" trace info "$TMP/$f.vmb" 2>&1)
		check_eq "item 24: $f (portable=$portable): exit" $? 2
		expect_msg "item 24: $f (portable=$portable)" "$msg" "$TMP/$f.vmb: byte offset 20: ${c#*:}"
	done
	# ten bytes (value 0, not the shortest form) are a valid varint: one access at page 0
	out=$(VMSIM_VMB_PORTABLE=$portable "$VMSIM" trace info "$TMP/ten.vmb")
	check_eq "item 24: ten bytes (portable=$portable): exit" $? 0
	expect_msg "item 24: ten bytes (portable=$portable)" "$out" "accesses: 1"
done

# vmsim plot writes its data and vars files to NAME.tmp and renames them: none is left behind,
# and a write that fails (ulimit -f 0: vmsim ignores SIGXFSZ) keeps the files of the last plot
# whole (it truncated them in place before), exit 1, no .tmp.
cat >"$TMP/plot.json" <<'JSON'
{"memory": {"frames": 8}, "workload": {"type": "loop", "pages": 10, "accesses": 2000}}
JSON
"$VMSIM" run "$TMP/plot.json" -q -o "$TMP/pr" && "$VMSIM" plot "$TMP/pr" >/dev/null 2>&1
check_eq "plot: exit" $? 0
check_eq "plot: files" "$(cd "$TMP/pr/plots/data" && ls -A | tr '\n' ' ')" \
	"breakdown-pct.vars.gp breakdown.dat breakdown.vars.gp ccdf-access.dat ccdf-access.vars.gp ccdf-fault.dat ccdf-fault.vars.gp timeseries.dat timeseries.vars.gp "
cp -r "$TMP/pr/plots/data" "$TMP/data.before"
msg=$(ulimit -f 0; "$VMSIM" plot "$TMP/pr" 2>&1 >/dev/null)
check_eq "plot, ulimit -f 0: exit" $? 1
expect_msg "plot, ulimit -f 0" "$msg" "vmsim plot: $TMP/pr/plots/data/timeseries.dat.tmp: write failed: File too large"
diff -r "$TMP/data.before" "$TMP/pr/plots/data" >/dev/null && ok || fail "plot, ulimit -f 0: the last plot's files changed"

# 14. A NUL byte in a sweep file: json_loads stopped there, so junk after "\0" was ignored and
# the sweep ran (exit 0). Now an error at its line and column, no sweep folder.
sweep='{"name": "s", "base": {"workload": {"type": "seq", "pages": 4}}, "grid": {"memory.frames": [2, 3]}}'
printf '%s\n\000junk' "$sweep" >"$TMP/nul-end.json"
printf '%s\n' "$sweep" | sed 's/\[2, 3\]/[2,\x00 3]/' >"$TMP/nul-in.json"
for c in "nul-end:2:1: a NUL byte (byte offset 100; not a JSON text?)" \
	"nul-in:1:95: a NUL byte (byte offset 94; not a JSON text?)"; do
	f=${c%%:*}
	msg=$("$VMSIM" sweep "$TMP/$f.json" -o "$TMP/o-$f" -j 1 2>&1)
	check_eq "item 14: sweep $f: exit" $? 2
	expect_msg "item 14: sweep $f" "$msg" "$TMP/$f.json:${c#*:}"
	[ -e "$TMP/o-$f" ] && fail "item 14: sweep $f: left $TMP/o-$f" || ok
done

# 14. A NUL byte in a config file (or an extends target): jansson stopped there, and the message
# was "malformed JSON: ... expected near end of file". Now the NUL byte at its line and column.
cfg='{"memory": {"frames": 4}, "workload": {"type": "seq", "pages": 4}}'
printf '%s\000 junk' "$cfg" >"$TMP/cnul-end.json"
printf '%s\n' "$cfg" | sed 's/, "workload"/,\x00 "workload"/' >"$TMP/cnul-in.json"
printf '{"extends": "cnul-in.json"}\n' >"$TMP/cnul-ext.json"
for c in "cnul-end.json:1:67: a NUL byte (byte offset 66; not a JSON text?)" \
	"cnul-in.json:1:26: a NUL byte (byte offset 25; not a JSON text?)" \
	"cnul-ext.json=cnul-in.json:1:26: a NUL byte (byte offset 25; not a JSON text?)"; do
	f=${c%%[:=]*}
	want=${c#*=}
	[ "$want" = "$c" ] && want=$c
	msg=$("$VMSIM" run "$TMP/$f" -o "$TMP/o-$f" 2>&1)
	check_eq "item 14: config $f: exit" $? 2
	expect_msg "item 14: config $f" "$msg" "$TMP/$want"
	[ -e "$TMP/o-$f" ] && fail "item 14: config $f: left $TMP/o-$f" || ok
done

done_tests
