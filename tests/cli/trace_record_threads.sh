#!/usr/bin/env bash
# trace_record_threads.sh VMSIM — issue 16's end-to-end check: tests/data/record/rec_threads.c
# (4 worker threads pread() an 8 MiB file through their own buffers, pwrite() it to another
# file, and write 4 MiB of scratch memory each), recorded with scripts/record-trace and
# replayed with the Linux 6.18 preset on 2 CPUs: the process has its 5 threads, the workers
# run at the same time on both CPUs, and the faults are within 2% and the page cache within 5%
# of what Linux counted natively (tests/data/record/rec_threads.linux). Skipped (exit 0) only
# when valgrind is not installed.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
needs_valgrind
cc -O1 -static -pthread -o "$TMP/rt" tests/data/record/rec_threads.c || fail "compile (static)"
head -c 8388608 /dev/zero | tr '\0' 'a' >"$TMP/in.bin"
scripts/record-trace -o "$TMP/rt.vmt" --no-ifetch --vmsim "$VMSIM" -- "$TMP/rt" "$TMP/in.bin" "$TMP/out.bin" >/dev/null 2>"$TMP/err"
check_eq "record exit" "$?" 0
t="$TMP/rt.vmt"
check_eq "threads created" "$(awk '$2 == "thread"' "$t" | wc -l)" 4
check_eq "reads, writes" "$(awk '$2 == "read" { r++ } $2 == "write" { w++ } END { print r, w }' "$t")" "128 128"
# each task that reads or writes a file declares it first (its own `file` line)
check_eq "file lines" "$(grep -c '^file ' "$t")" 8
printf '{"extends": "%s/configs/presets/linux-6.18.json", "cpus": 2, "sim": {"timing": false}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' \
	"$PWD" "$t" >"$TMP/c.json"
"$VMSIM" run "$TMP/c.json" -q -o "$TMP/r" || fail "replay"
read -r threads faults workers parallel < <(python3 - "$TMP/r/stats.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
w = p["tasks"][1:]
span = max(t["sim.end_ps"] for t in w) - min(t["sim.start_ps"] for t in w)
print(p["threads"], p["faults.minor"], ",".join(str(t["faults.minor"]) for t in w),
      int(sum(t["sim.cpu_ps"] for t in w) > span))
PY
)
check_eq "threads" "$threads" 5
check_eq "each worker's faults (256 buffer + 1024 scratch pages)" "$workers" "1280,1280,1280,1280"
check_eq "workers on both CPUs at once (their CPU time > their span)" "$parallel" 1
lin() { awk -v k="$1" '$1 == k { print $2 }' tests/data/record/rec_threads.linux; }
within "minor faults" "${faults:-0}" "$(lin minflt)" 2
cache=$(stat_of "$TMP/r" pagecache.pages_now)
within "page cache pages" "${cache:-0}" "$(lin cached_pages)" 5
echo "vmsim: faults $faults, cached $cache; Linux: faults $(lin minflt), cached $(lin cached_pages)"
check_eq "no unsupported operation" "$(stat_of "$TMP/r" sim.unsupported_operations)" 0
done_tests
