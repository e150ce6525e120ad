# SPDX-License-Identifier: MIT
"""make debug: GDB attaches, loads hv.elf's symbols and stops at the core's
entry (tools/hv-debug, docs/debugging.md)."""

import pathlib

import pexpect

ROOT = pathlib.Path(__file__).resolve().parents[2]
ANSI = r"(?:\x1b\[[0-9;?]*[a-zA-Z])*"


def prompt(gdb):
    gdb.expect(r"\(gdb\) ")


def test_gdb_stops_at_core_entry():
    gdb = pexpect.spawn(str(ROOT / "tools" / "hv-debug"), cwd=str(ROOT),
                        timeout=90, encoding="utf-8")
    try:
        # GDB colours its output; the escapes may sit between the words.
        gdb.expect(r"Breakpoint 1, %s0x0*2000000%s in %shv_entry" %
                   (ANSI, ANSI, ANSI))
        prompt(gdb)
        gdb.sendline("print/x $pc")
        gdb.expect(r"= (0x[0-9a-f]+)")
        assert int(gdb.match.group(1), 16) == 0x2000000
        prompt(gdb)
        gdb.sendline("info symbol kmain")
        gdb.expect(r"kmain in section \.text")
        prompt(gdb)
        gdb.sendline("quit")
        if gdb.expect([r"\(y or n\)", pexpect.EOF]) == 0:
            gdb.sendline("y")
            gdb.expect(pexpect.EOF)
        gdb.wait()
        assert "QEMU stopped" in (gdb.before or "")
    finally:
        gdb.close(force=True)


def test_gdb_port_released():
    # hv-debug stopped its QEMU: nothing listens on the GDB port any more.
    with open("/proc/net/tcp") as f:
        assert not any(l.split()[1].endswith(":04D2") and
                       l.split()[3] == "0A" for l in f.readlines()[1:])
