// SPDX-License-Identifier: MIT
/*
 * VT-d second-level page-table builder speed: map then unmap 1 GiB with
 * 4 KiB pages and with the largest pages allowed, per page and against a
 * memset of the same number of entry bytes; table pages of a 4 GiB domain.
 * Table pages are host pages whose "physical" address is their host
 * address; flushing does nothing (a coherent unit, ECAP.C = 1) except in
 * the clflush line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/iommu/intel/pgtable.h"

#define POOL_PAGES 8192
#define RUNS	   7
#define IOVA_BASE  (64ull << 30) /* 64 GiB */
#define PA_BASE	   (128ull << 30)
#define SZ_4K	   4096ull
#define SZ_2M	   (2ull << 20)
#define SZ_1G	   (1ull << 30)

static struct {
	void *page[POOL_PAGES];
	unsigned n;
	bool clflush;
} B;

static hpa_t slots[POOL_PAGES];

static int b_alloc(void *ctx, hpa_t *pa)
{
	(void)ctx;
	if (!B.n)
		return -1;
	*pa = hpa((uint64_t)(uintptr_t)B.page[--B.n]);
	return 0;
}

static void b_free(void *ctx, hpa_t pa)
{
	(void)ctx;
	B.page[B.n++] = (void *)(uintptr_t)pa.v;
}

static void *b_va(void *ctx, hpa_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa.v;
}

static void b_flush(void *ctx, const void *va, size_t len)
{
	(void)ctx;
	if (!B.clflush)
		return;
	for (uintptr_t a = (uintptr_t)va & ~63ul; a < (uintptr_t)va + len;
	     a += 64)
		__builtin_ia32_clflush((const void *)a);
}

static const struct vtd_pt_mem b_mem = {b_alloc, b_free, b_va, b_flush, NULL};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_vtd_pgtable: %s failed\n", what);
	exit(1);
}

/* Best time of memset over `bytes`, done `reps` times. */
static double memset_ns(uint64_t bytes, unsigned reps)
{
	static uint64_t buf[SZ_2M / 8 * 4];
	uint64_t best = UINT64_MAX;

	if (bytes > sizeof(buf))
		die("memset size");
	for (unsigned r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns(), dt;

		for (unsigned i = 0; i < reps; i++) {
			memset(buf, (int)(i & 0x7f) | 1, bytes);
			__asm__ volatile("" : : "r"(buf) : "memory");
		}
		dt = now_ns() - t0;
		best = dt < best ? dt : best;
	}
	return (double)best / reps;
}

struct result {
	double map_ns, unmap_ns; /* per call sequence, best run */
	uint64_t entries_map, entries_unmap;
};

/*
 * Map then unmap [IOVA_BASE, + size) `reps` times, `chunk` bytes per
 * call; the best run of each.
 */
static struct result run(bool sp_2m, bool sp_1g, uint64_t size, uint64_t chunk,
			 unsigned reps)
{
	struct result res = {1e30, 1e30, 0, 0};
	struct vtd_pt_gather g;
	struct vtd_pgtable pt;

	if (vtd_pt_init(&pt, 4, sp_2m, sp_1g, false, &b_mem))
		die("init");
	vtd_pt_gather_init(&g, slots, POOL_PAGES);
	for (unsigned r = 0; r < RUNS; r++) {
		uint64_t t0, tm = 0, tu = 0;

		for (unsigned k = 0; k < reps; k++) {
			t0 = now_ns();
			for (uint64_t o = 0; o < size; o += chunk)
				if (vtd_pt_map(&pt, iova(IOVA_BASE + o),
					       hpa(PA_BASE + o), chunk,
					       VTD_PT_READ | VTD_PT_WRITE, &g))
					die("map");
			tm += now_ns() - t0;
			res.entries_map = g.entries_written;
			vtd_pt_gather_release(&pt, &g);
			t0 = now_ns();
			for (uint64_t o = 0; o < size; o += chunk)
				if (vtd_pt_unmap(&pt, iova(IOVA_BASE + o),
						 chunk, &g))
					die("unmap");
			tu += now_ns() - t0;
			res.entries_unmap = g.entries_written;
			vtd_pt_gather_release(&pt, &g);
		}
		res.map_ns = (double)tm / reps < res.map_ns ? (double)tm / reps
							    : res.map_ns;
		res.unmap_ns = (double)tu / reps < res.unmap_ns
				       ? (double)tu / reps
				       : res.unmap_ns;
	}
	vtd_pt_destroy(&pt);
	return res;
}

static void report(const char *what, uint64_t pages, uint64_t page_size,
		   const struct result *r, unsigned reps)
{
	/* One 8-byte entry per page: the least any builder must write. */
	double ms = memset_ns(pages * 8, reps);

	printf("bench_vtd_pgtable: map %s: %.2f ns/page (%.1fx memset of "
	       "%llu entry bytes), %llu entries written\n",
	       what, r->map_ns / pages, r->map_ns / ms,
	       (unsigned long long)pages * 8,
	       (unsigned long long)r->entries_map);
	printf("bench_vtd_pgtable: unmap %s: %.2f ns/page (%.1fx memset), "
	       "%llu entries written\n",
	       what, r->unmap_ns / pages, r->unmap_ns / ms,
	       (unsigned long long)r->entries_unmap);
	(void)page_size;
}

static unsigned tables_for(uint64_t size, bool sp_2m)
{
	struct vtd_pt_gather g;
	struct vtd_pgtable pt;
	unsigned n;

	if (vtd_pt_init(&pt, 4, sp_2m, false, false, &b_mem))
		die("init");
	vtd_pt_gather_init(&g, slots, POOL_PAGES);
	if (vtd_pt_map(&pt, iova(0), hpa(PA_BASE), size,
		       VTD_PT_READ | VTD_PT_WRITE, &g))
		die("map 4 GiB");
	n = pt.table_pages;
	vtd_pt_destroy(&pt);
	return n;
}

int main(void)
{
	struct result r;
	unsigned t4k, t2m;

	for (unsigned i = 0; i < POOL_PAGES; i++)
		if (!(B.page[B.n++] = aligned_alloc(SZ_4K, SZ_4K)))
			die("aligned_alloc");
	r = run(false, false, SZ_1G, SZ_1G, 1);
	report("1 GiB as 4 KiB pages, one call", SZ_1G / SZ_4K, SZ_4K, &r, 1);
	r = run(false, false, SZ_1G, SZ_4K, 1);
	report("1 GiB as 4 KiB pages, one call per page", SZ_1G / SZ_4K, SZ_4K,
	       &r, 1);
	B.clflush = true;
	r = run(false, false, SZ_1G, SZ_1G, 1);
	report("1 GiB as 4 KiB pages, one call, clflush", SZ_1G / SZ_4K, SZ_4K,
	       &r, 1);
	B.clflush = false;
	r = run(true, false, SZ_1G, SZ_1G, 100);
	report("1 GiB as 2 MiB pages, one call", SZ_1G / SZ_2M, SZ_2M, &r, 100);
	r = run(true, true, SZ_1G, SZ_1G, 10000);
	report("1 GiB as one 1 GiB page", 1, SZ_1G, &r, 10000);
	t4k = tables_for(4 * SZ_1G, false);
	t2m = tables_for(4 * SZ_1G, true);
	printf("bench_vtd_pgtable: table pages for a 4 GiB domain with 4 KiB "
	       "pages: %u (%u KiB)\n",
	       t4k, t4k * 4);
	printf("bench_vtd_pgtable: table pages for a 4 GiB domain with 2 MiB "
	       "pages: %u (%u KiB)\n",
	       t2m, t2m * 4);
	return 0;
}
