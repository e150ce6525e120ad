// SPDX-License-Identifier: MIT
/* The core's vsnprintf against the C library's, and str_to_u64. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kernel/lib/string.h"

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define SAME(fmt, ...)                                                \
	do {                                                          \
		char a[128], b[128];                                  \
		int na = hv_snprintf(a, sizeof(a), fmt, __VA_ARGS__); \
		int nb = snprintf(b, sizeof(b), fmt, __VA_ARGS__);    \
		assert_string_equal(a, b);                            \
		assert_int_equal(na, nb);                             \
	} while (0)

static void test_against_libc(void **state)
{
	(void)state;
	SAME("%d %i %u", -42, 17, 4000000000u);
	SAME("%x %X %o", 0xbeefu, 0xbeefu, 8u);
	SAME("%5d|%-5d|%05d|%-5d|%05d", 42, 42, 42, -42, -42);
	SAME("%016llx %lu %zu", 0x1234ull, 99ul, (size_t)7);
	SAME("%lld %hhu %hd", -9223372036854775807ll - 1, 300, 70000);
	SAME("%s|%8s|%-8s|%.3s|%-6.2s|", "abc", "abc", "abc", "abcdef", "xyz");
	SAME("%c%c %%", 'o', 'k');
	SAME("%p", (void *)0x1000);
	SAME("%02x:%02x.%x", 3, 1, 0);
	SAME("%s", "");
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(hv_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(hv_snprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	assert_int_equal(hv_snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_str_to_u64(void **state)
{
	uint64_t v;

	(void)state;
	assert_true(str_to_u64("0", &v) && v == 0);
	assert_true(str_to_u64("12345", &v) && v == 12345);
	assert_true(str_to_u64("0xfed90000", &v) && v == 0xfed90000);
	assert_true(str_to_u64("0XFF", &v) && v == 255);
	assert_true(str_to_u64("18446744073709551615", &v) && v == UINT64_MAX);
	assert_false(str_to_u64("18446744073709551616", &v));
	assert_false(str_to_u64("0x10000000000000000", &v));
	assert_false(str_to_u64("", &v));
	assert_false(str_to_u64("0x", &v));
	assert_false(str_to_u64("12a", &v));
	assert_false(str_to_u64("-1", &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_libc),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_str_to_u64),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
