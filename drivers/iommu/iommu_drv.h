/* SPDX-License-Identifier: MIT */
/*
 * What an IOMMU driver provides to the IOMMU core. The build links exactly
 * one driver (drivers/iommu/intel/ now, arm-smmu-v3/ later); the core never
 * programs hardware itself and never decides policy in the driver.
 */
#ifndef DRIVERS_IOMMU_IOMMU_DRV_H
#define DRIVERS_IOMMU_IOMMU_DRV_H

#include "drivers/iommu/iommu.h"

/*
 * Bring up unit u from its DRHD with every device blocked (no context
 * entry present), translation on. On refusal returns a negative error and
 * fills u->why; the unit is then left with translation as firmware left it
 * (the core refuses its groups).
 */
int iommu_drv_unit_init(struct iommu_unit *u, const struct acpi_drhd *drhd,
			enum iommu_mode want);

/* Per-domain hardware state (page tables at a width every unit takes). */
int iommu_drv_domain_init(struct iommu_domain *d);
void iommu_drv_domain_destroy(struct iommu_domain *d);

int iommu_drv_map(struct iommu_domain *d, iova_t iova, hpa_t pa, uint64_t size,
		  unsigned prot);
int iommu_drv_unmap(struct iommu_domain *d, iova_t iova, uint64_t size);

/*
 * Point every requester ID in rids at dom (NULL: blocked), replacing old
 * (NULL: they were blocked), with one batch of invalidations at the end:
 * after it returns 0 no cached translation of old remains for them. Each
 * entry changes in one atomic store, so at no instant does a device see a
 * half-written entry. Refuses (changing nothing) when dom's tables do not
 * fit the unit.
 */
int iommu_drv_set_rids(struct iommu_unit *u, const uint16_t *rids, unsigned n,
		       struct iommu_domain *dom, struct iommu_domain *old);

/* Whether the unit can hold (device, PASID) attachments. */
bool iommu_drv_pasid_capable(const struct iommu_unit *u);

/* Same for one (rid, pasid) entry (scalable mode only). */
int iommu_drv_set_pasid(struct iommu_unit *u, uint16_t rid, uint32_t pasid,
			struct iommu_domain *dom, struct iommu_domain *old);

/* Drop the unit's domain id of d (d no longer attached on u). */
void iommu_drv_unit_release(struct iommu_unit *u, struct iommu_domain *d);

/* Read and clear the unit's fault records into the core's ring. */
void iommu_drv_poll_faults(struct iommu_unit *u);

/* Console: the unit's identity, capabilities and state. */
void iommu_drv_print_unit(const struct iommu_unit *u);

/* Console: the domain's ids per unit and table use, one line. */
void iommu_drv_print_domain(const struct iommu_domain *d);

/*
 * Console: walk the tables for (rid[, pasid], iova) as the hardware would,
 * printing every level's entry and the result.
 */
int iommu_drv_walk(struct iommu_unit *u, uint16_t rid, bool with_pasid,
		   uint32_t pasid, iova_t iova);

#endif
