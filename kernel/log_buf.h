/* SPDX-License-Identifier: MIT */
/* The core's side of the log: console level and the kept lines. */
#ifndef KERNEL_LOG_BUF_H
#define KERNEL_LOG_BUF_H

#include "kernel/log.h"

/* Lines above this level are kept but not printed. */
void log_set_level(enum log_level level);

/* Level for "error", "warn", "info" or "debug", or -1. */
int log_level_from_name(const char *name);

/* Print every kept line (the `log` command). */
void log_dump(void);

#endif
