// SPDX-License-Identifier: MIT
/* Bitmap page-frame allocator (see frame.h). */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/frame.h"

#define FRAME_WORD_BITS 64

static bool frame_test(const struct frame_pool *p, uint64_t f)
{
	return p->bitmap[f / FRAME_WORD_BITS] & BIT(f % FRAME_WORD_BITS);
}

static void frame_set(struct frame_pool *p, uint64_t f)
{
	p->bitmap[f / FRAME_WORD_BITS] |= BIT(f % FRAME_WORD_BITS);
}

static void frame_clear(struct frame_pool *p, uint64_t f)
{
	p->bitmap[f / FRAME_WORD_BITS] &= ~BIT(f % FRAME_WORD_BITS);
}

static bool frame_managed(const struct frame_pool *p, uint64_t f)
{
	for (unsigned i = 0; i < p->nregions; i++)
		if (f >= p->region[i].first &&
		    f - p->region[i].first < p->region[i].count)
			return true;
	return false;
}

size_t frame_bitmap_bytes(uint64_t top)
{
	uint64_t frames = top >> PAGE_SHIFT;

	return ALIGN_UP(frames, FRAME_WORD_BITS) / 8;
}

void frame_pool_init(struct frame_pool *p, uint64_t *bitmap, uint64_t top)
{
	memset(p, 0, sizeof(*p));
	p->bitmap = bitmap;
	p->nframes = ALIGN_UP(top >> PAGE_SHIFT, FRAME_WORD_BITS);
	memset(bitmap, 0xff, p->nframes / 8);
}

int frame_pool_add(struct frame_pool *p, uint64_t base, uint64_t size)
{
	uint64_t first = ALIGN_UP(base, PAGE_SIZE) >> PAGE_SHIFT;
	uint64_t end = ALIGN_DOWN(base + size, PAGE_SIZE) >> PAGE_SHIFT;

	if (base + size < base)
		return -HV_ERANGE;
	if (end <= first)
		return 0;
	if (end > p->nframes)
		return -HV_ERANGE;
	for (unsigned i = 0; i < p->nregions; i++) {
		const struct frame_region *r = &p->region[i];

		if (first < r->first + r->count && r->first < end)
			return -HV_EEXIST;
	}
	if (p->nregions == FRAME_MAX_REGIONS)
		return -HV_ENOMEM;
	p->region[p->nregions].first = first;
	p->region[p->nregions].count = end - first;
	p->nregions++;
	for (uint64_t f = first; f < end; f++)
		frame_clear(p, f);
	p->total += end - first;
	p->free += end - first;
	return 0;
}

void frame_pool_reserve(struct frame_pool *p, uint64_t base, uint64_t size)
{
	uint64_t first = ALIGN_DOWN(base, PAGE_SIZE) >> PAGE_SHIFT;
	uint64_t end = ALIGN_UP(base + size, PAGE_SIZE) >> PAGE_SHIFT;

	for (uint64_t f = first; f < end && f < p->nframes; f++) {
		if (!frame_test(p, f)) {
			frame_set(p, f);
			p->free--;
		}
	}
}

/* Lowest free run of count frames aligned to align, searching from word. */
static bool frame_find(const struct frame_pool *p, uint64_t count,
		       uint64_t align, uint64_t from, uint64_t *found)
{
	uint64_t f = ALIGN_UP(from, align);

	while (f + count <= p->nframes) {
		uint64_t run = 0;

		/* Skip whole used words quickly. */
		if (f % FRAME_WORD_BITS == 0 &&
		    p->bitmap[f / FRAME_WORD_BITS] == ~0ull) {
			f = ALIGN_UP(f + FRAME_WORD_BITS, align);
			continue;
		}
		while (run < count && !frame_test(p, f + run))
			run++;
		if (run == count) {
			*found = f;
			return true;
		}
		f = ALIGN_UP(f + run + 1, align);
	}
	return false;
}

int frame_alloc_contig(struct frame_pool *p, uint64_t count,
		       uint64_t align_frames, hpa_t *out)
{
	uint64_t start = align_frames > 1 ? 0 : p->hint * FRAME_WORD_BITS;
	uint64_t f;

	if (count == 0 || align_frames == 0 ||
	    (align_frames & (align_frames - 1)))
		return -HV_EINVAL;
	if (count > p->free)
		return -HV_ENOMEM;
	if (!frame_find(p, count, align_frames, start, &f) &&
	    !(start && frame_find(p, count, align_frames, 0, &f)))
		return -HV_ENOMEM;
	for (uint64_t i = 0; i < count; i++)
		frame_set(p, f + i);
	p->free -= count;
	if (align_frames <= 1)
		p->hint = (f + count) / FRAME_WORD_BITS;
	*out = hpa(f << PAGE_SHIFT);
	return 0;
}

int frame_alloc(struct frame_pool *p, hpa_t *out)
{
	return frame_alloc_contig(p, 1, 1, out);
}

int frame_free(struct frame_pool *p, hpa_t addr, uint64_t count)
{
	uint64_t first = addr.v >> PAGE_SHIFT;

	if (!IS_ALIGNED(addr.v, PAGE_SIZE) || count == 0 ||
	    first + count > p->nframes || first + count < first)
		return -HV_EINVAL;
	for (uint64_t f = first; f < first + count; f++)
		if (!frame_managed(p, f) || !frame_test(p, f))
			return -HV_EINVAL;
	for (uint64_t f = first; f < first + count; f++)
		frame_clear(p, f);
	p->free += count;
	if (first / FRAME_WORD_BITS < p->hint)
		p->hint = first / FRAME_WORD_BITS;
	return 0;
}

bool frame_is_allocated(const struct frame_pool *p, hpa_t addr)
{
	uint64_t f = addr.v >> PAGE_SHIFT;

	return f < p->nframes && frame_managed(p, f) && frame_test(p, f);
}
