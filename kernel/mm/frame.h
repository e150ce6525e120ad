/* SPDX-License-Identifier: MIT */
/*
 * Page-frame allocator: one bit per 4 KiB frame below a top address, set
 * when the frame is used or not ours. Only frames inside regions added
 * with frame_pool_add are ever handed out or accepted back, so firmware,
 * ACPI, MMIO and image pages can never leak in. The allocator never touches
 * the frames themselves (callers zero them), which keeps it host-testable.
 */
#ifndef KERNEL_MM_FRAME_H
#define KERNEL_MM_FRAME_H

#include "kernel/mm/addr.h"

#define FRAME_MAX_REGIONS 128

struct frame_region {
	uint64_t first; /* first frame number */
	uint64_t count;
};

struct frame_pool {
	uint64_t *bitmap;
	uint64_t nframes; /* frames covered by the bitmap */
	uint64_t total;	  /* frames in managed regions */
	uint64_t free;
	uint64_t hint; /* word to start searching from */
	unsigned nregions;
	struct frame_region region[FRAME_MAX_REGIONS];
};

/* Bytes of bitmap needed to cover frames below top (byte address). */
size_t frame_bitmap_bytes(uint64_t top);

/* Start a pool with every frame below top marked used. */
void frame_pool_init(struct frame_pool *p, uint64_t *bitmap, uint64_t top);

/*
 * Make the whole frames inside [base, base + size) available. Returns 0,
 * -HV_ERANGE past the bitmap, -HV_ENOMEM when the region table is full or
 * -HV_EEXIST when it overlaps a region added before.
 */
int frame_pool_add(struct frame_pool *p, uint64_t base, uint64_t size);

/* Take [base, base + size) out of the free frames (already-used is fine). */
void frame_pool_reserve(struct frame_pool *p, uint64_t base, uint64_t size);

/* One frame, or -HV_ENOMEM. */
int frame_alloc(struct frame_pool *p, hpa_t *out);

/* count contiguous frames aligned to align_frames (a power of two). */
int frame_alloc_contig(struct frame_pool *p, uint64_t count,
		       uint64_t align_frames, hpa_t *out);

/*
 * Give count frames back. -HV_EINVAL for an unaligned address, a frame
 * outside every managed region or one that is already free (the pool is
 * left unchanged in that case).
 */
int frame_free(struct frame_pool *p, hpa_t addr, uint64_t count);

/* Whether the frame holding addr is managed by the pool and in use. */
bool frame_is_allocated(const struct frame_pool *p, hpa_t addr);

#endif
