// SPDX-License-Identifier: MIT
/*
 * VT-d second-level page tables (drivers/iommu/intel/pgtable.c) checked
 * with the independent reference walker (vtd_refwalk.c) over a fake
 * physical memory that keeps two views of every table page: what the CPU
 * wrote and what the unit can read, the latter updated only by the flush
 * callback. The walker reads the unit's view, so an entry left unflushed
 * shows up as a wrong translation; the flush callback also checks that a
 * table is fully written back before an entry pointing to it is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/iommu/intel/pgtable.h"
#include "kernel/errno.h"
#include "vtd_refwalk.h"

#define KIB   1024ull
#define MIB   (1024 * KIB)
#define GIB   (1024 * MIB)
#define SZ_4K (4 * KIB)
#define SZ_1M MIB
#define SZ_2M (2 * MIB)
#define SZ_4M (4 * MIB)
#define SZ_1G GIB
#define RW    (VTD_PT_READ | VTD_PT_WRITE)

/* ---- fake physical memory --------------------------------------------- */

#define FAKE_PAGES 8192
#define FAKE_BASE  0x10000000ull   /* fake address of the first table page */
#define DATA_BASE  0x4000000000ull /* 256 GiB: mapped pages live above */
#define FAKE_HAW   40

static uint8_t fake_cpu[FAKE_PAGES][4096] __attribute__((aligned(4096)));
static uint8_t fake_hw[FAKE_PAGES][4096] __attribute__((aligned(4096)));

static struct {
	bool live[FAKE_PAGES];
	unsigned stack[FAKE_PAGES], nfree, live_count;
	long fail_after; /* allocations that still succeed; < 0: all */
	uint64_t allocs, frees, flush_calls, flush_bytes;
} F;

static void fake_reset(void)
{
	memset(&F, 0, sizeof(F));
	F.fail_after = -1;
	for (unsigned i = 0; i < FAKE_PAGES; i++)
		F.stack[F.nfree++] = FAKE_PAGES - 1 - i;
}

static bool fake_is_table(uint64_t pa)
{
	return pa >= FAKE_BASE && pa < FAKE_BASE + FAKE_PAGES * 4096ull;
}

static unsigned fake_index(hpa_t pa)
{
	assert_true(fake_is_table(pa.v));
	assert_int_equal(pa.v & 0xfff, 0);
	return (unsigned)((pa.v - FAKE_BASE) >> 12);
}

static int fake_alloc(void *ctx, hpa_t *pa)
{
	unsigned i;

	(void)ctx;
	if (F.fail_after == 0 || F.nfree == 0)
		return -HV_ENOMEM;
	if (F.fail_after > 0)
		F.fail_after--;
	i = F.stack[--F.nfree];
	assert_false(F.live[i]);
	F.live[i] = true;
	F.live_count++;
	F.allocs++;
	/* Garbage in both views: the builder must clear and flush. */
	memset(fake_cpu[i], 0xa5, 4096);
	memset(fake_hw[i], 0x5b, 4096);
	*pa = hpa(FAKE_BASE + i * 4096ull);
	return 0;
}

static void fake_free(void *ctx, hpa_t pa)
{
	unsigned i = fake_index(pa);

	(void)ctx;
	assert_true(F.live[i]); /* nothing freed twice */
	F.live[i] = false;
	F.live_count--;
	F.frees++;
	memset(fake_cpu[i], 0xee, 4096);
	memset(fake_hw[i], 0xee, 4096);
	F.stack[F.nfree++] = i;
}

static void *fake_va(void *ctx, hpa_t pa)
{
	unsigned i = fake_index(pa);

	(void)ctx;
	assert_true(F.live[i]); /* never touches a freed page */
	return fake_cpu[i];
}

/* An entry pointing to a table may only reach the unit after the table. */
static void fake_check_child(uint64_t e)
{
	unsigned j;

	if (!(e & 3) || !fake_is_table(e & 0xffffffffff000ull))
		return;
	j = fake_index(hpa(e & 0xffffffffff000ull));
	assert_true(F.live[j]);
	assert_memory_equal(fake_hw[j], fake_cpu[j], 4096);
}

static void fake_flush(void *ctx, const void *va, size_t len)
{
	uintptr_t off = (uintptr_t)va - (uintptr_t)fake_cpu;
	unsigned i = (unsigned)(off / 4096), o = (unsigned)(off % 4096);

	(void)ctx;
	assert_true((uintptr_t)va >= (uintptr_t)fake_cpu && i < FAKE_PAGES);
	assert_true(F.live[i]);
	assert_true(o + len <= 4096 && len > 0);
	assert_int_equal(o % 8, 0);
	assert_int_equal(len % 8, 0);
	for (unsigned k = 0; k < len; k += 8)
		fake_check_child(*(const uint64_t *)(fake_cpu[i] + o + k));
	memcpy(fake_hw[i] + o, fake_cpu[i] + o, len);
	F.flush_calls++;
	F.flush_bytes += len;
}

static const void *fake_hw_page(void *ctx, uint64_t pa)
{
	(void)ctx;
	if (!fake_is_table(pa) || (pa & 0xfff))
		return NULL;
	return F.live[(pa - FAKE_BASE) >> 12] ? fake_hw[(pa - FAKE_BASE) >> 12]
					      : NULL;
}

/* Hash of every live page, both views, and of which pages are live. */
static uint64_t fake_checksum(void)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (unsigned i = 0; i < FAKE_PAGES; i++) {
		const uint64_t *c = (const uint64_t *)fake_cpu[i];
		const uint64_t *w = (const uint64_t *)fake_hw[i];

		if (!F.live[i])
			continue;
		h = (h ^ i) * 0x100000001b3ull;
		for (unsigned k = 0; k < 512; k++)
			h = (h ^ c[k] ^ (w[k] << 1)) * 0x100000001b3ull;
	}
	return h;
}

/* ---- one page table under test ---------------------------------------- */

#define SLOTS 4096

static struct {
	struct vtd_pgtable pt;
	struct vtd_pt_gather g;
	hpa_t slots[SLOTS];
	struct vtd_pt_mem mem;
	struct vtd_ref_unit ref;
} T;

static void setup(unsigned levels, bool sp_2m, bool sp_1g, bool snoop)
{
	fake_reset();
	T.mem = (struct vtd_pt_mem){.alloc = fake_alloc,
				    .free = fake_free,
				    .va = fake_va,
				    .flush = fake_flush};
	assert_int_equal(
		vtd_pt_init(&T.pt, levels, sp_2m, sp_1g, snoop, &T.mem), 0);
	assert_int_equal(vtd_pt_set_pa_bits(&T.pt, FAKE_HAW), 0);
	vtd_pt_gather_init(&T.g, T.slots, SLOTS);
	T.ref = (struct vtd_ref_unit){.levels = levels,
				      .large_2m = sp_2m,
				      .large_1g = sp_1g,
				      .snoop_control = snoop,
				      .haw = FAKE_HAW,
				      .page = fake_hw_page};
}

static void teardown(void)
{
	vtd_pt_gather_release(&T.pt, &T.g);
	vtd_pt_destroy(&T.pt);
	assert_int_equal(F.live_count, 0);
}

static int map(uint64_t va, uint64_t pa, uint64_t size, unsigned prot)
{
	return vtd_pt_map(&T.pt, iova(va), hpa(pa), size, prot, &T.g);
}

static int unmap(uint64_t va, uint64_t size)
{
	return vtd_pt_unmap(&T.pt, iova(va), size, &T.g);
}

static enum vtd_ref_status xlate(uint64_t va, bool write,
				 struct vtd_ref_result *r)
{
	return vtd_ref_translate(&T.ref, T.pt.root.v, va, write, r);
}

/* va translates to pa with prot, through a leaf of page_size (0: any). */
static void expect_map(uint64_t va, uint64_t pa, unsigned prot,
		       uint64_t page_size)
{
	struct vtd_ref_result r;

	for (int w = 0; w < 2; w++) {
		bool want = prot & (w ? VTD_PT_WRITE : VTD_PT_READ);

		assert_int_equal(xlate(va, w, &r),
				 want ? VTD_REF_OK : VTD_REF_DENIED);
		if (!want)
			continue;
		assert_int_equal(r.pa, pa);
		if (page_size)
			assert_int_equal(r.page_size, page_size);
	}
}

static void expect_unmapped(uint64_t va)
{
	struct vtd_ref_result r;

	assert_int_equal(xlate(va, false, &r), VTD_REF_NOT_PRESENT);
	assert_int_equal(xlate(va, true, &r), VTD_REF_NOT_PRESENT);
}

/* Independent scan of the unit's view of the tree. */
struct scan {
	unsigned tables;
	uint64_t mapped;
	unsigned leaves[6]; /* per level */
};

static void scan_table(unsigned level, uint64_t table, struct scan *sc)
{
	const uint64_t *t = fake_hw_page(NULL, table);
	unsigned present = 0;

	assert_non_null(t);
	sc->tables++;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = t[i];

		if (!(e & 3))
			continue;
		present++;
		if (level == 1 || (e & (1u << 7))) {
			sc->mapped += 1ull << (12 + 9 * (level - 1));
			sc->leaves[level]++;
		} else {
			scan_table(level - 1, e & 0xffffffffff000ull, sc);
		}
	}
	/* No empty table stays attached (the root excepted). */
	if (table != T.pt.root.v)
		assert_true(present > 0);
}

/* Counters agree with what is reachable; everything is flushed. */
static struct scan check_tree(void)
{
	struct scan sc = {0};

	scan_table(T.pt.levels, T.pt.root.v, &sc);
	assert_int_equal(sc.tables, T.pt.table_pages);
	assert_int_equal(sc.mapped, T.pt.mapped_bytes);
	assert_int_equal(F.live_count, T.pt.table_pages + T.g.nfree);
	for (unsigned i = 0; i < FAKE_PAGES; i++)
		if (F.live[i])
			assert_memory_equal(fake_cpu[i], fake_hw[i], 4096);
	return sc;
}

/* ---- basics ------------------------------------------------------------ */

static void test_init_levels(void **state)
{
	struct vtd_pgtable pt;

	(void)state;
	fake_reset();
	T.mem = (struct vtd_pt_mem){fake_alloc, fake_free, fake_va, fake_flush,
				    NULL};
	assert_int_equal(vtd_pt_init(&pt, 2, false, false, false, &T.mem),
			 -HV_EINVAL);
	assert_int_equal(vtd_pt_init(&pt, 6, false, false, false, &T.mem),
			 -HV_EINVAL);
	F.fail_after = 0;
	assert_int_equal(vtd_pt_init(&pt, 4, false, false, false, &T.mem),
			 -HV_ENOMEM);
	assert_int_equal(F.live_count, 0);
	for (unsigned levels = 3; levels <= 5; levels++) {
		setup(levels, true, true, false);
		assert_int_equal(T.pt.table_pages, 1);
		/* The garbage of the fresh page is gone in both views. */
		check_tree();
		assert_int_equal(vtd_pt_set_pa_bits(&T.pt, 31), -HV_EINVAL);
		assert_int_equal(vtd_pt_set_pa_bits(&T.pt, 53), -HV_EINVAL);
		teardown();
	}
}

/* One page at the top of the address space, for each level count. */
/* The walk reports entries every unit would fault on. */
static void test_walk_reserved(void **state)
{
	static const uint64_t bad[] = {1ull << 62, 1ull << 45, 1ull << 11};
	struct vtd_pt_walk w;
	uint64_t *root, *l3;
	struct vtd_ref_result r;

	(void)state;
	setup(4, true, true, false);
	assert_int_equal(map(SZ_1G, DATA_BASE, SZ_2M, RW), 0);
	root = fake_va(NULL, T.pt.root);
	assert_int_equal(vtd_pt_walk(&T.pt, iova(SZ_1G), &w), 0);
	l3 = fake_va(NULL, w.step[1].table);
	for (unsigned i = 0; i < 3; i++) {
		uint64_t old = l3[1];

		/* TM, an address above pa_bits, SNP in a non-leaf entry. */
		l3[1] |= bad[i];
		fake_flush(NULL, &l3[1], 8);
		assert_int_equal(vtd_pt_walk(&T.pt, iova(SZ_1G), &w), -HV_EIO);
		assert_int_equal(w.stop_level, 3);
		assert_int_equal(xlate(SZ_1G, false, &r), VTD_REF_RESERVED);
		assert_int_equal(r.level, 3);
		l3[1] = old;
		fake_flush(NULL, &l3[1], 8);
	}
	/* PS in a level-4 entry. */
	root[0] |= 1u << 7;
	fake_flush(NULL, &root[0], 8);
	assert_int_equal(vtd_pt_walk(&T.pt, iova(SZ_1G), &w), -HV_EIO);
	assert_int_equal(w.stop_level, 4);
	assert_int_equal(xlate(SZ_1G, false, &r), VTD_REF_RESERVED);
	root[0] &= ~(1ull << 7);
	fake_flush(NULL, &root[0], 8);
	expect_map(SZ_1G, DATA_BASE, RW, SZ_2M);
	teardown();
}

static void test_levels_one_page(void **state)
{
	(void)state;
	for (unsigned levels = 3; levels <= 5; levels++) {
		uint64_t top = 1ull << (12 + 9 * levels);
		uint64_t va = top - SZ_4K, pa = DATA_BASE + 0x7000;
		struct vtd_pt_walk w;
		struct vtd_ref_result r;

		setup(levels, false, false, false);
		assert_int_equal(map(va, pa, SZ_4K, RW), 0);
		expect_map(va, pa, RW, SZ_4K);
		expect_unmapped(va - SZ_4K);
		expect_unmapped(0);
		assert_int_equal(T.pt.table_pages, levels);
		/* The walk reports what the unit reads at every level. */
		assert_int_equal(vtd_pt_walk(&T.pt, iova(va + 0x123), &w), 0);
		assert_int_equal(w.nsteps, levels);
		assert_int_equal(w.pa.v, pa + 0x123);
		assert_int_equal(w.page_size, SZ_4K);
		assert_int_equal(w.prot, RW);
		assert_int_equal(w.step[0].table.v, T.pt.root.v);
		assert_int_equal(w.step[0].index, 511);
		assert_int_equal(xlate(va, false, &r), VTD_REF_OK);
		assert_int_equal(w.step[levels - 1].entry, r.entry);
		assert_int_equal(w.step[levels - 1].level, 1);
		assert_int_equal(vtd_pt_walk(&T.pt, iova(0), &w), -HV_ENOENT);
		assert_int_equal(w.stop_level, levels);
		assert_int_equal(vtd_pt_walk(&T.pt, iova(top), &w), -HV_EINVAL);
		assert_int_equal(xlate(top, false, &r), VTD_REF_BEYOND_WIDTH);
		assert_int_equal(vtd_ref_fault_reason(r.status, false), 4);
		check_tree();
		assert_int_equal(unmap(va, SZ_4K), 0);
		expect_unmapped(va);
		assert_int_equal(T.pt.table_pages, 1);
		check_tree();
		teardown();
	}
}

/* ---- superpages -------------------------------------------------------- */

static void test_superpage_use(void **state)
{
	struct scan sc;

	(void)state;
	for (unsigned levels = 3; levels <= 5; levels++) {
		setup(levels, true, true, false);
		/* 1 GiB + 2 MiB + 4 KiB, all aligned: one leaf of each. */
		assert_int_equal(
			map(SZ_1G, DATA_BASE, SZ_1G + SZ_2M + SZ_4K, RW), 0);
		sc = check_tree();
		assert_int_equal(sc.leaves[3], 1);
		assert_int_equal(sc.leaves[2], 1);
		assert_int_equal(sc.leaves[1], 1);
		expect_map(SZ_1G + 0x12345000, DATA_BASE + 0x12345000, RW,
			   SZ_1G);
		expect_map(2 * SZ_1G + 0x1000, DATA_BASE + SZ_1G + 0x1000, RW,
			   SZ_2M);
		expect_map(2 * SZ_1G + SZ_2M, DATA_BASE + SZ_1G + SZ_2M, RW,
			   SZ_4K);
		/* pa misaligned by 4 KiB: 4 KiB pages only. */
		assert_int_equal(map(8 * SZ_1G, DATA_BASE + 8 * SZ_1G + SZ_4K,
				     SZ_2M, VTD_PT_READ),
				 0);
		sc = check_tree();
		assert_int_equal(sc.leaves[1], 1 + 512);
		/* iova aligned to 2 MiB only: 2 MiB leaves. */
		assert_int_equal(map(16 * SZ_1G + SZ_2M,
				     DATA_BASE + 16 * SZ_1G + SZ_2M, SZ_1G, RW),
				 0);
		sc = check_tree();
		assert_int_equal(sc.leaves[2], 1 + 512);
		assert_int_equal(sc.leaves[3], 1);
		teardown();
	}
}

/* Capabilities decide: without them the same map uses smaller pages. */
static void test_superpage_caps(void **state)
{
	static const bool caps[4][2] = {
		{false, false}, {true, false}, {false, true}, {true, true}};
	struct scan sc;

	(void)state;
	for (unsigned c = 0; c < 4; c++) {
		setup(4, caps[c][0], caps[c][1], false);
		assert_int_equal(map(SZ_1G, DATA_BASE, SZ_1G, RW), 0);
		sc = check_tree();
		assert_int_equal(sc.leaves[3], caps[c][1] ? 1 : 0);
		assert_int_equal(sc.leaves[2],
				 caps[c][1] ? 0 : (caps[c][0] ? 512 : 0));
		assert_int_equal(sc.leaves[1],
				 caps[c][1] || caps[c][0] ? 0 : 512 * 512);
		expect_map(SZ_1G + SZ_1G - SZ_4K, DATA_BASE + SZ_1G - SZ_4K, RW,
			   0);
		assert_int_equal(unmap(SZ_1G, SZ_1G), 0);
		assert_int_equal(T.pt.table_pages, 1);
		check_tree();
		teardown();
	}
}

static void test_split_on_partial_unmap(void **state)
{
	uint64_t va = 4 * SZ_1G, hole = va + 5 * SZ_2M + 3 * SZ_4K;
	struct scan sc;

	(void)state;
	setup(4, true, true, false);
	assert_int_equal(map(va, DATA_BASE, SZ_1G, VTD_PT_READ), 0);
	vtd_pt_gather_release(&T.pt, &T.g);
	assert_int_equal(unmap(hole, SZ_4K), 0);
	/* 1 GiB -> 511 x 2 MiB + 511 x 4 KiB. */
	sc = check_tree();
	assert_int_equal(sc.leaves[3], 0);
	assert_int_equal(sc.leaves[2], 511);
	assert_int_equal(sc.leaves[1], 511);
	assert_int_equal(T.pt.mapped_bytes, SZ_1G - SZ_4K);
	expect_unmapped(hole);
	expect_map(hole - SZ_4K, DATA_BASE + (hole - SZ_4K - va), VTD_PT_READ,
		   SZ_4K);
	expect_map(hole + SZ_4K, DATA_BASE + (hole + SZ_4K - va), VTD_PT_READ,
		   SZ_4K);
	expect_map(va, DATA_BASE, VTD_PT_READ, SZ_2M);
	expect_map(va + SZ_1G - SZ_4K, DATA_BASE + SZ_1G - SZ_4K, VTD_PT_READ,
		   SZ_2M);
	/* The old 1 GiB leaf may be cached: the whole of it is invalidated. */
	assert_true(T.g.present_changed);
	assert_true(T.g.nonleaf_changed);
	assert_true(T.g.start.v <= va && T.g.end.v >= va + SZ_1G);
	assert_int_equal(T.g.nfree, 0);
	vtd_pt_gather_release(&T.pt, &T.g);
	/* Unmapping a range across the split leaves, then the rest. */
	assert_int_equal(unmap(va + SZ_4K, 5 * SZ_2M), 0);
	check_tree();
	assert_int_equal(unmap(va, SZ_4K), 0);
	assert_int_equal(unmap(va + 5 * SZ_2M + SZ_4K, 2 * SZ_4K), 0);
	assert_int_equal(unmap(hole + SZ_4K, va + SZ_1G - hole - SZ_4K), 0);
	assert_int_equal(T.pt.mapped_bytes, 0);
	check_tree();
	assert_int_equal(T.pt.table_pages, 1);
	teardown();
}

/* 1 GiB pages without 2 MiB ones: a split goes down to 4 KiB pages. */
static void test_split_without_2m(void **state)
{
	struct scan sc;

	(void)state;
	setup(3, false, true, false);
	assert_int_equal(map(SZ_1G, DATA_BASE, SZ_1G, VTD_PT_WRITE), 0);
	assert_int_equal(unmap(SZ_1G + SZ_2M + SZ_4K, SZ_2M), 0);
	sc = check_tree();
	assert_int_equal(sc.leaves[2], 0);
	assert_int_equal(sc.leaves[3], 0);
	assert_int_equal(sc.leaves[1], 512 * 512 - 512);
	assert_int_equal(T.pt.table_pages, 1 + 1 + 512);
	expect_map(SZ_1G + SZ_2M, DATA_BASE + SZ_2M, VTD_PT_WRITE, SZ_4K);
	expect_unmapped(SZ_1G + SZ_2M + SZ_4K);
	expect_unmapped(SZ_1G + 2 * SZ_2M);
	expect_map(SZ_1G + 2 * SZ_2M + SZ_4K, DATA_BASE + 2 * SZ_2M + SZ_4K,
		   VTD_PT_WRITE, SZ_4K);
	teardown();
}

static void test_merge_on_fill(void **state)
{
	uint64_t va = 3 * SZ_1G, pa = DATA_BASE + 5 * SZ_1G;
	struct scan sc;
	unsigned before;

	(void)state;
	setup(4, true, true, false);
	/* A 2 MiB block filled in three maps becomes one 2 MiB leaf. */
	assert_int_equal(map(va + SZ_4K, pa + SZ_4K, SZ_1M, RW), 0);
	assert_int_equal(map(va, pa, SZ_4K, RW), 0);
	before = T.pt.table_pages;
	vtd_pt_gather_release(&T.pt, &T.g);
	assert_int_equal(map(va + SZ_4K + SZ_1M, pa + SZ_4K + SZ_1M,
			     SZ_2M - SZ_4K - SZ_1M, RW),
			 0);
	sc = check_tree();
	assert_int_equal(sc.leaves[1], 0);
	assert_int_equal(sc.leaves[2], 1);
	assert_int_equal(T.pt.table_pages, before - 1);
	assert_int_equal(T.g.nfree, 1);
	assert_true(T.g.present_changed);
	assert_true(T.g.nonleaf_changed);
	expect_map(va + 0x1ff000, pa + 0x1ff000, RW, SZ_2M);
	vtd_pt_gather_release(&T.pt, &T.g);
	/* Filling the rest of the 1 GiB with 2 MiB maps: one 1 GiB leaf. */
	for (uint64_t off = SZ_2M; off < SZ_1G; off += SZ_2M)
		assert_int_equal(map(va + off, pa + off, SZ_2M, RW), 0);
	sc = check_tree();
	assert_int_equal(sc.leaves[3], 1);
	assert_int_equal(sc.leaves[2], 0);
	expect_map(va + 0x3456000, pa + 0x3456000, RW, SZ_1G);
	assert_int_equal(T.pt.table_pages, 2);
	teardown();
}

static void test_no_merge_when_different(void **state)
{
	uint64_t va = SZ_1G, pa = DATA_BASE;
	struct scan sc;

	(void)state;
	setup(3, true, true, false);
	/* Permissions differ. */
	assert_int_equal(map(va, pa, SZ_1M, VTD_PT_READ), 0);
	assert_int_equal(map(va + SZ_1M, pa + SZ_1M, SZ_2M - SZ_1M, RW), 0);
	/* Not contiguous. */
	assert_int_equal(map(va + SZ_2M, pa + SZ_2M, SZ_4K, RW), 0);
	assert_int_equal(map(va + SZ_2M + SZ_4K, pa + SZ_4M, SZ_2M - SZ_4K, RW),
			 0);
	/* Contiguous but pa not 2 MiB aligned. */
	assert_int_equal(map(va + 2 * SZ_2M, pa + SZ_4K, SZ_4K, RW), 0);
	assert_int_equal(
		map(va + 2 * SZ_2M + SZ_4K, pa + 2 * SZ_4K, SZ_2M - SZ_4K, RW),
		0);
	sc = check_tree();
	assert_int_equal(sc.leaves[2], 0);
	assert_int_equal(sc.leaves[1], 3 * 512);
	vtd_pt_gather_release(&T.pt, &T.g);
	/* Mergeable, but the gather has no slot: stays as it is, correct. */
	vtd_pt_gather_init(&T.g, NULL, 0);
	assert_int_equal(map(va + 3 * SZ_2M, pa + 3 * SZ_2M, SZ_4K, RW), 0);
	assert_int_equal(map(va + 3 * SZ_2M + SZ_4K, pa + 3 * SZ_2M + SZ_4K,
			     SZ_2M - SZ_4K, RW),
			 0);
	sc = check_tree();
	assert_int_equal(sc.leaves[2], 0);
	expect_map(va + 3 * SZ_2M + 0x5000, pa + 3 * SZ_2M + 0x5000, RW, SZ_4K);
	vtd_pt_gather_init(&T.g, T.slots, SLOTS);
	teardown();
}

/* ---- permissions and snoop -------------------------------------------- */

static void test_permissions(void **state)
{
	struct vtd_ref_result r;

	(void)state;
	setup(3, true, false, false);
	assert_int_equal(map(0x1000, DATA_BASE, SZ_4K, VTD_PT_READ), 0);
	assert_int_equal(map(0x2000, DATA_BASE + 0x1000, SZ_4K, VTD_PT_WRITE),
			 0);
	assert_int_equal(map(SZ_2M, DATA_BASE + SZ_2M, SZ_2M, VTD_PT_READ), 0);
	expect_map(0x1000, DATA_BASE, VTD_PT_READ, SZ_4K);
	expect_map(0x2000, DATA_BASE + 0x1000, VTD_PT_WRITE, SZ_4K);
	expect_map(SZ_2M + 0x3000, DATA_BASE + SZ_2M + 0x3000, VTD_PT_READ,
		   SZ_2M);
	/* A read-only page refuses writes: fault reason 5 (write). */
	assert_int_equal(xlate(0x1000, true, &r), VTD_REF_DENIED);
	assert_int_equal(r.level, 1);
	assert_int_equal(vtd_ref_fault_reason(r.status, true), 5);
	assert_int_equal(xlate(0x2000, false, &r), VTD_REF_DENIED);
	assert_int_equal(vtd_ref_fault_reason(r.status, false), 6);
	assert_int_equal(xlate(SZ_2M, true, &r), VTD_REF_DENIED);
	assert_int_equal(r.level, 2);
	/* Not present is reported as a read or write fault too. */
	assert_int_equal(xlate(0x3000, true, &r), VTD_REF_NOT_PRESENT);
	assert_int_equal(vtd_ref_fault_reason(r.status, true), 5);
	/* No SNP without snoop control. */
	assert_int_equal(xlate(0x1000, false, &r), VTD_REF_OK);
	assert_false(r.snoop);
	/* Splitting keeps the permissions of the superpage. */
	assert_int_equal(unmap(SZ_2M + SZ_4K, SZ_4K), 0);
	expect_map(SZ_2M, DATA_BASE + SZ_2M, VTD_PT_READ, SZ_4K);
	expect_map(SZ_2M + 2 * SZ_4K, DATA_BASE + SZ_2M + 2 * SZ_4K,
		   VTD_PT_READ, SZ_4K);
	check_tree();
	teardown();
}

static void test_snoop(void **state)
{
	struct vtd_ref_result r;
	struct vtd_pt_walk w;

	(void)state;
	setup(4, true, true, true);
	assert_int_equal(map(SZ_1G, DATA_BASE, SZ_1G + SZ_2M + SZ_4K, RW), 0);
	for (uint64_t va = SZ_1G; va < 2 * SZ_1G + SZ_4M; va += SZ_2M) {
		assert_int_equal(xlate(va, true, &r), VTD_REF_OK);
		assert_true(r.snoop);
	}
	assert_int_equal(vtd_pt_walk(&T.pt, iova(2 * SZ_1G + SZ_2M), &w), 0);
	assert_true(w.snoop);
	{
		/* As the console walks: root and levels read back only. */
		struct vtd_pgtable bare = {.root = T.pt.root,
					   .levels = 4,
					   .pa_bits = 52,
					   .mem = &T.mem};

		assert_int_equal(vtd_pt_walk(&bare, iova(SZ_1G + 0x1234), &w),
				 0);
		assert_int_equal(w.pa.v, DATA_BASE + 0x1234);
		assert_int_equal(w.page_size, SZ_1G);
		assert_true(w.snoop);
		assert_int_equal(vtd_pt_walk(&bare, iova(2 * SZ_1G + 8), &w),
				 0);
		assert_int_equal(w.page_size, SZ_2M);
		assert_int_equal(w.pa.v, DATA_BASE + SZ_1G + 8);
	}
	/* SNP stays in leaves: non-leaf entries with it would fault. */
	assert_int_equal(unmap(SZ_1G + SZ_4K, SZ_4K), 0);
	assert_int_equal(xlate(SZ_1G, false, &r), VTD_REF_OK);
	assert_true(r.snoop);
	assert_int_equal(xlate(SZ_1G + SZ_2M, false, &r), VTD_REF_OK);
	assert_true(r.snoop);
	check_tree();
	/* A unit without snoop control treats SNP as reserved (QEMU 7.2). */
	T.ref.snoop_control = false;
	assert_int_equal(xlate(SZ_1G, false, &r), VTD_REF_RESERVED);
	assert_int_equal(vtd_ref_fault_reason(r.status, false), 0xc);
	teardown();
}

/* ---- refusals change nothing ------------------------------------------- */

struct snap {
	uint64_t sum, mapped, allocs, flushes, written;
	unsigned tables, nfree;
	bool flags[3];
	iova_t start, end;
};

static struct snap snapshot(void)
{
	return (struct snap){.sum = fake_checksum(),
			     .mapped = T.pt.mapped_bytes,
			     .allocs = F.allocs,
			     .flushes = F.flush_calls,
			     .written = T.g.entries_written,
			     .tables = T.pt.table_pages,
			     .nfree = T.g.nfree,
			     .flags = {T.g.present_changed, T.g.became_present,
				       T.g.nonleaf_changed},
			     .start = T.g.start,
			     .end = T.g.end};
}

static void expect_same(const struct snap *a)
{
	struct snap b = snapshot();

	assert_int_equal(a->sum, b.sum);
	assert_int_equal(a->mapped, b.mapped);
	assert_int_equal(a->tables, b.tables);
	assert_int_equal(a->nfree, b.nfree);
	assert_int_equal(a->flushes, b.flushes);
	assert_int_equal(a->written, b.written);
	assert_memory_equal(a->flags, b.flags, sizeof(a->flags));
	assert_int_equal(a->start.v, b.start.v);
	assert_int_equal(a->end.v, b.end.v);
	assert_int_equal(F.live_count, T.pt.table_pages + T.g.nfree);
}

#define REFUSED(call, err)                       \
	do {                                     \
		assert_int_equal((call), (err)); \
		expect_same(&s);                 \
	} while (0)

static void test_refusals_change_nothing(void **state)
{
	uint64_t top = 1ull << 48, pa = DATA_BASE;
	hpa_t one[1];
	struct snap s;

	(void)state;
	setup(4, true, true, false);
	assert_int_equal(map(SZ_1G, DATA_BASE, SZ_1G, RW), 0);
	assert_int_equal(map(8 * SZ_1G, DATA_BASE, 16 * SZ_4K, VTD_PT_READ), 0);
	assert_int_equal(map(8 * SZ_1G + SZ_2M, DATA_BASE, SZ_4K, RW), 0);
	s = snapshot();
	REFUSED(map(0x1001000 + 1, pa, SZ_4K, RW), -HV_EINVAL);
	REFUSED(map(0x1000, pa + 0x800, SZ_4K, RW), -HV_EINVAL);
	REFUSED(map(0x1000, pa, SZ_4K + 8, RW), -HV_EINVAL);
	REFUSED(map(0x1000, pa, 0, RW), -HV_EINVAL);
	REFUSED(map(0x1000, pa, SZ_4K, 0), -HV_EINVAL);
	REFUSED(map(0x1000, pa, SZ_4K, 4), -HV_EINVAL);
	REFUSED(map(top - SZ_4K, pa, 2 * SZ_4K, RW), -HV_EINVAL);
	REFUSED(map(top, pa, SZ_4K, RW), -HV_EINVAL);
	REFUSED(map(~0xfffull, pa, SZ_4K, RW), -HV_EINVAL);
	REFUSED(map(0x1000, ~0xfffull, SZ_4K, RW), -HV_EINVAL);
	REFUSED(map(0x1000, (1ull << FAKE_HAW) - SZ_4K, 2 * SZ_4K, RW),
		-HV_EINVAL);
	REFUSED(map(0x1000, pa, ~0xfffull, RW), -HV_EINVAL);
	/* Overlaps: inside a 1 GiB leaf, across its ends, one 4 KiB page. */
	REFUSED(map(SZ_1G + SZ_2M, pa, SZ_4K, RW), -HV_EEXIST);
	REFUSED(map(SZ_1G - SZ_4K, pa, 2 * SZ_4K, RW), -HV_EEXIST);
	REFUSED(map(0, pa, SZ_1G + SZ_4K, RW), -HV_EEXIST);
	REFUSED(map(2 * SZ_1G - SZ_4K, pa, SZ_2M, RW), -HV_EEXIST);
	REFUSED(map(8 * SZ_1G + 15 * SZ_4K, pa, SZ_4M, RW), -HV_EEXIST);
	REFUSED(map(7 * SZ_1G, pa, SZ_1G + SZ_4M, RW), -HV_EEXIST);
	REFUSED(map(8 * SZ_1G + SZ_2M, pa, SZ_4K, RW), -HV_EEXIST);
	/* Unmaps of what is not (entirely) mapped. */
	REFUSED(unmap(0, SZ_4K), -HV_ENOENT);
	REFUSED(unmap(SZ_1G - SZ_4K, 2 * SZ_4K), -HV_ENOENT);
	REFUSED(unmap(2 * SZ_1G - SZ_4K, 2 * SZ_4K), -HV_ENOENT);
	REFUSED(unmap(SZ_1G, SZ_1G + SZ_4K), -HV_ENOENT);
	REFUSED(unmap(8 * SZ_1G, 17 * SZ_4K), -HV_ENOENT);
	REFUSED(unmap(8 * SZ_1G, SZ_2M + SZ_4K), -HV_ENOENT);
	REFUSED(unmap(8 * SZ_1G + SZ_2M + SZ_4K, SZ_4K), -HV_ENOENT);
	REFUSED(unmap(SZ_1G, 0), -HV_EINVAL);
	REFUSED(unmap(SZ_1G + 8, SZ_4K), -HV_EINVAL);
	REFUSED(unmap(SZ_1G, 100), -HV_EINVAL);
	REFUSED(unmap(top - SZ_4K, 2 * SZ_4K), -HV_EINVAL);
	REFUSED(unmap(SZ_1G, ~0xfffull), -HV_EINVAL);
	/* The same questions asked without unmapping. */
	REFUSED(vtd_pt_mapped(&T.pt, iova(SZ_1G), SZ_1G), 0);
	REFUSED(vtd_pt_mapped(&T.pt, iova(8 * SZ_1G), 16 * SZ_4K), 0);
	REFUSED(vtd_pt_mapped(&T.pt, iova(8 * SZ_1G), 17 * SZ_4K), -HV_ENOENT);
	REFUSED(vtd_pt_mapped(&T.pt, iova(SZ_1G), SZ_1G + SZ_4K), -HV_ENOENT);
	REFUSED(vtd_pt_mapped(&T.pt, iova(top), SZ_4K), -HV_EINVAL);
	/* An unmap that would detach more tables than the gather holds. */
	vtd_pt_gather_release(&T.pt, &T.g);
	vtd_pt_gather_init(&T.g, one, 0);
	s = snapshot();
	REFUSED(unmap(8 * SZ_1G, 16 * SZ_4K), -HV_ENOMEM);
	vtd_pt_gather_init(&T.g, one, 1);
	s = snapshot();
	/* Only its level-1 table goes: fits. */
	assert_int_equal(unmap(8 * SZ_1G + SZ_2M, SZ_4K), 0);
	assert_int_equal(T.g.nfree, 1);
	vtd_pt_gather_release(&T.pt, &T.g);
	/* Now the level-1 table and the level-2 one above: 2 > 1. */
	s = snapshot();
	REFUSED(unmap(8 * SZ_1G, 16 * SZ_4K), -HV_ENOMEM);
	vtd_pt_gather_init(&T.g, T.slots, SLOTS);
	assert_int_equal(unmap(8 * SZ_1G, 16 * SZ_4K), 0);
	assert_int_equal(T.g.nfree, 2);
	check_tree();
	teardown();
}

/* ---- allocation failures roll back -------------------------------------- */

static void test_map_enomem_rolls_back(void **state)
{
	/* Straddles a 512 GiB and a 1 GiB boundary, 4 KiB pages only. */
	uint64_t va = (1ull << 39) - SZ_2M - 3 * SZ_4K, size = SZ_4M + SZ_1M;
	unsigned tables, n;
	struct snap s;
	int rc;

	(void)state;
	setup(4, false, false, false);
	assert_int_equal(map(va - SZ_4K, DATA_BASE, SZ_4K, RW), 0);
	tables = T.pt.table_pages;
	s = snapshot();
	for (n = 0;; n++) {
		F.fail_after = n;
		rc = map(va, DATA_BASE + SZ_4K, size, RW);
		F.fail_after = -1;
		if (rc == 0)
			break;
		assert_int_equal(rc, -HV_ENOMEM);
		expect_same(&s);
		assert_true(n < 64);
	}
	/* Exactly the new tables were needed: L1 x 3, L3, L2. */
	assert_int_equal(n, T.pt.table_pages - tables);
	assert_int_equal(n, 5);
	expect_map(va + size - SZ_4K, DATA_BASE + size, RW, SZ_4K);
	check_tree();
	teardown();
}

static void test_split_enomem_rolls_back(void **state)
{
	uint64_t va = 2 * SZ_1G;
	struct snap s;
	unsigned n;
	int rc;

	(void)state;
	setup(3, true, true, false);
	assert_int_equal(map(va, DATA_BASE, SZ_1G, RW), 0);
	vtd_pt_gather_release(&T.pt, &T.g);
	s = snapshot();
	/* One 4 KiB page out of 1 GiB: a 2 MiB table and a 4 KiB table. */
	for (n = 0;; n++) {
		F.fail_after = n;
		rc = unmap(va + SZ_1M, SZ_4K);
		F.fail_after = -1;
		if (rc == 0)
			break;
		assert_int_equal(rc, -HV_ENOMEM);
		expect_same(&s);
		expect_map(va + SZ_1M, DATA_BASE + SZ_1M, RW, SZ_1G);
	}
	assert_int_equal(n, 2);
	expect_unmapped(va + SZ_1M);
	check_tree();
	teardown();
}

/* ---- the gather --------------------------------------------------------- */

static bool slots_hold(hpa_t pa)
{
	for (unsigned i = 0; i < T.g.nfree; i++)
		if (T.g.free[i].v == pa.v)
			return true;
	return false;
}

static void test_gather_defers_free(void **state)
{
	static uint8_t copy[2][4096];
	struct vtd_pt_walk w0, w1;
	uint64_t frees;

	(void)state;
	setup(3, false, false, false);
	assert_int_equal(map(0, DATA_BASE, SZ_4M - SZ_4K, RW), 0);
	assert_true(T.g.became_present);
	assert_true(T.g.nonleaf_changed); /* tables linked: caching mode */
	assert_false(T.g.present_changed);
	assert_int_equal(T.g.start.v, 0);
	assert_int_equal(T.g.end.v, SZ_4M - SZ_4K);
	vtd_pt_gather_release(&T.pt, &T.g);
	/* Into existing tables: only not-present -> present leaves. */
	assert_int_equal(
		map(SZ_4M - SZ_4K, DATA_BASE + SZ_4M - SZ_4K, SZ_4K, RW), 0);
	assert_true(T.g.became_present);
	assert_false(T.g.nonleaf_changed);
	assert_false(T.g.present_changed);
	assert_int_equal(T.g.entries_written, 1);
	vtd_pt_gather_release(&T.pt, &T.g);
	assert_int_equal(vtd_pt_walk(&T.pt, iova(0), &w0), 0);
	assert_int_equal(vtd_pt_walk(&T.pt, iova(SZ_2M), &w1), 0);
	memcpy(copy[0], fake_va(NULL, w0.step[2].table), 4096);
	memcpy(copy[1], fake_va(NULL, w1.step[2].table), 4096);
	/* One page out of a table that keeps others: no table changes. */
	assert_int_equal(unmap(SZ_4K, SZ_4K), 0);
	assert_true(T.g.present_changed);
	assert_false(T.g.nonleaf_changed);
	assert_int_equal(T.g.nfree, 0);
	assert_int_equal(map(SZ_4K, DATA_BASE + SZ_4K, SZ_4K, RW), 0);
	memcpy(copy[0], fake_va(NULL, w0.step[2].table), 4096);
	vtd_pt_gather_release(&T.pt, &T.g);
	/* Everything: both 4 KiB tables and the 2 MiB table detached. */
	frees = F.frees;
	assert_int_equal(unmap(0, SZ_4M), 0);
	assert_true(T.g.present_changed);
	assert_true(T.g.nonleaf_changed);
	assert_int_equal(T.g.nfree, 3);
	assert_true(slots_hold(w0.step[1].table));
	assert_true(slots_hold(w0.step[2].table));
	assert_true(slots_hold(w1.step[2].table));
	assert_int_equal(T.pt.table_pages, 1);
	expect_unmapped(0);
	expect_unmapped(SZ_2M);
	/* Not freed, untouched: the unit may still walk them. */
	assert_int_equal(F.frees, frees);
	assert_int_equal(F.live_count, 4);
	assert_memory_equal(fake_hw_page(NULL, w0.step[2].table.v), copy[0],
			    4096);
	assert_memory_equal(fake_hw_page(NULL, w1.step[2].table.v), copy[1],
			    4096);
	check_tree();
	vtd_pt_gather_release(&T.pt, &T.g);
	assert_int_equal(F.frees, frees + 3);
	assert_int_equal(F.live_count, 1);
	assert_int_equal(T.g.nfree, 0);
	assert_false(T.g.present_changed || T.g.nonleaf_changed ||
		     T.g.became_present);
	assert_int_equal(T.g.start.v, T.g.end.v);
	teardown();
}

static void test_unmap_bound(void **state)
{
	(void)state;
	setup(4, false, false, false);
	/* 1 GiB of 4 KiB pages: 512 tables + the level-2 one, and more. */
	assert_true(vtd_pt_unmap_max_tables(&T.pt, SZ_1G) >= 513);
	assert_int_equal(map(SZ_1G, DATA_BASE, SZ_1G, RW), 0);
	vtd_pt_gather_release(&T.pt, &T.g);
	assert_int_equal(unmap(SZ_1G, SZ_1G), 0);
	assert_int_equal(T.g.nfree, 514);
	assert_true(T.g.nfree <= vtd_pt_unmap_max_tables(&T.pt, SZ_1G));
	teardown();
}

/* ---- flushing ------------------------------------------------------------ */

static void test_flush_covers_every_entry(void **state)
{
	(void)state;
	setup(4, false, false, false);
	/* Empty tree, one page: 3 table entries and a leaf. */
	assert_int_equal(map(SZ_1G, DATA_BASE, SZ_4K, RW), 0);
	assert_int_equal(T.g.entries_written, 4);
	assert_true(F.flush_bytes >= 4 * 8);
	assert_int_equal(map(SZ_1G + SZ_4K, DATA_BASE, SZ_4M, VTD_PT_READ), 0);
	assert_int_equal(unmap(SZ_1G, SZ_2M), 0);
	assert_int_equal(unmap(SZ_1G + SZ_2M, SZ_4M - SZ_2M + SZ_4K), 0);
	assert_true(F.flush_bytes >= T.g.entries_written * 8);
	check_tree(); /* both views agree: nothing left in the "cache" */
	teardown();
	setup(4, true, true, false);
	assert_int_equal(map(SZ_1G, DATA_BASE, SZ_1G, RW), 0);
	assert_int_equal(unmap(SZ_1G + SZ_4K, SZ_4K), 0);
	assert_true(F.flush_bytes >= T.g.entries_written * 8);
	check_tree();
	teardown();
}

/* ---- random sequences against a shadow model ----------------------------- */

#define WIN_PAGES  (512u * 1024) /* a 2 GiB window of IOVA space */
#define BLK_2M	   512u		 /* pages per 2 MiB */
#define BLK_1G	   (512u * 512)	 /* pages per 1 GiB */
#define RND_OPS	   2000
#define RND_SEEDS  3
#define FULL_EVERY 500

struct rnd_cfg {
	unsigned levels;
	bool sp_2m, sp_1g, snoop;
};

static struct {
	uint64_t shadow[WIN_PAGES]; /* pa | prot of each page, 0: unmapped */
	uint64_t base;		    /* IOVA of page 0, 1 GiB aligned */
	uint64_t nmapped;	    /* pages */
	uint64_t rng;
	unsigned ops, refused, merges_seen, merges, splits;
} R;

static uint64_t rnd(void)
{
	R.rng ^= R.rng << 13;
	R.rng ^= R.rng >> 7;
	R.rng ^= R.rng << 17;
	return R.rng;
}

static uint64_t pva(uint64_t p)
{
	return R.base + p * SZ_4K;
}

/* Some page of [p, p + n) is mapped (want true) or unmapped (false). */
static bool rnd_any(uint64_t p, uint64_t n, bool want)
{
	for (uint64_t q = p; q < p + n; q++)
		if ((R.shadow[q] != 0) == want)
			return true;
	return false;
}

/* The page at p against the shadow, through both walkers. */
static uint64_t rnd_check_page(uint64_t p)
{
	uint64_t s = R.shadow[p];
	unsigned prot = s & 3;
	struct vtd_ref_result r, d;
	struct vtd_pt_walk w;
	int rc = vtd_pt_walk(&T.pt, iova(pva(p)), &w);

	xlate(pva(p), s && !(prot & VTD_PT_READ), &r);
	if (!s) {
		assert_int_equal(r.status, VTD_REF_NOT_PRESENT);
		assert_int_equal(rc, -HV_ENOENT);
		assert_int_equal(w.stop_level, r.level);
		return 1ull << (12 + 9 * (r.level - 1));
	}
	assert_int_equal(r.status, VTD_REF_OK);
	assert_int_equal(r.pa, s & ~0xfffull);
	assert_int_equal(r.read, !!(prot & VTD_PT_READ));
	assert_int_equal(r.write, !!(prot & VTD_PT_WRITE));
	assert_int_equal(r.snoop, T.pt.snoop);
	if (prot == VTD_PT_READ)
		assert_int_equal(xlate(pva(p), true, &d), VTD_REF_DENIED);
	assert_int_equal(rc, 0);
	assert_int_equal(w.pa.v, s & ~0xfffull);
	assert_int_equal(w.prot, prot);
	assert_int_equal(w.page_size, r.page_size);
	return r.page_size;
}

/* Pages [first, end): one walk per entry, the shadow for the rest. */
static void rnd_check(uint64_t first, uint64_t end)
{
	for (uint64_t p = first; p < end;) {
		uint64_t span = rnd_check_page(p), s = R.shadow[p], lim;

		lim = (ALIGN_DOWN(pva(p), span) + span - R.base) / SZ_4K;
		lim = MIN(lim, end);
		for (uint64_t q = p + 1; q < lim; q++)
			assert_int_equal(R.shadow[q],
					 s ? s + (q - p) * SZ_4K : 0);
		p = lim;
	}
}

/* Pages around [p, p + n) out to 2 MiB boundaries. */
static void rnd_check_around(uint64_t p, uint64_t n)
{
	rnd_check(ALIGN_DOWN(p, BLK_2M),
		  MIN(ALIGN_UP(p + n, BLK_2M), WIN_PAGES));
}

static void rnd_refused(const struct snap *s)
{
	/* Nothing written, flushed or allocated; sometimes every byte. */
	assert_int_equal(T.g.entries_written, s->written);
	assert_int_equal(F.flush_calls, s->flushes);
	assert_int_equal(F.allocs, s->allocs);
	assert_int_equal(T.pt.table_pages, s->tables);
	if (R.refused++ % 16 == 0)
		assert_int_equal(fake_checksum(), s->sum);
}

static void rnd_map(uint64_t p, uint64_t n, uint64_t pa, unsigned prot)
{
	bool clash = rnd_any(p, n, true);
	struct snap s = {.written = T.g.entries_written,
			 .flushes = F.flush_calls,
			 .allocs = F.allocs,
			 .tables = T.pt.table_pages};
	unsigned nfree = T.g.nfree;
	int rc;

	if (clash && R.refused % 16 == 0)
		s.sum = fake_checksum();
	rc = map(pva(p), pa, n * SZ_4K, prot);
	R.merges += T.g.nfree - nfree; /* a map frees tables only by merging */
	if (clash) {
		assert_int_equal(rc, -HV_EEXIST);
		rnd_refused(&s);
		return;
	}
	assert_int_equal(rc, 0);
	for (uint64_t q = 0; q < n; q++)
		R.shadow[p + q] = (pa + q * SZ_4K) | prot;
	R.nmapped += n;
	assert_true(T.g.became_present);
	assert_true(T.g.start.v <= pva(p) && T.g.end.v >= pva(p + n));
	rnd_check_around(p, n);
}

static void rnd_unmap(uint64_t p, uint64_t n)
{
	bool hole = rnd_any(p, n, false);
	struct snap s = {.written = T.g.entries_written,
			 .flushes = F.flush_calls,
			 .allocs = F.allocs,
			 .tables = T.pt.table_pages};
	unsigned nfree = T.g.nfree;
	int rc;

	if (hole && R.refused % 16 == 0)
		s.sum = fake_checksum();
	rc = unmap(pva(p), n * SZ_4K);
	if (hole) {
		assert_int_equal(rc, -HV_ENOENT);
		rnd_refused(&s);
		return;
	}
	assert_int_equal(rc, 0);
	R.splits += F.allocs > s.allocs;
	assert_true(T.g.nfree - nfree <=
		    vtd_pt_unmap_max_tables(&T.pt, n * SZ_4K));
	memset(&R.shadow[p], 0, n * sizeof(R.shadow[0]));
	R.nmapped -= n;
	assert_true(T.g.present_changed);
	assert_true(T.g.start.v <= pva(p) && T.g.end.v >= pva(p + n));
	rnd_check_around(p, n);
}

static uint64_t rnd_len(void)
{
	unsigned r = rnd() % 1000;

	if (r < 700)
		return 1 + rnd() % 16;
	if (r < 950)
		return BLK_2M * (1 + rnd() % 3) + (rnd() % 2 ? 0 : rnd() % 512);
	if (r < 995)
		return 1 + rnd() % (64 * BLK_2M);
	return BLK_1G;
}

static uint64_t rnd_start(uint64_t n)
{
	uint64_t p = rnd() % (WIN_PAGES - n + 1);

	switch (rnd() % 4) {
	case 0:
		return ALIGN_DOWN(p, BLK_2M);
	case 1:
		return ALIGN_DOWN(p, BLK_1G);
	default:
		return p;
	}
}

/* Mostly pa - iova constant and 1 GiB aligned, so superpages fit. */
static uint64_t rnd_pa(uint64_t p)
{
	if (rnd() % 10 < 7)
		return DATA_BASE + p * SZ_4K;
	return DATA_BASE + 4 * SZ_1G + (rnd() % BLK_1G) * SZ_4K;
}

/*
 * Fill a 2 MiB (or 1 GiB) block's holes with the aligned pa - iova and
 * read-write: if the whole block then maps one run, it must be one leaf.
 */
static void rnd_fill(const struct rnd_cfg *c)
{
	bool big = c->sp_1g && c->sp_2m && rnd() % 50 == 0;
	uint64_t blk = big ? BLK_1G : BLK_2M, b, p, q;
	struct vtd_ref_result r;
	bool whole = true;

	b = ALIGN_DOWN(rnd() % WIN_PAGES, blk);
	for (p = b; p < b + blk; p = q) {
		for (q = p; q < b + blk && !R.shadow[q] == !R.shadow[p];)
			q++;
		if (!R.shadow[p])
			rnd_map(p, q - p, DATA_BASE + p * SZ_4K, RW);
	}
	for (p = b; p < b + blk; p++)
		whole = whole && R.shadow[p] == ((DATA_BASE + p * SZ_4K) | RW);
	if (!whole || !(big ? c->sp_1g : c->sp_2m))
		return;
	assert_int_equal(xlate(pva(b), false, &r), VTD_REF_OK);
	assert_true(r.page_size >= blk * SZ_4K);
	R.merges_seen++;
}

/* Empty a 1 GiB block run by run, then map all of it at once. */
static void rnd_big(void)
{
	uint64_t b = (rnd() % (WIN_PAGES / BLK_1G)) * BLK_1G, p, q;

	for (p = b; p < b + BLK_1G; p = q) {
		for (q = p; q < b + BLK_1G && !R.shadow[q] == !R.shadow[p];)
			q++;
		if (R.shadow[p])
			rnd_unmap(p, q - p);
	}
	vtd_pt_gather_release(&T.pt, &T.g);
	rnd_map(b, BLK_1G, DATA_BASE + b * SZ_4K, 1 + rnd() % 3);
}

/* Unmap from a mapped page, mostly within its run. */
static void rnd_unmap_mapped(void)
{
	uint64_t p = rnd() % WIN_PAGES, n, run;

	for (unsigned t = 0; t < 64 && !R.shadow[p]; t++)
		p = rnd() % WIN_PAGES;
	n = rnd_len();
	n = MIN(n, WIN_PAGES - p);
	for (run = 0; run < n && R.shadow[p + run]; run++)
		;
	if (rnd() % 4 && run)
		n = run;
	rnd_unmap(p, n);
}

static void rnd_step(const struct rnd_cfg *c)
{
	unsigned k = rnd() % 100;
	uint64_t n, p;

	/* Room for the largest unmap; otherwise gathers pile up a while. */
	if (T.g.nfree > SLOTS / 2)
		vtd_pt_gather_release(&T.pt, &T.g);
	if (k < 45) {
		n = rnd_len();
		p = rnd_start(n);
		rnd_map(p, n, rnd_pa(p), 1 + rnd() % 3);
	} else if (k < 55) {
		rnd_fill(c);
	} else if (k < 57) {
		/* Costly to check without superpages: fewer of them there. */
		if (c->sp_1g || rnd() % 4 == 0)
			rnd_big();
	} else if (k < 90) {
		rnd_unmap_mapped();
	} else {
		n = rnd_len();
		rnd_unmap(rnd_start(n), n);
	}
	if (rnd() % 5)
		vtd_pt_gather_release(&T.pt, &T.g);
	assert_int_equal(T.pt.mapped_bytes, R.nmapped * SZ_4K);
	assert_int_equal(F.live_count, T.pt.table_pages + T.g.nfree);
	assert_true(F.flush_bytes >= T.g.entries_written * 8);
	R.ops++;
}

/* Unmap what is left, run by run. */
static void rnd_drain(void)
{
	for (uint64_t p = 0, q; p < WIN_PAGES; p = q) {
		for (q = p; q < WIN_PAGES && !R.shadow[q] == !R.shadow[p];)
			q++;
		if (R.shadow[p])
			rnd_unmap(p, q - p);
		vtd_pt_gather_release(&T.pt, &T.g);
	}
	assert_int_equal(T.pt.mapped_bytes, 0);
	assert_int_equal(T.pt.table_pages, 1);
}

static void test_random(void **state)
{
	const struct rnd_cfg *c = *state;

	for (unsigned seed = 1; seed <= RND_SEEDS; seed++) {
		setup(c->levels, c->sp_2m, c->sp_1g, c->snoop);
		memset(R.shadow, 0, sizeof(R.shadow));
		R.nmapped = 0;
		if (seed == 1)
			memset(&R.ops, 0, sizeof(R) - offsetof(typeof(R), ops));
		R.rng = 0x9e3779b97f4a7c15ull *
			(seed + 17 * c->levels + (c->sp_2m ? 3 : 0) +
			 (c->sp_1g ? 7 : 0));
		/* Straddles a top-level entry boundary at 4 and 5 levels. */
		R.base = (1ull << (12 + 9 * c->levels - 1)) - SZ_1G;
		for (unsigned i = 1; i <= RND_OPS; i++) {
			rnd_step(c);
			if (i % FULL_EVERY == 0) {
				rnd_check(0, WIN_PAGES);
				check_tree();
			}
		}
		rnd_drain();
		check_tree();
		teardown();
	}
	print_message("levels %u 2M %d 1G %d: %u ops, %u refused, %u tables "
		      "merged, %u unmaps split, %u filled blocks one leaf\n",
		      c->levels, c->sp_2m, c->sp_1g, R.ops, R.refused, R.merges,
		      R.splits, R.merges_seen);
}

static const struct rnd_cfg rnd_cfgs[] = {
	{3, false, false, false}, {3, true, false, false},
	{3, false, true, false},  {3, true, true, true},
	{4, false, false, true},  {4, true, false, false},
	{4, false, true, false},  {4, true, true, false},
	{5, false, false, false}, {5, true, false, true},
	{5, false, true, false},  {5, true, true, false},
};

#define RND(i) cmocka_unit_test_prestate(test_random, (void *)&rnd_cfgs[i])

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_levels),
		cmocka_unit_test(test_levels_one_page),
		cmocka_unit_test(test_walk_reserved),
		cmocka_unit_test(test_superpage_use),
		cmocka_unit_test(test_superpage_caps),
		cmocka_unit_test(test_split_on_partial_unmap),
		cmocka_unit_test(test_split_without_2m),
		cmocka_unit_test(test_merge_on_fill),
		cmocka_unit_test(test_no_merge_when_different),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_snoop),
		cmocka_unit_test(test_refusals_change_nothing),
		cmocka_unit_test(test_map_enomem_rolls_back),
		cmocka_unit_test(test_split_enomem_rolls_back),
		cmocka_unit_test(test_gather_defers_free),
		cmocka_unit_test(test_unmap_bound),
		cmocka_unit_test(test_flush_covers_every_entry),
		RND(0),
		RND(1),
		RND(2),
		RND(3),
		RND(4),
		RND(5),
		RND(6),
		RND(7),
		RND(8),
		RND(9),
		RND(10),
		RND(11),
	};

	return cmocka_run_group_tests_name("vtd_pgtable", tests, NULL, NULL);
}
