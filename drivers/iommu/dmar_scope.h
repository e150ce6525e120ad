/* SPDX-License-Identifier: MIT */
/*
 * DMAR device scopes resolved against the PCI topology (VT-d 3.4 spec,
 * 8.3 DRHD, 8.3.1 Device Scope, 8.4 RMRR): which remapping unit (DRHD)
 * translates each function, and which functions an RMRR names.
 *
 * A scope is a start bus and a path of (device, function) hops: the first
 * hop is on the start bus, each further hop on the secondary bus of the
 * bridge the previous one named. An endpoint scope covers exactly the
 * function it names; a bridge (sub-hierarchy) scope covers the bridge and
 * every function on a bus in its secondary..subordinate range. A function
 * no scope covers belongs to the INCLUDE_PCI_ALL DRHD of its segment, if
 * any. Like Linux's device_to_iommu(), the first DRHD (table order) whose
 * scope matches wins. IOAPIC, HPET and ACPI namespace scopes name no PCI
 * function and are skipped.
 */
#ifndef DRIVERS_IOMMU_DMAR_SCOPE_H
#define DRIVERS_IOMMU_DMAR_SCOPE_H

#include "drivers/pci/pci.h"
#include "kernel/acpi/acpi.h"

/*
 * Index in t->dev of the function a PCI scope (endpoint or bridge) names
 * on segment seg, or -1 when the path leads nowhere or the scope type does
 * not match the function (endpoint scope on a bridge or the reverse).
 * Quiet: dmar_assign_units() reports bad scopes.
 */
int dmar_scope_resolve(const struct pci_topology *t, uint16_t seg,
		       const struct acpi_dmar_scope *s);

/* DRHD index covering dev, or -1. Resolves the scopes on each call. */
int dmar_drhd_for_dev(const struct acpi_dmar *dmar,
		      const struct pci_topology *t, const struct pci_dev *dev);

/*
 * Set dev->unit of every function of t (-1 when no DRHD covers it, or
 * when dmar is NULL or not present). Each scope that names no function is
 * logged once ("DMAR: DRHD 1 scope 0: ...") and ignored. Returns the
 * number of problems logged.
 */
int dmar_assign_units(const struct acpi_dmar *dmar, struct pci_topology *t);

/*
 * Functions whose DMA an RMRR concerns: the functions its endpoint scopes
 * name, and for a bridge scope the bridge and everything below it. Writes
 * their indices in t->dev, ascending, to out and returns how many;
 * -HV_EINVAL for a bad RMRR index, -HV_ENOMEM when more than max.
 */
int dmar_rmrr_devices(const struct acpi_dmar *dmar, unsigned rmrr,
		      const struct pci_topology *t, uint32_t *out,
		      unsigned max);

#endif
