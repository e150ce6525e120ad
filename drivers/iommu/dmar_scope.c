// SPDX-License-Identifier: MIT
/*
 * DMAR device scopes resolved against the PCI topology (see dmar_scope.h).
 * Works on the decoded tables and topology only, so host tests run it.
 */
#include "drivers/iommu/dmar_scope.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "kernel/log.h"

/* Why a scope names no function (negated when returned). */
enum dmar_res {
	DMAR_RES_EMPTY = 1,  /* no hop at all */
	DMAR_RES_LONG,	     /* more hops than the model keeps */
	DMAR_RES_HOP,	     /* device above 31 or function above 7 */
	DMAR_RES_MISSING,    /* no function at a hop */
	DMAR_RES_NOT_BRIDGE, /* the path goes on below a non-bridge */
	DMAR_RES_TYPE,	     /* scope type does not fit the function */
	DMAR_RES_KIND,	     /* not a PCI scope (IOAPIC, HPET, namespace) */
};

/* A PCI scope resolved to a function; range: covers its buses too. */
struct dmar_ref {
	uint32_t dev;
	uint16_t drhd;
	uint16_t seg;
	uint8_t sec, sub;
	bool range;
};

static struct dmar_ref dmar_refs[ACPI_MAX_DRHD * ACPI_MAX_SCOPES];

static int dmar_find(const struct pci_topology *t, pci_sbdf_t sbdf)
{
	unsigned lo = 0, hi = t->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (t->dev[mid].sbdf == sbdf)
			return (int)mid;
		if (t->dev[mid].sbdf < sbdf)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool dmar_is_bridge(const struct pci_dev *d)
{
	return d->header_type == PCI_HEADER_TYPE_BRIDGE;
}

/*
 * Linux's dmar_insert_dev_scope() check: an endpoint scope must name a
 * type 0 function, a bridge scope a bridge (header or class).
 */
static bool dmar_type_fits(uint8_t type, const struct pci_dev *d)
{
	if (type == ACPI_DMAR_SCOPE_ENDPOINT)
		return d->header_type == PCI_HEADER_TYPE_NORMAL;
	return dmar_is_bridge(d) || (d->class >> 16) == 0x06;
}

/* Index of the function s names, or -enum dmar_res; *at: last hop. */
static int dmar_walk(const struct pci_topology *t, uint16_t seg,
		     const struct acpi_dmar_scope *s, pci_sbdf_t *at)
{
	unsigned bus = s->start_bus;
	int idx = -DMAR_RES_EMPTY;

	*at = PCI_SBDF(seg, bus, 0, 0);
	if (s->type != ACPI_DMAR_SCOPE_ENDPOINT &&
	    s->type != ACPI_DMAR_SCOPE_BRIDGE)
		return -DMAR_RES_KIND;
	if (s->path_len > ACPI_MAX_PATH)
		return -DMAR_RES_LONG;
	for (unsigned h = 0; h < s->path_len; h++) {
		if (s->path[h].dev > 31 || s->path[h].fn > 7)
			return -DMAR_RES_HOP;
		if (h > 0) {
			if (!dmar_is_bridge(&t->dev[idx]))
				return -DMAR_RES_NOT_BRIDGE;
			bus = t->dev[idx].secondary_bus;
		}
		*at = PCI_SBDF(seg, bus, s->path[h].dev, s->path[h].fn);
		idx = dmar_find(t, *at);
		if (idx < 0)
			return -DMAR_RES_MISSING;
	}
	if (idx >= 0 && !dmar_type_fits(s->type, &t->dev[idx]))
		return -DMAR_RES_TYPE;
	return idx;
}

int dmar_scope_resolve(const struct pci_topology *t, uint16_t seg,
		       const struct acpi_dmar_scope *s)
{
	pci_sbdf_t at;
	int idx = dmar_walk(t, seg, s, &at);

	return idx < 0 ? -1 : idx;
}

static void dmar_log_bad(const char *what, unsigned n, unsigned si,
			 const struct acpi_dmar_scope *s, int err,
			 pci_sbdf_t at)
{
	static const char *const why[] = {
		[DMAR_RES_EMPTY] = "empty path",
		[DMAR_RES_LONG] = "path too long",
		[DMAR_RES_HOP] = "device or function number out of range",
		[DMAR_RES_MISSING] = "no function at",
		[DMAR_RES_NOT_BRIDGE] = "path goes on below non-bridge",
		[DMAR_RES_TYPE] = "scope type does not match",
		[DMAR_RES_KIND] = "not a PCI scope",
	};
	const char *kind =
		s->type == ACPI_DMAR_SCOPE_ENDPOINT ? "endpoint" : "bridge";

	if (err == DMAR_RES_MISSING || err == DMAR_RES_NOT_BRIDGE ||
	    err == DMAR_RES_TYPE)
		log_warn(
			"DMAR: %s %u scope %u (%s, start bus %02x, %u hops): %s %04x:%02x:%02x.%x, ignored",
			what, n, si, kind, s->start_bus, s->path_len, why[err],
			PCI_SBDF_SEG(at), PCI_SBDF_BUS(at), PCI_SBDF_DEV(at),
			PCI_SBDF_FN(at));
	else
		log_warn(
			"DMAR: %s %u scope %u (%s, start bus %02x, %u hops): %s, ignored",
			what, n, si, kind, s->start_bus, s->path_len, why[err]);
}

/* Resolve one scope into r; false (logged when log) when it is unusable. */
static bool dmar_ref_make(const struct pci_topology *t, uint16_t seg,
			  const struct acpi_dmar_scope *s, struct dmar_ref *r,
			  const char *what, unsigned n, unsigned si, bool log,
			  int *problems)
{
	pci_sbdf_t at;
	int idx = dmar_walk(t, seg, s, &at);
	const struct pci_dev *d;

	if (idx < 0) {
		if (log && idx != -DMAR_RES_KIND) {
			dmar_log_bad(what, n, si, s, -idx, at);
			(*problems)++;
		}
		return false;
	}
	d = &t->dev[idx];
	r->dev = (uint32_t)idx;
	r->seg = seg;
	r->range = s->type == ACPI_DMAR_SCOPE_BRIDGE && dmar_is_bridge(d);
	r->sec = d->secondary_bus;
	r->sub = d->subordinate_bus;
	return true;
}

/* Linux's "tmp == dev || is_downstream_to_pci_bridge(dev, tmp)". */
static bool dmar_ref_covers(const struct dmar_ref *r, const struct pci_dev *d,
			    unsigned idx)
{
	unsigned bus = PCI_SBDF_BUS(d->sbdf);

	if (r->dev == idx)
		return true;
	return r->range && PCI_SBDF_SEG(d->sbdf) == r->seg && bus >= r->sec &&
	       bus <= r->sub;
}

static unsigned dmar_ndrhd(const struct acpi_dmar *dmar)
{
	return MIN(dmar->ndrhd, (unsigned)ACPI_MAX_DRHD);
}

static unsigned dmar_nscopes(const struct acpi_dmar_scopes *s)
{
	return MIN(s->count, (unsigned)ACPI_MAX_SCOPES);
}

/* The INCLUDE_PCI_ALL unit of seg, or -1. */
static int dmar_include_all(const struct acpi_dmar *dmar, uint16_t seg)
{
	for (unsigned i = 0; i < dmar_ndrhd(dmar); i++)
		if ((dmar->drhd[i].flags & ACPI_DRHD_INCLUDE_PCI_ALL) &&
		    dmar->drhd[i].segment == seg)
			return (int)i;
	return -1;
}

/*
 * Resolve the PCI scopes of every DRHD into refs, in DRHD order. An
 * INCLUDE_PCI_ALL unit's scopes are skipped: it covers its segment anyway
 * and Linux tries it only after every other unit.
 */
static unsigned dmar_collect(const struct acpi_dmar *dmar,
			     const struct pci_topology *t,
			     struct dmar_ref *refs, bool log, int *problems)
{
	unsigned n = 0;

	for (unsigned i = 0; i < dmar_ndrhd(dmar); i++) {
		const struct acpi_drhd *u = &dmar->drhd[i];

		if (u->flags & ACPI_DRHD_INCLUDE_PCI_ALL)
			continue;
		for (unsigned s = 0; s < dmar_nscopes(&u->scopes); s++) {
			if (!dmar_ref_make(t, u->segment, &u->scopes.scope[s],
					   &refs[n], "DRHD", i, s, log,
					   problems))
				continue;
			refs[n++].drhd = (uint16_t)i;
		}
	}
	return n;
}

static int dmar_unit_of(const struct acpi_dmar *dmar,
			const struct pci_topology *t,
			const struct dmar_ref *refs, unsigned nrefs,
			unsigned idx)
{
	const struct pci_dev *d = &t->dev[idx];

	for (unsigned r = 0; r < nrefs; r++)
		if (dmar_ref_covers(&refs[r], d, idx))
			return refs[r].drhd;
	return dmar_include_all(dmar, PCI_SBDF_SEG(d->sbdf));
}

int dmar_drhd_for_dev(const struct acpi_dmar *dmar,
		      const struct pci_topology *t, const struct pci_dev *dev)
{
	uintptr_t p = (uintptr_t)dev, base = (uintptr_t)t->dev;
	unsigned idx;
	int problems = 0;

	if (!dmar || !dmar->present || p < base ||
	    p >= (uintptr_t)(t->dev + t->count))
		return -1;
	idx = (unsigned)(dev - t->dev);
	for (unsigned i = 0; i < dmar_ndrhd(dmar); i++) {
		const struct acpi_drhd *u = &dmar->drhd[i];
		struct dmar_ref r;

		if (u->flags & ACPI_DRHD_INCLUDE_PCI_ALL)
			continue;
		for (unsigned s = 0; s < dmar_nscopes(&u->scopes); s++)
			if (dmar_ref_make(t, u->segment, &u->scopes.scope[s],
					  &r, "DRHD", i, s, false, &problems) &&
			    dmar_ref_covers(&r, dev, idx))
				return (int)i;
	}
	return dmar_include_all(dmar, PCI_SBDF_SEG(dev->sbdf));
}

int dmar_assign_units(const struct acpi_dmar *dmar, struct pci_topology *t)
{
	int problems = 0;
	unsigned nrefs;

	for (unsigned i = 0; i < t->count; i++)
		t->dev[i].unit = -1;
	if (!dmar || !dmar->present)
		return 0;
	if (dmar->ndrhd > ACPI_MAX_DRHD) {
		log_warn("DMAR: %u DRHDs, only the first %u used", dmar->ndrhd,
			 ACPI_MAX_DRHD);
		problems++;
	}
	nrefs = dmar_collect(dmar, t, dmar_refs, true, &problems);
	for (unsigned i = 0; i < t->count; i++)
		t->dev[i].unit = dmar_unit_of(dmar, t, dmar_refs, nrefs, i);
	return problems;
}

int dmar_rmrr_devices(const struct acpi_dmar *dmar, unsigned rmrr,
		      const struct pci_topology *t, uint32_t *out, unsigned max)
{
	struct dmar_ref refs[ACPI_MAX_SCOPES];
	const struct acpi_rmrr *r;
	unsigned nrefs = 0, n = 0;
	int problems = 0;

	if (!dmar || !dmar->present || rmrr >= dmar->nrmrr ||
	    rmrr >= ACPI_MAX_RMRR)
		return -HV_EINVAL;
	r = &dmar->rmrr[rmrr];
	for (unsigned s = 0; s < dmar_nscopes(&r->scopes); s++)
		if (dmar_ref_make(t, r->segment, &r->scopes.scope[s],
				  &refs[nrefs], "RMRR", rmrr, s, true,
				  &problems))
			nrefs++;
	for (unsigned i = 0; i < t->count; i++) {
		bool hit = false;

		for (unsigned k = 0; k < nrefs && !hit; k++)
			hit = dmar_ref_covers(&refs[k], &t->dev[i], i);
		if (!hit)
			continue;
		if (n == max)
			return -HV_ENOMEM;
		out[n++] = i;
	}
	return (int)n;
}
