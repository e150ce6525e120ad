// SPDX-License-Identifier: MIT
/*
 * memcpy and memset for the core only: the loader gets them from gnu-efi,
 * and the compiler may emit calls to them, so they live apart from string.c.
 */
#include "kernel/lib/string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}
