// SPDX-License-Identifier: MIT
/*
 * VT-d unit bring-up (spec 10.4 and 11): capability audit, an all-blocked
 * root table, queued invalidation, global invalidations, then translation
 * enable. A unit the driver cannot use safely is refused with one reason.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "drivers/iommu/intel/vtd.h"
#include "drivers/iommu/iommu_drv.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/time.h"

struct vtd_unit vtd_units[IOMMU_MAX_UNITS];
/* Some unit in use walks tables without snooping caches (ECAP.C = 0). */
static bool vtd_flush_needed;

/* Raw accesses to identity-mapped registers (ctx: the struct vtd_unit). */
static uint32_t vtd_mmio_r32(void *ctx, unsigned off)
{
	const struct vtd_unit *hw = ctx;

	return *(volatile const uint32_t *)(hw->regs + off);
}

static uint64_t vtd_mmio_r64(void *ctx, unsigned off)
{
	const struct vtd_unit *hw = ctx;

	return *(volatile const uint64_t *)(hw->regs + off);
}

static void vtd_mmio_w32(void *ctx, unsigned off, uint32_t v)
{
	struct vtd_unit *hw = ctx;

	*(volatile uint32_t *)(hw->regs + off) = v;
}

static void vtd_mmio_w64(void *ctx, unsigned off, uint64_t v)
{
	struct vtd_unit *hw = ctx;

	*(volatile uint64_t *)(hw->regs + off) = v;
}

/*
 * Weak so that host tests can link their own, backed by a fake register
 * file: then bring-up runs unchanged on the host (tests/unit/test_vtd_unit).
 */
__attribute__((weak)) struct vtd_mmio vtd_regs_mmio(struct vtd_unit *hw)
{
	return (struct vtd_mmio){vtd_mmio_r32, vtd_mmio_r64, vtd_mmio_w32,
				 vtd_mmio_w64, hw};
}

/* Every register access of the driver goes through hw->mmio. */
uint32_t vtd_read32(const struct vtd_unit *hw, unsigned off)
{
	return hw->mmio.read32(hw->mmio.ctx, off);
}

uint64_t vtd_read64(const struct vtd_unit *hw, unsigned off)
{
	return hw->mmio.read64(hw->mmio.ctx, off);
}

void vtd_write32(struct vtd_unit *hw, unsigned off, uint32_t v)
{
	hw->mmio.write32(hw->mmio.ctx, off, v);
}

void vtd_write64(struct vtd_unit *hw, unsigned off, uint64_t v)
{
	hw->mmio.write64(hw->mmio.ctx, off, v);
}

void vtd_flush(const struct vtd_unit *hw, const void *p, size_t len)
{
	if (!hw->coherent)
		cpu_cache_flush(p, len);
}

static int __printf(2, 3) vtd_refuse(struct vtd_unit *hw, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hw->iu->why, sizeof(hw->iu->why), fmt, ap);
	va_end(ap);
	return -HV_ENOTSUP;
}

/*
 * Issue a global command and wait for its status bit (spec 11.4.4: the
 * persistent bits are carried over from GSTS, one-shot ones are not).
 */
static int vtd_gcmd(struct vtd_unit *hw, uint32_t bit, bool on)
{
	uint32_t sts = vtd_read32(hw, VTD_GSTS_REG) & ~VTD_GSTS_ONESHOT;
	uint64_t t0 = time_us();

	vtd_write32(hw, VTD_GCMD_REG, on ? sts | bit : sts & ~bit);
	while (((vtd_read32(hw, VTD_GSTS_REG) & bit) != 0) != on) {
		if (time_us() - t0 > VTD_POLL_US)
			return -HV_ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}

/* Second-level levels for our domains: 4 (48-bit) if offered, else 3, 5. */
static int vtd_pick_levels(struct vtd_unit *hw)
{
	static const unsigned order[] = {4, 3, 5};
	uint64_t sagaw = FIELD_GET(VTD_CAP_SAGAW, hw->cap);
	unsigned mgaw = (unsigned)FIELD_GET(VTD_CAP_MGAW, hw->cap) + 1;

	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(sagaw & BIT(order[i] - 2)))
			continue;
		hw->levels = order[i];
		hw->aw_bits = MIN(order[i] * 9 + 12, mgaw);
		return 0;
	}
	return vtd_refuse(hw, "no usable address width (SAGAW 0x%llx)",
			  (unsigned long long)sagaw);
}

static int vtd_audit_offsets(struct vtd_unit *hw)
{
	hw->fro = (unsigned)FIELD_GET(VTD_CAP_FRO, hw->cap) * 16;
	hw->nfr = (unsigned)FIELD_GET(VTD_CAP_NFR, hw->cap) + 1;
	hw->iro = (unsigned)FIELD_GET(VTD_ECAP_IRO, hw->ecap) * 16;
	if (hw->fro < 0x100 || hw->fro + hw->nfr * 16ull > hw->reg_size)
		return vtd_refuse(hw,
				  "fault recording registers at 0x%llx "
				  "outside the register set",
				  (unsigned long long)hw->fro);
	if (hw->iro < 0x20 || hw->iro + 16ull > hw->reg_size)
		return vtd_refuse(hw,
				  "IOTLB registers at 0x%llx outside the "
				  "register set",
				  (unsigned long long)hw->iro);
	return 0;
}

static int vtd_pick_mode(struct vtd_unit *hw, enum iommu_mode want)
{
	bool sm = (hw->ecap & VTD_ECAP_SMTS) && (hw->ecap & VTD_ECAP_SLTS) &&
		  (hw->ecap & VTD_ECAP_QI);

	if (want == IOMMU_MODE_SCALABLE && !sm)
		return vtd_refuse(hw,
				  "iommu.mode = scalable but the unit has "
				  "no scalable mode with second-level "
				  "tables and queued invalidation "
				  "(ECAP 0x%llx)",
				  (unsigned long long)hw->ecap);
	hw->scalable = want != IOMMU_MODE_LEGACY && sm;
	hw->coherent = hw->scalable ? (hw->ecap & VTD_ECAP_SMPWC) != 0
				    : (hw->ecap & VTD_ECAP_C) != 0;
	vtd_flush_needed |= !hw->coherent;
	return 0;
}

static int vtd_audit(struct vtd_unit *hw, enum iommu_mode want)
{
	unsigned nd = (unsigned)FIELD_GET(VTD_CAP_ND, hw->cap);
	uint64_t sllps = FIELD_GET(VTD_CAP_SLLPS, hw->cap);
	int rc;

	if (hw->ver == 0 || hw->ver == 0xffffffff)
		return vtd_refuse(hw, "no unit answers (VER 0x%x)", hw->ver);
	if (nd > 6)
		return vtd_refuse(hw, "reserved CAP.ND %u", nd);
	rc = vtd_pick_levels(hw);
	if (!rc)
		rc = vtd_audit_offsets(hw);
	if (!rc)
		rc = vtd_pick_mode(hw, want);
	if (rc)
		return rc;
	hw->ndids = MIN(1u << (4 + 2 * nd), VTD_MAX_DIDS);
	hw->cm = (hw->cap & VTD_CAP_CM) != 0;
	hw->rwbf = (hw->cap & VTD_CAP_RWBF) != 0;
	hw->snoop = (hw->ecap & VTD_ECAP_SC) != 0;
	hw->sp_2m = sllps & 1;
	hw->sp_1g = (sllps & 2) != 0;
	/* Id 0 stands for "not present" in caching mode: never hand it out. */
	hw->did_map[0] = 1;
	return 0;
}

static int vtd_core_alloc(void *ctx, hpa_t *pa)
{
	(void)ctx;
	return page_alloc(pa);
}

static void vtd_core_free(void *ctx, hpa_t pa)
{
	(void)ctx;
	page_free(pa);
}

static void *vtd_core_va(void *ctx, hpa_t pa)
{
	(void)ctx;
	return hpa_to_ptr(pa);
}

/*
 * Tables are flushed for the least coherent unit: a domain's tables may be
 * walked by several units.
 */
static void vtd_core_flush(void *ctx, const void *va, size_t len)
{
	(void)ctx;
	if (vtd_flush_needed)
		cpu_cache_flush(va, len);
}

const struct vtd_pt_mem vtd_pt_mem_core = {
	vtd_core_alloc, vtd_core_free, vtd_core_va, vtd_core_flush, NULL,
};

static uint64_t vtd_core_now(void *ctx)
{
	(void)ctx;
	return time_us();
}

static const struct vtd_inval_mem vtd_inval_mem_core = {
	.alloc = vtd_core_alloc,
	.va = vtd_core_va,
	.flush = vtd_core_flush,
	.now_us = vtd_core_now,
};

/* Global context, PASID-cache and IOTLB invalidation, then wait. */
static int vtd_flush_all(struct vtd_unit *hw)
{
	struct vtd_inval_batch b;

	vtd_inval_begin(&hw->inv, &b);
	vtd_inval_add_context(&b, VTD_INVAL_GLOBAL, 0, 0, 0);
	if (hw->scalable)
		vtd_inval_add_pasid_cache_global(&b);
	vtd_inval_add_iotlb_global(&b);
	return vtd_inval_commit(&b);
}

/*
 * Spec 10.4.4/10.4.5 order: root table pointer, queued invalidation, global
 * invalidations, then TE. If firmware left translation on, SRTP switches
 * it atomically to our all-blocked root table.
 */
static int vtd_enable(struct vtd_unit *hw)
{
	uint64_t rta = hw->root.v;
	int rc;

	if (hw->scalable)
		rta |= FIELD_PREP(VTD_RTADDR_TTM, VTD_RTADDR_TTM_SCALABLE);
	vtd_write64(hw, VTD_RTADDR_REG, rta);
	rc = vtd_gcmd(hw, VTD_GCMD_SRTP, true);
	if (rc)
		return vtd_refuse(hw, "root table pointer not latched");
	rc = vtd_inval_enable(&hw->inv);
	if (rc)
		return vtd_refuse(hw, "queued invalidation did not start");
	rc = vtd_flush_all(hw);
	if (rc)
		return vtd_refuse(hw, "global invalidation failed");
	rc = vtd_gcmd(hw, VTD_GCMD_TE, true);
	if (rc)
		return vtd_refuse(hw, "translation did not turn on");
	/* Protected memory regions are redundant once translation is on. */
	if (vtd_read32(hw, VTD_PMEN_REG) & VTD_PMEN_EPM)
		vtd_write32(hw, VTD_PMEN_REG, 0);
	/* Faults are polled; no fault event interrupt. */
	vtd_write32(hw, VTD_FECTL_REG, VTD_FECTL_IM);
	return 0;
}

static void vtd_log_unit(const struct vtd_unit *hw)
{
	log_info("VT-d %d: 0x%llx ver %u.%u cap 0x%llx ecap 0x%llx, %s mode, "
		 "%u-level tables (%u-bit), %u domain ids%s%s",
		 hw->iu->index, (unsigned long long)hw->iu->reg_base,
		 (unsigned)FIELD_GET(VTD_VER_MAX, hw->ver),
		 (unsigned)FIELD_GET(VTD_VER_MIN, hw->ver),
		 (unsigned long long)hw->cap, (unsigned long long)hw->ecap,
		 hw->scalable ? "scalable" : "legacy", hw->levels, hw->aw_bits,
		 hw->ndids, hw->cm ? ", caching mode" : "",
		 hw->coherent ? "" : ", non-coherent walks");
}

int iommu_drv_unit_init(struct iommu_unit *u, const struct acpi_drhd *drhd,
			enum iommu_mode want)
{
	struct vtd_unit *hw = &vtd_units[u->index];
	int rc;

	memset(hw, 0, sizeof(*hw));
	hw->iu = u;
	u->hw = hw;
	hw->reg_size = PAGE_SIZE << MIN(drhd->size, 8);
	if (drhd->reg_base + hw->reg_size > paging_top())
		return vtd_refuse(hw, "registers at 0x%llx are not mapped",
				  (unsigned long long)drhd->reg_base);
	hw->regs = (volatile uint8_t *)(uintptr_t)drhd->reg_base;
	hw->mmio = vtd_regs_mmio(hw);
	hw->ver = vtd_read32(hw, VTD_VER_REG);
	hw->cap = vtd_read64(hw, VTD_CAP_REG);
	hw->ecap = vtd_read64(hw, VTD_ECAP_REG);
	rc = vtd_audit(hw, want);
	if (rc)
		return rc;
	if (vtd_read32(hw, VTD_GSTS_REG) & VTD_GSTS_TES)
		log_warn("VT-d %d: firmware left translation on; switching to "
			 "an all-blocked root table",
			 u->index);
	if (page_alloc(&hw->root))
		return vtd_refuse(hw, "no memory for the root table");
	vtd_flush(hw, hpa_to_ptr(hw->root), PAGE_SIZE);
	rc = vtd_inval_init(&hw->inv, &hw->mmio, hw->cap, hw->ecap,
			    hw->scalable, &vtd_inval_mem_core);
	snprintf(hw->name, sizeof(hw->name), "%d", u->index);
	hw->inv.name = hw->name;
	if (rc)
		return vtd_refuse(hw, "invalidation setup failed: %s",
				  hv_strerror(rc));
	rc = vtd_fault_init(&hw->fault, &hw->mmio, u->index, u->segment,
			    hw->cap, hw->reg_size);
	if (rc)
		return vtd_refuse(hw, "fault recording registers unusable");
	rc = vtd_enable(hw);
	if (rc)
		return rc;
	vtd_log_unit(hw);
	return 0;
}

void iommu_drv_poll_faults(struct iommu_unit *u)
{
	struct vtd_unit *hw = u->hw;

	vtd_fault_poll(&hw->fault, time_us(), &iommu_fault_ring);
}
