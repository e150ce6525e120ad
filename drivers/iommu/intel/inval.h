/* SPDX-License-Identifier: MIT */
/*
 * VT-d cache invalidation: queued invalidation (spec 6.5.2) when the unit
 * reports ECAP.QI, the register-based interface (6.5.1) otherwise.
 *
 * Every IOMMU operation collects the invalidations it needs in a batch and
 * commits it once: the batch drops duplicates and requests made redundant
 * by coarser ones, orders them (context-cache, PASID-cache, IOTLB,
 * device-TLB), writes them to the queue followed by one wait descriptor
 * and polls its status word with a time bound. See docs/vtd-invalidation.md
 * for what each operation must invalidate.
 *
 * Not thread-safe: one caller at a time per unit (the caller's lock).
 */
#ifndef DRIVERS_IOMMU_INTEL_INVAL_H
#define DRIVERS_IOMMU_INTEL_INVAL_H

#include "drivers/iommu/intel/vtd_regs.h"
#include "kernel/mm/addr.h"

/* Requests one batch can hold after deduplication (larger ones coarsen). */
#define VTD_INVAL_BATCH_MAX 32
/* vtd_inval_add_pasid_cache(): every PASID of the domain. */
#define VTD_INVAL_PASID_ALL UINT32_MAX
/* Defaults of the limits in struct vtd_inval (callers may change them). */
#define VTD_INVAL_TIMEOUT_US	100000ull    /* 100 ms per wait */
#define VTD_INVAL_MAX_SPINS	(1ull << 26) /* bound without a clock */
#define VTD_INVAL_PSI_MAX_DESC	16	     /* more blocks: domain-selective */
#define VTD_INVAL_PSI_MAX_PAGES 512 /* larger ranges: domain-selective */

/* Platform services. The queue pages are only allocated when QI is used. */
struct vtd_inval_mem {
	/* One zeroed, 4 KiB-aligned page; 0 or -HV_ENOMEM. */
	int (*alloc)(void *ctx, hpa_t *pa);
	/* Host-virtual address of a page given by alloc. */
	void *(*va)(void *ctx, hpa_t pa);
	/* Write back CPU caches over [va, va + len); may be NULL. */
	void (*flush)(void *ctx, const void *va, size_t len);
	void *ctx;
	/* Microseconds, monotonic; NULL: polls are bounded by max_spins only. */
	uint64_t (*now_us)(void *clock_ctx);
	void *clock_ctx;
};

/* Context-cache granularity; the values are the CIRG/descriptor G codes. */
enum vtd_inval_gran {
	VTD_INVAL_GLOBAL = 1,
	VTD_INVAL_DOMAIN = 2,
	VTD_INVAL_DEVICE = 3,
};

struct vtd_inval_stats {
	uint64_t desc[8];      /* queued descriptors by type (VTD_INV_*) */
	uint64_t waits;	       /* wait descriptors (one per submission) */
	uint64_t submissions;  /* IQT writes */
	uint64_t reg_context;  /* register-based context-cache invalidations */
	uint64_t reg_iotlb;    /* register-based IOTLB invalidations */
	uint64_t wbf;	       /* write-buffer flushes */
	uint64_t dropped;      /* requests made redundant within a batch */
	uint64_t psi_fallback; /* ranges turned domain-selective */
	uint64_t timeouts;     /* waits or register polls that timed out */
	uint64_t errors;       /* IQE, ITE, ICE or bad register answers */
};

struct vtd_inval {
	struct vtd_mmio mmio;
	struct vtd_inval_mem mem;
	uint64_t cap, ecap;
	const char *name; /* in log lines: "VT-d <name>: ..." */
	bool qi;	  /* queued invalidation (ECAP.QI) */
	bool scalable;	  /* unit in scalable mode: 256-bit descriptors */
	bool enabled;
	/* Queue: entries slots of desc_size bytes in one page. */
	hpa_t queue_pa;
	uint64_t *queue;
	unsigned entries, desc_size, tail;
	/* Status page: word 0 for waits, word 2 for recovery waits. */
	hpa_t status_pa;
	volatile uint32_t *status;
	uint32_t seq;
	/* Limits, set by init; tests and callers may lower them. */
	uint64_t timeout_us, max_spins;
	unsigned max_per_submit; /* descriptors before a wait, <= entries-2 */
	unsigned psi_max_desc;
	uint64_t psi_max_pages;
	struct vtd_inval_stats stats;
};

/* One request of a batch, decoded; encoded only at commit. */
struct vtd_inval_req {
	uint8_t kind;  /* enum in inval.c */
	uint8_t order; /* PSI address mask, device-TLB block order */
	uint8_t fm;    /* context function mask */
	uint8_t qdep;  /* ATS invalidate queue depth field */
	bool ih;       /* IOTLB invalidation hint (leaf entries only) */
	uint16_t did, sid, pfsid;
	uint32_t pasid;
	uint64_t addr; /* page-aligned */
};

struct vtd_inval_batch {
	struct vtd_inval *q;
	int err; /* first error of an adder, returned by commit */
	bool wbf;
	unsigned n;
	struct vtd_inval_req req[VTD_INVAL_BATCH_MAX];
};

/*
 * Set up q for one unit. mmio and mem are copied. scalable: the unit will
 * run with RTADDR.TTM = scalable (needs ECAP.SMTS and ECAP.QI). Allocates
 * the queue and status pages when QI is used. Touches no register.
 * Returns 0, -HV_EINVAL, -HV_ENOTSUP or -HV_ENOMEM (logged).
 */
int vtd_inval_init(struct vtd_inval *q, const struct vtd_mmio *mmio,
		   uint64_t cap, uint64_t ecap, bool scalable,
		   const struct vtd_inval_mem *mem);

/*
 * Start invalidating: with QI, program IQA (DW in scalable mode), reset
 * IQT, set GCMD.QIE preserving the other enables and wait for GSTS.QIES;
 * a queue left enabled by firmware is drained and disabled first. Without
 * QI nothing is written. 0 or -HV_ETIMEDOUT.
 */
int vtd_inval_enable(struct vtd_inval *q);
/* Wait for the queue to drain and clear GCMD.QIE. 0 or -HV_ETIMEDOUT. */
int vtd_inval_disable(struct vtd_inval *q);

void vtd_inval_begin(struct vtd_inval *q, struct vtd_inval_batch *b);

/*
 * Adders. Invalid arguments or requests the unit cannot do set b->err
 * (-HV_EINVAL / -HV_ENOTSUP), which commit returns after issuing the rest.
 * did is the domain id the cached entries were tagged with (for device
 * granularity: the one the context entry held before the change).
 */
void vtd_inval_add_context(struct vtd_inval_batch *b, enum vtd_inval_gran g,
			   uint16_t did, uint16_t sid, uint8_t fm);
/* Scalable mode only. pasid VTD_INVAL_PASID_ALL: the whole domain. */
void vtd_inval_add_pasid_cache(struct vtd_inval_batch *b, uint16_t did,
			       uint32_t pasid);
void vtd_inval_add_pasid_cache_global(struct vtd_inval_batch *b);
void vtd_inval_add_iotlb_global(struct vtd_inval_batch *b);
void vtd_inval_add_iotlb_domain(struct vtd_inval_batch *b, uint16_t did);
/*
 * Page-selective over [iova, iova + size) rounded out to pages: the fewest
 * aligned power-of-two blocks that cover it exactly (each <= CAP.MAMV);
 * domain-selective when CAP.PSI is 0 or more than psi_max_desc blocks or
 * psi_max_pages pages would be needed. leaf_only sets IH: only leaf
 * entries changed, no page-table page was freed.
 */
void vtd_inval_add_iotlb_range(struct vtd_inval_batch *b, uint16_t did,
			       iova_t iova, uint64_t size, bool leaf_only);
/*
 * Device-TLB (ATS) of sid over the smallest aligned block holding the
 * range. qdep: the ATS capability's Invalidate Queue Depth field (0-31);
 * pfsid: the PF's requester id (used only when ECAP.DIT). Needs ECAP.DT.
 */
void vtd_inval_add_devtlb(struct vtd_inval_batch *b, uint16_t sid,
			  uint16_t pfsid, unsigned qdep, iova_t iova,
			  uint64_t size);
/* Write-buffer flush before the invalidations; nothing unless CAP.RWBF. */
void vtd_inval_add_wbf(struct vtd_inval_batch *b);

/*
 * Issue the batch and wait for completion. 0; b->err; -HV_ETIMEDOUT (wait
 * or device-TLB time-out); -HV_EIO (IQE, ICE, bad register answer). Every
 * failure is logged once with the error record, and the queue is left
 * usable for the next commit.
 */
int vtd_inval_commit(struct vtd_inval_batch *b);

/* Aligned block of 2^order pages at pfn. */
struct vtd_inval_block {
	uint64_t pfn;
	unsigned order;
};

/*
 * The fewest aligned power-of-two blocks of at most 2^max_order pages
 * covering pages [pfn, pfn + npages) exactly. Writes up to max blocks;
 * returns the number needed, or max + 1 when more than max are needed.
 */
unsigned vtd_inval_cover(uint64_t pfn, uint64_t npages, unsigned max_order,
			 struct vtd_inval_block *out, unsigned max);

/* Name of a descriptor type (VTD_INV_*), "?" for others. */
const char *vtd_inval_type_name(unsigned type);

#endif
