#!/usr/bin/env bash
# trace_record.sh VMSIM — scripts/record-trace on a tiny forking C program: the trace has the
# real process structure (2 processes, 1 fork, 1 wait, 2 exits), the program's own mmap and
# munmap of 2 pages, the child's write, and it converts to vmt and back identically.
# Skipped (exit 0) only when valgrind is not installed.
set -u
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skipped: valgrind not installed"
	exit 0
fi
vmsim="$1"
vmsim="$(cd "$(dirname "$vmsim")" && pwd)/$(basename "$vmsim")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {
	local name="$1"; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $name" >&2; fi
}
cat >"$tmp/fk.c" <<'C'
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	char *p = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	p[4096] = 2;
	pid_t c = fork();
	if (c == 0) {
		p[0] = 3;
		_exit(0);
	}
	waitpid(c, 0, 0);
	munmap(p, 2 * 4096);
	return 0;
}
C
cc -O1 -o "$tmp/fk" "$tmp/fk.c"
check "compiled" test -x "$tmp/fk"
scripts/record-trace -o "$tmp/fk.vmb" --vmsim "$vmsim" -- "$tmp/fk" 2>"$tmp/rec.err"
check "record-trace exit 0" test $? -eq 0
check "trace written" test -s "$tmp/fk.vmb"
"$vmsim" trace info "$tmp/fk.vmb" >"$tmp/info"
for want in "processes: 2" "  fork: 1" "  wait: 1" "  exit: 2"; do
	check "info has '$want'" grep -qxF "$want" "$tmp/info"
done
"$vmsim" trace convert "$tmp/fk.vmb" "$tmp/fk.vmt"
parent=$(awk '$2 == "fork" { print $1; exit }' "$tmp/fk.vmt")
child=$(awk '$2 == "fork" { print $3; exit }' "$tmp/fk.vmt")
# the program's own 2-page anonymous mapping, and its munmap after the wait
# (no MAP_FIXED: `mmap 0x0 ... hint = ADDR`, where the kernel put it)
addr=$(awk -v p="$parent" '$1 == p && $2 == "mmap" && $3 == "0x0" && $4 == "0x2000" && $5 == "rw" && $6 == "anon" && $8 == "hint" { a = $NF } END { print a }' "$tmp/fk.vmt")
check "mmap of 2 pages" test -n "$addr"
check "munmap after wait" test -n "$(awk -v p="$parent" -v a="$addr" '$1 == p && $2 == "wait" { w = 1 } w && $1 == p && $2 == "munmap" && $3 == a && $4 == "0x2000" { print "y" }' "$tmp/fk.vmt")"
check "child writes p[0]" grep -qxF "$child w $addr" "$tmp/fk.vmt"
check "parent writes p[4096]" grep -qxF "$parent w $(printf '0x%x' $((addr + 4096)))" "$tmp/fk.vmt"
"$vmsim" trace convert "$tmp/fk.vmt" "$tmp/fk2.vmb" && "$vmsim" trace convert "$tmp/fk2.vmb" "$tmp/fk2.vmt"
check "vmt -> vmb -> vmt identity" cmp -s "$tmp/fk.vmt" "$tmp/fk2.vmt"
scripts/record-trace -o "$tmp/x.vmb" 2>/dev/null
check "usage exit 2" test $? -eq 2
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
