#!/usr/bin/env python3
"""allocopt against the reference model on an input from bench/generate.py.

    generated_input.py ALLOCOPT [--v2] [--v3] [--solver NAME] [--icbs 6] [--seed 1]
    generated_input.py ALLOCOPT [--v2] [--v3] --seeds FIRST-LAST [--solver NAME]

Generates a small input (6 ICBs, 20 services, 12 providers, 3 years by
default; --v2 adds MODEL.md rules 11-13: collaboratives, contract limits,
expansion steps; --v3 rules 14-16: arrangements per service, ICB mergers and
today's activity by provider), then runs oracle_compare.py on it: the
objective must agree with the GNU MathProg model's (within the MIP gap where
integers appear), and so must today's plan, and with --v3 the moved activity
of the continuity pass (rule 17).

--seeds runs every seed in the range, each with its own number of ICBs (4 to
12, from the seed), so that the LP's column list crosses different sizes while
the contract columns are added; it fails if any seed fails, after running all.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import oracle_compare  # noqa: E402


def run_one(a, seed, icbs):
    with tempfile.TemporaryDirectory(prefix="allocopt-generated-") as tmp:
        folder = os.path.join(tmp, "input")
        cmd = [sys.executable, "-B", os.path.join(ROOT, "bench", "generate.py"), folder,
               "--icbs", str(icbs), "--services", "20", "--providers", "12", "--years", "3",
               "--seed", str(seed)] + (["--v2"] if a.v2 else []) + (["--v3"] if a.v3 else [])
        print("generating: " + " ".join(cmd))
        if subprocess.run(cmd).returncode != 0:
            print("FAIL: the generator failed")
            return 1
        if a.v2:
            for name in ("collaboratives", "collaborative_members"):
                if not os.path.exists(os.path.join(folder, name + ".csv")):
                    print("FAIL: --v2 wrote no %s table" % name)
                    return 1
        if a.v3:
            for name in ("arrangements", "icb_changes", "flows"):
                if not os.path.exists(os.path.join(folder, name + ".csv")):
                    print("FAIL: --v3 wrote no %s table" % name)
                    return 1
        args = [a.allocopt, folder] + (["--solver", a.solver] if a.solver else [])
        return oracle_compare.main(args)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("allocopt")
    ap.add_argument("--v2", action="store_true")
    ap.add_argument("--v3", action="store_true")
    ap.add_argument("--solver")
    ap.add_argument("--icbs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", help="FIRST-LAST: every seed in the range")
    a = ap.parse_args(argv)
    if not a.seeds:
        return run_one(a, a.seed, a.icbs)
    first, _, last = a.seeds.partition("-")
    failed = [seed for seed in range(int(first), int(last or first) + 1)
              if run_one(a, seed, 4 + seed % 9) != 0]
    if failed:
        print("FAIL: seeds %s" % ", ".join(map(str, failed)))
        return 1
    print("PASS: seeds %s" % a.seeds)
    return 0

if __name__ == "__main__":
    sys.exit(main())
