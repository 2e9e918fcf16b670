#!/usr/bin/env bash
# tests/install/run.sh BUILD_DIR — `cmake --install` into a DESTDIR (prefix /usr) and use vmsim
# from there, outside the source tree, with VMSIM_PLOT_SCRIPTS unset: every installed file is
# in place; `vmsim --version` names the commit; an installed example config runs and its
# stats.json equals the source tree's run byte for byte; `vmsim plot` finds the installed
# gnuplot scripts and draws; the man page renders; vmsim-record-trace and slurm-sweep.sh are
# executable. Then `cpack -G DEB` builds a .deb whose Depends names Debian packages.
set -u
build=$1
src=$(pwd)
source "$src/tests/cli/lib.sh"
dest="$TMP/dest"
DESTDIR="$dest" cmake --install "$build" --prefix /usr >"$TMP/install.log" 2>&1
check_eq "install exit" $? 0
u="$dest/usr"
for f in bin/vmsim bin/vmsim-record-trace share/vmsim/slurm/slurm-sweep.sh \
	share/vmsim/plot/faults.gp share/vmsim/plot/style.gp share/vmsim/configs/trace-pages.json \
	share/vmsim/configs/presets/ddr4-3200.json share/vmsim/configs/sweeps/textbook.json \
	share/vmsim/tests/data/traces/small.pages share/vmsim/tests/data/textbook.json \
	share/doc/vmsim/README.md share/doc/vmsim/docs/traces.md share/man/man1/vmsim.1; do
	if [ -e "$u/$f" ]; then ok; else fail "not installed: $f"; fi
done
for f in bin/vmsim bin/vmsim-record-trace share/vmsim/slurm/slurm-sweep.sh; do
	if [ -x "$u/$f" ]; then ok; else fail "not executable: $f"; fi
done
commit=$(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
version=$("$u/bin/vmsim" --version)
case "$version" in
"vmsim "*" (git $commit"*) ok ;;
*) fail "--version '$version' does not name commit $commit" ;;
esac
cd "$TMP"
unset VMSIM_PLOT_SCRIPTS
"$u/bin/vmsim" run "$u/share/vmsim/configs/trace-pages.json" -o "$TMP/run" --quiet
check_eq "installed run exit" $? 0
"$build/vmsim" run "$src/configs/trace-pages.json" -o "$TMP/ref" --quiet
if cmp -s "$TMP/run/stats.json" "$TMP/ref/stats.json"; then ok; else fail "installed stats.json differs from the source tree's"; fi
"$u/bin/vmsim" sweep "$u/share/vmsim/configs/sweeps/textbook.json" -o "$TMP/sweep" -j 2 >/dev/null 2>&1
check_eq "installed sweep exit" $? 0
"$u/bin/vmsim" plot "$TMP/sweep" >"$TMP/plot.log" 2>&1
check_eq "installed plot exit" $? 0
if ls "$TMP"/sweep/plots/*.png >/dev/null 2>&1; then ok; else fail "no PNG: $(cat "$TMP/plot.log")"; fi
if grep -q "share/vmsim/plot" "$TMP"/sweep/plots/data/*.vars.gp; then ok; else fail "plot did not use the installed scripts"; fi
if man -l "$u/share/man/man1/vmsim.1" 2>/dev/null | grep -q "deterministic discrete-event simulator"; then ok; else fail "man page does not render"; fi
cd "$src"
# The .deb (cpack runs dpkg-shlibdeps on the binary).
(cd "$build" && cpack -G DEB -B "$TMP/deb" >"$TMP/cpack.log" 2>&1)
check_eq "cpack exit" $? 0
deb=$(ls "$TMP"/deb/vmsim_*.deb 2>/dev/null | head -1)
depends=$(dpkg-deb -f "$deb" Depends 2>/dev/null)
for p in libc6 libjansson4 libgsl27 liblzma5 zlib1g gnuplot-nox; do
	if grep -q "\b$p\b" <<<"$depends"; then ok; else fail "Depends '$depends' lacks $p"; fi
done
if dpkg-deb -c "$deb" 2>/dev/null | grep "./usr/bin/vmsim$" >/dev/null; then ok; else fail "the .deb lacks /usr/bin/vmsim"; fi
done_tests
