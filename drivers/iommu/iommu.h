/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU core (DESIGN.md, "IOMMU core model"): units, domains, and the
 * only operations that move a group's or a (device, PASID)'s domain:
 * attach, detach and replace. The group rules are enforced here, not in
 * callers; the hardware driver (drivers/iommu/intel/) only programs entries
 * and invalidates.
 */
#ifndef DRIVERS_IOMMU_IOMMU_H
#define DRIVERS_IOMMU_IOMMU_H

#include "drivers/pci/group.h"
#include "drivers/pci/pci.h"
#include "kernel/acpi/acpi.h"
#include "kernel/mm/addr.h"
#include "kernel/types.h"

#define IOMMU_MAX_UNITS	  ACPI_MAX_DRHD
#define IOMMU_MAX_DOMAINS 64
#define IOMMU_MAX_PASIDS  64 /* (device, PASID) attachments in all */
#define IOMMU_OWNER_MAX	  16
#define IOMMU_MAX_RIDS	  64 /* requester IDs of one group, aliases included */

#define IOMMU_READ  BIT(0)
#define IOMMU_WRITE BIT(1)

enum iommu_mode { IOMMU_MODE_AUTO, IOMMU_MODE_LEGACY, IOMMU_MODE_SCALABLE };

struct vtd_unit;

struct iommu_unit {
	int index; /* DRHD index */
	uint16_t segment;
	uint64_t reg_base;
	bool up;       /* translation enabled, everything blocked or attached */
	char why[160]; /* when !up: why the unit was refused */
	struct vtd_unit *hw; /* the driver's state */
};

struct iommu_domain {
	int id;
	bool in_use;
	char owner[IOMMU_OWNER_MAX];
	unsigned ngroups; /* groups attached (requests without PASID) */
	unsigned npasids; /* (device, PASID) attachments */
	uint64_t mapped_bytes;
	unsigned table_pages;
	void *hw; /* the driver's per-domain state (page tables, domain ids) */
};

/* A (device, PASID) attachment. */
struct iommu_pasid_attach {
	bool used;
	pci_sbdf_t dev;
	uint32_t pasid;
	struct iommu_domain *domain;
};

struct fault_ring;

extern struct iommu_unit iommu_units[IOMMU_MAX_UNITS];
/* Recent faults of every unit (drivers push, `faults` shows). */
extern struct fault_ring iommu_fault_ring;
extern unsigned iommu_nunits;
extern enum iommu_mode iommu_mode_wanted;

/*
 * Bring up every DRHD unit with all devices blocked, after clearing bus
 * mastering on every function. Units that cannot be used safely are
 * reported and left without translation; their groups can never be
 * attached. Returns the number of units up.
 */
int iommu_init(const struct acpi_dmar *dmar, struct pci_group_table *groups);

/* A new empty domain owned by owner, or NULL (table full or no unit). */
struct iommu_domain *iommu_domain_alloc(const char *owner);

/* Free a domain; -HV_EBUSY while anything is attached to it. */
int iommu_domain_free(struct iommu_domain *d);

/* Map [iova, iova + size) to [pa, pa + size) with IOMMU_READ/WRITE. */
int iommu_map(struct iommu_domain *d, iova_t iova, hpa_t pa, uint64_t size,
	      unsigned prot);

/* Unmap exactly [iova, iova + size); invalidates before returning. */
int iommu_unmap(struct iommu_domain *d, iova_t iova, uint64_t size);

/*
 * Attach a blocked group to d: every member (and every requester ID its
 * DMA can carry) is switched in one step. -HV_EBUSY when the group is
 * attached already (use replace), -HV_EPERM for a group without a usable
 * unit or spanning units.
 */
int iommu_attach(const struct pci_group *g, struct iommu_domain *d);

/* Back to blocked: bus mastering cleared on every member first. */
int iommu_detach(const struct pci_group *g);

/* Switch an attached group to d atomically (no blocked or untranslated gap). */
int iommu_replace(const struct pci_group *g, struct iommu_domain *d);

/*
 * (device, PASID) -> d. Only a device alone in its group (no aliases) on a
 * scalable-mode unit with PASID support may have these; PASID 0 is the
 * requests-without-PASID entry and is refused here.
 */
int iommu_attach_pasid(struct pci_dev *dev, uint32_t pasid,
		       struct iommu_domain *d);
int iommu_detach_pasid(struct pci_dev *dev, uint32_t pasid);

/*
 * The unit through which a group is isolated (principle 5), or NULL when
 * it cannot be: no unit, a unit that is not up, or members behind several.
 */
struct iommu_unit *iommu_group_unit(const struct pci_group *g);

/* The domain a group is attached to, or NULL when blocked. */
struct iommu_domain *iommu_group_domain(const struct pci_group *g);

/*
 * Bus mastering of a function: enabling is refused (-HV_EPERM) unless its
 * group is attached to a domain (principle 2). Bridges on the path to the
 * root are enabled with it.
 */
int iommu_dev_set_bus_master(struct pci_dev *dev, bool on);

/* Read and decode pending fault records of every unit. */
void iommu_poll_faults(void);

/* For the console: "blocked", "domain N (owner)" or "not isolatable". */
const char *iommu_group_state(const struct pci_group *g, char *buf,
			      size_t size);

/* Iterate attachments and domains (NULL for unused slots). */
bool iommu_pasid_get(unsigned i, const struct iommu_pasid_attach **a);
bool iommu_domain_get(unsigned i, struct iommu_domain **d);
unsigned iommu_domain_groups(const struct iommu_domain *d, int *ids,
			     unsigned max);

/*
 * RMRRs: identity-map each in a domain of its own for the groups it names
 * (at boot, after iommu_init), and list them for the console.
 */
void iommu_rmrr_init(const struct acpi_dmar *dmar,
		     struct pci_group_table *groups);
void iommu_rmrr_print(const struct acpi_dmar *dmar,
		      struct pci_group_table *groups);

/* `iommu selftest BDF` (drivers/iommu/selftest.c). */
int iommu_selftest(struct pci_dev *dev);

/* `iommu storm BDF... [-n ROUNDS]` (drivers/iommu/storm.c). */
int iommu_storm(int argc, char **argv);

/* Console commands. */
int iommu_cmd_iommu(int argc, char **argv);
int iommu_cmd_domains(int argc, char **argv);
int iommu_cmd_faults(int argc, char **argv);

#endif
