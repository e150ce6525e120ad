// SPDX-License-Identifier: MIT
/*
 * DMAR (Intel VT-d Architecture Specification 4.1, chapter 8): remapping
 * units (DRHD), reserved memory regions (RMRR), ATS-capable root ports
 * (ATSR) and SoC devices with address translation caches (SATC), each
 * with its device scopes.
 *
 * Zero-length and overrunning structures stop the walk (nothing after
 * them can be located); a structure that is merely wrong is reported and
 * skipped by its length. The same holds for device scopes inside a
 * structure. Linux (drivers/iommu/intel/dmar.c) applies the same guards.
 */
#include "kernel/acpi/acpi_priv.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

#define DMAR_PAGE_SIZE 4096u

struct dmar_walk {
	struct acpi_dmar *dmar;
	const uint8_t *p; /* the structure; all len bytes are in the table */
	uint32_t off;	  /* its offset in the table */
	uint16_t len;
	const char *name;		    /* "DRHD", "RMRR", ... */
	bool full[ACPI_DMAR_TYPE_SIDP + 1]; /* "too many" already reported */
};

static const char *const dmar_names[] = {
	[ACPI_DMAR_TYPE_DRHD] = "DRHD", [ACPI_DMAR_TYPE_RMRR] = "RMRR",
	[ACPI_DMAR_TYPE_ATSR] = "ATSR", [ACPI_DMAR_TYPE_RHSA] = "RHSA",
	[ACPI_DMAR_TYPE_ANDD] = "ANDD", [ACPI_DMAR_TYPE_SATC] = "SATC",
	[ACPI_DMAR_TYPE_SIDP] = "SIDP",
};

/* Decode one scope whose header and length were checked. */
static int dmar_scope(struct dmar_walk *w, uint32_t at, uint8_t len,
		      struct acpi_dmar_scopes *out)
{
	uint32_t hops = (len - sizeof(struct acpi_dmar_device_scope)) / 2;
	uint32_t toff = w->off + at;
	struct acpi_dmar_device_scope h;
	struct acpi_dmar_scope *s;

	memcpy(&h, w->p + at, sizeof(h));
	if (h.type < ACPI_DMAR_SCOPE_ENDPOINT ||
	    h.type > ACPI_DMAR_SCOPE_NAMESPACE) {
		log_info(
			"ACPI: DMAR: device scope at offset 0x%x has unknown type %u, skipped",
			toff, h.type);
		out->dropped++;
		return 0;
	}
	if ((len - sizeof(h)) % 2) {
		log_warn(
			"ACPI: DMAR: device scope at offset 0x%x has an odd path length (%u bytes), scope ignored",
			toff, len - (uint32_t)sizeof(h));
		out->dropped++;
		return 1;
	}
	if (hops == 0 || hops > ACPI_MAX_PATH) {
		log_warn(
			"ACPI: DMAR: device scope at offset 0x%x has a path of %u hops (1 to %d supported), scope ignored",
			toff, hops, ACPI_MAX_PATH);
		out->dropped++;
		return 1;
	}
	s = &out->scope[out->count++];
	s->type = h.type;
	s->enum_id = h.enumeration_id;
	s->start_bus = h.start_bus_number;
	s->path_len = (uint8_t)hops;
	for (uint32_t i = 0; i < hops; i++) {
		s->path[i].dev = w->p[at + sizeof(h) + 2 * i];
		s->path[i].fn = w->p[at + sizeof(h) + 2 * i + 1];
	}
	return 0;
}

/*
 * Walk the device scopes of the current structure from offset at on.
 * Scopes over ACPI_MAX_SCOPES are still walked, to be counted as dropped.
 */
static int dmar_scopes(struct dmar_walk *w, uint32_t at,
		       struct acpi_dmar_scopes *out)
{
	const uint32_t hdr = sizeof(struct acpi_dmar_device_scope);
	bool full = false;
	int problems = 0;
	uint8_t len;

	for (; at < w->len; at += len) {
		uint32_t left = w->len - at;

		len = left >= 2 ? w->p[at + 1] : 0;
		if (left < hdr || len > left) {
			log_warn(
				"ACPI: DMAR: device scope at offset 0x%x runs past its %s, scope ignored",
				w->off + at, w->name);
			out->dropped++;
			return problems + 1;
		}
		if (len < hdr) {
			log_warn(
				"ACPI: DMAR: device scope at offset 0x%x has length %u, rest of its %s ignored",
				w->off + at, len, w->name);
			out->dropped++;
			return problems + 1;
		}
		if (out->count < ACPI_MAX_SCOPES) {
			problems += dmar_scope(w, at, len, out);
			continue;
		}
		if (!full) {
			full = true;
			log_warn(
				"ACPI: DMAR: %s at offset 0x%x has more than %d device scopes, scope at offset 0x%x and later ones ignored",
				w->name, w->off, ACPI_MAX_SCOPES, w->off + at);
			problems++;
		}
		out->dropped++;
	}
	return problems;
}

/* Room for one more structure of this kind? Reports the first overflow. */
static bool dmar_room(struct dmar_walk *w, unsigned type, unsigned count,
		      unsigned max, int *problems)
{
	if (count < max)
		return true;
	if (!w->full[type]) {
		w->full[type] = true;
		log_warn(
			"ACPI: DMAR: more than %u %ss, %s at offset 0x%x and later ones ignored",
			max, w->name, w->name, w->off);
		(*problems)++;
	}
	return false;
}

static bool dmar_drhd_dup_all(const struct acpi_dmar *d, uint16_t segment)
{
	for (unsigned i = 0; i < d->ndrhd; i++)
		if ((d->drhd[i].flags & ACPI_DRHD_INCLUDE_PCI_ALL) &&
		    d->drhd[i].segment == segment)
			return true;
	return false;
}

static int dmar_drhd(struct dmar_walk *w)
{
	struct acpi_dmar *d = w->dmar;
	struct acpi_dmar_drhd s;
	struct acpi_drhd *u;
	int problems = 0;

	memcpy(&s, w->p, sizeof(s));
	if (!s.register_base_address || s.register_base_address == ~0ull ||
	    !IS_ALIGNED(s.register_base_address, DMAR_PAGE_SIZE)) {
		log_warn(
			"ACPI: DMAR: DRHD at offset 0x%x has register base 0x%lx, unit ignored",
			w->off, s.register_base_address);
		return 1;
	}
	/* VT-d 8.3: at most one INCLUDE_PCI_ALL unit per segment. */
	if ((s.flags & ACPI_DRHD_INCLUDE_PCI_ALL) &&
	    dmar_drhd_dup_all(d, s.segment_number)) {
		log_warn(
			"ACPI: DMAR: DRHD at offset 0x%x is a second INCLUDE_PCI_ALL unit for segment %04x, unit ignored",
			w->off, s.segment_number);
		return 1;
	}
	if (!dmar_room(w, ACPI_DMAR_TYPE_DRHD, d->ndrhd, ACPI_MAX_DRHD,
		       &problems))
		return problems;
	u = &d->drhd[d->ndrhd++];
	u->flags = s.flags;
	u->size = (uint8_t)FIELD_GET(ACPI_DMAR_DRHD_SIZE, s.size);
	u->segment = s.segment_number;
	u->reg_base = s.register_base_address;
	return dmar_scopes(w, sizeof(s), &u->scopes);
}

static int dmar_rmrr(struct dmar_walk *w)
{
	struct acpi_dmar *d = w->dmar;
	struct acpi_dmar_rmrr s;
	struct acpi_rmrr *r;
	int problems = 0;

	memcpy(&s, w->p, sizeof(s));
	/* VT-d 8.4: 4 KiB aligned base, limit is the last byte of a page. */
	if (s.limit_address < s.base_address ||
	    !IS_ALIGNED(s.base_address, DMAR_PAGE_SIZE) ||
	    !IS_ALIGNED(s.limit_address + 1, DMAR_PAGE_SIZE)) {
		log_warn(
			"ACPI: DMAR: RMRR at offset 0x%x has range 0x%lx-0x%lx, region ignored",
			w->off, s.base_address, s.limit_address);
		return 1;
	}
	if (!dmar_room(w, ACPI_DMAR_TYPE_RMRR, d->nrmrr, ACPI_MAX_RMRR,
		       &problems))
		return problems;
	r = &d->rmrr[d->nrmrr++];
	r->segment = s.segment_number;
	r->base = s.base_address;
	r->limit = s.limit_address;
	return dmar_scopes(w, sizeof(s), &r->scopes);
}

static int dmar_atsr(struct dmar_walk *w)
{
	struct acpi_dmar *d = w->dmar;
	struct acpi_dmar_atsr s;
	struct acpi_atsr *a;
	int problems = 0;

	memcpy(&s, w->p, sizeof(s));
	if (!dmar_room(w, ACPI_DMAR_TYPE_ATSR, d->natsr, ACPI_MAX_ATSR,
		       &problems))
		return problems;
	a = &d->atsr[d->natsr++];
	a->flags = s.flags;
	a->segment = s.segment_number;
	return dmar_scopes(w, sizeof(s), &a->scopes);
}

static int dmar_satc(struct dmar_walk *w)
{
	struct acpi_dmar *d = w->dmar;
	struct acpi_dmar_satc s;
	struct acpi_satc *a;
	int problems = 0;

	memcpy(&s, w->p, sizeof(s));
	if (!dmar_room(w, ACPI_DMAR_TYPE_SATC, d->nsatc, ACPI_MAX_SATC,
		       &problems))
		return problems;
	a = &d->satc[d->nsatc++];
	a->flags = s.flags;
	a->segment = s.segment_number;
	return dmar_scopes(w, sizeof(s), &a->scopes);
}

/* Fixed part of each structure type the parser decodes; 0 if skipped. */
static const uint8_t dmar_min_len[] = {
	[ACPI_DMAR_TYPE_DRHD] = sizeof(struct acpi_dmar_drhd),
	[ACPI_DMAR_TYPE_RMRR] = sizeof(struct acpi_dmar_rmrr),
	[ACPI_DMAR_TYPE_ATSR] = sizeof(struct acpi_dmar_atsr),
	[ACPI_DMAR_TYPE_SATC] = sizeof(struct acpi_dmar_satc),
};

static int (*const dmar_parsers[])(struct dmar_walk *w) = {
	[ACPI_DMAR_TYPE_DRHD] = dmar_drhd,
	[ACPI_DMAR_TYPE_RMRR] = dmar_rmrr,
	[ACPI_DMAR_TYPE_ATSR] = dmar_atsr,
	[ACPI_DMAR_TYPE_SATC] = dmar_satc,
};

static int dmar_structure(struct dmar_walk *w, uint16_t type)
{
	if (type >= ARRAY_SIZE(dmar_names)) {
		log_info(
			"ACPI: DMAR: unknown structure type %u at offset 0x%x (length %u) skipped",
			type, w->off, w->len);
		return 0;
	}
	w->name = dmar_names[type];
	if (type >= ARRAY_SIZE(dmar_parsers) || !dmar_parsers[type]) {
		log_debug("ACPI: DMAR: %s at offset 0x%x skipped", w->name,
			  w->off);
		return 0;
	}
	if (w->len < dmar_min_len[type]) {
		log_warn(
			"ACPI: DMAR: %s at offset 0x%x has length %u, shorter than its %u-byte header, skipped",
			w->name, w->off, w->len, dmar_min_len[type]);
		return 1;
	}
	return dmar_parsers[type](w);
}

int acpi_dmar_parse(struct acpi_info *info, const struct acpi_view *t)
{
	struct dmar_walk w = {.dmar = &info->dmar};
	const uint32_t hdr = sizeof(struct acpi_dmar_header);
	struct acpi_dmar_table d;
	int problems = 0;

	if (t->len < sizeof(d)) {
		log_warn(
			"ACPI: DMAR: table length %u is shorter than its %zu-byte header, table ignored",
			t->len, sizeof(d));
		return 1;
	}
	memcpy(&d, t->p, sizeof(d));
	info->dmar.present = true;
	info->dmar.host_addr_width = (uint8_t)(d.host_address_width + 1);
	info->dmar.flags = d.flags;
	for (w.off = sizeof(d); w.off < t->len; w.off += w.len) {
		struct acpi_dmar_header h;
		uint32_t left = t->len - w.off;

		if (left < hdr) {
			log_warn(
				"ACPI: DMAR: structure at offset 0x%x is truncated, rest of table ignored",
				w.off);
			return problems + 1;
		}
		memcpy(&h, t->p + w.off, hdr);
		w.p = t->p + w.off;
		w.len = h.length;
		if (w.len < hdr) {
			log_warn(
				"ACPI: DMAR: structure at offset 0x%x has length %u, rest of table ignored",
				w.off, w.len);
			return problems + 1;
		}
		if (w.len > left) {
			log_warn(
				"ACPI: DMAR: structure at offset 0x%x (length %u) runs past the end of the table, rest of table ignored",
				w.off, w.len);
			return problems + 1;
		}
		problems += dmar_structure(&w, h.type);
	}
	return problems;
}
