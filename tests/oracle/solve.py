#!/usr/bin/env python3
"""Solve an allocopt input with the reference model and glpsol.

    solve.py INPUT_DIR [--scenario NAME] [--arrangement A] [--keep DIR]

Runs csv2dat.py, then glpsol on allocopt.mod: the first pass optimises
settings.objective; the second holds that optimum within a relative 1e-9 and
minimises undiscounted revenue plus capital spend; with a flows table, a third
pass (MODEL.md rule 17) holds the first objective and the second pass's spend
within 1e-7 and minimises the activity moved away from today's plan. When the
first pass is infeasible, the funding-gap LP (rule 18) is solved instead.
Today's plan carried forward (rule 16) is evaluated here in Python, and a
last glpsol run with every activity fixed to it tells whether it breaks a
limit. Prints one JSON object:

    {"status": "optimal" | "infeasible", "objective": F, "total_spend": X,
     "total_revenue_spend": Xr, "total_capital_spend": Xc, "mip": B,
     "mip_gap": G, "moved_activity": M or null,
     "current": {"objective": F0, "total_revenue_spend": X0,
                 "total_benefit": B0, "breaks_limits": true | false}}

and, when infeasible, "funding_gap": £ or null (money alone cannot help).
`objective` is the first pass's value; the spend figures come from the second
pass, or the third when it runs (the reported plan is the last pass's). `mip` is true when the model has integer decisions (rule 12 contract
limits or rule 13 expansion steps); glpsol then runs branch-and-cut to a
relative gap G (settings.mip_gap, else DEFAULT_MIP_GAP), and the second pass
holds the first pass's integer decisions, so that for a MIP the spend figures
belong to one least-spend plan among those with the first pass's contracts
and steps, not necessarily the least-spend optimal plan overall.
Exit status: 0 solved (optimal or infeasible), 2 input error, 3 solver
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

# Gap glpsol's branch-and-cut runs to when settings.mip_gap is not given:
# tighter than the specification's default (1e-6), so that the oracle's
# figure is (nearly) the true optimum.
DEFAULT_MIP_GAP = 1e-9


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


def run_glpsol(glpsol, datafiles, workdir, tag, mip_gap=None):
    cmd = [glpsol, "--math", MODEL]
    for d in datafiles:
        cmd += ["--data", d]
    if mip_gap is not None:
        cmd += ["--mipgap", repr(float(mip_gap))]
    cmd += ["--output", os.path.join(workdir, tag + ".sol")]
    proc = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    out = proc.stdout
    with open(os.path.join(workdir, tag + ".log"), "w") as f:
        f.write(out)
    if ("OPTIMAL LP SOLUTION FOUND" in out or "OPTIMAL SOLUTION FOUND" in out
            or "RELATIVE MIP GAP TOLERANCE REACHED" in out):
        values = {}
        for m in re.finditer(r"^ORACLE (\w+) (\S+)$", out, re.MULTILINE):
            values[m.group(1)] = float(m.group(2))
        if "objective" not in values:
            raise RuntimeError("glpsol gave no result (%s):\n%s" % (tag, out))
        values["W"] = [m.groups() for m in
                       re.finditer(r"^ORACLE_W\t(.*)\t(.*)\t(-?\d+)$", out, re.MULTILINE)]
        values["K"] = [m.groups() for m in
                       re.finditer(r"^ORACLE_K\t(.*)\t(.*)\t(\d+)\t(-?\d+)$", out, re.MULTILINE)]
        values["U"] = [m.groups() for m in
                       re.finditer(r"^ORACLE_U\t(.*)\t(\d+)\t(\S+)$", out, re.MULTILINE)]
        return "optimal", values
    if ("NO PRIMAL FEASIBLE SOLUTION" in out or "PROBLEM HAS NO FEASIBLE" in out
            or "LP HAS NO PRIMAL FEASIBLE" in out or "NO INTEGER FEASIBLE SOLUTION" in out):
        return "infeasible", None
    raise RuntimeError("glpsol failed (%s, exit %d):\n%s" % (tag, proc.returncode, out))


def today_figures(d):
    """Rule 16: today's plan carried forward (x0, y0 from csv2dat), evaluated:
    its objective under settings.objective (benefit: discounted benefit; cost:
    discounted revenue spend, no capital), its undiscounted revenue spend (with
    the providers' unit-cost overrides) and its undiscounted benefit."""
    svc, cap, T = d["svc"], d["capacity"], d["T"]
    disc = [1.0 / (1.0 + d["rate"]) ** t for t in range(T)]
    benefit_disc = cost_disc = spend = benefit = 0.0
    items = []
    for (i, p, s), vs in d["x0"].items():
        c = cap[(p, s)]["c"]
        items.append((s, c if c is not None else svc[s]["c"], vs))
    for (i, s), vs in d["y0"].items():
        items.append((s, svc[s]["c"], vs))
    for s, c, vs in items:
        for t, v in enumerate(vs):
            benefit_disc += disc[t] * svc[s]["b"] * v
            cost_disc += disc[t] * c * v
            spend += c * v
            benefit += svc[s]["b"] * v
    return {"objective": benefit_disc if d["objective"] == "benefit" else cost_disc,
            "total_revenue_spend": spend, "total_benefit": benefit}


def write_data(workdir, name, lines):
    path = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("data;\n" + "".join(line + "\n" for line in lines) + "end;\n")
    return path


def hold_integers(first):
    """Data lines holding the first pass's contracts and expansion steps."""
    q = csv2dat.q
    return ["param fix_int := 1;",
            "param wfix :=%s;" % "".join("\n  %s %s %s" % (q(i), q(p), v)
                                         for i, p, v in first["W"]),
            "param kfix :=%s;" % "".join("\n  %s %s %s %s" % (q(p), q(s), t, v)
                                         for p, s, t, v in first["K"])]


def solve(folder, scenario=None, arrangement=None, keep=None):
    data, info = csv2dat.convert_info(folder, scenario, arrangement)
    glpsol = find_glpsol()
    workdir = tempfile.mkdtemp(prefix="allocopt-oracle-")
    try:
        d1 = os.path.join(workdir, "model.dat")
        with open(d1, "w", encoding="utf-8") as f:
            f.write(data)
        gap = info["mip_gap"] if info["mip_gap"] is not None else DEFAULT_MIP_GAP
        result = optimise(glpsol, workdir, d1, info, gap)
        # rule 16: today's plan, evaluated here and checked against every limit by
        # glpsol with x, y fixed to it, z = 0 and the contract decisions free
        current = today_figures(info)
        broken = bool(info["today_off"])       # activity where access allows none
        if not broken:
            dfix = write_data(workdir, "today.dat", ["param fix_plan := 1;"])
            status, _ = run_glpsol(glpsol, [d1, dfix], workdir, "today", gap)
            broken = status != "optimal"
        if result["status"] != "optimal" and not broken:
            raise RuntimeError("no feasible plan, yet today's plan breaks no limit")
        current["breaks_limits"] = broken
        if info["today_off"]:
            current["note"] = "today's activity at providers the access table does not allow: " + \
                ", ".join("%s/%s/%s" % k for k in info["today_off"])
        result["current"] = current
        return result
    finally:
        if keep:
            os.makedirs(keep, exist_ok=True)
            for name in os.listdir(workdir):
                shutil.copy(os.path.join(workdir, name), keep)
        shutil.rmtree(workdir, ignore_errors=True)


def optimise(glpsol, workdir, d1, info, gap):
    """The first pass, then the second and (with flows) the third; or, when the
    first pass is infeasible, the funding gap."""
    status, first = run_glpsol(glpsol, [d1], workdir, "pass1", gap)
    mip = status == "optimal" and first.get("integers", 0) > 0
    if status != "optimal":
        # rule 18: the least extra revenue that makes every other limit hold
        dgap = write_data(workdir, "gap.dat", ["param gap_mode := 1;"])
        gstatus, g = run_glpsol(glpsol, [d1, dgap], workdir, "gap", gap)
        return {"status": status, "funding_gap": g["gap"] if gstatus == "optimal" else None,
                "funding_gap_by_icb": [{"icb": i, "year": info["first_year"] + int(t),
                                        "amount": float(v)} for i, t, v in g["U"]]
                if gstatus == "optimal" else None,
                "moved_activity": None}
    fstar = first["objective"]
    d2 = write_data(workdir, "pass2.dat", ["param pass2 := 1;", "param fstar := %r;" % fstar]
                    + (hold_integers(first) if mip else []))
    status, second = run_glpsol(glpsol, [d1, d2], workdir, "pass2", gap)
    note = None
    if status != "optimal" and mip:
        # Holding integer values rounded from glpsol's solution can cost
        # more than the 1e-9 hold allows; spend is not compared for a MIP,
        # so report the first pass's figures rather than fail.
        second, note = first, "second pass %s; spend from the first pass" % status
    elif status != "optimal":
        raise RuntimeError("second pass not optimal: %s" % status)
    moved = None
    if info["flows_given"]:
        # rule 17: hold the objective and the second pass's spend, least moved
        spendstar = second["revenue"] + second["capital"]
        d3 = write_data(workdir, "pass3.dat",
                        ["param pass3 := 1;", "param fstar := %r;" % fstar,
                         "param spendstar := %r;" % spendstar]
                        + (hold_integers(first) if mip else []))
        status, third = run_glpsol(glpsol, [d1, d3], workdir, "pass3", gap)
        if status != "optimal":
            raise RuntimeError("third pass not optimal: %s" % status)
        moved = third["moved"]
        second = third
    result = {
        "status": "optimal",
        "objective": fstar,
        "total_spend": second["revenue"] + second["capital"],
        "total_revenue_spend": second["revenue"],
        "total_capital_spend": second["capital"],
        "total_benefit": second["benefit_undiscounted"],
        "second_pass_objective": second["objective"],
        "mip": mip,
        # the tolerance the specification allows (settings.mip_gap, default
        # 1e-6) and the gap glpsol was run to
        "mip_gap": (info["mip_gap"] if info["mip_gap"] is not None else 1e-6) if mip else None,
        "oracle_mip_gap": gap if mip else None,
        "moved_activity": moved,
    }
    if note:
        result["note"] = note
    return result


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
