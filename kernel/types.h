/* SPDX-License-Identifier: MIT */
/*
 * Basic types and bit helpers shared by the core, the loader and host tests.
 * Only compiler-provided freestanding headers are used here.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BIT(n) (1ull << (n))
/* Mask of bits hi..lo inclusive, as in the specifications' tables. */
#define BIT_MASK(hi, lo) ((~0ull >> (63 - (hi))) & ~((1ull << (lo)) - 1))
/* Extract / insert a field described by a contiguous mask. */
#define FIELD_GET(mask, v)  (((uint64_t)(v) & (mask)) >> __builtin_ctzll(mask))
#define FIELD_PREP(mask, v) (((uint64_t)(v) << __builtin_ctzll(mask)) & (mask))

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096ull

#define __packed       __attribute__((packed))
#define __noreturn     __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#endif
