/* SPDX-License-Identifier: MIT */
/* The core's physical memory: the frame pool built from the UEFI map. */
#ifndef KERNEL_MM_MM_H
#define KERNEL_MM_MM_H

#include "boot/bootinfo.h"
#include "kernel/mm/addr.h"
#include "kernel/mm/frame.h"

/* Frames below this are never allocated (real-mode and SMP start-up use). */
#define MM_LOW_LIMIT 0x100000ull

extern struct frame_pool mm_frames;

/*
 * Build the frame pool from the loader's memory map. Boot-services memory
 * stays out until mm_release_boot_services (our page tables must not be
 * allocated over the firmware's, which are live until we switch).
 */
int mm_init(const struct bootinfo *bi);

/* Add boot-services memory once the core runs on its own page tables. */
void mm_release_boot_services(void);

/* Highest physical address (exclusive) any map entry mentions. */
uint64_t mm_phys_top(void);

/* Whether the map lists phys as memory (not device or reserved space). */
bool mm_is_ram(uint64_t phys);

/* One zeroed frame, or -HV_ENOMEM. */
int page_alloc(hpa_t *out);

/* Give back a frame from page_alloc. */
void page_free(hpa_t p);

/* Host-virtual address of a host-physical one (identity mapped). */
static inline void *hpa_to_ptr(hpa_t p)
{
	return (void *)(uintptr_t)p.v;
}

/* The `mem` console command. */
int mm_cmd_mem(int argc, char **argv);

#endif
