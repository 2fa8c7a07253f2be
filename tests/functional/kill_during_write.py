#!/usr/bin/env python3
"""An output is written whole or not at all: kill allocopt with SIGKILL while it
writes a large results workbook and check that the earlier workbook at the same
path is untouched and still a valid zip, and that no input was modified.

Usage: kill_during_write.py ALLOCOPT
"""
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

ALLOCOPT = sys.argv[1]
NOTE_ROWS = 300000


def write_input(folder):
    """A tiny model with a large extra table: solving is instant, while echoing the
    table on the Inputs sheet makes the workbook slow enough to catch mid-write."""
    os.makedirs(folder)
    tables = {
        "settings": "key,value\nfirst_year,2025\nyears,1\n",
        "icbs": "id,population\nI1,1000\n",
        "budgets": "icb,year,revenue\nI1,2025,1000\n",
        "services": "id,category,unit_cost,benefit\nS1,specialised,10,1\n",
        "demand": "icb,service,need,baseline\nI1,S1,50,10\n",
    }
    for name, text in tables.items():
        with open(os.path.join(folder, name + ".csv"), "w") as fh:
            fh.write(text)
    with open(os.path.join(folder, "notes.csv"), "w") as fh:
        fh.write("id,author,text,amount\n")
        fh.writelines(f"N{k},analyst {k % 17},note number {k} on the plan,{k * 1.5}\n"
                      for k in range(NOTE_ROWS))


def digest(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def tree_digest(folder):
    return [(name, digest(os.path.join(folder, name))) for name in sorted(os.listdir(folder))]


with tempfile.TemporaryDirectory() as tmp:
    model = os.path.join(tmp, "model")
    write_input(model)
    inputs_before = tree_digest(model)
    target = os.path.join(tmp, "results.xlsx")
    # The earlier workbook: a complete run on the same input.
    subprocess.run([ALLOCOPT, "run", model, "-o", target, "-q"], check=True, timeout=600)
    before = digest(target)

    killed_mid_write = False
    for attempt in range(5):
        proc = subprocess.Popen([ALLOCOPT, "run", model, "-o", target, "-q"])
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None:
            temps = [n for n in os.listdir(tmp) if n.startswith("results.xlsx.tmp")]
            if temps and os.path.getsize(os.path.join(tmp, temps[0])) > 0:
                time.sleep(0.05 * attempt)
                proc.send_signal(signal.SIGKILL)
                killed_mid_write = True
                break
            time.sleep(0.005)
        proc.wait()
        if killed_mid_write and proc.returncode == -signal.SIGKILL:
            break
        killed_mid_write = False
    if not killed_mid_write:
        print("could not catch allocopt while it wrote (the write was too fast)")
        print("0 passed, 1 failed")
        sys.exit(1)

    failures = 0
    if digest(target) != before:
        print("FAIL: the earlier workbook changed")
        failures += 1
    try:
        with zipfile.ZipFile(target) as book:
            bad = book.testzip()
            names = book.namelist()
        if bad is not None or "xl/workbook.xml" not in names:
            print("FAIL: the earlier workbook is no longer valid")
            failures += 1
    except zipfile.BadZipFile:
        print("FAIL: the earlier workbook is not a zip any more")
        failures += 1
    if tree_digest(model) != inputs_before:
        print("FAIL: an input file changed")
        failures += 1
    print(f"{1 - min(failures, 1)} passed, {min(failures, 1)} failed")
    sys.exit(1 if failures else 0)
