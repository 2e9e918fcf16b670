# config_errors.sh — every class of bad config or command line gets exit status 2, a message
# naming the file and JSON path (and line:column for malformed JSON), and leaves no results
# directory behind.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
base='"workload": {"type": "trace", "format": "pages", "path": "'$PWD'/tests/data/belady.pages"}'
bad() { # name json-text expected-message-fragment [extra args...]
	local name=$1 text=$2 want=$3
	shift 3
	printf '%s\n' "$text" > "$TMP/$name.json"
	out=$("$VMSIM" run "$TMP/$name.json" -o "$TMP/out-$name" "$@" 2>&1 >/dev/null)
	rc=$?
	check_eq "$name exit status" "$rc" 2
	case "$out" in *"$want"*) ok ;; *) fail "$name: message '$out' lacks '$want'" ;; esac
	[ -e "$TMP/out-$name" ] && fail "$name: left a results directory" || ok
}
bad unknown_key '{"memory": {"frams": 3}, '"$base"'}' "memory.frams: unknown key (did you mean \"frames\"?)"
bad wrong_type '{"memory": {"frames": "many"}, '"$base"'}' "memory.frames: expected an integer in [1, 4294967294], got the string \"many\""
bad negative '{"memory": {"frames": -3}, '"$base"'}' "memory.frames: expected an integer in [1, 4294967294], got -3"
bad zero '{"memory": {"frames": 0}, '"$base"'}' "memory.frames: expected an integer in [1, 4294967294], got 0"
bad malformed '{"memory": {"frames": 3,}, '"$base"'}' "malformed.json:1:25: malformed JSON"
bad top_not_object '[1, 2]' "expected a JSON object at the top level"
bad bad_enum '{"vm": {"reclaim": "lazy"}, '"$base"'}' "vm.reclaim: expected one of \"on-demand|watermark\", got the string \"lazy\""
bad unknown_policy '{"vm": {"policy": "lur"}, '"$base"'}' "vm.policy: unknown policy \"lur\" (did you mean \"lru\"?)"
bad unknown_wl_type '{"workload": {"type": "trac"}}' "workload.type: unknown workload type \"trac\" (did you mean \"trace\"?)"
bad no_workload '{"memory": {"frames": 3}}' "workload: missing"
bad both_workloads '{"workloads": [{"type": "trace", "path": "x"}], '"$base"'}' "give either workload or workloads"
bad wl_unknown_key '{"workload": {"type": "trace", "format": "pages", "path": "x", "pth": 1}}' "workload.pth: unknown key (did you mean \"path\"?)"
bad missing_trace '{"workload": {"type": "trace", "format": "pages", "path": "/nonexistent/t.pages"}}' "workload.path: /nonexistent/t.pages: cannot open trace"
bad dup_key '{"seed": 1, "seed": 2, '"$base"'}' "duplicate object key"
bad set_unknown '{'"$base"'}' "(with --set): vm.polcy: unknown key (did you mean \"policy\"?)" --set vm.polcy=lru
bad set_range '{'"$base"'}' "(with --set): cpus: expected an integer in [1, 256], got 0" --set cpus=0
bad extends_missing '{"extends": "nope.json", '"$base"'}' "nope.json: cannot read config"
# command-line errors
out=$("$VMSIM" run 2>&1); check_eq "run without config" "$?" 2
out=$("$VMSIM" run tests/data/textbook.json --bogus 2>&1); check_eq "unknown option" "$?" 2
case "$out" in *'unknown or incomplete option "--bogus"'*) ok ;; *) fail "unknown option message: $out" ;; esac
out=$("$VMSIM" run tests/data/textbook.json --seed -1 2>&1); check_eq "bad seed" "$?" 2
out=$("$VMSIM" frobnicate 2>&1); check_eq "unknown command" "$?" 2
out=$("$VMSIM" run tests/data/textbook.json -o /proc/nope 2>&1); check_eq "unwritable output" "$?" 2
case "$out" in *"/proc/nope: cannot create or write the output directory"*) ok ;; *) fail "unwritable message: $out" ;; esac
out=$("$VMSIM" run tests/data/textbook.json --set novalue 2>&1); check_eq "--set without =" "$?" 2
done_tests
