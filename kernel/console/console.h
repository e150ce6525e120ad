/* SPDX-License-Identifier: MIT */
/*
 * Console output used by shell commands. Host unit tests link a recorder
 * (tests/unit/stub_log.c) so command output can be asserted.
 */
#ifndef KERNEL_CONSOLE_CONSOLE_H
#define KERNEL_CONSOLE_CONSOLE_H

#include "kernel/types.h"

/* Print to the console (no time stamp, not kept in the log). */
void console_printf(const char *fmt, ...) __printf(1, 2);

/* Write n bytes as they are ("\n" becomes CR LF on the wire). */
void console_write(const char *s, size_t n);

/*
 * Print a finished log line; when the user is typing at the prompt, on a
 * line of its own with the prompt and the partial line shown again.
 */
void console_log_line(const char *line, size_t n);

/* Print one line "error: <message>" (fmt has no trailing newline). */
void console_error(const char *fmt, ...) __printf(1, 2);

#endif
