// SPDX-License-Identifier: MIT
/* Fake PCI configuration space (see fakecfg.h). Host only: uses calloc. */
#include <stdlib.h>
#include <string.h>

#include "drivers/pci/cfg.h"
#include "drivers/pci/pci_regs.h"
#include "fakecfg.h"

#define FAKE_SEGS 4 /* segments 0-3 */

/* Direct table: segment -> (bus << 8 | devfn) -> function. */
static struct fake_fn **fake_tab[FAKE_SEGS];
static unsigned fake_violations;
static unsigned long fake_nreads;

void fake_reset(void)
{
	for (unsigned s = 0; s < FAKE_SEGS; s++) {
		if (!fake_tab[s])
			continue;
		for (unsigned i = 0; i < 65536; i++)
			free(fake_tab[s][i]);
		free(fake_tab[s]);
		fake_tab[s] = NULL;
	}
	fake_violations = 0;
	fake_nreads = 0;
	pci_cfg_set_ops(NULL);
}

static struct fake_fn *fake_lookup(uint16_t seg, uint8_t bus, uint8_t devfn)
{
	if (seg >= FAKE_SEGS || !fake_tab[seg])
		return NULL;
	return fake_tab[seg][bus << 8 | devfn];
}

struct fake_fn *fake_get(pci_sbdf_t sbdf)
{
	return fake_lookup(PCI_SBDF_SEG(sbdf), PCI_SBDF_BUS(sbdf),
			   (uint8_t)sbdf);
}

void fake_w8(struct fake_fn *f, uint16_t off, uint8_t v)
{
	f->cfg[off] = v;
}

void fake_w16(struct fake_fn *f, uint16_t off, uint16_t v)
{
	f->cfg[off] = (uint8_t)v;
	f->cfg[off + 1] = (uint8_t)(v >> 8);
}

void fake_w32(struct fake_fn *f, uint16_t off, uint32_t v)
{
	fake_w16(f, off, (uint16_t)v);
	fake_w16(f, off + 2, (uint16_t)(v >> 16));
}

uint16_t fake_r16(const struct fake_fn *f, uint16_t off)
{
	return (uint16_t)(f->cfg[off] | f->cfg[off + 1] << 8);
}

uint32_t fake_r32(const struct fake_fn *f, uint16_t off)
{
	return fake_r16(f, off) | (uint32_t)fake_r16(f, off + 2) << 16;
}

void fake_set_writable(struct fake_fn *f)
{
	f->all_writable = true;
}

struct fake_fn *fake_add(pci_sbdf_t sbdf, uint16_t vendor, uint16_t device,
			 uint32_t class, uint8_t header)
{
	uint16_t seg = PCI_SBDF_SEG(sbdf);
	struct fake_fn *f;

	if (seg >= FAKE_SEGS)
		abort();
	if (!fake_tab[seg])
		fake_tab[seg] = calloc(65536, sizeof(*fake_tab[seg]));
	f = calloc(1, sizeof(*f));
	if (!fake_tab[seg] || !f)
		abort();
	free(fake_tab[seg][(uint16_t)sbdf]);
	fake_tab[seg][(uint16_t)sbdf] = f;
	f->sbdf = sbdf;
	fake_w16(f, PCI_VENDOR_ID, vendor);
	fake_w16(f, PCI_DEVICE_ID, device);
	fake_w32(f, PCI_REVISION_ID, class << 8 | 0x01);
	fake_w8(f, PCI_HEADER_TYPE, header);
	return f;
}

void fake_set_bus(struct fake_fn *f, uint8_t pri, uint8_t sec, uint8_t sub)
{
	fake_w8(f, PCI_PRIMARY_BUS, pri);
	fake_w8(f, PCI_SECONDARY_BUS, sec);
	fake_w8(f, PCI_SUBORDINATE_BUS, sub);
}

struct fake_fn *fake_add_bridge(pci_sbdf_t sbdf, uint8_t sec, uint8_t sub)
{
	struct fake_fn *f = fake_add(sbdf, 0x8086, 0x1234, 0x060400,
				     PCI_HEADER_TYPE_BRIDGE);

	fake_set_bus(f, PCI_SBDF_BUS(sbdf), sec, sub);
	return f;
}

void fake_add_cap(struct fake_fn *f, uint8_t off, uint8_t id)
{
	uint16_t link = f->last_cap ? f->last_cap + PCI_CAP_LIST_NEXT
				    : PCI_CAPABILITY_LIST;

	fake_w8(f, link, off);
	fake_w8(f, off + PCI_CAP_LIST_ID, id);
	fake_w8(f, off + PCI_CAP_LIST_NEXT, 0);
	fake_w16(f, PCI_STATUS, fake_r16(f, PCI_STATUS) | PCI_STATUS_CAP_LIST);
	f->last_cap = off;
}

void fake_add_pcie(struct fake_fn *f, uint8_t off, uint8_t type,
		   uint32_t devcap)
{
	fake_add_cap(f, off, PCI_CAP_ID_EXP);
	fake_w16(f, off + PCI_EXP_FLAGS, (uint16_t)(2 | type << 4));
	fake_w32(f, off + PCI_EXP_DEVCAP, devcap);
}

void fake_add_ecap(struct fake_fn *f, uint16_t off, uint16_t id)
{
	if (f->last_ecap) {
		uint32_t hdr = fake_r32(f, f->last_ecap);

		fake_w32(f, f->last_ecap,
			 (hdr & 0xfffff) | (uint32_t)off << 20);
	}
	fake_w32(f, off, id | 1u << 16);
	f->last_ecap = off;
}

void fake_set_bar(struct fake_fn *f, unsigned i, uint32_t flags, uint64_t size,
		  uint64_t base)
{
	uint16_t off = (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * i);
	uint64_t mask = size ? ~(size - 1) : 0;
	bool is64 = !(flags & PCI_BASE_ADDRESS_SPACE_IO) &&
		    (flags & 6) == PCI_BASE_ADDRESS_MEM_TYPE_64 << 1;
	uint32_t low = (flags & 1) ? 3 : 15; /* read-only type bits */

	f->bar_mask[i] = (uint32_t)mask & ~low;
	fake_w32(f, off, ((uint32_t)base & ~low) | flags);
	if (is64) {
		f->bar_mask[i + 1] = (uint32_t)(mask >> 32);
		fake_w32(f, off + 4, (uint32_t)(base >> 32));
	}
}

/* Writable bits of config byte off (status handled by the caller). */
static uint8_t fake_wmask(const struct fake_fn *f, uint16_t off)
{
	unsigned hdr = f->cfg[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK;
	unsigned nbars = hdr == PCI_HEADER_TYPE_BRIDGE ? 2 : 6;

	if (f->all_writable)
		return 0xff;
	if (off == PCI_COMMAND || off == PCI_COMMAND + 1 ||
	    off == PCI_INTERRUPT_LINE)
		return 0xff;
	if (off >= PCI_BASE_ADDRESS_0 && off < PCI_BASE_ADDRESS_0 + 4 * nbars)
		return (uint8_t)(f->bar_mask[(off - PCI_BASE_ADDRESS_0) / 4] >>
				 (8 * (off % 4)));
	if (hdr == PCI_HEADER_TYPE_BRIDGE && off >= PCI_PRIMARY_BUS &&
	    off <= PCI_SUBORDINATE_BUS)
		return 0xff;
	return 0;
}

static bool fake_expected(const struct fake_fn *f, uint16_t off)
{
	unsigned hdr = f->cfg[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK;

	return off == PCI_COMMAND ||
	       (off >= PCI_BASE_ADDRESS_0 &&
		off < (hdr == PCI_HEADER_TYPE_BRIDGE ? PCI_PRIMARY_BUS
						     : PCI_CARDBUS_CIS)) ||
	       (hdr == PCI_HEADER_TYPE_BRIDGE && off >= PCI_PRIMARY_BUS &&
		off <= PCI_SUBORDINATE_BUS);
}

static uint32_t fake_read(uint16_t seg, uint8_t bus, uint8_t devfn,
			  uint16_t off, unsigned width)
{
	struct fake_fn *f = fake_lookup(seg, bus, devfn);
	uint32_t v = 0;

	fake_nreads++;
	if (!f)
		return width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	return v;
}

static void fake_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off,
		       unsigned width, uint32_t val)
{
	struct fake_fn *f = fake_lookup(seg, bus, devfn);

	if (!f)
		return;
	f->writes++;
	if (!fake_expected(f, off))
		f->odd_writes++;
	if (width == 4 && val == 0xffffffffu && off >= PCI_BASE_ADDRESS_0 &&
	    off <= PCI_BASE_ADDRESS_5 &&
	    (fake_r16(f, PCI_COMMAND) & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
		fake_violations++;
	for (unsigned i = 0; i < width; i++) {
		uint16_t o = (uint16_t)(off + i);
		uint8_t b = (uint8_t)(val >> (8 * i));
		uint8_t m = fake_wmask(f, o);

		/* Status bits 8 and 11-15 are write-1-to-clear. */
		if (o == PCI_STATUS + 1 && !f->all_writable)
			f->cfg[o] &= (uint8_t) ~(b & 0xf9);
		else
			f->cfg[o] = (uint8_t)((f->cfg[o] & ~m) | (b & m));
	}
}

static const struct pci_cfg_ops fake_ops = {
	.read = fake_read,
	.write = fake_write,
};

void fake_install_windows(const struct acpi_ecam *win, unsigned n)
{
	pci_ecam_init(win, n);
	pci_cfg_set_ops(&fake_ops);
}

void fake_install(void)
{
	static const struct acpi_ecam all = {.base = FAKE_ECAM_BASE,
					     .segment = 0,
					     .bus_start = 0,
					     .bus_end = 0xff};

	fake_install_windows(&all, 1);
}

unsigned fake_decode_violations(void)
{
	return fake_violations;
}

unsigned long fake_reads(void)
{
	return fake_nreads;
}
