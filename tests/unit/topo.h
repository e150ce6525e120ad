/* SPDX-License-Identifier: MIT */
/*
 * Synthetic PCI topologies for host tests and benchmarks: describe a
 * machine in a few lines, as QEMU would build it, then hand the result to
 * the group computation.
 *
 *	struct topo *T = topo_new(32);
 *	topo_q35(T);                                    00:00.0, 00:1f.0/2/3
 *	topo_bridge(T, "00:04.0", TOPO_ROOT_PORT, 1, 1);
 *	topo_add(T, "01:00.0", TOPO_EDU);
 *	topo_finish(T);
 *
 * Names are "bb:dd.f" (segment 0) or "ssss:bb:dd.f". topo_finish() sorts
 * the functions, links each to the bridge whose secondary bus it sits on,
 * sets multifunction on every function of a slot with several, makes PCIe
 * endpoints on a root bus RCiEPs, and enables ACS as the hypervisor's
 * enumeration does (pci_acs_enable_value()) unless T->raw_acs is set.
 * Pointers returned by topo_add() are valid until topo_finish(); use
 * topo_dev() after it. Segments must be below TOPO_MAX_SEGS.
 */
#ifndef TESTS_UNIT_TOPO_H
#define TESTS_UNIT_TOPO_H

#include "drivers/pci/group.h"
#include "drivers/pci/pci.h"
#include "kernel/acpi/acpi.h"

#define TOPO_MAX_SEGS 64

/* QEMU 7.2 devices: IDs, class, header, PCIe type and ACS as QEMU has them. */
enum topo_kind {
	TOPO_Q35_HOST,	      /* 8086:29c0 host bridge, conventional */
	TOPO_ICH9_LPC,	      /* 8086:2918, conventional */
	TOPO_ICH9_AHCI,	      /* 8086:2922, conventional */
	TOPO_ICH9_SMBUS,      /* 8086:2930, conventional */
	TOPO_EDU,	      /* 1234:11e8, conventional */
	TOPO_E1000,	      /* 8086:100e, conventional */
	TOPO_E1000E,	      /* 8086:10d3, PCIe endpoint */
	TOPO_VIRTIO_NET,      /* 1af4:1041, PCIe endpoint */
	TOPO_ROOT_PORT,	      /* 1b36:000c pcie-root-port, ACS capability */
	TOPO_ROOT_PORT_NOACS, /* 1b36:000c with disable-acs=on */
	TOPO_IOH3420,	      /* 8086:3420 root port, no ACS */
	TOPO_X3130_UP,	      /* 104c:8232 switch upstream port, no ACS */
	TOPO_XIO3130_DOWN,    /* 104c:8233 switch downstream port, no ACS */
	TOPO_PCIE_PCI_BRIDGE, /* 1b36:000e, PCIe type PCI bridge */
	TOPO_PCI_BRIDGE,      /* 1b36:0001, conventional */
	TOPO_I82801B11,	      /* 8086:244e DMI-to-PCI bridge, conventional */
	TOPO_KIND_COUNT
};

/* ACS capability of pcie-root-port (QEMU pcie_acs_init for a port). */
#define TOPO_PORT_ACS_CAP                                                 \
	(PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF | \
	 PCI_ACS_DT)

struct topo {
	struct pci_topology t;
	struct acpi_dmar dmar;
	bool raw_acs; /* keep ACS Control as given (QEMU resets it to 0) */
	bool finished;
	/* Storage for pci_group_compute(). */
	struct pci_group_table tbl;
	struct pci_group *groups;
	uint32_t *members;
	struct pci_group_work *work;
};

struct topo *topo_new(unsigned capacity);
void topo_free(struct topo *T);

/* Parse a function name; aborts the test on a malformed one. */
pci_sbdf_t topo_sbdf(const char *name);

struct pci_dev *topo_add(struct topo *T, const char *name, enum topo_kind kind);
struct pci_dev *topo_bridge(struct topo *T, const char *name,
			    enum topo_kind kind, unsigned secondary,
			    unsigned subordinate);
/* Give d an ACS capability with these registers. */
void topo_acs(struct pci_dev *d, uint16_t cap, uint16_t ctrl);
/* q35's own functions: 00:00.0 and 00:1f.0/2/3. */
void topo_q35(struct topo *T);
void topo_finish(struct topo *T);
/* A function after topo_finish(); aborts the test when absent. */
struct pci_dev *topo_dev(struct topo *T, const char *name);

/* DMAR: a DRHD (returns its index) and scopes "dd.f/dd.f..." on it. */
int topo_drhd(struct topo *T, uint64_t reg_base, uint16_t seg,
	      bool include_all);
void topo_scope(struct acpi_dmar_scopes *s, uint8_t type, uint8_t start_bus,
		const char *path);
int topo_rmrr(struct topo *T, uint16_t seg, uint64_t base, uint64_t limit);

/* Run pci_group_compute() on T with its DMAR (NULL when it has none). */
int topo_groups(struct topo *T);

/*
 * The groups as one string, groups by lowest member, members ascending:
 * "00:00.0 | 00:1f.0 00:1f.2 00:1f.3" (segment shown when not 0).
 * Returns a static buffer.
 */
const char *topo_groups_str(const struct topo *T);

#endif
