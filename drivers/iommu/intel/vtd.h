/* SPDX-License-Identifier: MIT */
/* The VT-d driver's state per unit and per domain. */
#ifndef DRIVERS_IOMMU_INTEL_VTD_H
#define DRIVERS_IOMMU_INTEL_VTD_H

#include "drivers/iommu/intel/fault.h"
#include "drivers/iommu/intel/inval.h"
#include "drivers/iommu/intel/pgtable.h"
#include "drivers/iommu/intel/vtd_regs.h"
#include "drivers/iommu/iommu.h"

#define VTD_MAX_DIDS	   1024 /* domain ids we hand out per unit (<= CAP.ND) */
#define VTD_POLL_US	   1000000 /* bound on every status poll */
#define VTD_PASID_DIR_PDTS 2 /* 2^(2 + 7) = 512 directory entries, 4 KiB */

struct vtd_unit {
	struct iommu_unit *iu;
	char name[8]; /* "0", "1": in the invalidation layer's log lines */
	volatile uint8_t *regs;
	uint64_t reg_size;
	struct vtd_mmio mmio;
	uint32_t ver;
	uint64_t cap, ecap;
	bool scalable;
	unsigned levels;  /* second-level paging levels for our domains */
	unsigned aw_bits; /* input address width those levels give */
	unsigned ndids;
	bool coherent, cm, rwbf, snoop, sp_2m, sp_1g;
	unsigned fro, nfr, iro; /* register offsets and fault record count */
	hpa_t root;
	hpa_t ctx[256][2]; /* context tables per bus (scalable: lower, upper) */
	uint64_t did_map[VTD_MAX_DIDS / 64];
	struct vtd_inval inv;
	struct vtd_fault_unit fault;
	unsigned long long sets; /* context or PASID entries written */
};

struct vtd_domain {
	struct vtd_pgtable pt;
	uint16_t did[IOMMU_MAX_UNITS]; /* 0: no id on that unit yet */
};

extern struct vtd_unit vtd_units[IOMMU_MAX_UNITS];
extern const struct vtd_pt_mem vtd_pt_mem_core;

/*
 * Register access of hw, set up once by iommu_drv_unit_init: hw->regs is
 * mapped by then. The default maps registers identity (hw->regs); a host
 * test links its own definition (the default is weak).
 */
struct vtd_mmio vtd_regs_mmio(struct vtd_unit *hw);

/* Register access, always through hw->mmio. */
uint32_t vtd_read32(const struct vtd_unit *hw, unsigned off);
uint64_t vtd_read64(const struct vtd_unit *hw, unsigned off);
void vtd_write32(struct vtd_unit *hw, unsigned off, uint32_t v);
void vtd_write64(struct vtd_unit *hw, unsigned off, uint64_t v);

/* Write back table memory the unit reads, unless it snoops (ECAP.C). */
void vtd_flush(const struct vtd_unit *hw, const void *p, size_t len);

/* Context entry of rid (2 qwords legacy, 4 scalable), allocating tables. */
volatile uint64_t *vtd_ctx_entry(struct vtd_unit *hw, uint16_t rid, bool alloc);

/* The domain id d has on hw, allocating one on first use (0: none left). */
uint16_t vtd_domain_did(struct vtd_unit *hw, struct vtd_domain *vd);

#endif
