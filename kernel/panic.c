// SPDX-License-Identifier: MIT
#include "arch/x86/cpu.h"
#include "kernel/console/console.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	cpu_cli();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_printf("\nPANIC: %s\n", msg);
	console_printf(
		"  caller 0x%llx\n",
		(unsigned long long)(uintptr_t)__builtin_return_address(0));
	console_printf("machine halted.\n");
	cpu_halt_forever();
}
