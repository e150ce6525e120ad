// SPDX-License-Identifier: MIT
/*
 * What the VT-d hardware was told, for the console: unit state, and a walk
 * of root, context, PASID and page-table entries exactly as stored in
 * memory (not the driver's bookkeeping).
 */
#include "drivers/iommu/intel/vtd.h"
#include "drivers/iommu/iommu_drv.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/mm/mm.h"

void iommu_drv_print_unit(const struct iommu_unit *u)
{
	const struct vtd_unit *hw = u->hw;
	uint32_t gsts = vtd_read32(hw, VTD_GSTS_REG);

	console_printf("unit %d: 0x%llx segment %04x version %u.%u %s mode, "
		       "translation %s\n",
		       u->index, (unsigned long long)u->reg_base, u->segment,
		       (unsigned)FIELD_GET(VTD_VER_MAX, hw->ver),
		       (unsigned)FIELD_GET(VTD_VER_MIN, hw->ver),
		       hw->scalable ? "scalable" : "legacy",
		       (gsts & VTD_GSTS_TES) ? "on" : "OFF");
	console_printf("  cap 0x%016llx ecap 0x%016llx gsts 0x%08x\n",
		       (unsigned long long)hw->cap,
		       (unsigned long long)hw->ecap, gsts);
	console_printf("  tables: %u levels (%u-bit), superpages%s%s%s; "
		       "domain ids %u; root table 0x%llx\n",
		       hw->levels, hw->aw_bits, hw->sp_2m ? " 2M" : "",
		       hw->sp_1g ? " 1G" : "",
		       !hw->sp_2m && !hw->sp_1g ? " none" : "", hw->ndids,
		       (unsigned long long)hw->root.v);
	console_printf("  features:%s%s%s%s%s%s%s%s\n",
		       hw->cm ? " caching-mode" : "",
		       hw->coherent ? " coherent" : " non-coherent",
		       (hw->ecap & VTD_ECAP_QI) ? " queued-invalidation" : "",
		       hw->rwbf ? " write-buffer-flush" : "",
		       hw->snoop ? " snoop-control" : "",
		       (hw->ecap & VTD_ECAP_PASID) ? " pasid" : "",
		       (hw->ecap & VTD_ECAP_DT) ? " device-tlb" : "",
		       (hw->ecap & VTD_ECAP_PT) ? " pass-through" : "");
	uint64_t ndesc = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(hw->inv.stats.desc); i++)
		ndesc += hw->inv.stats.desc[i];
	console_printf("  entries written %llu, invalidation descriptors %llu, "
		       "waits %llu, register invalidations %llu\n",
		       hw->sets, (unsigned long long)ndesc,
		       (unsigned long long)hw->inv.stats.waits,
		       (unsigned long long)(hw->inv.stats.reg_context +
					    hw->inv.stats.reg_iotlb));
}

static void show_qwords(const char *what, const volatile uint64_t *e,
			unsigned n)
{
	console_printf("  %s:", what);
	for (unsigned i = n; i; i--)
		console_printf(" %016llx", (unsigned long long)e[i - 1]);
	console_printf("\n");
}

/* Root and context entries; returns the SL table and levels, or an error. */
static int show_context(struct vtd_unit *hw, uint16_t rid, bool with_pasid,
			uint32_t pasid, hpa_t *sl, unsigned *levels)
{
	const uint64_t *root = hpa_to_ptr(hw->root);
	volatile uint64_t *ce = vtd_ctx_entry(hw, rid, false);
	const uint64_t *dir;
	volatile const uint64_t *pe;

	show_qwords("root entry", &root[(rid >> 8) * 2], 2);
	if (!ce || !(ce[0] & 1)) {
		console_printf("  context entry: not present -> blocked\n");
		return -HV_ENOENT;
	}
	if (!hw->scalable) {
		show_qwords("context entry", ce, 2);
		*sl = hpa(ce[0] & VTD_CE_SLPTPTR);
		*levels = (unsigned)FIELD_GET(VTD_CE_AW, ce[1]) + 2;
		console_printf("  did %u, %u levels, tables at 0x%llx\n",
			       (unsigned)FIELD_GET(VTD_CE_DID, ce[1]), *levels,
			       (unsigned long long)sl->v);
		return 0;
	}
	show_qwords("context entry", ce, 4);
	if (!with_pasid)
		pasid = (uint32_t)FIELD_GET(VTD_SCE_RID_PASID, ce[1]);
	dir = hpa_to_ptr(hpa(ce[0] & VTD_SCE_PASIDDIRPTR));
	console_printf("  pasid %u: directory entry %u = %016llx\n", pasid,
		       pasid >> VTD_PASID_DIR_SHIFT,
		       (unsigned long long)dir[pasid >> VTD_PASID_DIR_SHIFT]);
	if (!(dir[pasid >> VTD_PASID_DIR_SHIFT] & VTD_PDE_P)) {
		console_printf(
			"  pasid directory entry not present -> blocked\n");
		return -HV_ENOENT;
	}
	pe = (const uint64_t *)hpa_to_ptr(hpa(
		     dir[pasid >> VTD_PASID_DIR_SHIFT] & VTD_PDE_SMPTBLPTR)) +
	     (pasid % VTD_PASID_TABLE_ENTRIES) * 8;
	show_qwords("pasid entry", pe, 8);
	if (!(pe[0] & VTD_PTE0_P)) {
		console_printf("  pasid entry not present -> blocked\n");
		return -HV_ENOENT;
	}
	*sl = hpa(pe[0] & VTD_PTE0_SLPTPTR);
	*levels = (unsigned)FIELD_GET(VTD_PTE0_AW, pe[0]) + 2;
	console_printf("  did %u, pgtt %u, %u levels, tables at 0x%llx\n",
		       (unsigned)FIELD_GET(VTD_PTE1_DID, pe[1]),
		       (unsigned)FIELD_GET(VTD_PTE0_PGTT, pe[0]), *levels,
		       (unsigned long long)sl->v);
	return 0;
}

static void show_walk_result(int rc, const struct vtd_pt_walk *w)
{
	if (rc == -HV_ENOENT)
		console_printf("  -> not present at level %u: DMA faults\n",
			       w->stop_level);
	else if (rc == -HV_EIO)
		console_printf(
			"  -> reserved bits set at level %u: DMA faults\n",
			w->stop_level);
	else if (rc)
		console_printf("  -> beyond the address width: DMA faults\n");
	else
		console_printf("  -> 0x%llx (%llu KiB page, %s%s%s)\n",
			       (unsigned long long)w->pa.v,
			       (unsigned long long)w->page_size / 1024,
			       (w->prot & VTD_PT_READ) ? "read" : "",
			       (w->prot & VTD_PT_WRITE) ? " write" : "",
			       w->snoop ? ", snoop" : "");
}

int iommu_drv_walk(struct iommu_unit *u, uint16_t rid, bool with_pasid,
		   uint32_t pasid, iova_t va)
{
	struct vtd_unit *hw = u->hw;
	struct vtd_pgtable pt = {.mem = &vtd_pt_mem_core, .pa_bits = 52};
	struct vtd_pt_walk w;
	int rc;

	console_printf("unit %d, rid %02x:%02x.%x%s, iova 0x%llx\n", u->index,
		       rid >> 8, (rid >> 3) & 0x1f, rid & 7,
		       with_pasid ? " with pasid" : "",
		       (unsigned long long)va.v);
	if (with_pasid && !hw->scalable) {
		console_printf("  legacy mode has no PASID tables: requests "
			       "with PASID fault\n");
		return 0;
	}
	if (show_context(hw, rid, with_pasid, pasid, &pt.root, &pt.levels))
		return 0;
	rc = vtd_pt_walk(&pt, va, &w);
	for (unsigned i = 0; i < w.nsteps; i++)
		console_printf(
			"  level %u table 0x%llx [%3u] = %016llx\n",
			w.step[i].level, (unsigned long long)w.step[i].table.v,
			w.step[i].index, (unsigned long long)w.step[i].entry);
	show_walk_result(rc, &w);
	return 0;
}
