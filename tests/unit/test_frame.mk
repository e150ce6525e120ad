test_frame_SRCS := kernel/mm/frame.c kernel/mm/memmap.c
