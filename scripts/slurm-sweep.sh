#!/bin/bash
# slurm-sweep.sh — run a vmsim sweep as a Slurm job array, one array task per shard.
#
#   sbatch --array=0-15 scripts/slurm-sweep.sh SWEEP.json OUTDIR
#   sbatch --dependency=afterany:<jobid> --wrap "vmsim sweep --collect OUTDIR"
#
# Task I of an array of N tasks runs `vmsim sweep SWEEP.json -o OUTDIR --shard I/N --resume`:
# every N-th point from the I-th, skipping points already complete (so a requeued or re-
# submitted task finishes the work instead of repeating it). OUTDIR must be on a file system
# every node sees. When all tasks are done, --collect writes OUTDIR/summary.csv; the result is
# byte-identical to running the whole sweep on one machine.
#
# Environment: VMSIM (default: vmsim on PATH), SLURM_CPUS_PER_TASK (points run in parallel
# within a task; default 1). The array must be 0-based and contiguous (--array=0-(N-1)); the
# shard count is SLURM_ARRAY_TASK_COUNT, or SLURM_ARRAY_TASK_MAX + 1.
#SBATCH --job-name=vmsim-sweep
#SBATCH --cpus-per-task=1
#SBATCH --output=vmsim-sweep-%A_%a.out
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: sbatch --array=0-(N-1) $0 SWEEP.json OUTDIR" >&2
	exit 2
fi
: "${SLURM_ARRAY_TASK_ID:?not in a Slurm job array (submit with sbatch --array=0-N)}"
count=${SLURM_ARRAY_TASK_COUNT:-$((${SLURM_ARRAY_TASK_MAX:?} + 1))}
if [ "${SLURM_ARRAY_TASK_MIN:-0}" -ne 0 ]; then
	echo "slurm-sweep.sh: the array must start at 0 (got ${SLURM_ARRAY_TASK_MIN})" >&2
	exit 2
fi
exec "${VMSIM:-vmsim}" sweep "$1" -o "$2" -j "${SLURM_CPUS_PER_TASK:-1}" --resume \
	--shard "$SLURM_ARRAY_TASK_ID/$count"
