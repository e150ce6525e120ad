// SPDX-License-Identifier: MIT
/*
 * A small vsnprintf for the core and the loader. Kept here rather than
 * taken from newlib because newlib's pulls in locale, reentrancy and
 * malloc; the supported subset is listed in string.h.
 */
#include "kernel/lib/string.h"

struct fmt_out {
	char *buf;
	size_t size;
	size_t len; /* characters produced, even past size */
};

struct fmt_spec {
	bool left, zero;
	int width, prec;
	int lmod; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
	bool sizet;
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, int n, char c)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

static void fmt_str(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	if (!sp->left)
		fmt_pad(o, sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		fmt_putc(o, s[i]);
	if (sp->left)
		fmt_pad(o, sp->width - n, ' ');
}

static void fmt_num(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v,
		    bool neg, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, width = sp->width;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (!sp->left && !sp->zero)
		fmt_pad(o, width - n, ' ');
	if (neg)
		fmt_putc(o, '-');
	if (!sp->left && sp->zero)
		fmt_pad(o, width - n, '0');
	for (int i = n; i; i--)
		fmt_putc(o, tmp[i - 1]);
	if (sp->left)
		fmt_pad(o, width - n, ' ');
}

static const char *fmt_parse_spec(const char *f, struct fmt_spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->prec = 0;
		while (*++f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->lmod++;
		else if (*f == 'h')
			sp->lmod--;
		else if (*f == 'z' || *f == 'j' || *f == 't')
			sp->sizet = true;
		else
			break;
	}
	return f;
}

static uint64_t fmt_arg_unsigned(const struct fmt_spec *sp, va_list *ap)
{
	if (sp->sizet || sp->lmod >= 1)
		return sp->lmod == 1 || sp->sizet
			       ? va_arg(*ap, unsigned long)
			       : va_arg(*ap, unsigned long long);
	if (sp->lmod == -1)
		return (unsigned short)va_arg(*ap, unsigned int);
	if (sp->lmod <= -2)
		return (unsigned char)va_arg(*ap, unsigned int);
	return va_arg(*ap, unsigned int);
}

static int64_t fmt_arg_signed(const struct fmt_spec *sp, va_list *ap)
{
	if (sp->sizet || sp->lmod >= 1)
		return sp->lmod == 1 || sp->sizet ? va_arg(*ap, long)
						  : va_arg(*ap, long long);
	if (sp->lmod == -1)
		return (short)va_arg(*ap, int);
	if (sp->lmod <= -2)
		return (signed char)va_arg(*ap, int);
	return va_arg(*ap, int);
}

static void fmt_conv(struct fmt_out *o, struct fmt_spec *sp, char c,
		     va_list *ap)
{
	int64_t s;

	switch (c) {
	case 'd':
	case 'i':
		s = fmt_arg_signed(sp, ap);
		fmt_num(o, sp, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10,
			false);
		break;
	case 'u':
		fmt_num(o, sp, fmt_arg_unsigned(sp, ap), false, 10, false);
		break;
	case 'x':
	case 'X':
		fmt_num(o, sp, fmt_arg_unsigned(sp, ap), false, 16, c == 'X');
		break;
	case 'o':
		fmt_num(o, sp, fmt_arg_unsigned(sp, ap), false, 8, false);
		break;
	case 'p':
		fmt_putc(o, '0');
		fmt_putc(o, 'x');
		fmt_num(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16,
			false);
		break;
	case 'c':
		fmt_putc(o, (char)va_arg(*ap, int));
		break;
	case 's':
		fmt_str(o, sp, va_arg(*ap, const char *));
		break;
	default:
		fmt_putc(o, '%');
		if (c)
			fmt_putc(o, c);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {buf, size, 0};
	struct fmt_spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			fmt_putc(&o, *fmt++);
			continue;
		}
		fmt = fmt_parse_spec(fmt + 1, &sp);
		if (*fmt == '%') {
			fmt_putc(&o, '%');
			fmt++;
			continue;
		}
		fmt_conv(&o, &sp, *fmt, &aq);
		if (*fmt)
			fmt++;
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
