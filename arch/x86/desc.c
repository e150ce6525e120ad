// SPDX-License-Identifier: MIT
/*
 * GDT, TSS and IDT of the boot CPU (SDM vol. 3, 3.4.5, 7.2.3, 6.14.1).
 * Double fault, NMI and machine check run on their own IST stacks so a
 * corrupt stack still produces a report.
 */
#include "arch/x86/desc.h"

#define GDT_CODE64   0x00209a0000000000ull /* P, DPL0, code, exec/read, L */
#define GDT_DATA     0x0000920000000000ull /* P, DPL0, data, read/write */
#define GDT_TSS_TYPE 0x89ull		   /* P, 64-bit TSS (available) */

#define IDT_GATE_INT   0x8e /* P, DPL0, 64-bit interrupt gate */
#define IST_STACK_SIZE 16384

enum { IST_DF = 1, IST_NMI = 2, IST_MC = 3 };

struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct x86_tss) == 104, "x86_tss");

struct x86_idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct x86_idt_gate) == 16, "x86_idt_gate");

struct x86_desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static uint64_t x86_gdt[5] __attribute__((aligned(16)));
static struct x86_tss x86_tss __attribute__((aligned(16)));
static struct x86_idt_gate x86_idt[256] __attribute__((aligned(16)));
static uint8_t x86_ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

extern const uint64_t x86_exception_stub_table[32];
void x86_load_gdt(const struct x86_desc_ptr *gdtr, uint64_t cs, uint64_t ds);

static void x86_set_tss_desc(uint64_t *slot, uint64_t base, uint32_t limit)
{
	slot[0] = (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
		  (GDT_TSS_TYPE << 40) | (((uint64_t)limit >> 16 & 0xf) << 48) |
		  ((base >> 24 & 0xff) << 56);
	slot[1] = base >> 32;
}

static void x86_set_gate(unsigned vec, uint64_t handler, uint8_t ist)
{
	struct x86_idt_gate *g = &x86_idt[vec];

	g->off_lo = (uint16_t)handler;
	g->sel = X86_SEL_CODE;
	g->ist = ist;
	g->type = IDT_GATE_INT;
	g->off_mid = (uint16_t)(handler >> 16);
	g->off_hi = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void x86_desc_init(void)
{
	struct x86_desc_ptr gdtr = {sizeof(x86_gdt) - 1, (uint64_t)x86_gdt};
	struct x86_desc_ptr idtr = {sizeof(x86_idt) - 1, (uint64_t)x86_idt};

	x86_gdt[0] = 0;
	x86_gdt[X86_SEL_CODE / 8] = GDT_CODE64;
	x86_gdt[X86_SEL_DATA / 8] = GDT_DATA;
	for (int i = 0; i < 3; i++)
		x86_tss.ist[i] = (uint64_t)&x86_ist_stacks[i][IST_STACK_SIZE];
	x86_tss.iomap_base = sizeof(x86_tss); /* no I/O permission bitmap */
	x86_set_tss_desc(&x86_gdt[X86_SEL_TSS / 8], (uint64_t)&x86_tss,
			 sizeof(x86_tss) - 1);
	x86_load_gdt(&gdtr, X86_SEL_CODE, X86_SEL_DATA);
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)X86_SEL_TSS));

	for (unsigned v = 0; v < 32; v++)
		x86_set_gate(v, x86_exception_stub_table[v],
			     v == X86_VEC_DF	? IST_DF
			     : v == X86_VEC_NMI ? IST_NMI
			     : v == X86_VEC_MC	? IST_MC
						: 0);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
