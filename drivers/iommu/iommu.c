// SPDX-License-Identifier: MIT
/*
 * IOMMU core: units, domains, and attach/detach/replace with the group
 * rules of DESIGN.md enforced here. Every operation validates first and
 * then acts; the driver is only asked to program what was decided.
 */
#include "drivers/iommu/iommu.h"
#include "drivers/iommu/iommu_drv.h"
#include "drivers/pci/cfg.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

struct iommu_unit iommu_units[IOMMU_MAX_UNITS];
unsigned iommu_nunits;
enum iommu_mode iommu_mode_wanted = IOMMU_MODE_AUTO;

static struct iommu_domain iommu_domains[IOMMU_MAX_DOMAINS];
static struct iommu_pasid_attach iommu_pasids[IOMMU_MAX_PASIDS];
static struct iommu_domain *iommu_group_dom[PCI_MAX_DEVS];
static struct pci_group_table *iommu_groups;

/* Bus mastering off on every function: nothing may DMA until attached. */
static void iommu_clear_all_bus_masters(void)
{
	for (unsigned i = 0; i < pci_devices.count; i++) {
		pci_sbdf_t s = pci_devices.dev[i].sbdf;
		uint16_t cmd = pci_cfg_read16(s, PCI_COMMAND);

		if (cmd != 0xffff && (cmd & PCI_COMMAND_MASTER))
			pci_cfg_write16(s, PCI_COMMAND,
					cmd & ~PCI_COMMAND_MASTER);
	}
}

int iommu_init(const struct acpi_dmar *dmar, struct pci_group_table *groups)
{
	int up = 0;

	iommu_groups = groups;
	iommu_clear_all_bus_masters();
	iommu_nunits = dmar->present ? dmar->ndrhd : 0;
	for (unsigned i = 0; i < iommu_nunits; i++) {
		struct iommu_unit *u = &iommu_units[i];

		memset(u, 0, sizeof(*u));
		u->index = (int)i;
		u->segment = dmar->drhd[i].segment;
		u->reg_base = dmar->drhd[i].reg_base;
		if (iommu_drv_unit_init(u, &dmar->drhd[i], iommu_mode_wanted)) {
			log_err("IOMMU: unit %u at 0x%llx refused: %s", i,
				(unsigned long long)u->reg_base, u->why);
			continue;
		}
		u->up = true;
		up++;
	}
	if (iommu_nunits == 0)
		log_warn(
			"IOMMU: no DMA remapping unit: DMA cannot be isolated, "
			"every device assignment will be refused");
	return up;
}

struct iommu_domain *iommu_domain_alloc(const char *owner)
{
	for (unsigned i = 0; i < IOMMU_MAX_DOMAINS; i++) {
		struct iommu_domain *d = &iommu_domains[i];

		if (d->in_use)
			continue;
		memset(d, 0, sizeof(*d));
		d->id = (int)i;
		snprintf(d->owner, sizeof(d->owner), "%s", owner);
		if (iommu_drv_domain_init(d))
			return NULL;
		d->in_use = true;
		return d;
	}
	return NULL;
}

int iommu_domain_free(struct iommu_domain *d)
{
	if (!d || !d->in_use)
		return -HV_EINVAL;
	if (d->ngroups || d->npasids)
		return -HV_EBUSY;
	for (unsigned i = 0; i < iommu_nunits; i++)
		iommu_drv_unit_release(&iommu_units[i], d);
	iommu_drv_domain_destroy(d);
	d->in_use = false;
	return 0;
}

int iommu_map(struct iommu_domain *d, iova_t iova, hpa_t pa, uint64_t size,
	      unsigned prot)
{
	if (!d || !d->in_use || !(prot & (IOMMU_READ | IOMMU_WRITE)) ||
	    (prot & ~(IOMMU_READ | IOMMU_WRITE)))
		return -HV_EINVAL;
	return iommu_drv_map(d, iova, pa, size, prot);
}

int iommu_unmap(struct iommu_domain *d, iova_t iova, uint64_t size)
{
	if (!d || !d->in_use)
		return -HV_EINVAL;
	return iommu_drv_unmap(d, iova, size);
}

struct iommu_unit *iommu_group_unit(const struct pci_group *g)
{
	if (!g || g->spans_units || g->unit < 0 ||
	    (unsigned)g->unit >= iommu_nunits || !iommu_units[g->unit].up)
		return NULL;
	return &iommu_units[g->unit];
}

static bool iommu_rid_seen(const uint16_t *rids, unsigned n, uint16_t rid)
{
	for (unsigned i = 0; i < n; i++)
		if (rids[i] == rid)
			return true;
	return false;
}

/* Every requester ID the group's DMA can carry, each once. */
static int iommu_group_rids(const struct pci_group *g, uint16_t *rids,
			    unsigned *n)
{
	*n = 0;
	for (unsigned i = 0; i < g->ndevs; i++) {
		const struct pci_dev *dev =
			pci_group_member(iommu_groups, g, i);
		uint16_t r[IOMMU_MAX_RIDS];
		unsigned k = pci_dma_alias_rids(dev, r, IOMMU_MAX_RIDS);

		if (k > IOMMU_MAX_RIDS)
			return -HV_ERANGE;
		for (unsigned j = 0; j < k; j++) {
			if (iommu_rid_seen(rids, *n, r[j]))
				continue;
			if (*n == IOMMU_MAX_RIDS)
				return -HV_ERANGE;
			rids[(*n)++] = r[j];
		}
	}
	return 0;
}

/* Validate a group operation and collect its unit and requester IDs. */
static int iommu_group_prepare(const struct pci_group *g, struct iommu_unit **u,
			       uint16_t *rids, unsigned *n)
{
	if (!g || !iommu_groups || g->id < 0 ||
	    (unsigned)g->id >= iommu_groups->ngroups ||
	    &iommu_groups->group[g->id] != g)
		return -HV_EINVAL;
	*u = iommu_group_unit(g);
	if (!*u)
		return -HV_EPERM;
	return iommu_group_rids(g, rids, n);
}

struct iommu_domain *iommu_group_domain(const struct pci_group *g)
{
	return g && g->id >= 0 && g->id < PCI_MAX_DEVS ? iommu_group_dom[g->id]
						       : NULL;
}

/*
 * The one place a group's domain moves: the driver switches every
 * requester ID from old to new (either may be NULL: blocked), then the
 * group's single pointer and both domains' counts follow together.
 */
static int iommu_group_switch(const struct pci_group *g, struct iommu_unit *u,
			      const uint16_t *rids, unsigned n,
			      struct iommu_domain *new,
			      struct iommu_domain *old)
{
	int rc = iommu_drv_set_rids(u, rids, n, new, old);

	if (rc)
		return rc;
	iommu_group_dom[g->id] = new;
	if (new)
		new->ngroups++;
	if (old)
		old->ngroups--;
	return 0;
}

int iommu_attach(const struct pci_group *g, struct iommu_domain *d)
{
	uint16_t rids[IOMMU_MAX_RIDS];
	struct iommu_unit *u;
	unsigned n;
	int rc = iommu_group_prepare(g, &u, rids, &n);

	if (rc)
		return rc;
	if (!d || !d->in_use)
		return -HV_EINVAL;
	if (iommu_group_dom[g->id])
		return -HV_EBUSY;
	return iommu_group_switch(g, u, rids, n, d, NULL);
}

int iommu_replace(const struct pci_group *g, struct iommu_domain *d)
{
	uint16_t rids[IOMMU_MAX_RIDS];
	struct iommu_domain *old;
	struct iommu_unit *u;
	unsigned n;
	int rc = iommu_group_prepare(g, &u, rids, &n);

	if (rc)
		return rc;
	old = iommu_group_dom[g->id];
	if (!d || !d->in_use || !old)
		return -HV_EINVAL;
	if (old == d)
		return 0;
	return iommu_group_switch(g, u, rids, n, d, old);
}

int iommu_detach(const struct pci_group *g)
{
	uint16_t rids[IOMMU_MAX_RIDS];
	struct iommu_domain *old;
	struct iommu_unit *u;
	unsigned n;
	int rc = iommu_group_prepare(g, &u, rids, &n);

	if (rc)
		return rc;
	old = iommu_group_dom[g->id];
	if (!old)
		return -HV_ENOENT;
	for (unsigned i = 0; i < g->ndevs; i++)
		iommu_dev_set_bus_master(pci_group_member(iommu_groups, g, i),
					 false);
	return iommu_group_switch(g, u, rids, n, NULL, old);
}

static struct iommu_pasid_attach *iommu_pasid_find(pci_sbdf_t dev,
						   uint32_t pasid)
{
	for (unsigned i = 0; i < IOMMU_MAX_PASIDS; i++)
		if (iommu_pasids[i].used && iommu_pasids[i].dev == dev &&
		    iommu_pasids[i].pasid == pasid)
			return &iommu_pasids[i];
	return NULL;
}

/*
 * Principle 4: PASID routing needs the requester ID to name exactly one
 * device, so the device must be alone in its group and have no alias.
 */
static int iommu_pasid_prepare(struct pci_dev *dev, uint32_t pasid,
			       struct iommu_unit **u)
{
	const struct pci_group *g = pci_group_of(iommu_groups, dev);
	uint16_t rids[2];

	if (!g || pasid == 0 || pasid >= (1u << 20))
		return -HV_EINVAL;
	*u = iommu_group_unit(g);
	if (!*u)
		return -HV_EPERM;
	if (g->ndevs != 1 || pci_dma_alias_rids(dev, rids, 2) != 1)
		return -HV_EPERM;
	if (!iommu_drv_pasid_capable(*u))
		return -HV_ENOTSUP;
	return 0;
}

int iommu_attach_pasid(struct pci_dev *dev, uint32_t pasid,
		       struct iommu_domain *d)
{
	struct iommu_pasid_attach *a = NULL;
	struct iommu_unit *u;
	int rc = iommu_pasid_prepare(dev, pasid, &u);

	if (rc)
		return rc;
	if (!d || !d->in_use)
		return -HV_EINVAL;
	if (iommu_pasid_find(dev->sbdf, pasid))
		return -HV_EBUSY;
	for (unsigned i = 0; !a && i < IOMMU_MAX_PASIDS; i++)
		if (!iommu_pasids[i].used)
			a = &iommu_pasids[i];
	if (!a)
		return -HV_ENOMEM;
	rc = iommu_drv_set_pasid(u, PCI_SBDF_RID(dev->sbdf), pasid, d, NULL);
	if (rc)
		return rc;
	a->used = true;
	a->dev = dev->sbdf;
	a->pasid = pasid;
	a->domain = d;
	d->npasids++;
	return 0;
}

int iommu_detach_pasid(struct pci_dev *dev, uint32_t pasid)
{
	struct iommu_pasid_attach *a = iommu_pasid_find(dev->sbdf, pasid);
	struct iommu_unit *u;
	int rc = iommu_pasid_prepare(dev, pasid, &u);

	if (rc)
		return rc;
	if (!a)
		return -HV_ENOENT;
	rc = iommu_drv_set_pasid(u, PCI_SBDF_RID(dev->sbdf), pasid, NULL,
				 a->domain);
	if (rc)
		return rc;
	a->domain->npasids--;
	a->used = false;
	return 0;
}

static void iommu_set_master_bit(pci_sbdf_t s, bool on)
{
	uint16_t cmd = pci_cfg_read16(s, PCI_COMMAND);
	uint16_t want =
		on ? cmd | PCI_COMMAND_MASTER : cmd & ~PCI_COMMAND_MASTER;

	if (cmd != 0xffff && want != cmd)
		pci_cfg_write16(s, PCI_COMMAND, want);
}

int iommu_dev_set_bus_master(struct pci_dev *dev, bool on)
{
	const struct pci_group *g = pci_group_of(iommu_groups, dev);
	bool pasids = false;

	if (!on) {
		iommu_set_master_bit(dev->sbdf, false);
		return 0;
	}
	for (unsigned i = 0; i < IOMMU_MAX_PASIDS; i++)
		pasids |= iommu_pasids[i].used &&
			  iommu_pasids[i].dev == dev->sbdf;
	if (!g || (!iommu_group_dom[g->id] && !pasids))
		return -HV_EPERM;
	iommu_set_master_bit(dev->sbdf, true);
	/* Bridges forward upstream requests only with their own bit set. */
	for (struct pci_dev *b = dev->parent; b; b = b->parent)
		iommu_set_master_bit(b->sbdf, true);
	return 0;
}

void iommu_poll_faults(void)
{
	for (unsigned i = 0; i < iommu_nunits; i++)
		if (iommu_units[i].up)
			iommu_drv_poll_faults(&iommu_units[i]);
}

/* For the console: a group's state in words. */
const char *iommu_group_state(const struct pci_group *g, char *buf, size_t size)
{
	struct iommu_domain *d = iommu_group_domain(g);

	if (!iommu_group_unit(g))
		snprintf(buf, size, "not isolatable");
	else if (!d)
		snprintf(buf, size, "blocked");
	else
		snprintf(buf, size, "domain %d (%s)", d->id, d->owner);
	return buf;
}

/* Iterate the (device, PASID) attachments: false past the last. */
bool iommu_pasid_get(unsigned i, const struct iommu_pasid_attach **a)
{
	if (i >= IOMMU_MAX_PASIDS)
		return false;
	*a = iommu_pasids[i].used ? &iommu_pasids[i] : NULL;
	return true;
}

/* Iterate the domains: NULL for unused slots, false past the last. */
bool iommu_domain_get(unsigned i, struct iommu_domain **d)
{
	if (i >= IOMMU_MAX_DOMAINS)
		return false;
	*d = iommu_domains[i].in_use ? &iommu_domains[i] : NULL;
	return true;
}

/* Group ids attached to d, for the console (writes at most max). */
unsigned iommu_domain_groups(const struct iommu_domain *d, int *ids,
			     unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; iommu_groups && i < iommu_groups->ngroups; i++)
		if (iommu_group_dom[i] == d && n < max)
			ids[n++] = (int)i;
	return n;
}
