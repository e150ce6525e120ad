// SPDX-License-Identifier: MIT
/* Deliberate exceptions for testing the handler (`trap` command). */
#include "arch/x86/desc.h"
#include "arch/x86/exception.h"

/* A return instruction in data: executing it must fault (NX). */
static volatile uint8_t x86_trap_data_code[16] = {0xc3};

void x86_trap_wp(void)
{
	/* Text is read-only: this write must fault. */
	*(volatile uint8_t *)(uintptr_t)x86_trap = 0x90;
}

void x86_trap_nx(void)
{
	((void (*)(void))(uintptr_t)x86_trap_data_code)();
}

void x86_trap(unsigned vec)
{
	volatile int zero = 0;
	volatile int v;

	switch (vec) {
	case X86_VEC_DE:
		v = 1 / zero;
		(void)v;
		break;
	case 3:
		__asm__ volatile("int3");
		break;
	case X86_VEC_UD:
		__asm__ volatile("ud2");
		break;
	case X86_VEC_GP:
		/* A non-canonical address. */
		v = *(volatile int *)0x8000000000000000ull;
		break;
	case X86_VEC_PF:
		/* Page 0 is not mapped. */
		v = *(volatile int *)(uintptr_t)zero;
		break;
	default:
		break;
	}
}
