test_format_SRCS := tests/unit/format_under_test.c kernel/lib/strconv.c
