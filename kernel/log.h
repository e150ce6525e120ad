/* SPDX-License-Identifier: MIT */
/*
 * Levelled logging. Each call is one whole line (no trailing newline in the
 * format); callers start it with their fixed prefix ("ACPI: ", "PCI ...: ").
 * The core time-stamps it, keeps it in the log buffer and prints it on the
 * console when its level is at or above the configured one. Host unit tests
 * link a recorder instead (tests/unit/stub_log.c).
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include "kernel/types.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_printf(enum log_level level, const char *fmt, ...) __printf(2, 3);

#define log_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
