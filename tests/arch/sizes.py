#!/usr/bin/env python3
"""tests/arch/sizes.py -- the size rules of the house (docs/architecture.md): no function over
100 lines and no file over 800 lines in sim/, models/ and workloads/.

usage: tests/arch/sizes.py [--list N] [ROOT]
  prints every function longer than 100 lines and every file longer than 800 lines and exits 1
  when there is one; --list N lists every function longer than N lines (exit 0).

A function is counted from the first line of its signature to its closing brace, inclusive
(the house style, .clang-format's BreakBeforeBraces: Linux, puts a function's braces alone in
column 0). A function that must stay long (a hand-tuned decoder whose split would cost speed)
carries the comment "size: long by design" on a line of its own just above its signature,
with the reason; it is listed, not failed.
"""
import os
import re
import sys

MAX_FUNCTION = 100
MAX_FILE = 800
FLOORS = ("sim", "models", "workloads")
EXEMPT = "size: long by design"


def functions(lines):
    """(name, first line, last line, exempt) of every function definition, 1-based lines."""
    out = []
    i = 0
    while i < len(lines):
        if lines[i].rstrip("\n") != "{":
            i += 1
            continue
        start = i
        while start > 0:
            prev = lines[start - 1].rstrip("\n")
            if (not prev.strip() or prev.endswith((";", "}", "*/")) or prev.startswith("#")
                    or prev.lstrip().startswith("//")):
                break
            start -= 1
        end = i + 1
        while end < len(lines) and lines[end].rstrip("\n") != "}":
            end += 1
        sig = re.sub(r"__attribute__\(\(.*?\)\)", "", " ".join(l.strip() for l in lines[start:i]))
        m = re.search(r"([A-Za-z_]\w*)\s*\(", sig)
        name = m.group(1) if m else sig
        exempt = start > 0 and EXEMPT in lines[start - 1]
        out.append((name, start + 1, end + 1, exempt))
        i = end + 1
    return out


def main():
    args = sys.argv[1:]
    limit = MAX_FUNCTION
    listing = False
    if args and args[0] == "--list":
        limit = int(args[1])
        listing = True
        args = args[2:]
    root = args[0] if args else os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    bad = 0
    for floor in FLOORS:
        for dirpath, _, names in sorted(os.walk(os.path.join(root, floor))):
            for n in sorted(names):
                if not n.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, n)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as f:
                    lines = f.readlines()
                if len(lines) > MAX_FILE and not listing:
                    print("%s: %d lines (at most %d)" % (rel, len(lines), MAX_FILE))
                    bad += 1
                for name, first, last, exempt in functions(lines):
                    length = last - first + 1
                    if length <= limit:
                        continue
                    note = " (long by design)" if exempt else ""
                    print("%s:%d: %s: %d lines%s" % (rel, first, name, length, note))
                    if not exempt and not listing:
                        bad += 1
    if bad:
        print("%d over the limits (functions <= %d lines, files <= %d lines)" %
              (bad, MAX_FUNCTION, MAX_FILE))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
