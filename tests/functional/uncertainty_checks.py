#!/usr/bin/env python3
"""Uncertainty studies from the command line: a single run equals the merge of its
shards, results do not depend on -j, percentiles follow Excel's PERCENTILE.INC, and
merge refuses parts that do not belong together (exit 2, naming the file).

Usage: uncertainty_checks.py ALLOCOPT
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile

ALLOCOPT = sys.argv[1]
failures = []

# Two ICBs, two services, two years. Revenue budgets move together (one shared draw per
# sample) between 5 % and 120 % of what is given: the smallest leave the minimum coverage
# of S1 out of reach (no feasible plan). S2's need moves by a normal number added to
# each cell, sometimes below zero (invalid input).
INPUT = {
    "settings": "key,value\nname,Uncertainty check\nfirst_year,2025/26\nyears,2\n",
    "icbs": "id,name,population\nI1,North ICB,1000\nI2,South ICB,2000\n",
    "budgets": ("icb,year,revenue,capital\nI1,2025/26,5000,100\nI1,2026/27,5000,100\n"
                "I2,2025/26,9000,100\nI2,2026/27,9000,100\n"),
    "services": ("id,name,category,unit_cost,benefit,min_coverage\n"
                 "S1,Renal,specialised,10,2,0.9\nS2,Urgent care,priority,5,1,\n"),
    "demand": ("icb,service,need,baseline\nI1,S1,100,20\nI1,S2,1000,20\n"
               "I2,S1,150,30\nI2,S2,1500,30\n"),
    "uncertainty": ("table,column,key,distribution,apply,mean,sd,low,likely,high,draw\n"
                    "budgets,revenue,*/*,uniform,scale,,,0.05,,1.2,shared\n"
                    "demand,need,*/S2,normal,add,0,700,,,,each\n"
                    "services,benefit,S1,triangular,,,,1.5,2,2.2,\n"),
}


def run(*args):
    result = subprocess.run([ALLOCOPT, *args], capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout, result.stderr


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else ": " + detail))
    if not condition:
        failures.append(name)


def write_input(folder, tables):
    os.makedirs(folder, exist_ok=True)
    for name, text in tables.items():
        with open(os.path.join(folder, name + ".csv"), "w", encoding="utf-8") as fh:
            fh.write(text)


def sheet_xml(workbook, name):
    """The XML of the worksheet called name, found through the workbook's relationships."""
    with zipfile.ZipFile(workbook) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        sheet = re.search(r'<sheet name="%s" sheetId="\d+" r:id="(rId\d+)"' % re.escape(name),
                          book)
        if sheet is None:
            return None
        target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % sheet.group(1), rels)
        if target is None:
            target = re.search(r'Target="([^"]+)"[^>]*Id="%s"' % sheet.group(1), rels)
        return z.read("xl/" + target.group(1))


def percentile_inc(values, p):
    """Excel's PERCENTILE.INC, written out independently of allocopt."""
    xs = sorted(values)
    h = (len(xs) - 1) * p
    low = math.floor(h)
    if low + 1 >= len(xs):
        return xs[-1]
    return xs[low] + (h - low) * (xs[low + 1] - xs[low])


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "input")
    write_input(data, INPUT)
    code, out, err = run("validate", data)
    check("validate accepts the uncertainty table", code == 0, err)

    single = os.path.join(tmp, "single")
    code, out, err = run("run", data, "--samples", "40", "--seed", "7", "-j", "1",
                         "-o", single + ".xlsx", "--json", single + ".json")
    check("run --samples exits 0", code == 0, err)
    check("stdout has the P10/P50/P90 headline", "P10 / P50 / P90" in out, out)
    check("stdout has the infeasibility probability", "no feasible plan" in out, out)
    with open(single + ".json") as fh:
        summary = json.load(fh)
    u = summary.get("uncertainty", {})
    check("the JSON keeps its existing keys", all(k in summary for k in (
        "status", "objective", "total_benefit", "total_revenue_spend", "total_capital_spend",
        "arrangement", "scenarios")))
    counts = u.get("status_counts", {})
    check("40 records, one per sample in order",
          [r["sample"] for r in u.get("records", [])] == list(range(40)))
    check("some samples have no feasible plan", counts.get("infeasible", 0) > 0, str(counts))
    check("some samples have invalid input", counts.get("invalid_input", 0) > 0, str(counts))
    check("some samples have a plan", counts.get("optimal", 0) > 0, str(counts))
    check("probability of infeasibility = infeasible / samples",
          u.get("probability_infeasible") == counts.get("infeasible", -1) / 40)
    objectives = [r["objective"] for r in u["records"] if r["status"] == "optimal"]
    spends = [r["spend"] for r in u["records"] if r["status"] == "optimal"]
    for p, key in ((0.1, "p10"), (0.5, "p50"), (0.9, "p90")):
        check("objective %s is PERCENTILE.INC" % key,
              math.isclose(u["objective"][key], percentile_inc(objectives, p), rel_tol=1e-12),
              "%r vs %r" % (u["objective"][key], percentile_inc(objectives, p)))
        check("spend %s is PERCENTILE.INC" % key,
              math.isclose(u["spend"][key], percentile_inc(spends, p), rel_tol=1e-12))
    check("histogram counts every sample with a plan",
          sum(b["samples"] for b in u["histogram"]) == len(objectives))
    check("the breach table has every ICB", [b["icb"] for b in u["breach"]] == ["I1", "I2"])
    check("the workbook has an Uncertainty sheet",
          sheet_xml(single + ".xlsx", "Uncertainty") is not None)
    for name in ("Summary", "Allocation", "Capital", "Budgets", "Indicators", "Constraints",
                 "Inputs"):
        check("the single run's workbook keeps its %s sheet" % name,
              sheet_xml(single + ".xlsx", name) is not None)

    # -j 2 gives the same study.
    threads = os.path.join(tmp, "threads")
    code, out, err = run("run", data, "--samples", "40", "--seed", "7", "-j", "2",
                         "-o", threads + ".xlsx", "--json", threads + ".json")
    with open(threads + ".json") as fh:
        check("-j 1 and -j 2 give the same uncertainty object",
              json.load(fh).get("uncertainty") == u)
    check("-j 1 and -j 2 give the same Uncertainty sheet",
          sheet_xml(threads + ".xlsx", "Uncertainty") == sheet_xml(single + ".xlsx",
                                                                   "Uncertainty"))

    # A shard's partial result is JSON: a workbook's name for it is refused, nothing written.
    wrong = os.path.join(tmp, "part1.xlsx")
    code, out, err = run("run", data, "--samples", "40", "--shard", "1/3", "-o", wrong)
    check("--shard -o PART.xlsx exits 2 and says to name it .json",
          code == 2 and "PART.json" in err and not os.path.exists(wrong), err)

    # Three shards, merged (given out of order), equal the single run.
    parts = []
    for k in (1, 2, 3):
        part = os.path.join(tmp, "part%d.json" % k)
        code, out, err = run("run", data, "--samples", "40", "--seed", "7", "--shard",
                             "%d/3" % k, "-o", part, "-j", "2")
        check("shard %d/3 exits 0" % k, code == 0, err)
        check("shard %d/3 writes no workbook" % k, not os.path.exists(
            os.path.join(tmp, "results.xlsx")))
        parts.append(part)
    merged = os.path.join(tmp, "merged")
    code, out, err = run("merge", parts[2], parts[0], parts[1], "-o", merged + ".xlsx",
                         "--json", merged + ".json")
    check("merge exits 0", code == 0, err)
    with open(merged + ".json") as fh:
        merged_summary = json.load(fh)
    check("merge of the shards = the single run (JSON uncertainty object)",
          merged_summary.get("uncertainty") == u)
    with open(single + ".json") as fh_a, open(merged + ".json") as fh_b:
        text_a = json.dumps(json.load(fh_a)["uncertainty"], sort_keys=True)
        text_b = json.dumps(json.load(fh_b)["uncertainty"], sort_keys=True)
    check("... number for number in the JSON text", text_a == text_b)
    check("merge reports the shards merged", merged_summary.get("shards_merged") == 3)
    check("merge of the shards = the single run (Uncertainty sheet XML)",
          sheet_xml(merged + ".xlsx", "Uncertainty") == sheet_xml(single + ".xlsx",
                                                                  "Uncertainty"))
    check("the merged workbook has a Summary", sheet_xml(merged + ".xlsx", "Summary") is not None)

    # A single un-sharded run can write a partial too; merged alone it is the single run.
    whole = os.path.join(tmp, "whole.json")
    code, out, err = run("run", data, "--samples", "40", "--seed", "7", "--shard", "1/1",
                         "-o", whole)
    code, out, err = run("merge", whole, "-o", os.path.join(tmp, "whole.xlsx"), "--json",
                         os.path.join(tmp, "whole-merged.json"))
    with open(os.path.join(tmp, "whole-merged.json")) as fh:
        check("--shard 1/1 then merge = the single run", json.load(fh).get("uncertainty") == u)

    # Parts that do not belong together.
    def refused(name, args, must_name):
        out_path = os.path.join(tmp, "refused.xlsx")
        code, out, err = run("merge", *args, "-o", out_path)
        check(name + ": exit 2", code == 2, "exit %d, %s" % (code, err))
        check(name + ": the message names " + os.path.basename(must_name), must_name in err, err)
        check(name + ": no workbook written", not os.path.exists(out_path))

    refused("a missing shard", [parts[0], parts[1]], parts[0])
    refused("a shard given twice", [parts[0], parts[1], parts[2], parts[1]], parts[1])
    other_seed = os.path.join(tmp, "seed8.json")
    run("run", data, "--samples", "40", "--seed", "8", "--shard", "2/3", "-o", other_seed)
    refused("mixed seeds", [parts[0], other_seed, parts[2]], other_seed)
    other_count = os.path.join(tmp, "samples41.json")
    run("run", data, "--samples", "41", "--seed", "7", "--shard", "2/3", "-o", other_count)
    refused("mixed sample counts", [parts[0], other_count, parts[2]], other_count)
    changed = dict(INPUT)
    changed["budgets"] = INPUT["budgets"].replace("5000", "5100")
    changed_dir = os.path.join(tmp, "changed")
    write_input(changed_dir, changed)
    other_input = os.path.join(tmp, "other-input.json")
    run("run", changed_dir, "--samples", "40", "--seed", "7", "--shard", "3/3", "-o",
        other_input)
    refused("mixed inputs", [parts[0], parts[1], other_input], other_input)
    broken = os.path.join(tmp, "broken.json")
    with open(broken, "w") as fh:
        fh.write('{"format": "allocopt uncertainty part", "format_version": 1')
    refused("a broken part", [parts[0], broken], broken)
    other_shards = os.path.join(tmp, "of4.json")
    run("run", data, "--samples", "40", "--seed", "7", "--shard", "2/4", "-o", other_shards)
    refused("mixed shard counts", [parts[0], other_shards, parts[2]], other_shards)

    # Usage errors.
    code, out, err = run("run", data, "--shard", "1/3", "-o", os.path.join(tmp, "x.json"))
    check("--shard without --samples is a usage error", code == 2, err)
    code, out, err = run("run", data, "--samples", "5", "--shard", "4/3", "-o",
                         os.path.join(tmp, "x.json"))
    check("--shard 4/3 is a usage error", code == 2, err)
    no_table = dict(INPUT)
    del no_table["uncertainty"]
    no_table_dir = os.path.join(tmp, "no-table")
    write_input(no_table_dir, no_table)
    code, out, err = run("run", no_table_dir, "--samples", "5", "-o",
                         os.path.join(tmp, "y.xlsx"))
    check("--samples without an uncertainty table is an input error",
          code == 2 and "uncertainty" in err, err)

    # Infeasible samples say how much money they lack (MODEL.md rule 18). Two ICBs, two
    # years; standards cost £13.1m in G1 and £8.0975m in G2 a year. Revenue drawn at
    # exactly 110 %: G1's £14.85m suffices, G2's £7.7m lacks £397,500 a year: £795,000.
    short = os.path.join(tmp, "short")
    write_input(short, {
        "settings": "key,value\nfirst_year,2025/26\nyears,2\n",
        "icbs": "id,population\nG1,500000\nG2,300000\n",
        "budgets": "icb,year,revenue\nG1,2025/26,13500000\nG1,2026/27,13500000\n"
                   "G2,2025/26,7000000\nG2,2026/27,7000000\n",
        "services": "id,category,unit_cost,benefit,min_coverage\n"
                    "TRN,specialised,40000,3,90%\nAE,priority,250,0.02,95%\n",
        "demand": "icb,service,need,baseline\nG1,TRN,100,90\nG1,AE,40000,38000\n"
                  "G2,TRN,60,55\nG2,AE,25000,24000\n",
        "uncertainty": "table,column,key,distribution,apply,low,high,draw\n"
                       "budgets,revenue,*/*,uniform,scale,1.1,1.1,shared\n"})
    short_json = os.path.join(tmp, "short.json")
    code, out, err = run("run", short, "--samples", "3", "-o", os.path.join(tmp, "short.xlsx"),
                         "--json", short_json)
    with open(short_json) as fh:
        study = json.load(fh)["uncertainty"]
    gaps = [r.get("funding_gap") for r in study["records"]]
    check("each infeasible sample's funding gap is £795,000",
          code == 1 and all(g is not None and abs(g - 795000) < 0.01 for g in gaps), str(gaps))
    check("the study's funding gap P50 and P90 are £795,000",
          abs(study["funding_gap"]["p50"] - 795000) < 0.01
          and abs(study["funding_gap"]["p90"] - 795000) < 0.01, str(study["funding_gap"]))

print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
