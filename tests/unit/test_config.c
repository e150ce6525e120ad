// SPDX-License-Identifier: MIT
/* hv.cfg parser: valid files, every rejection, and limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kernel/config.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

static struct config cfg;
static struct config_error err;

static int parse(const char *text)
{
	return config_parse(&cfg, text, strlen(text), &err);
}

static void expect_error(const char *text, unsigned line, const char *msg)
{
	assert_int_equal(parse(text), -HV_EINVAL);
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
	assert_int_equal(cfg.count, 0);
}

static void test_minimal(void **state)
{
	(void)state;
	assert_int_equal(parse("core = hv.elf\n"), 0);
	assert_int_equal(cfg.count, 1);
	assert_string_equal(config_get(&cfg, "core"), "hv.elf");
	assert_int_equal(cfg.entry[0].line, 1);
	assert_int_equal(cfg.entry[0].kind, CONFIG_FILE);
	assert_null(config_get(&cfg, "log.level"));
	assert_string_equal(config_get_or_default(&cfg, "log.level"), "info");
}

static void test_comments_spaces_crlf(void **state)
{
	(void)state;
	assert_int_equal(
		parse("# comment\r\n\r\n  core\t=  hv.elf   # trailing\r\n"
		      "module.guest1 = guests/g1.elf\r\n"
		      "log.level=debug"),
		0);
	assert_int_equal(cfg.count, 3);
	assert_string_equal(config_get(&cfg, "core"), "hv.elf");
	assert_string_equal(config_get(&cfg, "module.guest1"), "guests/g1.elf");
	assert_string_equal(config_get(&cfg, "log.level"), "debug");
	assert_int_equal(cfg.entry[1].line, 4);
}

static void test_hash_inside_value_kept(void **state)
{
	(void)state;
	/* '#' only starts a comment at line start or after white space. */
	expect_error("core = hv#1.elf\n", 1, "bad character in file name");
}

static void test_rejections(void **state)
{
	(void)state;
	expect_error("core = hv.elf\nfoo = 1\n", 2, "unknown key 'foo'");
	expect_error("core hv.elf\n", 1, "expected 'key = value'");
	expect_error(" = hv.elf\n", 1, "missing key");
	expect_error("core =   \n", 1, "missing value for key 'core'");
	expect_error("core = a.elf\ncore = b.elf\n", 2, "set twice");
	expect_error("log.level = loud\ncore = a\n", 1,
		     "bad value for key "
		     "'log.level'");
	expect_error("Core = a\n", 1, "bad character in key");
	expect_error("module. = a\ncore = a\n", 1, "unknown key 'module.'");
	expect_error("module.a.b = a\ncore = a\n", 1, "unknown key");
	expect_error("log.level = info\n", 0, "required key 'core' missing");
	expect_error("", 0, "required key 'core' missing");
	expect_error("core = a b\n", 1, "bad character in file name");
}

static void test_nul_and_long_lines(void **state)
{
	char buf[600];

	(void)state;
	assert_int_equal(config_parse(&cfg, "core = a\0b\n", 11, &err),
			 -HV_EINVAL);
	assert_string_equal(err.msg, "NUL byte in line");
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "core = ", 7);
	buf[sizeof(buf) - 1] = '\0';
	expect_error(buf, 1, "line too long");
	/* A value just over the value limit, on a line within limits. */
	memset(buf, 'b', 200);
	memcpy(buf, "core = ", 7);
	buf[200] = '\0';
	expect_error(buf, 1, "value too long");
	/* A file name over the file-name limit. */
	memset(buf, 'c', 100);
	memcpy(buf, "core = ", 7);
	buf[100] = '\0';
	expect_error(buf, 1, "file name too long");
}

static void test_too_many_keys(void **state)
{
	static char text[CONFIG_MAX_ENTRIES * 32 + 64];
	size_t n = 0;

	(void)state;
	n += (size_t)sprintf(text + n, "core = hv.elf\n");
	for (int i = 0; i < CONFIG_MAX_ENTRIES; i++)
		n += (size_t)sprintf(text + n, "module.m%d = m%d\n", i, i);
	expect_error(text, CONFIG_MAX_ENTRIES + 1, "too many keys");
}

static void test_no_newline_at_end(void **state)
{
	(void)state;
	assert_int_equal(parse("core = hv.elf"), 0);
	assert_string_equal(config_get(&cfg, "core"), "hv.elf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_comments_spaces_crlf),
		cmocka_unit_test(test_hash_inside_value_kept),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_nul_and_long_lines),
		cmocka_unit_test(test_too_many_keys),
		cmocka_unit_test(test_no_newline_at_end),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
