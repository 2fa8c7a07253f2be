#!/usr/bin/env python3
"""Check the reference model against hand-derived figures.

    selftest.py [DATA_DIR]

DATA_DIR (default tests/data/oracle_v3) holds one folder per case; each
folder's README.md derives its figures by hand and states them on lines

    expect[ ARGS]: KEY VALUE; KEY VALUE; ...

ARGS are solve.py arguments (--scenario NAME, --arrangement A); KEY is a
field of solve.py's JSON (`objective`, `status`, `funding_gap`,
`moved_activity`, `total_revenue_spend`, or `current.X`); VALUE a number,
`null`, `true`/`false` or a word. Every expectation is checked against
solve.py; the program fails if any differs, or if a case states none.
Tolerances: 1e-6 relative for objectives, today's plan and funding gaps;
1e-5 relative for spend and moved activity, which the least-spend and
continuity passes may shade by their 1e-9 and 1e-7 holds (plus 1e-3
absolute for moved activity, as the functional tests allow).
Exit status 0 pass, 1 fail.
"""

import os
import re
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import csv2dat  # noqa: E402
import solve  # noqa: E402

DEFAULT_DATA = os.path.join(HERE, "..", "data", "oracle_v3")
TOLERANCE = {  # key -> (relative, absolute)
    "total_revenue_spend": (1e-5, 1e-6),
    "moved_activity": (1e-5, 1e-3),
}
DEFAULT_TOLERANCE = (1e-6, 1e-6)


def parse_value(text):
    t = text.strip()
    if t == "null":
        return None
    if t in ("true", "false"):
        return t == "true"
    try:
        return float(t)
    except ValueError:
        return t


def expectations(folder):
    """[(args, {key: value})] from the folder's README.md."""
    path = os.path.join(folder, "README.md")
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^expect(.*?):(.*)$", line.rstrip("\n"))
            if not m:
                continue
            args = shlex.split(m.group(1))
            figures = {}
            for item in m.group(2).split(";"):
                if item.strip():
                    key, _, value = item.strip().partition(" ")
                    figures[key] = parse_value(value)
            out.append((args, figures))
    return out


def lookup(result, key):
    value = result
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(key)
        value = value[part]
    return value


def agrees(got, want, key):
    if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
        rel, absolute = TOLERANCE.get(key, DEFAULT_TOLERANCE)
        return abs(got - want) <= rel * max(abs(got), abs(want)) + absolute
    return got == want


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    data = argv[0] if argv else DEFAULT_DATA
    failures, checked = [], 0
    for name in sorted(os.listdir(data)):
        folder = os.path.join(data, name)
        if not os.path.isdir(folder):
            continue
        cases = expectations(folder)
        if not cases:
            failures.append("%s: README.md states no expected figures" % name)
            continue
        for args, figures in cases:
            opts = dict(zip(args[0::2], args[1::2]))
            label = " ".join([name] + args)
            try:
                result = solve.solve(folder, scenario=opts.get("--scenario"),
                                     arrangement=opts.get("--arrangement"))
            except (csv2dat.InputError, OSError, RuntimeError) as e:
                failures.append("%s: the oracle failed: %s" % (label, e))
                continue
            for key, want in figures.items():
                checked += 1
                try:
                    got = lookup(result, key)
                except KeyError:
                    failures.append("%s: no %s in the oracle's result" % (label, key))
                    continue
                if agrees(got, want, key):
                    print("ok    %s: %s = %r" % (label, key, got))
                else:
                    failures.append("%s: %s = %r, by hand %r" % (label, key, got, want))
    for f in failures:
        print("FAIL  " + f)
    print("%d figures checked, %d failures" % (checked, len(failures)))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
