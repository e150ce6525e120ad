// SPDX-License-Identifier: MIT
/* Console line editor and command dispatch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/line.h"
#include "kernel/console/shell.h"
#include "kernel/errno.h"
#include "stub_log.h"

static char echoed[4096];
static size_t echoed_len;

static void echo(const char *s, size_t n)
{
	assert_true(echoed_len + n < sizeof(echoed));
	memcpy(echoed + echoed_len, s, n);
	echoed_len += n;
	echoed[echoed_len] = '\0';
}

static struct line_editor le;

/* Feed bytes; return the last event. */
static enum line_event feed(const char *s, size_t n)
{
	enum line_event ev = LINE_NONE;

	for (size_t i = 0; i < n; i++)
		ev = line_feed(&le, (unsigned char)s[i], echo);
	return ev;
}

#define FEED(lit) feed(lit, sizeof(lit) - 1)

static void reset(void)
{
	line_init(&le);
	echoed_len = 0;
	echoed[0] = '\0';
}

static void test_plain_line(void **state)
{
	(void)state;
	reset();
	assert_int_equal(FEED("help"), LINE_NONE);
	assert_int_equal(FEED("\r"), LINE_DONE);
	assert_string_equal(le.buf, "help");
	assert_string_equal(echoed, "help\n");
}

static void test_backspace_and_del(void **state)
{
	(void)state;
	reset();
	assert_int_equal(FEED("helx\bp\x7f\x7fp\r"), LINE_DONE);
	assert_string_equal(le.buf, "hep");
	/* Backspace on an empty line does nothing. */
	reset();
	assert_int_equal(FEED("\b\b\x7fmem\n"), LINE_DONE);
	assert_string_equal(le.buf, "mem");
	assert_string_equal(echoed, "mem\n");
}

static void test_ctrl_c_drops_line(void **state)
{
	(void)state;
	reset();
	assert_int_equal(FEED("poweroff\x03"), LINE_CANCEL);
	assert_string_equal(le.buf, "");
	assert_non_null(strstr(echoed, "^C\n"));
	assert_int_equal(FEED("version\r"), LINE_DONE);
	assert_string_equal(le.buf, "version");
}

static void test_ctrl_u_and_escapes(void **state)
{
	(void)state;
	reset();
	/* Arrow keys (ESC [ A, ESC O B) and Ctrl-U are not inserted. */
	assert_int_equal(FEED("abc\x1b[A\x1bOB\x15log\r"), LINE_DONE);
	assert_string_equal(le.buf, "log");
	reset();
	assert_int_equal(FEED("x\x1b[1;5Cy\t\r"), LINE_DONE);
	assert_string_equal(le.buf, "xy");
}

static void test_crlf_is_one_line(void **state)
{
	(void)state;
	reset();
	assert_int_equal(FEED("a\r\n"), LINE_NONE);
	assert_string_equal(le.buf, "a");
	assert_int_equal(FEED("\n"), LINE_DONE); /* a real empty line */
	assert_string_equal(le.buf, "");
}

static void test_line_limit(void **state)
{
	char big[LINE_MAX + 10];

	(void)state;
	reset();
	memset(big, 'a', sizeof(big));
	feed(big, sizeof(big));
	assert_int_equal(le.len, LINE_MAX);
	assert_non_null(strchr(echoed, '\a'));
	assert_int_equal(FEED("\r"), LINE_DONE);
	assert_int_equal(strlen(le.buf), LINE_MAX);
}

static int calls, last_argc;
static char last_args[SHELL_MAX_ARGS][32];

static int cmd_record(int argc, char **argv)
{
	calls++;
	last_argc = argc;
	for (int i = 0; i < argc; i++)
		snprintf(last_args[i], sizeof(last_args[i]), "%s", argv[i]);
	return argc > 2 ? -HV_EINVAL : 0;
}

static const struct shell_cmd cmds[] = {
	{"rec", "rec [ARG]", "record the arguments", cmd_record},
	{"other", "other", "another command", cmd_record},
};
static const struct shell sh = {cmds, 2};

static int run(const char *line)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", line);
	stub_console_reset();
	return shell_run(&sh, buf);
}

static void test_split_and_dispatch(void **state)
{
	(void)state;
	calls = 0;
	assert_int_equal(run("  rec \t one  "), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(last_argc, 2);
	assert_string_equal(last_args[0], "rec");
	assert_string_equal(last_args[1], "one");
	assert_int_equal(run(""), 0);
	assert_int_equal(run("   \t "), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(run("rec a b"), -HV_EINVAL);
}

static void test_unknown_and_too_many(void **state)
{
	(void)state;
	assert_int_equal(run("frobnicate now"), -HV_ENOENT);
	assert_string_equal(
		stub_console_text(),
		"error: unknown command 'frobnicate' (try 'help')\n");
	assert_int_equal(run("rec 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"),
			 -HV_EINVAL);
	assert_string_equal(stub_console_text(),
			    "error: too many words (at most 16)\n");
}

static void test_help(void **state)
{
	char *argv[3] = {"help", "rec", NULL};

	(void)state;
	calls = 0;
	assert_int_equal(run("rec --help"), 0);
	assert_int_equal(calls, 0);
	assert_string_equal(stub_console_text(),
			    "usage: rec [ARG]\n  record the arguments\n");
	assert_int_equal(run("other -h"), 0);
	assert_non_null(strstr(stub_console_text(), "usage: other"));
	stub_console_reset();
	assert_int_equal(shell_help(&sh, 1, argv), 0);
	assert_non_null(strstr(stub_console_text(), "  rec        record"));
	assert_non_null(strstr(stub_console_text(), "  other      another"));
	stub_console_reset();
	assert_int_equal(shell_help(&sh, 2, argv), 0);
	assert_non_null(strstr(stub_console_text(), "usage: rec [ARG]"));
	argv[1] = "nope";
	stub_console_reset();
	assert_int_equal(shell_help(&sh, 2, argv), -HV_ENOENT);
	assert_string_equal(stub_console_text(),
			    "error: no command 'nope' (try 'help')\n");
	assert_int_equal(shell_help(&sh, 3, argv), -HV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_line),
		cmocka_unit_test(test_backspace_and_del),
		cmocka_unit_test(test_ctrl_c_drops_line),
		cmocka_unit_test(test_ctrl_u_and_escapes),
		cmocka_unit_test(test_crlf_is_one_line),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_split_and_dispatch),
		cmocka_unit_test(test_unknown_and_too_many),
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
