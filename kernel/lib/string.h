/* SPDX-License-Identifier: MIT */
/*
 * String and formatting functions. The core provides its own small
 * implementations (kernel/lib/string.c, kernel/lib/format.c); host unit
 * tests and the loader build use the C library's, so shared code includes
 * this header and uses only the standard names.
 *
 * The core's vsnprintf supports: %d %i %u %x %X %o %c %s %p %% with the
 * flags '-', '0', width, '.precision' for strings and the length modifiers
 * hh h l ll z j t. Shared code must stay within that subset.
 */
#ifndef KERNEL_LIB_STRING_H
#define KERNEL_LIB_STRING_H

#include "kernel/types.h"
#include <stdarg.h>

#if __STDC_HOSTED__
#include <stdio.h>
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
#endif

/* Parse an unsigned number (decimal, or hex with 0x) that fills all of s. */
bool str_to_u64(const char *s, uint64_t *out);

#endif
