// SPDX-License-Identifier: MIT
/* Console output on the UART, with "\n" sent as "\r\n". */
#include "arch/x86/uart.h"
#include "kernel/console/console.h"
#include "kernel/lib/string.h"

#define CONSOLE_LINE_MAX 512

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

static void console_vprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_LINE_MAX];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

void console_error(const char *fmt, ...)
{
	va_list ap;

	console_write("error: ", 7);
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	console_write("\n", 1);
}
