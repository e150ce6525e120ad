// SPDX-License-Identifier: MIT
/*
 * Enumeration. Buses of a window are scanned in ascending order, each bus
 * once it is known to be reachable (the window's first bus, or the
 * secondary bus of an accepted bridge). A bridge is accepted only when its
 * secondary bus is above its own bus, so every bridge leading to a bus has
 * been seen before that bus comes up: one ascending pass finds everything
 * and appends functions already sorted by sbdf, which also keeps parent
 * pointers valid (entries never move). Depth is bounded by the bus
 * numbers themselves (each level is a higher bus), so no recursion.
 */
#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

#define PCI_BUS_OUTSIDE (-2) /* not in the window being scanned */
#define PCI_BUS_ROOT	(-1) /* in the window, behind no bridge */
#define PCI_NO_PARENT	(-1)

/* Per bus of the window being scanned. */
static struct pci_bus_state {
	int owner;  /* innermost bridge whose range holds the bus, or above */
	int parent; /* bridge whose secondary bus it is (when reached) */
	bool reached;
} pci_bus[256];

struct pci_scan {
	struct pci_topology *t;
	const struct acpi_ecam *win;
	bool overflow;
};

/* Absent functions read all-ones; vendor 0 is not valid either. */
static bool pci_fn_present(pci_sbdf_t sbdf)
{
	uint16_t vendor = pci_cfg_read16(sbdf, PCI_VENDOR_ID);

	return vendor != PCI_VENDOR_ID_NONE && vendor != 0;
}

static void pci_bus_claim(int bridge, uint8_t sec, uint8_t sub)
{
	for (unsigned b = sec; b <= sub; b++)
		pci_bus[b].owner = bridge;
	pci_bus[sec].reached = true;
	pci_bus[sec].parent = bridge;
}

/* Why the buses of bridge t->dev[idx] cannot be followed, or NULL. */
static const char *pci_bridge_check(struct pci_scan *s, int idx, char *buf,
				    size_t size)
{
	const struct pci_dev *d = &s->t->dev[idx];
	uint8_t bus = PCI_SBDF_BUS(d->sbdf);
	uint8_t sec = d->secondary_bus, sub = d->subordinate_bus;
	int own = pci_bus[bus].owner;
	unsigned first = s->win->bus_start, last = s->win->bus_end;

	if (own != PCI_BUS_ROOT) {
		first = s->t->dev[own].secondary_bus;
		last = s->t->dev[own].subordinate_bus;
	}
	if (sec <= bus)
		return "secondary bus not above the bridge's bus";
	if (sub < sec)
		return "subordinate bus below secondary bus";
	if (sub > last) {
		snprintf(buf, size, "outside the %s buses %02x-%02x",
			 own == PCI_BUS_ROOT ? "ECAM window's" : "parent's",
			 first, last);
		return buf;
	}
	for (unsigned b = sec; b <= sub; b++) {
		int o = pci_bus[b].owner;
		char name[16];

		/* Inside [first, last] a bus is ours or a deeper bridge's. */
		if (o == own || o < 0)
			continue;
		pci_sbdf_str(s->t->dev[o].sbdf, name, sizeof(name));
		snprintf(buf, size, "bus %02x already behind %s", b, name);
		return buf;
	}
	return NULL;
}

static void pci_bridge_follow(struct pci_scan *s, int idx)
{
	const struct pci_dev *d = &s->t->dev[idx];
	const char *why;
	char name[16], buf[64];

	why = pci_bridge_check(s, idx, buf, sizeof(buf));
	if (why) {
		pci_sbdf_str(d->sbdf, name, sizeof(name));
		log_warn("PCI %s: buses %02x-%02x not scanned: %s", name,
			 d->secondary_bus, d->subordinate_bus, why);
		return;
	}
	pci_bus_claim(idx, d->secondary_bus, d->subordinate_bus);
}

/* Read the header of one present function into a new entry. */
static struct pci_dev *pci_fn_add(struct pci_scan *s, pci_sbdf_t sbdf,
				  int parent, bool multifunction)
{
	struct pci_topology *t = s->t;
	struct pci_dev *d;
	uint8_t hdr;

	if (t->count == t->capacity) {
		if (!s->overflow)
			log_err("PCI: more than %u functions, the rest are not enumerated",
				t->capacity);
		s->overflow = true;
		return NULL;
	}
	d = &t->dev[t->count++];
	memset(d, 0, sizeof(*d));
	d->sbdf = sbdf;
	d->vendor = pci_cfg_read16(sbdf, PCI_VENDOR_ID);
	d->device = pci_cfg_read16(sbdf, PCI_DEVICE_ID);
	d->revision = pci_cfg_read8(sbdf, PCI_REVISION_ID);
	d->class = pci_cfg_read32(sbdf, PCI_REVISION_ID) >> 8;
	hdr = pci_cfg_read8(sbdf, PCI_HEADER_TYPE);
	d->header_type = hdr & PCI_HEADER_TYPE_MASK;
	d->multifunction = multifunction;
	d->parent = parent == PCI_NO_PARENT ? NULL : &t->dev[parent];
	d->group = -1;
	d->unit = -1;
	return d;
}

/* Header-type specific part: bus numbers, capabilities, BARs. */
static void pci_fn_probe(struct pci_scan *s, struct pci_dev *d)
{
	char name[16];

	switch (d->header_type) {
	case PCI_HEADER_TYPE_BRIDGE:
		d->primary_bus = pci_cfg_read8(d->sbdf, PCI_PRIMARY_BUS);
		d->secondary_bus = pci_cfg_read8(d->sbdf, PCI_SECONDARY_BUS);
		d->subordinate_bus =
			pci_cfg_read8(d->sbdf, PCI_SUBORDINATE_BUS);
		d->nbars = 2;
		break;
	case PCI_HEADER_TYPE_NORMAL:
		d->nbars = PCI_NUM_BARS;
		break;
	default:
		/* CardBus or unknown: different layout, left alone. */
		pci_sbdf_str(d->sbdf, name, sizeof(name));
		log_warn(
			"PCI %s: header type 0x%02x not supported, capabilities and BARs not read",
			name, d->header_type);
		return;
	}
	pci_caps_read(d);
	pci_bars_size(d);
	if (d->header_type == PCI_HEADER_TYPE_BRIDGE)
		pci_bridge_follow(s, (int)(d - s->t->dev));
}

/* Function 0 decides whether the slot exists and has functions 1-7. */
static void pci_slot_scan(struct pci_scan *s, uint8_t bus, uint8_t dev)
{
	uint16_t seg = s->win->segment;
	pci_sbdf_t sbdf0 = PCI_SBDF(seg, bus, dev, 0);
	unsigned nfn;
	bool mf;

	if (!pci_fn_present(sbdf0))
		return;
	mf = pci_cfg_read8(sbdf0, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MFD;
	nfn = mf ? 8 : 1;
	for (unsigned fn = 0; fn < nfn; fn++) {
		pci_sbdf_t sbdf = PCI_SBDF(seg, bus, dev, fn);
		struct pci_dev *d;

		if (fn > 0 && !pci_fn_present(sbdf))
			continue;
		d = pci_fn_add(s, sbdf, pci_bus[bus].parent, mf);
		if (!d)
			return;
		pci_fn_probe(s, d);
	}
}

static void pci_window_scan(struct pci_scan *s)
{
	const struct acpi_ecam *w = s->win;

	for (unsigned b = 0; b < ARRAY_SIZE(pci_bus); b++) {
		bool in = b >= w->bus_start && b <= w->bus_end;

		pci_bus[b].owner = in ? PCI_BUS_ROOT : PCI_BUS_OUTSIDE;
		pci_bus[b].parent = PCI_NO_PARENT;
		pci_bus[b].reached = false;
	}
	pci_bus[w->bus_start].reached = true;
	for (unsigned b = w->bus_start; b <= w->bus_end && !s->overflow; b++) {
		if (!pci_bus[b].reached)
			continue;
		for (uint8_t dev = 0; dev < 32 && !s->overflow; dev++)
			pci_slot_scan(s, (uint8_t)b, dev);
	}
}

int pci_enumerate(struct pci_topology *t)
{
	struct pci_scan s = {.t = t};

	if (!t->dev || t->capacity == 0)
		return -HV_EINVAL;
	t->count = 0;
	for (unsigned i = 0; i < pci_ecam_count() && !s.overflow; i++) {
		s.win = pci_ecam_window(i);
		pci_window_scan(&s);
	}
	log_info("PCI: %u functions in %u ECAM windows", t->count,
		 pci_ecam_count());
	return s.overflow ? -HV_ENOMEM : 0;
}
