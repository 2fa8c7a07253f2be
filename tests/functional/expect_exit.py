#!/usr/bin/env python3
"""Run a program and check its exit status.

    expect_exit.py PROGRAM CODE [ARGS...]

Any argument containing `{tmp}` has it replaced by a fresh temporary
directory (removed afterwards), so outputs can be written somewhere harmless.
Exit status 0 when PROGRAM exits with CODE, 1 otherwise.
"""

import shutil
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip())
        return 2
    program, code, args = argv[1], int(argv[2]), argv[3:]
    tmp = tempfile.mkdtemp(prefix="allocopt-exit-")
    try:
        cmd = [program] + [a.replace("{tmp}", tmp) for a in args]
        print("running: " + " ".join(cmd))
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, timeout=600)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(proc.stdout.rstrip())
    if proc.returncode != code:
        print("FAIL: exit status %d, expected %d" % (proc.returncode, code))
        return 1
    print("PASS: exit status %d" % code)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
