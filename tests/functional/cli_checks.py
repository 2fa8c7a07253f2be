#!/usr/bin/env python3
"""Command-line behaviour of allocopt: exit codes, messages on bad input, outputs
written whole or not at all, inputs never modified.

Usage: cli_checks.py ALLOCOPT SOURCE_DIR
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ALLOCOPT, SOURCE = sys.argv[1], sys.argv[2]
EXAMPLE = os.path.join(SOURCE, "examples", "england")
failures = []


def run(*args, cwd=None):
    result = subprocess.run([ALLOCOPT, *args], capture_output=True, text=True, cwd=cwd,
                            timeout=300)
    return result.returncode, result.stdout, result.stderr


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else ": " + detail))
    if not condition:
        failures.append(name)


def digest_tree(folder):
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(folder)):
        for f in sorted(files):
            path = os.path.join(root, f)
            h.update(path.encode())
            with open(path, "rb") as fh:
                h.update(fh.read())
            h.update(str(os.stat(path).st_mtime_ns).encode())
    return h.hexdigest()


def write_input(folder, tables):
    os.makedirs(folder, exist_ok=True)
    for name, text in tables.items():
        with open(os.path.join(folder, name + ".csv"), "w", encoding="utf-8") as fh:
            fh.write(text)


GOOD = {
    "settings": "key,value\nfirst_year,2025/26\nyears,1\n",
    "icbs": "id,population\nI1,1000\n",
    "budgets": "icb,year,revenue\nI1,2025/26,1000\n",
    "services": "id,category,unit_cost,benefit\nS1,specialised,10,1\n",
    "demand": "icb,service,need,baseline\nI1,S1,50,10\n",
}

with tempfile.TemporaryDirectory() as tmp:
    code, out, err = run("--version")
    check("--version exits 0", code == 0 and out.startswith("allocopt "), out + err)
    code, out, err = run("--help")
    check("--help exits 0 and lists commands", code == 0 and "validate" in out, out + err)
    code, out, err = run()
    check("no command exits 2", code == 2, str(code))
    code, out, err = run("frobnicate")
    check("unknown command exits 2", code == 2 and "unknown command" in err, err)
    code, out, err = run("run")
    check("run without input exits 2", code == 2 and "needs an INPUT" in err, err)
    code, out, err = run("run", EXAMPLE, "--bogus")
    check("unknown option exits 2", code == 2 and "unknown option" in err, err)
    code, out, err = run("run", EXAMPLE, "--arrangement", "federal")
    check("bad arrangement exits 2", code == 2 and "delegated, joint or national" in err, err)
    code, out, err = run("run", EXAMPLE, "--solver", "cplex")
    check("unknown solver exits 2", code == 2 and "auto, glpk, clp or glpk-interior" in err, err)
    code, out, err = run("run", EXAMPLE, "--scenario", "revnue_up", "-o",
                         os.path.join(tmp, "never.xlsx"))
    check("a misspelt scenario is one error that lists the scenarios",
          code == 2 and "no scenario named 'revnue_up'" in err and "renal_growth" in err
          and "no longer valid" not in err and "1 error," in out + err, out + err)
    code, out, err = run("run", EXAMPLE, "--solver")
    check("--solver without a value exits 2", code == 2 and "needs a value" in err, err)
    code, out, err = run("run", os.path.join(tmp, "absent"))
    check("missing input exits 2 and names it", code == 2 and "absent" in err, err)

    good = os.path.join(tmp, "good")
    write_input(good, GOOD)
    code, out, err = run("validate", good)
    check("validate on a good input exits 0", code == 0 and "no errors" in out, out + err)

    before = digest_tree(good)
    out_xlsx = os.path.join(tmp, "out.xlsx")
    out_json = os.path.join(tmp, "out.json")
    code, out, err = run("run", good, "-o", out_xlsx, "--json", out_json)
    check("run on a good input exits 0", code == 0, out + err)
    check("run writes the workbook", os.path.getsize(out_xlsx) > 0 if os.path.exists(out_xlsx) else False)
    with open(out_json) as fh:
        summary = json.load(fh)
    # 1 ICB, 1 year, £1,000 buys all 50 units at £10 (£500): benefit 50.
    check("JSON objective is the hand optimum", abs(summary["objective"] - 50.0) < 1e-9,
          str(summary))
    check("JSON status", summary["status"] == "optimal", str(summary))
    check("input not modified by run", digest_tree(good) == before)

    # An output path that is an input file is refused, and the file is untouched.
    target = os.path.join(good, "budgets.csv")
    code, out, err = run("run", good, "-o", target)
    check("output over an input is refused with exit 2", code == 2 and "overwrite an input" in err,
          err)
    check("input untouched after refusal", digest_tree(good) == before)

    # An existing output survives a failed write (the folder does not exist).
    code, out, err = run("run", good, "-o", os.path.join(tmp, "no", "such", "dir.xlsx"))
    check("unwritable output exits 2", code == 2, str(code) + err)

    bad = os.path.join(tmp, "bad")
    write_input(bad, dict(GOOD, budgets="icb,year,revenue\nI1,2025/26,\"12,3x4\"\n",
                          demand="icb,service,need,baseline\nI1,S9,50,10\n"))
    code, out, err = run("validate", bad)
    check("validate lists every problem and exits 2",
          code == 2 and "'12,3x4' is not a number" in err and "S9" in err, err)
    check("message names file, table, row and column",
          "budgets.csv, table budgets, row 2, column revenue" in err, err)
    code, out, err = run("run", bad, "-o", os.path.join(tmp, "bad.xlsx"))
    check("run on bad input exits 2 and writes nothing",
          code == 2 and not os.path.exists(os.path.join(tmp, "bad.xlsx")), err)

    infeasible = os.path.join(tmp, "infeasible")
    write_input(infeasible, dict(GOOD, services="id,category,unit_cost,benefit,min_coverage\n"
                                                 "S1,specialised,100,1,0.9\n"))
    code, out, err = run("run", infeasible, "-o", os.path.join(tmp, "inf.xlsx"), "--json",
                         os.path.join(tmp, "inf.json"))
    check("infeasible input exits 1 and says why on stdout",
          code == 1 and "No plan meets every limit" in out and "no feasible plan" in err,
          out + err)
    with open(os.path.join(tmp, "inf.json")) as fh:
        summary = json.load(fh)
    check("infeasible JSON status", summary["status"] == "infeasible", str(summary))
    # 45 units at £100 against £1,000: £3,500 missing (MODEL.md rule 18).
    check("infeasible JSON funding gap", abs(summary.get("funding_gap", 0) - 3500) < 1e-3,
          str(summary.get("funding_gap")))
    check("the funding gap is said on stdout",
          "£3,500 more revenue would make the plan feasible" in out, out)
    # A sweep through infeasible points: scale 90% (written as a percentage) misses £3,600,
    # 500% fits; no "nan" anywhere.
    code, out, err = run("sweep", infeasible, "--vary", "budgets.revenue", "--from", "90%",
                         "--to", "500%", "--steps", "2", "-o", os.path.join(tmp, "sw.xlsx"))
    check("sweep --from 90% is a scale of 0.9", code == 0 and "0.9 " in out, out + err)
    check("an infeasible sweep point shows its funding gap, not nan",
          "£3,600 more" in out and "nan" not in out.lower(), out)
    with zipfile.ZipFile(os.path.join(tmp, "sw.xlsx")) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
        charts = "".join(book.read(n).decode() for n in book.namelist()
                         if n.startswith("xl/charts/chart"))
    check("the Frontier sheet has a funding gap column holding £3,600 for 90%",
          "funding gap" in strings and "<v>3600</v>" in sheet, sheet[:400])
    check("the frontier charts' axes read in £m and %, not 1000000000",
          'formatCode="£#,##0,,&quot;m&quot;"' in charts and 'formatCode="0%"' in charts,
          charts[:400])

    # With an arrangements table the console names no single arrangement, and says what
    # the plan gains against today's allocation.
    mix = os.path.join(SOURCE, "tests", "data", "oracle_v3", "arrangement_mix")
    code, out, err = run("run", mix, "-o", os.path.join(tmp, "mix.xlsx"))
    check("the console says arrangements are by service, ICB and year",
          code == 0 and "by service, ICB and year" in out, out + err)
    check("the console compares the plan with today's allocation",
          "against today" in out and "than today's allocation" in out, out)

    lp = os.path.join(tmp, "model.lp")
    code, out, err = run("run", good, "-o", out_xlsx, "--lp", lp, "-q")
    with open(lp) as fh:
        text = fh.read()
    check("--lp writes CPLEX LP format", code == 0 and "Maximize" in text and "Subject To" in text,
          text[:200])
    check("-q prints nothing on success", out == "", out)

    code, out, err = run("demo", "-o", os.path.join(tmp, "demo.xlsx"))
    check("demo exits 0 and prints the headline", code == 0 and "objective" in out, out + err)
    check("the headline prints money in millions (£1,451.0m), not £1451000000",
          re.search(r"revenue spend +£[0-9]{1,3}(,[0-9]{3})*\.[0-9]m\n", out) is not None, out)

    # Options: getopt_long over one table; values may be joined with '='.
    code, out, err = run("run", good, "--output=" + os.path.join(tmp, "eq.xlsx"), "-q")
    check("--output=FILE is accepted", code == 0 and os.path.exists(os.path.join(tmp, "eq.xlsx")),
          err)
    code, out, err = run("run", good, "-o")
    check("-o without a value exits 2", code == 2 and "needs a value" in err, err)
    code, out, err = run("validate", good, "--json", os.path.join(tmp, "v.json"))
    check("an option a command does not take exits 2 and says so",
          code == 2 and "does not apply to validate" in err, err)
    code, out, err = run("run", good, "--s", "x")
    check("an ambiguous abbreviation exits 2 and lists the options",
          code == 2 and "ambiguous" in err and "--seed" in err, err)
    code, out, err = run("--help-man")
    check("--help-man prints the manual page with every option of --help",
          code == 0 and out.startswith(".\\\"") and ".TH ALLOCOPT 1" in out
          and all(word.replace("-", "\\-") in out
                  for word in ("--output", "--force", "--all-scenarios", "--shard")), out[:300])

    # No lost work: an output never replaces a file allocopt did not write as an output
    # unless --force is given; its own earlier outputs are replaced freely.
    notes = os.path.join(tmp, "notes.xlsx")
    with open(notes, "w") as fh:
        fh.write("the analyst's own notes\n")
    code, out, err = run("run", good, "-o", notes)
    check("run -o over a file that is not an allocopt output exits 2",
          code == 2 and "exists and is not an allocopt output; use --force" in err, err)
    with open(notes, "rb") as fh:
        check("that file is untouched", fh.read() == b"the analyst's own notes\n")
    code, out, err = run("run", good, "-o", out_xlsx, "--json", notes)
    check("--json over a foreign file exits 2", code == 2 and "--force" in err, err)
    code, out, err = run("run", good, "-o", out_xlsx, "--lp", notes)
    check("--lp over a foreign file exits 2", code == 2 and "--force" in err, err)
    code, out, err = run("sweep", good, "--vary", "budgets.revenue", "--steps", "2", "-o", notes)
    check("sweep -o over a foreign file exits 2", code == 2 and "--force" in err, err)
    code, out, err = run("template", notes)
    check("template over a foreign file exits 2", code == 2 and "--force" in err, err)
    code, out, err = run("run", good, "-o", notes, "-q", "--force")
    check("--force replaces it", code == 0 and zipfile.is_zipfile(notes), err)

    code, out, err = run("run", good, "-o", out_xlsx, "--json", out_json, "--lp", lp, "-q")
    check("run over its own earlier workbook, JSON and LP needs no --force", code == 0, err)
    with open(out_json) as fh:
        check("the JSON summary carries allocopt_version",
              isinstance(json.load(fh).get("allocopt_version"), str))
    code, out, err = run("demo", "-q", "-o", os.path.join(tmp, "demo.xlsx"))
    check("demo over its own earlier workbook needs no --force", code == 0, err)
    code, out, err = run("validate", os.path.join(tmp, "demo.xlsx"))
    check("a results workbook given as input says so and how to go on",
          code == 2 and "this is an allocopt results workbook" in err
          and "give the input workbook or folder" in err and "missing" not in err, err)
    sweep_out = os.path.join(tmp, "sweep.xlsx")
    for attempt in ("first", "second"):
        code, out, err = run("sweep", good, "--vary", "budgets.revenue", "--steps", "2", "-q",
                             "-o", sweep_out)
        check("sweep over its own earlier frontier (%s run) exits 0" % attempt, code == 0, err)
    empty = os.path.join(tmp, "empty.xlsx")
    open(empty, "w").close()
    code, out, err = run("run", good, "-o", empty, "-q")
    check("an empty file (mktemp) is replaced without --force", code == 0, err)

    book = os.path.join(tmp, "book.xlsx")
    code, out, err = run("template", book, "-q")
    check("template writes a new workbook", code == 0 and os.path.exists(book), err)
    before_book = hashlib.sha256(open(book, "rb").read()).hexdigest()
    code, out, err = run("template", book)
    check("template over an earlier template (perhaps filled in) exits 2",
          code == 2 and "use --force" in err, err)
    code, out, err = run("run", good, "-o", book)
    check("run -o over an input template exits 2", code == 2 and "use --force" in err, err)
    check("the template is untouched",
          hashlib.sha256(open(book, "rb").read()).hexdigest() == before_book)
    code, out, err = run("template", book, "--example", "--force", "-q")
    check("template --force replaces it", code == 0, err)
    code, out, err = run("template", out_xlsx, "-q")
    check("template over a results workbook needs no --force", code == 0, err)

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
