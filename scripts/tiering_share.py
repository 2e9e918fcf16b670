#!/usr/bin/env python3
"""tiering_share.py OUT WORKLOAD... — the tables and plot data of scripts/demo-tiering.

For each sweep OUT/WORKLOAD (vm.tiering.promotion x the fast node's frames): prints one row
per point (the fast node's size as a share of the working set, the policy, the share of
accesses served by the fast node, and the exact counts behind it) and a pivot of the share;
writes OUT/data/WORKLOAD-FASTPCT-POLICY.dat (simulated time in ms at the end of each sampling
interval, the fast node's share of that interval's accesses in %) and OUT/data/share-WORKLOAD.dat
(fast size %, then the share of all accesses per policy) for scripts/plot/tiering.gp.
The working set is the pages a phase touches (phases) or the shared heap (fork-server)."""
import csv
import json
import os
import sys

POLICIES = ["none", "linux", "tpp", "oracle"]
KEYS = ["node.fast.accesses", "sim.accesses", "tiering.promotions", "tiering.demotions",
        "tiering.hint_faults", "sim.time_ps"]


def working_set(cfg):
    w = cfg["workload"]
    return w["phases"][0]["pages"] if w["type"] == "phases" else w["heap_pages"]


def interval_shares(path):
    """(time ms, fast share % of the interval's accesses) per sampling interval."""
    rows = list(csv.DictReader(open(path)))
    out = []
    for a, b in zip(rows, rows[1:]):
        n = int(b["accesses"]) - int(a["accesses"])
        if n:
            fast = int(b["node_fast_accesses"]) - int(a["node_fast_accesses"])
            out.append((int(b["time_ps"]) / 1e9, 100.0 * fast / n))
    return out


def one_workload(out, w):
    d = os.path.join(out, w)
    share = {}
    print("%s: %-6s %-7s %7s %9s %9s %10s %10s %11s %13s" % (
        w, "fast", "policy", "share", "fast acc", "accesses", "promotions", "demotions",
        "hint faults", "time ps"))
    for r in csv.DictReader(open(os.path.join(d, "summary.csv"))):
        p = os.path.join(d, "points", r["point"])
        st = json.load(open(os.path.join(p, "stats.json")))
        cfg = json.load(open(os.path.join(p, "config.json")))
        pol = r["vm.tiering.promotion"]
        pct = round(100 * int(r["memory.nodes[0].frames"]) / working_set(cfg))
        v = [st[k] for k in KEYS]
        share.setdefault(pct, {})[pol] = 100.0 * v[0] / v[1]
        print("%s: %5d%% %-7s %6.1f%% %9d %9d %10d %10d %11d %13d" % (
            (w, pct, pol, 100.0 * v[0] / v[1]) + tuple(v)))
        with open(os.path.join(out, "data", "%s-%d-%s.dat" % (w, pct, pol)), "w") as f:
            f.write("# time_ms fast_share_pct (%s, fast %d%% of the working set)\n" % (pol, pct))
            for t, s in interval_shares(os.path.join(p, "timeseries.csv")):
                f.write("%.3f %.2f\n" % (t, s))
    print("%s: share of accesses served by the fast node, %% (rows: fast node, %% of the "
          "working set)" % w)
    print("%s: %6s" % (w, "fast") + "".join("%8s" % p for p in POLICIES))
    with open(os.path.join(out, "data", "share-%s.dat" % w), "w") as f:
        f.write("# fast_pct " + " ".join(POLICIES) + "\n")
        for pct in sorted(share):
            cells = [share[pct].get(p) for p in POLICIES]
            print("%s: %5d%%" % (w, pct) + "".join(
                "%8s" % ("-" if c is None else "%.1f" % c) for c in cells))
            f.write("%d %s\n" % (pct, " ".join("NaN" if c is None else "%.2f" % c
                                               for c in cells)))
    print()


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    for w in sys.argv[2:]:
        one_workload(out, w)


if __name__ == "__main__":
    main()
