/* SPDX-License-Identifier: MIT */
/*
 * The decoded PCI topology: what enumeration found, in a form the group
 * algorithm, the IOMMU core and the console use without touching config
 * space again. Register offsets and bits are in pci_regs.h.
 */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H

#include "kernel/types.h"

#define PCI_MAX_DEVS \
	1024 /* functions the core keeps (host tests may use more) */
#define PCI_NUM_BARS 6
#define PCI_MAX_CAPS 16 /* capabilities listed per function (each list) */

/* Segment/bus/device/function in one value: seg << 16 | bus << 8 | dev << 3 | fn. */
typedef uint32_t pci_sbdf_t;
#define PCI_SBDF(seg, bus, dev, fn)                                      \
	((pci_sbdf_t)(((uint32_t)(seg) << 16) | ((uint32_t)(bus) << 8) | \
		      ((uint32_t)(dev) << 3) | (uint32_t)(fn)))
#define PCI_SBDF_SEG(x) ((uint16_t)((x) >> 16))
#define PCI_SBDF_BUS(x) ((uint8_t)((x) >> 8))
#define PCI_SBDF_DEV(x) ((uint8_t)(((x) >> 3) & 0x1f))
#define PCI_SBDF_FN(x)	((uint8_t)((x)&0x7))
/* Requester ID (bus << 8 | devfn) as the IOMMU sees it. */
#define PCI_SBDF_RID(x) ((uint16_t)(x))

enum pci_bar_kind { PCI_BAR_NONE, PCI_BAR_IO, PCI_BAR_MEM32, PCI_BAR_MEM64 };

struct pci_bar {
	enum pci_bar_kind kind;
	bool prefetchable;
	uint64_t base;
	uint64_t size; /* 0 when the BAR is not implemented */
};

/* PCIe device/port type (PCIe capability register, bits 7:4). */
enum pci_exp_type {
	PCI_EXP_TYPE_ENDPOINT = 0x0,
	PCI_EXP_TYPE_LEG_END = 0x1,
	PCI_EXP_TYPE_ROOT_PORT = 0x4,
	PCI_EXP_TYPE_UPSTREAM = 0x5,
	PCI_EXP_TYPE_DOWNSTREAM = 0x6,
	PCI_EXP_TYPE_PCI_BRIDGE = 0x7,	/* PCIe to PCI/PCI-X bridge */
	PCI_EXP_TYPE_PCIE_BRIDGE = 0x8, /* PCI/PCI-X to PCIe bridge */
	PCI_EXP_TYPE_RC_END = 0x9,	/* root-complex integrated endpoint */
	PCI_EXP_TYPE_RC_EC = 0xa,	/* root-complex event collector */
};

struct pci_dev {
	pci_sbdf_t sbdf;
	uint16_t vendor, device;
	uint32_t class; /* base << 16 | sub << 8 | prog-if */
	uint8_t revision;
	uint8_t header_type; /* bits 6:0 of the header type register */
	bool multifunction;  /* header type bit 7 (of function 0) */

	/* Bridges (header type 1): bus numbers firmware assigned. */
	uint8_t secondary_bus, subordinate_bus;

	struct pci_dev *parent; /* bridge above, NULL on a root bus */

	/* Capability offsets in config space, 0 when absent. */
	uint8_t cap_pm, cap_msi, cap_msix, cap_pcie;
	uint16_t ecap_acs, ecap_pasid, ecap_ats, ecap_pri, ecap_sriov;

	/* PCIe capability, when cap_pcie != 0. */
	uint8_t pcie_type; /* enum pci_exp_type */
	bool flr;	   /* Device Capabilities: Function Level Reset */

	/* ACS extended capability, when ecap_acs != 0. */
	uint16_t acs_cap;  /* ACS Capability register (PCI_ACS_* bits) */
	uint16_t acs_ctrl; /* ACS Control register (same bit positions) */

	/* MSI / MSI-X details for lspci -v. */
	uint16_t msi_ctrl, msix_ctrl;
	/* PASID capability register, when ecap_pasid != 0. */
	uint16_t pasid_caps;

	struct pci_bar bar[PCI_NUM_BARS];
	unsigned nbars; /* 6 for type 0 headers, 2 for bridges */

	bool cap_list_broken; /* walk was cut (cycle or out of range) */

	/* Filled by the group computation. */
	int group; /* index into the group table, -1 before */
	int unit;  /* IOMMU unit (DRHD index) covering it, -1 when none */

	/* Appended by enumeration (enum.c, caps.c), for lspci -v. */
	uint8_t primary_bus;   /* bridges: primary bus number register */
	uint16_t pm_caps;      /* PM Capabilities (PMC) register */
	uint16_t pcie_flags;   /* PCI Express Capabilities register */
	uint32_t pcie_devcap;  /* Device Capabilities */
	uint32_t pcie_lnkcap;  /* Link Capabilities (0: no link) */
	uint16_t pcie_lnksta;  /* Link Status, as read at enumeration */
	uint32_t msix_table;   /* MSI-X Table Offset/BIR register */
	uint32_t msix_pba;     /* MSI-X PBA Offset/BIR register */
	uint16_t pasid_ctrl;   /* PASID Control register */
	uint16_t ats_cap;      /* ATS Capability register */
	uint16_t ats_ctrl;     /* ATS Control register */
	uint32_t pri_max_reqs; /* PRI outstanding page request capacity */
	uint16_t sriov_total_vfs;
	/* Every capability in list order (the first PCI_MAX_CAPS of each). */
	uint8_t ncaps, necaps;
	struct pci_cap_ref {
		uint16_t id;  /* PCI_CAP_ID_* or PCI_EXT_CAP_ID_* */
		uint16_t off; /* offset in config space */
	} caps[PCI_MAX_CAPS], ecaps[PCI_MAX_CAPS];
};

/* A set of enumerated functions, sorted by sbdf. */
struct pci_topology {
	struct pci_dev *dev;
	unsigned count;
	unsigned capacity;
};

/* The functions of the running hypervisor (empty before pci_enumerate). */
extern struct pci_topology pci_devices;

/* Function by sbdf, or NULL. */
struct pci_dev *pci_find(const struct pci_topology *t, pci_sbdf_t sbdf);

/* Print "ssss:bb:dd.f" into buf (at least 13 bytes). */
void pci_sbdf_str(pci_sbdf_t sbdf, char *buf, size_t size);

/*
 * Parse "ssss:bb:dd.f" or "bb:dd.f" (segment 0), hex digits, into *out.
 * Returns 0, or -HV_EINVAL when s is not such a name.
 */
int pci_sbdf_parse(const char *s, pci_sbdf_t *out);

#endif
