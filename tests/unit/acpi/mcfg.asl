/* SPDX-License-Identifier: MIT */
/*
 * MCFG with the q35 window (OVMF maps ECAM at 0xb0000000, buses 0-255)
 * and a second window for segment 1, buses 0x80-0xff.
 * Compiled with iasl (data table syntax, see `iasl -T MCFG`).
 */
[0004]                          Signature : "MCFG"
[0004]                       Table Length : 00000000
[0001]                           Revision : 01
[0001]                           Checksum : 00
[0006]                             Oem ID : "BOCHS "
[0008]                       Oem Table ID : "BXPC    "
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "BXPC"
[0004]              Asl Compiler Revision : 00000001

[0008]                           Reserved : 0000000000000000

[0008]                       Base Address : 00000000B0000000
[0002]               Segment Group Number : 0000
[0001]                   Start Bus Number : 00
[0001]                     End Bus Number : FF
[0004]                           Reserved : 00000000

[0008]                       Base Address : 0000004000000000
[0002]               Segment Group Number : 0001
[0001]                   Start Bus Number : 80
[0001]                     End Bus Number : FF
[0004]                           Reserved : 00000000
