// SPDX-License-Identifier: MIT
/* Command-line splitting and dispatch (see shell.h). */
#include "kernel/console/console.h"
#include "kernel/console/shell.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

static bool shell_space(char c)
{
	return c == ' ' || c == '\t';
}

int shell_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (shell_space(*p))
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == max)
			return -1;
		argv[argc++] = p;
		while (*p && !shell_space(*p))
			p++;
	}
	return argc;
}

static const struct shell_cmd *shell_find(const struct shell *sh,
					  const char *name)
{
	for (size_t i = 0; i < sh->ncmds; i++)
		if (strcmp(sh->cmds[i].name, name) == 0)
			return &sh->cmds[i];
	return NULL;
}

static void shell_usage(const struct shell_cmd *c)
{
	console_printf("usage: %s\n  %s\n", c->usage, c->summary);
}

int shell_help(const struct shell *sh, int argc, char **argv)
{
	const struct shell_cmd *c;

	if (argc > 2) {
		console_error("help takes at most one command name");
		return -HV_EINVAL;
	}
	if (argc == 2) {
		c = shell_find(sh, argv[1]);
		if (!c) {
			console_error("no command '%s' (try 'help')", argv[1]);
			return -HV_ENOENT;
		}
		shell_usage(c);
		return 0;
	}
	console_printf("commands (help CMD for details):\n");
	for (size_t i = 0; i < sh->ncmds; i++)
		console_printf("  %-10s %s\n", sh->cmds[i].name,
			       sh->cmds[i].summary);
	return 0;
}

int shell_run(const struct shell *sh, char *line)
{
	char *argv[SHELL_MAX_ARGS + 1];
	const struct shell_cmd *c;
	int argc = shell_split(line, argv, SHELL_MAX_ARGS);

	if (argc < 0) {
		console_error("too many words (at most %d)", SHELL_MAX_ARGS);
		return -HV_EINVAL;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	c = shell_find(sh, argv[0]);
	if (!c) {
		console_error("unknown command '%s' (try 'help')", argv[0]);
		return -HV_ENOENT;
	}
	if (argc == 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		shell_usage(c);
		return 0;
	}
	return c->fn(argc, argv);
}
