test_console_SRCS := kernel/console/line.c kernel/console/shell.c kernel/errno.c
