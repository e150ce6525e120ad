/* SPDX-License-Identifier: MIT */
/*
 * Command dispatch: a line is split on white space into argv, the first
 * word names the command. "help CMD", "CMD -h" and "CMD --help" print the
 * command's usage. Errors print one "error: " line.
 */
#ifndef KERNEL_CONSOLE_SHELL_H
#define KERNEL_CONSOLE_SHELL_H

#include "kernel/types.h"

#define SHELL_MAX_ARGS 16

struct shell_cmd {
	const char *name;
	const char *usage;   /* e.g. "lspci [-t | -v BDF]" */
	const char *summary; /* one line, for help */
	/* Returns 0, or a negative error after printing an error line. */
	int (*fn)(int argc, char **argv);
};

struct shell {
	const struct shell_cmd *cmds;
	size_t ncmds;
};

/* Split line in place; returns argc, or -1 when there are too many words. */
int shell_split(char *line, char **argv, int max);

/* Run one line. Returns the command's result (0 for an empty line). */
int shell_run(const struct shell *sh, char *line);

/* The `help` command over sh's table: list, or one command's usage. */
int shell_help(const struct shell *sh, int argc, char **argv);

#endif
