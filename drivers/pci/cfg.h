/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space access. One backend is selected at init: ECAM
 * (ecam.c) in the hypervisor, a fake config space in host tests. Callers
 * use the pci_cfg_read and pci_cfg_write wrappers, which refuse offsets
 * >= 4096 and misaligned accesses (our own bug: logged once, reads return
 * all-ones, writes are dropped).
 */
#ifndef DRIVERS_PCI_CFG_H
#define DRIVERS_PCI_CFG_H

#include "drivers/pci/pci.h"
#include "kernel/acpi/acpi.h"

struct pci_cfg_ops {
	/* width is 1, 2 or 4 and off is naturally aligned and < 4096. */
	uint32_t (*read)(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off,
			 unsigned width);
	void (*write)(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off,
		      unsigned width, uint32_t val);
};

/* Select the backend (NULL: reads return all-ones, writes are dropped). */
void pci_cfg_set_ops(const struct pci_cfg_ops *ops);

uint8_t pci_cfg_read8(pci_sbdf_t sbdf, uint16_t off);
uint16_t pci_cfg_read16(pci_sbdf_t sbdf, uint16_t off);
uint32_t pci_cfg_read32(pci_sbdf_t sbdf, uint16_t off);
void pci_cfg_write8(pci_sbdf_t sbdf, uint16_t off, uint8_t val);
void pci_cfg_write16(pci_sbdf_t sbdf, uint16_t off, uint16_t val);
void pci_cfg_write32(pci_sbdf_t sbdf, uint16_t off, uint32_t val);

/*
 * ECAM windows from the ACPI MCFG. Validates each window (base neither 0
 * nor all-ones, 1 MiB aligned, bus_start <= bus_end, no address wrap, no
 * overlap in buses of the same segment or in addresses with an earlier
 * window); a bad one is reported in one line and ignored. Keeps the good
 * ones sorted by (segment, bus_start) and selects ECAM as the config
 * backend. The caller must have mapped every window uncached at its
 * physical address (identity). Returns 0, or -HV_ENODEV when no window is
 * usable (config reads then return all-ones).
 */
int pci_ecam_init(const struct acpi_ecam *win, unsigned n);

/* The accepted windows, sorted; i < pci_ecam_count(). */
unsigned pci_ecam_count(void);
const struct acpi_ecam *pci_ecam_window(unsigned i);

#endif
