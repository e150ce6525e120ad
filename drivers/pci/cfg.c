// SPDX-License-Identifier: MIT
/*
 * Configuration space access wrappers: check the access, then call the
 * selected backend.
 */
#include "drivers/pci/cfg.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/log.h"

static const struct pci_cfg_ops *pci_cfg_ops;

void pci_cfg_set_ops(const struct pci_cfg_ops *ops)
{
	pci_cfg_ops = ops;
}

/* Width 1/2/4, naturally aligned, inside the 4 KiB of one function. */
static bool pci_cfg_ok(pci_sbdf_t sbdf, uint16_t off, unsigned width)
{
	static bool logged;
	char name[16];

	if (off < PCI_CFG_SPACE_EXP_SIZE && (off & (width - 1)) == 0)
		return true;
	if (!logged) {
		logged = true;
		pci_sbdf_str(sbdf, name, sizeof(name));
		log_err("PCI %s: refused %u-byte config access at 0x%x (further ones not logged)",
			name, width, off);
	}
	return false;
}

static uint32_t pci_cfg_read(pci_sbdf_t sbdf, uint16_t off, unsigned width)
{
	if (!pci_cfg_ok(sbdf, off, width) || !pci_cfg_ops)
		return 0xffffffffu;
	return pci_cfg_ops->read(PCI_SBDF_SEG(sbdf), PCI_SBDF_BUS(sbdf),
				 (uint8_t)sbdf, off, width);
}

static void pci_cfg_write(pci_sbdf_t sbdf, uint16_t off, unsigned width,
			  uint32_t val)
{
	if (!pci_cfg_ok(sbdf, off, width) || !pci_cfg_ops)
		return;
	pci_cfg_ops->write(PCI_SBDF_SEG(sbdf), PCI_SBDF_BUS(sbdf),
			   (uint8_t)sbdf, off, width, val);
}

uint8_t pci_cfg_read8(pci_sbdf_t sbdf, uint16_t off)
{
	return (uint8_t)pci_cfg_read(sbdf, off, 1);
}

uint16_t pci_cfg_read16(pci_sbdf_t sbdf, uint16_t off)
{
	return (uint16_t)pci_cfg_read(sbdf, off, 2);
}

uint32_t pci_cfg_read32(pci_sbdf_t sbdf, uint16_t off)
{
	return pci_cfg_read(sbdf, off, 4);
}

void pci_cfg_write8(pci_sbdf_t sbdf, uint16_t off, uint8_t val)
{
	pci_cfg_write(sbdf, off, 1, val);
}

void pci_cfg_write16(pci_sbdf_t sbdf, uint16_t off, uint16_t val)
{
	pci_cfg_write(sbdf, off, 2, val);
}

void pci_cfg_write32(pci_sbdf_t sbdf, uint16_t off, uint32_t val)
{
	pci_cfg_write(sbdf, off, 4, val);
}
