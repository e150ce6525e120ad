/* SPDX-License-Identifier: MIT */
/*
 * VT-d second-level page tables (specification chapter 3.7 and 9.8): the
 * I/O address space of a domain, built and torn down without allocating
 * anything itself and without touching hardware, so the same code runs in
 * the core and in host tests. Table pages come from, and go back to, the
 * caller through struct vtd_pt_mem.
 *
 * Every operation validates first and then acts: a refused or failed call
 * (-HV_EINVAL, -HV_EEXIST, -HV_ENOENT, -HV_ENOMEM) leaves every table
 * exactly as it was. Table pages an operation detaches are not freed: they
 * are queued in a struct vtd_pt_gather, which also says what the caller
 * must invalidate; vtd_pt_gather_release() frees them once the caller has
 * invalidated the IOTLB and paging-structure caches. docs/vtd-pgtable.md
 * has the details.
 */
#ifndef DRIVERS_IOMMU_INTEL_PGTABLE_H
#define DRIVERS_IOMMU_INTEL_PGTABLE_H

#include "kernel/mm/addr.h"
#include "kernel/types.h"

#define VTD_PT_READ	  BIT(0)
#define VTD_PT_WRITE	  BIT(1)
#define VTD_PT_MIN_LEVELS 3 /* 39-bit address width */
#define VTD_PT_MAX_LEVELS 5 /* 57-bit address width */
#define VTD_PT_ENTRIES	  512
#define VTD_PT_PA_BITS	  52 /* the address field ends at bit 51 */

/* Page-table memory, provided by the caller. */
struct vtd_pt_mem {
	/*
	 * One 4 KiB page for a table, or -HV_ENOMEM. Its contents need not
	 * be zero: the builder clears it before use.
	 */
	int (*alloc)(void *ctx, hpa_t *pa);
	/* Give back a page from alloc(). */
	void (*free)(void *ctx, hpa_t pa);
	/* Host-virtual address of a table page (never NULL for a table). */
	void *(*va)(void *ctx, hpa_t pa);
	/*
	 * Write back the cache lines of [va, va + len) so the unit sees
	 * them (ECAP.C = 0); may do nothing when page walks are coherent.
	 */
	void (*flush)(void *ctx, const void *va, size_t len);
	void *ctx;
};

struct vtd_pgtable {
	hpa_t root;	       /* the SLPTPTR of context / PASID entries */
	unsigned levels;       /* 3, 4 or 5 (context entry AW 1, 2, 3) */
	bool sp_2m, sp_1g;     /* CAP.SLLPS bits 0 and 1 */
	bool snoop;	       /* set SNP in leaves: only when ECAP.SC = 1 */
	unsigned pa_bits;      /* host address width (vtd_pt_set_pa_bits) */
	uint64_t mapped_bytes; /* sum of the mapped ranges */
	unsigned table_pages;  /* pages reachable from root, root included */
	const struct vtd_pt_mem *mem;
};

/*
 * What operations changed, for the caller's invalidation, and the table
 * pages they detached. One gather may collect several operations; the
 * caller invalidates [start, end) in the domain, then releases.
 *
 * - present_changed: a present entry was changed or removed: the IOTLB
 *   must be invalidated for [start, end) before the change is relied on.
 * - became_present: a not-present entry became present: only a unit in
 *   caching mode (CAP.CM = 1) needs an invalidation for that.
 * - nonleaf_changed: an entry pointing to a table was written or removed:
 *   the paging-structure caches must go too, so the invalidation must not
 *   set the invalidation hint (IH).
 */
struct vtd_pt_gather {
	iova_t start, end; /* hull of the IOVAs touched; start == end: none */
	bool present_changed;
	bool became_present;
	bool nonleaf_changed;
	hpa_t *free;		  /* caller storage: detached table pages */
	unsigned nfree, cap;	  /* used and available slots of free[] */
	uint64_t entries_written; /* 64-bit entry stores, for measurements */
};

/* One level of a walk, from the top. */
struct vtd_pt_walk_step {
	unsigned level; /* 5..1; 1 holds 4 KiB leaves */
	hpa_t table;	/* the table read at this level */
	unsigned index; /* entry index in that table */
	uint64_t entry; /* the value read */
};

struct vtd_pt_walk {
	unsigned nsteps; /* valid entries of step[] */
	struct vtd_pt_walk_step step[VTD_PT_MAX_LEVELS];
	unsigned stop_level; /* level of the last entry read */
	hpa_t pa;	     /* translated address (when the walk returns 0) */
	uint64_t page_size;
	unsigned prot; /* VTD_PT_READ | VTD_PT_WRITE, AND of all levels */
	bool snoop;    /* SNP set in the leaf */
};

/*
 * Allocate a zeroed root table. levels: 3..5 (must be a SAGAW the unit
 * supports); sp_2m / sp_1g: allowed leaf sizes; snoop: set SNP in every
 * leaf (only when ECAP.SC is set: QEMU faults on SNP otherwise).
 * Returns 0, -HV_EINVAL or -HV_ENOMEM.
 */
int vtd_pt_init(struct vtd_pgtable *pt, unsigned levels, bool sp_2m, bool sp_1g,
		bool snoop, const struct vtd_pt_mem *mem);

/*
 * Limit output addresses to the host address width (DMAR HAW + 1, or the
 * unit's MGAW when smaller): bits above it are reserved in entries.
 * bits: 32..52. Returns 0 or -HV_EINVAL.
 */
int vtd_pt_set_pa_bits(struct vtd_pgtable *pt, unsigned bits);

/*
 * Free every table page. The caller must have made the tables unreachable
 * for the hardware (no context/PASID entry uses them, caches invalidated)
 * and released every gather that holds pages of this table.
 */
void vtd_pt_destroy(struct vtd_pgtable *pt);

/*
 * Map [iova, iova + size) to [pa, pa + size) with prot (VTD_PT_READ and/or
 * VTD_PT_WRITE). iova, pa and size 4 KiB aligned, size > 0, the range
 * inside the address width (levels * 9 + 12 bits) and pa + size inside
 * pa_bits. Uses 2 MiB / 1 GiB leaves where iova and pa are aligned and the
 * capability allows; a table that the map fills with one aligned,
 * contiguous run of identical leaves becomes a superpage (when g has a
 * free slot for the table).
 * Returns 0; -HV_EINVAL (arguments), -HV_EEXIST (some page of the range is
 * mapped), -HV_ENOMEM (table allocation failed): then nothing changed.
 */
int vtd_pt_map(struct vtd_pgtable *pt, iova_t iova, hpa_t pa, uint64_t size,
	       unsigned prot, struct vtd_pt_gather *g);

/*
 * Unmap exactly [iova, iova + size): every page of it must be mapped. A
 * superpage only partly inside is split (allocating tables) and the rest
 * stays mapped. Tables left empty are detached and queued in g.
 * Returns 0; -HV_EINVAL (arguments), -HV_ENOENT (some page is not mapped),
 * -HV_ENOMEM (a split could not allocate, or g has fewer free slots than
 * the tables to detach; see vtd_pt_unmap_max_tables()): nothing changed.
 */
int vtd_pt_unmap(struct vtd_pgtable *pt, iova_t iova, uint64_t size,
		 struct vtd_pt_gather *g);

/* Upper bound of the table pages an unmap of size bytes can detach. */
uint64_t vtd_pt_unmap_max_tables(const struct vtd_pgtable *pt, uint64_t size);

/*
 * 0 when every page of [iova, iova + size) is mapped, else -HV_ENOENT
 * (-HV_EINVAL for a bad range). Changes nothing: lets a caller that unmaps
 * in several calls refuse the whole range before the first one.
 */
int vtd_pt_mapped(const struct vtd_pgtable *pt, iova_t iova, uint64_t size);

/*
 * Translate iova as the unit would, recording every entry read. Only
 * pt->root, levels, pa_bits and mem are used, so a walk can start from a
 * root read back from a context or PASID entry. PS at levels 2 and 3 is
 * taken as a leaf (the capability is not checked).
 * Returns 0 (w->pa, page_size, prot valid), -HV_ENOENT (not present at
 * w->stop_level), -HV_EINVAL (iova beyond the address width) or -HV_EIO
 * (an entry with bits set that every unit faults on, at w->stop_level).
 */
int vtd_pt_walk(const struct vtd_pgtable *pt, iova_t iova,
		struct vtd_pt_walk *w);

/* Start an empty gather whose free list is slots[0 .. cap). */
void vtd_pt_gather_init(struct vtd_pt_gather *g, hpa_t *slots, unsigned cap);

/*
 * Free the detached pages after the caller's invalidation and empty the
 * gather (range, flags and counter too), keeping its storage.
 */
void vtd_pt_gather_release(struct vtd_pgtable *pt, struct vtd_pt_gather *g);

#endif
