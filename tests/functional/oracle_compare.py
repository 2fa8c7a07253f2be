#!/usr/bin/env python3
"""Compare allocopt with the reference model on one input.

    oracle_compare.py ALLOCOPT INPUT_DIR [--scenario NAME] [--arrangement A]
                      [--solver NAME] [--no-current]

Runs tests/oracle/solve.py (GMPL model + glpsol) and
`ALLOCOPT run INPUT_DIR -o TMP/out.xlsx --json TMP/out.json -q ...`, then
compares:
  - the status (both optimal, or both infeasible);
  - the objective, within 1e-6 relative;
  - total spend (revenue + capital, undiscounted, from the least-spend second
    pass) within 1e-6 relative + 1e-3 absolute, where allocopt reports it.
When the oracle reports a MIP (rule 12 contract limits or rule 13 expansion
steps: `"mip": true`), only the objective is compared, within
max(1e-6, mip_gap) relative (mip_gap = settings.mip_gap, default 1e-6): both
programs stop within that gap of the optimum, and each holds its own first
pass's integer decisions in its second pass, so total spend may legitimately
differ.
Without --scenario the top-level JSON figures are compared; with it, the
scenarios[] entry of that name.

The v3 figures (MODEL.md rules 16-18), as the oracle reports them:
  - today's plan, JSON `current` (written on every run): current.objective and
    current.total_revenue_spend within 1e-6 relative + 1e-3 absolute, and
    whether it breaks a limit: (len(current.limits_broken) > 0) must equal the
    oracle's breaks_limits. --no-current skips these (not used by the tests);
  - `moved_activity` (rule 17, with a flows table) within 1e-4 relative +
    1e-3 absolute; null in both without flows;
  - `funding_gap` (rule 18, infeasible runs) within 1e-6 relative + 1e-3
    absolute, or null in both (money alone cannot help).
A figure the oracle gives and allocopt's JSON lacks is a failure. With
--scenario, the scenario's entry must give funding_gap when infeasible;
`current` and `moved_activity` are compared there when the entry gives them.
Prints both values either way. Exit status 0 pass, 1 fail.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOLVE = os.path.join(HERE, "..", "oracle", "solve.py")

OBJ_REL = 1e-6
SPEND_REL = 1e-6
SPEND_ABS = 1e-3
CURRENT_REL, CURRENT_ABS = 1e-6, 1e-3      # rule 16
MOVED_REL, MOVED_ABS = 1e-4, 1e-3          # rule 17
GAP_REL, GAP_ABS = 1e-6, 1e-3              # rule 18


def close(a, b, rel, absolute=0.0):
    return abs(a - b) <= rel * max(abs(a), abs(b)) + absolute + 1e-12


def norm_status(text):
    t = str(text).strip().lower()
    if t == "optimal":
        return "optimal"
    if "infeasible" in t:
        return "infeasible"
    return t or "unknown"


def run_oracle(args):
    cmd = [sys.executable, SOLVE, args.input]
    if args.scenario:
        cmd += ["--scenario", args.scenario]
    if args.arrangement:
        cmd += ["--arrangement", args.arrangement]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise RuntimeError("oracle failed (exit %d)" % proc.returncode)
    return json.loads(proc.stdout)


def run_allocopt(args, tmp):
    out_json = os.path.join(tmp, "out.json")
    cmd = [args.allocopt, "run", args.input, "-o", os.path.join(tmp, "out.xlsx"),
           "--json", out_json, "-q"]
    if args.scenario:
        cmd += ["--scenario", args.scenario]
    if args.arrangement:
        cmd += ["--arrangement", args.arrangement]
    if args.solver:
        cmd += ["--solver", args.solver]
    print("running: " + " ".join(cmd))
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600)
    if proc.stdout.strip():
        print(proc.stdout.rstrip())
    if proc.stderr.strip():
        print(proc.stderr.rstrip())
    summary = None
    if os.path.exists(out_json):
        with open(out_json, encoding="utf-8") as f:
            summary = json.load(f)
    return proc.returncode, summary


def allocopt_figures(args, rc, summary):
    """Return (status, objective, total_spend or None, note, entry) for the run asked
    for; entry is the JSON object the figures come from (None without JSON)."""
    if rc not in (0, 1):
        raise RuntimeError("allocopt exited %d (expected 0 or 1)" % rc)
    if not args.scenario:
        if summary is None:
            if rc == 1:
                return "infeasible", None, None, "no JSON written", None
            raise RuntimeError("allocopt exited 0 but wrote no JSON summary")
        status = norm_status(summary.get("status", ""))
        if (rc == 0) != (status == "optimal"):
            raise RuntimeError("exit status %d disagrees with JSON status '%s'"
                               % (rc, summary.get("status")))
        entry = summary
    else:
        if summary is None:
            raise RuntimeError("allocopt wrote no JSON summary (exit %d)" % rc)
        entries = [e for e in summary.get("scenarios", []) if e.get("name") == args.scenario]
        if not entries:
            raise RuntimeError("JSON has no scenarios[] entry named '%s'" % args.scenario)
        entry = entries[0]
        status = norm_status(entry.get("status", ""))
    if status != "optimal":
        return status, None, None, "", entry
    obj = entry.get("objective")
    if obj is None:
        raise RuntimeError("JSON gives no objective")
    spend, note = None, ""
    if "total_revenue_spend" in entry and "total_capital_spend" in entry:
        spend = float(entry["total_revenue_spend"]) + float(entry["total_capital_spend"])
    else:
        note = "total spend not reported for this run; not compared"
    return status, float(obj), spend, note, entry


def number(value, what):
    """A JSON figure as a float, None for null; anything else is an error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("%s is not a number: %r" % (what, value))
    return float(value)


def compare_v3(args, oracle, status, entry, summary):
    """Compare the v3 figures (rules 16-18). Returns a list of (ok, message)."""
    out = []

    def figure(name, theirs, ours, rel, absolute):
        if ours is None and theirs is None:
            out.append((True, "%s: null in both" % name))
        elif ours is None or theirs is None:
            out.append((False, "MISMATCH: %s: oracle %s, allocopt %s" % (name, theirs, ours)))
        elif close(ours, theirs, rel, absolute):
            out.append((True, "%s agrees: oracle %.10g, allocopt %.10g"
                        % (name, theirs, ours)))
        else:
            out.append((False, "MISMATCH: %s: oracle %.10g, allocopt %.10g (difference %.6g)"
                        % (name, theirs, ours, ours - theirs)))

    where = "scenario %s" % args.scenario if args.scenario else "the JSON summary"
    # rule 16: today's plan
    cur = oracle.get("current")
    if cur is not None and not args.no_current:
        theirs = entry.get("current") if entry is not None else None
        if theirs is None and args.scenario:
            out.append((True, "note: %s gives no current: not compared" % where))
        elif not isinstance(theirs, dict):
            out.append((False, "MISMATCH: %s has no current (today's plan, rule 16)" % where))
        else:
            try:
                for key in ("objective", "total_revenue_spend"):
                    if key not in theirs:
                        raise ValueError("current has no %s" % key)
                    figure("current.%s" % key, cur[key], number(theirs[key], "current." + key),
                           CURRENT_REL, CURRENT_ABS)
                broken = theirs.get("limits_broken")
                if not isinstance(broken, list):
                    raise ValueError("current has no limits_broken list")
                if (len(broken) > 0) == bool(cur["breaks_limits"]):
                    out.append((True, "current breaks limits: %s in both (%d listed)"
                                % ("yes" if broken else "no", len(broken))))
                else:
                    out.append((False, "MISMATCH: today's plan breaks limits: oracle %s, "
                                "allocopt lists %d" % (cur["breaks_limits"], len(broken))))
            except ValueError as e:
                out.append((False, "MISMATCH: %s: %s" % (where, e)))
    # rule 17: moved activity (a plan only)
    if status == "optimal" and "moved_activity" in oracle:
        ours_given = entry is not None and "moved_activity" in entry
        if args.scenario and not ours_given:
            out.append((True, "note: %s gives no moved_activity: not compared" % where))
        elif oracle["moved_activity"] is not None and not ours_given:
            out.append((False, "MISMATCH: %s has no moved_activity (rule 17)" % where))
        else:
            try:
                figure("moved_activity", oracle["moved_activity"],
                       number(entry.get("moved_activity"), "moved_activity"),
                       MOVED_REL, MOVED_ABS)
            except ValueError as e:
                out.append((False, "MISMATCH: %s" % e))
    # rule 18: funding gap (no plan only)
    if status == "infeasible" and "funding_gap" in oracle:
        if entry is None or "funding_gap" not in entry:
            out.append((False, "MISMATCH: %s has no funding_gap (rule 18; oracle %s)"
                        % ("no JSON written" if entry is None else where,
                           oracle["funding_gap"])))
        else:
            try:
                figure("funding_gap", oracle["funding_gap"],
                       number(entry["funding_gap"], "funding_gap"), GAP_REL, GAP_ABS)
            except ValueError as e:
                out.append((False, "MISMATCH: %s" % e))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Compare allocopt with the oracle on one input.")
    ap.add_argument("allocopt")
    ap.add_argument("input")
    ap.add_argument("--scenario")
    ap.add_argument("--arrangement")
    ap.add_argument("--solver", help="allocopt's LP backend (glpk or clp)")
    ap.add_argument("--no-current", action="store_true",
                    help="do not compare today's plan (JSON current, rule 16)")
    args = ap.parse_args(argv)

    label = args.input + (" scenario %s" % args.scenario if args.scenario else "") + \
        (" arrangement %s" % args.arrangement if args.arrangement else "")
    try:
        oracle = run_oracle(args)
        with tempfile.TemporaryDirectory(prefix="allocopt-compare-") as tmp:
            rc, summary = run_allocopt(args, tmp)
            status, obj, spend, note, entry = allocopt_figures(args, rc, summary)
    except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as e:
        print("FAIL %s: %s" % (label, e))
        return 1

    o_status = oracle["status"]
    print("input:     %s" % label)
    print("oracle:    status %s" % o_status + (
        ", objective %.10g, total spend %.10g" % (oracle["objective"], oracle["total_spend"])
        if o_status == "optimal" else ""))
    print("allocopt:  status %s" % status + (
        ", objective %.10g" % obj if obj is not None else "") + (
        ", total spend %.10g" % spend if spend is not None else ""))
    if note:
        print("note:      " + note)

    ok = True
    if status != o_status:
        print("MISMATCH: status")
        ok = False
    elif status == "optimal":
        mip = bool(oracle.get("mip"))
        obj_rel = OBJ_REL
        if mip:
            obj_rel = max(OBJ_REL, float(oracle.get("mip_gap") or 0.0))
            print("note:      integer decisions: objective compared within %.3g relative; "
                  "total spend not compared" % obj_rel)
        rel = abs(obj - oracle["objective"]) / max(abs(obj), abs(oracle["objective"]), 1e-300)
        if not close(obj, oracle["objective"], obj_rel):
            print("MISMATCH: objective (relative difference %.3g)" % rel)
            ok = False
        else:
            print("objective agrees (relative difference %.3g)" % rel)
        if spend is not None and not mip:
            if not close(spend, oracle["total_spend"], SPEND_REL, SPEND_ABS):
                print("MISMATCH: total spend (difference %.6g)" % (spend - oracle["total_spend"]))
                ok = False
            else:
                print("total spend agrees (difference %.3g)" % (spend - oracle["total_spend"]))
    if status == o_status:
        for good, message in compare_v3(args, oracle, status, entry, summary):
            print(message)
            ok = ok and good
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
