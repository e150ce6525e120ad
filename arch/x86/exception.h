/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_EXCEPTION_H
#define ARCH_X86_EXCEPTION_H

#include "kernel/types.h"

/* What vectors.asm pushed, lowest address first. */
struct x86_frame {
	unsigned long long r15, r14, r13, r12, r11, r10, r9, r8;
	unsigned long long rbp, rdi, rsi, rdx, rcx, rbx, rax;
	unsigned long long vector, error;
	unsigned long long rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

void x86_exception(struct x86_frame *f);

/* Raise exception vec on purpose (the `trap` console command). */
void x86_trap(unsigned vec);

/* Write to the core's text, and execute data: both must page-fault. */
void x86_trap_wp(void);
void x86_trap_nx(void);

#endif
