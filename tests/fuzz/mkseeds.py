#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed corpus for tests/fuzz/fuzz_acpi.c from the iasl fixtures.

usage: mkseeds.py OUTDIR FILE.aml...

The first byte of each seed selects the fuzzer's mode (see fuzz_acpi.c):
0 a flat memory image (RSDP, XSDT and tables at FLAT_BASE), 1 one table,
2 several tables back to back, 3 the AML body of a DSDT.
"""
import os
import struct
import sys

FLAT_BASE = 0x00100000
SDT_HEADER = 36


def checksum(table):
    table[9] = 0
    table[9] = (-sum(table)) & 0xff


def table(sig, body, revision=1):
    """An SDT with the given body, length and checksum filled in."""
    t = bytearray(sig + struct.pack('<I', SDT_HEADER + len(body)) +
                  bytes([revision, 0]) + b'BOCHS BXPC    ' + b'\0' * 12 +
                  body)
    checksum(t)
    return bytes(t)


def limits():
    """Tables that reach the parsers' static limits (see acpi.h)."""
    scope = bytes([1, 8, 0, 0, 0, 0, 3, 0])
    many = scope * 66
    drhd = struct.pack('<HHBBHQ', 0, 16 + len(many), 0, 0, 1, 0xfee00000)
    drhd += many
    drhd += b''.join(struct.pack('<HHBBHQ', 0, 16, 0, 0, 0,
                                 0xfed00000 + i * 4096) for i in range(17))
    dmar = table(b'DMAR', bytes([38, 1]) + b'\0' * 10 + drhd)
    cpus = b''.join(struct.pack('<BBHIII', 9, 16, 0, i, 1, i)
                    for i in range(258))
    ioapics = b''.join(struct.pack('<BBBBII', 1, 12, i, 0, 0xfec00000, 24 * i)
                       for i in range(17))
    madt = table(b'APIC', struct.pack('<II', 0xfee00000, 1) + cpus + ioapics)
    mcfg = table(b'MCFG', b'\0' * 8 + b''.join(
        struct.pack('<QHBBI', 0xc0000000 + (i << 28), i, 0, 255, 0)
        for i in range(17)))
    return dmar, madt, mcfg


def flat_image(tables):
    """RSDP at offset 0, XSDT at 64, then the tables, 16-byte aligned."""
    xsdt_len = SDT_HEADER + 8 * len(tables)
    image = bytearray(64 + xsdt_len)
    offsets = []
    for t in tables:
        image += b'\0' * (-len(image) % 16)
        offsets.append(len(image))
        image += t
    xsdt = bytearray(b'XSDT' + struct.pack('<I', xsdt_len) +
                     b'\1\0BOCHS BXPC    ' + b'\0' * 12)
    for off in offsets:
        xsdt += struct.pack('<Q', FLAT_BASE + off)
    checksum(xsdt)
    rsdp = bytearray(b'RSD PTR \0BOCHS \2' + struct.pack('<I', 0) +
                     struct.pack('<IQ', 36, FLAT_BASE + 64) + b'\0' * 4)
    rsdp[8] = (-sum(rsdp[:20])) & 0xff
    rsdp[32] = (-sum(rsdp)) & 0xff
    image[0:36] = rsdp
    image[64:64 + xsdt_len] = xsdt
    return bytes(image)


def main():
    out, files = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    tables = {os.path.splitext(os.path.basename(f))[0]: open(f, 'rb').read()
              for f in files}
    seeds = {}
    for name, data in tables.items():
        seeds['single_' + name] = b'\1' + data
        if name.startswith('dsdt'):
            seeds['aml_' + name] = b'\3' + data[SDT_HEADER:]
    seeds['multi_facp_dsdt'] = b'\2' + tables['facp'] + tables['dsdt_s5']
    seeds['multi_platform'] = (b'\2' + tables['madt'] + tables['mcfg'] +
                               tables['dmar_multi'])
    seeds['flat_qemu'] = b'\0' + flat_image(
        [tables['madt'], tables['mcfg'], tables['dmar_qemu']])
    dmar, madt, mcfg = limits()
    seeds['limits_dmar'] = b'\1' + dmar
    seeds['limits_multi'] = b'\2' + madt + mcfg + dmar
    for name, data in seeds.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
