/* SPDX-License-Identifier: MIT */
/*
 * A single INCLUDE_PCI_ALL unit for segment 1, no scopes.
 * Compiled with iasl (data table syntax, see `iasl -T DMAR`).
 */
[0004]                          Signature : "DMAR"
[0004]                       Table Length : 00000000
[0001]                           Revision : 01
[0001]                           Checksum : 00
[0006]                             Oem ID : "BOCHS "
[0008]                       Oem Table ID : "BXPC    "
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "BXPC"
[0004]              Asl Compiler Revision : 00000001

[0001]                 Host Address Width : 2F
[0001]                              Flags : 00
[0010]                           Reserved : 00 00 00 00 00 00 00 00 00 00

[0002]                      Subtable Type : 0000 [Hardware Unit Definition]
[0002]                             Length : 0010

[0001]                              Flags : 01
[0001]                           Reserved : 00
[0002]                 PCI Segment Number : 0001
[0008]              Register Base Address : 00000000FED92000
