// SPDX-License-Identifier: MIT
/* Line editor of the console (see line.h). */
#include "kernel/console/line.h"
#include "kernel/lib/string.h"

#define KEY_CTRL_C 0x03
#define KEY_BS	   0x08
#define KEY_LF	   0x0a
#define KEY_CR	   0x0d
#define KEY_CTRL_U 0x15
#define KEY_ESC	   0x1b
#define KEY_DEL	   0x7f

void line_init(struct line_editor *le)
{
	memset(le, 0, sizeof(*le));
}

/* ESC [ params final, or ESC O x: swallow the whole sequence. */
static bool line_in_escape(struct line_editor *le, int c)
{
	if (le->esc == 0 && c == KEY_ESC) {
		le->esc = 1;
		return true;
	}
	if (le->esc == 1) {
		le->esc = (c == '[' || c == 'O') ? 2 : 0;
		return true;
	}
	if (le->esc == 2) {
		if (c >= 0x40 && c <= 0x7e)
			le->esc = 0;
		return true;
	}
	return false;
}

static void line_erase(struct line_editor *le, size_t n, line_echo_fn echo)
{
	for (; n && le->len; n--) {
		le->len--;
		echo("\b \b", 3);
	}
	le->buf[le->len] = '\0';
}

enum line_event line_feed(struct line_editor *le, int c, line_echo_fn echo)
{
	bool after_cr = le->last_cr;
	char ch = (char)c;

	le->last_cr = false;
	if (line_in_escape(le, c))
		return LINE_NONE;
	switch (c) {
	case KEY_LF:
		if (after_cr)
			return LINE_NONE; /* second half of CR LF */
					  /* fall through */
	case KEY_CR:
		le->last_cr = (c == KEY_CR);
		le->buf[le->len] = '\0';
		le->len = 0;
		echo("\n", 1);
		return LINE_DONE;
	case KEY_CTRL_C:
		le->len = 0;
		le->buf[0] = '\0';
		echo("^C\n", 3);
		return LINE_CANCEL;
	case KEY_BS:
	case KEY_DEL:
		line_erase(le, 1, echo);
		return LINE_NONE;
	case KEY_CTRL_U:
		line_erase(le, le->len, echo);
		return LINE_NONE;
	default:
		break;
	}
	if (c < 0x20 || c > 0x7e)
		return LINE_NONE; /* other control bytes are ignored */
	if (le->len == LINE_MAX) {
		echo("\a", 1);
		return LINE_NONE;
	}
	le->buf[le->len++] = ch;
	le->buf[le->len] = '\0';
	echo(&ch, 1);
	return LINE_NONE;
}
