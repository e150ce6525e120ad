// SPDX-License-Identifier: MIT
/* Number parsing shared by the core, the loader and host tests. */
#include "kernel/lib/string.h"

static int strconv_digit(char c, unsigned base)
{
	unsigned d;

	if (c >= '0' && c <= '9')
		d = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		d = (unsigned)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		d = (unsigned)(c - 'A' + 10);
	else
		return -1;
	return d < base ? (int)d : -1;
}

bool str_to_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		int d = strconv_digit(*s, base);

		if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return true;
}
