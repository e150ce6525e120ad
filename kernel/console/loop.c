// SPDX-License-Identifier: MIT
/* The prompt loop on the serial console. */
#include "arch/x86/cpu.h"
#include "arch/x86/uart.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/line.h"

#define CONSOLE_PROMPT "hv> "

void console_loop(void)
{
	static struct line_editor le;

	line_init(&le);
	console_write(CONSOLE_PROMPT, sizeof(CONSOLE_PROMPT) - 1);
	for (;;) {
		int c = uart_getc();
		enum line_event ev;

		if (c < 0) {
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
