#!/bin/bash
# mthp_swap.sh — run mthp_swap.c on this kernel (root): a 256 MiB swap device for the run, as a
# swap file on the disk ("file") or a loop block device over such a file ("loop"; the default),
# hugepages-64kB/enabled = always; with "reclaim", the probe runs in a memory cgroup (v1) whose
# limit is lowered to 1 MiB after the pageout. Everything is undone at exit, also on failure.
#   sudo tests/linux/manual/mthp_swap.sh [loop|file] [reclaim]
set -u
KIND=${1:-loop}
DIR=$(mktemp -d /tmp/mthp_swap.XXXXXX)
EN=/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled
CG=/sys/fs/cgroup/memory/mthp_swap_probe
OLD=$(sed 's/.*\[\(.*\)\].*/\1/' $EN)
DEV=""
LOOP=""
cleanup() {
	[ -n "$DEV" ] && swapoff "$DEV" 2>/dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP"
	echo "$OLD" >$EN
	[ -d $CG ] && rmdir $CG
	rm -rf "$DIR"
}
trap cleanup EXIT
if [ -n "$(swapon --noheadings --show)" ]; then echo "mthp_swap.sh: swap is on already; turn it off first" >&2; exit 1; fi
gcc -O2 -Wall -Wextra -Werror -o "$DIR/probe" "$(dirname "$0")/mthp_swap.c" || exit 1
fallocate -l 256M "$DIR/swap" && chmod 600 "$DIR/swap" || exit 1
if [ "$KIND" = loop ]; then LOOP=$(losetup -f --show "$DIR/swap") || exit 1; DEV=$LOOP; else DEV=$DIR/swap; fi
mkswap "$DEV" >/dev/null && swapon "$DEV" || exit 1
echo always >$EN || exit 1
echo "# $(uname -r), swap on a $KIND ($DEV), hugepages-64kB/enabled always"
if [ "${2:-}" = reclaim ]; then
	mkdir -p $CG || exit 1
	sh -c "echo \$\$ >$CG/cgroup.procs && exec '$DIR/probe' $CG/memory.limit_in_bytes 1M"
else
	"$DIR/probe"
fi
