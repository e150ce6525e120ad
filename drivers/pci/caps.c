// SPDX-License-Identifier: MIT
/*
 * Capability walks. Both lists come from the device and are treated as
 * hostile: every pointer is checked for range and alignment, a visited
 * bitmap stops loops, the hop count is bounded, and a capability is only
 * decoded when its registers fit in the config space it lives in.
 */
#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/log.h"

struct pci_cap_decoder {
	uint16_t id;
	uint16_t len; /* bytes of the capability that are read */
	void (*decode)(struct pci_dev *d, uint16_t off);
};

static void pci_cap_pm(struct pci_dev *d, uint16_t off)
{
	d->cap_pm = (uint8_t)off;
	d->pm_caps = pci_cfg_read16(d->sbdf, off + PCI_PM_PMC);
}

static void pci_cap_msi(struct pci_dev *d, uint16_t off)
{
	d->cap_msi = (uint8_t)off;
	d->msi_ctrl = pci_cfg_read16(d->sbdf, off + PCI_MSI_FLAGS);
}

static void pci_cap_msix(struct pci_dev *d, uint16_t off)
{
	d->cap_msix = (uint8_t)off;
	d->msix_ctrl = pci_cfg_read16(d->sbdf, off + PCI_MSIX_FLAGS);
	d->msix_table = pci_cfg_read32(d->sbdf, off + PCI_MSIX_TABLE);
	d->msix_pba = pci_cfg_read32(d->sbdf, off + PCI_MSIX_PBA);
}

static void pci_cap_exp(struct pci_dev *d, uint16_t off)
{
	d->cap_pcie = (uint8_t)off;
	d->pcie_flags = pci_cfg_read16(d->sbdf, off + PCI_EXP_FLAGS);
	d->pcie_type = (uint8_t)FIELD_GET(PCI_EXP_FLAGS_TYPE, d->pcie_flags);
	d->pcie_devcap = pci_cfg_read32(d->sbdf, off + PCI_EXP_DEVCAP);
	d->flr = d->pcie_devcap & PCI_EXP_DEVCAP_FLR;
	d->pcie_lnkcap = pci_cfg_read32(d->sbdf, off + PCI_EXP_LNKCAP);
	d->pcie_lnksta = pci_cfg_read16(d->sbdf, off + PCI_EXP_LNKSTA);
}

static void pci_ecap_acs(struct pci_dev *d, uint16_t off)
{
	d->ecap_acs = off;
	d->acs_cap = pci_cfg_read16(d->sbdf, off + PCI_ACS_CAP);
	d->acs_ctrl = pci_cfg_read16(d->sbdf, off + PCI_ACS_CTRL);
}

static void pci_ecap_pasid(struct pci_dev *d, uint16_t off)
{
	d->ecap_pasid = off;
	d->pasid_caps = pci_cfg_read16(d->sbdf, off + PCI_PASID_CAP);
	d->pasid_ctrl = pci_cfg_read16(d->sbdf, off + PCI_PASID_CTRL);
}

static void pci_ecap_ats(struct pci_dev *d, uint16_t off)
{
	d->ecap_ats = off;
	d->ats_cap = pci_cfg_read16(d->sbdf, off + PCI_ATS_CAP);
	d->ats_ctrl = pci_cfg_read16(d->sbdf, off + PCI_ATS_CTRL);
}

static void pci_ecap_pri(struct pci_dev *d, uint16_t off)
{
	d->ecap_pri = off;
	d->pri_max_reqs = pci_cfg_read32(d->sbdf, off + PCI_PRI_MAX_REQ);
}

static void pci_ecap_sriov(struct pci_dev *d, uint16_t off)
{
	d->ecap_sriov = off;
	d->sriov_total_vfs = pci_cfg_read16(d->sbdf, off + PCI_SRIOV_TOTAL_VF);
}

static const struct pci_cap_decoder pci_cap_decoders[] = {
	{PCI_CAP_ID_PM, PCI_PM_CTRL + 2, pci_cap_pm},
	{PCI_CAP_ID_MSI, PCI_MSI_ADDRESS_LO, pci_cap_msi},
	{PCI_CAP_ID_MSIX, PCI_MSIX_PBA + 4, pci_cap_msix},
	{PCI_CAP_ID_EXP, PCI_EXP_LNKSTA + 2, pci_cap_exp},
};

static const struct pci_cap_decoder pci_ecap_decoders[] = {
	{PCI_EXT_CAP_ID_ACS, PCI_ACS_CTRL + 2, pci_ecap_acs},
	{PCI_EXT_CAP_ID_PASID, PCI_PASID_CTRL + 2, pci_ecap_pasid},
	{PCI_EXT_CAP_ID_ATS, PCI_ATS_CTRL + 2, pci_ecap_ats},
	{PCI_EXT_CAP_ID_PRI, PCI_PRI_ALLOC_REQ, pci_ecap_pri},
	{PCI_EXT_CAP_ID_SRIOV, PCI_SRIOV_TOTAL_VF + 2, pci_ecap_sriov},
};

/* The offset field of the first capability with this id, if any. */
static uint16_t pci_cap_seen(const struct pci_dev *d, uint16_t id, bool ext)
{
	switch (ext ? id | 0x10000 : id) {
	case PCI_CAP_ID_PM:
		return d->cap_pm;
	case PCI_CAP_ID_MSI:
		return d->cap_msi;
	case PCI_CAP_ID_MSIX:
		return d->cap_msix;
	case PCI_CAP_ID_EXP:
		return d->cap_pcie;
	case 0x10000 | PCI_EXT_CAP_ID_ACS:
		return d->ecap_acs;
	case 0x10000 | PCI_EXT_CAP_ID_PASID:
		return d->ecap_pasid;
	case 0x10000 | PCI_EXT_CAP_ID_ATS:
		return d->ecap_ats;
	case 0x10000 | PCI_EXT_CAP_ID_PRI:
		return d->ecap_pri;
	case 0x10000 | PCI_EXT_CAP_ID_SRIOV:
		return d->ecap_sriov;
	default:
		return 0;
	}
}

/* Record the capability and decode it when known (first instance only). */
static void pci_cap_found(struct pci_dev *d, uint16_t id, uint16_t off,
			  bool ext)
{
	const struct pci_cap_decoder *tab =
		ext ? pci_ecap_decoders : pci_cap_decoders;
	size_t n = ext ? ARRAY_SIZE(pci_ecap_decoders)
		       : ARRAY_SIZE(pci_cap_decoders);
	unsigned end = ext ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;
	char name[16];

	if (ext && d->necaps < PCI_MAX_CAPS)
		d->ecaps[d->necaps++] = (struct pci_cap_ref){id, off};
	if (!ext && d->ncaps < PCI_MAX_CAPS)
		d->caps[d->ncaps++] = (struct pci_cap_ref){id, off};
	for (size_t i = 0; i < n; i++) {
		if (tab[i].id != id || pci_cap_seen(d, id, ext))
			continue;
		if (off + tab[i].len > end) {
			pci_sbdf_str(d->sbdf, name, sizeof(name));
			log_warn(
				"PCI %s: %scapability 0x%x at 0x%x runs past 0x%x, not decoded",
				name, ext ? "extended " : "", id, off, end - 1);
			return;
		}
		tab[i].decode(d, off);
		return;
	}
}

static void pci_cap_cut(struct pci_dev *d, bool ext, unsigned at, unsigned next,
			const char *why)
{
	char name[16];

	pci_sbdf_str(d->sbdf, name, sizeof(name));
	log_warn("PCI %s: %scapability list cut at 0x%02x: next 0x%02x %s",
		 name, ext ? "extended " : "", at, next, why);
	d->cap_list_broken = true;
}

/* The list at 0x34: pointers in 0x40..0xfc, dword-aligned once masked. */
static void pci_caps_walk(struct pci_dev *d)
{
	uint64_t seen = 0;
	unsigned at = PCI_CAPABILITY_LIST;
	unsigned ptr;

	if (!(pci_cfg_read16(d->sbdf, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	/* Bits 1:0 of every pointer are reserved (PCI 3.0 6.7). */
	ptr = pci_cfg_read8(d->sbdf, PCI_CAPABILITY_LIST) & PCI_CAP_PTR_MASK;
	for (unsigned hops = 0; ptr != 0; hops++) {
		unsigned slot;

		if (ptr < PCI_STD_HEADER_SIZE) {
			pci_cap_cut(d, false, at, ptr, "is below 0x40");
			return;
		}
		slot = (ptr - PCI_STD_HEADER_SIZE) / 4;
		if (seen & BIT(slot) || hops == PCI_CAP_MAX_HOPS) {
			pci_cap_cut(d, false, at, ptr, "was already visited");
			return;
		}
		seen |= BIT(slot);
		pci_cap_found(d, pci_cfg_read8(d->sbdf, ptr + PCI_CAP_LIST_ID),
			      (uint16_t)ptr, false);
		at = ptr;
		ptr = pci_cfg_read8(d->sbdf, ptr + PCI_CAP_LIST_NEXT) &
		      PCI_CAP_PTR_MASK;
	}
}

/* The list at 0x100: pointers in 0x100..0xffc, dword-aligned once masked. */
static void pci_ecaps_walk(struct pci_dev *d)
{
	uint64_t seen[(PCI_EXT_CAP_MAX_HOPS + 63) / 64] = {0};
	unsigned off = PCI_EXT_CAP_START;

	for (unsigned hops = 0;; hops++) {
		uint32_t hdr = pci_cfg_read32(d->sbdf, (uint16_t)off);
		uint16_t id = (uint16_t)FIELD_GET(PCI_EXT_CAP_ID_MASK, hdr);
		unsigned next, slot;

		/* 0: no (more) capabilities; 0xffff: not answered. */
		if (id == 0 || id == 0xffff)
			return;
		slot = (off - PCI_EXT_CAP_START) / 4;
		seen[slot / 64] |= BIT(slot % 64);
		pci_cap_found(d, id, (uint16_t)off, true);
		/* Bits 21:20 of the pointer are reserved (PCIe 5.0 7.6.3). */
		next = (unsigned)FIELD_GET(PCI_EXT_CAP_NEXT_MASK, hdr) & ~3u;
		if (next == 0)
			return;
		if (next < PCI_EXT_CAP_START) {
			pci_cap_cut(d, true, off, next, "is below 0x100");
			return;
		}
		slot = (next - PCI_EXT_CAP_START) / 4;
		if (seen[slot / 64] & BIT(slot % 64) ||
		    hops + 1 == PCI_EXT_CAP_MAX_HOPS) {
			pci_cap_cut(d, true, off, next, "was already visited");
			return;
		}
		off = next;
	}
}

void pci_caps_read(struct pci_dev *d)
{
	pci_caps_walk(d);
	/* Only PCIe functions have the extended space (PCIe 5.0 7.2.2). */
	if (d->cap_pcie)
		pci_ecaps_walk(d);
}
