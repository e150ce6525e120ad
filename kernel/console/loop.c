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

static struct line_editor console_le;
static bool console_at_prompt; /* the prompt and a partial line are shown */

static void console_prompt(void)
{
	console_write(CONSOLE_PROMPT, sizeof(CONSOLE_PROMPT) - 1);
	console_at_prompt = true;
}

/*
 * A log line that arrives while the user is typing (a fault seen by the
 * idle poll) goes on a line of its own; the prompt and what was typed so
 * far are shown again after it.
 */
void console_log_line(const char *line, size_t n)
{
	if (console_at_prompt)
		console_write("\n", 1);
	console_write(line, n);
	if (console_at_prompt) {
		console_write(CONSOLE_PROMPT, sizeof(CONSOLE_PROMPT) - 1);
		console_write(console_le.buf, console_le.len);
	}
}

void console_loop(void)
{
	struct line_editor *le = &console_le;
	uint64_t last_idle = 0;

	line_init(le);
	console_prompt();
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
		ev = line_feed(le, c, console_write);
		if (ev == LINE_NONE)
			continue;
		console_at_prompt = false;
		if (ev == LINE_DONE)
			shell_run(&commands_shell, le->buf);
		console_prompt();
	}
}
