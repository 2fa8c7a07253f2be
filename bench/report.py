#!/usr/bin/env python3
"""Collect the runs of bench/run.sh into results.json and print the tables.

    report.py OUT_DIR SIZE...      (SIZE as ICBs/services/providers/years)

Reads, for each size, OUT_DIR/<I>x<S>x<P>x<Y>/: NAME.time ("seconds KB
exit" from GNU time), NAME.load, NAME.out, NAME.skipped, allocopt's JSON
summaries (with their "timings" objects), glpsol's solution report and the
LP-file statistics, and OUT_DIR/machine.txt; writes OUT_DIR/results.json and
prints Markdown tables:

  1. times: allocopt (--solver clp, end to end) and every peer, with the
     ratio peer time / allocopt time, allocopt's peak RSS, the LP size and
     whether the first-pass objectives agree;
  2. allocopt's phases (JSON "timings"): time in the simplex (solve +
     second_pass: the LP solver's own work) and outside it;
  3. linearity: build (formulate + load) and write seconds per million
     nonzeros across sizes;
  4. warm start: the numeric scenarios, warm-started, against one cold solve;
  5. the targets, met or missed, and why.

Where allocopt's JSON has no "timings" (or lacks a phase), the total is GNU
time's wall time and the missing phases are shown as "–". Standard library
only.

    report.py --portfolio OUT_DIR INSTANCE...

reads bench/run.sh --portfolio's runs (OUT_DIR/INSTANCE/, the same files),
writes OUT_DIR/results.json and prints two tables: every method's seconds
with its ratio to the "virtual best" (the fastest of the four methods on
allocopt's LP: CLP dual simplex, CLP barrier, GLPK simplex, GLPK interior
point) and whether the objectives agree; and each instance's structure (LP
size and shape, regions, equity band, iteration counts, Cholesky fill) beside
the winner, from which a rule for choosing the method can be read.
"""

import json
import math
import os
import re
import sys

# (run name, column label); "allocopt" (CLP backend, end to end) is the base.
PEERS = [("allocopt_lp", "allocopt --lp"), ("allocopt_glpk", "allocopt GLPK"),
         ("gmpl", "GMPL + glpsol"), ("pulp", "PuLP + CBC"), ("glpsol_lp", "glpsol --lp"),
         ("clp", "clp (LP only)")]
RUNS = ["allocopt"] + [p for p, _ in PEERS]
JSON_OF = {"allocopt": "out.json", "allocopt_lp": "out_lp.json", "allocopt_glpk": "glpk.json",
           "scenarios": "scen.json"}
MODELLING_PEERS = ("gmpl", "pulp")      # target: allocopt >= 3x faster than the faster
PHASES = ["read", "check", "formulate", "load", "solve", "ranges", "second_pass", "report",
          "verify", "write"]
SIMPLEX = ("solve", "second_pass")
TOLERANCE = 1e-6
TARGET_SPEEDUP = 3.0
TARGET_OUTSIDE = 0.10
TARGET_RSS_MIB = 1024.0
TARGET_WARM = 3.0
TARGET_EXPONENT = 1.2   # build/write "linear": fitted exponent of time vs nonzeros <= this


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def load_json(path):
    try:
        return json.loads(read(path))
    except ValueError:
        return {}


def timing(d, name):
    """(wall seconds, peak RSS MiB, exit code, CPU seconds or None) from NAME.time."""
    try:
        f = read(os.path.join(d, name + ".time")).split()
        cpu = float(f[3]) + float(f[4]) if len(f) >= 5 else None
        return float(f[0]), int(f[1]) / 1024.0, int(f[2]), cpu
    except (ValueError, IndexError):
        return None


def result(d, name):
    """(status, objective, JSON summary) of one run."""
    if name in JSON_OF:
        j = load_json(os.path.join(d, JSON_OF[name]))
        return j.get("status"), j.get("objective"), j
    text = read(os.path.join(d, name + ".out"))
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


def run_record(d, name):
    t = timing(d, name)
    st, obj, j = result(d, name)
    x = {"seconds": t[0] if t else None, "rss_mib": round(t[1], 1) if t else None,
         "exit": t[2] if t else None, "status": st, "objective": obj,
         "skipped": read(os.path.join(d, name + ".skipped")).strip() or None}
    if x["exit"] not in (0, None):      # a stopped or failed run: no figures from it
        x["status"], x["objective"] = None, None
    if name == "pulp" and j:
        x["split"] = j.get("seconds")
        x["lp"] = {k: j.get(k) for k in ("rows", "columns", "nonzeros")}
    if name in JSON_OF and j:
        x["timings"] = j.get("timings")
        x["solver"] = j.get("solver")
        x["lp"] = {k: j.get(k) for k in ("rows", "columns", "nonzeros")}
    load = read(os.path.join(d, name + ".load")).split()
    if load:
        x["load"] = [float(v) for v in load]
    return x, j


def phases(x):
    """allocopt's phase breakdown: {phase: s, total, simplex, outside, source}."""
    if x["seconds"] is None or x["status"] != "optimal":
        return None
    t = dict(x.get("timings") or {})
    p = {k: t.get(k) for k in PHASES}
    total = t.get("total")
    source = "json"
    if total is None:
        total, source = x["seconds"], "gnu-time"
    simplex = sum(t.get(k) or 0.0 for k in SIMPLEX)
    recorded = sum(v for v in p.values() if v is not None)
    return {"phases": p, "total": total, "total_source": source, "wall": x["seconds"],
            "simplex": simplex, "outside": total - simplex,
            "outside_share": (total - simplex) / total if total > 0 else None,
            "unrecorded": max(0.0, total - recorded)}


def warm_start(x, j):
    """The scenario run: baseline cold solve against the scenarios' warm solves."""
    if x["seconds"] is None or not j or x["exit"] != 0:
        return None
    bt = j.get("timings") or {}
    sc = j.get("scenarios") or []
    solve = [(s.get("timings") or {}).get("solve") for s in sc]
    both = [sum((s.get("timings") or {}).get(k) or 0.0 for k in SIMPLEX) for s in sc]
    every = [sum(v for k, v in (s.get("timings") or {}).items() if k != "total" and v)
             for s in sc]
    w = {"n": len(sc), "optimal": sum(1 for s in sc if s.get("status") == "optimal"),
         "warm": sum(1 for s in sc if s.get("warm_started")),
         "cold_solve": bt.get("solve"),
         "cold_simplex": sum(bt.get(k) or 0.0 for k in SIMPLEX),
         "sum_solve": sum(v or 0.0 for v in solve) if sc else None,
         "sum_simplex": sum(both) if sc else None,
         "sum_all": sum(every) if sc else None,
         "max_solve": max((v or 0.0 for v in solve), default=None),
         "wall": x["seconds"], "rss_mib": x["rss_mib"]}
    if w["cold_solve"] and w["sum_solve"] is not None:
        w["ratio"] = w["sum_solve"] / w["cold_solve"]
    if w["cold_simplex"] and w["sum_simplex"] is not None:
        w["ratio_simplex"] = w["sum_simplex"] / w["cold_simplex"]
    return w


def collect(out, sizes):
    rows = []
    for size in sizes:
        d = os.path.join(out, "x".join(size.split("/")))
        r = {"size": size, "runs": {}}
        for name in RUNS + ["scenarios"]:
            x, j = run_record(d, name)
            if j.get("rows") is not None and "lp" not in r:
                r["lp"] = {k: j.get(k) for k in ("rows", "columns", "nonzeros")}
            r["runs"][name] = x
            if name == "scenarios":
                r["warm_start"] = warm_start(x, j)
                r["scenario_count"] = read(os.path.join(d, "numeric", "count")).strip() or None
        m = re.search(r"(\d+) rows, (\d+) columns, (\d+) non-zeros",
                      read(os.path.join(d, "lpfile.txt")))
        if m:
            r["lp_file"] = dict(zip(("rows", "columns", "nonzeros"), map(int, m.groups())))
        for name in ("allocopt", "allocopt_glpk"):
            r.setdefault("phases", {})[name] = phases(r["runs"][name])
        # reference objective: allocopt's, else the first run that has one
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


# ---------------------------------------------------------------- formatting

def num(v, digits=2):
    if v is None:
        return "–"
    if v != 0 and abs(v) < 0.01:
        return "%.3f" % v
    return "%.*f" % (digits, v)


def ratio(v):
    return ("%.2f" % v) if v < 0.1 else ("%.1f" % v) if v < 10 else ("%.0f" % v)


def ok(x):
    return x["status"] == "optimal" and x["exit"] == 0 and x["seconds"] is not None


def cell(x, base):
    if x["skipped"] == "--skip":
        return "not run"
    if x["skipped"]:
        return "skipped (timed out at %s)" % x["skipped"]
    if x["seconds"] is None:
        return "not run"
    if x["exit"] == 124:
        s = "timeout (> %.0f)" % x["seconds"]
        if base:
            s += " (> %s×)" % ratio(x["seconds"] / base)
        return s
    if x["status"] != "optimal":
        return "failed (exit %s)" % x["exit"]
    s = "%.2f" % x["seconds"]
    if base:
        s += " (%s×)" % ratio(x["seconds"] / base)
    return s


def lp_of(r):
    lp = r.get("lp")
    if lp is None and "lp_file" in r:
        return {k: "%s*" % v for k, v in r["lp_file"].items()}, True
    return lp or {}, False


def main_table(rows, machine):
    lines = ["| size I/S/P/Y | LP rows | LP cols | LP nonzeros | allocopt (CLP) s | "
             + " | ".join(label + " s (×)" for _, label in PEERS)
             + " | allocopt peak RSS MiB | objectives agree |",
             "|" + " --- |" * (7 + len(PEERS))]
    notes = []
    for r in rows:
        runs = r["runs"]
        a = runs["allocopt"]
        base = a["seconds"] if ok(a) else None
        lp, from_file = lp_of(r)
        if from_file:
            notes.append("\\* %s: allocopt gave no summary; LP size as glpsol reads allocopt's "
                         "LP file (each ranged row adds a column there)" % r["size"])
        others = [n for n in RUNS if n != r["reference"]]
        bad = [n for n in others if runs[n].get("agrees") is False]
        unchecked = [n for n in others if runs[n].get("agrees") is None]
        if r["reference"] is None:
            agree = "no objective at all"
        elif len(unchecked) == len(others):
            agree = "only %s solved it" % r["reference"]
        else:
            agree = ("no: " + ", ".join(bad)) if bad else "yes"
            if r["reference"] != "allocopt":
                agree += " (vs %s)" % r["reference"]
            agree += " (%d of %d)" % (len(RUNS) - len(unchecked) - len(bad), len(RUNS))
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["size"], lp.get("rows", "?"), lp.get("columns", "?"), lp.get("nonzeros", "?"),
            cell(a, None), " | ".join(cell(runs[p], base) for p, _ in PEERS),
            num(a["rss_mib"], 0) if ok(a) else "–", agree))
    lines.append("")
    lines.append("× = peer seconds / allocopt seconds (above 1: allocopt is faster). "
                 "allocopt runs `--solver clp`; \"allocopt GLPK\" is the default backend. "
                 "\"objectives agree\": first-pass objectives within %g relative of allocopt's "
                 "(runs with an objective / all runs)." % TOLERANCE)
    lines.extend(notes)
    lines.append("")
    for r in rows:
        rss = ", ".join("%s %s" % (label, num(r["runs"][n]["rss_mib"], 0))
                        for n, label in [("allocopt", "allocopt")] + PEERS
                        if ok(r["runs"][n]))
        if rss:
            lines.append("- %s peak RSS MiB: %s" % (r["size"], rss))
    for r in rows:
        p = r["runs"]["pulp"]
        if p.get("split") and ok(p):
            s = p["split"]
            lines.append("- PuLP %s: read %.2f s, build %.2f s, solve (write MPS, CBC, read back) "
                         "%.2f s; its LP %s rows, %s columns, %s nonzeros"
                         % (r["size"], s["read"], s["build"], s["solve"], p["lp"]["rows"],
                            p["lp"]["columns"], p["lp"]["nonzeros"]))
    for r in rows:
        diffs = ["%s %.1e" % (n, r["runs"][n]["rel_diff"]) for n in RUNS
                 if n != r["reference"] and r["runs"][n].get("rel_diff") is not None]
        if diffs:
            lines.append("- %s objectives, relative difference from %s: %s"
                         % (r["size"], r["reference"], ", ".join(diffs)))
    for r in rows:
        loads = [v for x in r["runs"].values() for v in x.get("load", [])]
        if loads:
            lines.append("- %s: 1-minute load average between %.1f and %.1f around the runs "
                         "(the benchmark itself counts for about 1)" % (r["size"], min(loads),
                                                                         max(loads)))
    return "\n".join(lines)


def phase_table(rows):
    shown = [k for k in PHASES
             if any((r["phases"].get(n) or {}).get("phases", {}).get(k) is not None
                    for r in rows for n in r["phases"])]
    missing = [k for k in PHASES if k not in shown]
    lines = ["| size | solver | " + " | ".join(k.replace("_", " ") for k in shown)
             + (" | not recorded" if missing else "")
             + " | total s | simplex (solve + second pass) | outside the simplex | outside % |",
             "|" + " --- |" * (6 + len(shown) + (1 if missing else 0))]
    for r in rows:
        for name, solver in (("allocopt", "clp"), ("allocopt_glpk", "glpk")):
            p = r["phases"].get(name)
            if not p:
                continue
            lines.append("| %s | %s | %s%s | %s | %s | %s | %s |" % (
                r["size"], solver, " | ".join(num(p["phases"][k]) for k in shown),
                (" | " + num(p["unrecorded"])) if missing else "",
                num(p["total"]) + ("" if p["total_source"] == "json" else "†"),
                num(p["simplex"]), num(p["outside"]), num(100 * p["outside_share"], 1)))
    lines.append("")
    lines.append("Wall seconds from allocopt's JSON \"timings\" (`--solver clp` unless marked "
                 "glpk). \"simplex\" is the LP solver's own work (first solve and the "
                 "least-spend second pass); everything else, ranging included, is outside it.")
    if missing:
        lines.append("The JSON of these runs has no %s: \"not recorded\" is the total less the "
                     "recorded phases (it holds them, and process start and exit)."
                     % ", ".join(missing))
    if any(p and p["total_source"] != "json" for r in rows for p in r["phases"].values()):
        lines.append("† total from GNU time (the JSON has no total).")
    return "\n".join(lines)


def fit_exponent(points):
    """Least-squares slope of log(seconds) on log(nonzeros)."""
    pts = [(math.log(n), math.log(t)) for n, t in points if n and t and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return None
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx


def linearity(rows):
    """Per size (allocopt, CLP run): nonzeros, build, write, read+check seconds."""
    out = []
    for r in rows:
        p = r["phases"].get("allocopt")
        nz = (r.get("lp") or {}).get("nonzeros")
        if not p or not isinstance(nz, int):
            continue
        ph = p["phases"]
        build = (ph["formulate"] + ph["load"]) if ph["formulate"] is not None and \
            ph["load"] is not None else None
        rc = (ph["read"] or 0.0) + (ph["check"] or 0.0) if ph["read"] is not None else None
        back = sum(ph[k] or 0.0 for k in ("report", "verify"))
        out.append({"size": r["size"], "nonzeros": nz, "build": build, "write": ph["write"],
                    "read_check": rc, "report_verify": back, "outside": p["outside"],
                    "ranges": ph["ranges"]})
    return out


def linearity_table(lin):
    lines = ["| size | LP nonzeros | build s (formulate + load) | build s per M nz | write s | "
             "write s per M nz | read + check s per M nz | report + verify s per M nz | "
             "outside the simplex s per M nz |",
             "|" + " --- |" * 9]
    for x in lin:
        m = x["nonzeros"] / 1e6
        lines.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            x["size"], x["nonzeros"], num(x["build"], 3),
            num(x["build"] / m if x["build"] is not None else None),
            num(x["write"], 3), num(x["write"] / m if x["write"] is not None else None),
            num(x["read_check"] / m if x["read_check"] is not None else None),
            num(x["report_verify"] / m), num(x["outside"] / m)))
    fits = []
    for key, label in (("build", "build"), ("write", "write"), ("report_verify", "report + verify"),
                       ("outside", "outside the simplex")):
        e = fit_exponent([(x["nonzeros"], x[key]) for x in lin[1:] if x[key] is not None])
        if e is not None:
            fits.append("%s %.2f" % (label, e))
    lines.append("")
    lines.append("Fitted exponent b of seconds ∝ nonzeros^b over all sizes but the smallest "
                 "(1 = linear): " + (", ".join(fits) if fits else "not enough sizes") + ".")
    return "\n".join(lines), fits


def warm_table(rows):
    lines = ["| size | scenarios (optimal / warm-started) | baseline cold solve s | "
             "scenario solves, sum s | ratio (target ≤ %g) | largest scenario solve s | "
             "with second passes: cold / sum / ratio | whole run s (baseline + scenarios, "
             "end to end) | peak RSS MiB |" % TARGET_WARM,
             "|" + " --- |" * 9]
    for r in rows:
        w = r.get("warm_start")
        x = r["runs"]["scenarios"]
        if not w:
            if x["skipped"] or x["seconds"] is not None:
                lines.append("| %s | %s |%s" % (r["size"], cell(x, None), " |" * 7))
            continue
        lines.append("| %s | %d (%d / %d) | %s | %s | %s | %s | %s / %s / %s | %s | %s |" % (
            r["size"], w["n"], w["optimal"], w["warm"], num(w["cold_solve"]),
            num(w["sum_solve"]), num(w.get("ratio")), num(w["max_solve"]),
            num(w["cold_simplex"]), num(w["sum_simplex"]), num(w.get("ratio_simplex")),
            num(w["wall"]), num(w["rss_mib"], 0)))
    lines.append("")
    lines.append("`allocopt run DIR --solver clp --all-scenarios -j 1` on the input with only "
                 "its numeric scenarios; each scenario starts from the baseline's optimal basis. "
                 "\"solve\" is the first (best objective) simplex solve of each, from the JSON "
                 "\"timings\"; the ratio is the sum over the scenarios divided by the baseline's "
                 "cold solve in the same run.")
    return "\n".join(lines)


def targets(rows, lin, fits):
    nat = rows[-1]
    out = []
    runs = nat["runs"]
    a = runs["allocopt"]
    base = a["seconds"] if ok(a) else None

    # 1. end to end >= 3x faster than the faster of GMPL and PuLP
    if base:
        best = None
        for n in MODELLING_PEERS:
            x = runs[n]
            if ok(x):
                v = (x["seconds"] / base, False, n)
            elif x["exit"] == 124:
                v = (x["seconds"] / base, True, n)
            else:
                continue
            if best is None or v[0] < best[0]:
                best = v
        skipped = [n for n in MODELLING_PEERS if runs[n]["skipped"]]
        if best is None and skipped:
            meas = "peers not run at %s (out of time at a smaller size: %s)" % (
                nat["size"], ", ".join("%s at %s" % (n, runs[n]["skipped"]) for n in skipped))
            met = "met"
            why = "each peer ran out of time on a smaller input"
        elif best is None:
            meas, met, why = "no peer result", "unknown", "no peer ran"
        else:
            meas = "%s%s× (%s)" % (">" if best[1] else "", ratio(best[0]), best[2])
            met = "met" if best[0] >= TARGET_SPEEDUP else "missed"
            why = ("the faster peer, %s, was stopped by the timeout" % best[2] if best[1] else
                   "the faster peer is %s" % best[2])
            if skipped:
                why += "; not run here: " + ", ".join(
                    "%s (out of time at %s)" % (n, runs[n]["skipped"]) for n in skipped)
            per = []
            for r in rows:
                b0 = r["runs"]["allocopt"]
                got = [r["runs"][n]["seconds"] / b0["seconds"] for n in MODELLING_PEERS
                       if ok(b0) and ok(r["runs"][n])]
                if got:
                    per.append("%s %s×" % (r["size"], ratio(min(got))))
            if per:
                meas += "; by size: " + ", ".join(per)
        out.append(("allocopt end to end ≥ %g× faster than the faster of GMPL and PuLP (%s)"
                    % (TARGET_SPEEDUP, nat["size"]), meas, met, why))
    else:
        out.append(("allocopt end to end ≥ %g× faster than GMPL and PuLP" % TARGET_SPEEDUP,
                    "allocopt did not finish at %s" % nat["size"], "missed", ""))

    # 2. time outside the simplex <= 10%
    p = nat["phases"].get("allocopt")
    if p:
        ph = {k: v for k, v in p["phases"].items() if v is not None and k not in SIMPLEX}
        if p["unrecorded"] > 0.005 and len(ph) < len(PHASES) - len(SIMPLEX):
            ph["not recorded"] = p["unrecorded"]
        top = sorted(ph.items(), key=lambda kv: -kv[1])[:3]
        all_sizes = ", ".join("%s %.0f%%" % (r["size"], 100 * r["phases"]["allocopt"]["outside_share"])
                              for r in rows if r["phases"].get("allocopt"))
        out.append(("time outside the simplex ≤ %.0f%% of allocopt's total (%s)"
                    % (100 * TARGET_OUTSIDE, nat["size"]),
                    "%.1f%% (%.2f of %.2f s; by size: %s)" % (100 * p["outside_share"], p["outside"],
                                                           p["total"], all_sizes),
                    "met" if p["outside_share"] <= TARGET_OUTSIDE else "missed",
                    "largest outside parts: " + ", ".join("%s %.2f s" % (k.replace("_", " "), v)
                                                         for k, v in top)))
    # 3. peak RSS
    if ok(a):
        out.append(("peak RSS ≤ 1 GiB (%s)" % nat["size"], "%.0f MiB" % a["rss_mib"],
                    "met" if a["rss_mib"] <= TARGET_RSS_MIB else "missed",
                    "GNU time's maximum resident set size of the whole run"))
    # 4. linear build and write
    for key, label in (("build", "build (formulate + load)"), ("write", "write")):
        f = next((s for s in fits if s.startswith(key + " ")), None)
        if f is None:
            out.append(("%s time linear in nonzeros" % label, "not recorded", "unknown",
                        "allocopt's JSON has no %s timing" % key if key == "write" else
                        "too few sizes"))
            continue
        e = float(f.split()[-1])
        per = ", ".join("%.2f" % (x[key] / (x["nonzeros"] / 1e6)) for x in lin
                        if x[key] is not None)
        out.append(("%s time linear in nonzeros" % label,
                    "exponent %.2f; s per M nz by size: %s" % (e, per),
                    "met" if e <= TARGET_EXPONENT else "missed",
                    "fitted over the three larger sizes (the smallest is dominated by fixed "
                    "costs); linear if the exponent is ≤ %g" % TARGET_EXPONENT))
    # 5. warm start
    w = nat.get("warm_start")
    if w and w.get("ratio") is not None:
        out.append(("%d numeric scenarios, warm-started, ≤ %g× one cold solve (%s)"
                    % (w["n"], TARGET_WARM, nat["size"]),
                    "%.2f× (%.1f s against %.1f s; with second passes %.2f×)"
                    % (w["ratio"], w["sum_solve"], w["cold_solve"], w.get("ratio_simplex", 0)),
                    "met" if w["ratio"] <= TARGET_WARM else "missed",
                    "%d of %d warm-started; largest single scenario solve %.2f s"
                    % (w["warm"], w["n"], w["max_solve"])))
    else:
        x = runs["scenarios"]
        out.append(("numeric scenarios, warm-started, ≤ %g× one cold solve" % TARGET_WARM,
                    cell(x, None), "unknown", "no scenario figures at %s" % nat["size"]))
    lines = ["| target | measured | met? | why |", "| --- | --- | --- | --- |"]
    lines += ["| %s | %s | %s | %s |" % t for t in out]
    return "\n".join(lines), out


def machine_lines(out):
    m = {}
    for line in read(os.path.join(out, "machine.txt")).splitlines():
        k, _, v = line.partition(" ")
        m[k] = v
    if not m:
        return m, ""
    parts = []
    if "cores" in m:
        parts.append("%s cores" % m["cores"])
    if "cpu" in m:
        parts.append(m["cpu"])
    if "memory_kb" in m:
        parts.append("%.1f GiB RAM" % (int(m["memory_kb"]) / 1024.0 / 1024.0))
    if "timeout" in m:
        parts.append("timeout %s s per run" % m["timeout"])
    s = "Machine: " + ", ".join(parts) + "."
    if "started" in m:
        s += " Run %s to %s" % (m["started"], m.get("finished", "?"))
        if "load_start" in m:
            s += "; load averages (1, 5, 15 min) %s at the start, %s at the end" % (
                m["load_start"], m.get("load_end", "?"))
        s += "."
    return m, s


# ------------------------------------------------------------------ portfolio

# (run name, column label, kind): "end" = allocopt end to end, "lp" = one method
# alone on allocopt's first-pass LP, "model" = a modelling tool on its own LP.
P_RUNS = [("allocopt_default", "allocopt default", "end"),
          ("allocopt_clp", "allocopt --solver clp", "end"),
          ("clp_dual", "CLP dual", "lp"), ("clp_barrier", "CLP barrier", "lp"),
          ("glpk_simplex", "GLPK simplex", "lp"), ("glpk_interior", "GLPK interior", "lp"),
          ("pulp", "PuLP + CBC", "model")]
P_JSON = {"allocopt_default": "default.json", "allocopt_clp": "clp.json"}
P_METHODS = [n for n, _, k in P_RUNS if k == "lp"]


def p_result(d, name):
    """(status, objective, JSON or {}, iterations, extra figures) of one portfolio run."""
    extra = {}
    if name in P_JSON:
        j = load_json(os.path.join(d, P_JSON[name]))
        return j.get("status"), j.get("objective"), j, None, extra
    text = read(os.path.join(d, name + ".out"))
    if name == "pulp":
        try:
            j = json.loads(text.strip().splitlines()[-1])
            return j.get("status"), j.get("objective"), j, None, extra
        except (ValueError, IndexError):
            return None, None, {}, None, extra
    if name.startswith("glpk"):
        sol = read(os.path.join(d, name + ".sol"))
        m = re.search(r"^Objective:\s+\S+\s*=\s*(\S+)", sol, re.M)
        st = re.search(r"^Status:\s+(\S+)", sol, re.M)
        good = m is not None and st is not None and st.group(1) == "OPTIMAL"
        its = re.findall(r"^[ *]*(\d+): obj", text, re.M)
        fill = re.search(r"Matrix L has (\d+) non-zeros", text)
        if fill:
            extra["cholesky_nz"] = int(fill.group(1))
        return ("optimal" if good else None), (float(m.group(1)) if good else None), {}, \
            (int(its[-1]) if its else None), extra
    m = re.search(r"Optimal objective\s+(\S+) - (\d+) iterations", text)       # clp
    if name == "clp_barrier":
        its = re.findall(r"^(\d+) Primal .* Complementarity", text, re.M)
        extra["barrier_iterations"] = int(its[-1]) if its else None
        f = re.search(r"(\S+) elements in sparse Cholesky, flop count (\S+)", text)
        if f:
            extra["cholesky_nz"] = int(float(f.group(1)))
            extra["cholesky_flops"] = float(f.group(2))
        v = re.search(r"End of values pass after (\d+) iterations", text)
        extra["values_pass_iterations"] = int(v.group(1)) if v else 0
        g = re.findall(r"^\d+ Primal (\S+) Dual (\S+) Complementarity", text, re.M)
        if g:       # the barrier's last primal and dual objectives: how far it got
            pr, du = float(g[-1][0]), float(g[-1][1])
            extra["barrier_gap"] = abs(pr - du) / max(1.0, abs(pr))
    pre = re.search(r"Presolve (\d+) \(-?\d+\) rows, (\d+) \(-?\d+\) columns and (\d+)", text)
    if pre:
        extra["presolved"] = dict(zip(("rows", "columns", "nonzeros"), map(int, pre.groups())))
    return ("optimal" if m else None), (float(m.group(1)) if m else None), {}, \
        (int(m.group(2)) if m else None), extra


def p_features(d):
    """Structure of the instance, from its input tables and allocopt's LP file."""
    import csv
    f = {}

    def rows_of(name):
        try:
            with open(os.path.join(d, "input", name + ".csv"), newline="", encoding="utf-8") as h:
                return list(csv.DictReader(h))
        except OSError:
            return []
    icbs = rows_of("icbs")
    f["icbs"] = len(icbs)
    f["regions"] = len({r.get("region") or "" for r in icbs}) if icbs else None
    f["largest_region"] = max((sum(1 for r in icbs if r.get("region") == g)
                               for g in {r.get("region") for r in icbs}), default=None)
    st = {r["key"]: r["value"] for r in rows_of("settings")}
    for k in ("equity_band", "specialised_share_floor", "years"):
        try:
            f[k] = float(st[k]) if k != "years" else int(st[k])
        except (KeyError, ValueError):
            f[k] = None
    f["services"] = len(rows_of("services"))
    f["providers"] = len(rows_of("providers"))
    f["rules"] = len(rows_of("rules"))
    # row kinds of allocopt's LP (names up to the first "_")
    kinds, nz, section, kind = {}, {}, None, None
    try:
        with open(os.path.join(d, "out.lp")) as h:
            for line in h:
                if line.startswith("Subject To"):
                    section = "rows"
                    continue
                if section == "rows":
                    if line[:1] not in (" ", "\t") and line.strip():
                        break
                    m = re.match(r" ([A-Za-z]+)[_A-Za-z0-9]*:", line)
                    if m:
                        kind = m.group(1)
                        kinds[kind] = kinds.get(kind, 0) + 1
                        line = line[m.end():]
                    if kind:
                        nz[kind] = nz.get(kind, 0) + sum(1 for t in line.split() if t[0].isalpha())
    except OSError:
        pass
    f["row_kinds"] = kinds or None
    f["row_kind_nonzeros"] = nz or None
    return f


def p_collect(out, names):
    rows = []
    for name in names:
        d = os.path.join(out, name)
        fam, size, seed = (read(os.path.join(d, "instance")).split() + [None] * 3)[:3]
        r = {"instance": name, "family": fam, "size": size, "seed": seed, "runs": {}}
        for run, _, kind in P_RUNS:
            t = timing(d, run)
            st, obj, j, its, extra = p_result(d, run)
            x = {"seconds": t[0] if t else None, "rss_mib": round(t[1], 1) if t else None,
                 "exit": t[2] if t else None, "cpu_seconds": t[3] if t else None,
                 "status": st, "objective": obj, "iterations": its, "kind": kind,
                 "skipped": read(os.path.join(d, run + ".skipped")).strip() or None}
            x.update(extra)
            if x["exit"] not in (0, None):
                x["status"], x["objective"] = None, None
            if j and run in P_JSON:
                x["solver"] = j.get("solver")
                x["timings"] = j.get("timings")
                if j.get("rows") is not None and "lp" not in r:
                    r["lp"] = {k: j.get(k) for k in ("rows", "columns", "nonzeros")}
            if run == "pulp" and j:
                x["lp"] = {k: j.get(k) for k in ("rows", "columns", "nonzeros")}
            load = read(os.path.join(d, run + ".load")).split()
            if load:
                x["load"] = [float(v) for v in load]
            r["runs"][run] = x
        m = re.search(r"(\d+) rows, (\d+) columns, (\d+) non-zeros",
                      read(os.path.join(d, "lpfile.txt")))
        if m:
            r["lp_file"] = dict(zip(("rows", "columns", "nonzeros"), map(int, m.groups())))
            r.setdefault("lp", dict(r["lp_file"]))
        r["features"] = p_features(d)
        lp = r.get("lp") or {}
        if lp.get("rows") and lp.get("columns") and lp.get("nonzeros"):
            r["features"].update({
                "rows_per_column": lp["rows"] / lp["columns"],
                "nonzeros_per_row": lp["nonzeros"] / lp["rows"],
                "nonzeros_per_column": lp["nonzeros"] / lp["columns"],
                "density": lp["nonzeros"] / (lp["rows"] * lp["columns"])})
        # the virtual best: the fastest method alone on allocopt's LP
        done = [(r["runs"][n]["seconds"], n) for n in P_METHODS if ok(r["runs"][n])]
        r["virtual_best"] = min(done)[1] if done else None
        vb = min(done)[0] if done else None
        r["virtual_best_seconds"] = vb
        for n, x in r["runs"].items():
            if vb and x["seconds"] is not None and (ok(x) or x["exit"] == 124):
                x["ratio_to_best"] = x["seconds"] / vb
        # objectives: against allocopt --solver clp's, else the first run with one
        ref_name = next((n for n, _, _ in [P_RUNS[1]] + P_RUNS
                         if r["runs"][n]["objective"] is not None), None)
        r["reference"] = ref_name
        ref = r["runs"][ref_name]["objective"] if ref_name else None
        for n, x in r["runs"].items():
            if ref is not None and x["objective"] is not None:
                x["rel_diff"] = abs(x["objective"] - ref) / max(1.0, abs(ref))
                x["agrees"] = x["rel_diff"] <= TOLERANCE
        rows.append(r)
    return rows


def p_cell(x, vb):
    if x["skipped"] == "--skip":
        return "not run"
    if x["skipped"]:
        return "skipped (timed out at %s)" % x["skipped"]
    if x["seconds"] is None:
        return "not run"
    if x["exit"] == 124:
        return "timeout (> %.0f)" % x["seconds"] + (" (> %s×)" % ratio(x["seconds"] / vb)
                                                   if vb else "")
    if x["status"] != "optimal":
        return "failed (exit %s)" % x["exit"]
    return "%.2f" % x["seconds"] + (" (%s×)" % ratio(x["seconds"] / vb) if vb else "")


def p_label(n):
    return next(lbl for k, lbl, _ in P_RUNS if k == n)


def p_times_table(rows):
    lines = ["| instance | LP rows | LP cols | LP nonzeros | "
             + " | ".join(lbl + " s (×)" for _, lbl, _ in P_RUNS)
             + " | virtual best | allocopt default / virtual best | objectives agree |",
             "|" + " --- |" * (7 + len(P_RUNS))]
    for r in rows:
        lp = r.get("lp") or {}
        vb = r["virtual_best_seconds"]
        d = r["runs"]["allocopt_default"]
        if vb and ok(d):
            dv = ratio(d["seconds"] / vb)
        elif vb and d["exit"] == 124:
            dv = "> " + ratio(d["seconds"] / vb)
        else:
            dv = "–"
        runs = r["runs"]
        with_obj = [n for n in runs if runs[n]["objective"] is not None]
        bad = [n for n in with_obj if runs[n].get("agrees") is False]
        if not with_obj:
            agree = "no objective at all"
        else:
            agree = ("no: " + ", ".join(p_label(n) for n in bad)) if bad else "yes"
            agree += " (%d of %d; max rel. diff %.1e)" % (
                len(with_obj) - len(bad), len(runs),
                max(runs[n].get("rel_diff", 0.0) for n in with_obj))
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["instance"], lp.get("rows", "?"), lp.get("columns", "?"), lp.get("nonzeros", "?"),
            " | ".join(p_cell(runs[n], vb) for n, _, _ in P_RUNS),
            ("%s %.2f s" % (p_label(r["virtual_best"]), vb)) if vb else "none finished",
            dv, agree))
    lines.append("")
    lines.append("Seconds of wall time (GNU time), each run alone one after the other; × = the "
                 "run's seconds / the virtual best's, the fastest of the four methods alone on "
                 "allocopt's first-pass LP (CLP dual, CLP barrier, GLPK simplex, GLPK interior; "
                 "these times include reading the LP file, not writing it). The two allocopt "
                 "columns are end to end (read, formulate, solve, second pass, ranging, "
                 "workbook). PuLP + CBC builds and solves its own LP (first pass only). "
                 "Objectives agree: first-pass objectives within %g relative of allocopt "
                 "--solver clp's (runs with an objective / all runs)." % TOLERANCE)
    for r in rows:
        loads = [v for x in r["runs"].values() for v in x.get("load", [])]
        if loads:
            lines.append("- %s: 1-minute load average between %.1f and %.1f around the runs "
                         "(the benchmark itself counts for about 1)"
                         % (r["instance"], min(loads), max(loads)))
    return "\n".join(lines)


def p_cpu_table(rows):
    """The same runs in CPU seconds (user + system, children included)."""
    lines = ["| instance | " + " | ".join(lbl + " CPU s" for _, lbl, _ in P_RUNS)
             + " | virtual best by CPU | by wall time |", "|" + " --- |" * (3 + len(P_RUNS))]
    for r in rows:
        runs = r["runs"]
        done = sorted((runs[n]["cpu_seconds"], n) for n in P_METHODS
                      if ok(runs[n]) and runs[n].get("cpu_seconds") is not None)

        def c(x):
            if x.get("cpu_seconds") is None or x["seconds"] is None:
                return "–"
            if x["exit"] == 124:
                return "timeout (> %.0f wall)" % x["seconds"]
            if not ok(x):
                return "failed"
            return "%.2f" % x["cpu_seconds"]
        r["virtual_best_cpu"] = done[0][1] if done else None
        lines.append("| %s | %s | %s | %s |" % (
            r["instance"], " | ".join(c(runs[n]) for n, _, _ in P_RUNS),
            ("%s %.2f s" % (p_label(done[0][1]), done[0][0])) if done else "–",
            p_label(r["virtual_best"]) if r["virtual_best"] else "–"))
    lines.append("")
    lines.append("CPU seconds (GNU time's user + system, children included: CBC under PuLP) "
                 "of the same runs: on a machine shared with other work they move less than "
                 "the wall seconds.")
    return "\n".join(lines)


def p_features_table(rows):
    lines = ["| instance | ICBs / regions (largest) | equity band | share floor | rules | "
             "rows / cols | nz per col | equity rows (nz per row) | CLP dual iterations | "
             "CLP barrier iterations (crossover) | CLP Cholesky nz | GLPK interior iterations | "
             "GLPK Cholesky nz | GLPK simplex iterations | GLPK interior / CLP dual | fastest | "
             "second |",
             "|" + " --- |" * 17]
    for r in rows:
        f = r["features"]
        runs = r["runs"]
        done = sorted((runs[n]["seconds"], n) for n in P_METHODS if ok(runs[n]))

        def its(n):
            x = runs[n]
            return str(x["iterations"]) if ok(x) and x["iterations"] is not None else "–"
        b = runs["clp_barrier"]
        gi, cd = runs["glpk_interior"], runs["clp_dual"]
        if ok(gi) and ok(cd):
            vs = ratio(gi["seconds"] / cd["seconds"])
        elif ok(cd) and gi["exit"] == 124:
            vs = "> " + ratio(gi["seconds"] / cd["seconds"])
        elif ok(gi) and cd["exit"] == 124:
            vs = "< " + ratio(gi["seconds"] / cd["seconds"])
        else:
            vs = "–"
        lines.append("| %s | %s / %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
                     "| %s | %s | %s |" % (
                         r["instance"], f.get("icbs"), f.get("regions"), f.get("largest_region"),
                         f.get("equity_band"), f.get("specialised_share_floor"), f.get("rules"),
                         num(f.get("rows_per_column")), num(f.get("nonzeros_per_column")),
                         ("%d (%.1f)" % (f["row_kinds"]["equity"],
                                         f["row_kind_nonzeros"]["equity"] / f["row_kinds"]["equity"])
                          if (f.get("row_kinds") or {}).get("equity") else "–"), its("clp_dual"),
                         ("%s (%s)" % (b.get("barrier_iterations"),
                                       b["iterations"] + b.get("values_pass_iterations", 0)))
                         if ok(b) else "–",
                         b.get("cholesky_nz", "–"), its("glpk_interior"),
                         runs["glpk_interior"].get("cholesky_nz", "–"), its("glpk_simplex"), vs,
                         ("%s %.1f s" % (p_label(done[0][1]), done[0][0])) if done else "–",
                         ("%s %.1f s" % (p_label(done[1][1]), done[1][0]))
                         if len(done) > 1 else "–"))
    lines.append("")
    lines.append("Rows, columns and nonzeros as allocopt builds the LP (its JSON); \"equity "
                 "rows\" counts the LP file's rows named equity_* (and their nonzeros per row); "
                 "regions as the icbs table "
                 "gives them (the equity band's groups). Cholesky nz: nonzeros of the factor "
                 "each interior code reports (CLP after its presolve; GLPK's L of A·A'). "
                 "Iterations as each solver reports them (CLP's crossover after its barrier "
                 "in brackets: its values pass and the simplex after it).")
    return "\n".join(lines)


def p_main(argv):
    out, names = argv[0], argv[1:]
    rows = p_collect(out, names)
    machine, mline = machine_lines(out)
    cpu_text = p_cpu_table(rows)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"machine": machine, "instances": rows, "methods": P_METHODS,
                   "tolerance": TOLERANCE}, f, indent=1)
    if mline:
        print(mline)
        print()
    print("### Times by method\n")
    print(p_times_table(rows))
    print("\n### CPU time\n")
    print(cpu_text)
    print("\n### Structure and winner\n")
    print(p_features_table(rows))
    return 0


def main(argv):
    if argv and argv[0] == "--portfolio":
        if len(argv) < 3:
            print(__doc__, file=sys.stderr)
            return 2
        return p_main(argv[1:])
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, sizes = argv[0], argv[1:]
    rows = collect(out, sizes)
    machine, mline = machine_lines(out)
    lin = linearity(rows)
    lin_text, fits = linearity_table(lin)
    tgt_text, tgt = targets(rows, lin, fits)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"machine": machine, "sizes": rows, "linearity": lin, "fits": fits,
                   "targets": [dict(zip(("target", "measured", "met", "why"), t)) for t in tgt]},
                  f, indent=1)
    if mline:
        print(mline)
        print()
    print("### Times\n")
    print(main_table(rows, machine))
    print("\n### Where allocopt's time goes\n")
    print(phase_table(rows))
    print("\n### Linearity\n")
    print(lin_text)
    print("\n### Warm-started scenarios\n")
    print(warm_table(rows))
    print("\n### Targets\n")
    print(tgt_text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
