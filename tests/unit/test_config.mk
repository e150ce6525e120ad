test_config_SRCS := kernel/config.c kernel/lib/strconv.c
