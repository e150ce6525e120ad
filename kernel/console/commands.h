/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_COMMANDS_H
#define KERNEL_CONSOLE_COMMANDS_H

#include "kernel/console/shell.h"

/* Every console command of the core. */
extern const struct shell commands_shell;

/* Read lines from the UART and run them, forever. */
void console_loop(void) __noreturn;

#endif
