// SPDX-License-Identifier: MIT
/* The prompt loop on the serial console. */
#include "arch/x86/cpu.h"
#include "arch/x86/uart.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/line.h"
#include "kernel/main.h"
#include "kernel/time.h"

#define CONSOLE_IDLE_US 10000 /* background work while waiting for keys */

#define CONSOLE_PROMPT "hv> "

void console_loop(void)
{
	static struct line_editor le;
	uint64_t last_idle = 0;

	line_init(&le);
	console_write(CONSOLE_PROMPT, sizeof(CONSOLE_PROMPT) - 1);
	for (;;) {
		int c = uart_getc();
		enum line_event ev;

		if (c < 0) {
			if (time_us() - last_idle >= CONSOLE_IDLE_US) {
				main_idle();
				last_idle = time_us();
			}
			cpu_relax();
			continue;
		}
		ev = line_feed(&le, c, console_write);
		if (ev == LINE_DONE)
			shell_run(&commands_shell, le.buf);
		if (ev != LINE_NONE)
			console_write(CONSOLE_PROMPT,
				      sizeof(CONSOLE_PROMPT) - 1);
	}
}
