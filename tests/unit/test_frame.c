// SPDX-License-Identifier: MIT
/*
 * Frame allocator and memory-map classification. The pool is checked
 * against a shadow model of which frames were handed out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/memmap.h"

#define TOP	(64ull << 20) /* 64 MiB of fake physical space */
#define NFRAMES (TOP >> 12)

static uint64_t bitmap[NFRAMES / 64];
static struct frame_pool pool;

static void setup_pool(void)
{
	assert_int_equal(frame_bitmap_bytes(TOP), sizeof(bitmap));
	frame_pool_init(&pool, bitmap, TOP);
	assert_int_equal(pool.free, 0);
}

static void test_empty_pool(void **state)
{
	hpa_t p;

	(void)state;
	setup_pool();
	assert_int_equal(frame_alloc(&pool, &p), -HV_ENOMEM);
}

static void test_add_partial_pages(void **state)
{
	hpa_t p;

	(void)state;
	setup_pool();
	/* Only the whole frames inside the range count. */
	assert_int_equal(frame_pool_add(&pool, 0x100800, 0x2000), 0);
	assert_int_equal(pool.total, 1);
	assert_int_equal(frame_alloc(&pool, &p), 0);
	assert_int_equal(p.v, 0x101000);
	assert_int_equal(frame_alloc(&pool, &p), -HV_ENOMEM);
	/* Too small to hold a whole frame: nothing added. */
	assert_int_equal(frame_pool_add(&pool, 0x200100, 0x100), 0);
	assert_int_equal(pool.total, 1);
}

static void test_add_errors(void **state)
{
	(void)state;
	setup_pool();
	assert_int_equal(frame_pool_add(&pool, TOP - 0x1000, 0x2000),
			 -HV_ERANGE);
	assert_int_equal(frame_pool_add(&pool, ~0ull - 0xfff, 0x2000),
			 -HV_ERANGE);
	assert_int_equal(frame_pool_add(&pool, 0x100000, 0x10000), 0);
	assert_int_equal(frame_pool_add(&pool, 0x108000, 0x10000), -HV_EEXIST);
	for (unsigned i = 1; i < FRAME_MAX_REGIONS; i++)
		assert_int_equal(
			frame_pool_add(&pool, 0x200000 + i * 0x2000, 0x1000),
			0);
	assert_int_equal(frame_pool_add(&pool, 0x800000, 0x1000), -HV_ENOMEM);
}

static void test_never_outside_regions(void **state)
{
	static bool shadow[NFRAMES];
	uint64_t n = 0;
	hpa_t p;

	(void)state;
	setup_pool();
	memset(shadow, 0, sizeof(shadow));
	assert_int_equal(frame_pool_add(&pool, 0x100000, 0x100000), 0);
	assert_int_equal(frame_pool_add(&pool, 0x400000, 0x80000), 0);
	frame_pool_reserve(&pool, 0x104000, 0x3000);
	while (frame_alloc(&pool, &p) == 0) {
		uint64_t f = p.v >> 12;

		assert_true((p.v >= 0x100000 && p.v < 0x200000) ||
			    (p.v >= 0x400000 && p.v < 0x480000));
		assert_false(p.v >= 0x104000 && p.v < 0x107000);
		assert_false(shadow[f]);
		shadow[f] = true;
		n++;
	}
	assert_int_equal(n, 256 - 3 + 128);
	assert_int_equal(pool.free, 0);
	assert_true(frame_is_allocated(&pool, hpa(0x100000)));
	assert_false(frame_is_allocated(&pool, hpa(0x300000)));
}

static void test_free_checks(void **state)
{
	hpa_t p, q;

	(void)state;
	setup_pool();
	assert_int_equal(frame_pool_add(&pool, 0x100000, 0x10000), 0);
	assert_int_equal(frame_alloc(&pool, &p), 0);
	assert_int_equal(frame_free(&pool, hpa(p.v + 8), 1), -HV_EINVAL);
	assert_int_equal(frame_free(&pool, hpa(0x300000), 1), -HV_EINVAL);
	assert_int_equal(frame_free(&pool, hpa(TOP), 1), -HV_EINVAL);
	assert_int_equal(frame_free(&pool, p, 0), -HV_EINVAL);
	assert_int_equal(frame_free(&pool, p, 1), 0);
	/* Double free is refused and changes nothing. */
	assert_int_equal(frame_free(&pool, p, 1), -HV_EINVAL);
	assert_int_equal(pool.free, 16);
	/* A run with one free frame in it is refused as a whole. */
	assert_int_equal(frame_alloc(&pool, &p), 0);
	assert_int_equal(frame_alloc(&pool, &q), 0);
	assert_int_equal(frame_free(&pool, q, 1), 0);
	assert_int_equal(frame_free(&pool, p, 2), -HV_EINVAL);
	assert_true(frame_is_allocated(&pool, p));
	/* Reserved frames are not the allocator's to take back. */
	frame_pool_reserve(&pool, 0x10f000, 0x1000);
	assert_int_equal(pool.free, 14);
}

static void test_contig_alignment(void **state)
{
	hpa_t a, b, c;

	(void)state;
	setup_pool();
	assert_int_equal(frame_pool_add(&pool, 0x101000, 0x800000), 0);
	assert_int_equal(frame_alloc_contig(&pool, 512, 512, &a), 0);
	assert_int_equal(a.v % 0x200000, 0);
	assert_int_equal(frame_alloc_contig(&pool, 3, 4, &b), 0);
	assert_int_equal(b.v % 0x4000, 0);
	assert_true(b.v + 0x3000 <= a.v || b.v >= a.v + 0x200000);
	assert_int_equal(frame_alloc_contig(&pool, 3, 3, &c), -HV_EINVAL);
	assert_int_equal(frame_alloc_contig(&pool, 0, 1, &c), -HV_EINVAL);
	assert_int_equal(frame_alloc_contig(&pool, 4096, 1, &c), -HV_ENOMEM);
	assert_int_equal(frame_free(&pool, a, 512), 0);
	assert_int_equal(frame_alloc_contig(&pool, 512, 512, &c), 0);
	assert_int_equal(c.v, a.v);
}

static void test_random_alloc_free(void **state)
{
	static hpa_t held[4096];
	unsigned nheld = 0;
	uint64_t total;

	(void)state;
	setup_pool();
	srand(7);
	assert_int_equal(frame_pool_add(&pool, 0x100000, 0x1000000), 0);
	total = pool.total;
	for (int i = 0; i < 100000; i++) {
		if (nheld < 4096 && (rand() & 1)) {
			if (frame_alloc(&pool, &held[nheld]) == 0)
				nheld++;
		} else if (nheld) {
			unsigned k = (unsigned)rand() % nheld;

			assert_int_equal(frame_free(&pool, held[k], 1), 0);
			held[k] = held[--nheld];
		}
		assert_int_equal(pool.free + nheld, total);
	}
}

static void test_memmap(void **state)
{
	struct efi_mem_desc d[3] = {
		{.type = 7, .phys_start = 0x100000, .npages = 16},
		{.type = 4, .phys_start = 0x200000, .npages = 1},
		{.type = BOOTINFO_MEM_CORE,
		 .phys_start = 0x2000000,
		 .npages = 4},
	};
	uint8_t wide[3 * 48];
	struct memmap m;

	(void)state;
	assert_int_equal(memmap_open(&m, d, sizeof(d), sizeof(d[0])), 0);
	assert_int_equal(m.count, 3);
	assert_int_equal(memmap_use(memmap_get(&m, 0)->type), MEM_FREE);
	assert_int_equal(memmap_use(memmap_get(&m, 1)->type), MEM_FREE_LATER);
	assert_int_equal(memmap_use(memmap_get(&m, 2)->type), MEM_HV);
	assert_int_equal(memmap_use(10), MEM_ACPI);
	assert_int_equal(memmap_use(11), MEM_MMIO);
	assert_int_equal(memmap_use(0), MEM_FIRMWARE);
	assert_int_equal(memmap_use(5), MEM_FIRMWARE);
	assert_int_equal(memmap_use(0x70000000), MEM_FIRMWARE);
	assert_true(memmap_is_ram(7));
	assert_true(memmap_is_ram(6));
	assert_true(memmap_is_ram(BOOTINFO_MEM_DATA));
	assert_false(memmap_is_ram(0));
	assert_false(memmap_is_ram(11));
	assert_string_equal(memmap_type_name(2), "loader-data");
	assert_string_equal(memmap_type_name(BOOTINFO_MEM_CORE), "hv-image");
	assert_string_equal(memmap_type_name(99), "unknown");
	assert_int_equal(memmap_end(&d[0]), 0x110000);
	d[0].npages = 1ull << 60;
	assert_int_equal(memmap_end(&d[0]), 0);
	/* Descriptors wider than the struct (firmware may add fields). */
	memset(wide, 0, sizeof(wide));
	memcpy(wide + 48, &d[1], sizeof(d[1]));
	assert_int_equal(memmap_open(&m, wide, sizeof(wide), 48), 0);
	assert_int_equal(memmap_get(&m, 1)->phys_start, 0x200000);
	/* Bad geometry. */
	assert_int_equal(memmap_open(&m, d, sizeof(d), 32), -HV_EINVAL);
	assert_int_equal(memmap_open(&m, d, sizeof(d), 44), -HV_EINVAL);
	assert_int_equal(memmap_open(&m, d, 20, 40), -HV_EINVAL);
	assert_int_equal(memmap_open(&m, NULL, 40, 40), -HV_EINVAL);
	assert_int_equal(memmap_open(&m, d, 40ull * 100000, 40), -HV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_pool),
		cmocka_unit_test(test_add_partial_pages),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_never_outside_regions),
		cmocka_unit_test(test_free_checks),
		cmocka_unit_test(test_contig_alignment),
		cmocka_unit_test(test_random_alloc_free),
		cmocka_unit_test(test_memmap),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
