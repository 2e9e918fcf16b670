#!/bin/bash
# report_chromium.sh VMSIM — `vmsim report` (docs/report.md) rendered by headless Chromium
# (Debian's chromium, installed by scripts/setup; its absence is a failure, not a skip):
#  - a sweep's report and a point's report load with no JavaScript error (the page's error hook
#    counts them into #js-status; the browser's console log shows none) and their scripts ran
#    (data-ready="1"); an injected error IS caught by both checks (the checks can fail);
#  - the screenshot is not blank: the netpbm conversion of the PNG has >= 5% non-white pixels
#    and >= 20 colours;
#  - self-contained: a Content-Security-Policy forbids loads; every src/href is a fragment,
#    data: or a relative link between the sweep's pages; every plot of plots/ is inlined;
#  - sorting: a click on faults.total's header orders the rows (8 is the least);
#  - provenance: the run's command line, git commit, host and start time from run.json.
VMSIM=$1
source "$(dirname "$0")/lib.sh"
T=$TMP
CHROMIUM=$(command -v chromium || command -v chromium-browser)
if [ -z "$CHROMIUM" ] || ! command -v pngtopnm > /dev/null; then
	echo "FAIL: chromium and pngtopnm (netpbm) are needed: run scripts/setup" >&2
	exit 1
fi
chrome() { # chrome OUT_PREFIX URL [extra flags]: DOM to OUT.dom, console to OUT.log
	local out=$1 url=$2
	shift 2
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/profile" --enable-logging=stderr --v=0 "$@" "$url" \
		> "$out.dom" 2> "$out.log"
}
console_errors() { grep -E 'CONSOLE|Uncaught|Refused to' "$1" | grep -v 'dbus' ; }

printf '%s\n' 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 > "$T/ref.txt"
cat > "$T/base.json" <<JSON
{"name": "textbook", "memory": {"frames": 3},
 "vm": {"policy": "fifo", "reclaim": "on-demand", "fault_around_pages": 0, "readahead_pages": 0},
 "workload": {"type": "trace", "path": "$T/ref.txt", "format": "pages"}}
JSON
echo '{"name": "textbook-sweep", "base": "base.json", "grid": {"vm.policy": ["fifo", "lru", "opt"], "memory.frames": [2, 3, 4]}}' > "$T/s.json"
"$VMSIM" sweep "$T/s.json" -o "$T/sw" -j 2 > /dev/null 2>&1
check_eq "report of a sweep" "$("$VMSIM" report "$T/sw" 2> "$T/err")" "$T/sw/report.html"
for p in "$T"/sw/points/*/; do
	[ -s "$p/report.html" ] && ok || fail "no report for point $p"
done

# loads cleanly, scripts ran
chrome "$T/sweep" "file://$T/sw/report.html" --dump-dom
grep -q 'id="js-status" data-errors="0" data-ready="1"' "$T/sweep.dom" && ok || fail "sweep report: scripts did not run cleanly: $(grep -o '<div id="js-status"[^>]*>[^<]*' "$T/sweep.dom")"
check_eq "sweep report: console" "$(console_errors "$T/sweep.log")" ""
point="vm.policy=lru,memory.frames=3"
chrome "$T/point" "file://$T/sw/points/$point/report.html" --dump-dom
grep -q 'id="js-status" data-errors="0" data-ready="1"' "$T/point.dom" && ok || fail "point report: scripts did not run cleanly"
check_eq "point report: console" "$(console_errors "$T/point.log")" ""

# the checks catch an error
sed 's|</body>|<script>undefined_function_of_the_test();</script></body>|' "$T/sw/report.html" > "$T/sw/broken.html"
chrome "$T/broken" "file://$T/sw/broken.html" --dump-dom
grep -q 'data-errors="1"' "$T/broken.dom" && ok || fail "the error hook missed an injected error"
console_errors "$T/broken.log" | grep -q undefined_function_of_the_test && ok || fail "the console check missed an injected error"

# the screenshot is not blank
chrome "$T/shot" "file://$T/sw/report.html" --window-size=1200,1600 --screenshot="$T/shot.png"
pngtopnm "$T/shot.png" > "$T/shot.ppm" 2> /dev/null || fail "screenshot is not a PNG"
python3 - "$T/shot.ppm" <<'PY' > "$T/px.out" 2>&1 || fail "screenshot: $(cat "$T/px.out")"
import sys
d = open(sys.argv[1], "rb").read()
parts = d.split(maxsplit=4)
assert parts[0] == b"P6" and parts[3] == b"255", parts[:4]
w, h, px = int(parts[1]), int(parts[2]), parts[4]
assert (w, h) == (1200, 1600), (w, h)
n = w * h
white = sum(1 for i in range(0, 3 * n, 3) if px[i] > 245 and px[i + 1] > 245 and px[i + 2] > 245)
colours = len({px[i:i + 3] for i in range(0, 3 * n, 3 * 7)})
assert n - white >= 0.05 * n, ("mostly white", n - white, n)
assert colours >= 20, ("too few colours", colours)
PY

# self-contained, every plot inlined, links between the points
python3 - "$T/sw" "$point" <<'PY' > "$T/sc.out" 2>&1 || fail "self-contained: $(cat "$T/sc.out")"
import glob, os, re, sys
d, point = sys.argv[1], sys.argv[2]
for page, plots in ((f"{d}/report.html", f"{d}/plots"), (f"{d}/points/{point}/report.html", None)):
    h = open(page).read()
    assert "Content-Security-Policy\" content=\"default-src 'none';" in h, page
    assert "<link" not in h and "@import" not in h, page
    for attr, url in re.findall(r'\s(src|href)="([^"]*)"', h):
        ok = url.startswith(("#", "data:", "points/", "../")) or url == "../../report.html"
        assert ok, (page, attr, url)
    if plots:
        n = len(glob.glob(plots + "/*.svg"))
        assert n >= 5 and h.count("<figure") == n and h.count("<svg") == n, (n, h.count("<svg"))
h = open(f"{d}/report.html").read()
for p in os.listdir(f"{d}/points"):
    assert f'href="points/{p}/report.html"' in h, p
ph = open(f"{d}/points/{point}/report.html").read()
assert 'href="../../report.html"' in ph
assert 'href="../vm.policy=lru,memory.frames=2/report.html"' in ph, "previous point"
assert 'href="../vm.policy=lru,memory.frames=4/report.html"' in ph, "next point"
PY

# sorting by a click
sed 's|</body>|<script>document.querySelectorAll("table.sortable th").forEach(function(th){if(th.textContent.trim().indexOf("faults.total")===0)th.click();});var r=document.querySelector("table.sortable tbody tr");document.body.setAttribute("data-first",r.cells[0].textContent.trim());</script></body>|' "$T/sw/report.html" > "$T/sw/sorted.html"
chrome "$T/sorted" "file://$T/sw/sorted.html" --dump-dom
check_eq "sorted by faults.total: the least first" "$(grep -o 'data-first="[^"]*"' "$T/sorted.dom")" 'data-first="vm.policy=lru,memory.frames=4"'

# provenance of a run
"$VMSIM" run "$T/base.json" -o "$T/run" --set vm.policy=lru -q
"$VMSIM" report "$T/run" > /dev/null 2> "$T/err" || fail "report of a run: $(cat "$T/err")"
python3 - "$T" <<'PY' > "$T/pv.out" 2>&1 || fail "provenance: $(cat "$T/pv.out")"
import html, json, sys
t = sys.argv[1]
d = t + "/run"
run = json.load(open(d + "/run.json"))
h = html.unescape(open(d + "/report.html").read())
assert run["command"] == f"vmsim run {t}/base.json -o {d} --set vm.policy=lru -q", run["command"]
for k in ("command", "git_commit", "host", "started_utc", "version"):
    assert run[k] and f"<td>{run[k]}</td>" in h, (k, run[k])
assert "vmsim report: textbook" in h
PY
chrome "$T/run" "file://$T/run/report.html" --dump-dom
grep -q 'id="js-status" data-errors="0" data-ready="1"' "$T/run.dom" && ok || fail "run report: scripts did not run cleanly"

"$VMSIM" report "$T" 2> "$T/err"
check_eq "nothing to report exits 2" "$?" 2
done_tests
