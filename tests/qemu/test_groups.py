# SPDX-License-Identifier: MIT
"""IOMMU groups on each stored QEMU topology must be exactly the groups
Debian's Linux forms on the same machine (tests/qemu/topologies/*.groups,
made by tools/linux-ref/groups). Also checks lspci and the DMAR decode on
the same boot."""

import pathlib
import re
import sys

import pytest
from conftest import hv_run

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "linux-ref"))
import topology  # noqa: E402

NAMES = topology.names()


@pytest.fixture(scope="module", params=NAMES)
def topo(request):
    name = request.param
    args = topology.read_args(topology.args_path(name))
    r = hv_run(["groups", "groups -v", "lspci", "acpi dmar", "log"],
               qemu_args=args)
    assert r.returncode == 0, r.stderr
    return name, r


def test_groups_match_linux(topo):
    name, r = topo
    want = topology.read_groups(topology.groups_path(name))
    got = topology.parse_groups(r.output("groups"))
    assert got == want, topology.diff(want, got)


def test_groups_format(topo):
    _, r = topo
    lines = r.output("groups").splitlines()
    assert lines
    for i, line in enumerate(lines):
        m = re.fullmatch(r"group (\d+): ((?:[0-9a-f]{4}:[0-9a-f]{2}:"
                         r"[0-9a-f]{2}\.[0-7] ?)+)", line)
        assert m, line
        assert int(m.group(1)) == i
        members = m.group(2).split()
        assert members == sorted(members)


def test_every_function_in_one_group(topo):
    _, r = topo
    funcs = re.findall(r"^(\S{4}:\S{2}:\S{2}\.\d) ", r.output("lspci"), re.M)
    grouped = " ".join(r.output("groups").splitlines()).split()
    grouped = [g for g in grouped if re.fullmatch(r"\S{4}:\S{2}:\S{2}\.\d", g)]
    assert sorted(funcs) == sorted(grouped)
    assert len(set(grouped)) == len(grouped)


def test_verbose_groups_name_reason_and_unit(topo):
    _, r = topo
    out = r.output("groups -v")
    n = len(r.output("groups").splitlines())
    assert len(re.findall(r"^  reason: \S", out, re.M)) == n
    # QEMU's single DRHD covers every device.
    assert len(re.findall(r"^  unit: 0 \(dmar drhd at 0xfed90000\)$", out,
                          re.M)) == n


def test_dmar_decoded(topo):
    _, r = topo
    out = r.output("acpi dmar")
    assert out.startswith("DMAR: host address width 39")
    assert "DRHD 0: base 0x00000000fed90000 segment 0000" in out
    assert "endpoint 00:1f.2" in out
    assert "error" not in r.output("log")
