#!/usr/bin/env python3
"""The bash completion and the manual page agree with `allocopt --help`: all three are
printed from one options table, and this checks what each offers.

Usage: completion_checks.py ALLOCOPT
"""
import os
import re
import subprocess
import sys
import tempfile

ALLOCOPT = sys.argv[1]
failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else ": " + detail))
    if not condition:
        failures.append(name)


def output(*args):
    return subprocess.run([ALLOCOPT, *args], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def complete(script, folder, words):
    """What the completion offers for the command line `words` (the last one being typed)."""
    program = ('source "$1"; cd "$2"; shift 2; COMP_WORDS=("$@"); '
               'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _allocopt; '
               'printf "%s\\n" "${COMPREPLY[@]}"')
    result = subprocess.run(["bash", "-c", program, "bash", script, folder, *words],
                            capture_output=True, text=True, timeout=60)
    return set(line for line in result.stdout.splitlines() if line)


help_text = output("--help")
commands = re.findall(r"^  ([a-z]+) ", help_text.split("Commands:")[1].split("Options:")[0],
                      re.M)
options = set(re.findall(r"--[a-z][a-z-]*", help_text.split("Options:")[1]))
manual = output("--help-man")

with tempfile.TemporaryDirectory() as tmp:
    script = os.path.join(tmp, "allocopt.bash")
    with open(script, "w") as fh:
        fh.write(output("--help-completion"))
    files = os.path.join(tmp, "files")
    os.makedirs(os.path.join(files, "inputs"))
    for name in ("book.xlsx", "notes.txt", "part1.json", "model.lp"):
        open(os.path.join(files, name), "w").close()

    check("commands offered are those of --help",
          complete(script, files, ["allocopt", ""]) == set(commands),
          str(complete(script, files, ["allocopt", ""])) + " vs " + str(commands))
    offered = set()
    for command in commands:
        offered |= complete(script, files, ["allocopt", command, "--"])
    check("every option of --help is offered for some command",
          options <= offered, str(options - offered))
    check("every option of --help is in the manual page",
          all(o.replace("-", "\\-") in manual for o in options),
          str([o for o in options if o.replace("-", "\\-") not in manual]))
    run_options = complete(script, files, ["allocopt", "run", "--"])
    check("run offers --force and --json", {"--force", "--json"} <= run_options,
          str(run_options))
    check("validate does not offer --json",
          "--json" not in complete(script, files, ["allocopt", "validate", "--"]))
    check("an input is a workbook or a folder (of CSV files)",
          complete(script, files, ["allocopt", "run", ""]) == {"book.xlsx", "inputs"},
          str(complete(script, files, ["allocopt", "run", ""])))
    check("merge takes partial results (.json)",
          complete(script, files, ["allocopt", "merge", ""]) == {"part1.json", "inputs"},
          str(complete(script, files, ["allocopt", "merge", ""])))
    check("--lp completes .lp files",
          complete(script, files, ["allocopt", "run", "book.xlsx", "--lp", ""])
          == {"model.lp", "inputs"})
    check("--arrangement offers the arrangements",
          complete(script, files, ["allocopt", "run", "book.xlsx", "--arrangement", "j"])
          == {"joint"})
    check("the command is found after an option's value",
          complete(script, files, ["allocopt", "-o", "out.xlsx", "validate", "-"])
          == complete(script, files, ["allocopt", "validate", "-"]))

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
