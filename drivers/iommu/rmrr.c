// SPDX-License-Identifier: MIT
/*
 * Reserved memory regions (DMAR RMRR, VT-d spec 8.4): firmware says some
 * devices keep doing DMA to these ranges (USB legacy emulation, GPU
 * stolen memory). They are honoured only for the devices the RMRR names:
 * each such group gets its own domain, owned by "rmrr", that identity-maps
 * exactly those ranges, and nothing else.
 */
#include "drivers/iommu/dmar_scope.h"
#include "drivers/iommu/iommu.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

#define RMRR_MAX_DEVS 64

/* Identity-map one RMRR in the domain of each group it names. */
static void rmrr_apply(const struct acpi_dmar *dmar, unsigned i,
		       struct pci_group_table *groups)
{
	const struct acpi_rmrr *r = &dmar->rmrr[i];
	uint32_t devs[RMRR_MAX_DEVS];
	int n = dmar_rmrr_devices(dmar, i, groups->topo, devs, RMRR_MAX_DEVS);

	for (int k = 0; k < n && k < RMRR_MAX_DEVS; k++) {
		struct pci_dev *dev = &groups->topo->dev[devs[k]];
		const struct pci_group *g = pci_group_of(groups, dev);
		struct iommu_domain *d = iommu_group_domain(g);
		uint64_t base = ALIGN_DOWN(r->base, PAGE_SIZE);
		uint64_t size = ALIGN_UP(r->limit + 1, PAGE_SIZE) - base;
		int rc = 0;

		if (!d) {
			d = iommu_domain_alloc("rmrr");
			rc = d ? iommu_attach(g, d) : -HV_ENOMEM;
		}
		if (!rc)
			rc = iommu_map(d, iova(base), hpa(base), size,
				       IOMMU_READ | IOMMU_WRITE);
		if (rc && rc != -HV_EEXIST)
			log_err("IOMMU: RMRR %u (0x%llx-0x%llx) for group %d "
				"not mapped: %s",
				i, (unsigned long long)r->base,
				(unsigned long long)r->limit, g ? g->id : -1,
				hv_strerror(rc));
		else
			log_info("IOMMU: RMRR %u 0x%llx-0x%llx identity-mapped "
				 "for group %d (domain %d)",
				 i, (unsigned long long)r->base,
				 (unsigned long long)r->limit, g->id, d->id);
	}
}

void iommu_rmrr_init(const struct acpi_dmar *dmar,
		     struct pci_group_table *groups)
{
	for (unsigned i = 0; dmar->present && i < dmar->nrmrr; i++)
		rmrr_apply(dmar, i, groups);
}

void iommu_rmrr_print(const struct acpi_dmar *dmar,
		      struct pci_group_table *groups)
{
	if (!dmar->present || dmar->nrmrr == 0) {
		console_printf("rmrr: none\n");
		return;
	}
	for (unsigned i = 0; i < dmar->nrmrr; i++) {
		const struct acpi_rmrr *r = &dmar->rmrr[i];
		uint32_t devs[RMRR_MAX_DEVS];
		int n = dmar_rmrr_devices(dmar, i, groups->topo, devs,
					  RMRR_MAX_DEVS);

		console_printf("rmrr %u: 0x%llx-0x%llx for", i,
			       (unsigned long long)r->base,
			       (unsigned long long)r->limit);
		for (int k = 0; k < n && k < RMRR_MAX_DEVS; k++) {
			char bdf[16];

			pci_sbdf_str(groups->topo->dev[devs[k]].sbdf, bdf,
				     sizeof(bdf));
			console_printf(" %s", bdf);
		}
		console_printf("%s\n", n > 0 ? "" : " no present device");
	}
}
