/* SPDX-License-Identifier: MIT */
/*
 * IOMMU groups: the sets of PCI functions the IOMMU cannot tell apart.
 *
 * The rules are Linux's (drivers/iommu/iommu.c pci_device_group(),
 * drivers/pci/search.c pci_for_each_dma_alias(), drivers/pci/pci.c
 * pci_acs_enabled()/pci_acs_path_enabled(), the ACS and DMA-alias quirks of
 * drivers/pci/quirks.c that concern QEMU's devices), so that a topology
 * gets the groups Linux 6.1 gives it. docs/groups.md states every rule.
 *
 * The computation reads only the decoded topology (no config space access)
 * and needs no allocation: the caller provides the storage (see
 * struct pci_group_table), so it runs the same in the core and on the host.
 */
#ifndef DRIVERS_PCI_GROUP_H
#define DRIVERS_PCI_GROUP_H

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/types.h"

struct acpi_dmar;

/*
 * ACS features a port (or multi-function device) must have enabled to
 * isolate what is below it: no spoofed requester IDs, no peer-to-peer
 * request or completion redirection, upstream forwarding (Linux's
 * REQ_ACS_FLAGS).
 */
#define PCI_GROUP_REQ_ACS (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

#define PCI_GROUP_REASON_LEN 64
#define PCI_GROUP_MAX_DEPTH  256 /* bridges above a function */

struct pci_group {
	int id;		  /* index in the table, ascending by first member */
	int unit;	  /* DRHD index of all members, -1: none or split */
	bool spans_units; /* members behind different units: refuse it */
	int span[2];	  /* when spans_units: two of the units (-1: none) */
	unsigned first;	  /* members: table->member[first .. first+ndevs) */
	unsigned ndevs;
	char reason[PCI_GROUP_REASON_LEN]; /* why these share a group */
};

/* Per-function scratch of the computation (storage only). */
struct pci_group_work {
	uint32_t link;	 /* union-find parent */
	uint32_t anchor; /* best reason so far (on set roots) */
	uint16_t depth;	 /* bridges above the function */
	uint8_t why;	 /* enum in group.c */
	uint8_t acs_path;
	int32_t gid;
};

/*
 * A group table with its storage: every array has `capacity` entries
 * (one per function is always enough). pci_group_compute() fails with
 * -HV_ENOMEM when the topology has more functions than that.
 */
struct pci_group_table {
	unsigned capacity;
	struct pci_group *group;
	uint32_t *member; /* device indices into topo->dev, grouped */
	struct pci_group_work *work;
	/* Results. */
	unsigned ngroups;
	struct pci_topology *topo;    /* what the table describes */
	const struct acpi_dmar *dmar; /* units come from here (or NULL) */
};

/* The core's table: PCI_MAX_DEVS functions. */
extern struct pci_group_table pci_groups;

/* Give a table its storage (host tests and benchmarks). */
void pci_group_table_init(struct pci_group_table *tbl, struct pci_group *groups,
			  uint32_t *members, struct pci_group_work *work,
			  unsigned capacity);

/*
 * Compute the groups of every function of t and the IOMMU unit of each
 * (from dmar's device scopes; dmar may be NULL or not present). Sets
 * dev->group and dev->unit of every function. A group whose members sit
 * behind different units, or partly behind none while the DMAR has units,
 * is logged once ("IOMMU: group N spans units A and B") and gets unit -1
 * and spans_units set. Returns 0, -HV_ENOMEM (table too small) or
 * -HV_EINVAL (topology not sorted, broken parent links); on error the
 * table is left empty and every dev->group is -1.
 */
int pci_group_compute(struct pci_topology *t, const struct acpi_dmar *dmar,
		      struct pci_group_table *tbl);

/* The i-th member (ascending sbdf) of group g. */
static inline struct pci_dev *
pci_group_member(const struct pci_group_table *tbl, const struct pci_group *g,
		 unsigned i)
{
	return &tbl->topo->dev[tbl->member[g->first + i]];
}

/* The group of dev, or NULL before/without a computation. */
const struct pci_group *pci_group_of(const struct pci_group_table *tbl,
				     const struct pci_dev *dev);

/*
 * Linux's pci_acs_enabled(dev, PCI_GROUP_REQ_ACS): whether dev itself
 * keeps peer-to-peer traffic from bypassing the IOMMU, by its ACS
 * capability and control registers, its PCIe type, whether it is
 * multi-function, and the device quirks.
 */
bool pci_group_acs_enabled(const struct pci_dev *dev);

/*
 * The ACS Control value to write before grouping: ctrl plus every one of
 * SV, RR, CR and UF the capability offers, as Linux does when it probes a
 * function with an IOMMU present (pci_std_enable_acs()). QEMU resets the
 * register to 0, so without this write no port isolates anything.
 */
uint16_t pci_acs_enable_value(const struct pci_dev *dev);

/*
 * Requester IDs DMA from dev can carry when it reaches the IOMMU (Linux's
 * pci_for_each_dma_alias()): its own, then one per aliasing bridge above
 * it (the secondary bus with devfn 0 for a PCIe-to-PCI bridge, the
 * bridge's own ID for a conventional bridge). Writes at most max IDs and
 * returns how many there are (may exceed max).
 */
unsigned pci_dma_alias_rids(const struct pci_dev *dev, uint16_t *rid,
			    unsigned max);

/*
 * Console: one line per group, "group <N>: <sbdf> [<sbdf> ...]"; with
 * verbose two more per group, "  reason: ..." and "  unit: ...". Format
 * in docs/groups.md.
 */
void pci_cmd_groups(const struct pci_group_table *tbl, bool verbose);

#endif
