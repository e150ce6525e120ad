# SPDX-License-Identifier: MIT
"""Boot, the console's system commands, errors, power and the loader's
refusals, on the real image under QEMU."""

import re

import pytest
from conftest import hv_run

SYSTEM_COMMANDS = ["help", "version", "mem", "log", "trap", "poweroff",
                   "reboot"]


@pytest.fixture(scope="module")
def boot():
    cmds = ["help", "version", "mem", "mem -v", "log", "mem --help"]
    cmds += ["help " + c for c in SYSTEM_COMMANDS]
    cmds += ["bogus", "mem extra", "help nope", "trap", "trap zz",
             "version 1", "log x", "help a b", "poweroff"]
    return hv_run(cmds)


def error_lines(text):
    return [l for l in text.splitlines() if l.startswith("error: ")]


def test_boot_reaches_prompt_and_poweroff_ends_qemu(boot):
    assert boot.returncode == 0, boot.stderr
    assert "killed" not in boot.stderr
    assert "hvboot: entering core at 0x2000000" in boot.transcript
    assert boot.transcript.rstrip().endswith("powering off")


def test_boot_log_stages(boot):
    log = boot.output("log")
    for stage in ["loader entry", "config read", "images loaded",
                  "boot services exited"]:
        assert re.search(r"BOOT: stage %s +at \d+\.\d{6} s" % stage, log)
    assert re.search(r"^\[ +\d+\.\d{6}\] BOOT: ready, image \d+ KiB, \d+ "
                     r"frames in use$", log, re.M)
    assert "PAGING: identity map of" in log


def test_help_lists_every_command(boot):
    out = boot.output("help")
    listed = re.findall(r"^  (\S+) +\S", out, re.M)
    for c in SYSTEM_COMMANDS:
        assert c in listed
    for c in listed:
        assert c in SYSTEM_COMMANDS or True  # later issues add commands


@pytest.mark.parametrize("cmd", SYSTEM_COMMANDS)
def test_every_command_has_help(boot, cmd):
    out = boot.output("help " + cmd)
    assert out.startswith("usage: " + cmd), out
    assert len(out.splitlines()) == 2
    assert error_lines(out) == []


def test_version(boot):
    assert re.match(r"hv \S+ \(built .+, x86-64, VT-d\)$",
                    boot.output("version").strip())


def test_mem_counts_and_map(boot):
    out = boot.output("mem")
    m = re.search(r"frames: (\d+) total, (\d+) free, (\d+) used", out)
    assert m
    total, free, used = map(int, m.groups())
    assert total == free + used
    # -m 1G: nearly all of it is ours, and the allocator used a few frames.
    assert 200000 < total < 262144
    assert 0 < used < 1000
    assert re.search(r"^  0*2000000-0*2\w+ +\d+ pages  hv-image +hypervisor$",
                     out, re.M)
    assert "acpi" in out and "conventional" in out
    raw = boot.output("mem -v")
    assert len(raw.splitlines()) > len(out.splitlines())
    assert "boot-code" in raw


def test_dash_help(boot):
    assert boot.output("mem --help").startswith("usage: mem [-v]")


@pytest.mark.parametrize("cmd,msg", [
    ("bogus", "error: unknown command 'bogus' (try 'help')"),
    ("mem extra", "error: usage: mem [-v]"),
    ("help nope", "error: no command 'nope' (try 'help')"),
    ("trap", "error: usage: trap de|bp|ud|gp|pf|wp|nx"),
    ("trap zz", "error: usage: trap de|bp|ud|gp|pf|wp|nx"),
    ("version 1", "error: version takes no arguments"),
    ("log x", "error: log takes no arguments"),
    ("help a b", "error: help takes at most one command name"),
])
def test_errors_are_one_line(boot, cmd, msg):
    out = boot.output(cmd)
    assert out.strip() == msg


@pytest.mark.parametrize("trap,name,vector,error", [
    ("pf", "#PF page fault", 14, 0x0),
    ("ud", "#UD invalid opcode", 6, 0x0),
    # W^X: writing the core's text (present, write) and running data
    # (present, instruction fetch) both fault.
    ("wp", "#PF page fault", 14, 0x3),
    ("nx", "#PF page fault", 14, 0x11),
])
def test_exception_report(trap, name, vector, error):
    r = hv_run(["trap " + trap], timeout=120)
    assert r.returncode == 2, r.stderr
    t = r.transcript
    assert "EXCEPTION %s (vector %d) error 0x%x\n" % (name, vector, error) \
        in t
    m = re.search(r"rip ([0-9a-f]{16}) cr2 ([0-9a-f]{16})", t)
    assert m
    assert 0x2000000 <= int(m.group(1), 16) < 0x3000000
    if trap == "pf":
        assert int(m.group(2), 16) == 0
    if trap == "nx":  # the fault is the fetch itself: rip == cr2
        assert m.group(1) == m.group(2)
    frames = re.findall(r"^  #\d+ +0x([0-9a-f]{16})$", t, re.M)
    assert len(frames) >= 3  # trap, the command, the shell...
    assert all(0x2000000 <= int(f, 16) < 0x3000000 for f in frames)
    assert "CPU halted." in t


def test_reboot_comes_back():
    r = hv_run(["reboot", "version"], timeout=180)
    assert r.returncode == 0, r.stderr
    assert r.transcript.count("BOOT: ready") == 2
    assert "rebooting" in r.transcript
