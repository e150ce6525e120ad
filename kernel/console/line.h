/* SPDX-License-Identifier: MIT */
/*
 * Line editing for the serial console: printable characters are added,
 * backspace/DEL erases one, Ctrl-U erases the line, Ctrl-C drops the line,
 * CR or LF ends it; escape sequences (arrow keys) are swallowed.
 */
#ifndef KERNEL_CONSOLE_LINE_H
#define KERNEL_CONSOLE_LINE_H

#include "kernel/types.h"

#define LINE_MAX 160 /* characters of one command line */

enum line_event {
	LINE_NONE,   /* keep feeding */
	LINE_DONE,   /* buf holds a finished line (NUL terminated) */
	LINE_CANCEL, /* Ctrl-C: the line was dropped */
};

struct line_editor {
	char buf[LINE_MAX + 1];
	size_t len;
	int esc;      /* 0, or position inside an escape sequence */
	bool last_cr; /* to take CR LF as one end of line */
};

/* What the terminal must be sent so it shows the edit. */
typedef void (*line_echo_fn)(const char *s, size_t n);

void line_init(struct line_editor *le);

/* Feed one received byte. After LINE_DONE/LINE_CANCEL the editor restarts
 * with the next byte (buf stays valid until then). */
enum line_event line_feed(struct line_editor *le, int c, line_echo_fn echo);

#endif
