#!/usr/bin/env python3
"""Run allocopt on every case of the bad-input catalogue and check what it does.

    run_bad_inputs.py ALLOCOPT BAD_DIR [-j N] [CASE ...]

For each case folder of BAD_DIR (see README.md), `allocopt validate INPUT` and
`allocopt run INPUT -o TMP/out.xlsx` are run, and each must:
- end with the exit status on the first line of expect.txt, not by a signal
  (134/139 or a negative status) and without a sanitizer report;
- print on stderr every other line of expect.txt that is not a directive
  (the file, the table or sheet, the row, the column, the words of the message);
- for run: leave no output at all when the status is not 0 (no out.xlsx, no
  temporary file), and a readable workbook when it is 0;
- leave the input exactly as it was.

Directives in expect.txt (a line starting with the word and a colon):
  RUN-ARGS: ...        more arguments for `allocopt run` (e.g. --all-scenarios)
  TIMEOUT: SECONDS     time allowed per command (default 300)
  MAX-STDERR-BYTES: N  stderr is at most N bytes (messages quote cells, not floods)
  NO-FORMULAS          the results workbook has no formula (<f> element) in any sheet
  OUTPUT-TEXT: ...     the results workbook holds this text in a cell
  KNOWN-BUG: ...       a bug found and not fixed yet: a failed check is reported as
                       'known', not as a failure; once every check passes the runner
                       says so, and the line should be removed
  NOTE: ...            for people; ignored

Prints one line per case and ends with 'N passed, N failed'. Exit status 0 when
no case failed (known bugs do not fail the run).
"""
import argparse
import concurrent.futures
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

DEFAULT_TIMEOUT = 300
DIRECTIVE = re.compile(r"^(RUN-ARGS|TIMEOUT|MAX-STDERR-BYTES|NO-FORMULAS|OUTPUT-TEXT|KNOWN-BUG|NOTE)(:\s*(.*))?$")
SANITIZER_WORDS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                   "runtime error:", "MemorySanitizer", "ThreadSanitizer")
CRASH_STATUSES = (134, 136, 139, 86, 87)
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def parse_expect(path):
    with open(path, encoding="utf-8") as fh:
        lines = [line.rstrip("\r\n") for line in fh]
    spec = {"code": int(lines[0].strip()), "run_args": [], "timeout": DEFAULT_TIMEOUT,
            "no_formulas": False, "output_text": [], "known_bug": None, "stderr": [],
            "max_stderr": None}
    for line in lines[1:]:
        if not line.strip():
            continue
        m = DIRECTIVE.match(line)
        if not m:
            spec["stderr"].append(line)
            continue
        word, value = m.group(1), (m.group(3) or "").strip()
        if word == "RUN-ARGS":
            spec["run_args"] += value.split()
        elif word == "TIMEOUT":
            spec["timeout"] = float(value)
        elif word == "MAX-STDERR-BYTES":
            spec["max_stderr"] = int(value)
        elif word == "NO-FORMULAS":
            spec["no_formulas"] = True
        elif word == "OUTPUT-TEXT":
            spec["output_text"].append(value)
        elif word == "KNOWN-BUG":
            spec["known_bug"] = value
    return spec


def digest(path):
    """Hash of a file or a folder's files (names, bytes and modification times)."""
    h = hashlib.sha256()
    paths = [path] if os.path.isfile(path) else sorted(
        os.path.join(root, f) for root, _, files in os.walk(path) for f in files)
    for p in paths:
        h.update(p.encode())
        st = os.stat(p)
        h.update(str((st.st_size, st.st_mtime_ns)).encode())
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def run(cmd, cwd, timeout):
    try:
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def short(text, limit=300):
    """The lines that matter most (sanitizer reports, then errors) in at most limit chars."""
    lines = [line for line in text.splitlines() if line.strip()]
    rank = lambda line: (0 if any(w in line for w in SANITIZER_WORDS) else
                         1 if line.startswith("error:") or "allocopt:" in line else 2)
    text = " | ".join(sorted(lines, key=rank))
    return text if len(text) <= limit else text[:limit] + "..."


def check_command(name, code, err, spec, problems):
    """Checks shared by validate and run; problems gets a sentence per failure."""
    if code is None:
        problems.append(f"{name}: no answer within {spec['timeout']:.0f}s")
        return False
    if code < 0 or code in CRASH_STATUSES:
        problems.append(f"{name}: crashed (status {code}): {short(err)}")
    for word in SANITIZER_WORDS:
        if word in err:
            problems.append(f"{name}: sanitizer report ({word}): {short(err)}")
            break
    if code != spec["code"]:
        problems.append(f"{name}: exit {code}, expected {spec['code']}: {short(err)}")
    if spec["max_stderr"] is not None and len(err.encode()) > spec["max_stderr"]:
        problems.append(f"{name}: {len(err.encode())} bytes on stderr, more than "
                          f"{spec['max_stderr']}")
    missing = [s for s in spec["stderr"] if s not in err]
    if missing:
        problems.append(f"{name}: stderr lacks {missing}: {short(err)}")
    return True


def workbook_checks(path, spec, problems):
    """The results workbook: readable, formulas and texts as expected."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        problems.append(f"run: {os.path.basename(path)} is not a readable workbook ({e})")
        return
    texts = []
    with book:
        for name in book.namelist():
            if not name.endswith(".xml"):
                continue
            try:
                root = ET.fromstring(book.read(name))
            except ET.ParseError as e:
                problems.append(f"run: {name} in the results is not well formed ({e})")
                continue
            if name.startswith("xl/worksheets/") and spec["no_formulas"]:
                if root.find(f".//{SHEET_NS}f") is not None:
                    problems.append(f"run: {name} of the results holds a formula (<f>)")
            if name == "xl/sharedStrings.xml" or name.startswith("xl/worksheets/"):
                texts.extend(t.text or "" for t in root.iter(f"{SHEET_NS}t"))
    for text in spec["output_text"]:
        if text not in texts:
            problems.append(f"run: the results workbook has no cell holding {text!r}")


def run_case(allocopt, folder):
    """(status, name, problems) with status 'pass', 'FAIL' or 'known'."""
    name = os.path.basename(folder)
    problems = []
    try:
        spec = parse_expect(os.path.join(folder, "expect.txt"))
    except (OSError, ValueError, IndexError) as e:
        return "FAIL", name, [f"expect.txt cannot be read: {e}"]
    made = tempfile.mkdtemp(prefix="allocopt-bad-input-")
    work = tempfile.mkdtemp(prefix="allocopt-bad-output-")
    try:
        if os.path.exists(os.path.join(folder, "recipe.py")):
            proc = subprocess.run([sys.executable, os.path.join(folder, "recipe.py"), made],
                                    capture_output=True, text=True)
            if proc.returncode != 0:
                return "FAIL", name, [f"recipe.py failed: {short(proc.stderr)}"]
            base = made
        else:
            base = folder
        candidates = [os.path.join(base, n) for n in ("input", "input.xlsx")]
        inputs = [p for p in candidates if os.path.exists(p)]
        if len(inputs) != 1:
            return "FAIL", name, ["the case needs exactly one of input/ and input.xlsx"]
        source = inputs[0]
        before = digest(source)

        code, out, err = run([allocopt, "validate", source], work, spec["timeout"])
        answered = check_command("validate", code, err, spec, problems)
        if os.listdir(work):
            problems.append(f"validate: wrote {sorted(os.listdir(work))}")
            shutil.rmtree(work)
            os.mkdir(work)

        # After a command that never answered, a second one would only wait as long.
        if answered:
            output = os.path.join(work, "out.xlsx")
            code, out, err = run([allocopt, "run", source, "-o", output] + spec["run_args"],
                                   work, spec["timeout"])
            if check_command("run", code, err, spec, problems):
                left = sorted(os.listdir(work))
                if spec["code"] != 0 or code != 0:
                    if left:
                          problems.append(f"run: partial output left behind: {left}")
                elif not os.path.exists(output):
                    problems.append("run: exit 0 but no out.xlsx")
                else:
                    workbook_checks(output, spec, problems)
        else:
            problems.append("run: not tried after validate did not answer")
        if digest(source) != before:
            problems.append("the input was modified")
    finally:
        shutil.rmtree(made, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    if spec["known_bug"]:
        if problems:
            return "known", name, problems
        return "pass", name, ["KNOWN-BUG no longer reproduces; remove the line: " +
                                spec["known_bug"]]
    return ("FAIL" if problems else "pass"), name, problems


def case_key(name):
    m = re.match(r"^(\d+)", name)
    return (int(m.group(1)) if m else 1 << 30, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("allocopt")
    parser.add_argument("bad_dir")
    parser.add_argument("cases", nargs="*", help="only cases whose names contain one of these")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_intermixed_args()

    # Sanitizers report with their own status, never with 1 (allocopt's "infeasible").
    os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:exitcode=86")
    os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=87")
    allocopt = os.path.abspath(args.allocopt)
    bad_dir = os.path.abspath(args.bad_dir)
    folders = sorted((os.path.join(bad_dir, n) for n in os.listdir(bad_dir)
                        if os.path.isfile(os.path.join(bad_dir, n, "expect.txt"))),
                       key=lambda p: case_key(os.path.basename(p)))
    if args.cases:
        folders = [f for f in folders if any(c in os.path.basename(f) for c in args.cases)]
    if not folders:
        print("no cases found")
        return 1
    counts = {"pass": 0, "FAIL": 0, "known": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for status, name, problems in pool.map(lambda f: run_case(allocopt, f), folders):
            counts[status] += 1
            print(f"{status:<6} {name}" + ("" if not problems else ": " + problems[0]))
            for problem in problems[1:]:
                print(f"{'':<7}{'':<{len(name)}}  {problem}")
            sys.stdout.flush()
    print(f"{counts['pass']} passed, {counts['FAIL']} failed"
          f" ({counts['known']} known bug{'' if counts['known'] == 1 else 's'}, "
          f"{len(folders)} cases)")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
