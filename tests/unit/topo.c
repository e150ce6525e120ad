// SPDX-License-Identifier: MIT
/* Synthetic PCI topologies for host tests (see topo.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

struct topo_kind_info {
	uint16_t vendor, device;
	uint32_t class;
	uint8_t header;
	uint8_t pcie_type;
	bool pcie;
	bool acs;
};

static const struct topo_kind_info topo_kinds[TOPO_KIND_COUNT] = {
	[TOPO_Q35_HOST] = {0x8086, 0x29c0, 0x060000, 0, 0, false, false},
	[TOPO_ICH9_LPC] = {0x8086, 0x2918, 0x060100, 0, 0, false, false},
	[TOPO_ICH9_AHCI] = {0x8086, 0x2922, 0x010601, 0, 0, false, false},
	[TOPO_ICH9_SMBUS] = {0x8086, 0x2930, 0x0c0500, 0, 0, false, false},
	[TOPO_EDU] = {0x1234, 0x11e8, 0x00ff00, 0, 0, false, false},
	[TOPO_E1000] = {0x8086, 0x100e, 0x020000, 0, 0, false, false},
	[TOPO_E1000E] = {0x8086, 0x10d3, 0x020000, 0, PCI_EXP_TYPE_ENDPOINT,
			 true, false},
	[TOPO_VIRTIO_NET] = {0x1af4, 0x1041, 0x020000, 0, PCI_EXP_TYPE_ENDPOINT,
			     true, false},
	[TOPO_ROOT_PORT] = {0x1b36, 0x000c, 0x060400, 1, PCI_EXP_TYPE_ROOT_PORT,
			    true, true},
	[TOPO_ROOT_PORT_NOACS] = {0x1b36, 0x000c, 0x060400, 1,
				  PCI_EXP_TYPE_ROOT_PORT, true, false},
	[TOPO_IOH3420] = {0x8086, 0x3420, 0x060400, 1, PCI_EXP_TYPE_ROOT_PORT,
			  true, false},
	[TOPO_X3130_UP] = {0x104c, 0x8232, 0x060400, 1, PCI_EXP_TYPE_UPSTREAM,
			   true, false},
	[TOPO_XIO3130_DOWN] = {0x104c, 0x8233, 0x060400, 1,
			       PCI_EXP_TYPE_DOWNSTREAM, true, false},
	[TOPO_PCIE_PCI_BRIDGE] = {0x1b36, 0x000e, 0x060400, 1,
				  PCI_EXP_TYPE_PCI_BRIDGE, true, false},
	[TOPO_PCI_BRIDGE] = {0x1b36, 0x0001, 0x060400, 1, 0, false, false},
	[TOPO_I82801B11] = {0x8086, 0x244e, 0x060401, 1, 0, false, false},
};

static __attribute__((noreturn, format(printf, 1, 2))) void
topo_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "topo: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

struct topo *topo_new(unsigned capacity)
{
	struct topo *T = calloc(1, sizeof(*T));

	if (!T)
		topo_die("out of memory");
	T->t.dev = calloc(capacity, sizeof(*T->t.dev));
	T->groups = calloc(capacity, sizeof(*T->groups));
	T->members = calloc(capacity, sizeof(*T->members));
	T->work = calloc(capacity, sizeof(*T->work));
	if (!T->t.dev || !T->groups || !T->members || !T->work)
		topo_die("out of memory for %u functions", capacity);
	T->t.capacity = capacity;
	pci_group_table_init(&T->tbl, T->groups, T->members, T->work, capacity);
	return T;
}

void topo_free(struct topo *T)
{
	free(T->t.dev);
	free(T->groups);
	free(T->members);
	free(T->work);
	free(T);
}

pci_sbdf_t topo_sbdf(const char *name)
{
	unsigned seg = 0, bus, dev, fn;
	int end = 0;

	if (sscanf(name, "%x:%x:%x.%x%n", &seg, &bus, &dev, &fn, &end) == 4 &&
	    name[end] == '\0')
		goto ok;
	seg = 0;
	end = 0;
	if (sscanf(name, "%x:%x.%x%n", &bus, &dev, &fn, &end) != 3 ||
	    name[end] != '\0')
		topo_die("bad function name '%s'", name);
ok:
	if (seg >= TOPO_MAX_SEGS || bus > 255 || dev > 31 || fn > 7)
		topo_die("function name out of range '%s'", name);
	return PCI_SBDF(seg, bus, dev, fn);
}

static struct pci_dev *topo_new_dev(struct topo *T, pci_sbdf_t sbdf,
				    enum topo_kind kind)
{
	const struct topo_kind_info *k = &topo_kinds[kind];
	struct pci_dev *d;

	if (T->finished || T->t.count == T->t.capacity)
		topo_die("topology full or finished");
	d = &T->t.dev[T->t.count++];
	memset(d, 0, sizeof(*d));
	d->sbdf = sbdf;
	d->vendor = k->vendor;
	d->device = k->device;
	d->class = k->class;
	d->header_type = k->header;
	d->nbars = k->header ? 2 : 6;
	if (k->pcie) {
		d->cap_pcie = 0x80;
		d->pcie_type = k->pcie_type;
	}
	if (k->acs)
		topo_acs(d, TOPO_PORT_ACS_CAP, 0);
	d->group = -1;
	d->unit = -1;
	return d;
}

struct pci_dev *topo_add(struct topo *T, const char *name, enum topo_kind kind)
{
	return topo_new_dev(T, topo_sbdf(name), kind);
}

struct pci_dev *topo_bridge(struct topo *T, const char *name,
			    enum topo_kind kind, unsigned secondary,
			    unsigned subordinate)
{
	struct pci_dev *d = topo_add(T, name, kind);

	if (secondary > 255 || subordinate > 255 || subordinate < secondary)
		topo_die("bad bus range for %s", name);
	d->secondary_bus = (uint8_t)secondary;
	d->subordinate_bus = (uint8_t)subordinate;
	return d;
}

void topo_acs(struct pci_dev *d, uint16_t cap, uint16_t ctrl)
{
	d->ecap_acs = 0x148; /* where QEMU puts it on its ports */
	d->acs_cap = cap;
	d->acs_ctrl = ctrl;
}

void topo_q35(struct topo *T)
{
	topo_add(T, "00:00.0", TOPO_Q35_HOST);
	topo_add(T, "00:1f.0", TOPO_ICH9_LPC);
	topo_add(T, "00:1f.2", TOPO_ICH9_AHCI);
	topo_add(T, "00:1f.3", TOPO_ICH9_SMBUS);
}

static int topo_cmp(const void *a, const void *b)
{
	pci_sbdf_t x = ((const struct pci_dev *)a)->sbdf;
	pci_sbdf_t y = ((const struct pci_dev *)b)->sbdf;

	return x < y ? -1 : x > y;
}

static void topo_link_parents(struct topo *T)
{
	int *owner = malloc(sizeof(int) * TOPO_MAX_SEGS * 256);
	struct pci_dev *dev = T->t.dev;

	if (!owner)
		topo_die("out of memory");
	for (unsigned i = 0; i < TOPO_MAX_SEGS * 256; i++)
		owner[i] = -1;
	for (unsigned i = 0; i < T->t.count; i++) {
		unsigned key =
			PCI_SBDF_SEG(dev[i].sbdf) * 256 + dev[i].secondary_bus;

		if (dev[i].header_type != PCI_HEADER_TYPE_BRIDGE)
			continue;
		if (owner[key] >= 0)
			topo_die("two bridges lead to bus %02x",
				 dev[i].secondary_bus);
		owner[key] = (int)i;
	}
	for (unsigned i = 0; i < T->t.count; i++) {
		int o = owner[PCI_SBDF_SEG(dev[i].sbdf) * 256 +
			      PCI_SBDF_BUS(dev[i].sbdf)];

		if (o == (int)i)
			topo_die("bridge on its own secondary bus");
		dev[i].parent = o >= 0 ? &dev[o] : NULL;
	}
	free(owner);
}

void topo_finish(struct topo *T)
{
	struct pci_dev *dev = T->t.dev;
	unsigned n = T->t.count;

	qsort(dev, n, sizeof(*dev), topo_cmp);
	for (unsigned i = 1; i < n; i++)
		if (dev[i].sbdf == dev[i - 1].sbdf)
			topo_die("function %x added twice", dev[i].sbdf);
	topo_link_parents(T);
	for (unsigned i = 0; i < n; i++) {
		bool peer =
			(i > 0 && dev[i - 1].sbdf >> 3 == dev[i].sbdf >> 3) ||
			(i + 1 < n && dev[i + 1].sbdf >> 3 == dev[i].sbdf >> 3);

		if (peer)
			dev[i].multifunction = true;
		/* QEMU: a PCIe endpoint on a root bus is an RCiEP. */
		if (dev[i].cap_pcie &&
		    dev[i].pcie_type == PCI_EXP_TYPE_ENDPOINT && !dev[i].parent)
			dev[i].pcie_type = PCI_EXP_TYPE_RC_END;
		if (!T->raw_acs)
			dev[i].acs_ctrl = pci_acs_enable_value(&dev[i]);
	}
	T->finished = true;
}

struct pci_dev *topo_dev(struct topo *T, const char *name)
{
	pci_sbdf_t s = topo_sbdf(name);

	for (unsigned i = 0; i < T->t.count; i++)
		if (T->t.dev[i].sbdf == s)
			return &T->t.dev[i];
	topo_die("no function %s", name);
}

int topo_drhd(struct topo *T, uint64_t reg_base, uint16_t seg, bool include_all)
{
	struct acpi_drhd *u;

	if (T->dmar.ndrhd == ACPI_MAX_DRHD)
		topo_die("too many DRHDs");
	T->dmar.present = true;
	T->dmar.host_addr_width = 39;
	u = &T->dmar.drhd[T->dmar.ndrhd];
	memset(u, 0, sizeof(*u));
	u->reg_base = reg_base;
	u->segment = seg;
	u->flags = include_all ? ACPI_DRHD_INCLUDE_PCI_ALL : 0;
	return (int)T->dmar.ndrhd++;
}

void topo_scope(struct acpi_dmar_scopes *s, uint8_t type, uint8_t start_bus,
		const char *path)
{
	struct acpi_dmar_scope *sc;
	const char *p = path;

	if (s->count == ACPI_MAX_SCOPES)
		topo_die("too many scopes");
	sc = &s->scope[s->count++];
	memset(sc, 0, sizeof(*sc));
	sc->type = type;
	sc->start_bus = start_bus;
	while (*p) {
		unsigned dev, fn;
		int used = 0;

		if (sc->path_len == ACPI_MAX_PATH ||
		    sscanf(p, "%x.%x%n", &dev, &fn, &used) != 2)
			topo_die("bad scope path '%s'", path);
		sc->path[sc->path_len].dev = (uint8_t)dev;
		sc->path[sc->path_len].fn = (uint8_t)fn;
		sc->path_len++;
		p += used;
		if (*p == '/')
			p++;
	}
}

int topo_rmrr(struct topo *T, uint16_t seg, uint64_t base, uint64_t limit)
{
	struct acpi_rmrr *r;

	if (T->dmar.nrmrr == ACPI_MAX_RMRR)
		topo_die("too many RMRRs");
	r = &T->dmar.rmrr[T->dmar.nrmrr];
	memset(r, 0, sizeof(*r));
	r->segment = seg;
	r->base = base;
	r->limit = limit;
	return (int)T->dmar.nrmrr++;
}

int topo_groups(struct topo *T)
{
	if (!T->finished)
		topo_die("topo_groups before topo_finish");
	return pci_group_compute(&T->t, T->dmar.present ? &T->dmar : NULL,
				 &T->tbl);
}

const char *topo_groups_str(const struct topo *T)
{
	static char buf[1 << 16];
	const struct pci_group_table *tbl = &T->tbl;
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned n = 0; n < tbl->ngroups; n++) {
		const struct pci_group *g = &tbl->group[n];

		for (unsigned i = 0; i < g->ndevs && len < sizeof(buf) - 32;
		     i++) {
			pci_sbdf_t s = pci_group_member(tbl, g, i)->sbdf;
			const char *sep = i ? " " : n ? " | " : "";

			if (PCI_SBDF_SEG(s))
				len += (size_t)snprintf(
					buf + len, sizeof(buf) - len,
					"%s%04x:%02x:%02x.%x", sep,
					PCI_SBDF_SEG(s), PCI_SBDF_BUS(s),
					PCI_SBDF_DEV(s), PCI_SBDF_FN(s));
			else
				len += (size_t)snprintf(
					buf + len, sizeof(buf) - len,
					"%s%02x:%02x.%x", sep, PCI_SBDF_BUS(s),
					PCI_SBDF_DEV(s), PCI_SBDF_FN(s));
		}
	}
	return buf;
}
