# SPDX-License-Identifier: MIT
"""Run the test suites and count their results; shared by tools/run-unit,
tools/run-qemu-tests and tools/check. Standard library only.

Counting rules:
- cmocka: the sum of every "[  PASSED  ] N test(s)." and "[  FAILED  ] N
  test(s), listed below:" summary a binary prints. A binary that exits
  non-zero (a crash, a sanitizer report, a missing summary) without having
  reported a failure counts as one failed test.
- pytest: the junit XML (tests, failures, errors, skipped). Exit status 5
  (no tests collected) is 0 passed; any other abnormal status without a
  recorded failure counts as one failed test.
"""

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
# Debian's pytest is installed for the system interpreter only.
PYTHON = "/usr/bin/python3"
UNIT_TIMEOUT = 300  # seconds one unit test binary may take

CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test\(s\)\.", re.M)
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test\(s\), listed below:",
                           re.M)


def cmocka_count(output, returncode):
    """(passed, failed) from one binary's output and exit status."""
    passed = sum(int(n) for n in CMOCKA_PASSED.findall(output))
    failed = sum(int(n) for n in CMOCKA_FAILED.findall(output))
    if returncode != 0 and failed == 0:
        failed = 1
    return passed, failed


def run_unit_binary(path):
    """Run one cmocka binary, echoing its output; returns (passed, failed)."""
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="stdout")
    print("unit: %s" % path, flush=True)
    try:
        proc = subprocess.Popen([path], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env)
    except OSError as e:
        print("unit: %s: cannot run: %s" % (path, e.strerror), flush=True)
        return 0, 1
    try:
        out, _ = proc.communicate(timeout=UNIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        print("unit: %s: killed after %d s" % (path, UNIT_TIMEOUT))
    text = out.decode("utf-8", "replace")
    sys.stdout.write(text)
    passed, failed = cmocka_count(text, proc.returncode)
    if proc.returncode < 0:
        print("unit: %s: killed by signal %d" % (path, -proc.returncode))
    elif proc.returncode > 0:
        print("unit: %s: exit status %d" % (path, proc.returncode))
    sys.stdout.flush()
    return passed, failed


def run_unit(binaries):
    """Run every binary; returns the (passed, failed) totals."""
    passed = failed = 0
    for path in binaries:
        p, f = run_unit_binary(path)
        passed += p
        failed += f
    return passed, failed


def junit_count(path):
    """(passed, failed) from a junit XML file; (0, 0) if it is absent."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return 0, 0
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    passed = failed = 0
    for s in suites:
        bad = int(s.get("failures", 0)) + int(s.get("errors", 0))
        ok = int(s.get("tests", 0)) - bad - int(s.get("skipped", 0))
        passed += max(ok, 0)
        failed += bad
    return passed, failed


def names_tests(args):
    """True when some argument is a test path (or node id) of its own."""
    for arg in args:
        path = arg.split("::")[0]
        if not arg.startswith("-") and os.path.exists(os.path.join(ROOT,
                                                                   path)):
            return True
    return False


def run_qemu(extra_args=()):
    """Run pytest on tests/qemu, or on the test paths among extra_args
    (relative to the repository root); returns (passed, failed)."""
    extra = list(extra_args)
    with tempfile.TemporaryDirectory(prefix="hv-pytest-") as tmp:
        xml = os.path.join(tmp, "junit.xml")
        cmd = [PYTHON, "-m", "pytest", "--junitxml=" + xml]
        if not names_tests(extra):
            cmd.append("tests/qemu")
        try:
            rc = subprocess.call(cmd + extra, cwd=ROOT)
        except OSError as e:
            print("qemu: cannot run %s: %s (run tools/deps)" %
                  (PYTHON, e.strerror))
            return 0, 1
        passed, failed = junit_count(xml)
    if rc == 5:
        print("qemu: no tests collected")
    elif rc != 0 and failed == 0:
        print("qemu: pytest exit status %d" % rc)
        failed = 1
    return passed, failed


def totals_line(passed, failed):
    return "%d passed, %d failed" % (passed, failed)
