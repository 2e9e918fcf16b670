#!/usr/bin/env python3
"""tests/arch/layers.py -- the arrows of docs/architecture.md: every file of sim/, models/ and
workloads/ includes only headers of its own room and of the rooms below it.

usage: tests/arch/layers.py [ROOT]     prints each include that points the wrong way; exit 1

Rooms and what each may include (besides itself); a folder missing from ROOMS is an error, so
a new room is placed here (and in CMakeLists.txt's floors) when it is made:
  sim/base          nothing else (the foundation: util, params, stats, rng, eventq, hist_csv)
  models/hw         base (hardware timing models know nothing of the VM layer)
  models/policy     base (replacement policies see frames, keys and bits, not the VM)
  workloads         base (operation streams know nothing of the VM or the hardware)
  models/vm         base, policy (the OS layer asks nothing of the hardware models)
  models/machine    base, hw, policy, vm (the composition that costs the VM's work)
  sim/engine        every room of models/ and workloads, base
  sim/cli           everything
Project includes are rooted at the repository root ("models/vm/vm.h"), so a bare "x.h" is an
error too. System headers (<...>) are not checked.
"""
import os
import re
import sys

ROOMS = {
    "sim/base": set(),
    "models/hw": {"sim/base"},
    "models/policy": {"sim/base"},
    "workloads": {"sim/base"},
    "models/vm": {"sim/base", "models/policy"},
    "models/machine": {"sim/base", "models/hw", "models/policy", "models/vm"},
    "sim/engine": {"sim/base", "models/hw", "models/policy", "models/vm", "models/machine",
                   "workloads"},
    "sim/cli": {"sim/base", "models/hw", "models/policy", "models/vm", "models/machine",
                "workloads", "sim/engine"},
}
CHECKED = ("sim", "models", "workloads")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def room_of(rel):
    """The room of a repository-relative path, or None."""
    for room in sorted(ROOMS, key=len, reverse=True):
        if rel == room or rel.startswith(room + "/"):
            return room
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    bad = []
    for top in CHECKED:
        for dirpath, _, names in sorted(os.walk(os.path.join(root, top))):
            for n in sorted(names):
                if not n.endswith((".c", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, n), root)
                room = room_of(rel)
                if room is None:
                    bad.append("%s: in no room of tests/arch/layers.py (place its folder "
                               "there and in CMakeLists.txt)" % rel)
                    continue
                with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        inc = m.group(1)
                        if "/" not in inc:
                            bad.append('%s:%d: "%s": includes are rooted at the repository '
                                       "root" % (rel, lineno, inc))
                            continue
                        target = room_of(inc)
                        if target is None and inc.startswith(CHECKED):
                            bad.append('%s:%d: "%s" is in no room' % (rel, lineno, inc))
                        elif target is not None and target != room and \
                                target not in ROOMS[room]:
                            bad.append('%s:%d: %s includes "%s" (%s): not below it' %
                                       (rel, lineno, room, inc, target))
    for b in bad:
        print(b)
    if bad:
        print("%d includes point the wrong way (see docs/architecture.md)" % len(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
