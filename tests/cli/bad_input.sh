# bad_input.sh — every class of bad input in docs/errors.md that tests/cli/config_errors.sh does
# not already cover: exit status 2 (never >= 128: no crash, no core dump), the exact message,
# and no results directory left behind. Traces go through both `vmsim run` and
# `vmsim trace info`. A valid trace whose process segfaults is a result: exit 0.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
D=$PWD/tests/data/bad
base='"workload": {"type": "trace", "format": "pages", "path": "'$PWD'/tests/data/belady.pages"}'
expect_msg() { # what message want
	case "$2" in *"$3"*) ok ;; *) fail "$1: message '$2' lacks '$3'" ;; esac
}
bad_config() { # name json-text expected-message-fragment [extra args...]
	local name=$1 text=$2 want=$3
	shift 3
	printf '%s\n' "$text" > "$TMP/$name.json"
	out=$("$VMSIM" run "$TMP/$name.json" -o "$TMP/out-$name" "$@" 2>&1 >/dev/null)
	check_eq "$name exit status" "$?" 2
	expect_msg "$name" "$out" "$want"
	[ -e "$TMP/out-$name" ] && fail "$name: left a results directory" || ok
}
bad_trace() { # file expected-message-fragment (run and trace info)
	local f=$1 want=$2 fmt=${1##*.}
	[ "$fmt" = oracleGeneral ] && fmt=oracle
	printf '{"memory": {"frames": 4}, "workload": {"type": "trace", "format": "%s", "path": "%s"}}\n' \
		"$fmt" "$D/$f" > "$TMP/t-$f.json"
	out=$("$VMSIM" run "$TMP/t-$f.json" -o "$TMP/out-$f" --check 2>&1 >/dev/null)
	check_eq "run $f exit status" "$?" 2
	expect_msg "run $f" "$out" "$want"
	[ -e "$TMP/out-$f" ] && fail "run $f: left a results directory" || ok
	out=$("$VMSIM" trace info "$D/$f" --from "$fmt" 2>&1 >/dev/null)
	check_eq "trace info $f exit status" "$?" 2
	expect_msg "trace info $f" "$out" "$want"
}
bad_cli() { # name expected-message-fragment args...
	local name=$1 want=$2
	shift 2
	out=$("$VMSIM" "$@" 2>&1 >/dev/null)
	check_eq "$name exit status" "$?" 2
	expect_msg "$name" "$out" "$want"
}

# --- configs (config_errors.sh has malformed JSON, unknown keys, wrong types, negative and zero
# sizes, unknown policy and workload type, missing trace file, duplicate keys, extends)
bad_config absurd_frames '{"memory": {"frames": 4294967294}, '"$base"'}' \
	"absurd_frames.json: memory.frames: 4294967294 frames and memory.swap_pages: 1048576 slots need "
bad_config absurd_swap '{"memory": {"swap_pages": 4294967294}, '"$base"'}' \
	"more than this host's"
bad_config tlb_geometry '{"tlb": {"levels": [{"name": "l1", "entries": 10, "ways": 4, "latency_ps": 1}]}, '"$base"'}' \
	"tlb_geometry.json: tlb.levels[0].ways: entries (10) must be a multiple of ways, got 4"
bad_config watermarks '{"vm": {"watermark_low_pct": 50, "watermark_high_pct": 10}, '"$base"'}' \
	"watermarks.json: vm.watermark_low_pct: expected at most vm.watermark_high_pct (10), got 50"
bad_config wl_zero '{"workload": {"type": "zipf", "pages": 0}}' \
	"wl_zero.json: workload.pages: expected an integer in [1, 1000000000000], got 0"
bad_config wl_negative '{"workload": {"type": "uniform", "pages": -5}}' \
	"wl_negative.json: workload.pages: expected an integer in [1, 1000000000000], got -5"
bad_config wl_real '{"workload": {"type": "seq", "pages": 1.5}}' "wl_real.json: workload.pages: expected an integer"
bad_config page_size '{"memory": {"page_size": 8192}, '"$base"'}' \
	"page_size.json: memory.page_size: expected an integer in [4096, 4096], got 8192"
bad_config unknown_format '{"workload": {"type": "trace", "format": "vmx", "path": "x"}}' \
	"unknown_format.json: workload.format: expected one of \"pages|vmt|vmb|lackey|oracle|champsim|lis|trc|txt|csv\", got the string \"vmx\""
bad_config trace_is_dir '{"workload": {"type": "trace", "format": "pages", "path": "'$PWD'/tests/data"}}' \
	"trace_is_dir.json: workload.path: $PWD/tests/data: cannot open trace: Is a directory"
bad_config trace_relative_missing '{"workload": {"type": "trace", "format": "vmt", "path": "nope.vmt"}}' \
	"trace_relative_missing.json: workload.path: $TMP/nope.vmt: cannot open trace"
bad_config malformed_eof '{"memory": {"frames": 3}' "malformed_eof.json:2:0: malformed JSON"
bad_config empty_config '' "empty_config.json:2:0: malformed JSON"
bad_config wl_unknown_in_list '{"workloads": [{"type": "zipf"}, {"type": "zipff"}]}' \
	"workloads[1].type: unknown workload type \"zipff\" (did you mean \"zipf\"?)"
bad_config policy_param_unknown '{"vm": {"policy": "clock", "policy_params": {"hands": 2}}, '"$base"'}' \
	"vm.policy_params.hands: unknown key"
bad_config nested_wrong_type '{"memory": [], '"$base"'}' "memory: expected an object"
bad_config missing_config_file_via_o '{"memory": {"frames": 3}}' "workload: missing"
# --opt-future takes auto, memory or file
out=$("$VMSIM" run configs/workload-seq.json --opt-future disk -o "$TMP/out-optf" 2>&1 >/dev/null)
check_eq "--opt-future disk exit status" "$?" 2
expect_msg "--opt-future disk" "$out" 'run: --opt-future expects auto, memory or file, got "disk"'
out=$("$VMSIM" run "$TMP/does-not-exist.json" -o "$TMP/out-nofile" 2>&1 >/dev/null)
check_eq "missing config exit status" "$?" 2
expect_msg "missing config" "$out" "$TMP/does-not-exist.json: cannot read config"
[ -e "$TMP/out-nofile" ] && fail "missing config: left a results directory" || ok

# --- traces
bad_trace empty.vmt "empty.vmt: the trace holds no process operation"
bad_trace empty.pages "empty.pages: empty trace (no page numbers)"
bad_trace empty.vmb "empty.vmb: byte offset 0: not a vmb trace (bad magic: expected 0x89 'V' 'M' 'B')"
bad_trace truncated.vmb "truncated.vmb: byte offset 8: truncated record (the file ends at byte offset 20)"
bad_trace truncated.oracleGeneral "truncated.oracleGeneral: byte offset 24: truncated request (6 of 24 bytes)"
bad_trace bad_magic.vmb "bad_magic.vmb: byte offset 0: not a vmb trace (bad magic"
bad_trace bad_version.vmb "bad_version.vmb: byte offset 4: unsupported vmb version 9 (this vmsim reads 1)"
# fuzz_trace_vmb (UB: strcmp of a NULL name): an fsync record without its file name. (A run
# ends before that record: its only process is killed by a segfault; trace info reads on.)
out=$("$VMSIM" trace info "$D/file_op_without_name.vmb" 2>&1 >/dev/null)
check_eq "trace info file_op_without_name.vmb exit status" "$?" 2
expect_msg "trace info file_op_without_name.vmb" "$out" "file_op_without_name.vmb: byte offset 93: fsync/ftruncate/fallocate without a file name"
# an `exec PATH bare` record (vmb extended opcode 27) whose name-present byte is 0
out=$("$VMSIM" trace info "$D/exec_without_name.vmb" 2>&1 >/dev/null)
check_eq "trace info exec_without_name.vmb exit status" "$?" 2
expect_msg "trace info exec_without_name.vmb" "$out" "exec_without_name.vmb: byte offset 8: exec without a program name"
bad_trace unknown_op.vmt "unknown_op.vmt:2: unknown operation \"jump\""
bad_trace garbage_number.vmt "garbage_number.vmt:2: expected an address (decimal or 0x hex), got \"0x1zz\""
bad_trace garbage_number.pages "garbage_number.pages:2: expected a page number (decimal or 0x hex) and an optional r or w, got \"banana\""
bad_trace addr_beyond.vmt "addr_beyond.vmt:2: address 0x200000000000000 is beyond the 57-bit virtual address space"
bad_trace page_beyond.pages "page_beyond.pages:2: page number 34359738368 is beyond the address space"
bad_trace unknown_pid.vmt "unknown_pid.vmt:2: pid 2 does not exist (it was never forked)"
bad_trace fork_existing.vmt "fork_existing.vmt:3: fork of pid 2, which already exists (pids are never reused in a trace)"
bad_trace after_exit.vmt "after_exit.vmt:3: pid 1 has exited; no operation may follow its exit"

# --- command line (config_errors.sh has unknown options, --set without =, --set of unknown
# keys, bad --seed, unknown commands, unwritable output directories)
bad_cli "-o without argument" 'unknown or incomplete option "-o"' run tests/data/textbook.json -o
bad_cli "--set without argument" 'unknown or incomplete option "--set"' run tests/data/textbook.json --set
bad_cli "--seed without argument" 'unknown or incomplete option "--seed"' run tests/data/textbook.json --seed
bad_cli "--check=0" 'run: --check=N expects a positive integer, got "0"' run tests/data/textbook.json --check=0
bad_cli "two configs" "run: expected exactly one CONFIG.json" run tests/data/textbook.json tests/data/textbook.json
bad_cli "--max-sim-time garbage" 'run: --max-sim-time expects simulated picoseconds (a non-negative integer), got "1ms"' \
	run tests/data/textbook.json --max-sim-time 1ms
bad_cli "--max-rss zero" 'run: --max-rss expects MiB (a positive integer), got "0"' run tests/data/textbook.json --max-rss 0
bad_cli "--set of a list index out of range" "tlb.levels[7]" run tests/data/textbook.json --set 'tlb.levels[7].entries=4'
bad_cli "trace info missing file" "/nonexistent.vmt: cannot open trace" trace info /nonexistent.vmt
bad_cli "trace info unknown format" "trace: unknown format \"vmx\"" trace info tests/data/belady.pages --from vmx
bad_cli "trace without subcommand" "trace" trace
touch "$TMP/file"
out=$("$VMSIM" run tests/data/textbook.json -o "$TMP/file/sub" 2>&1 >/dev/null)
check_eq "output under a file exit status" "$?" 2
expect_msg "output under a file" "$out" "$TMP/file/sub: cannot create or write the output directory"
mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
	out=$("$VMSIM" run tests/data/textbook.json -o "$TMP/ro/x" 2>&1 >/dev/null)
	check_eq "read-only parent exit status" "$?" 2
	[ -e "$TMP/ro/x" ] && fail "read-only parent: left a directory" || ok
fi

# --- a valid trace that makes its process segfault is a result
printf '{"memory": {"frames": 4}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' \
	"$D/segfault.vmt" > "$TMP/segv.json"
"$VMSIM" run "$TMP/segv.json" -o "$TMP/out-segv" --check --quiet
check_eq "segfault run exit status" "$?" 0
check_eq "sim.segfaults" "$(stat_of "$TMP/out-segv" sim.segfaults)" 1
check_eq "sim.complete" "$(stat_of "$TMP/out-segv" sim.complete)" 1
check_eq "sim.accesses (the faulting one counts, the one after does not run)" \
	"$(stat_of "$TMP/out-segv" sim.accesses)" 2
check_eq "process status" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0]["status"])' "$TMP/out-segv/stats.json")" segfault
done_tests
