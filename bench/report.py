#!/usr/bin/env python3
"""Collect the runs of bench/run.sh into results.json and print the table.

    report.py OUT_DIR SIZE...      (SIZE as ICBs/services/providers/years)

Reads, for each size, OUT_DIR/<I>x<S>x<P>x<Y>/: NAME.time ("seconds KB
exit" from GNU time), NAME.out, NAME.skipped, allocopt's JSON summaries,
glpsol's solution report and the LP-file statistics; writes
OUT_DIR/results.json and prints a Markdown table. Standard library only.
"""

import json
import os
import re
import sys

PEERS = [("gmpl", "GMPL oracle"), ("pulp", "PuLP + CBC"), ("glpsol_lp", "glpsol --lp"),
         ("clp", "clp")]
RUNS = ["allocopt", "allocopt_lp"] + [p for p, _ in PEERS]
TOLERANCE = 1e-6


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def timing(d, name):
    try:
        sec, kb, code = read(os.path.join(d, name + ".time")).split()
        return float(sec), int(kb) / 1024.0, int(code)
    except ValueError:
        return None


def result(d, name):
    """(status, objective, JSON summary) of one run."""
    text = read(os.path.join(d, name + ".out"))
    if name in ("allocopt", "allocopt_lp"):
        try:
            j = json.loads(read(os.path.join(d, "out.json" if name == "allocopt" else "out_lp.json")))
            return j.get("status"), j.get("objective"), j
        except ValueError:
            return None, None, {}
    if name in ("gmpl", "pulp"):
        try:
            j = json.loads(text.strip().splitlines()[-1])
            return j.get("status"), j.get("objective"), j
        except (ValueError, IndexError):
            return None, None, {}
    if name == "glpsol_lp":
        m = re.search(r"^Objective:\s+\S+\s*=\s*(\S+)", read(os.path.join(d, "glpsol_lp.sol")), re.M)
        ok = "OPTIMAL LP SOLUTION FOUND" in text and m is not None
        return ("optimal" if ok else None), (float(m.group(1)) if ok else None), {}
    m = re.search(r"Optimal objective\s+(\S+)", text)        # clp
    return ("optimal" if m else None), (float(m.group(1)) if m else None), {}


def collect(out, sizes):
    rows = []
    for size in sizes:
        d = os.path.join(out, "x".join(size.split("/")))
        r = {"size": size, "runs": {}}
        for name in RUNS:
            t = timing(d, name)
            st, obj, j = result(d, name)
            x = {"seconds": t[0] if t else None, "rss_mb": round(t[1], 1) if t else None,
                 "exit": t[2] if t else None, "status": st, "objective": obj,
                 "skipped": read(os.path.join(d, name + ".skipped")).strip() or None}
            if j.get("rows") is not None and "lp" not in r:
                r["lp"] = {k: j.get(k) for k in ("rows", "columns", "nonzeros")}
            if name == "pulp" and j:
                x["split"] = j.get("seconds")
                x["lp"] = {k: j.get(k) for k in ("rows", "columns", "nonzeros")}
            r["runs"][name] = x
        m = re.search(r"(\d+) rows, (\d+) columns, (\d+) non-zeros",
                      read(os.path.join(d, "lpfile.txt")))
        if m:
            r["lp_file"] = dict(zip(("rows", "columns", "nonzeros"), map(int, m.groups())))
        # reference objective: allocopt's, else the first peer that has one
        ref_name = next((n for n in RUNS if r["runs"][n]["objective"] is not None), None)
        r["reference"] = ref_name
        ref = r["runs"][ref_name]["objective"] if ref_name else None
        for name in RUNS:
            o = r["runs"][name]["objective"]
            if ref is not None and o is not None:
                rel = abs(o - ref) / max(1.0, abs(ref))
                r["runs"][name]["rel_diff"] = rel
                r["runs"][name]["agrees"] = rel <= TOLERANCE
        rows.append(r)
    return rows


def ratio(v):
    return ("%.2f" % v) if v < 0.1 else ("%.1f" % v) if v < 10 else ("%.0f" % v)


def cell(x, base):
    if x["skipped"] == "--skip":
        return "not run"
    if x["skipped"]:
        return "skipped (timed out at %s)" % x["skipped"]
    if x["seconds"] is None:
        return "not run"
    if x["exit"] == 124:
        return "timeout (> %.0f)" % x["seconds"]
    if x["status"] != "optimal":
        return "failed (exit %s)" % x["exit"]
    s = "%.2f" % x["seconds"]
    if base:
        s += " (%s×)" % ratio(x["seconds"] / base)
    return s


def table(rows):
    lines = []
    lines.append("| size I/S/P/Y | LP rows | LP cols | LP nonzeros | allocopt s | allocopt --lp s (×) | "
                 + " | ".join(label + " s (×)" for _, label in PEERS)
                 + " | peak RSS MB: allocopt / " + " / ".join(label for _, label in PEERS)
                 + " | objectives agree |")
    lines.append("|" + " --- |" * (8 + len(PEERS)))
    notes = []
    for r in rows:
        runs = r["runs"]
        a = runs["allocopt"]
        base = a["seconds"] if a["status"] == "optimal" and a["exit"] == 0 else None
        lp = r.get("lp")
        if lp is None and "lp_file" in r:
            lp = {k: "%s*" % v for k, v in r["lp_file"].items()}
            notes.append("\\* %s: allocopt gave no summary; LP size as glpsol reads allocopt's "
                         "LP file (each ranged row adds a column there)" % r["size"])
        lp = lp or {}
        rss = " / ".join("%.0f" % runs[n]["rss_mb"] if runs[n]["status"] == "optimal" else "–"
                         for n in ["allocopt"] + [p for p, _ in PEERS])
        others = [n for n in RUNS if n != r["reference"]]
        bad = [n for n in others if runs[n].get("agrees") is False]
        unchecked = [n for n in others if runs[n].get("agrees") is None]
        if r["reference"] is None:
            agree = "no objective at all"
        else:
            agree = ("no: " + ", ".join(bad)) if bad else "yes"
            if r["reference"] not in ("allocopt", "allocopt_lp"):
                agree += " (among peers; vs %s)" % r["reference"]
            if unchecked:
                agree += " (no objective: %s)" % ", ".join(unchecked)
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["size"], lp.get("rows", "?"), lp.get("columns", "?"), lp.get("nonzeros", "?"),
            cell(a, None), cell(runs["allocopt_lp"], base),
            " | ".join(cell(runs[p], base) for p, _ in PEERS), rss, agree))
    lines.append("")
    lines.extend(notes)
    for r in rows:
        p = r["runs"]["pulp"]
        if p.get("split"):
            s = p["split"]
            lines.append("- PuLP %s: read %.2f s, build %.2f s, solve (write MPS, CBC, read back) "
                         "%.2f s; its LP %s rows, %s columns, %s nonzeros"
                         % (r["size"], s["read"], s["build"], s["solve"], p["lp"]["rows"],
                            p["lp"]["columns"], p["lp"]["nonzeros"]))
        diffs = ["%s %.1e" % (n, r["runs"][n]["rel_diff"]) for n in RUNS
                 if n != r["reference"] and r["runs"][n].get("rel_diff") is not None]
        if diffs:
            lines.append("- %s objectives, relative difference from %s: %s"
                         % (r["size"], r["reference"], ", ".join(diffs)))
    return "\n".join(lines)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, sizes = argv[0], argv[1:]
    rows = collect(out, sizes)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
