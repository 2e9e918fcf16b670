# vm_threads.sh — threads (docs/traces.md "Threads"): counts derived by hand. Process 1 maps
# 4000 pages and starts threads 2, 3 and 4; each of the four threads writes its own 1000 pages
# (4000 demand-zero faults, 1000 each) on its own CPU of 4 at once; thread 1 then computes 1 ms
# and unmaps one of its present pages: the other 3 CPUs that ran the mm are shot down (3). A
# fork by a thread copies the caller only (the child has one thread); the process ends, and its
# parent's wait returns, when the last thread exits, even after the leader. Also vmb (the same
# results), untimed CPU time per thread, the trace checks (a reused id, a wait for a thread),
# and the fork-server generator with worker threads.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
stats() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/stats.json")); print(" ".join(str(eval(k, {"d": d})) for k in sys.argv[2:]))' "$@"; }

python3 - "$TMP/t.vmt" <<'P'
import sys
B = 0x10000000
L = ["1 mmap 0x%x 0x%x rw anon private" % (B, 4000 * 4096)]
L += ["1 thread %d" % t for t in (2, 3, 4)]
for t in (1, 2, 3, 4):
    L += ["%d w 0x%x" % (t, B + ((t - 1) * 1000 + i) * 4096) for i in range(1000)]
L += ["%d exit" % t for t in (2, 3, 4)]
L += ["1 compute 1000000", "1 munmap 0x%x 0x1000" % B, "1 exit"]
open(sys.argv[1], "w").write("\n".join(L) + "\n")
P
cat > "$TMP/c.json" <<J
{"seed": 1, "cpus": 4, "memory": {"frames": 8000}, "vm": {"policy": "lru"},
 "workload": {"type": "trace", "path": "$TMP/t.vmt", "format": "vmt"}}
J
"$VMSIM" run "$TMP/c.json" -o "$TMP/r1" -q --check
check_eq "4 threads: faults, shootdowns, processes, threads_created" \
	"$(stats "$TMP/r1" 'd["faults.total"]' 'd["tlb.shootdown_cpus"]' 'd["sim.processes"]' 'd["sim.threads_created"]')" \
	"4000 3 1 3"
P='d["processes"][0]'
check_eq "processes[0]: pid threads faults, per-thread tids and faults" \
	"$(stats "$TMP/r1" "$P[\"pid\"]" "$P[\"threads\"]" "$P[\"faults.total\"]" \
		"[t[\"tid\"] for t in $P[\"tasks\"]]" "[t[\"faults.total\"] for t in $P[\"tasks\"]]")" \
	"1 4 4000 [1, 2, 3, 4] [1000, 1000, 1000, 1000]"
# They ran at once: the run takes less than the threads' CPU time summed (4 CPUs, 1 process),
# and each worker's CPU time is at least a quarter of the workers' sum of faults' time.
check_eq "CPU time spread: every thread ran, overlap" \
	"$(stats "$TMP/r1" "all(t[\"sim.cpu_ps\"] > 0 for t in $P[\"tasks\"])" \
		"sum(t[\"sim.cpu_ps\"] for t in $P[\"tasks\"][1:]) > 2 * (max(t[\"sim.end_ps\"] for t in $P[\"tasks\"][1:]) - min(t[\"sim.start_ps\"] for t in $P[\"tasks\"][1:]))" \
		"$P[\"sim.cpu_ps\"] == sum(t[\"sim.cpu_ps\"] for t in $P[\"tasks\"])")" \
	"True True True"
# Untimed: each operation costs sim.untimed_access_ps (1000 ps): thread 1 made an mmap, 3
# clones, 1000 writes, 1 ms of compute, a munmap and an exit; each worker 1000 writes and an exit.
"$VMSIM" run "$TMP/c.json" -o "$TMP/r2" -q --check --set sim.timing=false
check_eq "untimed: per-thread cpu_ps" \
	"$(stats "$TMP/r2" "[t[\"sim.cpu_ps\"] for t in $P[\"tasks\"]]" 'd["faults.total"]')" \
	"[1001006000, 1001000, 1001000, 1001000] 4000"
# One CPU: the same faults, no shootdown (no other CPU ran the mm).
"$VMSIM" run "$TMP/c.json" -o "$TMP/r3" -q --check --set cpus=1
check_eq "1 CPU: faults shootdowns" \
	"$(stats "$TMP/r3" 'd["faults.total"]' 'd["tlb.shootdown_cpus"]')" "4000 0"

# vmb: text -> vmb -> text is the identity; the same stats.
"$VMSIM" trace convert "$TMP/t.vmt" "$TMP/t.vmb" >/dev/null
"$VMSIM" trace convert "$TMP/t.vmb" "$TMP/t2.vmt" >/dev/null
if cmp -s "$TMP/t.vmt" "$TMP/t2.vmt"; then ok; else fail "vmt -> vmb -> vmt is not the identity"; fi
check_eq "trace info counts thread" \
	"$("$VMSIM" trace info "$TMP/t.vmb" | grep -c '^  thread: 3$')" "1"
sed "s|t.vmt\", \"format\": \"vmt\"|t.vmb\", \"format\": \"vmb\"|" "$TMP/c.json" > "$TMP/cb.json"
"$VMSIM" run "$TMP/cb.json" -o "$TMP/r4" -q --check
if cmp -s "$TMP/r1/stats.json" "$TMP/r4/stats.json"; then ok; else fail "vmb: other stats"; fi

# fork by a thread: process 1 (one page written, 1 fault) starts thread 2, which writes
# another page (1 fault) and forks 3; the child has one thread and both pages (copied PTEs):
# its writes to them are 2 COW faults. The leader exits first; thread 2 waits for 3.
cat > "$TMP/f.vmt" <<T
1 mmap 0x10000000 0x2000 rw anon private
1 w 0x10000000
1 thread 2
1 exit
2 w 0x10001000
2 fork 3
2 wait 3
2 r 0x10000000
2 exit
3 w 0x10000000
3 w 0x10001000
3 exit
T
sed "s|$TMP/t.vmt|$TMP/f.vmt|" "$TMP/c.json" > "$TMP/f.json"
"$VMSIM" run "$TMP/f.json" -o "$TMP/r5" -q --check
check_eq "fork by a thread: processes, pids, threads, faults, cow, status" \
	"$(stats "$TMP/r5" 'd["sim.processes"]' '[p["pid"] for p in d["processes"]]' \
		'[p.get("threads", 1) for p in d["processes"]]' '[p["faults.total"] for p in d["processes"]]' \
		'd["faults.cow"]' 'd["processes"][0]["status"]')" \
	"2 [1, 3] [2, 1] [2, 2] 2 exited"
# The leader exited first: the process ended with its last thread (2, after the wait).
check_eq "process end = last thread's end" \
	"$(stats "$TMP/r5" 'd["processes"][0]["sim.end_ps"] == d["processes"][0]["tasks"][1]["sim.end_ps"] > d["processes"][0]["tasks"][0]["sim.end_ps"]')" "True"

# Trace checks: exit 2 naming the file and line.
printf '1 thread 2\n2 thread 1\n' > "$TMP/bad1.vmt"
msg=$("$VMSIM" trace info "$TMP/bad1.vmt" 2>&1); rc=$?
check_eq "reused id: exit" "$rc" "2"
check_eq "reused id: message" "$(echo "$msg" | grep -c 'bad1.vmt:2: thread 1, whose id is already used')" "1"
printf '1 thread 2\n1 wait 2\n' > "$TMP/bad2.vmt"
msg=$("$VMSIM" trace info "$TMP/bad2.vmt" 2>&1); rc=$?
check_eq "wait for a thread: exit" "$rc" "2"
check_eq "wait for a thread: message" "$(echo "$msg" | grep -c 'bad2.vmt:2: pid 1 waits for pid 2, which is not its child')" "1"
printf '1 thread\n' > "$TMP/bad3.vmt"
msg=$("$VMSIM" trace info "$TMP/bad3.vmt" 2>&1); rc=$?
check_eq "no id: exit" "$rc" "2"
check_eq "no id: message" "$(echo "$msg" | grep -c 'bad3.vmt:1: .*PID thread TID')" "1"
# exec with another live thread (de_thread is not modelled): the operation is rejected.
cat > "$TMP/x.vmt" <<T
1 thread 2
1 exec /bin/true
2 compute 1000000
T
sed "s|$TMP/t.vmt|$TMP/x.vmt|" "$TMP/c.json" > "$TMP/x.json"
"$VMSIM" run "$TMP/x.json" -o "$TMP/r6" -q 2>/dev/null
check_eq "exec with a live thread: unsupported" "$(stats "$TMP/r6" 'd["sim.unsupported_operations"]')" "1"

# The fork-server generator with worker threads: heap 64 pages (64 faults by the parent), 3
# workers of 4 threads (pids 2, 7, 12: each fork takes 5 ids), each thread 5 requests with 2
# private pages (2 demand-zero faults each), no writes to the heap (no COW): 64 + 3 * 4 * 5 * 2
# = 184 faults, 60 requests; each worker process reports 5 threads (its first + 4).
cat > "$TMP/g.json" <<J
{"seed": 1, "cpus": 4, "memory": {"frames": 4096}, "vm": {"policy": "lru"},
 "workload": {"type": "fork-server", "heap_pages": 64, "workers": 2, "total_workers": 3,
  "threads_per_worker": 4, "requests_per_worker": 5, "reads_per_request": 4,
  "write_fraction": 0, "private_pages_per_request": 2, "request_compute_ns": 1000}}
J
"$VMSIM" run "$TMP/g.json" -o "$TMP/r7" -q --check
check_eq "fork-server threads: faults requests processes threads_created pids threads" \
	"$(stats "$TMP/r7" 'd["faults.total"]' 'd["latency.request.count"]' 'd["sim.processes"]' \
		'd["sim.threads_created"]' '[p["pid"] for p in d["processes"]]' \
		'[p.get("threads", 1) for p in d["processes"]]' \
		'[[t["faults.total"] for t in p.get("tasks", [])] for p in d["processes"]]')" \
	"184 60 4 12 [1, 2, 7, 12] [1, 5, 5, 5] [[], [0, 10, 10, 10, 10], [0, 10, 10, 10, 10], [0, 10, 10, 10, 10]]"
check_eq "fork-server threads: munmaps shoot down sibling CPUs" \
	"$(stats "$TMP/r7" 'd["tlb.shootdown_cpus"] > 0')" "True"
# exec_after with threads is refused (exit 2, the key named).
msg=$("$VMSIM" run "$TMP/g.json" -o "$TMP/r8" -q --set workload.exec_after=true 2>&1); rc=$?
check_eq "fork-server threads + exec_after: exit" "$rc" "2"
check_eq "fork-server threads + exec_after: message" \
	"$(echo "$msg" | grep -c 'workload.threads_per_worker: exec_after cannot be used with threads')" "1"
done_tests
