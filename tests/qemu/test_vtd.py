# SPDX-License-Identifier: MIT
"""VT-d under QEMU: bring-up, default deny, the edu self-test in legacy and
scalable mode with 3- and 4-level tables, faults, table walks, checked
against the hypervisor's console and against QEMU's own trace of what the
emulated unit did (-trace ... -D FILE)."""

import pathlib
import re
import tempfile

import pytest
from conftest import hv_run

TRACE_EVENTS = ["vtd_dmar_enable", "vtd_reg_dmar_root", "vtd_dmar_fault",
                "vtd_dmar_translate", "vtd_ce_not_present",
                "vtd_inv_desc_cc_global", "vtd_inv_desc_cc_device",
                "vtd_inv_desc_iotlb_global", "vtd_inv_desc_iotlb_domain",
                "vtd_inv_desc_iotlb_pages", "vtd_inv_desc_wait_sw"]

# edu behind a root port (01:00.0) and one on the root bus (00:03.0).
TOPOLOGY = ["-device", "pcie-root-port,id=rp1,chassis=1,addr=04.0",
            "-device", "edu,bus=rp1", "-device", "edu,addr=03.0"]

MODES = {
    "legacy-3level": ("legacy", "caching-mode=on"),
    "legacy-4level": ("legacy", "caching-mode=on,aw-bits=48"),
    "scalable-3level": ("scalable", "caching-mode=on,x-scalable-mode=on"),
    "scalable-4level": ("scalable",
                        "caching-mode=on,x-scalable-mode=on,aw-bits=48"),
}


def boot(mode, iommu, commands):
    trace_args = []
    for e in TRACE_EVENTS:
        trace_args += ["-trace", "enable=" + e]
    with tempfile.TemporaryDirectory(prefix="hv-vtd-") as tmp:
        trace = pathlib.Path(tmp) / "trace.log"
        r = hv_run(commands, config="core = hv.elf\niommu.mode = %s\n" % mode,
                   qemu_args=TOPOLOGY + trace_args + ["-D", str(trace)],
                   iommu=iommu, timeout=240)
        r.trace = trace.read_text() if trace.exists() else ""
    return r


@pytest.fixture(scope="module", params=list(MODES))
def vtd(request):
    mode, iommu = MODES[request.param]
    cmds = ["iommu", "iommu walk 01:00.0 0x100000", "iommu selftest 01:00.0",
            "iommu selftest 00:03.0", "faults", "domains", "log"]
    r = boot(mode, iommu, cmds)
    assert r.returncode == 0, r.stderr + r.transcript[-3000:]
    r.mode = mode
    r.levels = 4 if "aw-bits=48" in iommu else 3
    return r


def test_unit_up_in_requested_mode(vtd):
    out = vtd.output("iommu")
    assert re.search(r"^unit 0: 0xfed90000 segment 0000 version 1\.0 %s "
                     r"mode, translation on$" % vtd.mode, out, re.M), out
    assert "  tables: %d levels" % vtd.levels in out
    assert "caching-mode" in out
    assert "rmrr: none" in out


def test_translation_enabled_in_qemu(vtd):
    # QEMU saw a root table pointer, then translation on, once.
    assert "vtd_reg_dmar_root" in vtd.trace
    assert re.search(r"vtd_dmar_enable .*(enable|true|1)", vtd.trace), \
        vtd.trace[:2000]
    assert "vtd_inv_desc_cc_global" in vtd.trace
    assert "vtd_inv_desc_iotlb_global" in vtd.trace


def test_default_deny_walk(vtd):
    out = vtd.output("iommu walk 01:00.0 0x100000")
    assert "not present -> blocked" in out


@pytest.mark.parametrize("bdf", ["01:00.0", "00:03.0"])
def test_selftest_passes(vtd, bdf):
    out = vtd.output("iommu selftest " + bdf)
    assert "selftest 0000:%s: passed (11 checks)" % bdf in out, out
    assert "FAIL" not in out


@pytest.mark.parametrize("bdf", ["01:00.0", "00:03.0"])
def test_selftest_walks_show_the_mappings(vtd, bdf):
    out = vtd.output("iommu selftest " + bdf)
    rw = re.search(r"iova 0x100000\n(?:.*\n)*?  -> 0x([0-9a-f]+) \(4 KiB "
                   r"page, read write\)", out)
    ro = re.search(r"iova 0x200000\n(?:.*\n)*?  -> 0x([0-9a-f]+) \(4 KiB "
                   r"page, read\)", out)
    assert rw and ro, out
    # Real translation: host pages, not the IOVAs themselves.
    assert int(rw.group(1), 16) != 0x100000
    assert int(ro.group(1), 16) != 0x200000
    assert len(re.findall(r"^  level \d table", out, re.M)) == \
        2 * vtd.levels
    if vtd.mode == "scalable":
        assert "pgtt 2" in out  # second-level translation in the PASID entry


def test_selftest_dma_really_translated(vtd):
    # QEMU translated the edu's DMA at our IOVAs (bus 1 dev 0 fn 0).
    lines = [l for l in vtd.trace.splitlines() if "vtd_dmar_translate" in l]
    assert any("0x100000" in l for l in lines), lines[:5]
    assert any("0x101000" in l for l in lines), lines[:5]


def test_faults_recorded_and_decoded(vtd):
    out = vtd.output("faults")
    m = re.search(r"^faults: (\d+) total", out, re.M)
    assert m and int(m.group(1)) >= 6, out
    # Read-only page: a write fault at 0x200000 with reason 5.
    assert re.search(r"unit 0 0000:01:00\.0 write 0x0*200000 reason 0x05",
                     out), out
    assert re.search(r"unit 0 0000:00:03\.0 write 0x0*200000 reason 0x05",
                     out), out
    # Blocked after detach: no context entry (legacy), no PASID entry
    # (scalable: QEMU 7.2 reports 0x58 for it).
    blocked = "0x02 context entry not present" if vtd.mode == "legacy" \
        else "0x58 sm: error accessing the PASID table entry"
    assert re.search(r"unit 0 0000:01:00\.0 write 0x[0-9a-f]+ reason %s" %
                     re.escape(blocked), out), out
    # QEMU recorded faults from the edu's requester ID too.
    assert "vtd_dmar_fault" in vtd.trace


def test_domains_cleaned_up(vtd):
    assert vtd.output("domains").strip() == "no domains"


def test_no_errors_logged(vtd):
    log = vtd.output("log")
    assert "error:" not in log, log
    assert "VT-d 0:" in log


def test_fault_storm_rate_limited_and_console_alive():
    topo = ["-device", "pcie-root-port,id=rp1,chassis=1,addr=04.0",
            "-device", "edu,bus=rp1",
            "-device", "pcie-root-port,id=rp2,chassis=2,addr=05.0",
            "-device", "edu,bus=rp2", "-device", "edu,addr=03.0"]
    with tempfile.TemporaryDirectory(prefix="hv-storm-") as tmp:
        trace = pathlib.Path(tmp) / "trace.log"
        r = hv_run(["iommu storm 01:00.0 02:00.0 00:03.0 -n 20", "faults",
                    "version", "log"],
                   qemu_args=topo + ["-trace", "enable=vtd_dmar_fault",
                                     "-D", str(trace)], timeout=240)
        qemu_faults = trace.read_text().count("vtd_dmar_fault")
    assert r.returncode == 0, r.stderr
    m = re.search(r"storm: 20 rounds on 3 device\(s\) in (\d+) ms: (\d+) "
                  r"faults read, (\d+) overflows, (\d+) not logged",
                  r.output("iommu storm 01:00.0 02:00.0 00:03.0 -n 20"))
    assert m, r.transcript[-3000:]
    ms, read, overflows, not_logged = map(int, m.groups())
    # The storm is real: QEMU raised thousands of faults per second.
    assert qemu_faults * 1000 / ms > 1000, (qemu_faults, ms)
    assert read >= 20 and overflows > 0 and not_logged > 0
    # The limiter closes each one-second window with a summary line when
    # it dropped lines: between two summaries at most 10 lines, and the
    # summaries at least a second apart.
    segments, stamps = [[]], []
    for t, msg in re.findall(r"^\[ *(\d+\.\d+)\] warning: (IOMMU: .*)$",
                             r.output("log"), re.M):
        if "faults not logged in the last second" in msg:
            segments.append([])
            stamps.append(float(t))
        else:
            segments[-1].append(float(t))
    assert len(stamps) >= 1, segments
    assert max(len(seg) for seg in segments) <= 10, segments
    assert all(b - a >= 0.99 for a, b in zip(stamps, stamps[1:])), stamps
    assert "faults not logged in the last second" in r.output("log")
    out = r.output("faults")
    assert re.search(r"faults: \d+ total, \d+ shown, [1-9]\d* dropped by "
                     r"hardware \(overflow\)", out), out
    assert r.output("version").startswith("hv ")


def test_no_iommu_boots_and_refuses():
    r = hv_run(["iommu", "iommu selftest 01:00.0", "log"], qemu_args=TOPOLOGY,
               iommu="none")
    assert r.returncode == 0, r.stderr
    assert r.output("iommu").startswith("no IOMMU unit: DMA cannot be "
                                        "isolated")
    assert r.output("iommu selftest 01:00.0").strip() == \
        "error: 0000:01:00.0 is behind no working IOMMU unit: its DMA " \
        "cannot be isolated"
    assert r.output("log").count("DMA cannot be isolated") == 1
