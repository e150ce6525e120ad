/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/types.h"

/*
 * Stop the machine: a threat to isolation or a bug in the core. Prints
 * "PANIC: <message>" and a backtrace, then halts.
 */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define ASSERT(c)                                                             \
	do {                                                                  \
		if (!(c))                                                     \
			panic("assertion '%s' failed at %s:%d", #c, __FILE__, \
			      __LINE__);                                      \
	} while (0)

#endif
