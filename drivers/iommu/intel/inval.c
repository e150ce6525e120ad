// SPDX-License-Identifier: MIT
/*
 * VT-d invalidation (spec 6.5): batches of decoded requests, deduplicated,
 * then issued through the invalidation queue (6.5.2) or the context and
 * IOTLB command registers (6.5.1). The QEMU 7.2 rules the encodings follow
 * are listed in docs/vtd-invalidation.md.
 */
#include "drivers/iommu/intel/inval.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

/* clang-format off */
/* Device-TLB invalidate descriptor, first qword (6.5.2.5). */
#define VTD_INVAL_DT_PFSID_LO	BIT_MASK(15, 12)
#define VTD_INVAL_DT_MIP	BIT_MASK(20, 16)
#define VTD_INVAL_DT_SID	BIT_MASK(47, 32)
#define VTD_INVAL_DT_PFSID_HI	BIT_MASK(63, 52)
/* ECAP.DIT: device-TLB invalidation throttling, PFSID is meaningful. */
#define VTD_INVAL_ECAP_DIT	BIT(41)
/* PASID-cache invalidation granularity (6.5.2.2). */
#define VTD_INVAL_PC_DOMAIN	0ull
#define VTD_INVAL_PC_PASID	1ull
#define VTD_INVAL_PC_GLOBAL	3ull
/* Largest device-TLB block: the whole address space (ATS all-ones). */
#define VTD_INVAL_DT_ALL_ORDER	52
/* Status page words: completion of waits, target of recovery waits. */
#define VTD_INVAL_ST_DONE	0
#define VTD_INVAL_ST_SCRATCH	2
#define VTD_INVAL_QUEUE_ERRS	(VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)
/* clang-format on */

enum vtd_inval_kind {
	VTD_INVAL_K_CC_GLOBAL,
	VTD_INVAL_K_CC_DOMAIN,
	VTD_INVAL_K_CC_DEVICE,
	VTD_INVAL_K_PC_GLOBAL,
	VTD_INVAL_K_PC_DOMAIN,
	VTD_INVAL_K_PC_PASID,
	VTD_INVAL_K_IOTLB_GLOBAL,
	VTD_INVAL_K_IOTLB_DOMAIN,
	VTD_INVAL_K_IOTLB_PAGE,
	VTD_INVAL_K_DEVTLB,
};

/* Issue order: context, PASID cache, IOTLB, device-TLB (spec 6.5.2.5). */
enum vtd_inval_class {
	VTD_INVAL_C_CC,
	VTD_INVAL_C_PC,
	VTD_INVAL_C_IOTLB,
	VTD_INVAL_C_DEVTLB,
	VTD_INVAL_C_COUNT,
};

struct vtd_inval_poll {
	uint64_t start, spins;
};

/* ---- register access and bounded polls ------------------------------- */

static uint32_t rd32(const struct vtd_inval *q, unsigned off)
{
	return q->mmio.read32(q->mmio.ctx, off);
}

static uint64_t rd64(const struct vtd_inval *q, unsigned off)
{
	return q->mmio.read64(q->mmio.ctx, off);
}

static void wr32(const struct vtd_inval *q, unsigned off, uint32_t v)
{
	q->mmio.write32(q->mmio.ctx, off, v);
}

static void wr64(const struct vtd_inval *q, unsigned off, uint64_t v)
{
	q->mmio.write64(q->mmio.ctx, off, v);
}

static void poll_start(const struct vtd_inval *q, struct vtd_inval_poll *p)
{
	p->spins = 0;
	p->start = q->mem.now_us ? q->mem.now_us(q->mem.clock_ctx) : 0;
}

static bool poll_expired(const struct vtd_inval *q, struct vtd_inval_poll *p)
{
	__builtin_ia32_pause();
	if (++p->spins >= q->max_spins)
		return true;
	return q->mem.now_us &&
	       q->mem.now_us(q->mem.clock_ctx) - p->start >= q->timeout_us;
}

/* Wait until (register & mask) == want; what names the operation. */
static int reg_wait(struct vtd_inval *q, unsigned off, bool is64, uint64_t mask,
		    uint64_t want, const char *what)
{
	struct vtd_inval_poll p;
	uint64_t v;

	poll_start(q, &p);
	for (;;) {
		v = is64 ? rd64(q, off) : rd32(q, off);
		if ((v & mask) == want)
			return 0;
		if (poll_expired(q, &p))
			break;
	}
	q->stats.timeouts++;
	log_err("VT-d %s: %s did not complete within %llu us (register 0x%x = 0x%llx)",
		q->name, what, (unsigned long long)q->timeout_us, off,
		(unsigned long long)v);
	return -HV_ETIMEDOUT;
}

/*
 * Set or clear one GCMD command and wait for its GSTS status. The other
 * enables are written back as GSTS reports them, without the one-shot
 * bits (spec 11.4.4: GSTS & 0x96ffffff).
 */
static int gcmd_update(struct vtd_inval *q, uint32_t cmd, bool on, uint32_t sts,
		       bool sts_on, const char *what)
{
	uint32_t v = rd32(q, VTD_GSTS_REG) & ~(uint32_t)VTD_GSTS_ONESHOT;

	wr32(q, VTD_GCMD_REG, on ? v | cmd : v & ~cmd);
	return reg_wait(q, VTD_GSTS_REG, false, sts, sts_on ? sts : 0, what);
}

/* ---- init, enable, disable ------------------------------------------- */

static int qi_alloc_page(struct vtd_inval *q, hpa_t *pa, void **va)
{
	if (!q->mem.alloc || !q->mem.va || q->mem.alloc(q->mem.ctx, pa)) {
		log_err("VT-d %s: no page for the invalidation queue", q->name);
		return -HV_ENOMEM;
	}
	*va = q->mem.va(q->mem.ctx, *pa);
	if (!*va || !IS_ALIGNED(pa->v, PAGE_SIZE)) {
		log_err("VT-d %s: invalidation queue page 0x%llx unusable",
			q->name, (unsigned long long)pa->v);
		return -HV_ENOMEM;
	}
	memset(*va, 0, PAGE_SIZE);
	return 0;
}

static int qi_setup(struct vtd_inval *q)
{
	void *va;
	int ret;

	/* One page, IQA.QS = 0: 256 legacy or 128 scalable-mode slots. */
	q->desc_size = q->scalable ? 32 : 16;
	q->entries = PAGE_SIZE / q->desc_size;
	q->max_per_submit = q->entries - 2;
	ret = qi_alloc_page(q, &q->queue_pa, &va);
	if (ret)
		return ret;
	q->queue = va;
	ret = qi_alloc_page(q, &q->status_pa, &va);
	if (ret)
		return ret;
	q->status = va;
	return 0;
}

static int reg_setup(struct vtd_inval *q)
{
	unsigned iro = FIELD_GET(VTD_ECAP_IRO, q->ecap) * 16;

	if (iro == 0 || iro + 16 > PAGE_SIZE) {
		log_err("VT-d %s: IOTLB registers at 0x%x (ECAP.IRO) outside the register page",
			q->name, iro);
		return -HV_EINVAL;
	}
	return 0;
}

int vtd_inval_init(struct vtd_inval *q, const struct vtd_mmio *mmio,
		   uint64_t cap, uint64_t ecap, bool scalable,
		   const struct vtd_inval_mem *mem)
{
	memset(q, 0, sizeof(*q));
	q->name = "unit";
	if (!mmio || !mmio->read32 || !mmio->read64 || !mmio->write32 ||
	    !mmio->write64 || !mem) {
		log_err("VT-d: invalidation set up without register access");
		return -HV_EINVAL;
	}
	q->mmio = *mmio;
	q->mem = *mem;
	q->cap = cap;
	q->ecap = ecap;
	q->scalable = scalable;
	q->qi = ecap & VTD_ECAP_QI;
	q->timeout_us = VTD_INVAL_TIMEOUT_US;
	q->max_spins = VTD_INVAL_MAX_SPINS;
	q->psi_max_desc = VTD_INVAL_PSI_MAX_DESC;
	q->psi_max_pages = VTD_INVAL_PSI_MAX_PAGES;
	if (scalable && !(ecap & VTD_ECAP_SMTS)) {
		log_err("VT-d %s: scalable mode asked but ECAP.SMTS is 0",
			q->name);
		return -HV_ENOTSUP;
	}
	/* PASID-cache invalidation exists only as a queued descriptor. */
	if (scalable && !q->qi) {
		log_err("VT-d %s: scalable mode needs queued invalidation (ECAP.QI is 0)",
			q->name);
		return -HV_ENOTSUP;
	}
	return q->qi ? qi_setup(q) : reg_setup(q);
}

static unsigned qi_index(const struct vtd_inval *q, uint64_t reg)
{
	return (unsigned)(reg & VTD_IQ_QH_QT) / q->desc_size % q->entries;
}

/* Drain the queue, then clear QIE (QEMU refuses while it is not empty). */
static int qi_stop(struct vtd_inval *q)
{
	struct vtd_inval_poll p;
	uint64_t iqh, iqt;

	poll_start(q, &p);
	for (;;) {
		iqh = rd64(q, VTD_IQH_REG) & VTD_IQ_QH_QT;
		iqt = rd64(q, VTD_IQT_REG) & VTD_IQ_QH_QT;
		if (iqh == iqt)
			break;
		if (poll_expired(q, &p)) {
			q->stats.timeouts++;
			log_err("VT-d %s: invalidation queue does not drain (IQH 0x%llx IQT 0x%llx)",
				q->name, (unsigned long long)iqh,
				(unsigned long long)iqt);
			return -HV_ETIMEDOUT;
		}
	}
	return gcmd_update(q, VTD_GCMD_QIE, false, VTD_GSTS_QIES, false,
			   "disabling queued invalidation");
}

int vtd_inval_enable(struct vtd_inval *q)
{
	uint64_t iqa;
	int ret;

	if (!q->qi) {
		q->enabled = true;
		return 0;
	}
	if (rd32(q, VTD_GSTS_REG) & VTD_GSTS_QIES) {
		ret = qi_stop(q);
		if (ret)
			return ret;
	}
	/* Stale queue errors would keep the unit from fetching. */
	wr32(q, VTD_FSTS_REG, VTD_INVAL_QUEUE_ERRS);
	wr64(q, VTD_IQT_REG, 0);
	iqa = (q->queue_pa.v & VTD_IQA_IQA) | FIELD_PREP(VTD_IQA_QS, 0);
	if (q->scalable)
		iqa |= VTD_IQA_DW;
	wr64(q, VTD_IQA_REG, iqa);
	ret = gcmd_update(q, VTD_GCMD_QIE, true, VTD_GSTS_QIES, true,
			  "enabling queued invalidation");
	if (ret)
		return ret;
	q->tail = 0;
	q->enabled = true;
	return 0;
}

int vtd_inval_disable(struct vtd_inval *q)
{
	int ret = 0;

	if (q->qi && q->enabled)
		ret = qi_stop(q);
	if (!ret) {
		q->enabled = false;
		q->tail = 0;
	}
	return ret;
}

/* ---- batch: adding, deduplication, coarsening ------------------------ */

static enum vtd_inval_class req_class(const struct vtd_inval_req *r)
{
	if (r->kind <= VTD_INVAL_K_CC_DEVICE)
		return VTD_INVAL_C_CC;
	if (r->kind <= VTD_INVAL_K_PC_PASID)
		return VTD_INVAL_C_PC;
	if (r->kind <= VTD_INVAL_K_IOTLB_PAGE)
		return VTD_INVAL_C_IOTLB;
	return VTD_INVAL_C_DEVTLB;
}

/* Requester ids a context-cache function mask (FM) leaves unchecked. */
static unsigned fm_bits(unsigned fm)
{
	return fm ? (0x7u << (3 - fm)) & 0x7 : 0;
}

static bool block_covers(const struct vtd_inval_req *a,
			 const struct vtd_inval_req *b)
{
	unsigned shift = PAGE_SHIFT + a->order;

	if (a->order < b->order)
		return false;
	/* Order 52 is the whole 64-bit space: nothing left to compare. */
	return shift >= 64 || (a->addr >> shift) == (b->addr >> shift);
}

/* Whether a invalidates everything b does. */
static bool req_covers(const struct vtd_inval_req *a,
		       const struct vtd_inval_req *b)
{
	unsigned m = fm_bits(a->fm);

	if (req_class(a) != req_class(b))
		return false;
	switch (a->kind) {
	case VTD_INVAL_K_CC_DOMAIN:
	case VTD_INVAL_K_PC_DOMAIN:
	case VTD_INVAL_K_IOTLB_DOMAIN:
		return b->kind >= a->kind && b->did == a->did;
	case VTD_INVAL_K_CC_DEVICE:
		return b->kind == a->kind && b->did == a->did &&
		       (fm_bits(b->fm) & ~m) == 0 &&
		       ((a->sid ^ b->sid) & ~m) == 0;
	case VTD_INVAL_K_PC_PASID:
		return b->kind == a->kind && b->did == a->did &&
		       b->pasid == a->pasid;
	case VTD_INVAL_K_IOTLB_PAGE:
		/* IH = 0 also drops cached non-leaf entries: stronger. */
		return b->kind == a->kind && b->did == a->did &&
		       (!a->ih || b->ih) && block_covers(a, b);
	case VTD_INVAL_K_DEVTLB:
		return b->sid == a->sid && block_covers(a, b);
	default: /* the global kinds */
		return true;
	}
}

/* Turn r into the next coarser request; false when already coarsest. */
static bool req_coarsen(struct vtd_inval_req *r)
{
	switch (r->kind) {
	case VTD_INVAL_K_CC_DEVICE:
	case VTD_INVAL_K_PC_PASID:
	case VTD_INVAL_K_IOTLB_PAGE:
		r->kind--;
		r->sid = 0;
		r->fm = 0;
		r->pasid = 0;
		r->addr = 0;
		r->order = 0;
		r->ih = false;
		return true;
	case VTD_INVAL_K_CC_DOMAIN:
	case VTD_INVAL_K_PC_DOMAIN:
	case VTD_INVAL_K_IOTLB_DOMAIN:
		r->kind--;
		r->did = 0;
		return true;
	case VTD_INVAL_K_DEVTLB:
		if (r->order == VTD_INVAL_DT_ALL_ORDER)
			return false;
		r->order = VTD_INVAL_DT_ALL_ORDER;
		r->addr = 0;
		return true;
	default:
		return false;
	}
}

/* Add r unless already covered, dropping what r covers; false if full. */
static bool batch_insert(struct vtd_inval_batch *b,
			 const struct vtd_inval_req *r)
{
	unsigned i, j;

	for (i = 0; i < b->n; i++) {
		if (req_covers(&b->req[i], r)) {
			b->q->stats.dropped++;
			return true;
		}
	}
	for (i = j = 0; i < b->n; i++) {
		if (req_covers(r, &b->req[i]))
			b->q->stats.dropped++;
		else
			b->req[j++] = b->req[i];
	}
	b->n = j;
	if (b->n == VTD_INVAL_BATCH_MAX)
		return false;
	b->req[b->n++] = *r;
	return true;
}

/*
 * Make room by coarsening every request of one kind at a time, finest
 * first, and merging what becomes redundant. False if nothing helps.
 */
static bool batch_compact(struct vtd_inval_batch *b)
{
	static const uint8_t order[] = {
		VTD_INVAL_K_IOTLB_PAGE,	  VTD_INVAL_K_DEVTLB,
		VTD_INVAL_K_CC_DEVICE,	  VTD_INVAL_K_PC_PASID,
		VTD_INVAL_K_IOTLB_DOMAIN, VTD_INVAL_K_CC_DOMAIN,
		VTD_INVAL_K_PC_DOMAIN,
	};
	struct vtd_inval_req r;
	unsigned k, i, n;

	for (k = 0; k < ARRAY_SIZE(order) && b->n == VTD_INVAL_BATCH_MAX; k++) {
		n = b->n;
		b->n = 0;
		/* Re-inserting writes only at or below the slot being read. */
		for (i = 0; i < n; i++) {
			r = b->req[i];
			if (r.kind == order[k])
				req_coarsen(&r);
			batch_insert(b, &r);
		}
	}
	return b->n < VTD_INVAL_BATCH_MAX;
}

static void batch_fail(struct vtd_inval_batch *b, int err, const char *why)
{
	if (!b->err)
		b->err = err;
	log_err("VT-d %s: invalidation request refused: %s", b->q->name, why);
}

static void batch_add(struct vtd_inval_batch *b, struct vtd_inval_req r)
{
	while (!batch_insert(b, &r)) {
		if (batch_compact(b))
			continue;
		if (!req_coarsen(&r)) {
			batch_fail(b, -HV_ENOMEM, "batch full");
			return;
		}
	}
}

void vtd_inval_begin(struct vtd_inval *q, struct vtd_inval_batch *b)
{
	b->q = q;
	b->err = 0;
	b->wbf = false;
	b->n = 0;
}

static bool did_ok(struct vtd_inval_batch *b, uint16_t did)
{
	unsigned nd = MIN(FIELD_GET(VTD_CAP_ND, b->q->cap), 6);

	if (did < (1u << (4 + 2 * nd)))
		return true;
	batch_fail(b, -HV_EINVAL, "domain id beyond CAP.ND");
	return false;
}

void vtd_inval_add_context(struct vtd_inval_batch *b, enum vtd_inval_gran g,
			   uint16_t did, uint16_t sid, uint8_t fm)
{
	struct vtd_inval_req r = {0};

	if (g < VTD_INVAL_GLOBAL || g > VTD_INVAL_DEVICE || fm > 3) {
		batch_fail(b, -HV_EINVAL, "bad context-cache granularity");
		return;
	}
	if (g == VTD_INVAL_GLOBAL) {
		r.kind = VTD_INVAL_K_CC_GLOBAL;
	} else if (did_ok(b, did)) {
		r.kind = g == VTD_INVAL_DOMAIN ? VTD_INVAL_K_CC_DOMAIN
					       : VTD_INVAL_K_CC_DEVICE;
		r.did = did;
		if (g == VTD_INVAL_DEVICE) {
			r.sid = sid;
			r.fm = fm;
		}
	} else {
		return;
	}
	batch_add(b, r);
}

void vtd_inval_add_pasid_cache(struct vtd_inval_batch *b, uint16_t did,
			       uint32_t pasid)
{
	struct vtd_inval_req r = {0};

	if (!b->q->scalable) {
		batch_fail(b, -HV_ENOTSUP, "PASID cache outside scalable mode");
		return;
	}
	if (pasid != VTD_INVAL_PASID_ALL && pasid >= VTD_PASID_MAX) {
		batch_fail(b, -HV_EINVAL, "PASID beyond 20 bits");
		return;
	}
	if (!did_ok(b, did))
		return;
	r.did = did;
	if (pasid == VTD_INVAL_PASID_ALL) {
		r.kind = VTD_INVAL_K_PC_DOMAIN;
	} else {
		r.kind = VTD_INVAL_K_PC_PASID;
		r.pasid = pasid;
	}
	batch_add(b, r);
}

void vtd_inval_add_pasid_cache_global(struct vtd_inval_batch *b)
{
	struct vtd_inval_req r = {.kind = VTD_INVAL_K_PC_GLOBAL};

	if (!b->q->scalable) {
		batch_fail(b, -HV_ENOTSUP, "PASID cache outside scalable mode");
		return;
	}
	batch_add(b, r);
}

void vtd_inval_add_iotlb_global(struct vtd_inval_batch *b)
{
	struct vtd_inval_req r = {.kind = VTD_INVAL_K_IOTLB_GLOBAL};

	batch_add(b, r);
}

void vtd_inval_add_iotlb_domain(struct vtd_inval_batch *b, uint16_t did)
{
	struct vtd_inval_req r = {.kind = VTD_INVAL_K_IOTLB_DOMAIN, .did = did};

	if (did_ok(b, did))
		batch_add(b, r);
}

unsigned vtd_inval_cover(uint64_t pfn, uint64_t npages, unsigned max_order,
			 struct vtd_inval_block *out, unsigned max)
{
	unsigned n = 0, order;

	while (npages) {
		if (n == max)
			return max + 1;
		order = pfn ? (unsigned)__builtin_ctzll(pfn) : 63;
		order = MIN(order, max_order);
		order = MIN(order, 63u - (unsigned)__builtin_clzll(npages));
		out[n].pfn = pfn;
		out[n].order = order;
		n++;
		pfn += 1ull << order;
		npages -= 1ull << order;
	}
	return n;
}

/* First and last page of [iova, iova + size); false if it wraps. */
static bool range_pages(struct vtd_inval_batch *b, iova_t iova, uint64_t size,
			uint64_t *first, uint64_t *last)
{
	if (iova.v + (size - 1) < iova.v) {
		batch_fail(b, -HV_EINVAL, "range wraps around");
		return false;
	}
	*first = iova.v >> PAGE_SHIFT;
	*last = (iova.v + (size - 1)) >> PAGE_SHIFT;
	return true;
}

void vtd_inval_add_iotlb_range(struct vtd_inval_batch *b, uint16_t did,
			       iova_t iova, uint64_t size, bool leaf_only)
{
	struct vtd_inval_block blk[VTD_INVAL_BATCH_MAX];
	struct vtd_inval *q = b->q;
	struct vtd_inval_req r = {.kind = VTD_INVAL_K_IOTLB_PAGE, .did = did};
	uint64_t first, last;
	unsigned n, i, max;

	if (!size || !did_ok(b, did) ||
	    !range_pages(b, iova, size, &first, &last))
		return;
	max = MIN(q->psi_max_desc, (unsigned)ARRAY_SIZE(blk));
	n = max + 1;
	if ((q->cap & VTD_CAP_PSI) && last - first < q->psi_max_pages)
		n = vtd_inval_cover(first, last - first + 1,
				    FIELD_GET(VTD_CAP_MAMV, q->cap), blk, max);
	if (n > max) {
		q->stats.psi_fallback++;
		vtd_inval_add_iotlb_domain(b, did);
		return;
	}
	r.ih = leaf_only;
	for (i = 0; i < n; i++) {
		r.addr = blk[i].pfn << PAGE_SHIFT;
		r.order = blk[i].order;
		batch_add(b, r);
	}
}

void vtd_inval_add_devtlb(struct vtd_inval_batch *b, uint16_t sid,
			  uint16_t pfsid, unsigned qdep, iova_t iova,
			  uint64_t size)
{
	struct vtd_inval_req r = {.kind = VTD_INVAL_K_DEVTLB, .sid = sid};
	uint64_t first, last;

	if (!b->q->qi || !(b->q->ecap & VTD_ECAP_DT)) {
		batch_fail(b, -HV_ENOTSUP, "no device-TLB support (ECAP.DT)");
		return;
	}
	if (qdep > 31) {
		batch_fail(b, -HV_EINVAL, "ATS queue depth beyond 5 bits");
		return;
	}
	if (!size || !range_pages(b, iova, size, &first, &last))
		return;
	/* ATS invalidates one aligned power-of-two block: the smallest. */
	r.order = first == last ? 0 : 64 - __builtin_clzll(first ^ last);
	r.addr = (first & ~((1ull << r.order) - 1)) << PAGE_SHIFT;
	r.qdep = qdep;
	if (b->q->ecap & VTD_INVAL_ECAP_DIT)
		r.pfsid = pfsid;
	batch_add(b, r);
}

void vtd_inval_add_wbf(struct vtd_inval_batch *b)
{
	b->wbf = true;
}

/* ---- encoding -------------------------------------------------------- */

static uint64_t req_gran(const struct vtd_inval_req *r)
{
	switch (r->kind) {
	case VTD_INVAL_K_CC_GLOBAL:
	case VTD_INVAL_K_IOTLB_GLOBAL:
		return VTD_IOTLB_GLOBAL;
	case VTD_INVAL_K_CC_DOMAIN:
	case VTD_INVAL_K_IOTLB_DOMAIN:
		return VTD_IOTLB_DOMAIN;
	case VTD_INVAL_K_CC_DEVICE:
	case VTD_INVAL_K_IOTLB_PAGE:
		return VTD_IOTLB_PAGE;
	case VTD_INVAL_K_PC_GLOBAL:
		return VTD_INVAL_PC_GLOBAL;
	case VTD_INVAL_K_PC_PASID:
		return VTD_INVAL_PC_PASID;
	default:
		return VTD_INVAL_PC_DOMAIN;
	}
}

static uint64_t iotlb_drain(const struct vtd_inval *q, uint64_t dr, uint64_t dw)
{
	return (q->cap & VTD_CAP_DRD ? dr : 0) |
	       (q->cap & VTD_CAP_DWD ? dw : 0);
}

static void encode_devtlb(const struct vtd_inval_req *r, uint64_t qw[2])
{
	qw[0] = FIELD_PREP(VTD_INV_TYPE_LO, VTD_INV_DEVTLB) |
		FIELD_PREP(VTD_INVAL_DT_PFSID_LO, r->pfsid & 0xf) |
		FIELD_PREP(VTD_INVAL_DT_MIP, r->qdep) |
		FIELD_PREP(VTD_INVAL_DT_SID, r->sid) |
		FIELD_PREP(VTD_INVAL_DT_PFSID_HI, r->pfsid >> 4);
	qw[1] = r->addr;
	/* S = 1: the trailing ones above bit 12 give the size (ATS 2.3). */
	if (r->order)
		qw[1] |= (((1ull << (r->order - 1)) - 1) << PAGE_SHIFT) |
			 VTD_INV_DEVTLB_S;
}

/* The 128 meaningful bits of r's descriptor (the rest is zero). */
static void req_encode(const struct vtd_inval *q, const struct vtd_inval_req *r,
		       uint64_t qw[2])
{
	uint64_t g = FIELD_PREP(VTD_INV_G, req_gran(r));

	qw[1] = 0;
	switch (req_class(r)) {
	case VTD_INVAL_C_CC:
		qw[0] = FIELD_PREP(VTD_INV_TYPE_LO, VTD_INV_CC) | g |
			FIELD_PREP(VTD_INV_CC_DID, r->did) |
			FIELD_PREP(VTD_INV_CC_SID, r->sid) |
			FIELD_PREP(VTD_INV_CC_FM, r->fm);
		break;
	case VTD_INVAL_C_PC:
		qw[0] = FIELD_PREP(VTD_INV_TYPE_LO, VTD_INV_PC) | g |
			FIELD_PREP(VTD_INV_PC_DID, r->did) |
			FIELD_PREP(VTD_INV_PC_PASID, r->pasid);
		break;
	case VTD_INVAL_C_IOTLB:
		qw[0] = FIELD_PREP(VTD_INV_TYPE_LO, VTD_INV_IOTLB) | g |
			FIELD_PREP(VTD_INV_IOTLB_DID, r->did) |
			iotlb_drain(q, VTD_INV_IOTLB_DR, VTD_INV_IOTLB_DW);
		if (r->kind == VTD_INVAL_K_IOTLB_PAGE)
			qw[1] = r->addr |
				FIELD_PREP(VTD_INV_IOTLB_AM, r->order) |
				(r->ih ? VTD_INV_IOTLB_IH : 0);
		break;
	default:
		encode_devtlb(r, qw);
		break;
	}
}

const char *vtd_inval_type_name(unsigned type)
{
	static const char *const names[] = {
		"?",   "context-cache", "IOTLB",       "device-TLB",
		"IEC", "wait",		"PASID-IOTLB", "PASID-cache",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

static const char *iqei_name(unsigned iqei)
{
	static const char *const names[] = {
		"no details",
		"invalid tail pointer",
		"descriptor fetch error",
		"invalid descriptor type",
		"reserved field set",
		"invalid descriptor width",
	};

	return iqei < ARRAY_SIZE(names) ? names[iqei] : "other";
}

/* ---- queued invalidation --------------------------------------------- */

static uint64_t *qi_slot(const struct vtd_inval *q, unsigned idx)
{
	return q->queue + (size_t)idx * (q->desc_size / 8);
}

static void qi_write(struct vtd_inval *q, unsigned idx, const uint64_t qw[2])
{
	uint64_t *d = qi_slot(q, idx);

	d[0] = qw[0];
	d[1] = qw[1];
	if (q->desc_size == 32) {
		d[2] = 0;
		d[3] = 0;
	}
	/* Conservative: the unit may not snoop its queue when ECAP.C is 0. */
	if (!(q->ecap & VTD_ECAP_C) && q->mem.flush)
		q->mem.flush(q->mem.ctx, d, q->desc_size);
}

static void qi_put(struct vtd_inval *q, const uint64_t qw[2])
{
	qi_write(q, q->tail, qw);
	q->stats.desc[qw[0] & 7]++;
	q->tail = (q->tail + 1) % q->entries;
}

/*
 * Status write only: QEMU 7.2 asserts when SW and IF are both set, and
 * rejects a wait with neither.
 */
static void qi_wait_desc(const struct vtd_inval *q, uint32_t data,
			 unsigned word, uint64_t qw[2])
{
	qw[0] = FIELD_PREP(VTD_INV_TYPE_LO, VTD_INV_WAIT) | VTD_INV_WAIT_SW |
		FIELD_PREP(VTD_INV_WAIT_SDATA, data);
	qw[1] = (q->status_pa.v + word * 4) & VTD_INV_WAIT_SADDR;
}

static void qi_kick(struct vtd_inval *q)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr64(q, VTD_IQT_REG, (uint64_t)q->tail * q->desc_size);
}

static unsigned qi_head(const struct vtd_inval *q)
{
	return qi_index(q, rd64(q, VTD_IQH_REG));
}

/* One log line: cause, fault status, error record, head descriptor. */
static void qi_report(struct vtd_inval *q, const char *cause)
{
	uint32_t fsts = rd32(q, VTD_FSTS_REG);
	uint64_t iqh = rd64(q, VTD_IQH_REG), iqt = rd64(q, VTD_IQT_REG);
	uint64_t rec = rd64(q, VTD_IQERCD_REG);
	unsigned head = qi_index(q, iqh);
	const uint64_t *d = qi_slot(q, head);
	unsigned iqei = FIELD_GET(VTD_IQERCD_IQEI, rec);
	bool pending = head != q->tail;

	log_err("VT-d %s: %s: FSTS 0x%x IQERCD 0x%llx (IQEI %u: %s) IQH 0x%llx IQT 0x%llx, descriptor at IQH: %s 0x%016llx 0x%016llx",
		q->name, cause, fsts, (unsigned long long)rec, iqei,
		iqei_name(iqei), (unsigned long long)iqh,
		(unsigned long long)iqt,
		pending ? vtd_inval_type_name(d[0] & 0xf) : "none",
		pending ? (unsigned long long)d[0] : 0ull,
		pending ? (unsigned long long)d[1] : 0ull);
}

/*
 * After an error: wait until the status word holds seq or the unit has
 * fetched everything (ITE aborts pending waits, spec 6.5.2.10).
 */
static bool qi_poll_done(struct vtd_inval *q, uint32_t seq)
{
	struct vtd_inval_poll p;

	poll_start(q, &p);
	for (;;) {
		if (q->status[VTD_INVAL_ST_DONE] == seq)
			return true;
		if (qi_head(q) == q->tail)
			return true;
		if (rd32(q, VTD_FSTS_REG) & VTD_INVAL_QUEUE_ERRS)
			return false;
		if (poll_expired(q, &p))
			return false;
	}
}

/*
 * IQE: the unit stopped at the bad descriptor (IQH). Replace it with a
 * harmless wait (the batch's own wait if that was the bad one) so the
 * rest of the queue can run once IQE is cleared (spec 6.5.2.10).
 */
static void qi_replace_bad(struct vtd_inval *q, unsigned start,
			   unsigned wait_idx, uint32_t seq)
{
	unsigned head = qi_head(q), mask = q->entries - 1;
	uint64_t qw[2];

	if (((head - start) & mask) >= ((q->tail - start) & mask))
		return;
	if (head == wait_idx)
		qi_wait_desc(q, seq, VTD_INVAL_ST_DONE, qw);
	else
		qi_wait_desc(q, 0, VTD_INVAL_ST_SCRATCH, qw);
	qi_write(q, head, qw);
}

/* Report an error of FSTS, clear it and let the queue finish. */
static int qi_error(struct vtd_inval *q, uint32_t fsts, unsigned start,
		    unsigned wait_idx, uint32_t seq)
{
	uint64_t rec = rd64(q, VTD_IQERCD_REG);
	char cause[80];
	int ret = -HV_EIO;

	q->stats.errors++;
	if (fsts & VTD_FSTS_IQE) {
		snprintf(cause, sizeof(cause), "invalid descriptor (IQE)");
	} else if (fsts & VTD_FSTS_ITE) {
		snprintf(
			cause, sizeof(cause),
			"device-TLB invalidation time-out (ITE) for source id 0x%04x",
			(unsigned)FIELD_GET(VTD_IQERCD_ITESID, rec));
		ret = -HV_ETIMEDOUT;
	} else {
		snprintf(
			cause, sizeof(cause),
			"invalidation completion error (ICE) from source id 0x%04x",
			(unsigned)FIELD_GET(VTD_IQERCD_ICESID, rec));
	}
	qi_report(q, cause);
	if (fsts & VTD_FSTS_IQE)
		qi_replace_bad(q, start, wait_idx, seq);
	wr32(q, VTD_FSTS_REG, fsts & VTD_INVAL_QUEUE_ERRS);
	/* QEMU fetches again only on an IQT write; hardware ignores it. */
	qi_kick(q);
	if (!qi_poll_done(q, seq)) {
		q->stats.timeouts++;
		qi_report(q, "invalidation queue did not recover");
	}
	return ret;
}

static int qi_wait_seq(struct vtd_inval *q, unsigned start, unsigned wait_idx,
		       uint32_t seq)
{
	struct vtd_inval_poll p;
	uint32_t fsts;
	char cause[64];

	poll_start(q, &p);
	for (;;) {
		if (q->status[VTD_INVAL_ST_DONE] == seq)
			break;
		fsts = rd32(q, VTD_FSTS_REG);
		if (fsts & VTD_INVAL_QUEUE_ERRS)
			return qi_error(q, fsts, start, wait_idx, seq);
		if (poll_expired(q, &p)) {
			q->stats.timeouts++;
			snprintf(cause, sizeof(cause),
				 "invalidation wait timed out after %llu us",
				 (unsigned long long)q->timeout_us);
			qi_report(q, cause);
			return -HV_ETIMEDOUT;
		}
	}
	/* ICE does not stop the queue: look once more after completion. */
	fsts = rd32(q, VTD_FSTS_REG);
	if (fsts & VTD_INVAL_QUEUE_ERRS)
		return qi_error(q, fsts, start, wait_idx, seq);
	return 0;
}

/* Free slots, waiting (bounded) for the unit to consume older ones. */
static int qi_room(struct vtd_inval *q, unsigned need)
{
	struct vtd_inval_poll p;
	unsigned head;

	poll_start(q, &p);
	for (;;) {
		head = qi_head(q);
		if (((head - q->tail - 1) & (q->entries - 1)) >= need)
			return 0;
		if (poll_expired(q, &p))
			break;
	}
	q->stats.timeouts++;
	qi_report(q, "invalidation queue full");
	return -HV_ETIMEDOUT;
}

/* Write n requests and one wait, advance IQT once, wait for the status. */
static int qi_submit(struct vtd_inval *q, const struct vtd_inval_req *req,
		     const uint8_t *idx, unsigned n)
{
	unsigned start, wait_idx, i;
	uint64_t qw[2];
	int ret;

	ret = qi_room(q, n + 1);
	if (ret)
		return ret;
	start = q->tail;
	for (i = 0; i < n; i++) {
		req_encode(q, &req[idx[i]], qw);
		qi_put(q, qw);
	}
	if (++q->seq == 0)
		q->seq = 1;
	wait_idx = q->tail;
	qi_wait_desc(q, q->seq, VTD_INVAL_ST_DONE, qw);
	qi_put(q, qw);
	q->stats.waits++;
	q->stats.submissions++;
	qi_kick(q);
	return qi_wait_seq(q, start, wait_idx, q->seq);
}

static int qi_commit(struct vtd_inval *q, const struct vtd_inval_batch *b,
		     const uint8_t *idx)
{
	unsigned per = MIN(MAX(q->max_per_submit, 1u), q->entries - 2);
	unsigned done, chunk;
	int ret, first = 0;

	/* Each chunk gets its own wait, so a batch may exceed the queue. */
	for (done = 0; done < b->n; done += chunk) {
		chunk = MIN(b->n - done, per);
		ret = qi_submit(q, b->req, idx + done, chunk);
		if (ret && !first)
			first = ret;
		if (ret == -HV_ETIMEDOUT)
			break;
	}
	return first;
}

/* ---- register-based invalidation ------------------------------------- */

static int reg_context(struct vtd_inval *q, const struct vtd_inval_req *r)
{
	uint64_t v = VTD_CCMD_ICC | FIELD_PREP(VTD_CCMD_CIRG, req_gran(r)) |
		     FIELD_PREP(VTD_CCMD_DID, r->did) |
		     FIELD_PREP(VTD_CCMD_SID, r->sid) |
		     FIELD_PREP(VTD_CCMD_FM, r->fm);
	int ret;

	wr64(q, VTD_CCMD_REG, v);
	ret = reg_wait(q, VTD_CCMD_REG, true, VTD_CCMD_ICC, 0,
		       "context-cache invalidation");
	if (ret)
		return ret;
	q->stats.reg_context++;
	v = rd64(q, VTD_CCMD_REG);
	if (FIELD_GET(VTD_CCMD_CAIG, v))
		return 0;
	q->stats.errors++;
	log_err("VT-d %s: context-cache invalidation not performed (CCMD 0x%llx)",
		q->name, (unsigned long long)v);
	return -HV_EIO;
}

static int reg_iotlb(struct vtd_inval *q, const struct vtd_inval_req *r)
{
	unsigned base = FIELD_GET(VTD_ECAP_IRO, q->ecap) * 16;
	uint64_t v = VTD_IOTLB_IVT | FIELD_PREP(VTD_IOTLB_IIRG, req_gran(r)) |
		     FIELD_PREP(VTD_IOTLB_DID, r->did) |
		     iotlb_drain(q, VTD_IOTLB_DR, VTD_IOTLB_DW);
	int ret;

	if (r->kind == VTD_INVAL_K_IOTLB_PAGE)
		wr64(q, base + VTD_IVA_OFF,
		     r->addr | FIELD_PREP(VTD_IVA_AM, r->order) |
			     (r->ih ? VTD_IVA_IH : 0));
	wr64(q, base + VTD_IOTLB_OFF, v);
	ret = reg_wait(q, base + VTD_IOTLB_OFF, true, VTD_IOTLB_IVT, 0,
		       "IOTLB invalidation");
	if (ret)
		return ret;
	q->stats.reg_iotlb++;
	v = rd64(q, base + VTD_IOTLB_OFF);
	if (FIELD_GET(VTD_IOTLB_IAIG, v))
		return 0;
	q->stats.errors++;
	log_err("VT-d %s: IOTLB invalidation not performed (IOTLB 0x%llx)",
		q->name, (unsigned long long)v);
	return -HV_EIO;
}

/* One command at a time, each polled to completion (spec 6.5.1). */
static int reg_commit(struct vtd_inval *q, const struct vtd_inval_batch *b,
		      const uint8_t *idx)
{
	const struct vtd_inval_req *r;
	unsigned i;
	int ret = 0;

	for (i = 0; i < b->n && !ret; i++) {
		r = &b->req[idx[i]];
		if (req_class(r) == VTD_INVAL_C_CC)
			ret = reg_context(q, r);
		else if (req_class(r) == VTD_INVAL_C_IOTLB)
			ret = reg_iotlb(q, r);
		else
			ret = -HV_ENOTSUP; /* refused when added */
	}
	return ret;
}

/* ---- commit ---------------------------------------------------------- */

static int do_wbf(struct vtd_inval *q)
{
	int ret;

	ret = gcmd_update(q, VTD_GCMD_WBF, true, VTD_GSTS_WBFS, false,
			  "write-buffer flush");
	if (!ret)
		q->stats.wbf++;
	return ret;
}

int vtd_inval_commit(struct vtd_inval_batch *b)
{
	struct vtd_inval *q = b->q;
	uint8_t idx[VTD_INVAL_BATCH_MAX];
	unsigned c, i, n = 0;
	int ret = 0, err = b->err;

	if ((b->n || b->wbf) && !q->enabled) {
		log_err("VT-d %s: invalidation before the unit was enabled",
			q->name);
		ret = -HV_EINVAL;
	} else {
		for (c = 0; c < VTD_INVAL_C_COUNT; c++)
			for (i = 0; i < b->n; i++)
				if (req_class(&b->req[i]) == c)
					idx[n++] = (uint8_t)i;
		/* Entries must be in memory before any cache is dropped. */
		if (b->wbf && (q->cap & VTD_CAP_RWBF))
			ret = do_wbf(q);
		if (b->n) {
			int r = q->qi ? qi_commit(q, b, idx)
				      : reg_commit(q, b, idx);
			ret = ret ? ret : r;
		}
	}
	vtd_inval_begin(q, b);
	return ret ? ret : err;
}
