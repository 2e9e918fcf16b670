#!/usr/bin/env python3
"""pivot.py SUMMARY.csv ROW_KEY COL_KEY VALUE_KEY — print a sweep's summary.csv as a table:
one row per ROW_KEY value, one column per COL_KEY value (in sweep order), cells VALUE_KEY;
the best (smallest) non-opt cell of each column is marked with *."""
import csv
import sys


def main():
    path, rk, ck, vk = sys.argv[1:5]
    rows, cols, cell = [], [], {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            a, b = r[rk], r[ck]
            if a not in rows:
                rows.append(a)
            if b not in cols:
                cols.append(b)
            cell[(a, b)] = r.get(vk, "") or r.get("status", "?")
    best = {}
    for b in cols:
        vals = [int(cell[(a, b)]) for a in rows
                if a != "opt" and cell.get((a, b), "").isdigit()]
        best[b] = min(vals) if vals else None
    w = max(len(rk), max(len(a) for a in rows)) + 2
    print(f"{rk:<{w}}" + "".join(f"{b:>12}" for b in cols))
    for a in rows:
        line = f"{a:<{w}}"
        for b in cols:
            v = cell.get((a, b), "")
            mark = "*" if v.isdigit() and a != "opt" and int(v) == best[b] else " "
            line += f"{v:>11}{mark}"
        print(line)


if __name__ == "__main__":
    main()
