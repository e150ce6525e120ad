# SPDX-License-Identifier: MIT
"""The loader stops with one clear line on a bad hv.cfg or a bad file."""

import pytest
from conftest import hv_run

CASES = [
    ("unknown-key", {"config": "core = hv.elf\ncolour = blue\n"},
     "hvboot: error: hv.cfg:2: unknown key 'colour'"),
    ("no-core", {"config": "log.level = info\n"},
     "hvboot: error: hv.cfg: required key 'core' missing"),
    ("bad-value", {"config": "core = hv.elf\nlog.level = loud\n"},
     "hvboot: error: hv.cfg:2: bad value for key 'log.level': 'loud' "
     "(expected error|warn|info|debug)"),
    ("missing-file", {"config": "core = nothere.elf\n"},
     "hvboot: error: cannot read 'nothere.elf' (hv.cfg:1): Not Found"),
    ("missing-module", {"config": "core = hv.elf\nmodule.g = g.bin\n"},
     "hvboot: error: cannot read 'g.bin' (hv.cfg:2): Not Found"),
    ("corrupt-core", {"esp_files": {"hv.elf": b"\x7fELF" + b"\0" * 200}},
     "hvboot: error: core 'hv.elf': not a 64-bit x86 ELF file"),
]


@pytest.mark.parametrize("name,kwargs,msg", CASES, ids=[c[0] for c in CASES])
def test_loader_refuses(name, kwargs, msg):
    r = hv_run(["version"], timeout=90, **kwargs)
    assert r.returncode == 2, r.stderr
    assert msg in r.transcript
    assert "hvboot: boot stopped" in r.transcript
    assert "hv> " not in r.transcript


def test_module_is_loaded():
    r = hv_run(["log"], config="core = hv.elf\nmodule.blob = blob.bin\n",
               esp_files={"blob.bin": b"x" * 5000})
    assert r.returncode == 0, r.stderr
    assert "BOOT: module blob = blob.bin at 0x" in r.output("log")
    assert ", 5000 bytes" in r.output("log")
