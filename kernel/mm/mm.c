// SPDX-License-Identifier: MIT
/* Frame pool of the running core (see mm.h). */
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/memmap.h"
#include "kernel/mm/mm.h"
#include "kernel/panic.h"

struct frame_pool mm_frames;
static struct memmap mm_map;
static uint64_t mm_top;		/* end of the highest listed range */
static uint64_t mm_ram_top;	/* end of the highest allocatable range */
static uint64_t mm_any_ram_top; /* end of the highest range of any RAM type */
static uint64_t mm_bitmap_phys, mm_bitmap_size;

static void mm_scan_tops(void)
{
	for (unsigned i = 0; i < mm_map.count; i++) {
		const struct efi_mem_desc *d = memmap_get(&mm_map, i);
		uint64_t end = memmap_end(d);
		enum mem_use use = memmap_use(d->type);

		if (end == 0) {
			log_warn("MM: map entry %u overflows, ignored", i);
			continue;
		}
		mm_top = MAX(mm_top, end);
		if (use == MEM_FREE || use == MEM_FREE_LATER)
			mm_ram_top = MAX(mm_ram_top, end);
		if (memmap_is_ram(d->type))
			mm_any_ram_top = MAX(mm_any_ram_top, end);
	}
}

/* First free-from-the-start range above 1 MiB that holds the bitmap. */
static int mm_place_bitmap(void)
{
	mm_bitmap_size = ALIGN_UP(frame_bitmap_bytes(mm_ram_top), PAGE_SIZE);
	for (unsigned i = 0; i < mm_map.count; i++) {
		const struct efi_mem_desc *d = memmap_get(&mm_map, i);
		uint64_t start = MAX(d->phys_start, MM_LOW_LIMIT);
		uint64_t end = memmap_end(d);

		if (memmap_use(d->type) != MEM_FREE || end <= start ||
		    end - start < mm_bitmap_size)
			continue;
		mm_bitmap_phys = ALIGN_UP(start, PAGE_SIZE);
		if (mm_bitmap_phys + mm_bitmap_size <= end)
			return 0;
	}
	return -HV_ENOMEM;
}

static void mm_add_use(enum mem_use want)
{
	for (unsigned i = 0; i < mm_map.count; i++) {
		const struct efi_mem_desc *d = memmap_get(&mm_map, i);
		uint64_t start = MAX(d->phys_start, MM_LOW_LIMIT);
		uint64_t end = memmap_end(d);
		int rc;

		if (memmap_use(d->type) != want || end <= start)
			continue;
		rc = frame_pool_add(&mm_frames, start, end - start);
		if (rc)
			log_warn("MM: map entry %u (0x%llx, %llu pages) not "
				 "usable: %s",
				 i, (unsigned long long)d->phys_start,
				 (unsigned long long)d->npages,
				 hv_strerror(rc));
	}
}

int mm_init(const struct bootinfo *bi)
{
	int rc = memmap_open(&mm_map, (const void *)(uintptr_t)bi->mmap,
			     bi->mmap_size, bi->mmap_desc_size);

	if (rc) {
		log_err("MM: memory map unusable (size %llu, descriptor %llu)",
			(unsigned long long)bi->mmap_size,
			(unsigned long long)bi->mmap_desc_size);
		return rc;
	}
	mm_scan_tops();
	rc = mm_place_bitmap();
	if (rc) {
		log_err("MM: no room for a %llu-byte frame bitmap",
			(unsigned long long)mm_bitmap_size);
		return rc;
	}
	frame_pool_init(&mm_frames, (uint64_t *)(uintptr_t)mm_bitmap_phys,
			mm_ram_top);
	mm_add_use(MEM_FREE);
	frame_pool_reserve(&mm_frames, mm_bitmap_phys, mm_bitmap_size);
	/* The image and boot data have their own types; be sure anyway. */
	frame_pool_reserve(&mm_frames, bi->core_base, bi->core_size);
	frame_pool_reserve(&mm_frames, (uint64_t)(uintptr_t)bi, sizeof(*bi));
	return 0;
}

void mm_release_boot_services(void)
{
	mm_add_use(MEM_FREE_LATER);
}

uint64_t mm_phys_top(void)
{
	return mm_top;
}

bool mm_is_ram(uint64_t phys)
{
	/* Paging asks for every 2 MiB up to 4 GiB: most are above all RAM. */
	if (phys >= mm_any_ram_top)
		return false;
	for (unsigned i = 0; i < mm_map.count; i++) {
		const struct efi_mem_desc *d = memmap_get(&mm_map, i);

		if (phys >= d->phys_start && phys < memmap_end(d))
			return memmap_is_ram(d->type);
	}
	return false;
}

int page_alloc(hpa_t *out)
{
	int rc = frame_alloc(&mm_frames, out);

	if (rc == 0)
		memset(hpa_to_ptr(*out), 0, PAGE_SIZE);
	return rc;
}

void page_free(hpa_t p)
{
	if (frame_free(&mm_frames, p, 1))
		panic("MM: bad free of frame 0x%llx", (unsigned long long)p.v);
}

static void mm_print_entry(uint64_t start, uint64_t end, uint64_t pages,
			   const char *type, enum mem_use use)
{
	console_printf("  %016llx-%016llx %8llu pages  %-13s %s\n",
		       (unsigned long long)start, (unsigned long long)(end - 1),
		       (unsigned long long)pages, type, memmap_use_name(use));
}

/*
 * Print the map; unless raw, adjacent entries of the same use are merged
 * (firmware splits boot-services memory into hundreds of entries).
 */
static void mm_print_map(bool raw)
{
	uint64_t start = 0, end = 0, pages = 0;
	const char *type = NULL;
	enum mem_use use = MEM_FREE;

	for (unsigned i = 0; i <= mm_map.count; i++) {
		const struct efi_mem_desc *d =
			i < mm_map.count ? memmap_get(&mm_map, i) : NULL;

		if (d && type && !raw && d->phys_start == end &&
		    memmap_use(d->type) == use) {
			end = memmap_end(d);
			pages += d->npages;
			if (strcmp(type, memmap_type_name(d->type)) != 0)
				type = "(mixed)";
			continue;
		}
		if (type)
			mm_print_entry(start, end, pages, type, use);
		if (!d)
			break;
		start = d->phys_start;
		end = memmap_end(d);
		pages = d->npages;
		type = memmap_type_name(d->type);
		use = memmap_use(d->type);
	}
}

int mm_cmd_mem(int argc, char **argv)
{
	const struct frame_pool *p = &mm_frames;
	bool raw = argc == 2 && strcmp(argv[1], "-v") == 0;

	if (argc > 2 || (argc == 2 && !raw)) {
		console_error("usage: mem [-v]");
		return -HV_EINVAL;
	}
	console_printf(
		"frames: %llu total, %llu free, %llu used (4 KiB each)\n",
		(unsigned long long)p->total, (unsigned long long)p->free,
		(unsigned long long)(p->total - p->free));
	console_printf("bitmap: 0x%llx, %llu bytes\n",
		       (unsigned long long)mm_bitmap_phys,
		       (unsigned long long)mm_bitmap_size);
	console_printf("memory map (UEFI, %u entries%s):\n", mm_map.count,
		       raw ? "" : ", neighbours of the same use merged");
	mm_print_map(raw);
	return 0;
}
