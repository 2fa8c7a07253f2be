#!/usr/bin/env python3
"""Write the bad-input catalogue: one folder per case under tests/bad/.

    python3 tests/bad/make_catalogue.py            # (re)write every case
    python3 tests/bad/make_catalogue.py --check    # fail if a committed case differs

Each case folder holds its input -- `input/` (CSV files), `input.xlsx`, or
`recipe.py` (which makes the input at test time, for inputs too large to keep in
the repository) -- and `expect.txt` (see README.md). The committed files are
what run_bad_inputs.py tests; this script is how they were made, so that a case
can be changed by editing its line here and running the script again.

Most CSV cases are the small valid input BASE with one table changed.
"""
import os
import random
import shutil
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xlsxbuild  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# A small valid input: 2 ICBs, 2 services, a two-year horizon. It solves (exit 0).
BASE = {
    "settings": "key,value\nname,Catalogue base\nfirst_year,2025/26\nyears,2\n",
    "icbs": "id,name,population\nI1,North ICB,1000\nI2,South ICB,2000\n",
    "budgets": ("icb,year,revenue\nI1,2025/26,5000\nI1,2026/27,5000\n"
                "I2,2025/26,9000\nI2,2026/27,9000\n"),
    "services": ("id,name,category,unit_cost,benefit\nS1,Renal,specialised,10,2\n"
                 "S2,Urgent care,priority,5,1\n"),
    "demand": ("icb,service,need,baseline\nI1,S1,100,20\nI1,S2,100,20\n"
               "I2,S1,150,30\nI2,S2,150,30\n"),
}

PROVIDERS = "id,name,icb\nP1,North Trust,I1\nP2,South Trust,I2\n"
CAPACITY = "provider,service,capacity\nP1,S1,200\nP2,S1,200\n"
THREE_SERVICES = ("id,name,category,unit_cost,benefit\nS1,Renal,specialised,10,2\n"
                  "S2,Urgent care,priority,5,1\nS3,Smoking cessation,priority,1,1\n")
SCENARIO_HEAD = "scenario,table,column,key,op,value\n"
ALL_SCENARIOS = ["RUN-ARGS: --all-scenarios"]

CASES = []


def garbage(seed, lowest, length=3000):
    """Reproducible random bytes from lowest to 255."""
    rng = random.Random(seed)
    return bytes(rng.randrange(lowest, 256) for _ in range(length))


def case(name, code, expect, files=None, xlsx=None, recipe=None, directives=()):
    """Register a case. files: tables changed from BASE ({table: text or bytes}, None
    removes; names with a dot are used as file names as they are)."""
    CASES.append(dict(name=name, code=code, expect=expect, files=files, xlsx=xlsx,
                      recipe=recipe, directives=list(directives)))


def where(table, row=None, column=None, workbook=False):
    """The substrings that place a problem: file, table, row, column."""
    out = ["input.xlsx" if workbook else f"input/{table}.csv", f"table {table}"]
    if row is not None:
        out.append(f"row {row}")
    if column is not None:
        out.append(f"column {column}")
    return out


# ---------------------------------------------------------------- CSV: reading the text

case("01-truncated-file", 2,
     where("budgets", 5, "year") + ["'20' is not a year", "column revenue",
                                    "revenue is required but the cell is empty"],
     {"budgets": "icb,year,revenue\nI1,2025/26,5000\nI1,2026/27,5000\nI2,2025/26,9000\nI2,20"})
case("02-truncated-inside-quotes", 2,
     where("icbs", 3) + ["a quoted cell that starts on row 3 is never closed"],
     {"icbs": 'id,name,population\nI1,North ICB,1000\nI2,"South IC'})
case("03-semicolon-delimiter", 2,
     where("budgets") + ["the headings read as one column 'icb;year;revenue'",
                         "separated by semicolons", "save it as CSV with commas"],
     {"budgets": BASE["budgets"].replace(",", ";")})
case("04-unbalanced-quote-unclosed", 2,
     where("icbs", 2) + ["a quoted cell that starts on row 2 is never closed",
                         "closing quote"],
     {"icbs": 'id,name,population\nI1,"North ICB,1000\nI2,South ICB,2000\n'})
case("05-unbalanced-quote-inside-cell", 2,
     where("icbs", 2) + ["row 2 has a misplaced quote", 'written twice ("")'],
     {"icbs": 'id,name,population\nI1,North "ICB",1000\nI2,South ICB,2000\n'})
case("06-binary-garbage", 2,
     where("demand", 1) + ["not valid UTF-8", "misplaced quote"],
     {"demand": garbage(7, 1)})
case("07-binary-garbage-with-nul", 2,
     where("demand", 1) + ["contains a NUL byte", "not a plain CSV text file"],
     {"demand": garbage(11, 0)})
case("08-empty-file", 2, where("demand") + ["the file is empty"], {"demand": b""})
case("09-bom-only", 2, where("demand") + ["the file is empty"], {"demand": b"\xef\xbb\xbf"})
case("10-blank-lines-only", 2, where("demand") + ["holds only blank lines", "column headings"],
     {"demand": b"\n\n   \n\r\n"})
case("11-headers-only-icbs", 2, where("icbs") + ["the icbs table has no rows"],
     {"icbs": "id,name,population\n"})
case("12-headers-only-budgets", 2,
     where("budgets") + ["ICB I1 has no budgets row for 2025/26",
                         "ICB I2 has no budgets row for 2026/27"],
     {"budgets": "icb,year,revenue\n"})
case("13-headers-only-demand", 2, where("demand") + ["demand", "no rows"],
     {"demand": "icb,service,need,baseline\n"})
case("14-duplicate-headers", 2,
     where("demand", 1, 4) + ["heading 'Need'", "repeats the heading of column 3"],
     {"demand": ("icb,service,need,Need,baseline\nI1,S1,100,1,20\nI1,S2,100,1,20\n"
                 "I2,S1,150,1,30\nI2,S2,150,1,30\n")})
case("15-value-under-empty-heading", 2,
     where("demand", 3, 3) + ["column 3 (column C in a spreadsheet) has no heading",
                              "row 3 has a value in it"],
     {"demand": ("icb,service,,need,baseline\nI1,S1,,100,20\nI1,S2,x,100,20\n"
                 "I2,S1,,150,30\nI2,S2,,150,30\n")})
case("16-more-cells-than-headings", 2,
     where("demand", 4, 5) + ["row 4 has 5 cells but the header has 4 columns",
                              "column E in a spreadsheet"],
     {"demand": ("icb,service,need,baseline\nI1,S1,100,20\nI1,S2,100,20\n"
                 "I2,S1,150,30,99\nI2,S2,150,30\n")})
case("17-duplicate-table-files", 2,
     where("budgets") + ["BUDGETS.CSV also holds table budgets", "keep only one"],
     {"BUDGETS.CSV": BASE["budgets"]})
case("18-folder-without-csv-files", 2, ["input", "the folder holds no CSV files"],
     {**{t: None for t in BASE}, "README.txt": "The tables were never exported.\n"})

# ---------------------------------------------------------------- CSV: encodings

ICBS = "id,name,population\nI1,North ICB,1000\nI2,South ICB,2000\n"
case("19-utf16-with-bom", 2, where("icbs") + ["saved as UTF-16 text", "CSV UTF-8"],
     {"icbs": ICBS.encode("utf-16")})
case("20-utf16-without-bom", 2, where("icbs", 1) + ["contains a NUL byte", "UTF-16"],
     {"icbs": ICBS.encode("utf-16-be")})
case("21-nul-byte", 2, where("icbs", 3) + ["row 3 contains a NUL byte"],
     {"icbs": b"id,name,population\nI1,North ICB,1000\nI2,South\x00ICB,2000\n"})
case("22-invalid-utf8-windows-pound", 2,
     where("budgets", 3, "revenue") + ["not valid UTF-8", "byte 0xA3",
                                       "pound sign in the Windows encoding"],
     {"budgets": (b"icb,year,revenue\nI1,2025/26,5000\nI1,2026/27,\xa35000\n"
                  b"I2,2025/26,9000\nI2,2026/27,9000\n")})
case("23-invalid-utf8-overlong", 2,
     where("icbs", 2, "id") + ["not valid UTF-8", "byte 0xC0"],
     {"icbs": b"id,name,population\nI\xc0\xb1,North ICB,1000\nI2,South ICB,2000\n"})
case("24-cr-only-line-endings", 0, [],
     {"icbs": ICBS.replace("\n", "\r"), "budgets": BASE["budgets"].replace("\n", "\r")},
     directives=["NOTE: CR-only line endings (old Mac 'CSV (Macintosh)') are read as line "
                 "breaks: accepted, as LF and CRLF are"])
case("25-cr-only-line-endings-row-numbers", 2,
     where("budgets", 4, "revenue") + ["'9,0000' is not a number"],
     {"budgets": BASE["budgets"].replace("I2,2025/26,9000", 'I2,2025/26,"9,0000"')
      .replace("\n", "\r")},
     directives=["NOTE: with CR-only line endings, rows are still numbered as a spreadsheet "
                 "shows them"])
case("26-10000-column-row", 2,
     where("icbs", 3, 4) + ["row 3 has 10003 cells but the header has 3 columns"],
     {"icbs": "id,name,population\nI1,North ICB,1000\nI2,South ICB,2000" + ",x" * 10000 + "\n"})
case("27-10000-column-header", 2,
     where("icbs", column="c0") + ["unknown column 'c0' is ignored", "more problems not shown",
                                   "input/demand.csv", "'I3' is not in the icbs table"],
     {"icbs": ("id,name,population" + "".join(f",c{k}" for k in range(10000)) +
               "\nI1,North ICB,1000\nI2,South ICB,2000\n"),
      "demand": BASE["demand"] + "I3,S1,1,1\n"})

# ---------------------------------------------------------------- CSV: values

case("28-huge-number-1e400", 2,
     where("budgets", 2, "revenue") + ["'1e400' is not a finite number"],
     {"budgets": BASE["budgets"].replace("I1,2025/26,5000", "I1,2025/26,1e400")})
case("29-nan-and-infinity", 2,
     where("demand", 2, "need") + ["'NaN' is not a finite number", "row 3", "column baseline",
                                   "'inf' is not a finite number", "row 4",
                                   "'-Infinity' is not a finite number"],
     {"demand": ("icb,service,need,baseline\nI1,S1,NaN,20\nI1,S2,100,inf\n"
                 "I2,S1,-Infinity,30\nI2,S2,150,30\n")})
case("30-negative-budget", 2,
     where("budgets", 2, "revenue") + ["revenue cannot be negative (-5000)"],
     {"budgets": BASE["budgets"].replace("I1,2025/26,5000", "I1,2025/26,-5000")})
case("31-coverage-above-one", 2,
     where("services", 2, "min_coverage") + ["must be between 0 and 1", "not 1.5", "row 3",
                                             "not 150%"],
     {"services": ("id,name,category,unit_cost,benefit,min_coverage\n"
                   "S1,Renal,specialised,10,2,1.5\nS2,Urgent care,priority,5,1,150%\n")})
case("32-not-a-number", 2,
     where("budgets", 2, "revenue") + ["'12,3x4' is not a number", "row 3", "'1,23' is not",
                                       "row 4", "'£12%' is not a number"],
     {"budgets": ('icb,year,revenue\nI1,2025/26,"12,3x4"\nI1,2026/27,"1,23"\n'
                  "I2,2025/26,£12%\nI2,2026/27,9000\n")})
case("33-required-cell-empty", 2,
     where("demand", 3, "need") + ["need is required but the cell is empty"],
     {"demand": BASE["demand"].replace("I1,S2,100,20", "I1,S2,,20")})
case("34-specialised-above-revenue", 2,
     where("budgets", 2, "specialised") + ["larger than the revenue budget"],
     {"budgets": ("icb,year,revenue,specialised\nI1,2025/26,5000,6000\nI1,2026/27,5000,\n"
                  "I2,2025/26,9000,\nI2,2026/27,9000,\n")})
case("35-growth-minus-100-percent", 2,
     where("services", 3, "growth") + ["growth must be above -100%"],
     {"services": ("id,name,category,unit_cost,benefit,growth\nS1,Renal,specialised,10,2,2%\n"
                   "S2,Urgent care,priority,5,1,-100%\n")})
case("36-unknown-category", 2,
     where("services", 3, "category") + ["category must be specialised or priority",
                                         "'ICB priority'"],
     {"services": BASE["services"].replace("priority,5", "ICB priority,5")})
case("37-not-yes-or-no", 2,
     where("providers", 2, "centre_of_excellence") + ["'perhaps' is not yes or no"],
     {"providers": "id,name,icb,centre_of_excellence\nP1,North Trust,I1,perhaps\n"})

# ---------------------------------------------------------------- CSV: years

case("38-year-outside-horizon", 2,
     where("budgets", 6, "year") + ["year 2031/32 is outside the plan's horizon",
                                    "2025/26 to 2026/27"],
     {"budgets": BASE["budgets"] + "I2,2031/32,9000\n"})
case("39-year-not-a-year", 2,
     where("budgets", 3, "year") + ["'2026/28' is not a year", "row 5", "'FY26' is not a year"],
     {"budgets": ("icb,year,revenue\nI1,2025/26,5000\nI1,2026/28,5000\n"
                  "I2,2025/26,9000\nI2,FY26,9000\n")})
case("40-rule-year-outside-horizon", 2,
     where("rules", 2, "year") + ["year 2040 is outside the plan's horizon"],
     {"rules": "name,scope,applies_to,year,kind,value\nfloor,*,*,2040,min_share,0.1\n"})

# ---------------------------------------------------------------- CSV: ids and links

case("41-demand-unknown-service", 2,
     where("demand", 6, "service") + ["service 'S9' is not in the services table"],
     {"demand": BASE["demand"] + "I2,S9,1,1\n"})
case("42-budget-unknown-icb", 2,
     where("budgets", 6, "icb") + ["ICB 'I9' is not in the icbs table"],
     {"budgets": BASE["budgets"] + "I9,2025/26,1\n"})
case("43-provider-hosted-by-unknown-icb", 2,
     where("providers", 3, "icb") + ["host ICB 'I7' is not in the icbs table"],
     {"providers": "id,name,icb\nP1,North Trust,I1\nP2,South Trust,I7\n"})
case("44-capacity-unknown-provider", 2,
     where("capacity", 3, "provider") + ["provider 'P9' is not in the providers table"],
     {"providers": PROVIDERS, "capacity": "provider,service,capacity\nP1,S1,200\nP9,S1,200\n"})
case("45-access-unknown-provider", 2,
     where("access", 2, "provider") + ["provider 'P3' is not in the providers table"],
     {"providers": PROVIDERS, "access": "icb,provider\nI1,P3\n"})
case("46-prevention-cycle", 2,
     where("prevention") + ["prevention links form a cycle", "S1 -> S3 -> S2 -> S1"],
     {"services": THREE_SERVICES,
      "prevention": "service,target,effect\nS3,S2,0.1\nS2,S1,0.1\nS1,S3,0.1\n"})
case("47-prevention-self-link", 2,
     where("prevention", 2, "target") + ["service S2 cannot prevent its own need"],
     {"prevention": "service,target,effect\nS2,S2,0.05\n"})
case("48-prevention-unknown-target", 2,
     where("prevention", 2, "target") + ["target service 'S7' is not in the services table"],
     {"prevention": "service,target,effect\nS2,S7,0.05\n"})
case("49-prevention-link-twice", 2,
     where("prevention", 3, "target") + ["the link S2 -> S1 is given twice"],
     {"prevention": "service,target,effect\nS2,S1,0.05\ns2,s1,0.01\n"})

# ---------------------------------------------------------------- CSV: tables, columns, keys

case("50-missing-required-table", 2,
     ["input", "table budgets", "the required table 'budgets' is missing"], {"budgets": None})
case("51-missing-required-column", 2,
     where("services") + ["the required column 'unit_cost' is missing"],
     {"services": "id,name,category,benefit\nS1,Renal,specialised,2\nS2,Urgent care,priority,1\n"})
case("52-duplicate-icb-id", 2,
     where("icbs", 4, "id") + ["ICB 'i1' appears more than once", "ignoring case"],
     {"icbs": ICBS + "i1,Again,5\n"})
case("53-duplicate-demand-row", 2,
     where("demand", 6, "service") + ["ICB I2 already has a demand row for service S2 (row 5)"],
     {"demand": BASE["demand"] + "i2,s2,1,1\n"})
case("54-duplicate-budget-row", 2,
     where("budgets", 6, "year") + ["ICB I2 already has a budgets row for 2026/27 (row 5)"],
     {"budgets": BASE["budgets"] + "I2,2026,9000\n"})
case("55-duplicate-capacity-row", 2,
     where("capacity", 3, "service") + ["provider P1 already has a capacity row for service S1"],
     {"providers": PROVIDERS, "capacity": "provider,service,capacity\nP1,S1,200\nP1,S1,100\n"})

# ---------------------------------------------------------------- CSV: settings

SETTINGS = "key,value\nname,Catalogue base\nfirst_year,2025/26\nyears,2\n"
case("56-settings-years-zero", 2,
     where("settings", 4, "value") + ["must be greater than zero, not 0"],
     {"settings": SETTINGS.replace("years,2", "years,0")})
case("57-settings-years-not-whole", 2,
     where("settings", 4, "value") + ["must be a whole number, not 2.5"],
     {"settings": SETTINGS.replace("years,2", "years,2.5")})
case("58-settings-years-too-many", 2,
     where("settings", 4, "value") + ["years must be at most 50, not 500"],
     {"settings": SETTINGS.replace("years,2", "years,500")})
case("59-settings-first-year-missing", 2,
     where("settings") + ["the setting first_year is missing"],
     {"settings": "key,value\nyears,2\n"})
case("60-settings-bad-choices", 2,
     where("settings", 5, "value") + ["objective must be benefit or cost, not 'profit'", "row 6",
                                      "arrangement must be delegated, joint or national"],
     {"settings": SETTINGS + "objective,profit\narrangement,federal\n"})
case("61-settings-discount-rate-150-percent", 2,
     where("settings", 5, "value") + ["discount_rate 150% is 100% or more"],
     {"settings": SETTINGS + "discount_rate,150%\n"})
case("62-settings-given-twice", 2,
     where("settings", 5, "key") + ["setting 'years' is given twice (first in row 4)"],
     {"settings": SETTINGS + "YEARS,3\n"})

# ---------------------------------------------------------------- CSV: rules

RULES_HEAD = "name,scope,applies_to,year,kind,value\n"
case("63-rule-unknown-scope", 2,
     where("rules", 2, "scope") + ["scope must be * (each ICB), all (all ICBs together) or an "
                                   "ICB id", "'ICB9' is none of these"],
     {"rules": RULES_HEAD + "floor,ICB9,*,,min_share,0.1\n"})
case("64-rule-unknown-kind", 2,
     where("rules", 2, "kind") + ["kind must be min_spend, max_spend, min_share or max_share",
                                  "not 'minimum'"],
     {"rules": RULES_HEAD + "floor,*,*,,minimum,0.1\n"})
case("65-rule-bad-applies-to", 2,
     where("rules", 2, "applies_to") + ["category:cancer is not a category", "row 3",
                                        "applies_to must be *, category:X, programme:X or "
                                        "service:X, not 'renal'", "row 4",
                                        "service 'S9' is not in the services table"],
     {"rules": RULES_HEAD + ("floor,*,category:cancer,,min_share,0.1\n"
                             "f2,*,renal,,min_share,0.1\nf3,*,service:S9,,min_spend,1\n")})
case("66-rule-share-above-one", 2,
     where("rules", 2, "value") + ["must be between 0 and 1", "not 120%"],
     {"rules": RULES_HEAD + "floor,*,*,,min_share,120%\n"})
case("67-rule-name-twice", 2,
     where("rules", 3, "name") + ["rule 'Floor' appears more than once"],
     {"rules": RULES_HEAD + "floor,*,*,,min_share,0.1\nFloor,all,*,,max_share,0.9\n"})

# ---------------------------------------------------------------- CSV: scenarios

case("68-scenario-unknown-table", 2,
     where("scenarios", 2, "table") + ["scenarios cannot change table 'budget'"],
     {"scenarios": SCENARIO_HEAD + "s,budget,revenue,I1/2025,scale,1.1\n"},
     directives=ALL_SCENARIOS)
case("69-scenario-unknown-column", 2,
     where("scenarios", 2, "column") + ["column 'revnue' is not in table budgets"],
     {"scenarios": SCENARIO_HEAD + "s,budgets,revnue,I1/2025,scale,1.1\n"},
     directives=ALL_SCENARIOS)
case("70-scenario-unknown-key", 2,
     where("scenarios", 2, "key") + ["no row of table budgets matches key 'I9/2025'"],
     {"scenarios": SCENARIO_HEAD + "s,budgets,revenue,I9/2025,scale,1.1\n"},
     directives=ALL_SCENARIOS)
case("71-scenario-bad-op", 2,
     where("scenarios", 2, "op") + ["op must be set, scale or add, not 'multiply'"],
     {"scenarios": SCENARIO_HEAD + "s,budgets,revenue,I1/2025,multiply,1.1\n"},
     directives=ALL_SCENARIOS)
case("72-scenario-value-not-a-number", 2,
     where("scenarios", 2, "value") + ["'ten' is not a number, so it cannot scale a cell"],
     {"scenarios": SCENARIO_HEAD + "s,budgets,revenue,I1/2025,scale,ten\n"},
     directives=ALL_SCENARIOS)
case("73-scenario-row-incomplete", 2,
     where("scenarios", 2, "key") + ["this scenario row is incomplete"],
     {"scenarios": SCENARIO_HEAD + "s,budgets,revenue,,scale,1.1\n"},
     directives=ALL_SCENARIOS)
case("74-scenario-key-wrong-shape", 2,
     where("scenarios", 2, "key") + ["key 'I1' does not fit table budgets"],
     {"scenarios": SCENARIO_HEAD + "s,budgets,revenue,I1,scale,1.1\n"},
     directives=ALL_SCENARIOS)
case("75-scenario-overflow", 2,
     where("scenarios", 2, "value") + ["the result of scale is not a finite number"],
     {"scenarios": SCENARIO_HEAD + "s,budgets,revenue,I1/2025,scale,1e308\n"},
     directives=ALL_SCENARIOS)
case("76-scenario-makes-input-invalid", 2,
     ["input/budgets.csv", "table budgets", "row 2", "column revenue",
      "revenue cannot be negative", "scenario cut"],
     {"scenarios": SCENARIO_HEAD + "cut,budgets,revenue,I1/2025,add,-1e6\n"},
     directives=ALL_SCENARIOS)
case("77-scenario-changes-scenarios", 2,
     where("scenarios", 2, "table") + ["scenarios cannot change table 'scenarios'"],
     {"scenarios": SCENARIO_HEAD + "s,scenarios,value,x,set,1\n"},
     directives=ALL_SCENARIOS)
case("78-scenario-settings-with-65-columns", 0, [],
     {"settings": ("key,value" + "".join(f",note{k}" for k in range(63)) + "\n"
                   "name,Catalogue base\nfirst_year,2025/26\nyears,2\n"),
      "scenarios": SCENARIO_HEAD + "s,settings,value,discount_rate,set,3.5%\n"},
     directives=ALL_SCENARIOS + [
         "NOTE: a scenario that sets a setting missing from a settings table of more than 64 "
         "columns once crashed run --all-scenarios (a fixed 64-cell row in models/scenario.c, "
         "and run going on to solve a scenario whose model had not been built); the setting "
         "is now added whatever the width, and the scenario solves"])

# ---------------------------------------------------------------- CSV: accepted on purpose

INJECTION = ('id,name,population\nI1,"=HYPERLINK(""http://example.com/x"",""Click"")",1000\n'
             "I2,+cmd|' /C calc'!A0,2000\n")
case("79-formula-injection-names-csv", 0, [],
     {"icbs": INJECTION, "services": BASE["services"].replace("Urgent care", "@SUM(1+1)")},
     directives=["NO-FORMULAS",
                 'OUTPUT-TEXT: =HYPERLINK("http://example.com/x","Click")',
                 "OUTPUT-TEXT: +cmd|' /C calc'!A0",
                 "OUTPUT-TEXT: @SUM(1+1)",
                 "NOTE: names that look like formulas are text: accepted, and written to the "
                 "results workbook as text, never as formulas"])
case("80-100mb-cell-csv", 2,
     where("icbs", 3, "population") + ["is not a number"],
     recipe="csv_big_cell",
     directives=["NOTE: made at test time by recipe.py (100 MB is not kept in the repository)",
                 "TIMEOUT: 60", "MAX-STDERR-BYTES: 100000"])

# ---------------------------------------------------------------- workbooks


def book(changes=None):
    """Parts of the BASE workbook, with tables changed ({table: text, rows or None})."""
    tables = dict(BASE)
    for name, value in (changes or {}).items():
        if value is None:
            tables.pop(name, None)
        else:
            tables[name] = value
    return xlsxbuild.workbook(tables)


def replace_in(parts, part, old, new):
    parts = dict(parts)
    text = parts[part]
    assert old in text, (part, old)
    parts[part] = text.replace(old, new, 1)
    return parts


def sheet_of(parts, table):
    return xlsxbuild.sheet_part(parts, table)


def good_zip_bytes():
    return xlsxbuild.pack(book())


XW = dict(workbook=True)

case("81-xlsx-not-a-zip", 2, ["input.xlsx", "not a zip archive"],
     xlsx=BASE["budgets"].encode())
case("82-xlsx-empty-file", 2, ["input.xlsx", "the file is empty"], xlsx=b"")
case("83-xlsx-old-xls-signature", 2, ["input.xlsx", "Excel 97-2003"],
     xlsx=bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 504)
case("84-xlsx-zip-not-a-workbook", 2, ["input.xlsx", "xl/workbook.xml"],
     xlsx=xlsxbuild.pack({"budgets.csv": BASE["budgets"].encode()}))
case("85-xlsx-truncated-zip", 2, ["input.xlsx", "zip archive"],
     xlsx=good_zip_bytes()[:1500])


def broken_sheet():
    parts = book()
    part = sheet_of(parts, "budgets")
    return replace_in(parts, part, b"</row>", b"</rwo>")


case("86-xlsx-sheet-xml-broken", 2,
     ["input.xlsx", "table budgets", "sheet 'budgets'", "is not valid XML",
      "mismatched tag", "line 2"],
     xlsx=xlsxbuild.pack(broken_sheet()))
case("87-xlsx-workbook-xml-broken", 2,
     ["input.xlsx", "xl/workbook.xml", "is not valid XML"],
     xlsx=xlsxbuild.pack(replace_in(book(), "xl/workbook.xml", b"</sheets>", b"<sheets>")))


def zip_bomb(lie_about_size):
    """The budgets sheet followed by 300 MB of spaces, compressed with bzip2 to ~1 KB.

    With lie_about_size the zip directory says the part is 1 KB, so the reader must
    count the bytes as it inflates them rather than trust the directory."""
    parts = book()
    part = sheet_of(parts, "budgets")
    parts[part] = parts[part].replace(b"</sheetData>", b"</sheetData>" + b" " * (300 << 20))
    data = xlsxbuild.pack(parts, methods={part: zipfile.ZIP_BZIP2})
    if lie_about_size:
        true_size = (len(parts[part])).to_bytes(4, "little")
        assert data.count(true_size) == 2  # local header and central directory
        data = data.replace(true_size, (1024).to_bytes(4, "little"))
    return data


case("88-xlsx-zip-bomb", 2,
     ["input.xlsx", "table budgets", "more than 256 MB once uncompressed", "zip bomb"],
     xlsx=zip_bomb(False))
case("89-xlsx-zip-bomb-lying-directory", 2,
     ["input.xlsx", "table budgets", "more than 256 MB once uncompressed", "zip bomb"],
     xlsx=zip_bomb(True))

LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;")
                                                   * 10) for k in range(1, 10))
          + b"]>")


def laughs_parts():
    parts = book()
    part = sheet_of(parts, "icbs")
    text = parts[part].replace(b"?>\n", b"?>\n" + LAUGHS, 1)
    text = text.replace(b"</sheetData>", b'<row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;'
                        b"</t></is></c></row></sheetData>", 1)
    parts[part] = text
    return parts


def xxe_parts():
    parts = book()
    part = sheet_of(parts, "icbs")
    text = parts[part].replace(
        b"?>\n", b'?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', 1)
    text = text.replace(b"</sheetData>", b'<row r="9"><c r="A9" t="inlineStr"><is><t>&secret;'
                        b"</t></is></c></row></sheetData>", 1)
    parts[part] = text
    return parts


case("90-xlsx-billion-laughs", 2,
     ["input.xlsx", "table icbs", "sheet 'icbs'", "DOCTYPE or entity declaration", "refused"],
     xlsx=xlsxbuild.pack(laughs_parts()))
case("91-xlsx-external-entity", 2,
     ["input.xlsx", "table icbs", "DOCTYPE or entity declaration", "refused"],
     xlsx=xlsxbuild.pack(xxe_parts()))
case("92-xlsx-100mb-cell", 2,
     ["input.xlsx", "table icbs", "row 3", "cell B3", "more than 32767 characters"],
     recipe="xlsx_big_cell",
     directives=["NOTE: made at test time by recipe.py (the workbook holds a 100 MB inline "
                 "string)"])


def sheet_edit(table, old, new, changes=None):
    parts = book(changes)
    return xlsxbuild.pack(replace_in(parts, sheet_of(parts, table), old, new))


case("93-xlsx-cell-past-last-column", 2,
     ["input.xlsx", "table icbs", "row 2", "XFE2", "past Excel's last column"],
     xlsx=sheet_edit("icbs", b'<c r="C2">', b'<c r="XFE2">'))
case("94-xlsx-row-past-last-row", 2,
     ["input.xlsx", "table icbs", "past Excel's last row"],
     xlsx=sheet_edit("icbs", b'<row r="3">', b'<row r="1048577">'))
def rows_swapped():
    """The icbs sheet with its two data rows written in the wrong order (row 3, then 2)."""
    parts = book()
    part = sheet_of(parts, "icbs")
    text = parts[part].decode()
    head, rest = text.split('<row r="2">', 1)
    row2, rest = rest.split("</row>", 1)
    row3, tail = rest.split("</row>", 1)
    parts[part] = (head + row3 + "</row>" + '<row r="2">' + row2 + "</row>" + tail).encode()
    return parts


case("95-xlsx-rows-out-of-order", 2,
     ["input.xlsx", "table icbs", "row 2", "row 2 comes after row 3", "rows must be in order"],
     xlsx=xlsxbuild.pack(rows_swapped()))
case("96-xlsx-shared-string-out-of-range", 2,
     ["input.xlsx", "table icbs", "row 2", "cell A2", "refers to shared text '9999"],
     xlsx=sheet_edit("icbs", b'<c r="A2" t="s"><v>', b'<c r="A2" t="s"><v>9999'))


def without(parts, name):
    parts = dict(parts)
    del parts[name]
    return parts


case("97-xlsx-shared-strings-missing", 2,
     ["input.xlsx", "table settings", "row 1", "cell A1", "xl/sharedStrings.xml is missing"],
     xlsx=xlsxbuild.pack(without(book(), "xl/sharedStrings.xml")))
case("98-xlsx-sheet-part-missing", 2,
     ["input.xlsx", "table demand", "xl/worksheets/sheet5.xml", "is missing from the file"],
     xlsx=xlsxbuild.pack(without(book(), "xl/worksheets/sheet5.xml")))
case("99-xlsx-cell-given-twice", 2,
     ["input.xlsx", "table icbs", "row 2", "cell B2 is given twice"],
     xlsx=sheet_edit("icbs", b'<c r="C2">', b'<c r="B2"><v>7</v></c><c r="C2">'))


def duplicate_sheet():
    tables = dict(BASE)
    tables["Budgets "] = BASE["budgets"]
    return xlsxbuild.pack(xlsxbuild.workbook(tables))


case("100-xlsx-two-sheets-same-name", 2,
     ["input.xlsx", "table budgets", "two sheets named 'Budgets '"],
     xlsx=duplicate_sheet())
case("101-xlsx-missing-required-sheet", 2,
     ["input.xlsx", "table demand", "the required table 'demand' is missing"],
     xlsx=xlsxbuild.pack(book({"demand": None})))
case("102-xlsx-not-a-number", 2,
     where("budgets", 3, "revenue", **XW) + ["cell C3", "'12,3x4' is not a number"],
     xlsx=xlsxbuild.pack(book({"budgets": [["icb", "year", "revenue"],
                                           ["I1", "2025/26", 5000], ["I1", "2026/27", "12,3x4"],
                                           ["I2", "2025/26", 9000], ["I2", "2026/27", 9000]]})))
case("103-xlsx-error-value", 2,
     where("budgets", 2, "revenue", **XW) + ["cell C2", "error value #DIV/0!",
                                             "'#DIV/0!' is not a number"],
     xlsx=sheet_edit("budgets", b'<c r="C2"><v>5000</v></c>',
                     b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
case("104-xlsx-formula-without-result", 2,
     where("budgets", 2, "revenue", **XW) + ["cell C2", "formula without a saved result",
                                             "revenue is required but the cell is empty"],
     xlsx=sheet_edit("budgets", b'<c r="C2"><v>5000</v></c>', b'<c r="C2"><f>SUM(D2:D9)</f></c>'))
case("105-xlsx-duplicate-headings", 2,
     ["input.xlsx", "table demand", "row 1", "cell E1", "heading 'NEED'",
      "repeats the heading of column C"],
     xlsx=xlsxbuild.pack(book({"demand": [["icb", "service", "need", "baseline", "NEED"],
                                          ["I1", "S1", 100, 20], ["I1", "S2", 100, 20],
                                          ["I2", "S1", 150, 30], ["I2", "S2", 150, 30]]})))
case("106-xlsx-value-without-heading", 2,
     where("demand", 4, **XW) + ["cell F4", "column F has no heading"],
     xlsx=xlsxbuild.pack(book({"demand": [["icb", "service", "need", "baseline"],
                                          ["I1", "S1", 100, 20], ["I1", "S2", 100, 20],
                                          ["I2", "S1", 150, 30, None, "stray"],
                                          ["I2", "S2", 150, 30]]})))
case("107-xlsx-unknown-id-with-cell", 2,
     where("demand", 4, "service", **XW) + ["cell B4", "service 'S9' is not in the services table"],
     xlsx=xlsxbuild.pack(book({"demand": BASE["demand"].replace("I2,S1,150", "I2,S9,150")})))
case("108-xlsx-formula-injection-names", 0, [],
     xlsx=xlsxbuild.pack(book({"icbs": [["id", "name", "population"],
                                        ["I1", '=HYPERLINK("http://example.com/x","Click")',
                                         1000],
                                        ["I2", "+cmd|' /C calc'!A0", 2000]]})),
     directives=["NO-FORMULAS",
                 'OUTPUT-TEXT: =HYPERLINK("http://example.com/x","Click")',
                 "OUTPUT-TEXT: +cmd|' /C calc'!A0",
                 "NOTE: names that look like formulas are text: accepted, and written to the "
                 "results workbook as text, never as formulas"])
case("109-xlsx-bad-scenario-row", 2,
     where("scenarios", 2, "op", **XW) + ["cell E2", "op must be set, scale or add"],
     xlsx=xlsxbuild.pack(book({"scenarios": SCENARIO_HEAD + "s,demand,need,*/S1,times,1.1\n"})),
     directives=ALL_SCENARIOS)
case("110-xlsx-sheet-listed-without-part", 2,
     ["input.xlsx", "table icbs", "lists sheet 'icbs' but not the part that holds it"],
     xlsx=xlsxbuild.pack(replace_in(book(), "xl/workbook.xml", b'r:id="rId2"', b'r:id="rId99"')))

# ---------------------------------------------------------------- more of both


def rels_edit(old, new):
    return xlsxbuild.pack(replace_in(book(), "xl/_rels/workbook.xml.rels", old, new))


def no_sheets():
    parts = book()
    text = parts["xl/workbook.xml"]
    start, end = text.index(b"<sheets>"), text.index(b"</sheets>")
    parts["xl/workbook.xml"] = text[:start] + b"<sheets>" + text[end:]
    return xlsxbuild.pack(parts)


def invalid_utf8_strings():
    parts = book()
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"North ICB",
                                                                          b"North \xa3 ICB")
    return xlsxbuild.pack(parts)


case("111-xlsx-part-outside-the-package", 2,
     ["input.xlsx", "table settings", "lists sheet 'settings' but not the part that holds it"],
     xlsx=rels_edit(b'Target="worksheets/sheet1.xml"', b'Target="../../../../etc/passwd"'))
case("112-xlsx-relationships-missing", 2,
     ["input.xlsx", "xl/_rels/workbook.xml.rels", "its sheets cannot be found"],
     xlsx=xlsxbuild.pack(without(book(), "xl/_rels/workbook.xml.rels")))
case("113-xlsx-workbook-lists-no-sheets", 2, ["input.xlsx", "the workbook lists no sheets"],
     xlsx=no_sheets())
case("114-xlsx-row-number-not-a-number", 2,
     ["input.xlsx", "table icbs", "a row numbered 'abc'"],
     xlsx=sheet_edit("icbs", b'<row r="2">', b'<row r="abc">'))
case("115-xlsx-invalid-utf8-in-xml", 2,
     ["input.xlsx", "xl/sharedStrings.xml", "is not valid XML", "line 2, column"],
     xlsx=invalid_utf8_strings())
case("116-collaboratives-unknown-ids", 2,
     where("collaboratives", 2, "lead_provider") +
     ["lead provider 'P9' is not in the providers table", "column budget_share", "not 1.5",
      "column icbs", "ICB 'I7' is not in the icbs table", "input/collaborative_members.csv",
      "row 3", "collaborative 'C2' is not in the collaboratives table", "row 4",
      "provider 'P8' is not in the providers table"],
     {"providers": PROVIDERS,
      "collaboratives": ("id,name,lead_provider,applies_to,icbs,budget_share\n"
                         "C1,Network,P9,*,I1 I7,1.5\n"),
      "collaborative_members": "collaborative,provider\nC1,P1\nC2,P2\nC1,P8\n"})
case("117-capacity-without-providers-table", 2,
     where("capacity") + ["capacity rows name providers, but there is no providers table",
                          "row 2", "column provider"],
     {"capacity": "provider,service,capacity\nP1,S1,5\n"})
case("118-capacity-bad-expansion", 2,
     where("capacity", 2, "max_expansion") + ["max_expansion cannot be negative (-1)",
                                              "column expansion_step",
                                              "expansion_step must be greater than zero, not 0"],
     {"providers": PROVIDERS,
      "capacity": "provider,service,capacity,max_expansion,expansion_step\nP1,S1,5,-1,0\n"})
case("119-icb-max-providers-not-whole", 2,
     where("icbs", 2, "max_providers") + ["max_providers must be a whole number, not 1.5"],
     {"icbs": "id,name,population,max_providers\nI1,North ICB,1000,1.5\nI2,South ICB,2000,\n"})
case("120-scenario-sets-invalid-setting", 2,
     ["input/settings.csv", "table settings", "column value", "must be greater than zero",
      "scenario short"],
     {"scenarios": SCENARIO_HEAD + "short,settings,value,years,set,0\n"},
     directives=ALL_SCENARIOS)

# ---------------------------------------------------------------- CSV: uncertainty

UNCERTAINTY_HEAD = "table,column,key,distribution,apply,mean,sd,low,likely,high,draw\n"
SAMPLES = ["RUN-ARGS: --samples 3"]

case("121-uncertainty-unknown-distribution", 2,
     where("uncertainty", 2, "distribution")
     + ["distribution must be normal, uniform or triangular, not 'lognormal'"],
     {"uncertainty": UNCERTAINTY_HEAD + "budgets,revenue,*/*,lognormal,,1,0.1,,,,\n"},
     directives=SAMPLES)
case("122-uncertainty-sd-negative", 2,
     where("uncertainty", 2, "sd") + ["sd cannot be negative"],
     {"uncertainty": UNCERTAINTY_HEAD + "budgets,revenue,I1/2025,normal,,1,-0.1,,,,\n"},
     directives=SAMPLES)
case("123-uncertainty-low-above-high", 2,
     where("uncertainty", 2, "high") + ["high (0.8) must not be below low (1.2)"],
     {"uncertainty": UNCERTAINTY_HEAD + "budgets,capital,*/*,uniform,,,,1.2,,0.8,\n"},
     directives=SAMPLES)
case("124-uncertainty-parameter-missing", 2,
     where("uncertainty", 3, "likely") + ["a triangular distribution needs likely"],
     {"uncertainty": UNCERTAINTY_HEAD + "demand,need,*/S1,uniform,,,,0.9,,1.1,shared\n"
      "demand,need,*/S2,triangular,,,,0.9,,1.1,\n"},
     directives=SAMPLES)
case("125-uncertainty-targets-text", 2,
     where("uncertainty", 2, "key")
     + ["the cell to change is not a number (services row 2, column category)"],
     {"uncertainty": UNCERTAINTY_HEAD + "services,category,S1,normal,,1,0.1,,,,\n"},
     directives=SAMPLES)
case("126-uncertainty-likely-outside", 2,
     where("uncertainty", 2, "likely") + ["likely (1.3) must be between low (0.8) and high (1.2)"],
     {"uncertainty": UNCERTAINTY_HEAD + "budgets,revenue,*/*,triangular,,,,0.8,1.3,1.2,\n"},
     directives=SAMPLES)
case("127-uncertainty-bad-draw-and-apply", 2,
     where("uncertainty", 2, "apply") + ["apply must be scale or add (blank: scale), not 'times'",
                                         "column draw", "draw must be each or shared"],
     {"uncertainty": UNCERTAINTY_HEAD + "budgets,revenue,*/*,normal,times,1,0.1,,,,all\n"},
     directives=SAMPLES)
case("128-uncertainty-key-column", 2,
     where("uncertainty", 2, "column") + ["column year is part of table budgets's key"],
     {"uncertainty": UNCERTAINTY_HEAD + "budgets,year,*/*,normal,,1,0.1,,,,\n"},
     directives=SAMPLES)
case("129-uncertainty-no-row-matches", 2,
     where("uncertainty", 2, "key") + ["no row of table demand matches key 'I9/S1'"],
     {"uncertainty": UNCERTAINTY_HEAD + "demand,need,I9/S1,normal,,1,0.1,,,,\n"},
     directives=SAMPLES)
case("130-uncertainty-draws-negative-budgets", 0, [],
     {"uncertainty": UNCERTAINTY_HEAD + "budgets,revenue,*/*,normal,add,-1e9,1,,,,shared\n"},
     directives=SAMPLES + [
         "NOTE: every sample draws a negative budget: each is counted as invalid input on "
         "the Uncertainty sheet, and the baseline's plan is written (exit 0)"])

case("131-services-missing-column-no-cascade", 2,
     where("services") + ["the required column 'unit_cost' is missing"],
     {"services": "id,name,category,benefit\nS1,Renal,specialised,2\nS2,Urgent care,priority,1\n"},
     directives=["MAX-STDERR-BYTES: 400",
                 "NOTE: one error only: the demand rows naming S1 and S2 are not also "
                 "reported as naming unknown services"])

case("132-xlsx-renamed-required-sheet", 2,
     ["input.xlsx", "table budgets", "the required table 'budgets' is missing",
      "did you mean sheet 'budgets 2026-29'? Rename it to budgets"],
     xlsx=xlsxbuild.pack(book({"budgets": None, "Budgets 2026-29": BASE["budgets"]})),
     directives=["NOTE: the unknown sheet is named beside the missing table it probably is"])
case("133-misnamed-required-file", 2,
     ["input", "table demand", "the required table 'demand' is missing",
      "did you mean file '", "input/Demnad.csv' (table 'demnad')? Rename it to demand.csv"],
     {"demand": None, "Demnad.csv": BASE["demand"]})

case("134-money-in-millions", 2,
     where("budgets", 2, "revenue") + ["'£114.6m' is not a number",
                                       "write 114600000 or £114,600,000", "row 3",
                                       "'2.5k' is not a number", "write 2500 or £2,500"],
     {"budgets": BASE["budgets"].replace("I1,2025/26,5000", "I1,2025/26,£114.6m")
      .replace("I1,2026/27,5000", "I1,2026/27,2.5k")})

case("135-xlsx-year-cell-is-a-date", 2,
     where("budgets", 2, "year", **XW) + ["cell B2", "'45658' looks like a date (2025-01-01)",
                                          "type the year as 2025 or 2025/26", "row 3",
                                          "'2026-04-01T00:00:00' looks like a date (2026-04-01)",
                                          "type the year as 2026 or 2026/27"],
     xlsx=xlsxbuild.pack(book({"budgets": [["icb", "year", "revenue"],
                                           ["I1", 45658, 5000], ["I1", "2026-04-01T00:00:00", 5000],
                                           ["I2", "2025/26", 9000], ["I2", "2026/27", 9000]]})))
case("136-first-year-typed-as-a-date", 2,
     where("settings", 3, "value") + ["'01/04/2025' looks like a date (2025-04-01)",
                                      "type the year as 2025 or 2025/26"],
     {"settings": BASE["settings"].replace("first_year,2025/26", "first_year,01/04/2025")})

case("137-deleted-demand-row", 0,
     ["input/demand.csv", "table demand",
      "I3 has no demand row for service S2 although the 2 other ICBs have one",
      "so it will commission none of it", "add it back"],
     {"icbs": BASE["icbs"] + "I3,East ICB,1500\n",
      "budgets": BASE["budgets"] + "I3,2025/26,7000\nI3,2026/27,7000\n",
      "demand": BASE["demand"] + "I3,S1,120,25\n"},
     directives=["NOTE: the row I3,S2 was deleted: a warning, and the plan still runs"])

case("138-empty-optional-sheets", 0, [],
     {"access": "icb,provider\n", "flows": "icb,service,provider,activity\n",
      "arrangements": "services,icbs,from_year,arrangement\n"},
     directives=["MAX-STDERR-BYTES: 0",
                 "NOTE: empty optional sheets, as the template hands them out, mean 'not used' "
                 "and are not warned about on every run"])


# ---------------------------------------------------------------- recipes

RECIPE_HEAD = '''\
"""{doc}

Run by run_bad_inputs.py as `python3 recipe.py DEST`; writes DEST/{target}.
Written by make_catalogue.py.
"""
import os
import re
import sys

BASE = {base}
DEST = sys.argv[1]
'''

RECIPES = {
    "csv_big_cell": ("A CSV input whose icbs.csv holds one 100 MB cell (population, row 3).",
                     "input/", '''\
out = os.path.join(DEST, "input")
os.makedirs(out)
for table, text in BASE.items():
    with open(os.path.join(out, table + ".csv"), "w") as fh:
        fh.write(text)
with open(os.path.join(out, "icbs.csv"), "w") as fh:
    fh.write("id,name,population\\nI1,North ICB,1000\\nI2,South ICB,")
    fh.write("9" * 10 + "x" * (100 << 20))
    fh.write("\\n")
'''),
    "xlsx_big_cell": ("A workbook whose icbs sheet holds one 100 MB inline string (cell B3).",
                      "input.xlsx", '''\
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import xlsxbuild  # noqa: E402

parts = xlsxbuild.workbook(BASE)
part = xlsxbuild.sheet_part(parts, "icbs")
big = b\'<c r="B3" t="inlineStr"><is><t>\' + b"x" * (100 << 20) + b"</t></is></c>"
parts[part], count = re.subn(rb\'<c r="B3" t="s"><v>[0-9]+</v></c>\', lambda m: big, parts[part])
assert count == 1
with open(os.path.join(DEST, "input.xlsx"), "wb") as fh:
    fh.write(xlsxbuild.pack(parts))
'''),
}


def recipe_text(name):
    doc, target, body = RECIPES[name]
    base = "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in BASE.items()) + "}"
    return RECIPE_HEAD.format(doc=doc, target=target, base=base) + "\n" + body


# ---------------------------------------------------------------- writing


def render(c):
    """{relative path: bytes} of one case folder."""
    files = {}
    lines = [str(c["code"])] + c["directives"] + c["expect"]
    files["expect.txt"] = ("\n".join(lines) + "\n").encode()
    if c["recipe"]:
        files["recipe.py"] = recipe_text(c["recipe"]).encode()
    elif c["xlsx"] is not None:
        files["input.xlsx"] = c["xlsx"]
    else:
        tables = {f"{t}.csv": v for t, v in BASE.items()}
        for name, value in (c["files"] or {}).items():
            key = name if "." in name else f"{name}.csv"
            if value is None:
                tables.pop(key, None)
            else:
                tables[key] = value
        for key, value in tables.items():
            files[f"input/{key}"] = value if isinstance(value, bytes) else value.encode()
    return files


def main(check):
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names repeat"
    differ = []
    for c in CASES:
        folder = os.path.join(HERE, c["name"])
        files = render(c)
        if check:
            for rel, data in files.items():
                path = os.path.join(folder, rel)
                if not os.path.exists(path) or open(path, "rb").read() != data:
                    differ.append(os.path.join(c["name"], rel))
            continue
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        for rel, data in files.items():
            path = os.path.join(folder, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
    if check:
        for rel in differ:
            print("differs: " + rel)
        print(f"{len(CASES)} cases, {len(differ)} files differ")
        return 1 if differ else 0
    print(f"wrote {len(CASES)} cases under {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
