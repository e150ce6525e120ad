// SPDX-License-Identifier: MIT
/*
 * Invalidation descriptors issued per map/unmap batch, by the same rules
 * as the driver (drivers/iommu/intel/domain.c): page tables and the
 * invalidation layer against the fake unit, in and out of caching mode.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/iommu/intel/inval.h"
#include "drivers/iommu/intel/pgtable.h"
#include "kernel/errno.h"
#include "vtd_fake.h"

#define MEM_PAGES 8192
#define DID	  1

static struct vtd_fake_mem mem;
static struct vtd_fake fake;
static struct vtd_inval q;
static struct vtd_pgtable pt;
static hpa_t slots[1024];

static void fake_free(void *ctx, hpa_t pa)
{
	(void)ctx;
	(void)pa; /* the fake memory is a bump allocator */
}

static const struct vtd_pt_mem pt_mem = {
	vtd_fake_mem_alloc, fake_free, vtd_fake_mem_va,
	vtd_fake_mem_flush, &mem,
};

/* The driver's rule: see vtd_domain_inval(). */
static void inval(const struct vtd_pt_gather *g, bool cm)
{
	struct vtd_inval_batch b;

	vtd_inval_begin(&q, &b);
	if (g->present_changed || (cm && g->became_present))
		vtd_inval_add_iotlb_range(&b, DID, g->start,
					  g->end.v - g->start.v,
					  !g->nonleaf_changed);
	else
		vtd_inval_add_wbf(&b);
	if (vtd_inval_commit(&b))
		printf("  commit failed\n");
}

static uint64_t ndesc(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < 8; i++)
		n += q.stats.desc[i];
	return n - q.stats.waits;
}

static void op(const char *what, bool map, uint64_t va, uint64_t size, bool cm)
{
	uint64_t d0 = ndesc(), w0 = q.stats.waits;
	struct vtd_pt_gather g;
	int rc;

	vtd_pt_gather_init(&g, slots, 1024);
	rc = map ? vtd_pt_map(&pt, iova(va), hpa(0x100000000ull + va), size,
			      VTD_PT_READ | VTD_PT_WRITE, &g)
		 : vtd_pt_unmap(&pt, iova(va), size, &g);
	if (rc) {
		printf("  %s: error %d\n", what, rc);
		return;
	}
	inval(&g, cm);
	vtd_pt_gather_release(&pt, &g);
	printf("  %-34s %3llu descriptors + %llu wait\n", what,
	       (unsigned long long)(ndesc() - d0),
	       (unsigned long long)(q.stats.waits - w0));
}

static void run(bool cm)
{
	uint64_t cap = VTD_FAKE_CAP_QEMU & ~(cm ? 0 : BIT(7));
	struct vtd_inval_mem im = {vtd_fake_mem_alloc,
				   vtd_fake_mem_va,
				   vtd_fake_mem_flush,
				   &mem,
				   NULL,
				   NULL};
	struct vtd_mmio mmio;

	vtd_fake_mem_init(&mem, MEM_PAGES);
	vtd_fake_init(&fake, &mem, cap, VTD_FAKE_ECAP_QEMU);
	mmio = vtd_fake_mmio(&fake);
	if (vtd_inval_init(&q, &mmio, cap, VTD_FAKE_ECAP_QEMU, false, &im) ||
	    vtd_inval_enable(&q) ||
	    vtd_pt_init(&pt, 3, true, true, false, &pt_mem)) {
		printf("setup failed\n");
		return;
	}
	printf("caching mode %s (invalidation descriptors per batch):\n",
	       cm ? "on" : "off");
	op("map 4 KiB", true, 0x200000, 0x1000, cm);
	op("unmap 4 KiB", false, 0x200000, 0x1000, cm);
	op("map 64 KiB", true, 0x200000, 0x10000, cm);
	op("unmap 64 KiB", false, 0x200000, 0x10000, cm);
	op("map 60 KiB at +4 KiB (unaligned)", true, 0x201000, 0xf000, cm);
	op("unmap 60 KiB at +4 KiB", false, 0x201000, 0xf000, cm);
	op("map 2 MiB (one superpage)", true, 0x400000, 0x200000, cm);
	op("unmap 2 MiB", false, 0x400000, 0x200000, cm);
	op("map 1 GiB (one superpage)", true, 0x40000000, 0x40000000, cm);
	op("unmap 1 GiB", false, 0x40000000, 0x40000000, cm);
	vtd_pt_destroy(&pt);
	vtd_fake_mem_fini(&mem);
}

int main(void)
{
	run(true);
	run(false);
	return 0;
}
