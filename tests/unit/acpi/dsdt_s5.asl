// SPDX-License-Identifier: MIT
/*
 * DSDT whose \_S5 is (5, 0): a ByteConst then a ZeroOp, in a package long
 * enough (reserved DWord elements) to need a two-byte PkgLength. Before
 * it, "_S5_" appears in a string and in a reference, which the scanner
 * must not take for \_S5.
 */
DefinitionBlock ("", "DSDT", 2, "BOCHS ", "BXPC    ", 0x00000001)
{
    Name (DCOY, "_S5_")
    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_UID, Zero)
            Method (SLPT, 0, NotSerialized)
            {
                Return (DerefOf (Index (\_S5, Zero)))
            }
        }
    }

    Name (\_S4, Package (0x04)
    {
        0x04, 0x04, Zero, Zero
    })
    Name (\_S5, Package (0x10)
    {
        0x05,
        Zero,
        0x12345678, 0x12345678, 0x12345678, 0x12345678,
        0x12345678, 0x12345678, 0x12345678, 0x12345678,
        0x12345678, 0x12345678, 0x12345678, 0x12345678,
        0x12345678, 0x12345678
    })
}
