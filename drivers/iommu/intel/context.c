// SPDX-License-Identifier: MIT
/*
 * Root, context and (scalable mode) PASID entries: the only places where a
 * device is pointed at a domain. Legacy mode (spec 9.1, 9.3): the context
 * entry holds the domain id and the second-level table. Scalable mode
 * (9.2, 9.4-9.6): the context entry points to the device's PASID
 * directory; requests without PASID use the RID_PASID (0) entry.
 */
#include "arch/x86/cpu.h"
#include "drivers/iommu/intel/vtd.h"
#include "drivers/iommu/iommu_drv.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define VTD_RID_PASID 0u

static uint64_t *vtd_table(hpa_t pa)
{
	return hpa_to_ptr(pa);
}

/* A zeroed, flushed table page. */
static int vtd_new_table(struct vtd_unit *hw, hpa_t *pa)
{
	int rc = page_alloc(pa);

	if (rc == 0)
		vtd_flush(hw, vtd_table(*pa), PAGE_SIZE);
	return rc;
}

volatile uint64_t *vtd_ctx_entry(struct vtd_unit *hw, uint16_t rid, bool alloc)
{
	unsigned bus = rid >> 8, devfn = rid & 0xff;
	unsigned half = hw->scalable ? devfn >> 7 : 0;
	uint64_t *root = vtd_table(hw->root);
	hpa_t *ctx = &hw->ctx[bus][half];

	if (!ctx->v) {
		if (!alloc || vtd_new_table(hw, ctx))
			return NULL;
		/* Legacy: lo = table | P. Scalable: lo/hi = lower/upper. */
		root[bus * 2 + half] = ctx->v | VTD_RE_P;
		vtd_flush(hw, &root[bus * 2], 16);
	}
	if (hw->scalable)
		return &vtd_table(*ctx)[(devfn & 0x7f) * 4];
	return &vtd_table(*ctx)[devfn * 2];
}

uint16_t vtd_domain_did(struct vtd_unit *hw, struct vtd_domain *vd)
{
	unsigned u = (unsigned)hw->iu->index;

	if (vd->did[u])
		return vd->did[u];
	for (unsigned i = 1; i < hw->ndids; i++) {
		if (hw->did_map[i / 64] & BIT(i % 64))
			continue;
		hw->did_map[i / 64] |= BIT(i % 64);
		vd->did[u] = (uint16_t)i;
		return (uint16_t)i;
	}
	return 0;
}

void iommu_drv_unit_release(struct iommu_unit *u, struct iommu_domain *d)
{
	struct vtd_domain *vd = d->hw;
	struct vtd_unit *hw = u->hw;
	uint16_t did = vd ? vd->did[u->index] : 0;

	if (!did || !hw)
		return;
	hw->did_map[did / 64] &= ~BIT(did % 64);
	vd->did[u->index] = 0;
}

/* Whether dom's tables can be walked by this unit. */
static int vtd_domain_fits(const struct vtd_unit *hw,
			   const struct vtd_domain *vd)
{
	uint64_t sagaw = FIELD_GET(VTD_CAP_SAGAW, hw->cap);

	return (sagaw & BIT(vd->pt.levels - 2)) ? 0 : -HV_ENOTSUP;
}

/* Store two qwords as one atomic change when the old entry was present. */
static void vtd_store_pair(volatile uint64_t *e, const uint64_t nw[2])
{
	uint64_t old[2] = {e[0], e[1]};

	if (old[0] & 1) {
		/* Present before: one 16-byte store, never half old half new. */
		while (!cpu_cmpxchg16b(e, old, nw)) {
			old[0] = e[0];
			old[1] = e[1];
		}
	} else {
		/* Not present: fill the upper half, then publish with P. */
		e[1] = nw[1];
		__asm__ volatile("" ::: "memory");
		e[0] = nw[0];
	}
}

/* Legacy context entry for rid: dom's tables and id, or blocked. */
static int vtd_set_legacy(struct vtd_unit *hw, uint16_t rid,
			  struct vtd_domain *vd, uint16_t *old_did)
{
	volatile uint64_t *e = vtd_ctx_entry(hw, rid, vd != NULL);
	uint64_t nw[2] = {0, 0};

	*old_did = 0;
	if (!e)
		return vd ? -HV_ENOMEM : 0;
	if (e[0] & VTD_CE_P)
		*old_did = (uint16_t)FIELD_GET(VTD_CE_DID, e[1]);
	if (vd) {
		nw[0] = vd->pt.root.v | VTD_CE_P |
			FIELD_PREP(VTD_CE_TT, VTD_CE_TT_SL);
		nw[1] = FIELD_PREP(VTD_CE_AW, vd->pt.levels - 2) |
			FIELD_PREP(VTD_CE_DID, vd->did[hw->iu->index]);
		vtd_store_pair(e, nw);
	} else {
		e[0] = 0; /* P off first: the entry is dead from here */
		__asm__ volatile("" ::: "memory");
		e[1] = 0;
	}
	vtd_flush(hw, (const void *)e, 16);
	hw->sets++;
	return 0;
}

/*
 * Scalable mode: the PASID table entry of (rid, pasid), allocating the
 * context entry, directory and table on the way when alloc.
 */
static volatile uint64_t *vtd_pasid_entry(struct vtd_unit *hw, uint16_t rid,
					  uint32_t pasid, bool alloc,
					  bool *ctx_new)
{
	volatile uint64_t *ce = vtd_ctx_entry(hw, rid, alloc);
	unsigned di = pasid >> VTD_PASID_DIR_SHIFT;
	uint64_t *dir;
	hpa_t pa;

	*ctx_new = false;
	if (!ce || di >= (1u << (VTD_PASID_DIR_PDTS + 7)))
		return NULL;
	if (!(ce[0] & VTD_SCE_P)) {
		if (!alloc || vtd_new_table(hw, &pa))
			return NULL;
		ce[1] = FIELD_PREP(VTD_SCE_RID_PASID, VTD_RID_PASID);
		__asm__ volatile("" ::: "memory");
		ce[0] = pa.v | VTD_SCE_P | VTD_SCE_PASIDE |
			FIELD_PREP(VTD_SCE_PDTS, VTD_PASID_DIR_PDTS);
		vtd_flush(hw, (const void *)ce, 32);
		*ctx_new = true;
	}
	dir = vtd_table(hpa(ce[0] & VTD_SCE_PASIDDIRPTR));
	if (!(dir[di] & VTD_PDE_P)) {
		if (!alloc || vtd_new_table(hw, &pa))
			return NULL;
		dir[di] = pa.v | VTD_PDE_P;
		vtd_flush(hw, &dir[di], 8);
	}
	return &vtd_table(
		hpa(dir[di] &
		    VTD_PDE_SMPTBLPTR))[(pasid % VTD_PASID_TABLE_ENTRIES) * 8];
}

/* Scalable-mode PASID entry: second-level translation through dom, or off. */
static int vtd_set_pasid_entry(struct vtd_unit *hw, uint16_t rid,
			       uint32_t pasid, struct vtd_domain *vd,
			       uint16_t *old_did, bool *ctx_new)
{
	volatile uint64_t *pe =
		vtd_pasid_entry(hw, rid, pasid, vd != NULL, ctx_new);
	uint64_t nw[2];

	*old_did = 0;
	if (!pe)
		return vd ? -HV_ENOMEM : 0;
	if (pe[0] & VTD_PTE0_P)
		*old_did = (uint16_t)FIELD_GET(VTD_PTE1_DID, pe[1]);
	if (vd) {
		nw[0] = vd->pt.root.v | VTD_PTE0_P |
			FIELD_PREP(VTD_PTE0_AW, vd->pt.levels - 2) |
			FIELD_PREP(VTD_PTE0_PGTT, VTD_PGTT_SL);
		nw[1] = FIELD_PREP(VTD_PTE1_DID, vd->did[hw->iu->index]);
		vtd_store_pair(pe, nw);
	} else {
		pe[0] = 0;
		__asm__ volatile("" ::: "memory");
		pe[1] = 0;
	}
	vtd_flush(hw, (const void *)pe, 64);
	hw->sets++;
	return 0;
}

/*
 * The invalidations one entry change needs (spec 6.5.3.3, 6.5.3.4): a
 * present entry that changed or went away leaves the context/PASID cache
 * and the IOTLB holding the old domain id; in caching mode a new entry
 * needs the same, with domain id 0 standing for "was not present".
 */
static void vtd_queue_entry_inval(struct vtd_unit *hw,
				  struct vtd_inval_batch *b, uint16_t rid,
				  uint32_t pasid, uint16_t old_did,
				  uint16_t new_did, bool ctx_new)
{
	if (!old_did && !hw->cm) {
		vtd_inval_add_wbf(b);
		return;
	}
	if (!hw->scalable || ctx_new)
		vtd_inval_add_context(b, VTD_INVAL_DEVICE, old_did, rid, 0);
	if (hw->scalable)
		vtd_inval_add_pasid_cache(b, old_did ? old_did : new_did,
					  pasid);
	vtd_inval_add_iotlb_domain(b, old_did ? old_did : new_did);
}

/*
 * Allocate everything the change needs before any entry changes, so a
 * failure changes nothing. ctx_new[i]: rids[i]'s scalable-mode context
 * entry was made present here (it then needs a context-cache
 * invalidation along with its PASID entry).
 */
static int vtd_prepare_rids(struct vtd_unit *hw, const uint16_t *rids,
			    unsigned n, uint32_t pasid, struct vtd_domain *vd,
			    bool *ctx_new)
{
	for (unsigned i = 0; i < n; i++)
		ctx_new[i] = false;
	if (!vd)
		return 0;
	if (vtd_domain_fits(hw, vd))
		return -HV_ENOTSUP;
	if (!vtd_domain_did(hw, vd))
		return -HV_ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		if (!vtd_ctx_entry(hw, rids[i], true))
			return -HV_ENOMEM;
		if (hw->scalable &&
		    !vtd_pasid_entry(hw, rids[i], pasid, true, &ctx_new[i]))
			return -HV_ENOMEM;
	}
	return 0;
}

int iommu_drv_set_rids(struct iommu_unit *u, const uint16_t *rids, unsigned n,
		       struct iommu_domain *dom, struct iommu_domain *old)
{
	struct vtd_unit *hw = u->hw;
	struct vtd_domain *vd = dom ? dom->hw : NULL;
	struct vtd_inval_batch b;
	bool ctx_new[IOMMU_MAX_RIDS];
	uint16_t new_did;
	int rc;

	(void)old;
	if (n > IOMMU_MAX_RIDS)
		return -HV_ERANGE;
	rc = vtd_prepare_rids(hw, rids, n, VTD_RID_PASID, vd, ctx_new);
	if (rc)
		return rc;
	new_did = vd ? vd->did[u->index] : 0;
	vtd_inval_begin(&hw->inv, &b);
	for (unsigned i = 0; i < n; i++) {
		uint16_t old_did = 0;
		bool unused;

		/* Cannot fail: every table was allocated above. */
		if (hw->scalable)
			vtd_set_pasid_entry(hw, rids[i], VTD_RID_PASID, vd,
					    &old_did, &unused);
		else
			vtd_set_legacy(hw, rids[i], vd, &old_did);
		if (old_did || vd)
			vtd_queue_entry_inval(hw, &b, rids[i], VTD_RID_PASID,
					      old_did, new_did, ctx_new[i]);
	}
	return vtd_inval_commit(&b);
}

bool iommu_drv_pasid_capable(const struct iommu_unit *u)
{
	const struct vtd_unit *hw = u->hw;

	return hw && hw->scalable && (hw->ecap & VTD_ECAP_PASID);
}

int iommu_drv_set_pasid(struct iommu_unit *u, uint16_t rid, uint32_t pasid,
			struct iommu_domain *dom, struct iommu_domain *old)
{
	struct vtd_unit *hw = u->hw;
	struct vtd_domain *vd = dom ? dom->hw : NULL;
	struct vtd_inval_batch b;
	uint16_t old_did = 0;
	bool ctx_new = false;
	int rc;

	(void)old;
	if (!iommu_drv_pasid_capable(u) ||
	    pasid >> (FIELD_GET(VTD_ECAP_PSS, hw->ecap) + 1))
		return -HV_ENOTSUP;
	/* Our PASID directories are one page: 2^(PDTS + 7) x 64 PASIDs. */
	if (pasid >= (1u << (VTD_PASID_DIR_PDTS + 7 + VTD_PASID_DIR_SHIFT)))
		return -HV_ERANGE;
	rc = vtd_prepare_rids(hw, &rid, 1, pasid, vd, &ctx_new);
	if (rc)
		return rc;
	vtd_inval_begin(&hw->inv, &b);
	{
		bool unused;

		vtd_set_pasid_entry(hw, rid, pasid, vd, &old_did, &unused);
	}
	if (old_did || vd)
		vtd_queue_entry_inval(hw, &b, rid, pasid, old_did,
				      vd ? vd->did[u->index] : 0, ctx_new);
	return vtd_inval_commit(&b);
}
