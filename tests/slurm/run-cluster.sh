#!/usr/bin/env bash
# tests/slurm/run-cluster.sh VMSIM — a real one-node Slurm cluster, as root, from Debian's
# packages (munge, slurmctld, slurmd, slurm-client; installed when missing): munged, slurmctld
# and slurmd start on a private socket, ports and state folder (nothing of the host's own
# Slurm or munge is used or changed), with ProctrackType=proctrack/linuxproc,
# TaskPlugin=task/none, SelectType=select/cons_tres and a node with this machine's CPUs and
# memory (`slurmd -C`). docs/sweeps.md's Slurm recipe runs as written (a 4-task job array of
# scripts/slurm-sweep.sh, an afterok job that runs `vmsim sweep --collect`) on a small sweep;
# the script
# waits for both, checks that both COMPLETED and that summary.csv equals `-j 1`'s byte for
# byte, then stops the three daemons by their PIDs (also on failure). CI runs it (.ci/run).
# Exit 0 when every check passed, 1 otherwise, 2 when not root.
set -u
VMSIM=$(realpath "$1")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run-cluster.sh: needs root (the daemons run as root)" >&2; exit 2; }
need=()
for p in munge slurmctld slurmd slurm-client; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "run-cluster.sh: installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
		{ echo "run-cluster.sh: apt-get install failed" >&2; exit 1; }
fi
T=$(mktemp -d /tmp/vmsim-slurm.XXXXXX)
chmod 755 "$T"
pass=0 fail=0
check() { # check NAME COMMAND...
	if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}
stop_daemons() {
	for d in slurmd slurmctld munged; do
		[ -s "$T/$d.pid" ] || continue
		pid=$(cat "$T/$d.pid")
		kill "$pid" 2>/dev/null || continue
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	done
}
on_exit() {
	stop_daemons
	if [ "$fail" -ne 0 ]; then
		for f in slurmctld.log slurmd.log munged.log; do
			echo "--- $f (last lines)" >&2
			tail -n 15 "$T/$f" >&2 2>/dev/null
		done
	fi
	rm -rf "$T"
}
trap on_exit EXIT

# munge: a fresh key, its own socket.
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge.key"
munged --force --key-file="$T/munge.key" --socket="$T/munge.sock" --pid-file="$T/munged.pid" \
	--log-file="$T/munged.log" --seed-file="$T/munge.seed"
check "munged starts" test $? -eq 0

# slurm.conf: this host as controller and its only node; private ports.
host=$(hostname -s)
node=$(slurmd -C | grep '^NodeName=' | sed 's/ UpTime=.*//')
mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<CONF
ClusterName=vmsimci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$T/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
# The jobs find vmsim on PATH, as a user's would.
export PATH="$(dirname "$VMSIM"):$PATH"
slurmctld -c -f "$SLURM_CONF"
check "slurmctld starts" test $? -eq 0
slurmd -f "$SLURM_CONF"
check "slurmd starts" test $? -eq 0
state=""
for _ in $(seq 120); do
	state=$(sinfo -h -n "$host" -o %T 2>/dev/null)
	[ "$state" = idle ] && break
	sleep 0.5
done
check "node $host idle (is '$state')" test "$state" = idle

# The sweep: Belady's string under two policies and two memory sizes (4 points).
printf '%s\n' 1 2 3 4 1 2 5 1 2 3 4 5 >"$T/belady.pages"
cat >"$T/s.json" <<JSON
{"name": "belady", "base": {"memory": {"frames": 3},
  "vm": {"policy": "fifo", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
  "workload": {"type": "trace", "path": "$T/belady.pages", "format": "pages"}},
 "grid": {"vm.policy": ["fifo", "lru"], "memory.frames": [3, 4]}}
JSON
"$VMSIM" sweep "$T/s.json" -o "$T/one" -j 1 2>/dev/null
check "sweep -j 1 exits 0" test $? -eq 0
# The Slurm recipe of docs/sweeps.md as written, with this test's SWEEP and OUT (its own
# SWEEP= and OUT= lines are left out): a 4-task array of slurm-sweep.sh, an afterok collect.
recipe=$(awk '/run-cluster.sh runs the block below/ {f = 1; next} f && /^```sh/ {g = 1; next}
	g && /^```/ {exit} g' "$SRC/docs/sweeps.md" | grep -v -e '^SWEEP=' -e '^OUT=')
check "recipe found in docs/sweeps.md" grep -q "sbatch --parsable --array" <<<"$recipe"
SWEEP="$T/s.json" OUT="$T/arr"
jid="" cid=""
cd "$SRC"
eval "$recipe"
cd "$T"
check "array submitted ($jid)" test -n "$jid"
check "collect submitted ($cid)" test -n "$cid"
for _ in $(seq 600); do
	[ -z "$(squeue -h -j "$jid,$cid" 2>/dev/null)" ] && break
	sleep 0.5
done
check "jobs left the queue" test -z "$(squeue -h -j "$jid,$cid" 2>/dev/null)"
for j in "${jid}_0" "${jid}_1" "${jid}_2" "${jid}_3" "$cid"; do
	st=$(scontrol show job "$j" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1)
	check "job $j COMPLETED ($st)" test "$st" = JobState=COMPLETED
done
check "summary equals -j 1's byte for byte" cmp "$T/one/summary.csv" "$T/arr/summary.csv"
# Belady's anomaly (FIFO 9 faults with 3 frames, 10 with 4; LRU 10 and 8): the points ran.
check "summary holds the four points" test "$(cut -d, -f1-3 "$T/arr/summary.csv" | tr '\n' ' ')" = \
	"vm.policy,memory.frames,faults.total fifo,3,9 fifo,4,10 lru,3,10 lru,4,8 "
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
