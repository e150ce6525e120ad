/* SPDX-License-Identifier: MIT */
/* Host-side log recorder: unit tests assert on what the code logged. */
#ifndef TESTS_UNIT_STUB_LOG_H
#define TESTS_UNIT_STUB_LOG_H

#include <stdbool.h>

/* Forget every recorded line. */
void stub_log_reset(void);
/* True when some recorded line contains needle. */
bool stub_log_contains(const char *needle);
/* Number of lines recorded since the last reset. */
int stub_log_count(void);
/* The recorded lines, one per line, for failure messages. */
const char *stub_log_text(void);

/* Forget the recorded console output (console_printf/console_error). */
void stub_console_reset(void);
/* Everything printed on the console since the last reset. */
const char *stub_console_text(void);

#endif
