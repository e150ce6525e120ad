// SPDX-License-Identifier: MIT
/*
 * DSDT without \_S5 (only \_S4, and "_S5_" inside a string).
 */
DefinitionBlock ("", "DSDT", 2, "BOCHS ", "BXPC    ", 0x00000001)
{
    Name (DCOY, "_S5_")
    Name (\_S4, Package (0x04)
    {
        0x04, 0x04, Zero, Zero
    })
}
