// SPDX-License-Identifier: MIT
/*
 * ECAM configuration access (PCIe 5.0 7.2.2): function (bus, devfn) of a
 * segment has its 4 KiB of config space at base + bus << 20 + devfn << 12,
 * where base is that of bus 0 even when the window starts at a later bus
 * (the MCFG rule). The core identity-maps every window uncached, so the
 * physical address is dereferenced directly through volatile pointers.
 */
#include "drivers/pci/cfg.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "kernel/log.h"

#define PCI_ECAM_BUS_SIZE (1ull << PCI_ECAM_BUS_SHIFT)
/* x86-64 physical addresses have at most 52 bits. */
#define PCI_ECAM_PHYS_LIMIT (1ull << 52)

static struct acpi_ecam pci_ecam_win[ACPI_MAX_ECAM];
static unsigned pci_ecam_nwin;

/* First and last byte the window's buses occupy. */
static uint64_t pci_ecam_first(const struct acpi_ecam *w)
{
	return w->base + ((uint64_t)w->bus_start << PCI_ECAM_BUS_SHIFT);
}

static uint64_t pci_ecam_last(const struct acpi_ecam *w)
{
	return w->base + ((uint64_t)(w->bus_end + 1) << PCI_ECAM_BUS_SHIFT) - 1;
}

/* Why w cannot be used next to the windows kept so far, or NULL. */
static const char *pci_ecam_check(const struct acpi_ecam *w)
{
	uint64_t size = (uint64_t)(w->bus_end + 1) << PCI_ECAM_BUS_SHIFT;

	if (w->base == 0 || w->base == UINT64_MAX)
		return "base is 0 or all-ones";
	if (!IS_ALIGNED(w->base, PCI_ECAM_BUS_SIZE))
		return "base not 1 MiB aligned";
	if (w->bus_start > w->bus_end)
		return "bus_start above bus_end";
	if (w->base >= PCI_ECAM_PHYS_LIMIT ||
	    size > PCI_ECAM_PHYS_LIMIT - w->base)
		return "window beyond the physical address space";
	for (unsigned i = 0; i < pci_ecam_nwin; i++) {
		const struct acpi_ecam *o = &pci_ecam_win[i];

		if (o->segment == w->segment && w->bus_start <= o->bus_end &&
		    o->bus_start <= w->bus_end)
			return "buses overlap an earlier window";
		if (pci_ecam_first(w) <= pci_ecam_last(o) &&
		    pci_ecam_first(o) <= pci_ecam_last(w))
			return "addresses overlap an earlier window";
	}
	return NULL;
}

/* Keep w, sorted by (segment, bus_start). */
static void pci_ecam_insert(const struct acpi_ecam *w)
{
	unsigned i = pci_ecam_nwin++;

	for (; i > 0; i--) {
		const struct acpi_ecam *p = &pci_ecam_win[i - 1];

		if (p->segment < w->segment ||
		    (p->segment == w->segment && p->bus_start < w->bus_start))
			break;
		pci_ecam_win[i] = *p;
	}
	pci_ecam_win[i] = *w;
}

static const struct acpi_ecam *pci_ecam_find(uint16_t seg, uint8_t bus)
{
	for (unsigned i = 0; i < pci_ecam_nwin; i++) {
		const struct acpi_ecam *w = &pci_ecam_win[i];

		if (w->segment == seg && bus >= w->bus_start &&
		    bus <= w->bus_end)
			return w;
	}
	return NULL;
}

/* Address of the register, 0 when no window covers the bus. */
static uintptr_t pci_ecam_addr(uint16_t seg, uint8_t bus, uint8_t devfn,
			       uint16_t off)
{
	const struct acpi_ecam *w = pci_ecam_find(seg, bus);

	if (!w)
		return 0;
	return (uintptr_t)(w->base + ((uint64_t)bus << PCI_ECAM_BUS_SHIFT) +
			   ((uint64_t)devfn << PCI_ECAM_DEVFN_SHIFT) + off);
}

static uint32_t pci_ecam_read(uint16_t seg, uint8_t bus, uint8_t devfn,
			      uint16_t off, unsigned width)
{
	uintptr_t a = pci_ecam_addr(seg, bus, devfn, off);

	/* All-ones is what hardware answers for an absent function. */
	if (!a)
		return 0xffffffffu;
	switch (width) {
	case 1:
		return *(volatile uint8_t *)a;
	case 2:
		return *(volatile uint16_t *)a;
	default:
		return *(volatile uint32_t *)a;
	}
}

static void pci_ecam_write(uint16_t seg, uint8_t bus, uint8_t devfn,
			   uint16_t off, unsigned width, uint32_t val)
{
	uintptr_t a = pci_ecam_addr(seg, bus, devfn, off);
	static bool logged;
	char name[16];

	if (!a) {
		if (!logged) {
			logged = true;
			pci_sbdf_str(PCI_SBDF(seg, bus, devfn >> 3, devfn & 7),
				     name, sizeof(name));
			log_warn(
				"PCI %s: config write at 0x%x outside every ECAM window dropped (further ones not logged)",
				name, off);
		}
		return;
	}
	switch (width) {
	case 1:
		*(volatile uint8_t *)a = (uint8_t)val;
		break;
	case 2:
		*(volatile uint16_t *)a = (uint16_t)val;
		break;
	default:
		*(volatile uint32_t *)a = val;
		break;
	}
}

static const struct pci_cfg_ops pci_ecam_ops = {
	.read = pci_ecam_read,
	.write = pci_ecam_write,
};

int pci_ecam_init(const struct acpi_ecam *win, unsigned n)
{
	pci_ecam_nwin = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct acpi_ecam *w = &win[i];
		const char *why = pci_ecam_check(w);

		if (!why && pci_ecam_nwin == ACPI_MAX_ECAM)
			why = "too many windows";
		if (why) {
			log_err("PCI: ECAM window %u (segment %04x buses %02x-%02x at 0x%llx) ignored: %s",
				i, w->segment, w->bus_start, w->bus_end,
				(unsigned long long)w->base, why);
			continue;
		}
		pci_ecam_insert(w);
	}
	pci_cfg_set_ops(&pci_ecam_ops);
	if (pci_ecam_nwin == 0) {
		log_err("PCI: no usable ECAM window, no PCI function will be found");
		return -HV_ENODEV;
	}
	return 0;
}

unsigned pci_ecam_count(void)
{
	return pci_ecam_nwin;
}

const struct acpi_ecam *pci_ecam_window(unsigned i)
{
	return i < pci_ecam_nwin ? &pci_ecam_win[i] : NULL;
}
