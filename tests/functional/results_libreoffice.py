#!/usr/bin/env python3
"""The results workbook as LibreOffice Calc reads it.

Runs `ALLOCOPT demo -o TMP/r.xlsx --all-scenarios --json TMP/r.json`, has LibreOffice
convert every sheet of the workbook to CSV, and checks what it read: the sheet names
in order, the Allocation and Budgets headers of FORMATS.md, figures that must equal the
JSON summary (objective and total revenue spend on the Summary, the Allocation's spend
summed, each case's objective on the Scenarios sheet), and that LibreOffice reported no
repair or error on stderr.

Every sheet goes to its own CSV file through the CSV filter's 12th option, -1, which
LibreOffice has understood since 7.2; an older LibreOffice, or none, skips the test.

Usage: results_libreoffice.py ALLOCOPT SOURCE_DIR  (SOFFICE in the environment names
another soffice)
Exit status: 0 passed, 1 failed, 77 skipped (soffice missing or older than 7.2).
"""
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

# SOURCE_DIR is taken for the same call as cli_checks.py; the demo needs no input files.
ALLOCOPT, SOURCE = sys.argv[1], sys.argv[2]
SKIP = 77
TIMEOUT = 300
# Field separator ",", text delimiter '"', UTF-8, from line 1, no column formats,
# language 0, do not quote all text, detect special numbers, values rather than as
# shown, no formulas, keep spaces, every sheet (-1).
CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'

SHEETS = ["Summary", "Allocation", "Capital", "Budgets", "Indicators", "Constraints",
          "Inputs", "Scenarios", "Charts data"]
# FORMATS.md "Outputs": the contract's columns, in order, at the start of each header.
ALLOCATION_HEADER = ["icb", "service", "provider", "year", "activity", "spend", "need",
                     "coverage"]
BUDGETS_HEADER = ["pool", "year", "kind", "available", "used", "headroom", "shadow_price"]
# The title of the Budgets sheet's block of pools added up by region.
REGION_BLOCK = "Budgets by region"
# Lines LibreOffice writes on stderr that say nothing about the file.
BENIGN_STDERR = [re.compile(r"^Warning: failed to launch javaldx")]
TROUBLE = re.compile(r"repair|corrupt|damaged|unreadable|error|invalid|exception",
                     re.IGNORECASE)
RELATIVE_TOLERANCE = 1e-12

failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else ": " + detail))
    if not condition:
        failures.append(name)
    return condition


def run(cmd, **kwargs):
    """Run cmd in its own process group; on a timeout end that group (LibreOffice
    starts a child that would otherwise outlive its launcher)."""
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, **kwargs)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        return None, out, err
    return process.returncode, out, err


def soffice_version(soffice):
    code, out, _ = run([soffice, "--version"])
    match = re.search(r"(\d+)\.(\d+)", out or "")
    return (int(match.group(1)), int(match.group(2))) if code == 0 and match else None


def number(text):
    """A value as LibreOffice exports it unformatted: 1234.5, or 38.1% for a share."""
    text = text.strip()
    if text.endswith("%"):
        return float(text[:-1]) / 100.0
    return float(text)


def close(a, b):
    return abs(a - b) <= RELATIVE_TOLERANCE * max(1.0, abs(a), abs(b))


def read_sheet(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def summary_value(rows, label):
    for row in rows:
        if row and row[0] == label:
            return number(row[1])
    raise KeyError(label)


def main():
    soffice = shutil.which(os.environ.get("SOFFICE") or "soffice")
    if soffice is None:
        print("skipped: soffice (LibreOffice) is not installed")
        return SKIP
    version = soffice_version(soffice)
    if version is None or version < (7, 2):
        print(f"skipped: LibreOffice {version} cannot export every sheet to CSV (needs 7.2)")
        return SKIP

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        workbook, summary_json = tmp / "r.xlsx", tmp / "r.json"
        code, out, err = run([ALLOCOPT, "demo", "-o", str(workbook), "--all-scenarios",
                              "--json", str(summary_json), "-q"])
        if not check("allocopt demo writes the workbook", code == 0 and workbook.exists(),
                     f"exit {code}: {err}"):
            return 1
        with open(summary_json, encoding="utf-8") as fh:
            expected = json.load(fh)

        # A private profile, so that tests running at once do not share one.
        profile = (tmp / "lo").as_uri()
        code, out, err = run([soffice, f"-env:UserInstallation={profile}", "--headless",
                              "--convert-to", CSV_FILTER, "--outdir", str(tmp), str(workbook)])
        print(out, end="")
        print(err, end="", file=sys.stderr)
        if not check("LibreOffice converts the workbook", code == 0, f"exit {code}"):
            return 1
        troubles = [line for line in err.splitlines()
                    if line.strip() and not any(p.search(line) for p in BENIGN_STDERR)
                    and TROUBLE.search(line)]
        check("LibreOffice reports no repair or error", not troubles, "; ".join(troubles))

        # "Writing sheet NAME -> FILE", one line per sheet, in the workbook's order.
        written = re.findall(r"^Writing sheet (.+?) -> (.+)$", out, re.MULTILINE)
        names = [name for name, _ in written]
        # Today's plan, when evaluated (JSON `current`), is set beside the optimal plan on
        # the Comparison sheet, after the Summary.
        sheets_expected = list(SHEETS)
        if expected.get("current") is not None:
            sheets_expected.insert(1, "Comparison")
        check("sheets in order", names == sheets_expected, f"{names}")
        files = {name: Path(path.strip()) for name, path in written}
        missing = [name for name in sheets_expected
                   if name not in files or not files[name].exists()]
        if not check("one CSV file per sheet", not missing, f"missing {missing}"):
            return 1
        sheets = {name: read_sheet(files[name]) for name in sheets_expected}

        allocation = sheets["Allocation"]
        check("Allocation header", allocation[0][:len(ALLOCATION_HEADER)] == ALLOCATION_HEADER,
              f"{allocation[0]}")
        budgets = sheets["Budgets"]
        check("Budgets header", budgets[0][:len(BUDGETS_HEADER)] == BUDGETS_HEADER,
              f"{budgets[0]}")
        # The table's rows: up to the first blank row (notes on the sheet follow it).
        table = []
        for row in budgets[1:]:
            if not any(cell.strip() for cell in row):
                break
            table.append(row)
        kinds = {row[2] for row in table if len(row) > 2}
        # Below the table: its notes, then the budgets added up by region (a titled block).
        below = budgets[1 + len(table):]
        titles = [k for k, row in enumerate(below) if row and row[0].startswith(REGION_BLOCK)]
        check("Budgets by region below the notes", len(titles) == 1, f"{len(titles)} titles")
        notes = below[:titles[0]] if titles else below
        check("Budgets notes only below the table",
              all(len(row) < 3 or not row[2].strip() for row in notes),
              "a row after the table's first blank row has a kind")
        if titles:
            regional = below[titles[0] + 1:]
            check("Budgets by region header", regional and regional[0][:3] == ["region", "year",
                                                                             "kind"],
                  f"{regional[:1]}")
            region_kinds = {row[2] for row in regional[1:] if len(row) > 2 and row[2].strip()}
            check("Budgets by region kinds", region_kinds <= kinds, f"{region_kinds}")
        check("Budgets kinds", kinds <= {"revenue", "specialised", "priority", "capital",
                                         "collaborative"} and "revenue" in kinds, f"{kinds}")

        summary = sheets["Summary"]
        objective = summary_value(summary, "Objective")
        check("Summary objective equals the JSON's", close(objective, expected["objective"]),
              f"{objective!r} against {expected['objective']!r}")
        revenue = summary_value(summary, "Total revenue spend")
        check("Summary total revenue spend equals the JSON's",
              close(revenue, expected["total_revenue_spend"]),
              f"{revenue!r} against {expected['total_revenue_spend']!r}")
        spend_col = allocation[0].index("spend")
        spend = sum(number(row[spend_col]) for row in allocation[1:] if row[spend_col])
        check("Allocation spend sums to the total revenue spend",
              abs(spend - expected["total_revenue_spend"])
              <= 1e-9 * expected["total_revenue_spend"],
              f"{spend!r} against {expected['total_revenue_spend']!r}")

        scenarios = sheets["Scenarios"]
        header = scenarios[0]
        by_name = {row[0]: row for row in scenarios[1:] if row and row[0]}
        cases = [{"name": "baseline", "objective": expected["objective"]}]
        cases += expected["scenarios"]
        for case in cases:
            row = by_name.get(case["name"])
            if not check(f"Scenarios has {case['name']}", row is not None):
                continue
            value = number(row[header.index("objective")])
            check(f"Scenarios objective of {case['name']} equals the JSON's",
                  close(value, case["objective"]), f"{value!r} against {case['objective']!r}")
            difference = number(row[header.index("objective_difference")])
            check(f"Scenarios objective_difference of {case['name']}",
                  abs(difference - (case["objective"] - expected["objective"]))
                  <= 1e-9 * max(1.0, abs(expected["objective"])), f"{difference!r}")

    print(f"{len(failures)} failure(s)" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
