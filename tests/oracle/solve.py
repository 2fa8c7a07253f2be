#!/usr/bin/env python3
"""Solve an allocopt input with the reference model and glpsol.

    solve.py INPUT_DIR [--scenario NAME] [--arrangement A] [--keep DIR]

Runs csv2dat.py, then glpsol twice on allocopt.mod: the first pass optimises
settings.objective; the second holds that optimum within a relative 1e-9 and
minimises undiscounted revenue plus capital spend. Prints one JSON object:

    {"status": "optimal" | "infeasible", "objective": F, "total_spend": X,
     "total_revenue_spend": Xr, "total_capital_spend": Xc}

`objective` is the first pass's value; the spend figures come from the second
pass. Exit status: 0 solved (optimal or infeasible), 2 input error, 3 solver
failure.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, HERE)
import csv2dat  # noqa: E402

MODEL = os.path.join(HERE, "allocopt.mod")


def find_glpsol():
    env = os.environ.get("GLPSOL")
    if env:
        return env
    if os.path.exists("/usr/bin/glpsol"):
        return "/usr/bin/glpsol"
    found = shutil.which("glpsol")
    if not found:
        raise RuntimeError("glpsol not found (install glpk-utils)")
    return found


def run_glpsol(glpsol, datafiles, workdir, tag):
    cmd = [glpsol, "--math", MODEL]
    for d in datafiles:
        cmd += ["--data", d]
    cmd += ["--output", os.path.join(workdir, tag + ".sol")]
    proc = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    out = proc.stdout
    with open(os.path.join(workdir, tag + ".log"), "w") as f:
        f.write(out)
    if "OPTIMAL LP SOLUTION FOUND" in out or "OPTIMAL SOLUTION FOUND" in out:
        values = {}
        for m in re.finditer(r"^ORACLE (\w+) (\S+)$", out, re.MULTILINE):
            values[m.group(1)] = float(m.group(2))
        if "objective" not in values:
            raise RuntimeError("glpsol gave no result (%s):\n%s" % (tag, out))
        return "optimal", values
    if ("NO PRIMAL FEASIBLE SOLUTION" in out or "PROBLEM HAS NO FEASIBLE" in out
            or "LP HAS NO PRIMAL FEASIBLE" in out):
        return "infeasible", None
    raise RuntimeError("glpsol failed (%s, exit %d):\n%s" % (tag, proc.returncode, out))


def solve(folder, scenario=None, arrangement=None, keep=None):
    data = csv2dat.convert(folder, scenario, arrangement)
    glpsol = find_glpsol()
    workdir = tempfile.mkdtemp(prefix="allocopt-oracle-")
    try:
        d1 = os.path.join(workdir, "model.dat")
        with open(d1, "w", encoding="utf-8") as f:
            f.write(data)
        status, first = run_glpsol(glpsol, [d1], workdir, "pass1")
        if status != "optimal":
            return {"status": status}
        fstar = first["objective"]
        d2 = os.path.join(workdir, "pass2.dat")
        with open(d2, "w") as f:
            f.write("data;\nparam pass2 := 1;\nparam fstar := %r;\nend;\n" % fstar)
        status, second = run_glpsol(glpsol, [d1, d2], workdir, "pass2")
        if status != "optimal":
            raise RuntimeError("second pass not optimal: %s" % status)
        return {
            "status": "optimal",
            "objective": fstar,
            "total_spend": second["revenue"] + second["capital"],
            "total_revenue_spend": second["revenue"],
            "total_capital_spend": second["capital"],
            "total_benefit": second["benefit_undiscounted"],
            "second_pass_objective": second["objective"],
        }
    finally:
        if keep:
            os.makedirs(keep, exist_ok=True)
            for name in os.listdir(workdir):
                shutil.copy(os.path.join(workdir, name), keep)
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Solve an allocopt input with the oracle model.")
    ap.add_argument("input")
    ap.add_argument("--scenario")
    ap.add_argument("--arrangement")
    ap.add_argument("--keep", help="copy the data files, glpsol logs and solution reports "
                                   "(pass1.sol, pass2.sol) to this folder")
    a = ap.parse_args(argv)
    try:
        result = solve(a.input, a.scenario, a.arrangement, a.keep)
    except (csv2dat.InputError, OSError) as e:
        print("solve.py: input error: %s" % e, file=sys.stderr)
        return 2
    except RuntimeError as e:
        print("solve.py: %s" % e, file=sys.stderr)
        return 3
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
