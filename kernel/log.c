// SPDX-License-Identifier: MIT
/*
 * The log: every line is time-stamped and kept in a ring buffer (shown by
 * the `log` command); lines at or above the console level are printed too.
 */
#include "kernel/console/console.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/log_buf.h"
#include "kernel/time.h"

#define LOG_BUF_SIZE (64 * 1024)
#define LOG_LINE_MAX 256

static char log_buf[LOG_BUF_SIZE];
static uint64_t log_head; /* bytes ever written; position = head % size */
static enum log_level log_console_level = LOG_INFO;

static const char *const log_level_names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level level)
{
	log_console_level = level;
}

int log_level_from_name(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(log_level_names); i++)
		if (strcmp(name, log_level_names[i]) == 0)
			return (int)i;
	return -1;
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += n;
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	uint64_t us = time_us();
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "[%4llu.%06llu] %s",
		     (unsigned long long)(us / 1000000),
		     (unsigned long long)(us % 1000000),
		     level == LOG_ERR	 ? "error: "
		     : level == LOG_WARN ? "warning: "
					 : "");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	line[n] = '\0';
	log_store(line, (size_t)n);
	if (level <= log_console_level)
		console_log_line(line, (size_t)n);
}

void log_dump(void)
{
	uint64_t start = 0;

	if (log_head > LOG_BUF_SIZE) {
		start = log_head - LOG_BUF_SIZE;
		/* Skip the partial first line. */
		while (start < log_head &&
		       log_buf[start % LOG_BUF_SIZE] != '\n')
			start++;
		start++;
		console_printf("(older lines dropped)\n");
	}
	for (uint64_t i = start; i < log_head; i++) {
		char c = log_buf[i % LOG_BUF_SIZE];

		console_printf("%c", c);
	}
}
