// SPDX-License-Identifier: MIT
/*
 * DSDT whose \_S5 is (1, 7): a OneOp then a ByteConst, in a two-element
 * package declared inside Scope (\) without the root prefix.
 */
DefinitionBlock ("", "DSDT", 1, "BOCHS ", "BXPC    ", 0x00000001)
{
    Scope (\)
    {
        Name (_S5, Package (0x02)
        {
            One,
            0x07
        })
    }
}
