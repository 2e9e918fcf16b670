#!/usr/bin/env bash
# trace_record_ops.sh VMSIM — scripts/record-trace on tests/data/record/rec_ops.c (2 worker
# threads, write/pread/lseek/read/fsync/ftruncate of a file, mremap, madvise, request marks):
# the trace has exactly the program's operations, with the kernel's thread ids, and replays
# with its threads on 2 CPUs; --no-ifetch, --max-accesses and --roi cut exactly.
# Skipped (exit 0) only when valgrind is not installed.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
needs_valgrind
cc -O1 -pthread -Iscripts -o "$TMP/rec_ops" tests/data/record/rec_ops.c || fail "compile"
scripts/record-trace -o "$TMP/out/ops.vmt" --no-ifetch --vmsim "$VMSIM" -- "$TMP/rec_ops" "$TMP/data.bin" 2>"$TMP/err"
check_eq "record exit" "$?" 0
check_eq "logs removed" "$(ls -A "$TMP/out")" "ops.vmt"
info=$("$VMSIM" trace info "$TMP/out/ops.vmt")
count() { echo "$info" | awk -v k="$1:" '$1 == k { print $2 }'; }
check_eq "no fetches" "$(count x)" 0
check_eq "threads" "$(count thread)" 2
check_eq "exits" "$(count exit)" 3
check_eq "marks" "$(count mark)" 4
check_eq "mremap" "$(count mremap)" 1
check_eq "tasks (processes + threads)" "$(count processes)" 3
t="$TMP/out/ops.vmt"
main=$(awk '$2 == "thread" { print $1; exit }' "$t")
f="$TMP/data.bin"
# the main thread's file calls, in order, between marks 1 and 2
got=$(awk -v m="$main" '$1 == m && $2 == "mark" && $3 == "begin" && $4 == 1 { on = 1 }
	on && $1 == m && $2 != "r" && $2 != "w" { print $2, $3, $4, $5 }
	$1 == m && $2 == "mark" && $3 == "end" && $4 == 2 { on = 0 }' "$t")
want="mark begin 1 
write $f 0x0 0x2000
write $f 0x2000 0x2000
read $f 0x1000 0x1000
read $f 0x0 0x2000
fsync $f  
ftruncate $f 0x1000 
mark end 1 
mark begin 2 
mmap 0x0 0x2000 rw
mremap $(awk -v m="$main" '$1 == m && $2 == "mremap" { print $3 }' "$t") 0x2000 0x4000
madvise $(awk -v m="$main" '$1 == m && $2 == "mremap" { print $3 }' "$t") 0x4000 dontneed
munmap $(awk -v m="$main" '$1 == m && $2 == "mremap" { print $3 }' "$t") 0x4000 
mark end 2 "
check_eq "file calls, mremap, marks" "$got" "$want"
check_eq "file created empty" "$(grep -c "^file $f 0x0$" "$t")" 1
check_eq "mremap result" "$(awk '$2 == "mremap" { print $6, $7 }' "$t")" "maymove ="
# each worker wrote its 3 pages as its own task, and exited
for tid in $(awk '$2 == "thread" { print $3 }' "$t"); do
	check_eq "thread $tid exits" "$(grep -c "^$tid exit$" "$t")" 1
done
printf '{"cpus": 2, "sim": {"timing": false}, "workload": {"type": "trace", "format": "vmt", "path": "%s"}}\n' "$t" >"$TMP/c.json"
"$VMSIM" run "$TMP/c.json" -q -o "$TMP/r" || fail "replay"
check_eq "replayed threads" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0]["threads"])' "$TMP/r/stats.json")" 3
check_eq "requests" "$(stat_of "$TMP/r" latency.request.count)" 2
# every recorded result matches but those of the mmaps without an address (hint 0x0), which
# valgrind places bottom-up from its client area while vmsim places them top-down as Linux
check_eq "results that differ: the hint mmaps" "$(stat_of "$TMP/r" trace.result_mismatches)" \
	"$(awk '$2 == "mmap" && $3 == "0x0" && / hint = 0x/' "$t" | wc -l)"
# --max-accesses: exactly N accesses, every task ended
scripts/record-trace -o "$TMP/m.vmb" --max-accesses 1000 --vmsim "$VMSIM" -- "$TMP/rec_ops" "$TMP/d2.bin" 2>/dev/null
check_eq "max-accesses exit" "$?" 0
check_eq "max-accesses accesses" "$("$VMSIM" trace info "$TMP/m.vmb" | awk '$1 == "accesses:" { print $2 }')" 1000
# --roi: accesses only from vmsim_roi_start (after mark end 1) to vmsim_roi_stop (after mark
# end 2); without --roi, none after the stop either
scripts/record-trace -o "$TMP/roi.vmt" --roi --vmsim "$VMSIM" -- "$TMP/rec_ops" "$TMP/d3.bin" 2>/dev/null
check_eq "roi: accesses before mark end 1" "$(awk '$2 == "mark" && $3 == "end" && $4 == 1 { exit } $2 ~ /^[rwx]$/ { n++ } END { print n + 0 }' "$TMP/roi.vmt")" 0
check_eq "roi: accesses after mark end 2 (there: the return of the print)" "$(awk '$2 == "mark" && $3 == "end" && $4 == 2 { on = 1; next } on && $2 ~ /^[rwx]$/ { n++ } END { print (n > 0 && n < 200) }' "$TMP/roi.vmt")" 1
check_eq "roi: accesses inside" "$(awk '$2 == "mark" && $3 == "begin" && $4 == 2 { on = 1 } $2 == "mark" && $3 == "end" && $4 == 2 { on = 0 } on && $2 ~ /^[rwx]$/ { n++ } END { print (n > 0) }' "$TMP/roi.vmt")" 1
check_eq "roi keeps marks" "$("$VMSIM" trace info "$TMP/roi.vmt" | awk '$1 == "mark:" { print $2 }')" 4
scripts/record-trace --help | grep -q -- "--max-accesses N" && ok || fail "--help lists --max-accesses"
scripts/record-trace -o x.vmb --max-accesses 0 -- true 2>/dev/null
check_eq "bad --max-accesses exit" "$?" 2
done_tests
