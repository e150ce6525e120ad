/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_PAGING_H
#define ARCH_X86_PAGING_H

#include "kernel/types.h"

/*
 * Build the core's identity map of [0, top) and switch to it: write-back
 * where the UEFI map lists memory, uncached elsewhere (device windows);
 * page 0 is left unmapped so null dereferences fault.
 */
int paging_init(uint64_t top);

/* End of the identity-mapped range. */
uint64_t paging_top(void);

#endif
