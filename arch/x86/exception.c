// SPDX-License-Identifier: MIT
/*
 * CPU exception report: vector, error code, RIP, CR2, registers and a
 * frame-pointer backtrace, printed straight to the UART, then this CPU
 * halts. The core has no exception it expects, so every one is a bug or a
 * hardware problem and continuing would risk isolation.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/exception.h"
#include "kernel/console/console.h"

#define BACKTRACE_MAX 16

extern char __image_start[], __image_end[];

static const char *const x86_exc_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor segment overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved",
};

static bool x86_frame_ok(uint64_t rbp)
{
	return (rbp & 7) == 0 && rbp >= (uint64_t)__image_start &&
	       rbp + 16 <= (uint64_t)__image_end;
}

static void x86_backtrace(uint64_t rip, uint64_t rbp)
{
	console_printf("backtrace (addr2line -e build/hv.elf ADDR):\n");
	console_printf("  #0  0x%016llx\n", (unsigned long long)rip);
	for (int i = 1; i < BACKTRACE_MAX && x86_frame_ok(rbp); i++) {
		const uint64_t *f = (const uint64_t *)rbp;

		if (f[1] == 0)
			break;
		console_printf("  #%-2d 0x%016llx\n", i,
			       (unsigned long long)f[1]);
		/* Frames grow towards higher addresses as we go up. */
		if (f[0] <= rbp)
			break;
		rbp = f[0];
	}
}

static void x86_dump_regs(const struct x86_frame *f)
{
	console_printf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
		       f->rax, f->rbx, f->rcx, f->rdx);
	console_printf("  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n",
		       f->rsi, f->rdi, f->rbp, f->rsp);
	console_printf("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n",
		       f->r8, f->r9, f->r10, f->r11);
	console_printf("  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n",
		       f->r12, f->r13, f->r14, f->r15);
	console_printf("  cs %llx ss %llx rflags %016llx\n", f->cs, f->ss,
		       f->rflags);
}

void x86_exception(struct x86_frame *f)
{
	static volatile int nesting;

	if (nesting++)
		cpu_halt_forever(); /* faulted while reporting: stay quiet */
	console_printf("\nEXCEPTION %s (vector %llu) error 0x%llx\n",
		       x86_exc_names[f->vector & 31], f->vector, f->error);
	console_printf("  rip %016llx cr2 %016llx cr3 %016llx\n", f->rip,
		       (unsigned long long)read_cr2(),
		       (unsigned long long)read_cr3());
	x86_dump_regs(f);
	x86_backtrace(f->rip, f->rbp);
	console_printf("CPU halted.\n");
	cpu_halt_forever();
}
