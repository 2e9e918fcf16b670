# textbook.sh — page reference strings from the textbooks reproduce their fault counts exactly
# with on-demand reclaim, fault-around and readahead off, and the invariants checked after
# every operation (--check).
#   7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 (Silberschatz): FIFO 15/10, LRU 12/8, OPT 9/8
#   1,2,3,4,1,2,5,1,2,3,4,5 (Belady): FIFO 9 with 3 frames but 10 with 4 (Belady's anomaly),
#   LRU 10/8, OPT 7/6.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
expect() { # policy frames trace want
	"$VMSIM" run tests/data/textbook.json --check --quiet -o "$TMP/$1-$2-$3" \
		--set vm.policy="$1" --set memory.frames="$2" --set workload.path="$3.pages" ||
		{ fail "run $1 $2 $3 exited $?"; return; }
	check_eq "$1 frames=$2 $3 faults.total" "$(stat_of "$TMP/$1-$2-$3" faults.total)" "$4"
}
expect fifo 3 silberschatz 15
expect fifo 4 silberschatz 10
expect lru 3 silberschatz 12
expect lru 4 silberschatz 8
expect opt 3 silberschatz 9
expect opt 4 silberschatz 8
expect fifo 3 belady 9
expect fifo 4 belady 10
expect lru 3 belady 10
expect lru 4 belady 8
expect opt 3 belady 7
expect opt 4 belady 6
# Every page is written first, so the first touch of each is demand-zero and a re-touch after
# eviction is a swap-in: FIFO on Silberschatz with 3 frames touches 6 distinct pages.
check_eq "fifo demand_zero" "$(stat_of "$TMP/fifo-3-silberschatz" faults.demand_zero)" 6
check_eq "fifo swap_in" "$(stat_of "$TMP/fifo-3-silberschatz" faults.swap_in)" 9
check_eq "fifo evictions" "$(stat_of "$TMP/fifo-3-silberschatz" reclaim.evictions)" 12
# Each fault kind has its own latency histogram: as many samples as faults of that kind.
check_eq "demand-zero latency samples" "$(stat_of "$TMP/fifo-3-silberschatz" latency.fault.demand_zero.count)" 6
check_eq "swap-in latency samples" "$(stat_of "$TMP/fifo-3-silberschatz" latency.fault.swap_in.count)" 9
check_eq "fault latency samples" "$(stat_of "$TMP/fifo-3-silberschatz" latency.fault.count)" 15
# memory.page_tables_in_frames: the 4 page-table pages of this tiny address space (one per
# level) take 4 of 8 frames, so the pages get 4 frames: FIFO's 4-frame count, 10, and 6
# evictions; without it the 8 frames hold all 6 pages: 6 faults.
"$VMSIM" run tests/data/textbook.json --check --quiet -o "$TMP/pt" --set memory.frames=8 \
	--set memory.page_tables_in_frames=true || fail "page_tables_in_frames run"
check_eq "page tables in frames: faults" "$(stat_of "$TMP/pt" faults.total)" 10
check_eq "page tables in frames: evictions" "$(stat_of "$TMP/pt" reclaim.evictions)" 6
check_eq "page-table pages" "$(stat_of "$TMP/pt" memory.page_table_pages_max)" 4
"$VMSIM" run tests/data/textbook.json --check --quiet -o "$TMP/pt0" --set memory.frames=8 || fail "run"
check_eq "page tables apart: faults" "$(stat_of "$TMP/pt0" faults.total)" 6
done_tests
