// SPDX-License-Identifier: MIT
/*
 * BAR sizing (PCI 3.0 6.2.5.1): write all-ones, read back which address
 * bits stick, put the old value back. The size is the lowest writable
 * address bit, which also copes with I/O BARs whose upper 16 bits are
 * hardwired to zero. The expansion ROM BAR is not sized.
 */
#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/log.h"

#define PCI_CLASS_BRIDGE_HOST 0x0600 /* base << 8 | sub-class */

static void pci_bar_warn(const struct pci_dev *d, unsigned i, const char *why)
{
	char name[16];

	pci_sbdf_str(d->sbdf, name, sizeof(name));
	log_warn("PCI %s: BAR %u ignored: %s", name, i, why);
}

/* Write all-ones to a BAR register, return the read-back, restore it. */
static uint32_t pci_bar_probe(pci_sbdf_t sbdf, uint16_t off, uint32_t orig)
{
	uint32_t val;

	pci_cfg_write32(sbdf, off, 0xffffffffu);
	val = pci_cfg_read32(sbdf, off);
	pci_cfg_write32(sbdf, off, orig);
	return val;
}

/* Size BAR i; returns the number of register slots it uses (1 or 2). */
static unsigned pci_bar_size(struct pci_dev *d, unsigned i)
{
	uint16_t off = (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * i);
	uint32_t orig = pci_cfg_read32(d->sbdf, off);
	uint32_t val = pci_bar_probe(d->sbdf, off, orig);
	struct pci_bar *bar = &d->bar[i];
	uint64_t mask, base;
	unsigned type, slots = 1;

	if (orig & PCI_BASE_ADDRESS_SPACE_IO) {
		mask = val & PCI_BASE_ADDRESS_IO_MASK;
		base = orig & PCI_BASE_ADDRESS_IO_MASK;
		bar->kind = PCI_BAR_IO;
	} else {
		type = (unsigned)FIELD_GET(PCI_BASE_ADDRESS_MEM_TYPE_MASK,
					   orig);
		mask = val & PCI_BASE_ADDRESS_MEM_MASK;
		base = orig & PCI_BASE_ADDRESS_MEM_MASK;
		bar->kind = PCI_BAR_MEM32;
		bar->prefetchable = orig & PCI_BASE_ADDRESS_MEM_PREFETCH;
		if (type == PCI_BASE_ADDRESS_MEM_TYPE_64) {
			uint32_t hi;

			if (i + 1 >= d->nbars) {
				pci_bar_warn(d, i,
					     "64-bit BAR in the last slot");
				*bar = (struct pci_bar){0};
				return 1;
			}
			hi = pci_cfg_read32(d->sbdf, off + 4);
			mask |= (uint64_t)pci_bar_probe(d->sbdf, off + 4, hi)
				<< 32;
			base |= (uint64_t)hi << 32;
			bar->kind = PCI_BAR_MEM64;
			slots = 2;
		} else if (type != PCI_BASE_ADDRESS_MEM_TYPE_32 &&
			   type != PCI_BASE_ADDRESS_MEM_TYPE_1M) {
			pci_bar_warn(d, i, "reserved memory type");
			*bar = (struct pci_bar){0};
			return 1;
		}
	}
	if (mask == 0) {
		/* Unimplemented: hardwired to zero. */
		*bar = (struct pci_bar){0};
	} else {
		bar->base = base;
		bar->size = mask & (~mask + 1);
	}
	return slots;
}

void pci_bars_size(struct pci_dev *d)
{
	pci_sbdf_t sbdf = d->sbdf;
	uint16_t cmd = pci_cfg_read16(sbdf, PCI_COMMAND);
	uint16_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	bool toggle = (cmd & decode) != 0;

	/* All-ones from a vanished function would look like huge BARs. */
	if (pci_cfg_read16(sbdf, PCI_VENDOR_ID) == PCI_VENDOR_ID_NONE)
		return;
	/*
	 * While a BAR holds all-ones the function would decode a bogus range
	 * that can overlap RAM or another device's BAR, so decoding is off
	 * during sizing. A host bridge is the exception: it may forward the
	 * CPU's memory cycles to RAM under the same enable (Linux keeps its
	 * decode on too), and its BARs, if any, are not moved by us.
	 */
	if ((d->class >> 8) == PCI_CLASS_BRIDGE_HOST)
		toggle = false;
	/* 16-bit write: status (0x06) error bits are write-1-to-clear. */
	if (toggle)
		pci_cfg_write16(sbdf, PCI_COMMAND, cmd & ~decode);
	for (unsigned i = 0; i < d->nbars && i < PCI_NUM_BARS;)
		i += pci_bar_size(d, i);
	if (toggle)
		pci_cfg_write16(sbdf, PCI_COMMAND, cmd);
}
