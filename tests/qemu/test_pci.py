# SPDX-License-Identifier: MIT
"""ACPI and PCI on a live QEMU machine: tables, enumeration, BAR sizing,
capabilities, ACS turned on, and bus mastering off everywhere at boot."""

import re

import pytest
from conftest import hv_run

TOPOLOGY = ["-device", "pcie-root-port,id=rp1,chassis=1,addr=04.0",
            "-device", "edu,bus=rp1", "-device", "e1000e,addr=05.0"]
FUNCS = ["00:00.0", "00:04.0", "00:05.0", "00:1f.0", "00:1f.2", "00:1f.3",
         "01:00.0"]


@pytest.fixture(scope="module")
def boot():
    cmds = ["acpi", "lspci", "lspci -t"] + ["lspci -v " + f for f in FUNCS]
    cmds += ["lspci -v 00:09.0", "lspci -x", "acpi dmar"]
    r = hv_run(cmds, qemu_args=TOPOLOGY)
    assert r.returncode == 0, r.stderr
    return r


def test_acpi_tables_listed_and_valid(boot):
    out = boot.output("acpi")
    for sig in ["XSDT", "FACP", "DSDT", "APIC", "MCFG", "DMAR"]:
        assert re.search(r"^%s 0x[0-9a-f]{16} len +\d+ .* checksum ok$" % sig,
                         out, re.M), sig
    assert "BAD" not in out
    assert re.search(r"poweroff yes \(pm1a_cnt 0x604", out)


def test_dmar_scopes_cover_devices(boot):
    out = boot.output("acpi dmar")
    assert "endpoint 00:05.0" in out
    assert re.search(r"bridge 00:04\.0", out)


def test_lspci_lines(boot):
    lines = boot.output("lspci").splitlines()
    assert [l.split()[0] for l in lines] == ["0000:" + f for f in FUNCS]
    assert "0000:00:04.0 1b36:000c class 060400 PCI bridge [bus 01-01]" \
        in lines
    assert "0000:01:00.0 1234:11e8 class 00ff00 unclassified device" in lines
    assert "0000:00:05.0 8086:10d3 class 020000 ethernet" in lines


def test_lspci_tree(boot):
    out = boot.output("lspci -t")
    assert out.startswith("bus 0000:00\n")
    assert re.search(r"^  0000:00:04\.0 .*\n    0000:01:00\.0 ", out, re.M)


def test_bars_sized(boot):
    edu = boot.output("lspci -v 01:00.0")
    assert re.search(r"^  bar 0 mem32 base 0x[0-9a-f]+ size 0x100000$", edu,
                     re.M), edu
    assert "cap 0x40 MSI" in edu


def test_acs_enabled_on_root_port(boot):
    out = boot.output("lspci -v 00:04.0")
    assert "PCIe root port" in out
    assert re.search(r"ecap 0x[0-9a-f]+ ACS ctrl SV RR CR UF \(cap ", out)


@pytest.mark.parametrize("bdf", FUNCS)
def test_bus_mastering_off_at_boot(boot, bdf):
    # Principle 2: nothing may DMA before its group is attached.
    m = re.search(r"command 0x([0-9a-f]{4})", boot.output("lspci -v " + bdf))
    assert m
    assert int(m.group(1), 16) & 0x4 == 0


def test_lspci_errors(boot):
    assert boot.output("lspci -v 00:09.0").strip() == \
        "error: no PCI function 0000:00:09.0"
    assert boot.output("lspci -x").strip().startswith("error: ")
