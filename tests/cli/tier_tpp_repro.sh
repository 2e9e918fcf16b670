# tier_tpp_repro.sh — the qualitative reproduction of TPP (docs/tiering.md "A qualitative
# reproduction of TPP"): configs/tiering-tpp-repro.json (fast:slow = 1:4; a cold load fills
# the fast node, then a hot/cold working set twice the fast node's size) under default Linux
# (no demotion, no promotion), TPP, Linux's tiering mode, the oracle and with every page on
# the fast node. Exact counts of this run (fast-node accesses, simulated time), then the
# published ordering: TPP serves far more accesses from the fast node than default Linux and
# runs faster; the oracle's share is the highest.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
cfg=configs/tiering-tpp-repro.json
run() { # NAME WANT ARGS...: WANT = "fast accesses, sim.time_ps"
	local n=$1 want=$2
	shift 2
	"$VMSIM" run "$cfg" -q -o "$TMP/$n" "$@" || { fail "$n: run failed"; return; }
	check_eq "$n: node.fast.accesses sim.time_ps" \
		"$(stat_of "$TMP/$n" node.fast.accesses) $(stat_of "$TMP/$n" sim.time_ps)" "$want"
}
run all-fast "402000 208893312500" --set vm.tiering.promotion='"none"' \
	--set memory.nodes[0].frames=9999 --set memory.nodes[1].frames=1
run default "2000 265455503250" --set vm.tiering.demotion=false --set vm.tiering.promotion='"none"'
run linux "354166 229359921750" --set vm.tiering.promotion='"linux"'
run tpp "361295 233087594000"
run oracle "373747 241656650500" --set vm.tiering.promotion='"oracle"'
f() { stat_of "$TMP/$1" node.fast.accesses; }
t() { stat_of "$TMP/$1" sim.time_ps; }
check_eq "TPP's share > 10 x default's, oracle's the highest" \
	"$([ "$(f tpp)" -gt $((10 * $(f default))) ] && [ "$(f oracle)" -gt "$(f tpp)" ] &&
		[ "$(f oracle)" -gt "$(f linux)" ] && echo yes)" yes
check_eq "all-fast < TPP < default in time" \
	"$([ "$(t all-fast)" -lt "$(t tpp)" ] && [ "$(t tpp)" -lt "$(t default)" ] && echo yes)" yes
done_tests
