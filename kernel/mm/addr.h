/* SPDX-License-Identifier: MIT */
/*
 * Distinct types for distinct address spaces, so a guest-physical or I/O
 * virtual address cannot be passed where a host-physical one is expected.
 * Single-member value types; converting is always a named function.
 */
#ifndef KERNEL_MM_ADDR_H
#define KERNEL_MM_ADDR_H

#include "kernel/types.h"

typedef struct {
	uint64_t v;
} hpa_t; /* host physical */
typedef struct {
	uint64_t v;
} gpa_t; /* guest physical */
typedef struct {
	uint64_t v;
} iova_t; /* I/O virtual (device view) */

static inline hpa_t hpa(uint64_t v)
{
	return (hpa_t){v};
}

static inline gpa_t gpa(uint64_t v)
{
	return (gpa_t){v};
}

static inline iova_t iova(uint64_t v)
{
	return (iova_t){v};
}

#endif
