// SPDX-License-Identifier: MIT
/* Records log lines in memory instead of printing them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/console.h"
#include "kernel/log.h"
#include "stub_log.h"

static char stub_log_buf[1 << 16];
static size_t stub_log_len;
static int stub_log_lines;

void stub_log_reset(void)
{
	stub_log_len = 0;
	stub_log_lines = 0;
	stub_log_buf[0] = '\0';
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	size_t room = sizeof(stub_log_buf) - stub_log_len;
	va_list ap;
	int n;

	(void)level;
	va_start(ap, fmt);
	n = vsnprintf(stub_log_buf + stub_log_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 > room)
		return;
	stub_log_len += (size_t)n;
	stub_log_buf[stub_log_len++] = '\n';
	stub_log_buf[stub_log_len] = '\0';
	stub_log_lines++;
	if (getenv("STUB_LOG_PRINT"))
		fprintf(stderr, "log: %.*s", n + 1,
			stub_log_buf + stub_log_len - n - 1);
}

bool stub_log_contains(const char *needle)
{
	return strstr(stub_log_buf, needle) != NULL;
}

int stub_log_count(void)
{
	return stub_log_lines;
}

const char *stub_log_text(void)
{
	return stub_log_buf;
}

/* Console output of commands, kept apart from the log. */
static char stub_console_buf[1 << 16];
static size_t stub_console_len;

void stub_console_reset(void)
{
	stub_console_len = 0;
	stub_console_buf[0] = '\0';
}

const char *stub_console_text(void)
{
	return stub_console_buf;
}

static void stub_console_vadd(const char *fmt, va_list ap)
{
	size_t room = sizeof(stub_console_buf) - stub_console_len;
	int n = vsnprintf(stub_console_buf + stub_console_len, room, fmt, ap);

	if (n < 0)
		return;
	stub_console_len += (size_t)n < room ? (size_t)n : room - 1;
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stub_console_vadd(fmt, ap);
	va_end(ap);
}

static void stub_console_add(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stub_console_vadd(fmt, ap);
	va_end(ap);
}

void console_error(const char *fmt, ...)
{
	va_list ap;

	stub_console_add("error: ");
	va_start(ap, fmt);
	stub_console_vadd(fmt, ap);
	va_end(ap);
	stub_console_add("\n");
}
