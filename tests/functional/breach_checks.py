#!/usr/bin/env python3
"""The size of a budget breach and the breach tolerance, from the command line: the
overspend in £ and as a share of the ICB's budgets (P50, P90), worked out by hand;
--breach-tolerance accepted as 1% and 0.01 and refused out of range (exit 2, saying
why); shards keep the overspend and the tolerance, and shards run with different
tolerances do not merge.

Usage: breach_checks.py ALLOCOPT
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

# Two ICBs, two years, need far beyond the budgets: the baseline plan spends every £ of
# revenue. Every sample scales I1's revenue by exactly 0.97 and I2's by 0.999 (uniform
# draws from a value to itself).
#   I1: 3 % of £1,000,000 a year is £30,000 over, £60,000 over the plan; its budgets over
#       the plan are 2 × £1,000,000 revenue + 2 × £50,000 capital = £2,100,000.
#   I2: 0.1 % of £2,000,000 a year is £2,000 over, £4,000 over the plan, of £4,000,000.
INPUT = {
    "settings": "key,value\nname,Breach check\nfirst_year,2025/26\nyears,2\n",
    "icbs": "id,name,population\nI1,North ICB,1000\nI2,South ICB,2000\n",
    "budgets": ("icb,year,revenue,capital\nI1,2025/26,1000000,50000\n"
                "I1,2026/27,1000000,50000\nI2,2025/26,2000000,0\nI2,2026/27,2000000,0\n"),
    "services": ("id,name,category,unit_cost,benefit\n"
                 "S1,Renal,specialised,10,2\nS2,Urgent care,priority,5,1\n"),
    "demand": ("icb,service,need,baseline\nI1,S1,200000,0\nI1,S2,400000,0\n"
               "I2,S1,400000,0\nI2,S2,800000,0\n"),
    "uncertainty": ("table,column,key,distribution,apply,low,high,draw\n"
                    "budgets,revenue,I1/*,uniform,scale,0.97,0.97,shared\n"
                    "budgets,revenue,I2/*,uniform,scale,0.999,0.999,shared\n"),
}
EXPECTED = {  # overspend (£), budgets over the plan (£)
    "I1": (60000.0, 2100000.0),
    "I2": (4000.0, 4000000.0),
}
SAMPLES = "6"


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
        return z.read("xl/" + target.group(1)).decode()


def cell_formats(workbook):
    """Number format of each cell style index (cellXfs order)."""
    with zipfile.ZipFile(workbook) as z:
        styles = z.read("xl/styles.xml").decode()
    custom = {int(i): code.replace("&quot;", '"') for i, code in
              re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)}
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    ids = [int(i) for i in re.findall(r'<xf numFmtId="(\d+)"', xfs)]
    return [custom.get(i, "builtin %d" % i) for i in ids]


def breach_table(workbook):
    """The breach table of the Uncertainty sheet: {icb: {header: (text or value, format)}}
    and the notes below it."""
    xml = sheet_xml(workbook, "Uncertainty")
    formats = cell_formats(workbook)
    rows = re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', xml, re.S)
    table, notes, headers = {}, [], None
    for _, row in rows:
        cells = re.findall(r'<c r="([A-Z]+)\d+"([^>]*)>(.*?)</c>', row, re.S)
        values = []
        for col, attrs, body in cells:
            style = re.search(r' s="(\d+)"', attrs)
            text = re.sub(r"<[^>]+>", "", body)
            values.append((text, formats[int(style.group(1))] if style else "General"))
        if values and values[0][0] == "icb":
            headers = [v[0] for v in values]
            continue
        if headers is None:
            continue
        if len(values) == len(headers):
            table[values[0][0]] = dict(zip(headers, values))
        else:
            notes.append(" ".join(v[0] for v in values))
            if len(notes) == 2:
                break
    return headers, table, notes


def close(a, b, tolerance):
    return a is not None and abs(a - b) <= tolerance


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "input")
    write_input(data, INPUT)

    def study(name, *extra):
        book, summary = os.path.join(tmp, name + ".xlsx"), os.path.join(tmp, name + ".json")
        code, out, err = run("run", data, "--samples", SAMPLES, "-q", "-o", book, "--json",
                             summary, *extra)
        check("run %s exits 0" % " ".join(extra or ("without a tolerance",)), code == 0, err)
        with open(summary) as fh:
            return book, json.load(fh).get("uncertainty", {})

    # No tolerance: both ICBs breach in every sample; the size tells them apart.
    book0, u0 = study("none")
    check("the tolerance defaults to 0", u0.get("breach_tolerance") == 0, str(u0)[:200])
    for b in u0.get("breach", []):
        over, budget = EXPECTED[b["icb"]]
        check("%s: breached in every sample with no tolerance" % b["icb"],
              b["probability"] == 1 and b["samples_breached"] == int(SAMPLES), str(b))
        check("%s: baseline_budget is its budgets over the plan" % b["icb"],
              b.get("baseline_budget") == budget, str(b))
        # Pounds to the penny (the simplex meets a £1m budget to a few parts in 10^9).
        for key in ("p50_overspend", "p90_overspend"):
            check("%s: %s is £%.0f" % (b["icb"], key, over), close(b.get(key), over, 0.05),
                  str(b))
        for key in ("p50_overspend_share", "p90_overspend_share"):
            check("%s: %s is %.4f%%" % (b["icb"], key, 100 * over / budget),
                  close(b.get(key), over / budget, 1e-8), str(b))

    # A tolerance of 1 %: I2's 0.1 % is no longer a breach, but its size is still there.
    book1, u1 = study("percent", "--breach-tolerance", "1%")
    breach = {b["icb"]: b for b in u1.get("breach", [])}
    check("--breach-tolerance 1% is recorded as 0.01", u1.get("breach_tolerance") == 0.01,
          str(u1.get("breach_tolerance")))
    check("I1's 3 % overspend is a breach beyond a 1 % tolerance",
          breach.get("I1", {}).get("probability") == 1, str(breach.get("I1")))
    check("I2's 0.1 % overspend is not a breach within a 1 % tolerance",
          breach.get("I2", {}).get("probability") == 0 and
          breach["I2"]["samples_breached"] == 0, str(breach.get("I2")))
    check("I2's overspend is reported whatever the tolerance",
          close(breach.get("I2", {}).get("p50_overspend"), 4000.0, 0.05), str(breach.get("I2")))
    _, u2 = study("fraction", "--breach-tolerance", "0.01")
    check("--breach-tolerance 0.01 is the same study as 1%", u2 == u1)

    # The Uncertainty sheet: the columns in £ and %, and the note naming the tolerance.
    headers, table, notes = breach_table(book1)
    wanted = ["baseline_budget", "overspend_p50", "overspend_p90", "overspend_p50_of_budget",
              "overspend_p90_of_budget"]
    check("the breach table has the overspend columns",
          headers is not None and all(h in headers for h in wanted), str(headers))
    i1 = table.get("I1", {})
    for h in ("baseline_budget", "overspend_p50", "overspend_p90"):
        check("%s is in £" % h, "£" in i1.get(h, ("", ""))[1], str(i1.get(h)))
    for h in ("overspend_p50_of_budget", "overspend_p90_of_budget"):
        check("%s is a percentage" % h, "%" in i1.get(h, ("", ""))[1], str(i1.get(h)))
    check("the sheet's P50 overspend of I1 is £60,000",
          close(float(i1.get("overspend_p50", ("nan", ""))[0]), 60000.0, 0.05), str(i1))
    note = " ".join(notes)
    check("the note says what a breach is, the tolerance and how to set it",
          "A breach" in note and "1%" in note and "--breach-tolerance" in note, note)
    _, _, notes0 = breach_table(book0)
    check("with no tolerance the note says any overspend counts and how to set one",
          "any amount" in " ".join(notes0) and "--breach-tolerance" in " ".join(notes0),
          " ".join(notes0))

    # Values that are not a share from 0 up to 100 %: exit 2, saying why, nothing written.
    for value in ("150%", "abc", "1", "100%", "-1%", "£0.01", ""):
        out_path = os.path.join(tmp, "refused.xlsx")
        code, out, err = run("run", data, "--samples", SAMPLES, "--breach-tolerance", value,
                             "-o", out_path)
        check("--breach-tolerance '%s' is refused with exit 2" % value, code == 2,
              "exit %d, %s" % (code, err))
        check("... and the message says what it needs",
              "--breach-tolerance needs a share of the budget" in err and "1%" in err, err)
        check("... and writes nothing", not os.path.exists(out_path))
    code, out, err = run("run", data, "--breach-tolerance", "1%", "-o",
                         os.path.join(tmp, "nosamples.xlsx"))
    check("--breach-tolerance without --samples is a usage error",
          code == 2 and "--samples" in err, err)
    code, out, err = run("validate", data, "--breach-tolerance", "1%")
    check("validate does not take --breach-tolerance",
          code == 2 and "does not apply to validate" in err, err)

    # Shards keep the overspend and the tolerance; different tolerances do not merge.
    def shard(k, *extra):
        part = os.path.join(tmp, "part%d%s.json" % (k, "".join(extra).replace("%", "pc")))
        code, out, err = run("run", data, "--samples", SAMPLES, "--shard", "%d/2" % k, "-o",
                             part, "-q", *extra)
        check("shard %d/2 %s exits 0" % (k, " ".join(extra)), code == 0, err)
        return part

    part1, part2 = shard(1, "--breach-tolerance", "1%"), shard(2, "--breach-tolerance", "1%")
    with open(part1) as fh:
        written = json.load(fh)
    check("a shard file records the tolerance", written.get("breach_tolerance") == 0.01)
    check("a shard file holds each record's overspend, one per ICB",
          all(len(r.get("overspend", [])) == 2 for r in written.get("records", [])))
    merged = os.path.join(tmp, "merged")
    code, out, err = run("merge", part2, part1, "-o", merged + ".xlsx", "--json",
                         merged + ".json")
    check("merge of shards with the same tolerance exits 0", code == 0, err)
    with open(merged + ".json") as fh:
        check("merge = the single run with the same tolerance",
              json.load(fh).get("uncertainty") == u1)

    def refused(name, parts, must_say, must_name):
        out_path = os.path.join(tmp, "refused-merge.xlsx")
        code, out, err = run("merge", *parts, "-o", out_path)
        check(name + ": exit 2", code == 2, "exit %d, %s" % (code, err))
        check(name + ": the message says why", must_say in err, err)
        check(name + ": the message names " + os.path.basename(must_name), must_name in err, err)
        check(name + ": no workbook written", not os.path.exists(out_path))

    part2_none = shard(2)
    refused("shards with different tolerances", [part1, part2_none],
            "every shard must use the same --breach-tolerance", part2_none)

    stripped = os.path.join(tmp, "stripped.json")
    written["records"][0].pop("overspend")
    with open(stripped, "w") as fh:
        json.dump(written, fh)
    refused("a shard file without the overspend", [stripped, part2], "has no overspend",
            stripped)
    old = os.path.join(tmp, "old.json")
    written["format_version"] = 1
    with open(old, "w") as fh:
        json.dump(written, fh)
    refused("a shard file of the format before the overspend", [old, part2],
            "run this shard again", old)

    # The option is in the help, the manual page and the completion (one options table).
    code, out, err = run("--help")
    check("--help lists --breach-tolerance", "--breach-tolerance" in out, out[-400:])
    code, out, err = run("--help-man")
    check("the manual page lists --breach-tolerance", "breach\\-tolerance" in out)
    code, out, err = run("--help-completion")
    check("the completion offers --breach-tolerance", "--breach-tolerance" in out)

print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
