// SPDX-License-Identifier: MIT
/*
 * Domains on VT-d: second-level tables shared by every unit the domain is
 * attached to, and the invalidations map and unmap need on each of them.
 */
#include "drivers/iommu/intel/vtd.h"
#include "drivers/iommu/iommu_drv.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

#define VTD_GATHER_SLOTS 1024
#define VTD_CHUNK	 (1ull << 30) /* unmap detaches <= 513 tables per GiB */

static struct vtd_domain vtd_domains[IOMMU_MAX_DOMAINS];
static hpa_t vtd_gather_slots[VTD_GATHER_SLOTS];

/* Tables every working unit can walk: the fewest levels, common features. */
int iommu_drv_domain_init(struct iommu_domain *d)
{
	struct vtd_domain *vd = &vtd_domains[d->id];
	unsigned levels = 0, pa_bits = 52;
	bool sp_2m = true, sp_1g = true, snoop = true;
	int rc;

	for (unsigned i = 0; i < iommu_nunits; i++) {
		const struct vtd_unit *hw = &vtd_units[i];

		if (!iommu_units[i].up)
			continue;
		if (!levels || hw->levels < levels)
			levels = hw->levels;
		pa_bits = MIN(pa_bits,
			      (unsigned)FIELD_GET(VTD_CAP_MGAW, hw->cap) + 1);
		sp_2m &= hw->sp_2m;
		sp_1g &= hw->sp_1g;
		snoop &= hw->snoop;
	}
	if (!levels)
		return -HV_ENODEV;
	/* Output addresses are bounded by the platform's host address width. */
	if (acpi && acpi->dmar.present && acpi->dmar.host_addr_width)
		pa_bits = MIN(pa_bits, acpi->dmar.host_addr_width);
	memset(vd, 0, sizeof(*vd));
	rc = vtd_pt_init(&vd->pt, levels, sp_2m, sp_1g, snoop,
			 &vtd_pt_mem_core);
	if (!rc)
		rc = vtd_pt_set_pa_bits(&vd->pt, MAX(pa_bits, 32u));
	if (rc)
		return rc;
	d->hw = vd;
	d->table_pages = vd->pt.table_pages;
	return 0;
}

void iommu_drv_domain_destroy(struct iommu_domain *d)
{
	struct vtd_domain *vd = d->hw;

	vtd_pt_destroy(&vd->pt);
	d->hw = NULL;
}

/*
 * Invalidate what g says changed, on every unit that knows the domain.
 * Caching-mode units also need it for entries that became present.
 */
static int vtd_domain_inval(struct vtd_domain *vd, struct vtd_pt_gather *g)
{
	uint64_t size = g->end.v - g->start.v;
	int rc = 0;

	for (unsigned i = 0; i < iommu_nunits; i++) {
		struct vtd_unit *hw = &vtd_units[i];
		struct vtd_inval_batch b;
		bool need = g->present_changed || (hw->cm && g->became_present);

		if (!vd->did[i] || !iommu_units[i].up || size == 0)
			continue;
		vtd_inval_begin(&hw->inv, &b);
		if (need)
			vtd_inval_add_iotlb_range(&b, vd->did[i], g->start,
						  size, !g->nonleaf_changed);
		else
			vtd_inval_add_wbf(&b);
		if (vtd_inval_commit(&b))
			rc = -HV_EIO;
	}
	return rc;
}

static void vtd_domain_account(struct iommu_domain *d)
{
	struct vtd_domain *vd = d->hw;

	d->mapped_bytes = vd->pt.mapped_bytes;
	d->table_pages = vd->pt.table_pages;
}

int iommu_drv_map(struct iommu_domain *d, iova_t iova, hpa_t pa, uint64_t size,
		  unsigned prot)
{
	struct vtd_domain *vd = d->hw;
	struct vtd_pt_gather g;
	unsigned p = ((prot & IOMMU_READ) ? VTD_PT_READ : 0) |
		     ((prot & IOMMU_WRITE) ? VTD_PT_WRITE : 0);
	int rc;

	vtd_pt_gather_init(&g, vtd_gather_slots, VTD_GATHER_SLOTS);
	rc = vtd_pt_map(&vd->pt, iova, pa, size, p, &g);
	if (rc == 0)
		rc = vtd_domain_inval(vd, &g);
	vtd_pt_gather_release(&vd->pt, &g);
	vtd_domain_account(d);
	return rc;
}

int iommu_drv_unmap(struct iommu_domain *d, iova_t va, uint64_t size)
{
	struct vtd_domain *vd = d->hw;
	struct vtd_pt_gather g;
	/* All or nothing: refuse before the first chunk changes anything. */
	int rc = vtd_pt_mapped(&vd->pt, va, size);

	/* GiB chunks keep the detached tables within the gather's slots. */
	for (uint64_t done = 0; rc == 0 && done < size;) {
		uint64_t end =
			MIN(ALIGN_DOWN(va.v + done, VTD_CHUNK) + VTD_CHUNK,
			    va.v + size);

		vtd_pt_gather_init(&g, vtd_gather_slots, VTD_GATHER_SLOTS);
		rc = vtd_pt_unmap(&vd->pt, iova(va.v + done),
				  end - (va.v + done), &g);
		if (rc == 0)
			rc = vtd_domain_inval(vd, &g);
		/* Only after the invalidation may the tables be reused. */
		vtd_pt_gather_release(&vd->pt, &g);
		done = end - va.v;
	}
	vtd_domain_account(d);
	return rc;
}

void iommu_drv_print_domain(const struct iommu_domain *d)
{
	const struct vtd_domain *vd = d->hw;

	console_printf("mapped %llu bytes, %u table pages, %u levels, ids",
		       (unsigned long long)vd->pt.mapped_bytes,
		       vd->pt.table_pages, vd->pt.levels);
	for (unsigned i = 0; i < iommu_nunits; i++)
		if (vd->did[i])
			console_printf(" unit%u:%u", i, vd->did[i]);
	console_printf("\n");
}
