// SPDX-License-Identifier: MIT
/*
 * The end of QEMU's q35 DSDT (hw/i386/acpi-build.c build_dsdt): \_S3 and
 * \_S4 are absent, \_S5 is a four-element package of ZeroOps.
 */
DefinitionBlock ("", "DSDT", 1, "BOCHS ", "BXPC    ", 0x00000001)
{
    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, EisaId ("PNP0A03"))
            Name (_UID, Zero)
        }
    }

    Name (_S5, Package (0x04)
    {
        Zero,
        Zero,
        Zero,
        Zero
    })
}
