/* SPDX-License-Identifier: MIT */
/* Segment selectors and descriptor tables of the core. */
#ifndef ARCH_X86_DESC_H
#define ARCH_X86_DESC_H

#include "kernel/types.h"

#define X86_SEL_CODE 0x08
#define X86_SEL_DATA 0x10
#define X86_SEL_TSS  0x18 /* 16-byte descriptor: slots 3 and 4 */

#define X86_VEC_DE  0
#define X86_VEC_NMI 2
#define X86_VEC_UD  6
#define X86_VEC_DF  8
#define X86_VEC_GP  13
#define X86_VEC_PF  14
#define X86_VEC_MC  18

/* Install the GDT, TSS (with IST stacks) and the exception IDT. */
void x86_desc_init(void);

#endif
