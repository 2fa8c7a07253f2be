#!/usr/bin/env python3
"""Every allocation failure ends the run cleanly: allocopt_failalloc (allocopt with
tests/failalloc/failalloc.c) runs `demo -q -o OUT --json OUT.json` with the n-th of
allocopt's own allocations failing, and each run must

  - exit with status 3, or 0 when n is past the run's last allocation;
  - say so on stderr ("allocopt: ..."), with no signal (under AddressSanitizer a leak
    aborts the program, so each run is also a leak check);
  - leave no file at all in the output folder (no workbook, no JSON, no temporary).

The bundled example makes about 11,300 allocations. Every n up to FIRST (reading the
input, building the model, the start of formulation) is tried, then a deterministic
sample: SAMPLE values of n spread evenly over the rest, shifted by an odd offset so
that they do not fall on one phase of a loop; and the first n past the end.
ALLOC_FAILURE_ALL=1 tries every n (some minutes on two cores under the sanitizers).

Usage: alloc_failure.py ALLOCOPT_FAILALLOC [FIRST [SAMPLE [OPTION...]]]
(OPTIONs go to the demo command, e.g. --solver clp.)
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

PROGRAM = sys.argv[1]
FIRST = int(sys.argv[2]) if len(sys.argv) > 2 else 200
SAMPLE = int(sys.argv[3]) if len(sys.argv) > 3 else 800
OPTIONS = sys.argv[4:]
JOBS = int(os.environ.get("ALLOC_FAILURE_JOBS", "2"))


def run(n, work):
    """Run with the n-th allocation failing; returns (n, problem or None, count)."""
    folder = tempfile.mkdtemp(prefix=f"n{n}-", dir=work)
    out = os.path.join(folder, "out")
    os.mkdir(out)
    env = dict(os.environ, AO_FAIL_ALLOC=str(n),
               AO_FAIL_ALLOC_COUNT=os.path.join(folder, "count"))
    result = subprocess.run([PROGRAM, "demo", *OPTIONS, "-q", "-o", os.path.join(out, "plan.xlsx"),
                             "--json", os.path.join(out, "plan.json")],
                            capture_output=True, text=True, env=env, timeout=600)
    count = None
    if os.path.exists(os.path.join(folder, "count")):
        with open(os.path.join(folder, "count")) as fh:
            count = int(fh.read())
    left = sorted(os.listdir(out))
    problem = None
    err = result.stderr.strip()
    if result.returncode < 0:
        problem = f"signal {-result.returncode}: {err[-2000:]}"
    elif n == 0 or (count is not None and n > count):
        if result.returncode != 0 or left != ["plan.json", "plan.xlsx"]:
            problem = f"no allocation failed: exit {result.returncode}, files {left}"
    elif result.returncode != 3:
        problem = f"exit {result.returncode}, not 3: {err[-2000:]}"
    elif not err.startswith("allocopt:") and "\nallocopt:" not in err:
        problem = f"no message on stderr: {err[-2000:]!r}"
    elif "Sanitizer" in err or "LeakSanitizer" in err:
        problem = f"sanitizer report: {err[-2000:]}"
    elif left:
        problem = f"files left behind: {left}"
    shutil.rmtree(folder)
    last = err.splitlines()[-1].replace(folder, "DIR") if err else ""
    return n, problem, count, last


def main():
    work = tempfile.mkdtemp(prefix="alloc-failure-")
    try:
        _, problem, total, _ = run(0, work)
        if problem is not None or total is None:
            print(f"FAIL the run without injection: {problem}")
            return 1
        if os.environ.get("ALLOC_FAILURE_ALL") == "1":
            ns = list(range(1, total + 2))
        else:
            ns = list(range(1, min(FIRST, total) + 1))
            rest = total - FIRST
            if rest > 0:
                step = max(1, rest // SAMPLE)
                ns += sorted({FIRST + 1 + (k * step + 7 * k) % rest for k in range(SAMPLE)})
            ns.append(total + 1)
        print(f"{total} allocations in the run; failing {len(ns)} of them in turn")
        failures = []
        messages = {}
        with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
            for n, problem, _, last in pool.map(lambda n: run(n, work), ns):
                if problem is not None:
                    failures.append((n, problem))
                    print(f"FAIL n={n}: {problem}")
                elif n <= total:
                    messages[last] = messages.get(last, 0) + 1
        for text, k in sorted(messages.items(), key=lambda item: -item[1]):
            print(f"{k:5d} x {text}")
        print(f"{len(ns) - len(failures)} of {len(ns)} runs ended cleanly")
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
